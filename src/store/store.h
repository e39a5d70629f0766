/* store.h - the one SQL-level storage interface.
 *
 * store_open() picks the backend from the DSN: "sqlite:PATH" (embedded,
 * default) or "postgresql://..." / "postgres://..." (libpq). Callers write
 * SQL once, in the subset both backends share, with '?' placeholders; the
 * backend translates placeholders ('?' -> $1..$n on PostgreSQL). Statements
 * are always prepared with bound, typed parameters: never build SQL from
 * input. The few dialect differences live in store/dialect.c.
 *
 * Threads: a struct store is shared; each thread gets its own connection
 * from store_conn() (opened lazily, kept for the thread's life). A
 * connection and its statements are used by one thread only.
 *
 * Portable rules (both backends behave alike because of them):
 * - A failed statement inside a transaction dooms it: store_commit() then
 *   rolls back and returns that statement's error. (PostgreSQL aborts the
 *   transaction on any error; SQLite is made to agree.) Expect duplicates
 *   with INSERT ... ON CONFLICT, not by catching ERR_CONFLICT mid-transaction.
 * - Text is UTF-8 without NUL bytes; bytes go in blobs.
 * - '?' is the only placeholder form (no ?NNN or :name); a '?' inside a
 *   '...' literal, a "..." identifier or a comment is not one. Write a quote
 *   in a literal doubled ('it''s'), never E'\'' or $$...$$. On PostgreSQL, a
 *   parameter's type is inferred from its context in the SQL, so write
 *   "CAST(? AS BIGINT)" where the context does not say ("SELECT ? + 1").
 * - Rows of a result are fetched whole on PostgreSQL (the first store_step
 *   runs the query and holds every row): page large reads with LIMIT.
 * - Errors: ERR_CONFLICT for a unique, foreign-key or exclusion violation;
 *   ERR_INVAL for a CHECK or NOT NULL violation or a value that does not fit
 *   its column type; ERR_UNAVAIL when busy, deadlocked, or the server is
 *   gone (retry; the connection is reopened by the next store_conn()); else
 *   ERR_STORE. Messages never contain bound values. */
#ifndef CONSENT_STORE_STORE_H
#define CONSENT_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct store;
struct store_conn;
struct store_stmt;

enum store_kind { STORE_SQLITE, STORE_PG };

/* The type of a column's value in the current row (store_col_type). */
enum store_type {
	STORE_NULL = 0,
	STORE_INT,    /* integers (and PostgreSQL booleans, as 0/1) */
	STORE_DOUBLE, /* floating point (and non-integral PostgreSQL numerics) */
	STORE_TEXT,   /* anything else PostgreSQL sends: text, timestamps, ... */
	STORE_BLOB,
};

/* Result of store_step(). */
enum store_step {
	STORE_ROW = 1,    /* a row is available: read it with store_col_* */
	STORE_DONE = 0,   /* no more rows; the statement has run */
	STORE_ERROR = -1, /* failed: see store_conn_errmsg() and store_stmt_err() */
};

/* Opens the store of dsn. On failure returns an error and writes a message
 * naming what failed into errbuf (never any password). The caller owns the
 * store and frees it with store_close(). Does not migrate. */
enum err store_open(const char *dsn, struct store **out, char *errbuf, size_t errlen);
void store_close(struct store *s);
enum store_kind store_kind(const struct store *s);
/* The SQLite file path of a sqlite: DSN, else NULL. */
const char *store_path(const struct store *s);

/* The calling thread's connection, opened on first use. NULL (with a
 * message in errbuf) if the database cannot be reached. The store owns it.
 * A broken connection (server restarted) is reopened on the next call. */
struct store_conn *store_conn(struct store *s, char *errbuf, size_t errlen);
/* 1 if the calling thread's connection was lost (a statement or prepare
 * failed because the server went away); the next store_conn reconnects. */
int store_conn_lost(struct store *s);
/* Closes the calling thread's connection, if any (thread exit). */
void store_conn_release(struct store *s);

/* Applies the embedded numbered migrations that are not yet applied, each
 * in its own transaction. Idempotent. */
enum err store_migrate(struct store *s, char *errbuf, size_t errlen);
/* The highest applied migration number (0 if none). */
int store_schema_version(struct store_conn *c);

/* Transactions. store_begin starts a write transaction (SQLite: BEGIN
 * IMMEDIATE, so writers queue instead of deadlocking; PostgreSQL: BEGIN,
 * read committed). Nested calls make a savepoint: an inner commit releases
 * it, an inner rollback undoes only the inner part. store_commit returns the
 * error of the first failed statement of the transaction, if any, after
 * rolling it back. store_rollback never fails from the caller's point of
 * view. */
enum err store_begin(struct store_conn *c);
/* Starts a read transaction that sees one consistent snapshot of the whole
 * database (SQLite: deferred BEGIN under WAL; PostgreSQL: REPEATABLE READ,
 * READ ONLY, where writes fail). End it with store_commit or store_rollback.
 * For exports, copies and consistency checks. */
enum err store_begin_read(struct store_conn *c);
enum err store_commit(struct store_conn *c);
void store_rollback(struct store_conn *c);
/* 1 if a transaction is open on c (what it reads may then be its own
 * uncommitted writes), else 0. */
int store_in_transaction(const struct store_conn *c);

/* Prepares sql (with '?' placeholders) on c. Statements are cached per
 * connection by their SQL text: pass string literals. The connection owns
 * the statement; the caller calls store_reset() when done with it (or the
 * next store_prepare of the same SQL resets it). NULL on error (see
 * store_conn_errmsg). */
struct store_stmt *store_prepare(struct store_conn *c, const char *sql);

/* Binding, 1-based like SQL. Text and blobs are copied. */
void store_bind_int(struct store_stmt *st, int i, int64_t v);
void store_bind_double(struct store_stmt *st, int i, double v);
void store_bind_text(struct store_stmt *st, int i, const char *s); /* NULL binds NULL */
void store_bind_textn(struct store_stmt *st, int i, const char *s, size_t n);
void store_bind_blob(struct store_stmt *st, int i, const void *p, size_t n);
void store_bind_null(struct store_stmt *st, int i);

/* Runs the statement (first call) or moves to the next row. Stepping again
 * after STORE_DONE runs the statement again with the same bindings. */
enum store_step store_step(struct store_stmt *st);
/* The error of the last failed step (see "Errors" above). */
enum err store_stmt_err(const struct store_stmt *st);

/* Column readers, 0-based. Pointers stay valid until the next step or
 * reset. Text of a NULL column is NULL. */
int store_col_isnull(struct store_stmt *st, int i);
int64_t store_col_int(struct store_stmt *st, int i);
double store_col_double(struct store_stmt *st, int i);
const char *store_col_text(struct store_stmt *st, int i);
const void *store_col_blob(struct store_stmt *st, int i, size_t *len);

/* Result columns: their number and names are known once prepared (on
 * PostgreSQL, asking before the first step costs one round trip); the
 * name is owned by the statement and valid until the next step or reset.
 * store_col_type is the type of the value in the current row (STORE_NULL
 * when there is no current row). For generic code such as copy; ordinary
 * code knows its columns. */
int store_col_count(struct store_stmt *st);
const char *store_col_name(struct store_stmt *st, int i);
enum store_type store_col_type(struct store_stmt *st, int i);

/* Clears bindings and results so the statement can run again. */
void store_reset(struct store_stmt *st);

/* Runs st to completion (ignoring rows), resets it and returns its error;
 * ERR_STORE for a NULL st (a failed store_prepare). */
enum err store_run(struct store_stmt *st);

/* Replaces the link rows of id: runs del (one '?': id), then ins (two
 * '?': id, ids[i]) for each of ids[0..n). Pass string literals. */
enum err store_replace_links(struct store_conn *c, const char *del, const char *ins, int64_t id,
			     const int64_t *ids, size_t n);

/* Convenience: prepare, run to completion (ignoring rows), reset. For
 * statements without parameters (DDL, BEGIN). */
enum err store_exec(struct store_conn *c, const char *sql);

/* Number of rows changed by the last INSERT/UPDATE/DELETE on c. */
int64_t store_changes(struct store_conn *c);
/* The last error message on c (no bound values: they may be personal). */
const char *store_conn_errmsg(struct store_conn *c);

/* The names of the tables of the schema (for copy and verify), in an order
 * where a table comes after those it references. NULL-terminated static
 * array, maintained beside the migrations (schema_migrations is not in it). */
const char *const *store_tables(void);
/* Checks that the tables of the database on c are exactly store_tables()
 * plus schema_migrations. ERR_INTERNAL with the odd table named in errbuf
 * if not (a migration added a table and store_tables() was not updated). */
enum err store_check_tables(struct store_conn *c, char *errbuf, size_t errlen);
/* After rows were inserted with explicit ids (copy, restore), makes
 * auto-assigned ids continue after the largest id of each table. Nothing
 * to do on SQLite; on PostgreSQL it moves the identity sequences. */
enum err store_sync_ids(struct store_conn *c);

#endif
