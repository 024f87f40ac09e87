/*
 * record.c - an analysed JD in, its file record out.
 *
 * otz_translate() runs the whole pipeline for one input and assembles an
 * otz_record in the seed's section order.  Sections are filled only from
 * evidence: rule hits in the JD ([02] habitat, [05] metrics, [06] weaponry,
 * [08] autopsy), the specimens it scores against ([11], the salary and
 * flight-risk estimates) and, when the closest specimen matches well enough
 * (opts->borrow_percent), that specimen's own aliases, encounter guide, day
 * log and complaints, labelled with where they came from.  Anything without
 * evidence stays empty and the renderers leave it out.
 *
 * Three figures carry a one-line reason each: the Otiose index (how much of
 * the JD is filler: each sentence counts as filler in proportion to the
 * weights of the rules it trips, capped at one, weighted by its length), the
 * salary estimate (match-weighted over the closest specimens, beside any
 * salary the JD states) and the flight risk (match-weighted specimen risk,
 * raised by each red flag).  The record belongs to the caller.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* Summed rule weight at which a sentence counts as entirely filler. */
#define FILLER_WEIGHT 6.0
/* Minimum cosine for a specimen to count towards the estimates. */
#define ESTIMATE_MIN_SCORE 0.05
/* Flight-risk points added per distinct red flag. */
#define RED_FLAG_RISK 3

typedef struct builder {
	otz_record *r;
	otz_session *s;
	const otz_engine *e;
	const otz_analysis *an;
	const char *input;
	size_t len;
	size_t cap_autopsy, cap_metrics, cap_weapons, cap_habitat, cap_flags;
} builder;

static otz_span seg_span(const builder *b, size_t g)
{
	return otz__src_span(&b->an->text, b->an->segs[g].start, b->an->segs[g].end);
}

static char *disp(builder *b, otz_span sp)
{
	return otz__display(b->r->arena_, b->input, sp.start, sp.end);
}

/* "closure rate" -> "Closure Rate", in place. */
static void title_case(char *s)
{
	int start = 1;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (start && c < 0x80 && islower(c))
			*s = (char)toupper(c);
		start = c == ' ' || c == '-' || c == '/';
	}
}

static int seen_rule(const otz_entry *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].rule_id && strcmp(v[i].rule_id, id) == 0)
			return 1;
	return 0;
}

static int add_entry(builder *b, otz_entry **arr, size_t *n, size_t *cap, const char *name,
                     const char *text, const char *rule_id, otz_span sp)
{
	if (OTZ_GROW(*arr, *cap, *n + 1))
		return OTZ_ENOMEM;
	otz_entry *e = &(*arr)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->name = otz__rstr(b->r, name);
	e->text = otz__rstr(b->r, text);
	e->rule_id = otz__rstr(b->r, rule_id);
	e->has_span = 1;
	e->span = sp;
	return (text && !e->text) ? OTZ_ENOMEM : 0;
}

static int build_autopsy(builder *b)
{
	const otz_ruleset *rs = b->e->rules;
	otz_record *r = b->r;
	for (size_t g = 0; g < b->an->nsegs; g++) {
		long bi = otz__best_hit(rs, b->an, g);
		if (bi < 0)
			continue;
		const otz_hit *h = &b->an->hits[bi];
		const otz_rule *rule = &rs->rules[h->rule];
		if (OTZ_GROW(r->autopsy, b->cap_autopsy, r->nautopsy + 1))
			return OTZ_ENOMEM;
		otz_autopsy *a = &r->autopsy[r->nautopsy++];
		memset(a, 0, sizeof(*a));
		a->span = seg_span(b, g);
		a->has_span = 1;
		a->illusion = disp(b, a->span);
		a->translation = otz__expand(r->arena_, rule->translation, h, b->an, b->input);
		a->rule_id = otz__rstr(r, rule->id);
		a->category = otz_category_name(rule->category);
		a->weight = rule->weight;
		a->source = otz__arena_printf(r->arena_, "RULE %s \xc2\xb7 BYTES %zu-%zu", rule->id,
		                              a->span.start, a->span.end);
		if (!a->illusion || !a->translation || !a->rule_id || !a->source)
			return OTZ_ENOMEM;
	}
	return 0;
}

static int build_hits_by_category(builder *b)
{
	const otz_ruleset *rs = b->e->rules;
	otz_record *r = b->r;
	for (size_t i = 0; i < b->an->nhits; i++) {
		const otz_hit *h = &b->an->hits[i];
		const otz_rule *rule = &rs->rules[h->rule];
		otz_span sp = otz__src_span(&b->an->text, h->start, h->end);
		int rc = 0;
		if (rule->category == OTZ_CAT_WEAPONRY && !seen_rule(r->weapons, r->nweapons, rule->id)) {
			char *t = otz__expand(r->arena_, rule->translation, h, b->an, b->input);
			rc = add_entry(b, &r->weapons, &r->nweapons, &b->cap_weapons, rule->name, t,
			               rule->id, sp);
		} else if (rule->category == OTZ_CAT_HABITAT &&
		           !seen_rule(r->habitat, r->nhabitat, rule->id)) {
			char *t = otz__expand(r->arena_, rule->translation, h, b->an, b->input);
			rc = add_entry(b, &r->habitat, &r->nhabitat, &b->cap_habitat, NULL, t, rule->id, sp);
		} else if (rule->category == OTZ_CAT_RED_FLAG &&
		           !seen_rule(r->red_flags, r->nred_flags, rule->id)) {
			char *t = otz__expand(r->arena_, rule->translation, h, b->an, b->input);
			char *name = disp(b, sp);
			rc = add_entry(b, &r->red_flags, &r->nred_flags, &b->cap_flags, name, t, rule->id,
			               sp);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int build_metrics(builder *b)
{
	otz_metric_found *mf = NULL;
	size_t nmf = 0;
	otz_record *r = b->r;
	int rc = otz__metrics_find(b->e->mpats, b->s, b->e->rules, b->an, &mf, &nmf, NULL);
	if (rc)
		return rc;
	for (size_t i = 0; i < nmf && !rc; i++) {
		otz_span sp = otz__src_span(&b->an->text, mf[i].start, mf[i].end);
		const char *name, *text, *rid = NULL;
		char *tmp = NULL;
		if (mf[i].rule >= 0) {
			const otz_rule *rule = &b->e->rules->rules[mf[i].rule];
			name = rule->name;
			text = rule->translation;
			rid = rule->id;
			if (seen_rule(r->metrics, r->nmetrics, rid))
				continue;
		} else {
			tmp = disp(b, sp);
			if (!tmp) {
				rc = OTZ_ENOMEM;
				break;
			}
			title_case(tmp);
			name = tmp;
			text = mf[i].reason;
			int dup = 0;
			for (size_t k = 0; k < r->nmetrics && !dup; k++)
				dup = strcasecmp(r->metrics[k].name, name) == 0;
			if (dup)
				continue;
		}
		rc = add_entry(b, &r->metrics, &r->nmetrics, &b->cap_metrics, name, text, rid, sp);
	}
	free(mf);
	return rc;
}

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

static void find_stated_salary(builder *b)
{
	const otz_text *t = &b->an->text;
	int m = pcre2_match(b->e->salary_re, (PCRE2_SPTR)t->s, t->len, 0, PCRE2_NO_UTF_CHECK,
	                    b->s->md, b->s->mctx);
	if (m < 2)
		return;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(b->s->md);
	long lo = parse_money(t->s + ov[2], ov[3] - ov[2]), hi = lo;
	if (m >= 3 && ov[4] != PCRE2_UNSET)
		hi = parse_money(t->s + ov[4], ov[5] - ov[4]);
	if (hi < lo) {
		long x = hi;
		hi = lo;
		lo = x;
	}
	/* Hourly rates and typos are not annual salaries. */
	if (lo < 10000 || hi > 5000000)
		return;
	b->r->stated_salary_low = lo;
	b->r->stated_salary_high = hi;
}

static int build_figures(builder *b, const otz_scored *top, size_t ntop)
{
	otz_record *r = b->r;
	const otz_analysis *an = b->an;
	const otz_ruleset *rs = b->e->rules;
	/* Otiose index */
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
		r->arena_, "%zu of %zu sentences trip a rule (%zu hits); a sentence counts as pure filler at a rule weight of %.0f.",
		filler_segs, an->nsegs, an->nhits, FILLER_WEIGHT);

	/* Salary and flight risk from the closest specimens. */
	double wsum = 0, sal = 0, risk = 0, rsum = 0;
	otz_buf names = OTZ_BUF_INIT;
	for (size_t i = 0; i < ntop; i++) {
		const otz_record *sp = b->e->specimens[top[i].spec];
		double w = top[i].score;
		if (w < ESTIMATE_MIN_SCORE)
			continue;
		if (sp->salary > 0) {
			sal += w * (double)sp->salary;
			wsum += w;
		}
		if (sp->flight_risk >= 0) {
			risk += w * sp->flight_risk;
			rsum += w;
		}
		if (otz__buf_printf(&names, "%s%s (%d%%)", names.len ? ", " : "", sp->title,
		                    (int)lround(w * 100)))
			goto oom;
	}
	find_stated_salary(b);
	if (wsum > 0 || r->stated_salary_low) {
		r->salary_fig.present = 1;
		if (wsum > 0) {
			r->salary_fig.value = lround(sal / wsum / 1000.0) * 1000;
			r->salary = r->salary_fig.value;
		}
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
		if (r->stated_salary_low && wsum > 0) {
			long mid = (r->stated_salary_low + r->stated_salary_high) / 2;
			long pct = lround(100.0 * (double)(mid - r->salary_fig.value) / (double)r->salary_fig.value);
			r->salary_fig.reason = otz__arena_printf(
				r->arena_, "Estimated, weighted by SYSTEM MATCH over %s; the JD states %s, %+ld%% against it.",
				names.ptr, stated, pct);
		} else if (r->stated_salary_low) {
			r->salary_fig.value = (r->stated_salary_low + r->stated_salary_high) / 2;
			r->salary = r->salary_fig.value;
			r->salary_fig.reason = otz__arena_printf(
				r->arena_, "As stated in the JD (%s); no specimen is close enough to compare.", stated);
		} else {
			r->salary_fig.reason = otz__arena_printf(
				r->arena_, "Estimated, weighted by SYSTEM MATCH over %s; the JD states no figure, which is a figure of its own.",
				names.ptr);
		}
		if (!r->salary_fig.reason)
			goto oom;
	}
	if (rsum > 0 || r->nred_flags) {
		double base = rsum > 0 ? risk / rsum : 50.0;
		long v = lround(base) + (long)r->nred_flags * RED_FLAG_RISK;
		if (v > 99)
			v = 99;
		r->risk_fig.present = 1;
		r->risk_fig.value = v;
		r->flight_risk = (int)v;
		r->risk_label = otz__rstr(r, v >= 70 ? "HIGH RISK" : v >= 40 ? "MODERATE RISK" : "LOW RISK");
		r->risk_fig.label = r->risk_label;
		r->risk_fig.reason = otz__arena_printf(
			r->arena_, "Base %ld%% %s; +%d per red flag, %zu found.", lround(base),
			rsum > 0 ? "from the closest specimens" : "(no close specimen)", RED_FLAG_RISK,
			r->nred_flags);
		if (!r->risk_fig.reason)
			goto oom;
	}
	otz_buf_dispose(&names);
	return 0;
oom:
	otz_buf_dispose(&names);
	return OTZ_ENOMEM;
}

static int build_related(builder *b, const otz_scored *top, size_t ntop)
{
	otz_record *r = b->r;
	r->related = calloc(ntop ? ntop : 1, sizeof(*r->related));
	if (!r->related)
		return OTZ_ENOMEM;
	for (size_t i = 0; i < ntop; i++) {
		const otz_record *sp = b->e->specimens[top[i].spec];
		otz_related *rel = &r->related[r->nrelated++];
		rel->title = otz__rstr(r, sp->title);
		/* What the related role does: its first autopsy translation. */
		rel->text = otz__rstr(r, sp->nautopsy ? sp->autopsy[0].translation
		                                      : sp->org_note ? sp->org_note : "");
		rel->score = top[i].score;
		rel->text_score = top[i].text;
		rel->title_score = top[i].title;
		if (top[i].alias >= 0)
			rel->alias = otz__rstr(r, top[i].alias == 0 ? sp->title : sp->aliases[top[i].alias - 1]);
		rel->percent = (int)lround(top[i].score * 100);
		otz__evidence(b->s, top[i].spec, r->arena_, &rel->rules, &rel->nrules, &rel->terms,
		              &rel->nterms, 5);
	}
	return 0;
}

/* Borrow the closest specimen's descriptive sections, when it is close. */
static int borrow(builder *b, const otz_scored *top, size_t ntop, int min_percent)
{
	otz_record *r = b->r;
	if (!ntop || lround(top[0].score * 100) < min_percent)
		return 0;
	const otz_record *sp = b->e->specimens[top[0].spec];
	r->via = otz__rstr(r, sp->title);
	r->via_percent = (int)lround(top[0].score * 100);
	r->org_note = otz__rstr(r, sp->org_note);
	r->encounter = otz__rstr(r, sp->encounter);
	r->diagnosis = otz__rstr(r, sp->diagnosis);
	r->salary_quote = otz__rstr(r, sp->salary_quote);
#define COPY_ARRAY(field, count)                                               \
	if (sp->count) {                                                       \
		r->field = calloc(sp->count, sizeof(*r->field));               \
		if (!r->field)                                                 \
			return OTZ_ENOMEM;                                     \
		r->count = sp->count;                                          \
	}
	COPY_ARRAY(aliases, naliases);
	for (size_t i = 0; i < sp->naliases; i++)
		r->aliases[i] = otz__rstr(r, sp->aliases[i]);
	COPY_ARRAY(habitat_lines, nhabitat_lines);
	for (size_t i = 0; i < sp->nhabitat_lines; i++)
		r->habitat_lines[i] = otz__rstr(r, sp->habitat_lines[i]);
	COPY_ARRAY(log, nlog);
	for (size_t i = 0; i < sp->nlog; i++) {
		r->log[i].slot = otz__rstr(r, sp->log[i].slot);
		r->log[i].title = otz__rstr(r, sp->log[i].title);
		r->log[i].text = otz__rstr(r, sp->log[i].text);
	}
	COPY_ARRAY(complaints, ncomplaints);
	for (size_t i = 0; i < sp->ncomplaints; i++) {
		r->complaints[i].text = otz__rstr(r, sp->complaints[i].text);
		r->complaints[i].source = otz__rstr(r, sp->complaints[i].source);
	}
#undef COPY_ARRAY
	return 0;
}

/* A first line short enough and bare enough to be the role's title. */
static char *guess_title(builder *b)
{
	const otz_analysis *an = b->an;
	/* A record, perhaps behind a BOM or blank lines, names its own role. */
	size_t lead = b->len >= 3 && memcmp(b->input, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (lead < b->len && isspace((unsigned char)b->input[lead]))
		lead++;
	if (b->len - lead >= 12 && memcmp(b->input + lead, "FILE RECORD:", 12) == 0) {
		otz_record *rec = NULL;
		char *t = NULL;
		if (otz_record_parse(&rec, b->input, b->len, "input", NULL) == 0)
			t = otz__rstr(b->r, rec->title);
		otz_record_free(rec);
		if (t)
			return t;
	}
	if (an->nsegs == 0 || an->segs[0].kind != OTZ_SEG_SENTENCE)
		return NULL;
	const otz_segment *g = &an->segs[0];
	const char *s = an->text.s + g->start;
	size_t n = g->end - g->start;
	/* It must be a whole line of its own. */
	if (g->end < an->text.len && an->text.s[g->end] != '\n')
		return NULL;
	size_t words = 1;
	for (size_t i = 0; i < n; i++)
		words += s[i] == ' ';
	char last = s[n - 1];
	if (words > 8 || n > 80 || last == '.' || last == '!' || last == '?' || last == ':' ||
	    last == ',')
		return NULL;
	return disp(b, seg_span(b, 0));
}

/* The patterns skipped after a PCRE2 limit, with their rule's file and line. */
static int note_limits(builder *b)
{
	const otz_analysis *an = b->an;
	const otz_ruleset *rs = otz_engine_rules(b->e);
	size_t n = an->limit_hits < OTZ_MAX_LIMIT_NOTES ? an->limit_hits : OTZ_MAX_LIMIT_NOTES;
	b->r->limit_hits = an->limit_hits;
	if (!n)
		return 0;
	b->r->limits = calloc(n, sizeof(*b->r->limits));
	if (!b->r->limits)
		return OTZ_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const otz_rule *rule = &rs->rules[an->limits[i].rule];
		otz_limit_note *ln = &b->r->limits[i];
		ln->rule_id = otz__rstr(b->r, rule->id);
		ln->file = otz__rstr(b->r, rule->file);
		if (!ln->rule_id || !ln->file)
			return OTZ_ENOMEM;
		ln->line = rule->patterns[an->limits[i].pattern].line;
		ln->limit = an->limits[i].code == PCRE2_ERROR_DEPTHLIMIT  ? "depth"
		            : an->limits[i].code == PCRE2_ERROR_HEAPLIMIT ? "heap"
		            : an->limits[i].code == PCRE2_ERROR_MATCHLIMIT ? "match"
		            : an->limits[i].code == PCRE2_ERROR_JIT_STACKLIMIT ? "JIT stack"
		                                                            : "other";
		ln->offset = an->text.src_start[an->segs[an->limits[i].seg].start];
	}
	b->r->nlimits = n;
	return 0;
}

int otz_translate(otz_record **out, otz_session *s, const char *input, size_t len,
                  const otz_translate_options *opts, otz_error *err)
{
	otz_translate_options dflt = OTZ_TRANSLATE_OPTIONS_INIT;
	int rc = 0;
	otz_analysis an;
	size_t ntop = 0;
	otz_scored top[16];
	builder b;
	memset(&an, 0, sizeof(an));
	memset(&b, 0, sizeof(b));
	if (!opts)
		opts = &dflt;
	if (otz_looks_binary(input, len)) {
		const char *nul = memchr(input, '\0', len < 8192 ? len : 8192);
		if (nul)
			return otz__fail(err, OTZ_EBINARY, "binary input (NUL byte at offset %zu)",
			                 (size_t)(nul - input));
		return otz__fail(err, OTZ_EBINARY, "binary input (mostly control bytes)");
	}
	s->stage_ns = opts->stage_ns;
	s->no_prefilter = opts->no_prefilter;
	rc = otz__analyze(s, &an, input, len, opts->lossy, err);
	uint64_t t0 = s->stage_ns ? otz__now_ns() : 0;
	if (rc)
		goto done;
	if (an.nsegs == 0) {
		if (len == 0)
			rc = otz__fail(err, OTZ_EEMPTY, "empty input: nothing to translate");
		else
			rc = otz__fail(err, OTZ_EEMPTY,
			               "no words to translate: %zu bytes of whitespace, bullets, emoji "
			               "or markup only",
			               len);
		goto done;
	}
	b.r = otz__record_alloc();
	if (!b.r) {
		rc = OTZ_ENOMEM;
		goto done;
	}
	b.s = s;
	b.e = s->engine;
	b.an = &an;
	b.input = input;
	b.len = len;
	b.r->is_translation = 1;
	b.r->nsegments = an.nsegs;
	b.r->nhits = an.nhits;
	b.r->input_bytes = len;
	if ((rc = note_limits(&b)))
		goto done;

	char *title = opts->title ? otz__rstr(b.r, opts->title) : guess_title(&b);
	b.r->title = title ? title : otz__rstr(b.r, "Unfiled Role");
	char *slug = otz_slugify(b.r->title);
	b.r->slug = slug ? otz__rstr(b.r, slug) : NULL;
	free(slug);
	if (!b.r->title || !b.r->slug) {
		rc = OTZ_ENOMEM;
		goto done;
	}

	size_t want = opts->related ? opts->related : 3;
	if (want > sizeof(top) / sizeof(top[0]))
		want = sizeof(top) / sizeof(top[0]);
	if ((rc = build_autopsy(&b)) || (rc = build_hits_by_category(&b)) ||
	    (rc = build_metrics(&b)))
		goto done;
	otz__lap(s, OTZ_STAGE_TRANSLATE, &t0);
	if ((rc = otz__score_analysis(s, &an, b.r->title, top, want, &ntop)))
		goto done;
	/* Related specimens with no shared evidence at all are not related. */
	while (ntop && top[ntop - 1].score <= 0)
		ntop--;
	if ((rc = build_related(&b, top, ntop)))
		goto done;
	otz__lap(s, OTZ_STAGE_SCORE, &t0);
	if ((rc = borrow(&b, top, ntop, opts->borrow_percent)) || (rc = build_figures(&b, top, ntop)))
		goto done;
	otz__lap(s, OTZ_STAGE_RECORD, &t0);
	*out = b.r;
	b.r = NULL;
done:
	s->stage_ns = NULL;
	s->no_prefilter = 0;
	if (rc == OTZ_ENOMEM)
		otz__fail(err, rc, "out of memory while translating");
	otz_record_free(b.r);
	otz__analysis_dispose(&an);
	return rc;
}
