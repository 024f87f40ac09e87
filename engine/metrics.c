/*
 * metrics.c - rule hits and text in, flagged bullshit metrics out.
 *
 * Two sources: the hits of rules whose category is `metric` (their
 * translation is the reason), and a heuristic for metric-shaped phrases that
 * no rule names: one to four words before a measuring noun ("... ratio
 * improvement", "... efficiency score", "... closure rate", "... index",
 * "velocity", "... metrics") or a bare KPI acronym (NPS, KPIs, OKRs, CSAT,
 * DAU/MAU).  "Metrics" is a KPI's shape when a qualifier names them
 * ("interpret operational metrics"), put to work by a measuring verb or one
 * that makes them ("develop", "present"); telemetry ("system metrics",
 * "real-time metrics") is no such thing.  A
 * heuristic find that overlaps a metric rule's hit is dropped.  The
 * heuristic only finds: the reasons of its finds are the translations of
 * the shape rule of their kind (`shape: rate` ...: rules/metric-shapes.rules),
 * chosen as any rule's are (for the role, never twice); a find whose shape
 * has no rule, or whose rule has said everything, is left out.
 *
 * When the title names the role and the posting names no metric at all,
 * the record lists the closest specimen's own that the posting gives a sign
 * of, labelled as the role's usual ones; a `usual:` rule's hit ("track key metrics") is replaced by one of
 * them the posting gives a sign of.
 *
 * The compiled heuristic patterns (otz_metric_pats) are read-only and live
 * on the engine; the results array belongs to the caller (free).
 * otz__metrics_stage() turns the finds into the record's [05] entries: a
 * rule's display name and translation, or the phrase itself in Title Case
 * with its shape rule's; each rule (a shape rule aside) and each name once.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

struct otz_metric_pats {
	pcre2_code *phrase;
	pcre2_code *acronym;
};

static const char *const phrase_re =
	"\\b((?:[a-z][a-z0-9/&-]*\\s){0,4})"
	"(ratio(?:\\simprovement)?|score|rate|index|velocity|metrics)\\b";
static const char *const acronym_re = "\\b(nps|kpis?|okrs?|csat|dau|mau|dau/mau)\\b";

/* Words that cannot start a metric's name ("... of the closure rate"). */
static const char *const lead_stop[] = {
	"the", "a", "an", "our", "your", "their", "its", "of", "and", "or", "to", "in",
	"for", "with", "on", "by", "at", "as", "is", "are", "be", "will", "we", "you",
	"high", "low", "this", "that", "improve", "improving", "increase", "increasing",
	"drive", "driving", "track", "tracking", "own", "owning", "measure", "measuring",
	"report", "reporting", "monitor", "monitoring", "boost", "grow", "growing",
	"maximize", "optimize", "reduce", "reducing", "including", "such", "like", "e.g.",
	"from", "into", "about", "than", "all", "any", "key", NULL};

/* Words that make "... rate" or "... score" not a metric at all: a price
 * or a pay rate ("regular rate", "day rate"), a statistic or a register
 * ("propensity score", "master patient index"), a pass mark. */
static const char *const not_metric[] = {
	"interest", "exchange", "heart", "hourly", "pay", "salary", "first", "birth",
	"credit", "tax", "going", "market", "regular", "day", "daily", "starting", "minimum",
	"min", "overtime", "flat", "passing", "propensity", "patient", "z", NULL};

/* Verbs that put a phrase to work as a measure ("own the closure rate",
 * "drive the efficiency score up"): a heuristic find needs one just before
 * it, or a rate is only a price ("benefits at a reduced rate", "a good
 * rate filing", "Max Hiring Rate"). */
static const char *const measuring[] = {
	"improve", "improving", "improves", "increase", "increasing", "increases", "reduce",
	"reducing", "reduces", "drive", "driving", "drives", "track", "tracking", "tracks", "own",
	"owning", "owns", "measure", "measuring", "measures", "report", "reporting", "reports",
	"monitor", "monitoring", "monitors", "boost", "boosting", "grow", "growing", "maximize",
	"maximizing", "minimize", "minimizing", "optimize", "optimizing", "lower", "lowering",
	"raise", "raising", "hit", "hitting", "achieve", "achieving", "maintain", "maintaining",
	"deliver", "delivering", "lift", "publish", "publishing", "move", "moving", NULL};

/* Verbs that make metrics for someone to read ("develop operational
 * metrics", "present campaign metrics"): before "metrics" they count as
 * measuring verbs, before a rate or a score they do not ("build a risk
 * score" is a model's output, not a target). */
static const char *const making[] = {
	"define", "defining", "defines", "develop", "developing", "develops", "create", "creating",
	"creates", "build", "building", "builds", "establish", "establishing", "set", "setting",
	"analyze", "analyzing", "analyse", "analysing", "interpret", "interpreting", "present",
	"presenting", "provide", "providing", "review", "reviewing", "synthesize", "synthesizing",
	"compile", "compiling", "calculate", "calculating", "analyzes", "interprets", "presents",
	"provides", "reviews", "synthesizes", "compiles", "calculates", NULL};

/* Words that make "... metrics" telemetry or a model's evaluation, not a
 * measure anyone's work is judged by. */
static const char *const not_kpi[] = {
	"system", "systems", "server", "service", "services", "prometheus", "infrastructure",
	"application", "real-time", "realtime", "live", "time-series", "log", "logging",
	"telemetry", "observability", "cpu", "memory", "latency", "network", "runtime", "jvm",
	"kubernetes", "container", "cluster", "database", "query", "pipeline", "evaluation",
	"model", "accuracy", "distance", "similarity", "statistical", "ml", "technical", "code",
	"custom", "datadog", "grafana", "cloudwatch", "host", "hardware", "gpu", "training",
	"ranking", "offline", "online", "test", "testing", NULL};

/* Words that end a name of metrics, as lead_stop does any name's, and may
 * stand between the verb and it ("track the new operational metrics"). */
static const char *const vague[] = {
	"new", "existing", "various", "other", "these", "those", "some", "relevant",
	"appropriate", "meaningful", "effective", "clear", "right", "useful", "standard",
	"additional", "specific", "different", "multiple", "several", "many", "important",
	"critical", "core", "key", "all", "and", "or", "&", "complex", "basic", "simple",
	"success", "business", "data", "daily", "weekly", "monthly", "quarterly", "annual", NULL};

/* Words skipped between the verb and the phrase ("own the ... rate"). */
static const char *const determiners[] = {"the", "a", "an", "our", "your", "its", "their", "team's",
                                          NULL};

/* The heuristic's kinds of metric by name, as a shape rule's `shape:`
 * names them; in the order of the OTZ_MK_ enum. */
static const char *const kind_names[OTZ_MK__COUNT] = {
	[OTZ_MK_RATIO] = "ratio", [OTZ_MK_SCORE] = "score",       [OTZ_MK_RATE] = "rate",
	[OTZ_MK_INDEX] = "index", [OTZ_MK_VELOCITY] = "velocity", [OTZ_MK_SURVEY] = "survey",
	[OTZ_MK_KPI] = "kpi",     [OTZ_MK_OTHER] = "other"};

const char *otz__metric_kind_name(int kind)
{
	return kind > OTZ_MK_NONE && kind < OTZ_MK__COUNT ? kind_names[kind] : NULL;
}

int otz__metric_kind_find(const char *name, size_t n)
{
	for (int k = OTZ_MK_NONE + 1; k < OTZ_MK__COUNT; k++)
		if (strlen(kind_names[k]) == n && memcmp(kind_names[k], name, n) == 0)
			return k;
	return OTZ_MK_NONE;
}

static int kind_of(const char *head, size_t n)
{
	if (n >= 5 && memcmp(head, "ratio", 5) == 0)
		return OTZ_MK_RATIO;
	if (n >= 5 && memcmp(head, "score", 5) == 0)
		return OTZ_MK_SCORE;
	if (n >= 4 && memcmp(head, "rate", 4) == 0)
		return OTZ_MK_RATE;
	if (n >= 5 && memcmp(head, "index", 5) == 0)
		return OTZ_MK_INDEX;
	if (n >= 8 && memcmp(head, "velocity", 8) == 0)
		return OTZ_MK_VELOCITY;
	if ((n >= 3 && memcmp(head, "nps", 3) == 0) || (n >= 4 && memcmp(head, "csat", 4) == 0))
		return OTZ_MK_SURVEY;
	if ((n >= 3 && memcmp(head, "kpi", 3) == 0) || (n >= 3 && memcmp(head, "okr", 3) == 0) ||
	    (n >= 7 && memcmp(head, "metrics", 7) == 0))
		return OTZ_MK_KPI;
	return OTZ_MK_OTHER;
}

int otz__metric_pats_new(otz_metric_pats **out, otz_error *err)
{
	otz_metric_pats *p = calloc(1, sizeof(*p));
	int ec;
	PCRE2_SIZE eo;
	if (!p)
		return otz__fail(err, OTZ_ENOMEM, "out of memory");
	p->phrase = pcre2_compile((PCRE2_SPTR)phrase_re, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec,
	                          &eo, NULL);
	p->acronym = pcre2_compile((PCRE2_SPTR)acronym_re, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec,
	                           &eo, NULL);
	if (!p->phrase || !p->acronym) {
		otz__metric_pats_free(p);
		return otz__fail(err, OTZ_EINVAL, "internal metric pattern does not compile");
	}
	pcre2_jit_compile(p->phrase, PCRE2_JIT_COMPLETE);
	pcre2_jit_compile(p->acronym, PCRE2_JIT_COMPLETE);
	*out = p;
	return 0;
}

void otz__metric_pats_free(otz_metric_pats *p)
{
	if (!p)
		return;
	pcre2_code_free(p->phrase);
	pcre2_code_free(p->acronym);
	free(p);
}

static int overlaps(const otz_metric_found *v, size_t n, size_t seg, size_t s, size_t e)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].seg == seg && v[i].start < e && s < v[i].end)
			return 1;
	return 0;
}

static int add(otz_metric_found **v, size_t *n, size_t *cap, otz_metric_found f)
{
	if (OTZ_GROW(*v, *cap, *n + 1))
		return OTZ_ENOMEM;
	(*v)[(*n)++] = f;
	return 0;
}

/* The word that ends before t[*p] (spaces skipped), within a segment that
 * starts at t[s]: its start, with *p moved to its end; == *p when there is
 * none. */
static size_t word_before(const char *t, size_t s, size_t *p)
{
	while (*p > s && t[*p - 1] == ' ')
		(*p)--;
	size_t w = *p;
	while (w > s && t[w - 1] != ' ')
		w--;
	return w;
}

/* Words that name the measures a list gives ("KPIs for invoice cycle time
 * and first-time match rate", "metrics such as churn rate"), and the words
 * that introduce the list. */
static const char *const measures[] = {
	"kpis",    "kpi",      "kpis:", "kpi:",   "metrics",    "metrics:",    "okrs",     "okrs:",
	"targets", "targets:", "goals", "goals:", "indicators", "indicators:", "measures", "measures:",
	NULL};
static const char *const listing[] = {"for", "including", "like", "on", "covering", "around", "as",
                                      NULL};

/* Is the phrase starting at t[at] (in a segment starting at t[s]) one item
 * of a list of measures: "own KPIs for field reliability and update success
 * rate", "metrics such as the first-time match rate", "targets: ..."?  Back
 * over at most eight words of the same clause. */
static int listed(const char *t, size_t s, size_t at)
{
	size_t p = at;
	for (int k = 0; k < 8; k++) {
		size_t w = word_before(t, s, &p);
		size_t n = p - w;
		if (w == p || (n && (t[p - 1] == '.' || t[p - 1] == ';')))
			return 0;
		if (n && t[p - 1] == ':' && otz__word_in(measures, t + w, n))
			return 1;
		if (otz__word_in(listing, t + w, n)) {
			size_t q = w, v = word_before(t, s, &q);
			if (n == 2 && memcmp(t + w, "as", 2) == 0) { /* "such as" */
				if (q - v != 4 || memcmp(t + v, "such", 4) != 0)
					return 0;
				q = v;
				v = word_before(t, s, &q);
			}
			return v < q && otz__word_in(measures, t + v, q - v);
		}
		p = w;
	}
	return 0;
}

/* Is the phrase starting at t[at] (in a segment starting at t[s]) put to
 * work by a measuring verb just before it (a determiner may come between),
 * or listed among measures (listed())? */
static int measured(const char *t, size_t s, size_t at, int metrics)
{
	if (listed(t, s, at))
		return 1;
	size_t p = at;
	for (int k = 0; k < 3; k++) {
		size_t w = word_before(t, s, &p);
		if (w == p)
			return 0;
		if (otz__word_in(measuring, t + w, p - w) || (metrics && otz__word_in(making, t + w, p - w)))
			return 1;
		/* a determiner, or for metrics one vague word too ("define the
		 * new product metrics"); "and"/"or" join two names, not a verb */
		size_t n = p - w;
		int conj = (n == 3 && memcmp(t + w, "and", 3) == 0) ||
		           (n == 2 && memcmp(t + w, "or", 2) == 0) || (n == 1 && t[w] == '&');
		int skip = otz__word_in(determiners, t + w, n) ||
		           (metrics && !conj && otz__word_in(vague, t + w, n));
		if (k >= (metrics ? 2 : 1) || !skip)
			return 0;
		p = w;
	}
	return 0;
}

/*
 * The qualifier of a metric is the run of words just before the measuring
 * noun, back to the first word that cannot be part of a metric's name:
 * "improve the closure rate" -> "closure rate", "grow at a rate" -> nothing.
 * Returns the start of the run (== e when it is empty), or SIZE_MAX if a
 * word in it shows this is no metric at all ("interest rate").
 */
static size_t qualifier_start(const char *t, size_t s, size_t e, int metrics)
{
	size_t start = e, p = e;
	while (p > s) {
		size_t w = word_before(t, s, &p);
		if (w == p)
			break;
		if (otz__word_in(not_metric, t + w, p - w) || (metrics && otz__word_in(not_kpi, t + w, p - w)))
			return SIZE_MAX;
		if (otz__word_in(lead_stop, t + w, p - w) ||
		    (metrics && (otz__word_in(vague, t + w, p - w) || otz__word_in(making, t + w, p - w))))
			break;
		start = w;
		p = w;
	}
	return start;
}

/* Words that make what follows them something the hire must know, not
 * what the hire is judged by: "working knowledge of ratings, CPM and GRP",
 * "familiarity with healthcare performance metrics" (with "of" or "with"
 * after them, a word between allowed: "knowledge and use of"). */
static const char *const knowing[] = {"knowledge", "understanding", "familiarity", "familiar",
                                      "grasp", "awareness", "fluency", NULL};

/* Is the find starting at t[at], in a segment starting at t[s], the object
 * of a knowing word ("understanding of sampling, bias and statistical
 * significance"), with no measuring verb after it to put the metric to
 * work ("knowledge of the funnel and a drive to improve conversion rate")?
 * Linear in the segment's words before the find. */
static int known_only(const char *t, size_t s, size_t at)
{
	int knows = 0; /* 2: a knowing word seen, 1: and its "of"/"with" */
	size_t since = 0, i = 0, ws, n;
	while (otz__next_word(t + s, at - s, &i, 1, &ws, &n)) {
		const char *w = t + s + ws;
		if (otz__word_in(knowing, w, n)) {
			knows = 2;
			since = 0;
		} else if (knows == 2 && ((n == 2 && memcmp(w, "of", 2) == 0) ||
		                          (n == 4 && memcmp(w, "with", 4) == 0))) {
			knows = 1;
		} else if (knows == 2 && ++since > 2) {
			knows = 0;
		} else if (knows == 1 && (otz__word_in(measuring, w, n) || otz__word_in(making, w, n))) {
			knows = 0;
		}
	}
	return knows == 1;
}

/* The heuristic's finds in segment g (seg), appended to *v; finds of this
 * segment from v[first] on (a metric rule's, or one before it) are not
 * found again.  0 or OTZ_ENOMEM. */
static int heuristic_seg(const otz_metric_pats *mp, pcre2_match_data *md,
                         pcre2_match_context *mctx, const char *t, size_t g,
                         const otz_segment *seg, otz_metric_found **v, size_t *nv, size_t *cap,
                         size_t first)
{
	const pcre2_code *pats[2] = {mp->phrase, mp->acronym};
	for (int k = 0; k < 2; k++) {
		size_t off = 0, slen = seg->end - seg->start;
		PCRE2_SPTR subj = (PCRE2_SPTR)(t + seg->start);
		while (off < slen) {
			int m = pcre2_match(pats[k], subj, slen, off, PCRE2_NO_UTF_CHECK, md, mctx);
			if (m < 0)
				break;
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			size_t ms = seg->start + ov[0], me = seg->start + ov[1];
			size_t head = k == 0 ? seg->start + ov[4] : seg->start + ov[2];
			off = ov[1] > off ? ov[1] : off + 1;
			/* An acronym in brackets abbreviates the words before it ("the
			 * National Park Service (NPS)"): a metric's own name there is
			 * its rule's to find. */
			if (k == 1 && ms > seg->start && t[ms - 1] == '(' && me < seg->end && t[me] == ')')
				continue;
			if (k == 0) {
				int metrics = me - head == 7 && memcmp(t + head, "metrics", 7) == 0;
				size_t ns = qualifier_start(t, ms, seg->start + ov[3], metrics);
				if (ns == SIZE_MAX)
					continue;
				/* every kind needs a qualifier: a bare "velocity" is speed
				 * ("reliability and velocity"); sprint velocity has its rule */
				if (ns >= seg->start + ov[3] || !measured(t, seg->start, ns, metrics))
					continue;
				ms = ns < seg->start + ov[3] ? ns : head;
			}
			if ((*nv > first && overlaps(*v + first, *nv - first, g, ms, me)) ||
			    known_only(t, seg->start, ms))
				continue;
			otz_metric_found f = {g, ms, me, -1, kind_of(t + head, me - head)};
			if (add(v, nv, cap, f))
				return OTZ_ENOMEM;
		}
	}
	return 0;
}

int otz__metrics_find(const otz_metric_pats *mp, otz_session *s,
                      const otz_ruleset *rs, const otz_analysis *an,
                      otz_metric_found **out, size_t *n, otz_error *err)
{
	otz_metric_found *v = NULL;
	size_t nv = 0, cap = 0, h = 0;
	const char *t = an->text.s;
	for (size_t g = 0; g < an->nsegs; g++) {
		/* This segment's finds start at `first`; overlaps are only
		 * looked for among them, so the cost stays linear in segments. */
		size_t first = nv;
		for (; h < an->nhits && an->hits[h].seg == g; h++) {
			const otz_hit *hit = &an->hits[h];
			if (rs->rules[hit->rule].category != OTZ_CAT_METRIC ||
			    known_only(t, an->segs[g].start, hit->start))
				continue;
			otz_metric_found f = {g, hit->start, hit->end, (long)hit->rule, OTZ_MK_NONE};
			if (add(&v, &nv, &cap, f))
				goto oom;
		}
		if (heuristic_seg(mp, s->md, s->mctx, t, g, &an->segs[g], &v, &nv, &cap, first))
			goto oom;
	}
	*out = v;
	*n = nv;
	return 0;
oom:
	free(v);
	return otz__fail(err, OTZ_ENOMEM, "out of memory while flagging metrics");
}

int otz__metric_kinds_in(const otz_metric_pats *mp, const char *t, size_t len,
                         pcre2_match_data *md, pcre2_match_context *mctx, unsigned *kinds)
{
	otz_segment *segs = NULL;
	otz_metric_found *v = NULL;
	size_t nsegs = 0, nv = 0, cap = 0;
	int rc = otz_segment_text(&segs, &nsegs, t, len, NULL) ? OTZ_ENOMEM : 0;
	for (size_t g = 0; g < nsegs && !rc; g++)
		rc = heuristic_seg(mp, md, mctx, t, g, &segs[g], &v, &nv, &cap, nv);
	*kinds = 0;
	for (size_t i = 0; i < nv && !rc; i++)
		*kinds |= 1u << v[i].kind;
	free(v);
	free(segs);
	return rc;
}

/* "closure rate" -> "Closure Rate", in place. */
static void title_case(char *s)
{
	int start = 1;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (start && c < 0x80 && islower(c))
			*s = (char)toupper(c);
		start = c == ' ' || c == '-' || c == '/';
	}
}

/* Does a rule carry words written for this run's family? */
static int for_the_role(const otz_run *run, const otz_rule *rule)
{
	for (size_t k = 0; run->family >= 0 && k < rule->nvariants; k++)
		if (rule->variants[k].family == run->family)
			return 1;
	return 0;
}

/* Two metric rules on the same words are one metric: the one written for
 * the role wins, then the usual best-hit order (otz__beats). */
static int outranked(const otz_run *run, const otz_metric_found *mf, size_t nmf, size_t i)
{
	const otz_ruleset *rs = run->e->rules;
	const otz_rule *ri = &rs->rules[mf[i].rule];
	/* finds are in segment order: look only at this one's segment */
	size_t lo = i;
	while (lo > 0 && mf[lo - 1].seg == mf[i].seg)
		lo--;
	for (size_t j = lo; j < nmf && mf[j].seg == mf[i].seg; j++) {
		if (j == i || mf[j].rule < 0 ||
		    !(mf[j].start < mf[i].end && mf[i].start < mf[j].end))
			continue;
		const otz_rule *rj = &rs->rules[mf[j].rule];
		int fi = for_the_role(run, ri), fj = for_the_role(run, rj);
		if (fj != fi ? fj > fi
		             : otz__beats(rs, (size_t)mf[j].rule, mf[j].end - mf[j].start,
		                          (size_t)mf[i].rule, mf[i].end - mf[i].start))
			return 1;
	}
	return 0;
}

/* Is a metric of this name (a specimen's, bare or as the usual one) in
 * the record already? */
static int named(const otz_record *r, const char *name)
{
	size_t n = strlen(name);
	for (size_t k = 0; k < r->nmetrics; k++)
		if (strncasecmp(r->metrics[k].name, name, n) == 0 &&
		    (r->metrics[k].name[n] == '\0' || r->metrics[k].usual))
			return 1;
	return 0;
}

/* How often t[0..len) holds the word w[0..wl) (case aside), whole or with
 * a plural "s".  Linear in len. */
static size_t word_count(const char *t, size_t len, const char *w, size_t wl)
{
	size_t n = 0;
	for (size_t i = 0; i + wl <= len; i++) {
		size_t e = i + wl;
		if (e < len && (t[e] == 's' || t[e] == 'S'))
			e++;
		if (strncasecmp(t + i, w, wl) == 0 && (i == 0 || !isalnum((unsigned char)t[i - 1])) &&
		    (e >= len || !isalnum((unsigned char)t[e]))) {
			n++;
			i = e - 1;
		}
	}
	return n;
}

/* How often the words of a metric's name (five letters or more, a plural
 * ending aside: "rate" or "self" would be found in any posting) occur in
 * the posting's text as whole words: "Model AUC on Holdout" shares "model"
 * with a posting that builds models, "Experiments Launched" nothing with one
 * that runs none.  Occurrences, not words: a posting that says "models"
 * nine times and "insights" once is about building models, whichever two
 * of the role's metrics it shares a word with.  A word of the role's title
 * is no sign: every research scientist's posting says "research", and a
 * judged sample read Research-to-Product Transfer, found by that word
 * alone, as wrong for a medicinal chemist and a cancer biologist.  Linear
 * in the text, once per word. */
static size_t shared_words(const char *text, size_t len, const char *name, const char *title)
{
	size_t n = 0;
	for (const char *p = name; *p;) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		const char *w = p;
		while (*p && isalnum((unsigned char)*p))
			p++;
		size_t wl = (size_t)(p - w);
		if (wl > 1 && (w[wl - 1] == 's' || w[wl - 1] == 'S'))
			wl--;
		/* a part of a compound is not the compound: "state" in a
		 * posting is not "State-of-the-Art", nor "serve" "Self-Serve" */
		int part = (w > name && w[-1] == '-') || *p == '-';
		if (wl >= 5 && !part && !(title && word_count(title, strlen(title), w, wl)))
			n += word_count(text, len, w, wl);
	}
	return n;
}

/* The metric rule whose display name is the role's metric's (case aside),
 * or -1: its translations are that metric's reasons, with variants for the
 * role, where the specimen has one text ("Model AUC on Holdout" in most of
 * a batch of data-science postings, said the same way each time). */
static long rule_named(const otz_ruleset *rs, const char *name)
{
	for (size_t i = 0; name && i < rs->nrules; i++)
		if (rs->rules[i].category == OTZ_CAT_METRIC && rs->rules[i].name &&
		    strcasecmp(rs->rules[i].name, name) == 0)
			return (long)i;
	return -1;
}

int otz__usual_ready(otz_run *run, otz_error *err)
{
	const otz_ruleset *rs = run->e->rules;
	if (!run->spec || !run->spec->nmetrics)
		return 0;
	if (!(run->usual_rule = malloc(run->spec->nmetrics * sizeof(*run->usual_rule))))
		return otz__fail(err, OTZ_ENOMEM, "out of memory");
	for (size_t k = 0; k < run->spec->nmetrics; k++) {
		long i = run->usual_rule[k] = rule_named(rs, run->spec->metrics[k].name);
		int rc = i < 0 ? 0 : otz__rule_ready(rs, (size_t)i, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* The reason given for the role's own metric m: one of the translations of
 * the metric rule of its name (for the role, never said twice), else, or
 * when each of them is said already, the specimen's own text; said, in
 * *text.  *text is NULL when that is said too.  0 or OTZ_ENOMEM. */
static int usual_reason(otz_run *run, const otz_entry *m, uint64_t seed, const char **text)
{
	const otz_ruleset *rs = run->e->rules;
	long i = run->usual_rule[m - run->spec->metrics]; /* m is one of spec's */
	*text = NULL;
	if (i >= 0) {
		char *t = otz__run_pick(run, &rs->rules[i], NULL, seed);
		if (!t)
			return OTZ_ENOMEM;
		if (!otz__run_said_all(t)) {
			*text = t;
			return 0;
		}
	}
	if (otz__run_said(run, m->text))
		return 0;
	if (otz__run_say(run, m->text))
		return OTZ_ENOMEM;
	*text = m->text;
	return 0;
}

/* The closest role's [05] metric of this name (case aside), or NULL. */
static const otz_entry *own_named(const otz_run *run, const char *name)
{
	for (size_t k = 0; run->spec && k < run->spec->nmetrics; k++)
		if (run->spec->metrics[k].name && strcasecmp(run->spec->metrics[k].name, name) == 0)
			return &run->spec->metrics[k];
	return NULL;
}

/* For metrics spoken of but not named (a `usual:` rule), the closest
 * role's own: the one of its [05] metrics the record does not name yet
 * whose name's words the posting uses most, the seed breaking ties; with
 * its reason; when none is left that the posting gives a sign of, the next
 * one in the seed's order (the mention is the sign).  NULL when
 * the role is not known or none is left: the rule's own name and reason
 * stand, said as unnamed. */
static const otz_entry *usual_metric(const otz_run *run, uint64_t seed)
{
	const otz_record *sp = run->spec;
	const otz_entry *best = NULL;
	size_t best_n = 0;
	if (!sp || !sp->nmetrics)
		return NULL;
	/* Each mention takes another of the role's own (named() below), while
	 * the posting gives a sign of one; their reasons vary where a metric
	 * rule of the metric's name gives them (usual_reason), so a batch of
	 * one role's postings does not read one borrowed text in most of its
	 * records. */
	const otz_entry *first = NULL;
	for (size_t k = 0; k < sp->nmetrics; k++) {
		const otz_entry *m = &sp->metrics[(seed + k) % sp->nmetrics];
		if (!m->name || !m->text || named(run->r, m->name) || otz__run_said(run, m->text))
			continue;
		if (!first)
			first = m;
		size_t n = shared_words(run->an->text.s, run->an->text.len, m->name, sp->title);
		if (n > best_n) {
			best = m;
			best_n = n;
		}
	}
	/* When the role is known and the posting speaks of the metrics it
	 * will be judged by, the role's own are what they are, whether or not
	 * the posting's words point at one: the seed chooses.  A judged sample
	 * read "Key Performance Indicators" said generically for a known data
	 * analyst as weak (11 of 13 such flags) where the analyst's own
	 * metric, borrowed, read right (86 % ok). */
	return best ? best : first;
}

/* Does the sentence of find i also name a metric (a find of a rule that is
 * not `usual:`, or of the heuristic)?  Then its metrics are named, not
 * spoken of: "key metrics such as charge lag and days in A/R". */
static int names_one(const otz_run *run, const otz_metric_found *mf, size_t nmf, size_t i)
{
	size_t lo = i;
	while (lo > 0 && mf[lo - 1].seg == mf[i].seg)
		lo--;
	for (size_t j = lo; j < nmf && mf[j].seg == mf[i].seg; j++)
		if (j != i && (mf[j].rule < 0 || !run->e->rules->rules[mf[j].rule].usual))
			return 1;
	return 0;
}

/* The most of the closest role's own metrics a record lists for a posting
 * that names none: one, a guess said once (two put the data scientist's
 * same borrowed reason in most of a batch of data-science postings). */
#define USUAL_MAX 1

/* A posting for a known role that names no metric at all (it may speak of
 * metrics without naming one, "track key metrics", and have nothing left
 * in [05] for them): the metrics the closest specimen is judged by, up to
 * USUAL_MAX of its [05], labelled as the role's usual ones, with its
 * reasons and no span (they quote nothing of the posting); only when the
 * title names the role, and only those whose names share a word with the
 * posting (shared_words), the most used first; among equals the order
 * starts where the seed says, so that the postings of one role do not all
 * list the same one. */
static int usual_metrics(otz_run *run)
{
	const otz_record *sp = run->spec;
	otz_record *r = run->r;
	/* Known with confidence: the title names the role (run->lexicon), as
	 * for its lexicon's slots.  A judged sample found a quarter of the
	 * borrowed metrics wrong for the job and a fifth a stretch (a data
	 * scientist's A/B tests for a policy researcher). */
	if (!sp || !sp->nmetrics || r->nmetrics || !run->an->nsegs || !run->lexicon)
		return 0;
	uint64_t seed = otz__run_seed(run, 0) ^ 0x27d4eb2fu;
	size_t pick[USUAL_MAX], share[USUAL_MAX], npick = 0;
	for (size_t k = 0; k < sp->nmetrics; k++) {
		size_t i = (size_t)((seed + k) % sp->nmetrics);
		const otz_entry *m = &sp->metrics[i];
		if (!m->name || !m->text || otz__run_said(run, m->text))
			continue;
		size_t n = shared_words(run->an->text.s, run->an->text.len, m->name, sp->title);
		if (!n) /* a metric the posting gives no sign of is a guess */
			continue;
		/* insert by uses of its words, after the equals already picked */
		size_t at = npick;
		while (at > 0 && share[at - 1] < n)
			at--;
		if (at >= USUAL_MAX)
			continue;
		for (size_t j = npick < USUAL_MAX ? npick : USUAL_MAX - 1; j > at; j--) {
			pick[j] = pick[j - 1];
			share[j] = share[j - 1];
		}
		pick[at] = i;
		share[at] = n;
		if (npick < USUAL_MAX)
			npick++;
	}
	for (size_t k = 0; k < npick; k++) {
		const otz_entry *m = &sp->metrics[pick[k]];
		const char *why;
		int rc = usual_reason(run, m, seed + k, &why);
		if (rc)
			return rc;
		if (!why)
			continue;
		char *nm = otz__arena_printf(r->arena_, "%s (usual for the role)", m->name);
		if (!nm || otz__run_add_entry(run, &r->metrics, &r->nmetrics, &run->cap_metrics, nm, why,
		                              NULL, (otz_span){0, 0}))
			return OTZ_ENOMEM;
		r->metrics[r->nmetrics - 1].usual = 1;
		r->metrics[r->nmetrics - 1].has_span = 0;
	}
	return 0;
}

int otz__metrics_stage(otz_run *run)
{
	otz_metric_found *mf = NULL;
	size_t nmf = 0;
	otz_record *r = run->r;
	const otz_analysis *an = run->an;
	const otz_ruleset *rs = run->e->rules;
	int rc = otz__metrics_find(run->e->mpats, run->s, rs, an, &mf, &nmf, NULL);
	/* Does the posting name a metric, whether or not [05] ends up listing
	 * it (its every reason may be said in [08])? */
	int names_any = 0;
	for (size_t i = 0; i < nmf && !names_any; i++)
		names_any = mf[i].seg != run->title_seg &&
		            (mf[i].rule < 0 || !rs->rules[mf[i].rule].usual);
	for (size_t i = 0; i < nmf && !rc; i++) {
		if (mf[i].seg == run->title_seg) /* "KPI Analyst" names a job, not its metric */
			continue;
		otz_span sp = otz__src_span(&an->text, mf[i].start, mf[i].end);
		const char *name, *text, *rid = NULL;
		uint64_t seed = otz__run_seed(run, mf[i].seg) ^ 0x9e3779b9u;
		if (mf[i].rule >= 0) {
			const otz_rule *rule = &rs->rules[mf[i].rule];
			name = rule->name;
			rid = rule->id;
			if (otz__run_seen_rule(r->metrics, r->nmetrics, rid) ||
			    outranked(run, mf, nmf, i) || (rule->usual && names_one(run, mf, nmf, i)))
				continue;
			/* Its reason, one the record has not given yet. */
			const otz_hit *h = NULL;
			for (size_t k = 0; k < an->nhits && !h; k++)
				if (an->hits[k].rule == (size_t)mf[i].rule && an->hits[k].seg == mf[i].seg)
					h = &an->hits[k];
			const otz_entry *own = rule->usual ? usual_metric(run, seed) : NULL;
			const char *why = NULL;
			if (own && (rc = usual_reason(run, own, seed, &why)))
				break;
			if (why) {
				/* The role's own metric stands for the unnamed ones. */
				char *nm = otz__arena_printf(r->arena_, "%s (usual for the role)", own->name);
				if (!nm || otz__run_add_entry(run, &r->metrics, &r->nmetrics, &run->cap_metrics,
				                              nm, why, rid, sp)) {
					rc = OTZ_ENOMEM;
					break;
				}
				r->metrics[r->nmetrics - 1].usual = 1;
				continue;
			}
			if (!(text = otz__run_pick(run, rule, h, seed))) {
				rc = OTZ_ENOMEM;
				break;
			}
			if (otz__run_said_all(text)) /* its every reason is given in [08] */
				continue;
		} else {
			/* A find of the heuristic takes its reason from the shape rule
			 * of its kind: none (a ruleset without one), or every one of
			 * them said already, and it is left out, as a rule's find is. */
			long si = rs->shape_rule[mf[i].kind];
			if (si < 0)
				continue;
			const otz_rule *rule = &rs->rules[si];
			char *tmp = otz__display(r->arena_, run->input, sp.start, sp.end);
			if (!tmp) {
				rc = OTZ_ENOMEM;
				break;
			}
			title_case(tmp);
			name = tmp;
			int dup = 0;
			for (size_t k = 0; k < r->nmetrics && !dup; k++)
				dup = strcasecmp(r->metrics[k].name, name) == 0;
			if (dup)
				continue;
			/* The role's own metric, named by the posting ("own the
			 * over-the-air update success rate" for a firmware engineer):
			 * the role's reason for it, not the shape's. */
			const otz_entry *own = own_named(run, name);
			text = NULL;
			if (own && (rc = usual_reason(run, own, seed, &text)))
				break;
			if (!text && !(text = otz__run_pick(run, rule, NULL, seed))) {
				rc = OTZ_ENOMEM;
				break;
			}
			if (otz__run_said_all(text))
				continue;
			rid = rule->id;
		}
		rc = otz__run_add_entry(run, &r->metrics, &r->nmetrics, &run->cap_metrics, name, text,
		                        rid, sp);
		if (!rc)
			r->metrics[r->nmetrics - 1].heuristic = mf[i].rule < 0;
	}
	if (!rc && !names_any)
		rc = usual_metrics(run);
	free(mf);
	return rc;
}
