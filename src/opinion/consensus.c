#include "opinion/consensus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "opinion/repness.h"

struct consensus_cand {
	double metric;
	size_t col;
	uint32_t n;
	double p;
	double test;
};

static int consensus_cand_cmp(const void *a, const void *b)
{
	const struct consensus_cand *x = a, *y = b;
	if (x->metric != y->metric)
		return x->metric > y->metric ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* Top CONSENSUS_MAX of the candidates (sorted stably by metric). */
static size_t consensus_top(struct consensus_item *out, struct consensus_cand *c, size_t n,
                            const struct matrix *m, const struct tally *t)
{
	qsort(c, n, sizeof *c, consensus_cand_cmp);
	size_t k = 0;
	for (; k < n && k < CONSENSUS_MAX; k++) {
		out[k].tid = m->tids[c[k].col];
		out[k].n_success = c[k].n;
		out[k].n_trials = t->all[3 * c[k].col + TALLY_S];
		out[k].p_success = c[k].p;
		out[k].p_test = c[k].test;
	}
	return k;
}

void consensus_select(struct consensus *cs, const struct matrix *m, const struct tally *t)
{
	memset(cs, 0, sizeof *cs);
	struct consensus_cand *ag = xmalloc((m->ncols + 1) * sizeof *ag);
	struct consensus_cand *dg = xmalloc((m->ncols + 1) * sizeof *dg);
	size_t na = 0, nd = 0;
	for (size_t c = 0; c < m->ncols; c++) {
		if (m->modout[c])
			continue;
		const uint32_t *v = t->all + 3 * c;
		struct repness_stats s;
		repness_stats(&s, v[TALLY_A], v[TALLY_D], v[TALLY_S], 0, 0, 0);
		if (s.pa > 0.5 && s.pat > REPNESS_Z90)
			ag[na++] = (struct consensus_cand){s.pa * s.pat, c, s.na, s.pa, s.pat};
		if (s.pd > 0.5 && s.pdt > REPNESS_Z90)
			dg[nd++] = (struct consensus_cand){s.pd * s.pdt, c, s.nd, s.pd, s.pdt};
	}
	cs->nagree = consensus_top(cs->agree, ag, na, m, t);
	cs->ndisagree = consensus_top(cs->disagree, dg, nd, m, t);
	free(ag);
	free(dg);
}

void consensus_group_aware(double *gac, const struct tally *t)
{
	for (size_t c = 0; c < t->ncols; c++) {
		double p = 1;
		for (size_t g = 0; g < t->ngroups; g++)
			p *= ((double)tally_group(t, g, c, TALLY_A) + 1.0) /
			     ((double)tally_group(t, g, c, TALLY_S) + 2.0);
		gac[c] = p;
	}
}

double consensus_priority(int is_meta, uint32_t a, uint32_t d, uint32_t s, double extremity)
{
	if (is_meta)
		return CONSENSUS_META_PRIORITY * CONSENSUS_META_PRIORITY;
	double S = s, P = (double)s - a - d;
	/* (1 - (P+1)/(S+2)) is exact in Polis (a rational): (S+1-P)/(S+2). */
	double importance = (S + 1 - P) / (S + 2) * (extremity + 1) * (((double)a + 1) / (S + 2));
	double x = importance * (1 + 8 * pow(2, S / -5));
	return x * x;
}

void consensus_priorities(double *prio, const struct matrix *m, const struct tally *t,
                          const double *extremity)
{
	for (size_t c = 0; c < m->ncols; c++)
		prio[c] = consensus_priority(m->meta[c], tally_groups_sum(t, c, TALLY_A),
		                             tally_groups_sum(t, c, TALLY_D),
		                             tally_groups_sum(t, c, TALLY_S), extremity[c]);
}
