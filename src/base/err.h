/* err.h - the one error type of consent. */
#ifndef CONSENT_BASE_ERR_H
#define CONSENT_BASE_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* Every fallible function returns one of these. Details (which field, what
 * was wrong) go to an out-parameter or the object's message buffer. */
enum err {
	ERR_OK = 0,
	ERR_NOMEM,     /* allocation failed (xmalloc aborts instead; rare) */
	ERR_INVAL,     /* invalid input: a field is missing or wrong */
	ERR_NOTFOUND,  /* the thing asked for does not exist */
	ERR_FORBIDDEN, /* the actor may not do this */
	ERR_UNAUTH,    /* no or bad credentials */
	ERR_CONFLICT,  /* conflicts with the current state (duplicate, ...) */
	ERR_STORE,     /* the database failed */
	ERR_UNAVAIL,   /* a dependency is down (database unreachable) */
	ERR_IO,        /* file or network I/O failed */
	ERR_CRYPTO,    /* a signature, MAC or decryption did not verify */
	ERR_LIMIT,     /* a limit was exceeded (size, rate) */
	ERR_INTERNAL,  /* a bug */
};

/* Returns a static, lower-case, stable name for e ("invalid", ...). */
const char *err_str(enum err e);

/* Details of a failure for the person or program that caused it: which
 * input field was wrong (may be empty) and a message in plain words. Never
 * put personal data or secrets in msg. */
struct errinfo {
	char field[64];
	char msg[256];
};

/* Fills ei (if not NULL) and returns e, so callers can write
 * `return err_set(ei, ERR_INVAL, "email", "is not an email address");`. */
enum err err_set(struct errinfo *ei, enum err e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Writes "name:line: " and the formatted message into buf[n] (for parse
 * errors that point into a file). Does nothing if buf is NULL or n is 0. */
void err_vformat_at(char *buf, size_t n, const char *name, int line, const char *fmt,
		    va_list ap);

#endif
