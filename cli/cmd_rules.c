/*
 * cmd_rules.c - `otiose rules check [DIR|FILE...]`: parse every rule file,
 * compile every pattern and run every example and counter, reporting each
 * problem as file:line; `otiose rules stats FOLDER`: how often each rule
 * fires over a folder of postings, and what is left untranslated.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void help_stats(FILE *f)
{
	fprintf(f, "usage: otiose rules stats [--top N] [--db PATH] [--input-format F] FOLDER\n"
	           "\n"
	           "Run the rules over every .txt, .md, .html and .json file below FOLDER (as\n"
	           "'batch' reads them) and report how often each rule fires (hits, and files it\n"
	           "fires in), the rules that never fire, and the untranslated sentences that\n"
	           "look like jargon (long, abstract, no number or name in them), most frequent\n"
	           "first: what to write rules for next.\n"
	           "\n"
	           "options:\n"
	           "  -n, --top N     how many rules and sentences to list (default 40)\n"
	           "      --db PATH   the corpus database\n"
	           CLI_INPUT_FORMAT_HELP
	           "  -h, --help      show this help\n");
}

/* What a stats run gathers: the engine's tallies, and the files read or not. */
typedef struct stats_run {
	otz_stats *st;
	otz_session *s;
	size_t files, failed;
} stats_run;

/* Add every input below dir to the tallies; each that cannot be read is named on stderr. */
static int add_folder(stats_run *sr, const char *dir, const cli_read_opts *ro)
{
	cli_walk w = {0};
	char path[PATH_MAX + 8];
	if (cli_walk_dir(dir, &w, NULL, 0)) {
		cli_err("out of memory walking %s", dir);
		cli_walk_free(&w);
		return EXIT_INTERNAL;
	}
	for (size_t i = 0; i < w.errors.n; i++)
		cli_err("%s", w.errors.v[i]);
	sr->failed += w.errors.n;
	for (size_t i = 0; i < w.n; i++) {
		cli_input in;
		otz_error err = {0, ""};
		snprintf(path, sizeof(path), "%s/%s", dir, w.v[i].rel);
		int e = cli_input_load(path, ro, &in);
		if (e == EXIT_OK && otz_stats_add(sr->st, sr->s, in.text, in.len, &err)) {
			cli_err("%s: %s", path, err.msg);
			e = EXIT_INPUT;
		}
		if (e)
			sr->failed++;
		else
			sr->files++;
		cli_input_dispose(&in);
	}
	cli_walk_free(&w);
	return EXIT_OK;
}

typedef struct rule_count {
	size_t rule, hits, docs;
} rule_count;

static int cmp_count(const void *a, const void *b)
{
	const rule_count *x = a, *y = b;
	if (x->hits != y->hits)
		return x->hits < y->hits ? 1 : -1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static int rules_stats(int argc, char **argv)
{
	static const struct option opts[] = {{"top", required_argument, NULL, 'n'},
	                                     {"db", required_argument, NULL, 'D'},
	                                     CLI_INPUT_FORMAT_OPTION,
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *db = NULL;
	cli_read_opts ro = CLI_READ_OPTS_INIT;
	long top = 40;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': {
			char *end;
			top = strtol(optarg, &end, 10);
			if (*end || top < 1)
				return cli_usage_error("rules stats", "--top takes a positive number");
			break;
		}
		case 'D': db = optarg; break;
		case CLI_OPT_INPUT_FORMAT:
			if (cli_input_format_option("rules stats", optarg, &ro.format))
				return EXIT_USAGE;
			break;
		case 'h': help_stats(stdout); return EXIT_OK;
		default: return cli_usage_error("rules stats", "bad option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("rules stats", "expected one FOLDER");
	const char *dir = argv[optind];
	if (cli_need_dir(dir))
		return EXIT_INPUT;
	otz_engine *e = NULL;
	int rc = cli_load_engine(db, &e, 0);
	if (rc)
		return rc;
	stats_run sr = {NULL, NULL, 0, 0};
	if (otz_stats_new(&sr.st, e) || otz_session_new(&sr.s, e)) {
		cli_err("out of memory");
		rc = EXIT_INTERNAL;
		goto done;
	}
	if ((rc = add_folder(&sr, dir, &ro)))
		goto done;
	size_t texts, sentences, translated;
	otz_stats_totals(sr.st, &texts, &sentences, &translated);
	const otz_ruleset *rs = otz_engine_rules(e);
	size_t nr = otz_ruleset_count(rs), never = 0;
	rule_count *rc_ = calloc(nr ? nr : 1, sizeof(*rc_));
	if (!rc_) {
		cli_err("out of memory");
		rc = EXIT_INTERNAL;
		goto done;
	}
	/* A rule without a pattern (a metric shape rule, which gives the
	 * reasons of the metric heuristic's finds) fires on nothing by design:
	 * it is not listed as never firing. */
	for (size_t i = 0; i < nr; i++) {
		otz_rule_info info;
		otz_ruleset_info(rs, i, &info);
		rc_[i].rule = i;
		rc_[i].hits = otz_stats_rule(sr.st, i, &rc_[i].docs);
		never += rc_[i].hits == 0 && info.npatterns > 0;
	}
	qsort(rc_, nr, sizeof(*rc_), cmp_count);
	printf("%zu files (%zu unreadable), %zu sentences, %zu translated (%.1f%%); %zu rules, %zu never fire\n",
	       sr.files, sr.failed, sentences, translated,
	       sentences ? 100.0 * (double)translated / (double)sentences : 0, nr, never);
	printf("\nmost frequent rules:\n%-36s %7s %7s  %s\n", "rule", "hits", "files", "defined at");
	for (size_t i = 0; i < nr && (long)i < top && rc_[i].hits; i++) {
		otz_rule_info info;
		otz_ruleset_info(rs, rc_[i].rule, &info);
		printf("%-36s %7zu %7zu  %s:%d\n", info.id, rc_[i].hits, rc_[i].docs, info.file,
		       info.line);
	}
	printf("\nnever fired (%zu):\n", never);
	for (size_t i = 0; i < nr; i++) {
		if (rc_[i].hits)
			continue;
		otz_rule_info info;
		otz_ruleset_info(rs, rc_[i].rule, &info);
		if (info.npatterns > 0)
			printf("  %s (%s:%d)\n", info.id, info.file, info.line);
	}
	free(rc_);
	const char *text;
	size_t cnt, nj = otz_stats_jargon(sr.st, 0, &text, &cnt);
	printf("\nuntranslated sentences that look like jargon (%zu; most frequent first):\n", nj);
	for (size_t i = 0; i < nj && (long)i < top; i++) {
		otz_stats_jargon(sr.st, i, &text, &cnt);
		printf("%5zux  %s\n", cnt, text);
	}
	if (sr.failed)
		rc = EXIT_INPUT;
done:
	otz_session_free(sr.s);
	otz_stats_free(sr.st);
	otz_engine_free(e);
	return rc;
}

static void help_check(FILE *f)
{
	fprintf(f, "usage: otiose rules check [DIR|FILE...]\n"
	           "\n"
	           "Validate rule files (default: ./rules, else the rules beside the binary,\n"
	           "else those installed with it in PREFIX/share/otiose/rules): every key,\n"
	           "every pattern (compiled with PCRE2 and JIT), every example (must match)\n"
	           "and counter-example (must not), and that no two rules share a\n"
	           "translation; a metric shape rule's examples go through the metric\n"
	           "heuristic, which must find its shape in them (and not in its counters).\n"
	           "Problems are printed as file:line: message.  Warnings: a\n"
	           "rule that wins none of its own examples (another rule always outweighs\n"
	           "it) is shadowed; a rule that fires on a bare capitalised name (a product,\n"
	           "a field) without the claim its translation mocks fires on mentions,\n"
	           "unless it says 'mention: yes'.  A folder or file that is not there, or a\n"
	           "folder without *.rules files, is an error.  The format is in\n"
	           "rules/README.md.\n"
	           "\n"
	           "exit codes: 0 all good, 1 problems found (or nothing to check), 2 usage\n");
}

static int rules_check(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (cli_is_help(argv[i])) {
			help_check(stdout);
			return EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error("rules check", "unknown option '%s'", argv[i]);
		}
	/* With no argument: ./rules, else the rules beside the binary or the
	 * installed ones; none of them is an error, not an empty pass. */
	char dflt[PATH_MAX];
	if (argc < 2 && cli_default_dir("rules", dflt, sizeof(dflt), NULL))
		return EXIT_INPUT;
	otz_ruleset *rs = NULL;
	if (otz_ruleset_new(&rs)) {
		cli_err("out of memory");
		return EXIT_INTERNAL;
	}
	int rc = EXIT_OK, nfiles = argc > 1 ? argc - 1 : 1;
	otz_error err = {0, ""};
	for (int i = 0; i < nfiles; i++) {
		const char *p = argc > 1 ? argv[1 + i] : dflt;
		struct stat st;
		int e;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			e = otz_ruleset_add_dir(rs, p, &err);
		else
			e = otz_ruleset_add_file(rs, p, &err);
		if (e == OTZ_EIO || e == OTZ_ENOMEM || (e && otz_ruleset_diag_count(rs) == 0)) {
			cli_err("%s", err.msg);
			rc = cli_exit_for(e);
		}
	}
	/* Nothing was read (a missing folder or file, a folder without rule
	 * files): the errors above are the whole answer; a count of 0 rules
	 * would read as a pass. */
	if (rc != EXIT_OK && otz_ruleset_count(rs) == 0 && otz_ruleset_diag_count(rs) == 0) {
		otz_ruleset_free(rs);
		return rc;
	}
	if (rc == EXIT_OK || otz_ruleset_diag_count(rs))
		if (otz_ruleset_compile(rs, 1, &err) == 0)
			otz_ruleset_lint(rs, &err);
	size_t nd = otz_ruleset_diag_count(rs), nw = otz_ruleset_warning_count(rs);
	for (size_t i = 0; i < nd; i++)
		cli_note("%s", otz_ruleset_diag(rs, i));
	for (size_t i = 0; i < nw; i++)
		cli_note("%s", otz_ruleset_warning(rs, i));
	size_t ex = 0, co = 0;
	for (size_t i = 0; i < otz_ruleset_count(rs); i++) {
		otz_rule_info info;
		otz_ruleset_info(rs, i, &info);
		ex += info.nexamples;
		co += info.ncounters;
	}
	printf("%zu rules, %zu patterns, %zu examples, %zu counter-examples: %s, %zu warning%s\n",
	       otz_ruleset_count(rs), otz_ruleset_pattern_count(rs), ex, co,
	       nd || rc != EXIT_OK ? "problems found" : "all pass", nw, nw == 1 ? "" : "s");
	if (nd && rc == EXIT_OK)
		rc = EXIT_INPUT;
	otz_ruleset_free(rs);
	return rc;
}

int cmd_rules(int argc, char **argv)
{
	static const cli_command subcommands[] = {
		{"check", rules_check, "check rule files and run every rule's examples", 0},
		{"stats", rules_stats, "how often each rule fires over a folder of postings", 0},
		{NULL, NULL, NULL, 0}};
	return cli_dispatch("rules", subcommands, argc, argv);
}
