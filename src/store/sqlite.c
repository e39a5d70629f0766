/* sqlite.c - the SQLite backend: WAL, one connection per thread, a busy
 * timeout, synchronous=FULL so an acknowledged commit survives a crash,
 * secure_delete so that erased data (a report's wrapped key) is zeroed in
 * the file rather than left in free space. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/backend.h"

#define BUSY_TIMEOUT_MS 10000
#define SETUP_RETRY_MS  10

static void *sq_conn_open(struct store *s, char *errbuf, size_t errlen)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(
	    s->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot open SQLite database %s: %s", s->path,
		         db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	char *msg = NULL;
	/* Turning a new file to WAL needs it to itself, and the busy handler
	 * is not always called for that: retry while others open it too. */
	for (int waited = 0;; waited += SETUP_RETRY_MS) {
		rc = sqlite3_exec(db,
		                  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
		                  "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
		                  "PRAGMA secure_delete=ON;",
		                  NULL, NULL, &msg);
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= BUSY_TIMEOUT_MS)
			break;
		sqlite3_free(msg);
		msg = NULL;
		nanosleep(&(struct timespec){.tv_nsec = SETUP_RETRY_MS * 1000000L}, NULL);
	}
	if (rc != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot set up SQLite database %s: %s", s->path,
		         msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static void sq_conn_close(void *h)
{
	sqlite3_close_v2(h);
}

/* Maps an extended result code the way pg.c maps SQLSTATEs. */
static enum err map_rc(int rc)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL: return ERR_INVAL;
	}
	switch (rc & 0xff) {
	case SQLITE_MISMATCH: return ERR_INVAL;
	case SQLITE_CONSTRAINT: return ERR_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return ERR_UNAVAIL;
	default: return ERR_STORE;
	}
}

static enum err sq_exec(struct store_conn *c, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(c->errmsg, sizeof c->errmsg, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_rc(sqlite3_extended_errcode(c->h));
	}
	c->changes = sqlite3_changes64(c->h);
	return ERR_OK;
}

static void *sq_prepare(struct store_conn *c, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		snprintf(c->errmsg, sizeof c->errmsg, "prepare: %s", sqlite3_errmsg(c->h));
		return NULL;
	}
	return st;
}

static void sq_finalize(void *st)
{
	sqlite3_finalize(st);
}

static void sq_bind_int(struct store_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st->h, i, v);
}

static void sq_bind_double(struct store_stmt *st, int i, double v)
{
	sqlite3_bind_double(st->h, i, v);
}

static void sq_bind_text(struct store_stmt *st, int i, const char *s, size_t n)
{
	sqlite3_bind_text64(st->h, i, s, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void sq_bind_blob(struct store_stmt *st, int i, const void *p, size_t n)
{
	sqlite3_bind_blob64(st->h, i, p ? p : "", n, SQLITE_TRANSIENT);
}

static void sq_bind_null(struct store_stmt *st, int i)
{
	sqlite3_bind_null(st->h, i);
}

static enum store_step sq_step(struct store_stmt *st)
{
	int rc = sqlite3_step(st->h);
	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE) {
		st->conn->changes = sqlite3_changes64(st->conn->h);
		return STORE_DONE;
	}
	int ext = sqlite3_extended_errcode(st->conn->h);
	st->err = map_rc(ext);
	snprintf(st->conn->errmsg, sizeof st->conn->errmsg, "%s", sqlite3_errmsg(st->conn->h));
	return STORE_ERROR;
}

static int sq_col_isnull(struct store_stmt *st, int i)
{
	return sqlite3_column_type(st->h, i) == SQLITE_NULL;
}

static int64_t sq_col_int(struct store_stmt *st, int i)
{
	return sqlite3_column_int64(st->h, i);
}

static double sq_col_double(struct store_stmt *st, int i)
{
	return sqlite3_column_double(st->h, i);
}

static const char *sq_col_text(struct store_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->h, i);
}

static const void *sq_col_blob(struct store_stmt *st, int i, size_t *len)
{
	const void *p = sqlite3_column_blob(st->h, i);
	*len = (size_t)sqlite3_column_bytes(st->h, i);
	return p;
}

static int sq_col_count(struct store_stmt *st)
{
	return sqlite3_column_count(st->h);
}

static const char *sq_col_name(struct store_stmt *st, int i)
{
	return sqlite3_column_name(st->h, i);
}

static enum store_type sq_col_type(struct store_stmt *st, int i)
{
	switch (sqlite3_column_type(st->h, i)) {
	case SQLITE_INTEGER: return STORE_INT;
	case SQLITE_FLOAT: return STORE_DOUBLE;
	case SQLITE_TEXT: return STORE_TEXT;
	case SQLITE_BLOB: return STORE_BLOB;
	default: return STORE_NULL;
	}
}

static void sq_reset(struct store_stmt *st)
{
	sqlite3_reset(st->h);
	sqlite3_clear_bindings(st->h);
	st->err = ERR_OK;
}

const struct store_ops store_sqlite_ops = {
    .conn_open = sq_conn_open,
    .conn_close = sq_conn_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_isnull = sq_col_isnull,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_count = sq_col_count,
    .col_name = sq_col_name,
    .col_type = sq_col_type,
    .reset = sq_reset,
};
