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
	const char *t = an->text.s;
	size_t len = an->text.len, i = 0, nsegs = an->nsegs;
	char key[80];
	int rc;
	/* In a file record, [11] RELATED SPECIMENS is derived from the scores
	 * themselves: it is not evidence about the role, so it is left out. */
	if (len >= 12 && memcmp(t, "file record:", 12) == 0) {
		for (size_t g = 0; g < an->nsegs; g++) {
			static const char h[] = "[11] related specimens";
			if (an->segs[g].end - an->segs[g].start >= sizeof(h) - 1 &&
			    memcmp(t + an->segs[g].start, h, sizeof(h) - 1) == 0) {
				len = an->segs[g].start;
				nsegs = g;
				break;
			}
		}
	}
	key[0] = 'w';
	key[1] = ':';
	while (i < len) {
		if (!word_byte((unsigned char)t[i])) {
			i++;
			continue;
		}
		size_t s = i;
		/* a word: word bytes, joined by single inner hyphens */
		while (i < len && (word_byte((unsigned char)t[i]) ||
		                   (t[i] == '-' && i + 1 < len && word_byte((unsigned char)t[i + 1]))))
			i++;
		while (i < len && (t[i] == '+' || t[i] == '#')) /* c++, c# */
			i++;
		size_t wl = i - s;
		if (wl < 2 || wl >= 64 || is_stop(t + s, wl))
			continue;
		int digits = 1;
		for (size_t k = s; k < i && digits; k++)
			digits = t[k] >= '0' && t[k] <= '9';
		if (digits)
			continue;
		char *stem = key + 2;
		memcpy(stem, t + s, wl);
		if (wl > 4 && memcmp(stem + wl - 3, "ies", 3) == 0) {
			stem[wl - 3] = 'y';
			wl -= 2;
		} else if (wl > 3 && stem[wl - 1] == 's' && stem[wl - 2] != 's' &&
		           stem[wl - 2] != 'u' && stem[wl - 2] != 'i') {
			wl--;
		}
		stem[wl] = '\0';
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
			double w = (1.0 + log(feats[s][f].tf)) * vocab->idf[idx];
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

void otz__score_load(otz_session *s, const otz_feat *f, size_t nf)
{
	const otz_vocab *vocab = s->engine->vocab;
	double norm = 0;
	otz__score_clear(s);
	for (size_t i = 0; i < nf; i++) {
		long idx = otz__vocab_get(vocab, f[i].key);
		if (idx < 0)
			continue;
		double w = (1.0 + log(f[i].tf)) * vocab->idf[idx];
		s->qvec[idx] = (float)w;
		s->qtouched[s->nqtouched++] = (uint32_t)idx;
		norm += w * w;
	}
	norm = sqrt(norm);
	for (size_t i = 0; i < s->nqtouched && norm > 0; i++)
		s->qvec[s->qtouched[i]] = (float)(s->qvec[s->qtouched[i]] / norm);
}

/* ---- titles ------------------------------------------------------- */

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
	/* Words as (start, length) pairs. */
	size_t ws[32], wl[32], nw = 0;
	for (size_t i = 0; i < len && nw < 32;) {
		unsigned char c = (unsigned char)t.s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)) {
			i++;
			continue;
		}
		size_t s0 = i;
		while (i < len && (((unsigned char)t.s[i] >= 'a' && (unsigned char)t.s[i] <= 'z') ||
		                   (t.s[i] >= '0' && t.s[i] <= '9') || (unsigned char)t.s[i] >= 0x80))
			i++;
		size_t n = i - s0;
		if (n > 3 && t.s[s0 + n - 1] == 's' && t.s[s0 + n - 2] != 's')
			n--; /* "engineers" -> "engineer" */
		ws[nw] = s0;
		wl[nw++] = n;
	}
	while (nw > 1 && in_words(grades, t.s + ws[nw - 1], wl[nw - 1]))
		nw--;
	size_t first = 0;
	while (nw - first > 2 && in_words(seniority, t.s + ws[first], wl[first]))
		first++;
	char *out = malloc(len + 2);
	size_t o = 0;
	if (out) {
		for (size_t w = first; w < nw; w++) {
			if (o)
				out[o++] = ' ';
			memcpy(out + o, t.s + ws[w], wl[w]);
			o += wl[w];
		}
		out[o] = '\0';
	}
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
	return otz__postings_build(e);
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
	free(e->post_start);
	free(e->post);
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
		double w = (1.0 + log(s->qvec[idx])) * vocab->idf[idx];
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

static int score_loaded(otz_session *s, const char *title, otz_scored *top, size_t ntop,
                        size_t *nout)
{
	const otz_engine *e = s->engine;
	size_t n = 0;
	char *q = title ? otz__title_norm(title) : NULL;
	if (title && !q)
		return OTZ_ENOMEM;
	/* Each specimen's title similarity, once; the title counts only if it
	 * looks like some specimen's title at all ("About Us" on the first line
	 * must not halve every score). */
	int use_title = 0;
	uint32_t qids[TITLE_WORDS];
	size_t nq = q ? title_ids(e->twords, q, qids, 0, NULL) : 0;
	for (size_t sp = 0; sp < e->nspecimens; sp++) {
		s->talias[sp] = -1;
		s->tsim[sp] = nq ? title_score(e, sp, qids, nq, &s->talias[sp]) : 0;
		use_title |= s->tsim[sp] >= OTZ_TITLE_MIN_SIM;
	}
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
		double dot = s->dots[sp], tsim = 0;
		long which = -1;
		if (dot > 1.0)
			dot = 1.0;
		double score = dot;
		if (use_title) {
			tsim = s->tsim[sp];
			which = s->talias[sp];
			score = OTZ_TITLE_WEIGHT * tsim + (1 - OTZ_TITLE_WEIGHT) * dot;
		}
		top_insert(top, &n, ntop, (otz_scored){sp, score, dot, tsim, which});
	}
	free(q);
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
	const uint32_t *q = e->tids[spec][0];
	size_t nq = e->ntids[spec][0];
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
		double score = OTZ_TITLE_WEIGHT * title_score(e, j, q, nq, &which) +
		               (1 - OTZ_TITLE_WEIGHT) * dot;
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
