/*
 * rules.c - rule files in, a compiled, read-only ruleset out.
 *
 * Parses the `key: value` format documented in rules/README.md, collecting
 * every problem as a "file:line: message" diagnostic rather than stopping at
 * the first: unknown keys, missing or repeated keys, bad weights and
 * categories, duplicate ids.  otz_ruleset_compile() then compiles each
 * pattern once with PCRE2 (UTF, caseless, JIT), reports a bad regex with its
 * offset, checks that translations only quote groups the patterns have, and
 * runs every example (must match) and counter (must not match) through the
 * same normalizer the input goes through.  A metric shape rule (`shape:`)
 * has no pattern: it gives the reasons of the metric heuristic's finds of
 * one kind, and its examples and counters are run through that heuristic
 * (metrics.c) instead; one rule a shape, found by kind in shape_rule[].  A
 * ruleset read back from the database was checked when the database was
 * built: it is not compiled at load (otz__ruleset_defer), each pattern is
 * compiled the first time a segment needs it (otz__pattern_code).
 *
 * The ruleset owns all its strings and compiled code.  After a successful
 * compile (or defer) nothing writes to it but that first compile of each
 * pattern, published atomically, so threads can share it; each thread
 * matches with its own pcre2_match_data (see otz_session).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int otz_ruleset_new(otz_ruleset **out)
{
	otz_ruleset *rs = calloc(1, sizeof(*rs));
	if (!rs)
		return OTZ_ENOMEM;
	rs->mctx = pcre2_match_context_create(NULL);
	rs->cctx = pcre2_compile_context_create(NULL);
	if (!rs->mctx || !rs->cctx) {
		otz_ruleset_free(rs);
		return OTZ_ENOMEM;
	}
	pcre2_set_match_limit(rs->mctx, OTZ_MATCH_LIMIT);
	pcre2_set_depth_limit(rs->mctx, OTZ_DEPTH_LIMIT);
	pcre2_set_heap_limit(rs->mctx, OTZ_HEAP_LIMIT_KB);
	pcre2_set_compile_extra_options(rs->cctx, 0);
	pcre2_set_max_pattern_length(rs->cctx, 4096);
	for (int k = 0; k < OTZ_MK__COUNT; k++)
		rs->shape_rule[k] = -1;
	*out = rs;
	return 0;
}

/* Free what rule r owns; a rule of a pooled ruleset owns only its compiled
 * patterns. */
static void rule_dispose(otz_rule *r, int pooled)
{
	if (pooled) {
		for (size_t i = 0; i < r->npatterns; i++)
			pcre2_code_free(atomic_load_explicit(&r->patterns[i].code, memory_order_relaxed));
		return;
	}
	free(r->id);
	for (size_t i = 0; i < r->nvariants; i++)
		free(r->variants[i].text);
	free(r->variants);
	free(r->name);
	free(r->file);
	for (size_t i = 0; i < r->npatterns; i++) {
		free(r->patterns[i].src);
		pcre2_code_free(atomic_load_explicit(&r->patterns[i].code, memory_order_relaxed));
	}
	free(r->patterns);
	for (size_t i = 0; i < r->nexamples; i++)
		free(r->examples[i].text);
	free(r->examples);
}

void otz_ruleset_free(otz_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->nrules; i++)
		rule_dispose(&rs->rules[i], rs->pool != NULL);
	free(rs->rules);
	otz__arena_free(rs->pool);
	free(rs->all_variants);
	free(rs->all_patterns);
	free(rs->all_examples);
	otz__free_strv(rs->diags, rs->ndiags);
	otz__free_strv(rs->warns, rs->nwarns);
	pcre2_match_context_free(rs->mctx);
	pcre2_compile_context_free(rs->cctx);
	free(rs);
}

static int vnote(char ***v, size_t *n, size_t *cap, const char *file, int line,
                 const char *kind, const char *fmt, va_list ap)
{
	char msg[768];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t len = strlen(file) + strlen(msg) + strlen(kind) + 32;
	char *d = malloc(len);
	if (!d || otz__grow((void **)v, cap, *n + 1, sizeof(char *))) {
		free(d);
		return OTZ_ENOMEM;
	}
	snprintf(d, len, "%s:%d: %s%s", file, line, kind, msg);
	(*v)[(*n)++] = d;
	return 0;
}

__attribute__((format(printf, 4, 5)))
static int diag(otz_ruleset *rs, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vnote(&rs->diags, &rs->ndiags, &rs->cap_diags, file, line, "", fmt, ap);
	va_end(ap);
	return rc;
}

__attribute__((format(printf, 4, 5)))
static int warn(otz_ruleset *rs, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vnote(&rs->warns, &rs->nwarns, &rs->cap_warns, file, line, "warning: ", fmt, ap);
	va_end(ap);
	return rc;
}

size_t otz_ruleset_warning_count(const otz_ruleset *rs)
{
	return rs->nwarns;
}

const char *otz_ruleset_warning(const otz_ruleset *rs, size_t i)
{
	return i < rs->nwarns ? rs->warns[i] : NULL;
}

size_t otz_ruleset_diag_count(const otz_ruleset *rs)
{
	return rs->ndiags;
}

const char *otz_ruleset_diag(const otz_ruleset *rs, size_t i)
{
	return i < rs->ndiags ? rs->diags[i] : NULL;
}

size_t otz_ruleset_count(const otz_ruleset *rs)
{
	return rs->nrules;
}

void otz__ruleset_need_examples(const otz_ruleset *rs)
{
	if (rs->load_examples && !atomic_load_explicit(&rs->examples_ready, memory_order_acquire))
		(void)rs->load_examples(rs->load_ctx, (otz_ruleset *)rs);
}

int otz__rule_ready(const otz_ruleset *rs, size_t i, otz_error *err)
{
	if (!rs->load_rule || atomic_load_explicit(&rs->rules[i].ready, memory_order_acquire))
		return 0;
	return rs->load_rule(rs->load_ctx, (otz_ruleset *)rs, i, err);
}

int otz__hits_ready(const otz_ruleset *rs, const otz_analysis *an, otz_error *err)
{
	int rc = 0;
	for (size_t h = 0; h < an->nhits && !rc; h++)
		rc = otz__rule_ready(rs, an->hits[h].rule, err);
	for (int k = 0; k < OTZ_MK__COUNT && !rc; k++)
		if (rs->shape_rule[k] >= 0)
			rc = otz__rule_ready(rs, (size_t)rs->shape_rule[k], err);
	return rc;
}

const char *otz_ruleset_example(const otz_ruleset *rs, size_t i, size_t k, int *counter)
{
	otz__ruleset_need_examples(rs);
	if (i >= rs->nrules || k >= rs->rules[i].nexamples)
		return NULL;
	if (counter)
		*counter = rs->rules[i].examples[k].counter;
	return rs->rules[i].examples[k].text;
}

size_t otz_ruleset_pattern_count(const otz_ruleset *rs)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->nrules; i++)
		n += rs->rules[i].npatterns;
	return n;
}

int otz_ruleset_info(const otz_ruleset *rs, size_t i, otz_rule_info *info)
{
	if (i >= rs->nrules)
		return OTZ_EINVAL;
	/* A rule whose variants cannot be read shows none. */
	(void)otz__rule_ready(rs, i, NULL);
	otz__ruleset_need_examples(rs);
	const otz_rule *r = &rs->rules[i];
	info->id = r->id;
	info->category = r->category;
	info->weight = r->weight;
	info->translation = r->translation;
	info->nvariants = r->nvariants;
	info->name = r->name;
	info->file = r->file;
	info->line = r->line;
	info->npatterns = r->npatterns;
	info->nexamples = 0;
	info->ncounters = 0;
	for (size_t k = 0; k < r->nexamples; k++) {
		if (r->examples[k].counter)
			info->ncounters++;
		else
			info->nexamples++;
	}
	return 0;
}

long otz__ruleset_find(const otz_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* ---- slots -------------------------------------------------------- */

static const char *const slot_names[OTZ_SLOT__COUNT] = {"role", "tool", "ritual", "artefact",
                                                        "counterpart"};

const char *otz__slot_name(int slot)
{
	return slot >= 0 && slot < OTZ_SLOT__COUNT ? slot_names[slot] : NULL;
}

int otz__slot_find(const char *name, size_t n)
{
	for (int k = 0; k < OTZ_SLOT__COUNT; k++)
		if (strlen(slot_names[k]) == n && (name[0] | 0x20) == slot_names[k][0] &&
		    memcmp(name + 1, slot_names[k] + 1, n - 1) == 0)
			return k;
	return -1;
}

/* The slots a translation names, or -1 with the unknown one in *bad. */
static long slots_of(const char *t, char *bad, size_t badn)
{
	unsigned long m = 0;
	for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
		if (p[1] == '{') { /* "{{" is a brace */
			p++;
			continue;
		}
		const char *e = strchr(p, '}');
		size_t n = e ? (size_t)(e - p - 1) : 0;
		int k = e && n ? otz__slot_find(p + 1, n) : -1;
		if (k < 0) {
			snprintf(bad, badn, "%.*s", e ? (int)(e - p + 1) : (int)strlen(p), p);
			return -1;
		}
		m |= 1u << k;
	}
	return (long)m;
}

/* ---- parsing ------------------------------------------------------ */

static int valid_id(const char *s)
{
	if (!*s || !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

static int parse_category(const char *v, otz_category *out)
{
	for (int c = 0; c < OTZ_CAT__COUNT; c++) {
		if (strcmp(v, otz_category_name((otz_category)c)) == 0) {
			*out = (otz_category)c;
			return 0;
		}
	}
	return -1;
}

/* Check a finished rule for missing keys; drop it if it is unusable. */
/* Does the rule fire on sentences about the employer: it says so, or it is
 * of a category that is about employers (habitat, boilerplate, red flags)? */
static int fires_on_org(const otz_rule *r)
{
	return r->org || r->category == OTZ_CAT_HABITAT || r->category == OTZ_CAT_BOILERPLATE ||
	       r->category == OTZ_CAT_RED_FLAG;
}

/* have_cat, have_weight and have_shape: 1 given, 0 not, -1 given wrong
 * (and reported). */
static int finish_rule(otz_ruleset *rs, otz_rule *r, int have_cat, int have_weight,
                       int have_shape)
{
	int bad = 0, rc = 0;
	const char *f = r->file;
	/* A category, weight or shape that was there but wrong has been
	 * reported; with a wrong shape, what the rule needs is not known. */
	if (have_cat < 0 || have_weight < 0 || have_shape < 0)
		bad = 1;
	int unsure = have_shape < 0;
	if (!have_cat && (rc = diag(rs, f, r->line, "rule '%s' has no category", r->id)) == 0)
		bad = 1;
	/* A shape rule wins no sentence, so it needs no weight. */
	if (!have_weight && r->shape == OTZ_MK_NONE && !unsure &&
	    (rc = diag(rs, f, r->line, "rule '%s' has no weight", r->id)) == 0)
		bad = 1;
	/* A shape rule has no pattern: the metric heuristic finds its phrases
	 * (metrics.c), and the rule gives their reasons. */
	if (!r->npatterns && r->shape == OTZ_MK_NONE && !unsure &&
	    (rc = diag(rs, f, r->line, "rule '%s' has no pattern", r->id)) == 0)
		bad = 1;
	if (r->npatterns && r->shape != OTZ_MK_NONE &&
	    (rc = diag(rs, f, r->patterns[0].line,
	               "rule '%s' has a shape and a pattern: the metric heuristic finds the "
	               "phrases of a shape rule, which has no pattern",
	               r->id)) == 0)
		bad = 1;
	if (r->shape != OTZ_MK_NONE && have_cat > 0 && r->category != OTZ_CAT_METRIC &&
	    (rc = diag(rs, f, r->shape_line, "rule '%s': 'shape:' is for metric rules", r->id)) == 0)
		bad = 1;
	if (r->shape != OTZ_MK_NONE && r->usual &&
	    (rc = diag(rs, f, r->shape_line,
	               "rule '%s': a shape rule is not 'usual:' (it has no hit to stand in for)",
	               r->id)) == 0)
		bad = 1;
	long other = r->shape != OTZ_MK_NONE ? rs->shape_rule[r->shape] : -1;
	if (other >= 0 &&
	    (rc = diag(rs, f, r->shape_line, "rule '%s': shape '%s' is given already by rule '%s' (%s:%d)",
	               r->id, otz__metric_kind_name(r->shape), rs->rules[other].id,
	               rs->rules[other].file, rs->rules[other].shape_line)) == 0)
		bad = 1;
	/* The translation for when nothing is known of the role: for any
	 * family, naming no slot. */
	for (size_t i = 0; i < r->nvariants && !r->translation; i++)
		if (r->variants[i].family < 0 && !r->variants[i].slots) {
			r->translation = r->variants[i].text;
			r->translation_line = r->variants[i].line;
		}
	if (!r->nvariants &&
	    (rc = diag(rs, f, r->line, "rule '%s' has no translation (translate:)", r->id)) == 0)
		bad = 1;
	else if (r->nvariants && !r->translation &&
	         (rc = diag(rs, f, r->line,
	                    "rule '%s' needs a 'translate:' that names no slot, for records whose "
	                    "role is not known",
	                    r->id)) == 0)
		bad = 1;
	size_t ex = 0;
	for (size_t i = 0; i < r->nexamples; i++)
		ex += !r->examples[i].counter;
	if (!ex && (rc = diag(rs, f, r->line, "rule '%s' has no example", r->id)) == 0)
		bad = 1;
	/* A shape rule's finds are named by their own words. */
	if (have_cat > 0 &&
	    ((r->category == OTZ_CAT_METRIC && r->shape == OTZ_MK_NONE && !unsure) ||
	     r->category == OTZ_CAT_WEAPONRY || r->category == OTZ_CAT_BOILERPLATE ||
	     r->category == OTZ_CAT_CREDIT) &&
	    !r->name &&
	    (rc = diag(rs, f, r->line, "rule '%s' is a %s and needs a name:", r->id,
	               otz_category_name(r->category))) == 0)
		bad = 1;
	/* A metric's or a weapon's name is a heading in [05] or [06]. */
	if ((r->category == OTZ_CAT_METRIC || r->category == OTZ_CAT_WEAPONRY) && r->name &&
	    !isupper((unsigned char)r->name[0]) && !isdigit((unsigned char)r->name[0]) &&
	    (rc = diag(rs, f, r->line,
	               "rule '%s': a %s's name is a heading and starts with a capital",
	               r->id, otz_category_name(r->category))) == 0)
		bad = 1;
	if (r->usual && have_cat > 0 && r->category != OTZ_CAT_METRIC &&
	    (rc = diag(rs, f, r->line, "rule '%s': 'usual:' is for metric rules", r->id)) == 0)
		bad = 1;
	long dup = otz__ruleset_find(rs, r->id);
	if (dup >= 0 &&
	    (rc = diag(rs, f, r->line, "duplicate rule id '%s' (first defined at %s:%d)", r->id,
	               rs->rules[dup].file, rs->rules[dup].line)) == 0)
		bad = 1;
	if (rc)
		return rc;
	if (bad) {
		rule_dispose(r, 0);
		return 0;
	}
	if (OTZ_GROW(rs->rules, rs->cap_rules, rs->nrules + 1))
		return OTZ_ENOMEM;
	r->ord = rs->nrules;
	r->org = fires_on_org(r);
	if (r->shape != OTZ_MK_NONE)
		rs->shape_rule[r->shape] = (long)rs->nrules;
	rs->rules[rs->nrules++] = *r;
	return 0;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

int otz_ruleset_parse(otz_ruleset *rs, const char *name, const char *buf,
                      size_t len, otz_error *err)
{
	int rc = 0;
	size_t before = rs->ndiags;
	otz_rule cur;
	int in_rule = 0, have_cat = 0, have_weight = 0, have_shape = 0;
	memset(&cur, 0, sizeof(cur));
	if (rs->compiled)
		return otz__fail(err, OTZ_EINVAL, "%s: ruleset is already compiled", name);
	int lineno = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		const char *line = buf + pos;
		size_t n = end - pos;
		pos = end + 1;
		lineno++;
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		size_t lead = 0;
		while (lead < n && (line[lead] == ' ' || line[lead] == '\t'))
			lead++;
		if (lead == n || line[lead] == '#')
			continue;
		if (memchr(line, '\0', n)) {
			if ((rc = diag(rs, name, lineno, "NUL byte in rule file")))
				goto done;
			continue;
		}
		const char *colon = memchr(line + lead, ':', n - lead);
		if (!colon) {
			if ((rc = diag(rs, name, lineno, "expected 'key: value'")))
				goto done;
			continue;
		}
		size_t klen = (size_t)(colon - line) - lead;
		char key[32];
		if (klen == 0 || klen >= sizeof(key)) {
			if ((rc = diag(rs, name, lineno, "expected 'key: value'")))
				goto done;
			continue;
		}
		memcpy(key, line + lead, klen);
		key[klen] = '\0';
		const char *v = colon + 1;
		while (v < line + n && (*v == ' ' || *v == '\t'))
			v++;
		size_t vlen = (size_t)(line + n - v);
		char *val = xstrndup(v, vlen);
		if (!val) {
			rc = OTZ_ENOMEM;
			goto done;
		}

		if (strcmp(key, "rule") == 0) {
			if (in_rule && (rc = finish_rule(rs, &cur, have_cat, have_weight, have_shape))) {
				free(val);
				goto done;
			}
			memset(&cur, 0, sizeof(cur));
			in_rule = 1;
			have_cat = have_weight = have_shape = 0;
			cur.id = val;
			cur.line = lineno;
			cur.file = strdup(name);
			if (!cur.file) {
				rc = OTZ_ENOMEM;
				goto done;
			}
			if (!valid_id(val))
				rc = diag(rs, name, lineno,
				          "rule id '%s' must be lowercase letters, digits and '-'", val);
			if (rc)
				goto done;
			continue;
		}
		if (!in_rule) {
			free(val);
			if ((rc = diag(rs, name, lineno, "'%s:' before the first 'rule:'", key)))
				goto done;
			continue;
		}
		if (vlen == 0) {
			free(val);
			if ((rc = diag(rs, name, lineno, "'%s:' has no value", key)))
				goto done;
			continue;
		}
		if (strcmp(key, "category") == 0) {
			if (have_cat)
				rc = diag(rs, name, lineno, "rule '%s' has two categories", cur.id);
			else if (parse_category(val, &cur.category)) {
				rc = diag(rs, name, lineno,
				          "unknown category '%s' (buzzword, metric, weaponry, habitat, red-flag, "
				          "boilerplate)",
				          val);
				have_cat = -1;
			} else
				have_cat = 1;
			free(val);
		} else if (strcmp(key, "weight") == 0) {
			char *endp;
			long w = strtol(val, &endp, 10);
			if (have_weight)
				rc = diag(rs, name, lineno, "rule '%s' has two weights", cur.id);
			else if (*endp || w < 1 || w > 10) {
				rc = diag(rs, name, lineno, "weight '%s' is not a whole number from 1 to 10",
				          val);
				have_weight = -1;
			} else {
				cur.weight = (int)w;
				have_weight = 1;
			}
			free(val);
		} else if (strcmp(key, "pattern") == 0) {
			if (OTZ_GROW(cur.patterns, cur.cap_patterns, cur.npatterns + 1)) {
				free(val);
				rc = OTZ_ENOMEM;
				goto done;
			}
			cur.patterns[cur.npatterns].src = val;
			cur.patterns[cur.npatterns].line = lineno;
			cur.patterns[cur.npatterns].code = NULL;
			cur.patterns[cur.npatterns].bad = 0;
			cur.npatterns++;
		} else if (strncmp(key, "translate", 9) == 0 && (key[9] == '\0' || key[9] == '.')) {
			/* translate: TEXT, or translate.FAMILY: TEXT for that family's roles */
			int fam = key[9] ? otz_family_find(key + 10) : -1;
			char bad[64];
			long slots = slots_of(val, bad, sizeof(bad));
			if (key[9] && fam < 0) {
				rc = diag(rs, name, lineno, "'%s': no family '%s' (engineering, data, product, "
				                            "sales, marketing, customer, people, finance, legal, "
				                            "operations, hardware, science, health, public, "
				                            "trades, retail, education, executive)",
				          key, key + 10);
				free(val);
			} else if (slots < 0) {
				rc = diag(rs, name, lineno,
				          "rule '%s': unknown slot '%s' (role, tool, ritual, artefact, "
				          "counterpart)",
				          cur.id, bad);
				free(val);
			} else if (cur.nvariants >= OTZ_MAX_VARIANTS) {
				rc = diag(rs, name, lineno, "rule '%s' has more than %d translations", cur.id,
				          OTZ_MAX_VARIANTS);
				free(val);
			} else if (OTZ_GROW(cur.variants, cur.cap_variants, cur.nvariants + 1)) {
				free(val);
				rc = OTZ_ENOMEM;
				goto done;
			} else {
				cur.variants[cur.nvariants++] = (otz_variant){val, lineno, fam, (unsigned)slots};
			}
		} else if (strcmp(key, "mention") == 0 || strcmp(key, "org") == 0 ||
		           strcmp(key, "usual") == 0) {
			int *flag = key[0] == 'm' ? &cur.mention : key[0] == 'o' ? &cur.org : &cur.usual;
			if (strcmp(val, "yes") && strcmp(val, "no"))
				rc = diag(rs, name, lineno, "'%s:' is yes or no", key);
			*flag = strcmp(val, "yes") == 0;
			free(val);
		} else if (strcmp(key, "range") == 0) {
			if (strcmp(val, "wide") && strcmp(val, "narrow"))
				rc = diag(rs, name, lineno, "'range:' is wide or narrow");
			cur.range = strcmp(val, "wide") == 0     ? OTZ_RANGE_WIDE
			            : strcmp(val, "narrow") == 0 ? OTZ_RANGE_NARROW
			                                         : OTZ_RANGE_ANY;
			free(val);
		} else if (strcmp(key, "shape") == 0) {
			int k = otz__metric_kind_find(val, vlen);
			if (have_shape) {
				rc = diag(rs, name, lineno, "rule '%s' has two shapes", cur.id);
			} else if (k == OTZ_MK_NONE) {
				rc = diag(rs, name, lineno,
				          "unknown shape '%s' (ratio, score, rate, index, velocity, survey, "
				          "kpi, other)",
				          val);
				have_shape = -1;
			} else {
				cur.shape = k;
				cur.shape_line = lineno;
				have_shape = 1;
			}
			free(val);
		} else if (strcmp(key, "name") == 0) {
			if (cur.name) {
				rc = diag(rs, name, lineno, "rule '%s' has two names", cur.id);
				free(val);
			} else {
				cur.name = val;
			}
		} else if (strcmp(key, "example") == 0 || strcmp(key, "counter") == 0) {
			if (OTZ_GROW(cur.examples, cur.cap_examples, cur.nexamples + 1)) {
				free(val);
				rc = OTZ_ENOMEM;
				goto done;
			}
			cur.examples[cur.nexamples].text = val;
			cur.examples[cur.nexamples].line = lineno;
			cur.examples[cur.nexamples].counter = key[0] == 'c';
			cur.nexamples++;
		} else {
			free(val);
			rc = diag(rs, name, lineno,
			          "unknown key '%s' (rule, category, weight, pattern, translate, "
			          "translate.FAMILY, mention, org, range, usual, shape, name, example, "
			          "counter)",
			          key);
		}
		if (rc)
			goto done;
	}
	if (in_rule) {
		in_rule = 0;
		rc = finish_rule(rs, &cur, have_cat, have_weight, have_shape);
	}
done:
	if (in_rule)
		rule_dispose(&cur, 0);
	if (rc == OTZ_ENOMEM)
		return otz__fail(err, rc, "%s: out of memory", name);
	if (rs->ndiags > before)
		return otz__fail(err, OTZ_ERULE, "%s%s", rs->diags[before],
		                 rs->ndiags - before > 1 ? " (and more)" : "");
	return 0;
}

int otz_ruleset_add_file(otz_ruleset *rs, const char *path, otz_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = otz__read_file(path, &buf, &len, err);
	if (rc == 0)
		rc = otz_ruleset_parse(rs, path, buf, len, err);
	free(buf);
	return rc;
}

int otz_ruleset_add_dir(otz_ruleset *rs, const char *dir, otz_error *err)
{
	char **files = NULL;
	size_t n = 0;
	int rc = otz__list_dir(dir, ".rules", &files, &n, err);
	if (rc)
		return rc;
	if (n == 0) {
		rc = otz__fail(err, OTZ_ERULE, "%s: no *.rules files", dir);
		goto done;
	}
	otz_error first = {0, ""};
	for (size_t i = 0; i < n; i++) {
		int r = otz_ruleset_add_file(rs, files[i], err);
		if (r == OTZ_ENOMEM || r == OTZ_EIO) {
			rc = r;
			goto done;
		}
		if (r && !rc) {
			rc = r;
			if (err)
				first = *err;
		}
	}
	if (rc && err)
		*err = first;
done:
	otz__free_strv(files, n);
	return rc;
}

int otz__rule_translation(otz_rule *r)
{
	r->translation = NULL;
	for (size_t v = 0; v < r->nvariants && !r->translation; v++)
		if (r->variants[v].family < 0 && !r->variants[v].slots) {
			r->translation = r->variants[v].text;
			r->translation_line = r->variants[v].line;
		}
	return r->translation ? 0 : -1;
}

void otz__ruleset_loaded(otz_ruleset *rs)
{
	for (size_t i = 0; i < rs->nrules; i++) {
		rs->rules[i].org = fires_on_org(&rs->rules[i]);
		rs->rules[i].ord = i;
		if (rs->rules[i].shape != OTZ_MK_NONE)
			rs->shape_rule[rs->rules[i].shape] = (long)i;
	}
}

/* ---- compiling and checking --------------------------------------- */

/* Highest $N a template refers to. */
static int max_ref(const char *t)
{
	int m = 0;
	for (; *t; t++) {
		if (t[0] == '$' && t[1] >= '0' && t[1] <= '9') {
			if (t[1] - '0' > m)
				m = t[1] - '0';
			t++;
		} else if (t[0] == '$' && t[1] == '$') {
			t++;
		}
	}
	return m;
}

int otz__range_fits(const otz_rule *r, const char *t, size_t start, size_t end)
{
	if (r->range == OTZ_RANGE_ANY)
		return 1;
	long v[2] = {0, 0};
	int n = 0;
	for (size_t i = start; i < end && n < 2; i++) {
		if (t[i] != '$')
			continue;
		size_t j = i + 1;
		while (j < end && j - i < 24 &&
		       ((t[j] >= '0' && t[j] <= '9') || t[j] == ',' || t[j] == '.' || t[j] == 'k'))
			j++;
		if (j > i + 1)
			v[n++] = otz__parse_money(t + i + 1, j - i - 1);
		i = j - 1;
	}
	long lo = v[0] < v[1] ? v[0] : v[1], hi = v[0] < v[1] ? v[1] : v[0];
	int wide = n == 2 && lo > 0 && (double)hi >= OTZ_WIDE_RANGE * (double)lo;
	return r->range == OTZ_RANGE_WIDE ? wide : !wide;
}

/* Compile one pattern as every pattern is compiled: UTF, caseless, \C
 * refused, then JIT (an optimisation: without it the interpreter still
 * honours the same limits). */
const char *otz__pattern_src(const otz_ruleset *rs, const otz_pattern *cpt)
{
	otz_pattern *pt = (otz_pattern *)cpt;
	char *src = atomic_load_explicit(&pt->src, memory_order_acquire);
	if (!src && rs->load_pattern && !rs->load_pattern(rs->load_ctx, (otz_ruleset *)rs, pt))
		src = atomic_load_explicit(&pt->src, memory_order_acquire);
	return src;
}

static pcre2_code *compile_pattern(const otz_ruleset *rs, const otz_pattern *pt, int *ec,
                                   PCRE2_SIZE *eo)
{
	const char *src = otz__pattern_src(rs, pt);
	if (!src) {
		/* Unreadable (a corrupt database): skipped as one that does not
		 * compile is. */
		*ec = PCRE2_ERROR_INTERNAL;
		*eo = 0;
		return NULL;
	}
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
	                              PCRE2_UTF | PCRE2_CASELESS | PCRE2_NEVER_BACKSLASH_C, ec, eo,
	                              rs->cctx);
	if (c)
		(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

const pcre2_code *otz__pattern_code(const otz_ruleset *rs, const otz_pattern *cpt, int *ec)
{
	/* The ruleset is shared read-only; its patterns' code is a cache filled
	 * on first use, the one thing written after load. */
	otz_pattern *pt = (otz_pattern *)cpt;
	pcre2_code *c = atomic_load_explicit(&pt->code, memory_order_acquire);
	if (c)
		return c;
	if ((*ec = atomic_load_explicit(&pt->bad, memory_order_relaxed)))
		return NULL;
	PCRE2_SIZE eo;
	if (!(c = compile_pattern(rs, pt, ec, &eo))) {
		if (*ec != PCRE2_ERROR_HEAP_FAILED)
			atomic_store_explicit(&pt->bad, *ec, memory_order_relaxed);
		return NULL;
	}
	/* Published whole, JIT included, so that no thread sees it half made;
	 * another thread that compiled it meanwhile wins and this copy goes. */
	pcre2_code *none = NULL;
	if (!atomic_compare_exchange_strong_explicit(&pt->code, &none, c, memory_order_acq_rel,
	                                             memory_order_acquire)) {
		pcre2_code_free(c);
		c = none;
	}
	return c;
}

void otz__ruleset_defer(otz_ruleset *rs)
{
	rs->compiled = 1;
}

int otz__rule_matches(const otz_ruleset *rs, const otz_rule *r, const char *text, size_t len,
                      pcre2_match_data *md, pcre2_match_context *mctx)
{
	for (size_t p = 0; p < r->npatterns; p++) {
		int ec;
		const pcre2_code *code = otz__pattern_code(rs, &r->patterns[p], &ec);
		if (!code)
			continue;
		int m = pcre2_match(code, (PCRE2_SPTR)text, len, 0, PCRE2_NO_UTF_CHECK, md, mctx);
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		if (m >= 0 && otz__range_fits(r, text, ov[0], ov[1]))
			return 1;
		if (m < 0 && m != PCRE2_ERROR_NOMATCH)
			return m; /* a limit: report it as an error */
	}
	return 0;
}

static int check_examples(otz_ruleset *rs, otz_rule *r, pcre2_match_data *md)
{
	int rc = 0;
	for (size_t k = 0; k < r->nexamples && !rc; k++) {
		otz_example *ex = &r->examples[k];
		otz_text t;
		otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
		no.lossy = 1;
		if (otz_normalize(&t, ex->text, strlen(ex->text), &no, NULL))
			return OTZ_ENOMEM;
		int m = otz__rule_matches(rs, r, t.s, t.len, md, rs->mctx);
		otz_text_dispose(&t);
		if (m < 0)
			rc = diag(rs, r->file, ex->line, "rule '%s': %s hit a match limit (%d)", r->id,
			          ex->counter ? "counter" : "example", m);
		else if (!ex->counter && !m)
			rc = diag(rs, r->file, ex->line, "rule '%s': example does not match any pattern",
			          r->id);
		else if (ex->counter && m)
			rc = diag(rs, r->file, ex->line, "rule '%s': counter-example matches a pattern",
			          r->id);
	}
	return rc;
}

/* A shape rule's examples are phrases the metric heuristic must find as
 * its kind of metric, and its counters phrases it must not: a test of the
 * heuristic, since the rule has no pattern of its own. */
static int check_shape_examples(otz_ruleset *rs, otz_rule *r, const otz_metric_pats *mp,
                                pcre2_match_data *md)
{
	int rc = 0;
	const char *want = otz__metric_kind_name(r->shape);
	for (size_t k = 0; k < r->nexamples && !rc; k++) {
		otz_example *ex = &r->examples[k];
		otz_text t;
		otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
		no.lossy = 1;
		unsigned kinds = 0;
		if (otz_normalize(&t, ex->text, strlen(ex->text), &no, NULL))
			return OTZ_ENOMEM;
		rc = otz__metric_kinds_in(mp, t.s, t.len, md, rs->mctx, &kinds);
		otz_text_dispose(&t);
		if (rc)
			break;
		int found = kinds >> r->shape & 1;
		const char *other = NULL;
		for (int c = OTZ_MK_NONE + 1; c < OTZ_MK__COUNT && !other; c++)
			if (c != r->shape && (kinds >> c & 1))
				other = otz__metric_kind_name(c);
		if (!ex->counter && !found && other)
			rc = diag(rs, r->file, ex->line,
			          "rule '%s': the metric heuristic finds a '%s' in this example, not a '%s'",
			          r->id, other, want);
		else if (!ex->counter && !found)
			rc = diag(rs, r->file, ex->line,
			          "rule '%s': the metric heuristic finds no '%s' in this example", r->id,
			          want);
		else if (ex->counter && found)
			rc = diag(rs, r->file, ex->line,
			          "rule '%s': the metric heuristic finds a '%s' in this counter-example",
			          r->id, want);
	}
	return rc;
}

int otz_ruleset_compile(otz_ruleset *rs, int check, otz_error *err)
{
	int rc = 0;
	size_t before = rs->ndiags;
	otz_metric_pats *mp = NULL;
	pcre2_match_data *md = pcre2_match_data_create(32, NULL);
	if (!md)
		return otz__fail(err, OTZ_ENOMEM, "out of memory");
	for (size_t i = 0; i < rs->nrules && !rc; i++) {
		otz_rule *r = &rs->rules[i];
		int maxcap = 0, bad = 0;
		for (size_t p = 0; p < r->npatterns && !rc; p++) {
			otz_pattern *pt = &r->patterns[p];
			pcre2_code *code = atomic_load_explicit(&pt->code, memory_order_relaxed);
			int ec = 0;
			PCRE2_SIZE eo = 0;
			if (!code)
				code = compile_pattern(rs, pt, &ec, &eo);
			if (!code) {
				PCRE2_UCHAR msg[256];
				pcre2_get_error_message(ec, msg, sizeof(msg));
				rc = diag(rs, r->file, pt->line,
				          "rule '%s': pattern does not compile at offset %zu: %s", r->id,
				          (size_t)eo, (const char *)msg);
				bad = 1;
				continue;
			}
			atomic_store_explicit(&pt->code, code, memory_order_relaxed);
			pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &pt->capture_count);
			if (p == 0 || (int)pt->capture_count < maxcap)
				maxcap = (int)pt->capture_count;
		}
		if (rc || bad)
			continue;
		int over = 0;
		for (size_t v = 0; v < r->nvariants && !rc; v++) {
			int ref = max_ref(r->variants[v].text);
			if (ref > maxcap && r->shape != OTZ_MK_NONE) {
				rc = diag(rs, r->file, r->variants[v].line,
				          "rule '%s': translation quotes $%d but a shape rule has no pattern "
				          "to quote",
				          r->id, ref);
				over = 1;
			} else if (ref > maxcap) {
				rc = diag(rs, r->file, r->variants[v].line,
				          "rule '%s': translation quotes $%d but a pattern has only %d group%s",
				          r->id, ref, maxcap, maxcap == 1 ? "" : "s");
				over = 1;
			}
		}
		if (over)
			continue;
		if (check && r->shape != OTZ_MK_NONE) {
			/* the heuristic's patterns, compiled once, for the first shape rule */
			if (!mp && otz__metric_pats_new(&mp, NULL))
				rc = OTZ_ENOMEM;
			else
				rc = check_shape_examples(rs, r, mp, md);
		} else if (check) {
			rc = check_examples(rs, r, md);
		}
	}
	otz__metric_pats_free(mp);
	pcre2_match_data_free(md);
	if (rc == OTZ_ENOMEM)
		return otz__fail(err, rc, "out of memory");
	if (rs->ndiags > before)
		return otz__fail(err, OTZ_ERULE, "%s%s", rs->diags[before],
		                 rs->ndiags - before > 1 ? " (and more)" : "");
	rs->compiled = 1;
	return 0;
}

/* ---- checks across rules ------------------------------------------ */

/* Length of the first match of rule r on text, or -1; where it starts in
 * *at if at is not NULL. */
static long match_span(const otz_ruleset *rs, const otz_rule *r, const char *t, size_t n,
                       pcre2_match_data *md, pcre2_match_context *mctx, size_t *at)
{
	for (size_t p = 0; p < r->npatterns; p++) {
		int ec;
		const pcre2_code *code = otz__pattern_code(rs, &r->patterns[p], &ec);
		if (code && pcre2_match(code, (PCRE2_SPTR)t, n, 0, PCRE2_NO_UTF_CHECK, md, mctx) >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			if (at)
				*at = ov[0];
			return (long)(ov[1] - ov[0]);
		}
	}
	return -1;
}

/* Length of pattern pt's first match on text, or -1. */
static long pattern_span(const otz_ruleset *rs, const otz_pattern *pt, const char *t, size_t n,
                         pcre2_match_data *md, pcre2_match_context *mctx)
{
	int ec;
	const pcre2_code *code = otz__pattern_code(rs, pt, &ec);
	if (!code || pcre2_match(code, (PCRE2_SPTR)t, n, 0, PCRE2_NO_UTF_CHECK, md, mctx) < 0)
		return -1;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	return (long)(ov[1] - ov[0]);
}

/* The number of words in t[0..n). */
static size_t words_in(const char *t, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += (i == 0 || t[i - 1] == ' ') && t[i] != ' ';
	return w;
}

/* Does rule r fire on a bare mention: does one of its examples match a
 * name in at most two words (written with a capital inside the sentence:
 * a product, a field, a standard) and nothing else?  Such a pattern fires
 * wherever the name is mentioned, not on the claim its translation mocks.
 * The words, if so, into out. */
static int bare_mention(otz_ruleset *rs, const otz_rule *r, pcre2_match_data *md, char *out,
                        size_t n)
{
	for (size_t k = 0; k < r->nexamples; k++) {
		if (r->examples[k].counter)
			continue;
		const char *ex = r->examples[k].text;
		otz_text t;
		otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
		no.lossy = 1;
		if (otz_normalize(&t, ex, strlen(ex), &no, NULL))
			return 0;
		size_t at = 0;
		long l = match_span(rs, r, t.s, t.len, md, rs->mctx, &at);
		int bare = 0;
		if (l > 0 && words_in(t.s + at, (size_t)l) <= 2) {
			size_t o = t.src_start[at];
			bare = o > 1 && isupper((unsigned char)ex[o]) && ex[o - 2] != '.';
		}
		if (bare)
			snprintf(out, n, "%.*s", (int)l, t.s + at);
		otz_text_dispose(&t);
		if (bare)
			return 1;
	}
	return 0;
}

typedef struct tr_ix {
	const char *t;
	size_t rule, variant;
} tr_ix;

static int cmp_tr(const void *a, const void *b)
{
	const tr_ix *x = a, *y = b;
	int c = strcmp(x->t, y->t);
	if (c)
		return c;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return x->variant < y->variant ? -1 : x->variant > y->variant;
}

int otz_ruleset_lint(otz_ruleset *rs, otz_error *err)
{
	int rc = 0;
	size_t before = rs->ndiags;
	tr_ix *ix = NULL;
	pcre2_match_data *md = NULL;
	otz_prefilter *pf = NULL;
	uint32_t *marks = NULL, *cand = NULL;
	if (!rs->compiled)
		return otz__fail(err, OTZ_EINVAL, "lint needs a compiled ruleset");
	otz__ruleset_need_examples(rs);
	for (size_t i = 0; i < rs->nrules; i++)
		if ((rc = otz__rule_ready(rs, i, err)))
			return rc;
	/* Shared translations, within a rule or across rules: sort them all and
	 * look at neighbours. */
	size_t nix = 0;
	for (size_t i = 0; i < rs->nrules; i++)
		nix += rs->rules[i].nvariants;
	ix = malloc((nix ? nix : 1) * sizeof(*ix));
	md = pcre2_match_data_create(32, NULL);
	if (!ix || !md) {
		rc = OTZ_ENOMEM;
		goto done;
	}
	nix = 0;
	for (size_t i = 0; i < rs->nrules; i++)
		for (size_t v = 0; v < rs->rules[i].nvariants; v++)
			ix[nix++] = (tr_ix){rs->rules[i].variants[v].text, i, v};
	qsort(ix, nix, sizeof(*ix), cmp_tr);
	for (size_t i = 1; i < nix && !rc; i++) {
		if (strcmp(ix[i].t, ix[i - 1].t))
			continue;
		const otz_rule *a = &rs->rules[ix[i - 1].rule], *b = &rs->rules[ix[i].rule];
		rc = diag(rs, b->file, b->variants[ix[i].variant].line,
		          "rule '%s' has the same translation as '%s' (%s:%d)", b->id, a->id, a->file,
		          a->variants[ix[i - 1].variant].line);
	}
	/* A rule proves it is not too loose with at least one near miss. */
	for (size_t i = 0; i < rs->nrules && !rc; i++) {
		const otz_rule *r = &rs->rules[i];
		size_t counters = 0;
		for (size_t k = 0; k < r->nexamples; k++)
			counters += r->examples[k].counter;
		if (!counters)
			rc = diag(rs, r->file, r->line, "rule '%s' has no counter-example (counter:)", r->id);
	}
	/* A pattern that is a bare noun or a product name fires on every
	 * mention, not on the claim its translation mocks. */
	for (size_t i = 0; i < rs->nrules && !rc; i++) {
		char words[128];
		const otz_rule *r = &rs->rules[i];
		if (!r->mention && bare_mention(rs, r, md, words, sizeof(words)))
			rc = warn(rs, r->file, r->line,
			          "rule '%s' fires on a bare mention ('%s'): give its patterns a verb or a "
			          "qualifier, or say 'mention: yes' if a mention is what it mocks",
			          r->id, words);
	}
	/* Shadowed rules: on each example, which rule would win the sentence?
	 * Only the patterns the prefilter lets through are run, as in a
	 * translation, so the check grows with the rules, not their square. */
	size_t np = otz_ruleset_pattern_count(rs);
	if (!rc && (otz__prefilter_build(&pf, rs) || !(marks = calloc(np ? np : 1, sizeof(*marks))) ||
	            !(cand = malloc((np ? np : 1) * sizeof(*cand)))))
		rc = OTZ_ENOMEM;
	uint32_t gen = 0;
	for (size_t i = 0; i < rs->nrules && !rc; i++) {
		const otz_rule *r = &rs->rules[i];
		int wins = 0;
		long beaten_by = -1;
		if (r->shape != OTZ_MK_NONE) /* no pattern: it wins no sentence, by design */
			continue;
		for (size_t k = 0; k < r->nexamples && !wins; k++) {
			if (r->examples[k].counter)
				continue;
			otz_text t;
			otz_norm_options no = OTZ_NORM_OPTIONS_INIT;
			no.lossy = 1;
			if (otz_normalize(&t, r->examples[k].text, strlen(r->examples[k].text), &no, NULL)) {
				rc = OTZ_ENOMEM;
				break;
			}
			long best = -1, best_len = -1;
			size_t nc = otz__prefilter_scan(pf, t.s, t.len, marks, ++gen, cand), last = SIZE_MAX;
			for (size_t c = 0; c < nc; c++) {
				size_t j, pat;
				otz__prefilter_where(pf, cand[c], &j, &pat);
				if (j == last) /* a rule's first matching pattern decides */
					continue;
				long l = pattern_span(rs, &rs->rules[j].patterns[pat], t.s, t.len, md,
				                      rs->mctx);
				if (l < 0)
					continue;
				last = j;
				if (best < 0 || otz__beats(rs, j, (size_t)l, (size_t)best, (size_t)best_len)) {
					best = (long)j;
					best_len = l;
				}
			}
			otz_text_dispose(&t);
			if (best == (long)i)
				wins = 1;
			else if (best >= 0)
				beaten_by = best;
		}
		if (!wins && beaten_by >= 0)
			rc = warn(rs, r->file, r->line,
			          "rule '%s' is shadowed: on each of its examples '%s' (%s:%d) wins", r->id,
			          rs->rules[beaten_by].id, rs->rules[beaten_by].file,
			          rs->rules[beaten_by].line);
	}
done:
	free(ix);
	free(marks);
	free(cand);
	otz__prefilter_free(pf);
	pcre2_match_data_free(md);
	if (rc == OTZ_ENOMEM)
		return otz__fail(err, rc, "out of memory");
	if (rs->ndiags > before)
		return otz__fail(err, OTZ_ERULE, "%s%s", rs->diags[before],
		                 rs->ndiags - before > 1 ? " (and more)" : "");
	return 0;
}
