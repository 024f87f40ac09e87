/*
 * internal.h - private declarations shared by the engine's stages.
 *
 * Nothing here is installed.  The structures are the compiled, read-only
 * state (ruleset, engine) and the per-thread scratch (session) that the
 * stages hand to each other.
 */
#ifndef OTZ_INTERNAL_H
#define OTZ_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

#include "include/otz.h"

/* ---- time --------------------------------------------------------- */

/* A monotonic clock in nanoseconds, for the stage timers. */
uint64_t otz__now_ns(void);
/* Add the time since *t0 to stage_ns[st] (if stage_ns, the call's stage
 * counters, is not NULL) and restart *t0. */
void otz__lap(uint64_t *stage_ns, int st, uint64_t *t0);

/* ---- errors ------------------------------------------------------- */

/* Fill `err` (if not NULL) and return `code`. */
int otz__fail(otz_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- memory ------------------------------------------------------- */

/* A bump allocator: many small strings freed together. */
typedef struct otz_arena otz_arena;
otz_arena *otz__arena_new(void);
void otz__arena_free(otz_arena *a);
void *otz__arena_alloc(otz_arena *a, size_t n);
char *otz__arena_strndup(otz_arena *a, const char *s, size_t n);
char *otz__arena_strdup(otz_arena *a, const char *s);
char *otz__arena_printf(otz_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Grow *arr (of *cap elements of `size`) so that it holds `need`. */
int otz__grow(void **arr, size_t *cap, size_t need, size_t size);
#define OTZ_GROW(arr, cap, need) \
	otz__grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

int otz__buf_put(otz_buf *b, const char *s, size_t n);
int otz__buf_puts(otz_buf *b, const char *s);
/* A money figure's value in whole units, from the digits after its
 * currency sign: "120,000" -> 120000, "120k" -> 120000, "97.5k" -> 97500. */
long otz__parse_money(const char *s, size_t n);
int otz__buf_printf(otz_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "$205,000" into buf. */
void otz__money(char *buf, size_t n, long v);

/* Read a whole file; *out is malloc'ed and NUL-terminated. */
int otz__read_file(const char *path, char **out, size_t *len, otz_error *err);
/* Sorted list of regular files in `dir` whose names end in `suffix`;
 * malloc'ed array of malloc'ed full paths. */
int otz__list_dir(const char *dir, const char *suffix, char ***out,
                  size_t *n, otz_error *err);
void otz__free_strv(char **v, size_t n);

/* ---- rules -------------------------------------------------------- */

/* The metric heuristic's kinds of metric, by measuring noun (metrics.c);
 * OTZ_MK_NONE for a metric rule's find, and on every rule but a shape
 * rule (otz_rule.shape). */
enum {
	OTZ_MK_NONE = 0,
	OTZ_MK_RATIO,
	OTZ_MK_SCORE,
	OTZ_MK_RATE,
	OTZ_MK_INDEX,
	OTZ_MK_VELOCITY,
	OTZ_MK_SURVEY, /* NPS, CSAT */
	OTZ_MK_KPI,    /* KPIs, OKRs */
	OTZ_MK_OTHER,
	OTZ_MK__COUNT
};
/* "ratio", "score", ... (a shape rule's `shape:`); NULL for OTZ_MK_NONE or
 * out of range.  The kind of a name (n bytes), or OTZ_MK_NONE. */
const char *otz__metric_kind_name(int kind);
int otz__metric_kind_find(const char *name, size_t n);

typedef struct otz_pattern {
	/* Its source; a ruleset read from a database reads it when the pattern
	 * is first compiled (otz__pattern_src), NULL until then: the prefilter
	 * is stored, so nothing else needs it.  Set once. */
	_Atomic(char *) src;
	int line;
	/* The compiled pattern, JIT included; NULL until compiled.  Read it
	 * through otz__pattern_code(), which compiles it on first use: a ruleset
	 * read from the database compiles nothing at load (compiling and
	 * JIT-compiling every pattern was most of start-up), and threads sharing
	 * it may race to compile one pattern.  Set once, by compare-and-swap. */
	_Atomic(pcre2_code *) code;
	atomic_int bad; /* PCRE2's error when src does not compile (only a corrupt
	                 * database gets here); 0 while it is not known to fail */
	uint32_t capture_count; /* known after otz_ruleset_compile only */
	uint32_t global; /* number among all patterns of the ruleset */
} otz_pattern;

typedef struct otz_example {
	char *text;
	int line;
	int counter; /* must not match */
} otz_example;

/* The slots a translation may name, filled from the closest specimen's
 * ROLE and lexicon: {role}, {tool}, {ritual}, {artefact}, {counterpart}
 * ({Role} and the like start a sentence).  Bit n of otz_variant.slots is
 * slot n; slot 1 + k is lexicon kind k. */
enum { OTZ_SLOT_ROLE = 0, OTZ_SLOT__COUNT = 1 + OTZ_LEX__COUNT };
/* The most translations a rule may carry (translate: and translate.FAMILY:). */
#define OTZ_MAX_VARIANTS 64
/* "role", "tool", ...; the slot of a name (n bytes), or -1. */
const char *otz__slot_name(int slot);
int otz__slot_find(const char *name, size_t n);

/* One way a rule may translate a sentence. */
typedef struct otz_variant {
	char *text;
	int line;
	int family;     /* -1: for any role; else only for that family's (otz_family_find) */
	unsigned slots; /* the slots it names */
} otz_variant;

enum { OTZ_RANGE_ANY = 0, OTZ_RANGE_WIDE, OTZ_RANGE_NARROW };
/* A pay range whose top is at least this times its bottom says little of
 * what the job pays ($90,000 - $180,000). */
#define OTZ_WIDE_RANGE 1.5
struct otz_rule;
/* Does t[start, end), a match of rule r, state the kind of pay range the
 * rule is about (otz_rule.range)?  The range is the match's first two
 * dollar figures; one figure alone is not a wide range. */
int otz__range_fits(const struct otz_rule *r, const char *t, size_t start, size_t end);

typedef struct otz_rule {
	char *id;
	otz_category category;
	int weight;
	/* Its translations; `translation` is the first that names no slot and
	 * is for any role (every rule has one), kept in variants. */
	otz_variant *variants;
	size_t nvariants, cap_variants;
	const char *translation;
	int translation_line;
	int mention;   /* a bare mention of what it matches is what it mocks */
	int org;       /* it mocks what an employer says of itself, so it fires on
	                * sentences about the employer too (otz_segment.org);
	                * habitat, boilerplate and red-flag rules always do */
	char *name;
	/* OTZ_RANGE_WIDE: the rule fires only on words that state a pay range
	 * whose top is at least OTZ_WIDE_RANGE times its bottom; NARROW: only
	 * on a narrower one, or a single figure; ANY: wherever it matches */
	int range;
	/* a metric rule for metrics spoken of but not named ("hit your KPIs"):
	 * a known role's own metric is named in its place (metrics.c) */
	int usual;
	/* a shape rule (`shape:`): the kind of metric (OTZ_MK_*) whose heuristic
	 * finds take its translations as their reasons; it has no pattern, the
	 * heuristic finds its phrases.  OTZ_MK_NONE for every other rule. */
	int shape;
	int shape_line;
	char *file;
	int line;
	size_t ord; /* position in load order: the deterministic tie-break */
	/* A rule of a ruleset read from a database has its variants (and so
	 * its translation) read the first time it is needed (otz__rule_ready):
	 * a translation needs those of the rules that hit, a few dozen of
	 * 1,139.  1 once they are in place (set with a release store). */
	atomic_int ready;
	otz_pattern *patterns;
	size_t npatterns, cap_patterns;
	otz_example *examples;
	size_t nexamples, cap_examples;
} otz_rule;

struct otz_ruleset {
	otz_rule *rules;
	size_t nrules, cap_rules;
	char **diags;
	size_t ndiags, cap_diags;
	char **warns;
	size_t nwarns, cap_warns;
	int compiled;
	/* the shape rule of each kind of heuristic metric (index into rules),
	 * -1 when none: its finds then have no reason to give and are left out */
	long shape_rule[OTZ_MK__COUNT];
	pcre2_match_context *mctx; /* limits used while checking examples */
	pcre2_compile_context *cctx;
	/* A ruleset read from the database (db.c) keeps its strings in `pool`
	 * and its rules' variants, patterns and examples as slices of these
	 * three arrays, each freed whole: a few allocations instead of 15,000.
	 * NULL for rules parsed from files, which own theirs one by one. */
	otz_arena *pool;
	otz_variant *all_variants;
	otz_pattern *all_patterns;
	otz_example *all_examples;
	/* Such a ruleset reads what a translation does not need when it is
	 * first asked for, through db.c (load_ctx: the engine): a rule's
	 * variants (load_rule, then the rule's `ready`), a pattern's source
	 * (load_pattern, then its `src`), and every rule's
	 * examples, which only the generator and the checks read (load_examples,
	 * then examples_ready).  Both are set with release stores. */
	int (*load_rule)(void *ctx, otz_ruleset *rs, size_t rule, otz_error *err);
	int (*load_pattern)(void *ctx, otz_ruleset *rs, otz_pattern *pt);
	int (*load_examples)(void *ctx, otz_ruleset *rs);
	void *load_ctx;
	atomic_int examples_ready;
};

/* Pattern pt of ruleset rs, compiled: compiled (UTF, caseless, JIT) the
 * first time it is asked for, if otz_ruleset_compile() has not.  NULL when
 * it does not compile, PCRE2's compile error in *ec
 * (PCRE2_ERROR_HEAP_FAILED: out of memory, tried again next time).  Safe to
 * call from several threads on a shared ruleset: the pattern is the only
 * part written, once, atomically; the caller does not own the code. */
const pcre2_code *otz__pattern_code(const otz_ruleset *rs, const otz_pattern *pt, int *ec);
/* Pattern pt's source, read now if the ruleset reads it when first needed
 * (see load_pattern); NULL when it cannot be.  Thread-safe. */
const char *otz__pattern_src(const otz_ruleset *rs, const otz_pattern *pt);
/* Make a ruleset read from a database ready without compiling it: its
 * patterns were checked when the database was built, and each is compiled
 * when a segment first needs it (otz__pattern_code). */
void otz__ruleset_defer(otz_ruleset *rs);

/* Every rule's examples in place, read now if the ruleset reads them when
 * first asked for (a loaded one: see load_examples); left empty if they
 * cannot be read.  Thread-safe. */
void otz__ruleset_need_examples(const otz_ruleset *rs);
/* Rule i's variants and translation in place, read now if the ruleset
 * reads them when first needed (a loaded one: see load_rule).  0, or
 * OTZ_ENOMEM or OTZ_EDB (a corrupt database) with err filled.
 * Thread-safe. */
int otz__rule_ready(const otz_ruleset *rs, size_t i, otz_error *err);
/* Once db.c has filled a pooled ruleset's rules (above), derive what
 * parsing derives: each rule's org flag and place. */
void otz__ruleset_loaded(otz_ruleset *rs);
/* Rule r's plain translation (its first variant for any role that names no
 * slot) from its variants; -1 if it has none. */
int otz__rule_translation(otz_rule *r);
/* Find a rule by id, or -1. */
long otz__ruleset_find(const otz_ruleset *rs, const char *id);

/* ---- prefilter (prefilter.c) -------------------------------------- */

typedef struct otz_prefilter otz_prefilter;
/* A set of literals (lower case, each at least three characters) one of
 * which every match of `pat` contains; how many (at most max), 0 if none. */
size_t otz__pattern_literals(const char *pat, char lits[][64], size_t max);
/* The same when the set is a single literal (into out); else 0. */
size_t otz__pattern_literal(const char *pat, char *out, size_t n);
/* Build the automaton over a compiled ruleset; numbers its patterns. */
int otz__prefilter_build(otz_prefilter **out, otz_ruleset *rs);
void otz__prefilter_free(otz_prefilter *pf);
/* The automaton as bytes to store (*out malloc'ed), and one read back for
 * ruleset rs (its patterns numbered as the build numbers them): OTZ_EDB if
 * the bytes do not describe a well-formed automaton over rs's patterns. */
int otz__prefilter_encode(const otz_prefilter *pf, unsigned char **out, size_t *len);
int otz__prefilter_decode(otz_prefilter **out, otz_ruleset *rs, const void *buf, size_t len);
/* The same from len bytes that rd copies out piece by piece (rd(ctx, offset,
 * to, n): 0, or non-zero when it cannot), as SQLite's incremental blob
 * reads do without assembling the whole. */
int otz__prefilter_read(otz_prefilter **out, otz_ruleset *rs, size_t len,
                        int (*rd)(void *ctx, size_t off, void *to, size_t n), void *ctx);
/* The patterns worth running on t: those whose literal occurs (marked with
 * `gen` in marks, so each is listed once) and those without a literal, into
 * cand (room for every pattern), in pattern order; returns how many. */
size_t otz__prefilter_scan(const otz_prefilter *pf, const char *t, size_t n, uint32_t *marks,
                           uint32_t gen, uint32_t *cand);
/* Which rule, and which of its patterns, global pattern g is. */
void otz__prefilter_where(const otz_prefilter *pf, uint32_t g, size_t *rule, size_t *pattern);

/* ---- matching ----------------------------------------------------- */

/* Limits that keep any rule from hanging on hostile input. */
#define OTZ_MATCH_LIMIT 200000u
#define OTZ_DEPTH_LIMIT 2000u
#define OTZ_HEAP_LIMIT_KB 20000u

/* One rule hit inside one segment (offsets into the normalized text). */
typedef struct otz_hit {
	size_t seg;
	size_t rule;
	size_t pattern;
	size_t start, end;
	size_t ncap;
	size_t cap[20]; /* pairs of offsets for groups 0..9; SIZE_MAX unset */
} otz_hit;

typedef struct otz_analysis {
	otz_text text;        /* casefolded normalized input */
	otz_segment *segs;
	size_t nsegs;
	otz_hit *hits;
	size_t nhits, cap_hits;
	size_t limit_hits;    /* patterns skipped on a segment after a limit */
	struct {
		size_t seg, rule, pattern;
		int code;         /* PCRE2's error: which limit */
	} limits[OTZ_MAX_LIMIT_NOTES]; /* the first limit_hits of them */
} otz_analysis;

/* Per-thread state. */
struct otz_session {
	const otz_engine *engine;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	uint32_t *marks;    /* prefilter marks, one per pattern */
	uint32_t *cand;     /* prefilter candidates of the current segment */
	uint32_t gen;       /* the current scan's mark */
	double *tsim;       /* per specimen: title similarity of the current query */
	double *dots;       /* per specimen: text similarity of the current query */
	long *talias;       /* per specimen: which title key matched best */
	float *qvec;        /* dense query vector over the vocabulary */
	uint32_t *qtouched; /* which entries of qvec are non-zero */
	size_t nqtouched;
	uint64_t *qother;   /* hashes of the query's features outside the vocabulary */
	size_t nqother, cap_qother;
	double qtot;        /* the query's length: the sum of its feature weights */
	double qbody;       /* how many features the text gave, the title's aside */
	double *tment;      /* per specimen: how often the text names its titles */
	double *final;      /* per specimen: the combined score of the current query */
};

/* What one analysis is asked to do (pipeline.c). */
typedef struct otz_analyze_opts {
	int lossy;          /* replace invalid UTF-8 */
	int no_prefilter;   /* run every pattern (tests and the baseline compare the two) */
	uint64_t *stage_ns; /* stage timers, or NULL */
} otz_analyze_opts;

/* Refuse binary input, then normalize, segment and match `input` into `an`
 * (caller disposes). */
int otz__analyze_with(otz_session *s, otz_analysis *an, const char *input, size_t len,
                      const otz_analyze_opts *o, otz_error *err);
/* The same with only `lossy` set. */
int otz__analyze(otz_session *s, otz_analysis *an, const char *input,
                 size_t len, int lossy, otz_error *err);
void otz__analysis_dispose(otz_analysis *an);

/* Run every rule on every segment (match.c); with no_prefilter, every
 * pattern on every segment. */
int otz__match(otz_session *s, const otz_ruleset *rs, otz_analysis *an, int no_prefilter,
               otz_error *err);

/* otz__rule_ready for every rule with a hit in an analysis and for the
 * metric shape rules (the reasons of the heuristic's finds): what the
 * stages after matching read (translate.c, metrics.c). */
int otz__hits_ready(const otz_ruleset *rs, const otz_analysis *an, otz_error *err);

/* Does any pattern of rule `r` match `text`? (examples, rules check) */
int otz__rule_matches(const otz_ruleset *rs, const otz_rule *r, const char *text, size_t len,
                      pcre2_match_data *md, pcre2_match_context *mctx);

/* ---- one translation: the run context (pipeline.c) ------------------- */

/* What every stage of one otz_translate() call works on: the call's
 * options and the record being built travel here, not on the session. */
typedef struct otz_run {
	otz_session *s;
	const otz_engine *e;
	const otz_translate_options *opts;
	const otz_analysis *an;
	const char *input;
	size_t len;
	otz_record *r;
	const char *title; /* the role's title, given or read off the posting; NULL if none */
	const otz_record *spec; /* the closest specimen, when it speaks for the role */
	int family;        /* its family's number, or -1 */
	/* the title names the specimen's role (OTZ_TITLE_NAMES_ROLE, or it
	 * holds every word of one of its titles), so its lexicon may fill
	 * slots; a posting it only approximates (a biomarker data scientist to
	 * the Research Scientist) gets its family's lines */
	int lexicon;
	/* the segment the title was read off (its line is the title, not a
	 * sentence to translate), or SIZE_MAX */
	size_t title_seg;
	char **used;       /* every text the record says, so that none is said twice */
	size_t nused, cap_used;
	/* every translation (rule << 16 | variant) the record has used: a
	 * template is not said twice with other words in its slots */
	uint64_t *used_var;
	size_t nused_var, cap_used_var;
	/* which of the specimen's tools the posting names (otz_fill) */
	uint32_t named[OTZ_LEX__COUNT];
	size_t role_openings; /* lines said so far that open with the role's name */
	size_t for_role_said;  /* lines said so far written for the role (family or slots) */
	long last_entry;      /* the [08] entry the last sentence went to, or -1 */
	size_t cap_autopsy, cap_metrics, cap_weapons, cap_habitat, cap_flags, cap_credits;
	/* the words of the closest specimen's illusions, read once when a
	 * sentence is first compared with them (own_pair); NULL until then */
	struct otz_wordset *illusions;
	/* per [05] metric of spec: the metric rule of its name, or -1; found
	 * once a run, by otz__usual_ready (metrics.c) */
	long *usual_rule;
} otz_run;

/* Is there an entry made by rule `id` among v[0..n)? */
int otz__run_seen_rule(const otz_entry *v, size_t n, const char *id);
/* Append an entry to one of the run's record arrays (strings copied into
 * the record); 0 or OTZ_ENOMEM. */
int otz__run_add_entry(otz_run *run, otz_entry **arr, size_t *n, size_t *cap, const char *name,
                       const char *text, const char *rule_id, otz_span sp);

/* The stages after matching, in order: translations, red flags, weaponry
 * and habitat (translate.c); metrics (metrics.c); figures (figures.c). */
int otz__translate_stage(otz_run *run);
int otz__metrics_stage(otz_run *run);
/* Find the metric rules named as the closest specimen's own metrics, whose
 * translations are those metrics' reasons when a record borrows one
 * (run->usual_rule), and otz__rule_ready them: after scoring, before the
 * stages.  0, OTZ_ENOMEM or what otz__rule_ready returns. */
int otz__usual_ready(otz_run *run, otz_error *err);
typedef struct otz_scored otz_scored;
int otz__figures(otz_run *run, const otz_scored *top, size_t ntop);

/* ---- translate ---------------------------------------------------- */

/* Does a hit of rule ra, ra_len bytes long, win a segment over a hit of rule
 * rb, lb bytes long?  Heavier rule, then longer match, then loaded first. */
int otz__beats(const otz_ruleset *rs, size_t ra, size_t la, size_t rb, size_t lb);

/* For segment `seg`, the index into an->hits of the winning hit, or -1.
 * Relies on hits being stored in segment order, as otz__match stores them. */
long otz__best_hit(const otz_ruleset *rs, const otz_analysis *an, size_t seg);

/* Lines of a record that may open with the role's name ("The SRE ...")
 * before the variants that would are taken last. */
#define OTZ_ROLE_OPENINGS 2
/* A rule with fewer lines than this written for the role (its family's and
 * its slotted ones) mixes them with its lines for any role: one family line
 * alone would be the same text in every posting of the family (measured by
 * bench/variety: with it, no text in more than 15 % of 40 records). */
#define OTZ_ROLE_POOL_MIN 3
/* Lines written for the role (its family's, or filled from its lexicon) a
 * record says before its rules' lines for anyone join the first tier
 * beside them, so that the rest are drawn from all kinds.  A filled line
 * names the role's tools and meetings, but which of them is drawn, not
 * read from the sentence: judged samples (bench/RESULTS.md) found many of
 * them weak ("a stock meeting dropped in where it makes no sense"), and
 * family lines fit less often than lines for anyone (72 % against 79 %
 * over eight draws, each judged on its own build).  The bigger pool also
 * repeats less across records (bench/variety: 70-79 % of lines unique
 * before, 76-81 % after, on four draws). */
#define OTZ_SLOTTED_FIRST 3

/* What fills a translation's slots: a specimen's ROLE and lexicon, one
 * entry chosen by the seed, among the ones the posting names when it names
 * any (bit i of named[k]: entry i of lexicon k; only the first 32 count). */
typedef struct otz_fill {
	const otz_record *spec;
	uint64_t seed;
	const uint32_t *named; /* OTZ_LEX__COUNT masks, or NULL */
} otz_fill;

/* Expand a translation template: $1..$9 with the hit's captures, quoted
 * from the original input; {role}, {tool}, ... from fill (a slot it cannot
 * fill is left as written: callers pick only templates they can fill);
 * {{ as a brace.  Result allocated in `a`; NULL when out of memory. */
char *otz__expand(otz_arena *a, const char *tmpl, const otz_hit *h,
                  const otz_analysis *an, const char *input, const otz_fill *fill);

/* A translation of `rule` for the run's role that the record has not said
 * yet, chosen by `seed`, expanded and remembered as said; a marker that
 * otz__run_said_all() recognises when every one is said already; NULL when
 * out of memory. */
char *otz__run_pick(otz_run *run, const otz_rule *rule, const otz_hit *h, uint64_t seed);
/* The seed for segment seg: its text and the record's title, mixed. */
uint64_t otz__run_seed(const otz_run *run, size_t seg);
int otz__run_said_all(const char *text);
/* Has the record said this text?  Remember that it has (0 or OTZ_ENOMEM). */
int otz__run_said(const otz_run *run, const char *text);
int otz__run_say(otz_run *run, char *text);

/* Display text (NFKC, not case-folded, whitespace collapsed) of input
 * bytes [start,end); allocated in `a`. */
char *otz__display(otz_arena *a, const char *input, size_t start, size_t end);

/* Original-input span of normalized bytes [start,end). */
otz_span otz__src_span(const otz_text *t, size_t start, size_t end);

/* ---- metrics ------------------------------------------------------ */

typedef struct otz_metric_found {
	size_t seg;
	size_t start, end; /* normalized offsets of the metric phrase */
	long rule;         /* -1 for the heuristic */
	int kind;          /* the heuristic's kind of metric (its measuring noun); OTZ_MK_NONE
	                    * for a rule's */
} otz_metric_found;

typedef struct otz_metric_pats otz_metric_pats;
int otz__metric_pats_new(otz_metric_pats **out, otz_error *err);
void otz__metric_pats_free(otz_metric_pats *p);
/* Metric rule hits plus heuristic finds; *out malloc'ed. */
int otz__metrics_find(const otz_metric_pats *p, otz_session *s,
                      const otz_ruleset *rs, const otz_analysis *an,
                      otz_metric_found **out, size_t *n, otz_error *err);
/* The kinds of metric (bit k for kind k) the heuristic finds in a
 * normalized text, segmented as a posting is, with no rule's hits to give
 * way to: what a shape rule's examples and counters are checked against.
 * 0 or OTZ_ENOMEM. */
int otz__metric_kinds_in(const otz_metric_pats *p, const char *t, size_t len,
                         pcre2_match_data *md, pcre2_match_context *mctx, unsigned *kinds);

/* ---- score -------------------------------------------------------- */

typedef struct otz_feat {
	char *key;   /* "w:onboarding" or "r:rule-id" */
	double tf;
} otz_feat;

/* Features of an analysis: terms and rule hits, merged and sorted by key.
 * *out malloc'ed (keys malloc'ed too: free with otz__feats_free). */
int otz__features(const otz_ruleset *rs, const otz_analysis *an,
                  otz_feat **out, size_t *n);
void otz__feats_free(otz_feat *f, size_t n);

/* One feature of a specimen's model: its number, its weight in a score,
 * log(1 + tf / (mu * P_background)), and how often the evidence has it.
 * Stored as is in the database. */
typedef struct otz_vent {
	uint32_t idx;
	float w;
	float tf;
} otz_vent;

typedef struct otz_vocab otz_vocab;
int otz__vocab_new(otz_vocab **out, size_t hint);
void otz__vocab_free(otz_vocab *v);
/* Index of key, or -1. */
long otz__vocab_get(const otz_vocab *v, const char *key);
/* Add a key; returns its index, or OTZ_EINVAL if it is there already, or
 * OTZ_ENOMEM. */
long otz__vocab_add(otz_vocab *v, const char *key, double idf);
size_t otz__vocab_size(const otz_vocab *v);
/* A vocabulary as bytes to store (*out malloc'ed), and one read back from
 * len bytes that rd copies out piece by piece: OTZ_EDB when they do not
 * describe one (a key twice, a count that does not add up), OTZ_ENOMEM. */
int otz__vocab_encode(const otz_vocab *v, unsigned char **out, size_t *len);
int otz__vocab_read(otz_vocab **out, size_t len,
                    int (*rd)(void *ctx, size_t off, void *to, size_t n), void *ctx);
const char *otz__vocab_key(const otz_vocab *v, size_t i);
double otz__vocab_idf(const otz_vocab *v, size_t i);
void otz__vocab_set_idf(otz_vocab *v, size_t i, double idf);

/* The text model (score.c): each specimen's evidence as a language model,
 * smoothed towards the background (the whole records of all specimens,
 * OTZ_BG_SMOOTH added to every count) with a Dirichlet prior of OTZ_NB_MU
 * words.  A posting scores by how much better a specimen's model explains
 * its words than the background does, per word; the title's words count
 * OTZ_TITLE_QUERY_TF times in the query; mentions of a specimen's title in
 * the text (in the singular: a plural names the people around the role)
 * add OTZ_MENTION_WEIGHT * ln(1 + n), and the similarity of the role's
 * title to the specimen's titles OTZ_TITLE_WEIGHT times it.  A
 * posting of fewer than OTZ_BODY_FULL words of its own (its title aside)
 * has its text score scaled down in proportion: a sentence or two is
 * evidence, but not enough to overrule the title it was given.  The
 * SYSTEM MATCH is the share a specimen holds of exp(score / temperature)
 * over all specimens. */
#define OTZ_NB_MU 200.0
#define OTZ_BG_SMOOTH 0.5
#define OTZ_TITLE_QUERY_TF 2
#define OTZ_MENTION_WEIGHT 0.2
#define OTZ_TITLE_WEIGHT 0.3
#define OTZ_MATCH_TEMPERATURE 0.03
#define OTZ_BODY_FULL 40.0
/* A given title must share at least this much with the closest specimen's
 * titles for the role to count as known (pipeline.c). */
#define OTZ_KNOWN_TITLE_MIN 0.2
/* ...and the posting must share at least OTZ_KNOWN_MIN_WORDS telling words
 * with it, outside the stock phrases the rules match: words whose weight
 * in its model is at least OTZ_TELLING_WEIGHT (it uses them about twice as
 * often as the background does, or more).  A posting of nothing but
 * buzzwords names no role. */
#define OTZ_KNOWN_MIN_WORDS 6
/* A title at least this similar to a specimen's names its role by itself:
 * the posting need not say more. */
#define OTZ_TITLE_NAMES_ROLE 0.8
#define OTZ_TELLING_WEIGHT 1.0

/* Build the vocabulary (evidence features; its value is the feature's
 * background probability) and the specimens' models from their evidence
 * features and their background features (whole records). */
int otz__models_build(otz_vocab **vocab, otz_vent **vecs, size_t *lens,
                      otz_feat *const *feats, const size_t *nfeats, otz_feat *const *bg,
                      const size_t *nbg, size_t nspec);

struct otz_scored {
	size_t spec;
	double score;    /* the combined score (ranks the specimens) */
	double text;     /* the text score */
	double title;    /* title-to-alias similarity, 0..1 */
	long alias;      /* which title key matched best: 0 the title, k alias k-1 */
	double mentions; /* how often the text names one of its titles */
	double p;        /* its share of all specimens' exp(score / temperature) */
};

/* A title similarity at least this high says the title names the role. */
#define OTZ_TITLE_MIN_SIM 0.34

/* The next word of t[*i..len): ASCII letters and digits and the bytes of
 * other characters, joined by single inner hyphens when `hyphens`, with a
 * c++/c# tail.  Its start and length in *ws and *wl, *i moved past it; 0
 * when no word is left. */
int otz__next_word(const char *t, size_t len, size_t *i, int hyphens, size_t *ws, size_t *wl);
/* Is the n bytes at w one of the words of `list` (NULL-terminated), exactly? */
int otz__word_in(const char *const *list, const char *w, size_t n);
/* Plurals made singular in place ("companies" -> "company", "teams" ->
 * "team"); the new length. */
size_t otz__stem(char *w, size_t n);

/* ---- titles (titles.c) -------------------------------------------- */

/* "Sr. Data Scientist II - Marketing" -> "data scientist" (malloc'ed). */
char *otz__title_norm(const char *title);
/* The engine's normalized titles and aliases of every specimen. */
int otz__title_index_build(otz_engine *e);
/* The same from each title's and alias's words as otz__title_norm gives
 * them (space-separated): key k is specimen spec[k]'s title (alias[k] 0)
 * or alias alias[k] - 1, keys in specimen order, each specimen's title
 * first.  An engine read from a database gets them stored, and normalizes
 * no title at load. */
int otz__title_index_from_words(otz_engine *e, size_t nkeys, const uint32_t *spec,
                                const uint32_t *alias, char *const *words);
void otz__title_index_free(otz_engine *e);
/* Each specimen's similarity to `title` (NULL: none) into s->tsim and
 * s->talias; *use says whether any reaches OTZ_TITLE_MIN_SIM. */
int otz__title_scores(otz_session *s, const char *title, int *use);
/* How often the analysed text names each specimen's titles (of two words
 * or more), into s->tment. */
int otz__title_mentions(otz_session *s, const otz_analysis *an);
/* How many distinct words of the analysed text, outside the rules'
 * matches, are telling of specimen spec (at most 64). */
size_t otz__telling_words(const otz_session *s, const otz_analysis *an, size_t spec);
/* Does the posting share anything with specimen x: a feature, a title
 * word, a mention? */
int otz__shares(const otz_engine *e, const otz_scored *x);
/* The distinct words of a normalized text (at most OTZ_WORDSET_MAX), each
 * with how much it tells: -ln of its background probability. */
#define OTZ_WORDSET_MAX 128
typedef struct otz_wordset {
	uint32_t h[OTZ_WORDSET_MAX]; /* the words' hashes */
	double idf[OTZ_WORDSET_MAX];
	size_t n;
	double total;
} otz_wordset;
void otz__wordset_fill(const otz_engine *e, const char *t, size_t n, otz_wordset *w);
/* How much two texts say alike: the information of the words they share,
 * in both, over that of all their words (a Dice coefficient weighed by
 * information); 0..1.  How many words they share in *shared. */
double otz__wordset_overlap(const otz_wordset *x, const otz_wordset *y, size_t *shared);
/* The SYSTEM MATCH in percent of top[i], one of n. */
int otz__percent(const otz_scored *top, size_t n, size_t i);
/* Does `title` hold every word of one of specimen spec's titles or
 * aliases ("Registered Nurse - Medical/Surgical Unit" holds "Registered
 * Nurse"; "Reliability Lead" holds none of the SRE's)? */
int otz__title_holds(const otz_engine *e, const char *title, size_t spec);
/* Specimen `spec`'s own title against specimen j's titles. */
double otz__title_between(const otz_engine *e, size_t spec, size_t j, long *which);

/* The inverted index of the specimen vectors (score.c). */
int otz__postings_build(otz_engine *e);
/* The inverted index (post_start, post, prior) as bytes to store (*out
 * malloc'ed), and read back into e (its vocabulary and specimens loaded)
 * from len bytes that rd copies out piece by piece: OTZ_EDB when they do
 * not describe an index over them, OTZ_ENOMEM. */
int otz__postings_encode(const otz_engine *e, unsigned char **out, size_t *len);
int otz__postings_read(otz_engine *e, size_t len,
                       int (*rd)(void *ctx, size_t off, void *to, size_t n), void *ctx);

/* Score the analysis against every specimen, with the role's title if
 * `title` is not NULL; fills `top` (up to ntop, best first, ties to the
 * lower specimen index). */
int otz__score_analysis(otz_session *s, const otz_analysis *an, const char *title,
                        otz_scored *top, size_t ntop, size_t *nout);
/* Load the query from an analysis (and a title's words) into the
 * session's dense vector. */
int otz__query_load(otz_session *s, const otz_analysis *an, const char *title);
/* Evidence: the shared features that weigh most, split into rules and
 * terms, allocated in `a`. */
void otz__evidence(otz_session *s, size_t spec, otz_arena *a,
                   char ***rules, size_t *nrules, char ***terms,
                   size_t *nterms, size_t max_each);
void otz__score_clear(otz_session *s);

/* ---- engine ------------------------------------------------------- */

/* A specimen's title or alias as a sorted set of title-word numbers. */
typedef struct otz_tkey {
	uint32_t spec;
	uint32_t alias;   /* 0: the title; k: alias k-1 */
	uint32_t *words;
	uint32_t nwords;
} otz_tkey;

struct otz_engine {
	otz_ruleset *rules;
	otz_prefilter *pf;
	otz_metric_pats *mpats;
	pcre2_code *salary_re;
	pcre2_code *level_re;
	pcre2_code *hourly_re;
	/* Each specimen's record and its text.  An engine built from sources
	 * has them all; one read from a database reads and parses a specimen's
	 * the first time it is needed (otz__specimen_ready): parsing all 244 at
	 * load was a third of start-up, and a translation needs three.  Set
	 * once, under `lazy`, with release stores; NULL until then. */
	_Atomic(otz_record *) *specimens;
	_Atomic(char *) *spec_texts;
	char **spec_files;
	size_t nspecimens;
	/* The database an engine was read from, kept open (read-only) for those
	 * reads and the rules' (otz__rule_ready), with its path for messages;
	 * NULL for an engine from sources.
	 * `lazy` serializes the reads: one connection, shared by the threads. */
	struct sqlite3 *db;
	struct sqlite3_stmt *record_st;   /* SELECT record FROM specimens WHERE id = ?1 */
	struct sqlite3_stmt *variants_st; /* a rule's variants (db.c, load_rule) */
	struct sqlite3_stmt *pattern_st;  /* a pattern's source (db.c, load_pattern) */
	char *db_path;
	pthread_mutex_t lazy;
	otz_vocab *vocab;
	otz_vent **vecs;
	size_t *veclens;
	/* The title index (titles.c): every specimen's title and aliases as
	 * sets of word numbers; the words, weighted by how few specimens use
	 * them; each set's first key and the chain of keys with the same set;
	 * for each word, the keys that hold it. */
	otz_tkey *tkeys;
	size_t ntkeys;
	uint32_t *tkey_words; /* the keys' word sets, one after another */
	otz_vocab *twords;
	otz_vocab *texact;     /* a set's word numbers, in hex, numbered */
	uint32_t *texact_head; /* per set: its first key */
	uint32_t *texact_next; /* per key: the next key with the same set, or UINT32_MAX */
	uint32_t *tpost_start, *tpost;
	/* The vectors turned inside out: for feature t, the specimens that have
	 * it are post[post_start[t] .. post_start[t+1]) (idx = specimen). */
	uint32_t *post_start;
	otz_vent *post;
	double *prior;        /* per specimen: log(mu / (evidence length + mu)) */
	/* Title mentions (titles.c): every title and alias of two words or
	 * more as its words joined by spaces, numbered; the specimens of each. */
	otz_vocab *tphrase;
	uint32_t *tphrase_start, *tphrase_spec;
};

/* Specimen i's record (and text) ready in e->specimens[i] (and
 * e->spec_texts[i]): read from the engine's database and parsed the first
 * time, under the engine's lock; at once when the engine has them.  0, or
 * OTZ_ENOMEM, or OTZ_EDB (the database cannot be read, or holds a record
 * that does not parse: it is corrupt) with err filled.  Thread-safe. */
int otz__specimen_ready(const otz_engine *e, size_t i, otz_error *err);
/* The same for the n specimens of top (the closest ones of a scoring). */
int otz__specimens_ready(const otz_engine *e, const otz_scored *top, size_t n, otz_error *err);
/* Close the database an engine keeps open (db.c); for otz_engine_free. */
void otz__engine_db_close(otz_engine *e);

/* An empty engine: no rules, no specimens, the built-in patterns compiled. */
int otz__engine_new(otz_engine **out, otz_error *err);
/* The rules compiled (if they are not yet) and the prefilter over them. */
int otz__engine_rules_ready(otz_engine *e, otz_error *err);
/* The finishing step of both ways of making an engine: rules ready, then
 * the title index and the inverted index over the specimens. */
int otz__engine_finish(otz_engine *e, otz_error *err);

/* ---- the record type (record.c) ----------------------------------- */

otz_record *otz__record_alloc(void);
char *otz__rstr(otz_record *r, const char *s);
char *otz__rstrn(otz_record *r, const char *s, size_t n);

/* ---- the record format (recfmt.c) --------------------------------- */

#define OTZ_NSECTIONS 11
/* The line under [10]'s heading, in every format. */
#define OTZ_BURN_WARD_NOTE \
	"The stark reality of the role, scraped from Reddit, Blind, and anonymous career boards."

/* Does s[0..n) begin "[NN]", as a section heading does? */
int otz__heading_prefix(const char *s, size_t n);
/* Does s[0..n) begin with the key of one of [01]'s lines ("FAMILY: ",
 * "TOOLS: ", "KNOWN ALIASES" ...), or is it such a key but for its final
 * space, so that at a line's start it would read back as that line? */
int otz__org_key_prefix(const char *s, size_t n);
/* Section no's heading as the seed writes it, and a short one for formats
 * with headings of their own; NULL outside 1..OTZ_NSECTIONS. */
const char *otz__section_heading(int no);
const char *otz__section_short(int no);
/* Does record r have section no? */
int otz__section_present(const otz_record *r, int no);
/* [03]'s figure and its reason: a translation's estimate, or a specimen's
 * market average and basis. */
long otz__salary_value(const otz_record *r);
const char *otz__salary_reason(const otz_record *r);
/* Copy what a translation may borrow of specimen s into d, and say what in
 * d->borrowed; 0 or OTZ_ENOMEM. */
int otz__record_borrow(otz_record *d, const otz_record *s);
/* The record's text without the sections derived from scores ([11]),
 * appended to out: a specimen's part of the background language. */
int otz__record_background(const otz_record *r, otz_buf *out);
/* Does the input begin (after a BOM and blanks) as a file record? */
int otz__is_record(const char *in, size_t len);
/* The parts of a record that read like a posting for the role (title,
 * aliases, lexicon, habitat, the names of its metrics and weaponry, its
 * illusions, its day's headings), one a line, appended to out: what a
 * specimen is matched on.  Its satire, figures and [11] are no evidence of
 * what the job is.  0 or OTZ_ENOMEM. */
int otz__record_evidence(const otz_record *r, otz_buf *out);

/* ---- writing documents (render*.c, recfmt.c) ---------------------- */

#define OTZ_C_HEAD "\x1b[1;33m"
#define OTZ_C_ILL "\x1b[36m"
#define OTZ_C_TR "\x1b[1;32m"
#define OTZ_C_DIM "\x1b[2m"
#define OTZ_C_BOLD "\x1b[1m"
#define OTZ_C_OFF "\x1b[0m"

/* A document being written: after the first failure nothing more is
 * written and rc keeps its code. */
typedef struct otz_wr {
	otz_buf *b;
	int color;      /* ANSI colour (text only) */
	int show_rules; /* name the rule behind each translation */
	int rc;
	int compact; /* JSON on one line, without the final newline */
	int record;  /* text: the corpus file's form (the seed's run-togethers), not the spaced one */
} otz_wr;
void otz__put(otz_wr *w, const char *s);
void otz__putn(otz_wr *w, const char *s, size_t n);
/* s in colour when the writer is coloured. */
void otz__put_color(otz_wr *w, const char *color, const char *s);
void otz__putf(otz_wr *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "A" or "AN" before an upper-cased title, by sound ("AN SDET", "A UX"). */
const char *otz__article(const char *title);
/* An upper-cased copy (malloc'ed), NULL when out of memory. */
char *otz__upper(const char *s);
/* s as one clean line, allocated in a: invalid UTF-8 replaced by U+FFFD,
 * tabs, newlines and other breaks as single spaces, other control and
 * bidirectional characters dropped, trimmed; NULL when out of memory.  For
 * what strangers name (titles) before it enters a record. */
char *otz__clean_line(otz_arena *a, const char *s);
/* The first control or bidirectional character in s[0..n) (tab aside): its
 * code point, its byte offset in *at; 0 if none. */
int otz__has_control(const char *s, size_t n, size_t *at);
/* Where a translation comes from, for people who asked to see it
 * (otz_render_options.show_rules): "rule ID · CATEGORY · weight N" or
 * "specimen TITLE"; NULL when it comes from neither (an imported record)
 * or out of memory.  The caller frees it. */
char *otz__origin(const otz_autopsy *a);
/* Room for one more in an array grown one element at a time whose capacity
 * is its count rounded up to a power of two: 0 or OTZ_ENOMEM. */
int otz__grow_pow2(void **arr, size_t n, size_t size);
void otz__render_text(otz_wr *w, const otz_record *r);
void otz__render_json(otz_wr *w, const otz_record *r);
void otz__render_md(otz_wr *w, const otz_record *r);
void otz__render_html(otz_wr *w, const otz_record *r);

#endif
