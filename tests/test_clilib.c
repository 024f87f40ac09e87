/*
 * test_clilib.c - unit tests of the pieces cli/ shares between its
 * commands: format names, the atomic writer, the folder walker, the input
 * reader, the JSON input rule and the CSV reader's messages.  They call the
 * functions directly; test_cli.c and the others run the binary.
 */
#include <criterion/criterion.h>
#include <unistd.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../cli/cli.h"
#include "../cli/csvin.h"
#include "support.h"

Test(clilib, format_names_are_one_list_for_every_command)
{
	static const struct {
		const char *name;
		otz_format f;
		const char *ext;
	} ok[] = {{"text", OTZ_FORMAT_TEXT, "txt"},
	          {"json", OTZ_FORMAT_JSON, "json"},
	          {"md", OTZ_FORMAT_MD, "md"},
	          {"markdown", OTZ_FORMAT_MD, "md"},
	          {"html", OTZ_FORMAT_HTML, "html"}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		otz_format f = (otz_format)-1;
		cr_assert_eq(cli_parse_format(ok[i].name, &f), 0, "%s", ok[i].name);
		cr_assert_eq(f, ok[i].f, "%s", ok[i].name);
		cr_assert_str_eq(cli_format_ext(f), ok[i].ext);
	}
	otz_format f = OTZ_FORMAT_JSON;
	cr_assert_eq(cli_parse_format("pdf", &f), -1);
	cr_assert_eq(cli_parse_format("", &f), -1);
	cr_assert_eq(cli_parse_format("MD", &f), -1);
	cr_assert_eq(f, OTZ_FORMAT_JSON, "a refused name leaves the format alone");
}

/* cli_json_jd on the object `js`; its result, with the text, title and message. */
static int jd(const char *js, char *text, char *title, char *msg)
{
	json_error_t je;
	json_t *o = json_loads(js, 0, &je);
	cr_assert(o, "%s: %s", js, je.text);
	const char *t = NULL, *ti = NULL;
	size_t len = 0;
	msg[0] = text[0] = title[0] = '\0';
	int rc = cli_json_jd(o, &t, &len, &ti, msg, 200);
	if (rc == 0) {
		cr_assert_eq(strlen(t), len);
		snprintf(text, 200, "%s", t);
		snprintf(title, 200, "%s", ti ? ti : "(none)");
	}
	json_decref(o);
	return rc;
}

Test(clilib, json_input_takes_text_then_description_and_refuses_a_text_that_is_no_string)
{
	char text[200], title[200], msg[200];
	cr_assert_eq(jd("{\"text\":\"a\",\"description\":\"b\",\"title\":\"T\"}", text, title, msg), 0);
	cr_assert_str_eq(text, "a");
	cr_assert_str_eq(title, "T");
	cr_assert_eq(jd("{\"description\":\"b\"}", text, title, msg), 0);
	cr_assert_str_eq(text, "b");
	cr_assert_str_eq(title, "(none)");
	/* null is no value: the same as absent */
	cr_assert_eq(jd("{\"text\":null,\"description\":\"b\",\"title\":null}", text, title, msg), 0);
	cr_assert_str_eq(text, "b");
	cr_assert_str_eq(title, "(none)");
	/* a text that is there but no string is an error, not a reason to read description */
	cr_assert_eq(jd("{\"text\":5,\"description\":\"b\"}", text, title, msg), -1);
	cr_assert_str_eq(msg, "\"text\" is not a string");
	cr_assert_eq(jd("{\"text\":[\"a\"]}", text, title, msg), -1);
	cr_assert_str_eq(msg, "\"text\" is not a string");
	cr_assert_eq(jd("{\"description\":{}}", text, title, msg), -1);
	cr_assert_str_eq(msg, "\"description\" is not a string");
	cr_assert_eq(jd("{\"title\":\"x\"}", text, title, msg), -1);
	cr_assert_str_eq(msg, "no \"text\" or \"description\" string field");
	cr_assert_eq(jd("{\"text\":\"a\",\"title\":7}", text, title, msg), -1);
	cr_assert_str_eq(msg, "\"title\" is not a string");
}

Test(clilib, the_walker_finds_every_input_sorted_and_reports_what_it_skips)
{
	char d[64];
	t_mkdtemp(d, sizeof(d), "walk");
	cr_assert_eq(t_sh("cd '%s' && mkdir -p b/c .hidden && printf x > z.txt && printf xy > b/a.md && "
	                  "printf x > b/c/p.html && printf '{}' > a.json && printf x > n.csv && "
	                  "printf x > .dot.txt && printf x > .hidden/h.txt && printf x > txt && "
	                  "ln -s .. b/c/up && ln -s nowhere.txt gone.txt && mkdir dir.txt",
	                  d),
	             0);
	cli_walk w = {0};
	cr_assert_eq(cli_walk_dir(d, &w, NULL, 0), 0);
	const char *want[] = {"a.json", "b/a.md", "b/c/p.html", "z.txt"};
	cr_assert_eq(w.n, 4, "%zu inputs", w.n);
	for (size_t i = 0; i < 4; i++)
		cr_assert_str_eq(w.v[i].rel, want[i]);
	cr_assert_eq(w.v[1].size, 2);
	cr_assert_eq(w.errors.n, 2);
	char loop[128], gone[128];
	snprintf(gone, sizeof(gone), "%s/gone.txt: dangling symbolic link (skipped)", d);
	snprintf(loop, sizeof(loop), "%s/b/c/up: a folder already walked (a loop of links) (skipped)",
	         d);
	cr_assert(!strcmp(w.errors.v[0], gone) || !strcmp(w.errors.v[1], gone), "%s", w.errors.v[0]);
	cr_assert(!strcmp(w.errors.v[0], loop) || !strcmp(w.errors.v[1], loop), "%s", w.errors.v[0]);
	/* hidden names are passed over, and said: notes, not errors */
	cr_assert_eq(w.notes.n, 2);
	char hf[128], hd[128];
	snprintf(hf, sizeof(hf), "%s/.dot.txt: hidden file (not read)", d);
	snprintf(hd, sizeof(hd), "%s/.hidden: hidden folder (not read)", d);
	cr_assert(!strcmp(w.notes.v[0], hf) || !strcmp(w.notes.v[1], hf), "%s", w.notes.v[0]);
	cr_assert(!strcmp(w.notes.v[0], hd) || !strcmp(w.notes.v[1], hd), "%s", w.notes.v[0]);
	cli_walk_free(&w);
	cr_assert_eq(w.n, 0);

	/* A folder that is not there is one error, not a failure of the walk. */
	char missing[96];
	snprintf(missing, sizeof(missing), "%s/missing", d);
	cr_assert_eq(cli_walk_dir(missing, &w, NULL, 0), 0);
	cr_assert_eq(w.n, 0);
	cr_assert_eq(w.errors.n, 1);
	cr_assert(strstr(w.errors.v[0], "missing: No such file or directory (skipped)"));
	cli_walk_free(&w);
	t_rmtree(d);
}

/* ---- csvin: messages handed back, not printed ------------------------ */

typedef struct csv_seen {
	size_t rows;
	char errors[512];
} csv_seen;

static int csv_row_cb(void *ctx, const csvin_row *row)
{
	(void)row;
	((csv_seen *)ctx)->rows++;
	return EXIT_OK;
}

static void csv_err_cb(void *ctx, size_t row_no, size_t line_no, const char *msg)
{
	csv_seen *s = ctx;
	size_t l = strlen(s->errors);
	snprintf(s->errors + l, sizeof(s->errors) - l, "row %zu (line %zu): %s|", row_no, line_no, msg);
}

/* Read `csv` with csvin_each; its exit code, the stop message and what was seen. */
static int csv_read(const char *csv, const char *text_col, csv_seen *s, char *msg, size_t n)
{
	FILE *f = fmemopen((void *)csv, strlen(csv), "rb");
	cr_assert(f);
	memset(s, 0, sizeof(*s));
	csvin_options co = CSVIN_OPTIONS_INIT;
	co.text_col = text_col;
	int rc = csvin_each(f, &co, csv_row_cb, csv_err_cb, s, msg, n);
	fclose(f);
	return rc;
}

Test(clilib, csv_reader_returns_its_errors_with_row_and_line)
{
	csv_seen s;
	char msg[512];
	cr_assert_eq(csv_read("id,title,description\n1,a,x\n", "nope", &s, msg, sizeof(msg)), EXIT_USAGE);
	cr_assert_str_eq(msg, "no column 'nope' in the header (the columns are: id, title, description)");
	cr_assert_eq(s.rows, 0);

	cr_assert_eq(csv_read("id,text\n1,a\n2\n3,\"c\n", NULL, &s, msg, sizeof(msg)), EXIT_INPUT);
	cr_assert_str_eq(msg, "", "row errors are not a stop: %s", msg);
	cr_assert_eq(s.rows, 1);
	cr_assert_str_eq(s.errors,
	                 "row 2 (line 3): no text: the row has 1 field and the text is in column 2 ('text')|"
	                 "row 3 (line 4): a quoted field is never closed: the rest of the file, to its end "
	                 "on line 4, would be in it; the row is skipped|");

	cr_assert_eq(csv_read("", NULL, &s, msg, sizeof(msg)), EXIT_INPUT);
	cr_assert_str_eq(msg, "no header row (the file is empty)");
	cr_assert_eq(csv_read("a,\"b\n1,2\n", NULL, &s, msg, sizeof(msg)), EXIT_INPUT);
	cr_assert_str_eq(msg, "line 1: the header has a quoted field that is never closed");

	cr_assert_eq(csv_read("text\nfine\n", NULL, &s, msg, sizeof(msg)), EXIT_OK);
	cr_assert_str_eq(msg, "");
	cr_assert_eq(s.rows, 1);
}

/* [security] A link planted under the temporary file's name is never
 * written through: the write fails on it (and cli_write_atomic picks names
 * nobody can guess, so it retries under another). */
Test(clilib, the_atomic_writer_never_writes_through_a_planted_link)
{
	char d[64], p[160], tmp[200], victim[160], why[1024];
	t_mkdtemp(d, sizeof(d), "atomic-link");
	snprintf(p, sizeof(p), "%s/out.txt", d);
	snprintf(victim, sizeof(victim), "%s/victim", d);
	snprintf(tmp, sizeof(tmp), "%s/.otiose-tmp-planted", d);
	t_spit(victim, "precious", 8);
	cr_assert_eq(symlink(victim, tmp), 0);
	cr_assert_eq(cli_write_atomic_via(p, tmp, "evil", 4, why, sizeof(why)), -1);
	cr_expect_eq(errno, EEXIST);
	char *v = t_slurp(victim, NULL);
	cr_expect_str_eq(v, "precious");
	free(v);
	cr_expect_neq(access(p, F_OK), 0);
	/* two writes use two temporary names, neither the planted one */
	cr_assert_eq(cli_write_atomic(p, "good", 4, why, sizeof(why)), 0, "%s", why);
	v = t_slurp(p, NULL);
	cr_expect_str_eq(v, "good");
	free(v);
	v = t_slurp(victim, NULL);
	cr_expect_str_eq(v, "precious");
	free(v);
	t_rmtree(d);
}

Test(clilib, the_atomic_writer_makes_parents_replaces_whole_and_leaves_no_temporary_file)
{
	char d[64], p[160], why[1024];
	t_mkdtemp(d, sizeof(d), "atomic");
	snprintf(p, sizeof(p), "%s/a/b/out.txt", d);
	cr_assert_eq(cli_write_atomic(p, "first", 5, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(cli_write_atomic(p, "second\n", 7, why, sizeof(why)), 0, "%s", why);
	size_t n;
	char *got = t_slurp(p, &n);
	cr_assert_eq(n, 7);
	cr_assert_str_eq(got, "second\n");
	free(got);
	cr_assert_eq(t_sh("test $(ls -A '%s/a/b' | wc -l) = 1", d), 0, "a temporary file was left");

	/* A folder in the way: the write fails, names the file and why, and leaves nothing. */
	snprintf(p, sizeof(p), "%s/a", d);
	cr_assert_eq(cli_write_atomic(p, "x", 1, why, sizeof(why)), -1);
	cr_assert(strstr(why, "/a: Is a directory"), "%s", why);
	snprintf(p, sizeof(p), "%s/a/b/out.txt/c", d);
	cr_assert_eq(cli_write_atomic(p, "x", 1, why, sizeof(why)), -1);
	cr_assert(strstr(why, "out.txt/c: Not a directory"), "%s", why);
	cr_assert_eq(t_sh("test $(find '%s' -name '*.otiose-tmp-*' | wc -l) = 0", d), 0);

	/* What a killed writer left is swept away, and nothing else. */
	cr_assert_eq(t_sh("printf x > '%s/a/b/.otiose-tmp-1-2' && printf y > '%s/keep.txt'", d, d), 0);
	cli_remove_temps(d, 0);
	cr_assert_eq(t_sh("test ! -e '%s/a/b/.otiose-tmp-1-2' && test -e '%s/keep.txt' && "
	                  "test -e '%s/a/b/out.txt'",
	                  d, d, d),
	             0);
	t_rmtree(d);
}

Test(clilib, the_input_reader_reads_by_extension_within_the_limit)
{
	char d[64], p[160];
	t_mkdtemp(d, sizeof(d), "input");
	cli_input in;
	otz_error err = {0, ""};
	cli_read_opts o = {0, CLI_INPUT_AUTO, 0}, o40 = {40, CLI_INPUT_AUTO, 0};

	/* Markdown: the text a reader sees; size and hash are of the bytes read. */
	snprintf(p, sizeof(p), "%s/a.md", d);
	t_spit(p, "# Ninja\nWe need **one**.\n", 25);
	cr_assert_eq(cli_input_read(p, &o, &in, &err), 0, "%s", err.msg);
	cr_assert_str_eq(in.text, "Ninja\nWe need one.\n");
	cr_assert_eq(in.len, 19);
	cr_assert_eq(in.size, 25);
	cr_assert_eq(in.hash, cli_hash("# Ninja\nWe need **one**.\n", 25));
	cr_assert_null(in.title);
	cli_input_dispose(&in);

	/* Text and HTML whole: the engine's normalizer reads their markup. */
	snprintf(p, sizeof(p), "%s/a.html", d);
	t_spit(p, "<h1>Ninja</h1> **x**", 20);
	cr_assert_eq(cli_input_read(p, &o, &in, &err), 0, "%s", err.msg);
	cr_assert_str_eq(in.text, "<h1>Ninja</h1> **x**");
	cli_input_dispose(&in);

	snprintf(p, sizeof(p), "%s/b.json", d);
	t_spit(p, "{\"title\": \"Ninja\",\n \"text\": \"We need one.\"}\n", 43);
	cr_assert_eq(cli_input_read(p, &o, &in, &err), 0, "%s", err.msg);
	cr_assert_str_eq(in.text, "We need one.");
	cr_assert_eq(in.len, 12);
	cr_assert_str_eq(in.title, "Ninja");
	cr_assert_eq(in.size, 43, "size is the bytes read, for the batch's sidecar");
	cli_input_dispose(&in);

	/* Over the limit: refused, never truncated; the message names the file. */
	cr_assert_eq(cli_input_read(p, &o40, &in, &err), OTZ_ELIMIT);
	cr_assert(strstr(err.msg, "b.json: ") == err.msg + strlen(d) + 1, "%s", err.msg);
	cr_assert_null(in.text);

	/* JSON that gives no JD: the rule's message, after the file's name. */
	t_spit(p, "{\"text\": 5}", 11);
	cr_assert_neq(cli_input_read(p, &o, &in, &err), 0);
	cr_assert(strstr(err.msg, "b.json: \"text\" is not a string"), "%s", err.msg);
	cr_assert_null(in.text);
	t_spit(p, "[1]", 3);
	cr_assert_neq(cli_input_read(p, &o, &in, &err), 0);
	cr_assert(strstr(err.msg, "b.json: not a JSON object"), "%s", err.msg);
	t_spit(p, "{\"text\":", 8);
	cr_assert_neq(cli_input_read(p, &o, &in, &err), 0);
	cr_assert(strstr(err.msg, "b.json: invalid JSON at line 1, column 8: "), "%s", err.msg);
	t_spit(p, "{\"text\": \"x\",\n \"title\": }", 25);
	cr_assert_neq(cli_input_read(p, &o, &in, &err), 0);
	cr_assert(strstr(err.msg, "b.json: invalid JSON at line 2, column 11: unexpected token"),
	          "%s", err.msg);

	/* A missing file: the system's reason. */
	snprintf(p, sizeof(p), "%s/none.txt", d);
	cr_assert_eq(cli_input_read(p, &o, &in, &err), OTZ_EIO);
	cr_assert(strstr(err.msg, "none.txt: No such file or directory"), "%s", err.msg);

	cr_assert(cli_is_input_name("a.txt") && cli_is_input_name("a.md") &&
	          cli_is_input_name("a.html") && cli_is_input_name("a.json"));
	cr_assert(!cli_is_input_name("a.csv") && !cli_is_input_name(".txt") &&
	          !cli_is_input_name("txt") && !cli_is_input_name("a.htm"));
	t_rmtree(d);
}

/* --input-format names the formats as the readers do, one list for every
 * command, and overrides the extension. */
Test(clilib, the_input_format_overrides_the_extension)
{
	cli_input_format f;
	static const struct {
		const char *name;
		cli_input_format f;
	} ok[] = {{"txt", CLI_INPUT_TXT},  {"text", CLI_INPUT_TXT}, {"md", CLI_INPUT_MD},
	          {"markdown", CLI_INPUT_MD}, {"html", CLI_INPUT_HTML}, {"json", CLI_INPUT_JSON}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert_eq(cli_parse_input_format(ok[i].name, &f), 0, "%s", ok[i].name);
		cr_assert_eq(f, ok[i].f, "%s", ok[i].name);
	}
	cr_assert_neq(cli_parse_input_format("pdf", &f), 0);
	cr_assert_neq(cli_parse_input_format("", &f), 0);
	cr_assert_neq(cli_parse_input_format("auto", &f), 0);
	cr_assert_str_eq(cli_input_format_name(CLI_INPUT_MD), "md");
	cr_assert_str_eq(cli_input_format_name(CLI_INPUT_AUTO), "auto");

	char d[64], p[160];
	t_mkdtemp(d, sizeof(d), "inputfmt");
	cli_input in;
	otz_error err = {0, ""};
	cli_read_opts o = {0, CLI_INPUT_MD, 0};
	snprintf(p, sizeof(p), "%s/a.txt", d);
	t_spit(p, "## Ninja\n* one\n", 15);
	cr_assert_eq(cli_input_read(p, &o, &in, &err), 0, "%s", err.msg);
	cr_assert_str_eq(in.text, "Ninja\n- one\n");
	cli_input_dispose(&in);
	o.format = CLI_INPUT_JSON;
	cr_assert_neq(cli_input_read(p, &o, &in, &err), 0);
	cr_assert(strstr(err.msg, "a.txt: invalid JSON at line 1, column 1: "), "%s", err.msg);
	t_spit(p, "{\"description\": \"We need one.\"}", 31);
	cr_assert_eq(cli_input_read(p, &o, &in, &err), 0, "%s", err.msg);
	cr_assert_str_eq(in.text, "We need one.");
	cli_input_dispose(&in);

	snprintf(p, sizeof(p), "%s/b.md", d);
	t_spit(p, "## Ninja\n", 9);
	o.format = CLI_INPUT_TXT;
	cr_assert_eq(cli_input_read(p, &o, &in, &err), 0, "%s", err.msg);
	cr_assert_str_eq(in.text, "## Ninja\n");
	cli_input_dispose(&in);

	/* Bytes the engine refuses reach it as they were read, so that the
	 * offset it names is the file's; with --lossy the Markdown is read. */
	t_spit(p, "**a**\n\xff b", 9);
	o.format = CLI_INPUT_AUTO;
	cr_assert_eq(cli_input_read(p, &o, &in, &err), 0, "%s", err.msg);
	cr_assert_eq(in.len, 9);
	cr_assert(memcmp(in.text, "**a**\n\xff b", 9) == 0);
	cli_input_dispose(&in);
	o.lossy = 1;
	cr_assert_eq(cli_input_read(p, &o, &in, &err), 0, "%s", err.msg);
	cr_assert_str_eq(in.text, "a \xff b\n"); /* a soft break is a space */
	cli_input_dispose(&in);
	t_rmtree(d);
}

/* The normalized, segmented text of a Markdown file as the engine sees it. */
static void md_segments(const char *md, otz_text *t, otz_segment **segs, size_t *n)
{
	char *text, why[256];
	size_t len;
	otz_error err = {0, ""};
	cr_assert_eq(cli_md_text(md, strlen(md), &text, &len, why, sizeof(why)), 0, "%s", why);
	otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
	no.casefold = 0;
	cr_assert_eq(otz_normalize(t, text, len, &no, &err), 0, "%s", err.msg);
	cr_assert_eq(otz_segment_text(segs, n, t->s, t->len, &err), 0, "%s", err.msg);
	free(text);
}

/* A Markdown posting becomes the text a reader sees: headings a line of
 * their own, markup gone, every list item (at any depth, bullet or number)
 * a list item for the segmenter, links their words, images nothing. */
Test(clilib, markdown_becomes_the_text_a_reader_sees)
{
	size_t n, len;
	char *md = t_read_rel("tests/data", "posting.md", &len);
	cr_assert_not_null(md);
	char *text, why[256];
	cr_assert_eq(cli_md_text(md, len, &text, &len, why, sizeof(why)), 0, "%s", why);
	cr_assert_str_eq(text, "Senior Growth Ninja\n"
	                       "We are a fast-paced startup looking for a rockstar who can own the "
	                       "roadmap from day one.\n"
	                       "Responsibilities\n"
	                       "- Drive synergy across teams\n"
	                       "- Own the North Star metric\n"
	                       "- Report the Experiment Win Rate to the exec team\n"
	                       "- Wear many hats\n"
	                       "- Be a self-starter who thrives in ambiguity\n"
	                       "We work hard and play hard.\n"
	                       "Perk | Detail\n"
	                       "Snacks | Unlimited\n"
	                       "&hearts; Unlimited PTO &amp; snacks!\n");
	free(text);

	otz_text t;
	otz_segment *segs;
	md_segments(md, &t, &segs, &n);
	static const char *const items[] = {"Drive synergy across teams", "Own the North Star metric",
	                                    "Report the Experiment Win Rate to the exec team",
	                                    "Wear many hats",
	                                    "Be a self-starter who thrives in ambiguity",
	                                    "Unlimited PTO & snacks!"};
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (segs[i].kind != OTZ_SEG_ITEM)
			continue;
		cr_assert_lt(k, 6, "more items than the posting lists");
		cr_expect(strlen(items[k]) == segs[i].end - segs[i].start &&
		              memcmp(t.s + segs[i].start, items[k], strlen(items[k])) == 0,
		          "item %zu: '%.*s'", k, (int)(segs[i].end - segs[i].start), t.s + segs[i].start);
		k++;
	}
	cr_assert_eq(k, 6, "%zu items", k);
	cr_assert_eq(segs[0].kind, OTZ_SEG_SENTENCE);
	cr_assert(memcmp(t.s + segs[0].start, "Senior Growth Ninja", 19) == 0 && segs[0].end == 19);
	free(segs);
	otz_text_dispose(&t);
	free(md);

	/* What Markdown escapes stays text: the normalizer does not read "\<b>"
	 * as a tag, nor "\&amp;" as an entity; real entities and HTML are its. */
	md_segments("\\<b\\> and \\&amp; and `<i>` and <u>u</u> &excl;", &t, &segs, &n);
	cr_assert_str_eq(t.s, "<b> and &amp; and <i> and u !");
	free(segs);
	otz_text_dispose(&t);
	md_segments("- a\n  - b\n\n    1) c\n- [x] done\n- - d\n", &t, &segs, &n);
	cr_assert_str_eq(t.s, "- a\n- b\n- c\n- done\n- d");
	free(segs);
	otz_text_dispose(&t);
}

/* CPU seconds spent converting md[0..n). */
static double md_seconds(const char *md, size_t n)
{
	char *text, why[256];
	size_t len;
	clock_t c0 = clock();
	cr_assert_eq(cli_md_text(md, n, &text, &len, why, sizeof(why)), 0, "%s", why);
	double s = (double)(clock() - c0) / CLOCKS_PER_SEC;
	free(text);
	return s;
}

/* [DoS] The shapes that make Markdown parsers quadratic (runs of emphasis
 * markers, unclosed brackets and links, deep block quotes and lists, code
 * span backticks, entities) are read in linear time: 400 KB of each in well
 * under a second (a quadratic reader takes minutes). */
Test(clilib, markdown_is_read_in_linear_time)
{
	static const char *const units[] = {"*", "_", ">", "[", "[a](", "*a **b _c ", "`a ``b ",
	                                    "> - ", "* ", "![", "<a ", "&", "&hearts",
	                                    "[a]: /u\n[a]"};
	size_t n = 400000;
	char *md = malloc(n + 1);
	cr_assert_not_null(md);
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		size_t ul = strlen(units[u]), k = 0;
		while (k + ul <= n) {
			memcpy(md + k, units[u], ul);
			k += ul;
		}
		md[k] = '\0';
		double s = md_seconds(md, k);
		cr_expect_lt(s, 4.0, "'%s' x %zu: %.2f s", units[u], k / ul, s);
	}
	/* 200,000 '*' and 200,000 nested '>' alone, as the issue names them */
	memset(md, '*', 200000);
	cr_expect_lt(md_seconds(md, 200000), 2.0);
	memset(md, '>', 200000);
	memcpy(md + 200000, " x", 2);
	cr_expect_lt(md_seconds(md, 200002), 2.0);
	free(md);
}

/* ---- wrapping text records for a terminal ----------------------------- */

static char *wrap(const char *s, size_t width)
{
	size_t n = 0;
	char *w = cli_wrap(s, strlen(s), width, &n);
	cr_assert_not_null(w);
	cr_assert_eq(strlen(w), n, "the length is the NUL's place");
	return w;
}

#define WRAPS_TO(s, width, want)                                                          \
	do {                                                                                  \
		char *got_ = wrap((s), (width));                                                  \
		cr_assert_str_eq(got_, (want), "at %d", (int)(width));                            \
		free(got_);                                                                       \
	} while (0)

Test(clilib, wrap_breaks_at_spaces_and_indents_continuations)
{
	/* Lines that fit, and width 0, come out byte for byte. */
	static const char rec[] = "FLIGHT RISK: 85% (HIGH RISK)\n\nSYSTEM MATCH: 98%\nend";
	WRAPS_TO(rec, 0, rec);
	WRAPS_TO(rec, 28, rec);
	WRAPS_TO("", 20, "");
	WRAPS_TO("\n\n", 20, "\n\n");
	/* At 20 columns: the break eats the space, the next row is indented
	 * two columns, and the record's line ends stay where they were. */
	WRAPS_TO("* one two three four five six seven eight\nnext line\n", 20,
	         "* one two three four\n  five six seven\n  eight\nnext line\n");
	/* A row exactly as wide as the width is not broken. */
	WRAPS_TO("abcde fghij klmno pq", 20, "abcde fghij klmno pq");
	WRAPS_TO("abcde fghij klmno pqr", 20, "abcde fghij klmno\n  pqr");
	/* Runs of spaces inside a row are kept; the line's own indent too. */
	WRAPS_TO("  a  b", 20, "  a  b");
	/* Below 20 columns there is no room for an indent. */
	WRAPS_TO("aa bb cc", 5, "aa bb\ncc");
}

Test(clilib, wrap_cuts_a_word_longer_than_a_row)
{
	WRAPS_TO("abcdefghij", 4, "abcd\nefgh\nij");
	/* after a word, the long one starts a row of its own, then is cut */
	WRAPS_TO("xy abcdefghijklmnopqrstuvwxyz0123456789", 20,
	         "xy\n  abcdefghijklmnopqr\n  stuvwxyz0123456789");
	/* a width of 1 still makes progress */
	WRAPS_TO("ab c", 1, "a\nb\nc");
}

Test(clilib, wrap_counts_columns_not_bytes)
{
	/* Colour codes take no columns: the same breaks as without them. */
	WRAPS_TO("\x1b[1mFLIGHT RISK:\x1b[0m 85% (HIGH RISK)", 21,
	         "\x1b[1mFLIGHT RISK:\x1b[0m 85%\n  (HIGH RISK)");
	/* Two-byte characters (é, ·, —) are one column each: 10 of them fit in 10. */
	WRAPS_TO("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 10,
	         "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	/* A combining accent takes none. */
	WRAPS_TO("e\xcc\x81" "e\xcc\x81" "e\xcc\x81 ab", 6, "e\xcc\x81" "e\xcc\x81" "e\xcc\x81 ab");
	/* Wide characters (CJK) take two: three of them are six columns. */
	WRAPS_TO("\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2 ab", 8, "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\nab");
	WRAPS_TO("\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2", 4, "\xe6\xbc\xa2\xe5\xad\x97\n\xe6\xbc\xa2");
	/* A character is never cut in the middle, even a byte that is not UTF-8. */
	WRAPS_TO("\xff\xfe\xfd", 2, "\xff\xfe\n\xfd");
}

Test(clilib, terminal_width_is_zero_off_a_terminal)
{
	FILE *f = tmpfile();
	cr_assert_not_null(f);
	setenv("COLUMNS", "33", 1);
	cr_assert_eq(cli_term_width(f), 0, "a file is not wrapped");
	fclose(f);
	int p[2];
	cr_assert_eq(pipe(p), 0);
	FILE *w = fdopen(p[1], "w");
	cr_assert_eq(cli_term_width(w), 0, "a pipe is not wrapped");
	fclose(w);
	close(p[0]);
	unsetenv("COLUMNS");
}
