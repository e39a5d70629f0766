/* Unit tests for web/tmpl.c: escaping, sections, lookup, partials, parse
 * errors, translations, concurrency and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "web/i18n.h"
#include "web/tmpl.h"

#define HOSTILE_JSON "& < > \\\" '"
#define ESCAPED      "&amp; &lt; &gt; &quot; &#39;"

/* Adds the template text to s under name, which must compile. */
static void add(struct tmpl_set *s, const char *name, const char *text)
{
	char err[256];
	enum err e = tmpl_set_add(s, name, text, strlen(text), err, sizeof err);
	if (e != ERR_OK)
		print_error("unexpected error: %s\n", err);
	assert_int_equal(e, ERR_OK);
}

/* Renders name of s with the JSON context ctx_json (NULL for none) and
 * checks the output. */
static void check_lang(const struct tmpl_set *s, const char *name, const char *ctx_json,
                       const struct i18n_catalog *lang, const char *want)
{
	json_t *ctx = NULL;
	if (ctx_json) {
		json_error_t je;
		ctx = json_loads(ctx_json, JSON_DECODE_ANY, &je);
		if (!ctx)
			print_error("bad test JSON: %s\n", je.text);
		assert_non_null(ctx);
	}
	struct buf out;
	buf_init(&out);
	assert_int_equal(tmpl_render(s, name, ctx, lang, &out), ERR_OK);
	if (strcmp(out.data, want) != 0)
		print_error("template '%s'\n got: '%s'\nwant: '%s'\n", name, out.data, want);
	assert_string_equal(out.data, want);
	buf_clear(&out);
	json_decref(ctx);
}

static void check(const struct tmpl_set *s, const char *name, const char *ctx_json,
                  const char *want)
{
	check_lang(s, name, ctx_json, NULL, want);
}

/* Compiles text alone and renders it with ctx_json. */
static void one(const char *text, const char *ctx_json, const char *want)
{
	struct tmpl_set *s = tmpl_set_new();
	add(s, "t", text);
	check(s, "t", ctx_json, want);
	tmpl_set_free(s);
}

/* tmpl_set_add of text must fail with code want_err and a message starting
 * with want_msg. */
static void add_fails(const char *text, size_t len, enum err want_err, const char *want_msg)
{
	struct tmpl_set *s = tmpl_set_new();
	char err[256];
	enum err e = tmpl_set_add(s, "bad", text, len, err, sizeof err);
	assert_int_equal(e, want_err);
	if (strncmp(err, want_msg, strlen(want_msg)) != 0)
		print_error("error '%s' does not start with '%s'\n", err, want_msg);
	assert_true(strncmp(err, want_msg, strlen(want_msg)) == 0);
	assert_false(tmpl_set_has(s, "bad"));
	tmpl_set_free(s);
}

#define ADD_FAILS(text, msg) add_fails(text, sizeof(text) - 1, ERR_INVAL, msg)

static void test_text_only(void **state)
{
	(void)state;
	one("", NULL, "");
	one("plain <b>html</b> & text } { }} {", NULL, "plain <b>html</b> & text } { }} {");
	one("line1\nline2\n", "{}", "line1\nline2\n");
}

static void test_escape_text(void **state)
{
	(void)state;
	const char *ctx = "{\"v\": \"" HOSTILE_JSON "\", \"o\": {\"v\": \"<o>\"}, "
	                  "\"a\": [\"<i>\", \"&\"]}";
	one("{{v}}", ctx, ESCAPED);
	one("{{ v }}", ctx, ESCAPED);
	one("<p>{{v}}</p>", ctx, "<p>" ESCAPED "</p>");
	one("{{o.v}}", ctx, "&lt;o&gt;");
	one("{{#o}}{{v}}{{/o}}", ctx, "&lt;o&gt;");
	one("{{#a}}[{{.}}]{{/a}}", ctx, "[&lt;i&gt;][&amp;]");
	one("{{^missing}}{{v}}{{/missing}}", ctx, ESCAPED);
	one("<script>alert(1)</script>{{v}}", "{\"v\": \"</script><script>x()\"}",
	    "<script>alert(1)</script>&lt;/script&gt;&lt;script&gt;x()");
	/* Already-escaped text is escaped again: values are text, not HTML. */
	one("{{v}}", "{\"v\": \"&amp;\"}", "&amp;amp;");
}

static void test_escape_attributes(void **state)
{
	(void)state;
	const char *ctx = "{\"v\": \"\\\" onmouseover=\\\"alert(1)\\\" x='y' <&>\"}";
	const char *esc = "&quot; onmouseover=&quot;alert(1)&quot; x=&#39;y&#39; &lt;&amp;&gt;";
	char want[512];

	snprintf(want, sizeof want, "<a title=\"%s\">", esc);
	one("<a title=\"{{v}}\">", ctx, want);
	snprintf(want, sizeof want, "<a title='%s'>", esc);
	one("<a title='{{v}}'>", ctx, want);
	snprintf(want, sizeof want, "<input value=\"%s\" name=\"%s\">", esc, esc);
	one("<input value=\"{{v}}\" name=\"{{#v}}{{.}}{{/v}}\">", ctx, want);

	/* In a partial included inside an attribute-bearing element too. */
	struct tmpl_set *s = tmpl_set_new();
	add(s, "attr", "data-x=\"{{v}}\"");
	add(s, "page", "<div {{>attr}}>");
	snprintf(want, sizeof want, "<div data-x=\"%s\">", esc);
	check(s, "page", ctx, want);
	tmpl_set_free(s);
}

static void test_raw(void **state)
{
	(void)state;
	const char *ctx = "{\"svg\": \"<svg><rect x='1'/></svg>\", \"o\": {\"h\": \"<b>&</b>\"}}";
	one("{{{svg}}}", ctx, "<svg><rect x='1'/></svg>");
	one("{{{ svg }}}", ctx, "<svg><rect x='1'/></svg>");
	one("{{&svg}}", ctx, "<svg><rect x='1'/></svg>");
	one("{{& svg}}", ctx, "<svg><rect x='1'/></svg>");
	one("{{{o.h}}}|{{o.h}}", ctx, "<b>&</b>|&lt;b&gt;&amp;&lt;/b&gt;");
	/* Raw only when asked: the same value, escaped by default. */
	one("{{svg}}", ctx, "&lt;svg&gt;&lt;rect x=&#39;1&#39;/&gt;&lt;/svg&gt;");
	one("{{{n}}}", "{\"n\": 42}", "42");
}

static void test_scalars(void **state)
{
	(void)state;
	const char *ctx = "{\"i\": -42, \"big\": 9007199254740993, \"r\": 2.5, \"r2\": 1e20, "
	                  "\"t\": true, \"f\": false, \"n\": null, \"o\": {\"x\": 1}, "
	                  "\"a\": [1, 2], \"e\": \"\"}";
	one("[{{i}}][{{big}}][{{r}}][{{r2}}]", ctx, "[-42][9007199254740993][2.5][1e+20]");
	one("[{{t}}][{{f}}][{{n}}][{{o}}][{{a}}][{{e}}][{{missing}}]", ctx, "[][][][][][][]");
	one("[{{missing.deep.name}}]", ctx, "[]");
	one("[{{i.x}}]", ctx, "[]");
	one("{{v}}", NULL, "");
	/* Non-object contexts. */
	one("[{{.}}][{{x}}]", "\"<s>\"", "[&lt;s&gt;][]");
	one("[{{.}}]", "7", "[7]");
	one("{{#.}}({{.}}){{/.}}", "[1, \"a\"]", "(1)(a)");
}

static void test_sections(void **state)
{
	(void)state;
	const char *ctx = "{\"list\": [{\"n\": \"a\"}, {\"n\": \"b\"}, {\"n\": \"c\"}],"
	                  "\"nums\": [1, 2, 3], \"empty\": [], \"obj\": {\"n\": \"O\"}, "
	                  "\"eobj\": {}, \"t\": true, \"f\": false, \"nul\": null, "
	                  "\"s\": \"str\", \"es\": \"\", \"zero\": 0, \"one\": 1, "
	                  "\"rz\": 0.0, \"r\": 0.5, \"n\": \"outer\"}";
	one("{{#list}}<li>{{n}}</li>{{/list}}", ctx, "<li>a</li><li>b</li><li>c</li>");
	one("{{#nums}}{{.}},{{/nums}}", ctx, "1,2,3,");
	one("[{{#empty}}x{{/empty}}]", ctx, "[]");
	one("{{#obj}}{{n}}{{/obj}}", ctx, "O");
	one("{{#eobj}}[{{n}}]{{/eobj}}", ctx, "[outer]");
	one("{{#t}}yes{{/t}}", ctx, "yes");
	one("[{{#f}}no{{/f}}]", ctx, "[]");
	one("[{{#nul}}no{{/nul}}]", ctx, "[]");
	one("[{{#missing}}no{{/missing}}]", ctx, "[]");
	one("{{#s}}<{{.}}>{{/s}}", ctx, "<str>");
	one("[{{#es}}no{{/es}}]", ctx, "[]");
	one("[{{#zero}}no{{/zero}}]", ctx, "[]");
	one("{{#one}}{{.}}{{/one}}", ctx, "1");
	one("[{{#rz}}no{{/rz}}]", ctx, "[]");
	one("{{#r}}{{.}}{{/r}}", ctx, "0.5");
	/* The same section name twice, and nested sections. */
	one("{{#t}}a{{/t}}{{#t}}b{{/t}}", ctx, "ab");
	one("{{#list}}{{#nums}}{{n}}{{.}} {{/nums}}{{/list}}", ctx, "a1 a2 a3 b1 b2 b3 c1 c2 c3 ");
	/* Arrays of arrays. */
	one("{{#m}}[{{#.}}{{.}}{{/.}}]{{/m}}", "{\"m\": [[1, 2], [], [3]]}", "[12][][3]");
}

static void test_inverted(void **state)
{
	(void)state;
	const char *ctx = "{\"list\": [1], \"empty\": [], \"t\": true, \"f\": false, "
	                  "\"nul\": null, \"s\": \"x\", \"es\": \"\", \"zero\": 0, "
	                  "\"obj\": {}, \"n\": \"N\"}";
	one("[{{^list}}x{{/list}}]", ctx, "[]");
	one("[{{^empty}}none {{n}}{{/empty}}]", ctx, "[none N]");
	one("[{{^t}}x{{/t}}]", ctx, "[]");
	one("[{{^f}}x{{/f}}]", ctx, "[x]");
	one("[{{^nul}}x{{/nul}}]", ctx, "[x]");
	one("[{{^missing}}x{{/missing}}]", ctx, "[x]");
	one("[{{^s}}x{{/s}}]", ctx, "[]");
	one("[{{^es}}x{{/es}}]", ctx, "[x]");
	one("[{{^zero}}x{{/zero}}]", ctx, "[x]");
	one("[{{^obj}}x{{/obj}}]", ctx, "[]");
	one("{{#list}}has{{/list}}{{^list}}none{{/list}}", ctx, "has");
	one("{{#empty}}has{{/empty}}{{^empty}}none{{/empty}}", ctx, "none");
}

static void test_context_stack(void **state)
{
	(void)state;
	const char *ctx = "{\"title\": \"T\", \"user\": {\"name\": \"Ann\", \"org\": "
	                  "{\"name\": \"Org\"}}, \"items\": [{\"name\": \"i1\"}, {\"x\": 1}], "
	                  "\"a\": {\"b\": {\"c\": \"deep\"}}, \"shadow\": {\"a\": {\"z\": 1}}}";
	/* Outer names are visible inside sections; inner ones shadow. */
	one("{{#user}}{{name}}/{{title}}{{/user}}", ctx, "Ann/T");
	one("{{#user}}{{#org}}{{name}}<{{title}}>{{/org}}{{/user}}", ctx, "Org<T>");
	one("{{#items}}[{{name}}]{{/items}}", ctx, "[i1][]");
	one("{{#user}}{{#items}}[{{name}}]{{/items}}{{/user}}", ctx, "[i1][Ann]");
	/* Dotted names. */
	one("{{a.b.c}}|{{user.org.name}}|{{a.b}}|{{a.x.c}}", ctx, "deep|Org||");
	one("{{#a.b}}{{c}}{{/a.b}}", ctx, "deep");
	one("{{#user}}{{org.name}}{{/user}}", ctx, "Org");
	/* The first part of a dotted name binds to the innermost frame that has
	 * it; the rest does not fall back to outer frames. */
	one("{{#shadow}}[{{a.b.c}}]{{/shadow}}", ctx, "[]");
	one("{{#shadow}}[{{a.z}}]{{/shadow}}", ctx, "[1]");
	/* A key present with null stops the search too. */
	one("{{#o}}[{{v}}]{{/o}}", "{\"v\": \"out\", \"o\": {\"v\": null}}", "[]");
}

static void test_partials(void **state)
{
	(void)state;
	struct tmpl_set *s = tmpl_set_new();
	add(s, "page", "<h1>{{title}}</h1>{{> partials/nav }}{{#rows}}{{>row}}{{/rows}}");
	add(s, "partials/nav", "<nav>{{#links}}{{>link}}{{/links}}</nav>");
	add(s, "link", "<a href=\"{{href}}\">{{text}}</a>");
	add(s, "row", "<tr><td>{{n}}</td><td>{{title}}</td></tr>");
	char err[256];
	assert_int_equal(tmpl_set_check(s, err, sizeof err), ERR_OK);
	assert_true(tmpl_set_has(s, "page"));
	assert_true(tmpl_set_has(s, "page.html"));
	assert_true(tmpl_set_has(s, "partials/nav"));
	assert_false(tmpl_set_has(s, "nav"));
	const char *ctx = "{\"title\": \"<T>\", \"links\": [{\"href\": \"/a?x=1&y=2\", "
	                  "\"text\": \"A\"}], \"rows\": [{\"n\": 1}, {\"n\": 2}]}";
	const char *want = "<h1>&lt;T&gt;</h1><nav><a href=\"/a?x=1&amp;y=2\">A</a></nav>"
	                   "<tr><td>1</td><td>&lt;T&gt;</td></tr>"
	                   "<tr><td>2</td><td>&lt;T&gt;</td></tr>";
	check(s, "page", ctx, want);
	check(s, "page.html", ctx, want);
	tmpl_set_free(s);
}

static void test_partial_errors(void **state)
{
	(void)state;
	char err[256];
	struct tmpl_set *s = tmpl_set_new();
	add(s, "page", "a\n{{#x}}\n{{>missing}}\n{{/x}}");
	assert_int_equal(tmpl_set_check(s, err, sizeof err), ERR_INVAL);
	assert_string_equal(err, "page:3: unknown partial 'missing'");
	/* Without the check, rendering fails cleanly and leaves out as it was. */
	struct buf out;
	buf_init(&out);
	buf_puts(&out, "keep");
	json_t *ctx = json_pack("{s:b}", "x", 1);
	assert_int_equal(tmpl_render(s, "page", ctx, NULL, &out), ERR_NOTFOUND);
	assert_string_equal(out.data, "keep");
	assert_int_equal(tmpl_render(s, "nothere", ctx, NULL, &out), ERR_NOTFOUND);
	assert_string_equal(out.data, "keep");
	json_decref(ctx);
	buf_clear(&out);
	tmpl_set_free(s);

	/* Recursion, direct and indirect, is refused. */
	s = tmpl_set_new();
	add(s, "self", "x{{>self}}");
	assert_int_equal(tmpl_set_check(s, err, sizeof err), ERR_INVAL);
	assert_string_equal(err, "self:1: recursive partial 'self'");
	tmpl_set_free(s);
	s = tmpl_set_new();
	add(s, "a", "{{>b}}");
	add(s, "b", "\n{{>c}}");
	add(s, "c", "\n\n{{#x}}{{>a}}{{/x}}");
	assert_int_equal(tmpl_set_check(s, err, sizeof err), ERR_INVAL);
	assert_string_equal(err, "c:3: recursive partial 'a'");
	/* Render-time depth limit as a backstop when unchecked. */
	buf_init(&out);
	assert_int_equal(tmpl_render(s, "a", NULL, NULL, &out), ERR_OK); /* x missing */
	ctx = json_pack("{s:b}", "x", 1);
	assert_int_equal(tmpl_render(s, "a", ctx, NULL, &out), ERR_LIMIT);
	assert_int_equal(out.len, 3);
	json_decref(ctx);
	buf_clear(&out);
	tmpl_set_free(s);

	/* A diamond is not a cycle. */
	s = tmpl_set_new();
	add(s, "top", "{{>l}}{{>r}}");
	add(s, "l", "L{{>base}}");
	add(s, "r", "R{{>base}}");
	add(s, "base", "B");
	assert_int_equal(tmpl_set_check(s, err, sizeof err), ERR_OK);
	check(s, "top", NULL, "LBRB");
	tmpl_set_free(s);
}

static void test_comments(void **state)
{
	(void)state;
	one("a{{! a comment }}b", NULL, "ab");
	one("a{{!}}b", NULL, "ab");
	one("a{{! {{v <x> \n multi\nline }}b{{v}}", "{\"v\": 1}", "ab1");
	/* Lines are still counted across comments. */
	ADD_FAILS("{{! one\ntwo\nthree }}\n{{#x}}", "bad:4: unclosed section 'x'");
}

static void test_parse_errors(void **state)
{
	(void)state;
	ADD_FAILS("a\nb\n{{#list}}\nc\n", "bad:3: unclosed section 'list'");
	ADD_FAILS("{{#a}}{{#b}}\n{{/a}}{{/b}}",
	          "bad:2: mismatched close tag 'a': expected 'b' (opened at line 1)");
	ADD_FAILS("x\n{{/a}}", "bad:2: unexpected close tag 'a'");
	ADD_FAILS("x\n\ny {{name", "bad:3: unclosed tag");
	ADD_FAILS("{{{raw}}", "bad:1: unclosed tag");
	ADD_FAILS("{{!\n comment never closed", "bad:1: unclosed tag");
	ADD_FAILS("\n{{}}", "bad:2: empty tag");
	ADD_FAILS("{{ }}", "bad:1: empty tag name");
	ADD_FAILS("{{#}}{{/}}", "bad:1: empty tag name");
	ADD_FAILS("{{a b}}", "bad:1: invalid name 'a b'");
	ADD_FAILS("{{a..b}}", "bad:1: invalid name");
	ADD_FAILS("{{.a}}", "bad:1: invalid name");
	ADD_FAILS("{{a.}}", "bad:1: invalid name");
	ADD_FAILS("{{<x>}}", "bad:1: invalid name");
	ADD_FAILS("{{=<% %>=}}", "bad:1: invalid name");
	ADD_FAILS("{{>}}", "bad:1: empty partial name");
	ADD_FAILS("{{>../etc/passwd}}", "bad:1: invalid partial name");
	ADD_FAILS("{{> a b}}", "bad:1: invalid partial name");
	ADD_FAILS("{{_ }}", "bad:1: empty translation text");
	ADD_FAILS("ok\n\n{{x}}\0{{y}}", "bad:3: NUL byte");
	/* A name may start with '_' when no space follows. */
	one("{{_x}}", "{\"_x\": \"u\"}", "u");

	/* Nesting limit. */
	char deep[64 * 12 + 64];
	size_t n = 0;
	for (int i = 0; i < 65; i++)
		n += (size_t)snprintf(deep + n, sizeof deep - n, "{{#a}}");
	add_fails(deep, n, ERR_INVAL, "bad:1: sections nested too deeply");

	/* Duplicate names. */
	char err[256];
	struct tmpl_set *s = tmpl_set_new();
	add(s, "x", "1");
	assert_int_equal(tmpl_set_add(s, "x", "2", 1, err, sizeof err), ERR_CONFLICT);
	assert_int_equal(tmpl_set_add(s, "", "2", 1, err, sizeof err), ERR_INVAL);
	assert_int_equal(tmpl_set_add(s, "y", "{{", 2, NULL, 0), ERR_INVAL);
	check(s, "x", NULL, "1");
	tmpl_set_free(s);
}

static const char fr_po[] = "msgid \"\"\n"
                            "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
                            "\n"
                            "msgid \"Sign in\"\n"
                            "msgstr \"Se connecter\"\n"
                            "\n"
                            "msgid \"Terms & <conditions>\"\n"
                            "msgstr \"Conditions & <générales>\"\n"
                            "\n"
                            "msgid \"A long sentence that wraps.\"\n"
                            "msgstr \"Une longue phrase qui continue.\"\n";

static void collect(const char *msgid, const char *tmpl_name, int line, void *arg)
{
	struct buf *b = arg;
	buf_printf(b, "%s:%d:%s|", tmpl_name, line, msgid);
}

static void test_translation(void **state)
{
	(void)state;
	char err[256];
	struct i18n_catalog *fr = NULL;
	assert_int_equal(i18n_parse_po(fr_po, strlen(fr_po), "fr.po", "fr", &fr, err, sizeof err),
	                 ERR_OK);
	struct tmpl_set *s = tmpl_set_new();
	add(s, "t", "<button>{{_ Sign in}}</button>");
	add(s, "esc", "<a title=\"{{_ Terms & <conditions>}}\">");
	add(s, "wrap",
	    "<p>{{_ A long\n   sentence\tthat  wraps. }}</p>\n{{#x}}{{_ Untranslated}}{{/x}}");
	add(s, "none", "{{_Sign}}");

	check_lang(s, "t", NULL, fr, "<button>Se connecter</button>");
	check_lang(s, "t", NULL, NULL, "<button>Sign in</button>");
	check_lang(s, "t", NULL, i18n_get("en"), "<button>Sign in</button>");
	check_lang(s, "esc", NULL, fr, "<a title=\"Conditions &amp; &lt;générales&gt;\">");
	check_lang(s, "esc", NULL, NULL, "<a title=\"Terms &amp; &lt;conditions&gt;\">");
	check_lang(s, "wrap", "{\"x\": true}", fr,
	           "<p>Une longue phrase qui continue.</p>\nUntranslated");
	check_lang(s, "none", "{\"_Sign\": \"var\"}", fr, "var");

	struct buf ids;
	buf_init(&ids);
	tmpl_set_foreach_msgid(s, collect, &ids);
	assert_string_equal(ids.data, "t:1:Sign in|esc:1:Terms & <conditions>|"
	                              "wrap:1:A long sentence that wraps.|wrap:3:Untranslated|");
	buf_clear(&ids);
	tmpl_set_free(s);
	i18n_catalog_free(fr);
}

static void test_load_embedded(void **state)
{
	(void)state;
	char err[256];
	struct tmpl_set *s = tmpl_set_load("templates/", err, sizeof err);
	if (!s)
		print_error("%s\n", err);
	assert_non_null(s);
	tmpl_set_free(s);
	/* A prefix that matches nothing gives an empty set. */
	s = tmpl_set_load("no-such-dir/", err, sizeof err);
	assert_non_null(s);
	assert_false(tmpl_set_has(s, "x"));
	tmpl_set_free(s);
}

/* Every {{_ msgid}} of the embedded templates is translated in every
 * embedded catalogue that exists. */
struct missing {
	const struct i18n_catalog *cat;
	int count;
};

static void check_translated(const char *msgid, const char *tmpl_name, int line, void *arg)
{
	struct missing *m = arg;
	if (!i18n_has(m->cat, msgid)) {
		print_error("%s: templates/%s.html:%d: no translation of \"%s\"\n",
		            i18n_lang(m->cat), tmpl_name, line, msgid);
		m->count++;
	}
}

static void test_translations_complete(void **state)
{
	(void)state;
	char err[256];
	assert_int_equal(i18n_load(err, sizeof err), ERR_OK);
	struct tmpl_set *s = tmpl_set_load("templates/", err, sizeof err);
	assert_non_null(s);
	const char *langs[] = {"fr", "nl"};
	for (size_t i = 0; i < 2; i++) {
		struct missing m = {i18n_get(langs[i]), 0};
		assert_true(i18n_count(m.cat) > 0); /* po/fr.po and po/nl.po are embedded */
		tmpl_set_foreach_msgid(s, check_translated, &m);
		assert_int_equal(m.count, 0);
	}
	tmpl_set_free(s);
	i18n_unload();
}

struct thread_arg {
	const struct tmpl_set *set;
	const json_t *ctx;
	const char *want;
	int failures;
};

static void *render_many(void *p)
{
	struct thread_arg *a = p;
	struct buf out;
	buf_init(&out);
	for (int i = 0; i < 2000; i++) {
		buf_reset(&out);
		if (tmpl_render(a->set, "page", a->ctx, NULL, &out) != ERR_OK ||
		    strcmp(out.data, a->want) != 0)
			a->failures++;
	}
	buf_clear(&out);
	return NULL;
}

static void test_concurrent(void **state)
{
	(void)state;
	struct tmpl_set *s = tmpl_set_new();
	add(s, "page", "<ul>{{#items}}{{>item}}{{/items}}</ul>{{^none}}!{{/none}}");
	add(s, "item", "<li class=\"{{cls}}\">{{name}} {{n}}</li>");
	json_t *ctx = json_loads("{\"cls\": \"c&\", \"items\": [{\"name\": \"<a>\", \"n\": 1}, "
	                         "{\"name\": \"b\", \"n\": 2.5}]}",
	                         0, NULL);
	assert_non_null(ctx);
	const char *want = "<ul><li class=\"c&amp;\">&lt;a&gt; 1</li>"
	                   "<li class=\"c&amp;\">b 2.5</li></ul>!";
	struct thread_arg args[8];
	pthread_t th[8];
	for (int i = 0; i < 8; i++) {
		args[i] = (struct thread_arg){s, ctx, want, 0};
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &args[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(args[i].failures, 0);
	}
	json_decref(ctx);
	tmpl_set_free(s);
}

/* Random template text, biased towards tag syntax, must either fail to
 * compile with a message or render without crashing (run under ASan). */
static void test_hostile_input(void **state)
{
	(void)state;
	static const char *const pieces[] = {
	    "{{", "}}", "{{{", "}}}", "{{#", "{{^", "{{/",  "{{>",      "{{!", "{{&", "{{_ ",
	    "a",  "b",  "a.b", ".",   " ",   "\n",  "<",    ">",        "&",   "\"",  "'",
	    "x",  "_",  "=",   "..",  "/",   "\0",  "\xff", "\xc3\xa9", "{",   "}",
	};
	const size_t npieces = sizeof pieces / sizeof pieces[0];
	json_t *ctx = json_loads("{\"a\": [{\"b\": \"<\"}, {\"b\": 2}], \"b\": {\"a\": true}, "
	                         "\"x\": \"&\", \"_\": [[1], []]}",
	                         0, NULL);
	assert_non_null(ctx);
	srand(12345);
	char text[512];
	char err[256];
	int compiled = 0;
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = 0;
		int count = rand() % 40;
		for (int k = 0; k < count; k++) {
			int kind = rand() % 4;
			if (kind == 0) {
				text[n++] = (char)(rand() % 256); /* any byte */
			} else {
				const char *p = pieces[(size_t)rand() % npieces];
				size_t pl = p[0] ? strlen(p) : 1;
				if (n + pl >= sizeof text)
					break;
				memcpy(text + n, p, pl);
				n += pl;
			}
			if (n + 8 >= sizeof text)
				break;
		}
		struct tmpl_set *s = tmpl_set_new();
		err[0] = '\0';
		enum err e = tmpl_set_add(s, "t", text, n, err, sizeof err);
		if (e != ERR_OK) {
			assert_int_equal(e, ERR_INVAL);
			assert_true(strncmp(err, "t:", 2) == 0);
		} else {
			compiled++;
			/* Partials of random names: either all there, or check fails. */
			if (tmpl_set_check(s, err, sizeof err) != ERR_OK)
				assert_true(strncmp(err, "t:", 2) == 0);
			struct buf out;
			buf_init(&out);
			e = tmpl_render(s, "t", ctx, NULL, &out);
			assert_true(e == ERR_OK || e == ERR_NOTFOUND || e == ERR_LIMIT);
			assert_int_equal(strlen(out.data) <= out.len, 1);
			buf_clear(&out);
		}
		tmpl_set_free(s);
	}
	/* Make sure the generator exercises the renderer, not just errors. */
	assert_true(compiled > 1000);
	json_decref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_only),
	    cmocka_unit_test(test_escape_text),
	    cmocka_unit_test(test_escape_attributes),
	    cmocka_unit_test(test_raw),
	    cmocka_unit_test(test_scalars),
	    cmocka_unit_test(test_sections),
	    cmocka_unit_test(test_inverted),
	    cmocka_unit_test(test_context_stack),
	    cmocka_unit_test(test_partials),
	    cmocka_unit_test(test_partial_errors),
	    cmocka_unit_test(test_comments),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_translation),
	    cmocka_unit_test(test_load_embedded),
	    cmocka_unit_test(test_translations_complete),
	    cmocka_unit_test(test_concurrent),
	    cmocka_unit_test(test_hostile_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
