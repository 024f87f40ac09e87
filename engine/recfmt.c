/*
 * recfmt.c - the file-record format: one table of its sections, and the
 * reader and the text writer side by side.
 *
 * A file record is the seed's shape: "FILE RECORD: SLUG", the question, the
 * title, then sections [01] to [11], each running to the next "[NN] "
 * heading.  The table below says, for each section, its heading, how it is
 * read, how it is written, when it is present and what a translation may
 * borrow of it from its closest specimen; Markdown, HTML and JSON take their
 * headings and presence from here too.
 *
 * The reader takes a record as it is found in the wild, scraped from a web
 * page: aliases run together on one line, the flight risk glued to its label
 * ("FLIGHT RISK:85%HIGH RISK"), the [11] arrows and percentages jammed onto
 * neighbouring lines; and it takes the spaced form the text writer gives a
 * reader ("FLIGHT RISK: 85% (HIGH RISK)", "DIAGNOSIS: ...").  Unknown lines are skipped; a text that does not start
 * as a record, or whose paired sections are cut short, is refused with
 * OTZ_ERECORD and file:line; a record must be UTF-8 (OTZ_EUTF8) without NUL
 * bytes (OTZ_EBINARY).  The result belongs to the caller.
 *
 * The text writer writes a record line for line in the same shape, in one
 * of two forms.  The record form (OTZ_FORMAT_RECORD, w->record) is the
 * seed's, run-togethers and all: corpus files are kept in it, so that a
 * specimen renders back into the file it was read from byte for byte.  The
 * spaced form (OTZ_FORMAT_TEXT) is what a person reads: labels with a space
 * after them, the risk label in parentheses, the [11] entries apart without
 * the scraped page's arrows.  Both read back as the same record, so a
 * translated record, edited by a person, imports back as a new specimen.  The lines a
 * translation adds (figures with their reasons, red flags, the rule and
 * span of each illusion, the evidence of each match) are ones the reader
 * skips.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define ARROW "\xe2\x86\x92"
#define EMDASH "\xe2\x80\x94"
#define MIDDOT "\xc2\xb7"
/* After a boilerplate entry's translation, the other kinds it holds. */
#define ALSO_LABEL "ALSO STANDARD ISSUE:"

/* ---- names -------------------------------------------------------- */

char *otz_slugify(const char *title)
{
	size_t n = strlen(title);
	char *s = malloc(n + 1), *p = s;
	if (!s)
		return NULL;
	int dash = 1; /* suppress a leading dash */
	for (const char *t = title; *t; t++) {
		unsigned char c = (unsigned char)*t;
		if (isalnum(c)) {
			*p++ = (char)toupper(c);
			dash = 0;
		} else if (!dash) {
			*p++ = '-';
			dash = 1;
		}
	}
	while (p > s && p[-1] == '-')
		p--;
	*p = '\0';
	return s;
}

int otz__heading_prefix(const char *s, size_t n)
{
	return n >= 4 && s[0] == '[' && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]) && s[3] == ']';
}

/* The lexicon's lines in [01], in the order they are written. */
static const char *const lex_keys[OTZ_LEX__COUNT] = {"TOOLS: ", "RITUALS: ", "ARTEFACTS: ",
                                                     "COUNTERPARTS: "};
/* The keys of [01]'s other lines, as parse_org() reads them. */
static const char *const org_keys[] = {"* ", "KNOWN ALIASES", "FAMILY: ", "ROLE: ", NULL};

/* Does s[0..n) begin with key, where a key's final space may also be the
 * space a separator (" · ") puts after s when s is written at a line's
 * start? */
static int has_prefix(const char *s, size_t n, const char *key)
{
	size_t l = strlen(key);
	if (l && key[l - 1] == ' ' && n == l - 1)
		return memcmp(s, key, l - 1) == 0;
	return n >= l && memcmp(s, key, l) == 0;
}

int otz__org_key_prefix(const char *s, size_t n)
{
	for (size_t k = 0; org_keys[k]; k++)
		if (has_prefix(s, n, org_keys[k]))
			return 1;
	for (size_t k = 0; k < OTZ_LEX__COUNT; k++)
		if (has_prefix(s, n, lex_keys[k]))
			return 1;
	return 0;
}

/* ---- reading: lines ----------------------------------------------- */

typedef struct line {
	const char *s;
	size_t n;
	int no;
} line;

static int starts(const line *l, const char *p)
{
	size_t n = strlen(p);
	return l->n >= n && memcmp(l->s, p, n) == 0;
}

static int section_no(const line *l)
{
	if (otz__heading_prefix(l->s, l->n) && l->n >= 5 && l->s[4] == ' ')
		return (l->s[1] - '0') * 10 + (l->s[2] - '0');
	return 0;
}

/* Strip one pair of surrounding double quotes (ASCII or curly). */
static void unquote(const char **s, size_t *n)
{
	static const char *const open[] = {"\"", "\xe2\x80\x9c", NULL};
	static const char *const close[] = {"\"", "\xe2\x80\x9d", NULL};
	for (int k = 0; open[k]; k++) {
		size_t ol = strlen(open[k]);
		if (*n >= ol && memcmp(*s, open[k], ol) == 0) {
			*s += ol;
			*n -= ol;
			break;
		}
	}
	for (int k = 0; close[k]; k++) {
		size_t cl = strlen(close[k]);
		if (*n >= cl && memcmp(*s + *n - cl, close[k], cl) == 0) {
			*n -= cl;
			break;
		}
	}
}

/*
 * Where the text after a line's label begins: after `glued` (the scraped
 * form, "[DIAGNOSIS]Tenure..."), or after `spaced` and the one space the
 * writer puts after it ("DIAGNOSIS: Tenure...").  Only that one space is
 * the label's, so that text which begins with spaces reads back as it was
 * written.
 */
static size_t label_end(const line *l, const char *glued, const char *spaced)
{
	if (starts(l, glued))
		return strlen(glued);
	size_t k = strlen(spaced);
	return k < l->n && l->s[k] == ' ' ? k + 1 : k;
}

static int is_quoted(const line *l)
{
	return starts(l, "\"") || starts(l, "\xe2\x80\x9c");
}

/* Parse "SYSTEM MATCH: 98%" anywhere in the line; -1 if absent. */
static int system_match(const line *l)
{
	static const char key[] = "SYSTEM MATCH:";
	for (size_t i = 0; i + sizeof(key) - 1 <= l->n; i++) {
		if (memcmp(l->s + i, key, sizeof(key) - 1) != 0)
			continue;
		size_t j = i + sizeof(key) - 1;
		while (j < l->n && l->s[j] == ' ')
			j++;
		int v = 0, d = 0;
		while (j < l->n && isdigit((unsigned char)l->s[j]) && d < 4) {
			v = v * 10 + (l->s[j] - '0');
			j++;
			d++;
		}
		return d ? v : -1;
	}
	return -1;
}

typedef struct parser {
	otz_record *r;
	const char *name;
	otz_error *err;
	size_t cap_habitat_lines, cap_metrics, cap_weapons, cap_autopsy, cap_log,
		cap_complaints, cap_related;
} parser;

#define PUSH(p, arr, count, capf)                                                   \
	(OTZ_GROW((p)->r->arr, (p)->capf, (p)->r->count + 1)                            \
	         ? OTZ_ENOMEM                                                           \
	         : (memset(&(p)->r->arr[(p)->r->count], 0, sizeof((p)->r->arr[0])),     \
	            (p)->r->count++, 0))

static char *lstr(parser *p, const line *l, size_t skip)
{
	return otz__rstrn(p->r, l->s + skip, l->n - skip);
}

/* ---- reading: one function a section ------------------------------ */


static const char *const families[] = {
	"engineering", "data",    "product", "sales",  "marketing", "customer",
	"people",      "finance", "legal",   "operations", "hardware", "science",
	"health",      "public",  "trades",  "retail", "education", "executive", NULL};

const char *otz_family_name(size_t i)
{
	return i < sizeof(families) / sizeof(families[0]) ? families[i] : NULL;
}

int otz_family_find(const char *name)
{
	for (int i = 0; name && families[i]; i++)
		if (strcmp(families[i], name) == 0)
			return i;
	return -1;
}

/* A line's value after its key, split at " · " into record strings. */
static int split_list(parser *p, const line *l, size_t skip, char ***out, size_t *n)
{
	const char *s = l->s + skip, *end = l->s + l->n;
	size_t cap = 0;
	free(*out); /* a second line of the kind replaces the first */
	*out = NULL;
	*n = 0;
	while (s < end) {
		const char *q = memmem(s, (size_t)(end - s), " " MIDDOT " ", 4);
		const char *e = q ? q : end;
		while (s < e && *s == ' ')
			s++;
		size_t len = (size_t)(e - s);
		while (len && s[len - 1] == ' ')
			len--;
		if (len) {
			if (OTZ_GROW(*out, cap, *n + 1) || !((*out)[*n] = otz__rstrn(p->r, s, len)))
				return OTZ_ENOMEM;
			(*n)++;
		}
		s = q ? q + 4 : end;
	}
	return 0;
}

static int parse_aliases(parser *p, const line *l)
{
	otz_record *r = p->r;
	char *al = lstr(p, l, 0);
	char **v;
	size_t nv;
	int rc = al ? otz_aliases_split(&v, &nv, al) : OTZ_ENOMEM;
	if (rc == OTZ_ELIMIT)
		return otz__fail(p->err, OTZ_ERECORD,
		                 "%s:%d: KNOWN ALIASES / DISGUISES lists more than %d aliases", p->name,
		                 l->no, OTZ_MAX_ALIASES);
	if (rc)
		return rc;
	free(r->aliases); /* a second alias list replaces the first */
	r->naliases = 0;
	r->aliases = malloc((nv ? nv : 1) * sizeof(char *));
	if (!r->aliases) {
		otz__free_strv(v, nv);
		return OTZ_ENOMEM;
	}
	for (size_t k = 0; k < nv; k++)
		r->aliases[k] = otz__rstr(r, v[k]);
	r->naliases = nv;
	otz__free_strv(v, nv);
	return 0;
}

static int parse_org(parser *p, const line *ls, size_t n)
{
	otz_record *r = p->r;
	for (size_t i = 0; i < n; i++) {
		int rc = 0;
		if (starts(&ls[i], "* "))
			r->org_note = lstr(p, &ls[i], 2);
		else if (starts(&ls[i], "KNOWN ALIASES") && i + 1 < n)
			rc = parse_aliases(p, &ls[++i]);
		else if (starts(&ls[i], "FAMILY: "))
			r->family = lstr(p, &ls[i], 8);
		else if (starts(&ls[i], "ROLE: "))
			r->role_name = lstr(p, &ls[i], 6);
		for (int k = 0; k < OTZ_LEX__COUNT && !rc; k++)
			if (starts(&ls[i], lex_keys[k]))
				rc = split_list(p, &ls[i], strlen(lex_keys[k]), &r->lex[k], &r->nlex[k]);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_habitat(parser *p, const line *ls, size_t n)
{
	otz_record *r = p->r;
	for (size_t i = 0; i < n; i++) {
		if (!starts(&ls[i], "- "))
			continue;
		if (PUSH(p, habitat_lines, nhabitat_lines, cap_habitat_lines))
			return OTZ_ENOMEM;
		r->habitat_lines[r->nhabitat_lines - 1] = lstr(p, &ls[i], 2);
	}
	return 0;
}

static int parse_salary(parser *p, const line *ls, size_t n)
{
	otz_record *r = p->r;
	for (size_t i = 0; i < n; i++) {
		if (starts(&ls[i], "$")) {
			long v = 0;
			for (size_t k = 1; k < ls[i].n; k++)
				if (isdigit((unsigned char)ls[i].s[k]))
					v = v <= OTZ_MAX_SALARY ? v * 10 + (ls[i].s[k] - '0') : v; /* no overflow */
				else if (ls[i].s[k] != ',')
					break;
			/* A figure no job pays is an error in the record, said, not
			 * quietly cut down to size. */
			if (v > OTZ_MAX_SALARY)
				return otz__fail(p->err, OTZ_ERECORD,
				                 "%s:%d: a market average above $%ld is no salary",
				                 p->name, ls[i].no, (long)OTZ_MAX_SALARY);
			r->salary = v;
		} else if (starts(&ls[i], "* ")) {
			r->salary_basis = lstr(p, &ls[i], 2);
		} else if (is_quoted(&ls[i])) {
			const char *s = ls[i].s;
			size_t m = ls[i].n;
			unquote(&s, &m);
			r->salary_quote = otz__rstrn(r, s, m);
		}
	}
	return 0;
}

static int parse_risk(parser *p, const line *ls, size_t n)
{
	otz_record *r = p->r;
	for (size_t i = 0; i < n; i++) {
		if (starts(&ls[i], "FLIGHT RISK:")) {
			size_t k = 12;
			while (k < ls[i].n && ls[i].s[k] == ' ')
				k++;
			int v = 0, d = 0;
			while (k < ls[i].n && isdigit((unsigned char)ls[i].s[k]) && d < 3) {
				v = v * 10 + (ls[i].s[k++] - '0');
				d++;
			}
			if (!d || k >= ls[i].n || ls[i].s[k] != '%')
				return otz__fail(p->err, OTZ_ERECORD,
				                 "%s:%d: expected 'FLIGHT RISK:NN%%LABEL'", p->name, ls[i].no);
			if (v > 100)
				return otz__fail(p->err, OTZ_ERECORD,
				                 "%s:%d: a flight risk of %d%% is more than certain", p->name,
				                 ls[i].no, v);
			k++;
			while (k < ls[i].n && ls[i].s[k] == ' ')
				k++;
			/* The spaced form puts the label in parentheses. */
			size_t m = ls[i].n - k;
			if (m >= 2 && ls[i].s[k] == '(' && ls[i].s[ls[i].n - 1] == ')')
				r->risk_label = otz__rstrn(r, ls[i].s + k + 1, m - 2);
			else
				r->risk_label = lstr(p, &ls[i], k);
			r->flight_risk = v;
		} else if (starts(&ls[i], "[DIAGNOSIS]") || starts(&ls[i], "DIAGNOSIS:")) {
			size_t k = label_end(&ls[i], "[DIAGNOSIS]", "DIAGNOSIS:");
			if (ls[i].n > k)
				r->diagnosis = lstr(p, &ls[i], k);
			else if (i + 1 < n)
				r->diagnosis = lstr(p, &ls[++i], 0);
		}
	}
	return 0;
}

/* [05] and [06]: a name line, then its description line. */
static int parse_pairs(parser *p, const line *ls, size_t n, int weapons)
{
	if (n % 2)
		return otz__fail(p->err, OTZ_ERECORD, "%s:%d: %s needs name and description lines in pairs",
		                 p->name, ls[n - 1].no, weapons ? "[06]" : "[05]");
	for (size_t i = 0; i + 1 < n; i += 2) {
		otz_entry *e;
		if (weapons) {
			if (PUSH(p, weapons, nweapons, cap_weapons))
				return OTZ_ENOMEM;
			e = &p->r->weapons[p->r->nweapons - 1];
		} else {
			if (PUSH(p, metrics, nmetrics, cap_metrics))
				return OTZ_ENOMEM;
			e = &p->r->metrics[p->r->nmetrics - 1];
		}
		e->name = lstr(p, &ls[i], 0);
		e->text = lstr(p, &ls[i + 1], 0);
	}
	return 0;
}

static int parse_metrics(parser *p, const line *ls, size_t n)
{
	return parse_pairs(p, ls, n, 0);
}

static int parse_weapons(parser *p, const line *ls, size_t n)
{
	return parse_pairs(p, ls, n, 1);
}

static int parse_encounter(parser *p, const line *ls, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!starts(&ls[i], "[IF ENGAGED:]") && !starts(&ls[i], "IF ENGAGED:"))
			continue;
		size_t k = label_end(&ls[i], "[IF ENGAGED:]", "IF ENGAGED:");
		p->r->encounter = ls[i].n > k ? lstr(p, &ls[i], k)
		                              : (i + 1 < n ? lstr(p, &ls[i + 1], 0) : NULL);
	}
	return 0;
}

static int parse_autopsy(parser *p, const line *ls, size_t n)
{
	otz_record *r = p->r;
	otz_autopsy *a = NULL;
	int want = 0; /* 1: illusion quote, 2: translation */
	for (size_t i = 0; i < n; i++) {
		if (starts(&ls[i], "LINKEDIN ILLUSION")) {
			if (PUSH(p, autopsy, nautopsy, cap_autopsy))
				return OTZ_ENOMEM;
			a = &r->autopsy[r->nautopsy - 1];
			want = 1;
		} else if (!a) {
			continue;
		} else if (starts(&ls[i], "OTIOSE TRANSLATION")) {
			want = 2;
		} else if (want == 1 && starts(&ls[i], "[") && !a->source) {
			const char *s = ls[i].s + 1;
			size_t m = ls[i].n - 1;
			if (m && s[m - 1] == ']')
				m--;
			a->source = otz__rstrn(r, s, m);
		} else if (want == 1) { /* the sentence, then any more it translates */
			const char *s = ls[i].s;
			size_t m = ls[i].n;
			unquote(&s, &m);
			char *q = otz__rstrn(r, s, m);
			if (!q)
				return OTZ_ENOMEM;
			if (!a->illusion) {
				a->illusion = q;
			} else {
				if (otz__grow_pow2((void **)&a->more, a->nmore, sizeof(*a->more)))
					return OTZ_ENOMEM;
				a->more[a->nmore++] = q;
			}
		} else if (want == 2 && !a->translation) {
			a->translation = lstr(p, &ls[i], 0);
		} else if (want == 2 && !a->also && starts(&ls[i], ALSO_LABEL)) {
			/* the other kinds a boilerplate entry holds, without the
			 * label and the full stop the writer puts round them */
			const char *s = ls[i].s + strlen(ALSO_LABEL);
			size_t m = ls[i].n - strlen(ALSO_LABEL);
			while (m && *s == ' ')
				s++, m--;
			if (m && s[m - 1] == '.')
				m--;
			if (m && !(a->also = otz__rstrn(r, s, m)))
				return OTZ_ENOMEM;
		}
	}
	for (size_t i = 0; i < r->nautopsy; i++)
		if (!r->autopsy[i].illusion || !r->autopsy[i].translation)
			return otz__fail(p->err, OTZ_ERECORD,
			                 "%s:%d: [08] has a LINKEDIN ILLUSION without its quote or "
			                 "OTIOSE TRANSLATION",
			                 p->name, n ? ls[n - 1].no : 0);
	return 0;
}

static int parse_log(parser *p, const line *ls, size_t n)
{
	otz_record *r = p->r;
	for (size_t i = 0; i < n; i++) {
		if (!(starts(&ls[i], "[") && ls[i].n > 2 && ls[i].s[ls[i].n - 1] == ']'))
			continue;
		if (i + 2 >= n)
			return otz__fail(p->err, OTZ_ERECORD,
			                 "%s:%d: [09] time slot needs a title and a description", p->name,
			                 ls[i].no);
		if (PUSH(p, log, nlog, cap_log))
			return OTZ_ENOMEM;
		otz_logentry *e = &r->log[r->nlog - 1];
		e->slot = otz__rstrn(r, ls[i].s + 1, ls[i].n - 2);
		e->title = lstr(p, &ls[i + 1], 0);
		e->text = lstr(p, &ls[i + 2], 0);
		i += 2;
	}
	return 0;
}

static int parse_complaints(parser *p, const line *ls, size_t n)
{
	otz_record *r = p->r;
	for (size_t i = 0; i < n; i++) {
		if (is_quoted(&ls[i])) {
			if (PUSH(p, complaints, ncomplaints, cap_complaints))
				return OTZ_ENOMEM;
			const char *s = ls[i].s;
			size_t m = ls[i].n;
			unquote(&s, &m);
			r->complaints[r->ncomplaints - 1].text = otz__rstrn(r, s, m);
		} else if (starts(&ls[i], EMDASH) && r->ncomplaints) {
			size_t k = strlen(EMDASH);
			while (k < ls[i].n && ls[i].s[k] == ' ')
				k++;
			r->complaints[r->ncomplaints - 1].source = lstr(p, &ls[i], k);
		}
	}
	return 0;
}

static int parse_related(parser *p, const line *ls, size_t n)
{
	otz_record *r = p->r;
	otz_related *cur = NULL;
	int got = 0;
	for (size_t i = 0; i < n; i++) {
		int pct = system_match(&ls[i]);
		if (pct > 100)
			return otz__fail(p->err, OTZ_ERECORD,
			                 "%s:%d: a SYSTEM MATCH of %d%% is more than a whole match", p->name,
			                 ls[i].no, pct);
		if (pct >= 0) {
			if (PUSH(p, related, nrelated, cap_related))
				return OTZ_ENOMEM;
			cur = &r->related[r->nrelated - 1];
			cur->percent = pct;
			cur->score = pct / 100.0;
			got = 0;
			continue;
		}
		if (!cur || starts(&ls[i], ARROW) || starts(&ls[i], "EVIDENCE:"))
			continue;
		if (got == 0)
			cur->title = lstr(p, &ls[i], 0);
		else if (got == 1)
			cur->text = lstr(p, &ls[i], 0);
		got++;
	}
	for (size_t i = 0; i < r->nrelated; i++)
		if (!r->related[i].title)
			return otz__fail(p->err, OTZ_ERECORD, "%s:%d: [11] SYSTEM MATCH without a specimen title",
			                 p->name, n ? ls[n - 1].no : 0);
	return 0;
}

/* ---- writing: one function a section ------------------------------ */

static void w_line(otz_wr *w, const char *s)
{
	otz__put(w, s);
	otz__put(w, "\n");
}

static void w_list(otz_wr *w, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		otz__put(w, i ? " " MIDDOT " " : "");
		otz__put(w, v[i]);
	}
	otz__put(w, "\n");
}

static void write_org(otz_wr *w, const otz_record *r)
{
	if (r->org_note)
		otz__putf(w, "* %s\n", r->org_note);
	if (r->naliases) {
		w_line(w, "KNOWN ALIASES / DISGUISES:");
		w_list(w, r->aliases, r->naliases);
	}
	if (r->family)
		otz__putf(w, "FAMILY: %s\n", r->family);
	if (r->role_name)
		otz__putf(w, "ROLE: %s\n", r->role_name);
	for (int k = 0; k < OTZ_LEX__COUNT; k++) {
		if (!r->nlex[k])
			continue;
		otz__put(w, lex_keys[k]);
		w_list(w, r->lex[k], r->nlex[k]);
	}
}

static void write_habitat(otz_wr *w, const otz_record *r)
{
	for (size_t i = 0; i < r->nhabitat; i++)
		otz__putf(w, "- %s\n", r->habitat[i].text);
	for (size_t i = 0; i < r->nhabitat_lines; i++)
		otz__putf(w, "- %s\n", r->habitat_lines[i]);
}

static void write_salary(otz_wr *w, const otz_record *r)
{
	char m[48];
	const char *why = otz__salary_reason(r);
	w_line(w, r->salary_fig.label ? r->salary_fig.label : "MARKET AVERAGE");
	otz__money(m, sizeof(m), otz__salary_value(r));
	w_line(w, m);
	if (why)
		otz__putf(w, "* %s\n", why);
	if (r->salary_quote)
		otz__putf(w, "\"%s\"\n", r->salary_quote);
}

static void write_risk(otz_wr *w, const otz_record *r)
{
	otz__put_color(w, OTZ_C_BOLD, "FLIGHT RISK:");
	if (w->record)
		otz__putf(w, "%d%%%s\n", r->flight_risk, r->risk_label ? r->risk_label : "");
	else if (r->risk_label && *r->risk_label)
		otz__putf(w, " %d%% (%s)\n", r->flight_risk, r->risk_label);
	else
		otz__putf(w, " %d%%\n", r->flight_risk);
	if (r->diagnosis)
		otz__putf(w, w->record ? "[DIAGNOSIS]%s\n" : "DIAGNOSIS: %s\n", r->diagnosis);
	if (r->risk_fig.reason)
		otz__putf(w, "* %s\n", r->risk_fig.reason);
	for (size_t i = 0; i < r->nred_flags; i++) {
		otz__putf(w, "RED FLAG: \"%s\"", r->red_flags[i].name);
		if (r->red_flags[i].text) /* none when [08] says it */
			otz__putf(w, " " EMDASH " %s", r->red_flags[i].text);
		otz__put(w, "\n");
	}
}

static void write_entries(otz_wr *w, const otz_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		otz__put_color(w, OTZ_C_BOLD, v[i].name);
		otz__put(w, "\n");
		w_line(w, v[i].text);
	}
}

static void write_metrics(otz_wr *w, const otz_record *r)
{
	write_entries(w, r->metrics, r->nmetrics);
}

static void write_weapons(otz_wr *w, const otz_record *r)
{
	write_entries(w, r->weapons, r->nweapons);
}

static void write_encounter(otz_wr *w, const otz_record *r)
{
	otz__putf(w, w->record ? "[IF ENGAGED:]%s\n" : "IF ENGAGED: %s\n", r->encounter);
}

static void write_autopsy(otz_wr *w, const otz_record *r)
{
	for (size_t i = 0; i < r->nautopsy; i++) {
		const otz_autopsy *a = &r->autopsy[i];
		otz__put_color(w, OTZ_C_ILL, "LINKEDIN ILLUSION");
		otz__put(w, "\n");
		char *origin = w->show_rules ? otz__origin(a) : NULL;
		otz__put_color(w, OTZ_C_DIM, "[");
		otz__put_color(w, OTZ_C_DIM, origin ? origin : a->source ? a->source : "SOURCE REDACTED");
		otz__put_color(w, OTZ_C_DIM, "]");
		otz__put(w, "\n");
		free(origin);
		otz__putf(w, "\"%s\"\n", a->illusion);
		for (size_t k = 0; k < a->nmore; k++)
			otz__putf(w, "\"%s\"\n", a->more[k]);
		otz__put_color(w, OTZ_C_TR, "OTIOSE TRANSLATION");
		otz__put(w, "\n");
		w_line(w, a->translation);
		if (a->also) {
			otz__put_color(w, OTZ_C_DIM, ALSO_LABEL);
			otz__putf(w, " %s.\n", a->also);
		}
	}
}

static void write_log(otz_wr *w, const otz_record *r)
{
	for (size_t i = 0; i < r->nlog; i++)
		otz__putf(w, "[%s]\n%s\n%s\n", r->log[i].slot, r->log[i].title, r->log[i].text);
}

static void write_complaints(otz_wr *w, const otz_record *r)
{
	w_line(w, "* " OTZ_BURN_WARD_NOTE);
	for (size_t i = 0; i < r->ncomplaints; i++) {
		otz__putf(w, "\"%s\"\n", r->complaints[i].text);
		if (r->complaints[i].source)
			otz__putf(w, EMDASH " %s\n", r->complaints[i].source);
	}
}

static void write_related(otz_wr *w, const otz_record *r)
{
	for (size_t i = 0; i < r->nrelated; i++) {
		const otz_related *x = &r->related[i];
		/* The scraped page's link and arrows are the record form's; the
		 * spaced form sets the entries apart with a blank line. */
		if (i == 0 && w->record)
			otz__put(w, "[VIEW FULL TAXONOMY] \xe2\x86\x97");
		else if (i > 0 && !w->record)
			otz__put(w, "\n");
		otz__put_color(w, OTZ_C_BOLD, "SYSTEM MATCH: ");
		otz__putf(w, "%d%%\n", x->percent);
		w_line(w, x->title);
		if (x->text && *x->text)
			w_line(w, x->text);
		/* Rule ids only for those who asked for them. */
		size_t nrules = w->show_rules ? x->nrules : 0;
		if (nrules || x->nterms || x->alias) {
			otz__put(w, "EVIDENCE:");
			if (x->alias)
				otz__putf(w, " title ~ '%s' (%.0f%%);", x->alias, x->title_score * 100);
			for (size_t k = 0; k < nrules; k++)
				otz__putf(w, "%s%s", k ? ", " : " rules ", x->rules[k]);
			if (nrules && x->nterms)
				otz__put(w, ";");
			for (size_t k = 0; k < x->nterms; k++)
				otz__putf(w, "%s%s", k ? ", " : " terms ", x->terms[k]);
			otz__put(w, "\n");
		}
		if (w->record)
			w_line(w, ARROW);
	}
}

/* ---- when a section is present ------------------------------------ */

static int has_org(const otz_record *r) { return r->org_note || r->naliases; }
static int has_habitat(const otz_record *r) { return r->nhabitat_lines || r->nhabitat; }
static int has_salary(const otz_record *r) { return otz__salary_value(r) > 0; }
static int has_risk(const otz_record *r) { return r->flight_risk >= 0; }
static int has_metrics(const otz_record *r) { return r->nmetrics > 0; }
static int has_weapons(const otz_record *r) { return r->nweapons > 0; }
static int has_encounter(const otz_record *r) { return r->encounter != NULL; }
static int has_autopsy(const otz_record *r) { return r->nautopsy > 0; }
static int has_log(const otz_record *r) { return r->nlog > 0; }
static int has_complaints(const otz_record *r) { return r->ncomplaints > 0; }
static int has_related(const otz_record *r) { return r->nrelated > 0; }

/* ---- what a translation borrows from its closest specimen ---------- */

static int copy_strv(otz_record *d, char ***out, size_t *n, char *const *v, size_t nv)
{
	if (!nv)
		return 0;
	*out = calloc(nv, sizeof(char *));
	if (!*out)
		return OTZ_ENOMEM;
	for (size_t i = 0; i < nv; i++)
		if (!((*out)[i] = otz__rstr(d, v[i])))
			return OTZ_ENOMEM;
	*n = nv;
	return 0;
}

/* NULL stays NULL; anything else must be copied. */
static int copy_str(otz_record *d, char **out, const char *s)
{
	*out = otz__rstr(d, s);
	return s && !*out ? OTZ_ENOMEM : 0;
}

static int borrow_org(otz_record *d, const otz_record *s)
{
	return copy_str(d, &d->org_note, s->org_note) ||
	       copy_strv(d, &d->aliases, &d->naliases, s->aliases, s->naliases) ? OTZ_ENOMEM : 0;
}

static int borrow_habitat(otz_record *d, const otz_record *s)
{
	return copy_strv(d, &d->habitat_lines, &d->nhabitat_lines, s->habitat_lines,
	                 s->nhabitat_lines);
}

static int borrow_salary_quote(otz_record *d, const otz_record *s)
{
	return copy_str(d, &d->salary_quote, s->salary_quote);
}

static int borrow_diagnosis(otz_record *d, const otz_record *s)
{
	return copy_str(d, &d->diagnosis, s->diagnosis);
}

static int borrow_encounter(otz_record *d, const otz_record *s)
{
	return copy_str(d, &d->encounter, s->encounter);
}

static int borrow_log(otz_record *d, const otz_record *s)
{
	if (!s->nlog)
		return 0;
	if (!(d->log = calloc(s->nlog, sizeof(*d->log))))
		return OTZ_ENOMEM;
	d->nlog = s->nlog;
	for (size_t i = 0; i < s->nlog; i++)
		if (copy_str(d, &d->log[i].slot, s->log[i].slot) ||
		    copy_str(d, &d->log[i].title, s->log[i].title) ||
		    copy_str(d, &d->log[i].text, s->log[i].text))
			return OTZ_ENOMEM;
	return 0;
}

static int borrow_complaints(otz_record *d, const otz_record *s)
{
	if (!s->ncomplaints)
		return 0;
	if (!(d->complaints = calloc(s->ncomplaints, sizeof(*d->complaints))))
		return OTZ_ENOMEM;
	d->ncomplaints = s->ncomplaints;
	for (size_t i = 0; i < s->ncomplaints; i++)
		if (copy_str(d, &d->complaints[i].text, s->complaints[i].text) ||
		    copy_str(d, &d->complaints[i].source, s->complaints[i].source))
			return OTZ_ENOMEM;
	return 0;
}

/* ---- the table ---------------------------------------------------- */

typedef struct section {
	const char *heading;       /* as in the seed, after "[NN] " */
	const char *short_heading; /* for documents with headings of their own (Markdown) */
	int (*parse)(parser *p, const line *ls, size_t n);
	void (*write)(otz_wr *w, const otz_record *r);
	int (*present)(const otz_record *r);
	/* What a translation may take of it from its closest specimen: all of
	 * it (part NULL) or the part named. */
	int (*borrow)(otz_record *d, const otz_record *s);
	const char *part;
} section;

static const section sections[OTZ_NSECTIONS + 1] = {
	[1] = {"THE ORG-CHART ARCHITECTURE", "The org-chart architecture", parse_org, write_org,
	       has_org, borrow_org, NULL},
	[2] = {"THE HABITAT (NATURAL RANGE)", "The habitat", parse_habitat, write_habitat,
	       has_habitat, borrow_habitat, NULL},
	[3] = {"SALARY DELUSION", "Salary delusion", parse_salary, write_salary, has_salary,
	       borrow_salary_quote, "the quote"},
	[4] = {"THE FLIGHT RISK", "The flight risk", parse_risk, write_risk, has_risk,
	       borrow_diagnosis, "the diagnosis"},
	[5] = {"THE BULLSHIT METRICS", "The bullshit metrics", parse_metrics, write_metrics,
	       has_metrics, NULL, NULL},
	[6] = {"SIGNATURE WEAPONRY", "Signature weaponry", parse_weapons, write_weapons,
	       has_weapons, NULL, NULL},
	[7] = {"SURVIVAL / ENCOUNTER GUIDE", "Survival / encounter guide", parse_encounter,
	       write_encounter, has_encounter, borrow_encounter, NULL},
	[8] = {"THE JD AUTOPSY: WHAT DO THEY ACTUALLY DO?", "The JD autopsy", parse_autopsy,
	       write_autopsy, has_autopsy, NULL, NULL},
	[9] = {"DAY-IN-THE-LIFE LOG", "Day-in-the-life log", parse_log, write_log, has_log,
	       borrow_log, NULL},
	[10] = {"THE BURN WARD (UNFILTERED COMPLAINTS)", "The burn ward", parse_complaints,
	        write_complaints, has_complaints, borrow_complaints, NULL},
	[11] = {"RELATED SPECIMENS", "Related specimens", parse_related, write_related,
	        has_related, NULL, NULL},
};

const char *otz__section_heading(int no)
{
	return no >= 1 && no <= OTZ_NSECTIONS ? sections[no].heading : NULL;
}

const char *otz__section_short(int no)
{
	return no >= 1 && no <= OTZ_NSECTIONS ? sections[no].short_heading : NULL;
}

int otz__section_present(const otz_record *r, int no)
{
	return no >= 1 && no <= OTZ_NSECTIONS && sections[no].present(r);
}

long otz__salary_value(const otz_record *r)
{
	return r->salary_fig.present ? r->salary_fig.value : r->salary;
}

const char *otz__salary_reason(const otz_record *r)
{
	return r->salary_fig.reason ? r->salary_fig.reason : r->salary_basis;
}

/*
 * Copy every borrowable part of specimen s into d and say in d->borrowed
 * what was taken: the whole sections by number, then the parts by name
 * ("[01] [02] [07] [09] [10], the quote in [03] and the diagnosis in [04]").
 */
int otz__record_borrow(otz_record *d, const otz_record *s)
{
	otz_buf note = OTZ_BUF_INIT;
	int partno[OTZ_NSECTIONS + 1], rc = 0;
	size_t np = 0;
	for (int no = 1; no <= OTZ_NSECTIONS && !rc; no++) {
		if (!sections[no].borrow)
			continue;
		rc = sections[no].borrow(d, s);
		if (!rc && sections[no].part)
			partno[np++] = no;
		else if (!rc)
			rc = otz__buf_printf(&note, "%s[%02d]", note.len ? " " : "", no);
	}
	for (size_t k = 0; k < np && !rc; k++) {
		const char *sep = k == 0 ? (note.len ? ", " : "") : k + 1 == np ? " and " : ", ";
		rc = otz__buf_printf(&note, "%s%s in [%02d]", sep, sections[partno[k]].part, partno[k]);
	}
	if (!rc && !(d->borrowed = otz__rstr(d, note.ptr ? note.ptr : "")))
		rc = OTZ_ENOMEM;
	otz_buf_dispose(&note);
	return rc;
}

/* ---- the whole record --------------------------------------------- */

int otz_record_parse(otz_record **out, const char *text, size_t len,
                     const char *name, otz_error *err)
{
	int rc = 0;
	line *ls = NULL;
	size_t nl = 0, cap = 0;
	parser p;
	memset(&p, 0, sizeof(p));
	p.name = name;
	p.err = err;
	/* A record is kept and rendered as it is read: it must be UTF-8 throughout. */
	size_t bad = otz_utf8_invalid_at(text, len);
	if (bad < len) {
		size_t line_no = 1;
		for (size_t i = 0; i < bad; i++)
			line_no += text[i] == '\n';
		return otz__fail(err, OTZ_EUTF8, "%s:%zu: invalid UTF-8 at byte %zu (0x%02x)", name,
		                 line_no, bad, (unsigned char)text[bad]);
	}
	p.r = otz__record_alloc();
	if (!p.r)
		return otz__fail(err, OTZ_ENOMEM, "out of memory");
	if (memchr(text, '\0', len)) {
		rc = otz__fail(err, OTZ_EBINARY, "%s: NUL byte in a file record", name);
		goto done;
	}
	/* Lines, trimmed, blanks dropped; a UTF-8 BOM is skipped. */
	size_t pos = (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
	int no = 0;
	while (pos < len) {
		const char *e = memchr(text + pos, '\n', len - pos);
		size_t end = e ? (size_t)(e - text) : len;
		const char *s = text + pos;
		size_t n = end - pos;
		pos = end + 1;
		no++;
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (!n)
			continue;
		/* Records are plain text: a control character (an escape, a bell, a
		 * carriage return inside a line) or a bidirectional override would
		 * reach every terminal that shows the record, and every record
		 * that borrows from it. */
		size_t at;
		int c = otz__has_control(s, n, &at);
		if (c) {
			rc = otz__fail(err, OTZ_ERECORD,
			               "%s:%d: control character U+%04X at byte %zu; a record is plain text",
			               name, no, (unsigned)c, (size_t)(s - text) + at);
			goto done;
		}
		if (OTZ_GROW(ls, cap, nl + 1)) {
			rc = otz__fail(err, OTZ_ENOMEM, "out of memory");
			goto done;
		}
		ls[nl++] = (line){s, n, no};
	}
	if (!nl || !starts(&ls[0], "FILE RECORD:")) {
		rc = otz__fail(err, OTZ_ERECORD, "%s:%d: not a file record (expected 'FILE RECORD:')",
		               name, nl ? ls[0].no : 1);
		goto done;
	}
	{
		const char *s = ls[0].s + 12;
		size_t n = ls[0].n - 12;
		while (n && *s == ' ') {
			s++;
			n--;
		}
		p.r->slug = otz__rstrn(p.r, s, n);
	}
	size_t i = 1;
	if (i < nl && starts(&ls[i], "WHAT DOES"))
		p.r->question = lstr(&p, &ls[i++], 0);
	if (i >= nl || section_no(&ls[i])) {
		rc = otz__fail(err, OTZ_ERECORD, "%s:%d: the record has no title line", name,
		               i < nl ? ls[i].no : ls[nl - 1].no);
		goto done;
	}
	p.r->title = lstr(&p, &ls[i], 0);
	i++;
	/* Sections: each runs to the next "[NN] " heading. */
	while (i < nl) {
		int sec = section_no(&ls[i]);
		if (!sec) {
			i++;
			continue;
		}
		if (sec > 0 && sec < 32)
			p.r->sections |= 1u << sec;
		size_t s = ++i;
		while (i < nl && !section_no(&ls[i]))
			i++;
		if (sec > OTZ_NSECTIONS)
			continue;
		if ((rc = sections[sec].parse(&p, ls + s, i - s))) {
			if (rc == OTZ_ENOMEM)
				otz__fail(err, rc, "%s: out of memory", name);
			goto done;
		}
	}
	*out = p.r;
	p.r = NULL;
done:
	free(ls);
	otz_record_free(p.r);
	return rc;
}

static void render_sections(otz_wr *w, const otz_record *r, int last);

void otz__render_text(otz_wr *w, const otz_record *r)
{
	render_sections(w, r, OTZ_NSECTIONS);
}

int otz__record_background(const otz_record *r, otz_buf *out)
{
	/* In the record form, as the scores have always read it. */
	otz_wr w = {out, 0, 0, 0, 0, 1};
	/* Everything but [11], which is derived from the scores themselves. */
	render_sections(&w, r, OTZ_NSECTIONS - 1);
	return w.rc;
}

static void render_sections(otz_wr *w, const otz_record *r, int last)
{
	char *ut = otz__upper(r->title);
	if (!ut) {
		w->rc = OTZ_ENOMEM;
		return;
	}
	otz__put_color(w, OTZ_C_BOLD, "FILE RECORD: ");
	otz__put_color(w, OTZ_C_BOLD, r->slug);
	otz__put(w, "\n");
	if (r->question)
		w_line(w, r->question);
	else
		otz__putf(w, "WHAT DOES %s %s ACTUALLY DO?\n", otz__article(r->title ? r->title : ""),
		          ut);
	free(ut);
	w_line(w, r->title);
	if (r->otiose_index.present) {
		otz__put_color(w, OTZ_C_BOLD, "OTIOSE INDEX: ");
		otz__putf(w, "%ld/100\n* %s\n", r->otiose_index.value, r->otiose_index.reason);
	}
	if (r->via)
		otz__putf(w, "CLOSEST SPECIMEN: %s (SYSTEM MATCH %d%%); borrowed from it: %s.\n", r->via,
		          r->via_percent, r->borrowed);
	if (r->nearest)
		otz__putf(w, "NO CLOSE SPECIMEN: the nearest is %s (SYSTEM MATCH %d%%), but %s; nothing is "
		             "borrowed from it and no market average is given.\n",
		          r->nearest, r->nearest_percent, r->nearest_why);
	for (int no = 1; no <= last; no++) {
		if (!sections[no].present(r))
			continue;
		char h[96];
		snprintf(h, sizeof(h), "[%02d] %s", no, sections[no].heading);
		otz__put_color(w, OTZ_C_HEAD, h);
		otz__put(w, "\n");
		sections[no].write(w, r);
	}
}

/* One line of evidence text. */
static int ev_line(otz_buf *b, const char *s)
{
	return s && *s ? otz__buf_printf(b, "%s\n", s) : 0;
}

int otz__record_evidence(const otz_record *r, otz_buf *out)
{
	int rc = ev_line(out, r->title);
	for (size_t i = 0; i < r->naliases && !rc; i++)
		rc = ev_line(out, r->aliases[i]);
	for (int k = 0; k < OTZ_LEX__COUNT; k++)
		for (size_t i = 0; i < r->nlex[k] && !rc; i++)
			rc = ev_line(out, r->lex[k][i]);
	for (size_t i = 0; i < r->nhabitat_lines && !rc; i++)
		rc = ev_line(out, r->habitat_lines[i]);
	for (size_t i = 0; i < r->nmetrics && !rc; i++)
		rc = ev_line(out, r->metrics[i].name);
	for (size_t i = 0; i < r->nweapons && !rc; i++)
		rc = ev_line(out, r->weapons[i].name);
	for (size_t i = 0; i < r->nautopsy && !rc; i++)
		rc = ev_line(out, r->autopsy[i].illusion);
	for (size_t i = 0; i < r->nlog && !rc; i++)
		rc = ev_line(out, r->log[i].title);
	return rc;
}

int otz__is_record(const char *in, size_t len)
{
	size_t lead = len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (lead < len && isspace((unsigned char)in[lead]))
		lead++;
	return len - lead >= 12 && memcmp(in + lead, "FILE RECORD:", 12) == 0;
}
