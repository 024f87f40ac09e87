/*
 * spool.c - `batch --csv`: a CSV export becomes a folder of JSON inputs.
 *
 * Each row of the export (read by csvin.c, one at a time) is written as
 * OUT/.otiose-csv/<csv name>/row-NNNNNN.json, {"row": N, "title": ..,
 * "text": ..}, and the batch then goes on as for a folder: same workers,
 * same skip of what is up to date, same summary, whatever the number of
 * rows.  A row file is rewritten only when its content changed, so that an
 * unchanged row keeps its time and its output is not redone.  What cannot
 * be spooled is recorded among the batch's skipped inputs (see batch.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "csvin.h"

typedef struct spool {
	const char *dir;   /* OUT/.otiose-csv/<base> */
	const char *name;  /* the CSV file, for messages */
	cli_strv *skipped;
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

static int spool_row(void *ctx, size_t row_no, size_t line_no, const char *title,
                     size_t title_len, const char *text, size_t text_len)
{
	spool *sp = ctx;
	char path[PATH_MAX], why[1024];
	json_t *o = json_object();
	if (o) {
		json_object_set_new(o, "row", json_integer((json_int_t)row_no));
		if (title)
			json_object_set_new(o, "title", json_stringn_nocheck(title, title_len));
		json_object_set_new(o, "text", json_stringn_nocheck(text, text_len));
	}
	char *js = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	int rc = EXIT_OK;
	snprintf(path, sizeof(path), "%s/row-%06zu.json", sp->dir, row_no);
	if (!js) {
		snprintf(why, sizeof(why), "row %zu (line %zu): out of memory", row_no, line_no);
		skip(sp, why);
		rc = EXIT_INTERNAL;
	} else if (!same_content(path, js, strlen(js)) &&
	           cli_write_atomic(path, js, strlen(js), why, sizeof(why))) {
		char m[1200];
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

int batch_spool_csv(const char *csv, const char *out, const char *text_col,
                    const char *title_col, size_t max_bytes, cli_strv *skipped, char *dir,
                    size_t dirn)
{
	const char *base = strrchr(csv, '/');
	char rows_dir[PATH_MAX + 64], msg[1024];
	base = base ? base + 1 : csv;
	snprintf(dir, dirn, "%s/.otiose-csv", out);
	snprintf(rows_dir, sizeof(rows_dir), "%s/%s/x", dir, base);
	FILE *f = fopen(csv, "rb");
	if (!f) {
		cli_err("%s: %s", csv, strerror(errno));
		return EXIT_INPUT;
	}
	if (cli_make_parents(rows_dir) != 0) {
		cli_err("%s: %s", rows_dir, strerror(errno));
		fclose(f);
		return EXIT_INPUT;
	}
	rows_dir[strlen(rows_dir) - 2] = '\0';
	spool sp = {rows_dir, csv, skipped, 0};
	int rc = csvin_each(f, text_col, title_col, csv_row_limit(max_bytes), spool_row, spool_error,
	                    &sp, msg, sizeof(msg));
	fclose(f);
	if (rc == EXIT_USAGE || rc == EXIT_INTERNAL) {
		cli_err("%s: %s", csv, *msg ? msg : "out of memory");
		return rc;
	}
	/* A CSV that could not be read to its end is an error of the batch,
	 * in its summary and its exit code, like a row that failed. */
	if (*msg && cli_strv_addf(skipped, "%s: %s (the rest skipped)", csv, msg))
		sp.oom = 1;
	if (sp.oom) {
		cli_err("out of memory");
		return EXIT_INTERNAL;
	}
	return EXIT_OK;
}
