/*
 * match.c - segments in, rule hits out.
 *
 * otz__match() runs every pattern of every rule on every segment with the
 * session's match data and limits, and records at most one hit per rule per
 * segment (the first pattern that matches, its leftmost match), with its
 * capture offsets.  (otz__analyze() in pipeline.c runs it after normalize
 * and segment.)
 *
 * A prefilter (prefilter.c) first says which patterns can match a segment
 * at all; only those run, and a pattern is compiled the first time it runs
 * (otz__pattern_code), so that a short posting pays for few.
 *
 * Then the hits that are not claims are let go (keep_claims): on a sentence
 * about the employer, the hits of rules about the role's work; and a
 * buzzword rule's hit on one item of an enumeration ("statistical modeling /
 * machine learning / recommender system concepts"), unless the rule says
 * a mention is what it mocks or mocks what a company says of itself (a
 * company lists its values: "a culture of innovation, performance and
 * trust" is the claim).
 *
 * A pattern that runs into its match, depth or heap limit on a segment is
 * skipped for that segment, counted in `limit_hits` and noted (rule,
 * pattern, segment, which limit) for the record; the rest of the JD is still
 * matched.  The analysis owns its arrays (otz__analysis_dispose).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Run pattern p of rule r on one segment; record a hit.  1 on a hit, 0 on
 * none, negative on error. */
static int try_pattern(otz_session *s, const otz_ruleset *rs, otz_analysis *an, size_t g,
                       size_t r, size_t p)
{
	const otz_segment *seg = &an->segs[g];
	int ec = 0, m;
	/* The compiled code when it is there (the common case, inline); else
	 * compiled now. */
	const otz_pattern *pt = &rs->rules[r].patterns[p];
	const pcre2_code *code = atomic_load_explicit(&pt->code, memory_order_acquire);
	if (!code)
		code = otz__pattern_code(rs, pt, &ec);
	if (code)
		m = pcre2_match(code, (PCRE2_SPTR)(an->text.s + seg->start), seg->end - seg->start, 0,
		                PCRE2_NO_UTF_CHECK, s->md, s->mctx);
	else if (ec == PCRE2_ERROR_HEAP_FAILED)
		return OTZ_ENOMEM;
	else
		m = PCRE2_ERROR_INTERNAL; /* a pattern that does not compile is skipped as a limit is */
	if (m == PCRE2_ERROR_NOMATCH)
		return 0;
	if (m < 0) {
		if (an->limit_hits < OTZ_MAX_LIMIT_NOTES) {
			an->limits[an->limit_hits].seg = g;
			an->limits[an->limit_hits].rule = r;
			an->limits[an->limit_hits].pattern = p;
			an->limits[an->limit_hits].code = m;
		}
		an->limit_hits++;
		return 0;
	}
	if (OTZ_GROW(an->hits, an->cap_hits, an->nhits + 1))
		return OTZ_ENOMEM;
	otz_hit *h = &an->hits[an->nhits++];
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
	h->seg = g;
	h->rule = r;
	h->pattern = p;
	h->start = seg->start + ov[0];
	h->end = seg->start + ov[1];
	h->ncap = (size_t)m < 10 ? (size_t)m : 10;
	for (size_t c = 0; c < 10; c++) {
		if (c < h->ncap && ov[2 * c] != PCRE2_UNSET) {
			h->cap[2 * c] = seg->start + ov[2 * c];
			h->cap[2 * c + 1] = seg->start + ov[2 * c + 1];
		} else {
			h->cap[2 * c] = h->cap[2 * c + 1] = SIZE_MAX;
		}
	}
	return 1;
}

/* Other words an enumeration's item may hold besides the match ("recommender
 * system concepts"). */
#define LIST_ITEM_EXTRA 2
/* Bytes of one such word looked at, so that a hit beside a huge token costs
 * little. */
#define LIST_WORD_MAX 64

static int list_sep(char c)
{
	return c == ',' || c == '/' || c == ';' || c == '(' || c == ')' || c == '|' || c == ':';
}

/* What bounds the match towards one side (dir -1 left of `at`, +1 right),
 * walking at most LIST_ITEM_EXTRA words away: 3 a separator character,
 * 2 "and" or "or", 1 the segment's edge, 0 more words (a clause, not an
 * item). */
static int bound(const char *t, size_t lo, size_t hi, size_t at, int dir)
{
	size_t i = at, words = 0;
	for (;;) {
		while (dir < 0 ? i > lo && t[i - 1] == ' ' : i < hi && t[i] == ' ')
			i = dir < 0 ? i - 1 : i + 1;
		if (dir < 0 ? i == lo : i == hi || (t[i] == '.' && i + 1 == hi))
			return 1;
		if (list_sep(dir < 0 ? t[i - 1] : t[i]))
			return 3;
		/* The next word: [a, b). */
		size_t a = i, b = i;
		if (dir > 0)
			while (b < hi && t[b] != ' ' && !list_sep(t[b]) && b - i < LIST_WORD_MAX)
				b++;
		else
			while (a > lo && t[a - 1] != ' ' && !list_sep(t[a - 1]) && i - a < LIST_WORD_MAX)
				a--;
		if ((dir > 0 ? b - i : i - a) >= LIST_WORD_MAX)
			return 0; /* no word of a list item is that long */
		if ((b - a == 3 && memcmp(t + a, "and", 3) == 0) ||
		    (b - a == 2 && memcmp(t + a, "or", 2) == 0))
			return 2;
		if (++words > LIST_ITEM_EXTRA)
			return 0;
		i = dir < 0 ? a : b;
	}
}

/* The list separators of a segment. */
static size_t separators(const char *t, const otz_segment *g)
{
	size_t seps = 0;
	for (size_t i = g->start; i < g->end; i++)
		seps += t[i] == ',' || t[i] == '/' || t[i] == ';';
	return seps;
}

/* Is the hit one item of an enumeration ("machine learning, NLP,
 * recommender systems")?  An item has a separator character on one side
 * and a separator or "and"/"or" on the other, in a segment of at least two
 * separators (`seps`, counted once per segment by the caller, so that a
 * long segment with many hits stays linear); the segment's edge counts as
 * a side only in a list of at least three.  A match that itself spans a
 * separator ("R / Python") is about the list, not one of its items. */
static int listed_mention(const char *t, const otz_segment *g, const otz_hit *h, size_t seps)
{
	for (size_t i = h->start; i < h->end; i++)
		if (list_sep(t[i]))
			return 0;
	int left = bound(t, g->start, g->end, h->start, -1);
	int right = bound(t, g->start, g->end, h->end, 1);
	if (seps < 2 || left == 0 || right == 0 || (left < 3 && right < 3))
		return 0;
	return (left > 1 && right > 1) || seps >= 3;
}

/* Is a habitat hit at t[at], in a segment starting at t[s], about where the
 * candidate has worked rather than about this employer: after a word of
 * experience ("experience", "worked", "spent", "prior", "N years" not
 * followed by a comma: "for 20 years, we have led" is the employer's), or
 * "background in"?  "Customer experience" and its kin are a company's
 * product, not a candidate's past.  Linear in the segment's words before
 * the hit. */
static int candidates_past(const char *t, size_t s, size_t at)
{
	static const char *const past[] = {"experience", "experiences", "familiarity",
	                                   "worked", "spent", "previously", "prior", NULL};
	static const char *const not_past[] = {"customer", "user", "guest", "patient", "member",
	                                       "employee", "candidate", "shopping", "digital", NULL};
	static const char *const counts[] = {"more", "several", "two", "three", "four", "five", "six",
	                                     "seven", "eight", "nine", "ten", NULL};
	size_t i = 0, ws, wl, pws = 0, pwl = 0;
	while (otz__next_word(t + s, at - s, &i, 0, &ws, &wl)) {
		const char *w = t + s + ws;
		if (otz__word_in(past, w, wl) && !(pwl && otz__word_in(not_past, t + s + pws, pwl)))
			return 1;
		if (wl == 10 && memcmp(w, "background", 10) == 0) {
			size_t j = i, nws, nwl;
			if (otz__next_word(t + s, at - s, &j, 0, &nws, &nwl) &&
			    ((nwl == 2 && memcmp(t + s + nws, "in", 2) == 0) ||
			     (nwl == 4 && memcmp(t + s + nws, "with", 4) == 0)))
				return 1;
		}
		if ((wl == 5 && memcmp(w, "years", 5) == 0) || (wl == 4 && memcmp(w, "year", 4) == 0)) {
			const char *pw = t + s + pws;
			int counted = pwl && (isdigit((unsigned char)pw[pwl - 1]) || pw[pwl - 1] == '+' ||
			                      otz__word_in(counts, pw, pwl));
			size_t e = s + i;
			while (e < at && t[e] == ' ')
				e++;
			if (counted && e < at && t[e] != ',' && t[e] != '.' && t[e] != ';')
				return 1;
		}
		pws = ws;
		pwl = wl;
	}
	return 0;
}

static void keep_claims(const otz_ruleset *rs, otz_analysis *an)
{
	size_t k = 0, seps = 0, counted = SIZE_MAX;
	for (size_t h = 0; h < an->nhits; h++) {
		const otz_rule *r = &rs->rules[an->hits[h].rule];
		const otz_segment *g = &an->segs[an->hits[h].seg];
		if ((g->org && !r->org) || !otz__range_fits(r, an->text.s, an->hits[h].start, an->hits[h].end))
			continue;
		if (r->category == OTZ_CAT_HABITAT && candidates_past(an->text.s, g->start, an->hits[h].start))
			continue;
		if (r->category == OTZ_CAT_BUZZWORD && !r->mention && !r->org) {
			if (counted != an->hits[h].seg) { /* hits come in segment order */
				seps = separators(an->text.s, g);
				counted = an->hits[h].seg;
			}
			if (listed_mention(an->text.s, g, &an->hits[h], seps))
				continue;
		}
		an->hits[k++] = an->hits[h];
	}
	an->nhits = k;
}

int otz__match(otz_session *s, const otz_ruleset *rs, otz_analysis *an, int no_prefilter,
               otz_error *err)
{
	const char *t = an->text.s;
	const otz_prefilter *pf = s->engine->pf;
	int filter = pf && !no_prefilter && rs == s->engine->rules;
	for (size_t g = 0; g < an->nsegs; g++) {
		const otz_segment *seg = &an->segs[g];
		if (filter) {
			if (++s->gen == 0) { /* wrapped: old marks could alias */
				memset(s->marks, 0, otz_ruleset_pattern_count(rs) * sizeof(uint32_t));
				s->gen = 1;
			}
			size_t nc = otz__prefilter_scan(pf, t + seg->start, seg->end - seg->start,
			                                s->marks, s->gen, s->cand);
			size_t hit_rule = SIZE_MAX;
			for (size_t k = 0; k < nc; k++) {
				size_t r, p;
				otz__prefilter_where(pf, s->cand[k], &r, &p);
				if (r == hit_rule)
					continue; /* one hit per rule per segment */
				int m = try_pattern(s, rs, an, g, r, p);
				if (m < 0)
					return otz__fail(err, OTZ_ENOMEM, "out of memory while matching");
				if (m)
					hit_rule = r;
			}
			continue;
		}
		for (size_t r = 0; r < rs->nrules; r++) {
			for (size_t p = 0; p < rs->rules[r].npatterns; p++) {
				int m = try_pattern(s, rs, an, g, r, p);
				if (m < 0)
					return otz__fail(err, OTZ_ENOMEM, "out of memory while matching");
				if (m)
					break; /* one hit per rule per segment */
			}
		}
	}
	keep_claims(rs, an);
	return 0;
}
