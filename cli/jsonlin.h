/*
 * jsonlin.h - read job descriptions from a JSON-lines stream.
 *
 * Each line of the stream is one JSON object: "text" (or "description") is
 * the JD, "title" its title, "id" anything the caller wants back.  The
 * reader holds one line at a time and never more than the line limit of it:
 * a longer line is read past, not stored, and reported as too long, so a
 * 100 MB line costs no more memory than the limit.  jsonl_parse() checks
 * a line and picks out its fields without printing anything, and
 * jsonl_out_line() writes the line's fields back as they were written
 * around what the caller adds; the caller decides what an error line looks
 * like.
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

/* One member of a line's object, as written: offsets into the line. */
typedef struct jsonl_member {
	size_t key, key_len; /* the key, its quotes included */
	size_t val, val_len; /* the value, without the whitespace around it */
} jsonl_member;

/* What one line holds once parsed; zero-initialize. */
typedef struct jsonl_item {
	const char *line;     /* the line the offsets below are into (it, or `fixed`) */
	const char *id;       /* the last "id" as written (not NUL-terminated), or NULL */
	size_t id_len;
	jsonl_member *keep;   /* the members copied through, in order (owned) */
	size_t nkeep, capkeep;
	json_t *jd;           /* "text", "description" and "title", decoded (owned) */
	const char *text;     /* "text" or "description", borrowed from jd */
	size_t text_len;
	const char *title;    /* "title", or NULL */
	char *fixed;          /* the repaired line when it had invalid UTF-8 (owned) */
} jsonl_item;

/*
 * Parse one line.  The line is read by a scanner of JSON text (RFC 8259)
 * that keeps each member of the object as written, so that what is copied
 * through keeps every digit and every escape: a number of any length or
 * precision, a string, a nested value.  Only the JD's fields ("text",
 * "description", "title") are decoded, with jansson; "id" is kept as
 * written, and the members other than those and "record" are kept in
 * `keep`, duplicates and all.  Invalid UTF-8 is repaired with U+FFFD when
 * `lossy`; otherwise it fails the line, but the line is still read
 * (repaired) to find the "id" the error should name.  The JD is found by
 * cli_json_jd(), the rule every JSON input follows.  Returns 0, or -1 with
 * `msg` saying why (the line is not JSON, and where; JSON but not an
 * object, and what it is; has no JD by that rule; is blank; has invalid
 * UTF-8), or -2 when out of memory.  In every case *it may hold an id and
 * must be cleared.  Time and memory are linear in the line.
 */
int jsonl_parse(jsonl_item *it, char *line, size_t len, int lossy, char *msg, size_t msgsz);
void jsonl_item_clear(jsonl_item *it);

/*
 * The output line of a parsed line: '{', "id" as written (or null; left
 * out when there is none and `with_members` is 0), the kept members as
 * written when `with_members`, then tail[0..tail_len) (more members, such
 * as "record":{...}: JSON text without a leading comma, or nothing), '}'
 * and '\n'.  A carriage return between the tokens of a kept value is
 * written as a space, so the line is one line to every line reader.
 * malloc'ed, owned by the caller, *outlen bytes (not NUL-terminated); NULL
 * when out of memory.
 */
char *jsonl_out_line(const jsonl_item *it, int with_members, const char *tail, size_t tail_len,
                     size_t *outlen);

#endif
