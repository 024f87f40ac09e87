/*
 * fuzz_csv.c - the CSV reader of `translate --csv` and `batch --csv` on any
 * bytes.
 *
 * The first byte picks how the columns are named (by default, by number,
 * by a name that may be missing), whether the other columns are kept and the
 * delimiter, so that every path of the header lookup runs.  Checks: each row handed over has NUL-terminated text and title of
 * the lengths given, row numbers rise from 1 and lines never go back; with
 * a row limit, no row much longer than it is handed over; the reader's result is
 * one of its documented exit codes, with a message exactly when it stopped early.
 */
#include <string.h>

#include "../../cli/cli.h"
#include "../../cli/csvin.h"
#include "fuzz.h"

typedef struct seen {
	size_t rows, last_line, errors;
	size_t row_limit;
} seen;

static int on_row(void *ctx, const csvin_row *row)
{
	size_t row_no = row->row_no, line_no = row->line_no, title_len = row->title_len,
	       text_len = row->text_len, others_len = 0;
	const char *title = row->title, *text = row->text;
	FUZZ_CHECK(!row->id || row->id[row->id_len] == '\0');
	for (size_t i = 0; i < row->nothers; i++) {
		FUZZ_CHECK(row->others[i].name && row->others[i].value);
		FUZZ_CHECK(row->others[i].value[row->others[i].value_len] == '\0');
		others_len += row->others[i].value_len;
	}
	seen *s = ctx;
	FUZZ_CHECK(row_no > s->rows);
	FUZZ_CHECK(line_no >= s->last_line && line_no >= 1);
	FUZZ_CHECK(text && text[text_len] == '\0');
	FUZZ_CHECK(!title || title[title_len] == '\0');
	/* the limit is checked after each piece of at most 64 KB is parsed */
	FUZZ_CHECK(!s->row_limit || text_len + title_len + others_len <= s->row_limit + 65536);
	s->rows = row_no;
	s->last_line = line_no;
	return (row_no % 7 == 0) ? EXIT_INPUT : EXIT_OK;
}

static void on_error(void *ctx, size_t row_no, size_t line_no, const char *msg)
{
	seen *s = ctx;
	FUZZ_CHECK(msg && *msg);
	FUZZ_CHECK(row_no >= 1 && line_no >= 1);
	s->errors++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const char *const text_cols[] = {NULL, "2", "description", "nope"};
	static const char *const title_cols[] = {NULL, "1", "Title", "9"};
	unsigned flags = data[0];
	const char *text_col = text_cols[flags & 3];
	const char *title_col = title_cols[(flags >> 2) & 3];
	size_t row_limit = (flags & 16) ? 300 : 0; /* small, so that rows pass it */
	/* Twice: as before --delimiter (a comma, only the three columns), so
	 * that the regression inputs found then still take their paths; then
	 * with the other columns kept and the delimiter the flags' high bits
	 * pick. */
	for (int pass = 0; pass < 2; pass++) {
		FILE *f = fmemopen((void *)(data + 1), size > 1 ? size - 1 : 1, "rb");
		if (!f)
			return 0;
		if (size == 1)
			fgetc(f);
		seen s = {0, 0, 0, row_limit};
		char msg[1024];
		csvin_options co = CSVIN_OPTIONS_INIT;
		co.text_col = text_col;
		co.title_col = title_col;
		co.row_limit = row_limit;
		if (pass) {
			co.others = 1;
			co.delimiter = "\t;,|"[(flags >> 5) & 3];
		}
		int rc = csvin_each(f, &co, on_row, on_error, &s, msg, sizeof(msg));
		/* the reader prints nothing: a stop is said in msg, and a clean read says nothing */
		FUZZ_CHECK(rc != EXIT_OK || !*msg);
		FUZZ_CHECK((rc != EXIT_USAGE && rc != EXIT_INTERNAL) || *msg);
		FUZZ_CHECK(rc == EXIT_OK || rc == EXIT_INPUT || rc == EXIT_USAGE || rc == EXIT_INTERNAL);
		FUZZ_CHECK(rc != EXIT_OK || s.errors == 0);
		fclose(f);
	}
	return 0;
}
