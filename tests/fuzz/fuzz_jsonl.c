/*
 * fuzz_jsonl.c - the JSON-lines reader of `translate --jsonl` on any bytes:
 * the bounded line reader and the parser of each line.
 *
 * The line limit is small (1 KB) so that over-long lines are common.
 * Checks: every byte of the stream is accounted to some line; a line that
 * is returned is within the limit and holds no newline; a parsed line has a
 * string text of the length jansson reports, valid UTF-8 unless the line
 * was refused for it; a refused line has a message.
 */
#include <string.h>

#include "../../cli/jsonlin.h"
#include "fuzz.h"

#define LIMIT 1024

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
		jsonl_item_clear(&it);
	}
	FUZZ_CHECK(got == 0);
	/* one line per newline, and one more for bytes after the last newline */
	FUZZ_CHECK(lines == newlines + (size && data[size - 1] != '\n'));
	jsonlin_close(&rd);
	fclose(f);
	return 0;
}
