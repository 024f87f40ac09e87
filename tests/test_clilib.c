/*
 * test_clilib.c - unit tests of the pieces cli/ shares between its
 * commands: format names, the atomic writer, the folder walker, the input
 * reader, the JSON input rule and the CSV reader's messages.  They call the
 * functions directly; test_cli.c and the others run the binary.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "support.h"

Test(clilib, format_names_are_one_list_for_every_command)
{
	static const struct {
		const char *name;
		otz_format f;
		const char *ext;
	} ok[] = {{"text", OTZ_FORMAT_TEXT, "txt"},
	          {"json", OTZ_FORMAT_JSON, "json"},
	          {"md", OTZ_FORMAT_MD, "md"},
	          {"markdown", OTZ_FORMAT_MD, "md"},
	          {"html", OTZ_FORMAT_HTML, "html"}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		otz_format f = (otz_format)-1;
		cr_assert_eq(cli_parse_format(ok[i].name, &f), 0, "%s", ok[i].name);
		cr_assert_eq(f, ok[i].f, "%s", ok[i].name);
		cr_assert_str_eq(cli_format_ext(f), ok[i].ext);
	}
	otz_format f = OTZ_FORMAT_JSON;
	cr_assert_eq(cli_parse_format("pdf", &f), -1);
	cr_assert_eq(cli_parse_format("", &f), -1);
	cr_assert_eq(cli_parse_format("MD", &f), -1);
	cr_assert_eq(f, OTZ_FORMAT_JSON, "a refused name leaves the format alone");
}
