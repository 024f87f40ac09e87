/*
 * fuzz_normalize.c - the normalizer on any bytes.
 *
 * Checks, for every input: the call fails only with OTZ_EUTF8 (and then
 * only when the input is not valid UTF-8, and never in lossy mode),
 * OTZ_ELIMIT or OTZ_ENOMEM; the output is valid, NUL-terminated UTF-8; every
 * output byte maps to a range inside the input, the ranges in order; and
 * the ASCII fast path gives the same bytes and map as the slow path.
 */
#include <string.h>

#include "fuzz.h"
#include "include/otz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned flags = data[0];
	const char *in = (const char *)data + 1;
	size_t len = size - 1;

	otz_norm_options o = OTZ_NORM_OPTIONS_INIT;
	o.lossy = flags & 1;
	o.casefold = (flags >> 1) & 1;
	otz_text a = {0}, b = {0};
	otz_error err = {0, ""};
	int rc = otz_normalize(&a, in, len, &o, &err);
	int valid = fuzz_valid_utf8(in, len);
	if (rc) {
		FUZZ_CHECK(rc == OTZ_EUTF8 || rc == OTZ_ENOMEM || rc == OTZ_ELIMIT);
		FUZZ_CHECK(err.msg[0] != '\0');
		FUZZ_CHECK(!(rc == OTZ_EUTF8 && (o.lossy || valid)));
		otz_text_dispose(&a);
		return 0;
	}
	FUZZ_CHECK(valid || o.lossy);
	FUZZ_CHECK(a.s && a.s[a.len] == '\0');
	FUZZ_CHECK(fuzz_valid_utf8(a.s, a.len));
	for (size_t i = 0; i < a.len; i++) {
		FUZZ_CHECK(a.src_start[i] <= a.src_end[i]);
		FUZZ_CHECK(a.src_end[i] <= len);
		if (i)
			FUZZ_CHECK(a.src_start[i - 1] <= a.src_start[i]);
	}

	o.no_ascii_fast_path = 1;
	rc = otz_normalize(&b, in, len, &o, &err);
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(b.len == a.len && memcmp(a.s, b.s, a.len) == 0);
	FUZZ_CHECK(a.len == 0 || memcmp(a.src_start, b.src_start, a.len * sizeof(*a.src_start)) == 0);
	FUZZ_CHECK(a.len == 0 || memcmp(a.src_end, b.src_end, a.len * sizeof(*a.src_end)) == 0);
	otz_text_dispose(&a);
	otz_text_dispose(&b);
	return 0;
}
