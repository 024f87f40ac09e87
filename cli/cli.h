/*
 * cli.h - what the subcommands share: exit codes, the dispatch signature,
 * and helpers for finding the corpus database, reading inputs and
 * reporting errors.  Only cli/ prints; the engine returns codes and
 * messages.
 */
#ifndef OTZ_CLI_H
#define OTZ_CLI_H

#include <stdio.h>

#include "include/otz.h"

/* Exit codes, the same for every subcommand. */
enum {
	EXIT_OK = 0,
	EXIT_INPUT = 1,    /* an input, rule file or database was unusable */
	EXIT_USAGE = 2,    /* the command line was wrong */
	EXIT_INTERNAL = 3  /* out of memory, or a bug */
};

typedef int (*cmd_fn)(int argc, char **argv);

int cmd_translate(int argc, char **argv);
int cmd_corpus(int argc, char **argv);
int cmd_specimens(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_batch(int argc, char **argv);

/* The exit code for an engine error code. */
int cli_exit_for(int otz_code);

/* "otiose: <message>" on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: message, hint to --help, returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Directory holding the running binary (static buffer owned by cli). */
const char *cli_exe_dir(char *buf, size_t n);

/*
 * Find the corpus database: `explicit` (--db), then $OTIOSE_DB, then
 * otiose.db beside the binary (built from rules/ and corpus/ found beside it
 * or one level up when missing or older than them), then
 * ../share/otiose/otiose.db.  Writes the path into buf.  Returns 0 or an
 * exit code after printing why.
 */
int cli_find_db(const char *explicit_path, char *buf, size_t n, int quiet);

/* Load the engine from the database found as above. */
int cli_load_engine(const char *explicit_path, otz_engine **out, int quiet);

/* Read all of a stream or file (NULL or "-" = stdin); limit in bytes. */
int cli_read_input(const char *path, size_t limit, char **out, size_t *len);

/*
 * A format's name into *out: text, json, md (or markdown) or html.  0, or
 * -1 for any other name (CLI_FORMAT_ERROR is the usage message for it).
 */
int cli_parse_format(const char *name, otz_format *out);
#define CLI_FORMAT_ERROR "unknown format '%s' (text, json, md, html)"
/* The file extension of a format's outputs: txt, json, md or html. */
const char *cli_format_ext(otz_format f);

/* A size such as 8388608, 512K, 100M or 2G (binary multiples); 0 or -1. */
int cli_parse_size(const char *s, size_t *out);

/*
 * Warn on stderr about each pattern of a translated input (named `name`)
 * that was skipped on a sentence after running into a PCRE2 limit, naming
 * the rule's file and line; nothing if there was none.
 */
void cli_report_limits(const char *name, const otz_record *r);

/* Should text output be coloured?  mode: "auto", "always", "never". */
int cli_want_color(const char *mode, FILE *f);

/* Write a whole buffer, reporting failure (a closed pipe, a full disk). */
int cli_write_all(FILE *f, const char *p, size_t n);

/* ---- atomic.c: files written whole ------------------------------------ */

/* mkdir -p for the parent folders of path; 0, or -1 with errno set. */
int cli_make_parents(const char *path);
/*
 * Write data[0..n) to path whole: a temporary file in path's folder (its
 * parents made first), then rename.  0, or -1 with `why` (wn bytes) saying
 * which file failed and why; no temporary file is left.
 */
int cli_write_atomic(const char *path, const char *data, size_t n, char *why, size_t wn);
/* Remove the temporary files a killed writer left below dir (depth: 0). */
void cli_remove_temps(const char *dir, int depth);

#endif
