/*
 * gen.c - realistic generated job descriptions, for benchmarks and batch
 * tests, built from the corpus itself.
 *
 * A posting is a title (a specimen's title or alias), a few headed
 * paragraphs and bullet lists whose sentences are drawn from the rules'
 * examples (the jargon), their counter-examples (plain sentences that only
 * look like jargon) and the specimens' LINKEDIN ILLUSION quotes, dressed
 * the way pasted postings are: Unicode and emoji bullets, smart quotes and
 * dashes, HTML residue (tags and entities), non-breaking spaces.  Its size
 * is drawn between 2 and 6 KB.  Everything comes from a fixed seed
 * (xorshift64*), so the same seed gives the same postings on any machine.
 *
 * Nothing here reads files or prints: the caller gets a malloc'ed text.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

struct gen {
	uint64_t state;
	const char **jargon, **plain, **titles;
	size_t njargon, nplain, ntitles;
};

static uint64_t next(gen *g)
{
	g->state ^= g->state >> 12;
	g->state ^= g->state << 25;
	g->state ^= g->state >> 27;
	return g->state * 2685821657736338717ull;
}

static size_t pick(gen *g, size_t n)
{
	return n ? (size_t)(next(g) % n) : 0;
}

static int push(const char ***v, size_t *n, const char *s)
{
	const char **p = realloc(*v, (*n + 1) * sizeof(*p));
	if (!p)
		return -1;
	p[(*n)++] = s;
	*v = p;
	return 0;
}

void gen_free(gen *g)
{
	if (!g)
		return;
	free(g->jargon);
	free(g->plain);
	free(g->titles);
	free(g);
}

int gen_new(gen **out, const otz_engine *e, uint64_t seed)
{
	gen *g = calloc(1, sizeof(*g));
	if (!g)
		return -1;
	g->state = seed ? seed : 0x9e3779b97f4a7c15ull;
	const otz_ruleset *rs = otz_engine_rules(e);
	for (size_t i = 0; i < otz_ruleset_count(rs); i++) {
		int counter;
		const char *t;
		for (size_t k = 0; (t = otz_ruleset_example(rs, i, k, &counter)); k++)
			if (push(counter ? &g->plain : &g->jargon, counter ? &g->nplain : &g->njargon, t))
				goto oom;
	}
	for (size_t i = 0; i < otz_engine_specimen_count(e); i++) {
		const otz_record *r = otz_engine_specimen(e, i);
		if (!r || push(&g->titles, &g->ntitles, r->title))
			goto oom;
		for (size_t k = 0; k < r->naliases; k++)
			if (push(&g->titles, &g->ntitles, r->aliases[k]))
				goto oom;
		for (size_t k = 0; k < r->nautopsy; k++)
			if (push(&g->plain, &g->nplain, r->autopsy[k].illusion))
				goto oom;
	}
	if (!g->njargon || !g->nplain || !g->ntitles)
		goto oom;
	*out = g;
	return 0;
oom:
	gen_free(g);
	return -1;
}

typedef struct sbuf {
	char *p;
	size_t n, cap;
	int oom;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap * 2 : 8192;
		while (c < b->n + n + 1)
			c *= 2;
		char *p = realloc(b->p, c);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = c;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* A sentence as pasted: quotes and dashes made typographic, now and then
 * an entity or a non-breaking space. */
static void sentence(gen *g, sbuf *b, const char *s)
{
	int curly = pick(g, 3) == 0, entity = pick(g, 8) == 0, dq = 0;
	for (const char *p = s; *p; p++) {
		if (curly && *p == '\'')
			puts_(b, "\xe2\x80\x99");
		else if (curly && *p == '"')
			puts_(b, (dq++ % 2) ? "\xe2\x80\x9d" : "\xe2\x80\x9c");
		else if (curly && *p == '-' && p[1] == ' ' && p > s && p[-1] == ' ')
			puts_(b, "\xe2\x80\x94");
		else if (entity && *p == '&')
			puts_(b, "&amp;");
		else if (entity && *p == ' ' && pick(g, 12) == 0)
			puts_(b, "&nbsp;");
		else
			put(b, p, 1);
	}
}

static const char *const bullets[] = {"\xe2\x80\xa2 ", "\xe2\x96\xaa ", "\xe2\x9e\xa4 ",
                                      "\xe2\x9c\x85 ", "\xf0\x9f\x9a\x80 ", "- ", "* ",
                                      "\xc2\xb7 "};
static const char *const heads[] = {"About the role", "What you'll do", "Responsibilities",
                                    "What we're looking for", "Requirements", "Nice to have",
                                    "Who you are", "Why join us", "Benefits", "About us"};

char *gen_posting(gen *g, size_t *len)
{
	sbuf b = {0};
	size_t target = 2048 + pick(g, 4097);
	int html = pick(g, 4) == 0;
	const char *title = g->titles[pick(g, g->ntitles)];
	if (html) {
		puts_(&b, "<h2>");
		puts_(&b, title);
		puts_(&b, "</h2>\n");
	} else {
		puts_(&b, title);
		puts_(&b, "\n\n");
	}
	while (b.n < target && !b.oom) {
		const char *h = heads[pick(g, sizeof(heads) / sizeof(heads[0]))];
		if (html) {
			puts_(&b, "<p><strong>");
			puts_(&b, h);
			puts_(&b, "</strong></p>\n");
		} else {
			puts_(&b, h);
			puts_(&b, ":\n");
		}
		if (pick(g, 2)) { /* a paragraph */
			size_t n = 2 + pick(g, 4);
			if (html)
				puts_(&b, "<p>");
			for (size_t i = 0; i < n; i++) {
				int jargon = pick(g, 5) < 3;
				sentence(g, &b, jargon ? g->jargon[pick(g, g->njargon)]
				                       : g->plain[pick(g, g->nplain)]);
				puts_(&b, " ");
			}
			puts_(&b, html ? "</p>\n" : "\n\n");
		} else { /* a bullet list */
			size_t n = 3 + pick(g, 6);
			const char *bl = bullets[pick(g, sizeof(bullets) / sizeof(bullets[0]))];
			if (html)
				puts_(&b, "<ul>\n");
			for (size_t i = 0; i < n; i++) {
				puts_(&b, html ? "<li>" : bl);
				int jargon = pick(g, 5) < 3;
				sentence(g, &b, jargon ? g->jargon[pick(g, g->njargon)]
				                       : g->plain[pick(g, g->nplain)]);
				puts_(&b, html ? "</li>\n" : "\n");
			}
			puts_(&b, html ? "</ul>\n" : "\n");
		}
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.n;
	return b.p;
}
