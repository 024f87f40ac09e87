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
 * that was not, but for one count: how many inputs this run translated and
 * how many it skipped as up to date.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "batch.h"

/* How many entries each list of summary.json keeps, and the table shows. */
#define JSON_TOP 20
#define TABLE_RANKED 20
#define TABLE_TOP 10

void batch_sidecar_path(const char *out, const char *out_rel, char *buf, size_t n)
{
	snprintf(buf, n, "%s/.otiose/%s.json", out, out_rel);
}

/* The sidecar's record of what made its output. */
static json_t *made_json(const batch_made *m)
{
	char hash[24];
	snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)m->hash);
	json_t *o = json_object();
	json_object_set_new(o, "size", json_integer((json_int_t)m->size));
	json_object_set_new(o, "mtime_ns", json_integer((json_int_t)m->mtime_ns));
	json_object_set_new(o, "hash", json_string(hash));
	json_object_set_new(o, "db", json_string(m->db));
	json_object_set_new(o, "options", json_string(m->options));
	return o;
}

char *batch_sidecar(const otz_record *r, const char *name, const batch_made *made)
{
	json_t *sc = json_object();
	if (!sc)
		return NULL;
	json_object_set_new(sc, "input", json_string(name));
	json_object_set_new(sc, "title", json_string(r->title));
	json_object_set_new(sc, "otiose_index", json_integer(r->otiose_index.value));
	json_object_set_new(sc, "bytes", json_integer((json_int_t)made->size));
	if (r->nrelated) {
		json_object_set_new(sc, "top", json_string(r->related[0].title));
		json_object_set_new(sc, "top_percent", json_integer(r->related[0].percent));
	}
	json_t *tr = json_array(), *me = json_array();
	for (size_t k = 0; k < r->nautopsy; k++)
		if (r->autopsy[k].rule_id)
			json_array_append_new(tr, json_string(r->autopsy[k].rule_id));
	/* The metrics the postings name or speak of: the role's usual ones,
	 * listed for a posting that names none, are no posting's words. */
	for (size_t k = 0; k < r->nmetrics; k++)
		if (!r->metrics[k].usual || r->metrics[k].has_span)
			json_array_append_new(me, json_string(r->metrics[k].name));
	json_object_set_new(sc, "translations", tr);
	json_object_set_new(sc, "metrics", me);
	json_object_set_new(sc, "made", made_json(made));
	char *s = json_dumps(sc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(sc);
	return s;
}

int batch_sidecar_made_by(const char *path, const batch_made *made)
{
	json_error_t je;
	json_t *sc = json_load_file(path, 0, &je);
	json_t *was = json_object_get(sc, "made"), *now = made_json(made);
	int same = was && now && json_equal(was, now);
	json_decref(now);
	json_decref(sc);
	return same;
}

/* How often each name occurs (rule ids, metrics, specimens). */
typedef struct count {
	char *key; /* owned */
	size_t n;
} count;

typedef struct tally {
	count *v;
	size_t n, cap;
} tally;

/* A translated input, for the ranking by Otiose index: what the three
 * forms show of it, copied out of its sidecar, which is not kept. */
typedef struct rank {
	long index;
	char *input, *title, *top; /* owned; top may be NULL */
	char *out;                 /* its output's path below OUT, without extension (owned) */
	long top_percent;
} rank;

/* What the three forms are made from. */
typedef struct summary {
	size_t inputs, done, uptodate, failed, skipped;
	rank *rk;
	size_t nrk;
	tally tr, me, sp;
	json_t *errors; /* [{"input"?, "error"}] */
	const cli_strv *notes;
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
	return strcmp(x->out, y->out);
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
	char *k = strdup(key);
	if (!k || cli_reserve(&t->v, &t->cap, t->n, sizeof(*t->v))) {
		free(k);
		return -1;
	}
	t->v[t->n++] = (count){k, 1};
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

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Add one translated input's sidecar to the ranking and the counts; the
 * sidecar itself is the caller's to release. */
static int add_sidecar(summary *s, json_t *sc)
{
	size_t k;
	json_t *x;
	rank *r = &s->rk[s->nrk];
	r->index = (long)json_integer_value(json_object_get(sc, "otiose_index"));
	r->input = dup_or_null(json_string_value(json_object_get(sc, "input")));
	r->title = dup_or_null(json_string_value(json_object_get(sc, "title")));
	r->top = dup_or_null(json_string_value(json_object_get(sc, "top")));
	r->top_percent = (long)json_integer_value(json_object_get(sc, "top_percent"));
	if (!r->input || !r->title)
		return -1;
	s->nrk++;
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
                  const cli_strv *skipped, const cli_strv *notes)
{
	s->inputs = n;
	s->skipped = skipped->n;
	s->notes = notes;
	s->errors = json_array();
	s->rk = calloc(n ? n : 1, sizeof(*s->rk));
	if (!s->errors || !s->rk)
		return -1;
	for (size_t i = 0; i < skipped->n; i++)
		add_error(s->errors, NULL, skipped->v[i]);
	for (size_t i = 0; i < n; i++) {
		const char *name = v[i].name ? v[i].name : v[i].rel;
		if (v[i].status != BATCH_TRANSLATED && v[i].status != BATCH_UP_TO_DATE) {
			s->failed++;
			add_error(s->errors, name, v[i].error ? v[i].error : "not translated");
			continue;
		}
		s->done += v[i].status == BATCH_TRANSLATED;
		s->uptodate += v[i].status == BATCH_UP_TO_DATE;
		char side[PATH_MAX + 32];
		json_error_t je;
		batch_sidecar_path(out, v[i].out_rel, side, sizeof(side));
		json_t *sc = json_load_file(side, 0, &je);
		if (!sc) {
			cli_err("%s: warning: %s; %s is left out of the ranking", side, je.text, name);
			continue;
		}
		int rc = add_sidecar(s, sc);
		json_decref(sc);
		if (rc || !(s->rk[s->nrk - 1].out = strdup(v[i].out_rel)))
			return -1;
	}
	qsort(s->rk, s->nrk, sizeof(*s->rk), cmp_rank);
	return 0;
}

static void tally_dispose(tally *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].key);
	free(t->v);
}

static void summary_dispose(summary *s)
{
	for (size_t i = 0; i < s->nrk; i++) {
		free(s->rk[i].input);
		free(s->rk[i].title);
		free(s->rk[i].top);
		free(s->rk[i].out);
	}
	free(s->rk);
	tally_dispose(&s->tr);
	tally_dispose(&s->me);
	tally_dispose(&s->sp);
	json_decref(s->errors);
}

/* summary.json's lists of the most frequent names (the table shows them too). */
static json_t *top_lists(summary *s)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "translations", top_counts(&s->tr, JSON_TOP));
	json_object_set_new(doc, "metrics", top_counts(&s->me, JSON_TOP));
	json_object_set_new(doc, "specimens", top_counts(&s->sp, JSON_TOP));
	return doc;
}

/* A JSON object's members as pretty text, without its braces: what goes
 * between "{" and "}" of summary.json. */
static int put_members(otz_buf *b, json_t *o)
{
	char *t = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!t)
		return -1;
	size_t n = strlen(t);
	int rc = 0;
	if (n >= 4) { /* "{\n" members "\n}" */
		t[n - 2] = '\0';
		rc = otz_buf_append(b, t + 2);
	}
	free(t);
	return rc;
}

/*
 * summary.json: counts, errors, what was not read, the ranking of every
 * translated input, the most frequent names.  The ranking is written entry
 * by entry, so the summary of a large batch costs the file's size in
 * memory and not a tree of objects for every input.
 */
static char *summary_json(summary *s, json_t *tops)
{
	otz_buf b = OTZ_BUF_INIT;
	json_t *head = json_object(), *counts = json_object(), *notes = json_array();
	json_object_set_new(counts, "inputs", json_integer((json_int_t)s->inputs));
	json_object_set_new(counts, "translated", json_integer((json_int_t)s->done));
	json_object_set_new(counts, "up_to_date", json_integer((json_int_t)s->uptodate));
	json_object_set_new(counts, "failed", json_integer((json_int_t)s->failed));
	json_object_set_new(counts, "skipped_while_walking", json_integer((json_int_t)s->skipped));
	json_object_set_new(head, "counts", counts);
	json_object_set(head, "errors", s->errors);
	for (size_t i = 0; s->notes && i < s->notes->n; i++)
		json_array_append_new(notes, json_string(s->notes->v[i]));
	json_object_set_new(head, "not_read", notes);
	int rc = otz_buf_append(&b, "{\n") || put_members(&b, head) ||
	         otz_buf_append(&b, ",\n  \"ranking\": [");
	json_decref(head);
	for (size_t i = 0; i < s->nrk && !rc; i++) {
		const rank *r = &s->rk[i];
		json_t *o = json_object();
		json_object_set_new(o, "input", json_string(r->input));
		json_object_set_new(o, "title", json_string(r->title));
		json_object_set_new(o, "otiose_index", json_integer(r->index));
		if (r->top) {
			json_object_set_new(o, "top", json_string(r->top));
			json_object_set_new(o, "top_percent", json_integer(r->top_percent));
		}
		char *t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		rc = !t || otz_buf_append(&b, i ? ",\n    " : "\n    ") || otz_buf_append(&b, t);
		free(t);
	}
	rc = rc || otz_buf_append(&b, s->nrk ? "\n  ],\n" : "],\n") || put_members(&b, tops) ||
	     otz_buf_append(&b, "\n}\n");
	if (rc) {
		otz_buf_dispose(&b);
		return NULL;
	}
	return b.ptr;
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

/*
 * s made safe (as above) and fitted to a column `width` characters wide:
 * padded with spaces, or when longer cut after a whole character (a
 * combining mark stays with its letter) and ended with "…", so that a cut
 * title says it was cut and no UTF-8 sequence is split.  Columns are
 * counted as a terminal shows them (a CJK character takes two).  The result
 * lives in `slot` until its next use.
 */
static const char *fit(otz_buf *slot, const char *s, int width)
{
	const char *e = safe(slot, s);
	if (e != slot->ptr)
		return e;
	size_t n = slot->len, i = 0, cut = 0;
	int cols = 0, cut_cols = 0;
	while (i < n) {
		utf8proc_int32_t c;
		utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)e + i,
		                                      (utf8proc_ssize_t)(n - i), &c);
		int w = l > 0 ? utf8proc_charwidth(c) : 1;
		if (l <= 0)
			l = 1; /* safe() leaves none, but never loop on one */
		if (w < 0)
			w = 0;
		if (cols + w <= width - 1 || (w == 0 && cut == i)) {
			cut = i + (size_t)l; /* room for it and the "…" */
			cut_cols = cols + w;
		}
		cols += w;
		i += (size_t)l;
	}
	if (cols > width) {
		slot->len = cut;
		slot->ptr[cut] = '\0';
		cols = cut_cols + 1;
		if (otz_buf_append(slot, "\xe2\x80\xa6"))
			return "?";
	}
	for (; cols < width; cols++)
		if (otz_buf_append(slot, " "))
			return "?";
	return slot->ptr;
}

/* Append the pieces to t, up to a NULL. */
static void put(otz_buf *t, ...)
{
	va_list ap;
	va_start(ap, t);
	for (const char *p; (p = va_arg(ap, const char *));)
		otz_buf_append(t, p);
	va_end(ap);
}

/* The table, for the terminal and summary.txt. */
static void summary_text(otz_buf *t, const summary *s, json_t *doc)
{
	char line[1024];
	otz_buf f1 = OTZ_BUF_INIT, f2 = OTZ_BUF_INIT, f3 = OTZ_BUF_INIT;
	snprintf(line, sizeof(line),
	         "%zu inputs: %zu translated, %zu up to date, %zu failed, %zu skipped while walking\n",
	         s->inputs, s->done, s->uptodate, s->failed, s->skipped);
	otz_buf_append(t, line);
	/* Names and reasons are appended whole: a line buffer would cut them anywhere. */
	for (size_t i = 0; i < json_array_size(s->errors); i++) {
		const char *in, *sep, *why;
		error_parts(json_array_get(s->errors, i), &in, &sep, &why);
		put(t, "  error: ", safe(&f1, in), sep, safe(&f2, why), "\n", NULL);
	}
	for (size_t i = 0; s->notes && i < s->notes->n; i++)
		put(t, "  not read: ", safe(&f1, s->notes->v[i]), "\n", NULL);
	otz_buf_append(t, "\nmost otiose (index, title, closest specimen, file):\n");
	for (size_t i = 0; i < s->nrk && i < TABLE_RANKED; i++) {
		const char *top = s->rk[i].top;
		snprintf(line, sizeof(line), "%5ld  ", s->rk[i].index);
		put(t, line, fit(&f1, s->rk[i].title, 40), "  ", fit(&f2, top ? top : "-", 30), "  ",
		    safe(&f3, s->rk[i].input), "\n", NULL);
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
	snprintf(line, sizeof(line),
	         "%zu inputs, %zu translated, %zu up to date, %zu failed. Click a heading to sort.",
	         s->inputs, s->done, s->uptodate, s->failed);
	otz_buf_append(h, line);
	otz_buf_append(h, "</p><table id=\"t\"><thead><tr><th>Otiose index</th><th>Title</th>"
	                  "<th>Closest specimen</th><th>Match %</th><th>File</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < s->nrk; i++) {
		const rank *r = &s->rk[i];
		snprintf(line, sizeof(line), "<tr><td class=\"n\">%ld</td><td>", r->index);
		otz_buf_append(h, line);
		otz_html_escape(h, r->title);
		otz_buf_append(h, "</td><td>");
		otz_html_escape(h, r->top);
		snprintf(line, sizeof(line), "</td><td class=\"n\">%ld</td><td><a href=\"",
		         r->top_percent);
		otz_buf_append(h, line);
		href(h, r->out);
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
static void tell(const summary *s, const otz_buf *t, int quiet, int resumed)
{
	if (!quiet) {
		cli_write_all(stdout, t->ptr ? t->ptr : "", t->len);
		if (s->uptodate)
			fprintf(stderr, "otiose: %zu of them were already up to date (%s)\n", s->uptodate,
			        resumed ? "redone by the interrupted --force run this one resumed"
			                : "--force redoes them");
		return;
	}
	for (size_t i = 0; i < json_array_size(s->errors); i++) {
		const char *in, *sep, *why;
		error_parts(json_array_get(s->errors, i), &in, &sep, &why);
		cli_err("%s%s%s", in, sep, why);
	}
}

int batch_summary(const char *out, const char *ext, const batch_item *v, size_t n,
                  const cli_strv *skipped, const cli_strv *notes, int quiet, int resumed)
{
	summary s;
	otz_buf t = OTZ_BUF_INIT, h = OTZ_BUF_INIT;
	json_t *doc = NULL;
	char *js = NULL;
	int rc = EXIT_OK;
	memset(&s, 0, sizeof(s));
	if (gather(&s, out, v, n, skipped, notes) || !(doc = top_lists(&s)) ||
	    !(js = summary_json(&s, doc))) {
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
	tell(&s, &t, quiet, resumed);
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
