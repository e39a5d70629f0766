/* Unit tests for stats/stats.c and stats/prop.c: the normal distribution,
 * Wilson intervals (Newcombe 1998a), weighted proportions with Kish n_eff,
 * two-proportion tests and Newcombe's (1998b) method 10 differences.
 *
 * Reference values were computed with SciPy 1.10 (Debian python3-scipy),
 * independently of this code; the snippets are in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "stats/prop.h"
#include "stats/stats.h"

/* |got - want| <= tol * max(1, |want|) */
#define assert_near(got, want, tol)                                                                \
	do {                                                                                       \
		double g_ = (got), w_ = (want);                                                    \
		double s_ = fabs(w_) > 1 ? fabs(w_) : 1;                                           \
		if (!(fabs(g_ - w_) <= (tol)*s_))                                                  \
			fail_msg("%s = %.17g, want %.17g", #got, g_, w_);                          \
	} while (0)

/* |got - want| <= tol * |want|, for tails */
#define assert_rel(got, want, tol)                                                                 \
	do {                                                                                       \
		double g_ = (got), w_ = (want);                                                    \
		if (!(fabs(g_ - w_) <= (tol)*fabs(w_)))                                            \
			fail_msg("%s = %.17g, want %.17g", #got, g_, w_);                          \
	} while (0)

/* from scipy.stats import norm; norm.cdf(x), norm.sf(x) */
static void test_norm_cdf(void **state)
{
	(void)state;
	assert_rel(stats_norm_cdf(-3), 0.0013498980316300933, 1e-14);
	assert_rel(stats_norm_cdf(-1.5), 0.06680720126885807, 1e-14);
	assert_near(stats_norm_cdf(0), 0.5, 0);
	assert_rel(stats_norm_cdf(0.5), 0.6914624612740131, 1e-15);
	assert_rel(stats_norm_cdf(STATS_Z95), 0.975, 1e-15);
	assert_rel(stats_norm_sf(STATS_Z95), 0.025, 1e-14);
	assert_rel(stats_norm_sf(8), 6.22096057427174e-16, 1e-13);
	assert_rel(stats_norm_cdf(-8), 6.22096057427174e-16, 1e-13);
	assert_rel(stats_norm_cdf(-37), 5.7255712225239266e-300, 1e-12);
	assert_near(stats_norm_sf(-37), 1.0, 0);
}

/* norm.ppf(p) */
static void test_norm_ppf(void **state)
{
	(void)state;
	assert_rel(stats_norm_ppf(0.975), 1.959963984540054, 1e-15);
	assert_rel(stats_norm_ppf(0.995), 2.5758293035489004, 1e-15);
	assert_rel(stats_norm_ppf(0.95), 1.6448536269514722, 1e-15);
	assert_near(stats_norm_ppf(0.5), 0.0, 0);
	assert_rel(stats_norm_ppf(0.1), -1.2815515655446004, 1e-15);
	assert_rel(stats_norm_ppf(0.3), -0.5244005127080409, 1e-15);
	assert_rel(stats_norm_ppf(1e-10), -6.361340902404056, 1e-14);
	assert_rel(stats_norm_ppf(1e-300), -37.0470962993612, 1e-14);
	assert_rel(stats_norm_ppf(0.999999), 4.753424308817087, 1e-10);
	assert_true(isinf(stats_norm_ppf(0)) && stats_norm_ppf(0) < 0);
	assert_true(isinf(stats_norm_ppf(1)) && stats_norm_ppf(1) > 0);
	assert_true(isnan(stats_norm_ppf(-0.1)));
	assert_true(isnan(stats_norm_ppf(1.5)));
	assert_true(isnan(stats_norm_ppf(NAN)));
	/* round trip over a grid */
	for (double p = 0.001; p < 1; p += 0.001)
		assert_near(stats_norm_cdf(stats_norm_ppf(p)), p, 1e-14);
}

static void test_z_for_level(void **state)
{
	(void)state;
	assert_rel(stats_z_for_level(0.95), STATS_Z95, 1e-15);
	assert_rel(stats_z_for_level(0.99), 2.5758293035489004, 1e-15);
	assert_rel(stats_z_for_level(0.90), 1.6448536269514722, 1e-15);
	assert_true(isnan(stats_z_for_level(0)));
	assert_true(isnan(stats_z_for_level(1)));
}

/* Newcombe (1998a), Table I, method 3 (score): 81/263 0.2553-0.3662,
 * 15/148 0.0624-0.1605, 0/20 0-0.1611, 1/29 0.0061-0.1718, 29/29
 * 0.8830-1. Full precision from
 * binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson'). */
static void test_wilson_newcombe(void **state)
{
	(void)state;
	static const struct {
		long x, n;
		double lo, hi;
	} cases[] = {
	    {81, 263, 0.2552885198782742, 0.36620957698280004},
	    {15, 148, 0.06238639953073629, 0.16048724172330803},
	    {0, 20, 0.0, 0.16112515805281935},
	    {1, 29, 0.006113214292762667, 0.17175521879320282},
	    {29, 29, 0.8830302015002592, 1.0},
	    {0, 1, 0.0, 0.7934506856227626},
	    {1, 1, 0.20654931437723745, 1.0},
	    {5, 10, 0.236593090512564, 0.7634069094874361},
	    {5, 56, 0.0387421484495869, 0.1925600138551116},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct prop_ci ci;
		assert_int_equal(prop_wilson_counts(cases[i].x, cases[i].n, STATS_Z95, &ci),
		                 ERR_OK);
		assert_near(ci.p, (double)cases[i].x / (double)cases[i].n, 1e-15);
		assert_near(ci.lo, cases[i].lo, 1e-13);
		assert_near(ci.hi, cases[i].hi, 1e-13);
		assert_near(ci.n, (double)cases[i].n, 0);
	}
	/* 0/n and n/n are exact at the boundary */
	struct prop_ci ci;
	assert_int_equal(prop_wilson_counts(0, 20, STATS_Z95, &ci), ERR_OK);
	assert_true(ci.lo == 0.0);
	assert_int_equal(prop_wilson_counts(29, 29, STATS_Z95, &ci), ERR_OK);
	assert_true(ci.hi == 1.0);
}

/* binomtest(81, 263).proportion_ci(confidence_level=0.99, method='wilson') */
static void test_wilson_other_level(void **state)
{
	(void)state;
	struct prop_ci ci;
	assert_int_equal(prop_wilson_counts(81, 263, stats_z_for_level(0.99), &ci), ERR_OK);
	assert_near(ci.lo, 0.24013690268760768, 1e-13);
	assert_near(ci.hi, 0.3852825023182298, 1e-13);
}

static void test_wilson_errors(void **state)
{
	(void)state;
	struct prop_ci ci = {.p = -1};
	assert_int_equal(prop_wilson_counts(1, 0, STATS_Z95, &ci), ERR_INVAL);
	assert_int_equal(prop_wilson_counts(-1, 10, STATS_Z95, &ci), ERR_INVAL);
	assert_int_equal(prop_wilson_counts(11, 10, STATS_Z95, &ci), ERR_INVAL);
	assert_int_equal(prop_wilson_counts(1, 10, 0, &ci), ERR_INVAL);
	assert_int_equal(prop_wilson_counts(1, 10, NAN, &ci), ERR_INVAL);
	assert_int_equal(prop_wilson(1.2, 10, STATS_Z95, &ci), ERR_INVAL);
	assert_int_equal(prop_wilson(NAN, 10, STATS_Z95, &ci), ERR_INVAL);
	assert_int_equal(prop_wilson(0.5, INFINITY, STATS_Z95, &ci), ERR_INVAL);
	assert_int_equal(prop_wilson(0.5, -3, STATS_Z95, &ci), ERR_INVAL);
	assert_near(ci.p, -1, 0); /* untouched */
}

static void test_kish(void **state)
{
	(void)state;
	double eq[5] = {2, 2, 2, 2, 2};
	assert_near(prop_kish_neff(eq, 5), 5.0, 1e-15);
	double w[4] = {1, 2, 3, 4}; /* 10^2 / 30 */
	assert_near(prop_kish_neff(w, 4), 100.0 / 30.0, 1e-15);
	double z[2] = {0, 0};
	assert_near(prop_kish_neff(z, 2), 0, 0);
	assert_near(prop_kish_neff(NULL, 0), 0, 0);
	double bad[2] = {1, -1};
	assert_true(isnan(prop_kish_neff(bad, 2)));
}

/* w = [1,2,3,4], yes = [1,0,1,1]: p = 0.8, n_eff = 10/3; Wilson written out
 * with z = norm.ppf(0.975):
 * den = 1+z*z/n; c = (p+z*z/(2*n))/den; h = z/den*sqrt(p*(1-p)/n+z*z/(4*n*n))
 * -> c-h = 0.3055124142955034, c+h = 0.9732413052637916 */
static void test_weighted(void **state)
{
	(void)state;
	double w[4] = {1, 2, 3, 4};
	unsigned char y[4] = {1, 0, 1, 1};
	struct prop_ci ci;
	assert_int_equal(prop_weighted(w, y, 4, STATS_Z95, &ci), ERR_OK);
	assert_near(ci.p, 0.8, 1e-15);
	assert_near(ci.n, 3.3333333333333335, 1e-15);
	assert_near(ci.lo, 0.3055124142955034, 1e-13);
	assert_near(ci.hi, 0.9732413052637916, 1e-13);

	/* unit weights give the unweighted interval */
	struct prop_acc a;
	prop_acc_init(&a);
	for (int i = 0; i < 263; i++)
		assert_int_equal(prop_acc_add(&a, 1.0, i < 81), ERR_OK);
	assert_int_equal(prop_acc_result(&a, STATS_Z95, &ci), ERR_OK);
	assert_int_equal(a.n, 263);
	assert_near(ci.lo, 0.2552885198782742, 1e-13);
	assert_near(ci.hi, 0.36620957698280004, 1e-13);

	/* scaling the weights changes nothing */
	double w10[4] = {10, 20, 30, 40};
	struct prop_ci c2;
	assert_int_equal(prop_weighted(w10, y, 4, STATS_Z95, &c2), ERR_OK);
	assert_near(c2.lo, 0.3055124142955034, 1e-13);

	assert_int_equal(prop_acc_add(&a, -1, 1), ERR_INVAL);
	assert_int_equal(prop_acc_add(&a, NAN, 1), ERR_INVAL);
	assert_int_equal(a.n, 263);
	prop_acc_init(&a);
	assert_int_equal(prop_acc_result(&a, STATS_Z95, &ci), ERR_INVAL);
	assert_int_equal(prop_acc_add(&a, 0, 1), ERR_OK);
	assert_int_equal(prop_acc_result(&a, STATS_Z95, &ci), ERR_INVAL);
}

/* Newcombe (1998b), Table II, method 10 (hybrid score), to 4 dp:
 * (a) 56/70-48/80 .0524 .3339 (b) 9/10-3/10 .1705 .8090
 * (c) 6/7-2/7 .0582 .8062     (d) 5/56-0/29 -.0381 .1926
 * (e) 0/10-0/20 -.1611 .2775  (f) 0/10-0/10 -.2775 .2775
 * (g) 10/10-0/20 .6791 1      (h) 10/10-0/10 .6075 1
 * Full precision from SciPy's Wilson limits:
 *   l, u = binomtest(k, n).proportion_ci(method='wilson')
 *   lo = d - sqrt((p1-l1)**2 + (u2-p2)**2); hi = d + sqrt((u1-p1)**2 + (p2-l2)**2)
 * and z, p from chi2_contingency([[a, m-a], [b, n-b]], correction=False):
 * z = sign(d) * sqrt(chi2) (Pearson's chi2 on 2x2 is the pooled z squared). */
static void test_diff_newcombe(void **state)
{
	(void)state;
	static const struct {
		long a, m, b, n;
		double lo, hi, z, p;
	} cases[] = {
	    {56, 70, 48, 80, 0.052431472402364815, 0.3338726540369059, 2.650171951258532,
	     0.008045081368196585},
	    {9, 10, 3, 10, 0.17052272393450302, 0.8090179735354881, 2.7386127875258306,
	     0.0061698993205441645},
	    {6, 7, 2, 7, 0.0582279274823122, 0.8062496375242278, 2.1602468994692865,
	     0.03075356125927456},
	    {5, 56, 0, 29, -0.03813714790353688, 0.1925600138551116, 1.6586488692392285,
	     0.09718656817057987},
	    {0, 10, 0, 20, -0.16112515805281935, 0.27753279986288926, 0, 1},
	    {0, 10, 0, 10, -0.27753279986288926, 0.27753279986288926, 0, 1},
	    {10, 10, 0, 20, 0.6790860371419147, 1.0, 5.477225575051661, 4.320463057827503e-08},
	    {10, 10, 0, 10, 0.6075093504305242, 1.0, 4.47213595499958, 7.744216431044088e-06},
	    {120, 400, 90, 350, -0.021662995064077345, 0.10627797680201313, 1.3041013273932527,
	     0.19219903638648944},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double p1 = (double)cases[i].a / (double)cases[i].m;
		double p2 = (double)cases[i].b / (double)cases[i].n;
		struct prop_diff d;
		assert_int_equal(
		    prop_diff_test(p1, (double)cases[i].m, p2, (double)cases[i].n, STATS_Z95, &d),
		    ERR_OK);
		assert_near(d.d, p1 - p2, 1e-15);
		assert_near(d.lo, cases[i].lo, 1e-12);
		assert_near(d.hi, cases[i].hi, 1e-12);
		assert_near(d.z, cases[i].z, 1e-12);
		assert_rel(d.p_value, cases[i].p, 1e-10);
	}
	/* swapping the groups mirrors the interval and the statistic */
	struct prop_diff d;
	assert_int_equal(prop_diff_test(48.0 / 80, 80, 56.0 / 70, 70, STATS_Z95, &d), ERR_OK);
	assert_near(d.lo, -0.3338726540369059, 1e-12);
	assert_near(d.hi, -0.052431472402364815, 1e-12);
	assert_near(d.z, -2.650171951258532, 1e-12);
}

/* Weighted groups: p1 = 0.62 on n_eff 150.4, p2 = 0.48 on n_eff 98.7.
 * pp = (p1*n1+p2*n2)/(n1+n2); se = sqrt(pp*(1-pp)*(1/n1+1/n2)); z = (p1-p2)/se
 * -> z 2.1797206527496575, p = 2*norm.sf(z) 0.029278174702119946;
 * method 10 on Wilson limits written out: lo 0.014141017668938577,
 * hi 0.26097203629961196 */
static void test_diff_weighted(void **state)
{
	(void)state;
	struct prop_diff d;
	assert_int_equal(prop_diff_test(0.62, 150.4, 0.48, 98.7, STATS_Z95, &d), ERR_OK);
	assert_near(d.z, 2.1797206527496575, 1e-12);
	assert_rel(d.p_value, 0.029278174702119946, 1e-11);
	assert_near(d.lo, 0.014141017668938577, 1e-12);
	assert_near(d.hi, 0.26097203629961196, 1e-12);

	assert_int_equal(prop_diff_test(0.5, 0, 0.5, 10, STATS_Z95, &d), ERR_INVAL);
	assert_int_equal(prop_diff_test(0.5, 10, 1.5, 10, STATS_Z95, &d), ERR_INVAL);
	assert_int_equal(prop_diff_test(0.5, 10, 0.5, 10, -1, &d), ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_norm_cdf),
	    cmocka_unit_test(test_norm_ppf),
	    cmocka_unit_test(test_z_for_level),
	    cmocka_unit_test(test_wilson_newcombe),
	    cmocka_unit_test(test_wilson_other_level),
	    cmocka_unit_test(test_wilson_errors),
	    cmocka_unit_test(test_kish),
	    cmocka_unit_test(test_weighted),
	    cmocka_unit_test(test_diff_newcombe),
	    cmocka_unit_test(test_diff_weighted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
