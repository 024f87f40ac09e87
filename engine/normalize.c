/*
 * normalize.c - bytes in, one clean text out, with a map back.
 *
 * Takes the raw bytes of a pasted job description and returns an otz_text:
 * UTF-8 validated (or repaired with U+FFFD in lossy mode), HTML tags left
 * over from copy-paste removed and HTML's character references decoded
 * (every named one of HTML5, from a table generated at build time),
 * NFKC-normalized (NFC with keep_marks, for quoting) and (by default)
 * case-folded through utf8proc,
 * default-ignorable characters (zero-width joiners, BOM, soft hyphens)
 * dropped, smart quotes, dashes and non-breaking spaces lumped into their
 * plain forms, bullets and emoji bullets turned into list-item lines
 * ("\n- "), and whitespace collapsed (a run with a line break becomes one
 * "\n", any other run one space; a single line break between a letter,
 * digit or comma and a lower-case letter, a line wrapped mid-sentence,
 * one space).
 *
 * For every output byte it records which input bytes produced it, so that a
 * rule hit on the normalized text can quote the original wording.  The
 * output and its map belong to the caller (otz_text_dispose).  Errors:
 * OTZ_EUTF8 with the byte offset of the first bad sequence, OTZ_ELIMIT for
 * input the 32-bit map cannot address, OTZ_ENOMEM.
 *
 * ASCII takes a fast path: an ASCII byte followed by another ASCII byte can
 * neither compose nor decompose, so it is copied (lower-cased) without a
 * call into utf8proc.  Everything else is gathered into a cluster (a starter
 * and the marks after it), decomposed with compatibility mappings and case
 * folding, then recomposed, which is NFKC_Casefold.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

enum { PEND_NONE = 0, PEND_SPACE, PEND_LINE, PEND_BULLET };

#define CLUSTER_MAX 64

typedef struct emitter {
	char *s;
	uint32_t *ss, *se;
	size_t len, cap;
	int pend;
	uint32_t join_at; /* the input offset of a line's first letter when the line
	                   * break before it is a wrap, not a new line */
	uint32_t bullet_s, bullet_e;
	int oom;
	/* The cluster being gathered: decomposed code points and the input
	 * span they came from. */
	int32_t cl[CLUSTER_MAX];
	size_t ncl;
	uint32_t cl_s, cl_e;
	utf8proc_option_t uopts;
} emitter;

static int reserve(emitter *o, size_t more)
{
	if (o->len + more + 1 <= o->cap)
		return 0;
	size_t nc = o->cap ? o->cap : 256;
	while (nc < o->len + more + 1)
		nc *= 2;
	char *s = realloc(o->s, nc);
	if (!s)
		return o->oom = 1;
	o->s = s;
	uint32_t *a = realloc(o->ss, nc * sizeof(uint32_t));
	if (!a)
		return o->oom = 1;
	o->ss = a;
	uint32_t *b = realloc(o->se, nc * sizeof(uint32_t));
	if (!b)
		return o->oom = 1;
	o->se = b;
	o->cap = nc;
	return 0;
}

static void put(emitter *o, const char *b, size_t n, uint32_t s, uint32_t e)
{
	if (reserve(o, n))
		return;
	for (size_t i = 0; i < n; i++) {
		o->s[o->len] = b[i];
		o->ss[o->len] = s;
		o->se[o->len] = e;
		o->len++;
	}
}

static void pend(emitter *o, int kind, uint32_t s, uint32_t e)
{
	if (kind == PEND_BULLET) {
		o->bullet_s = s;
		o->bullet_e = e;
	}
	/* A bullet followed by a line break was decoration at the end of a
	 * line ("Apply now 🚀"), not the start of an item on the next. */
	if (kind == PEND_LINE && o->pend == PEND_BULLET)
		o->pend = PEND_LINE;
	else if (kind > o->pend)
		o->pend = kind;
}

/* Emit the collapsed whitespace (and bullet marker) owed before a visible
 * character. */
static void flush_pending(emitter *o, uint32_t s)
{
	int p = o->pend, wrapped = p == PEND_LINE && s == o->join_at;
	o->pend = PEND_NONE;
	if (p == PEND_NONE)
		return;
	if (o->len == 0) {
		if (p == PEND_BULLET)
			put(o, "- ", 2, o->bullet_s, o->bullet_e);
		return;
	}
	if (p == PEND_SPACE || (p == PEND_LINE && wrapped)) {
		if (o->s[o->len - 1] != '\n')
			put(o, " ", 1, s, s);
		return;
	}
	if (p == PEND_BULLET) {
		/* the line break goes where the bullet began, so the map stays in order */
		put(o, "\n", 1, o->bullet_s, o->bullet_s);
		put(o, "- ", 2, o->bullet_s, o->bullet_e);
		return;
	}
	put(o, "\n", 1, s, s);
}

static int is_line_break(int32_t c)
{
	return c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85 ||
	       c == 0x2028 || c == 0x2029;
}

/* Characters people paste as list markers: bullets, arrows, geometric
 * shapes, check marks and pictographic emoji. */
static int is_bullet(int32_t c)
{
	if (c == 0x2022 || c == 0x2023 || c == 0x2043 || c == 0x2219 || c == 0x25E6 ||
	    c == 0x2024 || c == 0x2027)
		return 1;
	if (c >= 0x2190 && c <= 0x21FF) /* arrows */
		return 1;
	if (c >= 0x25A0 && c <= 0x25FF) /* geometric shapes */
		return 1;
	if (c >= 0x2600 && c <= 0x27BF) /* symbols, dingbats: check marks, ➤ */
		return 1;
	if (c >= 0x2B00 && c <= 0x2BFF) /* more arrows and stars */
		return 1;
	if (c >= 0x1F000 && c <= 0x1FAFF) /* emoji */
		return 1;
	return 0;
}

/* Emit one fully normalized code point. */
static void emit_cp(emitter *o, int32_t c, uint32_t s, uint32_t e)
{
	if (c == ' ' || c == '\t') {
		pend(o, PEND_SPACE, s, e);
		return;
	}
	if (is_line_break(c)) {
		pend(o, PEND_LINE, s, e);
		return;
	}
	if (c < 0x20 || c == 0x7f)
		return; /* other control characters carry no text */
	const utf8proc_property_t *p = utf8proc_get_property(c);
	if (p->category == UTF8PROC_CATEGORY_ZS) {
		pend(o, PEND_SPACE, s, e);
		return;
	}
	if (p->category == UTF8PROC_CATEGORY_ZL || p->category == UTF8PROC_CATEGORY_ZP) {
		pend(o, PEND_LINE, s, e);
		return;
	}
	if (p->category == UTF8PROC_CATEGORY_CC || p->category == UTF8PROC_CATEGORY_CF)
		return;
	uint8_t b[4];
	utf8proc_ssize_t n = utf8proc_encode_char(c, b);
	flush_pending(o, s);
	put(o, (const char *)b, (size_t)n, s, e);
}

/* Compose the gathered cluster and emit it. */
static void flush_cluster(emitter *o)
{
	if (o->ncl == 0)
		return;
	utf8proc_ssize_t n = (utf8proc_ssize_t)o->ncl;
	if (n > 1) {
		n = utf8proc_normalize_utf32(o->cl, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
		if (n < 0)
			n = (utf8proc_ssize_t)o->ncl;
	}
	for (utf8proc_ssize_t i = 0; i < n; i++)
		emit_cp(o, o->cl[i], o->cl_s, o->cl_e);
	o->ncl = 0;
}

static int starts_cluster(int32_t c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0x1161 && c <= 0x11C2) /* Hangul vowels and trailing consonants */
		return 0;
	const utf8proc_property_t *p = utf8proc_get_property(c);
	if (p->combining_class != 0)
		return 0;
	return p->category != UTF8PROC_CATEGORY_MN && p->category != UTF8PROC_CATEGORY_MC &&
	       p->category != UTF8PROC_CATEGORY_ME;
}

/* Feed one input code point that occupied input bytes [s,e). */
static void feed(emitter *o, int32_t c, uint32_t s, uint32_t e)
{
	if (is_bullet(c)) {
		flush_cluster(o);
		pend(o, PEND_BULLET, s, e);
		return;
	}
	/* utf8proc's LUMP folds single quotes, dashes and spaces but leaves
	 * double quotation marks alone; pasted text is full of them.  (Text
	 * kept for quoting keeps them all.) */
	if (!(o->uopts & UTF8PROC_LUMP))
		;
	else if ((c >= 0x201C && c <= 0x201F) || c == 0x2033 || c == 0x301D || c == 0x301E)
		c = '"';
	else if (c == 0x201A || c == 0x201B || c == 0x2032)
		c = '\'';
	int32_t d[CLUSTER_MAX / 2];
	int last_bound = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char(c, d, CLUSTER_MAX / 2, o->uopts, &last_bound);
	if (n < 0 || n > CLUSTER_MAX / 2) {
		d[0] = 0xFFFD;
		n = 1;
	}
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		if (starts_cluster(d[i]) || o->ncl == CLUSTER_MAX) {
			flush_cluster(o);
			o->cl_s = s;
		}
		if (o->ncl == 0)
			o->cl_s = s;
		o->cl[o->ncl++] = d[i];
		o->cl_e = e;
	}
}

/* ---- HTML residue ------------------------------------------------- */

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int name_is(const char *p, size_t n, const char *name)
{
	size_t l = strlen(name);
	if (n != l)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower((unsigned char)p[i]) != name[i])
			return 0;
	return 1;
}

static const char *const block_tags[] = {
	"br", "p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
	"section", "article", "header", "footer", "blockquote", "pre", "hr", "dt", "dd",
	"title", "body", "html", NULL};

/*
 * If in[i] starts an HTML tag or comment, return its length and set *kind
 * to the whitespace it stands for; 0 if it is ordinary text ("a < b").
 * *no_comment_end and *no_end remember that a search for "-->" or for
 * "</title" has run off the end of the input.
 */
static size_t html_tag(const char *in, size_t len, size_t i, int *kind, int *no_comment_end,
                       int *no_end)
{
	size_t j = i + 1;
	*kind = PEND_NONE;
	if (j >= len)
		return 0;
	if (len - i >= 4 && memcmp(in + i, "<!--", 4) == 0) {
		/* Once a search for "-->" has run off the end, no later one can
		 * succeed: remembering that keeps "<!--<!--<!--..." linear. */
		if (*no_comment_end)
			return 0;
		for (size_t k = i + 4; k + 2 < len; k++)
			if (memcmp(in + k, "-->", 3) == 0)
				return k + 3 - i;
		*no_comment_end = 1;
		return 0;
	}
	int closing = 0;
	if (in[j] == '/') {
		closing = 1;
		j++;
	} else if (in[j] == '!' || in[j] == '?') {
		j++;
	}
	if (j >= len || !((in[j] | 32) >= 'a' && (in[j] | 32) <= 'z'))
		return 0;
	size_t name = j;
	while (j < len && ((in[j] | 32) >= 'a' && (in[j] | 32) <= 'z'))
		j++;
	while (j < len && in[j] >= '0' && in[j] <= '9')
		j++;
	size_t name_len = j - name;
	if (j < len && !(in[j] == '>' || in[j] == '/' || in[j] == ' ' || in[j] == '\t' ||
	                 in[j] == '\n' || in[j] == '\r'))
		return 0;
	/* The tag ends at the next '>' not inside quotes, within reach. */
	char q = 0;
	size_t k = j, limit = len - i > 4096 ? i + 4096 : len;
	for (; k < limit; k++) {
		if (q) {
			if (in[k] == q)
				q = 0;
		} else if (in[k] == '"' || in[k] == '\'') {
			q = in[k];
		} else if (in[k] == '>') {
			break;
		} else if (in[k] == '<') {
			return 0;
		}
	}
	if (k >= limit)
		return 0;
	size_t tag_len = k + 1 - i;
	if (name_is(in + name, name_len, "li")) {
		*kind = closing ? PEND_LINE : PEND_BULLET;
	} else {
		for (size_t t = 0; block_tags[t]; t++)
			if (name_is(in + name, name_len, block_tags[t]))
				*kind = PEND_LINE;
	}
	/* The page's title is not the posting's text: it names the site
	 * ("Careers | Acme"), and the posting's own heading is in the body.
	 * Its text is skipped to its closing tag; without one, only the tag
	 * is (and once a search has run off the end, no later one is made,
	 * which keeps "<title><title>..." linear). */
	if (!closing && name_is(in + name, name_len, "title") && !*no_end) {
		for (size_t m = i + tag_len; m + 7 <= len; m++) {
			size_t x = 0;
			while (x < 7 && ascii_lower((unsigned char)in[m + x]) == "</title"[x])
				x++;
			if (x == 7) {
				while (m < len && in[m] != '>')
					m++;
				return (m < len ? m + 1 : len) - i;
			}
		}
		*no_end = 1;
		return tag_len;
	}
	/* script and style bodies are not text */
	if (!closing && (name_is(in + name, name_len, "script") ||
	                 name_is(in + name, name_len, "style"))) {
		const char *end = name_is(in + name, name_len, "script") ? "</script" : "</style";
		size_t el = strlen(end);
		for (size_t m = i + tag_len; m + el <= len; m++) {
			size_t x = 0;
			while (x < el && ascii_lower((unsigned char)in[m + x]) == end[x])
				x++;
			if (x == el) {
				while (m < len && in[m] != '>')
					m++;
				return (m < len ? m + 1 : len) - i;
			}
		}
		return len - i;
	}
	return tag_len;
}

/* HTML5's named character references, sorted by name: generated at build
 * time from a Debian package's data (engine/entities.py, the Makefile). */
#include "entities.h"

/* The code points of the reference named in[0..n), or NULL. */
static const int32_t *named_entity(const char *in, size_t n)
{
	size_t lo = 0, hi = OTZ_ENTITY_COUNT;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct otz_entity *e = &otz_entities[mid];
		int c = memcmp(e->name, in, e->len < n ? e->len : n);
		if (c == 0)
			c = e->len < n ? -1 : e->len > n;
		if (c == 0)
			return e->cp;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* What HTML5 makes of a numeric reference to a C1 control, U+0080..U+009F:
 * the Windows-1252 character of that byte, which is what the page meant
 * ("&#146;" is a right single quote); 0 where that byte has none. */
static const uint16_t c1_windows_1252[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* If in[i] ('&') starts an entity, return its length and its code points
 * (cp[1] is 0 when there is one). */
static size_t html_entity(const char *in, size_t len, size_t i, int32_t cp[2])
{
	size_t j = i + 1;
	cp[1] = 0;
	if (j < len && in[j] == '#') {
		j++;
		int hex = 0;
		if (j < len && (in[j] == 'x' || in[j] == 'X')) {
			hex = 1;
			j++;
		}
		uint32_t v = 0; /* stops growing past U+10FFFF, so 8 digits cannot overflow */
		size_t digits = 0;
		while (j < len && digits < 8) {
			int c = in[j], d;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && (c | 32) >= 'a' && (c | 32) <= 'f')
				d = (c | 32) - 'a' + 10;
			else
				break;
			if (v <= 0x10FFFF)
				v = v * (hex ? 16u : 10u) + (uint32_t)d;
			digits++;
			j++;
		}
		if (!digits || j >= len || in[j] != ';')
			return 0;
		if (v >= 0x80 && v <= 0x9F && c1_windows_1252[v - 0x80])
			v = c1_windows_1252[v - 0x80];
		cp[0] = v <= 0x10FFFF && v != 0 && utf8proc_codepoint_valid((int32_t)v) ? (int32_t)v : 0xFFFD;
		return j + 1 - i;
	}
	size_t name = j;
	while (j < len && j - name <= OTZ_ENTITY_NAME_MAX &&
	       (((in[j] | 32) >= 'a' && (in[j] | 32) <= 'z') || (in[j] >= '0' && in[j] <= '9')))
		j++;
	if (j == name || j >= len || in[j] != ';')
		return 0;
	const int32_t *e = named_entity(in + name, j - name);
	if (!e)
		return 0;
	cp[0] = e[0];
	cp[1] = e[1];
	return j + 1 - i;
}

/* ---- the pass ----------------------------------------------------- */

int otz_looks_binary(const char *in, size_t len)
{
	size_t n = len < 8192 ? len : 8192, ctl = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == 0)
			return 1;
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v')
			ctl++;
	}
	return n > 0 && ctl * 10 > n; /* more than one byte in ten is a control code */
}

void otz_text_dispose(otz_text *t)
{
	if (!t)
		return;
	free(t->s);
	free(t->src_start);
	free(t->src_end);
	memset(t, 0, sizeof(*t));
}

int otz_normalize(otz_text *out, const char *in, size_t len,
                  const otz_norm_options *opts, otz_error *err)
{
	otz_norm_options dflt = OTZ_NORM_OPTIONS_INIT;
	int rc = 0;
	emitter o;
	memset(&o, 0, sizeof(o));
	memset(out, 0, sizeof(*out));
	if (!opts)
		opts = &dflt;
	if (len >= UINT32_MAX)
		return otz__fail(err, OTZ_ELIMIT, "input of %zu bytes is too large (limit 4 GiB)", len);
	o.uopts = UTF8PROC_COMPAT | UTF8PROC_IGNORE | UTF8PROC_LUMP | UTF8PROC_DECOMPOSE;
	if (opts->version >= 2 && opts->keep_marks)
		o.uopts = UTF8PROC_IGNORE | UTF8PROC_DECOMPOSE;
	if (opts->casefold)
		o.uopts |= UTF8PROC_CASEFOLD;
	if (reserve(&o, len + len / 8 + 16))
		goto oom;

	/*
	 * Without lossy mode the whole input must be UTF-8, tags and comments
	 * included, though those are dropped: a bad byte anywhere means the
	 * file is not what it claims to be.
	 */
	if (!opts->lossy) {
		size_t bad = otz_utf8_invalid_at(in, len);
		if (bad < len) {
			rc = otz__fail(err, OTZ_EUTF8, "invalid UTF-8 at byte %zu (0x%02x)", bad,
			               (unsigned char)in[bad]);
			goto done;
		}
	}
	size_t i = 0;
	int no_comment_end = 0, no_title_end = 0;
	/* A line wrapped mid-sentence ("a broad set of models and\nquantitative
	 * techniques"): one line break, after a letter, digit or comma, before a
	 * lower-case letter as written.  Its break becomes a space; decided on
	 * the input bytes, so both paths below agree. */
	int raw_breaks = 0;
	unsigned char raw_prev = 0;
	o.join_at = UINT32_MAX;
	while (i < len) {
		unsigned char c = (unsigned char)in[i];
		if (c == '\n') {
			raw_breaks++;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			if (raw_breaks == 1 && c >= 'a' && c <= 'z' &&
			    ((raw_prev >= 'a' && raw_prev <= 'z') || (raw_prev >= 'A' && raw_prev <= 'Z') ||
			     (raw_prev >= '0' && raw_prev <= '9') || raw_prev == ','))
				o.join_at = (uint32_t)i;
			raw_breaks = 0;
			raw_prev = c;
		}
		if (c == '<') {
			int kind;
			size_t tl = html_tag(in, len, i, &kind, &no_comment_end, &no_title_end);
			if (tl) {
				flush_cluster(&o);
				if (kind != PEND_NONE)
					pend(&o, kind, (uint32_t)i, (uint32_t)(i + tl));
				i += tl;
				continue;
			}
		} else if (c == '&') {
			int32_t cp[2];
			size_t el = html_entity(in, len, i, cp);
			if (el) {
				feed(&o, cp[0], (uint32_t)i, (uint32_t)(i + el));
				if (cp[1])
					feed(&o, cp[1], (uint32_t)i, (uint32_t)(i + el));
				i += el;
				continue;
			}
		}
		if (c < 0x80 && (i + 1 >= len || ((unsigned char)in[i + 1] < 0x80 && in[i + 1] != '&')) &&
		    !opts->no_ascii_fast_path) {
			/* ASCII fast path: nothing can combine with this byte (an
			 * entity next could be a combining mark, "e&#769;"). */
			flush_cluster(&o);
			int32_t cp = c;
			if (opts->casefold && c >= 'A' && c <= 'Z')
				cp = c + 32;
			if (cp >= 0x21 && cp < 0x7f) {
				char ch = (char)cp;
				flush_pending(&o, (uint32_t)i);
				put(&o, &ch, 1, (uint32_t)i, (uint32_t)(i + 1));
			} else {
				emit_cp(&o, cp, (uint32_t)i, (uint32_t)(i + 1));
			}
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)in + i,
		                                      (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0) { /* only in lossy mode: otherwise the input was checked above */
			cp = 0xFFFD;
			n = 1;
			out->replaced++;
		}
		feed(&o, cp, (uint32_t)i, (uint32_t)(i + (size_t)n));
		i += (size_t)n;
	}
	flush_cluster(&o);
	if (o.oom || reserve(&o, 1))
		goto oom;
	o.s[o.len] = '\0';
	out->s = o.s;
	out->len = o.len;
	out->src_start = o.ss;
	out->src_end = o.se;
	return 0;
oom:
	rc = otz__fail(err, OTZ_ENOMEM, "out of memory while normalizing %zu bytes", len);
done:
	free(o.s);
	free(o.ss);
	free(o.se);
	out->s = NULL;
	return rc;
}

otz_span otz__src_span(const otz_text *t, size_t start, size_t end)
{
	otz_span sp = {0, 0};
	if (start >= t->len || end <= start)
		return sp;
	if (end > t->len)
		end = t->len;
	sp.start = t->src_start[start];
	sp.end = t->src_end[end - 1];
	/* A span may start on a synthesized byte (a bullet marker); keep the
	 * range ordered all the same. */
	if (sp.end < sp.start)
		sp.end = sp.start;
	return sp;
}
