/*
 * fuzz_translate.c - the whole pipeline (normalize, segment, match,
 * translate, score, record, render) on any bytes, with the repository's own
 * rules and corpus.
 *
 * The engine is built once from rules/ and corpus/ under $OTIOSE_ROOT (or
 * the folder the target was built from); one session is reused across
 * inputs, as a batch worker reuses its own.  The first byte picks lossy
 * mode, whether the input's first line is taken as the title, and the
 * output format.
 *
 * Checks: a failure is one of the documented input errors, with a message;
 * a record renders; with lossy mode no input fails as invalid UTF-8.
 */
#include <string.h>

#include "fuzz.h"
#include "include/otz.h"

#ifndef OTZ_FUZZ_ROOT
#define OTZ_FUZZ_ROOT "."
#endif

static otz_engine *engine;
static otz_session *session;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *root = getenv("OTIOSE_ROOT");
	char rules[4096], corpus[4096];
	otz_error err = {0, ""};
	if (!root || !*root)
		root = OTZ_FUZZ_ROOT;
	snprintf(rules, sizeof(rules), "%s/rules", root);
	snprintf(corpus, sizeof(corpus), "%s/corpus", root);
	if (otz_engine_from_sources(&engine, rules, corpus, NULL, &err) ||
	    otz_session_new(&session, engine)) {
		fprintf(stderr, "fuzz_translate: cannot build the engine from %s: %s\n", root, err.msg);
		exit(2);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned flags = data[0];
	otz_translate_options to = OTZ_TRANSLATE_OPTIONS_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	to.lossy = flags & 1;
	if (flags & 2)
		to.title = "Senior Synergy Evangelist";
	ro.format = (otz_format)((flags >> 2) % 4);
	ro.color = (flags >> 4) & 1;

	otz_record *r = NULL;
	otz_error err = {0, ""};
	int rc = otz_translate(&r, session, (const char *)data + 1, size - 1, &to, &err);
	if (rc) {
		FUZZ_CHECK(rc == OTZ_EUTF8 || rc == OTZ_EBINARY || rc == OTZ_EEMPTY ||
		           rc == OTZ_ELIMIT || rc == OTZ_ENOMEM);
		FUZZ_CHECK(!(rc == OTZ_EUTF8 && to.lossy));
		FUZZ_CHECK(err.msg[0] != '\0');
		FUZZ_CHECK(r == NULL);
		return 0;
	}
	otz_buf b = OTZ_BUF_INIT;
	rc = otz_render(&b, r, &ro, &err);
	FUZZ_CHECK(rc == 0 || rc == OTZ_ENOMEM);
	FUZZ_CHECK(rc || (b.len > 0 && fuzz_valid_utf8(b.ptr, b.len)));
	otz_buf_dispose(&b);
	otz_record_free(r);
	return 0;
}
