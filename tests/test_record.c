/*
 * test_record.c - building the file record of a translation (engine/pipeline.c).
 *
 * Title guessing, the stated salary, sections left empty without evidence,
 * input that cannot be translated, autopsy spans that point at the original
 * bytes, and a large input.  The figures' golden values are in
 * test_figures.c.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "include/otz.h"
#include "internal.h"
#include "support.h"

/* One engine and session per test (each test runs in its own process). */
static otz_engine *eng;
static otz_session *ses;

static void setup(void)
{
	t_repo_open(&eng, &ses);
}

static void teardown(void)
{
	t_repo_close(&eng, &ses);
}

static otz_record *tr_opts(const char *in, size_t len, const otz_translate_options *o)
{
	otz_record *r = NULL;
	otz_error err = {0};
	int rc = otz_translate(&r, ses, in, len, o, &err);
	cr_assert_eq(rc, 0, "translate: %d %s", rc, err.msg);
	cr_assert(r);
	return r;
}

static otz_record *tr(const char *in)
{
	return tr_opts(in, strlen(in), NULL);
}

/* Translate, expecting failure with `code`; returns the message. */
static void tr_fail(const char *in, size_t len, int lossy, int code, const char *msg_part)
{
	otz_record *r = (otz_record *)0x1;
	otz_error err = {0};
	otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
	o.lossy = lossy;
	int rc = otz_translate(&r, ses, in, len, &o, &err);
	cr_assert_eq(rc, code, "rc %d (%s), expected %d", rc, err.msg, code);
	cr_assert_eq(err.code, code);
	cr_assert(r == (otz_record *)0x1, "*out written on failure");
	if (msg_part)
		cr_assert(strstr(err.msg, msg_part), "message lacks \"%s\": %s", msg_part, err.msg);
}

static char *render(const otz_record *r, otz_format fmt)
{
	otz_buf b = OTZ_BUF_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	ro.format = fmt;
	otz_error err = {0};
	cr_assert_eq(otz_render(&b, r, &ro, &err), 0, "%s", err.msg);
	cr_assert_eq(otz__buf_put(&b, "", 1), 0);
	return b.ptr;
}

/* ---- titles ------------------------------------------------------- */

Test(record, title_from_short_first_line, .init = setup, .fini = teardown)
{
	otz_record *r = tr("Senior Data Engineer\n\nWe are looking for someone to build data "
	                   "pipelines and drive alignment with stakeholders.\n");
	cr_assert_str_eq(r->title, "Senior Data Engineer");
	cr_assert_str_eq(r->slug, "SENIOR-DATA-ENGINEER");
	cr_assert_eq(r->is_translation, 1);
	otz_record_free(r);
	/* Original casing and wording, not the case-folded text. */
	r = tr("  Staff iOS Engineer (Remote)  \r\n\r\nYou will ship the app.\r\n");
	cr_assert_str_eq(r->title, "Staff iOS Engineer (Remote)");
	cr_assert_str_eq(r->slug, "STAFF-IOS-ENGINEER-REMOTE");
	otz_record_free(r);
}

/* The title read off a posting: a first line short and bare enough to be
 * one, or a line among the first that labels it; never a sentence, a
 * heading, a date or another particular (then the placeholder, which names
 * no role). */
Test(record, the_title_read_off_a_posting, .init = setup, .fini = teardown)
{
	static const struct {
		const char *in, *title;
	} cases[] = {
		{"We are looking for a passionate engineer to join our fast-paced team and build great "
		 "things.\nYou will own the roadmap.\n",
		 "Unfiled Role"},
		{"About the role:\nYou will build pipelines.\n", "Unfiled Role"},
		{"- Build pipelines\n- Fix dashboards\n", "Unfiled Role"},
		{"Bake bread at dawn. The oven is old.\n", "Unfiled Role"},
		{"Company Overview\nWe bake bread.\n", "Unfiled Role"},
		{"JOB DESCRIPTION\nYou will bake bread.\n", "Unfiled Role"},
		{"Who We Are\nBakers.\n", "Unfiled Role"},
		{"Wednesday, March 25, 2020\nYou will bake bread.\n", "Unfiled Role"},
		{"10-Oct-2019\nYou will bake bread.\n", "Unfiled Role"},
		{"Location: Tampa, FL\nYou will bake bread.\n", "Unfiled Role"},
		{"Req Id: 2475\nYou will bake bread.\n", "Unfiled Role"},
		/* a line that labels the title gives it, in its own words */
		{"Position Title: Lead Data Scientist\nYou will build models.\n", "Lead Data Scientist"},
		{"Company Overview\nWe bake bread.\nJob Title: Lead Data Scientist\nYou will build "
		 "models.\n",
		 "Lead Data Scientist"},
		{"Location: Tampa, FL\nPosition: Lead Data Scientist\nYou will build models.\n",
		 "Lead Data Scientist"},
		/* with no title line, the role a sentence says the posting hires
		 * for, in its own words; not a person, nor words in lower case */
		{"Overview\nWe are seeking a highly motivated Senior Data Scientist to join us.\n",
		 "Senior Data Scientist"},
		{"Overview\nWe're looking for an Account Executive, Mid-Market, to own deals.\n",
		 "Account Executive"},
		{"Overview\nWe are hiring a person to help with the data.\n", "Unfiled Role"},
		{"Overview\nWe are looking for a data scientist to help.\n", "Unfiled Role"},
		{"Overview\nWe are seeking a Python Wizard to help.\n", "Unfiled Role"},
		/* another line with a colon is kept whole */
		{"Sumo Logic: Staff Data Engineer\nYou will build pipelines.\n",
		 "Sumo Logic: Staff Data Engineer"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		otz_record *r = tr(cases[i].in);
		cr_assert_str_eq(r->title, cases[i].title, "input %zu", i);
		if (strcmp(cases[i].title, "Unfiled Role") == 0)
			cr_assert_str_eq(r->slug, "UNFILED-ROLE");
		otz_record_free(r);
	}
}

/* The line the title was read off names the job; it claims nothing, so
 * it is neither translated nor searched for metrics ("Cloud Engineer
 * (AWS)" is no single-cloud boast, "KPI Reporting Analyst" no KPI). */
Test(record, the_title_line_is_not_translated, .init = setup, .fini = teardown)
{
	static const char *const ins[] = {
		"Cloud Engineer (AWS)\n\nBuild infrastructure as code with Terraform.\n",
		"Job Title: Growth Ninja\n\nWe are a family.\n",
	};
	for (size_t i = 0; i < sizeof(ins) / sizeof(ins[0]); i++) {
		otz_record *r = tr(ins[i]);
		for (size_t k = 0; k < r->nautopsy; k++)
			cr_expect(strstr(r->autopsy[k].illusion, "Engineer (AWS)") == NULL &&
			              strstr(r->autopsy[k].illusion, "Ninja") == NULL,
			          "input %zu: %s", i, r->autopsy[k].illusion);
		otz_record_free(r);
	}
	/* the same words in a sentence of the posting are translated */
	otz_record *r = tr("Platform Engineer\n\nYou will be our growth ninja.\n");
	int ninja = 0;
	for (size_t k = 0; k < r->nautopsy; k++)
		ninja |= strstr(r->autopsy[k].illusion, "ninja") != NULL;
	for (size_t k = 0; k < r->nred_flags; k++)
		ninja |= r->red_flags[k].name && strstr(r->red_flags[k].name, "ninja") != NULL;
	cr_expect(ninja, "the sentence's ninja is still mocked");
	otz_record_free(r);
}

/* A title given with the posting is also the posting's first line when the
 * ad was pasted whole: that line names the job and is not translated, as a
 * title read off the text is not; another line is. */
Test(record, the_given_titles_own_line_is_not_translated, .init = setup, .fini = teardown)
{
	otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
	o.title = "growth ninja";
	static const char in[] = "Growth Ninja\n\nWe are a family.\n";
	otz_record *r = tr_opts(in, sizeof(in) - 1, &o);
	for (size_t k = 0; k < r->nautopsy; k++)
		cr_expect(strstr(r->autopsy[k].illusion, "Ninja") == NULL, "%s", r->autopsy[k].illusion);
	otz_record_free(r);
	static const char other[] = "Platform Engineer\n\nGrowth Ninja\n\nWe are a family.\n";
	o.title = "Platform Engineer";
	r = tr_opts(other, sizeof(other) - 1, &o);
	int ninja = 0;
	for (size_t k = 0; k < r->nautopsy; k++)
		ninja |= strstr(r->autopsy[k].illusion, "Ninja") != NULL;
	for (size_t k = 0; k < r->nred_flags; k++)
		ninja |= r->red_flags[k].name && strstr(r->red_flags[k].name, "inja") != NULL;
	cr_expect(ninja, "a line that is not the title is still read");
	otz_record_free(r);
}

Test(record, title_option_overrides, .init = setup, .fini = teardown)
{
	otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
	o.title = "Staff Widget Wrangler";
	static const char in[] = "Senior Data Engineer\n\nWe build pipelines.\n";
	otz_record *r = tr_opts(in, sizeof(in) - 1, &o);
	cr_assert_str_eq(r->title, "Staff Widget Wrangler");
	cr_assert_str_eq(r->slug, "STAFF-WIDGET-WRANGLER");
	cr_assert(r->title != o.title, "the record must own its title");
	otz_record_free(r);
}

Test(record, record_file_input_keeps_its_title, .init = setup, .fini = teardown)
{
	size_t len;
	char *text = t_read_rel("corpus", "003_sdet.txt", &len);
	otz_record *r = tr_opts(text, len, NULL);
	cr_assert_str_eq(r->title, "SDET");
	cr_assert_str_eq(r->slug, "SDET");
	otz_record_free(r);
	free(text);
	text = t_read_rel("corpus", "000_lead-ai-human-in-the-loop-integration-specialist.txt", &len);
	r = tr_opts(text, len, NULL);
	cr_assert_str_eq(r->title, "Lead AI Human-in-the-Loop Integration Specialist");
	cr_assert_str_eq(r->slug, "LEAD-AI-HUMAN-IN-THE-LOOP-INTEGRATION-SPECIALIST");
	otz_record_free(r);
	free(text);
}

Test(record, record_file_with_bom_or_blank_lines_keeps_its_title, .init = setup,
     .fini = teardown)
{
	/* The record parser accepts both (a BOM is skipped, blank lines are
	 * dropped), so the title must come from the record here too. */
	size_t len;
	char *text = t_read_rel("corpus", "003_sdet.txt", &len);
	static const char *const pre[] = {"\xef\xbb\xbf", "\n\n"};
	for (size_t k = 0; k < 2; k++) {
		size_t pl = strlen(pre[k]);
		char *in = malloc(len + pl);
		cr_assert(in);
		memcpy(in, pre[k], pl);
		memcpy(in + pl, text, len);
		otz_record *r = tr_opts(in, len + pl, NULL);
		cr_expect_str_eq(r->title, "SDET", "prefix %zu: title \"%s\"", k, r->title);
		otz_record_free(r);
		free(in);
	}
	free(text);
}

/* ---- empty sections and the Otiose index -------------------------- */

Test(record, no_hits_no_sections, .init = setup, .fini = teardown)
{
	static const char in[] = "Bake bread at dawn.\nThe oven is old.\n";
	otz_record *r = tr(in);
	cr_assert_eq(r->nhits, 0);
	cr_assert_eq(r->nsegments, 2);
	cr_assert_eq(r->input_bytes, sizeof(in) - 1);
	cr_assert_eq(r->nautopsy, 0);
	cr_assert_eq(r->nmetrics, 0);
	cr_assert_eq(r->nweapons, 0);
	cr_assert_eq(r->nhabitat, 0);
	cr_assert_eq(r->nred_flags, 0);
	cr_assert_eq(r->otiose_index.present, 1);
	cr_assert_eq(r->otiose_index.value, 0);
	cr_assert(r->otiose_index.reason && strstr(r->otiose_index.reason, "0 of 2"), "%s",
	          r->otiose_index.reason);
	cr_assert_eq(r->stated_salary_low, 0);
	char *text = render(r, OTZ_FORMAT_TEXT);
	cr_assert_null(strstr(text, "[08]"), "%s", text);
	cr_assert_null(strstr(text, "[05]"), "%s", text);
	cr_assert_null(strstr(text, "[06]"), "%s", text);
	cr_assert_null(strstr(text, "LINKEDIN ILLUSION"), "%s", text);
	cr_assert(strstr(text, "OTIOSE INDEX: 0/100\n"), "%s", text);
	free(text);
	otz_record_free(r);
}


Test(record, otiose_index, .init = setup, .fini = teardown)
{
	/* One sentence, one rule of weight 5: 5/6 of it is filler. */
	static const char one[] = "Drive alignment between sales and marketing.\n";
	otz_record *r = tr(one);
	cr_assert_eq(r->nhits, 1, "hits: %zu", r->nhits);
	cr_assert_eq(r->nautopsy, 1);
	cr_assert_str_eq(r->autopsy[0].rule_id, "drive-alignment");
	cr_assert_eq(r->autopsy[0].weight, 5);
	cr_assert_eq(r->otiose_index.value, 83, "index %d", (int)r->otiose_index.value);
	otz_record_free(r);
	/* The golden values of the figures are in test_figures.c. */
}

/* ---- salary and flight risk --------------------------------------- */

static void check_stated(const char *jd, long lo, long hi)
{
	char in[512];
	snprintf(in, sizeof(in), "Senior Data Engineer\n\nWe build data pipelines.\n%s\n", jd);
	otz_record *r = tr(in);
	cr_assert_eq(r->stated_salary_low, lo, "\"%s\": low %ld", jd, r->stated_salary_low);
	cr_assert_eq(r->stated_salary_high, hi, "\"%s\": high %ld", jd, r->stated_salary_high);
	if (lo) {
		/* A stated salary always gives the salary figure. */
		cr_assert_eq(r->salary_fig.present, 1);
		cr_assert(r->salary_fig.reason);
	}
	otz_record_free(r);
}

Test(record, stated_salary, .init = setup, .fini = teardown)
{
	check_stated("Salary: $120k\xe2\x80\x93$150k plus equity.", 120000, 150000);
	check_stated("The range is $95,000 - $110,000 per year.", 95000, 110000);
	check_stated("Base pay $140,000.", 140000, 140000);
	check_stated("Pays $150,000 to $120,000 depending on level.", 120000, 150000);
	check_stated("Pay is $15/hour.", 31200, 31200);
	check_stated("We pay $24 to $29 an hour.", 49920, 60320);
	check_stated("Rate: $38.50 - $52.75 per hour.", 80080, 109720);
	check_stated("No figure is given here.", 0, 0);
}

/* ---- unusable input ----------------------------------------------- */

Test(record, empty_input, .init = setup, .fini = teardown)
{
	tr_fail("", 0, 0, OTZ_EEMPTY, NULL);
	tr_fail(" \n\t\r\n   \n", 9, 0, OTZ_EEMPTY, NULL);
	/* Only a zero-width space: nothing visible is left. */
	tr_fail("\xe2\x80\x8b\n", 4, 0, OTZ_EEMPTY, NULL);
	/* Punctuation without a letter or digit is no text either. */
	tr_fail("- \n* \n...\n", 10, 0, OTZ_EEMPTY, NULL);
}

Test(record, binary_input, .init = setup, .fini = teardown)
{
	static const char nul[] = "Senior\0Engineer\nWe build things.\n";
	tr_fail(nul, sizeof(nul) - 1, 0, OTZ_EBINARY, "offset 6");
	tr_fail(nul, sizeof(nul) - 1, 1, OTZ_EBINARY, NULL); /* lossy does not help */
	static const unsigned char png[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R',
		0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0a,
		'I', 'D', 'A', 'T', 0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4};
	tr_fail((const char *)png, sizeof(png), 0, OTZ_EBINARY, NULL);
}

Test(record, invalid_utf8, .init = setup, .fini = teardown)
{
	static const char bad[] = "Senior Engineer \xff\xfe role\n\nWe build things.\n";
	tr_fail(bad, sizeof(bad) - 1, 0, OTZ_EUTF8, "16");
	otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
	o.lossy = 1;
	otz_record *r = tr_opts(bad, sizeof(bad) - 1, &o);
	cr_assert(strncmp(r->title, "Senior Engineer ", 16) == 0, "%s", r->title);
	cr_assert(strstr(r->title, "\xef\xbf\xbd"), "no U+FFFD in \"%s\"", r->title);
	size_t tl = strlen(r->title);
	cr_assert(tl > 5 && strcmp(r->title + tl - 5, " role") == 0, "%s", r->title);
	otz_record_free(r);
	/* A truncated sequence at the very end. */
	static const char cut[] = "Senior Engineer\n\nWe build things \xe2\x80";
	tr_fail(cut, sizeof(cut) - 1, 0, OTZ_EUTF8, "33");
}

/* ---- spans -------------------------------------------------------- */

/* ASCII letters and digits of s[0,n), in order: what survives any
 * normalization of quotes, dashes, soft hyphens and spacing. */
static char *skeleton(const char *s, size_t n)
{
	char *k = malloc(n + 1), *p = k;
	cr_assert(k);
	for (size_t i = 0; i < n; i++)
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9'))
			*p++ = s[i];
	*p = '\0';
	return k;
}

/* Span sp of input in[0,len) holds the sentence shown as `illusion`. */
static void check_span(const char *in, size_t len, otz_span sp, const char *illusion,
                       const char *what, size_t i)
{
	cr_assert(sp.start < sp.end && sp.end <= len, "%s %zu: [%zu,%zu)", what, i, sp.start,
	          sp.end);
	/* Every word of the sentence, in its original casing, in order,
	 * and nothing else but markup entities around them. */
	char *ks = skeleton(in + sp.start, sp.end - sp.start);
	char *ki = skeleton(illusion, strlen(illusion));
	const char *w = illusion, *pos = ks;
	const char *lim = in + sp.end;
	while (*w) {
		while (*w && !((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z') ||
		               (*w >= '0' && *w <= '9')))
			w++;
		size_t wl = 0;
		while ((w[wl] >= 'a' && w[wl] <= 'z') || (w[wl] >= 'A' && w[wl] <= 'Z') ||
		       (w[wl] >= '0' && w[wl] <= '9'))
			wl++;
		if (!wl)
			break;
		/* (searched in the span's skeleton, which drops soft hyphens) */
		const char *f = memmem(pos, strlen(pos), w, wl);
		cr_assert(f, "%s %zu: word \"%.*s\" of \"%s\" not in input[%zu,%zu)", what, i,
		          (int)wl, w, illusion, sp.start, sp.end);
		pos = f + wl;
		w += wl;
	}
	/* The span starts at the first word and ends after the last. */
	size_t kl = strlen(ki);
	cr_assert(kl > 0);
	cr_assert(strncmp(ks, ki, 3 < kl ? 3 : kl) == 0, "%s %zu: span starts at \"%.20s\"", what,
	          i, in + sp.start);
	cr_assert(strlen(ks) >= kl && strcmp(ks + strlen(ks) - 3, ki + kl - 3) == 0,
	          "%s %zu: span ends \"%.*s\"", what, i, 20, lim - 20);
	free(ks);
	free(ki);
}

static void check_spans(const char *in, size_t len, const char *what)
{
	otz_record *r = tr_opts(in, len, NULL);
	cr_assert_gt(r->nautopsy, 0, "%s", what);
	size_t prev_end = 0;
	for (size_t i = 0; i < r->nautopsy; i++) {
		const otz_autopsy *a = &r->autopsy[i];
		cr_assert_eq(a->has_span, 1);
		cr_assert_geq(a->span.start, prev_end, "%s: spans overlap or go back", what);
		prev_end = a->span.end;
		check_span(in, len, a->span, a->illusion, what, i);
		/* The sentences it stands for too, after it, in order. */
		size_t after = a->span.end;
		for (size_t k = 0; k < a->nmore; k++) {
			cr_assert_geq(a->more_spans[k].start, after, "%s %zu: more %zu goes back", what, i,
			              k);
			after = a->more_spans[k].end;
			check_span(in, len, a->more_spans[k], a->more[k], what, i);
		}
		/* Its rule, or the specimen whose own translation it is. */
		cr_assert(a->rule_id || a->specimen, "%s %zu", what, i);
		cr_assert_str_eq(a->source, "SOURCE REDACTED");
	}
	otz_record_free(r);
}

Test(record, autopsy_spans_point_at_the_input, .init = setup, .fini = teardown)
{
	size_t len;
	char *jd = t_read_rel("tests/data", "sample_jd.txt", &len);
	check_spans(jd, len, "sample_jd");
	free(jd);
	static const char wrapped[] =
		"Product Owner\r\n\r\n"
		"  We are on a MISSION to disrupt\r\n   the way teams   Drive Alignment.  "
		"You will be a Rockstar.\r\n";
	check_spans(wrapped, sizeof(wrapped) - 1, "wrapped");
}

/* ---- a big input -------------------------------------------------- */

Test(record, one_megabyte_of_bullets, .init = setup, .fini = teardown, .timeout = 30)
{
	static const char head[] = "Senior Data Engineer\n\n";
	static const char bullet[] = "- Drive alignment with key stakeholders across the org.\n";
	const size_t nb = 20000, bl = sizeof(bullet) - 1, hl = sizeof(head) - 1;
	size_t len = hl + nb * bl;
	char *in = malloc(len);
	cr_assert(in);
	memcpy(in, head, hl);
	for (size_t i = 0; i < nb; i++)
		memcpy(in + hl + i * bl, bullet, bl);
	cr_assert_gt(len, 1000000);
	otz_record *r = tr_opts(in, len, NULL);
	cr_assert_str_eq(r->title, "Senior Data Engineer");
	cr_assert_eq(r->input_bytes, len);
	cr_assert_eq(r->nsegments, nb + 1);
	/* Every bullet trips the rules one bullet alone trips. */
	char one[sizeof(head) + sizeof(bullet)];
	snprintf(one, sizeof(one), "%s%s", head, bullet);
	otz_record *r1 = tr_opts(one, strlen(one), NULL);
	cr_assert_gt(r1->nhits, 0);
	cr_assert_eq(r->nhits, nb * r1->nhits);
	/* One entry for each of the rule's translations; the sentences after
	 * that are listed under the first. */
	const otz_rule_info *ri = NULL;
	otz_rule_info info;
	const otz_ruleset *rs = otz_engine_rules(eng);
	for (size_t i = 0; i < otz_ruleset_count(rs) && !ri; i++)
		if (otz_ruleset_info(rs, i, &info) == 0 && r->autopsy[0].rule_id &&
		    strcmp(info.id, r->autopsy[0].rule_id) == 0)
			ri = &info;
	cr_assert_not_null(ri);
	cr_assert_leq(r->nautopsy, ri->nvariants);
	size_t seen = 0;
	for (size_t i = 0; i < r->nautopsy; i++)
		seen += 1 + r->autopsy[i].nmore;
	cr_assert_eq(seen, nb);
	const otz_autopsy *lastent = &r->autopsy[0];
	cr_assert_eq(lastent->nmore, nb - r->nautopsy);
	otz_span last = lastent->more_spans[lastent->nmore - 1];
	cr_assert_eq(last.start, len - bl + 2, "last span [%zu,%zu)", last.start, last.end);
	cr_assert_eq(last.end, len - 1);
	cr_assert_str_eq(lastent->more[lastent->nmore - 1],
	                 "Drive alignment with key stakeholders across the org.");
	/* Each bullet trips two rules whose weights together reach the weight
	 * of pure filler (6), and the bullets are nearly all the text. */
	cr_assert_eq(r1->nhits, 2);
	cr_assert_eq(r->otiose_index.value, 100, "index %d", (int)r->otiose_index.value);
	otz_record_free(r1);
	otz_record_free(r);
	free(in);
}
