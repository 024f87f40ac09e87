/*
 * mdin.c - a Markdown posting as the plain text a reader of it sees.
 *
 * cli_md_text() parses Markdown with md4c (CommonMark, plus GitHub's
 * tables, strikethrough, task lists and bare links) and writes its text:
 * every heading, paragraph, code line and table row on a line of its own,
 * so that a heading stays a short line of its own, which the engine reads
 * as a title or a section name; every list item, at any depth, on a line
 * beginning "- ", the marker the normalizer and the segmenter
 * (engine/segment.c) read as a list item; emphasis, code and link markup
 * gone and their words kept (a link keeps its text, not its address; an
 * image keeps nothing, its alt text being about a picture); table cells
 * joined by " | ".  A soft line break inside a paragraph is a space, as a
 * renderer shows it, so that a sentence wrapped in the file stays one
 * sentence.
 *
 * Entities and raw HTML are left to the engine's normalizer, the one home
 * of both: a character reference ("&hearts;") and inline or block HTML go
 * out as written, and the other text has its own '&' and '<' written as
 * "&amp;" and "&lt;", so that the normalizer reads back exactly the
 * characters the Markdown meant ("\<b>" is text, not a tag).
 *
 * md4c reads the input in one pass, and the walker below does a constant
 * amount of work per call and per byte it writes, so the conversion is
 * linear (tests/test_clilib.c times it on the shapes that make Markdown
 * parsers slow).  The output belongs to the caller (free).  Errors: -1 with
 * `why` for an input md4c cannot address (4 GiB and over) or out of memory.
 */
#include <md4c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The walk's state: the text so far, and where in the document it is. */
typedef struct md_walk {
	otz_buf out;
	int oom;
	int item_open;  /* "- " written and nothing after it yet */
	unsigned img;   /* depth inside images */
	unsigned cells; /* cells written in the current table row */
} md_walk;

static int put(md_walk *w, const char *p, size_t n)
{
	if (otz_buf_append_n(&w->out, p, n)) {
		w->oom = 1;
		return -1;
	}
	return 0;
}

/* Begin a line, unless the text is empty or a line has just begun. */
static int new_line(md_walk *w)
{
	return w->out.len && w->out.ptr[w->out.len - 1] != '\n' ? put(w, "\n", 1) : 0;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	md_walk *w = userdata;
	(void)detail;
	switch (type) {
	case MD_BLOCK_LI:
		/* An item that opens with a list ("- - x") shares its marker. */
		if (w->item_open)
			return 0;
		w->item_open = 1;
		return new_line(w) || put(w, "- ", 2) ? -1 : 0;
	case MD_BLOCK_TR:
		w->cells = 0;
		return new_line(w);
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		return w->cells++ ? put(w, " | ", 3) : 0;
	case MD_BLOCK_DOC:
	case MD_BLOCK_QUOTE:
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
	case MD_BLOCK_TABLE:
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
		return 0; /* their children make the lines */
	default:
		/* A heading, paragraph, code block, HTML block or rule: a line of
		 * its own, but the first paragraph of an item goes after its "- ". */
		return w->item_open ? 0 : new_line(w);
	}
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	md_walk *w = userdata;
	(void)detail;
	if (type == MD_BLOCK_LI)
		w->item_open = 0;
	return 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	md_walk *w = userdata;
	(void)detail;
	if (type == MD_SPAN_IMG)
		w->img++;
	return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	md_walk *w = userdata;
	(void)detail;
	if (type == MD_SPAN_IMG && w->img)
		w->img--;
	return 0;
}

/*
 * Text, with NUL bytes left out: md4c reports a NUL as MD_TEXT_NULLCHAR in
 * a paragraph, but passes it on as well in HTML and code blocks and alone
 * in a code span.  With `literal`, '&' and '<' are written as references,
 * for text the normalizer must read as written.
 */
static int put_text(md_walk *w, const char *p, size_t n, int literal)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *ref = p[i] == '\0'            ? ""
		                  : !literal               ? NULL
		                  : p[i] == '&'            ? "&amp;"
		                  : p[i] == '<'            ? "&lt;"
		                                           : NULL;
		if (!ref)
			continue;
		if (put(w, p + run, i - run) || put(w, ref, strlen(ref)))
			return -1;
		run = i + 1;
	}
	return put(w, p + run, n - run);
}

static int text(MD_TEXTTYPE type, const MD_CHAR *p, MD_SIZE n, void *userdata)
{
	md_walk *w = userdata;
	int rc;
	if (w->img)
		return 0;
	switch (type) {
	case MD_TEXT_NULLCHAR:
		rc = put(w, "\xef\xbf\xbd", 3); /* U+FFFD, as CommonMark reads a NUL */
		break;
	case MD_TEXT_BR:
		rc = put(w, "\n", 1);
		break;
	case MD_TEXT_SOFTBR:
		rc = put(w, " ", 1);
		break;
	case MD_TEXT_ENTITY:
	case MD_TEXT_HTML:
		rc = put_text(w, p, n, 0); /* the normalizer decodes and drops these */
		break;
	default: /* normal text, code, LaTeX */
		rc = put_text(w, p, n, 1);
		break;
	}
	if (n)
		w->item_open = 0;
	return rc;
}

int cli_md_text(const char *md, size_t n, char **out, size_t *outlen, char *why, size_t wn)
{
	md_walk w;
	memset(&w, 0, sizeof(w));
	*out = NULL;
	*outlen = 0;
	if (n >= UINT32_MAX) {
		snprintf(why, wn, "%zu bytes are too many for the Markdown reader (limit 4 GiB)", n);
		return -1;
	}
	/* md4c 0.4.8 (Debian 12) reads a byte past the end of some unclosed
	 * links ("![x](!"; fixed upstream after that release): it parses a
	 * copy that ends in a NUL, which the walk drops like any other. */
	char *copy = malloc(n + 1);
	if (!copy) {
		snprintf(why, wn, "out of memory reading the Markdown");
		return -1;
	}
	memcpy(copy, md, n);
	copy[n] = '\0';
	MD_PARSER p;
	memset(&p, 0, sizeof(p));
	p.flags = MD_DIALECT_GITHUB;
	p.enter_block = enter_block;
	p.leave_block = leave_block;
	p.enter_span = enter_span;
	p.leave_span = leave_span;
	p.text = text;
	int rc = md_parse(copy, (MD_SIZE)n, &p, &w);
	free(copy);
	if (rc != 0 || w.oom || put(&w, "\n", 1)) {
		otz_buf_dispose(&w.out);
		snprintf(why, wn, "out of memory reading the Markdown");
		return -1;
	}
	*out = w.out.ptr;
	*outlen = w.out.len;
	return 0;
}
