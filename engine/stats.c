/*
 * stats.c - many JDs in, what the rule corpus does and misses on them out.
 *
 * An otz_stats accumulates, over the texts added to it: how often each rule
 * fires (hits, and texts with a hit), how many sentences there were and how
 * many got a translation, and the untranslated sentences that look like
 * jargon: long (at least JARGON_MIN_WORDS words), abstract (a large share
 * of words with the suffixes of abstract nouns and adjectives: -tion,
 * -ment, -ity, -ness, -ance, -ence, -ship, -ive, -ize...), and with no
 * concrete anchor (no digit, no tool or product name written with a
 * capital inside the sentence, no "c++"-style token).  Those are the
 * sentences a corpus writer should write rules for next.
 *
 * The accumulator belongs to the caller (otz_stats_free) and is not shared
 * between threads; it reads the engine through a session.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define JARGON_MIN_WORDS 12
#define JARGON_MIN_ABSTRACT 0.22
#define JARGON_KEEP 4096

typedef struct jline {
	char *norm;  /* the normalized sentence: the key */
	char *text;  /* as written */
	size_t count;
	double abstract;
} jline;

struct otz_stats {
	const otz_engine *e;
	size_t *hits, *docs;
	size_t *seen; /* per rule: the number of the last text it was counted in */
	size_t texts, sentences, translated;
	jline *j;
	size_t nj, capj;
	size_t dropped; /* candidates beyond JARGON_KEEP */
	otz_arena *arena;
};

int otz_stats_new(otz_stats **out, const otz_engine *e)
{
	otz_stats *st = calloc(1, sizeof(*st));
	if (!st)
		return OTZ_ENOMEM;
	size_t n = e->rules->nrules ? e->rules->nrules : 1;
	st->e = e;
	st->hits = calloc(n, sizeof(size_t));
	st->docs = calloc(n, sizeof(size_t));
	st->seen = calloc(n, sizeof(size_t));
	st->arena = otz__arena_new();
	if (!st->hits || !st->docs || !st->seen || !st->arena) {
		otz_stats_free(st);
		return OTZ_ENOMEM;
	}
	*out = st;
	return 0;
}

void otz_stats_free(otz_stats *st)
{
	if (!st)
		return;
	free(st->hits);
	free(st->docs);
	free(st->seen);
	free(st->j);
	otz__arena_free(st->arena);
	free(st);
}

static const char *const abstract_suffixes[] = {
	"tion", "sion", "ment", "ity", "ness", "ance", "ence", "ship", "ive", "ize", "ise",
	"ized", "izing", "ility", "ical", "ally", "ing", NULL};

static int abstract_word(const char *w, size_t n)
{
	if (n < 6)
		return 0;
	for (size_t i = 0; abstract_suffixes[i]; i++) {
		size_t l = strlen(abstract_suffixes[i]);
		if (n > l + 2 && memcmp(w + n - l, abstract_suffixes[i], l) == 0)
			return 1;
	}
	return 0;
}

/* Share of abstract words, or -1 if the sentence is short or concrete. */
static double jargon_score(const char *norm, size_t n, const char *orig)
{
	size_t words = 0, abstract = 0;
	for (size_t i = 0; i < n;) {
		while (i < n && norm[i] == ' ')
			i++;
		size_t s = i;
		while (i < n && norm[i] != ' ')
			i++;
		if (i == s)
			continue;
		words++;
		size_t e = i;
		while (e > s && !isalnum((unsigned char)norm[e - 1]))
			e--;
		for (size_t k = s; k < e; k++)
			if (isdigit((unsigned char)norm[k]) || norm[k] == '+' || norm[k] == '#')
				return -1; /* numbers, versions, c++, c# */
		abstract += abstract_word(norm + s, e - s);
	}
	if (words < JARGON_MIN_WORDS)
		return -1;
	/* A capital inside the sentence is a name: a tool, a product, a place. */
	for (const char *p = orig; *p; p++)
		if (p > orig && isupper((unsigned char)*p) && p[-1] == ' ' && p[1] &&
		    !(p[-2] == '.' || p[-2] == ':'))
			return -1;
	double share = (double)abstract / (double)words;
	return share >= JARGON_MIN_ABSTRACT ? share : -1;
}

static int add_jargon(otz_stats *st, const char *norm, size_t n, const char *text, double sc)
{
	for (size_t i = 0; i < st->nj; i++)
		if (strlen(st->j[i].norm) == n && memcmp(st->j[i].norm, norm, n) == 0) {
			st->j[i].count++;
			return 0;
		}
	if (st->nj >= JARGON_KEEP) {
		st->dropped++;
		return 0;
	}
	if (OTZ_GROW(st->j, st->capj, st->nj + 1))
		return OTZ_ENOMEM;
	jline *l = &st->j[st->nj];
	l->norm = otz__arena_strndup(st->arena, norm, n);
	l->text = otz__arena_strdup(st->arena, text);
	if (!l->norm || !l->text)
		return OTZ_ENOMEM;
	l->count = 1;
	l->abstract = sc;
	st->nj++;
	return 0;
}

int otz_stats_add(otz_stats *st, otz_session *s, const char *text, size_t len,
                  otz_error *err)
{
	otz_analysis an;
	int rc;
	if ((rc = otz__analyze(s, &an, text, len, 1, err)))
		return rc;
	const otz_ruleset *rs = st->e->rules;
	st->texts++;
	/* A rule counts once per text in docs; texts are numbered from 1. */
	for (size_t i = 0; i < an.nhits; i++) {
		size_t r = an.hits[i].rule;
		st->hits[r]++;
		if (st->seen[r] != st->texts) {
			st->seen[r] = st->texts;
			st->docs[r]++;
		}
	}
	for (size_t g = 0; g < an.nsegs && !rc; g++) {
		st->sentences++;
		if (otz__best_hit(rs, &an, g) >= 0) {
			st->translated++;
			continue;
		}
		const char *norm = an.text.s + an.segs[g].start;
		size_t n = an.segs[g].end - an.segs[g].start;
		otz_span sp = otz__src_span(&an.text, an.segs[g].start, an.segs[g].end);
		otz_arena *tmp = otz__arena_new();
		char *orig = tmp ? otz__display(tmp, text, sp.start, sp.end) : NULL;
		if (!orig) {
			otz__arena_free(tmp);
			rc = OTZ_ENOMEM;
			break;
		}
		double sc = jargon_score(norm, n, orig);
		if (sc >= 0)
			rc = add_jargon(st, norm, n, orig, sc);
		otz__arena_free(tmp);
	}
	otz__analysis_dispose(&an);
	if (rc)
		return otz__fail(err, rc, "out of memory while counting");
	return 0;
}

void otz_stats_totals(const otz_stats *st, size_t *texts, size_t *sentences,
                      size_t *translated)
{
	*texts = st->texts;
	*sentences = st->sentences;
	*translated = st->translated;
}

size_t otz_stats_rule(const otz_stats *st, size_t rule, size_t *docs)
{
	if (rule >= st->e->rules->nrules) {
		*docs = 0;
		return 0;
	}
	*docs = st->docs[rule];
	return st->hits[rule];
}

static int cmp_j(const void *a, const void *b)
{
	const jline *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->abstract != y->abstract)
		return x->abstract < y->abstract ? 1 : -1;
	return strcmp(x->norm, y->norm);
}

size_t otz_stats_jargon(otz_stats *st, size_t i, const char **text, size_t *count)
{
	if (i == 0 && st->nj)
		qsort(st->j, st->nj, sizeof(*st->j), cmp_j);
	if (i >= st->nj)
		return 0;
	*text = st->j[i].text;
	*count = st->j[i].count;
	return st->nj;
}
