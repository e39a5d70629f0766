/* Unit tests for consent copy (src/cli/copy.c): a copy holds exactly the
 * rows of its source, whatever the backends (SQLite to SQLite always; with
 * CONSENT_TEST_PG_DSN set also SQLite to PostgreSQL to SQLite and PostgreSQL
 * to PostgreSQL); ids continue after the copy; a target with data, a
 * source without a schema or from a newer consent, and bad arguments are
 * refused with the documented exit status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "store/store.h"
#include "store_env.h"

static struct test_db sq_a, sq_b, pg_a, pg_b;
static int have_pg;

static int reset_all(void **state)
{
	(void)state;
	int r = test_db_reset(&sq_a) | test_db_reset(&sq_b);
	if (have_pg)
		r |= test_db_reset(&pg_a) | test_db_reset(&pg_b);
	return r;
}

static int drop_all(void **state)
{
	(void)state;
	test_db_drop(&sq_a);
	test_db_drop(&sq_b);
	if (have_pg) {
		test_db_drop(&pg_a);
		test_db_drop(&pg_b);
	}
	return 0;
}

/* Runs cli_copy with its output on stdout thrown away. */
static int run_copy(const char *from, const char *to)
{
	char *argv[] = {"copy", "--from", (char *)(uintptr_t)from, "--to", (char *)(uintptr_t)to,
	                NULL};
	fflush(stdout);
	int saved = dup(1);
	int null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	close(null);
	int status = cli_copy(5, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	return status;
}

static struct store *open_migrated(const struct test_db *db, struct store_conn **c)
{
	struct store *s = NULL;
	char err[256];
	if (store_open(db->dsn, &s, err, sizeof err) != ERR_OK)
		fail_msg("store_open %s: %s", db->name, err);
	if (store_migrate(s, err, sizeof err) != ERR_OK)
		fail_msg("store_migrate %s: %s", db->name, err);
	*c = store_conn(s, NULL, 0);
	return s;
}

static void exec_ok(struct store_conn *c, struct store_stmt *st)
{
	if (!st)
		fail_msg("prepare: %s", store_conn_errmsg(c));
	if (store_step(st) != STORE_DONE)
		fail_msg("step: %s", store_conn_errmsg(c));
	store_reset(st);
}

/* A little of everything: a hierarchy, NULLs, quotes, large numbers. */
static void seed(const struct test_db *db)
{
	struct store_conn *c;
	struct store *s = open_migrated(db, &c);
	static const char area[] = "INSERT INTO areas (id, slug, name, kind, parent_id, "
	                           "created_at) VALUES (?, ?, ?, ?, ?, ?)";
	static const char *const kinds[] = {"force_area", "district", "neighbourhood"};
	assert_int_equal(store_begin(c), ERR_OK);
	for (int i = 1; i <= 30; i++) {
		char slug[32];
		struct store_stmt *st = store_prepare(c, area);
		snprintf(slug, sizeof slug, "area-%d", i);
		store_bind_int(st, 1, i * 3);
		store_bind_text(st, 2, slug);
		store_bind_text(st, 3, i % 2 ? "Nord-Ost \"Süd\"" : "it's here");
		store_bind_text(st, 4, kinds[i % 3]);
		if (i == 1)
			store_bind_null(st, 5);
		else
			store_bind_int(st, 5, (i / 2 > 0 ? i / 2 : 1) * 3);
		store_bind_int(st, 6, INT64_C(1700000000000) + i);
		exec_ok(c, st);
	}
	static const char org[] =
	    "INSERT INTO orgs (slug, name, kind, description, created_at) VALUES (?, ?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, org);
	store_bind_text(st, 1, "police");
	store_bind_text(st, 2, "Police");
	store_bind_text(st, 3, "police");
	store_bind_text(st, 4, "line one\nline two\ttab; DROP TABLE orgs; --");
	store_bind_int(st, 5, 1);
	exec_ok(c, st);
	st = store_prepare(c, org);
	store_bind_text(st, 1, "watch");
	store_bind_text(st, 2, "Watch");
	store_bind_text(st, 3, "oversight");
	store_bind_text(st, 4, "");
	store_bind_int(st, 5, 2);
	exec_ok(c, st);
	assert_int_equal(
	    store_exec(c, "INSERT INTO org_areas (org_id, area_id) SELECT o.id, a.id FROM orgs o, "
	                  "areas a WHERE a.id < 20"),
	    ERR_OK);
	static const char user[] = "INSERT INTO users (public_id, email, name, password_hash, "
	                           "is_admin, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	for (int i = 0; i < 5; i++) {
		char pid[16], email[32];
		snprintf(pid, sizeof pid, "u%d", i);
		snprintf(email, sizeof email, "user%d@example.org", i);
		st = store_prepare(c, user);
		store_bind_text(st, 1, pid);
		store_bind_text(st, 2, email);
		store_bind_text(st, 3, "Zoë ?");
		store_bind_text(st, 4, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
		store_bind_int(st, 5, i == 0);
		store_bind_text(st, 6, i % 2 ? "de" : NULL);
		store_bind_int(st, 7, INT64_MAX - i);
		exec_ok(c, st);
	}
	assert_int_equal(store_exec(c,
	                            "INSERT INTO memberships (user_id, org_id, role, created_at) "
	                            "SELECT u.id, o.id, 'org_member', 5 FROM users u, orgs o"),
	                 ERR_OK);
	assert_int_equal(store_exec(c, "INSERT INTO sessions (token_hash, user_id, created_at, "
	                               "expires_at) SELECT 'h' || public_id, id, 1, 2 FROM users"),
	                 ERR_OK);
	assert_int_equal(store_exec(c, "INSERT INTO settings (name, value) VALUES ('instance', "
	                               "'Test ''instance''')"),
	                 ERR_OK);
	assert_int_equal(store_commit(c), ERR_OK);
	store_close(s);
}

/* Every row of every table as text, in a fixed order. Caller frees. */
static char *dump(const struct test_db *db)
{
	struct store_conn *c;
	struct store *s = open_migrated(db, &c);
	struct buf out, q;
	buf_init(&out);
	char *sqls[512]; /* two per table */
	int nsql = 0;
	for (const char *const *t = store_tables(); *t; t++) {
		assert_true(nsql + 2 <= (int)(sizeof sqls / sizeof sqls[0]));
		buf_init(&q);
		buf_printf(&q, "SELECT * FROM %s", *t);
		sqls[nsql] = buf_take(&q);
		struct store_stmt *st = store_prepare(c, sqls[nsql++]);
		assert_non_null(st);
		int n = store_col_count(st);
		store_reset(st);
		buf_init(&q);
		buf_printf(&q, "SELECT * FROM %s ORDER BY ", *t);
		for (int i = 1; i <= n; i++)
			buf_printf(&q, i > 1 ? ", %d" : "%d", i);
		sqls[nsql] = buf_take(&q);
		st = store_prepare(c, sqls[nsql++]);
		assert_non_null(st);
		buf_printf(&out, "== %s\n", *t);
		while (store_step(st) == STORE_ROW) {
			for (int i = 0; i < n; i++) {
				size_t len;
				const unsigned char *p;
				buf_printf(&out, "%s=", store_col_name(st, i));
				switch (store_col_type(st, i)) {
				case STORE_NULL: buf_puts(&out, "NULL"); break;
				case STORE_INT:
					buf_printf(&out, "%" PRId64, store_col_int(st, i));
					break;
				case STORE_DOUBLE:
					buf_printf(&out, "%.17g", store_col_double(st, i));
					break;
				case STORE_TEXT:
					buf_printf(&out, "'%s'", store_col_text(st, i));
					break;
				case STORE_BLOB:
					p = store_col_blob(st, i, &len);
					for (size_t j = 0; j < len; j++)
						buf_printf(&out, "%02x", p[j]);
					break;
				}
				buf_putc(&out, i + 1 < n ? ' ' : '\n');
			}
		}
		store_reset(st);
	}
	store_close(s);
	for (int i = 0; i < nsql; i++)
		free(sqls[i]);
	return buf_take(&out);
}

/* New rows after a copy get ids past the copied ones. */
static void check_next_id(const struct test_db *db)
{
	struct store_conn *c;
	struct store *s = open_migrated(db, &c);
	static const char ins[] = "INSERT INTO areas (slug, name, kind, created_at) VALUES "
	                          "('new', 'New', 'district', 0) RETURNING id";
	struct store_stmt *st = store_prepare(c, ins);
	assert_non_null(st);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_col_int(st, 0), 91);
	store_reset(st);
	store_close(s);
}

static void check_copy(const struct test_db *from, const struct test_db *to)
{
	assert_int_equal(run_copy(from->dsn, to->dsn), 0);
	char *a = dump(from), *b = dump(to);
	assert_true(strlen(a) > 1000);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_copy_sqlite_to_sqlite(void **state)
{
	(void)state;
	seed(&sq_a);
	check_copy(&sq_a, &sq_b);
	check_next_id(&sq_b);
}

static void test_copy_through_pg(void **state)
{
	(void)state;
	if (!have_pg)
		skip();
	seed(&sq_a);
	check_copy(&sq_a, &pg_a);
	check_copy(&pg_a, &sq_b);
	check_copy(&pg_a, &pg_b);
	check_next_id(&pg_a);
	check_next_id(&pg_b);
}

static void test_copy_refuses(void **state)
{
	(void)state;
	const struct test_db *a = &sq_a, *b = &sq_b;
	if (have_pg)
		b = &pg_a; /* refusals through the other backend too */
	seed(a);
	assert_int_equal(run_copy(a->dsn, b->dsn), 0);
	/* The target has data now. */
	assert_int_equal(run_copy(a->dsn, b->dsn), 1);
	/* A source that has no schema. */
	test_db_reset(&sq_b);
	if (have_pg)
		test_db_reset(&pg_a);
	assert_int_equal(run_copy(sq_b.dsn, a->dsn), 1);
	/* A source from a newer consent. */
	struct store_conn *c;
	struct store *s = open_migrated(a, &c);
	assert_int_equal(store_exec(c, "INSERT INTO schema_migrations (version, applied_at) "
	                               "VALUES (9999, 0)"),
	                 ERR_OK);
	store_close(s);
	assert_int_equal(run_copy(a->dsn, b->dsn), 1);
	/* A source the server cannot reach. */
	assert_int_equal(
	    run_copy("postgresql://u:pw@/consent?host=%2Fnonexistent-consent-dir", b->dsn), 1);
}

static void test_copy_args(void **state)
{
	(void)state;
	char *help[] = {"copy", "--help", NULL};
	char *unknown[] = {"copy", "--frm", "x", NULL};
	char *positional[] = {"copy", "postgresql://u:secret@h/db", NULL};
	char *missing[] = {"copy", "--from", "sqlite:a.db", NULL};
	char *dangling[] = {"copy", "--from", NULL};
	char *same[] = {"copy", "--from=sqlite:a.db", "--to=sqlite:a.db", NULL};
	char *twice[] = {"copy",     "--from", "sqlite:a", "--from",
	                 "sqlite:b", "--to",   "sqlite:c", NULL};
	fflush(stdout);
	int saved = dup(1);
	int null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	close(null);
	int r_help = cli_copy(2, help);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	assert_int_equal(r_help, 0);
	assert_int_equal(cli_copy(3, unknown), 2);
	assert_int_equal(cli_copy(2, positional), 2);
	assert_int_equal(cli_copy(3, missing), 2);
	assert_int_equal(cli_copy(2, dangling), 2);
	assert_int_equal(cli_copy(3, same), 2);
	assert_int_equal(cli_copy(7, twice), 2);
}

int main(void)
{
	test_db_sqlite(&sq_a, "copya");
	test_db_sqlite(&sq_b, "copyb");
	have_pg = test_db_pg(&pg_a, "copya") && test_db_pg(&pg_b, "copyb");
	if (!have_pg)
		fprintf(stderr,
		        "test_copy: CONSENT_TEST_PG_DSN not set: PostgreSQL cases skipped\n");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_copy_sqlite_to_sqlite, reset_all, drop_all),
	    cmocka_unit_test_setup_teardown(test_copy_through_pg, reset_all, drop_all),
	    cmocka_unit_test_setup_teardown(test_copy_refuses, reset_all, drop_all),
	    cmocka_unit_test(test_copy_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
