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
	char *out_rel;       /* its output's path below OUT, without the extension (owned) */
	char *name;          /* how messages name it, if not rel ("board.csv row 3 (line 4)") */
	size_t size;
	batch_status status;
	char *error;         /* why it failed (owned), or NULL */
} batch_item;

/* OUT/.otiose/<out_rel>.json: where an input's sidecar is written. */
void batch_sidecar_path(const char *out, const char *out_rel, char *buf, size_t n);

/* What made an output: the input's bytes (size, modification time in
 * nanoseconds, cli_hash of its content), the database and the options.  A
 * rerun redoes an input whenever any of them differs. */
typedef struct batch_made {
	size_t size;
	int64_t mtime_ns;
	uint64_t hash;
	const char *db;      /* the database's identity (batch_db_identity) */
	const char *options; /* the options that shape an output */
} batch_made;

/*
 * The sidecar of a translated input: what the summary needs of its record
 * (input, title, index, bytes, closest specimen, rule ids, metrics) and
 * what made it, nothing that changes from run to run.  A compact JSON
 * string, malloc'ed, owned by the caller; NULL when out of memory.
 */
char *batch_sidecar(const otz_record *r, const char *name, const batch_made *made);
/* Does the sidecar at path say its output was made as `made` says?  A
 * missing or unreadable sidecar says no. */
int batch_sidecar_made_by(const char *path, const batch_made *made);

/*
 * Write the summary of a finished batch from its items and their sidecars:
 * OUT/summary.json, OUT/summary.txt and, when the outputs are HTML
 * (ext "html"), OUT/index.html, a sortable table of every record.  The
 * table also goes to stdout unless quiet; quiet, the errors go to stderr.
 * `skipped` are the inputs that never became items (the walk's and the
 * CSV's errors); `notes` what the walk passed over by design (hidden
 * names, OUT inside DIR), listed and not counted against the batch.
 * `resumed`: the run resumed an interrupted --force run, so what it found
 * up to date was redone by that run.
 * Returns EXIT_OK, or EXIT_INPUT when an input failed, was skipped or a
 * summary file could not be written (each said on stderr).  The summary
 * holds one small entry per translated input, whatever the size of its
 * record, and reads each sidecar once.
 */
int batch_summary(const char *out, const char *ext, const batch_item *v, size_t n,
                  const cli_strv *skipped, const cli_strv *notes, int quiet, int resumed);

/*
 * Spool the rows of the CSV export `csv` into OUT/.otiose-csv/<name>/
 * <row>.json, one JSON input each ({"row", "line", "id", "title", "text"};
 * fields are split at `delimiter`, a comma unless --delimiter says;
 * <row> is the row's id, made safe and unique, or row-NNNNNN), writing a
 * file only when its content changed (so an unchanged row keeps its time
 * and is not translated again) and removing the row files of an earlier
 * run that the export no longer holds.  *dir receives the CSV's own spool
 * folder, the one the batch then walks.  A row that cannot be used or
 * spooled (invalid UTF-8 unless `lossy`, a NUL byte, a missing text) and a
 * CSV that cannot be read to its end go into `skipped` by row and line,
 * and the batch goes on: EXIT_OK.  Otherwise (the CSV cannot be opened,
 * the spool folder made, a column is not in the header, memory ran out)
 * the exit code the batch stops with, after saying why on stderr.
 */
int batch_spool_csv(const char *csv, const char *out, const char *text_col,
                    const char *title_col, char delimiter, size_t max_bytes, int lossy,
                    cli_strv *skipped, char *dir, size_t dirn);
/* How messages name the spooled row dir/rel of `csv`: "CSV row N (line L)",
 * with its id if it has one; malloc'ed, NULL when out of memory. */
char *batch_csv_row_name(const char *csv, const char *dir, const char *rel);

#endif
