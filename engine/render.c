/*
 * render.c - a record in, a document out: the dispatch and what every
 * format's writer shares.
 *
 * otz_render() appends one document to the caller's otz_buf in the format
 * asked for: text (the seed's shape spaced and labelled for a reader, or,
 * as OTZ_FORMAT_RECORD, the seed's own lines as corpus files keep them; both
 * written by recfmt.c beside the reader, so that a record reads back as
 * itself), JSON (render_json.c),
 * Markdown (render_md.c) or one self-contained HTML page (render_html.c).
 * Each writer takes its section headings and the rule for when a section is
 * shown from the record format (recfmt.c), so the formats cannot drift
 * apart.  The writer helpers here stop writing at the first failure and keep
 * its code in the otz_wr, which otz_render turns into an error; on error the
 * buffer may hold a partial document, which the caller discards.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

void otz__put(otz_wr *w, const char *s)
{
	if (!w->rc && s)
		w->rc = otz__buf_puts(w->b, s);
}

void otz__putn(otz_wr *w, const char *s, size_t n)
{
	if (!w->rc && n)
		w->rc = otz__buf_put(w->b, s, n);
}

void otz__put_color(otz_wr *w, const char *color, const char *s)
{
	if (w->color)
		otz__put(w, color);
	otz__put(w, s);
	if (w->color)
		otz__put(w, OTZ_C_OFF);
}

void otz__putf(otz_wr *w, const char *fmt, ...)
{
	if (w->rc)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		w->rc = OTZ_ENOMEM;
		return;
	}
	w->rc = otz__buf_put(w->b, s, (size_t)n);
	free(s);
}

const char *otz__article(const char *orig)
{
	size_t n = strcspn(orig, " -/");
	int acronym = n > 1;
	for (size_t i = 0; i < n && acronym; i++)
		acronym = !islower((unsigned char)orig[i]);
	char c = (char)toupper((unsigned char)orig[0]);
	if (acronym)
		return strchr("AEFHILMNORSX", c) && c ? "AN" : "A";
	if (c == 'U')
		return strncasecmp(orig, "uni", 3) && strncasecmp(orig, "use", 3) &&
		       strncasecmp(orig, "usu", 3) ? "AN" : "A";
	return strchr("AEIO", c) && c ? "AN" : "A";
}

char *otz__upper(const char *s)
{
	char *u = strdup(s ? s : "");
	if (u)
		for (char *p = u; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	return u;
}

char *otz__origin(const otz_autopsy *a)
{
	char *s = NULL;
	int n = -1;
	if (a->rule_id)
		n = asprintf(&s, "rule %s \xc2\xb7 %s \xc2\xb7 weight %d", a->rule_id,
		             a->category ? a->category : "jargon", a->weight);
	else if (a->specimen)
		n = asprintf(&s, "specimen %s", a->specimen);
	return n < 0 ? NULL : s;
}

int otz_render(otz_buf *b, const otz_record *r, const otz_render_options *opts,
               otz_error *err)
{
	otz_render_options dflt = OTZ_RENDER_OPTIONS_INIT;
	if (!opts)
		opts = &dflt;
	otz_wr w = {b, opts->color && opts->format == OTZ_FORMAT_TEXT, opts->show_rules, 0,
	            /* a caller built against version 2 has no `compact` */
	            opts->version >= 3 && opts->compact, opts->format == OTZ_FORMAT_RECORD};
	switch (opts->format) {
	case OTZ_FORMAT_TEXT:
	case OTZ_FORMAT_RECORD:
		otz__render_text(&w, r);
		break;
	case OTZ_FORMAT_JSON:
		otz__render_json(&w, r);
		break;
	case OTZ_FORMAT_MD:
		otz__render_md(&w, r);
		break;
	case OTZ_FORMAT_HTML:
		otz__render_html(&w, r);
		break;
	default:
		return otz__fail(err, OTZ_EINVAL, "unknown output format %d", (int)opts->format);
	}
	if (w.rc)
		return otz__fail(err, w.rc, "out of memory while rendering");
	return 0;
}
