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
 * malloc'ed array of malloc'ed strings owned by the caller; the only error is
 * OTZ_ENOMEM.
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
	if (otz__heading_prefix(a, o) && (o == 4 || a[4] == ' ')) {
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
