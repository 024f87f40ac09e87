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
 * at all; only those run.
 *
 * A pattern that runs into its match, depth or heap limit on a segment is
 * skipped for that segment, counted in `limit_hits` and noted (rule,
 * pattern, segment, which limit) for the record; the rest of the JD is still
 * matched.  The analysis owns its arrays (otz__analysis_dispose).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Run pattern p of rule r on one segment; record a hit.  1 on a hit, 0 on
 * none, negative on error. */
static int try_pattern(otz_session *s, const otz_ruleset *rs, otz_analysis *an, size_t g,
                       size_t r, size_t p)
{
	const otz_segment *seg = &an->segs[g];
	const otz_pattern *pt = &rs->rules[r].patterns[p];
	int m = pcre2_match(pt->code, (PCRE2_SPTR)(an->text.s + seg->start), seg->end - seg->start,
	                    0, PCRE2_NO_UTF_CHECK, s->md, s->mctx);
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
	return 0;
}
