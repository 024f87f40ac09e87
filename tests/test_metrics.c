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
	expect_found(&f, &v[0], 0, "engagement score", (long)rule_ix(&f, "engagement-score"),
	             OTZ_MK_NONE);
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
	expect_found(&f, &v[0], 0, "engagement score", (long)rule_ix(&f, "engagement-score"),
	             OTZ_MK_NONE);
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
	/* an acronym in brackets abbreviates a name: no metric's (a metric's
	 * own name before it is its rule's to find) */
	no_metric(&f, "Partners include the National Park Service (NPS) and others.");
	/* without a measuring verb before it, a rate is a price or a fact */
	no_metric(&f, "Benefits are offered to dependents at a reduced rate.");
	no_metric(&f, "Max hiring rate: $25 an hour.");
	no_metric(&f, "Prepare a good rate filing for the regulator.");
	no_metric(&f, "Improve the score.");        /* no qualifier left after trimming */
	no_metric(&f, "Plain sentence with nothing measured.");
	t_fx_close(&f);
}

/* "... metrics" named by a qualifier is a KPI's shape, put to work by a
 * measuring verb or one that makes metrics ("develop", "interpret"); the
 * making verbs do not make a score a metric, and telemetry is no metric. */
Test(metrics, named_metrics_are_kpis_and_telemetry_is_not)
{
	t_fixture f;
	t_fx_open(&f, metric_rules);
	one_heuristic(&f, "Prior experience creating and interpreting operational metrics and reports.",
	              0, "operational metrics", KPI);
	one_heuristic(&f, "Present the monthly campaign metrics to the marketing leads.", 0,
	              "campaign metrics", KPI);
	one_heuristic(&f, "Develop new staffing utilization metrics for the clinics.", 0,
	              "staffing utilization metrics", KPI);
	one_heuristic(&f, "Track product adoption metrics weekly.", 0, "product adoption metrics", KPI);
	no_metric(&f, "Monitor system metrics and logs for the services.");
	no_metric(&f, "Compute and deliver real-time metrics to the trading desk.");
	no_metric(&f, "Build evaluation metrics for the ranking model.");
	no_metric(&f, "Define new metrics with the team.");     /* no qualifier: unnamed */
	no_metric(&f, "Experience with operational metrics.");  /* no verb puts them to work */
	no_metric(&f, "Build a risk score for each applicant."); /* a model's output */
	no_metric(&f, "Create models to improve data metrics.");  /* "data" names nothing */
	t_fx_close(&f);
}

/* A rate listed among the measures a posting names ("KPIs for ...",
 * "metrics such as ...", "targets: ...") is put to work by the list, with
 * no measuring verb just before it; a rate listed after other words is not. */
Test(metrics, a_metric_listed_among_measures_is_put_to_work)
{
	t_fixture f;
	t_fx_open(&f, metric_rules);
	size_t n;
	otz_metric_found *v = find(&f, "Meet KPIs for invoice cycle time and first-time match rate.", &n);
	cr_assert_eq(n, 2); /* the KPIs, and the rate they name */
	expect_found(&f, &v[0], 0, "first-time match rate", -1, RATE);
	expect_found(&f, &v[1], 0, "kpis", -1, KPI);
	free(v);
	one_heuristic(&f, "Own the metrics such as the vendor closure rate.", 0, "vendor closure rate",
	              RATE);
	one_heuristic(&f, "Team targets: call volume, closure rate and handle time.", 0, "closure rate",
	              RATE);
	no_metric(&f, "Meet the partners for lunch, at a fixed closure rate.");
	no_metric(&f, "Report on holidays for staff; closure rate varies.");
	no_metric(&f, "Knowledge of KPIs such as the vendor closure rate.");
	t_fx_close(&f);
}

/* A metric the hire must know is not one the hire is judged by: neither a
 * rule's hit nor a heuristic find after "knowledge of" and its kin, unless
 * a measuring verb after them puts it to work. */
Test(metrics, a_metric_to_know_is_not_a_target)
{
	t_fixture f;
	t_fx_open(&f, metric_rules);
	no_metric(&f, "Working knowledge of the engagement score and the NPS.");
	no_metric(&f, "Understanding of sampling, bias and the retention score.");
	no_metric(&f, "Familiarity with campaign metrics such as the retention score.");
	size_t n;
	otz_metric_found *v = find(&f, "Knowledge of the funnel and a drive to improve the engagement score.", &n);
	cr_assert_eq(n, 1);
	expect_found(&f, &v[0], 0, "engagement score", (long)rule_ix(&f, "engagement-score"),
	             OTZ_MK_NONE);
	free(v);
	/* a knowing word far from any "of" says nothing of what follows */
	one_heuristic(&f, "Use your knowledge and judgment to improve the retention score.", 0,
	              "retention score", SCORE);
	one_heuristic(&f, "Improve the retention score.", 0, "retention score", SCORE);
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

/* The reasons of the heuristic's finds are a shape rule's translations:
 * three for rates here. */
static const char shape_rules[] =
	"rule: synergy\ncategory: buzzword\nweight: 6\npattern: \\bsynergy\\b\n"
	"translate: meetings\nexample: Drive synergy.\ncounter: Energy.\n\n"
	"rule: shape-rate\ncategory: metric\nshape: rate\n"
	"translate: Rate reason one.\ntranslate: Rate reason two.\ntranslate: Rate reason three.\n"
	"translate.retail: Rate reason for the shop floor.\n"
	"example: Own the closure rate.\ncounter: Track the exchange rate daily.\n\n"
	"rule: shape-survey\ncategory: metric\nshape: survey\n"
	"translate: Survey reason.\nexample: Own NPS.\ncounter: Own the score.\n";

static otz_record *translate_with(otz_engine *e, const char *in, const char *title)
{
	otz_session *s = NULL;
	otz_record *r = NULL;
	otz_error err = {0, ""};
	otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
	o.title = title;
	cr_assert_eq(otz_session_new(&s, e), 0);
	cr_assert_eq(otz_translate(&r, s, in, strlen(in), &o, &err), 0, "%s", err.msg);
	otz_session_free(s);
	return r;
}

Test(metrics, heuristic_finds_take_their_shape_rules_reasons)
{
	otz_engine *e = t_small_engine(shape_rules);
	/* Five rates and a survey: the rate rule's three reasons, each once,
	 * then the rates it has nothing left for are left out, as a rule's
	 * finds are; the survey takes its own rule's reason. */
	static const char in[] = "Own the closure rate.\nOwn the churn rate.\nOwn the win rate.\n"
	                         "Own the bounce rate.\nOwn the defect rate.\nImprove NPS.\n";
	otz_record *r = translate_with(e, in, NULL);
	cr_assert_eq(r->nmetrics, 4);
	for (size_t i = 0; i < 3; i++) {
		cr_expect_str_eq(r->metrics[i].rule_id, "shape-rate");
		cr_expect(r->metrics[i].heuristic);
		cr_expect(!r->metrics[i].usual);
		cr_expect(r->metrics[i].has_span);
		cr_expect(strncmp(r->metrics[i].text, "Rate reason ", 12) == 0, "%s", r->metrics[i].text);
		cr_expect(strstr(r->metrics[i].text, "shop floor") == NULL, "a family line, no role");
		for (size_t j = 0; j < i; j++)
			cr_expect_str_neq(r->metrics[i].text, r->metrics[j].text, "metrics %zu and %zu", j, i);
	}
	/* named by the posting's words, in Title Case */
	cr_expect_str_eq(r->metrics[0].name, "Closure Rate");
	cr_expect_str_eq(r->metrics[2].name, "Win Rate");
	cr_expect_str_eq(r->metrics[3].name, "NPS");
	cr_expect_str_eq(r->metrics[3].text, "Survey reason.");
	cr_expect_str_eq(r->metrics[3].rule_id, "shape-survey");
	/* JSON names the shape rule, and says the find is the heuristic's */
	otz_buf js = OTZ_BUF_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	ro.format = OTZ_FORMAT_JSON;
	cr_assert_eq(otz_render(&js, r, &ro, NULL), 0);
	cr_expect(strstr(js.ptr, "\"name\": \"Closure Rate\"") != NULL, "%s", js.ptr);
	cr_expect_eq(t_count(js.ptr, "\"rule\": \"shape-rate\""), 3, "%s", js.ptr);
	cr_expect_eq(t_count(js.ptr, "\"heuristic\": true"), 4, "%s", js.ptr);
	otz_buf_dispose(&js);
	otz_record_free(r);
	otz_engine_free(e);
}

/* No reason is written in C: a kind of metric without a shape rule has
 * nothing to say, and its finds are left out. */
Test(metrics, heuristic_finds_without_a_shape_rule_are_left_out)
{
	otz_engine *e = t_small_engine(metric_rules);
	otz_record *r = translate_with(e, "Own the closure rate.\nImprove NPS.\n", NULL);
	cr_expect_eq(r->nmetrics, 0);
	otz_record_free(r);
	otz_engine_free(e);
	e = t_small_engine(shape_rules);
	r = translate_with(e, "Improve the retention score.\nOwn the closure rate.\n", NULL);
	cr_assert_eq(r->nmetrics, 1, "the score has no shape rule here");
	cr_expect_str_eq(r->metrics[0].name, "Closure Rate");
	otz_record_free(r);
	otz_engine_free(e);
}

/* A shape rule's family lines go to the roles of that family, as any
 * rule's do: with three of them, they are the first pool for the role. */
static const char retail_rules[] =
	"rule: shape-rate\ncategory: metric\nshape: rate\n"
	"translate: Plain rate one.\ntranslate: Plain rate two.\n"
	"translate.retail: Shop rate one.\ntranslate.retail: Shop rate two.\n"
	"translate.retail: Shop rate three.\n"
	"example: Own the closure rate.\ncounter: Track the exchange rate daily.\n";

static const char shop_clerk[] =
	"FILE RECORD: BAKERY-COUNTER-CLERK\nWHAT DOES A BAKERY COUNTER CLERK ACTUALLY DO?\n"
	"Bakery Counter Clerk\n[01] THE ORG-CHART ARCHITECTURE\n* Reports to the shop owner.\n"
	"FAMILY: retail\nROLE: the counter clerk\n"
	"[08] THE JD AUTOPSY: WHAT DO THEY ACTUALLY DO?\nLINKEDIN ILLUSION\n[SOURCE REDACTED]\n"
	"\"Serve customers at the bakery counter, slice loaves and box pastries.\"\n"
	"OTIOSE TRANSLATION\nSells bread.\n";

Test(metrics, shape_rules_speak_for_the_role)
{
	const char *records[] = {shop_clerk};
	otz_engine *e = t_engine_from(retail_rules, records, 1);
	static const char in[] = "Serve customers at the bakery counter and box pastries.\n"
	                         "Own the basket abandonment rate.\n";
	otz_record *r = translate_with(e, in, "Bakery Counter Clerk");
	cr_assert(r->role_known);
	cr_assert_eq(r->nmetrics, 1);
	cr_expect_str_eq(r->metrics[0].rule_id, "shape-rate");
	cr_expect(strncmp(r->metrics[0].text, "Shop rate ", 10) == 0, "%s", r->metrics[0].text);
	otz_record_free(r);
	/* a role not known: the lines for any role */
	r = translate_with(e, in, "Zookeeper");
	cr_assert(!r->role_known);
	cr_assert_eq(r->nmetrics, 1);
	cr_expect(strncmp(r->metrics[0].text, "Plain rate ", 11) == 0, "%s", r->metrics[0].text);
	otz_record_free(r);
	otz_engine_free(e);
}
