/*
 * progress.c - how far a long run has got, on stderr: a bar redrawn in
 * place on a terminal, a plain line every few seconds otherwise (a log
 * file gets no carriage returns), nothing when quiet.
 *
 * The caller says how many items there are, then reports the items and
 * bytes done as often as it likes; the display is rate-limited here.
 */
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Seconds between two displays, on a terminal and elsewhere. */
#define TTY_EVERY 0.2
#define LOG_EVERY 5.0

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, size_t n, int quiet)
{
	p->n = n;
	p->quiet = quiet;
	p->tty = isatty(STDERR_FILENO);
	p->t0 = p->last = now_s();
}

static void show(const cli_progress *p, size_t done, size_t bytes, int final)
{
	double el = now_s() - p->t0, mbs = el > 0 ? (double)bytes / el / 1e6 : 0;
	double eta = done ? el * (double)(p->n - done) / (double)done : 0;
	if (p->tty) {
		int width = 30, fill = p->n ? (int)(width * done / p->n) : width;
		fprintf(stderr, "\r[%.*s%*s] %zu/%zu files, %.1f MB/s, ETA %d:%02d ", fill,
		        "##############################", width - fill, "", done, p->n, mbs,
		        (int)eta / 60, (int)eta % 60);
		if (final)
			fputc('\n', stderr);
	} else {
		fprintf(stderr, "otiose: %zu/%zu files, %.1f MB/s, ETA %ds\n", done, p->n, mbs,
		        (int)eta);
	}
	fflush(stderr);
}

void cli_progress_tick(cli_progress *p, size_t done, size_t bytes)
{
	double t = now_s();
	if (p->quiet || t - p->last < (p->tty ? TTY_EVERY : LOG_EVERY))
		return;
	show(p, done, bytes, 0);
	p->last = t;
}

void cli_progress_end(cli_progress *p, size_t done, size_t bytes)
{
	if (!p->quiet && p->tty)
		show(p, done, bytes, 1);
}
