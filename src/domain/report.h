/* report.h - reports with consent: filing (directly or through a community
 * organisation), the receipt (status, public updates, messages both ways,
 * consent changes, erasure), routing to the police force of the area.
 *
 * Personal data - what happened, the exact place, the reporter's name and
 * contact details, messages - is sealed with the report's own data key
 * (domain/vault.h) and never leaves this file or domain/audit.c in clear
 * except to the reporter (through the receipt) and to staff through
 * audit.c. The receipt token is shown once; only its SHA-256 is stored. */
#ifndef CONSENT_DOMAIN_REPORT_H
#define CONSENT_DOMAIN_REPORT_H

#include <jansson.h>
#include <stdint.h>

#include "base/crypto.h"
#include "base/err.h"
#include "domain/actor.h"
#include "domain/policy.h"
#include "store/store.h"

#define REPORT_ID_CHARS     16   /* random public id: base64url of 12 bytes */
#define REPORT_TEXT_MAX     4000 /* characters of a description or a message */
#define REPORT_NOTE_MAX     1000 /* characters of a public note, reason or address */
#define REPORT_STRANDS_MAX  7
#define REPORT_MESSAGES_MAX 500 /* messages on one report */

enum report_status {
	REPORT_RECEIVED,
	REPORT_ACKNOWLEDGED,
	REPORT_IN_PROGRESS,
	REPORT_RESOLVED,
	REPORT_CLOSED,
	REPORT_STATUS_COUNT
};

/* "in_progress" and back (-1 if unknown). */
const char *report_status_name(enum report_status s);
int report_status_parse(const char *s);

/* A new report. Strings are the caller's; NULL means absent. */
struct report_input {
	const char *category; /* code */
	json_t *strands;      /* JSON array of strand codes (hate incidents and
	                         crimes), or NULL */
	const char *description;
	const char *occurred_at; /* RFC 3339 */
	const char *area;        /* area slug */
	const char *address;     /* where: an address ... */
	int has_position;        /* ... or a position (lat, lon) */
	double lat, lon;
	const char *consent;              /* "statistics", "anonymous" or "identified" */
	const char *name, *email, *phone; /* the reporter, all optional */
	const char *via;                  /* slug of the community organisation filing it */
	const char *source;               /* "web", "api" or "open311" */
	int64_t filed_at;                 /* when it was filed (UTC); 0: now (the demo
	                                     and imports give older ones) */
};

struct report_receipt {
	int64_t row_id;                     /* database id (for callers in domain/) */
	char id[REPORT_ID_CHARS + 1];       /* the public id */
	char token[CRYPTO_TOKEN_CHARS + 1]; /* the receipt: shown once */
};

/* Files a report for actor (anonymous allowed; a via organisation needs
 * ACT_REPORT_FILE_VIA in it) in one transaction (a savepoint when the
 * caller has one open). kek is vault_kek() of the master key. Routes it to
 * the police force serving its area (the nearest police organisation up the
 * area hierarchy). Errors: ERR_INVAL naming the field (nothing is stored);
 * ERR_FORBIDDEN for via; store errors. */
enum err report_create(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                       const struct actor *actor, const struct report_input *in,
                       struct report_receipt *out, struct errinfo *ei);

/* --- the receipt: what the reporter sees and does ---------------------- */

struct tlog;

/* A report as its receipt shows it, labels in lang: {"id","category",
 * "strands","area","police","via","consent","status","source",
 * "occurred_at","filed_at","updated_at","erased","updates":[...],
 * "overrides":[...], "access": the report's entries in the accountability
 * log with their inclusion proofs (audit_report_history), and, until
 * erased, "description","location","reporter","messages":[...]}. t is the
 * log's signer (checkpoints). Call it outside a transaction. *row_id
 * (may be NULL) receives the database id. ERR_NOTFOUND for an unknown
 * token. Caller owns *out. */
enum err report_receipt_json(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                             struct tlog *t, const char *token, const char *lang, json_t **out,
                             int64_t *row_id);

/* The reporter answers (or writes first). ERR_NOTFOUND, ERR_INVAL ("body"),
 * ERR_CONFLICT once erased, ERR_LIMIT after REPORT_MESSAGES_MAX. */
enum err report_receipt_reply(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                              const char *token, const char *body, struct errinfo *ei);

/* The reporter changes the consent level (withdrawing is "statistics").
 * Raising it to identified needs contact details: those already given, or
 * name/email/phone here (each may be NULL), which replace the stored
 * identity when any is given. Logged as report.consent by "reporter".
 * ERR_NOTFOUND, ERR_INVAL ("consent", "reporter.*"), ERR_CONFLICT once
 * erased. */
enum err report_receipt_consent(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                                const char *token, const char *consent, const char *name,
                                const char *email, const char *phone, struct errinfo *ei);

/* The reporter erases the report: its data key, sealed parts, messages,
 * notes, override reasons and approximate position are destroyed; the
 * category, strands, area, month, consent, status and organisations stay
 * for statistics, and the receipt keeps working. Logged as report.erase.
 * ERR_NOTFOUND, ERR_CONFLICT if already erased. */
enum err report_receipt_erase(struct store_conn *c, const char *token, struct errinfo *ei);

/* The public id and database id of a receipt's report. ERR_NOTFOUND. */
enum err report_receipt_find(struct store_conn *c, const char *token, char id[REPORT_ID_CHARS + 1],
                             int64_t *row_id);

/* --- public: what anyone may see (reportpublic.c) ------------------------ */

#define REPORT_PUBLIC_CODES 16 /* service codes one public query may name */

/* A query of public reports (Open311 GET requests). */
struct report_public_filter {
	const char *const *codes; /* category codes (public ones), or none */
	size_t ncodes;
	int64_t start, end;  /* filed within [start, end] (UTC seconds) */
	int open, closed;    /* which statuses: open = received, acknowledged,
	                        in_progress; closed = resolved, closed */
	int page, page_size; /* 1-based page of at most page_size */
};

/* Public reports only: of a public category, with consent above
 * statistics, not erased; and only what is not personal: never the
 * description, the exact place or anyone's identity. Each is an Open311
 * service request: {"service_request_id","status" ("open"|"closed"),
 * "status_notes" (the latest public note),"service_name","service_code",
 * "description":null,"agency_responsible" (the police force),
 * "service_notice":null,"requested_datetime","updated_datetime",
 * "expected_datetime":null,"address" (the area's name),"address_id":null,
 * "zipcode":null,"lat","long" (rounded to 0.01 degree, or null),
 * "media_url":null}. Newest first. Caller owns *out (an array). */
enum err report_public_list(struct store_conn *c, const struct report_public_filter *f,
                            json_t **out);

/* One public report (as above). ERR_NOTFOUND when there is none or it is
 * not public. Caller owns *out. */
enum err report_public_get(struct store_conn *c, const char *id, json_t **out);

/* --- staff: triage and handling (reportstaff.c) ------------------------- */

#define REPORT_PAGE_MAX 200

/* Filters of a triage list; NULL or -1 for none. */
struct report_filter {
	const char *org;      /* slug of the actor's organisation whose list it is; NULL:
	                         the first that allows ACT_REPORT_TRIAGE */
	const char *status;   /* a status name */
	const char *category; /* a category code */
	const char *area;     /* an area slug: it and the areas within it */
	int min_age_days;     /* filed at least this many days ago */
	int max_age_days;     /* filed at most this many days ago */
	int page;             /* 1-based */
	int page_size;        /* 1..REPORT_PAGE_MAX */
};

/* The reports an organisation of actor handles, newest first, without
 * anything personal: the police force's list leaves out statistics-only
 * reports; a community organisation's holds every report it took.
 * {"org":{slug,name,kind},"page","page_size","more","reports":[{"id",
 * "category","area","status","consent","via","filed_at","updated_at",
 * "erased"}]}. ERR_FORBIDDEN (field "org"), ERR_INVAL naming the filter.
 * Caller owns *out. */
enum err report_triage(struct store_conn *c, const struct actor *actor,
                       const struct report_filter *f, const char *lang, json_t **out,
                       struct errinfo *ei);

/* Opens a report for staff, within its consent (policy_report_access):
 * through domain/audit.c, which appends one log entry (report.read or
 * report.read.identity, with purpose) before anything personal is read.
 * {facts..., "view":"content"|"full", "acting_for":{slug,name}, "role",
 * "log_index", "description", "location", "messages", and "reporter" only
 * for a full view}; an erased report shows its facts only, and is not
 * logged. ERR_NOTFOUND when the actor may see nothing of it (nothing is
 * logged). Caller owns *out. */
enum err report_staff_view(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                           const struct actor *actor, const char *id, const char *purpose,
                           const char *lang, json_t **out, struct errinfo *ei);

/* Moves a report through the workflow received -> acknowledged ->
 * in_progress -> resolved | closed (forward moves may skip steps; resolved
 * or closed reports may be reopened to in_progress); closing needs a
 * reason, given as note; note is public (shown on the receipt and, for
 * public categories, through Open311). Logged as report.status.
 * ERR_NOTFOUND as report_staff_view; ERR_FORBIDDEN; ERR_INVAL ("status",
 * "note"); ERR_CONFLICT for a move the workflow does not allow. */
enum err report_set_status(struct store_conn *c, const struct actor *actor, const char *id,
                           const char *status, const char *note, struct errinfo *ei);

/* Staff write to the reporter (who sees only the organisation's name).
 * Logged as report.message. Errors: as report_set_status; ERR_INVAL
 * ("body"); ERR_CONFLICT once erased. */
enum err report_staff_message(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                              const struct actor *actor, const char *id, const char *body,
                              struct errinfo *ei);

/* A supervisor of the report's police force opens it whole, beyond its
 * consent, with a written reason (REPORT_NOTE_MAX characters at most, 10
 * at least): logged as report.override, recorded with the reason (sealed)
 * for the reporter's receipt. Returns the full view as report_staff_view.
 * ERR_NOTFOUND (unknown id, or not this force's); ERR_FORBIDDEN; ERR_INVAL
 * ("reason"); ERR_CONFLICT once erased. */
enum err report_override(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                         const struct actor *actor, const char *id, const char *reason,
                         const char *lang, json_t **out, struct errinfo *ei);

#endif
