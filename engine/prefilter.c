/*
 * prefilter.c - which patterns are worth running on a segment.
 *
 * Most rule patterns contain a literal that every match must contain:
 * "\bteam players?\b" cannot match a sentence without "team player", and
 * "\b(?:salesforce|hubspot)\b" none without one of its two names.  At
 * compile time each pattern's best such set of literals is extracted (see
 * sequence() and alternation(); patterns in extended mode or with \Q
 * quoting get none) and all of them go into one Aho-Corasick automaton.  At match time one pass over a segment says which
 * literals occur, and only their patterns, plus the patterns that have no
 * literal, are run through PCRE2.  The result is the same set of hits as
 * running every pattern (tests compare the two), for a cost that grows with
 * the text rather than with the number of rules.
 *
 * The automaton is built once; its transition rows are filled as scans
 * first need them (see below), its one write after load.  The marks of a
 * scan live in the caller's scratch array (one generation number per
 * pattern).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

/* Characters a literal may contain, mapped to small symbol numbers; every
 * other byte is symbol 0, which no literal contains. */
#define NSYM 40

static int sym(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return 1 + (c - 'a');
	if (c >= '0' && c <= '9')
		return 27 + (c - '0');
	switch (c) {
	case ' ': return 37;
	case '-': return 38;
	case '\'': return 39;
	default: return 0;
	}
}

/*
 * Required-literal sets.  A set is a list of literals such that every match
 * contains at least one of them.  A sequence offers one candidate per
 * element (a run of plain characters, or a non-optional group whose every
 * alternative has a set of its own, whose sets are then united); the
 * candidate whose shortest literal is longest wins.  An alternation unites
 * the sets of its alternatives, and has none if any alternative has none.
 */
#define LIT_MAX 64 /* characters in one literal */
#define SET_MAX 32 /* literals in one set */

typedef struct litset {
	char lit[SET_MAX][LIT_MAX];
	int n;     /* 0: no set */
	int score; /* length of the shortest literal */
} litset;

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static void set_one(litset *o, const char *s, size_t l)
{
	o->n = 1;
	memcpy(o->lit[0], s, l);
	o->lit[0][l] = '\0';
	for (size_t i = 0; i < l; i++)
		o->lit[0][i] = (char)lower((unsigned char)o->lit[0][i]);
	o->score = (int)l;
}

/* d = s, copying only the literals s holds (a set is 2 KB, most hold one). */
static void set_copy(litset *d, const litset *s)
{
	d->n = s->n;
	d->score = s->score;
	for (int i = 0; i < s->n; i++)
		memcpy(d->lit[i], s->lit[i], strlen(s->lit[i]) + 1);
}

/* Is the set a better candidate than the best so far? */
static int better(const litset *c, const litset *best)
{
	if (!c->n)
		return 0;
	if (!best->n)
		return 1;
	return c->score > best->score || (c->score == best->score && c->n < best->n);
}

/* Unite b into a; fails (a->n = 0) when the union is too large. */
static void unite(litset *a, const litset *b)
{
	if (!a->n || !b->n || a->n + b->n > SET_MAX) {
		a->n = 0;
		return;
	}
	for (int i = 0; i < b->n; i++)
		memcpy(a->lit[a->n + i], b->lit[i], strlen(b->lit[i]) + 1);
	a->n += b->n;
	if (b->score < a->score)
		a->score = b->score;
}

/* The closing ']' of the class opening at p ('['), or end if there is
 * none.  "[]...]" and "[^]...]" start with a literal ']'. */
static const char *class_end(const char *p, const char *end)
{
	p++;
	if (p < end && *p == '^')
		p++;
	if (p < end && *p == ']')
		p++;
	while (p < end && *p != ']')
		p += (*p == '\\' && p + 1 < end) ? 2 : 1;
	return p < end ? p : end;
}

/* End of the group opening at p ('('), or NULL if unbalanced. */
static const char *group_end(const char *p, const char *end)
{
	int depth = 0;
	for (; p < end; p++) {
		if (*p == '\\' && p + 1 < end) {
			p++;
		} else if (*p == '[') {
			p = class_end(p, end);
			if (p >= end)
				return NULL;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			return p;
		}
	}
	return NULL;
}

/* Does a quantifier at p make the preceding item optional? */
static int optional_after(const char *p, const char *end)
{
	if (p >= end)
		return 0;
	if (*p == '?' || *p == '*')
		return 1;
	return *p == '{' && p + 1 < end && p[1] == '0';
}

static int lit_byte(int c)
{
	return sym((unsigned char)lower(c)) != 0;
}

static void alternation(const char *p, const char *end, litset *out, int depth);

/* The best required set of one alternative (a sequence). */
static void sequence(const char *p, const char *end, litset *best, int depth)
{
	litset cand_, *cand = &cand_; /* on the stack: nesting is at most 9 groups deep */
	best->n = 0;
	best->score = 0;
	while (p < end) {
		if (*p == '\\') {
			p += p + 1 < end ? 2 : 1;
			continue;
		}
		if (*p == '[') {
			const char *q = class_end(p, end);
			p = q < end ? q + 1 : end;
			continue;
		}
		if (*p == '(') {
			const char *ge = group_end(p, end);
			if (!ge)
				break;
			const char *in = p + 1;
			int skip = 0;
			if (in < ge && *in == '?') {
				/* (?: (?i: (?<name> (?P<name> are groups; lookarounds,
				 * comments and flag settings are not. */
				if (in + 1 < ge && in[1] == ':') {
					in += 2;
				} else if (in + 1 < ge && (in[1] == 'P' || in[1] == '<') && in + 2 < ge &&
				           in[2] != '=' && in[2] != '!') {
					while (in < ge && *in != '>')
						in++;
					in++;
				} else {
					const char *c = in + 1;
					while (c < ge && (*c == '-' || (*c >= 'a' && *c <= 'z')))
						c++;
					if (c < ge && *c == ':' && c > in + 1)
						in = c + 1; /* (?i:...) */
					else
						skip = 1;
				}
			}
			p = ge + 1;
			if (skip || optional_after(p, end) || depth > 8)
				continue;
			alternation(in, ge, cand, depth + 1);
			if (better(cand, best))
				set_copy(best, cand);
			continue;
		}
		if (!lit_byte((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *st = p;
		while (p < end && lit_byte((unsigned char)*p))
			p++;
		size_t l = (size_t)(p - st);
		if (optional_after(p, end))
			l--; /* a quantifier applies to the last character only */
		if (l >= 1 && l < LIT_MAX) {
			set_one(cand, st, l);
			if (better(cand, best))
				set_copy(best, cand);
		}
	}
}

static void alternation(const char *p, const char *end, litset *out, int depth)
{
	litset alt_, *alt = &alt_;
	out->n = 0;
	int first = 1;
	const char *a = p;
	for (const char *q = p;; q++) {
		if (q < end && *q == '\\') {
			q++;
			continue;
		}
		if (q < end && *q == '[') {
			q = class_end(q, end);
			if (q >= end)
				q = end - 1; /* an unclosed class runs to the end */
			continue;
		}
		if (q < end && *q == '(') {
			const char *ge = group_end(q, end);
			if (!ge)
				break;
			q = ge;
			continue;
		}
		if (q >= end || *q == '|') {
			sequence(a, q, alt, depth);
			if (first) {
				set_copy(out, alt);
				first = 0;
			} else {
				unite(out, alt);
			}
			if (!out->n || q >= end)
				break;
			a = q + 1;
		}
	}
}

size_t otz__pattern_literals(const char *pat, char lits[][64], size_t max)
{
	if (strstr(pat, "(?x") || strstr(pat, "(?-") || strstr(pat, "\\Q") || strstr(pat, "(*"))
		return 0;
	litset set_, *set = &set_;
	size_t n = 0;
	alternation(pat, pat + strlen(pat), set, 0);
	/* Short literals prune too little to be worth a lookup. */
	if (set->n && set->score >= 3 && (size_t)set->n <= max) {
		for (int i = 0; i < set->n; i++)
			memcpy(lits[i], set->lit[i], strlen(set->lit[i]) + 1);
		n = (size_t)set->n;
	}
	return n;
}

size_t otz__pattern_literal(const char *pat, char *out, size_t n)
{
	char lits[SET_MAX][64];
	size_t k = otz__pattern_literals(pat, lits, SET_MAX);
	out[0] = '\0';
	if (k != 1 || strlen(lits[0]) >= n)
		return 0;
	strcpy(out, lits[0]);
	return strlen(out);
}

/*
 * The automaton.  The trie of the literals, its fail links (the longest
 * proper suffix of a state that is also a state) and dictionary links (the
 * nearest state on the fail chain with output) are built at load, in arrays
 * of a few bytes a state.  The full transition table that the scan follows
 * (a row of NSYM next states for each state) is 170 bytes a state, 3.5 MB
 * for the corpus's 20,000 states: building it whole was most of the
 * prefilter's start-up, most of it in page faults.  So a state's row is
 * filled the first time a scan reaches the state, in a table mapped
 * zero-filled, whose pages cost nothing until touched: a one-line posting
 * touches a few dozen rows, a long batch ends with the whole table.
 *
 * Threads share the automaton and may reach an unfilled row at once: each
 * computes the same row, the entries are written with relaxed atomic stores
 * and the row's `ready` flag with a release store, read with an acquire load
 * before the row is used.  On x86 these are plain moves.
 */
typedef struct acrow {
	atomic_int next[NSYM];
	atomic_int out;   /* first output entry of this state, -1 if none */
	atomic_int dict;  /* nearest state on the fail chain with output, -1 if none */
	atomic_int ready; /* 1 once the row above is filled */
} acrow;

typedef struct acout {
	uint32_t pattern; /* global pattern number */
	int32_t next;     /* next output entry of the same state, -1 at the end */
} acout;

struct otz_prefilter {
	/* the trie, per state: first child, next sibling (-1 for none), the
	 * symbol on the edge into it, fail and dictionary links, first output */
	int32_t *child, *sibling, *fail, *dict, *out;
	uint8_t *sym;
	size_t nnodes, capnodes;
	/* The edges out of the root and out of its children as tables (-1: no
	 * edge): most edge look-ups while building are there, where the
	 * sibling lists are longest. */
	int32_t top[NSYM], second[NSYM][NSYM];
	acrow *rows; /* nnodes rows, mapped zero-filled; filled on first visit */
	size_t rows_bytes;
	acout *outs;
	size_t nouts, capouts;
	uint32_t *always_list; /* the patterns without a literal, in order */
	size_t nalways;
	uint32_t *rule_of, *pat_of; /* per global pattern: its rule and index there */
	size_t npatterns;
};

static int32_t new_node(otz_prefilter *pf, int y)
{
	if (pf->nnodes == pf->capnodes) {
		size_t c = pf->capnodes ? 2 * pf->capnodes : 1024;
		int32_t *a[5] = {pf->child, pf->sibling, pf->fail, pf->dict, pf->out};
		for (int k = 0; k < 5; k++) {
			int32_t *p = realloc(a[k], c * sizeof(int32_t));
			if (!p)
				return -1;
			a[k] = p;
			/* stored back one at a time, so that a failure frees all */
			switch (k) {
			case 0: pf->child = p; break;
			case 1: pf->sibling = p; break;
			case 2: pf->fail = p; break;
			case 3: pf->dict = p; break;
			default: pf->out = p; break;
			}
		}
		uint8_t *sy = realloc(pf->sym, c);
		if (!sy)
			return -1;
		pf->sym = sy;
		pf->capnodes = c;
	}
	size_t n = pf->nnodes++;
	pf->child[n] = pf->sibling[n] = -1;
	pf->fail[n] = 0;
	pf->dict[n] = pf->out[n] = -1;
	pf->sym[n] = (uint8_t)y;
	return (int32_t)n;
}

/* The trie's edge from state s on symbol y, or -1. */
static int32_t edge(const otz_prefilter *pf, int32_t s, int y)
{
	if (s == 0)
		return pf->top[y];
	if (pf->top[pf->sym[s]] == s) /* a child of the root */
		return pf->second[pf->sym[s]][y];
	for (int32_t c = pf->child[s]; c >= 0; c = pf->sibling[c])
		if (pf->sym[c] == y)
			return c;
	return -1;
}

/* A new state, child of s on symbol y. */
static int32_t add_edge(otz_prefilter *pf, int32_t s, int y)
{
	int32_t n = new_node(pf, y);
	if (n < 0)
		return -1;
	pf->sibling[n] = pf->child[s];
	pf->child[s] = n;
	if (s == 0)
		pf->top[y] = n;
	else if (pf->top[pf->sym[s]] == s)
		pf->second[pf->sym[s]][y] = n;
	return n;
}

void otz__prefilter_free(otz_prefilter *pf)
{
	if (!pf)
		return;
	free(pf->child);
	free(pf->sibling);
	free(pf->fail);
	free(pf->dict);
	free(pf->out);
	free(pf->sym);
	if (pf->rows)
		munmap(pf->rows, pf->rows_bytes);
	free(pf->outs);
	free(pf->always_list);
	free(pf->rule_of);
	free(pf->pat_of);
	free(pf);
}

/* Fill state s's row: its own edges, and where its fail state goes for the
 * rest (that row filled first; the chain is at most a literal long). */
static void fill_row(const otz_prefilter *pf, int32_t s)
{
	acrow *row = &pf->rows[s];
	int32_t next[NSYM];
	if (s == 0) {
		for (int y = 0; y < NSYM; y++)
			next[y] = 0;
	} else {
		int32_t f = pf->fail[s];
		if (!atomic_load_explicit(&pf->rows[f].ready, memory_order_acquire))
			fill_row(pf, f);
		for (int y = 0; y < NSYM; y++)
			next[y] = atomic_load_explicit(&pf->rows[f].next[y], memory_order_relaxed);
	}
	for (int32_t c = pf->child[s]; c >= 0; c = pf->sibling[c])
		next[pf->sym[c]] = c;
	for (int y = 0; y < NSYM; y++)
		atomic_store_explicit(&row->next[y], next[y], memory_order_relaxed);
	atomic_store_explicit(&row->out, pf->out[s], memory_order_relaxed);
	atomic_store_explicit(&row->dict, pf->dict[s], memory_order_relaxed);
	atomic_store_explicit(&row->ready, 1, memory_order_release);
}

/* The transition rows, mapped zero-filled, the root's filled (fill_row). */
static int map_rows(otz_prefilter *pf)
{
	pf->rows_bytes = pf->nnodes * sizeof(acrow);
	pf->rows = mmap(NULL, pf->rows_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	                -1, 0);
	if (pf->rows == MAP_FAILED) {
		pf->rows = NULL;
		return OTZ_ENOMEM;
	}
	fill_row(pf, 0);
	return 0;
}

static int number_patterns(otz_prefilter *pf, otz_ruleset *rs);

int otz__prefilter_build(otz_prefilter **out, otz_ruleset *rs)
{
	otz_prefilter *pf = calloc(1, sizeof(*pf));
	int32_t *queue = NULL;
	if (!pf)
		return OTZ_ENOMEM;
	memset(pf->top, 0xff, sizeof(pf->top));
	memset(pf->second, 0xff, sizeof(pf->second));
	if (number_patterns(pf, rs) ||
	    !(pf->always_list = calloc(pf->npatterns ? pf->npatterns : 1, sizeof(uint32_t))) ||
	    new_node(pf, 0) < 0)
		goto oom;
	size_t g = 0;
	char lits[SET_MAX][64];
	for (size_t r = 0; r < rs->nrules; r++) {
		for (size_t p = 0; p < rs->rules[r].npatterns; p++, g++) {
			const char *src = otz__pattern_src(rs, &rs->rules[r].patterns[p]);
			if (!src)
				goto oom;
			size_t nl = otz__pattern_literals(src, lits, SET_MAX);
			if (!nl) {
				pf->always_list[pf->nalways++] = (uint32_t)g;
				continue;
			}
			for (size_t k = 0; k < nl; k++) {
				int32_t s = 0;
				for (const char *c = lits[k]; *c; c++) {
					int y = sym((unsigned char)*c);
					int32_t n = edge(pf, s, y);
					if (n < 0 && (n = add_edge(pf, s, y)) < 0)
						goto oom;
					s = n;
				}
				if (OTZ_GROW(pf->outs, pf->capouts, pf->nouts + 1))
					goto oom;
				pf->outs[pf->nouts] = (acout){(uint32_t)g, pf->out[s]};
				pf->out[s] = (int32_t)pf->nouts++;
			}
		}
	}
	/* Breadth-first: fail links and dictionary links. */
	queue = malloc(pf->nnodes * sizeof(*queue));
	if (!queue)
		goto oom;
	size_t qh = 0, qt = 0;
	for (int32_t c = pf->child[0]; c >= 0; c = pf->sibling[c])
		queue[qt++] = c; /* their fail link is the root */
	while (qh < qt) {
		int32_t s = queue[qh++];
		int32_t f = pf->fail[s];
		pf->dict[s] = pf->out[f] >= 0 ? f : pf->dict[f];
		for (int32_t c = pf->child[s]; c >= 0; c = pf->sibling[c]) {
			int32_t x = f, to;
			while ((to = edge(pf, x, pf->sym[c])) < 0 && x != 0)
				x = pf->fail[x];
			pf->fail[c] = to >= 0 && to != c ? to : 0;
			queue[qt++] = c;
		}
	}
	free(queue);
	queue = NULL;
	if (map_rows(pf))
		goto oom;
	*out = pf;
	return 0;
oom:
	free(queue);
	otz__prefilter_free(pf);
	return OTZ_ENOMEM;
}

/*
 * The automaton stored (otz_engine_save) and read back (otz_engine_load):
 * built from the ruleset at `corpus build`, so that a load neither extracts
 * literals from 3,303 patterns nor builds a trie of 20,000 states.  The
 * bytes are a header of six 32-bit numbers (magic, version, states, output
 * entries, patterns, patterns without a literal), then the states' child,
 * sibling, fail, dictionary and output links (32-bit), their symbols (one
 * byte each, padded to four), the output entries and the list of patterns
 * without a literal, in this machine's byte order, as the specimens'
 * vectors are.  The transition rows are filled on first visit, as ever.
 */
#define PF_MAGIC 0x5046544fu /* "OTFP" */
#define PF_VERSION 1u

/* The patterns' numbers, and each number's rule and place there. */
static int number_patterns(otz_prefilter *pf, otz_ruleset *rs)
{
	size_t np = 0;
	for (size_t r = 0; r < rs->nrules; r++)
		np += rs->rules[r].npatterns;
	pf->npatterns = np;
	pf->rule_of = calloc(np ? np : 1, sizeof(uint32_t));
	pf->pat_of = calloc(np ? np : 1, sizeof(uint32_t));
	if (!pf->rule_of || !pf->pat_of)
		return OTZ_ENOMEM;
	size_t g = 0;
	for (size_t r = 0; r < rs->nrules; r++)
		for (size_t p = 0; p < rs->rules[r].npatterns; p++, g++) {
			rs->rules[r].patterns[p].global = (uint32_t)g;
			pf->rule_of[g] = (uint32_t)r;
			pf->pat_of[g] = (uint32_t)p;
		}
	return 0;
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

int otz__prefilter_encode(const otz_prefilter *pf, unsigned char **out, size_t *len)
{
	size_t n = pf->nnodes;
	size_t sz = 6 * 4 + 5 * n * 4 + pad4(n) + pf->nouts * sizeof(acout) + pf->nalways * 4;
	unsigned char *b = calloc(1, sz), *p = b;
	if (!b)
		return OTZ_ENOMEM;
	uint32_t head[6] = {PF_MAGIC, PF_VERSION, (uint32_t)n, (uint32_t)pf->nouts,
	                    (uint32_t)pf->npatterns, (uint32_t)pf->nalways};
	const int32_t *links[5] = {pf->child, pf->sibling, pf->fail, pf->dict, pf->out};
	memcpy(p, head, sizeof(head));
	p += sizeof(head);
	for (int k = 0; k < 5; k++, p += n * 4)
		memcpy(p, links[k], n * 4);
	memcpy(p, pf->sym, n);
	p += pad4(n);
	memcpy(p, pf->outs, pf->nouts * sizeof(acout));
	p += pf->nouts * sizeof(acout);
	memcpy(p, pf->always_list, pf->nalways * 4);
	*out = b;
	*len = sz;
	return 0;
}

/* Is the stored automaton one a scan can run over without going wrong:
 * every link in range, every state reached once from the root (a tree),
 * fail and dictionary links to shallower states and output chains to
 * earlier entries (so that every chain ends)?  A corrupt database must
 * not hang or crash a translation. */
static int well_formed(const otz_prefilter *pf)
{
	size_t n = pf->nnodes;
	int ok = 0;
	/* A literal is shorter than LIT_MAX: so is every state's depth. */
	uint8_t *depth = malloc(n);
	uint32_t *queue = malloc(n * sizeof(*queue));
	if (!depth || !queue)
		goto done;
	memset(depth, 0xff, n);
	size_t qh = 0, qt = 0;
	depth[0] = 0;
	queue[qt++] = 0;
	while (qh < qt) {
		uint32_t s = queue[qh++];
		for (int32_t c = pf->child[s]; c >= 0; c = pf->sibling[c]) {
			if ((size_t)c >= n || depth[c] != 0xff || pf->sym[c] >= NSYM ||
			    depth[s] + 1 >= LIT_MAX)
				goto done;
			depth[c] = (uint8_t)(depth[s] + 1);
			queue[qt++] = (uint32_t)c;
		}
		if (pf->child[s] < -1)
			goto done;
	}
	if (qt != n || pf->fail[0] != 0 || pf->dict[0] != -1)
		goto done;
	for (size_t s = 0; s < n; s++) {
		int32_t f = pf->fail[s], d = pf->dict[s], o = pf->out[s];
		if (pf->sibling[s] < -1 || (size_t)pf->sibling[s] + 1 > n ||
		    (s && (f < 0 || (size_t)f >= n || depth[f] >= depth[s])) ||
		    d < -1 || (d >= 0 && ((size_t)d >= n || depth[d] >= depth[s])) || o < -1 ||
		    (o >= 0 && (size_t)o >= pf->nouts))
			goto done;
	}
	for (size_t o = 0; o < pf->nouts; o++)
		if (pf->outs[o].pattern >= pf->npatterns || pf->outs[o].next < -1 ||
		    pf->outs[o].next >= (int32_t)o)
			goto done;
	for (size_t i = 0; i < pf->nalways; i++)
		if (pf->always_list[i] >= pf->npatterns)
			goto done;
	ok = 1;
done:
	free(depth);
	free(queue);
	return ok;
}

/* A reader of stored bytes from a flat buffer (otz_prefilter_decode's). */
static int read_flat(void *ctx, size_t off, void *to, size_t n)
{
	memcpy(to, (const unsigned char *)ctx + off, n);
	return 0;
}

int otz__prefilter_decode(otz_prefilter **out, otz_ruleset *rs, const void *buf, size_t len)
{
	return otz__prefilter_read(out, rs, len, read_flat, (void *)buf);
}

int otz__prefilter_read(otz_prefilter **out, otz_ruleset *rs, size_t len,
                        int (*rd)(void *ctx, size_t off, void *to, size_t n), void *ctx)
{
	uint32_t head[6];
	size_t at = sizeof(head);
	int rc = OTZ_EDB;
	otz_prefilter *pf = calloc(1, sizeof(*pf));
	if (!pf)
		return OTZ_ENOMEM;
	if ((rc = number_patterns(pf, rs)))
		goto fail;
	rc = OTZ_EDB;
	if (len < sizeof(head) || rd(ctx, 0, head, sizeof(head)))
		goto fail;
	size_t n = head[2], nouts = head[3], nalways = head[5];
	if (head[0] != PF_MAGIC || head[1] != PF_VERSION || n == 0 || head[4] != pf->npatterns ||
	    nalways > pf->npatterns || nouts > (size_t)UINT32_MAX / sizeof(acout) ||
	    len != sizeof(head) + 5 * (size_t)n * 4 + pad4(n) + nouts * sizeof(acout) + nalways * 4)
		goto fail;
	int32_t **links[5] = {&pf->child, &pf->sibling, &pf->fail, &pf->dict, &pf->out};
	for (int k = 0; k < 5; k++, at += n * 4) {
		if (!(*links[k] = malloc(n * 4))) {
			rc = OTZ_ENOMEM;
			goto fail;
		}
		if (rd(ctx, at, *links[k], n * 4))
			goto fail;
	}
	if (!(pf->sym = malloc(n)) || !(pf->outs = malloc((nouts ? nouts : 1) * sizeof(acout))) ||
	    !(pf->always_list = malloc((nalways ? nalways : 1) * 4))) {
		rc = OTZ_ENOMEM;
		goto fail;
	}
	if (rd(ctx, at, pf->sym, n) || rd(ctx, at += pad4(n), pf->outs, nouts * sizeof(acout)) ||
	    rd(ctx, at + nouts * sizeof(acout), pf->always_list, nalways * 4))
		goto fail;
	pf->nnodes = pf->capnodes = n;
	pf->nouts = pf->capouts = nouts;
	pf->nalways = nalways;
	rc = OTZ_EDB;
	if (!well_formed(pf))
		goto fail;
	/* The edge tables of the root and its children, as the build keeps. */
	memset(pf->top, 0xff, sizeof(pf->top));
	memset(pf->second, 0xff, sizeof(pf->second));
	for (int32_t c = pf->child[0]; c >= 0; c = pf->sibling[c])
		pf->top[pf->sym[c]] = c;
	for (int32_t c = pf->child[0]; c >= 0; c = pf->sibling[c])
		for (int32_t d = pf->child[c]; d >= 0; d = pf->sibling[d])
			pf->second[pf->sym[c]][pf->sym[d]] = d;
	rc = OTZ_ENOMEM;
	if (map_rows(pf))
		goto fail;
	*out = pf;
	return 0;
fail:
	otz__prefilter_free(pf);
	return rc;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

size_t otz__prefilter_scan(const otz_prefilter *pf, const char *t, size_t n, uint32_t *marks,
                           uint32_t gen, uint32_t *cand)
{
	int32_t s = 0;
	size_t nc = 0;
	const acrow *rows = pf->rows;
	for (size_t i = 0; i < n; i++) {
		s = atomic_load_explicit(&rows[s].next[sym((unsigned char)t[i])], memory_order_relaxed);
		if (!atomic_load_explicit(&rows[s].ready, memory_order_acquire))
			fill_row(pf, s);
		int32_t o0 = atomic_load_explicit(&rows[s].out, memory_order_relaxed);
		for (int32_t d = o0 >= 0 ? s : atomic_load_explicit(&rows[s].dict, memory_order_relaxed);
		     d >= 0; d = pf->dict[d])
			for (int32_t o = pf->out[d]; o >= 0; o = pf->outs[o].next) {
				uint32_t g = pf->outs[o].pattern;
				if (marks[g] != gen) {
					marks[g] = gen;
					cand[nc++] = g;
				}
			}
	}
	/* The patterns without a literal run on every segment. */
	memcpy(cand + nc, pf->always_list, pf->nalways * sizeof(uint32_t));
	nc += pf->nalways;
	/* In pattern order, which is rule order: hits come out as they would
	 * without the prefilter. */
	if (nc > 1)
		qsort(cand, nc, sizeof(uint32_t), cmp_u32);
	return nc;
}

void otz__prefilter_where(const otz_prefilter *pf, uint32_t g, size_t *rule, size_t *pattern)
{
	*rule = pf->rule_of[g];
	*pattern = pf->pat_of[g];
}
