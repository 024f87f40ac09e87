/*
 * support.c - helpers shared by the test files (see support.h).
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

const char *t_root(void)
{
	const char *r = getenv("OTIOSE_ROOT");
	return r && *r ? r : ".";
}

const char *t_bin(void)
{
	const char *b = getenv("OTIOSE_BIN");
	return b && *b ? b : "./otiose";
}

char *t_slurp(const char *path, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	otz_error err = {0, ""};
	cr_assert_eq(otz_read_file(path, 0, &buf, &n, &err), 0, "%s", err.msg);
	if (len)
		*len = n;
	return buf;
}

char *t_read_rel(const char *dir, const char *name, size_t *len)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s/%s", t_root(), dir, name);
	return t_slurp(p, len);
}

void t_spit(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot write %s", path);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

char *t_mkdtemp(char *buf, size_t n, const char *what)
{
	snprintf(buf, n, "/tmp/otz-%s-XXXXXX", what);
	cr_assert_not_null(mkdtemp(buf), "mkdtemp %s", buf);
	return buf;
}

void t_rmtree(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

int t_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

size_t t_count(const char *hay, const char *needle)
{
	size_t n = 0, l = strlen(needle);
	for (const char *p = hay; (p = strstr(p, needle)); p += l)
		n++;
	return n;
}

otz_engine *t_repo_engine(void)
{
	char rules[4096], corpus[4096];
	otz_engine *e = NULL;
	otz_error err = {0, ""};
	snprintf(rules, sizeof(rules), "%s/rules", t_root());
	snprintf(corpus, sizeof(corpus), "%s/corpus", t_root());
	cr_assert_eq(otz_engine_from_sources(&e, rules, corpus, NULL, &err), 0, "%s", err.msg);
	return e;
}

otz_engine *t_engine_from(const char *rules, const char *const *records, size_t n)
{
	char d[64], rdir[128], cdir[128], rfile[160], cfile[192];
	t_mkdtemp(d, sizeof(d), "engine");
	snprintf(rdir, sizeof(rdir), "%s/rules", d);
	snprintf(cdir, sizeof(cdir), "%s/corpus", d);
	cr_assert_eq(mkdir(rdir, 0700), 0);
	cr_assert_eq(mkdir(cdir, 0700), 0);
	snprintf(rfile, sizeof(rfile), "%s/t.rules", rdir);
	t_spit(rfile, rules, strlen(rules));
	for (size_t i = 0; i < n; i++) {
		snprintf(cfile, sizeof(cfile), "%s/%03zu_specimen.txt", cdir, i);
		t_spit(cfile, records[i], strlen(records[i]));
	}
	otz_engine *e = NULL;
	otz_error err = {0, ""};
	int rc = otz_engine_from_sources(&e, rdir, cdir, NULL, &err);
	t_rmtree(d);
	cr_assert_eq(rc, 0, "engine: %s", err.msg);
	cr_assert_eq(otz_engine_specimen_count(e), n);
	return e;
}

otz_engine *t_small_engine(const char *rules)
{
	char *seed = t_read_rel("corpus", "000_lead-ai-human-in-the-loop-integration-specialist.txt",
	                        NULL);
	const char *records[] = {seed};
	otz_engine *e = t_engine_from(rules, records, 1);
	free(seed);
	return e;
}

void t_fx_open(t_fixture *f, const char *rules)
{
	memset(f, 0, sizeof(*f));
	f->e = t_small_engine(rules);
	cr_assert_eq(otz_session_new(&f->s, f->e), 0);
}

void t_fx_close(t_fixture *f)
{
	otz__analysis_dispose(&f->an);
	otz_session_free(f->s);
	otz_engine_free(f->e);
}

void t_analyze(t_fixture *f, const char *input)
{
	otz_error err = {0, ""};
	int rc = otz__analyze(f->s, &f->an, input, strlen(input), 0, &err);
	cr_assert_eq(rc, 0, "analyze: %s", err.msg);
}

void t_repo_open(otz_engine **e, otz_session **s)
{
	*e = t_repo_engine();
	cr_assert_eq(otz_session_new(s, *e), 0);
}

void t_repo_close(otz_engine **e, otz_session **s)
{
	otz_session_free(*s);
	otz_engine_free(*e);
	*s = NULL;
	*e = NULL;
}
