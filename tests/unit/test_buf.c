/* Unit tests for base/buf.c: growth, escaping, URL decoding, UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/buf.h"

static void test_append_grows(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 2000);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data, "0,1,2,", 6);
	buf_clear(&b);
}

static void test_html_escape(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	const char *s = "<script>alert(\"x\" & 'y')</script>";
	buf_html_escape(&b, s, strlen(s));
	assert_string_equal(b.data, "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
	buf_clear(&b);
}

static void test_json_escape(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	const char s[] = "a\"b\\c\nd\x01";
	buf_json_escape(&b, s, sizeof s - 1);
	assert_string_equal(b.data, "a\\\"b\\\\c\\nd\\u0001");
	buf_clear(&b);
}

static void test_url(void **state)
{
	(void)state;
	char s[] = "a+b%20c%2Fd";
	assert_int_equal(url_decode(s, strlen(s)), 7);
	assert_string_equal(s, "a b c/d");
	char bad[] = "x%2";
	assert_int_equal(url_decode(bad, strlen(bad)), -1);
	char bad2[] = "x%zz";
	assert_int_equal(url_decode(bad2, strlen(bad2)), -1);
	struct buf b;
	buf_init(&b);
	buf_url_encode(&b, "a b/é", strlen("a b/é"));
	assert_string_equal(b.data, "a%20b%2F%C3%A9");
	buf_clear(&b);
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(utf8_valid("héllo €", strlen("héllo €")));
	assert_false(utf8_valid("\xc3", 1));
	assert_false(utf8_valid("\xc0\xaf", 2));    /* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	assert_false(utf8_valid("a\0b", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_grows), cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_json_escape), cmocka_unit_test(test_url),
		cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
