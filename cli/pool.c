/*
 * pool.c - run a function over items 0..n-1 on several threads, each with
 * a session of its own over one shared engine (the engine is read-only
 * once loaded; a session is one thread's scratch).
 *
 * Workers take the next item from a shared counter, so a slow item holds
 * up one thread only.  The calling thread waits, calling `tick` about ten
 * times a second with the count done (for a progress display); once
 * `*stop` is set (by a signal handler, say) no worker takes another item,
 * and the run ends when the items in hand are finished.  cli_pool_run()
 * returns 0, or -1 with `why` when no worker could be started; it prints
 * nothing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "cli.h"

typedef struct shared {
	const cli_pool *p;
	atomic_size_t next, done;
} shared;

typedef struct worker {
	shared *sh;
	size_t index;
	otz_session *s;
	pthread_t tid;
} worker;

static int stopped(const cli_pool *p)
{
	return p->stop && *p->stop;
}

static void *work(void *arg)
{
	worker *w = arg;
	const cli_pool *p = w->sh->p;
	while (!stopped(p)) {
		size_t i = atomic_fetch_add(&w->sh->next, 1);
		if (i >= p->n)
			break;
		p->fn(p->ctx, w->index, w->s, i);
		atomic_fetch_add(&w->sh->done, 1);
	}
	return NULL;
}

int cli_pool_run(const cli_pool *p, size_t *done, char *why, size_t wn)
{
	worker w[CLI_POOL_MAX];
	shared sh;
	size_t want = p->threads < 1 ? 1 : p->threads > CLI_POOL_MAX ? CLI_POOL_MAX : p->threads;
	size_t started = 0;
	int rc = 0;
	sh.p = p;
	atomic_init(&sh.next, 0);
	atomic_init(&sh.done, 0);
	/* Sessions first: a thread that has none would leave its share undone. */
	for (size_t k = 0; k < want; k++) {
		w[k] = (worker){&sh, k, NULL, 0};
		if (otz_session_new(&w[k].s, p->e)) {
			snprintf(why, wn, "out of memory making %zu worker sessions", want);
			want = k;
			rc = -1;
		}
	}
	for (size_t k = 0; rc == 0 && k < want; k++) {
		int e = pthread_create(&w[k].tid, NULL, work, &w[k]);
		if (e) {
			/* the threads running take this one's share */
			if (k == 0) {
				snprintf(why, wn, "cannot start a worker thread: %s", strerror(e));
				rc = -1;
			}
			break;
		}
		started++;
	}
	while (rc == 0 && p->tick && atomic_load(&sh.done) < p->n && !stopped(p)) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
		p->tick(p->ctx, atomic_load(&sh.done));
	}
	for (size_t k = 0; k < started; k++)
		pthread_join(w[k].tid, NULL);
	for (size_t k = 0; k < want; k++)
		otz_session_free(w[k].s);
	*done = atomic_load(&sh.done);
	return rc;
}
