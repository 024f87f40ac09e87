/*
 * csvin.h - read job descriptions from a CSV file, one row at a time.
 *
 * A CSV export of a job board has a header row and one posting per row; the
 * posting's text and title are two of its columns.  csvin_each() parses the
 * stream with libcsv (quoted fields may hold the delimiter, doubled quotes
 * and newlines; the delimiter is a comma unless the caller names another,
 * such as the semicolon or tab of many exports), finds the columns in the
 * header by name or by 1-based number, and hands each row's text, title,
 * id and, when asked, its other columns to a callback.  Only the current
 * row is held in memory, so a file of any number of rows is read in the
 * memory its largest row needs.
 *
 * A row is read to at most `row_limit` bytes (0: no limit); a longer one is
 * read past, reported through the error callback and skipped, so that a
 * field of any size costs no more memory than the limit (a header that long
 * ends the reading).
 *
 * Rows are numbered from 1, the first row after the header; a row's line is
 * the line of the file on which it begins (the header is on line 1 unless
 * blank lines precede it).
 */
#ifndef OTZ_CSVIN_H
#define OTZ_CSVIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The row limit for a text limit of `max_bytes`: room for the text, a title
 * and other columns, so that a text over the limit is refused by the
 * caller's exact check rather than as a row.
 */
static inline size_t csv_row_limit(size_t max_bytes)
{
	return max_bytes > (SIZE_MAX - 65536) / 2 ? SIZE_MAX : 2 * max_bytes + 65536;
}

/* What a row callback returns to stop the reading (a closed pipe, say). */
#define CSVIN_STOP (-1)

/* A column of a row other than its text, title and id: the header's name for it and its value. */
typedef struct csvin_field {
	const char *name;  /* NUL-terminated */
	const char *value; /* NUL-terminated, value_len bytes (a field may hold a NUL of its own) */
	size_t value_len;
} csvin_field;

/*
 * A row that has the text column, as handed to the row callback.  `title`
 * is NULL when there is no title column or the row is too short to have
 * it, `id` the same for the id column; otherwise they and `text` are
 * NUL-terminated.  `others` (with csvin_options.others) are the row's other
 * columns that the header names, in the header's order; a row too short to
 * have one leaves it out.  All of it is owned by the reader and valid only
 * during the call.
 */
typedef struct csvin_row {
	size_t row_no, line_no;
	const char *text;
	size_t text_len;
	const char *title;
	size_t title_len;
	const char *id;
	size_t id_len;
	const csvin_field *others;
	size_t nothers;
} csvin_row;

/*
 * Called for every row that has the text column.  Returns EXIT_OK, an
 * exit code for a row that failed (reading goes on, and csvin_each returns
 * the largest such code), or CSVIN_STOP to stop reading.
 */
typedef int (*csvin_row_fn)(void *ctx, const csvin_row *row);

/*
 * Called for a row that cannot be used (it lacks the text column, is over
 * the row limit, or its quoted field is never closed); `msg` says why and is
 * owned by the reader.  The row's callback is not called for it, and
 * reading goes on.  The reader prints nothing: showing the row's error is
 * the callback's job.
 */
typedef void (*csvin_error_fn)(void *ctx, size_t row_no, size_t line_no, const char *msg);

/* How to read a CSV stream. */
typedef struct csvin_options {
	const char *text_col;  /* a header name or a 1-based number; NULL: "text", else "description" */
	const char *title_col; /* the same; NULL: "title" if there is one, else no title */
	const char *id_col;    /* the same; NULL: "id" if there is one, else no id */
	size_t row_limit;      /* 0: none */
	char delimiter;        /* between fields: ',' (csvin_parse_delimiter) */
	int others;            /* hand each row's other columns to the callback too */
} csvin_options;
#define CSVIN_OPTIONS_INIT {NULL, NULL, NULL, 0, ',', 0}

/*
 * --delimiter's argument: one character that is not a letter, a digit, a
 * quote, a space or a line end (',' ';' '|' ...), or "tab" or "\t" for a
 * tab.  0 with *out set, or -1 (CSVIN_DELIMITER_ERROR says why).
 */
int csvin_parse_delimiter(const char *arg, char *out);
#define CSVIN_DELIMITER_ERROR                                                                  \
	"--delimiter takes one character: ',' ';' '|' or another mark, or 'tab' (or '\\t'); not " \
	"'%s'"

/*
 * Read the CSV stream `f` as `o` says and call `row` for each row after
 * the header, or `error` (required) for a row that cannot be used.  Header
 * names are matched exactly, then without regard to ASCII case.  A UTF-8
 * byte-order mark before the header is ignored.
 *
 * Returns EXIT_OK when every row was used; EXIT_INPUT if any row failed;
 * and when the reading stops early, EXIT_INPUT (the stream could not be
 * read, has no header, or its header is unusable), EXIT_USAGE (a column is
 * not in the header) or EXIT_INTERNAL (out of memory), with `msg` (msgsz
 * bytes, "" otherwise) saying why, naming the line where there is one and
 * listing the header's columns for a column not found.  The caller prints
 * it, after the file's name.  Does not close `f`.
 */
int csvin_each(FILE *f, const csvin_options *o, csvin_row_fn row, csvin_error_fn error, void *ctx,
               char *msg, size_t msgsz);

#endif
