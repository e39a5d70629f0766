/* api/ical.c's formatting: TEXT escaping and 75-octet folding that never
 * splits a UTF-8 sequence (RFC 5545 section 3.1, 3.3.11). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/ical.h"
#include "base/buf.h"

static void test_escape(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	ical_escape_text(&b, "a,b;c\\d\r\ne\nf\rg:h\ti\x01j");
	assert_string_equal(b.data, "a\\,b\\;c\\\\d\\ne\\nf\\ng:h ij");
	buf_clear(&b);
}

/* Every physical line is at most 75 octets, continuation lines start with
 * one space, no line starts inside a UTF-8 sequence, and unfolding gives
 * the input back. */
static void check_fold(const char *line)
{
	struct buf b, unfolded;
	buf_init(&b);
	buf_init(&unfolded);
	ical_fold(&b, line, strlen(line));
	assert_true(b.len >= 2 && !memcmp(b.data + b.len - 2, "\r\n", 2));
	const char *p = b.data;
	int first = 1;
	while (*p) {
		const char *end = strstr(p, "\r\n");
		assert_non_null(end);
		size_t n = (size_t)(end - p);
		assert_true(n <= 75);
		if (!first) {
			assert_true(p[0] == ' ');
			p++;
			n--;
		}
		if (n)
			assert_true(((unsigned char)p[0] & 0xC0) != 0x80);
		assert_true(utf8_valid(p, n));
		buf_append(&unfolded, p, n);
		first = 0;
		p = end + 2;
	}
	assert_string_equal(unfolded.data ? unfolded.data : "", line);
	buf_clear(&b);
	buf_clear(&unfolded);
}

static void test_fold(void **state)
{
	(void)state;
	check_fold("");
	check_fold("SUMMARY:short");
	char line[1024];
	/* Exactly 75, then 76 octets. */
	memset(line, 'x', 75);
	line[75] = '\0';
	check_fold(line);
	memset(line, 'x', 76);
	line[76] = '\0';
	check_fold(line);
	/* Two-, three- and four-octet characters at every offset. */
	static const char *const chars[] = {"\xc3\xa9", "\xe2\x80\x93", "\xf0\x9f\x98\x80"};
	for (size_t k = 0; k < 3; k++) {
		for (size_t pre = 0; pre < 8; pre++) {
			size_t n = 0;
			memcpy(line, "DESCRIPTION:", 12);
			n = 12;
			for (size_t i = 0; i < pre; i++)
				line[n++] = 'a';
			while (n + 4 < 600) {
				memcpy(line + n, chars[k], strlen(chars[k]));
				n += strlen(chars[k]);
			}
			line[n] = '\0';
			check_fold(line);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_fold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
