/*
 * test_cli.c - end-to-end tests of the otiose command line.
 *
 * Each test runs the real binary ($OTIOSE_BIN, built by `make test`) with
 * the real corpus database ($OTIOSE_DB) as a user would: arguments, bytes
 * on stdin, files on disk; then checks the exit code, what reached stdout
 * (whole records or nothing) and what reached stderr (a message that names
 * the file and the problem).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "support.h"

extern char **environ;

typedef struct run_result {
	int code;
	char *out;
	size_t outlen;
	char *err;
} run_result;

static char tmpdir[64];

static void make_tmpdir(void)
{
	t_mkdtemp(tmpdir, sizeof(tmpdir), "cli");
}

static void remove_tmpdir(void)
{
	t_rmtree(tmpdir);
}

/*
 * Run the binary with argv (argv[0] is ignored), stdin from `in` (NULL: from
 * /dev/null; use run_tty for a terminal), optionally without OTIOSE_DB in
 * its environment, and with extra "NAME=value" settings.
 */
static run_result run_ex(const char *exe, const char *in, size_t inlen, const char *const *argv,
                         int drop_db, const char *extra_env)
{
	char inp[96], outp[96], errp[96];
	snprintf(inp, sizeof(inp), "%s/stdin", tmpdir);
	snprintf(outp, sizeof(outp), "%s/stdout", tmpdir);
	snprintf(errp, sizeof(errp), "%s/stderr", tmpdir);
	t_spit(inp, in ? in : "", in ? inlen : 0);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int fi = open(in ? inp : "/dev/null", O_RDONLY);
		int fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fi, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		if (drop_db)
			unsetenv("OTIOSE_DB");
		if (extra_env)
			putenv((char *)extra_env);
		size_t n = 0;
		while (argv[n])
			n++;
		char **av = calloc(n + 1, sizeof(char *));
		av[0] = (char *)exe;
		for (size_t i = 1; i < n; i++)
			av[i] = (char *)argv[i];
		/* a hang guard; make valgrind loosens it */
		const char *guard = getenv("OTIOSE_TEST_HANG_GUARD");
		alarm(guard ? (unsigned)atoi(guard) : 120);
		execv(exe, av);
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

static run_result run(const char *in, size_t inlen, const char *const *argv)
{
	return run_ex(t_bin(), in, inlen, argv, 0, NULL);
}

static void run_free(run_result *r)
{
	free(r->out);
	free(r->err);
}

static const char seed_quotes[] =
	"Lead onboarding coordination for high-profile or large-scale cohorts ensuring tailored "
	"planning, streamlined execution, and alignment with external funder or partner "
	"expectations.\n"
	"Exposure to human-in-the-loop AI processes and automation in data review workflows.\n"
	"Architect, develop, test, and enhance chatbots using the [website] platform.\n";

static const char seed_title[] = "Lead AI Human-in-the-Loop Integration Specialist";

TestSuite(cli, .init = make_tmpdir, .fini = remove_tmpdir, .timeout = 300);

Test(cli, help_and_version)
{
	const char *a1[] = {"otiose", "--help", NULL};
	run_result r = run(NULL, 0, a1);
	cr_assert_eq(r.code, 0);
	cr_assert(strstr(r.out, "translate") && strstr(r.out, "corpus") && strstr(r.out, "rules"));
	run_free(&r);

	const char *a2[] = {"otiose", "--version", NULL};
	r = run(NULL, 0, a2);
	cr_assert_eq(r.code, 0);
	cr_assert(strncmp(r.out, "otiose ", 7) == 0, "got %s", r.out);
	run_free(&r);

	const char *a3[] = {"otiose", "frobnicate", NULL};
	r = run(NULL, 0, a3);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "unknown command 'frobnicate'"), "stderr: %s", r.err);
	cr_assert_eq(r.outlen, 0);
	run_free(&r);

	const char *a4[] = {"otiose", NULL};
	r = run(NULL, 0, a4);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "usage: otiose"));
	run_free(&r);
}

Test(cli, every_command_has_help)
{
	const char *cmds[][4] = {{"otiose", "translate", "--help", NULL},
	                         {"otiose", "corpus", "--help", NULL},
	                         {"otiose", "corpus", "build", "--help"},
	                         {"otiose", "corpus", "import", "--help"},
	                         {"otiose", "corpus", "add", "--help"},
	                         {"otiose", "rules", "stats", "--help"},
	                         {"otiose", "specimens", "--help", NULL},
	                         {"otiose", "rules", "--help", NULL},
	                         {"otiose", "help", "translate", NULL}};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const char *argv[5] = {cmds[i][0], cmds[i][1], cmds[i][2], cmds[i][3], NULL};
		run_result r = run(NULL, 0, argv);
		cr_assert_eq(r.code, 0, "%s %s: exit %d", cmds[i][1], cmds[i][2], r.code);
		cr_assert(strstr(r.out, "usage: otiose"), "%s %s: %s", cmds[i][1], cmds[i][2], r.out);
		run_free(&r);
	}
}

/* version answers --help like every other command, and help version too. */
Test(cli, version_help_is_help)
{
	const char *a1[] = {"otiose", "version", "--help", NULL};
	run_result r = run(NULL, 0, a1);
	cr_assert_eq(r.code, 0);
	cr_assert(strncmp(r.out, "usage: otiose version\n", 22) == 0, "%s", r.out);
	run_free(&r);
	const char *a2[] = {"otiose", "help", "version", NULL};
	r = run(NULL, 0, a2);
	cr_assert_eq(r.code, 0);
	cr_assert(strncmp(r.out, "usage: otiose version\n", 22) == 0, "%s", r.out);
	run_free(&r);
	const char *a3[] = {"otiose", "version", NULL};
	r = run(NULL, 0, a3);
	cr_assert_eq(r.code, 0);
	cr_assert(strncmp(r.out, "otiose 0.", 9) == 0, "%s", r.out);
	run_free(&r);
}

/* `otiose help CMD SUB` is the help of the subcommand, as `otiose CMD SUB --help` is. */
Test(cli, help_of_a_subcommand)
{
	const char *pairs[][3] = {{"corpus", "build", "usage: otiose corpus build"},
	                          {"corpus", "import", "usage: otiose corpus import"},
	                          {"corpus", "add", "usage: otiose corpus add"},
	                          {"rules", "check", "usage: otiose rules check"},
	                          {"rules", "stats", "usage: otiose rules stats"}};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const char *a1[] = {"otiose", "help", pairs[i][0], pairs[i][1], NULL};
		run_result r = run(NULL, 0, a1);
		cr_assert_eq(r.code, 0, "help %s %s: %s", pairs[i][0], pairs[i][1], r.err);
		cr_assert(strncmp(r.out, pairs[i][2], strlen(pairs[i][2])) == 0, "help %s %s: %s",
		          pairs[i][0], pairs[i][1], r.out);
		const char *a2[] = {"otiose", pairs[i][0], pairs[i][1], "--help", NULL};
		run_result r2 = run(NULL, 0, a2);
		cr_assert_eq(r2.code, 0);
		cr_assert_str_eq(r.out, r2.out, "help %s %s", pairs[i][0], pairs[i][1]);
		run_free(&r2);
		run_free(&r);
	}
	/* A parent's help lists its subcommands; a wrong one is a usage error that names them. */
	const char *a3[] = {"otiose", "help", "corpus", NULL};
	run_result r = run(NULL, 0, a3);
	cr_assert_eq(r.code, 0);
	cr_assert(strstr(r.out, "usage: otiose corpus <build|import|add>"), "%s", r.out);
	run_free(&r);
	const char *a4[] = {"otiose", "rules", "frob", NULL};
	r = run(NULL, 0, a4);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "unknown subcommand 'frob' (check, stats)"), "%s", r.err);
	run_free(&r);
}

Test(cli, seed_quotes_translate_to_three_and_rank_the_seed_first)
{
	const char *argv[] = {"otiose", "translate", NULL};
	run_result r = run(seed_quotes, strlen(seed_quotes), argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert_eq(t_count(r.out, "LINKEDIN ILLUSION"), 3);
	cr_assert_eq(t_count(r.out, "OTIOSE TRANSLATION"), 3);
	const char *rel = strstr(r.out, "[11] RELATED SPECIMENS\n");
	cr_assert(rel);
	const char *first = strchr(strstr(rel, "SYSTEM MATCH: "), '\n') + 1;
	cr_assert(strncmp(first, seed_title, strlen(seed_title)) == 0, "first related: %.60s", first);
	cr_assert_null(strstr(r.out, "\x1b["), "colour on a pipe");
	run_free(&r);
}

Test(cli, seed_record_matches_itself_at_100)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/corpus/000_lead-ai-human-in-the-loop-integration-specialist.txt",
	         t_root());
	const char *argv[] = {"otiose", "translate", path, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	char want[256];
	snprintf(want, sizeof(want), "SYSTEM MATCH: 100%%\n%s\n", seed_title);
	cr_assert(strstr(r.out, want), "no 100%% self-match in:\n%s", r.out);
	cr_assert(strncmp(r.out, "FILE RECORD: LEAD-AI-HUMAN-IN-THE-LOOP-INTEGRATION-SPECIALIST\n", 62) == 0);
	run_free(&r);
}

Test(cli, json_output_has_spans_rules_reasons_and_evidence)
{
	char path[512];
	size_t len;
	snprintf(path, sizeof(path), "%s/tests/data/sample_jd.txt", t_root());
	char *input = t_slurp(path, &len);
	const char *argv[] = {"otiose", "translate", "--format", "json", path, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	json_error_t je;
	json_t *doc = json_loads(r.out, 0, &je);
	cr_assert(doc, "invalid JSON: %s", je.text);
	json_t *tr = json_object_get(doc, "translations");
	cr_assert(json_array_size(tr) >= 5);
	for (size_t i = 0; i < json_array_size(tr); i++) {
		json_t *t = json_array_get(tr, i);
		json_int_t s = json_integer_value(json_object_get(t, "start"));
		json_int_t e = json_integer_value(json_object_get(t, "end"));
		cr_assert(s >= 0 && e > s && (size_t)e <= len);
		cr_assert(json_string_length(json_object_get(t, "rule")) > 0);
		cr_assert(json_string_length(json_object_get(t, "translation")) > 20);
		/* The span quotes the input: every plain word of the original
		 * sentence is inside it, and it ends where the sentence does. */
		const char *orig = json_string_value(json_object_get(t, "original"));
		char *span = strndup(input + s, (size_t)(e - s));
		/* The sample has a soft hyphen inside a word; the record drops it. */
		for (char *h; (h = strstr(span, "\xc2\xad"));)
			memmove(h, h + 2, strlen(h + 2) + 1);
		for (const char *w = orig; *w;) {
			size_t n = strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
			if (n >= 4) {
				char *word = strndup(w, n);
				cr_assert(strstr(span, word), "'%s' not in span '%s'", word, span);
				free(word);
			}
			w += n ? n : 1;
		}
		cr_assert_eq(span[strlen(span) - 1], orig[strlen(orig) - 1]);
		free(span);
	}
	json_t *mets = json_object_get(doc, "metrics");
	cr_assert(json_array_size(mets) >= 1);
	for (size_t i = 0; i < json_array_size(mets); i++)
		cr_assert(json_string_length(json_object_get(json_array_get(mets, i), "reason")) > 20);
	json_t *m0 = json_array_get(json_object_get(doc, "matches"), 0);
	cr_assert(m0);
	cr_assert(json_integer_value(json_object_get(m0, "percent")) > 0);
	json_t *ev = json_object_get(m0, "evidence");
	cr_assert(json_array_size(json_object_get(ev, "rules")) + json_array_size(json_object_get(ev, "terms")) > 0);
	json_decref(doc);
	free(input);
	run_free(&r);
}

Test(cli, markdown_and_colour)
{
	const char *md[] = {"otiose", "translate", "--format", "md", NULL};
	run_result r = run(seed_quotes, strlen(seed_quotes), md);
	cr_assert_eq(r.code, 0);
	cr_assert(strncmp(r.out, "# ", 2) == 0);
	cr_assert(strstr(r.out, "## [08] The JD autopsy"));
	run_free(&r);

	const char *always[] = {"otiose", "translate", "--color", "always", NULL};
	r = run(seed_quotes, strlen(seed_quotes), always);
	cr_assert_eq(r.code, 0);
	cr_assert(strstr(r.out, "\x1b["), "--color always gave no colour");
	run_free(&r);

	const char *never[] = {"otiose", "translate", "--color", "never", NULL};
	r = run(seed_quotes, strlen(seed_quotes), never);
	cr_assert_null(strstr(r.out, "\x1b["));
	run_free(&r);

	const char *bad[] = {"otiose", "translate", "--format", "pdf", NULL};
	r = run(seed_quotes, strlen(seed_quotes), bad);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "unknown format 'pdf'"));
	run_free(&r);
}

Test(cli, invalid_utf8_is_refused_unless_lossy)
{
	static const char bad[] = "We need a rockstar.\nStakeholder \xc0\x80 alignment.\n";
	const char *argv[] = {"otiose", "translate", NULL};
	run_result r = run(bad, sizeof(bad) - 1, argv);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "invalid UTF-8 at byte 32"), "stderr: %s", r.err);
	cr_assert(strstr(r.err, "--lossy"));
	cr_assert_eq(r.outlen, 0, "half a record was written");
	run_free(&r);

	const char *lossy[] = {"otiose", "translate", "--lossy", NULL};
	r = run(bad, sizeof(bad) - 1, lossy);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.out, "rockstar"));
	run_free(&r);
}

Test(cli, binary_empty_and_blank_inputs)
{
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
	const char *argv[] = {"otiose", "translate", NULL};
	run_result r = run(png, sizeof(png) - 1, argv);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "binary input"), "stderr: %s", r.err);
	cr_assert_eq(r.outlen, 0);
	run_free(&r);

	r = run("", 0, argv);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "empty input: nothing to translate"), "stderr: %s", r.err);
	cr_assert_eq(r.outlen, 0);
	run_free(&r);

	r = run(" \n\t\n   \r\n", 8, argv);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "no words to translate: 8 bytes of whitespace"));
	run_free(&r);
}

Test(cli, one_bad_file_does_not_stop_the_others)
{
	char good[128], bad[128], missing[128];
	snprintf(good, sizeof(good), "%s/good.txt", tmpdir);
	snprintf(bad, sizeof(bad), "%s/bad.txt", tmpdir);
	snprintf(missing, sizeof(missing), "%s/missing.txt", tmpdir);
	t_spit(good, seed_quotes, strlen(seed_quotes));
	t_spit(bad, "\x7f" "ELF\x02\x01\x01\0\0\0", 10);
	const char *argv[] = {"otiose", "translate", bad, good, missing, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "bad.txt: binary input"), "stderr: %s", r.err);
	cr_assert(strstr(r.err, "missing.txt: No such file or directory"), "stderr: %s", r.err);
	/* The good file's record is there, whole, under its name. */
	char head[160];
	snprintf(head, sizeof(head), "==> %s <==\n\nFILE RECORD: ", good);
	cr_assert(strncmp(r.out, head, strlen(head)) == 0, "%.200s", r.out);
	cr_assert_eq(t_count(r.out, "FILE RECORD: "), 1);
	cr_assert_eq(t_count(r.out, "LINKEDIN ILLUSION"), 3);
	cr_assert(strstr(r.out, "[11] RELATED SPECIMENS"));
	run_free(&r);
}

Test(cli, input_size_limit)
{
	char big[4096];
	memset(big, 'a', sizeof(big));
	for (size_t i = 7; i < sizeof(big); i += 8)
		big[i] = ' ';
	const char *argv[] = {"otiose", "translate", "--max-bytes", "1000", NULL};
	run_result r = run(big, sizeof(big), argv);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "larger than the 1000-byte limit"), "stderr: %s", r.err);
	cr_assert_eq(r.outlen, 0);
	run_free(&r);
}

Test(cli, missing_and_corrupt_databases)
{
	const char *argv[] = {"otiose", "translate", "--db", "/nonexistent/otiose.db", NULL};
	run_result r = run(seed_quotes, strlen(seed_quotes), argv);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "/nonexistent/otiose.db"), "stderr: %s", r.err);
	cr_assert_eq(r.outlen, 0);
	run_free(&r);

	char junk[128];
	snprintf(junk, sizeof(junk), "%s/junk.db", tmpdir);
	char bytes[8192];
	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (char)(i * 131 + 7);
	t_spit(junk, bytes, sizeof(bytes));
	const char *argv2[] = {"otiose", "translate", "--db", junk, NULL};
	r = run(seed_quotes, strlen(seed_quotes), argv2);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "junk.db"), "stderr: %s", r.err);
	cr_assert_eq(r.outlen, 0);
	run_free(&r);

	/* A truncated copy of the real database. */
	size_t len;
	char *db = t_slurp(getenv("OTIOSE_DB") ? getenv("OTIOSE_DB") : "otiose.db", &len);
	char trunc[128];
	snprintf(trunc, sizeof(trunc), "%s/trunc.db", tmpdir);
	t_spit(trunc, db, len / 3);
	free(db);
	const char *argv3[] = {"otiose", "translate", "--db", trunc, NULL};
	r = run(seed_quotes, strlen(seed_quotes), argv3);
	cr_assert_eq(r.code, 1, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "trunc.db"), "stderr: %s", r.err);
	cr_assert_eq(r.outlen, 0);
	run_free(&r);
}

/* Copy the real rules into tmpdir/rules, with `extra` as one more file. */
static void rules_copy(const char *extra)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/rules' && cp '%s'/rules/*.rules '%s/rules/'", tmpdir,
	         t_root(), tmpdir);
	cr_assert_eq(system(cmd), 0);
	if (extra) {
		char p[128];
		snprintf(p, sizeof(p), "%s/rules/zz-broken.rules", tmpdir);
		t_spit(p, extra, strlen(extra));
	}
}

Test(cli, corpus_build_and_a_broken_rule_file)
{
	char corpus[512], dbp[128], rules[128];
	snprintf(corpus, sizeof(corpus), "%s/corpus", t_root());
	snprintf(dbp, sizeof(dbp), "%s/new.db", tmpdir);
	snprintf(rules, sizeof(rules), "%s/rules", tmpdir);
	rules_copy(NULL);
	const char *argv[] = {"otiose", "corpus", "build", "--rules", rules, "--corpus", corpus,
	                      "-o", dbp, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "specimens"), "no summary: %s", r.err);
	run_free(&r);
	const char *tr[] = {"otiose", "translate", "--db", dbp, NULL};
	r = run(seed_quotes, strlen(seed_quotes), tr);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert_eq(t_count(r.out, "LINKEDIN ILLUSION"), 3);
	run_free(&r);

	/* Now break the rules: the build fails with file:line and leaves the
	 * database as it was. */
	size_t before_len;
	char *before = t_slurp(dbp, &before_len);
	rules_copy("rule: broken-one\ncategory: buzzword\nweight: 3\npattern: (unclosed\n"
	           "translate: Something.\nexample: unclosed things\n\n"
	           "rule: broken-two\ncategory: vibes\nweight: 3\npattern: \\bvibes\\b\n"
	           "translate: Vibes.\nexample: good vibes only\n");
	r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "zz-broken.rules:4: rule 'broken-one': pattern does not compile at offset"),
	          "stderr: %s", r.err);
	cr_assert(strstr(r.err, "zz-broken.rules:9: unknown category 'vibes'"), "stderr: %s", r.err);
	run_free(&r);
	size_t after_len;
	char *after = t_slurp(dbp, &after_len);
	cr_assert_eq(before_len, after_len);
	cr_assert_eq(memcmp(before, after, before_len), 0, "the old database was changed");
	free(before);
	free(after);

	const char *check[] = {"otiose", "rules", "check", rules, NULL};
	r = run(NULL, 0, check);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "zz-broken.rules:4:"));
	cr_assert(strstr(r.out, "problems found"));
	run_free(&r);
}

Test(cli, rules_check_passes_on_the_real_rules)
{
	char rules[512];
	snprintf(rules, sizeof(rules), "%s/rules", t_root());
	const char *argv[] = {"otiose", "rules", "check", rules, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	unsigned long n = strtoul(r.out, NULL, 10);
	cr_assert(n >= 800, "only %lu rules", n);
	cr_assert(strstr(r.out, "all pass"));
	run_free(&r);
}

Test(cli, import_the_scraped_seed)
{
	char path[512], out[128];
	snprintf(path, sizeof(path), "%s/corpus/000_lead-ai-human-in-the-loop-integration-specialist.txt",
	         t_root());
	snprintf(out, sizeof(out), "%s/imported.txt", tmpdir);
	const char *argv[] = {"otiose", "corpus", "import", "-o", out, path, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "4 aliases"), "stderr: %s", r.err);
	run_free(&r);
	char *text = t_slurp(out, NULL);
	cr_assert(strstr(text, "\nAI Workflow Manager \xc2\xb7 Human-AI Interaction Lead \xc2\xb7 Data "
	                       "Annotation Program Lead \xc2\xb7 AI Quality Assurance Coordinator "
	                       "(with human element)\n"),
	          "aliases not split:\n%s", text);
	cr_assert(strstr(text, "\nFLIGHT RISK:85%HIGH RISK\n"));
	cr_assert(strstr(text, "SYSTEM MATCH: 98%\nLead Backend Data Procurement Analyst\n"));
	free(text);

	/* Importing the import changes nothing. */
	char again[128];
	snprintf(again, sizeof(again), "%s/again.txt", tmpdir);
	const char *argv2[] = {"otiose", "corpus", "import", "-o", again, out, NULL};
	r = run(NULL, 0, argv2);
	cr_assert_eq(r.code, 0);
	run_free(&r);
	size_t l1, l2;
	char *a = t_slurp(out, &l1), *b = t_slurp(again, &l2);
	cr_assert_eq(l1, l2);
	cr_assert_eq(memcmp(a, b, l1), 0);
	free(a);
	free(b);

	const char *bad[] = {"otiose", "corpus", "import", "/etc/hostname", NULL};
	r = run(NULL, 0, bad);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "/etc/hostname:1: not a file record"), "stderr: %s", r.err);
	run_free(&r);
}

Test(cli, specimens_list_search_show)
{
	const char *argv[] = {"otiose", "specimens", NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 0);
	cr_assert(strstr(r.out, seed_title));
	cr_assert(strstr(r.out, "Enterprise Architect"));
	cr_assert(t_count(r.out, ".txt\n") >= 100, "fewer than 100 specimens");
	run_free(&r);

	const char *s[] = {"otiose", "specimens", "--search", "scrum", NULL};
	r = run(NULL, 0, s);
	cr_assert_eq(r.code, 0);
	cr_assert(strstr(r.out, "Scrum Master"));
	cr_assert_null(strstr(r.out, "Enterprise Architect"));
	run_free(&r);

	const char *show[] = {"otiose", "specimens", "show", "SDET", NULL};
	r = run(NULL, 0, show);
	cr_assert_eq(r.code, 0);
	cr_assert(strncmp(r.out, "FILE RECORD: SDET\n", 18) == 0);
	run_free(&r);

	const char *none[] = {"otiose", "specimens", "show", "Chief Vibes Officer", NULL};
	r = run(NULL, 0, none);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "no specimen named"));
	run_free(&r);
}

/* "markdown" names the md format in every command that takes --format, and
 * an unknown name gets the same message everywhere. */
Test(cli, every_format_option_takes_the_same_names)
{
	const char *tr[] = {"otiose", "translate", "--format", "markdown", NULL};
	run_result r = run(seed_quotes, strlen(seed_quotes), tr);
	cr_assert_eq(r.code, 0, "translate: %s", r.err);
	cr_assert(strncmp(r.out, "# ", 2) == 0);
	run_free(&r);

	const char *sp[] = {"otiose", "specimens", "show", "--format", "markdown", "SDET", NULL};
	r = run(NULL, 0, sp);
	cr_assert_eq(r.code, 0, "specimens: %s", r.err);
	cr_assert(strncmp(r.out, "# ", 2) == 0, "%.40s", r.out);
	run_free(&r);

	char in[128], out[128];
	snprintf(in, sizeof(in), "%s/in", tmpdir);
	snprintf(out, sizeof(out), "%s/out", tmpdir);
	cr_assert_eq(t_sh("mkdir -p '%s' && printf 'We need a rockstar ninja.\\n' > '%s/a.txt'", in, in), 0);
	const char *ba[] = {"otiose", "batch", "-q", "--format", "markdown", in, "-o", out, NULL};
	r = run(NULL, 0, ba);
	cr_assert_eq(r.code, 0, "batch: %s", r.err);
	run_free(&r);
	char p[160];
	snprintf(p, sizeof(p), "%s/a.txt.md", out);
	char *md = t_slurp(p, NULL);
	cr_assert(strncmp(md, "# ", 2) == 0);
	free(md);

	const char *cmds[] = {"translate", "batch", "specimens"};
	for (size_t i = 0; i < 3; i++) {
		const char *bad[] = {"otiose", cmds[i], "--format", "pdf", NULL};
		r = run(seed_quotes, strlen(seed_quotes), bad);
		cr_assert_eq(r.code, 2, "%s", cmds[i]);
		cr_assert(strstr(r.err, "unknown format 'pdf' (text, json, md, html)"), "%s: %s", cmds[i],
		          r.err);
		run_free(&r);
	}
}

Test(cli, builds_the_database_beside_the_binary_when_missing)
{
	char cmd[2048], exe[128], dbp[128];
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s/otiose' && ln -s '%s/rules' '%s/rules' && ln -s '%s/corpus' '%s/corpus'",
	         t_bin(), tmpdir, t_root(), tmpdir, t_root(), tmpdir);
	cr_assert_eq(system(cmd), 0);
	snprintf(exe, sizeof(exe), "%s/otiose", tmpdir);
	snprintf(dbp, sizeof(dbp), "%s/otiose.db", tmpdir);
	const char *argv[] = {"otiose", "translate", NULL};
	run_result r = run_ex(exe, seed_quotes, strlen(seed_quotes), argv, 1, NULL);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "missing; building it"), "stderr: %s", r.err);
	cr_assert_eq(t_count(r.out, "LINKEDIN ILLUSION"), 3);
	struct stat st;
	cr_assert_eq(stat(dbp, &st), 0, "no database was built");
	run_free(&r);
	/* The second run uses it without rebuilding. */
	r = run_ex(exe, seed_quotes, strlen(seed_quotes), argv, 1, NULL);
	cr_assert_eq(r.code, 0);
	cr_assert_null(strstr(r.err, "building"), "rebuilt: %s", r.err);
	run_free(&r);
}

/*
 * Run `otiose translate --color never FILE` with stdout on a pseudo-terminal
 * of `cols` columns (0: the terminal does not say) and `env` ("NAME=value"
 * or NULL) added; returns what reached the terminal, its "\r\n" line ends
 * made "\n" again.
 */
static char *run_on_pty_argv(unsigned short cols, const char *env, char *const argv[]);

static char *run_on_pty(unsigned short cols, const char *env, const char *file)
{
	char *const argv[] = {"otiose", "translate", "--color", "never", (char *)file, NULL};
	return run_on_pty_argv(cols, env, argv);
}

/* The same for any command line (argv[0] is the program's name). */
static char *run_on_pty_argv(unsigned short cols, const char *env, char *const argv[])
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	cr_assert(m >= 0);
	cr_assert_eq(grantpt(m), 0);
	cr_assert_eq(unlockpt(m), 0);
	int sl = open(ptsname(m), O_RDWR | O_NOCTTY);
	cr_assert(sl >= 0);
	struct winsize ws = {0};
	ws.ws_col = cols;
	ws.ws_row = 24;
	cr_assert_eq(ioctl(sl, TIOCSWINSZ, &ws), 0);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int fi = open("/dev/null", O_RDONLY);
		dup2(fi, 0);
		dup2(sl, 1);
		close(m);
		unsetenv("COLUMNS");
		if (env)
			putenv((char *)env);
		alarm(60);
		execv(t_bin(), argv);
		_exit(127);
	}
	close(sl);
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap);
	cr_assert(out);
	for (;;) { /* until the terminal's other end is closed (EIO) */
		if (n + 4096 > cap)
			cr_assert(out = realloc(out, cap *= 2));
		ssize_t k = read(m, out + n, 4096);
		if (k <= 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	close(m);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s on a terminal failed", argv[1]);
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		if (!(out[i] == '\r' && i + 1 < n && out[i + 1] == '\n'))
			out[o++] = out[i];
	out[o] = '\0';
	return out;
}

/* s with every run of spaces and line ends as one space (malloc'ed). */
static char *squash(const char *s)
{
	char *o = malloc(strlen(s) + 1), *q = o;
	cr_assert(o);
	for (; *s; s++)
		if (!((*s == ' ' || *s == '\n') && q > o && q[-1] == ' '))
			*q++ = *s == '\n' ? ' ' : *s;
	*q = '\0';
	return o;
}

/* The widest row of s in columns: characters, not bytes (the sample has no
 * wide ones); and how many rows begin with two spaces. */
static size_t widest_row(const char *s, size_t *indented)
{
	size_t w = 0, col = 0;
	*indented = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '\n') {
			col = 0;
			*indented += p[1] == ' ' && p[2] == ' ';
			continue;
		}
		col += ((unsigned char)*p & 0xc0) != 0x80;
		if (col > w)
			w = col;
	}
	return w;
}

Test(cli, text_record_is_wrapped_on_a_terminal_and_not_when_piped, .timeout = 120)
{
	char jd[PATH_MAX];
	snprintf(jd, sizeof(jd), "%s/tests/data/sample_jd.txt", t_root());
	/* Piped: as rendered, with rows far wider than any terminal here. */
	const char *plain[] = {"otiose", "translate", jd, NULL};
	run_result p = run(NULL, 0, plain);
	cr_assert_eq(p.code, 0, "stderr: %s", p.err);
	size_t ind;
	cr_assert_gt(widest_row(p.out, &ind), 150);
	cr_assert_eq(ind, 0, "a piped record has no continuation rows");
	const char *zero[] = {"otiose", "translate", "--width", "0", jd, NULL};
	run_result z = run(NULL, 0, zero);
	cr_assert(z.outlen == p.outlen && memcmp(z.out, p.out, p.outlen) == 0,
	          "--width 0 is not the piped output");
	run_free(&z);
	/* The words of a wrapped record are the piped record's, in order. */
	char *words_p = squash(p.out);

	/* On a terminal that says it has 44 columns: no row wider. */
	char *t = run_on_pty(44, "COLUMNS=100", jd);
	size_t w = widest_row(t, &ind);
	cr_assert_leq(w, 44, "a row of %zu columns on a 44-column terminal:\n%s", w, t);
	cr_assert_geq(w, 40, "the rows do not use the width:\n%s", t);
	cr_assert_gt(ind, 20, "continuation rows are indented");
	cr_assert(strstr(t, "\nFLIGHT RISK: 99% (HIGH RISK)\n"), "%s", t);
	char *words_t = squash(t);
	cr_assert_str_eq(words_t, words_p, "wrapping changed more than where lines end");
	free(words_t);
	free(t);
	/* A terminal that does not say: $COLUMNS. */
	t = run_on_pty(0, "COLUMNS=60", jd);
	w = widest_row(t, &ind);
	cr_assert_leq(w, 60, "a row of %zu columns with COLUMNS=60:\n%s", w, t);
	cr_assert_geq(w, 55);
	free(t);
	/* Neither: 80. */
	t = run_on_pty(0, NULL, jd);
	w = widest_row(t, &ind);
	cr_assert(w <= 80 && w >= 75, "%zu columns without COLUMNS:\n%s", w, t);
	free(t);
	free(words_p);
	run_free(&p);

	/* A specimen shown on a terminal wraps too. */
	char *const show[] = {"otiose", "specimens", "show", "Data Analyst", NULL};
	t = run_on_pty_argv(50, "NO_COLOR=1", show);
	w = widest_row(t, &ind);
	cr_assert_leq(w, 50, "a row of %zu columns on a 50-column terminal:\n%s", w, t);
	cr_assert(strstr(t, "FILE RECORD: DATA-ANALYST"), "%s", t);
	free(t);

	/* --width wraps a pipe too; JSON is never wrapped; a bad width is usage. */
	const char *narrow[] = {"otiose", "translate", "--width", "30", jd, NULL};
	run_result n = run(NULL, 0, narrow);
	cr_assert_eq(n.code, 0);
	cr_assert_leq(widest_row(n.out, &ind), 30);
	run_free(&n);
	const char *js[] = {"otiose", "translate", "--width", "30", "--format", "json", jd, NULL};
	n = run(NULL, 0, js);
	cr_assert_eq(n.code, 0);
	json_error_t je;
	json_t *doc = json_loads(n.out, 0, &je);
	cr_assert_not_null(doc, "%s", je.text);
	json_decref(doc);
	run_free(&n);
	static const char *const bad[] = {"-1", "x", "10001", "", "5x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *a[] = {"otiose", "translate", "--width", bad[i], jd, NULL};
		n = run(NULL, 0, a);
		cr_assert_eq(n.code, 2, "--width '%s'", bad[i]);
		cr_assert(strstr(n.err, "--width takes a number of columns"), "%s", n.err);
		run_free(&n);
	}
}

Test(cli, tty_on_stdin_prints_usage_instead_of_waiting)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	cr_assert(m >= 0);
	cr_assert_eq(grantpt(m), 0);
	cr_assert_eq(unlockpt(m), 0);
	char errp[96];
	snprintf(errp, sizeof(errp), "%s/stderr", tmpdir);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int s = open(ptsname(m), O_RDWR);
		int fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fo = open("/dev/null", O_WRONLY);
		dup2(s, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		alarm(20);
		execl(t_bin(), "otiose", "translate", (char *)NULL);
		_exit(127);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	close(m);
	cr_assert(WIFEXITED(st), "translate waited on the terminal (killed by signal)");
	cr_assert_eq(WEXITSTATUS(st), 2);
	char *err = t_slurp(errp, NULL);
	cr_assert(strstr(err, "usage: otiose translate"), "stderr: %s", err);
	free(err);
}

/* A folder that is not there, or holds no rule file, is an error that says
 * so (exit 1, as for any missing input), never "0 rules ... all pass". */
Test(cli, rules_check_of_a_missing_or_empty_folder_is_an_error)
{
	char none[128], empty[128], good[512];
	snprintf(none, sizeof(none), "%s/no-such-rules", tmpdir);
	snprintf(empty, sizeof(empty), "%s/empty-rules", tmpdir);
	cr_assert_eq(mkdir(empty, 0700), 0);
	const char *a1[] = {"otiose", "rules", "check", none, NULL};
	run_result r = run(NULL, 0, a1);
	cr_assert_eq(r.code, 1, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "no-such-rules: No such file or directory"), "stderr: %s", r.err);
	cr_assert_eq(r.outlen, 0, "stdout: %s", r.out);
	run_free(&r);

	const char *a2[] = {"otiose", "rules", "check", empty, NULL};
	r = run(NULL, 0, a2);
	cr_assert_eq(r.code, 1, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "empty-rules: no *.rules files"), "stderr: %s", r.err);
	cr_assert_eq(r.outlen, 0, "stdout: %s", r.out);
	run_free(&r);

	/* Beside a good file, the good one is checked and the run still fails. */
	snprintf(good, sizeof(good), "%s/good.rules", tmpdir);
	const char *text = "rule: plain-synergy\ncategory: buzzword\nweight: 2\n"
	                   "pattern: \\bsynergy\\b\ntranslate: Meetings.\n"
	                   "example: We value synergy.\ncounter: We value sleep.\n";
	t_spit(good, text, strlen(text));
	const char *a3[] = {"otiose", "rules", "check", good, none, NULL};
	r = run(NULL, 0, a3);
	cr_assert_eq(r.code, 1, "stderr: %s", r.err);
	cr_assert(strstr(r.out, "1 rules, 1 patterns, 1 examples, 1 counter-examples: problems found"),
	          "stdout: %s", r.out);
	cr_assert_null(strstr(r.out, "all pass"), "stdout: %s", r.out);
	run_free(&r);
}

Test(cli, rules_check_reports_shared_translations_and_shadowed_rules)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/lint.rules", tmpdir);
	static const char text[] =
		"rule: general\ncategory: buzzword\nweight: 5\npattern: \\bsynergy\\b\n"
		"translate: Same words.\nexample: We love synergy across teams.\n\n"
		"rule: specific\ncategory: buzzword\nweight: 3\npattern: \\bsynergy across\\b\n"
		"translate: Same words.\nexample: Synergy across the org.\n\n"
		"rule: other\ncategory: buzzword\nweight: 2\npattern: \\bleverage\\b\n"
		"translate: Different words.\nexample: Leverage the platform.\n"
		"counter: The lever is broken.\n";
	t_spit(p, text, strlen(text));
	const char *argv[] = {"otiose", "rules", "check", p, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "lint.rules:12: rule 'specific' has the same translation as 'general' (" ),
	          "stderr: %s", r.err);
	cr_assert(strstr(r.err, "lint.rules:8: warning: rule 'specific' is shadowed: on each of its "
	                        "examples 'general'"),
	          "stderr: %s", r.err);
	cr_assert(strstr(r.err, "lint.rules:1: rule 'general' has no counter-example (counter:)"),
	          "stderr: %s", r.err);
	cr_assert_null(strstr(r.err, "'other' is"), "a rule that wins was reported: %s", r.err);
	cr_assert(strstr(r.out, "3 rules, 3 patterns, 3 examples, 1 counter-examples: problems found, 1 warning"),
	          "stdout: %s", r.out);
	run_free(&r);
}

Test(cli, corpus_build_checks_and_fixes_related_specimens)
{
	char cmd[2048], corpus[128], dbp[128], rules[512];
	snprintf(corpus, sizeof(corpus), "%s/corpus", tmpdir);
	snprintf(dbp, sizeof(dbp), "%s/c.db", tmpdir);
	snprintf(rules, sizeof(rules), "%s/rules", t_root());
	snprintf(cmd, sizeof(cmd),
	         "mkdir -p '%s' && cp '%s'/corpus/000_*.txt '%s'/corpus/004_*.txt '%s'/corpus/005_*.txt "
	         "'%s'/corpus/013_*.txt '%s'",
	         corpus, t_root(), t_root(), t_root(), t_root(), corpus);
	cr_assert_eq(system(cmd), 0);
	const char *argv[] = {"otiose", "corpus", "build", "--rules", rules, "--corpus", corpus,
	                      "-o", dbp, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	/* The hand-typed lists name specimens this small corpus lacks. */
	cr_assert(strstr(r.err, "004_product-manager.txt: warning: [11] lists"), "stderr: %s", r.err);
	/* The count is of the records --fix-related rewrites: not the seed. */
	cr_assert(strstr(r.err, "[11] of 3 specimens disagrees with the scores; 'otiose corpus build "
	                        "--fix-related' rewrites them"),
	          "stderr: %s", r.err);
	run_free(&r);

	const char *fix[] = {"otiose", "corpus", "build", "--rules", rules, "--corpus", corpus,
	                     "-o", dbp, "--fix-related", NULL};
	r = run(NULL, 0, fix);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	/* The scraped seed is not rewritten; the canonical records are. */
	cr_assert(strstr(r.err, "000_lead-ai-human-in-the-loop-integration-specialist.txt is not in "
	                        "canonical form"),
	          "stderr: %s", r.err);
	cr_assert(strstr(r.err, "rewrote [11] of 3 of 4"), "stderr: %s", r.err);
	run_free(&r);

	/* Now the canonical ones agree, and [11] of Product Manager names
	 * only specimens of this corpus, best first. */
	r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 0);
	cr_assert_null(strstr(r.err, "004_product-manager.txt: warning"), "stderr: %s", r.err);
	/* The seed keeps its [11] as filed: a note that says why, not a
	 * warning that --fix-related would not act on. */
	cr_assert(strstr(r.err, "000_lead-ai-human-in-the-loop-integration-specialist.txt: note: [11] "
	                        "is kept as filed, since the record is not in canonical form"),
	          "stderr: %s", r.err);
	cr_assert_null(strstr(r.err, "000_lead-ai-human-in-the-loop-integration-specialist.txt: "
	                             "warning"),
	               "stderr: %s", r.err);
	cr_assert_null(strstr(r.err, "disagrees"), "stderr: %s", r.err);
	run_free(&r);
	char p[256];
	snprintf(p, sizeof(p), "%s/004_product-manager.txt", corpus);
	char *text = t_slurp(p, NULL);
	const char *rel = strstr(text, "[11] RELATED SPECIMENS\n");
	cr_assert(rel);
	cr_assert_eq(t_count(rel, "SYSTEM MATCH: "), 3);
	cr_assert(strstr(rel, "Scrum Master") && strstr(rel, "Business Analyst") &&
	          strstr(rel, "Lead AI Human-in-the-Loop Integration Specialist"));
	free(text);
	/* And translate of that record lists the same three after itself, in
	 * that order (its percents are shares of all specimens, itself among
	 * them; [11]'s are shares of the others). */
	const char *tr[] = {"otiose", "translate", "--db", dbp, "--format", "json", p, NULL};
	r = run(NULL, 0, tr);
	cr_assert_eq(r.code, 0);
	json_t *doc = json_loads(r.out, 0, NULL);
	cr_assert(doc);
	json_t *ms = json_object_get(doc, "matches");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ms, 0), "title")),
	                 "Product Manager");
	text = t_slurp(p, NULL);
	const char *at = strstr(text, "[11] RELATED SPECIMENS\n");
	for (size_t i = 1; i < json_array_size(ms); i++) {
		char want[256];
		snprintf(want, sizeof(want), "%%\n%s\n",
		         json_string_value(json_object_get(json_array_get(ms, i), "title")));
		const char *next = strstr(at, want);
		cr_assert(next, "[11] lacks '%s' after the ones before", want);
		at = next + 1;
	}
	free(text);
	json_decref(doc);
	run_free(&r);
}

Test(cli, rules_stats_counts_rules_and_lists_untranslated_jargon)
{
	char d[128], p[192];
	snprintf(d, sizeof(d), "%s/jds", tmpdir);
	cr_assert_eq(mkdir(d, 0755), 0);
	static const char jargon[] =
		"Responsible for the coordination and prioritization of documentation activities "
		"ensuring consistency and visibility throughout the organization and its "
		"administrative procedures.\n";
	snprintf(p, sizeof(p), "%s/a.txt", d);
	char buf[1024];
	snprintf(buf, sizeof(buf), "We need a rockstar engineer.\n%s", jargon);
	t_spit(p, buf, strlen(buf));
	snprintf(p, sizeof(p), "%s/b.md", d);
	snprintf(buf, sizeof(buf), "Our ninja team ships on Fridays.\n%sWe use Python 3 and SQL.\n", jargon);
	t_spit(p, buf, strlen(buf));
	snprintf(p, sizeof(p), "%s/ignored.csv", d);
	t_spit(p, "a,b\n", 4);
	const char *argv[] = {"otiose", "rules", "stats", "--top", "5", d, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.out, "2 files (0 unreadable), 5 sentences, 2 translated (40.0%)"), "%s", r.out);
	/* One rule fired twice, in both files. */
	cr_assert(strstr(r.out, "mythical-creature-hire                     2       2  "), "%s", r.out);
	cr_assert(strstr(r.out, "  human-in-the-loop ("), "never-fired list: %s", r.out);
	/* The abstract sentence, untranslated in both files, is listed once with its
	 * count; the sentence with a number and names in it is not. */
	cr_assert(strstr(r.out, "    2x  Responsible for the coordination"), "%s", r.out);
	cr_assert_null(strstr(r.out, "Python 3"));
	run_free(&r);

	const char *bad[] = {"otiose", "rules", "stats", "/nonexistent", NULL};
	r = run(NULL, 0, bad);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "/nonexistent: not a folder"));
	run_free(&r);
}

/* rules stats and bench read a folder as batch does: the same files (.json
 * among them, its "text"), and what cannot be read named with the reason. */
Test(cli, rules_stats_and_bench_read_a_folder_as_batch_does)
{
	char d[128];
	snprintf(d, sizeof(d), "%s/jds", tmpdir);
	cr_assert_eq(t_sh("mkdir -p '%s' && printf 'We need a rockstar engineer.\\n' > '%s/a.txt' && "
	                  "printf '{\"title\":\"Ninja\",\"text\":\"We need a rockstar ninja.\"}' > '%s/b.json' && "
	                  "ln -s nowhere.txt '%s/gone.txt'",
	                  d, d, d, d),
	             0);
	const char *argv[] = {"otiose", "rules", "stats", d, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 1, "stderr: %s", r.err);
	cr_assert(strstr(r.out, "2 files (1 unreadable)"), "%s", r.out);
	cr_assert(strstr(r.out, "mythical-creature-hire                     2       2  "), "%s", r.out);
	cr_assert(strstr(r.err, "jds/gone.txt: dangling symbolic link (skipped)"), "%s", r.err);
	run_free(&r);

	const char *bench[] = {"otiose", "bench", "--json", "-r", "1", "-j", "1", d, NULL};
	r = run(NULL, 0, bench);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	json_error_t je;
	json_t *doc = json_loads(r.out, 0, &je);
	cr_assert(doc, "%s", r.out);
	cr_assert_eq(json_integer_value(json_object_get(doc, "inputs")), 2, "%s", r.out);
	/* what the stream paths get (compact JSON rendered), and the engine
	 * alone beside it: faster by the render's share */
	json_t *row = json_array_get(json_object_get(doc, "results"), 0);
	double mbs = json_real_value(json_object_get(row, "mb_per_s"));
	double eng = json_real_value(json_object_get(row, "engine_mb_per_s"));
	double render = json_real_value(json_object_get(json_object_get(row, "stage_share"), "render"));
	cr_expect(mbs > 0 && eng > mbs && render > 0, "%s", r.out);
	cr_expect(eng * (1 - render) > mbs * 0.999 && eng * (1 - render) < mbs * 1.001, "%s", r.out);
	cr_assert(strstr(r.err, "jds/gone.txt: dangling symbolic link (skipped)"), "%s", r.err);
	json_decref(doc);
	run_free(&r);
}

/* translate reads a JSON file as batch does: its "text" and its "title",
 * and the record is the one batch writes for it. */
Test(cli, translate_reads_a_json_file_as_batch_does)
{
	char d[128], p[192];
	snprintf(d, sizeof(d), "%s/in", tmpdir);
	cr_assert_eq(t_sh("mkdir -p '%s' && printf '{\"title\":\"Data Scientist\",\"text\":\"We need a "
	                  "rockstar data ninja.\"}' > '%s/a.json'",
	                  d, d),
	             0);
	snprintf(p, sizeof(p), "%s/a.json", d);
	const char *argv[] = {"otiose", "translate", p, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert(strncmp(r.out, "FILE RECORD: DATA-SCIENTIST\n", 28) == 0, "%.60s", r.out);
	cr_assert_null(strstr(r.out, "\"text\""), "the JSON was translated as text");
	cr_assert_eq(t_sh("'%s' batch -q '%s' -o '%s/out' && cmp -s '%s/out/a.json.txt' '%s/stdout'", t_bin(),
	                  d, tmpdir, tmpdir, tmpdir),
	             0, "batch wrote another record");
	run_free(&r);

	t_spit(p, "{\"text\": 5}", 11);
	r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "a.json: \"text\" is not a string"), "stderr: %s", r.err);
	cr_assert_eq(r.outlen, 0);
	run_free(&r);
}

Test(cli, corpus_add_drafts_a_specimen_that_builds)
{
	char cmd[1024], corpus[128], dbp[128], rules[512], jd[512];
	snprintf(corpus, sizeof(corpus), "%s/corpus", tmpdir);
	snprintf(dbp, sizeof(dbp), "%s/c.db", tmpdir);
	snprintf(rules, sizeof(rules), "%s/rules", t_root());
	snprintf(jd, sizeof(jd), "%s/tests/data/sample_jd.txt", t_root());
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp '%s'/corpus/00[0-8]_*.txt '%s'", corpus, t_root(),
	         corpus);
	cr_assert_eq(system(cmd), 0);
	const char *build[] = {"otiose", "corpus", "build", "-q", "--rules", rules, "--corpus", corpus,
	                       "-o", dbp, NULL};
	run_result r = run(NULL, 0, build);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	run_free(&r);
	const char *add[] = {"otiose", "corpus", "add", "--title", "Growth Hacker", "--corpus", corpus,
	                     "--db", dbp, jd, NULL};
	r = run(NULL, 0, add);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	char want[256];
	snprintf(want, sizeof(want), "%s/009_growth-hacker.txt\n", corpus);
	cr_assert_str_eq(r.out, want);
	run_free(&r);
	/* The draft is a record of that title, with the JD's translations. */
	want[strlen(want) - 1] = '\0';
	char *text = t_slurp(want, NULL);
	cr_assert(strncmp(text, "FILE RECORD: GROWTH-HACKER\nWHAT DOES A GROWTH HACKER ACTUALLY DO?\n"
	                        "Growth Hacker\n", 77) == 0, "%.120s", text);
	cr_assert(t_count(text, "LINKEDIN ILLUSION") >= 5);
	free(text);
	/* A second draft of the same title does not overwrite: it is numbered on. */
	r = run(NULL, 0, add);
	cr_assert_eq(r.code, 0);
	cr_assert(strstr(r.out, "/010_growth-hacker.txt"));
	run_free(&r);
	/* Two identical specimens would share the match half and half: the
	 * person keeps one draft. */
	snprintf(want, sizeof(want), "%s/010_growth-hacker.txt", corpus);
	cr_assert_eq(remove(want), 0);
	snprintf(want, sizeof(want), "%s/009_growth-hacker.txt", corpus);
	/* The edited-or-not draft builds into a specimen that matches itself. */
	r = run(NULL, 0, build);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	run_free(&r);
	const char *tr[] = {"otiose", "translate", "--db", dbp, want, NULL};
	r = run(NULL, 0, tr);
	cr_assert_eq(r.code, 0);
	cr_assert(strstr(r.out, "SYSTEM MATCH: 100%\nGrowth Hacker\n"), "%s", r.out);
	run_free(&r);

	const char *notitle[] = {"otiose", "corpus", "add", jd, NULL};
	r = run(NULL, 0, notitle);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "--title is required"));
	run_free(&r);
}

Test(cli, corpus_build_warns_when_two_specimens_claim_a_title)
{
	char cmd[2048], corpus[128], dbp[128], rules[512];
	snprintf(corpus, sizeof(corpus), "%s/corpus", tmpdir);
	snprintf(dbp, sizeof(dbp), "%s/c.db", tmpdir);
	snprintf(rules, sizeof(rules), "%s/rules", t_root());
	/* Scrum Master, made to claim "Sr. Product Manager II" as an alias. */
	snprintf(cmd, sizeof(cmd),
	         "mkdir -p '%s' && cp '%s'/corpus/004_product-manager.txt '%s' && "
	         "sed '/^KNOWN ALIASES/{n;s/$/ \xc2\xb7 Sr. Product Manager II/}' "
	         "'%s'/corpus/005_scrum-master.txt > '%s/005_scrum-master.txt'",
	         corpus, t_root(), corpus, t_root(), corpus);
	cr_assert_eq(system(cmd), 0);
	const char *argv[] = {"otiose", "corpus", "build", "--rules", rules, "--corpus", corpus,
	                      "-o", dbp, NULL};
	run_result r = run(NULL, 0, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "005_scrum-master.txt: warning: 'Sr. Product Manager II' is also listed "
	                        "by 004_product-manager.txt as 'Product Manager'"),
	          "stderr: %s", r.err);
	run_free(&r);
}

/* An empty --title is refused as a usage error (it used to give a record
 * titled by nothing); corpus add says the same of its --title. */
Test(cli, an_empty_title_is_a_usage_error)
{
	char jd[512];
	snprintf(jd, sizeof(jd), "%s/tests/data/sample_jd.txt", t_root());
	const char *t1[] = {"otiose", "translate", "-t", "", jd, NULL};
	const char *t2[] = {"otiose", "translate", "--title=  ", jd, NULL};
	const char *t3[] = {"otiose", "corpus", "add", "-t", "", jd, NULL};
	const char *const *cases[] = {t1, t2, t3};
	for (size_t i = 0; i < 3; i++) {
		run_result r = run(NULL, 0, cases[i]);
		cr_assert_eq(r.code, 2, "case %zu: exit %d", i, r.code);
		cr_assert(strstr(r.err, "--title is empty"), "case %zu: %s", i, r.err);
		cr_assert_eq(r.outlen, 0);
		run_free(&r);
	}
	/* A real title is still taken. */
	const char *ok[] = {"otiose", "translate", "-t", "Growth Ninja", jd, NULL};
	run_result r = run(NULL, 0, ok);
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "FILE RECORD: GROWTH-NINJA\n", 26) == 0, "%.60s", r.out);
	run_free(&r);
}

/* `help CMD WORD` for a command without subcommands is refused rather than
 * showing CMD's help as WORD's; `version` takes no argument but --help;
 * `help specimens show` is show's own help, as `specimens show --help` is. */
Test(cli, help_refuses_a_word_that_is_no_subcommand)
{
	const char *a1[] = {"otiose", "help", "translate", "frob", NULL};
	run_result r = run(NULL, 0, a1);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "'translate' has no subcommands ('frob' is not one)"), "%s", r.err);
	cr_assert_eq(r.outlen, 0);
	run_free(&r);
	const char *a2[] = {"otiose", "version", "frob", NULL};
	r = run(NULL, 0, a2);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "unexpected argument 'frob'"), "%s", r.err);
	run_free(&r);
	const char *a3[] = {"otiose", "help", "specimens", "show", NULL};
	r = run(NULL, 0, a3);
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "usage: otiose specimens show ", 29) == 0, "%s", r.out);
	const char *a4[] = {"otiose", "specimens", "show", "--help", NULL};
	run_result r2 = run(NULL, 0, a4);
	cr_assert_str_eq(r.out, r2.out);
	run_free(&r2);
	run_free(&r);
	const char *a5[] = {"otiose", "help", "specimens", NULL};
	r = run(NULL, 0, a5);
	cr_assert_eq(r.code, 0);
	cr_assert(strncmp(r.out, "usage: otiose specimens [", 25) == 0, "%s", r.out);
	run_free(&r);
}

/* show finds a specimen by an alias (any case and punctuation), by its file
 * name without .txt, and refuses an alias two specimens share, naming both. */
Test(cli, specimens_show_takes_an_alias)
{
	const char *a1[] = {"otiose", "specimens", "show", "chief architect", NULL};
	run_result r = run(NULL, 0, a1);
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "FILE RECORD: ENTERPRISE-ARCHITECT\n", 34) == 0, "%.60s", r.out);
	run_free(&r);
	const char *a2[] = {"otiose", "specimens", "show", "003_sdet", NULL};
	r = run(NULL, 0, a2);
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "FILE RECORD: SDET\n", 18) == 0, "%.60s", r.out);
	run_free(&r);

	/* Product Manager and Scrum Master, both made to list "Delivery Czar". */
	char cmd[2048], corpus[128], dbp[128];
	snprintf(corpus, sizeof(corpus), "%s/corpus", tmpdir);
	snprintf(dbp, sizeof(dbp), "%s/c.db", tmpdir);
	snprintf(cmd, sizeof(cmd),
	         "mkdir -p '%s' && for f in 004_product-manager 005_scrum-master; do "
	         "sed '/^KNOWN ALIASES/{n;s/$/ \xc2\xb7 Delivery Czar/}' '%s'/corpus/$f.txt > '%s'/$f.txt; "
	         "done && '%s' corpus build -q --rules '%s/rules' --corpus '%s' -o '%s' 2>/dev/null",
	         corpus, t_root(), corpus, t_bin(), t_root(), corpus, dbp);
	cr_assert_eq(system(cmd), 0);
	const char *a3[] = {"otiose", "specimens", "--db", dbp, "show", "Delivery Czar", NULL};
	r = run(NULL, 0, a3);
	cr_assert_eq(r.code, 1);
	cr_assert_eq(r.outlen, 0);
	cr_assert(strstr(r.err, "'Delivery Czar' is ambiguous: 2 specimens list it as an alias: "
	                        "'Product Manager' (004_product-manager.txt), 'Scrum Master' "
	                        "(005_scrum-master.txt)"),
	          "%s", r.err);
	run_free(&r);
	/* Its title still finds each of them. */
	const char *a4[] = {"otiose", "specimens", "--db", dbp, "show", "scrum master", NULL};
	r = run(NULL, 0, a4);
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "FILE RECORD: SCRUM-MASTER\n", 26) == 0, "%.60s", r.out);
	run_free(&r);
	const char *a5[] = {"otiose", "specimens", "show", "Chief Vibes Officer", NULL};
	r = run(NULL, 0, a5);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "no specimen named 'Chief Vibes Officer' by its title, an alias or "
	                        "its file name"),
	          "%s", r.err);
	run_free(&r);
}

/* specimens -f json is an array with what each line of the text list shows. */
Test(cli, specimens_list_as_json)
{
	const char *a1[] = {"otiose", "specimens", "-f", "json", NULL};
	run_result r = run(NULL, 0, a1);
	cr_assert_eq(r.code, 0, "%s", r.err);
	json_error_t je;
	json_t *doc = json_loads(r.out, 0, &je);
	cr_assert(json_is_array(doc), "not a JSON array: %s", je.text);
	cr_assert(json_array_size(doc) >= 100);
	const char *text[] = {"otiose", "specimens", NULL};
	run_result rt = run(NULL, 0, text);
	cr_assert_eq(t_count(rt.out, ".txt\n"), json_array_size(doc));
	run_free(&rt);
	json_t *sdet = NULL, *o;
	size_t i;
	json_array_foreach(doc, i, o) {
		cr_assert(json_is_string(json_object_get(o, "title")));
		cr_assert(json_is_string(json_object_get(o, "file")));
		cr_assert(json_is_array(json_object_get(o, "aliases")));
		cr_assert(json_object_get(o, "family"), "no family member");
		if (strcmp(json_string_value(json_object_get(o, "file")), "003_sdet.txt") == 0)
			sdet = o;
	}
	cr_assert(sdet);
	cr_assert_str_eq(json_string_value(json_object_get(sdet, "title")), "SDET");
	cr_assert_str_eq(json_string_value(json_object_get(sdet, "family")), "engineering");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(sdet, "aliases"), 0)),
	                 "Software Development Engineer in Test");
	json_decref(doc);
	run_free(&r);
	/* The filters apply; md is for show only. */
	const char *a2[] = {"otiose", "specimens", "--format", "json", "--search", "scrum", NULL};
	r = run(NULL, 0, a2);
	doc = json_loads(r.out, 0, &je);
	cr_assert_eq(json_array_size(doc), 1, "%s", r.out);
	json_decref(doc);
	run_free(&r);
	const char *a3[] = {"otiose", "specimens", "-f", "md", NULL};
	r = run(NULL, 0, a3);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "the list is written as text or json"), "%s", r.err);
	run_free(&r);
}

/* A PDF is binary, not text to repair: its first bytes are ASCII and its
 * next ones invalid UTF-8, which used to get the --lossy hint (and with
 * --lossy, a record of its streams).  A NUL byte past the first 8 KB, which
 * the engine does not look at, makes a file binary too. */
Test(cli, a_pdf_or_a_late_nul_byte_is_binary)
{
	static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
	                          "2 0 obj\n<< /Length 9 >>\nstream\n\x78\x9c\xcb\x48\xcd\xc9\xc9\x07\x00\n"
	                          "endstream\nendobj\n";
	char p[128], late[128];
	snprintf(p, sizeof(p), "%s/posting.pdf", tmpdir);
	t_spit(p, pdf, sizeof(pdf) - 1);
	const char *a1[] = {"otiose", "translate", p, NULL};
	const char *a2[] = {"otiose", "translate", "--lossy", p, NULL};
	const char *const *cases[] = {a1, a2};
	for (size_t i = 0; i < 2; i++) {
		run_result r = run(NULL, 0, cases[i]);
		cr_assert_eq(r.code, 1, "case %zu", i);
		cr_assert_eq(r.outlen, 0, "case %zu: %s", i, r.out);
		cr_assert(strstr(r.err, "posting.pdf: binary input: looks like a PDF document"), "%s", r.err);
		cr_assert_null(strstr(r.err, "--lossy"), "%s", r.err);
		run_free(&r);
	}
	const char *a3[] = {"otiose", "translate", NULL};
	run_result r = run(pdf, sizeof(pdf) - 1, a3);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "<stdin>: binary input: looks like a PDF document"), "%s", r.err);
	run_free(&r);

	size_t n = 10000 + 20;
	char *text = malloc(n);
	for (size_t i = 0; i < 10000; i++)
		text[i] = "We need a ninja. "[i % 17];
	memcpy(text + 10000, "\0more words here.\n", 18);
	snprintf(late, sizeof(late), "%s/late.txt", tmpdir);
	t_spit(late, text, 10018);
	free(text);
	const char *a4[] = {"otiose", "translate", late, NULL};
	r = run(NULL, 0, a4);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "late.txt: binary input (NUL byte at offset 10000)"), "%s", r.err);
	cr_assert_eq(r.outlen, 0);
	run_free(&r);

	/* batch says the same of a PDF named .txt, and translates the rest. */
	cr_assert_eq(t_sh("mkdir -p '%s/in' && cp '%s' '%s/in/cv.txt' && cp '%s/tests/data/sample_jd.txt' '%s/in/' && "
	                  "'%s' batch '%s/in' -o '%s/out' -q 2> '%s/err'",
	                  tmpdir, p, tmpdir, t_root(), tmpdir, t_bin(), tmpdir, tmpdir, tmpdir),
	             1);
	char errp[128];
	snprintf(errp, sizeof(errp), "%s/err", tmpdir);
	char *err = t_slurp(errp, NULL);
	cr_assert(strstr(err, "cv.txt: binary input: looks like a PDF document"), "%s", err);
	free(err);
	snprintf(errp, sizeof(errp), "%s/out/sample_jd.txt.txt", tmpdir);
	struct stat st;
	cr_assert_eq(stat(errp, &st), 0);
}

/* Several inputs at once: text and Markdown records are headed by their
 * input's name (escaped: a file name can hold a terminal escape or a
 * newline), JSON is one document, an array with one element per input that
 * names it, whether it was translated or failed; one input is as before. */
Test(cli, several_inputs_each_record_says_its_input)
{
	char a[128], bad[128], evil[160];
	snprintf(a, sizeof(a), "%s/a.txt", tmpdir);
	snprintf(bad, sizeof(bad), "%s/bad.txt", tmpdir);
	snprintf(evil, sizeof(evil), "%s/x\x1b]0;pwned\x07\n[08] y.txt", tmpdir);
	t_spit(a, seed_quotes, strlen(seed_quotes));
	t_spit(evil, seed_quotes, strlen(seed_quotes));
	t_spit(bad, "", 0);
	const char *a1[] = {"otiose", "translate", a, bad, evil, NULL};
	run_result r = run(NULL, 0, a1);
	cr_assert_eq(r.code, 1);
	char want[256];
	snprintf(want, sizeof(want), "==> %s <==\n\nFILE RECORD: ", a);
	cr_assert(strncmp(r.out, want, strlen(want)) == 0, "%.200s", r.out);
	snprintf(want, sizeof(want), "\n\n==> %s/x\\x1b]0;pwned\\x07\\n[08] y.txt <==\n\nFILE RECORD: ", tmpdir);
	cr_assert(strstr(r.out, want), "%s", r.out);
	cr_assert_eq(t_count(r.out, "==> "), 2, "the failed input got a heading");
	cr_assert_null(strchr(r.out, '\x1b'));
	cr_assert_null(strchr(r.out, '\x07'));
	cr_assert(strstr(r.err, "bad.txt: empty input"), "%s", r.err);
	run_free(&r);

	const char *a2[] = {"otiose", "translate", "--format", "md", a, evil, NULL};
	r = run(NULL, 0, a2);
	cr_assert_eq(r.code, 0, "%s", r.err);
	/* the terminal's escapes, their backslashes escaped for Markdown */
	snprintf(want, sizeof(want), "==> %s/x\\\\x1b\\]0;pwned\\\\x07\\\\n\\[08\\] y.txt <==\n\n# ", tmpdir);
	cr_assert(strstr(r.out, want), "%s", r.out);
	run_free(&r);

	const char *a3[] = {"otiose", "translate", "--format", "json", a, bad, evil, NULL};
	r = run(NULL, 0, a3);
	cr_assert_eq(r.code, 1);
	json_error_t je;
	json_t *doc = json_loads(r.out, 0, &je);
	cr_assert(json_is_array(doc), "not one JSON array (%s): %s", je.text, r.out);
	cr_assert_eq(json_array_size(doc), 3);
	const char *inputs[] = {a, bad, evil};
	for (size_t i = 0; i < 3; i++) {
		json_t *el = json_array_get(doc, i);
		cr_assert_str_eq(json_string_value(json_object_get(el, "input")), inputs[i]);
		if (i == 1) {
			cr_assert_str_eq(json_string_value(json_object_get(el, "error")),
			                 "empty input: nothing to translate");
			cr_assert_null(json_object_get(el, "record"));
		} else {
			json_t *rec = json_object_get(el, "record");
			cr_assert(json_is_object(rec));
			cr_assert_eq(json_array_size(json_object_get(rec, "translations")), 3);
		}
	}
	json_decref(doc);
	run_free(&r);

	/* One input: one record, no heading, no array. */
	const char *a4[] = {"otiose", "translate", "--format", "json", a, NULL};
	r = run(NULL, 0, a4);
	doc = json_loads(r.out, 0, &je);
	cr_assert(json_is_object(doc) && json_object_get(doc, "translations"), "%.100s", r.out);
	json_decref(doc);
	run_free(&r);
	const char *a5[] = {"otiose", "translate", a, NULL};
	r = run(NULL, 0, a5);
	cr_assert(strncmp(r.out, "FILE RECORD: ", 13) == 0, "%.100s", r.out);
	run_free(&r);

	/* Several CSV files: JSON lines name their input, text records are headed. */
	char c1[128], c2[128];
	snprintf(c1, sizeof(c1), "%s/one.csv", tmpdir);
	snprintf(c2, sizeof(c2), "%s/two.csv", tmpdir);
	static const char csv1[] = "title,text\nChef,Cook the food well.\n";
	static const char csv2[] = "title,text,input\nBaker,Bake the bread well.,mine\n";
	t_spit(c1, csv1, strlen(csv1));
	t_spit(c2, csv2, strlen(csv2));
	const char *a6[] = {"otiose", "translate", "--csv", "-f", "json", c1, c2, NULL};
	r = run(NULL, 0, a6);
	cr_assert_eq(r.code, 0, "%s", r.err);
	snprintf(want, sizeof(want), "{\"input\":\"%s\",\"row\":1,\"line\":2,\"record\":{", c1);
	cr_assert(strncmp(r.out, want, strlen(want)) == 0, "%.200s", r.out);
	snprintf(want, sizeof(want), "\n{\"input\":\"%s\",\"row\":1,\"line\":2,\"record\":{", c2);
	cr_assert(strstr(r.out, want), "%s", r.out);
	run_free(&r);
	const char *a7[] = {"otiose", "translate", "--csv", c1, c2, NULL};
	r = run(NULL, 0, a7);
	snprintf(want, sizeof(want), "\n\n==> %s <==\n\nFILE RECORD: BAKER\n", c2);
	cr_assert(strstr(r.out, want), "%s", r.out);
	run_free(&r);
}

/* ------------------------------------------------------------------ */
/* issue 15: reading what people paste                                */
/* ------------------------------------------------------------------ */

/* The JSON record of translating argv; fails the test unless it exits 0. */
static json_t *record_of(const char *const *argv, const char *in, size_t inlen)
{
	run_result r = run(in, inlen, argv);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	json_error_t je;
	json_t *doc = json_loads(r.out, 0, &je);
	cr_assert_not_null(doc, "%s: %.200s", je.text, r.out);
	run_free(&r);
	return doc;
}

/* Does some quoted original of the record (translation or metric) hold s? */
static int some_original_has(json_t *doc, const char *s)
{
	json_t *tr = json_object_get(doc, "translations");
	for (size_t i = 0; i < json_array_size(tr); i++)
		if (strstr(json_string_value(json_object_get(json_array_get(tr, i), "original")), s))
			return 1;
	return 0;
}

/* Is "want" one of the record's quoted originals, whole? */
static int quotes(json_t *doc, const char *want)
{
	json_t *tr = json_object_get(doc, "translations");
	for (size_t i = 0; i < json_array_size(tr); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(tr, i), "original")), want) == 0)
			return 1;
	return 0;
}

/* A Markdown posting is read as a reader sees it: the heading is the
 * title, no '#', '**' or link markup reaches a quote, and each list item,
 * nested or numbered, is quoted as one item. */
Test(cli, translate_reads_markdown_as_text)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/tests/data/posting.md", t_root());
	const char *argv[] = {"otiose", "translate", "--format", "json", p, NULL};
	json_t *doc = record_of(argv, NULL, 0);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "title")), "Senior Growth Ninja");
	cr_assert_geq(json_array_size(json_object_get(doc, "translations")), 6);
	static const char *const marks[] = {"#",        "**",    "__",  "](",   "[",
	                                    "*",        "&hearts;", "&amp;", "png", "https"};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		cr_expect(!some_original_has(doc, marks[i]), "a quote holds '%s'", marks[i]);
	cr_expect(quotes(doc, "We are a fast-paced startup looking for a rockstar who can own the "
	                      "roadmap from day one."),
	          "the wrapped paragraph is not one sentence");
	cr_expect(quotes(doc, "Drive synergy across teams"));
	cr_expect(quotes(doc, "Own the North Star metric"));
	cr_expect(quotes(doc, "Report the Experiment Win Rate to the exec team"), "the nested item");
	cr_expect(quotes(doc, "Wear many hats"), "the numbered item");
	json_decref(doc);

	/* The text record says the same, without a '#' in its title lines. */
	const char *text[] = {"otiose", "translate", p, NULL};
	run_result r = run(NULL, 0, text);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert(strncmp(r.out, "FILE RECORD: SENIOR-GROWTH-NINJA\n"
	                         "WHAT DOES A SENIOR GROWTH NINJA ACTUALLY DO?\n", 77) == 0,
	          "%.120s", r.out);
	cr_assert_null(strstr(r.out, "**"), "%s", r.out);
	cr_assert(strstr(r.out, "\"Drive synergy across teams\""), "%s", r.out);
	run_free(&r);
}

/* An HTML page: the site's title, the style and the script are not the
 * posting; every entity is decoded before a rule or a quote sees it. */
Test(cli, translate_reads_html_with_every_entity)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/tests/data/posting.html", t_root());
	const char *argv[] = {"otiose", "translate", "--format", "json", p, NULL};
	json_t *doc = record_of(argv, NULL, 0);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "title")), "Community Ninja");
	cr_expect(quotes(doc, "We work hard and play hard!"), "&excl; is not '!'");
	/* quoted as a reader sees the page: the apostrophe, the non-breaking
	 * hyphen and the angle quote as written, the no-break space a space */
	cr_expect(quotes(doc, "It\xe2\x80\x99s a fast\xe2\x80\x91paced team \xe2\x80\xba join us."),
	          "&#146; &#8209; &rsaquo; &nbsp;");
	cr_expect(quotes(doc, "Wear many hats"), "the &hearts; bullet did not make an item");
	cr_expect(quotes(doc, "Drive synergy across teams"));
	static const char *const marks[] = {"&", ";", "<", "bait", "color", "Acme"};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		cr_expect(!some_original_has(doc, marks[i]), "a quote holds '%s'", marks[i]);
	json_decref(doc);
}

/* A JSON file is one posting: its "description" is translated with its
 * "title", never its braces or its other fields; bad JSON is refused with
 * the file, the line and the column; an array says what to do instead. */
Test(cli, translate_reads_a_json_posting_and_refuses_bad_json)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/tests/data/posting.json", t_root());
	const char *argv[] = {"otiose", "translate", "--format", "json", p, NULL};
	json_t *doc = record_of(argv, NULL, 0);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "title")), "Growth Ninja");
	cr_expect(quotes(doc, "We are a fast-paced startup looking for a rockstar."));
	cr_expect(quotes(doc, "You will wear many hats and drive synergy across teams."));
	static const char *const marks[] = {"{", "\"", "description", "board-7", "Remote", "\\n"};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		cr_expect(!some_original_has(doc, marks[i]), "a quote holds '%s'", marks[i]);
	json_decref(doc);

	char bad[192];
	snprintf(bad, sizeof(bad), "%s/bad.json", tmpdir);
	t_spit(bad, "{\n  \"title\": \"Ninja\",\n  \"text\": \"We need one.\",\n}\n", 49);
	const char *b[] = {"otiose", "translate", bad, NULL};
	run_result r = run(NULL, 0, b);
	cr_assert_eq(r.code, 1);
	cr_assert_eq(r.outlen, 0);
	cr_assert(strstr(r.err, "bad.json: invalid JSON at line 4, column 1: "), "%s", r.err);
	run_free(&r);
	t_spit(bad, "[{\"text\": \"We need one.\"}]", 26);
	r = run(NULL, 0, b);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "bad.json: not a JSON object but an array: "), "%s", r.err);
	cr_assert(strstr(r.err, "translate --jsonl"), "%s", r.err);
	run_free(&r);
}

/* --input-format overrides the extension (and reads standard input as it
 * says) in every command that reads postings; a bad name is a usage error,
 * and the stream modes, which read their own formats, refuse it. */
Test(cli, input_format_overrides_the_extension)
{
	char md[PATH_MAX], txt[192];
	snprintf(md, sizeof(md), "%s/tests/data/posting.md", t_root());
	snprintf(txt, sizeof(txt), "%s/posting.txt", tmpdir);
	cr_assert_eq(t_sh("cp '%s' '%s'", md, txt), 0);

	/* Markdown named .txt, read as Markdown; and as text, as before. */
	const char *as_md[] = {"otiose", "translate", "--format", "json", "--input-format", "md",
	                       txt, NULL};
	json_t *doc = record_of(as_md, NULL, 0);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "title")), "Senior Growth Ninja");
	cr_expect(!some_original_has(doc, "**"));
	json_decref(doc);
	const char *as_txt[] = {"otiose", "translate", "--format", "json", "--input-format", "txt",
	                        md, NULL};
	doc = record_of(as_txt, NULL, 0);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "title")), "# Senior Growth Ninja");
	json_decref(doc);

	/* Standard input is text unless told otherwise. */
	size_t n;
	char *body = t_slurp(md, &n);
	const char *in_md[] = {"otiose", "translate", "--format", "json", "--input-format",
	                       "markdown", NULL};
	doc = record_of(in_md, body, n);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "title")), "Senior Growth Ninja");
	json_decref(doc);
	const char *in_json[] = {"otiose", "translate", "--input-format", "json", "-", NULL};
	run_result r = run(body, n, in_json);
	cr_assert_eq(r.code, 1);
	cr_assert(strstr(r.err, "<stdin>: invalid JSON at line 1, column 1: "), "%s", r.err);
	run_free(&r);
	free(body);

	/* corpus add, bench and rules stats take it too */
	const char *rs[] = {"otiose", "rules", "stats", "--input-format", "md", tmpdir, NULL};
	r = run(NULL, 0, rs);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	run_free(&r);

	static const char *const cmds[][3] = {{"translate", NULL, NULL}, {"batch", NULL, NULL},
	                                      {"bench", NULL, NULL},     {"rules", "stats", NULL},
	                                      {"corpus", "add", NULL}};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const char *bad[] = {"otiose", cmds[i][0], "--input-format", "pdf", txt, NULL};
		const char *badsub[] = {"otiose", cmds[i][0], cmds[i][1], "--input-format", "pdf", txt,
		                        NULL};
		r = run(NULL, 0, cmds[i][1] ? badsub : bad);
		cr_expect_eq(r.code, 2, "%s", cmds[i][0]);
		cr_expect(strstr(r.err, "unknown input format 'pdf' (txt, md, html, json)"), "%s: %s",
		          cmds[i][0], r.err);
		run_free(&r);
		const char *help[] = {"otiose", cmds[i][0], "--help", NULL};
		const char *helpsub[] = {"otiose", cmds[i][0], cmds[i][1], "--help", NULL};
		r = run(NULL, 0, cmds[i][1] ? helpsub : help);
		cr_expect(strstr(r.out, "--input-format F"), "%s --help", cmds[i][0]);
		run_free(&r);
	}
	const char *jl[] = {"otiose", "translate", "--jsonl", "--input-format", "md", NULL};
	r = run("{}\n", 3, jl);
	cr_assert_eq(r.code, 2);
	cr_assert(strstr(r.err, "--jsonl and --csv read their own formats"), "%s", r.err);
	run_free(&r);
}
