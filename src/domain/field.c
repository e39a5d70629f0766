/* field.c - shared input validation for the engagement files. */
#include "domain/field.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "store/store.h"

enum err field_text(struct errinfo *ei, const char *field, const char *s, size_t max, int required)
{
	if (!s || !*s)
		return required ? err_set(ei, ERR_INVAL, field, "is required") : ERR_OK;
	size_t n = strlen(s);
	if (n > max || !utf8_valid(s, n))
		return err_set(ei, ERR_INVAL, field, "must be valid UTF-8 of at most %zu bytes",
		               max);
	return ERR_OK;
}

/* 1 if the n bytes of s are printable ASCII without spaces, quotes,
 * backslashes or angle brackets. */
static int url_chars_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' ||
		    c == '`')
			return 0;
	}
	return 1;
}

int field_url_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	size_t scheme;
	if (n > 2000)
		return 0;
	if (n > 8 && strncmp(s, "https://", 8) == 0)
		scheme = 8;
	else if (n > 7 && strncmp(s, "http://", 7) == 0)
		scheme = 7;
	else
		return 0;
	if (s[scheme] == '/' || s[scheme] == '?' || s[scheme] == '#')
		return 0; /* no host */
	return url_chars_ok(s, n);
}

int field_path_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 2000 || s[0] != '/' || s[1] == '/')
		return 0; /* "//host" would leave the site */
	return url_chars_ok(s, n);
}

enum err field_url(struct errinfo *ei, const char *field, const char *s, int required)
{
	if (!s || !*s)
		return required ? err_set(ei, ERR_INVAL, field, "is required") : ERR_OK;
	if (!field_url_valid(s))
		return err_set(ei, ERR_INVAL, field,
		               "must be an http:// or https:// link of at most 2000 characters");
	return ERR_OK;
}

int field_date_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

void field_uuid(char out[37])
{
	unsigned char b[16];
	crypto_random(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	char hex[33];
	crypto_hex(b, sizeof b, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

void field_today(char out[11])
{
	char ts[32];
	clock_format_rfc3339(clock_now(), ts);
	snprintf(out, 11, "%.10s", ts);
}

size_t field_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

enum err field_text_chars(const char *field, const char *s, size_t max, int required, int multiline,
                    struct errinfo *ei)
{
	if (!s || !*s)
		return required ? err_set(ei, ERR_INVAL, field, "is required") : ERR_OK;
	size_t n = strlen(s);
	if (!utf8_valid(s, n))
		return err_set(ei, ERR_INVAL, field, "must be valid UTF-8");
	for (const char *p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch < 0x20 && !(multiline && (ch == '\n' || ch == '\r' || ch == '\t')))
			return err_set(ei, ERR_INVAL, field, "must not contain control characters");
		if (ch == 0x7f)
			return err_set(ei, ERR_INVAL, field, "must not contain control characters");
	}
	if (field_chars(s) > max)
		return err_set(ei, ERR_INVAL, field, "must be at most %zu characters long", max);
	return ERR_OK;
}

int field_code_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 63)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

enum err field_int(struct store_stmt *st, int64_t *out)
{
	if (!st)
		return ERR_STORE;
	enum store_step r = store_step(st);
	enum err e = ERR_NOTFOUND;
	if (r == STORE_ROW) {
		*out = store_col_int(st, 0);
		e = ERR_OK;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}
