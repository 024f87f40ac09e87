/*
 * test_corpus.c - the record parser, alias splitting, slugs and the corpus
 * database (engine/corpus.c).
 *
 * The seed record is parsed as scraped and every section is checked field
 * by field; the other specimens must survive a parse/render round trip byte
 * for byte.  The database is written and read back, and every kind of bad
 * file (missing, random, truncated, foreign, newer) must be refused with
 * OTZ_EDB and a message that names it.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "include/otz.h"
#include "internal.h"
#include "support.h"

#define SEED "000_lead-ai-human-in-the-loop-integration-specialist.txt"

static char *path_in(const char *dir, const char *name)
{
	size_t n = strlen(t_root()) + strlen(dir) + strlen(name) + 3;
	char *p = malloc(n);
	cr_assert(p);
	if (*name)
		snprintf(p, n, "%s/%s/%s", t_root(), dir, name);
	else
		snprintf(p, n, "%s/%s", t_root(), dir);
	return p;
}

static void make_tmpdir(char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/otz-corpus-XXXXXX");
	cr_assert(mkdtemp(dir), "mkdtemp failed");
}

static void remove_tmpdir(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Entries of a directory other than . and .. */
static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	cr_assert(d, "cannot open %s", dir);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

#define STR_EQ(got, want)                                                          \
	do {                                                                       \
		const char *got_ = (got);                                          \
		cr_assert(got_ != NULL, "%s is NULL, expected \"%s\"", #got, (want)); \
		cr_assert_str_eq(got_, (want), "%s", #got);                        \
	} while (0)

static otz_record *parse_file(const char *name)
{
	char *p = path_in("corpus", name);
	size_t len;
	char *text = t_slurp(p, &len);
	otz_record *r = NULL;
	otz_error err = {0};
	int rc = otz_record_parse(&r, text, len, p, &err);
	cr_assert_eq(rc, 0, "%s: %s", p, err.msg);
	free(text);
	free(p);
	return r;
}

static otz_record *parse_str(const char *text, int want_rc, otz_error *err)
{
	otz_record *r = NULL;
	int rc = otz_record_parse(&r, text, strlen(text), "rec.txt", err);
	cr_assert_eq(rc, want_rc, "rc %d (%s), expected %d", rc, err->msg, want_rc);
	if (want_rc) {
		cr_assert_null(r);
		cr_assert_eq(err->code, want_rc);
	}
	return r;
}

/* ---- the seed record ---------------------------------------------- */

Test(corpus, seed_header_aliases_habitat)
{
	otz_record *r = parse_file(SEED);
	STR_EQ(r->slug, "LEAD-AI-HUMAN-IN-THE-LOOP-INTEGRATION-SPECIALIST");
	STR_EQ(r->title, "Lead AI Human-in-the-Loop Integration Specialist");
	STR_EQ(r->org_note, "The organizational hierarchy defining the pressure flow and extraction "
	                    "cycle for this role.");
	cr_assert_eq(r->is_translation, 0);
	cr_assert_eq(r->naliases, 4, "aliases: %zu", r->naliases);
	STR_EQ(r->aliases[0], "AI Workflow Manager");
	STR_EQ(r->aliases[1], "Human-AI Interaction Lead");
	STR_EQ(r->aliases[2], "Data Annotation Program Lead");
	STR_EQ(r->aliases[3], "AI Quality Assurance Coordinator (with human element)");
	cr_assert_eq(r->nhabitat_lines, 3);
	STR_EQ(r->habitat_lines[0], "Large Language Model (LLM) providers or API companies");
	STR_EQ(r->habitat_lines[1], "Enterprise software vendors integrating AI features");
	STR_EQ(r->habitat_lines[2], "Automated customer service/support platforms");
	cr_assert_eq(r->nhabitat, 0);
	otz_record_free(r);
}

Test(corpus, seed_salary_and_flight_risk)
{
	otz_record *r = parse_file(SEED);
	cr_assert_eq(r->salary, 205000);
	STR_EQ(r->salary_basis, "Based on 'Lead AI Engineer' and 'AI Lead' roles, implying the "
	                        "'integration' adds a layer of managerial inflation.");
	STR_EQ(r->salary_quote, "A premium price paid for managing the illusion of AI intelligence "
	                        "through manual human intervention, disguised as 'integration' "
	                        "overhead.");
	cr_assert_eq(r->flight_risk, 85);
	STR_EQ(r->risk_label, "HIGH RISK");
	STR_EQ(r->diagnosis,
	       "As AI models advance, the 'human-in-the-loop' becomes increasingly redundant, or "
	       "outsourced to cheaper, more direct management. The integration layer is the first to "
	       "be deemed 'optimized away'.");
	otz_record_free(r);
}

Test(corpus, seed_metrics_weapons_encounter)
{
	otz_record *r = parse_file(SEED);
	cr_assert_eq(r->nmetrics, 3);
	STR_EQ(r->metrics[0].name, "Human-Correction-to-AI-Suggestion Ratio Improvement");
	STR_EQ(r->metrics[1].name, "HITL Onboarding Efficiency Score");
	STR_EQ(r->metrics[2].name, "Cross-Team HITL Feedback Loop Closure Rate");
	STR_EQ(r->metrics[1].text,
	       "Measures how quickly new cohorts of temporary data labelers can be brought up to "
	       "speed, implying the specialist's process prowess rather than the simplicity of the "
	       "underlying tasks.");
	for (size_t i = 0; i < 3; i++) {
		cr_assert_null(r->metrics[i].rule_id);
		cr_assert_eq(r->metrics[i].has_span, 0);
	}
	cr_assert_eq(r->nweapons, 3);
	STR_EQ(r->weapons[0].name, "Feedback Loop Optimization Framework");
	STR_EQ(r->weapons[1].name, "Human-AI Alignment Strategy Document");
	STR_EQ(r->weapons[2].name, "Cross-Functional Sync-Up for HITL Scalability");
	cr_assert(strncmp(r->weapons[2].text, "Weekly recurring meeting where", 30) == 0,
	          "%s", r->weapons[2].text);
	STR_EQ(r->encounter, "Nod empathetically about 'scaling human intelligence,' then quickly "
	                     "pivot to the actual engineers who built the AI that needs human "
	                     "babysitting.");
	otz_record_free(r);
}

Test(corpus, seed_autopsy)
{
	otz_record *r = parse_file(SEED);
	static const char *const ill[3] = {
		"Lead onboarding coordination for high-profile or large-scale cohorts ensuring "
		"tailored planning, streamlined execution, and alignment with external funder or "
		"partner expectations.",
		"Exposure to human-in-the-loop AI processes and automation in data review workflows.",
		"Architect, develop, test, and enhance chatbots using the [website] platform."};
	static const char *const tr_start[3] = {"Orchestrates the endless parade",
	                                        "Spends 80% of time in meetings",
	                                        "Serves as the designated liaison"};
	cr_assert_eq(r->nautopsy, 3);
	for (size_t i = 0; i < 3; i++) {
		STR_EQ(r->autopsy[i].illusion, ill[i]);
		STR_EQ(r->autopsy[i].source, "SOURCE REDACTED");
		cr_assert(r->autopsy[i].translation);
		cr_assert(strncmp(r->autopsy[i].translation, tr_start[i], strlen(tr_start[i])) == 0,
		          "translation %zu: %s", i, r->autopsy[i].translation);
		cr_assert_null(r->autopsy[i].rule_id);
		cr_assert_eq(r->autopsy[i].has_span, 0);
	}
	STR_EQ(r->autopsy[2].translation,
	       "Serves as the designated liaison between the actual AI engineers (who ignore them) "
	       "and the data labeling vendor (who also ignores them), facilitating 'feedback loops' "
	       "that invariably get lost in translation.");
	otz_record_free(r);
}

Test(corpus, seed_log_complaints_related)
{
	otz_record *r = parse_file(SEED);
	cr_assert_eq(r->nlog, 3);
	STR_EQ(r->log[0].slot, "10:00 - 11:00");
	STR_EQ(r->log[1].slot, "13:00 - 14:00");
	STR_EQ(r->log[2].slot, "15:00 - 16:00");
	STR_EQ(r->log[0].title, "Synergy Session on Human-AI Co-evolution");
	STR_EQ(r->log[1].title, "Vendor Alignment & Data Labeler Throughput Review");
	STR_EQ(r->log[2].title, "Documentation of 'Best Practices' for Human Oversight");
	cr_assert(strncmp(r->log[2].text, "Updates internal Confluence pages", 33) == 0);

	cr_assert_eq(r->ncomplaints, 3);
	STR_EQ(r->complaints[0].source, "teamblind.com");
	STR_EQ(r->complaints[1].source, "r/cscareerquestions");
	STR_EQ(r->complaints[2].source, "teamblind.com");
	STR_EQ(r->complaints[1].text,
	       "We call it 'Human-in-the-Loop,' but it's really 'Humans-as-the-Loophole' for our "
	       "AI's incompetence. My role? Integrating the band-aids.");
	cr_assert(strncmp(r->complaints[0].text, "My job is basically", 19) == 0);

	cr_assert_eq(r->nrelated, 3);
	static const int pct[3] = {98, 91, 84};
	static const char *const title[3] = {"Lead Backend Data Procurement Analyst",
	                                     "Enterprise Architect", "SDET"};
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(r->related[i].percent, pct[i], "related %zu: %d", i, r->related[i].percent);
		STR_EQ(r->related[i].title, title[i]);
		cr_assert(r->related[i].text && strlen(r->related[i].text) > 40);
	}
	STR_EQ(r->related[1].text,
	       "Preside over an endless cycle of abstract discussions, ensuring no single technical "
	       "decision is made without involving a committee, thus guaranteeing maximum "
	       "inefficiency.");
	otz_record_free(r);
}

/* ---- aliases and slugs -------------------------------------------- */

static void check_split(const char *line, size_t n, const char *const *want)
{
	char **v = NULL;
	size_t nv = 99;
	cr_assert_eq(otz_aliases_split(&v, &nv, line), 0);
	cr_assert_eq(nv, n, "\"%s\": %zu aliases, expected %zu (first: \"%s\")", line, nv, n,
	             nv ? v[0] : "");
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(v[i], want[i], "\"%s\" alias %zu", line, i);
	otz__free_strv(v, nv);
}

Test(corpus, aliases_run_together)
{
	check_split("Product OwnerScrum MasterAgile Coach", 3,
	            (const char *const[]){"Product Owner", "Scrum Master", "Agile Coach"});
	check_split("AI Workflow ManagerHuman-AI Interaction Lead", 2,
	            (const char *const[]){"AI Workflow Manager", "Human-AI Interaction Lead"});
	/* A closing parenthesis ends an alias even before a capital. */
	check_split("QA Lead (contract)Test Manager", 2,
	            (const char *const[]){"QA Lead (contract)", "Test Manager"});
}

Test(corpus, aliases_camel_words_kept)
{
	check_split("DevOps EngineerSite Reliability Engineer", 2,
	            (const char *const[]){"DevOps Engineer", "Site Reliability Engineer"});
	check_split("iOS Developer", 1, (const char *const[]){"iOS Developer"});
	check_split("McKinsey Consultant", 1, (const char *const[]){"McKinsey Consultant"});
	check_split("JavaScript DeveloperTypeScript Engineer", 2,
	            (const char *const[]){"JavaScript Developer", "TypeScript Engineer"});
	check_split("Senior Engineer", 1, (const char *const[]){"Senior Engineer"});
}

Test(corpus, aliases_separators)
{
	check_split("Software Development Engineer in Test \xc2\xb7 QA Automation Engineer \xc2\xb7 "
	            "Quality Engineer",
	            3,
	            (const char *const[]){"Software Development Engineer in Test",
	                                  "QA Automation Engineer", "Quality Engineer"});
	check_split("Scrum Master; Agile Coach;  Delivery Lead ", 3,
	            (const char *const[]){"Scrum Master", "Agile Coach", "Delivery Lead"});
	/* With an explicit separator, camel case inside an alias is left alone. */
	check_split("DevOps Lead | SRE | PlatformOps", 3,
	            (const char *const[]){"DevOps Lead", "SRE", "PlatformOps"});
}

Test(corpus, aliases_that_read_back_as_another_line_are_dropped)
{
	/* Written first on the alias line, "ARTEFACTS: x" would read back as
	 * the lexicon's line and the aliases would be lost (found by the
	 * record fuzzer's round trip); likewise a section heading. */
	check_split("ARTEFACTS: the pallet \xc2\xb7 Server \xc2\xb7 [09] log", 1,
	            (const char *const[]){"Server"});
	check_split("FAMILY: trades \xc2\xb7 ROLE: x \xc2\xb7 Busser", 1,
	            (const char *const[]){"Busser"});
	/* nor the key alone: the separator after it supplies its space */
	check_split("\t;;COUNTERPARTS:  | Host", 1, (const char *const[]){"Host"});
	check_split("* \xc2\xb7 Runner", 1, (const char *const[]){"Runner"});
	/* a key inside an alias is no key */
	check_split("Head of ROLE: Design \xc2\xb7 Waiter", 2,
	            (const char *const[]){"Head of ROLE: Design", "Waiter"});
}

Test(corpus, aliases_empty)
{
	char **v = (char **)1;
	size_t nv = 7;
	cr_assert_eq(otz_aliases_split(&v, &nv, ""), 0);
	cr_assert_eq(nv, 0);
	otz__free_strv(v, nv);
}

static void check_slug(const char *title, const char *want)
{
	char *s = otz_slugify(title);
	cr_assert(s);
	cr_assert_str_eq(s, want, "slug of \"%s\"", title);
	free(s);
}

Test(corpus, slugify)
{
	check_slug("Lead AI Engineer", "LEAD-AI-ENGINEER");
	check_slug("Lead AI Human-in-the-Loop Integration Specialist",
	           "LEAD-AI-HUMAN-IN-THE-LOOP-INTEGRATION-SPECIALIST");
	check_slug("FP&A Analyst", "FP-A-ANALYST");
	check_slug("  --Senior   Engineer (Remote)!! ", "SENIOR-ENGINEER-REMOTE");
	check_slug("SDET", "SDET");
	check_slug("", "");
}

/* ---- parse errors and partial records ----------------------------- */

Test(corpus, not_a_record)
{
	otz_error err = {0};
	parse_str("Senior Engineer\nWe are hiring.\n", OTZ_ERECORD, &err);
	cr_assert(strstr(err.msg, "rec.txt:1:"), "%s", err.msg);
	cr_assert(strstr(err.msg, "FILE RECORD:"), "%s", err.msg);
	/* Blank lines first: the message names the first real line. */
	memset(&err, 0, sizeof(err));
	parse_str("\n\n  \nHello\n", OTZ_ERECORD, &err);
	cr_assert(strstr(err.msg, "rec.txt:4:"), "%s", err.msg);
	memset(&err, 0, sizeof(err));
	parse_str("", OTZ_ERECORD, &err);
	cr_assert(strstr(err.msg, "rec.txt:"), "%s", err.msg);
}

Test(corpus, record_without_title)
{
	otz_error err = {0};
	parse_str("FILE RECORD: X\n[01] THE ORG-CHART ARCHITECTURE\n* note\n", OTZ_ERECORD, &err);
	cr_assert(strstr(err.msg, "rec.txt:2:"), "%s", err.msg);
}

Test(corpus, metrics_odd_lines)
{
	otz_error err = {0};
	parse_str("FILE RECORD: X\n"               /* 1 */
	          "X Role\n"                       /* 2 */
	          "[05] THE BULLSHIT METRICS\n"    /* 3 */
	          "Metric A\n"                     /* 4 */
	          "Reason A\n"                     /* 5 */
	          "Metric B\n"                     /* 6 */
	          "[06] SIGNATURE WEAPONRY\n"      /* 7 */
	          "Weapon\nWhat it does\n",
	          OTZ_ERECORD, &err);
	cr_assert(strstr(err.msg, "rec.txt:6:"), "%s", err.msg);
	cr_assert(strstr(err.msg, "[05]"), "%s", err.msg);
}

Test(corpus, bad_flight_risk)
{
	static const char *const bad[] = {"FLIGHT RISK:HIGH RISK", "FLIGHT RISK:85 HIGH RISK",
	                                  "FLIGHT RISK:%HIGH RISK"};
	for (size_t k = 0; k < 3; k++) {
		char text[256];
		snprintf(text, sizeof(text), "FILE RECORD: X\nX Role\n\n[04] THE FLIGHT RISK\n%s\n",
		         bad[k]);
		otz_error err = {0};
		parse_str(text, OTZ_ERECORD, &err);
		cr_assert(strstr(err.msg, "rec.txt:5:"), "%s: %s", bad[k], err.msg);
		cr_assert(strstr(err.msg, "FLIGHT RISK"), "%s", err.msg);
	}
	/* The spaced form is accepted. */
	otz_error err = {0};
	otz_record *r = parse_str("FILE RECORD: X\nX Role\n[04] THE FLIGHT RISK\n"
	                          "FLIGHT RISK: 40% MODERATE RISK\n",
	                          0, &err);
	cr_assert_eq(r->flight_risk, 40);
	STR_EQ(r->risk_label, "MODERATE RISK");
	otz_record_free(r);
}

Test(corpus, nul_byte)
{
	static const char text[] = "FILE RECORD: X\nX Role\0\n[01] THE ORG-CHART ARCHITECTURE\n";
	otz_record *r = NULL;
	otz_error err = {0};
	int rc = otz_record_parse(&r, text, sizeof(text) - 1, "nul.txt", &err);
	cr_assert_eq(rc, OTZ_EBINARY, "rc %d: %s", rc, err.msg);
	cr_assert_null(r);
	cr_assert(strstr(err.msg, "nul.txt"), "%s", err.msg);
}

Test(corpus, missing_sections_are_empty)
{
	otz_error err = {0};
	otz_record *r = parse_str("FILE RECORD: MINIMAL\nMinimal Role\n", 0, &err);
	STR_EQ(r->slug, "MINIMAL");
	STR_EQ(r->title, "Minimal Role");
	cr_assert_null(r->org_note);
	cr_assert_eq(r->naliases, 0);
	cr_assert_eq(r->nhabitat_lines, 0);
	cr_assert_eq(r->salary, 0);
	cr_assert_null(r->salary_basis);
	cr_assert_null(r->salary_quote);
	cr_assert_eq(r->flight_risk, -1);
	cr_assert_null(r->risk_label);
	cr_assert_null(r->diagnosis);
	cr_assert_eq(r->nmetrics, 0);
	cr_assert_eq(r->nweapons, 0);
	cr_assert_null(r->encounter);
	cr_assert_eq(r->nautopsy, 0);
	cr_assert_eq(r->nlog, 0);
	cr_assert_eq(r->ncomplaints, 0);
	cr_assert_eq(r->nrelated, 0);
	otz_record_free(r);

	/* Some sections present, the rest absent; CRLF and a "WHAT DOES" line. */
	memset(&err, 0, sizeof(err));
	r = parse_str("FILE RECORD: PART\r\nWHAT DOES A PART ACTUALLY DO?\r\nPart Role\r\n"
	              "[04] THE FLIGHT RISK\r\nFLIGHT RISK:12%LOW RISK\r\n"
	              "[08] THE JD AUTOPSY: WHAT DO THEY ACTUALLY DO?\r\nLINKEDIN ILLUSION\r\n"
	              "[SOURCE REDACTED]\r\n\"Own the roadmap.\"\r\nOTIOSE TRANSLATION\r\n"
	              "Owns a slide.\r\n",
	              0, &err);
	STR_EQ(r->title, "Part Role");
	cr_assert_eq(r->flight_risk, 12);
	STR_EQ(r->risk_label, "LOW RISK");
	cr_assert_null(r->diagnosis);
	cr_assert_eq(r->nautopsy, 1);
	STR_EQ(r->autopsy[0].illusion, "Own the roadmap.");
	STR_EQ(r->autopsy[0].translation, "Owns a slide.");
	cr_assert_eq(r->naliases, 0);
	cr_assert_eq(r->salary, 0);
	cr_assert_eq(r->nmetrics, 0);
	cr_assert_eq(r->nrelated, 0);
	otz_record_free(r);
}

/* ---- round trips -------------------------------------------------- */

static char *render_form(const otz_record *r, otz_format form)
{
	otz_buf b = OTZ_BUF_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	ro.format = form;
	otz_error err = {0};
	cr_assert_eq(otz_render(&b, r, &ro, &err), 0, "%s", err.msg);
	cr_assert(otz__buf_put(&b, "", 1) == 0);
	return b.ptr;
}

/* The form corpus files are kept in. */
static char *render_text(const otz_record *r)
{
	return render_form(r, OTZ_FORMAT_RECORD);
}

/* 1-based number of the first line where a and b differ. */
static int first_diff_line(const char *a, size_t an, const char *b, size_t bn)
{
	int line = 1;
	for (size_t i = 0; i < an && i < bn; i++) {
		if (a[i] != b[i])
			return line;
		line += a[i] == '\n';
	}
	return line;
}

Test(corpus, roundtrip_every_specimen_byte_for_byte, .timeout = 20)
{
	char *dir = path_in("corpus", "");
	char **files = NULL;
	size_t n = 0;
	otz_error err = {0};
	cr_assert_eq(otz__list_dir(dir, ".txt", &files, &n, &err), 0, "%s", err.msg);
	cr_assert_geq(n, 4, "corpus has %zu files", n);
	size_t checked = 0;
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(files[i], '/');
		base = base ? base + 1 : files[i];
		if (strncmp(base, "000_", 4) == 0)
			continue;
		size_t len;
		char *text = t_slurp(files[i], &len);
		otz_record *r = NULL;
		cr_assert_eq(otz_record_parse(&r, text, len, base, &err), 0, "%s", err.msg);
		char *out = render_text(r);
		size_t ol = strlen(out);
		cr_expect(ol == len && memcmp(out, text, len) == 0,
		          "%s: render differs from the file (%zu vs %zu bytes), first at line %d", base,
		          ol, len, first_diff_line(out, ol, text, len));
		free(out);
		otz_record_free(r);
		free(text);
		checked++;
	}
	cr_assert_eq(checked, n - 1);
	otz__free_strv(files, n);
	free(dir);
}

static void str_same(const char *a, const char *b, const char *what)
{
	if (!a || !b)
		cr_assert(a == b, "%s: \"%s\" vs \"%s\"", what, a ? a : "(null)", b ? b : "(null)");
	else
		cr_assert_str_eq(a, b, "%s", what);
}

static void records_same(const otz_record *a, const otz_record *b)
{
	str_same(a->slug, b->slug, "slug");
	str_same(a->title, b->title, "title");
	str_same(a->org_note, b->org_note, "org_note");
	cr_assert_eq(a->naliases, b->naliases);
	for (size_t i = 0; i < a->naliases; i++)
		str_same(a->aliases[i], b->aliases[i], "alias");
	cr_assert_eq(a->nhabitat_lines, b->nhabitat_lines);
	for (size_t i = 0; i < a->nhabitat_lines; i++)
		str_same(a->habitat_lines[i], b->habitat_lines[i], "habitat");
	cr_assert_eq(a->salary, b->salary);
	str_same(a->salary_basis, b->salary_basis, "salary_basis");
	str_same(a->salary_quote, b->salary_quote, "salary_quote");
	cr_assert_eq(a->flight_risk, b->flight_risk);
	str_same(a->risk_label, b->risk_label, "risk_label");
	str_same(a->diagnosis, b->diagnosis, "diagnosis");
	cr_assert_eq(a->nmetrics, b->nmetrics);
	for (size_t i = 0; i < a->nmetrics; i++) {
		str_same(a->metrics[i].name, b->metrics[i].name, "metric name");
		str_same(a->metrics[i].text, b->metrics[i].text, "metric text");
	}
	cr_assert_eq(a->nweapons, b->nweapons);
	for (size_t i = 0; i < a->nweapons; i++) {
		str_same(a->weapons[i].name, b->weapons[i].name, "weapon name");
		str_same(a->weapons[i].text, b->weapons[i].text, "weapon text");
	}
	str_same(a->encounter, b->encounter, "encounter");
	cr_assert_eq(a->nautopsy, b->nautopsy);
	for (size_t i = 0; i < a->nautopsy; i++) {
		str_same(a->autopsy[i].illusion, b->autopsy[i].illusion, "illusion");
		str_same(a->autopsy[i].source, b->autopsy[i].source, "source");
		str_same(a->autopsy[i].translation, b->autopsy[i].translation, "translation");
	}
	cr_assert_eq(a->nlog, b->nlog);
	for (size_t i = 0; i < a->nlog; i++) {
		str_same(a->log[i].slot, b->log[i].slot, "slot");
		str_same(a->log[i].title, b->log[i].title, "log title");
		str_same(a->log[i].text, b->log[i].text, "log text");
	}
	cr_assert_eq(a->ncomplaints, b->ncomplaints);
	for (size_t i = 0; i < a->ncomplaints; i++) {
		str_same(a->complaints[i].text, b->complaints[i].text, "complaint");
		str_same(a->complaints[i].source, b->complaints[i].source, "complaint source");
	}
	cr_assert_eq(a->nrelated, b->nrelated);
	for (size_t i = 0; i < a->nrelated; i++) {
		cr_assert_eq(a->related[i].percent, b->related[i].percent);
		str_same(a->related[i].title, b->related[i].title, "related title");
		str_same(a->related[i].text, b->related[i].text, "related text");
	}
}

Test(corpus, roundtrip_seed_fields)
{
	otz_record *a = parse_file(SEED);
	char *out = render_text(a);
	/* The scraped alias line comes back separated, so not byte for byte. */
	cr_assert(strstr(out, "\nAI Workflow Manager \xc2\xb7 Human-AI Interaction Lead \xc2\xb7 "
	                      "Data Annotation Program Lead \xc2\xb7 AI Quality Assurance "
	                      "Coordinator (with human element)\n"),
	          "%s", out);
	otz_record *b = NULL;
	otz_error err = {0};
	cr_assert_eq(otz_record_parse(&b, out, strlen(out), "rendered", &err), 0, "%s", err.msg);
	records_same(a, b);
	/* And a second round is a fixed point. */
	char *out2 = render_text(b);
	cr_assert_str_eq(out2, out);
	free(out2);
	otz_record_free(b);
	free(out);
	otz_record_free(a);
}

/* The spaced form a reader is shown: the seed's run-togethers come apart,
 * and it reads back as the same record, to a fixed point. */
Test(corpus, spaced_form_of_the_seed_reads_back)
{
	otz_record *a = parse_file(SEED);
	char *out = render_form(a, OTZ_FORMAT_TEXT);
	cr_assert(strstr(out, "\nFLIGHT RISK: 85% (HIGH RISK)\n"), "%s", out);
	cr_assert(strstr(out, "\nDIAGNOSIS: As AI models advance,"), "%s", out);
	cr_assert(strstr(out, "\nIF ENGAGED: Nod empathetically"), "%s", out);
	cr_assert(strstr(out, "\n[11] RELATED SPECIMENS\nSYSTEM MATCH: 98%\nLead Backend"), "%s",
	          out);
	cr_assert(strstr(out, "developers.\n\nSYSTEM MATCH: 91%\nEnterprise Architect\n"), "%s", out);
	/* None of the scraped page's glue is left. */
	cr_assert_null(strstr(out, "[DIAGNOSIS]"));
	cr_assert_null(strstr(out, "[IF ENGAGED:]"));
	cr_assert_null(strstr(out, "\xe2\x86\x97")); /* the link's arrow */
	cr_assert_null(strstr(out, "\xe2\x86\x92")); /* the lone arrows */
	cr_assert_null(strstr(out, "VIEW FULL TAXONOMY"));
	otz_record *b = NULL;
	otz_error err = {0};
	cr_assert_eq(otz_record_parse(&b, out, strlen(out), "spaced", &err), 0, "%s", err.msg);
	records_same(a, b);
	char *out2 = render_form(b, OTZ_FORMAT_TEXT);
	cr_assert_str_eq(out2, out);
	/* And from the spaced form, the record form is the file's again. */
	char *back = render_form(b, OTZ_FORMAT_RECORD), *direct = render_form(a, OTZ_FORMAT_RECORD);
	cr_assert_str_eq(back, direct);
	free(direct);
	free(back);
	free(out2);
	otz_record_free(b);
	free(out);
	otz_record_free(a);
}

/* Every specimen read from its spaced form is the specimen read from its file. */
Test(corpus, spaced_form_of_every_specimen_reads_back, .timeout = 30)
{
	char *dir = path_in("corpus", "");
	char **files = NULL;
	size_t n = 0;
	otz_error err = {0};
	cr_assert_eq(otz__list_dir(dir, ".txt", &files, &n, &err), 0, "%s", err.msg);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *text = t_slurp(files[i], &len);
		otz_record *a = NULL, *b = NULL;
		cr_assert_eq(otz_record_parse(&a, text, len, files[i], &err), 0, "%s", err.msg);
		char *out = render_form(a, OTZ_FORMAT_TEXT);
		cr_assert_eq(otz_record_parse(&b, out, strlen(out), files[i], &err), 0, "%s", err.msg);
		records_same(a, b);
		char *file_form = render_form(b, OTZ_FORMAT_RECORD);
		if (strstr(files[i], "/000_") == NULL) /* the scraped seed is not in the file form */
			cr_assert(strlen(file_form) == len && memcmp(file_form, text, len) == 0,
			          "%s: the file form of the spaced form is not the file", files[i]);
		free(file_form);
		free(out);
		otz_record_free(b);
		otz_record_free(a);
		free(text);
	}
	otz__free_strv(files, n);
	free(dir);
}

/* The reader takes each label glued, as scraped, and spaced, as written;
 * only the one space after a spaced label is the label's. */
Test(corpus, labels_read_glued_and_spaced)
{
	static const struct {
		const char *lines, *label, *diagnosis, *encounter;
	} cases[] = {
		{"FLIGHT RISK:85%HIGH RISK\n[DIAGNOSIS]Tenure is short.\n"
		 "[07] SURVIVAL / ENCOUNTER GUIDE\n[IF ENGAGED:]Nod.\n",
		 "HIGH RISK", "Tenure is short.", "Nod."},
		{"FLIGHT RISK: 85% (HIGH RISK)\nDIAGNOSIS: Tenure is short.\n"
		 "[07] SURVIVAL / ENCOUNTER GUIDE\nIF ENGAGED: Nod.\n",
		 "HIGH RISK", "Tenure is short.", "Nod."},
		/* the label on its own line, the text on the next */
		{"FLIGHT RISK:85%\n[DIAGNOSIS]\nTenure is short.\n"
		 "[07] SURVIVAL / ENCOUNTER GUIDE\nIF ENGAGED:\nNod.\n",
		 "", "Tenure is short.", "Nod."},
		{"FLIGHT RISK: 85% (HIGH RISK)\nDIAGNOSIS:\nTenure is short.\n"
		 "[07] SURVIVAL / ENCOUNTER GUIDE\n[IF ENGAGED:]\nNod.\n",
		 "HIGH RISK", "Tenure is short.", "Nod."},
		/* a second space belongs to the text; no space at all is read too */
		{"FLIGHT RISK: 85% ((odd))\nDIAGNOSIS:  Tenure is short.\n"
		 "[07] SURVIVAL / ENCOUNTER GUIDE\nIF ENGAGED:Nod.\n",
		 "(odd)", " Tenure is short.", "Nod."},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char text[512];
		snprintf(text, sizeof(text), "FILE RECORD: X\nX Role\n[04] THE FLIGHT RISK\n%s",
		         cases[k].lines);
		otz_error err = {0};
		otz_record *r = parse_str(text, 0, &err);
		cr_assert_eq(r->flight_risk, 85, "case %zu", k);
		STR_EQ(r->risk_label, cases[k].label);
		STR_EQ(r->diagnosis, cases[k].diagnosis);
		STR_EQ(r->encounter, cases[k].encounter);
		/* Written spaced, read again: the same fields. */
		char *out = render_form(r, OTZ_FORMAT_TEXT);
		otz_record *b = NULL;
		cr_assert_eq(otz_record_parse(&b, out, strlen(out), "spaced", &err), 0, "%s", err.msg);
		STR_EQ(b->risk_label, cases[k].label);
		STR_EQ(b->diagnosis, cases[k].diagnosis);
		STR_EQ(b->encounter, cases[k].encounter);
		free(out);
		otz_record_free(b);
		otz_record_free(r);
	}
}

/* ---- the database ------------------------------------------------- */

static otz_engine *engine_from_sources(void)
{
	char *rules = path_in("rules", ""), *corpus = path_in("corpus", "");
	otz_engine *e = NULL;
	otz_error err = {0};
	int rc = otz_engine_from_sources(&e, rules, corpus, NULL, &err);
	cr_assert_eq(rc, 0, "from_sources: %s", err.msg);
	free(rules);
	free(corpus);
	return e;
}

static char *translate_json(const otz_engine *e, const char *in, size_t len)
{
	otz_session *s = NULL;
	cr_assert_eq(otz_session_new(&s, e), 0);
	otz_record *r = NULL;
	otz_error err = {0};
	otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
	cr_assert_eq(otz_translate(&r, s, in, len, &o, &err), 0, "%s", err.msg);
	otz_buf b = OTZ_BUF_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	ro.format = OTZ_FORMAT_JSON;
	cr_assert_eq(otz_render(&b, r, &ro, &err), 0, "%s", err.msg);
	cr_assert_eq(otz__buf_put(&b, "", 1), 0);
	otz_record_free(r);
	otz_session_free(s);
	return b.ptr;
}

/* Build from sources and save into dir/name; returns the malloc'ed path. */
static char *save_good_db(const char *dir, const char *name)
{
	otz_engine *e = engine_from_sources();
	char *db = malloc(strlen(dir) + strlen(name) + 2);
	cr_assert(db);
	sprintf(db, "%s/%s", dir, name);
	otz_error err = {0};
	cr_assert_eq(otz_engine_save(e, db, &err), 0, "save: %s", err.msg);
	otz_engine_free(e);
	return db;
}

Test(corpus, db_save_load_roundtrip, .timeout = 20)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	otz_engine *a = engine_from_sources();
	char db[128];
	snprintf(db, sizeof(db), "%s/otiose.db", dir);
	otz_error err = {0};
	cr_assert_eq(otz_engine_save(a, db, &err), 0, "save: %s", err.msg);
	/* Only the database is left: the temporary file was renamed. */
	cr_assert_eq(dir_entries(dir), 1);

	otz_engine *b = NULL;
	cr_assert_eq(otz_engine_load(&b, db, &err), 0, "load: %s", err.msg);
	const otz_ruleset *ra = otz_engine_rules(a), *rb = otz_engine_rules(b);
	cr_assert_gt(otz_ruleset_count(ra), 0);
	cr_assert_eq(otz_ruleset_count(rb), otz_ruleset_count(ra));
	cr_assert_eq(otz_ruleset_pattern_count(rb), otz_ruleset_pattern_count(ra));
	for (size_t i = 0; i < otz_ruleset_count(ra); i++) {
		otz_rule_info x, y;
		cr_assert_eq(otz_ruleset_info(ra, i, &x), 0);
		cr_assert_eq(otz_ruleset_info(rb, i, &y), 0);
		cr_assert_str_eq(x.id, y.id);
		cr_assert_eq(x.category, y.category, "%s", x.id);
		cr_assert_eq(x.weight, y.weight, "%s", x.id);
		cr_assert_str_eq(x.translation, y.translation, "%s", x.id);
		cr_assert_eq(x.line, y.line, "%s", x.id);
		cr_assert_eq(x.npatterns, y.npatterns, "%s", x.id);
		cr_assert_eq(ra->rules[i].shape, rb->rules[i].shape, "%s", x.id);
	}
	/* the shape rules, which have no pattern, are found again by shape */
	cr_assert_geq(ra->shape_rule[OTZ_MK_RATE], 0);
	for (int k = OTZ_MK_NONE + 1; k < OTZ_MK__COUNT; k++)
		cr_assert_eq(rb->shape_rule[k], ra->shape_rule[k], "%s", otz__metric_kind_name(k));
	size_t ns = otz_engine_specimen_count(a);
	char *cdir = path_in("corpus", "");
	char **files = NULL;
	size_t nfiles = 0;
	cr_assert_eq(otz__list_dir(cdir, ".txt", &files, &nfiles, &err), 0, "%s", err.msg);
	cr_assert_eq(ns, nfiles, "specimens %zu, corpus/*.txt %zu", ns, nfiles);
	otz__free_strv(files, nfiles);
	free(cdir);
	cr_assert_eq(otz_engine_specimen_count(b), ns);
	for (size_t i = 0; i < ns; i++) {
		cr_assert_str_eq(otz_engine_specimen(b, i)->title, otz_engine_specimen(a, i)->title);
		cr_assert_str_eq(otz_engine_specimen(b, i)->slug, otz_engine_specimen(a, i)->slug);
		cr_assert_str_eq(otz_engine_specimen_file(b, i), otz_engine_specimen_file(a, i));
	}
	cr_assert_str_eq(otz_engine_specimen_file(a, 0), SEED);

	char *jd = path_in("tests/data", "sample_jd.txt");
	size_t len;
	char *in = t_slurp(jd, &len);
	char *ja = translate_json(a, in, len), *jb = translate_json(b, in, len);
	cr_assert_str_eq(jb, ja);
	free(ja);
	free(jb);
	static const char seed_lines[] =
		"Exposure to human-in-the-loop AI processes and automation in data review workflows.\n";
	ja = translate_json(a, seed_lines, sizeof(seed_lines) - 1);
	jb = translate_json(b, seed_lines, sizeof(seed_lines) - 1);
	cr_assert_str_eq(jb, ja);
	free(ja);
	free(jb);
	free(in);
	free(jd);
	otz_engine_free(b);
	otz_engine_free(a);
	remove_tmpdir(dir);
}

static void expect_bad_db(const char *db, const char *also)
{
	otz_engine *e = (otz_engine *)0x1;
	otz_error err = {0};
	int rc = otz_engine_load(&e, db, &err);
	cr_assert_eq(rc, OTZ_EDB, "%s: rc %d (%s)", db, rc, err.msg);
	cr_assert_eq(err.code, OTZ_EDB);
	cr_assert(e == (otz_engine *)0x1, "*out written on failure");
	cr_assert(strstr(err.msg, db), "message does not name %s: %s", db, err.msg);
	if (also)
		cr_assert(strstr(err.msg, also), "message lacks \"%s\": %s", also, err.msg);
}

Test(corpus, db_missing_file)
{
	char dir[64], db[128];
	make_tmpdir(dir, sizeof(dir));
	snprintf(db, sizeof(db), "%s/nothing-here.db", dir);
	expect_bad_db(db, NULL);
	/* Loading must not create the file. */
	cr_assert_eq(dir_entries(dir), 0);
	remove_tmpdir(dir);
}

Test(corpus, db_random_bytes)
{
	char dir[64], db[128];
	make_tmpdir(dir, sizeof(dir));
	snprintf(db, sizeof(db), "%s/random.db", dir);
	unsigned char buf[8192];
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
	t_spit(db, buf, sizeof(buf));
	expect_bad_db(db, NULL);
	remove_tmpdir(dir);
}

Test(corpus, db_truncated)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	char *good = save_good_db(dir, "good.db");
	size_t len;
	char *bytes = t_slurp(good, &len);
	cr_assert_gt(len, 4096);
	char db[128];
	snprintf(db, sizeof(db), "%s/truncated.db", dir);
	t_spit(db, bytes, 4096);
	expect_bad_db(db, NULL);
	free(bytes);
	free(good);
	remove_tmpdir(dir);
}

Test(corpus, db_foreign_sqlite)
{
	char dir[64], db[128];
	make_tmpdir(dir, sizeof(dir));
	snprintf(db, sizeof(db), "%s/foreign.db", dir);
	sqlite3 *h = NULL;
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, "CREATE TABLE people(name TEXT); "
	                             "INSERT INTO people VALUES('ada');",
	                          NULL, NULL, NULL),
	             SQLITE_OK);
	sqlite3_close(h);
	expect_bad_db(db, "not an otiose");
	remove_tmpdir(dir);
}

Test(corpus, db_newer_format)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	char *db = save_good_db(dir, "newer.db");
	sqlite3 *h = NULL;
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, "UPDATE meta SET value='99' WHERE key='format';", NULL, NULL,
	                          NULL),
	             SQLITE_OK);
	cr_assert_eq(sqlite3_changes(h), 1);
	sqlite3_close(h);
	expect_bad_db(db, "newer");
	free(db);
	remove_tmpdir(dir);
}

/* A shape the engine does not know, or a rule that is neither a shape rule
 * nor has a pattern, is a corrupt database, not a rule to guess at; so is a
 * pattern of a rule that is not there (read after the patterns of every
 * rule before it were counted: the engine let go on the way out must not
 * walk them). */
Test(corpus, db_bad_shape_rows)
{
	static const char *const edits[] = {
		"UPDATE rules SET shape='colour' WHERE shape='rate';",
		"UPDATE rules SET shape=NULL WHERE shape='rate';",
		"UPDATE rules SET shape='rate' WHERE id='kpis';",
		"UPDATE patterns SET rule_ord=99999 WHERE rule_ord=5 AND idx=0;",
	};
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		char *db = save_good_db(dir, "shape.db");
		sqlite3 *h = NULL;
		cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
		cr_assert_eq(sqlite3_exec(h, edits[i], NULL, NULL, NULL), SQLITE_OK);
		cr_assert_eq(sqlite3_changes(h), 1, "%s", edits[i]);
		sqlite3_close(h);
		expect_bad_db(db, "corrupt");
		unlink(db);
		free(db);
	}
	remove_tmpdir(dir);
}

Test(corpus, db_save_into_missing_directory)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	otz_engine *e = engine_from_sources();
	char db[160];
	snprintf(db, sizeof(db), "%s/no-such-dir/otiose.db", dir);
	otz_error err = {0};
	int rc = otz_engine_save(e, db, &err);
	cr_assert(rc == OTZ_EDB || rc == OTZ_EIO, "rc %d (%s)", rc, err.msg);
	cr_assert_eq(err.code, rc);
	cr_assert(strstr(err.msg, "no-such-dir"), "%s", err.msg);
	struct stat sb;
	cr_assert_neq(stat(db, &sb), 0);
	cr_assert_eq(dir_entries(dir), 0, "something was left in %s", dir);
	otz_engine_free(e);
	remove_tmpdir(dir);
}

Test(corpus, db_save_replaces_existing_file)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	char db[128];
	snprintf(db, sizeof(db), "%s/otiose.db", dir);
	t_spit(db, "old contents, not a database\n", 29);
	otz_engine *e = engine_from_sources();
	otz_error err = {0};
	cr_assert_eq(otz_engine_save(e, db, &err), 0, "%s", err.msg);
	cr_assert_eq(dir_entries(dir), 1);
	otz_engine *b = NULL;
	cr_assert_eq(otz_engine_load(&b, db, &err), 0, "%s", err.msg);
	cr_assert_eq(otz_engine_specimen_count(b), otz_engine_specimen_count(e));
	otz_engine_free(b);
	otz_engine_free(e);
	remove_tmpdir(dir);
}

/* ---- a loaded engine reads each specimen's record (and the rules'
 * examples) when first needed ---- */

static const char lazy_rules[] =
	"rule: ninja\ncategory: red-flag\nweight: 6\npattern: \\b(ninja|rockstar)\\b\n"
	"translate: a $1\nexample: We need a ninja.\n\n"
	"rule: synergy\ncategory: buzzword\nweight: 6\npattern: \\bsynergy\\b\n"
	"translate: meetings\nexample: Drive synergy.\n";

static const char lazy_posting[] =
	"Senior Data Analyst\nWe need a rockstar data analyst to drive synergy. You will build "
	"dashboards in Tableau, write SQL against the warehouse and present to stakeholders.\n";

/* An engine of lazy_rules and four specimens, and the same saved into dir
 * and loaded back (after `sql`, if any, is run on the file). */
static void lazy_pair(const char *dir, const char *sql, otz_engine **src, otz_engine **loaded)
{
	static const char *const names[] = {SEED, "001_lead-backend-data-procurement-analyst.txt",
	                                    "002_enterprise-architect.txt", "003_sdet.txt"};
	char *texts[4];
	for (int i = 0; i < 4; i++)
		texts[i] = t_read_rel("corpus", names[i], NULL);
	*src = t_engine_from(lazy_rules, (const char *const *)texts, 4);
	for (int i = 0; i < 4; i++)
		free(texts[i]);
	char db[128];
	snprintf(db, sizeof(db), "%s/lazy.db", dir);
	otz_error err = {0};
	cr_assert_eq(otz_engine_save(*src, db, &err), 0, "save: %s", err.msg);
	if (sql)
		cr_assert_eq(t_sh("sqlite3 '%s' \"%s\"", db, sql), 0, "%s", sql);
	cr_assert_eq(otz_engine_load(loaded, db, &err), 0, "load: %s", err.msg);
}

static size_t parsed(const otz_engine *e)
{
	size_t n = 0;
	for (size_t i = 0; i < e->nspecimens; i++)
		n += atomic_load(&e->specimens[i]) != NULL;
	return n;
}

Test(corpus, db_specimen_records_are_read_when_first_needed, .timeout = 20)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	otz_engine *a, *b;
	lazy_pair(dir, NULL, &a, &b);
	cr_assert_eq(otz_engine_specimen_count(b), 4);
	cr_expect_eq(parsed(b), 0, "%zu records parsed at load", parsed(b));
	/* Nor their vectors: the inverted index is stored whole, and is the
	 * one built from them. */
	for (size_t i = 0; i < 4; i++)
		cr_expect_null(b->vecs[i]);
	size_t nv = otz__vocab_size(a->vocab);
	cr_assert_eq(otz__vocab_size(b->vocab), nv);
	for (size_t k = 0; k < nv; k++) {
		cr_assert_str_eq(otz__vocab_key(b->vocab, k), otz__vocab_key(a->vocab, k));
		cr_assert_eq(otz__vocab_idf(b->vocab, k), otz__vocab_idf(a->vocab, k));
		cr_assert_eq(otz__vocab_get(b->vocab, otz__vocab_key(a->vocab, k)), (long)k);
	}
	cr_expect(memcmp(b->post_start, a->post_start, (nv + 1) * sizeof(uint32_t)) == 0);
	cr_expect(memcmp(b->post, a->post, a->post_start[nv] * sizeof(otz_vent)) == 0);
	cr_expect(memcmp(b->prior, a->prior, 4 * sizeof(double)) == 0);
	/* The rules' examples too are read when first asked for, and are the
	 * rules' own. */
	const otz_ruleset *ra = otz_engine_rules(a), *rb = otz_engine_rules(b);
	cr_expect_eq(atomic_load(&rb->examples_ready), 0);
	for (size_t i = 0; i < otz_ruleset_count(ra); i++) {
		const char *x, *y;
		int cx, cy;
		size_t k = 0;
		for (; (x = otz_ruleset_example(ra, i, k, &cx)); k++) {
			cr_assert_not_null(y = otz_ruleset_example(rb, i, k, &cy), "rule %zu, example %zu", i,
			                   k);
			cr_expect_str_eq(y, x);
			cr_expect_eq(cy, cx);
		}
		cr_expect_null(otz_ruleset_example(rb, i, k, &cy));
	}
	cr_expect_eq(atomic_load(&rb->examples_ready), 1);
	/* The title index read from the stored words is the one built from the
	 * records. */
	cr_assert_eq(b->ntkeys, a->ntkeys);
	for (size_t k = 0; k < a->ntkeys; k++) {
		cr_assert_eq(b->tkeys[k].spec, a->tkeys[k].spec);
		cr_assert_eq(b->tkeys[k].alias, a->tkeys[k].alias);
		cr_assert_eq(b->tkeys[k].nwords, a->tkeys[k].nwords, "key %zu", k);
		for (size_t w = 0; w < a->tkeys[k].nwords; w++)
			cr_expect_str_eq(otz__vocab_key(b->twords, b->tkeys[k].words[w]),
			                 otz__vocab_key(a->twords, a->tkeys[k].words[w]));
	}
	cr_assert_eq(otz__vocab_size(b->tphrase), otz__vocab_size(a->tphrase));
	/* Nor are the rules' variants. */
	for (size_t i = 0; i < otz_ruleset_count(rb); i++)
		cr_expect_eq(atomic_load(&rb->rules[i].ready), 0, "rule %zu", i);
	/* A translation reads those it names, and the variants of the rules
	 * that hit, and says what the engine built from sources says. */
	char *ja = translate_json(a, lazy_posting, strlen(lazy_posting));
	char *jb = translate_json(b, lazy_posting, strlen(lazy_posting));
	cr_expect_str_eq(jb, ja);
	size_t after = parsed(b);
	cr_expect(after >= 1 && after <= 3, "%zu records parsed", after);
	for (size_t i = 0; i < otz_ruleset_count(rb); i++)
		cr_expect_eq(atomic_load(&rb->rules[i].ready), 1, "rule %zu", i); /* both hit */
	/* The accessors read the rest. */
	for (size_t i = 0; i < 4; i++) {
		cr_assert_not_null(otz_engine_specimen(b, i));
		cr_expect_str_eq(otz_engine_specimen(b, i)->title, otz_engine_specimen(a, i)->title);
		cr_expect_str_eq(otz_engine_specimen_text(b, i), otz_engine_specimen_text(a, i));
		cr_assert_eq(b->veclens[i], a->veclens[i]);
		cr_expect(memcmp(b->vecs[i], a->vecs[i], a->veclens[i] * sizeof(otz_vent)) == 0);
	}
	cr_expect_eq(parsed(b), 4);
	free(ja);
	free(jb);
	otz_engine_free(b);
	otz_engine_free(a);
	remove_tmpdir(dir);
}

Test(corpus, db_a_corrupt_record_is_found_when_it_is_needed, .timeout = 20)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	otz_engine *a, *b;
	lazy_pair(dir, "UPDATE specimens SET record = ''", &a, &b);
	otz_session *s = NULL;
	cr_assert_eq(otz_session_new(&s, b), 0);
	otz_record *r = NULL;
	otz_error err = {0};
	int rc = otz_translate(&r, s, lazy_posting, strlen(lazy_posting), NULL, &err);
	cr_expect_eq(rc, OTZ_EDB, "rc %d: %s", rc, err.msg);
	cr_expect(strstr(err.msg, "lazy.db") && strstr(err.msg, "corrupt"), "%s", err.msg);
	cr_expect_null(r);
	cr_expect_null(otz_engine_specimen(b, 0));
	cr_expect_null(otz_engine_specimen_text(b, 0));
	otz_session_free(s);
	otz_engine_free(b);
	otz_engine_free(a);
	remove_tmpdir(dir);
}

Test(corpus, db_a_rule_without_a_plain_translation_is_found_when_it_hits, .timeout = 20)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	otz_engine *a, *b;
	/* Rule 0 ('ninja') left with a translation for data roles only. */
	lazy_pair(dir, "UPDATE variants SET family = 'data' WHERE rule_ord = 0", &a, &b);
	otz_session *s = NULL;
	cr_assert_eq(otz_session_new(&s, b), 0);
	otz_record *r = NULL;
	otz_error err = {0};
	static const char calm[] = "Drive synergy across the data team.\n";
	cr_expect_eq(otz_translate(&r, s, calm, strlen(calm), NULL, &err), 0, "%s", err.msg);
	otz_record_free(r);
	r = NULL;
	int rc = otz_translate(&r, s, lazy_posting, strlen(lazy_posting), NULL, &err);
	cr_expect_eq(rc, OTZ_EDB, "rc %d: %s", rc, err.msg);
	cr_expect(strstr(err.msg, "lazy.db") && strstr(err.msg, "'ninja'"), "%s", err.msg);
	cr_expect_null(r);
	otz_session_free(s);
	otz_engine_free(b);
	otz_engine_free(a);
	remove_tmpdir(dir);
}

typedef struct lazy_racer {
	const otz_engine *e;
	char *json;
} lazy_racer;

static void *lazy_race(void *arg)
{
	lazy_racer *r = arg;
	otz_session *s = NULL;
	otz_record *rec = NULL;
	otz_buf b = OTZ_BUF_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	ro.format = OTZ_FORMAT_JSON;
	if (!otz_session_new(&s, r->e) &&
	    !otz_translate(&rec, s, lazy_posting, strlen(lazy_posting), NULL, NULL) &&
	    !otz_render(&b, rec, &ro, NULL) && !otz__buf_put(&b, "", 1))
		r->json = b.ptr;
	else
		otz_buf_dispose(&b);
	otz_record_free(rec);
	otz_session_free(s);
	return NULL;
}

Test(corpus, db_threads_reading_the_same_records_at_once_agree, .timeout = 20)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	otz_engine *a, *b;
	lazy_pair(dir, NULL, &a, &b);
	char *want = translate_json(a, lazy_posting, strlen(lazy_posting));
	enum { N = 4 };
	lazy_racer r[N];
	pthread_t tid[N];
	for (int i = 0; i < N; i++) {
		r[i] = (lazy_racer){b, NULL};
		cr_assert_eq(pthread_create(&tid[i], NULL, lazy_race, &r[i]), 0);
	}
	for (int i = 0; i < N; i++)
		pthread_join(tid[i], NULL);
	for (int i = 0; i < N; i++) {
		cr_assert_not_null(r[i].json, "thread %d failed", i);
		cr_expect_str_eq(r[i].json, want, "thread %d", i);
		free(r[i].json);
	}
	free(want);
	otz_engine_free(b);
	otz_engine_free(a);
	remove_tmpdir(dir);
}

Test(corpus, db_without_its_stored_indexes_builds_them, .timeout = 20)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	otz_engine *a, *b;
	lazy_pair(dir, "DELETE FROM postings; DELETE FROM prefilter; DELETE FROM vocab_packed", &a,
	          &b);
	cr_assert_not_null(b->vecs[0]);
	char *ja = translate_json(a, lazy_posting, strlen(lazy_posting));
	char *jb = translate_json(b, lazy_posting, strlen(lazy_posting));
	cr_expect_str_eq(jb, ja);
	free(ja);
	free(jb);
	otz_engine_free(b);
	otz_engine_free(a);
	remove_tmpdir(dir);
}

Test(corpus, db_a_corrupt_inverted_index_or_vocabulary_is_refused_at_load, .timeout = 20)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	char *db = save_good_db(dir, "post.db");
	/* One posting of a specimen that is not there. */
	cr_assert_eq(t_sh("python3 -c \"import sqlite3,struct; c=sqlite3.connect('%s'); "
	                  "d=bytearray(c.execute('select data from postings').fetchone()[0]); "
	                  "nv=struct.unpack_from('<I',d,8)[0]; "
	                  "struct.pack_into('<I',d,20+(nv+1)*4,99999); "
	                  "c.execute('update postings set data=?',(bytes(d),)); c.commit()\"",
	                  db),
	             0);
	expect_bad_db(db, "corrupt inverted index");
	cr_assert_eq(t_sh("sqlite3 '%s' \"UPDATE vocab_packed SET data = x'4f54564301000000'\"", db),
	             0);
	expect_bad_db(db, "corrupt vocabulary");
	free(db);
	remove_tmpdir(dir);
}

Test(corpus, db_a_corrupt_prefilter_is_refused_at_load, .timeout = 20)
{
	char dir[64];
	make_tmpdir(dir, sizeof(dir));
	char *db = save_good_db(dir, "pf.db");
	cr_assert_eq(t_sh("sqlite3 '%s' \"UPDATE prefilter SET data = x'4f54465001000000'\"", db), 0);
	expect_bad_db(db, "corrupt prefilter");
	/* A database without one (built before it was stored) gets it built. */
	cr_assert_eq(t_sh("sqlite3 '%s' 'DELETE FROM prefilter'", db), 0);
	otz_engine *e = NULL;
	otz_error err = {0};
	cr_assert_eq(otz_engine_load(&e, db, &err), 0, "%s", err.msg);
	cr_assert_not_null(e->pf);
	otz_engine_free(e);
	free(db);
	remove_tmpdir(dir);
}
