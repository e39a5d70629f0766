/* Unit tests for stats/rake.c: raking (IPF) to population margins, and the
 * weighted indicator it feeds (prop_weighted with Kish n_eff).
 *
 * The reference weights do not come from IPF: raking converges to weights of
 * the form w_i = a[age_i] * b[sex_i] * c[com_i] that meet every margin, so
 * SciPy (1.10, Debian python3-scipy) solved those margin equations for a, b,
 * c directly with a nonlinear least-squares solver:
 *
 *   def resid(v):
 *       a, b, c = unpack(np.exp(v)); w = a[age] * b[sex] * c[com]
 *       return np.r_[np.bincount(age, w, 3) - ta, np.bincount(sex, w, 2) - ts,
 *                    np.bincount(com, w, 3) - tc]
 *   sol = least_squares(resid, np.zeros(6), xtol=1e-15, ftol=1e-15, gtol=1e-15)
 *
 * (unpack fixes b[0] = c[0] = 1; max residual 7e-15.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "stats/prop.h"
#include "stats/rake.h"
#include "stats/stats.h"

#define N 20
static const size_t age[N] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2};
static const size_t sex[N] = {0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0};
static const size_t com[N] = {0, 0, 1, 0, 2, 0, 0, 1, 1, 0, 0, 0, 2, 1, 0, 0, 1, 0, 0, 2};
static const unsigned char yes[N] = {1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0};
static const double ta[3] = {30, 45, 25}; /* age band, population (per 100) */
static const double ts[2] = {48, 52};     /* sex */
static const double tc[3] = {40, 20, 40}; /* community: the sample has 12, 5, 3 */

static void assert_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol * (fabs(want) > 1 ? fabs(want) : 1)))
		fail_msg("got %.17g, want %.17g", got, want);
}

static void test_two_margins(void **state)
{
	(void)state;
	/* least_squares on np.r_[bincount(age, w) - ta, bincount(sex, w) - ts],
	 * w = a[age] * b[sex] */
	static const double want[N] = {
	    5.0067180732562555, 4.986563853487489,  5.0067180732562555, 4.986563853487489,
	    5.0067180732562555, 5.0067180732562555, 5.619322089535424,  5.619322089535424,
	    5.64203373139373,   5.619322089535424,  5.619322089535424,  5.64203373139373,
	    5.619322089535424,  5.619322089535424,  4.172265061046879,  4.15546987790624,
	    4.172265061046879,  4.172265061046879,  4.15546987790624,   4.172265061046879,
	};
	struct rake_margin m[2] = {{age, ta, 3}, {sex, ts, 2}};
	struct rake_opts o = {.tol = 1e-13, .max_iter = 1000};
	struct rake_result r;
	double w[N];
	assert_int_equal(rake_weights(N, NULL, m, 2, &o, w, &r), ERR_OK);
	assert_true(r.iterations > 1 && r.max_dev <= 1e-13);
	for (int i = 0; i < N; i++)
		assert_near(w[i], want[i], 1e-11);
}

/* Three margins; then the weighted indicator: p = sum(w*yes)/sum(w),
 * n_eff = sum(w)^2/sum(w^2), Wilson on n_eff written out (z =
 * norm.ppf(0.975)): p 0.3984113903686375, n_eff 12.96797187454518,
 * lo 0.18644028726029735, hi 0.656814578849265. */
static void test_three_margins_indicator(void **state)
{
	(void)state;
	static const double want[N] = {
	    3.018222551658966,  3.7990741200716958, 3.6402131569354497, 3.7990741200716958,
	    12.72519349960323,  3.018222551658966,  3.953984229075085,  4.768815144225562,
	    3.7886455905005523, 3.953984229075085,  3.953984229075085,  3.1412928497623245,
	    16.670478584060742, 4.768815144225562,  2.5151854597158048, 3.165895100059746,
	    3.0335109641128746, 2.5151854597158048, 3.165895100059746,  10.604327916336025,
	};
	struct rake_margin m[3] = {{age, ta, 3}, {sex, ts, 2}, {com, tc, 3}};
	struct rake_opts o = {.tol = 1e-13, .max_iter = 5000};
	struct rake_result r;
	double w[N];
	assert_int_equal(rake_weights(N, NULL, m, 3, &o, w, &r), ERR_OK);
	for (int i = 0; i < N; i++)
		assert_near(w[i], want[i], 1e-10);

	struct prop_ci ci;
	assert_int_equal(prop_weighted(w, yes, N, STATS_Z95, &ci), ERR_OK);
	assert_near(ci.p, 0.3984113903686375, 1e-11);
	assert_near(ci.n, 12.96797187454518, 1e-10);
	assert_near(ci.lo, 0.18644028726029735, 1e-10);
	assert_near(ci.hi, 0.656814578849265, 1e-10);
	/* the weights cost precision: the unweighted interval on n = 20 is
	 * narrower than the weighted one on n_eff ~ 13 */
	struct prop_ci u;
	assert_int_equal(prop_wilson_counts(12, 20, STATS_Z95, &u), ERR_OK);
	assert_true(u.hi - u.lo < ci.hi - ci.lo);

	/* shares instead of counts: the same weights, scaled to sum to 1 */
	double sa[3] = {0.30, 0.45, 0.25}, ss[2] = {0.48, 0.52}, sc[3] = {0.40, 0.20, 0.40};
	struct rake_margin ms[3] = {{age, sa, 3}, {sex, ss, 2}, {com, sc, 3}};
	double w1[N];
	assert_int_equal(rake_weights(N, NULL, ms, 3, &o, w1, NULL), ERR_OK);
	for (int i = 0; i < N; i++)
		assert_near(w1[i] * 100, want[i], 1e-9);
}

/* Design weights are kept in the product: with base weights b_i the result is
 * b_i * a[age] * b[sex]; a zero base weight stays zero. */
static void test_base_weights(void **state)
{
	(void)state;
	double base[N], w[N], w0[N];
	for (int i = 0; i < N; i++)
		base[i] = 1.0 + (double)(i % 3);
	base[5] = 0;
	struct rake_margin m[2] = {{age, ta, 3}, {sex, ts, 2}};
	assert_int_equal(rake_weights(N, base, m, 2, NULL, w, NULL), ERR_OK);
	assert_near(w[5], 0, 0);
	double sa[3] = {0}, ss[2] = {0};
	for (int i = 0; i < N; i++) {
		sa[age[i]] += w[i];
		ss[sex[i]] += w[i];
	}
	for (int c = 0; c < 3; c++)
		assert_near(sa[c], ta[c], 1e-9);
	for (int c = 0; c < 2; c++)
		assert_near(ss[c], ts[c], 1e-9);
	/* one margin: a single scaling, exact at once */
	struct rake_result r;
	assert_int_equal(rake_weights(N, NULL, m, 1, NULL, w0, &r), ERR_OK);
	assert_int_equal(r.iterations, 1);
	assert_near(w0[0], 30.0 / 6, 1e-15);
	assert_near(w0[6], 45.0 / 8, 1e-15);
}

static void test_errors(void **state)
{
	(void)state;
	double w[N];
	struct rake_result r;
	struct rake_margin m[2] = {{age, ta, 3}, {sex, ts, 2}};

	/* margins that do not sum to the same total */
	double ts2[2] = {48, 53};
	struct rake_margin bad[2] = {{age, ta, 3}, {sex, ts2, 2}};
	assert_int_equal(rake_weights(N, NULL, bad, 2, NULL, w, &r), ERR_INVAL);
	assert_int_equal(r.margin, 1);

	/* respondents in a category with no population */
	double tz[3] = {30, 70, 0};
	struct rake_margin zero[2] = {{sex, ts, 2}, {age, tz, 3}};
	assert_int_equal(rake_weights(N, NULL, zero, 2, NULL, w, &r), ERR_INVAL);
	assert_int_equal(r.margin, 1);
	assert_int_equal(r.cat, 2);

	/* a populated category without respondents */
	double t4[4] = {30, 45, 20, 5};
	struct rake_margin empty[1] = {{age, t4, 4}};
	assert_int_equal(rake_weights(N, NULL, empty, 1, NULL, w, &r), ERR_INVAL);
	assert_int_equal(r.cat, 3);
	/* ... but an empty category with no population is fine */
	double t4z[4] = {30, 45, 25, 0};
	struct rake_margin emptyz[1] = {{age, t4z, 4}};
	assert_int_equal(rake_weights(N, NULL, emptyz, 1, NULL, w, &r), ERR_OK);

	/* category out of range */
	struct rake_margin small[1] = {{age, ta, 2}};
	assert_int_equal(rake_weights(N, NULL, small, 1, NULL, w, &r), ERR_INVAL);

	/* negative target, negative or NaN base weight */
	double tn[3] = {-5, 80, 25};
	struct rake_margin neg[1] = {{age, tn, 3}};
	assert_int_equal(rake_weights(N, NULL, neg, 1, NULL, w, &r), ERR_INVAL);
	double base[N];
	for (int i = 0; i < N; i++)
		base[i] = 1;
	base[3] = -1;
	assert_int_equal(rake_weights(N, base, m, 2, NULL, w, &r), ERR_INVAL);
	base[3] = NAN;
	assert_int_equal(rake_weights(N, base, m, 2, NULL, w, &r), ERR_INVAL);

	/* nothing to do */
	assert_int_equal(rake_weights(0, NULL, m, 2, NULL, w, &r), ERR_INVAL);
	assert_int_equal(rake_weights(N, NULL, m, 0, NULL, w, &r), ERR_INVAL);
	double t0[3] = {0, 0, 0};
	struct rake_margin allzero[1] = {{age, t0, 3}};
	assert_int_equal(rake_weights(N, NULL, allzero, 1, NULL, w, &r), ERR_INVAL);
	struct rake_opts o = {.tol = 1e-9, .max_iter = 0};
	assert_int_equal(rake_weights(N, NULL, m, 2, &o, w, &r), ERR_INVAL);
}

/* Margins the sample cannot meet: only (young, women) and (old, men) were
 * interviewed, so young = women and old = men in any weighting, but the
 * population has 50/50 by age and 30/70 by sex. IPF oscillates. */
static void test_no_convergence(void **state)
{
	(void)state;
	const size_t a[4] = {0, 0, 1, 1}, s[4] = {0, 0, 1, 1};
	const double tage[2] = {50, 50}, tsex[2] = {30, 70};
	struct rake_margin m[2] = {{a, tage, 2}, {s, tsex, 2}};
	struct rake_opts o = {.tol = 1e-9, .max_iter = 200};
	struct rake_result r;
	double w[4];
	assert_int_equal(rake_weights(4, NULL, m, 2, &o, w, &r), ERR_LIMIT);
	assert_int_equal(r.iterations, 200);
	assert_near(r.max_dev, 0.2, 1e-12);  /* 50 vs 30 (or 70) out of 100 */
	assert_near(w[0] + w[1], 30, 1e-12); /* the last margin raked is met */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_two_margins),    cmocka_unit_test(test_three_margins_indicator),
	    cmocka_unit_test(test_base_weights),   cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_no_convergence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
