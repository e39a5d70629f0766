/* consult_math.h - the opinion math of a consultation: its statements and
 * votes through the opinion library (src/opinion/), stored as the Polis
 * math blob with a summary for the pages; Polis import and export; and the
 * background worker that recomputes after new votes.
 *
 * The math is what `consent opinion` computes on the consultation's export
 * CSVs: the same vote events (the last vote of each participant on each
 * statement, with its time), the same moderation, in-conv replayed from
 * the vote times. consult_results (the table) holds one row per
 * consultation, tagged with the consultation's version it was computed
 * at; the worker recomputes whenever the consultation's version is newer.
 * Voting never waits for it. */
#ifndef CONSENT_DOMAIN_CONSULT_MATH_H
#define CONSENT_DOMAIN_CONSULT_MATH_H

#include <jansson.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "opinion/opinion.h"
#include "opinion/polis.h"
#include "store/store.h"

/* Time spent by consult_math_update, in milliseconds. */
struct consult_timing {
	double load_ms;  /* reading statements and votes */
	double math_ms;  /* the opinion pipeline */
	double build_ms; /* blob, summary and community spread */
	double store_ms; /* writing the result */
	size_t votes;    /* vote events loaded */
};

/* Loads the statements and votes of consultation id into d (initialised by
 * the caller; free with polis_data_clear), in one read snapshot (a
 * savepoint inside an open transaction). Votes come in (participant,
 * statement) order with their times. *version (may be NULL) receives the
 * consultation's version at that snapshot. ERR_NOTFOUND. */
enum err consult_load(struct store_conn *c, int64_t id, struct polis_data *d, int64_t *version);
/* Runs the opinion pipeline on d exactly as `consent opinion` does on the
 * same data (in-conv replayed from the vote times). o is caller-owned
 * (opinion_clear, also on error). */
enum err consult_math_run(const struct polis_data *d, struct opinion *o);
/* Recomputes and stores the math of consultation id at its current
 * version (inside the caller's transaction if one is open). t (may be
 * NULL) receives the times. */
enum err consult_math_update(struct store_conn *c, int64_t id, struct consult_timing *t,
                             struct errinfo *ei);
/* The stored results: {"version","computed_at" (RFC 3339),"compute_ms",
 * "stale" (a newer version exists),"participants","in_conv","votes",
 * "statements","groups":[{"id","label","size","repness":[{"tid","text",
 * "repful" ("agree"|"disagree"),"percent","n_success","n_trials"}]}],
 * "consensus":{"agree":[...],"disagree":[...]},"map":{"points":[{"x","y",
 * "n","g"}],"groups":[{"x","y","label"}]},"communities":{"groups":[labels],
 * "rows":[{"name","kind" ("named"|"other"|"not_stated"),"cells":[n|null],
 * "total":n|null}],"threshold"}|null}. Suppressed counts are null.
 * ERR_NOTFOUND before the first computation. Caller owns *out. */
enum err consult_results(struct store_conn *c, int64_t id, json_t **out);
/* The stored math blob (Polis math-pca2 JSON) as text; caller frees. */
enum err consult_math_blob(struct store_conn *c, int64_t id, char **out);
/* The statement priorities of the last computation as a JSON array of
 * [tid, priority] pairs (caller owns); an empty array before the first. */
enum err consult_priorities(struct store_conn *c, int64_t id, json_t **out);

/* Imports a Polis conversation d (opinion/polis.h: comments with their
 * moderation, vote events) into the consultation id, which must be empty
 * (ERR_CONFLICT otherwise). Participants keep their Polis ids (with
 * neither browser token nor account), statements their ids, and each
 * participant's last vote on each statement is kept. One transaction (a
 * savepoint inside the caller's). ERR_INVAL (field "votes") for a vote on
 * a statement that d does not have, or ids out of range. */
enum err consult_import(struct store_conn *c, int64_t id, const struct polis_data *d,
                        struct errinfo *ei);
/* Appends one of Polis' export files of consultation id to out: name is
 * "comments.csv", "votes.csv", "participants-votes.csv" or "summary.csv"
 * (ERR_NOTFOUND for another). Computes the math afresh for the group
 * columns. */
enum err consult_export(struct store_conn *c, int64_t id, const char *name, struct buf *out);

/* Starts the background worker on s (one per server): it recomputes every
 * consultation whose math is stale, debounce_ms after it is told of new
 * votes (consult_math_notify; longer when the last computations took more
 * than a quarter of that, so steady voting leaves it at most a fifth of a
 * core) and every few seconds in any case (changes made by other
 * processes). ERR_INTERNAL if the thread cannot start. */
enum err consult_math_start(struct store *s, unsigned debounce_ms);
/* Tells the worker that consultation id changed (no-op when not running). */
void consult_math_notify(int64_t id);
/* Stops the worker (waits for a computation in progress). */
void consult_math_stop(void);

#endif
