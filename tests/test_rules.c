/*
 * test_rules.c - otz_ruleset_parse / _compile: the rule file format, its
 * diagnostics ("name:line: message"), example checking, the real rules/
 * folder, and the match limits that stop catastrophic patterns.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "include/otz.h"
#include "internal.h"

static const char *root(void)
{
	const char *r = getenv("OTIOSE_ROOT");
	return r && *r ? r : ".";
}

/* Parse `text` as file `name` into a fresh ruleset. */
static otz_ruleset *parse(const char *name, const char *text, int *rc, otz_error *err)
{
	otz_ruleset *rs = NULL;
	cr_assert_eq(otz_ruleset_new(&rs), 0);
	*rc = otz_ruleset_parse(rs, name, text, strlen(text), err);
	return rs;
}

/* Exactly one diagnostic, equal to `want`; the error carries it too. */
static void expect_one_diag(otz_ruleset *rs, int rc, const otz_error *err, const char *want)
{
	cr_expect_eq(rc, OTZ_ERULE, "rc %d, want OTZ_ERULE for \"%s\"", rc, want);
	cr_expect_eq(err->code, OTZ_ERULE);
	cr_assert_eq(otz_ruleset_diag_count(rs), 1, "%zu diagnostics (first: %s), want 1: %s",
	             otz_ruleset_diag_count(rs),
	             otz_ruleset_diag(rs, 0) ? otz_ruleset_diag(rs, 0) : "-", want);
	cr_expect_str_eq(otz_ruleset_diag(rs, 0), want);
	cr_expect_str_eq(err->msg, want);
}

static const char good[] =
	"# a comment\n"
	"rule: mythical-creature-hire\n"
	"category: red-flag\n"
	"weight: 6\n"
	"pattern: \\b(rockstar|ninja|guru|wizard|unicorn)s?\\b\n"
	"pattern: \\b10x (engineer|developer)\\b\n"
	"translate: Wants a $1, has the budget for a junior.\n"
	"example: We are looking for a marketing rockstar to own our brand.\n"
	"example: A true 10x engineer.\n"
	"counter: Our rock climbing club meets on Thursdays.\n";

Test(rules, good_rule_fields)
{
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("good.rules", good, &rc, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_eq(otz_ruleset_count(rs), 1);
	cr_expect_eq(otz_ruleset_pattern_count(rs), 2);
	cr_expect_eq(otz_ruleset_diag_count(rs), 0);
	otz_rule_info in;
	cr_assert_eq(otz_ruleset_info(rs, 0, &in), 0);
	cr_expect_str_eq(in.id, "mythical-creature-hire");
	cr_expect_eq(in.category, OTZ_CAT_RED_FLAG);
	cr_expect_str_eq(otz_category_name(in.category), "red-flag");
	cr_expect_eq(in.weight, 6);
	cr_expect_str_eq(in.translation, "Wants a $1, has the budget for a junior.");
	cr_expect_null(in.name);
	cr_expect_str_eq(in.file, "good.rules");
	cr_expect_eq(in.line, 2);
	cr_expect_eq(in.npatterns, 2);
	cr_expect_eq(in.nexamples, 2);
	cr_expect_eq(in.ncounters, 1);
	cr_expect_eq(otz_ruleset_info(rs, 1, &in), OTZ_EINVAL);
	cr_expect_eq(otz_ruleset_compile(rs, 1, &err), 0, "%s", err.msg);
	cr_expect_eq(otz_ruleset_diag_count(rs), 0);
	cr_expect_eq(otz__ruleset_find(rs, "mythical-creature-hire"), 0);
	cr_expect_eq(otz__ruleset_find(rs, "nope"), -1);
	otz_ruleset_free(rs);
}

Test(rules, category_names)
{
	cr_expect_str_eq(otz_category_name(OTZ_CAT_BUZZWORD), "buzzword");
	cr_expect_str_eq(otz_category_name(OTZ_CAT_METRIC), "metric");
	cr_expect_str_eq(otz_category_name(OTZ_CAT_WEAPONRY), "weaponry");
	cr_expect_str_eq(otz_category_name(OTZ_CAT_HABITAT), "habitat");
	cr_expect_str_eq(otz_category_name(OTZ_CAT_RED_FLAG), "red-flag");
	cr_expect_null(otz_category_name(OTZ_CAT__COUNT));
}

Test(rules, metric_rule_with_name)
{
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("m.rules",
	                        "rule: nps-worship\n"
	                        "category: metric\n"
	                        "weight: 4\n"
	                        "name: Net Promoter Score\n"
	                        "pattern: \\bnet promoter score\\b\n"
	                        "translate: A survey.\n"
	                        "example: Own our Net Promoter Score.\n",
	                        &rc, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	otz_rule_info in;
	cr_assert_eq(otz_ruleset_info(rs, 0, &in), 0);
	cr_expect_eq(in.category, OTZ_CAT_METRIC);
	cr_expect_str_eq(in.name, "Net Promoter Score");
	cr_expect_eq(in.ncounters, 0);
	cr_expect_eq(otz_ruleset_compile(rs, 1, &err), 0, "%s", err.msg);
	otz_ruleset_free(rs);
}

/* A rule body that is complete, for building bad variants. */
#define BODY                                                                 \
	"category: buzzword\n"                                               \
	"weight: 5\n"                                                        \
	"pattern: \\bsynergy\\b\n"                                           \
	"translate: Meetings.\n"                                             \
	"example: Drive synergy.\n"

static void one_diag_case(const char *text, const char *want)
{
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("t.rules", text, &rc, &err);
	expect_one_diag(rs, rc, &err, want);
	otz_ruleset_free(rs);
}

Test(rules, unknown_key)
{
	one_diag_case("rule: x\n" BODY "colour: blue\n",
	              "t.rules:7: unknown key 'colour' (rule, category, weight, pattern, "
	              "translate, translate.FAMILY, mention, org, range, usual, shape, name, "
	              "example, counter)");
}

Test(rules, key_before_rule)
{
	one_diag_case("\n# header\ncategory: buzzword\nrule: x\n" BODY,
	              "t.rules:3: 'category:' before the first 'rule:'");
}

Test(rules, bad_category)
{
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("t.rules",
	                        "rule: x\ncategory: fluff\nweight: 5\npattern: a\n"
	                        "translate: t\nexample: a\n",
	                        &rc, &err);
	expect_one_diag(rs, rc, &err,
	                "t.rules:2: unknown category 'fluff' (buzzword, metric, weaponry, habitat, "
	                "red-flag, boilerplate)");
	/* the broken rule is not kept */
	cr_expect_eq(otz_ruleset_count(rs), 0);
	otz_ruleset_free(rs);
}

Test(rules, bad_weights)
{
	static const char *const bad[] = {"0", "11", "-3", "abc", "5x", "7.5"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256], want[128];
		snprintf(text, sizeof(text),
		         "rule: x\ncategory: buzzword\nweight: %s\npattern: a\ntranslate: t\n"
		         "example: a\n",
		         bad[i]);
		snprintf(want, sizeof(want), "t.rules:3: weight '%s' is not a whole number from 1 to 10",
		         bad[i]);
		otz_error err = {0, ""};
		int rc;
		otz_ruleset *rs = parse("t.rules", text, &rc, &err);
		expect_one_diag(rs, rc, &err, want);
		cr_expect_eq(otz_ruleset_count(rs), 0, "weight '%s' kept", bad[i]);
		otz_ruleset_free(rs);
	}
	/* the bounds themselves are fine */
	for (int w = 1; w <= 10; w += 9) {
		char text[256];
		snprintf(text, sizeof(text),
		         "rule: x\ncategory: buzzword\nweight: %d\npattern: a\ntranslate: t\n"
		         "example: a\n",
		         w);
		otz_error err = {0, ""};
		int rc;
		otz_ruleset *rs = parse("t.rules", text, &rc, &err);
		cr_expect_eq(rc, 0, "weight %d: %s", w, err.msg);
		otz_rule_info in;
		cr_assert_eq(otz_ruleset_info(rs, 0, &in), 0);
		cr_expect_eq(in.weight, w);
		otz_ruleset_free(rs);
	}
}

Test(rules, duplicate_id_names_first_definition)
{
	otz_ruleset *rs = NULL;
	otz_error err = {0, ""};
	cr_assert_eq(otz_ruleset_new(&rs), 0);
	const char *a = "rule: dup\n" BODY;
	const char *b = "# second file\n\nrule: dup\n" BODY;
	cr_assert_eq(otz_ruleset_parse(rs, "a.rules", a, strlen(a), &err), 0, "%s", err.msg);
	int rc = otz_ruleset_parse(rs, "b.rules", b, strlen(b), &err);
	expect_one_diag(rs, rc, &err, "b.rules:3: duplicate rule id 'dup' (first defined at a.rules:1)");
	cr_expect_eq(otz_ruleset_count(rs), 1);
	otz_ruleset_free(rs);

	/* within one file */
	one_diag_case("rule: same\n" BODY "\nrule: same\n" BODY,
	              "t.rules:8: duplicate rule id 'same' (first defined at t.rules:1)");
}

Test(rules, missing_keys)
{
	one_diag_case("rule: x\ncategory: buzzword\nweight: 5\npattern: a\nexample: a\n",
	              "t.rules:1: rule 'x' has no translation (translate:)");
	one_diag_case("\nrule: x\ncategory: buzzword\nweight: 5\ntranslate: t\nexample: a\n",
	              "t.rules:2: rule 'x' has no pattern");
	/* a counter is not an example */
	one_diag_case("rule: x\ncategory: buzzword\nweight: 5\npattern: a\ntranslate: t\n"
	              "counter: b\n",
	              "t.rules:1: rule 'x' has no example");
	one_diag_case("rule: x\nweight: 5\npattern: a\ntranslate: t\nexample: a\n",
	              "t.rules:1: rule 'x' has no category");
	one_diag_case("rule: x\ncategory: buzzword\npattern: a\ntranslate: t\nexample: a\n",
	              "t.rules:1: rule 'x' has no weight");
}

Test(rules, metric_and_weaponry_need_name)
{
	one_diag_case("rule: m\ncategory: metric\nweight: 5\npattern: a\ntranslate: t\nexample: a\n",
	              "t.rules:1: rule 'm' is a metric and needs a name:");
	one_diag_case("rule: w\ncategory: weaponry\nweight: 5\npattern: a\ntranslate: t\n"
	              "example: a\n",
	              "t.rules:1: rule 'w' is a weaponry and needs a name:");
	/* a credit's name finishes "To its credit, it ..." */
	one_diag_case("rule: c\ncategory: credit\nweight: 1\npattern: a\ntranslate: t\nexample: a\n",
	              "t.rules:1: rule 'c' is a credit and needs a name:");
	/* the name is a heading in [05]: "the Productivity Rate" read as a typo */
	one_diag_case("rule: m\ncategory: metric\nname: the rate\nweight: 5\npattern: a\n"
	              "translate: t\nexample: a\n",
	              "t.rules:1: rule 'm': a metric's name is a heading and starts with a capital");
}

/* A shape rule (`shape:`) gives the reasons of the metric heuristic's finds
 * of one kind: a metric rule without a pattern, weight or name, one per
 * shape; every other rule still needs a pattern. */
#define SHAPE_RATE                                                           \
	"category: metric\n"                                                 \
	"shape: rate\n"                                                      \
	"translate: A chosen denominator.\n"                                 \
	"example: Own the ticket closure rate.\n"                            \
	"counter: Track the exchange rate daily.\n"

Test(rules, shape_rule_fields)
{
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("s.rules", "rule: shape-rate\n" SHAPE_RATE, &rc, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_eq(otz_ruleset_count(rs), 1);
	otz_rule_info in;
	cr_assert_eq(otz_ruleset_info(rs, 0, &in), 0);
	cr_expect_eq(in.npatterns, 0);
	cr_expect_null(in.name);
	cr_expect_eq(rs->rules[0].shape, OTZ_MK_RATE);
	cr_expect_eq(rs->shape_rule[OTZ_MK_RATE], 0);
	cr_expect_eq(rs->shape_rule[OTZ_MK_SCORE], -1);
	cr_expect_eq(otz_ruleset_compile(rs, 1, &err), 0, "%s", err.msg);
	cr_expect_eq(otz_ruleset_lint(rs, &err), 0, "%s", err.msg);
	cr_expect_eq(otz_ruleset_warning_count(rs), 0, "%s", otz_ruleset_warning(rs, 0));
	otz_ruleset_free(rs);
	cr_expect_str_eq(otz__metric_kind_name(OTZ_MK_VELOCITY), "velocity");
	cr_expect_eq(otz__metric_kind_find("kpi", 3), OTZ_MK_KPI);
	cr_expect_eq(otz__metric_kind_find("kpis", 4), OTZ_MK_NONE);
	cr_expect_null(otz__metric_kind_name(OTZ_MK_NONE));
}

Test(rules, shape_rule_diagnostics)
{
	one_diag_case("rule: s\ncategory: buzzword\nweight: 3\nshape: rate\ntranslate: t\n"
	              "example: Own the churn rate.\n",
	              "t.rules:4: rule 's': 'shape:' is for metric rules");
	/* an unknown shape, and nothing guessed about what the rule lacks */
	one_diag_case("rule: s\ncategory: metric\nshape: colour\ntranslate: t\nexample: e\n",
	              "t.rules:3: unknown shape 'colour' (ratio, score, rate, index, velocity, "
	              "survey, kpi, other)");
	one_diag_case("rule: s\ncategory: metric\nshape: rate\nshape: score\ntranslate: t\n"
	              "example: Own the churn rate.\n",
	              "t.rules:4: rule 's' has two shapes");
	one_diag_case("rule: s\ncategory: metric\nshape: rate\npattern: \\brate\\b\n"
	              "translate: t\nexample: Own the churn rate.\n",
	              "t.rules:4: rule 's' has a shape and a pattern: the metric heuristic finds "
	              "the phrases of a shape rule, which has no pattern");
	one_diag_case("rule: s\ncategory: metric\nshape: rate\nusual: yes\ntranslate: t\n"
	              "example: Own the churn rate.\n",
	              "t.rules:3: rule 's': a shape rule is not 'usual:' (it has no hit to stand in "
	              "for)");
	/* one rule per shape, across files too */
	one_diag_case("rule: a\n" SHAPE_RATE "\nrule: b\n" SHAPE_RATE,
	              "t.rules:10: rule 'b': shape 'rate' is given already by rule 'a' (t.rules:3)");
	/* every other rule, a metric rule too, needs a pattern */
	one_diag_case("rule: m\ncategory: metric\nname: Churn\nweight: 3\ntranslate: t\n"
	              "example: e\n",
	              "t.rules:1: rule 'm' has no pattern");
}

/* A shape rule's examples are found by the heuristic as its kind, its
 * counters are not: checked when the ruleset is compiled. */
Test(rules, shape_rule_examples_test_the_heuristic)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"rule: s\ncategory: metric\nshape: rate\ntranslate: t\n"
		 "example: Improve the onboarding score.\n",
		 "t.rules:5: rule 's': the metric heuristic finds a 'score' in this example, not a "
		 "'rate'"},
		{"rule: s\ncategory: metric\nshape: rate\ntranslate: t\n"
		 "example: Benefits at a reduced rate.\n",
		 "t.rules:5: rule 's': the metric heuristic finds no 'rate' in this example"},
		{"rule: s\ncategory: metric\nshape: rate\ntranslate: t\n"
		 "example: Own the churn rate.\ncounter: Reduce the defect rate.\n",
		 "t.rules:6: rule 's': the metric heuristic finds a 'rate' in this counter-example"},
		{"rule: s\ncategory: metric\nshape: rate\ntranslate: Quotes $1.\n"
		 "example: Own the churn rate.\n",
		 "t.rules:4: rule 's': translation quotes $1 but a shape rule has no pattern to "
		 "quote"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		otz_error err = {0, ""};
		int rc;
		otz_ruleset *rs = parse("t.rules", cases[i].text, &rc, &err);
		cr_assert_eq(rc, 0, "%s", err.msg);
		rc = otz_ruleset_compile(rs, 1, &err);
		expect_one_diag(rs, rc, &err, cases[i].want);
		otz_ruleset_free(rs);
	}
}

Test(rules, bad_id_characters)
{
	one_diag_case("rule: Bad_ID\n" BODY,
	              "t.rules:1: rule id 'Bad_ID' must be lowercase letters, digits and '-'");
	one_diag_case("\nrule: -leading\n" BODY,
	              "t.rules:2: rule id '-leading' must be lowercase letters, digits and '-'");
	one_diag_case("rule: has space\n" BODY,
	              "t.rules:1: rule id 'has space' must be lowercase letters, digits and '-'");
}

Test(rules, repeated_keys)
{
	one_diag_case("rule: x\n" BODY "weight: 6\n", "t.rules:7: rule 'x' has two weights");
}

/* A rule may say several things, some for one family's roles and some
 * naming what the closest specimen's lexicon fills in. */
Test(rules, variants_families_and_slots)
{
	int rc;
	otz_error err = {0, ""};
	otz_ruleset *rs = parse("t.rules",
	                        "rule: x\n" BODY "translate: Meetings, again.\n"
	                        "translate.sales: The {ritual} moves to Thursday.\n"
	                        "translate: {Role} books a room for it.\n"
	                        "translate.engineering: A ticket for {{it}.\n",
	                        &rc, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	otz_rule_info in;
	cr_assert_eq(otz_ruleset_info(rs, 0, &in), 0);
	cr_expect_eq(in.nvariants, 5);
	/* the general one: the first naming no family and no slot */
	cr_expect_str_eq(in.translation, "Meetings.");
	const otz_rule *r = &rs->rules[0];
	cr_expect_eq(r->variants[2].family, otz_family_find("sales"));
	cr_expect_eq(r->variants[2].slots, 1u << (1 + OTZ_LEX_RITUAL));
	cr_expect_eq(r->variants[3].family, -1);
	cr_expect_eq(r->variants[3].slots, 1u << OTZ_SLOT_ROLE);
	/* "{{" is a brace, not a slot */
	cr_expect_eq(r->variants[4].slots, 0u);
	otz_ruleset_free(rs);

	one_diag_case("rule: x\n" BODY "translate.astrology: Stars.\n",
	              "t.rules:7: 'translate.astrology': no family 'astrology' (engineering, data, "
	              "product, sales, marketing, customer, people, finance, legal, operations, "
	              "hardware, science, health, public, trades, retail, education, executive)");
	one_diag_case("rule: x\n" BODY "translate: The {boss} is out.\n",
	              "t.rules:7: rule 'x': unknown slot '{boss}' (role, tool, ritual, artefact, "
	              "counterpart)");
	one_diag_case("rule: x\n" BODY "mention: maybe\n", "t.rules:7: 'mention:' is yes or no");
	one_diag_case("rule: x\n" BODY "range: big\n", "t.rules:7: 'range:' is wide or narrow");
	/* some translation must do when nothing is known of the role */
	one_diag_case("rule: x\ncategory: buzzword\nweight: 5\npattern: \\bsynergy\\b\n"
	              "translate.sales: The {ritual}.\nexample: Drive synergy.\n",
	              "t.rules:1: rule 'x' needs a 'translate:' that names no slot, for records "
	              "whose role is not known");
}

/* Parse (which must succeed) and compile; the compile has one diagnostic. */
static void compile_diag_case(const char *text, int check, const char *want)
{
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("c.rules", text, &rc, &err);
	cr_assert_eq(rc, 0, "parse: %s", err.msg);
	rc = otz_ruleset_compile(rs, check, &err);
	expect_one_diag(rs, rc, &err, want);
	otz_ruleset_free(rs);
}

Test(rules, bad_regex_reports_offset)
{
	/* ')' at offset 2 has no opening parenthesis */
	compile_diag_case("rule: x\ncategory: buzzword\nweight: 5\npattern: \\bfoo\\b\n"
	                  "pattern: ab)cd\ntranslate: t\nexample: foo\n",
	                  1,
	                  "c.rules:5: rule 'x': pattern does not compile at offset 2: unmatched "
	                  "closing parenthesis");
	/* a quantifier with nothing before it: offset 0; reported even
	 * without example checking */
	compile_diag_case("# c\nrule: y\ncategory: buzzword\nweight: 5\npattern: abc\n"
	                  "pattern: *abc\ntranslate: t\nexample: abc\n",
	                  0,
	                  "c.rules:6: rule 'y': pattern does not compile at offset 0: quantifier "
	                  "does not follow a repeatable item");
	/* an unclosed group is found at the end of the pattern (9 bytes) */
	compile_diag_case("rule: z\ncategory: buzzword\nweight: 5\npattern: \\bfoo(bar\n"
	                  "translate: t\nexample: foobar\n",
	                  1,
	                  "c.rules:4: rule 'z': pattern does not compile at offset 9: missing "
	                  "closing parenthesis");
}

Test(rules, example_must_match)
{
	compile_diag_case("rule: x\ncategory: buzzword\nweight: 5\npattern: \\bsynergy\\b\n"
	                  "translate: t\nexample: Drive synergy.\nexample: Drive synergies.\n",
	                  1, "c.rules:7: rule 'x': example does not match any pattern");
	/* examples are normalized like input: curly quotes, full-width
	 * letters and case all match a plain lowercase pattern */
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("c.rules",
	                        "rule: x\ncategory: buzzword\nweight: 5\npattern: \\bit's a \"win\"\n"
	                        "translate: t\n"
	                        "example: IT\xe2\x80\x99S A \xe2\x80\x9c\xef\xbc\xb7IN\xe2\x80\x9d\n",
	                        &rc, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_expect_eq(otz_ruleset_compile(rs, 1, &err), 0, "%s", err.msg);
	otz_ruleset_free(rs);
}

Test(rules, counter_must_not_match)
{
	compile_diag_case("rule: x\ncategory: buzzword\nweight: 5\npattern: \\brock\n"
	                  "translate: t\nexample: You rock.\ncounter: Our rock climbing club.\n",
	                  1, "c.rules:7: rule 'x': counter-example matches a pattern");
	/* without example checking the same file compiles */
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("c.rules",
	                        "rule: x\ncategory: buzzword\nweight: 5\npattern: \\brock\n"
	                        "translate: t\nexample: You rock.\ncounter: Our rock climbing club.\n",
	                        &rc, &err);
	cr_assert_eq(rc, 0);
	cr_expect_eq(otz_ruleset_compile(rs, 0, &err), 0, "%s", err.msg);
	otz_ruleset_free(rs);
}

Test(rules, translation_quotes_missing_group)
{
	compile_diag_case("rule: x\ncategory: buzzword\nweight: 5\npattern: \\b(ninja)\\b\n"
	                  "translate: a $1 and a $2\nexample: a ninja\n",
	                  1, "c.rules:5: rule 'x': translation quotes $2 but a pattern has only 1 group");
	/* the group count is that of the pattern with the fewest */
	compile_diag_case("rule: x\ncategory: buzzword\nweight: 5\npattern: (a)(b)\npattern: (c)\n"
	                  "pattern: d\ntranslate: $1\nexample: ab\n",
	                  1, "c.rules:7: rule 'x': translation quotes $1 but a pattern has only 0 groups");
	/* "$$" is a dollar sign, not a reference */
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("c.rules",
	                        "rule: x\ncategory: buzzword\nweight: 5\npattern: \\bbudget\\b\n"
	                        "translate: costs $$5 and $$9\nexample: no budget\n",
	                        &rc, &err);
	cr_assert_eq(rc, 0);
	cr_expect_eq(otz_ruleset_compile(rs, 1, &err), 0, "%s", err.msg);
	otz_ruleset_free(rs);
}

Test(rules, all_problems_reported)
{
	const char *text = "rule: one\n"                     /* 1 */
	                   "category: buzzword\n"            /* 2 */
	                   "weight: 12\n"                    /* 3: bad weight */
	                   "pattern: a\n"                    /* 4 */
	                   "translate: t\n"                  /* 5 */
	                   "example: a\n"                    /* 6 */
	                   "\n"                              /* 7 */
	                   "rule: two\n"                     /* 8: no translation */
	                   "category: buzzword\n"            /* 9 */
	                   "weight: 5\n"                     /* 10 */
	                   "pattern: b\n"                    /* 11 */
	                   "colour: round\n"                 /* 12: unknown key */
	                   "example: b\n"                    /* 13 */
	                   "\n"                              /* 14 */
	                   "rule: three\n"                   /* 15 */
	                   "category: nonsense\n"            /* 16: bad category */
	                   "weight: 5\n"                     /* 17 */
	                   "pattern: c\n"                    /* 18 */
	                   "translate: t\n"                  /* 19 */
	                   "example: c\n"                    /* 20 */
	                   "rule: four\n"                    /* 21: fine */
	                   "category: habitat\n"             /* 22 */
	                   "weight: 2\n"                     /* 23 */
	                   "pattern: d\n"                    /* 24 */
	                   "translate: t\n"                  /* 25 */
	                   "example: d\n";                   /* 26 */
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("many.rules", text, &rc, &err);
	cr_expect_eq(rc, OTZ_ERULE);
	cr_assert_eq(otz_ruleset_diag_count(rs), 4);
	cr_expect_str_eq(otz_ruleset_diag(rs, 0),
	                 "many.rules:3: weight '12' is not a whole number from 1 to 10");
	cr_expect_str_eq(otz_ruleset_diag(rs, 1),
	                 "many.rules:12: unknown key 'colour' (rule, category, weight, pattern, "
	                 "translate, translate.FAMILY, mention, org, range, usual, shape, name, "
	                 "example, counter)");
	cr_expect_str_eq(otz_ruleset_diag(rs, 2),
	                 "many.rules:8: rule 'two' has no translation (translate:)");
	cr_expect_str_eq(otz_ruleset_diag(rs, 3),
	                 "many.rules:16: unknown category 'nonsense' (buzzword, metric, weaponry, "
	                 "habitat, red-flag, boilerplate)");
	cr_expect_str_eq(err.msg,
	                 "many.rules:3: weight '12' is not a whole number from 1 to 10 (and more)");
	cr_expect_null(otz_ruleset_diag(rs, 4));
	/* only the sound rule is kept */
	cr_assert_eq(otz_ruleset_count(rs), 1);
	otz_rule_info in;
	cr_assert_eq(otz_ruleset_info(rs, 0, &in), 0);
	cr_expect_str_eq(in.id, "four");
	cr_expect_eq(in.line, 21);
	cr_expect_eq(in.category, OTZ_CAT_HABITAT);
	otz_ruleset_free(rs);
}

Test(rules, comments_and_blank_lines_ignored)
{
	const char *text = "# file header\n"
	                   "\n"
	                   "   \t\n"
	                   "rule: c1\n"
	                   "  # an indented comment inside the rule\n"
	                   "category: buzzword\n"
	                   "\n"
	                   "weight: 3   \n"
	                   "pattern:   \\bsynergy\\b  \n"
	                   "# pattern: \\bnot-a-pattern\\b\n"
	                   "translate:    Meetings.\t\n"
	                   "example: Drive synergy.\n"
	                   "# trailing comment";
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("c.rules", text, &rc, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_eq(otz_ruleset_count(rs), 1);
	otz_rule_info in;
	cr_assert_eq(otz_ruleset_info(rs, 0, &in), 0);
	cr_expect_eq(in.line, 4);
	cr_expect_eq(in.weight, 3);
	cr_expect_eq(in.npatterns, 1);
	cr_expect_str_eq(in.translation, "Meetings.");
	cr_expect_eq(otz_ruleset_compile(rs, 1, &err), 0, "%s", err.msg);
	otz_ruleset_free(rs);
}

Test(rules, crlf_line_endings)
{
	const char *text = "# crlf\r\n"
	                   "rule: crlf-rule\r\n"
	                   "category: weaponry\r\n"
	                   "weight: 7\r\n"
	                   "name: Slide Deck\r\n"
	                   "pattern: \\b(deck)s?$\r\n"
	                   "translate: A $1.\r\n"
	                   "example: Build the deck\r\n"
	                   "counter: decking\r\n";
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("crlf.rules", text, &rc, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	otz_rule_info in;
	cr_assert_eq(otz_ruleset_info(rs, 0, &in), 0);
	cr_expect_str_eq(in.id, "crlf-rule");
	cr_expect_eq(in.line, 2);
	cr_expect_eq(in.category, OTZ_CAT_WEAPONRY);
	cr_expect_str_eq(in.name, "Slide Deck");
	cr_expect_str_eq(in.translation, "A $1.");
	/* the '$' anchor only works if no '\r' was left on the pattern */
	cr_expect_eq(otz_ruleset_compile(rs, 1, &err), 0, "%s", err.msg);
	otz_ruleset_free(rs);

	/* and a CRLF file's diagnostics have the right lines */
	one_diag_case("rule: x\r\ncategory: buzzword\r\nweight: 5\r\npattern: a\r\n"
	              "translate: t\r\nexample: a\r\nwight: 5\r\n",
	              "t.rules:7: unknown key 'wight' (rule, category, weight, pattern, "
	              "translate, translate.FAMILY, mention, org, range, usual, shape, name, "
	              "example, counter)");
}

/* The repository's rules/, read (not compiled). */
static otz_ruleset *real_rules(void)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/rules", root());
	otz_ruleset *rs = NULL;
	otz_error err = {0, ""};
	cr_assert_eq(otz_ruleset_new(&rs), 0);
	cr_assert_eq(otz_ruleset_add_dir(rs, dir, &err), 0, "%s", err.msg);
	return rs;
}

Test(rules, real_rules_folder)
{
	otz_ruleset *rs = real_rules();
	otz_error err = {0, ""};
	cr_assert_eq(otz_ruleset_compile(rs, 1, &err), 0, "%s", err.msg);
	cr_expect_eq(otz_ruleset_diag_count(rs), 0);
	size_t n = otz_ruleset_count(rs);
	cr_expect_geq(n, 150, "only %zu rules", n);
	cr_expect_geq(otz_ruleset_pattern_count(rs), n);
	/* every rule is complete, and files come in name order */
	const char *prev_file = "";
	int cats[OTZ_CAT__COUNT] = {0};
	for (size_t i = 0; i < n; i++) {
		otz_rule_info in;
		cr_assert_eq(otz_ruleset_info(rs, i, &in), 0);
		cr_expect_geq(in.nexamples, 1, "%s", in.id);
		cr_expect_gt(in.line, 0);
		cr_expect_geq(strcmp(in.file, prev_file), 0, "%s before %s", prev_file, in.file);
		prev_file = in.file;
		cr_assert_lt((int)in.category, OTZ_CAT__COUNT);
		if (rs->rules[i].shape != OTZ_MK_NONE) {
			/* a shape rule: no pattern, no weight, no name of its own */
			cr_expect_eq(in.npatterns, 0, "%s", in.id);
			cr_expect_eq(in.category, OTZ_CAT_METRIC, "%s", in.id);
			cats[in.category]++;
			continue;
		}
		cr_expect_geq(in.weight, 1);
		cr_expect_leq(in.weight, 10);
		cr_expect_geq(in.npatterns, 1, "%s", in.id);
		if (in.category == OTZ_CAT_METRIC || in.category == OTZ_CAT_WEAPONRY)
			cr_expect_not_null(in.name, "%s needs a name", in.id);
		cats[in.category]++;
		cr_expect_eq(otz__ruleset_find(rs, in.id), (long)i, "id %s is not unique", in.id);
	}
	for (int c = 0; c < OTZ_CAT__COUNT; c++)
		cr_expect_gt(cats[c], 0, "no %s rule", otz_category_name((otz_category)c));
	otz_ruleset_free(rs);
}

/* Every kind of metric the heuristic finds has its shape rule in the real
 * rules, with at least five reasons for any role, and reasons for the
 * families that meet that kind most. */
Test(rules, real_rules_give_every_shape_its_reasons)
{
	static const struct {
		int kind;
		const char *families[6];
	} want[] = {
		{OTZ_MK_RATIO, {"finance", "operations"}},
		{OTZ_MK_SCORE, {"customer", "sales", "people"}},
		{OTZ_MK_RATE, {"sales", "customer", "operations", "health", "people"}},
		{OTZ_MK_INDEX, {"finance", "operations"}},
		{OTZ_MK_VELOCITY, {"engineering", "product"}},
		{OTZ_MK_SURVEY, {"customer", "people", "retail", "health"}},
		{OTZ_MK_KPI, {NULL}},
		{OTZ_MK_OTHER, {NULL}},
	};
	otz_ruleset *rs = real_rules();
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		const char *kind = otz__metric_kind_name(want[w].kind);
		long i = rs->shape_rule[want[w].kind];
		cr_assert_geq(i, 0, "no shape rule for '%s'", kind);
		const otz_rule *r = &rs->rules[i];
		cr_expect_eq(r->shape, want[w].kind);
		cr_expect(strstr(r->file, "metric-shapes.rules") != NULL, "%s in %s", r->id, r->file);
		size_t plain = 0;
		for (size_t v = 0; v < r->nvariants; v++)
			plain += r->variants[v].family < 0 && !r->variants[v].slots;
		cr_expect_geq(plain, 5, "'%s' has %zu reasons for any role", kind, plain);
		for (size_t k = 0; k < 6 && want[w].families[k]; k++) {
			int fam = otz_family_find(want[w].families[k]);
			size_t n = 0;
			for (size_t v = 0; v < r->nvariants; v++)
				n += r->variants[v].family == fam;
			cr_expect_geq(n, 1, "'%s' has no reason for %s", kind, want[w].families[k]);
		}
	}
	otz_ruleset_free(rs);
}

Test(rules, add_dir_errors)
{
	otz_ruleset *rs = NULL;
	otz_error err = {0, ""};
	cr_assert_eq(otz_ruleset_new(&rs), 0);
	char tmpl[] = "/tmp/otz_rules_XXXXXX";
	char *d = mkdtemp(tmpl);
	cr_assert_not_null(d);
	/* an empty folder has no rules */
	cr_expect_eq(otz_ruleset_add_dir(rs, d, &err), OTZ_ERULE);
	cr_expect_eq(otz_ruleset_count(rs), 0);
	/* a file with a problem: the message names its path and line */
	char path[256];
	snprintf(path, sizeof(path), "%s/a.rules", d);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("rule: x\n" BODY "bogus: 1\n", f);
	fclose(f);
	cr_expect_eq(otz_ruleset_add_dir(rs, d, &err), OTZ_ERULE);
	char want[512];
	snprintf(want, sizeof(want),
	         "%s:7: unknown key 'bogus' (rule, category, weight, pattern, translate, "
	         "translate.FAMILY, mention, org, range, usual, shape, name, example, counter)",
	         path);
	cr_expect_str_eq(err.msg, want);
	unlink(path);
	rmdir(d);
	otz_ruleset_free(rs);
}

Test(rules, catastrophic_pattern_is_bounded)
{
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("evil.rules",
	                        "rule: evil\ncategory: buzzword\nweight: 1\npattern: (a+)+$\n"
	                        "translate: t\nexample: aaaa\n",
	                        &rc, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_eq(otz_ruleset_compile(rs, 1, &err), 0, "%s", err.msg);
	size_t len = 30001;
	char *text = malloc(len + 1);
	cr_assert_not_null(text);
	memset(text, 'a', len - 1);
	text[len - 1] = '!';
	text[len] = '\0';
	pcre2_match_data *md = pcre2_match_data_create(32, NULL);
	cr_assert_not_null(md);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int m = otz__rule_matches(rs, &rs->rules[0], text, len, md, rs->mctx);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_expect_lt(secs, 2.0, "took %.2f s", secs);
	/* "$" cannot follow the '!', so there is no match: 0 or a limit */
	cr_expect_leq(m, 0, "result %d", m);
	/* a subject it does match still matches */
	cr_expect_eq(otz__rule_matches(rs, &rs->rules[0], "aaaa", 4, md, rs->mctx), 1);
	pcre2_match_data_free(md);
	free(text);
	otz_ruleset_free(rs);
}

Test(rules, parse_after_compile_refused)
{
	otz_error err = {0, ""};
	int rc;
	otz_ruleset *rs = parse("good.rules", good, &rc, &err);
	cr_assert_eq(rc, 0);
	cr_assert_eq(otz_ruleset_compile(rs, 1, &err), 0, "%s", err.msg);
	const char *more = "rule: late\n" BODY;
	cr_expect_eq(otz_ruleset_parse(rs, "late.rules", more, strlen(more), &err), OTZ_EINVAL);
	cr_expect_eq(otz_ruleset_count(rs), 1);
	otz_ruleset_free(rs);
}
