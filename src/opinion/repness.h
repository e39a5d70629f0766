/* repness.h - representative statements per group (Polis repness.clj).
 *
 * For group g and statement c, over the votes of g's members: na agrees, nd
 * disagrees, ns votes seen (passes count as seen). With Laplace smoothing
 * pa = (na+1)/(ns+2); pat = prop-test(na, ns); against the other groups
 * together ("rest"): ra = pa / ((rest_na+1)/(rest_ns+2)) and rat =
 * two-prop-test; likewise pd, pdt, rd, rdt for disagrees. A statement
 * passes when (rat and pat) or (rdt and pdt) exceed 1.2816 (one-sided 90 %).
 * Selection follows select-rep-comments exactly (statements in column
 * order, moderated-out ones skipped, the best-agree statement first, at
 * most 5, agrees before disagrees). repness-test is rounded to float32 as
 * Polis does. Pure. */
#ifndef CONSENT_OPINION_REPNESS_H
#define CONSENT_OPINION_REPNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opinion/matrix.h"
#include "opinion/tally.h"

#define REPNESS_MAX 5      /* statements per group */
#define REPNESS_Z90 1.2816 /* one-sided 90 % z threshold */

struct repness_item {
	int32_t tid;
	uint32_t n_success;
	uint32_t n_trials;
	double p_success;
	double p_test;
	double repness;
	float repness_test;
	bool agree;      /* repful-for agree (else disagree) */
	bool best_agree; /* the group's best-agree statement; n_agree is set */
	uint32_t n_agree;
};

/* All the statistics of one (group, statement). */
struct repness_stats {
	uint32_t na, nd, ns;
	double pa, pd, pat, pdt, ra, rd, rat, rdt;
};

struct repness {
	size_t ngroups;
	size_t *count;              /* per group: items selected (0..5) */
	struct repness_item *items; /* ngroups * REPNESS_MAX */
};

/* Polis prop-test: 2 sqrt(n+1) ((succ+1)/(n+1) - 1/2). */
double repness_prop_test(uint32_t succ, uint32_t n);
/* Polis two-prop-test with +1 on all four counts; 0 when the pooled
 * proportion is 1. */
double repness_two_prop_test(uint32_t succ_in, uint32_t succ_out, uint32_t n_in, uint32_t n_out);
/* Fills s for counts (na, nd, ns) of a group and the sums over the other
 * groups. */
void repness_stats(struct repness_stats *s, uint32_t na, uint32_t nd, uint32_t ns, uint32_t rest_na,
                   uint32_t rest_nd, uint32_t rest_ns);
/* Selects the representative statements of every group of t into r
 * (caller-owned, free with repness_clear). Uses m for tids and moderation. */
void repness_select(struct repness *r, const struct matrix *m, const struct tally *t);
/* Frees r's memory. */
void repness_clear(struct repness *r);

#endif
