/*
 * translate.c - rule hits in, the record's translations out.
 *
 * For each segment the winning hit is the one whose rule weighs most; ties
 * go to the longer match, then to the rule loaded first (file name order,
 * then position in the file), so the choice never depends on anything but
 * the input and the corpus.  otz__beats() is that order, and `rules check`
 * uses it too when it looks for shadowed rules.  The winner's template is
 * expanded with its captures, quoted in the original wording (NFKC, not
 * case-folded) through the normalizer's offset map, and becomes the
 * segment's [08] autopsy entry.  Every hit of a weaponry, habitat or
 * red-flag rule also adds its entry to [06], [02] or the red flags of [04],
 * once per rule.  Strings are allocated in the record's arena.
 */
#include <string.h>

#include "internal.h"

int otz__beats(const otz_ruleset *rs, size_t ra, size_t la, size_t rb, size_t lb)
{
	int wa = rs->rules[ra].weight, wb = rs->rules[rb].weight;
	if (wa != wb)
		return wa > wb;
	if (la != lb)
		return la > lb;
	return rs->rules[ra].ord < rs->rules[rb].ord;
}

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
		const otz_hit *h = &an->hits[i], *b = best >= 0 ? &an->hits[best] : NULL;
		if (!b || otz__beats(rs, h->rule, h->end - h->start, b->rule, b->end - b->start))
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

int otz__run_seen_rule(const otz_entry *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].rule_id && strcmp(v[i].rule_id, id) == 0)
			return 1;
	return 0;
}

int otz__run_add_entry(otz_run *run, otz_entry **arr, size_t *n, size_t *cap, const char *name,
                       const char *text, const char *rule_id, otz_span sp)
{
	if (OTZ_GROW(*arr, *cap, *n + 1))
		return OTZ_ENOMEM;
	otz_entry *e = &(*arr)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->name = otz__rstr(run->r, name);
	e->text = otz__rstr(run->r, text);
	e->rule_id = otz__rstr(run->r, rule_id);
	e->has_span = 1;
	e->span = sp;
	return (text && !e->text) || (name && !e->name) || (rule_id && !e->rule_id) ? OTZ_ENOMEM : 0;
}

/* [08]: the winning hit of each segment, expanded. */
static int autopsy(otz_run *run)
{
	const otz_ruleset *rs = run->e->rules;
	const otz_analysis *an = run->an;
	otz_record *r = run->r;
	for (size_t g = 0; g < an->nsegs; g++) {
		long bi = otz__best_hit(rs, an, g);
		if (bi < 0)
			continue;
		const otz_hit *h = &an->hits[bi];
		const otz_rule *rule = &rs->rules[h->rule];
		if (OTZ_GROW(r->autopsy, run->cap_autopsy, r->nautopsy + 1))
			return OTZ_ENOMEM;
		otz_autopsy *a = &r->autopsy[r->nautopsy++];
		memset(a, 0, sizeof(*a));
		a->span = otz__src_span(&an->text, an->segs[g].start, an->segs[g].end);
		a->has_span = 1;
		a->illusion = otz__display(r->arena_, run->input, a->span.start, a->span.end);
		a->translation = otz__expand(r->arena_, rule->translation, h, an, run->input);
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

/* [06], [02] and the red flags: one entry per rule, at its first hit. */
static int entries_by_category(otz_run *run)
{
	const otz_ruleset *rs = run->e->rules;
	const otz_analysis *an = run->an;
	otz_record *r = run->r;
	for (size_t i = 0; i < an->nhits; i++) {
		const otz_hit *h = &an->hits[i];
		const otz_rule *rule = &rs->rules[h->rule];
		otz_entry **arr;
		size_t *n, *cap;
		switch (rule->category) {
		case OTZ_CAT_WEAPONRY:
			arr = &r->weapons, n = &r->nweapons, cap = &run->cap_weapons;
			break;
		case OTZ_CAT_HABITAT:
			arr = &r->habitat, n = &r->nhabitat, cap = &run->cap_habitat;
			break;
		case OTZ_CAT_RED_FLAG:
			arr = &r->red_flags, n = &r->nred_flags, cap = &run->cap_flags;
			break;
		default:
			continue;
		}
		if (otz__run_seen_rule(*arr, *n, rule->id))
			continue;
		otz_span sp = otz__src_span(&an->text, h->start, h->end);
		char *t = otz__expand(r->arena_, rule->translation, h, an, run->input);
		/* A red flag is named by the words that raised it; weaponry by its rule. */
		const char *name = rule->category == OTZ_CAT_RED_FLAG
		                           ? otz__display(r->arena_, run->input, sp.start, sp.end)
		                   : rule->category == OTZ_CAT_WEAPONRY ? rule->name
		                                                        : NULL;
		if (!t || (rule->category == OTZ_CAT_RED_FLAG && !name) ||
		    otz__run_add_entry(run, arr, n, cap, name, t, rule->id, sp))
			return OTZ_ENOMEM;
	}
	return 0;
}

int otz__translate_stage(otz_run *run)
{
	int rc = autopsy(run);
	return rc ? rc : entries_by_category(run);
}
