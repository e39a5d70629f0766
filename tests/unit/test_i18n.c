/* Unit tests for web/i18n.c: .po parsing, catalogues, Accept-Language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "web/i18n.h"

static struct i18n_catalog *parse_ok(const char *po)
{
	char err[256];
	struct i18n_catalog *c = NULL;
	enum err e = i18n_parse_po(po, strlen(po), "t.po", "fr", &c, err, sizeof err);
	if (e != ERR_OK)
		print_error("unexpected parse error: %s\n", err);
	assert_int_equal(e, ERR_OK);
	assert_non_null(c);
	return c;
}

/* Parses po expecting an error; checks that err starts with want. */
static void parse_fails(const char *po, size_t len, const char *want)
{
	char err[256];
	struct i18n_catalog *c = (struct i18n_catalog *)1;
	enum err e = i18n_parse_po(po, len, "t.po", "fr", &c, err, sizeof err);
	assert_int_equal(e, ERR_INVAL);
	assert_null(c);
	if (strncmp(err, want, strlen(want)) != 0)
		print_error("error '%s' does not start with '%s'\n", err, want);
	assert_true(strncmp(err, want, strlen(want)) == 0);
}

static const char basic_po[] = "# French translations of consent.\n"
                               "msgid \"\"\n"
                               "msgstr \"\"\n"
                               "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
                               "\"Language: fr\\n\"\n"
                               "\n"
                               "#. the button of the login form\n"
                               "#: templates/login.html:12\n"
                               "msgid \"Sign in\"\n"
                               "msgstr \"Se connecter\"\n"
                               "\n"
                               "msgid \"\"\n"
                               "\"A long text \"\n"
                               "\"on two lines\"\n"
                               "msgstr \"\"\n"
                               "\"Un long texte \"\n"
                               "\"sur deux lignes\"\n"
                               "\n"
                               "msgid \"Say \\\"hi\\\"\\n\\tand \\\\ go\"\n"
                               "msgstr \"Dis \\\"salut\\\"\\n\\tet \\\\ pars\"\n"
                               "msgid \"No blank line before\"\n"
                               "msgstr \"Pas de ligne vide avant\"\n"
                               "#, fuzzy\n"
                               "msgid \"Fuzzy one\"\n"
                               "msgstr \"Approximatif\"\n"
                               "\n"
                               "#, c-format, fuzzy\n"
                               "msgid \"Fuzzy two\"\n"
                               "msgstr \"Approximatif deux\"\n"
                               "\n"
                               "#, c-format\n"
                               "msgid \"Not fuzzy\"\n"
                               "msgstr \"Pas approximatif\"\n"
                               "\n"
                               "msgid \"Untranslated\"\n"
                               "msgstr \"\"\n"
                               "\n"
                               "msgctxt \"menu\"\n"
                               "msgid \"Open\"\n"
                               "msgstr \"Ouvrir\"\n"
                               "\n"
                               "msgid \"One file\"\n"
                               "msgid_plural \"%d files\"\n"
                               "msgstr[0] \"Un fichier\"\n"
                               "msgstr[1] \"%d fichiers\"\n"
                               "\n"
                               "#~ msgid \"Obsolete\"\n"
                               "#~ msgstr \"Obsolète\"\n"
                               "\n"
                               "msgid \"Caf\xc3\xa9\"\n"
                               "msgstr \"Caf\xc3\xa9 cr\xc3\xa8me\"";

static void test_parse_basic(void **state)
{
	(void)state;
	struct i18n_catalog *c = parse_ok(basic_po);
	assert_string_equal(i18n_lang(c), "fr");
	assert_string_equal(i18n_t(c, "Sign in"), "Se connecter");
	assert_string_equal(i18n_t(c, "A long text on two lines"), "Un long texte sur deux lignes");
	assert_string_equal(i18n_t(c, "Say \"hi\"\n\tand \\ go"), "Dis \"salut\"\n\tet \\ pars");
	assert_string_equal(i18n_t(c, "No blank line before"), "Pas de ligne vide avant");
	assert_string_equal(i18n_t(c, "Not fuzzy"), "Pas approximatif");
	assert_string_equal(i18n_t(c, "Caf\xc3\xa9"), "Caf\xc3\xa9 cr\xc3\xa8me");
	/* The header is not a translation of "". */
	assert_string_equal(i18n_t(c, ""), "");
	assert_false(i18n_has(c, ""));
	/* Ignored: fuzzy, untranslated, with context, plural, obsolete. */
	assert_string_equal(i18n_t(c, "Fuzzy one"), "Fuzzy one");
	assert_string_equal(i18n_t(c, "Fuzzy two"), "Fuzzy two");
	assert_string_equal(i18n_t(c, "Untranslated"), "Untranslated");
	assert_string_equal(i18n_t(c, "Open"), "Open");
	assert_string_equal(i18n_t(c, "One file"), "One file");
	assert_string_equal(i18n_t(c, "Obsolete"), "Obsolete");
	assert_false(i18n_has(c, "Fuzzy one"));
	assert_true(i18n_has(c, "Sign in"));
	assert_int_equal(i18n_count(c), 6);
	/* Unknown msgid: the msgid itself, same pointer. */
	const char *id = "Nothing like this";
	assert_ptr_equal(i18n_t(c, id), id);
	i18n_catalog_free(c);
}

static void test_parse_crlf_and_spaces(void **state)
{
	(void)state;
	struct i18n_catalog *c = parse_ok("msgid \"\"\r\nmsgstr \"X: y\\n\"\r\n\r\n"
	                                  "  msgid   \"Yes\"  \r\n\tmsgstr\t\"Oui\"\t\r\n");
	assert_string_equal(i18n_t(c, "Yes"), "Oui");
	assert_int_equal(i18n_count(c), 1);
	i18n_catalog_free(c);
}

static void test_parse_empty(void **state)
{
	(void)state;
	struct i18n_catalog *c = parse_ok("");
	assert_int_equal(i18n_count(c), 0);
	assert_string_equal(i18n_t(c, "x"), "x");
	i18n_catalog_free(c);
	c = parse_ok("# only a comment\n\n");
	assert_int_equal(i18n_count(c), 0);
	i18n_catalog_free(c);
}

static void test_parse_errors(void **state)
{
	(void)state;
#define FAILS(po, want) parse_fails(po, sizeof(po) - 1, want)
	FAILS("msgid \"a\"\nmsgstr \"b\n", "t.po:2: unterminated string");
	FAILS("\n\nmsgid \"a\"\nmsgtxt \"b\"\n", "t.po:4: unknown keyword 'msgtxt'");
	FAILS("msgid \"a\\q\"\nmsgstr \"b\"\n", "t.po:1: unsupported escape");
	FAILS("msgid \"a\" x\nmsgstr \"b\"\n", "t.po:1: text after the closing quote");
	FAILS(
	    "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\"\nmsgstr \"d\"\n\nmsgid \"a\"\nmsgstr \"e\"\n",
	    "t.po:7: duplicate msgid");
	FAILS("msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"c\"\n", "t.po:1: msgid without msgstr");
	FAILS("msgid \"a\"\nmsgid \"b\"\nmsgstr \"c\"\n", "t.po:2: msgid without msgstr");
	FAILS("\"orphan\"\n", "t.po:1: string without a keyword");
	FAILS("msgstr \"x\"\n", "t.po:1: msgstr without msgid");
	FAILS("msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", "t.po:3: msgstr without msgid");
	FAILS("msgid \"a\"\nmsgstr \"b\xff\"\n", "t.po:1: invalid UTF-8");
	FAILS("msgid \"a\"\nmsgstr\n", "t.po:2: expected a \"string\"");
	FAILS("msgid \"a\"\nmsgstr \"b\\", "t.po:2: unterminated string");
	FAILS("msgid \"a\"\nmsgstr \"b\0\"\n", "t.po:1: NUL byte");
#undef FAILS
	/* err may be NULL. */
	struct i18n_catalog *c = NULL;
	assert_int_equal(i18n_parse_po("bad", 3, NULL, NULL, &c, NULL, 0), ERR_INVAL);
	assert_null(c);
}

static void test_catalogs(void **state)
{
	(void)state;
	char err[256];
	assert_int_equal(i18n_load(err, sizeof err), ERR_OK);
	const struct i18n_catalog *en = i18n_get("en");
	const struct i18n_catalog *fr = i18n_get("fr");
	const struct i18n_catalog *nl = i18n_get("nl");
	assert_non_null(en);
	assert_non_null(fr);
	assert_non_null(nl);
	assert_ptr_equal(i18n_get("FR"), fr);
	assert_string_equal(i18n_lang(en), "en");
	assert_string_equal(i18n_lang(fr), "fr");
	assert_string_equal(i18n_lang(nl), "nl");
	assert_null(i18n_get("de"));
	assert_null(i18n_get("fr-BE"));
	assert_null(i18n_get(""));
	assert_null(i18n_get(NULL));
	/* English is the identity and "has" everything. */
	const char *id = "Sign in";
	assert_ptr_equal(i18n_t(en, id), id);
	assert_true(i18n_has(en, "anything"));
	assert_ptr_equal(i18n_t(NULL, id), id);
	assert_false(i18n_has(NULL, id));
	/* If the embedded catalogues exist, everything in them translates. */
	if (i18n_has(fr, "Sign in"))
		assert_string_not_equal(i18n_t(fr, "Sign in"), "Sign in");
	/* Loading twice replaces, without leaking (checked under ASan). */
	assert_int_equal(i18n_load(err, sizeof err), ERR_OK);
	i18n_unload();
	assert_int_equal(i18n_count(fr), 0);
	assert_string_equal(i18n_t(fr, "Sign in"), "Sign in");
}

static void test_supported(void **state)
{
	(void)state;
	assert_true(i18n_supported("en"));
	assert_true(i18n_supported("fr"));
	assert_true(i18n_supported("nl"));
	assert_true(i18n_supported("NL"));
	assert_false(i18n_supported("de"));
	assert_false(i18n_supported("fr-BE"));
	assert_false(i18n_supported("f"));
	assert_false(i18n_supported(""));
	assert_false(i18n_supported(NULL));
}

static void test_negotiate(void **state)
{
	(void)state;
	static const struct {
		const char *header;
		const char *want;
	} cases[] = {
	    {NULL, "en"},
	    {"", "en"},
	    {"fr", "fr"},
	    {"nl", "nl"},
	    {"en", "en"},
	    {"de", "en"},
	    {"fr-BE", "fr"},
	    {"nl-BE", "nl"},
	    {"FR-be", "fr"},
	    {"fr-BE,fr;q=0.9,en;q=0.8", "fr"},
	    {"nl-BE,nl;q=0.9,fr;q=0.8,en;q=0.7", "nl"},
	    {"en-US,en;q=0.9,fr;q=0.8", "en"},
	    {"de-DE,de;q=0.9,nl;q=0.8,en;q=0.7", "nl"},
	    {"de,fr;q=0.5", "fr"},
	    {"fr;q=0.5, nl;q=0.8", "nl"},
	    {"fr;q=0.5,nl;q=0.500", "fr"}, /* tie: the first listed */
	    {"nl;q=0.5,fr;q=0.5", "nl"},
	    {"fr;q=0,nl;q=0.1", "nl"},
	    {"fr;q=0", "en"},
	    {"en;q=0,fr;q=0,nl;q=0", "en"}, /* nothing acceptable: the default */
	    {"en;q=0,fr;q=0.1", "fr"},
	    {"  fr ; q=0.7 , nl;Q=0.9 ", "nl"},
	    {"fr;q=1.0,nl;q=0.999", "fr"},
	    {"fr;q=2,nl", "nl"},      /* bad q: element skipped */
	    {"fr;q=abc,nl", "nl"},    /* bad q */
	    {"fr;q=0.1234,nl", "nl"}, /* too many digits */
	    {"fr;q=1.5,nl;q=0.1", "nl"},
	    {"*", "en"},
	    {"de,*;q=0.1", "en"},
	    {"*;q=0.9,en;q=0.1", "fr"}, /* "*" covers the languages not listed */
	    {"*;q=0.9,fr;q=0.1", "en"},
	    {"*;q=0,nl;q=0.2", "nl"},
	    {"de-CH;q=0.9,fr-CH;q=0.8", "fr"},
	    {",,;,fr", "fr"},
	    {";q=1,nl", "nl"},
	    {"fr;level=1;q=0.4,nl;q=0.3", "fr"},
	    {"frx,nl-BE", "nl"},
	    {"e,f,n", "en"},
	    {"x-klingon,i-default", "en"},
	    {"fr;q=0.5,fr-BE;q=0.9,nl;q=0.7", "fr"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = i18n_negotiate(cases[i].header);
		if (strcmp(got, cases[i].want) != 0)
			print_error("'%s': got %s, want %s\n",
			            cases[i].header ? cases[i].header : "(null)", got,
			            cases[i].want);
		assert_string_equal(got, cases[i].want);
	}
}

static void test_negotiate_long_header(void **state)
{
	(void)state;
	char h[20000];
	size_t n = 0;
	while (n + 16 < sizeof h) {
		memcpy(h + n, "de;q=0.5,", 9);
		n += 9;
	}
	memcpy(h + n, "nl;q=0.4", 9);
	assert_string_equal(i18n_negotiate(h), "nl");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_basic), cmocka_unit_test(test_parse_crlf_and_spaces),
	    cmocka_unit_test(test_parse_empty), cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_catalogs),    cmocka_unit_test(test_supported),
	    cmocka_unit_test(test_negotiate),   cmocka_unit_test(test_negotiate_long_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
