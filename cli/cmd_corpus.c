/*
 * cmd_corpus.c - `otiose corpus build` and `otiose corpus import`.
 *
 * build: compiles rules/ and corpus/ into one SQLite file (written beside
 * and renamed into place by the engine, so readers never see half of it).
 * import: reads a file record as scraped (the seed's format) and writes it
 * back in the corpus's canonical form, ready to be saved as a specimen.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* A rule diagnostic from the engine, on its own line ("file:line: message"). */
static void print_diag(void *ctx, const char *msg)
{
	cli_note("%s", msg);
	++*(size_t *)ctx;
}

static void help_build(FILE *f)
{
	fprintf(f, "usage: otiose corpus build [--rules DIR] [--corpus DIR] [-o DB]\n"
	           "\n"
	           "Compile every *.rules file of the rules folder and every *.txt record of\n"
	           "the corpus folder into one SQLite file.  Each folder defaults to ./rules\n"
	           "(./corpus), else the one beside the binary, else the one installed with it\n"
	           "in PREFIX/share/otiose.  The database defaults to otiose.db beside the\n"
	           "binary, where 'translate' looks first; built from the installed folders,\n"
	           "to PREFIX/share/otiose/otiose.db.  Every rule's examples are run; any\n"
	           "failure stops the build with file:line and leaves the old database\n"
	           "untouched.\n"
	           "\n"
	           "options:\n"
	           "      --rules DIR    rule files\n"
	           "      --corpus DIR   specimen records\n"
	           "  -o, --output DB    database to write\n"
	           "      --fix-related  rewrite each specimen's [11] RELATED SPECIMENS from the\n"
	           "                     scores (without it, disagreements are warnings); a\n"
	           "                     record not in canonical form (the seed, as filed) keeps\n"
	           "                     its [11], and a disagreement there is only a note\n"
	           "  -q, --quiet        no summary\n"
	           "  -h, --help         show this help\n");
}

static void help_import(FILE *f)
{
	fprintf(f, "usage: otiose corpus import [-o FILE] [--partial] [--max-bytes N] RECORD.txt\n"
	           "\n"
	           "Read a file record in the seed's format, as scraped from a page (aliases run\n"
	           "together, 'FLIGHT RISK:85%%HIGH RISK'), and write it in the corpus's canonical\n"
	           "form to FILE (atomically) or standard output.  Save it in corpus/ and run\n"
	           "'otiose corpus build' to make it a specimen.\n"
	           "\n"
	           "options:\n"
	           "  -o, --output FILE  where to write (default: standard output)\n"
	           "      --partial      import a record that lacks some of sections [01]-[10]\n"
	           "                     (without it, such a record is refused, exit 1)\n"
	           "      --max-bytes N  refuse a record larger than N bytes (default 8M; K, M\n"
	           "                     and G suffixes)\n"
	           "  -h, --help         show this help\n");
}

/* How far a stored percentage may drift from the computed one. */
#define RELATED_SLACK 5

static int same_related(const otz_record *r, const otz_engine *e, const otz_match *m, size_t n)
{
	if (r->nrelated != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const otz_record *sp = otz_engine_specimen(e, m[i].specimen);
		if (strcmp(r->related[i].title, sp->title) ||
		    abs(r->related[i].percent - m[i].percent) > RELATED_SLACK)
			return 0;
	}
	return 1;
}

/*
 * A specimen's file, read and parsed.  canonical: it renders back byte for
 * byte, so corpus build may rewrite its [11]; a record kept as it was filed
 * or scraped (the seed) does not, and its [11] is left as it was written.
 */
typedef struct corpus_file {
	char path[PATH_MAX];
	cli_input in;
	otz_record *r;
	int canonical;
} corpus_file;

static void corpus_file_close(corpus_file *cf)
{
	otz_record_free(cf->r);
	cli_input_dispose(&cf->in);
	cf->r = NULL;
}

/* EXIT_OK with *cf filled (corpus_file_close it), or an exit code after saying why. */
static int corpus_file_open(corpus_file *cf, const char *corpus, const char *file)
{
	otz_buf back = OTZ_BUF_INIT;
	otz_error err = {0, ""};
	otz_render_options file_form = OTZ_RENDER_OPTIONS_INIT;
	int rc;
	file_form.format = OTZ_FORMAT_RECORD; /* the form corpus files are kept in */
	memset(cf, 0, sizeof(*cf));
	if ((size_t)snprintf(cf->path, sizeof(cf->path), "%s/%s", corpus, file) >= sizeof(cf->path)) {
		cli_err("%s/%s: path too long", corpus, file);
		return EXIT_INPUT;
	}
	cli_read_opts ro = {OTZ_DEFAULT_MAX_BYTES, CLI_INPUT_TXT, 0}; /* a record, whatever its name */
	if ((rc = cli_input_load(cf->path, &ro, &cf->in)))
		return rc;
	if (otz_record_parse(&cf->r, cf->in.text, cf->in.len, cf->path, &err) ||
	    otz_render(&back, cf->r, &file_form, &err)) {
		cli_err("%s", err.msg);
		corpus_file_close(cf);
		otz_buf_dispose(&back);
		return EXIT_INPUT;
	}
	cf->canonical = back.len == cf->in.len && memcmp(back.ptr, cf->in.text, back.len) == 0;
	otz_buf_dispose(&back);
	return EXIT_OK;
}

/* Rewrite a corpus file's [11] with the computed list; only files that
 * render back byte for byte (canonical ones, not scraped ones) are touched. */
static int fix_related(const char *corpus, const char *file, const otz_engine *e,
                       const otz_match *m, size_t n, int *changed)
{
	char why[1024];
	corpus_file cf;
	otz_buf after = OTZ_BUF_INIT;
	otz_related rel[16];
	int rc;
	*changed = 0;
	if ((rc = corpus_file_open(&cf, corpus, file)))
		return rc;
	otz_record *r = cf.r;
	if (!cf.canonical) {
		fprintf(stderr, "otiose: %s is not in canonical form (a scraped record?); its [11] was left as it is\n",
		        cf.path);
		goto done;
	}
	for (size_t i = 0; i < n && i < 16; i++) {
		const otz_record *sp = otz_engine_specimen(e, m[i].specimen);
		memset(&rel[i], 0, sizeof(rel[i]));
		rel[i].title = sp->title;
		rel[i].percent = m[i].percent;
		rel[i].score = m[i].score;
		/* Keep the writer's line for a role already listed. */
		for (size_t k = 0; k < r->nrelated; k++)
			if (strcmp(r->related[k].title, sp->title) == 0)
				rel[i].text = r->related[k].text;
		if (!rel[i].text)
			rel[i].text = sp->nautopsy ? sp->autopsy[0].translation : sp->org_note;
	}
	otz_related *saved = r->related;
	size_t nsaved = r->nrelated;
	r->related = rel;
	r->nrelated = n < 16 ? n : 16;
	otz_error err = {0, ""};
	otz_render_options file_form = OTZ_RENDER_OPTIONS_INIT;
	file_form.format = OTZ_FORMAT_RECORD;
	int e2 = otz_render(&after, r, &file_form, &err);
	r->related = saved;
	r->nrelated = nsaved;
	if (e2) {
		cli_err("%s", err.msg);
		rc = EXIT_INTERNAL;
		goto done;
	}
	if (cli_write_atomic(cf.path, after.ptr, after.len, why, sizeof(why))) {
		cli_err("%s", why);
		rc = EXIT_INPUT;
	} else {
		*changed = 1;
	}
done:
	otz_buf_dispose(&after);
	corpus_file_close(&cf);
	return rc;
}

/* A title problem the engine found (a title claimed twice, a generic
 * alias), as a warning about corpus/FILE. */
static void title_warning(void *ctx, const char *msg)
{
	cli_note("%s/%s", (const char *)ctx, msg);
}

static void check_aliases(const otz_engine *e, const char *corpus)
{
	otz_engine_specimen_checks(e, title_warning, (void *)corpus);
}

/* Compare every specimen's stored [11] with the scores; warn, or fix. */
static int check_related(const otz_engine *e, const char *corpus, int fix, int quiet)
{
	size_t n = otz_engine_specimen_count(e), bad = 0, fixed = 0;
	int rc = EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		otz_match m[3];
		size_t nm = 0;
		const otz_record *r = otz_engine_specimen(e, i);
		otz_engine_related(e, i, m, 3, &nm);
		if (same_related(r, e, m, nm))
			continue;
		if (fix) {
			bad++;
			int changed = 0;
			int f = fix_related(corpus, otz_engine_specimen_file(e, i), e, m, nm, &changed);
			if (f)
				rc = f;
			fixed += changed;
			continue;
		}
		if (quiet)
			continue;
		/* A record kept as it was filed (the seed, or one scraped) keeps
		 * its [11]: said once, as a note, and not counted among those that
		 * --fix-related would rewrite. */
		corpus_file cf;
		int f = corpus_file_open(&cf, corpus, otz_engine_specimen_file(e, i));
		if (f) {
			rc = f;
			continue;
		}
		int canonical = cf.canonical;
		corpus_file_close(&cf);
		bad += canonical;
		char *lists = NULL, *says = NULL;
		for (size_t k = 0; k < r->nrelated; k++) {
			char *t = lists;
			if (asprintf(&lists, "%s%s '%s' %d%%", t ? t : "", k ? "," : "",
			             r->related[k].title, r->related[k].percent) < 0)
				lists = NULL;
			free(t);
		}
		for (size_t k = 0; k < nm; k++) {
			char *t = says;
			if (asprintf(&says, "%s%s '%s' %d%%", t ? t : "", k ? "," : "",
			             otz_engine_specimen(e, m[k].specimen)->title, m[k].percent) < 0)
				says = NULL;
			free(t);
		}
		if (canonical)
			cli_note("%s/%s: warning: [11] lists%s; the scores say%s", corpus,
			         otz_engine_specimen_file(e, i), lists ? lists : "", says ? says : "");
		else
			cli_note("%s/%s: note: [11] is kept as filed, since the record is not in canonical "
			         "form: it lists%s; the scores say%s",
			         corpus, otz_engine_specimen_file(e, i), lists ? lists : "",
			         says ? says : "");
		free(lists);
		free(says);
	}
	if (bad && !fix && !quiet)
		cli_err("[11] of %zu specimens disagrees with the scores; "
		        "'otiose corpus build --fix-related' rewrites them", bad);
	if (fix && !quiet)
		cli_err("rewrote [11] of %zu of %zu disagreeing specimens", fixed, bad);
	return rc;
}

static int corpus_build(int argc, char **argv)
{
	static const struct option opts[] = {{"rules", required_argument, NULL, 'r'},
	                                     {"corpus", required_argument, NULL, 'c'},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {"quiet", no_argument, NULL, 'q'},
	                                     {"fix-related", no_argument, NULL, 'F'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *rules = NULL, *corpus = NULL, *output = NULL;
	int quiet = 0, fix = 0, c;
	char exe[PATH_MAX], rbuf[PATH_MAX], cbuf[PATH_MAX], obuf[PATH_MAX + 16];
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rules = optarg; break;
		case 'c': corpus = optarg; break;
		case 'o': output = optarg; break;
		case 'q': quiet = 1; break;
		case 'F': fix = 1; break;
		case 'h': help_build(stdout); return EXIT_OK;
		default: return cli_usage_error("corpus build", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("corpus build", "unexpected argument '%s'", argv[optind]);
	int rules_installed = 0, corpus_installed = 0;
	if (!rules) {
		if (cli_default_dir("rules", rbuf, sizeof(rbuf), &rules_installed))
			return EXIT_INPUT;
		rules = rbuf;
	}
	if (!corpus) {
		if (cli_default_dir("corpus", cbuf, sizeof(cbuf), &corpus_installed))
			return EXIT_INPUT;
		corpus = cbuf;
	}
	if (!output) {
		/* An installed otiose's database lives beside its installed rules
		 * and corpus, where it looks when none is beside the binary. */
		if (rules_installed && corpus_installed)
			cli_share_dir(exe, sizeof(exe));
		else
			cli_exe_dir(exe, sizeof(exe));
		snprintf(obuf, sizeof(obuf), "%s/otiose.db", exe);
		output = obuf;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	otz_engine *e = NULL;
	otz_error err = {0, ""};
	otz_build_options bo = OTZ_BUILD_OPTIONS_INIT;
	size_t ndiags = 0;
	bo.diag = print_diag;
	bo.diag_ctx = &ndiags;
	int rc = otz_engine_from_sources(&e, rules, corpus, &bo, &err);
	if (rc == OTZ_ERULE) {
		/* Every diagnostic has been shown, not only the first. */
		if (ndiags == 0)
			cli_err("%s", err.msg);
		cli_err("corpus build failed; %s left as it was", output);
		return EXIT_INPUT;
	}
	if (rc == 0)
		rc = otz_engine_save(e, output, &err);
	if (rc) {
		cli_err("%s", err.msg);
		cli_err("corpus build failed; %s left as it was", output);
		otz_engine_free(e);
		return cli_exit_for(rc);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!quiet)
		check_aliases(e, corpus);
	rc = check_related(e, corpus, fix, quiet);
	if (!quiet) {
		const otz_ruleset *rs = otz_engine_rules(e);
		cli_err("wrote %s: %zu rules (%zu patterns), %zu specimens, %.0f ms",
		        output, otz_ruleset_count(rs), otz_ruleset_pattern_count(rs),
		        otz_engine_specimen_count(e),
		        (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
	otz_engine_free(e);
	return rc;
}

static int corpus_import(int argc, char **argv)
{
	static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
	                                     {"partial", no_argument, NULL, 'p'},
	                                     {"max-bytes", required_argument, NULL, 'M'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *output = NULL;
	size_t max_bytes = OTZ_DEFAULT_MAX_BYTES;
	int c, partial = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'p': partial = 1; break;
		case 'M':
			if (cli_max_bytes_option("corpus import", optarg, &max_bytes))
				return EXIT_USAGE;
			break;
		case 'h': help_import(stdout); return EXIT_OK;
		default: return cli_usage_error("corpus import", "bad option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("corpus import", "expected one RECORD file");
	const char *path = argv[optind];
	cli_input in;
	cli_read_opts read = {max_bytes, CLI_INPUT_TXT, 0}; /* a record is plain text, whatever its name */
	int rc = cli_input_load(path, &read, &in);
	if (rc)
		return rc;
	otz_record *r = NULL;
	otz_error err = {0, ""};
	otz_buf out = OTZ_BUF_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	ro.format = OTZ_FORMAT_RECORD; /* a specimen, in the form of the corpus's files */
	int e = otz_record_parse(&r, in.text, in.len, strcmp(path, "-") ? path : "<stdin>", &err);
	if (e == 0)
		e = otz_render(&out, r, &ro, &err);
	if (e) {
		cli_err("%s", err.msg);
		rc = cli_exit_for(e);
		goto done;
	}
	/* [01]-[10] are the specimen; [11] is computed by corpus build. */
	char missing[64] = "";
	for (int sec = 1; sec <= 10; sec++)
		if (!(r->sections & (1u << sec)))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " [%02d]", sec);
	if (*missing && !partial) {
		cli_err("%s: the record lacks section%s%s; not imported (--partial imports what is "
		        "there)",
		        path, strchr(missing + 1, ' ') ? "s" : "", missing);
		rc = EXIT_INPUT;
		goto done;
	}
	if (*missing)
		cli_err("%s: warning: the record lacks section%s%s", path,
		        strchr(missing + 1, ' ') ? "s" : "", missing);
	if (output) {
		char why[1024];
		if (cli_write_atomic(output, out.ptr, out.len, why, sizeof(why))) {
			cli_err("%s", why);
			rc = EXIT_INPUT;
			goto done;
		}
	} else {
		rc = cli_write_all(stdout, out.ptr, out.len);
	}
	cli_err("imported '%s': %zu aliases, %zu habitat lines, %zu metrics, %zu weapons, "
	        "%zu autopsy pairs, %zu log entries, %zu complaints, %zu related",
	        r->title, r->naliases, r->nhabitat_lines, r->nmetrics, r->nweapons, r->nautopsy,
	        r->nlog, r->ncomplaints, r->nrelated);
done:
	otz_buf_dispose(&out);
	otz_record_free(r);
	cli_input_dispose(&in);
	return rc;
}

static void help_add(FILE *f)
{
	fprintf(f, "usage: otiose corpus add --title TITLE [--corpus DIR] [--db PATH]\n"
	           "                         [--input-format F] JD.txt\n"
	           "\n"
	           "Draft a new specimen from a job description: translate it as TITLE and save\n"
	           "the record as DIR/NNN_slug.txt (DIR defaults to ./corpus, else the corpus\n"
	           "beside the binary, else the one installed with it), numbered after the\n"
	           "last one there.  Edit the draft into shape (it borrows sections from its\n"
	           "closest specimen, marked as such), then run 'otiose corpus build'.  An\n"
	           "existing specimen file is never overwritten.\n"
	           "\n"
	           "options:\n"
	           "  -t, --title TITLE  the role's title (required)\n"
	           "      --corpus DIR   the corpus folder to write into\n"
	           "      --db PATH      the corpus database to translate with\n"
	           CLI_INPUT_FORMAT_HELP
	           "  -h, --help         show this help\n");
}

static int corpus_add(int argc, char **argv)
{
	static const struct option opts[] = {{"title", required_argument, NULL, 't'},
	                                     {"corpus", required_argument, NULL, 'c'},
	                                     {"db", required_argument, NULL, 'D'},
	                                     CLI_INPUT_FORMAT_OPTION,
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *title = NULL, *corpus = NULL, *db = NULL;
	cli_read_opts read = CLI_READ_OPTS_INIT;
	char cbuf[PATH_MAX];
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': title = optarg; break;
		case 'c': corpus = optarg; break;
		case 'D': db = optarg; break;
		case CLI_OPT_INPUT_FORMAT:
			if (cli_input_format_option("corpus add", optarg, &read.format))
				return EXIT_USAGE;
			break;
		case 'h': help_add(stdout); return EXIT_OK;
		default: return cli_usage_error("corpus add", "bad option");
		}
	}
	if (!title)
		return cli_usage_error("corpus add", "--title is required");
	if (!title[strspn(title, " \t")])
		return cli_usage_error("corpus add", "--title is empty; give the role's title");
	if (argc - optind != 1)
		return cli_usage_error("corpus add", "expected one JD file");
	if (!corpus) {
		if (cli_default_dir("corpus", cbuf, sizeof(cbuf), NULL))
			return EXIT_INPUT;
		corpus = cbuf;
	}
	if (cli_need_dir(corpus))
		return EXIT_INPUT;
	char *slug = NULL, path[PATH_MAX + 320];
	cli_input in;
	otz_engine *e = NULL;
	otz_session *s = NULL;
	otz_record *r = NULL, *check = NULL;
	otz_buf out = OTZ_BUF_INIT;
	otz_error err = {0, ""};
	int rc = cli_input_load(argv[optind], &read, &in);
	if (rc)
		return rc;
	if ((rc = cli_load_engine(db, &e, 0)))
		goto done;
	if (otz_session_new(&s, e)) {
		cli_err("out of memory");
		rc = EXIT_INTERNAL;
		goto done;
	}
	otz_translate_options to = OTZ_TRANSLATE_OPTIONS_INIT;
	to.title = title;
	int t = otz_translate(&r, s, in.text, in.len, &to, &err);
	otz_render_options file_form = OTZ_RENDER_OPTIONS_INIT;
	file_form.format = OTZ_FORMAT_RECORD; /* the form corpus files are kept in */
	if (t == 0)
		t = otz_render(&out, r, &file_form, &err);
	/* The draft must read back as a record, or it is no specimen. */
	if (t == 0)
		t = otz_record_parse(&check, out.ptr, out.len, "draft", &err);
	if (t) {
		cli_err("%s: %s", argv[optind], err.msg);
		rc = cli_exit_for(t);
		goto done;
	}
	/* Next number after the highest NNN_ in the folder. */
	int next = 0;
	DIR *d = opendir(corpus);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		int n = 0, k = 0;
		while (k < 3 && de->d_name[k] >= '0' && de->d_name[k] <= '9')
			n = n * 10 + (de->d_name[k++] - '0');
		if (k == 3 && de->d_name[3] == '_' && n >= next)
			next = n + 1;
	}
	if (d)
		closedir(d);
	slug = otz_slugify(title);
	for (char *p = slug; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	snprintf(path, sizeof(path), "%s/%03d_%s.txt", corpus, next, slug ? slug : "role");
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		cli_err("%s: %s", path, strerror(errno));
		rc = EXIT_INPUT;
		goto done;
	}
	FILE *f = fdopen(fd, "wb");
	if (!f || fwrite(out.ptr, 1, out.len, f) != out.len || fclose(f) != 0) {
		cli_err("%s: %s", path, strerror(errno));
		unlink(path);
		rc = EXIT_INPUT;
		goto done;
	}
	printf("%s\n", path);
	cli_err("drafted '%s' (%zu translations, closest specimen %s); edit it, then "
	        "run 'otiose corpus build'",
	        title, r->nautopsy, r->nrelated ? r->related[0].title : "none");
done:
	otz_buf_dispose(&out);
	otz_record_free(check);
	otz_record_free(r);
	otz_session_free(s);
	otz_engine_free(e);
	free(slug);
	cli_input_dispose(&in);
	return rc;
}

int cmd_corpus(int argc, char **argv)
{
	static const cli_command subcommands[] = {
		{"build", corpus_build, "compile rule files and specimen records into the corpus database", 0},
		{"import", corpus_import, "read a scraped file record and write it as a corpus specimen", 0},
		{"add", corpus_add, "draft a new specimen from a job description, for a person to edit", 0},
		{NULL, NULL, NULL, 0}};
	return cli_dispatch("corpus", subcommands, argc, argv);
}
