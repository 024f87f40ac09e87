/*
 * fuzz_jsonl.c - the JSON-lines reader of `translate --jsonl` on any bytes:
 * the bounded line reader and the parser of each line.
 *
 * The line limit is small (1 KB) so that over-long lines are common.
 * Checks: every byte of the stream is accounted to some line; a line that
 * is returned is within the limit and holds no newline; a parsed line has a
 * string text of the length jansson reports, valid UTF-8 unless the line
 * was refused for it; a refused line has a message.  The line's scanner
 * agrees with jansson on what is JSON, and on what is an object, but where
 * jansson cannot hold a value (a number past a double's range, a NUL in a
 * key), counts depth its own way or reads a raw NUL byte; and the output line of an object
 * (jsonl_out_line) is one line that jansson reads as the input's members
 * with the JD's fields taken out.
 */
#include <string.h>

#include "../../cli/jsonlin.h"
#include "fuzz.h"

#define LIMIT 1024

/* How jansson reads a line or an output line: big integers as reals, NULs in strings kept. */
#define LOAD_FLAGS (JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL)

/* Is a jansson error one of the things the scanner takes and jansson cannot hold? */
static int beyond_jansson(const json_error_t *je)
{
	return strstr(je->text, "overflow") || strstr(je->text, "NUL byte in object key") ||
	       strstr(je->text, "maximum parsing depth");
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * A valid UTF-8 line the scanner read: compare it with jansson's reading.
 * `scanned`: the scanner took the line as an object (whatever it then said
 * of its JD).
 */
static void compare(const jsonl_item *it, const char *line, size_t len, const char *msg,
                    int scanned)
{
	json_error_t je;
	json_t *in = json_loadb(line, len, LOAD_FLAGS, &je);
	if (!in) {
		/* jansson refuses: so does the scanner, unless jansson cannot hold the value */
		FUZZ_CHECK(!scanned || beyond_jansson(&je));
		return;
	}
	if (!json_is_object(in))
		FUZZ_CHECK(starts(msg, "not a JSON object but "));
	else
		FUZZ_CHECK(scanned || starts(msg, "not JSON: values nested"));
	if (scanned) {
		size_t n;
		char *out = jsonl_out_line(it, 1, "\"record\":0", 10, &n);
		FUZZ_CHECK(out != NULL);
		FUZZ_CHECK(n >= 2 && out[n - 1] == '\n' && !memchr(out, '\n', n - 1) &&
		           !memchr(out, '\r', n));
		json_t *o = json_loadb(out, n, LOAD_FLAGS, &je);
		FUZZ_CHECK(json_is_object(o));
		/* the output, less its record, is the input less the JD, with an id */
		FUZZ_CHECK(json_is_integer(json_object_get(o, "record")) ||
		           json_is_real(json_object_get(o, "record")));
		json_object_del(o, "record");
		const char *drop[] = {"text", "description", "title", "record"};
		for (size_t k = 0; k < 4; k++)
			json_object_del(in, drop[k]);
		if (!json_object_get(in, "id"))
			json_object_set_new(in, "id", json_null());
		FUZZ_CHECK(json_equal(in, o));
		json_decref(o);
		free(out);
	}
	json_decref(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size ? size : 1, "rb");
	if (!f)
		return 0;
	if (size == 0) { /* fmemopen will not take an empty buffer; read past its byte */
		fgetc(f);
	}
	jsonlin rd;
	char *line, msg[1200];
	size_t len, lines = 0, newlines = 0;
	int too_long, got;
	int lossy = size && (data[0] & 1);

	for (size_t i = 0; i < size; i++)
		newlines += data[i] == '\n';
	jsonlin_open(&rd, f, LIMIT);
	while ((got = jsonlin_next(&rd, &line, &len, &too_long)) == 1) {
		lines++;
		FUZZ_CHECK(rd.line_no == lines);
		if (too_long) {
			FUZZ_CHECK(line == NULL);
			continue;
		}
		FUZZ_CHECK(len <= LIMIT && line[len] == '\0' && !memchr(line, '\n', len));
		jsonl_item it;
		msg[0] = '\0';
		int rc = jsonl_parse(&it, line, len, lossy, msg, sizeof(msg));
		if (rc == 0) {
			FUZZ_CHECK(it.text != NULL);
			FUZZ_CHECK(fuzz_valid_utf8(it.text, it.text_len));
			FUZZ_CHECK(!it.title || fuzz_valid_utf8(it.title, strlen(it.title)));
		} else {
			FUZZ_CHECK(rc == -1 || rc == -2);
			FUZZ_CHECK(msg[0] != '\0');
		}
		/* (jansson reads a raw NUL byte, which JSON does not allow, as it pleases) */
		if (rc != -2 && !starts(msg, "blank line") && fuzz_valid_utf8(line, len) &&
		    !memchr(line, '\0', len))
			compare(&it, line, len, msg,
			        rc == 0 || !(starts(msg, "not JSON") || starts(msg, "not a JSON object")));
		if (it.id && !it.fixed) /* what is kept as written lies within the line */
			FUZZ_CHECK(it.id >= line && it.id + it.id_len <= line + len);
		for (size_t k = 0; k < it.nkeep && !it.fixed; k++)
			FUZZ_CHECK(line[it.keep[k].key] == '"' && it.keep[k].val + it.keep[k].val_len <= len);
		jsonl_item_clear(&it);
	}
	FUZZ_CHECK(got == 0);
	/* one line per newline, and one more for bytes after the last newline */
	FUZZ_CHECK(lines == newlines + (size && data[size - 1] != '\n'));
	jsonlin_close(&rd);
	fclose(f);
	return 0;
}
