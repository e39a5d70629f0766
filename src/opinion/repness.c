#include "opinion/repness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

double repness_prop_test(uint32_t succ, uint32_t n)
{
	double s = (double)succ + 1, t = (double)n + 1;
	return 2 * sqrt(t) * (s / t - 0.5);
}

double repness_two_prop_test(uint32_t succ_in, uint32_t succ_out, uint32_t n_in, uint32_t n_out)
{
	double s1 = (double)succ_in + 1, s2 = (double)succ_out + 1;
	double n1 = (double)n_in + 1, n2 = (double)n_out + 1;
	double s = s1 + s2, n = n1 + n2;
	if (s == n)
		return 0;
	/* Polis computes with exact rationals up to the square root:
	 * (s1/n1 - s2/n2) / sqrt(p (1-p) (1/n1 + 1/n2)), p = s/n, which is
	 * (s1 n2 - s2 n1) / (n1 n2) / sqrt(s (n-s) / (n n1 n2)). */
	double num = (s1 * n2 - s2 * n1) / (n1 * n2);
	double var = s * (n - s) / (n * n1 * n2);
	return num / sqrt(var);
}

void repness_stats(struct repness_stats *s, uint32_t na, uint32_t nd, uint32_t ns, uint32_t rest_na,
                   uint32_t rest_nd, uint32_t rest_ns)
{
	s->na = na;
	s->nd = nd;
	s->ns = ns;
	s->pa = ((double)na + 1) / ((double)ns + 2);
	s->pd = ((double)nd + 1) / ((double)ns + 2);
	s->pat = repness_prop_test(na, ns);
	s->pdt = repness_prop_test(nd, ns);
	/* ra = pa / ((rest_na+1)/(rest_ns+2)), one rounding as with rationals */
	s->ra =
	    ((double)na + 1) * ((double)rest_ns + 2) / (((double)ns + 2) * ((double)rest_na + 1));
	s->rd =
	    ((double)nd + 1) * ((double)rest_ns + 2) / (((double)ns + 2) * ((double)rest_nd + 1));
	s->rat = repness_two_prop_test(na, rest_na, ns, rest_ns);
	s->rdt = repness_two_prop_test(nd, rest_nd, ns, rest_ns);
}

static void repness_finalize(struct repness_item *it, int32_t tid, const struct repness_stats *s)
{
	memset(it, 0, sizeof *it);
	it->tid = tid;
	it->n_trials = s->ns;
	if (s->rat > s->rdt) {
		it->n_success = s->na;
		it->p_success = s->pa;
		it->p_test = s->pat;
		it->repness = s->ra;
		it->repness_test = (float)s->rat;
		it->agree = true;
	} else {
		it->n_success = s->nd;
		it->p_success = s->pd;
		it->p_test = s->pdt;
		it->repness = s->rd;
		it->repness_test = (float)s->rdt;
	}
}

static bool repness_passes(const struct repness_stats *s)
{
	return (s->rat > REPNESS_Z90 && s->pat > REPNESS_Z90) ||
	       (s->rdt > REPNESS_Z90 && s->pdt > REPNESS_Z90);
}

static bool repness_beats_best_agree(const struct repness_stats *s,
                                     const struct repness_stats *best)
{
	if (s->na == 0 && s->nd == 0)
		return false;
	if (best && best->ra > 1.0)
		return s->ra * s->rat * s->pa * s->pat >
		       best->ra * best->rat * best->pa * best->pat;
	if (best)
		return s->pa * s->pat > best->pa * best->pat;
	return s->pat > REPNESS_Z90 || (s->ra > 1.0 && s->pa > 0.5);
}

static double repness_metric(const struct repness_item *it)
{
	return it->repness * (double)it->repness_test * it->p_success * it->p_test;
}

struct repness_key {
	double metric;
	size_t pos;
};

static int repness_key_cmp(const void *a, const void *b)
{
	const struct repness_key *x = a, *y = b;
	if (x->metric != y->metric)
		return x->metric > y->metric ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Sorts items by decreasing metric, stably (ties keep column order). */
static void repness_sort(struct repness_item *it, size_t n)
{
	struct repness_key *key = xmalloc((n + 1) * sizeof *key);
	struct repness_item *tmp = xmalloc((n + 1) * sizeof *tmp);
	for (size_t i = 0; i < n; i++) {
		key[i].metric = repness_metric(&it[i]);
		key[i].pos = i;
	}
	qsort(key, n, sizeof *key, repness_key_cmp);
	for (size_t i = 0; i < n; i++)
		tmp[i] = it[key[i].pos];
	memcpy(it, tmp, n * sizeof *it);
	free(key);
	free(tmp);
}

static void repness_group(struct repness *r, size_t g, const struct matrix *m,
                          const struct tally *t)
{
	struct repness_item *out = r->items + g * REPNESS_MAX;
	struct repness_item *suff = xmalloc((m->ncols + 1) * sizeof *suff);
	size_t nsuff = 0;
	struct repness_item best;
	bool have_best = false;
	struct repness_stats ba = {0};
	size_t ba_col = 0;
	bool have_ba = false;
	for (size_t c = 0; c < m->ncols; c++) {
		if (m->modout[c])
			continue;
		uint32_t n[3] = {0}, rest[3] = {0};
		for (size_t h = 0; h < t->ngroups; h++) {
			for (int k = 0; k < 3; k++) {
				uint32_t v = tally_group(t, h, c, (enum tally_kind)k);
				if (h == g)
					n[k] = v;
				else
					rest[k] += v;
			}
		}
		struct repness_stats s;
		repness_stats(&s, n[TALLY_A], n[TALLY_D], n[TALLY_S], rest[TALLY_A], rest[TALLY_D],
		              rest[TALLY_S]);
		if (repness_passes(&s))
			repness_finalize(&suff[nsuff++], m->tids[c], &s);
		double z = s.rat > s.rdt ? s.rat : s.rdt;
		if (!nsuff && (!have_best || z > (double)best.repness_test)) {
			repness_finalize(&best, m->tids[c], &s);
			have_best = true;
		}
		if (repness_beats_best_agree(&s, have_ba ? &ba : NULL)) {
			ba = s;
			ba_col = c;
			have_ba = true;
		}
	}
	struct repness_item head = {0};
	if (have_ba) {
		repness_finalize(&head, m->tids[ba_col], &ba);
		head.n_agree = ba.na;
		head.best_agree = true;
	} else if (have_best) {
		head = best;
	}
	size_t n = 0;
	if (!nsuff) {
		if (have_ba || have_best)
			out[n++] = head;
	} else {
		size_t k = 0;
		for (size_t i = 0; i < nsuff; i++)
			if (!have_ba || suff[i].tid != head.tid)
				suff[k++] = suff[i];
		repness_sort(suff, k);
		struct repness_item top[REPNESS_MAX];
		size_t nt = 0;
		if (have_ba)
			top[nt++] = head;
		for (size_t i = 0; i < k && nt < REPNESS_MAX; i++)
			top[nt++] = suff[i];
		for (size_t i = 0; i < nt; i++)
			if (top[i].agree)
				out[n++] = top[i];
		for (size_t i = 0; i < nt; i++)
			if (!top[i].agree)
				out[n++] = top[i];
	}
	r->count[g] = n;
	free(suff);
}

void repness_select(struct repness *r, const struct matrix *m, const struct tally *t)
{
	memset(r, 0, sizeof *r);
	r->ngroups = t->ngroups;
	r->count = xcalloc(t->ngroups + 1, sizeof *r->count);
	r->items = xcalloc(REPNESS_MAX * t->ngroups + 1, sizeof *r->items);
	for (size_t g = 0; g < t->ngroups; g++)
		repness_group(r, g, m, t);
}

void repness_clear(struct repness *r)
{
	free(r->count);
	free(r->items);
	memset(r, 0, sizeof *r);
}
