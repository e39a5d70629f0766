/* reportstats.c - counts of reports by category, strand, area and month,
 * over every consent level (statistics-only and erased reports included:
 * they keep these facts), with small-number suppression (stats/suppress.h)
 * so that no published figure, total included, lets a hidden one be worked
 * out.
 *
 * The database groups the reports by (category, area, month) and, for
 * strands, by (strand, category, area, month); the few thousand groups are
 * then added up here along the one or two dimensions asked for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/category.h"
#include "domain/org.h"
#include "domain/report_internal.h"
#include "domain/reportstats.h"
#include "stats/suppress.h"

static const char *const dim_names[REPORT_DIM_COUNT] = {"category", "strand", "area", "month"};

const char *report_dim_name(enum report_dim d)
{
	return (unsigned)d < REPORT_DIM_COUNT ? dim_names[d] : "unknown";
}

int report_dim_parse(const char *s)
{
	for (int i = 0; s && i < REPORT_DIM_COUNT; i++)
		if (!strcmp(s, dim_names[i]))
			return i;
	return -1;
}

/* The values of one dimension: database ids (or YYYYMM) with keys and
 * labels, in display order. */
struct axis {
	size_t n, cap;
	int64_t *id;
	char **key, **label;
};

static void axis_add(struct axis *a, int64_t id, const char *key, const char *label)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 16;
		a->id = xreallocarray(a->id, a->cap, sizeof *a->id);
		a->key = xreallocarray(a->key, a->cap, sizeof *a->key);
		a->label = xreallocarray(a->label, a->cap, sizeof *a->label);
	}
	a->id[a->n] = id;
	a->key[a->n] = xstrdup(key);
	a->label[a->n] = xstrdup(label);
	a->n++;
}

static void axis_clear(struct axis *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->key[i]);
		free(a->label[i]);
	}
	free(a->id);
	free(a->key);
	free(a->label);
	memset(a, 0, sizeof *a);
}

static long axis_find(const struct axis *a, int64_t id)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->id[i] == id)
			return (long)i;
	return -1;
}

/* One group of reports from the database. */
struct group {
	int64_t v[REPORT_DIM_COUNT]; /* category, strand (0 if none), area, month */
	long count;
};

struct groups {
	size_t n, cap;
	struct group *g;
};

static void groups_add(struct groups *gs, const struct group *g)
{
	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? 2 * gs->cap : 256;
		gs->g = xreallocarray(gs->g, gs->cap, sizeof *gs->g);
	}
	gs->g[gs->n++] = *g;
}

#define GROUP_FILTERS                                                                              \
	"WHERE (CAST(? AS BIGINT) IS NULL OR r.category_id = ?) "                                  \
	"AND (CAST(? AS BIGINT) IS NULL OR r.area_id IN (SELECT id FROM areas WHERE id = ? "       \
	"OR parent_id = ? OR parent_id IN (SELECT id FROM areas WHERE parent_id = ?))) "           \
	"AND r.occurred_month BETWEEN ? AND ? "

static enum err load_groups(struct store_conn *c, const struct report_stats_query *q,
                            int64_t category, int64_t area, int strands, struct groups *gs)
{
	static const char plain[] = "SELECT r.category_id, 0, r.area_id, r.occurred_month, "
	                            "COUNT(*) FROM reports r " GROUP_FILTERS
	                            "GROUP BY r.category_id, r.area_id, r.occurred_month";
	static const char by_strand[] =
	    "SELECT r.category_id, s.strand_id, r.area_id, r.occurred_month, COUNT(*) FROM "
	    "reports r JOIN report_strands s ON s.report_id = r.id " GROUP_FILTERS
	    "GROUP BY r.category_id, s.strand_id, r.area_id, r.occurred_month";
	struct store_stmt *st = store_prepare(c, strands ? by_strand : plain);
	if (!st)
		return ERR_STORE;
	for (int i = 1; i <= 2; i++)
		if (category)
			store_bind_int(st, i, category);
		else
			store_bind_null(st, i);
	for (int i = 3; i <= 6; i++)
		if (area)
			store_bind_int(st, i, area);
		else
			store_bind_null(st, i);
	store_bind_int(st, 7, q->from_month ? q->from_month : 0);
	store_bind_int(st, 8, q->to_month ? q->to_month : 999912);
	enum store_step s;
	while ((s = store_step(st)) == STORE_ROW) {
		struct group g;
		for (int i = 0; i < REPORT_DIM_COUNT; i++)
			g.v[i] = store_col_int(st, i);
		g.count = (long)store_col_int(st, 4);
		groups_add(gs, &g);
	}
	enum err e = s == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	return e;
}

static enum err load_axis(struct store_conn *c, enum report_dim d, const char *lang,
                          const struct groups *gs, struct axis *a)
{
	static const char cats[] = "SELECT id, code, label_en, label_fr, label_nl FROM "
	                           "report_categories ORDER BY position, code";
	static const char strands[] = "SELECT id, code, label_en, label_fr, label_nl FROM "
	                              "report_strand_types ORDER BY position";
	static const char areas[] = "SELECT id, slug, name, name, name FROM areas ORDER BY name";
	if (d == REPORT_DIM_MONTH) {
		/* Every month from the first to the last seen, gaps included. */
		int64_t lo = 0, hi = 0;
		for (size_t i = 0; i < gs->n; i++) {
			int64_t m = gs->g[i].v[REPORT_DIM_MONTH];
			if (!lo || m < lo)
				lo = m;
			if (m > hi)
				hi = m;
		}
		for (int64_t m = lo; lo && m <= hi && a->n < 1200;
		     m = m % 100 == 12 ? (m / 100 + 1) * 100 + 1 : m + 1) {
			char key[48];
			snprintf(key, sizeof key, "%04lld-%02lld", (long long)(m / 100),
			         (long long)(m % 100));
			axis_add(a, m, key, key);
		}
		return ERR_OK;
	}
	const char *sql = d == REPORT_DIM_CATEGORY ? cats
	                  : d == REPORT_DIM_STRAND ? strands
	                                           : areas;
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	enum store_step s;
	while ((s = store_step(st)) == STORE_ROW) {
		int64_t id = store_col_int(st, 0);
		/* Areas: only those with reports, or the table would list
		 * every neighbourhood of the instance. */
		int seen = d != REPORT_DIM_AREA;
		for (size_t i = 0; !seen && i < gs->n; i++)
			seen = gs->g[i].v[REPORT_DIM_AREA] == id;
		if (seen)
			axis_add(a, id, store_col_text(st, 1), report_label(st, 2, lang));
	}
	enum err e = s == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	return e;
}

static json_t *cell_json(long v, enum suppress_mark m)
{
	if (m == SUPPRESS_PRIMARY)
		return json_string("<" REPORT_STATS_THRESHOLD_TEXT);
	if (m == SUPPRESS_SECONDARY)
		return json_string("*");
	return json_integer(v);
}

static enum err resolve_filters(struct store_conn *c, const struct report_stats_query *q,
                                int64_t *category, int64_t *area, struct errinfo *ei)
{
	*category = *area = 0;
	if (q->category) {
		struct category cat;
		enum err e = category_find(c, q->category, &cat);
		if (e == ERR_NOTFOUND)
			return err_set(ei, ERR_INVAL, "category", "is not a report category");
		if (e)
			return err_set(ei, e, "", "database error");
		*category = cat.id;
	}
	if (q->area) {
		enum err e = area_find(c, q->area, area);
		if (e == ERR_NOTFOUND)
			return err_set(ei, ERR_INVAL, "area", "no area has this slug");
		if (e)
			return err_set(ei, e, "", "database error");
	}
	if (q->ndims < 1 || q->ndims > 2 || (q->ndims == 2 && q->dims[0] == q->dims[1]))
		return err_set(ei, ERR_INVAL, "by", "name one or two different dimensions");
	for (int i = 0; i < q->ndims; i++)
		if ((unsigned)q->dims[i] >= REPORT_DIM_COUNT)
			return err_set(ei, ERR_INVAL, "by",
			               "dimensions are category, strand, area and month");
	return ERR_OK;
}

enum err report_stats(struct store_conn *c, const struct report_stats_query *q, json_t **out,
                      struct errinfo *ei)
{
	int64_t category, area;
	enum err e = resolve_filters(c, q, &category, &area, ei);
	if (e)
		return e;
	int strands =
	    q->dims[0] == REPORT_DIM_STRAND || (q->ndims == 2 && q->dims[1] == REPORT_DIM_STRAND);
	struct groups gs = {0, 0, NULL};
	struct axis ax[2];
	memset(ax, 0, sizeof ax);
	long *ext = NULL;
	enum suppress_mark *mark = NULL;
	if ((e = load_groups(c, q, category, area, strands, &gs)))
		goto out;
	for (int i = 0; i < q->ndims && !e; i++)
		e = load_axis(c, (enum report_dim)q->dims[i], q->lang, &gs, &ax[i]);
	if (e)
		goto out;
	size_t rows = ax[0].n, cols = q->ndims == 2 ? ax[1].n : 1;
	if (rows == 0 || cols == 0) {
		*out =
		    json_pack("{s:[s], s:i, s:[], s:[], s:i}", "by", report_dim_name(q->dims[0]),
		              "threshold", REPORT_STATS_THRESHOLD, "columns", "rows", "total", 0);
		if (q->ndims == 2)
			json_array_append_new(json_object_get(*out, "by"),
			                      json_string(report_dim_name(q->dims[1])));
		goto out;
	}
	size_t w = cols + 1;
	ext = xcalloc((rows + 1) * w, sizeof *ext);
	mark = xcalloc((rows + 1) * w, sizeof *mark);
	for (size_t i = 0; i < gs.n; i++) {
		long r = axis_find(&ax[0], gs.g[i].v[q->dims[0]]);
		long k = q->ndims == 2 ? axis_find(&ax[1], gs.g[i].v[q->dims[1]]) : 0;
		if (r >= 0 && k >= 0)
			ext[(size_t)r * w + (size_t)k] += gs.g[i].count;
	}
	struct suppress_opts opts = {REPORT_STATS_THRESHOLD, 0, 1};
	if ((e = suppress_fill_margins(ext, rows, cols)))
		goto out;
	if (q->ndims == 2) {
		e = suppress_table(ext, rows, cols, &opts, mark);
	} else {
		long *cells = xmalloc(rows * sizeof *cells);
		enum suppress_mark *m1 = xmalloc((rows + 1) * sizeof *m1);
		for (size_t i = 0; i < rows; i++)
			cells[i] = ext[i * w];
		e = suppress_list(cells, rows, ext[rows * w + 1], &opts, m1);
		for (size_t i = 0; !e && i < rows; i++)
			mark[i * w] = mark[i * w + 1] = m1[i];
		if (!e)
			mark[rows * w + 1] = mark[rows * w] = m1[rows];
		free(cells);
		free(m1);
	}
	if (e) {
		err_set(ei, e, "", "the table could not be suppressed");
		goto out;
	}
	json_t *o = json_object();
	json_t *by = json_array();
	for (int i = 0; i < q->ndims; i++)
		json_array_append_new(by, json_string(report_dim_name(q->dims[i])));
	json_object_set_new(o, "by", by);
	json_object_set_new(o, "threshold", json_integer(REPORT_STATS_THRESHOLD));
	json_t *columns = json_array();
	for (size_t k = 0; k < cols; k++)
		json_array_append_new(
		    columns,
		    q->ndims == 2
		        ? json_pack("{s:s, s:s, s:o}", "key", ax[1].key[k], "label", ax[1].label[k],
		                    "total", cell_json(ext[rows * w + k], mark[rows * w + k]))
		        : json_pack("{s:s, s:s, s:o}", "key", "reports", "label", "Reports",
		                    "total", cell_json(ext[rows * w], mark[rows * w])));
	json_object_set_new(o, "columns", columns);
	json_t *list = json_array();
	for (size_t i = 0; i < rows; i++) {
		json_t *cells = json_array();
		for (size_t k = 0; k < cols; k++)
			json_array_append_new(cells, cell_json(ext[i * w + k], mark[i * w + k]));
		json_array_append_new(list,
		                      json_pack("{s:s, s:s, s:o, s:o}", "key", ax[0].key[i],
		                                "label", ax[0].label[i], "cells", cells, "total",
		                                cell_json(ext[i * w + cols], mark[i * w + cols])));
	}
	json_object_set_new(o, "rows", list);
	json_object_set_new(o, "total", cell_json(ext[rows * w + cols], mark[rows * w + cols]));
	*out = o;
out:
	free(ext);
	free(mark);
	free(gs.g);
	axis_clear(&ax[0]);
	axis_clear(&ax[1]);
	if (e && !ei->msg[0])
		err_set(ei, e, "", "database error");
	return e;
}
