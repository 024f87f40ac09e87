/*
 * cmd_translate.c - `otiose translate [FILE...]`: one file record per input.
 *
 * Reads stdin (or each FILE), translates it and prints the record.  Each
 * record is rendered whole into memory before anything is written, so a
 * failing input prints an error and nothing of itself; the other inputs are
 * still translated, and the exit code is 1 if any failed.
 *
 * Two stream modes make it a mapper for GNU parallel, Hadoop Streaming and
 * Spark's RDD.pipe.  With --jsonl every input line is a JSON object holding
 * one JD, and every input line gives exactly one output line, in order: the
 * record, or an error object for that line.  The line's other fields are
 * copied into its output line as they were written (jsonlin.c), never read
 * into numbers and written back, so that no digit of an id or a price is
 * lost on the way through.  With --csv every row of a CSV
 * export (read by csvin.c) is a JD.  Both read one line or row at a time
 * and free it before the next, so memory does not grow with the stream, and
 * both flush each output line as it is written, so a consumer downstream
 * sees records as they are made.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "cli.h"
#include "csvin.h"
#include "jsonlin.h"


/* The JSON of a stream's output lines: one line each, key order kept, reals as in --format json. */
#define LINE_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))

static void help(FILE *f)
{
	fprintf(f,
	        "usage: otiose translate [options] [FILE...]\n"
	        "       otiose translate --jsonl [options] [FILE...]\n"
	        "       otiose translate --csv [--text-col COL] [--title-col COL] [options]\n"
	        "                        [FILE...]\n"
	        "\n"
	        "Translate job descriptions into Otiose file records.  With no FILE (or\n"
	        "FILE '-'), reads standard input; on a terminal with nothing piped in,\n"
	        "prints this help instead of waiting.  A FILE is read by its extension:\n"
	        "*.md as Markdown (headings, lists and emphasis made plain text), *.json as\n"
	        "one JSON object holding one JD (read as a --jsonl line is), *.txt, *.html\n"
	        "and any other name whole (HTML tags and entities are read in any input).\n"
	        "With several FILEs, each text or md record is headed by '==> FILE <==',\n"
	        "and json is one array of {\"input\":FILE,\"record\":{...}} or\n"
	        "{\"input\":FILE,\"error\":\"...\"}.\n"
	        "\n"
	        "options:\n"
	        "  -f, --format FMT    text (default), json, md or html (one self-contained\n"
	        "                      page, for a browser; one input only)\n"
	        "  -t, --title TITLE   the role's title (default: a \"Job Title:\" line among\n"
	        "                      the JD's first, else its first line if it looks like\n"
	        "                      one, not a heading or a date, else the role it says\n"
	        "                      it is \"seeking a ...\"); in the stream modes,\n"
	        "                      the title of the JDs that have none of their own\n"
	        "  -n, --related N     how many related specimens to list (default 3, max 16)\n"
	        "      --lossy         replace invalid UTF-8 with U+FFFD instead of failing\n"
	        "      --max-bytes N   refuse inputs larger than N bytes (default %u,\n"
	        "                      at most " CLI_SIZE_LIMIT_TEXT "; K, M and G suffixes: 100M);\n"
	        "                      in the stream modes, JSON lines and CSV texts\n"
	        CLI_INPUT_FORMAT_HELP
	        "      --db PATH       the corpus database (default: otiose.db beside the\n"
	        "                      binary, built from rules/ and corpus/ if missing;\n"
	        "                      else PREFIX/share/otiose/otiose.db, installed)\n"
	        "      --color WHEN    auto (default), always or never; NO_COLOR is respected\n"
	        "      --width N       wrap text records at N columns (0: do not wrap); by\n"
	        "                      default at the terminal's width on a terminal, and\n"
	        "                      not at all when piped or redirected\n"
	        "      --show-rules    name the rule (or specimen) behind each translation in\n"
	        "                      [08] and the rules among [11]'s evidence; JSON always\n"
	        "                      names them, with byte offsets\n"
	        "  -h, --help          show this help\n"
	        "\n"
	        "streams (for GNU parallel --pipe, Hadoop Streaming, Spark RDD.pipe):\n"
	        "      --jsonl         read one JSON object per line: \"text\" (or\n"
	        "                      \"description\") is the JD, \"title\" its title, \"id\"\n"
	        "                      anything; write one line per input line, in order:\n"
	        "                        {\"id\":...,<other input fields>,\"record\":{...}}\n"
	        "                      where the id and the other fields are as the input\n"
	        "                      wrote them and record is what --format json prints, or\n"
	        "                        {\"id\":...,\"line\":N,\"error\":\"...\"}\n"
	        "                      for a line that cannot be translated (N counts the\n"
	        "                      lines of each input from 1); the stream goes on\n"
	        "      --csv           read a CSV file with a header row; every row is a JD.\n"
	        "                      Records are written in --format, text and md ones\n"
	        "                      separated by a blank line; json (or --jsonl) writes\n"
	        "                      one line per row: {\"row\":N,\"line\":L,\"record\":{...}}\n"
	        "                      or {\"row\":N,\"line\":L,\"error\":\"...\"}.  Rows count from\n"
	        "                      1 after the header; L is the line the row begins on\n"
	        "      --text-col COL  the CSV column holding the JD: a header name or a\n"
	        "                      number from 1 (default: \"text\", else \"description\")\n"
	        "      --title-col COL the CSV column holding the title (default: \"title\",\n"
	        "                      if there is one)\n"
	        "      --delimiter D   the CSV's field separator: ',' (default), ';', 'tab'\n"
	        "                      (or '\\t'), or another mark such as '|'\n"
	        "\n"
	        "In --csv JSON lines, a row's other columns come before \"record\", named as in\n"
	        "the header, as strings: its \"id\" column, then the rest (a column named row,\n"
	        "line, input, record or error, or like an earlier one, is left out).\n"
	        "\n"
	        "exit codes: 0 all translated, 1 an input (or a line or row of a stream)\n"
	        "could not be, 2 usage (an unknown CSV column among them), 3 internal\n",
	        OTZ_DEFAULT_MAX_BYTES);
}

/* What every input of one run shares. */
typedef struct tr {
	otz_session *s;
	otz_translate_options to;
	otz_render_options ro;
	const char *default_title; /* --title, or NULL */
	size_t max_bytes;
	cli_input_format input_format; /* --input-format, or by extension */
	int json_lines; /* write one compact JSON object per line */
	int printed;    /* a text or md record has been written (separate the next) */
	const char *name; /* the input being read, for messages */
	int several;    /* several inputs: each record says which it came from */
	size_t elements; /* elements of the JSON array written so far */
	int headed;     /* the input being read has its heading (text and md) */
	size_t width;   /* wrap text records at this many columns; 0: as rendered */
} tr;

/* A text or md record (with its heading) to standard output: text wrapped
 * at t->width, when there is one. */
static int write_record(const tr *t, const char *p, size_t n)
{
	return cli_write_wrapped(stdout, p, n, t->ro.format == OTZ_FORMAT_TEXT ? t->width : 0);
}

/* The exit code for a JD of a stream that failed: 3 for memory, 1 for the rest. */
static int stream_exit_for(int otz_code)
{
	return otz_code == OTZ_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
}

/*
 * Translate one JD of a stream, found on line `line_no` of the input, with
 * `title` (NULL or empty: --title, or the engine's guess).  On failure
 * returns the engine's code with err filled.
 */
static int translate_jd(tr *t, size_t line_no, otz_record **rec, const char *text, size_t len,
                        const char *title, otz_error *err)
{
	otz_translate_options to = t->to;
	to.title = title && *title ? title : t->default_title;
	int e = otz_translate(rec, t->s, text, len, &to, err);
	if (e == 0 && (*rec)->limit_hits) {
		char where[4200];
		snprintf(where, sizeof(where), "%s:%zu", t->name, line_no);
		cli_report_limits(where, *rec);
	}
	return e;
}

/* `"record":` and the record as --format json prints it, on one line, in
 * *b: the record is rendered once, straight into the line (no parse and
 * dump again).  Returns the engine's code, err filled. */
static int record_member(const otz_record *r, otz_buf *b, otz_error *err)
{
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	ro.format = OTZ_FORMAT_JSON;
	ro.compact = 1;
	if (otz_buf_append(b, "\"record\":")) {
		err->code = OTZ_ENOMEM;
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return OTZ_ENOMEM;
	}
	return otz_render(b, r, &ro, err);
}


/* ------------------------------------------------------------------ */
/* --jsonl                                                            */
/* ------------------------------------------------------------------ */

/*
 * Write a line made whole in memory, out[0..n) with its '\n', and flush
 * it; frees `out`.  NULL is a line that could not be made for want of
 * memory.  Returns EXIT_OK, EXIT_INPUT when the output cannot be written,
 * EXIT_INTERNAL when out of memory.
 */
static int emit_raw(char *out, size_t n)
{
	int rc = EXIT_INTERNAL;
	if (!out) {
		cli_err("out of memory writing a JSON line");
		return rc;
	}
	rc = cli_write_all(stdout, out, n);
	if (!rc && fflush(stdout) != 0) {
		cli_err("error writing output");
		rc = EXIT_INPUT;
	}
	free(out);
	return rc;
}

/* Write `o` as one line, through emit_raw().  Takes `o`'s reference. */
static int emit_line(json_t *o)
{
	char *s = o ? json_dumps(o, LINE_JSON_FLAGS) : NULL;
	size_t n = s ? strlen(s) : 0;
	json_decref(o);
	if (s)
		s[n++] = '\n'; /* the dump's NUL gives way to the line end, written by length */
	return emit_raw(s, n);
}

/*
 * Write `head`'s members and then `member` (`"key":value`, already JSON) as
 * one object on one line, and flush it.  Takes `head`'s reference.
 * Returns what emit_line() does.
 */
static int emit_line_with(json_t *head, const otz_buf *member)
{
	char *h = head ? json_dumps(head, LINE_JSON_FLAGS) : NULL;
	json_decref(head);
	size_t hl = h ? strlen(h) : 0;
	/* the head without its closing brace, a comma if it has members, the
	 * member, the brace and the line end */
	char *line = hl >= 2 ? malloc(hl + 1 + member->len + 2) : NULL;
	size_t n = 0;
	if (line) {
		memcpy(line, h, hl - 1);
		n = hl - 1;
		if (hl > 2)
			line[n++] = ',';
		memcpy(line + n, member->ptr, member->len);
		n += member->len;
		line[n++] = '}';
		line[n++] = '\n';
	}
	free(h);
	return emit_raw(line, n);
}

/*
 * Write the error line of `it`: its id as written, then the members of the
 * object `err_obj` ("line":N,"error":"...").  Takes `err_obj`'s reference.
 * Returns what emit_raw() does.
 */
static int emit_error_item(const jsonl_item *it, json_t *err_obj)
{
	char *dump = err_obj ? json_dumps(err_obj, LINE_JSON_FLAGS) : NULL;
	char *out = NULL;
	size_t n = 0, l = dump ? strlen(dump) : 0;
	json_decref(err_obj);
	if (l >= 2) /* the object's members: its text without the braces */
		out = jsonl_out_line(it, 0, dump + 1, l - 2, &n);
	free(dump);
	return emit_raw(out, n);
}

/*
 * Write the error object of input line `line_no` ({"id":..,"line":N,"error":..};
 * the id as written, only if it is known) and say it on stderr too.
 * Returns the exit code of writing it.
 */
static int jsonl_error(tr *t, size_t line_no, const jsonl_item *it, const char *msg)
{
	char *fixed = NULL;
	size_t n = strlen(msg);
	cli_err("%s:%zu: %s", t->name, line_no, msg);
	/* The message may quote the engine's reading of the input: make it a JSON string. */
	if (otz_utf8_invalid_at(msg, n) < n && (fixed = utf8_repair(msg, n, &n)))
		msg = fixed;
	json_t *o = json_object();
	if (o && (json_object_set_new(o, "line", json_integer((json_int_t)line_no)) ||
	          json_object_set_new(o, "error", json_string(msg)))) {
		json_decref(o);
		o = NULL;
	}
	free(fixed);
	return emit_error_item(it, o);
}

/*
 * One line of a JSONL stream, without its line end (NULL when it was longer
 * than --max-bytes): translate it and write its output line, its fields
 * other than the JD copied as written.  Returns EXIT_OK; EXIT_INPUT or
 * EXIT_INTERNAL when the line failed (its error object is written); *stop
 * is set when the output can no longer be written.
 */
static int jsonl_line(tr *t, size_t line_no, char *line, size_t len, int *stop)
{
	char msg[1200];
	jsonl_item it = {0};
	otz_buf rec = OTZ_BUF_INIT;
	otz_record *r = NULL;
	otz_error err = {0, ""};
	int rc = EXIT_INPUT, wrc;

	if (!line) {
		snprintf(msg, sizeof(msg),
		         "the line is larger than the %zu-byte limit (raise it with --max-bytes)",
		         t->max_bytes);
		goto fail;
	}
	int prc = jsonl_parse(&it, line, len, t->to.lossy, msg, sizeof(msg));
	if (prc) {
		if (prc == -2)
			rc = EXIT_INTERNAL;
		goto fail;
	}
	int e = translate_jd(t, line_no, &r, it.text, it.text_len, it.title, &err);
	if (e == 0)
		e = record_member(r, &rec, &err);
	if (e) {
		rc = stream_exit_for(e);
		snprintf(msg, sizeof(msg), "%s", err.msg[0] ? err.msg : otz_strerror(e));
		goto fail;
	}
	size_t n = 0;
	char *out = jsonl_out_line(&it, 1, rec.ptr, rec.len, &n);
	wrc = emit_raw(out, n);
	rc = EXIT_OK;
	if (wrc) {
		rc = wrc;
		*stop = 1;
	}
	goto done;
fail:
	wrc = jsonl_error(t, line_no, &it, msg);
	if (wrc == EXIT_INPUT)
		*stop = 1;
done:
	otz_buf_dispose(&rec);
	otz_record_free(r);
	jsonl_item_clear(&it); /* the id and the members are read from its line: released only now */
	return rc;
}

/* A JSONL stream: every line in, one line out. */
static int translate_jsonl(tr *t, const char *path)
{
	int is_stdin = !path || strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	jsonlin rd;
	char *line;
	size_t len;
	int worst = EXIT_OK, stop = 0, too_long, got = 0;

	t->name = is_stdin ? "<stdin>" : path;
	if (!f) {
		cli_err("%s: %s", t->name, strerror(errno));
		return EXIT_INPUT;
	}
	jsonlin_open(&rd, f, t->max_bytes);
	while (!stop && (got = jsonlin_next(&rd, &line, &len, &too_long)) == 1) {
		int rc = jsonl_line(t, rd.line_no, line, len, &stop);
		if (rc > worst)
			worst = rc;
	}
	if (!stop && got < 0) {
		int e = errno, code = e == ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
		cli_err("%s: line %zu: %s", t->name, rd.line_no + 1, strerror(e));
		if (worst < code)
			worst = code;
	}
	if (stop && worst < EXIT_INPUT)
		worst = EXIT_INPUT;
	jsonlin_close(&rd);
	if (!is_stdin)
		fclose(f);
	return worst;
}

/* ------------------------------------------------------------------ */
/* --csv                                                              */
/* ------------------------------------------------------------------ */

static json_t *name_json(const char *name);
static int name_heading(const tr *t, const char *name, otz_buf *b);

/* A JSON line's first members: "input" (with several inputs), "row" and "line"; NULL when out of memory. */
static json_t *csv_line_head(const tr *t, size_t row_no, size_t line_no)
{
	json_t *o = json_object();
	if (o && ((t->several && json_object_set_new(o, "input", name_json(t->name))) ||
	          json_object_set_new(o, "row", json_integer((json_int_t)row_no)) ||
	          json_object_set_new(o, "line", json_integer((json_int_t)line_no)))) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

/* A row that failed: on stderr, and in JSON-lines output as the row's error object. */
static int csv_fail(tr *t, size_t row_no, size_t line_no, const char *msg)
{
	cli_err("%s: row %zu (line %zu): %s", t->name, row_no, line_no, msg);
	if (!t->json_lines)
		return EXIT_OK;
	json_t *o = csv_line_head(t, row_no, line_no);
	if (o && json_object_set_new(o, "error", json_string(msg))) {
		json_decref(o);
		o = NULL;
	}
	return emit_line(o);
}

/* csvin's error callback: a row without text, or with an unclosed quote. */
static void csv_row_error(void *ctx, size_t row_no, size_t line_no, const char *msg)
{
	csv_fail(ctx, row_no, line_no, msg);
}

/*
 * Set o[key] to the string s[0..n) unless o has that key already (the
 * line's own members come first; a column does not overwrite them, nor an
 * earlier column of the same name); bytes that are not UTF-8 become
 * U+FFFD, in the key too.  0, or -1 when out of memory.
 */
static int set_new_string(json_t *o, const char *key, const char *s, size_t n)
{
	size_t kl = strlen(key), kfl = kl, vfl = n;
	char *kfix = otz_utf8_invalid_at(key, kl) < kl ? utf8_repair(key, kl, &kfl) : NULL;
	char *vfix = otz_utf8_invalid_at(s, n) < n ? utf8_repair(s, n, &vfl) : NULL;
	int rc = 0;
	if ((kfl != kl && !kfix) || (vfl != n && !vfix))
		rc = -1;
	else if (!json_object_get(o, kfix ? kfix : key))
		rc = json_object_set_new(o, kfix ? kfix : key,
		                         json_stringn(vfix ? vfix : s, vfix ? vfl : n));
	free(kfix);
	free(vfix);
	return rc;
}

/* csvin's row callback: translate the row and write its record. */
static int csv_row(void *ctx, const csvin_row *row)
{
	tr *t = ctx;
	size_t row_no = row->row_no, line_no = row->line_no, title_len = row->title_len;
	size_t text_len = row->text_len;
	const char *title = row->title, *text = row->text;
	char msg[1200];
	char *fixed = NULL;
	otz_record *r = NULL;
	otz_buf b = OTZ_BUF_INIT;
	otz_error err = {0, ""};
	int rc = EXIT_INPUT, wrc;

	if (text_len > t->max_bytes) {
		snprintf(msg, sizeof(msg),
		         "the text is larger than the %zu-byte limit (raise it with --max-bytes)",
		         t->max_bytes);
		goto fail;
	}
	/* The engine checks the text; the title goes into the record as it is, so check it here. */
	if (title && otz_utf8_invalid_at(title, title_len) < title_len) {
		if (!t->to.lossy) {
			snprintf(msg, sizeof(msg),
			         "invalid UTF-8 at byte %zu of the title (use --lossy to replace bad bytes)",
			         otz_utf8_invalid_at(title, title_len));
			goto fail;
		}
		fixed = utf8_repair(title, title_len, &title_len);
		if (!fixed) {
			rc = EXIT_INTERNAL;
			snprintf(msg, sizeof(msg), "out of memory");
			goto fail;
		}
		title = fixed;
	}
	int e = translate_jd(t, line_no, &r, text, text_len, title, &err);
	if (e == 0)
		e = t->json_lines ? record_member(r, &b, &err) : otz_render(&b, r, &t->ro, &err);
	if (e) {
		rc = stream_exit_for(e);
		if (e == OTZ_EUTF8 && !t->to.lossy)
			snprintf(msg, sizeof(msg), "%s (use --lossy to replace bad bytes)", err.msg);
		else
			snprintf(msg, sizeof(msg), "%s", err.msg[0] ? err.msg : otz_strerror(e));
		goto fail;
	}
	if (t->json_lines) {
		json_t *o = csv_line_head(t, row_no, line_no);
		/* The row's own id, when the CSV has an id column, then its other
		 * columns, as a JSON line's other fields are carried through. */
		if (o && row->id && set_new_string(o, "id", row->id, row->id_len)) {
			json_decref(o);
			o = NULL;
		}
		for (size_t i = 0; o && i < row->nothers; i++) {
			const csvin_field *c = &row->others[i];
			/* what the line itself says, and a reader tests for */
			if (!strcmp(c->name, "record") || !strcmp(c->name, "error"))
				continue;
			if (set_new_string(o, c->name, c->value, c->value_len)) {
				json_decref(o);
				o = NULL;
			}
		}
		wrc = emit_line_with(o, &b);
	} else {
		otz_buf head = OTZ_BUF_INIT;
		wrc = EXIT_OK;
		if (t->printed && fputc('\n', stdout) == EOF)
			wrc = EXIT_INPUT;
		/* with several inputs, each one's records under its name */
		if (!wrc && t->several && !t->headed) {
			wrc = name_heading(t, t->name, &head) ? EXIT_INTERNAL
			                                       : cli_write_all(stdout, head.ptr, head.len);
			t->headed = 1;
		}
		otz_buf_dispose(&head);
		if (!wrc)
			wrc = write_record(t, b.ptr, b.len);
		if (!wrc && fflush(stdout) != 0) {
			cli_err("error writing output");
			wrc = EXIT_INPUT;
		}
		t->printed = 1;
	}
	rc = wrc ? CSVIN_STOP : EXIT_OK;
	goto done;
fail:
	wrc = csv_fail(t, row_no, line_no, msg);
	if (wrc == EXIT_INPUT)
		rc = CSVIN_STOP;
done:
	otz_buf_dispose(&b);
	otz_record_free(r);
	free(fixed);
	return rc;
}

/* A CSV stream: one record, or one error, per row. */
static int translate_csv(tr *t, const char *path, const csvin_options *co)
{
	int is_stdin = !path || strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	int rc = EXIT_INPUT;

	t->name = is_stdin ? "<stdin>" : path;
	t->headed = 0;
	if (!f) {
		cli_err("%s: %s", t->name, strerror(errno));
		goto done;
	}
	char msg[1024];
	rc = csvin_each(f, co, csv_row, csv_row_error, t, msg, sizeof(msg));
	if (*msg)
		cli_err("%s: %s", t->name, msg);
done:
	if (f && !is_stdin)
		fclose(f);
	return rc;
}

/* ------------------------------------------------------------------ */
/* whole files                                                        */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* several inputs                                                     */
/* ------------------------------------------------------------------ */

/*
 * With several inputs every record says which one it came from.  Text and
 * Markdown records are headed by "==> NAME <==" (as head(1) heads files),
 * the name escaped for the format: a file name is a stranger's text, and
 * its control characters would reach the terminal.  JSON is one document,
 * an array with an element per input, each on its own line:
 * {"input":NAME,"record":{...}} or {"input":NAME,"error":"..."}.
 */

/* The name as a JSON string: its bytes that are not UTF-8 become U+FFFD. */
static json_t *name_json(const char *name)
{
	size_t n = strlen(name), fl;
	if (otz_utf8_invalid_at(name, n) >= n)
		return json_string(name);
	char *fixed = utf8_repair(name, n, &fl);
	json_t *j = fixed ? json_stringn(fixed, fl) : NULL;
	free(fixed);
	return j;
}

/* The heading of an input's records in text and Markdown, into b: control
 * characters escaped for a terminal, and in Markdown its markup too. */
static int name_heading(const tr *t, const char *name, otz_buf *b)
{
	otz_buf safe = OTZ_BUF_INIT;
	int rc = otz_term_escape(&safe, name) || otz_buf_append(&safe, "") ||
	         otz_buf_append(b, "==> ");
	if (!rc)
		rc = t->ro.format == OTZ_FORMAT_MD ? otz_md_escape(b, safe.ptr)
		                                   : otz_buf_append(b, safe.ptr);
	otz_buf_dispose(&safe);
	return rc ? OTZ_ENOMEM : otz_buf_append(b, " <==\n\n");
}

/*
 * Write one element of the array: `head`'s members, then `member` (JSON
 * text, or NULL), after "[\n" for the first element and ",\n" for the
 * others; flushed.  Takes `head`'s reference.  Returns what emit_raw() does.
 */
static int array_element(tr *t, json_t *head, const otz_buf *member)
{
	char *h = head ? json_dumps(head, LINE_JSON_FLAGS) : NULL;
	json_decref(head);
	size_t hl = h ? strlen(h) : 0, ml = member ? member->len : 0;
	char *el = hl >= 2 ? malloc(2 + hl + 1 + ml) : NULL;
	size_t n = 0;
	if (el) {
		memcpy(el, t->elements ? ",\n" : "[\n", 2);
		n = 2;
		memcpy(el + n, h, hl - 1); /* without its closing brace */
		n += hl - 1;
		if (member) {
			el[n++] = ',';
			memcpy(el + n, member->ptr, ml);
			n += ml;
		}
		el[n++] = '}';
	}
	free(h);
	t->elements++;
	return emit_raw(el, n);
}

/* The end of the array, when elements were written; EXIT_OK or EXIT_INPUT. */
static int array_end(const tr *t)
{
	if (!t->elements)
		return EXIT_OK;
	int rc = cli_write_all(stdout, "\n]\n", 3);
	if (!rc && fflush(stdout) != 0) {
		cli_err("error writing output");
		rc = EXIT_INPUT;
	}
	return rc;
}

/* The element of an input that failed (`why` without its name). */
static int array_error(tr *t, const char *name, const char *why)
{
	json_t *o = json_object(), *n = name_json(name);
	char *fixed = NULL;
	size_t wl = strlen(why);
	if (otz_utf8_invalid_at(why, wl) < wl && (fixed = utf8_repair(why, wl, &wl)))
		why = fixed;
	if (o && (json_object_set_new(o, "input", n) ||
	          json_object_set_new(o, "error", json_string(why)))) {
		json_decref(o);
		o = NULL;
	}
	free(fixed);
	return array_element(t, o, NULL);
}

/* ------------------------------------------------------------------ */
/* whole files                                                        */
/* ------------------------------------------------------------------ */

/* One input read whole and translated into one record, as before the stream modes. */
static int translate_file(tr *t, const char *path)
{
	const char *name = path && strcmp(path, "-") ? path : "<stdin>";
	size_t nl = strlen(name);
	int as_element = t->several && t->ro.format == OTZ_FORMAT_JSON;
	cli_input in = {0};
	otz_record *r = NULL;
	otz_buf out = OTZ_BUF_INIT;
	otz_error err = {0, ""};
	char why[sizeof(err.msg) + 64] = "";
	int frc = EXIT_OK, wrc = EXIT_OK, e;
	struct stat st;
	if (path && strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(why, sizeof(why),
		         "a folder, not a file; 'otiose batch FOLDER -o OUT' translates the postings "
		         "below a folder");
		frc = EXIT_INPUT;
		goto done;
	}
	cli_read_opts ro = {t->max_bytes, t->input_format, t->to.lossy};
	if ((e = cli_input_read(path, &ro, &in, &err))) {
		/* The reader's message names the input first; `why` is the rest. */
		const char *m = err.msg;
		if (strncmp(m, name, nl) == 0 && m[nl] == ':' && m[nl + 1] == ' ')
			m += nl + 2;
		snprintf(why, sizeof(why), "%s", m);
		frc = e == OTZ_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
		goto done;
	}
	/* A JSON input's own title first, as in the stream modes; then --title. */
	otz_translate_options to = t->to;
	if (in.title && *in.title)
		to.title = in.title;
	e = otz_translate(&r, t->s, in.text, in.len, &to, &err);
	if (e == 0) {
		cli_report_limits(name, r);
		if (as_element)
			e = record_member(r, &out, &err);
		else if (!(e = t->several ? name_heading(t, name, &out) : 0))
			e = otz_render(&out, r, &t->ro, &err);
	}
	if (e) {
		snprintf(why, sizeof(why), "%s%s", err.msg[0] ? err.msg : otz_strerror(e),
		         e == OTZ_EUTF8 && !t->to.lossy ? " (use --lossy to replace bad bytes)" : "");
		frc = cli_exit_for(e);
	}
done:
	if (frc)
		cli_err("%s: %s", name, why);
	if (as_element && frc) {
		wrc = array_error(t, name, why);
	} else if (as_element) {
		json_t *head = json_object();
		if (head && json_object_set_new(head, "input", name_json(name))) {
			json_decref(head);
			head = NULL;
		}
		wrc = array_element(t, head, &out);
	} else if (!frc) {
		if (t->ro.format != OTZ_FORMAT_JSON && t->printed && fputc('\n', stdout) == EOF)
			wrc = EXIT_INPUT;
		if (!wrc)
			wrc = write_record(t, out.ptr, out.len);
		t->printed = 1;
		if (!wrc && fflush(stdout) != 0)
			wrc = EXIT_INPUT;
	}
	otz_buf_dispose(&out);
	otz_record_free(r);
	cli_input_dispose(&in);
	return frc > wrc ? frc : wrc;
}

int cmd_translate(int argc, char **argv)
{
	enum { OPT_JSONL = 256, OPT_CSV, OPT_TEXT_COL, OPT_TITLE_COL, OPT_SHOW_RULES, OPT_DELIM,
	       OPT_WIDTH };
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'}, {"title", required_argument, NULL, 't'},
		{"related", required_argument, NULL, 'n'}, {"lossy", no_argument, NULL, 'L'},
		{"max-bytes", required_argument, NULL, 'M'}, {"db", required_argument, NULL, 'D'},
		{"color", required_argument, NULL, 'C'}, {"colour", required_argument, NULL, 'C'},
		{"jsonl", no_argument, NULL, OPT_JSONL}, {"csv", no_argument, NULL, OPT_CSV},
		{"text-col", required_argument, NULL, OPT_TEXT_COL},
		{"title-col", required_argument, NULL, OPT_TITLE_COL},
		{"delimiter", required_argument, NULL, OPT_DELIM},
		{"show-rules", no_argument, NULL, OPT_SHOW_RULES}, CLI_INPUT_FORMAT_OPTION,
		{"width", required_argument, NULL, OPT_WIDTH},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	tr t = {NULL, OTZ_TRANSLATE_OPTIONS_INIT, OTZ_RENDER_OPTIONS_INIT, NULL, OTZ_DEFAULT_MAX_BYTES,
	        CLI_INPUT_AUTO, 0, 0, NULL, 0, 0, 0, 0};
	long width = -1; /* --width, or -1: the terminal's */
	const char *db = NULL, *color = "auto";
	csvin_options co = CSVIN_OPTIONS_INIT;
	int delim_set = 0;
	int jsonl = 0, csv = 0, format_set = 0, input_format_set = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:t:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (cli_parse_format(optarg, &t.ro.format))
				return cli_usage_error("translate", CLI_FORMAT_ERROR, optarg);
			format_set = 1;
			break;
		case 't':
			/* An empty title would be a record titled by nothing, not the
			 * engine's guess; leaving --title out is how to ask for that. */
			if (!optarg[strspn(optarg, " \t")])
				return cli_usage_error("translate", "--title is empty; give the role's title, or "
				                                    "leave --title out to take it from the JD");
			t.to.title = optarg;
			t.default_title = optarg;
			break;
		case 'n': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 16)
				return cli_usage_error("translate", "--related takes a number from 1 to 16");
			t.to.related = (size_t)v;
			break;
		}
		case 'L':
			t.to.lossy = 1;
			break;
		case 'M':
			if (cli_max_bytes_option("translate", optarg, &t.max_bytes))
				return EXIT_USAGE;
			break;
		case 'D':
			db = optarg;
			break;
		case 'C':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				return cli_usage_error("translate", "--color takes auto, always or never");
			color = optarg;
			break;
		case OPT_JSONL:
			jsonl = 1;
			break;
		case OPT_SHOW_RULES:
			t.ro.show_rules = 1;
			break;
		case OPT_WIDTH: {
			char *end;
			width = optarg[0] >= '0' && optarg[0] <= '9' ? strtol(optarg, &end, 10) : -1;
			if (width < 0 || *end || width > CLI_MAX_WIDTH)
				return cli_usage_error("translate", "--width takes a number of columns from 0 "
				                                    "(do not wrap) to %d", CLI_MAX_WIDTH);
			break;
		}
		case CLI_OPT_INPUT_FORMAT:
			if (cli_input_format_option("translate", optarg, &t.input_format))
				return EXIT_USAGE;
			input_format_set = 1;
			break;
		case OPT_CSV:
			csv = 1;
			break;
		case OPT_TEXT_COL:
			if (!*optarg)
				return cli_usage_error("translate", "--text-col takes a column name or number");
			co.text_col = optarg;
			break;
		case OPT_TITLE_COL:
			if (!*optarg)
				return cli_usage_error("translate", "--title-col takes a column name or number");
			co.title_col = optarg;
			break;
		case OPT_DELIM:
			if (csvin_parse_delimiter(optarg, &co.delimiter))
				return cli_usage_error("translate", CSVIN_DELIMITER_ERROR, optarg);
			delim_set = 1;
			break;
		case 'h':
			help(stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("translate", "bad option");
		}
	}
	if (jsonl && format_set && t.ro.format != OTZ_FORMAT_JSON)
		return cli_usage_error("translate", "--jsonl writes JSON lines; it cannot be given "
		                                    "with --format text, md or html");
	/* An HTML record is a whole page; two of them on one stream would be one
	 * broken page, so several JDs go through `otiose batch` instead. */
	if (t.ro.format == OTZ_FORMAT_HTML && (jsonl || csv || argc - optind > 1))
		return cli_usage_error("translate", "--format html writes one page for one JD; "
		                                    "use 'otiose batch --format html -o DIR' for "
		                                    "several");
	if ((co.text_col || co.title_col || delim_set) && !csv)
		return cli_usage_error("translate", "--text-col, --title-col and --delimiter go with --csv");
	if (input_format_set && (jsonl || csv))
		return cli_usage_error("translate", "--input-format says how to read whole files; "
		                                    "--jsonl and --csv read their own formats");
	t.json_lines = jsonl || (csv && t.ro.format == OTZ_FORMAT_JSON);
	co.row_limit = csv_row_limit(t.max_bytes);
	co.others = t.json_lines; /* carried into the JSON lines, as a JSON line's are */
	int nfiles = argc - optind;
	if (nfiles == 0 && isatty(STDIN_FILENO)) {
		help(stderr);
		return EXIT_USAGE;
	}
	t.ro.color = cli_want_color(color, stdout);
	t.width = width >= 0 ? (size_t)width : cli_term_width(stdout);

	otz_engine *e = NULL;
	int rc = cli_load_engine(db, &e, 0);
	if (rc)
		return rc;
	if (otz_session_new(&t.s, e)) {
		cli_err("out of memory");
		otz_engine_free(e);
		return EXIT_INTERNAL;
	}
	int worst = EXIT_OK;
	t.several = nfiles > 1;
	for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
		const char *path = nfiles ? argv[optind + i] : NULL;
		int frc;
		if (csv)
			frc = translate_csv(&t, path, &co);
		else if (jsonl)
			frc = translate_jsonl(&t, path);
		else
			frc = translate_file(&t, path);
		if (frc > worst)
			worst = frc;
	}
	int arc = array_end(&t);
	if (arc > worst)
		worst = arc;
	otz_session_free(t.s);
	otz_engine_free(e);
	return worst;
}
