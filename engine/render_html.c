/*
 * render_html.c - a record in, one self-contained HTML page out.
 *
 * The style sheet is inline, there are no scripts, and nothing refers to
 * another host (no fonts, images or links), so the file opens the same
 * offline, from a mail attachment or on a phone.  One column on narrow
 * screens; above 700px the figures, each illusion and its translation, and
 * the related specimens sit side by side.  The page is laid out like the
 * paper file record: the sections the record format (recfmt.c) says are
 * present, under its headings, in its order.  Every piece of record text is
 * escaped (otz_html_escape).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char html_css[] =
	"*{box-sizing:border-box}"
	"body{margin:0;background:#e6e0d2;color:#1d1c1a;font:16px/1.5 Georgia,'DejaVu Serif',serif}"
	"main{max-width:1000px;margin:0 auto;padding:10px}"
	".sheet{background:#fbf9f3;border:1px solid #c4bba6;box-shadow:0 2px 8px #0003;padding:16px}"
	".m,h2,.lbl,code,.stamp,.fig b,.pct,cite,.slot,footer{font-family:'DejaVu Sans Mono',"
	"Menlo,Consolas,monospace}"
	"header{border-bottom:3px double #1d1c1a;padding-bottom:10px}"
	".stamp{display:inline-block;border:2px solid #b3261e;color:#b3261e;padding:2px 8px;"
	"font-size:.8em;font-weight:bold;letter-spacing:.06em;overflow-wrap:anywhere}"
	"h1{font-size:1.6em;line-height:1.2;margin:.4em 0 .2em}"
	".q{font-size:.8em;color:#5b5649;margin:0}"
	"h2{font-size:.95em;letter-spacing:.05em;margin:26px 0 10px;padding:5px 8px;"
	"background:#1d1c1a;color:#fbf9f3}"
	"h2 span{color:#f2c14e;margin-right:.4em}"
	".lbl{font-size:.72em;letter-spacing:.1em;color:#5b5649;margin:0}"
	".fig{border:1px solid #c4bba6;background:#fff;padding:10px 12px;margin:10px 0}"
	".fig b{display:block;font-size:2em;line-height:1.15}"
	".fig b small{font-size:.45em;color:#b3261e;margin-left:.5em}"
	".bar{height:8px;background:#e6e0d2;margin:6px 0}"
	".bar i{display:block;height:100%;background:#b3261e}"
	".why{font-size:.9em;color:#3d3b36;margin:.3em 0}"
	".note{font-size:.85em;border-left:3px solid #8a826f;padding-left:8px}"
	"ul.chips{display:flex;flex-wrap:wrap;gap:6px;padding:0;list-style:none}"
	".chips li{border:1px solid #8a826f;padding:0 8px;font-size:.9em}"
	"dl{margin:0}dt{font-weight:bold;margin-top:10px}dd{margin:2px 0 0}"
	".pair{display:grid;gap:8px;padding:10px 0 14px;border-bottom:1px dashed #c4bba6}"
	".pair blockquote,.t{margin:4px 0;padding:8px 10px}"
	".ill blockquote{border-left:4px solid #f2c14e;background:#fff8dc}"
	"mark{background:#ffe27a;color:inherit}"
	".t{border-left:4px solid #2e6b34;background:#edf5ec}"
	".rule,.also{font-size:.8em;color:#5b5649}"
	"code{font-size:.85em;background:#ece6d8;padding:0 4px}"
	".log p{margin:2px 0 12px}.slot{font-size:.8em;color:#b3261e}"
	"blockquote.c{margin:12px 0;padding-left:12px;border-left:3px solid #8a826f;font-style:italic}"
	"cite{display:block;font-style:normal;font-size:.8em;color:#5b5649}"
	".rel{border:1px solid #c4bba6;background:#fff;padding:10px 12px;margin:10px 0}"
	".pct{font-size:1.5em;font-weight:bold}"
	".rel p{margin:4px 0}"
	"footer{margin-top:22px;font-size:.72em;color:#5b5649;border-top:1px solid #c4bba6;"
	"padding-top:6px}"
	"@media(min-width:700px){main{padding:28px}.sheet{padding:28px 36px}"
	".figs,.rels{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:0 14px}"
	".pair{grid-template-columns:1fr 1fr;gap:20px}}";

int otz_html_escape(otz_buf *b, const char *s)
{
	const char *run = s;
	int rc = 0;
	for (; s && *s && !rc; s++) {
		const char *e = NULL;
		switch (*s) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: break;
		}
		if (!e)
			continue;
		if (s > run)
			rc = otz__buf_put(b, run, (size_t)(s - run));
		if (!rc)
			rc = otz__buf_puts(b, e);
		run = s + 1;
	}
	if (!rc && s && s > run)
		rc = otz__buf_put(b, run, (size_t)(s - run));
	return rc;
}

static void esc(otz_wr *w, const char *s)
{
	if (!w->rc)
		w->rc = otz_html_escape(w->b, s);
}

/* <tag class="cls">escaped text</tag>\n, or nothing when s is NULL. */
static void el(otz_wr *w, const char *tag, const char *cls, const char *s)
{
	if (!s)
		return;
	if (cls)
		otz__putf(w, "<%s class=\"%s\">", tag, cls);
	else
		otz__putf(w, "<%s>", tag);
	esc(w, s);
	otz__putf(w, "</%s>\n", tag);
}

/* A 0..100 meter; the width is clamped so that the style is always valid. */
static void bar(otz_wr *w, long pct)
{
	otz__putf(w, "<div class=\"bar\"><i style=\"width:%ld%%\"></i></div>\n",
	          pct < 0 ? 0 : pct > 100 ? 100 : pct);
}

static void entries(otz_wr *w, const otz_entry *v, size_t n)
{
	otz__put(w, "<dl>\n");
	for (size_t i = 0; i < n; i++) {
		el(w, "dt", NULL, v[i].name ? v[i].name : "");
		otz__put(w, "<dd>");
		if (v[i].text)
			esc(w, v[i].text);
		if (v[i].rule_id && w->show_rules) {
			otz__put(w, " <code>");
			esc(w, v[i].rule_id);
			otz__put(w, "</code>");
		}
		otz__put(w, "</dd>\n");
	}
	otz__put(w, "</dl>\n");
}

static void h_org(otz_wr *w, const otz_record *r)
{
	el(w, "p", "why", r->org_note);
	if (!r->naliases)
		return;
	otz__put(w, "<p class=\"lbl\">KNOWN ALIASES / DISGUISES</p>\n<ul class=\"chips\">\n");
	for (size_t i = 0; i < r->naliases; i++)
		el(w, "li", NULL, r->aliases[i]);
	otz__put(w, "</ul>\n");
}

static void h_habitat(otz_wr *w, const otz_record *r)
{
	otz__put(w, "<ul>\n");
	for (size_t i = 0; i < r->nhabitat; i++)
		el(w, "li", NULL, r->habitat[i].text);
	for (size_t i = 0; i < r->nhabitat_lines; i++)
		el(w, "li", NULL, r->habitat_lines[i]);
	otz__put(w, "</ul>");
}

static void h_salary(otz_wr *w, const otz_record *r)
{
	char m[48];
	otz__money(m, sizeof(m), otz__salary_value(r));
	otz__put(w, "<div class=\"fig\"><p class=\"lbl\">");
	esc(w, r->salary_fig.label ? r->salary_fig.label : "MARKET AVERAGE");
	otz__put(w, "</p><b>");
	esc(w, m);
	otz__put(w, "</b>\n");
	el(w, "p", "why", otz__salary_reason(r));
	otz__put(w, "</div>\n");
	if (r->salary_quote) {
		otz__put(w, "<blockquote class=\"c\">&quot;");
		esc(w, r->salary_quote);
		otz__put(w, "&quot;</blockquote>\n");
	}
}

static void h_risk(otz_wr *w, const otz_record *r)
{
	otz__putf(w, "<div class=\"fig\"><p class=\"lbl\">FLIGHT RISK</p><b>%d%%", r->flight_risk);
	if (r->risk_label) {
		otz__put(w, "<small>");
		esc(w, r->risk_label);
		otz__put(w, "</small>");
	}
	otz__put(w, "</b>\n");
	bar(w, r->flight_risk);
	el(w, "p", "why", r->risk_fig.reason);
	otz__put(w, "</div>\n");
	if (r->diagnosis) {
		otz__put(w, "<p><span class=\"lbl\">[DIAGNOSIS]</span> ");
		esc(w, r->diagnosis);
		otz__put(w, "</p>\n");
	}
	if (r->nred_flags) {
		otz__put(w, "<p class=\"lbl\">RED FLAGS</p>\n");
		entries(w, r->red_flags, r->nred_flags);
	}
}

static void h_metrics(otz_wr *w, const otz_record *r)
{
	entries(w, r->metrics, r->nmetrics);
}

static void h_weapons(otz_wr *w, const otz_record *r)
{
	entries(w, r->weapons, r->nweapons);
}

static void h_encounter(otz_wr *w, const otz_record *r)
{
	otz__put(w, "<p><span class=\"lbl\">[IF ENGAGED:]</span> ");
	esc(w, r->encounter);
	otz__put(w, "</p>");
}

static void h_autopsy(otz_wr *w, const otz_record *r)
{
	for (size_t i = 0; i < r->nautopsy; i++) {
		const otz_autopsy *a = &r->autopsy[i];
		otz__put(w, "<div class=\"pair\"><div class=\"ill\"><p class=\"lbl\">LINKEDIN ILLUSION [");
		esc(w, a->source ? a->source : "SOURCE REDACTED");
		otz__put(w, "]</p>\n<blockquote><mark>");
		esc(w, a->illusion);
		otz__put(w, "</mark></blockquote>\n");
		for (size_t k = 0; k < a->nmore; k++) {
			otz__put(w, "<blockquote><mark>");
			esc(w, a->more[k]);
			otz__put(w, "</mark></blockquote>\n");
		}
		otz__put(w, "</div>\n<div class=\"tr\"><p class=\"lbl\">OTIOSE "
		            "TRANSLATION</p>\n");
		el(w, "p", "t", a->translation);
		if (a->also) {
			otz__put(w, "<p class=\"also\">Also standard issue: ");
			esc(w, a->also);
			otz__put(w, ".</p>\n");
		}
		char *origin = w->show_rules ? otz__origin(a) : NULL;
		if (origin) {
			otz__put(w, "<div class=\"rule\">");
			esc(w, origin);
			otz__put(w, "</div>\n");
		}
		free(origin);
		otz__put(w, "</div></div>\n");
	}
}

static void h_log(otz_wr *w, const otz_record *r)
{
	otz__put(w, "<div class=\"log\">\n");
	for (size_t i = 0; i < r->nlog; i++) {
		otz__put(w, "<div class=\"slot\">[");
		esc(w, r->log[i].slot);
		otz__put(w, "]</div>\n");
		el(w, "strong", NULL, r->log[i].title);
		el(w, "p", NULL, r->log[i].text);
	}
	otz__put(w, "</div>");
}

static void h_complaints(otz_wr *w, const otz_record *r)
{
	otz__put(w, "<p class=\"why\">* " OTZ_BURN_WARD_NOTE "</p>\n");
	for (size_t i = 0; i < r->ncomplaints; i++) {
		otz__put(w, "<blockquote class=\"c\">&quot;");
		esc(w, r->complaints[i].text);
		otz__put(w, "&quot;");
		if (r->complaints[i].source) {
			otz__put(w, "<cite>\xe2\x80\x94 ");
			esc(w, r->complaints[i].source);
			otz__put(w, "</cite>");
		}
		otz__put(w, "</blockquote>\n");
	}
}

static void h_related(otz_wr *w, const otz_record *r)
{
	otz__put(w, "<div class=\"rels\">\n");
	for (size_t i = 0; i < r->nrelated; i++) {
		const otz_related *x = &r->related[i];
		otz__putf(w, "<div class=\"rel\"><p class=\"lbl\">SYSTEM MATCH</p>"
		             "<div class=\"pct\">%d%%</div>\n",
		          x->percent);
		bar(w, x->percent);
		otz__put(w, "<p><strong>");
		esc(w, x->title);
		otz__put(w, "</strong></p>\n");
		if (x->text && *x->text)
			el(w, "p", "why", x->text);
		size_t nrules = w->show_rules ? x->nrules : 0; /* rule ids when asked for */
		if (nrules || x->nterms || x->alias) {
			otz__put(w, "<p class=\"rule\">EVIDENCE:");
			if (x->alias) {
				otz__put(w, " title ~ &#39;");
				esc(w, x->alias);
				otz__putf(w, "&#39; (%.0f%%);", x->title_score * 100);
			}
			for (size_t k = 0; k < nrules; k++) {
				otz__put(w, k ? ", <code>" : " rules <code>");
				esc(w, x->rules[k]);
				otz__put(w, "</code>");
			}
			if (nrules && x->nterms)
				otz__put(w, ";");
			for (size_t k = 0; k < x->nterms; k++) {
				otz__put(w, k ? ", " : " terms ");
				esc(w, x->terms[k]);
			}
			otz__put(w, "</p>\n");
		}
		otz__put(w, "</div>\n");
	}
	otz__put(w, "</div>");
}

static void (*const html_sections[OTZ_NSECTIONS + 1])(otz_wr *, const otz_record *) = {
	NULL,      h_org,       h_habitat, h_salary, h_risk,       h_metrics,
	h_weapons, h_encounter, h_autopsy, h_log,    h_complaints, h_related};

/* The page's head, the stamp, the title and the question. */
static void page_head(otz_wr *w, const otz_record *r)
{
	const char *title = r->title ? r->title : "";
	const char *slug = r->slug ? r->slug : "";
	otz__put(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	            "<title>FILE RECORD: ");
	esc(w, slug);
	otz__put(w, "</title>\n<style>");
	otz__put(w, html_css);
	otz__put(w, "</style>\n</head>\n<body>\n<main><article class=\"sheet\">\n<header>\n"
	            "<div class=\"stamp\">FILE RECORD: ");
	esc(w, slug);
	otz__put(w, "</div>\n");
	el(w, "h1", NULL, title);
	if (r->question) {
		el(w, "p", "q m", r->question);
		return;
	}
	char *ut = otz__upper(title);
	if (!ut) {
		w->rc = OTZ_ENOMEM;
		return;
	}
	otz__putf(w, "<p class=\"q m\">WHAT DOES %s ", otz__article(title));
	esc(w, ut);
	otz__put(w, " ACTUALLY DO?</p>\n");
	free(ut);
}

void otz__render_html(otz_wr *w, const otz_record *r)
{
	page_head(w, r);
	if (r->otiose_index.present) {
		otz__putf(w, "<div class=\"fig\"><p class=\"lbl\">OTIOSE INDEX</p><b>%ld<small>/100",
		          r->otiose_index.value);
		if (r->otiose_index.label) {
			otz__put(w, " ");
			esc(w, r->otiose_index.label);
		}
		otz__put(w, "</small></b>\n");
		bar(w, r->otiose_index.value);
		el(w, "p", "why", r->otiose_index.reason);
		otz__put(w, "</div>\n");
	}
	if (r->via) {
		otz__put(w, "<p class=\"note\">CLOSEST SPECIMEN: <strong>");
		esc(w, r->via);
		otz__putf(w, "</strong> (SYSTEM MATCH %d%%); borrowed from it: ", r->via_percent);
		esc(w, r->borrowed);
		otz__put(w, ".</p>\n");
	}
	if (r->nearest) {
		otz__put(w, "<p class=\"note\">NO CLOSE SPECIMEN: the nearest is <strong>");
		esc(w, r->nearest);
		otz__putf(w, "</strong> (SYSTEM MATCH %d%%), but ", r->nearest_percent);
		esc(w, r->nearest_why);
		otz__put(w, "; nothing is borrowed from it and no market average is given.</p>\n");
	}
	otz__put(w, "</header>\n");
	for (int no = 1; no <= OTZ_NSECTIONS; no++) {
		if (!otz__section_present(r, no))
			continue;
		otz__putf(w, "<section id=\"s%02d\"><h2><span>[%02d]</span>%s</h2>\n", no, no,
		          otz__section_heading(no));
		html_sections[no](w, r);
		otz__put(w, "</section>\n");
	}
	otz__put(w, "<footer>otiose " OTZ_VERSION);
	if (r->is_translation)
		otz__putf(w, " \xc2\xb7 %zu bytes \xc2\xb7 %zu segments \xc2\xb7 %zu rule hits",
		          r->input_bytes, r->nsegments, r->nhits);
	else
		otz__put(w, " \xc2\xb7 stored specimen");
	otz__put(w, "</footer>\n</article></main>\n</body>\n</html>\n");
}
