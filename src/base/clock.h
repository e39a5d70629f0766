/* clock.h - time: UTC seconds, monotonic nanoseconds, RFC 3339. */
#ifndef CONSENT_BASE_CLOCK_H
#define CONSENT_BASE_CLOCK_H

#include <stdint.h>

/* Seconds since the Unix epoch (UTC). */
int64_t clock_now(void);
/* Milliseconds since the Unix epoch (UTC). */
int64_t clock_now_ms(void);
/* Monotonic nanoseconds, for measuring durations. */
uint64_t clock_mono_ns(void);

/* Days since 1970-01-01 of a proleptic Gregorian civil date. */
int64_t clock_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The civil date of a day number (days since 1970-01-01). */
void clock_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* Formats t (UTC seconds) as "2026-11-24T20:52:52Z" into out[21+]. */
void clock_format_rfc3339(int64_t t, char out[32]);
/* Formats t (UTC milliseconds) as "2026-11-24T20:52:52.123Z" into out. */
void clock_format_rfc3339_ms(int64_t ms, char out[40]);
/* Parses an RFC 3339 date-time ("2026-11-24T20:52:52Z", fractional seconds
 * and a numeric offset allowed) into UTC seconds. Returns 0, or -1 if s is
 * not a valid RFC 3339 date-time. */
int clock_parse_rfc3339(const char *s, int64_t *out);

#endif
