/*
 * translate.c - rule hits in, one translation per matched sentence out.
 *
 * For a segment, the winning hit is the one whose rule weighs most; ties go
 * to the longer match, then to the rule loaded first (file name order, then
 * position in the file), so the choice never depends on anything but the
 * input and the corpus.  The winner's template is expanded with its
 * captures, quoted in the original wording (NFKC, not case-folded) through
 * the normalizer's offset map.  Strings are allocated in the caller's arena.
 */
#include <string.h>

#include "internal.h"

long otz__best_hit(const otz_ruleset *rs, const otz_analysis *an, size_t seg)
{
	/* Hits are stored in segment order: find the first of this segment. */
	size_t lo = 0, hi = an->nhits;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (an->hits[mid].seg < seg)
			lo = mid + 1;
		else
			hi = mid;
	}
	long best = -1;
	for (size_t i = lo; i < an->nhits && an->hits[i].seg == seg; i++) {
		const otz_hit *h = &an->hits[i];
		if (best < 0) {
			best = (long)i;
			continue;
		}
		const otz_hit *b = &an->hits[best];
		int wh = rs->rules[h->rule].weight, wb = rs->rules[b->rule].weight;
		size_t lh = h->end - h->start, lb = b->end - b->start;
		if (wh > wb || (wh == wb && lh > lb) ||
		    (wh == wb && lh == lb && rs->rules[h->rule].ord < rs->rules[b->rule].ord))
			best = (long)i;
	}
	return best;
}

char *otz__display(otz_arena *a, const char *input, size_t start, size_t end)
{
	otz_text t;
	otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
	no.lossy = 1;
	no.casefold = 0;
	if (end < start)
		end = start;
	if (otz_normalize(&t, input + start, end - start, &no, NULL))
		return NULL;
	/* One line, without the list marker the normalizer put in. */
	char *s = t.s;
	size_t n = t.len;
	if (n >= 2 && s[0] == '-' && s[1] == ' ') {
		s += 2;
		n -= 2;
	}
	char *out = otz__arena_strndup(a, s, n);
	if (out)
		for (char *p = out; *p; p++)
			if (*p == '\n')
				*p = ' ';
	otz_text_dispose(&t);
	return out;
}

char *otz__expand(otz_arena *a, const char *tmpl, const otz_hit *h,
                  const otz_analysis *an, const char *input)
{
	otz_buf b = OTZ_BUF_INIT;
	char *out = NULL;
	const char *p = tmpl;
	while (*p) {
		const char *d = strchr(p, '$');
		if (!d) {
			if (otz__buf_puts(&b, p))
				goto done;
			break;
		}
		if (otz__buf_put(&b, p, (size_t)(d - p)))
			goto done;
		if (d[1] == '$') {
			if (otz__buf_put(&b, "$", 1))
				goto done;
			p = d + 2;
		} else if (d[1] >= '0' && d[1] <= '9') {
			int g = d[1] - '0';
			if (h->cap[2 * g] != SIZE_MAX && h->cap[2 * g + 1] > h->cap[2 * g]) {
				otz_span sp = otz__src_span(&an->text, h->cap[2 * g], h->cap[2 * g + 1]);
				char *q = otz__display(a, input, sp.start, sp.end);
				if (!q || otz__buf_puts(&b, q))
					goto done;
			}
			p = d + 2;
		} else {
			if (otz__buf_put(&b, "$", 1))
				goto done;
			p = d + 1;
		}
	}
	out = otz__arena_strndup(a, b.ptr ? b.ptr : "", b.len);
done:
	otz_buf_dispose(&b);
	return out;
}
