/*
 * cli.h - what the subcommands share, one home each: exit codes, command
 * tables (dispatch.c), errors, the corpus database, format names and sizes
 * (common.c), reading one input (input.c), the folder walker (walk.c),
 * the worker pool (pool.c), the progress display (progress.c) and writing
 * a file whole (atomic.c).  Only cli/ prints; the engine returns codes and
 * messages, and so do the readers and writers here, except where a
 * function says it prints.
 */
#ifndef OTZ_CLI_H
#define OTZ_CLI_H

#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "include/otz.h"

/* Exit codes, the same for every subcommand. */
enum {
	EXIT_OK = 0,
	EXIT_INPUT = 1,    /* an input, rule file or database was unusable */
	EXIT_USAGE = 2,    /* the command line was wrong */
	EXIT_INTERNAL = 3, /* out of memory, or a bug */
	EXIT_INTERRUPTED = 130 /* SIGINT or SIGTERM (128 + 2, as shells report ^C) */
};

typedef int (*cmd_fn)(int argc, char **argv);

/* ---- dispatch.c: command tables ---------------------------------------- */

/* One entry of a command table; a table ends with a NULL name. */
typedef struct cli_command {
	const char *name;
	cmd_fn fn;
	const char *summary;
	int subcommands; /* it takes a subcommand (corpus build): `help NAME SUB` asks SUB's help */
} cli_command;

/* The entry called name, or NULL. */
const cli_command *cli_find_command(const cli_command *table, const char *name);
/* "  name  summary" for every entry, names aligned. */
void cli_list_commands(FILE *f, const cli_command *table);
/* Is arg --help or -h? */
int cli_is_help(const char *arg);
/*
 * Run the subcommand of `parent` (e.g. "corpus") named by argv[1], with
 * argv shifted by one.  No subcommand prints the table on stderr (exit 2);
 * --help prints it on stdout; an unknown name is a usage error.
 */
int cli_dispatch(const char *parent, const cli_command *table, int argc, char **argv);

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
/* The same without the "otiose: " prefix, for lines that name their own
 * place ("file:line: message"). */
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: message, hint to --help, returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Directory holding the running binary (static buffer owned by cli). */
const char *cli_exe_dir(char *buf, size_t n);

/*
 * The folder an installed otiose keeps its data in: share/otiose beside the
 * binary's folder (PREFIX/share/otiose for PREFIX/bin/otiose).  Into buf.
 */
const char *cli_share_dir(char *buf, size_t n);

/*
 * The folder `name` ("rules" or "corpus") that a command reads when none is
 * named: ./NAME, else NAME beside the binary or one level up (a checkout),
 * else the installed cli_share_dir()/NAME.  Into buf, with *installed (if
 * not NULL) set when it is the installed one.  EXIT_OK, or EXIT_INPUT after
 * saying where it looked.
 */
int cli_default_dir(const char *name, char *buf, size_t n, int *installed);

/*
 * Find the corpus database: `explicit` (--db), then $OTIOSE_DB, then
 * otiose.db beside the binary (built from rules/ and corpus/ found beside it
 * or one level up when missing or older than them), then
 * cli_share_dir()/otiose.db.  Writes the path into buf.  Returns 0 or an
 * exit code after printing why.
 */
int cli_find_db(const char *explicit_path, char *buf, size_t n, int quiet);

/* Load the engine from the database found as above. */
int cli_load_engine(const char *explicit_path, otz_engine **out, int quiet);

/* EXIT_OK if path is a folder; else EXIT_INPUT, after saying so (and why, when stat failed). */
int cli_need_dir(const char *path);

/*
 * Room for one more element in the array *pv (`size`-byte elements, n of
 * them used, *cap allocated), doubling it when full.  0, or -1 when out of
 * memory (the array is then as it was).
 */
int cli_reserve(void *pv, size_t *cap, size_t n, size_t size);

/*
 * A format's name into *out: text, json, md (or markdown) or html.  0, or
 * -1 for any other name (CLI_FORMAT_ERROR is the usage message for it).
 */
int cli_parse_format(const char *name, otz_format *out);
#define CLI_FORMAT_ERROR "unknown format '%s' (text, json, md, html)"
/* The file extension of a format's outputs: txt, json, md or html. */
const char *cli_format_ext(otz_format f);

/*
 * A size such as 8388608, 512K, 100M or 2G (binary multiples), from 1 to
 * CLI_SIZE_LIMIT: 0; -1 when s is not such a size, -2 when it is larger
 * than the limit.  The limit is far above any job description and far
 * below SIZE_MAX, so that the readers' `limit + k` sizes never wrap.
 */
#define CLI_SIZE_LIMIT ((size_t)64 << 30)
#define CLI_SIZE_LIMIT_TEXT "64G"
int cli_parse_size(const char *s, size_t *out);
/* --max-bytes ARG of command cmd into *out: EXIT_OK, or EXIT_USAGE after
 * saying why (the one message of every command that takes the option). */
int cli_max_bytes_option(const char *cmd, const char *arg, size_t *out);

/*
 * Warn on stderr about each pattern of a translated input (named `name`)
 * that was skipped on a sentence after running into a PCRE2 limit, naming
 * the rule's file and line; nothing if there was none.
 */
void cli_report_limits(const char *name, const otz_record *r);

/* Should text output be coloured?  mode: "auto", "always", "never". */
int cli_want_color(const char *mode, FILE *f);

/* The widest --width a command takes. */
#define CLI_MAX_WIDTH 10000

/*
 * The width to wrap text output to f at: 0 when f is not a terminal (piped
 * or a file: nothing is wrapped); else the terminal's columns
 * (TIOCGWINSZ), else $COLUMNS, else 80.
 */
size_t cli_term_width(FILE *f);

/*
 * s[0..n) wrapped at `width` columns (0: not at all): each line broken at
 * spaces so that no row is wider than `width`, a word longer than a row cut
 * where the row ends, continuation rows indented by two spaces (when width
 * is 20 or more).  Terminal escapes (colour) take no columns, wide
 * characters two (utf8proc_charwidth), combining marks none; lines that fit
 * come out byte for byte.  Returns a malloc'ed, NUL-terminated copy and its
 * length in *out_len, or NULL when out of memory.
 */
char *cli_wrap(const char *s, size_t n, size_t width, size_t *out_len);
/* Write s[0..n) to f wrapped at `width` columns (cli_wrap; 0: as it is);
 * EXIT_OK or an exit code, the reason printed. */
int cli_write_wrapped(FILE *f, const char *s, size_t n, size_t width);

/* Write a whole buffer, reporting failure (a closed pipe, a full disk). */
int cli_write_all(FILE *f, const char *p, size_t n);

/* ---- input.c: one JD read by path ------------------------------------ */

/* One input: the JD, and the title a JSON input gives. */
typedef struct cli_input {
	char *text;        /* the JD, NUL-terminated (owned) */
	size_t len;
	char *title;       /* a JSON input's "title" (owned), or NULL */
	size_t size;       /* the bytes read */
	int64_t mtime_ns;  /* the file's modification time (0 for standard input) */
	uint64_t hash;     /* cli_hash() of the bytes read */
} cli_input;

/* FNV-1a, 64 bits, of data[0..n): what a batch records of an input's bytes. */
uint64_t cli_hash(const void *data, size_t n);

/* How an input's bytes are read: by its name's extension, or as one format. */
typedef enum cli_input_format {
	CLI_INPUT_AUTO = 0, /* by the extension; standard input and other names are text */
	CLI_INPUT_TXT,
	CLI_INPUT_MD,
	CLI_INPUT_HTML,
	CLI_INPUT_JSON
} cli_input_format;

/* What cli_input_read() is told besides the path. */
typedef struct cli_read_opts {
	size_t limit;            /* larger inputs are refused (0: no limit) */
	cli_input_format format; /* --input-format, or CLI_INPUT_AUTO */
	int lossy;               /* the engine will replace invalid UTF-8 (--lossy) */
} cli_read_opts;
#define CLI_READ_OPTS_INIT {OTZ_DEFAULT_MAX_BYTES, CLI_INPUT_AUTO, 0}

/*
 * --input-format, one option of every command that reads postings: the
 * value used by getopt_long, its entry in an option table, and its help.
 */
#define CLI_OPT_INPUT_FORMAT 0x1100
#define CLI_INPUT_FORMAT_OPTION {"input-format", required_argument, NULL, CLI_OPT_INPUT_FORMAT}
#define CLI_INPUT_FORMAT_HELP                                                              \
	"      --input-format F  read every input as F: txt, md, html or json (default:\n"     \
	"                        by its extension; standard input is txt)\n"

/* A format's name (txt, md or markdown, html, json) into *out: 0, or -1. */
int cli_parse_input_format(const char *name, cli_input_format *out);
/* --input-format ARG of command cmd into *out: EXIT_OK, or EXIT_USAGE after
 * saying why (the one message of every command that takes the option). */
int cli_input_format_option(const char *cmd, const char *arg, cli_input_format *out);
/* "txt", "md", "html", "json", or "auto". */
const char *cli_input_format_name(cli_input_format f);

/* Does a file of this name hold an input (.txt, .md, .html, .json)? */
int cli_is_input_name(const char *name);
/*
 * Read the input at path (NULL or "-": standard input) into *in, as
 * o->format says or else by its extension (input.c): a .json file's "text"
 * (or "description") and "title" (cli_json_jd), a .md file's text as a
 * reader sees it (cli_md_text), any other file whole.  Larger than
 * o->limit is refused.  0, or an OTZ_E* code with err->msg "NAME: why" and
 * *in empty.  The caller owns *in (cli_input_dispose).
 */
int cli_input_read(const char *path, const cli_read_opts *o, cli_input *in, otz_error *err);
/* The same for a file a folder walk found: refused unless it is a regular
 * file when opened (a FIFO or device swapped in since the walk would block
 * or never end), opened without waiting on a FIFO's writer. */
int cli_input_read_regular(const char *path, const cli_read_opts *o, cli_input *in,
                           otz_error *err);
/* The same, saying why on stderr when it fails: EXIT_OK, EXIT_INPUT or EXIT_INTERNAL. */
int cli_input_load(const char *path, const cli_read_opts *o, cli_input *in);
void cli_input_dispose(cli_input *in);
/*
 * The next piece of a line of f: up to and with its '\n', or cap bytes,
 * whichever comes first (*ends_line says which).  0 at the end of the
 * stream or on a read error (ferror tells).  The one line splitter of the
 * stream readers.
 */
size_t cli_read_piece(FILE *f, char *buf, size_t cap, int *ends_line);
/*
 * The JD of a JSON object, one rule for every JSON input: "text" if it is a
 * string; an error if "text" is there but not a string; "description" only
 * when "text" is absent.  null counts as absent.  *title: a string "title"
 * or NULL (a title that is neither is an error).  Borrowed from o.  0, or
 * -1 with msg saying why.
 */
int cli_json_jd(json_t *o, const char **text, size_t *len, const char **title, char *msg,
                size_t msgsz);

/* ---- mdin.c: Markdown as plain text ----------------------------------- */

/*
 * The text a reader of the Markdown md[0..n) sees: headings, paragraphs,
 * code lines and table rows each a line, list items "- " lines, markup
 * gone, entities and raw HTML left for the normalizer.  *out is malloc'ed,
 * NUL-terminated, the caller's.  0, or -1 with why (wn bytes): 4 GiB or
 * more, or out of memory.  Linear in n.
 */
int cli_md_text(const char *md, size_t n, char **out, size_t *outlen, char *why, size_t wn);

/* ---- walk.c: the inputs below a folder -------------------------------- */

/* A growable list of malloc'ed strings; zero-initialize. */
typedef struct cli_strv {
	char **v;
	size_t n, cap;
} cli_strv;
/* Append a formatted string; 0, or -1 when out of memory. */
int cli_strv_addf(cli_strv *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_strv_free(cli_strv *v);

/* One input file found by a walk. */
typedef struct cli_file {
	char *rel;   /* its path below the walked folder (owned by the walk) */
	size_t size;
} cli_file;

/* What a walk found; zero-initialize. */
typedef struct cli_walk {
	cli_file *v;      /* the inputs, sorted by rel */
	size_t n, cap;
	cli_strv errors;  /* "PATH: why (skipped)": what looks like an input and cannot be one */
	cli_strv notes;   /* "PATH: why (not read)": hidden names, the output folder */
} cli_walk;

/*
 * Append to w every regular file below dir with an input name
 * (cli_is_input_name).  Symbolic links are followed when they stay inside
 * dir (any link, with `follow`), each folder walked once; names that begin
 * with '.' and the folder `skip` (NULL for none) are passed over.  What is
 * passed over is recorded in w->errors or w->notes (see walk.c).  0, or -1
 * when out of memory.
 */
int cli_walk_dir(const char *dir, cli_walk *w, const char *skip, int follow);
void cli_walk_free(cli_walk *w);

/* ---- pool.c: items on several threads --------------------------------- */

#define CLI_POOL_MAX 64 /* the most threads a pool runs */

/* Called on a worker thread for item i, with that worker's number and session. */
typedef void (*cli_pool_fn)(void *ctx, size_t worker, otz_session *s, size_t i);
/* Called on the calling thread about every 100 ms with the items done so far. */
typedef void (*cli_pool_tick_fn)(void *ctx, size_t done);

typedef struct cli_pool {
	const otz_engine *e;          /* shared by the workers, read-only */
	size_t threads;               /* 1 to CLI_POOL_MAX */
	size_t n;                     /* items 0..n-1 */
	cli_pool_fn fn;
	cli_pool_tick_fn tick;        /* or NULL */
	void *ctx;
	volatile sig_atomic_t *stop;  /* no item is begun once it is set; or NULL */
} cli_pool;

/*
 * Run p->fn over every item (or until *p->stop) and wait for the workers.
 * *done: the items finished.  0, or -1 with why (wn bytes) when no worker
 * could be started (no session or thread); then nothing ran.
 */
int cli_pool_run(const cli_pool *p, size_t *done, char *why, size_t wn);

/* ---- progress.c: a progress display on stderr -------------------------- */

typedef struct cli_progress {
	size_t n;
	int quiet, tty;
	double t0, last;
} cli_progress;

/* Start the clock for n items; quiet shows nothing. */
void cli_progress_start(cli_progress *p, size_t n, int quiet);
/* Items and bytes done so far; shown at most every 0.2 s (terminal) or 5 s (log). */
void cli_progress_tick(cli_progress *p, size_t done, size_t bytes);
/* The last display: the full bar on a terminal, nothing elsewhere. */
void cli_progress_end(cli_progress *p, size_t done, size_t bytes);

/* ---- atomic.c: files written whole ------------------------------------ */

/* mkdir -p for the parent folders of path; 0, or -1 with errno set. */
int cli_make_parents(const char *path);
/*
 * Write data[0..n) to path whole: a temporary file in path's folder (its
 * parents made first), then rename.  0, or -1 with `why` (wn bytes) saying
 * which file failed and why; no temporary file is left.
 */
int cli_write_atomic(const char *path, const char *data, size_t n, char *why, size_t wn);
/* The same through the temporary file `tmp`, which must not exist yet
 * (created with O_EXCL|O_NOFOLLOW: -1 with errno EEXIST if it does, even as
 * a symbolic link).  cli_write_atomic() names it; tests name it. */
int cli_write_atomic_via(const char *path, const char *tmp, const char *data, size_t n,
                         char *why, size_t wn);
/* Remove the temporary files a killed writer left below dir (depth: 0). */
void cli_remove_temps(const char *dir, int depth);

#endif
