/*
 * fuzz_segment.c - the segmenter on whatever the normalizer makes of any
 * bytes (lossy, so every input gets through).
 *
 * Checks: segments are non-empty, in order, do not overlap, lie inside the
 * text, and begin and end on UTF-8 character boundaries.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "include/otz.h"

static int boundary(const char *s, size_t len, size_t i)
{
	return i == len || ((unsigned char)s[i] & 0xC0) != 0x80;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	otz_norm_options o = OTZ_NORM_OPTIONS_INIT;
	o.lossy = 1;
	otz_text t = {0};
	otz_error err = {0, ""};
	if (otz_normalize(&t, (const char *)data, size, &o, &err)) {
		FUZZ_CHECK(err.code == OTZ_ENOMEM || err.code == OTZ_ELIMIT);
		otz_text_dispose(&t);
		return 0;
	}
	otz_segment *seg = NULL;
	size_t n = 0;
	int rc = otz_segment_text(&seg, &n, t.s, t.len, &err);
	FUZZ_CHECK(rc == 0 || rc == OTZ_ENOMEM);
	size_t prev_end = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		FUZZ_CHECK(seg[i].start < seg[i].end);
		FUZZ_CHECK(seg[i].end <= t.len);
		FUZZ_CHECK(seg[i].start >= prev_end);
		FUZZ_CHECK(boundary(t.s, t.len, seg[i].start));
		FUZZ_CHECK(boundary(t.s, t.len, seg[i].end));
		FUZZ_CHECK(seg[i].kind == OTZ_SEG_SENTENCE || seg[i].kind == OTZ_SEG_ITEM);
		prev_end = seg[i].end;
	}
	free(seg);
	otz_text_dispose(&t);
	return 0;
}
