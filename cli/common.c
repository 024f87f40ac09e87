/*
 * common.c - helpers the subcommands share: errors and exit codes, finding
 * (and if need be building) the corpus database, format names and sizes,
 * deciding on colour, and writing output without losing a failure.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "cli.h"

int cli_exit_for(int code)
{
	switch (code) {
	case OTZ_OK: return EXIT_OK;
	case OTZ_EINVAL: return EXIT_USAGE;
	case OTZ_ENOMEM: return EXIT_INTERNAL;
	default: return EXIT_INPUT;
	}
}

/* The message on stderr, on one line, after `prefix`: messages name files
 * and titles that strangers chose, so their control characters are shown
 * escaped, never sent to the terminal. */
static void say_with(const char *prefix, const char *fmt, va_list ap)
{
	char *msg = NULL;
	otz_buf b = OTZ_BUF_INIT;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	if (msg && otz_term_escape(&b, msg) == 0 && b.ptr)
		fprintf(stderr, "%s%.*s\n", prefix, (int)b.len, b.ptr);
	else
		fprintf(stderr, "%sout of memory\n", prefix);
	otz_buf_dispose(&b);
	free(msg);
}

static void say(const char *fmt, va_list ap)
{
	say_with("otiose: ", fmt, ap);
}

void cli_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say_with("", fmt, ap);
	va_end(ap);
}

void cli_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'otiose %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

const char *cli_exe_dir(char *buf, size_t n)
{
	ssize_t l = readlink("/proc/self/exe", buf, n - 1);
	if (l <= 0) {
		snprintf(buf, n, ".");
		return buf;
	}
	buf[l] = '\0';
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return buf;
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Newest modification time of files in dir ending in suffix; 0 if none. */
static time_t newest(const char *dir, const char *suffix)
{
	time_t t = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *de;
	size_t sl = strlen(suffix);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l <= sl || strcmp(de->d_name + l - sl, suffix))
			continue;
		char p[PATH_MAX];
		struct stat st;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (stat(p, &st) == 0 && st.st_mtime > t)
			t = st.st_mtime;
	}
	closedir(d);
	return t;
}

/* Where sources sit relative to the binary's folder: beside it (a copy of
 * the binary next to its data), or one level up (the checkout, for a binary
 * in it or in build/). */
static const char *const beside[] = {"", "/..", NULL};

/* Rules and corpus sources beside the binary, or one level up. */
static int find_sources(const char *exe, char *rules, char *corpus, size_t n)
{
	for (int i = 0; beside[i]; i++) {
		snprintf(rules, n, "%s%s/rules", exe, beside[i]);
		snprintf(corpus, n, "%s%s/corpus", exe, beside[i]);
		if (is_dir(rules) && is_dir(corpus))
			return 1;
	}
	return 0;
}

const char *cli_share_dir(char *buf, size_t n)
{
	char exe[PATH_MAX];
	cli_exe_dir(exe, sizeof(exe));
	/* The binary's folder is a resolved path (from /proc/self/exe), so its
	 * parent is the folder above it, and messages need no "/..". */
	char *slash = strrchr(exe, '/');
	if (!slash)
		snprintf(buf, n, "%s/../share/otiose", exe);
	else if (slash == exe)
		snprintf(buf, n, "/share/otiose");
	else
		snprintf(buf, n, "%.*s/share/otiose", (int)(slash - exe), exe);
	return buf;
}

int cli_default_dir(const char *name, char *buf, size_t n, int *installed)
{
	char exe[PATH_MAX], share[PATH_MAX];
	if (installed)
		*installed = 0;
	snprintf(buf, n, "%s", name);
	if (is_dir(buf))
		return EXIT_OK;
	cli_exe_dir(exe, sizeof(exe));
	for (int i = 0; beside[i]; i++) {
		snprintf(buf, n, "%s%s/%s", exe, beside[i], name);
		if (is_dir(buf))
			return EXIT_OK;
	}
	cli_share_dir(share, sizeof(share));
	snprintf(buf, n, "%s/%s", share, name);
	if (is_dir(buf)) {
		if (installed)
			*installed = 1;
		return EXIT_OK;
	}
	cli_err("no %s folder: looked for ./%s, %s/%s, %s/../%s and %s/%s; name the folder on "
	        "the command line",
	        name, name, exe, name, exe, name, share, name);
	snprintf(buf, n, "%s", name);
	return EXIT_INPUT;
}

static int build_db(const char *rules, const char *corpus, const char *db, int quiet)
{
	otz_engine *e = NULL;
	otz_error err = {0, ""};
	int rc = otz_engine_from_sources(&e, rules, corpus, NULL, &err);
	if (rc == 0)
		rc = otz_engine_save(e, db, &err);
	if (rc) {
		cli_err("cannot build %s: %s", db, err.msg);
		otz_engine_free(e);
		return cli_exit_for(rc);
	}
	if (!quiet)
		fprintf(stderr, "otiose: built %s (%zu rules, %zu specimens)\n", db,
		        otz_ruleset_count(otz_engine_rules(e)), otz_engine_specimen_count(e));
	otz_engine_free(e);
	return EXIT_OK;
}

int cli_find_db(const char *explicit_path, char *buf, size_t n, int quiet)
{
	struct stat st;
	if (explicit_path) {
		snprintf(buf, n, "%s", explicit_path);
		return EXIT_OK;
	}
	const char *env = getenv("OTIOSE_DB");
	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return EXIT_OK;
	}
	char exe[PATH_MAX], rules[PATH_MAX + 16], corpus[PATH_MAX + 16];
	cli_exe_dir(exe, sizeof(exe));
	snprintf(buf, n, "%s/otiose.db", exe);
	if (find_sources(exe, rules, corpus, sizeof(rules))) {
		time_t src = newest(rules, ".rules"), c = newest(corpus, ".txt");
		if (c > src)
			src = c;
		if (stat(buf, &st) != 0 || st.st_mtime < src) {
			if (!quiet)
				fprintf(stderr, "otiose: %s is %s; building it from %s and %s\n", buf,
				        stat(buf, &st) != 0 ? "missing" : "older than its sources", rules,
				        corpus);
			return build_db(rules, corpus, buf, quiet);
		}
		return EXIT_OK;
	}
	if (stat(buf, &st) == 0)
		return EXIT_OK;
	char share[PATH_MAX], shared[PATH_MAX + 16];
	snprintf(shared, sizeof(shared), "%s/otiose.db", cli_share_dir(share, sizeof(share)));
	if (stat(shared, &st) == 0) {
		snprintf(buf, n, "%s", shared);
		return EXIT_OK;
	}
	cli_err("no corpus database: looked for %s and %s; build one with 'otiose corpus build' "
	        "or name one with --db",
	        buf, shared);
	return EXIT_INPUT;
}

int cli_load_engine(const char *explicit_path, otz_engine **out, int quiet)
{
	char db[PATH_MAX];
	int rc = cli_find_db(explicit_path, db, sizeof(db), quiet);
	if (rc)
		return rc;
	otz_error err = {0, ""};
	int e = otz_engine_load(out, db, &err);
	if (e) {
		cli_err("%s", err.msg);
		return cli_exit_for(e);
	}
	return EXIT_OK;
}

int cli_need_dir(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		cli_err("%s: not a folder: %s", path, strerror(errno));
		return EXIT_INPUT;
	}
	if (!S_ISDIR(st.st_mode)) {
		cli_err("%s: not a folder", path);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int cli_reserve(void *pv, size_t *cap, size_t n, size_t size)
{
	void **v = pv;
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	if (c > SIZE_MAX / size)
		return -1;
	void *p = realloc(*v, c * size);
	if (!p)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

int cli_parse_format(const char *name, otz_format *out)
{
	static const struct {
		const char *name;
		otz_format format;
	} names[] = {{"text", OTZ_FORMAT_TEXT}, {"json", OTZ_FORMAT_JSON}, {"md", OTZ_FORMAT_MD},
	             {"markdown", OTZ_FORMAT_MD}, {"html", OTZ_FORMAT_HTML}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].format;
			return 0;
		}
	return -1;
}

const char *cli_format_ext(otz_format f)
{
	switch (f) {
	case OTZ_FORMAT_JSON: return "json";
	case OTZ_FORMAT_MD: return "md";
	case OTZ_FORMAT_HTML: return "html";
	default: return "txt";
	}
}

int cli_parse_size(const char *s, size_t *out)
{
	char *end;
	if (!*s || *s < '0' || *s > '9') /* strtoull would take "-1", " 1" and "+1" */
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	int too_big = errno == ERANGE;
	unsigned shift = 0;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	if (shift)
		end++;
	if (*end || (!too_big && v == 0))
		return -1;
	/* Compared before the shift, which could otherwise push bits out. */
	if (too_big || v > (CLI_SIZE_LIMIT >> shift))
		return -2;
	*out = (size_t)(v << shift);
	return 0;
}

void cli_report_limits(const char *name, const otz_record *r)
{
	for (size_t i = 0; i < r->nlimits; i++) {
		const otz_limit_note *ln = &r->limits[i];
		cli_err("%s: warning: %s:%d: rule '%s' ran into PCRE2's %s limit on the sentence at "
		        "byte %zu and was skipped there",
		        name, ln->file, ln->line, ln->rule_id, ln->limit, ln->offset);
	}
	if (r->limit_hits > r->nlimits)
		cli_err("%s: warning: %zu more patterns were skipped after a PCRE2 limit", name,
		        r->limit_hits - r->nlimits);
}

int cli_want_color(const char *mode, FILE *f)
{
	if (mode && strcmp(mode, "always") == 0)
		return 1;
	if (mode && strcmp(mode, "never") == 0)
		return 0;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	const char *term = getenv("TERM");
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(f));
}

size_t cli_term_width(FILE *f)
{
	if (!isatty(fileno(f)))
		return 0;
	struct winsize ws;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *c = getenv("COLUMNS");
	char *end;
	long v = c && *c ? strtol(c, &end, 10) : 0;
	return v > 0 && v <= CLI_MAX_WIDTH && !*end ? (size_t)v : 80;
}

/* ---- wrapping ------------------------------------------------------ */

/* The wrapped text as it grows; a failed growth is remembered and ends
 * the writing. */
typedef struct wbuf {
	otz_buf b;
	int oom;
} wbuf;

static void wput(wbuf *w, const char *s, size_t n)
{
	if (!w->oom && otz_buf_append_n(&w->b, s, n))
		w->oom = 1;
}

/*
 * The length in bytes of the unit at s[0..n): a terminal escape (ESC and
 * its CSI parameters up to the final byte), one UTF-8 character, or a
 * byte that is not UTF-8; its width in columns in *cols.
 */
static size_t unit(const char *s, size_t n, size_t *cols)
{
	unsigned char c = (unsigned char)s[0];
	if (c == 0x1b) {
		size_t k = 1;
		*cols = 0;
		if (k < n && s[k] == '[') {
			k++;
			while (k < n && !((unsigned char)s[k] >= 0x40 && (unsigned char)s[k] <= 0x7e))
				k++;
		}
		return k < n ? k + 1 : n;
	}
	if (c < 0x80) {
		*cols = c >= 0x20 && c != 0x7f;
		return 1;
	}
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp);
	if (k <= 0) {
		*cols = 1; /* shown as one replacement character, if at all */
		return 1;
	}
	int w = utf8proc_charwidth(cp);
	*cols = w > 0 ? (size_t)w : 0;
	return (size_t)k;
}

/* The columns of s[0..n), escapes taking none. */
static size_t cols_of(const char *s, size_t n)
{
	size_t w = 0, c;
	for (size_t i = 0; i < n; w += c)
		i += unit(s + i, n - i, &c);
	return w;
}

/* Start a continuation row: the line break and the indent. */
static size_t new_row(wbuf *w, size_t indent)
{
	wput(w, "\n", 1);
	wput(w, "  ", indent);
	return indent;
}

/* One line (no '\n') wrapped at `width` into w. */
static void wrap_line(wbuf *w, const char *s, size_t n, size_t width, size_t indent)
{
	size_t col = 0, i = 0;
	int first_row = 1, content = 0;
	while (i < n) {
		size_t sp = i;
		while (i < n && s[i] == ' ')
			i++;
		size_t nsp = i - sp, ws = i;
		while (i < n && s[i] != ' ')
			i++;
		size_t wl = cols_of(s + ws, i - ws);
		if (ws == n) { /* spaces at the end of the line: kept when they fit */
			if (col + nsp <= width)
				wput(w, s + sp, nsp);
			break;
		}
		if (!content) {
			if (first_row) { /* the line's own indentation */
				wput(w, s + sp, nsp);
				col += nsp;
			}
		} else if (col + nsp + wl <= width) {
			wput(w, s + sp, nsp);
			col += nsp;
		} else {
			col = new_row(w, indent);
			first_row = 0;
		}
		if (col + wl <= width) {
			wput(w, s + ws, i - ws);
			col += wl;
		} else { /* longer than a row: cut where the row ends */
			size_t c;
			for (size_t k = ws; k < i;) {
				size_t len = unit(s + k, i - k, &c);
				if (c && col + c > width && col > (first_row ? 0 : indent)) {
					col = new_row(w, indent);
					first_row = 0;
				}
				wput(w, s + k, len);
				col += c;
				k += len;
			}
		}
		content = 1;
	}
}

char *cli_wrap(const char *s, size_t n, size_t width, size_t *out_len)
{
	wbuf w = {OTZ_BUF_INIT, 0};
	/* Continuation rows are indented two columns, when a row has room for it. */
	size_t indent = width >= 20 ? 2 : 0;
	if (!width)
		width = (size_t)-1;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n;
		wrap_line(&w, s + i, e - i, width, indent);
		if (nl)
			wput(&w, "\n", 1);
		i = nl ? e + 1 : n;
	}
	wput(&w, "", 0); /* room for the NUL, even when s is empty */
	if (w.oom) {
		otz_buf_dispose(&w.b);
		return NULL;
	}
	*out_len = w.b.len;
	return w.b.ptr;
}

int cli_write_wrapped(FILE *f, const char *s, size_t n, size_t width)
{
	if (!width)
		return cli_write_all(f, s, n);
	size_t wn;
	char *w = cli_wrap(s, n, width, &wn);
	if (!w) {
		cli_err("out of memory");
		return EXIT_INTERNAL;
	}
	int rc = cli_write_all(f, w, wn);
	free(w);
	return rc;
}

int cli_write_all(FILE *f, const char *p, size_t n)
{
	if (n && fwrite(p, 1, n, f) != n) {
		cli_err("error writing output: %s", strerror(errno));
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int cli_max_bytes_option(const char *cmd, const char *arg, size_t *out)
{
	switch (cli_parse_size(arg, out)) {
	case 0:
		return EXIT_OK;
	case -2:
		return cli_usage_error(cmd, "--max-bytes %s is more than the largest limit, "
		                            CLI_SIZE_LIMIT_TEXT, arg);
	default:
		return cli_usage_error(cmd, "--max-bytes takes a size from 1 byte to " CLI_SIZE_LIMIT_TEXT
		                            " (bytes, or with K, M or G)");
	}
}
