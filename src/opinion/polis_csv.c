/* Polis export CSVs: reading (libcsv, fed one physical line at a time so
 * that errors can name the line) and writing. */
#include "opinion/polis.h"

#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xalloc.h"
#include "opinion/idmap.h"

struct polis_csv;
/* Called for each record; returns 0, or -1 after writing msg. */
typedef int (*polis_csv_row_fn)(struct polis_csv *c);

struct polis_csv {
	struct buf fields; /* the record's fields, each NUL-terminated */
	size_t *off;       /* start of each field in `fields` */
	size_t *len;       /* length of each field */
	size_t nf;
	size_t cap;
	size_t line;     /* physical line being fed */
	size_t rec_line; /* line where the current record started */
	size_t nrec;     /* records seen, the header included */
	int failed;
	polis_csv_row_fn row;
	void *ctx;
	const char *name;
	struct buf *msg;
};

static void polis_csv_field(void *s, size_t n, void *data)
{
	struct polis_csv *c = data;
	if (c->nf == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->off = xreallocarray(c->off, c->cap, sizeof *c->off);
		c->len = xreallocarray(c->len, c->cap, sizeof *c->len);
	}
	c->off[c->nf] = c->fields.len;
	c->len[c->nf] = n;
	c->nf++;
	buf_append(&c->fields, s, n);
	buf_putc(&c->fields, '\0');
}

static void polis_csv_record(int term, void *data)
{
	(void)term;
	struct polis_csv *c = data;
	if (!c->failed && c->row(c) != 0)
		c->failed = 1;
	c->nrec++;
	c->nf = 0;
	buf_reset(&c->fields);
}

static const char *polis_csv_str(const struct polis_csv *c, size_t i)
{
	return c->fields.data + c->off[i];
}

static void polis_csv_fail(struct polis_csv *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void polis_csv_fail(struct polis_csv *c, const char *fmt, ...)
{
	char s[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	buf_printf(c->msg, "%s:%zu: %s", c->name, c->rec_line, s);
}

/* Parses text record by record, calling row for each (the first is the
 * header). */
static enum err polis_csv_parse(const char *text, size_t len, const char *name, struct buf *msg,
                                polis_csv_row_fn row, void *ctx)
{
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return ERR_NOMEM;
	struct polis_csv c = {.row = row, .ctx = ctx, .name = name, .msg = msg, .line = 1};
	buf_init(&c.fields);
	size_t pos = 0;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	int quoted = 0;
	enum err e = ERR_OK;
	while (pos < len && !c.failed) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		if (!quoted && c.nf == 0)
			c.rec_line = c.line;
		for (size_t i = pos; i < end; i++)
			quoted ^= text[i] == '"';
		if (csv_parse(&p, text + pos, end - pos, polis_csv_field, polis_csv_record, &c) !=
		    end - pos) {
			c.rec_line = c.line;
			buf_printf(msg, "%s:%zu: malformed CSV (%s)", name, c.line,
			           csv_strerror(csv_error(&p)));
			e = ERR_INVAL;
			break;
		}
		pos = end;
		c.line++;
	}
	if (e == ERR_OK && !c.failed && csv_fini(&p, polis_csv_field, polis_csv_record, &c) != 0) {
		buf_printf(msg, "%s:%zu: malformed CSV (unterminated quoted field)", name,
		           c.rec_line);
		e = ERR_INVAL;
	}
	if (e == ERR_OK && c.failed)
		e = ERR_INVAL;
	if (e == ERR_OK && c.nrec == 0) {
		buf_printf(msg, "%s:1: empty file (no header)", name);
		e = ERR_INVAL;
	}
	csv_free(&p);
	buf_clear(&c.fields);
	free(c.off);
	free(c.len);
	return e;
}

/* Index of the header field named `want` (or `alt`), or -1. */
static long polis_csv_column(const struct polis_csv *c, const char *want, const char *alt)
{
	for (size_t i = 0; i < c->nf; i++) {
		const char *f = polis_csv_str(c, i);
		if (strcmp(f, want) == 0 || (alt && strcmp(f, alt) == 0))
			return (long)i;
	}
	return -1;
}

static int polis_csv_need(struct polis_csv *c, long col, const char *name)
{
	if (col >= 0)
		return 0;
	polis_csv_fail(c, "missing column '%s'", name);
	return -1;
}

/* Field `col` of the record as an integer in [lo, hi]; blank gives dflt if
 * blank_ok. */
static int polis_csv_int(struct polis_csv *c, long col, const char *what, int64_t lo, int64_t hi,
                         int blank_ok, int64_t dflt, int64_t *out)
{
	if (col < 0 || (size_t)col >= c->nf) {
		if (blank_ok && col < 0) {
			*out = dflt;
			return 0;
		}
		polis_csv_fail(c, "missing field '%s' (only %zu fields)", what, c->nf);
		return -1;
	}
	const char *s = polis_csv_str(c, (size_t)col);
	size_t n = c->len[col];
	if (n == 0 && blank_ok) {
		*out = dflt;
		return 0;
	}
	if (polis_parse_int(s, n, lo, hi, out) == 0)
		return 0;
	polis_csv_fail(c, "bad %s '%.40s'%s", what, s,
	               lo == -1 && hi == 1 ? " (expected -1, 0 or 1)" : "");
	return -1;
}

/* ---- votes.csv ---- */

struct polis_votes_ctx {
	struct polis_data *d;
	long time, tid, pid, vote;
};

static int polis_votes_row(struct polis_csv *c)
{
	struct polis_votes_ctx *x = c->ctx;
	if (c->nrec == 0) {
		x->time = polis_csv_column(c, "timestamp", NULL);
		x->tid = polis_csv_column(c, "comment-id", NULL);
		x->pid = polis_csv_column(c, "voter-id", NULL);
		x->vote = polis_csv_column(c, "vote", NULL);
		if (polis_csv_need(c, x->tid, "comment-id") ||
		    polis_csv_need(c, x->pid, "voter-id") || polis_csv_need(c, x->vote, "vote"))
			return -1;
		return 0;
	}
	int64_t t, tid, pid, v;
	if (polis_csv_int(c, x->time, "timestamp", 0, INT64_MAX / 2, 1, 0, &t) ||
	    polis_csv_int(c, x->tid, "comment-id", INT32_MIN, INT32_MAX, 0, 0, &tid) ||
	    polis_csv_int(c, x->pid, "voter-id", INT32_MIN, INT32_MAX, 0, 0, &pid) ||
	    polis_csv_int(c, x->vote, "vote", -1, 1, 0, 0, &v))
		return -1;
	polis_add_vote(x->d, t, (int32_t)pid, (int32_t)tid, (int)v);
	return 0;
}

enum err polis_read_votes_csv(struct polis_data *d, const char *text, size_t len, const char *name,
                              struct buf *msg)
{
	struct polis_votes_ctx x = {.d = d};
	return polis_csv_parse(text, len, name, msg, polis_votes_row, &x);
}

/* ---- comments.csv ---- */

struct polis_comments_ctx {
	struct polis_data *d;
	struct idmap seen;
	long time, tid, author, mod, meta, body;
};

static int polis_bool(const char *s, int *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "t") || !strcmp(s, "1") || !strcmp(s, "True"))
		*out = 1;
	else if (!strcmp(s, "false") || !strcmp(s, "f") || !strcmp(s, "0") || !strcmp(s, "") ||
	         !strcmp(s, "False"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int polis_comments_row(struct polis_csv *c)
{
	struct polis_comments_ctx *x = c->ctx;
	if (c->nrec == 0) {
		x->time = polis_csv_column(c, "timestamp", NULL);
		x->tid = polis_csv_column(c, "comment-id", NULL);
		x->author = polis_csv_column(c, "author-id", NULL);
		x->mod = polis_csv_column(c, "moderated", NULL);
		x->meta = polis_csv_column(c, "is-meta", "is_meta");
		x->body = polis_csv_column(c, "comment-body", NULL);
		return polis_csv_need(c, x->tid, "comment-id");
	}
	int64_t t, tid, author, mod;
	if (polis_csv_int(c, x->time, "timestamp", 0, INT64_MAX / 2, 1, 0, &t) ||
	    polis_csv_int(c, x->tid, "comment-id", INT32_MIN, INT32_MAX, 0, 0, &tid) ||
	    polis_csv_int(c, x->author, "author-id", INT32_MIN, INT32_MAX, 1, -1, &author) ||
	    polis_csv_int(c, x->mod, "moderated", -1, 1, 1, 0, &mod))
		return -1;
	int meta = 0;
	if (x->meta >= 0 && (size_t)x->meta < c->nf &&
	    polis_bool(polis_csv_str(c, (size_t)x->meta), &meta)) {
		polis_csv_fail(c, "bad is-meta '%.40s'", polis_csv_str(c, (size_t)x->meta));
		return -1;
	}
	int added;
	idmap_put(&x->seen, (int32_t)tid, &added);
	if (!added) {
		polis_csv_fail(c, "comment-id %lld appears twice", (long long)tid);
		return -1;
	}
	struct polis_comment cm = {
	    .tid = (int32_t)tid,
	    .author = (int32_t)author,
	    .created = t,
	    .mod = (int)mod,
	    .is_meta = meta,
	    .text = x->body >= 0 && (size_t)x->body < c->nf
	                ? xstrdup(polis_csv_str(c, (size_t)x->body))
	                : NULL,
	};
	polis_add_comment(x->d, &cm);
	return 0;
}

enum err polis_read_comments_csv(struct polis_data *d, const char *text, size_t len,
                                 const char *name, struct buf *msg)
{
	struct polis_comments_ctx x = {.d = d};
	idmap_init(&x.seen, 1, 0, 256);
	for (size_t i = 0; i < d->ncomments; i++)
		idmap_put(&x.seen, d->comments[i].tid, NULL);
	enum err e = polis_csv_parse(text, len, name, msg, polis_comments_row, &x);
	idmap_clear(&x.seen);
	return e;
}

/* ---- participants-votes.csv ---- */

struct polis_pv_ctx {
	struct polis_data *d;
	long pid;
	size_t ncols;
	size_t *col;  /* field index of each statement column */
	int32_t *tid; /* its statement id */
};

static int polis_pv_row(struct polis_csv *c)
{
	struct polis_pv_ctx *x = c->ctx;
	if (c->nrec == 0) {
		x->pid = polis_csv_column(c, "participant", NULL);
		if (polis_csv_need(c, x->pid, "participant"))
			return -1;
		x->col = xmalloc((c->nf + 1) * sizeof *x->col);
		x->tid = xmalloc((c->nf + 1) * sizeof *x->tid);
		for (size_t i = 0; i < c->nf; i++) {
			int64_t t;
			if (polis_parse_int(polis_csv_str(c, i), c->len[i], INT32_MIN, INT32_MAX,
			                    &t))
				continue; /* participant, group-id, n-votes, ... */
			x->col[x->ncols] = i;
			x->tid[x->ncols++] = (int32_t)t;
		}
		return 0;
	}
	int64_t pid, v;
	if (polis_csv_int(c, x->pid, "participant", INT32_MIN, INT32_MAX, 0, 0, &pid))
		return -1;
	for (size_t j = 0; j < x->ncols; j++) {
		if (x->col[j] >= c->nf || c->len[x->col[j]] == 0)
			continue;
		if (polis_csv_int(c, (long)x->col[j], "vote", -1, 1, 0, 0, &v))
			return -1;
		polis_add_vote(x->d, 0, (int32_t)pid, x->tid[j], (int)v);
	}
	return 0;
}

enum err polis_read_participants_votes_csv(struct polis_data *d, const char *text, size_t len,
                                           const char *name, struct buf *msg)
{
	struct polis_pv_ctx x = {.d = d};
	enum err e = polis_csv_parse(text, len, name, msg, polis_pv_row, &x);
	free(x.col);
	free(x.tid);
	return e;
}

/* ---- writers ---- */

/* Appends s as one CSV field, quoted when it needs to be. */
static void polis_csv_put(struct buf *b, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && s[0] != '\t' &&
	    (!*s || (s[strlen(s) - 1] != ' ' && s[strlen(s) - 1] != '\t'))) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* Appends "timestamp,datetime," (both blank if the time is unknown); the
 * date is rendered in UTC like Java's Date.toString. */
static void polis_csv_time(struct buf *b, int64_t ms)
{
	if (!ms) {
		buf_puts(b, ",,");
		return;
	}
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char s[64] = "";
	if (gmtime_r(&t, &tm))
		strftime(s, sizeof s, "%a %b %d %H:%M:%S UTC %Y", &tm);
	buf_printf(b, "%lld,%s,", (long long)ms, s);
}

struct polis_ord {
	int64_t key;
	size_t i;
};

static int polis_ord_cmp(const void *a, const void *b)
{
	const struct polis_ord *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void polis_write_votes_csv(struct buf *b, const struct polis_data *d)
{
	struct polis_ord *o = xmalloc((d->nvotes + 1) * sizeof *o);
	for (size_t i = 0; i < d->nvotes; i++) {
		o[i].key = d->votes[i].time;
		o[i].i = i;
	}
	qsort(o, d->nvotes, sizeof *o, polis_ord_cmp);
	buf_puts(b, "timestamp,datetime,comment-id,voter-id,vote\n");
	for (size_t k = 0; k < d->nvotes; k++) {
		const struct matrix_vote *v = &d->votes[o[k].i];
		polis_csv_time(b, v->time);
		buf_printf(b, "%d,%d,%d\n", (int)v->tid, (int)v->pid, -(int)v->vote);
	}
	free(o);
}

void polis_write_comments_csv(struct buf *b, const struct polis_data *d, const struct opinion *o)
{
	struct polis_ord *ord = xmalloc((d->ncomments + 1) * sizeof *ord);
	for (size_t i = 0; i < d->ncomments; i++) {
		ord[i].key = d->comments[i].tid;
		ord[i].i = i;
	}
	qsort(ord, d->ncomments, sizeof *ord, polis_ord_cmp);
	buf_puts(b, "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,is-meta,"
	            "comment-body\n");
	for (size_t k = 0; k < d->ncomments; k++) {
		const struct polis_comment *c = &d->comments[ord[k].i];
		long col = matrix_col(&o->m, c->tid);
		unsigned agrees = col < 0 ? 0 : o->t.all[3 * col + TALLY_A];
		unsigned disagrees = col < 0 ? 0 : o->t.all[3 * col + TALLY_D];
		polis_csv_time(b, c->created);
		buf_printf(b, "%d,", (int)c->tid);
		if (c->author >= 0)
			buf_printf(b, "%d", (int)c->author);
		buf_printf(b, ",%u,%u,%d,%s,", agrees, disagrees, c->mod,
		           c->is_meta ? "true" : "false");
		polis_csv_put(b, c->text);
		buf_putc(b, '\n');
	}
	free(ord);
}

void polis_write_participants_votes_csv(struct buf *b, const struct polis_data *d,
                                        const struct opinion *o)
{
	const struct matrix *m = &o->m;
	/* statements authored per participant row */
	uint32_t *authored = xcalloc(m->nrows + 1, sizeof *authored);
	for (size_t i = 0; i < d->ncomments; i++) {
		long r = d->comments[i].author >= 0 ? matrix_row(m, d->comments[i].author) : -1;
		if (r >= 0)
			authored[r]++;
	}
	buf_puts(b, "participant,group-id,n-comments,n-votes,n-agree,n-disagree");
	for (size_t c = 0; c < m->ncols; c++)
		if (!m->modout[c])
			buf_printf(b, ",%d", (int)m->tids[c]);
	buf_putc(b, '\n');
	struct polis_ord *ord = xmalloc((m->nrows + 1) * sizeof *ord);
	for (size_t r = 0; r < m->nrows; r++) {
		ord[r].key = m->pids[r];
		ord[r].i = r;
	}
	qsort(ord, m->nrows, sizeof *ord, polis_ord_cmp);
	int8_t *row = xmalloc(m->ncols + 1);
	for (size_t k = 0; k < m->nrows; k++) {
		size_t r = ord[k].i;
		unsigned agree = 0, disagree = 0;
		memset(row, 2, m->ncols + 1); /* 2 = no vote */
		for (size_t i = m->rowptr[r]; i < m->rowptr[r + 1]; i++) {
			row[m->cols[i]] = m->vals[i];
			agree += m->vals[i] < 0;
			disagree += m->vals[i] > 0;
		}
		buf_printf(b, "%d,", (int)m->pids[r]);
		if (o->cl.row_group && o->cl.row_group[r] >= 0)
			buf_printf(b, "%d", (int)o->cl.group_id[o->cl.row_group[r]]);
		buf_printf(b, ",%u,%zu,%u,%u", authored[r], matrix_row_votes(m, r), agree,
		           disagree);
		for (size_t c = 0; c < m->ncols; c++) {
			if (m->modout[c])
				continue;
			if (row[c] == 2)
				buf_putc(b, ',');
			else
				buf_printf(b, ",%d", -(int)row[c]);
		}
		buf_putc(b, '\n');
	}
	free(row);
	free(ord);
	free(authored);
}

void polis_write_summary_csv(struct buf *b, const struct polis_data *d, const struct opinion *o)
{
	struct idmap authors;
	idmap_init(&authors, 1, 0, 64);
	for (size_t i = 0; i < d->ncomments; i++)
		if (d->comments[i].author >= 0)
			idmap_put(&authors, d->comments[i].author, NULL);
	buf_printf(b,
	           "topic,\nurl,\nviews,\nvoters,%zu\nvoters-in-conv,%zu\ncommenters,%zu\n"
	           "comments,%zu\ngroups,%zu\nconversation-description,\n",
	           o->m.nrows, o->ninconv, authors.n, d->ncomments, o->cl.ngroups);
	idmap_clear(&authors);
}
