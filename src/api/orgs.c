/* orgs.c - organisations, areas, memberships and accounts:
 *   GET/POST /api/v1/orgs, GET/PATCH/DELETE /api/v1/orgs/{slug}
 *   GET/POST /api/v1/orgs/{slug}/members,
 *   PATCH/DELETE /api/v1/orgs/{slug}/members/{user_id}
 *   GET/POST /api/v1/areas, GET/PATCH/DELETE /api/v1/areas/{slug}
 *   GET/POST /api/v1/users (admins) */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/ical.h"
#include "domain/account.h"
#include "domain/org.h"
#include "domain/policy.h"

/* areas: a JSON array of strings, or absent. Answers 422 otherwise. */
static int areas_field(struct req *r, json_t *body, json_t **out)
{
	json_t *a = json_object_get(body, "areas");
	*out = NULL;
	if (!a || json_is_null(a))
		return 1;
	size_t i;
	json_t *v;
	if (!json_is_array(a)) {
		resp_error(r, 422, "invalid", "areas", "must be a list of area slugs");
		return 0;
	}
	json_array_foreach(a, i, v) if (!json_is_string(v))
	{
		resp_error(r, 422, "invalid", "areas", "must be a list of area slugs");
		return 0;
	}
	*out = a;
	return 1;
}

static void orgs_list(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_ORG_LIST, 0))
		return;
	const char *kind = req_query(r, "kind");
	if (kind && org_kind_parse(kind) < 0) {
		resp_error(r, 400, "invalid", "kind", "must be police, community or oversight");
		return;
	}
	json_t *list = NULL;
	enum err e = org_list(c, kind, &list);
	api_answer(r, e, NULL, 200, e ? NULL : json_pack("{s:o}", "orgs", list));
}

static void orgs_create(struct req *r)
{
	if (!api_allowed(r, ACT_ORG_CREATE, 0))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"slug", "name", "kind", "description", "areas", NULL};
	const char *slug, *name, *kind, *desc;
	json_t *areas;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "slug", 1, &slug) ||
	    !api_string(r, body, "name", 1, &name) || !api_string(r, body, "kind", 1, &kind) ||
	    !api_string(r, body, "description", 0, &desc) || !areas_field(r, body, &areas))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = org_create(c, slug, name, kind, desc, areas, NULL, &ei);
	json_t *o = NULL;
	if (!e)
		e = org_get(c, slug, &o, NULL);
	if (!e)
		resp_header(r, "Location", req_printf(r, "/api/v1/orgs/%s", slug));
	api_answer(r, e, &ei, 201, o);
}

static void orgs_get(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_ORG_VIEW, 0))
		return;
	json_t *o = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = org_get(c, req_param(r, "slug"), &o, NULL);
	if (e == ERR_NOTFOUND)
		err_set(&ei, e, "slug", "no organisation has this slug");
	api_answer(r, e, &ei, 200, o);
}

/* Finds the organisation of the {slug} parameter; answers 404 if none. */
static int org_of(struct req *r, struct store_conn *c, int64_t *id)
{
	enum err e = org_find(c, req_param(r, "slug"), id, NULL);
	if (e == ERR_NOTFOUND) {
		resp_error(r, 404, "not_found", "slug", "no organisation has this slug");
		return 0;
	}
	if (e) {
		resp_err(r, e, NULL);
		return 0;
	}
	return 1;
}

static void orgs_update(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !org_of(r, c, &id) || !api_allowed(r, ACT_ORG_UPDATE, id))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"name", "description", "areas", NULL};
	const char *name, *desc;
	json_t *areas;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "name", 0, &name) ||
	    !api_string(r, body, "description", 0, &desc) || !areas_field(r, body, &areas))
		return;
	struct errinfo ei = {{0}, {0}};
	const char *slug = req_param(r, "slug");
	enum err e = org_update(c, req_actor(r), slug, name, desc, areas, &ei);
	json_t *o = NULL;
	if (!e)
		e = org_get(c, slug, &o, NULL);
	api_answer(r, e, &ei, 200, o);
}

static void orgs_delete(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !org_of(r, c, &id) || !api_allowed(r, ACT_ORG_DELETE, id))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = org_delete(c, req_param(r, "slug"), &ei);
	api_answer(r, e, &ei, 200, e ? NULL : json_pack("{s:b}", "deleted", 1));
}

static void members_list(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !org_of(r, c, &id) || !api_allowed(r, ACT_MEMBER_LIST, id))
		return;
	json_t *list = NULL;
	enum err e = member_list(c, id, &list);
	api_answer(r, e, NULL, 200, e ? NULL : json_pack("{s:o}", "members", list));
}

static void members_add(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !org_of(r, c, &id) || !api_allowed(r, ACT_MEMBER_ADD, id))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"email", "role", NULL};
	const char *email, *role;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "email", 1, &email) ||
	    !api_string(r, body, "role", 1, &role))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = member_add(c, req_actor(r), id, email, role, &ei);
	json_t *list = NULL;
	if (!e)
		e = member_list(c, id, &list);
	api_answer(r, e, &ei, 201, e ? NULL : json_pack("{s:o}", "members", list));
}

static int user_id_param(struct req *r, int64_t *uid)
{
	const char *s = req_param(r, "user_id");
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0) {
		resp_error(r, 404, "not_found", "user_id", "is not an account id");
		return 0;
	}
	*uid = v;
	return 1;
}

static void members_update(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id, uid;
	if (!c || !api_signed_in(r) || !org_of(r, c, &id) ||
	    !api_allowed(r, ACT_MEMBER_UPDATE, id) || !user_id_param(r, &uid))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"role", NULL};
	const char *role;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "role", 1, &role))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = member_update(c, req_actor(r), id, uid, role, &ei);
	json_t *list = NULL;
	if (!e)
		e = member_list(c, id, &list);
	api_answer(r, e, &ei, 200, e ? NULL : json_pack("{s:o}", "members", list));
}

static void members_remove(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id, uid;
	if (!c || !api_signed_in(r) || !org_of(r, c, &id) ||
	    !api_allowed(r, ACT_MEMBER_REMOVE, id) || !user_id_param(r, &uid))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = member_remove(c, req_actor(r), id, uid, &ei);
	api_answer(r, e, &ei, 200, e ? NULL : json_pack("{s:b}", "removed", 1));
}

static void areas_list(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_AREA_LIST, 0))
		return;
	json_t *list = NULL;
	enum err e = area_list(c, &list);
	api_answer(r, e, NULL, 200, e ? NULL : json_pack("{s:o}", "areas", list));
}

static void areas_create(struct req *r)
{
	if (!api_allowed(r, ACT_AREA_CREATE, 0))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"slug", "name", "kind", "parent", NULL};
	const char *slug, *name, *kind, *parent;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "slug", 1, &slug) ||
	    !api_string(r, body, "name", 1, &name) || !api_string(r, body, "kind", 1, &kind) ||
	    !api_string(r, body, "parent", 0, &parent))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = area_create(c, slug, name, kind, parent, NULL, &ei);
	json_t *a = NULL;
	if (!e)
		e = area_get(c, slug, &a, NULL);
	if (!e)
		resp_header(r, "Location", req_printf(r, "/api/v1/areas/%s", slug));
	api_answer(r, e, &ei, 201, a);
}

static void areas_get(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_AREA_VIEW, 0))
		return;
	json_t *a = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = area_get(c, req_param(r, "slug"), &a, NULL);
	if (e == ERR_NOTFOUND)
		err_set(&ei, e, "slug", "no area has this slug");
	api_answer(r, e, &ei, 200, a);
}

static void areas_update(struct req *r)
{
	if (!api_allowed(r, ACT_AREA_UPDATE, 0))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"name", NULL};
	const char *name;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "name", 0, &name))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	const char *slug = req_param(r, "slug");
	enum err e = area_update(c, slug, name, &ei);
	json_t *a = NULL;
	if (!e)
		e = area_get(c, slug, &a, NULL);
	api_answer(r, e, &ei, 200, a);
}

static void areas_delete(struct req *r)
{
	if (!api_allowed(r, ACT_AREA_DELETE, 0))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = area_delete(c, req_param(r, "slug"), &ei);
	api_answer(r, e, &ei, 200, e ? NULL : json_pack("{s:b}", "deleted", 1));
}

static void users_list(struct req *r)
{
	if (!api_allowed(r, ACT_USER_LIST, 0))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *list = NULL;
	enum err e = account_list(c, &list);
	api_answer(r, e, NULL, 200, e ? NULL : json_pack("{s:o}", "users", list));
}

static void users_create(struct req *r)
{
	if (!api_allowed(r, ACT_USER_CREATE, 0))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"email", "password", "name", "admin", NULL};
	const char *email, *pw, *name;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "email", 1, &email) ||
	    !api_string(r, body, "password", 1, &pw) || !api_string(r, body, "name", 0, &name))
		return;
	json_t *adm = json_object_get(body, "admin");
	if (adm && !json_is_boolean(adm)) {
		resp_error(r, 422, "invalid", "admin", "must be true or false");
		return;
	}
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	int64_t id;
	enum err e = account_create(c, email, pw, name, adm && json_is_true(adm), &id, &ei);
	json_t *u = NULL;
	if (!e)
		e = account_json(c, id, &u);
	api_answer(r, e, &ei, 201, u);
}

static const struct route routes[] = {
	{M_GET, "/api/v1/orgs", orgs_list, 0},
	{M_POST, "/api/v1/orgs", orgs_create, 0},
	{M_GET, "/api/v1/orgs/{slug}", orgs_get, 0},
	{M_PATCH, "/api/v1/orgs/{slug}", orgs_update, 0},
	{M_DELETE, "/api/v1/orgs/{slug}", orgs_delete, 0},
	{M_GET, "/api/v1/orgs/{slug}/members", members_list, 0},
	{M_POST, "/api/v1/orgs/{slug}/members", members_add, 0},
	{M_PATCH, "/api/v1/orgs/{slug}/members/{user_id}", members_update, 0},
	{M_DELETE, "/api/v1/orgs/{slug}/members/{user_id}", members_remove, 0},
	{M_GET, "/api/v1/areas", areas_list, 0},
	{M_POST, "/api/v1/areas", areas_create, 0},
	{M_GET, "/api/v1/areas/{slug}", areas_get, 0},
	{M_PATCH, "/api/v1/areas/{slug}", areas_update, 0},
	{M_DELETE, "/api/v1/areas/{slug}", areas_delete, 0},
	{M_GET, "/api/v1/users", users_list, 0},
	{M_POST, "/api/v1/users", users_create, 0},
};

void api_org_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}

void api_register(void)
{
	api_health_routes();
	api_auth_routes();
	api_org_routes();
	api_survey_routes();
	api_workforce_routes();
	api_log_routes();
	api_meeting_routes();
	api_ical_routes();
	api_commitment_routes();
	api_export_routes();
	api_recommendation_routes();
	api_consult_routes();
	api_report_routes();
	api_open311_routes();
}
