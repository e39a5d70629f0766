/* reportpublic.c - the public side of reports: what Open311 lists. */
#include <string.h>

#include "base/clock.h"
#include "domain/report_internal.h"

#define PUBLIC_COLS                                                                                \
	"SELECT r.public_id, r.status, c.code, c.label_en, p.name, r.created_at, "                 \
	"r.updated_at, a.name, r.lat_approx, r.long_approx, (SELECT u.note FROM "                  \
	"report_updates u WHERE u.report_id = r.id AND u.note <> '' ORDER BY u.id DESC "           \
	"LIMIT 1) FROM reports r JOIN report_categories c ON c.id = r.category_id JOIN areas "     \
	"a ON a.id = r.area_id LEFT JOIN orgs p ON p.id = r.police_org_id WHERE c.is_public = "    \
	"1 AND r.consent <> 'statistics' AND r.erased_at IS NULL "

static json_t *text_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *time_of(int64_t t)
{
	char s[32];
	clock_format_rfc3339(t, s);
	return json_string(s);
}

static json_t *public_row(struct store_stmt *st)
{
	const char *status = store_col_text(st, 1);
	int closed = !strcmp(status, "resolved") || !strcmp(status, "closed");
	json_t *o = json_object();
	json_object_set_new(o, "service_request_id", json_string(store_col_text(st, 0)));
	json_object_set_new(o, "status", json_string(closed ? "closed" : "open"));
	json_object_set_new(o, "status_notes", text_or_null(store_col_text(st, 10)));
	json_object_set_new(o, "service_name", json_string(store_col_text(st, 3)));
	json_object_set_new(o, "service_code", json_string(store_col_text(st, 2)));
	json_object_set_new(o, "description", json_null());
	json_object_set_new(o, "agency_responsible", text_or_null(store_col_text(st, 4)));
	json_object_set_new(o, "service_notice", json_null());
	json_object_set_new(o, "requested_datetime", time_of(store_col_int(st, 5)));
	json_object_set_new(o, "updated_datetime", time_of(store_col_int(st, 6)));
	json_object_set_new(o, "expected_datetime", json_null());
	json_object_set_new(o, "address", json_string(store_col_text(st, 7)));
	json_object_set_new(o, "address_id", json_null());
	json_object_set_new(o, "zipcode", json_null());
	int pos = !store_col_isnull(st, 8);
	json_object_set_new(o, "lat", pos ? json_real(store_col_double(st, 8)) : json_null());
	json_object_set_new(o, "long", pos ? json_real(store_col_double(st, 9)) : json_null());
	json_object_set_new(o, "media_url", json_null());
	return o;
}

enum err report_public_list(struct store_conn *c, const struct report_public_filter *f,
                            json_t **out)
{
	static const char sql[] = PUBLIC_COLS
	    "AND (? = 0 OR c.code IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)) "
	    "AND ((? = 1 AND r.status IN ('received', 'acknowledged', 'in_progress')) OR "
	    "(? = 1 AND r.status IN ('resolved', 'closed'))) AND r.created_at BETWEEN ? AND ? "
	    "ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?";
	if (f->ncodes > REPORT_PUBLIC_CODES)
		return ERR_INVAL;
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)f->ncodes);
	for (size_t i = 0; i < REPORT_PUBLIC_CODES; i++)
		store_bind_text(st, 2 + (int)i, i < f->ncodes ? f->codes[i] : "");
	int p = 2 + REPORT_PUBLIC_CODES;
	store_bind_int(st, p, f->open != 0);
	store_bind_int(st, p + 1, f->closed != 0);
	store_bind_int(st, p + 2, f->start);
	store_bind_int(st, p + 3, f->end);
	store_bind_int(st, p + 4, f->page_size);
	store_bind_int(st, p + 5, (int64_t)(f->page - 1) * f->page_size);
	json_t *arr = json_array();
	enum store_step s;
	while ((s = store_step(st)) == STORE_ROW)
		json_array_append_new(arr, public_row(st));
	enum err e = s == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	if (e) {
		json_decref(arr);
		return e;
	}
	*out = arr;
	return ERR_OK;
}

enum err report_public_get(struct store_conn *c, const char *id, json_t **out)
{
	static const char sql[] = PUBLIC_COLS "AND r.public_id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, id);
	enum store_step s = store_step(st);
	enum err e = s == STORE_ROW ? ERR_OK : s == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (!e)
		*out = public_row(st);
	store_reset(st);
	return e;
}
