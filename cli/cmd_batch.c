/*
 * cmd_batch.c - `otiose batch DIR -o OUT`: every JD below a folder, on all
 * cores, without babysitting.
 *
 * The inputs are what the folder walker finds (walk.c: .txt, .md, .html
 * and .json files, read by input.c; links that leave DIR are not followed
 * unless --follow-links), or the rows of a CSV export spooled into a folder
 * of JSON inputs (spool.c).  Workers (pool.c: pthreads, one session each,
 * the engine shared read-only) translate them; each output goes to
 * OUT/<path>.<format> (a name too long for the file system is shortened
 * and made unique with a hash), written whole (atomic.c), together with a
 * small sidecar OUT/.otiose/<path>.json holding what the summary needs and
 * what made the output: the input's size, modification time and content
 * hash, the database's identity and the options.  A rerun skips an input
 * whose sidecar says all of these are unchanged (--force redoes it), so an
 * interrupted batch resumes where it stopped and ends with the same OUT as
 * an uninterrupted one: the summary (summary.c: OUT/summary.json,
 * OUT/summary.txt, and OUT/index.html for --format html) is rebuilt from
 * the sidecars, sorted, and holds no times.
 *
 * Before any work: OUT must be a folder (made if missing) that can be
 * written, must not be DIR (OUT inside DIR is passed over by the walk), and
 * is locked (OUT/.otiose-lock, with the PID) so that a second batch into it
 * is refused rather than deleting the first one's temporary files.  Outputs
 * that would collide (two inputs, one output; a file where another
 * output's folder must be) fail before anything is translated.
 *
 * On SIGINT or SIGTERM the workers finish the input in hand and stop; no
 * summary is written and the exit code is EXIT_INTERRUPTED (130).  A
 * --force run marks OUT while it runs (OUT/.otiose-force), so that its
 * rerun with --force resumes it instead of redoing everything again.  After a
 * handful of writes fail for want of space, the batch stops the same way,
 * says so once, and writes the summary of what was done (exit 1).
 * Otherwise: 0 when every input was translated or up to date, 1 when some
 * failed (each is named, with its reason) or there was none to translate,
 * 2 on usage errors.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "csvin.h"

/* Set by the signal handler (1), or by a worker when the disk is full (2);
 * read by the pool. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* How many writes may fail for want of space before the batch stops. */
#define NOSPACE_LIMIT 5
/* The longest name a file system takes, and the longest suffix a batch
 * adds to an input's name (".json" for the sidecar, ".html" for a page). */
#define NAME_LIMIT 255
#define SUFFIX_ROOM 5

/* One run of the batch. */
typedef struct batch {
	const char *dir, *out, *ext;
	const char *csv_name;  /* --csv: the CSV file, for naming its rows */
	otz_render_options ro;
	otz_translate_options to;
	int force, quiet, follow;
	int resumed;           /* --force, resuming a --force run that was interrupted */
	struct timespec force_since; /* when that run began: what it redid is newer */
	cli_read_opts read;    /* how inputs are read: the size limit, --input-format, --lossy */
	char db_id[128];       /* what the database is (batch_made.db) */
	char options[128];     /* the options that shape an output (batch_made.options) */
	cli_walk walk;         /* the inputs found, and what could not be walked */
	batch_item *v;
	size_t n;
	atomic_size_t bytes_done;
	atomic_int nospace;    /* writes failed for want of space */
	cli_progress progress;
} batch;

static void help(FILE *f)
{
	fprintf(f, "usage: otiose batch [options] DIR -o OUT\n"
	           "       otiose batch [options] --csv FILE [--text-col C] [--title-col C]\n"
	           "                    [--delimiter D] -o OUT\n"
	           "\n"
	           "Translate every .txt, .md, .html and .json file below DIR (Markdown is read\n"
	           "as plain text; a JSON file gives its \"text\" or \"description\" field) into\n"
	           "OUT, mirroring the tree: one record per input, each written whole\n"
	           "(temporary file, then rename).  Runs on all cores; a rerun skips inputs\n"
	           "translated before from the same bytes, with the same database and options.\n"
	           "Ends with a summary (also in OUT/summary.json and OUT/summary.txt): counts,\n"
	           "errors, postings ranked by Otiose index, frequent translations and metrics,\n"
	           "the specimens matched most.  Hidden files and folders are not read (the\n"
	           "summary lists them); symbolic links are followed only while they stay\n"
	           "inside DIR.\n"
	           "\n"
	           "options:\n"
	           "  -o, --output OUT   the output folder (required; not DIR itself, and one\n"
	           "                     batch at a time)\n"
	           "      --csv FILE     read the postings from a CSV export instead of DIR;\n"
	           "                     records go to OUT/<FILE's name>/<ID>.<format>, ID\n"
	           "                     from the row's id column, else row-NNNNNN\n"
	           "      --text-col C   the CSV column with the posting (name or number;\n"
	           "                     default: text, else description)\n"
	           "      --title-col C  the CSV column with the title (default: title)\n"
	           "      --delimiter D  the CSV's field separator: ',' (default), ';', 'tab'\n"
	           "                     (or '\\t'), or another mark such as '|'\n"
	           "  -f, --format FMT   text (default), json, md or html (html also writes\n"
	           "                     OUT/index.html, a sortable table of every record)\n"
	           "  -j, --jobs N       worker threads (default: the number of cores)\n"
	           "      --force        translate again inputs that are up to date; a --force\n"
	           "                     run that was interrupted is resumed by the next one\n"
	           "      --follow-links follow symbolic links that lead outside DIR too\n"
	           "  -q, --quiet        no progress and no summary table on the terminal\n"
	           "      --lossy        replace invalid UTF-8 instead of failing the input\n"
	           CLI_INPUT_FORMAT_HELP
	           "      --max-bytes N  refuse inputs (and CSV texts) larger than N bytes\n"
	           "                     (default 8M, at most " CLI_SIZE_LIMIT_TEXT
	           "; K, M and G suffixes)\n"
	           "      --db PATH      the corpus database\n"
	           "      --show-rules   name the rule behind each translation in [08] and the\n"
	           "                     rules in [11]'s evidence (JSON always does)\n"
	           "  -h, --help         show this help\n"
	           "\n"
	           "exit codes: 0 all translated, 1 some inputs failed, there were none (an\n"
	           "empty folder) or the disk filled, 2 usage, 3 internal, 130 interrupted (rerun\n"
	           "to resume)\n");
}

/* ---- names -------------------------------------------------------------- */

/* The output path of an input (below OUT, without the extension): its path
 * below DIR, with the last name shortened when the longest suffix a batch
 * adds would not fit the file system (its first bytes, cut on a character,
 * '~' and a hash of the whole name, so that two long names stay apart).  A
 * CSV row's output goes below the CSV's name, without ".json". */
static char *output_path(const batch *b, const char *rel)
{
	char buf[PATH_MAX + 64];
	if (b->csv_name) {
		const char *base = strrchr(b->csv_name, '/');
		base = base ? base + 1 : b->csv_name;
		size_t bl = strlen(base), rl = strlen(rel);
		if (bl > 4 && strcasecmp(base + bl - 4, ".csv") == 0)
			bl -= 4;
		if (rl > 5 && strcmp(rel + rl - 5, ".json") == 0)
			rl -= 5;
		snprintf(buf, sizeof(buf), "%.*s/%.*s", (int)bl, base, (int)rl, rel);
	} else {
		snprintf(buf, sizeof(buf), "%s", rel);
	}
	char *last = strrchr(buf, '/');
	last = last ? last + 1 : buf;
	size_t ll = strlen(last);
	if (ll + SUFFIX_ROOM > NAME_LIMIT) {
		size_t keep = NAME_LIMIT - SUFFIX_ROOM - 17;
		while (keep > 0 && ((unsigned char)last[keep] & 0xc0) == 0x80)
			keep--; /* not in the middle of a character */
		snprintf(last + keep, sizeof(buf) - (size_t)(last - buf) - keep, "~%016llx",
		         (unsigned long long)cli_hash(last, ll));
	}
	return strdup(buf);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fail, before any work, the items whose output would collide with another
 * item's: the same output, or an output where another's folder must be
 * (input x.txt and input folder x.txt.txt/).  EXIT_OK or EXIT_INTERNAL. */
static int find_collisions(batch *b)
{
	size_t nf = 0, nd = 0, capd = 0;
	char **files = calloc(b->n ? b->n : 1, sizeof(*files)), **dirs = NULL;
	int rc = files ? EXIT_OK : EXIT_INTERNAL;
	for (size_t i = 0; i < b->n && !rc; i++) {
		if (asprintf(&files[nf], "%s.%s", b->v[i].out_rel, b->ext) < 0) {
			rc = EXIT_INTERNAL;
			break;
		}
		nf++;
		for (const char *p = strchr(b->v[i].out_rel, '/'); p && !rc; p = strchr(p + 1, '/')) {
			if (cli_reserve(&dirs, &capd, nd, sizeof(*dirs)) ||
			    !(dirs[nd] = strndup(b->v[i].out_rel, (size_t)(p - b->v[i].out_rel))))
				rc = EXIT_INTERNAL;
			else
				nd++;
		}
	}
	char **sorted = rc ? NULL : malloc((nf ? nf : 1) * sizeof(*sorted));
	if (!rc && !sorted)
		rc = EXIT_INTERNAL;
	if (!rc) {
		/* (qsort and memcpy want real pointers even for no items) */
		if (nf) {
			memcpy(sorted, files, nf * sizeof(*sorted));
			qsort(sorted, nf, sizeof(*sorted), cmp_str);
		}
		if (nd)
			qsort(dirs, nd, sizeof(*dirs), cmp_str);
		for (size_t i = 0; i < nf && !rc; i++) {
			const char *f = files[i];
			char why[PATH_MAX + 128];
			char **hit = nd ? bsearch(&f, dirs, nd, sizeof(*dirs), cmp_str) : NULL;
			/* the first of a run of equal outputs keeps it */
			char **at = bsearch(&f, sorted, nf, sizeof(*sorted), cmp_str);
			while (at && at > sorted && strcmp(at[-1], f) == 0)
				at--;
			int dup = at && *at != f;
			if (!hit && !dup)
				continue;
			snprintf(why, sizeof(why), "its output OUT/%s would %s; rename it", f,
			         hit ? "be a file where another input's output folder must be"
			             : "be another input's output too");
			b->v[i].status = BATCH_FAILED;
			if (!(b->v[i].error = strdup(why)))
				rc = EXIT_INTERNAL;
		}
	}
	for (size_t i = 0; i < nf; i++)
		free(files[i]);
	for (size_t i = 0; i < nd; i++)
		free(dirs[i]);
	free(files);
	free(dirs);
	free(sorted);
	if (rc)
		cli_err("out of memory");
	return rc;
}

/* ---- what made an output ------------------------------------------------ */

static void paths_for(const batch *b, const batch_item *it, char *in, size_t inn, char *out,
                      size_t on, char *side, size_t sn)
{
	snprintf(in, inn, "%s/%s", b->dir, it->rel);
	snprintf(out, on, "%s/%s.%s", b->out, it->out_rel, b->ext);
	batch_sidecar_path(b->out, it->out_rel, side, sn);
}

/* The database's identity: the file it is (device, inode), its size and
 * its modification time to the nanosecond. */
static void db_identity(const char *path, char *buf, size_t n)
{
	struct stat st;
	if (stat(path, &st) != 0)
		snprintf(buf, n, "%.64s", path);
	else
		snprintf(buf, n, "%llx:%llx:%lld:%lld.%09ld", (unsigned long long)st.st_dev,
		         (unsigned long long)st.st_ino, (long long)st.st_size,
		         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

/* Is the input's output already made from these very bytes, with this
 * database and these options?  With --force, only when the --force run
 * this one resumes made it (its sidecar is no older than that run). */
static int up_to_date(const batch *b, const batch_item *it)
{
	char in[PATH_MAX], out[PATH_MAX + 16], side[PATH_MAX + 32];
	struct stat so, ss;
	if (b->force && !b->resumed)
		return 0;
	paths_for(b, it, in, sizeof(in), out, sizeof(out), side, sizeof(side));
	if (stat(out, &so) != 0)
		return 0;
	if (b->force && (stat(side, &ss) != 0 || ss.st_mtim.tv_sec < b->force_since.tv_sec ||
	                 (ss.st_mtim.tv_sec == b->force_since.tv_sec &&
	                  ss.st_mtim.tv_nsec < b->force_since.tv_nsec)))
		return 0;
	cli_input ji;
	otz_error err = {0, ""};
	if (cli_input_read_regular(in, &b->read, &ji, &err))
		return 0;
	batch_made now = {ji.size, ji.mtime_ns, ji.hash, b->db_id, b->options};
	cli_input_dispose(&ji);
	return batch_sidecar_made_by(side, &now);
}

/* ---- the work ----------------------------------------------------------- */

/* Translate one input and write its output and sidecar; 0, or -1 with why
 * (and *nospace set when a write failed for want of space). */
static int one(batch *b, otz_session *s, const batch_item *it, char *why, size_t wn,
               int *nospace)
{
	char in[PATH_MAX], out[PATH_MAX + 16], side[PATH_MAX + 32];
	cli_input ji = {0};
	otz_record *r = NULL;
	otz_buf o = OTZ_BUF_INIT;
	char *sc = NULL;
	int rc = -1;
	paths_for(b, it, in, sizeof(in), out, sizeof(out), side, sizeof(side));
	otz_error err = {0, ""};
	if (cli_input_read_regular(in, &b->read, &ji, &err)) {
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
	cli_report_limits(it->name ? it->name : in, r);
	batch_made made = {ji.size, ji.mtime_ns, ji.hash, b->db_id, b->options};
	if (!(sc = batch_sidecar(r, it->name ? it->name : it->rel, &made))) {
		snprintf(why, wn, "out of memory");
		goto done;
	}
	/* Output first, sidecar second: a sidecar vouches for a whole output. */
	if (cli_write_atomic(out, o.ptr, o.len, why, wn) ||
	    cli_write_atomic(side, sc, strlen(sc), why, wn)) {
		*nospace = errno == ENOSPC || errno == EDQUOT;
		goto done;
	}
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
	int nospace = 0;
	(void)worker;
	if (it->status == BATCH_FAILED) /* its output would collide */
		return;
	if (up_to_date(b, it)) {
		it->status = BATCH_UP_TO_DATE;
	} else if (one(b, s, it, why, sizeof(why), &nospace) == 0) {
		it->status = BATCH_TRANSLATED;
	} else {
		it->status = BATCH_FAILED;
		it->error = strdup(why);
		if (!it->error)
			cli_err("%s: %s", it->rel, why); /* the summary will only say "failed" */
		if (nospace && atomic_fetch_add(&b->nospace, 1) + 1 >= NOSPACE_LIMIT)
			interrupted = 2; /* no worker takes another item */
	}
	atomic_fetch_add(&b->bytes_done, it->size);
}

static void tick(void *ctx, size_t done)
{
	batch *b = ctx;
	cli_progress_tick(&b->progress, done, atomic_load(&b->bytes_done));
}

/* Walk b->dir into b->v; EXIT_OK or EXIT_INTERNAL. */
static int collect(batch *b, const char *skip)
{
	if (cli_walk_dir(b->dir, &b->walk, skip, b->follow) ||
	    !(b->v = calloc(b->walk.n ? b->walk.n : 1, sizeof(*b->v)))) {
		cli_err("out of memory walking %s", b->dir);
		return EXIT_INTERNAL;
	}
	b->n = b->walk.n;
	for (size_t i = 0; i < b->n; i++) {
		batch_item *it = &b->v[i];
		*it = (batch_item){b->walk.v[i].rel, output_path(b, b->walk.v[i].rel), NULL,
		                   b->walk.v[i].size, BATCH_PENDING, NULL};
		if (!it->out_rel || (b->csv_name && !(it->name = batch_csv_row_name(b->csv_name, b->dir,
		                                                                     it->rel)))) {
			cli_err("out of memory");
			return EXIT_INTERNAL;
		}
	}
	return find_collisions(b);
}

/* ---- --force, resumed --------------------------------------------------- */

/*
 * A --force run leaves OUT/.otiose-force from its start to its end.  Found
 * by a --force run, it says that one was interrupted: this run resumes it,
 * redoing only the inputs whose sidecar is older than the marker (the
 * others were redone since it began).  Otherwise a --force run writes it,
 * and the marker's own time is the run's beginning, on the clock the
 * sidecars' times are taken by.  A run without --force leaves it alone and
 * says that the --force run is unfinished.  EXIT_OK, or EXIT_INPUT after
 * saying why the marker could not be written.
 */
static int force_begin(batch *b, char *marker, size_t mn)
{
	struct stat st;
	char why[PATH_MAX + 128], text[128];
	snprintf(marker, mn, "%s/.otiose-force", b->out);
	snprintf(why, sizeof(why), "%s: %s", marker, strerror(ENOENT)); /* if it is gone once written */
	int found = lstat(marker, &st) == 0 && S_ISREG(st.st_mode);
	if (!b->force) {
		if (found && !b->quiet)
			cli_err("%s: a --force batch into it was interrupted; run it again with --force to "
			        "finish it (what it redid is not redone)",
			        b->out);
		return EXIT_OK;
	}
	if (found) {
		b->resumed = 1;
		b->force_since = st.st_mtim;
		if (!b->quiet)
			cli_err("%s: resuming the --force batch that was interrupted: what it redid is not "
			        "redone (delete %s to redo everything)",
			        b->out, marker);
		return EXIT_OK;
	}
	int n = snprintf(text, sizeof(text),
	                 "a --force batch (PID %ld) began here; a --force rerun resumes it\n",
	                 (long)getpid());
	if (cli_write_atomic(marker, text, (size_t)n, why, sizeof(why)) || lstat(marker, &st) != 0) {
		cli_err("%s", why);
		return EXIT_INPUT;
	}
	b->force_since = st.st_mtim;
	return EXIT_OK;
}

/* Translate every item on `jobs` threads, then summarize; the batch's exit code. */
static int run(batch *b, const otz_engine *e, long jobs)
{
	char why[256], marker[PATH_MAX + 32];
	size_t done = 0;
	int frc = force_begin(b, marker, sizeof(marker));
	if (frc)
		return frc;
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
	if (interrupted == 1) {
		cli_err("interrupted after %zu of %zu inputs; run the same command again to resume",
		        done, b->n);
		return EXIT_INTERRUPTED;
	}
	if (interrupted == 2) {
		/* Said once; the inputs not reached are named in the summary. */
		cli_err("%s: no space left on the device; stopped after %d writes failed, %zu of %zu "
		        "inputs done (free some space and run the same command again)",
		        b->out, NOSPACE_LIMIT, done, b->n);
		for (size_t i = 0; i < b->n; i++)
			if (b->v[i].status == BATCH_PENDING && !b->v[i].error)
				b->v[i].error = strdup("not translated: the disk is full");
	}
	int rc = batch_summary(b->out, b->ext, b->v, b->n, &b->walk.errors, &b->walk.notes,
	                       b->quiet, b->resumed);
	/* Every input was tried: the --force run is over (one stopped by a full
	 * disk is not, and its rerun resumes it). */
	if (b->force && interrupted != 2)
		unlink(marker);
	if (b->n == 0) {
		/* An empty folder is most often the wrong folder: not a success. */
		size_t passed = b->walk.errors.n + b->walk.notes.n;
		if (b->csv_name)
			cli_err("%s: nothing to translate: no row after the header could be read%s",
			        b->csv_name, passed ? " (the summary says why)" : "");
		else
			cli_err("%s: nothing to translate: no .txt, .md, .html or .json file below it%s",
			        b->dir, passed ? " (the summary lists what was passed over)" : "");
		rc = rc > EXIT_INPUT ? rc : EXIT_INPUT;
	}
	return interrupted == 2 && rc == EXIT_OK ? EXIT_INPUT : rc;
}

/* ---- OUT ---------------------------------------------------------------- */

/*
 * Make sure OUT can take the batch, before anything is read: a folder (made
 * if missing), not DIR itself, writable, and not in use by another batch,
 * which the lock held in *lock_fd keeps out until this process ends.
 * EXIT_OK, or the exit code after one message naming OUT.
 */
static int prepare_out(const char *out, const char *dir, int *lock_fd)
{
	struct stat st;
	if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
		cli_err("%s: not a folder; -o OUT must name a folder for the records", out);
		return EXIT_INPUT;
	}
	char probe[PATH_MAX + 8];
	snprintf(probe, sizeof(probe), "%s/x", out);
	if (cli_make_parents(probe) != 0) {
		cli_err("%s: cannot make the folder: %s", out, strerror(errno));
		return EXIT_INPUT;
	}
	char ro[PATH_MAX], rd[PATH_MAX];
	if (dir && realpath(out, ro) && realpath(dir, rd) && strcmp(ro, rd) == 0)
		return cli_usage_error("batch", "-o %s is DIR itself: the records would be written "
		                                "among the inputs; choose another folder",
		                       out);
	char lock[PATH_MAX + 16];
	snprintf(lock, sizeof(lock), "%s/.otiose-lock", out);
	int fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		cli_err("%s: cannot write there: %s", out, strerror(errno));
		return EXIT_INPUT;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		char pid[32] = "";
		ssize_t k = read(fd, pid, sizeof(pid) - 1);
		pid[k > 0 ? k : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		cli_err("%s: another batch%s%s%s is writing there; wait for it, or choose another -o",
		        out, *pid ? " (PID " : "", pid, *pid ? ")" : "");
		close(fd);
		return EXIT_INPUT;
	}
	char pid[32];
	int pl = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)pl, 0) != pl) {
		cli_err("%s: cannot write there: %s", out, strerror(errno));
		close(fd);
		return EXIT_INPUT;
	}
	*lock_fd = fd;
	return EXIT_OK;
}

int cmd_batch(int argc, char **argv)
{
	enum { OPT_FOLLOW = 256, OPT_DELIM };
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'f'},
		{"jobs", required_argument, NULL, 'j'},   {"force", no_argument, NULL, 'F'},
		{"quiet", no_argument, NULL, 'q'},        {"lossy", no_argument, NULL, 'L'},
		{"db", required_argument, NULL, 'D'},     {"help", no_argument, NULL, 'h'},
		{"csv", required_argument, NULL, 'C'},    {"text-col", required_argument, NULL, 'T'},
		{"title-col", required_argument, NULL, 'I'}, {"max-bytes", required_argument, NULL, 'M'},
		{"show-rules", no_argument, NULL, 'R'},   {"follow-links", no_argument, NULL, OPT_FOLLOW},
		{"delimiter", required_argument, NULL, OPT_DELIM},
		CLI_INPUT_FORMAT_OPTION,                  {NULL, 0, NULL, 0}};
	const char *csv = NULL, *text_col = NULL, *title_col = NULL;
	char delimiter = ',';
	int delim_set = 0;
	char spool_dir[PATH_MAX];
	batch b;
	memset(&b, 0, sizeof(b));
	cli_read_opts read = CLI_READ_OPTS_INIT;
	b.read = read;
	otz_translate_options to = OTZ_TRANSLATE_OPTIONS_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	b.to = to;
	b.ro = ro;
	b.ext = "txt";
	const char *db = NULL;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int c, lock_fd = -1;
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
			if (cli_max_bytes_option("batch", optarg, &b.read.limit))
				return EXIT_USAGE;
			break;
		case 'D': db = optarg; break;
		case 'C': csv = optarg; break;
		case 'T': text_col = optarg; break;
		case 'I': title_col = optarg; break;
		case 'R': b.ro.show_rules = 1; break;
		case OPT_FOLLOW: b.follow = 1; break;
		case OPT_DELIM:
			if (csvin_parse_delimiter(optarg, &delimiter))
				return cli_usage_error("batch", CSVIN_DELIMITER_ERROR, optarg);
			delim_set = 1;
			break;
		case CLI_OPT_INPUT_FORMAT:
			if (cli_input_format_option("batch", optarg, &b.read.format))
				return EXIT_USAGE;
			break;
		case 'h': help(stdout); return EXIT_OK;
		default: return cli_usage_error("batch", "bad option");
		}
	}
	if ((text_col || title_col || delim_set) && !csv)
		return cli_usage_error("batch", "--text-col, --title-col and --delimiter go with --csv");
	if (csv && b.read.format != CLI_INPUT_AUTO)
		return cli_usage_error("batch", "--input-format says how to read the files below DIR; "
		                                "--csv reads its own format");
	if (csv ? argc - optind != 0 : argc - optind != 1)
		return cli_usage_error("batch", csv ? "give --csv FILE or a DIR, not both"
		                                    : "expected one DIR");
	if (!b.out)
		return cli_usage_error("batch", "-o OUT is required");
	if (jobs < 1)
		jobs = 1;
	if (jobs > CLI_POOL_MAX)
		jobs = CLI_POOL_MAX;
	int rc = prepare_out(b.out, csv ? NULL : argv[optind], &lock_fd);
	if (rc)
		return rc;
	b.read.lossy = b.to.lossy;
	snprintf(b.options, sizeof(b.options),
	         "format=%s lossy=%d show-rules=%d max-bytes=%zu input-format=%s", b.ext, b.to.lossy,
	         b.ro.show_rules, b.read.limit, cli_input_format_name(b.read.format));
	otz_engine *e = NULL;
	/* A killed run's temporary files are not outputs; the lock says no
	 * other batch is writing any now. */
	cli_remove_temps(b.out, 0);
	if (csv) {
		rc = batch_spool_csv(csv, b.out, text_col, title_col, delimiter, b.read.limit, b.to.lossy,
		                     &b.walk.errors, spool_dir, sizeof(spool_dir));
		if (rc)
			goto done;
		b.dir = spool_dir;
		b.csv_name = csv;
	} else {
		b.dir = argv[optind];
	}
	if ((rc = cli_need_dir(b.dir)))
		goto done;
	char dbpath[PATH_MAX];
	if ((rc = cli_find_db(db, dbpath, sizeof(dbpath), b.quiet)) ||
	    (rc = cli_load_engine(dbpath, &e, b.quiet)))
		goto done;
	db_identity(dbpath, b.db_id, sizeof(b.db_id));
	if ((rc = collect(&b, b.out)))
		goto done;
	rc = run(&b, e, jobs);
done:
	for (size_t i = 0; i < b.n; i++) {
		free(b.v[i].error);
		free(b.v[i].out_rel);
		free(b.v[i].name);
	}
	free(b.v);
	cli_walk_free(&b.walk);
	otz_engine_free(e);
	if (lock_fd >= 0)
		close(lock_fd); /* the lock goes with it */
	return rc;
}
