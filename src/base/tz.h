/* tz.h - IANA time zones, read from the system's TZif files, thread-safe.
 *
 * Why not setenv("TZ") + localtime_r: TZ is process-wide state, so changing
 * it per request races between worker threads. Instead consent stores every
 * time as UTC seconds together with the IANA zone name of the event, and
 * converts with this module: tz_get() parses /usr/share/zoneinfo/NAME (or
 * $TZDIR/NAME) once, keeps it for the life of the process, and every lookup
 * after that only reads an immutable table. Times after the last transition
 * of the file follow the POSIX TZ rule of its footer (TZif version 2+), so
 * "slim" zone files work too.
 *
 * tz_parse() is pure (bytes in, table out) and tested alone. */
#ifndef CONSENT_BASE_TZ_H
#define CONSENT_BASE_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* A parsed time zone. Opaque; immutable once built. */
struct tz;

/* Local civil time of an instant in a zone (tz_local). */
struct tz_civil {
	int64_t year;
	int month, day, hour, minute, second;
	int32_t offset; /* seconds east of UTC in force at that instant */
	int is_dst;
	char abbr[16]; /* "BST", "CET"; "" if the file has none */
};

/* 1 if name looks like an IANA zone name ("Europe/London", "UTC"): 1-64
 * of [A-Za-z0-9/_+-], no leading '/', no "..", no empty component. */
int tz_name_valid(const char *name);

/* The zone called name, loaded on first use and cached for the life of the
 * process (shared, never freed by the caller). Safe from any thread.
 * ERR_INVAL if the name is malformed, ERR_NOTFOUND if no such zone file,
 * ERR_INVAL if the file does not parse. */
enum err tz_get(const char *name, const struct tz **out);

/* Parses TZif data p[0..n) into a new zone (free with tz_free). Pure.
 * ERR_INVAL if it is not a valid TZif file. */
enum err tz_parse(const void *p, size_t n, struct tz **out);
void tz_free(struct tz *z);

/* The offset (seconds east of UTC) in force in z at the UTC instant t. */
int32_t tz_offset(const struct tz *z, int64_t t);
/* The local civil time of the UTC instant t in z. */
void tz_local(const struct tz *z, int64_t t, struct tz_civil *out);
/* The UTC instant of a local wall-clock time, given as seconds since
 * 1970-01-01T00:00 of the local calendar. An ambiguous time (the repeated
 * hour when clocks go back) gives the first instant; a time that does not
 * exist (skipped when clocks go forward) is read with the offset before the
 * change, so it lands just after the gap. */
int64_t tz_to_utc(const struct tz *z, int64_t local);

#endif
