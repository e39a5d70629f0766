/* consensus.h - statements most agree (or disagree) on, group-aware
 * consensus and statement priorities (Polis repness.clj and
 * conversation.clj).
 *
 * Consensus is over every participant (not only in-conv), moderated-out
 * statements excluded: agree candidates have pa > 0.5 and pat > 1.2816,
 * ranked by pa * pat, top 5; disagree likewise with pd, pdt. Group-aware
 * consensus of a statement is the product over groups of (A+1)/(S+2).
 * Priority: importance = (1 - (P+1)/(S+2)) (E+1) (A+1)/(S+2), with A, D, S
 * summed over the groups, P = S - A - D and E the comment extremity;
 * priority = (importance (1 + 8 * 2^(-S/5)))^2, and 7^2 = 49 for meta
 * statements. Polis reads A, D, S from the previous update (a one-tick lag)
 * and, since its 2025 PR #1961, gives every statement 49; here they come
 * from the current update and the formula is applied. Pure. */
#ifndef CONSENT_OPINION_CONSENSUS_H
#define CONSENT_OPINION_CONSENSUS_H

#include <stddef.h>
#include <stdint.h>

#include "opinion/matrix.h"
#include "opinion/tally.h"

#define CONSENSUS_MAX           5
#define CONSENSUS_META_PRIORITY 7.0

struct consensus_item {
	int32_t tid;
	uint32_t n_success;
	uint32_t n_trials;
	double p_success;
	double p_test;
};

struct consensus {
	size_t nagree;
	size_t ndisagree;
	struct consensus_item agree[CONSENSUS_MAX];
	struct consensus_item disagree[CONSENSUS_MAX];
};

/* Selects the consensus statements of m from the counts over everyone. */
void consensus_select(struct consensus *cs, const struct matrix *m, const struct tally *t);
/* gac[c] = product over t's groups of (A+1)/(S+2), for every column
 * (moderated-out ones included). gac holds m->ncols doubles; all 1 when
 * there are no groups. */
void consensus_group_aware(double *gac, const struct tally *t);
/* The Polis priority of a statement. */
double consensus_priority(int is_meta, uint32_t a, uint32_t d, uint32_t s, double extremity);
/* prio[c] for every column of m, from t's group counts and the comment
 * extremity (m->ncols doubles each). */
void consensus_priorities(double *prio, const struct matrix *m, const struct tally *t,
                          const double *extremity);

#endif
