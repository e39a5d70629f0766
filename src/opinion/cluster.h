/* cluster.h - Polis' two-level clustering of participants.
 *
 * Base clusters: k-means with k = 100 on the projections of the in-conv
 * participants (in row order). Groups: weighted k-means of the base-cluster
 * centres (weights = sizes) for k = 2 .. min(5, 2 + nbase / 12), keeping
 * the k with the highest (unweighted) silhouette over the base-cluster
 * centres; ties go to the larger k, as Polis' max-key does. Polis smooths
 * the choice of k over 4 updates (group-k-smoother); a single computation
 * has no history, so the best k is used directly. Either level can instead
 * be given (e.g. a previous Polis blob's clusters) and only its centres are
 * recomputed from the projections. Pure. */
#ifndef CONSENT_OPINION_CLUSTER_H
#define CONSENT_OPINION_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define CLUSTER_BASE_K 100 /* Polis base-k */
#define CLUSTER_MAX_K  5   /* Polis max-k */
#define CLUSTER_ITERS  100 /* assignment steps, both levels (Polis: 100 base, 20 group) */

struct cluster {
	size_t nrows;
	/* base clusters, by ascending id */
	size_t nbase;
	int32_t *base_id;
	double *base_xy;     /* 2 * nbase: mean projection of the members */
	size_t *base_off;    /* nbase + 1 offsets into base_rows */
	uint32_t *base_rows; /* members (matrix rows), in row order within a cluster */
	/* groups, by ascending id */
	size_t ngroups;
	int32_t *group_id;
	double *group_xy;     /* 2 * ngroups: size-weighted mean of the base centres */
	uint32_t *base_group; /* nbase: group index of each base cluster */
	size_t *group_size;   /* participants per group */
	int32_t *row_group;   /* nrows: group index of each row, -1 if not clustered */
	int32_t *row_base;    /* nrows: base-cluster index of each row, -1 if none */
	size_t kmax;          /* largest k tried (0 if the groups were given) */
	double silhouette[CLUSTER_MAX_K + 1]; /* [k]: silhouette of the k-group clustering */
};

/* Computes the base clusters of the rows flagged in `in` (nrows flags) from
 * their projections xy (2 * nrows), into cl (caller-owned; cluster_clear
 * frees it; cl is reset first). */
void cluster_base(struct cluster *cl, const double *xy, const unsigned char *in, size_t nrows);
/* Sets given base clusters instead: nbase clusters with ids (ascending or
 * not; they are sorted), members rows[off[i] .. off[i+1]). Clusters left
 * without members are dropped. Centres are the mean projections. Resets
 * cl first. */
void cluster_set_base(struct cluster *cl, const double *xy, size_t nrows, size_t nbase,
                      const int32_t *ids, const size_t *off, const uint32_t *rows);
/* Computes the groups from cl's base clusters. */
void cluster_groups(struct cluster *cl);
/* Sets given groups instead: group_of[b] = index into ids (ngroups ids) of
 * base cluster b, or -1 to leave it out of every group. Groups left empty
 * are dropped. */
void cluster_set_groups(struct cluster *cl, size_t ngroups, const int32_t *ids,
                        const int32_t *group_of);
/* Frees cl's memory. */
void cluster_clear(struct cluster *cl);

#endif
