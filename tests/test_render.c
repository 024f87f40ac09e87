/*
 * test_render.c - records to text, JSON, Markdown and HTML (engine/render.c).
 *
 * JSON must parse and carry spans that point at the original sentences,
 * rule ids that exist, reasons for metrics and evidence for matches.  Text
 * follows the seed's section order, has colour only when asked, and imports
 * back.  Markdown escapes what Markdown would interpret.  HTML is one
 * self-contained page (no network, no scripts) with every text escaped, the
 * sections in the seed's order and each illusion beside its translation.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "include/otz.h"
#include "internal.h"
#include "support.h"

#define SEED "000_lead-ai-human-in-the-loop-integration-specialist.txt"

static otz_engine *eng;
static otz_session *ses;

static void setup(void)
{
	t_repo_open(&eng, &ses);
}

static void teardown(void)
{
	t_repo_close(&eng, &ses);
}

static otz_record *tr_title(const char *in, size_t len, const char *title)
{
	otz_record *r = NULL;
	otz_error err = {0};
	otz_translate_options o = OTZ_TRANSLATE_OPTIONS_INIT;
	o.title = title;
	cr_assert_eq(otz_translate(&r, ses, in, len, &o, &err), 0, "%s", err.msg);
	return r;
}

static char *render_opts(const otz_record *r, otz_format fmt, int color, int show_rules)
{
	otz_buf b = OTZ_BUF_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	ro.format = fmt;
	ro.color = color;
	ro.show_rules = show_rules;
	otz_error err = {0};
	cr_assert_eq(otz_render(&b, r, &ro, &err), 0, "%s", err.msg);
	cr_assert_eq(otz__buf_put(&b, "", 1), 0);
	return b.ptr;
}

static char *render(const otz_record *r, otz_format fmt, int color)
{
	return render_opts(r, fmt, color, 0);
}

static json_t *parse_json(const char *s)
{
	json_error_t je;
	json_t *j = json_loads(s, 0, &je);
	cr_assert(j, "JSON does not parse: %s at line %d col %d", je.text, je.line, je.column);
	cr_assert(json_is_object(j));
	return j;
}

static otz_record *parse_seed(void)
{
	size_t len;
	char *text = t_read_rel("corpus", SEED, &len);
	otz_record *r = NULL;
	otz_error err = {0};
	cr_assert_eq(otz_record_parse(&r, text, len, SEED, &err), 0, "%s", err.msg);
	free(text);
	return r;
}

/* Collapse runs of ASCII whitespace into one space and trim; malloc'ed. */
static char *collapse(const char *s, size_t n)
{
	char *o = malloc(n + 1), *p = o;
	cr_assert(o);
	int sp = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			sp = p != o;
			continue;
		}
		if (sp)
			*p++ = ' ';
		sp = 0;
		*p++ = s[i];
	}
	*p = '\0';
	return o;
}

static void check_rule(json_t *rule, const char *what)
{
	cr_assert(json_is_string(rule), "%s: rule is not a string", what);
	const char *id = json_string_value(rule);
	cr_assert_geq(otz__ruleset_find(otz_engine_rules(eng), id), 0, "%s: no rule '%s'", what,
	              id);
}

/* Check the JSON of one translation of `in`. */
static void check_translation_json(const char *in, size_t len, int exact_original,
                                   const char *what)
{
	otz_record *r = tr_title(in, len, NULL);
	char *s = render(r, OTZ_FORMAT_JSON, 0);
	json_t *j = parse_json(s);
	cr_assert_str_eq(json_string_value(json_object_get(j, "kind")), "translation", "%s", what);
	cr_assert_str_eq(json_string_value(json_object_get(j, "title")), r->title);
	cr_assert_str_eq(json_string_value(json_object_get(j, "slug")), r->slug);
	cr_assert_str_eq(json_string_value(json_object_get(j, "otiose")), OTZ_VERSION);
	json_t *oi = json_object_get(j, "otiose_index");
	cr_assert_eq(json_integer_value(json_object_get(oi, "value")), r->otiose_index.value);
	cr_assert(json_is_string(json_object_get(oi, "reason")));
	json_t *stats = json_object_get(j, "stats");
	cr_assert_eq(json_integer_value(json_object_get(stats, "bytes")), (json_int_t)len);
	cr_assert_eq(json_integer_value(json_object_get(stats, "segments")),
	             (json_int_t)r->nsegments);

	json_t *trs = json_object_get(j, "translations");
	cr_assert(json_is_array(trs));
	cr_assert_eq(json_array_size(trs), r->nautopsy, "%s", what);
	cr_assert_gt(json_array_size(trs), 0, "%s: nothing translated", what);
	for (size_t i = 0; i < json_array_size(trs); i++) {
		json_t *t = json_array_get(trs, i);
		json_int_t st = json_integer_value(json_object_get(t, "start"));
		json_int_t en = json_integer_value(json_object_get(t, "end"));
		cr_assert(json_is_integer(json_object_get(t, "start")) &&
		          json_is_integer(json_object_get(t, "end")));
		cr_assert(st >= 0 && st < en && (size_t)en <= len, "%s %zu: [%lld,%lld)", what, i,
		          (long long)st, (long long)en);
		const char *orig = json_string_value(json_object_get(t, "original"));
		cr_assert(orig, "%s %zu: no original", what, i);
		if (exact_original) {
			char *c = collapse(in + st, (size_t)(en - st));
			cr_assert_str_eq(c, orig, "%s %zu: input[%lld,%lld)", what, i, (long long)st,
			                 (long long)en);
			free(c);
		}
		/* A rule's translation, or the closest specimen's own. */
		json_t *rule = json_object_get(t, "rule"), *spec = json_object_get(t, "specimen");
		if (json_is_null(rule)) {
			cr_assert(json_is_string(spec), "%s %zu: neither rule nor specimen", what, i);
			cr_assert_str_eq(json_string_value(spec), r->via);
		} else {
			cr_assert(json_is_null(spec));
			check_rule(rule, what);
			long ri = otz__ruleset_find(otz_engine_rules(eng), json_string_value(rule));
			otz_rule_info info;
			cr_assert_eq(otz_ruleset_info(otz_engine_rules(eng), (size_t)ri, &info), 0);
			cr_assert_str_eq(json_string_value(json_object_get(t, "category")),
			                 otz_category_name(info.category));
			cr_assert_eq(json_integer_value(json_object_get(t, "weight")), info.weight);
		}
		const char *tt = json_string_value(json_object_get(t, "translation"));
		cr_assert(tt && *tt, "%s %zu: empty translation", what, i);
		cr_assert_str_eq(tt, r->autopsy[i].translation);
		/* The other sentences it stands for, each with its span. */
		json_t *more = json_object_get(t, "more");
		cr_assert(json_is_array(more), "%s %zu: no \"more\"", what, i);
		cr_assert_eq(json_array_size(more), r->autopsy[i].nmore);
		for (size_t k = 0; k < json_array_size(more); k++) {
			json_t *m = json_array_get(more, k);
			json_int_t ms = json_integer_value(json_object_get(m, "start"));
			json_int_t me = json_integer_value(json_object_get(m, "end"));
			cr_assert(ms >= en && ms < me && (size_t)me <= len, "%s %zu more %zu", what, i, k);
			const char *mo = json_string_value(json_object_get(m, "original"));
			cr_assert_str_eq(mo, r->autopsy[i].more[k]);
			if (exact_original) {
				char *c = collapse(in + ms, (size_t)(me - ms));
				cr_assert_str_eq(c, mo);
				free(c);
			}
		}
	}

	json_t *mets = json_object_get(j, "metrics");
	cr_assert(json_is_array(mets));
	cr_assert_eq(json_array_size(mets), r->nmetrics);
	for (size_t i = 0; i < json_array_size(mets); i++) {
		json_t *m = json_array_get(mets, i);
		const char *reason = json_string_value(json_object_get(m, "reason"));
		cr_assert(reason && strlen(reason) > 10, "%s: metric %zu has no reason", what, i);
		cr_assert(json_is_string(json_object_get(m, "name")));
		json_t *rule = json_object_get(m, "rule");
		json_t *heur = json_object_get(m, "heuristic");
		json_t *usual = json_object_get(m, "usual");
		cr_assert(json_is_boolean(heur) && json_is_boolean(usual));
		if (json_is_null(rule)) {
			/* only the role's usual metrics, which quote nothing */
			cr_assert(json_is_true(usual) && json_is_false(heur), "%s: metric %zu without rule",
			          what, i);
			cr_assert(json_is_null(json_object_get(m, "start")), "%s: metric %zu", what, i);
			cr_assert(json_is_null(json_object_get(m, "end")), "%s: metric %zu", what, i);
			continue;
		}
		/* a heuristic find names the shape rule that gave its reason */
		check_rule(rule, what);
		long ri = otz__ruleset_find(otz_engine_rules(eng), json_string_value(rule));
		cr_assert_eq(json_is_true(heur), otz_engine_rules(eng)->rules[ri].shape != OTZ_MK_NONE,
		             "%s: metric %zu", what, i);
		cr_assert(json_is_integer(json_object_get(m, "start")), "%s: metric %zu", what, i);
		cr_assert(json_integer_value(json_object_get(m, "end")) <= (json_int_t)len);
	}
	const char *lists[] = {"weaponry", "habitat"};
	for (int k = 0; k < 2; k++) {
		json_t *a = json_object_get(j, lists[k]);
		cr_assert(json_is_array(a));
		for (size_t i = 0; i < json_array_size(a); i++) {
			json_t *rule = json_object_get(json_array_get(a, i), "rule");
			if (!json_is_null(rule))
				check_rule(rule, lists[k]);
		}
	}
	json_t *flags = json_object_get(json_object_get(j, "flight_risk"), "red_flags");
	cr_assert_eq(json_array_size(flags), r->nred_flags);
	for (size_t i = 0; i < json_array_size(flags); i++)
		check_rule(json_object_get(json_array_get(flags, i), "rule"), "red_flags");

	json_t *ms = json_object_get(j, "matches");
	cr_assert(json_is_array(ms));
	cr_assert_eq(json_array_size(ms), r->nrelated);
	cr_assert_gt(json_array_size(ms), 0, "%s: no matches", what);
	for (size_t i = 0; i < json_array_size(ms); i++) {
		json_t *m = json_array_get(ms, i);
		json_t *pct = json_object_get(m, "percent");
		cr_assert(json_is_integer(pct));
		cr_assert_eq(json_integer_value(pct), r->related[i].percent);
		cr_assert(json_integer_value(pct) >= 0 && json_integer_value(pct) <= 100);
		cr_assert(json_is_string(json_object_get(m, "title")));
		cr_assert(json_is_number(json_object_get(m, "score")));
		json_t *ev = json_object_get(m, "evidence");
		cr_assert(json_is_object(ev), "%s: match %zu without evidence", what, i);
		json_t *er = json_object_get(ev, "rules"), *et = json_object_get(ev, "terms");
		cr_assert(json_is_array(er) && json_is_array(et));
		cr_assert_eq(json_array_size(er), r->related[i].nrules);
		cr_assert_eq(json_array_size(et), r->related[i].nterms);
		for (size_t k = 0; k < json_array_size(er); k++)
			check_rule(json_array_get(er, k), "evidence");
		for (size_t k = 0; k < json_array_size(et); k++)
			cr_assert_str_eq(json_string_value(json_array_get(et, k)),
			                 r->related[i].terms[k]);
	}
	json_decref(j);
	free(s);
	otz_record_free(r);
}

Test(render, json_translation_sample, .init = setup, .fini = teardown)
{
	size_t len;
	char *jd = t_read_rel("tests/data", "sample_jd.txt", &len);
	/* Its sentences hold smart quotes, entities and soft hyphens, which
	 * "original" shows normalized: spans are checked in test_record.c. */
	check_translation_json(jd, len, 0, "sample_jd");
	free(jd);
}

/* [05] in JSON: a heuristic find names the shape rule that gave its reason
 * ("heuristic": true); the role's usual metrics, listed for a posting that
 * names none, have no rule and a null span. */
Test(render, json_metrics_of_the_heuristic_and_of_the_role, .init = setup, .fini = teardown)
{
	static const char named[] = "Support Operations Lead\n"
	                            "Own the ticket reopen rate across all queues.\n"
	                            "Improve the macro coverage ratio for the help centre.\n"
	                            "You will drive alignment with key stakeholders.\n";
	check_translation_json(named, sizeof(named) - 1, 1, "heuristic");
	otz_record *r = tr_title(named, sizeof(named) - 1, NULL);
	size_t heur = 0;
	for (size_t i = 0; i < r->nmetrics; i++)
		heur += r->metrics[i].heuristic;
	cr_assert_eq(heur, 2, "%zu heuristic finds", heur);
	otz_record_free(r);
	static const char none[] =
		"Site Reliability Engineer\n"
		"We are hiring a Site Reliability Engineer to keep our production systems running.\n"
		"You will be on call for the payments platform, write runbooks, and lead blameless "
		"postmortems.\n"
		"You will automate toil with Terraform and Kubernetes and tune Prometheus alerting, "
		"so that recovery from an outage takes minutes.\n";
	check_translation_json(none, sizeof(none) - 1, 1, "usual");
	r = tr_title(none, sizeof(none) - 1, NULL);
	cr_assert(r->role_known);
	/* those of its metrics the posting gives a sign of (a word of the name) */
	cr_assert_geq(r->nmetrics, 1);
	for (size_t i = 0; i < r->nmetrics; i++)
		cr_assert(r->metrics[i].usual && !r->metrics[i].has_span);
	otz_record_free(r);
}

Test(render, json_original_is_the_input_sentence, .init = setup, .fini = teardown)
{
	static const char in[] =
		"Growth Marketing Manager\n\n"
		"We are a fast-paced startup on a mission to disrupt   how small businesses get "
		"paid.\n"
		"You will drive alignment with key stakeholders\n  across Sales and Finance. "
		"Report the Experiment Win Rate weekly.\n"
		"- Build dashboards that give leadership a single source of truth.\n"
		"* Thrive in ambiguity and wear many hats!\n"
		"Other duties as assigned.\n"
		"Bachelor's degree in Marketing or equivalent experience.\n"
		"5+ years of experience in growth marketing.\n"
		"We are an equal opportunity employer.\n";
	/* The three boilerplate sentences are one entry: its "more" is checked. */
	check_translation_json(in, sizeof(in) - 1, 1, "ascii");
	otz_record *r = tr_title(in, sizeof(in) - 1, NULL);
	size_t boiler = 0, more = 0;
	for (size_t i = 0; i < r->nautopsy; i++)
		if (r->autopsy[i].category && strcmp(r->autopsy[i].category, "boilerplate") == 0) {
			boiler++;
			more += r->autopsy[i].nmore;
		}
	cr_expect_eq(boiler, 1);
	cr_expect_eq(more, 2);
	otz_record_free(r);
}

Test(render, json_specimen, .init = setup, .fini = teardown)
{
	otz_record *r = parse_seed();
	char *s = render(r, OTZ_FORMAT_JSON, 0);
	json_t *j = parse_json(s);
	cr_assert_str_eq(json_string_value(json_object_get(j, "kind")), "specimen");
	cr_assert_null(json_object_get(j, "otiose_index"));
	cr_assert_str_eq(json_string_value(json_object_get(j, "slug")),
	                 "LEAD-AI-HUMAN-IN-THE-LOOP-INTEGRATION-SPECIALIST");
	json_t *al = json_object_get(j, "aliases");
	cr_assert_eq(json_array_size(al), 4);
	cr_assert_str_eq(json_string_value(json_array_get(al, 1)), "Human-AI Interaction Lead");
	cr_assert_eq(json_array_size(json_object_get(j, "habitat")), 3);
	json_t *sal = json_object_get(j, "salary");
	cr_assert_eq(json_integer_value(json_object_get(sal, "market_average")), 205000);
	json_t *fr = json_object_get(j, "flight_risk");
	cr_assert_eq(json_integer_value(json_object_get(fr, "percent")), 85);
	cr_assert_str_eq(json_string_value(json_object_get(fr, "label")), "HIGH RISK");
	json_t *mets = json_object_get(j, "metrics");
	cr_assert_eq(json_array_size(mets), 3);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(mets, 2), "name")),
	                 "Cross-Team HITL Feedback Loop Closure Rate");
	cr_assert(json_is_string(json_object_get(json_array_get(mets, 0), "reason")));
	cr_assert(json_is_false(json_object_get(json_array_get(mets, 0), "heuristic")));
	json_t *trs = json_object_get(j, "translations");
	cr_assert_eq(json_array_size(trs), 3);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(trs, 2), "original")),
	                 "Architect, develop, test, and enhance chatbots using the [website] "
	                 "platform.");
	cr_assert_null(json_object_get(json_array_get(trs, 0), "start"));
	cr_assert_eq(json_array_size(json_object_get(j, "log")), 3);
	cr_assert_eq(json_array_size(json_object_get(j, "complaints")), 3);
	json_t *ms = json_object_get(j, "matches");
	cr_assert_eq(json_array_size(ms), 3);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(ms, 0), "percent")), 98);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(ms, 2), "percent")), 84);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ms, 2), "title")),
	                 "SDET");
	json_decref(j);
	free(s);
	otz_record_free(r);
}

/* ---- text --------------------------------------------------------- */

static const char *const headings[] = {
	"[01] THE ORG-CHART ARCHITECTURE\n",
	"[02] THE HABITAT (NATURAL RANGE)\n",
	"[03] SALARY DELUSION\n",
	"[04] THE FLIGHT RISK\n",
	"[05] THE BULLSHIT METRICS\n",
	"[06] SIGNATURE WEAPONRY\n",
	"[07] SURVIVAL / ENCOUNTER GUIDE\n",
	"[08] THE JD AUTOPSY: WHAT DO THEY ACTUALLY DO?\n",
	"[09] DAY-IN-THE-LIFE LOG\n",
	"[10] THE BURN WARD (UNFILTERED COMPLAINTS)\n",
	"[11] RELATED SPECIMENS\n"};

/* Headings present (each at a line start, once) in the seed's order;
 * returns a bit mask of those found. */
static unsigned check_heading_order(const char *text, const char *what)
{
	const char *prev = text;
	unsigned found = 0;
	for (int k = 0; k < 11; k++) {
		const char *h = strstr(text, headings[k]);
		if (!h)
			continue;
		cr_assert(h == text || h[-1] == '\n', "%s: %.4s not at a line start", what,
		          headings[k]);
		cr_assert_null(strstr(h + 1, headings[k]), "%s: %.4s twice", what, headings[k]);
		cr_assert(h > prev, "%s: %.4s out of order", what, headings[k]);
		prev = h;
		found |= 1u << k;
	}
	return found;
}

Test(render, text_specimen_has_every_heading_in_order)
{
	otz_record *r = parse_seed();
	char *t = render(r, OTZ_FORMAT_TEXT, 0);
	static const char head[] =
		"FILE RECORD: LEAD-AI-HUMAN-IN-THE-LOOP-INTEGRATION-SPECIALIST\n"
		"WHAT DOES A LEAD AI HUMAN-IN-THE-LOOP INTEGRATION SPECIALIST ACTUALLY DO?\n"
		"Lead AI Human-in-the-Loop Integration Specialist\n"
		"[01] THE ORG-CHART ARCHITECTURE\n";
	cr_assert(strncmp(t, head, sizeof(head) - 1) == 0, "%.300s", t);
	cr_assert_eq(check_heading_order(t, "seed"), 0x7ffu);
	cr_assert_null(strchr(t, '\x1b'));
	cr_assert(strstr(t, "\nFLIGHT RISK: 85% (HIGH RISK)\n"));
	cr_assert(strstr(t, "\n$205,000\n"));
	free(t);
	/* The file form keeps the seed's glued label. */
	t = render(r, OTZ_FORMAT_RECORD, 0);
	cr_assert_eq(check_heading_order(t, "seed"), 0x7ffu);
	cr_assert(strstr(t, "\nFLIGHT RISK:85%HIGH RISK\n"));
	free(t);
	otz_record_free(r);
}

/* Remove ANSI CSI sequences; malloc'ed. */
static char *strip_ansi(const char *s)
{
	char *o = malloc(strlen(s) + 1), *p = o;
	cr_assert(o);
	while (*s) {
		if (s[0] == '\x1b' && s[1] == '[') {
			s += 2;
			while (*s && !(*s >= '@' && *s <= '~'))
				s++;
			if (*s)
				s++;
			continue;
		}
		*p++ = *s++;
	}
	*p = '\0';
	return o;
}

Test(render, text_translation_order_and_colour, .init = setup, .fini = teardown)
{
	size_t len;
	char *jd = t_read_rel("tests/data", "sample_jd.txt", &len);
	otz_record *r = tr_title(jd, len, NULL);
	char *plain = render(r, OTZ_FORMAT_TEXT, 0);
	unsigned found = check_heading_order(plain, "sample_jd");
	/* What the record holds decides which sections are there. */
	cr_assert_eq(!!(found & (1u << 4)), r->nmetrics > 0);
	cr_assert_eq(!!(found & (1u << 5)), r->nweapons > 0);
	cr_assert_eq(!!(found & (1u << 7)), r->nautopsy > 0);
	cr_assert_eq(!!(found & (1u << 10)), r->nrelated > 0);
	cr_assert_eq(!!(found & (1u << 3)), r->flight_risk >= 0);
	cr_assert(found & (1u << 7));
	cr_assert_null(strchr(plain, '\x1b'), "escape in uncoloured text");
	cr_assert(strncmp(plain, "FILE RECORD: SENIOR-GROWTH-MARKETING-MANAGER\n", 45) == 0);
	char idx[64];
	snprintf(idx, sizeof(idx), "\nOTIOSE INDEX: %ld/100\n", r->otiose_index.value);
	cr_assert(strstr(plain, idx), "%s", idx);

	char *col = render(r, OTZ_FORMAT_TEXT, 1);
	cr_assert(strstr(col, "\x1b["), "no colour with color=1");
	char *stripped = strip_ansi(col);
	cr_assert_str_eq(stripped, plain, "colour must only add escapes");
	/* Colour is for text only. */
	char *js = render(r, OTZ_FORMAT_JSON, 1), *md = render(r, OTZ_FORMAT_MD, 1);
	cr_assert_null(strchr(js, '\x1b'));
	cr_assert_null(strchr(md, '\x1b'));
	free(js);
	free(md);
	free(stripped);
	free(col);
	free(plain);
	otz_record_free(r);
	free(jd);
}

/* Rule ids and byte offsets are for JSON and for those who ask: the text
 * record names no rule unless --show-rules. */
Test(render, text_names_rules_only_when_asked, .init = setup, .fini = teardown)
{
	size_t len;
	char *jd = t_read_rel("tests/data", "sample_jd.txt", &len);
	otz_record *r = tr_title(jd, len, NULL);
	char *plain = render(r, OTZ_FORMAT_TEXT, 0), *shown = render_opts(r, OTZ_FORMAT_TEXT, 0, 1);
	size_t with_rules = 0;
	for (size_t i = 0; i < r->nautopsy; i++) {
		char *origin = otz__origin(&r->autopsy[i]), want[1024];
		snprintf(want, sizeof(want), "\n[%s]\n", origin);
		cr_expect(strstr(shown, want), "%s", want);
		cr_expect_null(strstr(plain, want), "%s", want);
		free(origin);
	}
	for (size_t i = 0; i < r->nrelated; i++)
		with_rules += r->related[i].nrules > 0;
	cr_assert_gt(with_rules, 0, "no related specimen with rules as evidence");
	cr_expect_null(strstr(plain, " rules "), "a rule id in the text record");
	cr_expect(strstr(shown, "EVIDENCE: rules ") || strstr(shown, "%); rules "));
	cr_expect_eq(t_count(plain, "[SOURCE REDACTED]"), r->nautopsy);
	free(plain);
	free(shown);
	otz_record_free(r);
	free(jd);
}

Test(render, text_translation_imports_back, .init = setup, .fini = teardown)
{
	size_t len;
	char *jd = t_read_rel("tests/data", "sample_jd.txt", &len);
	otz_record *r = tr_title(jd, len, NULL);
	char *t = render(r, OTZ_FORMAT_TEXT, 0);
	otz_record *b = NULL;
	otz_error err = {0};
	cr_assert_eq(otz_record_parse(&b, t, strlen(t), "translated.txt", &err), 0, "%s", err.msg);
	cr_assert_str_eq(b->title, r->title);
	cr_assert_str_eq(b->slug, r->slug);
	cr_assert_eq(b->nautopsy, r->nautopsy);
	for (size_t i = 0; i < r->nautopsy; i++) {
		cr_assert_str_eq(b->autopsy[i].illusion, r->autopsy[i].illusion);
		cr_assert_str_eq(b->autopsy[i].translation, r->autopsy[i].translation);
		cr_assert_eq(b->autopsy[i].nmore, r->autopsy[i].nmore);
		for (size_t k = 0; k < r->autopsy[i].nmore; k++)
			cr_assert_str_eq(b->autopsy[i].more[k], r->autopsy[i].more[k]);
	}
	cr_assert_eq(b->nmetrics, r->nmetrics);
	for (size_t i = 0; i < r->nmetrics; i++)
		cr_assert_str_eq(b->metrics[i].name, r->metrics[i].name);
	cr_assert_eq(b->nweapons, r->nweapons);
	cr_assert_eq(b->flight_risk, r->flight_risk);
	cr_assert_eq(b->nrelated, r->nrelated);
	for (size_t i = 0; i < r->nrelated; i++) {
		cr_assert_str_eq(b->related[i].title, r->related[i].title);
		cr_assert_eq(b->related[i].percent, r->related[i].percent);
	}
	otz_record_free(b);
	free(t);
	otz_record_free(r);
	free(jd);
}

/* ---- markdown ----------------------------------------------------- */

Test(render, markdown_title_escaped, .init = setup, .fini = teardown)
{
	static const char in[] = "Drive alignment across business units.\n";
	otz_record *r = tr_title(in, sizeof(in) - 1, "Head of *Vibes* & C# Dev_Ops");
	char *md = render(r, OTZ_FORMAT_MD, 0);
	cr_assert(strncmp(md, "# ", 2) == 0, "%.80s", md);
	const char *want = "# Head of \\*Vibes\\* & C\\# Dev\\_Ops\n";
	cr_assert(strncmp(md, want, strlen(want)) == 0, "%.80s", md);
	cr_assert(strstr(md, "`FILE RECORD: HEAD-OF-VIBES-C-DEV-OPS`"), "%.200s", md);
	cr_assert(strstr(md, "## [08] The JD autopsy\n"), "%s", md);
	/* The rule is named only when asked for. */
	cr_assert_null(strstr(md, "drive-alignment"), "%s", md);
	free(md);
	md = render_opts(r, OTZ_FORMAT_MD, 0, 1);
	cr_assert(strstr(md, "(rule drive-alignment \xc2\xb7 buzzword \xc2\xb7 weight "), "%s", md);
	free(md);
	otz_record_free(r);

	otz_record *s = parse_seed();
	md = render(s, OTZ_FORMAT_MD, 0);
	cr_assert(strncmp(md, "# Lead AI Human-in-the-Loop Integration Specialist\n", 51) == 0,
	          "%.80s", md);
	cr_assert(strstr(md, "| 98% | Lead Backend Data Procurement Analyst |"), "%s", md);
	/* [website] in an illusion is escaped, not a link. */
	cr_assert(strstr(md, "using the \\[website\\] platform."), "%s", md);
	free(md);
	otz_record_free(s);
}

/* [01] is present when the record has an org note or aliases, in every
 * format alike: Markdown used to drop it when there were no aliases. */
Test(render, markdown_shows_org_note_without_aliases)
{
	otz_record *s = parse_seed();
	s->naliases = 0;
	char *md = render(s, OTZ_FORMAT_MD, 0), *tx = render(s, OTZ_FORMAT_TEXT, 0),
	     *html = render(s, OTZ_FORMAT_HTML, 0);
	cr_assert(strstr(tx, "[01] THE ORG-CHART ARCHITECTURE\n* The organizational hierarchy"), "%s", tx);
	cr_assert(strstr(md, "## [01] The org-chart architecture\n\nThe organizational hierarchy"),
	          "%s", md);
	cr_assert(strstr(html, "<section id=\"s01\">"), "%s", html);
	cr_assert_null(strstr(md, "Known aliases"), "%s", md);
	free(md);
	free(tx);
	free(html);
	otz_record_free(s);
}

Test(render, bad_format)
{
	otz_record *r = parse_seed();
	otz_buf b = OTZ_BUF_INIT;
	otz_render_options ro = OTZ_RENDER_OPTIONS_INIT;
	ro.format = (otz_format)42;
	otz_error err = {0};
	cr_assert_eq(otz_render(&b, r, &ro, &err), OTZ_EINVAL);
	cr_assert_eq(err.code, OTZ_EINVAL);
	cr_assert(strstr(err.msg, "42"), "%s", err.msg);
	otz_buf_dispose(&b);
	otz_record_free(r);
}

/* ---- HTML --------------------------------------------------------- */

/* Count the (non-overlapping) occurrences of needle in s. */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	for (const char *p = strstr(s, needle); p; p = strstr(p + k, needle))
		n++;
	return n;
}

/* strstr ignoring ASCII case. */
static const char *find_ci(const char *s, const char *needle)
{
	size_t k = strlen(needle);
	for (; *s; s++)
		if (strncasecmp(s, needle, k) == 0)
			return s;
	return NULL;
}

/* One whole, self-contained page: one document, the viewport meta for phones,
 * the record's title, and nothing that would make a browser go to the network
 * or run code. */
static void check_page(const char *h, const char *slug)
{
	char want[512];
	cr_assert(strncmp(h, "<!DOCTYPE html>\n", 16) == 0, "%.80s", h);
	cr_assert_eq(count(h, "<!DOCTYPE"), 1);
	cr_assert_eq(count(h, "<html"), 1);
	cr_assert_eq(count(h, "<body>"), 1);
	size_t n = strlen(h);
	cr_assert(n > 8 && strcmp(h + n - 8, "</html>\n") == 0, "page does not end with </html>");
	cr_assert(strstr(h, "<meta name=\"viewport\" content=\"width=device-width, "
	                    "initial-scale=1\">"));
	cr_assert(strstr(h, "<meta charset=\"utf-8\">"));
	snprintf(want, sizeof(want), "<title>FILE RECORD: %s</title>", slug);
	cr_assert(strstr(h, want), "no %s", want);
	cr_assert_eq(count(h, "<title>"), 1);
	cr_assert_null(find_ci(h, "http"), "a network reference: %.80s", find_ci(h, "http"));
	cr_assert_null(find_ci(h, "<script"));
	cr_assert_null(find_ci(h, "<link"));
	cr_assert_null(find_ci(h, "<img"));
	cr_assert_null(find_ci(h, "@import"));
	cr_assert_null(find_ci(h, "url("));
	cr_assert_null(find_ci(h, " src="));
	/* The style sheet is the page's only one, and stays small. */
	const char *st = strstr(h, "<style>"), *se = strstr(h, "</style>");
	cr_assert(st && se && se > st);
	cr_assert_eq(count(h, "<style>"), 1);
	cr_assert_lt((size_t)(se - st), 4096u, "CSS is %zu bytes", (size_t)(se - st));
	cr_assert(strstr(h, "@media"), "no wide layout");
}

/* Section ids present in order, each once; a mask of those found. */
static unsigned check_html_sections(const char *h)
{
	const char *prev = h;
	unsigned found = 0;
	for (int k = 1; k <= 11; k++) {
		char id[96];
		snprintf(id, sizeof(id), "<section id=\"s%02d\"><h2><span>[%02d]</span>", k, k);
		const char *p = strstr(h, id);
		if (!p)
			continue;
		cr_assert_eq(count(h, id), 1, "[%02d] twice", k);
		cr_assert(p > prev, "[%02d] out of order", k);
		prev = p;
		found |= 1u << (k - 1);
	}
	return found;
}

/* s with & < > " ' escaped as the renderer does; malloc'ed. */
static char *esc(const char *s)
{
	char *o = malloc(strlen(s) * 6 + 1), *p = o;
	cr_assert(o);
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
		              : *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;
		if (e)
			p += sprintf(p, "%s", e);
		else
			*p++ = *s;
	}
	*p = '\0';
	return o;
}

Test(render, html_translation_page, .init = setup, .fini = teardown)
{
	size_t len;
	char *jd = t_read_rel("tests/data", "sample_jd.txt", &len);
	otz_record *r = tr_title(jd, len, NULL);
	char *h = render(r, OTZ_FORMAT_HTML, 1);
	/* Rules are named only when asked for. */
	cr_assert_null(strstr(h, "<div class=\"rule\">"));
	free(h);
	h = render_opts(r, OTZ_FORMAT_HTML, 1, 1);
	check_page(h, "SENIOR-GROWTH-MARKETING-MANAGER");
	cr_assert_null(strchr(h, '\x1b'), "colour is for text only");
	unsigned found = check_html_sections(h);
	cr_assert_eq(!!(found & (1u << 4)), r->nmetrics > 0);
	cr_assert_eq(!!(found & (1u << 5)), r->nweapons > 0);
	cr_assert_eq(!!(found & (1u << 3)), r->flight_risk >= 0);
	cr_assert_eq(!!(found & (1u << 10)), r->nrelated > 0);
	cr_assert(found & (1u << 7), "no [08] for a JD with hits");
	/* The figures, with their reasons. */
	char want[1024];
	snprintf(want, sizeof(want), "<p class=\"lbl\">OTIOSE INDEX</p><b>%ld<small>/100",
	         r->otiose_index.value);
	cr_assert(strstr(h, want), "%s", want);
	char *why = esc(r->otiose_index.reason);
	cr_assert(strstr(h, why), "no index reason");
	free(why);
	cr_assert(strstr(h, "<p class=\"lbl\">MARKET AVERAGE</p>"));
	why = esc(r->risk_fig.reason);
	cr_assert(strstr(h, why), "no flight-risk reason");
	free(why);
	/* [08]: every illusion highlighted, then its translation and rule. */
	cr_assert_gt(r->nautopsy, 0);
	cr_assert_eq(count(h, "<div class=\"pair\">"), r->nautopsy);
	for (size_t i = 0; i < r->nautopsy; i++) {
		const otz_autopsy *a = &r->autopsy[i];
		char *ill = esc(a->illusion), *tr = esc(a->translation);
		snprintf(want, sizeof(want), "<mark>%s</mark>", ill);
		const char *pi = strstr(h, want);
		cr_assert(pi, "illusion %zu not highlighted: %s", i, want);
		snprintf(want, sizeof(want), "<p class=\"t\">%s</p>", tr);
		const char *pt = strstr(pi, want);
		cr_assert(pt, "translation %zu not after its illusion", i);
		char *origin = otz__origin(a), *eo = esc(origin);
		snprintf(want, sizeof(want), "<div class=\"rule\">%s</div>", eo);
		const char *pr = strstr(pt, want);
		cr_assert(pr && pr < strstr(pt, "</div></div>"), "%s not in pair %zu", origin, i);
		free(origin);
		free(eo);
		/* the other sentences it stands for are highlighted before it */
		for (size_t k = 0; k < a->nmore; k++) {
			char *m = esc(a->more[k]);
			snprintf(want, sizeof(want), "<mark>%s</mark>", m);
			const char *pm = strstr(pi, want);
			cr_assert(pm && pm < pt, "more %zu of pair %zu", k, i);
			free(m);
		}
		free(ill);
		free(tr);
	}
	/* [11]: percent and evidence. */
	for (size_t i = 0; i < r->nrelated; i++) {
		snprintf(want, sizeof(want), "<div class=\"pct\">%d%%</div>", r->related[i].percent);
		cr_assert(strstr(h, want), "%s", want);
	}
	cr_assert(strstr(h, "EVIDENCE:"));
	free(h);
	otz_record_free(r);
	free(jd);
}

Test(render, html_escapes_every_text, .init = setup, .fini = teardown)
{
	static const char in[] = "Drive alignment across business units.\n"
	                         "We <b>value</b> \"rockstars\" & 'ninjas'.\n";
	static const char title[] = "<script>alert(1)</script> & \"Lead\" O'Brien";
	otz_record *r = tr_title(in, sizeof(in) - 1, title);
	char *h = render(r, OTZ_FORMAT_HTML, 0);
	check_page(h, r->slug);
	cr_assert_null(strstr(h, "<script>"));
	cr_assert_null(strstr(h, "<b>value"));
	cr_assert(strstr(h, "<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Lead&quot; "
	                    "O&#39;Brien</h1>"), "%s", h);
	cr_assert(strstr(h, "WHAT DOES A &lt;SCRIPT&gt;"), "question not escaped");
	cr_assert(strstr(h, "<mark>Drive alignment across business units.</mark>"));
	/* No raw quote or apostrophe inside any text between tags. */
	for (const char *p = strstr(h, "<body>"); p && *p; p++) {
		if (*p != '>')
			continue;
		for (p++; *p && *p != '<'; p++)
			cr_assert(*p != '"' && *p != '\'' && *p != '>', "unescaped %c in: %.60s", *p,
			          p - 20);
		p--;
	}
	free(h);
	otz_record_free(r);
}

Test(render, html_no_hits_no_autopsy, .init = setup, .fini = teardown)
{
	static const char in[] = "The office is on the third floor.\nLunch is at noon.\n";
	otz_record *r = tr_title(in, sizeof(in) - 1, "Receptionist");
	cr_assert_eq(r->nautopsy, 0, "the test JD must have no hits");
	char *h = render(r, OTZ_FORMAT_HTML, 0);
	check_page(h, "RECEPTIONIST");
	unsigned found = check_html_sections(h);
	cr_assert_eq(found & (1u << 7), 0u);
	cr_assert_null(strstr(h, "LINKEDIN ILLUSION"));
	cr_assert_null(strstr(h, "<div class=\"pair\">"));
	cr_assert_eq(!!(found & (1u << 4)), r->nmetrics > 0);
	free(h);
	otz_record_free(r);
}

Test(render, html_specimen)
{
	otz_record *r = parse_seed();
	char *h = render(r, OTZ_FORMAT_HTML, 0);
	check_page(h, "LEAD-AI-HUMAN-IN-THE-LOOP-INTEGRATION-SPECIALIST");
	cr_assert_eq(check_html_sections(h), 0x7ffu);
	cr_assert(strstr(h, "<b>$205,000</b>"));
	cr_assert(strstr(h, "<b>85%<small>HIGH RISK</small></b>"), "%s", h);
	cr_assert(strstr(h, "<div class=\"pct\">98%</div>"));
	cr_assert(strstr(h, "<strong>Lead Backend Data Procurement Analyst</strong>"));
	cr_assert(strstr(h, "using the [website] platform."));
	cr_assert(strstr(h, "<li>Data Annotation Program Lead</li>"));
	cr_assert(strstr(h, "LINKEDIN ILLUSION [SOURCE REDACTED]"));
	cr_assert_null(strstr(h, "OTIOSE INDEX"), "a specimen has no index");
	free(h);
	otz_record_free(r);
}
