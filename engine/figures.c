/*
 * figures.c - the three figures of a translated record, each with the
 * one-line reason a reader can check.
 *
 * The Otiose index says how much of the posting is filler: each sentence
 * counts as filler in proportion to the summed weights of the rules it
 * trips, capped at one (FILLER_WEIGHT), and sentences are weighted by their
 * length.  The salary estimate is the specimens' market averages weighted by
 * their SYSTEM MATCH (those matching at least ESTIMATE_MIN_SCORE), set beside
 * any salary the posting states.  The flight risk is the specimens' risks
 * weighted the same way, raised by RED_FLAG_RISK points per red flag and
 * capped at RISK_CAP.  Each function fills its otz_figure on the run's
 * record; the only error is OTZ_ENOMEM.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Summed rule weight at which a sentence counts as entirely filler. */
#define FILLER_WEIGHT 6.0
/* Minimum SYSTEM MATCH (0..1) for a specimen to count towards the estimates. */
#define ESTIMATE_MIN_SCORE 0.05
/* Flight-risk points added per distinct red flag, and the most it can say. */
#define RED_FLAG_RISK 3
#define RISK_CAP 99
/* The flight risk when no specimen is close enough to give a base. */
#define RISK_NO_BASE 50.0
/* Labels: at least HIGH is high, at least MODERATE is moderate. */
#define RISK_HIGH 70
#define RISK_MODERATE 40
/* Stated figures outside this range are hourly rates or typos, not salaries. */
#define STATED_MIN 10000
#define STATED_MAX 5000000

static int otiose_index(otz_run *run)
{
	const otz_analysis *an = run->an;
	const otz_ruleset *rs = run->e->rules;
	otz_record *r = run->r;
	double filler = 0, total = 0;
	size_t filler_segs = 0, h = 0;
	for (size_t g = 0; g < an->nsegs; g++) {
		double w = 0;
		for (; h < an->nhits && an->hits[h].seg == g; h++) /* hits are in segment order */
			w += rs->rules[an->hits[h].rule].weight;
		double f = w / FILLER_WEIGHT;
		if (f > 1)
			f = 1;
		double len = (double)(an->segs[g].end - an->segs[g].start);
		filler += f * len;
		total += len;
		filler_segs += w > 0;
	}
	r->otiose_index.present = 1;
	r->otiose_index.value = total > 0 ? lround(100.0 * filler / total) : 0;
	r->otiose_index.reason = otz__arena_printf(
		r->arena_,
		"%zu of %zu sentences trip a rule (%zu hits); a sentence counts as pure filler at a "
		"rule weight of %.0f.",
		filler_segs, an->nsegs, an->nhits, FILLER_WEIGHT);
	return r->otiose_index.reason ? 0 : OTZ_ENOMEM;
}

/* "$120,000" -> 120000, "$120k" -> 120000, "$97.5k" -> 97500. */
static long parse_money(const char *s, size_t n)
{
	long v = 0;
	int k = 0, frac = -1;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i])) {
			v = v * 10 + (s[i] - '0');
			if (frac >= 0)
				frac++;
		} else if (s[i] == '.') {
			frac = 0;
		} else if (s[i] == 'k') {
			k = 1;
		}
	}
	if (k) {
		v *= 1000;
		while (frac-- > 0)
			v /= 10;
	}
	return v;
}

/* The first salary or salary range the posting states, into the record. */
static void stated_salary(otz_run *run)
{
	const otz_text *t = &run->an->text;
	int m = pcre2_match(run->e->salary_re, (PCRE2_SPTR)t->s, t->len, 0, PCRE2_NO_UTF_CHECK,
	                    run->s->md, run->s->mctx);
	if (m < 2)
		return;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(run->s->md);
	long lo = parse_money(t->s + ov[2], ov[3] - ov[2]), hi = lo;
	if (m >= 3 && ov[4] != PCRE2_UNSET)
		hi = parse_money(t->s + ov[4], ov[5] - ov[4]);
	if (hi < lo) {
		long x = hi;
		hi = lo;
		lo = x;
	}
	if (lo < STATED_MIN || hi > STATED_MAX)
		return;
	run->r->stated_salary_low = lo;
	run->r->stated_salary_high = hi;
}

/* "Growth Marketing Manager (57%), ..." for the specimens that count. */
static int estimate_basis(otz_run *run, const otz_scored *top, size_t ntop, otz_buf *names)
{
	for (size_t i = 0; i < ntop; i++)
		if (top[i].score >= ESTIMATE_MIN_SCORE &&
		    otz__buf_printf(names, "%s%s (%d%%)", names->len ? ", " : "",
		                    run->e->specimens[top[i].spec]->title,
		                    (int)lround(top[i].score * 100)))
			return OTZ_ENOMEM;
	return 0;
}

static int salary(otz_run *run, const otz_scored *top, size_t ntop, const char *names)
{
	otz_record *r = run->r;
	double wsum = 0, sal = 0;
	for (size_t i = 0; i < ntop; i++) {
		const otz_record *sp = run->e->specimens[top[i].spec];
		if (top[i].score >= ESTIMATE_MIN_SCORE && sp->salary > 0) {
			sal += top[i].score * (double)sp->salary;
			wsum += top[i].score;
		}
	}
	stated_salary(run);
	if (wsum <= 0 && !r->stated_salary_low)
		return 0;
	otz_figure *f = &r->salary_fig;
	f->present = 1;
	char stated[96] = "";
	if (r->stated_salary_low) {
		char lo[32], hi[32];
		otz__money(lo, sizeof(lo), r->stated_salary_low);
		otz__money(hi, sizeof(hi), r->stated_salary_high);
		if (r->stated_salary_low == r->stated_salary_high)
			snprintf(stated, sizeof(stated), "%s", lo);
		else
			snprintf(stated, sizeof(stated), "%s-%s", lo, hi);
	}
	if (wsum > 0) {
		f->value = lround(sal / wsum / 1000.0) * 1000;
		if (r->stated_salary_low) {
			long mid = (r->stated_salary_low + r->stated_salary_high) / 2;
			long pct = lround(100.0 * (double)(mid - f->value) / (double)f->value);
			f->reason = otz__arena_printf(r->arena_,
			                              "Estimated, weighted by SYSTEM MATCH over %s; the JD "
			                              "states %s, %+ld%% against it.",
			                              names, stated, pct);
		} else {
			f->reason = otz__arena_printf(r->arena_,
			                              "Estimated, weighted by SYSTEM MATCH over %s; the JD "
			                              "states no figure, which is a figure of its own.",
			                              names);
		}
	} else {
		f->value = (r->stated_salary_low + r->stated_salary_high) / 2;
		f->reason = otz__arena_printf(
			r->arena_, "As stated in the JD (%s); no specimen is close enough to compare.",
			stated);
	}
	r->salary = f->value;
	return f->reason ? 0 : OTZ_ENOMEM;
}

static int flight_risk(otz_run *run, const otz_scored *top, size_t ntop)
{
	otz_record *r = run->r;
	double risk = 0, rsum = 0;
	for (size_t i = 0; i < ntop; i++) {
		const otz_record *sp = run->e->specimens[top[i].spec];
		if (top[i].score >= ESTIMATE_MIN_SCORE && sp->flight_risk >= 0) {
			risk += top[i].score * sp->flight_risk;
			rsum += top[i].score;
		}
	}
	if (rsum <= 0 && !r->nred_flags)
		return 0;
	double base = rsum > 0 ? risk / rsum : RISK_NO_BASE;
	long v = lround(base) + (long)r->nred_flags * RED_FLAG_RISK;
	if (v > RISK_CAP)
		v = RISK_CAP;
	otz_figure *f = &r->risk_fig;
	f->present = 1;
	f->value = v;
	r->flight_risk = (int)v;
	r->risk_label = otz__rstr(r, v >= RISK_HIGH       ? "HIGH RISK"
	                             : v >= RISK_MODERATE ? "MODERATE RISK"
	                                                  : "LOW RISK");
	f->label = r->risk_label;
	f->reason = otz__arena_printf(r->arena_, "Base %ld%% %s; +%d per red flag, %zu found.",
	                              lround(base),
	                              rsum > 0 ? "from the closest specimens" : "(no close specimen)",
	                              RED_FLAG_RISK, r->nred_flags);
	return f->reason && r->risk_label ? 0 : OTZ_ENOMEM;
}

int otz__figures(otz_run *run, const otz_scored *top, size_t ntop)
{
	otz_buf names = OTZ_BUF_INIT;
	int rc = otiose_index(run);
	if (!rc)
		rc = estimate_basis(run, top, ntop, &names);
	if (!rc)
		rc = salary(run, top, ntop, names.ptr ? names.ptr : "");
	if (!rc)
		rc = flight_risk(run, top, ntop);
	otz_buf_dispose(&names);
	return rc;
}
