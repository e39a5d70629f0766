/* Unit tests for the store interface on a real SQLite file: migrations,
 * prepared statements with bound parameters, transactions, conflicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static char path[256];
static char dsn[300];

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof path, "/tmp/consent-test-store-%d.db", (int)getpid());
	unlink(path);
	snprintf(dsn, sizeof dsn, "sqlite:%s", path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char p[300];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	return 0;
}

static void test_bad_dsn(void **state)
{
	(void)state;
	struct store *s = NULL;
	char err[256];
	assert_int_equal(store_open("mysql://x", &s, err, sizeof err), ERR_INVAL);
	assert_non_null(strstr(err, "DSN"));
	assert_int_equal(store_open("sqlite:", &s, err, sizeof err), ERR_INVAL);
	assert_int_not_equal(store_open("sqlite:/nonexistent-dir/x.db", &s, err, sizeof err), ERR_OK);
	assert_non_null(strstr(err, "/nonexistent-dir/x.db"));
}

static void test_migrate_idempotent(void **state)
{
	(void)state;
	struct store *s = NULL;
	char err[256];
	assert_int_equal(store_open(dsn, &s, err, sizeof err), ERR_OK);
	assert_int_equal(store_migrate(s, err, sizeof err), ERR_OK);
	struct store_conn *c = store_conn(s, err, sizeof err);
	int v = store_schema_version(c);
	assert_true(v >= 1);
	assert_int_equal(store_migrate(s, err, sizeof err), ERR_OK);
	assert_int_equal(store_schema_version(c), v);
	store_close(s);
}

static void test_bind_and_rows(void **state)
{
	(void)state;
	struct store *s = NULL;
	char err[256];
	assert_int_equal(store_open(dsn, &s, err, sizeof err), ERR_OK);
	assert_int_equal(store_migrate(s, err, sizeof err), ERR_OK);
	struct store_conn *c = store_conn(s, err, sizeof err);
	static const char ins[] = "INSERT INTO settings (name, value) VALUES (?, ?)";
	static const char sel[] = "SELECT value FROM settings WHERE name = ?";
	/* A value that would break naive SQL building is stored verbatim. */
	const char *evil = "x'); DROP TABLE settings; --";
	assert_int_equal(store_begin(c), ERR_OK);
	struct store_stmt *st = store_prepare(c, ins);
	assert_non_null(st);
	store_bind_text(st, 1, "k1");
	store_bind_text(st, 2, evil);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_changes(c), 1);
	store_reset(st);
	assert_int_equal(store_commit(c), ERR_OK);

	st = store_prepare(c, sel);
	store_bind_text(st, 1, "k1");
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_col_text(st, 0), evil);
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);

	/* Duplicate key: ERR_CONFLICT. */
	st = store_prepare(c, ins);
	store_bind_text(st, 1, "k1");
	store_bind_text(st, 2, "other");
	assert_int_equal(store_step(st), STORE_ERROR);
	assert_int_equal(store_stmt_err(st), ERR_CONFLICT);
	store_reset(st);

	/* Rollback discards. */
	assert_int_equal(store_begin(c), ERR_OK);
	st = store_prepare(c, ins);
	store_bind_text(st, 1, "k2");
	store_bind_text(st, 2, "v");
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	store_rollback(c);
	st = store_prepare(c, sel);
	store_bind_text(st, 1, "k2");
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_dsn),
		cmocka_unit_test_setup_teardown(test_migrate_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_and_rows, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
