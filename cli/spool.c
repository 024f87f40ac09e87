/*
 * spool.c - `batch --csv`: a CSV export becomes a folder of JSON inputs.
 *
 * Each row of the export (read by csvin.c, one at a time) is written as
 * OUT/.otiose-csv/<csv name>/<row>.json, {"row": N, "line": L, "id": ..,
 * "title": .., "text": ..}, where <row> is the row's id when the CSV has an
 * id column (made safe for a file name, and unique), else row-NNNNNN.  The
 * batch then walks that one folder and goes on as for a folder of files:
 * same workers, same skip of what is up to date, same summary, whatever the
 * number of rows.  A row file is rewritten only when its content changed,
 * so that an unchanged row keeps its time and its output is not redone;
 * row files of an earlier run that this export no longer holds are
 * removed, so they are not translated or counted again.
 *
 * A row with invalid UTF-8 (unless --lossy, which replaces the bad bytes),
 * a NUL byte, or that cannot be spooled is recorded among the batch's
 * skipped inputs, by row and line, and the batch goes on.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "csvin.h"
#include "jsonlin.h"

/* The names of the row files written this run: an open-addressing set. */
typedef struct names {
	char **v;
	size_t n, cap; /* cap a power of two, or 0 */
} names;

static size_t name_slot(const names *s, const char *k)
{
	size_t h = (size_t)cli_hash(k, strlen(k)) & (s->cap - 1);
	while (s->v[h] && strcmp(s->v[h], k) != 0)
		h = (h + 1) & (s->cap - 1);
	return h;
}

static int names_has(const names *s, const char *k)
{
	return s->cap && s->v[name_slot(s, k)];
}

/* Add k (copied); 0, or -1 when out of memory. */
static int names_add(names *s, const char *k)
{
	if (2 * (s->n + 1) > s->cap) {
		names t = {calloc(s->cap ? 2 * s->cap : 64, sizeof(char *)), 0,
		           s->cap ? 2 * s->cap : 64};
		if (!t.v)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i])
				t.v[name_slot(&t, s->v[i])] = s->v[i], t.n++;
		free(s->v);
		*s = t;
	}
	size_t h = name_slot(s, k);
	if (!s->v[h]) {
		if (!(s->v[h] = strdup(k)))
			return -1;
		s->n++;
	}
	return 0;
}

static void names_free(names *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->v[i]);
	free(s->v);
}

typedef struct spool {
	const char *dir;   /* OUT/.otiose-csv/<base> */
	const char *name;  /* the CSV file, for messages */
	int lossy;
	cli_strv *skipped;
	names written;     /* row files of this run */
	int oom;           /* a skip could not be recorded */
} spool;

/* Record a row or the CSV itself as skipped, "CSV: what (skipped)". */
static void skip(spool *sp, const char *what)
{
	if (cli_strv_addf(sp->skipped, "%s: %s (skipped)", sp->name, what))
		sp->oom = 1;
}

/* Is path's content data[0..n) already? */
static int same_content(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	char *old = malloc(n + 2);
	size_t got = old ? fread(old, 1, n + 1, f) : 0;
	fclose(f);
	int same = old && got == n && memcmp(old, data, n) == 0;
	free(old);
	return same;
}

/* The file name (without .json) of a row: its id, every byte that is not a
 * letter, digit, '-', '_' or '.' made '_', at most 100 bytes, not hidden;
 * another row's name already, or no id: row-NNNNNN. */
static void row_file_name(const spool *sp, size_t row_no, const char *id, size_t id_len,
                          char *buf, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; id && i < id_len && o < 100 && o + 1 < n; i++) {
		char c = id[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		         c == '-' || c == '_' || (c == '.' && o > 0);
		buf[o++] = ok ? c : '_';
	}
	buf[o] = '\0';
	if (!o || strncmp(buf, "row-", 4) == 0 || names_has(&sp->written, buf))
		snprintf(buf, n, "row-%06zu", row_no);
}

/* A field as a JSON string: its bytes, or with --lossy its bad bytes
 * replaced; NULL with why when it cannot be one. */
static json_t *field_json(const spool *sp, const char *what, const char *s, size_t n, char *why,
                          size_t wn)
{
	if (memchr(s, '\0', n)) {
		snprintf(why, wn, "a NUL byte in its %s", what);
		return NULL;
	}
	size_t bad = otz_utf8_invalid_at(s, n);
	if (bad >= n)
		return json_stringn_nocheck(s, n);
	if (!sp->lossy) {
		snprintf(why, wn, "invalid UTF-8 at byte %zu of its %s (use --lossy to replace bad bytes)",
		         bad, what);
		return NULL;
	}
	size_t fl;
	char *fixed = utf8_repair(s, n, &fl);
	json_t *j = fixed ? json_stringn_nocheck(fixed, fl) : NULL;
	free(fixed);
	if (!j)
		snprintf(why, wn, "out of memory");
	return j;
}

static int spool_row(void *ctx, const csvin_row *row)
{
	spool *sp = ctx;
	size_t row_no = row->row_no, line_no = row->line_no, id_len = row->id_len;
	const char *id = row->id;
	char path[PATH_MAX], why[1024], m[1200], file[128];
	json_t *o = json_object(), *t = NULL, *ti = NULL, *ij = NULL;
	int rc = EXIT_OK;
	why[0] = '\0';
	if (!o || !(t = field_json(sp, "text", row->text, row->text_len, why, sizeof(why))) ||
	    (row->title && !(ti = field_json(sp, "title", row->title, row->title_len, why, sizeof(why)))) ||
	    (id && !(ij = field_json(sp, "id", id, id_len, why, sizeof(why))))) {
		snprintf(m, sizeof(m), "row %zu (line %zu): %s", row_no, line_no,
		         *why ? why : "out of memory");
		skip(sp, m);
		json_decref(o);
		json_decref(t);
		json_decref(ti);
		json_decref(ij);
		return *why && strcmp(why, "out of memory") ? EXIT_INPUT : EXIT_INTERNAL;
	}
	json_object_set_new(o, "row", json_integer((json_int_t)row_no));
	json_object_set_new(o, "line", json_integer((json_int_t)line_no));
	if (ij)
		json_object_set_new(o, "id", ij);
	if (ti)
		json_object_set_new(o, "title", ti);
	json_object_set_new(o, "text", t);
	char *js = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	row_file_name(sp, row_no, id, id_len, file, sizeof(file));
	snprintf(path, sizeof(path), "%s/%s.json", sp->dir, file);
	if (!js || names_add(&sp->written, file)) {
		snprintf(m, sizeof(m), "row %zu (line %zu): out of memory", row_no, line_no);
		skip(sp, m);
		rc = EXIT_INTERNAL;
	} else if (!same_content(path, js, strlen(js)) &&
	           cli_write_atomic(path, js, strlen(js), why, sizeof(why))) {
		snprintf(m, sizeof(m), "row %zu (line %zu): %s", row_no, line_no, why);
		skip(sp, m);
		rc = EXIT_INPUT;
	}
	free(js);
	return rc;
}

static void spool_error(void *ctx, size_t row_no, size_t line_no, const char *msg)
{
	char m[1024];
	snprintf(m, sizeof(m), "row %zu (line %zu): %s", row_no, line_no, msg);
	skip(ctx, m);
}

/* Remove the row files an earlier run left that this one did not write. */
static void remove_stale(spool *sp)
{
	DIR *d = opendir(sp->dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l <= 5 || strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		char name[NAME_MAX + 1];
		snprintf(name, sizeof(name), "%.*s", (int)(l - 5), de->d_name);
		if (names_has(&sp->written, name))
			continue;
		char p[PATH_MAX + NAME_MAX + 2];
		snprintf(p, sizeof(p), "%s/%s", sp->dir, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
}

char *batch_csv_row_name(const char *csv, const char *dir, const char *rel)
{
	char p[PATH_MAX + NAME_MAX + 2];
	json_error_t je;
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	json_t *o = json_load_file(p, 0, &je);
	char *name = NULL;
	json_t *id = json_object_get(o, "id");
	if (asprintf(&name, "%s row %lld (line %lld)%s%s", csv,
	             (long long)json_integer_value(json_object_get(o, "row")),
	             (long long)json_integer_value(json_object_get(o, "line")), id ? ", id " : "",
	             id ? json_string_value(id) : "") < 0)
		name = NULL;
	json_decref(o);
	return name;
}

int batch_spool_csv(const char *csv, const char *out, const char *text_col,
                    const char *title_col, char delimiter, size_t max_bytes, int lossy,
                    cli_strv *skipped, char *dir, size_t dirn)
{
	const char *base = strrchr(csv, '/');
	char msg[1024];
	base = base ? base + 1 : csv;
	/* Each CSV its own folder: its rows are walked, no other CSV's. */
	snprintf(dir, dirn, "%s/.otiose-csv/%s", out, base);
	char probe[PATH_MAX + 64];
	snprintf(probe, sizeof(probe), "%s/x", dir);
	FILE *f = fopen(csv, "rb");
	if (!f) {
		cli_err("%s: %s", csv, strerror(errno));
		return EXIT_INPUT;
	}
	if (cli_make_parents(probe) != 0) {
		cli_err("%s: %s", dir, strerror(errno));
		fclose(f);
		return EXIT_INPUT;
	}
	spool sp = {dir, csv, lossy, skipped, {NULL, 0, 0}, 0};
	csvin_options co = CSVIN_OPTIONS_INIT;
	co.text_col = text_col;
	co.title_col = title_col;
	co.delimiter = delimiter;
	co.row_limit = csv_row_limit(max_bytes);
	int rc = csvin_each(f, &co, spool_row, spool_error, &sp, msg, sizeof(msg));
	fclose(f);
	if (rc == EXIT_USAGE || (rc == EXIT_INTERNAL && *msg)) {
		cli_err("%s: %s", csv, *msg ? msg : "out of memory");
		names_free(&sp.written);
		return rc;
	}
	/* A CSV that could not be read to its end is an error of the batch,
	 * in its summary and its exit code, like a row that failed; its rows
	 * that were read are kept, the rest of an earlier run's are not. */
	if (*msg && cli_strv_addf(skipped, "%s: %s (the rest skipped)", csv, msg))
		sp.oom = 1;
	remove_stale(&sp);
	names_free(&sp.written);
	if (sp.oom || rc == EXIT_INTERNAL) {
		cli_err("out of memory");
		return EXIT_INTERNAL;
	}
	return EXIT_OK;
}
