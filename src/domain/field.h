/* field.h - validation of the input fields the engagement files share
 * (text, links, dates), each failure naming its field in an errinfo. */
#ifndef CONSENT_DOMAIN_FIELD_H
#define CONSENT_DOMAIN_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

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

#endif
