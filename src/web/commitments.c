/* commitments.c - the "You said, we did" pages: the public board (overall
 * and per area, filterable, with progress bars), one commitment with its
 * dated updates and the moves the signed-in account may make, the form to
 * propose one; and the recommendations (list, one with the addressee's
 * response form, the form to make one, which may carry a source from the
 * meeting, commitment or other page it was opened from). */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/commitment.h"
#include "domain/field.h"
#include "domain/meeting.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/recommendation.h"
#include "web/web.h"

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int id_param(struct req *r, int64_t *id)
{
	const char *s = req_param(r, "id");
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0) {
		resp_error(r, 404, "not_found", "id", "there is nothing at this address");
		return 0;
	}
	*id = v;
	return 1;
}

static const char *status_label(struct req *r, const char *s)
{
	if (!strcmp(s, "proposed"))
		return web_t(r, "Proposed");
	if (!strcmp(s, "accepted"))
		return web_t(r, "Accepted");
	if (!strcmp(s, "in_progress"))
		return web_t(r, "In progress");
	if (!strcmp(s, "done"))
		return web_t(r, "Done, awaiting the community's confirmation");
	if (!strcmp(s, "confirmed"))
		return web_t(r, "Done, confirmed by the community");
	if (!strcmp(s, "disputed"))
		return web_t(r, "Disputed by the community");
	if (!strcmp(s, "declined"))
		return web_t(r, "Declined");
	if (!strcmp(s, "open"))
		return web_t(r, "Open");
	if (!strcmp(s, "rejected"))
		return web_t(r, "Rejected");
	if (!strcmp(s, "implemented"))
		return web_t(r, "Implemented");
	return s;
}

static const char *const commitment_statuses[] = {"proposed",  "accepted", "in_progress", "done",
                                                  "confirmed", "disputed", "declined"};

static json_t *status_options(struct req *r, const char *const *list, size_t n, const char *cur)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", list[i], "label",
		                                     status_label(r, list[i]), "selected",
		                                     cur && !strcmp(cur, list[i])));
	return arr;
}

static json_t *area_options(struct store_conn *c, const char *cur)
{
	json_t *areas = NULL;
	area_list(c, &areas);
	if (!areas)
		return json_array();
	size_t i;
	json_t *a;
	json_array_foreach(areas, i, a)
	{
		json_int_t d = json_integer_value(json_object_get(a, "depth"));
		json_object_set_new(a, "selected",
		                    json_boolean(cur && !strcmp(cur, jstr(a, "slug"))));
		json_object_set_new(a, "indent",
		                    json_string(d == 0   ? ""
		                                : d == 1 ? "\xc2\xa0\xc2\xa0"
		                                         : "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"));
	}
	return areas;
}

static json_t *org_options(struct store_conn *c, const char *kind, const char *cur)
{
	json_t *orgs = NULL;
	org_list(c, kind, &orgs);
	if (!orgs)
		return json_array();
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o)
	    json_object_set_new(o, "selected", json_boolean(cur && !strcmp(cur, jstr(o, "slug"))));
	return orgs;
}

static void decorate(struct req *r, json_t *o)
{
	json_object_set_new(o, "status_label", json_string(status_label(r, jstr(o, "status"))));
	json_object_set_new(o, "confirmed", json_boolean(!strcmp(jstr(o, "status"), "confirmed")));
	json_object_set_new(o, "disputed", json_boolean(!strcmp(jstr(o, "status"), "disputed")));
	json_object_set_new(o, "declined", json_boolean(!strcmp(jstr(o, "status"), "declined")));
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(o, "updates"), i, u)
	{
		json_object_set_new(u, "status_label",
		                    json_string(status_label(r, jstr(u, "status"))));
		json_object_set_new(u, "day", json_stringn(jstr(u, "date"), 10));
		json_object_set_new(u, "is_status",
		                    json_boolean(!strcmp(jstr(u, "kind"), "status")));
	}
}

/* The board: GET /commitments and /areas/{slug}/commitments. */
static void board(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const char *area = req_param(r, "slug");
	if (!area)
		area = req_query(r, "area");
	const char *org = req_query(r, "org"), *status = req_query(r, "status");
	const char *overdue = req_query(r, "overdue");
	if (area && !*area)
		area = NULL;
	if (org && !*org)
		org = NULL;
	if (status && !*status)
		status = NULL;
	struct commitment_filter f = {area, org, status, overdue && !strcmp(overdue, "1")};
	json_t *list = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = commitment_list(c, &f, &list, &ei);
	if (e) {
		resp_error(r, e == ERR_INVAL ? 404 : 500, "not_found", ei.field, "%s", ei.msg);
		return;
	}
	size_t i;
	json_t *o;
	json_int_t counts[7] = {0};
	json_array_foreach(list, i, o)
	{
		decorate(r, o);
		for (size_t k = 0; k < 7; k++)
			counts[k] += !strcmp(jstr(o, "status"), commitment_statuses[k]);
	}
	struct buf q;
	buf_init(&q);
	buf_puts(&q, "?");
	if (area)
		buf_printf(&q, "area=%s&", area);
	if (org)
		buf_printf(&q, "org=%s&", org);
	if (status)
		buf_printf(&q, "status=%s&", status);
	if (f.overdue)
		buf_puts(&q, "overdue=1&");
	q.data[--q.len] = '\0';
	json_t *ctx = json_pack(
	    "{s:o, s:o, s:o, s:o, s:b, s:s, s:b, s:I, s:I, s:I}", "commitments", list,
	    "area_options", area_options(c, area), "org_options", org_options(c, NULL, org),
	    "status_options", status_options(r, commitment_statuses, 7, status), "overdue",
	    f.overdue, "query", q.data ? q.data : "", "can_create",
	    policy_allows(req_actor(r), ACT_COMMITMENT_CREATE, 0), "n_confirmed", counts[4],
	    "n_claimed", counts[3], "n_total", (json_int_t)json_array_size(list));
	buf_clear(&q);
	web_page(r, 200, "commitments", "You said, we did", ctx);
}

static void show(struct req *r, int status, int64_t id, const char *error)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *o = NULL;
	if (commitment_get(c, id, &o) != ERR_OK) {
		resp_error(r, 404, "not_found", "id", "no commitment has this id");
		return;
	}
	decorate(r, o);
	json_t *moves = commitment_moves_for(c, req_actor(r), id);
	size_t i;
	json_t *m;
	json_array_foreach(moves, i, m)
	    json_object_set_new(m, "label", json_string(status_label(r, jstr(m, "status"))));
	const char *st = jstr(o, "status");
	int64_t owner = 0;
	org_find(c, jstr(json_object_get(o, "owner"), "slug"), &owner, NULL);
	int can_report =
	    policy_allows(req_actor(r), ACT_COMMITMENT_PROGRESS, owner) &&
	    (!strcmp(st, "accepted") || !strcmp(st, "in_progress") || !strcmp(st, "disputed"));
	const char *title = req_strdup(r, jstr(o, "title"));
	json_t *ctx =
	    json_pack("{s:o, s:o, s:b, s:b}", "c", o, "moves", moves, "can_report", can_report,
	              "can_recommend", policy_allows(req_actor(r), ACT_RECOMMENDATION_CREATE, 0));
	if (json_array_size(moves))
		json_object_set_new(ctx, "has_moves", json_true());
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	if (req_query(r, "saved"))
		json_object_set_new(ctx, "saved", json_true());
	web_page(r, status, "commitment", title, ctx);
}

static void commitment_page(struct req *r)
{
	int64_t id;
	if (id_param(r, &id))
		show(r, 200, id, NULL);
}

static int signed_in(struct req *r, const char *next)
{
	if (req_actor(r)->user_id)
		return 1;
	resp_redirect(r, req_printf(r, "/login?next=%s", next));
	return 0;
}

static void status_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !id_param(r, &id) ||
	    !signed_in(r, req_printf(r, "/commitments/%lld", (long long)id)))
		return;
	const char *p = req_form(r, "progress");
	int progress = p && *p ? atoi(p) : -1;
	struct errinfo ei = {{0}, {0}};
	enum err e = commitment_set_status(c, req_actor(r), id, req_form(r, "status"),
	                                   req_form(r, "reason"), progress, &ei);
	if (e == ERR_INVAL || e == ERR_CONFLICT || e == ERR_FORBIDDEN) {
		show(r, http_status_of(e), id, ei.msg);
		return;
	}
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_redirect(r, req_printf(r, "/commitments/%lld?saved=1", (long long)id));
}

static void update_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !id_param(r, &id) ||
	    !signed_in(r, req_printf(r, "/commitments/%lld", (long long)id)))
		return;
	const char *p = req_form(r, "progress"), *ev = req_form(r, "evidence");
	char *end = NULL;
	long v = p && *p ? strtol(p, &end, 10) : -1;
	int progress = end && *end ? -1 : (int)(v > 1000 ? 1000 : v);
	json_t *links = json_array();
	while (ev && *ev) {
		const char *nl = strchr(ev, '\n');
		size_t n = nl ? (size_t)(nl - ev) : strlen(ev);
		while (n && (ev[n - 1] == '\r' || ev[n - 1] == ' '))
			n--;
		if (n)
			json_array_append_new(links, json_stringn(ev, n));
		ev = nl ? nl + 1 : ev + strlen(ev);
	}
	struct errinfo ei = {{0}, {0}};
	enum err e =
	    commitment_add_update(c, req_actor(r), id, req_form(r, "text"), progress, links, &ei);
	json_decref(links);
	if (e == ERR_INVAL || e == ERR_CONFLICT || e == ERR_FORBIDDEN) {
		show(r, http_status_of(e), id, ei.msg);
		return;
	}
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_redirect(r, req_printf(r, "/commitments/%lld?saved=1", (long long)id));
}

static void new_page(struct req *r, int status, json_t *values, const struct errinfo *ei)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:o}", "v", values, "area_options",
	                        area_options(c, jstr(values, "area")), "owner_options",
	                        org_options(c, NULL, jstr(values, "owner")), "cochair_options",
	                        org_options(c, "community", jstr(values, "cochair")));
	if (ei)
		json_object_set_new(ctx, "error",
		                    json_string(req_printf(r, "%s: %s", ei->field, ei->msg)));
	web_page(r, status, "commitment_form", "New commitment", ctx);
}

static void new_form(struct req *r)
{
	if (!signed_in(r, "/commitments/new"))
		return;
	if (!policy_allows(req_actor(r), ACT_COMMITMENT_CREATE, 0)) {
		resp_error(r, 403, "forbidden", NULL, "your role does not allow commitment.create");
		return;
	}
	new_page(r, 200, json_object(), NULL);
}

static void new_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !signed_in(r, "/commitments/new"))
		return;
	static const char *const names[] = {"title", "raised",  "pledge",     "area",
	                                    "owner", "cochair", "start_date", "due_date"};
	struct commitment_in in;
	memset(&in, 0, sizeof in);
	const char **dst[] = {&in.title, &in.raised,  &in.pledge,     &in.area,
	                      &in.owner, &in.cochair, &in.start_date, &in.due_date};
	json_t *values = json_object();
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		*dst[i] = req_form(r, names[i]);
		if (*dst[i])
			json_object_set_new(values, names[i], json_string(*dst[i]));
	}
	struct errinfo ei = {{0}, {0}};
	int64_t id;
	enum err e = commitment_create(c, req_actor(r), &in, &id, &ei);
	if (e == ERR_INVAL || e == ERR_FORBIDDEN) {
		new_page(r, http_status_of(e), values, &ei);
		return;
	}
	json_decref(values);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_redirect(r, req_printf(r, "/commitments/%lld?saved=1", (long long)id));
}

/* --- recommendations --------------------------------------------------------- */

static const char *const rec_statuses[] = {"open", "accepted", "rejected", "implemented"};

static void recommendations_page(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const char *org = req_query(r, "org"), *status = req_query(r, "status");
	if (org && !*org)
		org = NULL;
	if (status && !*status)
		status = NULL;
	int known = !status;
	for (size_t i = 0; status && i < 4; i++)
		known |= !strcmp(status, rec_statuses[i]);
	json_t *list = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = known ? recommendation_list(c, org, status, &list, &ei)
	                   : err_set(&ei, ERR_INVAL, "status", "is not a status");
	if (e) {
		resp_error(r, e == ERR_INVAL ? 404 : 500, "not_found", ei.field, "%s", ei.msg);
		return;
	}
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	    json_object_set_new(o, "status_label", json_string(status_label(r, jstr(o, "status"))));
	web_page(r, 200, "recommendations", "Recommendations",
	         json_pack("{s:o, s:o, s:o, s:b}", "recommendations", list, "org_options",
	                   org_options(c, NULL, org), "status_options",
	                   status_options(r, rec_statuses, 4, status), "can_create",
	                   policy_allows(req_actor(r), ACT_RECOMMENDATION_CREATE, 0)));
}

static void recommendation_show(struct req *r, int status, int64_t id, const char *error)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *o = NULL;
	if (recommendation_get(c, id, &o) != ERR_OK) {
		resp_error(r, 404, "not_found", "id", "no recommendation has this id");
		return;
	}
	json_object_set_new(o, "status_label", json_string(status_label(r, jstr(o, "status"))));
	json_object_set_new(o, "rejected", json_boolean(!strcmp(jstr(o, "status"), "rejected")));
	const char *title = req_strdup(r, jstr(o, "title"));
	json_t *ctx = json_pack("{s:o, s:b, s:o}", "rec", o, "can_respond",
	                        recommendation_may_respond(c, req_actor(r), id), "status_options",
	                        status_options(r, rec_statuses, 4, jstr(o, "status")));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	if (req_query(r, "saved"))
		json_object_set_new(ctx, "saved", json_true());
	web_page(r, status, "recommendation", title, ctx);
}

static void recommendation_page(struct req *r)
{
	int64_t id;
	if (id_param(r, &id))
		recommendation_show(r, 200, id, NULL);
}

static void recommendation_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !id_param(r, &id) ||
	    !signed_in(r, req_printf(r, "/recommendations/%lld", (long long)id)))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = recommendation_respond(c, req_actor(r), id, req_form(r, "status"),
	                                    req_form(r, "reason"), req_form(r, "response"), &ei);
	if (e == ERR_INVAL || e == ERR_CONFLICT || e == ERR_FORBIDDEN) {
		recommendation_show(r, http_status_of(e), id, ei.msg);
		return;
	}
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_redirect(r, req_printf(r, "/recommendations/%lld?saved=1", (long long)id));
}

/* --- the recommendation form ------------------------------------------------ */

#define REC_EXTRA_ROWS 3 /* source rows typed by hand */

/* Kinds of source given by title and link (meetings and commitments are
 * given by id). */
static const char *const rec_link_kinds[] = {"link", "figure", "practice", "consultation"};

static const char *rec_kind_label(struct req *r, const char *k)
{
	if (!strcmp(k, "figure"))
		return web_t(r, "Figure");
	if (!strcmp(k, "practice"))
		return web_t(r, "Practice");
	if (!strcmp(k, "consultation"))
		return web_t(r, "Consultation");
	if (!strcmp(k, "meeting"))
		return web_t(r, "Meeting");
	if (!strcmp(k, "commitment"))
		return web_t(r, "Commitment");
	return web_t(r, "Link");
}

static int rec_link_kind(const char *k)
{
	for (size_t i = 0; i < sizeof rec_link_kinds / sizeof rec_link_kinds[0]; i++)
		if (!strcmp(k, rec_link_kinds[i]))
			return 1;
	return 0;
}

static json_t *rec_kind_options(struct req *r, const char *cur)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < sizeof rec_link_kinds / sizeof rec_link_kinds[0]; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", rec_link_kinds[i],
		                                     "label", rec_kind_label(r, rec_link_kinds[i]),
		                                     "selected", !strcmp(cur, rec_link_kinds[i])));
	return arr;
}

/* The organisations the actor may make recommendations for (every one for
 * the admin), cur selected. */
static json_t *rec_from_options(struct store_conn *c, const struct actor *a, const char *cur)
{
	json_t *orgs = org_options(c, NULL, cur), *out = json_array();
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o)
	{
		int64_t id = 0;
		if (org_find(c, jstr(o, "slug"), &id, NULL) == ERR_OK &&
		    policy_allows(a, ACT_RECOMMENDATION_CREATE, id))
			json_array_append(out, o);
	}
	json_decref(orgs);
	return out;
}

/* The title of a meeting or commitment, for showing a source by id. */
static const char *rec_ref_title(struct req *r, struct store_conn *c, const char *kind, int64_t id)
{
	json_t *o = NULL;
	enum err e = !strcmp(kind, "meeting") ? meeting_get(c, req_actor(r), id, &o)
	                                      : commitment_get(c, id, &o);
	const char *t = e ? NULL : req_strdup(r, jstr(o, "title"));
	json_decref(o);
	return t && *t ? t : req_printf(r, "%s %lld", rec_kind_label(r, kind), (long long)id);
}

/* A source as the page shows it: linked only if its link is one the
 * recommendation would accept. */
static json_t *rec_shown(struct req *r, const char *kind, const char *title, const char *url)
{
	return json_pack("{s:s, s:s, s:s, s:b}", "kind", rec_kind_label(r, kind), "title", title,
	                 "url", url, "link", field_url_valid(url) || field_path_valid(url));
}

/* The source a "make a recommendation from this" link carries: source=KIND:ID
 * (meeting and commitment by id; consultation and practice become a title
 * and a path), or source_kind, source_title and source_url. Appends it to
 * sources and to shown. ERR_INVAL naming "source" or "source_kind". */
static enum err rec_prefill(struct req *r, struct store_conn *c, json_t *v, json_t *sources,
                            json_t *shown, struct errinfo *ei)
{
	const char *src = jstr(v, "source");
	if (*src) {
		const char *colon = strchr(src, ':');
		char kind[16] = "", *end = NULL;
		size_t n = colon ? (size_t)(colon - src) : 0;
		long long id = 0;
		if (n && n < sizeof kind && colon[1] >= '0' && colon[1] <= '9') {
			memcpy(kind, src, n);
			id = strtoll(colon + 1, &end, 10);
		}
		int by_id = !strcmp(kind, "meeting") || !strcmp(kind, "commitment");
		int by_path = !strcmp(kind, "consultation") || !strcmp(kind, "practice");
		if (!end || *end || id <= 0 || !(by_id || by_path))
			return err_set(ei, ERR_INVAL, "source",
			               "must be meeting:ID, commitment:ID, consultation:ID or "
			               "practice:ID");
		const char *url = req_printf(r, "/%ss/%lld", kind, id);
		const char *title;
		if (by_id) {
			title = rec_ref_title(r, c, kind, id);
			json_array_append_new(
			    sources, json_pack("{s:s, s:I}", "kind", kind, "id", (json_int_t)id));
		} else {
			/* Stored, so in the instance's language rather than the reader's. */
			title = req_printf(
			    r, "%s %lld",
			    !strcmp(kind, "consultation") ? "Consultation" : "Practice", id);
			json_array_append_new(sources, json_pack("{s:s, s:s, s:s}", "kind", kind,
			                                         "title", title, "url", url));
		}
		json_array_append_new(shown, rec_shown(r, kind, title, url));
	}
	const char *kind = jstr(v, "source_kind"), *title = jstr(v, "source_title");
	const char *url = jstr(v, "source_url");
	if (!*title && !*url)
		return ERR_OK;
	if (!*kind)
		kind = "link";
	if (!rec_link_kind(kind))
		return err_set(ei, ERR_INVAL, "source_kind",
		               "must be link, figure, practice or consultation");
	json_array_append_new(
	    sources, json_pack("{s:s, s:s, s:s}", "kind", kind, "title", title, "url", url));
	json_array_append_new(shown, rec_shown(r, kind, title, url));
	return ERR_OK;
}

/* The form's state, read with get (req_query for the page, req_form for its
 * post). */
struct rec_form {
	json_t *v;       /* the fields as typed, to show again */
	json_t *shown;   /* the carried sources, as shown */
	json_t *rows;    /* the rows typed by hand: [{n, title, url, kind_options}] */
	json_t *sources; /* for recommendation_create */
};

static enum err rec_form_read(struct req *r, struct store_conn *c,
                              const char *(*get)(struct req *, const char *), struct rec_form *f,
                              struct errinfo *ei)
{
	static const char *const names[] = {"title",       "body",         "from_org",
	                                    "to_org",      "area",         "source",
	                                    "source_kind", "source_title", "source_url"};
	f->v = json_object();
	f->shown = json_array();
	f->rows = json_array();
	f->sources = json_array();
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *s = get(r, names[i]);
		if (s && *s)
			json_object_set_new(f->v, names[i], json_string(s));
	}
	enum err e = rec_prefill(r, c, f->v, f->sources, f->shown, ei);
	for (int k = 1; k <= REC_EXTRA_ROWS; k++) {
		const char *kind = get(r, req_printf(r, "extra_kind_%d", k));
		const char *title = get(r, req_printf(r, "extra_title_%d", k));
		const char *url = get(r, req_printf(r, "extra_url_%d", k));
		kind = kind && rec_link_kind(kind) ? kind : "link";
		title = title ? title : "";
		url = url ? url : "";
		json_array_append_new(f->rows, json_pack("{s:i, s:s, s:s, s:o}", "n", k, "title",
		                                         title, "url", url, "kind_options",
		                                         rec_kind_options(r, kind)));
		if (*title || *url)
			json_array_append_new(f->sources, json_pack("{s:s, s:s, s:s}", "kind", kind,
			                                            "title", title, "url", url));
	}
	return e;
}

static void rec_form_clear(struct rec_form *f)
{
	json_decref(f->v);
	json_decref(f->shown);
	json_decref(f->rows);
	json_decref(f->sources);
}

/* Renders the form; takes f's fields. */
static void rec_form_page(struct req *r, struct store_conn *c, int status, struct rec_form *f,
                          const struct errinfo *ei)
{
	const struct actor *a = req_actor(r);
	json_t *ctx = json_pack(
	    "{s:O, s:O, s:b, s:O, s:o, s:b, s:o, s:o}", "v", f->v, "shown", f->shown, "has_shown",
	    json_array_size(f->shown) > 0, "rows", f->rows, "from_options",
	    rec_from_options(c, a, jstr(f->v, "from_org")), "from_optional",
	    a->is_admin && policy_scope(ROLE_ADMIN, ACT_RECOMMENDATION_CREATE) == SCOPE_ANY,
	    "to_options", org_options(c, NULL, jstr(f->v, "to_org")), "area_options",
	    area_options(c, jstr(f->v, "area")));
	rec_form_clear(f);
	if (ei)
		json_object_set_new(ctx, "error",
		                    json_string(req_printf(r, "%s: %s", ei->field, ei->msg)));
	web_page(r, status, "recommendation_form", "Make a recommendation", ctx);
}

/* Signs in first, coming back to the form with its carried source; then
 * only actors who may make recommendations somewhere. */
static int rec_may_create(struct req *r, const char *(*get)(struct req *, const char *))
{
	if (!req_actor(r)->user_id) {
		static const char *const carried[] = {"source", "source_kind", "source_title",
		                                      "source_url"};
		struct buf next, enc;
		buf_init(&next);
		buf_init(&enc);
		buf_puts(&next, "/recommendations/new");
		char sep = '?';
		for (size_t i = 0; i < sizeof carried / sizeof carried[0]; i++) {
			const char *s = get(r, carried[i]);
			if (!s || !*s)
				continue;
			buf_printf(&next, "%c%s=", sep, carried[i]);
			buf_url_encode(&next, s, strlen(s));
			sep = '&';
		}
		buf_url_encode(&enc, next.data, next.len);
		signed_in(r, req_strdup(r, enc.data));
		buf_clear(&next);
		buf_clear(&enc);
		return 0;
	}
	if (!policy_allows(req_actor(r), ACT_RECOMMENDATION_CREATE, 0)) {
		resp_error(r, 403, "forbidden", NULL, "%s",
		           web_t(r, "Recommendations are made by community organisations and "
		                    "oversight bodies; your account does not act for one."));
		return 0;
	}
	return 1;
}

static void rec_new_form(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !rec_may_create(r, req_query))
		return;
	struct rec_form f;
	struct errinfo ei = {{0}, {0}};
	enum err e = rec_form_read(r, c, req_query, &f, &ei);
	rec_form_page(r, c, e ? 422 : 200, &f, e ? &ei : NULL);
}

static const char *rec_opt(json_t *v, const char *key)
{
	const char *s = jstr(v, key);
	return *s ? s : NULL;
}

static void rec_new_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !rec_may_create(r, req_form))
		return;
	struct rec_form f;
	struct errinfo ei = {{0}, {0}};
	enum err e = rec_form_read(r, c, req_form, &f, &ei);
	int64_t id = 0;
	if (!e) {
		struct recommendation_in in = {
		    .title = rec_opt(f.v, "title"),
		    .body = rec_opt(f.v, "body"),
		    .from_org = rec_opt(f.v, "from_org"),
		    .to_org = rec_opt(f.v, "to_org"),
		    .area = rec_opt(f.v, "area"),
		    .sources = json_array_size(f.sources) ? f.sources : NULL,
		};
		e = recommendation_create(c, req_actor(r), &in, &id, &ei);
	}
	/* The form offers only the organisations one acts for: another one is
	 * a wrong answer to the form, like an unknown one. */
	if (e == ERR_INVAL || (e == ERR_FORBIDDEN && !strcmp(ei.field, "from_org"))) {
		rec_form_page(r, c, 422, &f, &ei);
		return;
	}
	rec_form_clear(&f);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_redirect(r, req_printf(r, "/recommendations/%lld?saved=1", (long long)id));
}

static const struct route routes[] = {
    {M_GET, "/commitments", board, ROUTE_HTML},
    {M_GET, "/areas/{slug}/commitments", board, ROUTE_HTML},
    {M_GET, "/commitments/new", new_form, ROUTE_HTML},
    {M_POST, "/commitments/new", new_post, ROUTE_HTML},
    {M_GET, "/commitments/{id}", commitment_page, ROUTE_HTML},
    {M_POST, "/commitments/{id}/status", status_post, ROUTE_HTML},
    {M_POST, "/commitments/{id}/updates", update_post, ROUTE_HTML},
    {M_GET, "/recommendations", recommendations_page, ROUTE_HTML},
    {M_GET, "/recommendations/new", rec_new_form, ROUTE_HTML},
    {M_POST, "/recommendations/new", rec_new_post, ROUTE_HTML},
    {M_GET, "/recommendations/{id}", recommendation_page, ROUTE_HTML},
    {M_POST, "/recommendations/{id}", recommendation_post, ROUTE_HTML},
};

void web_commitment_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
