/* stats.h - the standard normal distribution, shared by the stats/ library.
 *
 * stats/ is pure: no I/O, no state, nothing above base/. Its parts:
 *   stats.h    normal CDF, tail and quantile (z for a confidence level)
 *   prop.h     proportions with Wilson intervals (also weighted, Kish n_eff),
 *              differences between two groups (z-test, Newcombe interval)
 *   suppress.h small-number suppression with complementary suppression
 *   rake.h     post-stratification weights by raking (IPF) to margins
 *   repr.h     representation ratio and stock-and-flow years to parity */
#ifndef CONSENT_STATS_STATS_H
#define CONSENT_STATS_STATS_H

/* z for a two-sided 95% interval: the 0.975 quantile of N(0,1). */
#define STATS_Z95 1.959963984540054

/* P(Z <= x) for Z ~ N(0,1), through erfc (accurate in both tails). */
double stats_norm_cdf(double x);

/* P(Z > x) = 1 - stats_norm_cdf(x), without cancellation for large x. */
double stats_norm_sf(double x);

/* The quantile of N(0,1): x with P(Z <= x) = p. Returns -INFINITY for p = 0,
 * INFINITY for p = 1 and NAN for p outside [0, 1] or NAN. Accurate to a few
 * units in the last place over (DBL_MIN, 1). */
double stats_norm_ppf(double p);

/* z for a two-sided interval of confidence level in (0, 1): 1.96 for 0.95,
 * 2.5758 for 0.99. Returns NAN if level is outside (0, 1). */
double stats_z_for_level(double level);

#endif
