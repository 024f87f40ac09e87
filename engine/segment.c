/*
 * segment.c - normalized text in, sentences and list items out.
 *
 * Takes the text otz_normalize produced (lines separated by "\n", list items
 * marked by a leading "- ", "* ", "+ ", "1. " or "1) ") and returns an array
 * of segments: byte ranges, trimmed, each a sentence or a list item.  A line
 * is split into sentences at '.', '!' or '?' followed by a space, unless the
 * word before the stop is a known abbreviation ("e.g.", "inc.") or a single
 * letter.  Segments with no letter or digit (by Unicode category) are dropped.  The array belongs
 * to the caller (free); the only error is OTZ_ENOMEM.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

static const char *const abbrevs[] = {
	"e.g", "i.e", "etc", "vs", "inc", "ltd", "co", "corp", "jr", "sr", "dr", "mr",
	"mrs", "ms", "st", "no", "approx", "dept", "u.s", "a.m", "p.m", "min", "max",
	"incl", "esp", "fig", "est", "avg", "yrs", "mo", NULL};

static int is_alnum_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

/* Is the word ending just before `dot` an abbreviation? */
static int abbrev_before(const char *t, size_t line_start, size_t dot)
{
	size_t w = dot;
	while (w > line_start && (is_alnum_byte((unsigned char)t[w - 1]) || t[w - 1] == '.'))
		w--;
	size_t n = dot - w;
	if (n == 0)
		return 0;
	if (n == 1 && ((unsigned char)t[w] < 0x80))
		return 1; /* a single letter: an initial, "a." in a list */
	for (size_t i = 0; abbrevs[i]; i++)
		if (strlen(abbrevs[i]) == n && memcmp(abbrevs[i], t + w, n) == 0)
			return 1;
	return 0;
}

static int push(otz_segment **v, size_t *n, size_t *cap, const char *t,
                size_t s, size_t e, otz_seg_kind kind, int line_start)
{
	while (s < e && t[s] == ' ')
		s++;
	while (e > s && t[e - 1] == ' ')
		e--;
	int any = 0;
	for (size_t i = s; i < e && !any;) {
		unsigned char c = (unsigned char)t[i];
		if (c < 0x80) {
			any = is_alnum_byte(c);
			i++;
			continue;
		}
		/* Beyond ASCII, ask utf8proc: "€" or "§" alone is not text. */
		utf8proc_int32_t cp;
		utf8proc_ssize_t cl = utf8proc_iterate((const utf8proc_uint8_t *)t + i,
		                                       (utf8proc_ssize_t)(e - i), &cp);
		if (cl <= 0) {
			i++;
			continue;
		}
		utf8proc_category_t cat = utf8proc_category(cp);
		any = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
		      (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
		i += (size_t)cl;
	}
	if (!any)
		return 0;
	if (OTZ_GROW(*v, *cap, *n + 1))
		return OTZ_ENOMEM;
	(*v)[*n].start = s;
	(*v)[*n].end = e;
	(*v)[*n].kind = kind;
	(*v)[*n].line_start = line_start;
	(*n)++;
	return 0;
}

/* Length of a list marker at t[i], or 0. */
static size_t list_marker(const char *t, size_t i, size_t end)
{
	if (i + 1 < end && (t[i] == '-' || t[i] == '*' || t[i] == '+') && t[i + 1] == ' ')
		return 2;
	size_t j = i;
	while (j < end && j - i < 3 && t[j] >= '0' && t[j] <= '9')
		j++;
	if (j > i && j + 1 < end && (t[j] == '.' || t[j] == ')') && t[j + 1] == ' ')
		return j + 2 - i;
	return 0;
}

int otz_segment_text(otz_segment **out, size_t *n, const char *t, size_t len,
                     otz_error *err)
{
	otz_segment *v = NULL;
	size_t nv = 0, cap = 0;
	size_t ls = 0;
	int rc = 0;
	while (ls < len) {
		const char *nl = memchr(t + ls, '\n', len - ls);
		size_t le = nl ? (size_t)(nl - t) : len;
		size_t s = ls;
		while (s < le && t[s] == ' ')
			s++;
		otz_seg_kind kind = OTZ_SEG_SENTENCE;
		size_t m = list_marker(t, s, le);
		if (m) {
			kind = OTZ_SEG_ITEM;
			s += m;
		}
		int first = 1;
		size_t seg = s;
		for (size_t i = s; i < le; i++) {
			char c = t[i];
			if (c != '.' && c != '!' && c != '?')
				continue;
			size_t j = i + 1;
			while (j < le && (t[j] == '.' || t[j] == '!' || t[j] == '?'))
				j++;
			while (j < le && (t[j] == '"' || t[j] == '\'' || t[j] == ')'))
				j++;
			if (j < le && t[j] != ' ')
				continue;
			if (c == '.' && j == i + 1 && abbrev_before(t, ls, i))
				continue;
			if ((rc = push(&v, &nv, &cap, t, seg, j, kind, first)))
				goto done;
			if (nv && v[nv - 1].start >= seg)
				first = 0;
			seg = j;
			i = j - 1;
		}
		if ((rc = push(&v, &nv, &cap, t, seg, le, kind, first)))
			goto done;
		ls = le + 1;
	}
	*out = v;
	*n = nv;
	v = NULL;
done:
	free(v);
	if (rc)
		return otz__fail(err, rc, "out of memory while segmenting");
	return 0;
}
