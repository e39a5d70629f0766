/* inconv.h - which participants take part in the clustering ("in-conv").
 *
 * Polis' rule (conversation.clj, specs/polis-math.md §1), applied at every
 * update: in-conv grows by every participant with at least min(7, n-cmts)
 * votes; if it then holds fewer than 15 participants, the ones with most
 * votes are added until there are 15. Nobody is ever removed, so the set
 * depends on the history: callers persist it between updates (pass the
 * previous set to inconv_apply), or rebuild it from the vote history with
 * inconv_replay. The set is a per-row flag array of m->nrows bytes. */
#ifndef CONSENT_OPINION_INCONV_H
#define CONSENT_OPINION_INCONV_H

#include <stddef.h>

#include "opinion/matrix.h"

#define INCONV_MIN_VOTES 7  /* votes needed, or every statement if fewer */
#define INCONV_GREEDY    15 /* top up to this many participants */

/* Applies the rule once to the final matrix, on top of the flags already in
 * `in` (the previous update's set). Ties in the top-up go to earlier rows.
 * Returns the number of participants in. */
size_t inconv_apply(unsigned char *in, const struct matrix *m);
/* Rebuilds the set from scratch by applying the rule after every vote, in
 * the order of first votes (m->hist_row/hist_col). This reproduces Polis'
 * incremental in-conv exactly when the vote times are the real ones.
 * Overwrites `in`; returns the number of participants in. O(votes). */
size_t inconv_replay(unsigned char *in, const struct matrix *m);

#endif
