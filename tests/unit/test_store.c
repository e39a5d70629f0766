/* Unit tests for the store interface on real databases: SQLite always, and
 * PostgreSQL too when CONSENT_TEST_PG_DSN is set (see store_env.h). The
 * same cases run on both: migrations, bound parameters, NULLs, blobs with
 * zero bytes, '?' inside literals, error mapping, transactions, snapshots,
 * the table list, identity sequences, threads. PostgreSQL only: losing the
 * connection and reconnecting (and, with CONSENT_TEST_PG_RESTART set to a
 * command such as "scripts/pg restart", a real server restart). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store_env.h"

static struct test_db sqlite_db, pg_db;
static struct test_db *db; /* the backend of the running group */

static int setup(void **state)
{
	(void)state;
	return test_db_reset(db);
}

static int teardown(void **state)
{
	(void)state;
	test_db_drop(db);
	return 0;
}

/* Opens db, migrated; returns the calling thread's connection. */
static struct store_conn *open_db(struct store **s)
{
	char err[256];
	enum err e = store_open(db->dsn, s, err, sizeof err);
	if (e != ERR_OK)
		fail_msg("store_open: %s", err);
	if (store_migrate(*s, err, sizeof err) != ERR_OK)
		fail_msg("store_migrate: %s", err);
	struct store_conn *c = store_conn(*s, err, sizeof err);
	assert_non_null(c);
	return c;
}

/* Inserts a setting; returns the step result. */
static enum store_step put_setting(struct store_conn *c, const char *name, const char *value)
{
	static const char ins[] = "INSERT INTO settings (name, value) VALUES (?, ?)";
	struct store_stmt *st = store_prepare(c, ins);
	assert_non_null(st);
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, value);
	enum store_step r = store_step(st);
	store_reset(st);
	return r;
}

static int64_t count_settings(struct store_conn *c)
{
	static const char sql[] = "SELECT COUNT(*) FROM settings";
	struct store_stmt *st = store_prepare(c, sql);
	assert_non_null(st);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t n = store_col_int(st, 0);
	store_reset(st);
	return n;
}

/* --- no database needed ------------------------------------------- */

static void test_bad_dsn(void **state)
{
	(void)state;
	struct store *s = NULL;
	char err[256];
	assert_int_equal(store_open("mysql://x", &s, err, sizeof err), ERR_INVAL);
	assert_non_null(strstr(err, "DSN"));
	assert_int_equal(store_open("sqlite:", &s, err, sizeof err), ERR_INVAL);
	assert_int_not_equal(store_open("sqlite:/nonexistent-dir/x.db", &s, err, sizeof err),
	                     ERR_OK);
	assert_non_null(strstr(err, "/nonexistent-dir/x.db"));
}

/* A server that is not there: the error says what failed and where, and
 * never shows a password. */
static void test_pg_unreachable(void **state)
{
	(void)state;
	struct store *s = NULL;
	char err[512];
	assert_int_equal(store_open("postgresql://consent@/consent?host=%2Fnonexistent-consent-dir",
	                            &s, err, sizeof err),
	                 ERR_UNAVAIL);
	assert_non_null(strstr(err, "cannot connect to PostgreSQL: "));
	assert_non_null(strstr(err, "/nonexistent-consent-dir"));
	assert_null(strchr(err, '\n'));

	assert_int_equal(
	    store_open("postgres://u:s3cr3tpw@/consent?host=%2Fnonexistent-consent-dir", &s, err,
	               sizeof err),
	    ERR_UNAVAIL);
	assert_non_null(strstr(err, "cannot connect to PostgreSQL"));
	assert_null(strstr(err, "s3cr3tpw"));

	assert_int_equal(store_open("postgresql:///consent?host=%2Fnonexistent-consent-dir&"
	                            "password=hunter2x",
	                            &s, err, sizeof err),
	                 ERR_UNAVAIL);
	assert_null(strstr(err, "hunter2x"));

	/* libpq quotes a malformed percent-escape: the password with it. */
	assert_int_equal(
	    store_open("postgresql://u:pa%zzword@localhost/consent", &s, err, sizeof err),
	    ERR_UNAVAIL);
	assert_non_null(strstr(err, "cannot connect to PostgreSQL"));
	assert_null(strstr(err, "pa%zz"));
	assert_null(strstr(err, "zzword"));

	/* Nothing listens on port 1. */
	assert_int_equal(store_open("postgresql://u:pw@127.0.0.1:1/consent", &s, err, sizeof err),
	                 ERR_UNAVAIL);
	assert_non_null(strstr(err, "127.0.0.1"));
}

/* --- on each backend ---------------------------------------------- */

static void test_migrate_idempotent(void **state)
{
	(void)state;
	struct store *s = NULL;
	char err[256];
	struct store_conn *c = open_db(&s);
	int v = store_schema_version(c);
	assert_true(v >= 1);
	assert_int_equal(store_migrate(s, err, sizeof err), ERR_OK);
	assert_int_equal(store_schema_version(c), v);
	store_close(s);
	/* A second store on the same database sees it migrated. */
	c = open_db(&s);
	assert_int_equal(store_schema_version(c), v);
	store_close(s);
}

static void test_bind_and_rows(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	static const char sel[] = "SELECT value FROM settings WHERE name = ?";
	/* A value that would break naive SQL building is stored verbatim. */
	const char *evil = "x'); DROP TABLE settings; --";
	assert_int_equal(store_begin(c), ERR_OK);
	assert_int_equal(put_setting(c, "k1", evil), STORE_DONE);
	assert_int_equal(store_changes(c), 1);
	assert_int_equal(store_commit(c), ERR_OK);

	struct store_stmt *st = store_prepare(c, sel);
	store_bind_text(st, 1, "k1");
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_col_text(st, 0), evil);
	assert_int_equal(store_col_type(st, 0), STORE_TEXT);
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);

	/* Duplicate key: ERR_CONFLICT, and the message has no bound value. */
	assert_int_equal(put_setting(c, "k1", "dupe-secret-value"), STORE_ERROR);
	st = store_prepare(c, "INSERT INTO settings (name, value) VALUES (?, ?)");
	assert_non_null(st);
	store_reset(st);
	assert_null(strstr(store_conn_errmsg(c), "dupe-secret-value"));
	assert_null(strstr(store_conn_errmsg(c), "k1"));

	/* Rollback discards. */
	assert_int_equal(store_begin(c), ERR_OK);
	assert_int_equal(put_setting(c, "k2", "v"), STORE_DONE);
	store_rollback(c);
	st = store_prepare(c, sel);
	store_bind_text(st, 1, "k2");
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	store_close(s);
}

static void test_conflict_error(void **state)
{
	(void)state;
	static const char ins[] = "INSERT INTO settings (name, value) VALUES (?, ?)";
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	assert_int_equal(put_setting(c, "dup", "a"), STORE_DONE);
	struct store_stmt *st = store_prepare(c, ins);
	store_bind_text(st, 1, "dup");
	store_bind_text(st, 2, "b");
	assert_int_equal(store_step(st), STORE_ERROR);
	assert_int_equal(store_stmt_err(st), ERR_CONFLICT);
	assert_true(strlen(store_conn_errmsg(c)) > 0);
	store_reset(st);
	assert_int_equal(store_stmt_err(st), ERR_OK);
	store_close(s);
}

/* '?' in literals, quoted identifiers and comments is not a placeholder;
 * a NULL text binds NULL and reads back as NULL. */
static void test_literals_and_nulls(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	static const char ins[] = "INSERT INTO settings (name, \"value\") /* what? */ "
	                          "VALUES ('it''s a ?', ?) -- really?\n";
	struct store_stmt *st = store_prepare(c, ins);
	assert_non_null(st);
	store_bind_text(st, 1, "v?");
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	static const char sel[] =
	    "SELECT name, 'lit?' FROM settings WHERE value = ? AND name <> '?'";
	st = store_prepare(c, sel);
	assert_non_null(st);
	store_bind_text(st, 1, "v?");
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_col_text(st, 0), "it's a ?");
	assert_string_equal(store_col_text(st, 1), "lit?");
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);

	static const char user[] = "INSERT INTO users (public_id, email, password_hash, lang, "
	                           "created_at) VALUES (?, ?, ?, ?, ?)";
	st = store_prepare(c, user);
	assert_non_null(st);
	store_bind_text(st, 1, "p1");
	store_bind_text(st, 2, "a@example.org");
	store_bind_text(st, 3, "h");
	store_bind_text(st, 4, NULL);
	store_bind_int(st, 5, 1700000000);
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	static const char get[] = "SELECT lang, is_admin, created_at FROM users WHERE email = ?";
	st = store_prepare(c, get);
	store_bind_text(st, 1, "a@example.org");
	assert_int_equal(store_step(st), STORE_ROW);
	assert_true(store_col_isnull(st, 0));
	assert_null(store_col_text(st, 0));
	assert_int_equal(store_col_type(st, 0), STORE_NULL);
	assert_false(store_col_isnull(st, 1));
	assert_int_equal(store_col_int(st, 1), 0);
	assert_int_equal(store_col_type(st, 1), STORE_INT);
	assert_int_equal(store_col_int(st, 2), 1700000000);
	store_reset(st);
	store_close(s);
}

/* Constraint and type errors map to the same enum err on both backends. */
static void test_error_mapping(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	/* Foreign key: conflict. */
	static const char mem[] =
	    "INSERT INTO memberships (user_id, org_id, role, created_at) VALUES (?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, mem);
	store_bind_int(st, 1, 999);
	store_bind_int(st, 2, 999);
	store_bind_text(st, 3, "officer");
	store_bind_int(st, 4, 0);
	assert_int_equal(store_step(st), STORE_ERROR);
	assert_int_equal(store_stmt_err(st), ERR_CONFLICT);
	store_reset(st);
	/* CHECK: invalid. */
	static const char org[] =
	    "INSERT INTO orgs (slug, name, kind, created_at) VALUES (?, ?, ?, ?)";
	st = store_prepare(c, org);
	store_bind_text(st, 1, "o");
	store_bind_text(st, 2, "O");
	store_bind_text(st, 3, "bogus");
	store_bind_int(st, 4, 0);
	assert_int_equal(store_step(st), STORE_ERROR);
	assert_int_equal(store_stmt_err(st), ERR_INVAL);
	store_reset(st);
	/* NOT NULL: invalid. */
	assert_int_equal(put_setting(c, "n", NULL), STORE_ERROR);
	st = store_prepare(c, "INSERT INTO settings (name, value) VALUES (?, ?)");
	store_bind_text(st, 1, "n");
	store_bind_null(st, 2);
	assert_int_equal(store_step(st), STORE_ERROR);
	assert_int_equal(store_stmt_err(st), ERR_INVAL);
	store_reset(st);
	/* A syntax error fails at prepare. */
	assert_null(store_prepare(c, "SELEC 1"));
	assert_true(strlen(store_conn_errmsg(c)) > 0);
	/* The connection is still fine. */
	assert_int_equal(count_settings(c), 0);

	if (db->kind == STORE_PG) {
		/* A value of the wrong type: invalid, and the message does not
		 * quote it (SQLite would store it as it is). */
		static const char q[] = "SELECT COUNT(*) FROM users WHERE id = ?";
		st = store_prepare(c, q);
		store_bind_text(st, 1, "secretvalue123");
		assert_int_equal(store_step(st), STORE_ERROR);
		assert_int_equal(store_stmt_err(st), ERR_INVAL);
		assert_null(strstr(store_conn_errmsg(c), "secretvalue123"));
		store_reset(st);
	}
	store_close(s);
}

/* A failed statement dooms its transaction on both backends. */
static void test_doomed_transaction(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	assert_int_equal(put_setting(c, "dup", "a"), STORE_DONE);
	assert_int_equal(store_begin(c), ERR_OK);
	assert_int_equal(put_setting(c, "new1", "a"), STORE_DONE);
	assert_int_equal(put_setting(c, "dup", "b"), STORE_ERROR);
	put_setting(c, "new2", "a"); /* PostgreSQL refuses; SQLite would not */
	assert_int_equal(store_commit(c), ERR_CONFLICT);
	assert_non_null(strstr(store_conn_errmsg(c), "rolled back"));
	assert_int_equal(count_settings(c), 1);
	/* The next transaction is a fresh one. */
	assert_int_equal(store_begin(c), ERR_OK);
	assert_int_equal(put_setting(c, "new3", "a"), STORE_DONE);
	assert_int_equal(store_commit(c), ERR_OK);
	assert_int_equal(count_settings(c), 2);
	/* A nested begin makes a savepoint (store.h): an inner rollback undoes
	 * only the inner part. */
	assert_int_equal(store_begin(c), ERR_OK);
	assert_int_equal(put_setting(c, "outer", "a"), STORE_DONE);
	assert_int_equal(store_begin(c), ERR_OK);
	assert_int_equal(put_setting(c, "inner", "a"), STORE_DONE);
	store_rollback(c);
	assert_int_equal(store_commit(c), ERR_OK);
	assert_int_equal(count_settings(c), 3);
	store_close(s);
}

static void test_blobs_and_types(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	/* Tests may not add migrations: the one dialect difference by hand. */
	assert_int_equal(store_exec(c, db->kind == STORE_PG
	                                   ? "CREATE TABLE t_blob (id BIGINT PRIMARY KEY, b BYTEA, "
	                                     "d DOUBLE PRECISION, t TEXT)"
	                                   : "CREATE TABLE t_blob (id BIGINT PRIMARY KEY, b BLOB, "
	                                     "d DOUBLE PRECISION, t TEXT)"),
	                 ERR_OK);
	static const unsigned char bytes[] = {0, 1, 0, 0xff, 'a', 0, '\\', 'x'};
	static const char ins[] = "INSERT INTO t_blob (id, b, d, t) VALUES (?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, ins);
	assert_non_null(st);
	store_bind_int(st, 1, 1);
	store_bind_blob(st, 2, bytes, sizeof bytes);
	store_bind_double(st, 3, 0.1 + 0.2);
	store_bind_text(st, 4, "h\xc3\xa9llo");
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	store_bind_int(st, 1, INT64_MAX);
	store_bind_blob(st, 2, "", 0);
	store_bind_null(st, 3);
	store_bind_textn(st, 4, "abcdef", 3);
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	store_bind_int(st, 1, INT64_MIN);
	store_bind_null(st, 2);
	store_bind_double(st, 3, -1e300);
	store_bind_text(st, 4, "");
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);

	static const char sel[] = "SELECT id, b, d, t, NULL AS nil FROM t_blob ORDER BY id";
	st = store_prepare(c, sel);
	if (!st)
		fail_msg("prepare: %s", store_conn_errmsg(c));
	/* Shape is known before the first step. */
	assert_int_equal(store_col_count(st), 5);
	assert_string_equal(store_col_name(st, 1), "b");
	assert_string_equal(store_col_name(st, 4), "nil");

	assert_int_equal(store_step(st), STORE_ROW); /* INT64_MIN */
	assert_true(store_col_int(st, 0) == INT64_MIN);
	assert_int_equal(store_col_type(st, 1), STORE_NULL);
	assert_int_equal(store_col_type(st, 2), STORE_DOUBLE);
	assert_true(store_col_double(st, 2) == -1e300);
	assert_string_equal(store_col_text(st, 3), "");
	assert_int_equal(store_col_type(st, 3), STORE_TEXT);

	assert_int_equal(store_step(st), STORE_ROW); /* 1 */
	assert_int_equal(store_col_count(st), 5);
	assert_int_equal(store_col_type(st, 0), STORE_INT);
	assert_int_equal(store_col_int(st, 0), 1);
	assert_int_equal(store_col_type(st, 1), STORE_BLOB);
	size_t n = 0;
	const void *p = store_col_blob(st, 1, &n);
	assert_int_equal(n, sizeof bytes);
	assert_memory_equal(p, bytes, sizeof bytes);
	/* Asking twice gives the same bytes. */
	p = store_col_blob(st, 1, &n);
	assert_int_equal(n, sizeof bytes);
	assert_memory_equal(p, bytes, sizeof bytes);
	assert_true(store_col_double(st, 2) == 0.1 + 0.2);
	assert_string_equal(store_col_text(st, 3), "h\xc3\xa9llo");
	assert_int_equal(store_col_type(st, 4), STORE_NULL);

	assert_int_equal(store_step(st), STORE_ROW); /* INT64_MAX */
	assert_true(store_col_int(st, 0) == INT64_MAX);
	assert_int_equal(store_col_type(st, 1), STORE_BLOB);
	store_col_blob(st, 1, &n);
	assert_int_equal(n, 0);
	assert_true(store_col_isnull(st, 2));
	assert_string_equal(store_col_text(st, 3), "abc");
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);

	/* Look a blob up by its bytes. */
	static const char by[] = "SELECT id FROM t_blob WHERE b = ?";
	st = store_prepare(c, by);
	store_bind_blob(st, 1, bytes, sizeof bytes);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_col_int(st, 0), 1);
	store_reset(st);
	store_close(s);
}

static void test_iterate_and_changes(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	assert_int_equal(put_setting(c, "a", "1"), STORE_DONE);
	assert_int_equal(put_setting(c, "b", "2"), STORE_DONE);
	assert_int_equal(put_setting(c, "c", "3"), STORE_DONE);
	static const char sel[] = "SELECT name FROM settings ORDER BY name";
	struct store_stmt *st = store_prepare(c, sel);
	const char *want[] = {"a", "b", "c"};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_step(st), STORE_ROW);
		assert_string_equal(store_col_text(st, 0), want[i]);
	}
	assert_int_equal(store_step(st), STORE_DONE);
	/* Stepping after DONE runs it again. */
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_col_text(st, 0), "a");
	store_reset(st);
	/* A cached statement prepared again starts afresh. */
	st = store_prepare(c, sel);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_col_text(st, 0), "a");
	store_reset(st);

	static const char upd[] = "UPDATE settings SET value = ? WHERE name <> ?";
	st = store_prepare(c, upd);
	store_bind_text(st, 1, "x");
	store_bind_text(st, 2, "b");
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	assert_int_equal(store_changes(c), 2);
	/* A SELECT leaves the count alone. */
	assert_int_equal(count_settings(c), 3);
	assert_int_equal(store_changes(c), 2);
	assert_int_equal(store_exec(c, "DELETE FROM settings"), ERR_OK);
	assert_int_equal(store_changes(c), 3);
	/* RETURNING gives rows and counts the change. */
	static const char ret[] = "INSERT INTO settings (name, value) VALUES (?, ?) RETURNING name";
	st = store_prepare(c, ret);
	store_bind_text(st, 1, "r");
	store_bind_text(st, 2, "v");
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_col_text(st, 0), "r");
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	assert_int_equal(store_changes(c), 1);
	store_close(s);
}

/* A read transaction keeps its snapshot while another connection writes. */
static void test_snapshot_read(void **state)
{
	(void)state;
	struct store *s = NULL, *w = NULL;
	struct store_conn *c = open_db(&s);
	struct store_conn *wc = open_db(&w);
	assert_int_equal(put_setting(wc, "a", "1"), STORE_DONE);
	assert_int_equal(store_begin_read(c), ERR_OK);
	assert_int_equal(count_settings(c), 1);
	assert_int_equal(put_setting(wc, "b", "2"), STORE_DONE);
	assert_int_equal(count_settings(c), 1);
	if (db->kind == STORE_PG) {
		/* Writes fail inside it (SQLite does not enforce this). */
		assert_int_equal(put_setting(c, "c", "3"), STORE_ERROR);
		assert_int_not_equal(store_commit(c), ERR_OK);
	} else {
		assert_int_equal(store_commit(c), ERR_OK);
	}
	assert_int_equal(count_settings(c), 2);
	store_close(w);
	store_close(s);
}

static void test_tables(void **state)
{
	(void)state;
	struct store *s = NULL;
	char err[256];
	struct store_conn *c = open_db(&s);
	assert_int_equal(store_check_tables(c, err, sizeof err), ERR_OK);

	/* Each table comes after the tables it references. */
	static const char fk_sqlite[] = "SELECT \"table\" FROM pragma_foreign_key_list(?)";
	static const char fk_pg[] = "SELECT confrelid::regclass::text FROM pg_constraint "
	                            "WHERE contype = 'f' AND conrelid = ?::regclass";
	const char *const *t = store_tables();
	int ntables = 0;
	for (int i = 0; t[i]; i++, ntables++) {
		struct store_stmt *st = store_prepare(c, db->kind == STORE_PG ? fk_pg : fk_sqlite);
		assert_non_null(st);
		store_bind_text(st, 1, t[i]);
		while (store_step(st) == STORE_ROW) {
			const char *ref = store_col_text(st, 0);
			int j = 0;
			while (t[j] && strcmp(t[j], ref) != 0)
				j++;
			if (!t[j] || j > i)
				fail_msg("table %s references %s, which is not before it", t[i],
				         ref);
		}
		store_reset(st);
	}
	assert_true(ntables >= 7);

	/* A table the list does not know is named. */
	assert_int_equal(store_exec(c, "CREATE TABLE zz_extra (x BIGINT)"), ERR_OK);
	assert_int_equal(store_check_tables(c, err, sizeof err), ERR_INTERNAL);
	assert_non_null(strstr(err, "zz_extra"));
	assert_int_equal(store_exec(c, "DROP TABLE zz_extra"), ERR_OK);
	/* So is a table of the list that is missing. */
	assert_int_equal(store_exec(c, "DROP TABLE sessions"), ERR_OK);
	assert_int_equal(store_check_tables(c, err, sizeof err), ERR_INTERNAL);
	assert_non_null(strstr(err, "sessions"));
	store_close(s);
}

/* After explicit ids, new rows get ids past the largest. */
static void test_sync_ids(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	static const char ins_id[] =
	    "INSERT INTO areas (id, slug, name, kind, created_at) VALUES (?, ?, ?, ?, ?)";
	static const char ins[] = "INSERT INTO areas (slug, name, kind, created_at) "
	                          "VALUES (?, ?, ?, ?) RETURNING id";
	struct store_stmt *st = store_prepare(c, ins_id);
	store_bind_int(st, 1, 41);
	store_bind_text(st, 2, "a41");
	store_bind_text(st, 3, "A");
	store_bind_text(st, 4, "force_area");
	store_bind_int(st, 5, 0);
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	assert_int_equal(store_sync_ids(c), ERR_OK);
	st = store_prepare(c, ins);
	store_bind_text(st, 1, "next");
	store_bind_text(st, 2, "N");
	store_bind_text(st, 3, "district");
	store_bind_int(st, 4, 0);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_col_int(st, 0), 42);
	store_reset(st);
	store_close(s);
}

struct worker {
	struct store *s;
	int n;
	enum err result;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	char err[256], name[32];
	struct store_conn *c = store_conn(w->s, err, sizeof err);
	w->result = c ? ERR_OK : ERR_UNAVAIL;
	for (int i = 0; c && i < 20 && w->result == ERR_OK; i++) {
		snprintf(name, sizeof name, "w%d-%d", w->n, i);
		if (store_begin(c) != ERR_OK) {
			w->result = ERR_STORE;
			break;
		}
		if (put_setting(c, name, "v") != STORE_DONE) {
			store_rollback(c);
			w->result = ERR_STORE;
			break;
		}
		w->result = store_commit(c);
	}
	store_conn_release(w->s);
	return NULL;
}

/* One connection per thread, writing at once. */
static void test_threads(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	struct worker w[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){.s = s, .n = i};
		assert_int_equal(pthread_create(&th[i], NULL, worker_run, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].result, ERR_OK);
	}
	assert_int_equal(count_settings(c), 80);
	store_close(s);
}

/* --- PostgreSQL only ----------------------------------------------- */

static int64_t backend_pid(struct store_conn *c)
{
	static const char sql[] = "SELECT pg_backend_pid()";
	struct store_stmt *st = store_prepare(c, sql);
	assert_non_null(st);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t pid = store_col_int(st, 0);
	store_reset(st);
	return pid;
}

/* After the connection is lost, the next statement fails with ERR_UNAVAIL
 * and the next store_conn() opens a new connection that works. */
static void check_reconnect(struct store *s, struct store_conn *c, int64_t old_pid)
{
	char err[256];
	static const char sql[] = "SELECT COUNT(*) FROM settings";
	struct store_stmt *st = store_prepare(c, sql);
	if (st) {
		assert_int_equal(store_step(st), STORE_ERROR);
		assert_int_equal(store_stmt_err(st), ERR_UNAVAIL);
		store_reset(st);
	}
	assert_non_null(strstr(store_conn_errmsg(c), "PostgreSQL"));
	struct store_conn *c2 = store_conn(s, err, sizeof err);
	assert_non_null(c2);
	assert_true(backend_pid(c2) != old_pid);
	assert_int_equal(count_settings(c2), 1);
}

static void test_pg_reconnect(void **state)
{
	(void)state;
	struct store *s = NULL, *killer = NULL;
	struct store_conn *c = open_db(&s);
	struct store_conn *kc = open_db(&killer);
	assert_int_equal(put_setting(c, "a", "1"), STORE_DONE);
	int64_t pid = backend_pid(c);
	/* Ends the backend as a server shutdown would (57P01), and waits. */
	static const char kill[] = "SELECT pg_terminate_backend(CAST(? AS INTEGER), 5000)";
	struct store_stmt *st = store_prepare(kc, kill);
	store_bind_int(st, 1, pid);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_col_int(st, 0), 1);
	store_reset(st);
	check_reconnect(s, c, pid);
	store_close(killer);
	store_close(s);
}

/* With CONSENT_TEST_PG_RESTART="scripts/pg restart": a real restart. */
static void test_pg_restart(void **state)
{
	(void)state;
	const char *cmd = getenv("CONSENT_TEST_PG_RESTART");
	if (!cmd || !*cmd)
		skip();
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	assert_int_equal(put_setting(c, "a", "1"), STORE_DONE);
	int64_t pid = backend_pid(c);
	assert_int_equal(system(cmd), 0);
	check_reconnect(s, c, pid);
	store_close(s);
}

/* A server that is up, asked for what it does not have. */
static void test_pg_wrong_database(void **state)
{
	(void)state;
	struct store *s = NULL;
	char dsn[1200], err[512];
	snprintf(dsn, sizeof dsn, "%s&dbname=consent_no_such_db", db->dsn);
	assert_int_equal(store_open(dsn, &s, err, sizeof err), ERR_UNAVAIL);
	assert_non_null(strstr(err, "cannot connect to PostgreSQL: "));
	assert_non_null(strstr(err, "consent_no_such_db"));
	snprintf(dsn, sizeof dsn, "%s&user=consent_no_such_user", db->dsn);
	assert_int_equal(store_open(dsn, &s, err, sizeof err), ERR_UNAVAIL);
	assert_non_null(strstr(err, "consent_no_such_user"));
}

static int group_sqlite(void **state)
{
	(void)state;
	db = &sqlite_db;
	return 0;
}

static int group_pg(void **state)
{
	(void)state;
	db = &pg_db;
	return 0;
}

#define BOTH(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest plain[] = {
	    cmocka_unit_test(test_bad_dsn),
	    cmocka_unit_test(test_pg_unreachable),
	};
	const struct CMUnitTest both[] = {
	    BOTH(test_migrate_idempotent), BOTH(test_bind_and_rows),
	    BOTH(test_conflict_error),     BOTH(test_literals_and_nulls),
	    BOTH(test_error_mapping),      BOTH(test_doomed_transaction),
	    BOTH(test_blobs_and_types),    BOTH(test_iterate_and_changes),
	    BOTH(test_snapshot_read),      BOTH(test_tables),
	    BOTH(test_sync_ids),           BOTH(test_threads),
	};
	const struct CMUnitTest pg_only[] = {
	    BOTH(test_pg_reconnect),
	    BOTH(test_pg_restart),
	    BOTH(test_pg_wrong_database),
	};
	int failed = cmocka_run_group_tests_name("store", plain, NULL, NULL);
	test_db_sqlite(&sqlite_db, "store");
	failed += cmocka_run_group_tests_name("store on sqlite", both, group_sqlite, NULL);
	if (test_db_pg(&pg_db, "store")) {
		failed += cmocka_run_group_tests_name("store on pg", both, group_pg, NULL);
		failed += cmocka_run_group_tests_name("store on pg only", pg_only, group_pg, NULL);
	} else {
		fprintf(stderr,
		        "test_store: CONSENT_TEST_PG_DSN not set: PostgreSQL cases skipped\n");
	}
	return failed ? 1 : 0;
}
