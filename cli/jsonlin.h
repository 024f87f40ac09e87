/*
 * jsonlin.h - read job descriptions from a JSON-lines stream.
 *
 * Each line of the stream is one JSON object: "text" (or "description") is
 * the JD, "title" its title, "id" anything the caller wants back.  The
 * reader holds one line at a time and never more than the line limit of it:
 * a longer line is read past, not stored, and reported as too long, so a
 * 100 MB line costs no more memory than the limit.  jsonlin_parse() checks
 * a line and picks out its fields without printing anything; the caller
 * decides what an error line looks like.
 */
#ifndef OTZ_JSONLIN_H
#define OTZ_JSONLIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "include/otz.h"

/*
 * A copy of s[0..n) with every byte that starts no valid sequence replaced
 * by U+FFFD, as --lossy does to a whole input.  malloc'ed, NUL-terminated,
 * owned by the caller; NULL when out of memory.
 */
char *utf8_repair(const char *s, size_t n, size_t *outlen);

/* A line reader over a stream; zero-initialize, then jsonlin_open(). */
typedef struct jsonlin {
	FILE *f;
	size_t limit;   /* longest line kept, in bytes (without its line end) */
	char *buf;
	size_t cap;
	size_t line_no; /* the line last returned, from 1 */
} jsonlin;

void jsonlin_open(jsonlin *r, FILE *f, size_t limit);
void jsonlin_close(jsonlin *r); /* frees the buffer; does not close the stream */

/*
 * The next line, without "\n" or "\r\n": *line (NUL-terminated, owned by
 * the reader until the next call) and *len.  When the line is longer than
 * the limit, *too_long is set, *line is NULL and the line is consumed.
 * Returns 1 for a line, 0 at the end of the stream, -1 on a read error
 * (errno kept) or when out of memory (errno ENOMEM).
 */
int jsonlin_next(jsonlin *r, char **line, size_t *len, int *too_long);

/* What one line holds once parsed; zero-initialize. */
typedef struct jsonl_item {
	json_t *in;         /* the whole object (owned; jsonl_item_clear) */
	json_t *id;         /* its "id", borrowed from `in`, or NULL */
	const char *text;   /* "text" or "description" */
	size_t text_len;
	const char *title;  /* "title", or NULL */
	char *fixed;        /* the repaired line when it had invalid UTF-8 (owned) */
} jsonl_item;

/*
 * Parse one line.  Invalid UTF-8 is repaired with U+FFFD when `lossy`;
 * otherwise it fails the line, but the line is still read (repaired) to
 * find the "id" the error should name.  The JD is found by cli_json_jd(),
 * the rule every JSON input follows.  Returns 0, or -1 with `msg` saying
 * why (the line is not JSON, not an object, has no JD by that rule, is
 * blank, has invalid UTF-8), or -2 when out of memory.  In every case *it
 * may hold an id and must be cleared.
 */
int jsonl_parse(jsonl_item *it, char *line, size_t len, int lossy, char *msg, size_t msgsz);
void jsonl_item_clear(jsonl_item *it);

#endif
