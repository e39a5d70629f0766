/* reports.c - reports with consent, the JSON side:
 *   GET /api/v1/categories, POST /api/v1/categories (admins),
 *   PATCH /api/v1/categories/{code} (admins)
 *   POST /api/v1/reports                       file a report -> {id, receipt}
 *   GET /api/v1/reports                        triage list (staff)
 *   GET /api/v1/reports/stats?by=&format=      suppressed counts, JSON or CSV
 *   GET /api/v1/reports/{id}?purpose=          open a report (staff; logged)
 *   POST /api/v1/reports/{id}/status           {"status","note"} (staff; logged)
 *   POST /api/v1/reports/{id}/messages         {"body"} (staff; logged)
 *   POST /api/v1/reports/{id}/override         {"reason"} (supervisors; logged)
 *   GET /api/v1/receipts/{token}               the reporter's receipt
 *   POST /api/v1/receipts/{token}/messages     the reporter writes
 *   POST /api/v1/receipts/{token}/consent      {"consent", "reporter"?}
 *   POST /api/v1/receipts/{token}/erase        {"confirm": true} */
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <stdio.h>

#include "api/api.h"
#include "base/xalloc.h"
#include "domain/category.h"
#include "domain/policy.h"
#include "domain/report.h"
#include "domain/reportstats.h"

/* --- categories ---------------------------------------------------------- */

static void categories_list(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_CATEGORY_LIST, 0))
		return;
	const char *all = req_query(r, "all");
	json_t *cats = NULL, *strands = NULL;
	enum err e = category_list(c, 0, !(all && !strcmp(all, "1")), &cats);
	if (!e)
		e = category_strands(c, &strands);
	if (e) {
		json_decref(cats);
		resp_err(r, e, NULL);
		return;
	}
	resp_json(r, 200, json_pack("{s:o, s:o}", "categories", cats, "strands", strands));
}

/* Reads a boolean field into *out (-1 when absent). */
static int bool_field(struct req *r, json_t *body, const char *field, int *out)
{
	json_t *v = json_object_get(body, field);
	*out = -1;
	if (!v || json_is_null(v))
		return 1;
	if (!json_is_boolean(v)) {
		resp_error(r, 422, "invalid", field, "must be true or false");
		return 0;
	}
	*out = json_is_true(v);
	return 1;
}

/* Reads {"en","fr","nl"} strings of field into out[] (NULL when absent). */
static int langs_field(struct req *r, json_t *body, const char *field,
                       const char *out[CATEGORY_LANGS])
{
	json_t *v = json_object_get(body, field);
	for (int k = 0; k < CATEGORY_LANGS; k++)
		out[k] = NULL;
	if (!v || json_is_null(v))
		return 1;
	if (!json_is_object(v)) {
		resp_error(r, 422, "invalid", field, "must be an object with en, fr and nl texts");
		return 0;
	}
	const char *key;
	json_t *x;
	json_object_foreach(v, key, x)
	{
		int k = 0;
		while (k < CATEGORY_LANGS && strcmp(category_langs[k], key))
			k++;
		const char *f = req_printf(r, "%s.%s", field, key);
		if (k == CATEGORY_LANGS) {
			resp_error(r, 422, "invalid", f, "unknown language (en, fr, nl)");
			return 0;
		}
		if (!api_string(r, v, key, 0, &out[k]))
			return 0;
	}
	return 1;
}

static int category_body(struct req *r, json_t *body, int creating, struct category_input *in)
{
	static const char *const allowed_create[] = {"code",     "public", "strands",     "active",
	                                             "position", "label",  "description", NULL};
	memset(in, 0, sizeof *in);
	in->position = -1;
	if (!api_only_fields(r, body, creating ? allowed_create : allowed_create + 1) ||
	    (creating && !api_string(r, body, "code", 1, &in->code)) ||
	    !bool_field(r, body, "public", &in->is_public) ||
	    !bool_field(r, body, "strands", &in->has_strands) ||
	    !bool_field(r, body, "active", &in->active) ||
	    !langs_field(r, body, "label", in->label) ||
	    !langs_field(r, body, "description", in->description))
		return 0;
	json_t *pos = json_object_get(body, "position");
	if (pos && !json_is_null(pos)) {
		if (!json_is_integer(pos) || json_integer_value(pos) < 0) {
			resp_error(r, 422, "invalid", "position", "must be a whole number >= 0");
			return 0;
		}
		in->position = json_integer_value(pos);
	}
	return 1;
}

static void categories_create(struct req *r)
{
	if (!api_allowed(r, ACT_CATEGORY_CREATE, 0))
		return;
	json_t *body = req_json(r);
	struct category_input in;
	if (!body || !category_body(r, body, 1, &in))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = category_create(c, &in, &ei);
	json_t *o = NULL;
	if (!e)
		e = category_get(c, in.code, &o);
	api_answer(r, e, &ei, 201, o);
}

static void categories_update(struct req *r)
{
	if (!api_allowed(r, ACT_CATEGORY_UPDATE, 0))
		return;
	json_t *body = req_json(r);
	struct category_input in;
	if (!body || !category_body(r, body, 0, &in))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	in.code = req_param(r, "code");
	struct errinfo ei = {{0}, {0}};
	enum err e = category_update(c, &in, &ei);
	json_t *o = NULL;
	if (!e)
		e = category_get(c, in.code, &o);
	api_answer(r, e, &ei, 200, o);
}

/* Reads a JSON body made of exactly one required string field; answers
 * (415, 400, 422 naming the field) and returns 0 otherwise. */
static int one_string_body(struct req *r, const char *field, const char **out)
{
	json_t *body = req_json(r);
	const char *const allowed[] = {field, NULL};
	return body && api_only_fields(r, body, allowed) && api_string(r, body, field, 1, out);
}

/* --- filing -------------------------------------------------------------- */

/* location: {"address": TEXT} and/or {"lat": N, "long": N}. */
static int location_field(struct req *r, json_t *body, struct report_input *in)
{
	json_t *loc = json_object_get(body, "location");
	if (!loc || json_is_null(loc))
		return 1;
	if (!json_is_object(loc)) {
		resp_error(r, 422, "invalid", "location",
		           "must be {\"address\": TEXT} or {\"lat\": N, \"long\": N}");
		return 0;
	}
	const char *key;
	json_t *v;
	json_object_foreach(loc, key, v) if (strcmp(key, "address") && strcmp(key, "lat") &&
	                                     strcmp(key, "long"))
	{
		resp_error(r, 422, "invalid", req_printf(r, "location.%s", key), "unknown field");
		return 0;
	}
	json_t *lat = json_object_get(loc, "lat"), *lon = json_object_get(loc, "long");
	v = json_object_get(loc, "address");
	if (v && !json_is_null(v)) {
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
			resp_error(r, 422, "invalid", "location.address", "must be a string");
			return 0;
		}
		in->address = json_string_value(v);
	}
	if (lat || lon) {
		if (!json_is_number(lat) || !json_is_number(lon)) {
			resp_error(r, 422, "invalid",
			           json_is_number(lat) ? "location.long" : "location.lat",
			           "lat and long must both be numbers");
			return 0;
		}
		in->has_position = 1;
		in->lat = json_number_value(lat);
		in->lon = json_number_value(lon);
	}
	if (!in->address && !in->has_position) {
		resp_error(r, 422, "invalid", "location",
		           "must be {\"address\": TEXT} or {\"lat\": N, \"long\": N}");
		return 0;
	}
	return 1;
}

static int reporter_field(struct req *r, json_t *body, struct report_input *in)
{
	json_t *rep = json_object_get(body, "reporter");
	if (!rep || json_is_null(rep))
		return 1;
	if (!json_is_object(rep)) {
		resp_error(r, 422, "invalid", "reporter",
		           "must be an object with name, email and phone");
		return 0;
	}
	const char *key;
	json_t *v;
	json_object_foreach(rep, key, v)
	{
		const char *f = req_printf(r, "reporter.%s", key);
		const char **dst = !strcmp(key, "name")    ? &in->name
		                   : !strcmp(key, "email") ? &in->email
		                   : !strcmp(key, "phone") ? &in->phone
		                                           : NULL;
		if (!dst) {
			resp_error(r, 422, "invalid", f, "unknown field");
			return 0;
		}
		if (!json_is_null(v) &&
		    (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))) {
			resp_error(r, 422, "invalid", f, "must be a string");
			return 0;
		}
		*dst = json_string_value(v);
	}
	return 1;
}

static void reports_create(struct req *r)
{
	if (!api_allowed(r, ACT_REPORT_FILE, 0))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"category", "strands",  "description", "occurred_at",
	                                      "area",     "location", "consent",     "reporter",
	                                      "via",      NULL};
	struct report_input in;
	memset(&in, 0, sizeof in);
	in.source = "api";
	in.strands = json_object_get(body, "strands");
	if (!api_only_fields(r, body, allowed) ||
	    !api_string(r, body, "category", 1, &in.category) ||
	    !api_string(r, body, "description", 1, &in.description) ||
	    !api_string(r, body, "occurred_at", 1, &in.occurred_at) ||
	    !api_string(r, body, "area", 1, &in.area) || !location_field(r, body, &in) ||
	    !api_string(r, body, "consent", 1, &in.consent) || !reporter_field(r, body, &in) ||
	    !api_string(r, body, "via", 0, &in.via))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	struct report_receipt rc;
	enum err e = report_create(c, req_app(r)->data_kek, req_actor(r), &in, &rc, &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_json(r, 201,
	          json_pack("{s:s, s:s, s:s}", "id", rc.id, "receipt", rc.token, "receipt_url",
	                    req_printf(r, "/r/%s", rc.token)));
}

/* --- receipts ------------------------------------------------------------ */

static void receipt_answer(struct req *r, struct store_conn *c, int status)
{
	json_t *o = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = report_receipt_json(c, req_app(r)->data_kek, req_app(r)->tlog,
	                                 req_param(r, "token"), req_lang(r), &o, NULL);
	if (e == ERR_NOTFOUND)
		err_set(&ei, e, "token", "no report has this receipt");
	api_answer(r, e, &ei, status, o);
}

static void receipts_get(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (c)
		receipt_answer(r, c, 200);
}

static void receipts_message(struct req *r)
{
	const char *text;
	struct store_conn *c;
	if (!one_string_body(r, "body", &text) || !(c = req_db(r)))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e =
	    report_receipt_reply(c, req_app(r)->data_kek, req_param(r, "token"), text, &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	receipt_answer(r, c, 201);
}

static void receipts_consent(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"consent", "reporter", NULL};
	struct report_input in;
	memset(&in, 0, sizeof in);
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "consent", 1, &in.consent) ||
	    !reporter_field(r, body, &in))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = report_receipt_consent(c, req_app(r)->data_kek, req_param(r, "token"),
	                                    in.consent, in.name, in.email, in.phone, &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	receipt_answer(r, c, 200);
}

static void receipts_erase(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"confirm", NULL};
	if (!api_only_fields(r, body, allowed))
		return;
	if (!json_is_true(json_object_get(body, "confirm"))) {
		resp_error(r, 422, "invalid", "confirm",
		           "must be true: erasure destroys the report's personal data for good");
		return;
	}
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = report_receipt_erase(c, req_param(r, "token"), &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	receipt_answer(r, c, 200);
}

/* --- staff ------------------------------------------------------------------- */

/* An optional whole-number query argument in [lo, hi]; def when absent.
 * Answers 400 naming it and returns 0 when malformed. */
static int query_int(struct req *r, const char *name, int lo, int hi, int def, int *out)
{
	const char *v = req_query(r, name);
	*out = def;
	if (!v || !*v)
		return 1;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < lo || n > hi) {
		resp_error(r, 400, "invalid", name, "must be a whole number from %d to %d", lo, hi);
		return 0;
	}
	*out = (int)n;
	return 1;
}

static const char *query_or_null(struct req *r, const char *name)
{
	const char *v = req_query(r, name);
	return v && *v ? v : NULL;
}

static void reports_triage(struct req *r)
{
	const struct actor *a = api_signed_in(r);
	if (!a || !api_allowed(r, ACT_REPORT_TRIAGE, 0))
		return;
	struct report_filter f;
	memset(&f, 0, sizeof f);
	f.org = query_or_null(r, "org");
	f.status = query_or_null(r, "status");
	f.category = query_or_null(r, "category");
	f.area = query_or_null(r, "area");
	if (!query_int(r, "min_age_days", 0, 36500, -1, &f.min_age_days) ||
	    !query_int(r, "max_age_days", 0, 36500, -1, &f.max_age_days) ||
	    !query_int(r, "page", 1, 100000, 1, &f.page) ||
	    !query_int(r, "page_size", 1, REPORT_PAGE_MAX, 50, &f.page_size))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	json_t *o = NULL;
	enum err e = report_triage(c, a, &f, req_lang(r), &o, &ei);
	if (e == ERR_INVAL) {
		resp_error(r, 400, "invalid", ei.field, "%s", ei.msg);
		return;
	}
	api_answer(r, e, &ei, 200, o);
}

static void reports_get(struct req *r)
{
	const struct actor *a = api_signed_in(r);
	if (!a || !api_allowed(r, ACT_REPORT_READ, 0))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const char *purpose = query_or_null(r, "purpose");
	struct errinfo ei = {{0}, {0}};
	json_t *o = NULL;
	enum err e = report_staff_view(c, req_app(r)->data_kek, a, req_param(r, "id"),
	                               purpose ? purpose : "report handling", req_lang(r), &o, &ei);
	if (e == ERR_INVAL) {
		resp_error(r, 400, "invalid", ei.field, "%s", ei.msg);
		return;
	}
	api_answer(r, e, &ei, 200, o);
}

static void reports_status(struct req *r)
{
	const struct actor *a = api_signed_in(r);
	if (!a || !api_allowed(r, ACT_REPORT_STATUS, 0))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"status", "note", NULL};
	const char *status, *note;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "status", 1, &status) ||
	    !api_string(r, body, "note", 0, &note))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = report_set_status(c, a, req_param(r, "id"), status, note, &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_json(r, 200, json_pack("{s:s, s:s}", "id", req_param(r, "id"), "status", status));
}

static void reports_message(struct req *r)
{
	const struct actor *a = api_signed_in(r);
	const char *text;
	struct store_conn *c;
	if (!a || !api_allowed(r, ACT_REPORT_MESSAGE, 0) || !one_string_body(r, "body", &text) ||
	    !(c = req_db(r)))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e =
	    report_staff_message(c, req_app(r)->data_kek, a, req_param(r, "id"), text, &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_json(r, 201, json_pack("{s:s, s:b}", "id", req_param(r, "id"), "sent", 1));
}

static void reports_override(struct req *r)
{
	const struct actor *a = api_signed_in(r);
	const char *reason;
	struct store_conn *c;
	if (!a || !api_allowed(r, ACT_REPORT_OVERRIDE, 0) ||
	    !one_string_body(r, "reason", &reason) || !(c = req_db(r)))
		return;
	struct errinfo ei = {{0}, {0}};
	json_t *o = NULL;
	enum err e = report_override(c, req_app(r)->data_kek, a, req_param(r, "id"), reason,
	                             req_lang(r), &o, &ei);
	api_answer(r, e, &ei, 200, o);
}

/* --- statistics ------------------------------------------------------------- */

/* Appends s to b as one CSV field (libcsv quotes it when needed). */
static void csv_field(struct buf *b, const char *s, int last)
{
	size_t n = strlen(s), need = csv_write(NULL, 0, s, n);
	char *tmp = xmalloc(need);
	csv_write(tmp, need, s, n);
	buf_append(b, tmp, need);
	free(tmp);
	buf_puts(b, last ? "\r\n" : ",");
}

static const char *cell_text(struct req *r, json_t *v)
{
	return json_is_string(v) ? json_string_value(v)
	                         : req_printf(r, "%lld", (long long)json_integer_value(v));
}

/* The table of report_stats as CSV: a header, one line per row, then the
 * totals. */
static void stats_csv(struct req *r, json_t *t)
{
	struct buf b;
	buf_init(&b);
	json_t *by = json_object_get(t, "by"), *cols = json_object_get(t, "columns"), *v, *row;
	size_t i, k;
	csv_field(&b, json_string_value(json_array_get(by, 0)), 0);
	csv_field(&b, "label", 0);
	json_array_foreach(cols, k, v)
	    csv_field(&b, json_string_value(json_object_get(v, "key")), 0);
	csv_field(&b, "total", 1);
	json_array_foreach(json_object_get(t, "rows"), i, row)
	{
		csv_field(&b, json_string_value(json_object_get(row, "key")), 0);
		csv_field(&b, json_string_value(json_object_get(row, "label")), 0);
		json_array_foreach(json_object_get(row, "cells"), k, v)
		    csv_field(&b, cell_text(r, v), 0);
		csv_field(&b, cell_text(r, json_object_get(row, "total")), 1);
	}
	csv_field(&b, "total", 0);
	csv_field(&b, "", 0);
	json_array_foreach(cols, k, v) csv_field(&b, cell_text(r, json_object_get(v, "total")), 0);
	csv_field(&b, cell_text(r, json_object_get(t, "total")), 1);
	resp_header(r, "Content-Disposition", "inline; filename=\"report-statistics.csv\"");
	resp_body(r, 200, "text/csv; charset=utf-8", &b);
}

/* Parses "YYYY-MM" into YYYYMM; answers 400 naming it when malformed. */
static int month_query(struct req *r, const char *name, int64_t *out)
{
	const char *v = req_query(r, name);
	*out = 0;
	if (!v || !*v)
		return 1;
	int y, m;
	char tail;
	if (strlen(v) != 7 || sscanf(v, "%4d-%2d%c", &y, &m, &tail) != 2 || y < 1970 || m < 1 ||
	    m > 12) {
		resp_error(r, 400, "invalid", name, "must be a month, such as 2025-03");
		return 0;
	}
	*out = (int64_t)y * 100 + m;
	return 1;
}

static void reports_stats(struct req *r)
{
	if (!api_allowed(r, ACT_REPORT_STATS, 0))
		return;
	struct report_stats_query q;
	memset(&q, 0, sizeof q);
	const char *by = req_query(r, "by");
	char dims[64];
	snprintf(dims, sizeof dims, "%s", by && *by ? by : "category");
	for (char *save = NULL, *t = strtok_r(dims, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		int d = report_dim_parse(t);
		if (d < 0 || q.ndims == 2) {
			resp_error(r, 400, "invalid", "by",
			           "must be one or two of category, strand, area, month");
			return;
		}
		q.dims[q.ndims++] = d;
	}
	const char *format = req_query(r, "format");
	if (format && strcmp(format, "json") && strcmp(format, "csv")) {
		resp_error(r, 400, "invalid", "format", "must be json or csv");
		return;
	}
	q.category = query_or_null(r, "category");
	q.area = query_or_null(r, "area");
	q.lang = req_lang(r);
	if (!month_query(r, "from", &q.from_month) || !month_query(r, "to", &q.to_month))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	json_t *t = NULL;
	enum err e = report_stats(c, &q, &t, &ei);
	if (e == ERR_INVAL) {
		resp_error(r, 400, "invalid", ei.field, "%s", ei.msg);
		return;
	}
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	if (format && !strcmp(format, "csv")) {
		stats_csv(r, t);
		json_decref(t);
		return;
	}
	resp_json(r, 200, t);
}

static const struct route routes[] = {
    {M_GET, "/api/v1/categories", categories_list, 0},
    {M_POST, "/api/v1/categories", categories_create, 0},
    {M_PATCH, "/api/v1/categories/{code}", categories_update, 0},
    {M_POST, "/api/v1/reports", reports_create, 0},
    {M_GET, "/api/v1/reports", reports_triage, 0},
    {M_GET, "/api/v1/reports/stats", reports_stats, 0},
    {M_GET, "/api/v1/reports/{id}", reports_get, 0},
    {M_POST, "/api/v1/reports/{id}/status", reports_status, 0},
    {M_POST, "/api/v1/reports/{id}/messages", reports_message, 0},
    {M_POST, "/api/v1/reports/{id}/override", reports_override, 0},
    {M_GET, "/api/v1/receipts/{token}", receipts_get, 0},
    {M_POST, "/api/v1/receipts/{token}/messages", receipts_message, 0},
    {M_POST, "/api/v1/receipts/{token}/consent", receipts_consent, 0},
    {M_POST, "/api/v1/receipts/{token}/erase", receipts_erase, 0},
};

void api_report_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
