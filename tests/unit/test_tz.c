/* base/tz: TZif parsing, POSIX footer rules, local <-> UTC conversion, on
 * the system's zone files (tzdata) and on a TZif built here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/clock.h"
#include "base/tz.h"

static int64_t utc(int y, int mo, int d, int h, int mi)
{
	return clock_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60;
}

static void test_names(void **state)
{
	(void)state;
	assert_true(tz_name_valid("Europe/London"));
	assert_true(tz_name_valid("UTC"));
	assert_true(tz_name_valid("America/Argentina/Buenos_Aires"));
	assert_true(tz_name_valid("Etc/GMT+5"));
	assert_false(tz_name_valid(""));
	assert_false(tz_name_valid("/etc/passwd"));
	assert_false(tz_name_valid("Europe/../../etc/passwd"));
	assert_false(tz_name_valid("Europe//London"));
	assert_false(tz_name_valid("Europe/London "));
	assert_false(tz_name_valid(NULL));
	const struct tz *z;
	assert_int_equal(tz_get("Mars/Olympus_Mons", &z), ERR_NOTFOUND);
	assert_int_equal(tz_get("../x", &z), ERR_INVAL);
}

static void test_london_brussels(void **state)
{
	(void)state;
	const struct tz *lon, *bru;
	assert_int_equal(tz_get("Europe/London", &lon), ERR_OK);
	assert_int_equal(tz_get("Europe/Brussels", &bru), ERR_OK);
	const struct tz *again;
	assert_int_equal(tz_get("Europe/London", &again), ERR_OK);
	assert_ptr_equal(lon, again);
	assert_int_equal(tz_offset(lon, utc(2026, 1, 15, 12, 0)), 0);
	assert_int_equal(tz_offset(lon, utc(2026, 7, 1, 12, 0)), 3600);
	assert_int_equal(tz_offset(bru, utc(2026, 1, 15, 12, 0)), 3600);
	assert_int_equal(tz_offset(bru, utc(2026, 7, 1, 12, 0)), 7200);
	/* The change on 2026-03-29 at 01:00 UTC. */
	assert_int_equal(tz_offset(lon, utc(2026, 3, 29, 0, 59)), 0);
	assert_int_equal(tz_offset(lon, utc(2026, 3, 29, 1, 0)), 3600);
	struct tz_civil c;
	tz_local(lon, utc(2026, 7, 1, 17, 30), &c);
	assert_int_equal(c.year, 2026);
	assert_int_equal(c.month, 7);
	assert_int_equal(c.hour, 18);
	assert_int_equal(c.minute, 30);
	assert_string_equal(c.abbr, "BST");
	assert_true(c.is_dst);
	tz_local(bru, utc(2026, 12, 31, 23, 30), &c);
	assert_int_equal(c.year, 2027);
	assert_int_equal(c.month, 1);
	assert_int_equal(c.day, 1);
	assert_int_equal(c.hour, 0);
	assert_string_equal(c.abbr, "CET");
	/* Past the last transition of the file: the footer rule applies. */
	assert_int_equal(tz_offset(lon, utc(2080, 7, 1, 12, 0)), 3600);
	assert_int_equal(tz_offset(lon, utc(2080, 12, 1, 12, 0)), 0);
}

static void test_local_to_utc(void **state)
{
	(void)state;
	const struct tz *lon;
	assert_int_equal(tz_get("Europe/London", &lon), ERR_OK);
	/* Ordinary times. */
	assert_true(tz_to_utc(lon, utc(2026, 12, 1, 18, 30)) == utc(2026, 12, 1, 18, 30));
	assert_true(tz_to_utc(lon, utc(2026, 6, 1, 18, 30)) == utc(2026, 6, 1, 17, 30));
	/* 01:30 does not exist on 2026-03-29: read as GMT, i.e. 02:30 BST. */
	assert_true(tz_to_utc(lon, utc(2026, 3, 29, 1, 30)) == utc(2026, 3, 29, 1, 30));
	/* 01:30 happens twice on 2026-10-25: the first one (BST). */
	assert_true(tz_to_utc(lon, utc(2026, 10, 25, 1, 30)) == utc(2026, 10, 25, 0, 30));
}

static size_t put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return 4;
}

/* A "slim" TZif v2 file: no transitions, one type, and a footer rule. */
static size_t slim(unsigned char *out, const char *rule)
{
	size_t n = 0;
	for (int part = 0; part < 2; part++) {
		memcpy(out + n, "TZif2", 5);
		memset(out + n + 5, 0, 15);
		n += 20;
		n += put32(out + n, 0); /* isut */
		n += put32(out + n, 0); /* isstd */
		n += put32(out + n, 0); /* leap */
		n += put32(out + n, 0); /* time */
		n += put32(out + n, 1); /* type */
		n += put32(out + n, 4); /* chars */
		n += put32(out + n, 3600);
		out[n++] = 0;
		out[n++] = 0;
		memcpy(out + n, "CET", 4);
		n += 4;
	}
	out[n++] = '\n';
	memcpy(out + n, rule, strlen(rule));
	n += strlen(rule);
	out[n++] = '\n';
	return n;
}

static void test_posix_footer(void **state)
{
	(void)state;
	unsigned char data[256];
	struct tz *z;
	size_t n = slim(data, "CET-1CEST,M3.5.0,M10.5.0/3");
	assert_int_equal(tz_parse(data, n, &z), ERR_OK);
	/* 2031: last Sunday of March is the 30th, of October the 26th. */
	assert_int_equal(tz_offset(z, utc(2031, 3, 30, 0, 59)), 3600);
	assert_int_equal(tz_offset(z, utc(2031, 3, 30, 1, 0)), 7200);
	assert_int_equal(tz_offset(z, utc(2031, 10, 26, 0, 59)), 7200);
	assert_int_equal(tz_offset(z, utc(2031, 10, 26, 1, 0)), 3600);
	struct tz_civil c;
	tz_local(z, utc(2031, 8, 1, 10, 0), &c);
	assert_string_equal(c.abbr, "CEST");
	tz_free(z);
	/* Southern hemisphere: daylight time spans the new year. */
	n = slim(data, "<+13>-13<+14>,M9.5.0/2,M4.1.0/3");
	assert_int_equal(tz_parse(data, n, &z), ERR_OK);
	assert_int_equal(tz_offset(z, utc(2030, 1, 10, 0, 0)), 14 * 3600);
	assert_int_equal(tz_offset(z, utc(2030, 6, 10, 0, 0)), 13 * 3600);
	tz_free(z);
	n = slim(data, "UTC0");
	assert_int_equal(tz_parse(data, n, &z), ERR_OK);
	assert_int_equal(tz_offset(z, utc(2030, 6, 10, 0, 0)), 0);
	tz_free(z);
	/* Malformed. */
	n = slim(data, "CET-1CEST,M13.5.0,M10.5.0");
	assert_int_equal(tz_parse(data, n, &z), ERR_INVAL);
	assert_int_equal(tz_parse("TZif", 4, &z), ERR_INVAL);
	assert_int_equal(tz_parse("not a zone file at all, not at all, no no no", 44, &z),
	                 ERR_INVAL);
	data[0] = 'X';
	assert_int_equal(tz_parse(data, n, &z), ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_london_brussels),
	    cmocka_unit_test(test_local_to_utc),
	    cmocka_unit_test(test_posix_footer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
