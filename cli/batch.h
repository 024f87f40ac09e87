/*
 * batch.h - what the files of `otiose batch` share: an input's state, the
 * sidecar that records a translated input for the summary (summary.c), the
 * summary itself, and the CSV spool (spool.c).  cmd_batch.c drives them.
 */
#ifndef OTZ_BATCH_H
#define OTZ_BATCH_H

#include "cli.h"

/* Where an input of the batch stands. */
typedef enum batch_status {
	BATCH_PENDING = 0,
	BATCH_TRANSLATED,  /* translated in this run */
	BATCH_UP_TO_DATE,  /* its output was newer than it and the database */
	BATCH_FAILED       /* see error */
} batch_status;

/* One input of a batch. */
typedef struct batch_item {
	const char *rel;     /* its path below DIR (owned by the walk) */
	size_t size;
	batch_status status;
	char *error;         /* why it failed (owned), or NULL */
} batch_item;

/* OUT/.otiose/<rel>.json: where an input's sidecar is written. */
void batch_sidecar_path(const char *out, const char *rel, char *buf, size_t n);

/*
 * The sidecar of a translated input: what the summary needs of its record
 * (input, title, index, bytes, closest specimen, rule ids, metrics) and
 * nothing that changes from run to run.  A compact JSON string, malloc'ed,
 * owned by the caller; NULL when out of memory.
 */
char *batch_sidecar(const otz_record *r, const char *rel, size_t bytes);

/*
 * Write the summary of a finished batch from its items and their sidecars:
 * OUT/summary.json, OUT/summary.txt and, when the outputs are HTML
 * (ext "html"), OUT/index.html, a sortable table of every record.  The
 * table also goes to stdout unless quiet; quiet, the errors go to stderr.
 * `skipped` are the inputs that never became items (the walk's and the
 * CSV's errors).  Returns EXIT_OK, or EXIT_INPUT when an input failed, was
 * skipped or a summary file could not be written (each said on stderr).
 */
int batch_summary(const char *out, const char *ext, const batch_item *v, size_t n,
                  const cli_strv *skipped, int quiet);

/*
 * Spool the rows of the CSV export `csv` into OUT/.otiose-csv/<name>/
 * row-NNNNNN.json, one JSON input each ({"row", "title", "text"}), writing
 * a file only when its content changed (so an unchanged row keeps its
 * time and is not translated again).  *dir receives OUT/.otiose-csv, the
 * folder the batch then walks.  A row that cannot be used or spooled, and
 * a CSV that cannot be read to its end, go into `skipped`, and the batch
 * goes on: EXIT_OK.  Otherwise (the CSV cannot be opened, the spool folder
 * made, a column is not in the header, memory ran out) the exit code the
 * batch stops with, after saying why on stderr.
 */
int batch_spool_csv(const char *csv, const char *out, const char *text_col,
                    const char *title_col, size_t max_bytes, cli_strv *skipped, char *dir,
                    size_t dirn);

#endif
