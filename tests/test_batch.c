/*
 * test_batch.c - end-to-end tests of `otiose batch`.
 *
 * The real binary ($OTIOSE_BIN) over real folders: generated postings
 * (`otiose bench --generate --write`), JSON inputs, a symbolic link loop, a
 * dangling link and a bad JSON file among good ones.  Checks the exit codes,
 * the mirrored outputs and sidecars, the summary, the skip on rerun, and
 * that a batch interrupted with SIGINT and run again ends with exactly the
 * folder an uninterrupted batch makes.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "support.h"

static char tmp[64];

static void setup(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/otz-batch-XXXXXX");
	cr_assert(mkdtemp(tmp));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	cr_assert_eq(system(cmd), 0);
}

/* Run a shell command line; its exit status. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (n + 4097 > cap) {
			cap = cap ? cap * 2 : 8192;
			b = realloc(b, cap);
		}
		got = fread(b + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	fclose(f);
	b[n] = '\0';
	return b;
}

static size_t count_files(const char *dir, const char *suffix)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "find '%s' -type f -name '*%s' | wc -l", dir, suffix);
	FILE *p = popen(cmd, "r");
	size_t n = 0;
	cr_assert(p);
	cr_assert_eq(fscanf(p, "%zu", &n), 1);
	pclose(p);
	return n;
}

TestSuite(batch, .init = setup, .fini = teardown, .timeout = 240);

Test(batch, a_folder_with_bad_inputs_among_good_ones)
{
	cr_assert_eq(t_sh("'%s' bench --generate 12 --seed 3 --write '%s/in' 2>/dev/null", t_bin(), tmp), 0);
	cr_assert_eq(t_sh("mkdir -p '%s/in/sub' && mv '%s'/in/00000[1-4].txt '%s/in/sub/' && "
	                "ln -s '%s/in' '%s/in/sub/loop' && ln -s '%s/nowhere.txt' '%s/in/dangling.txt' && "
	                "printf '{\"title\":\"Data Scientist\",\"text\":\"We need a rockstar data ninja.\"}' > '%s/in/a.json' && "
	                "printf '{\"title\":\"x\"}' > '%s/in/b.json' && printf 'ignored' > '%s/in/c.csv'",
	                tmp, tmp, tmp, tmp, tmp, tmp, tmp, tmp, tmp, tmp),
	             0);
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s/out' -j 2 > '%s/stdout' 2> '%s/stderr'", t_bin(), tmp,
	                tmp, tmp, tmp),
	             1);
	char p[256];
	snprintf(p, sizeof(p), "%s/stdout", tmp);
	char *out = slurp(p);
	cr_assert(strstr(out, "14 inputs: 13 translated, 0 up to date, 1 failed, 2 skipped while walking"), "%s", out);
	cr_assert(strstr(out, "in/sub/loop: a folder already walked (a loop of links) (skipped)"), "%s",
	          out);
	cr_assert(strstr(out, "in/dangling.txt: dangling symbolic link (skipped)"), "%s", out);
	cr_assert(strstr(out, "error: b.json: no \"text\" or \"description\" string field"), "%s", out);
	free(out);
	/* Outputs mirror the tree; the JSON input used its title. */
	snprintf(p, sizeof(p), "%s/out/sub/000001.txt.txt", tmp);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0, "no mirrored output %s", p);
	snprintf(p, sizeof(p), "%s/out/a.json.txt", tmp);
	char *rec = slurp(p);
	cr_assert(rec && strncmp(rec, "FILE RECORD: DATA-SCIENTIST\n", 28) == 0, "%.60s", rec);
	free(rec);
	cr_assert_eq(count_files(tmp, ".otiose-tmp-*"), 0);
	/* The summary counts every input and ranks the translated ones. */
	snprintf(p, sizeof(p), "%s/out/summary.json", tmp);
	json_t *s = json_load_file(p, 0, NULL);
	cr_assert(s);
	json_t *c = json_object_get(s, "counts");
	cr_assert_eq(json_integer_value(json_object_get(c, "inputs")), 14);
	cr_assert_eq(json_integer_value(json_object_get(c, "translated")), 13);
	cr_assert_eq(json_integer_value(json_object_get(c, "failed")), 1);
	json_t *rk = json_object_get(s, "ranking");
	cr_assert_eq(json_array_size(rk), 13);
	for (size_t i = 1; i < json_array_size(rk); i++)
		cr_assert(json_integer_value(json_object_get(json_array_get(rk, i - 1), "otiose_index")) >=
		          json_integer_value(json_object_get(json_array_get(rk, i), "otiose_index")));
	cr_assert(json_array_size(json_object_get(s, "translations")) > 0);
	cr_assert(json_array_size(json_object_get(s, "specimens")) > 0);
	json_decref(s);

	/* A rerun skips what is done, and --force redoes it. */
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s/out' -q 2> '%s/stderr2'; test $? = 1", t_bin(), tmp,
	                tmp, tmp),
	             0);
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s/out' 2>&1 >/dev/null | grep -q '13 of them were already up to date'",
	                t_bin(), tmp, tmp),
	             0);
	cr_assert_eq(t_sh("'%s' batch --force '%s/in' -o '%s/out' 2>&1 >/dev/null | grep -q 'already up to date'",
	                t_bin(), tmp, tmp),
	             1);
}

/* The summary's metrics are the postings' own: the role's usual ones,
 * listed in a record whose posting names none, are not counted. */
Test(batch, the_summary_counts_no_borrowed_metric)
{
	cr_assert_eq(t_sh("mkdir -p '%s/mi' && cp '%s/tests/records/long-title.jd' '%s/mi/m.txt' && "
	                  "'%s' batch -q -f json '%s/mi' -o '%s/mo' >/dev/null",
	                  tmp, t_root(), tmp, t_bin(), tmp, tmp),
	             0);
	char p[256];
	snprintf(p, sizeof(p), "%s/mo/m.txt.json", tmp);
	json_t *r = json_load_file(p, 0, NULL);
	cr_assert(r);
	json_t *m = json_object_get(r, "metrics");
	cr_assert_gt(json_array_size(m), 0, "the record lists the role's usual metrics");
	cr_assert(json_is_true(json_object_get(json_array_get(m, 0), "usual")));
	json_decref(r);
	snprintf(p, sizeof(p), "%s/mo/summary.json", tmp);
	json_t *s = json_load_file(p, 0, NULL);
	cr_assert(s);
	cr_expect_eq(json_array_size(json_object_get(s, "metrics")), 0);
	json_decref(s);
}

Test(batch, usage_errors)
{
	cr_assert_eq(t_sh("'%s' batch '%s' 2>/dev/null", t_bin(), tmp), 2); /* no -o */
	cr_assert_eq(t_sh("'%s' batch -o '%s/o' 2>/dev/null", t_bin(), tmp), 2);
	cr_assert_eq(t_sh("'%s' batch '%s' -o '%s/o' -j 0 2>/dev/null", t_bin(), tmp, tmp), 2);
	cr_assert_eq(t_sh("'%s' batch '%s/missing' -o '%s/o' 2>/dev/null", t_bin(), tmp, tmp), 1);
	cr_assert_eq(t_sh("'%s' batch --help | grep -q 'usage: otiose batch'", t_bin()), 0);
}

/* Count the sidecars written so far. */
static size_t done_so_far(const char *out)
{
	char d[256];
	snprintf(d, sizeof(d), "%s/.otiose", out);
	DIR *dir = opendir(d);
	size_t n = 0;
	if (!dir)
		return 0;
	struct dirent *de;
	while ((de = readdir(dir)))
		n += de->d_name[0] != '.';
	closedir(dir);
	return n;
}

Test(batch, interrupted_and_resumed_equals_uninterrupted)
{
	/* 200 postings: enough that an interrupt lands mid-run, few enough that
	 * three batches of them fit the suite's timeout under valgrind, beside
	 * the other interrupted batch of the suite */
	cr_assert_eq(t_sh("'%s' bench --generate 200 --seed 11 --write '%s/in' 2>/dev/null", t_bin(), tmp), 0);
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s/whole' -q -j 2 --format json", t_bin(), tmp, tmp), 0);

	char out[128];
	snprintf(out, sizeof(out), "%s/part", tmp);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		char in[128];
		snprintf(in, sizeof(in), "%s/in", tmp);
		execl(t_bin(), "otiose", "batch", in, "-o", out, "-q", "-j", "2", "--format", "json",
		      (char *)NULL);
		_exit(127);
	}
	/* Interrupt once some, not all, are written. */
	for (int i = 0; i < 30000 && done_so_far(out) < 20; i++) { /* up to 60 s, for valgrind */
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGINT);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st));
	cr_assert_eq(WEXITSTATUS(st), 130, "the batch was not interrupted (exit %d)", WEXITSTATUS(st));
	size_t part = done_so_far(out);
	cr_assert(part >= 20 && part < 200, "%zu done when interrupted", part);
	/* Only whole files: every output written so far parses. */
	cr_assert_eq(count_files(out, ".otiose-tmp-*"), 0);
	cr_assert_eq(t_sh("cd '%s' && for f in $(find . -name '*.json.json'); do python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \"$f\" || exit 1; done",
	                out),
	             0);
	/* The rerun finishes the job, and the folder is the same to the byte
	 * (but for the lock, which names the last batch's PID), the summary
	 * too but for its counts: the rerun translated only what was left and
	 * says how many it found up to date. */
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s' -q -j 2 --format json", t_bin(), tmp, out), 0);
	cr_assert_eq(t_sh("diff -r -x .otiose-lock -x 'summary.*' '%s/whole' '%s' > /dev/null", tmp, out),
	             0, "resumed output differs from an uninterrupted run");
	cr_assert_eq(t_sh("cd '%s' && tail -n +2 whole/summary.txt > w.txt && tail -n +2 '%s/summary.txt' > p.txt && "
	                  "cmp w.txt p.txt && sed '/\"translated\"\\|\"up_to_date\"/d' whole/summary.json > w.json && "
	                  "sed '/\"translated\"\\|\"up_to_date\"/d' '%s/summary.json' > p.json && cmp w.json p.json",
	                  tmp, out, out),
	             0, "the summaries differ in more than their counts");
	char p[256];
	snprintf(p, sizeof(p), "%s/summary.json", out);
	json_t *s = json_load_file(p, 0, NULL);
	json_t *c = json_object_get(s, "counts");
	cr_assert_eq(json_integer_value(json_object_get(c, "up_to_date")), (json_int_t)part);
	cr_assert_eq(json_integer_value(json_object_get(c, "translated")), (json_int_t)(200 - part));
	json_decref(s);
	snprintf(p, sizeof(p), "%s/whole/summary.txt", tmp);
	char *t = slurp(p);
	cr_assert(strncmp(t, "200 inputs: 200 translated, 0 up to date, 0 failed,", 51) == 0, "%s", t);
	free(t);
}

Test(batch, a_csv_export)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/board.csv", tmp);
	FILE *f = fopen(p, "w");
	cr_assert(f);
	fputs("id,job title,body\n"
	      "1,Data Scientist,\"We need a rockstar data ninja.\nDrive synergy, with \"\"passion\"\".\"\n"
	      "2,Scrum Master,\"Facilitate agile ceremonies and remove blockers for the team.\"\n"
	      "3,Empty,\n",
	      f);
	fclose(f);
	cr_assert_eq(t_sh("'%s' batch --csv '%s' --text-col body --title-col 'job title' -o '%s/out' -q 2> '%s/err'",
	                t_bin(), p, tmp, tmp),
	             1);
	snprintf(p, sizeof(p), "%s/err", tmp);
	char *err = slurp(p);
	/* A row is named by its row, line and id, not by a file of the spool. */
	cr_assert(strstr(err, "board.csv row 3 (line 5), id 3: empty input"), "%s", err);
	free(err);
	/* The multi-line quoted row is one posting, with its title; outputs are
	 * named by the CSV and the row's id. */
	snprintf(p, sizeof(p), "%s/out/board/1.txt", tmp);
	char *rec = slurp(p);
	cr_assert(rec && strncmp(rec, "FILE RECORD: DATA-SCIENTIST\n", 28) == 0, "%.80s", rec);
	cr_assert(strstr(rec, "\"Drive synergy, with \"passion\".\""), "%s", rec);
	free(rec);
	snprintf(p, sizeof(p), "%s/out/board/2.txt", tmp);
	rec = slurp(p);
	cr_assert(rec && strncmp(rec, "FILE RECORD: SCRUM-MASTER\n", 26) == 0);
	free(rec);
	/* Unchanged rows are not redone; a column that is not there is a usage error. */
	cr_assert_eq(t_sh("'%s' batch --csv '%s/board.csv' --text-col body --title-col 'job title' -o '%s/out' 2>&1 >/dev/null | grep -q '2 of them were already up to date'",
	                t_bin(), tmp, tmp),
	             0);
	cr_assert_eq(t_sh("'%s' batch --csv '%s/board.csv' --text-col nope -o '%s/out2' 2>/dev/null", t_bin(),
	                tmp, tmp),
	             2);
}

/* A JSON input is read by one rule in batch and in translate --jsonl: a "text"
 * that is not a string is an error, not a reason to read "description". */
Test(batch, json_inputs_follow_the_jsonl_rule)
{
	cr_assert_eq(t_sh("mkdir -p '%s/in' && "
	                  "printf '{\"text\":5,\"description\":\"We need a rockstar ninja.\"}' > '%s/in/n.json' && "
	                  "printf '{\"text\":\"We need a rockstar ninja.\",\"title\":[1]}' > '%s/in/t.json' && "
	                  "printf '{\"text\":null,\"description\":\"We need a rockstar ninja.\"}' > '%s/in/d.json'",
	                  tmp, tmp, tmp, tmp),
	             0);
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s/out' -q 2> '%s/err'", t_bin(), tmp, tmp, tmp), 1);
	char p[256];
	snprintf(p, sizeof(p), "%s/err", tmp);
	char *err = slurp(p);
	cr_assert(strstr(err, "n.json: \"text\" is not a string"), "%s", err);
	cr_assert(strstr(err, "t.json: \"title\" is not a string"), "%s", err);
	cr_assert_null(strstr(err, "d.json"), "%s", err);
	free(err);
	cr_assert_eq(t_sh("for f in '%s'/in/*.json; do cat \"$f\"; echo; done | '%s' translate --jsonl > '%s/jl' 2>/dev/null; test $? = 1",
	                  tmp, t_bin(), tmp),
	             0);
	snprintf(p, sizeof(p), "%s/jl", tmp);
	char *jl = slurp(p);
	cr_assert(strstr(jl, "{\"line\":2,\"error\":\"\\\"text\\\" is not a string\"}"), "%s", jl);
	cr_assert(strstr(jl, "{\"line\":3,\"error\":\"\\\"title\\\" is not a string\"}"), "%s", jl);
	cr_assert(strstr(jl, "{\"id\":null,\"record\":"), "%s", jl);
	free(jl);
}

/* A CSV that cannot be read to its end fails the batch (exit 1, in the summary). */
Test(batch, a_csv_that_stops_early_fails_the_batch)
{
	cr_assert_eq(t_sh("printf '' > '%s/empty.csv' && printf 'a,\"b\\n1,2\\n' > '%s/quote.csv'", tmp, tmp), 0);
	cr_assert_eq(t_sh("'%s' batch --csv '%s/empty.csv' -o '%s/o1' -q 2> '%s/err1'", t_bin(), tmp, tmp, tmp), 1);
	cr_assert_eq(t_sh("'%s' batch --csv '%s/quote.csv' -o '%s/o2' > '%s/out2' 2>/dev/null", t_bin(), tmp, tmp, tmp), 1);
	char p[256];
	snprintf(p, sizeof(p), "%s/err1", tmp);
	char *err = slurp(p);
	cr_assert(strstr(err, "empty.csv: no header row (the file is empty)"), "%s", err);
	free(err);
	snprintf(p, sizeof(p), "%s/out2", tmp);
	char *out = slurp(p);
	cr_assert(strstr(out, "quote.csv: line 1: the header has a quoted field that is never closed"), "%s", out);
	free(out);
	snprintf(p, sizeof(p), "%s/o2/summary.json", tmp);
	char *sum = slurp(p);
	cr_assert(sum && strstr(sum, "never closed"), "%s", sum);
	free(sum);
}

/* index.html escapes what a title may hold, the apostrophe among it, as the records do. */
Test(batch, html_index_escapes_titles)
{
	cr_assert_eq(t_sh("mkdir -p '%s/in' && printf '{\"title\":\"Rock'\\''n'\\''Roll <Ninja> & \\\"Co\\\"\",\"text\":\"We need a "
	                  "rockstar ninja.\"}' > '%s/in/a.json'",
	                  tmp, tmp),
	             0);
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s/out' -q --format html", t_bin(), tmp, tmp), 0);
	char p[256];
	snprintf(p, sizeof(p), "%s/out/index.html", tmp);
	char *html = slurp(p);
	cr_assert(html);
	cr_assert(strstr(html, "<td>Rock&#39;n&#39;Roll &lt;Ninja&gt; &amp; &quot;Co&quot;</td>"), "%s", html);
	cr_assert_null(strstr(html, "Rock'n"), "an apostrophe left as it is");
	free(html);
}

/* The summary tells what this run translated from what it skipped as up to
 * date, in all three forms; a title too long for its column is cut after a
 * whole character and ends with "…", and the columns stay aligned. */
Test(batch, summary_counts_up_to_date_and_cuts_titles_with_an_ellipsis)
{
	cr_assert_eq(t_sh("mkdir -p '%s/in' && "
	                  "printf '{\"title\":\"Senior Principal Staff Distinguished Ing\xc3\xa9nieur \xc3\x84rztliche Leitung\",\"text\":\"We need a rockstar ninja.\"}' > '%s/in/a.json' && "
	                  "printf '{\"title\":\"Senior Principal Staff Distinguished \xc3\xa9\xc3\xa9\xc3\xa9 Engineer\",\"text\":\"We need a rockstar ninja.\"}' > '%s/in/b.json' && "
	                  "printf '{\"title\":\"Data Scientist\",\"text\":\"We need a rockstar ninja.\"}' > '%s/in/c.json'",
	                  tmp, tmp, tmp, tmp),
	             0);
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s/out' -q --format html", t_bin(), tmp, tmp), 0);
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s/out' --format html > '%s/stdout' 2>/dev/null", t_bin(), tmp,
	                  tmp, tmp),
	             0);
	char p[256];
	snprintf(p, sizeof(p), "%s/stdout", tmp);
	char *out = slurp(p);
	cr_assert(strstr(out, "3 inputs: 0 translated, 3 up to date, 0 failed, 0 skipped while walking\n"),
	          "%s", out);
	/* 39 characters and the ellipsis, in a column of 40 */
	cr_assert(strstr(out, "  Senior Principal Staff Distinguished In\xe2\x80\xa6  "), "%s", out);
	/* two-byte characters count as one each, and the cut splits none */
	cr_assert(strstr(out, "  Senior Principal Staff Distinguished \xc3\xa9\xc3\xa9\xe2\x80\xa6  "), "%s",
	          out);
	cr_assert(strstr(out, "  Data Scientist                            "), "%s", out);
	cr_assert_eq(otz_utf8_invalid_at(out, strlen(out)), strlen(out), "%s", out);
	/* the title column is 40 characters wide on every row */
	const char *rows[] = {"Senior Principal Staff Distinguished In\xe2\x80\xa6",
	                      "Senior Principal Staff Distinguished \xc3\xa9\xc3\xa9\xe2\x80\xa6",
	                      "Data Scientist"};
	long col = -1;
	for (size_t i = 0; i < 3; i++) {
		const char *r = strstr(out, rows[i]);
		cr_assert(r);
		const char *sol = r;
		while (sol > out && sol[-1] != '\n')
			sol--;
		const char *after = r + strlen(rows[i]);
		long chars = 0;
		for (const char *q = sol; q < after; q++)
			chars += ((unsigned char)*q & 0xc0) != 0x80;
		while (*after == ' ')
			after++, chars++;
		if (col < 0)
			col = chars;
		cr_assert_eq(chars, col, "row %zu is not aligned:\n%s", i, out);
	}
	free(out);
	snprintf(p, sizeof(p), "%s/out/summary.txt", tmp);
	char *txt = slurp(p);
	cr_assert(strncmp(txt, "3 inputs: 0 translated, 3 up to date, 0 failed", 46) == 0, "%s", txt);
	free(txt);
	snprintf(p, sizeof(p), "%s/out/summary.json", tmp);
	json_t *s = json_load_file(p, 0, NULL);
	json_t *c = json_object_get(s, "counts");
	cr_assert_eq(json_integer_value(json_object_get(c, "translated")), 0);
	cr_assert_eq(json_integer_value(json_object_get(c, "up_to_date")), 3);
	json_decref(s);
	snprintf(p, sizeof(p), "%s/out/index.html", tmp);
	char *html = slurp(p);
	cr_assert(strstr(html, "3 inputs, 0 translated, 3 up to date, 0 failed."), "%s", html);
	free(html);
}

/* A folder with nothing to translate (empty, or holding no input a batch
 * reads) and a CSV with no row are said so and exit 1, not 0 as if all
 * were done; translate given a folder points to batch. */
Test(batch, nothing_to_translate_is_said_so)
{
	cr_assert_eq(t_sh("mkdir -p '%s/empty' '%s/other' && touch '%s/other/cv.pdf' '%s/other/.draft.txt' && "
	                  "printf 'title,text\\n' > '%s/header.csv'",
	                  tmp, tmp, tmp, tmp, tmp),
	             0);
	cr_assert_eq(t_sh("'%s' batch '%s/empty' -o '%s/o1' -q 2> '%s/e1'", t_bin(), tmp, tmp, tmp), 1);
	cr_assert_eq(t_sh("'%s' batch '%s/other' -o '%s/o2' > /dev/null 2> '%s/e2'", t_bin(), tmp, tmp, tmp), 1);
	cr_assert_eq(t_sh("'%s' batch --csv '%s/header.csv' -o '%s/o3' -q 2> '%s/e3'", t_bin(), tmp, tmp, tmp), 1);
	cr_assert_eq(t_sh("'%s' translate '%s/empty' > '%s/o4' 2> '%s/e4'", t_bin(), tmp, tmp, tmp), 1);
	char p[256];
	snprintf(p, sizeof(p), "%s/e1", tmp);
	char *e = slurp(p);
	cr_assert(strstr(e, "/empty: nothing to translate: no .txt, .md, .html or .json file below it\n"), "%s", e);
	free(e);
	snprintf(p, sizeof(p), "%s/e2", tmp);
	e = slurp(p);
	cr_assert(strstr(e, "/other: nothing to translate: no .txt, .md, .html or .json file below it "
	                    "(the summary lists what was passed over)"),
	          "%s", e);
	free(e);
	snprintf(p, sizeof(p), "%s/o2/summary.txt", tmp);
	e = slurp(p);
	cr_assert(strstr(e, "0 inputs: 0 translated, 0 up to date, 0 failed"), "%s", e);
	cr_assert(strstr(e, "/other/.draft.txt: hidden file (not read)"), "%s", e);
	free(e);
	snprintf(p, sizeof(p), "%s/e3", tmp);
	e = slurp(p);
	cr_assert(strstr(e, "header.csv: nothing to translate: no row after the header could be read"), "%s", e);
	free(e);
	snprintf(p, sizeof(p), "%s/e4", tmp);
	e = slurp(p);
	cr_assert(strstr(e, "/empty: a folder, not a file; 'otiose batch "), "%s", e);
	free(e);
}

/* Is a no older than b? */
static int not_older(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}

/* How many sidecars below out/.otiose are no older than `since`. */
static size_t sidecars_since(const char *out, const struct timespec *since)
{
	char d[256];
	snprintf(d, sizeof(d), "%s/.otiose", out);
	DIR *dir = opendir(d);
	size_t n = 0;
	struct dirent *de;
	while (dir && (de = readdir(dir))) {
		char p[600];
		struct stat st;
		snprintf(p, sizeof(p), "%s/%s", d, de->d_name);
		if (de->d_name[0] != '.' && stat(p, &st) == 0 && not_older(&st.st_mtim, since))
			n++;
	}
	if (dir)
		closedir(dir);
	return n;
}

/* A --force batch that was interrupted is resumed by its rerun with --force:
 * what it had redone is not redone again (it used to start over, so a large
 * forced batch interrupted twice never finished).  A rerun without --force
 * says the forced one is unfinished and leaves it so. */
Test(batch, an_interrupted_force_run_is_resumed)
{
	/* 120 postings, four batches of them: enough that an interrupt lands
	 * mid-run, few enough for the suite's timeout under valgrind. */
	enum { N = 120, SOME = 12 };
	cr_assert_eq(t_sh("'%s' bench --generate %d --seed 5 --write '%s/in' 2>/dev/null", t_bin(), N, tmp), 0);
	char out[128], marker[160];
	snprintf(out, sizeof(out), "%s/out", tmp);
	snprintf(marker, sizeof(marker), "%s/.otiose-force", out);
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s' -q -j 2", t_bin(), tmp, out), 0);

	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		char in[128];
		snprintf(in, sizeof(in), "%s/in", tmp);
		execl(t_bin(), "otiose", "batch", "--force", in, "-o", out, "-q", "-j", "2", (char *)NULL);
		_exit(127);
	}
	/* Interrupt once some, not all, are redone. */
	struct stat ms;
	for (int i = 0; i < 30000; i++) { /* up to 60 s, for valgrind */
		if (stat(marker, &ms) == 0 && sidecars_since(out, &ms.st_mtim) >= SOME)
			break;
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGINT);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st));
	cr_assert_eq(WEXITSTATUS(st), 130, "the batch was not interrupted (exit %d)", WEXITSTATUS(st));
	cr_assert_eq(stat(marker, &ms), 0, "no marker left by the interrupted --force run");
	size_t redone = sidecars_since(out, &ms.st_mtim);
	cr_assert(redone >= SOME && redone < N, "%zu redone when interrupted", redone);

	/* Without --force: nothing is redone, the forced run is said unfinished and stays so. */
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s' -j 2 > /dev/null 2> '%s/e1'", t_bin(), tmp, out, tmp), 0);
	char p[256];
	snprintf(p, sizeof(p), "%s/e1", tmp);
	char *e = slurp(p);
	cr_assert(strstr(e, "a --force batch into it was interrupted; run it again with --force"), "%s", e);
	char upto[64];
	snprintf(upto, sizeof(upto), "%d of them were already up to date", N);
	cr_assert(strstr(e, upto), "%s", e);
	free(e);
	cr_assert_eq(sidecars_since(out, &ms.st_mtim), redone);

	/* With --force: only the rest is redone, and the forced run is over. */
	cr_assert_eq(t_sh("'%s' batch --force '%s/in' -o '%s' -j 2 > '%s/o2' 2> '%s/e2'", t_bin(), tmp, out, tmp,
	                  tmp),
	             0);
	snprintf(p, sizeof(p), "%s/o2", tmp);
	char *o = slurp(p), want[128];
	snprintf(want, sizeof(want), "%d inputs: %zu translated, %zu up to date, 0 failed", N, N - redone,
	         redone);
	cr_assert(strstr(o, want), "want %s in\n%s", want, o);
	free(o);
	snprintf(p, sizeof(p), "%s/e2", tmp);
	e = slurp(p);
	cr_assert(strstr(e, "resuming the --force batch that was interrupted"), "%s", e);
	snprintf(want, sizeof(want), "%zu of them were already up to date (redone by the interrupted --force run",
	         redone);
	cr_assert(strstr(e, want), "%s", e);
	free(e);
	cr_assert_eq(sidecars_since(out, &ms.st_mtim), N, "not every input was redone");
	cr_assert_neq(stat(marker, &ms), 0, "the finished --force run left its marker");
	/* The next --force run starts over. */
	cr_assert_eq(t_sh("'%s' batch --force '%s/in' -o '%s' -j 2 2>&1 >/dev/null | grep -q 'up to date'", t_bin(),
	                  tmp, out),
	             1);
}

/* batch reads a folder's Markdown, HTML and JSON postings as translate
 * does: the same records, no markup in them; --input-format is one of the
 * options an output is made with, so changing it redoes the work; with
 * --csv, which reads its own format, it is a usage error. */
Test(batch, reads_markdown_html_and_json_as_translate_does)
{
	cr_assert_eq(t_sh("mkdir -p '%s/in' && cp '%s'/tests/data/posting.md '%s'/tests/data/posting.html "
	                  "'%s'/tests/data/posting.json '%s/in/'",
	                  tmp, t_root(), t_root(), t_root(), tmp),
	             0);
	cr_assert_eq(t_sh("'%s' batch -q '%s/in' -o '%s/out'", t_bin(), tmp, tmp), 0);
	static const char *const names[] = {"posting.md", "posting.html", "posting.json"};
	static const char *const firsts[] = {"FILE RECORD: SENIOR-GROWTH-NINJA\n",
	                                     "FILE RECORD: COMMUNITY-NINJA\n",
	                                     "FILE RECORD: GROWTH-NINJA\n"};
	char p[256];
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(t_sh("'%s' translate '%s/in/%s' > '%s/one' && cmp -s '%s/one' '%s/out/%s.txt'",
		                  t_bin(), tmp, names[i], tmp, tmp, tmp, names[i]),
		             0, "%s: batch and translate differ", names[i]);
		snprintf(p, sizeof(p), "%s/out/%s.txt", tmp, names[i]);
		char *rec = slurp(p);
		cr_assert(rec && strncmp(rec, firsts[i], strlen(firsts[i])) == 0, "%.80s", rec);
		cr_expect_null(strstr(rec, "**"), "%s", names[i]);
		cr_expect_null(strstr(rec, "&hearts;"), "%s", names[i]);
		cr_expect_null(strstr(rec, "\"description\""), "%s", names[i]);
		free(rec);
	}
	/* Another input format is another output: every input is redone. */
	cr_assert_eq(t_sh("'%s' batch '%s/in' -o '%s/out' > '%s/again' 2>&1", t_bin(), tmp, tmp, tmp), 0);
	snprintf(p, sizeof(p), "%s/again", tmp);
	char *again = slurp(p);
	cr_assert(strstr(again, "3 of them were already up to date"), "%s", again);
	free(again);
	cr_assert_eq(t_sh("'%s' batch --input-format txt '%s/in' -o '%s/out' > '%s/again' 2>&1", t_bin(),
	                  tmp, tmp, tmp),
	             0);
	again = slurp(p);
	cr_assert_null(strstr(again, "already up to date"), "%s", again);
	free(again);
	snprintf(p, sizeof(p), "%s/out/posting.md.txt", tmp);
	char *rec = slurp(p);
	cr_assert(strncmp(rec, "FILE RECORD: SENIOR-GROWTH-NINJA\nWHAT DOES A # SENIOR", 50) == 0,
	          "read as text, the heading keeps its '#': %.80s", rec);
	free(rec);

	cr_assert_eq(t_sh("printf 'text\\nWe need a ninja.\\n' > '%s/b.csv' && "
	                  "'%s' batch --csv '%s/b.csv' --input-format md -o '%s/out2' 2> '%s/err'",
	                  tmp, t_bin(), tmp, tmp, tmp),
	             2);
	snprintf(p, sizeof(p), "%s/err", tmp);
	char *err = slurp(p);
	cr_assert(strstr(err, "--csv reads its own format"), "%s", err);
	free(err);
}
