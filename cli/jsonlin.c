/*
 * jsonlin.c - read job descriptions from a JSON-lines stream (jsonlin.h).
 */
#include "jsonlin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "cli.h"

/* A line buffer grown past this by one long line is released, not kept. */
#define KEEP_LINE_BYTES (1u << 20)

char *utf8_repair(const char *s, size_t n, size_t *outlen)
{
	if (n > (SIZE_MAX - 1) / 3)
		return NULL;
	char *out = malloc(3 * n + 1);
	size_t o = 0, i = 0;
	if (!out)
		return NULL;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(out + o, s + i, (size_t)k);
			o += (size_t)k;
			i += (size_t)k;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

void jsonlin_open(jsonlin *r, FILE *f, size_t limit)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->limit = limit;
}

void jsonlin_close(jsonlin *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

/* Room for one more piece: the buffer doubled, up to the limit, a '\n' and a NUL; 0 or -1. */
static int grow(jsonlin *r)
{
	size_t most = r->limit > SIZE_MAX - 3 ? SIZE_MAX : r->limit + 3;
	size_t cap = r->cap ? 2 * r->cap : 4096;
	if (cap > most)
		cap = most;
	if (cap <= r->cap)
		return 0;
	char *p = realloc(r->buf, cap);
	if (!p)
		return -1;
	r->buf = p;
	r->cap = cap;
	return 0;
}

int jsonlin_next(jsonlin *r, char **line, size_t *len, int *too_long)
{
	char scratch[4096]; /* where the rest of an over-long line is read and dropped */
	size_t n = 0;
	int any = 0, over = 0, ends = 0;

	*line = NULL;
	*len = 0;
	*too_long = 0;
	if (r->cap > KEEP_LINE_BYTES)
		jsonlin_close(r);
	while (!ends) {
		if (!over && n + 1 >= r->cap && grow(r)) {
			errno = ENOMEM;
			return -1;
		}
		/* Kept: up to limit + 1 bytes, enough to see a "\r" before the "\n" */
		if (!over && n + 1 >= r->cap)
			over = 1;
		size_t got = over ? cli_read_piece(r->f, scratch, sizeof(scratch), &ends)
		                  : cli_read_piece(r->f, r->buf + n, r->cap - 1 - n, &ends);
		if (!got)
			break;
		any = 1;
		if (!over)
			n += got;
	}
	if (ferror(r->f))
		return -1;
	if (!any)
		return 0;
	r->line_no++;
	if (over) {
		*too_long = 1;
		return 1;
	}
	if (ends)
		n--; /* the '\n' */
	if (n && r->buf[n - 1] == '\r')
		n--;
	if (n > r->limit) {
		*too_long = 1;
		return 1;
	}
	r->buf[n] = '\0';
	*line = r->buf;
	*len = n;
	return 1;
}

void jsonl_item_clear(jsonl_item *it)
{
	json_decref(it->in); /* id, text and title are borrowed from it */
	free(it->fixed);
	memset(it, 0, sizeof(*it));
}

int jsonl_parse(jsonl_item *it, char *line, size_t len, int lossy, char *msg, size_t msgsz)
{
	memset(it, 0, sizeof(*it));
	if (strspn(line, " \t\r\f\v") == len) {
		snprintf(msg, msgsz, "blank line: expected a JSON object with a \"text\"");
		return -1;
	}
	size_t bad = otz_utf8_invalid_at(line, len);
	if (bad < len) {
		it->fixed = utf8_repair(line, len, &len);
		if (!it->fixed) {
			snprintf(msg, msgsz, "out of memory");
			return -2;
		}
		line = it->fixed;
	}
	json_error_t je;
	/* JSON_ALLOW_NUL: a "\u0000" in a string is kept and found by the normalizer */
	it->in = json_loadb(line, len, JSON_ALLOW_NUL, &je);
	if (json_is_object(it->in))
		it->id = json_object_get(it->in, "id");
	if (bad < len && !lossy) {
		snprintf(msg, msgsz,
		         "invalid UTF-8 at byte %zu of the line (use --lossy to replace bad bytes)", bad);
		return -1;
	}
	if (!it->in) {
		snprintf(msg, msgsz, "not JSON: %s (at column %d)", je.text, je.column);
		return -1;
	}
	if (!json_is_object(it->in)) {
		snprintf(msg, msgsz, "not a JSON object: each line must be {\"text\": ...}");
		return -1;
	}
	return cli_json_jd(it->in, &it->text, &it->text_len, &it->title, msg, msgsz);
}
