/* meeting.h - meetings between the police and the communities they serve.
 *
 * A meeting is organised by one or more organisations, held in an area,
 * from a start to an end (stored as UTC seconds with the IANA time zone it
 * is held in; shown in that zone), at a place and/or online, with an
 * agenda. It is public or private, may take registrations up to a capacity,
 * gets attendance (counts per organisation and per community group),
 * minutes and linked documents afterwards, and may be cancelled with a
 * reason. Every change raises its iCalendar SEQUENCE.
 *
 * Authorization is decided here against the organisers, through the
 * policy table (domain/policy.c): ERR_FORBIDDEN when the actor may not. */
#ifndef CONSENT_DOMAIN_MEETING_H
#define CONSENT_DOMAIN_MEETING_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/actor.h"
#include "domain/policy.h"
#include "store/store.h"

/* What a create or update gives. A NULL pointer or -1 means "not given":
 * keep the current value on update, use the default on create. Times are
 * RFC 3339 ("2026-12-01T18:30:00Z", any offset) or a local wall-clock time
 * without offset ("2026-12-01T18:30", seconds optional) read in tz. */
struct meeting_in {
	const char *title;
	const char *area; /* area slug */
	const char *start, *end;
	const char *tz; /* IANA name; default "Europe/London" */
	const char *place, *online_url, *agenda, *minutes;
	json_t *organisers; /* borrowed: array of organisation slugs */
	json_t *documents;  /* borrowed: [{"title","url"}] */
	json_t
	    *attendance;  /* borrowed: {"orgs":[{"org","count"}],"community":[{"group","count"}]} */
	int is_public;    /* 1, 0, or -1 */
	int registration; /* 1, 0, or -1 */
	int64_t capacity; /* -1 not given, 0 no limit, else the limit */
};

/* Sets every field of in to "not given". */
void meeting_in_init(struct meeting_in *in);

/* Creates a meeting; the actor must be allowed ACT_MEETING_CREATE in one
 * of the organisers. ERR_INVAL names the field (title, area, organisers,
 * start, end, tz, place, online_url, documents, attendance, capacity, ...);
 * nothing is written then. *id receives the new meeting's id. */
enum err meeting_create(struct store_conn *c, const struct actor *actor,
                        const struct meeting_in *in, int64_t *id, struct errinfo *ei);
/* Changes the fields given; the actor must be allowed ACT_MEETING_UPDATE in
 * a current organiser. The merged meeting is validated as a whole (an end
 * before the start fails whichever was given). Raises the sequence. */
enum err meeting_update(struct store_conn *c, const struct actor *actor, int64_t id,
                        const struct meeting_in *in, struct errinfo *ei);
/* Cancels with a reason (required). ERR_CONFLICT if already cancelled. */
enum err meeting_cancel(struct store_conn *c, const struct actor *actor, int64_t id,
                        const char *reason, struct errinfo *ei);
/* Registers the actor (on = 1) or withdraws the registration (on = 0).
 * ERR_CONFLICT if the meeting takes no registrations, is cancelled, is
 * over, or is full. */
enum err meeting_register(struct store_conn *c, const struct actor *actor, int64_t id, int on,
                          struct errinfo *ei);

/* The meeting as JSON (see docs in api/meetings.c); the caller owns it.
 * ERR_NOTFOUND also when it is private and the actor may not see it. */
enum err meeting_get(struct store_conn *c, const struct actor *actor, int64_t id, json_t **out);

enum meeting_when { MEETING_ALL, MEETING_UPCOMING, MEETING_PAST };

struct meeting_filter {
	const char *area;       /* slug: this area and the areas within it; NULL for all */
	const char *org;        /* slug of an organiser; NULL for all */
	enum meeting_when when; /* upcoming: not yet ended */
	int public_only;        /* 1 for feeds: never private meetings */
	int limit;              /* at most this many (default 500) */
};

/* The meetings the actor may see that match f, as a JSON array of
 * meeting_get objects: upcoming ones soonest first, otherwise latest
 * first. ERR_INVAL names "area" or "org" when the slug is unknown. */
enum err meeting_list(struct store_conn *c, const struct actor *actor,
                      const struct meeting_filter *f, json_t **out, struct errinfo *ei);

/* 1 if the actor may perform a (ACT_MEETING_UPDATE, ACT_MEETING_CANCEL,
 * ACT_MEETING_VIEW, ...) on meeting id, judged against its organisers. */
int meeting_allowed(struct store_conn *c, const struct actor *actor, enum action a, int64_t id);

/* Formats the UTC instant t in zone tz as "2026-12-01T18:30:00+00:00"
 * into out[32] (UTC when tz is unknown). */
void meeting_local_time(int64_t t, const char *tz, char out[32]);

#endif
