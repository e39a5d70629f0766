/* prop.c - proportions, Wilson intervals, Kish n_eff, two-group tests. */
#include <math.h>

#include "stats/prop.h"

static int z_ok(double z)
{
	return isfinite(z) && z > 0;
}

enum err prop_wilson(double p, double n, double z, struct prop_ci *out)
{
	if (!(p >= 0 && p <= 1) || !isfinite(n) || !(n > 0) || !z_ok(z))
		return ERR_INVAL;
	double z2n = z * z / n;
	double denom = 1.0 + z2n;
	double center = (p + 0.5 * z2n) / denom;
	double half = z / denom * sqrt(p * (1.0 - p) / n + 0.25 * z2n / n);
	double lo = center - half, hi = center + half;
	/* Exact at the boundaries (rounding would give +-1e-17), and never on
	 * the wrong side of p. */
	if (p == 0 || lo < 0)
		lo = 0;
	if (p == 1 || hi > 1)
		hi = 1;
	if (lo > p)
		lo = p;
	if (hi < p)
		hi = p;
	out->p = p;
	out->lo = lo;
	out->hi = hi;
	out->n = n;
	return ERR_OK;
}

enum err prop_wilson_counts(long x, long n, double z, struct prop_ci *out)
{
	if (n <= 0 || x < 0 || x > n)
		return ERR_INVAL;
	return prop_wilson((double)x / (double)n, (double)n, z, out);
}

double prop_kish_neff(const double *w, size_t n)
{
	double sw = 0, sw2 = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(w[i]) || w[i] < 0)
			return NAN;
		sw += w[i];
		sw2 += w[i] * w[i];
	}
	if (sw2 == 0)
		return 0;
	return sw * sw / sw2;
}

void prop_acc_init(struct prop_acc *a)
{
	a->sw = 0;
	a->sw2 = 0;
	a->swy = 0;
	a->n = 0;
}

enum err prop_acc_add(struct prop_acc *a, double w, int yes)
{
	if (!isfinite(w) || w < 0)
		return ERR_INVAL;
	a->sw += w;
	a->sw2 += w * w;
	if (yes)
		a->swy += w;
	a->n++;
	return ERR_OK;
}

enum err prop_acc_result(const struct prop_acc *a, double z, struct prop_ci *out)
{
	if (!(a->sw > 0) || !(a->sw2 > 0))
		return ERR_INVAL;
	double p = a->swy / a->sw;
	if (p > 1) /* rounding in the sums */
		p = 1;
	return prop_wilson(p, a->sw * a->sw / a->sw2, z, out);
}

enum err prop_weighted(const double *w, const unsigned char *yes, size_t n, double z,
                       struct prop_ci *out)
{
	struct prop_acc a;
	prop_acc_init(&a);
	for (size_t i = 0; i < n; i++) {
		enum err e = prop_acc_add(&a, w[i], yes[i] != 0);
		if (e != ERR_OK)
			return e;
	}
	return prop_acc_result(&a, z, out);
}

enum err prop_diff_test(double p1, double n1, double p2, double n2, double zcrit,
                        struct prop_diff *out)
{
	struct prop_ci a, b;
	enum err e = prop_wilson(p1, n1, zcrit, &a);
	if (e == ERR_OK)
		e = prop_wilson(p2, n2, zcrit, &b);
	if (e != ERR_OK)
		return e;
	double d = p1 - p2;
	double pp = (p1 * n1 + p2 * n2) / (n1 + n2);
	double se0 = sqrt(pp * (1.0 - pp) * (1.0 / n1 + 1.0 / n2));
	double z = se0 > 0 ? d / se0 : 0;
	out->d = d;
	out->lo = d - sqrt((p1 - a.lo) * (p1 - a.lo) + (b.hi - p2) * (b.hi - p2));
	out->hi = d + sqrt((a.hi - p1) * (a.hi - p1) + (p2 - b.lo) * (p2 - b.lo));
	out->z = z;
	out->p_value = se0 > 0 ? erfc(fabs(z) / sqrt(2.0)) : 1.0;
	return ERR_OK;
}
