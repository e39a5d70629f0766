/* pg.c - the PostgreSQL backend (libpq).
 *
 * Connections: PQconnectdbParams with the DSN expanded as the dbname (both
 * URI forms, postgresql:// and postgres://, are libpq's own), with defaults
 * the DSN may override (connect_timeout, application name, TCP keepalives)
 * and one it may not (client_encoding UTF8). Server notices are dropped,
 * not printed.
 *
 * Statements: '?' placeholders become $1..$n (not inside '...' literals,
 * "..." identifiers or comments); PQprepare under a name unique to the
 * connection, with parameter types left to the server to infer from the
 * SQL. Parameters go as text, except blobs, which go in binary format (raw
 * bytea, so zero bytes need no escaping). Prepared statements live as long
 * as their connection; they are not deallocated one by one.
 *
 * Results: the first store_step runs PQexecPrepared and keeps the whole
 * PGresult; later steps move through its rows. Results are asked for in
 * text format: libpq takes one result format for all columns, and binary
 * would mean decoding int8, float8 and numeric by hand. bytea columns come
 * hex-encoded and are decoded with PQunescapeBytea on first access in a row.
 *
 * Errors map by SQLSTATE (see pg_map_state). When the connection is lost
 * the store_conn is marked broken and store_conn() opens a new one next
 * time. Messages are the server's primary message only: the DETAIL part
 * repeats key values, which may be personal. */
#include <libpq-fe.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "store/backend.h"

/* Type OIDs (fixed; from the server's catalog/pg_type.dat). */
enum {
	PG_BOOLOID = 16,
	PG_BYTEAOID = 17,
	PG_INT8OID = 20,
	PG_INT2OID = 21,
	PG_INT4OID = 23,
	PG_OIDOID = 26,
	PG_FLOAT4OID = 700,
	PG_FLOAT8OID = 701,
	PG_NUMERICOID = 1700,
};

/* Identity columns (dialect.c's @ID@) need PostgreSQL 10. */
#define PG_MIN_VERSION 100000

struct pg_conn {
	PGconn *pg;
	unsigned next_id; /* names prepared statements s1, s2, ... */
};

enum pg_state { PG_IDLE, PG_ROWS, PG_DONE };

struct pg_stmt {
	char name[16]; /* of the prepared statement on the server */
	int nparams;
	char **values;  /* per parameter: owned bytes, NULL for SQL NULL */
	int *lengths;   /* byte lengths (used for binary parameters) */
	int *formats;   /* 0 text, 1 binary (blobs) */
	PGresult *res;  /* result of the current run */
	PGresult *desc; /* PQdescribePrepared, for column names before a run */
	enum pg_state state;
	int row;             /* current row of res while PG_ROWS */
	int ndec;            /* length of dec and declen (columns of res) */
	unsigned char **dec; /* per column: the decoded bytea of the current row */
	size_t *declen;
};

/* --- messages ------------------------------------------------------ */

/* Appends the percent-decoded s[0..n) to b (as libpq decodes URIs). */
static void pct_decode(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
			buf_putc(b, (char)(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2])));
			i += 2;
		} else {
			buf_putc(b, s[i]);
		}
	}
}

/* Adds s[0..n), raw and percent-decoded, to the secrets. */
static void add_secret(char **secrets, int *k, const char *s, size_t n)
{
	if (n == 0)
		return;
	secrets[(*k)++] = xstrndup(s, n);
	struct buf b;
	buf_init(&b);
	pct_decode(&b, s, n);
	if (b.len > 0 && (b.len != n || memcmp(b.data, s, n) != 0))
		secrets[(*k)++] = buf_take(&b);
	else
		buf_clear(&b);
}

/* Finds the passwords in a DSN: postgresql://user:PASSWORD@host/... and
 * ?password=PASSWORD. Fills secrets (at most 4) and returns their count. */
static int dsn_secrets(const char *dsn, char **secrets)
{
	int k = 0;
	const char *p = strstr(dsn, "://");
	if (!p)
		return 0;
	p += 3;
	/* libpq: the user info ends at the first '@' before any '/'. */
	size_t auth = strcspn(p, "@/");
	if (p[auth] == '@') {
		const char *colon = memchr(p, ':', auth);
		if (colon)
			add_secret(secrets, &k, colon + 1, (size_t)(p + auth - colon - 1));
	}
	const char *q = strchr(p, '?');
	while (q && k <= 2) {
		q++;
		size_t len = strcspn(q, "&");
		if (strncmp(q, "password=", 9) == 0 && len > 9)
			add_secret(secrets, &k, q + 9, len - 9);
		q = strchr(q, '&');
	}
	return k;
}

/* Writes msg into out as one line: runs of white space become one space,
 * trailing ones go, and every password found in dsn becomes "***". */
static void clean_message(char *out, size_t outlen, const char *msg, const char *dsn)
{
	char *secrets[4];
	int k = dsn ? dsn_secrets(dsn, secrets) : 0;
	struct buf b;
	buf_init(&b);
	for (const char *p = msg; *p;) {
		int hit = 0;
		for (int i = 0; i < k; i++) {
			size_t n = strlen(secrets[i]);
			if (strncmp(p, secrets[i], n) == 0) {
				buf_puts(&b, "***");
				p += n;
				hit = 1;
				break;
			}
		}
		if (hit)
			continue;
		if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				buf_putc(&b, ' ');
			p++;
			continue;
		}
		buf_putc(&b, *p++);
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	snprintf(out, outlen, "%s", b.data ? b.data : "");
	buf_clear(&b);
	for (int i = 0; i < k; i++)
		free(secrets[i]);
}

static void pg_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* --- connections --------------------------------------------------- */

static void *pg_conn_open(struct store *s, char *errbuf, size_t errlen)
{
	/* Later entries win; the DSN expands in place of dbname. Keepalives
	 * notice a server that vanished from the network within about two
	 * minutes instead of the system's two hours. */
	static const char *const keys[] = {"connect_timeout",  "fallback_application_name",
	                                   "keepalives_idle",  "keepalives_interval",
	                                   "keepalives_count", "dbname",
	                                   "client_encoding",  NULL};
	const char *const vals[] = {"10", "consent", "60", "10", "6", s->dsn, "UTF8", NULL};
	PGconn *pg = PQconnectdbParams(keys, vals, 1);
	if (!pg) {
		snprintf(errbuf, errlen, "cannot connect to PostgreSQL: out of memory");
		return NULL;
	}
	if (PQstatus(pg) != CONNECTION_OK) {
		char msg[512];
		clean_message(msg, sizeof msg, PQerrorMessage(pg), s->dsn);
		snprintf(errbuf, errlen, "cannot connect to PostgreSQL: %s", msg);
		PQfinish(pg);
		return NULL;
	}
	if (PQserverVersion(pg) < PG_MIN_VERSION) {
		snprintf(errbuf, errlen,
		         "PostgreSQL server version %d is too old: consent needs 10 or later",
		         PQserverVersion(pg));
		PQfinish(pg);
		return NULL;
	}
	PQsetNoticeProcessor(pg, pg_notice, NULL);
	struct pg_conn *pc = xcalloc(1, sizeof *pc);
	pc->pg = pg;
	return pc;
}

/* Reads whatever the server sent while we were idle, without blocking: a
 * server that shut down or restarted has closed the socket (after a FATAL
 * message), which turns the connection bad here, before a statement is
 * sent on it. */
static int pg_conn_alive(void *h)
{
	PGconn *conn = ((struct pg_conn *)h)->pg;
	if (PQstatus(conn) != CONNECTION_OK)
		return 0;
	if (PQisBusy(conn))
		return 1;
	/* Twice: the first read may only take the FATAL message, the second
	 * sees the end of the stream. Both return at once when idle. */
	for (int i = 0; i < 2; i++)
		if (PQconsumeInput(conn) == 0)
			return 0;
	return PQstatus(conn) == CONNECTION_OK;
}

static void pg_conn_close(void *h)
{
	struct pg_conn *pc = h;
	PQfinish(pc->pg);
	free(pc);
}

/* --- errors -------------------------------------------------------- */

/* SQLSTATE to enum err; *lost is set when the connection is gone. */
static enum err pg_map_state(const char *st, int *lost)
{
	*lost = 0;
	if (!st || strlen(st) != 5)
		return ERR_STORE;
	if (strcmp(st, "23514") == 0 || strcmp(st, "23502") == 0)
		return ERR_INVAL; /* check, not null: input the domain should refuse */
	if (strncmp(st, "23", 2) == 0)
		return ERR_CONFLICT; /* unique, foreign key, exclusion */
	if (strncmp(st, "22", 2) == 0)
		return ERR_INVAL; /* data exception: a value does not fit its type */
	if (strncmp(st, "08", 2) == 0 || strncmp(st, "57P", 3) == 0) {
		/* connection exception; admin or crash shutdown, cannot
		 * connect now, database dropped, idle session timeout */
		*lost = 1;
		return ERR_UNAVAIL;
	}
	if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 || strcmp(st, "55P03") == 0)
		return ERR_UNAVAIL; /* serialization, deadlock, lock timeout: retry */
	return ERR_STORE;
}

/* Records the failure of r (NULL if libpq returned none) on c: message,
 * broken flag. Returns the error. */
static enum err pg_fail(struct store_conn *c, const PGresult *r, const char *what)
{
	struct pg_conn *pc = c->h;
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	int lost;
	enum err e = pg_map_state(state, &lost);
	if (PQstatus(pc->pg) == CONNECTION_BAD) {
		lost = 1;
		e = ERR_UNAVAIL;
	}
	if (lost)
		c->broken = 1;
	char text[256];
	clean_message(text, sizeof text, msg ? msg : PQerrorMessage(pc->pg), NULL);
	/* Data exceptions quote the offending value ("invalid input syntax
	 * for type bigint: \"...\""): keep only the part before it. */
	if (state && strncmp(state, "22", 2) == 0) {
		char *q = strstr(text, ": \"");
		if (q)
			*q = '\0';
	}
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%s%s%s%s [%s]", lost ? "lost the connection to PostgreSQL: " : "",
	           what ? what : "", what ? ": " : "", text[0] ? text : "unknown error",
	           state ? state : "no SQLSTATE");
	snprintf(c->errmsg, sizeof c->errmsg, "%s", b.data);
	buf_clear(&b);
	return e;
}

/* Counts rows changed, as SQLite does: only INSERT, UPDATE, DELETE, MERGE. */
static void pg_note_changes(struct store_conn *c, PGresult *r)
{
	const char *tag = PQcmdStatus(r);
	if (strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 ||
	    strncmp(tag, "DELETE", 6) == 0 || strncmp(tag, "MERGE", 5) == 0)
		c->changes = strtoll(PQcmdTuples(r), NULL, 10);
}

/* --- statements ---------------------------------------------------- */

static enum err pg_exec(struct store_conn *c, const char *sql)
{
	struct pg_conn *pc = c->h;
	PGresult *r = PQexec(pc->pg, sql);
	ExecStatusType t = PQresultStatus(r);
	enum err e = ERR_OK;
	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK) {
		pg_note_changes(c, r);
		/* COMMIT of a transaction that an error aborted "succeeds"
		 * with the tag ROLLBACK. */
		if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
			snprintf(c->errmsg, sizeof c->errmsg,
			         "the transaction was rolled back: a statement in it failed");
			e = ERR_STORE;
		}
	} else {
		e = pg_fail(c, r, NULL);
	}
	PQclear(r);
	return e;
}

/* sql with each '?' outside literals, quoted identifiers and comments
 * turned into $1, $2, ...; *nparams gets their count. Caller frees. */
static char *pg_translate(const char *sql, int *nparams)
{
	struct buf b;
	buf_init(&b);
	int n = 0;
	const char *p = sql;
	while (*p) {
		size_t len = 1;
		if (*p == '\'' || *p == '"') {
			/* To the closing quote; a doubled quote is read as the
			 * end of one literal and the start of the next. */
			const char *e = strchr(p + 1, *p);
			len = e ? (size_t)(e - p) + 1 : strlen(p);
		} else if (p[0] == '-' && p[1] == '-') {
			len = strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			len = e ? (size_t)(e - p) + 2 : strlen(p);
		} else if (*p == '?') {
			buf_printf(&b, "$%d", ++n);
			p++;
			continue;
		}
		buf_append(&b, p, len);
		p += len;
	}
	*nparams = n;
	return buf_take(&b);
}

static void *pg_prepare(struct store_conn *c, const char *sql)
{
	struct pg_conn *pc = c->h;
	int n = 0;
	char *text = pg_translate(sql, &n);
	struct pg_stmt *ps = xcalloc(1, sizeof *ps);
	snprintf(ps->name, sizeof ps->name, "s%u", ++pc->next_id);
	PGresult *r = PQprepare(pc->pg, ps->name, text, 0, NULL);
	free(text);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_fail(c, r, "prepare");
		PQclear(r);
		free(ps);
		return NULL;
	}
	PQclear(r);
	ps->nparams = n;
	if (n > 0) {
		ps->values = xcalloc((size_t)n, sizeof *ps->values);
		ps->lengths = xcalloc((size_t)n, sizeof *ps->lengths);
		ps->formats = xcalloc((size_t)n, sizeof *ps->formats);
	}
	return ps;
}

/* Frees the decoded bytea values of the current row. */
static void pg_free_decoded(struct pg_stmt *ps)
{
	for (int i = 0; i < ps->ndec; i++) {
		free(ps->dec[i]);
		ps->dec[i] = NULL;
	}
}

static void pg_clear_result(struct pg_stmt *ps)
{
	pg_free_decoded(ps);
	free(ps->dec);
	free(ps->declen);
	ps->dec = NULL;
	ps->declen = NULL;
	ps->ndec = 0;
	PQclear(ps->res);
	ps->res = NULL;
	ps->state = PG_IDLE;
}

static void pg_clear_params(struct pg_stmt *ps)
{
	for (int i = 0; i < ps->nparams; i++) {
		free(ps->values[i]);
		ps->values[i] = NULL;
		ps->lengths[i] = 0;
		ps->formats[i] = 0;
	}
}

static void pg_finalize(void *h)
{
	struct pg_stmt *ps = h;
	pg_clear_result(ps);
	pg_clear_params(ps);
	PQclear(ps->desc);
	free(ps->values);
	free(ps->lengths);
	free(ps->formats);
	free(ps);
}

/* Sets parameter i (1-based) to the owned bytes v (NULL for SQL NULL). */
static void pg_set_param(struct store_stmt *st, int i, char *v, size_t len, int binary)
{
	struct pg_stmt *ps = st->h;
	if (i < 1 || i > ps->nparams || len > INT32_MAX) {
		free(v);
		return;
	}
	free(ps->values[i - 1]);
	ps->values[i - 1] = v;
	ps->lengths[i - 1] = (int)len;
	ps->formats[i - 1] = binary;
}

static void pg_bind_int(struct store_stmt *st, int i, int64_t v)
{
	char *s = xasprintf("%" PRId64, v);
	pg_set_param(st, i, s, strlen(s), 0);
}

static void pg_bind_double(struct store_stmt *st, int i, double v)
{
	char *s;
	if (isnan(v))
		s = xstrdup("NaN");
	else if (isinf(v))
		s = xstrdup(v > 0 ? "Infinity" : "-Infinity");
	else
		s = xasprintf("%.17g", v);
	pg_set_param(st, i, s, strlen(s), 0);
}

static void pg_bind_text(struct store_stmt *st, int i, const char *s, size_t n)
{
	/* Text parameters are NUL-terminated: text stops at a NUL byte. */
	pg_set_param(st, i, xstrndup(s, n), n, 0);
}

static void pg_bind_blob(struct store_stmt *st, int i, const void *p, size_t n)
{
	char *v = xmalloc(n + 1);
	if (n > 0)
		memcpy(v, p, n);
	pg_set_param(st, i, v, n, 1);
}

static void pg_bind_null(struct store_stmt *st, int i)
{
	pg_set_param(st, i, NULL, 0, 0);
}

static enum store_step pg_step(struct store_stmt *st)
{
	struct pg_stmt *ps = st->h;
	struct pg_conn *pc = st->conn->h;
	if (ps->state == PG_ROWS) {
		pg_free_decoded(ps);
		if (++ps->row < PQntuples(ps->res))
			return STORE_ROW;
		ps->state = PG_DONE;
		return STORE_DONE;
	}
	/* Not started, or done: run it (again, like SQLite after DONE). */
	pg_clear_result(ps);
	st->err = ERR_OK;
	PGresult *r = PQexecPrepared(pc->pg, ps->name, ps->nparams, (const char *const *)ps->values,
	                             ps->lengths, ps->formats, 0);
	ExecStatusType t = PQresultStatus(r);
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
		st->err = pg_fail(st->conn, r, NULL);
		PQclear(r);
		return STORE_ERROR;
	}
	pg_note_changes(st->conn, r);
	ps->res = r;
	ps->row = 0;
	ps->ndec = PQnfields(r);
	if (ps->ndec > 0) {
		ps->dec = xcalloc((size_t)ps->ndec, sizeof *ps->dec);
		ps->declen = xcalloc((size_t)ps->ndec, sizeof *ps->declen);
	}
	if (t == PGRES_TUPLES_OK && PQntuples(r) > 0) {
		ps->state = PG_ROWS;
		return STORE_ROW;
	}
	ps->state = PG_DONE;
	return STORE_DONE;
}

/* --- columns ------------------------------------------------------- */

/* The text of column i of the current row, NULL if none or SQL NULL. */
static const char *pg_value(const struct pg_stmt *ps, int i)
{
	if (ps->state != PG_ROWS || i < 0 || i >= PQnfields(ps->res) ||
	    PQgetisnull(ps->res, ps->row, i))
		return NULL;
	return PQgetvalue(ps->res, ps->row, i);
}

/* The decoded bytes of bytea column i (NUL-terminated), or NULL. */
static const unsigned char *pg_bytea(struct pg_stmt *ps, int i, size_t *len)
{
	const char *v = pg_value(ps, i);
	*len = 0;
	if (!v)
		return NULL;
	if (!ps->dec[i]) {
		size_t n = 0;
		unsigned char *u = PQunescapeBytea((const unsigned char *)v, &n);
		if (!u) {
			fprintf(stderr, "consent: out of memory decoding bytea\n");
			abort();
		}
		ps->dec[i] = xmalloc(n + 1);
		memcpy(ps->dec[i], u, n);
		ps->dec[i][n] = 0;
		ps->declen[i] = n;
		PQfreemem(u);
	}
	*len = ps->declen[i];
	return ps->dec[i];
}

static int pg_col_isnull(struct store_stmt *st, int i)
{
	return pg_value(st->h, i) == NULL;
}

static int is_float_type(Oid t)
{
	return t == PG_FLOAT4OID || t == PG_FLOAT8OID || t == PG_NUMERICOID;
}

static int64_t pg_col_int(struct store_stmt *st, int i)
{
	struct pg_stmt *ps = st->h;
	const char *v = pg_value(ps, i);
	if (!v)
		return 0;
	Oid t = PQftype(ps->res, i);
	if (t == PG_BOOLOID)
		return v[0] == 't';
	if (is_float_type(t)) {
		double d = strtod(v, NULL);
		/* Truncate toward zero and saturate, as SQLite converts. */
		if (isnan(d))
			return 0;
		if (d >= 9223372036854775807.0)
			return INT64_MAX;
		if (d <= -9223372036854775808.0)
			return INT64_MIN;
		return (int64_t)d;
	}
	return strtoll(v, NULL, 10);
}

static double pg_col_double(struct store_stmt *st, int i)
{
	struct pg_stmt *ps = st->h;
	const char *v = pg_value(ps, i);
	if (!v)
		return 0.0;
	if (PQftype(ps->res, i) == PG_BOOLOID)
		return v[0] == 't' ? 1.0 : 0.0;
	return strtod(v, NULL);
}

static const char *pg_col_text(struct store_stmt *st, int i)
{
	struct pg_stmt *ps = st->h;
	const char *v = pg_value(ps, i);
	if (v && PQftype(ps->res, i) == PG_BYTEAOID) {
		size_t n;
		return (const char *)pg_bytea(ps, i, &n); /* the bytes, as SQLite */
	}
	return v;
}

static const void *pg_col_blob(struct store_stmt *st, int i, size_t *len)
{
	struct pg_stmt *ps = st->h;
	const char *v = pg_value(ps, i);
	*len = 0;
	if (!v)
		return NULL;
	if (PQftype(ps->res, i) == PG_BYTEAOID)
		return pg_bytea(ps, i, len);
	*len = (size_t)PQgetlength(ps->res, ps->row, i);
	return v;
}

/* The result that describes the columns: the current run's, else the
 * prepared statement's description (one round trip, then kept). */
static const PGresult *pg_shape(struct store_stmt *st)
{
	struct pg_stmt *ps = st->h;
	if (ps->res)
		return ps->res;
	if (!ps->desc) {
		struct pg_conn *pc = st->conn->h;
		PGresult *r = PQdescribePrepared(pc->pg, ps->name);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_fail(st->conn, r, "describe");
			PQclear(r);
			return NULL;
		}
		ps->desc = r;
	}
	return ps->desc;
}

static int pg_col_count(struct store_stmt *st)
{
	const PGresult *r = pg_shape(st);
	return r ? PQnfields(r) : 0;
}

static const char *pg_col_name(struct store_stmt *st, int i)
{
	const PGresult *r = pg_shape(st);
	return r && i >= 0 && i < PQnfields(r) ? PQfname(r, i) : NULL;
}

/* 1 if a numeric's text is an integer. */
static int is_integral(const char *v)
{
	if (*v == '-' || *v == '+')
		v++;
	if (!*v)
		return 0;
	for (; *v; v++)
		if (*v < '0' || *v > '9')
			return 0;
	return 1;
}

static enum store_type pg_col_type(struct store_stmt *st, int i)
{
	struct pg_stmt *ps = st->h;
	const char *v = pg_value(ps, i);
	if (!v)
		return STORE_NULL;
	switch (PQftype(ps->res, i)) {
	case PG_BOOLOID:
	case PG_INT2OID:
	case PG_INT4OID:
	case PG_INT8OID:
	case PG_OIDOID: return STORE_INT;
	case PG_FLOAT4OID:
	case PG_FLOAT8OID: return STORE_DOUBLE;
	case PG_NUMERICOID: return is_integral(v) && strlen(v) < 19 ? STORE_INT : STORE_DOUBLE;
	case PG_BYTEAOID: return STORE_BLOB;
	default: return STORE_TEXT;
	}
}

static void pg_reset(struct store_stmt *st)
{
	struct pg_stmt *ps = st->h;
	pg_clear_result(ps);
	pg_clear_params(ps);
	st->err = ERR_OK;
}

const struct store_ops store_pg_ops = {
    .conn_open = pg_conn_open,
    .conn_close = pg_conn_close,
    .conn_alive = pg_conn_alive,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_isnull = pg_col_isnull,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .col_type = pg_col_type,
    .reset = pg_reset,
};
