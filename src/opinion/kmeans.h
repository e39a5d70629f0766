/* kmeans.h - weighted k-means in the plane, as Polis clusters participants
 * (base clusters) and base clusters (groups); silhouette.
 *
 * Deterministic: the initial centres are the first k distinct points in
 * data order (Polis init-clusters); a point goes to the nearest centre, ties
 * to the lowest cluster index; clusters that become empty are dropped, so k
 * can shrink; a centre is the weighted mean of its members. As in Polis,
 * the iteration stops once an update moves every centre by less than 0.01
 * (Polis same-clustering?; here centres are matched by cluster rather than
 * in sorted order, and a step that drops a cluster never stops it), at a
 * fixed point, or after max_iters assignment steps (Polis: 20 at the group
 * level, its quirk Q3; callers here pass 100 at both levels).
 * Hamerly's bounds skip most distance computations without changing the
 * result. Pure. */
#ifndef CONSENT_OPINION_KMEANS_H
#define CONSENT_OPINION_KMEANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct kmeans {
	size_t k;         /* clusters left */
	uint32_t *id;     /* k: position of each cluster in the initial order */
	double *center;   /* 2k: x, y of each cluster */
	double *weight;   /* k: total weight of the members */
	size_t *size;     /* k: number of members */
	uint32_t *assign; /* n: cluster (0..k-1) of each point */
	unsigned iters;   /* assignment steps run */
	bool converged;   /* stopped before max_iters */
};

/* Clusters the n points xy (2n doubles: x0, y0, x1, ...) with weights w (n
 * positive doubles, or NULL for 1 each) into at most k clusters, into km
 * (caller-owned, free with kmeans_clear). Clusters are ordered by id. */
enum err kmeans_run(struct kmeans *km, const double *xy, const double *w, size_t n, size_t k,
                    unsigned max_iters);
/* Mean silhouette of the clustering assign (n points, cluster indices
 * < k) over the Euclidean distances between the points, unweighted as in
 * Polis: a point alone in its cluster scores 0. O(n^2). */
double kmeans_silhouette(const double *xy, size_t n, const uint32_t *assign, size_t k);
/* Frees km's memory. */
void kmeans_clear(struct kmeans *km);

#endif
