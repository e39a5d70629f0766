/* store.c - the common part of the storage interface: backend choice,
 * per-thread connections, the statement cache and migrations. */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/embed.h"
#include "base/xalloc.h"
#include "store/backend.h"

static void conn_free(struct store_conn *c)
{
	struct store_stmt *st = c->stmts;
	while (st) {
		struct store_stmt *next = st->next;
		c->store->ops->finalize(st->h);
		free(st);
		st = next;
	}
	if (c->h)
		c->store->ops->conn_close(c->h);
	free(c);
}

static void unlink_conn(struct store *s, struct store_conn *c)
{
	pthread_mutex_lock(&s->lock);
	for (struct store_conn **p = &s->conns; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

/* Thread exit: close that thread's connection. */
static void conn_destructor(void *p)
{
	struct store_conn *c = p;
	unlink_conn(c->store, c);
	conn_free(c);
}

static int has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

enum err store_open(const char *dsn, struct store **out, char *errbuf, size_t errlen)
{
	const struct store_ops *ops;
	enum store_kind kind;
	const char *path = NULL;
	if (has_prefix(dsn, "sqlite:")) {
		ops = &store_sqlite_ops;
		kind = STORE_SQLITE;
		path = dsn + strlen("sqlite:");
		if (has_prefix(path, "//"))
			path += 2;
		if (!*path) {
			snprintf(errbuf, errlen, "database DSN 'sqlite:' names no file");
			return ERR_INVAL;
		}
	} else if (has_prefix(dsn, "postgresql://") || has_prefix(dsn, "postgres://")) {
		ops = &store_pg_ops;
		kind = STORE_PG;
	} else {
		snprintf(errbuf, errlen,
		         "database DSN must start with sqlite: or postgresql:// (got an unknown "
		         "scheme)");
		return ERR_INVAL;
	}
	struct store *s = xcalloc(1, sizeof *s);
	s->ops = ops;
	s->kind = kind;
	s->dsn = xstrdup(dsn);
	s->path = path ? xstrdup(path) : NULL;
	pthread_mutex_init(&s->lock, NULL);
	if (pthread_key_create(&s->key, conn_destructor) != 0) {
		free(s->dsn);
		free(s->path);
		free(s);
		snprintf(errbuf, errlen, "cannot create thread key");
		return ERR_INTERNAL;
	}
	/* Open the calling thread's connection now so a bad DSN or a
	 * server that is down is reported at once. */
	if (!store_conn(s, errbuf, errlen)) {
		store_close(s);
		return ERR_UNAVAIL;
	}
	*out = s;
	return ERR_OK;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	pthread_setspecific(s->key, NULL);
	pthread_mutex_lock(&s->lock);
	struct store_conn *c = s->conns;
	s->conns = NULL;
	pthread_mutex_unlock(&s->lock);
	while (c) {
		struct store_conn *next = c->next;
		conn_free(c);
		c = next;
	}
	pthread_key_delete(s->key);
	pthread_mutex_destroy(&s->lock);
	free(s->dsn);
	free(s->path);
	free(s);
}

enum store_kind store_kind(const struct store *s)
{
	return s->kind;
}

const char *store_path(const struct store *s)
{
	return s->path;
}

struct store_conn *store_conn(struct store *s, char *errbuf, size_t errlen)
{
	struct store_conn *c = pthread_getspecific(s->key);
	if (c && !c->in_tx && !c->broken && s->ops->conn_alive && !s->ops->conn_alive(c->h))
		c->broken = 1;
	if (c && c->broken && !c->in_tx) {
		/* Lost the server: drop the connection and try a new one. */
		pthread_setspecific(s->key, NULL);
		unlink_conn(s, c);
		conn_free(c);
		c = NULL;
	}
	if (c)
		return c;
	char tmp[256];
	if (!errbuf) {
		errbuf = tmp;
		errlen = sizeof tmp;
	}
	c = xcalloc(1, sizeof *c);
	c->store = s;
	c->h = s->ops->conn_open(s, errbuf, errlen);
	if (!c->h) {
		free(c);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	c->next = s->conns;
	s->conns = c;
	pthread_mutex_unlock(&s->lock);
	pthread_setspecific(s->key, c);
	return c;
}

int store_conn_lost(struct store *s)
{
	struct store_conn *c = pthread_getspecific(s->key);
	return c && c->broken;
}

void store_conn_release(struct store *s)
{
	struct store_conn *c = pthread_getspecific(s->key);
	if (!c)
		return;
	pthread_setspecific(s->key, NULL);
	unlink_conn(s, c);
	conn_free(c);
}

/* A statement failed: if in a transaction, doom it (see store.h). */
static void doom(struct store_conn *c, enum err e)
{
	if (!c->in_tx || c->tx_err != ERR_OK)
		return;
	c->tx_err = e != ERR_OK ? e : ERR_STORE;
	snprintf(c->tx_errmsg, sizeof c->tx_errmsg, "%s", c->errmsg);
}

enum err store_run(struct store_stmt *st)
{
	if (!st)
		return ERR_STORE;
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		;
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	return e;
}

enum err store_replace_links(struct store_conn *c, const char *del, const char *ins, int64_t id,
			     const int64_t *ids, size_t n)
{
	struct store_stmt *st = store_prepare(c, del);
	if (st)
		store_bind_int(st, 1, id);
	enum err e = store_run(st);
	for (size_t i = 0; !e && i < n; i++) {
		if ((st = store_prepare(c, ins))) {
			store_bind_int(st, 1, id);
			store_bind_int(st, 2, ids[i]);
		}
		e = store_run(st);
	}
	return e;
}

enum err store_exec(struct store_conn *c, const char *sql)
{
	enum err e = c->store->ops->exec(c, sql);
	if (e != ERR_OK)
		doom(c, e);
	return e;
}

static enum err begin(struct store_conn *c, int read_only)
{
	if (c->in_tx) {
		/* Nested: a savepoint, so the inner part can fail alone. */
		char sql[48];
		snprintf(sql, sizeof sql, "SAVEPOINT sp%d", c->in_tx);
		enum err e = c->store->ops->exec(c, sql);
		if (e == ERR_OK)
			c->in_tx++;
		return e;
	}
	enum err e = c->store->ops->exec(c, dialect_begin(c->store->kind, read_only));
	if (e == ERR_OK) {
		c->in_tx = 1;
		c->tx_err = ERR_OK;
	}
	return e;
}

enum err store_begin(struct store_conn *c)
{
	return begin(c, 0);
}

enum err store_begin_read(struct store_conn *c)
{
	return begin(c, 1);
}

enum err store_commit(struct store_conn *c)
{
	if (c->in_tx > 1) {
		/* Inner: release the savepoint; a failure inside it dooms
		 * the whole transaction as usual. */
		char sql[48];
		snprintf(sql, sizeof sql, "RELEASE SAVEPOINT sp%d", c->in_tx - 1);
		enum err e = c->tx_err ? c->tx_err : c->store->ops->exec(c, sql);
		c->in_tx--;
		return e;
	}
	if (c->in_tx && c->tx_err != ERR_OK) {
		enum err e = c->tx_err;
		c->store->ops->exec(c, "ROLLBACK");
		c->in_tx = 0;
		c->tx_err = ERR_OK;
		/* A long message is cut: checking the length says so. */
		if (snprintf(c->errmsg, sizeof c->errmsg, "transaction rolled back: %s",
		             c->tx_errmsg) >= (int)sizeof c->errmsg)
			c->errmsg[sizeof c->errmsg - 1] = '\0';
		return e;
	}
	enum err e = c->store->ops->exec(c, "COMMIT");
	c->in_tx = 0;
	c->tx_err = ERR_OK;
	if (e != ERR_OK) {
		char msg[sizeof c->errmsg];
		snprintf(msg, sizeof msg, "%s", c->errmsg);
		c->store->ops->exec(c, "ROLLBACK");
		snprintf(c->errmsg, sizeof c->errmsg, "%s", msg);
		return e;
	}
	return ERR_OK;
}

void store_rollback(struct store_conn *c)
{
	if (!c->in_tx)
		return;
	if (c->in_tx > 1) {
		/* Undo the inner part only. Any failed statement since the
		 * savepoint belongs to it (PostgreSQL refuses new savepoints
		 * in a failed transaction), so the outer one is whole again. */
		char sql[80];
		snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT sp%d; RELEASE SAVEPOINT sp%d",
		         c->in_tx - 1, c->in_tx - 1);
		c->tx_err = ERR_OK;
		c->store->ops->exec(c, sql);
		c->in_tx--;
		return;
	}
	c->store->ops->exec(c, "ROLLBACK");
	c->in_tx = 0;
	c->tx_err = ERR_OK;
}

int store_in_transaction(const struct store_conn *c)
{
	return c->in_tx > 0;
}

struct store_stmt *store_prepare(struct store_conn *c, const char *sql)
{
	struct store_stmt **pp = &c->stmts;
	for (struct store_stmt *st = c->stmts; st; pp = &st->next, st = st->next) {
		if (st->sql == sql) {
			c->store->ops->reset(st);
			/* Move to front: hot statements are found first. */
			*pp = st->next;
			st->next = c->stmts;
			c->stmts = st;
			return st;
		}
	}
	void *h = c->store->ops->prepare(c, sql);
	if (!h) {
		doom(c, c->broken ? ERR_UNAVAIL : ERR_STORE);
		return NULL;
	}
	struct store_stmt *st = xcalloc(1, sizeof *st);
	st->conn = c;
	st->sql = sql;
	st->h = h;
	st->next = c->stmts;
	c->stmts = st;
	return st;
}

void store_bind_int(struct store_stmt *st, int i, int64_t v)
{
	st->conn->store->ops->bind_int(st, i, v);
}

void store_bind_double(struct store_stmt *st, int i, double v)
{
	st->conn->store->ops->bind_double(st, i, v);
}

void store_bind_text(struct store_stmt *st, int i, const char *s)
{
	if (!s)
		st->conn->store->ops->bind_null(st, i);
	else
		st->conn->store->ops->bind_text(st, i, s, strlen(s));
}

void store_bind_textn(struct store_stmt *st, int i, const char *s, size_t n)
{
	st->conn->store->ops->bind_text(st, i, s, n);
}

void store_bind_blob(struct store_stmt *st, int i, const void *p, size_t n)
{
	st->conn->store->ops->bind_blob(st, i, p, n);
}

void store_bind_null(struct store_stmt *st, int i)
{
	st->conn->store->ops->bind_null(st, i);
}

enum store_step store_step(struct store_stmt *st)
{
	enum store_step r = st->conn->store->ops->step(st);
	if (r == STORE_ERROR)
		doom(st->conn, st->err);
	return r;
}

enum err store_stmt_err(const struct store_stmt *st)
{
	return st->err;
}

int store_col_isnull(struct store_stmt *st, int i)
{
	return st->conn->store->ops->col_isnull(st, i);
}

int64_t store_col_int(struct store_stmt *st, int i)
{
	return st->conn->store->ops->col_int(st, i);
}

double store_col_double(struct store_stmt *st, int i)
{
	return st->conn->store->ops->col_double(st, i);
}

const char *store_col_text(struct store_stmt *st, int i)
{
	return st->conn->store->ops->col_text(st, i);
}

const void *store_col_blob(struct store_stmt *st, int i, size_t *len)
{
	return st->conn->store->ops->col_blob(st, i, len);
}

int store_col_count(struct store_stmt *st)
{
	return st->conn->store->ops->col_count(st);
}

const char *store_col_name(struct store_stmt *st, int i)
{
	return st->conn->store->ops->col_name(st, i);
}

enum store_type store_col_type(struct store_stmt *st, int i)
{
	return st->conn->store->ops->col_type(st, i);
}

void store_reset(struct store_stmt *st)
{
	st->conn->store->ops->reset(st);
}

int64_t store_changes(struct store_conn *c)
{
	return c->changes;
}

const char *store_conn_errmsg(struct store_conn *c)
{
	return c->errmsg;
}

/* --- tables -------------------------------------------------------- */

/* Every table of the schema, each after the tables it references. Add a
 * migration's new tables here; test_store checks this list against the
 * database on both backends, and store_check_tables guards copy. */
static const char *const tables[] = {
    "settings",
    "areas",
    "orgs",
    "org_areas",
    "users",
    "memberships",
    "sessions",
    "tlog_state",
    "tlog_entries",
    "tlog_hashes",
    "tlog_checkpoints",
    "tlog_witnesses",
    "tlog_cosignatures",
    "meetings",
    "meeting_orgs",
    "meeting_attendance",
    "meeting_documents",
    "meeting_registrations",
    "commitments",
    "commitment_updates",
    "commitment_meetings",
    "recommendations",
    "recommendation_sources",
    "trust_categories",
    "survey_instruments",
    "survey_items",
    "survey_waves",
    "survey_responses",
    "survey_tokens",
    "survey_indicator_cache",
    "population_baselines",
    "population_shares",
    "workforce_periods",
    "workforce_figures",
    "consultations",
    "consultation_orgs",
    "consult_participants",
    "consult_statements",
    "consult_votes",
    "consult_results",
    "report_categories",
    "report_strand_types",
    "reports",
    "report_strands",
    "report_updates",
    "report_messages",
    "report_overrides",
    "report_log",
    "open311_keys",
    NULL,
};

const char *const *store_tables(void)
{
	return tables;
}

static int in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

enum err store_check_tables(struct store_conn *c, char *errbuf, size_t errlen)
{
	struct store_stmt *st = store_prepare(c, dialect_tables_query(c->store->kind));
	if (!st) {
		snprintf(errbuf, errlen, "cannot list tables: %s", c->errmsg);
		return ERR_STORE;
	}
	/* Tables found, as a NULL-terminated list (the schema is small). */
	size_t n = 0, cap = 16;
	char **found = xcalloc(cap, sizeof *found);
	enum store_step r;
	enum err e = ERR_OK;
	while ((r = store_step(st)) == STORE_ROW) {
		if (n + 1 == cap) {
			found = xreallocarray(found, cap * 2, sizeof *found);
			memset(found + cap, 0, cap * sizeof *found);
			cap *= 2;
		}
		found[n++] = xstrdup(store_col_text(st, 0));
	}
	if (r == STORE_ERROR) {
		snprintf(errbuf, errlen, "cannot list tables: %s", c->errmsg);
		e = store_stmt_err(st);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(found[i], "schema_migrations") != 0 && !in_list(tables, found[i])) {
			snprintf(errbuf, errlen,
			         "table %s is in the database but not in store_tables() "
			         "(src/store/store.c)",
			         found[i]);
			e = ERR_INTERNAL;
			goto out;
		}
	}
	for (const char *const *t = tables; *t; t++) {
		if (!in_list((const char *const *)found, *t)) {
			snprintf(errbuf, errlen,
			         "table %s of store_tables() is not in the database", *t);
			e = ERR_INTERNAL;
			goto out;
		}
	}
out:
	store_reset(st);
	for (size_t i = 0; i < n; i++)
		free(found[i]);
	free(found);
	return e;
}

enum err store_sync_ids(struct store_conn *c)
{
	const char *sql = dialect_sync_ids(c->store->kind);
	return sql ? store_exec(c, sql) : ERR_OK;
}

/* --- migrations ---------------------------------------------------- */

#define MIGRATION_PREFIX "src/store/migrations/"

static int migration_number(const char *name)
{
	const char *base = name + strlen(MIGRATION_PREFIX);
	int n = atoi(base);
	return n > 0 ? n : -1;
}

int store_schema_version(struct store_conn *c)
{
	static const char sql[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return 0;
	int v = 0;
	if (store_step(st) == STORE_ROW)
		v = (int)store_col_int(st, 0);
	store_reset(st);
	return v;
}

/* 1 if migration n is recorded as applied. */
static int migration_applied(struct store_conn *c, int n)
{
	static const char sql[] = "SELECT 1 FROM schema_migrations WHERE version = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return 0;
	store_bind_int(st, 1, n);
	int yes = store_step(st) == STORE_ROW;
	store_reset(st);
	return yes;
}

/* Applies every embedded migration not recorded yet, in number order. Each
 * is checked by its own number, not against the highest applied, so a
 * migration merged later with a lower number is still applied. */
static enum err migrate(struct store *s, struct store_conn *c, char *errbuf, size_t errlen)
{
	enum err e = store_exec(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                           "version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)");
	if (e) {
		snprintf(errbuf, errlen, "cannot create schema_migrations: %s", c->errmsg);
		return e;
	}
	for (const struct embed_file *f = embed_files; f->name; f++) {
		if (strncmp(f->name, MIGRATION_PREFIX, strlen(MIGRATION_PREFIX)) != 0)
			continue;
		int n = migration_number(f->name);
		if (n < 0) {
			snprintf(errbuf, errlen, "bad migration name %s", f->name);
			return ERR_INTERNAL;
		}
		if (migration_applied(c, n))
			continue;
		if ((e = store_begin(c)) != ERR_OK) {
			snprintf(errbuf, errlen, "migration %d: %s", n, c->errmsg);
			return e;
		}
		/* Another process may have applied it meanwhile. */
		if (migration_applied(c, n)) {
			store_rollback(c);
			continue;
		}
		char *sql = dialect_migration(s->kind, f->data);
		e = store_exec(c, sql);
		free(sql);
		if (e == ERR_OK) {
			static const char ins[] =
			    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)";
			struct store_stmt *st = store_prepare(c, ins);
			if (!st) {
				e = ERR_STORE;
			} else {
				store_bind_int(st, 1, n);
				store_bind_int(st, 2, clock_now());
				if (store_step(st) != STORE_DONE)
					e = store_stmt_err(st);
				store_reset(st);
			}
		}
		if (e == ERR_OK)
			e = store_commit(c);
		if (e != ERR_OK) {
			snprintf(errbuf, errlen, "migration %s failed: %s",
			         f->name + strlen(MIGRATION_PREFIX), c->errmsg);
			store_rollback(c);
			return e;
		}
	}
	return ERR_OK;
}

enum err store_migrate(struct store *s, char *errbuf, size_t errlen)
{
	struct store_conn *c = store_conn(s, errbuf, errlen);
	if (!c)
		return ERR_UNAVAIL;
	const char *lock = dialect_migrate_lock(s->kind);
	const char *unlock = dialect_migrate_unlock(s->kind);
	enum err e;
	if (lock && (e = store_exec(c, lock)) != ERR_OK) {
		snprintf(errbuf, errlen, "cannot lock for migration: %s", c->errmsg);
		return e;
	}
	e = migrate(s, c, errbuf, errlen);
	if (unlock)
		store_exec(c, unlock); /* if this fails, the session's end frees it */
	return e;
}
