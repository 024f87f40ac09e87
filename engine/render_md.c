/*
 * render_md.c - a record in, a Markdown document out.
 *
 * The title as a heading, the figures of a translation as a paragraph, then
 * every section that the record format (recfmt.c) says is present, under
 * its short heading, in the seed's order.  Every piece of record text is
 * escaped, so that nothing in a posting can open a code block, a link or a
 * table of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Markdown text: its markup characters escaped, and no line break, so that
 * nothing a posting or a record says can open a block (a fence, a heading,
 * a quote) that would swallow the rest of the document. */
static void md_escape(otz_wr *w, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\n' || *s == '\r') {
			otz__put(w, " ");
		} else if (strchr("\\`*_[]<>#|~", *s)) {
			char e[3] = {'\\', *s, 0};
			otz__put(w, e);
		} else {
			otz__putn(w, s, 1);
		}
	}
}

int otz_md_escape(otz_buf *b, const char *s)
{
	otz_wr w = {b, 0, 0, 0, 0, 0};
	md_escape(&w, s);
	return w.rc;
}

static void md_org(otz_wr *w, const otz_record *r)
{
	if (r->org_note) {
		md_escape(w, r->org_note);
		otz__put(w, "\n\n");
	}
	if (!r->naliases)
		return;
	otz__put(w, "Known aliases: ");
	for (size_t i = 0; i < r->naliases; i++) {
		otz__put(w, i ? " · " : "");
		md_escape(w, r->aliases[i]);
	}
	otz__put(w, "\n\n");
}

static void md_habitat(otz_wr *w, const otz_record *r)
{
	for (size_t i = 0; i < r->nhabitat; i++) {
		otz__put(w, "- ");
		md_escape(w, r->habitat[i].text);
		otz__put(w, "\n");
	}
	for (size_t i = 0; i < r->nhabitat_lines; i++) {
		otz__put(w, "- ");
		md_escape(w, r->habitat_lines[i]);
		otz__put(w, "\n");
	}
	otz__put(w, "\n");
}

static void md_salary(otz_wr *w, const otz_record *r)
{
	char m[48];
	const char *why = otz__salary_reason(r);
	otz__money(m, sizeof(m), otz__salary_value(r));
	otz__putf(w, "%s: **%s**", r->salary_fig.label ? "Stated in the JD" : "Market average", m);
	if (why) {
		otz__put(w, " — ");
		md_escape(w, why);
	}
	otz__put(w, "\n\n");
}

static void md_risk(otz_wr *w, const otz_record *r)
{
	otz__putf(w, "**%d%% %s**\n\n", r->flight_risk, r->risk_label ? r->risk_label : "");
	if (r->diagnosis) {
		md_escape(w, r->diagnosis);
		otz__put(w, "\n\n");
	}
	for (size_t i = 0; i < r->nred_flags; i++) {
		otz__put(w, "- Red flag: “");
		md_escape(w, r->red_flags[i].name);
		otz__put(w, "”");
		if (r->red_flags[i].text) {
			otz__put(w, " — ");
			md_escape(w, r->red_flags[i].text);
		}
		otz__put(w, "\n");
	}
	if (r->nred_flags)
		otz__put(w, "\n");
}

static void md_entries(otz_wr *w, const otz_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		otz__put(w, "- **");
		md_escape(w, v[i].name);
		otz__put(w, "**: ");
		md_escape(w, v[i].text);
		otz__put(w, "\n");
	}
	otz__put(w, "\n");
}

static void md_metrics(otz_wr *w, const otz_record *r)
{
	md_entries(w, r->metrics, r->nmetrics);
}

static void md_weapons(otz_wr *w, const otz_record *r)
{
	md_entries(w, r->weapons, r->nweapons);
}

static void md_encounter(otz_wr *w, const otz_record *r)
{
	md_escape(w, r->encounter);
	otz__put(w, "\n\n");
}

static void md_autopsy(otz_wr *w, const otz_record *r)
{
	for (size_t i = 0; i < r->nautopsy; i++) {
		const otz_autopsy *a = &r->autopsy[i];
		otz__put(w, "> ");
		md_escape(w, a->illusion);
		for (size_t k = 0; k < a->nmore; k++) {
			otz__put(w, "\n>\n> ");
			md_escape(w, a->more[k]);
		}
		otz__put(w, "\n\n**Otiose translation:** ");
		md_escape(w, a->translation);
		if (a->also) {
			otz__put(w, "\n\n*Also standard issue:* ");
			md_escape(w, a->also);
			otz__put(w, ".");
		}
		char *origin = w->show_rules ? otz__origin(a) : NULL;
		if (origin) {
			otz__put(w, " (");
			md_escape(w, origin);
			otz__put(w, ")");
		}
		free(origin);
		otz__put(w, "\n\n");
	}
}

static void md_log(otz_wr *w, const otz_record *r)
{
	for (size_t i = 0; i < r->nlog; i++) {
		otz__put(w, "- **");
		md_escape(w, r->log[i].slot);
		otz__put(w, "** ");
		md_escape(w, r->log[i].title);
		otz__put(w, ": ");
		md_escape(w, r->log[i].text);
		otz__put(w, "\n");
	}
	otz__put(w, "\n");
}

static void md_complaints(otz_wr *w, const otz_record *r)
{
	for (size_t i = 0; i < r->ncomplaints; i++) {
		otz__put(w, "> ");
		md_escape(w, r->complaints[i].text);
		otz__put(w, "\n>\n> — ");
		md_escape(w, r->complaints[i].source);
		otz__put(w, "\n\n");
	}
}

static void md_related(otz_wr *w, const otz_record *r)
{
	otz__put(w, "| System match | Specimen | Evidence |\n|---|---|---|\n");
	for (size_t i = 0; i < r->nrelated; i++) {
		const otz_related *x = &r->related[i];
		otz__putf(w, "| %d%% | ", x->percent);
		md_escape(w, x->title);
		otz__put(w, " | ");
		size_t nrules = w->show_rules ? x->nrules : 0; /* rule ids when asked for */
		for (size_t k = 0; k < nrules; k++) {
			otz__put(w, k ? ", " : "");
			md_escape(w, x->rules[k]);
		}
		if (nrules && x->nterms)
			otz__put(w, "; ");
		for (size_t k = 0; k < x->nterms; k++) {
			otz__put(w, k ? ", " : "");
			md_escape(w, x->terms[k]);
		}
		otz__put(w, " |\n");
	}
}

static void (*const md_sections[OTZ_NSECTIONS + 1])(otz_wr *, const otz_record *) = {
	NULL,        md_org,     md_habitat, md_salary, md_risk,       md_metrics,
	md_weapons,  md_encounter, md_autopsy, md_log,  md_complaints, md_related};

void otz__render_md(otz_wr *w, const otz_record *r)
{
	otz__put(w, "# ");
	md_escape(w, r->title);
	otz__putf(w, "\n\n`FILE RECORD: %s`\n\n", r->slug);
	if (r->otiose_index.present) {
		otz__putf(w, "**Otiose index: %ld/100** — ", r->otiose_index.value);
		md_escape(w, r->otiose_index.reason);
		otz__put(w, "\n\n");
	}
	if (r->via) {
		otz__put(w, "Closest specimen: **");
		md_escape(w, r->via);
		otz__putf(w, "** (%d%%); borrowed from it: ", r->via_percent);
		md_escape(w, r->borrowed);
		otz__put(w, ".\n\n");
	}
	if (r->nearest) {
		otz__put(w, "No close specimen: the nearest is **");
		md_escape(w, r->nearest);
		otz__putf(w, "** (%d%%), but ", r->nearest_percent);
		md_escape(w, r->nearest_why);
		otz__put(w, "; nothing is borrowed from it and no market average is given.\n\n");
	}
	for (int no = 1; no <= OTZ_NSECTIONS; no++) {
		if (!otz__section_present(r, no))
			continue;
		otz__putf(w, "## [%02d] %s\n\n", no, otz__section_short(no));
		md_sections[no](w, r);
	}
}
