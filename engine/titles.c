/*
 * titles.c - a role's title in, how much it looks like each specimen's
 * titles out.
 *
 * A title is compared as the set of its words (otz__title_words): normalized
 * and case-folded, singular, without the words that say how senior the post
 * is or how it is contracted ("Senior", "II", "Remote", "Part-Time") and
 * without small words ("of", "and").  The qualifier after a comma or a dash
 * stays: "Software Engineer, Site Reliability" is an SRE, not any software
 * engineer.  The engine keeps every specimen's title and aliases in that
 * form, with an index from each set to its keys (exact matches) and from
 * each word to the keys that hold it (partial matches), so a query reads
 * only the keys that share a word with it.  Two sets are compared by the
 * weights of the words they share over the weights of all their words
 * (weighted Jaccard); a word weighs by how few specimens' titles use it, and
 * a word no title uses (a place, a team) weighs least, so a qualifier of
 * that kind costs a match little.
 *
 * The index belongs to the engine; the query's per-specimen similarities
 * are the session's scratch.  The checks of `corpus build` live here too: a
 * title claimed by two specimens, a generic alias (one whose words every
 * title of several other roles also contains), an unknown family.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Grades, then words that say how senior: dropped while two words are left. */
static const char *const grades[] = {"i", "ii", "iii", "iv", "v", "1", "2", "3", "4", "5", NULL};
static const char *const seniority[] = {"senior", "sr", "junior", "jr", "lead", "principal",
                                        "staff", "associate", "mid", "intern", "trainee",
                                        NULL};
/* Words about the contract, the shift or the grammar: always dropped. */
static const char *const noise[] = {"remote", "hybrid", "onsite", "contractor",
                                    "temporary", "temp", "permanent", "seasonal", "part",
                                    "full", "time", "night", "nights", "weekend", "day",
                                    "days", "shift", "of", "and", "the", "for", "to", "a",
                                    "an", "in", "at", "with", "on", "or", "we", "hiring",
                                    "m", "f", "d", "w", "x", "us", "usa", "level", NULL};
/* What a title word the alias lacks costs, as a share of its weight. */
#define EXTRA_WORD_SHARE 0.5
/* The weight of a word no specimen title holds. */
#define UNKNOWN_WORD_WEIGHT 0.5
/* At most this many words of a title count. */
#define TITLE_WORDS 24
/* An alias of at most this many words, all of which the titles of at
 * least GENERIC_OTHERS other specimens hold, is generic. */
#define GENERIC_MAX_WORDS 2
#define GENERIC_OTHERS 3

static int in_words(const char *const *list, const char *w, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
			return 1;
	return 0;
}


/* The words of a title, singular, noise dropped: into buf (NUL-separated,
 * at most `cap` bytes), their starts into ws; how many.  Grades go from the
 * end while a word is left, then seniority words from the start while two
 * are left ("Staff Engineer" keeps its "staff", "Senior Staff Engineer II"
 * loses "ii" and "senior", "Data Science Lead" keeps its "lead"). */
static size_t title_words(const char *title, char *buf, size_t cap, const char **ws)
{
	otz_text t;
	otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
	no.lossy = 1;
	if (!title || otz_normalize(&t, title, strlen(title), &no, NULL))
		return 0;
	/* "M&A", "R&D", "FP&A" are one word each. */
	size_t len = 0;
	for (size_t k = 0; k < t.len; k++)
		if (!(t.s[k] == '&' && k && k + 1 < t.len && t.s[k - 1] != ' ' && t.s[k + 1] != ' '))
			t.s[len++] = t.s[k];
	size_t nw = 0, o = 0, i = 0, s0, n;
	while (nw < TITLE_WORDS && otz__next_word(t.s, len, &i, 0, &s0, &n)) {
		if (n + 1 > cap - o)
			break;
		memcpy(buf + o, t.s + s0, n);
		n = otz__stem(buf + o, n);
		if (in_words(noise, buf + o, n))
			continue;
		buf[o + n] = '\0';
		ws[nw++] = buf + o;
		o += n + 1;
	}
	otz_text_dispose(&t);
	while (nw > 1 && in_words(grades, ws[nw - 1], strlen(ws[nw - 1])))
		nw--;
	size_t first = 0;
	while (nw - first > 2 && in_words(seniority, ws[first], strlen(ws[first])))
		first++;
	memmove(ws, ws + first, (nw - first) * sizeof(*ws));
	return nw - first;
}

char *otz__title_norm(const char *title)
{
	char buf[512];
	const char *ws[TITLE_WORDS];
	size_t n = title_words(title, buf, sizeof(buf), ws);
	otz_buf out = OTZ_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (otz__buf_printf(&out, "%s%s", i ? " " : "", ws[i])) {
			otz_buf_dispose(&out);
			return NULL;
		}
	if (!out.ptr && otz__buf_put(&out, "", 0))
		return NULL;
	return out.ptr;
}

char *otz_title_key(const char *title)
{
	return otz__title_norm(title);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* A title as a sorted set of word numbers (words the index does not know
 * become OTZ_NO_WORD + i, distinct and matching nothing); how many. */
#define OTZ_NO_WORD 0x80000000u
static size_t ids_of(const otz_vocab *words, const char *const *ws, size_t n, uint32_t *ids)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		long id = words ? otz__vocab_get(words, ws[i]) : -1;
		ids[k++] = id < 0 ? OTZ_NO_WORD + (uint32_t)i : (uint32_t)id;
	}
	qsort(ids, k, sizeof(*ids), cmp_u32);
	size_t d = 0;
	for (size_t i = 0; i < k; i++)
		if (!d || ids[d - 1] != ids[i])
			ids[d++] = ids[i];
	return d;
}

static size_t word_set(const otz_vocab *words, const char *title, uint32_t *ids)
{
	char buf[512];
	const char *ws[TITLE_WORDS];
	size_t n = title_words(title, buf, sizeof(buf), ws);
	return ids_of(words, ws, n, ids);
}

/* Stored words ("data scientist") split in place into ws: how many.  buf
 * holds a copy of them (at most cap bytes, as title_words keeps them). */
static size_t split_words(const char *stored, char *buf, size_t cap, const char **ws)
{
	size_t n = 0, l = strlen(stored);
	if (l >= cap)
		l = cap - 1;
	memcpy(buf, stored, l);
	buf[l] = '\0';
	for (char *p = buf; *p && n < TITLE_WORDS;) {
		char *sp = strchr(p, ' ');
		if (sp)
			*sp = '\0';
		if (*p)
			ws[n++] = p;
		if (!sp)
			break;
		p = sp + 1;
	}
	return n;
}

static double word_weight(const otz_vocab *words, uint32_t id)
{
	return id >= OTZ_NO_WORD ? UNKNOWN_WORD_WEIGHT : otz__vocab_idf(words, id);
}

/*
 * How well the sorted set q (a posting's title) matches the sorted set k (a
 * specimen's title or alias): the weights of the words they share over
 * those of all their words, where a word of q that k lacks counts only
 * EXTRA_WORD_SHARE of its weight.  A title that holds every word of an
 * alias and adds a team, a product or a place to it ("Data Scientist,
 * Visualization, Basel AI Lab") still names that role; an alias word the
 * title lacks is the stronger evidence against.  Symmetric sets score 1.
 */
static double set_sim(const otz_vocab *words, const uint32_t *q, size_t nq, const uint32_t *k,
                      size_t nk)
{
	double both = 0, all = 0;
	size_t i = 0, j = 0;
	while (i < nq || j < nk) {
		if (j >= nk || (i < nq && q[i] < k[j])) {
			all += EXTRA_WORD_SHARE * word_weight(words, q[i++]);
		} else if (i >= nq || k[j] < q[i]) {
			all += word_weight(words, k[j++]);
		} else {
			double w = word_weight(words, q[i]);
			both += w;
			all += w;
			i++;
			j++;
		}
	}
	return all > 0 ? both / all : 0;
}

/* Is every word of a (sorted) in b (sorted)? */
static int subset(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t j = 0;
	for (size_t i = 0; i < na; i++) {
		while (j < nb && b[j] < a[i])
			j++;
		if (j >= nb || b[j] != a[i])
			return 0;
	}
	return 1;
}

/* The set's exact-match hash key: its word numbers in hex. */
static void set_key(const uint32_t *ids, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	/* "%x." a number, by hand: thousands of keys are made at load. */
	for (size_t i = 0; i < n && o + 10 < cap; i++) {
		char d[8];
		size_t k = 0;
		uint32_t x = ids[i];
		do
			d[k++] = hex[x & 15];
		while (x >>= 4);
		while (k)
			out[o++] = d[--k];
		out[o++] = '.';
	}
	out[o] = '\0';
}

/* Words a posting's text may put inside a title it names ("head of data
 * science"), which the titles' own words leave out. */
static const char *const grammar[] = {"of", "and", "the", "a", "an", "for", "to", "in",
                                      "at", "with", "on", "or", NULL};
#define PHRASE_MAX_WORDS 5

/* The phrases a text may name a specimen by: each title and alias of two
 * words or more, its words joined by spaces, with the specimens it names. */
static int phrases_build(otz_engine *e, size_t nkeys, const uint32_t *kspec,
                         char *const *kwords)
{
	size_t nlinks = 0, first = 0; /* first: the first link of the current specimen */
	uint32_t *pkey = NULL, *pspec = NULL; /* (phrase, specimen) links */
	size_t lcap = 0;
	if (otz__vocab_new(&e->tphrase, e->ntkeys))
		return OTZ_ENOMEM;
	for (size_t k = 0; k < nkeys; k++) {
		if (k && kspec[k] != kspec[k - 1])
			first = nlinks;
		char buf[512];
		const char *ws[TITLE_WORDS];
		size_t n = split_words(kwords[k], buf, sizeof(buf), ws), s = kspec[k];
		if (n < 2 || n > PHRASE_MAX_WORDS)
			continue;
		/* The phrase is the words joined by spaces: the stored form. */
		long id = otz__vocab_get(e->tphrase, kwords[k]);
		if (id < 0 && (id = otz__vocab_add(e->tphrase, kwords[k], 0)) < 0)
			goto oom;
		/* A specimen that lists a phrase twice (as a title and an alias)
		 * names it once; its links are the last ones, keys coming in
		 * specimen order. */
		int dup = 0;
		for (size_t x = first; x < nlinks && !dup; x++)
			dup = pkey[x] == (uint32_t)id && pspec[x] == (uint32_t)s;
		if (dup)
			continue;
		size_t c2 = lcap;
		if (OTZ_GROW(pkey, lcap, nlinks + 1) || OTZ_GROW(pspec, c2, nlinks + 1))
			goto oom;
		pkey[nlinks] = (uint32_t)id;
		pspec[nlinks++] = (uint32_t)s;
	}
	size_t np = otz__vocab_size(e->tphrase);
	e->tphrase_start = calloc(np + 1, sizeof(uint32_t));
	e->tphrase_spec = malloc((nlinks ? nlinks : 1) * sizeof(uint32_t));
	uint32_t *fill = calloc(np + 1, sizeof(uint32_t));
	if (!e->tphrase_start || !e->tphrase_spec || !fill) {
		free(fill);
		goto oom;
	}
	for (size_t k = 0; k < nlinks; k++)
		e->tphrase_start[pkey[k] + 1]++;
	for (size_t p = 0; p < np; p++)
		e->tphrase_start[p + 1] += e->tphrase_start[p];
	for (size_t k = 0; k < nlinks; k++)
		e->tphrase_spec[e->tphrase_start[pkey[k]] + fill[pkey[k]]++] = pspec[k];
	free(fill);
	free(pkey);
	free(pspec);
	return 0;
oom:
	free(pkey);
	free(pspec);
	return OTZ_ENOMEM;
}

int otz__title_mentions(otz_session *s, const otz_analysis *an)
{
	const otz_engine *e = s->engine;
	const char *t = an->text.s;
	size_t len = an->text.len, i = 0, ws, wl;
	/* The last PHRASE_MAX_WORDS words, made singular, grammar words left
	 * out. */
	char win[PHRASE_MAX_WORDS][64];
	size_t nwin = 0;
	for (size_t sp = 0; sp < e->nspecimens; sp++)
		s->tment[sp] = 0;
	while (otz__next_word(t, len, &i, 0, &ws, &wl)) {
		char w[64];
		if (wl >= sizeof(w)) {
			nwin = 0; /* no title holds such a word: it breaks any phrase */
			continue;
		}
		memcpy(w, t + ws, wl);
		size_t sl = otz__stem(w, wl);
		w[sl] = '\0';
		int plural = sl != wl;
		if (in_words(grammar, w, strlen(w)))
			continue;
		if (nwin == PHRASE_MAX_WORDS)
			memmove(win, win + 1, sizeof(win[0]) * (PHRASE_MAX_WORDS - 1));
		else
			nwin++;
		memcpy(win[nwin - 1], w, strlen(w) + 1);
		/* Every phrase that ends at this word.  A posting names its own
		 * role in the singular ("as a Data Scientist, you will") and the
		 * people around it in the plural ("partner with data scientists
		 * and engineers"): a plural is a counterpart, not a mention. */
		char key[PHRASE_MAX_WORDS * 65];
		for (size_t n = 2; !plural && n <= nwin; n++) {
			size_t o = 0;
			for (size_t k = nwin - n; k < nwin; k++) {
				size_t l = strlen(win[k]);
				if (k > nwin - n)
					key[o++] = ' ';
				memcpy(key + o, win[k], l); /* each under 64 bytes: key holds them all */
				o += l;
			}
			key[o] = '\0';
			long id = otz__vocab_get(e->tphrase, key);
			for (uint32_t p = id < 0 ? 0 : e->tphrase_start[id];
			     id >= 0 && p < e->tphrase_start[id + 1]; p++)
				s->tment[e->tphrase_spec[p]] += 1;
		}
	}
	return 0;
}

void otz__title_index_free(otz_engine *e)
{
	otz__vocab_free(e->tphrase);
	free(e->tphrase_start);
	free(e->tphrase_spec);
	free(e->tkey_words);
	free(e->tkeys);
	free(e->tpost_start);
	free(e->tpost);
	free(e->texact_next);
	free(e->texact_head);
	otz__vocab_free(e->twords);
	otz__vocab_free(e->texact);
}

int otz__title_index_from_words(otz_engine *e, size_t nk, const uint32_t *kspec,
                                const uint32_t *kalias, char *const *kwords)
{
	e->tkeys = calloc(nk ? nk : 1, sizeof(*e->tkeys));
	e->texact_next = calloc(nk ? nk : 1, sizeof(uint32_t));
	e->texact_head = calloc(nk ? nk : 1, sizeof(uint32_t));
	if (!e->tkeys || !e->texact_next || !e->texact_head || otz__vocab_new(&e->twords, 512) ||
	    otz__vocab_new(&e->texact, nk))
		return OTZ_ENOMEM;
	/* Words first, numbered, with the number of specimens using each. */
	double *df = NULL;
	size_t dcap = 0, dn = 0;
	for (size_t k0 = 0; k0 < nk;) {
		uint32_t seen[256];
		size_t nseen = 0, k = k0;
		for (; k < nk && kspec[k] == kspec[k0]; k++) {
			char buf[512];
			const char *ws[TITLE_WORDS];
			size_t n = split_words(kwords[k], buf, sizeof(buf), ws);
			for (size_t i = 0; i < n; i++) {
				long id = otz__vocab_get(e->twords, ws[i]);
				if (id < 0 && (id = otz__vocab_add(e->twords, ws[i], 0)) < 0)
					goto oom;
				if (OTZ_GROW(df, dcap, (size_t)id + 1))
					goto oom;
				while (dn <= (size_t)id)
					df[dn++] = 0;
				int dup = 0;
				for (size_t x = 0; x < nseen && !dup; x++)
					dup = seen[x] == (uint32_t)id;
				if (!dup && nseen < 256)
					seen[nseen++] = (uint32_t)id;
			}
		}
		for (size_t x = 0; x < nseen; x++)
			df[seen[x]] += 1;
		k0 = k;
	}
	for (size_t w = 0; w < otz__vocab_size(e->twords); w++)
		otz__vocab_set_idf(e->twords, w,
		                   log((double)(e->nspecimens + 1) / (df[w] + 1)) + 1.0);
	free(df);
	df = NULL;
	/* Then the keys, the exact-match chains and the word postings. */
	size_t npost = 0, wcap = 0;
	for (size_t kk = 0; kk < nk; kk++) {
		uint32_t ids[TITLE_WORDS];
		char buf[512];
		const char *ws[TITLE_WORDS];
		size_t n = ids_of(e->twords, ws, split_words(kwords[kk], buf, sizeof(buf), ws), ids);
		otz_tkey *k = &e->tkeys[e->ntkeys];
		k->spec = kspec[kk];
		k->alias = kalias[kk];
		k->nwords = (uint32_t)n;
		/* The keys' word sets are slices of one array (grown here,
		 * pointed into below once it stops moving). */
		if (otz__grow((void **)&e->tkey_words, &wcap, npost + n, sizeof(uint32_t)))
			return OTZ_ENOMEM;
		memcpy(e->tkey_words + npost, ids, n * sizeof(uint32_t));
		k->words = NULL;
		npost += n;
		char hk[TITLE_WORDS * 10 + 1];
		set_key(ids, n, hk, sizeof(hk));
		long set = otz__vocab_get(e->texact, hk);
		if (set < 0) {
			/* A new set: its number indexes texact_head. */
			if ((set = otz__vocab_add(e->texact, hk, 0)) < 0)
				return OTZ_ENOMEM;
			e->texact_head[set] = (uint32_t)e->ntkeys;
			e->texact_next[e->ntkeys] = UINT32_MAX;
		} else {
			/* Chained behind the first key with the same set. */
			uint32_t head = e->texact_head[set];
			e->texact_next[e->ntkeys] = e->texact_next[head];
			e->texact_next[head] = (uint32_t)e->ntkeys;
		}
		e->ntkeys++;
	}
	for (size_t k = 0, at = 0; k < e->ntkeys; at += e->tkeys[k++].nwords)
		e->tkeys[k].words = e->tkey_words + at;
	size_t nw = otz__vocab_size(e->twords);
	e->tpost_start = calloc(nw + 1, sizeof(uint32_t));
	e->tpost = malloc((npost ? npost : 1) * sizeof(uint32_t));
	uint32_t *fill = calloc(nw + 1, sizeof(uint32_t));
	if (!e->tpost_start || !e->tpost || !fill) {
		free(fill);
		return OTZ_ENOMEM;
	}
	for (size_t k = 0; k < e->ntkeys; k++)
		for (size_t i = 0; i < e->tkeys[k].nwords; i++)
			e->tpost_start[e->tkeys[k].words[i] + 1]++;
	for (size_t w = 0; w < nw; w++)
		e->tpost_start[w + 1] += e->tpost_start[w];
	for (size_t k = 0; k < e->ntkeys; k++)
		for (size_t i = 0; i < e->tkeys[k].nwords; i++) {
			uint32_t w = e->tkeys[k].words[i];
			e->tpost[e->tpost_start[w] + fill[w]++] = (uint32_t)k;
		}
	free(fill);
	return phrases_build(e, nk, kspec, kwords);
oom:
	free(df);
	return OTZ_ENOMEM;
}

int otz__title_index_build(otz_engine *e)
{
	size_t nk = 0, k = 0;
	int rc = OTZ_ENOMEM;
	for (size_t s = 0; s < e->nspecimens; s++)
		nk += e->specimens[s]->naliases + 1;
	uint32_t *spec = malloc((nk ? nk : 1) * sizeof(uint32_t));
	uint32_t *alias = malloc((nk ? nk : 1) * sizeof(uint32_t));
	char **words = calloc(nk ? nk : 1, sizeof(char *));
	if (!spec || !alias || !words)
		goto done;
	for (size_t s = 0; s < e->nspecimens; s++) {
		const otz_record *r = e->specimens[s];
		for (size_t a = 0; a <= r->naliases; a++, k++) {
			spec[k] = (uint32_t)s;
			alias[k] = (uint32_t)a;
			if (!(words[k] = otz__title_norm(a ? r->aliases[a - 1] : r->title)))
				goto done;
		}
	}
	rc = otz__title_index_from_words(e, nk, spec, alias, words);
done:
	for (size_t i = 0; words && i < nk; i++)
		free(words[i]);
	free(words);
	free(spec);
	free(alias);
	return rc;
}

/* Note key k's similarity x for its specimen, if it is the best yet. */
static void note(otz_session *s, const otz_tkey *k, double x)
{
	if (x > s->tsim[k->spec]) {
		s->tsim[k->spec] = x;
		s->talias[k->spec] = (long)k->alias;
	}
}

int otz__title_scores(otz_session *s, const char *title, int *use)
{
	const otz_engine *e = s->engine;
	uint32_t q[TITLE_WORDS];
	size_t nq = title ? word_set(e->twords, title, q) : 0;
	*use = 0;
	for (size_t sp = 0; sp < e->nspecimens; sp++) {
		s->tsim[sp] = 0;
		s->talias[sp] = -1;
	}
	if (!nq)
		return 0;
	/* Exact: the keys with the very same set of words. */
	char hk[TITLE_WORDS * 10 + 1];
	set_key(q, nq, hk, sizeof(hk));
	long set = otz__vocab_get(e->texact, hk);
	for (uint32_t k = set < 0 ? UINT32_MAX : e->texact_head[set]; k != UINT32_MAX;
	     k = e->texact_next[k])
		note(s, &e->tkeys[k], 1.0);
	/* Partial: every key that shares a word, through the word postings. */
	for (size_t i = 0; i < nq; i++) {
		if (q[i] >= OTZ_NO_WORD)
			continue;
		for (uint32_t p = e->tpost_start[q[i]]; p < e->tpost_start[q[i] + 1]; p++) {
			const otz_tkey *k = &e->tkeys[e->tpost[p]];
			if (s->tsim[k->spec] < 1.0)
				note(s, k, set_sim(e->twords, q, nq, k->words, k->nwords));
		}
	}
	for (size_t sp = 0; sp < e->nspecimens; sp++)
		*use |= s->tsim[sp] >= OTZ_TITLE_MIN_SIM;
	return 0;
}

int otz__title_holds(const otz_engine *e, const char *title, size_t spec)
{
	uint32_t q[TITLE_WORDS];
	size_t nq = title ? word_set(e->twords, title, q) : 0;
	for (size_t k = 0; nq && k < e->ntkeys; k++)
		if (e->tkeys[k].spec == spec && e->tkeys[k].nwords &&
		    subset(e->tkeys[k].words, e->tkeys[k].nwords, q, nq))
			return 1;
	return 0;
}

double otz__title_between(const otz_engine *e, size_t spec, size_t j, long *which)
{
	/* Specimen spec's own title is its first key. */
	const otz_tkey *own = NULL;
	double best = 0;
	*which = -1;
	for (size_t k = 0; k < e->ntkeys && !own; k++)
		if (e->tkeys[k].spec == spec && e->tkeys[k].alias == 0)
			own = &e->tkeys[k];
	for (size_t k = 0; own && k < e->ntkeys; k++) {
		if (e->tkeys[k].spec != j)
			continue;
		double x = set_sim(e->twords, own->words, own->nwords, e->tkeys[k].words,
		                   e->tkeys[k].nwords);
		if (x > best) {
			best = x;
			*which = (long)e->tkeys[k].alias;
		}
	}
	return best;
}

/* The checks read the records, which an engine read from a database
 * parses on first use ("?" if it cannot). */
static const char *spec_title(const otz_engine *e, size_t s)
{
	const otz_record *r = otz_engine_specimen(e, s);
	return r ? r->title : "?";
}

static const char *key_text(const otz_engine *e, const otz_tkey *k)
{
	const otz_record *r = otz_engine_specimen(e, k->spec);
	return !r ? "?" : k->alias ? r->aliases[k->alias - 1] : r->title;
}

void otz_engine_specimen_checks(const otz_engine *e, otz_diag_fn fn, void *ctx)
{
	char msg[1024];
	for (size_t s = 0; s < e->nspecimens; s++) {
		const otz_record *r = otz_engine_specimen(e, s);
		const char *f = r ? r->family : NULL;
		if (!f || otz_family_find(f) >= 0)
			continue;
		snprintf(msg, sizeof(msg), "%s: warning: FAMILY '%s' is not one of the families",
		         e->spec_files[s], f);
		fn(ctx, msg);
	}
	/* A set of words claimed by two specimens: the first key of each chain
	 * against the rest of it. */
	for (size_t set = 0; set < otz__vocab_size(e->texact); set++) {
		const otz_tkey *a = &e->tkeys[e->texact_head[set]];
		for (uint32_t o = e->texact_next[e->texact_head[set]]; o != UINT32_MAX;
		     o = e->texact_next[o]) {
			const otz_tkey *b = &e->tkeys[o];
			if (b->spec == a->spec || !a->nwords)
				continue;
			snprintf(msg, sizeof(msg), "%s: warning: '%s' is also listed by %s as '%s'",
			         e->spec_files[b->spec], key_text(e, b), e->spec_files[a->spec],
			         key_text(e, a));
			fn(ctx, msg);
		}
	}
	/* Generic: a short alias whose words the titles of several other
	 * specimens all hold, so that it says nothing about which. */
	for (size_t k = 0, own = 0; k < e->ntkeys; k++) {
		const otz_tkey *a = &e->tkeys[k];
		if (!a->alias)
			own = k; /* a specimen's keys start with its title */
		/* An alias that says what the title says is the role itself. */
		if (!a->alias || !a->nwords || a->nwords > GENERIC_MAX_WORDS ||
		    set_sim(e->twords, a->words, a->nwords, e->tkeys[own].words,
		            e->tkeys[own].nwords) >= 1.0)
			continue;
		size_t others = 0, last = SIZE_MAX, ex = SIZE_MAX;
		for (size_t o = 0; o < e->ntkeys; o++) {
			const otz_tkey *b = &e->tkeys[o];
			if (b->spec == a->spec || b->spec == last ||
			    !subset(a->words, a->nwords, b->words, b->nwords))
				continue;
			last = b->spec;
			others++;
			ex = o;
		}
		if (others < GENERIC_OTHERS)
			continue;
		snprintf(msg, sizeof(msg),
		         "%s: warning: alias '%s' is generic: the titles of %zu other specimens hold all its "
		         "words (%s's '%s' among them)",
		         e->spec_files[a->spec], key_text(e, a), others,
		         spec_title(e, e->tkeys[ex].spec), key_text(e, &e->tkeys[ex]));
		fn(ctx, msg);
	}
}
