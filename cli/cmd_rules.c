/*
 * cmd_rules.c - `otiose rules check [DIR|FILE...]`: parse every rule file,
 * compile every pattern and run every example and counter, reporting each
 * problem as file:line.
 */
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void help(FILE *f)
{
	fprintf(f, "usage: otiose rules check [DIR|FILE...]\n"
	           "\n"
	           "Validate rule files (default: ./rules): every key, every pattern (compiled\n"
	           "with PCRE2 and JIT), every example (must match) and counter-example (must\n"
	           "not), and that no two rules share a translation.  Problems are printed as\n"
	           "file:line: message.  A rule that wins none of its own examples (another\n"
	           "rule always outweighs it) is reported as shadowed, a warning.  The format\n"
	           "is in rules/README.md.\n"
	           "\n"
	           "exit codes: 0 all good, 1 problems found, 2 usage\n");
}

int cmd_rules(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (strcmp(argv[1], "check"))
		return cli_usage_error("rules", "unknown subcommand '%s' (check)", argv[1]);
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			help(stdout);
			return EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error("rules", "unknown option '%s'", argv[i]);
		}
	otz_ruleset *rs = NULL;
	if (otz_ruleset_new(&rs)) {
		cli_err("out of memory");
		return EXIT_INTERNAL;
	}
	int rc = EXIT_OK, nfiles = argc > 2 ? argc - 2 : 1;
	otz_error err = {0, ""};
	for (int i = 0; i < nfiles; i++) {
		const char *p = argc > 2 ? argv[2 + i] : "rules";
		struct stat st;
		int e;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			e = otz_ruleset_add_dir(rs, p, &err);
		else
			e = otz_ruleset_add_file(rs, p, &err);
		if (e == OTZ_EIO || e == OTZ_ENOMEM || (e && otz_ruleset_diag_count(rs) == 0)) {
			cli_err("%s", err.msg);
			rc = cli_exit_for(e);
		}
	}
	if (rc == EXIT_OK || otz_ruleset_diag_count(rs))
		if (otz_ruleset_compile(rs, 1, &err) == 0)
			otz_ruleset_lint(rs, &err);
	size_t nd = otz_ruleset_diag_count(rs), nw = otz_ruleset_warning_count(rs);
	for (size_t i = 0; i < nd; i++)
		fprintf(stderr, "%s\n", otz_ruleset_diag(rs, i));
	for (size_t i = 0; i < nw; i++)
		fprintf(stderr, "%s\n", otz_ruleset_warning(rs, i));
	size_t ex = 0, co = 0;
	for (size_t i = 0; i < otz_ruleset_count(rs); i++) {
		otz_rule_info info;
		otz_ruleset_info(rs, i, &info);
		ex += info.nexamples;
		co += info.ncounters;
	}
	printf("%zu rules, %zu patterns, %zu examples, %zu counter-examples: %s, %zu shadowed\n",
	       otz_ruleset_count(rs), otz_ruleset_pattern_count(rs), ex, co,
	       nd ? "problems found" : "all pass", nw);
	if (nd && rc == EXIT_OK)
		rc = EXIT_INPUT;
	otz_ruleset_free(rs);
	return rc;
}
