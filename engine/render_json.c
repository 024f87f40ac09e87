/*
 * render_json.c - a record in, a JSON document out.
 *
 * Everything the record holds, byte offsets included, with jansson: the
 * figures of a translation with their reasons, every entry with the rule
 * that produced it and its span in the input, the evidence of every match,
 * and the headings of the sections the record format (recfmt.c) says are
 * present, in order.  Strings are escaped by jansson, control characters
 * included.
 */
#include <jansson.h>
#include <stdlib.h>

#include "internal.h"

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

/* The headings of the sections present, as the text record writes them. */
static json_t *jsections(const otz_record *r)
{
	json_t *a = json_array();
	for (int no = 1; a && no <= OTZ_NSECTIONS; no++) {
		if (!otz__section_present(r, no))
			continue;
		char h[96];
		snprintf(h, sizeof(h), "[%02d] %s", no, otz__section_heading(no));
		json_array_append_new(a, json_string(h));
	}
	return a;
}

void otz__render_json(otz_wr *w, const otz_record *r)
{
	json_t *o = json_object();
	if (!o) {
		w->rc = OTZ_ENOMEM;
		return;
	}
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
		json_t *role = json_object();
		json_object_set_new(role, "known", json_boolean(r->role_known));
		json_object_set_new(role, "why_not", jstr(r->nearest_why));
		json_object_set_new(role, "closest", jstr(r->nrelated ? r->related[0].title : NULL));
		json_object_set_new(role, "percent",
		                    r->nrelated ? json_integer(r->related[0].percent) : json_null());
		json_object_set_new(role, "family", jstr(r->family));
		json_object_set_new(role, "level", jstr(r->level));
		json_object_set_new(o, "role", role);
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
			json_object_set_new(v, "sections", json_string(r->borrowed));
			json_object_set_new(o, "borrowed_from", v);
		}
	}
	if (!r->is_translation)
		json_object_set_new(o, "family", jstr(r->family));
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
	for (size_t i = 0; i < json_array_size(mets); i++) {
		json_t *m = json_array_get(mets, i);
		/* a heuristic find's "rule" is the shape rule that gave its reason */
		json_object_set_new(m, "heuristic",
		                    json_boolean(r->is_translation && r->metrics[i].heuristic));
		if (!r->is_translation)
			continue;
		json_object_set_new(m, "usual", json_boolean(r->metrics[i].usual));
		/* The role's usual metrics listed for a posting that names none
		 * quote nothing of it: their span is null, said so. */
		if (!r->metrics[i].has_span) {
			json_object_set_new(m, "start", json_null());
			json_object_set_new(m, "end", json_null());
		}
	}
	json_object_set_new(o, "metrics", mets);
	json_object_set_new(o, "weaponry", jentries(r->weapons, r->nweapons, "description"));
	if (r->is_translation)
		json_object_set_new(o, "credits", jentries(r->credits, r->ncredits, "remark"));
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
		json_object_set_new(t, "specimen", jstr(a->specimen));
		json_object_set_new(t, "translation", jstr(a->translation));
		/* A boilerplate entry's other kinds, named apart from it. */
		if (a->also)
			json_object_set_new(t, "also", jstr(a->also));
		/* The other sentences this one translation stands for. */
		json_t *more = json_array();
		for (size_t k = 0; k < a->nmore; k++) {
			json_t *m = json_object();
			if (a->more_spans) {
				json_object_set_new(m, "start", json_integer((json_int_t)a->more_spans[k].start));
				json_object_set_new(m, "end", json_integer((json_int_t)a->more_spans[k].end));
			}
			json_object_set_new(m, "original", jstr(a->more[k]));
			json_object_set_new(m, "rule", jstr(a->more_rules ? a->more_rules[k] : NULL));
			json_array_append_new(more, m);
		}
		json_object_set_new(t, "more", more);
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
	json_object_set_new(o, "sections", jsections(r));
	size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6);
	char *s = json_dumps(o, flags | (w->compact ? JSON_COMPACT : JSON_INDENT(2)));
	json_decref(o);
	if (!s) {
		w->rc = OTZ_ENOMEM;
		return;
	}
	otz__put(w, s);
	if (!w->compact)
		otz__put(w, "\n");
	free(s);
}

