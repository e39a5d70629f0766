/* ical.h - the iCalendar (RFC 5545) meeting feeds.
 *
 * A read-only subscription feed: no METHOD, VERSION:2.0 and PRODID once,
 * one VEVENT per meeting with a stable random UID, DTSTAMP (the meeting's
 * last change, UTC), DTSTART/DTEND in UTC (so no VTIMEZONE is needed),
 * SEQUENCE raised on every change, STATUS CONFIRMED or CANCELLED (cancelled
 * meetings stay in the feed). Lines end in CRLF and are folded at 75 octets
 * without splitting a UTF-8 sequence; TEXT values are escaped. */
#ifndef CONSENT_API_ICAL_H
#define CONSENT_API_ICAL_H

#include <jansson.h>
#include <stddef.h>

#include "base/buf.h"

/* Appends s escaped as an iCalendar TEXT value: backslash, ';' and ','
 * escaped, line breaks (CRLF, CR or LF) as "\n", other control characters
 * dropped. */
void ical_escape_text(struct buf *b, const char *s);
/* Appends the content line line[0..n) folded to lines of at most 75
 * octets (a continuation starts with one space) and ended by CRLF; a
 * UTF-8 multi-octet sequence is never split. */
void ical_fold(struct buf *out, const char *line, size_t n);
/* Appends a whole VCALENDAR named name (X-WR-CALNAME) holding one VEVENT
 * per meeting of the array meetings (meeting_get objects). */
void ical_calendar(struct buf *out, const char *name, json_t *meetings);

/* Registers GET /calendar.ics, /areas/{slug}/calendar.ics,
 * /orgs/{slug}/calendar.ics and /meetings/{id}.ics. */
void api_ical_routes(void);

#endif
