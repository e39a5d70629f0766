/* recommendations.c - the recommendations API:
 *   GET /api/v1/recommendations?org=&status=   -> {"recommendations": [...]}
 *   POST /api/v1/recommendations               -> 201 {title, body, from_org, to_org, area,
 *                                                 sources: [{kind, id | title + url}]}
 *   GET /api/v1/recommendations/{id}
 *   POST /api/v1/recommendations/{id}/response {status, reason, response} (the addressee) */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/policy.h"
#include "domain/recommendation.h"

static void list(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_RECOMMENDATION_LIST, 0))
		return;
	const char *status = req_query(r, "status");
	if (status && strcmp(status, "open") && strcmp(status, "accepted") &&
	    strcmp(status, "rejected") && strcmp(status, "implemented")) {
		resp_error(r, 400, "invalid", "status",
		           "must be open, accepted, rejected or implemented");
		return;
	}
	json_t *arr = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = recommendation_list(c, req_query(r, "org"), status, &arr, &ei);
	if (e == ERR_INVAL) {
		resp_error(r, 400, "invalid", ei.field, "%s", ei.msg);
		return;
	}
	api_answer(r, e, &ei, 200, e ? NULL : json_pack("{s:o}", "recommendations", arr));
}

static void create(struct req *r)
{
	if (!api_signed_in(r) || !api_allowed(r, ACT_RECOMMENDATION_CREATE, 0))
		return;
	json_t *body = req_json(r);
	static const char *const allowed[] = {"title", "body",    "from_org", "to_org",
	                                      "area",  "sources", NULL};
	struct recommendation_in in;
	memset(&in, 0, sizeof in);
	if (!body || !api_only_fields(r, body, allowed) ||
	    !api_string(r, body, "title", 1, &in.title) ||
	    !api_string(r, body, "body", 1, &in.body) ||
	    !api_string(r, body, "from_org", 0, &in.from_org) ||
	    !api_string(r, body, "to_org", 1, &in.to_org) ||
	    !api_string(r, body, "area", 0, &in.area))
		return;
	json_t *src = json_object_get(body, "sources");
	in.sources = src && !json_is_null(src) ? src : NULL;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	int64_t id = 0;
	enum err e = recommendation_create(c, req_actor(r), &in, &id, &ei);
	json_t *o = NULL;
	if (!e)
		e = recommendation_get(c, id, &o);
	if (!e)
		resp_header(r, "Location",
		            req_printf(r, "/api/v1/recommendations/%lld", (long long)id));
	api_answer(r, e, &ei, 201, o);
}

static void get(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_allowed(r, ACT_RECOMMENDATION_VIEW, 0) || !api_id_param(r, "id", "recommendation", &id))
		return;
	json_t *o = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = recommendation_get(c, id, &o);
	if (e == ERR_NOTFOUND)
		err_set(&ei, e, "id", "no recommendation has this id");
	api_answer(r, e, &ei, 200, o);
}

static void respond(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !api_id_param(r, "id", "recommendation", &id))
		return;
	json_t *body = req_json(r);
	static const char *const allowed[] = {"status", "reason", "response", NULL};
	const char *status, *reason, *response;
	if (!body || !api_only_fields(r, body, allowed) ||
	    !api_string(r, body, "status", 1, &status) ||
	    !api_string(r, body, "reason", 0, &reason) ||
	    !api_string(r, body, "response", 0, &response))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = recommendation_respond(c, req_actor(r), id, status, reason, response, &ei);
	json_t *o = NULL;
	if (!e)
		e = recommendation_get(c, id, &o);
	api_answer(r, e, &ei, 200, o);
}

static const struct route routes[] = {
    {M_GET, "/api/v1/recommendations", list, 0},
    {M_POST, "/api/v1/recommendations", create, 0},
    {M_GET, "/api/v1/recommendations/{id}", get, 0},
    {M_POST, "/api/v1/recommendations/{id}/response", respond, 0},
};

void api_recommendation_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
