/*
 * test_metrics.c - otz__metrics_find: bullshit metrics from metric-rule hits
 * and from the heuristic for metric-shaped phrases no rule names, with an
 * engine built from a small rules file and the seed record.
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

static const char metric_rules[] =
	"rule: engagement-score\ncategory: metric\nweight: 5\nname: Engagement Score\n"
	"pattern: \\bengagement score\\b\ntranslate: Counts clicks.\n"
	"example: Improve the engagement score.\n\n"
	"rule: synergy\ncategory: buzzword\nweight: 6\npattern: \\bsynergy\\b\n"
	"translate: meetings\nexample: Drive synergy.\n";

static size_t rule_ix(const t_fixture *f, const char *id)
{
	long i = otz__ruleset_find(otz_engine_rules(f->e), id);
	cr_assert_geq(i, 0, "no rule %s", id);
	return (size_t)i;
}

/* Run the metric finder on `input`; *n finds, returned array to free. */
static otz_metric_found *find(t_fixture *f, const char *input, size_t *n)
{
	otz__analysis_dispose(&f->an);
	t_analyze(f, input);
	otz_metric_found *v = NULL;
	otz_error err = {0, ""};
	*n = 99;
	int rc = otz__metrics_find(f->e->mpats, f->s, otz_engine_rules(f->e), &f->an, &v, n, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	return v;
}

static void expect_found(const t_fixture *f, const otz_metric_found *m, size_t seg,
                         const char *phrase, long rule, int kind)
{
	size_t len = m->end - m->start;
	cr_assert_leq(m->end, f->an.text.len);
	cr_expect(len == strlen(phrase) && memcmp(f->an.text.s + m->start, phrase, len) == 0,
	          "found \"%.*s\", want \"%s\"", (int)len, f->an.text.s + m->start, phrase);
	cr_expect_eq(m->seg, seg);
	cr_expect_eq(m->rule, rule);
	/* the phrase lies inside its segment */
	cr_expect_geq(m->start, f->an.segs[seg].start);
	cr_expect_leq(m->end, f->an.segs[seg].end);
	cr_expect_eq(m->kind, kind, "kind %d for \"%s\", want %d", m->kind, phrase, kind);
}

#define RATE OTZ_MK_RATE
#define SCORE OTZ_MK_SCORE
#define SURVEY OTZ_MK_SURVEY
#define VELOCITY OTZ_MK_VELOCITY
#define RATIO OTZ_MK_RATIO
#define INDEX OTZ_MK_INDEX
#define KPI OTZ_MK_KPI

/* A heuristic find: exactly one, of `phrase`, in segment `seg`. */
static void one_heuristic(t_fixture *f, const char *input, size_t seg, const char *phrase,
                          int reason)
{
	size_t n;
	otz_metric_found *v = find(f, input, &n);
	cr_expect_eq(n, 1, "\"%s\": %zu finds", input, n);
	if (n >= 1)
		expect_found(f, &v[0], seg, phrase, -1, reason);
	free(v);
}

static void no_metric(t_fixture *f, const char *input)
{
	size_t n;
	otz_metric_found *v = find(f, input, &n);
	cr_expect_eq(n, 0, "\"%s\" flagged \"%.*s\"", input,
	             n ? (int)(v[0].end - v[0].start) : 0, n ? f->an.text.s + v[0].start : "");
	free(v);
}

Test(metrics, metric_rule_hit_is_found)
{
	t_fixture f;
	t_fx_open(&f, metric_rules);
	size_t n;
	otz_metric_found *v = find(&f, "Improve the engagement score by 10%.", &n);
	/* the rule's hit, and not also the heuristic's "engagement score" that
	 * overlaps it */
	cr_assert_eq(n, 1);
	expect_found(&f, &v[0], 0, "engagement score", (long)rule_ix(&f, "engagement-score"), -1);
	free(v);
	t_fx_close(&f);
}

Test(metrics, heuristic_overlapping_rule_hit_dropped)
{
	t_fixture f;
	t_fx_open(&f, metric_rules);
	/* the same shape with no rule: the heuristic finds it */
	one_heuristic(&f, "Improve the retention score by 10%.", 0, "retention score", SCORE);
	/* with the rule's phrase in it, only the rule's find remains, and an
	 * unrelated heuristic find in the same sentence is kept */
	size_t n;
	otz_metric_found *v = find(&f, "Own the engagement score and NPS.", &n);
	cr_assert_eq(n, 2);
	expect_found(&f, &v[0], 0, "engagement score", (long)rule_ix(&f, "engagement-score"), -1);
	expect_found(&f, &v[1], 0, "nps", -1, SURVEY);
	free(v);
	t_fx_close(&f);
}

Test(metrics, heuristic_finds_seed_style_metrics)
{
	t_fixture f;
	t_fx_open(&f, metric_rules);
	one_heuristic(&f, "Own the Cross-Team Feedback Loop Closure Rate for every squad.", 0,
	              "cross-team feedback loop closure rate", RATE);
	one_heuristic(&f, "Drive the HITL Onboarding Efficiency Score up.", 0,
	              "hitl onboarding efficiency score", SCORE);
	one_heuristic(&f, "We report NPS monthly.", 0, "nps", SURVEY);
	one_heuristic(&f, "Track team velocity weekly.", 0, "team velocity", VELOCITY);
	one_heuristic(&f, "Report the Human-Correction-to-AI-Suggestion Ratio Improvement.", 0,
	              "human-correction-to-ai-suggestion ratio improvement", RATIO);
	one_heuristic(&f, "Publish the vendor happiness index quarterly.", 0,
	              "vendor happiness index", INDEX);
	one_heuristic(&f, "Define KPIs for the program.", 0, "kpis", KPI);
	t_fx_close(&f);
}

Test(metrics, bare_velocity_is_speed)
{
	t_fixture f;
	t_fx_open(&f, metric_rules);
	/* a bare "velocity" is speed (an SRE's "reliability and velocity"):
	 * the story-point metric is named by its rule, or by a qualifier */
	no_metric(&f, "Velocity is what we track.");
	no_metric(&f, "Balance reliability and velocity across the platform.");
	one_heuristic(&f, "Report delivery team velocity.", 0, "delivery team velocity", VELOCITY);
	t_fx_close(&f);
}

Test(metrics, finds_carry_their_segment)
{
	t_fixture f;
	t_fx_open(&f, metric_rules);
	size_t n;
	otz_metric_found *v =
		find(&f, "Drive synergy. Nothing.\n- Improve team velocity\n- Own NPS", &n);
	cr_assert_eq(f.an.nsegs, 4);
	cr_assert_eq(n, 2);
	expect_found(&f, &v[0], 2, "team velocity", -1, VELOCITY);
	expect_found(&f, &v[1], 3, "nps", -1, SURVEY);
	free(v);
	t_fx_close(&f);
}

Test(metrics, non_metric_phrases_not_flagged)
{
	t_fixture f;
	t_fx_open(&f, metric_rules);
	no_metric(&f, "Drive synergy.");            /* a buzzword hit is no metric */
	no_metric(&f, "Interest rate changes affect our lending business.");
	no_metric(&f, "We grow at a rate of 20% a year.");
	no_metric(&f, "At a rate of two per week, we ship.");
	no_metric(&f, "Your hourly rate is competitive.");
	no_metric(&f, "Track the exchange rate daily.");
	no_metric(&f, "The regular rate of pay includes shift differentials.");
	no_metric(&f, "Fit a propensity score model for the cohort.");
	no_metric(&f, "Maintain the master patient index.");
	/* without a measuring verb before it, a rate is a price or a fact */
	no_metric(&f, "Benefits are offered to dependents at a reduced rate.");
	no_metric(&f, "Max hiring rate: $25 an hour.");
	no_metric(&f, "Prepare a good rate filing for the regulator.");
	no_metric(&f, "Improve the score.");        /* no qualifier left after trimming */
	no_metric(&f, "Plain sentence with nothing measured.");
	t_fx_close(&f);
}

Test(metrics, at_a_rate_of_after_a_verb_not_flagged)
{
	t_fixture f;
	t_fx_open(&f, metric_rules);
	/* "at a rate of" says how fast something happens; it names no metric */
	no_metric(&f, "The team ships features at a rate of two per week.");
	no_metric(&f, "Candidates progress at a rate of five per month.");
	t_fx_close(&f);
}

Test(metrics, a_record_gives_each_reason_once)
{
	otz_engine *e = t_small_engine(metric_rules);
	otz_session *s = NULL;
	cr_assert_eq(otz_session_new(&s, e), 0);
	/* Five rates: three reasons of the kind, then each points to the one
	 * before it. */
	static const char in[] = "Own the closure rate.\nOwn the churn rate.\nOwn the win rate.\n"
	                         "Own the bounce rate.\nOwn the defect rate.\n";
	otz_record *r = NULL;
	otz_error err = {0, ""};
	cr_assert_eq(otz_translate(&r, s, in, sizeof(in) - 1, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(r->nmetrics, 5);
	for (size_t i = 0; i < r->nmetrics; i++)
		for (size_t j = 0; j < i; j++)
			cr_expect_str_neq(r->metrics[i].text, r->metrics[j].text, "metrics %zu and %zu", j, i);
	cr_expect_str_eq(r->metrics[3].text, "The trouble with Win Rate, again.");
	cr_expect_str_eq(r->metrics[4].text, "The trouble with Bounce Rate, again.");
	otz_record_free(r);
	otz_session_free(s);
	otz_engine_free(e);
}
