/* prop.h - proportions with Wilson score intervals, weighted proportions with
 * Kish's effective sample size, and the difference between two groups.
 *
 * Pure: no I/O, no allocation, no state. z is the normal quantile of the
 * interval (STATS_Z95 for 95%, stats_z_for_level() for others). */
#ifndef CONSENT_STATS_PROP_H
#define CONSENT_STATS_PROP_H

#include <stddef.h>

#include "base/err.h"

/* An estimated proportion and its interval. */
struct prop_ci {
	double p;  /* point estimate, in [0, 1] */
	double lo; /* lower limit, in [0, p] */
	double hi; /* upper limit, in [p, 1] */
	double n;  /* sample size behind it: respondents, or Kish n_eff if weighted */
};

/* Wilson score interval for x successes out of n trials:
 * (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), p = x/n.
 * Fills *out (caller-owned). ERR_INVAL if n <= 0, x < 0, x > n or z is not
 * finite and > 0; *out is untouched then. */
enum err prop_wilson_counts(long x, long n, double z, struct prop_ci *out);

/* The same for an estimated proportion p with a real sample size n, e.g. a
 * weighted proportion with n = Kish n_eff. ERR_INVAL if p is outside [0, 1],
 * n is not finite and > 0, or z is not finite and > 0. */
enum err prop_wilson(double p, double n, double z, struct prop_ci *out);

/* Kish's effective sample size of weights w[0..n): (sum w)^2 / sum w^2.
 * Equals n when all weights are equal. Returns 0 if n == 0 or all weights
 * are 0, and NAN if a weight is negative or not finite. */
double prop_kish_neff(const double *w, size_t n);

/* Running sums for a weighted proportion, for callers that stream rows.
 * Caller-owned; zero it (or prop_acc_init) before use. */
struct prop_acc {
	double sw;  /* sum of weights */
	double sw2; /* sum of squared weights */
	double swy; /* sum of weights of the "yes" answers */
	long n;     /* respondents added (weight 0 included) */
};

void prop_acc_init(struct prop_acc *a);

/* Adds one respondent with weight w (>= 0, finite) who answered yes (1) or
 * no (0). ERR_INVAL (and nothing added) for a bad weight. */
enum err prop_acc_add(struct prop_acc *a, double w, int yes);

/* The weighted proportion sum(w*yes)/sum(w) with a Wilson interval on Kish's
 * n_eff = sw^2/sw2 (out->n). ERR_INVAL if the weights sum to 0 or z is
 * bad. For unit weights this is prop_wilson_counts(). */
enum err prop_acc_result(const struct prop_acc *a, double z, struct prop_ci *out);

/* The same over arrays: weights w[0..n) and answers yes[0..n) (0 or 1). */
enum err prop_weighted(const double *w, const unsigned char *yes, size_t n, double z,
                       struct prop_ci *out);

/* The difference between two groups. */
struct prop_diff {
	double d;       /* p1 - p2 */
	double lo;      /* lower limit of d (Newcombe's hybrid score interval) */
	double hi;      /* upper limit of d */
	double z;       /* pooled two-proportion z statistic, (p1 - p2) / se0 */
	double p_value; /* two-sided p-value of z, erfc(|z|/sqrt 2) */
};

/* Compares proportion p1 on sample size n1 with p2 on n2 (counts x/n, or
 * weighted proportions on n_eff, as in struct prop_ci):
 * - z test with the pooled proportion pp = (p1 n1 + p2 n2)/(n1 + n2),
 *   se0 = sqrt(pp (1 - pp) (1/n1 + 1/n2)); z = 0 and p_value = 1 when
 *   se0 = 0 (both groups all yes or all no);
 * - interval for p1 - p2 by Newcombe (1998) method 10, from the two Wilson
 *   intervals (l_i, u_i) at zcrit: d - sqrt((p1-l1)^2 + (u2-p2)^2) to
 *   d + sqrt((u1-p1)^2 + (p2-l2)^2).
 * Fills *out (caller-owned). ERR_INVAL as prop_wilson() for either group. */
enum err prop_diff_test(double p1, double n1, double p2, double n2, double zcrit,
                        struct prop_diff *out);

#endif
