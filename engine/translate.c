/*
 * translate.c - rule hits in, the record's translations out, written for
 * the role and never said twice.
 *
 * For each segment the winning hit is the one whose rule weighs most; ties
 * go to the longer match, then to the rule loaded first (file name order,
 * then position in the file), so the choice never depends on anything but
 * the input and the corpus.  otz__beats() is that order, and `rules check`
 * uses it too when it looks for shadowed rules.
 *
 * A rule may carry several translations: for any role, for one family's
 * roles (translate.FAMILY), and templates naming slots ({role}, {tool},
 * {ritual}, {artefact}, {counterpart}) that the closest specimen's lexicon
 * fills.  When the role is known, the ones written for it (its family's
 * and the slotted ones) come first, then the plain ones (and the templates
 * whose things are drawn from the lexicon, see tier_of), and after the
 * record's first few lines for the role, the two kinds are chosen from
 * together; when it is not, only the plain ones.  Within a tier the choice is made from a hash of
 * the sentence and the posting's title, so a batch reads varied and a
 * rerun is identical; a translation the record has used already (in any
 * words, for a template) or a text it already says is passed over for the
 * next.  When the role is known
 * and a sentence is close to one of the closest specimen's own illusions,
 * it takes that specimen's translation, as the seed's record does.
 *
 * A second sentence won by the same rule, once its every translation is
 * said, joins the first one's entry; boilerplate (degrees, years, equal
 * opportunity, benefits, places) is one entry for all its sentences, which
 * speaks for the first and names the other kinds it holds.  Every
 * hit of a weaponry, habitat or red-flag rule also adds its entry to [06],
 * [02] or the red flags of [04], once per rule; when it has nothing left to
 * say that [08] does not, a red flag is raised by its words alone and the
 * others are left out.  Strings are allocated in the
 * record's arena; the only error is OTZ_ENOMEM.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* A posting sentence takes a specimen's own translation when it shares at
 * least this many words with the specimen's illusion, and they carry this
 * share of what the two say (own_pair()). */
#define OWN_PAIR_MIN_WORDS 5
#define OWN_PAIR_MIN_SHARE 0.45
/* What an entry says when everything it could say is said in [08]; its
 * address is the marker otz__run_said_all() knows. */
static const char see_autopsy[] = "(said in [08])";

int otz__beats(const otz_ruleset *rs, size_t ra, size_t la, size_t rb, size_t lb)
{
	int wa = rs->rules[ra].weight, wb = rs->rules[rb].weight;
	if (wa != wb)
		return wa > wb;
	if (la != lb)
		return la > lb;
	return rs->rules[ra].ord < rs->rules[rb].ord;
}

long otz__best_hit(const otz_ruleset *rs, const otz_analysis *an, size_t seg)
{
	/* Hits are stored in segment order: find the first of this segment. */
	size_t lo = 0, hi = an->nhits;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (an->hits[mid].seg < seg)
			lo = mid + 1;
		else
			hi = mid;
	}
	long best = -1;
	for (size_t i = lo; i < an->nhits && an->hits[i].seg == seg; i++) {
		const otz_hit *h = &an->hits[i], *b = best >= 0 ? &an->hits[best] : NULL;
		/* What a posting does right is credited, not translated. */
		if (rs->rules[h->rule].category == OTZ_CAT_CREDIT)
			continue;
		if (!b || otz__beats(rs, h->rule, h->end - h->start, b->rule, b->end - b->start))
			best = (long)i;
	}
	return best;
}

char *otz__display(otz_arena *a, const char *input, size_t start, size_t end)
{
	otz_text t;
	otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
	no.lossy = 1;
	no.casefold = 0;
	no.keep_marks = 1; /* the posting's own wording, smart quotes and all */
	if (end < start)
		end = start;
	if (otz_normalize(&t, input + start, end - start, &no, NULL))
		return NULL;
	/* One line, without the list marker the normalizer put in. */
	char *s = t.s;
	size_t n = t.len;
	if (n >= 2 && s[0] == '-' && s[1] == ' ') {
		s += 2;
		n -= 2;
	}
	char *out = otz__arena_strndup(a, s, n);
	if (out)
		for (char *p = out; *p; p++)
			if (*p == '\n')
				*p = ' ';
	otz_text_dispose(&t);
	return out;
}

/* A slot's value for a specimen: its ROLE, or one of its lexicon entries
 * chosen by the seed; NULL when it has none. */
static const char *slot_value(const otz_fill *fill, int slot)
{
	const otz_record *sp = fill ? fill->spec : NULL;
	if (!sp)
		return NULL;
	if (slot == OTZ_SLOT_ROLE)
		return sp->role_name;
	size_t k = (size_t)slot - 1, n = sp->nlex[k];
	if (!n)
		return NULL;
	uint64_t pick = fill->seed >> (8 * slot);
	uint32_t m = fill->named ? fill->named[k] : 0;
	if (!m)
		return sp->lex[k][pick % n];
	/* the entries the posting names: the pick-th of the set bits */
	unsigned c = (unsigned)__builtin_popcount(m), want = (unsigned)(pick % c);
	for (size_t i = 0; i < n && i < 32; i++)
		if ((m >> i & 1) && want-- == 0)
			return sp->lex[k][i];
	return sp->lex[k][pick % n];
}

/* Does the (lower-cased, normalized) text name this lexicon entry, as
 * whole words, without its article?  "the RF scanner" is named by "rf
 * scanner", "PyTorch" by "pytorch". */
static int names_entry(const otz_text *t, const char *entry)
{
	static const char *const articles[] = {"the ", "a ", "an ", NULL};
	for (size_t a = 0; articles[a]; a++)
		if (strncasecmp(entry, articles[a], strlen(articles[a])) == 0) {
			entry += strlen(articles[a]);
			break;
		}
	char low[128];
	size_t n = strlen(entry);
	if (n < 3 || n >= sizeof(low))
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)entry[i]);
	const char *s = t->s, *end = t->s + t->len;
	while (s < end) {
		const char *f = memmem(s, (size_t)(end - s), low, n);
		if (!f)
			return 0;
		int before = f == t->s || !isalnum((unsigned char)f[-1]);
		int after = f + n == end || !isalnum((unsigned char)f[n]);
		if (before && after)
			return 1;
		s = f + 1;
	}
	return 0;
}

/* Which of the closest specimen's tools this posting names.  Only tools:
 * a posting that says Power BI should not hear Tableau, but a ritual or a
 * counterpart it names, taken every time, would be said in every line. */
static void find_named(otz_run *run)
{
	memset(run->named, 0, sizeof(run->named));
	if (!run->spec)
		return;
	for (size_t i = 0; i < run->spec->nlex[OTZ_LEX_TOOL] && i < 32; i++)
		if (names_entry(&run->an->text, run->spec->lex[OTZ_LEX_TOOL][i]))
			run->named[OTZ_LEX_TOOL] |= (uint32_t)1 << i;
}

char *otz__expand(otz_arena *a, const char *tmpl, const otz_hit *h, const otz_analysis *an,
                  const char *input, const otz_fill *fill)
{
	otz_buf b = OTZ_BUF_INIT;
	char *out = NULL;
	const char *p = tmpl;
	while (*p) {
		size_t run = strcspn(p, "${");
		if (otz__buf_put(&b, p, run))
			goto done;
		p += run;
		if (!*p)
			break;
		if (p[0] == '{' && p[1] == '{') { /* a literal brace */
			if (otz__buf_put(&b, "{", 1))
				goto done;
			p += 2;
		} else if (p[0] == '{') {
			const char *e = strchr(p, '}');
			int slot = e ? otz__slot_find(p + 1, (size_t)(e - p - 1)) : -1;
			const char *v = slot >= 0 ? slot_value(fill, slot) : NULL;
			if (!v) { /* callers only expand slots they can fill */
				if (otz__buf_put(&b, p, 1))
					goto done;
				p++;
				continue;
			}
			size_t at = b.len;
			if (otz__buf_puts(&b, v))
				goto done;
			/* {Role} at the start of a sentence: its first letter a capital. */
			if (isupper((unsigned char)p[1]))
				b.ptr[at] = (char)toupper((unsigned char)b.ptr[at]);
			p = e + 1;
		} else if (p[1] == '$') {
			if (otz__buf_put(&b, "$", 1))
				goto done;
			p += 2;
		} else if (p[1] >= '0' && p[1] <= '9') {
			int g = p[1] - '0';
			if (h && h->cap[2 * g] != SIZE_MAX && h->cap[2 * g + 1] > h->cap[2 * g]) {
				otz_span sp = otz__src_span(&an->text, h->cap[2 * g], h->cap[2 * g + 1]);
				char *q = otz__display(a, input, sp.start, sp.end);
				if (!q || otz__buf_puts(&b, q))
					goto done;
			}
			p += 2;
		} else {
			if (otz__buf_put(&b, "$", 1))
				goto done;
			p++;
		}
	}
	out = otz__arena_strndup(a, b.ptr ? b.ptr : "", b.len);
done:
	otz_buf_dispose(&b);
	return out;
}

/* ---- what the record already says ---------------------------------- */

int otz__run_said(const otz_run *run, const char *text)
{
	for (size_t i = 0; i < run->nused; i++)
		if (strcmp(run->used[i], text) == 0)
			return 1;
	return 0;
}

int otz__run_say(otz_run *run, char *text)
{
	if (OTZ_GROW(run->used, run->cap_used, run->nused + 1))
		return OTZ_ENOMEM;
	run->used[run->nused++] = text;
	return 0;
}

/* FNV-1a over a sentence's normalized text and the record's title: the
 * same sentence in the same posting always chooses the same way, and the
 * stock sentences many postings share ("an equal opportunity employer")
 * still read differently from one posting to the next. */
static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

uint64_t otz__run_seed(const otz_run *run, size_t seg)
{
	const otz_segment *g = &run->an->segs[seg];
	const char *title = run->r->title ? run->r->title : "";
	uint64_t h = fnv(1469598103934665603ull, run->an->text.s + g->start, g->end - g->start);
	h = fnv(h, title, strlen(title));
	/* a last mix, so that neighbouring seeds do not pick neighbouring
	 * variants */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

/* Can this variant be said for this run's role?  Its lexicon slots
 * ({tool}, {ritual} ...) only when the title names the specimen's role:
 * the specimen's detail is a guess for a posting it only approximates. */
static int usable(const otz_run *run, const otz_variant *v)
{
	if (v->family >= 0 && v->family != run->family)
		return 0;
	if ((v->slots & ~(1u << OTZ_SLOT_ROLE)) && !run->lexicon)
		return 0;
	for (int k = 0; k < OTZ_SLOT__COUNT; k++)
		if ((v->slots >> k & 1) && !slot_value(&(otz_fill){run->spec, 0, NULL}, k))
			return 0;
	return 1;
}

/* Which tier a usable variant is in: the ones written for the role (its
 * family's own, and the templates its lexicon fills) first, then the ones
 * for anyone.  When fewer than OTZ_ROLE_POOL_MIN are written for the role,
 * they share the first tier with the ones for anyone: a family line alone
 * in its tier would be said in every record of that family.  Once the
 * record has said OTZ_SLOTTED_FIRST lines written for the role, the lines
 * for anyone join the first tier too.  A template that fills two lexicon
 * slots or more is always in the second: its things are drawn, not read
 * from the sentence, and two drawn things read as a form filled in
 * (judged: 2 of 22 fit, against 13 of 28 for one slot; bench/RESULTS.md).
 * So is a template of one lexicon slot when the rule has OTZ_ROLE_POOL_MIN
 * lines of the role's family: judged on the build each draw was read on
 * (eight draws, 1200 pairs), lines of one drawn slot fit in 48 % of cases,
 * family lines in 72 %, lines for anyone in 79 %. */
static int tier_of(const otz_run *run, const otz_rule *rule, const otz_variant *v,
                   size_t for_role, size_t for_family)
{
	unsigned lex = v->slots & ~(1u << OTZ_SLOT_ROLE);
	if (lex & (lex - 1)) /* two lexicon slots or more */
		return 1;
	if (lex && for_family >= OTZ_ROLE_POOL_MIN) /* one drawn thing, and the family has lines */
		return 1;
	/* A metric's reason stays with the role's lines however many filled
	 * lines [08] said: readers called its general reasons generic (a
	 * conversion rule with five data lines gave a general one in 4 of 5
	 * data records, [08] having said three lines for the role first). */
	int general_joins = run->for_role_said >= OTZ_SLOTTED_FIRST && rule->category != OTZ_CAT_METRIC;
	return v->family >= 0 || v->slots || for_role < OTZ_ROLE_POOL_MIN || general_joins ? 0 : 1;
}

/* Has the record used variant v of rule ri (in any words)? */
static int variant_used(const otz_run *run, uint64_t key)
{
	for (size_t i = 0; i < run->nused_var; i++)
		if (run->used_var[i] == key)
			return 1;
	return 0;
}

/* Does a variant open with the role's name ("{Role} ...")? */
static int opens_with_role(const otz_variant *v)
{
	return strncmp(v->text, "{Role}", 6) == 0;
}

char *otz__run_pick(otz_run *run, const otz_rule *rule, const otz_hit *h, uint64_t seed)
{
	otz_record *r = run->r;
	otz_fill fill = {run->spec, seed >> 8, run->named};
	uint64_t ri = (uint64_t)(rule - run->e->rules->rules);
	/* A record whose lines all open "The growth marketer ..." reads as one
	 * line said eight times: once OTZ_ROLE_OPENINGS lines open with the
	 * role, the first pass leaves out the variants that would, and only
	 * the second takes them. */
	size_t for_role = 0, for_family = 0;
	for (size_t v = 0; v < rule->nvariants; v++) {
		int u = usable(run, &rule->variants[v]);
		for_role += (rule->variants[v].family >= 0 || rule->variants[v].slots) && u;
		for_family += rule->variants[v].family >= 0 && u;
	}
	for (int pass = run->role_openings >= OTZ_ROLE_OPENINGS ? 0 : 1; pass < 2; pass++)
		for (int tier = 0; tier < 2; tier++) {
			size_t idx[OTZ_MAX_VARIANTS], n = 0;
			for (size_t v = 0; v < rule->nvariants && n < OTZ_MAX_VARIANTS; v++)
				if (tier_of(run, rule, &rule->variants[v], for_role, for_family) == tier &&
				    usable(run, &rule->variants[v]) &&
				    (pass || !opens_with_role(&rule->variants[v])))
					idx[n++] = v;
			for (size_t k = 0; k < n; k++) {
				size_t vi = idx[(seed + k) % n];
				uint64_t key = ri << 16 | vi;
				if (variant_used(run, key))
					continue;
				char *t = otz__expand(r->arena_, rule->variants[vi].text, h, run->an,
				                      run->input, &fill);
				if (!t)
					return NULL;
				if (otz__run_said(run, t))
					continue;
				if (otz__run_say(run, t) ||
				    OTZ_GROW(run->used_var, run->cap_used_var, run->nused_var + 1))
					return NULL;
				run->used_var[run->nused_var++] = key;
				run->role_openings += opens_with_role(&rule->variants[vi]);
				run->for_role_said += rule->variants[vi].slots != 0 || rule->variants[vi].family >= 0;
				return t;
			}
		}
	return (char *)see_autopsy; /* every one of them said already */
}

int otz__run_said_all(const char *text)
{
	return text == see_autopsy;
}

int otz__run_add_entry(otz_run *run, otz_entry **arr, size_t *n, size_t *cap, const char *name,
                       const char *text, const char *rule_id, otz_span sp)
{
	if (OTZ_GROW(*arr, *cap, *n + 1))
		return OTZ_ENOMEM;
	otz_entry *e = &(*arr)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->name = otz__rstr(run->r, name);
	e->text = otz__rstr(run->r, text);
	e->rule_id = otz__rstr(run->r, rule_id);
	e->has_span = 1;
	e->span = sp;
	return (text && !e->text) || (name && !e->name) || (rule_id && !e->rule_id) ? OTZ_ENOMEM : 0;
}

/* ---- the specimen's own pairs ---------------------------------------- */

/* The closest specimen's own pair whose illusion this sentence is closest
 * to (and that the record has not used), or -1: at least OWN_PAIR_MIN_WORDS
 * words in common, carrying OWN_PAIR_MIN_SHARE of what the two say together
 * (words weighed by how rare they are in job ads, so that "experience",
 * "years" and "data" count for little; a short fragment of a long illusion
 * is not close to it).  Boilerplate is not anyone's own. */
/* The words of the closest specimen's illusions, read once a run. */
static int illusion_words(otz_run *run)
{
	const otz_record *sp = run->spec;
	if (run->illusions || !sp->nautopsy)
		return 0;
	if (!(run->illusions = calloc(sp->nautopsy, sizeof(*run->illusions))))
		return OTZ_ENOMEM;
	for (size_t k = 0; k < sp->nautopsy; k++) {
		otz_text t;
		otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
		no.lossy = 1;
		if (otz_normalize(&t, sp->autopsy[k].illusion, strlen(sp->autopsy[k].illusion), &no,
		                  NULL))
			continue; /* an illusion that cannot be read shares nothing */
		otz__wordset_fill(run->e, t.s, t.len, &run->illusions[k]);
		otz_text_dispose(&t);
	}
	return 0;
}

/* The specimen's illusion that sentence seg says again, as the index of its
 * [08] pair (not said yet), or -1; *rc is OTZ_ENOMEM if memory ran out. */
static long own_pair(otz_run *run, size_t seg, int *rc)
{
	const otz_record *sp = run->spec;
	if (!sp)
		return -1;
	long bi = otz__best_hit(run->e->rules, run->an, seg);
	if (bi >= 0 &&
	    run->e->rules->rules[run->an->hits[bi].rule].category == OTZ_CAT_BOILERPLATE)
		return -1;
	if ((*rc = illusion_words(run)) || !sp->nautopsy)
		return -1;
	const otz_segment *g = &run->an->segs[seg];
	otz_wordset w;
	otz__wordset_fill(run->e, run->an->text.s + g->start, g->end - g->start, &w);
	long best = -1;
	double best_share = 0;
	for (size_t k = 0; k < sp->nautopsy; k++) {
		size_t shared;
		double share = otz__wordset_overlap(&w, &run->illusions[k], &shared);
		if (shared >= OWN_PAIR_MIN_WORDS && share >= OWN_PAIR_MIN_SHARE && share > best_share &&
		    !otz__run_said(run, sp->autopsy[k].translation)) {
			best = (long)k;
			best_share = share;
		}
	}
	return best;
}

/* ---- [08] ------------------------------------------------------------ */

/* Add sentence g, won by `rule`, to entry a as one more it translates. */
static int join(otz_run *run, otz_autopsy *a, size_t g, const otz_rule *rule)
{
	otz_record *r = run->r;
	otz_span sp = otz__src_span(&run->an->text, run->an->segs[g].start, run->an->segs[g].end);
	char *s = otz__display(r->arena_, run->input, sp.start, sp.end);
	char *id = otz__rstr(r, rule->id);
	if (!s || !id || otz__grow_pow2((void **)&a->more, a->nmore, sizeof(*a->more)) ||
	    otz__grow_pow2((void **)&a->more_spans, a->nmore, sizeof(*a->more_spans)) ||
	    otz__grow_pow2((void **)&a->more_rules, a->nmore, sizeof(*a->more_rules)))
		return OTZ_ENOMEM;
	a->more[a->nmore] = s;
	a->more_rules[a->nmore] = id;
	a->more_spans[a->nmore++] = sp;
	run->last_entry = a - r->autopsy;
	return 0;
}

/* The entry already made for rule `rule` (or for any boilerplate), or -1. */
static long entry_of(const otz_run *run, const otz_rule *rule)
{
	const otz_record *r = run->r;
	for (size_t i = 0; i < r->nautopsy; i++) {
		const otz_autopsy *a = &r->autopsy[i];
		if (!a->rule_id)
			continue;
		if (rule->category == OTZ_CAT_BOILERPLATE
		        ? a->category && strcmp(a->category, otz_category_name(OTZ_CAT_BOILERPLATE)) == 0
		        : strcmp(a->rule_id, rule->id) == 0)
			return (long)i;
	}
	return -1;
}

static otz_autopsy *new_entry(otz_run *run, size_t g)
{
	otz_record *r = run->r;
	if (OTZ_GROW(r->autopsy, run->cap_autopsy, r->nautopsy + 1))
		return NULL;
	otz_autopsy *a = &r->autopsy[r->nautopsy++];
	memset(a, 0, sizeof(*a));
	run->last_entry = (long)r->nautopsy - 1;
	a->span = otz__src_span(&run->an->text, run->an->segs[g].start, run->an->segs[g].end);
	a->has_span = 1;
	a->illusion = otz__display(r->arena_, run->input, a->span.start, a->span.end);
	a->source = otz__rstr(r, "SOURCE REDACTED");
	return a->illusion && a->source ? a : NULL;
}

/* Sentence g in the closest specimen's own words: its pair k. */
static int own_entry(otz_run *run, size_t g, size_t k)
{
	otz_autopsy *a = new_entry(run, g);
	const otz_record *sp = run->spec;
	if (!a || !(a->translation = otz__rstr(run->r, sp->autopsy[k].translation)) ||
	    !(a->specimen = otz__rstr(run->r, sp->title)))
		return OTZ_ENOMEM;
	return otz__run_say(run, a->translation);
}

/* Sentence g, won by hit h. */
static int rule_entry(otz_run *run, size_t g, const otz_hit *h)
{
	const otz_rule *rule = &run->e->rules->rules[h->rule];
	long prev = entry_of(run, rule);
	/* Boilerplate is one entry, whatever rules won its sentences. */
	if (prev >= 0 && rule->category == OTZ_CAT_BOILERPLATE)
		return join(run, &run->r->autopsy[prev], g, rule);
	char *t = otz__run_pick(run, rule, h, otz__run_seed(run, g));
	if (!t)
		return OTZ_ENOMEM;
	if (otz__run_said_all(t)) /* every translation said: with its first sentence */
		return prev >= 0 ? join(run, &run->r->autopsy[prev], g, rule) : 0;
	otz_autopsy *a = new_entry(run, g);
	if (!a)
		return OTZ_ENOMEM;
	a->translation = t;
	a->rule_id = otz__rstr(run->r, rule->id);
	a->category = otz_category_name(rule->category);
	a->weight = rule->weight;
	return a->rule_id ? 0 : OTZ_ENOMEM;
}

/* The boilerplate entry speaks for its first sentence; when it groups
 * other kinds of boilerplate too, it names them, by their rules' names,
 * apart from the translation (a->also), rather than mock what they never
 * said. */
static int boilerplate_coda(otz_run *run)
{
	const otz_ruleset *rs = run->e->rules;
	otz_record *r = run->r;
	for (size_t i = 0; i < r->nautopsy; i++) {
		otz_autopsy *a = &r->autopsy[i];
		if (!a->nmore || !a->category ||
		    strcmp(a->category, otz_category_name(OTZ_CAT_BOILERPLATE)) != 0)
			continue;
		long first = otz__ruleset_find(rs, a->rule_id);
		const char *own = first >= 0 ? rs->rules[first].name : NULL;
		const char *names[16];
		size_t n = 0;
		for (size_t k = 0; k < a->nmore && n < 16; k++) {
			long ri = otz__ruleset_find(rs, a->more_rules[k]);
			const char *nm = ri >= 0 ? rs->rules[ri].name : NULL;
			int seen = !nm || (own && strcmp(nm, own) == 0);
			for (size_t j = 0; j < n && !seen; j++)
				seen = strcmp(names[j], nm) == 0;
			if (!seen)
				names[n++] = nm;
		}
		if (!n)
			return 0;
		otz_buf b = OTZ_BUF_INIT;
		int rc = 0;
		for (size_t j = 0; j < n && !rc; j++)
			rc = otz__buf_puts(&b, j == 0 ? "" : j + 1 == n ? " and " : ", ") ||
			     otz__buf_puts(&b, names[j]);
		char *t = rc ? NULL : otz__arena_strndup(r->arena_, b.ptr, b.len);
		otz_buf_dispose(&b);
		if (!t)
			return OTZ_ENOMEM;
		a->also = t;
		return 0;
	}
	return 0;
}

/* The segments already in [08], by their text: a table of segment
 * numbers (plus one; 0 empty), open addressing on a hash of the text, so
 * that a sentence the posting repeats is found in constant time. */
typedef struct seen_segs {
	uint32_t *slot;
	size_t mask;
} seen_segs;

static uint64_t seg_hash(const char *t, const otz_segment *g)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = g->start; i < g->end; i++)
		h = (h ^ (unsigned char)t[i]) * 1099511628211ull;
	return h;
}

/* The earlier segment with g's text, or -1; with insert, g is added when
 * none is. */
static long seen_text(seen_segs *ss, const otz_analysis *an, size_t g, int insert)
{
	const otz_segment *sg = &an->segs[g];
	size_t n = sg->end - sg->start;
	for (size_t i = seg_hash(an->text.s, sg) & ss->mask;; i = (i + 1) & ss->mask) {
		if (!ss->slot[i]) {
			if (insert)
				ss->slot[i] = (uint32_t)g + 1;
			return -1;
		}
		const otz_segment *o = &an->segs[ss->slot[i] - 1];
		if (o->end - o->start == n && memcmp(an->text.s + o->start, an->text.s + sg->start, n) == 0)
			return (long)ss->slot[i] - 1;
	}
}

static int autopsy(otz_run *run)
{
	const otz_analysis *an = run->an;
	int rc = 0;
	/* A sentence the posting says twice (a paragraph pasted again) is
	 * listed under the entry of its first telling, not translated anew. */
	seen_segs ss = {NULL, 0};
	size_t cap = 16;
	while (cap < 2 * an->nsegs + 1)
		cap *= 2;
	long *entry_of_seg = malloc(an->nsegs ? an->nsegs * sizeof(long) : 1);
	ss.slot = calloc(cap, sizeof(uint32_t));
	ss.mask = cap - 1;
	if (!ss.slot || !entry_of_seg || an->nsegs >= UINT32_MAX) {
		free(ss.slot);
		free(entry_of_seg);
		return OTZ_ENOMEM;
	}
	for (size_t g = 0; g < an->nsegs && !rc; g++) {
		entry_of_seg[g] = -1;
		if (g == run->title_seg) /* the title's line names the job, it claims nothing */
			continue;
		long bi = otz__best_hit(run->e->rules, an, g);
		long first = bi >= 0 ? seen_text(&ss, an, g, 0) : -1;
		if (first >= 0 && entry_of_seg[first] >= 0) {
			const otz_rule *rule = &run->e->rules->rules[an->hits[bi].rule];
			rc = join(run, &run->r->autopsy[entry_of_seg[first]], g, rule);
			entry_of_seg[g] = entry_of_seg[first];
			continue;
		}
		run->last_entry = -1;
		long k = own_pair(run, g, &rc);
		if (rc)
			break;
		if (k >= 0)
			rc = own_entry(run, g, (size_t)k);
		else if (bi >= 0)
			rc = rule_entry(run, g, &an->hits[bi]);
		entry_of_seg[g] = run->last_entry;
		if (run->last_entry >= 0)
			seen_text(&ss, an, g, 1);
	}
	free(ss.slot);
	free(entry_of_seg);
	return rc ? rc : boilerplate_coda(run);
}

/* ---- [06], [02] and the red flags ------------------------------------- */

/* One entry per rule, at its first hit. */
static int entries_by_category(otz_run *run)
{
	const otz_ruleset *rs = run->e->rules;
	const otz_analysis *an = run->an;
	otz_record *r = run->r;
	for (size_t i = 0; i < an->nhits; i++) {
		const otz_hit *h = &an->hits[i];
		const otz_rule *rule = &rs->rules[h->rule];
		otz_entry **arr;
		size_t *n, *cap;
		switch (rule->category) {
		case OTZ_CAT_WEAPONRY:
			arr = &r->weapons, n = &r->nweapons, cap = &run->cap_weapons;
			break;
		case OTZ_CAT_HABITAT:
			arr = &r->habitat, n = &r->nhabitat, cap = &run->cap_habitat;
			break;
		case OTZ_CAT_RED_FLAG:
			arr = &r->red_flags, n = &r->nred_flags, cap = &run->cap_flags;
			break;
		case OTZ_CAT_CREDIT:
			arr = &r->credits, n = &r->ncredits, cap = &run->cap_credits;
			break;
		default:
			continue;
		}
		if (otz__run_seen_rule(*arr, *n, rule->id))
			continue;
		otz_span sp = otz__src_span(&an->text, h->start, h->end);
		char *t = otz__run_pick(run, rule, h, otz__run_seed(run, h->seg) ^ 0x5bd1e995u);
		/* A red flag is named by the words that raised it; weaponry by its rule. */
		const char *name = rule->category == OTZ_CAT_RED_FLAG
		                           ? otz__display(r->arena_, run->input, sp.start, sp.end)
		                   : rule->category == OTZ_CAT_WEAPONRY ||
		                                   rule->category == OTZ_CAT_CREDIT
		                           ? rule->name
		                           : NULL;
		if (!t || (rule->category == OTZ_CAT_RED_FLAG && !name))
			return OTZ_ENOMEM;
		/* What [08] already tells is not told again: a red flag is still
		 * raised, by its words alone; weaponry and habitat are left out. */
		if (otz__run_said_all(t)) {
			if (rule->category != OTZ_CAT_RED_FLAG)
				continue;
			t = NULL;
		}
		if (otz__run_add_entry(run, arr, n, cap, name, t, rule->id, sp))
			return OTZ_ENOMEM;
	}
	return 0;
}

int otz__run_seen_rule(const otz_entry *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].rule_id && strcmp(v[i].rule_id, id) == 0)
			return 1;
	return 0;
}

int otz__translate_stage(otz_run *run)
{
	find_named(run);
	int rc = autopsy(run);
	return rc ? rc : entries_by_category(run);
}
