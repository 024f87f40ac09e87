/*
 * fuzz_markdown.c - the Markdown reader (cli/mdin.c) on any bytes, and the
 * normalizer and segmenter on what it writes.
 *
 * Checks: the reader never fails below its 4 GiB bound; its text is
 * NUL-terminated at the length it reports, holds no NUL byte (Markdown
 * reads one as U+FFFD), ends with a line break and is valid UTF-8 when the
 * input is; and that text goes through the normalizer (lossy, as the
 * engine reads it) and the segmenter without an error.  The 2-second
 * timeout of `make fuzz` catches a quadratic path.
 */
#include <string.h>

#include "../../cli/cli.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *md = (const char *)data;
	char *text, why[256];
	size_t len;
	int rc = cli_md_text(md, size, &text, &len, why, sizeof(why));
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(text[len] == '\0' && strlen(text) == len);
	FUZZ_CHECK(len >= 1 && text[len - 1] == '\n');
	if (fuzz_valid_utf8(md, size))
		FUZZ_CHECK(fuzz_valid_utf8(text, len));

	otz_text t;
	otz_error err = {0, ""};
	otz_norm_options o = OTZ_NORM_OPTIONS_INIT;
	o.lossy = 1;
	FUZZ_CHECK(otz_normalize(&t, text, len, &o, &err) == 0);
	otz_segment *segs = NULL;
	size_t n = 0;
	FUZZ_CHECK(otz_segment_text(&segs, &n, t.s, t.len, &err) == 0);
	free(segs);
	otz_text_dispose(&t);
	free(text);
	return 0;
}
