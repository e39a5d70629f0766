/* opinion.h - the whole Polis math pipeline on one conversation.
 *
 * votes -> sparse matrix (last vote wins) -> in-conv -> PCA -> participant
 * and statement projections -> base clusters (k = 100) -> groups (k = 2..5
 * by silhouette) -> vote tallies -> representative statements, consensus,
 * group-aware consensus, statement priorities. specs/polis-math.md
 * describes each step; docs/deliberation.md lists where this differs from
 * Polis. Memory and time are O(votes) (plus O(ncols * 100) for the tallies
 * per base cluster); nothing is ever dense participants x statements.
 * Pure: no I/O. */
#ifndef CONSENT_OPINION_OPINION_H
#define CONSENT_OPINION_OPINION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "opinion/cluster.h"
#include "opinion/consensus.h"
#include "opinion/matrix.h"
#include "opinion/pca.h"
#include "opinion/repness.h"
#include "opinion/tally.h"

enum opinion_stage {
	OPINION_MATRIX,
	OPINION_INCONV,
	OPINION_PCA,
	OPINION_PROJECT,
	OPINION_BASE,
	OPINION_GROUPS,
	OPINION_TALLY,
	OPINION_REPNESS,
	OPINION_CONSENSUS,
	OPINION_NSTAGES
};

/* Moderation state of one statement. */
struct opinion_statement {
	int32_t tid;
	int mod;      /* -1 rejected, 0 unmoderated, 1 accepted */
	bool is_meta; /* a meta statement (moderated out of the math) */
};

/* Clusters given by id rather than computed, e.g. those of a Polis math
 * blob: base cluster i has id base_id[i] and the participants
 * base_pids[base_off[i] .. base_off[i+1]); group j has id group_id[j] and
 * the base clusters group_bids[group_off[j] .. group_off[j+1]). Arrays are
 * owned by the struct (opinion_given_clear frees them). */
struct opinion_given {
	size_t nbase;
	int32_t *base_id;
	size_t *base_off;
	int32_t *base_pids;
	size_t ngroups;
	int32_t *group_id;
	size_t *group_off;
	int32_t *group_bids;
};

struct opinion_opts {
	const int32_t *inconv; /* previous in-conv participant ids ... */
	size_t ninconv;        /* ... how many */
	bool has_inconv;       /* apply the rule on top of inconv (else see replay) */
	bool replay;           /* without has_inconv: replay the vote history (needs real
	                          times) rather than apply the rule once to the final data */
	const struct opinion_given *given; /* clusters to use instead of computing, or NULL */
	bool given_groups;   /* take the groups from `given` too (else compute them) */
	struct pca_opts pca; /* zero for the defaults */
};

struct opinion {
	struct matrix m;
	int32_t *modout; /* statement ids moderated out (mod = -1 or meta), ascending, */
	size_t nmodout;  /* including statements without votes */
	int32_t *modin;  /* statement ids with mod = 1, ascending */
	size_t nmodin;
	int32_t *meta; /* meta statement ids, ascending */
	size_t nmeta;
	unsigned char *inconv; /* per row: 1 if in the clustering */
	size_t ninconv;
	size_t inconv_unknown; /* given in-conv ids that have no votes (ignored) */
	struct pca pca;
	double *proj; /* 2 * nrows: participant projections */
	struct cluster cl;
	size_t given_unknown; /* given cluster members that have no votes (ignored) */
	struct tally t;
	struct repness rep;
	struct consensus cons;
	double *gac;                        /* ncols: group-aware consensus */
	double *prio;                       /* ncols: comment priorities */
	uint64_t stage_ns[OPINION_NSTAGES]; /* wall time of each stage */
};

/* Runs the pipeline on nvotes vote events (Polis sign, see matrix.h) and the
 * moderation state of nst statements (statements without an entry are
 * unmoderated, not meta), into o (caller-owned; free with opinion_clear,
 * even on error). opts may be NULL (replay the history, compute
 * everything). Returns ERR_INVAL for a vote that is not -1, 0 or 1 (*bad =
 * its index), ERR_LIMIT for more than 2^32 - 2 votes. */
enum err opinion_run(struct opinion *o, const struct matrix_vote *votes, size_t nvotes,
                     const struct opinion_statement *st, size_t nst,
                     const struct opinion_opts *opts, size_t *bad);
/* Frees o's memory. */
void opinion_clear(struct opinion *o);
/* Frees g's arrays. */
void opinion_given_clear(struct opinion_given *g);
/* Short name of a stage ("pca", ...). */
const char *opinion_stage_name(enum opinion_stage s);

#endif
