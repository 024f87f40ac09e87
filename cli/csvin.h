/*
 * csvin.h - read job descriptions from a CSV file, one row at a time.
 *
 * A CSV export of a job board has a header row and one posting per row; the
 * posting's text and title are two of its columns.  csvin_each() parses the
 * stream with libcsv (quoted fields may hold commas, doubled quotes and
 * newlines), finds the two columns in the header by name or by 1-based
 * number, and hands each row's text and title to a callback.  Only the
 * current row is held in memory, so a file of any number of rows is read in
 * the memory its largest row needs.
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

/*
 * Called for every row that has the text column.  `title` is NULL when
 * there is no title column or the row is too short to have it, `id` the
 * same for the id column; otherwise they and `text` are NUL-terminated and
 * owned by the reader, valid only during the call.  Returns EXIT_OK, an exit code for a row that failed
 * (reading goes on, and csvin_each returns the largest such code), or
 * CSVIN_STOP to stop reading.
 */
typedef int (*csvin_row_fn)(void *ctx, size_t row_no, size_t line_no, const char *title,
                            size_t title_len, const char *text, size_t text_len, const char *id,
                            size_t id_len);

/*
 * Called for a row that cannot be used (it lacks the text column, is over
 * the row limit, or its quoted field is never closed); `msg` says why and is
 * owned by the reader.  The row's callback is not called for it, and
 * reading goes on.  The reader prints nothing: showing the row's error is
 * the callback's job.
 */
typedef void (*csvin_error_fn)(void *ctx, size_t row_no, size_t line_no, const char *msg);

/*
 * Read the CSV stream `f` and call `row` for each row after the header, or
 * `error` (required) for a row that cannot be used.  `text_col` and
 * `title_col` (and `id_col`) name a header column, or give its 1-based
 * number; header names are matched exactly, then without regard to ASCII
 * case.  A NULL `text_col` picks the column named "text", else
 * "description"; a NULL `title_col` picks "title" if there is one and
 * otherwise gives no title; a NULL `id_col`, "id" likewise.
 * A UTF-8 byte-order mark before the header is ignored.
 *
 * Returns EXIT_OK when every row was used; EXIT_INPUT if any row failed;
 * and when the reading stops early, EXIT_INPUT (the stream could not be
 * read, has no header, or its header is unusable), EXIT_USAGE (a column is
 * not in the header) or EXIT_INTERNAL (out of memory), with `msg` (msgsz
 * bytes, "" otherwise) saying why, naming the line where there is one and
 * listing the header's columns for a column not found.  The caller prints
 * it, after the file's name.  Does not close `f`.
 */
int csvin_each(FILE *f, const char *text_col, const char *title_col, const char *id_col,
               size_t row_limit, csvin_row_fn row, csvin_error_fn error, void *ctx, char *msg,
               size_t msgsz);

#endif
