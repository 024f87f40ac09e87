/*
 * cmd_bench.c - `otiose bench`: scoring throughput, whole pipeline and per
 * stage, on 1..N threads.
 *
 * Inputs are the specimens' own records (the bundled sample, by default),
 * postings generated from a fixed seed (--generate N), or the files of a
 * folder.  Each thread count gets a warm-up pass, then --runs timed passes;
 * the median pass is reported as JDs/s and MB/s, with the share of time in
 * each stage (normalize ... record, and rendering to a discarded buffer)
 * and the rule, pattern and specimen counts beside the figures.  The engine
 * is loaded once and shared; the passes run on the worker pool (pool.c),
 * each thread with its own session and its own tally of stage times.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../bench/gen.h"
#include "cli.h"

#define NSTAGES (OTZ_STAGE__COUNT + 1) /* the engine's stages, then render */

typedef struct input {
	char *text;
	size_t len;
} input;

/* The postings measured; handed to each function that needs them. */
typedef struct inputs {
	input *v;
	size_t n, cap, bytes;
} inputs;

static void help(FILE *f)
{
	fprintf(f, "usage: otiose bench [options] [FOLDER]\n"
	           "\n"
	           "Measure scoring throughput: the whole pipeline (normalize, segment, match,\n"
	           "translate, score, record, and rendering each record as the compact JSON\n"
	           "line 'translate --jsonl' writes, to a discarded buffer) over the specimens'\n"
	           "own records (the default), N generated postings, or the .txt, .md, .html and\n"
	           ".json files of FOLDER (as 'batch' reads them).  Each thread count gets a\n"
	           "warm-up pass and RUNS timed passes; the median is reported as JDs/s and MB/s\n"
	           "(what the stream paths get), the engine's MB/s without the rendering, and\n"
	           "each stage's share of the time.\n"
	           "\n"
	           "options:\n"
	           "  -g, --generate N    N generated postings (2-6 KB each) from the corpus\n"
	           "  -s, --seed S        generator seed (default 42)\n"
	           "  -w, --write DIR     write the generated postings to DIR and stop\n"
	           "  -j, --threads LIST  thread counts, e.g. 1,2 (default 1 and the core count)\n"
	           "  -r, --runs R        timed passes per thread count (default 5)\n"
	           "      --no-prefilter  run every pattern on every sentence (a baseline)\n"
	           "      --json          one JSON document instead of the table\n"
	           CLI_INPUT_FORMAT_HELP
	           "      --db PATH       the corpus database\n"
	           "  -h, --help          show this help\n");
}

/* Take text (malloc'ed) into the list; 0, or -1 when out of memory (text not taken). */
static int add_input(inputs *in, char *text, size_t len)
{
	if (cli_reserve(&in->v, &in->cap, in->n, sizeof(*in->v)))
		return -1;
	in->v[in->n++] = (input){text, len};
	in->bytes += len;
	return 0;
}

/* Add every input below dir; each that cannot be read is named on stderr and left out. */
static int add_folder(inputs *all, const char *dir, const cli_read_opts *ro)
{
	cli_walk w = {0};
	char path[PATH_MAX + 8];
	int rc = EXIT_OK;
	if (cli_walk_dir(dir, &w, NULL, 0)) {
		cli_err("out of memory walking %s", dir);
		rc = EXIT_INTERNAL;
		goto done;
	}
	for (size_t i = 0; i < w.errors.n; i++)
		cli_err("%s", w.errors.v[i]);
	for (size_t i = 0; i < w.n && rc == EXIT_OK; i++) {
		cli_input in;
		snprintf(path, sizeof(path), "%s/%s", dir, w.v[i].rel);
		if (cli_input_load(path, ro, &in))
			continue;
		if (add_input(all, in.text, in.len)) {
			cli_err("out of memory");
			rc = EXIT_INTERNAL;
			cli_input_dispose(&in);
			continue;
		}
		free(in.title);
	}
done:
	cli_walk_free(&w);
	return rc;
}

/* What one worker of a pass adds up. */
typedef struct tally {
	uint64_t stage_ns[NSTAGES];
	size_t failed;
	otz_buf out; /* the discarded rendering, reused */
} tally;

/* One pass: the inputs, and each worker's tally. */
typedef struct pass_ctx {
	const inputs *in;
	int no_prefilter;
	tally t[CLI_POOL_MAX];
} pass_ctx;

/* The pool's work: translate and render input i, timing the render. */
static void work(void *ctx, size_t worker, otz_session *s, size_t i)
{
	pass_ctx *pc = ctx;
	tally *t = &pc->t[worker];
	otz_translate_options to = OTZ_TRANSLATE_OPTIONS_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	otz_record *r = NULL;
	/* what the stream paths (translate --jsonl, the CSV and cluster runs)
	 * write for each posting */
	ro.format = OTZ_FORMAT_JSON;
	ro.compact = 1;
	to.lossy = 1;
	to.stage_ns = t->stage_ns;
	to.no_prefilter = pc->no_prefilter;
	if (otz_translate(&r, s, pc->in->v[i].text, pc->in->v[i].len, &to, NULL)) {
		t->failed++;
		return;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	t->out.len = 0;
	if (otz_render(&t->out, r, &ro, NULL))
		t->failed++;
	clock_gettime(CLOCK_MONOTONIC, &b);
	t->stage_ns[OTZ_STAGE__COUNT] +=
		(uint64_t)((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec));
	otz_record_free(r);
}

/* One pass over the inputs on n threads; wall time in seconds, or -1 (said on stderr). */
static double pass(const otz_engine *e, const inputs *in, int n, int no_prefilter,
                   uint64_t *stage_ns, size_t *failed)
{
	pass_ctx pc;
	char why[256];
	size_t done;
	struct timespec a, b;
	memset(&pc, 0, sizeof(pc));
	pc.in = in;
	pc.no_prefilter = no_prefilter;
	cli_pool pool = {e, (size_t)n, in->n, work, NULL, &pc, NULL};
	clock_gettime(CLOCK_MONOTONIC, &a);
	int rc = cli_pool_run(&pool, &done, why, sizeof(why));
	clock_gettime(CLOCK_MONOTONIC, &b);
	for (int t = 0; t < n && t < CLI_POOL_MAX; t++) {
		for (int k = 0; k < NSTAGES; k++)
			stage_ns[k] += pc.t[t].stage_ns[k];
		*failed += pc.t[t].failed;
		otz_buf_dispose(&pc.t[t].out);
	}
	if (rc) {
		cli_err("%s", why);
		return -1;
	}
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int write_generated(const inputs *in, const char *dir)
{
	char p[PATH_MAX], why[1024];
	for (size_t i = 0; i < in->n; i++) {
		snprintf(p, sizeof(p), "%s/%06zu.txt", dir, i + 1);
		if (cli_write_atomic(p, in->v[i].text, in->v[i].len, why, sizeof(why))) {
			cli_err("%s", why);
			return EXIT_INPUT;
		}
	}
	cli_err("wrote %zu postings (%.1f MB) to %s", in->n, (double)in->bytes / 1e6, dir);
	return EXIT_OK;
}

int cmd_bench(int argc, char **argv)
{
	static const struct option opts[] = {
		{"generate", required_argument, NULL, 'g'}, {"seed", required_argument, NULL, 's'},
		{"write", required_argument, NULL, 'w'},    {"threads", required_argument, NULL, 'j'},
		{"runs", required_argument, NULL, 'r'},     {"no-prefilter", no_argument, NULL, 'P'},
		{"json", no_argument, NULL, 'J'},           {"db", required_argument, NULL, 'D'},
		CLI_INPUT_FORMAT_OPTION,                    {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	cli_read_opts ro = CLI_READ_OPTS_INIT;
	long generate = 0, runs = 5;
	unsigned long long seed = 42;
	const char *write_dir = NULL, *db = NULL, *threads = NULL;
	int no_prefilter = 0, json = 0, c;
	char *end;
	optind = 1;
	while ((c = getopt_long(argc, argv, "g:s:w:j:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'g':
			generate = strtol(optarg, &end, 10);
			if (*end || generate < 1)
				return cli_usage_error("bench", "--generate takes a positive number");
			break;
		case 's':
			seed = strtoull(optarg, &end, 10);
			if (*end)
				return cli_usage_error("bench", "--seed takes a number");
			break;
		case 'w': write_dir = optarg; break;
		case 'j': threads = optarg; break;
		case 'r':
			runs = strtol(optarg, &end, 10);
			if (*end || runs < 1 || runs > 1000)
				return cli_usage_error("bench", "--runs takes a number from 1 to 1000");
			break;
		case 'P': no_prefilter = 1; break;
		case 'J': json = 1; break;
		case 'D': db = optarg; break;
		case CLI_OPT_INPUT_FORMAT:
			if (cli_input_format_option("bench", optarg, &ro.format))
				return EXIT_USAGE;
			break;
		case 'h': help(stdout); return EXIT_OK;
		default: return cli_usage_error("bench", "bad option");
		}
	}
	if (argc - optind > 1 || (argc - optind == 1 && generate))
		return cli_usage_error("bench", "give a FOLDER or --generate, not both");
	if (write_dir && !generate)
		return cli_usage_error("bench", "--write needs --generate");
	int tl[16], ntl = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (threads) {
		for (char *p = (char *)threads; *p && ntl < 16;) {
			long v = strtol(p, &end, 10);
			if (end == p || v < 1 || v > CLI_POOL_MAX)
				return cli_usage_error("bench", "--threads takes numbers from 1 to %d, "
				                                "comma-separated",
				                       CLI_POOL_MAX);
			tl[ntl++] = (int)v;
			p = *end == ',' ? end + 1 : end;
			if (*end && *end != ',')
				return cli_usage_error("bench", "--threads: unexpected '%s'", end);
		}
	} else {
		tl[ntl++] = 1;
		if (ncpu > 1)
			tl[ntl++] = (int)(ncpu < CLI_POOL_MAX ? ncpu : CLI_POOL_MAX);
	}

	otz_engine *e = NULL;
	inputs in = {NULL, 0, 0, 0};
	int rc = cli_load_engine(db, &e, 1);
	if (rc)
		return rc;
	const char *what = "specimen records";
	if (generate) {
		gen *g = NULL;
		if (gen_new(&g, e, seed)) {
			cli_err("cannot start the generator (empty corpus, or out of memory)");
			rc = EXIT_INTERNAL;
			goto done;
		}
		for (long i = 0; i < generate; i++) {
			size_t len;
			char *t = gen_posting(g, &len);
			if (!t || add_input(&in, t, len)) {
				free(t);
				gen_free(g);
				cli_err("out of memory");
				rc = EXIT_INTERNAL;
				goto done;
			}
		}
		gen_free(g);
		what = "generated postings";
		if (write_dir) {
			rc = write_generated(&in, write_dir);
			goto done;
		}
	} else if (argc - optind == 1) {
		if ((rc = cli_need_dir(argv[optind])) || (rc = add_folder(&in, argv[optind], &ro)))
			goto done;
		what = "files";
	} else {
		for (size_t i = 0; i < otz_engine_specimen_count(e); i++) {
			const char *t = otz_engine_specimen_text(e, i);
			if (!t) {
				cli_err("the corpus database cannot give the record of specimen %s; rebuild it "
				        "with 'otiose corpus build'",
				        otz_engine_specimen_file(e, i));
				rc = EXIT_INPUT;
				goto done;
			}
			char *copy = strdup(t);
			if (!copy || add_input(&in, copy, strlen(t))) {
				free(copy);
				cli_err("out of memory");
				rc = EXIT_INTERNAL;
				goto done;
			}
		}
	}
	if (in.n == 0) {
		cli_err("nothing to measure");
		rc = EXIT_INPUT;
		goto done;
	}

	const otz_ruleset *rs = otz_engine_rules(e);
	json_t *doc = json_object(), *rows = json_array();
	json_object_set_new(doc, "inputs", json_integer((json_int_t)in.n));
	json_object_set_new(doc, "input_kind", json_string(what));
	json_object_set_new(doc, "bytes", json_integer((json_int_t)in.bytes));
	json_object_set_new(doc, "rules", json_integer((json_int_t)otz_ruleset_count(rs)));
	json_object_set_new(doc, "patterns", json_integer((json_int_t)otz_ruleset_pattern_count(rs)));
	json_object_set_new(doc, "specimens", json_integer((json_int_t)otz_engine_specimen_count(e)));
	json_object_set_new(doc, "prefilter", json_boolean(!no_prefilter));
	json_object_set_new(doc, "runs", json_integer(runs));
	if (!json)
		printf("%zu %s, %.2f MB; %zu rules, %zu patterns, %zu specimens; prefilter %s; median "
		       "of %ld runs\n\n%-8s %10s %9s %11s %11s %8s\n",
		       in.n, what, (double)in.bytes / 1e6, otz_ruleset_count(rs),
		       otz_ruleset_pattern_count(rs), otz_engine_specimen_count(e),
		       no_prefilter ? "off" : "on", runs, "threads", "JDs/s", "MB/s", "engine MB/s",
		       "median ms", "speedup");
	double base = 0;
	uint64_t shares1[NSTAGES] = {0};
	size_t failed = 0;
	for (int k = 0; k < ntl; k++) {
		uint64_t stage[NSTAGES] = {0}, warm[NSTAGES] = {0};
		double *t = calloc((size_t)runs, sizeof(double));
		if (!t) {
			cli_err("out of memory");
			rc = EXIT_INTERNAL;
			break;
		}
		size_t wf = 0;
		int ok = pass(e, &in, tl[k], no_prefilter, warm, &wf) >= 0;
		for (long r = 0; ok && r < runs; r++)
			ok = (t[r] = pass(e, &in, tl[k], no_prefilter, stage, &failed)) >= 0;
		if (!ok) {
			free(t);
			rc = EXIT_INTERNAL;
			break;
		}
		qsort(t, (size_t)runs, sizeof(double), cmp_double);
		double med = t[runs / 2];
		free(t);
		if (k == 0) {
			base = med;
			memcpy(shares1, stage, sizeof(stage));
		}
		double jds = (double)in.n / med, mbs = (double)in.bytes / med / 1e6;
		/* The engine alone: the same pass less its share spent rendering. */
		uint64_t all = 0;
		for (int s = 0; s < NSTAGES; s++)
			all += stage[s];
		double eng_share = all ? (double)(all - stage[OTZ_STAGE__COUNT]) / (double)all : 1;
		double eng_mbs = eng_share > 0 ? mbs / eng_share : 0;
		if (!json)
			printf("%-8d %10.0f %9.2f %11.2f %11.1f %7.2fx\n", tl[k], jds, mbs, eng_mbs, med * 1e3,
			       base / med);
		json_t *row = json_object();
		json_object_set_new(row, "threads", json_integer(tl[k]));
		json_object_set_new(row, "jds_per_s", json_real(jds));
		json_object_set_new(row, "mb_per_s", json_real(mbs));
		json_object_set_new(row, "engine_mb_per_s", json_real(eng_mbs));
		json_object_set_new(row, "median_ms", json_real(med * 1e3));
		json_object_set_new(row, "speedup", json_real(base / med));
		uint64_t tot = 0;
		for (int s = 0; s < NSTAGES; s++)
			tot += stage[s];
		json_t *sh = json_object();
		for (int s = 0; s < NSTAGES; s++)
			json_object_set_new(sh, s < OTZ_STAGE__COUNT ? otz_stage_name((otz_stage)s) : "render",
			                    json_real(tot ? (double)stage[s] / (double)tot : 0));
		json_object_set_new(row, "stage_share", sh);
		json_array_append_new(rows, row);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	json_object_set_new(doc, "results", rows);
	json_object_set_new(doc, "max_rss_kb", json_integer(ru.ru_maxrss));
	json_object_set_new(doc, "failed", json_integer((json_int_t)failed));
	if (json) {
		char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
		if (s)
			printf("%s\n", s);
		free(s);
	} else {
		uint64_t tot = 0;
		for (int s = 0; s < NSTAGES; s++)
			tot += shares1[s];
		printf("\ntime by stage (%d thread%s):", tl[0], tl[0] == 1 ? "" : "s");
		for (int s = 0; s < NSTAGES; s++)
			printf(" %s %.1f%%", s < OTZ_STAGE__COUNT ? otz_stage_name((otz_stage)s) : "render",
			       tot ? 100.0 * (double)shares1[s] / (double)tot : 0);
		printf("\nmax RSS %.1f MB; %zu inputs failed\n", (double)ru.ru_maxrss / 1024.0, failed);
	}
	json_decref(doc);
	if (failed)
		rc = EXIT_INPUT;
done:
	for (size_t i = 0; i < in.n; i++)
		free(in.v[i].text);
	free(in.v);
	otz_engine_free(e);
	return rc;
}
