/* tally.h - vote counts per statement: over everyone, per base cluster
 * (Polis votes-base) and per group (group-votes).
 *
 * A counts agrees, D disagrees, S every vote seen (passes included), all
 * from the raw matrix: moderation does not zero anything here. The base and
 * group counts cover the clustered (in-conv) participants only. Pure. */
#ifndef CONSENT_OPINION_TALLY_H
#define CONSENT_OPINION_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "opinion/cluster.h"
#include "opinion/matrix.h"

enum tally_kind { TALLY_A, TALLY_D, TALLY_S };

struct tally {
	size_t ncols;
	size_t nbase;
	size_t ngroups;
	uint32_t *all;   /* 3 * ncols: [3 * c + kind], every participant */
	uint32_t *base;  /* 3 * nbase * ncols: [3 * (b * ncols + c) + kind] */
	uint32_t *group; /* 3 * ngroups * ncols: [3 * (g * ncols + c) + kind] */
};

/* Counts the votes of m by cl's base clusters and groups into t
 * (caller-owned, free with tally_clear). A group's counts are the sums
 * over its base clusters. O(votes + ncols * nbase). */
void tally_count(struct tally *t, const struct matrix *m, const struct cluster *cl);
/* Count of `kind` for column c and base cluster b. */
uint32_t tally_base(const struct tally *t, size_t b, size_t c, enum tally_kind kind);
/* Count of `kind` for column c and group g. */
uint32_t tally_group(const struct tally *t, size_t g, size_t c, enum tally_kind kind);
/* Count of `kind` for column c summed over all groups (Polis' A, D, S for
 * comment priorities). */
uint32_t tally_groups_sum(const struct tally *t, size_t c, enum tally_kind kind);
/* Frees t's memory. */
void tally_clear(struct tally *t);

#endif
