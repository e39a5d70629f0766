/* commitments.c - the "You said, we did" API:
 *   GET /api/v1/commitments?area=&org=&status=&overdue=1 -> {"commitments": [...]}
 *   POST /api/v1/commitments                             -> 201, the commitment
 *   GET/PATCH /api/v1/commitments/{id}
 *   POST /api/v1/commitments/{id}/status  {"status", "reason", "progress"}
 *   POST /api/v1/commitments/{id}/updates {"text", "progress", "evidence": [links]}
 *
 * A commitment: {"id", "title", "raised", "pledge", "area": {slug, name},
 * "owner", "cochair": {slug, name, kind}, "start_date", "due_date",
 * "status", "status_reason", "progress", "overdue", "created", "updated",
 * "updates_count", "meetings": [{id, title, start}], "updates": [{date,
 * kind, status, progress, text, evidence, org, log_index}] (one only)}.
 * "moves" lists what the signed-in account may do next. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/commitment.h"
#include "domain/policy.h"

/* progress: absent -> -1 (if optional); else a whole number 0-100. */
static int progress_field(struct req *r, json_t *body, int required, int *out)
{
	json_t *v = json_object_get(body, "progress");
	*out = -1;
	if (!v || json_is_null(v)) {
		if (required) {
			resp_error(r, 422, "invalid", "progress", "is required");
			return 0;
		}
		return 1;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100) {
		resp_error(r, 422, "invalid", "progress", "must be a whole number from 0 to 100");
		return 0;
	}
	*out = (int)json_integer_value(v);
	return 1;
}

static int fields(struct req *r, json_t *body, struct commitment_in *in)
{
	static const char *const allowed[] = {"title",    "raised",  "pledge",     "area",
	                                      "owner",    "cochair", "start_date", "due_date",
	                                      "meetings", NULL};
	memset(in, 0, sizeof *in);
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "title", 0, &in->title) ||
	    !api_string(r, body, "raised", 0, &in->raised) ||
	    !api_string(r, body, "pledge", 0, &in->pledge) ||
	    !api_string(r, body, "area", 0, &in->area) ||
	    !api_string(r, body, "owner", 0, &in->owner) ||
	    !api_string(r, body, "cochair", 0, &in->cochair) ||
	    !api_string(r, body, "start_date", 0, &in->start_date) ||
	    !api_string(r, body, "due_date", 0, &in->due_date))
		return 0;
	json_t *m = json_object_get(body, "meetings");
	in->meetings = m && !json_is_null(m) ? m : NULL;
	return 1;
}

static json_t *with_moves(struct req *r, struct store_conn *c, int64_t id, json_t *o)
{
	if (o)
		json_object_set_new(o, "moves", commitment_moves_for(c, req_actor(r), id));
	return o;
}

static void list(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_COMMITMENT_LIST, 0))
		return;
	const char *overdue = req_query(r, "overdue");
	struct commitment_filter f = {req_query(r, "area"), req_query(r, "org"),
	                              req_query(r, "status"), overdue && !strcmp(overdue, "1")};
	json_t *arr = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = commitment_list(c, &f, &arr, &ei);
	if (e == ERR_INVAL) {
		resp_error(r, 400, "invalid", ei.field, "%s", ei.msg);
		return;
	}
	api_answer(r, e, &ei, 200, e ? NULL : json_pack("{s:o}", "commitments", arr));
}

static void create(struct req *r)
{
	if (!api_signed_in(r) || !api_allowed(r, ACT_COMMITMENT_CREATE, 0))
		return;
	json_t *body = req_json(r);
	struct commitment_in in;
	if (!body || !fields(r, body, &in))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	int64_t id = 0;
	enum err e = commitment_create(c, req_actor(r), &in, &id, &ei);
	json_t *o = NULL;
	if (!e)
		e = commitment_get(c, id, &o);
	if (!e)
		resp_header(r, "Location",
		            req_printf(r, "/api/v1/commitments/%lld", (long long)id));
	api_answer(r, e, &ei, 201, with_moves(r, c, id, o));
}

static void get(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_allowed(r, ACT_COMMITMENT_VIEW, 0) || !api_id_param(r, "id", "commitment", &id))
		return;
	json_t *o = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = commitment_get(c, id, &o);
	if (e == ERR_NOTFOUND)
		err_set(&ei, e, "id", "no commitment has this id");
	api_answer(r, e, &ei, 200, with_moves(r, c, id, o));
}

static void update(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !api_id_param(r, "id", "commitment", &id))
		return;
	json_t *body = req_json(r);
	struct commitment_in in;
	if (!body || !fields(r, body, &in))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = commitment_update(c, req_actor(r), id, &in, &ei);
	json_t *o = NULL;
	if (!e)
		e = commitment_get(c, id, &o);
	api_answer(r, e, &ei, 200, with_moves(r, c, id, o));
}

static void set_status(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !api_id_param(r, "id", "commitment", &id))
		return;
	json_t *body = req_json(r);
	static const char *const allowed[] = {"status", "reason", "progress", NULL};
	const char *status, *reason;
	int progress;
	if (!body || !api_only_fields(r, body, allowed) ||
	    !api_string(r, body, "status", 1, &status) ||
	    !api_string(r, body, "reason", 0, &reason) || !progress_field(r, body, 0, &progress))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = commitment_set_status(c, req_actor(r), id, status, reason, progress, &ei);
	json_t *o = NULL;
	if (!e)
		e = commitment_get(c, id, &o);
	api_answer(r, e, &ei, 200, with_moves(r, c, id, o));
}

static void add_update(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !api_id_param(r, "id", "commitment", &id))
		return;
	json_t *body = req_json(r);
	static const char *const allowed[] = {"text", "progress", "evidence", NULL};
	const char *text;
	int progress;
	if (!body || !api_only_fields(r, body, allowed) || !api_string(r, body, "text", 1, &text) ||
	    !progress_field(r, body, 1, &progress))
		return;
	json_t *ev = json_object_get(body, "evidence");
	struct errinfo ei = {{0}, {0}};
	enum err e = commitment_add_update(c, req_actor(r), id, text, progress,
	                                   ev && !json_is_null(ev) ? ev : NULL, &ei);
	json_t *o = NULL;
	if (!e)
		e = commitment_get(c, id, &o);
	api_answer(r, e, &ei, 201, with_moves(r, c, id, o));
}

static const struct route routes[] = {
    {M_GET, "/api/v1/commitments", list, 0},
    {M_POST, "/api/v1/commitments", create, 0},
    {M_GET, "/api/v1/commitments/{id}", get, 0},
    {M_PATCH, "/api/v1/commitments/{id}", update, 0},
    {M_POST, "/api/v1/commitments/{id}/status", set_status, 0},
    {M_POST, "/api/v1/commitments/{id}/updates", add_update, 0},
};

void api_commitment_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
