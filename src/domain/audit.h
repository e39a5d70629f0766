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

#include <stdint.h>

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

#endif
