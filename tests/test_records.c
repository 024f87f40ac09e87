/*
 * test_records.c - golden records: whole outputs compared byte for byte.
 *
 * Every tests/records/NAME.jd is translated by the binary, from the
 * repository's root, in each of the four formats, with the options listed one
 * per line in NAME.opts (if there is one).  The outputs must equal NAME.txt,
 * NAME.json, NAME.md and NAME.html; what the run writes on stderr must equal
 * NAME.err (or be empty when there is no such file).  A change of wording,
 * order or figures in any record therefore shows up as a failing case with
 * the command that reproduces it.
 *
 * OTIOSE_GOLDEN=1 (`make golden`) writes the outputs instead of comparing
 * them, for a change whose new records have been read.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const struct {
	const char *format, *ext;
} formats[] = {{"text", "txt"}, {"json", "json"}, {"md", "md"}, {"html", "html"}};

static int file_exists(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f)
		fclose(f);
	return f != NULL;
}

/* The options of a case, quoted for the shell, from NAME.opts. */
static void case_options(const char *dir, const char *name, char *out, size_t n)
{
	char p[1400];
	size_t len = 0;
	snprintf(p, sizeof(p), "%s/%s.opts", dir, name);
	out[0] = '\0';
	if (!file_exists(p))
		return;
	char *opts = t_slurp(p, &len);
	size_t o = 0;
	for (char *line = strtok(opts, "\n"); line; line = strtok(NULL, "\n")) {
		int w = snprintf(out + o, n - o, " '%s'", line);
		cr_assert(w > 0 && (size_t)w < n - o, "%s: options too long", p);
		o += (size_t)w;
	}
	free(opts);
}

/* 1 if the file at path holds exactly got[0..len). */
static int same_as(const char *path, const char *got, size_t len)
{
	size_t wl = 0;
	char *want = file_exists(path) ? t_slurp(path, &wl) : NULL;
	int same = want && wl == len && memcmp(want, got, len) == 0;
	free(want);
	return same;
}

Test(records, golden, .timeout = 300)
{
	char dir[1024], tmp[1024];
	snprintf(dir, sizeof(dir), "%s/tests/records", t_root());
	t_mkdtemp(tmp, sizeof(tmp), "records");
	int regen = getenv("OTIOSE_GOLDEN") && strcmp(getenv("OTIOSE_GOLDEN"), "1") == 0;
	DIR *d = opendir(dir);
	cr_assert(d, "%s: cannot open", dir);
	struct dirent *de;
	size_t cases = 0, failed = 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l < 4 || strcmp(de->d_name + l - 3, ".jd"))
			continue;
		char name[256], opts[2048];
		snprintf(name, sizeof(name), "%.*s", (int)(l - 3), de->d_name);
		case_options(dir, name, opts, sizeof(opts));
		cases++;
		for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
			char cmd[4096], want[1600], werr[1600], out[1600], err[1600];
			snprintf(out, sizeof(out), "%s/%s.%s", tmp, name, formats[f].ext);
			snprintf(err, sizeof(err), "%s/%s.%s.err", tmp, name, formats[f].ext);
			snprintf(cmd, sizeof(cmd),
			         "translate --format %s%s 'tests/records/%s.jd'", formats[f].format, opts,
			         name);
			t_sh("cd '%s' && NO_COLOR=1 '%s' %s > '%s' 2> '%s'", t_root(), t_bin(), cmd, out, err);
			size_t ol = 0, el = 0;
			char *got = t_slurp(out, &ol), *gerr = t_slurp(err, &el);
			cr_assert(got && gerr);
			snprintf(want, sizeof(want), "%s/%s.%s", dir, name, formats[f].ext);
			snprintf(werr, sizeof(werr), "%s/%s.err", dir, name);
			if (regen) {
				t_spit(want, got, ol);
				if (el)
					t_spit(werr, gerr, el);
				else
					remove(werr);
			} else {
				int ok_out = same_as(want, got, ol);
				int ok_err = el ? same_as(werr, gerr, el) : !file_exists(werr);
				if (!ok_out || !ok_err) {
					failed++;
					cr_log_error("%s: %s differs from %s; reproduce with: otiose %s",
					             name, ok_out ? "stderr" : formats[f].ext,
					             ok_out ? werr : want, cmd);
				}
			}
			free(got);
			free(gerr);
		}
	}
	closedir(d);
	t_rmtree(tmp);
	cr_assert_geq(cases, 12u, "only %zu golden cases in %s", cases, dir);
	cr_assert_eq(failed, 0u, "%zu of %zu golden outputs differ (make golden rewrites them "
	                         "after a change whose records have been read)",
	             failed, cases * 4);
}
