/*
 * fuzz_record.c - the importer of file records (`otiose corpus import`) on
 * any text, and the renderers on whatever it accepts.
 *
 * Checks: a record that parses renders in every format; its text rendering,
 * in the spaced form a reader is shown and in the form corpus files keep,
 * parses again and renders to the same bytes (the round trip otz_render
 * promises for specimen records); a failure carries a message.
 */
#include <string.h>

#include "fuzz.h"
#include "include/otz.h"

static void render_all(const otz_record *r)
{
	static const otz_format formats[] = {OTZ_FORMAT_JSON, OTZ_FORMAT_MD, OTZ_FORMAT_HTML};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
		otz_buf b = OTZ_BUF_INIT;
		otz_error err = {0, ""};
		ro.format = formats[i];
		int rc = otz_render(&b, r, &ro, &err);
		FUZZ_CHECK(rc == 0 || rc == OTZ_ENOMEM);
		otz_buf_dispose(&b);
	}
}

static int render_text(const otz_record *r, otz_buf *b, otz_format form)
{
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	otz_error err = {0, ""};
	ro.format = form;
	int rc = otz_render(b, r, &ro, &err);
	FUZZ_CHECK(rc == 0 || rc == OTZ_ENOMEM);
	return rc;
}

/* Render r in `form`, parse that, render again: the same bytes. */
static void round_trip(const otz_record *r, otz_format form)
{
	otz_record *r2 = NULL;
	otz_error err = {0, ""};
	otz_buf b1 = OTZ_BUF_INIT, b2 = OTZ_BUF_INIT;
	if (render_text(r, &b1, form) == 0) {
		int rc = otz_record_parse(&r2, b1.ptr, b1.len, "fuzz-rendered.txt", &err);
		if (rc)
			fprintf(stderr, "the rendering does not parse: %s\n", err.msg);
		FUZZ_CHECK(rc == 0);
		if (render_text(r2, &b2, form) == 0)
			FUZZ_CHECK(b1.len == b2.len && memcmp(b1.ptr, b2.ptr, b1.len) == 0);
	}
	otz_buf_dispose(&b1);
	otz_buf_dispose(&b2);
	otz_record_free(r2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	otz_record *r = NULL;
	otz_error err = {0, ""};
	int rc = otz_record_parse(&r, (const char *)data, size, "fuzz.txt", &err);
	if (rc) {
		FUZZ_CHECK(err.msg[0] != '\0');
		FUZZ_CHECK(r == NULL);
		return 0;
	}
	render_all(r);
	round_trip(r, OTZ_FORMAT_TEXT);
	round_trip(r, OTZ_FORMAT_RECORD);
	otz_record_free(r);
	return 0;
}
