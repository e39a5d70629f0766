/* rake.h - post-stratification weights by raking (iterative proportional
 * fitting) to population margins, e.g. age band x sex and community.
 *
 * Each margin classifies every respondent into one of its categories and
 * gives the population of each category (counts or shares). Raking scales
 * the weights of each margin's categories in turn until every margin is met
 * within a tolerance. The weights then sum to the margins' common total: pass
 * census counts to get persons represented, shares to get weights summing to
 * 1. Use the weights with prop_weighted(): its Kish n_eff widens the
 * intervals for the variation the weights add.
 *
 * Pure: no I/O, no state; scratch memory (xmalloc) is freed before return. */
#ifndef CONSENT_STATS_RAKE_H
#define CONSENT_STATS_RAKE_H

#include <stddef.h>

#include "base/err.h"

/* One margin: a classification of the respondents and its population. */
struct rake_margin {
	const size_t *cat;    /* cat[i]: category of respondent i, < ncat */
	const double *target; /* target[c]: population of category c, >= 0 */
	size_t ncat;          /* number of categories */
};

struct rake_opts {
	double tol;   /* stop when every margin is met within tol x total (e.g. 1e-9) */
	int max_iter; /* give up after this many rounds over all margins (e.g. 1000) */
};

/* Outcome, and on error which margin and category are at fault. */
struct rake_result {
	int iterations; /* rounds done */
	double max_dev; /* largest |weighted sum - target| / total at the end */
	size_t margin;  /* on ERR_INVAL: the offending margin, else 0 */
	size_t cat;     /* on ERR_INVAL: the offending category, if any, else 0 */
};

/* Rakes n respondents to margins m[0..nm). base[i] is the design weight of
 * respondent i (NULL: all 1); respondents with base weight 0 keep weight 0.
 * opts NULL means tol 1e-9, max_iter 1000. Writes the weights to w[0..n)
 * (caller-owned) and, if res is not NULL, the outcome to *res.
 *
 * Errors:
 * - ERR_INVAL: n or nm is 0; a category index is out of range; a target or
 *   base weight is negative or not finite; the margins' totals differ (by
 *   more than 1e-9 relative) or are 0; a category has respondents but a zero
 *   target (they could only get weight 0) or a positive target but no
 *   respondents (the margin cannot be met). res->margin and res->cat say
 *   where. w is unspecified.
 * - ERR_LIMIT: not converged within max_iter rounds (e.g. margins that
 *   contradict each other in the sample's empty cells); w holds the last
 *   round's weights and res->max_dev how far they are. */
enum err rake_weights(size_t n, const double *base, const struct rake_margin *m, size_t nm,
                      const struct rake_opts *opts, double *w, struct rake_result *res);

#endif
