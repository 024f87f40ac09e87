/*
 * test_hostile.c - bad inputs, one test each, run through the real binary.
 *
 * Every bad input is translated beside a good one, in one `translate` run
 * and in one `batch` run.  Each test states the exit code, the message
 * (with the file's name) and that the good neighbour came out exactly as it
 * does alone: a bad input costs its own record and nothing else.  The table
 * in tests/README.md is these tests in prose.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static char tmp[256];
static char *good_alone; /* the good JD's record, translated on its own */

static void setup(void)
{
	t_mkdtemp(tmp, sizeof(tmp), "hostile");
	cr_assert_eq(t_sh("'%s' translate '%s/tests/data/sample_jd.txt' > '%s/alone' 2>/dev/null",
	                  t_bin(), t_root(), tmp),
	             0);
	char p[512];
	snprintf(p, sizeof(p), "%s/alone", tmp);
	good_alone = t_slurp(p, NULL);
	cr_assert(strstr(good_alone, "FILE RECORD:"));
}

static void teardown(void)
{
	free(good_alone);
	good_alone = NULL;
	t_rmtree(tmp);
}

TestSuite(hostile, .init = setup, .fini = teardown, .timeout = 300);

static char *rd(const char *name)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	return t_slurp(p, NULL);
}

/*
 * Put `data` in a folder as `name` beside good.txt (the sample JD), then:
 * translate both in one run, and batch the folder.  Both must exit
 * `code`; when `msg` is given, stderr must say "<name>: <msg>"; the good
 * JD's record must be what it is alone, in the run's output and in the
 * batch's output folder; a failed input must be in the batch summary with
 * its reason.  `extra` is more translate/batch options ("" for none).
 */
static void with_neighbour(const char *name, const void *data, size_t len, int code,
                           const char *msg, const char *extra)
{
	char p[512];
	t_sh("rm -rf '%s/in' '%s/out'; mkdir -p '%s/in'", tmp, tmp, tmp);
	snprintf(p, sizeof(p), "%s/in/%s", tmp, name);
	t_spit(p, data, len);
	cr_assert_eq(t_sh("cp '%s/tests/data/sample_jd.txt' '%s/in/good.txt'", t_root(), tmp), 0);

	int rc = t_sh("cd '%s' && '%s' translate %s 'in/%s' in/good.txt > stdout 2> stderr", tmp,
	              t_bin(), extra, name);
	char *out = rd("stdout"), *err = rd("stderr");
	cr_assert_eq(rc, code, "%s: translate exit %d, want %d; stderr: %s", name, rc, code, err);
	if (msg) {
		char want[512];
		snprintf(want, sizeof(want), "in/%s: %s", name, msg);
		cr_assert(strstr(err, want), "%s: want '%s' on stderr, got: %s", name, want, err);
	}
	cr_assert(strstr(out, good_alone), "%s: the good JD's record is missing or changed", name);
	cr_assert_eq(t_count(out, "FILE RECORD:"), code == 0 ? 2u : 1u, "%s", name);
	free(out);
	free(err);

	rc = t_sh("cd '%s' && '%s' batch %s -q -j 2 in -o out > batch.out 2> batch.err", tmp,
	          t_bin(), extra);
	err = rd("batch.err");
	cr_assert_eq(rc, code, "%s: batch exit %d, want %d; stderr: %s", name, rc, code, err);
	char *g = rd("out/good.txt.txt");
	cr_assert(g && strcmp(g, good_alone) == 0, "%s: batch's good.txt.txt differs", name);
	char *summary = rd("out/summary.json");
	cr_assert(summary);
	if (code) {
		cr_assert(strstr(summary, name), "%s: not in the summary: %s", name, summary);
		if (msg)
			cr_assert(strstr(err, msg) || strstr(summary, msg), "%s: batch did not say '%s'",
			          name, msg);
	}
	free(g);
	free(summary);
	free(err);
}

#define LIT(s) s, sizeof(s) - 1

Test(hostile, overlong_utf8)
{
	with_neighbour("overlong.txt", LIT("Drive synergy \xc0\xaf now.\n"), 1,
	               "invalid UTF-8 at byte 14 (0xc0)", "");
}

Test(hostile, surrogate_utf8)
{
	with_neighbour("surrogate.txt", LIT("Drive synergy \xed\xa0\x80 now.\n"), 1,
	               "invalid UTF-8 at byte 14 (0xed)", "");
}

Test(hostile, truncated_utf8)
{
	with_neighbour("truncated.txt", LIT("Drive synergy now \xe2\x82"), 1,
	               "invalid UTF-8 at byte 18 (0xe2)", "");
}

Test(hostile, invalid_utf8_inside_a_tag)
{
	/* dropped markup is still part of the file: it must be UTF-8 too */
	with_neighbour("tag.html", LIT("<p class=\"\xff\">We are a family.</p>\n"), 1,
	               "invalid UTF-8 at byte 10 (0xff)", "");
}

Test(hostile, invalid_utf8_with_lossy_is_translated)
{
	with_neighbour("lossy.txt", LIT("We are a family \xc0\xaf here.\n"), 0, NULL, "--lossy");
}

Test(hostile, nul_bytes)
{
	with_neighbour("nul.txt", LIT("Drive synergy\0 across teams.\n"), 1,
	               "binary input (NUL byte at offset 13)", "");
}

Test(hostile, elf_binary)
{
	size_t len;
	char *elf = t_slurp("/proc/self/exe", &len); /* this test program: an ELF file */
	/* Its first megabyte: the whole program may be larger than the 8 MiB an
	 * input may be (a sanitizer build is), and the size is not under test. */
	with_neighbour("program.txt", elf, len < 1048576 ? len : 1048576, 1,
	               "binary input (NUL byte at offset 7)", "");
	free(elf);
}

Test(hostile, png_image)
{
	static const unsigned char png[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
		0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde};
	with_neighbour("logo.txt", png, sizeof(png), 1, "binary input (NUL byte at offset 8)", "");
}

Test(hostile, empty_file)
{
	with_neighbour("empty.txt", "", 0, 1, "empty input: nothing to translate", "");
}

Test(hostile, whitespace_only)
{
	with_neighbour("blank.txt", LIT("  \n\t\n   \r\n\xc2\xa0\n"), 1,
	               "no words to translate: 13 bytes of whitespace", "");
}

Test(hostile, emoji_only)
{
	with_neighbour("emoji.txt", LIT("\xf0\x9f\x9a\x80\xf0\x9f\x94\xa5 \xf0\x9f\x92\xaf\n"
	                                "\xe2\x9c\xa8\xe2\x9c\xa8\n"),
	               1, "no words to translate: 21 bytes of whitespace, bullets, emoji", "");
}

/* A line of 10 MB of words (no sentence end): refused at the default 8 MB, read with more. */
static char *ten_mb_line(size_t *len)
{
	static const char *const words[] = {"synergy", "leverage", "stakeholder", "rockstar", "we",
	                                    "drive", "value", "own", "fast-paced", "and"};
	size_t n = 10u * 1024 * 1024, o = 0, k = 0;
	char *s = malloc(n + 16);
	while (o < n) {
		const char *w = words[(k * 7 + k / 3) % 10];
		size_t l = strlen(w);
		memcpy(s + o, w, l);
		o += l;
		s[o++] = ' ';
		k++;
	}
	s[o++] = '\n';
	*len = o;
	return s;
}

Test(hostile, ten_megabyte_line_is_refused_not_truncated)
{
	size_t len;
	char *s = ten_mb_line(&len);
	with_neighbour("huge.txt", s, len, 1,
	               "larger than the 8388608-byte limit (raise it with --max-bytes)", "");
	free(s);
}

Test(hostile, ten_megabyte_line_with_a_raised_limit)
{
	size_t len;
	char *s = ten_mb_line(&len);
	with_neighbour("huge.txt", s, len, 0, NULL, "--max-bytes 16M");
	free(s);
	char *out = rd("stdout");
	cr_assert(strstr(out, "LINKEDIN ILLUSION") != NULL, "the long line was matched by no rule");
	free(out);
}

Test(hostile, hundred_thousand_bullets)
{
	static const char item[] = "\xe2\x80\xa2 Drive synergy across stakeholders\n";
	size_t il = sizeof(item) - 1, n = 100000;
	char *s = malloc(il * n);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * il, item, il);
	with_neighbour("bullets.txt", s, il * n, 0, NULL, "");
	free(s);
	/* every bullet is its own item, each one translated: the rule's
	 * translations are said once each, and the rest of the bullets are
	 * listed under the first of them */
	char *out = rd("stdout");
	cr_assert_eq(t_count(out, "\"Drive synergy across stakeholders\"\n"), n);
	cr_assert_leq(t_count(out, "LINKEDIN ILLUSION"), 16);
	free(out);
}

Test(hostile, deeply_nested_html)
{
	size_t depth = 100000, o = 0;
	static const char body[] = "We are not just a company, we are a family.";
	char *s = malloc(depth * 11 + sizeof(body));
	for (size_t i = 0; i < depth; i++, o += 5)
		memcpy(s + o, "<div>", 5);
	memcpy(s + o, body, sizeof(body) - 1);
	o += sizeof(body) - 1;
	for (size_t i = 0; i < depth; i++, o += 6)
		memcpy(s + o, "</div>", 6);
	with_neighbour("nested.html", s, o, 0, NULL, "");
	free(s);
	char *out = rd("stdout");
	cr_assert(strstr(out, "\"We are not just a company, we are a family.\""),
	          "the sentence inside the tags was not quoted whole");
	free(out);
}

Test(hostile, right_to_left_and_combining_marks)
{
	/* Arabic, Hebrew, a stack of combining accents, a right-to-left override */
	with_neighbour("rtl.txt",
	               LIT("\xd9\x85\xd8\xb7\xd9\x84\xd9\x88\xd8\xa8 \xd9\x85\xd8\xb7\xd9\x88\xd8\xb1. "
	                   "\xd7\x90\xd7\xa0\xd7\x97\xd7\xa0\xd7\x95 \xd7\x9e\xd7\xa9\xd7\xa4\xd7\x97"
	                   "\xd7\x94. Cafe\xcc\x81 e\xcc\x81\xcc\x81\xcc\x81. "
	                   "\xe2\x80\xaeWe are a family here\xe2\x80\xac.\n"),
	               0, NULL, "");
	char *out = rd("stdout");
	cr_assert(strstr(out, "\xd7\x90\xd7\xa0\xd7\x97\xd7\xa0\xd7\x95") || strstr(out, "family"),
	          "nothing of the text survived");
	free(out);
}

/* ------------------------------------------------------------------ */
/* rule files                                                          */
/* ------------------------------------------------------------------ */

static void write_rule(const char *dir, const char *name, const char *text)
{
	char p[1100];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	t_spit(p, text, strlen(text));
}

#define GOOD_RULE                                                                  \
	"rule: plain-synergy\ncategory: buzzword\nweight: 3\npattern: \\bsynergy\\b\n"  \
	"translate: Two departments, one budget, and a meeting to decide whose.\n"    \
	"example: We value synergy!\ncounter: We value energy.\n"

Test(hostile, broken_rule_files_are_all_reported_and_the_database_kept)
{
	char rules[512], db[512];
	snprintf(rules, sizeof(rules), "%s/rules", tmp);
	snprintf(db, sizeof(db), "%s/kept.db", tmp);
	t_sh("rm -rf '%s'; mkdir -p '%s'", rules, rules);
	write_rule(rules, "a-good.rules", GOOD_RULE);
	write_rule(rules, "b-regex.rules",
	           "rule: broken-regex\ncategory: buzzword\nweight: 4\n"
	           "pattern: \\b(rockstar|ninja\\b\ntranslate: A bracket left open over lunch.\n"
	           "example: A rockstar!\ncounter: A rock.\n");
	write_rule(rules, "c-dup.rules",
	           "rule: plain-synergy\ncategory: buzzword\nweight: 3\npattern: \\bsynergies\\b\n"
	           "translate: The plural costs extra.\nexample: Many synergies.\n"
	           "counter: Many energies.\n");
	write_rule(rules, "d-key.rules",
	           "rule: unknown-key\ncategory: buzzword\nweight: 3\ncolour: mauve\n"
	           "pattern: \\bmauve\\b\ntranslate: The brand book has opinions.\n"
	           "example: A mauve deck.\ncounter: A blue deck.\n");
	write_rule(rules, "e-notr.rules",
	           "rule: no-translation\ncategory: buzzword\nweight: 3\npattern: \\bparadigm\\b\n"
	           "example: A new paradigm.\ncounter: A new paragraph.\n");

	cr_assert_eq(t_sh("cd '%s' && '%s' rules check rules > stdout 2> stderr", tmp, t_bin()), 1);
	char *err = rd("stderr");
	static const char *const want[] = {
		"rules/b-regex.rules:4: rule 'broken-regex': pattern does not compile at offset 19",
		"rules/c-dup.rules:1: duplicate rule id 'plain-synergy' (first defined at "
		"rules/a-good.rules:1)",
		"rules/d-key.rules:4: unknown key 'colour'",
		"rules/e-notr.rules:1: rule 'no-translation' has no translation"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert(strstr(err, want[i]), "want '%s' in: %s", want[i], err);
	free(err);

	/* corpus build refuses them and leaves the database it would replace alone */
	cr_assert_eq(t_sh("cp '%s' '%s'", getenv("OTIOSE_DB") ? getenv("OTIOSE_DB") : "otiose.db", db),
	             0);
	size_t before_len, after_len;
	char *before = t_slurp(db, &before_len);
	cr_assert_eq(t_sh("cd '%s' && '%s' corpus build --rules rules --corpus '%s/corpus' -o '%s' "
	                  "> stdout 2> stderr",
	                  tmp, t_bin(), t_root(), db),
	             1);
	err = rd("stderr");
	cr_assert(strstr(err, "left as it was"), "%s", err);
	char *after = t_slurp(db, &after_len);
	cr_assert(before_len == after_len && memcmp(before, after, before_len) == 0);
	cr_assert_eq(t_sh("'%s' translate --db '%s' '%s/tests/data/sample_jd.txt' > /dev/null "
	                  "2>&1",
	                  t_bin(), db, t_root()),
	             0);
	free(before);
	free(after);
	free(err);
}

Test(hostile, catastrophic_pattern_is_bounded_and_named)
{
	char rules[512], db[512], jd[512];
	snprintf(rules, sizeof(rules), "%s/slow-rules", tmp);
	snprintf(db, sizeof(db), "%s/slow.db", tmp);
	snprintf(jd, sizeof(jd), "%s/slow-jd.txt", tmp);
	t_sh("rm -rf '%s'; mkdir -p '%s'", rules, rules);
	write_rule(rules, "slow.rules",
	           "rule: catastrophic-words\ncategory: buzzword\nweight: 9\n"
	           "pattern: ^(\\w+\\s?)*$\n"
	           "translate: A pattern written in a hurry, kept to prove the limits hold.\n"
	           "example: synergy synergy synergy\ncounter: synergy!\n\n" GOOD_RULE);
	cr_assert_eq(t_sh("'%s' corpus build --rules '%s' --corpus '%s/corpus' -o '%s' > /dev/null "
	                  "2>&1",
	                  t_bin(), rules, t_root(), db),
	             0);
	/* 40 words and a '!': the nested quantifier tries 2^40 ways before failing */
	char text[1024] = "We value synergy across every team.\n";
	for (int i = 0; i < 40; i++)
		strcat(text, "synergy ");
	strcat(text, "!\nOur rockstars drive synergy daily.\n");
	t_spit(jd, text, strlen(text));
	cr_assert_eq(t_sh("cd '%s' && '%s' translate --db '%s' --format json '%s' > stdout "
	                  "2> stderr",
	                  tmp, t_bin(), db, jd),
	             0);
	char *out = rd("stdout"), *err = rd("stderr");
	char want[1024];
	snprintf(want, sizeof(want),
	         "%s/slow.rules:4: rule 'catastrophic-words' ran into PCRE2's match limit on the "
	         "sentence at byte 36",
	         rules);
	cr_assert(strstr(err, want), "want '%s' in: %s", want, err);
	/* every sentence was still translated, by the rule that can: its one
	 * translation, said once, for all three (the entry names the rule, and
	 * so does each sentence listed under it) */
	cr_assert_eq(t_count(out, "\"rule\": \"plain-synergy\""), 3u, "%s", out);
	cr_assert_eq(t_count(out, "\"original\": "), 3u, "%s", out);
	cr_assert_eq(t_count(out, "\"more\": ["), 1u, "%s", out);
	/* and the record lists the three skips, one per sentence */
	cr_assert(strstr(out, "\"skipped_patterns\": ["), "%s", out);
	cr_assert_eq(t_count(out, "\"rule\": \"catastrophic-words\""), 3u, "%s", out);
	free(out);
	free(err);
}

/* ------------------------------------------------------------------ */
/* records, CSV, JSON lines                                            */
/* ------------------------------------------------------------------ */

Test(hostile, import_of_a_record_missing_sections)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/cut.txt", tmp);
	/* the seed cut off after [04] */
	cr_assert_eq(t_sh("sed '/^\\[05\\]/,$d' '%s'/corpus/000_*.txt > '%s'", t_root(), p), 0);
	cr_assert_eq(t_sh("cd '%s' && '%s' corpus import -o imported.txt cut.txt > stdout "
	                  "2> stderr",
	                  tmp, t_bin()),
	             1);
	char *err = rd("stderr");
	cr_assert(strstr(err, "cut.txt: the record lacks sections [05] [06] [07] [08] [09] [10]; "
	                      "not imported"),
	          "%s", err);
	free(err);
	cr_assert_neq(access("imported.txt", F_OK), 0);
	cr_assert_eq(t_sh("cd '%s' && '%s' corpus import --partial -o imported.txt cut.txt "
	                  "> stdout 2> stderr",
	                  tmp, t_bin()),
	             0);
	char *rec = rd("imported.txt");
	cr_assert(rec && strstr(rec, "[04] THE FLIGHT RISK"));
	free(rec);
}

Test(hostile, csv_with_an_unterminated_quote)
{
	static const char csv[] = "title,text\n"
	                          "Growth Hacker,\"We are a rocket ship. Drive synergy!\"\n"
	                          "Chief Vibes Officer,\"We are a family.\"\n"
	                          "Broken,\"Own the roadmap end to end.\n"
	                          "and this line is inside the open quote\n";
	char p[512];
	snprintf(p, sizeof(p), "%s/board.csv", tmp);
	t_spit(p, csv, sizeof(csv) - 1);
	cr_assert_eq(t_sh("cd '%s' && '%s' translate --csv --format json board.csv > stdout "
	                  "2> stderr",
	                  tmp, t_bin()),
	             1);
	char *out = rd("stdout"), *err = rd("stderr");
	cr_assert(strstr(err, "board.csv: row 3 (line 4): a quoted field is never closed"), "%s",
	          err);
	cr_assert(strstr(out, "{\"row\":1,\"line\":2,\"record\":"), "%s", out);
	cr_assert(strstr(out, "{\"row\":2,\"line\":3,\"record\":"), "%s", out);
	cr_assert(strstr(out, "{\"row\":3,\"line\":4,\"error\":\"a quoted field is never closed"),
	          "%s", out);
	free(out);
	free(err);
}

Test(hostile, jsonl_line_that_is_not_json)
{
	static const char lines[] = "{\"id\":1,\"text\":\"We are a family.\"}\n"
	                            "{\"id\":2,\"text\":\"unterminated\n"
	                            "{\"id\":3,\"text\":\"Drive synergy across stakeholders.\"}\n";
	char p[512];
	snprintf(p, sizeof(p), "%s/feed.jsonl", tmp);
	t_spit(p, lines, sizeof(lines) - 1);
	cr_assert_eq(t_sh("cd '%s' && '%s' translate --jsonl feed.jsonl > stdout 2> stderr", tmp,
	                  t_bin()),
	             1);
	char *out = rd("stdout"), *err = rd("stderr");
	cr_assert(strstr(err, "feed.jsonl:2: not JSON:"), "%s", err);
	cr_assert_eq(t_count(out, "\n"), 3u);
	cr_assert(strncmp(out, "{\"id\":1,\"record\":", 17) == 0, "%s", out);
	cr_assert(strstr(out, "\n{\"line\":2,\"error\":\"not JSON:"), "%s", out);
	cr_assert(strstr(out, "\n{\"id\":3,\"record\":"), "%s", out);
	free(out);
	free(err);
}

Test(hostile, jsonl_line_over_the_limit_is_skipped_unread)
{
	/* a 20 MB line between two good ones */
	size_t big = 20u * 1024 * 1024;
	char p[512];
	snprintf(p, sizeof(p), "%s/big.jsonl", tmp);
	FILE *f = fopen(p, "wb");
	cr_assert(f);
	fputs("{\"id\":1,\"text\":\"We are a family.\"}\n{\"id\":2,\"text\":\"", f);
	for (size_t i = 0; i < big / 8; i++)
		fputs("synergy ", f);
	fputs("\"}\n{\"id\":3,\"text\":\"Drive synergy across stakeholders.\"}\n", f);
	fclose(f);
	cr_assert_eq(t_sh("cd '%s' && '%s' translate --jsonl big.jsonl > stdout 2> stderr", tmp,
	                  t_bin()),
	             1);
	char *out = rd("stdout");
	cr_assert(strstr(out, "{\"line\":2,\"error\":\"the line is larger than the 8388608-byte "
	                      "limit"),
	          "%s", out);
	cr_assert(strstr(out, "\n{\"id\":3,\"record\":"));
	free(out);
}

/* ------------------------------------------------------------------ */
/* the database while it is rebuilt                                   */
/* ------------------------------------------------------------------ */

Test(hostile, database_read_while_corpus_build_rewrites_it)
{
	char db[512];
	snprintf(db, sizeof(db), "%s/live.db", tmp);
	cr_assert_eq(t_sh("cp '%s' '%s'", getenv("OTIOSE_DB") ? getenv("OTIOSE_DB") : "otiose.db", db),
	             0);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int bad = 0;
		/* two rebuilds: under valgrind one takes 45 s of CPU */
		for (int i = 0; i < 2; i++)
			bad |= t_sh("'%s' corpus build --rules '%s/rules' --corpus '%s/corpus' -o '%s' "
			            "> /dev/null 2>&1",
			            t_bin(), t_root(), t_root(), db);
		_exit(bad ? 1 : 0);
	}
	int reads = 0, st;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		int rc = t_sh("'%s' translate --db '%s' '%s/tests/data/sample_jd.txt' > /dev/null "
		              "2> '%s/live.err'",
		              t_bin(), db, t_root(), tmp);
		char *err = rd("live.err");
		cr_assert_eq(rc, 0, "a translate during the rebuild failed: %s", err);
		free(err);
		reads++;
	}
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "corpus build failed");
	cr_assert_gt(reads, 0);
	cr_assert_eq(t_sh("ls '%s' | grep -c tmp > /dev/null", tmp), 1,
	             "a temporary database was left behind");
}

/* ------------------------------------------------------------------ */
/* parsers stay linear                                                 */

/* CPU seconds an adversarial input may take: quadratic code takes minutes
 * on these inputs; sanitizers slow everything several times. */
#if defined(__SANITIZE_ADDRESS__)
#define LINEAR_CPU_LIMIT 6.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LINEAR_CPU_LIMIT 6.0
#endif
#endif
#ifndef LINEAR_CPU_LIMIT
#define LINEAR_CPU_LIMIT 1.0
#endif

/* [DoS] A record whose alias line is one 8 MB run-together word with a
 * capital every other letter: every capital is a place the splitter may
 * cut, and each look at the word around it used to rescan the word
 * (0.5 MB: 15 s, 2 MB: 202 s).  Now it is refused, in linear time, at its
 * 513th alias; and a line of 512 long aliases that must each be split
 * again is read in linear time too. */
Test(hostile, adversarial_alias_line_parses_in_linear_time)
{
	static const char head[] = "FILE RECORD: X\nWHAT DOES AN X ACTUALLY DO?\nX\n"
	                           "[01] THE ORG-CHART ARCHITECTURE\nKNOWN ALIASES / DISGUISES:\n";
	size_t body = 8u * 1024 * 1024 - sizeof(head) - 8, len = sizeof(head) - 1 + body + 1;
	char *rec = malloc(len + 1);
	cr_assert(rec);
	memcpy(rec, head, sizeof(head) - 1);
	for (size_t i = 0; i < body; i++)
		rec[sizeof(head) - 1 + i] = i % 2 ? 'B' : 'a';
	rec[len - 1] = '\n';
	rec[len] = '\0';
	otz_record *r = NULL;
	otz_error err = {0, ""};
	clock_t t0 = clock();
	int rc = otz_record_parse(&r, rec, len, "aliases.txt", &err);
	double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
	cr_expect_eq(rc, OTZ_ERECORD);
	cr_expect_str_eq(err.msg, "aliases.txt:6: KNOWN ALIASES / DISGUISES lists more than 512 "
	                          "aliases");
	cr_expect_lt(cpu, LINEAR_CPU_LIMIT, "%.2f s of CPU for an 8 MB alias line", cpu);
	otz_record_free(r);
	/* 500 aliases of 16 KB joined by " | ", each one long word: split on
	 * the separator, then each scanned again for cuts. */
	size_t o = sizeof(head) - 1;
	for (int k = 0; k < 500; k++) {
		for (int i = 0; i < 16000; i++)
			rec[o++] = i ? 'a' : 'A';
		memcpy(rec + o, " | ", 3);
		o += 3;
	}
	rec[o++] = '\n';
	r = NULL;
	t0 = clock();
	rc = otz_record_parse(&r, rec, o, "aliases.txt", &err);
	cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_expect_eq(r->naliases, 500);
	cr_expect_lt(cpu, LINEAR_CPU_LIMIT, "%.2f s of CPU for 500 aliases of 16 KB", cpu);
	otz_record_free(r);
	free(rec);
}

/* [DoS] `rules check` ran every example against every rule: 20,000 rules
 * took 190 s (5,000: about 20 s).  The examples now go through the
 * prefilter, as postings do: 5,000 rules in well under the limit. */
Test(hostile, rules_check_grows_with_the_rules_not_their_square)
{
	const size_t n = 5000;
	otz_buf b = OTZ_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		char word[16], one[512];
		size_t k = 0;
		for (size_t v = i; k == 0 || v; v /= 26)
			word[k++] = (char)('a' + v % 26);
		word[k] = '\0';
		snprintf(one, sizeof(one),
		         "rule: r%zu\ncategory: buzzword\nweight: %zu\npattern: \\bsynth%szq\\b\n"
		         "translate: Text number %zu.\nexample: We need synth%szq today.\n"
		         "counter: Not this one.\n\n",
		         i, 1 + i % 9, word, i, word);
		cr_assert_eq(otz_buf_append(&b, one), 0);
	}
	otz_ruleset *rs = NULL;
	otz_error err = {0, ""};
	cr_assert_eq(otz_ruleset_new(&rs), 0);
	clock_t t0 = clock();
	cr_assert_eq(otz_ruleset_parse(rs, "many.rules", b.ptr, b.len, &err), 0, "%s", err.msg);
	cr_assert_eq(otz_ruleset_compile(rs, 1, &err), 0, "%s", err.msg);
	cr_assert_eq(otz_ruleset_lint(rs, &err), 0, "%s", err.msg);
	double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
	cr_expect_eq(otz_ruleset_warning_count(rs), 0);
	cr_expect_lt(cpu, 5 * LINEAR_CPU_LIMIT, "%.2f s of CPU to check %zu rules", cpu, n);
	otz_ruleset_free(rs);
	otz_buf_dispose(&b);
}

/* ------------------------------------------------------------------ */
/* names and titles strangers chose                                    */

/* Does s hold a byte that moves a terminal: ESC, BEL, CSI or another C0
 * control but newline and tab? */
static int has_raw_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			return 1;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* C1 */
			return 1;
	}
	return 0;
}

/* [security] A file name becomes a link in index.html: it must stay a
 * relative path to that file, whatever characters it holds; before, a file
 * named javascript:... was a clickable script, and '#', '?' and '%' linked
 * elsewhere. */
Test(hostile, index_links_are_relative_paths_to_the_files)
{
	static const char *const names[] = {"javascript:void(document.title='x').txt", "a#b.txt",
	                                    "q?x.txt", "%41.txt", "sp ace\"q.txt"};
	static const char *const want[] = {
		"href=\"./javascript%3Avoid%28document.title%3D%27x%27%29.txt.html\"",
		"href=\"./a%23b.txt.html\"", "href=\"./q%3Fx.txt.html\"", "href=\"./%2541.txt.html\"",
		"href=\"./sp%20ace%22q.txt.html\""};
	t_sh("rm -rf '%s/in' '%s/out'; mkdir -p '%s/in/javascript:x'", tmp, tmp, tmp);
	size_t jl;
	char *jd = t_read_rel("tests/data", "sample_jd.txt", &jl);
	for (size_t i = 0; i < 5; i++) {
		char p[512];
		snprintf(p, sizeof(p), "%s/in/%s", tmp, names[i]);
		t_spit(p, jd, jl);
	}
	free(jd);
	cr_assert_eq(t_sh("cp '%s/tests/data/sample_jd.txt' '%s/in/javascript:x/y.txt'", t_root(), tmp),
	             0);
	cr_assert_eq(t_sh("cd '%s' && '%s' batch -q -f html in -o out 2> batch.err", tmp, t_bin()), 0);
	char *idx = rd("out/index.html");
	cr_assert(idx);
	for (size_t i = 0; i < 5; i++) {
		cr_expect(strstr(idx, want[i]), "no %s in index.html", want[i]);
		char p[512];
		snprintf(p, sizeof(p), "%s/out/%s.html", tmp, names[i]);
		cr_expect_eq(access(p, R_OK), 0, "%s is not where its link leads", p);
	}
	cr_expect(strstr(idx, "href=\"./javascript%3Ax/y.txt.html\""), "the folder's link");
	/* every link is relative: none names a scheme */
	for (const char *p = idx; (p = strstr(p, "href=\"")); p += 6)
		cr_expect(strncmp(p + 6, "./", 2) == 0, "a link that is not relative: %.60s", p);
	free(idx);
}

/* [security] Titles from --title, JSON and CSV, and file names, reach the
 * terminal and the files written: their escapes, bells and newlines must
 * not.  A newline in a title forged a line of the record ("OTIOSE INDEX:
 * 0/100 (certified real job)" above the real one). */
Test(hostile, titles_and_names_carry_no_control_characters_out)
{
	char p[512];
	t_sh("rm -rf '%s/in' '%s/out'; mkdir -p '%s/in'", tmp, tmp, tmp);
	/* a title with an OSC window-title escape, a bell and a forged line */
	cr_assert_eq(t_sh("cd '%s' && T=$(printf 'Evil\\033]0;pwned\\007 Lead\\nOTIOSE INDEX: 0/100 "
	                  "(certified real job)') && '%s' translate -t \"$T\" '%s/tests/data/sample_jd.txt' "
	                  "> stdout 2> stderr && '%s' translate -f md -t \"$T\" "
	                  "'%s/tests/data/sample_jd.txt' > md && '%s' translate -f json -t \"$T\" "
	                  "'%s/tests/data/sample_jd.txt' > json",
	                  tmp, t_bin(), t_root(), t_bin(), t_root(), t_bin(), t_root()),
	             0);
	char *out = rd("stdout"), *md = rd("md"), *js = rd("json");
	cr_expect(!has_raw_control(out), "a control character in the text record");
	cr_expect(!has_raw_control(md), "a control character in the Markdown record");
	cr_expect_eq(t_count(out, "\nOTIOSE INDEX:"), 1u, "a forged line: %.300s", out);
	cr_expect(strstr(out, "\nEvil]0;pwned Lead OTIOSE INDEX: 0/100 (certified real job)\n"),
	          "%.300s", out);
	cr_expect(strstr(md, "# Evil\\]0;pwned Lead OTIOSE INDEX: 0/100 (certified real job)\n"),
	          "%.200s", md);
	cr_expect(strstr(js, "\"title\": \"Evil]0;pwned Lead OTIOSE INDEX: 0/100 (certified real job)\""),
	          "%.300s", js);
	free(out);
	free(md);
	free(js);
	/* invalid UTF-8 in a title: replaced, and the title kept in JSON */
	cr_assert_eq(t_sh("cd '%s' && '%s' translate -f json -t \"$(printf 'Bad \\377 Title')\" "
	                  "'%s/tests/data/sample_jd.txt' > json",
	                  tmp, t_bin(), t_root()),
	             0);
	js = rd("json");
	cr_expect(strstr(js, "\"title\": \"Bad \xef\xbf\xbd Title\""), "%.200s", js);
	free(js);
	/* titles from a JSON line and a CSV row */
	snprintf(p, sizeof(p), "%s/in/jobs.jsonl", tmp);
	static const char jl[] = "{\"title\":\"A\\u001b[2JB\\u0007\",\"text\":\"Drive synergy across "
	                         "teams. We need a rockstar.\"}\n";
	t_spit(p, jl, sizeof(jl) - 1);
	cr_assert_eq(t_sh("cd '%s' && '%s' translate --jsonl -f json in/jobs.jsonl > jl", tmp, t_bin()),
	             0);
	char *j = rd("jl");
	cr_expect(strstr(j, "\"title\":\"A[2JB\""), "%.300s", j);
	free(j);
	snprintf(p, sizeof(p), "%s/in/board.csv", tmp);
	static const char csv[] = "title,text\n\"C\x1b[31mD\",Drive synergy across teams.\n";
	t_spit(p, csv, sizeof(csv) - 1);
	cr_assert_eq(t_sh("cd '%s' && '%s' translate --csv in/board.csv > csvout", tmp, t_bin()), 0);
	char *c = rd("csvout");
	cr_expect(!has_raw_control(c), "%s", c);
	cr_expect(strstr(c, "\nC[31mD\n"), "%.300s", c);
	free(c);
	/* a file name with an escape and a newline: batch's summary, on the
	 * terminal and in summary.txt, and its error lines */
	snprintf(p, sizeof(p), "%s/in/x\033[31my\nz.txt", tmp);
	t_spit(p, "\x01\x02", 2); /* binary: an error line names it */
	cr_assert_eq(t_sh("cd '%s' && '%s' batch in -o out > batch.out 2> batch.err", tmp, t_bin()), 1);
	char *bo = rd("batch.out"), *be = rd("batch.err"), *st = rd("out/summary.txt");
	cr_expect(!has_raw_control(bo), "%s", bo);
	cr_expect(!has_raw_control(be), "%s", be);
	cr_expect(!has_raw_control(st), "%s", st);
	cr_expect(strstr(st, "error: x\\x1b[31my\\nz.txt: "), "%s", st);
	free(bo);
	free(be);
	free(st);
}

/* [security] corpus import refuses a record with control characters: an
 * imported specimen lends its text to every record that borrows from it. */
Test(hostile, corpus_import_refuses_control_characters)
{
	char *seed = t_read_rel("corpus", "000_lead-ai-human-in-the-loop-integration-specialist.txt",
	                        NULL);
	char *at = strstr(seed, "\n[02]");
	cr_assert(at);
	size_t len = strlen(seed);
	char *bad = malloc(len + 16);
	size_t head = (size_t)(at - seed);
	memcpy(bad, seed, head);
	memcpy(bad + head, "\n\x1b]0;x\x07", 7);
	memcpy(bad + head + 7, at, len - head + 1);
	char p[512];
	snprintf(p, sizeof(p), "%s/evil.txt", tmp);
	t_spit(p, bad, strlen(bad));
	cr_assert_eq(t_sh("cd '%s' && '%s' corpus import -o imported.txt evil.txt > stdout 2> stderr",
	                  tmp, t_bin()),
	             1);
	char *err = rd("stderr");
	cr_expect(strstr(err, "evil.txt:"), "%s", err);
	cr_expect(strstr(err, "control character U+001B"), "%s", err);
	cr_expect(!has_raw_control(err), "%s", err);
	snprintf(p, sizeof(p), "%s/imported.txt", tmp);
	cr_expect_neq(access(p, F_OK), 0, "the record was written anyway");
	free(err);
	free(bad);
	free(seed);
}

/* [security] corpus import -o and corpus build write through temporary
 * files: a link planted where they would be must not be followed.  The
 * names are now unguessable and opened O_EXCL|O_NOFOLLOW (the unit test is
 * in test_clilib.c); here, a planted link under the old guessable names
 * (OUTPUT.tmp.PID for the database) is left alone, and the output is
 * written. */
Test(hostile, builds_and_imports_leave_planted_links_alone)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/victim", tmp);
	t_spit(p, "precious", 8);
	/* every PID the next few processes could get, as the old name */
	cr_assert_eq(t_sh("cd '%s' && for i in $(seq $$ $(($$ + 200))); do "
	                  "ln -s victim \"x.db.tmp.$i\"; done",
	                  tmp),
	             0);
	cr_assert_eq(t_sh("cd '%s' && '%s' corpus build --quiet --rules '%s/rules' --corpus "
	                  "'%s/corpus' -o x.db 2> err",
	                  tmp, t_bin(), t_root(), t_root()),
	             0);
	char *v = rd("victim");
	cr_expect_str_eq(v, "precious");
	free(v);
	cr_expect_eq(t_sh("cd '%s' && test -s x.db && ! test -L x.db", tmp), 0);
	t_sh("cd '%s' && rm -f x.db*", tmp);
}

/* [lost work] A build killed mid-write left DB.tmp.PID forever; the next
 * build removes those of processes that are gone, and only those. */
Test(hostile, stale_temporary_databases_are_removed)
{
	/* PID 999999999 cannot exist; this test's own PID is alive */
	cr_assert_eq(t_sh("cd '%s' && printf x > x.db.tmp.999999999 && printf x > "
	                  "x.db.tmp.999999998.abcd && printf x > x.db.tmp.%ld.0000 && "
	                  "printf x > x.db.tmpfile",
	                  tmp, (long)getpid()),
	             0);
	cr_assert_eq(t_sh("cd '%s' && '%s' corpus build --quiet --rules '%s/rules' --corpus "
	                  "'%s/corpus' -o x.db 2> err",
	                  tmp, t_bin(), t_root(), t_root()),
	             0);
	cr_expect_eq(t_sh("cd '%s' && ! test -e x.db.tmp.999999999 && ! test -e "
	                  "x.db.tmp.999999998.abcd",
	                  tmp),
	             0, "a stale temporary database is left");
	cr_expect_eq(t_sh("cd '%s' && test -e x.db.tmpfile", tmp), 0, "a file not ours was removed");
	cr_expect_eq(t_sh("cd '%s' && ls x.db.tmp.* | grep -v 99999999 | wc -l | grep -q 1", tmp), 0,
	             "the live process's temporary file was removed");
	t_sh("cd '%s' && rm -f x.db*", tmp);
}

/* [lost work] corpus import said "raise it with --max-bytes" and did not
 * take the option; and it cut absurd figures down to size without a word.
 * Now the option exists, and an impossible salary, flight risk or match is
 * refused with its line. */
Test(hostile, corpus_import_takes_max_bytes_and_refuses_absurd_figures)
{
	char *seed = t_read_rel("corpus", "000_lead-ai-human-in-the-loop-integration-specialist.txt",
	                        NULL);
	char p[512];
	snprintf(p, sizeof(p), "%s/seed.txt", tmp);
	t_spit(p, seed, strlen(seed));
	cr_assert_eq(t_sh("cd '%s' && '%s' corpus import --max-bytes 1K seed.txt > out 2> err", tmp,
	                  t_bin()),
	             1);
	char *err = rd("err");
	cr_expect(strstr(err, "larger than the 1024-byte limit (raise it with --max-bytes)"), "%s", err);
	free(err);
	cr_assert_eq(t_sh("cd '%s' && '%s' corpus import --max-bytes 1M seed.txt > out 2> err", tmp,
	                  t_bin()),
	             0);
	static const struct {
		const char *from, *to, *msg;
	} cases[] = {
		{"\nFLIGHT RISK:85%", "\nFLIGHT RISK:850%", "a flight risk of 850% is more than certain"},
		{"SYSTEM MATCH: 98%", "SYSTEM MATCH: 9800%", "a SYSTEM MATCH of 9800% is more than a whole "
		                                            "match"},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char *at = strstr(seed, cases[k].from);
		cr_assert(at, "%s", cases[k].from);
		size_t head = (size_t)(at - seed), fl = strlen(cases[k].from), tl = strlen(cases[k].to);
		char *bad = malloc(strlen(seed) + tl + 1);
		memcpy(bad, seed, head);
		memcpy(bad + head, cases[k].to, tl);
		strcpy(bad + head + tl, at + fl);
		t_spit(p, bad, strlen(bad));
		free(bad);
		cr_assert_eq(t_sh("cd '%s' && '%s' corpus import seed.txt > out 2> err", tmp, t_bin()), 1);
		err = rd("err");
		cr_expect(strstr(err, cases[k].msg), "%s", err);
		cr_expect(strstr(err, "seed.txt:"), "no line: %s", err);
		free(err);
	}
	/* a salary no job pays */
	static const char rec[] = "FILE RECORD: X\nWHAT DOES AN X ACTUALLY DO?\nX\n"
	                          "[03] SALARY DELUSION\nMARKET AVERAGE\n$999,999,999,999,999\n";
	t_spit(p, rec, sizeof(rec) - 1);
	cr_assert_eq(t_sh("cd '%s' && '%s' corpus import --partial seed.txt > out 2> err", tmp,
	                  t_bin()),
	             1);
	err = rd("err");
	cr_expect(strstr(err, "seed.txt:6: a market average above $100000000 is no salary"), "%s", err);
	free(err);
	free(seed);
}

/* ------------------------------------------------------------------ */
/* batch: what a folder of strangers' files can do                     */

/* Three sample postings in tmp/in, with distinct texts. */
static void three_inputs(void)
{
	t_sh("rm -rf '%s/in' '%s/out'; mkdir -p '%s/in'", tmp, tmp, tmp);
	for (int i = 0; i < 3; i++) {
		char p[512], text[256];
		snprintf(p, sizeof(p), "%s/in/job%d.txt", tmp, i);
		snprintf(text, sizeof(text), "Data Analyst\nDrive synergy across stakeholders, posting %d.\n"
		                             "We need a rockstar ninja who writes SQL.\n",
		         i);
		t_spit(p, text, strlen(text));
	}
}

/* [security] A link in DIR to a private file, or to a folder, outside DIR
 * is not followed (its text would end up in OUT); --follow-links follows
 * them.  A FIFO with an input's name is skipped, not waited on; a loop of
 * links ends; hidden names are listed as not read. */
Test(hostile, batch_stays_inside_its_folder)
{
	three_inputs();
	cr_assert_eq(t_sh("cd '%s' && mkdir -p private/docs && printf 'Secret salary spreadsheet "
	                  "synergy.\\n' > private/secret.txt && cp private/secret.txt private/docs/a.txt "
	                  "&& ln -s ../private/secret.txt in/leak.txt && ln -s ../private/docs in/docs "
	                  "&& mkfifo in/pipe.txt && mkdir in/sub && ln -s .. in/sub/up && "
	                  "printf x > in/.hidden.txt && mkdir in/.git",
	                  tmp),
	             0);
	cr_assert_eq(t_sh("cd '%s' && timeout 60 '%s' batch in -o out > out.txt 2> err.txt", tmp,
	                  t_bin()),
	             1);
	char *st = rd("out/summary.txt");
	cr_expect(strstr(st, "in/leak.txt: symbolic link to "), "%s", st);
	cr_expect(strstr(st, "outside in (skipped; --follow-links follows it)"), "%s", st);
	cr_expect(strstr(st, "in/docs: symbolic link to "), "%s", st);
	cr_expect(strstr(st, "in/pipe.txt: not a regular file (skipped)"), "%s", st);
	cr_expect(strstr(st, "in/sub/up: a folder already walked"), "%s", st);
	cr_expect(strstr(st, "not read: in/.hidden.txt: hidden file (not read)"), "%s", st);
	cr_expect(strstr(st, "not read: in/.git: hidden folder (not read)"), "%s", st);
	cr_expect(strstr(st, "3 inputs: 3 translated"), "%s", st);
	free(st);
	cr_expect_neq(t_sh("grep -rq 'Secret salary' '%s/out'", tmp), 0, "a file outside DIR was read");
	/* followed when asked for */
	cr_assert_eq(t_sh("cd '%s' && rm in/pipe.txt && timeout 60 '%s' batch --follow-links in -o "
	                  "out2 > /dev/null 2>&1",
	                  tmp, t_bin()),
	             1 /* the loop is still reported */);
	cr_expect_eq(t_sh("test -s '%s/out2/leak.txt.txt' && test -s '%s/out2/docs/a.txt.txt'", tmp,
	                  tmp),
	             0);
}

/* [lost work] A rerun skipped an input rewritten within the same second,
 * one restored with an older time (cp -p), and everything when run with
 * another database or other options.  The sidecar now records what made
 * the output; any change redoes it. */
Test(hostile, batch_redoes_what_changed_since)
{
	three_inputs();
	cr_assert_eq(t_sh("cd '%s' && '%s' batch -q in -o out && cp -p in/job1.txt keep1.txt", tmp,
	                  t_bin()),
	             0);
	/* job0 rewritten, then given back its old time to the nanosecond */
	cr_assert_eq(t_sh("cd '%s' && touch -r in/job0.txt stamp && printf 'Recruiter\\nWe value "
	                  "synergy, posting 0b.\\nWe need a rockstar.\\n' > in/job0.txt && touch -r stamp "
	                  "in/job0.txt && '%s' batch in -o out > o1 2> e1",
	                  tmp, t_bin()),
	             0);
	char *e = rd("e1");
	cr_expect(strstr(e, "2 of them were already up to date"), "%s", e);
	free(e);
	char *rec = rd("out/job0.txt.txt");
	cr_expect(strstr(rec, "posting 0b"), "the rewritten input was not redone");
	free(rec);
	/* job1 restored from an older copy with its older time */
	cr_assert_eq(t_sh("cd '%s' && sleep 0.05 && printf 'Changed\\nPosting changed.\\n' > in/job1.txt "
	                  "&& '%s' batch -q in -o out && cp -p keep1.txt in/job1.txt && '%s' batch in "
	                  "-o out > o2 2> e2",
	                  tmp, t_bin(), t_bin()),
	             0);
	e = rd("e2");
	cr_expect(strstr(e, "2 of them were already up to date"), "%s", e);
	free(e);
	rec = rd("out/job1.txt.txt");
	cr_expect(strstr(rec, "posting 1"), "the restored input was not redone");
	free(rec);
	/* other options, another database: everything redone */
	cr_assert_eq(t_sh("cd '%s' && '%s' batch --show-rules in -o out > o3 2> e3", tmp, t_bin()), 0);
	e = rd("e3");
	cr_expect_null(strstr(e, "already up to date"), "%s", e);
	free(e);
	cr_assert_eq(t_sh("cd '%s' && '%s' corpus build -q --rules '%s/rules' --corpus '%s/corpus' -o "
	                  "other.db && '%s' batch --show-rules --db other.db in -o out > o4 2> e4",
	                  tmp, t_bin(), t_root(), t_root(), t_bin()),
	             0);
	e = rd("e4");
	cr_expect_null(strstr(e, "already up to date"), "%s", e);
	free(e);
	/* and with nothing changed, nothing redone */
	cr_assert_eq(t_sh("cd '%s' && '%s' batch --show-rules --db other.db in -o out > o5 2> e5", tmp,
	                  t_bin()),
	             0);
	e = rd("e5");
	cr_expect(strstr(e, "3 of them were already up to date"), "%s", e);
	free(e);
}

/* [lost work] OUT inside DIR was read back as input on the rerun
 * (out/out/out/...); OUT equal to DIR wrote beside the inputs; OUT that is
 * a file, /dev/null or unwritable was found out once per input, after
 * translating it.  Each is now settled before any work, with one message
 * naming OUT. */
Test(hostile, batch_checks_out_before_it_starts)
{
	three_inputs();
	for (int run = 0; run < 2; run++)
		cr_assert_eq(t_sh("cd '%s' && '%s' batch -q in -o in/out", tmp, t_bin()), 0);
	cr_expect_neq(t_sh("test -e '%s/in/out/out'", tmp), 0, "OUT was read as input");
	char *st = rd("in/out/summary.txt");
	cr_expect(strstr(st, "3 inputs: 0 translated, 3 up to date"), "%s", st);
	cr_expect(strstr(st, "not read: in/out: the output folder (not read)"), "%s", st);
	free(st);
	cr_assert_eq(t_sh("cd '%s' && '%s' batch in -o in/. 2> err", tmp, t_bin()), 2);
	char *e = rd("err");
	cr_expect(strstr(e, "is DIR itself"), "%s", e);
	free(e);
	static const char *const bad[] = {"afile", "/dev/null"};
	for (int k = 0; k < 2; k++) {
		cr_assert_eq(t_sh("cd '%s' && printf x > afile && '%s' batch in -o %s > out.txt 2> err", tmp,
		                  t_bin(), bad[k]),
		             1);
		e = rd("err");
		cr_expect(strstr(e, "not a folder"), "%s", e);
		cr_expect_eq(t_count(e, "\n"), 1u, "one message, not one per input: %s", e);
		free(e);
	}
	if (geteuid() != 0) { /* root writes anywhere */
		cr_assert_eq(t_sh("cd '%s' && mkdir -p ro && chmod 555 ro && '%s' batch in -o ro 2> err", tmp,
		                  t_bin()),
		             1);
		e = rd("err");
		cr_expect(strstr(e, "ro: cannot write there"), "%s", e);
		cr_expect_eq(t_count(e, "\n"), 1u, "%s", e);
		free(e);
	}
}

/* [lost work] Two batches into one OUT deleted each other's temporary
 * files.  OUT is now locked; the second is refused and named. */
Test(hostile, a_second_batch_into_the_same_out_is_refused)
{
	three_inputs();
	cr_assert_eq(t_sh("mkdir -p '%s/out'", tmp), 0);
	char p[512];
	snprintf(p, sizeof(p), "%s/out/.otiose-lock", tmp);
	int fd = open(p, O_RDWR | O_CREAT, 0644);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "4242\n", 5), 5);
	cr_assert_eq(flock(fd, LOCK_EX | LOCK_NB), 0); /* as a running batch holds it */
	cr_assert_eq(t_sh("cd '%s' && printf x > out/.otiose-tmp-1-2-3 && '%s' batch in -o out 2> err",
	                  tmp, t_bin()),
	             1);
	char *e = rd("err");
	cr_expect(strstr(e, "out: another batch (PID 4242) is writing there"), "%s", e);
	free(e);
	cr_expect_eq(t_sh("test -e '%s/out/.otiose-tmp-1-2-3'", tmp), 0,
	             "the other batch's temporary file was removed");
	close(fd); /* the batch ends: the next one may run */
	cr_assert_eq(t_sh("cd '%s' && '%s' batch -q in -o out", tmp, t_bin()), 0);
}

/* [lost work] A 251-byte input name: its output was written but not its
 * sidecar (the name plus ".json" is too long), so it was redone forever;
 * an input x.txt beside a folder x.txt.txt/ collided depending on thread
 * timing.  Long names are shortened with a hash; collisions fail before
 * anything runs. */
Test(hostile, batch_long_and_colliding_names)
{
	three_inputs();
	char name[300], p[600];
	memset(name, 'n', 247);
	strcpy(name + 247, ".txt");
	snprintf(p, sizeof(p), "%s/in/%s", tmp, name);
	t_spit(p, "Analyst\nDrive synergy across stakeholders.\n", 43);
	cr_assert_eq(t_sh("cd '%s' && '%s' batch -q in -o out && '%s' batch in -o out > o 2> e", tmp,
	                  t_bin(), t_bin()),
	             0);
	char *e = rd("e");
	cr_expect(strstr(e, "4 of them were already up to date"), "%s", e);
	free(e);
	cr_expect_eq(t_sh("ls '%s/out' | grep -q '^nnnn.*~[0-9a-f]\\{16\\}\\.txt$'", tmp), 0);
	/* x.txt's output is out/x.txt.txt, where the folder x.txt.txt's outputs must go */
	cr_assert_eq(t_sh("cd '%s' && mkdir -p in/x.txt.txt && printf 'Analyst\\nDrive synergy.\\n' > "
	                  "in/x.txt && printf 'Analyst\\nDrive synergy.\\n' > in/x.txt.txt/y.txt && "
	                  "'%s' batch -q in -o out2 2> e2",
	                  tmp, t_bin()),
	             1);
	e = rd("e2");
	cr_expect(strstr(e, "x.txt: its output OUT/x.txt.txt would be a file where another input's "
	                    "output folder must be"),
	          "%s", e);
	free(e);
	cr_expect_eq(t_sh("test -s '%s/out2/x.txt.txt/y.txt.txt'", tmp), 0);
}

/* [lost work] A full disk: the batch went on translating every input.  It
 * now stops after a handful of failed writes, says so once, and still
 * gives the summary of what was done. */
Test(hostile, a_full_disk_stops_the_batch)
{
	t_sh("rm -rf '%s/in' '%s/full'; mkdir -p '%s/in' '%s/full'", tmp, tmp, tmp, tmp);
	if (t_sh("mount -t tmpfs -o size=48k tmpfs '%s/full' 2>/dev/null", tmp) != 0)
		cr_skip_test("cannot mount a small file system here (needs root and a tmpfs)");
	cr_assert_eq(t_sh("'%s' bench --generate 200 --seed 5 --write '%s/in' 2>/dev/null", t_bin(), tmp),
	             0);
	int rc = t_sh("cd '%s' && timeout 120 '%s' batch -j 1 in -o full > out.txt 2> err.txt", tmp,
	              t_bin());
	char *e = rd("err.txt"), *o = rd("out.txt");
	t_sh("umount '%s/full'", tmp);
	cr_expect_eq(rc, 1);
	cr_expect_eq(t_count(e, "no space left on the device; stopped after 5 writes failed"), 1u, "%s",
	             e);
	cr_expect(strstr(o, "200 inputs: "), "no summary on the terminal: %s", o);
	cr_expect(strstr(o, "not translated: the disk is full"), "%.2000s", o);
	free(e);
	free(o);
}

/* [lost work] batch --csv: one invalid byte ended the whole run with exit 3
 * and no message, even with --lossy; rows of an earlier, longer export and
 * of other CSVs were counted again (one shared spool folder); a NUL in a
 * field was reported against a spool file. */
Test(hostile, batch_csv_rows_are_counted_and_named_right)
{
	char p[512];
	t_sh("rm -rf '%s/out'", tmp);
	snprintf(p, sizeof(p), "%s/board.csv", tmp);
	static const char csv[] = "title,text\nAnalyst,Drive synergy across stakeholders.\n"
	                          "Engineer,We need a rockstar \xff ninja.\n"
	                          "Recruiter,Own the funnel end to end.\n";
	t_spit(p, csv, sizeof(csv) - 1);
	cr_assert_eq(t_sh("cd '%s' && '%s' batch -q --csv board.csv -o out 2> err", tmp, t_bin()), 1);
	char *e = rd("err");
	cr_expect(strstr(e, "board.csv: row 2 (line 3): invalid UTF-8 at byte 19 of its text (use "
	                    "--lossy to replace bad bytes) (skipped)"),
	          "%s", e);
	free(e);
	char *st = rd("out/summary.txt");
	cr_expect(strstr(st, "2 inputs: 2 translated, 0 up to date, 0 failed, 1 skipped"), "%s", st);
	free(st);
	cr_assert_eq(t_sh("cd '%s' && '%s' batch -q --lossy --csv board.csv -o out", tmp, t_bin()), 0);
	cr_expect_eq(t_sh("test -s '%s/out/board/row-000002.txt'", tmp), 0);
	/* a shorter export of the same name, and another CSV, into the same OUT */
	static const char shorter[] = "title,text\nAnalyst,Drive synergy across stakeholders.\n";
	t_spit(p, shorter, sizeof(shorter) - 1);
	cr_assert_eq(t_sh("cd '%s' && '%s' batch -q --csv board.csv -o out", tmp, t_bin()), 0);
	st = rd("out/summary.txt");
	cr_expect(strstr(st, "1 inputs: 1 translated, 0 up to date"), "rows of the earlier export counted: %s",
	          st);
	free(st);
	snprintf(p, sizeof(p), "%s/other.csv", tmp);
	static const char nul[] = "title,text\nA,Drive synergy.\nB,We need\0 a ninja.\n";
	t_spit(p, nul, sizeof(nul) - 1);
	cr_assert_eq(t_sh("cd '%s' && '%s' batch -q --csv other.csv -o out 2> err", tmp, t_bin()), 1);
	e = rd("err");
	cr_expect(strstr(e, "other.csv: row 2 (line 3): a NUL byte in its text (skipped)"), "%s", e);
	free(e);
	st = rd("out/summary.txt");
	cr_expect(strstr(st, "1 inputs: 1 translated, 0 up to date, 0 failed, 1 skipped"), "board.csv's rows counted: %s",
	          st);
	free(st);
}
