/*
 * render.c - a record in, text, JSON, Markdown or HTML out.
 *
 * Text follows the seed record line for line ([01] ... [11], the same
 * headings and line shapes), so that a specimen renders back into the file
 * it was parsed from and a translated record can be edited and imported as a
 * new specimen.  Sections with nothing in them are left out.  Translations
 * add their figures (Otiose index, estimates with reasons), the rule and
 * byte span of each LINKEDIN ILLUSION, and the evidence of each match; the
 * importer skips those lines.  ANSI colour only when asked for.
 *
 * JSON is written with jansson and carries everything, byte offsets
 * included.  HTML is one self-contained page (inline CSS, no scripts, no
 * reference to any other host) laid out like the paper file record, with
 * every piece of record text escaped.  Output is appended to the caller's otz_buf; on error the
 * buffer may hold a partial document, which the caller discards.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

typedef struct rctx {
	otz_buf *b;
	int color;
	int rc;
} rctx;

#define C_HEAD "\x1b[1;33m"
#define C_ILL "\x1b[36m"
#define C_TR "\x1b[1;32m"
#define C_DIM "\x1b[2m"
#define C_BOLD "\x1b[1m"
#define C_OFF "\x1b[0m"

static void out(rctx *c, const char *s)
{
	if (!c->rc && s)
		c->rc = otz__buf_puts(c->b, s);
}

static void outc(rctx *c, const char *color, const char *s)
{
	if (c->color)
		out(c, color);
	out(c, s);
	if (c->color)
		out(c, C_OFF);
}

__attribute__((format(printf, 2, 3))) static void outf(rctx *c, const char *fmt, ...)
{
	if (c->rc)
		return;
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		c->rc = OTZ_EINVAL;
	else if ((size_t)n < sizeof(tmp))
		c->rc = otz__buf_put(c->b, tmp, (size_t)n);
	else {
		char *big = malloc((size_t)n + 1);
		if (!big) {
			c->rc = OTZ_ENOMEM;
			return;
		}
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		c->rc = otz__buf_put(c->b, big, (size_t)n);
		free(big);
	}
}

static void line(rctx *c, const char *s)
{
	out(c, s);
	out(c, "\n");
}

static void heading(rctx *c, const char *h)
{
	outc(c, C_HEAD, h);
	out(c, "\n");
}

/*
 * "A" or "AN" before an upper-cased title, by sound: an acronym is read
 * letter by letter ("AN SDET", "AN HR", "A UX"), a word by its first
 * vowel ("AN ANALYST", "A USER RESEARCHER", "AN UNFILED ROLE").
 */
static const char *article(const char *orig)
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

static char *upper(const char *s)
{
	char *u = strdup(s ? s : "");
	if (u)
		for (char *p = u; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	return u;
}

/* ---- text --------------------------------------------------------- */

static void render_text(rctx *c, const otz_record *r)
{
	char *ut = upper(r->title);
	if (!ut) {
		c->rc = OTZ_ENOMEM;
		return;
	}
	outc(c, C_BOLD, "FILE RECORD: ");
	outc(c, C_BOLD, r->slug);
	out(c, "\n");
	if (r->question)
		line(c, r->question);
	else
		outf(c, "WHAT DOES %s %s ACTUALLY DO?\n", article(r->title ? r->title : ""), ut);
	free(ut);
	line(c, r->title);
	if (r->is_translation) {
		if (r->otiose_index.present) {
			outc(c, C_BOLD, "OTIOSE INDEX: ");
			outf(c, "%ld/100\n* %s\n", r->otiose_index.value, r->otiose_index.reason);
		}
		if (r->via)
			outf(c, "CLOSEST SPECIMEN: %s (SYSTEM MATCH %d%%); [01] [02] [07] [09] [10] are "
			        "borrowed from it.\n",
			     r->via, r->via_percent);
	}
	if (r->org_note || r->naliases) {
		heading(c, "[01] THE ORG-CHART ARCHITECTURE");
		if (r->org_note)
			outf(c, "* %s\n", r->org_note);
		if (r->naliases) {
			line(c, "KNOWN ALIASES / DISGUISES:");
			for (size_t i = 0; i < r->naliases; i++) {
				out(c, i ? " \xc2\xb7 " : "");
				out(c, r->aliases[i]);
			}
			out(c, "\n");
		}
	}
	if (r->nhabitat_lines || r->nhabitat) {
		heading(c, "[02] THE HABITAT (NATURAL RANGE)");
		for (size_t i = 0; i < r->nhabitat; i++)
			outf(c, "- %s\n", r->habitat[i].text);
		for (size_t i = 0; i < r->nhabitat_lines; i++)
			outf(c, "- %s\n", r->habitat_lines[i]);
	}
	if (r->salary > 0 || (r->is_translation && r->salary_fig.present)) {
		char m[48];
		heading(c, "[03] SALARY DELUSION");
		line(c, "MARKET AVERAGE");
		otz__money(m, sizeof(m), r->is_translation ? r->salary_fig.value : r->salary);
		line(c, m);
		if (r->is_translation && r->salary_fig.reason)
			outf(c, "* %s\n", r->salary_fig.reason);
		else if (r->salary_basis)
			outf(c, "* %s\n", r->salary_basis);
		if (r->salary_quote)
			outf(c, "\"%s\"\n", r->salary_quote);
	}
	if (r->flight_risk >= 0) {
		heading(c, "[04] THE FLIGHT RISK");
		outc(c, C_BOLD, "FLIGHT RISK:");
		outf(c, "%d%%%s\n", r->flight_risk, r->risk_label ? r->risk_label : "");
		if (r->diagnosis)
			outf(c, "[DIAGNOSIS]%s\n", r->diagnosis);
		if (r->is_translation && r->risk_fig.reason)
			outf(c, "* %s\n", r->risk_fig.reason);
		for (size_t i = 0; i < r->nred_flags; i++)
			outf(c, "RED FLAG: \"%s\" \xe2\x80\x94 %s\n", r->red_flags[i].name,
			     r->red_flags[i].text);
	}
	if (r->nmetrics) {
		heading(c, "[05] THE BULLSHIT METRICS");
		for (size_t i = 0; i < r->nmetrics; i++) {
			outc(c, C_BOLD, r->metrics[i].name);
			out(c, "\n");
			line(c, r->metrics[i].text);
		}
	}
	if (r->nweapons) {
		heading(c, "[06] SIGNATURE WEAPONRY");
		for (size_t i = 0; i < r->nweapons; i++) {
			outc(c, C_BOLD, r->weapons[i].name);
			out(c, "\n");
			line(c, r->weapons[i].text);
		}
	}
	if (r->encounter) {
		heading(c, "[07] SURVIVAL / ENCOUNTER GUIDE");
		outf(c, "[IF ENGAGED:]%s\n", r->encounter);
	}
	if (r->nautopsy) {
		heading(c, "[08] THE JD AUTOPSY: WHAT DO THEY ACTUALLY DO?");
		for (size_t i = 0; i < r->nautopsy; i++) {
			const otz_autopsy *a = &r->autopsy[i];
			outc(c, C_ILL, "LINKEDIN ILLUSION");
			out(c, "\n");
			outc(c, C_DIM, "[");
			outc(c, C_DIM, a->source ? a->source : "SOURCE REDACTED");
			outc(c, C_DIM, "]");
			out(c, "\n");
			outf(c, "\"%s\"\n", a->illusion);
			outc(c, C_TR, "OTIOSE TRANSLATION");
			out(c, "\n");
			line(c, a->translation);
		}
	}
	if (r->nlog) {
		heading(c, "[09] DAY-IN-THE-LIFE LOG");
		for (size_t i = 0; i < r->nlog; i++)
			outf(c, "[%s]\n%s\n%s\n", r->log[i].slot, r->log[i].title, r->log[i].text);
	}
	if (r->ncomplaints) {
		heading(c, "[10] THE BURN WARD (UNFILTERED COMPLAINTS)");
		line(c, "* The stark reality of the role, scraped from Reddit, Blind, and anonymous "
		        "career boards.");
		for (size_t i = 0; i < r->ncomplaints; i++) {
			outf(c, "\"%s\"\n", r->complaints[i].text);
			if (r->complaints[i].source)
				outf(c, "\xe2\x80\x94 %s\n", r->complaints[i].source);
		}
	}
	if (r->nrelated) {
		heading(c, "[11] RELATED SPECIMENS");
		for (size_t i = 0; i < r->nrelated; i++) {
			const otz_related *x = &r->related[i];
			if (i == 0)
				out(c, "[VIEW FULL TAXONOMY] \xe2\x86\x97");
			outc(c, C_BOLD, "SYSTEM MATCH: ");
			outf(c, "%d%%\n", x->percent);
			line(c, x->title);
			if (x->text && *x->text)
				line(c, x->text);
			if (x->nrules || x->nterms || x->alias) {
				out(c, "EVIDENCE:");
				if (x->alias)
					outf(c, " title ~ '%s' (%.0f%%);", x->alias, x->title_score * 100);
				for (size_t k = 0; k < x->nrules; k++)
					outf(c, "%s%s", k ? ", " : " rules ", x->rules[k]);
				if (x->nrules && x->nterms)
					out(c, ";");
				for (size_t k = 0; k < x->nterms; k++)
					outf(c, "%s%s", k ? ", " : " terms ", x->terms[k]);
				out(c, "\n");
			}
			line(c, "\xe2\x86\x92");
		}
	}
}

/* ---- markdown ----------------------------------------------------- */

static void md_escape(rctx *c, const char *s)
{
	for (; s && *s; s++) {
		if (strchr("\\`*_[]<>#|", *s)) {
			char e[3] = {'\\', *s, 0};
			out(c, e);
		} else {
			char e[2] = {*s, 0};
			out(c, e);
		}
	}
}

static void render_md(rctx *c, const otz_record *r)
{
	out(c, "# ");
	md_escape(c, r->title);
	outf(c, "\n\n`FILE RECORD: %s`\n\n", r->slug);
	if (r->is_translation && r->otiose_index.present) {
		outf(c, "**Otiose index: %ld/100** — ", r->otiose_index.value);
		md_escape(c, r->otiose_index.reason);
		out(c, "\n\n");
	}
	if (r->via) {
		out(c, "Closest specimen: **");
		md_escape(c, r->via);
		outf(c, "** (%d%%); sections 01, 02, 07, 09 and 10 are borrowed from it.\n\n",
		     r->via_percent);
	}
	if (r->naliases) {
		out(c, "## [01] The org-chart architecture\n\n");
		if (r->org_note) {
			md_escape(c, r->org_note);
			out(c, "\n\n");
		}
		out(c, "Known aliases: ");
		for (size_t i = 0; i < r->naliases; i++) {
			out(c, i ? " · " : "");
			md_escape(c, r->aliases[i]);
		}
		out(c, "\n\n");
	}
	if (r->nhabitat || r->nhabitat_lines) {
		out(c, "## [02] The habitat\n\n");
		for (size_t i = 0; i < r->nhabitat; i++) {
			out(c, "- ");
			md_escape(c, r->habitat[i].text);
			out(c, "\n");
		}
		for (size_t i = 0; i < r->nhabitat_lines; i++) {
			out(c, "- ");
			md_escape(c, r->habitat_lines[i]);
			out(c, "\n");
		}
		out(c, "\n");
	}
	if (r->salary > 0) {
		char m[48];
		otz__money(m, sizeof(m), r->salary);
		outf(c, "## [03] Salary delusion\n\nMarket average: **%s**", m);
		const char *why = r->is_translation ? r->salary_fig.reason : r->salary_basis;
		if (why) {
			out(c, " — ");
			md_escape(c, why);
		}
		out(c, "\n\n");
	}
	if (r->flight_risk >= 0) {
		outf(c, "## [04] The flight risk\n\n**%d%% %s**\n\n", r->flight_risk,
		     r->risk_label ? r->risk_label : "");
		if (r->diagnosis) {
			md_escape(c, r->diagnosis);
			out(c, "\n\n");
		}
		for (size_t i = 0; i < r->nred_flags; i++) {
			out(c, "- Red flag: “");
			md_escape(c, r->red_flags[i].name);
			out(c, "” — ");
			md_escape(c, r->red_flags[i].text);
			out(c, "\n");
		}
		if (r->nred_flags)
			out(c, "\n");
	}
	const struct {
		const char *h;
		const otz_entry *v;
		size_t n;
	} lists[] = {{"## [05] The bullshit metrics\n\n", r->metrics, r->nmetrics},
	             {"## [06] Signature weaponry\n\n", r->weapons, r->nweapons}};
	for (int k = 0; k < 2; k++) {
		if (!lists[k].n)
			continue;
		out(c, lists[k].h);
		for (size_t i = 0; i < lists[k].n; i++) {
			out(c, "- **");
			md_escape(c, lists[k].v[i].name);
			out(c, "**: ");
			md_escape(c, lists[k].v[i].text);
			out(c, "\n");
		}
		out(c, "\n");
	}
	if (r->encounter) {
		out(c, "## [07] Survival / encounter guide\n\n");
		md_escape(c, r->encounter);
		out(c, "\n\n");
	}
	if (r->nautopsy) {
		out(c, "## [08] The JD autopsy\n\n");
		for (size_t i = 0; i < r->nautopsy; i++) {
			out(c, "> ");
			md_escape(c, r->autopsy[i].illusion);
			out(c, "\n\n**Otiose translation:** ");
			md_escape(c, r->autopsy[i].translation);
			if (r->autopsy[i].rule_id)
				outf(c, " `%s`", r->autopsy[i].rule_id);
			out(c, "\n\n");
		}
	}
	if (r->nlog) {
		out(c, "## [09] Day-in-the-life log\n\n");
		for (size_t i = 0; i < r->nlog; i++) {
			outf(c, "- **%s** ", r->log[i].slot);
			md_escape(c, r->log[i].title);
			out(c, ": ");
			md_escape(c, r->log[i].text);
			out(c, "\n");
		}
		out(c, "\n");
	}
	if (r->ncomplaints) {
		out(c, "## [10] The burn ward\n\n");
		for (size_t i = 0; i < r->ncomplaints; i++) {
			out(c, "> ");
			md_escape(c, r->complaints[i].text);
			out(c, "\n>\n> — ");
			md_escape(c, r->complaints[i].source);
			out(c, "\n\n");
		}
	}
	if (r->nrelated) {
		out(c, "## [11] Related specimens\n\n| System match | Specimen | Evidence |\n|---|---|---|\n");
		for (size_t i = 0; i < r->nrelated; i++) {
			const otz_related *x = &r->related[i];
			outf(c, "| %d%% | ", x->percent);
			md_escape(c, x->title);
			out(c, " | ");
			for (size_t k = 0; k < x->nrules; k++) {
				out(c, k ? ", " : "");
				md_escape(c, x->rules[k]);
			}
			if (x->nrules && x->nterms)
				out(c, "; ");
			for (size_t k = 0; k < x->nterms; k++) {
				out(c, k ? ", " : "");
				md_escape(c, x->terms[k]);
			}
			out(c, " |\n");
		}
	}
}

/* ---- HTML --------------------------------------------------------- */

/*
 * One self-contained page: the style sheet is inline, there are no scripts,
 * and nothing refers to another host (no fonts, images or links), so the
 * file opens the same offline, from a mail attachment or on a phone.  One
 * column on narrow screens; above 700px the figures, the illusion and its
 * translation, and the related specimens sit side by side.
 */
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
	".rule{font-size:.8em;color:#5b5649}"
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

/* Write s with & < > " ' escaped; NULL writes nothing. */
static void html_esc(rctx *c, const char *s)
{
	const char *run = s;
	for (; s && *s; s++) {
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
		if (!c->rc && s > run)
			c->rc = otz__buf_put(c->b, run, (size_t)(s - run));
		out(c, e);
		run = s + 1;
	}
	if (s && s > run)
		out(c, run);
}

int otz_html_escape(otz_buf *b, const char *s)
{
	rctx c = {b, 0, 0};
	html_esc(&c, s);
	return c.rc;
}

/* <tag class="cls">escaped text</tag>\n, or nothing when s is NULL. */
static void html_el(rctx *c, const char *tag, const char *cls, const char *s)
{
	if (!s)
		return;
	if (cls)
		outf(c, "<%s class=\"%s\">", tag, cls);
	else
		outf(c, "<%s>", tag);
	html_esc(c, s);
	outf(c, "</%s>\n", tag);
}

static void html_section(rctx *c, const char *num, const char *title)
{
	outf(c, "<section id=\"s%s\"><h2><span>[%s]</span>%s</h2>\n", num, num, title);
}

/* A 0..100 meter; the width is clamped so that the style is always valid. */
static void html_bar(rctx *c, long pct)
{
	outf(c, "<div class=\"bar\"><i style=\"width:%ld%%\"></i></div>\n",
	     pct < 0 ? 0 : pct > 100 ? 100 : pct);
}

static void html_entries(rctx *c, const otz_entry *v, size_t n)
{
	out(c, "<dl>\n");
	for (size_t i = 0; i < n; i++) {
		html_el(c, "dt", NULL, v[i].name ? v[i].name : "");
		out(c, "<dd>");
		html_esc(c, v[i].text);
		if (v[i].rule_id) {
			out(c, " <code>");
			html_esc(c, v[i].rule_id);
			out(c, "</code>");
		}
		out(c, "</dd>\n");
	}
	out(c, "</dl>\n");
}

static void html_related(rctx *c, const otz_record *r)
{
	html_section(c, "11", "RELATED SPECIMENS");
	out(c, "<div class=\"rels\">\n");
	for (size_t i = 0; i < r->nrelated; i++) {
		const otz_related *x = &r->related[i];
		outf(c, "<div class=\"rel\"><p class=\"lbl\">SYSTEM MATCH</p>"
		        "<div class=\"pct\">%d%%</div>\n", x->percent);
		html_bar(c, x->percent);
		out(c, "<p><strong>");
		html_esc(c, x->title);
		out(c, "</strong></p>\n");
		if (x->text && *x->text)
			html_el(c, "p", "why", x->text);
		if (x->nrules || x->nterms || x->alias) {
			out(c, "<p class=\"rule\">EVIDENCE:");
			if (x->alias) {
				out(c, " title ~ &#39;");
				html_esc(c, x->alias);
				outf(c, "&#39; (%.0f%%);", x->title_score * 100);
			}
			for (size_t k = 0; k < x->nrules; k++) {
				out(c, k ? ", <code>" : " rules <code>");
				html_esc(c, x->rules[k]);
				out(c, "</code>");
			}
			if (x->nrules && x->nterms)
				out(c, ";");
			for (size_t k = 0; k < x->nterms; k++) {
				out(c, k ? ", " : " terms ");
				html_esc(c, x->terms[k]);
			}
			out(c, "</p>\n");
		}
		out(c, "</div>\n");
	}
	out(c, "</div></section>\n");
}

static void html_autopsy(rctx *c, const otz_record *r)
{
	html_section(c, "08", "THE JD AUTOPSY: WHAT DO THEY ACTUALLY DO?");
	for (size_t i = 0; i < r->nautopsy; i++) {
		const otz_autopsy *a = &r->autopsy[i];
		out(c, "<div class=\"pair\"><div class=\"ill\"><p class=\"lbl\">LINKEDIN ILLUSION ");
		out(c, "[");
		html_esc(c, a->source ? a->source : "SOURCE REDACTED");
		out(c, "]</p>\n<blockquote><mark>");
		html_esc(c, a->illusion);
		out(c, "</mark></blockquote></div>\n<div class=\"tr\"><p class=\"lbl\">OTIOSE "
		       "TRANSLATION</p>\n");
		html_el(c, "p", "t", a->translation);
		if (a->rule_id) {
			out(c, "<div class=\"rule\">rule <code>");
			html_esc(c, a->rule_id);
			out(c, "</code>");
			if (a->category) {
				out(c, " \xc2\xb7 ");
				html_esc(c, a->category);
			}
			outf(c, " \xc2\xb7 weight %d", a->weight);
			out(c, "</div>\n");
		}
		out(c, "</div></div>\n");
	}
	out(c, "</section>\n");
}

/* [03] and [04]: the salary and flight-risk figures with their reasons. */
static void html_figures(rctx *c, const otz_record *r)
{
	int salary = r->salary > 0 || (r->is_translation && r->salary_fig.present);
	if (salary) {
		char m[48];
		html_section(c, "03", "SALARY DELUSION");
		otz__money(m, sizeof(m), r->is_translation ? r->salary_fig.value : r->salary);
		out(c, "<div class=\"fig\"><p class=\"lbl\">MARKET AVERAGE</p><b>");
		html_esc(c, m);
		out(c, "</b>\n");
		html_el(c, "p", "why",
		        r->is_translation && r->salary_fig.reason ? r->salary_fig.reason
		                                                   : r->salary_basis);
		out(c, "</div>\n");
		if (r->salary_quote) {
			out(c, "<blockquote class=\"c\">&quot;");
			html_esc(c, r->salary_quote);
			out(c, "&quot;</blockquote>\n");
		}
		out(c, "</section>\n");
	}
	if (r->flight_risk >= 0) {
		html_section(c, "04", "THE FLIGHT RISK");
		outf(c, "<div class=\"fig\"><p class=\"lbl\">FLIGHT RISK</p><b>%d%%", r->flight_risk);
		if (r->risk_label) {
			out(c, "<small>");
			html_esc(c, r->risk_label);
			out(c, "</small>");
		}
		out(c, "</b>\n");
		html_bar(c, r->flight_risk);
		if (r->is_translation)
			html_el(c, "p", "why", r->risk_fig.reason);
		out(c, "</div>\n");
		if (r->diagnosis) {
			out(c, "<p><span class=\"lbl\">[DIAGNOSIS]</span> ");
			html_esc(c, r->diagnosis);
			out(c, "</p>\n");
		}
		if (r->nred_flags) {
			out(c, "<p class=\"lbl\">RED FLAGS</p>\n");
			html_entries(c, r->red_flags, r->nred_flags);
		}
		out(c, "</section>\n");
	}
}

static void render_html(rctx *c, const otz_record *r)
{
	const char *title = r->title ? r->title : "";
	const char *slug = r->slug ? r->slug : "";
	out(c, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<title>FILE RECORD: ");
	html_esc(c, slug);
	out(c, "</title>\n<style>");
	out(c, html_css);
	out(c, "</style>\n</head>\n<body>\n<main><article class=\"sheet\">\n<header>\n"
	       "<div class=\"stamp\">FILE RECORD: ");
	html_esc(c, slug);
	out(c, "</div>\n");
	html_el(c, "h1", NULL, title);
	if (r->question)
		html_el(c, "p", "q m", r->question);
	else {
		/* out() does nothing once c->rc is set, so a failed upper() ends the page. */
		char *ut = upper(title);
		if (!ut)
			c->rc = OTZ_ENOMEM;
		outf(c, "<p class=\"q m\">WHAT DOES %s ", article(title));
		html_esc(c, ut);
		out(c, " ACTUALLY DO?</p>\n");
		free(ut);
	}
	if (r->is_translation && r->otiose_index.present) {
		outf(c, "<div class=\"fig\"><p class=\"lbl\">OTIOSE INDEX</p><b>%ld<small>/100",
		     r->otiose_index.value);
		if (r->otiose_index.label) {
			out(c, " ");
			html_esc(c, r->otiose_index.label);
		}
		out(c, "</small></b>\n");
		html_bar(c, r->otiose_index.value);
		html_el(c, "p", "why", r->otiose_index.reason);
		out(c, "</div>\n");
	}
	if (r->is_translation && r->via) {
		out(c, "<p class=\"note\">CLOSEST SPECIMEN: <strong>");
		html_esc(c, r->via);
		outf(c, "</strong> (SYSTEM MATCH %d%%); [01] [02] [07] [09] [10] are borrowed "
		        "from it.</p>\n", r->via_percent);
	}
	out(c, "</header>\n");
	if (r->org_note || r->naliases) {
		html_section(c, "01", "THE ORG-CHART ARCHITECTURE");
		html_el(c, "p", "why", r->org_note);
		if (r->naliases) {
			out(c, "<p class=\"lbl\">KNOWN ALIASES / DISGUISES</p>\n<ul class=\"chips\">\n");
			for (size_t i = 0; i < r->naliases; i++)
				html_el(c, "li", NULL, r->aliases[i]);
			out(c, "</ul>\n");
		}
		out(c, "</section>\n");
	}
	if (r->nhabitat_lines || r->nhabitat) {
		html_section(c, "02", "THE HABITAT (NATURAL RANGE)");
		out(c, "<ul>\n");
		for (size_t i = 0; i < r->nhabitat; i++)
			html_el(c, "li", NULL, r->habitat[i].text);
		for (size_t i = 0; i < r->nhabitat_lines; i++)
			html_el(c, "li", NULL, r->habitat_lines[i]);
		out(c, "</ul></section>\n");
	}
	html_figures(c, r);
	if (r->nmetrics) {
		html_section(c, "05", "THE BULLSHIT METRICS");
		html_entries(c, r->metrics, r->nmetrics);
		out(c, "</section>\n");
	}
	if (r->nweapons) {
		html_section(c, "06", "SIGNATURE WEAPONRY");
		html_entries(c, r->weapons, r->nweapons);
		out(c, "</section>\n");
	}
	if (r->encounter) {
		html_section(c, "07", "SURVIVAL / ENCOUNTER GUIDE");
		out(c, "<p><span class=\"lbl\">[IF ENGAGED:]</span> ");
		html_esc(c, r->encounter);
		out(c, "</p></section>\n");
	}
	if (r->nautopsy)
		html_autopsy(c, r);
	if (r->nlog) {
		html_section(c, "09", "DAY-IN-THE-LIFE LOG");
		out(c, "<div class=\"log\">\n");
		for (size_t i = 0; i < r->nlog; i++) {
			out(c, "<div class=\"slot\">[");
			html_esc(c, r->log[i].slot);
			out(c, "]</div>\n");
			html_el(c, "strong", NULL, r->log[i].title);
			html_el(c, "p", NULL, r->log[i].text);
		}
		out(c, "</div></section>\n");
	}
	if (r->ncomplaints) {
		html_section(c, "10", "THE BURN WARD (UNFILTERED COMPLAINTS)");
		out(c, "<p class=\"why\">* The stark reality of the role, scraped from Reddit, Blind, "
		       "and anonymous career boards.</p>\n");
		for (size_t i = 0; i < r->ncomplaints; i++) {
			out(c, "<blockquote class=\"c\">&quot;");
			html_esc(c, r->complaints[i].text);
			out(c, "&quot;");
			if (r->complaints[i].source) {
				out(c, "<cite>\xe2\x80\x94 ");
				html_esc(c, r->complaints[i].source);
				out(c, "</cite>");
			}
			out(c, "</blockquote>\n");
		}
		out(c, "</section>\n");
	}
	if (r->nrelated)
		html_related(c, r);
	out(c, "<footer>otiose " OTZ_VERSION);
	if (r->is_translation)
		outf(c, " \xc2\xb7 %zu bytes \xc2\xb7 %zu segments \xc2\xb7 %zu rule hits",
		     r->input_bytes, r->nsegments, r->nhits);
	else
		out(c, " \xc2\xb7 stored specimen");
	out(c, "</footer>\n</article></main>\n</body>\n</html>\n");
}

/* ---- JSON --------------------------------------------------------- */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jentries(const otz_entry *v, size_t n, const char *text_key)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "name", jstr(v[i].name));
		json_object_set_new(o, text_key, jstr(v[i].text));
		json_object_set_new(o, "rule", jstr(v[i].rule_id));
		if (v[i].has_span) {
			json_object_set_new(o, "start", json_integer((json_int_t)v[i].span.start));
			json_object_set_new(o, "end", json_integer((json_int_t)v[i].span.end));
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *jstrv(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, jstr(v[i]));
	return a;
}

static json_t *jfigure(const otz_figure *f)
{
	if (!f->present)
		return json_null();
	json_t *o = json_object();
	json_object_set_new(o, "value", json_integer(f->value));
	if (f->label)
		json_object_set_new(o, "label", json_string(f->label));
	json_object_set_new(o, "reason", jstr(f->reason));
	return o;
}

static int render_json(rctx *c, const otz_record *r)
{
	json_t *o = json_object();
	if (!o)
		return OTZ_ENOMEM;
	json_object_set_new(o, "otiose", json_string(OTZ_VERSION));
	json_object_set_new(o, "kind", json_string(r->is_translation ? "translation" : "specimen"));
	json_object_set_new(o, "slug", jstr(r->slug));
	json_object_set_new(o, "title", jstr(r->title));
	if (r->is_translation) {
		json_object_set_new(o, "otiose_index", jfigure(&r->otiose_index));
		json_t *sal = jfigure(&r->salary_fig);
		if (json_is_object(sal) && r->stated_salary_low) {
			json_object_set_new(sal, "stated_low", json_integer(r->stated_salary_low));
			json_object_set_new(sal, "stated_high", json_integer(r->stated_salary_high));
		}
		json_object_set_new(o, "salary_estimate", sal);
		json_object_set_new(o, "flight_risk_estimate", jfigure(&r->risk_fig));
		json_t *st = json_object();
		json_object_set_new(st, "bytes", json_integer((json_int_t)r->input_bytes));
		json_object_set_new(st, "segments", json_integer((json_int_t)r->nsegments));
		json_object_set_new(st, "rule_hits", json_integer((json_int_t)r->nhits));
		if (r->limit_hits) {
			json_t *lims = json_array();
			json_object_set_new(st, "limit_hits", json_integer((json_int_t)r->limit_hits));
			for (size_t i = 0; i < r->nlimits; i++) {
				const otz_limit_note *ln = &r->limits[i];
				json_t *l = json_object();
				json_object_set_new(l, "rule", json_string(ln->rule_id));
				json_object_set_new(l, "file", json_string(ln->file));
				json_object_set_new(l, "line", json_integer(ln->line));
				json_object_set_new(l, "limit", json_string(ln->limit));
				json_object_set_new(l, "offset", json_integer((json_int_t)ln->offset));
				json_array_append_new(lims, l);
			}
			json_object_set_new(st, "skipped_patterns", lims);
		}
		json_object_set_new(o, "stats", st);
		if (r->via) {
			json_t *v = json_object();
			json_object_set_new(v, "title", json_string(r->via));
			json_object_set_new(v, "percent", json_integer(r->via_percent));
			json_object_set_new(o, "borrowed_from", v);
		}
	}
	json_object_set_new(o, "org_note", jstr(r->org_note));
	json_object_set_new(o, "aliases", jstrv(r->aliases, r->naliases));
	json_t *hab = jentries(r->habitat, r->nhabitat, "text");
	for (size_t i = 0; i < r->nhabitat_lines; i++) {
		json_t *h = json_object();
		json_object_set_new(h, "name", json_null());
		json_object_set_new(h, "text", json_string(r->habitat_lines[i]));
		json_object_set_new(h, "rule", json_null());
		json_array_append_new(hab, h);
	}
	json_object_set_new(o, "habitat", hab);
	json_t *sal = json_object();
	json_object_set_new(sal, "market_average", r->salary > 0 ? json_integer(r->salary) : json_null());
	json_object_set_new(sal, "basis", jstr(r->salary_basis));
	json_object_set_new(sal, "quote", jstr(r->salary_quote));
	json_object_set_new(o, "salary", sal);
	json_t *fr = json_object();
	json_object_set_new(fr, "percent", r->flight_risk >= 0 ? json_integer(r->flight_risk) : json_null());
	json_object_set_new(fr, "label", jstr(r->risk_label));
	json_object_set_new(fr, "diagnosis", jstr(r->diagnosis));
	json_object_set_new(fr, "red_flags", jentries(r->red_flags, r->nred_flags, "translation"));
	json_object_set_new(o, "flight_risk", fr);
	json_t *mets = jentries(r->metrics, r->nmetrics, "reason");
	for (size_t i = 0; i < json_array_size(mets); i++)
		json_object_set_new(json_array_get(mets, i), "heuristic",
		                    json_boolean(r->is_translation && !r->metrics[i].rule_id));
	json_object_set_new(o, "metrics", mets);
	json_object_set_new(o, "weaponry", jentries(r->weapons, r->nweapons, "description"));
	json_object_set_new(o, "encounter", jstr(r->encounter));
	json_t *tr = json_array();
	for (size_t i = 0; i < r->nautopsy; i++) {
		const otz_autopsy *a = &r->autopsy[i];
		json_t *t = json_object();
		if (a->has_span) {
			json_object_set_new(t, "start", json_integer((json_int_t)a->span.start));
			json_object_set_new(t, "end", json_integer((json_int_t)a->span.end));
		}
		json_object_set_new(t, "original", jstr(a->illusion));
		json_object_set_new(t, "rule", jstr(a->rule_id));
		json_object_set_new(t, "category", jstr(a->category));
		if (a->rule_id)
			json_object_set_new(t, "weight", json_integer(a->weight));
		json_object_set_new(t, "translation", jstr(a->translation));
		json_array_append_new(tr, t);
	}
	json_object_set_new(o, "translations", tr);
	json_t *log = json_array();
	for (size_t i = 0; i < r->nlog; i++) {
		json_t *t = json_object();
		json_object_set_new(t, "slot", jstr(r->log[i].slot));
		json_object_set_new(t, "title", jstr(r->log[i].title));
		json_object_set_new(t, "text", jstr(r->log[i].text));
		json_array_append_new(log, t);
	}
	json_object_set_new(o, "log", log);
	json_t *cm = json_array();
	for (size_t i = 0; i < r->ncomplaints; i++) {
		json_t *t = json_object();
		json_object_set_new(t, "text", jstr(r->complaints[i].text));
		json_object_set_new(t, "source", jstr(r->complaints[i].source));
		json_array_append_new(cm, t);
	}
	json_object_set_new(o, "complaints", cm);
	json_t *ms = json_array();
	for (size_t i = 0; i < r->nrelated; i++) {
		const otz_related *x = &r->related[i];
		json_t *t = json_object();
		json_object_set_new(t, "title", jstr(x->title));
		json_object_set_new(t, "percent", json_integer(x->percent));
		json_object_set_new(t, "score", json_real(x->score));
		json_object_set_new(t, "description", jstr(x->text));
		json_t *ev = json_object();
		json_object_set_new(ev, "rules", jstrv(x->rules, x->nrules));
		json_object_set_new(ev, "terms", jstrv(x->terms, x->nterms));
		json_object_set_new(ev, "text_score", json_real(x->text_score));
		if (x->alias) {
			json_object_set_new(ev, "title_alias", json_string(x->alias));
			json_object_set_new(ev, "title_score", json_real(x->title_score));
		}
		json_object_set_new(t, "evidence", ev);
		json_array_append_new(ms, t);
	}
	json_object_set_new(o, "matches", ms);
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(o);
	if (!s)
		return OTZ_ENOMEM;
	out(c, s);
	out(c, "\n");
	free(s);
	return c->rc;
}

int otz_render(otz_buf *b, const otz_record *r, const otz_render_options *opts,
               otz_error *err)
{
	otz_render_options dflt = OTZ_RENDER_OPTIONS_INIT;
	rctx c = {b, 0, 0};
	if (!opts)
		opts = &dflt;
	c.color = opts->color && opts->format == OTZ_FORMAT_TEXT;
	switch (opts->format) {
	case OTZ_FORMAT_TEXT:
		render_text(&c, r);
		break;
	case OTZ_FORMAT_JSON:
		c.rc = render_json(&c, r);
		break;
	case OTZ_FORMAT_MD:
		render_md(&c, r);
		break;
	case OTZ_FORMAT_HTML:
		render_html(&c, r);
		break;
	default:
		return otz__fail(err, OTZ_EINVAL, "unknown output format %d", (int)opts->format);
	}
	if (c.rc)
		return otz__fail(err, c.rc, "out of memory while rendering");
	return 0;
}
