/* log.h - structured server log: one JSON line per event on stderr.
 *
 * Never pass personal data (names, emails, report text, tokens, client
 * addresses) to these functions: the server log is not access-controlled. */
#ifndef CONSENT_BASE_LOG_H
#define CONSENT_BASE_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the lowest level written (default LOG_INFO); CONSENT_LOG_LEVEL=debug
 * in the environment lowers it. */
void log_set_level(enum log_level l);
/* Writes {"time":...,"level":...,"msg":...} as one line with one write(2). */
void log_msg(enum log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes an already-formed JSON object as one line, atomically. */
void log_line(const char *json, size_t len);

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
