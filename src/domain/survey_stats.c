/* survey_stats.c - the indicators of a wave: percent agreeing (strongly
 * agree + tend to agree, "don't know" left out) per item, overall and per
 * group, weighted by raking to the area's population when a baseline is
 * loaded, with Wilson intervals (on Kish's n_eff when weighted), the gap of
 * each group to the overall figure with a two-proportion test of the group
 * against everyone else, and small cells suppressed with complementary
 * suppression. Results are cached per wave (survey_indicator_cache). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/survey_internal.h"
#include "domain/workforce.h"
#include "stats/prop.h"
#include "stats/rake.h"
#include "stats/stats.h"
#include "stats/suppress.h"

#define PAGE     20000
#define BD_COUNT (1 + DIM_COUNT + 1) /* overall, the four dimensions, area */
#define BD_AREA  (1 + DIM_COUNT)

static const char *const bd_names[BD_COUNT] = {"overall", "ethnicity", "religion",
                                               "sex",     "age",       "area"};

/* One respondent, compactly: local category index per dimension, area and
 * organisation index, answers. */
struct resp {
	unsigned char cat[DIM_COUNT];
	unsigned short area;
	unsigned short org;
	char ans[SURVEY_MAX_ITEMS];
};

struct acc {
	double sw, sw2, swy;
	long n, agree;
};

/* Per dimension: categories in set order, local index <-> set index. */
struct dims {
	int n[DIM_COUNT];
	int glob[DIM_COUNT][TRUST_CATEGORY_MAX];
	int loc[TRUST_CATEGORY_MAX];
	int not_stated[DIM_COUNT]; /* local index of "not-stated" */
};

/* Ids seen in a column mapped to small indexes (index 0: none). */
struct idmap {
	int n;
	int64_t id[SURVEY_MAX_AREAS];
};

static int idmap_get(struct idmap *m, int64_t id)
{
	if (!id)
		return 0;
	for (int i = 1; i < m->n; i++)
		if (m->id[i] == id)
			return i;
	if (m->n == SURVEY_MAX_AREAS)
		return 0;
	m->id[m->n] = id;
	return m->n++;
}

static double round_to(double x, double unit)
{
	return round(x / unit) * unit;
}

long survey_min_cell(struct store_conn *c)
{
	static const char sql[] = "SELECT value FROM settings WHERE name = 'trust.min_cell'";
	struct store_stmt *st = store_prepare(c, sql);
	long n = SURVEY_MIN_CELL_DEFAULT;
	if (!st)
		return n;
	if (store_step(st) == STORE_ROW) {
		long v = strtol(store_col_text(st, 0), NULL, 10);
		if (v >= 3 && v <= 1000)
			n = v;
	}
	store_reset(st);
	return n;
}

enum err survey_cache_clear(struct store_conn *c)
{
	return store_exec(c, "DELETE FROM survey_indicator_cache");
}

enum err survey_set_min_cell(struct store_conn *c, long n, struct errinfo *ei)
{
	if (n < 3 || n > 1000)
		return err_set(ei, ERR_INVAL, "min_cell", "must be a whole number from 3 to 1000");
	static const char sql[] = "INSERT INTO settings (name, value) VALUES ('trust.min_cell', ?) "
	                          "ON CONFLICT (name) DO UPDATE SET value = excluded.value";
	char v[24];
	snprintf(v, sizeof v, "%ld", n);
	enum err e = store_begin(c);
	struct store_stmt *st = e ? NULL : store_prepare(c, sql);
	if (st) {
		store_bind_text(st, 1, v);
		e = survey_run(st);
	}
	if (!e)
		e = survey_cache_clear(c);
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		return err_set(ei, e, "", "database error");
	}
	return ERR_OK;
}

/* Reads every response of the wave, a page at a time. */
static enum err load_responses(struct store_conn *c, const struct survey_wave *w, int nitems,
                               const struct category_set *set, const struct dims *dm,
                               struct idmap *areas, struct idmap *orgs, struct resp **out,
                               size_t *nout)
{
	static const char sql[] =
	    "SELECT id, COALESCE(area_id, 0), COALESCE(org_id, 0), COALESCE(ethnicity_id, 0), "
	    "COALESCE(religion_id, 0), COALESCE(sex_id, 0), COALESCE(age_id, 0), answers "
	    "FROM survey_responses WHERE wave_id = ? AND id > ? ORDER BY id LIMIT 20000";
	size_t n = 0, cap = (size_t)(w->responses > 0 ? w->responses : 64) + 16;
	struct resp *r = xmalloc(cap * sizeof *r);
	int64_t last = 0;
	enum err e = ERR_OK;
	for (;;) {
		struct store_stmt *st = store_prepare(c, sql);
		if (!st) {
			e = ERR_STORE;
			break;
		}
		store_bind_int(st, 1, w->id);
		store_bind_int(st, 2, last);
		size_t page = 0;
		enum store_step s;
		while ((s = store_step(st)) == STORE_ROW) {
			if (n == cap) {
				cap *= 2;
				r = xreallocarray(r, cap, sizeof *r);
			}
			struct resp *x = &r[n++];
			last = store_col_int(st, 0);
			x->area = (unsigned short)idmap_get(areas, store_col_int(st, 1));
			x->org = (unsigned short)idmap_get(orgs, store_col_int(st, 2));
			for (int d = 0; d < DIM_COUNT; d++) {
				int64_t id = store_col_int(st, 3 + d);
				const struct trust_category *k = id ? trust_category_by_id(set, id) : NULL;
				x->cat[d] =
				    (unsigned char)(k ? dm->loc[k - set->c] : dm->not_stated[d]);
			}
			const char *a = store_col_text(st, 7);
			size_t al = a ? strlen(a) : 0;
			for (int j = 0; j < nitems; j++)
				x->ans[j] = (size_t)j < al ? a[j] : '-';
			page++;
		}
		if (s == STORE_ERROR)
			e = store_stmt_err(st);
		store_reset(st);
		if (e || page < PAGE)
			break;
	}
	if (e) {
		free(r);
		return e;
	}
	*out = r;
	*nout = n;
	return ERR_OK;
}

/* Raking weights, one factor per profile (combination of the four local
 * category indexes). Fills f[profile] (1 when unweighted) and the
 * "weighting" description. */
static void weigh(const struct resp *r, size_t n, const struct dims *dm,
                  const struct category_set *set, const struct population *pop, double *f,
                  size_t nprof, json_t *info)
{
	for (size_t p = 0; p < nprof; p++)
		f[p] = 1;
	json_object_set_new(info, "weighted", json_false());
	if (!pop->found || n == 0) {
		json_object_set_new(info, "note",
		                    json_string(pop->found
		                                    ? "no responses"
		                                    : "no population baseline for this area: "
		                                      "figures are not weighted"));
		return;
	}
	json_object_set_new(info, "baseline",
	                    json_pack("{s:s, s:i, s:b}", "area", pop->area_slug, "year", pop->year,
	                              "demo", pop->is_demo));
	double *count = xcalloc(nprof, sizeof *count);
	size_t mult[DIM_COUNT];
	size_t m = 1;
	for (int d = DIM_COUNT - 1; d >= 0; d--) {
		mult[d] = m;
		m *= (size_t)dm->n[d];
	}
	long catn[DIM_COUNT][TRUST_CATEGORY_MAX];
	memset(catn, 0, sizeof catn);
	for (size_t i = 0; i < n; i++) {
		size_t p = 0;
		for (int d = 0; d < DIM_COUNT; d++) {
			p += r[i].cat[d] * mult[d];
			catn[d][r[i].cat[d]]++;
		}
		count[p] += 1;
	}
	/* The profiles present are the raked units, with base weight = count. */
	size_t np = 0;
	size_t *prof = xmalloc(nprof * sizeof *prof);
	for (size_t p = 0; p < nprof; p++)
		if (count[p] > 0)
			prof[np++] = p;
	double *base = xmalloc(np * sizeof *base);
	for (size_t k = 0; k < np; k++)
		base[k] = count[prof[k]];
	struct rake_margin mg[DIM_COUNT];
	size_t *cats[DIM_COUNT] = {0};
	double *targets[DIM_COUNT] = {0};
	size_t nm = 0;
	json_t *margins = json_array(), *left_out = json_array();
	for (int d = 0; d < DIM_COUNT; d++) {
		if (!pop->has_dim[d])
			continue;
		/* Margin category of each local category: its own if stated,
		 * in the baseline and answered by someone; else the bucket. */
		int own[TRUST_CATEGORY_MAX], nown = 0;
		double S = 0;
		for (int k = 0; k < dm->n[d]; k++) {
			int g = dm->glob[d][k];
			double sh = pop->share[g];
			own[k] = -1;
			if (k == dm->not_stated[d])
				continue;
			if (sh > 0 && catn[d][k] > 0) {
				own[k] = nown++;
				S += sh;
			} else if (sh > 0) {
				json_array_append_new(left_out,
				                      json_pack("{s:s, s:s}", "dimension",
				                                dim_name((enum dim)d), "category",
				                                set->c[g].code));
			}
		}
		if (nown < 2 || S <= 0)
			continue;
		long bucket = 0;
		for (int k = 0; k < dm->n[d]; k++)
			if (own[k] < 0)
				bucket += catn[d][k];
		size_t ncat = (size_t)nown + (bucket > 0);
		cats[nm] = xmalloc(np * sizeof *cats[nm]);
		targets[nm] = xcalloc(ncat, sizeof *targets[nm]);
		for (int k = 0; k < dm->n[d]; k++)
			if (own[k] >= 0)
				targets[nm][own[k]] =
				    pop->share[dm->glob[d][k]] / S * (double)((long)n - bucket);
		if (bucket > 0)
			targets[nm][nown] = (double)bucket;
		for (size_t q = 0; q < np; q++) {
			int k = (int)(prof[q] / mult[d] % (size_t)dm->n[d]);
			cats[nm][q] = own[k] >= 0 ? (size_t)own[k] : (size_t)nown;
		}
		mg[nm].cat = cats[nm];
		mg[nm].target = targets[nm];
		mg[nm].ncat = ncat;
		nm++;
		json_array_append_new(margins, json_string(dim_name((enum dim)d)));
	}
	json_object_set_new(info, "margins", margins);
	json_object_set_new(info, "left_out", left_out);
	if (nm > 0) {
		double *wt = xmalloc(np * sizeof *wt);
		struct rake_result res;
		memset(&res, 0, sizeof res);
		enum err e = rake_weights(np, base, mg, nm, NULL, wt, &res);
		if (e == ERR_OK) {
			for (size_t q = 0; q < np; q++)
				f[prof[q]] = wt[q] / base[q];
			json_object_set_new(info, "weighted", json_true());
			json_object_set_new(info, "iterations", json_integer(res.iterations));
		} else {
			json_object_set_new(info, "note",
			                    json_string("the weighting did not converge: figures "
			                                "are not weighted"));
		}
		free(wt);
	} else {
		json_object_set_new(info, "note",
		                    json_string("the baseline does not match the respondents' "
		                                "categories: figures are not weighted"));
	}
	for (size_t k = 0; k < nm; k++) {
		free(cats[k]);
		free(targets[k]);
	}
	free(base);
	free(prof);
	free(count);
}

static void acc_to_prop(const struct acc *a, struct prop_acc *p)
{
	p->sw = a->sw;
	p->sw2 = a->sw2;
	p->swy = a->swy;
	p->n = a->n;
}

/* One published figure. */
static json_t *cell_json(const char *group, const struct acc *a, const struct acc *all,
                         int suppressed, int is_overall)
{
	json_t *o = json_pack("{s:s}", "group", group);
	if (suppressed) {
		json_object_set_new(o, "suppressed", json_true());
		return o;
	}
	json_object_set_new(o, "suppressed", json_false());
	json_object_set_new(o, "n", json_integer(a->n));
	json_object_set_new(o, "agree", json_integer(a->agree));
	struct prop_acc pa;
	struct prop_ci ci;
	acc_to_prop(a, &pa);
	if (a->n == 0 || a->sw <= 0 || prop_acc_result(&pa, STATS_Z95, &ci) != ERR_OK)
		return o;
	json_object_set_new(o, "p", json_real(round_to(ci.p, 1e-6)));
	json_object_set_new(o, "lo", json_real(round_to(ci.lo, 1e-6)));
	json_object_set_new(o, "hi", json_real(round_to(ci.hi, 1e-6)));
	json_object_set_new(o, "n_eff", json_real(round_to(ci.n, 1e-3)));
	if (is_overall)
		return o;
	struct prop_acc all_p, rest;
	struct prop_ci call, crest;
	acc_to_prop(all, &all_p);
	if (prop_acc_result(&all_p, STATS_Z95, &call) != ERR_OK)
		return o;
	json_object_set_new(o, "gap", json_real(round_to(ci.p - call.p, 1e-6)));
	rest.sw = all->sw - a->sw;
	rest.sw2 = all->sw2 - a->sw2;
	rest.swy = all->swy - a->swy;
	rest.n = all->n - a->n;
	if (rest.swy < 0)
		rest.swy = 0;
	if (rest.swy > rest.sw)
		rest.swy = rest.sw;
	struct prop_diff diff;
	if (rest.n > 0 && rest.sw > 1e-9 && rest.sw2 > 0 &&
	    prop_acc_result(&rest, STATS_Z95, &crest) == ERR_OK &&
	    prop_diff_test(ci.p, ci.n, crest.p, crest.n, STATS_Z95, &diff) == ERR_OK) {
		json_object_set_new(o, "p_value", json_real(round_to(diff.p_value, 1e-6)));
		json_object_set_new(o, "significant", json_boolean(diff.p_value < 0.05));
	}
	return o;
}

/* Suppression marks for one breakdown of one item: hidden[g] for each of
 * the ng groups. Primary: groups with 0 < n < min_cell (their whole row);
 * then complements. If a complement would hide a total that the overall
 * figure publishes, every group is hidden instead. */
static enum err suppress_groups(const struct acc *a, int ng, long min_cell, unsigned char *hidden)
{
	size_t nc = 3, n = (size_t)(ng + 1) * nc;
	long *ext = xcalloc(n, sizeof *ext);
	enum suppress_mark *mark = xcalloc(n, sizeof *mark);
	for (int g = 0; g < ng; g++) {
		ext[(size_t)g * nc] = a[g].agree;
		ext[(size_t)g * nc + 1] = a[g].n - a[g].agree;
	}
	enum err e = suppress_fill_margins(ext, (size_t)ng, 2);
	for (int g = 0; !e && g < ng; g++)
		if (a[g].n > 0 && a[g].n < min_cell)
			for (size_t j = 0; j < nc; j++)
				mark[(size_t)g * nc + j] = SUPPRESS_PRIMARY;
	if (!e)
		e = suppress_table_complete(ext, (size_t)ng, 2, mark);
	int margin_hidden = 0;
	for (size_t j = 0; !e && j < nc; j++)
		margin_hidden |= mark[(size_t)ng * nc + j] != SUPPRESS_NONE;
	for (int g = 0; !e && g < ng; g++) {
		hidden[g] = margin_hidden;
		for (size_t j = 0; j < nc; j++)
			hidden[g] |= mark[(size_t)g * nc + j] != SUPPRESS_NONE;
	}
	free(ext);
	free(mark);
	return e;
}

enum err survey_indicators_compute(struct store_conn *c, const struct survey_wave *w, json_t **out,
                                   double *ms)
{
	uint64_t t0 = clock_mono_ns();
	struct survey_items it;
	struct category_set *set = xmalloc(sizeof *set);
	struct population *pop = xmalloc(sizeof *pop);
	struct dims *dm = xcalloc(1, sizeof *dm);
	struct idmap *areas = xcalloc(1, sizeof *areas), *orgs = xcalloc(1, sizeof *orgs);
	struct resp *r = NULL;
	size_t n = 0;
	double *f = NULL;
	struct acc *acc = NULL;
	json_t *o = NULL;
	areas->n = orgs->n = 1;
	enum err e;
	if ((e = survey_items_load(c, w->instrument_id, &it)) || (e = trust_category_load(c, set)) ||
	    (e = population_for_area(c, w->area_id, set, pop)))
		goto out;
	for (int i = 0; i < set->n; i++) {
		enum dim d = set->c[i].dim;
		dm->loc[i] = dm->n[d];
		dm->glob[d][dm->n[d]] = i;
		if (!strcmp(set->c[i].code, TRUST_CATEGORY_NOT_STATED))
			dm->not_stated[d] = dm->n[d];
		dm->n[d]++;
	}
	if ((e = load_responses(c, w, it.n, set, dm, areas, orgs, &r, &n)))
		goto out;
	size_t nprof = 1;
	for (int d = 0; d < DIM_COUNT; d++)
		nprof *= (size_t)(dm->n[d] ? dm->n[d] : 1);
	f = xmalloc(nprof * sizeof *f);
	json_t *winfo = json_object();
	weigh(r, n, dm, set, pop, f, nprof, winfo);

	/* Accumulate: groups of breakdown b start at off[b]. */
	int ngroups[BD_COUNT], off[BD_COUNT + 1];
	ngroups[0] = 1;
	for (int d = 0; d < DIM_COUNT; d++)
		ngroups[1 + d] = dm->n[d];
	ngroups[BD_AREA] = areas->n;
	off[0] = 0;
	for (int b = 0; b < BD_COUNT; b++)
		off[b + 1] = off[b] + ngroups[b];
	int G = off[BD_COUNT];
	acc = xcalloc((size_t)G * (size_t)it.n, sizeof *acc);
	unsigned char *present = xcalloc((size_t)G, 1);
	long *org_n = xcalloc((size_t)orgs->n, sizeof *org_n);
	size_t mult[DIM_COUNT], mm = 1;
	for (int d = DIM_COUNT - 1; d >= 0; d--) {
		mult[d] = mm;
		mm *= (size_t)(dm->n[d] ? dm->n[d] : 1);
	}
	for (size_t i = 0; i < n; i++) {
		const struct resp *x = &r[i];
		size_t p = 0;
		int grp[BD_COUNT];
		for (int d = 0; d < DIM_COUNT; d++) {
			p += x->cat[d] * mult[d];
			grp[1 + d] = off[1 + d] + x->cat[d];
		}
		grp[0] = 0;
		grp[BD_AREA] = off[BD_AREA] + x->area;
		for (int b = 0; b < BD_COUNT; b++)
			present[grp[b]] = 1;
		org_n[x->org]++;
		double wt = f[p];
		for (int j = 0; j < it.n; j++) {
			char a = x->ans[j];
			if (a < '1' || a > '5')
				continue;
			int yes = a >= '4';
			for (int b = 0; b < BD_COUNT; b++) {
				struct acc *q = &acc[(size_t)grp[b] * (size_t)it.n + (size_t)j];
				q->sw += wt;
				q->sw2 += wt * wt;
				q->swy += yes ? wt : 0;
				q->n++;
				q->agree += yes;
			}
		}
	}
	long min_cell = survey_min_cell(c);
	o = json_pack("{s:s, s:I, s:i, s:f, s:o}", "wave", w->slug, "responses", (json_int_t)n,
	              "min_cell", (int)min_cell, "confidence", 0.95, "weighting", winfo);
	json_t *items = json_array();
	unsigned char *hidden = xcalloc((size_t)G, 1);
	struct acc *tmp = xcalloc((size_t)G, sizeof *tmp);
	int gidx[SURVEY_MAX_AREAS + TRUST_CATEGORY_MAX];
	for (int j = 0; j < it.n; j++) {
		const struct acc *all = &acc[(size_t)j];
		int overall_hidden = all->n > 0 && all->n < min_cell;
		json_t *item = json_pack("{s:s, s:o}", "code", it.item[j].code, "overall",
		                         cell_json("all", all, all, overall_hidden, 1));
		json_t *bds = json_object();
		for (int b = 1; b < BD_COUNT; b++) {
			int ng = 0;
			for (int g = 0; g < ngroups[b]; g++)
				if (present[off[b] + g])
					gidx[ng++] = g;
			for (int k = 0; k < ng; k++)
				tmp[k] = acc[(size_t)(off[b] + gidx[k]) * (size_t)it.n + (size_t)j];
			if (ng > 0 && (e = suppress_groups(tmp, ng, min_cell, hidden)))
				break;
			json_t *list = json_array();
			for (int k = 0; k < ng; k++) {
				const char *code;
				char buf[80];
				if (b == BD_AREA) {
					if (gidx[k] == 0) {
						code = TRUST_CATEGORY_NOT_STATED;
					} else {
						snprintf(buf, sizeof buf, "%lld",
						         (long long)areas->id[gidx[k]]);
						code = buf;
					}
				} else {
					code = set->c[dm->glob[b - 1][gidx[k]]].code;
				}
				json_array_append_new(
				    list,
				    cell_json(code, &tmp[k], all, overall_hidden || hidden[k], 0));
			}
			json_object_set_new(bds, bd_names[b], list);
		}
		json_object_set_new(item, "breakdowns", bds);
		json_array_append_new(items, item);
		if (e)
			break;
	}
	json_object_set_new(o, "items", items);
	/* Responses by the organisation whose link was used. */
	if (!e) {
		enum suppress_mark *om = xcalloc((size_t)orgs->n + 1, sizeof *om);
		struct suppress_opts so = {.threshold = min_cell};
		e = suppress_list(org_n, (size_t)orgs->n, (long)n, &so, om);
		json_t *ol = json_array();
		for (int k = 0; !e && k < orgs->n; k++) {
			json_t *x = json_object();
			json_object_set_new(x, "org", k ? json_integer(orgs->id[k]) : json_null());
			if (om[k] != SUPPRESS_NONE)
				json_object_set_new(x, "suppressed", json_true());
			else
				json_object_set_new(x, "responses", json_integer(org_n[k]));
			json_array_append_new(ol, x);
		}
		json_object_set_new(o, "orgs", ol);
		free(om);
	}
	free(hidden);
	free(tmp);
	free(present);
	free(org_n);
out:
	free(acc);
	free(f);
	free(r);
	free(set);
	free(pop);
	free(dm);
	free(areas);
	free(orgs);
	if (e) {
		json_decref(o);
		return e;
	}
	*out = o;
	if (ms)
		*ms = (double)(clock_mono_ns() - t0) / 1e6;
	return ERR_OK;
}

/* --- cache and presentation ------------------------------------------ */

static enum err cache_get(struct store_conn *c, const struct survey_wave *w, long min_cell,
                          json_t **out)
{
	static const char sql[] = "SELECT response_count, min_cell, computed_at, compute_ms, body "
	                          "FROM survey_indicator_cache WHERE wave_id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, w->id);
	*out = NULL;
	if (store_step(st) == STORE_ROW) {
		int64_t count = store_col_int(st, 0), mc = store_col_int(st, 1);
		int64_t at = store_col_int(st, 2);
		double cms = store_col_double(st, 3);
		/* A stale result is served for a while when it was costly to
		 * compute (10 times its cost, at most 5 minutes), so that a
		 * busy open wave is not recomputed on every view. */
		double grace = cms >= 50 ? fmin(300, cms / 100) : 0;
		int fresh = count == w->responses || (double)(clock_now() - at) < grace;
		if (mc == min_cell && fresh)
			*out = json_loads(store_col_text(st, 4), 0, NULL);
	}
	store_reset(st);
	return ERR_OK;
}

static void cache_put(struct store_conn *c, const struct survey_wave *w, long min_cell, double ms,
                      json_t *body)
{
	static const char sql[] =
	    "INSERT INTO survey_indicator_cache (wave_id, response_count, min_cell, "
	    "computed_at, compute_ms, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (wave_id) "
	    "DO UPDATE SET response_count = excluded.response_count, min_cell = "
	    "excluded.min_cell, computed_at = excluded.computed_at, compute_ms = "
	    "excluded.compute_ms, body = excluded.body";
	char *text = json_dumps(body, JSON_COMPACT);
	struct store_stmt *st = store_prepare(c, sql);
	if (st && text) {
		store_bind_int(st, 1, w->id);
		store_bind_int(st, 2, json_integer_value(json_object_get(body, "responses")));
		store_bind_int(st, 3, min_cell);
		store_bind_int(st, 4, clock_now());
		store_bind_double(st, 5, ms);
		store_bind_text(st, 6, text);
		survey_run(st); /* a cache: failing to store it is not an error */
	}
	free(text);
}

static void name_org(struct store_conn *c, json_t *x)
{
	static const char sql[] = "SELECT slug, name FROM orgs WHERE id = ?";
	json_t *id = json_object_get(x, "org");
	if (!json_is_integer(id))
		return;
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return;
	store_bind_int(st, 1, json_integer_value(id));
	if (store_step(st) == STORE_ROW) {
		json_object_set_new(x, "org", json_string(store_col_text(st, 0)));
		json_object_set_new(x, "name", json_string(store_col_text(st, 1)));
	} else {
		json_object_set_new(x, "org", json_null());
	}
	store_reset(st);
}

/* Adds labels, item texts, area slugs and names, and anchors in lang. */
static enum err decorate(struct store_conn *c, const struct survey_wave *w, const char *lang,
                         json_t *o)
{
	struct survey_items it;
	struct category_set *set = xmalloc(sizeof *set);
	struct survey_areas *areas = xmalloc(sizeof *areas);
	json_t *wave = NULL;
	enum err e;
	if ((e = survey_items_load(c, w->instrument_id, &it)) || (e = trust_category_load(c, set)) ||
	    (e = survey_areas_load(c, areas)) || (e = survey_wave_list(c, w->area_slug, &wave)))
		goto out;
	size_t i;
	json_t *v;
	json_array_foreach(wave, i, v) if (!strcmp(json_string_value(json_object_get(v, "slug")),
	                                           w->slug)) json_object_set(o, "wave", v);
	int li = trust_category_lang_index(lang);
	json_t *item;
	json_array_foreach(json_object_get(o, "items"), i, item)
	{
		const char *code = json_string_value(json_object_get(item, "code"));
		for (int j = 0; j < it.n; j++)
			if (!strcmp(it.item[j].code, code))
				json_object_set_new(item, "text", json_string(it.item[j].text[li]));
		char *anchor = xasprintf("%s-all", code);
		json_object_set_new(json_object_get(item, "overall"), "anchor",
		                    json_string(anchor));
		free(anchor);
		const char *bd;
		json_t *list;
		json_object_foreach(json_object_get(item, "breakdowns"), bd, list)
		{
			size_t k;
			json_t *cell;
			int d = dim_parse(bd);
			json_array_foreach(list, k, cell)
			{
				const char *g = json_string_value(json_object_get(cell, "group"));
				const char *label = g;
				char slug[64];
				if (d >= 0) {
					const struct trust_category *cat =
					    trust_category_find(set, (enum dim)d, g);
					label = cat ? trust_category_label(cat, lang) : g;
				} else if (strcmp(g, TRUST_CATEGORY_NOT_STATED)) {
					const struct survey_area *a =
					    survey_area_by_id(areas, strtoll(g, NULL, 10));
					snprintf(slug, sizeof slug, "%s", a ? a->slug : "unknown");
					label = a ? a->name : "unknown";
					json_object_set_new(cell, "group", json_string(slug));
					g = slug;
				} else {
					const struct trust_category *cat =
					    trust_category_find(set, DIM_AGE, TRUST_CATEGORY_NOT_STATED);
					label = cat ? trust_category_label(cat, lang) : g;
				}
				json_object_set_new(cell, "label", json_string(label));
				anchor = xasprintf("%s-%s-%s", code, bd, g);
				json_object_set_new(cell, "anchor", json_string(anchor));
				free(anchor);
			}
		}
	}
	json_array_foreach(json_object_get(o, "orgs"), i, v) name_org(c, v);
out:
	json_decref(wave);
	free(set);
	free(areas);
	return e;
}

enum err survey_indicators(struct store_conn *c, const char *slug, const char *lang, json_t **out)
{
	struct survey_wave w;
	enum err e = survey_wave_find(c, slug, &w);
	if (e)
		return e;
	long min_cell = survey_min_cell(c);
	json_t *o = NULL;
	if ((e = cache_get(c, &w, min_cell, &o)))
		return e;
	if (!o) {
		double ms = 0;
		if ((e = survey_indicators_compute(c, &w, &o, &ms)))
			return e;
		cache_put(c, &w, min_cell, ms, o);
	}
	if ((e = decorate(c, &w, lang, o))) {
		json_decref(o);
		return e;
	}
	*out = o;
	return ERR_OK;
}
