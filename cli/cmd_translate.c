/*
 * cmd_translate.c - `otiose translate [FILE...]`: one file record per input.
 *
 * Reads stdin (or each FILE), translates it and prints the record.  Each
 * record is rendered whole into memory before anything is written, so a
 * failing input prints an error and nothing of itself; the other inputs are
 * still translated, and the exit code is 1 if any failed.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_MAX_BYTES (8u * 1024 * 1024)

static void help(FILE *f)
{
	fprintf(f,
	        "usage: otiose translate [options] [FILE...]\n"
	        "\n"
	        "Translate job descriptions into Otiose file records.  With no FILE (or\n"
	        "FILE '-'), reads standard input; on a terminal with nothing piped in,\n"
	        "prints this help instead of waiting.\n"
	        "\n"
	        "options:\n"
	        "  -f, --format FMT    text (default), json or md\n"
	        "  -t, --title TITLE   the role's title (default: the JD's first line, if it\n"
	        "                      looks like one)\n"
	        "  -n, --related N     how many related specimens to list (default 3, max 16)\n"
	        "      --lossy         replace invalid UTF-8 with U+FFFD instead of failing\n"
	        "      --max-bytes N   refuse inputs larger than N bytes (default %u)\n"
	        "      --db PATH       the corpus database (default: otiose.db beside the\n"
	        "                      binary, built from rules/ and corpus/ if missing)\n"
	        "      --color WHEN    auto (default), always or never; NO_COLOR is respected\n"
	        "  -h, --help          show this help\n"
	        "\n"
	        "exit codes: 0 all translated, 1 an input could not be, 2 usage, 3 internal\n",
	        DEFAULT_MAX_BYTES);
}

int cmd_translate(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'}, {"title", required_argument, NULL, 't'},
		{"related", required_argument, NULL, 'n'}, {"lossy", no_argument, NULL, 'L'},
		{"max-bytes", required_argument, NULL, 'M'}, {"db", required_argument, NULL, 'D'},
		{"color", required_argument, NULL, 'C'}, {"colour", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	otz_translate_options to = OTZ_TRANSLATE_OPTIONS_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	const char *db = NULL, *color = "auto";
	size_t max_bytes = DEFAULT_MAX_BYTES;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:t:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				ro.format = OTZ_FORMAT_TEXT;
			else if (!strcmp(optarg, "json"))
				ro.format = OTZ_FORMAT_JSON;
			else if (!strcmp(optarg, "md") || !strcmp(optarg, "markdown"))
				ro.format = OTZ_FORMAT_MD;
			else
				return cli_usage_error("translate", "unknown format '%s' (text, json, md)",
				                       optarg);
			break;
		case 't':
			to.title = optarg;
			break;
		case 'n': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 16)
				return cli_usage_error("translate", "--related takes a number from 1 to 16");
			to.related = (size_t)v;
			break;
		}
		case 'L':
			to.lossy = 1;
			break;
		case 'M': {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (*end || v == 0)
				return cli_usage_error("translate", "--max-bytes takes a positive number");
			max_bytes = (size_t)v;
			break;
		}
		case 'D':
			db = optarg;
			break;
		case 'C':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				return cli_usage_error("translate", "--color takes auto, always or never");
			color = optarg;
			break;
		case 'h':
			help(stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("translate", "bad option");
		}
	}
	int nfiles = argc - optind;
	if (nfiles == 0 && isatty(STDIN_FILENO)) {
		help(stderr);
		return EXIT_USAGE;
	}
	ro.color = cli_want_color(color, stdout);

	otz_engine *e = NULL;
	otz_session *s = NULL;
	int rc = cli_load_engine(db, &e, 0);
	if (rc)
		return rc;
	if (otz_session_new(&s, e)) {
		cli_err("out of memory");
		otz_engine_free(e);
		return EXIT_INTERNAL;
	}
	int worst = EXIT_OK, printed = 0;
	for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
		const char *path = nfiles ? argv[optind + i] : NULL;
		const char *name = path && strcmp(path, "-") ? path : "<stdin>";
		char *buf = NULL;
		size_t len = 0;
		otz_record *r = NULL;
		otz_buf out = OTZ_BUF_INIT;
		otz_error err = {0, ""};
		int frc = cli_read_input(path, max_bytes, &buf, &len);
		if (frc == EXIT_OK) {
			int t = otz_translate(&r, s, buf, len, &to, &err);
			if (t == 0)
				t = otz_render(&out, r, &ro, &err);
			if (t) {
				if (t == OTZ_EUTF8 && !to.lossy)
					cli_err("%s: %s (use --lossy to replace bad bytes)", name, err.msg);
				else
					cli_err("%s: %s", name, err.msg);
				frc = cli_exit_for(t);
			} else {
				if (ro.format != OTZ_FORMAT_JSON && printed)
					fputc('\n', stdout);
				frc = cli_write_all(stdout, out.ptr, out.len);
				printed = 1;
				if (!frc && fflush(stdout) != 0)
					frc = EXIT_INPUT;
			}
		}
		if (frc > worst)
			worst = frc;
		otz_buf_dispose(&out);
		otz_record_free(r);
		free(buf);
	}
	otz_session_free(s);
	otz_engine_free(e);
	return worst;
}
