/* workforce.c - population baselines, police workforce figures and the
 * representation ratios and years to parity that follow from them. */
#include "domain/workforce.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/csvread.h"
#include "base/xalloc.h"
#include "domain/org.h"
#include "domain/survey.h"
#include "stats/repr.h"
#include "stats/stats.h"

static enum err area_of(struct store_conn *c, const char *slug, int64_t *id, int64_t *parent)
{
	static const char sql[] = "SELECT id, COALESCE(parent_id, 0) FROM areas WHERE slug = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, slug ? slug : "");
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (r == STORE_ROW) {
		*id = store_col_int(st, 0);
		if (parent)
			*parent = store_col_int(st, 1);
	}
	store_reset(st);
	return e;
}

static enum err check_source(const char *source, struct errinfo *ei)
{
	if (!source || !*source)
		return err_set(ei, ERR_INVAL, "source", "is required (e.g. \"Census 2021\")");
	if (strlen(source) > 200 || !utf8_valid(source, strlen(source)))
		return err_set(ei, ERR_INVAL, "source", "must be valid UTF-8 of at most 200 bytes");
	return ERR_OK;
}

/* --- population ---------------------------------------------------- */

enum err population_put(struct store_conn *c, const char *area_slug, int year, const char *source,
                        int is_demo, const char *unit, json_t *margins, struct errinfo *ei)
{
	int64_t area_id = 0;
	enum err e = area_of(c, area_slug, &area_id, NULL);
	if (e)
		return err_set(ei, e, "area",
		               e == ERR_NOTFOUND ? "no area has this slug" : "database error");
	if (year < 1900 || year > 2200)
		return err_set(ei, ERR_INVAL, "year", "must be a year between 1900 and 2200");
	if ((e = check_source(source, ei)))
		return e;
	int counts = unit && !strcmp(unit, "count");
	if (unit && !counts && strcmp(unit, "share"))
		return err_set(ei, ERR_INVAL, "unit", "must be share or count");
	if (!json_is_object(margins) || json_object_size(margins) == 0)
		return err_set(ei, ERR_INVAL, "margins",
		               "must be an object of dimensions (ethnicity, religion, sex, age), "
		               "each an object of category: value");
	struct category_set *set = xmalloc(sizeof *set);
	double *val = xcalloc(TRUST_CATEGORY_MAX, sizeof *val);
	double totals[DIM_COUNT] = {0};
	int has[DIM_COUNT] = {0};
	if ((e = trust_category_load(c, set))) {
		err_set(ei, e, "", "database error");
		goto out;
	}
	const char *dname;
	json_t *dv;
	json_object_foreach(margins, dname, dv)
	{
		int d = dim_parse(dname);
		char field[96];
		snprintf(field, sizeof field, "margins.%.40s", dname);
		if (d < 0) {
			e = err_set(ei, ERR_INVAL, field,
			            "is not a dimension (ethnicity, religion, sex, age)");
			goto out;
		}
		if (!json_is_object(dv) || json_object_size(dv) == 0) {
			e = err_set(ei, ERR_INVAL, field, "must be an object of category: value");
			goto out;
		}
		const char *code;
		json_t *x;
		json_object_foreach(dv, code, x)
		{
			snprintf(field, sizeof field, "margins.%.20s.%.40s", dname, code);
			const struct trust_category *k = trust_category_find(set, (enum dim)d, code);
			if (!k) {
				e = err_set(ei, ERR_INVAL, field, "is not a category of %s", dname);
				goto out;
			}
			double v = json_number_value(x);
			if (!json_is_number(x) || !isfinite(v) || v < 0 || (!counts && v > 1)) {
				e = err_set(ei, ERR_INVAL, field,
				            counts ? "must be a number of people, >= 0"
				                   : "must be a share between 0 and 1");
				goto out;
			}
			val[k - set->c] = v;
			totals[d] += v;
		}
		has[d] = 1;
		if (totals[d] <= 0) {
			snprintf(field, sizeof field, "margins.%.40s", dname);
			e = err_set(ei, ERR_INVAL, field, "adds up to 0");
			goto out;
		}
		if (!counts && fabs(totals[d] - 1) > 0.01) {
			snprintf(field, sizeof field, "margins.%.40s", dname);
			e = err_set(ei, ERR_INVAL, field,
			            "the shares add up to %.4f, not 1 (within 0.01); include "
			            "not-stated",
			            totals[d]);
			goto out;
		}
	}
	double total = 0;
	if (counts) {
		for (int d = 0; d < DIM_COUNT; d++) {
			if (!has[d])
				continue;
			if (total > 0 && fabs(totals[d] - total) > 0.01 * total) {
				char field[64];
				snprintf(field, sizeof field, "margins.%s", dim_name((enum dim)d));
				e = err_set(ei, ERR_INVAL, field,
				            "counts %.0f people but an earlier dimension counts "
				            "%.0f: each dimension must count the whole population",
				            totals[d], total);
				goto out;
			}
			if (total == 0)
				total = totals[d];
		}
	}
	if ((e = store_begin(c))) {
		err_set(ei, e, "", "database error");
		goto out;
	}
	static const char del[] = "DELETE FROM population_baselines WHERE area_id = ? AND year = ?";
	static const char ins[] =
	    "INSERT INTO population_baselines (area_id, year, source, is_demo, total, "
	    "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
	static const char share[] =
	    "INSERT INTO population_shares (baseline_id, category_id, share) VALUES (?, ?, ?)";
	struct store_stmt *st = store_prepare(c, del);
	if (st) {
		store_bind_int(st, 1, area_id);
		store_bind_int(st, 2, year);
		e = store_run(st);
	}
	int64_t bid = 0;
	if (!e && (st = store_prepare(c, ins))) {
		store_bind_int(st, 1, area_id);
		store_bind_int(st, 2, year);
		store_bind_text(st, 3, source);
		store_bind_int(st, 4, is_demo);
		if (counts)
			store_bind_double(st, 5, total);
		else
			store_bind_null(st, 5);
		store_bind_int(st, 6, clock_now());
		if (store_step(st) == STORE_ROW)
			bid = store_col_int(st, 0);
		else
			e = store_stmt_err(st);
		store_reset(st);
	}
	for (int i = 0; !e && i < set->n; i++) {
		enum dim d = set->c[i].dim;
		if (!has[d] || val[i] <= 0)
			continue;
		if (!(st = store_prepare(c, share))) {
			e = ERR_STORE;
			break;
		}
		store_bind_int(st, 1, bid);
		store_bind_int(st, 2, set->c[i].id);
		store_bind_double(st, 3, val[i] / totals[d]);
		e = store_run(st);
	}
	if (!e)
		e = survey_cache_clear(c);
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		err_set(ei, e, "", "database error");
	}
out:
	free(set);
	free(val);
	return e;
}

/* Column index of name in a header row, or -1. */
static int col_of(const struct csv_row *h, const char *name)
{
	for (size_t i = 0; i < h->nf; i++)
		if (!strcmp(h->f[i], name))
			return (int)i;
	return -1;
}

/* Checks a CSV header against the allowed columns and the required ones. */
static enum err csv_header(const struct csv_row *h, const char *const *allowed, int nrequired,
                           struct errinfo *ei)
{
	for (size_t i = 0; i < h->nf; i++) {
		int ok = 0;
		for (int k = 0; allowed[k]; k++)
			ok |= !strcmp(h->f[i], allowed[k]);
		if (!ok)
			return err_set(ei, ERR_INVAL, *h->f[i] ? h->f[i] : "header",
			               "line 1: unknown column '%.60s'", h->f[i]);
		if (col_of(h, h->f[i]) != (int)i)
			return err_set(ei, ERR_INVAL, h->f[i], "line 1: the column appears twice");
	}
	for (int k = 0; k < nrequired; k++)
		if (col_of(h, allowed[k]) < 0)
			return err_set(ei, ERR_INVAL, allowed[k], "line 1: the column is missing");
	return ERR_OK;
}

/* A number field of a CSV row, or an error naming line and column. */
static enum err csv_number(const struct csv_row *row, int col, const char *name, int integer,
                           double *v, struct errinfo *ei)
{
	const char *s = col >= 0 && (size_t)col < row->nf ? row->f[col] : "";
	char *end;
	*v = strtod(s, &end);
	if (!*s || *end || !isfinite(*v) || *v < 0 || (integer && *v != floor(*v)))
		return err_set(ei, ERR_INVAL, name, "line %d, column %s: '%.30s' is not %s",
		               row->line, name, s,
		               integer ? "a whole number >= 0" : "a number >= 0");
	return ERR_OK;
}

enum err population_put_csv(struct store_conn *c, const char *area_slug, int year,
                            const char *source, const char *unit, const char *csv, size_t len,
                            struct errinfo *ei)
{
	struct csv_doc doc;
	char msg[200];
	enum err e = csv_read(csv, len, 10000, &doc, msg, sizeof msg);
	if (e)
		return err_set(ei, e, "csv", "%s", msg);
	static const char *const cols[] = {"dimension", "category", "value", NULL};
	json_t *m = json_object();
	if (doc.nrows == 0) {
		e = err_set(ei, ERR_INVAL, "csv", "the file is empty");
		goto out;
	}
	if ((e = csv_header(&doc.rows[0], cols, 3, ei)))
		goto out;
	int cd = col_of(&doc.rows[0], "dimension"), cc = col_of(&doc.rows[0], "category");
	int cv = col_of(&doc.rows[0], "value");
	for (size_t i = 1; i < doc.nrows; i++) {
		const struct csv_row *row = &doc.rows[i];
		if (row->nf != doc.rows[0].nf) {
			e = err_set(ei, ERR_INVAL, "csv", "line %d: has %zu fields, the header %zu",
			            row->line, row->nf, doc.rows[0].nf);
			goto out;
		}
		if (dim_parse(row->f[cd]) < 0) {
			e = err_set(
			    ei, ERR_INVAL, "dimension",
			    "line %d, column dimension: '%.30s' is not ethnicity, religion, "
			    "sex or age",
			    row->line, row->f[cd]);
			goto out;
		}
		double v;
		if ((e = csv_number(row, cv, "value", 0, &v, ei)))
			goto out;
		json_t *d = json_object_get(m, row->f[cd]);
		if (!d)
			json_object_set_new(m, row->f[cd], d = json_object());
		if (json_object_get(d, row->f[cc])) {
			e = err_set(ei, ERR_INVAL, "category",
			            "line %d, column category: '%.30s' is given twice", row->line,
			            row->f[cc]);
			goto out;
		}
		json_object_set_new(d, row->f[cc], json_real(v));
	}
	e = population_put(c, area_slug, year, source, 0, unit, m, ei);
out:
	json_decref(m);
	csv_doc_free(&doc);
	return e;
}

static enum err load_shares(struct store_conn *c, int64_t bid, const struct category_set *set,
                            struct population *p)
{
	static const char sql[] =
	    "SELECT category_id, share FROM population_shares WHERE baseline_id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, bid);
	while (store_step(st) == STORE_ROW) {
		const struct trust_category *k = trust_category_by_id(set, store_col_int(st, 0));
		if (!k)
			continue;
		p->share[k - set->c] = store_col_double(st, 1);
		p->has_dim[k->dim] = 1;
	}
	store_reset(st);
	return ERR_OK;
}

enum err population_for_area(struct store_conn *c, int64_t area_id, const struct category_set *set,
                             struct population *out)
{
	static const char sql[] =
	    "SELECT b.id, b.year, b.is_demo, a.slug, COALESCE(a.parent_id, 0) FROM areas a "
	    "LEFT JOIN population_baselines b ON b.area_id = a.id WHERE a.id = ? "
	    "ORDER BY b.year DESC LIMIT 1";
	memset(out, 0, sizeof *out);
	for (int depth = 0; area_id && depth < 16; depth++) {
		struct store_stmt *st = store_prepare(c, sql);
		if (!st)
			return ERR_STORE;
		store_bind_int(st, 1, area_id);
		int64_t next = 0;
		if (store_step(st) == STORE_ROW) {
			next = store_col_int(st, 4);
			if (!store_col_isnull(st, 0)) {
				out->found = 1;
				out->baseline_id = store_col_int(st, 0);
				out->area_id = area_id;
				out->year = (int)store_col_int(st, 1);
				out->is_demo = (int)store_col_int(st, 2);
				snprintf(out->area_slug, sizeof out->area_slug, "%s",
				         store_col_text(st, 3));
			}
		}
		store_reset(st);
		if (out->found)
			return load_shares(c, out->baseline_id, set, out);
		area_id = next;
	}
	return ERR_OK;
}

enum err population_get(struct store_conn *c, const char *area_slug, const char *lang, json_t **out)
{
	static const char sql[] =
	    "SELECT b.id, b.year, b.source, b.is_demo, b.total, a.name FROM areas a LEFT JOIN "
	    "population_baselines b ON b.area_id = a.id WHERE a.slug = ? ORDER BY b.year DESC";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, area_slug);
	json_t *list = json_array(), *o = NULL;
	int64_t ids[64];
	int n = 0;
	while (store_step(st) == STORE_ROW) {
		if (!o)
			o = json_pack("{s:{s:s, s:s}}", "area", "slug", area_slug, "name",
			              store_col_text(st, 5));
		if (store_col_isnull(st, 0) || n == 64)
			continue;
		ids[n++] = store_col_int(st, 0);
		json_t *b =
		    json_pack("{s:i, s:s, s:b}", "year", (int)store_col_int(st, 1), "source",
		              store_col_text(st, 2), "demo", (int)store_col_int(st, 3));
		json_object_set_new(b, "total",
		                    store_col_isnull(st, 4) ? json_null()
		                                            : json_real(store_col_double(st, 4)));
		json_array_append_new(list, b);
	}
	store_reset(st);
	if (!o) {
		json_decref(list);
		return ERR_NOTFOUND;
	}
	struct category_set *set = xmalloc(sizeof *set);
	enum err e = trust_category_load(c, set);
	for (int i = 0; !e && i < n; i++) {
		struct population p;
		memset(&p, 0, sizeof p);
		load_shares(c, ids[i], set, &p);
		json_t *m = json_object();
		for (int d = 0; d < DIM_COUNT; d++) {
			if (!p.has_dim[d])
				continue;
			json_t *arr = json_array();
			for (int k = 0; k < set->n; k++)
				if (set->c[k].dim == (enum dim)d && p.share[k] > 0)
					json_array_append_new(
					    arr,
					    json_pack("{s:s, s:s, s:f}", "code", set->c[k].code,
					              "label", trust_category_label(&set->c[k], lang),
					              "share", p.share[k]));
			json_object_set_new(m, dim_name((enum dim)d), arr);
		}
		json_object_set_new(json_array_get(list, (size_t)i), "margins", m);
	}
	free(set);
	json_object_set_new(o, "baselines", list);
	*out = o;
	return e;
}

/* --- workforce --------------------------------------------------------- */

struct figure {
	int cat; /* index in the category set */
	char band[48];
	long head, join, leave;
};

static enum err get_count(json_t *o, const char *name, const char *field, int required, long *v,
                          struct errinfo *ei)
{
	json_t *x = json_object_get(o, name);
	*v = 0;
	if (!x && !required)
		return ERR_OK;
	if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > 10000000)
		return err_set(ei, ERR_INVAL, field, "must be a whole number from 0 to 10000000");
	*v = (long)json_integer_value(x);
	return ERR_OK;
}

static int band_valid(const char *s)
{
	size_t n = strlen(s);
	if (n > 40 || !utf8_valid(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == '#')
			return 0;
	return 1;
}

enum err workforce_put(struct store_conn *c, int64_t org_id, int year, const char *source,
                       int is_demo, json_t *figures, struct errinfo *ei)
{
	if (year < 1900 || year > 2200)
		return err_set(ei, ERR_INVAL, "year", "must be a year between 1900 and 2200");
	enum err e = check_source(source, ei);
	if (e)
		return e;
	if (!json_is_array(figures) || json_array_size(figures) == 0 ||
	    json_array_size(figures) > 2000)
		return err_set(ei, ERR_INVAL, "figures",
		               "must be a list of 1 to 2000 {dimension, category, rank_band, "
		               "headcount, joiners, leavers}");
	struct category_set *set = xmalloc(sizeof *set);
	size_t nf = json_array_size(figures);
	struct figure *fg = xcalloc(nf, sizeof *fg);
	long tot[DIM_COUNT][3];
	int has[DIM_COUNT] = {0}, banded[DIM_COUNT] = {0}, unbanded[DIM_COUNT] = {0};
	memset(tot, 0, sizeof tot);
	if ((e = trust_category_load(c, set))) {
		err_set(ei, e, "", "database error");
		goto out;
	}
	for (size_t i = 0; i < nf; i++) {
		json_t *o = json_array_get(figures, i);
		char field[64];
		snprintf(field, sizeof field, "figures[%zu]", i);
		if (!json_is_object(o)) {
			e = err_set(ei, ERR_INVAL, field, "must be an object");
			goto out;
		}
		const char *key;
		json_t *v;
		json_object_foreach(o, key,
		                    v) if (strcmp(key, "dimension") && strcmp(key, "category") &&
		                           strcmp(key, "rank_band") && strcmp(key, "headcount") &&
		                           strcmp(key, "joiners") && strcmp(key, "leavers"))
		{
			snprintf(field, sizeof field, "figures[%zu].%.30s", i, key);
			e = err_set(ei, ERR_INVAL, field, "unknown field");
			goto out;
		}
		int d = dim_parse(json_string_value(json_object_get(o, "dimension")));
		if (d < 0) {
			snprintf(field, sizeof field, "figures[%zu].dimension", i);
			e = err_set(ei, ERR_INVAL, field,
			            "must be ethnicity, religion, sex or age");
			goto out;
		}
		const struct trust_category *k = trust_category_find(
		    set, (enum dim)d, json_string_value(json_object_get(o, "category")));
		if (!k) {
			snprintf(field, sizeof field, "figures[%zu].category", i);
			e = err_set(ei, ERR_INVAL, field, "is not a category of %s",
			            dim_name((enum dim)d));
			goto out;
		}
		fg[i].cat = (int)(k - set->c);
		json_t *band = json_object_get(o, "rank_band");
		const char *bs = json_is_string(band) ? json_string_value(band) : "";
		if ((band && !json_is_null(band) && !json_is_string(band)) || !band_valid(bs)) {
			snprintf(field, sizeof field, "figures[%zu].rank_band", i);
			e = err_set(ei, ERR_INVAL, field, "must be a short text (or empty)");
			goto out;
		}
		snprintf(fg[i].band, sizeof fg[i].band, "%s", bs);
		static const char *const names[] = {"headcount", "joiners", "leavers"};
		long val[3];
		for (int q = 0; q < 3; q++) {
			snprintf(field, sizeof field, "figures[%zu].%s", i, names[q]);
			if ((e = get_count(o, names[q], field, q == 0, &val[q], ei)))
				goto out;
		}
		fg[i].head = val[0];
		fg[i].join = val[1];
		fg[i].leave = val[2];
		if (val[1] > val[0] + val[2]) {
			snprintf(field, sizeof field, "figures[%zu].joiners", i);
			e = err_set(ei, ERR_INVAL, field,
			            "exceeds the headcount plus the leavers (the start of the year "
			            "would have fewer than no staff)");
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (fg[j].cat == fg[i].cat && !strcmp(fg[j].band, fg[i].band)) {
				snprintf(field, sizeof field, "figures[%zu]", i);
				e = err_set(ei, ERR_INVAL, field,
				            "repeats figures[%zu] (same category and rank band)",
				            j);
				goto out;
			}
		has[d] = 1;
		(*bs ? banded : unbanded)[d] = 1;
		for (int q = 0; q < 3; q++)
			tot[d][q] += val[q];
	}
	int first = -1;
	for (int d = 0; d < DIM_COUNT; d++) {
		if (!has[d])
			continue;
		if (banded[d] && unbanded[d]) {
			e = err_set(ei, ERR_INVAL, "figures",
			            "the %s rows mix rows with and without rank_band: give every "
			            "row a band, or none",
			            dim_name((enum dim)d));
			goto out;
		}
		if (first < 0) {
			first = d;
			continue;
		}
		static const char *const what[] = {"headcount", "joiners", "leavers"};
		for (int q = 0; q < 3; q++)
			if (tot[d][q] != tot[first][q]) {
				e = err_set(ei, ERR_INVAL, "figures",
				            "the %s rows add up to %ld %s but the %s rows to %ld: "
				            "every dimension must count the whole workforce (use "
				            "not-stated)",
				            dim_name((enum dim)d), tot[d][q], what[q],
				            dim_name((enum dim)first), tot[first][q]);
				goto out;
			}
	}
	if ((e = store_begin(c))) {
		err_set(ei, e, "", "database error");
		goto out;
	}
	static const char del[] = "DELETE FROM workforce_periods WHERE org_id = ? AND year = ?";
	static const char ins[] = "INSERT INTO workforce_periods (org_id, year, source, is_demo, "
	                          "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id";
	static const char fig[] =
	    "INSERT INTO workforce_figures (period_id, category_id, rank_band, headcount, "
	    "joiners, leavers) VALUES (?, ?, ?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, del);
	if (st) {
		store_bind_int(st, 1, org_id);
		store_bind_int(st, 2, year);
		e = store_run(st);
	}
	int64_t pid = 0;
	if (!e && (st = store_prepare(c, ins))) {
		store_bind_int(st, 1, org_id);
		store_bind_int(st, 2, year);
		store_bind_text(st, 3, source);
		store_bind_int(st, 4, is_demo);
		store_bind_int(st, 5, clock_now());
		if (store_step(st) == STORE_ROW)
			pid = store_col_int(st, 0);
		else
			e = store_stmt_err(st);
		store_reset(st);
	}
	for (size_t i = 0; !e && i < nf; i++) {
		if (!(st = store_prepare(c, fig))) {
			e = ERR_STORE;
			break;
		}
		store_bind_int(st, 1, pid);
		store_bind_int(st, 2, set->c[fg[i].cat].id);
		store_bind_text(st, 3, fg[i].band);
		store_bind_int(st, 4, fg[i].head);
		store_bind_int(st, 5, fg[i].join);
		store_bind_int(st, 6, fg[i].leave);
		e = store_run(st);
	}
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		err_set(ei, e, "", "database error");
	}
out:
	free(set);
	free(fg);
	return e;
}

enum err workforce_put_csv(struct store_conn *c, int64_t org_id, int year, const char *source,
                           const char *csv, size_t len, struct errinfo *ei)
{
	struct csv_doc doc;
	char msg[200];
	enum err e = csv_read(csv, len, 10000, &doc, msg, sizeof msg);
	if (e)
		return err_set(ei, e, "csv", "%s", msg);
	static const char *const cols[] = {"dimension", "category",  "headcount", "joiners",
	                                   "leavers",   "rank_band", NULL};
	json_t *figs = json_array();
	if (doc.nrows == 0) {
		e = err_set(ei, ERR_INVAL, "csv", "the file is empty");
		goto out;
	}
	const struct csv_row *h = &doc.rows[0];
	if ((e = csv_header(h, cols, 3, ei)))
		goto out;
	for (size_t i = 1; i < doc.nrows; i++) {
		const struct csv_row *row = &doc.rows[i];
		if (row->nf != h->nf) {
			e = err_set(ei, ERR_INVAL, "csv", "line %d: has %zu fields, the header %zu",
			            row->line, row->nf, h->nf);
			goto out;
		}
		json_t *o = json_pack("{s:s, s:s}", "dimension", row->f[col_of(h, "dimension")],
		                      "category", row->f[col_of(h, "category")]);
		json_array_append_new(figs, o);
		for (int q = 2; q < 5; q++) {
			int col = col_of(h, cols[q]);
			if (col < 0)
				continue;
			double v;
			if ((e = csv_number(row, col, cols[q], 1, &v, ei)))
				goto out;
			json_object_set_new(o, cols[q], json_integer((json_int_t)v));
		}
		int cb = col_of(h, "rank_band");
		if (cb >= 0)
			json_object_set_new(o, "rank_band", json_string(row->f[cb]));
	}
	e = workforce_put(c, org_id, year, source, 0, figs, ei);
	if (e && !strncmp(ei->field, "figures[", 8)) {
		/* Name the line of the file rather than the list index. */
		size_t idx = strtoul(ei->field + 8, NULL, 10);
		if (idx + 1 < doc.nrows) {
			char col[64];
			const char *dot = strchr(ei->field, '.');
			snprintf(col, sizeof col, "%s", dot ? dot + 1 : "");
			char m2[400];
			snprintf(m2, sizeof m2, "line %d%s%s: %.200s", doc.rows[idx + 1].line,
			         *col ? ", column " : "", col, ei->msg);
			err_set(ei, e, *col ? col : "csv", "%s", m2);
		}
	}
out:
	json_decref(figs);
	csv_doc_free(&doc);
	return e;
}

enum err workforce_get(struct store_conn *c, const char *org_slug, json_t **out)
{
	static const char sql[] =
	    "SELECT p.id, p.year, p.source, p.is_demo, o.name FROM orgs o LEFT JOIN "
	    "workforce_periods p ON p.org_id = o.id WHERE o.slug = ? ORDER BY p.year DESC";
	static const char figs[] =
	    "SELECT c.dimension, c.code, f.rank_band, f.headcount, f.joiners, f.leavers FROM "
	    "workforce_figures f JOIN trust_categories c ON c.id = f.category_id WHERE "
	    "f.period_id = ? ORDER BY c.dimension, c.position, f.rank_band";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, org_slug);
	json_t *o = NULL, *list = json_array();
	int64_t ids[200];
	int n = 0;
	while (store_step(st) == STORE_ROW) {
		if (!o)
			o = json_pack("{s:{s:s, s:s}}", "org", "slug", org_slug, "name",
			              store_col_text(st, 4));
		if (store_col_isnull(st, 0) || n == 200)
			continue;
		ids[n++] = store_col_int(st, 0);
		json_array_append_new(
		    list, json_pack("{s:i, s:s, s:b}", "year", (int)store_col_int(st, 1), "source",
		                    store_col_text(st, 2), "demo", (int)store_col_int(st, 3)));
	}
	store_reset(st);
	if (!o) {
		json_decref(list);
		return ERR_NOTFOUND;
	}
	for (int i = 0; i < n; i++) {
		json_t *arr = json_array();
		if (!(st = store_prepare(c, figs)))
			break;
		store_bind_int(st, 1, ids[i]);
		while (store_step(st) == STORE_ROW)
			json_array_append_new(
			    arr, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "dimension",
			                   store_col_text(st, 0), "category", store_col_text(st, 1),
			                   "rank_band", store_col_text(st, 2), "headcount",
			                   (json_int_t)store_col_int(st, 3), "joiners",
			                   (json_int_t)store_col_int(st, 4), "leavers",
			                   (json_int_t)store_col_int(st, 5)));
		store_reset(st);
		json_object_set_new(json_array_get(list, (size_t)i), "figures", arr);
	}
	json_object_set_new(o, "periods", list);
	*out = o;
	return ERR_OK;
}

/* --- representation ---------------------------------------------------- */

#define MAX_PERIODS 64

struct period {
	int64_t id;
	int year;
	long head[TRUST_CATEGORY_MAX], join[TRUST_CATEGORY_MAX], leave[TRUST_CATEGORY_MAX];
	int has_dim[DIM_COUNT];
};

static enum err load_periods(struct store_conn *c, int64_t org_id, const struct category_set *set,
                             struct period *p, int *np)
{
	static const char sql[] = "SELECT id, year FROM workforce_periods WHERE org_id = ? "
	                          "ORDER BY year";
	static const char figs[] = "SELECT category_id, SUM(headcount), SUM(joiners), "
	                           "SUM(leavers) FROM workforce_figures WHERE period_id = ? GROUP "
	                           "BY category_id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, org_id);
	*np = 0;
	while (store_step(st) == STORE_ROW && *np < MAX_PERIODS) {
		memset(&p[*np], 0, sizeof p[*np]);
		p[*np].id = store_col_int(st, 0);
		p[*np].year = (int)store_col_int(st, 1);
		(*np)++;
	}
	store_reset(st);
	for (int i = 0; i < *np; i++) {
		if (!(st = store_prepare(c, figs)))
			return ERR_STORE;
		store_bind_int(st, 1, p[i].id);
		while (store_step(st) == STORE_ROW) {
			const struct trust_category *k = trust_category_by_id(set, store_col_int(st, 0));
			if (!k)
				continue;
			size_t g = (size_t)(k - set->c);
			p[i].head[g] = (long)store_col_int(st, 1);
			p[i].join[g] = (long)store_col_int(st, 2);
			p[i].leave[g] = (long)store_col_int(st, 3);
			p[i].has_dim[k->dim] = 1;
		}
		store_reset(st);
	}
	return ERR_OK;
}

static int is_stated(const struct trust_category *k)
{
	return strcmp(k->code, TRUST_CATEGORY_NOT_STATED) != 0;
}

/* The population share of category g among the stated categories of its
 * dimension. */
static double pop_share(const struct population *pop, const struct category_set *set, int g)
{
	double s = 0;
	for (int i = 0; i < set->n; i++)
		if (set->c[i].dim == set->c[g].dim && is_stated(&set->c[i]))
			s += pop->share[i];
	return s > 0 ? pop->share[g] / s : 0;
}

static json_t *num(double x, double unit)
{
	return isfinite(x) ? json_real(round(x / unit) * unit) : json_null();
}

static json_t *ratios_json(const struct period *p, const struct population *pop,
                           const struct category_set *set, const char *lang)
{
	json_t *dims = json_object();
	for (int d = 0; d < DIM_COUNT; d++) {
		if (!p->has_dim[d])
			continue;
		long stated = 0, total = 0;
		for (int g = 0; g < set->n; g++)
			if (set->c[g].dim == (enum dim)d) {
				total += p->head[g];
				if (is_stated(&set->c[g]))
					stated += p->head[g];
			}
		json_t *groups = json_array();
		for (int g = 0; g < set->n; g++) {
			const struct trust_category *k = &set->c[g];
			if (k->dim != (enum dim)d || !is_stated(k))
				continue;
			double ps = pop->found && pop->has_dim[d] ? pop_share(pop, set, g) : 0;
			if (p->head[g] == 0 && ps <= 0)
				continue;
			char anchor[96];
			snprintf(anchor, sizeof anchor, "%d-%s-%s", p->year, dim_name((enum dim)d),
			         k->code);
			json_t *o =
			    json_pack("{s:s, s:s, s:I, s:I, s:I, s:s}", "code", k->code, "label",
			              trust_category_label(k, lang), "headcount", (json_int_t)p->head[g],
			              "joiners", (json_int_t)p->join[g], "leavers",
			              (json_int_t)p->leave[g], "anchor", anchor);
			json_object_set_new(o, "staff_share",
			                    stated ? num((double)p->head[g] / (double)stated, 1e-6)
			                           : json_null());
			json_object_set_new(o, "pop_share", ps > 0 ? num(ps, 1e-6) : json_null());
			struct repr_ratio rr;
			if (stated > 0 && ps > 0 &&
			    repr_ratio(p->head[g], stated, ps, 1.0, STATS_Z95, &rr) == ERR_OK) {
				json_object_set_new(o, "ratio", num(rr.ratio, 1e-4));
				json_object_set_new(o, "lo", num(rr.lo, 1e-4));
				json_object_set_new(o, "hi", num(rr.hi, 1e-4));
			} else {
				json_object_set_new(o, "ratio", json_null());
			}
			json_array_append_new(groups, o);
		}
		json_object_set_new(dims, dim_name((enum dim)d),
		                    json_pack("{s:I, s:I, s:o}", "headcount", (json_int_t)total,
		                              "stated", (json_int_t)stated, "groups", groups));
	}
	return dims;
}

/* The figures of one rank band of one dimension, accumulated by category. */
struct band {
	char name[48];
	long head[TRUST_CATEGORY_MAX];
	long total;
};

#define MAX_BANDS 32

/* An anchor-safe form of a band's name: lower-case letters and digits,
 * anything else as '-'. */
static void band_slug(const char *name, char *out, size_t n)
{
	size_t j = 0;
	for (const unsigned char *s = (const unsigned char *)name; *s && j + 1 < n; s++) {
		int c = *s;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		out[j++] = (char)((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-');
	}
	out[j] = '\0';
}

/* The staff of a period by rank band, per dimension that was given by band:
 * {dim: [{"band","headcount","stated","groups":[{"code","label",
 * "headcount","staff_share","ratio","lo","hi","anchor"}]}]}, bands by
 * headcount (largest first). The ratio compares the band's share with the
 * population, like the whole workforce's. */
static json_t *bands_json(struct store_conn *c, const struct period *p,
                          const struct population *pop, const struct category_set *set,
                          const char *lang)
{
	static const char sql[] = "SELECT category_id, rank_band, headcount FROM workforce_figures "
	                          "WHERE period_id = ? AND rank_band <> ''";
	json_t *dims = json_object();
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return dims;
	struct band *b = xcalloc((size_t)DIM_COUNT * MAX_BANDS, sizeof *b);
	int nb[DIM_COUNT] = {0};
	store_bind_int(st, 1, p->id);
	while (store_step(st) == STORE_ROW) {
		const struct trust_category *k = trust_category_by_id(set, store_col_int(st, 0));
		const char *name = store_col_text(st, 1);
		if (!k || !name)
			continue;
		struct band *x = &b[(size_t)k->dim * MAX_BANDS];
		int i;
		for (i = 0; i < nb[k->dim] && strcmp(x[i].name, name); i++)
			;
		if (i == nb[k->dim]) {
			if (i == MAX_BANDS)
				continue;
			snprintf(x[i].name, sizeof x[i].name, "%s", name);
			nb[k->dim]++;
		}
		long h = (long)store_col_int(st, 2);
		x[i].head[k - set->c] += h;
		x[i].total += h;
	}
	store_reset(st);
	for (int d = 0; d < DIM_COUNT; d++) {
		if (!nb[d])
			continue;
		struct band *x = &b[(size_t)d * MAX_BANDS];
		/* largest band first: in a police force, the lower ranks */
		for (int i = 1; i < nb[d]; i++)
			for (int j = i; j > 0 && (x[j].total > x[j - 1].total ||
			                          (x[j].total == x[j - 1].total &&
			                           strcmp(x[j].name, x[j - 1].name) < 0));
			     j--) {
				struct band t = x[j];
				x[j] = x[j - 1];
				x[j - 1] = t;
			}
		json_t *arr = json_array();
		for (int i = 0; i < nb[d]; i++) {
			long stated = 0;
			for (int g = 0; g < set->n; g++)
				if (set->c[g].dim == (enum dim)d && is_stated(&set->c[g]))
					stated += x[i].head[g];
			char slug[48];
			band_slug(x[i].name, slug, sizeof slug);
			json_t *groups = json_array();
			for (int g = 0; g < set->n; g++) {
				const struct trust_category *k = &set->c[g];
				if (k->dim != (enum dim)d || !is_stated(k))
					continue;
				double ps =
				    pop->found && pop->has_dim[d] ? pop_share(pop, set, g) : 0;
				if (x[i].head[g] == 0 && ps <= 0)
					continue;
				char anchor[160];
				snprintf(anchor, sizeof anchor, "band-%d-%s-%s-%s", p->year,
				         dim_name((enum dim)d), slug, k->code);
				json_t *o = json_pack("{s:s, s:s, s:I, s:s}", "code", k->code,
				                      "label", trust_category_label(k, lang), "headcount",
				                      (json_int_t)x[i].head[g], "anchor", anchor);
				json_object_set_new(
				    o, "staff_share",
				    stated ? num((double)x[i].head[g] / (double)stated, 1e-6)
				           : json_null());
				struct repr_ratio rr;
				if (stated > 0 && ps > 0 &&
				    repr_ratio(x[i].head[g], stated, ps, 1.0, STATS_Z95, &rr) ==
				        ERR_OK) {
					json_object_set_new(o, "ratio", num(rr.ratio, 1e-4));
					json_object_set_new(o, "lo", num(rr.lo, 1e-4));
					json_object_set_new(o, "hi", num(rr.hi, 1e-4));
				} else {
					json_object_set_new(o, "ratio", json_null());
				}
				json_array_append_new(groups, o);
			}
			json_array_append_new(arr, json_pack("{s:s, s:I, s:I, s:o}", "band",
			                                     x[i].name, "headcount",
			                                     (json_int_t)x[i].total, "stated",
			                                     (json_int_t)stated, "groups", groups));
		}
		json_object_set_new(dims, dim_name((enum dim)d), arr);
	}
	free(b);
	return dims;
}

static json_t *parity_json(const struct period *p, const struct population *pop,
                           const struct category_set *set, const char *lang)
{
	json_t *dims = json_object();
	for (int d = 0; d < DIM_COUNT; d++) {
		if (!p->has_dim[d] || !pop->found || !pop->has_dim[d])
			continue;
		struct repr_group grp[TRUST_CATEGORY_MAX];
		int idx[TRUST_CATEGORY_MAX], ng = 0;
		double J = 0;
		for (int g = 0; g < set->n; g++)
			if (set->c[g].dim == (enum dim)d && is_stated(&set->c[g]))
				J += (double)p->join[g];
		if (J <= 0)
			continue;
		for (int g = 0; g < set->n; g++) {
			const struct trust_category *k = &set->c[g];
			if (k->dim != (enum dim)d || !is_stated(k))
				continue;
			double ps = pop_share(pop, set, g);
			if (p->head[g] == 0 && ps <= 0 && p->join[g] == 0)
				continue;
			double start = (double)(p->head[g] - p->join[g] + p->leave[g]);
			grp[ng].headcount = (double)p->head[g];
			grp[ng].leave_rate = start > 0 ? fmin(1, (double)p->leave[g] / start) : 0;
			grp[ng].join_share = (double)p->join[g] / J;
			grp[ng].pop_share = ps;
			idx[ng++] = g;
		}
		struct repr_proj_opts opts = {
		    .joiners = J, .replace = 0, .horizon = 50, .tol = 0.005};
		struct repr_parity out[TRUST_CATEGORY_MAX];
		if (ng == 0 || repr_project(grp, (size_t)ng, &opts, out, NULL) != ERR_OK)
			continue;
		json_t *arr = json_array();
		for (int i = 0; i < ng; i++) {
			const struct trust_category *k = &set->c[idx[i]];
			if (grp[i].pop_share <= 0)
				continue;
			char anchor[96];
			snprintf(anchor, sizeof anchor, "parity-%s-%s", dim_name((enum dim)d),
			         k->code);
			json_t *o = json_pack("{s:s, s:s, s:s}", "code", k->code, "label",
			                      trust_category_label(k, lang), "anchor", anchor);
			json_object_set_new(o, "years",
			                    out[i].years >= 0 ? json_integer(out[i].years)
			                                      : json_null());
			json_object_set_new(o, "share_now", num(out[i].share_now, 1e-6));
			json_object_set_new(o, "pop_share", num(grp[i].pop_share, 1e-6));
			json_object_set_new(o, "join_share", num(grp[i].join_share, 1e-6));
			json_object_set_new(o, "leave_rate", num(grp[i].leave_rate, 1e-6));
			json_object_set_new(o, "share_limit", num(out[i].share_limit, 1e-6));
			json_array_append_new(arr, o);
		}
		json_object_set_new(dims, dim_name((enum dim)d), arr);
	}
	return json_pack("{s:i, s:i, s:f, s:o}", "year", p->year, "horizon", 50, "tolerance", 0.005,
	                 "dimensions", dims);
}

enum err workforce_representation(struct store_conn *c, const char *org_slug, const char *lang,
                                  json_t **out)
{
	int64_t org_id;
	enum err e = org_find(c, org_slug, &org_id, NULL);
	if (e)
		return e;
	struct category_set *set = xmalloc(sizeof *set);
	struct population *pop = xcalloc(1, sizeof *pop);
	struct period *p = xcalloc(MAX_PERIODS, sizeof *p);
	int np = 0;
	json_t *o = NULL;
	if ((e = trust_category_load(c, set)) || (e = load_periods(c, org_id, set, p, &np)))
		goto out;
	/* The population: the first area the organisation serves that has a
	 * baseline (or an ancestor of it). */
	static const char areas[] = "SELECT a.id FROM org_areas oa JOIN areas a ON a.id = "
	                            "oa.area_id WHERE oa.org_id = ? ORDER BY a.name";
	struct store_stmt *st = store_prepare(c, areas);
	int64_t aid[32];
	int na = 0;
	if (st) {
		store_bind_int(st, 1, org_id);
		while (store_step(st) == STORE_ROW && na < 32)
			aid[na++] = store_col_int(st, 0);
		store_reset(st);
	}
	for (int i = 0; i < na && !pop->found; i++)
		if ((e = population_for_area(c, aid[i], set, pop)))
			goto out;
	json_t *org = NULL;
	if ((e = org_get(c, org_slug, &org, NULL)))
		goto out;
	o = json_pack("{s:{s:s, s:s, s:s}}", "org", "slug", org_slug, "name",
	              json_string_value(json_object_get(org, "name")), "kind",
	              json_string_value(json_object_get(org, "kind")));
	json_decref(org);
	json_object_set_new(o, "population",
	                    pop->found ? json_pack("{s:s, s:i, s:b}", "area", pop->area_slug,
	                                           "year", pop->year, "demo", pop->is_demo)
	                               : json_null());
	json_t *periods = json_array();
	for (int i = np - 1; i >= 0; i--)
		json_array_append_new(periods,
		                      json_pack("{s:i, s:o}", "year", p[i].year, "dimensions",
		                                ratios_json(&p[i], pop, set, lang)));
	json_object_set_new(o, "periods", periods);
	json_object_set_new(o, "parity",
	                    np ? parity_json(&p[np - 1], pop, set, lang) : json_null());
	if (np)
		json_object_set_new(o, "rank_bands",
		                    json_pack("{s:i, s:o}", "year", p[np - 1].year, "dimensions",
		                              bands_json(c, &p[np - 1], pop, set, lang)));
	else
		json_object_set_new(o, "rank_bands", json_null());
out:
	free(set);
	free(pop);
	free(p);
	if (e) {
		json_decref(o);
		return e;
	}
	*out = o;
	return ERR_OK;
}

/* --- demo data ----------------------------------------------------------- */

struct share {
	const char *code;
	double v;
};

static json_t *shares_json(const struct share *s)
{
	json_t *o = json_object();
	for (; s->code; s++)
		json_object_set_new(o, s->code, json_real(s->v));
	return o;
}

static const struct share age_adult[] = {{"16-24", 0.2},  {"25-34", 0.2},  {"35-44", 0.17},
                                         {"45-54", 0.15}, {"55-64", 0.13}, {"65+", 0.15},
                                         {NULL, 0}};

struct demo_pop {
	const char *area;
	struct share eth[16], rel[12], sex[3];
};

/* Shaped like census figures, but demo data: not official statistics. */
static const struct demo_pop demo_pops[] = {
    {"leicester",
     {{"white-british", .33},
      {"white-other", .08},
      {"indian", .34},
      {"pakistani", .03},
      {"bangladeshi", .01},
      {"asian-other", .03},
      {"black-african", .05},
      {"black-caribbean", .01},
      {"mixed", .04},
      {"arab", .02},
      {"other", .03},
      {"not-stated", .03},
      {NULL, 0}},
     {{"none", .23},
      {"christian", .25},
      {"muslim", .24},
      {"hindu", .18},
      {"sikh", .045},
      {"jewish", .005},
      {"buddhist", .005},
      {"other", .01},
      {"not-stated", .035},
      {NULL, 0}},
     {{"female", .506}, {"male", .494}, {NULL, 0}}},
    {"leicestershire",
     {{"white-british", .73},
      {"white-other", .05},
      {"indian", .11},
      {"pakistani", .01},
      {"bangladeshi", .005},
      {"asian-other", .015},
      {"black-african", .02},
      {"black-caribbean", .005},
      {"mixed", .025},
      {"arab", .005},
      {"other", .01},
      {"not-stated", .015},
      {NULL, 0}},
     {{"none", .33},
      {"christian", .40},
      {"muslim", .08},
      {"hindu", .08},
      {"sikh", .03},
      {"jewish", .002},
      {"buddhist", .004},
      {"other", .009},
      {"not-stated", .065},
      {NULL, 0}},
     {{"female", .505}, {"male", .495}, {NULL, 0}}},
    {"antwerpen",
     {{"belgian", .46},
      {"moroccan", .17},
      {"turkish", .04},
      {"other-eu", .13},
      {"sub-saharan", .05},
      {"asian-other", .04},
      {"other", .08},
      {"not-stated", .03},
      {NULL, 0}},
     {{"christian", .38},
      {"none", .30},
      {"muslim", .25},
      {"jewish", .03},
      {"other", .02},
      {"not-stated", .02},
      {NULL, 0}},
     {{"female", .50}, {"male", .50}, {NULL, 0}}},
};

/* A force: its staff, joiners and leavers by group in the first year;
 * later years follow by stock and flow. */
struct demo_force {
	const char *org;
	long headcount, joiners;
	double leave_rate;
	struct share staff[3][14]; /* ethnicity, religion, sex */
	struct share join[3][14];
};

static const struct demo_force demo_forces[] = {
    {"leicestershire-police",
     3400,
     300,
     0.08,
     {{{"white-british", .84},
       {"white-other", .03},
       {"indian", .05},
       {"pakistani", .006},
       {"bangladeshi", .002},
       {"asian-other", .006},
       {"black-african", .008},
       {"black-caribbean", .005},
       {"mixed", .02},
       {"arab", .001},
       {"other", .004},
       {"not-stated", .028},
       {NULL, 0}},
      {{"none", .40},
       {"christian", .42},
       {"muslim", .02},
       {"hindu", .03},
       {"sikh", .015},
       {"jewish", .002},
       {"buddhist", .003},
       {"other", .01},
       {"not-stated", .10},
       {NULL, 0}},
      {{"female", .42}, {"male", .58}, {NULL, 0}}},
     {{{"white-british", .72},
       {"white-other", .04},
       {"indian", .10},
       {"pakistani", .015},
       {"bangladeshi", .005},
       {"asian-other", .01},
       {"black-african", .025},
       {"black-caribbean", .01},
       {"mixed", .035},
       {"arab", .005},
       {"other", .01},
       {"not-stated", .025},
       {NULL, 0}},
      {{"none", .43},
       {"christian", .33},
       {"muslim", .05},
       {"hindu", .06},
       {"sikh", .03},
       {"jewish", .002},
       {"buddhist", .004},
       {"other", .014},
       {"not-stated", .08},
       {NULL, 0}},
      {{"female", .47}, {"male", .53}, {NULL, 0}}}},
    {"politie-antwerpen",
     2600,
     220,
     0.07,
     {{{"belgian", .86},
       {"moroccan", .04},
       {"turkish", .015},
       {"other-eu", .03},
       {"sub-saharan", .008},
       {"asian-other", .004},
       {"other", .01},
       {"not-stated", .033},
       {NULL, 0}},
      {{"christian", .40},
       {"none", .45},
       {"muslim", .05},
       {"jewish", .002},
       {"other", .008},
       {"not-stated", .09},
       {NULL, 0}},
      {{"female", .36}, {"male", .64}, {NULL, 0}}},
     {{{"belgian", .72},
       {"moroccan", .10},
       {"turkish", .03},
       {"other-eu", .05},
       {"sub-saharan", .025},
       {"asian-other", .01},
       {"other", .02},
       {"not-stated", .045},
       {NULL, 0}},
      {{"christian", .30},
       {"none", .48},
       {"muslim", .12},
       {"jewish", .003},
       {"other", .012},
       {"not-stated", .085},
       {NULL, 0}},
      {{"female", .44}, {"male", .56}, {NULL, 0}}}},
};

static const char *const demo_dims[3] = {"ethnicity", "religion", "sex"};

enum err workforce_demo(struct store_conn *c, struct errinfo *ei)
{
	enum err e;
	for (size_t i = 0; i < sizeof demo_pops / sizeof demo_pops[0]; i++) {
		const struct demo_pop *p = &demo_pops[i];
		json_t *m = json_pack("{s:o, s:o, s:o, s:o}", "ethnicity", shares_json(p->eth),
		                      "religion", shares_json(p->rel), "sex", shares_json(p->sex),
		                      "age", shares_json(age_adult));
		e = population_put(c, p->area, 2021,
		                   "Demo data shaped like Census 2021 (not official)", 1, "share",
		                   m, ei);
		json_decref(m);
		if (e)
			return e;
	}
	for (size_t f = 0; f < sizeof demo_forces / sizeof demo_forces[0]; f++) {
		const struct demo_force *df = &demo_forces[f];
		int64_t org_id;
		if ((e = org_find(c, df->org, &org_id, NULL)))
			return err_set(ei, e, "org", "demo organisation %s is missing", df->org);
		/* stock per dimension and category, rounded; not-stated (the
		 * last entry) absorbs the rounding so every dimension counts
		 * the same people */
		long head[3][14], join[3][14], leave[3][14];
		long H = df->headcount;
		for (int d = 0; d < 3; d++)
			for (int k = 0; df->staff[d][k].code; k++)
				head[d][k] = lround(df->staff[d][k].v * (double)H);
		for (int year = 2024; year <= 2026; year++) {
			long J = df->joiners + (year - 2024) * 20, T[3] = {0, 0, 0};
			long JT[3] = {0, 0, 0}, LT[3] = {0, 0, 0};
			for (int d = 0; d < 3; d++) {
				int k;
				for (k = 0; df->staff[d][k].code; k++) {
					leave[d][k] = lround(df->leave_rate * (double)head[d][k]);
					join[d][k] = lround(df->join[d][k].v * (double)J);
					head[d][k] += join[d][k] - leave[d][k];
					T[d] += head[d][k];
					JT[d] += join[d][k];
					LT[d] += leave[d][k];
				}
				if (d > 0) { /* align with ethnicity through not-stated */
					head[d][k - 1] += T[0] - T[d];
					join[d][k - 1] += JT[0] - JT[d];
					leave[d][k - 1] += LT[0] - LT[d];
					if (join[d][k - 1] < 0) {
						leave[d][k - 1] -= join[d][k - 1];
						head[d][k - 1] -= join[d][k - 1];
						join[d][k - 1] = 0;
					}
				}
			}
			json_t *figs = json_array();
			for (int d = 0; d < 3; d++)
				for (int k = 0; df->staff[d][k].code; k++)
					json_array_append_new(
					    figs, json_pack("{s:s, s:s, s:I, s:I, s:I}",
					                    "dimension", demo_dims[d], "category",
					                    df->staff[d][k].code, "headcount",
					                    (json_int_t)head[d][k], "joiners",
					                    (json_int_t)join[d][k], "leavers",
					                    (json_int_t)leave[d][k]));
			e = workforce_put(c, org_id, year, "Demo data (not official figures)", 1,
			                  figs, ei);
			json_decref(figs);
			if (e)
				return e;
		}
	}
	return ERR_OK;
}
