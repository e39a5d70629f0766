/* field.h - checks of input fields and a statement runner shared by the
 * report files of domain/ (category.c, report.c, open311key.c). */
#ifndef CONSENT_DOMAIN_FIELD_H
#define CONSENT_DOMAIN_FIELD_H

#include <stddef.h>

#include "base/err.h"
#include "store/store.h"

/* The number of code points of a valid UTF-8 string. */
size_t field_chars(const char *s);

/* Checks a text field: NULL or "" is an error naming field if required;
 * otherwise it must be valid UTF-8 of at most max characters (code
 * points). multiline: line breaks and tabs are allowed; other control
 * characters never are. */
enum err field_text(const char *field, const char *s, size_t max, int required, int multiline,
                    struct errinfo *ei);

/* 1 if s is a code: 1-63 of [a-z0-9_]. */
int field_code_valid(const char *s);

/* Runs st to completion and resets it; returns its error. */
enum err field_run(struct store_stmt *st);

/* Runs st, which returns at most one integer, and resets it: *out is the
 * value (ERR_NOTFOUND when there is no row). */
enum err field_int(struct store_stmt *st, int64_t *out);

#endif
