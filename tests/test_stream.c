/*
 * test_stream.c - end-to-end tests of the stream modes of `otiose translate`.
 *
 * --jsonl must give exactly one output line per input line, in order, with
 * the input's id and other fields carried through and the record beside
 * them; a bad line gets an error object on its own line and the rest of the
 * stream is still translated.  GNU parallel --pipe over it must give the
 * same bytes as a direct run.  --csv must read quoted fields with commas,
 * doubled quotes and newlines, find columns by header name or number, refuse
 * an unknown column with the header's names, and report an unclosed quote
 * by row and line after translating the rows before it.  Each test runs the
 * real binary ($OTIOSE_BIN) with the real database ($OTIOSE_DB).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "support.h"

typedef struct run_result {
	int code;
	char *out;
	size_t outlen;
	char *err;
} run_result;

static char tmpdir[64];

static void make_tmpdir(void)
{
	t_mkdtemp(tmpdir, sizeof(tmpdir), "stream");
}

static void remove_tmpdir(void)
{
	t_rmtree(tmpdir);
}

/* Run the binary with argv (argv[0] is ignored) and `in` (NULL: /dev/null) on stdin. */
static run_result run(const char *in, const char *const *argv)
{
	char inp[96], outp[96], errp[96];
	snprintf(inp, sizeof(inp), "%s/stdin", tmpdir);
	snprintf(outp, sizeof(outp), "%s/stdout", tmpdir);
	snprintf(errp, sizeof(errp), "%s/stderr", tmpdir);
	t_spit(inp, in ? in : "", in ? strlen(in) : 0);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int fi = open(in ? inp : "/dev/null", O_RDONLY);
		int fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fi, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		size_t n = 0;
		while (argv[n])
			n++;
		char **av = calloc(n + 1, sizeof(char *));
		av[0] = (char *)t_bin();
		for (size_t i = 1; i < n; i++)
			av[i] = (char *)argv[i];
		alarm(60);
		execv(av[0], av);
		_exit(127);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	run_result r;
	cr_assert(WIFEXITED(st), "otiose died with signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	r.code = WEXITSTATUS(st);
	r.out = t_slurp(outp, &r.outlen);
	r.err = t_slurp(errp, NULL);
	return r;
}

static void run_free(run_result *r)
{
	free(r->out);
	free(r->err);
}

/* The output's lines, each parsed as JSON; asserts that every line is an object. */
static size_t json_lines(const char *out, json_t **v, size_t max)
{
	size_t n = 0;
	const char *p = out;
	while (*p) {
		const char *nl = strchr(p, '\n');
		cr_assert(nl, "the last line has no line end: %s", p);
		cr_assert(n < max, "more than %zu lines", max);
		json_error_t je;
		v[n] = json_loadb(p, (size_t)(nl - p), 0, &je);
		cr_assert(json_is_object(v[n]), "line %zu is not a JSON object (%s): %.*s", n + 1,
		          je.text, (int)(nl - p), p);
		n++;
		p = nl + 1;
	}
	return n;
}

static void free_lines(json_t **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(v[i]);
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

#define JD_A "We need a rockstar ninja to drive synergy and own the funnel end to end."
#define JD_B "Manage stakeholder alignment across cross-functional teams in a fast-paced environment."
#define JD_C "Leverage data-driven insights to empower a best-in-class culture of ownership."

TestSuite(stream, .init = make_tmpdir, .fini = remove_tmpdir, .timeout = 180);

Test(stream, jsonl_round_trip_keeps_ids_order_and_fields)
{
	const char *in =
		"{\"id\": 7, \"title\": \"Growth Ninja\", \"text\": \"" JD_A "\", \"source\": \"board\"}\n"
		"{\"id\": \"b-2\", \"description\": \"" JD_B "\", \"meta\": {\"n\": [1, 2]}}\n"
		"{\"text\": \"" JD_C "\", \"id\": null, \"lang\": \"en\"}\n";
	const char *argv[] = {"otiose", "translate", "--jsonl", NULL};
	run_result r = run(in, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	json_t *v[8];
	size_t n = json_lines(r.out, v, 8);
	cr_assert_eq(n, 3, "3 lines in, %zu out:\n%s", n, r.out);

	cr_assert_eq(json_integer_value(json_object_get(v[0], "id")), 7);
	cr_assert_str_eq(jstr(v[0], "source"), "board");
	cr_assert_str_eq(jstr(v[1], "id"), "b-2");
	json_t *meta = json_object_get(v[1], "meta");
	cr_assert_eq(json_integer_value(json_array_get(json_object_get(meta, "n"), 1)), 2);
	cr_assert(json_is_null(json_object_get(v[2], "id")));
	cr_assert_str_eq(jstr(v[2], "lang"), "en");

	for (size_t i = 0; i < n; i++) {
		json_t *rec = json_object_get(v[i], "record");
		cr_assert(json_is_object(rec), "line %zu has no record", i + 1);
		cr_assert_str_eq(jstr(rec, "kind"), "translation");
		cr_assert(json_is_array(json_object_get(rec, "translations")));
		cr_assert_null(json_object_get(v[i], "text"), "the text is not echoed back");
		cr_assert_null(json_object_get(v[i], "description"));
		cr_assert_null(json_object_get(v[i], "error"));
	}
	cr_assert_str_eq(jstr(json_object_get(v[0], "record"), "title"), "Growth Ninja");
	/* The record of each line is its own: the byte counts are those of the texts. */
	cr_assert_eq(json_integer_value(json_object_get(
	                     json_object_get(json_object_get(v[1], "record"), "stats"), "bytes")),
	             (json_int_t)strlen(JD_B));
	free_lines(v, n);
	run_free(&r);
}

Test(stream, jsonl_record_is_the_format_json_record)
{
	char path[96];
	snprintf(path, sizeof(path), "%s/jd.txt", tmpdir);
	t_spit(path, JD_A "\n" JD_B "\n", strlen(JD_A "\n" JD_B "\n"));
	const char *a1[] = {"otiose", "translate", "--format", "json", "--title", "Ninja", path, NULL};
	run_result whole = run(NULL, a1);
	cr_assert_eq(whole.code, 0, "stderr: %s", whole.err);
	json_t *want = json_loads(whole.out, 0, NULL);
	cr_assert(want);

	const char *in = "{\"id\": 1, \"title\": \"Ninja\", \"text\": \"" JD_A "\\n" JD_B "\\n\"}\n";
	const char *a2[] = {"otiose", "translate", "--jsonl", NULL};
	run_result r = run(in, a2);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert_eq(t_count(r.out, "\n"), 1, "the record is on one line");
	json_t *v[2];
	size_t n = json_lines(r.out, v, 2);
	cr_assert_eq(n, 1);
	cr_assert(json_equal(json_object_get(v[0], "record"), want),
	          "the --jsonl record differs from --format json");
	free_lines(v, n);
	json_decref(want);
	run_free(&r);
	run_free(&whole);
}

Test(stream, jsonl_bad_line_gives_an_error_object_and_the_stream_goes_on)
{
	const char *in = "{\"id\": 1, \"text\": \"" JD_A "\"}\n"
	                 "this is not json\n"
	                 "{\"id\": 3, \"text\": \"" JD_B "\"}\n"
	                 "{\"id\": 4, \"title\": \"No Text\"}\n"
	                 "[\"an array\"]\n"
	                 "{\"id\": 6, \"text\": \"   \"}\n"
	                 "{\"id\": 7, \"text\": \"caf\xff " JD_C "\"}\n"
	                 "{\"id\": 8, \"text\": \"" JD_C "\"}\n";
	const char *argv[] = {"otiose", "translate", "--jsonl", NULL};
	run_result r = run(in, argv);
	cr_assert_eq(r.code, 1, "exit %d, stderr: %s", r.code, r.err);
	json_t *v[16];
	size_t n = json_lines(r.out, v, 16);
	cr_assert_eq(n, 8, "8 lines in, %zu out:\n%s", n, r.out);

	const int bad[] = {0, 1, 0, 1, 1, 1, 1, 0};
	for (size_t i = 0; i < n; i++) {
		if (bad[i]) {
			cr_assert(jstr(v[i], "error"), "line %zu should be an error: %s", i + 1, r.out);
			cr_assert_eq(json_integer_value(json_object_get(v[i], "line")), (json_int_t)i + 1);
			cr_assert_null(json_object_get(v[i], "record"));
		} else {
			cr_assert(json_is_object(json_object_get(v[i], "record")), "line %zu", i + 1);
			cr_assert_eq(json_integer_value(json_object_get(v[i], "id")), (json_int_t)i + 1,
			             "out of order at line %zu", i + 1);
		}
	}
	/* An error names the id when the line had one, and says what was wrong. */
	cr_assert_null(json_object_get(v[1], "id"));
	cr_assert(strstr(jstr(v[1], "error"), "not JSON"), "%s", jstr(v[1], "error"));
	cr_assert_eq(json_integer_value(json_object_get(v[3], "id")), 4);
	cr_assert(strstr(jstr(v[3], "error"), "\"text\""), "%s", jstr(v[3], "error"));
	cr_assert(strstr(jstr(v[4], "error"), "not a JSON object"), "%s", jstr(v[4], "error"));
	cr_assert_eq(json_integer_value(json_object_get(v[6], "id")), 7);
	cr_assert(strstr(jstr(v[6], "error"), "UTF-8"), "%s", jstr(v[6], "error"));
	cr_assert(strstr(jstr(v[6], "error"), "--lossy"));
	cr_assert(strstr(r.err, "<stdin>:2: not JSON"), "stderr: %s", r.err);
	free_lines(v, n);
	run_free(&r);

	/* With --lossy the bad byte is replaced and line 7 is translated. */
	const char *a2[] = {"otiose", "translate", "--jsonl", "--lossy", NULL};
	r = run("{\"id\": 7, \"text\": \"caf\xff " JD_C "\"}\n", a2);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	n = json_lines(r.out, v, 2);
	cr_assert_eq(n, 1);
	cr_assert(json_is_object(json_object_get(v[0], "record")));
	free_lines(v, n);
	run_free(&r);
}

Test(stream, jsonl_under_gnu_parallel_gives_the_same_lines)
{
	if (system("command -v parallel >/dev/null 2>&1") != 0)
		cr_skip("GNU parallel is not installed (Debian package 'parallel'); the CI installs it");
	char inp[96], outp[96], cmd[1024];
	snprintf(inp, sizeof(inp), "%s/jds.jsonl", tmpdir);
	snprintf(outp, sizeof(outp), "%s/par.jsonl", tmpdir);
	const char *jds[] = {JD_A, JD_B, JD_C};
	char in[8192];
	size_t used = 0;
	for (int i = 0; i < 11; i++) {
		int w = snprintf(in + used, sizeof(in) - used, "{\"id\": %d, \"text\": \"%s\"}\n", i,
		                 i == 5 ? "" : jds[i % 3]);
		cr_assert(w > 0 && (size_t)w < sizeof(in) - used);
		used += (size_t)w;
	}
	t_spit(inp, in, used);

	const char *argv[] = {"otiose", "translate", "--jsonl", NULL};
	run_result direct = run(in, argv);
	cr_assert_eq(direct.code, 1, "the empty text on line 6 fails: %s", direct.err);
	cr_assert_eq(t_count(direct.out, "\n"), 11);

	/* Blocks of 3 lines on up to 4 jobs; --keep-order puts the blocks back in order. */
	snprintf(cmd, sizeof(cmd),
	         "parallel --will-cite --pipe --keep-order -N 3 -j 4 '%s' translate --jsonl "
	         "< '%s' > '%s' 2>/dev/null",
	         t_bin(), inp, outp);
	int st = system(cmd);
	cr_assert(WIFEXITED(st));
	cr_assert_eq(WEXITSTATUS(st), 1, "one block has the failing line (parallel exit %d)",
	             WEXITSTATUS(st));
	size_t plen;
	char *par = t_slurp(outp, &plen);
	/* The error object of line 6 counts lines within its block: line 3 of the second. */
	char *p = strstr(direct.out, "\"line\":6,");
	cr_assert(p, "%s", direct.out);
	memcpy(p, "\"line\":3,", 9);
	cr_assert_eq(plen, direct.outlen, "parallel wrote %zu bytes, a direct run %zu", plen,
	             direct.outlen);
	cr_assert(memcmp(par, direct.out, plen) == 0, "parallel:\n%s\ndirect:\n%s", par, direct.out);
	free(par);
	run_free(&direct);
}

/* Three postings, quoted as a job board exports them: commas, "" and newlines in fields. */
static const char board_csv[] =
	"id,title,description,url\n"
	"1,\"Growth Ninja, Senior\",\"" JD_A "\n\nWe say \"\"hustle\"\", and mean it.\",https://x/1\n"
	"2,Scrum Lead,\"" JD_B "\",https://x/2\n"
	"\n"
	"3,\"Culture \"\"Owner\"\"\",\"" JD_C "\nBullets:\n- one\n- two\",https://x/3\n";

Test(stream, csv_quoted_multiline_fields_by_header_name)
{
	char path[96];
	snprintf(path, sizeof(path), "%s/board.csv", tmpdir);
	t_spit(path, board_csv, strlen(board_csv));
	const char *argv[] = {"otiose",      "translate", "--csv",   "--text-col", "description",
	                      "--title-col", "title",     "--format", "json",      path,
	                      NULL};
	run_result r = run(NULL, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	json_t *v[8];
	size_t n = json_lines(r.out, v, 8);
	cr_assert_eq(n, 3, "3 rows, %zu lines:\n%s", n, r.out);
	const char *titles[] = {"Growth Ninja, Senior", "Scrum Lead", "Culture \"Owner\""};
	const char *texts[] = {JD_A "\n\nWe say \"hustle\", and mean it.", JD_B,
	                       JD_C "\nBullets:\n- one\n- two"};
	const json_int_t lines[] = {2, 5, 7};
	for (size_t i = 0; i < n; i++) {
		json_t *rec = json_object_get(v[i], "record");
		cr_assert(json_is_object(rec), "row %zu: %s", i + 1, r.out);
		cr_assert_eq(json_integer_value(json_object_get(v[i], "row")), (json_int_t)i + 1);
		cr_assert_eq(json_integer_value(json_object_get(v[i], "line")), lines[i], "row %zu",
		             i + 1);
		cr_assert_str_eq(jstr(rec, "title"), titles[i]);
		/* The whole field, newlines and unquoted quotes included, reached the engine. */
		cr_assert_eq(json_integer_value(json_object_get(json_object_get(rec, "stats"), "bytes")),
		             (json_int_t)strlen(texts[i]), "row %zu", i + 1);
	}
	free_lines(v, n);
	run_free(&r);

	/* In text format the records are separated by a blank line. */
	const char *a2[] = {"otiose", "translate", "--csv", "--text-col", "description",
	                    "--title-col", "title", path, NULL};
	r = run(NULL, a2);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert_eq(t_count(r.out, "FILE RECORD: "), 3);
	cr_assert_eq(t_count(r.out, "\n\nFILE RECORD: "), 2);
	cr_assert(strncmp(r.out, "FILE RECORD: GROWTH-NINJA", 25) == 0, "%.60s", r.out);
	run_free(&r);
}

Test(stream, csv_columns_by_number_and_by_default)
{
	char path[96];
	snprintf(path, sizeof(path), "%s/board.csv", tmpdir);
	t_spit(path, board_csv, strlen(board_csv));
	const char *byname[] = {"otiose", "translate", "--csv", "--text-col", "description",
	                        "--title-col", "title", "--jsonl", path, NULL};
	const char *bynum[] = {"otiose", "translate", "--csv", "--text-col", "3",
	                       "--title-col", "2", "--jsonl", path, NULL};
	const char *bydefault[] = {"otiose", "translate", "--csv", "--format", "json", path, NULL};
	run_result a = run(NULL, byname);
	run_result b = run(NULL, bynum);
	run_result c = run(NULL, bydefault);
	cr_assert_eq(a.code, 0, "stderr: %s", a.err);
	cr_assert_eq(b.code, 0, "stderr: %s", b.err);
	cr_assert_eq(c.code, 0, "stderr: %s", c.err);
	cr_assert_eq(t_count(a.out, "\n"), 3);
	cr_assert_str_eq(a.out, b.out, "columns 3 and 2 are description and title");
	cr_assert_str_eq(a.out, c.out, "description and title are the default columns");
	run_free(&a);
	run_free(&b);
	run_free(&c);
}

Test(stream, csv_unknown_column_is_a_usage_error_naming_the_columns)
{
	char path[96];
	snprintf(path, sizeof(path), "%s/board.csv", tmpdir);
	t_spit(path, board_csv, strlen(board_csv));
	const char *argv[] = {"otiose", "translate", "--csv", "--text-col", "body", path, NULL};
	run_result r = run(NULL, argv);
	cr_assert_eq(r.code, 2, "exit %d, stderr: %s", r.code, r.err);
	cr_assert_eq(r.outlen, 0, "nothing is translated: %s", r.out);
	cr_assert(strstr(r.err, "'body'"), "stderr: %s", r.err);
	cr_assert(strstr(r.err, "id, title, description, url"), "stderr: %s", r.err);
	run_free(&r);

	const char *a2[] = {"otiose", "translate", "--csv", "--title-col", "9", path, NULL};
	r = run(NULL, a2);
	cr_assert_eq(r.code, 2, "exit %d, stderr: %s", r.code, r.err);
	cr_assert(strstr(r.err, "1 to 4"), "stderr: %s", r.err);
	run_free(&r);

	/* And the CSV options make sense only together. */
	const char *a3[] = {"otiose", "translate", "--text-col", "description", path, NULL};
	r = run(NULL, a3);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "--csv"), "stderr: %s", r.err);
	run_free(&r);
	const char *a4[] = {"otiose", "translate", "--jsonl", "--format", "md", NULL};
	r = run("", a4);
	cr_assert_eq(r.code, 2);
	run_free(&r);
}

Test(stream, csv_unterminated_quote_names_the_row_after_the_rows_before_it)
{
	const char *csv = "title,text\n"
	                  "Growth Ninja,\"" JD_A "\"\n"
	                  "Scrum Lead,\"" JD_B "\nsecond line\"\n"
	                  "Broken,\"" JD_C "\n"
	                  "and the quote is never closed\n";
	const char *argv[] = {"otiose", "translate", "--csv", NULL};
	run_result r = run(csv, argv);
	cr_assert_eq(r.code, 1, "exit %d, stderr: %s", r.code, r.err);
	cr_assert_eq(t_count(r.out, "FILE RECORD: "), 2, "rows 1 and 2 are translated:\n%s", r.out);
	cr_assert(strstr(r.out, "FILE RECORD: SCRUM-LEAD"));
	cr_assert(strstr(r.err, "row 3 (line 5)"), "stderr: %s", r.err);
	cr_assert(strstr(r.err, "never closed"), "stderr: %s", r.err);
	run_free(&r);

	const char *a2[] = {"otiose", "translate", "--csv", "--jsonl", NULL};
	r = run(csv, a2);
	cr_assert_eq(r.code, 1);
	json_t *v[4];
	size_t n = json_lines(r.out, v, 4);
	cr_assert_eq(n, 3, "%s", r.out);
	cr_assert(json_is_object(json_object_get(v[1], "record")));
	cr_assert_eq(json_integer_value(json_object_get(v[2], "row")), 3);
	cr_assert_eq(json_integer_value(json_object_get(v[2], "line")), 5);
	cr_assert(strstr(jstr(v[2], "error"), "never closed"));
	free_lines(v, n);
	run_free(&r);
}

Test(stream, csv_row_without_the_text_column_fails_alone)
{
	const char *csv = "id,title,description\n"
	                  "1,Growth Ninja,\"" JD_A "\"\n"
	                  "2,Short Row\n"
	                  "3,Scrum Lead,\"" JD_B "\"\n"
	                  "4,Empty,\"\"\n";
	const char *argv[] = {"otiose", "translate", "--csv", "--format", "json", NULL};
	run_result r = run(csv, argv);
	cr_assert_eq(r.code, 1, "exit %d, stderr: %s", r.code, r.err);
	json_t *v[8];
	size_t n = json_lines(r.out, v, 8);
	cr_assert_eq(n, 4, "%s", r.out);
	cr_assert(json_is_object(json_object_get(v[0], "record")));
	cr_assert(strstr(jstr(v[1], "error"), "no text"), "%s", r.out);
	cr_assert_eq(json_integer_value(json_object_get(v[1], "row")), 2);
	cr_assert(json_is_object(json_object_get(v[2], "record")));
	cr_assert(jstr(v[3], "error"), "an empty text is an error: %s", r.out);
	cr_assert(strstr(r.err, "<stdin>: row 2 (line 3): no text"), "stderr: %s", r.err);
	free_lines(v, n);
	run_free(&r);
}

Test(stream, help_describes_the_stream_modes)
{
	const char *argv[] = {"otiose", "translate", "--help", NULL};
	run_result r = run(NULL, argv);
	cr_assert_eq(r.code, 0);
	cr_assert(strstr(r.out, "--jsonl") && strstr(r.out, "--csv") && strstr(r.out, "--text-col") &&
	          strstr(r.out, "--title-col"));
	run_free(&r);
}

/* --delimiter reads the semicolon and tab exports of European and
 * spreadsheet tools (a quoted field may hold the delimiter), and in JSON
 * lines a row's other columns come through as a JSON line's other fields
 * do: named as in the header, before "record", as strings; a column named
 * like one of the line's own members is left out, never put over it. */
Test(stream, csv_delimiter_and_other_columns_carried_into_json)
{
	static const char semi[] =
		"id;title;text;location;salary;row;error;Location\n"
		"7;Data Scientist;\"" JD_A " Drive; own; ship.\";Berlin;\"80k; remote\";x;oops;dup\n"
		"8;Scrum Lead;" JD_B ";Paris\n";
	char path[96], tsv[96];
	snprintf(path, sizeof(path), "%s/board.csv", tmpdir);
	t_spit(path, semi, strlen(semi));
	const char *a1[] = {"otiose", "translate", "--csv", "--delimiter", ";", "-f", "json", path, NULL};
	run_result r = run(NULL, a1);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	json_t *v[4];
	size_t n = json_lines(r.out, v, 4);
	cr_assert_eq(n, 2, "%s", r.out);
	/* members in order: row, line, id, the other columns, record */
	static const char head[] = "{\"row\":1,\"line\":2,\"id\":\"7\",\"location\":\"Berlin\",\"salary\":"
	                           "\"80k; remote\",\"Location\":\"dup\",\"record\":{";
	cr_assert(strncmp(r.out, head, sizeof(head) - 1) == 0, "%.200s", r.out);
	cr_assert_eq(json_integer_value(json_object_get(v[0], "row")), 1);
	cr_assert_null(json_object_get(v[0], "error"), "a column named error made a record look failed");
	json_t *rec = json_object_get(v[0], "record");
	cr_assert_str_eq(jstr(rec, "title"), "Data Scientist");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(rec, "stats"), "bytes")),
	             (json_int_t)strlen(JD_A " Drive; own; ship."));
	/* a short row carries the columns it has */
	cr_assert_str_eq(jstr(v[1], "location"), "Paris");
	cr_assert_null(json_object_get(v[1], "salary"));
	free_lines(v, n);
	run_free(&r);

	/* Tabs, by name; --jsonl is the same framing. */
	static const char tabs[] = "title\ttext\tcity\n"
	                           "Scrum Lead\t" JD_B "\tRome\n"
	                           "\t\t\n";
	snprintf(tsv, sizeof(tsv), "%s/board.tsv", tmpdir);
	t_spit(tsv, tabs, strlen(tabs));
	const char *a2[] = {"otiose", "translate", "--csv", "--delimiter", "tab", "--jsonl", tsv, NULL};
	r = run(NULL, a2);
	cr_assert_eq(r.code, 1, "the empty row fails: %s", r.err);
	n = json_lines(r.out, v, 4);
	cr_assert_eq(n, 2, "%s", r.out);
	cr_assert_str_eq(jstr(v[0], "city"), "Rome");
	cr_assert_str_eq(jstr(json_object_get(v[0], "record"), "title"), "Scrum Lead");
	cr_assert_eq(json_integer_value(json_object_get(v[1], "row")), 2);
	cr_assert(json_object_get(v[1], "error"), "%s", r.out);
	free_lines(v, n);
	run_free(&r);
	const char *a3[] = {"otiose", "translate", "--csv", "--delimiter", "\\t", "--jsonl", tsv, NULL};
	r = run(NULL, a3);
	cr_assert(strstr(r.out, "\"city\":\"Rome\""), "%s", r.out);
	run_free(&r);

	/* Without --delimiter the semicolon file is one column, and says so. */
	const char *a4[] = {"otiose", "translate", "--csv", path, NULL};
	r = run(NULL, a4);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "no 'text' or 'description' column"), "%s", r.err);
	run_free(&r);

	/* Anything but one mark or a tab is a usage error, in translate and batch. */
	const char *bad[] = {"ab", "", "x", "\"", " ", "7"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *a5[] = {"otiose", "translate", "--csv", "--delimiter", bad[i], path, NULL};
		r = run(NULL, a5);
		cr_assert_eq(r.code, 2, "'%s': exit %d", bad[i], r.code);
		cr_assert(strstr(r.err, "--delimiter takes one character"), "%s", r.err);
		run_free(&r);
	}
	const char *a6[] = {"otiose", "translate", "--delimiter", ";", path, NULL};
	r = run(NULL, a6);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "go with --csv"), "%s", r.err);
	run_free(&r);
	cr_assert_eq(t_sh("'%s' batch --csv '%s' --delimiter '|x' -o '%s/o' 2>/dev/null", t_bin(), path, tmpdir), 2);

	/* batch reads the same file by the same option. */
	cr_assert_eq(t_sh("'%s' batch --csv '%s' --delimiter ';' -o '%s/out' -q", t_bin(), path, tmpdir), 0);
	char p[160];
	snprintf(p, sizeof(p), "%s/out/board/7.txt", tmpdir);
	char *rec7 = t_slurp(p, NULL);
	cr_assert(strncmp(rec7, "FILE RECORD: DATA-SCIENTIST\n", 28) == 0, "%.60s", rec7);
	free(rec7);
}
