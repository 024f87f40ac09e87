/*
 * util.c - the small pieces every stage uses: error filling, an arena for
 * record strings, growable arrays and buffers, and file reading.
 *
 * Nothing here keeps state between calls.  Errors are written into the
 * caller's otz_error; file helpers report the path and errno text.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utf8proc.h>

#include "internal.h"

const char *otz_strerror(int code)
{
	switch (code) {
	case OTZ_OK: return "success";
	case OTZ_ENOMEM: return "out of memory";
	case OTZ_EUTF8: return "invalid UTF-8";
	case OTZ_EBINARY: return "binary input";
	case OTZ_EEMPTY: return "empty input";
	case OTZ_ERULE: return "bad rule file";
	case OTZ_ERECORD: return "bad file record";
	case OTZ_EDB: return "corpus database error";
	case OTZ_EIO: return "input/output error";
	case OTZ_EINVAL: return "invalid argument";
	case OTZ_ELIMIT: return "limit exceeded";
	case OTZ_ENOTFOUND: return "not found";
	default: return "unknown error";
	}
}

static const char *const category_names[OTZ_CAT__COUNT] = {
	"buzzword", "metric", "weaponry", "habitat", "red-flag", "boilerplate", "credit"};

const char *otz_category_name(otz_category c)
{
	if ((int)c < 0 || c >= OTZ_CAT__COUNT)
		return NULL;
	return category_names[c];
}

int otz__fail(otz_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

/* ---- time --------------------------------------------------------- */

static const char *const stage_names[OTZ_STAGE__COUNT] = {
	"normalize", "segment", "match", "translate", "score", "record"};

const char *otz_stage_name(otz_stage st)
{
	if ((int)st < 0 || st >= OTZ_STAGE__COUNT)
		return NULL;
	return stage_names[st];
}

uint64_t otz__now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void otz__lap(uint64_t *stage_ns, int st, uint64_t *t0)
{
	if (!stage_ns)
		return;
	uint64_t now = otz__now_ns();
	stage_ns[st] += now - *t0;
	*t0 = now;
}

/* ---- arena -------------------------------------------------------- */

typedef struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
} chunk;

struct otz_arena {
	chunk *head;
};

otz_arena *otz__arena_new(void)
{
	return calloc(1, sizeof(otz_arena));
}

void otz__arena_free(otz_arena *a)
{
	if (!a)
		return;
	chunk *c = a->head;
	while (c) {
		chunk *n = c->next;
		free(c);
		c = n;
	}
	free(a);
}

void *otz__arena_alloc(otz_arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	n = (n + align - 1) / align * align;
	if (!a->head || a->head->cap - a->head->used < n) {
		size_t cap = n > 8192 ? n : 8192;
		chunk *c = malloc(sizeof(chunk) + cap);
		if (!c)
			return NULL;
		c->next = a->head;
		c->used = 0;
		c->cap = cap;
		a->head = c;
	}
	void *p = (char *)a->head->data + a->head->used;
	a->head->used += n;
	return p;
}

char *otz__arena_strndup(otz_arena *a, const char *s, size_t n)
{
	char *p = otz__arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *otz__arena_strdup(otz_arena *a, const char *s)
{
	return s ? otz__arena_strndup(a, s, strlen(s)) : NULL;
}

char *otz__arena_printf(otz_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = n < 0 ? NULL : otz__arena_alloc(a, (size_t)n + 1);
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

/* ---- growable arrays and buffers ---------------------------------- */

int otz__grow(void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap : 8;
	while (nc < need)
		nc *= 2;
	void *p = realloc(*arr, nc * size);
	if (!p)
		return OTZ_ENOMEM;
	*arr = p;
	*cap = nc;
	return 0;
}

void otz_buf_dispose(otz_buf *b)
{
	if (!b)
		return;
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

int otz__buf_put(otz_buf *b, const char *s, size_t n)
{
	if (otz__grow((void **)&b->ptr, &b->cap, b->len + n + 1, 1))
		return OTZ_ENOMEM;
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int otz__buf_puts(otz_buf *b, const char *s)
{
	return otz__buf_put(b, s, strlen(s));
}

int otz_buf_append(otz_buf *b, const char *s)
{
	return otz__buf_puts(b, s);
}

int otz_buf_append_n(otz_buf *b, const char *s, size_t n)
{
	return otz__buf_put(b, s, n);
}

int otz__buf_printf(otz_buf *b, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	int rc = OTZ_ENOMEM;
	if (n >= 0 && otz__grow((void **)&b->ptr, &b->cap, b->len + (size_t)n + 1, 1) == 0) {
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap2);
		b->len += (size_t)n;
		rc = 0;
	}
	va_end(ap2);
	return rc;
}

void otz__money(char *buf, size_t n, long v)
{
	char digits[32];
	snprintf(digits, sizeof(digits), "%ld", v < 0 ? -v : v);
	size_t l = strlen(digits), o = 0;
	if (v < 0 && o + 1 < n)
		buf[o++] = '-';
	if (o + 1 < n)
		buf[o++] = '$';
	for (size_t i = 0; i < l && o + 2 < n; i++) {
		if (i && (l - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* ---- files -------------------------------------------------------- */

int otz_read_stream(FILE *f, const char *name, size_t limit, char **out, size_t *len,
                    otz_error *err)
{
	int rc = 0;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (otz__grow((void **)&buf, &cap, n + 65536 + 1, 1)) {
			rc = otz__fail(err, OTZ_ENOMEM, "%s: out of memory", name);
			goto done;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (limit && n > limit) {
			rc = otz__fail(err, OTZ_ELIMIT,
			               "%s: larger than the %zu-byte limit (raise it with --max-bytes)", name,
			               limit);
			goto done;
		}
		if (got == 0) {
			if (ferror(f)) {
				rc = otz__fail(err, OTZ_EIO, "%s: %s", name, strerror(errno));
				goto done;
			}
			break;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
done:
	free(buf);
	return rc;
}

size_t otz_utf8_invalid_at(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			return i;
		i += (size_t)k;
	}
	return n;
}

int otz_read_file(const char *path, size_t limit, char **out, size_t *len, otz_error *err)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	if (!f)
		return otz__fail(err, OTZ_EIO, "%s: %s", path, strerror(errno));
	int rc;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode))
		rc = otz__fail(err, OTZ_EIO, "%s: is a directory", path);
	else
		rc = otz_read_stream(f, path, limit, out, len, err);
	fclose(f);
	return rc;
}

int otz__read_file(const char *path, char **out, size_t *len, otz_error *err)
{
	return otz_read_file(path, 0, out, len, err);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void otz__free_strv(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int otz__list_dir(const char *dir, const char *suffix, char ***out,
                  size_t *n, otz_error *err)
{
	int rc = 0;
	char **v = NULL;
	size_t nv = 0, cap = 0, sl = strlen(suffix);
	DIR *d = opendir(dir);
	if (!d)
		return otz__fail(err, OTZ_EIO, "%s: %s", dir, strerror(errno));
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l <= sl || strcmp(de->d_name + l - sl, suffix))
			continue;
		size_t pl = strlen(dir) + l + 2;
		char *p = malloc(pl);
		if (!p || OTZ_GROW(v, cap, nv + 1)) {
			free(p);
			rc = otz__fail(err, OTZ_ENOMEM, "out of memory");
			goto done;
		}
		snprintf(p, pl, "%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		v[nv++] = p;
	}
	if (nv)
		qsort(v, nv, sizeof(*v), cmp_str);
	*out = v;
	*n = nv;
	v = NULL;
	nv = 0;
done:
	otz__free_strv(v, nv);
	closedir(d);
	return rc;
}

int otz__grow_pow2(void **arr, size_t n, size_t size)
{
	if (n && (n & (n - 1))) /* not a power of two: there is room */
		return 0;
	size_t cap = n ? 2 * n : 1;
	if (cap > SIZE_MAX / size)
		return OTZ_ENOMEM;
	void *p = realloc(*arr, cap * size);
	if (!p)
		return OTZ_ENOMEM;
	*arr = p;
	return 0;
}

/* ---- text that is safe to show -------------------------------------- */

/* What a character is to a terminal or a one-line field. */
enum { CH_OK, CH_SPACE, CH_CONTROL };

static int char_class(utf8proc_int32_t c)
{
	if (c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x85 ||
	    c == 0x2028 || c == 0x2029)
		return CH_SPACE;
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
		return CH_CONTROL;
	/* bidirectional marks, embeddings, overrides and isolates */
	if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069))
		return CH_CONTROL;
	return CH_OK;
}

int otz__has_control(const char *s, size_t n, size_t *at)
{
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
		if (l <= 0) {
			i++;
			continue;
		}
		if (c != '\t' && char_class(c) != CH_OK) {
			*at = i;
			return (int)c;
		}
		i += (size_t)l;
	}
	return 0;
}

char *otz__clean_line(otz_arena *a, const char *s)
{
	otz_buf b = OTZ_BUF_INIT;
	size_t n = strlen(s);
	int rc = 0, space = 0;
	for (size_t i = 0; i < n && !rc;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
		if (l <= 0) { /* not UTF-8: the replacement character */
			c = 0xfffd;
			l = 1;
		}
		int k = c == 0xfffd && l == 1 ? CH_OK : char_class(c);
		if (k == CH_SPACE || c == ' ') {
			space = b.len > 0;
		} else if (k == CH_OK) {
			if (space)
				rc = otz__buf_put(&b, " ", 1);
			space = 0;
			if (!rc)
				rc = c == 0xfffd && l == 1 ? otz__buf_puts(&b, "\xef\xbf\xbd")
				                           : otz__buf_put(&b, s + i, (size_t)l);
		}
		i += (size_t)l;
	}
	char *out = rc ? NULL : otz__arena_strndup(a, b.ptr ? b.ptr : "", b.len);
	otz_buf_dispose(&b);
	return out;
}

int otz_term_escape(otz_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	int rc = 0;
	for (size_t i = 0; i < n && !rc;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
		char e[16];
		if (l <= 0) {
			snprintf(e, sizeof(e), "\\x%02x", (unsigned char)s[i]);
			rc = otz__buf_puts(b, e);
			i++;
			continue;
		}
		if (c == '\t' || char_class(c) == CH_OK) {
			rc = otz__buf_put(b, s + i, (size_t)l);
		} else {
			if (c == '\n')
				snprintf(e, sizeof(e), "\\n");
			else if (c == '\r')
				snprintf(e, sizeof(e), "\\r");
			else if (c < 0x80)
				snprintf(e, sizeof(e), "\\x%02x", (unsigned)c);
			else
				snprintf(e, sizeof(e), "\\u%04x", (unsigned)c);
			rc = otz__buf_puts(b, e);
		}
		i += (size_t)l;
	}
	return rc;
}

/* Above any pay, far below LONG_MAX even times 1000 ('k'). */
#define MONEY_MAX 1000000000000L

/* "$120,000" -> 120000, "$120k" -> 120000, "$97.5k" -> 97500; a figure of
 * MONEY_MAX or more is MONEY_MAX. */
long otz__parse_money(const char *s, size_t n)
{
	long v = 0;
	int k = 0, frac = -1;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i])) {
			if (v >= MONEY_MAX / 10)
				return MONEY_MAX; /* no pay has so many digits: no overflow either */
			v = v * 10 + (s[i] - '0');
			if (frac >= 0)
				frac++;
		} else if (s[i] == '.') {
			frac = 0;
		} else if (s[i] == 'k') {
			k = 1;
		}
	}
	if (k) {
		v *= 1000;
		while (frac-- > 0)
			v /= 10;
	}
	return v;
}
