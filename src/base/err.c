#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>

const char *err_str(enum err e)
{
	switch (e) {
	case ERR_OK: return "ok";
	case ERR_NOMEM: return "out_of_memory";
	case ERR_INVAL: return "invalid";
	case ERR_NOTFOUND: return "not_found";
	case ERR_FORBIDDEN: return "forbidden";
	case ERR_UNAUTH: return "unauthorized";
	case ERR_CONFLICT: return "conflict";
	case ERR_STORE: return "store_error";
	case ERR_UNAVAIL: return "unavailable";
	case ERR_IO: return "io_error";
	case ERR_CRYPTO: return "crypto_error";
	case ERR_LIMIT: return "limit_exceeded";
	case ERR_INTERNAL: return "internal_error";
	}
	return "unknown";
}

enum err err_set(struct errinfo *ei, enum err e, const char *field, const char *fmt, ...)
{
	if (!ei)
		return e;
	snprintf(ei->field, sizeof ei->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ei->msg, sizeof ei->msg, fmt, ap);
	va_end(ap);
	return e;
}

void err_vformat_at(char *buf, size_t n, const char *name, int line, const char *fmt,
		    va_list ap)
{
	if (!buf || !n)
		return;
	int k = snprintf(buf, n, "%s:%d: ", name, line);
	if (k >= 0 && (size_t)k < n)
		vsnprintf(buf + k, n - (size_t)k, fmt, ap);
}
