/*
 * figures.c - the three figures of a translated record, each with the
 * one-line reason a reader can check.
 *
 * The Otiose index says how much of the posting is filler: each sentence
 * counts as filler in proportion to the summed weights of the rules it
 * trips, capped at one (FILLER_WEIGHT), and sentences are weighted by their
 * length.  When the role is known (pipeline.c), the salary estimate is the
 * close specimens' market averages weighted by their SYSTEM MATCH (those
 * holding at least ESTIMATE_MIN_P of it), scaled from the specimen's
 * seniority to the posting's (an intern is not priced like a lead), and set
 * beside any salary the posting states; when it is not, only a stated
 * salary is given.  The flight risk is the close specimens' risks weighted
 * the same way (RISK_NO_BASE when the role is not known), raised by
 * RED_FLAG_RISK points per red flag and capped at RISK_CAP.  Each function
 * fills its otz_figure on the run's record; the only error is OTZ_ENOMEM.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Summed rule weight at which a sentence counts as entirely filler. */
#define FILLER_WEIGHT 6.0
/* How much of a boilerplate sentence counts as filler (a degree line, an
 * equal-opportunity statement, a benefits list): every posting has some,
 * and they say little about how empty this one is. */
#define BOILERPLATE_FILLER 0.25
/* The least share of the SYSTEM MATCH (0..1) for a specimen to count
 * towards the estimates of a known role. */
#define ESTIMATE_MIN_P 0.1
/* Index points taken off for each thing the posting does right (a credit
 * rule's hit: the pay stated, the manager named), for at most
 * CREDITS_COUNTED of them: a posting that tells the reader what the job
 * pays and who runs it is less empty than its phrases alone say. */
#define CREDIT_POINTS 4
#define CREDITS_COUNTED 3
/* Flight-risk points added per distinct red flag, and the most it can say. */
#define RED_FLAG_RISK 3
#define RISK_CAP 99
/* The flight risk when no specimen is close enough to give a base. */
#define RISK_NO_BASE 50.0
/* Labels: at least HIGH is high, at least MODERATE is moderate. */
#define RISK_HIGH 70
#define RISK_MODERATE 40
/* Bytes before a dollar figure looked at for a pay word (half that after). */
#define PAY_CONTEXT 60
/* Hours in a working year, to make an hourly rate yearly. */
#define HOURS_A_YEAR 2080
/* Stated yearly figures outside this range are typos, not salaries. */
#define STATED_MIN 10000
#define STATED_MAX 5000000

/* The hits of credit rules: what the posting does right, not stock phrases. */
static size_t credit_hits(const otz_ruleset *rs, const otz_analysis *an)
{
	size_t n = 0;
	for (size_t h = 0; h < an->nhits; h++)
		n += rs->rules[an->hits[h].rule].category == OTZ_CAT_CREDIT;
	return n;
}

static int otiose_index(otz_run *run)
{
	const otz_analysis *an = run->an;
	const otz_ruleset *rs = run->e->rules;
	otz_record *r = run->r;
	double filler = 0, total = 0;
	size_t filler_segs = 0, boiler = 0, h = 0, nsegs = 0, title_phrases = 0;
	for (size_t g = 0; g < an->nsegs; g++) {
		double w = 0;
		size_t first = h;
		if (g == run->title_seg) { /* the title names the job; it is no sentence */
			for (; h < an->nhits && an->hits[h].seg == g; h++)
				title_phrases += rs->rules[an->hits[h].rule].category != OTZ_CAT_CREDIT;
			continue;
		}
		nsegs++;
		for (; h < an->nhits && an->hits[h].seg == g; h++) /* hits are in segment order */
			if (rs->rules[an->hits[h].rule].category != OTZ_CAT_CREDIT)
				w += rs->rules[an->hits[h].rule].weight;
		double f = w / FILLER_WEIGHT;
		if (f > 1)
			f = 1;
		long best = h > first ? otz__best_hit(rs, an, g) : -1;
		if (best >= 0 && rs->rules[an->hits[best].rule].category == OTZ_CAT_BOILERPLATE) {
			f = BOILERPLATE_FILLER;
			boiler++;
		}
		double len = (double)(an->segs[g].end - an->segs[g].start);
		filler += f * len;
		total += len;
		filler_segs += w > 0;
	}
	size_t phrases = an->nhits - credit_hits(rs, an) - title_phrases;
	long value = total > 0 ? lround(100.0 * filler / total) : 0;
	size_t counted = r->ncredits < CREDITS_COUNTED ? r->ncredits : CREDITS_COUNTED;
	long off = value < (long)counted * CREDIT_POINTS ? value : (long)counted * CREDIT_POINTS;
	r->otiose_index.present = 1;
	r->otiose_index.value = value - off;
	/* Said for a reader, without the weights: FILLER_WEIGHT is reached by
	 * one of the heaviest stock phrases (weight 6 and up) or by two or
	 * three lighter ones. */
	otz_buf b = OTZ_BUF_INIT;
	int rc = otz__buf_printf(
		&b,
		"%zu of %zu sentences %s stock phrases (%zu %s in all); a sentence counts as all "
		"filler when it holds one of the emptiest phrases or a few milder ones, and as part "
		"filler when it holds less%s.",
		filler_segs, nsegs, filler_segs == 1 ? "uses" : "use", phrases,
		phrases == 1 ? "phrase" : "phrases",
		boiler ? "; boilerplate (degrees, years, equal opportunity, benefits) counts as a "
		         "quarter filler"
		       : "");
	/* What it does right, by the credit rules' names, in one sentence. */
	for (size_t i = 0; i < r->ncredits && !rc; i++)
		rc = otz__buf_printf(&b, "%s%s",
		                     i == 0                  ? " To its credit, it "
		                     : i + 1 == r->ncredits ? " and "
		                                            : ", ",
		                     r->credits[i].name);
	if (!rc && r->ncredits)
		rc = off ? otz__buf_printf(&b, ", which takes %ld %s off.", off,
		                           off == 1 ? "point" : "points")
		         : otz__buf_puts(&b, ".");
	r->otiose_index.reason = rc ? NULL : otz__arena_strndup(r->arena_, b.ptr, b.len);
	otz_buf_dispose(&b);
	return r->otiose_index.reason ? 0 : OTZ_ENOMEM;
}

/* "$38.50" an hour, as dollars a year of HOURS_A_YEAR hours. */
static long annual_of_hourly(const char *s, size_t n)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) - 1 ? n : sizeof(buf) - 1), s);
	return lround(strtod(buf, NULL) * HOURS_A_YEAR);
}

/* Words that make a dollar figure a pay figure when they come just before
 * it ("base salary of $120,000", "OTE: $210k") or just after it ("$95,000
 * a year"): "deals between $30K and $120K" is the product's price. */
static const char *const pay_before[] = {"salary", "pay", "compensation", "base", "earnings",
                                         "ote", "wage", "range", "income", "stipend", NULL};
static const char *const pay_after[] = {"a year", "per year", "annually", "per annum", "/yr",
                                        "/year", "salary", "base", NULL};

static int holds_word(const char *t, size_t a, size_t b, const char *const *words)
{
	for (size_t k = 0; words[k]; k++) {
		size_t n = strlen(words[k]);
		for (size_t i = a; i + n <= b; i++)
			if (memcmp(t + i, words[k], n) == 0)
				return 1;
	}
	return 0;
}

/* Does the figure at t[s, e) read as pay? */
static int pay_context(const otz_text *t, size_t s, size_t e)
{
	size_t a = s > PAY_CONTEXT ? s - PAY_CONTEXT : 0;
	size_t b = e + PAY_CONTEXT / 2 < t->len ? e + PAY_CONTEXT / 2 : t->len;
	/* neither window crosses into another sentence */
	for (size_t i = s; i > a; i--)
		if (t->s[i - 1] == ';' || t->s[i - 1] == '\n' ||
		    (t->s[i - 1] == '.' && i < t->len && t->s[i] == ' ')) {
			a = i;
			break;
		}
	for (size_t i = e; i < b; i++)
		if (t->s[i] == ';' || t->s[i] == '\n' ||
		    (t->s[i] == '.' && (i + 1 >= t->len || t->s[i + 1] == ' '))) {
			b = i;
			break;
		}
	return holds_word(t->s, a, s, pay_before) || holds_word(t->s, e, b, pay_after);
}

/* The first salary or salary range the posting states as pay, into the
 * record: a yearly figure, or else an hourly rate made yearly. */
static void stated_salary(otz_run *run)
{
	const otz_text *t = &run->an->text;
	long lo, hi;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(run->s->md);
	int m;
	for (size_t off = 0;; off = ov[1] > off ? ov[1] : off + 1) {
		m = pcre2_match(run->e->salary_re, (PCRE2_SPTR)t->s, t->len, off, PCRE2_NO_UTF_CHECK,
		                run->s->md, run->s->mctx);
		if (m < 2 || pay_context(t, ov[0], ov[1]))
			break;
	}
	if (m >= 2) {
		lo = hi = otz__parse_money(t->s + ov[2], ov[3] - ov[2]);
		if (m >= 3 && ov[4] != PCRE2_UNSET)
			hi = otz__parse_money(t->s + ov[4], ov[5] - ov[4]);
	} else {
		m = pcre2_match(run->e->hourly_re, (PCRE2_SPTR)t->s, t->len, 0, PCRE2_NO_UTF_CHECK,
		                run->s->md, run->s->mctx);
		if (m < 2)
			return;
		lo = hi = annual_of_hourly(t->s + ov[2], ov[3] - ov[2]);
		if (m >= 3 && ov[4] != PCRE2_UNSET)
			hi = annual_of_hourly(t->s + ov[4], ov[5] - ov[4]);
		run->r->stated_hourly = 1;
	}
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

/* Does top[i] count towards the estimates? */
static int counts(const otz_run *run, const otz_scored *top, size_t i)
{
	return run->r->role_known && top[i].p >= ESTIMATE_MIN_P;
}

/* "Growth Marketing Manager (57%), ..." for the specimens that count. */
static int estimate_basis(otz_run *run, const otz_scored *top, size_t ntop, otz_buf *names)
{
	for (size_t i = 0; i < ntop; i++)
		if (counts(run, top, i) &&
		    otz__buf_printf(names, "%s%s (%d%%)", names->len ? ", " : "",
		                    run->e->specimens[top[i].spec]->title, otz__percent(top, ntop, i)))
			return OTZ_ENOMEM;
	return 0;
}

/* ---- seniority ---------------------------------------------------- */

/* How senior a post is, and what that does to pay against a mid-level one.
 * Ratios are rounded from US pay surveys of the same trade by level. */
typedef enum { LVL_INTERN, LVL_ENTRY, LVL_MID, LVL_SENIOR, LVL_LEAD, LVL_DIRECTOR, LVL_EXEC } level;
static const struct {
	const char *as; /* "priced as ..." */
	double pay;
} levels[] = {{"an intern", 0.40},  {"an entry-level hire", 0.75}, {"a mid-level hire", 1.00},
              {"a senior hire", 1.20}, {"a lead", 1.35},           {"a director", 1.60},
              {"an executive", 2.20}};

/* Title words and the level they say; the highest one found wins. */
static const struct {
	const char *word;
	level lvl;
} level_words[] = {{"intern", LVL_INTERN},      {"internship", LVL_INTERN},
                   {"co-op", LVL_INTERN},       {"trainee", LVL_ENTRY},
                   {"apprentice", LVL_ENTRY},   {"junior", LVL_ENTRY},
                   {"jr", LVL_ENTRY},           {"graduate", LVL_ENTRY},
                   {"grad", LVL_ENTRY},         {"entry", LVL_ENTRY},
                   {"senior", LVL_SENIOR},      {"sr", LVL_SENIOR},
                   {"lead", LVL_LEAD},          {"principal", LVL_LEAD},
                   {"staff", LVL_LEAD},         {"head", LVL_DIRECTOR},
                   {"director", LVL_DIRECTOR},  {"vp", LVL_EXEC},
                   {"vice", LVL_EXEC},          {"chief", LVL_EXEC}};

/* The level a title says, or LVL_MID when it says none.  Intern and entry
 * words win over the rest ("Senior Accountant Intern" is an intern). */
static level title_level(const char *title)
{
	otz_text t;
	otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
	level best = LVL_MID;
	int low = 0;
	if (!title || otz_normalize(&t, title, strlen(title), &no, NULL))
		return LVL_MID;
	size_t i = 0, ws, wl;
	while (otz__next_word(t.s, t.len, &i, 1, &ws, &wl))
		for (size_t k = 0; k < sizeof(level_words) / sizeof(level_words[0]); k++) {
			if (strlen(level_words[k].word) != wl || memcmp(level_words[k].word, t.s + ws, wl))
				continue;
			level l = level_words[k].lvl;
			if (l < LVL_MID && (!low || l < best)) {
				best = l;
				low = 1;
			} else if (!low && l > best) {
				best = l;
			}
		}
	otz_text_dispose(&t);
	return best;
}

/* The posting's level: its title's; failing that, an internship or a new
 * graduate programme its text speaks of. */
static level posting_level(otz_run *run)
{
	level l = title_level(run->r->title);
	if (l != LVL_MID)
		return l;
	const otz_text *t = &run->an->text;
	int m = pcre2_match(run->e->level_re, (PCRE2_SPTR)t->s, t->len, 0, PCRE2_NO_UTF_CHECK,
	                    run->s->md, run->s->mctx);
	if (m < 2)
		return LVL_MID;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(run->s->md);
	return ov[2] != PCRE2_UNSET ? LVL_INTERN : LVL_ENTRY;
}

static int salary(otz_run *run, const otz_scored *top, size_t ntop, const char *names)
{
	otz_record *r = run->r;
	double wsum = 0, sal = 0;
	level post = posting_level(run);
	for (size_t i = 0; i < ntop; i++) {
		const otz_record *sp = run->e->specimens[top[i].spec];
		if (counts(run, top, i) && sp->salary > 0) {
			/* From the specimen's own level to the posting's, when the
			 * posting says one. */
			double scale = post == LVL_MID ? 1.0
			                               : levels[post].pay / levels[title_level(sp->title)].pay;
			sal += top[i].p * (double)sp->salary * scale;
			wsum += top[i].p;
		}
	}
	stated_salary(run);
	if (wsum <= 0 && !r->stated_salary_low)
		return 0;
	otz_figure *f = &r->salary_fig;
	f->present = 1;
	char stated[96] = "", level_note[96] = "";
	if (post != LVL_MID) {
		snprintf(level_note, sizeof(level_note), " The posting reads as %s; priced so.",
		         levels[post].as);
		if (!(r->level = otz__rstr(r, levels[post].as)))
			return OTZ_ENOMEM;
	}
	if (r->stated_salary_low) {
		char lo[32], hi[32];
		otz__money(lo, sizeof(lo), r->stated_salary_low);
		otz__money(hi, sizeof(hi), r->stated_salary_high);
		const char *per = r->stated_hourly ? " a year at its hourly rate" : "";
		if (r->stated_salary_low == r->stated_salary_high)
			snprintf(stated, sizeof(stated), "%s%s", lo, per);
		else
			snprintf(stated, sizeof(stated), "%s-%s%s", lo, hi, per);
	}
	if (wsum > 0) {
		f->value = lround(sal / wsum / 1000.0) * 1000;
		if (r->stated_salary_low) {
			long mid = (r->stated_salary_low + r->stated_salary_high) / 2;
			long pct = lround(100.0 * (double)(mid - f->value) / (double)f->value);
			f->reason = otz__arena_printf(r->arena_,
			                              "Estimated, weighted by SYSTEM MATCH over %s; the JD "
			                              "states %s, %+ld%% against it.%s",
			                              names, stated, pct, level_note);
		} else {
			f->reason = otz__arena_printf(r->arena_,
			                              "Estimated, weighted by SYSTEM MATCH over %s; the JD "
			                              "states no figure, which is a figure of its own.%s",
			                              names, level_note);
		}
	} else {
		f->value = (r->stated_salary_low + r->stated_salary_high) / 2;
		f->label = otz__rstr(r, "STATED IN THE JD");
		f->reason = otz__arena_printf(
			r->arena_, "As stated in the JD (%s); no specimen is close enough to compare.",
			stated);
		if (!f->label)
			return OTZ_ENOMEM;
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
		if (counts(run, top, i) && sp->flight_risk >= 0) {
			risk += top[i].p * sp->flight_risk;
			rsum += top[i].p;
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
	/* The base and what the red flags add, as sentences a reader follows. */
	char flags[96];
	if (!r->nred_flags)
		snprintf(flags, sizeof(flags), "no red flag was found to add to it");
	else if (r->nred_flags == 1)
		snprintf(flags, sizeof(flags), "the one red flag adds %d points", RED_FLAG_RISK);
	else
		snprintf(flags, sizeof(flags), "each of the %zu red flags adds %d points",
		         r->nred_flags, RED_FLAG_RISK);
	char cap[48] = "";
	if (lround(base) + (long)r->nred_flags * RED_FLAG_RISK > RISK_CAP)
		snprintf(cap, sizeof(cap), ", and the figure stops at %d%%", RISK_CAP);
	f->reason = otz__arena_printf(
		r->arena_, "%ld%% is %s; %s%s.", lround(base),
		rsum > 0 ? "the usual flight risk of the closest known roles"
		         : "the flight risk assumed when no known role is close",
		flags, cap);
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
