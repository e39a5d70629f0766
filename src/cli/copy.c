/* copy.c - consent copy: every table of one database into a new one.
 *
 * Only the store interface is used, so any backend copies to any other:
 * the target is migrated, the source is read in one snapshot, rows go
 * column by column with their own types (SELECT * and an INSERT with one
 * '?' per column), all in one transaction on the target; then identity
 * sequences are moved past the copied ids and the row counts of both sides
 * are compared, and so are the accountability log's tree roots. DSNs may hold passwords: messages name "source" and
 * "target", never a DSN. */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "store/store.h"
#include "tlog/tlog.h"

static const char copy_usage[] =
    "usage: consent copy --from DSN --to DSN\n"
    "\n"
    "Copies every table of the source database into the target database,\n"
    "which must be new or empty; migrates the target first. Either may be\n"
    "SQLite (sqlite:PATH) or PostgreSQL (postgresql://...). The source is\n"
    "read in one consistent snapshot, so it may stay in use; the target is\n"
    "written in one transaction. Prints the row count of each table on both\n"
    "sides; exits 0 when they match.\n"
    "\n"
    "  --from DSN   the database to copy (must be at this consent's schema)\n"
    "  --to DSN     the database to fill\n"
    "  --help       this text\n";

/* SQL texts built here. The statement cache is keyed by the SQL pointer, so
 * each text must live as long as the stores: they are freed after both
 * are closed. */
struct copy_sqls {
	char **v;
	size_t n, cap;
};

static const char *copy_keep(struct copy_sqls *k, struct buf *b)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 16;
		k->v = xreallocarray(k->v, k->cap, sizeof *k->v);
	}
	return k->v[k->n++] = buf_take(b);
}

static void copy_sqls_free(struct copy_sqls *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
}

/* Appends s as a quoted SQL identifier. Names come from store_tables() and
 * the database's own column list, never from input. */
static void copy_ident(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static const char *copy_count_sql(struct copy_sqls *k, const char *table)
{
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "SELECT COUNT(*) FROM ");
	copy_ident(&b, table);
	return copy_keep(k, &b);
}

/* Counts the rows of table on c into *n. */
static enum err copy_count(struct store_conn *c, const char *sql, int64_t *n)
{
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	enum err e = ERR_OK;
	if (store_step(st) == STORE_ROW)
		*n = store_col_int(st, 0);
	else
		e = store_stmt_err(st) ? store_stmt_err(st) : ERR_STORE;
	store_reset(st);
	return e;
}

/* Binds column i of the current row of from as parameter i + 1 of to. */
static void copy_bind(struct store_stmt *to, struct store_stmt *from, int i)
{
	size_t n;
	const void *p;
	switch (store_col_type(from, i)) {
	case STORE_NULL: store_bind_null(to, i + 1); break;
	case STORE_INT: store_bind_int(to, i + 1, store_col_int(from, i)); break;
	case STORE_DOUBLE: store_bind_double(to, i + 1, store_col_double(from, i)); break;
	case STORE_TEXT: store_bind_text(to, i + 1, store_col_text(from, i)); break;
	case STORE_BLOB:
		p = store_col_blob(from, i, &n);
		store_bind_blob(to, i + 1, p, n);
		break;
	}
}

/* The INSERT for the columns of from's result. */
static const char *copy_insert_sql(struct copy_sqls *k, const char *table, struct store_stmt *from)
{
	struct buf b;
	buf_init(&b);
	int n = store_col_count(from);
	buf_puts(&b, "INSERT INTO ");
	copy_ident(&b, table);
	buf_puts(&b, " (");
	for (int i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, ", ");
		copy_ident(&b, store_col_name(from, i));
	}
	buf_puts(&b, ") VALUES (");
	for (int i = 0; i < n; i++)
		buf_puts(&b, i ? ", ?" : "?");
	buf_putc(&b, ')');
	return copy_keep(k, &b);
}

/* Copies the rows of table; *rows gets their number. On failure, a message
 * in err naming the table and the side that failed. */
static enum err copy_table(struct store_conn *src, struct store_conn *dst, struct copy_sqls *k,
                           const char *table, int64_t *rows, char *err, size_t errlen)
{
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "SELECT * FROM ");
	copy_ident(&b, table);
	buf_puts(&b, " ORDER BY 1"); /* parents before children, for most self-references */
	struct store_stmt *from = store_prepare(src, copy_keep(k, &b));
	if (!from) {
		snprintf(err, errlen, "reading table %s from the source: %s", table,
		         store_conn_errmsg(src));
		return ERR_STORE;
	}
	struct store_stmt *to = NULL;
	enum store_step r;
	enum err e = ERR_OK;
	*rows = 0;
	while ((r = store_step(from)) == STORE_ROW) {
		if (!to && !(to = store_prepare(dst, copy_insert_sql(k, table, from)))) {
			snprintf(err, errlen, "writing table %s to the target: %s", table,
			         store_conn_errmsg(dst));
			e = ERR_STORE;
			goto out;
		}
		int n = store_col_count(from);
		for (int i = 0; i < n; i++)
			copy_bind(to, from, i);
		if (store_step(to) != STORE_DONE) {
			e = store_stmt_err(to);
			snprintf(err, errlen,
			         "writing row %" PRId64 " of table %s to the target: %s", *rows + 1,
			         table, store_conn_errmsg(dst));
			goto out;
		}
		store_reset(to);
		(*rows)++;
	}
	if (r == STORE_ERROR) {
		e = store_stmt_err(from);
		snprintf(err, errlen, "reading table %s from the source: %s", table,
		         store_conn_errmsg(src));
	}
out:
	if (to)
		store_reset(to);
	store_reset(from);
	return e;
}

/* Opens and checks one side; prints the failure. */
static struct store_conn *copy_open(const char *side, const char *dsn, struct store **s)
{
	char err[512];
	if (store_open(dsn, s, err, sizeof err) != ERR_OK) {
		fprintf(stderr, "consent copy: %s database: %s\n", side, err);
		return NULL;
	}
	return store_conn(*s, NULL, 0);
}

/* The copy itself, once both DSNs are known. Returns the exit status. */
static int copy_run(const char *from_dsn, const char *to_dsn)
{
	struct store *src = NULL, *dst = NULL;
	struct copy_sqls k = {0};
	const char *const *tables = store_tables();
	size_t ntables = 0;
	while (tables[ntables])
		ntables++;
	int64_t *src_n = xcalloc(ntables, sizeof *src_n);
	int64_t *dst_n = xcalloc(ntables, sizeof *dst_n);
	char err[768];
	int status = 1;
	enum err e;

	struct store_conn *sc = copy_open("source", from_dsn, &src);
	if (!sc)
		goto out;
	int src_version = store_schema_version(sc);
	if (src_version == 0) {
		fprintf(stderr, "consent copy: the source database has no consent schema "
		                "(wrong DSN, or never initialised)\n");
		goto out;
	}
	struct store_conn *dc = copy_open("target", to_dsn, &dst);
	if (!dc)
		goto out;
	if ((e = store_migrate(dst, err, sizeof err)) != ERR_OK) {
		fprintf(stderr, "consent copy: migrating the target database: %s\n", err);
		goto out;
	}
	int dst_version = store_schema_version(dc);
	if (src_version != dst_version) {
		if (src_version > dst_version)
			fprintf(stderr,
			        "consent copy: the source database is at schema version %d, newer "
			        "than this consent's %d: use a newer consent\n",
			        src_version, dst_version);
		else
			fprintf(stderr,
			        "consent copy: the source database is at schema version %d, this "
			        "consent's is %d: migrate the source first (consent init --db)\n",
			        src_version, dst_version);
		goto out;
	}
	if (store_check_tables(sc, err, sizeof err) != ERR_OK) {
		fprintf(stderr, "consent copy: source database: %s\n", err);
		goto out;
	}
	if (store_check_tables(dc, err, sizeof err) != ERR_OK) {
		fprintf(stderr, "consent copy: target database: %s\n", err);
		goto out;
	}
	for (size_t i = 0; i < ntables; i++) {
		int64_t n = 0;
		if ((e = copy_count(dc, copy_count_sql(&k, tables[i]), &n)) != ERR_OK) {
			fprintf(stderr, "consent copy: counting table %s of the target: %s\n",
			        tables[i], store_conn_errmsg(dc));
			goto out;
		}
		if (n > 0) {
			fprintf(stderr,
			        "consent copy: the target database is not empty (table %s holds "
			        "%" PRId64 " row(s)): copy only into a new database\n",
			        tables[i], n);
			goto out;
		}
	}

	/* One snapshot of the source: counts and rows agree even if the
	 * source is in use. */
	if (store_begin_read(sc) != ERR_OK) {
		fprintf(stderr, "consent copy: source database: %s\n", store_conn_errmsg(sc));
		goto out;
	}
	for (size_t i = 0; i < ntables; i++) {
		if (copy_count(sc, copy_count_sql(&k, tables[i]), &src_n[i]) != ERR_OK) {
			fprintf(stderr, "consent copy: counting table %s of the source: %s\n",
			        tables[i], store_conn_errmsg(sc));
			store_rollback(sc);
			goto out;
		}
	}
	/* The accountability log's tree root in the same snapshot: the copy
	 * must have the same one. */
	uint64_t log_size = 0;
	uint8_t src_root[MERKLE_HASH_LEN], dst_root[MERKLE_HASH_LEN];
	if (tlog_size(sc, &log_size) != ERR_OK || tlog_root(sc, NULL, log_size, src_root) != ERR_OK) {
		fprintf(stderr, "consent copy: reading the source's accountability log: %s\n",
		        store_conn_errmsg(sc));
		store_rollback(sc);
		goto out;
	}
	if (store_begin(dc) != ERR_OK) {
		fprintf(stderr, "consent copy: target database: %s\n", store_conn_errmsg(dc));
		store_rollback(sc);
		goto out;
	}
	int64_t total = 0;
	for (size_t i = 0; i < ntables; i++) {
		int64_t rows = 0;
		if (copy_table(sc, dc, &k, tables[i], &rows, err, sizeof err) != ERR_OK) {
			store_rollback(dc);
			store_rollback(sc);
			fprintf(stderr,
			        "consent copy: %s; nothing was copied (the target transaction was "
			        "rolled back)\n",
			        err);
			goto out;
		}
		total += rows;
	}
	if (store_sync_ids(dc) != ERR_OK) {
		fprintf(stderr, "consent copy: moving the target's id sequences: %s\n",
		        store_conn_errmsg(dc));
		store_rollback(dc);
		store_rollback(sc);
		goto out;
	}
	if (store_commit(dc) != ERR_OK) {
		fprintf(stderr, "consent copy: committing the target: %s; nothing was copied\n",
		        store_conn_errmsg(dc));
		store_rollback(sc);
		goto out;
	}
	store_rollback(sc);

	/* Verify: what the target now holds against the source's snapshot. */
	int mismatch = 0;
	printf("%-24s %12s %12s\n", "table", "source", "target");
	for (size_t i = 0; i < ntables; i++) {
		if (copy_count(dc, copy_count_sql(&k, tables[i]), &dst_n[i]) != ERR_OK) {
			fprintf(stderr, "consent copy: counting table %s of the target: %s\n",
			        tables[i], store_conn_errmsg(dc));
			goto out;
		}
		printf("%-24s %12" PRId64 " %12" PRId64 "%s\n", tables[i], src_n[i], dst_n[i],
		       src_n[i] == dst_n[i] ? "" : "  MISMATCH");
		mismatch += src_n[i] != dst_n[i];
	}
	fflush(stdout);
	if (mismatch) {
		fprintf(stderr,
		        "consent copy: row counts differ in %d table(s): see MISMATCH above\n",
		        mismatch);
		goto out;
	}
	uint64_t dst_size = 0;
	if (tlog_size(dc, &dst_size) != ERR_OK || dst_size != log_size ||
	    tlog_root(dc, NULL, log_size, dst_root) != ERR_OK ||
	    memcmp(src_root, dst_root, sizeof src_root) != 0) {
		fprintf(stderr,
		        "consent copy: the copy's accountability log differs from the source's "
		        "(size %" PRIu64 " against %" PRIu64 ", or another tree root)\n",
		        dst_size, log_size);
		goto out;
	}
	char *b64 = crypto_b64(src_root, sizeof src_root);
	printf("accountability log: %" PRIu64 " entries, tree root %s on both sides\n", log_size,
	       b64);
	free(b64);
	printf("copied %" PRId64 " rows in %zu tables\n", total, ntables);
	status = 0;
out:
	store_close(src);
	store_close(dst);
	copy_sqls_free(&k);
	free(src_n);
	free(dst_n);
	return status;
}

int cli_copy(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **dest = NULL;
		const char *val = NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(copy_usage, stdout);
			return 0;
		} else if (strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) {
			dest = a[2] == 'f' ? &from : &to;
			if (i + 1 >= argc) {
				fprintf(stderr, "consent copy: option %s needs a DSN\n", a);
				return 2;
			}
			val = argv[++i];
		} else if (strncmp(a, "--from=", 7) == 0) {
			dest = &from;
			val = a + 7;
		} else if (strncmp(a, "--to=", 5) == 0) {
			dest = &to;
			val = a + 5;
		} else if (a[0] == '-') {
			fprintf(stderr,
			        "consent copy: unknown option '%s' (see consent copy --help)\n", a);
			return 2;
		} else {
			/* Not echoed: it may be a DSN with a password. */
			fprintf(stderr,
			        "consent copy: unexpected argument %d; DSNs go after --from "
			        "and --to\n",
			        i);
			return 2;
		}
		if (*dest) {
			fprintf(stderr, "consent copy: %s given twice\n",
			        dest == &from ? "--from" : "--to");
			return 2;
		}
		*dest = val;
	}
	if (!from || !to || !*from || !*to) {
		fprintf(stderr, "consent copy: both --from DSN and --to DSN are needed "
		                "(see consent copy --help)\n");
		return 2;
	}
	if (strcmp(from, to) == 0) {
		fprintf(stderr, "consent copy: --from and --to name the same database\n");
		return 2;
	}
	return copy_run(from, to);
}
