/*
 * aliases.c - a KNOWN ALIASES line in, the list of aliases out.
 *
 * Scraped records run their aliases together on one line ("AI Workflow
 * ManagerHuman-AI Interaction Lead..."); canonical ones separate them with
 * " \xc2\xb7 " (or "; ", " | ").  otz_aliases_split() cuts either kind,
 * at a separator or where a lower-case letter meets the capital of the next
 * title, except inside camel-case words that are one word ("DevOps",
 * "PostgreSQL").  Each alias is trimmed of separators and blanks; debris
 * that would read back as a section heading is dropped.  The result is a
 * malloc'ed array of malloc'ed strings owned by the caller; the errors are
 * OTZ_ENOMEM, and OTZ_ELIMIT for a line of more than OTZ_MAX_ALIASES
 * aliases (no role has that many names: the line is debris, or an attack).
 * The time taken is linear in the line's length.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

/* May a run-together alias line be cut before line[i], inside the word
 * line[ws..we)?  (The caller finds each word's ends once, so that a line
 * costs time in its length, however many capitals a word holds.) */
static int cut_here(const char *line, size_t i, size_t ws, size_t we)
{
	char prev = line[i - 1], c = line[i];
	if (!isupper((unsigned char)c) || !(islower((unsigned char)prev) || prev == ')'))
		return 0;
	if (prev == ')')
		return 1;
	if (i - ws <= 2)
		return 0; /* "iOS", "eCommerce", "McKinsey" */
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

/* Where the next cut of line[0..len) is, at or after i (len if none);
 * sc carries the current word's ends from call to call, so that a whole
 * line is scanned once. */
typedef struct cut_scan {
	size_t ws, we;
} cut_scan;

static size_t next_cut(const char *line, size_t len, size_t i, cut_scan *sc)
{
	for (; i < len; i++) {
		/* the word line[i] is in: [ws, we), found once per word */
		if (is_sep(line[i - 1]) || i >= sc->we) {
			if (is_sep(line[i - 1]))
				sc->ws = i;
			for (sc->we = i; !is_sep(line[sc->we]);)
				sc->we++;
		}
		if (cut_here(line, i, sc->ws, sc->we))
			return i;
	}
	return len;
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
	/* No title starts like a section heading ("[09]", "[09] X") or like
	 * the key of another [01] line ("ARTEFACTS: x"); written first on the
	 * alias line, before " · " or alone, it would read back as one.
	 * Scraped debris: dropped. */
	if ((otz__heading_prefix(a, o) && (o == 4 || a[4] == ' ')) || otz__org_key_prefix(a, o)) {
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
			if (nv > OTZ_MAX_ALIASES) {
				otz__free_strv(v, nv);
				return OTZ_ELIMIT;
			}
			if (push_alias(&v, &nv, &cap, p, (size_t)(q - p)))
				goto oom;
			p = q + sl;
		}
		if (push_alias(&v, &nv, &cap, p, strlen(p)))
			goto oom;
		goto ok;
	}
	size_t start = 0, len = strlen(line), at = 1;
	cut_scan sc = {0, 0};
	while ((at = next_cut(line, len, at, &sc)) < len) {
		if (nv > OTZ_MAX_ALIASES) {
			otz__free_strv(v, nv);
			return OTZ_ELIMIT;
		}
		if (push_alias(&v, &nv, &cap, line + start, at - start))
			goto oom;
		start = at++;
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

/* Does an alias (trimmed by push_alias) hold no separator and no cut? */
static int is_settled(const char *a)
{
	size_t len = strlen(a);
	cut_scan sc = {0, 0};
	return !strstr(a, " \xc2\xb7 ") && !strstr(a, "; ") && !strstr(a, " | ") &&
	       (len < 2 || next_cut(a, len, 1, &sc) == len);
}

/* Append to *v the aliases piece splits into, each split again until it
 * splits to itself.  Each split shortens what it splits and strips one
 * kind of separator, so the depth stays small; past MAX_DEPTH a piece is
 * kept as it is. */
#define MAX_DEPTH 16
static int settle(char ***v, size_t *n, size_t *cap, char *piece, int depth)
{
	char **w = NULL;
	size_t nw = 0;
	/* An alias split out already, with no separator and no cut left in it,
	 * is settled: no need to split it again to see. */
	if (depth > 0 && is_settled(piece))
		depth = MAX_DEPTH;
	int rc = depth < MAX_DEPTH ? split_once(&w, &nw, piece) : 0;
	if (rc) {
		free(piece);
		return rc;
	}
	if (depth >= MAX_DEPTH || (nw == 1 && strcmp(w[0], piece) == 0)) {
		otz__free_strv(w, nw);
		if (*n >= OTZ_MAX_ALIASES) {
			free(piece);
			return OTZ_ELIMIT;
		}
		if (OTZ_GROW(*v, *cap, *n + 1)) {
			free(piece);
			return OTZ_ENOMEM;
		}
		(*v)[(*n)++] = piece;
		return 0;
	}
	free(piece);
	for (size_t i = 0; i < nw; i++) {
		if (rc)
			free(w[i]); /* the rest, after a failure */
		else
			rc = settle(v, n, cap, w[i], depth + 1);
	}
	free(w);
	return rc;
}

/*
 * Split until every alias splits to itself, so that the canonical line
 * (aliases joined by " \xc2\xb7 ") reads back as the same aliases: an alias
 * that held another separator ("a; b" from a line split on " \xc2\xb7 ") or
 * ran two titles together is split again.  Linear in the line's length.
 */
int otz_aliases_split(char ***out, size_t *n, const char *line)
{
	char **v = NULL;
	size_t nv = 0, cap = 0;
	char *whole = strdup(line);
	int rc = whole ? settle(&v, &nv, &cap, whole, 0) : OTZ_ENOMEM;
	if (rc) {
		otz__free_strv(v, nv);
		return rc;
	}
	*out = v;
	*n = nv;
	return 0;
}
