/*
 * dispatch.c - command tables: `otiose <command>` (main.c) and the
 * subcommands of corpus and rules all go through one lookup, one listing
 * and one rule for --help.
 *
 * A table is an array of {name, fn, summary} ending in a NULL name.
 * cli_dispatch() takes a table, the command it belongs to and that
 * command's argv (argv[0] is the command's own name) and runs the
 * subcommand named by argv[1] with argv shifted by one, so that each
 * subcommand parses its own options and answers its own --help.  Nothing,
 * or --help alone, prints the table.
 */
#include <string.h>

#include "cli.h"

const cli_command *cli_find_command(const cli_command *table, const char *name)
{
	for (const cli_command *c = table; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cli_list_commands(FILE *f, const cli_command *table)
{
	int w = 0;
	for (const cli_command *c = table; c->name; c++)
		if ((int)strlen(c->name) > w)
			w = (int)strlen(c->name);
	for (const cli_command *c = table; c->name; c++)
		fprintf(f, "  %-*s  %s\n", w, c->name, c->summary);
}

int cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* "a|b|c" or "a, b, c": the table's names joined by sep, into buf. */
static const char *names(char *buf, size_t n, const cli_command *table, const char *sep)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const cli_command *c = table; c->name && used < n; c++) {
		int w = snprintf(buf + used, n - used, "%s%s", c == table ? "" : sep, c->name);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

/* The help of a command that has subcommands. */
static void table_help(FILE *f, const char *parent, const cli_command *table)
{
	char buf[256];
	fprintf(f, "usage: otiose %s <%s> [options]\n\n", parent, names(buf, sizeof(buf), table, "|"));
	cli_list_commands(f, table);
	fprintf(f, "\nRun 'otiose %s <subcommand> --help' for its options.\n", parent);
}

int cli_dispatch(const char *parent, const cli_command *table, int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		table_help(argc < 2 ? stderr : stdout, parent, table);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	const cli_command *c = cli_find_command(table, argv[1]);
	if (c)
		return c->fn(argc - 1, argv + 1);
	char buf[256];
	return cli_usage_error(parent, "unknown subcommand '%s' (%s)", argv[1],
	                       names(buf, sizeof(buf), table, ", "));
}
