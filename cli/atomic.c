/*
 * atomic.c - the one way cli/ writes a file that someone may be reading:
 * whole or not at all.
 *
 * cli_write_atomic() takes a path and a buffer, creates the missing parent
 * folders, writes the buffer to a temporary file in the path's own folder
 * (a rename never crosses file systems then; created with O_EXCL and
 * O_NOFOLLOW under a name nobody can guess, so a planted link is never
 * written through) and renames it over the path.
 * A reader sees the old file or the new one, never half of one; a process
 * killed in between leaves only a temporary file, whose name
 * (".otiose-tmp-PID-THREAD") cli_remove_temps() recognizes and removes.
 * Failures return -1 with `why` naming the file (the path asked for, not
 * the temporary name) and the system's reason; the temporary file is gone
 * again by then.  Nothing here prints.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* What every temporary file's name holds, and nothing else does. */
#define TEMP_MARK ".otiose-tmp-"

int cli_make_parents(const char *path)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* Write all of data to fd; 0, or -1 with errno set. */
static int write_fd(int fd, const char *data, size_t n)
{
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, data + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

int cli_write_atomic_via(const char *path, const char *tmp, const char *data, size_t n,
                         char *why, size_t wn)
{
	if (cli_make_parents(path) != 0) {
		snprintf(why, wn, "%.800s: %s", path, strerror(errno));
		return -1;
	}
	/* Created here and now, by this process: never an existing file, never
	 * through a symbolic link someone planted under the name. */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;
		snprintf(why, wn, "%.800s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	if (write_fd(fd, data, n) != 0) {
		int e = errno;
		snprintf(why, wn, "%.800s: %s", path, strerror(e));
		close(fd);
		unlink(tmp);
		errno = e; /* the caller tells a full disk from other failures */
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		snprintf(why, wn, "%.800s: %s", path, strerror(e));
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int cli_write_atomic(const char *path, const char *data, size_t n, char *why, size_t wn)
{
	char tmp[PATH_MAX + 64];
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0;
	int rc = -1;
	/* A name nobody can guess ahead: a planted link under a guessed name
	 * costs a retry, not a write through it. */
	for (int attempt = 0; attempt < 16 && rc; attempt++) {
		uint32_t r = 0;
		if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
			r = (uint32_t)attempt * 2654435761u;
		snprintf(tmp, sizeof(tmp), "%.*s%s" TEMP_MARK "%ld-%lx-%08x", (int)dl, path,
		         slash ? "/" : "", (long)getpid(), (unsigned long)pthread_self(), (unsigned)r);
		rc = cli_write_atomic_via(path, tmp, data, n, why, wn);
		if (rc && errno != EEXIST)
			break;
	}
	return rc;
}

void cli_remove_temps(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	if (!d || depth > 64) {
		if (d)
			closedir(d);
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char p[PATH_MAX];
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		struct stat st;
		if (lstat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			cli_remove_temps(p, depth + 1);
		else if (strstr(de->d_name, TEMP_MARK))
			unlink(p);
	}
	closedir(d);
}
