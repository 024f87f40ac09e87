/*
 * test_install.c - `make install` into a fresh PREFIX, the installed otiose
 * used as a user would (from another folder, with no flags), its man pages
 * read with man(1), its completions asked what they offer, and `make
 * uninstall` leaving nothing behind.
 *
 * Installing copies the binary and database the run is testing
 * ($OTIOSE_BIN, $OTIOSE_DB, already built: INSTALL_BIN and INSTALL_DB
 * name them to make), so make rebuilds nothing under the tests running
 * beside this one.  The suite is not one of those `make valgrind` runs: the
 * installed binary is a copy, which the valgrind wrapper cannot be.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

static char tmp[128];    /* everything this suite writes */
static char root[256];   /* the checkout, absolute */
static char prefix[160]; /* the PREFIX installed into */
static char work[160];   /* a folder with no rules/ or corpus/ in it, the cwd of runs */

static void setup(void)
{
	char made[64], real[PATH_MAX];
	t_mkdtemp(made, sizeof(made), "install");
	/* Resolved, as the binary reports the folder it runs from. */
	cr_assert_not_null(realpath(made, real), "%s", made);
	cr_assert(strlen(real) < 100, "%s: too long a name", real);
	snprintf(tmp, sizeof(tmp), "%s", real);
	cr_assert_not_null(realpath(t_root(), real), "OTIOSE_ROOT %s", t_root());
	cr_assert(strlen(real) < sizeof(root), "%s: too long a name", real);
	snprintf(root, sizeof(root), "%s", real);
	snprintf(prefix, sizeof(prefix), "%s/prefix", tmp);
	snprintf(work, sizeof(work), "%s/elsewhere", tmp);
	cr_assert_eq(mkdir(work, 0700), 0);
}

static void teardown(void)
{
	t_rmtree(tmp);
}

TestSuite(install, .init = setup, .fini = teardown, .timeout = 600);

static int is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

/* Read tmp/name, the output a command was sent to. */
static char *out(const char *name)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	return t_slurp(p, NULL);
}

/* Is `word` in hay as a whole option or name (not the head of a longer one)? */
static int has_word(const char *hay, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = hay; (p = strstr(p, word)); p++) {
		int before = p == hay || !(p[-1] == '-' || (p[-1] >= 'a' && p[-1] <= 'z'));
		char a = p[n];
		if (before && !(a == '-' || (a >= 'a' && a <= 'z')))
			return 1;
	}
	return 0;
}

/* The long options a --help text lists: lines "  -x, --name ..." or
 * "      --name ...", into opts (each "--name"); how many. */
static size_t help_options(const char *help, char opts[][32], size_t max)
{
	size_t n = 0;
	for (const char *l = help; l && *l && n < max; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *p = l;
		if (*p != ' ')
			continue;
		while (*p == ' ')
			p++;
		if (p[0] == '-' && p[1] != '-' && p[1] && p[2] == ',' && p[3] == ' ')
			p += 4;
		if (p[0] != '-' || p[1] != '-')
			continue;
		size_t k = 2;
		while ((p[k] >= 'a' && p[k] <= 'z') || p[k] == '-')
			k++;
		if (k > 2 && k < 32) {
			memcpy(opts[n], p, k);
			opts[n++][k] = '\0';
		}
	}
	return n;
}

/* The names a command table lists ("  name  summary" lines after `after`). */
static size_t table_names(const char *help, const char *after, char names[][32], size_t max)
{
	const char *l = strstr(help, after);
	size_t n = 0;
	cr_assert_not_null(l, "no '%s' in: %s", after, help);
	l += strlen(after);
	if (l[-1] != '\n')
		l = strchr(l, '\n') + 1;
	for (; *l == ' ' && l[1] == ' ' && l[2] != ' ' && n < max;
	     l = strchr(l, '\n') + 1) {
		size_t k = strcspn(l + 2, " \n");
		cr_assert(k > 0 && k < 32);
		memcpy(names[n], l + 2, k);
		names[n++][k] = '\0';
	}
	return n;
}

/* The installed binary, run from `work` with no OTIOSE_DB: its exit code;
 * stdout and stderr in tmp/o and tmp/e. */
static int installed(const char *args)
{
	return t_sh("cd '%s' && env -u OTIOSE_DB '%s/bin/otiose' %s > '%s/o' 2> '%s/e'", work, prefix,
	            args, tmp, tmp);
}

static void make_target(const char *target)
{
	const char *bin = t_bin(), *db = getenv("OTIOSE_DB");
	char abin[PATH_MAX], adb[PATH_MAX], dflt[320];
	snprintf(dflt, sizeof(dflt), "%s/otiose.db", root);
	cr_assert_not_null(realpath(bin, abin), "OTIOSE_BIN %s", bin);
	cr_assert_not_null(realpath(db && *db ? db : dflt, adb), "no database to install");
	/* Not the make that runs the tests: its flags are not this make's. */
	int rc = t_sh("env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C '%s' --no-print-directory %s "
	              "PREFIX='%s' INSTALL_BIN='%s' INSTALL_DB='%s' > '%s/make.log' 2>&1",
	              root, target, prefix, abin, adb, tmp);
	char *log = out("make.log");
	cr_assert_eq(rc, 0, "make %s: %s", target, log);
	free(log);
}

/* What bash completes for the words of `line` (the last one being completed). */
static char *bash_completes(const char *line)
{
	char script[256];
	snprintf(script, sizeof(script), "%s/complete.bash", tmp);
	const char *text = "source \"$1\"; shift\n"
	                   "COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
	                   "_otiose; printf '%s\\n' \"${COMPREPLY[@]}\"\n";
	t_spit(script, text, strlen(text));
	cr_assert_eq(t_sh("cd '%s' && bash '%s' '%s/share/bash-completion/completions/otiose' %s "
	                  "> '%s/bash.out' 2>&1",
	                  work, script, prefix, line, tmp),
	             0);
	return out("bash.out");
}

/*
 * The whole round: install, use, read, complete, uninstall.  One test, as
 * each step needs the one before it.
 */
Test(install, installs_what_runs_from_anywhere_and_uninstalls_all_of_it)
{
	char p[1024], version[64];
	make_target("install");

	/* The files, where a packager expects them. */
	const char *files[] = {"bin/otiose", "share/otiose/otiose.db", "share/man/man1/otiose.1",
	                       "share/bash-completion/completions/otiose",
	                       "share/zsh/site-functions/_otiose"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", prefix, files[i]);
		cr_assert(is_file(p), "not installed: %s", p);
	}
	cr_assert_eq(t_sh("cd '%s' && for f in rules/*.rules corpus/*.txt; do "
	                  "cmp -s \"$f\" '%s'/share/otiose/\"$f\" || exit 1; done",
	                  root, prefix),
	             0, "the rules and specimens are not all installed as they are");

	/* From a folder with no rules/ beside it, and no flags: the installed
	 * rules, all of them, pass. */
	int rc = installed("rules check");
	char *o = out("o"), *e = out("e");
	cr_assert_eq(rc, 0, "rules check: %s%s", o, e);
	unsigned long nrules = strtoul(o, NULL, 10);
	cr_assert(nrules >= 800, "rules check read %lu rules: %s", nrules, o);
	cr_assert(strstr(o, "all pass"), "%s", o);
	free(o);
	free(e);

	/* translate finds the installed database. */
	snprintf(p, sizeof(p), "translate '%s/tests/data/sample_jd.txt'", root);
	rc = installed(p);
	o = out("o");
	e = out("e");
	cr_assert_eq(rc, 0, "translate: %s", e);
	cr_assert(strstr(o, "FILE RECORD:") && strstr(o, "OTIOSE TRANSLATION"), "%s", o);
	free(o);
	free(e);

	/* A man page for otiose and one for each command in its table, each
	 * readable by man(1), naming its command and the version. */
	cr_assert_eq(installed("--version"), 0);
	o = out("o");
	cr_assert_eq(sscanf(o, "otiose %63s", version), 1, "%s", o);
	free(o);
	cr_assert_eq(installed("--help"), 0);
	char *help = out("o");
	char cmds[16][32];
	size_t ncmds = table_names(help, "commands:", cmds, 16);
	free(help);
	cr_assert(ncmds >= 8, "only %zu commands", ncmds);
	for (size_t i = 0; i <= ncmds; i++) {
		char name[48], page[320];
		snprintf(name, sizeof(name), i < ncmds ? "otiose-%s" : "otiose", i < ncmds ? cmds[i] : "");
		snprintf(page, sizeof(page), "%s/share/man/man1/%s.1", prefix, name);
		cr_assert(is_file(page), "no man page %s", page);
		rc = t_sh("LC_ALL=C MANWIDTH=80 man -l -P cat '%s' > '%s/man.txt' 2> '%s/man.err'", page,
		          tmp, tmp);
		char *text = out("man.txt"), *err = out("man.err");
		cr_assert_eq(rc, 0, "man -l %s: %s", page, err);
		cr_assert_str_empty(err, "man -l %s: %s", page, err);
		const char *nm = strstr(text, "NAME\n");
		cr_assert_not_null(nm, "%s has no NAME: %s", page, text);
		nm += strspn(nm + 5, " ") + 5;
		cr_assert(strncmp(nm, name, strlen(name)) == 0 && nm[strlen(name)] == ' ',
		          "%s does not name %s: %s", page, name, text);
		snprintf(p, sizeof(p), "otiose %s", version);
		cr_assert(strstr(text, p), "%s is not of version %s", page, version);
		free(text);
		free(err);
	}
	snprintf(p, sizeof(p), "%s/share/man/man1", prefix);
	cr_assert_eq(t_sh("test $(ls '%s' | wc -l) -eq %zu", p, ncmds + 1), 0,
	             "man pages for commands otiose does not have");

	/* Every long option of every command (and subcommand) is in its man
	 * page and offered by both completions. */
	cr_assert_eq(t_sh("bash -n '%s/share/bash-completion/completions/otiose'", prefix), 0);
	cr_assert_eq(t_sh("zsh -n '%s/share/zsh/site-functions/_otiose'", prefix), 0);
	char zsh_cmd[8192];
	int zl = snprintf(zsh_cmd, sizeof(zsh_cmd),
	                  "cd '%s' && PATH='%s/bin':$PATH timeout 120 zsh -f '%s/tests/complete.zsh' "
	                  "'%s/share/zsh/site-functions'",
	                  work, prefix, root, prefix);
	char lines[32][64];
	size_t nlines = 0;
	for (size_t i = 0; i < ncmds; i++) {
		if (!strcmp(cmds[i], "help") || !strcmp(cmds[i], "version"))
			continue;
		snprintf(p, sizeof(p), "%s/bin/otiose %s --help > '%s/h'", prefix, cmds[i], tmp);
		cr_assert_eq(t_sh("%s", p), 0);
		char *h = out("h");
		if (strstr(h, "<command>") || strstr(h, "Run 'otiose ")) {
			/* A table of subcommands (corpus, rules): each has its options. */
			char subs[8][32];
			size_t nsub = table_names(h, "\n\n", subs, 8);
			cr_assert(nsub >= 2, "%s: %s", cmds[i], h);
			for (size_t k = 0; k < nsub; k++)
				snprintf(lines[nlines++], sizeof(lines[0]), "%s %s", cmds[i], subs[k]);
		} else {
			snprintf(lines[nlines++], sizeof(lines[0]), "%s", cmds[i]);
		}
		free(h);
	}
	for (size_t i = 0; i < nlines; i++)
		zl += snprintf(zsh_cmd + zl, sizeof(zsh_cmd) - (size_t)zl, " 'otiose %s --'", lines[i]);
	zl += snprintf(zsh_cmd + zl, sizeof(zsh_cmd) - (size_t)zl,
	               " 'otiose ' 'otiose translate --format ' > '%s/zsh.out' 2>&1", tmp);
	cr_assert(zl < (int)sizeof(zsh_cmd));
	rc = t_sh("%s", zsh_cmd);
	char *zsh = out("zsh.out");
	cr_assert_eq(rc, 0, "zsh exited %d: %s", rc, zsh);
	cr_assert_null(strstr(zsh, "\nerror: "), "zsh completion errors: %s", zsh);
	size_t total = 0;
	for (size_t i = 0; i < nlines; i++) {
		char cmd[64];
		snprintf(cmd, sizeof(cmd), "%s", lines[i]);
		snprintf(p, sizeof(p), "%s/bin/otiose %s --help > '%s/h'", prefix, cmd, tmp);
		cr_assert_eq(t_sh("%s", p), 0);
		char *h = out("h");
		char opts[32][32];
		size_t nopts = help_options(h, opts, 32);
		free(h);
		total += nopts;

		char name[48], page[320];
		snprintf(name, sizeof(name), "otiose-%.*s", (int)strcspn(cmd, " "), cmd);
		snprintf(page, sizeof(page), "%s/share/man/man1/%s.1", prefix, name);
		cr_assert_eq(t_sh("LC_ALL=C MANWIDTH=80 man -l -P cat '%s' > '%s/man.txt' 2>/dev/null",
		                  page, tmp),
		             0);
		char *man = out("man.txt");
		snprintf(p, sizeof(p), "otiose %s --", cmd);
		char *bash = bash_completes(p);
		snprintf(p, sizeof(p), "=== otiose %s --\n", cmd);
		const char *zs = strstr(zsh, p);
		cr_assert_not_null(zs, "zsh was not asked about %s: %s", cmd, zsh);
		const char *zend = strstr(zs + 1, "=== ");
		char *zpart = strndup(zs, zend ? (size_t)(zend - zs) : strlen(zs));
		for (size_t k = 0; k < nopts; k++) {
			cr_assert(has_word(man, opts[k]), "%s does not describe %s", page, opts[k]);
			cr_assert(has_word(bash, opts[k]), "bash does not offer %s for 'otiose %s': %s",
			          opts[k], cmd, bash);
			cr_assert(has_word(zpart, opts[k]), "zsh does not offer %s for 'otiose %s': %s",
			          opts[k], cmd, zpart);
		}
		free(zpart);
		free(bash);
		free(man);
	}
	/* The commands, and an option's values. */
	const char *zcmds = strstr(zsh, "=== otiose \n");
	cr_assert_not_null(zcmds, "%s", zsh);
	for (size_t i = 0; i < ncmds; i++)
		cr_assert(has_word(zcmds, cmds[i]), "zsh does not offer the command %s: %s", cmds[i], zsh);
	cr_assert(strstr(zsh, "=== otiose translate --format \ntext\njson\nmd\nhtml\n"), "%s", zsh);
	free(zsh);
	cr_assert(nlines >= 9 && total >= 50, "%zu commands with %zu options: too few read from --help",
	          nlines, total);

	/* Completion of the commands and of an option's values. */
	char *b = bash_completes("otiose ''");
	for (size_t i = 0; i < ncmds; i++)
		cr_assert(has_word(b, cmds[i]), "bash does not offer the command %s: %s", cmds[i], b);
	free(b);
	b = bash_completes("otiose translate --format ''");
	cr_assert_str_eq(b, "text\njson\nmd\nhtml\n");
	free(b);

	/* corpus build with no flags, installed: the installed rules and corpus,
	 * into the installed database, which translate then reads. */
	rc = installed("corpus build");
	e = out("e");
	cr_assert_eq(rc, 0, "corpus build: %s", e);
	snprintf(p, sizeof(p), "wrote %s/share/otiose/otiose.db: ", prefix);
	cr_assert(strstr(e, p), "%s", e);
	free(e);
	snprintf(p, sizeof(p), "%s/bin/otiose.db", prefix);
	cr_assert(!exists(p), "corpus build wrote a database into bin/");

	make_target("uninstall");
	cr_assert_eq(t_sh("test -z \"$(find '%s' -type f -o -type l)\"", prefix), 0,
	             "left behind: see find '%s'", prefix);
	snprintf(p, sizeof(p), "%s/share/otiose", prefix);
	cr_assert(!exists(p), "%s is still there", p);
}

/* A specimen drafted into the installed corpus is not install's to remove. */
Test(install, uninstall_keeps_what_it_did_not_install)
{
	char p[1024];
	make_target("install");
	snprintf(p, sizeof(p), "%s/share/otiose/corpus/999_mine.txt", prefix);
	t_spit(p, "mine\n", 5);
	make_target("uninstall");
	cr_assert(is_file(p), "uninstall removed a file it did not install");
	char *log = out("make.log");
	snprintf(p, sizeof(p), "kept %s/share/otiose/corpus: it holds files that install did not put there",
	         prefix);
	cr_assert(strstr(log, p), "%s", log);
	free(log);
	cr_assert_eq(t_sh("test \"$(find '%s' -type f)\" = '%s/share/otiose/corpus/999_mine.txt'",
	                  prefix, prefix),
	             0);
}

/* A binary with no rules beside it, above it or installed: rules check says
 * where it looked, and fails. */
Test(install, rules_check_with_no_rules_anywhere_says_where_it_looked)
{
	char bin[256];
	snprintf(bin, sizeof(bin), "%s/lone/bin", tmp);
	cr_assert_eq(t_sh("mkdir -p '%s' && cp '%s' '%s/otiose'", bin, t_bin(), bin), 0);
	int rc = t_sh("cd '%s' && '%s/otiose' rules check > '%s/o' 2> '%s/e'", work, bin, tmp, tmp);
	char *o = out("o"), *e = out("e");
	cr_assert_eq(rc, 1, "%s%s", o, e);
	cr_assert_str_empty(o, "a check of nothing printed: %s", o);
	char want[1024];
	snprintf(want, sizeof(want),
	         "otiose: no rules folder: looked for ./rules, %s/rules, %s/../rules and "
	         "%s/lone/share/otiose/rules",
	         bin, bin, tmp);
	cr_assert(strstr(e, want), "%s", e);
	free(o);
	free(e);
}
