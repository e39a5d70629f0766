/* surveys.c - trust surveys over JSON:
 *   GET /api/v1/trust/categories, GET/PUT /api/v1/trust/settings
 *   GET /api/v1/survey-instruments
 *   GET/POST /api/v1/surveys, GET/PATCH /api/v1/surveys/{wave}
 *   POST /api/v1/surveys/{wave}/responses   (anyone; once per browser)
 *   POST /api/v1/surveys/{wave}/import      (text/csv)
 *   GET /api/v1/surveys/{wave}/indicators[.csv] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "base/clock.h"
#include "base/csvread.h"
#include "domain/trust_category.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/survey.h"

static void categories(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_SURVEY_VIEW, 0))
		return;
	struct category_set set;
	enum err e = trust_category_load(c, &set);
	api_answer(r, e, NULL, 200, e ? NULL : trust_category_json(&set, req_lang(r)));
}

static void settings_get(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_SURVEY_VIEW, 0))
		return;
	resp_json(r, 200, json_pack("{s:i}", "min_cell", (int)survey_min_cell(c)));
}

static void settings_put(struct req *r)
{
	if (!api_allowed(r, ACT_TRUST_SETTINGS, 0))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"min_cell", NULL};
	if (!api_only_fields(r, body, allowed))
		return;
	json_t *v = json_object_get(body, "min_cell");
	if (!json_is_integer(v)) {
		resp_error(r, 422, "invalid", "min_cell", "must be a whole number from 3 to 1000");
		return;
	}
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = survey_set_min_cell(c, (long)json_integer_value(v), &ei);
	api_answer(r, e, &ei, 200, e ? NULL : json_pack("{s:i}", "min_cell", (int)survey_min_cell(c)));
}

static void instruments(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_SURVEY_VIEW, 0))
		return;
	json_t *list = NULL;
	enum err e = survey_instrument_list(c, req_lang(r), &list);
	api_answer(r, e, NULL, 200, e ? NULL : json_pack("{s:o}", "instruments", list));
}

static void waves_list(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_SURVEY_VIEW, 0))
		return;
	json_t *list = NULL;
	enum err e = survey_wave_list(c, req_query(r, "area"), &list);
	api_answer(r, e, NULL, 200, e ? NULL : json_pack("{s:o}", "waves", list));
}

static void waves_create(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_signed_in(r))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"slug", "title",    "instrument", "area",
	                                      "org",  "opens_at", "closes_at",  NULL};
	const char *slug, *title, *inst, *area, *org, *opens, *closes;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "slug", 1, &slug) ||
	    !api_string(r, body, "title", 1, &title) ||
	    !api_string(r, body, "instrument", 0, &inst) ||
	    !api_string(r, body, "area", 1, &area) || !api_string(r, body, "org", 1, &org) ||
	    !api_string(r, body, "opens_at", 1, &opens) ||
	    !api_string(r, body, "closes_at", 1, &closes))
		return;
	int64_t org_id = 0;
	if (org_find(c, org, &org_id, NULL) != ERR_OK) {
		resp_error(r, 422, "invalid", "org", "is not the slug of an organisation");
		return;
	}
	if (!api_allowed(r, ACT_SURVEY_MANAGE, org_id))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = survey_wave_create(c, slug, title, inst, area, org, opens, closes, NULL, &ei);
	json_t *o = NULL;
	if (!e)
		e = survey_wave_json(c, slug, req_lang(r), &o);
	if (!e)
		resp_header(r, "Location", req_printf(r, "/api/v1/surveys/%s", slug));
	api_answer(r, e, &ei, 201, o);
}

/* The wave of the {wave} parameter; answers 404 if none. */
static int wave_of(struct req *r, struct store_conn *c, struct survey_wave *w)
{
	enum err e = survey_wave_find(c, req_param(r, "wave"), w);
	if (e == ERR_NOTFOUND) {
		resp_error(r, 404, "not_found", "wave", "no survey wave has this slug");
		return 0;
	}
	if (e) {
		resp_err(r, e, NULL);
		return 0;
	}
	return 1;
}

static void waves_get(struct req *r)
{
	struct store_conn *c = req_db(r);
	struct survey_wave w;
	if (!c || !api_allowed(r, ACT_SURVEY_VIEW, 0) || !wave_of(r, c, &w))
		return;
	json_t *o = NULL;
	enum err e = survey_wave_json(c, w.slug, req_lang(r), &o);
	api_answer(r, e, NULL, 200, o);
}

static void waves_update(struct req *r)
{
	struct store_conn *c = req_db(r);
	struct survey_wave w;
	if (!c || !api_signed_in(r) || !wave_of(r, c, &w) ||
	    !api_allowed(r, ACT_SURVEY_MANAGE, w.org_id))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"title", "opens_at", "closes_at", NULL};
	const char *title, *opens, *closes;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "title", 0, &title) ||
	    !api_string(r, body, "opens_at", 0, &opens) ||
	    !api_string(r, body, "closes_at", 0, &closes))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = survey_wave_update(c, w.slug, title, opens, closes, &ei);
	json_t *o = NULL;
	if (!e)
		e = survey_wave_json(c, w.slug, req_lang(r), &o);
	api_answer(r, e, &ei, 200, o);
}

/* Field getter over a JSON response body: answers.<code> from "answers". */
struct json_get {
	json_t *body;
	char buf[8];
};

static const char *json_get(void *arg, const char *name)
{
	struct json_get *g = arg;
	json_t *v;
	if (!strncmp(name, "answers.", 8))
		v = json_object_get(json_object_get(g->body, "answers"), name + 8);
	else
		v = json_object_get(g->body, name);
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		if (x < 0 || x > 9)
			return "bad";
		snprintf(g->buf, sizeof g->buf, "%d", (int)x);
		return g->buf;
	}
	if (json_is_string(v))
		return json_string_value(v);
	return "bad";
}

static int survey_rate_ok(struct req *r)
{
	static unsigned limit;
	if (!limit) {
		const char *v = getenv("CONSENT_SURVEY_ADDR_LIMIT");
		long n = v ? strtol(v, NULL, 10) : 0;
		limit = n > 0 && n < 1000000 ? (unsigned)n : 30;
	}
	return req_ratelimit(r, "survey-addr", req_client_addr(r), limit, 3600);
}

static char *survey_token(struct req *r, const struct survey_wave *w, int *is_new,
                          char hash[2 * CRYPTO_SHA256_LEN + 1])
{
	char name[48];
	snprintf(name, sizeof name, "consent_sv%lld", (long long)w->id);
	const char *cookie = req_cookie(r, name);
	char fresh[CRYPTO_TOKEN_CHARS + 1];
	*is_new = !cookie || strlen(cookie) != CRYPTO_TOKEN_CHARS;
	if (*is_new) {
		crypto_token_new(fresh);
		cookie = fresh;
	}
	uint8_t d[CRYPTO_SHA256_LEN];
	crypto_sha256(cookie, strlen(cookie), d);
	crypto_hex(d, sizeof d, hash);
	return req_strdup(r, cookie);
}

static void survey_set_cookie(struct req *r, const struct survey_wave *w, const char *token)
{
	char name[48];
	snprintf(name, sizeof name, "consent_sv%lld", (long long)w->id);
	long age = (long)(w->closes_at - clock_now()) + 30L * 86400;
	resp_cookie(r, name, token, age > 0 ? age : 86400);
}

static void responses_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	struct survey_wave w;
	if (!c || !api_allowed(r, ACT_SURVEY_RESPOND, 0) || !wave_of(r, c, &w))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"answers",  "area", "org", "ethnicity",
	                                      "religion", "sex",  "age", NULL};
	if (!api_only_fields(r, body, allowed))
		return;
	json_t *ans = json_object_get(body, "answers");
	if (!json_is_object(ans)) {
		resp_error(r, 422, "invalid", "answers",
		           "must be an object of question code: answer (1 to 5, or 0 for don't "
		           "know)");
		return;
	}
	json_t *wj = NULL;
	if (survey_wave_json(c, w.slug, "en", &wj) != ERR_OK) {
		resp_error(r, 500, "internal_error", NULL, "cannot read the wave");
		return;
	}
	const char *key;
	json_t *v;
	json_object_foreach(ans, key, v)
	{
		int known = 0;
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(wj, "items"), i, it) known |=
		    !strcmp(json_string_value(json_object_get(it, "code")), key);
		if (!known) {
			json_decref(wj);
			resp_error(r, 422, "invalid", req_printf(r, "answers.%.40s", key),
			           "is not a question of this survey");
			return;
		}
	}
	json_decref(wj);
	if (!survey_rate_ok(r))
		return;
	int is_new;
	char hash[2 * CRYPTO_SHA256_LEN + 1];
	char *token = survey_token(r, &w, &is_new, hash);
	struct json_get g = {.body = body};
	struct errinfo ei = {{0}, {0}};
	enum err e = survey_respond(c, &w, json_get, &g, req_lang(r), hash, &ei);
	if (!e) {
		if (is_new)
			survey_set_cookie(r, &w, token);
		struct survey_wave now;
		if (survey_wave_find(c, w.slug, &now) == ERR_OK)
			w = now;
	}
	api_answer(r, e, &ei, 201,
	       e ? NULL
	         : json_pack("{s:b, s:I}", "counted", 1, "responses", (json_int_t)w.responses));
}

static int flag(struct req *r, const char *name)
{
	const char *v = req_query(r, name);
	return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

static int is_csv(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "text/csv", 8) || (ct[8] && ct[8] != ';' && ct[8] != ' ')) {
		resp_error(r, 415, "unsupported_media_type", "Content-Type",
		           "the body must be text/csv");
		return 0;
	}
	return 1;
}

static void import_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	struct survey_wave w;
	if (!c || !api_signed_in(r) || !wave_of(r, c, &w) ||
	    !api_allowed(r, ACT_SURVEY_MANAGE, w.org_id) || !is_csv(r))
		return;
	size_t len;
	const char *body = req_body(r, &len);
	json_t *report = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = survey_import_csv(c, &w, body, len, flag(r, "skip_invalid"),
	                               flag(r, "dry_run"), &report, &ei);
	if (e && report) {
		/* Rows were rejected: the error names the csv, the report says
		 * which line, column and why. */
		json_t *err = json_pack("{s:{s:s, s:s, s:s}, s:o}", "error", "code", "invalid",
		                        "message", ei.msg, "field", ei.field, "report", report);
		resp_json(r, 422, err);
		return;
	}
	api_answer(r, e, &ei, 200, report);
}

static void indicators_get(struct req *r)
{
	struct store_conn *c = req_db(r);
	struct survey_wave w;
	if (!c || !api_allowed(r, ACT_SURVEY_VIEW, 0) || !wave_of(r, c, &w))
		return;
	json_t *o = NULL;
	enum err e = survey_indicators(c, w.slug, req_lang(r), &o);
	api_answer(r, e, NULL, 200, o);
}

/* A number with decimals digits (0 to 4). */
static void put_num(struct buf *b, json_t *v, double scale, int decimals)
{
	buf_putc(b, ',');
	if (json_is_number(v))
		buf_printf(b, "%.*f", decimals, json_number_value(v) * scale);
}

static void csv_cell(struct buf *b, const char *wave, const char *item, const char *bd,
                     json_t *cell)
{
	csv_put_raw(b, wave);
	buf_putc(b, ',');
	csv_put_raw(b, item);
	buf_putc(b, ',');
	csv_put_raw(b, bd);
	buf_putc(b, ',');
	csv_put_raw(b, json_string_value(json_object_get(cell, "group")));
	buf_putc(b, ',');
	csv_put_text(b, json_string_value(json_object_get(cell, "label")));
	put_num(b, json_object_get(cell, "n"), 1, 0);
	put_num(b, json_object_get(cell, "agree"), 1, 0);
	put_num(b, json_object_get(cell, "p"), 100, 2);
	put_num(b, json_object_get(cell, "lo"), 100, 2);
	put_num(b, json_object_get(cell, "hi"), 100, 2);
	put_num(b, json_object_get(cell, "n_eff"), 1, 1);
	put_num(b, json_object_get(cell, "gap"), 100, 2);
	put_num(b, json_object_get(cell, "p_value"), 1, 4);
	json_t *sig = json_object_get(cell, "significant");
	buf_printf(b, ",%s", sig ? (json_is_true(sig) ? "yes" : "no") : "");
	buf_printf(b, ",%s,", json_is_true(json_object_get(cell, "suppressed")) ? "yes" : "no");
	csv_put_raw(b, json_string_value(json_object_get(cell, "anchor")));
	buf_puts(b, "\r\n");
}

static void indicators_csv(struct req *r)
{
	struct store_conn *c = req_db(r);
	struct survey_wave w;
	if (!c || !api_allowed(r, ACT_SURVEY_VIEW, 0) || !wave_of(r, c, &w))
		return;
	json_t *o = NULL;
	enum err e = survey_indicators(c, w.slug, req_lang(r), &o);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "wave,item,breakdown,group,label,n,agree,percent_agree,lo,hi,n_eff,gap,"
	             "p_value,significant,suppressed,anchor\r\n");
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(o, "items"), i, item)
	{
		const char *code = json_string_value(json_object_get(item, "code"));
		json_t *overall = json_object_get(item, "overall");
		json_object_set_new(overall, "label", json_string("All respondents"));
		csv_cell(&b, w.slug, code, "overall", overall);
		const char *bd;
		json_t *list;
		json_object_foreach(json_object_get(item, "breakdowns"), bd, list)
		{
			size_t k;
			json_t *cell;
			json_array_foreach(list, k, cell) csv_cell(&b, w.slug, code, bd, cell);
		}
	}
	json_decref(o);
	resp_header(r, "Content-Disposition",
	            req_printf(r, "attachment; filename=\"%s-indicators.csv\"", w.slug));
	resp_body(r, 200, "text/csv; charset=utf-8", &b);
}

static const struct route routes[] = {
    {M_GET, "/api/v1/trust/categories", categories, 0},
    {M_GET, "/api/v1/trust/settings", settings_get, 0},
    {M_PUT, "/api/v1/trust/settings", settings_put, 0},
    {M_GET, "/api/v1/survey-instruments", instruments, 0},
    {M_GET, "/api/v1/surveys", waves_list, 0},
    {M_POST, "/api/v1/surveys", waves_create, 0},
    {M_GET, "/api/v1/surveys/{wave}", waves_get, 0},
    {M_PATCH, "/api/v1/surveys/{wave}", waves_update, 0},
    {M_POST, "/api/v1/surveys/{wave}/responses", responses_post, 0},
    {M_POST, "/api/v1/surveys/{wave}/import", import_post, 0},
    {M_GET, "/api/v1/surveys/{wave}/indicators", indicators_get, 0},
    {M_GET, "/api/v1/surveys/{wave}/indicators.csv", indicators_csv, 0},
};

void api_survey_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
