/* commitment.h - "You said, we did": what the community raised, what the
 * owner organisation pledged, and whether it was done, as the community
 * co-chair organisation sees it.
 *
 * The state machine (commitment_move below; who may do what is in
 * domain/policy.c):
 *
 *   proposed --owner--> accepted --owner--> in_progress --owner--> done
 *   proposed, accepted, in_progress --owner (senior), reason--> declined
 *   accepted --owner--> done
 *   done --co-chair--> confirmed                      (only the co-chair)
 *   done --co-chair, reason--> disputed
 *   disputed --owner, response--> done | in_progress
 *
 * confirmed and declined are final. Every change of status and every
 * progress update is a dated update, and is appended to the
 * accountability log in the same transaction (object "commitment:ID",
 * which names nothing personal). A commitment is overdue when its due date
 * has passed and it is neither done, confirmed nor declined. */
#ifndef CONSENT_DOMAIN_COMMITMENT_H
#define CONSENT_DOMAIN_COMMITMENT_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/actor.h"
#include "domain/policy.h"
#include "store/store.h"

/* Fields of a create or update; NULL means "not given" (keep on update).
 * Dates are "YYYY-MM-DD"; "" clears a date on update. */
struct commitment_in {
	const char *title, *raised, *pledge;
	const char *area;            /* area slug */
	const char *owner, *cochair; /* organisation slugs; create only */
	const char *start_date, *due_date;
	json_t *meetings; /* borrowed: array of meeting ids */
};

/* Which side of a commitment acts in a move. */
enum commitment_side { COMMITMENT_OWNER, COMMITMENT_COCHAIR };

/* The rule for moving from status `from` to `to`: the policy action it
 * needs, the side that makes it, and whether a reason is required.
 * Returns 1 if such a move exists, else 0 (pure; for the state machine's
 * tests and for offering only possible moves). */
int commitment_move(const char *from, const char *to, enum action *action,
                    enum commitment_side *side, int *needs_reason);
/* 1 if s is one of the seven statuses. */
int commitment_status_valid(const char *s);

/* Creates a commitment (status proposed, progress 0). The actor must be
 * allowed ACT_COMMITMENT_CREATE in the owner or the co-chair; the co-chair
 * must be a community organisation other than the owner. ERR_INVAL names
 * the field (title, area, owner, cochair, start_date, due_date, meetings). */
enum err commitment_create(struct store_conn *c, const struct actor *actor,
                           const struct commitment_in *in, int64_t *id, struct errinfo *ei);
/* Changes wording, area, dates, linked meetings (ACT_COMMITMENT_UPDATE in
 * the owner or the co-chair). Logged. */
enum err commitment_update(struct store_conn *c, const struct actor *actor, int64_t id,
                           const struct commitment_in *in, struct errinfo *ei);
/* Moves the commitment to status `to`, with reason (required for
 * declined, disputed, and an owner's answer to a dispute). progress (0-100,
 * or -1 to keep) may go with the move; done and confirmed set 100.
 * ERR_INVAL (field status, reason or progress), ERR_CONFLICT when the move
 * does not exist from the current status (a second confirm, say),
 * ERR_FORBIDDEN when the actor is not on the side that makes it. */
enum err commitment_set_status(struct store_conn *c, const struct actor *actor, int64_t id,
                               const char *to, const char *reason, int progress,
                               struct errinfo *ei);
/* A dated progress update by the owner: text (required), progress 0-100,
 * evidence (borrowed array of up to 10 http(s) links, may be NULL).
 * Allowed while accepted, in progress or disputed (else ERR_CONFLICT). */
enum err commitment_add_update(struct store_conn *c, const struct actor *actor, int64_t id,
                               const char *text, int progress, json_t *evidence,
                               struct errinfo *ei);

/* The commitment as JSON, with its updates and linked meetings (caller
 * owns). ERR_NOTFOUND if there is none. */
enum err commitment_get(struct store_conn *c, int64_t id, json_t **out);
/* The moves the actor may make on commitment id now, as a JSON array of
 * {"status", "needs_reason"} (caller owns; empty when none). */
json_t *commitment_moves_for(struct store_conn *c, const struct actor *actor, int64_t id);

struct commitment_filter {
	const char *area;   /* this area and those within it */
	const char *org;    /* owner or co-chair */
	const char *status; /* one status */
	int overdue;        /* only overdue ones */
};

/* The commitments matching f (without their updates, with
 * "updates_count"), soonest due first. ERR_INVAL names "area", "org" or
 * "status" when unknown. */
enum err commitment_list(struct store_conn *c, const struct commitment_filter *f, json_t **out,
                         struct errinfo *ei);

#endif
