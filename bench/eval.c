/*
 * eval.c - how well otiose names the role of real postings, beside two
 * baselines computed in the same run on the same text.
 *
 * usage: eval DIR [DB]
 *   DIR/labels.tsv  file <TAB> title <TAB> ... (a header line first)
 *   DIR/jds/FILE    the posting's body
 *   DB              the corpus database (default: otiose.db)
 *
 * A posting's label is the set of specimens whose title or one of whose
 * aliases equals the posting's title once both are normalized the way the
 * scorer normalizes titles (seniority words, grades and qualifiers
 * dropped).  Postings whose title maps to no specimen are counted apart.
 *
 * Each method gets the title and the body:
 *  - otiose: otz_translate with the title as the role's title;
 *  - tfidf: cosine over lower-cased words, TF-IDF weighted over specimens'
 *    record texts, query = title + body;
 *  - bm25: SQLite FTS5 over the specimens (title, aliases, record text),
 *    query = the distinct words of title + body, OR-ed, ranked by bm25().
 * Coverage: the share of sentences that get a translation, the share of
 * sentences containing a rule's keyword (the longest literal word of one
 * of its patterns) that get one, and the share of postings with a flagged
 * metric.
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

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: eval DIR [DB]\n");
		return 2;
	}
	const char *dir = argv[1], *dbp = argc > 2 ? argv[2] : "otiose.db";
	otz_engine *e = NULL;
	otz_session *s = NULL;
	otz_error err;
	if (otz_engine_load(&e, dbp, &err) || otz_session_new(&s, e)) {
		fprintf(stderr, "eval: %s\n", err.msg);
		return 1;
	}
	size_t ns = e->nspecimens;
	if (ns > MAXS)
		return 3;

	/* Baseline 1: TF-IDF over words of the specimens' record texts. */
	wordvec *sv = calloc(ns, sizeof(*sv));
	wordvec df = {0};
	{
		char *all = NULL;
		size_t al = 0;
		for (size_t i = 0; i < ns; i++) {
			sv[i] = counts(e->spec_texts[i]);
			size_t need = al;
			for (size_t k = 0; k < sv[i].n; k++)
				need += strlen(sv[i].w[k]) + 1;
			all = realloc(all, need + 1);
			for (size_t k = 0; k < sv[i].n; k++) {
				size_t l = strlen(sv[i].w[k]);
				memcpy(all + al, sv[i].w[k], l);
				all[al + l] = ' ';
				al += l + 1;
			}
			all[al] = '\0';
		}
		df = counts(all); /* document frequency: each word once per specimen */
		free(all);
		for (size_t i = 0; i < ns; i++) {
			double norm = 0;
			for (size_t k = 0; k < sv[i].n; k++) {
				long d = find(&df, sv[i].w[k]);
				double idf = log((double)(ns + 1) / (df.x[d] + 1)) + 1;
				sv[i].x[k] = (1 + log(sv[i].x[k])) * idf;
				norm += sv[i].x[k] * sv[i].x[k];
			}
			norm = sqrt(norm);
			for (size_t k = 0; k < sv[i].n; k++)
				sv[i].x[k] /= norm;
		}
	}

	/* Baseline 2: SQLite FTS5 with bm25. */
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL, *q = NULL;
	if (sqlite3_open(":memory:", &db) ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE s USING fts5(title, aliases, body)", NULL, NULL,
	                 NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO s(rowid, title, aliases, body) VALUES(?,?,?,?)", -1,
	                       &ins, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT rowid FROM s WHERE s MATCH ? ORDER BY bm25(s) LIMIT 3", -1,
	                       &q, NULL)) {
		fprintf(stderr, "eval: fts5: %s\n", sqlite3_errmsg(db));
		return 3;
	}
	for (size_t i = 0; i < ns; i++) {
		otz_buf al = OTZ_BUF_INIT;
		for (size_t k = 0; k < e->specimens[i]->naliases; k++)
			otz__buf_printf(&al, "%s; ", e->specimens[i]->aliases[k]);
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)i);
		sqlite3_bind_text(ins, 2, e->specimens[i]->title, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 3, al.ptr ? al.ptr : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 4, e->spec_texts[i], -1, SQLITE_TRANSIENT);
		sqlite3_step(ins);
		sqlite3_reset(ins);
		otz_buf_dispose(&al);
	}

	/* Rule keywords, for coverage: each rule's most distinctive literal,
	 * judged by how many specimen records contain it. */
	const otz_ruleset *rs = e->rules;
	char (*kw)[64] = calloc(rs->nrules + 1, 64);
	size_t nkw = 0;
	size_t *kwmiss = calloc(rs->nrules + 1, sizeof(size_t));
	char **lower = calloc(ns, sizeof(char *));
	for (size_t i = 0; i < ns; i++) {
		lower[i] = strdup(e->spec_texts[i]);
		for (char *c = lower[i]; *c; c++)
			*c = (char)tolower((unsigned char)*c);
	}
	for (size_t r = 0; r < rs->nrules; r++) {
		char runs[64][64];
		size_t nr = 0, best_df = SIZE_MAX;
		kw[nkw][0] = '\0';
		for (size_t p = 0; p < rs->rules[r].npatterns && nr < 64; p++)
			nr += literal_runs(rs->rules[r].patterns[p].src, runs + nr, 64 - nr);
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
	tally to = {0}, tn = {0}, tt = {0}, tb = {0};
	size_t mapped = 0, unmapped = 0, postings = 0, segs = 0, translated = 0, kwsegs = 0,
	       kwtrans = 0, with_metric = 0, failed = 0;
	int *label = calloc(ns, sizeof(int));
	struct timespec t0, t1;
	double otiose_ms = 0;
	char *line = strtok(labels, "\n");
	line = strtok(NULL, "\n"); /* skip the header */
	for (; line; line = strtok(NULL, "\n")) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		char *title = tab + 1, *t2 = strchr(title, '\t');
		if (t2)
			*t2 = '\0';
		snprintf(path, sizeof(path), "%s/jds/%s", dir, line);
		size_t bl;
		char *body = slurp(path, &bl);
		if (!body) {
			failed++;
			continue;
		}
		postings++;
		char *nt = otz__title_norm(title);
		int any = 0;
		for (size_t i = 0; i < ns; i++) {
			label[i] = 0;
			for (size_t k = 0; k < e->ntkeys[i]; k++)
				if (strcmp(nt, e->tkeys[i][k]) == 0)
					label[i] = 1;
			any |= label[i];
		}
		free(nt);
		if (any)
			mapped++;
		else
			unmapped++;

		/* otiose */
		otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
		o.title = title;
		o.lossy = 1;
		otz_record *rec = NULL;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = otz_translate(&rec, s, body, bl, &o, &err);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		otiose_ms += (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (rc) {
			failed++;
			free(body);
			continue;
		}
		ranking ro = {{0}, 0};
		for (size_t k = 0; k < rec->nrelated && k < 3; k++)
			for (size_t i = 0; i < ns; i++)
				if (strcmp(rec->related[k].title, e->specimens[i]->title) == 0) {
					ro.idx[ro.n++] = i;
					break;
				}
		with_metric += rec->nmetrics > 0;
		otz_record_free(rec);

		/* otiose on the body alone, and coverage */
		otz_analysis an;
		ranking rn = {{0}, 0};
		if (otz__analyze(s, &an, body, bl, 1, &err) == 0) {
			otz_feat *f = NULL;
			size_t nf = 0;
			otz_scored top[3];
			if (otz__features(rs, &an, &f, &nf) == 0 &&
			    otz__score(s, f, nf, NULL, top, 3, &rn.n) == 0)
				for (size_t k = 0; k < rn.n; k++)
					rn.idx[k] = top[k].spec;
			otz__feats_free(f, nf);
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

		/* tfidf */
		size_t ql = strlen(title) + bl + 2;
		char *query = malloc(ql);
		snprintf(query, ql, "%s\n%s", title, body);
		wordvec qv = counts(query);
		double qn = 0;
		for (size_t k = 0; k < qv.n; k++) {
			long d = find(&df, qv.w[k]);
			qv.x[k] = d < 0 ? 0 : (1 + log(qv.x[k])) * (log((double)(ns + 1) / (df.x[d] + 1)) + 1);
			qn += qv.x[k] * qv.x[k];
		}
		qn = sqrt(qn);
		ranking rt = {{0}, 0};
		double best[3];
		for (size_t i = 0; i < ns; i++) {
			double dot = 0;
			for (size_t k = 0; k < qv.n; k++) {
				long j = find(&sv[i], qv.w[k]);
				if (j >= 0)
					dot += qv.x[k] * sv[i].x[j];
			}
			rank_insert(&rt, best, i, qn > 0 ? dot / qn : 0);
		}

		/* bm25: distinct words, OR-ed, quoted */
		otz_buf fq = OTZ_BUF_INIT;
		for (size_t k = 0; k < qv.n; k++)
			otz__buf_printf(&fq, "%s\"%s\"", fq.len ? " OR " : "", qv.w[k]);
		ranking rb = {{0}, 0};
		sqlite3_bind_text(q, 1, fq.ptr ? fq.ptr : "\"\"", -1, SQLITE_TRANSIENT);
		while (sqlite3_step(q) == SQLITE_ROW && rb.n < 3)
			rb.idx[rb.n++] = (size_t)sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		otz_buf_dispose(&fq);
		for (size_t k = 0; k < qv.n; k++)
			free(qv.w[k]);
		free(qv.w);
		free(qv.x);
		free(query);

		if (any) {
			score_rank(&to, &ro, label);
			score_rank(&tn, &rn, label);
			score_rank(&tt, &rt, label);
			score_rank(&tb, &rb, label);
		}
		free(body);
	}
	printf("postings %zu (unreadable or failed %zu); title maps to a specimen: %zu, to none: %zu\n",
	       postings, failed, mapped, unmapped);
	printf("specimens %zu, rules %zu, patterns %zu\n", ns, rs->nrules,
	       otz_ruleset_pattern_count(rs));
	printf("\n| method | top-1 | top-3 |\n|---|---|---|\n");
	const char *names[4] = {"otiose (title + body)", "otiose (body only, title withheld)",
	                        "TF-IDF cosine (words of title + body)",
	                        "SQLite FTS5 bm25 (words of title + body)"};
	tally *ts[4] = {&to, &tn, &tt, &tb};
	for (int m = 0; m < 4; m++)
		printf("| %s | %.1f%% (%zu/%zu) | %.1f%% (%zu/%zu) |\n", names[m],
		       mapped ? 100.0 * ts[m]->top1 / mapped : 0, ts[m]->top1, mapped,
		       mapped ? 100.0 * ts[m]->top3 / mapped : 0, ts[m]->top3, mapped);
	printf("\ncoverage: %.1f%% of %zu sentences get a translation; %.1f%% of the %zu sentences "
	       "containing a rule keyword do; %.1f%% of postings have a flagged metric\n",
	       segs ? 100.0 * translated / segs : 0, segs, kwsegs ? 100.0 * kwtrans / kwsegs : 0,
	       kwsegs, postings ? 100.0 * with_metric / postings : 0);
	/* The keywords that most often stand in untranslated sentences: where
	 * patterns are too narrow, or keywords too plain. */
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
	printf("otiose translate time: %.1f ms for %zu postings (%.2f ms each)\n", otiose_ms,
	       postings, postings ? otiose_ms / postings : 0);
	return 0;
}
