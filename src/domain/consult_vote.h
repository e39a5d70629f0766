/* consult_vote.h - votes on consultation statements: checking a vote,
 * writing votes (the last vote of a participant on a statement wins),
 * choosing the next statement to show, and the group-commit writer.
 *
 * The writer is one thread per server that takes the votes of many
 * requests and writes them in one transaction; each request is answered
 * only after the transaction holding its vote committed, so an
 * acknowledged vote is durable. Votes never wait for the math: after each
 * commit the writer tells the background worker (consult_math_notify). */
#ifndef CONSENT_DOMAIN_CONSULT_VOTE_H
#define CONSENT_DOMAIN_CONSULT_VOTE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/consultation.h"
#include "store/store.h"

/* One vote ready to be written. vote: agree = 1, disagree = -1, pass = 0. */
struct consult_vote {
	int64_t consultation;
	int64_t pid;
	int64_t tid;
	int vote;
	int64_t at_ms; /* when it was cast, milliseconds since the epoch */
};

/* Checks a vote of who on statement tid of consultation id and fills v:
 * the consultation is open, the statement exists and may be voted on
 * (strict moderation: accepted; permissive: not rejected), the value is
 * -1, 0 or 1. The participant is looked up in the same query; when who has
 * no participant yet, *need_join is set to 1 and v->pid to -1 (join with
 * consult_participant_join and set v->pid). Writes nothing. ERR_NOTFOUND
 * (no consultation), ERR_INVAL naming "statement" or "vote",
 * ERR_CONFLICT when the consultation is not open. */
enum err consult_vote_check(struct store_conn *c, int64_t id, const struct consult_who *who,
                            int64_t tid, int64_t vote, struct consult_vote *v, int *need_join,
                            struct errinfo *ei);
/* Writes n votes in the caller's transaction (upserts: the last vote
 * wins) and raises the version of each consultation concerned. */
enum err consult_votes_write(struct store_conn *c, const struct consult_vote *v, size_t n);

/* The next statement for participant pid (-1: none yet) of consultation
 * id: one the participant may vote on and has not, picked at random with
 * probability proportional to its priority (the opinion library's
 * comment-priorities of the last computation; 1 before there is one).
 * *out is {"tid","text","remaining"} (remaining counts it too), or NULL
 * when nothing is left. Caller owns *out. */
enum err consult_next(struct store_conn *c, int64_t id, int64_t pid, json_t **out);

/* Called on the writer thread when the transaction holding a vote ended:
 * e is ERR_OK once it committed (the vote is durable), else the error. */
typedef void (*consult_done_fn)(void *ctx, enum err e);

/* Starts the writer thread on s. max_batch: votes per transaction at most
 * (0: 4096). ERR_INTERNAL if the thread cannot start. */
enum err consult_writer_start(struct store *s, unsigned max_batch);
/* Stops the writer after writing every queued vote. */
void consult_writer_stop(void);
/* Queues v for the writer; done(ctx, e) is called from the writer thread
 * after its transaction. ERR_UNAVAIL (done not called) if no writer runs
 * or it is stopping. */
enum err consult_writer_submit(const struct consult_vote *v, consult_done_fn done, void *ctx);
/* Writes v durably and returns: through the writer if it runs (waiting for
 * its batch), otherwise in a transaction of its own on c. */
enum err consult_vote_write(struct store_conn *c, const struct consult_vote *v);

#endif
