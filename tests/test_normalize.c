/*
 * test_normalize.c - otz_normalize: Unicode, punctuation, bullets, HTML
 * residue, whitespace, invalid UTF-8 and the offset map back to the input.
 *
 * Expectations come from the contract in engine/normalize.c's opening
 * paragraph (NFKC_Casefold through utf8proc, ignorables dropped, quotes,
 * dashes and spaces lumped, bullets as "\n- " items, whitespace runs
 * collapsed) worked out by hand for each input.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "include/otz.h"
#include "internal.h"
/* The table the normalizer decodes named references with (Makefile). */
#include "entities.h"

/* Normalize a NUL-terminated input with the given casefold setting and
 * compare the whole output. */
static void check_norm_opt(const char *in, const char *want, int casefold)
{
	otz_text t;
	otz_error err = {0, ""};
	otz_norm_options o = OTZ_NORM_OPTIONS_INIT;
	o.casefold = casefold;
	int rc = otz_normalize(&t, in, strlen(in), &o, &err);
	cr_assert_eq(rc, 0, "normalize(\"%s\") failed: %d %s", in, rc, err.msg);
	cr_expect_eq(t.len, strlen(want), "normalize(\"%s\"): len %zu, want %zu (\"%s\" vs \"%s\")",
	             in, t.len, strlen(want), t.s, want);
	cr_expect_str_eq(t.s, want, "normalize(\"%s\")", in);
	cr_expect_eq(t.s[t.len], '\0');
	cr_expect_eq(t.replaced, 0);
	otz_text_dispose(&t);
}

static void check_norm(const char *in, const char *want)
{
	check_norm_opt(in, want, 1);
}

Test(normalize, ascii_lowercase)
{
	check_norm("Hello WORLD", "hello world");
	check_norm("Senior C++ Engineer (M/F/D) #1", "senior c++ engineer (m/f/d) #1");
	check_norm("ABCXYZ abcxyz 0123456789", "abcxyz abcxyz 0123456789");
}

Test(normalize, nfkc_ligature_fullwidth_and_composition)
{
	/* U+FB01 LATIN SMALL LIGATURE FI */
	check_norm("\xef\xac\x81nance", "finance");
	/* full-width ＡＢＣ */
	check_norm("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc");
	/* e + U+0301 COMBINING ACUTE composes to U+00E9 */
	check_norm("cafe\xcc\x81", "caf\xc3\xa9");
	check_norm("e\xcc\x81", "\xc3\xa9");
	/* decomposed capital E + acute: composed and folded to é */
	check_norm("E\xcc\x81t\xc3\xa9", "\xc3\xa9t\xc3\xa9");
	/* superscript two is a compatibility character: NFKC gives "2" */
	check_norm("m\xc2\xb2", "m2");
}

Test(normalize, case_folding)
{
	check_norm("Stra\xc3\x9f" "e", "strasse");
	check_norm("\xc3\x89QUIPE", "\xc3\xa9quipe"); /* ÉQUIPE */
	check_norm("\xce\xa3\xce\x9f\xce\xa6\xce\x99\xce\x91", /* ΣΟΦΙΑ */
	           "\xcf\x83\xce\xbf\xcf\x86\xce\xb9\xce\xb1");
}

Test(normalize, default_ignorables_dropped)
{
	check_norm("a\xe2\x80\x8d" "b", "ab");               /* ZWJ U+200D */
	check_norm("\xef\xbb\xbfhello", "hello");             /* BOM U+FEFF */
	check_norm("co\xc2\xad" "operate", "cooperate");      /* soft hyphen U+00AD */
	check_norm("zero\xe2\x80\x8bwidth", "zerowidth");    /* ZWSP U+200B */
}

Test(normalize, quotes_dashes_ellipsis_nbsp)
{
	check_norm("\xe2\x80\x9cSmart\xe2\x80\x9d", "\"smart\"");     /* “ ” */
	check_norm("it\xe2\x80\x99s \xe2\x80\x98ok\xe2\x80\x99", "it's 'ok'"); /* ’ ‘ */
	check_norm("9\xe2\x80\x93" "5", "9-5");                    /* en dash */
	check_norm("yes\xe2\x80\x94no", "yes-no");                 /* em dash */
	check_norm("wait\xe2\x80\xa6", "wait...");                  /* … */
	check_norm("a\xc2\xa0" "b", "a b");                         /* NBSP */
	check_norm("a\xc2\xa0\xc2\xa0 b", "a b");                   /* NBSP run + space */
}

Test(normalize, bullets_become_list_lines)
{
	check_norm("\xe2\x80\xa2 one\n\xe2\x80\xa2 two", "- one\n- two");         /* • */
	check_norm("Skills: \xe2\x80\xa2 Python \xe2\x80\xa2 SQL",
	           "skills:\n- python\n- sql");
	check_norm("\xe2\x96\xaa first", "- first");                               /* ▪ */
	check_norm("intro\n\xe2\x9e\xa4 arrow item", "intro\n- arrow item");      /* ➤ */
	check_norm("\xe2\x9c\x85 Done", "- done");                                 /* ✅ */
	check_norm("Perks:\n\xf0\x9f\x9a\x80 Rocket growth", "perks:\n- rocket growth"); /* 🚀 */
}

Test(normalize, trailing_emoji_is_no_item)
{
	/* An emoji at the end of a line is decoration, not an empty item. */
	check_norm("Apply now \xf0\x9f\x9a\x80\nWe hire", "apply now\nwe hire");
	check_norm("Apply now \xf0\x9f\x9a\x80", "apply now");
	check_norm("Great team \xe2\x9c\x85\n\xe2\x9c\x85 Real item",
	           "great team\n- real item");
}

Test(normalize, html_tags)
{
	check_norm("<p>Hello</p><p>World</p>", "hello\nworld");
	check_norm("line one<br>line two<br/>three", "line one\nline two\nthree");
	check_norm("<ul><li>One</li><li>Two</li></ul>", "- one\n- two");
	check_norm("Intro<ul><li>One</li></ul>Outro", "intro\n- one\noutro");
	check_norm("<b>Bold</b> move, <i>it</i>alic", "bold move, italic");
	check_norm("<div class=\"x > y\">Quoted</div>", "quoted");
	check_norm("<!-- a comment -->text", "text");
}

Test(normalize, html_lookalikes_kept_as_text)
{
	check_norm("a < b", "a < b");
	check_norm("<5 years of experience", "<5 years of experience");
	check_norm("if x<y then", "if x<y then"); /* no closing '>': no tag */
	check_norm("salary <120k", "salary <120k");
	check_norm("AT&T & Co", "at&t & co");
}

Test(normalize, html_entities)
{
	check_norm("R&amp;D", "r&d");
	check_norm("a&nbsp;b", "a b");
	check_norm("don&#8217;t", "don't");
	check_norm("x&#x2014;y", "x-y");
	check_norm("it&rsquo;s", "it's");
	check_norm("&lt;tag&gt;", "<tag>");
	check_norm("&quot;q&quot;", "\"q\"");
	check_norm("&unknown; &amp", "&unknown; &amp"); /* not entities: left alone */
}

/* Every named reference of HTML5 (from the table generated at build time),
 * not the few that were typed in before: "&hearts;", "&rsaquo;" and
 * "&excl;" were left as written. */
Test(normalize, html5_named_entities)
{
	check_norm_opt("It works&excl;", "It works!", 0);
	check_norm_opt("Careers &rsaquo; Acme", "Careers > Acme", 0); /* lumped, as a pasted one is */
	check_norm_opt("x &Fscr; y", "x F y", 0);       /* NFKC of U+2131 */
	check_norm_opt("&Aacute;&aacute;", "\xc3\x81\xc3\xa1", 0); /* names are case-sensitive */
	check_norm_opt("&AACUTE; &Hearts;", "&AACUTE; &Hearts;", 0);
	/* two code points: U+2242 and a combining long solidus */
	check_norm_opt("a&NotEqualTilde;b", "a\xe2\x89\x82\xcc\xb8" "b", 0);
	check_norm_opt("&CounterClockwiseContourIntegral;", "\xe2\x88\xb3", 0); /* the longest */
	check_norm_opt("&CounterClockwiseContourIntegralX;", "&CounterClockwiseContourIntegralX;", 0);
	/* U+2665 is a bullet to the normalizer, as a pasted heart is: decoded,
	 * it makes the list item a literal one would. */
	check_norm("&hearts; Unlimited PTO", "- unlimited pto");
	check_norm("Perks\n&hearts; Snacks", "perks\n- snacks");
	check_norm("Perks\n\xe2\x99\xa5 Snacks", "perks\n- snacks");
	cr_assert_eq(OTZ_ENTITY_COUNT, 2125, "HTML5 names 2125 references with a ';'");
}

/* Each of the 2125 references normalizes exactly as its characters do. */
Test(normalize, every_html5_entity_reads_as_its_characters)
{
	char a[64], b[64];
	otz_norm_options o = OTZ_NORM_OPTIONS_INIT;
	o.casefold = 0;
	for (size_t i = 0; i < OTZ_ENTITY_COUNT; i++) {
		const struct otz_entity *e = &otz_entities[i];
		snprintf(a, sizeof(a), "x&%s;y", e->name);
		size_t bl = 1;
		b[0] = 'x';
		for (int k = 0; k < 2 && e->cp[k]; k++)
			bl += (size_t)utf8proc_encode_char(e->cp[k], (utf8proc_uint8_t *)b + bl);
		b[bl++] = 'y';
		otz_text ta, tb;
		otz_error err = {0, ""};
		cr_assert_eq(otz_normalize(&ta, a, strlen(a), &o, &err), 0, "%s", err.msg);
		cr_assert_eq(otz_normalize(&tb, b, bl, &o, &err), 0, "%s", err.msg);
		/* &NewLine; is a break someone wrote, not a wrapped line: it is
		 * kept where a literal "\n" between two letters would join them. */
		if (e->cp[0] != '\n')
			cr_expect(ta.len == tb.len && memcmp(ta.s, tb.s, ta.len) == 0,
			          "&%s; gave '%s', not '%s'", e->name, ta.s, tb.s);
		else
			cr_expect_str_eq(ta.s, "x\ny");
		cr_expect_null(strstr(ta.s, e->name), "&%s; was left as written", e->name);
		otz_text_dispose(&ta);
		otz_text_dispose(&tb);
	}
}

/* Numeric references to U+0080..U+009F mean the Windows-1252 character,
 * as in a browser: "&#146;" is an apostrophe, not a control to drop. */
Test(normalize, numeric_entities_in_the_c1_range_are_windows_1252)
{
	check_norm("It&#146;s a &#150; test &#147;q&#148;", "it's a - test \"q\"");
	check_norm_opt("&#128;5&#x99;", "\xe2\x82\xac" "5TM", 0);
	check_norm("a&#129;b", "ab"); /* no character there: a control, dropped */
	check_norm("&#0;&#xD800;&#x110000;", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

/* [DoS] 200,000 references that never end, of the longest length the
 * table knows, and as many real ones, are read in linear time. */
Test(normalize, many_entities_stay_linear)
{
	const char *units[] = {"&CounterClockwiseContourIntegra ", "&hearts;", "&#x1F600"};
	for (size_t u = 0; u < 3; u++) {
		size_t ul = strlen(units[u]), n = 200000;
		char *in = malloc(n * ul + 1);
		cr_assert_not_null(in);
		for (size_t i = 0; i < n; i++)
			memcpy(in + i * ul, units[u], ul);
		in[n * ul] = '\0';
		otz_text t;
		otz_error err = {0, ""};
		otz_norm_options o = OTZ_NORM_OPTIONS_INIT;
		clock_t c0 = clock();
		cr_assert_eq(otz_normalize(&t, in, n * ul, &o, &err), 0, "%s", err.msg);
		double s = (double)(clock() - c0) / CLOCKS_PER_SEC;
		cr_expect_lt(s, 5.0, "%s x %zu: %.2f s", units[u], n, s);
		otz_text_dispose(&t);
		free(in);
	}
}

Test(normalize, the_page_title_is_not_the_posting)
{
	/* the site's name in <title> goes; the posting's heading stays first */
	check_norm("<html><head><title>Careers | Acme</title></head><body><h1>Growth Lead</h1>"
	           "<p>Own the funnel.</p></body></html>",
	           "growth lead\nown the funnel.");
	/* a title never closed is only a tag: the text after it is kept */
	check_norm("Analyst <title> wanted", "analyst\nwanted");
	/* and many of them stay linear: the search for the end is made once */
	size_t n = 200000;
	char *in = malloc(n * 7 + 8);
	cr_assert_not_null(in);
	for (size_t i = 0; i < n; i++)
		memcpy(in + i * 7, "<title>", 7);
	memcpy(in + n * 7, "Analyst", 8);
	otz_text t;
	otz_error err = {0, ""};
	otz_norm_options o = OTZ_NORM_OPTIONS_INIT;
	cr_assert_eq(otz_normalize(&t, in, strlen(in), &o, &err), 0, "%s", err.msg);
	cr_expect(t.len >= 7 && memcmp(t.s + t.len - 7, "analyst", 7) == 0);
	otz_text_dispose(&t);
	free(in);
}

Test(normalize, script_and_style_removed)
{
	check_norm("<script>var x = 1 < 2;</script>Hello<style>p{color:red}</style> world",
	           "hello world");
	check_norm("<SCRIPT type=\"text/javascript\">alert('hi')</SCRIPT>Text", "text");
	check_norm("Before<script>never closed", "before");
}

Test(normalize, whitespace_collapse)
{
	check_norm("  a \t b\n\n  c  ", "a b\nc");
	/* a line wrapped mid-sentence joins the next; a sentence's end, a
	 * capital, a blank line or a bullet does not */
	check_norm("a \n b", "a b");
	check_norm("a\r\nb", "a b");
	check_norm("models and\nquantitative methods", "models and quantitative methods");
	check_norm("python,\nsql", "python, sql");
	check_norm("a.\nb", "a.\nb");
	check_norm("a\nB", "a\nb");
	check_norm("a\n\nb", "a\nb");
	check_norm("a\n- b", "a\n- b");
	check_norm("a:\nb", "a:\nb");
	check_norm("a\t\t\tb", "a b");
	check_norm("\n\n\nx\n\n\n", "x");
	check_norm(" \t\n ", "");
	check_norm("a\xe2\x80\xa8" "b", "a\nb"); /* U+2028 LINE SEPARATOR */
	check_norm("a\xe2\x80\x83" "b", "a b");  /* U+2003 EM SPACE */
}

Test(normalize, casefold_off_keeps_case)
{
	check_norm_opt("Hello \xef\xbc\xb7\xef\xbc\xaf\xef\xbc\xb2\xef\xbc\xac\xef\xbc\xa4 Stra\xc3\x9f" "e",
	               "Hello WORLD Stra\xc3\x9f" "e", 0);
	check_norm_opt("\xe2\x80\x9cNINJA\xe2\x80\x9d \xe2\x80\x94 Caf\x65\xcc\x81",
	               "\"NINJA\" - Caf\xc3\xa9", 0);
}

Test(normalize, empty_input)
{
	check_norm("", "");
}

/* An invalid sequence fails with OTZ_EUTF8 and names its byte offset. */
static void check_bad_utf8(const char *in, size_t len, size_t off, unsigned byte)
{
	otz_text t;
	otz_error err = {0, ""};
	otz_norm_options o = OTZ_NORM_OPTIONS_INIT;
	int rc = otz_normalize(&t, in, len, &o, &err);
	cr_assert_eq(rc, OTZ_EUTF8, "rc %d for invalid UTF-8 at %zu", rc, off);
	cr_expect_eq(err.code, OTZ_EUTF8);
	char want[64];
	snprintf(want, sizeof(want), "invalid UTF-8 at byte %zu (0x%02x)", off, byte);
	cr_expect_str_eq(err.msg, want);
	cr_expect_null(t.s);
	otz_text_dispose(&t);
}

Test(normalize, invalid_utf8_reports_offset)
{
	check_bad_utf8("ab\xc0\x80" "cd", 6, 2, 0xc0);       /* overlong NUL */
	check_bad_utf8("abc\xed\xa0\x80", 6, 3, 0xed);       /* surrogate U+D800 */
	check_bad_utf8("x\xe2\x82", 3, 1, 0xe2);             /* truncated at end */
	check_bad_utf8("\xe2\x82z", 3, 0, 0xe2);             /* truncated before ASCII */
	check_bad_utf8("\x80" "abc", 4, 0, 0x80);            /* lone continuation */
	check_bad_utf8("caf\xc3\xa9 ok \x80", 10, 9, 0x80);   /* after valid non-ASCII */
	check_bad_utf8("\xf8\x88\x80\x80\x80", 5, 0, 0xf8);  /* 5-byte form */
}

Test(normalize, lossy_replaces_and_counts)
{
	otz_text t;
	otz_error err = {0, ""};
	otz_norm_options o = OTZ_NORM_OPTIONS_INIT;
	o.lossy = 1;

	/* Lone continuation byte: one U+FFFD covering exactly that byte. */
	const char *in1 = "A\x80" "b";
	cr_assert_eq(otz_normalize(&t, in1, 3, &o, &err), 0, "%s", err.msg);
	cr_expect_str_eq(t.s, "a\xef\xbf\xbd" "b");
	cr_expect_eq(t.replaced, 1);
	cr_assert_eq(t.len, 5);
	for (size_t i = 1; i < 4; i++) {
		cr_expect_eq(t.src_start[i], 1);
		cr_expect_eq(t.src_end[i], 2);
	}
	otz_text_dispose(&t);

	/* Overlong C0 80: neither byte starts a valid sequence, two
	 * replacements. */
	cr_assert_eq(otz_normalize(&t, "a\xc0\x80" "b", 4, &o, &err), 0, "%s", err.msg);
	cr_expect_str_eq(t.s, "a\xef\xbf\xbd\xef\xbf\xbd" "b");
	cr_expect_eq(t.replaced, 2);
	otz_text_dispose(&t);

	/* Surrogate ED A0 80: three replacements (ED cannot be followed by
	 * A0, and A0, 80 are lone continuations). */
	cr_assert_eq(otz_normalize(&t, "\xed\xa0\x80!", 4, &o, &err), 0, "%s", err.msg);
	cr_expect_str_eq(t.s, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!");
	cr_expect_eq(t.replaced, 3);
	otz_text_dispose(&t);

	/* Valid text is untouched in lossy mode. */
	cr_assert_eq(otz_normalize(&t, "Stra\xc3\x9f" "e", 7, &o, &err), 0);
	cr_expect_str_eq(t.s, "strasse");
	cr_expect_eq(t.replaced, 0);
	otz_text_dispose(&t);
}

/* Every byte of the output maps into the input, in order start <= end. */
static void check_map_bounds(const char *in, size_t len)
{
	otz_text t;
	otz_error err = {0, ""};
	otz_norm_options o = OTZ_NORM_OPTIONS_INIT;
	o.lossy = 1;
	cr_assert_eq(otz_normalize(&t, in, len, &o, &err), 0, "%s", err.msg);
	for (size_t i = 0; i < t.len; i++) {
		cr_assert_leq(t.src_start[i], t.src_end[i], "byte %zu of \"%s\": %u > %u", i, t.s,
		              t.src_start[i], t.src_end[i]);
		cr_assert_leq(t.src_end[i], len, "byte %zu of \"%s\": end %u > len %zu", i, t.s,
		              t.src_end[i], len);
	}
	otz_text_dispose(&t);
}

Test(normalize, offset_map_bounds)
{
	static const char *inputs[] = {
		"  Hello   World \n\n next",
		"<p>We &ldquo;align&rdquo; with <b>Stakeholders</b> daily.</p>",
		"\xe2\x80\xa2 one\n\xe2\x80\xa2 two \xf0\x9f\x9a\x80",
		"\xef\xac\x81nance Stra\xc3\x9f" "e cafe\xcc\x81 \xef\xbc\xa1\xef\xbc\xa2",
		"<ul><li>A</li><li>B&amp;C</li></ul>\r\n\t",
		"x\x80y\xc0\x80z\xe2\x82",
		"a\xc2\xa0" "b\xe2\x80\x94" "c\xe2\x80\xa6 \xef\xbb\xbf",
		"e\xcc\x81\xcc\x81\xcc\x81\xcc\x81 done",
	};
	for (size_t k = 0; k < sizeof(inputs) / sizeof(inputs[0]); k++)
		check_map_bounds(inputs[k], strlen(inputs[k]));
}

/* The original bytes of a word found in the normalized text are that word
 * as it was written. */
static void check_span(const char *in, const char *needle, const char *orig)
{
	otz_text t;
	otz_error err = {0, ""};
	cr_assert_eq(otz_normalize(&t, in, strlen(in), NULL, &err), 0, "%s", err.msg);
	const char *p = strstr(t.s, needle);
	cr_assert_not_null(p, "\"%s\" not in \"%s\"", needle, t.s);
	size_t s = (size_t)(p - t.s);
	otz_span sp = otz__src_span(&t, s, s + strlen(needle));
	size_t want_start = (size_t)(strstr(in, orig) - in);
	cr_expect_eq(sp.start, want_start, "\"%s\": start %zu, want %zu", needle, sp.start,
	             want_start);
	cr_expect_eq(sp.end, want_start + strlen(orig), "\"%s\": end %zu, want %zu", needle, sp.end,
	             want_start + strlen(orig));
	otz_text_dispose(&t);
}

Test(normalize, offset_map_quotes_original_words)
{
	const char *in = "<p>We &ldquo;align&rdquo; with \xe2\x80\x98key\xe2\x80\x99 "
	                 "<b>Stakeholders</b> daily.</p>";
	check_span(in, "stakeholders", "Stakeholders");
	check_span(in, "align", "align");
	/* the whole quoted word, with its entity quotes */
	check_span(in, "\"align\"", "&ldquo;align&rdquo;");
	check_span(in, "'key'", "\xe2\x80\x98key\xe2\x80\x99");
	check_span("Caf\xc3\xa9 \xe2\x80\xa2 Stra\xc3\x9f" "e rules", "strasse", "Stra\xc3\x9f" "e");
	check_span("Join \xef\xac\x81nance now", "finance", "\xef\xac\x81nance");
	check_span("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3 Corp", "abc",
	           "\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3");
	check_span("We need a NINJA.", "ninja", "NINJA");
	check_span("Soft co\xc2\xad" "operation", "cooperation", "co\xc2\xad" "operation");
}

Test(normalize, src_span_edges)
{
	otz_text t;
	cr_assert_eq(otz_normalize(&t, "  Abc  ", 7, NULL, NULL), 0);
	cr_assert_str_eq(t.s, "abc");
	otz_span sp = otz__src_span(&t, 0, 3);
	cr_expect_eq(sp.start, 2);
	cr_expect_eq(sp.end, 5);
	sp = otz__src_span(&t, 2, 2); /* empty range */
	cr_expect_eq(sp.start, 0);
	cr_expect_eq(sp.end, 0);
	sp = otz__src_span(&t, 1, 99); /* clipped to the text */
	cr_expect_eq(sp.start, 3);
	cr_expect_eq(sp.end, 5);
	otz_text_dispose(&t);
}

Test(normalize, looks_binary)
{
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	                          "\x02\x00\x3e\x00";
	static const char png[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00";
	const char *text = "Senior Engineer\r\n\tWe build things.\f\n";
	cr_expect_eq(otz_looks_binary(elf, sizeof(elf) - 1), 1);
	cr_expect_eq(otz_looks_binary(png, sizeof(png) - 1), 1);
	cr_expect_eq(otz_looks_binary(text, strlen(text)), 0);
	cr_expect_eq(otz_looks_binary("", 0), 0);
	/* no NUL, but mostly control bytes */
	char ctl[40];
	memset(ctl, 0x01, sizeof(ctl));
	memcpy(ctl, "abcd", 4);
	cr_expect_eq(otz_looks_binary(ctl, sizeof(ctl)), 1);
	/* one control byte in 40 is still text */
	char one[41];
	memset(one, 'x', 40);
	one[20] = 0x1b;
	cr_expect_eq(otz_looks_binary(one, 40), 0);
	/* UTF-8 text with high bytes is not binary */
	const char *u = "Stra\xc3\x9f" "e \xe2\x80\xa2 caf\xc3\xa9";
	cr_expect_eq(otz_looks_binary(u, strlen(u)), 0);
}

/* ---- the ASCII fast path against a reference ------------------------- */

/* The documented result for plain ASCII without '<' or '&': lower-cased,
 * each whitespace run one space, or one "\n" if it holds a line break, and
 * none at either end. */
static size_t reference(const char *in, size_t len, char *out)
{
	size_t n = 0;
	int pend = 0; /* 0 none, 1 space, 2 line */
	int breaks = 0; /* "\n"s since the last visible byte */
	char prev = 0;  /* the last visible byte, as written */
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (c == ' ' || c == '\t') {
			if (pend < 1)
				pend = 1;
			continue;
		}
		if (c == '\n' || c == '\r') {
			pend = 2;
			breaks += c == '\n';
			continue;
		}
		/* one break between a letter, digit or comma and a lower-case
		 * letter is a wrapped line: a space */
		int wrap = breaks == 1 && c >= 'a' && c <= 'z' &&
		           ((prev >= 'a' && prev <= 'z') || (prev >= 'A' && prev <= 'Z') ||
		            (prev >= '0' && prev <= '9') || prev == ',');
		if (n > 0 && pend)
			out[n++] = pend == 2 && !wrap ? '\n' : ' ';
		pend = 0;
		breaks = 0;
		prev = c;
		out[n++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	out[n] = '\0';
	return n;
}

static uint32_t xorshift(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

Test(normalize, ascii_property_matches_reference)
{
	static const char alphabet[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		"!\"#$%'()*+,-./:;=>?@[\\]^_`{|}~"
		"      \t\t\n\n\r";
	const size_t na = sizeof(alphabet) - 1;
	uint32_t seed = 0x2545F491u;
	char in[257], want[257];
	for (int k = 0; k < 2000; k++) {
		size_t len = xorshift(&seed) % 257;
		for (size_t i = 0; i < len; i++)
			in[i] = alphabet[xorshift(&seed) % na];
		size_t wl = reference(in, len, want);
		otz_text t;
		otz_error err = {0, ""};
		cr_assert_eq(otz_normalize(&t, in, len, NULL, &err), 0, "case %d: %s", k, err.msg);
		cr_assert_eq(t.len, wl, "case %d: len %zu, want %zu", k, t.len, wl);
		cr_assert_eq(memcmp(t.s, want, wl), 0, "case %d: \"%s\" vs \"%s\"", k, t.s, want);
		/* Each visible byte maps to the one input byte it came from. */
		for (size_t i = 0; i < t.len; i++) {
			if (t.s[i] == ' ' || t.s[i] == '\n')
				continue;
			uint32_t s = t.src_start[i];
			cr_assert_eq(t.src_end[i], s + 1, "case %d byte %zu", k, i);
			char c = in[s];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			cr_assert_eq(c, t.s[i], "case %d byte %zu", k, i);
		}
		otz_text_dispose(&t);
	}
}

/*
 * The ASCII fast path gives exactly what utf8proc gives: random strings of
 * ASCII (letters of both cases, digits, punctuation, every kind of
 * whitespace, control bytes, tag and entity starts) with now and then a
 * non-ASCII character beside them, normalized with and without the fast
 * path: the same bytes and the same offset map.
 */
Test(normalize, ascii_fast_path_is_the_same_as_utf8proc)
{
	static const char alphabet[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		" \t\n\r\v\f.,;:!?'\"-()[]{}<>&#/\\|@$%^*+=_~`\x01\x1f\x7f";
	static const char *const extra[] = {"\xc3\xa9", "\xe2\x80\x99", "\xcc\x81", "\xef\xbc\xa1",
	                                    "\xe2\x80\xa2", "\xc2\xa0", "&amp;", "<b>", "&#8217;"};
	uint64_t x = 88172645463325252ull;
	for (int n = 0; n < 3000; n++) {
		char buf[256];
		size_t len = 0;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t want = (size_t)(x % 200);
		while (len < want) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			if (x % 23 == 0) {
				const char *e = extra[(x >> 8) % (sizeof(extra) / sizeof(extra[0]))];
				size_t el = strlen(e);
				if (len + el >= sizeof(buf))
					break;
				memcpy(buf + len, e, el);
				len += el;
			} else {
				buf[len++] = alphabet[(x >> 8) % (sizeof(alphabet) - 1)];
			}
		}
		for (int cf = 0; cf < 2; cf++) {
			otz_norm_options fast = OTZ_NORM_OPTIONS_INIT, slow = OTZ_NORM_OPTIONS_INIT;
			fast.casefold = slow.casefold = cf;
			slow.no_ascii_fast_path = 1;
			otz_text a, b;
			cr_assert_eq(otz_normalize(&a, buf, len, &fast, NULL), 0);
			cr_assert_eq(otz_normalize(&b, buf, len, &slow, NULL), 0);
			cr_assert_eq(a.len, b.len, "case %d: '%s' vs '%s'", n, a.s, b.s);
			cr_assert_eq(memcmp(a.s, b.s, a.len), 0, "case %d: '%s' vs '%s'", n, a.s, b.s);
			cr_assert_eq(memcmp(a.src_start, b.src_start, a.len * sizeof(uint32_t)), 0,
			             "case %d: start map differs", n);
			cr_assert_eq(memcmp(a.src_end, b.src_end, a.len * sizeof(uint32_t)), 0,
			             "case %d: end map differs", n);
			otz_text_dispose(&a);
			otz_text_dispose(&b);
		}
	}
}
