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

/*
 * Room for one more piece: the buffer doubled, up to the limit, a '\n' and
 * a NUL; 0 or -1.  The limit is at most CLI_SIZE_LIMIT (cli_parse_size),
 * but neither sum nor doubling may wrap round whatever it is: a wrapped
 * size shrank the buffer under the line being read.
 */
static int grow(jsonlin *r)
{
	size_t most = r->limit > SIZE_MAX - 3 ? SIZE_MAX : r->limit + 3;
	size_t cap = !r->cap ? 4096 : r->cap > SIZE_MAX / 2 ? SIZE_MAX : 2 * r->cap;
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

/* ------------------------------------------------------------------ */
/* the scanner of a line's JSON text                                   */
/* ------------------------------------------------------------------ */

/*
 * The scanner checks JSON text as RFC 8259 writes it and, for the line's
 * own object, notes where each member's key and value begin and end, so
 * that they can be copied as written: jansson reads numbers into a long
 * long or a double, and a number written back from one has lost digits (or
 * was refused as too big).  It reads each byte once, keeps no more than a
 * bit for each level of nesting, and nests no deeper than jansson does, so
 * a line is refused for depth where it was before.  It is run on valid
 * UTF-8 (the line, or its repair) and so checks no encoding; like jansson,
 * it refuses a \u escape of half a surrogate pair.
 */

/* The deepest a value may nest, the line's own object counted, as jansson allows. */
#define MAX_DEPTH 2048

typedef struct scan {
	const char *s;
	size_t n, i;     /* the text, its length, the next byte to read */
	size_t at;       /* where the text went wrong, when a scan fails */
	const char *why; /* and why */
} scan;

static int fail(scan *sc, size_t at, const char *why)
{
	sc->at = at;
	sc->why = why;
	return -1;
}

static void skip_ws(scan *sc)
{
	while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
	                         sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
		sc->i++;
}

static int is_digit(scan *sc, size_t i)
{
	return i < sc->n && sc->s[i] >= '0' && sc->s[i] <= '9';
}

/* The four hex digits at s[i..i+4) as a number, or -1. */
static long hex4(const char *s, size_t n, size_t i)
{
	long v = 0;
	if (i > n || n - i < 4)
		return -1;
	for (size_t k = i; k < i + 4; k++) {
		int c = (unsigned char)s[k], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A string, from its opening quote at sc->i to past its closing one. */
static int scan_string(scan *sc)
{
	const char *s = sc->s;
	size_t i = sc->i + 1;
	for (;;) {
		if (i >= sc->n)
			return fail(sc, sc->i, "a string that is never closed");
		unsigned char c = (unsigned char)s[i];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(sc, i, "a control character in a string (write it as an escape)");
		if (c != '\\') {
			i++;
			continue;
		}
		if (i + 1 >= sc->n)
			return fail(sc, sc->i, "a string that is never closed");
		c = (unsigned char)s[i + 1];
		if (c && strchr("\"\\/bfnrt", c)) {
			i += 2;
			continue;
		}
		if (c != 'u')
			return fail(sc, i, "an unknown escape in a string");
		long u = hex4(s, sc->n, i + 2);
		if (u < 0)
			return fail(sc, i, "a \\u escape without four hex digits");
		if (u >= 0xDC00 && u <= 0xDFFF)
			return fail(sc, i, "\\u escape of half a surrogate pair");
		if (u >= 0xD800 && u <= 0xDBFF) {
			long lo = i + 7 < sc->n && s[i + 6] == '\\' && s[i + 7] == 'u'
			                  ? hex4(s, sc->n, i + 8)
			                  : -1;
			if (lo < 0xDC00 || lo > 0xDFFF)
				return fail(sc, i, "\\u escape of half a surrogate pair");
			i += 12;
		} else {
			i += 6;
		}
	}
	sc->i = i + 1;
	return 0;
}

/* A number, as JSON writes one: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int scan_number(scan *sc)
{
	size_t i = sc->i;
	if (sc->s[i] == '-')
		i++;
	if (!is_digit(sc, i))
		return fail(sc, i, "a '-' without digits after it");
	if (sc->s[i] == '0' && is_digit(sc, i + 1))
		return fail(sc, i, "a number with a leading zero");
	while (is_digit(sc, i))
		i++;
	if (i < sc->n && sc->s[i] == '.') {
		if (!is_digit(sc, ++i))
			return fail(sc, i, "a '.' without digits after it");
		while (is_digit(sc, i))
			i++;
	}
	if (i < sc->n && (sc->s[i] == 'e' || sc->s[i] == 'E')) {
		i++;
		if (i < sc->n && (sc->s[i] == '+' || sc->s[i] == '-'))
			i++;
		if (!is_digit(sc, i))
			return fail(sc, i, "an exponent without digits");
		while (is_digit(sc, i))
			i++;
	}
	sc->i = i;
	return 0;
}

/* A string, a number, true, false or null at sc->i. */
static int scan_scalar(scan *sc)
{
	static const char *const words[] = {"true", "false", "null"};
	char c = sc->s[sc->i];
	if (c == '"')
		return scan_string(sc);
	if (c == '-' || (c >= '0' && c <= '9'))
		return scan_number(sc);
	for (size_t k = 0; k < 3; k++) {
		size_t l = strlen(words[k]);
		if (sc->n - sc->i >= l && memcmp(sc->s + sc->i, words[k], l) == 0) {
			sc->i += l;
			return 0;
		}
	}
	return fail(sc, sc->i,
	            "expected a value (a string, number, object, array, true, false or null)");
}

/*
 * A member's key and its ':', from sc->i (whitespace skipped) to just past
 * the ':'; *key_len is the length of the key, its quotes included.
 */
static int scan_key(scan *sc, size_t *key_len)
{
	size_t start = sc->i;
	if (sc->i >= sc->n || sc->s[sc->i] != '"')
		return fail(sc, sc->i, "expected a key (a string) in an object");
	if (scan_string(sc))
		return -1;
	*key_len = sc->i - start;
	skip_ws(sc);
	if (sc->i >= sc->n || sc->s[sc->i] != ':')
		return fail(sc, sc->i, "expected ':' after a key");
	sc->i++;
	return 0;
}

/*
 * A value of any kind at sc->i (whitespace skipped first), nested at most
 * `room` levels deep: to its end.  Objects and arrays are walked with a
 * stack of one bit a level (object or array), not by recursion.
 */
static int scan_value(scan *sc, size_t room)
{
	unsigned char obj[MAX_DEPTH / 8 + 1];
	size_t depth = 0, key_len;
	for (;;) {
		/* A value is wanted here. */
		skip_ws(sc);
		if (sc->i >= sc->n)
			return fail(sc, sc->i, "the line ends where a value should be");
		char c = sc->s[sc->i];
		if (c == '{' || c == '[') {
			if (depth >= room || depth >= MAX_DEPTH)
				return fail(sc, sc->i, "values nested more than 2048 deep");
			if (c == '{')
				obj[depth / 8] |= (unsigned char)(1u << (depth % 8));
			else
				obj[depth / 8] &= (unsigned char)~(1u << (depth % 8));
			depth++;
			sc->i++;
			skip_ws(sc);
			if (sc->i < sc->n && sc->s[sc->i] == (c == '{' ? '}' : ']')) {
				sc->i++;
				depth--;
			} else {
				if (c == '{' && scan_key(sc, &key_len))
					return -1;
				continue;
			}
		} else if (scan_scalar(sc)) {
			return -1;
		}
		/* A value ended: close what ends with it, or go on to the next member or element. */
		for (;;) {
			if (depth == 0)
				return 0;
			int is_obj = obj[(depth - 1) / 8] >> ((depth - 1) % 8) & 1;
			skip_ws(sc);
			if (sc->i >= sc->n)
				return fail(sc, sc->i, is_obj ? "an object that is never closed"
				                              : "an array that is never closed");
			c = sc->s[sc->i];
			if (c == ',') {
				sc->i++;
				if (is_obj) {
					skip_ws(sc);
					if (scan_key(sc, &key_len))
						return -1;
				}
				break;
			}
			if (c != (is_obj ? '}' : ']'))
				return fail(sc, sc->i, is_obj ? "expected ',' or '}' after a member"
				                              : "expected ',' or ']' after an element");
			sc->i++;
			depth--;
		}
	}
}

/* Is the key s[0..n) (as written, between its quotes, already checked) the ASCII word `name`? */
static int key_is(const char *s, size_t n, const char *name)
{
	size_t i = 0;
	for (; *name; name++) {
		if (i >= n)
			return 0;
		if (s[i] == '\\') {
			/* Only a \u escape can stand for a letter. */
			if (s[i + 1] != 'u' || hex4(s, n, i + 2) != (unsigned char)*name)
				return 0;
			i += 6;
		} else if (s[i++] != *name) {
			return 0;
		}
	}
	return i == n;
}

/* What a JSON value that is not an object is, from its first byte, for a message. */
static const char *kind_of(char c)
{
	switch (c) {
	case '[': return "an array";
	case '"': return "a string";
	case 't': return "true";
	case 'f': return "false";
	case 'n': return "null";
	default: return "a number";
	}
}

/* The JD fields the rule (cli_json_jd) reads, and the slot of each in a line. */
enum { JD_TEXT, JD_DESCRIPTION, JD_TITLE, JD_FIELDS };
static const char *const jd_names[JD_FIELDS] = {"text", "description", "title"};

/*
 * Scan the line as an object into `it` (the id, the kept members) and
 * `jd` (the last member of each JD field; ~0 when absent).  0, -1 with
 * `msg` saying why the line is not a JSON object, or -2 when out of memory.
 */
static int scan_line(jsonl_item *it, const char *s, size_t n, jsonl_member *jd, char *msg,
                     size_t msgsz)
{
	scan sc = {s, n, 0, 0, NULL};
	skip_ws(&sc);
	if (sc.i < n && s[sc.i] != '{') {
		char first = s[sc.i];
		if (scan_value(&sc, MAX_DEPTH) == 0) {
			skip_ws(&sc);
			if (sc.i == n) {
				snprintf(msg, msgsz,
				         "not a JSON object but %s: each line must be an object such as "
				         "{\"text\": \"...\"}",
				         kind_of(first));
				return -1;
			}
			fail(&sc, sc.i, "more after the value");
		}
		goto bad;
	}
	if (sc.i >= n) {
		fail(&sc, sc.i, "the line ends where a value should be");
		goto bad;
	}
	sc.i++;
	skip_ws(&sc);
	if (sc.i < n && s[sc.i] == '}') {
		sc.i++;
	} else {
		for (;;) {
			jsonl_member m;
			skip_ws(&sc);
			m.key = sc.i;
			if (scan_key(&sc, &m.key_len))
				goto bad;
			skip_ws(&sc);
			m.val = sc.i;
			if (scan_value(&sc, MAX_DEPTH - 1))
				goto bad;
			m.val_len = sc.i - m.val;

			const char *k = s + m.key + 1;
			size_t kl = m.key_len - 2;
			int f = JD_FIELDS;
			for (int j = 0; j < JD_FIELDS && f == JD_FIELDS; j++)
				if (key_is(k, kl, jd_names[j]))
					f = j;
			if (f < JD_FIELDS) {
				jd[f] = m;
			} else if (key_is(k, kl, "id")) {
				it->id = s + m.val;
				it->id_len = m.val_len;
			} else if (!key_is(k, kl, "record")) {
				if (cli_reserve(&it->keep, &it->capkeep, it->nkeep, sizeof(*it->keep))) {
					snprintf(msg, msgsz, "out of memory");
					return -2;
				}
				it->keep[it->nkeep++] = m;
			}

			skip_ws(&sc);
			if (sc.i < n && s[sc.i] == ',') {
				sc.i++;
				continue;
			}
			if (sc.i < n && s[sc.i] == '}') {
				sc.i++;
				break;
			}
			fail(&sc, sc.i, sc.i < n ? "expected ',' or '}' after a member"
			                         : "an object that is never closed");
			goto bad;
		}
	}
	skip_ws(&sc);
	if (sc.i < n) {
		fail(&sc, sc.i, "more after the object's closing '}'");
		goto bad;
	}
	return 0;
bad:
	/* What was read of a line that is not JSON is not trusted: no id, no members. */
	it->id = NULL;
	it->id_len = 0;
	it->nkeep = 0;
	snprintf(msg, msgsz, "not JSON: %s (at column %zu)", sc.why, sc.at + 1);
	return -1;
}

void jsonl_item_clear(jsonl_item *it)
{
	json_decref(it->jd); /* text and title are borrowed from it */
	free(it->keep);
	free(it->fixed);
	memset(it, 0, sizeof(*it));
}

/* The JD fields of the line decoded into it->jd, for cli_json_jd: 0, or -2 (out of memory). */
static int decode_jd(jsonl_item *it, const jsonl_member *jd, char *msg, size_t msgsz)
{
	it->jd = json_object();
	if (!it->jd)
		goto oom;
	for (int f = 0; f < JD_FIELDS; f++) {
		const char *v = it->line + jd[f].val;
		json_t *dv;
		if (jd[f].val_len == 0 || *v == 'n') /* absent, or null: absent by the rule */
			continue;
		if (*v == '"') {
			/* A checked string: jansson fails it only for want of memory.
			 * JSON_ALLOW_NUL: a "\u0000" is kept and found by the normalizer. */
			dv = json_loadb(v, jd[f].val_len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		} else {
			/* Not a string: the rule only needs to know that. */
			dv = json_false();
		}
		if (!dv || json_object_set_new(it->jd, jd_names[f], dv))
			goto oom;
	}
	return 0;
oom:
	snprintf(msg, msgsz, "out of memory");
	return -2;
}

int jsonl_parse(jsonl_item *it, char *line, size_t len, int lossy, char *msg, size_t msgsz)
{
	jsonl_member jd[JD_FIELDS];
	memset(it, 0, sizeof(*it));
	memset(jd, 0, sizeof(jd));
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
	it->line = line;
	char why[512];
	int rc = scan_line(it, line, len, jd, why, sizeof(why));
	if (rc == -2) {
		snprintf(msg, msgsz, "%s", why);
		return -2;
	}
	if (bad < len && !lossy) {
		snprintf(msg, msgsz,
		         "invalid UTF-8 at byte %zu of the line (use --lossy to replace bad bytes)", bad);
		return -1;
	}
	if (rc) {
		snprintf(msg, msgsz, "%s", why);
		return -1;
	}
	if (decode_jd(it, jd, msg, msgsz))
		return -2;
	return cli_json_jd(it->jd, &it->text, &it->text_len, &it->title, msg, msgsz);
}

/* Copy s[0..n) to p, a carriage return (whitespace between tokens) as a space; past the copy. */
static char *put_raw(char *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*p++ = s[i] == '\r' ? ' ' : s[i];
	return p;
}

char *jsonl_out_line(const jsonl_item *it, int with_members, const char *tail, size_t tail_len,
                     size_t *outlen)
{
	/* Every piece but the tail lies in the line, so only the tail can make the sum wrap. */
	size_t need = sizeof("{\"id\":null,,}\n") + (it->id ? it->id_len : 0);
	for (size_t k = 0; with_members && k < it->nkeep; k++)
		need += it->keep[k].key_len + it->keep[k].val_len + 2;
	if (tail_len > SIZE_MAX - need)
		return NULL;
	need += tail_len;
	char *out = malloc(need), *p = out;
	if (!out)
		return NULL;
	*p++ = '{';
	if (it->id || with_members) {
		memcpy(p, "\"id\":", 5);
		p += 5;
		if (it->id) {
			p = put_raw(p, it->id, it->id_len);
		} else {
			memcpy(p, "null", 4);
			p += 4;
		}
	}
	for (size_t k = 0; with_members && k < it->nkeep; k++) {
		const jsonl_member *m = &it->keep[k];
		*p++ = ',';
		p = put_raw(p, it->line + m->key, m->key_len);
		*p++ = ':';
		p = put_raw(p, it->line + m->val, m->val_len);
	}
	if (tail_len && p > out + 1)
		*p++ = ',';
	memcpy(p, tail, tail_len);
	p += tail_len;
	*p++ = '}';
	*p++ = '\n';
	*outlen = (size_t)(p - out);
	return out;
}
