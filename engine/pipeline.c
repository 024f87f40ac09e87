/*
 * pipeline.c - one posting in, its file record out: the stages in order.
 *
 * otz__analyze() runs the first three: the binary check, normalize
 * (case-folded, with the map back to the input), segment and match.
 * otz_translate() runs the rest on a run context that carries the call's
 * options and the record being built (nothing of a call is parked on the
 * session): translate (translate.c), metrics (metrics.c), score against the
 * specimens (score.c), the related specimens with their evidence, the
 * sections borrowed from the closest specimen when it matches well enough
 * (recfmt.c says what may be borrowed), and the figures (figures.c).
 * Sections without evidence stay empty and the writers leave them out.
 *
 * Fails with OTZ_EBINARY, OTZ_EUTF8 (with the byte offset) or OTZ_EEMPTY
 * for unusable input, OTZ_ENOMEM otherwise; the record belongs to the
 * caller.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* The most related specimens a record lists. */
#define MAX_RELATED 16
/* A first line longer than this, in words or bytes, is not a title. */
#define TITLE_MAX_WORDS 8
#define TITLE_MAX_BYTES 80
/* A title's label is looked for on the posting's first lines. */
#define TITLE_LINES 6

void otz__analysis_dispose(otz_analysis *an)
{
	if (!an)
		return;
	otz_text_dispose(&an->text);
	free(an->segs);
	free(an->hits);
	memset(an, 0, sizeof(*an));
}

/* Refuse a binary file, saying where it shows. */
static int check_binary(const char *input, size_t len, otz_error *err)
{
	if (!otz_looks_binary(input, len))
		return 0;
	const char *nul = memchr(input, '\0', len < 8192 ? len : 8192);
	if (nul)
		return otz__fail(err, OTZ_EBINARY, "binary input (NUL byte at offset %zu)",
		                 (size_t)(nul - input));
	return otz__fail(err, OTZ_EBINARY, "binary input (mostly control bytes)");
}

int otz__analyze_with(otz_session *s, otz_analysis *an, const char *input, size_t len,
                      const otz_analyze_opts *o, otz_error *err)
{
	int rc;
	otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
	uint64_t t0 = o->stage_ns ? otz__now_ns() : 0;
	memset(an, 0, sizeof(*an));
	if ((rc = check_binary(input, len, err)))
		return rc;
	no.lossy = o->lossy;
	if ((rc = otz_normalize(&an->text, input, len, &no, err)))
		return rc;
	otz__lap(o->stage_ns, OTZ_STAGE_NORMALIZE, &t0);
	if ((rc = otz_segment_text(&an->segs, &an->nsegs, an->text.s, an->text.len, err)))
		goto fail;
	otz__lap(o->stage_ns, OTZ_STAGE_SEGMENT, &t0);
	if ((rc = otz__match(s, s->engine->rules, an, o->no_prefilter, err)))
		goto fail;
	otz__lap(o->stage_ns, OTZ_STAGE_MATCH, &t0);
	return 0;
fail:
	otz__analysis_dispose(an);
	return rc;
}

int otz__analyze(otz_session *s, otz_analysis *an, const char *input, size_t len, int lossy,
                 otz_error *err)
{
	otz_analyze_opts o = {lossy, 0, NULL};
	return otz__analyze_with(s, an, input, len, &o, err);
}

/* Labels that give the title on their line ("Job Title: Data Engineer"). */
static const char *const title_labels[] = {"title", "job title", "position title", "position",
                                           "role", "job", "job description", "posting title",
                                           "now hiring", NULL};
/* Labels of a posting's other particulars, on the line a title might be. */
static const char *const other_labels[] = {
	"location", "work location", "job location", "site", "site name", "department", "team",
	"division", "req id", "req", "ref#", "ref", "job id", "id", "position number", "school",
	"position type", "job type", "type", "date", "posting date", "start date", "closing date",
	"salary", "pay", "schedule", "shift", "hours", "status", "reports to", "company",
	"employer", "category", "grade", "level", "travel", "clearance", "city", "region", NULL};
/* Words a heading of a posting's sections is made of ("Company Overview",
 * "About Us", "Position Summary", "Who We Are"): a first line of nothing
 * but these names no role. */
static const char *const heading_words[] = {
	"about", "us", "the", "our", "company", "overview", "description", "descriptions", "job",
	"summary", "position", "role", "who", "we", "are", "what", "do", "mission", "purpose",
	"purposes", "challenge", "details", "detail", "opportunity", "responsibilities", "duties",
	"primary", "and", "qualifications", "preferred", "required", "posting", "title", "team",
	"introduction", "information", "profile", "organization", "organisation", "agency", "look",
	"for", "this", "is", "hey", "there", "hello", "hi", "welcome", "startup", "your",
	"essential", "key", "general", "background", "context", "a", "of", NULL};
static const char *const months[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"january", "february", "march", "april", "june", "july", "august", "september", "october",
	"november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday", NULL};

/* Can t[0..n) (case-folded, one line) be a title?  Not a heading, a date,
 * a sentence, nor a label of something else ("Location: Tampa, FL",
 * "Req Id: 2475"); `label` is set to the start of the value when the line
 * is a title's label ("Job Title: Data Engineer"), else to n.  Any other
 * line with a colon is kept whole ("Sumo Logic: Staff Data Engineer"). */
static int title_like(const char *t, size_t n, size_t *label)
{
	*label = n;
	const char *colon = memchr(t, ':', n);
	if (colon && otz__word_in(other_labels, t, (size_t)(colon - t)))
		return 0; /* "Location: Tampa, FL" */
	if (colon && otz__word_in(title_labels, t, (size_t)(colon - t))) {
		size_t k = (size_t)(colon - t);
		*label = k + 1;
		while (*label < n && t[*label] == ' ')
			(*label)++;
		t += *label;
		n -= *label;
	}
	if (!n || strchr(".!?:,", t[n - 1]))
		return 0;
	size_t i = 0, ws, wl, words = 0, headings = 0, dated = 0, digits = 0;
	while (otz__next_word(t, n, &i, 0, &ws, &wl)) {
		words++;
		headings += otz__word_in(heading_words, t + ws, wl);
		dated += otz__word_in(months, t + ws, wl);
	}
	for (size_t k = 0; k < n; k++)
		digits += t[k] >= '0' && t[k] <= '9';
	if (!words || words > TITLE_MAX_WORDS || n > TITLE_MAX_BYTES || headings == words)
		return 0;
	/* "Wednesday, March 25, 2020", "10-Oct-2019" */
	return !(dated && digits);
}

/* Phrases after which a posting names the role it hires for. */
static const char *const hiring[] = {"seeking a ", "seeking an ", "looking for a ",
                                     "looking for an ", "hiring a ", "hiring an ",
                                     "searching for a ", "searching for an ", "in search of a ",
                                     "in search of an ", NULL};
/* The last word of a role's name ("Senior Data Scientist"), singular. */
static const char *const role_nouns[] = {
	"engineer", "scientist", "analyst", "manager", "developer", "specialist", "director",
	"lead", "associate", "coordinator", "representative", "consultant", "architect",
	"administrator", "technician", "assistant", "officer", "nurse", "paralegal", "accountant",
	"designer", "writer", "intern", "researcher", "statistician", "programmer", "modeler",
	"strategist", "executive", "generalist", "advisor", "adviser", "recruiter", "teacher",
	"pharmacist", "therapist", "clerk", "supervisor", "attorney", "counsel", "auditor",
	"controller", "economist", "actuary", "planner", "buyer", "editor", "producer", "operator",
	"mechanic", "electrician", "driver", "agent", "partner", NULL};
/* Lower-case words a role's name may hold between its capitalised ones. */
static const char *const name_joins[] = {"of", "and", "&", "/", "-", "for", NULL};
/* Adjectives and the like that may come between the phrase and the name
 * ("seeking a highly motivated Data Engineer"); any other lower-case word
 * ends the search. */
#define TITLE_SKIP_WORDS 3
/* The bytes of a posting searched for its role's name. */
#define TITLE_SCAN_BYTES 4000

/* The word at s[i..): its end (spaces not included). */
static size_t word_end(const char *s, size_t i, size_t len)
{
	while (i < len && s[i] != ' ' && s[i] != '\n' && s[i] != '\t')
		i++;
	return i;
}

/* "We are seeking a Senior Data Scientist to ...": the capitalised words
 * after a hiring phrase among the posting's first TITLE_SCAN_BYTES, when the
 * last of them names a role; NULL when none does.  A posting with no title
 * line names its role so more often than not; the record is filed under it
 * rather than as an Unfiled Role.  Linear in the bytes scanned. */
static char *title_in_text(otz_run *run)
{
	const char *s = run->input;
	size_t len = run->len < TITLE_SCAN_BYTES ? run->len : TITLE_SCAN_BYTES;
	for (size_t i = 0; i < len; i++) {
		size_t p = SIZE_MAX;
		for (size_t k = 0; hiring[k] && p == SIZE_MAX; k++) {
			size_t n = strlen(hiring[k]);
			if (i + n <= len && strncasecmp(s + i, hiring[k], n) == 0 &&
			    (i == 0 || !isalnum((unsigned char)s[i - 1])))
				p = i + n;
		}
		if (p == SIZE_MAX)
			continue;
		size_t start = SIZE_MAX, end = p, words = 0, skipped = 0;
		const char *last = NULL;
		size_t last_n = 0;
		while (p < len && words < TITLE_MAX_WORDS) {
			while (p < len && s[p] == ' ')
				p++;
			size_t e = word_end(s, p, len), n = e - p;
			if (!n)
				break;
			size_t bare = n; /* without closing punctuation */
			while (bare && strchr(",.;:)!?", s[p + bare - 1]))
				bare--;
			int cap = isupper((unsigned char)s[p]);
			if (!cap && start == SIZE_MAX && skipped < TITLE_SKIP_WORDS &&
			    !otz__word_in(name_joins, s + p, bare) && bare == n) {
				skipped++; /* "a highly motivated ..." */
				p = e;
				continue;
			}
			if (!cap && (start == SIZE_MAX || !otz__word_in(name_joins, s + p, bare)))
				break;
			if (start == SIZE_MAX)
				start = p;
			words++;
			if (cap) {
				last = s + p;
				last_n = bare;
				end = p + bare;
			}
			p = e;
			if (bare < n) /* the name ends at its punctuation */
				break;
		}
		if (start == SIZE_MAX || !last)
			continue;
		char w[32];
		if (last_n >= sizeof(w))
			continue;
		for (size_t k = 0; k < last_n; k++)
			w[k] = (char)tolower((unsigned char)last[k]);
		size_t wn = last_n > 1 && w[last_n - 1] == 's' ? last_n - 1 : last_n;
		if (otz__word_in(role_nouns, w, wn))
			return otz__display(run->r->arena_, run->input, start, end);
	}
	return NULL;
}

/* A title given with the posting that is also the posting's own line among
 * its first (a pasted ad starts with its title): that line names the job
 * and claims nothing, as a title found in the text does; its words are not
 * translated ("Sales Development Representative" took the SDR's own joke as
 * if a sentence had said it). */
static void given_title_line(otz_run *run, const char *title)
{
	const otz_analysis *an = run->an;
	size_t tl = strlen(title);
	for (size_t k = 0; k < an->nsegs && k < TITLE_LINES; k++) {
		const otz_segment *g = &an->segs[k];
		if (g->kind != OTZ_SEG_SENTENCE || !g->line_start ||
		    (g->end < an->text.len && an->text.s[g->end] != '\n'))
			continue;
		if (g->end - g->start == tl && strncasecmp(an->text.s + g->start, title, tl) == 0) {
			run->title_seg = k;
			return;
		}
	}
}

/* The role's title: a record names its own; else a line that labels it
 * among the posting's first ("Position Title: Lead Data Scientist"); else
 * a first line short and bare enough to be one; else the role a sentence
 * says the posting hires for (title_in_text); else NULL. */
static char *guess_title(otz_run *run)
{
	const otz_analysis *an = run->an;
	otz_record *r = run->r;
	if (otz__is_record(run->input, run->len)) {
		otz_record *rec = NULL;
		char *t = NULL;
		if (otz_record_parse(&rec, run->input, run->len, "input", NULL) == 0)
			t = otz__clean_line(r->arena_, rec->title);
		otz_record_free(rec);
		if (t)
			return t;
	}
	size_t pick = SIZE_MAX, from = 0;
	for (size_t k = 0; k < an->nsegs && k < TITLE_LINES; k++) {
		const otz_segment *g = &an->segs[k];
		size_t n = g->end - g->start, label;
		/* a whole line of its own */
		if (g->kind != OTZ_SEG_SENTENCE || !g->line_start ||
		    (g->end < an->text.len && an->text.s[g->end] != '\n'))
			continue;
		if (!title_like(an->text.s + g->start, n, &label))
			continue;
		if (label < n) { /* labelled: the title, wherever it stands */
			pick = k;
			from = label;
			break;
		}
		if (k == 0)
			pick = 0;
	}
	if (pick == SIZE_MAX)
		return title_in_text(run);
	run->title_seg = pick;
	const otz_segment *g = &an->segs[pick];
	otz_span sp = otz__src_span(&an->text, g->start + from, g->end);
	return otz__display(r->arena_, run->input, sp.start, sp.end);
}

/* The patterns skipped after a PCRE2 limit, with their rule's file and line. */
static int note_limits(otz_run *run)
{
	const otz_analysis *an = run->an;
	const otz_ruleset *rs = run->e->rules;
	otz_record *r = run->r;
	size_t n = an->limit_hits < OTZ_MAX_LIMIT_NOTES ? an->limit_hits : OTZ_MAX_LIMIT_NOTES;
	r->limit_hits = an->limit_hits;
	if (!n)
		return 0;
	if (!(r->limits = calloc(n, sizeof(*r->limits))))
		return OTZ_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const otz_rule *rule = &rs->rules[an->limits[i].rule];
		otz_limit_note *ln = &r->limits[i];
		ln->rule_id = otz__rstr(r, rule->id);
		ln->file = otz__rstr(r, rule->file);
		if (!ln->rule_id || !ln->file)
			return OTZ_ENOMEM;
		ln->line = rule->patterns[an->limits[i].pattern].line;
		ln->limit = an->limits[i].code == PCRE2_ERROR_DEPTHLIMIT      ? "depth"
		            : an->limits[i].code == PCRE2_ERROR_HEAPLIMIT     ? "heap"
		            : an->limits[i].code == PCRE2_ERROR_MATCHLIMIT    ? "match"
		            : an->limits[i].code == PCRE2_ERROR_JIT_STACKLIMIT ? "JIT stack"
		                                                              : "other";
		ln->offset = an->text.src_start[an->segs[an->limits[i].seg].start];
	}
	r->nlimits = n;
	return 0;
}

/* [11]: the closest specimens, each with what it does and why it matched. */
static int related(otz_run *run, const otz_scored *top, size_t ntop)
{
	otz_record *r = run->r;
	if (!(r->related = calloc(ntop ? ntop : 1, sizeof(*r->related))))
		return OTZ_ENOMEM;
	for (size_t i = 0; i < ntop; i++) {
		const otz_record *sp = run->e->specimens[top[i].spec];
		otz_related *rel = &r->related[r->nrelated++];
		rel->title = otz__rstr(r, sp->title);
		/* What the related role does: its first autopsy translation. */
		rel->text = otz__rstr(r, sp->nautopsy ? sp->autopsy[0].translation
		                                      : sp->org_note ? sp->org_note : "");
		rel->score = top[i].p;
		rel->text_score = top[i].text;
		rel->title_score = top[i].title;
		if (top[i].alias >= 0)
			rel->alias = otz__rstr(r, top[i].alias == 0 ? sp->title : sp->aliases[top[i].alias - 1]);
		rel->percent = otz__percent(top, ntop, i);
		otz__evidence(run->s, top[i].spec, r->arena_, &rel->rules, &rel->nrules, &rel->terms,
		              &rel->nterms, 5);
		if (!rel->title || !rel->text)
			return OTZ_ENOMEM;
	}
	return 0;
}

/* A related specimen's line that the record already says (a posting that
 * shares the specimen's own sentence takes the same translation in [08])
 * gives way to the specimen's next one the record does not say. */
static int related_unsaid(otz_run *run, const otz_scored *top)
{
	otz_record *r = run->r;
	for (size_t i = 0; i < r->nrelated; i++) {
		otz_related *rel = &r->related[i];
		if (!otz__run_said(run, rel->text))
			continue;
		const otz_record *sp = run->e->specimens[top[i].spec];
		const char *alt = NULL;
		for (size_t k = 0; k < sp->nautopsy && !alt; k++)
			if (!otz__run_said(run, sp->autopsy[k].translation))
				alt = sp->autopsy[k].translation;
		if (!alt && sp->org_note && !otz__run_said(run, sp->org_note))
			alt = sp->org_note;
		if (alt && !(rel->text = otz__rstr(r, alt)))
			return OTZ_ENOMEM;
	}
	return 0;
}

/*
 * Is the role known: does the closest specimen match well enough to speak
 * for it (lend its sections, its family and its figures)?  Its SYSTEM
 * MATCH must reach opts->known_percent, and a title given with the posting
 * must share something with the specimen's titles (OTZ_KNOWN_TITLE_MIN): a
 * posting for a zookeeper is no specimen's, however its words fall.  The
 * thresholds are measured in bench/RESULTS.md.  And the posting must share
 * enough telling words with it (OTZ_KNOWN_MIN_WORDS): a posting of nothing
 * but buzzwords is every specimen's and none.
 */
static const char *role_unknown_why(const otz_run *run, const otz_scored *top, size_t ntop)
{
	if (otz__percent(top, ntop, 0) < run->opts->known_percent)
		return "it is not a clear winner";
	if (otz__telling_words(run->s, run->an, top[0].spec) < OTZ_KNOWN_MIN_WORDS &&
	    top[0].title < OTZ_TITLE_NAMES_ROLE)
		return "the posting says too little of what the job is";
	if (run->opts->title && top[0].title < OTZ_KNOWN_TITLE_MIN)
		return "the title given is not one of its titles or near one";
	return NULL;
}

/* Borrow the closest specimen's descriptive sections when the role is
 * known; else name the nearest one as such. */
static int borrow(otz_run *run, const otz_scored *top, size_t ntop)
{
	otz_record *r = run->r;
	if (!ntop)
		return 0;
	const otz_record *sp = run->e->specimens[top[0].spec];
	const char *why = role_unknown_why(run, top, ntop);
	if (!(r->role_known = why == NULL)) {
		r->nearest = otz__rstr(r, sp->title);
		r->nearest_percent = otz__percent(top, ntop, 0);
		r->nearest_why = otz__rstr(r, why);
		return r->nearest && r->nearest_why ? 0 : OTZ_ENOMEM;
	}
	r->via = otz__rstr(r, sp->title);
	r->via_percent = otz__percent(top, ntop, 0);
	if (!r->via || (sp->family && !(r->family = otz__rstr(r, sp->family))))
		return OTZ_ENOMEM;
	/* The translations will speak in its words. */
	run->spec = sp;
	run->family = sp->family ? otz_family_find(sp->family) : -1;
	run->lexicon = top[0].title >= OTZ_TITLE_NAMES_ROLE ||
	               otz__title_holds(run->e, run->title, top[0].spec);
	return otz__record_borrow(r, sp);
}

/*
 * Score the posting against the specimens.  A posting is scored on all its
 * words; a file record on its evidence (otz__record_evidence), as the
 * specimens themselves are, so that a specimen's own record matches it at
 * 100 %.
 */
static int score(otz_run *run, otz_scored *top, size_t want, size_t *ntop)
{
	otz_record *rec = NULL;
	otz_buf ev = OTZ_BUF_INIT;
	otz_analysis an;
	int rc;
	if (!otz__is_record(run->input, run->len) ||
	    otz_record_parse(&rec, run->input, run->len, "input", NULL))
		return otz__score_analysis(run->s, run->an, run->title, top, want, ntop);
	if (!(rc = otz__record_evidence(rec, &ev)) &&
	    !(rc = otz__analyze(run->s, &an, ev.ptr ? ev.ptr : "", ev.len, 1, NULL))) {
		rc = otz__score_analysis(run->s, &an, run->title, top, want, ntop);
		otz__analysis_dispose(&an);
	}
	otz_buf_dispose(&ev);
	otz_record_free(rec);
	return rc;
}

/* A record for the run: the counts of the analysis, the skipped patterns,
 * the title and the slug. */
static int record_new(otz_run *run)
{
	otz_record *r = run->r = otz__record_alloc();
	if (!r)
		return OTZ_ENOMEM;
	r->is_translation = 1;
	r->nsegments = run->an->nsegs;
	r->nhits = run->an->nhits;
	r->input_bytes = run->len;
	int rc = note_limits(run);
	if (rc)
		return rc;
	/* A title is one clean line, whoever wrote it: a newline in it would
	 * forge lines of the record, an escape would reach the terminal. */
	char *title = run->opts->title ? otz__clean_line(r->arena_, run->opts->title) : guess_title(run);
	if (title && !*title)
		title = NULL;
	if (title && run->opts->title)
		given_title_line(run, title);
	/* The placeholder names no role: it is not scored as a title. */
	run->title = title;
	r->title = title ? title : otz__rstr(r, "Unfiled Role");
	char *slug = r->title ? otz_slugify(r->title) : NULL;
	r->slug = slug ? otz__rstr(r, slug) : NULL;
	free(slug);
	return r->title && r->slug ? 0 : OTZ_ENOMEM;
}

int otz_translate(otz_record **out, otz_session *s, const char *input, size_t len,
                  const otz_translate_options *opts, otz_error *err)
{
	otz_translate_options dflt = OTZ_TRANSLATE_OPTIONS_INIT;
	otz_analysis an;
	otz_scored top[MAX_RELATED];
	size_t ntop = 0;
	if (!opts)
		opts = &dflt;
	otz_analyze_opts ao = {opts->lossy, opts->no_prefilter, opts->stage_ns};
	otz_run run = {.s = s, .e = s->engine, .opts = opts, .an = &an, .input = input, .len = len,
	               .family = -1, .title_seg = SIZE_MAX};
	int rc = otz__analyze_with(s, &an, input, len, &ao, err);
	if (rc)
		return rc;
	/* The rules that hit are the ones whose variants the stages read; a
	 * loaded engine reads them now if it has not yet. */
	if ((rc = otz__hits_ready(s->engine->rules, &an, err))) {
		otz__analysis_dispose(&an);
		return rc;
	}
	uint64_t t0 = opts->stage_ns ? otz__now_ns() : 0;
	if (an.nsegs == 0) {
		if (len == 0)
			rc = otz__fail(err, OTZ_EEMPTY, "empty input: nothing to translate");
		else
			rc = otz__fail(err, OTZ_EEMPTY,
			               "no words to translate: %zu bytes of whitespace, bullets, emoji "
			               "or markup only",
			               len);
		goto done;
	}
	size_t want = opts->related ? opts->related : 3;
	if (want > MAX_RELATED)
		want = MAX_RELATED;
	/* The role first: the translations are written for it. */
	if ((rc = record_new(&run)) || (rc = score(&run, top, want, &ntop)))
		goto done;
	/* A specimen that shares nothing with the posting is not related. */
	while (ntop && !otz__shares(s->engine, &top[ntop - 1]))
		ntop--;
	/* The records of those that are, read now if the engine has not yet:
	 * from here on they are used as they are. */
	if ((rc = otz__specimens_ready(s->engine, top, ntop, err)))
		goto done;
	if ((rc = related(&run, top, ntop)) || (rc = borrow(&run, top, ntop)) ||
	    (rc = otz__usual_ready(&run, err)))
		goto done;
	otz__lap(opts->stage_ns, OTZ_STAGE_SCORE, &t0);
	if ((rc = otz__translate_stage(&run)) || (rc = otz__metrics_stage(&run)) ||
	    (rc = related_unsaid(&run, top)))
		goto done;
	otz__lap(opts->stage_ns, OTZ_STAGE_TRANSLATE, &t0);
	if ((rc = otz__figures(&run, top, ntop)))
		goto done;
	otz__lap(opts->stage_ns, OTZ_STAGE_RECORD, &t0);
	*out = run.r;
	run.r = NULL;
done:
	if (rc == OTZ_ENOMEM)
		otz__fail(err, rc, "out of memory while translating");
	otz_record_free(run.r);
	free(run.used);
	free(run.used_var);
	free(run.illusions);
	free(run.usual_rule);
	otz__analysis_dispose(&an);
	return rc;
}
