#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"

static enum log_level min_level = LOG_INFO;

void log_set_level(enum log_level l)
{
	min_level = l;
}

void log_line(const char *json, size_t len)
{
	/* One write per line keeps lines whole between threads. */
	while (len > 0) {
		ssize_t w = write(STDERR_FILENO, json, len);
		if (w <= 0)
			return;
		json += w;
		len -= (size_t)w;
	}
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	if (l < min_level)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char ts[40];
	clock_format_rfc3339_ms(clock_now_ms(), ts);
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"", ts, names[l]);
	buf_json_escape(&b, msg, strlen(msg));
	buf_puts(&b, "\"}\n");
	log_line(b.data, b.len);
	buf_clear(&b);
}
