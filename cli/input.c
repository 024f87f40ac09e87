/*
 * input.c - the one way cli/ reads a job description by path, and the one
 * rule for finding a JD in a JSON object.
 *
 * cli_input_read() takes a path (NULL or "-" for standard input) and a size
 * limit and returns the JD: the whole file for .txt, .md, .html and any
 * other name, and for .json the object's text and title (cli_json_jd).  A
 * file over the limit is refused, never truncated, and so is a file with a
 * NUL byte or a PDF (refuse_binary).  Other binary, empty and invalid UTF-8
 * text is left to the engine, which refuses it when it translates.  Errors return an engine code with err->msg "NAME: why";
 * cli_input_load() is the same for callers that print the reason and go on.
 *
 * cli_read_piece() is the one line splitter of the stream readers (jsonlin.c,
 * csvin.c): the next piece of a line, at most a buffer's worth, so that a
 * line of any length is read in bounded memory.
 *
 * cli_json_jd() is the rule shared with `translate --jsonl` (jsonlin.c):
 * "text" if it is a string; an error if "text" is there but not a string;
 * "description", likewise, only when "text" is absent.  A field holding
 * null counts as absent.  "title" is a string, absent or null.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The extensions of the inputs a folder walk collects. */
static const char *const input_exts[] = {".txt", ".md", ".html", ".json", NULL};

static int has_suffix(const char *name, const char *suffix)
{
	size_t l = strlen(name), n = strlen(suffix);
	return l > n && strcmp(name + l - n, suffix) == 0;
}

int cli_is_input_name(const char *name)
{
	for (int i = 0; input_exts[i]; i++)
		if (has_suffix(name, input_exts[i]))
			return 1;
	return 0;
}

/* The field `key` of o, with null taken for absent. */
static json_t *field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_null(v) ? NULL : v;
}

int cli_json_jd(json_t *o, const char **text, size_t *len, const char **title, char *msg,
                size_t msgsz)
{
	const char *key = "text";
	json_t *t = field(o, key);
	if (!t) {
		key = "description";
		t = field(o, key);
	}
	if (!t) {
		snprintf(msg, msgsz, "no \"text\" or \"description\" string field");
		return -1;
	}
	if (!json_is_string(t)) {
		snprintf(msg, msgsz, "\"%s\" is not a string", key);
		return -1;
	}
	json_t *ti = field(o, "title");
	if (ti && !json_is_string(ti)) {
		snprintf(msg, msgsz, "\"title\" is not a string");
		return -1;
	}
	*text = json_string_value(t);
	*len = json_string_length(t);
	*title = ti ? json_string_value(ti) : NULL;
	return 0;
}

/* A JSON input's JD and title, copied into `in`; the file's bytes are buf[0..n). */
static int json_input(const char *name, const char *buf, size_t n, cli_input *in,
                      otz_error *err)
{
	json_error_t je;
	char why[512];
	const char *text, *title;
	size_t len;
	int rc = OTZ_EEMPTY;
	/* JSON_DECODE_ANY: a file that is JSON but not an object is told so, with what it is. */
	json_t *o = json_loadb(buf, n, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &je);
	if (!o) {
		snprintf(why, sizeof(why), "not a JSON object (line %d: %s)", je.line, je.text);
		goto fail;
	}
	if (!json_is_object(o)) {
		snprintf(why, sizeof(why),
		         "not a JSON object but %s: a .json input must be an object such as "
		         "{\"text\": \"...\"}",
		         json_is_array(o) ? "an array" : json_is_string(o) ? "a string" :
		         json_is_number(o) ? "a number" : json_is_null(o) ? "null" :
		         json_is_true(o) ? "true" : "false");
		goto fail;
	}
	if (cli_json_jd(o, &text, &len, &title, why, sizeof(why)))
		goto fail;
	rc = OTZ_ENOMEM;
	in->text = malloc(len + 1);
	in->title = title ? strdup(title) : NULL;
	if (!in->text || (title && !in->title)) {
		snprintf(why, sizeof(why), "out of memory");
		goto fail;
	}
	memcpy(in->text, text, len + 1);
	in->len = len;
	json_decref(o);
	return OTZ_OK;
fail:
	json_decref(o);
	cli_input_dispose(in);
	err->code = rc;
	snprintf(err->msg, sizeof(err->msg), "%s: %s", name, why);
	return rc;
}

uint64_t cli_hash(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Open path for reading a file found by a walk: without blocking on a
 * FIFO, and only if it is a regular file now; its stream, or NULL with
 * err filled. */
static FILE *open_regular(const char *path, struct stat *st, otz_error *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		otz_error e = {OTZ_EIO, ""};
		snprintf(e.msg, sizeof(e.msg), "%s: %s", path, strerror(errno));
		*err = e;
		return NULL;
	}
	FILE *f = NULL;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		err->code = OTZ_EIO;
		snprintf(err->msg, sizeof(err->msg), "%s: not a regular file", path);
	} else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 ||
	           !(f = fdopen(fd, "rb"))) {
		err->code = OTZ_EIO;
		snprintf(err->msg, sizeof(err->msg), "%s: %s", path, strerror(errno));
	}
	if (!f)
		close(fd);
	return f;
}

/*
 * Refuse a file that is not text, whatever its name, before anything reads
 * it as text: a NUL byte anywhere (the engine looks at the first 8 KB
 * only), or a PDF, whose first bytes are text and whose next ones are
 * invalid UTF-8, which would otherwise get the advice to use --lossy.
 * 0, or OTZ_EBINARY with err->msg "NAME: why".
 */
static int refuse_binary(const char *name, const char *buf, size_t n, otz_error *err)
{
	const char *nul = memchr(buf, '\0', n);
	if (n >= 5 && memcmp(buf, "%PDF-", 5) == 0)
		snprintf(err->msg, sizeof(err->msg),
		         "%s: binary input: looks like a PDF document (it begins with %%PDF-); "
		         "extract its text first, e.g. with pdftotext",
		         name);
	else if (nul)
		snprintf(err->msg, sizeof(err->msg), "%s: binary input (NUL byte at offset %zu)", name,
		         (size_t)(nul - buf));
	else
		return OTZ_OK;
	err->code = OTZ_EBINARY;
	return OTZ_EBINARY;
}

static int read_input(const char *path, size_t limit, int regular, cli_input *in,
                      otz_error *err)
{
	int is_stdin = !path || strcmp(path, "-") == 0;
	char *buf = NULL;
	size_t n = 0;
	int rc;
	memset(in, 0, sizeof(*in));
	if (is_stdin) {
		rc = otz_read_stream(stdin, "<stdin>", limit, &buf, &n, err);
	} else if (regular) {
		struct stat st;
		FILE *f = open_regular(path, &st, err);
		if (!f)
			return OTZ_EIO;
		rc = otz_read_stream(f, path, limit, &buf, &n, err);
		fclose(f);
		in->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	} else {
		rc = otz_read_file(path, limit, &buf, &n, err);
	}
	if (rc)
		return rc;
	if ((rc = refuse_binary(is_stdin ? "<stdin>" : path, buf, n, err))) {
		free(buf);
		return rc;
	}
	in->size = n;
	in->hash = cli_hash(buf, n);
	if (!is_stdin && has_suffix(path, ".json")) {
		rc = json_input(path, buf, n, in, err);
		free(buf);
		return rc;
	}
	in->text = buf;
	in->len = n;
	return OTZ_OK;
}

int cli_input_read(const char *path, size_t limit, cli_input *in, otz_error *err)
{
	return read_input(path, limit, 0, in, err);
}

int cli_input_read_regular(const char *path, size_t limit, cli_input *in, otz_error *err)
{
	return read_input(path, limit, 1, in, err);
}

int cli_input_load(const char *path, size_t limit, cli_input *in)
{
	otz_error err = {0, ""};
	int e = cli_input_read(path, limit, in, &err);
	if (e)
		cli_err("%s", err.msg);
	return e == 0 ? EXIT_OK : e == OTZ_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
}

void cli_input_dispose(cli_input *in)
{
	free(in->text);
	free(in->title);
	memset(in, 0, sizeof(*in));
}

size_t cli_read_piece(FILE *f, char *buf, size_t cap, int *ends_line)
{
	size_t n = 0;
	int c;
	*ends_line = 0;
	while (n < cap && (c = getc_unlocked(f)) != EOF) {
		buf[n++] = (char)c;
		if (c == '\n') {
			*ends_line = 1;
			break;
		}
	}
	return n;
}
