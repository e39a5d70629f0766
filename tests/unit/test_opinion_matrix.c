/* Unit tests for opinion/matrix.c, opinion/idmap.c and opinion/inconv.c:
 * sparse rows, last vote wins, row and column order, history, moderation,
 * the in-conv rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "opinion/idmap.h"
#include "opinion/inconv.h"
#include "opinion/matrix.h"

#define V(t, p, s, v)                                                                              \
	{                                                                                          \
		(t), (p), (s), (v)                                                                 \
	}

static void test_idmap_modes(void **state)
{
	(void)state;
	struct idmap m;
	idmap_init(&m, 0, 99, 50); /* direct */
	assert_true(m.range > 0);
	assert_int_equal(idmap_put(&m, 7, NULL), 0);
	assert_int_equal(idmap_put(&m, 3, NULL), 1);
	int added = -1;
	assert_int_equal(idmap_put(&m, 7, &added), 0);
	assert_int_equal(added, 0);
	/* outside the declared range: switches to hashing, keeps the indices */
	assert_int_equal(idmap_put(&m, -2000000000, &added), 2);
	assert_int_equal(added, 1);
	assert_int_equal(m.range, 0);
	assert_int_equal(idmap_get(&m, 7), 0);
	assert_int_equal(idmap_get(&m, 3), 1);
	assert_int_equal(idmap_get(&m, -2000000000), 2);
	assert_int_equal(idmap_get(&m, 4), IDMAP_NONE);
	for (int i = 0; i < 10000; i++)
		idmap_put(&m, i * 7919, NULL); /* grows */
	assert_int_equal(idmap_get(&m, 9999 * 7919), m.n - 1);
	idmap_clear(&m);
}

static void test_last_vote_wins(void **state)
{
	(void)state;
	/* Events out of time order; pid 20 changes its vote on tid 5. */
	struct matrix_vote v[] = {
	    V(30, 20, 5, 1),  V(10, 20, 5, -1), V(20, 10, 9, 0),
	    V(40, 10, 5, -1), V(30, 20, 9, 1),  V(50, 20, 5, 0),
	};
	struct matrix m;
	assert_int_equal(matrix_build(&m, v, 6, NULL), ERR_OK);
	assert_int_equal(m.nrows, 2);
	assert_int_equal(m.ncols, 2);
	assert_int_equal(m.nnz, 4);
	/* rows in order of first vote (pid 20 at t=10), columns ascending */
	assert_int_equal(m.pids[0], 20);
	assert_int_equal(m.pids[1], 10);
	assert_int_equal(m.tids[0], 5);
	assert_int_equal(m.tids[1], 9);
	assert_int_equal(matrix_row(&m, 10), 1);
	assert_int_equal(matrix_row(&m, 11), -1);
	assert_int_equal(matrix_col(&m, 9), 1);
	/* pid 20: tid 5 -> 0 (its last vote, t=50), tid 9 -> 1 */
	assert_int_equal(m.rowptr[1] - m.rowptr[0], 2);
	assert_int_equal(m.cols[0], 0);
	assert_int_equal(m.vals[0], 0);
	assert_int_equal(m.cols[1], 1);
	assert_int_equal(m.vals[1], 1);
	/* pid 10: tid 5 -> -1, tid 9 -> 0 */
	assert_int_equal(m.cols[2], 0);
	assert_int_equal(m.vals[2], -1);
	assert_int_equal(m.vals[3], 0);
	assert_int_equal(matrix_row_votes(&m, 1), 2);
	/* history: cells by first vote: (20,5)@10 (10,9)@20 (20,9)@30 (10,5)@40 */
	uint32_t hr[] = {0, 1, 0, 1}, hc[] = {0, 1, 1, 0};
	for (int k = 0; k < 4; k++) {
		assert_int_equal(m.hist_row[k], hr[k]);
		assert_int_equal(m.hist_col[k], hc[k]);
	}
	matrix_clear(&m);
}

static void test_equal_times_keep_input_order(void **state)
{
	(void)state;
	struct matrix_vote v[] = {V(5, 1, 1, 1), V(5, 2, 1, -1), V(5, 1, 1, -1)};
	struct matrix m;
	assert_int_equal(matrix_build(&m, v, 3, NULL), ERR_OK);
	assert_int_equal(m.pids[0], 1);
	assert_int_equal(m.vals[0], -1); /* the later event in the input wins */
	matrix_clear(&m);
}

static void test_invalid_and_empty(void **state)
{
	(void)state;
	struct matrix_vote v[] = {V(1, 1, 1, 1), V(2, 1, 2, 2)};
	struct matrix m;
	size_t bad = 99;
	assert_int_equal(matrix_build(&m, v, 2, &bad), ERR_INVAL);
	assert_int_equal(bad, 1);
	matrix_clear(&m);
	assert_int_equal(matrix_build(&m, NULL, 0, NULL), ERR_OK);
	assert_int_equal(m.nrows, 0);
	assert_int_equal(m.ncols, 0);
	matrix_set_moderation(&m, NULL, 0, NULL, 0);
	matrix_clear(&m);
}

static void test_moderation_flags(void **state)
{
	(void)state;
	struct matrix_vote v[] = {V(1, 1, 1, 1), V(2, 1, 2, 1), V(3, 1, 3, 1)};
	struct matrix m;
	assert_int_equal(matrix_build(&m, v, 3, NULL), ERR_OK);
	int32_t out[] = {2, 77}, meta[] = {3};
	matrix_set_moderation(&m, out, 2, meta, 1);
	assert_int_equal(m.modout[0], 0);
	assert_int_equal(m.modout[1], 1);
	assert_int_equal(m.modout[2], 1); /* meta is moderated out too */
	assert_int_equal(m.meta[2], 1);
	assert_int_equal(m.meta[1], 0);
	assert_int_equal(m.nmodout, 2);
	matrix_clear(&m);
}

static void test_large_sparse_ids(void **state)
{
	(void)state;
	/* ids far apart force hash mode in both maps */
	struct matrix_vote v[] = {V(1, 2000000000, -5, 1), V(2, -2000000000, 1000000000, 0),
	                          V(3, 2000000000, 1000000000, -1)};
	struct matrix m;
	assert_int_equal(matrix_build(&m, v, 3, NULL), ERR_OK);
	assert_int_equal(m.nrows, 2);
	assert_int_equal(m.tids[0], -5);
	assert_int_equal(m.tids[1], 1000000000);
	assert_int_equal(matrix_row(&m, -2000000000), 1);
	matrix_clear(&m);
}

static void test_inconv_apply(void **state)
{
	(void)state;
	/* 20 participants; participant p votes on the first p % 10 of 10
	 * statements (participant 0 on none: give it one vote on tid 0). */
	struct matrix_vote v[200];
	size_t n = 0;
	for (int p = 0; p < 20; p++) {
		int k = p % 10 ? p % 10 : 1;
		for (int s = 0; s < k; s++)
			v[n++] = (struct matrix_vote){p * 100 + s, p, s, 1};
	}
	struct matrix m;
	assert_int_equal(matrix_build(&m, v, n, NULL), ERR_OK);
	unsigned char in[20] = {0};
	/* 9 statements, so >= 7 votes: p % 10 in {7, 8, 9}, 6 participants;
	 * the top-up to 15 takes the most active: 6, 5, 4 and 3 votes (2
	 * each), then one of the two with 2 votes: the earlier row. */
	assert_int_equal(inconv_apply(in, &m), 15);
	for (int p = 0; p < 20; p++) {
		int k = p % 10 ? p % 10 : 1;
		assert_int_equal(in[matrix_row(&m, p)], k >= 3 || p == 2);
	}
	/* a previous member stays, even with 1 vote; the top-up then stops
	 * at 3 votes */
	memset(in, 0, sizeof in);
	in[matrix_row(&m, 10)] = 1;
	assert_int_equal(inconv_apply(in, &m), 15);
	assert_true(in[matrix_row(&m, 10)]);
	assert_true(in[matrix_row(&m, 13)]);
	assert_false(in[matrix_row(&m, 2)]);
	matrix_clear(&m);
}

static void test_inconv_replay_keeps_early_voters(void **state)
{
	(void)state;
	/* 30 participants. Participant 0 votes on both statements when only two
	 * exist; later 8 more statements appear and 29 others vote on 7 each. */
	struct matrix_vote v[400];
	size_t n = 0;
	v[n++] = (struct matrix_vote){1, 0, 0, 1};
	v[n++] = (struct matrix_vote){2, 0, 1, 1};
	for (int p = 1; p < 30; p++)
		for (int s = 0; s < 7; s++)
			v[n++] = (struct matrix_vote){1000 + p * 10 + s, p, (p + s) % 10, -1};
	/* one late participant with 2 votes */
	v[n++] = (struct matrix_vote){9000, 99, 0, 0};
	v[n++] = (struct matrix_vote){9001, 99, 1, 0};
	struct matrix m;
	assert_int_equal(matrix_build(&m, v, n, NULL), ERR_OK);
	unsigned char in[31];
	assert_int_equal(inconv_replay(in, &m), 30);
	assert_true(in[matrix_row(&m, 0)]);
	assert_false(in[matrix_row(&m, 99)]);
	/* evaluated once on the final data, participant 0 is out */
	memset(in, 0, sizeof in);
	assert_int_equal(inconv_apply(in, &m), 29);
	assert_false(in[matrix_row(&m, 0)]);
	matrix_clear(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_idmap_modes),
	    cmocka_unit_test(test_last_vote_wins),
	    cmocka_unit_test(test_equal_times_keep_input_order),
	    cmocka_unit_test(test_invalid_and_empty),
	    cmocka_unit_test(test_moderation_flags),
	    cmocka_unit_test(test_large_sparse_ids),
	    cmocka_unit_test(test_inconv_apply),
	    cmocka_unit_test(test_inconv_replay_keeps_early_voters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
