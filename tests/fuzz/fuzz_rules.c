/*
 * fuzz_rules.c - the rule-file parser, then the compiler and the checks of
 * `otiose rules check`, on any text.
 *
 * Checks: a failed parse or compile leaves at least one diagnostic naming
 * the file and a line; every parsed rule's information can be read back;
 * examples and counters run (against patterns the fuzzer wrote) end within
 * PCRE2's limits.
 */
#include <string.h>

#include "fuzz.h"
#include "include/otz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	otz_ruleset *rs = NULL;
	otz_error err = {0, ""};
	if (otz_ruleset_new(&rs))
		return 0;
	int rc = otz_ruleset_parse(rs, "fuzz.rules", (const char *)data, size, &err);
	if (rc) {
		FUZZ_CHECK(rc == OTZ_ERULE || rc == OTZ_ENOMEM);
		if (rc == OTZ_ERULE) {
			FUZZ_CHECK(otz_ruleset_diag_count(rs) > 0);
			FUZZ_CHECK(strncmp(otz_ruleset_diag(rs, 0), "fuzz.rules:", 11) == 0);
		}
		otz_ruleset_free(rs);
		return 0;
	}
	for (size_t i = 0; i < otz_ruleset_count(rs); i++) {
		otz_rule_info info;
		FUZZ_CHECK(otz_ruleset_info(rs, i, &info) == 0);
	}
	rc = otz_ruleset_compile(rs, 1, &err);
	if (rc == 0)
		rc = otz_ruleset_lint(rs, &err);
	if (rc == OTZ_ERULE) {
		FUZZ_CHECK(otz_ruleset_diag_count(rs) > 0);
		FUZZ_CHECK(strncmp(otz_ruleset_diag(rs, 0), "fuzz.rules:", 11) == 0);
	} else {
		FUZZ_CHECK(rc == 0 || rc == OTZ_ENOMEM);
	}
	otz_ruleset_free(rs);
	return 0;
}
