/*
 * titles.c - a role's title in, how much it looks like each specimen's
 * titles out.
 *
 * Titles are compared in a normal form (otz__title_norm): normalized and
 * case-folded, qualifiers after a separator dropped ("Data Scientist -
 * Ads"), seniority words and grade marks dropped, words singular.  The
 * engine keeps every specimen's title and aliases in that form, as word
 * numbers (otz__title_index_build); a query title is compared with each of
 * them (equal, or the Jaccard share of their words, raised when every word
 * of the alias is in the title).  The index belongs to the engine; the
 * query's per-specimen similarities are the session's scratch.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Words that say how senior, not what the job is. */
static const char *const seniority[] = {"senior", "sr", "junior", "jr", "lead", "principal",
                                        "staff", "associate", "entry", "level", "mid",
                                        "intern", "trainee", NULL};
/* Trailing grade marks: "Analyst II", "Engineer 3". */
static const char *const grades[] = {"i", "ii", "iii", "iv", "1", "2", "3", "4", NULL};

static int in_words(const char *const *list, const char *w, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
			return 1;
	return 0;
}

char *otz__title_norm(const char *title)
{
	otz_text t;
	otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
	no.lossy = 1;
	if (!title || otz_normalize(&t, title, strlen(title), &no, NULL))
		return NULL;
	/* Qualifiers after a separator name a team or a contract, not a role. */
	static const char *const cuts[] = {" - ", ", ", " | ", " (", " @ ", ": ", "\n", NULL};
	size_t len = t.len;
	for (size_t k = 0; cuts[k]; k++) {
		const char *c = strstr(t.s, cuts[k]);
		/* ...but "Manager, Software Engineering" is one title: a single
		 * word before the separator keeps what follows. */
		if (c && (size_t)(c - t.s) < len && memchr(t.s, ' ', (size_t)(c - t.s)))
			len = (size_t)(c - t.s);
	}
	/* Words, singular, as (start, length) pairs in a copy. */
	char *wb = malloc(len + 1);
	size_t ws[32], wl[32], nw = 0, o = 0, i = 0, s0, n;
	if (!wb) {
		otz_text_dispose(&t);
		return NULL;
	}
	while (nw < 32 && otz__next_word(t.s, len, &i, 0, &s0, &n)) {
		memcpy(wb + o, t.s + s0, n);
		ws[nw] = o;
		wl[nw++] = otz__stem(wb + o, n);
		o += n;
	}
	while (nw > 1 && in_words(grades, wb + ws[nw - 1], wl[nw - 1]))
		nw--;
	size_t first = 0;
	while (nw - first > 2 && in_words(seniority, wb + ws[first], wl[first]))
		first++;
	char *out = malloc(len + 2);
	if (out) {
		o = 0;
		for (size_t w = first; w < nw; w++) {
			if (o)
				out[o++] = ' ';
			memcpy(out + o, wb + ws[w], wl[w]);
			o += wl[w];
		}
		out[o] = '\0';
	}
	free(wb);
	otz_text_dispose(&t);
	return out;
}

char *otz_title_key(const char *title)
{
	return otz__title_norm(title);
}

/* Split a normalized title into word numbers; words the index does not
 * know get OTZ_NO_WORD, which matches nothing. */
#define OTZ_NO_WORD UINT32_MAX
#define TITLE_WORDS 32

static size_t title_ids(const otz_vocab *words, const char *t, uint32_t *ids, int add,
                        otz_vocab *addto)
{
	size_t n = 0;
	char w[128];
	while (*t && n < TITLE_WORDS) {
		while (*t == ' ')
			t++;
		size_t l = 0;
		while (t[l] && t[l] != ' ')
			l++;
		if (!l)
			break;
		if (l < sizeof(w)) {
			memcpy(w, t, l);
			w[l] = '\0';
			long id = otz__vocab_get(words, w);
			if (id < 0 && add)
				id = otz__vocab_add(addto, w, 0);
			ids[n++] = id < 0 ? OTZ_NO_WORD : (uint32_t)id;
		}
		t += l;
	}
	return n;
}

static int has_id(const uint32_t *v, size_t n, uint32_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/*
 * Similarity of two titles as word numbers: 1 when equal, else the Jaccard
 * share of their words, raised to 0.8 when every word of k is in q
 * ("machine learning data scientist" contains "data scientist").
 */
static double ids_sim(const uint32_t *q, size_t nq, const uint32_t *k, size_t nk)
{
	if (!nq || !nk)
		return 0;
	if (nq == nk && memcmp(q, k, nq * sizeof(*q)) == 0 && !has_id(q, nq, OTZ_NO_WORD))
		return 1;
	size_t both = 0;
	for (size_t i = 0; i < nq; i++)
		both += q[i] != OTZ_NO_WORD && has_id(k, nk, q[i]);
	int k_in_q = 1;
	for (size_t i = 0; i < nk && k_in_q; i++)
		k_in_q = has_id(q, nq, k[i]);
	double j = (double)both / (double)(nq + nk - both);
	if (k_in_q && nk >= 2 && j < 0.8)
		j = 0.8;
	return j;
}

int otz__title_index_build(otz_engine *e)
{
	size_t ns = e->nspecimens ? e->nspecimens : 1;
	e->tkeys = calloc(ns, sizeof(char **));
	e->ntkeys = calloc(ns, sizeof(size_t));
	e->tids = calloc(ns, sizeof(uint32_t **));
	e->ntids = calloc(ns, sizeof(size_t *));
	if (!e->tkeys || !e->ntkeys || !e->tids || !e->ntids || otz__vocab_new(&e->twords, 256))
		return OTZ_ENOMEM;
	for (size_t s = 0; s < e->nspecimens; s++) {
		const otz_record *r = e->specimens[s];
		e->tkeys[s] = calloc(r->naliases + 1, sizeof(char *));
		e->tids[s] = calloc(r->naliases + 1, sizeof(uint32_t *));
		e->ntids[s] = calloc(r->naliases + 1, sizeof(size_t));
		if (!e->tkeys[s] || !e->tids[s] || !e->ntids[s])
			return OTZ_ENOMEM;
		for (size_t k = 0; k <= r->naliases; k++) {
			uint32_t ids[TITLE_WORDS];
			e->tkeys[s][k] = otz__title_norm(k ? r->aliases[k - 1] : r->title);
			if (!e->tkeys[s][k])
				return OTZ_ENOMEM;
			e->ntkeys[s] = k + 1;
			size_t n = title_ids(e->twords, e->tkeys[s][k], ids, 1, e->twords);
			e->tids[s][k] = malloc((n ? n : 1) * sizeof(uint32_t));
			if (!e->tids[s][k])
				return OTZ_ENOMEM;
			memcpy(e->tids[s][k], ids, n * sizeof(uint32_t));
			e->ntids[s][k] = n;
		}
	}
	return 0;
}

void otz__title_index_free(otz_engine *e)
{
	for (size_t i = 0; e->tkeys && i < e->nspecimens; i++) {
		if (e->tkeys[i])
			otz__free_strv(e->tkeys[i], e->ntkeys[i]);
		for (size_t k = 0; e->tids && e->tids[i] && k < e->ntkeys[i]; k++)
			free(e->tids[i][k]);
		if (e->tids)
			free(e->tids[i]);
		if (e->ntids)
			free(e->ntids[i]);
	}
	free(e->tkeys);
	free(e->ntkeys);
	free(e->tids);
	free(e->ntids);
	otz__vocab_free(e->twords);
}

/* Best title similarity of specimen sp to the query's word numbers. */
static double title_score(const otz_engine *e, size_t sp, const uint32_t *q, size_t nq,
                          long *which)
{
	double best = 0;
	*which = -1;
	for (size_t k = 0; k < e->ntkeys[sp]; k++) {
		double x = ids_sim(q, nq, e->tids[sp][k], e->ntids[sp][k]);
		if (x > best) {
			best = x;
			*which = (long)k;
		}
	}
	return best;
}

int otz__title_scores(otz_session *s, const char *title, int *use)
{
	const otz_engine *e = s->engine;
	char *q = title ? otz__title_norm(title) : NULL;
	if (title && !q)
		return OTZ_ENOMEM;
	uint32_t qids[TITLE_WORDS];
	size_t nq = q ? title_ids(e->twords, q, qids, 0, NULL) : 0;
	*use = 0;
	for (size_t sp = 0; sp < e->nspecimens; sp++) {
		s->talias[sp] = -1;
		s->tsim[sp] = nq ? title_score(e, sp, qids, nq, &s->talias[sp]) : 0;
		*use |= s->tsim[sp] >= OTZ_TITLE_MIN_SIM;
	}
	free(q);
	return 0;
}

double otz__title_between(const otz_engine *e, size_t spec, size_t j, long *which)
{
	return title_score(e, j, e->tids[spec][0], e->ntids[spec][0], which);
}
