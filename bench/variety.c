/*
 * variety.c - does a batch of records read varied, and does each say
 * nothing twice?  The figures of issue 12, on postings drawn at random,
 * with samples to judge by reading.
 *
 * usage: variety [-n N] [-s SEED] [-p PAIRS] [-u UNTRANSLATED] DIR DB OUT
 *   DIR/labels.tsv  file, title, ... of every posting (a header first)
 *   DIR/jds/FILE    each posting's body
 *   DB              the corpus database
 *   OUT             a folder for the samples: records/FILE.txt (each record,
 *                   with its rules shown), pairs.tsv (PAIRS sentence and
 *                   translation pairs of [08], drawn at random; a
 *                   boilerplate group is one pair, its first sentence) and
 *                   untranslated.tsv (UNTRANSLATED sentences of five words
 *                   or more that no translation covers, drawn at random),
 *                   each with an empty column for a judgement
 *
 * N postings (default 40) are drawn with a xorshift generator seeded with
 * SEED (default 12), each translated with its title.  A record's
 * translation texts are its [08] translations, its red flags' and metrics'
 * texts and its weaponry's descriptions.  Printed: how many records say a
 * text twice; the texts found in more than 15 % of the records; the share
 * of translation lines found in no other record of the draw.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

typedef struct line {
	char *text;
	size_t rec;
} line;

static uint64_t rng;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void die(const char *what)
{
	fprintf(stderr, "variety: %s\n", what);
	exit(2);
}

static char *tsv_field(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	return s;
}

static int cmp_line(const void *a, const void *b)
{
	const line *x = a, *y = b;
	int c = strcmp(x->text, y->text);
	return c ? c : (x->rec > y->rec) - (x->rec < y->rec);
}

int main(int argc, char **argv)
{
	size_t want = 40, npairs = 150, nuntr = 60;
	rng = 12;
	int a = 1;
	for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
		unsigned long long v = strtoull(argv[a + 1], NULL, 10);
		switch (argv[a][1]) {
		case 'n': want = v; break;
		case 's': rng = v ? v : 1; break;
		case 'p': npairs = v; break;
		case 'u': nuntr = v; break;
		default: die("unknown option");
		}
	}
	if (argc - a != 3)
		die("usage: variety [-n N] [-s SEED] [-p PAIRS] [-u UNTRANSLATED] DIR DB OUT");
	const char *dir = argv[a], *dbp = argv[a + 1], *out = argv[a + 2];
	uint64_t seed = rng;

	/* The postings and their titles. */
	char path[4096];
	snprintf(path, sizeof(path), "%s/labels.tsv", dir);
	FILE *lf = fopen(path, "r");
	if (!lf)
		die("cannot read DIR/labels.tsv");
	char **files = NULL, **titles = NULL, *buf = NULL;
	size_t nf = 0, cap = 0, bn = 0;
	for (int first = 1; getline(&buf, &bn, lf) > 0; first = 0) {
		if (first)
			continue;
		char *tab = strchr(buf, '\t');
		if (!tab)
			continue;
		*tab = 0;
		char *t = tab + 1, *e = strchr(t, '\t');
		if (e)
			*e = 0;
		t[strcspn(t, "\r\n")] = 0;
		if (OTZ_GROW(files, cap, nf + 1) || !(titles = realloc(titles, cap * sizeof(*titles))))
			die("out of memory");
		files[nf] = strdup(buf);
		titles[nf++] = strdup(t);
	}
	fclose(lf);
	free(buf);
	if (nf < want)
		want = nf;
	/* A partial Fisher-Yates: the first `want` are the draw. */
	for (size_t i = 0; i < want; i++) {
		size_t j = i + (size_t)(next() % (nf - i));
		char *f = files[i], *t = titles[i];
		files[i] = files[j], titles[i] = titles[j];
		files[j] = f, titles[j] = t;
	}

	otz_engine *e = NULL;
	otz_session *s = NULL;
	otz_error err = {0, ""};
	if (otz_engine_load(&e, dbp, &err) || otz_session_new(&s, e))
		die(err.msg[0] ? err.msg : "cannot open the database");
	snprintf(path, sizeof(path), "%s/records", out);
	if ((mkdir(out, 0755) && errno != EEXIST) || (mkdir(path, 0755) && errno != EEXIST))
		die("cannot make OUT");

	line *lines = NULL, *pairs = NULL, *untr = NULL;
	size_t nl = 0, capl = 0, np = 0, capp = 0, nu = 0, capu = 0, twice = 0;
	char **pair_src = NULL, **untr_src = NULL;
	for (size_t i = 0; i < want; i++) {
		snprintf(path, sizeof(path), "%s/jds/%s", dir, files[i]);
		char *body = NULL;
		size_t bl = 0;
		if (otz__read_file(path, &body, &bl, NULL))
			die(path);
		otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
		o.title = titles[i];
		o.lossy = 1;
		otz_record *r = NULL;
		if (otz_translate(&r, s, body, bl, &o, &err))
			die(err.msg);
		/* The record, to read. */
		otz_buf b = OTZ_BUF_INIT;
		otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
		ro.show_rules = 1;
		if (otz_render(&b, r, &ro, &err))
			die(err.msg);
		snprintf(path, sizeof(path), "%s/records/%s", out, files[i]);
		FILE *rf = fopen(path, "w");
		if (!rf || fwrite(b.ptr, 1, b.len, rf) != b.len || fclose(rf))
			die(path);
		otz_buf_dispose(&b);
		/* Its texts. */
		size_t first = nl;
		const char *texts[4096];
		size_t nt = 0;
		for (size_t k = 0; k < r->nautopsy && nt < 4096; k++)
			texts[nt++] = r->autopsy[k].translation;
		for (size_t k = 0; k < r->nred_flags && nt < 4096; k++)
			if (r->red_flags[k].text)
				texts[nt++] = r->red_flags[k].text;
		for (size_t k = 0; k < r->nmetrics && nt < 4096; k++)
			texts[nt++] = r->metrics[k].text;
		for (size_t k = 0; k < r->nweapons && nt < 4096; k++)
			texts[nt++] = r->weapons[k].text;
		for (size_t k = 0; k < nt; k++) {
			if (OTZ_GROW(lines, capl, nl + 1))
				die("out of memory");
			lines[nl++] = (line){strdup(texts[k]), i};
		}
		int dup = 0;
		for (size_t x = first; x < nl && !dup; x++)
			for (size_t y = first; y < x && !dup; y++)
				dup = strcmp(lines[x].text, lines[y].text) == 0;
		twice += dup;
		/* The pairs of [08]: every sentence with the translation it is
		 * under, except the other kinds of a boilerplate group: the entry's
		 * translation speaks for its first sentence and names the rest
		 * apart from it ("ALSO STANDARD ISSUE: the equal-opportunity statement"), so it is
		 * judged once, on that sentence. */
		for (size_t k = 0; k < r->nautopsy; k++) {
			const otz_autopsy *au = &r->autopsy[k];
			for (size_t m = 0; m <= au->nmore; m++) {
				if (m && au->more_rules && au->rule_id && au->more_rules[m - 1] &&
				    strcmp(au->more_rules[m - 1], au->rule_id) != 0)
					continue;
				if (OTZ_GROW(pairs, capp, np + 1) ||
				    !(pair_src = realloc(pair_src, capp * sizeof(*pair_src))))
					die("out of memory");
				/* the sentence's own rule; for one listed under another's
				 * translation, "RULE (under ENTRY-RULE)" */
				char *src = NULL;
				const char *own = au->rule_id ? au->rule_id : au->specimen ? au->specimen : "-";
				const char *mine = m && au->more_rules ? au->more_rules[m - 1] : NULL;
				if (asprintf(&src, "%s\t%s%s%s%s\t%s", files[i], mine ? mine : own,
				             mine ? " (under " : "", mine ? own : "", mine ? ")" : "",
				             tsv_field(m ? au->more[m - 1] : au->illusion)) < 0)
					die("out of memory");
				pair_src[np] = src;
				pairs[np++] = (line){strdup(au->translation), i};
			}
		}
		/* Sentences no translation covers. */
		otz_analysis an;
		if (otz__analyze(s, &an, body, bl, 1, &err))
			die(err.msg);
		for (size_t g = 0; g < an.nsegs; g++) {
			otz_span sp = otz__src_span(&an.text, an.segs[g].start, an.segs[g].end);
			int covered = 0;
			for (size_t k = 0; k < r->nautopsy && !covered; k++) {
				const otz_autopsy *au = &r->autopsy[k];
				covered = au->span.start == sp.start && au->span.end == sp.end;
				for (size_t m = 0; m < au->nmore && !covered; m++)
					covered = au->more_spans[m].start == sp.start && au->more_spans[m].end == sp.end;
			}
			size_t words = 1;
			for (size_t c = an.segs[g].start; c < an.segs[g].end; c++)
				words += an.text.s[c] == ' ';
			if (covered || words < 5)
				continue;
			otz_arena *ar = otz__arena_new();
			char *d = ar ? otz__display(ar, body, sp.start, sp.end) : NULL;
			if (!d || OTZ_GROW(untr, capu, nu + 1) ||
			    !(untr_src = realloc(untr_src, capu * sizeof(*untr_src))))
				die("out of memory");
			if (asprintf(&untr_src[nu], "%s\t%s", files[i], tsv_field(d)) < 0)
				die("out of memory");
			untr[nu++] = (line){NULL, i};
			otz__arena_free(ar);
		}
		otz__analysis_dispose(&an);
		otz_record_free(r);
		free(body);
	}

	/* Texts in more than one record, and in more than 15 % of them. */
	line *sorted = malloc((nl ? nl : 1) * sizeof(*sorted));
	if (!sorted)
		die("out of memory");
	memcpy(sorted, lines, nl * sizeof(*sorted));
	qsort(sorted, nl, sizeof(*sorted), cmp_line);
	size_t unique = 0, widest = 0, over = 0, distinct = 0;
	const char *widest_text = "";
	for (size_t i = 0; i < nl;) {
		size_t j = i, recs = 0;
		for (; j < nl && strcmp(sorted[j].text, sorted[i].text) == 0; j++)
			recs += j == i || sorted[j].rec != sorted[j - 1].rec;
		distinct++;
		if (recs == 1)
			unique += j - i;
		if (recs > widest)
			widest = recs, widest_text = sorted[i].text;
		if (recs * 100 > 15 * want) {
			over++;
			printf("  in %zu of %zu records: %s\n", recs, want, sorted[i].text);
		}
		i = j;
	}
	printf("%zu postings of %s drawn with seed %llu; %zu translation lines, %zu distinct texts\n",
	       want, dir, (unsigned long long)seed, nl, distinct);
	printf("records saying a text twice: %zu of %zu\n", twice, want);
	printf("texts in more than 15%% of the records: %zu (the widest in %zu: %.60s%s)\n", over,
	       widest, widest_text, strlen(widest_text) > 60 ? "..." : "");
	printf("translation lines found in no other record: %.1f%% (%zu of %zu)\n",
	       nl ? 100.0 * unique / nl : 0, unique, nl);

	/* The samples to judge. */
	snprintf(path, sizeof(path), "%s/pairs.tsv", out);
	FILE *pf = fopen(path, "w");
	if (!pf)
		die(path);
	fprintf(pf, "judgement\tfile\trule\tsentence\ttranslation\n");
	for (size_t k = 0; k < npairs && k < np; k++) {
		size_t j = k + (size_t)(next() % (np - k));
		line t = pairs[k];
		char *ts = pair_src[k];
		pairs[k] = pairs[j], pair_src[k] = pair_src[j];
		pairs[j] = t, pair_src[j] = ts;
		fprintf(pf, "\t%s\t%s\n", pair_src[k], tsv_field(pairs[k].text));
	}
	fclose(pf);
	snprintf(path, sizeof(path), "%s/untranslated.tsv", out);
	FILE *uf = fopen(path, "w");
	if (!uf)
		die(path);
	fprintf(uf, "judgement\tfile\tsentence\n");
	for (size_t k = 0; k < nuntr && k < nu; k++) {
		size_t j = k + (size_t)(next() % (nu - k));
		char *ts = untr_src[k];
		untr_src[k] = untr_src[j];
		untr_src[j] = ts;
		fprintf(uf, "\t%s\n", untr_src[k]);
	}
	fclose(uf);
	printf("samples: %s/pairs.tsv (%zu of %zu pairs), %s/untranslated.tsv (%zu of %zu "
	       "sentences of five words or more)\n",
	       out, npairs < np ? npairs : np, np, out, nuntr < nu ? nuntr : nu, nu);

	for (size_t i = 0; i < nl; i++)
		free(lines[i].text);
	for (size_t i = 0; i < np; i++)
		free(pairs[i].text), free(pair_src[i]);
	for (size_t i = 0; i < nu; i++)
		free(untr_src[i]);
	for (size_t i = 0; i < nf; i++)
		free(files[i]), free(titles[i]);
	free(files), free(titles), free(lines), free(sorted), free(pairs), free(pair_src);
	free(untr), free(untr_src);
	otz_session_free(s);
	otz_engine_free(e);
	return 0;
}
