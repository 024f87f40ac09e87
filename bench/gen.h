/*
 * gen.h - the job-description generator used by `otiose bench --generate`
 * (see gen.c).  A generator reads its phrases from a loaded engine and must
 * not outlive it.
 */
#ifndef OTZ_GEN_H
#define OTZ_GEN_H

#include <stdint.h>

#include "include/otz.h"

typedef struct gen gen;

/* A generator over engine `e`'s rules and specimens, from `seed`; -1 when
 * out of memory or when the corpus has nothing to draw from. */
int gen_new(gen **out, const otz_engine *e, uint64_t seed);
void gen_free(gen *g);
/* The next posting (2-6 KB), malloc'ed and NUL-terminated; NULL when out of
 * memory. */
char *gen_posting(gen *g, size_t *len);

#endif
