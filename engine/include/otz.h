/*
 * otz.h - the one public header of the otiose engine.
 *
 * The engine turns a job description into an Otiose file record: normalize,
 * segment, match the rule corpus, translate, flag metrics, score against the
 * stored specimens, build the record, render it.  It never prints, never
 * exits and keeps no global mutable state: everything lives on handles.
 *
 * Conventions (after libgit2 and pcre2):
 *  - functions return 0 on success or a negative OTZ_E* code;
 *  - an `otz_error *err` argument, when not NULL, receives a message that
 *    says what went wrong and where (file:line for rule and corpus files,
 *    byte offsets for input text);
 *  - `otz_X_new` / `otz_X_free` pairs; every `_free` accepts NULL;
 *  - ownership is stated in each prototype's comment.
 */
#ifndef OTZ_H
#define OTZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OTZ_VERSION "0.1.0"
/* The largest input read by default; every command's --max-bytes raises it. */
#define OTZ_DEFAULT_MAX_BYTES (8u * 1024 * 1024)
/* Version of the built corpus database layout; a newer file is refused. */
#define OTZ_DB_FORMAT 6

/* Error codes.  0 is success. */
enum {
	OTZ_OK = 0,
	OTZ_ENOMEM = -1,   /* out of memory */
	OTZ_EUTF8 = -2,    /* invalid UTF-8 in input text */
	OTZ_EBINARY = -3,  /* input looks like a binary file */
	OTZ_EEMPTY = -4,   /* input has no text */
	OTZ_ERULE = -5,    /* a rule file is malformed or a rule fails its examples */
	OTZ_ERECORD = -6,  /* a file record could not be parsed */
	OTZ_EDB = -7,      /* the corpus database is missing, corrupt or foreign */
	OTZ_EIO = -8,      /* reading or writing a file failed */
	OTZ_EINVAL = -9,   /* a bad argument */
	OTZ_ELIMIT = -10,  /* a size or regex resource limit was hit */
	OTZ_ENOTFOUND = -11 /* a named thing does not exist */
};

/* A caller-owned error slot.  Functions fill it when they fail. */
typedef struct otz_error {
	int code;
	char msg[1024];
} otz_error;

/* A static, human-readable name for an error code. Never NULL. */
const char *otz_strerror(int code);

/* ------------------------------------------------------------------ */
/* normalize                                                          */
/* ------------------------------------------------------------------ */

typedef struct otz_norm_options {
	unsigned version;
	int lossy;    /* replace invalid UTF-8 with U+FFFD instead of failing */
	int casefold; /* case-fold (on for matching, off for display text) */
	int no_ascii_fast_path; /* send ASCII through utf8proc too (tests prove sameness) */
	int keep_marks; /* for quoting: keep the input's own characters (smart quotes,
	                 * dashes, ligatures, full-width forms: canonical composition
	                 * only, no compatibility folding); tags, entities, invisible
	                 * characters, bullets and whitespace are still handled */
} otz_norm_options;
#define OTZ_NORM_OPTIONS_VERSION 2
#define OTZ_NORM_OPTIONS_INIT {OTZ_NORM_OPTIONS_VERSION, 0, 1, 0, 0}

/*
 * Normalized text with a map back to the input.  For every byte i of `s`,
 * the code point it came from occupied input bytes [src_start[i],
 * src_end[i]).  Owned by the caller once filled; release with
 * otz_text_dispose().
 */
typedef struct otz_text {
	char *s;             /* NUL-terminated UTF-8 */
	size_t len;
	uint32_t *src_start;
	uint32_t *src_end;
	size_t replaced;     /* invalid sequences replaced (lossy mode) */
} otz_text;

/*
 * Normalize `len` bytes of `in` into `out` (which the caller provides and
 * later disposes).  Fails with OTZ_EUTF8 naming the byte offset of the first
 * invalid sequence unless opts->lossy, OTZ_ELIMIT if the input exceeds 4 GiB.
 */
int otz_normalize(otz_text *out, const char *in, size_t len,
                  const otz_norm_options *opts, otz_error *err);
/* Free what otz_normalize put in `t`; `t` itself is the caller's. */
void otz_text_dispose(otz_text *t);

/*
 * Read all of a stream (named `name` in messages) or a file: *out is
 * malloc'ed, NUL-terminated, owned by the caller.  A `limit` above zero
 * refuses anything larger with OTZ_ELIMIT rather than truncating it; read
 * errors are OTZ_EIO with the name and the system's reason.
 */
int otz_read_stream(FILE *f, const char *name, size_t limit, char **out, size_t *len,
                    otz_error *err);
int otz_read_file(const char *path, size_t limit, char **out, size_t *len, otz_error *err);

/* The offset of the first invalid UTF-8 sequence in s[0..n) (overlong
 * forms, surrogates, truncated sequences, code points past U+10FFFF), or n
 * if it is all valid. */
size_t otz_utf8_invalid_at(const char *s, size_t n);

/* Is this buffer a binary file (NUL bytes, or mostly control bytes)? */
int otz_looks_binary(const char *in, size_t len);

/* ------------------------------------------------------------------ */
/* segment                                                            */
/* ------------------------------------------------------------------ */

typedef enum { OTZ_SEG_SENTENCE = 0, OTZ_SEG_ITEM = 1 } otz_seg_kind;

typedef struct otz_segment {
	size_t start, end;  /* byte range in the normalized text */
	otz_seg_kind kind;
	int line_start;     /* 1 if it begins a line of the text */
	int org;            /* 1 if it says what the employer is or does, not what the
	                     * role is: under an "About us" heading, or a sentence
	                     * like "We are a leading provider of ..." that names
	                     * no hire (see segment.c) */
} otz_segment;

/*
 * Split normalized text into sentences and list items, each marked when it
 * is about the employer rather than the role (otz_segment.org).  On success
 * *out is a malloc'ed array of *n segments, owned by the caller (free()).
 */
int otz_segment_text(otz_segment **out, size_t *n, const char *text,
                     size_t len, otz_error *err);

/* ------------------------------------------------------------------ */
/* rules                                                              */
/* ------------------------------------------------------------------ */

typedef enum {
	OTZ_CAT_BUZZWORD = 0,
	OTZ_CAT_METRIC,
	OTZ_CAT_WEAPONRY,
	OTZ_CAT_HABITAT,
	OTZ_CAT_RED_FLAG,
	OTZ_CAT_BOILERPLATE, /* degrees, years, equal-opportunity lines, benefits, places */
	OTZ_CAT_CREDIT,      /* what a posting does right: a stated pay, a named manager */
	OTZ_CAT__COUNT
} otz_category;

/* "buzzword", "metric", ... ; NULL for an out-of-range value. */
const char *otz_category_name(otz_category c);

typedef struct otz_ruleset otz_ruleset;

/* Read-only view of one rule; pointers are owned by the ruleset. */
typedef struct otz_rule_info {
	const char *id;
	otz_category category;
	int weight;
	const char *translation; /* template; $1..$9 quote captures: the first for any role */
	size_t nvariants;        /* translations in all, family ones and slotted ones included */
	const char *name;        /* display name (metric, weaponry) or NULL */
	const char *file;
	int line;                /* line of the `rule:` key */
	size_t npatterns;
	size_t nexamples;
	size_t ncounters;
} otz_rule_info;

/* A new, empty ruleset, owned by the caller (otz_ruleset_free). */
int otz_ruleset_new(otz_ruleset **out);
void otz_ruleset_free(otz_ruleset *rs);

/*
 * Parse rule text (the format in rules/README.md).  `name` is used in
 * messages (file:line).  Problems are collected as diagnostics; the call
 * fails with OTZ_ERULE if there were any, with the first in `err`.
 */
int otz_ruleset_parse(otz_ruleset *rs, const char *name, const char *buf,
                      size_t len, otz_error *err);
/* Read and parse one file. */
int otz_ruleset_add_file(otz_ruleset *rs, const char *path, otz_error *err);
/* Read and parse every *.rules file of a directory, in name order. */
int otz_ruleset_add_dir(otz_ruleset *rs, const char *dir, otz_error *err);

/*
 * Compile every pattern (JIT, with match and depth limits) and, if
 * `check_examples`, run every rule's examples and counters.  Fails with
 * OTZ_ERULE and diagnostics for bad regexes (with their offset), examples
 * that do not match, counters that do.  After this the ruleset is read-only.
 */
int otz_ruleset_compile(otz_ruleset *rs, int check_examples, otz_error *err);

size_t otz_ruleset_count(const otz_ruleset *rs);
/* Example k of rule i (examples and counters in file order; *counter says
 * which); NULL past the end.  Owned by the ruleset. */
const char *otz_ruleset_example(const otz_ruleset *rs, size_t i, size_t k, int *counter);
size_t otz_ruleset_pattern_count(const otz_ruleset *rs);
/* Fill *info for rule i (0-based); OTZ_EINVAL if out of range. */
int otz_ruleset_info(const otz_ruleset *rs, size_t i, otz_rule_info *info);
/*
 * Checks across rules, for `rules check` (after a successful compile):
 * the same translation twice (in two rules, or two variants of one), and a
 * rule without a counter-example, are problems (diagnostics, and the call
 * fails with OTZ_ERULE); a rule that wins none of its own examples, because
 * a heavier or longer rule always takes them, is shadowed, and a rule one
 * of whose examples it matches only by a bare name (one or two words with a
 * capital inside the sentence) fires on mentions unless it says
 * `mention: yes`: both are reported as warnings.
 */
int otz_ruleset_lint(otz_ruleset *rs, otz_error *err);
size_t otz_ruleset_warning_count(const otz_ruleset *rs);
const char *otz_ruleset_warning(const otz_ruleset *rs, size_t i);

/* Diagnostics gathered by parse/compile, "file:line: message". */
size_t otz_ruleset_diag_count(const otz_ruleset *rs);
const char *otz_ruleset_diag(const otz_ruleset *rs, size_t i);

/* ------------------------------------------------------------------ */
/* records (the seed's format) and specimens                          */
/* ------------------------------------------------------------------ */

typedef struct otz_span {
	size_t start, end; /* byte offsets into the original input */
} otz_span;

/* A named entry: a bullshit metric, a weapon, a habitat line. */
typedef struct otz_entry {
	char *name;      /* may be NULL (habitat lines) */
	char *text;      /* description or reason */
	char *rule_id;   /* rule that produced it, NULL if none (heuristic, specimen) */
	int has_span;
	otz_span span;   /* where in the input, if has_span */
	int usual;       /* [05]: the closest role's own metric, named for a posting that
	                  * speaks of metrics without naming one, or names none at all
	                  * (name says so; without a span in the latter case) */
	int heuristic;   /* [05]: found by the metric heuristic, not by a rule's pattern;
	                  * rule_id is then the shape rule that gave its reason */
} otz_entry;

/* One LINKEDIN ILLUSION / OTIOSE TRANSLATION pair. */
typedef struct otz_autopsy {
	char *illusion;     /* the sentence as written */
	char *source;       /* "SOURCE REDACTED" or a locator */
	char *translation;
	char *rule_id;      /* NULL in imported specimens and for a specimen's own pair */
	char *specimen;     /* the specimen whose own translation this is, or NULL */
	const char *category;
	int weight;
	int has_span;
	otz_span span;
	/* More sentences that this entry translates too (the same rule, every
	 * variant already said; or boilerplate, which is one entry); spans in
	 * the input. */
	char **more;
	otz_span *more_spans;
	char **more_rules; /* the rule each of them tripped (NULL when read from a record) */
	size_t nmore;
	/* For a boilerplate entry that groups other kinds of boilerplate too:
	 * their names ("the licence requirement and the benefits list"), shown
	 * apart from the translation, which speaks for the first sentence. */
	char *also;
} otz_autopsy;

typedef struct otz_logentry {
	char *slot;   /* "10:00 - 11:00" */
	char *title;
	char *text;
} otz_logentry;

/* The kinds of word a specimen lists for translations to name (its
 * lexicon): "TOOLS:", "RITUALS:", "ARTEFACTS:", "COUNTERPARTS:" in [01]. */
typedef enum {
	OTZ_LEX_TOOL = 0,
	OTZ_LEX_RITUAL,
	OTZ_LEX_ARTEFACT,
	OTZ_LEX_COUNTERPART,
	OTZ_LEX__COUNT
} otz_lex_kind;

/* The role families a specimen may belong to ("engineering", "sales", ...),
 * in a fixed order; NULL past the end.  -1 from otz_family_find for a name
 * that is not one of them. */
const char *otz_family_name(size_t i);
int otz_family_find(const char *name);

typedef struct otz_complaint {
	char *text;
	char *source;
} otz_complaint;

/* A related specimen and the evidence for it. */
typedef struct otz_related {
	char *title;
	char *text;
	int percent;     /* SYSTEM MATCH */
	double score;    /* the combined score, 0..1 */
	double text_score;  /* cosine of the feature vectors, 0..1 */
	double title_score; /* title-to-alias similarity, 0..1 (0 if unused) */
	char *alias;     /* the specimen title or alias the role's title matched */
	char **rules;    /* shared rule ids that weigh most */
	size_t nrules;
	char **terms;    /* shared terms that weigh most */
	size_t nterms;
} otz_related;

/* A figure of the record with its one-line reason. */
typedef struct otz_figure {
	int present;
	long value;
	char *label;   /* "HIGH RISK", ... or NULL */
	char *reason;
} otz_figure;

/*
 * A pattern that ran into one of PCRE2's limits (match steps, backtracking
 * depth, heap) on one sentence of a translated input: it was skipped for
 * that sentence and the rest of the input was translated as usual.
 */
typedef struct otz_limit_note {
	char *rule_id;
	char *file;          /* the rule file the pattern came from */
	int line;            /* the pattern's line in it */
	const char *limit;   /* "match", "depth", "heap" or "JIT stack" (static) */
	size_t offset;       /* where the sentence begins, in bytes of the input */
} otz_limit_note;
/* At most this many notes are kept per input; limit_hits counts them all. */
#define OTZ_MAX_LIMIT_NOTES 32

/*
 * A file record: a parsed specimen or the result of a translation.  Plain
 * data; everything it points to is owned by the record and released by
 * otz_record_free().  Missing sections are NULL / zero-length.
 */
typedef struct otz_record {
	char *slug;          /* FILE RECORD: <slug> */
	char *question;      /* "WHAT DOES AN SDET ACTUALLY DO?" as written, or NULL */
	char *title;
	char *org_note;      /* [01] "* ..." line */
	char **aliases;
	size_t naliases;
	char *family;        /* [01] "FAMILY: sales", or NULL */
	char *role_name;     /* [01] "ROLE: the account executive": the role mid-sentence */
	char **lex[OTZ_LEX__COUNT]; /* [01] TOOLS, RITUALS, ARTEFACTS, COUNTERPARTS */
	size_t nlex[OTZ_LEX__COUNT];
	char **habitat_lines;
	size_t nhabitat_lines;
	otz_entry *habitat;  /* habitat rule hits (translations) */
	size_t nhabitat;
	long salary;         /* [03] market average, dollars; 0 if none */
	char *salary_basis;  /* "* Based on ..." */
	char *salary_quote;
	int flight_risk;     /* percent; -1 if none */
	char *risk_label;
	char *diagnosis;
	otz_entry *metrics;
	size_t nmetrics;
	otz_entry *weapons;
	size_t nweapons;
	char *encounter;
	otz_autopsy *autopsy;
	size_t nautopsy;
	otz_logentry *log;
	size_t nlog;
	otz_complaint *complaints;
	size_t ncomplaints;
	otz_related *related;
	size_t nrelated;
	unsigned sections;   /* parsed records: bit n set when "[0n]"/"[nn]" was present */

	/* Only in translations: */
	int is_translation;
	int role_known;          /* the closest specimen matches well enough to speak for the role */
	char *nearest;           /* when it does not: the nearest specimen, said as such, */
	int nearest_percent;
	char *nearest_why;       /* and why it does not speak for the role */
	char *level;             /* the seniority the posting reads as ("an intern"), or NULL */
	char *via;               /* closest specimen used for borrowed sections */
	int via_percent;
	char *borrowed;          /* what was borrowed from it: "[01] [02] ..., the quote in [03]" */
	otz_figure otiose_index; /* 0..100 */
	otz_figure salary_fig;   /* estimate in dollars */
	otz_figure risk_fig;     /* estimate in percent */
	long stated_salary_low, stated_salary_high; /* from the JD, a year; 0 if none */
	int stated_hourly;       /* the JD stated an hourly rate, made yearly above */
	otz_entry *red_flags;
	size_t nred_flags;
	otz_entry *credits;      /* what the posting does right, one per rule, in order */
	size_t ncredits;
	size_t nsegments;
	size_t nhits;
	size_t input_bytes;
	otz_limit_note *limits;  /* patterns skipped after a PCRE2 limit */
	size_t nlimits;
	size_t limit_hits;       /* all such skips, also those past the notes kept */

	void *arena_; /* private: owns the strings */
} otz_record;

void otz_record_free(otz_record *r);

/*
 * Parse a file record in the seed's format (as scraped, with run-together
 * alias lists, "FLIGHT RISK:85%HIGH RISK", ...).  `name` is used in
 * messages (file:line).  *out is owned by the caller (otz_record_free).
 */
int otz_record_parse(otz_record **out, const char *text, size_t len,
                     const char *name, otz_error *err);

/* Split a scraped, run-together alias line into aliases (exposed for tests).
 * *out is a malloc'ed array of malloc'ed strings, owned by the caller;
 * OTZ_ELIMIT for a line of more than OTZ_MAX_ALIASES of them. */
#define OTZ_MAX_ALIASES 512
/* The largest market average a record may state, in dollars a year. */
#define OTZ_MAX_SALARY 100000000L
int otz_aliases_split(char ***out, size_t *n, const char *line);

/* The form in which titles are compared: "Sr. Data Scientist II - Ads" ->
 * "data scientist" (seniority, grades and qualifiers dropped); malloc'ed,
 * caller frees; NULL when out of memory. */
char *otz_title_key(const char *title);

/* "Lead AI Engineer" -> "LEAD-AI-ENGINEER"; malloc'ed, caller frees. */
char *otz_slugify(const char *title);

/* ------------------------------------------------------------------ */
/* engine, sessions, translation                                      */
/* ------------------------------------------------------------------ */

typedef struct otz_engine otz_engine;
typedef struct otz_session otz_session;

/*
 * Load a built corpus database (rules, specimens, vectors).  Fails with
 * OTZ_EDB for a missing, corrupt, foreign or newer-format file.  The engine
 * is read-only after load and may be shared by threads; *out is owned by the
 * caller (otz_engine_free).  What a translation may never need is left for
 * later, behind locks and atomics the threads need not know of: each rule
 * pattern is compiled when first run, and the database is kept open to read
 * each specimen's record when first needed (a record found corrupt then
 * fails that translation with OTZ_EDB).
 */
int otz_engine_load(otz_engine **out, const char *db_path, otz_error *err);

/* Receives one problem found while building, as "file:line: message". */
typedef void (*otz_diag_fn)(void *ctx, const char *msg);

typedef struct otz_build_options {
	unsigned version;
	/* When the rules fail to load or compile, called once per diagnostic
	 * (err holds the first); NULL to have only err. */
	otz_diag_fn diag;
	void *diag_ctx;
} otz_build_options;
#define OTZ_BUILD_OPTIONS_VERSION 1
#define OTZ_BUILD_OPTIONS_INIT {OTZ_BUILD_OPTIONS_VERSION, NULL, NULL}

/*
 * Build an engine from sources: every *.rules in `rules_dir` (compiled, with
 * examples checked) and every *.txt record in `corpus_dir`.  `opts` may be
 * NULL.
 */
int otz_engine_from_sources(otz_engine **out, const char *rules_dir,
                            const char *corpus_dir, const otz_build_options *opts,
                            otz_error *err);

/*
 * Write the engine's rules, specimens and vectors to a new SQLite file at
 * `db_path`: written to a temporary file beside it and renamed, so a reader
 * never sees half a database.
 */
int otz_engine_save(const otz_engine *e, const char *db_path, otz_error *err);

void otz_engine_free(otz_engine *e);

const otz_ruleset *otz_engine_rules(const otz_engine *e);
size_t otz_engine_specimen_count(const otz_engine *e);
/* Specimen i, owned by the engine; NULL past the end, or when a loaded
 * engine cannot read it from its database (out of memory, a corrupt
 * record). */
const otz_record *otz_engine_specimen(const otz_engine *e, size_t i);
/* Corpus file a specimen came from (basename), owned by the engine. */
const char *otz_engine_specimen_file(const otz_engine *e, size_t i);
/* The specimen's record as stored (NUL-terminated), owned by the engine;
 * NULL as for otz_engine_specimen. */
const char *otz_engine_specimen_text(const otz_engine *e, size_t i);

/* A specimen and how well it matches. */
typedef struct otz_match {
	size_t specimen; /* index, for otz_engine_specimen() */
	int percent;     /* SYSTEM MATCH */
	double score;    /* 0..1 */
} otz_match;

/*
 * The n specimens most like specimen `spec` (itself left out), scored as
 * `translate` scores that specimen's own record: what its [11] RELATED
 * SPECIMENS should list.  Fills out[0..*nout).
 */
int otz_engine_related(const otz_engine *e, size_t spec, otz_match *out, size_t n,
                       size_t *nout);

/*
 * The checks `corpus build` makes of the specimens: a title or alias
 * claimed by two specimens (as titles are compared), a generic alias (one
 * whose words the titles of several other specimens all hold), and a
 * FAMILY that is not one of the families.  Each problem is handed to fn as
 * one line, "FILE: warning: ...".
 */
void otz_engine_specimen_checks(const otz_engine *e, otz_diag_fn fn, void *ctx);

/* Per-thread working state for an engine; owned by the caller. */
int otz_session_new(otz_session **out, const otz_engine *e);
void otz_session_free(otz_session *s);

typedef struct otz_translate_options {
	unsigned version;
	int lossy;           /* replace invalid UTF-8 instead of failing */
	const char *title;   /* role title; NULL to take it from the text */
	size_t related;      /* how many related specimens (default 3) */
	int known_percent;   /* min SYSTEM MATCH for the closest specimen to speak for the
	                      * role: to lend its sections and its figures */
	/* For benchmarks: if not NULL, OTZ_STAGE__COUNT counters to which the
	 * nanoseconds spent in each stage are added (caller-owned). */
	uint64_t *stage_ns;
	int no_prefilter;    /* run every pattern on every sentence (a baseline) */
} otz_translate_options;

/* The stages timed through otz_translate_options.stage_ns. */
typedef enum {
	OTZ_STAGE_NORMALIZE = 0,
	OTZ_STAGE_SEGMENT,
	OTZ_STAGE_MATCH,
	OTZ_STAGE_TRANSLATE, /* translations, metrics, red flags, weaponry, habitat */
	OTZ_STAGE_SCORE,     /* features and specimen scores */
	OTZ_STAGE_RECORD,    /* figures and borrowed sections */
	OTZ_STAGE__COUNT
} otz_stage;
/* "normalize", "segment", ...; NULL out of range. */
const char *otz_stage_name(otz_stage st);
#define OTZ_TRANSLATE_OPTIONS_VERSION 1
#define OTZ_TRANSLATE_OPTIONS_INIT {OTZ_TRANSLATE_OPTIONS_VERSION, 0, NULL, 3, 60, NULL, 0}

/*
 * Translate one job description.  Fails with OTZ_EUTF8 (with the byte
 * offset), OTZ_EBINARY or OTZ_EEMPTY for unusable input.  *out is owned by
 * the caller (otz_record_free).
 */
int otz_translate(otz_record **out, otz_session *s, const char *input,
                  size_t len, const otz_translate_options *opts,
                  otz_error *err);

/* ------------------------------------------------------------------ */
/* stats: what the rules do over many JDs (`otiose rules stats`)      */
/* ------------------------------------------------------------------ */

typedef struct otz_stats otz_stats;

/* A new accumulator over engine `e`, owned by the caller. */
int otz_stats_new(otz_stats **out, const otz_engine *e);
void otz_stats_free(otz_stats *st);
/* Analyse one text and add it to the counts. */
int otz_stats_add(otz_stats *st, otz_session *s, const char *text, size_t len,
                  otz_error *err);
void otz_stats_totals(const otz_stats *st, size_t *texts, size_t *sentences,
                      size_t *translated);
/* Hits of rule `rule` (and, in *docs, the texts it fired in). */
size_t otz_stats_rule(const otz_stats *st, size_t rule, size_t *docs);
/*
 * The i-th untranslated sentence that looks like jargon, most frequent
 * first; returns how many there are (0 when i is past the end).  *text is
 * owned by the accumulator.
 */
size_t otz_stats_jargon(otz_stats *st, size_t i, const char **text, size_t *count);

/* ------------------------------------------------------------------ */
/* render                                                             */
/* ------------------------------------------------------------------ */

typedef enum {
	OTZ_FORMAT_TEXT = 0,
	OTZ_FORMAT_JSON,
	OTZ_FORMAT_MD,
	OTZ_FORMAT_HTML, /* one self-contained HTML5 page: inline CSS, no scripts, no links */
	/* The file record as corpus/ keeps it: the seed's own lines, run-togethers
	 * and all ("FLIGHT RISK:85%HIGH RISK", "[DIAGNOSIS]..."), never coloured,
	 * so that a specimen renders back into its file byte for byte.
	 * OTZ_FORMAT_TEXT is the same record spaced and labelled for a reader
	 * ("FLIGHT RISK: 85% (HIGH RISK)", "DIAGNOSIS: ..."); the reader
	 * (otz_record_parse) takes both. */
	OTZ_FORMAT_RECORD
} otz_format;

typedef struct otz_render_options {
	unsigned version;
	otz_format format;
	int color;      /* ANSI colour in text output */
	int show_rules; /* name each translation's rule in text, md and html (JSON always does) */
	int compact;    /* JSON on one line, no final newline (the stream paths) */
} otz_render_options;
#define OTZ_RENDER_OPTIONS_VERSION 3
#define OTZ_RENDER_OPTIONS_INIT {OTZ_RENDER_OPTIONS_VERSION, OTZ_FORMAT_TEXT, 0, 0, 0}

/* A growable byte buffer owned by the caller (otz_buf_dispose). */
typedef struct otz_buf {
	char *ptr;
	size_t len, cap;
} otz_buf;
#define OTZ_BUF_INIT {NULL, 0, 0}
void otz_buf_dispose(otz_buf *b);
/* Append a NUL-terminated string; 0 or OTZ_ENOMEM. */
int otz_buf_append(otz_buf *b, const char *s);
/* Append n bytes (the buffer stays NUL-terminated); 0 or OTZ_ENOMEM. */
int otz_buf_append_n(otz_buf *b, const char *s, size_t n);

/* Append s with & < > " and ' escaped for HTML text and attribute values;
 * 0 or OTZ_ENOMEM.  NULL appends nothing. */
int otz_html_escape(otz_buf *b, const char *s);

/* Append s for a terminal or a line of a text file: control characters
 * (C0 but tab, DEL, C1), line and paragraph separators and bidirectional
 * controls as \n, \xNN or \uNNNN, and bytes that are not UTF-8 as \xNN, so
 * that nothing a stranger wrote can move the cursor, set a window title,
 * start a line or reverse text.  0 or OTZ_ENOMEM; NULL appends nothing. */
int otz_term_escape(otz_buf *b, const char *s);

/* Append s as Markdown text, as the Markdown records write theirs: markup
 * characters backslash-escaped and line breaks as spaces, so that it can
 * open no block, link or table.  0 or OTZ_ENOMEM; NULL appends nothing. */
int otz_md_escape(otz_buf *b, const char *s);

/* Render a record into `out` (appended).  In OTZ_FORMAT_RECORD, specimen
 * records render in the seed's exact shape, so that a parse/render round trip
 * is stable; in every format, rendering what otz_record_parse read of a
 * rendering gives the same bytes again. */
int otz_render(otz_buf *out, const otz_record *r,
               const otz_render_options *opts, otz_error *err);

#ifdef __cplusplus
}
#endif
#endif
