/*
 * test_segment.c - otz_segment_text: sentences and list items of normalized
 * text, with trimmed spans, kinds and line-start flags.
 *
 * Inputs are written as otz_normalize would produce them (lower case, one
 * "\n" between lines, "- " for bullets); the expected segments follow the
 * rules in engine/segment.c's opening paragraph.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "include/otz.h"
#include "internal.h"

typedef struct want_seg {
	const char *text;
	otz_seg_kind kind;
	int line_start;
} want_seg;

static void check_segs(const char *t, const want_seg *want, size_t nwant)
{
	otz_segment *v = NULL;
	size_t n = 99;
	otz_error err = {0, ""};
	int rc = otz_segment_text(&v, &n, t, strlen(t), &err);
	cr_assert_eq(rc, 0, "segment(\"%s\"): %d %s", t, rc, err.msg);
	cr_expect_eq(n, nwant, "segment(\"%s\"): %zu segments, want %zu", t, n, nwant);
	size_t upto = 0;
	for (size_t i = 0; i < n && i < nwant; i++) {
		const otz_segment *s = &v[i];
		cr_assert_leq(s->start, s->end);
		cr_assert_leq(s->end, strlen(t));
		size_t len = s->end - s->start;
		cr_expect(len == strlen(want[i].text) && memcmp(t + s->start, want[i].text, len) == 0,
		          "segment %zu of \"%s\" is \"%.*s\", want \"%s\"", i, t, (int)len,
		          t + s->start, want[i].text);
		cr_expect_eq(s->kind, want[i].kind, "segment %zu (\"%s\") kind", i, want[i].text);
		cr_expect_eq(s->line_start, want[i].line_start, "segment %zu (\"%s\") line_start", i,
		             want[i].text);
		/* segments are in text order and do not overlap */
		cr_expect_geq(s->start, upto, "segment %zu overlaps the previous", i);
		upto = s->end;
	}
	free(v);
}

#define CHECK(t, ...)                                                        \
	do {                                                                 \
		static const want_seg w_[] = {__VA_ARGS__};                  \
		check_segs(t, w_, sizeof(w_) / sizeof(w_[0]));               \
	} while (0)

#define S OTZ_SEG_SENTENCE
#define I OTZ_SEG_ITEM

Test(segment, sentences_split_at_stops)
{
	CHECK("we build things. you ship them! why? because.",
	      {"we build things.", S, 1}, {"you ship them!", S, 0}, {"why?", S, 0},
	      {"because.", S, 0});
	/* no space after the stop: no split */
	CHECK("see acme.com/jobs for more", {"see acme.com/jobs for more", S, 1});
	/* repeated stops and closing quotes stay with their sentence */
	CHECK("wow!! really?! yes.", {"wow!!", S, 1}, {"really?!", S, 0}, {"yes.", S, 0});
	CHECK("he said \"go.\" then left.", {"he said \"go.\"", S, 1}, {"then left.", S, 0});
	CHECK("(see below.) next", {"(see below.)", S, 1}, {"next", S, 0});
}

Test(segment, exact_offsets)
{
	const char *t = "first one. second one.\nthird";
	otz_segment *v = NULL;
	size_t n = 0;
	cr_assert_eq(otz_segment_text(&v, &n, t, strlen(t), NULL), 0);
	cr_assert_eq(n, 3);
	cr_expect_eq(v[0].start, 0);
	cr_expect_eq(v[0].end, 10);
	cr_expect_eq(v[1].start, 11);
	cr_expect_eq(v[1].end, 22);
	cr_expect_eq(v[2].start, 23);
	cr_expect_eq(v[2].end, 28);
	free(v);
}

Test(segment, abbreviations_do_not_split)
{
	CHECK("use tools, e.g. jira and confluence. then rest.",
	      {"use tools, e.g. jira and confluence.", S, 1}, {"then rest.", S, 0});
	CHECK("one thing, i.e. this one. done.", {"one thing, i.e. this one.", S, 1},
	      {"done.", S, 0});
	CHECK("docs, decks, etc. all day. sigh.", {"docs, decks, etc. all day.", S, 1},
	      {"sigh.", S, 0});
	CHECK("acme inc. is great. next one.", {"acme inc. is great.", S, 1},
	      {"next one.", S, 0});
	CHECK("python vs. go debates. ok.", {"python vs. go debates.", S, 1}, {"ok.", S, 0});
	/* a single letter (an initial) is not a sentence end either */
	CHECK("john f. kennedy spoke. end.", {"john f. kennedy spoke.", S, 1}, {"end.", S, 0});
	CHECK("a language (eg. pandas, r); more. end.", {"a language (eg. pandas, r); more.", S, 1},
	      {"end.", S, 0});
	/* an abbreviation closing a bracket ends nothing either */
	CHECK("static (c, java, etc.) as well as dynamic languages. ok.",
	      {"static (c, java, etc.) as well as dynamic languages.", S, 1}, {"ok.", S, 0});
	/* a real word closing a bracket does */
	CHECK("we ship (daily.) then rest.", {"we ship (daily.)", S, 1}, {"then rest.", S, 0});
	/* a real word that happens to end a sentence still splits */
	CHECK("we ship inc features. yes.", {"we ship inc features.", S, 1}, {"yes.", S, 0});
}

Test(segment, decimals_do_not_split)
{
	CHECK("revenue grew 3.5 times. done.", {"revenue grew 3.5 times.", S, 1},
	      {"done.", S, 0});
	CHECK("version 2.0.1 ships. ok", {"version 2.0.1 ships.", S, 1}, {"ok", S, 0});
}

Test(segment, list_items)
{
	const char *t = "- first item\n* second item\n1. third item\n2) fourth item\n+ fifth";
	CHECK(t, {"first item", I, 1}, {"second item", I, 1}, {"third item", I, 1},
	      {"fourth item", I, 1}, {"fifth", I, 1});
	/* the marker is outside the span */
	otz_segment *v = NULL;
	size_t n = 0;
	cr_assert_eq(otz_segment_text(&v, &n, t, strlen(t), NULL), 0);
	cr_assert_eq(n, 5);
	cr_expect_eq(v[0].start, 2);  /* after "- " */
	cr_expect_eq(v[0].end, 12);
	cr_expect_eq(v[2].start, 30); /* after "1. " at 27 */
	cr_expect_eq(v[3].start, 44); /* after "2) " at 41 */
	free(v);
	/* an item with two sentences: both are items, only the first starts
	 * the line */
	CHECK("- do this. then that.", {"do this.", I, 1}, {"then that.", I, 0});
	/* "12. " is a marker; "-x" and "1.5" are not */
	CHECK("12. twelfth\n-x not a marker\n1.5 million users",
	      {"twelfth", I, 1}, {"-x not a marker", S, 1}, {"1.5 million users", S, 1});
}

Test(segment, spans_trimmed)
{
	CHECK("   hello world.   next.  ", {"hello world.", S, 1}, {"next.", S, 0});
	CHECK("-   spaced item  ", {"spaced item", I, 1});
}

Test(segment, no_alnum_segments_dropped)
{
	CHECK("---\n...\nok", {"ok", S, 1});
	CHECK("- !!!\n- real", {"real", I, 1});
	otz_segment *v = NULL;
	size_t n = 42;
	cr_assert_eq(otz_segment_text(&v, &n, "!!! ??? ...", 11, NULL), 0);
	cr_expect_eq(n, 0, "punctuation only: %zu segments", n);
	free(v);
}

Test(segment, non_ascii_symbols_without_letters_dropped)
{
	/* A euro sign or a section sign is neither a letter nor a digit. */
	CHECK("- \xe2\x82\xac\n\xc2\xa7\nreal", {"real", S, 1});
}

Test(segment, empty_text)
{
	otz_segment *v = NULL;
	size_t n = 42;
	cr_assert_eq(otz_segment_text(&v, &n, "", 0, NULL), 0);
	cr_expect_eq(n, 0);
	free(v);
	n = 42;
	cr_assert_eq(otz_segment_text(&v, &n, "\n\n \n", 4, NULL), 0);
	cr_expect_eq(n, 0);
	free(v);
}

Test(segment, line_start_flags)
{
	CHECK("first one. second one.\nthird.\n- item one. item two.",
	      {"first one.", S, 1}, {"second one.", S, 0}, {"third.", S, 1},
	      {"item one.", I, 1}, {"item two.", I, 0});
}

Test(segment, non_ascii_text)
{
	/* multi-byte letters count as letters; offsets are bytes */
	CHECK("caf\xc3\xa9 \xc3\xa0 la carte. \xc3\xa9t\xc3\xa9.",
	      {"caf\xc3\xa9 \xc3\xa0 la carte.", S, 1}, {"\xc3\xa9t\xc3\xa9.", S, 0});
	CHECK("- \xe2\x82\xac 100", {"\xe2\x82\xac 100", I, 1});
}

/* The org flag of each segment of t, in order, as a string of '0'/'1'. */
static void org_flags(const char *t, char *out, size_t cap)
{
	otz_segment *v = NULL;
	size_t n = 0;
	otz_error err = {0, ""};
	cr_assert_eq(otz_segment_text(&v, &n, t, strlen(t), &err), 0);
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++)
		out[k++] = v[i].org ? '1' : '0';
	out[k] = '\0';
	free(v);
}

Test(segment, about_us_heading_marks_its_sentences_until_the_next_heading)
{
	char f[32];
	org_flags("about us\nacme is the leader in big data. we build streaming pipelines.\n"
	          "- 500 employees\nabout the role\nbuild streaming pipelines with kafka.\n",
	          f, sizeof(f));
	/* heading, two sentences, an item: the company; "about the role" and
	 * what follows: the role. */
	cr_expect_str_eq(f, "111100");
	org_flags("about acme health:\nwe serve hospitals.\nresponsibilities:\nserve hospitals.\n", f,
	          sizeof(f));
	cr_expect_str_eq(f, "1100");
}

Test(segment, headings_about_the_hire_are_not_the_company)
{
	char f[32];
	org_flags("who you are\nexperience in statistical modeling.\n", f, sizeof(f));
	cr_expect_str_eq(f, "00");
	org_flags("who we want\nexperience in statistical modeling.\n", f, sizeof(f));
	cr_expect_str_eq(f, "00");
	org_flags("who we are\nwe make payroll software.\n", f, sizeof(f));
	cr_expect_str_eq(f, "11");
	/* A long heading ending in a colon closes an about section. */
	org_flags("about bill.com\nwe build payments software.\n"
	          "professional experience/background to be successful in this role:\n"
	          "experience with implementation of machine learning models\n",
	          f, sizeof(f));
	cr_expect_str_eq(f, "1100");
}

Test(segment, a_company_describing_itself_is_marked_unless_it_names_the_hire)
{
	char f[32];
	org_flags("we are a leading provider of account-based marketing software.", f, sizeof(f));
	cr_expect_str_eq(f, "1");
	org_flags("demandbase is the leader in account-based marketing.", f, sizeof(f));
	cr_expect_str_eq(f, "1");
	org_flags("our clients rely on our machine learning platform.", f, sizeof(f));
	cr_expect_str_eq(f, "1");
	org_flags("founded in 2012, smartnews serves millions of users.", f, sizeof(f));
	cr_expect_str_eq(f, "1");
	org_flags("maven wave's digital solutions are agile and built in the cloud.", f, sizeof(f));
	cr_expect_str_eq(f, "1");
	/* The hire is named: the role. */
	org_flags("we are looking for a data engineer to build big data pipelines.", f, sizeof(f));
	cr_expect_str_eq(f, "0");
	org_flags("we are a small team and you will own the warehouse.", f, sizeof(f));
	cr_expect_str_eq(f, "0");
	/* Not a company: "python is a must", "our team uses spark". */
	org_flags("python is a must. our team uses spark daily.", f, sizeof(f));
	cr_expect_str_eq(f, "00");
	/* Each text, and its segments' marks. */
	static const struct {
		const char *text, *flags;
	} cases[] = {
		/* a name and a verb of what companies do is the company... */
		{"clearwater helps thousands of organizations make the most of their data.", "1"},
		{"intrado, formerly west, develops cloud-based technology.", "1"},
		/* ...but a duty that opens with its verbs, the role's side, or a
		 * noun that only looks like the verb is not */
		{"designs and develops scalable etl packages. seeks and develops new partners.", "00"},
		{"iteratively delivers features. the data team builds pipelines.", "00"},
		{"drive pilot builds and fix what they find. source new data partners, then more.", "00"},
		{"work with partners in marketing.", "0"},
		/* a title looks like a name once case-folded: "the paralegal" is
		 * the role, and a list item is a duty */
		{"the paralegal provides support to attorneys.\n- paralegal provides support", "00"},
		/* a sentence going on about the company in its paragraph is the
		 * company's too; on a line of its own, or naming the hire, it is
		 * not */
		{"our software helps dealers sell. its engine ensures higher conversion rates.", "11"},
		{"our software helps dealers sell.\nit is a great place to work.", "10"},
		{"our software helps dealers sell. it needs you to own the models.", "10"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		org_flags(cases[i].text, f, sizeof(f));
		cr_expect_str_eq(f, cases[i].flags, "%s", cases[i].text);
	}
}
