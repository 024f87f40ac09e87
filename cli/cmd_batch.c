/*
 * cmd_batch.c - `otiose batch DIR -o OUT`: every JD below a folder, on all
 * cores, without babysitting.
 *
 * The walk collects .txt, .md, .html and .json files (a JSON file gives its
 * "text" or "description" field and its "title"), following symbolic links
 * but never into a directory it is already inside (a loop is reported and
 * skipped).  Workers (pthreads, one session each, the engine shared
 * read-only) translate the inputs; each output goes to OUT/<path>.<format>,
 * written to a temporary file and renamed, together with a small sidecar
 * OUT/.otiose/<path>.json holding what the summary needs.  A rerun skips an
 * input whose output and sidecar are newer than the input and the corpus
 * database (--force redoes it), so an interrupted batch resumes where it
 * stopped and ends with the same OUT as an uninterrupted one: the summary
 * (OUT/summary.json, OUT/summary.txt, and OUT/index.html for --format html)
 * is rebuilt from the sidecars, sorted, and holds no times.
 *
 * On SIGINT or SIGTERM the workers finish the input in hand and stop; no
 * summary is written and the exit code is EXIT_INTERRUPTED (130).  Otherwise: 0 when every
 * input was translated or up to date, 1 when some failed (each is named,
 * with its reason), 2 on usage errors.
 */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "csvin.h"

#define MAX_THREADS 64

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

typedef struct item {
	const char *rel; /* path below DIR (owned by the walk) */
	size_t size;
	int status;  /* 0 pending, 1 done, 2 up to date, 3 failed */
	char *error; /* the reason, when failed */
} item;

typedef struct batch {
	const char *dir, *out, *ext;
	otz_render_options ro;
	otz_translate_options to;
	int force;
	size_t max_bytes; /* inputs larger than this are refused */
	time_t db_mtime;
	cli_walk walk;    /* the inputs found, and what could not be walked */
	item *v;
	size_t n;
	const otz_engine *e;
	atomic_size_t next, done, bytes_done;
} batch;

static void help(FILE *f)
{
	fprintf(f, "usage: otiose batch [options] DIR -o OUT\n"
	           "       otiose batch [options] --csv FILE [--text-col C] [--title-col C] -o OUT\n"
	           "\n"
	           "Translate every .txt, .md, .html and .json file below DIR (a JSON file gives\n"
	           "its \"text\" or \"description\" field) into OUT, mirroring the tree: one record\n"
	           "per input, each written whole (temporary file, then rename).  Runs on all\n"
	           "cores; a rerun skips inputs whose output is newer than the input and the\n"
	           "corpus.  Ends with a summary (also in OUT/summary.json and OUT/summary.txt):\n"
	           "counts, errors, postings ranked by Otiose index, frequent translations and\n"
	           "metrics, the specimens matched most.\n"
	           "\n"
	           "options:\n"
	           "  -o, --output OUT   the output folder (required)\n"
	           "      --csv FILE     read the postings from a CSV export instead of DIR\n"
	           "      --text-col C   the CSV column with the posting (name or number;\n"
	           "                     default: text, else description)\n"
	           "      --title-col C  the CSV column with the title (default: title)\n"
	           "  -f, --format FMT   text (default), json, md or html (html also writes\n"
	           "                     OUT/index.html, a sortable table of every record)\n"
	           "  -j, --jobs N       worker threads (default: the number of cores)\n"
	           "      --force        translate again inputs that are up to date\n"
	           "  -q, --quiet        no progress and no summary table on the terminal\n"
	           "      --lossy        replace invalid UTF-8 instead of failing the input\n"
	           "      --max-bytes N  refuse inputs (and CSV texts) larger than N bytes\n"
	           "                     (default 8M; K, M and G suffixes)\n"
	           "      --db PATH      the corpus database\n"
	           "  -h, --help         show this help\n"
	           "\n"
	           "exit codes: 0 all translated, 1 some inputs failed, 2 usage, 3 internal,\n"
	           "130 interrupted (rerun to resume)\n");
}

static void paths_for(const batch *b, const item *it, char *out, size_t on, char *side,
                      size_t sn)
{
	snprintf(out, on, "%s/%s.%s", b->out, it->rel, b->ext);
	snprintf(side, sn, "%s/.otiose/%s.json", b->out, it->rel);
}

static int up_to_date(const batch *b, const item *it)
{
	char in[PATH_MAX], out[PATH_MAX + 16], side[PATH_MAX + 32];
	struct stat si, so, ss;
	if (b->force)
		return 0;
	snprintf(in, sizeof(in), "%s/%s", b->dir, it->rel);
	paths_for(b, it, out, sizeof(out), side, sizeof(side));
	if (stat(in, &si) || stat(out, &so) || stat(side, &ss))
		return 0;
	return so.st_mtime >= si.st_mtime && ss.st_mtime >= si.st_mtime &&
	       so.st_mtime >= b->db_mtime && ss.st_mtime >= b->db_mtime;
}

/* Translate one input; 0 done, -1 failed (why filled). */
static int one(batch *b, otz_session *s, item *it, char *why, size_t wn)
{
	char in[PATH_MAX], out[PATH_MAX + 16], side[PATH_MAX + 32];
	cli_input ji = {0};
	otz_record *r = NULL;
	otz_buf o = OTZ_BUF_INIT;
	int rc = -1;
	snprintf(in, sizeof(in), "%s/%s", b->dir, it->rel);
	paths_for(b, it, out, sizeof(out), side, sizeof(side));
	otz_error err = {0, ""};
	if (cli_input_read(in, b->max_bytes, &ji, &err)) {
		/* the message names the path; the summary names the input */
		const char *m = strncmp(err.msg, in, strlen(in)) == 0 ? err.msg + strlen(in) + 2 : err.msg;
		snprintf(why, wn, "%s", m);
		goto done;
	}
	otz_translate_options to = b->to;
	to.title = ji.title;
	if (otz_translate(&r, s, ji.text, ji.len, &to, &err) || otz_render(&o, r, &b->ro, &err)) {
		snprintf(why, wn, "%s", err.msg);
		goto done;
	}
	cli_report_limits(in, r);
	/* The sidecar: what the summary needs, and nothing that changes from
	 * run to run. */
	json_t *sc = json_object();
	json_object_set_new(sc, "input", json_string(it->rel));
	json_object_set_new(sc, "title", json_string(r->title));
	json_object_set_new(sc, "otiose_index", json_integer(r->otiose_index.value));
	json_object_set_new(sc, "bytes", json_integer((json_int_t)ji.size));
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
	char *scs = json_dumps(sc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(sc);
	/* Output first, sidecar second: a sidecar vouches for a whole output. */
	if (!scs || cli_write_atomic(out, o.ptr, o.len, why, wn) ||
	    cli_write_atomic(side, scs, strlen(scs), why, wn)) {
		free(scs);
		goto done;
	}
	free(scs);
	rc = 0;
done:
	otz_buf_dispose(&o);
	otz_record_free(r);
	cli_input_dispose(&ji);
	return rc;
}

typedef struct worker {
	batch *b;
	pthread_t tid;
	int failed_start;
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	batch *b = w->b;
	otz_session *s = NULL;
	if (otz_session_new(&s, b->e)) {
		w->failed_start = 1;
		return NULL;
	}
	char why[1024];
	for (;;) {
		if (interrupted)
			break;
		size_t i = atomic_fetch_add(&b->next, 1);
		if (i >= b->n)
			break;
		item *it = &b->v[i];
		if (up_to_date(b, it)) {
			it->status = 2;
		} else if (one(b, s, it, why, sizeof(why)) == 0) {
			it->status = 1;
		} else {
			it->status = 3;
			it->error = strdup(why);
		}
		atomic_fetch_add(&b->bytes_done, it->size);
		atomic_fetch_add(&b->done, 1);
	}
	otz_session_free(s);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(batch *b, double t0, int tty, int final)
{
	size_t done = atomic_load(&b->done), bytes = atomic_load(&b->bytes_done);
	double el = now_s() - t0, mbs = el > 0 ? (double)bytes / el / 1e6 : 0;
	double eta = done ? el * (double)(b->n - done) / (double)done : 0;
	if (tty) {
		int width = 30, fill = b->n ? (int)(width * done / b->n) : width;
		fprintf(stderr, "\r[%.*s%*s] %zu/%zu files, %.1f MB/s, ETA %d:%02d ", fill,
		        "##############################", width - fill, "", done, b->n, mbs,
		        (int)eta / 60, (int)eta % 60);
		if (final)
			fputc('\n', stderr);
	} else {
		fprintf(stderr, "otiose: %zu/%zu files, %.1f MB/s, ETA %ds\n", done, b->n, mbs,
		        (int)eta);
	}
	fflush(stderr);
}

/* ---- the summary, from the sidecars -------------------------------- */

typedef struct count {
	const char *key;
	size_t n;
} count;

static int cmp_count(const void *a, const void *b)
{
	const count *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

static void bump(count **v, size_t *n, size_t *cap, const char *key)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].key, key) == 0) {
			(*v)[i].n++;
			return;
		}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = realloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = (count){key, 1};
}

typedef struct rank {
	json_t *sc;
	long index;
	const char *input;
} rank;

static int cmp_rank(const void *a, const void *b)
{
	const rank *x = a, *y = b;
	if (x->index != y->index)
		return x->index < y->index ? 1 : -1;
	return strcmp(x->input, y->input);
}

static json_t *top_counts(count *v, size_t n, size_t max)
{
	json_t *a = json_array();
	if (n)
		qsort(v, n, sizeof(*v), cmp_count);
	for (size_t i = 0; i < n && i < max; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(v[i].key));
		json_object_set_new(o, "count", json_integer((json_int_t)v[i].n));
		json_array_append_new(a, o);
	}
	return a;
}

static void html_escape(otz_buf *o, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': otz_buf_append(o, "&amp;"); break;
		case '<': otz_buf_append(o, "&lt;"); break;
		case '>': otz_buf_append(o, "&gt;"); break;
		case '"': otz_buf_append(o, "&quot;"); break;
		default: {
			char c[2] = {*s, 0};
			otz_buf_append(o, c);
		}
		}
	}
}

static int summarize(batch *b, int quiet)
{
	size_t translated = 0, uptodate = 0, failed = 0;
	rank *rk = calloc(b->n ? b->n : 1, sizeof(*rk));
	size_t nrk = 0;
	count *tr = NULL, *me = NULL, *sp = NULL;
	size_t ntr = 0, ctr = 0, nme = 0, cme = 0, nsp = 0, csp = 0;
	json_t *errors = json_array();
	for (size_t i = 0; i < b->walk.errors.n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "error", json_string(b->walk.errors.v[i]));
		json_array_append_new(errors, o);
	}
	for (size_t i = 0; i < b->n; i++) {
		item *it = &b->v[i];
		if (it->status == 3) {
			failed++;
			json_t *o = json_object();
			json_object_set_new(o, "input", json_string(it->rel));
			json_object_set_new(o, "error", json_string(it->error ? it->error : "failed"));
			json_array_append_new(errors, o);
			continue;
		}
		translated += it->status == 1;
		uptodate += it->status == 2;
		char out[PATH_MAX + 16], side[PATH_MAX + 32];
		paths_for(b, it, out, sizeof(out), side, sizeof(side));
		json_t *sc = json_load_file(side, 0, NULL);
		if (!sc)
			continue;
		rk[nrk++] = (rank){sc, (long)json_integer_value(json_object_get(sc, "otiose_index")),
		                   json_string_value(json_object_get(sc, "input"))};
		size_t k;
		json_t *x;
		json_array_foreach(json_object_get(sc, "translations"), k, x)
			bump(&tr, &ntr, &ctr, json_string_value(x));
		json_array_foreach(json_object_get(sc, "metrics"), k, x)
			bump(&me, &nme, &cme, json_string_value(x));
		if (json_is_string(json_object_get(sc, "top")))
			bump(&sp, &nsp, &csp, json_string_value(json_object_get(sc, "top")));
	}
	qsort(rk, nrk, sizeof(*rk), cmp_rank);
	json_t *doc = json_object();
	json_t *counts = json_object();
	json_object_set_new(counts, "inputs", json_integer((json_int_t)b->n));
	json_object_set_new(counts, "translated", json_integer((json_int_t)(translated + uptodate)));
	json_object_set_new(counts, "failed", json_integer((json_int_t)failed));
	json_object_set_new(counts, "skipped_while_walking", json_integer((json_int_t)b->walk.errors.n));
	json_object_set_new(doc, "counts", counts);
	json_object_set_new(doc, "errors", errors);
	json_t *ranking = json_array();
	for (size_t i = 0; i < nrk; i++) {
		json_t *o = json_object();
		json_object_set(o, "input", json_object_get(rk[i].sc, "input"));
		json_object_set(o, "title", json_object_get(rk[i].sc, "title"));
		json_object_set(o, "otiose_index", json_object_get(rk[i].sc, "otiose_index"));
		if (json_object_get(rk[i].sc, "top")) {
			json_object_set(o, "top", json_object_get(rk[i].sc, "top"));
			json_object_set(o, "top_percent", json_object_get(rk[i].sc, "top_percent"));
		}
		json_array_append_new(ranking, o);
	}
	json_object_set_new(doc, "ranking", ranking);
	json_object_set_new(doc, "translations", top_counts(tr, ntr, 20));
	json_object_set_new(doc, "metrics", top_counts(me, nme, 20));
	json_object_set_new(doc, "specimens", top_counts(sp, nsp, 20));

	/* The table, for the terminal and OUT/summary.txt. */
	otz_buf t = OTZ_BUF_INIT;
	char line[1024];
	/* The files hold nothing that differs between a resumed run and an
	 * uninterrupted one; how much this run skipped goes to the terminal. */
	snprintf(line, sizeof(line), "%zu inputs: %zu translated, %zu failed, %zu skipped while walking\n",
	         b->n, translated + uptodate, failed, b->walk.errors.n);
	otz_buf_append(&t, line);
	size_t ne = json_array_size(errors);
	for (size_t i = 0; i < ne; i++) {
		json_t *o = json_array_get(errors, i);
		snprintf(line, sizeof(line), "  error: %s%s%s\n",
		         json_object_get(o, "input") ? json_string_value(json_object_get(o, "input")) : "",
		         json_object_get(o, "input") ? ": " : "",
		         json_string_value(json_object_get(o, "error")));
		otz_buf_append(&t, line);
	}
	otz_buf_append(&t, "\nmost otiose (index, title, closest specimen, file):\n");
	for (size_t i = 0; i < nrk && i < 20; i++) {
		snprintf(line, sizeof(line), "%5ld  %-40.40s  %-30.30s  %s\n", rk[i].index,
		         json_string_value(json_object_get(rk[i].sc, "title")),
		         json_object_get(rk[i].sc, "top") ? json_string_value(json_object_get(rk[i].sc, "top")) : "-",
		         rk[i].input);
		otz_buf_append(&t, line);
	}
	const char *heads[3] = {"\nmost frequent translations (rule):\n", "\nmost frequent metrics:\n",
	                        "\nspecimens matched most:\n"};
	json_t *lists[3] = {json_object_get(doc, "translations"), json_object_get(doc, "metrics"),
	                    json_object_get(doc, "specimens")};
	for (int k = 0; k < 3; k++) {
		otz_buf_append(&t, heads[k]);
		for (size_t i = 0; i < json_array_size(lists[k]) && i < 10; i++) {
			json_t *o = json_array_get(lists[k], i);
			snprintf(line, sizeof(line), "%7lld  %s\n",
			         (long long)json_integer_value(json_object_get(o, "count")),
			         json_string_value(json_object_get(o, "name")));
			otz_buf_append(&t, line);
		}
	}
	char p[PATH_MAX + 32], why[1024];
	int rc = EXIT_OK;
	char *js = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	snprintf(p, sizeof(p), "%s/summary.json", b->out);
	if (!js || cli_write_atomic(p, js, strlen(js), why, sizeof(why))) {
		cli_err("%s", why);
		rc = EXIT_INPUT;
	}
	free(js);
	snprintf(p, sizeof(p), "%s/summary.txt", b->out);
	if (cli_write_atomic(p, t.ptr ? t.ptr : "", t.len, why, sizeof(why))) {
		cli_err("%s", why);
		rc = EXIT_INPUT;
	}
	if (strcmp(b->ext, "html") == 0) {
		otz_buf h = OTZ_BUF_INIT;
		otz_buf_append(&h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		                   "<title>otiose batch</title><style>"
		                   "body{font:15px/1.4 system-ui,sans-serif;margin:1rem;color:#222}"
		                   "table{border-collapse:collapse;width:100%}"
		                   "th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}"
		                   "th{cursor:pointer;background:#f4f1e8;font-family:monospace}"
		                   "td.n{text-align:right;font-variant-numeric:tabular-nums}"
		                   "</style></head><body><h1>FILE RECORDS</h1><p>");
		snprintf(line, sizeof(line), "%zu inputs, %zu translated, %zu failed. Click a heading to sort.",
		         b->n, translated + uptodate, failed);
		otz_buf_append(&h, line);
		otz_buf_append(&h, "</p><table id=\"t\"><thead><tr><th>Otiose index</th><th>Title</th>"
		                   "<th>Closest specimen</th><th>Match %</th><th>File</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < nrk; i++) {
			snprintf(line, sizeof(line), "<tr><td class=\"n\">%ld</td><td>", rk[i].index);
			otz_buf_append(&h, line);
			html_escape(&h, json_string_value(json_object_get(rk[i].sc, "title")));
			otz_buf_append(&h, "</td><td>");
			html_escape(&h, json_string_value(json_object_get(rk[i].sc, "top")));
			snprintf(line, sizeof(line), "</td><td class=\"n\">%lld</td><td><a href=\"",
			         (long long)json_integer_value(json_object_get(rk[i].sc, "top_percent")));
			otz_buf_append(&h, line);
			html_escape(&h, rk[i].input);
			otz_buf_append(&h, ".html\">");
			html_escape(&h, rk[i].input);
			otz_buf_append(&h, "</a></td></tr>\n");
		}
		otz_buf_append(&h,
		               "</tbody></table><script>"
		               "document.querySelectorAll('th').forEach(function(th,i){var up=false;"
		               "th.onclick=function(){var tb=document.querySelector('#t tbody');"
		               "var rows=Array.prototype.slice.call(tb.rows);up=!up;"
		               "rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;"
		               "var nx=parseFloat(x),ny=parseFloat(y);"
		               "var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return up?c:-c;});"
		               "rows.forEach(function(r){tb.appendChild(r);});};});"
		               "</script></body></html>\n");
		snprintf(p, sizeof(p), "%s/index.html", b->out);
		if (cli_write_atomic(p, h.ptr, h.len, why, sizeof(why))) {
			cli_err("%s", why);
			rc = EXIT_INPUT;
		}
		otz_buf_dispose(&h);
	}
	if (!quiet) {
		cli_write_all(stdout, t.ptr ? t.ptr : "", t.len);
		if (uptodate)
			fprintf(stderr, "otiose: %zu of them were already up to date (--force redoes them)\n",
			        uptodate);
	}
	else if (failed || b->walk.errors.n)
		for (size_t i = 0; i < ne; i++) {
			json_t *o = json_array_get(errors, i);
			cli_err("%s%s%s",
			        json_object_get(o, "input") ? json_string_value(json_object_get(o, "input")) : "",
			        json_object_get(o, "input") ? ": " : "",
			        json_string_value(json_object_get(o, "error")));
		}
	otz_buf_dispose(&t);
	json_decref(doc);
	for (size_t i = 0; i < nrk; i++)
		json_decref(rk[i].sc);
	free(rk);
	free(tr);
	free(me);
	free(sp);
	if (rc == EXIT_OK && (failed || b->walk.errors.n))
		rc = EXIT_INPUT;
	return rc;
}

/* ---- CSV exports: spooled into a folder of JSON inputs ------------- */

typedef struct spool {
	batch *b;
	const char *dir;  /* OUT/.otiose-csv/<base> */
	const char *name; /* the CSV file, for messages */
	size_t rows;
	int failed;
} spool;

/* Write path only if its content differs, so that an unchanged row keeps
 * its time and its output is not redone. */
static int write_if_changed(const char *path, const char *data, size_t n, char *why, size_t wn)
{
	FILE *f = fopen(path, "rb");
	if (f) {
		char *old = malloc(n + 2);
		size_t got = old ? fread(old, 1, n + 1, f) : 0;
		fclose(f);
		int same = old && got == n && memcmp(old, data, n) == 0;
		free(old);
		if (same)
			return 0;
	}
	return cli_write_atomic(path, data, n, why, wn);
}

static int spool_row(void *ctx, size_t row_no, size_t line_no, const char *title,
                     size_t title_len, const char *text, size_t text_len)
{
	spool *sp = ctx;
	char path[PATH_MAX], why[1024];
	(void)line_no;
	json_t *o = json_object();
	json_object_set_new(o, "row", json_integer((json_int_t)row_no));
	if (title)
		json_object_set_new(o, "title", json_stringn_nocheck(title, title_len));
	json_object_set_new(o, "text", json_stringn_nocheck(text, text_len));
	char *js = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!js)
		return EXIT_INTERNAL;
	snprintf(path, sizeof(path), "%s/row-%06zu.json", sp->dir, row_no);
	int rc = write_if_changed(path, js, strlen(js), why, sizeof(why));
	free(js);
	if (rc) {
		cli_err("%s", why);
		return EXIT_INPUT;
	}
	sp->rows++;
	return EXIT_OK;
}

static void spool_error(void *ctx, size_t row_no, size_t line_no, const char *msg)
{
	spool *sp = ctx;
	char m[1024];
	snprintf(m, sizeof(m), "row %zu (line %zu): %s", row_no, line_no, msg);
	cli_strv_addf(&sp->b->walk.errors, "%s: %s (skipped)", sp->name, m);
	sp->failed = 1;
}

int cmd_batch(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'f'},
		{"jobs", required_argument, NULL, 'j'},   {"force", no_argument, NULL, 'F'},
		{"quiet", no_argument, NULL, 'q'},        {"lossy", no_argument, NULL, 'L'},
		{"db", required_argument, NULL, 'D'},     {"help", no_argument, NULL, 'h'},
		{"csv", required_argument, NULL, 'C'},    {"text-col", required_argument, NULL, 'T'},
		{"title-col", required_argument, NULL, 'I'}, {"max-bytes", required_argument, NULL, 'M'},
		{NULL, 0, NULL, 0}};
	const char *csv = NULL, *text_col = NULL, *title_col = NULL;
	char spool_dir[PATH_MAX];
	batch b;
	memset(&b, 0, sizeof(b));
	b.max_bytes = OTZ_DEFAULT_MAX_BYTES;
	otz_translate_options to = OTZ_TRANSLATE_OPTIONS_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	b.to = to;
	b.ro = ro;
	b.ext = "txt";
	const char *db = NULL;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int quiet = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:f:j:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': b.out = optarg; break;
		case 'f':
			if (cli_parse_format(optarg, &b.ro.format))
				return cli_usage_error("batch", CLI_FORMAT_ERROR, optarg);
			b.ext = cli_format_ext(b.ro.format);
			break;
		case 'j': {
			char *end;
			jobs = strtol(optarg, &end, 10);
			if (*end || jobs < 1 || jobs > MAX_THREADS)
				return cli_usage_error("batch", "--jobs takes a number from 1 to %d", MAX_THREADS);
			break;
		}
		case 'F': b.force = 1; break;
		case 'q': quiet = 1; break;
		case 'L': b.to.lossy = 1; break;
		case 'M':
			if (cli_parse_size(optarg, &b.max_bytes))
				return cli_usage_error("batch", "--max-bytes takes a positive size "
				                                "(bytes, or with K, M or G)");
			break;
		case 'D': db = optarg; break;
		case 'C': csv = optarg; break;
		case 'T': text_col = optarg; break;
		case 'I': title_col = optarg; break;
		case 'h': help(stdout); return EXIT_OK;
		default: return cli_usage_error("batch", "bad option");
		}
	}
	if ((text_col || title_col) && !csv)
		return cli_usage_error("batch", "--text-col and --title-col go with --csv");
	if (csv ? argc - optind != 0 : argc - optind != 1)
		return cli_usage_error("batch", csv ? "give --csv FILE or a DIR, not both"
		                                    : "expected one DIR");
	if (!b.out)
		return cli_usage_error("batch", "-o OUT is required");
	if (jobs < 1)
		jobs = 1;
	if (jobs > MAX_THREADS)
		jobs = MAX_THREADS;
	struct stat st;
	if (mkdir(b.out, 0755) != 0 && errno != EEXIST) {
		cli_err("%s: %s", b.out, strerror(errno));
		return EXIT_INPUT;
	}
	if (csv) {
		/* Each row becomes a small JSON input under OUT/.otiose-csv/<name>,
		 * and the batch goes on as for a folder: same workers, same skip,
		 * same summary, whatever the number of rows. */
		const char *base = strrchr(csv, '/');
		base = base ? base + 1 : csv;
		snprintf(spool_dir, sizeof(spool_dir), "%s/.otiose-csv", b.out);
		char rows_dir[PATH_MAX + 64];
		snprintf(rows_dir, sizeof(rows_dir), "%s/%s/x", spool_dir, base);
		FILE *f = fopen(csv, "rb");
		if (!f) {
			cli_err("%s: %s", csv, strerror(errno));
			return EXIT_INPUT;
		}
		if (cli_make_parents(rows_dir) != 0) {
			cli_err("%s: %s", rows_dir, strerror(errno));
			fclose(f);
			return EXIT_INPUT;
		}
		rows_dir[strlen(rows_dir) - 2] = '\0';
		spool sp = {&b, rows_dir, csv, 0, 0};
		char msg[1024];
		int crc = csvin_each(f, text_col, title_col, csv_row_limit(b.max_bytes), spool_row,
		                     spool_error, &sp, msg, sizeof(msg));
		fclose(f);
		if (crc == EXIT_USAGE || crc == EXIT_INTERNAL) {
			cli_err("%s: %s", csv, msg);
			return crc;
		}
		/* A CSV that could not be read to its end is an error of the batch,
		 * in its summary and its exit code, like a row that failed. */
		if (*msg && cli_strv_addf(&b.walk.errors, "%s: %s (the rest skipped)", csv, msg)) {
			cli_err("out of memory");
			return EXIT_INTERNAL;
		}
		b.dir = spool_dir;
	} else {
		b.dir = argv[optind];
	}
	if (stat(b.dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		cli_err("%s: not a folder", b.dir);
		return EXIT_INPUT;
	}
	char dbpath[PATH_MAX];
	int rc = cli_find_db(db, dbpath, sizeof(dbpath), quiet);
	if (rc)
		return rc;
	otz_engine *e = NULL;
	if ((rc = cli_load_engine(dbpath, &e, quiet)))
		return rc;
	if (stat(dbpath, &st) == 0)
		b.db_mtime = st.st_mtime;
	b.e = e;
	if (cli_walk_dir(b.dir, &b.walk) || !(b.v = calloc(b.walk.n ? b.walk.n : 1, sizeof(*b.v)))) {
		cli_err("out of memory walking %s", b.dir);
		rc = EXIT_INTERNAL;
		goto done;
	}
	b.n = b.walk.n;
	for (size_t i = 0; i < b.n; i++)
		b.v[i] = (item){b.walk.v[i].rel, b.walk.v[i].size, 0, NULL};
	cli_remove_temps(b.out, 0); /* a killed run's temporary files are not outputs */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	worker w[MAX_THREADS];
	double t0 = now_s(), last = t0;
	int tty = isatty(STDERR_FILENO);
	for (long i = 0; i < jobs; i++) {
		w[i].b = &b;
		w[i].failed_start = 0;
		pthread_create(&w[i].tid, NULL, work, &w[i]);
	}
	/* Progress from the main thread while the workers run. */
	while (atomic_load(&b.done) < b.n && !interrupted) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
		double t = now_s();
		if (!quiet && ((tty && t - last >= 0.2) || (!tty && t - last >= 5))) {
			progress(&b, t0, tty, 0);
			last = t;
		}
	}
	for (long i = 0; i < jobs; i++) {
		pthread_join(w[i].tid, NULL);
		if (w[i].failed_start)
			rc = EXIT_INTERNAL;
	}
	if (!quiet && tty)
		progress(&b, t0, tty, 1);
	if (interrupted) {
		cli_err("interrupted after %zu of %zu inputs; run the same command again to resume",
		        atomic_load(&b.done), b.n);
		rc = EXIT_INTERRUPTED;
		goto done;
	}
	if (!rc)
		rc = summarize(&b, quiet);
done:
	for (size_t i = 0; i < b.n; i++)
		free(b.v[i].error);
	free(b.v);
	cli_walk_free(&b.walk);
	otz_engine_free(e);
	return rc;
}
