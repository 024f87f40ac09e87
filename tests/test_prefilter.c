/*
 * test_prefilter.c - the literal prefilter changes cost, never results.
 *
 * Literal extraction is checked on hand-made patterns (what every match
 * must contain, and the cases that have no such literal); then every
 * corpus record, the sample JD and a few hostile texts are analysed with
 * and without the prefilter against the real rules, and the hits must be
 * identical, hit for hit.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *root(void)
{
	const char *r = getenv("OTIOSE_ROOT");
	return r && *r ? r : ".";
}

static void lit_is(const char *pat, const char *want)
{
	char out[128];
	size_t n = otz__pattern_literal(pat, out, sizeof(out));
	if (!want) {
		cr_assert_eq(n, 0, "%s: got literal '%s'", pat, out);
		return;
	}
	cr_assert_str_eq(out, want, "%s", pat);
	cr_assert_eq(n, strlen(want));
}

Test(prefilter, literal_extraction)
{
	lit_is("\\bteam players?\\b", "team player");
	lit_is("\\bfast[- ]paced\\b", "paced");
	lit_is("\\bwears? (?:many|multiple) hats\\b", " hats"); /* the space is required too */
	lit_is("\\b(rockstar|ninja)s?\\b", NULL);               /* only alternatives */
	lit_is("\\bsynergy\\b|\\bsynergies\\b", NULL);            /* top-level alternation */
	lit_is("\\bself[- ]?starters?\\b", "starter");
	lit_is("\\bgo-getter\\b", "go-getter");
	lit_is("\\bOwnership Mindset\\b", "ownership mindset");  /* caseless: lower-cased */
	lit_is("\\bkpi\\b", "kpi");
	lit_is("\\bai\\b", NULL);                                /* too short to help */
	lit_is("(?x) team \\s player", NULL);                    /* extended mode */
	lit_is("\\Qa.b\\E", NULL);
	lit_is("\\bdrive\\b[^.]{0,40}\\balignment\\b", "alignment");
	lit_is("colou?r scheme", "r scheme");
	lit_is("[]abc] thing", " thing");
}

static void set_is(const char *pat, const char *const *want)
{
	char lits[32][64];
	size_t n = otz__pattern_literals(pat, lits, 32), w = 0;
	while (want[w])
		w++;
	cr_assert_eq(n, w, "%s: %zu literals, wanted %zu", pat, n, w);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(lits[i], want[i], "%s: literal %zu", pat, i);
}

Test(prefilter, literal_sets_for_alternations)
{
	set_is("\\b(rockstar|ninja)s?\\b", (const char *[]){"rockstar", "ninja", NULL});
	set_is("\\bsynergy\\b|\\bsynergies\\b", (const char *[]){"synergy", "synergies", NULL});
	/* the group's shortest literal beats the run " hats"? no: 4 < 5 */
	set_is("\\bwears? (?:many|multiple) hats\\b", (const char *[]){" hats", NULL});
	set_is("\\b(?:salesforce|hubspot|help scout)\\b",
	       (const char *[]){"salesforce", "hubspot", "help scout", NULL});
	/* an optional group offers nothing; a required one does */
	set_is("\\bcross(?:-functional)? teams\\b", (const char *[]){" teams", NULL});
	set_is("\\b(?:driv|grow)\\w* (?:impressions|reach)\\b", (const char *[]){"impressions", "reach", NULL}); /* 5 beats 4 */
	/* an alternative without a literal spoils the set */
	set_is("\\b(?:\\d+|many) years\\b", (const char *[]){" years", NULL});
	set_is("\\b(?:\\d+|ab)\\b", (const char *[]){NULL});
	/* lookarounds are not consumed text */
	set_is("(?<!not )\\bsynergy\\b", (const char *[]){"synergy", NULL});
	set_is("(?:(?i)team|squad) player", (const char *[]){" player", NULL});
}

static otz_engine *engine;

static void setup(void)
{
	char rules[512], corpus[512];
	otz_error err;
	snprintf(rules, sizeof(rules), "%s/rules", root());
	snprintf(corpus, sizeof(corpus), "%s/corpus", root());
	cr_assert_eq(otz_engine_from_sources(&engine, rules, corpus, NULL, &err), 0, "%s", err.msg);
}

static void teardown(void)
{
	otz_engine_free(engine);
}

static void same_hits(otz_session *s, const char *name, const char *text, size_t len)
{
	otz_analysis a, b;
	otz_error err;
	otz_analyze_opts with = {1, 0, NULL}, without = {1, 1, NULL};
	cr_assert_eq(otz__analyze_with(s, &a, text, len, &with, &err), 0, "%s: %s", name, err.msg);
	cr_assert_eq(otz__analyze_with(s, &b, text, len, &without, &err), 0, "%s: %s", name, err.msg);
	cr_assert_eq(a.nhits, b.nhits, "%s: %zu hits with the prefilter, %zu without", name, a.nhits,
	             b.nhits);
	for (size_t i = 0; i < a.nhits; i++) {
		cr_assert(a.hits[i].seg == b.hits[i].seg && a.hits[i].rule == b.hits[i].rule &&
		              a.hits[i].pattern == b.hits[i].pattern && a.hits[i].start == b.hits[i].start &&
		              a.hits[i].end == b.hits[i].end,
		          "%s: hit %zu differs", name, i);
	}
	otz__analysis_dispose(&a);
	otz__analysis_dispose(&b);
}

Test(prefilter, same_hits_as_running_every_pattern, .init = setup, .fini = teardown)
{
	otz_session *s;
	cr_assert_eq(otz_session_new(&s, engine), 0);
	size_t n = otz_engine_specimen_count(engine), total = 0;
	for (size_t i = 0; i < n; i++) {
		const char *t = engine->spec_texts[i];
		same_hits(s, engine->spec_files[i], t, strlen(t));
		otz_analysis a;
		otz_error err;
		cr_assert_eq(otz__analyze(s, &a, t, strlen(t), 1, &err), 0);
		total += a.nhits;
		otz__analysis_dispose(&a);
	}
	cr_assert(total > n * 5, "too few hits (%zu) for the comparison to mean much", total);
	char path[512], *buf;
	size_t len;
	snprintf(path, sizeof(path), "%s/tests/data/sample_jd.txt", root());
	cr_assert_eq(otz__read_file(path, &buf, &len, NULL), 0);
	same_hits(s, "sample", buf, len);
	free(buf);
	static const char *const odd[] = {
		"STAKEHOLDER ALIGNMENT, SYNERGY AND A FAST-PACED ROCKSTAR NINJA GURU!",
		"team-player team player teamplayer t e a m player",
		"“Wear many hats” – we’re a family… ＷＯＲＬＤ－ＣＬＡＳＳ",
		"<li>Self&shy;starter</li><li>go&#8209;getter</li>",
		""};
	for (size_t i = 0; odd[i][0]; i++)
		same_hits(s, odd[i], odd[i], strlen(odd[i]));
	otz_session_free(s);
}

/* The candidates of text under automaton pf, into a malloc'ed array. */
static uint32_t *candidates(const otz_prefilter *pf, size_t np, const char *t, size_t *n)
{
	uint32_t *marks = calloc(np, sizeof(*marks)), *cand = malloc(np * sizeof(*cand));
	cr_assert(marks && cand);
	*n = otz__prefilter_scan(pf, t, strlen(t), marks, 1, cand);
	free(marks);
	return cand;
}

Test(prefilter, the_stored_automaton_is_the_one_built, .init = setup, .fini = teardown)
{
	otz_ruleset *rs = (otz_ruleset *)otz_engine_rules(engine);
	size_t np = otz_ruleset_pattern_count(rs);
	unsigned char *bytes = NULL;
	size_t len = 0;
	otz_prefilter *back = NULL;
	cr_assert_eq(otz__prefilter_encode(engine->pf, &bytes, &len), 0);
	cr_assert_eq(otz__prefilter_decode(&back, rs, bytes, len), 0);
	for (size_t i = 0; i < otz_engine_specimen_count(engine); i++) {
		otz_text t;
		otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
		const char *raw = otz_engine_specimen_text(engine, i);
		cr_assert_eq(otz_normalize(&t, raw, strlen(raw), &no, NULL), 0);
		size_t na, nb;
		uint32_t *a = candidates(engine->pf, np, t.s, &na), *b = candidates(back, np, t.s, &nb);
		cr_assert_eq(nb, na, "%s", otz_engine_specimen_file(engine, i));
		cr_assert(memcmp(a, b, na * sizeof(*a)) == 0, "%s", otz_engine_specimen_file(engine, i));
		free(a);
		free(b);
		otz_text_dispose(&t);
	}
	otz__prefilter_free(back);
	/* Truncated, or another ruleset's: refused. */
	cr_expect_eq(otz__prefilter_decode(&back, rs, bytes, len - 4), OTZ_EDB);
	cr_expect_eq(otz__prefilter_decode(&back, rs, bytes, 10), OTZ_EDB);
	otz_ruleset *small;
	cr_assert_eq(otz_ruleset_new(&small), 0);
	cr_expect_eq(otz__prefilter_decode(&back, small, bytes, len), OTZ_EDB);
	otz_ruleset_free(small);
	/* Bytes changed at random: refused, or an automaton whose scan ends
	 * (its chains all lead to the root). */
	uint32_t x = 2463534242u;
	size_t refused = 0;
	for (int round = 0; round < 300; round++) {
		unsigned char *bad = malloc(len);
		cr_assert(bad);
		memcpy(bad, bytes, len);
		for (int k = 0; k < 4; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			/* Mostly in the links, where a bad value would loop or stray. */
			size_t at = 24 + x % (len - 24);
			bad[at] = (unsigned char)(x >> 24);
		}
		int rc = otz__prefilter_decode(&back, rs, bad, len);
		cr_assert(rc == 0 || rc == OTZ_EDB, "round %d: rc %d", round, rc);
		if (rc == 0) {
			size_t n;
			free(candidates(back, np, "a rockstar ninja to drive cross-functional synergy", &n));
			otz__prefilter_free(back);
		} else {
			refused++;
		}
		free(bad);
	}
	cr_expect_gt(refused, 100, "only %zu of 300 corruptions refused", refused);
	free(bytes);
}
