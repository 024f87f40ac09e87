/*
 * record.c - the record type: allocation, its strings, and its release.
 *
 * An otz_record is plain data.  Its strings live in an arena owned by the
 * record (otz__rstr, otz__rstrn); its arrays are malloc'ed one by one.
 * otz_record_free() releases both, and accepts NULL.  Reading and writing
 * records is recfmt.c's; filling one from a posting is pipeline.c's.
 */
#include <stdlib.h>

#include "internal.h"

otz_record *otz__record_alloc(void)
{
	otz_record *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->arena_ = otz__arena_new();
	if (!r->arena_) {
		free(r);
		return NULL;
	}
	r->flight_risk = -1;
	return r;
}

char *otz__rstrn(otz_record *r, const char *s, size_t n)
{
	return otz__arena_strndup(r->arena_, s, n);
}

char *otz__rstr(otz_record *r, const char *s)
{
	return s ? otz__arena_strdup(r->arena_, s) : NULL;
}

void otz_record_free(otz_record *r)
{
	if (!r)
		return;
	free(r->aliases);
	for (int k = 0; k < OTZ_LEX__COUNT; k++)
		free(r->lex[k]);
	free(r->habitat_lines);
	free(r->habitat);
	free(r->metrics);
	free(r->weapons);
	for (size_t i = 0; i < r->nautopsy; i++) {
		free(r->autopsy[i].more);
		free(r->autopsy[i].more_spans);
		free(r->autopsy[i].more_rules);
	}
	free(r->autopsy);
	free(r->log);
	free(r->complaints);
	free(r->related);
	free(r->red_flags);
	free(r->credits);
	free(r->limits);
	otz__arena_free(r->arena_);
	free(r);
}
