/*
 * walk.c - the one folder walker of cli/: which files below a folder are
 * inputs.
 *
 * cli_walk_dir() takes a folder and appends to a cli_walk every regular
 * file below it whose name has an input extension (cli_is_input_name:
 * .txt, .md, .html, .json), as a path relative to the folder with its
 * size, sorted by that path so that every command sees the same order on
 * every machine.  Names that begin with '.' are passed over (a batch's own
 * temporary files and sidecars are such names).  Symbolic links are
 * followed, but never into a folder the walk is already inside: such a
 * loop, a dangling link, a file that cannot be stat'ed and a folder that
 * cannot be opened are each recorded in w->errors as "PATH: why (skipped)",
 * and the walk goes on.  Nothing here prints; the caller decides whether
 * the errors go to stderr or into a summary.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* How deep folders may nest below the walked one. */
#define MAX_DEPTH 256

int cli_strv_addf(cli_strv *v, const char *fmt, ...)
{
	char msg[PATH_MAX + 1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cli_reserve(&v->v, &v->cap, v->n, sizeof(*v->v)))
		return -1;
	if (!(v->v[v->n] = strdup(msg)))
		return -1;
	v->n++;
	return 0;
}

void cli_strv_free(cli_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

/* The walk under way: where it is, and the folders on its path (for loops). */
typedef struct walker {
	const char *dir;
	cli_walk *w;
	dev_t dev[MAX_DEPTH];
	ino_t ino[MAX_DEPTH];
	int depth;
} walker;

static int add_file(cli_walk *w, const char *rel, off_t size)
{
	if (cli_reserve(&w->v, &w->cap, w->n, sizeof(*w->v)))
		return -1;
	if (!(w->v[w->n].rel = strdup(rel)))
		return -1;
	w->v[w->n++].size = (size_t)size;
	return 0;
}

/* Is the folder st one the walk is already inside? */
static int on_path(const walker *k, const struct stat *st)
{
	for (int i = 0; i < k->depth; i++)
		if (k->dev[i] == st->st_dev && k->ino[i] == st->st_ino)
			return 1;
	return 0;
}

/* Collect the inputs below dir/rel; 0, or -1 when out of memory. */
static int walk(walker *k, const char *rel)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s%s%s", k->dir, *rel ? "/" : "", rel);
	DIR *d = opendir(path);
	if (!d)
		return cli_strv_addf(&k->w->errors, "%s: %s (skipped)", path, strerror(errno));
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char r[PATH_MAX], full[PATH_MAX + 8];
		snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		snprintf(full, sizeof(full), "%s/%s", k->dir, r);
		struct stat st;
		if (stat(full, &st) != 0) {
			rc = cli_strv_addf(&k->w->errors, "%s: %s (skipped)", full, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			int loop = on_path(k, &st);
			if (loop || k->depth >= MAX_DEPTH - 1) {
				rc = cli_strv_addf(&k->w->errors, "%s: %s (skipped)", full,
				                   loop ? "symbolic link loop" : "too deep");
				continue;
			}
			k->dev[k->depth] = st.st_dev;
			k->ino[k->depth] = st.st_ino;
			k->depth++;
			rc = walk(k, r);
			k->depth--;
		} else if (S_ISREG(st.st_mode) && cli_is_input_name(de->d_name)) {
			rc = add_file(k->w, r, st.st_size);
		}
	}
	closedir(d);
	return rc;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const cli_file *)a)->rel, ((const cli_file *)b)->rel);
}

int cli_walk_dir(const char *dir, cli_walk *w)
{
	walker k;
	struct stat st;
	k.dir = dir;
	k.w = w;
	k.depth = 0;
	if (stat(dir, &st) == 0) {
		k.dev[0] = st.st_dev;
		k.ino[0] = st.st_ino;
		k.depth = 1;
	}
	size_t first = w->n;
	if (walk(&k, "") != 0)
		return -1;
	if (w->n > first)
		qsort(w->v + first, w->n - first, sizeof(*w->v), cmp_file);
	return 0;
}

void cli_walk_free(cli_walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].rel);
	free(w->v);
	cli_strv_free(&w->errors);
	memset(w, 0, sizeof(*w));
}
