/* consult_math.c - a consultation's math: loading it, running the opinion
 * pipeline, storing the blob and the summary, Polis import and export, and
 * the background worker. */
#include "domain/consult_math.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "domain/consultation.h"
#include "stats/suppress.h"

#define CONSULT_PAGE 20000 /* votes read per query */

/* Participants' community descriptions, sorted by pid. */
struct consult_comm {
	size_t n;
	int64_t *pid;
	char **name;
};

static void consult_comm_clear(struct consult_comm *cm)
{
	for (size_t i = 0; i < cm->n; i++)
		free(cm->name[i]);
	free(cm->pid);
	free(cm->name);
	memset(cm, 0, sizeof *cm);
}

static const char *consult_comm_of(const struct consult_comm *cm, int64_t pid)
{
	size_t lo = 0, hi = cm->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cm->pid[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cm->n && cm->pid[lo] == pid ? cm->name[lo] : NULL;
}

static double consult_ms_since(uint64_t t0)
{
	return (double)(clock_mono_ns() - t0) / 1e6;
}

static enum err consult_load_version(struct store_conn *c, int64_t id, int64_t *version)
{
	static const char sql[] = "SELECT version FROM consultations WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (r == STORE_ROW && version)
		*version = store_col_int(st, 0);
	store_reset(st);
	return e;
}

static enum err consult_load_statements(struct store_conn *c, int64_t id, struct polis_data *d)
{
	static const char sql[] = "SELECT tid, text, author_pid, created_at, mod, is_meta "
	                          "FROM consult_statements WHERE consultation_id = ? ORDER BY tid";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW) {
		struct polis_comment cm = {
		    .tid = (int32_t)store_col_int(st, 0),
		    .text = xstrdup(store_col_text(st, 1)),
		    .author = store_col_isnull(st, 2) ? -1 : (int32_t)store_col_int(st, 2),
		    .created = store_col_int(st, 3),
		    .mod = (int)store_col_int(st, 4),
		    .is_meta = store_col_int(st, 5) != 0,
		};
		polis_add_comment(d, &cm);
	}
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	return e;
}

static enum err consult_load_votes(struct store_conn *c, int64_t id, struct polis_data *d)
{
	/* Keyset pages over the primary key: PostgreSQL fetches a result
	 * whole, so never ask for millions of rows at once. */
	static const char sql[] = "SELECT pid, tid, vote, voted_at FROM consult_votes "
	                          "WHERE consultation_id = ? AND (pid, tid) > (?, ?) "
	                          "ORDER BY pid, tid LIMIT 20000";
	int64_t last_pid = -1, last_tid = -1;
	for (;;) {
		struct store_stmt *st = store_prepare(c, sql);
		if (!st)
			return ERR_STORE;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, last_pid);
		store_bind_int(st, 3, last_tid);
		size_t got = 0;
		enum store_step r;
		while ((r = store_step(st)) == STORE_ROW) {
			last_pid = store_col_int(st, 0);
			last_tid = store_col_int(st, 1);
			polis_add_vote(d, store_col_int(st, 3), (int32_t)last_pid,
			               (int32_t)last_tid, (int)store_col_int(st, 2));
			got++;
		}
		enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
		store_reset(st);
		if (e)
			return e;
		if (got < CONSULT_PAGE)
			return ERR_OK;
	}
}

static enum err consult_load_communities(struct store_conn *c, int64_t id, struct consult_comm *cm)
{
	static const char sql[] = "SELECT pid, community FROM consult_participants WHERE "
	                          "consultation_id = ? AND community IS NOT NULL ORDER BY pid";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	size_t cap = 0;
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW) {
		if (cm->n == cap) {
			cap = cap ? cap * 2 : 64;
			cm->pid = xreallocarray(cm->pid, cap, sizeof *cm->pid);
			cm->name = xreallocarray(cm->name, cap, sizeof *cm->name);
		}
		cm->pid[cm->n] = store_col_int(st, 0);
		cm->name[cm->n] = xstrdup(store_col_text(st, 1));
		cm->n++;
	}
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	return e;
}

/* Everything the math needs, in one snapshot. cm may be NULL. */
static enum err consult_load_all(struct store_conn *c, int64_t id, struct polis_data *d,
                                 int64_t *version, struct consult_comm *cm)
{
	enum err e = store_begin_read(c);
	if (e)
		return e;
	e = consult_load_version(c, id, version);
	if (!e)
		e = consult_load_statements(c, id, d);
	if (!e)
		e = consult_load_votes(c, id, d);
	if (!e && cm)
		e = consult_load_communities(c, id, cm);
	if (e) {
		store_rollback(c);
		return e;
	}
	return store_commit(c);
}

enum err consult_load(struct store_conn *c, int64_t id, struct polis_data *d, int64_t *version)
{
	return consult_load_all(c, id, d, version, NULL);
}

enum err consult_math_run(const struct polis_data *d, struct opinion *o)
{
	struct opinion_opts opts = {.replay = d->timed};
	struct opinion_statement *st = polis_statements(d);
	size_t bad = 0;
	enum err e = opinion_run(o, d->votes, d->nvotes, st, d->ncomments, &opts, &bad);
	free(st);
	return e;
}

/* --- the summary ------------------------------------------------------------ */

static const char *consult_text_of(const struct polis_data *d, int32_t tid)
{
	/* Statements are loaded in tid order: binary search. */
	size_t lo = 0, hi = d->ncomments;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->comments[mid].tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < d->ncomments && d->comments[lo].tid == tid && d->comments[lo].text)
		return d->comments[lo].text;
	for (size_t i = 0; i < d->ncomments; i++) /* imported data may be unsorted */
		if (d->comments[i].tid == tid && d->comments[i].text)
			return d->comments[i].text;
	return "";
}

static json_t *consult_label(size_t g)
{
	char s[24];
	if (g < 26)
		snprintf(s, sizeof s, "%c", (char)('A' + g));
	else
		snprintf(s, sizeof s, "G%zu", g + 1);
	return json_string(s);
}

static json_t *consult_round(double v)
{
	return json_real(round(v * 1e4) / 1e4);
}

static json_t *consult_item(const struct polis_data *d, int32_t tid, uint32_t succ, uint32_t n)
{
	return json_pack("{s:i, s:s, s:i, s:i, s:i}", "tid", (int)tid, "text",
	                 consult_text_of(d, tid), "percent", n ? (int)lround(100.0 * succ / n) : 0,
	                 "n_success", (int)succ, "n_trials", (int)n);
}

static json_t *consult_groups_json(const struct polis_data *d, const struct opinion *o)
{
	json_t *groups = json_array();
	for (size_t g = 0; g < o->cl.ngroups; g++) {
		json_t *rep = json_array();
		for (size_t k = 0; g < o->rep.ngroups && k < o->rep.count[g]; k++) {
			const struct repness_item *it = &o->rep.items[g * REPNESS_MAX + k];
			json_t *j = consult_item(d, it->tid, it->n_success, it->n_trials);
			json_object_set_new(j, "repful",
			                    json_string(it->agree ? "agree" : "disagree"));
			json_array_append_new(rep, j);
		}
		json_array_append_new(
		    groups, json_pack("{s:i, s:o, s:I, s:o}", "id", (int)o->cl.group_id[g], "label",
		                      consult_label(g), "size", (json_int_t)o->cl.group_size[g],
		                      "repness", rep));
	}
	return groups;
}

static json_t *consult_consensus_json(const struct polis_data *d, const struct opinion *o)
{
	json_t *agree = json_array(), *disagree = json_array();
	for (size_t i = 0; i < o->cons.nagree; i++) {
		const struct consensus_item *it = &o->cons.agree[i];
		json_array_append_new(agree, consult_item(d, it->tid, it->n_success, it->n_trials));
	}
	for (size_t i = 0; i < o->cons.ndisagree; i++) {
		const struct consensus_item *it = &o->cons.disagree[i];
		json_array_append_new(disagree,
		                      consult_item(d, it->tid, it->n_success, it->n_trials));
	}
	return json_pack("{s:o, s:o}", "agree", agree, "disagree", disagree);
}

static json_t *consult_map_json(const struct opinion *o)
{
	json_t *points = json_array(), *groups = json_array();
	const struct cluster *cl = &o->cl;
	for (size_t b = 0; b < cl->nbase; b++) {
		json_t *p = json_pack("{s:o, s:o, s:I}", "x", consult_round(cl->base_xy[2 * b]),
		                      "y", consult_round(cl->base_xy[2 * b + 1]), "n",
		                      (json_int_t)(cl->base_off[b + 1] - cl->base_off[b]));
		json_object_set_new(
		    p, "g", cl->ngroups ? json_integer(cl->base_group[b]) : json_integer(-1));
		json_array_append_new(points, p);
	}
	for (size_t g = 0; g < cl->ngroups; g++)
		json_array_append_new(groups, json_pack("{s:o, s:o, s:o}", "x",
		                                        consult_round(cl->group_xy[2 * g]), "y",
		                                        consult_round(cl->group_xy[2 * g + 1]),
		                                        "label", consult_label(g)));
	return json_pack("{s:o, s:o}", "points", points, "groups", groups);
}

/* One row of the community spread table being built. */
struct consult_row {
	char *key;  /* case-folded name */
	char *name; /* as first written */
	long *cells;
	long total;
};

static char *consult_fold(const char *s)
{
	char *k = xstrdup(s);
	for (char *p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return k;
}

/* How each self-described community spread across the groups, with counts
 * below CONSULT_SUPPRESS_BELOW suppressed (and complements, so none can be
 * worked out). Communities with fewer grouped participants than that are
 * pooled into one row, so their names are never shown either. NULL when
 * there are no groups or nobody described a community. */
static json_t *consult_communities_json(const struct opinion *o, const struct consult_comm *cm)
{
	size_t ng = o->cl.ngroups;
	if (!ng || !cm->n)
		return NULL;
	size_t nrows = 0, cap = 8;
	struct consult_row *rows = xcalloc(cap, sizeof *rows);
	long *other = xcalloc(ng, sizeof *other), *unstated = xcalloc(ng, sizeof *unstated);
	int any = 0;
	for (size_t r = 0; r < o->m.nrows; r++) {
		int32_t g = o->cl.row_group[r];
		if (g < 0)
			continue;
		const char *name = consult_comm_of(cm, o->m.pids[r]);
		if (!name) {
			unstated[g]++;
			continue;
		}
		any = 1;
		char *key = consult_fold(name);
		size_t i;
		for (i = 0; i < nrows && strcmp(rows[i].key, key); i++)
			;
		if (i == nrows) {
			if (nrows == cap) {
				rows = xreallocarray(rows, cap * 2, sizeof *rows);
				cap *= 2;
			}
			rows[i].key = key;
			rows[i].name = xstrdup(name);
			rows[i].cells = xcalloc(ng, sizeof *rows[i].cells);
			rows[i].total = 0;
			nrows++;
		} else {
			free(key);
		}
		rows[i].cells[g]++;
		rows[i].total++;
	}
	json_t *out = NULL;
	if (!any)
		goto done;
	/* Table: named rows with enough people, then "other", "not stated". */
	size_t nt = 0;
	long *ext = xcalloc((nrows + 3) * (ng + 1), sizeof *ext);
	json_t *jrows = json_array();
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].total < CONSULT_SUPPRESS_BELOW) {
			for (size_t g = 0; g < ng; g++)
				other[g] += rows[i].cells[g];
			continue;
		}
		memcpy(ext + nt * (ng + 1), rows[i].cells, ng * sizeof *ext);
		json_array_append_new(
		    jrows, json_pack("{s:s, s:s}", "name", rows[i].name, "kind", "named"));
		nt++;
	}
	long so = 0, su = 0;
	for (size_t g = 0; g < ng; g++)
		so += other[g], su += unstated[g];
	if (so) {
		memcpy(ext + nt * (ng + 1), other, ng * sizeof *ext);
		json_array_append_new(jrows, json_pack("{s:n, s:s}", "name", "kind", "other"));
		nt++;
	}
	if (su) {
		memcpy(ext + nt * (ng + 1), unstated, ng * sizeof *ext);
		json_array_append_new(jrows, json_pack("{s:n, s:s}", "name", "kind", "not_stated"));
		nt++;
	}
	/* Rows were laid out with ng + 1 columns: the margins follow. */
	enum suppress_mark *mark = xcalloc((nt + 1) * (ng + 1), sizeof *mark);
	struct suppress_opts so_opts = {.threshold = CONSULT_SUPPRESS_BELOW, .totals = 1};
	if (suppress_fill_margins(ext, nt, ng) != ERR_OK ||
	    suppress_table(ext, nt, ng, &so_opts, mark) != ERR_OK) {
		json_decref(jrows);
		free(mark);
		free(ext);
		goto done;
	}
	for (size_t i = 0; i < nt; i++) {
		json_t *row = json_array_get(jrows, i), *cells = json_array();
		for (size_t g = 0; g < ng; g++) {
			size_t k = i * (ng + 1) + g;
			json_array_append_new(cells, mark[k] ? json_null() : json_integer(ext[k]));
		}
		size_t k = i * (ng + 1) + ng;
		json_object_set_new(row, "cells", cells);
		json_object_set_new(row, "total", mark[k] ? json_null() : json_integer(ext[k]));
	}
	json_t *totals = json_array();
	for (size_t g = 0; g <= ng; g++) {
		size_t k = nt * (ng + 1) + g;
		json_array_append_new(totals, mark[k] ? json_null() : json_integer(ext[k]));
	}
	json_t *labels = json_array();
	for (size_t g = 0; g < ng; g++)
		json_array_append_new(labels, consult_label(g));
	out = json_pack("{s:o, s:o, s:o, s:i}", "groups", labels, "rows", jrows, "totals", totals,
	                "threshold", CONSULT_SUPPRESS_BELOW);
	free(mark);
	free(ext);
done:
	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].key);
		free(rows[i].name);
		free(rows[i].cells);
	}
	free(rows);
	free(other);
	free(unstated);
	return out;
}

static json_t *consult_summary(const struct polis_data *d, const struct opinion *o,
                               const struct consult_comm *cm)
{
	json_t *s = json_pack("{s:I, s:I, s:I, s:I}", "participants", (json_int_t)o->m.nrows,
	                      "in_conv", (json_int_t)o->ninconv, "votes", (json_int_t)o->m.nnz,
	                      "statements", (json_int_t)d->ncomments);
	json_object_set_new(s, "groups", consult_groups_json(d, o));
	json_object_set_new(s, "consensus", consult_consensus_json(d, o));
	json_object_set_new(s, "map", consult_map_json(o));
	json_t *comm = consult_communities_json(o, cm);
	json_object_set_new(s, "communities", comm ? comm : json_null());
	return s;
}

static json_t *consult_priorities_json(const struct opinion *o)
{
	json_t *arr = json_array();
	for (size_t c = 0; c < o->m.ncols; c++)
		json_array_append_new(arr, json_pack("[i, f]", (int)o->m.tids[c], o->prio[c]));
	return arr;
}

enum err consult_math_update(struct store_conn *c, int64_t id, struct consult_timing *t,
                             struct errinfo *ei)
{
	struct consult_timing tm = {0};
	struct polis_data d;
	polis_data_init(&d);
	struct consult_comm cm = {0};
	struct opinion o = {0};
	struct buf blob;
	buf_init(&blob);
	char *summary = NULL, *prio = NULL;
	int64_t version = 0;
	uint64_t t0 = clock_mono_ns();
	enum err e = consult_load_all(c, id, &d, &version, &cm);
	if (e) {
		err_set(ei, e, "", e == ERR_NOTFOUND ? "no such consultation" : "database error");
		goto out;
	}
	tm.load_ms = consult_ms_since(t0);
	tm.votes = d.nvotes;
	t0 = clock_mono_ns();
	if ((e = consult_math_run(&d, &o))) {
		err_set(ei, e, "", "the math failed on this data");
		goto out;
	}
	tm.math_ms = consult_ms_since(t0);
	t0 = clock_mono_ns();
	polis_write_math(&blob, &o);
	json_t *s = consult_summary(&d, &o, &cm);
	summary = json_dumps(s, JSON_COMPACT);
	json_decref(s);
	json_t *p = consult_priorities_json(&o);
	prio = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	tm.build_ms = consult_ms_since(t0);
	t0 = clock_mono_ns();
	static const char sql[] =
	    "INSERT INTO consult_results (consultation_id, version, computed_at, compute_ms, "
	    "n_votes, math, summary, priorities) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (consultation_id) DO UPDATE SET version = excluded.version, "
	    "computed_at = excluded.computed_at, compute_ms = excluded.compute_ms, "
	    "n_votes = excluded.n_votes, math = excluded.math, summary = excluded.summary, "
	    "priorities = excluded.priorities WHERE excluded.version >= consult_results.version";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		e = err_set(ei, ERR_STORE, "", "database error");
		goto out;
	}
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, version);
	store_bind_int(st, 3, clock_now());
	store_bind_double(st, 4, tm.load_ms + tm.math_ms + tm.build_ms);
	store_bind_int(st, 5, (int64_t)o.m.nnz);
	store_bind_textn(st, 6, blob.data, blob.len);
	store_bind_text(st, 7, summary);
	store_bind_text(st, 8, prio);
	if ((e = consult_run(st)))
		err_set(ei, e, "", "database error");
	tm.store_ms = consult_ms_since(t0);
	if (t)
		*t = tm;
out:
	opinion_clear(&o);
	polis_data_clear(&d);
	consult_comm_clear(&cm);
	buf_clear(&blob);
	free(summary);
	free(prio);
	return e;
}

enum err consult_results(struct store_conn *c, int64_t id, json_t **out)
{
	static const char sql[] = "SELECT r.version, r.computed_at, r.compute_ms, r.summary, "
	                          "c.version FROM consult_results r JOIN consultations c ON "
	                          "c.id = r.consultation_id WHERE r.consultation_id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (r == STORE_ROW) {
		json_t *o = json_loads(store_col_text(st, 3), 0, NULL);
		if (!o) {
			e = ERR_STORE;
		} else {
			char when[32];
			clock_format_rfc3339(store_col_int(st, 1), when);
			json_object_set_new(o, "version", json_integer(store_col_int(st, 0)));
			json_object_set_new(o, "computed_at", json_string(when));
			json_object_set_new(o, "compute_ms",
			                    consult_round(store_col_double(st, 2)));
			json_object_set_new(
			    o, "stale", json_boolean(store_col_int(st, 4) > store_col_int(st, 0)));
			*out = o;
		}
	}
	store_reset(st);
	return e;
}

static enum err consult_result_text(struct store_conn *c, const char *sql, int64_t id, char **out)
{
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (r == STORE_ROW)
		*out = xstrdup(store_col_text(st, 0));
	store_reset(st);
	return e;
}

enum err consult_math_blob(struct store_conn *c, int64_t id, char **out)
{
	static const char sql[] = "SELECT math FROM consult_results WHERE consultation_id = ?";
	return consult_result_text(c, sql, id, out);
}

enum err consult_priorities(struct store_conn *c, int64_t id, json_t **out)
{
	static const char sql[] =
	    "SELECT priorities FROM consult_results WHERE consultation_id = ?";
	char *text = NULL;
	enum err e = consult_result_text(c, sql, id, &text);
	if (e == ERR_NOTFOUND) {
		*out = json_array();
		return ERR_OK;
	}
	if (e)
		return e;
	*out = json_loads(text, 0, NULL);
	free(text);
	if (!*out)
		*out = json_array();
	return ERR_OK;
}

/* --- import and export ------------------------------------------------------ */

static int consult_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

struct consult_ord {
	int64_t time;
	size_t i;
};

static int consult_cmp_ord(const void *a, const void *b)
{
	const struct consult_ord *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static enum err consult_import_rows(struct store_conn *c, int64_t id, const struct polis_data *d,
                                    const int64_t *pids, size_t np, int64_t max_tid)
{
	static const char pins[] = "INSERT INTO consult_participants (consultation_id, pid, "
	                           "created_at) VALUES (?, ?, ?)";
	static const char sins[] =
	    "INSERT INTO consult_statements (consultation_id, tid, text, author_pid, is_seed, "
	    "is_meta, mod, created_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)";
	static const char vins[] =
	    "INSERT INTO consult_votes (consultation_id, pid, tid, vote, voted_at) "
	    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (consultation_id, pid, tid) DO UPDATE "
	    "SET vote = excluded.vote, voted_at = excluded.voted_at";
	static const char next[] = "UPDATE consultations SET next_tid = ?, next_pid = ?, "
	                           "version = version + 1 WHERE id = ?";
	enum err e = ERR_OK;
	int64_t now = clock_now();
	for (size_t i = 0; !e && i < np; i++) {
		struct store_stmt *st = store_prepare(c, pins);
		if (!st)
			return ERR_STORE;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, pids[i]);
		store_bind_int(st, 3, now);
		e = consult_run(st);
	}
	for (size_t i = 0; !e && i < d->ncomments; i++) {
		const struct polis_comment *cm = &d->comments[i];
		struct store_stmt *st = store_prepare(c, sins);
		if (!st)
			return ERR_STORE;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, cm->tid);
		store_bind_text(st, 3, cm->text ? cm->text : "");
		if (cm->author >= 0)
			store_bind_int(st, 4, cm->author);
		else
			store_bind_null(st, 4);
		store_bind_int(st, 5, cm->is_meta);
		store_bind_int(st, 6, cm->mod);
		store_bind_int(st, 7, cm->created);
		e = consult_run(st);
	}
	/* Vote events in time order, so the last one of each cell wins. */
	struct consult_ord *ord = xmalloc((d->nvotes + 1) * sizeof *ord);
	for (size_t i = 0; i < d->nvotes; i++)
		ord[i] = (struct consult_ord){d->votes[i].time, i};
	qsort(ord, d->nvotes, sizeof *ord, consult_cmp_ord);
	for (size_t k = 0; !e && k < d->nvotes; k++) {
		const struct matrix_vote *v = &d->votes[ord[k].i];
		struct store_stmt *st = store_prepare(c, vins);
		if (!st) {
			e = ERR_STORE;
			break;
		}
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, v->pid);
		store_bind_int(st, 3, v->tid);
		store_bind_int(st, 4, -v->vote); /* back to agree = +1 */
		store_bind_int(st, 5, v->time);
		e = consult_run(st);
	}
	free(ord);
	if (!e) {
		struct store_stmt *st = store_prepare(c, next);
		if (!st)
			return ERR_STORE;
		store_bind_int(st, 1, max_tid + 1);
		store_bind_int(st, 2, np ? pids[np - 1] + 1 : 0);
		store_bind_int(st, 3, id);
		e = consult_run(st);
	}
	return e;
}

enum err consult_import(struct store_conn *c, int64_t id, const struct polis_data *d,
                        struct errinfo *ei)
{
	static const char state[] = "SELECT next_tid, next_pid FROM consultations WHERE id = ?";
	struct store_stmt *st = store_prepare(c, state);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	store_bind_int(st, 1, id);
	enum store_step r = store_step(st);
	int empty = r == STORE_ROW && store_col_int(st, 0) == 0 && store_col_int(st, 1) == 0;
	store_reset(st);
	if (r != STORE_ROW)
		return err_set(ei, r == STORE_DONE ? ERR_NOTFOUND : ERR_STORE, "",
		               r == STORE_DONE ? "no such consultation" : "database error");
	if (!empty)
		return err_set(ei, ERR_CONFLICT, "",
		               "the consultation already has statements or participants; "
		               "import into a new one");
	if (!d->ncomments)
		return err_set(ei, ERR_INVAL, "comments", "the conversation has no statements");
	/* Ids: statements from the comments, participants from votes and
	 * authors; every vote must be on a known statement. */
	int64_t *tids = xmalloc((d->ncomments + 1) * sizeof *tids);
	int64_t *pids = xmalloc((d->nvotes + d->ncomments + 1) * sizeof *pids);
	size_t np = 0;
	enum err e = ERR_OK;
	for (size_t i = 0; i < d->ncomments; i++) {
		tids[i] = d->comments[i].tid;
		if (tids[i] < 0) {
			e = err_set(ei, ERR_INVAL, "comments", "statement id %lld is negative",
			            (long long)tids[i]);
			goto out;
		}
		if (d->comments[i].author >= 0)
			pids[np++] = d->comments[i].author;
	}
	qsort(tids, d->ncomments, sizeof *tids, consult_cmp_i64);
	for (size_t i = 1; i < d->ncomments; i++)
		if (tids[i] == tids[i - 1]) {
			e = err_set(ei, ERR_INVAL, "comments", "statement id %lld appears twice",
			            (long long)tids[i]);
			goto out;
		}
	for (size_t i = 0; i < d->nvotes; i++) {
		int64_t t = d->votes[i].tid;
		if (!bsearch(&t, tids, d->ncomments, sizeof *tids, consult_cmp_i64)) {
			e = err_set(ei, ERR_INVAL, "votes",
			            "a vote is on statement %lld, which the comments do not have",
			            (long long)t);
			goto out;
		}
		if (d->votes[i].pid < 0) {
			e = err_set(ei, ERR_INVAL, "votes", "participant id %d is negative",
			            (int)d->votes[i].pid);
			goto out;
		}
		pids[np++] = d->votes[i].pid;
	}
	qsort(pids, np, sizeof *pids, consult_cmp_i64);
	size_t k = 0;
	for (size_t i = 0; i < np; i++)
		if (!k || pids[k - 1] != pids[i])
			pids[k++] = pids[i];
	np = k;
	if ((e = store_begin(c))) {
		err_set(ei, e, "", "database error");
		goto out;
	}
	e = consult_import_rows(c, id, d, pids, np, tids[d->ncomments - 1]);
	if (e) {
		store_rollback(c);
		err_set(ei, e, "", "database error");
	} else if ((e = store_commit(c))) {
		err_set(ei, e, "", "database error");
	}
out:
	free(tids);
	free(pids);
	return e;
}

enum err consult_export(struct store_conn *c, int64_t id, const char *name, struct buf *out)
{
	static const char *const names[] = {"comments.csv", "votes.csv", "participants-votes.csv",
	                                    "summary.csv"};
	int which = -1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, names[i]))
			which = i;
	if (which < 0)
		return ERR_NOTFOUND;
	struct polis_data d;
	polis_data_init(&d);
	struct opinion o = {0};
	enum err e = consult_load(c, id, &d, NULL);
	if (!e)
		e = consult_math_run(&d, &o);
	if (!e) {
		switch (which) {
		case 0: polis_write_comments_csv(out, &d, &o); break;
		case 1: polis_write_votes_csv(out, &d); break;
		case 2: polis_write_participants_votes_csv(out, &d, &o); break;
		default: polis_write_summary_csv(out, &d, &o); break;
		}
	}
	opinion_clear(&o);
	polis_data_clear(&d);
	return e;
}

/* --- the background worker --------------------------------------------------- */

#define CONSULT_POLL_SECONDS 5

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running;
	int stop;
	int dirty;
	unsigned debounce_ms;
	struct store *store;
} consult_worker = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* Waits on the worker's condition until ms pass or stop; call locked. */
static void consult_wait_ms(unsigned ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&consult_worker.cv, &consult_worker.mu, &ts);
}

/* The consultations whose math is older than their data (at most 64). */
static size_t consult_stale(struct store_conn *c, int64_t *ids, size_t max)
{
	static const char sql[] =
	    "SELECT c.id FROM consultations c LEFT JOIN consult_results r ON "
	    "r.consultation_id = c.id WHERE c.version > 0 AND (r.version IS NULL OR "
	    "r.version < c.version) ORDER BY c.id LIMIT 64";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return 0;
	size_t n = 0;
	while (n < max && store_step(st) == STORE_ROW)
		ids[n++] = store_col_int(st, 0);
	store_reset(st);
	return n;
}

/* Recomputes every stale consultation; returns the milliseconds spent. */
static double consult_recompute_stale(void)
{
	struct store_conn *c = store_conn(consult_worker.store, NULL, 0);
	if (!c)
		return 0;
	uint64_t t0 = clock_mono_ns();
	int64_t ids[64];
	size_t n = consult_stale(c, ids, 64);
	for (size_t i = 0; i < n; i++) {
		struct consult_timing t;
		struct errinfo ei = {{0}, {0}};
		enum err e = consult_math_update(c, ids[i], &t, &ei);
		if (e)
			log_warn("consultation %lld: math not updated: %s", (long long)ids[i],
			         ei.msg[0] ? ei.msg : err_str(e));
		else
			log_info("consultation %lld: math updated (%zu votes, %.1f ms)",
			         (long long)ids[i], t.votes, t.load_ms + t.math_ms + t.build_ms);
	}
	return consult_ms_since(t0);
}

static void *consult_worker_main(void *arg)
{
	(void)arg;
	double spent = 0; /* ms the last round of computations took */
	pthread_mutex_lock(&consult_worker.mu);
	consult_worker.dirty = 1; /* catch up with what happened while down */
	while (!consult_worker.stop) {
		if (!consult_worker.dirty) {
			consult_wait_ms(CONSULT_POLL_SECONDS * 1000);
			if (consult_worker.stop)
				break;
		}
		if (consult_worker.dirty) {
			/* Debounce: let more votes arrive before computing, and
			 * at least 4 times as long as computing took, so that
			 * under steady voting the math uses at most a fifth of
			 * a core. */
			double wait = 4 * spent;
			if (wait < consult_worker.debounce_ms)
				wait = consult_worker.debounce_ms;
			consult_wait_ms(wait > 60000 ? 60000 : (unsigned)wait);
			if (consult_worker.stop)
				break;
		}
		consult_worker.dirty = 0;
		pthread_mutex_unlock(&consult_worker.mu);
		spent = consult_recompute_stale();
		pthread_mutex_lock(&consult_worker.mu);
	}
	pthread_mutex_unlock(&consult_worker.mu);
	store_conn_release(consult_worker.store);
	return NULL;
}

enum err consult_math_start(struct store *s, unsigned debounce_ms)
{
	pthread_mutex_lock(&consult_worker.mu);
	if (consult_worker.running) {
		pthread_mutex_unlock(&consult_worker.mu);
		return ERR_OK;
	}
	consult_worker.store = s;
	consult_worker.debounce_ms = debounce_ms;
	consult_worker.stop = 0;
	consult_worker.dirty = 0;
	int rc = pthread_create(&consult_worker.thread, NULL, consult_worker_main, NULL);
	consult_worker.running = rc == 0;
	pthread_mutex_unlock(&consult_worker.mu);
	return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

void consult_math_notify(int64_t id)
{
	(void)id; /* the worker finds every stale consultation itself */
	pthread_mutex_lock(&consult_worker.mu);
	if (consult_worker.running && !consult_worker.dirty) {
		consult_worker.dirty = 1;
		pthread_cond_signal(&consult_worker.cv);
	}
	pthread_mutex_unlock(&consult_worker.mu);
}

void consult_math_stop(void)
{
	pthread_mutex_lock(&consult_worker.mu);
	if (!consult_worker.running) {
		pthread_mutex_unlock(&consult_worker.mu);
		return;
	}
	consult_worker.stop = 1;
	pthread_cond_broadcast(&consult_worker.cv);
	pthread_mutex_unlock(&consult_worker.mu);
	pthread_join(consult_worker.thread, NULL);
	pthread_mutex_lock(&consult_worker.mu);
	consult_worker.running = 0;
	pthread_mutex_unlock(&consult_worker.mu);
}
