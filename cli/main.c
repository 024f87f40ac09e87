/*
 * main.c - the command table and dispatch.  Each subcommand lives in its
 * own cmd_<name>.c and returns one of the exit codes in cli.h; those with
 * subcommands of their own (corpus, rules) dispatch them through a table
 * of the same kind (dispatch.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const cli_command commands[] = {
	{"translate", cmd_translate, "translate job descriptions into file records", 0},
	{"batch", cmd_batch, "translate every JD below a folder, on all cores", 0},
	{"corpus", cmd_corpus, "build the corpus database; import or draft a specimen", 1},
	{"specimens", cmd_specimens, "list, search and show the stored specimens", 1},
	{"rules", cmd_rules, "check rule files and run every rule's examples; rule stats", 1},
	{"bench", cmd_bench, "measure throughput, whole pipeline and per stage", 0},
	{"help", cmd_help, "show help for otiose or a command", 0},
	{"version", cmd_version, "print the version", 0},
	{NULL, NULL, NULL, 0}};

static void usage(FILE *f)
{
	fprintf(f, "usage: otiose <command> [options] [args]\n"
	           "\n"
	           "otiose reads job descriptions and says what the role actually is.\n"
	           "\n"
	           "commands:\n");
	cli_list_commands(f, commands);
	fprintf(f, "\n"
	           "  otiose translate < jd.txt        a file record for a pasted JD\n"
	           "  otiose translate --format json a.txt b.txt\n"
	           "  otiose corpus build              compile rules/ and corpus/\n"
	           "\n"
	           "Run 'otiose <command> --help' for a command's options.\n"
	           "Exit codes: 0 ok, 1 input problems, 2 usage, 3 internal error.\n");
}

/*
 * `otiose help CMD [SUB...]` is `otiose CMD [SUB...] --help`: the help of
 * the command, or of its subcommand (help corpus build).
 */
static int cmd_help(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		usage(stdout);
		return EXIT_OK;
	}
	const cli_command *c = cli_find_command(commands, argv[1]);
	if (!c)
		return cli_usage_error(NULL, "no command '%s'", argv[1]);
	if (c->fn == cmd_help) {
		usage(stdout);
		return EXIT_OK;
	}
	/* A word after a command without subcommands would be taken for a file
	 * and dropped in silence, showing the command's help as if it were the
	 * help asked for. */
	if (argc > 2 && !c->subcommands)
		return cli_usage_error("help", "'%s' has no subcommands ('%s' is not one); try 'otiose "
		                               "help %s'",
		                       argv[1], argv[2], argv[1]);
	char *args[16];
	int n = 0;
	for (int i = 1; i < argc && n < 14; i++)
		args[n++] = argv[i];
	args[n++] = "--help";
	args[n] = NULL;
	return c->fn(n, args);
}

static int cmd_version(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (cli_is_help(argv[i])) {
			printf("usage: otiose version\n"
			       "\n"
			       "Print the version of otiose and of the corpus database format it reads.\n");
			return EXIT_OK;
		}
	if (argc > 1)
		return cli_usage_error("version", "unexpected argument '%s'", argv[1]);
	printf("otiose %s (corpus database format %d)\n", OTZ_VERSION, OTZ_DB_FORMAT);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (cli_is_help(name)) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-V"))
		return cmd_version(0, NULL);
	const cli_command *c = cli_find_command(commands, name);
	if (!c)
		return cli_usage_error(NULL, "unknown command '%s'", name);
	int rc = c->fn(argc - 1, argv + 1);
	if (fflush(stdout) != 0 && rc == EXIT_OK) {
		cli_err("error writing output");
		rc = EXIT_INPUT;
	}
	return rc;
}
