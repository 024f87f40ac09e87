/*
 * test_titles.c - titles read whole (engine/titles.c): the normal form, the
 * similarity of a posting's title to specimens' titles and aliases, the
 * titles a posting's text names, and the checks corpus build makes.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "include/otz.h"
#include "internal.h"
#include "support.h"

static const char rules[] =
	"rule: plain-synergy\ncategory: buzzword\nweight: 3\npattern: \\bsynergy\\b\n"
	"translate: Two departments agree to share a slide.\n"
	"example: We value synergy.\ncounter: We value energy.\n";

/* A minimal record: a title, aliases, a family, one illusion. */
static char *record(const char *title, const char *aliases, const char *family,
                    const char *illusion)
{
	char *slug = otz_slugify(title), *out = NULL;
	cr_assert(asprintf(&out,
	                   "FILE RECORD: %s\n%s\n[01] THE ORG-CHART ARCHITECTURE\n"
	                   "KNOWN ALIASES / DISGUISES:\n%s\nFAMILY: %s\n"
	                   "[08] THE JD AUTOPSY: WHAT DO THEY ACTUALLY DO?\nLINKEDIN ILLUSION\n"
	                   "[SOURCE REDACTED]\n\"%s\"\nOTIOSE TRANSLATION\nDoes the job.\n",
	                   slug, title, aliases, family, illusion) > 0);
	free(slug);
	return out;
}

static otz_engine *eng;
static otz_session *ses;
static char *recs[5];

static void setup(void)
{
	recs[0] = record("Site Reliability Engineer", "SRE · Production Engineer", "engineering",
	                 "Run the pager rotation, define SLOs and write postmortems.");
	recs[1] = record("Full Stack Software Engineer", "Software Engineer, Full Stack · Web Developer",
	                 "engineering", "Build React screens and Node services end to end.");
	recs[2] = record("Data Scientist", "Applied Scientist · Decision Scientist", "data",
	                 "Build churn models in Python and run A/B tests.");
	recs[3] = record("Internal Controls Manager", "SOX Manager · Internal Controls Analyst",
	                 "finance", "Maintain the risk and control matrix for SOX testing.");
	recs[4] = record("Data Science Manager", "Manager, Data Science · Data Science Lead", "data",
	                 "Lead a team of data scientists and set the modelling roadmap.");
	eng = t_engine_from(rules, (const char *const *)recs, 5);
	cr_assert_eq(otz_session_new(&ses, eng), 0);
}

static void teardown(void)
{
	otz_session_free(ses);
	otz_engine_free(eng);
	for (size_t i = 0; i < 5; i++)
		free(recs[i]);
}

TestSuite(titles, .init = setup, .fini = teardown);

static void key_is(const char *title, const char *want)
{
	char *k = otz_title_key(title);
	cr_assert_str_eq(k, want, "'%s' -> '%s'", title, k);
	free(k);
}

Test(titles, the_normal_form_keeps_the_qualifier)
{
	key_is("Software Engineer, Site Reliability", "software engineer site reliability");
	key_is("Senior Manager, Internal Controls (Remote)", "manager internal control");
	key_is("Sr. Data Scientist II", "data scientist");
	key_is("Data Science Lead", "data science lead");        /* a trailing lead is the role */
	key_is("Lead Data Engineer", "data engineer");           /* a leading one is seniority */
	key_is("Staff Engineer", "staff engineer");              /* two words stay */
	key_is("Senior Staff Engineer II", "staff engineer");
	key_is("M&A Manager", "ma manager");                     /* one word, not "m" and "a" */
	key_is("Head of Data & Analytics", "head data analytic");
}

/* The specimen the title alone likes best, and how much. */
static const char *best_for(const char *title, double *sim)
{
	int use = 0;
	cr_assert_eq(otz__title_scores(ses, title, &use), 0);
	size_t best = 0;
	for (size_t i = 1; i < otz_engine_specimen_count(eng); i++)
		if (ses->tsim[i] > ses->tsim[best])
			best = i;
	*sim = ses->tsim[best];
	return otz_engine_specimen(eng, best)->title;
}

Test(titles, the_qualifier_names_the_role)
{
	double sim;
	/* "Software Engineer" is in both; "site reliability" decides. */
	cr_assert_str_eq(best_for("Software Engineer, Site Reliability", &sim),
	                 "Site Reliability Engineer");
	cr_assert_str_eq(best_for("Software Engineer, Full Stack", &sim),
	                 "Full Stack Software Engineer");
	cr_assert_float_eq(sim, 1.0, 1e-9); /* the same set of words as an alias */
	cr_assert_str_eq(best_for("Senior Manager, Internal Controls", &sim),
	                 "Internal Controls Manager");
	cr_assert_str_eq(best_for("Manager, Data Science", &sim), "Data Science Manager");
	cr_assert_float_eq(sim, 1.0, 1e-9);
	/* A team or a place added to a whole alias still names it. */
	cr_assert_str_eq(best_for("Data Scientist - Pricing, Chicago", &sim), "Data Scientist");
	cr_assert_gt(sim, 0.5);
	/* A title sharing no word with any specimen matches none. */
	best_for("Zookeeper", &sim);
	cr_assert_float_eq(sim, 0.0, 1e-9);
}

Test(titles, the_text_names_titles)
{
	otz_analysis an;
	otz_error err;
	static const char in[] = "As our next Data Scientist you will work with the data "
	                         "science manager. The data scientist owns the models.\n";
	cr_assert_eq(otz__analyze(ses, &an, in, strlen(in), 0, &err), 0, "%s", err.msg);
	cr_assert_eq(otz__title_mentions(ses, &an), 0);
	cr_assert_float_eq(ses->tment[2], 2.0, 1e-9); /* "data scientist", twice */
	cr_assert_float_eq(ses->tment[4], 1.0, 1e-9); /* "data science manager" */
	cr_assert_float_eq(ses->tment[0], 0.0, 1e-9);
	otz__analysis_dispose(&an);
}

static void collect(void *ctx, const char *msg)
{
	otz_buf *b = ctx;
	cr_assert_eq(otz__buf_printf(b, "%s\n", msg), 0);
}

Test(titles, corpus_checks)
{
	/* The five specimens above are clean. */
	otz_buf b = OTZ_BUF_INIT;
	otz_engine_specimen_checks(eng, collect, &b);
	cr_assert_eq(b.len, 0, "%s", b.ptr);
	otz_buf_dispose(&b);
	/* A generic alias (three other specimens' titles hold "engineer"), a
	 * title claimed twice and an unknown family. */
	char *more[7];
	for (size_t i = 0; i < 5; i++)
		more[i] = recs[i];
	more[5] = record("Platform Engineer", "Engineer · SRE", "plumbing",
	                 "Pave the road to production.");
	more[6] = record("Network Engineer", "Routing and Switching Engineer", "engineering",
	                 "Configure BGP on the core routers.");
	otz_engine *e = t_engine_from(rules, (const char *const *)more, 7);
	otz_engine_specimen_checks(e, collect, &b);
	cr_assert(strstr(b.ptr, "005_specimen.txt: warning: alias 'Engineer' is generic"), "%s", b.ptr);
	cr_assert(strstr(b.ptr, "005_specimen.txt: warning: 'SRE' is also listed by "
	                        "000_specimen.txt as 'SRE'"),
	          "%s", b.ptr);
	cr_assert(strstr(b.ptr, "005_specimen.txt: warning: FAMILY 'plumbing' is not one of the "
	                        "families"),
	          "%s", b.ptr);
	otz_buf_dispose(&b);
	otz_engine_free(e);
	free(more[5]);
	free(more[6]);
}
