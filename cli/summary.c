/*
 * summary.c - the summary of a batch, in its three forms: the text table
 * (on the terminal and in OUT/summary.txt), OUT/summary.json, and for HTML
 * outputs OUT/index.html, a table of every record sortable in the browser.
 *
 * It takes the batch's items (their states and errors), the inputs that
 * were skipped before becoming items, and the sidecar each translated
 * input left in OUT/.otiose (written by batch_sidecar(), below, so that the
 * sidecar's fields and their one reader live together).  Everything in it
 * is rebuilt from those files and sorted, and it holds no times, so a
 * batch that was interrupted and resumed ends with the same summary as one
 * that was not.  How many inputs were already up to date goes to stderr
 * only, for the same reason.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

/* How many entries each list of summary.json keeps, and the table shows. */
#define JSON_TOP 20
#define TABLE_RANKED 20
#define TABLE_TOP 10

void batch_sidecar_path(const char *out, const char *rel, char *buf, size_t n)
{
	snprintf(buf, n, "%s/.otiose/%s.json", out, rel);
}

char *batch_sidecar(const otz_record *r, const char *rel, size_t bytes)
{
	json_t *sc = json_object();
	if (!sc)
		return NULL;
	json_object_set_new(sc, "input", json_string(rel));
	json_object_set_new(sc, "title", json_string(r->title));
	json_object_set_new(sc, "otiose_index", json_integer(r->otiose_index.value));
	json_object_set_new(sc, "bytes", json_integer((json_int_t)bytes));
	if (r->nrelated) {
		json_object_set_new(sc, "top", json_string(r->related[0].title));
		json_object_set_new(sc, "top_percent", json_integer(r->related[0].percent));
	}
	json_t *tr = json_array(), *me = json_array();
	for (size_t k = 0; k < r->nautopsy; k++)
		json_array_append_new(tr, json_string(r->autopsy[k].rule_id));
	for (size_t k = 0; k < r->nmetrics; k++)
		json_array_append_new(me, json_string(r->metrics[k].name));
	json_object_set_new(sc, "translations", tr);
	json_object_set_new(sc, "metrics", me);
	char *s = json_dumps(sc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(sc);
	return s;
}

/* How often each name occurs (rule ids, metrics, specimens). */
typedef struct count {
	const char *key; /* borrowed from a sidecar */
	size_t n;
} count;

typedef struct tally {
	count *v;
	size_t n, cap;
} tally;

/* A translated input, for the ranking by Otiose index. */
typedef struct rank {
	json_t *sc; /* its sidecar (owned) */
	long index;
	const char *input;
} rank;

/* What the three forms are made from. */
typedef struct summary {
	size_t inputs, done, uptodate, failed, skipped;
	rank *rk;
	size_t nrk;
	tally tr, me, sp;
	json_t *errors; /* [{"input"?, "error"}] */
} summary;

static int cmp_count(const void *a, const void *b)
{
	const count *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

static int cmp_rank(const void *a, const void *b)
{
	const rank *x = a, *y = b;
	if (x->index != y->index)
		return x->index < y->index ? 1 : -1;
	return strcmp(x->input, y->input);
}

/* Count key once more; 0, or -1 when out of memory. */
static int bump(tally *t, const char *key)
{
	if (!key)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].key, key) == 0) {
			t->v[i].n++;
			return 0;
		}
	if (cli_reserve(&t->v, &t->cap, t->n, sizeof(*t->v)))
		return -1;
	t->v[t->n++] = (count){key, 1};
	return 0;
}

/* The `max` most frequent, as [{"name", "count"}]. */
static json_t *top_counts(tally *t, size_t max)
{
	json_t *a = json_array();
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), cmp_count);
	for (size_t i = 0; i < t->n && i < max; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(t->v[i].key));
		json_object_set_new(o, "count", json_integer((json_int_t)t->v[i].n));
		json_array_append_new(a, o);
	}
	return a;
}

static void add_error(json_t *errors, const char *input, const char *why)
{
	json_t *o = json_object();
	if (input)
		json_object_set_new(o, "input", json_string(input));
	json_object_set_new(o, "error", json_string(why));
	json_array_append_new(errors, o);
}

/* An error as "input: error", or the error alone for an input skipped before it was one:
 * the three parts of that line. */
static void error_parts(json_t *o, const char **in, const char **sep, const char **why)
{
	json_t *i = json_object_get(o, "input");
	*in = i ? json_string_value(i) : "";
	*sep = i ? ": " : "";
	*why = json_string_value(json_object_get(o, "error"));
}

/* Add one translated input's sidecar to the ranking and the counts. */
static int add_sidecar(summary *s, json_t *sc)
{
	size_t k;
	json_t *x;
	s->rk[s->nrk++] = (rank){sc, (long)json_integer_value(json_object_get(sc, "otiose_index")),
	                         json_string_value(json_object_get(sc, "input"))};
	json_array_foreach(json_object_get(sc, "translations"), k, x)
		if (bump(&s->tr, json_string_value(x)))
			return -1;
	json_array_foreach(json_object_get(sc, "metrics"), k, x)
		if (bump(&s->me, json_string_value(x)))
			return -1;
	return bump(&s->sp, json_string_value(json_object_get(sc, "top")));
}

/* Gather the counts, errors and sidecars; 0, or -1 when out of memory. */
static int gather(summary *s, const char *out, const batch_item *v, size_t n,
                  const cli_strv *skipped)
{
	s->inputs = n;
	s->skipped = skipped->n;
	s->errors = json_array();
	s->rk = calloc(n ? n : 1, sizeof(*s->rk));
	if (!s->errors || !s->rk)
		return -1;
	for (size_t i = 0; i < skipped->n; i++)
		add_error(s->errors, NULL, skipped->v[i]);
	for (size_t i = 0; i < n; i++) {
		if (v[i].status == BATCH_FAILED) {
			s->failed++;
			add_error(s->errors, v[i].rel, v[i].error ? v[i].error : "failed");
			continue;
		}
		s->done += v[i].status == BATCH_TRANSLATED;
		s->uptodate += v[i].status == BATCH_UP_TO_DATE;
		char side[PATH_MAX + 32];
		json_error_t je;
		batch_sidecar_path(out, v[i].rel, side, sizeof(side));
		json_t *sc = json_load_file(side, 0, &je);
		if (!sc) {
			cli_err("%s: warning: %s; %s is left out of the ranking", side, je.text, v[i].rel);
			continue;
		}
		if (add_sidecar(s, sc))
			return -1;
	}
	qsort(s->rk, s->nrk, sizeof(*s->rk), cmp_rank);
	return 0;
}

static void summary_dispose(summary *s)
{
	for (size_t i = 0; i < s->nrk; i++)
		json_decref(s->rk[i].sc);
	free(s->rk);
	free(s->tr.v);
	free(s->me.v);
	free(s->sp.v);
	json_decref(s->errors);
}

/* summary.json's document. */
static json_t *summary_json(summary *s)
{
	json_t *doc = json_object(), *counts = json_object(), *ranking = json_array();
	json_object_set_new(counts, "inputs", json_integer((json_int_t)s->inputs));
	json_object_set_new(counts, "translated", json_integer((json_int_t)(s->done + s->uptodate)));
	json_object_set_new(counts, "failed", json_integer((json_int_t)s->failed));
	json_object_set_new(counts, "skipped_while_walking", json_integer((json_int_t)s->skipped));
	json_object_set_new(doc, "counts", counts);
	json_object_set(doc, "errors", s->errors);
	static const char *const keep[] = {"input", "title", "otiose_index", "top", "top_percent"};
	for (size_t i = 0; i < s->nrk; i++) {
		json_t *o = json_object();
		for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++) {
			json_t *x = json_object_get(s->rk[i].sc, keep[k]);
			if (x)
				json_object_set(o, keep[k], x);
		}
		json_array_append_new(ranking, o);
	}
	json_object_set_new(doc, "ranking", ranking);
	json_object_set_new(doc, "translations", top_counts(&s->tr, JSON_TOP));
	json_object_set_new(doc, "metrics", top_counts(&s->me, JSON_TOP));
	json_object_set_new(doc, "specimens", top_counts(&s->sp, JSON_TOP));
	return doc;
}

static const char *sc_str(const rank *r, const char *key)
{
	return json_string_value(json_object_get(r->sc, key));
}

/* s made safe for a line of the table: a file name or title a stranger
 * chose can hold a newline (a forged line in summary.txt) or a terminal
 * escape.  The result lives in `slot` until its next use. */
static const char *safe(otz_buf *slot, const char *s)
{
	slot->len = 0;
	if (otz_term_escape(slot, s ? s : "") || otz_buf_append(slot, "") ||
	    !slot->ptr)
		return "?";
	return slot->ptr;
}

/* The table, for the terminal and summary.txt. */
static void summary_text(otz_buf *t, const summary *s, json_t *doc)
{
	char line[1024];
	otz_buf f1 = OTZ_BUF_INIT, f2 = OTZ_BUF_INIT, f3 = OTZ_BUF_INIT;
	snprintf(line, sizeof(line), "%zu inputs: %zu translated, %zu failed, %zu skipped while walking\n",
	         s->inputs, s->done + s->uptodate, s->failed, s->skipped);
	otz_buf_append(t, line);
	for (size_t i = 0; i < json_array_size(s->errors); i++) {
		const char *in, *sep, *why;
		error_parts(json_array_get(s->errors, i), &in, &sep, &why);
		snprintf(line, sizeof(line), "  error: %s%s%s\n", safe(&f1, in), sep, safe(&f2, why));
		otz_buf_append(t, line);
	}
	otz_buf_append(t, "\nmost otiose (index, title, closest specimen, file):\n");
	for (size_t i = 0; i < s->nrk && i < TABLE_RANKED; i++) {
		const char *top = sc_str(&s->rk[i], "top");
		snprintf(line, sizeof(line), "%5ld  %-40.40s  %-30.30s  %s\n", s->rk[i].index,
		         safe(&f1, sc_str(&s->rk[i], "title")), safe(&f2, top ? top : "-"),
		         safe(&f3, s->rk[i].input));
		otz_buf_append(t, line);
	}
	static const char *const heads[][2] = {
		{"\nmost frequent translations (rule):\n", "translations"},
		{"\nmost frequent metrics:\n", "metrics"},
		{"\nspecimens matched most:\n", "specimens"}};
	for (int k = 0; k < 3; k++) {
		json_t *list = json_object_get(doc, heads[k][1]);
		otz_buf_append(t, heads[k][0]);
		for (size_t i = 0; i < json_array_size(list) && i < TABLE_TOP; i++) {
			json_t *o = json_array_get(list, i);
			snprintf(line, sizeof(line), "%7lld  %s\n",
			         (long long)json_integer_value(json_object_get(o, "count")),
			         safe(&f1, json_string_value(json_object_get(o, "name"))));
			otz_buf_append(t, line);
		}
	}
	otz_buf_dispose(&f1);
	otz_buf_dispose(&f2);
	otz_buf_dispose(&f3);
}

/* The link to an input's page: a relative path ("./" first, so that no
 * file name can make it a scheme such as javascript:), every byte but
 * letters, digits, '-', '.', '_', '~' and '/' percent-encoded, so that '#',
 * '?', '%', quotes and spaces in a file name lead to that file. */
static void href(otz_buf *h, const char *input)
{
	static const char hex[] = "0123456789ABCDEF";
	otz_buf_append(h, "./");
	for (const unsigned char *p = (const unsigned char *)input; *p; p++) {
		char e[4] = {(char)*p, 0, 0, 0};
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("-._~/", *p))) {
			e[0] = '%';
			e[1] = hex[*p >> 4];
			e[2] = hex[*p & 15];
		}
		otz_buf_append(h, e);
	}
	otz_buf_append(h, ".html");
}

/* index.html: every record, a table sorted by clicking a heading.  Titles
 * and names are escaped by the engine's escaper, the one the records use. */
static void index_html(otz_buf *h, const summary *s)
{
	char line[1024];
	otz_buf_append(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	                  "<title>otiose batch</title><style>"
	                  "body{font:15px/1.4 system-ui,sans-serif;margin:1rem;color:#222}"
	                  "table{border-collapse:collapse;width:100%}"
	                  "th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}"
	                  "th{cursor:pointer;background:#f4f1e8;font-family:monospace}"
	                  "td.n{text-align:right;font-variant-numeric:tabular-nums}"
	                  "</style></head><body><h1>FILE RECORDS</h1><p>");
	snprintf(line, sizeof(line), "%zu inputs, %zu translated, %zu failed. Click a heading to sort.",
	         s->inputs, s->done + s->uptodate, s->failed);
	otz_buf_append(h, line);
	otz_buf_append(h, "</p><table id=\"t\"><thead><tr><th>Otiose index</th><th>Title</th>"
	                  "<th>Closest specimen</th><th>Match %</th><th>File</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < s->nrk; i++) {
		const rank *r = &s->rk[i];
		snprintf(line, sizeof(line), "<tr><td class=\"n\">%ld</td><td>", r->index);
		otz_buf_append(h, line);
		otz_html_escape(h, sc_str(r, "title"));
		otz_buf_append(h, "</td><td>");
		otz_html_escape(h, sc_str(r, "top"));
		snprintf(line, sizeof(line), "</td><td class=\"n\">%lld</td><td><a href=\"",
		         (long long)json_integer_value(json_object_get(r->sc, "top_percent")));
		otz_buf_append(h, line);
		href(h, r->input);
		otz_buf_append(h, "\">");
		otz_html_escape(h, r->input);
		otz_buf_append(h, "</a></td></tr>\n");
	}
	otz_buf_append(h,
	               "</tbody></table><script>"
	               "document.querySelectorAll('th').forEach(function(th,i){var up=false;"
	               "th.onclick=function(){var tb=document.querySelector('#t tbody');"
	               "var rows=Array.prototype.slice.call(tb.rows);up=!up;"
	               "rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;"
	               "var nx=parseFloat(x),ny=parseFloat(y);"
	               "var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return up?c:-c;});"
	               "rows.forEach(function(r){tb.appendChild(r);});};});"
	               "</script></body></html>\n");
}

/* Write OUT/name whole; EXIT_OK, or EXIT_INPUT after saying why. */
static int write_out(const char *out, const char *name, const char *data, size_t n)
{
	char p[PATH_MAX + 32], why[1024];
	snprintf(p, sizeof(p), "%s/%s", out, name);
	if (cli_write_atomic(p, data ? data : "", n, why, sizeof(why))) {
		cli_err("%s", why);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

/* The summary on the terminal: the table, or (quiet) only the errors. */
static void tell(const summary *s, const otz_buf *t, int quiet)
{
	if (!quiet) {
		cli_write_all(stdout, t->ptr ? t->ptr : "", t->len);
		if (s->uptodate)
			fprintf(stderr, "otiose: %zu of them were already up to date (--force redoes them)\n",
			        s->uptodate);
		return;
	}
	for (size_t i = 0; i < json_array_size(s->errors); i++) {
		const char *in, *sep, *why;
		error_parts(json_array_get(s->errors, i), &in, &sep, &why);
		cli_err("%s%s%s", in, sep, why);
	}
}

int batch_summary(const char *out, const char *ext, const batch_item *v, size_t n,
                  const cli_strv *skipped, int quiet)
{
	summary s;
	otz_buf t = OTZ_BUF_INIT, h = OTZ_BUF_INIT;
	json_t *doc = NULL;
	char *js = NULL;
	int rc = EXIT_OK;
	memset(&s, 0, sizeof(s));
	if (gather(&s, out, v, n, skipped) || !(doc = summary_json(&s)) ||
	    !(js = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER))) {
		cli_err("out of memory writing the summary");
		rc = EXIT_INTERNAL;
		goto done;
	}
	summary_text(&t, &s, doc);
	if (write_out(out, "summary.json", js, strlen(js)))
		rc = EXIT_INPUT;
	if (write_out(out, "summary.txt", t.ptr, t.len))
		rc = EXIT_INPUT;
	if (strcmp(ext, "html") == 0) {
		index_html(&h, &s);
		if (write_out(out, "index.html", h.ptr, h.len))
			rc = EXIT_INPUT;
	}
	tell(&s, &t, quiet);
	if (rc == EXIT_OK && (s.failed || s.skipped))
		rc = EXIT_INPUT;
done:
	free(js);
	json_decref(doc);
	otz_buf_dispose(&t);
	otz_buf_dispose(&h);
	summary_dispose(&s);
	return rc;
}
