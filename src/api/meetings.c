/* meetings.c - the meetings API:
 *   GET /api/v1/meetings?area=&org=&when=upcoming|past|all  -> {"meetings": [...]}
 *   POST /api/v1/meetings                                   -> 201, the meeting
 *   GET/PATCH /api/v1/meetings/{id}
 *   POST /api/v1/meetings/{id}/cancel {"reason"}
 *   POST/DELETE /api/v1/meetings/{id}/registration          (the signed-in account)
 *
 * A meeting: {"id", "uid", "title", "area": {slug, name}, "organisers":
 * [{slug, name, kind}], "start", "end" (UTC, RFC 3339), "tz" (IANA),
 * "start_local", "end_local" (in tz, with offset), "place", "online_url",
 * "agenda", "public", "registration": {enabled, capacity, registered, me},
 * "attendance": {orgs: [{org, name, count}], community: [{group, count}],
 * total}, "minutes", "documents": [{title, url}], "status" (scheduled,
 * cancelled), "cancel_reason", "sequence", "created", "updated",
 * "upcoming", "past"}. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/meeting.h"
#include "domain/policy.h"

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

/* The JSON fields of a meeting into in; answers 422 and returns 0 on a
 * wrong type. Shapes inside lists are checked by domain/meeting.c. */
static int meeting_fields(struct req *r, json_t *body, struct meeting_in *in)
{
	static const char *const allowed[] = {"title",   "area",      "organisers",   "start",
	                                      "end",     "tz",        "place",        "online_url",
	                                      "agenda",  "public",    "registration", "capacity",
	                                      "minutes", "documents", "attendance",   NULL};
	meeting_in_init(in);
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "title", 0, &in->title) ||
	    !api_string(r, body, "area", 0, &in->area) ||
	    !api_string(r, body, "start", 0, &in->start) ||
	    !api_string(r, body, "end", 0, &in->end) || !api_string(r, body, "tz", 0, &in->tz) ||
	    !api_string(r, body, "place", 0, &in->place) ||
	    !api_string(r, body, "online_url", 0, &in->online_url) ||
	    !api_string(r, body, "agenda", 0, &in->agenda) ||
	    !api_string(r, body, "minutes", 0, &in->minutes) ||
	    !bool_field(r, body, "public", &in->is_public) ||
	    !bool_field(r, body, "registration", &in->registration))
		return 0;
	json_t *v = json_object_get(body, "capacity");
	if (v && json_is_null(v)) {
		in->capacity = 0;
	} else if (v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 100000) {
			resp_error(r, 422, "invalid", "capacity",
			           "must be a whole number from 1 to 100000, or null for no limit");
			return 0;
		}
		in->capacity = json_integer_value(v);
	}
	static const char *const lists[] = {"organisers", "documents", "attendance"};
	json_t **dst[] = {&in->organisers, &in->documents, &in->attendance};
	for (int i = 0; i < 3; i++) {
		v = json_object_get(body, lists[i]);
		*dst[i] = v && !json_is_null(v) ? v : NULL;
	}
	return 1;
}

static void meetings_list(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_MEETING_LIST, 0))
		return;
	struct meeting_filter f = {req_query(r, "area"), req_query(r, "org"), MEETING_ALL, 0, 500};
	const char *when = req_query(r, "when");
	if (when && !strcmp(when, "upcoming"))
		f.when = MEETING_UPCOMING;
	else if (when && !strcmp(when, "past"))
		f.when = MEETING_PAST;
	else if (when && strcmp(when, "all")) {
		resp_error(r, 400, "invalid", "when", "must be upcoming, past or all");
		return;
	}
	json_t *list = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = meeting_list(c, req_actor(r), &f, &list, &ei);
	if (e == ERR_INVAL) {
		resp_error(r, 400, "invalid", ei.field, "%s", ei.msg);
		return;
	}
	api_answer(r, e, &ei, 200, e ? NULL : json_pack("{s:o}", "meetings", list));
}

static void meetings_create(struct req *r)
{
	if (!api_signed_in(r) || !api_allowed(r, ACT_MEETING_CREATE, 0))
		return;
	json_t *body = req_json(r);
	struct meeting_in in;
	if (!body || !meeting_fields(r, body, &in))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	int64_t id = 0;
	const struct actor *a = req_actor(r);
	enum err e = meeting_create(c, a, &in, &id, &ei);
	json_t *m = NULL;
	if (!e)
		e = meeting_get(c, a, id, &m);
	if (!e)
		resp_header(r, "Location", req_printf(r, "/api/v1/meetings/%lld", (long long)id));
	api_answer(r, e, &ei, 201, m);
}

static void meetings_get(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_allowed(r, ACT_MEETING_VIEW, 0) || !api_id_param(r, "id", "meeting", &id))
		return;
	json_t *m = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = meeting_get(c, req_actor(r), id, &m);
	if (e == ERR_NOTFOUND)
		err_set(&ei, e, "id", "no meeting has this id");
	api_answer(r, e, &ei, 200, m);
}

static void meetings_update(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !api_id_param(r, "id", "meeting", &id))
		return;
	json_t *body = req_json(r);
	struct meeting_in in;
	if (!body || !meeting_fields(r, body, &in))
		return;
	struct errinfo ei = {{0}, {0}};
	const struct actor *a = req_actor(r);
	enum err e = meeting_update(c, a, id, &in, &ei);
	json_t *m = NULL;
	if (!e)
		e = meeting_get(c, a, id, &m);
	api_answer(r, e, &ei, 200, m);
}

static void meetings_cancel(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !api_id_param(r, "id", "meeting", &id))
		return;
	json_t *body = req_json(r);
	static const char *const allowed[] = {"reason", NULL};
	const char *reason;
	if (!body || !api_only_fields(r, body, allowed) ||
	    !api_string(r, body, "reason", 1, &reason))
		return;
	struct errinfo ei = {{0}, {0}};
	const struct actor *a = req_actor(r);
	enum err e = meeting_cancel(c, a, id, reason, &ei);
	json_t *m = NULL;
	if (!e)
		e = meeting_get(c, a, id, &m);
	api_answer(r, e, &ei, 200, m);
}

static void registration(struct req *r, int on)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !api_id_param(r, "id", "meeting", &id))
		return;
	struct errinfo ei = {{0}, {0}};
	const struct actor *a = req_actor(r);
	enum err e = meeting_register(c, a, id, on, &ei);
	json_t *m = NULL;
	if (!e)
		e = meeting_get(c, a, id, &m);
	api_answer(r, e, &ei, 200,
	       e ? NULL
	         : json_pack("{s:o}", "registration",
	                     json_incref(json_object_get(m, "registration"))));
	json_decref(m);
}

static void registration_add(struct req *r)
{
	registration(r, 1);
}

static void registration_remove(struct req *r)
{
	registration(r, 0);
}

static const struct route routes[] = {
    {M_GET, "/api/v1/meetings", meetings_list, 0},
    {M_POST, "/api/v1/meetings", meetings_create, 0},
    {M_GET, "/api/v1/meetings/{id}", meetings_get, 0},
    {M_PATCH, "/api/v1/meetings/{id}", meetings_update, 0},
    {M_POST, "/api/v1/meetings/{id}/cancel", meetings_cancel, 0},
    {M_POST, "/api/v1/meetings/{id}/registration", registration_add, 0},
    {M_DELETE, "/api/v1/meetings/{id}/registration", registration_remove, 0},
};

void api_meeting_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
