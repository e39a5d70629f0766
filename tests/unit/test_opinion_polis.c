/* Unit tests for opinion/polis*.c: reading export CSVs and JSON dumps
 * (signs, quoting, line numbers in errors), writing the math blob and the
 * export CSVs (round trip). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opinion/opinion.h"
#include "opinion/polis.h"

static enum err rd(enum err (*f)(struct polis_data *, const char *, size_t, const char *,
                                 struct buf *),
                   struct polis_data *d, const char *text, struct buf *msg)
{
	buf_reset(msg);
	return f(d, text, strlen(text), "f.csv", msg);
}

static void test_votes_csv(void **state)
{
	(void)state;
	struct polis_data d;
	struct buf msg;
	polis_data_init(&d);
	buf_init(&msg);
	const char *text = "\xef\xbb\xbftimestamp,datetime,comment-id,voter-id,vote\r\n"
	                   "1000,\"Tue, 1 Jan\",3,7,1\r\n"
	                   "\n"
	                   ",,4,8,-1\r\n"
	                   "1001,x,3,8,0";
	assert_int_equal(rd(polis_read_votes_csv, &d, text, &msg), ERR_OK);
	assert_int_equal(d.nvotes, 3);
	assert_int_equal(d.votes[0].vote, -1); /* agree: +1 in the file, -1 in the math */
	assert_int_equal(d.votes[0].time, 1000);
	assert_int_equal(d.votes[0].tid, 3);
	assert_int_equal(d.votes[0].pid, 7);
	assert_int_equal(d.votes[1].vote, 1);
	assert_int_equal(d.votes[1].time, 0);
	assert_int_equal(d.votes[2].vote, 0);
	assert_true(d.timed);
	/* errors name the file and the line of the record */
	assert_int_equal(rd(polis_read_votes_csv, &d, "comment-id,voter-id,vote\n1,2,3\n", &msg),
	                 ERR_INVAL);
	assert_string_equal(msg.data, "f.csv:2: bad vote '3' (expected -1, 0 or 1)");
	assert_int_equal(rd(polis_read_votes_csv, &d, "comment-id,vote\n", &msg), ERR_INVAL);
	assert_string_equal(msg.data, "f.csv:1: missing column 'voter-id'");
	assert_int_equal(rd(polis_read_votes_csv, &d, "comment-id,voter-id,vote\n1,\"2\n", &msg),
	                 ERR_INVAL);
	assert_non_null(strstr(msg.data, "f.csv:2: malformed CSV"));
	polis_data_clear(&d);
	buf_clear(&msg);
}

static void test_comments_csv(void **state)
{
	(void)state;
	struct polis_data d;
	struct buf msg;
	polis_data_init(&d);
	buf_init(&msg);
	const char *text = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,"
	                   "is-meta,comment-body\n"
	                   "5,x,1,0,0,0,1,false,\"He said \"\"no\"\",\nthen left\"\n"
	                   "6,x,2,,0,0,-1,true,plain\n"
	                   "7,x,3,4,0,0,2,false,bad\n";
	assert_int_equal(rd(polis_read_comments_csv, &d, text, &msg), ERR_INVAL);
	assert_string_equal(msg.data, "f.csv:5: bad moderated '2' (expected -1, 0 or 1)");
	assert_int_equal(d.ncomments, 2);
	assert_string_equal(d.comments[0].text, "He said \"no\",\nthen left");
	assert_int_equal(d.comments[0].mod, 1);
	assert_false(d.comments[0].is_meta);
	assert_int_equal(d.comments[1].author, -1);
	assert_true(d.comments[1].is_meta);
	assert_int_equal(d.comments[1].mod, -1);
	struct opinion_statement *st = polis_statements(&d);
	assert_int_equal(st[1].tid, 2);
	assert_true(st[1].is_meta);
	free(st);
	polis_data_clear(&d);
	buf_clear(&msg);
}

static void test_participants_votes_csv(void **state)
{
	(void)state;
	struct polis_data d;
	struct buf msg;
	polis_data_init(&d);
	buf_init(&msg);
	const char *text = "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,2,5\n"
	                   "3,,1,0,2,1,1,1,,-1\n"
	                   "9,abc,,0,1,0,0,,0,\n";
	assert_int_equal(rd(polis_read_participants_votes_csv, &d, text, &msg), ERR_OK);
	assert_int_equal(d.nvotes, 3);
	assert_int_equal(d.votes[0].pid, 3);
	assert_int_equal(d.votes[0].tid, 0);
	assert_int_equal(d.votes[0].vote, -1);
	assert_int_equal(d.votes[1].tid, 5);
	assert_int_equal(d.votes[1].vote, 1);
	assert_int_equal(d.votes[2].pid, 9);
	assert_int_equal(d.votes[2].tid, 2);
	assert_false(d.timed);
	polis_data_clear(&d);
	buf_clear(&msg);
}

static void test_json(void **state)
{
	(void)state;
	struct polis_data d;
	struct buf msg;
	polis_data_init(&d);
	buf_init(&msg);
	const char *votes =
	    "[{\"participant_id\": 1, \"statement_id\": 2, \"vote\": 1,"
	    " \"modified\": 1594984322740.0},\n"
	    " {\"pid\": 3, \"tid\": 2, \"vote\": -1, \"modified\": \"1714782753431\"}]";
	assert_int_equal(polis_read_votes_json(&d, votes, strlen(votes), "v.json", &msg), ERR_OK);
	assert_int_equal(d.nvotes, 2);
	assert_int_equal(d.votes[0].time, 1594984322740);
	assert_int_equal(d.votes[0].vote, -1);
	assert_int_equal(d.votes[1].time, 1714782753431);
	assert_int_equal(d.votes[1].pid, 3);
	const char *comments =
	    "[{\"statement_id\": 2, \"moderated\": -1, \"is_meta\": true,"
	    " \"txt\": \"x\", \"participant_id\": 4,"
	    " \"created\": \"2020-06-29T20:11:22.421000Z\"},\n"
	    " {\"tid\": 3, \"mod\": 1, \"is_meta\": false, \"created\": \"17\"}]";
	assert_int_equal(polis_read_comments_json(&d, comments, strlen(comments), "c.json", &msg),
	                 ERR_OK);
	assert_int_equal(d.comments[0].created, 1593461482421);
	assert_true(d.comments[0].is_meta);
	assert_int_equal(d.comments[0].author, 4);
	assert_int_equal(d.comments[1].created, 17);
	const char *bad = "[\n{\"tid\": 9},\n\n  {\"tid\": 9}]";
	buf_reset(&msg);
	assert_int_equal(polis_read_comments_json(&d, bad, strlen(bad), "c.json", &msg), ERR_INVAL);
	assert_string_equal(msg.data, "c.json:4: item 1: statement 9 appears twice");
	struct opinion_given g;
	const char *blob =
	    "{\"base-clusters\": {\"id\": [4, 1], \"members\": [[7, 8], [9]]},"
	    " \"group-clusters\": [{\"id\": 0, \"members\": [1, 4], \"center\": [0, 0]}]}";
	assert_int_equal(polis_read_clusters_json(&g, blob, strlen(blob), "m.json", &msg), ERR_OK);
	assert_int_equal(g.nbase, 2);
	assert_int_equal(g.base_off[1], 2);
	assert_int_equal(g.base_pids[2], 9);
	assert_int_equal(g.ngroups, 1);
	assert_int_equal(g.group_bids[1], 4);
	opinion_given_clear(&g);
	polis_data_clear(&d);
	buf_clear(&msg);
}

/* A small conversation through the pipeline, the blob and the CSVs. */
static void test_write_and_read_back(void **state)
{
	(void)state;
	struct polis_data d;
	struct buf msg, out;
	polis_data_init(&d);
	buf_init(&msg);
	buf_init(&out);
	for (int p = 0; p < 30; p++)
		for (int s = 0; s < 6; s++)
			polis_add_vote(&d, 1000 + p * 10 + s, p, s, (p + s) % 3 - 1);
	struct polis_comment c = {.tid = 5,
	                          .author = 2,
	                          .created = 99,
	                          .mod = -1,
	                          .text = strdup("a \"quoted\", text\nover lines")};
	polis_add_comment(&d, &c);
	struct opinion_statement *st = polis_statements(&d);
	struct opinion o;
	assert_int_equal(opinion_run(&o, d.votes, d.nvotes, st, d.ncomments, NULL, NULL), ERR_OK);
	polis_write_math(&out, &o);
	json_error_t je;
	json_t *blob = json_loadb(out.data, out.len, 0, &je);
	assert_non_null(blob);
	const char *keys[] = {"n",
	                      "n-cmts",
	                      "tids",
	                      "in-conv",
	                      "user-vote-counts",
	                      "mod-out",
	                      "meta-tids",
	                      "pca",
	                      "base-clusters",
	                      "group-clusters",
	                      "votes-base",
	                      "group-votes",
	                      "repness",
	                      "consensus",
	                      "group-aware-consensus",
	                      "comment-priorities"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		assert_non_null(json_object_get(blob, keys[i]));
	assert_int_equal(json_integer_value(json_object_get(blob, "n")), 30);
	/* numbers read back to the same doubles */
	json_t *center = json_object_get(json_object_get(blob, "pca"), "center");
	for (size_t i = 0; i < o.pca.ncols; i++) {
		json_t *x = json_array_get(center, i);
		double v = json_is_integer(x) ? (double)json_integer_value(x) : json_real_value(x);
		assert_true(v == o.pca.center[i]);
	}
	assert_int_equal(json_integer_value(json_array_get(json_object_get(blob, "mod-out"), 0)),
	                 5);
	json_decref(blob);

	/* the export CSVs read back to the same votes and statements */
	struct polis_data back;
	polis_data_init(&back);
	buf_reset(&out);
	polis_write_votes_csv(&out, &d);
	assert_int_equal(polis_read_votes_csv(&back, out.data, out.len, "v", &msg), ERR_OK);
	assert_int_equal(back.nvotes, d.nvotes);
	for (size_t i = 0; i < d.nvotes; i++) {
		assert_int_equal(back.votes[i].time, d.votes[i].time);
		assert_int_equal(back.votes[i].pid, d.votes[i].pid);
		assert_int_equal(back.votes[i].tid, d.votes[i].tid);
		assert_int_equal(back.votes[i].vote, d.votes[i].vote);
	}
	buf_reset(&out);
	polis_write_comments_csv(&out, &d, &o);
	assert_int_equal(polis_read_comments_csv(&back, out.data, out.len, "c", &msg), ERR_OK);
	assert_int_equal(back.ncomments, 1);
	assert_string_equal(back.comments[0].text, c.text);
	assert_int_equal(back.comments[0].mod, -1);
	assert_int_equal(back.comments[0].created, 99);
	buf_reset(&out);
	polis_write_participants_votes_csv(&out, &d, &o);
	assert_non_null(strstr(out.data, "participant,group-id,n-comments,n-votes,n-agree,"
	                                 "n-disagree,0,1,2,3,4\n"));
	polis_data_clear(&back);
	opinion_clear(&o);
	free(st);
	polis_data_clear(&d);
	buf_clear(&msg);
	buf_clear(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_votes_csv),
	    cmocka_unit_test(test_comments_csv),
	    cmocka_unit_test(test_participants_votes_csv),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_write_and_read_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
