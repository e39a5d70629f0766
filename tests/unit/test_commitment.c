/* The commitment state machine of domain/commitment.c, walked whole: every
 * pair of statuses is a move or not, made by the side and with the reason
 * written out independently here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/commitment.h"

static const char *const statuses[] = {"proposed",  "accepted", "in_progress", "done",
                                       "confirmed", "disputed", "declined"};

/* from, to, side ('o' owner, 'c' co-chair), action, reason needed */
static const struct {
	const char *from, *to;
	char side;
	enum action action;
	int reason;
} expect[] = {
    {"proposed", "accepted", 'o', ACT_COMMITMENT_PROGRESS, 0},
    {"proposed", "declined", 'o', ACT_COMMITMENT_DECLINE, 1},
    {"accepted", "in_progress", 'o', ACT_COMMITMENT_PROGRESS, 0},
    {"accepted", "done", 'o', ACT_COMMITMENT_PROGRESS, 0},
    {"accepted", "declined", 'o', ACT_COMMITMENT_DECLINE, 1},
    {"in_progress", "done", 'o', ACT_COMMITMENT_PROGRESS, 0},
    {"in_progress", "declined", 'o', ACT_COMMITMENT_DECLINE, 1},
    {"done", "confirmed", 'c', ACT_COMMITMENT_CONFIRM, 0},
    {"done", "disputed", 'c', ACT_COMMITMENT_CONFIRM, 1},
    {"disputed", "done", 'o', ACT_COMMITMENT_PROGRESS, 1},
    {"disputed", "in_progress", 'o', ACT_COMMITMENT_PROGRESS, 1},
};

static void test_every_pair(void **state)
{
	(void)state;
	size_t n = sizeof statuses / sizeof statuses[0];
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			enum action a;
			enum commitment_side side;
			int reason;
			int got = commitment_move(statuses[i], statuses[j], &a, &side, &reason);
			int want = -1;
			for (size_t k = 0; k < sizeof expect / sizeof expect[0]; k++)
				if (!strcmp(expect[k].from, statuses[i]) &&
				    !strcmp(expect[k].to, statuses[j]))
					want = (int)k;
			if (got != (want >= 0))
				fail_msg("%s -> %s: move %d, expected %d", statuses[i], statuses[j],
				         got, want >= 0);
			if (want < 0)
				continue;
			assert_int_equal(a, expect[want].action);
			assert_int_equal(side, expect[want].side == 'o' ? COMMITMENT_OWNER
			                                                : COMMITMENT_COCHAIR);
			assert_int_equal(reason, expect[want].reason);
		}
	}
}

/* Only the co-chair can make a commitment confirmed; nothing leaves
 * confirmed or declined. */
static void test_confirm_only_by_cochair_and_final_states(void **state)
{
	(void)state;
	enum action a;
	enum commitment_side side;
	int reason;
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		if (commitment_move(statuses[i], "confirmed", &a, &side, &reason))
			assert_int_equal(side, COMMITMENT_COCHAIR);
		assert_false(commitment_move("confirmed", statuses[i], &a, &side, &reason));
		assert_false(commitment_move("declined", statuses[i], &a, &side, &reason));
	}
	assert_false(commitment_move("done", "nonsense", &a, &side, &reason));
	assert_false(commitment_move(NULL, "done", &a, &side, &reason));
	assert_true(commitment_status_valid("in_progress"));
	assert_false(commitment_status_valid("finished"));
	assert_false(commitment_status_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_pair),
	    cmocka_unit_test(test_confirm_only_by_cochair_and_final_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
