/*
 * cmd_specimens.c - `otiose specimens [--search WORDS]` lists the stored
 * specimens; `otiose specimens show NAME` prints one as a file record.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
	fprintf(f, "usage: otiose specimens [--search WORDS] [--family FAMILY] [--db PATH]\n"
	           "       otiose specimens show [--format FMT] NAME\n"
	           "\n"
	           "List the specimens in the corpus database (title, family, file, aliases),\n"
	           "or those whose title or aliases contain every word of WORDS, or those of\n"
	           "one family; 'show' prints the one whose title, slug or file name matches\n"
	           "NAME as a file record.\n"
	           "\n"
	           "options:\n"
	           "  -s, --search WORDS  filter by words (case-insensitive)\n"
	           "      --family NAME   only the specimens of this family (engineering, data,\n"
	           "                      product, sales, marketing, customer, people, finance,\n"
	           "                      legal, operations, hardware, science, health, public,\n"
	           "                      trades, retail, education, executive)\n"
	           "  -f, --format FMT    for show: text (default), json, md or html\n"
	           "      --db PATH       the corpus database\n"
	           "  -h, --help          show this help\n");
}

static int contains_ci(const char *hay, const char *needle, size_t n)
{
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

static int matches(const otz_record *r, const char *file, const char *words)
{
	const char *w = words;
	while (*w) {
		while (*w == ' ')
			w++;
		size_t n = strcspn(w, " ");
		if (!n)
			break;
		int hit = contains_ci(r->title, w, n) || contains_ci(file, w, n);
		for (size_t i = 0; !hit && i < r->naliases; i++)
			hit = contains_ci(r->aliases[i], w, n);
		if (!hit)
			return 0;
		w += n;
	}
	return 1;
}

int cmd_specimens(int argc, char **argv)
{
	static const struct option opts[] = {{"search", required_argument, NULL, 's'},
	                                     {"family", required_argument, NULL, 'F'},
	                                     {"format", required_argument, NULL, 'f'},
	                                     {"db", required_argument, NULL, 'D'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *search = NULL, *db = NULL, *family = NULL;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': search = optarg; break;
		case 'F':
			if (otz_family_find(optarg) < 0)
				return cli_usage_error("specimens", "no family '%s'", optarg);
			family = optarg;
			break;
		case 'D': db = optarg; break;
		case 'f':
			if (cli_parse_format(optarg, &ro.format))
				return cli_usage_error("specimens", CLI_FORMAT_ERROR, optarg);
			break;
		case 'h': help(stdout); return EXIT_OK;
		default: return cli_usage_error("specimens", "bad option");
		}
	}
	int show = optind < argc && strcmp(argv[optind], "show") == 0;
	if (show && argc - optind != 2)
		return cli_usage_error("specimens", "'show' takes one NAME");
	if (!show && optind < argc)
		return cli_usage_error("specimens", "unexpected argument '%s'", argv[optind]);
	otz_engine *e = NULL;
	int rc = cli_load_engine(db, &e, 0);
	if (rc)
		return rc;
	size_t n = otz_engine_specimen_count(e), shown = 0;
	if (show) {
		const char *name = argv[optind + 1];
		char *slug = otz_slugify(name);
		for (size_t i = 0; i < n && !shown; i++) {
			const otz_record *r = otz_engine_specimen(e, i);
			const char *file = otz_engine_specimen_file(e, i);
			if (strcasecmp(r->title, name) && strcmp(file, name) &&
			    !(slug && !strcmp(r->slug, slug)))
				continue;
			otz_buf out = OTZ_BUF_INIT;
			otz_error err = {0, ""};
			ro.color = cli_want_color("auto", stdout);
			if (otz_render(&out, r, &ro, &err)) {
				cli_err("%s", err.msg);
				rc = EXIT_INTERNAL;
			} else {
				rc = cli_write_all(stdout, out.ptr, out.len);
			}
			otz_buf_dispose(&out);
			shown = 1;
		}
		free(slug);
		if (!shown) {
			cli_err("no specimen named '%s' (see 'otiose specimens')", name);
			rc = EXIT_INPUT;
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			const otz_record *r = otz_engine_specimen(e, i);
			const char *file = otz_engine_specimen_file(e, i);
			if ((search && !matches(r, file, search)) ||
			    (family && (!r->family || strcmp(r->family, family))))
				continue;
			printf("%-48s %-12s %s\n", r->title, r->family ? r->family : "-", file);
			if (r->naliases) {
				printf("    aliases:");
				for (size_t k = 0; k < r->naliases; k++)
					printf("%s %s", k ? ";" : "", r->aliases[k]);
				printf("\n");
			}
			shown++;
		}
		fprintf(stderr, "otiose: %zu of %zu specimens\n", shown, n);
		if ((search || family) && !shown)
			rc = EXIT_INPUT;
	}
	otz_engine_free(e);
	return rc;
}
