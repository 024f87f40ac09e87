/*
 * corpus.c - file records in, specimens out; specimens to and from SQLite.
 *
 * The importer reads a file record in the seed's format as it is found in
 * the wild, scraped from a web page: the aliases run together on one line
 * ("AI Workflow ManagerHuman-AI Interaction Lead..."), the flight risk
 * glued to its label ("FLIGHT RISK:85%HIGH RISK"), the [11] arrows and
 * percentages jammed onto neighbouring lines.  It returns an otz_record
 * owned by the caller.  Unknown lines are skipped; a file that does not
 * start as a record, or whose paired sections are cut short, is refused
 * with OTZ_ERECORD and file:line.
 *
 * The database half writes an engine (rules, specimens, vocabulary,
 * vectors) to a new SQLite file and renames it into place, and loads one
 * back, refusing files that are not otiose databases, are corrupt, or come
 * from a newer format.  SQLite errors are translated into OTZ_EDB with the
 * path and SQLite's own message.
 */
#include <ctype.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* ---- record memory ------------------------------------------------ */

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
	free(r->habitat_lines);
	free(r->habitat);
	free(r->metrics);
	free(r->weapons);
	free(r->autopsy);
	free(r->log);
	free(r->complaints);
	free(r->related);
	free(r->red_flags);
	free(r->limits);
	otz__arena_free(r->arena_);
	free(r);
}

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

/* ---- alias lines -------------------------------------------------- */

/* Camel-case words that are one word, not two titles run together. */
static const char *const camel_words[] = {
	"devops", "devsecops", "mlops", "dataops", "finops", "secops", "revops", "salesops",
	"bizops", "peopleops", "gitops", "aiops", "javascript", "typescript", "github", "gitlab",
	"linkedin", "phd", "saas", "paas", "iaas", "macos", "postgresql", "mysql", "nosql",
	"graphql", "mongodb", "hubspot", "netsuite", "servicenow", "sharepoint", "powerpoint",
	"youtube", "tiktok", "wordpress", "quickbooks", "mcdonald", "mckinsey", "pytorch",
	"tensorflow", "openai", "chatgpt", "devrel", "fintech", "edtech", "healthtech", "martech",
	"adtech", "proptech", "insurtech", "regtech", "sysadmin", "bizdev", "devex", "okrs",
	"kpis", NULL};

/* Pieces that glue onto the word before them ("Dev" + "Ops"). */
static const char *const camel_tails[] = {"Ops", "Tech", "Script", "SQL", "QL", "Hub", "Lab",
                                          "Torch", "Point", "Press", "Books", "Suite", "Now",
                                          NULL};

static int camel_word_at(const char *line, size_t ws, size_t we)
{
	char buf[32];
	size_t n = we - ws;
	if (n == 0 || n >= sizeof(buf))
		return 0;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)line[ws + i]);
	buf[n] = '\0';
	for (size_t i = 0; camel_words[i]; i++)
		if (strcmp(buf, camel_words[i]) == 0)
			return 1;
	return 0;
}

static int is_sep(char c)
{
	return c == ' ' || c == '-' || c == '/' || c == '(' || c == '\0';
}

/* May a run-together alias line be cut before line[i]? */
static int cut_here(const char *line, size_t i)
{
	char prev = line[i - 1], c = line[i];
	if (!isupper((unsigned char)c) || !(islower((unsigned char)prev) || prev == ')'))
		return 0;
	if (prev == ')')
		return 1;
	size_t ws = i;
	while (ws > 0 && !is_sep(line[ws - 1]))
		ws--;
	if (i - ws <= 2)
		return 0; /* "iOS", "eCommerce", "McKinsey" */
	size_t we = i;
	while (!is_sep(line[we]))
		we++;
	if (camel_word_at(line, ws, we))
		return 0;
	for (size_t t = 0; camel_tails[t]; t++) {
		size_t l = strlen(camel_tails[t]);
		if (strncmp(line + i, camel_tails[t], l) == 0 &&
		    (is_sep(line[i + l]) || !islower((unsigned char)line[i + l])))
			return 0;
	}
	return 1;
}

/* Blanks within a line, a stray carriage return among them. */
static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Is c one of the one-byte characters that separate aliases, or blank? */
static int junk_byte(char c)
{
	return is_blank(c) || c == ';' || c == '|' || c == ',';
}

/* How many bytes of separator or blank begin s[0..n) (a middle dot is 2)? */
static size_t head_junk(const char *s, size_t n)
{
	if (n >= 2 && (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xb7)
		return 2;
	return n && junk_byte(s[0]) ? 1 : 0;
}

/* How many end it? */
static size_t tail_junk(const char *s, size_t n)
{
	if (n >= 2 && (unsigned char)s[n - 2] == 0xc2 && (unsigned char)s[n - 1] == 0xb7)
		return 2;
	return n && junk_byte(s[n - 1]) ? 1 : 0;
}

/* Does s[0..n) begin "[NN]", as a section heading does? */
static int heading_prefix(const char *s, size_t n)
{
	return n >= 4 && s[0] == '[' && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]) && s[3] == ']';
}

/*
 * Append an alias with separators and blanks trimmed from both ends and
 * runs of blanks made one space; one without a letter or digit, or that
 * begins like a section heading, is dropped.
 */
static int push_alias(char ***v, size_t *n, size_t *cap, const char *s, size_t len)
{
	size_t k;
	while ((k = head_junk(s, len))) {
		s += k;
		len -= k;
	}
	while ((k = tail_junk(s, len)))
		len -= k;
	int alnum = 0;
	for (size_t i = 0; i < len; i++)
		alnum |= isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80;
	if (!alnum)
		return 0;
	char *a = malloc(len + 1);
	if (!a || OTZ_GROW(*v, *cap, *n + 1)) {
		free(a);
		return OTZ_ENOMEM;
	}
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		int blank = is_blank(s[i]);
		if (blank && o && a[o - 1] == ' ')
			continue;
		a[o++] = blank ? ' ' : s[i];
	}
	a[o] = '\0';
	/* No title starts like a section heading ("[09]", "[09] X"); written
	 * first on the alias line, before " · " or alone, it would read back
	 * as one.  Scraped debris: dropped. */
	if (heading_prefix(a, o) && (o == 4 || a[4] == ' ')) {
		free(a);
		return 0;
	}
	(*v)[(*n)++] = a;
	return 0;
}

/* One split of a line into aliases, by its first separator or by cuts. */
static int split_once(char ***out, size_t *n, const char *line)
{
	char **v = NULL;
	size_t nv = 0, cap = 0;
	const char *seps[] = {" \xc2\xb7 ", "; ", " | ", NULL};
	*out = NULL;
	*n = 0;
	for (size_t k = 0; seps[k]; k++) {
		if (!strstr(line, seps[k]))
			continue;
		size_t sl = strlen(seps[k]);
		const char *p = line, *q;
		while ((q = strstr(p, seps[k]))) {
			if (push_alias(&v, &nv, &cap, p, (size_t)(q - p)))
				goto oom;
			p = q + sl;
		}
		if (push_alias(&v, &nv, &cap, p, strlen(p)))
			goto oom;
		goto ok;
	}
	size_t start = 0, len = strlen(line);
	for (size_t i = 1; i < len; i++) {
		if (cut_here(line, i)) {
			if (push_alias(&v, &nv, &cap, line + start, i - start))
				goto oom;
			start = i;
		}
	}
	if (push_alias(&v, &nv, &cap, line + start, len - start))
		goto oom;
ok:
	*out = v;
	*n = nv;
	return 0;
oom:
	otz__free_strv(v, nv);
	return OTZ_ENOMEM;
}

/*
 * Split until every alias splits to itself, so that the canonical line
 * (aliases joined by " · ") reads back as the same aliases: an alias that
 * held another separator ("a; b" from a line split on " · ") or ran two
 * titles together is split again.  Each pass shortens what it splits, so
 * this ends.
 */
int otz_aliases_split(char ***out, size_t *n, const char *line)
{
	char **v = NULL, **w = NULL;
	size_t nv = 0, nw = 0;
	if (split_once(&v, &nv, line))
		return OTZ_ENOMEM;
	for (size_t i = 0; i < nv;) {
		if (split_once(&w, &nw, v[i]))
			goto oom;
		if (nw == 1 && strcmp(w[0], v[i]) == 0) {
			otz__free_strv(w, nw);
			i++;
			continue;
		}
		/* replace v[i] by w[0..nw) and look at them again */
		char **nv2 = realloc(v, (nv - 1 + nw + 1) * sizeof(*v));
		if (!nv2) {
			otz__free_strv(w, nw);
			goto oom;
		}
		v = nv2;
		free(v[i]);
		memmove(v + i + nw, v + i + 1, (nv - i - 1) * sizeof(*v));
		if (nw) /* nothing of it may be left: w is then NULL */
			memcpy(v + i, w, nw * sizeof(*v));
		nv = nv - 1 + nw;
		free(w);
	}
	*out = v;
	*n = nv;
	return 0;
oom:
	otz__free_strv(v, nv);
	return OTZ_ENOMEM;
}

/* ---- record parsing ----------------------------------------------- */

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
	if (heading_prefix(l->s, l->n) && l->n >= 5 && l->s[4] == ' ')
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

static int is_quoted(const line *l)
{
	return starts(l, "\"") || starts(l, "\xe2\x80\x9c");
}

#define ARROW "\xe2\x86\x92"
#define EMDASH "\xe2\x80\x94"

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

static int parse_section(parser *p, int sec, const line *ls, size_t n)
{
	otz_record *r = p->r;
	switch (sec) {
	case 1:
		for (size_t i = 0; i < n; i++) {
			if (starts(&ls[i], "* "))
				r->org_note = lstr(p, &ls[i], 2);
			else if (starts(&ls[i], "KNOWN ALIASES") && i + 1 < n) {
				char *al = lstr(p, &ls[++i], 0);
				char **v;
				size_t nv;
				if (!al || otz_aliases_split(&v, &nv, al))
					return OTZ_ENOMEM;
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
			}
		}
		break;
	case 2:
		for (size_t i = 0; i < n; i++) {
			if (!starts(&ls[i], "- "))
				continue;
			if (PUSH(p, habitat_lines, nhabitat_lines, cap_habitat_lines))
				return OTZ_ENOMEM;
			r->habitat_lines[r->nhabitat_lines - 1] = lstr(p, &ls[i], 2);
		}
		break;
	case 3:
		for (size_t i = 0; i < n; i++) {
			if (starts(&ls[i], "$")) {
				long v = 0;
				for (size_t k = 1; k < ls[i].n; k++)
					if (isdigit((unsigned char)ls[i].s[k]))
						v = v < 100000000000L ? v * 10 + (ls[i].s[k] - '0') : v; /* no overflow */
					else if (ls[i].s[k] != ',')
						break;
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
		break;
	case 4:
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
					                 "%s:%d: expected 'FLIGHT RISK:NN%%LABEL'", p->name,
					                 ls[i].no);
				k++;
				while (k < ls[i].n && ls[i].s[k] == ' ')
					k++;
				r->flight_risk = v;
				r->risk_label = lstr(p, &ls[i], k);
			} else if (starts(&ls[i], "[DIAGNOSIS]")) {
				if (ls[i].n > 11)
					r->diagnosis = lstr(p, &ls[i], 11);
				else if (i + 1 < n)
					r->diagnosis = lstr(p, &ls[++i], 0);
			}
		}
		break;
	case 5:
	case 6:
		return parse_pairs(p, ls, n, sec == 6);
	case 7:
		for (size_t i = 0; i < n; i++)
			if (starts(&ls[i], "[IF ENGAGED:]"))
				r->encounter = ls[i].n > 13 ? lstr(p, &ls[i], 13)
				                            : (i + 1 < n ? lstr(p, &ls[i + 1], 0) : NULL);
		break;
	case 8: {
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
			} else if (want == 1 && !a->illusion) {
				const char *s = ls[i].s;
				size_t m = ls[i].n;
				unquote(&s, &m);
				a->illusion = otz__rstrn(r, s, m);
			} else if (want == 2 && !a->translation) {
				a->translation = lstr(p, &ls[i], 0);
			}
		}
		for (size_t i = 0; i < r->nautopsy; i++)
			if (!r->autopsy[i].illusion || !r->autopsy[i].translation)
				return otz__fail(p->err, OTZ_ERECORD,
				                 "%s:%d: [08] has a LINKEDIN ILLUSION without its quote or "
				                 "OTIOSE TRANSLATION",
				                 p->name, n ? ls[n - 1].no : 0);
		break;
	}
	case 9:
		for (size_t i = 0; i < n; i++) {
			if (!(starts(&ls[i], "[") && ls[i].n > 2 && ls[i].s[ls[i].n - 1] == ']'))
				continue;
			if (i + 2 >= n)
				return otz__fail(p->err, OTZ_ERECORD,
				                 "%s:%d: [09] time slot needs a title and a description",
				                 p->name, ls[i].no);
			if (PUSH(p, log, nlog, cap_log))
				return OTZ_ENOMEM;
			otz_logentry *e = &r->log[r->nlog - 1];
			e->slot = otz__rstrn(r, ls[i].s + 1, ls[i].n - 2);
			e->title = lstr(p, &ls[i + 1], 0);
			e->text = lstr(p, &ls[i + 2], 0);
			i += 2;
		}
		break;
	case 10:
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
		break;
	case 11: {
		otz_related *cur = NULL;
		int got = 0;
		for (size_t i = 0; i < n; i++) {
			int pct = system_match(&ls[i]);
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
				return otz__fail(p->err, OTZ_ERECORD,
				                 "%s:%d: [11] SYSTEM MATCH without a specimen title", p->name,
				                 n ? ls[n - 1].no : 0);
		break;
	}
	default:
		break;
	}
	return 0;
}

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
		if ((rc = parse_section(&p, sec, ls + s, i - s))) {
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

/* ---- the database ------------------------------------------------- */

static const char schema[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE rules(ord INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, file TEXT NOT NULL,"
	" line INTEGER NOT NULL, category TEXT NOT NULL, weight INTEGER NOT NULL, name TEXT,"
	" translation TEXT NOT NULL, translation_line INTEGER NOT NULL);"
	"CREATE TABLE patterns(rule_ord INTEGER NOT NULL, idx INTEGER NOT NULL,"
	" pattern TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY(rule_ord, idx));"
	"CREATE TABLE examples(rule_ord INTEGER NOT NULL, idx INTEGER NOT NULL,"
	" counter INTEGER NOT NULL, text TEXT NOT NULL, line INTEGER NOT NULL,"
	" PRIMARY KEY(rule_ord, idx));"
	"CREATE TABLE specimens(id INTEGER PRIMARY KEY, file TEXT NOT NULL, slug TEXT NOT NULL,"
	" title TEXT NOT NULL, record TEXT NOT NULL, vector BLOB NOT NULL);"
	"CREATE TABLE aliases(specimen_id INTEGER NOT NULL, alias TEXT NOT NULL);"
	"CREATE TABLE vocab(idx INTEGER PRIMARY KEY, feature TEXT NOT NULL, idf REAL NOT NULL);";

static int db_fail(otz_error *err, sqlite3 *db, const char *path, const char *what)
{
	return otz__fail(err, OTZ_EDB, "%s: %s: %s", path, what,
	                 db ? sqlite3_errmsg(db) : "cannot open");
}

static int exec(sqlite3 *db, const char *sql, const char *path, otz_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = otz__fail(err, OTZ_EDB, "%s: %s", path, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int otz_engine_save(const otz_engine *e, const char *db_path, otz_error *err)
{
	int rc = 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *st[6] = {NULL};
	size_t pl = strlen(db_path) + 32;
	char *tmp = malloc(pl);
	if (!tmp)
		return otz__fail(err, OTZ_ENOMEM, "out of memory");
	snprintf(tmp, pl, "%s.tmp.%ld", db_path, (long)getpid());
	unlink(tmp);
	if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = db_fail(err, db, tmp, "cannot create");
		goto done;
	}
	if ((rc = exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;", tmp, err)) ||
	    (rc = exec(db, schema, tmp, err)))
		goto done;
	static const char *const sql[6] = {
		"INSERT INTO meta VALUES(?1, ?2)",
		"INSERT INTO rules VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		"INSERT INTO patterns VALUES(?1, ?2, ?3, ?4)",
		"INSERT INTO examples VALUES(?1, ?2, ?3, ?4, ?5)",
		"INSERT INTO specimens VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
		"INSERT INTO vocab VALUES(?1, ?2, ?3)"};
	for (int k = 0; k < 6; k++)
		if (sqlite3_prepare_v2(db, sql[k], -1, &st[k], NULL) != SQLITE_OK) {
			rc = db_fail(err, db, tmp, "prepare");
			goto done;
		}
	char num[32];
	snprintf(num, sizeof(num), "%d", OTZ_DB_FORMAT);
	bind_text(st[0], 1, "format");
	bind_text(st[0], 2, num);
	if (step_done(st[0]))
		goto sqlfail;
	bind_text(st[0], 1, "generator");
	bind_text(st[0], 2, "otiose " OTZ_VERSION);
	if (step_done(st[0]))
		goto sqlfail;
	const otz_ruleset *rs = e->rules;
	for (size_t i = 0; i < rs->nrules; i++) {
		const otz_rule *r = &rs->rules[i];
		sqlite3_bind_int64(st[1], 1, (sqlite3_int64)i);
		bind_text(st[1], 2, r->id);
		bind_text(st[1], 3, r->file);
		sqlite3_bind_int(st[1], 4, r->line);
		bind_text(st[1], 5, otz_category_name(r->category));
		sqlite3_bind_int(st[1], 6, r->weight);
		bind_text(st[1], 7, r->name);
		bind_text(st[1], 8, r->translation);
		sqlite3_bind_int(st[1], 9, r->translation_line);
		if (step_done(st[1]))
			goto sqlfail;
		for (size_t p = 0; p < r->npatterns; p++) {
			sqlite3_bind_int64(st[2], 1, (sqlite3_int64)i);
			sqlite3_bind_int64(st[2], 2, (sqlite3_int64)p);
			bind_text(st[2], 3, r->patterns[p].src);
			sqlite3_bind_int(st[2], 4, r->patterns[p].line);
			if (step_done(st[2]))
				goto sqlfail;
		}
		for (size_t x = 0; x < r->nexamples; x++) {
			sqlite3_bind_int64(st[3], 1, (sqlite3_int64)i);
			sqlite3_bind_int64(st[3], 2, (sqlite3_int64)x);
			sqlite3_bind_int(st[3], 3, r->examples[x].counter);
			bind_text(st[3], 4, r->examples[x].text);
			sqlite3_bind_int(st[3], 5, r->examples[x].line);
			if (step_done(st[3]))
				goto sqlfail;
		}
	}
	for (size_t s = 0; s < e->nspecimens; s++) {
		sqlite3_bind_int64(st[4], 1, (sqlite3_int64)s);
		bind_text(st[4], 2, e->spec_files[s]);
		bind_text(st[4], 3, e->specimens[s]->slug);
		bind_text(st[4], 4, e->specimens[s]->title);
		bind_text(st[4], 5, e->spec_texts[s]);
		sqlite3_bind_blob(st[4], 6, e->vecs[s], (int)(e->veclens[s] * sizeof(otz_vent)),
		                  SQLITE_TRANSIENT);
		if (step_done(st[4]))
			goto sqlfail;
	}
	for (size_t v = 0; v < otz__vocab_size(e->vocab); v++) {
		sqlite3_bind_int64(st[5], 1, (sqlite3_int64)v);
		bind_text(st[5], 2, otz__vocab_key(e->vocab, v));
		sqlite3_bind_double(st[5], 3, otz__vocab_idf(e->vocab, v));
		if (step_done(st[5]))
			goto sqlfail;
	}
	if ((rc = exec(db, "COMMIT;", tmp, err)))
		goto done;
	for (int k = 0; k < 6; k++) {
		sqlite3_finalize(st[k]);
		st[k] = NULL;
	}
	if (sqlite3_close(db) != SQLITE_OK) {
		rc = db_fail(err, db, tmp, "close");
		db = NULL;
		goto done;
	}
	db = NULL;
	if (rename(tmp, db_path) != 0) {
		rc = otz__fail(err, OTZ_EIO, "%s: cannot rename into place: %s", db_path, strerror(errno));
		goto done;
	}
	goto done;
sqlfail:
	rc = db_fail(err, db, tmp, "write");
done:
	for (int k = 0; k < 6; k++)
		sqlite3_finalize(st[k]);
	if (db)
		sqlite3_close(db);
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Load rules and specimens from an open database into `e`. */
static int load_db(otz_engine *e, sqlite3 *db, const char *path, otz_error *err)
{
	int rc = 0;
	sqlite3_stmt *st = NULL, *pst = NULL, *xst = NULL;
	otz_rule t;
	memset(&t, 0, sizeof(t));

#define PREP(s, sql)                                                        \
	if (sqlite3_prepare_v2(db, sql, -1, &(s), NULL) != SQLITE_OK) {     \
		rc = db_fail(err, db, path, "not an otiose corpus database"); \
		goto done;                                                  \
	}

	PREP(st, "SELECT value FROM meta WHERE key='format'");
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = otz__fail(err, OTZ_EDB, "%s: not an otiose corpus database (no format)", path);
		goto done;
	}
	int fmt = sqlite3_column_int(st, 0);
	if (fmt > OTZ_DB_FORMAT) {
		rc = otz__fail(err, OTZ_EDB,
		               "%s: database format %d is newer than this otiose reads (%d); "
		               "rebuild it with 'otiose corpus build'",
		               path, fmt, OTZ_DB_FORMAT);
		goto done;
	}
	if (fmt < 1) {
		rc = otz__fail(err, OTZ_EDB, "%s: bad database format '%s'", path,
		               (const char *)sqlite3_column_text(st, 0));
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;

	PREP(st, "SELECT ord, id, file, line, category, weight, name, translation, translation_line "
	         "FROM rules ORDER BY ord");
	PREP(pst, "SELECT pattern, line FROM patterns WHERE rule_ord=?1 ORDER BY idx");
	PREP(xst, "SELECT counter, text, line FROM examples WHERE rule_ord=?1 ORDER BY idx");
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&t, 0, sizeof(t));
		t.id = (char *)sqlite3_column_text(st, 1);
		t.file = (char *)sqlite3_column_text(st, 2);
		t.line = sqlite3_column_int(st, 3);
		const char *cat = (const char *)sqlite3_column_text(st, 4);
		t.weight = sqlite3_column_int(st, 5);
		t.name = (char *)sqlite3_column_text(st, 6);
		t.translation = (char *)sqlite3_column_text(st, 7);
		t.translation_line = sqlite3_column_int(st, 8);
		int c = 0;
		while (c < OTZ_CAT__COUNT && (!cat || strcmp(cat, otz_category_name((otz_category)c))))
			c++;
		if (!t.id || !t.file || !t.translation || c == OTZ_CAT__COUNT) {
			rc = otz__fail(err, OTZ_EDB, "%s: corrupt rule row", path);
			goto done;
		}
		t.category = (otz_category)c;
		sqlite3_int64 ord = sqlite3_column_int64(st, 0);
		size_t capp = 0, capx = 0;
		sqlite3_bind_int64(pst, 1, ord);
		while (sqlite3_step(pst) == SQLITE_ROW) {
			const char *src = (const char *)sqlite3_column_text(pst, 0);
			if (!src || OTZ_GROW(t.patterns, capp, t.npatterns + 1))
				break;
			t.patterns[t.npatterns].src = (char *)src;
			t.patterns[t.npatterns].line = sqlite3_column_int(pst, 1);
			t.npatterns++;
			/* The text stays valid until the next step; copy now. */
			if (!(t.patterns[t.npatterns - 1].src = strdup(src))) {
				rc = OTZ_ENOMEM;
				break;
			}
		}
		sqlite3_reset(pst);
		sqlite3_bind_int64(xst, 1, ord);
		while (!rc && sqlite3_step(xst) == SQLITE_ROW) {
			const char *tx = (const char *)sqlite3_column_text(xst, 1);
			if (!tx || OTZ_GROW(t.examples, capx, t.nexamples + 1))
				break;
			t.examples[t.nexamples].counter = sqlite3_column_int(xst, 0);
			t.examples[t.nexamples].line = sqlite3_column_int(xst, 2);
			if (!(t.examples[t.nexamples].text = strdup(tx))) {
				rc = OTZ_ENOMEM;
				break;
			}
			t.nexamples++;
		}
		sqlite3_reset(xst);
		if (!rc && t.npatterns == 0)
			rc = otz__fail(err, OTZ_EDB, "%s: corrupt database: rule '%s' has no pattern",
			               path, t.id);
		if (!rc)
			rc = otz__ruleset_add_rule(e->rules, &t);
		for (size_t k = 0; k < t.npatterns; k++)
			free(t.patterns[k].src);
		for (size_t k = 0; k < t.nexamples; k++)
			free(t.examples[k].text);
		free(t.patterns);
		free(t.examples);
		memset(&t, 0, sizeof(t));
		if (rc)
			goto done;
	}
	if (step != SQLITE_DONE) {
		rc = db_fail(err, db, path, "read rules");
		goto done;
	}
	if ((rc = otz_ruleset_compile(e->rules, 0, err)) || (rc = otz__engine_rules_ready(e, err)))
		goto done;
	sqlite3_finalize(st);
	st = NULL;

	PREP(st, "SELECT count(*) FROM vocab");
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_fail(err, db, path, "read vocabulary");
		goto done;
	}
	size_t nvocab = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = otz__vocab_new(&e->vocab, nvocab)))
		goto done;
	PREP(st, "SELECT idx, feature, idf FROM vocab ORDER BY idx");
	size_t expect = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 1);
		if (!key || (size_t)sqlite3_column_int64(st, 0) != expect++ ||
		    otz__vocab_get(e->vocab, key) >= 0) {
			rc = otz__fail(err, OTZ_EDB, "%s: corrupt vocabulary", path);
			goto done;
		}
		if (otz__vocab_add(e->vocab, key, sqlite3_column_double(st, 2)) < 0) {
			rc = otz__fail(err, OTZ_ENOMEM, "out of memory");
			goto done;
		}
	}
	if (step != SQLITE_DONE) {
		rc = db_fail(err, db, path, "read vocabulary");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;

	PREP(st, "SELECT count(*) FROM specimens");
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_fail(err, db, path, "read specimens");
		goto done;
	}
	size_t ns = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	e->specimens = calloc(ns ? ns : 1, sizeof(*e->specimens));
	e->spec_files = calloc(ns ? ns : 1, sizeof(char *));
	e->spec_texts = calloc(ns ? ns : 1, sizeof(char *));
	e->vecs = calloc(ns ? ns : 1, sizeof(*e->vecs));
	e->veclens = calloc(ns ? ns : 1, sizeof(size_t));
	if (!e->specimens || !e->spec_files || !e->spec_texts || !e->vecs || !e->veclens) {
		rc = otz__fail(err, OTZ_ENOMEM, "out of memory");
		goto done;
	}
	PREP(st, "SELECT file, record, vector FROM specimens ORDER BY id");
	while ((step = sqlite3_step(st)) == SQLITE_ROW && e->nspecimens < ns) {
		size_t k = e->nspecimens;
		const char *file = (const char *)sqlite3_column_text(st, 0);
		const char *text = (const char *)sqlite3_column_text(st, 1);
		int tl = sqlite3_column_bytes(st, 1);
		const void *blob = sqlite3_column_blob(st, 2);
		size_t bl = (size_t)sqlite3_column_bytes(st, 2);
		if (!file || !text || bl % sizeof(otz_vent)) {
			rc = otz__fail(err, OTZ_EDB, "%s: corrupt specimen row %zu", path, k);
			goto done;
		}
		e->spec_files[k] = strdup(file);
		e->spec_texts[k] = strdup(text);
		e->vecs[k] = malloc(bl ? bl : 1);
		if (!e->spec_files[k] || !e->spec_texts[k] || !e->vecs[k]) {
			rc = otz__fail(err, OTZ_ENOMEM, "out of memory");
			goto done;
		}
		if (bl)
			memcpy(e->vecs[k], blob, bl);
		e->veclens[k] = bl / sizeof(otz_vent);
		e->nspecimens++;
		for (size_t x = 0; x < e->veclens[k]; x++)
			if (e->vecs[k][x].idx >= otz__vocab_size(e->vocab)) {
				rc = otz__fail(err, OTZ_EDB, "%s: corrupt vector of specimen %s", path, file);
				goto done;
			}
		if ((rc = otz_record_parse(&e->specimens[k], text, (size_t)tl, file, err)))
			goto done;
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		rc = db_fail(err, db, path, "read specimens");
		goto done;
	}
	if (otz__title_index_build(e)) {
		rc = otz__fail(err, OTZ_ENOMEM, "out of memory");
		goto done;
	}
#undef PREP
done:
	sqlite3_finalize(st);
	sqlite3_finalize(pst);
	sqlite3_finalize(xst);
	return rc;
}

int otz_engine_load(otz_engine **out, const char *db_path, otz_error *err)
{
	int rc = 0;
	sqlite3 *db = NULL;
	otz_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return otz__fail(err, OTZ_ENOMEM, "out of memory");
	struct stat sb;
	if (stat(db_path, &sb) != 0) {
		rc = otz__fail(err, OTZ_EDB, "%s: %s (build it with 'otiose corpus build')", db_path,
		               strerror(errno));
		goto done;
	}
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = db_fail(err, db, db_path, "cannot open");
		goto done;
	}
	if ((rc = otz__engine_init_common(e, err)))
		goto done;
	rc = load_db(e, db, db_path, err);
	if (rc == OTZ_EDB || rc == OTZ_ERECORD || rc == OTZ_ERULE) {
		/* Whatever went wrong inside, the file is what is broken. */
		if (err && rc != OTZ_EDB) {
			char msg[sizeof(err->msg)];
			snprintf(msg, sizeof(msg), "%s: corrupt corpus database: %.700s", db_path, err->msg);
			memcpy(err->msg, msg, sizeof(msg));
		}
		rc = OTZ_EDB;
		if (err)
			err->code = rc;
	}
done:
	if (db)
		sqlite3_close(db);
	if (rc) {
		otz_engine_free(e);
		return rc;
	}
	*out = e;
	return 0;
}
