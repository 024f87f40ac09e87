/*
 * score.c - an analysis in, SYSTEM MATCH scores against the specimens out.
 *
 * A feature vector is built the same way for a specimen (at corpus build)
 * and for a pasted JD (at translate): the words of the normalized text
 * (stop words dropped, plurals lightly stemmed) as "w:<word>", and the rules
 * that hit as "r:<rule-id>", each with its count.  Specimen vectors are
 * TF-IDF weighted ((1 + ln tf) * idf, idf = ln((N+1)/(df+1)) + 1) and
 * scaled to unit length; the query is weighted with the same idf and the
 * score is the cosine.  Features no specimen has cannot be evidence for any,
 * so they are left out of the query too.  Because the same function makes
 * both vectors, a specimen's own record scores 1.0 (100 %) against itself.
 *
 * The same words, by otz__next_word() and otz__stem(), make the title keys
 * (titles.c).  When a title resembles some specimen's title or alias, the
 * SYSTEM MATCH blends the two similarities (blend()).
 *
 * The vocabulary and the specimen vectors belong to the engine (read-only);
 * the dense query vector is the session's scratch.
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
 * each word, "r:<rule-id>" for each rule hit.  Both the specimen vectors
 * (otz__features) and the query (otz__query_load) come from here, which is
 * what makes a specimen's own record score 100 % against itself.
 */
typedef int (*feat_cb)(void *ctx, const char *key);

static int each_feature(const otz_ruleset *rs, const otz_analysis *an, feat_cb cb, void *ctx)
{
	/* In a file record, [11] RELATED SPECIMENS is derived from the scores
	 * themselves: it is not evidence about the role, so it is left out. */
	size_t nsegs = otz__derived_from(an->text.s, an->text.len, an->segs, an->nsegs);
	const char *t = an->text.s;
	size_t len = nsegs < an->nsegs ? an->segs[nsegs].start : an->text.len;
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
	key[0] = 'r';
	for (size_t h = 0; h < an->nhits && an->hits[h].seg < nsegs; h++) {
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
	char **keys;     /* by index */
	double *idf;
	size_t n, cap;
	uint32_t *slots; /* index + 1, 0 = empty */
	size_t nslots;
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
	if (!v->slots) {
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
	for (size_t i = 0; i < v->n; i++)
		free(v->keys[i]);
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
	char *k = strdup(key);
	if (!k)
		return OTZ_ENOMEM;
	size_t mask = v->nslots - 1, i = hash(key) & mask;
	while (v->slots[i])
		i = (i + 1) & mask;
	v->keys[v->n] = k;
	v->idf[v->n] = idf;
	v->slots[i] = (uint32_t)(v->n + 1);
	return (long)v->n++;
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

/* ---- weighting ---------------------------------------------------- */

/* The weight of a feature seen tf times: (1 + ln tf) * idf. */
static double tfidf(double tf, double idf)
{
	return (1.0 + log(tf)) * idf;
}

/* ---- vectors ------------------------------------------------------ */

static int cmp_vent(const void *a, const void *b)
{
	uint32_t x = ((const otz_vent *)a)->idx, y = ((const otz_vent *)b)->idx;
	return x < y ? -1 : x > y;
}

int otz__vectors_build(otz_vocab **vocab_out, otz_vent **vecs, size_t *lens,
                       otz_feat *const *feats, const size_t *nfeats, size_t nspec)
{
	otz_vocab *vocab = NULL;
	size_t *df = NULL, dfcap = 0;
	int rc = otz__vocab_new(&vocab, 1024);
	if (rc)
		return rc;
	for (size_t s = 0; s < nspec; s++) {
		for (size_t f = 0; f < nfeats[s]; f++) {
			long idx = otz__vocab_get(vocab, feats[s][f].key);
			if (idx < 0) {
				idx = otz__vocab_add(vocab, feats[s][f].key, 0);
				if (idx < 0 || OTZ_GROW(df, dfcap, (size_t)idx + 1)) {
					rc = OTZ_ENOMEM;
					goto done;
				}
				df[idx] = 0;
			}
			df[idx]++;
		}
	}
	for (size_t i = 0; i < vocab->n; i++)
		vocab->idf[i] = log((double)(nspec + 1) / (double)(df[i] + 1)) + 1.0;
	for (size_t s = 0; s < nspec; s++) {
		otz_vent *v = malloc((nfeats[s] ? nfeats[s] : 1) * sizeof(*v));
		if (!v) {
			rc = OTZ_ENOMEM;
			goto done;
		}
		double norm = 0;
		for (size_t f = 0; f < nfeats[s]; f++) {
			long idx = otz__vocab_get(vocab, feats[s][f].key);
			double w = tfidf(feats[s][f].tf, vocab->idf[idx]);
			v[f].idx = (uint32_t)idx;
			v[f].w = (float)w;
			norm += w * w;
		}
		norm = sqrt(norm);
		for (size_t f = 0; f < nfeats[s]; f++)
			v[f].w = norm > 0 ? (float)(v[f].w / norm) : 0.0f;
		qsort(v, nfeats[s], sizeof(*v), cmp_vent);
		vecs[s] = v;
		lens[s] = nfeats[s];
	}
	*vocab_out = vocab;
	vocab = NULL;
done:
	free(df);
	otz__vocab_free(vocab);
	return rc;
}

/* ---- scoring ------------------------------------------------------ */

void otz__score_clear(otz_session *s)
{
	for (size_t i = 0; i < s->nqtouched; i++)
		s->qvec[s->qtouched[i]] = 0;
	s->nqtouched = 0;
}

static void weigh_query(otz_session *s);

void otz__score_load(otz_session *s, const otz_feat *f, size_t nf)
{
	const otz_vocab *vocab = s->engine->vocab;
	otz__score_clear(s);
	for (size_t i = 0; i < nf; i++) {
		long idx = otz__vocab_get(vocab, f[i].key);
		if (idx < 0)
			continue;
		if (s->qvec[idx] == 0)
			s->qtouched[s->nqtouched++] = (uint32_t)idx;
		s->qvec[idx] += (float)f[i].tf;
	}
	weigh_query(s);
}

int otz__postings_build(otz_engine *e)
{
	size_t nv = e->vocab ? otz__vocab_size(e->vocab) : 0, total = 0;
	e->post_start = calloc(nv + 1, sizeof(uint32_t));
	if (!e->post_start)
		return OTZ_ENOMEM;
	for (size_t sp = 0; sp < e->nspecimens; sp++)
		for (size_t k = 0; k < e->veclens[sp]; k++) {
			e->post_start[e->vecs[sp][k].idx + 1]++;
			total++;
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
			uint32_t t = e->vecs[sp][k].idx;
			e->post[e->post_start[t] + fill[t]++] = (otz_vent){(uint32_t)sp, e->vecs[sp][k].w};
		}
	free(fill);
	return 0;
}

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

/* The query's term counts, straight into the session's dense vector: no
 * key outlives its lookup, and words outside the vocabulary cost nothing. */
static int count_key(void *ctx, const char *key)
{
	otz_session *s = ctx;
	long idx = otz__vocab_get(s->engine->vocab, key);
	if (idx < 0)
		return 0;
	if (s->qvec[idx] == 0)
		s->qtouched[s->nqtouched++] = (uint32_t)idx;
	s->qvec[idx] += 1;
	return 0;
}

/* Turn the counts in qvec into a unit TF-IDF vector. */
static void weigh_query(otz_session *s)
{
	const otz_vocab *vocab = s->engine->vocab;
	double norm = 0;
	for (size_t i = 0; i < s->nqtouched; i++) {
		uint32_t idx = s->qtouched[i];
		double w = tfidf(s->qvec[idx], vocab->idf[idx]);
		s->qvec[idx] = (float)w;
		norm += w * w;
	}
	norm = sqrt(norm);
	for (size_t i = 0; i < s->nqtouched && norm > 0; i++)
		s->qvec[s->qtouched[i]] = (float)(s->qvec[s->qtouched[i]] / norm);
}

void otz__query_load(otz_session *s, const otz_analysis *an)
{
	otz__score_clear(s);
	each_feature(s->engine->rules, an, count_key, s);
	weigh_query(s);
}

static int score_loaded(otz_session *s, const char *title, otz_scored *top, size_t ntop,
                        size_t *nout);

int otz__score(otz_session *s, const otz_feat *f, size_t nf, const char *title,
               otz_scored *top, size_t ntop, size_t *nout)
{
	otz__score_load(s, f, nf);
	return score_loaded(s, title, top, ntop, nout);
}

int otz__score_analysis(otz_session *s, const otz_analysis *an, const char *title,
                        otz_scored *top, size_t ntop, size_t *nout)
{
	otz__query_load(s, an);
	return score_loaded(s, title, top, ntop, nout);
}

/* The SYSTEM MATCH of a specimen whose title resembles the role's. */
static double blend(double title, double text)
{
	return OTZ_TITLE_WEIGHT * title + (1 - OTZ_TITLE_WEIGHT) * text;
}

static int score_loaded(otz_session *s, const char *title, otz_scored *top, size_t ntop,
                        size_t *nout)
{
	const otz_engine *e = s->engine;
	size_t n = 0;
	/* The title counts only if it looks like some specimen's title at all
	 * ("About Us" on the first line must not halve every score). */
	int use_title = 0;
	int rc = otz__title_scores(s, title, &use_title);
	if (rc)
		return rc;
	/* Dot products through the inverted index: only the postings of the
	 * query's own features are read, not every specimen's whole vector. */
	for (size_t sp = 0; sp < e->nspecimens; sp++)
		s->dots[sp] = 0;
	for (size_t i = 0; i < s->nqtouched; i++) {
		uint32_t t = s->qtouched[i];
		double qw = s->qvec[t];
		for (uint32_t k = e->post_start[t]; k < e->post_start[t + 1]; k++)
			s->dots[e->post[k].idx] += qw * (double)e->post[k].w;
	}
	for (size_t sp = 0; sp < e->nspecimens; sp++) {
		double dot = s->dots[sp] > 1.0 ? 1.0 : s->dots[sp];
		otz_scored x = {sp, dot, dot, 0, -1};
		if (use_title) {
			x.title = s->tsim[sp];
			x.alias = s->talias[sp];
			x.score = blend(x.title, dot);
		}
		top_insert(top, &n, ntop, x);
	}
	*nout = n;
	return 0;
}

int otz_engine_related(const otz_engine *e, size_t spec, otz_match *out, size_t n,
                       size_t *nout)
{
	size_t m = 0;
	if (spec >= e->nspecimens)
		return OTZ_EINVAL;
	otz_scored *top = malloc((n ? n : 1) * sizeof(*top));
	if (!top)
		return OTZ_ENOMEM;
	const otz_vent *a = e->vecs[spec];
	size_t na = e->veclens[spec];
	/* The specimen's own title always matches itself, so, as in
	 * otz__score, the title counts. */
	for (size_t j = 0; j < e->nspecimens; j++) {
		if (j == spec)
			continue;
		const otz_vent *b = e->vecs[j];
		size_t nb = e->veclens[j], x = 0, y = 0;
		double dot = 0;
		while (x < na && y < nb) {
			if (a[x].idx < b[y].idx)
				x++;
			else if (a[x].idx > b[y].idx)
				y++;
			else
				dot += (double)a[x++].w * (double)b[y++].w;
		}
		if (dot > 1)
			dot = 1;
		long which;
		double score = blend(otz__title_between(e, spec, j, &which), dot);
		top_insert(top, &m, n, (otz_scored){j, score, dot, 0, which});
	}
	for (size_t k = 0; k < m; k++)
		out[k] = (otz_match){top[k].spec, (int)lround(top[k].score * 100), top[k].score};
	free(top);
	*nout = m;
	return 0;
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
