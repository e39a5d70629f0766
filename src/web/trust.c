/* trust.c - the trust and representation pages: answering a survey wave
 * (no account, no JavaScript), a wave's results with a stable anchor for
 * every figure, the public dashboard of an area (trend lines with interval
 * bands, gaps by group) and a police force's representation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "domain/trust_category.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/survey.h"
#include "domain/workforce.h"
#include "web/svg.h"
#include "web/web.h"

static double num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *pct(struct req *r, double v)
{
	return isfinite(v) ? req_printf(r, "%.0f%%", v * 100) : "";
}

/* Adds text versions of a cell's figures for the templates. */
static void cell_text(struct req *r, json_t *cell)
{
	if (json_is_true(json_object_get(cell, "suppressed"))) {
		json_object_set_new(cell, "hidden", json_true());
		return;
	}
	double p = num(cell, "p"), lo = num(cell, "lo"), hi = num(cell, "hi");
	json_object_set_new(cell, "pct", json_string(pct(r, p)));
	if (isfinite(lo))
		json_object_set_new(cell, "ci",
		                    json_string(req_printf(r, "%.0f–%.0f%%", lo * 100, hi * 100)));
	double g = num(cell, "gap");
	if (isfinite(g))
		json_object_set_new(cell, "gap_text", json_string(req_printf(r, "%+.0f", g * 100)));
	json_t *sig = json_object_get(cell, "significant");
	if (sig)
		json_object_set_new(cell, "sig_text",
		                    json_string(web_t(r, json_is_true(sig) ? "yes" : "no")));
}

/* --- answering ----------------------------------------------------------- */

static const char *const answer_labels[] = {
    "Strongly agree",   "Tend to agree",     "Neither agree nor disagree",
    "Tend to disagree", "Strongly disagree", "Don't know"};
static const char *const answer_values[] = {"5", "4", "3", "2", "1", "0"};

static void cookie_name(const struct survey_wave *w, char name[48])
{
	snprintf(name, 48, "consent_sv%lld", (long long)w->id);
}

/* The hex SHA-256 of the browser's cookie for the wave, or NULL. */
static const char *cookie_hash(struct req *r, const struct survey_wave *w, const char *token)
{
	char name[48];
	cookie_name(w, name);
	if (!token)
		token = req_cookie(r, name);
	if (!token || strlen(token) != CRYPTO_TOKEN_CHARS)
		return NULL;
	uint8_t d[CRYPTO_SHA256_LEN];
	char hex[2 * CRYPTO_SHA256_LEN + 1];
	crypto_sha256(token, strlen(token), d);
	crypto_hex(d, sizeof d, hex);
	return req_strdup(r, hex);
}

static void survey_form(struct req *r, int status, const struct survey_wave *w, const char *error,
                        const char *error_field)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *o = NULL;
	enum err e = survey_wave_json(c, w->slug, req_lang(r), &o);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(o, "items"), i, it)
	{
		const char *code = json_string_value(json_object_get(it, "code"));
		char name[48];
		snprintf(name, sizeof name, "answers.%s", code);
		const char *cur = req_method(r) == M_POST ? req_form(r, name) : NULL;
		json_t *opts = json_array();
		for (int k = 0; k < 6; k++)
			json_array_append_new(
			    opts, json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", name, "value",
			                    answer_values[k], "label", web_t(r, answer_labels[k]),
			                    "id", req_printf(r, "q-%s-%s", code, answer_values[k]),
			                    "checked", cur && !strcmp(cur, answer_values[k])));
		json_object_set_new(it, "options", opts);
		json_object_set_new(it, "n", json_integer((json_int_t)i + 1));
		if (error_field && !strcmp(error_field, name))
			json_object_set_new(it, "error", json_string(error));
	}
	const char *status_s = json_string_value(json_object_get(o, "status"));
	json_t *ctx = json_pack("{s:o, s:b, s:b}", "wave", o, "open", !strcmp(status_s, "open"),
	                        "answered", survey_token_known(c, w->id, cookie_hash(r, w, NULL)));
	const char *org = req_method(r) == M_POST ? req_form(r, "org") : req_query(r, "org");
	if (org && *org)
		json_object_set_new(ctx, "org", json_string(org));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	web_page(r, status, "survey", json_string_value(json_object_get(o, "title")), ctx);
}

static int wave_of(struct req *r, struct survey_wave *w)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return 0;
	enum err e = survey_wave_find(c, req_param(r, "wave"), w);
	if (e) {
		resp_err(r, e, NULL);
		return 0;
	}
	return 1;
}

static void survey_page(struct req *r)
{
	struct survey_wave w;
	if (wave_of(r, &w))
		survey_form(r, 200, &w, NULL, NULL);
}

static const char *form_get(void *arg, const char *name)
{
	return req_form(arg, name);
}

static void survey_post(struct req *r)
{
	struct survey_wave w;
	if (!wave_of(r, &w))
		return;
	struct store_conn *c = req_db(r);
	const char *hash = cookie_hash(r, &w, NULL);
	if (hash && survey_token_known(c, w.id, hash)) {
		survey_form(r, 409, &w, web_t(r, "You have already answered this survey."), NULL);
		return;
	}
	static unsigned limit;
	if (!limit) {
		const char *v = getenv("CONSENT_SURVEY_ADDR_LIMIT");
		long n = v ? strtol(v, NULL, 10) : 0;
		limit = n > 0 && n < 1000000 ? (unsigned)n : 30;
	}
	if (!req_ratelimit(r, "survey-addr", req_client_addr(r), limit, 3600))
		return;
	char token[CRYPTO_TOKEN_CHARS + 1];
	if (!hash) {
		crypto_token_new(token);
		hash = cookie_hash(r, &w, token);
	} else {
		char name[48];
		cookie_name(&w, name);
		snprintf(token, sizeof token, "%s", req_cookie(r, name));
	}
	struct errinfo ei = {{0}, {0}};
	enum err e = survey_respond(c, &w, form_get, r, req_lang(r), hash, &ei);
	if (e) {
		const char *msg =
		    e == ERR_CONFLICT && !strcmp(ei.msg, "this browser has already answered")
		        ? web_t(r, "You have already answered this survey.")
		    : !strcmp(ei.field, "answers")
		        ? web_t(r, "Please answer at least one question.")
		    : e == ERR_CONFLICT ? web_t(r, "This survey is not open.")
		                        : web_t(r, "Please check the highlighted answer.");
		survey_form(r, http_status_of(e), &w, msg, ei.field);
		return;
	}
	char name[48];
	cookie_name(&w, name);
	long age = (long)(w.closes_at - clock_now()) + 30L * 86400;
	resp_cookie(r, name, token, age > 0 ? age : 86400);
	resp_redirect(r, req_printf(r, "/surveys/%s/thanks", w.slug));
}

static void survey_thanks(struct req *r)
{
	struct survey_wave w;
	if (!wave_of(r, &w))
		return;
	web_page(r, 200, "survey_thanks", "Thank you",
	         json_pack("{s:s, s:I}", "slug", w.slug, "responses", (json_int_t)w.responses));
}

/* --- results -------------------------------------------------------------- */

static const char *bd_title(struct req *r, const char *bd)
{
	if (!strcmp(bd, "ethnicity"))
		return web_t(r, "By community");
	if (!strcmp(bd, "religion"))
		return web_t(r, "By faith or belief");
	if (!strcmp(bd, "sex"))
		return web_t(r, "By sex");
	if (!strcmp(bd, "age"))
		return web_t(r, "By age");
	return web_t(r, "By area");
}

static void results_page(struct req *r)
{
	struct survey_wave w;
	if (!wave_of(r, &w))
		return;
	struct store_conn *c = req_db(r);
	json_t *o = NULL;
	enum err e = survey_indicators(c, w.slug, req_lang(r), &o);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(o, "items"), i, item)
	{
		cell_text(r, json_object_get(item, "overall"));
		json_t *groups = json_array();
		const char *bd;
		json_t *list;
		json_object_foreach(json_object_get(item, "breakdowns"), bd, list)
		{
			size_t k;
			json_t *cell;
			json_array_foreach(list, k, cell) cell_text(r, cell);
			json_array_append_new(groups, json_pack("{s:s, s:O}", "title",
			                                        bd_title(r, bd), "cells", list));
		}
		json_object_set_new(item, "groups", groups);
	}
	json_t *wave = json_object_get(o, "wave");
	web_page(r, 200, "survey_results", json_string_value(json_object_get(wave, "title")), o);
}

/* --- the area dashboard ------------------------------------------------ */

static json_t *find_item(json_t *ind, const char *code)
{
	size_t i;
	json_t *it;
	json_array_foreach(
	    json_object_get(ind, "items"), i,
	    it) if (!strcmp(json_string_value(json_object_get(it, "code")), code)) return it;
	return NULL;
}

static json_t *find_cell(json_t *item, const char *bd, const char *group)
{
	size_t i;
	json_t *cell;
	json_array_foreach(json_object_get(json_object_get(item, "breakdowns"), bd), i,
	                   cell) if (!strcmp(json_string_value(json_object_get(cell, "group")),
	                                     group)) return cell;
	return NULL;
}

static void dashboard(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const char *area = req_param(r, "area");
	json_t *waves = NULL;
	enum err e = survey_wave_list(c, area, &waves);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	json_t *ctx = json_pack("{s:s}", "area", area);
	size_t nw = json_array_size(waves);
	if (nw == 0) {
		json_decref(waves);
		web_page(r, 200, "trust_area", "Trust in the police", ctx);
		return;
	}
	/* oldest first */
	json_t **ind = calloc(nw, sizeof *ind);
	const char **xl = calloc(nw, sizeof *xl);
	for (size_t i = 0; i < nw; i++) {
		json_t *wv = json_array_get(waves, nw - 1 - i);
		/* the year the wave opened */
		xl[i] = req_printf(r, "%.4s", json_string_value(json_object_get(wv, "opens_at")));
		if (survey_indicators(c, json_string_value(json_object_get(wv, "slug")),
		                      req_lang(r), &ind[i]) != ERR_OK)
			ind[i] = json_object();
	}
	json_t *latest = ind[nw - 1];
	const char *item = req_query(r, "item"), *by = req_query(r, "by");
	if (!item || !find_item(latest, item))
		item = json_string_value(
		    json_object_get(json_array_get(json_object_get(latest, "items"), 0), "code"));
	if (!by || (dim_parse(by) < 0 && strcmp(by, "area")))
		by = "ethnicity";
	json_t *it = item ? find_item(latest, item) : NULL;
	json_object_set_new(ctx, "area_name",
	                    json_copy(json_object_get(
	                        json_object_get(json_object_get(latest, "wave"), "area"), "name")));
	/* item and dimension choices */
	json_t *items = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(latest, "items"), i, x)
	{
		const char *code = json_string_value(json_object_get(x, "code"));
		json_t *ov = json_object_get(x, "overall");
		cell_text(r, ov);
		json_array_append_new(
		    items, json_pack("{s:s, s:s, s:b, s:s, s:O}", "code", code, "text",
		                     json_string_value(json_object_get(x, "text")), "current",
		                     !strcmp(code, item), "href",
		                     req_printf(r, "?item=%s&by=%s", code, by), "overall", ov));
	}
	json_object_set_new(ctx, "has_items", json_boolean(json_array_size(items) > 0));
	json_object_set_new(ctx, "items", items);
	static const char *const bds[] = {"ethnicity", "religion", "sex", "age", "area"};
	json_t *bl = json_array();
	for (int k = 0; k < 5; k++)
		json_array_append_new(bl, json_pack("{s:s, s:b, s:s}", "title", bd_title(r, bds[k]),
		                                    "current", !strcmp(bds[k], by), "href",
		                                    req_printf(r, "?item=%s&by=%s", item, bds[k])));
	json_object_set_new(ctx, "bys", bl);
	json_object_set_new(ctx, "item_text", json_copy(json_object_get(it, "text")));
	json_object_set_new(ctx, "by_title", json_string(bd_title(r, by)));

	/* the trend: overall, and each group published in the latest wave */
	json_t *groups = json_object_get(json_object_get(it, "breakdowns"), by);
	int ng = 0;
	const char *gcode[9], *glabel[9];
	size_t k;
	json_array_foreach(
	    groups, k, x) if (ng < 8 && !json_is_true(json_object_get(x, "suppressed")) &&
	                      isfinite(num(x, "p")) &&
	                      strcmp(json_string_value(json_object_get(x, "group")), "not-stated"))
	{
		gcode[ng] = json_string_value(json_object_get(x, "group"));
		glabel[ng] = json_string_value(json_object_get(x, "label"));
		ng++;
	}
	int ns = 1 + ng;
	struct svg_series *ser = calloc((size_t)ns, sizeof *ser);
	double *vals = calloc((size_t)ns * nw * 3, sizeof *vals);
	json_t *trows = json_array();
	for (int s = 0; s < ns; s++) {
		double *y = vals + (size_t)s * nw * 3, *lo = y + nw, *hi = lo + nw;
		ser[s].label = s == 0 ? web_t(r, "Everyone") : glabel[s - 1];
		ser[s].y = y;
		ser[s].lo = lo;
		ser[s].hi = hi;
		json_t *cells = json_array();
		for (size_t t = 0; t < nw; t++) {
			json_t *wi = find_item(ind[t], item);
			json_t *cell = s == 0 ? json_object_get(wi, "overall")
			                      : find_cell(wi, by, gcode[s - 1]);
			int ok = cell && !json_is_true(json_object_get(cell, "suppressed"));
			y[t] = ok ? num(cell, "p") : NAN;
			lo[t] = ok ? num(cell, "lo") : NAN;
			hi[t] = ok ? num(cell, "hi") : NAN;
			json_t *c2 =
			    cell ? json_deep_copy(cell) : json_pack("{s:b}", "suppressed", 1);
			cell_text(r, c2);
			json_array_append_new(cells, c2);
		}
		json_array_append_new(
		    trows, json_pack("{s:s, s:o}", "label", ser[s].label, "cells", cells));
	}
	struct buf svg;
	buf_init(&svg);
	const char *title = req_printf(r, "%s: %s", web_t(r, "Percent agreeing, by wave"),
	                               json_string_value(json_object_get(it, "text")));
	svg_trend(&svg, "trend", title,
	          web_t(r, "Lines show the percent agreeing in each wave; shaded bands are 95% "
	                   "confidence intervals. The table below gives the same figures."),
	          xl, (int)nw, ser, ns);
	json_object_set_new(ctx, "trend_svg", json_string(svg.data));
	buf_reset(&svg);
	json_t *xs = json_array();
	for (size_t t = 0; t < nw; t++)
		json_array_append_new(xs, json_string(xl[t]));
	json_object_set_new(ctx, "waves_x", xs);
	json_object_set_new(ctx, "trend_rows", trows);

	/* the gaps in the latest wave */
	int nd = (int)json_array_size(groups);
	struct svg_dot *dots = calloc((size_t)(nd ? nd : 1), sizeof *dots);
	json_t *grows = json_array();
	json_array_foreach(groups, k, x)
	{
		dots[k].label = json_string_value(json_object_get(x, "label"));
		int hid = json_is_true(json_object_get(x, "suppressed"));
		dots[k].v = hid ? NAN : num(x, "p");
		dots[k].lo = hid ? NAN : num(x, "lo");
		dots[k].hi = hid ? NAN : num(x, "hi");
		json_t *c2 = json_deep_copy(x);
		cell_text(r, c2);
		json_array_append_new(grows, c2);
	}
	double overall = num(json_object_get(it, "overall"), "p");
	svg_dots(&svg, "gaps",
	         req_printf(r, "%s, %s", web_t(r, "Percent agreeing in the latest wave"),
	                    bd_title(r, by)),
	         web_t(r, "Dots show each group's percent agreeing with its 95% confidence "
	                  "interval; the dashed line is the figure for everyone. Groups with too "
	                  "few respondents are not shown. The table below gives the same figures."),
	         dots, nd, overall, web_t(r, "Everyone"), 0, 1, 1);
	json_object_set_new(ctx, "gaps_svg", json_string(svg.data));
	buf_clear(&svg);
	json_object_set_new(ctx, "gap_rows", grows);
	json_object_set_new(ctx, "latest", json_copy(json_object_get(latest, "wave")));
	json_object_set_new(ctx, "weighting", json_copy(json_object_get(latest, "weighting")));
	json_object_set_new(ctx, "min_cell", json_copy(json_object_get(latest, "min_cell")));
	json_object_set_new(ctx, "waves", waves);
	for (size_t t = 0; t < nw; t++)
		json_decref(ind[t]);
	free(ind);
	free(xl);
	free(ser);
	free(vals);
	free(dots);
	web_page(r, 200, "trust_area", "Trust in the police", ctx);
}

/* --- representation -------------------------------------------------------- */

/* The rank bands of one dimension as table rows: one row per band and
 * group, the band named on its first row. */
static json_t *band_rows(struct req *r, json_t *bands)
{
	json_t *rows = json_array();
	size_t i, k;
	json_t *b, *g;
	json_array_foreach(bands, i, b)
	{
		json_array_foreach(json_object_get(b, "groups"), k, g)
		{
			double ra = num(g, "ratio");
			json_t *row = json_pack(
			    "{s:s, s:O, s:O, s:O, s:s, s:s, s:b, s:I}", "band",
			    json_string_value(json_object_get(b, "band")), "label",
			    json_object_get(g, "label"), "headcount",
			    json_object_get(g, "headcount"), "anchor", json_object_get(g, "anchor"),
			    "staff_pct", pct(r, num(g, "staff_share")), "ratio_text",
			    isfinite(ra)
			        ? req_printf(r, "%.2f (%.2f–%.2f)", ra, num(g, "lo"), num(g, "hi"))
			        : "",
			    "first", k == 0, "rows",
			    (json_int_t)json_array_size(json_object_get(b, "groups")));
			json_array_append_new(rows, row);
		}
	}
	return rows;
}

static void representation_page(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *o = NULL;
	enum err e = workforce_representation(c, req_param(r, "org"), req_lang(r), &o);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	json_t *periods = json_object_get(o, "periods");
	json_t *latest = json_array_get(periods, 0);
	json_t *dims = json_array();
	static const char *const dn[] = {"ethnicity", "religion", "sex"};
	static const char *const dt[] = {"By ethnicity", "By religion", "By sex"};
	for (int d = 0; d < 3; d++) {
		json_t *dim = json_object_get(json_object_get(latest, "dimensions"), dn[d]);
		if (!dim)
			continue;
		json_t *groups = json_object_get(dim, "groups");
		int n = (int)json_array_size(groups);
		struct svg_dot *dots = calloc((size_t)(n ? n : 1), sizeof *dots);
		size_t k;
		json_t *g;
		json_array_foreach(groups, k, g)
		{
			dots[k].label = json_string_value(json_object_get(g, "label"));
			dots[k].v = num(g, "ratio");
			dots[k].lo = num(g, "lo");
			dots[k].hi = num(g, "hi");
			json_object_set_new(g, "staff_pct",
			                    json_string(pct(r, num(g, "staff_share"))));
			json_object_set_new(g, "pop_pct", json_string(pct(r, num(g, "pop_share"))));
			double ra = num(g, "ratio");
			if (isfinite(ra))
				json_object_set_new(
				    g, "ratio_text",
				    json_string(req_printf(r, "%.2f (%.2f–%.2f)", ra, num(g, "lo"),
				                           num(g, "hi"))));
		}
		struct buf svg;
		buf_init(&svg);
		svg_dots(&svg, req_printf(r, "ratio-%s", dn[d]),
		         req_printf(r, "%s, %s", web_t(r, "Representation ratio"), web_t(r, dt[d])),
		         web_t(r,
		               "Dots show each group's share among staff divided by its share of "
		               "the population, with a 95% interval; the dashed line at 1 is "
		               "parity. The table gives the same figures."),
		         dots, n, 1, web_t(r, "parity"), 0, 2, 0);
		free(dots);
		json_t *par = json_object_get(
		    json_object_get(json_object_get(o, "parity"), "dimensions"), dn[d]);
		json_array_foreach(par, k, g)
		{
			json_t *y = json_object_get(g, "years");
			json_object_set_new(
			    g, "years_text",
			    json_string(json_is_integer(y)
			                    ? req_printf(r, "%d", (int)json_integer_value(y))
			                    : web_t(r, "not within 50 years")));
			json_object_set_new(g, "now_pct", json_string(pct(r, num(g, "share_now"))));
			json_object_set_new(g, "pop_pct", json_string(pct(r, num(g, "pop_share"))));
			json_object_set_new(g, "limit_pct",
			                    json_string(pct(r, num(g, "share_limit"))));
		}
		json_t *bands = band_rows(
		    r, json_object_get(
		           json_object_get(json_object_get(o, "rank_bands"), "dimensions"), dn[d]));
		json_array_append_new(dims,
		                      json_pack("{s:s, s:s, s:O, s:O, s:s, s:b, s:o, s:b}", "title",
		                                web_t(r, dt[d]), "dim", dn[d], "groups", groups,
		                                "parity", par ? par : json_array(), "svg", svg.data,
		                                "has_parity", json_array_size(par) > 0, "bands",
		                                bands, "has_bands", json_array_size(bands) > 0));
		buf_clear(&svg);
	}
	json_object_set_new(o, "dims", dims);
	json_object_set_new(o, "latest_year", json_copy(json_object_get(latest, "year")));
	/* Every period's ratios, so that each figure's anchor is on the page
	 * (the latest year's rows above carry the plain anchors). */
	static const char *const dname[] = {"Ethnicity", "Religion or belief", "Sex"};
	json_t *trend = json_array();
	json_t *latest_year = json_object_get(latest, "year");
	for (int d = 0; d < 3; d++) {
		size_t k;
		json_t *p;
		json_array_foreach(periods, k, p)
		{
			json_t *groups = json_object_get(
			    json_object_get(json_object_get(p, "dimensions"), dn[d]), "groups");
			size_t j;
			json_t *g;
			json_array_foreach(groups, j, g)
			{
				double ra = num(g, "ratio");
				json_array_append_new(
				    trend,
				    json_pack("{s:O, s:s, s:O, s:s, s:O, s:b}", "year",
				              json_object_get(p, "year"), "dim", web_t(r, dname[d]),
				              "label", json_object_get(g, "label"), "ratio",
				              isfinite(ra) ? req_printf(r, "%.2f (%.2f–%.2f)", ra,
				                                        num(g, "lo"), num(g, "hi"))
				                           : "",
				              "anchor", json_object_get(g, "anchor"), "latest",
				              json_equal(json_object_get(p, "year"), latest_year)));
			}
		}
	}
	json_object_set_new(o, "has_trend", json_boolean(json_array_size(trend) > 0));
	json_object_set_new(o, "trend", trend);
	web_page(r, 200, "representation",
	         json_string_value(json_object_get(json_object_get(o, "org"), "name")), o);
}

static void trust_index(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *waves = NULL;
	if (survey_wave_list(c, NULL, &waves) != ERR_OK)
		waves = json_array();
	json_t *areas = json_array();
	size_t i;
	json_t *w;
	json_array_foreach(waves, i, w)
	{
		json_t *a = json_object_get(w, "area");
		size_t k;
		json_t *x;
		int seen = 0;
		json_array_foreach(areas, k, x) seen |=
		    json_equal(json_object_get(x, "slug"), json_object_get(a, "slug"));
		if (!seen)
			json_array_append(areas, a);
		json_object_set_new(
		    w, "is_open",
		    json_boolean(!strcmp(json_string_value(json_object_get(w, "status")), "open")));
	}
	json_t *forces = NULL;
	if (org_list(c, "police", &forces) != ERR_OK)
		forces = json_array();
	web_page(r, 200, "trust", "Trust and representation",
	         json_pack("{s:o, s:o, s:o}", "waves", waves, "areas", areas, "forces", forces));
}

static const struct route routes[] = {
    {M_GET, "/trust", trust_index, ROUTE_HTML},
    {M_GET, "/trust/{area}", dashboard, ROUTE_HTML},
    {M_GET, "/surveys/{wave}", survey_page, ROUTE_HTML},
    {M_POST, "/surveys/{wave}", survey_post, ROUTE_HTML},
    {M_GET, "/surveys/{wave}/thanks", survey_thanks, ROUTE_HTML},
    {M_GET, "/surveys/{wave}/results", results_page, ROUTE_HTML},
    {M_GET, "/representation/{org}", representation_page, ROUTE_HTML},
};

void web_trust_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
