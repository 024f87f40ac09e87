/*
 * eval.c - how well otiose names the role of real postings, judged against
 * hand labels, beside two baselines computed in the same run on the same
 * text.
 *
 * usage: eval LABELS DIR [DB]
 *   LABELS          hand labels: file, title, best, second, note (tab-separated,
 *                   a header first), as ../shared/data/dev-labels.tsv; best is a
 *                   specimen title or "none"
 *   DIR/jds/FILE    each posting's body
 *   DIR/labels.tsv  file, title, ... of every posting (the secondary figure)
 *   DB              the corpus database (default: otiose.db)
 *
 * A prediction is a hit if it is `best` or `second`.  Every method ranks
 * the specimens twice, with the posting's title and with the body alone:
 *  - otiose: otz_translate, the title given as the role's title, or none
 *    given (it then guesses one from the body, as for a pasted posting);
 *  - tfidf: cosine over lower-cased words, TF-IDF weighted over the
 *    specimens' record texts, the query the title and body (or the body);
 *  - bm25: SQLite FTS5 over the specimens (title, aliases, record text),
 *    queried with the distinct words of the title and body (or the body),
 *    OR-ed, ranked by bm25().
 * Postings labelled "none" fit no specimen: they are left out of the
 * accuracies and score the "no close specimen" decision instead (right when
 * otiose says it, for them; wrong when it says it for a labelled posting).
 *
 * EVAL_MISSES=1 lists every posting whose first specimen is not a hit;
 * EVAL_SCORES=1 prints a line per posting with the first specimen's title
 * similarity and share of the SYSTEM MATCH, with and without the title;
 * EVAL_QUICK=1 leaves out the secondary figures.
 *
 * Secondary, over every posting of DIR/labels.tsv: the old labelling, where
 * a posting's label is the specimens one of whose titles or aliases equals
 * the posting's title; and coverage (the share of sentences translated, the
 * share of sentences holding a rule's keyword that are, the share of
 * postings with a flagged metric).
 */
#include <ctype.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define MAXS 4096

typedef struct wordvec {
	char **w;
	double *x;
	size_t n;
} wordvec;

static char *slurp(const char *path, size_t *len)
{
	char *b = NULL;
	if (otz__read_file(path, &b, len, NULL))
		return NULL;
	return b;
}

/* Lower-cased ASCII words of at least two letters. */
static size_t words(const char *t, char ***out)
{
	size_t n = 0, cap = 0;
	char **v = NULL;
	for (const char *p = t; *p;) {
		if (!isalnum((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *s = p;
		while (*p && isalnum((unsigned char)*p))
			p++;
		if (p - s < 2)
			continue;
		if (OTZ_GROW(v, cap, n + 1))
			exit(3);
		v[n] = strndup(s, (size_t)(p - s));
		for (char *c = v[n]; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		n++;
	}
	*out = v;
	return n;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Term counts as a sorted, merged vector. */
static wordvec counts(const char *t)
{
	wordvec v = {0};
	char **w;
	size_t n = words(t, &w);
	if (n)
		qsort(w, n, sizeof(*w), cmpstr);
	v.w = malloc((n ? n : 1) * sizeof(char *));
	v.x = malloc((n ? n : 1) * sizeof(double));
	for (size_t i = 0; i < n; i++) {
		if (v.n && strcmp(v.w[v.n - 1], w[i]) == 0) {
			v.x[v.n - 1] += 1;
			free(w[i]);
		} else {
			v.w[v.n] = w[i];
			v.x[v.n++] = 1;
		}
	}
	free(w);
	return v;
}

static long find(const wordvec *v, const char *w)
{
	size_t lo = 0, hi = v->n;
	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		int c = strcmp(v->w[m], w);
		if (!c)
			return (long)m;
		if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return -1;
}

typedef struct ranking {
	size_t idx[3];
	size_t n;
} ranking;

static void rank_insert(ranking *r, double *best, size_t s, double x)
{
	size_t pos = r->n;
	while (pos > 0 && best[pos - 1] < x)
		pos--;
	if (pos >= 3)
		return;
	size_t last = r->n < 3 ? r->n : 2;
	memmove(r->idx + pos + 1, r->idx + pos, (last - pos) * sizeof(size_t));
	memmove(best + pos + 1, best + pos, (last - pos) * sizeof(double));
	r->idx[pos] = s;
	best[pos] = x;
	if (r->n < 3)
		r->n++;
}

typedef struct tally {
	size_t top1, top3;
} tally;

static void score_rank(tally *t, const ranking *r, const int *label)
{
	for (size_t k = 0; k < r->n; k++) {
		if (label[r->idx[k]]) {
			if (k == 0)
				t->top1++;
			t->top3++;
			return;
		}
	}
}

/*
 * A rule's keyword: of the literal runs in its patterns (letters, digits,
 * spaces, hyphens, apostrophes, at least five characters; a character made
 * optional by a quantifier is left off), the most distinctive one: the run
 * found in the fewest specimen records (as whole words), the longer on a
 * tie.  "\\bother duties as assigned\\b" -> "other duties as assigned";
 * "\\b(?:other |additional )?responsibilities as assigned\\b" ->
 * "responsibilities as assigned" rather than "additional".
 */
static size_t literal_runs(const char *pat, char runs[][64], size_t max)
{
	size_t n = 0;
	for (const char *p = pat; *p && n < max;) {
		if (*p == '\\' && p[1]) {
			p += 2;
			continue;
		}
		if (*p == '[') { /* skip a class whole */
			while (*p && *p != ']')
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (*p)
				p++;
			continue;
		}
		int lit = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == ' ' ||
		          *p == '-' || *p == '\'';
		if (!lit) {
			p++;
			continue;
		}
		const char *st = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == ' ' || *p == '-' ||
		       *p == '\'')
			p++;
		size_t l = (size_t)(p - st);
		if (*p == '?' || *p == '*' || *p == '{')
			l--; /* the last character is optional */
		while (l && st[0] == ' ') {
			st++;
			l--;
		}
		while (l && st[l - 1] == ' ')
			l--;
		if (l >= 5 && l < 64) {
			memcpy(runs[n], st, l);
			runs[n][l] = '\0';
			n++;
		}
	}
	return n;
}

/* Does `kw` occur in `s` as whole words? */
static int has_keyword(const char *s, const char *kw)
{
	size_t n = strlen(kw);
	for (const char *p = s; (p = strstr(p, kw)); p++) {
		int left = p == s || !isalnum((unsigned char)p[-1]);
		int right = !isalnum((unsigned char)p[n]);
		if (left && right)
			return 1;
	}
	return 0;
}


typedef struct method {
	const char *name;
	tally title, body;
} method;

typedef struct ctx {
	otz_engine *e;
	otz_session *s;
	wordvec *sv, df;
	sqlite3_stmt *q;
	double last_title; /* of the last otiose ranking's first specimen (EVAL_SCORES) */
	size_t unknown, violations; /* records without a known role; those borrowing anyway */
} ctx;

/* The specimen titled t, or -1. */
static long spec_by_title(const otz_engine *e, const char *t)
{
	for (size_t i = 0; i < e->nspecimens; i++)
		if (strcmp(otz_engine_specimen(e, i)->title, t) == 0)
			return (long)i;
	return -1;
}

/* otiose's top three, and whether it said "no close specimen". */
static int rank_otiose(ctx *c, const char *title, const char *body, size_t bl, ranking *r,
                       int *no_close, double *top_score)
{
	otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
	otz_record *rec = NULL;
	otz_error err;
	o.title = title;
	o.lossy = 1;
	r->n = 0;
	if (otz_translate(&rec, c->s, body, bl, &o, &err))
		return -1;
	for (size_t k = 0; k < rec->nrelated && r->n < 3; k++) {
		long i = spec_by_title(c->e, rec->related[k].title);
		if (i >= 0)
			r->idx[r->n++] = (size_t)i;
	}
	*no_close = !rec->role_known;
	*top_score = rec->nrelated ? rec->related[0].score : 0;
	c->last_title = rec->nrelated ? rec->related[0].title_score : 0;
	/* A record that does not know its role borrows nothing and prices
	 * nothing but what the posting states. */
	c->unknown += !rec->role_known;
	c->violations += !rec->role_known && (rec->via || rec->nlog || rec->ncomplaints ||
	                                     (rec->salary_fig.present && !rec->salary_fig.label));
	otz_record_free(rec);
	return 0;
}

static void rank_tfidf(ctx *c, const wordvec *qv, ranking *r)
{
	double best[3], qn = 0, *x = malloc((qv->n ? qv->n : 1) * sizeof(double));
	size_t ns = c->e->nspecimens;
	for (size_t k = 0; k < qv->n; k++) {
		long d = find(&c->df, qv->w[k]);
		x[k] = d < 0 ? 0 : (1 + log(qv->x[k])) * (log((double)(ns + 1) / (c->df.x[d] + 1)) + 1);
		qn += x[k] * x[k];
	}
	qn = sqrt(qn);
	r->n = 0;
	for (size_t i = 0; i < ns; i++) {
		double dot = 0;
		for (size_t k = 0; k < qv->n; k++) {
			long j = find(&c->sv[i], qv->w[k]);
			if (j >= 0)
				dot += x[k] * c->sv[i].x[j];
		}
		rank_insert(r, best, i, qn > 0 ? dot / qn : 0);
	}
	free(x);
}

static void rank_bm25(ctx *c, const wordvec *qv, ranking *r)
{
	otz_buf fq = OTZ_BUF_INIT;
	for (size_t k = 0; k < qv->n; k++)
		otz__buf_printf(&fq, "%s\"%s\"", fq.len ? " OR " : "", qv->w[k]);
	r->n = 0;
	sqlite3_bind_text(c->q, 1, fq.ptr ? fq.ptr : "\"\"", -1, SQLITE_TRANSIENT);
	while (sqlite3_step(c->q) == SQLITE_ROW && r->n < 3)
		r->idx[r->n++] = (size_t)sqlite3_column_int64(c->q, 0);
	sqlite3_reset(c->q);
	otz_buf_dispose(&fq);
}

static void wordvec_free(wordvec *v)
{
	for (size_t k = 0; k < v->n; k++)
		free(v->w[k]);
	free(v->w);
	free(v->x);
}

/* The baselines' rankings of title + body and of the body alone. */
static void rank_baselines(ctx *c, const char *title, const char *body, ranking *tt,
                           ranking *tb, ranking *bt, ranking *bb)
{
	size_t ql = strlen(title) + strlen(body) + 2;
	char *query = malloc(ql);
	snprintf(query, ql, "%s\n%s", title, body);
	wordvec with = counts(query), without = counts(body);
	rank_tfidf(c, &with, tt);
	rank_tfidf(c, &without, tb);
	rank_bm25(c, &with, bt);
	rank_bm25(c, &without, bb);
	wordvec_free(&with);
	wordvec_free(&without);
	free(query);
}

static void split_tabs(char *line, char **f, size_t nf)
{
	for (size_t k = 0; k < nf; k++) {
		f[k] = line;
		char *t = line ? strchr(line, '\t') : NULL;
		if (t)
			*t = '\0';
		line = t ? t + 1 : NULL;
	}
}

static void print_row(const char *name, const tally *t, size_t n)
{
	printf("| %s | %.1f%% (%zu) | %.1f%% (%zu) |", name, n ? 100.0 * t->top1 / n : 0, t->top1,
	       n ? 100.0 * t->top3 / n : 0, t->top3);
}


/* The old labelling (title equals an alias) and coverage, over every
 * posting of DIR/labels.tsv. */
static int secondary(ctx *c, const char *dir)
{
	otz_engine *e = c->e;
	const otz_ruleset *rs = e->rules;
	size_t ns = e->nspecimens;
	/* Rule keywords, for coverage: each rule's most distinctive literal,
	 * judged by how many specimen records contain it. */
	char (*kw)[64] = calloc(rs->nrules + 1, 64);
	size_t nkw = 0;
	size_t *kwmiss = calloc(rs->nrules + 1, sizeof(size_t));
	char **lower = calloc(ns, sizeof(char *));
	for (size_t i = 0; i < ns; i++) {
		lower[i] = strdup(otz_engine_specimen_text(e, i));
		for (char *p = lower[i]; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	for (size_t r = 0; r < rs->nrules; r++) {
		char runs[64][64];
		size_t nr = 0, best_df = SIZE_MAX;
		kw[nkw][0] = '\0';
		for (size_t p = 0; p < rs->rules[r].npatterns && nr < 64; p++)
			nr += literal_runs(otz__pattern_src(rs, &rs->rules[r].patterns[p]), runs + nr,
			                   64 - nr);
		for (size_t k = 0; k < nr; k++) {
			size_t found = 0;
			for (size_t i = 0; i < ns; i++)
				found += has_keyword(lower[i], runs[k]);
			if (found < best_df || (found == best_df && strlen(runs[k]) > strlen(kw[nkw]))) {
				best_df = found;
				strcpy(kw[nkw], runs[k]);
			}
		}
		int dup = 0;
		for (size_t k = 0; k < nkw && !dup; k++)
			dup = strcmp(kw[k], kw[nkw]) == 0;
		if (kw[nkw][0] && !dup)
			nkw++;
	}
	for (size_t i = 0; i < ns; i++)
		free(lower[i]);
	free(lower);

	char path[4096];
	snprintf(path, sizeof(path), "%s/labels.tsv", dir);
	size_t ll;
	char *labels = slurp(path, &ll);
	if (!labels) {
		fprintf(stderr, "eval: cannot read %s\n", path);
		return 1;
	}
	tally alias = {0};
	size_t mapped = 0, postings = 0, segs = 0, translated = 0, kwsegs = 0, kwtrans = 0,
	       with_metric = 0;
	int *label = calloc(ns, sizeof(int));
	char *save = NULL, *line = strtok_r(labels, "\n", &save);
	for (line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[2];
		split_tabs(line, f, 2);
		if (!f[1])
			continue;
		snprintf(path, sizeof(path), "%s/jds/%s", dir, f[0]);
		size_t bl;
		char *body = slurp(path, &bl);
		if (!body)
			continue;
		postings++;
		char *nt = otz__title_norm(f[1]);
		int any = 0;
		memset(label, 0, ns * sizeof(int));
		for (size_t i = 0; i < ns && nt; i++) {
			const otz_record *sp = otz_engine_specimen(e, i);
			for (size_t k = 0; k <= sp->naliases && !label[i]; k++) {
				char *ak = otz__title_norm(k ? sp->aliases[k - 1] : sp->title);
				label[i] = ak && strcmp(nt, ak) == 0;
				free(ak);
			}
			any |= label[i];
		}
		free(nt);
		ranking r;
		int nc;
		double sc;
		if (rank_otiose(c, f[1], body, bl, &r, &nc, &sc) == 0 && any) {
			mapped++;
			score_rank(&alias, &r, label);
		}
		otz_analysis an;
		otz_error err;
		if (otz__analyze(c->s, &an, body, bl, 1, &err) == 0) {
			otz_record *rec = NULL;
			otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
			o.title = f[1];
			o.lossy = 1;
			if (otz_translate(&rec, c->s, body, bl, &o, &err) == 0)
				with_metric += rec->nmetrics > 0;
			otz_record_free(rec);
			for (size_t g = 0; g < an.nsegs; g++) {
				int tr = otz__best_hit(rs, &an, g) >= 0;
				segs++;
				translated += tr;
				char *seg = strndup(an.text.s + an.segs[g].start, an.segs[g].end - an.segs[g].start);
				int has = 0;
				for (size_t k = 0; k < nkw; k++) {
					if (!has_keyword(seg, kw[k]))
						continue;
					has = 1;
					kwmiss[k] += !tr;
				}
				free(seg);
				kwsegs += has;
				kwtrans += has && tr;
			}
			otz__analysis_dispose(&an);
		}
		free(body);
	}
	free(labels);
	printf("\nsecondary, over all %zu postings of %s/labels.tsv: the title equals an alias of "
	       "%zu; of those, otiose with the title names that specimen first in %.1f%%, in its "
	       "first three in %.1f%% (this follows from the title and measures little)\n",
	       postings, dir, mapped, mapped ? 100.0 * alias.top1 / mapped : 0,
	       mapped ? 100.0 * alias.top3 / mapped : 0);
	printf("coverage: %.1f%% of %zu sentences get a translation; %.1f%% of the %zu sentences "
	       "containing a rule keyword do; %.1f%% of postings have a flagged metric\n",
	       segs ? 100.0 * translated / segs : 0, segs, kwsegs ? 100.0 * kwtrans / kwsegs : 0,
	       kwsegs, postings ? 100.0 * with_metric / postings : 0);
	printf("keywords most often in untranslated sentences:");
	for (int shown = 0; shown < 15; shown++) {
		size_t best = SIZE_MAX;
		for (size_t k = 0; k < nkw; k++)
			if (kwmiss[k] && (best == SIZE_MAX || kwmiss[k] > kwmiss[best]))
				best = k;
		if (best == SIZE_MAX)
			break;
		printf("%s '%s' %zu", shown ? "," : "", kw[best], kwmiss[best]);
		kwmiss[best] = 0;
	}
	printf("\n");
	free(kw);
	free(kwmiss);
	free(label);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: eval LABELS DIR [DB]\n");
		return 2;
	}
	const char *labels_path = argv[1], *dir = argv[2], *dbp = argc > 3 ? argv[3] : "otiose.db";
	ctx c = {0};
	otz_error err;
	if (otz_engine_load(&c.e, dbp, &err) || otz_session_new(&c.s, c.e)) {
		fprintf(stderr, "eval: %s\n", err.msg);
		return 1;
	}
	otz_engine *e = c.e;
	size_t ns = e->nspecimens;
	if (ns > MAXS)
		return 3;

	/* Baseline 1: TF-IDF over words of the specimens' record texts. */
	c.sv = calloc(ns, sizeof(*c.sv));
	{
		char *all = NULL;
		size_t al = 0;
		for (size_t i = 0; i < ns; i++) {
			c.sv[i] = counts(otz_engine_specimen_text(e, i));
			size_t need = al;
			for (size_t k = 0; k < c.sv[i].n; k++)
				need += strlen(c.sv[i].w[k]) + 1;
			all = realloc(all, need + 1);
			for (size_t k = 0; k < c.sv[i].n; k++) {
				size_t l = strlen(c.sv[i].w[k]);
				memcpy(all + al, c.sv[i].w[k], l);
				all[al + l] = ' ';
				al += l + 1;
			}
			all[al] = '\0';
		}
		c.df = counts(all); /* document frequency: each word once per specimen */
		free(all);
		for (size_t i = 0; i < ns; i++) {
			double norm = 0;
			for (size_t k = 0; k < c.sv[i].n; k++) {
				long d = find(&c.df, c.sv[i].w[k]);
				double idf = log((double)(ns + 1) / (c.df.x[d] + 1)) + 1;
				c.sv[i].x[k] = (1 + log(c.sv[i].x[k])) * idf;
				norm += c.sv[i].x[k] * c.sv[i].x[k];
			}
			norm = sqrt(norm);
			for (size_t k = 0; k < c.sv[i].n; k++)
				c.sv[i].x[k] /= norm;
		}
	}

	/* Baseline 2: SQLite FTS5 with bm25. */
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	if (sqlite3_open(":memory:", &db) ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE s USING fts5(title, aliases, body)", NULL, NULL,
	                 NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO s(rowid, title, aliases, body) VALUES(?,?,?,?)", -1,
	                       &ins, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT rowid FROM s WHERE s MATCH ? ORDER BY bm25(s) LIMIT 3", -1,
	                       &c.q, NULL)) {
		fprintf(stderr, "eval: fts5: %s\n", sqlite3_errmsg(db));
		return 3;
	}
	for (size_t i = 0; i < ns; i++) {
		otz_buf al = OTZ_BUF_INIT;
		for (size_t k = 0; k < otz_engine_specimen(e, i)->naliases; k++)
			otz__buf_printf(&al, "%s; ", otz_engine_specimen(e, i)->aliases[k]);
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)i);
		sqlite3_bind_text(ins, 2, otz_engine_specimen(e, i)->title, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 3, al.ptr ? al.ptr : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 4, otz_engine_specimen_text(e, i), -1, SQLITE_TRANSIENT);
		sqlite3_step(ins);
		sqlite3_reset(ins);
		otz_buf_dispose(&al);
	}
	sqlite3_finalize(ins);

	/* ---- the hand labels ---- */
	size_t ll;
	char path[4096], *labels = slurp(labels_path, &ll);
	if (!labels) {
		fprintf(stderr, "eval: cannot read %s\n", labels_path);
		return 1;
	}
	method m[3] = {{"otiose", {0}, {0}}, {"TF-IDF cosine", {0}, {0}},
	               {"SQLite FTS5 bm25", {0}, {0}}};
	size_t labelled = 0, none = 0, none_said = 0, wrong_said = 0, missing = 0, failed = 0;
	int *label = calloc(ns, sizeof(int));
	char *save = NULL;
	char *line = strtok_r(labels, "\n", &save);
	for (line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4];
		split_tabs(line, f, 4);
		if (!f[1] || !f[2])
			continue;
		snprintf(path, sizeof(path), "%s/jds/%s", dir, f[0]);
		size_t bl;
		char *body = slurp(path, &bl);
		if (!body) {
			failed++;
			continue;
		}
		int is_none = strcmp(f[2], "none") == 0;
		memset(label, 0, ns * sizeof(int));
		for (int k = 2; k < 4 && !is_none; k++) {
			if (!f[k] || !*f[k])
				continue;
			long i = spec_by_title(e, f[k]);
			if (i < 0) {
				fprintf(stderr, "eval: %s: no specimen titled '%s'\n", f[0], f[k]);
				missing++;
			} else {
				label[i] = 1;
			}
		}
		ranking ot, ob, tt, tb, bt, bb;
		int nc_t, nc_b;
		double sc_t, sc_b, ti_t, ti_b;
		if (rank_otiose(&c, f[1], body, bl, &ot, &nc_t, &sc_t)) {
			failed++;
			free(body);
			continue;
		}
		ti_t = c.last_title;
		if (rank_otiose(&c, NULL, body, bl, &ob, &nc_b, &sc_b)) {
			failed++;
			free(body);
			continue;
		}
		ti_b = c.last_title;
		if (getenv("EVAL_SCORES"))
			printf("row %s %s hit-with-title %d hit-body %d title %.2f p %.3f title %.2f p "
			       "%.3f\n",
			       f[0], is_none ? "none" : "label", !is_none && ot.n && label[ot.idx[0]],
			       !is_none && ob.n && label[ob.idx[0]], ti_t, sc_t, ti_b, sc_b);
		rank_baselines(&c, f[1], body, &tt, &tb, &bt, &bb);
		if (is_none) {
			none++;
			none_said += nc_t;
		} else {
			labelled++;
			wrong_said += nc_t;
			score_rank(&m[0].title, &ot, label);
			score_rank(&m[0].body, &ob, label);
			score_rank(&m[1].title, &tt, label);
			score_rank(&m[1].body, &tb, label);
			score_rank(&m[2].title, &bt, label);
			score_rank(&m[2].body, &bb, label);
			if (getenv("EVAL_MISSES") && ot.n && !label[ot.idx[0]])
				printf("miss(title) %s [%s] -> %s (%.0f%%)\n", f[0], f[1],
				       otz_engine_specimen(e, ot.idx[0])->title, sc_t * 100);
			if (getenv("EVAL_MISSES") && ob.n && !label[ob.idx[0]])
				printf("miss(body) %s [%s] -> %s (%.0f%%)\n", f[0], f[1],
				       otz_engine_specimen(e, ob.idx[0])->title, sc_b * 100);
		}
		free(body);
	}
	free(labels);
	printf("hand labels: %zu postings with a specimen, %zu labelled none; %zu unreadable or "
	       "failed; %zu label titles unknown\n",
	       labelled, none, failed, missing);
	printf("specimens %zu, rules %zu, patterns %zu\n", ns, e->rules->nrules,
	       otz_ruleset_pattern_count(e->rules));
	printf("\n| method | title + body: top-1 | top-3 | body only: top-1 | top-3 |\n"
	       "|---|---|---|---|---|\n");
	for (int k = 0; k < 3; k++) {
		print_row(m[k].name, &m[k].title, labelled);
		tally *b = &m[k].body;
		printf(" %.1f%% (%zu) | %.1f%% (%zu) |\n", labelled ? 100.0 * b->top1 / labelled : 0,
		       b->top1, labelled ? 100.0 * b->top3 / labelled : 0, b->top3);
	}
	printf("\n\"no close specimen\" (with the title): said for %zu of %zu postings labelled none; "
	       "said wrongly for %zu of %zu with a specimen\n",
	       none_said, none, wrong_said, labelled);
	printf("of the %zu records (with and without the title) that said it, %zu borrowed a "
	       "section or gave a market average anyway\n",
	       c.unknown, c.violations);
	return getenv("EVAL_QUICK") ? 0 : secondary(&c, dir);
}
