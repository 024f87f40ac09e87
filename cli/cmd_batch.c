/*
 * cmd_batch.c - `otiose batch DIR -o OUT`: every JD below a folder, on all
 * cores, without babysitting.
 *
 * The inputs are what the folder walker finds (walk.c: .txt, .md, .html
 * and .json files, read by input.c), or the rows of a CSV export spooled
 * into a folder of JSON inputs (spool.c).  Workers (pool.c: pthreads, one
 * session each, the engine shared read-only) translate them; each output
 * goes to OUT/<path>.<format>, written whole (atomic.c), together with a
 * small sidecar OUT/.otiose/<path>.json holding what the summary needs.  A
 * rerun skips an input whose output and sidecar are newer than the input
 * and the corpus database (--force redoes it), so an interrupted batch
 * resumes where it stopped and ends with the same OUT as an uninterrupted
 * one: the summary (summary.c: OUT/summary.json, OUT/summary.txt, and
 * OUT/index.html for --format html) is rebuilt from the sidecars, sorted,
 * and holds no times.
 *
 * On SIGINT or SIGTERM the workers finish the input in hand and stop; no
 * summary is written and the exit code is EXIT_INTERRUPTED (130).
 * Otherwise: 0 when every input was translated or up to date, 1 when some
 * failed (each is named, with its reason), 2 on usage errors.
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"

/* Set by the signal handler, the one thing it may touch; read by the pool. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* One run of the batch. */
typedef struct batch {
	const char *dir, *out, *ext;
	otz_render_options ro;
	otz_translate_options to;
	int force, quiet;
	size_t max_bytes;  /* inputs larger than this are refused */
	time_t db_mtime;
	cli_walk walk;     /* the inputs found, and what could not be walked */
	batch_item *v;
	size_t n;
	atomic_size_t bytes_done;
	cli_progress progress;
} batch;

static void help(FILE *f)
{
	fprintf(f, "usage: otiose batch [options] DIR -o OUT\n"
	           "       otiose batch [options] --csv FILE [--text-col C] [--title-col C] -o OUT\n"
	           "\n"
	           "Translate every .txt, .md, .html and .json file below DIR (a JSON file gives\n"
	           "its \"text\" or \"description\" field) into OUT, mirroring the tree: one record\n"
	           "per input, each written whole (temporary file, then rename).  Runs on all\n"
	           "cores; a rerun skips inputs whose output is newer than the input and the\n"
	           "corpus.  Ends with a summary (also in OUT/summary.json and OUT/summary.txt):\n"
	           "counts, errors, postings ranked by Otiose index, frequent translations and\n"
	           "metrics, the specimens matched most.\n"
	           "\n"
	           "options:\n"
	           "  -o, --output OUT   the output folder (required)\n"
	           "      --csv FILE     read the postings from a CSV export instead of DIR\n"
	           "      --text-col C   the CSV column with the posting (name or number;\n"
	           "                     default: text, else description)\n"
	           "      --title-col C  the CSV column with the title (default: title)\n"
	           "  -f, --format FMT   text (default), json, md or html (html also writes\n"
	           "                     OUT/index.html, a sortable table of every record)\n"
	           "  -j, --jobs N       worker threads (default: the number of cores)\n"
	           "      --force        translate again inputs that are up to date\n"
	           "  -q, --quiet        no progress and no summary table on the terminal\n"
	           "      --lossy        replace invalid UTF-8 instead of failing the input\n"
	           "      --max-bytes N  refuse inputs (and CSV texts) larger than N bytes\n"
	           "                     (default 8M, at most 64G; K, M and G suffixes)\n"
	           "      --db PATH      the corpus database\n"
	           "      --show-rules   name the rule behind each translation in [08] and the\n"
	           "                     rules in [11]'s evidence (JSON always does); with\n"
	           "                     --force, for records already written\n"
	           "  -h, --help         show this help\n"
	           "\n"
	           "exit codes: 0 all translated, 1 some inputs failed, 2 usage, 3 internal,\n"
	           "130 interrupted (rerun to resume)\n");
}

static void paths_for(const batch *b, const batch_item *it, char *in, size_t inn, char *out,
                      size_t on, char *side, size_t sn)
{
	snprintf(in, inn, "%s/%s", b->dir, it->rel);
	snprintf(out, on, "%s/%s.%s", b->out, it->rel, b->ext);
	batch_sidecar_path(b->out, it->rel, side, sn);
}

static int up_to_date(const batch *b, const batch_item *it)
{
	char in[PATH_MAX], out[PATH_MAX + 16], side[PATH_MAX + 32];
	struct stat si, so, ss;
	if (b->force)
		return 0;
	paths_for(b, it, in, sizeof(in), out, sizeof(out), side, sizeof(side));
	if (stat(in, &si) || stat(out, &so) || stat(side, &ss))
		return 0;
	return so.st_mtime >= si.st_mtime && ss.st_mtime >= si.st_mtime &&
	       so.st_mtime >= b->db_mtime && ss.st_mtime >= b->db_mtime;
}

/* Translate one input and write its output and sidecar; 0, or -1 with why. */
static int one(batch *b, otz_session *s, const batch_item *it, char *why, size_t wn)
{
	char in[PATH_MAX], out[PATH_MAX + 16], side[PATH_MAX + 32];
	cli_input ji = {0};
	otz_record *r = NULL;
	otz_buf o = OTZ_BUF_INIT;
	char *sc = NULL;
	int rc = -1;
	paths_for(b, it, in, sizeof(in), out, sizeof(out), side, sizeof(side));
	otz_error err = {0, ""};
	if (cli_input_read(in, b->max_bytes, &ji, &err)) {
		/* the message names the path; the summary names the input */
		const char *m = strncmp(err.msg, in, strlen(in)) == 0 ? err.msg + strlen(in) + 2 : err.msg;
		snprintf(why, wn, "%s", m);
		goto done;
	}
	otz_translate_options to = b->to;
	to.title = ji.title;
	if (otz_translate(&r, s, ji.text, ji.len, &to, &err) || otz_render(&o, r, &b->ro, &err)) {
		snprintf(why, wn, "%s", err.msg);
		goto done;
	}
	cli_report_limits(in, r);
	if (!(sc = batch_sidecar(r, it->rel, ji.size))) {
		snprintf(why, wn, "out of memory");
		goto done;
	}
	/* Output first, sidecar second: a sidecar vouches for a whole output. */
	if (cli_write_atomic(out, o.ptr, o.len, why, wn) ||
	    cli_write_atomic(side, sc, strlen(sc), why, wn))
		goto done;
	rc = 0;
done:
	free(sc);
	otz_buf_dispose(&o);
	otz_record_free(r);
	cli_input_dispose(&ji);
	return rc;
}

/* The pool's work: one item, skipped when up to date. */
static void work(void *ctx, size_t worker, otz_session *s, size_t i)
{
	batch *b = ctx;
	batch_item *it = &b->v[i];
	char why[1024];
	(void)worker;
	if (up_to_date(b, it)) {
		it->status = BATCH_UP_TO_DATE;
	} else if (one(b, s, it, why, sizeof(why)) == 0) {
		it->status = BATCH_TRANSLATED;
	} else {
		it->status = BATCH_FAILED;
		it->error = strdup(why);
		if (!it->error)
			cli_err("%s: %s", it->rel, why); /* the summary will only say "failed" */
	}
	atomic_fetch_add(&b->bytes_done, it->size);
}

static void tick(void *ctx, size_t done)
{
	batch *b = ctx;
	cli_progress_tick(&b->progress, done, atomic_load(&b->bytes_done));
}

/* Walk b->dir into b->v; EXIT_OK or EXIT_INTERNAL. */
static int collect(batch *b)
{
	if (cli_walk_dir(b->dir, &b->walk, NULL, 0) ||
	    !(b->v = calloc(b->walk.n ? b->walk.n : 1, sizeof(*b->v)))) {
		cli_err("out of memory walking %s", b->dir);
		return EXIT_INTERNAL;
	}
	b->n = b->walk.n;
	for (size_t i = 0; i < b->n; i++)
		b->v[i] = (batch_item){b->walk.v[i].rel, b->walk.v[i].size, BATCH_PENDING, NULL};
	return EXIT_OK;
}

/* Translate every item on `jobs` threads, then summarize; the batch's exit code. */
static int run(batch *b, const otz_engine *e, long jobs)
{
	char why[256];
	size_t done = 0;
	cli_pool pool = {e, (size_t)jobs, b->n, work, tick, b, &interrupted};
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	cli_progress_start(&b->progress, b->n, b->quiet);
	if (cli_pool_run(&pool, &done, why, sizeof(why))) {
		cli_err("%s", why);
		return EXIT_INTERNAL;
	}
	cli_progress_end(&b->progress, done, atomic_load(&b->bytes_done));
	if (interrupted) {
		cli_err("interrupted after %zu of %zu inputs; run the same command again to resume",
		        done, b->n);
		return EXIT_INTERRUPTED;
	}
	return batch_summary(b->out, b->ext, b->v, b->n, &b->walk.errors, b->quiet);
}

int cmd_batch(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'f'},
		{"jobs", required_argument, NULL, 'j'},   {"force", no_argument, NULL, 'F'},
		{"quiet", no_argument, NULL, 'q'},        {"lossy", no_argument, NULL, 'L'},
		{"db", required_argument, NULL, 'D'},     {"help", no_argument, NULL, 'h'},
		{"csv", required_argument, NULL, 'C'},    {"text-col", required_argument, NULL, 'T'},
		{"title-col", required_argument, NULL, 'I'}, {"max-bytes", required_argument, NULL, 'M'},
		{"show-rules", no_argument, NULL, 'R'},   {NULL, 0, NULL, 0}};
	const char *csv = NULL, *text_col = NULL, *title_col = NULL;
	char spool_dir[PATH_MAX];
	batch b;
	memset(&b, 0, sizeof(b));
	b.max_bytes = OTZ_DEFAULT_MAX_BYTES;
	otz_translate_options to = OTZ_TRANSLATE_OPTIONS_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	b.to = to;
	b.ro = ro;
	b.ext = "txt";
	const char *db = NULL;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:f:j:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': b.out = optarg; break;
		case 'f':
			if (cli_parse_format(optarg, &b.ro.format))
				return cli_usage_error("batch", CLI_FORMAT_ERROR, optarg);
			b.ext = cli_format_ext(b.ro.format);
			break;
		case 'j': {
			char *end;
			jobs = strtol(optarg, &end, 10);
			if (*end || jobs < 1 || jobs > CLI_POOL_MAX)
				return cli_usage_error("batch", "--jobs takes a number from 1 to %d", CLI_POOL_MAX);
			break;
		}
		case 'F': b.force = 1; break;
		case 'q': b.quiet = 1; break;
		case 'L': b.to.lossy = 1; break;
		case 'M':
			if (cli_parse_size(optarg, &b.max_bytes))
				return cli_usage_error("batch", "--max-bytes takes a positive size "
				                                "(bytes, or with K, M or G)");
			break;
		case 'D': db = optarg; break;
		case 'C': csv = optarg; break;
		case 'T': text_col = optarg; break;
		case 'I': title_col = optarg; break;
		case 'R': b.ro.show_rules = 1; break;
		case 'h': help(stdout); return EXIT_OK;
		default: return cli_usage_error("batch", "bad option");
		}
	}
	if ((text_col || title_col) && !csv)
		return cli_usage_error("batch", "--text-col and --title-col go with --csv");
	if (csv ? argc - optind != 0 : argc - optind != 1)
		return cli_usage_error("batch", csv ? "give --csv FILE or a DIR, not both"
		                                    : "expected one DIR");
	if (!b.out)
		return cli_usage_error("batch", "-o OUT is required");
	if (jobs < 1)
		jobs = 1;
	if (jobs > CLI_POOL_MAX)
		jobs = CLI_POOL_MAX;
	struct stat st;
	if (mkdir(b.out, 0755) != 0 && errno != EEXIST) {
		cli_err("%s: %s", b.out, strerror(errno));
		return EXIT_INPUT;
	}
	int rc = EXIT_OK;
	otz_engine *e = NULL;
	if (csv) {
		rc = batch_spool_csv(csv, b.out, text_col, title_col, b.max_bytes, &b.walk.errors,
		                     spool_dir, sizeof(spool_dir));
		if (rc)
			goto done;
		b.dir = spool_dir;
	} else {
		b.dir = argv[optind];
	}
	if ((rc = cli_need_dir(b.dir)))
		goto done;
	char dbpath[PATH_MAX];
	if ((rc = cli_find_db(db, dbpath, sizeof(dbpath), b.quiet)) ||
	    (rc = cli_load_engine(dbpath, &e, b.quiet)))
		goto done;
	if (stat(dbpath, &st) == 0)
		b.db_mtime = st.st_mtime;
	if ((rc = collect(&b)))
		goto done;
	cli_remove_temps(b.out, 0); /* a killed run's temporary files are not outputs */
	rc = run(&b, e, jobs);
done:
	for (size_t i = 0; i < b.n; i++)
		free(b.v[i].error);
	free(b.v);
	cli_walk_free(&b.walk);
	otz_engine_free(e);
	return rc;
}
