/*
 * prefilter.c - which patterns are worth running on a segment.
 *
 * Most rule patterns contain a literal that every match must contain:
 * "\bteam players?\b" cannot match a sentence without "team player".  At
 * compile time each pattern's longest such literal is extracted (a run of
 * plain characters outside any group, in a pattern without top-level
 * alternation, extended mode or \Q quoting) and all of them go into one
 * Aho-Corasick automaton.  At match time one pass over a segment says which
 * literals occur, and only their patterns, plus the patterns that have no
 * literal, are run through PCRE2.  The result is the same set of hits as
 * running every pattern (tests compare the two), for a cost that grows with
 * the text rather than with the number of rules.
 *
 * The automaton is built once and read-only; the marks of a scan live in
 * the caller's scratch array (one generation number per pattern).
 */
#include <stdlib.h>
#include <string.h>

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

static int lit_char(char c)
{
	return sym((unsigned char)c) != 0;
}

size_t otz__pattern_literal(const char *pat, char *out, size_t n)
{
	size_t best = 0;
	int depth = 0;
	out[0] = '\0';
	if (strstr(pat, "(?x") || strstr(pat, "(?-") || strstr(pat, "\\Q") || strstr(pat, "(*"))
		return 0;
	for (const char *p = pat; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[') {
			/* a class: skip to its end ("[]...]" and "[^]...]" start with ']') */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']')
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (!*p)
				return 0;
		} else if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == '|' && depth == 0)
			return 0;
	}
	depth = 0;
	for (const char *p = pat; *p;) {
		if (*p == '\\' && p[1]) {
			p += 2;
			continue;
		}
		if (*p == '[') {
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']')
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (*p)
				p++;
			continue;
		}
		if (*p == '(' || *p == ')') {
			depth += *p == '(' ? 1 : -1;
			p++;
			continue;
		}
		if (!lit_char((char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p)) || depth > 0) {
			p++;
			continue;
		}
		const char *st = p;
		while (*p && lit_char((char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p)))
			p++;
		size_t l = (size_t)(p - st);
		/* A quantifier after the run applies to its last character. */
		if (*p == '?' || *p == '*' || *p == '{')
			l--;
		if (l > best && l < n) {
			best = l;
			for (size_t i = 0; i < l; i++)
				out[i] = (char)(st[i] >= 'A' && st[i] <= 'Z' ? st[i] + 32 : st[i]);
			out[l] = '\0';
		}
	}
	/* Short literals prune too little to be worth a lookup. */
	if (best < 3) {
		out[0] = '\0';
		return 0;
	}
	return best;
}

typedef struct acnode {
	int32_t next[NSYM];
	int32_t fail;
	int32_t out;  /* first output entry of this state, -1 if none */
	int32_t dict; /* nearest state on the fail chain with output, -1 if none */
} acnode;

typedef struct acout {
	uint32_t pattern; /* global pattern number */
	int32_t next;     /* next output entry of the same state, -1 at the end */
} acout;

struct otz_prefilter {
	acnode *nodes;
	size_t nnodes, capnodes;
	acout *outs;
	size_t nouts, capouts;
	uint8_t *always; /* per global pattern: 1 if it has no literal */
	size_t npatterns;
};

static int32_t new_node(otz_prefilter *pf)
{
	if (OTZ_GROW(pf->nodes, pf->capnodes, pf->nnodes + 1))
		return -1;
	acnode *n = &pf->nodes[pf->nnodes];
	for (int i = 0; i < NSYM; i++)
		n->next[i] = -1;
	n->fail = 0;
	n->out = -1;
	n->dict = -1;
	return (int32_t)pf->nnodes++;
}

void otz__prefilter_free(otz_prefilter *pf)
{
	if (!pf)
		return;
	free(pf->nodes);
	free(pf->outs);
	free(pf->always);
	free(pf);
}

int otz__prefilter_build(otz_prefilter **out, otz_ruleset *rs)
{
	otz_prefilter *pf = calloc(1, sizeof(*pf));
	int32_t *queue = NULL;
	if (!pf)
		return OTZ_ENOMEM;
	size_t np = 0;
	for (size_t r = 0; r < rs->nrules; r++)
		np += rs->rules[r].npatterns;
	pf->npatterns = np;
	pf->always = calloc(np ? np : 1, 1);
	if (!pf->always || new_node(pf) < 0)
		goto oom;
	size_t g = 0;
	char lit[128];
	for (size_t r = 0; r < rs->nrules; r++) {
		for (size_t p = 0; p < rs->rules[r].npatterns; p++, g++) {
			rs->rules[r].patterns[p].global = (uint32_t)g;
			if (!otz__pattern_literal(rs->rules[r].patterns[p].src, lit, sizeof(lit))) {
				pf->always[g] = 1;
				continue;
			}
			int32_t s = 0;
			for (const char *c = lit; *c; c++) {
				int y = sym((unsigned char)*c);
				if (pf->nodes[s].next[y] < 0) {
					int32_t n = new_node(pf);
					if (n < 0)
						goto oom;
					pf->nodes[s].next[y] = n;
				}
				s = pf->nodes[s].next[y];
			}
			if (OTZ_GROW(pf->outs, pf->capouts, pf->nouts + 1))
				goto oom;
			pf->outs[pf->nouts] = (acout){(uint32_t)g, pf->nodes[s].out};
			pf->nodes[s].out = (int32_t)pf->nouts++;
		}
	}
	/* Breadth-first: fail links, dictionary links, and a full transition
	 * table (a missing edge goes where the fail state's edge goes). */
	queue = malloc(pf->nnodes * sizeof(*queue));
	if (!queue)
		goto oom;
	size_t qh = 0, qt = 0;
	for (int y = 0; y < NSYM; y++) {
		int32_t c = pf->nodes[0].next[y];
		if (c < 0) {
			pf->nodes[0].next[y] = 0;
		} else {
			pf->nodes[c].fail = 0;
			queue[qt++] = c;
		}
	}
	while (qh < qt) {
		int32_t s = queue[qh++];
		int32_t f = pf->nodes[s].fail;
		pf->nodes[s].dict = pf->nodes[f].out >= 0 ? f : pf->nodes[f].dict;
		for (int y = 0; y < NSYM; y++) {
			int32_t c = pf->nodes[s].next[y];
			if (c < 0) {
				pf->nodes[s].next[y] = pf->nodes[f].next[y];
			} else {
				pf->nodes[c].fail = pf->nodes[f].next[y];
				queue[qt++] = c;
			}
		}
	}
	free(queue);
	*out = pf;
	return 0;
oom:
	free(queue);
	otz__prefilter_free(pf);
	return OTZ_ENOMEM;
}

/* Mark, with generation `gen`, every pattern whose literal occurs in t. */
void otz__prefilter_scan(const otz_prefilter *pf, const char *t, size_t n, uint32_t *marks,
                         uint32_t gen)
{
	int32_t s = 0;
	const acnode *nodes = pf->nodes;
	for (size_t i = 0; i < n; i++) {
		s = nodes[s].next[sym((unsigned char)t[i])];
		for (int32_t d = nodes[s].out >= 0 ? s : nodes[s].dict; d >= 0; d = nodes[d].dict)
			for (int32_t o = nodes[d].out; o >= 0; o = pf->outs[o].next)
				marks[pf->outs[o].pattern] = gen;
	}
}

int otz__prefilter_always(const otz_prefilter *pf, uint32_t pattern)
{
	return pf->always[pattern];
}

size_t otz__prefilter_literal_count(const otz_prefilter *pf)
{
	return pf->nouts;
}
