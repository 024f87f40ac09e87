/*
 * hsscan.c - a bare Vectorscan scan of otiose's own patterns, the reference
 * point of bench/peers.py (issue 14).
 *
 *     build/hsscan [--save FILE | --load FILE] DB PATH...
 *
 * Reads every pattern of the corpus database DB (the `patterns` table that
 * `otiose corpus build` writes, engine/db.c), compiles them into one
 * Vectorscan block-mode database, reads every regular file named or found
 * directly in a named folder (hidden ones skipped) into memory, and then,
 * timed, lower-cases each file and scans it whole, counting matches.  It
 * prints the byte count, the scan's wall and CPU seconds and MB/s (wall),
 * and how many patterns compiled exactly, in prefilter mode, or not at all.
 *
 * Flags: HS_FLAG_UTF8 | HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH, the nearest
 * to the engine's PCRE2_UTF | PCRE2_CASELESS (engine/rules.c); a pattern that
 * Vectorscan cannot compile exactly (look-arounds, back references) gets
 * HS_FLAG_PREFILTER, under which its matches are a superset of the real ones,
 * as a first stage's would be; one that compiles in neither mode is skipped
 * and counted.
 *
 * What it does NOT do, so that it is a floor for otiose's matcher and not a
 * rival pipeline: no NFKC normalization and no Unicode case folding (only
 * ASCII letters are lower-cased, which is all that caseless matching of the
 * lower-cased text needs here), no segmentation into sentences (each file is
 * one scan, so SINGLEMATCH counts a pattern at most once a file, not once a
 * sentence), no PCRE2 confirmation of prefilter candidates, no captures, no
 * translation, scoring or output.  Compilation is timed apart from the scan:
 * in the design the compiled database is stored in the corpus database and
 * deserialized at start-up.  Compiling 3,000 patterns takes Vectorscan a
 * minute or more, so --save FILE writes the compiled database (with the
 * mode counts) to FILE and --load FILE reads it back instead of compiling,
 * the way bench/peers.py runs its rounds; DB is then only named, not read.
 *
 * Exit codes as otiose's (cli/common.c): 0, 1 when an input cannot be read,
 * 2 for usage, 3 when the database cannot be read or nothing compiles.
 */
#include <dirent.h>
#include <errno.h>
#include <hs.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "include/otz.h"

enum { EX_OK = 0, EX_INPUT = 1, EX_USAGE = 2, EX_INTERNAL = 3 };

/* A pattern's mode: what it compiles in. */
enum { MODE_EXACT, MODE_PREFILTER, MODE_SKIPPED };

#define BASE_FLAGS (HS_FLAG_UTF8 | HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH)

typedef struct {
	char **src;
	int *mode;
	size_t n, cap;
} patterns;

typedef struct {
	char *text;
	size_t len;
} file_text;

typedef struct {
	file_text *f;
	size_t n, cap, bytes;
} files;

/* A file name for an error message: escaped, since it came from a folder
 * a stranger may have filled (otz_term_escape). */
static void say(const char *what, const char *path, const char *why)
{
	otz_buf b = OTZ_BUF_INIT;
	if (otz_term_escape(&b, path) != 0 || !b.ptr)
		fprintf(stderr, "hsscan: %s: %s\n", what, why);
	else
		fprintf(stderr, "hsscan: %s: %s: %s\n", b.ptr, what, why);
	otz_buf_dispose(&b);
}

static int patterns_push(patterns *p, const char *s)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 1024;
		char **src = realloc(p->src, cap * sizeof(*src));
		if (!src)
			return -1;
		p->src = src;
		int *mode = realloc(p->mode, cap * sizeof(*mode));
		if (!mode)
			return -1;
		p->mode = mode;
		p->cap = cap;
	}
	if (!(p->src[p->n] = strdup(s)))
		return -1;
	p->mode[p->n++] = MODE_EXACT;
	return 0;
}

/* Every pattern of the database, in rule order; 0 or EX_INTERNAL. */
static int read_patterns(const char *path, patterns *p)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = EX_INTERNAL, s;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		say("cannot open the database", path, db ? sqlite3_errmsg(db) : "out of memory");
		goto done;
	}
	if (sqlite3_prepare_v2(db, "SELECT pattern FROM patterns ORDER BY rule_ord, idx", -1, &st,
	                       NULL) != SQLITE_OK) {
		say("not a corpus database", path, sqlite3_errmsg(db));
		goto done;
	}
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *src = (const char *)sqlite3_column_text(st, 0);
		if (src && patterns_push(p, src) != 0) {
			say("reading the patterns", path, "out of memory");
			goto done;
		}
	}
	if (s != SQLITE_DONE) {
		say("reading the patterns", path, sqlite3_errmsg(db));
		goto done;
	}
	if (!p->n) {
		say("reading the patterns", path, "the database holds no patterns");
		goto done;
	}
	rc = EX_OK;
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

/* Whether Vectorscan accepts the pattern with these flags (a parse and
 * analysis, cheaper than compiling it alone). */
static int accepted(const char *src, unsigned flags)
{
	hs_expr_info_t *info = NULL;
	hs_compile_error_t *ce = NULL;
	hs_error_t e = hs_expression_info(src, flags, &info, &ce);
	free(info);
	if (ce)
		hs_free_compile_error(ce);
	return e == HS_SUCCESS;
}

/*
 * One database over every pattern that compiles: each is first checked
 * alone (exact, else prefilter, else skipped); then, should the whole still
 * fail on one expression (a pattern too large in combination), that one is
 * demoted a step and the whole compiled again.  Each retry demotes one
 * pattern, so at most 2n compilations.
 */
static int compile_all(patterns *p, hs_database_t **out)
{
	const char **expr = malloc(p->n * sizeof(*expr));
	unsigned *flags = malloc(p->n * sizeof(*flags));
	unsigned *ids = malloc(p->n * sizeof(*ids));
	size_t *which = malloc(p->n * sizeof(*which));
	int rc = EX_INTERNAL;
	if (!expr || !flags || !ids || !which) {
		fprintf(stderr, "hsscan: out of memory\n");
		goto done;
	}
	for (size_t i = 0; i < p->n; i++)
		p->mode[i] = accepted(p->src[i], BASE_FLAGS)                       ? MODE_EXACT
		             : accepted(p->src[i], BASE_FLAGS | HS_FLAG_PREFILTER) ? MODE_PREFILTER
		                                                                   : MODE_SKIPPED;
	for (;;) {
		unsigned k = 0;
		for (size_t i = 0; i < p->n; i++) {
			if (p->mode[i] == MODE_SKIPPED)
				continue;
			expr[k] = p->src[i];
			flags[k] = BASE_FLAGS | (p->mode[i] == MODE_PREFILTER ? HS_FLAG_PREFILTER : 0);
			ids[k] = (unsigned)i;
			which[k++] = i;
		}
		if (!k) {
			fprintf(stderr, "hsscan: no pattern compiles\n");
			goto done;
		}
		hs_compile_error_t *ce = NULL;
		if (hs_compile_multi(expr, flags, ids, k, HS_MODE_BLOCK, NULL, out, &ce) ==
		    HS_SUCCESS)
			break;
		if (!ce || ce->expression < 0) {
			fprintf(stderr, "hsscan: the pattern database does not compile: %s\n",
			        ce ? ce->message : "unknown error");
			if (ce)
				hs_free_compile_error(ce);
			goto done;
		}
		p->mode[which[ce->expression]]++;
		hs_free_compile_error(ce);
	}
	rc = EX_OK;
done:
	free(expr);
	free(flags);
	free(ids);
	free(which);
	return rc;
}

static int read_file(files *fs, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0;
	int rc = EX_INPUT;
	if (!f) {
		say("cannot open", path, strerror(errno));
		return rc;
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? 2 * cap : 65536;
			char *t = realloc(text, cap);
			if (!t) {
				say("cannot read", path, "out of memory");
				goto done;
			}
			text = t;
		}
		size_t got = fread(text + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		say("cannot read", path, strerror(errno));
		goto done;
	}
	if (fs->n == fs->cap) {
		size_t c = fs->cap ? 2 * fs->cap : 256;
		file_text *nf = realloc(fs->f, c * sizeof(*nf));
		if (!nf) {
			say("cannot read", path, "out of memory");
			goto done;
		}
		fs->f = nf;
		fs->cap = c;
	}
	fs->f[fs->n].text = text;
	fs->f[fs->n++].len = len;
	fs->bytes += len;
	text = NULL;
	rc = EX_OK;
done:
	free(text);
	fclose(f);
	return rc;
}

/* A file, or the regular files directly in a folder (not below it). */
static int read_path(files *fs, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		say("cannot read", path, strerror(errno));
		return EX_INPUT;
	}
	if (!S_ISDIR(sb.st_mode))
		return read_file(fs, path);
	DIR *d = opendir(path);
	if (!d) {
		say("cannot open the folder", path, strerror(errno));
		return EX_INPUT;
	}
	int rc = EX_OK;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t n = strlen(path) + strlen(e->d_name) + 2;
		char *full = malloc(n);
		if (!full) {
			rc = EX_INTERNAL;
			break;
		}
		snprintf(full, n, "%s/%s", path, e->d_name);
		if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode) && read_file(fs, full) != EX_OK)
			rc = EX_INPUT;
		free(full);
	}
	closedir(d);
	return rc;
}

/* The saved form: this line, then hs_serialize_database's bytes. */
#define SAVE_MAGIC "hsscan 1 %zu %zu %zu %zu\n"

static int save_db(const char *path, const hs_database_t *db, const size_t counts[4])
{
	char *bytes = NULL;
	size_t n = 0;
	int rc = EX_INTERNAL;
	if (hs_serialize_database(db, &bytes, &n) != HS_SUCCESS) {
		say("cannot serialize the database for", path, "Vectorscan refused");
		return rc;
	}
	FILE *f = fopen(path, "wb");
	if (!f) {
		say("cannot write", path, strerror(errno));
		goto done;
	}
	if (fprintf(f, SAVE_MAGIC, counts[0], counts[1], counts[2], counts[3]) < 0 ||
	    fwrite(bytes, 1, n, f) != n) {
		say("cannot write", path, strerror(errno));
		fclose(f);
		goto done;
	}
	if (fclose(f) != 0) {
		say("cannot write", path, strerror(errno));
		goto done;
	}
	rc = EX_OK;
done:
	free(bytes);
	return rc;
}

static int load_db(const char *path, hs_database_t **db, size_t counts[4])
{
	files one = {0};
	int rc = read_file(&one, path);
	if (rc != EX_OK)
		return rc;
	char *t = one.f[0].text;
	size_t len = one.f[0].len;
	char *nl = memchr(t, '\n', len < 256 ? len : 256);
	rc = EX_INPUT;
	if (!nl || sscanf(t, SAVE_MAGIC, &counts[0], &counts[1], &counts[2], &counts[3]) != 4) {
		say("cannot load", path, "not a database saved by hsscan --save");
		goto done;
	}
	size_t off = (size_t)(nl + 1 - t);
	if (hs_deserialize_database(t + off, len - off, db) != HS_SUCCESS) {
		say("cannot load", path,
		    "Vectorscan refused the saved database (another version or platform?)");
		goto done;
	}
	rc = EX_OK;
done:
	free(t);
	free(one.f);
	return rc;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to,
                    unsigned flags, void *ctx)
{
	(void)id, (void)from, (void)to, (void)flags;
	++*(unsigned long long *)ctx;
	return 0;
}

static double clock_s(clockid_t which)
{
	struct timespec ts;
	clock_gettime(which, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	patterns p = {0};
	files fs = {0};
	hs_database_t *db = NULL;
	hs_scratch_t *scratch = NULL;
	char *low = NULL;
	const char *save = NULL, *load = NULL;
	size_t lowcap = 0, counts[4] = {0}; /* patterns, exact, prefilter, skipped */
	int rc = EX_OK, a = 1;
	for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
		if (!strcmp(argv[a], "--save"))
			save = argv[a + 1];
		else if (!strcmp(argv[a], "--load"))
			load = argv[a + 1];
		else
			break;
	}
	if (argc - a < 2 || (save && load) || argv[a][0] == '-') {
		fprintf(stderr, "usage: hsscan [--save FILE | --load FILE] DB PATH...\n"
		                "Scan every file (or every file directly in each folder) with one "
		                "Vectorscan\ndatabase of DB's patterns; see bench/README.md.\n");
		return EX_USAGE;
	}
	double t0 = clock_s(CLOCK_MONOTONIC);
	if (load) {
		if ((rc = load_db(load, &db, counts)) != EX_OK)
			goto done;
	} else {
		if ((rc = read_patterns(argv[a], &p)) != EX_OK)
			goto done;
		if ((rc = compile_all(&p, &db)) != EX_OK)
			goto done;
		counts[0] = p.n;
		for (size_t i = 0; i < p.n; i++)
			counts[1 + p.mode[i]]++;
		if (save && (rc = save_db(save, db, counts)) != EX_OK)
			goto done;
	}
	double compile_s = clock_s(CLOCK_MONOTONIC) - t0;
	if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
		fprintf(stderr, "hsscan: cannot allocate the scratch space\n");
		rc = EX_INTERNAL;
		goto done;
	}
	for (int i = a + 1; i < argc; i++) {
		int r = read_path(&fs, argv[i]);
		if (r > rc)
			rc = r;
	}
	if (rc != EX_OK)
		goto done;
	for (size_t i = 0; i < fs.n; i++)
		if (fs.f[i].len > lowcap)
			lowcap = fs.f[i].len;
	if (!(low = malloc(lowcap ? lowcap : 1))) {
		fprintf(stderr, "hsscan: out of memory\n");
		rc = EX_INTERNAL;
		goto done;
	}

	unsigned long long matches = 0;
	double t1 = clock_s(CLOCK_MONOTONIC), c1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	for (size_t i = 0; i < fs.n; i++) {
		const char *s = fs.f[i].text;
		size_t n = fs.f[i].len;
		/* ASCII lower-casing, as the engine's fast path folds ASCII text;
		 * bytes of multi-byte characters are copied as they are. */
		for (size_t j = 0; j < n; j++) {
			unsigned char c = (unsigned char)s[j];
			low[j] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		hs_error_t e = hs_scan(db, low, (unsigned)n, 0, scratch, on_match, &matches);
		/* Invalid UTF-8 under HS_FLAG_UTF8 is undefined, not an error
		 * Vectorscan reports; a scan error here is internal. */
		if (e != HS_SUCCESS) {
			fprintf(stderr, "hsscan: the scan failed (%d)\n", (int)e);
			rc = EX_INTERNAL;
			goto done;
		}
	}
	double scan_s = clock_s(CLOCK_MONOTONIC) - t1;
	double scan_cpu_s = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c1;

	printf("patterns %zu exact %zu prefilter %zu skipped %zu %s_s %.3f\n", counts[0],
	       counts[1], counts[2], counts[3], load ? "load" : "compile", compile_s);
	printf("files %zu bytes %zu scan_s %.4f scan_cpu_s %.4f mb_per_s %.2f matches %llu\n", fs.n,
	       fs.bytes, scan_s, scan_cpu_s, scan_s > 0 ? (double)fs.bytes / 1e6 / scan_s : 0.0,
	       matches);
done:
	free(low);
	hs_free_scratch(scratch);
	hs_free_database(db);
	for (size_t i = 0; i < fs.n; i++)
		free(fs.f[i].text);
	free(fs.f);
	for (size_t i = 0; i < p.n; i++)
		free(p.src[i]);
	free(p.src);
	free(p.mode);
	return rc;
}
