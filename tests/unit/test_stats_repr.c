/* Unit tests for stats/repr.c: representation ratio and years to parity.
 *
 * References: SciPy 1.10 (Debian python3-scipy) for the Wilson limits; a
 * closed form for the two-group projection; an independent Python loop for
 * the three-group one (snippets in the comments). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "stats/repr.h"
#include "stats/stats.h"

static void assert_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol * (fabs(want) > 1 ? fabs(want) : 1)))
		fail_msg("got %.17g, want %.17g", got, want);
}

/* 45 of 1800 staff who stated their ethnicity (2.5%) against 52000 of 400000
 * residents (13%): ratio 0.025/0.13.
 *   ci = binomtest(45, 1800).proportion_ci(method='wilson'); ps = 52000/400000
 *   ci.low/ps = 0.1441238908220728, ci.high/ps = 0.25605394743192383 */
static void test_ratio(void **state)
{
	(void)state;
	struct repr_ratio r;
	assert_int_equal(repr_ratio(45, 1800, 52000, 400000, STATS_Z95, &r), ERR_OK);
	assert_near(r.ratio, 0.19230769230769232, 1e-14);
	assert_near(r.lo, 0.1441238908220728, 1e-12);
	assert_near(r.hi, 0.25605394743192383, 1e-12);
	assert_near(r.staff_share, 0.025, 1e-15);
	assert_near(r.pop_share, 0.13, 1e-15);

	assert_int_equal(repr_ratio(130, 1000, 13, 100, STATS_Z95, &r), ERR_OK);
	assert_near(r.ratio, 1.0, 1e-14);
	assert_true(r.lo < 1 && r.hi > 1);

	assert_int_equal(repr_ratio(0, 100, 10, 100, STATS_Z95, &r), ERR_OK);
	assert_near(r.ratio, 0, 0);
	assert_near(r.lo, 0, 0);

	assert_int_equal(repr_ratio(1, 0, 10, 100, STATS_Z95, &r), ERR_INVAL);
	assert_int_equal(repr_ratio(101, 100, 10, 100, STATS_Z95, &r), ERR_INVAL);
	assert_int_equal(repr_ratio(-1, 100, 10, 100, STATS_Z95, &r), ERR_INVAL);
	assert_int_equal(repr_ratio(1, 100, 0, 100, STATS_Z95, &r), ERR_INVAL);
	assert_int_equal(repr_ratio(1, 100, 101, 100, STATS_Z95, &r), ERR_INVAL);
	assert_int_equal(repr_ratio(1, 100, NAN, 100, STATS_Z95, &r), ERR_INVAL);
	assert_int_equal(repr_ratio(1, 100, 10, 100, 0, &r), ERR_INVAL);
}

/* Group A has 100 of 1000 staff, B 900; both lose 10% a year; 100 join a
 * year, 30% from A. Headcount stays 1000 and h_A(t) = 300 - 200 * 0.9^t, so
 * A's share is 0.1, 0.12, 0.138, ..., 0.1937118 (t=6), 0.20434062 (t=7),
 * tending to 0.3. With A's population share 0.2: parity (tol 0) when
 * 0.9^t <= 0.5, t >= log(0.5)/log(0.9) = 6.58 -> 7; with tol 0.01 when
 * 0.9^t <= 0.55, t >= 5.67 -> 6. */
static void test_two_groups_closed_form(void **state)
{
	(void)state;
	struct repr_group g[2] = {{100, 0.1, 0.3, 0.2}, {900, 0.1, 0.7, 0.8}};
	struct repr_proj_opts o = {.joiners = 100, .horizon = 8, .tol = 0};
	struct repr_parity p[2];
	double traj[9 * 2];
	assert_int_equal(repr_project(g, 2, &o, p, traj), ERR_OK);
	for (int t = 0; t <= 8; t++) {
		assert_near(traj[t * 2], (300 - 200 * pow(0.9, t)) / 1000, 1e-14);
		assert_near(traj[t * 2] + traj[t * 2 + 1], 1, 1e-14);
	}
	assert_near(traj[6 * 2], 0.1937118, 1e-14);
	assert_near(traj[7 * 2], 0.20434062, 1e-14);
	assert_int_equal(p[0].years, 7); /* crossed 0.2 between years 6 and 7 */
	assert_int_equal(p[1].years, 7);
	assert_near(p[0].share_now, 0.1, 1e-15);
	assert_near(p[0].share_end, 0.213906558, 1e-14);
	assert_near(p[0].share_limit, 0.3, 1e-15);
	assert_near(p[1].share_limit, 0.7, 1e-15);

	o.tol = 0.01;
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_OK);
	assert_int_equal(p[0].years, 6);

	/* replacing leavers is the same here: 100 leave a year */
	o.replace = 1;
	o.joiners = -1; /* ignored */
	assert_int_equal(repr_project(g, 2, &o, p, traj), ERR_OK);
	assert_int_equal(p[0].years, 6);
	assert_near(traj[7 * 2], 0.20434062, 1e-14);
	assert_near(p[0].share_limit, 0.3, 1e-15);

	/* a horizon too short: not yet */
	o.replace = 0;
	o.joiners = 100;
	o.horizon = 5;
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_OK);
	assert_int_equal(p[0].years, -1);
	assert_near(p[0].share_end, 0.181902, 1e-14);

	/* at parity already */
	struct repr_group at[2] = {{200, 0.1, 0.3, 0.2}, {800, 0.1, 0.7, 0.8}};
	assert_int_equal(repr_project(at, 2, &o, p, NULL), ERR_OK);
	assert_int_equal(p[0].years, 0);
}

/* Never: A's share of joiners (15%) is below its population share (20%) and
 * rates are equal, so its share tends to 0.15. */
static void test_never(void **state)
{
	(void)state;
	struct repr_group g[2] = {{100, 0.1, 0.15, 0.2}, {900, 0.1, 0.85, 0.8}};
	struct repr_proj_opts o = {.joiners = 100, .horizon = 200, .tol = 0.005};
	struct repr_parity p[2];
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_OK);
	assert_int_equal(p[0].years, -1);
	assert_int_equal(p[1].years, -1);
	assert_near(p[0].share_limit, 0.15, 1e-15);
	assert_near(p[0].share_end, 0.15, 1e-9);
}

/* Three groups, unequal rates, 180 joiners a year, tol 0.005. Reference:
 *   g = [(1500, .08, .70, .80), (300, .12, .20, .12), (200, .10, .10, .09)]
 *   for t in range(41): record first t with |s-pop| <= tol or a sign change,
 *       then h = [h[k] - g[k][1]*h[k] + J*g[k][2] for k in range(3)]
 *   -> first [None, None, 6]; end shares 0.7660091035110591,
 *      0.14615429824001824, 0.0878365982489225; limits (J js/l normalised)
 *      0.7664233576642334, 0.145985401459854, 0.08759124087591241.
 * Group 3: year 5 share 0.09507872832895534 (0.00508 off), year 6
 * 0.09436359323883112 (0.00436 off). */
static void test_three_groups(void **state)
{
	(void)state;
	struct repr_group g[3] = {
	    {1500, 0.08, 0.70, 0.80}, {300, 0.12, 0.20, 0.12}, {200, 0.10, 0.10, 0.09}};
	struct repr_proj_opts o = {.joiners = 180, .horizon = 40, .tol = 0.005};
	struct repr_parity p[3];
	double traj[41 * 3];
	assert_int_equal(repr_project(g, 3, &o, p, traj), ERR_OK);
	assert_int_equal(p[0].years, -1);
	assert_int_equal(p[1].years, -1);
	assert_int_equal(p[2].years, 6);
	assert_near(traj[5 * 3 + 2], 0.09507872832895534, 1e-13);
	assert_near(traj[6 * 3 + 2], 0.09436359323883112, 1e-13);
	assert_near(p[0].share_end, 0.7660091035110591, 1e-13);
	assert_near(p[1].share_end, 0.14615429824001824, 1e-13);
	assert_near(p[2].share_end, 0.0878365982489225, 1e-13);
	assert_near(p[0].share_limit, 0.7664233576642334, 1e-14);
	assert_near(p[1].share_limit, 0.145985401459854, 1e-14);
	assert_near(p[2].share_limit, 0.08759124087591241, 1e-14);

	/* the limit is where the projection goes */
	o.horizon = 2000;
	assert_int_equal(repr_project(g, 3, &o, p, NULL), ERR_OK);
	for (int k = 0; k < 3; k++)
		assert_near(p[k].share_end, p[k].share_limit, 1e-12);
}

/* A step that jumps over the tolerance band still counts as reaching parity. */
static void test_crossing(void **state)
{
	(void)state;
	struct repr_group g[2] = {{0, 0.0, 0.5, 0.3}, {100, 1.0, 0.5, 0.7}};
	struct repr_proj_opts o = {.joiners = 100, .horizon = 3, .tol = 0.01};
	struct repr_parity p[2];
	double traj[4 * 2];
	assert_int_equal(repr_project(g, 2, &o, p, traj), ERR_OK);
	assert_near(traj[0], 0, 0);
	assert_near(traj[2], 0.5, 1e-15); /* 0 -> 0.5 jumps over 0.3 */
	assert_int_equal(p[0].years, 1);
	assert_int_equal(p[1].years, 1);
	/* A never leaves and keeps joining: it takes over in the limit */
	assert_near(p[0].share_limit, 1.0, 0);
	assert_near(p[1].share_limit, 0.0, 0);
	o.replace = 1;
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_OK);
	assert_true(isnan(p[0].share_limit));
}

/* No recruitment: groups decay at their own rates. */
static void test_no_joiners(void **state)
{
	(void)state;
	struct repr_group g[2] = {{100, 0.0, 0.5, 0.5}, {100, 0.5, 0.5, 0.5}};
	struct repr_proj_opts o = {.joiners = 0, .horizon = 2, .tol = 0};
	struct repr_parity p[2];
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_OK);
	assert_int_equal(p[0].years, 0);
	assert_near(p[0].share_end, 100.0 / 125.0, 1e-15);
	assert_near(p[0].share_limit, 1.0, 0);
	assert_near(p[1].share_limit, 0.0, 0);
}

static void test_errors(void **state)
{
	(void)state;
	struct repr_group g[2] = {{100, 0.1, 0.3, 0.2}, {900, 0.1, 0.7, 0.8}};
	struct repr_proj_opts o = {.joiners = 100, .horizon = 10, .tol = 0.01};
	struct repr_parity p[2];
	assert_int_equal(repr_project(g, 0, &o, p, NULL), ERR_INVAL);
	g[0].join_share = 0.4; /* shares sum to 1.1 */
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_INVAL);
	g[0].join_share = 0.3;
	g[0].leave_rate = 1.5;
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_INVAL);
	g[0].leave_rate = 0.1;
	g[0].headcount = -1;
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_INVAL);
	g[0].headcount = NAN;
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_INVAL);
	g[0].headcount = 0;
	g[1].headcount = 0; /* no staff */
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_INVAL);
	g[0].headcount = 100;
	g[1].headcount = 900;
	o.horizon = -1;
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_INVAL);
	o.horizon = 10;
	o.joiners = -5;
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_INVAL);
	o.joiners = 100;
	o.tol = NAN;
	assert_int_equal(repr_project(g, 2, &o, p, NULL), ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ratio),    cmocka_unit_test(test_two_groups_closed_form),
	    cmocka_unit_test(test_never),    cmocka_unit_test(test_three_groups),
	    cmocka_unit_test(test_crossing), cmocka_unit_test(test_no_joiners),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
