/* field.h - validation of the input fields the engagement files share
 * (text, links, dates), each failure naming its field in an errinfo. */
#ifndef CONSENT_DOMAIN_FIELD_H
#define CONSENT_DOMAIN_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* Text of at most max bytes of UTF-8 (no NUL). NULL or "" fails only when
 * required. ERR_INVAL naming field otherwise. */
enum err field_text(struct errinfo *ei, const char *field, const char *s, size_t max, int required);
/* 1 if s is an absolute http: or https: URL of at most 2000 printable
 * ASCII characters without spaces, quotes or angle brackets. */
int field_url_valid(const char *s);
/* 1 if s is a path on this site ("/meetings/3"): one leading slash (not
 * two), at most 2000 characters, with the same characters as above. */
int field_path_valid(const char *s);
/* A link field: NULL or "" is allowed unless required. */
enum err field_url(struct errinfo *ei, const char *field, const char *s, int required);
/* 1 if s is a real calendar date "YYYY-MM-DD" (years 1900-9999). */
int field_date_valid(const char *s);
/* A random (version 4) UUID in lower-case hex with dashes, into out[37]. */
void field_uuid(char out[37]);
/* Today's date in UTC as "YYYY-MM-DD", into out[11]. */
void field_today(char out[11]);

/* The number of code points of a valid UTF-8 string. */
size_t field_chars(const char *s);

/* Like field_text, counting code points (not bytes), with control
 * characters refused unless multiline. Checks a text field: NULL or "" is an error naming field if required;
 * otherwise it must be valid UTF-8 of at most max characters (code
 * points). multiline: line breaks and tabs are allowed; other control
 * characters never are. */
enum err field_text_chars(const char *field, const char *s, size_t max, int required, int multiline,
                    struct errinfo *ei);

/* 1 if s is a code: 1-63 of [a-z0-9_]. */
int field_code_valid(const char *s);

/* Runs st, which returns at most one integer, and resets it: *out is the
 * value (ERR_NOTFOUND when there is no row). */
enum err field_int(struct store_stmt *st, int64_t *out);

#endif
