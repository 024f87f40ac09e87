/*
 * csvin.c - CSV input, one row at a time, on libcsv (see csvin.h).
 *
 * The stream is read a line at a time (in pieces of at most 64 KB) and fed
 * to libcsv, which calls back once per field and once per row end.  Feeding
 * lines is what lets a row be named by the line it begins on: libcsv itself
 * keeps no positions.  A row that grows past the row limit (a field of
 * hundreds of megabytes, or a quote never closed) is read on but no longer
 * stored: the parser's field buffer is emptied after every piece, so memory
 * stays near the limit, and the row is reported and skipped.  The header's
 * names are kept (they are needed for messages); of every other row only
 * the text, title and id fields are copied (and, when the caller wants the
 * other columns, one buffer for each column the header names), into
 * buffers reused from row to row, so memory follows the largest row and
 * not the number of rows.
 *
 * libcsv runs in its lenient mode, which reads the stray quotes that real
 * exports contain (`5" display`) as text.  Its one error that matters, a
 * quoted field still open when the stream ends, is detected by switching
 * the parser to strict mode just before csv_fini(), which then refuses it.
 */
#include "csvin.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* The most of a line fed to the parser at once. */
#define CSVIN_PIECE 65536

/* A growable, NUL-terminated byte string. */
typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

/* How a column was asked for, and where it was found (-1: nowhere). */
typedef struct colspec {
	const char *spec; /* the user's name or number; NULL for the default */
	long idx;
} colspec;

typedef struct reader {
	char *msg;         /* the caller's buffer for the error that stops the reading */
	size_t msgsz;
	csvin_row_fn row;
	csvin_error_fn error;
	void *ctx;
	colspec text, title, id;

	size_t line;       /* the line being fed to the parser */
	size_t pending;    /* first non-blank line seen since the last row ended, 0 if none */
	int in_row;        /* a field of the current row has been seen */
	size_t row_line;   /* the line the current row began on */
	size_t field;      /* index of the next field in the current row */
	size_t row_no;     /* rows after the header that have ended */

	int header_done;
	char **names;      /* the header's fields */
	size_t nnames, capnames;

	sbuf textv, titlev, idv;
	int have_text, have_title, have_id;

	int want_others;   /* keep the other columns */
	sbuf *vals;        /* with want_others: a buffer for each header column */
	size_t *have_val;  /* the row number whose field each buffer holds */
	csvin_field *others; /* what the row callback is handed */

	size_t row_limit;  /* bytes a row may take before it is skipped; 0: no limit */
	size_t row_bytes;  /* bytes fed since the current row began (roughly) */
	int oversize;      /* the current row passed row_limit: skip it */

	int worst;         /* the largest exit code of any row */
	int fatal;         /* an exit code that stops the reading (usage, memory) */
	int stop;          /* stop calling back */
} reader;

static int sbuf_set(sbuf *b, const void *s, size_t n)
{
	if (n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 256;
		while (nc < n + 1)
			nc *= 2;
		char *p = realloc(b->p, nc);
		if (!p)
			return -1;
		b->p = p;
		b->cap = nc;
	}
	if (n)
		memcpy(b->p, s, n);
	b->p[n] = '\0';
	b->len = n;
	return 0;
}

static void row_error(reader *r, size_t row_no, size_t line_no, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Hand a row that cannot be used to the caller's error callback. */
static void row_error(reader *r, size_t row_no, size_t line_no, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->error(r->ctx, row_no, line_no, msg);
	if (r->worst < EXIT_INPUT)
		r->worst = EXIT_INPUT;
}

static void fatal(reader *r, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Stop the reading with exit code `code` and say why in the caller's buffer (the first reason wins). */
static void fatal(reader *r, int code, const char *fmt, ...)
{
	if (!r->fatal) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->msg, r->msgsz, fmt, ap);
		va_end(ap);
		r->fatal = code;
	}
	r->stop = 1;
}

static void out_of_memory(reader *r)
{
	fatal(r, EXIT_INTERNAL, "out of memory at line %zu", r->line);
}

/* The header's names as "a, b, c", for messages; a static-sized excerpt. */
static void header_list(const reader *r, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->nnames && used + 1 < n; i++) {
		int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", r->names[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (used + 1 >= n && n > 4)
		memcpy(buf + n - 4, "...", 4);
}

/* The header column named `want`, exactly, else without regard to case; -1 if none. */
static long find_name(const reader *r, const char *want)
{
	long found = -1;
	for (size_t i = 0; i < r->nnames && found < 0; i++)
		if (strcmp(r->names[i], want) == 0)
			found = (long)i;
	for (size_t i = 0; i < r->nnames && found < 0; i++)
		if (strcasecmp(r->names[i], want) == 0)
			found = (long)i;
	return found;
}

/*
 * Find one column in the header.  `what` is "text" or "title" for messages.
 * Returns 0, or -1 with the reading stopped as a usage error and the reason
 * (the header's columns listed) in the caller's buffer.
 */
static int resolve(reader *r, colspec *c, const char *what, int required)
{
	char names[768];
	const char *s = c->spec;
	int rc = 0;
	if (!s) {
		c->idx = find_name(r, what);
		if (c->idx < 0 && strcmp(what, "text") == 0)
			c->idx = find_name(r, "description");
		if (c->idx < 0 && required) {
			header_list(r, names, sizeof(names));
			fatal(r, EXIT_USAGE,
			      "no 'text' or 'description' column in the header; name the one to "
			      "read with --text-col (the columns are: %s)",
			      names);
			rc = -1;
		}
		goto done;
	}
	if (*s && strspn(s, "0123456789") == strlen(s)) {
		errno = 0;
		unsigned long v = strtoul(s, NULL, 10);
		if (v == 0 || errno || v > r->nnames) {
			header_list(r, names, sizeof(names));
			fatal(r, EXIT_USAGE, "no column %s for the %s: columns are numbered from 1 to %zu (%s)",
			      s, what, r->nnames, names);
			rc = -1;
			goto done;
		}
		c->idx = (long)v - 1;
		goto done;
	}
	c->idx = find_name(r, s);
	if (c->idx < 0) {
		header_list(r, names, sizeof(names));
		fatal(r, EXIT_USAGE, "no column '%s' in the header (the columns are: %s)", s, names);
		rc = -1;
	}
done:
	return rc;
}

/* Note that a row is under way, and on which line it began. */
static void mark_row(reader *r)
{
	if (!r->in_row) {
		r->in_row = 1;
		r->row_line = r->pending ? r->pending : r->line;
	}
}

/* libcsv's per-field callback. */
static void on_field(void *s, size_t len, void *data)
{
	reader *r = data;
	if (r->stop)
		return;
	mark_row(r);
	const char *f = s ? s : "";
	if (!r->header_done) {
		/* Excel writes a byte-order mark before the first name. */
		if (r->nnames == 0 && len >= 3 && memcmp(f, "\xEF\xBB\xBF", 3) == 0) {
			f += 3;
			len -= 3;
		}
		if (cli_reserve(&r->names, &r->capnames, r->nnames, sizeof(*r->names))) {
			out_of_memory(r);
			return;
		}
		char *copy = malloc(len + 1);
		if (!copy) {
			out_of_memory(r);
			return;
		}
		memcpy(copy, f, len);
		copy[len] = '\0';
		r->names[r->nnames++] = copy;
	} else if (!r->oversize) {
		if ((long)r->field == r->text.idx) {
			if (sbuf_set(&r->textv, f, len)) {
				out_of_memory(r);
				return;
			}
			r->have_text = 1;
		}
		if ((long)r->field == r->title.idx) {
			if (sbuf_set(&r->titlev, f, len)) {
				out_of_memory(r);
				return;
			}
			r->have_title = 1;
		}
		if ((long)r->field == r->id.idx) {
			if (sbuf_set(&r->idv, f, len)) {
				out_of_memory(r);
				return;
			}
			r->have_id = 1;
		}
		if (r->vals && r->field < r->nnames && (long)r->field != r->text.idx &&
		    (long)r->field != r->title.idx && (long)r->field != r->id.idx) {
			if (sbuf_set(&r->vals[r->field], f, len)) {
				out_of_memory(r);
				return;
			}
			r->have_val[r->field] = r->row_no + 1;
		}
	}
	r->field++;
}

/* libcsv's end-of-row callback. */
static void on_row(int c, void *data)
{
	reader *r = data;
	(void)c;
	if (r->stop)
		return;
	mark_row(r);
	if (!r->header_done && r->oversize) {
		fatal(r, EXIT_INPUT, "line %zu: the header row is larger than the %zu-byte limit",
		      r->row_line, r->row_limit);
	} else if (!r->header_done) {
		r->header_done = 1;
		if (resolve(r, &r->text, "text", 1) == 0 && resolve(r, &r->title, "title", 0) == 0)
			resolve(r, &r->id, "id", 0);
		if (!r->stop && r->want_others && r->nnames &&
		    (!(r->vals = calloc(r->nnames, sizeof(*r->vals))) ||
		     !(r->have_val = calloc(r->nnames, sizeof(*r->have_val))) ||
		     !(r->others = calloc(r->nnames, sizeof(*r->others)))))
			out_of_memory(r);
	} else {
		r->row_no++;
		if (r->oversize) {
			row_error(r, r->row_no, r->row_line,
			          "the row passes %zu bytes, more than a text within --max-bytes needs; "
			          "skipped unread (raise --max-bytes to read it)",
			          r->row_limit);
		} else if (!r->have_text) {
			row_error(r, r->row_no, r->row_line,
			          "no text: the row has %zu field%s and the text is in column %ld ('%s')",
			          r->field, r->field == 1 ? "" : "s", r->text.idx + 1,
			          r->names[r->text.idx]);
		} else {
			csvin_row row = {r->row_no, r->row_line, r->textv.p, r->textv.len,
			                 r->have_title ? r->titlev.p : NULL, r->have_title ? r->titlev.len : 0,
			                 r->have_id ? r->idv.p : NULL, r->have_id ? r->idv.len : 0,
			                 r->others, 0};
			for (size_t i = 0; r->vals && i < r->nnames; i++)
				if (r->have_val[i] == r->row_no) /* this row's own field, not an earlier row's */
					r->others[row.nothers++] = (csvin_field){r->names[i], r->vals[i].p,
					                                         r->vals[i].len};
			int rc = r->row(r->ctx, &row);
			if (rc == CSVIN_STOP) {
				r->stop = 1;
				if (r->worst < EXIT_INPUT)
					r->worst = EXIT_INPUT;
			} else if (rc > r->worst) {
				r->worst = rc;
			}
		}
	}
	r->in_row = 0;
	r->pending = 0;
	r->field = 0;
	r->row_bytes = 0;
	r->oversize = 0;
	r->have_text = r->have_title = r->have_id = 0;
}

/* Is this line empty but for spaces, tabs and its line end?  libcsv skips
 * such lines, unless the tab is the delimiter: then tabs are empty fields. */
static int blank(const char *s, size_t n, char delim)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && (s[i] != '\t' || delim == '\t') && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

int csvin_parse_delimiter(const char *arg, char *out)
{
	unsigned char c = (unsigned char)arg[0];
	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0) {
		*out = '\t';
		return 0;
	}
	/* A letter, a digit or a space would split words; a quote would end quoting. */
	if (!c || arg[1] || c <= ' ' || c >= 0x7f || c == '"' || (c >= '0' && c <= '9') ||
	    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
		return -1;
	*out = (char)c;
	return 0;
}

int csvin_each(FILE *f, const csvin_options *o, csvin_row_fn row, csvin_error_fn error, void *ctx,
               char *msg, size_t msgsz)
{
	reader r;
	struct csv_parser p;
	char *line = NULL;
	size_t got;
	int rc = EXIT_OK, parser_live = 0, ends_line, line_start = 1;

	memset(&r, 0, sizeof(r));
	if (msgsz)
		msg[0] = '\0';
	r.msg = msg;
	r.msgsz = msgsz;
	r.row = row;
	r.error = error;
	r.ctx = ctx;
	r.text.spec = o->text_col;
	r.text.idx = -1;
	r.title.spec = o->title_col;
	r.title.idx = -1;
	r.id.spec = o->id_col;
	r.id.idx = -1;
	r.row_limit = o->row_limit;
	r.want_others = o->others;
	line = malloc(CSVIN_PIECE);
	if (!line || csv_init(&p, CSV_APPEND_NULL) != 0) {
		out_of_memory(&r);
		goto done;
	}
	parser_live = 1;
	csv_set_delim(&p, (unsigned char)(o->delimiter ? o->delimiter : ','));
	while (!r.stop && (got = cli_read_piece(f, line, CSVIN_PIECE, &ends_line)) > 0) {
		if (line_start)
			r.line++;
		line_start = ends_line;
		if (!r.in_row && !r.pending && !blank(line, got, o->delimiter))
			r.pending = r.line;
		size_t used = csv_parse(&p, line, got, on_field, on_row, &r);
		int mid_row = r.in_row || p.pstate != 0; /* libcsv's state 0: no row begun */
		r.row_bytes = mid_row ? r.row_bytes + got : 0;
		if (r.row_limit && r.row_bytes > r.row_limit && mid_row) {
			mark_row(&r);
			r.oversize = 1;
		}
		if (r.oversize && p.entry_buf) {
			/*
			 * Read on to the row's end, keeping none of it but what libcsv
			 * will take off the field's end when it closes: its trailing
			 * spaces, and after a quote (state 3, "might have ended") the
			 * quote itself.
			 */
			size_t keep = p.spaces + (p.pstate == 3 ? 1 : 0);
			if (keep <= p.entry_pos) {
				memmove(p.entry_buf, p.entry_buf + p.entry_pos - keep, keep);
				p.entry_pos = keep;
			}
		}
		if (used != got) {
			if (csv_error(&p) == CSV_ENOMEM || csv_error(&p) == CSV_ETOOBIG)
				out_of_memory(&r);
			else
				fatal(&r, EXIT_INPUT, "line %zu: %s", r.line, csv_strerror(csv_error(&p)));
		}
	}
	if (!r.stop && ferror(f))
		fatal(&r, EXIT_INPUT, "%s", strerror(errno));
	if (!r.stop) {
		/* Strict only now: the lenient rules for the body, the strict check at the end. */
		csv_set_opts(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI);
		if (csv_fini(&p, on_field, on_row, &r) != 0) {
			if (!r.header_done) {
				fatal(&r, EXIT_INPUT,
				      "line %zu: the header has a quoted field that is never closed",
				      r.row_line);
			} else {
				row_error(&r, r.row_no + 1, r.row_line,
				          "a quoted field is never closed: the rest of the file, to its end "
				          "on line %zu, would be in it; the row is skipped",
				          r.line);
			}
		}
	}
	if (!r.fatal && !r.header_done)
		fatal(&r, EXIT_INPUT, "no header row (the file is empty)");
done:
	rc = r.fatal > r.worst ? r.fatal : r.worst;
	if (parser_live)
		csv_free(&p);
	free(line);
	free(r.textv.p);
	free(r.titlev.p);
	free(r.idv.p);
	for (size_t i = 0; r.vals && i < r.nnames; i++)
		free(r.vals[i].p);
	free(r.vals);
	free(r.have_val);
	free(r.others);
	for (size_t i = 0; i < r.nnames; i++)
		free(r.names[i]);
	free(r.names);
	return rc;
}
