/*
 * test_score.c - SYSTEM MATCH scoring against the specimens (engine/score.c).
 *
 * A specimen's own record must score 100 % against itself (the same feature
 * function builds both vectors), scores are cosines in [0,1] listed best
 * first, the evidence for a match is made only of rules that hit and terms
 * that occur in the input, and the whole thing is deterministic.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "include/otz.h"
#include "internal.h"
#include "support.h"

#define SEED_TITLE "Lead AI Human-in-the-Loop Integration Specialist"

static otz_record *translate(otz_session *s, const char *in, size_t len, size_t related)
{
	otz_record *r = NULL;
	otz_error err = {0};
	otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
	if (related)
		o.related = related;
	int rc = otz_translate(&r, s, in, len, &o, &err);
	cr_assert_eq(rc, 0, "translate: %s", err.msg);
	return r;
}

static char *to_json(const otz_record *r)
{
	otz_buf b = OTZ_BUF_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	ro.format = OTZ_FORMAT_JSON;
	otz_error err = {0};
	cr_assert_eq(otz_render(&b, r, &ro, &err), 0, "%s", err.msg);
	cr_assert_eq(otz__buf_put(&b, "", 1), 0);
	return b.ptr;
}

static const char seed_illusions[] =
	"Lead onboarding coordination for high-profile or large-scale cohorts ensuring tailored "
	"planning, streamlined execution, and alignment with external funder or partner "
	"expectations.\n"
	"Exposure to human-in-the-loop AI processes and automation in data review workflows.\n"
	"Architect, develop, test, and enhance chatbots using the [website] platform.\n";

Test(score, every_specimen_matches_itself_at_100, .timeout = 20)
{
	otz_engine *e = t_repo_engine();
	otz_session *s = NULL;
	cr_assert_eq(otz_session_new(&s, e), 0);
	size_t ns = otz_engine_specimen_count(e);
	char cdir[4096];
	snprintf(cdir, sizeof(cdir), "%s/corpus", t_root());
	char **files = NULL;
	size_t nfiles = 0;
	otz_error err = {0};
	cr_assert_eq(otz__list_dir(cdir, ".txt", &files, &nfiles, &err), 0, "%s", err.msg);
	cr_assert_eq(ns, nfiles, "specimens %zu, corpus/*.txt %zu", ns, nfiles);
	otz__free_strv(files, nfiles);
	for (size_t i = 0; i < ns; i++) {
		const char *file = otz_engine_specimen_file(e, i);
		const otz_record *sp = otz_engine_specimen(e, i);
		size_t len;
		char *text = t_read_rel("corpus", file, &len);
		otz_record *r = translate(s, text, len, 0);
		cr_assert_geq(r->nrelated, 1, "%s", file);
		cr_expect_str_eq(r->related[0].title, sp->title, "%s: best match %s (%d%%)", file,
		                 r->related[0].title, r->related[0].percent);
		cr_expect_eq(r->related[0].percent, 100, "%s: %d%%", file, r->related[0].percent);
		cr_expect(fabs(r->related[0].score - 1.0) < 1e-4, "%s: score %.6f", file,
		          r->related[0].score);
		/* Only the specimen itself is identical to itself. */
		if (r->nrelated > 1)
			cr_expect_lt(r->related[1].percent, 100, "%s", file);
		otz_record_free(r);
		free(text);
	}
	otz_session_free(s);
	otz_engine_free(e);
}

Test(score, seed_illusions_find_the_seed)
{
	otz_engine *e = t_repo_engine();
	otz_session *s = NULL;
	cr_assert_eq(otz_session_new(&s, e), 0);
	otz_record *r = translate(s, seed_illusions, sizeof(seed_illusions) - 1, 0);
	cr_assert_geq(r->nrelated, 1);
	cr_assert_str_eq(r->related[0].title, SEED_TITLE, "best match: %s (%d%%)",
	                 r->related[0].title, r->related[0].percent);
	/* Three of its own illusions are enough to name it with confidence. */
	cr_assert_geq(r->related[0].percent, 60);
	cr_assert(r->role_known);
	if (r->nrelated > 1)
		cr_assert_gt(r->related[0].score, r->related[1].score);
	otz_record_free(r);
	otz_session_free(s);
	otz_engine_free(e);
}

static void check_sorted(const otz_record *r, const char *what)
{
	for (size_t i = 0; i < r->nrelated; i++) {
		const otz_related *x = &r->related[i];
		cr_assert(x->score > 0.0 && x->score <= 1.0, "%s: match %zu score %f", what, i,
		          x->score);
		cr_assert_eq(x->percent, (int)lround(x->score * 100), "%s: %d%% vs %f", what,
		             x->percent, x->score);
		cr_assert(x->percent >= 0 && x->percent <= 100);
		if (i)
			cr_assert(r->related[i - 1].score >= x->score, "%s: %zu not sorted (%f < %f)",
			          what, i, r->related[i - 1].score, x->score);
	}
}

Test(score, scores_in_range_and_sorted, .timeout = 20)
{
	otz_engine *e = t_repo_engine();
	otz_session *s = NULL;
	cr_assert_eq(otz_session_new(&s, e), 0);
	size_t len;
	char *jd = t_read_rel("tests/data", "sample_jd.txt", &len);
	otz_record *r3 = translate(s, jd, len, 0);
	cr_assert_eq(r3->nrelated, 3, "default is 3 related specimens");
	check_sorted(r3, "sample 3");
	otz_record *r10 = translate(s, jd, len, 10);
	cr_assert_eq(r10->nrelated, 10);
	check_sorted(r10, "sample 10");
	/* The top 3 of a longer list are the default top 3. */
	for (size_t i = 0; i < 3; i++) {
		cr_assert_str_eq(r10->related[i].title, r3->related[i].title);
		cr_assert_eq(r10->related[i].score, r3->related[i].score);
	}
	/* More than the engine keeps is clamped, never overrun. */
	otz_record *rall = translate(s, jd, len, 1000);
	cr_assert_leq(rall->nrelated, 16);
	cr_assert_geq(rall->nrelated, 10);
	check_sorted(rall, "sample all");
	otz_record *rs = translate(s, seed_illusions, sizeof(seed_illusions) - 1, 10);
	check_sorted(rs, "seed illusions");
	otz_record_free(rs);
	otz_record_free(rall);
	otz_record_free(r10);
	otz_record_free(r3);
	free(jd);
	otz_session_free(s);
	otz_engine_free(e);
}

Test(score, no_shared_features_no_related)
{
	otz_engine *e = t_repo_engine();
	otz_session *s = NULL;
	cr_assert_eq(otz_session_new(&s, e), 0);
	static const char in[] = "Zqxv blorfs wuggle.\n";
	otz_record *r = translate(s, in, sizeof(in) - 1, 0);
	cr_assert_eq(r->nrelated, 0, "related to %s", r->nrelated ? r->related[0].title : "");
	otz_record_free(r);
	otz_session_free(s);
	otz_engine_free(e);
}

/* Does the casefolded normalized text contain this (stemmed) term? */
static int term_in(const char *text, const char *term)
{
	if (strstr(text, term))
		return 1;
	/* "strategies" is stemmed to "strategy" */
	size_t n = strlen(term);
	if (n > 1 && term[n - 1] == 'y') {
		char buf[128];
		snprintf(buf, sizeof(buf), "%.*sies", (int)(n - 1), term);
		return strstr(text, buf) != NULL;
	}
	return 0;
}

static void check_evidence(otz_engine *e, otz_session *s, const char *in, size_t len,
                           const char *what)
{
	otz_record *r = translate(s, in, len, 0);
	cr_assert_geq(r->nrelated, 1, "%s", what);
	const otz_related *top = &r->related[0];
	cr_assert_gt(top->nrules, 0, "%s: no rule evidence for %s", what, top->title);
	cr_assert_gt(top->nterms, 0, "%s: no term evidence for %s", what, top->title);
	otz_analysis an;
	otz_error err = {0};
	cr_assert_eq(otz__analyze(s, &an, in, len, 0, &err), 0, "%s", err.msg);
	const otz_ruleset *rs = otz_engine_rules(e);
	for (size_t k = 0; k < top->nrules; k++) {
		long idx = otz__ruleset_find(rs, top->rules[k]);
		cr_assert_geq(idx, 0, "%s: evidence rule '%s' does not exist", what, top->rules[k]);
		int hit = 0;
		for (size_t h = 0; h < an.nhits && !hit; h++)
			hit = an.hits[h].rule == (size_t)idx;
		cr_assert(hit, "%s: evidence rule '%s' did not hit the input", what, top->rules[k]);
		for (size_t j = 0; j < k; j++)
			cr_assert_str_neq(top->rules[j], top->rules[k], "%s: rule listed twice", what);
	}
	for (size_t k = 0; k < top->nterms; k++) {
		cr_assert(term_in(an.text.s, top->terms[k]), "%s: evidence term '%s' not in input",
		          what, top->terms[k]);
		for (size_t j = 0; j < k; j++)
			cr_assert_str_neq(top->terms[j], top->terms[k], "%s: term listed twice", what);
	}
	/* The specimen's own vector must hold every piece of evidence too. */
	size_t spi = SIZE_MAX;
	for (size_t i = 0; i < otz_engine_specimen_count(e); i++)
		if (strcmp(otz_engine_specimen(e, i)->title, top->title) == 0)
			spi = i;
	cr_assert_neq(spi, SIZE_MAX, "%s: no specimen titled %s", what, top->title);
	for (size_t k = 0; k < top->nrules + top->nterms; k++) {
		char key[256];
		if (k < top->nrules)
			snprintf(key, sizeof(key), "r:%s", top->rules[k]);
		else
			snprintf(key, sizeof(key), "w:%s", top->terms[k - top->nrules]);
		long idx = otz__vocab_get(e->vocab, key);
		cr_assert_geq(idx, 0, "%s: %s not in the vocabulary", what, key);
		int in_spec = 0;
		for (size_t v = 0; v < e->veclens[spi] && !in_spec; v++)
			in_spec = e->vecs[spi][v].idx == (uint32_t)idx && e->vecs[spi][v].w > 0;
		cr_assert(in_spec, "%s: %s is not a feature of %s", what, key, top->title);
	}
	otz__analysis_dispose(&an);
	otz_record_free(r);
}

Test(score, evidence_is_shared_and_real, .timeout = 20)
{
	otz_engine *e = t_repo_engine();
	otz_session *s = NULL;
	cr_assert_eq(otz_session_new(&s, e), 0);
	size_t len;
	char *jd = t_read_rel("tests/data", "sample_jd.txt", &len);
	check_evidence(e, s, jd, len, "sample_jd");
	check_evidence(e, s, seed_illusions, sizeof(seed_illusions) - 1, "seed illusions");
	free(jd);
	otz_session_free(s);
	otz_engine_free(e);
}

Test(score, deterministic, .timeout = 20)
{
	otz_engine *e = t_repo_engine();
	otz_session *s1 = NULL, *s2 = NULL;
	cr_assert_eq(otz_session_new(&s1, e), 0);
	cr_assert_eq(otz_session_new(&s2, e), 0);
	size_t len;
	char *jd = t_read_rel("tests/data", "sample_jd.txt", &len);
	otz_record *a = translate(s1, jd, len, 8);
	/* Something else in between, so that stale session state would show. */
	otz_record *x = translate(s1, seed_illusions, sizeof(seed_illusions) - 1, 8);
	otz_record *b = translate(s1, jd, len, 8);
	otz_record *c = translate(s2, jd, len, 8);
	char *ja = to_json(a), *jb = to_json(b), *jc = to_json(c);
	cr_assert_str_eq(jb, ja);
	cr_assert_str_eq(jc, ja);
	cr_assert_eq(a->nrelated, b->nrelated);
	for (size_t i = 0; i < a->nrelated; i++)
		cr_assert_eq(a->related[i].score, b->related[i].score);
	free(ja);
	free(jb);
	free(jc);
	otz_record_free(c);
	otz_record_free(b);
	otz_record_free(x);
	otz_record_free(a);
	free(jd);
	otz_session_free(s2);
	otz_session_free(s1);
	otz_engine_free(e);
}

static const otz_feat *feat(const otz_feat *f, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].key, key) == 0)
			return &f[i];
	return NULL;
}

Test(score, features_words_and_rules)
{
	otz_engine *e = t_repo_engine();
	otz_session *s = NULL;
	cr_assert_eq(otz_session_new(&s, e), 0);
	static const char in[] = "Teams and TEAM strategies for the class of 2024, with PEOPLE.\n"
	                         "Drive alignment with key stakeholders.\n";
	otz_analysis an;
	otz_error err = {0};
	cr_assert_eq(otz__analyze(s, &an, in, sizeof(in) - 1, 0, &err), 0, "%s", err.msg);
	otz_feat *f = NULL;
	size_t nf = 0;
	cr_assert_eq(otz__features(otz_engine_rules(e), &an, &f, &nf), 0);
	for (size_t i = 1; i < nf; i++)
		cr_assert_lt(strcmp(f[i - 1].key, f[i].key), 0, "keys not sorted/unique: %s, %s",
		             f[i - 1].key, f[i].key);
	const otz_feat *t = feat(f, nf, "w:team");
	cr_assert(t, "w:team missing");
	cr_assert_eq(t->tf, 2.0);
	cr_assert(feat(f, nf, "w:strategy"), "plural -ies not stemmed");
	cr_assert(feat(f, nf, "w:class"), "'class' must keep its s");
	cr_assert(feat(f, nf, "w:people"));
	cr_assert_null(feat(f, nf, "w:and"), "stop word kept");
	cr_assert_null(feat(f, nf, "w:the"), "stop word kept");
	cr_assert_null(feat(f, nf, "w:2024"), "number kept");
	cr_assert_null(feat(f, nf, "w:teams"));
	size_t words = 0, rules = 0;
	for (size_t i = 0; i < nf; i++) {
		if (strncmp(f[i].key, "w:", 2) == 0)
			words++;
		else if (strncmp(f[i].key, "r:", 2) == 0)
			rules++;
	}
	cr_assert_eq(words, 8, "team strategy class people drive alignment key stakeholder");
	cr_assert(feat(f, nf, "w:stakeholder"));
	cr_assert(feat(f, nf, "r:drive-alignment"), "the drive-alignment rule did not hit");
	cr_assert_eq(rules + words, nf);
	/* One r: feature per distinct rule that hit, its count the number of hits. */
	size_t distinct = 0;
	for (size_t h = 0; h < an.nhits; h++) {
		int seen = 0;
		for (size_t k = 0; k < h && !seen; k++)
			seen = an.hits[k].rule == an.hits[h].rule;
		distinct += !seen;
		char key[256];
		snprintf(key, sizeof(key), "r:%s", otz_engine_rules(e)->rules[an.hits[h].rule].id);
		cr_assert(feat(f, nf, key), "%s missing", key);
	}
	cr_assert_eq(rules, distinct);
	otz__feats_free(f, nf);
	otz__analysis_dispose(&an);
	otz_session_free(s);
	otz_engine_free(e);
}
