/*
 * test_hostile_stream.c - bad and awkward input to the stream modes and to
 * --max-bytes, run through the real binary (issue 13, items 14 and 15).
 *
 * `translate --jsonl` is a mapper: whatever a line carries besides its JD
 * must come out as it went in, or the job downstream loses it without a
 * word.  A number read into a double and written back with six digits is
 * such a loss, and a line refused because its id has twenty digits is
 * another.  --max-bytes is a number a stranger (a job's configuration)
 * chooses: near SIZE_MAX it wrapped the reader's sizes round.  Each test
 * states the exit code, what stdout holds and what stderr says, and is
 * marked as a lost-work, security or DoS case.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static char tmp[256];

static void setup(void)
{
	t_mkdtemp(tmp, sizeof(tmp), "hostile-stream");
}

static void teardown(void)
{
	t_rmtree(tmp);
}

TestSuite(hostile_stream, .init = setup, .fini = teardown, .timeout = 300);

static char *rd(const char *name)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	return t_slurp(p, NULL);
}

static void put(const char *name, const char *data)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	t_spit(p, data, strlen(data));
}

/* Run `otiose translate --jsonl ARGS feed.jsonl` over `in`; its exit code, *out and *err. */
static int jsonl(const char *in, const char *args, char **out, char **err)
{
	put("feed.jsonl", in);
	int rc = t_sh("cd '%s' && '%s' translate --jsonl %s feed.jsonl > stdout 2> stderr", tmp,
	              t_bin(), args);
	*out = rd("stdout");
	*err = rd("stderr");
	return rc;
}

/* Line `i` (from 0) of out, malloc'ed, without its '\n'; asserts it is there. */
static char *line_of(const char *out, int i)
{
	const char *p = out;
	for (; i > 0; i--) {
		p = strchr(p, '\n');
		cr_assert(p, "too few lines: %s", out);
		p++;
	}
	const char *nl = strchr(p, '\n');
	cr_assert(nl, "no line end: %s", p);
	return strndup(p, (size_t)(nl - p));
}

/* The line as JSON (big integers read as reals); asserts it is an object. */
static json_t *parse(const char *line)
{
	json_error_t je;
	json_t *o = json_loads(line, JSON_DECODE_INT_AS_REAL, &je);
	cr_assert(json_is_object(o), "not a JSON object (%s at %d): %s", je.text, je.column, line);
	return o;
}

/* Does s begin with the string literal lit? */
#define STARTS(s, lit) (strncmp((s), lit, sizeof(lit) - 1) == 0)

#define JD "We need a rockstar ninja to drive synergy and own the funnel end to end."

/* ------------------------------------------------------------------ */
/* item 14: fields pass through --jsonl as they were written           */
/* ------------------------------------------------------------------ */

/* [lost-work] Numbers were read into doubles and written with six digits:
 * 123456.78 came out as 123457.0 and an id 1234567.5 as 1.23457e6, so a
 * price or a key joined on downstream was silently another number. */
Test(hostile_stream, jsonl_numbers_pass_through_as_written)
{
	static const char in[] =
		"{\"id\": 1234567.5, \"salary\": 123456.78, \"text\": \"" JD "\", "
		"\"ratio\": 0.1000000000000000055511151231257827, \"tiny\": -2.5E-308, "
		"\"exp\": 1e+2, \"zero\": -0.0, \"count\": 0, \"neg\": -17}\n";
	char *out, *err;
	int rc = jsonl(in, "", &out, &err);
	cr_assert_eq(rc, 0, "exit %d; stderr: %s", rc, err);
	cr_assert_eq(t_count(out, "\n"), 1u, "%s", out);
	cr_assert(STARTS(out, "{\"id\":1234567.5,\"salary\":123456.78,\"ratio\":"
	                       "0.1000000000000000055511151231257827,\"tiny\":-2.5E-308,"
	                       "\"exp\":1e+2,\"zero\":-0.0,\"count\":0,\"neg\":-17,\"record\":{"),
	          "%s", out);
	char *l = line_of(out, 0);
	json_t *o = parse(l);
	cr_assert(json_is_object(json_object_get(o, "record")));
	json_decref(o);
	free(l);
	free(out);
	free(err);
}

/* [lost-work] A twenty-digit id (a snowflake or a hash) made the line
 * "not JSON: too big integer": the posting was never translated.  Its
 * error object must carry the id as written too. */
Test(hostile_stream, jsonl_integers_of_any_length_are_kept)
{
	/* a 400-digit integer, past even a double's range, and a real past it too */
	char big[402], in[1024], want[512];
	big[0] = '1';
	memset(big + 1, '0', 399);
	big[400] = '\0';
	snprintf(in, sizeof(in),
	         "{\"id\": 12345678901234567890, \"text\": \"" JD "\", "
	         "\"seq\": -98765432109876543210}\n"
	         "{\"id\": 123456789012345678901234567890123456789012345678901234567890, "
	         "\"text\": \"\"}\n"
	         "{\"text\": \"" JD "\", \"id\": %s, \"far\": 1e400}\n",
	         big);
	char *out, *err;
	int rc = jsonl(in, "", &out, &err);
	cr_assert_eq(rc, 1, "line 2 has an empty text: exit %d; stderr: %s", rc, err);
	cr_assert_eq(t_count(out, "\n"), 3u, "%s", out);
	cr_assert(STARTS(out, "{\"id\":12345678901234567890,\"seq\":-98765432109876543210,"
	                      "\"record\":{"),
	          "%s", out);
	char *l2 = line_of(out, 1);
	cr_assert(STARTS(l2, "{\"id\":123456789012345678901234567890123456789012345678901234567890,"
	                     "\"line\":2,\"error\":\""),
	          "%s", l2);
	json_decref(parse(l2));
	char *l3 = line_of(out, 2);
	snprintf(want, sizeof(want), "{\"id\":%s,\"far\":1e400,\"record\":{", big);
	cr_assert(strncmp(l3, want, strlen(want)) == 0, "want %s\ngot  %.600s", want, l3);
	cr_assert(strstr(err, "feed.jsonl:2: "), "%s", err);
	cr_assert_null(strstr(err, "feed.jsonl:1:"), "%s", err);
	cr_assert_null(strstr(err, "feed.jsonl:3:"), "%s", err);
	free(l2);
	free(l3);
	free(out);
	free(err);
}

/* [lost-work] Strings keep their escapes, nested objects and arrays their
 * members, order and numbers; a key that is not "record" is kept even when
 * it looks like one of the JD's fields written with escapes. */
Test(hostile_stream, jsonl_strings_and_nested_values_pass_through_as_written)
{
	static const char in[] =
		"{\"src\":\"caf\\u00e9 \\\"q\\\" \\/ \\ud83d\\ude00 \xe2\x82\xac\",\"id\":\"a\\tb\","
		"\"meta\":{\"n\":[1.10,2E-7,{\"b\":null,\"c\":[true,false]}],\"z\":{}},\"e\":[],"
		"\"t\\u0065xt\":\"" JD "\",\"record\":\"dropped\",\"empty\":\"\"}\n";
	char *out, *err;
	int rc = jsonl(in, "", &out, &err);
	cr_assert_eq(rc, 0, "exit %d; stderr: %s", rc, err);
	static const char want[] =
		"{\"id\":\"a\\tb\",\"src\":\"caf\\u00e9 \\\"q\\\" \\/ \\ud83d\\ude00 \xe2\x82\xac\","
		"\"meta\":{\"n\":[1.10,2E-7,{\"b\":null,\"c\":[true,false]}],\"z\":{}},\"e\":[],"
		"\"empty\":\"\",\"record\":{";
	cr_assert(strncmp(out, want, sizeof(want) - 1) == 0, "want %s\ngot  %.300s", want, out);
	/* "t\u0065xt" is "text": the JD, not a field to copy */
	cr_assert_null(strstr(out, "t\\u0065xt"), "%.400s", out);
	cr_assert_eq(t_count(out, "\"record\":"), 1u);
	char *l = line_of(out, 0);
	json_t *o = parse(l);
	cr_assert_str_eq(json_string_value(json_object_get(o, "src")),
	                 "caf\xc3\xa9 \"q\" / \xf0\x9f\x98\x80 \xe2\x82\xac");
	cr_assert(json_is_object(json_object_get(json_object_get(o, "record"), "stats")));
	json_decref(o);
	free(l);
	free(out);
	free(err);
}

/* [lost-work] Whitespace inside a copied value is kept, except a carriage
 * return, which Hadoop's and Spark's line readers take for a line end: the
 * output stays one line a reader downstream reads as one. */
Test(hostile_stream, jsonl_output_stays_one_line)
{
	static const char in[] = "{\"id\":7,\"a\":[1,\r2,\t3 ],\"text\":\"" JD "\"}\r\n";
	char *out, *err;
	int rc = jsonl(in, "", &out, &err);
	cr_assert_eq(rc, 0, "exit %d; stderr: %s", rc, err);
	cr_assert_eq(t_count(out, "\n"), 1u, "%s", out);
	cr_assert_null(strchr(out, '\r'), "%s", out);
	cr_assert(STARTS(out, "{\"id\":7,\"a\":[1, 2,\t3 ],\"record\":{"), "%.200s", out);
	free(out);
	free(err);
}

/* [lost-work] A line that is JSON but not an object said only that it
 * must be one; it now says what it is instead, and a line that is not JSON
 * says where and why. */
Test(hostile_stream, jsonl_line_that_is_not_an_object_says_why)
{
	static const char in[] = "[{\"text\": \"" JD "\"}]\n"
	                         "\"" JD "\"\n"
	                         "  42 \n"
	                         "null\n"
	                         "{\"id\": 5, \"text\": \"" JD "\"} {}\n"
	                         "{\"id\": 6, \"text\": \"" JD "\", \"n\": 01}\n"
	                         "{\"id\": 7, \"text\": \"bad \\ud800 surrogate\"}\n"
	                         "{\"id\": 8, \"text\": \"" JD "\"}\n";
	char *out, *err;
	int rc = jsonl(in, "", &out, &err);
	cr_assert_eq(rc, 1, "exit %d; stderr: %s", rc, err);
	cr_assert_eq(t_count(out, "\n"), 8u, "%s", out);
	static const char *const want[] = {
		"{\"line\":1,\"error\":\"not a JSON object but an array: each line must be an object "
		"such as {\\\"text\\\": \\\"...\\\"}\"}",
		"{\"line\":2,\"error\":\"not a JSON object but a string: each line must be an object "
		"such as {\\\"text\\\": \\\"...\\\"}\"}",
		"{\"line\":3,\"error\":\"not a JSON object but a number: each line must be an object "
		"such as {\\\"text\\\": \\\"...\\\"}\"}",
		"{\"line\":4,\"error\":\"not a JSON object but null: each line must be an object "
		"such as {\\\"text\\\": \\\"...\\\"}\"}",
		"{\"line\":5,\"error\":\"not JSON: more after the object's closing '}' (at column 95)\"}",
		"{\"line\":6,\"error\":\"not JSON: a number with a leading zero (at column 100)\"}",
		"{\"line\":7,\"error\":\"not JSON: \\\\u escape of half a surrogate pair (at column 24)\"}",
	};
	for (int i = 0; i < 7; i++) {
		char *l = line_of(out, i);
		cr_expect_str_eq(l, want[i]);
		free(l);
	}
	char *l = line_of(out, 7);
	cr_assert(STARTS(l, "{\"id\":8,\"record\":{"), "%.100s", l);
	free(l);
	cr_assert(strstr(err, "feed.jsonl:1: not a JSON object but an array"), "%s", err);
	free(out);
	free(err);
}

/* [lost-work] In `batch`, a .json file that is JSON but not an object was
 * reported as "not a JSON object (line 1: )": the reason was blank. */
Test(hostile_stream, batch_json_file_that_is_not_an_object_says_why)
{
	t_sh("rm -rf '%s/in' '%s/out'; mkdir -p '%s/in'", tmp, tmp, tmp);
	put("in/list.json", "[{\"text\": \"" JD "\"}]\n");
	put("in/broken.json", "{\"text\": \"" JD "\",\n \"title\": }\n");
	put("in/good.json", "{\"text\": \"" JD "\"}\n");
	int rc = t_sh("cd '%s' && '%s' batch -q -j 2 in -o out > batch.out 2> batch.err", tmp,
	              t_bin());
	char *err = rd("batch.err"), *summary = rd("out/summary.json");
	cr_assert_eq(rc, 1, "exit %d; stderr: %s", rc, err);
	cr_assert(summary, "no summary.json");
	cr_expect(strstr(summary, "\"error\": \"not a JSON object but an array: a .json input must "
	                          "be an object"),
	          "%s", summary);
	cr_expect(strstr(summary, "\"error\": \"invalid JSON at line 2, column 11: unexpected token"),
	          "%s", summary);
	cr_expect_null(strstr(summary, ": )"), "%s", summary);
	char *g = rd("out/good.json.txt");
	cr_assert(g && strstr(g, "FILE RECORD:"), "the good neighbour was not translated");
	free(g);
	free(err);
	free(summary);
}

/* ------------------------------------------------------------------ */
/* item 15: --max-bytes is bounded                                     */
/* ------------------------------------------------------------------ */

/* [security] --max-bytes near SIZE_MAX wrapped the line reader's
 * `limit + k` sizes round (a double free in jsonlin_close).  Sizes past the
 * bound are a usage error that names it, in translate and in batch, and
 * nothing is read or written. */
Test(hostile_stream, max_bytes_past_the_bound_is_a_usage_error)
{
	static const char *const bad[] = {
		"18446744073709551615", "18446744073709551612", "18446744073709551616",
		"17179869183G",         "16777215T",            "18014398509481983K",
		"68719476737",          "65G",                  "67108865K",
		"99999999999999999999999999", " -1", /* strtoull read " -1" as SIZE_MAX */
	};
	put("feed.jsonl", "{\"id\":1,\"text\":\"" JD "\"}\n");
	t_sh("rm -rf '%s/in'; mkdir -p '%s/in'", tmp, tmp);
	put("in/jd.txt", JD "\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = t_sh("cd '%s' && '%s' translate --jsonl --max-bytes '%s' feed.jsonl > stdout "
		              "2> stderr",
		              tmp, t_bin(), bad[i]);
		char *out = rd("stdout"), *err = rd("stderr");
		cr_expect_eq(rc, 2, "--max-bytes %s: exit %d; stderr: %s", bad[i], rc, err);
		cr_expect_str_eq(out, "", "--max-bytes %s", bad[i]);
		cr_expect(strstr(err, "--max-bytes") && strstr(err, "64G"), "--max-bytes %s: %s", bad[i],
		          err);
		free(out);
		free(err);

		rc = t_sh("cd '%s' && rm -rf out && '%s' batch -q --max-bytes '%s' in -o out > stdout "
		          "2> stderr",
		          tmp, t_bin(), bad[i]);
		err = rd("stderr");
		cr_expect_eq(rc, 2, "batch --max-bytes %s: exit %d; stderr: %s", bad[i], rc, err);
		cr_expect(strstr(err, "--max-bytes"), "batch --max-bytes %s: %s", bad[i], err);
		free(err);
	}
}

/* [DoS] The bound itself, and sizes just under it, are taken: a 64G limit
 * reserves nothing up front, and a line is still read in bounded memory. */
Test(hostile_stream, max_bytes_at_the_bound_is_taken)
{
	static const char *const good[] = {"64G", "68719476736", "67108864K", "65536M", "1"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char *out, *err;
		char args[64];
		snprintf(args, sizeof(args), "--max-bytes %s", good[i]);
		int rc = jsonl("{\"id\":1,\"text\":\"" JD "\"}\n{\"id\":2,\"text\":\"" JD "\"}\n", args,
		               &out, &err);
		if (strcmp(good[i], "1") == 0) {
			cr_expect_eq(rc, 1, "--max-bytes 1: exit %d; stderr: %s", rc, err);
			cr_expect_eq(t_count(out, "larger than the 1-byte limit"), 2u, "%s", out);
		} else {
			cr_expect_eq(rc, 0, "--max-bytes %s: exit %d; stderr: %s", good[i], rc, err);
			cr_expect_eq(t_count(out, "\"record\":{"), 2u, "--max-bytes %s: %s", good[i], out);
		}
		free(out);
		free(err);
	}
}

/* The bound is in both commands' help, where --max-bytes is described. */
Test(hostile_stream, help_names_the_max_bytes_bound)
{
	cr_assert_eq(t_sh("cd '%s' && '%s' translate --help > t.help && '%s' batch --help > b.help",
	                  tmp, t_bin(), t_bin()),
	             0);
	char *t = rd("t.help"), *b = rd("b.help");
	cr_expect(strstr(t, "at most 64G"), "%s", t);
	cr_expect(strstr(b, "at most 64G"), "%s", b);
	free(t);
	free(b);
}
