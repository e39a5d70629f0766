/* audit.h - the domain's side of the accountability log (tlog/tlog.h):
 * records who did what to what, and why, in the transaction that does it.
 *
 * The actor is named by its pseudonymous public id, the role it acted in
 * (as domain/policy.c allowed it) and that role's organisation; the object
 * is a reference that reveals nothing personal ("membership:ORG/PUBLIC_ID",
 * "org:SLUG"). The console (commands run on the server itself, such as
 * `consent user add`) acts as {"id":"console","role":"operator"}. */
#ifndef CONSENT_DOMAIN_AUDIT_H
#define CONSENT_DOMAIN_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "base/crypto.h"
#include "base/err.h"
#include "domain/actor.h"
#include "domain/policy.h"
#include "store/store.h"

/* Appends to the log that actor (NULL: the console) performed action on
 * object for purpose, acting on organisation target_org (0: none in
 * particular). Call it inside the transaction of the action and fail the
 * action if it fails. Errors: ERR_FORBIDDEN if the policy does not allow
 * the actor the action; ERR_INVAL for an object or purpose the log refuses
 * (too long, control characters); store errors. */
enum err audit_record(struct store_conn *c, const struct actor *actor, enum action action,
                      int64_t target_org, const char *object, const char *purpose);

/* --- reports: THE one path to their personal data ------------------------ */

struct report_row;
struct tlog;

/* The log's names for what was done to a report. */
#define AUDIT_REPORT_READ          "report.read"          /* content, not identity */
#define AUDIT_REPORT_READ_IDENTITY "report.read.identity" /* content and identity */
#define AUDIT_REPORT_OVERRIDE      "report.override"      /* beyond consent, with a reason */
#define AUDIT_REPORT_MESSAGE       "report.message"       /* staff wrote to the reporter */
#define AUDIT_REPORT_STATUS        "report.status"
#define AUDIT_REPORT_CONSENT       "report.consent" /* the reporter changed it */
#define AUDIT_REPORT_ERASE         "report.erase"   /* the reporter erased it */

/* Appends to the log that actor did log_action (one of the names above) to
 * report r for purpose, in the role policy action `act` gives it on
 * target_org, and indexes the entry under the report (for its receipt).
 * actor NULL is the reporter, acting through the receipt
 * ({"id":"reporter","role":"reporter"}). Call it inside the transaction of
 * the action, as its last write, and fail the action if it fails. *index
 * (may be NULL) receives the entry's position. Errors: as audit_record. */
enum err audit_report(struct store_conn *c, const struct actor *actor, enum action act,
                      int64_t target_org, const char *log_action, const struct report_row *r,
                      const char *purpose, uint64_t *index);

/* THE one path by which staff reach a report's personal data. Appends the
 * entry as audit_report does, in a transaction of its own (a savepoint of
 * the caller's when one is open, so that the caller's writes and the entry
 * commit together), commits it and only then unwraps the report's data key
 * into dk. Fail closed: if anything fails, nothing is logged and dk is left
 * untouched. Errors: ERR_NOTFOUND once erased (nothing is logged); as
 * audit_report; ERR_CRYPTO if the key does not open. */
enum err audit_report_key(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                          const struct actor *actor, enum action act, int64_t target_org,
                          const char *log_action, const struct report_row *r, const char *purpose,
                          uint8_t dk[CRYPTO_KEY_LEN], uint64_t *index);

/* The report's entries in the log, each with its inclusion proof against
 * the latest signed checkpoint (signed now if an entry is newer): {"origin",
 * "checkpoint" (the signed note), "size", "root" (base64), "entries":
 * [{"index","entry" (the exact logged bytes, a string),"time","action",
 * "role","org","org_name","purpose","proof" (base64 hashes, leaf to
 * root)}]}. t is the server's log signer and hash cache. Call it outside a
 * transaction. Caller owns *out. */
enum err audit_report_history(struct store_conn *c, struct tlog *t, int64_t report_id,
                              json_t **out);

#endif
