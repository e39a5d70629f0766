/* xalloc.h - allocation that aborts on out-of-memory.
 *
 * Request limits make running out of memory a bug, not an input, so callers
 * never check for NULL (as redis, h2o and kore do). */
#ifndef CONSENT_BASE_XALLOC_H
#define CONSENT_BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Reallocates an array of count elements of size bytes, checking overflow. */
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
