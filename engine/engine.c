/*
 * engine.c - the loaded corpus and the per-thread sessions that use it.
 *
 * An engine is built once, from sources (rule files and record files, for
 * `corpus build` and tests) or from a built database (db.c, for everything
 * else), and is read-only afterwards.  Both ways end in the same finishing
 * step, otz__engine_finish(): the rules compiled, the prefilter over their
 * patterns, the title index and the inverted index over the specimens.
 * Building from sources runs each specimen's own record through the same
 * normalize/segment/match/feature path that a pasted JD takes, which is what
 * makes a specimen match itself at 100 %.
 *
 * An engine read from a database reads each specimen's record when it is
 * first needed (otz__specimen_ready, db.c); the accessors below go through
 * it, so that a record handed out is always whole.
 *
 * A session holds what must not be shared between threads: PCRE2 match data,
 * a match context with the limits, a JIT stack, and the dense query vector.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* An internship, or a programme for new graduates, in a posting's text. */
static const char level_pattern[] =
	"\\b(?:(intern(?:ship)?s?|co-?op (?:student|program))|(new grad(?:uate)?s?|recent "
	"(?:college )?graduates?|graduate (?:program|scheme)|entry[- ]level))\\b";

/* "$24 - $29 an hour", "$38.50/hr", "$18 to $22 per hour" */
static const char hourly_pattern[] =
	"\\$\\s?(\\d{1,3}(?:\\.\\d{1,2})?)(?:\\s?(?:-|to)\\s?\\$?\\s?(\\d{1,3}(?:\\.\\d{1,2})?))?"
	"\\s?(?:/\\s?h(?:ou)?r\\b|(?:per|an|a|/) ?hour\\b|hourly\\b)";

/* "$120,000", "$120k", "$120k-$150k", "$120,000 to $150,000" */
static const char salary_pattern[] =
	"\\$\\s?(\\d{2,3}(?:,\\d{3})+|\\d{2,3}(?:\\.\\d)?\\s?k)\\b"
	"(?:\\s?(?:-|to)\\s?\\$?\\s?(\\d{2,3}(?:,\\d{3})+|\\d{2,3}(?:\\.\\d)?\\s?k)\\b)?";

int otz__engine_new(otz_engine **out, otz_error *err)
{
	int rc, ec;
	PCRE2_SIZE eo;
	otz_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return otz__fail(err, OTZ_ENOMEM, "out of memory");
	if (pthread_mutex_init(&e->lazy, NULL)) {
		free(e);
		return otz__fail(err, OTZ_ENOMEM, "out of memory");
	}
	if ((rc = otz_ruleset_new(&e->rules))) {
		rc = otz__fail(err, rc, "out of memory");
		goto fail;
	}
	if ((rc = otz__metric_pats_new(&e->mpats, err)))
		goto fail;
	e->salary_re = pcre2_compile((PCRE2_SPTR)salary_pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
	                             &ec, &eo, NULL);
	if (!e->salary_re) {
		rc = otz__fail(err, OTZ_EINVAL, "internal salary pattern does not compile");
		goto fail;
	}
	pcre2_jit_compile(e->salary_re, PCRE2_JIT_COMPLETE);
	e->hourly_re = pcre2_compile((PCRE2_SPTR)hourly_pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
	                             &ec, &eo, NULL);
	if (!e->hourly_re) {
		rc = otz__fail(err, OTZ_EINVAL, "internal hourly pattern does not compile");
		goto fail;
	}
	pcre2_jit_compile(e->hourly_re, PCRE2_JIT_COMPLETE);
	e->level_re = pcre2_compile((PCRE2_SPTR)level_pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
	                            &ec, &eo, NULL);
	if (!e->level_re) {
		rc = otz__fail(err, OTZ_EINVAL, "internal level pattern does not compile");
		goto fail;
	}
	pcre2_jit_compile(e->level_re, PCRE2_JIT_COMPLETE);
	*out = e;
	return 0;
fail:
	otz_engine_free(e);
	return rc;
}

int otz__engine_rules_ready(otz_engine *e, otz_error *err)
{
	int rc;
	if (!e->rules->compiled && (rc = otz_ruleset_compile(e->rules, 0, err)))
		return rc;
	if (!e->pf && otz__prefilter_build(&e->pf, e->rules))
		return otz__fail(err, OTZ_ENOMEM, "out of memory building the prefilter");
	return 0;
}

int otz__engine_finish(otz_engine *e, otz_error *err)
{
	int rc = otz__engine_rules_ready(e, err);
	/* An engine read from a database has its title index already, from the
	 * words stored there, and its inverted index, stored whole. */
	if (!rc && ((!e->tkeys && otz__title_index_build(e)) ||
	            (!e->post_start && otz__postings_build(e))))
		rc = otz__fail(err, OTZ_ENOMEM, "out of memory building the specimen indexes");
	return rc;
}

void otz_engine_free(otz_engine *e)
{
	if (!e)
		return;
	otz__prefilter_free(e->pf);
	otz_ruleset_free(e->rules);
	otz__metric_pats_free(e->mpats);
	pcre2_code_free(e->salary_re);
	pcre2_code_free(e->level_re);
	pcre2_code_free(e->hourly_re);
	for (size_t i = 0; i < e->nspecimens; i++) {
		otz_record_free(atomic_load_explicit(&e->specimens[i], memory_order_relaxed));
		free(e->spec_files[i]);
		free(atomic_load_explicit(&e->spec_texts[i], memory_order_relaxed));
		free(e->vecs[i]);
	}
	free(e->specimens);
	free(e->spec_files);
	free(e->spec_texts);
	free(e->vecs);
	free(e->veclens);
	otz__vocab_free(e->vocab);
	otz__title_index_free(e);
	free(e->post_start);
	free(e->post);
	free(e->prior);
	otz__engine_db_close(e);
	pthread_mutex_destroy(&e->lazy);
	free(e);
}

const otz_ruleset *otz_engine_rules(const otz_engine *e)
{
	return e->rules;
}

size_t otz_engine_specimen_count(const otz_engine *e)
{
	return e->nspecimens;
}

const otz_record *otz_engine_specimen(const otz_engine *e, size_t i)
{
	if (i >= e->nspecimens || otz__specimen_ready(e, i, NULL))
		return NULL;
	return atomic_load_explicit(&e->specimens[i], memory_order_acquire);
}

const char *otz_engine_specimen_file(const otz_engine *e, size_t i)
{
	return i < e->nspecimens ? e->spec_files[i] : NULL;
}

const char *otz_engine_specimen_text(const otz_engine *e, size_t i)
{
	if (i >= e->nspecimens || otz__specimen_ready(e, i, NULL))
		return NULL;
	return atomic_load_explicit(&e->spec_texts[i], memory_order_acquire);
}

int otz_session_new(otz_session **out, const otz_engine *e)
{
	otz_session *s = calloc(1, sizeof(*s));
	if (!s)
		return OTZ_ENOMEM;
	s->engine = e;
	s->md = pcre2_match_data_create(32, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	s->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	size_t nv = e->vocab ? otz__vocab_size(e->vocab) : 0;
	size_t np = otz_ruleset_pattern_count(e->rules);
	s->marks = calloc(np ? np : 1, sizeof(uint32_t));
	s->cand = calloc(np ? np : 1, sizeof(uint32_t));
	s->qvec = calloc(nv ? nv : 1, sizeof(float));
	s->tsim = calloc(e->nspecimens ? e->nspecimens : 1, sizeof(double));
	s->dots = calloc(e->nspecimens ? e->nspecimens : 1, sizeof(double));
	s->talias = calloc(e->nspecimens ? e->nspecimens : 1, sizeof(long));
	s->tment = calloc(e->nspecimens ? e->nspecimens : 1, sizeof(double));
	s->final = calloc(e->nspecimens ? e->nspecimens : 1, sizeof(double));
	s->qtouched = calloc(nv ? nv : 1, sizeof(uint32_t));
	if (!s->md || !s->mctx || !s->jit || !s->marks || !s->cand || !s->qvec || !s->qtouched || !s->tsim ||
	    !s->dots || !s->talias || !s->tment || !s->final) {
		otz_session_free(s);
		return OTZ_ENOMEM;
	}
	pcre2_set_match_limit(s->mctx, OTZ_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx, OTZ_DEPTH_LIMIT);
	pcre2_set_heap_limit(s->mctx, OTZ_HEAP_LIMIT_KB);
	pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
	*out = s;
	return 0;
}

void otz_session_free(otz_session *s)
{
	if (!s)
		return;
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	pcre2_jit_stack_free(s->jit);
	free(s->marks);
	free(s->cand);
	free(s->tsim);
	free(s->dots);
	free(s->talias);
	free(s->tment);
	free(s->final);
	free(s->qother);
	free(s->qvec);
	free(s->qtouched);
	free(s);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* The features of a text. */
static int text_features(otz_session *s, const char *text, size_t len, otz_feat **f, size_t *nf,
                         otz_error *err)
{
	otz_analysis an;
	int rc = otz__analyze(s, &an, text, len, 0, err);
	if (!rc) {
		if ((rc = otz__features(s->engine->rules, &an, f, nf)))
			otz__fail(err, rc, "out of memory");
		otz__analysis_dispose(&an);
	}
	return rc;
}

/* The features a specimen is matched on: those of its evidence text. */
static int evidence_features(otz_session *s, const otz_record *r, otz_feat **f, size_t *nf,
                             otz_error *err)
{
	otz_buf ev = OTZ_BUF_INIT;
	int rc = otz__record_evidence(r, &ev);
	if (rc)
		return otz__fail(err, rc, "out of memory");
	rc = text_features(s, ev.ptr ? ev.ptr : "", ev.len, f, nf, err);
	otz_buf_dispose(&ev);
	return rc;
}

/* The features a specimen adds to the background language: its record
 * without [11]. */
static int background_features(otz_session *s, const otz_record *r, otz_feat **f, size_t *nf,
                               otz_error *err)
{
	otz_buf bg = OTZ_BUF_INIT;
	int rc = otz__record_background(r, &bg);
	if (rc)
		return otz__fail(err, rc, "out of memory");
	rc = text_features(s, bg.ptr ? bg.ptr : "", bg.len, f, nf, err);
	otz_buf_dispose(&bg);
	return rc;
}

/* Hand every diagnostic the ruleset gathered to the caller's callback. */
static void pass_diags(const otz_ruleset *rs, const otz_build_options *opts)
{
	if (!opts || !opts->diag)
		return;
	for (size_t i = 0; i < otz_ruleset_diag_count(rs); i++)
		opts->diag(opts->diag_ctx, otz_ruleset_diag(rs, i));
}

int otz_engine_from_sources(otz_engine **out, const char *rules_dir,
                            const char *corpus_dir, const otz_build_options *opts,
                            otz_error *err)
{
	int rc = 0;
	char **files = NULL;
	size_t nfiles = 0;
	otz_feat **feats = NULL, **bg = NULL;
	size_t *nfeats = NULL, *nbg = NULL;
	otz_session *s = NULL;
	otz_engine *e = NULL;
	if ((rc = otz__engine_new(&e, err)))
		return rc;
	rc = otz_ruleset_add_dir(e->rules, rules_dir, err);
	/* A parse problem in one file still lets the others be checked, so
	 * that one run reports every problem. */
	if (rc == 0 || rc == OTZ_ERULE) {
		otz_error first = {0, ""};
		int crc = otz_ruleset_compile(e->rules, 1, rc ? &first : err);
		if (!rc)
			rc = crc;
	}
	if (rc == OTZ_ERULE)
		pass_diags(e->rules, opts);
	if (rc || (rc = otz__engine_rules_ready(e, err)))
		goto done;
	if ((rc = otz__list_dir(corpus_dir, ".txt", &files, &nfiles, err)))
		goto done;
	if (nfiles == 0) {
		rc = otz__fail(err, OTZ_ERECORD, "%s: no specimen records (*.txt)", corpus_dir);
		goto done;
	}
	e->specimens = calloc(nfiles, sizeof(*e->specimens));
	e->spec_files = calloc(nfiles, sizeof(char *));
	e->spec_texts = calloc(nfiles, sizeof(*e->spec_texts));
	e->vecs = calloc(nfiles, sizeof(*e->vecs));
	e->veclens = calloc(nfiles, sizeof(size_t));
	feats = calloc(nfiles, sizeof(*feats));
	nfeats = calloc(nfiles, sizeof(size_t));
	bg = calloc(nfiles, sizeof(*bg));
	nbg = calloc(nfiles, sizeof(size_t));
	if (!e->specimens || !e->spec_files || !e->spec_texts || !e->vecs || !e->veclens ||
	    !feats || !nfeats || !bg || !nbg) {
		rc = otz__fail(err, OTZ_ENOMEM, "out of memory");
		goto done;
	}
	/* A session without a vocabulary: enough to analyze. */
	if ((rc = otz_session_new(&s, e))) {
		rc = otz__fail(err, rc, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nfiles; i++) {
		char *text = NULL;
		size_t len = 0;
		if ((rc = otz__read_file(files[i], &text, &len, err)))
			goto done;
		e->spec_texts[i] = text;
		e->spec_files[i] = strdup(base_name(files[i]));
		e->nspecimens = i + 1;
		if (!e->spec_files[i]) {
			rc = otz__fail(err, OTZ_ENOMEM, "out of memory");
			goto done;
		}
		otz_record *rec = NULL;
		if ((rc = otz_record_parse(&rec, text, len, files[i], err)))
			goto done;
		e->specimens[i] = rec;
		if ((rc = evidence_features(s, rec, &feats[i], &nfeats[i], err)) ||
		    (rc = background_features(s, rec, &bg[i], &nbg[i], err))) {
			if (rc != OTZ_ENOMEM)
				rc = otz__fail(err, rc, "%s: %s", files[i], err ? err->msg : "");
			goto done;
		}
	}
	if ((rc = otz__models_build(&e->vocab, e->vecs, e->veclens, feats, nfeats, bg, nbg,
	                            nfiles))) {
		rc = otz__fail(err, rc, "out of memory");
		goto done;
	}
	if ((rc = otz__engine_finish(e, err)))
		goto done;
	*out = e;
	e = NULL;
done:
	otz_session_free(s);
	for (size_t i = 0; feats && i < nfiles; i++)
		otz__feats_free(feats[i], nfeats[i]);
	for (size_t i = 0; bg && i < nfiles; i++)
		otz__feats_free(bg[i], nbg[i]);
	free(feats);
	free(nfeats);
	free(bg);
	free(nbg);
	otz__free_strv(files, nfiles);
	otz_engine_free(e);
	return rc;
}
