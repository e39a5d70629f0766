/* Unit tests for opinion/repness.c and opinion/consensus.c: the statistics
 * against Polis' own numbers (150ptpt fixture), the selection rules,
 * consensus, group-aware consensus and priorities. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opinion/consensus.h"
#include "opinion/matrix.h"
#include "opinion/repness.h"
#include "opinion/tally.h"

static int rel(double a, double b, double tol)
{
	return fabs(a - b) <= tol * fabs(b);
}

static void test_prop_tests(void **state)
{
	(void)state;
	assert_true(repness_prop_test(14, 15) == 3.5);
	assert_true(rel(repness_prop_test(10, 10), 3.3166247903554, 1e-13));
	/* two-prop-test adds 1 to every count; 0 when the pooled p is 1 */
	assert_true(repness_two_prop_test(5, 7, 5, 7) == 0);
	double s1 = 4, s2 = 2, n1 = 6, n2 = 11, p = (s1 + s2) / (n1 + n2);
	double z = (s1 / n1 - s2 / n2) / sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
	assert_true(rel(repness_two_prop_test(3, 1, 5, 10), z, 1e-14));
}

static void test_stats_match_polis(void **state)
{
	(void)state;
	/* 150ptpt-3gp-no-strict-no-meta, group 0, tid 41: A/D/S = 14/0/15 in
	 * the group and 4/11/30 in the two others. Polis: repness
	 * 5.647058823529412, repness-test 5.100021 (float), p-success
	 * 0.8823529411764706, p-test 3.5. */
	struct repness_stats s;
	repness_stats(&s, 14, 0, 15, 4, 11, 30);
	assert_true(s.ra == 5.647058823529412);
	assert_true((float)s.rat == 5.100021f);
	assert_true(s.pa == 0.8823529411764706);
	assert_true(s.pat == 3.5);
	assert_true(s.rat > s.rdt);
	/* tid 94: 10/0/10 against 4/20/30: repness 5.866666666666667,
	 * repness-test 4.9211526 */
	repness_stats(&s, 10, 0, 10, 4, 20, 30);
	assert_true(rel(s.ra, 5.866666666666667, 1e-15));
	assert_true((float)s.rat == 4.9211526f);
}

/* A matrix with statements 0..5 (5 moderated out) and a hand-made tally of
 * two groups: counts[g][c] = {A, D, S}. */
static void setup(struct matrix *m, struct tally *t, const uint32_t counts[2][6][3])
{
	struct matrix_vote v[6];
	for (int c = 0; c < 6; c++)
		v[c] = (struct matrix_vote){c, 1, c, 1};
	assert_int_equal(matrix_build(m, v, 6, NULL), ERR_OK);
	int32_t out[] = {5};
	matrix_set_moderation(m, out, 1, NULL, 0);
	memset(t, 0, sizeof *t);
	t->ncols = 6;
	t->ngroups = 2;
	t->group = calloc(3 * 2 * 6, sizeof *t->group);
	t->all = calloc(3 * 6, sizeof *t->all);
	for (int g = 0; g < 2; g++)
		for (int c = 0; c < 6; c++)
			for (int k = 0; k < 3; k++) {
				t->group[3 * (g * 6 + c) + k] = counts[g][c][k];
				t->all[3 * c + k] += counts[g][c][k];
			}
}

static void test_selection(void **state)
{
	(void)state;
	static const uint32_t counts[2][6][3] = {
	    /* group 0 */
	    {{9, 0, 10}, {9, 0, 10}, {0, 9, 10}, {5, 5, 10}, {0, 0, 3}, {10, 0, 10}},
	    /* group 1 */
	    {{0, 9, 10}, {9, 0, 10}, {9, 0, 10}, {5, 5, 10}, {1, 0, 1}, {0, 10, 10}},
	};
	struct matrix m;
	struct tally t;
	setup(&m, &t, counts);
	struct repness r;
	repness_select(&r, &m, &t);
	/* Group 0: statement 0 (agree) and 2 (disagree) pass; 0 is also the
	 * best-agree and comes first; 5 is moderated out. */
	assert_int_equal(r.count[0], 2);
	const struct repness_item *it = r.items;
	assert_int_equal(it[0].tid, 0);
	assert_true(it[0].agree && it[0].best_agree);
	assert_int_equal(it[0].n_agree, 9);
	assert_int_equal(it[0].n_success, 9);
	assert_int_equal(it[0].n_trials, 10);
	assert_int_equal(it[1].tid, 2);
	assert_false(it[1].agree);
	assert_false(it[1].best_agree);
	/* Group 1: the best-agree statement is 1 (the first with pat > 1.2816;
	 * 2 only ties its pa * pat), which is not representative: its agree
	 * and disagree tests are both 0, so Polis reports its disagree side.
	 * It is put first anyway; then the ones that pass by metric: 0 and 2
	 * (a tie, kept in column order), then 4 (1 agree of 1); agrees first. */
	assert_int_equal(r.count[1], 4);
	it = r.items + REPNESS_MAX;
	assert_int_equal(it[0].tid, 2);
	assert_true(it[0].agree);
	assert_int_equal(it[1].tid, 4);
	assert_true(it[1].agree);
	assert_int_equal(it[2].tid, 1);
	assert_true(it[2].best_agree && !it[2].agree);
	assert_int_equal(it[2].n_agree, 9);
	assert_int_equal(it[2].n_success, 0);
	assert_int_equal(it[3].tid, 0);
	assert_false(it[3].agree);
	repness_clear(&r);

	/* consensus over everyone: statement 1 (18 of 20 agree) only; 5 is
	 * moderated out */
	struct consensus cs;
	consensus_select(&cs, &m, &t);
	assert_int_equal(cs.nagree, 1);
	assert_int_equal(cs.agree[0].tid, 1);
	assert_int_equal(cs.agree[0].n_success, 18);
	assert_int_equal(cs.agree[0].n_trials, 20);
	assert_true(cs.agree[0].p_success == 19.0 / 22);
	assert_int_equal(cs.ndisagree, 0);

	double gac[6], prio[6], ext[6] = {0, 0, 0, 0, 0, 0};
	consensus_group_aware(gac, &t);
	assert_true(gac[1] == (10.0 / 12) * (10.0 / 12));
	assert_true(gac[4] == (1.0 / 5) * (2.0 / 3));
	consensus_priorities(prio, &m, &t, ext);
	assert_true(rel(prio[3], consensus_priority(0, 10, 10, 20, 0), 1e-15));
	free(t.group);
	free(t.all);
	matrix_clear(&m);
}

static void test_more_than_five(void **state)
{
	(void)state;
	/* Every statement separates the groups: at most 5 are kept, the
	 * best-agree first, then by repness metric; agrees before disagrees. */
	static const uint32_t counts[2][6][3] = {
	    {{9, 0, 10}, {0, 9, 10}, {8, 1, 10}, {1, 8, 10}, {7, 0, 8}, {9, 0, 9}},
	    {{0, 9, 10}, {9, 0, 10}, {1, 8, 10}, {8, 1, 10}, {0, 7, 8}, {0, 9, 9}},
	};
	struct matrix m;
	struct tally t;
	setup(&m, &t, counts);
	int32_t none[] = {99};
	matrix_set_moderation(&m, none, 1, NULL, 0); /* nothing moderated out */
	struct repness r;
	repness_select(&r, &m, &t);
	assert_int_equal(r.count[0], 5);
	int seen_disagree = 0;
	for (size_t i = 0; i < r.count[0]; i++) {
		const struct repness_item *it = &r.items[i];
		if (!it->agree)
			seen_disagree = 1;
		else
			assert_false(seen_disagree);
	}
	assert_true(r.items[0].best_agree);
	repness_clear(&r);
	free(t.group);
	free(t.all);
	matrix_clear(&m);
}

static void test_priorities_match_polis(void **state)
{
	(void)state;
	/* 150ptpt fixture, tid 0 and 4: A, D, S summed over the groups and
	 * Polis' comment extremity give Polis' priorities. */
	assert_true(
	    rel(consensus_priority(0, 48, 1, 51, 0.05049218306787965), 0.8509455451796203, 1e-14));
	assert_true(
	    rel(consensus_priority(0, 26, 16, 54, 2.5328223213394456), 1.7260153468590034, 1e-14));
	assert_true(consensus_priority(1, 26, 16, 54, 2.5) == 49);
	/* a new statement (no votes) gets the full boost: (1/2 * 1/2 * 9)^2 */
	assert_true(rel(consensus_priority(0, 0, 0, 0, 0), 81.0 / 16, 1e-15));
}

static void test_consensus_matches_polis(void **state)
{
	(void)state;
	/* 150ptpt fixture consensus: tid 0 with 50 agrees of 53 */
	struct repness_stats s;
	repness_stats(&s, 50, 1, 53, 0, 0, 0);
	assert_true(rel(s.pa, 0.9272727272727272, 1e-15));
	assert_true(rel(s.pat, 6.531972647421808, 1e-14));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prop_tests),
	    cmocka_unit_test(test_stats_match_polis),
	    cmocka_unit_test(test_selection),
	    cmocka_unit_test(test_more_than_five),
	    cmocka_unit_test(test_priorities_match_polis),
	    cmocka_unit_test(test_consensus_matches_polis),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
