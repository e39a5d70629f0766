/* witness.h - oversight organisations' witness keys, and their
 * cosignatures of the accountability log's checkpoints.
 *
 * An admin registers a witness key (a C2SP verifier key of type 0x04,
 * tlog-cosignature) for an oversight organisation. That organisation's
 * overseers then post checkpoints cosigned with it; the server checks each
 * cosignature and publishes it with the checkpoint (GET /log/checkpoint),
 * so that anyone holding the witness keys can tell the log showed the same
 * tree to the oversight body as to them. */
#ifndef CONSENT_DOMAIN_WITNESS_H
#define CONSENT_DOMAIN_WITNESS_H

#include <jansson.h>
#include <stddef.h>

#include "base/err.h"
#include "domain/actor.h"
#include "store/store.h"

/* Registers vkey (a type 0x04 verifier key string) for the oversight
 * organisation of org_slug, as actor by (NULL: the console), recording
 * "log.witness.add" in the accountability log in the same transaction.
 * *out (caller owns) is {"org","name","key_id","key"}. Errors: ERR_INVAL
 * naming "org" (none, or not an oversight organisation) or "key" (not a
 * cosignature verifier key); ERR_CONFLICT if the key is registered. */
enum err witness_add(struct store_conn *c, const struct actor *by, const char *org_slug,
                     const char *vkey, json_t **out, struct errinfo *ei);

/* The registered witness keys, [{"org","name","key_id","key"}]. Caller owns. */
enum err witness_list(struct store_conn *c, json_t **out);

/* Stores the cosignatures in the signed note[0..len) by witness keys of
 * organisations where actor `by` may cosign (ACT_LOG_COSIGN). The note's
 * text must be a checkpoint this log signed; signatures by other keys
 * (the log's own, other witnesses') are ignored. *out (caller owns) is
 * {"size", "cosigned_by": [names], "added": n}. Errors: ERR_INVAL naming
 * "checkpoint" (not a note, not one of this log's checkpoints, no
 * cosignature by a registered witness key); ERR_FORBIDDEN if no such key
 * belongs to an organisation where the actor may cosign; ERR_CRYPTO if a
 * cosignature does not verify. */
enum err witness_cosign(struct store_conn *c, const struct actor *by, const char *note, size_t len,
                        json_t **out, struct errinfo *ei);

#endif
