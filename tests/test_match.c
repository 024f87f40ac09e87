/*
 * test_match.c - otz__analyze / otz__match: normalize, segment and match
 * one input, with an engine built from a small rules file and the seed
 * record (so that every hit is predictable).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "include/otz.h"
#include "internal.h"
#include "support.h"

static const char base_rules[] =
	"rule: ninja\ncategory: red-flag\nweight: 6\npattern: \\b(ninja|rockstar)\\b\n"
	"translate: a $1\nexample: We need a ninja.\n\n"
	"rule: synergy\ncategory: buzzword\nweight: 6\npattern: \\bsynergy\\b\n"
	"translate: meetings\nexample: Drive synergy.\n\n"
	"rule: synergy-long\ncategory: buzzword\nweight: 6\npattern: \\bcross-team synergy\\b\n"
	"translate: more meetings\nexample: Drive cross-team synergy.\n\n"
	"rule: stakeholders\ncategory: buzzword\nweight: 9\npattern: \\bstakeholders?\\b\n"
	"translate: bosses\nexample: Delight stakeholders.\n\n"
	"rule: agile\ncategory: buzzword\nweight: 3\npattern: \\bscrum\\b\npattern: \\bagile\\b\n"
	"translate: standups\nexample: agile scrum\nexample: agile only\n\n"
	"rule: budget\ncategory: buzzword\nweight: 2\npattern: \\bbudget\\b\n"
	"translate: costs $$5\nexample: no budget\n";

static const char evil_rule[] =
	"\nrule: evil\ncategory: buzzword\nweight: 1\npattern: (a+)+$\n"
	"translate: t\nexample: aaaa\n";

static size_t rule_ix(const t_fixture *f, const char *id)
{
	long i = otz__ruleset_find(otz_engine_rules(f->e), id);
	cr_assert_geq(i, 0, "no rule %s", id);
	return (size_t)i;
}

static void expect_hit(const t_fixture *f, size_t k, size_t seg, const char *rule, size_t start,
                       size_t end)
{
	cr_assert_lt(k, f->an.nhits, "hit %zu missing (%zu hits)", k, f->an.nhits);
	const otz_hit *h = &f->an.hits[k];
	cr_expect_eq(h->seg, seg, "hit %zu seg %zu, want %zu", k, h->seg, seg);
	cr_expect_eq(h->rule, rule_ix(f, rule), "hit %zu rule %zu, want %s", k, h->rule, rule);
	cr_expect_eq(h->start, start, "hit %zu start %zu, want %zu", k, h->start, start);
	cr_expect_eq(h->end, end, "hit %zu end %zu, want %zu", k, h->end, end);
	cr_expect_eq(h->cap[0], start);
	cr_expect_eq(h->cap[1], end);
}

Test(match, analyze_hits_and_offsets)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	t_analyze(&f, "We need a Ninja. Drive synergy with stakeholders.\n\xe2\x80\xa2 Budget review");
	cr_assert_str_eq(f.an.text.s,
	                 "we need a ninja. drive synergy with stakeholders.\n- budget review");
	cr_assert_eq(f.an.nsegs, 3);
	cr_expect_eq(f.an.segs[0].start, 0);
	cr_expect_eq(f.an.segs[0].end, 16);
	cr_expect_eq(f.an.segs[1].start, 17);
	cr_expect_eq(f.an.segs[1].end, 49);
	cr_expect_eq(f.an.segs[2].start, 52);
	cr_expect_eq(f.an.segs[2].end, 65);
	cr_expect_eq(f.an.segs[2].kind, OTZ_SEG_ITEM);
	cr_assert_eq(f.an.nhits, 4);
	expect_hit(&f, 0, 0, "ninja", 10, 15);
	expect_hit(&f, 1, 1, "synergy", 23, 30);
	expect_hit(&f, 2, 1, "stakeholders", 36, 48);
	expect_hit(&f, 3, 2, "budget", 52, 58);
	/* the capture of the ninja rule is the word itself; unset groups are
	 * marked SIZE_MAX */
	const otz_hit *h = &f.an.hits[0];
	cr_expect_eq(h->ncap, 2);
	cr_expect_eq(h->cap[2], 10);
	cr_expect_eq(h->cap[3], 15);
	cr_expect_eq(h->cap[4], SIZE_MAX);
	cr_expect_eq(h->cap[19], SIZE_MAX);
	cr_expect_eq(f.an.hits[1].ncap, 1);
	cr_expect_eq(f.an.hits[1].cap[2], SIZE_MAX);
	/* the hit maps back to the original wording */
	otz_span sp = otz__src_span(&f.an.text, h->start, h->end);
	cr_expect_eq(sp.start, 10);
	cr_expect_eq(sp.end, 15);
	cr_expect_eq(f.an.limit_hits, 0);
	t_fx_close(&f);
}

Test(match, one_hit_per_rule_per_segment)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	/* the same rule three times in one sentence: one hit, the leftmost */
	t_analyze(&f, "Rockstar and ninja and rockstar wanted.");
	cr_assert_eq(f.an.nhits, 1);
	expect_hit(&f, 0, 0, "ninja", 0, 8);
	cr_expect_eq(f.an.hits[0].cap[2], 0);
	cr_expect_eq(f.an.hits[0].cap[3], 8);
	otz__analysis_dispose(&f.an);

	/* two patterns of one rule both match: the first pattern wins, even
	 * though the second matches further left */
	t_analyze(&f, "Agile scrum rituals.");
	cr_assert_eq(f.an.nhits, 1);
	expect_hit(&f, 0, 0, "agile", 6, 11);
	cr_expect_eq(f.an.hits[0].pattern, 0);
	otz__analysis_dispose(&f.an);

	t_analyze(&f, "Agile only.");
	cr_assert_eq(f.an.nhits, 1);
	expect_hit(&f, 0, 0, "agile", 0, 5);
	cr_expect_eq(f.an.hits[0].pattern, 1);
	otz__analysis_dispose(&f.an);

	/* the same rule in two sentences: one hit in each */
	t_analyze(&f, "Ninja one. Ninja two.");
	cr_assert_eq(f.an.nhits, 2);
	expect_hit(&f, 0, 0, "ninja", 0, 5);
	expect_hit(&f, 1, 1, "ninja", 11, 16);
	t_fx_close(&f);
}

Test(match, hits_stored_in_segment_then_rule_order)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	t_analyze(&f, "Budget for stakeholders, synergy and a ninja. Nothing. Scrum budget.");
	cr_assert_eq(f.an.nsegs, 3);
	cr_assert_eq(f.an.nhits, 6);
	/* segment 0: rules in load order, not in text order */
	expect_hit(&f, 0, 0, "ninja", 39, 44);
	expect_hit(&f, 1, 0, "synergy", 25, 32);
	expect_hit(&f, 2, 0, "stakeholders", 11, 23);
	expect_hit(&f, 3, 0, "budget", 0, 6);
	expect_hit(&f, 4, 2, "agile", 55, 60);
	expect_hit(&f, 5, 2, "budget", 61, 67);
	t_fx_close(&f);
}

Test(match, patterns_see_normalized_text)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	/* full-width letters, a soft hyphen and HTML all normalize away */
	t_analyze(&f, "<p>Hire a \xef\xbc\xae\xef\xbc\xa9\xef\xbc\xae\xef\xbc\xaa\xef\xbc\xa1 and "
	            "stake\xc2\xadholders</p>");
	cr_assert_str_eq(f.an.text.s, "hire a ninja and stakeholders");
	cr_assert_eq(f.an.nhits, 2);
	expect_hit(&f, 0, 0, "ninja", 7, 12);
	expect_hit(&f, 1, 0, "stakeholders", 17, 29);
	/* and the spans land on the original bytes */
	otz_span sp = otz__src_span(&f.an.text, 7, 12);
	cr_expect_eq(sp.start, 10);
	cr_expect_eq(sp.end, 25);
	t_fx_close(&f);
}

Test(match, no_hits_and_empty_input)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	t_analyze(&f, "Plain words. Nothing else.");
	cr_expect_eq(f.an.nsegs, 2);
	cr_expect_eq(f.an.nhits, 0);
	otz__analysis_dispose(&f.an);
	t_analyze(&f, "   \n\t ");
	cr_expect_eq(f.an.nsegs, 0);
	cr_expect_eq(f.an.nhits, 0);
	otz__analysis_dispose(&f.an);
	/* invalid UTF-8 fails unless lossy */
	otz_error err = {0, ""};
	cr_expect_eq(otz__analyze(f.s, &f.an, "a ninja\x80", 8, 0, &err), OTZ_EUTF8);
	cr_expect_str_eq(err.msg, "invalid UTF-8 at byte 7 (0x80)");
	cr_assert_eq(otz__analyze(f.s, &f.an, "a ninja\x80", 8, 1, &err), 0);
	cr_expect_eq(f.an.text.replaced, 1);
	cr_assert_eq(f.an.nhits, 1);
	expect_hit(&f, 0, 0, "ninja", 2, 7);
	t_fx_close(&f);
}

Test(match, catastrophic_pattern_hits_limit_not_hang)
{
	t_fixture f;
	char rules[sizeof(base_rules) + sizeof(evil_rule)];
	snprintf(rules, sizeof(rules), "%s%s", base_rules, evil_rule);
	t_fx_open(&f, rules);
	size_t na = 30000;
	const char *tail = "!\nWe need a ninja.";
	char *input = malloc(na + strlen(tail) + 1);
	cr_assert_not_null(input);
	memset(input, 'a', na);
	strcpy(input + na, tail);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	otz_error err = {0, ""};
	int rc = otz__analyze(f.s, &f.an, input, strlen(input), 0, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_expect_lt(secs, 2.0, "took %.2f s", secs);
	cr_assert_eq(f.an.nsegs, 2);
	/* the evil pattern gave up on the long segment and was counted; the
	 * rest of the input was still matched */
	cr_expect_geq(f.an.limit_hits, 1, "limit_hits %zu", f.an.limit_hits);
	size_t evil = rule_ix(&f, "evil");
	for (size_t i = 0; i < f.an.nhits; i++)
		cr_expect_neq(f.an.hits[i].rule, evil, "evil matched at %zu", f.an.hits[i].start);
	cr_assert_eq(f.an.nhits, 1);
	expect_hit(&f, 0, 1, "ninja", na + 12, na + 17);
	free(input);
	t_fx_close(&f);
}

static const char claim_rules[] =
	"rule: recommenders\ncategory: buzzword\nweight: 5\npattern: \\brecommend(?:er|ation) "
	"(?:systems?|engines?)\\b\ntranslate: pins win\nexample: Build recommender systems.\n\n"
	"rule: mission\ncategory: buzzword\nweight: 5\norg: yes\npattern: \\bon a mission\\b\n"
	"translate: no salary band\nexample: We are on a mission.\n\n"
	"rule: languages\ncategory: buzzword\nweight: 4\nmention: yes\npattern: \\bpython\\b\n"
	"translate: whichever they use\nexample: Python.\n\n"
	"rule: pe\ncategory: habitat\nweight: 5\npattern: \\bprivate equity\\b\n"
	"translate: a fund owns it\nexample: backed by private equity\n";

static size_t hits_of(const t_fixture *f, const char *rule)
{
	size_t n = 0, r = rule_ix(f, rule);
	for (size_t k = 0; k < f->an.nhits; k++)
		n += f->an.hits[k].rule == r;
	return n;
}

Test(match, a_sentence_about_the_company_keeps_only_the_company_rules)
{
	t_fixture f;
	t_fx_open(&f, claim_rules);
	t_analyze(&f, "We are a leading provider of recommendation engines on a mission to help "
	              "shops, backed by private equity.\nYou will build recommender systems.");
	/* The company sentence: its own rule and the habitat, not the role's
	 * practice; the second sentence names the hire and is the role's. */
	cr_expect_eq(hits_of(&f, "recommenders"), 1);
	cr_expect_eq(f.an.hits[0].seg == 0 && f.an.hits[0].rule == rule_ix(&f, "recommenders"), 0);
	cr_expect_eq(hits_of(&f, "mission"), 1);
	cr_expect_eq(hits_of(&f, "pe"), 1);
	t_fx_close(&f);
}

Test(match, an_item_of_an_enumeration_is_a_mention)
{
	t_fixture f;
	t_fx_open(&f, claim_rules);
	t_analyze(&f, "Knowledge of statistics / machine learning / recommender systems / NLP.\n"
	              "Experience with SQL, Spark, recommendation engines, and Python.\n"
	              "Build recommender systems for the storefront, with product and design.\n"
	              "Python.");
	/* Two enumerations: no practice hit; the clause that says to build one
	 * is a claim; a rule that mocks the mention fires in a list too. */
	cr_expect_eq(hits_of(&f, "recommenders"), 1);
	for (size_t k = 0; k < f.an.nhits; k++)
		if (f.an.hits[k].rule == rule_ix(&f, "recommenders"))
			cr_expect_eq(f.an.hits[k].seg, 2);
	cr_expect_eq(hits_of(&f, "languages"), 2);
	t_fx_close(&f);
	/* A company's list of what it is: the claim itself. */
	t_fx_open(&f, claim_rules);
	t_analyze(&f, "Our values are simple: on a mission, integrity, trust and speed.");
	cr_expect_eq(hits_of(&f, "mission"), 1);
	t_fx_close(&f);
}

/* Where the candidate has worked is not what this employer is: a habitat
 * rule does not fire after a word of experience, and does when the
 * employer speaks of itself, its years included. */
Test(match, a_candidates_past_employer_is_not_the_habitat)
{
	static const char *const past[] = {
		"Five or more years of experience in operations, preferably at a firm backed by "
		"private equity.",
		"Experience at a company backed by private equity is a plus.",
		"3+ years selling software to companies backed by private equity.",
		"A background in firms backed by private equity.",
		"You have worked for a portfolio company backed by private equity."};
	static const char *const ours[] = {
		"For more than 20 years, we have been backed by private equity.",
		"We deliver a better customer experience and are backed by private equity.",
		"Our background check is standard; we are backed by private equity."};
	t_fixture f;
	for (size_t i = 0; i < sizeof(past) / sizeof(*past); i++) {
		t_fx_open(&f, claim_rules);
		t_analyze(&f, past[i]);
		cr_expect_eq(hits_of(&f, "pe"), 0, "%s", past[i]);
		t_fx_close(&f);
	}
	for (size_t i = 0; i < sizeof(ours) / sizeof(*ours); i++) {
		t_fx_open(&f, claim_rules);
		t_analyze(&f, ours[i]);
		cr_expect_eq(hits_of(&f, "pe"), 1, "%s", ours[i]);
		t_fx_close(&f);
	}
}

/* t_small_engine(rules), saved to a database under dir and loaded back: an
 * engine whose ruleset is compiled as matching needs it. */
static otz_engine *db_engine(const char *rules, const char *dir, const char *sql)
{
	char db[128];
	otz_engine *src = t_small_engine(rules), *e = NULL;
	otz_error err = {0, ""};
	snprintf(db, sizeof(db), "%s/t.db", dir);
	cr_assert_eq(otz_engine_save(src, db, &err), 0, "save: %s", err.msg);
	otz_engine_free(src);
	if (sql)
		cr_assert_eq(t_sh("sqlite3 '%s' \"%s\"", db, sql), 0, "%s", sql);
	cr_assert_eq(otz_engine_load(&e, db, &err), 0, "load: %s", err.msg);
	return e;
}

static const otz_pattern *pattern_of(const otz_engine *e, const char *rule, size_t p)
{
	const otz_ruleset *rs = otz_engine_rules(e);
	long i = otz__ruleset_find(rs, rule);
	cr_assert_geq(i, 0, "no rule %s", rule);
	return &rs->rules[i].patterns[p];
}

static const pcre2_code *code_of(const otz_engine *e, const char *rule, size_t p)
{
	return atomic_load(&pattern_of(e, rule, p)->code);
}

static const char *src_of(const otz_engine *e, const char *rule, size_t p)
{
	return atomic_load(&pattern_of(e, rule, p)->src);
}

Test(match, a_loaded_ruleset_reads_and_compiles_a_pattern_when_a_segment_first_needs_it)
{
	char dir[64];
	t_mkdtemp(dir, sizeof(dir), "lazy");
	t_fixture f, g;
	t_fx_open(&f, base_rules);
	memset(&g, 0, sizeof(g));
	g.e = db_engine(base_rules, dir, NULL);
	cr_assert_eq(otz_session_new(&g.s, g.e), 0);
	/* Nothing is compiled at load, nor is any source read. */
	cr_expect_null(code_of(g.e, "ninja", 0));
	cr_expect_null(code_of(g.e, "budget", 0));
	cr_expect_null(src_of(g.e, "ninja", 0));
	static const char in[] = "We need a Ninja. Drive synergy with stakeholders.\nagile only";
	t_analyze(&f, in);
	t_analyze(&g, in);
	/* The candidates are compiled, and only they: no segment names a budget,
	 * and scrum's literal is in no segment either. */
	cr_expect_not_null(code_of(g.e, "ninja", 0));
	cr_expect_not_null(code_of(g.e, "agile", 1));
	cr_expect_null(code_of(g.e, "budget", 0));
	cr_expect_null(code_of(g.e, "agile", 0));
	cr_expect_str_eq(src_of(g.e, "ninja", 0), src_of(f.e, "ninja", 0));
	cr_expect_null(src_of(g.e, "budget", 0));
	/* The hits are those of the engine compiled whole from the rules. */
	cr_assert_eq(g.an.nhits, f.an.nhits);
	for (size_t k = 0; k < f.an.nhits; k++)
		cr_expect(memcmp(&g.an.hits[k], &f.an.hits[k], sizeof(otz_hit)) == 0, "hit %zu", k);
	t_fx_close(&g);
	t_fx_close(&f);
	t_rmtree(dir);
}

/* Threads sharing one loaded engine, each with its own session, analysing
 * the same posting at once: the first use of each pattern races. */
typedef struct racer {
	const otz_engine *e;
	const char *in;
	size_t nhits;
	otz_hit hits[16];
	int rc;
} racer;

static void *race(void *arg)
{
	racer *r = arg;
	otz_session *s = NULL;
	otz_analysis an;
	otz_error err = {0, ""};
	if ((r->rc = otz_session_new(&s, r->e)))
		return NULL;
	if (!(r->rc = otz__analyze(s, &an, r->in, strlen(r->in), 0, &err))) {
		r->nhits = an.nhits;
		memcpy(r->hits, an.hits, (an.nhits < 16 ? an.nhits : 16) * sizeof(otz_hit));
		otz__analysis_dispose(&an);
	}
	otz_session_free(s);
	return NULL;
}

Test(match, threads_compiling_the_same_patterns_at_once_agree)
{
	char dir[64];
	t_mkdtemp(dir, sizeof(dir), "race");
	otz_engine *e = db_engine(base_rules, dir, NULL);
	static const char in[] =
		"We need a rockstar. Drive cross-team synergy.\nStakeholders love scrum. Budget: none.";
	enum { N = 4 };
	racer r[N];
	pthread_t tid[N];
	for (int i = 0; i < N; i++) {
		r[i] = (racer){e, in, 0, {{0}}, 0};
		cr_assert_eq(pthread_create(&tid[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < N; i++)
		pthread_join(tid[i], NULL);
	cr_assert_eq(r[0].rc, 0);
	cr_assert_geq(r[0].nhits, 4, "%zu hits", r[0].nhits);
	for (int i = 1; i < N; i++) {
		cr_assert_eq(r[i].rc, 0);
		cr_assert_eq(r[i].nhits, r[0].nhits);
		cr_expect(memcmp(r[i].hits, r[0].hits, r[0].nhits * sizeof(otz_hit)) == 0, "thread %d", i);
	}
	otz_engine_free(e);
	t_rmtree(dir);
}

Test(match, a_pattern_of_a_corrupt_database_that_does_not_compile_is_skipped_and_noted)
{
	char dir[64];
	t_mkdtemp(dir, sizeof(dir), "badpat");
	t_fixture f;
	memset(&f, 0, sizeof(f));
	/* The pattern of rule 'ninja' (ord 0) given a quantifier whose numbers
	 * are out of order: its literal still makes it a candidate where the
	 * posting says "ninja". */
	f.e = db_engine(base_rules, dir,
	                "UPDATE patterns SET pattern = '\\bninja\\b\\d{2,1}' "
	                "WHERE rule_ord = 0 AND idx = 0");
	cr_assert_eq(otz_session_new(&f.s, f.e), 0);
	t_analyze(&f, "We need a ninja. Drive synergy.");
	/* Skipped on its segment and noted as a limit is; the rest matched. */
	cr_expect_eq(f.an.limit_hits, 1, "limit_hits %zu", f.an.limit_hits);
	cr_expect_eq(f.an.limits[0].rule, rule_ix(&f, "ninja"));
	cr_assert_eq(f.an.nhits, 1);
	expect_hit(&f, 0, 1, "synergy", 23, 30);
	t_fx_close(&f);
	t_rmtree(dir);
}
