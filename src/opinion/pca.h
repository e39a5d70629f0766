/* pca.h - principal components of the centred sparse vote matrix, and the
 * Polis projections of participants and statements.
 *
 * The matrix is Polis' rating matrix: raw votes, with moderated-out columns
 * zero for everyone. Missing votes are filled with the column mean, so the
 * centred matrix C is (vote - mean) where a vote exists and 0 elsewhere;
 * the centre is the mean of the observed votes (0 for moderated-out
 * columns). C is never formed: each power iteration computes C^T C Q row by
 * row from the sparse rows, in O(votes).
 *
 * Method: power iteration on C^T C, as Polis, but on a block of 4 vectors
 * (subspace iteration with a Rayleigh-Ritz step, so both components come
 * out together without deflating the matrix, which would make it dense)
 * and with Chebyshev acceleration: once the Ritz values show where the
 * unwanted part of the spectrum ends, each round applies a Chebyshev
 * polynomial of C^T C (degree <= 8) that damps it, instead of plain powers.
 * Start vectors are fixed (all-ones, then three fixed pseudo-random
 * vectors); the iteration runs until no entry of either component changes
 * by more than tol between rounds. Polis runs exactly 100 plain iterations
 * per component from a random (cold) or the previous (warm) start; on its
 * fixtures both reach the same components to about 1e-15.
 * Sign rule: each component is flipped so that its entry of largest
 * absolute value (the first one, on exact ties) is positive. Pure. */
#ifndef CONSENT_OPINION_PCA_H
#define CONSENT_OPINION_PCA_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "opinion/matrix.h"

#define PCA_COMPS 2
#define PCA_BLOCK 4

struct pca_opts {
	unsigned max_iters; /* cap on products C^T C times the block (default 1000) */
	double tol;         /* convergence: max change of a component entry (default 1e-11) */
};

struct pca {
	size_t ncols;
	double *center;           /* ncols: mean vote per column (Polis sign) */
	double *comps;            /* PCA_COMPS x ncols, component k at comps + k * ncols */
	double *cproj;            /* PCA_COMPS x ncols: comment projection, same layout */
	double *extremity;        /* ncols: length of each comment's projection */
	double eigval[PCA_COMPS]; /* eigenvalues of C^T C for the components */
	unsigned iters;           /* products C^T C times the block computed */
	bool converged;           /* false if max_iters was reached first */
};

/* Computes centre, components, comment projection and extremity of m
 * (with its moderation flags) into p, caller-owned (free with pca_clear).
 * opts may be NULL for the defaults. A component whose eigenvalue is
 * numerically zero (rank < 2, e.g. one column or one participant) is all
 * zeros. Returns ERR_OK. */
enum err pca_fit(struct pca *p, const struct matrix *m, const struct pca_opts *opts);
/* Sparsity-aware projection of every row of m (Polis
 * sparsity-aware-project-ptpt): xy[2r], xy[2r+1] = sum over the row's votes
 * of (vote - centre) * comp, scaled by sqrt(ncols / max(n_votes, 1)), where
 * n_votes counts moderated-out columns as votes (they are zero-filled). xy
 * holds 2 * m->nrows doubles. */
void pca_project(const struct pca *p, const struct matrix *m, double *xy);
/* Flips the sign of component k (and its comment projection). */
void pca_flip(struct pca *p, int k);
/* Frees p's memory. */
void pca_clear(struct pca *p);

#endif
