/* rake.c - iterative proportional fitting of survey weights to margins. */
#include <math.h>
#include <stdlib.h>

#include "base/xalloc.h"

#include "stats/rake.h"

#define TOTAL_RTOL 1e-9

static double margin_total(const struct rake_margin *m)
{
	double s = 0;
	for (size_t c = 0; c < m->ncat; c++)
		s += m->target[c];
	return s;
}

/* Checks margin m against the respondents: category indexes, targets, and
 * that each category has respondents iff its target is positive. Uses w[]
 * (the base weights) and sums[] (ncat scratch). */
static enum err check_margin(size_t n, const double *w, const struct rake_margin *m, double *sums,
                             size_t *bad_cat)
{
	for (size_t c = 0; c < m->ncat; c++) {
		if (!isfinite(m->target[c]) || m->target[c] < 0) {
			*bad_cat = c;
			return ERR_INVAL;
		}
		sums[c] = 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (m->cat[i] >= m->ncat) {
			*bad_cat = m->cat[i];
			return ERR_INVAL;
		}
		sums[m->cat[i]] += w[i];
	}
	for (size_t c = 0; c < m->ncat; c++) {
		if ((sums[c] > 0) != (m->target[c] > 0)) {
			*bad_cat = c;
			return ERR_INVAL;
		}
	}
	return ERR_OK;
}

/* Largest |sum of weights - target| over m's categories; sums[] scratch. */
static double margin_dev(size_t n, const double *w, const struct rake_margin *m, double *sums)
{
	double dev = 0;
	for (size_t c = 0; c < m->ncat; c++)
		sums[c] = 0;
	for (size_t i = 0; i < n; i++)
		sums[m->cat[i]] += w[i];
	for (size_t c = 0; c < m->ncat; c++) {
		double d = fabs(sums[c] - m->target[c]);
		if (d > dev)
			dev = d;
	}
	return dev;
}

/* Scales m's categories to their targets; sums[] scratch. */
static void rake_margin(size_t n, double *w, const struct rake_margin *m, double *sums)
{
	for (size_t c = 0; c < m->ncat; c++)
		sums[c] = 0;
	for (size_t i = 0; i < n; i++)
		sums[m->cat[i]] += w[i];
	for (size_t c = 0; c < m->ncat; c++)
		sums[c] = sums[c] > 0 ? m->target[c] / sums[c] : 0;
	for (size_t i = 0; i < n; i++)
		w[i] *= sums[m->cat[i]];
}

/* The margins' common total, or ERR_INVAL naming the first that differs. */
static enum err common_total(const struct rake_margin *m, size_t nm, double *total, size_t *bad)
{
	*total = margin_total(&m[0]);
	if (!(*total > 0) || !isfinite(*total)) {
		*bad = 0;
		return ERR_INVAL;
	}
	for (size_t k = 1; k < nm; k++) {
		if (fabs(margin_total(&m[k]) - *total) > TOTAL_RTOL * *total) {
			*bad = k;
			return ERR_INVAL;
		}
	}
	return ERR_OK;
}

enum err rake_weights(size_t n, const double *base, const struct rake_margin *m, size_t nm,
                      const struct rake_opts *opts, double *w, struct rake_result *res)
{
	struct rake_result r = {0};
	double tol = opts ? opts->tol : 1e-9;
	int max_iter = opts ? opts->max_iter : 1000;
	enum err rc = ERR_OK;
	double total = 0, *sums = NULL; /* sums: scratch, one per category */
	size_t maxcat = 0;

	if (n == 0 || nm == 0 || !(tol >= 0) || max_iter < 1) {
		rc = ERR_INVAL;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		w[i] = base ? base[i] : 1.0;
		if (!isfinite(w[i]) || w[i] < 0) {
			rc = ERR_INVAL;
			goto out;
		}
	}
	for (size_t k = 0; k < nm; k++)
		if (m[k].ncat > maxcat)
			maxcat = m[k].ncat;
	if (maxcat == 0) {
		rc = ERR_INVAL;
		goto out;
	}
	rc = common_total(m, nm, &total, &r.margin);
	if (rc != ERR_OK)
		goto out;
	sums = xreallocarray(NULL, maxcat, sizeof *sums);
	for (size_t k = 0; k < nm; k++) {
		rc = check_margin(n, w, &m[k], sums, &r.cat);
		if (rc != ERR_OK) {
			r.margin = k;
			goto out;
		}
	}
	for (r.iterations = 1; r.iterations <= max_iter; r.iterations++) {
		for (size_t k = 0; k < nm; k++)
			rake_margin(n, w, &m[k], sums);
		r.max_dev = 0;
		for (size_t k = 0; k < nm; k++) {
			double d = margin_dev(n, w, &m[k], sums) / total;
			if (d > r.max_dev)
				r.max_dev = d;
		}
		if (r.max_dev <= tol)
			goto out;
	}
	r.iterations = max_iter;
	rc = ERR_LIMIT;
out:
	free(sums);
	if (res)
		*res = r;
	return rc;
}
