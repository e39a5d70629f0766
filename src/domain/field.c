/* field.c - input checks and statement helpers for domain/. */
#include "domain/field.h"

#include <string.h>

#include "base/buf.h"

size_t field_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

enum err field_text(const char *field, const char *s, size_t max, int required, int multiline,
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

enum err field_run(struct store_stmt *st)
{
	if (!st)
		return ERR_STORE;
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		;
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	return e;
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
