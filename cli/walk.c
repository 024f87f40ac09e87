/*
 * walk.c - the one folder walker of cli/: which files below a folder are
 * inputs.
 *
 * cli_walk_dir() takes a folder and appends to a cli_walk every regular
 * file below it whose name has an input extension (cli_is_input_name:
 * .txt, .md, .html, .json), as a path relative to the folder with its
 * size, sorted by that path so that every command sees the same order on
 * every machine.  What it passes over it says:
 *  - in w->errors ("PATH: why (skipped)"), what looks like an input but
 *    cannot be one: a symbolic link that leads outside the folder (unless
 *    the caller follows links), a dangling link, a FIFO, socket or device
 *    with an input's name, a file that cannot be stat'ed, a folder that
 *    cannot be opened, a loop, a folder nested too deep;
 *  - in w->notes ("PATH: why (not read)"), what is passed over by design:
 *    names that begin with '.' (a batch's own temporary files and sidecars
 *    are such names; so is .git), and the folder `skip` (a batch's OUT
 *    inside its DIR).
 * A folder is walked once, however many links lead to it, so a link to
 * /sys or a loop of links ends.  Nothing here prints; the caller decides
 * whether the lists go to stderr or into a summary.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
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

/* The folders walked so far, by device and inode: an open-addressing
 * set, so that a folder is entered once. */
typedef struct seen {
	dev_t *dev;
	ino_t *ino;
	size_t n, cap; /* cap a power of two, or 0 */
} seen;

static size_t seen_hash(dev_t d, ino_t i, size_t cap)
{
	uint64_t h = ((uint64_t)d * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)i * 0xff51afd7ed558ccdull);
	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* Add a folder; 1 if it was new, 0 if seen before, -1 out of memory. */
static int seen_add(seen *s, dev_t d, ino_t i)
{
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		dev_t *nd = calloc(cap, sizeof(*nd));
		ino_t *ni = calloc(cap, sizeof(*ni));
		if (!nd || !ni) {
			free(nd);
			free(ni);
			return -1;
		}
		/* inode 0 marks an empty slot (no real folder has it) */
		for (size_t k = 0; k < s->cap; k++)
			if (s->ino[k]) {
				size_t h = seen_hash(s->dev[k], s->ino[k], cap);
				while (ni[h])
					h = (h + 1) & (cap - 1);
				nd[h] = s->dev[k];
				ni[h] = s->ino[k];
			}
		free(s->dev);
		free(s->ino);
		s->dev = nd;
		s->ino = ni;
		s->cap = cap;
	}
	size_t h = seen_hash(d, i, s->cap);
	for (; s->ino[h]; h = (h + 1) & (s->cap - 1))
		if (s->dev[h] == d && s->ino[h] == i)
			return 0;
	s->dev[h] = d;
	s->ino[h] = i ? i : 1;
	s->n++;
	return 1;
}

/* The walk under way. */
typedef struct walker {
	const char *dir;
	const char *root;  /* the real path of dir */
	const char *skip;  /* the real path of a folder not to walk, or NULL */
	int follow;        /* follow links that leave dir */
	cli_walk *w;
	seen seen;
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

/* Is the real path p root itself or below it? */
static int inside(const char *root, const char *p)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return 1;
	return strncmp(p, root, n) == 0 && (p[n] == '\0' || p[n] == '/');
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
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char r[PATH_MAX], full[PATH_MAX + 8];
		snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		snprintf(full, sizeof(full), "%s/%s", k->dir, r);
		struct stat lst, st;
		if (lstat(full, &lst) != 0) {
			rc = cli_strv_addf(&k->w->errors, "%s: %s (skipped)", full, strerror(errno));
			continue;
		}
		if (de->d_name[0] == '.') {
			if (S_ISDIR(lst.st_mode) || cli_is_input_name(de->d_name))
				rc = cli_strv_addf(&k->w->notes, "%s: hidden %s (not read)", full,
				                   S_ISDIR(lst.st_mode) ? "folder" : "file");
			continue;
		}
		st = lst;
		if (S_ISLNK(lst.st_mode)) {
			char real[PATH_MAX];
			if (!realpath(full, real) || stat(full, &st) != 0) {
				rc = cli_strv_addf(&k->w->errors, "%s: dangling symbolic link (skipped)", full);
				continue;
			}
			if (!k->follow && !inside(k->root, real)) {
				if (S_ISDIR(st.st_mode) || cli_is_input_name(de->d_name))
					rc = cli_strv_addf(&k->w->errors,
					                   "%s: symbolic link to %s, outside %s (skipped; "
					                   "--follow-links follows it)",
					                   full, real, k->dir);
				continue;
			}
		}
		if (S_ISDIR(st.st_mode)) {
			char real[PATH_MAX];
			if (k->skip && realpath(full, real) && strcmp(real, k->skip) == 0) {
				rc = cli_strv_addf(&k->w->notes, "%s: the output folder (not read)", full);
				continue;
			}
			int fresh = seen_add(&k->seen, st.st_dev, st.st_ino);
			if (fresh < 0) {
				rc = -1;
				break;
			}
			if (!fresh || k->depth >= MAX_DEPTH - 1) {
				rc = cli_strv_addf(&k->w->errors, "%s: %s (skipped)", full,
				                   !fresh ? "a folder already walked (a loop of links)"
				                          : "too deep");
				continue;
			}
			k->depth++;
			rc = walk(k, r);
			k->depth--;
		} else if (cli_is_input_name(de->d_name)) {
			if (S_ISREG(st.st_mode))
				rc = add_file(k->w, r, st.st_size);
			else
				rc = cli_strv_addf(&k->w->errors, "%s: not a regular file (skipped)", full);
		}
	}
	closedir(d);
	return rc;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const cli_file *)a)->rel, ((const cli_file *)b)->rel);
}

int cli_walk_dir(const char *dir, cli_walk *w, const char *skip, int follow)
{
	walker k;
	struct stat st;
	char root[PATH_MAX], skipreal[PATH_MAX];
	memset(&k, 0, sizeof(k));
	k.dir = dir;
	k.w = w;
	k.follow = follow;
	k.root = realpath(dir, root) ? root : dir;
	k.skip = skip && realpath(skip, skipreal) ? skipreal : NULL;
	if (stat(dir, &st) == 0 && seen_add(&k.seen, st.st_dev, st.st_ino) < 0)
		return -1;
	size_t first = w->n;
	int rc = walk(&k, "");
	free(k.seen.dev);
	free(k.seen.ino);
	if (rc != 0)
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
	cli_strv_free(&w->notes);
	memset(w, 0, sizeof(*w));
}
