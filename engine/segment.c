/*
 * segment.c - normalized text in, sentences and list items out.
 *
 * Takes the text otz_normalize produced (lines separated by "\n", list items
 * marked by a leading "- ", "* ", "+ ", "1. " or "1) ") and returns an array
 * of segments: byte ranges, trimmed, each a sentence or a list item.  A line
 * is split into sentences at '.', '!' or '?' followed by a space, unless the
 * word before the stop is a known abbreviation ("e.g.", "eg.", "inc.",
 * "etc.", also when it closes a bracket: "etc.)") or a single letter.
 * Segments with no letter or digit (by Unicode category) are dropped.  The
 * array belongs to the caller (free); the only error is OTZ_ENOMEM.
 *
 * Each segment is then marked when it speaks of the employer rather than of
 * the role (mark_org): the sentences under an "About us" heading, up to the
 * next heading, and sentences that open like a company's self-description
 * ("We are a ...", "Our clients ...", "Founded in ...", "Acme is a leading
 * provider ..."), and the sentences after one of them in its paragraph
 * that go on about it ("Its engine ...", "They ..."), when they name no
 * hire (no "you", "candidate", "this role", "looking for" ...).  A rule
 * that mocks the role's work does not fire on them (otz_rule.org); a rule
 * that mocks what companies say of themselves does.  The text is
 * case-folded, so the checks are on lowercase words.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

static const char *const abbrevs[] = {
	"e.g", "i.e", "eg", "ie", "etc", "vs", "inc", "ltd", "co", "corp", "jr", "sr", "dr", "mr",
	"mrs", "ms", "st", "no", "approx", "dept", "u.s", "a.m", "p.m", "min", "max",
	"incl", "esp", "fig", "est", "avg", "yrs", "mo", NULL};

static int is_alnum_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

/* Is the word ending just before `dot` an abbreviation? */
static int abbrev_before(const char *t, size_t line_start, size_t dot)
{
	size_t w = dot;
	while (w > line_start && (is_alnum_byte((unsigned char)t[w - 1]) || t[w - 1] == '.'))
		w--;
	size_t n = dot - w;
	if (n == 0)
		return 0;
	if (n == 1 && ((unsigned char)t[w] < 0x80))
		return 1; /* a single letter: an initial, "a." in a list */
	for (size_t i = 0; abbrevs[i]; i++)
		if (strlen(abbrevs[i]) == n && memcmp(abbrevs[i], t + w, n) == 0)
			return 1;
	return 0;
}

static int push(otz_segment **v, size_t *n, size_t *cap, const char *t,
                size_t s, size_t e, otz_seg_kind kind, int line_start)
{
	while (s < e && t[s] == ' ')
		s++;
	while (e > s && t[e - 1] == ' ')
		e--;
	int any = 0;
	for (size_t i = s; i < e && !any;) {
		unsigned char c = (unsigned char)t[i];
		if (c < 0x80) {
			any = is_alnum_byte(c);
			i++;
			continue;
		}
		/* Beyond ASCII, ask utf8proc: "€" or "§" alone is not text. */
		utf8proc_int32_t cp;
		utf8proc_ssize_t cl = utf8proc_iterate((const utf8proc_uint8_t *)t + i,
		                                       (utf8proc_ssize_t)(e - i), &cp);
		if (cl <= 0) {
			i++;
			continue;
		}
		utf8proc_category_t cat = utf8proc_category(cp);
		any = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
		      (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
		i += (size_t)cl;
	}
	if (!any)
		return 0;
	if (OTZ_GROW(*v, *cap, *n + 1))
		return OTZ_ENOMEM;
	(*v)[*n].start = s;
	(*v)[*n].end = e;
	(*v)[*n].kind = kind;
	(*v)[*n].line_start = line_start;
	(*n)++;
	return 0;
}

/* Length of a list marker at t[i], or 0. */
static size_t list_marker(const char *t, size_t i, size_t end)
{
	if (i + 1 < end && (t[i] == '-' || t[i] == '*' || t[i] == '+') && t[i + 1] == ' ')
		return 2;
	size_t j = i;
	while (j < end && j - i < 3 && t[j] >= '0' && t[j] <= '9')
		j++;
	if (j > i && j + 1 < end && (t[j] == '.' || t[j] == ')') && t[j + 1] == ' ')
		return j + 2 - i;
	return 0;
}

/* A segment's words, lowercase, at most ORG_WORDS of them (the rest are
 * only searched for hire words). */
#define ORG_WORDS 16
typedef struct words {
	const char *w[ORG_WORDS];
	size_t n[ORG_WORDS];
	size_t count;
} words;

static void read_words(const char *t, const otz_segment *g, words *out)
{
	size_t i = 0, ws, wl;
	out->count = 0;
	while (out->count < ORG_WORDS && otz__next_word(t + g->start, g->end - g->start, &i, 0, &ws, &wl)) {
		out->w[out->count] = t + g->start + ws;
		out->n[out->count++] = wl;
	}
}

static int word_is(const words *w, size_t k, const char *const *list)
{
	return k < w->count && otz__word_in(list, w->w[k], w->n[k]);
}

/* Words that put the hire in a sentence: it is about the role then. */
static const char *const hire_words[] = {
	"you", "your", "yourself", "candidate", "candidates", "applicant", "applicants", "hire",
	"hiring", "looking", "seeking", "join", "joining", "responsibilities", "responsible",
	"role", "position", "duties", "qualifications", "required", "requirements", "must",
	"ideal", "successful", "incumbent", "employee", "will", NULL};
/* Does any word of the segment (all of them, not only the first
 * ORG_WORDS) name the hire?  Linear in the segment. */
static int names_hire(const char *t, const otz_segment *g)
{
	size_t i = 0, ws, wl;
	words one;
	while (otz__next_word(t + g->start, g->end - g->start, &i, 0, &ws, &wl)) {
		one.w[0] = t + g->start + ws;
		one.n[0] = wl;
		one.count = 1;
		if (word_is(&one, 0, hire_words))
			return 1;
	}
	return 0;
}

/* What follows "our" when a company speaks of itself. */
static const char *const org_nouns[] = {
	"company", "firm", "mission", "vision", "client", "clients", "customer", "customers",
	"product", "products", "platform", "solutions", "services", "portfolio", "investors",
	"founders", "technology", "story", "history", "values", "culture", "business", "brand",
	"brands", "partners", "members", "patients", "community", "communities", "organization",
	"organisation", "agency", "bank", "hospital", "university", "stores", "network",
	"headquarters", "offices", "employees", "people", "purpose", "heritage", "founder",
	"ceo", "software", "app", "group", NULL};
/* What follows "we" when a company speaks of itself. */
static const char *const we_verbs[] = {
	"are", "re", "were", "have", "ve", "help", "serve", "build", "make", "provide", "offer",
	"deliver", "develop", "design", "manufacture", "operate", "specialize", "specialise",
	"believe", "exist", "partner", "empower", "enable", "power", "create", "combine",
	"started", "began", "pride", "give", "invest", "bring", "support", NULL};
/* The words after "X is a/an/the" (within the sentence's first words)
 * that make X a company. */
static const char *const company_nouns[] = {
	"company", "firm", "leader", "provider", "platform", "organization", "organisation",
	"agency", "startup", "business", "institution", "brand", "employer", "manufacturer",
	"retailer", "bank", "insurer", "nonprofit", "non-profit", "consultancy", "supplier",
	"developer", "pioneer", "marketplace", "corporation", "group", "system", "network", NULL};
/* What a company does, said of it by name: "Clearwater helps ...". */
static const char *const company_verbs[] = {
	"helps", "provides", "serves", "enables", "empowers", "offers", "delivers", "develops",
	"builds", "creates", "specializes", "specialises", "partners", "operates", "designs",
	"manufactures", "powers", "connects", "transforms", NULL};
/* Words that make a name the role's side, not the company ("the data team
 * builds"), or a title rather than a name ("the paralegal provides"). */
static const char *const role_side_nouns[] = {
	"the", "a", "an", "our", "your", "their", "its", "team", "teams", "scientist",
	"scientists", "engineer", "engineers", "analyst", "analysts", "manager", "managers",
	"person", "individual", "incumbent", "position", "role", "group", "department", "lab",
	"laboratory", "function", "unit", "he", "she", "they", "who", "this", "each", "it",
	"which", "that", NULL};
static const char *const openers[] = {"founded", "headquartered", "established", "since",
                                      NULL};
static const char *const be[] = {"is", "are", "was", NULL};
static const char *const det[] = {"a", "an", "the", "one", NULL};

/* Can word k be part of a company's name before its verb?  Not an article
 * or a role's side ("the data team"), a verb or a joining word ("seeks and
 * develops", "work with partners"), an opening adverb or participle
 * ("iteratively delivers"; "Intrado, formerly West," is a name), a number
 * ("8. partners with ..."), nor a verb of what companies do itself
 * ("designs and develops"). */
static const char *const joins[] = {"and", "or", "with", "in", "of", "to", "for", "on", "by",
                                    "at", "from", "into", "across", "as", NULL};
static int name_word(const words *w, size_t k)
{
	const char *x = w->w[k];
	size_t n = w->n[k];
	if (word_is(w, k, role_side_nouns) || word_is(w, k, we_verbs) || word_is(w, k, be) ||
	    word_is(w, k, joins) || word_is(w, k, company_verbs))
		return 0;
	if (k == 0 && n > 3 && (memcmp(x + n - 3, "ing", 3) == 0 || memcmp(x + n - 2, "ly", 2) == 0))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (x[i] >= '0' && x[i] <= '9')
			return 0;
	return 1;
}

/* Does a sentence open like a company's account of itself? */
static int company_sentence(const words *w, otz_seg_kind kind)
{
	static const char *const we[] = {"we", NULL};
	static const char *const our[] = {"our", NULL};
	if (word_is(w, 0, we))
		return word_is(w, 1, we_verbs);
	if (word_is(w, 0, our))
		return word_is(w, 1, org_nouns) || word_is(w, 2, org_nouns);
	if (word_is(w, 0, openers))
		return 1;
	/* "Maven Wave's digital solutions are ...": a name's products. */
	static const char *const s_[] = {"s", NULL};
	for (size_t k = 1; k <= 4 && k + 1 < w->count; k++)
		if (word_is(w, k, s_))
			return word_is(w, k + 1, org_nouns) || word_is(w, k + 2, org_nouns);
	/* "Clearwater helps thousands of organizations ...", "Intrado, formerly
	 * West, develops ...": in a sentence (a list item is a duty), a name of
	 * one to four words with no article and a verb of what companies do.
	 * "The paralegal provides ..." is a duty, so "The SEI helps ..." is
	 * let go with it: the text is case-folded, and a name looks like a
	 * title. */
	for (size_t k = 1; k <= 4 && k + 1 < w->count && kind == OTZ_SEG_SENTENCE; k++) {
		if (!name_word(w, k - 1))
			break;
		/* the verb takes an object: "drive pilot builds and ..." or
		 * "source new data partners, ..." name no company */
		if (word_is(w, k, company_verbs) && w->w[k][w->n[k]] != ',' &&
		    !word_is(w, k + 1, joins))
			return 1;
	}
	/* "Acme Health is a leading provider of ...": a name of one to four
	 * words, is/are, an article, and a company noun soon after. */
	for (size_t k = 1; k <= 4 && k + 1 < w->count; k++) {
		if (!word_is(w, k, be))
			continue;
		if (!word_is(w, k + 1, det))
			return 0;
		for (size_t j = k + 2; j < w->count && j < k + 8; j++)
			if (word_is(w, j, company_nouns))
				return 1;
		return 0;
	}
	return 0;
}

/* A heading: a whole line, either ending in a colon ("Professional
 * experience to be successful in this role:") or of at most six words and
 * not ending like a sentence ("WHO YOU ARE"). */
static int is_heading(const char *t, size_t len, const otz_segment *g, const words *w)
{
	if (!g->line_start || g->kind != OTZ_SEG_SENTENCE || w->count == 0)
		return 0;
	if (g->end < len && t[g->end] != '\n')
		return 0;
	char last = t[g->end - 1];
	if (last == ':')
		return w->count < ORG_WORDS;
	return w->count <= 6 && last != '.' && last != '!' && last != '?' && last != ',';
}

/* Is the heading one over an account of the company? */
static int about_heading(const words *w)
{
	static const char *const about[] = {"about", NULL};
	static const char *const role_side[] = {"role", "job", "position", "opportunity", "team",
	                                        "you", "this", "the", "us", "benefits", NULL};
	static const char *const the_company[] = {"company", "organization", "organisation",
	                                          "firm", "employer", NULL};
	static const char *const who[] = {"who", NULL};
	static const char *const our[] = {"our", "the", "company", NULL};
	static const char *const story[] = {"company", "story", "mission", "history", "overview",
	                                    "description", "profile", "firm", NULL};
	if (word_is(w, 0, about)) {
		if (w->count == 1)
			return 1;
		/* "About us", "About the company", "About Acme" are the company;
		 * "About the role", "About you", "About this team" are not. */
		static const char *const us[] = {"us", NULL};
		if (word_is(w, 1, us))
			return 1;
		if (word_is(w, 1, role_side))
			return word_is(w, 2, the_company);
		return 1;
	}
	static const char *const we[] = {"we", NULL};
	static const char *const are[] = {"are", NULL};
	if (word_is(w, 0, who)) /* "Who we are", not "Who you are" or "Who we want" */
		return w->count == 3 && word_is(w, 1, we) && word_is(w, 2, are);
	return word_is(w, 0, our) && word_is(w, 1, story) && w->count <= 3;
}

/* Words that open a sentence going on about what the one before named. */
static const char *const pronouns[] = {"its", "it", "their", "they", "this", "these", NULL};

static void mark_org(const char *t, size_t len, otz_segment *v, size_t n)
{
	int about = 0;
	words w;
	for (size_t i = 0; i < n; i++) {
		read_words(t, &v[i], &w);
		v[i].org = 0;
		if (is_heading(t, len, &v[i], &w)) {
			about = about_heading(&w);
			v[i].org = about;
			continue;
		}
		/* "Its engine then delivers ...": a sentence that goes on about the
		 * company the one before it, in the same paragraph, described */
		int goes_on = i > 0 && v[i - 1].org && !v[i].line_start && word_is(&w, 0, pronouns);
		v[i].org = (about || goes_on || company_sentence(&w, v[i].kind)) && !names_hire(t, &v[i]);
	}
}

int otz_segment_text(otz_segment **out, size_t *n, const char *t, size_t len,
                     otz_error *err)
{
	otz_segment *v = NULL;
	size_t nv = 0, cap = 0;
	size_t ls = 0;
	int rc = 0;
	while (ls < len) {
		const char *nl = memchr(t + ls, '\n', len - ls);
		size_t le = nl ? (size_t)(nl - t) : len;
		size_t s = ls;
		while (s < le && t[s] == ' ')
			s++;
		otz_seg_kind kind = OTZ_SEG_SENTENCE;
		size_t m = list_marker(t, s, le);
		if (m) {
			kind = OTZ_SEG_ITEM;
			s += m;
		}
		int first = 1;
		size_t seg = s;
		for (size_t i = s; i < le; i++) {
			char c = t[i];
			if (c != '.' && c != '!' && c != '?')
				continue;
			size_t j = i + 1;
			while (j < le && (t[j] == '.' || t[j] == '!' || t[j] == '?'))
				j++;
			size_t q = j; /* after the stops: closing brackets, then quotes */
			while (j < le && t[j] == ')')
				j++;
			int bracket = j > q;
			while (j < le && (t[j] == '"' || t[j] == '\'' || t[j] == ')'))
				j++;
			if (j < le && t[j] != ' ')
				continue;
			/* an abbreviation ends no sentence, nor one that closes a
			 * bracket: "(python, ruby, etc.) programming languages" */
			if (c == '.' && q == i + 1 && (j == q || (bracket && j == q + 1)) &&
			    abbrev_before(t, ls, i))
				continue;
			if ((rc = push(&v, &nv, &cap, t, seg, j, kind, first)))
				goto done;
			if (nv && v[nv - 1].start >= seg)
				first = 0;
			seg = j;
			i = j - 1;
		}
		if ((rc = push(&v, &nv, &cap, t, seg, le, kind, first)))
			goto done;
		ls = le + 1;
	}
	mark_org(t, len, v, nv);
	*out = v;
	*n = nv;
	v = NULL;
done:
	free(v);
	if (rc)
		return otz__fail(err, rc, "out of memory while segmenting");
	return 0;
}
