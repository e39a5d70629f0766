/* backend.h - what a storage backend implements (private to store/).
 *
 * Like sqlite3_io_methods: a struct of function pointers per backend.
 * store.c does the common part (per-thread connections, statement cache,
 * migrations, errors) and calls these. */
#ifndef CONSENT_STORE_BACKEND_H
#define CONSENT_STORE_BACKEND_H

#include <pthread.h>

#include "store/store.h"

struct store_ops;

struct store {
	const struct store_ops *ops;
	enum store_kind kind;
	char *dsn;         /* as given (may contain a password: never log) */
	char *path;        /* SQLite file path, or NULL */
	pthread_key_t key; /* the calling thread's struct store_conn */
	pthread_mutex_t lock;
	struct store_conn *conns; /* every open connection, for store_close */
};

struct store_conn {
	struct store *store;
	void *h;                  /* backend connection: sqlite3 *, struct pg_conn * */
	struct store_stmt *stmts; /* statement cache, most recent first */
	struct store_conn *next;  /* in store->conns */
	int in_tx;
	enum err tx_err; /* first failure in the open transaction */
	int broken;      /* the backend lost the connection */
	int64_t changes;
	char errmsg[256];
	char tx_errmsg[256]; /* errmsg of that first failure */
};

struct store_stmt {
	struct store_conn *conn;
	const char *sql; /* cache key: the caller's literal */
	void *h;         /* backend statement */
	struct store_stmt *next;
	enum err err; /* of the last failed step */
};

struct store_ops {
	/* Opens the backend connection for a new store_conn. Returns the
	 * handle or NULL with a message in errbuf. */
	void *(*conn_open)(struct store *s, char *errbuf, size_t errlen);
	void (*conn_close)(void *h);
	/* 0 if the connection is known to be dead (the server closed it
	 * while we were idle); must not block. NULL: always alive. */
	int (*conn_alive)(void *h);
	/* Runs SQL text that may hold several statements and no parameters. */
	enum err (*exec)(struct store_conn *c, const char *sql);
	/* Prepares one statement ('?' placeholders); NULL on error with
	 * c->errmsg set. */
	void *(*prepare)(struct store_conn *c, const char *sql);
	void (*finalize)(void *st);
	void (*bind_int)(struct store_stmt *st, int i, int64_t v);
	void (*bind_double)(struct store_stmt *st, int i, double v);
	void (*bind_text)(struct store_stmt *st, int i, const char *s, size_t n);
	void (*bind_blob)(struct store_stmt *st, int i, const void *p, size_t n);
	void (*bind_null)(struct store_stmt *st, int i);
	/* Runs or advances; sets st->err, c->errmsg, c->changes, and
	 * c->broken when the connection is gone. */
	enum store_step (*step)(struct store_stmt *st);
	int (*col_isnull)(struct store_stmt *st, int i);
	int64_t (*col_int)(struct store_stmt *st, int i);
	double (*col_double)(struct store_stmt *st, int i);
	const char *(*col_text)(struct store_stmt *st, int i);
	const void *(*col_blob)(struct store_stmt *st, int i, size_t *len);
	int (*col_count)(struct store_stmt *st);
	const char *(*col_name)(struct store_stmt *st, int i);
	enum store_type (*col_type)(struct store_stmt *st, int i);
	void (*reset)(struct store_stmt *st);
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

/* Rewrites the dialect-neutral migration text for a backend (store/dialect.c).
 * Returns a new string; the caller frees it. */
char *dialect_migration(enum store_kind kind, const char *sql);
/* The statement that starts a write (read_only 0) or snapshot read
 * transaction. Static string. */
const char *dialect_begin(enum store_kind kind, int read_only);
/* Statements run before and after store_migrate's work so that processes
 * migrating at once queue; NULL if the backend needs none. Static strings. */
const char *dialect_migrate_lock(enum store_kind kind);
const char *dialect_migrate_unlock(enum store_kind kind);
/* A query listing the base tables of the schema in use, one name per row.
 * Static string. */
const char *dialect_tables_query(enum store_kind kind);
/* SQL (for store_exec) that moves every auto-assigned id past the largest
 * id in use, or NULL if the backend needs nothing. Static string. */
const char *dialect_sync_ids(enum store_kind kind);

#endif
