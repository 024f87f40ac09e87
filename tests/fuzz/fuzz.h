/*
 * fuzz.h - what the fuzz targets share.
 *
 * Each target defines LLVMFuzzerTestOneInput (and, if it needs one-time
 * set-up, LLVMFuzzerInitialize).  Built with clang -fsanitize=fuzzer it is a
 * libFuzzer binary (make fuzz); linked with replay.c instead it is a plain
 * program that runs the target once over every file it is given, which is
 * how make test and make check replay the regression inputs.
 *
 * FUZZ_CHECK states an invariant of the code under test: when it does not
 * hold, the target aborts, and libFuzzer keeps the input as a crash.
 */
#ifndef OTZ_FUZZ_H
#define OTZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond)                                                                   \
	do {                                                                                   \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);  \
			abort();                                                                       \
		}                                                                                  \
	} while (0)

/* Is s[0..n) valid UTF-8 as utf8proc reads it? */
int fuzz_valid_utf8(const char *s, size_t n);

#endif
