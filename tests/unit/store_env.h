/* store_env.h - the databases store tests run on: SQLite always, and
 * PostgreSQL as well when CONSENT_TEST_PG_DSN is set (scripts/pg start
 * prints one).
 *
 * On PostgreSQL each test runs in a schema of its own, consent_test_<pid>
 * (chosen with the search_path connection option and dropped afterwards),
 * so a test never touches other data in that database.
 *
 * Header-only (static inline) so that each test program stays one file. */
#ifndef CONSENT_TESTS_STORE_ENV_H
#define CONSENT_TESTS_STORE_ENV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

struct test_db {
	enum store_kind kind;
	const char *name; /* "sqlite" or "pg" */
	char dsn[1024];   /* what tests pass to store_open */
	char path[256];   /* SQLite: the file */
	char schema[64];  /* PostgreSQL: the test's schema */
};

/* Fills db with a SQLite database file unique to this process and tag. */
static inline void test_db_sqlite(struct test_db *db, const char *tag)
{
	memset(db, 0, sizeof *db);
	db->kind = STORE_SQLITE;
	db->name = "sqlite";
	snprintf(db->path, sizeof db->path, "/tmp/consent-test-%s-%d.db", tag, (int)getpid());
	snprintf(db->dsn, sizeof db->dsn, "sqlite:%s", db->path);
}

/* Fills db with a schema of the CONSENT_TEST_PG_DSN database unique to this
 * process and tag. Returns 0 if the variable is not set. */
static inline int test_db_pg(struct test_db *db, const char *tag)
{
	const char *base = getenv("CONSENT_TEST_PG_DSN");
	if (!base || !*base)
		return 0;
	memset(db, 0, sizeof *db);
	db->kind = STORE_PG;
	db->name = "pg";
	snprintf(db->schema, sizeof db->schema, "consent_test_%s_%d", tag, (int)getpid());
	snprintf(db->dsn, sizeof db->dsn, "%s%coptions=-c%%20search_path%%3D%s", base,
	         strchr(base, '?') ? '&' : '?', db->schema);
	return 1;
}

/* Makes the database empty: removes the SQLite files or recreates the
 * schema. Returns 0 on success. */
static inline int test_db_reset(struct test_db *db)
{
	if (db->kind == STORE_SQLITE) {
		char p[300];
		unlink(db->path);
		snprintf(p, sizeof p, "%s-wal", db->path);
		unlink(p);
		snprintf(p, sizeof p, "%s-shm", db->path);
		unlink(p);
		return 0;
	}
	struct store *s = NULL;
	char err[256], sql[256];
	if (store_open(db->dsn, &s, err, sizeof err) != ERR_OK) {
		fprintf(stderr, "test_db_reset: %s\n", err);
		return -1;
	}
	snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", db->schema,
	         db->schema);
	enum err e = store_exec(store_conn(s, NULL, 0), sql);
	store_close(s);
	return e == ERR_OK ? 0 : -1;
}

/* Removes what test_db_reset made. */
static inline void test_db_drop(struct test_db *db)
{
	if (db->kind == STORE_SQLITE) {
		test_db_reset(db);
		return;
	}
	struct store *s = NULL;
	char err[256], sql[256];
	if (store_open(db->dsn, &s, err, sizeof err) != ERR_OK)
		return;
	snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", db->schema);
	store_exec(store_conn(s, NULL, 0), sql);
	store_close(s);
}

#endif
