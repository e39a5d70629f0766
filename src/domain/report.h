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

/* A report as its receipt shows it, labels in lang: {"id","category",
 * "strands","area","police","via","consent","status","source",
 * "occurred_at","filed_at","updated_at","erased","updates":[...],
 * "description","location","reporter","messages":[...],"overrides":[...]}
 * (the last five absent once erased). *row_id receives the database id.
 * ERR_NOTFOUND for an unknown token. Caller owns *out. */
enum err report_receipt_json(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                             const char *token, const char *lang, json_t **out, int64_t *row_id);

/* The reporter answers (or writes first). ERR_NOTFOUND, ERR_INVAL ("body"),
 * ERR_CONFLICT once erased, ERR_LIMIT after REPORT_MESSAGES_MAX. */
enum err report_receipt_reply(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                              const char *token, const char *body, struct errinfo *ei);

/* The public id and database id of a receipt's report. ERR_NOTFOUND. */
enum err report_receipt_find(struct store_conn *c, const char *token, char id[REPORT_ID_CHARS + 1],
                             int64_t *row_id);

#endif
