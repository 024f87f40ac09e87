/*
 * cmd_specimens.c - `otiose specimens [--search WORDS]` lists the stored
 * specimens, as text or as a JSON array; `otiose specimens show NAME` prints
 * one as a file record, found by its title, slug, file name or an alias.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
	fprintf(f, "usage: otiose specimens [--search WORDS] [--family FAMILY] [--format FMT] [--db PATH]\n"
	           "       otiose specimens show [--format FMT] NAME\n"
	           "\n"
	           "List the specimens in the corpus database (title, family, file, aliases),\n"
	           "or those whose title or aliases contain every word of WORDS, or those of\n"
	           "one family; 'show' prints one as a file record (see 'otiose specimens show\n"
	           "--help').\n"
	           "\n"
	           "options:\n"
	           "  -s, --search WORDS  filter by words (case-insensitive)\n"
	           "      --family NAME   only the specimens of this family (engineering, data,\n"
	           "                      product, sales, marketing, customer, people, finance,\n"
	           "                      legal, operations, hardware, science, health, public,\n"
	           "                      trades, retail, education, executive)\n"
	           "  -f, --format FMT    text (default) or json: an array of objects with the\n"
	           "                      title, family (null if none), file and aliases\n"
	           "      --db PATH       the corpus database\n"
	           "  -h, --help          show this help\n");
}

static void help_show(FILE *f)
{
	fprintf(f, "usage: otiose specimens show [--format FMT] [--db PATH] NAME\n"
	           "\n"
	           "Print one specimen as a file record.  NAME is its title, its slug\n"
	           "(SCRUM-MASTER), its file name (with or without .txt) or one of its\n"
	           "aliases, in any case and punctuation (\"chief architect\" finds Enterprise\n"
	           "Architect).  A title wins over an alias; an alias that two specimens share\n"
	           "is refused with both named, as is a NAME no specimen has (exit 1).\n"
	           "\n"
	           "options:\n"
	           "  -f, --format FMT    text (default), json, md or html\n"
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

/* Is s, as a slug, the slug `want` (NULL or empty matches nothing)? */
static int same_slug(const char *s, const char *want)
{
	if (!s || !want || !*want)
		return 0;
	char *k = otz_slugify(s);
	int same = k && strcmp(k, want) == 0;
	free(k);
	return same;
}

/* Does specimen i go by `name` itself: its title (in any case), its slug,
 * or its file name, with or without ".txt"? */
static int named(const otz_engine *e, size_t i, const char *name, const char *slug)
{
	const otz_record *r = otz_engine_specimen(e, i);
	const char *file = otz_engine_specimen_file(e, i);
	size_t fl = strlen(file), nl = strlen(name);
	return strcasecmp(r->title, name) == 0 || strcmp(file, name) == 0 ||
	       (fl == nl + 4 && strncmp(file, name, nl) == 0 && strcmp(file + nl, ".txt") == 0) ||
	       (slug && *slug && r->slug && strcmp(r->slug, slug) == 0);
}

/* The alias of specimen i that is `name` as a slug, or NULL. */
static const char *alias_named(const otz_engine *e, size_t i, const char *slug)
{
	const otz_record *r = otz_engine_specimen(e, i);
	for (size_t k = 0; k < r->naliases; k++)
		if (same_slug(r->aliases[k], slug))
			return r->aliases[k];
	return NULL;
}

/*
 * The specimen `name` designates, into *found: by title, slug or file name
 * first, else by alias.  EXIT_OK, or EXIT_INPUT after saying that no
 * specimen goes by that name or that several do (naming them), or
 * EXIT_INTERNAL.
 */
static int find_specimen(const otz_engine *e, const char *name, size_t *found)
{
	size_t n = otz_engine_specimen_count(e), nhit = 0, *hit = calloc(n ? n : 1, sizeof(*hit));
	char *slug = otz_slugify(name);
	int rc = EXIT_INPUT, by_alias = 0;
	if (!hit || !slug) {
		cli_err("out of memory");
		rc = EXIT_INTERNAL;
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (named(e, i, name, slug))
			hit[nhit++] = i;
	if (nhit == 0) {
		by_alias = 1;
		for (size_t i = 0; i < n; i++)
			if (alias_named(e, i, slug))
				hit[nhit++] = i;
	}
	if (nhit == 1) {
		*found = hit[0];
		rc = EXIT_OK;
	} else if (nhit == 0) {
		cli_err("no specimen named '%s' by its title, an alias or its file name (see "
		        "'otiose specimens --search WORDS')",
		        name);
	} else {
		otz_buf b = OTZ_BUF_INIT;
		for (size_t k = 0; k < nhit; k++) {
			const otz_record *r = otz_engine_specimen(e, hit[k]);
			if (otz_buf_append(&b, k ? ", '" : "'") || otz_buf_append(&b, r->title) ||
			    otz_buf_append(&b, "' (") ||
			    otz_buf_append(&b, otz_engine_specimen_file(e, hit[k])) ||
			    otz_buf_append(&b, ")")) {
				rc = EXIT_INTERNAL;
				break;
			}
		}
		cli_err("'%s' is ambiguous: %zu specimens %s: %s; show one by its file name", name,
		        nhit, by_alias ? "list it as an alias" : "go by it",
		        b.ptr ? b.ptr : "");
		otz_buf_dispose(&b);
	}
done:
	free(slug);
	free(hit);
	return rc;
}

/* `specimens show NAME`: the specimen as a file record, in ro's format. */
static int show(const otz_engine *e, const char *name, otz_render_options *ro)
{
	size_t i;
	int rc = find_specimen(e, name, &i);
	if (rc)
		return rc;
	const otz_record *r = otz_engine_specimen(e, i);
	otz_buf out = OTZ_BUF_INIT;
	otz_error err = {0, ""};
	ro->color = cli_want_color("auto", stdout);
	if (otz_render(&out, r, ro, &err)) {
		cli_err("%s", err.msg);
		rc = EXIT_INTERNAL;
	} else {
		/* on a terminal, a text record wraps to its width */
		rc = cli_write_wrapped(stdout, out.ptr, out.len,
		                       ro->format == OTZ_FORMAT_TEXT ? cli_term_width(stdout) : 0);
	}
	otz_buf_dispose(&out);
	return rc;
}

/* One entry of the JSON list: what a line of the text list shows. */
static json_t *entry_json(const otz_record *r, const char *file)
{
	json_t *o = json_object(), *al = json_array();
	if (!o || !al || json_object_set_new(o, "title", json_string(r->title)) ||
	    json_object_set_new(o, "family", r->family ? json_string(r->family) : json_null()) ||
	    json_object_set_new(o, "file", json_string(file))) {
		json_decref(o);
		json_decref(al);
		return NULL;
	}
	for (size_t k = 0; k < r->naliases; k++)
		if (json_array_append_new(al, json_string(r->aliases[k]))) {
			json_decref(o);
			json_decref(al);
			return NULL;
		}
	json_object_set_new(o, "aliases", al);
	return o;
}

/* The list, or the specimens that match the search and the family, as text or JSON. */
static int list(const otz_engine *e, const char *search, const char *family, int as_json)
{
	size_t n = otz_engine_specimen_count(e), shown = 0;
	json_t *arr = as_json ? json_array() : NULL;
	int rc = EXIT_OK;
	if (as_json && !arr)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		const otz_record *r = otz_engine_specimen(e, i);
		const char *file = otz_engine_specimen_file(e, i);
		if ((search && !matches(r, file, search)) ||
		    (family && (!r->family || strcmp(r->family, family))))
			continue;
		shown++;
		if (as_json) {
			json_t *o = entry_json(r, file);
			if (!o || json_array_append_new(arr, o))
				goto oom;
			continue;
		}
		printf("%-48s %-12s %s\n", r->title, r->family ? r->family : "-", file);
		if (r->naliases) {
			printf("    aliases:");
			for (size_t k = 0; k < r->naliases; k++)
				printf("%s %s", k ? ";" : "", r->aliases[k]);
			printf("\n");
		}
	}
	if (as_json) {
		char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (!s)
			goto oom;
		rc = cli_write_all(stdout, s, strlen(s));
		if (!rc)
			rc = cli_write_all(stdout, "\n", 1);
		free(s);
	}
	json_decref(arr);
	fprintf(stderr, "otiose: %zu of %zu specimens\n", shown, n);
	if (!rc && (search || family) && !shown)
		rc = EXIT_INPUT;
	return rc;
oom:
	json_decref(arr);
	cli_err("out of memory");
	return EXIT_INTERNAL;
}

int cmd_specimens(int argc, char **argv)
{
	static const struct option opts[] = {{"search", required_argument, NULL, 's'},
	                                     {"family", required_argument, NULL, 'F'},
	                                     {"format", required_argument, NULL, 'f'},
	                                     {"db", required_argument, NULL, 'D'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *search = NULL, *db = NULL, *family = NULL, *format = NULL;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	int c, want_help = 0;
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
			format = optarg;
			break;
		case 'h': want_help = 1; break;
		default: return cli_usage_error("specimens", "bad option");
		}
	}
	int is_show = optind < argc && strcmp(argv[optind], "show") == 0;
	/* --help anywhere: the help of show when the command is show (help specimens show). */
	if (want_help) {
		if (is_show)
			help_show(stdout);
		else
			help(stdout);
		return EXIT_OK;
	}
	if (is_show && (search || family))
		return cli_usage_error("specimens show", "--search and --family go with the list, "
		                                         "not with 'show NAME'");
	if (is_show && argc - optind != 2)
		return cli_usage_error("specimens show", "'show' takes one NAME");
	if (!is_show && optind < argc)
		return cli_usage_error("specimens", "unexpected argument '%s'", argv[optind]);
	if (!is_show && format && ro.format != OTZ_FORMAT_TEXT && ro.format != OTZ_FORMAT_JSON)
		return cli_usage_error("specimens", "the list is written as text or json (--format %s "
		                                    "goes with 'show NAME')",
		                       format);
	otz_engine *e = NULL;
	int rc = cli_load_engine(db, &e, 0);
	if (rc)
		return rc;
	/* The engine reads each record when first asked for; both the list and
	 * the search for a name read them all, so a corrupt one is said here. */
	for (size_t i = 0; i < otz_engine_specimen_count(e); i++)
		if (!otz_engine_specimen(e, i)) {
			cli_err("the corpus database cannot give the record of specimen %s (corrupt, or out "
			        "of memory); rebuild it with 'otiose corpus build'",
			        otz_engine_specimen_file(e, i));
			otz_engine_free(e);
			return EXIT_INPUT;
		}
	if (is_show)
		rc = show(e, argv[optind + 1], &ro);
	else
		rc = list(e, search, family, ro.format == OTZ_FORMAT_JSON);
	otz_engine_free(e);
	return rc;
}
