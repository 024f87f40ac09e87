/*
 * score.c - an analysis in, SYSTEM MATCH scores against the specimens out.
 *
 * Features are made the same way for a specimen (at corpus build, from its
 * evidence: the parts of its record that read like a posting) and for a
 * pasted posting: the words of the normalized text (stop words dropped,
 * plurals made singular) as "w:<word>", and the rules that hit as
 * "r:<rule-id>", with their counts.  Each specimen's evidence is a language
 * model smoothed towards the background (the words of all the specimens'
 * whole records), with a Dirichlet prior; a posting scores by how much
 * better each specimen's model explains its words than the background does,
 * per word (query likelihood: only the specimens' own features need to be
 * read, through an inverted index, and a specimen's weight for a feature,
 * log(1 + tf / (mu * P_bg)), is computed once at build).  To that are added
 * the mentions of the specimen's titles in the text and the similarity of
 * the role's title to its titles (titles.c); the SYSTEM MATCH is the share
 * of exp(score / temperature) a specimen holds over all of them: how sure
 * the system is that this is the role.  The constants are in internal.h.
 *
 * The same words, by otz__next_word() and otz__stem(), make the title keys.
 * The vocabulary and the specimen models belong to the engine (read-only);
 * the dense query vector and the per-specimen scratch are the session's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Sorted, for a binary search. */
static const char *const stopwords[] = {
	"a", "about", "above", "across", "after", "again", "all", "also", "am", "an", "and", "any",
	"are", "as", "at", "be", "been", "before", "being", "between", "both", "but", "by", "can",
	"could", "d", "did", "do", "does", "doing", "each", "etc", "few", "for", "from", "further",
	"had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if",
	"in", "into", "is", "it", "its", "just", "ll", "m", "may", "me", "might", "more", "most",
	"must", "my", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our",
	"ours", "out", "over", "own", "per", "re", "s", "same", "shall", "she", "should", "so",
	"some", "such", "t", "than", "that", "the", "their", "them", "then", "there", "these", "they",
	"this", "those", "through", "to", "too", "under", "until", "up", "upon", "us", "ve", "very",
	"via", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
	"will", "with", "within", "would", "you", "your", "yours",
};

static int is_stop(const char *w, size_t n)
{
	size_t lo = 0, hi = sizeof(stopwords) / sizeof(stopwords[0]);
	if (n > 7) /* no stop word is longer */
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *sw = stopwords[mid];
		int c = strncmp(w, sw, n);
		if (c == 0)
			c = sw[n] ? -1 : 0; /* w is a proper prefix of sw: it sorts first */
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

int otz__next_word(const char *t, size_t len, size_t *i, int hyphens, size_t *ws, size_t *wl)
{
	size_t p = *i;
	while (p < len && !word_byte((unsigned char)t[p]))
		p++;
	if (p >= len) {
		*i = p;
		return 0;
	}
	size_t s = p;
	while (p < len && (word_byte((unsigned char)t[p]) ||
	                   (hyphens && t[p] == '-' && p + 1 < len && word_byte((unsigned char)t[p + 1]))))
		p++;
	while (p < len && (t[p] == '+' || t[p] == '#')) /* c++, c# */
		p++;
	*ws = s;
	*wl = p - s;
	*i = p;
	return 1;
}

int otz__word_in(const char *const *list, const char *w, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
			return 1;
	return 0;
}

size_t otz__stem(char *w, size_t n)
{
	if (n > 4 && memcmp(w + n - 3, "ies", 3) == 0) {
		w[n - 3] = 'y';
		return n - 2;
	}
	if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
		return n - 1;
	return n;
}

static int cmp_feat(const void *a, const void *b)
{
	return strcmp(((const otz_feat *)a)->key, ((const otz_feat *)b)->key);
}

void otz__feats_free(otz_feat *f, size_t n)
{
	if (!f)
		return;
	for (size_t i = 0; i < n; i++)
		free(f[i].key);
	free(f);
}

/*
 * Every feature of an analysis, in text order, as a key: "w:<stem>" for
 * each word, "r:<rule-id>" for each rule hit.  Both the specimens' models
 * (otz__features) and the query (otz__query_load) come from here.
 */
typedef int (*feat_cb)(void *ctx, const char *key);

/* The word features of t[0..len) (normalized text). */
static int each_word_feature(const char *t, size_t len, feat_cb cb, void *ctx)
{
	size_t i = 0, s, wl;
	char key[80];
	int rc;
	key[0] = 'w';
	key[1] = ':';
	while (otz__next_word(t, len, &i, 1, &s, &wl)) {
		if (wl < 2 || wl >= 64 || is_stop(t + s, wl))
			continue;
		int digits = 1;
		for (size_t k = s; k < s + wl && digits; k++)
			digits = t[k] >= '0' && t[k] <= '9';
		if (digits)
			continue;
		memcpy(key + 2, t + s, wl);
		key[2 + otz__stem(key + 2, wl)] = '\0';
		if ((rc = cb(ctx, key)))
			return rc;
	}
	return 0;
}

static int each_feature(const otz_ruleset *rs, const otz_analysis *an, feat_cb cb, void *ctx)
{
	char key[80];
	int rc = each_word_feature(an->text.s, an->text.len, cb, ctx);
	if (rc)
		return rc;
	key[0] = 'r';
	key[1] = ':';
	for (size_t h = 0; h < an->nhits; h++) {
		const char *id = rs->rules[an->hits[h].rule].id;
		size_t l = strlen(id);
		if (l >= sizeof(key) - 3)
			continue;
		memcpy(key + 2, id, l + 1);
		if ((rc = cb(ctx, key)))
			return rc;
	}
	return 0;
}

/* The word features of a title. */
static int each_title_feature(const char *title, feat_cb cb, void *ctx)
{
	otz_text t;
	otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
	no.lossy = 1;
	if (otz_normalize(&t, title, strlen(title), &no, NULL))
		return 0; /* a title that cannot be read says nothing */
	int rc = each_word_feature(t.s, t.len, cb, ctx);
	otz_text_dispose(&t);
	return rc;
}

typedef struct collect {
	otz_feat *v;
	size_t n, cap;
} collect;

static int collect_key(void *ctx, const char *key)
{
	collect *c = ctx;
	char *k = strdup(key);
	if (!k || OTZ_GROW(c->v, c->cap, c->n + 1)) {
		free(k);
		return OTZ_ENOMEM;
	}
	c->v[c->n].key = k;
	c->v[c->n].tf = 1;
	c->n++;
	return 0;
}

int otz__features(const otz_ruleset *rs, const otz_analysis *an,
                  otz_feat **out, size_t *n)
{
	collect c = {NULL, 0, 0};
	if (each_feature(rs, an, collect_key, &c)) {
		otz__feats_free(c.v, c.n);
		return OTZ_ENOMEM;
	}
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), cmp_feat);
	size_t w = 0;
	for (size_t r = 0; r < c.n; r++) {
		if (w > 0 && strcmp(c.v[w - 1].key, c.v[r].key) == 0) {
			c.v[w - 1].tf += 1;
			free(c.v[r].key);
		} else {
			c.v[w++] = c.v[r];
		}
	}
	*out = c.v;
	*n = w;
	return 0;
}

/* ---- vocabulary: an open-addressing hash of feature keys ----------- */

struct otz_vocab {
	char **keys;     /* by index, in `pool` */
	double *idf;
	size_t n, cap;
	uint32_t *slots; /* index + 1, 0 = empty */
	size_t nslots;
	otz_arena *pool; /* the keys: thousands of short strings freed together */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

int otz__vocab_new(otz_vocab **out, size_t hint)
{
	otz_vocab *v = calloc(1, sizeof(*v));
	if (!v)
		return OTZ_ENOMEM;
	v->nslots = 64;
	while (v->nslots < hint * 2)
		v->nslots *= 2;
	v->slots = calloc(v->nslots, sizeof(uint32_t));
	v->pool = otz__arena_new();
	if (!v->slots || !v->pool) {
		free(v->slots);
		otz__arena_free(v->pool);
		free(v);
		return OTZ_ENOMEM;
	}
	*out = v;
	return 0;
}

void otz__vocab_free(otz_vocab *v)
{
	if (!v)
		return;
	otz__arena_free(v->pool);
	free(v->keys);
	free(v->idf);
	free(v->slots);
	free(v);
}

long otz__vocab_get(const otz_vocab *v, const char *key)
{
	size_t mask = v->nslots - 1;
	for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
		uint32_t s = v->slots[i];
		if (!s)
			return -1;
		if (strcmp(v->keys[s - 1], key) == 0)
			return (long)(s - 1);
	}
}

static int rehash(otz_vocab *v)
{
	size_t ns = v->nslots * 2;
	uint32_t *slots = calloc(ns, sizeof(uint32_t));
	if (!slots)
		return OTZ_ENOMEM;
	for (size_t k = 0; k < v->n; k++) {
		size_t i = hash(v->keys[k]) & (ns - 1);
		while (slots[i])
			i = (i + 1) & (ns - 1);
		slots[i] = (uint32_t)(k + 1);
	}
	free(v->slots);
	v->slots = slots;
	v->nslots = ns;
	return 0;
}

long otz__vocab_add(otz_vocab *v, const char *key, double idf)
{
	if ((v->n + 1) * 2 > v->nslots && rehash(v))
		return OTZ_ENOMEM;
	size_t cap = v->cap;
	if (OTZ_GROW(v->keys, cap, v->n + 1))
		return OTZ_ENOMEM;
	if (otz__grow((void **)&v->idf, &v->cap, v->n + 1, sizeof(double)))
		return OTZ_ENOMEM;
	size_t mask = v->nslots - 1, i = hash(key) & mask;
	for (; v->slots[i]; i = (i + 1) & mask)
		if (strcmp(v->keys[v->slots[i] - 1], key) == 0)
			return OTZ_EINVAL; /* there already */
	char *k = otz__arena_strdup(v->pool, key);
	if (!k)
		return OTZ_ENOMEM;
	v->keys[v->n] = k;
	v->idf[v->n] = idf;
	v->slots[i] = (uint32_t)(v->n + 1);
	return (long)v->n++;
}

/*
 * A vocabulary stored packed (otz_engine_save) and read back: a header of
 * four 32-bit numbers (magic, version, keys, bytes of keys), each key's idf,
 * then the keys, each ended by a NUL, in index order.  One blob read at load
 * where a table of 6,490 rows took 2 ms to step through.
 */
#define VOCAB_MAGIC 0x4356544fu /* "OTVC" */
#define VOCAB_VERSION 1u

int otz__vocab_encode(const otz_vocab *v, unsigned char **out, size_t *len)
{
	size_t kb = 0;
	for (size_t i = 0; i < v->n; i++)
		kb += strlen(v->keys[i]) + 1;
	size_t sz = 16 + v->n * sizeof(double) + kb;
	unsigned char *b = malloc(sz), *p = b;
	if (!b)
		return OTZ_ENOMEM;
	uint32_t head[4] = {VOCAB_MAGIC, VOCAB_VERSION, (uint32_t)v->n, (uint32_t)kb};
	memcpy(p, head, 16);
	p += 16;
	memcpy(p, v->idf, v->n * sizeof(double));
	p += v->n * sizeof(double);
	for (size_t i = 0; i < v->n; i++) {
		size_t l = strlen(v->keys[i]) + 1;
		memcpy(p, v->keys[i], l);
		p += l;
	}
	*out = b;
	*len = sz;
	return 0;
}

int otz__vocab_read(otz_vocab **out, size_t len,
                    int (*rd)(void *ctx, size_t off, void *to, size_t n), void *ctx)
{
	uint32_t head[4];
	if (len < 16 || rd(ctx, 0, head, 16) || head[0] != VOCAB_MAGIC ||
	    head[1] != VOCAB_VERSION || len != 16 + (size_t)head[2] * sizeof(double) + head[3])
		return OTZ_EDB;
	size_t n = head[2], kb = head[3];
	otz_vocab *v = NULL;
	int rc = otz__vocab_new(&v, n);
	char *keys = NULL;
	if (rc || !(v->keys = malloc((n ? n : 1) * sizeof(char *))) ||
	    !(v->idf = malloc((n ? n : 1) * sizeof(double))) ||
	    !(keys = otz__arena_alloc(v->pool, kb ? kb : 1))) {
		rc = OTZ_ENOMEM;
		goto fail;
	}
	v->cap = n;
	rc = OTZ_EDB;
	if (rd(ctx, 16, v->idf, n * sizeof(double)) || rd(ctx, 16 + n * sizeof(double), keys, kb) ||
	    (kb && keys[kb - 1] != '\0'))
		goto fail;
	/* Exactly n keys, none twice. */
	size_t mask = v->nslots - 1;
	for (char *k = keys, *end = keys + kb; k < end; k += strlen(k) + 1) {
		if (v->n == n)
			goto fail;
		size_t i = hash(k) & mask;
		for (; v->slots[i]; i = (i + 1) & mask)
			if (strcmp(v->keys[v->slots[i] - 1], k) == 0)
				goto fail;
		v->keys[v->n] = k;
		v->slots[i] = (uint32_t)++v->n;
	}
	if (v->n != n)
		goto fail;
	*out = v;
	return 0;
fail:
	otz__vocab_free(v);
	return rc;
}

size_t otz__vocab_size(const otz_vocab *v)
{
	return v->n;
}

const char *otz__vocab_key(const otz_vocab *v, size_t i)
{
	return v->keys[i];
}

double otz__vocab_idf(const otz_vocab *v, size_t i)
{
	return v->idf[i];
}

void otz__vocab_set_idf(otz_vocab *v, size_t i, double idf)
{
	v->idf[i] = idf;
}

/* ---- the specimens' language models ------------------------------- */

static int cmp_vent(const void *a, const void *b)
{
	uint32_t x = ((const otz_vent *)a)->idx, y = ((const otz_vent *)b)->idx;
	return x < y ? -1 : x > y;
}

int otz__models_build(otz_vocab **vocab_out, otz_vent **vecs, size_t *lens,
                      otz_feat *const *feats, const size_t *nfeats, otz_feat *const *bg,
                      const size_t *nbg, size_t nspec)
{
	otz_vocab *vocab = NULL;
	double *count = NULL, total = 0;
	size_t ccap = 0, distinct = 0;
	int rc = otz__vocab_new(&vocab, 1024);
	if (rc)
		return rc;
	/* The vocabulary: every feature of every specimen's evidence. */
	for (size_t s = 0; s < nspec; s++)
		for (size_t f = 0; f < nfeats[s]; f++) {
			long idx = otz__vocab_get(vocab, feats[s][f].key);
			if (idx < 0 && ((idx = otz__vocab_add(vocab, feats[s][f].key, 0)) < 0 ||
			                OTZ_GROW(count, ccap, (size_t)idx + 1))) {
				rc = OTZ_ENOMEM;
				goto done;
			}
			count[idx] = 0;
		}
	/* The background: how often each feature occurs over all the
	 * specimens' whole records, which stand in for the language of job
	 * descriptions at large.  Features outside the vocabulary are counted
	 * in the total and the number of distinct ones only. */
	{
		otz_vocab *seen = NULL;
		if (otz__vocab_new(&seen, 4096)) {
			rc = OTZ_ENOMEM;
			goto done;
		}
		for (size_t s = 0; s < nspec && !rc; s++)
			for (size_t f = 0; f < nbg[s] && !rc; f++) {
				long idx = otz__vocab_get(vocab, bg[s][f].key);
				if (idx >= 0)
					count[idx] += bg[s][f].tf;
				total += bg[s][f].tf;
				if (otz__vocab_get(seen, bg[s][f].key) < 0 &&
				    otz__vocab_add(seen, bg[s][f].key, 0) < 0)
					rc = OTZ_ENOMEM;
			}
		distinct = otz__vocab_size(seen);
		otz__vocab_free(seen);
		if (rc)
			goto done;
	}
	for (size_t i = 0; i < vocab->n; i++)
		vocab->idf[i] = (count[i] + OTZ_BG_SMOOTH) / (total + OTZ_BG_SMOOTH * (double)distinct);
	for (size_t s = 0; s < nspec; s++) {
		otz_vent *v = malloc((nfeats[s] ? nfeats[s] : 1) * sizeof(*v));
		if (!v) {
			rc = OTZ_ENOMEM;
			goto done;
		}
		for (size_t f = 0; f < nfeats[s]; f++) {
			long idx = otz__vocab_get(vocab, feats[s][f].key);
			v[f].idx = (uint32_t)idx;
			v[f].tf = (float)feats[s][f].tf;
			v[f].w = (float)log(1.0 + feats[s][f].tf / (OTZ_NB_MU * vocab->idf[idx]));
		}
		qsort(v, nfeats[s], sizeof(*v), cmp_vent);
		vecs[s] = v;
		lens[s] = nfeats[s];
	}
	*vocab_out = vocab;
	vocab = NULL;
done:
	free(count);
	otz__vocab_free(vocab);
	return rc;
}

int otz__postings_build(otz_engine *e)
{
	size_t nv = e->vocab ? otz__vocab_size(e->vocab) : 0, total = 0;
	e->post_start = calloc(nv + 1, sizeof(uint32_t));
	e->prior = calloc(e->nspecimens ? e->nspecimens : 1, sizeof(double));
	if (!e->post_start || !e->prior)
		return OTZ_ENOMEM;
	for (size_t sp = 0; sp < e->nspecimens; sp++) {
		double len = 0;
		for (size_t k = 0; k < e->veclens[sp]; k++) {
			e->post_start[e->vecs[sp][k].idx + 1]++;
			len += e->vecs[sp][k].tf;
			total++;
		}
		/* What an unseen word costs this specimen: the share of its model
		 * left to the background. */
		e->prior[sp] = log(OTZ_NB_MU / (len + OTZ_NB_MU));
	}
	for (size_t t = 0; t < nv; t++)
		e->post_start[t + 1] += e->post_start[t];
	e->post = malloc((total ? total : 1) * sizeof(otz_vent));
	uint32_t *fill = calloc(nv + 1, sizeof(uint32_t));
	if (!e->post || !fill) {
		free(fill);
		return OTZ_ENOMEM;
	}
	/* Specimens in order, so each posting list is sorted by specimen. */
	for (size_t sp = 0; sp < e->nspecimens; sp++)
		for (size_t k = 0; k < e->veclens[sp]; k++) {
			otz_vent x = e->vecs[sp][k];
			uint32_t t = x.idx;
			x.idx = (uint32_t)sp;
			e->post[e->post_start[t] + fill[t]++] = x;
		}
	free(fill);
	return 0;
}

/*
 * The inverted index stored (otz_engine_save) and read back
 * (otz_engine_load): a header of five 32-bit numbers (magic, version,
 * vocabulary size, specimens, postings), then post_start, the postings and
 * the specimens' priors, in this machine's byte order as the vectors are.
 * With it a load reads no vector (each is read with its specimen's record,
 * for the few specimens whose evidence a record shows).
 */
#define POST_MAGIC 0x5054534fu /* "OSTP" */
#define POST_VERSION 1u

int otz__postings_encode(const otz_engine *e, unsigned char **out, size_t *len)
{
	size_t nv = otz__vocab_size(e->vocab), total = e->post_start[nv];
	size_t sz = 5 * 4 + (nv + 1) * 4 + total * sizeof(otz_vent) + e->nspecimens * sizeof(double);
	unsigned char *b = malloc(sz), *p = b;
	if (!b)
		return OTZ_ENOMEM;
	uint32_t head[5] = {POST_MAGIC, POST_VERSION, (uint32_t)nv, (uint32_t)e->nspecimens,
	                    (uint32_t)total};
	memcpy(p, head, sizeof(head));
	p += sizeof(head);
	memcpy(p, e->post_start, (nv + 1) * 4);
	p += (nv + 1) * 4;
	memcpy(p, e->post, total * sizeof(otz_vent));
	p += total * sizeof(otz_vent);
	memcpy(p, e->prior, e->nspecimens * sizeof(double));
	*out = b;
	*len = sz;
	return 0;
}

int otz__postings_read(otz_engine *e, size_t len,
                       int (*rd)(void *ctx, size_t off, void *to, size_t n), void *ctx)
{
	uint32_t head[5];
	size_t nv = otz__vocab_size(e->vocab), ns = e->nspecimens;
	if (len < sizeof(head) || rd(ctx, 0, head, sizeof(head)) || head[0] != POST_MAGIC ||
	    head[1] != POST_VERSION || head[2] != nv || head[3] != ns ||
	    len != sizeof(head) + (nv + 1) * 4 + (size_t)head[4] * sizeof(otz_vent) +
	               ns * sizeof(double))
		return OTZ_EDB;
	size_t total = head[4], at = sizeof(head);
	e->post_start = malloc((nv + 1) * sizeof(uint32_t));
	e->post = malloc((total ? total : 1) * sizeof(otz_vent));
	e->prior = malloc((ns ? ns : 1) * sizeof(double));
	if (!e->post_start || !e->post || !e->prior)
		return OTZ_ENOMEM;
	if (rd(ctx, at, e->post_start, (nv + 1) * 4) ||
	    rd(ctx, at += (nv + 1) * 4, e->post, total * sizeof(otz_vent)) ||
	    rd(ctx, at + total * sizeof(otz_vent), e->prior, ns * sizeof(double)))
		return OTZ_EDB;
	/* Lists that run in order to the end, postings of real specimens: a
	 * corrupt database must not send a scoring out of bounds. */
	if (e->post_start[0] != 0 || e->post_start[nv] != total)
		return OTZ_EDB;
	for (size_t t = 0; t < nv; t++)
		if (e->post_start[t] > e->post_start[t + 1])
			return OTZ_EDB;
	for (size_t k = 0; k < total; k++)
		if (e->post[k].idx >= ns)
			return OTZ_EDB;
	for (size_t sp = 0; sp < ns; sp++)
		if (!isfinite(e->prior[sp]))
			return OTZ_EDB;
	return 0;
}

/* ---- the query ---------------------------------------------------- */

void otz__score_clear(otz_session *s)
{
	for (size_t i = 0; i < s->nqtouched; i++)
		s->qvec[s->qtouched[i]] = 0;
	s->nqtouched = 0;
	if (s->nqother)
		memset(s->qother, 0, s->cap_qother * sizeof(*s->qother));
	s->nqother = 0;
	s->qtot = 0;
	s->qbody = 0;
}

/* Remember a feature no specimen has, once: it still counts in the
 * query's length.  1 when it is new. */
static int other_key(otz_session *s, const char *key)
{
	if ((s->nqother + 1) * 2 > s->cap_qother) {
		size_t nc = s->cap_qother ? s->cap_qother * 2 : 1024;
		uint64_t *nv = calloc(nc, sizeof(uint64_t));
		if (!nv)
			return 1; /* counted, if perhaps twice */
		for (size_t i = 0; i < s->cap_qother; i++) {
			uint64_t h = s->qother[i];
			if (!h)
				continue;
			size_t j = h & (nc - 1);
			while (nv[j])
				j = (j + 1) & (nc - 1);
			nv[j] = h;
		}
		free(s->qother);
		s->qother = nv;
		s->cap_qother = nc;
	}
	uint64_t h = hash(key) | 1; /* never 0, the empty slot */
	size_t j = h & (s->cap_qother - 1);
	while (s->qother[j]) {
		if (s->qother[j] == h)
			return 0;
		j = (j + 1) & (s->cap_qother - 1);
	}
	s->qother[j] = h;
	s->nqother++;
	return 1;
}

/* A query feature, counted in the session's dense vector (or, outside the
 * vocabulary, in the query's length only). */
static int count_key(void *ctx, const char *key)
{
	otz_session *s = ctx;
	long idx = otz__vocab_get(s->engine->vocab, key);
	if (idx < 0) {
		s->qtot += other_key(s, key);
		return 0;
	}
	if (s->qvec[idx] == 0)
		s->qtouched[s->nqtouched++] = (uint32_t)idx;
	s->qvec[idx] += 1;
	return 0;
}

/* A feature of the text itself, counted as the body's. */
static int count_body_key(void *ctx, const char *key)
{
	otz_session *s = ctx;
	s->qbody += 1;
	return count_key(ctx, key);
}

/* Counts into weights, 1 + ln(count), and the query's length. */
static void weigh_query(otz_session *s)
{
	for (size_t i = 0; i < s->nqtouched; i++) {
		uint32_t idx = s->qtouched[i];
		s->qvec[idx] = (float)(1.0 + log(s->qvec[idx]));
		s->qtot += s->qvec[idx];
	}
}

int otz__query_load(otz_session *s, const otz_analysis *an, const char *title)
{
	otz__score_clear(s);
	int rc = each_feature(s->engine->rules, an, count_body_key, s);
	/* The role's title speaks too, through its words, whether or not it
	 * is any specimen's title. */
	for (int k = 0; !rc && title && k < OTZ_TITLE_QUERY_TF; k++)
		rc = each_title_feature(title, count_key, s);
	weigh_query(s);
	return rc;
}

/* ---- scoring ------------------------------------------------------ */

/* Insert x into top[0..*n) (at most ntop): higher score first; an equal
 * score goes after those already there, so ties keep specimen order. */
static void top_insert(otz_scored *top, size_t *n, size_t ntop, otz_scored x)
{
	size_t pos = *n;
	while (pos > 0 && top[pos - 1].score < x.score)
		pos--;
	if (pos >= ntop)
		return;
	size_t last = *n < ntop ? *n : ntop - 1;
	memmove(top + pos + 1, top + pos, (last - pos) * sizeof(*top));
	top[pos] = x;
	if (*n < ntop)
		(*n)++;
}

/* Every specimen's text score for the loaded query, into s->dots: how much
 * better its language model explains the query's words than the
 * background does, per word of the query.  Only the postings of the
 * query's own features are read. */
static void text_scores(otz_session *s)
{
	const otz_engine *e = s->engine;
	for (size_t sp = 0; sp < e->nspecimens; sp++)
		s->dots[sp] = 0;
	for (size_t i = 0; i < s->nqtouched; i++) {
		uint32_t t = s->qtouched[i];
		double qw = s->qvec[t];
		for (uint32_t k = e->post_start[t]; k < e->post_start[t + 1]; k++)
			s->dots[e->post[k].idx] += qw * (double)e->post[k].w;
	}
	double shrink = s->qbody < OTZ_BODY_FULL ? s->qbody / OTZ_BODY_FULL : 1.0;
	for (size_t sp = 0; sp < e->nspecimens; sp++)
		s->dots[sp] = (s->qtot > 0 ? shrink * s->dots[sp] / s->qtot : 0) + e->prior[sp];
}

int otz__score_analysis(otz_session *s, const otz_analysis *an, const char *title,
                        otz_scored *top, size_t ntop, size_t *nout)
{
	const otz_engine *e = s->engine;
	int use_title = 0, rc;
	size_t n = 0;
	if ((rc = otz__query_load(s, an, title)) || (rc = otz__title_scores(s, title, &use_title)) ||
	    (rc = otz__title_mentions(s, an)))
		return rc;
	text_scores(s);
	/* A specimen that shares nothing with the posting takes no part: a
	 * short model loses little on unseen words, and that alone must not
	 * rank it. */
	double best = -HUGE_VAL, z = 0;
	for (size_t sp = 0; sp < e->nspecimens; sp++) {
		otz_scored x = {sp, 0, s->dots[sp], s->tsim[sp], s->talias[sp], s->tment[sp], 0};
		s->final[sp] = !otz__shares(e, &x) ? -HUGE_VAL
		               : s->dots[sp] + OTZ_MENTION_WEIGHT * log1p(s->tment[sp]) +
		                         OTZ_TITLE_WEIGHT * s->tsim[sp];
		if (s->final[sp] > best)
			best = s->final[sp];
	}
	for (size_t sp = 0; sp < e->nspecimens && best > -HUGE_VAL; sp++)
		z += exp((s->final[sp] - best) / OTZ_MATCH_TEMPERATURE);
	for (size_t sp = 0; sp < e->nspecimens; sp++) {
		otz_scored x = {sp, s->final[sp], s->dots[sp], s->tsim[sp], s->talias[sp], s->tment[sp], 0};
		if (z > 0)
			x.p = exp((s->final[sp] - best) / OTZ_MATCH_TEMPERATURE) / z;
		top_insert(top, &n, ntop, x);
	}
	(void)use_title;
	*nout = n;
	return 0;
}

/* Specimen spec's weight for feature idx (its model is sorted), or 0. */
static double weight_of(const otz_engine *e, size_t spec, uint32_t idx)
{
	const otz_vent *v = e->vecs[spec];
	size_t lo = 0, hi = e->veclens[spec];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].idx == idx)
			return v[mid].w;
		if (v[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

typedef struct telling {
	const otz_engine *e;
	size_t spec;
	uint32_t seen[64];
	size_t n;
} telling;

static int count_telling(void *ctx, const char *key)
{
	telling *t = ctx;
	long idx = otz__vocab_get(t->e->vocab, key);
	if (idx < 0 || t->n == sizeof(t->seen) / sizeof(t->seen[0]) ||
	    weight_of(t->e, t->spec, (uint32_t)idx) < OTZ_TELLING_WEIGHT)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->seen[i] == (uint32_t)idx)
			return 0;
	t->seen[t->n++] = (uint32_t)idx;
	return 0;
}

size_t otz__telling_words(const otz_session *s, const otz_analysis *an, size_t spec)
{
	telling t = {s->engine, spec, {0}, 0};
	const char *text = an->text.s;
	size_t h = 0;
	/* The words between the rules' matches: what the posting says in its
	 * own words rather than in the stock phrases the rules know. */
	for (size_t g = 0; g < an->nsegs; g++) {
		size_t pos = an->segs[g].start;
		for (; h < an->nhits && an->hits[h].seg == g; h++) {
			if (an->hits[h].start > pos)
				each_word_feature(text + pos, an->hits[h].start - pos, count_telling, &t);
			if (an->hits[h].end > pos)
				pos = an->hits[h].end;
		}
		if (an->segs[g].end > pos)
			each_word_feature(text + pos, an->segs[g].end - pos, count_telling, &t);
	}
	return t.n;
}

/* The distinct word features of a text, each weighed by how much it tells:
 * -ln of its background probability (vocab's "idf"), a word the background
 * never saw as one in a million (otz_wordset, internal.h). */
typedef struct wordset_ctx {
	const otz_engine *e;
	otz_wordset *w;
} wordset_ctx;

static int add_word(void *ctx, const char *key)
{
	wordset_ctx *c = ctx;
	otz_wordset *w = c->w;
	uint32_t h = 2166136261u;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (size_t i = 0; i < w->n; i++)
		if (w->h[i] == h)
			return 0;
	if (w->n == OTZ_WORDSET_MAX)
		return 0;
	long idx = otz__vocab_get(c->e->vocab, key);
	double idf = -log(idx >= 0 ? otz__vocab_idf(c->e->vocab, (size_t)idx) : 1e-6);
	w->h[w->n] = h;
	w->idf[w->n++] = idf;
	w->total += idf;
	return 0;
}

void otz__wordset_fill(const otz_engine *e, const char *t, size_t n, otz_wordset *w)
{
	wordset_ctx c = {e, w};
	w->n = 0;
	w->total = 0;
	each_word_feature(t, n, add_word, &c);
}

double otz__wordset_overlap(const otz_wordset *x, const otz_wordset *y, size_t *shared)
{
	double both = 0;
	*shared = 0;
	for (size_t i = 0; i < x->n; i++)
		for (size_t j = 0; j < y->n; j++)
			if (x->h[i] == y->h[j]) {
				both += x->idf[i];
				(*shared)++;
				break;
			}
	both *= 2; /* shared by both: counted in each total */
	return x->total + y->total > 0 ? both / (x->total + y->total) : 0;
}

int otz__shares(const otz_engine *e, const otz_scored *x)
{
	return x->text > e->prior[x->spec] || x->title > 0 || x->mentions > 0;
}

int otz__percent(const otz_scored *top, size_t n, size_t i)
{
	return i < n ? (int)lround(100.0 * top[i].p) : 0;
}

int otz_engine_related(const otz_engine *e, size_t spec, otz_match *out, size_t n,
                       size_t *nout)
{
	otz_session *s = NULL;
	otz_buf ev = OTZ_BUF_INIT;
	otz_analysis an;
	otz_scored *top = NULL;
	size_t m = 0;
	int rc;
	if (spec >= e->nspecimens)
		return OTZ_EINVAL;
	/* Scored as translate scores the specimen's own record: its evidence,
	 * with its title; itself left out. */
	top = malloc((n + 1) * sizeof(*top));
	if (!top || (rc = otz_session_new(&s, e))) {
		rc = OTZ_ENOMEM;
		goto done;
	}
	if ((rc = otz__specimen_ready(e, spec, NULL)))
		goto done;
	if ((rc = otz__record_evidence(e->specimens[spec], &ev)))
		goto done;
	if ((rc = otz__analyze(s, &an, ev.ptr ? ev.ptr : "", ev.len, 1, NULL)))
		goto done;
	rc = otz__score_analysis(s, &an, e->specimens[spec]->title, top, n + 1, &m);
	otz__analysis_dispose(&an);
	if (rc)
		goto done;
	/* The others' shares among themselves, the specimen set aside: how the
	 * system would split a posting that is not this role. */
	double best = -HUGE_VAL, z = 0;
	for (size_t j = 0; j < e->nspecimens; j++)
		if (j != spec && s->final[j] > best)
			best = s->final[j];
	for (size_t j = 0; j < e->nspecimens && best > -HUGE_VAL; j++)
		if (j != spec)
			z += exp((s->final[j] - best) / OTZ_MATCH_TEMPERATURE);
	size_t k = 0;
	for (size_t i = 0; i < m && k < n; i++) {
		if (top[i].spec == spec || !otz__shares(e, &top[i]) || z <= 0)
			continue;
		top[i].p = exp((top[i].score - best) / OTZ_MATCH_TEMPERATURE) / z;
		out[k++] = (otz_match){top[i].spec, otz__percent(top, m, i), top[i].p};
	}
	*nout = k;
done:
	free(top);
	otz_buf_dispose(&ev);
	otz_session_free(s);
	return rc;
}

typedef struct contrib {
	uint32_t idx;
	double c;
} contrib;

static int cmp_contrib(const void *a, const void *b)
{
	const contrib *x = a, *y = b;
	if (x->c != y->c)
		return x->c < y->c ? 1 : -1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void otz__evidence(otz_session *s, size_t spec, otz_arena *a, char ***rules,
                   size_t *nrules, char ***terms, size_t *nterms, size_t max_each)
{
	const otz_engine *e = s->engine;
	const otz_vent *v = e->vecs[spec];
	size_t nv = e->veclens[spec], nc = 0;
	*rules = *terms = NULL;
	*nrules = *nterms = 0;
	contrib *c = malloc((nv ? nv : 1) * sizeof(*c));
	char **rv = otz__arena_alloc(a, (max_each ? max_each : 1) * sizeof(char *));
	char **tv = otz__arena_alloc(a, (max_each ? max_each : 1) * sizeof(char *));
	if (!c || !rv || !tv)
		goto done;
	for (size_t k = 0; k < nv; k++) {
		double x = (double)s->qvec[v[k].idx] * (double)v[k].w;
		if (x > 0)
			c[nc++] = (contrib){v[k].idx, x};
	}
	qsort(c, nc, sizeof(*c), cmp_contrib);
	for (size_t k = 0; k < nc; k++) {
		const char *key = e->vocab->keys[c[k].idx];
		if (key[0] == 'r' && *nrules < max_each)
			rv[(*nrules)++] = otz__arena_strdup(a, key + 2);
		else if (key[0] == 'w' && *nterms < max_each)
			tv[(*nterms)++] = otz__arena_strdup(a, key + 2);
	}
	*rules = rv;
	*terms = tv;
done:
	free(c);
}
