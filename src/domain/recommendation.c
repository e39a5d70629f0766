/* recommendation.c - recommendations on the store interface. */
#include "domain/recommendation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/audit.h"
#include "domain/field.h"
#include "domain/org.h"
#include "domain/policy.h"

#define RECOMMENDATION_MAX_SOURCES 30

static const char *const kinds[] = {"meeting",  "commitment", "consultation",
                                    "practice", "figure",     "link"};

/* Runs st to completion; returns its error. Resets it. */
/* The title of meeting or commitment id into out, or ERR_NOTFOUND. */
static enum err ref_title(struct store_conn *c, const char *kind, int64_t id, char *out, size_t n)
{
	static const char meeting[] = "SELECT title FROM meetings WHERE id = ? AND is_public = 1";
	static const char commitment[] = "SELECT title FROM commitments WHERE id = ?";
	struct store_stmt *st = store_prepare(c, !strcmp(kind, "meeting") ? meeting : commitment);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum err e = ERR_NOTFOUND;
	if (store_step(st) == STORE_ROW) {
		snprintf(out, n, "%s", store_col_text(st, 0));
		e = ERR_OK;
	}
	store_reset(st);
	return e;
}

static enum err check_sources(struct store_conn *c, json_t *src, struct errinfo *ei)
{
	if (!json_is_array(src) || json_array_size(src) > RECOMMENDATION_MAX_SOURCES)
		return err_set(ei, ERR_INVAL, "sources", "must be a list of at most %d sources",
		               RECOMMENDATION_MAX_SOURCES);
	size_t i;
	json_t *s;
	json_array_foreach(src, i, s)
	{
		const char *kind = json_string_value(json_object_get(s, "kind"));
		int known = 0;
		for (size_t k = 0; kind && k < sizeof kinds / sizeof kinds[0]; k++)
			known |= !strcmp(kind, kinds[k]);
		if (!json_is_object(s) || !known)
			return err_set(ei, ERR_INVAL, "sources",
			               "item %zu needs a kind: meeting, commitment, consultation, "
			               "practice, figure or link",
			               i + 1);
		const char *title = json_string_value(json_object_get(s, "title"));
		const char *url = json_string_value(json_object_get(s, "url"));
		if (!strcmp(kind, "meeting") || !strcmp(kind, "commitment")) {
			json_t *id = json_object_get(s, "id");
			char t[8];
			if (!json_is_integer(id) ||
			    ref_title(c, kind, json_integer_value(id), t, sizeof t) != ERR_OK)
				return err_set(ei, ERR_INVAL, "sources",
				               "item %zu: no public %s has this id", i + 1, kind);
		} else if (!title || !*title || strlen(title) > 200 ||
		           !utf8_valid(title, strlen(title)) ||
		           !(field_url_valid(url) || field_path_valid(url))) {
			return err_set(ei, ERR_INVAL, "sources",
			               "item %zu needs a title (1-200 bytes) and an http(s) link "
			               "or a path on this site",
			               i + 1);
		}
	}
	return ERR_OK;
}

static enum err write_sources(struct store_conn *c, int64_t id, json_t *src)
{
	static const char ins[] =
	    "INSERT INTO recommendation_sources (recommendation_id, position, kind, ref_id, "
	    "title, url) VALUES (?, ?, ?, ?, ?, ?)";
	size_t i;
	json_t *s;
	enum err e = ERR_OK;
	json_array_foreach(src, i, s)
	{
		const char *kind = json_string_value(json_object_get(s, "kind"));
		struct store_stmt *st = store_prepare(c, ins);
		if (e || !st)
			return e ? e : ERR_STORE;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, (int64_t)i);
		store_bind_text(st, 3, kind);
		char title[256] = "", url[64] = "";
		if (!strcmp(kind, "meeting") || !strcmp(kind, "commitment")) {
			int64_t ref = json_integer_value(json_object_get(s, "id"));
			store_bind_int(st, 4, ref);
			ref_title(c, kind, ref, title, sizeof title);
			snprintf(url, sizeof url, "/%ss/%lld", kind, (long long)ref);
			store_bind_text(st, 5, title);
			store_bind_text(st, 6, url);
		} else {
			store_bind_null(st, 4);
			store_bind_text(st, 5, json_string_value(json_object_get(s, "title")));
			store_bind_text(st, 6, json_string_value(json_object_get(s, "url")));
		}
		e = store_run(st);
	}
	return e;
}

enum err recommendation_create(struct store_conn *c, const struct actor *actor,
                               const struct recommendation_in *in, int64_t *idp, struct errinfo *ei)
{
	if (!policy_allows(actor, ACT_RECOMMENDATION_CREATE, 0))
		return err_set(ei, actor && actor->user_id ? ERR_FORBIDDEN : ERR_UNAUTH, "",
		               "your role does not allow recommendation.create");
	enum err e;
	if ((e = field_text(ei, "title", in->title, 200, 1)) ||
	    (e = field_text(ei, "body", in->body, 20000, 1)))
		return e;
	int64_t from = 0, to = 0, area = 0;
	if (in->from_org && org_find(c, in->from_org, &from, NULL) != ERR_OK)
		return err_set(ei, ERR_INVAL, "from_org", "no organisation has this slug");
	if (!in->to_org || org_find(c, in->to_org, &to, NULL) != ERR_OK)
		return err_set(ei, ERR_INVAL, "to_org", "must be the slug of an organisation");
	if (from && from == to)
		return err_set(ei, ERR_INVAL, "to_org",
		               "must not be the recommending organisation");
	if (in->area) {
		json_t *a = NULL;
		e = area_get(c, in->area, &a, &area);
		json_decref(a);
		if (e)
			return err_set(ei, ERR_INVAL, "area", "no area has this slug");
	}
	if (in->sources && (e = check_sources(c, in->sources, ei)))
		return e;
	if (from ? !policy_allows(actor, ACT_RECOMMENDATION_CREATE, from)
	         : !(actor->is_admin && policy_scope(ROLE_ADMIN, ACT_RECOMMENDATION_CREATE)))
		return err_set(ei, ERR_FORBIDDEN, "from_org",
		               "you can only make recommendations for your own organisation");
	if ((e = store_begin(c)))
		return err_set(ei, e, "", "database error");
	static const char sql[] =
	    "INSERT INTO recommendations (title, body, from_org_id, to_org_id, area_id, "
	    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
	struct store_stmt *st = store_prepare(c, sql);
	int64_t id = 0, now = clock_now();
	if (!st) {
		e = ERR_STORE;
	} else {
		store_bind_text(st, 1, in->title);
		store_bind_text(st, 2, in->body);
		if (from)
			store_bind_int(st, 3, from);
		else
			store_bind_null(st, 3);
		store_bind_int(st, 4, to);
		if (area)
			store_bind_int(st, 5, area);
		else
			store_bind_null(st, 5);
		store_bind_int(st, 6, now);
		store_bind_int(st, 7, now);
		if (store_step(st) == STORE_ROW)
			id = store_col_int(st, 0);
		else
			e = store_stmt_err(st);
		store_reset(st);
	}
	if (!e && in->sources)
		e = write_sources(c, id, in->sources);
	char object[48];
	snprintf(object, sizeof object, "recommendation:%lld", (long long)id);
	if (!e)
		e = audit_record(c, actor, ACT_RECOMMENDATION_CREATE, from, object, "status open");
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		return err_set(ei, e, "", "database error");
	}
	if (idp)
		*idp = id;
	return ERR_OK;
}

static int64_t addressee(struct store_conn *c, int64_t id, char status[16])
{
	static const char sql[] = "SELECT to_org_id, status FROM recommendations WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	int64_t to = 0;
	if (!st)
		return 0;
	store_bind_int(st, 1, id);
	if (store_step(st) == STORE_ROW) {
		to = store_col_int(st, 0);
		snprintf(status, 16, "%s", store_col_text(st, 1));
	}
	store_reset(st);
	return to;
}

int recommendation_may_respond(struct store_conn *c, const struct actor *actor, int64_t id)
{
	char status[16];
	int64_t to = addressee(c, id, status);
	return to && policy_allows(actor, ACT_RECOMMENDATION_RESPOND, to);
}

/* Moves an addressee may make. implemented is final. */
static int move_ok(const char *from, const char *to)
{
	static const char *const ok[][2] = {
	    {"open", "accepted"},        {"open", "rejected"},     {"open", "implemented"},
	    {"accepted", "implemented"}, {"accepted", "rejected"}, {"accepted", "open"},
	    {"rejected", "open"},        {"rejected", "accepted"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!strcmp(ok[i][0], from) && !strcmp(ok[i][1], to))
			return 1;
	return 0;
}

enum err recommendation_respond(struct store_conn *c, const struct actor *actor, int64_t id,
                                const char *status, const char *reason, const char *response,
                                struct errinfo *ei)
{
	if (!actor || !actor->user_id)
		return err_set(ei, ERR_UNAUTH, "", "sign in first");
	char cur[16] = "";
	int64_t to = addressee(c, id, cur);
	if (!to)
		return err_set(ei, ERR_NOTFOUND, "id", "no recommendation has this id");
	if (!policy_allows(actor, ACT_RECOMMENDATION_RESPOND, to))
		return err_set(ei, ERR_FORBIDDEN, "",
		               "only the organisation it is addressed to answers");
	static const char *const valid[] = {"open", "accepted", "rejected", "implemented"};
	int known = 0;
	for (size_t i = 0; status && i < 4; i++)
		known |= !strcmp(status, valid[i]);
	if (!known)
		return err_set(ei, ERR_INVAL, "status",
		               "must be one of open, accepted, rejected, implemented");
	enum err e;
	if ((e = field_text(ei, "reason", reason, 4000, 0)) ||
	    (e = field_text(ei, "response", response, 20000, 0)))
		return e;
	if (!strcmp(status, "rejected") && (!reason || !*reason))
		return err_set(ei, ERR_INVAL, "reason", "is required to reject a recommendation");
	int same = !strcmp(cur, status);
	if (!same && !move_ok(cur, status))
		return err_set(ei, ERR_CONFLICT, "status",
		               "a recommendation that is %s cannot become %s", cur, status);
	if ((e = store_begin(c)))
		return err_set(ei, e, "", "database error");
	static const char sql[] = "UPDATE recommendations SET status = ?, reason = ?, "
	                          "response = COALESCE(?, response), updated_at = ? "
	                          "WHERE id = ? AND status = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		e = ERR_STORE;
	} else {
		store_bind_text(st, 1, status);
		store_bind_text(st, 2, !strcmp(status, "rejected") ? reason : "");
		store_bind_text(st, 3, response);
		store_bind_int(st, 4, clock_now());
		store_bind_int(st, 5, id);
		store_bind_text(st, 6, cur);
		e = store_run(st);
		if (!e && store_changes(c) != 1)
			e = ERR_CONFLICT;
	}
	char object[48], purpose[64];
	snprintf(object, sizeof object, "recommendation:%lld", (long long)id);
	snprintf(purpose, sizeof purpose, "status %s -> %s", cur, status);
	if (!e)
		e = audit_record(c, actor, ACT_RECOMMENDATION_RESPOND, to, object, purpose);
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		return err_set(ei, e, e == ERR_CONFLICT ? "status" : "",
		               e == ERR_CONFLICT ? "the recommendation changed meanwhile; reload"
		                                 : "database error");
	}
	return ERR_OK;
}

static json_t *time_json(int64_t t)
{
	char ts[32];
	clock_format_rfc3339(t, ts);
	return json_string(ts);
}

static json_t *ref(struct store_stmt *st, int slug, int name)
{
	if (!store_col_text(st, slug))
		return json_null();
	return json_pack("{s:s, s:s}", "slug", store_col_text(st, slug), "name",
	                 store_col_text(st, name));
}

#define RECOMMENDATION_COLUMNS                                                                     \
	"SELECT r.id, r.title, r.body, f.slug, f.name, t.slug, t.name, a.slug, a.name, "           \
	"r.status, r.reason, r.response, r.created_at, r.updated_at FROM recommendations r "       \
	"LEFT JOIN orgs f ON f.id = r.from_org_id JOIN orgs t ON t.id = r.to_org_id LEFT JOIN "    \
	"areas a ON a.id = r.area_id "

static json_t *row_json(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:o}", "id",
	                 (json_int_t)store_col_int(st, 0), "title", store_col_text(st, 1), "body",
	                 store_col_text(st, 2), "from", ref(st, 3, 4), "to", ref(st, 5, 6), "area",
	                 ref(st, 7, 8), "status", store_col_text(st, 9), "reason",
	                 store_col_text(st, 10), "response", store_col_text(st, 11), "created",
	                 time_json(store_col_int(st, 12)), "updated",
	                 time_json(store_col_int(st, 13)));
}

static json_t *sources_json(struct store_conn *c, int64_t id)
{
	static const char sql[] = "SELECT kind, ref_id, title, url FROM recommendation_sources "
	                          "WHERE recommendation_id = ? ORDER BY position";
	json_t *arr = json_array();
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return arr;
	store_bind_int(st, 1, id);
	while (store_step(st) == STORE_ROW) {
		json_t *s = json_pack("{s:s, s:s, s:s}", "kind", store_col_text(st, 0), "title",
		                      store_col_text(st, 2), "url", store_col_text(st, 3));
		json_object_set_new(s, "id",
		                    store_col_isnull(st, 1)
		                        ? json_null()
		                        : json_integer((json_int_t)store_col_int(st, 1)));
		json_array_append_new(arr, s);
	}
	store_reset(st);
	return arr;
}

enum err recommendation_get(struct store_conn *c, int64_t id, json_t **out)
{
	static const char sql[] = RECOMMENDATION_COLUMNS "WHERE r.id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum store_step r = store_step(st);
	json_t *o = r == STORE_ROW ? row_json(st) : NULL;
	enum err e = o ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	store_reset(st);
	if (e)
		return e;
	json_object_set_new(o, "sources", sources_json(c, id));
	*out = o;
	return ERR_OK;
}

enum err recommendation_list(struct store_conn *c, const char *org, const char *status,
                             json_t **out, struct errinfo *ei)
{
	int64_t oid = 0;
	if (org && org_find(c, org, &oid, NULL) != ERR_OK)
		return err_set(ei, ERR_INVAL, "org", "no organisation has this slug");
	static const char sql[] = RECOMMENDATION_COLUMNS
	    "WHERE (CAST(? AS BIGINT) = 0 OR r.to_org_id = ? OR r.from_org_id = ?) "
	    "AND (CAST(? AS TEXT) IS NULL OR r.status = ?) ORDER BY r.created_at DESC, r.id DESC "
	    "LIMIT 1000";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	store_bind_int(st, 1, oid);
	store_bind_int(st, 2, oid);
	store_bind_int(st, 3, oid);
	store_bind_text(st, 4, status);
	store_bind_text(st, 5, status);
	json_t *arr = json_array();
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		json_array_append_new(arr, row_json(st));
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	for (size_t i = 0; !e && i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		json_object_set_new(o, "sources",
		                    sources_json(c, json_integer_value(json_object_get(o, "id"))));
	}
	if (e) {
		json_decref(arr);
		return err_set(ei, e, "", "database error");
	}
	*out = arr;
	return ERR_OK;
}
