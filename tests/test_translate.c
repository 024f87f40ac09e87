/*
 * test_translate.c - choosing the winning hit of a segment
 * (otz__best_hit), expanding a translation template with captures quoted
 * in the original wording (otz__expand, otz__display), and otz_translate on
 * the seed record's own LINKEDIN ILLUSION sentences with the real rules.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	"translate: costs $$5\nexample: no budget\n\n"
	"rule: paradigm-a\ncategory: buzzword\nweight: 5\npattern: \\bparadigm\\b\n"
	"translate: A\nexample: paradigm\n\n"
	"rule: paradigm-b\ncategory: buzzword\nweight: 5\npattern: \\bparadigm\\b\n"
	"translate: B\nexample: paradigm\n";

static size_t rule_ix(const t_fixture *f, const char *id)
{
	long i = otz__ruleset_find(otz_engine_rules(f->e), id);
	cr_assert_geq(i, 0, "no rule %s", id);
	return (size_t)i;
}

/* Best hit of segment `seg`: the rule id, or NULL for none. */
static const char *best_rule(const t_fixture *f, size_t seg)
{
	long b = otz__best_hit(otz_engine_rules(f->e), &f->an, seg);
	if (b < 0)
		return NULL;
	cr_assert_lt((size_t)b, f->an.nhits);
	cr_assert_eq(f->an.hits[b].seg, seg, "best hit of seg %zu is in seg %zu", seg,
	             f->an.hits[b].seg);
	return otz_engine_rules(f->e)->rules[f->an.hits[b].rule].id;
}

Test(translate, best_hit_higher_weight_wins)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	/* synergy (6) comes first and stakeholders (9) is later and shorter:
	 * weight decides */
	t_analyze(&f, "Drive synergy with stakeholders.");
	cr_assert_eq(f.an.nhits, 2);
	cr_expect_str_eq(best_rule(&f, 0), "stakeholders");
	t_fx_close(&f);
}

Test(translate, best_hit_longer_match_breaks_weight_tie)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	/* synergy and synergy-long both weigh 6; the longer match wins though
	 * synergy was loaded first */
	t_analyze(&f, "Drive cross-team synergy.");
	cr_assert_eq(f.an.nhits, 2);
	cr_expect_str_eq(best_rule(&f, 0), "synergy-long");
	t_fx_close(&f);
}

Test(translate, best_hit_earlier_rule_breaks_full_tie)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	t_analyze(&f, "A new paradigm.");
	cr_assert_eq(f.an.nhits, 2);
	cr_expect_str_eq(best_rule(&f, 0), "paradigm-a");
	t_fx_close(&f);
}

/* The tie-breaks do not depend on the order hits are stored in within a
 * segment: hand-made hits, in the reverse of load order. */
Test(translate, best_hit_independent_of_hit_order)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	const otz_ruleset *rs = otz_engine_rules(f.e);
	otz_hit hits[3];
	memset(hits, 0, sizeof(hits));
	f.an.hits = hits;
	f.an.nhits = 2;

	/* full tie: the earlier-loaded rule, stored second */
	hits[0] = (otz_hit){.seg = 0, .rule = rule_ix(&f, "paradigm-b"), .start = 0, .end = 8};
	hits[1] = (otz_hit){.seg = 0, .rule = rule_ix(&f, "paradigm-a"), .start = 20, .end = 28};
	cr_expect_eq(otz__best_hit(rs, &f.an, 0), 1);

	/* longer beats earlier */
	hits[0] = (otz_hit){.seg = 0, .rule = rule_ix(&f, "paradigm-a"), .start = 0, .end = 3};
	hits[1] = (otz_hit){.seg = 0, .rule = rule_ix(&f, "paradigm-b"), .start = 5, .end = 13};
	cr_expect_eq(otz__best_hit(rs, &f.an, 0), 1);

	/* heavier beats longer and earlier */
	hits[0] = (otz_hit){.seg = 0, .rule = rule_ix(&f, "synergy-long"), .start = 0, .end = 18};
	hits[1] = (otz_hit){.seg = 0, .rule = rule_ix(&f, "stakeholders"), .start = 30, .end = 35};
	cr_expect_eq(otz__best_hit(rs, &f.an, 0), 1);

	/* segments are found by their first hit: 3 hits over segments 0, 2, 2 */
	f.an.nhits = 3;
	hits[0] = (otz_hit){.seg = 0, .rule = rule_ix(&f, "stakeholders"), .start = 0, .end = 5};
	hits[1] = (otz_hit){.seg = 2, .rule = rule_ix(&f, "budget"), .start = 40, .end = 46};
	hits[2] = (otz_hit){.seg = 2, .rule = rule_ix(&f, "ninja"), .start = 50, .end = 55};
	cr_expect_eq(otz__best_hit(rs, &f.an, 0), 0);
	cr_expect_eq(otz__best_hit(rs, &f.an, 1), -1);
	cr_expect_eq(otz__best_hit(rs, &f.an, 2), 2);
	cr_expect_eq(otz__best_hit(rs, &f.an, 3), -1);
	f.an.hits = NULL;
	f.an.nhits = 0;
	t_fx_close(&f);
}

Test(translate, best_hit_per_segment)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	t_analyze(&f, "Drive synergy. Nothing here. We need a ninja and a budget.");
	cr_assert_eq(f.an.nsegs, 3);
	cr_expect_str_eq(best_rule(&f, 0), "synergy");
	cr_expect_null(best_rule(&f, 1));
	cr_expect_str_eq(best_rule(&f, 2), "ninja");
	t_fx_close(&f);
}

/* Expand `tmpl` with the first hit of `rule` on `input`. */
static void check_expand(t_fixture *f, const char *input, const char *rule, const char *tmpl,
                         const char *want)
{
	t_analyze(f, input);
	size_t r = rule_ix(f, rule);
	const otz_hit *h = NULL;
	for (size_t i = 0; i < f->an.nhits && !h; i++)
		if (f->an.hits[i].rule == r)
			h = &f->an.hits[i];
	cr_assert_not_null(h, "no %s hit in \"%s\"", rule, input);
	otz_arena *a = otz__arena_new();
	cr_assert_not_null(a);
	if (!tmpl)
		tmpl = otz_engine_rules(f->e)->rules[r].translation;
	char *got = otz__expand(a, tmpl, h, &f->an, input, NULL);
	cr_assert_not_null(got);
	cr_expect_str_eq(got, want, "expand(\"%s\") on \"%s\"", tmpl, input);
	otz__arena_free(a);
	otz__analysis_dispose(&f->an);
}

Test(translate, expand_quotes_original_wording)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	check_expand(&f, "We need a NINJA.", "ninja", NULL, "a NINJA");
	check_expand(&f, "Be our Rockstar!", "ninja", NULL, "a Rockstar");
	/* compatibility forms match as their plain letters but are quoted as
	 * the posting wrote them */
	check_expand(&f, "We need a \xef\xbc\xae\xef\xbd\x89\xef\xbd\x8e\xef\xbd\x8a\xef\xbd\x81.",
	             "ninja", NULL, "a \xef\xbc\xae\xef\xbd\x89\xef\xbd\x8e\xef\xbd\x8a\xef\xbd\x81");
	/* markup and soft hyphens inside the quoted span are not shown */
	check_expand(&f, "<p>Hire a <b>NINJA</b></p>", "ninja", NULL, "a NINJA");
	check_expand(&f, "A nin\xc2\xadja, please.", "ninja", NULL, "a ninja");
	/* the capture is taken from the right place when several sentences
	 * precede it */
	check_expand(&f, "First sentence. Second one.\n\xe2\x80\xa2 Seek a RockStar",
	             "ninja", NULL, "a RockStar");
	t_fx_close(&f);
}

Test(translate, expand_template_syntax)
{
	t_fixture f;
	t_fx_open(&f, base_rules);
	check_expand(&f, "No budget.", "budget", NULL, "costs $5");
	check_expand(&f, "We need a NINJA.", "ninja", "[$1|$0|$$|$x|$]", "[NINJA|NINJA|$|$x|$]");
	/* a group the pattern does not have (or that is unset) quotes nothing */
	check_expand(&f, "We need a NINJA.", "ninja", "<$3>", "<>");
	check_expand(&f, "We need a NINJA.", "ninja", "plain text", "plain text");
	check_expand(&f, "We need a NINJA.", "ninja", "", "");
	t_fx_close(&f);
}

Test(translate, display_text)
{
	otz_arena *a = otz__arena_new();
	cr_assert_not_null(a);
	const char *in = "  Hello\n  W\xc3\xb6rld  \xe2\x80\x94 \xef\xac\x81ne";
	/* whitespace collapsed, the dash and the ligature the posting's own */
	cr_expect_str_eq(otz__display(a, in, 0, strlen(in)),
	                 "Hello W\xc3\xb6rld \xe2\x80\x94 \xef\xac\x81ne");
	/* smart quotes stay smart */
	const char *q = "\xe2\x80\x9cRockstar\xe2\x80\x9d, you\xe2\x80\x99ll";
	cr_expect_str_eq(otz__display(a, q, 0, strlen(q)), q);
	/* a bullet's list marker is not shown */
	const char *b = "\xe2\x80\xa2 Own the Roadmap";
	cr_expect_str_eq(otz__display(a, b, 0, strlen(b)), "Own the Roadmap");
	/* a sub-range */
	cr_expect_str_eq(otz__display(a, in, 2, 7), "Hello");
	cr_expect_str_eq(otz__display(a, in, 5, 5), "");
	otz__arena_free(a);
}

static const char *const seed_sentences[3] = {
	"Lead onboarding coordination for high-profile or large-scale cohorts ensuring tailored "
	"planning, streamlined execution, and alignment with external funder or partner "
	"expectations.",
	"Exposure to human-in-the-loop AI processes and automation in data review workflows.",
	"Architect, develop, test, and enhance chatbots using the [website] platform.",
};

Test(translate, seed_illusions_with_real_rules)
{
	char rdir[4096], cdir[4096];
	snprintf(rdir, sizeof(rdir), "%s/rules", t_root());
	snprintf(cdir, sizeof(cdir), "%s/corpus", t_root());
	otz_engine *e = NULL;
	otz_session *s = NULL;
	otz_error err = {0, ""};
	cr_assert_eq(otz_engine_from_sources(&e, rdir, cdir, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(otz_session_new(&s, e), 0);

	char input[1024];
	snprintf(input, sizeof(input), "%s\n%s\n%s\n", seed_sentences[0], seed_sentences[1],
	         seed_sentences[2]);
	otz_record *r = NULL;
	/* A title that names no specimen: the role is not known, so the
	 * sentences take the rules' general translations. */
	otz_translate_options to = OTZ_TRANSLATE_OPTIONS_INIT;
	to.title = "Zookeeper";
	cr_assert_eq(otz_translate(&r, s, input, strlen(input), &to, &err), 0, "%s", err.msg);
	cr_expect_eq(r->is_translation, 1);
	cr_expect_eq(r->role_known, 0);
	cr_expect_eq(r->nsegments, 3);
	cr_assert_eq(r->nautopsy, 3);
	const otz_ruleset *rs = otz_engine_rules(e);
	size_t off = 0;
	for (size_t i = 0; i < 3; i++) {
		const otz_autopsy *a = &r->autopsy[i];
		cr_assert_not_null(a->rule_id);
		long ri = otz__ruleset_find(rs, a->rule_id);
		cr_assert_geq(ri, 0, "unknown rule %s", a->rule_id);
		otz_rule_info in;
		cr_assert_eq(otz_ruleset_info(rs, (size_t)ri, &in), 0);
		const char *base = strrchr(in.file, '/');
		base = base ? base + 1 : in.file;
		cr_expect_str_eq(base, "ai-data.rules", "autopsy %zu: rule %s is from %s", i,
		                 a->rule_id, in.file);
		/* the illusion is the sentence as written, its span is where it
		 * was written, and the translation is the rule's (no $N in these) */
		cr_expect_str_eq(a->illusion, seed_sentences[i]);
		cr_expect_eq(a->has_span, 1);
		cr_expect_eq(a->span.start, off);
		cr_expect_eq(a->span.end, off + strlen(seed_sentences[i]));
		off += strlen(seed_sentences[i]) + 1;
		cr_expect_str_eq(a->category, otz_category_name(in.category));
		cr_expect_eq(a->weight, in.weight);
		/* the role is not known: one of the rule's lines for anyone */
		const otz_rule *rule = &rs->rules[ri];
		int general = 0;
		for (size_t v = 0; v < rule->nvariants && !general; v++)
			general = rule->variants[v].family < 0 && !rule->variants[v].slots &&
			          strcmp(a->translation, rule->variants[v].text) == 0;
		cr_expect(general, "autopsy %zu: \"%s\" is none of %s's general lines", i,
		          a->translation, a->rule_id);
		/* the three sentences are about three different things (cohorts,
		 * human-in-the-loop, chatbots): three different rules */
		for (size_t j = 0; j < i; j++)
			cr_expect_str_neq(a->rule_id, r->autopsy[j].rule_id);
	}
	otz_record_free(r);
	otz_session_free(s);
	otz_engine_free(e);
}

/* With no title, the seed's own sentences name the seed's specimen, and
 * each one is close to one of its illusions: the record says what the
 * seed says, the specimen's own translations, as the seed does. */
Test(translate, seed_illusions_take_the_specimens_own_translations)
{
	otz_engine *e = t_repo_engine();
	otz_session *s = NULL;
	otz_error err = {0, ""};
	cr_assert_eq(otz_session_new(&s, e), 0);
	char input[1024];
	snprintf(input, sizeof(input), "%s\n%s\n%s\n", seed_sentences[0], seed_sentences[1],
	         seed_sentences[2]);
	otz_record *r = NULL;
	cr_assert_eq(otz_translate(&r, s, input, strlen(input), NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(r->role_known, 1);
	const otz_record *sp = NULL;
	for (size_t i = 0; i < otz_engine_specimen_count(e) && !sp; i++)
		if (strcmp(otz_engine_specimen(e, i)->title, r->via) == 0)
			sp = otz_engine_specimen(e, i);
	cr_assert_not_null(sp);
	cr_assert_eq(r->nautopsy, 3);
	for (size_t i = 0; i < 3; i++) {
		const otz_autopsy *a = &r->autopsy[i];
		cr_expect_null(a->rule_id);
		cr_expect_str_eq(a->specimen, sp->title);
		cr_assert_lt(i, sp->nautopsy);
		cr_expect_str_eq(a->illusion, sp->autopsy[i].illusion);
		cr_expect_str_eq(a->translation, sp->autopsy[i].translation);
	}
	otz_record_free(r);
	otz_session_free(s);
	otz_engine_free(e);
}
