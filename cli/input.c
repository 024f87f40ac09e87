/*
 * input.c - the one way cli/ reads a job description by path, and the one
 * rule for finding a JD in a JSON object.
 *
 * cli_input_read() takes a path (NULL or "-" for standard input) and the
 * read options (a size limit, an input format, lossy or not) and returns
 * the JD.  The format is --input-format's, else the name's extension, else
 * text; one table below names the formats and their extensions, for the
 * readers and the folder walker alike:
 *   .txt, .html  the file whole: the engine's normalizer drops HTML tags,
 *                scripts and styles and decodes entities in any input;
 *   .md          the text a reader sees (mdin.c): headings and paragraphs
 *                as lines, list items as "- " lines, markup gone;
 *   .json        one posting: an object's text and title (cli_json_jd).
 * A file over the limit is refused, never truncated, and so is, whatever
 * its format, a file with a NUL byte or a PDF (refuse_binary).  Other
 * binary, empty and invalid UTF-8 text is left to the engine, which
 * refuses it when it translates (a Markdown file that is either goes to
 * it unconverted, so that the offsets it names are the file's).  Errors
 * return an engine code with err->msg "NAME: why"; cli_input_load() is the
 * same for callers that print the reason and go on.
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

/* The input formats: their names (for --input-format) and the extension
 * of the files a folder walk collects and reads as that format. */
static const struct {
	const char *name, *alias, *ext;
	cli_input_format format;
} formats[] = {{"txt", "text", ".txt", CLI_INPUT_TXT},
               {"md", "markdown", ".md", CLI_INPUT_MD},
               {"html", NULL, ".html", CLI_INPUT_HTML},
               {"json", NULL, ".json", CLI_INPUT_JSON}};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static int has_suffix(const char *name, const char *suffix)
{
	size_t l = strlen(name), n = strlen(suffix);
	return l > n && strcmp(name + l - n, suffix) == 0;
}

/* The format a file of this name is read as; CLI_INPUT_AUTO if none. */
static cli_input_format format_of_name(const char *name)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (has_suffix(name, formats[i].ext))
			return formats[i].format;
	return CLI_INPUT_AUTO;
}

int cli_is_input_name(const char *name)
{
	return format_of_name(name) != CLI_INPUT_AUTO;
}

int cli_parse_input_format(const char *name, cli_input_format *out)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (strcmp(name, formats[i].name) == 0 ||
		    (formats[i].alias && strcmp(name, formats[i].alias) == 0)) {
			*out = formats[i].format;
			return 0;
		}
	return -1;
}

int cli_input_format_option(const char *cmd, const char *arg, cli_input_format *out)
{
	if (cli_parse_input_format(arg, out) == 0)
		return EXIT_OK;
	return cli_usage_error(cmd, "unknown input format '%s' (txt, md, html, json)", arg);
}

const char *cli_input_format_name(cli_input_format f)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i].format == f)
			return formats[i].name;
	return "auto";
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
		snprintf(why, sizeof(why), "invalid JSON at line %d, column %d: %s",
		         je.line, je.column, je.text);
		goto fail;
	}
	if (!json_is_object(o)) {
		/* One file, one posting, one record (batch writes one output per
		 * file); a list of postings is a JSON-lines stream. */
		snprintf(why, sizeof(why),
		         "not a JSON object but %s: a .json input must be an object such as "
		         "{\"text\": \"...\"}, one posting a file (for many, put one object a line "
		         "in a .jsonl file for 'otiose translate --jsonl')",
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

/*
 * A Markdown input's text (mdin.c) into `in`, in place of its bytes buf[0..n)
 * (taken).  Bytes the engine refuses it must refuse at their own offsets,
 * so a binary file, and invalid UTF-8 unless it is to be replaced, go to it
 * as they were read.
 */
static int md_input(const char *name, char *buf, size_t n, const cli_read_opts *o,
                    cli_input *in, otz_error *err)
{
	char *text, why[256];
	size_t len;
	if (otz_looks_binary(buf, n) || (!o->lossy && otz_utf8_invalid_at(buf, n) < n)) {
		in->text = buf;
		in->len = n;
		return OTZ_OK;
	}
	if (cli_md_text(buf, n, &text, &len, why, sizeof(why))) {
		free(buf);
		cli_input_dispose(in);
		err->code = n >= UINT32_MAX ? OTZ_ELIMIT : OTZ_ENOMEM;
		snprintf(err->msg, sizeof(err->msg), "%s: %s", name, why);
		return err->code;
	}
	free(buf);
	in->text = text;
	in->len = len;
	return OTZ_OK;
}

static int read_input(const char *path, const cli_read_opts *o, int regular, cli_input *in,
                      otz_error *err)
{
	int is_stdin = !path || strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	char *buf = NULL;
	size_t n = 0;
	int rc;
	memset(in, 0, sizeof(*in));
	if (is_stdin) {
		rc = otz_read_stream(stdin, name, o->limit, &buf, &n, err);
	} else if (regular) {
		struct stat st;
		FILE *f = open_regular(path, &st, err);
		if (!f)
			return OTZ_EIO;
		rc = otz_read_stream(f, path, o->limit, &buf, &n, err);
		fclose(f);
		in->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	} else {
		rc = otz_read_file(path, o->limit, &buf, &n, err);
	}
	if (rc)
		return rc;
	if ((rc = refuse_binary(name, buf, n, err))) {
		free(buf);
		return rc;
	}
	in->size = n;
	in->hash = cli_hash(buf, n);
	/* --input-format, else the name's extension; standard input and other
	 * names are text.  Text and HTML go to the engine whole: its
	 * normalizer drops markup and decodes entities in both, since pasted
	 * text carries HTML residue too. */
	cli_input_format f = o->format != CLI_INPUT_AUTO ? o->format
	                     : is_stdin                  ? CLI_INPUT_TXT
	                                                 : format_of_name(path);
	if (f == CLI_INPUT_JSON) {
		rc = json_input(name, buf, n, in, err);
		free(buf);
		return rc;
	}
	if (f == CLI_INPUT_MD)
		return md_input(name, buf, n, o, in, err);
	in->text = buf;
	in->len = n;
	return OTZ_OK;
}

int cli_input_read(const char *path, const cli_read_opts *o, cli_input *in, otz_error *err)
{
	return read_input(path, o, 0, in, err);
}

int cli_input_read_regular(const char *path, const cli_read_opts *o, cli_input *in,
                           otz_error *err)
{
	return read_input(path, o, 1, in, err);
}

int cli_input_load(const char *path, const cli_read_opts *o, cli_input *in)
{
	otz_error err = {0, ""};
	int e = cli_input_read(path, o, in, &err);
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
