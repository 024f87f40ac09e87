/*
 * support.h - what the Criterion test files share: where the repository and
 * the binary are, whole-file reads and writes, temporary folders, and
 * engines built from the real corpus or from a few rules of a test's own.
 * Failures are Criterion assertions, so a test that cannot set itself up
 * fails with the reason.
 */
#ifndef OTZ_TEST_SUPPORT_H
#define OTZ_TEST_SUPPORT_H

#include <stddef.h>

#include "include/otz.h"
#include "internal.h"

/* The repository root ($OTIOSE_ROOT, else ".") and the binary ($OTIOSE_BIN,
 * else ./otiose). */
const char *t_root(void);
const char *t_bin(void);

/* All of a file, NUL-terminated, malloc'ed; *len if len is not NULL. */
char *t_slurp(const char *path, size_t *len);
/* The same for t_root()/dir/name. */
char *t_read_rel(const char *dir, const char *name, size_t *len);
/* Write a whole file. */
void t_spit(const char *path, const void *data, size_t len);

/* A new folder under /tmp named after `what` (into buf), and its removal. */
char *t_mkdtemp(char *buf, size_t n, const char *what);
void t_rmtree(const char *dir);

/* Run a shell command made with printf-style arguments; its exit code, or
 * -1 if it did not exit. */
int t_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* How many times needle occurs in hay. */
size_t t_count(const char *hay, const char *needle);

/* An engine from the repository's rules/ and corpus/. */
otz_engine *t_repo_engine(void);
/* An engine from the rule text `rules` and the n record texts, built in a
 * temporary folder that is gone again on return. */
otz_engine *t_engine_from(const char *rules, const char *const *records, size_t n);
/* The same with a corpus holding only the seed record. */
otz_engine *t_small_engine(const char *rules);

/* The repository's engine with one session (for a suite's .init), and
 * their release (for its .fini); both pointers are NULL afterwards. */
void t_repo_open(otz_engine **e, otz_session **s);
void t_repo_close(otz_engine **e, otz_session **s);

/* An engine of a few rules (t_small_engine), a session, and one analysis. */
typedef struct t_fixture {
	otz_engine *e;
	otz_session *s;
	otz_analysis an;
} t_fixture;
void t_fx_open(t_fixture *f, const char *rules);
void t_fx_close(t_fixture *f);
/* Analyse input into f->an (strict UTF-8). */
void t_analyze(t_fixture *f, const char *input);

#endif
