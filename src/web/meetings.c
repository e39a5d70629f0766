/* meetings.c - the meeting pages: list (by area, organisation, upcoming or
 * past), view, create, edit, cancel, register. Forms post back to the same
 * address; errors re-render the form with what was typed (422). */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/tz.h"
#include "domain/meeting.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "web/web.h"

/* The zones offered in the form (the current one is added if missing). */
static const char *const zones[] = {"Europe/London", "Europe/Brussels", "Europe/Amsterdam",
                                    "Europe/Paris", "UTC"};

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
		resp_error(r, 404, "not_found", "id", "no meeting has this id");
		return 0;
	}
	*id = v;
	return 1;
}

/* "2026-12-01T18:30:00+00:00" -> {"date": "2026-12-01", "time": "18:30"} */
static void add_when(json_t *m, const char *key, const char *local)
{
	char date[11] = "", time[6] = "";
	if (strlen(local) >= 16) {
		memcpy(date, local, 10);
		memcpy(time, local + 11, 5);
	}
	json_object_set_new(m, key, json_pack("{s:s, s:s}", "date", date, "time", time));
}

/* Adds what the templates need to a meeting from meeting_get. */
static void decorate(struct req *r, struct store_conn *c, json_t *m)
{
	add_when(m, "from", jstr(m, "start_local"));
	add_when(m, "to", jstr(m, "end_local"));
	const struct tz *z;
	int64_t start = 0;
	json_t *id = json_object_get(m, "id");
	if (tz_get(jstr(m, "tz"), &z) == ERR_OK &&
	    clock_parse_rfc3339(jstr(m, "start"), &start) == 0) {
		struct tz_civil cv;
		tz_local(z, start, &cv);
		json_object_set_new(m, "zone_abbr", json_string(cv.abbr));
	}
	int cancelled = strcmp(jstr(m, "status"), "cancelled") == 0;
	json_object_set_new(m, "has_documents",
	                    json_boolean(json_array_size(json_object_get(m, "documents")) > 0));
	json_object_set_new(m, "cancelled", json_boolean(cancelled));
	int64_t mid = json_integer_value(id);
	json_object_set_new(
	    m, "can_edit", json_boolean(meeting_allowed(c, req_actor(r), ACT_MEETING_UPDATE, mid)));
	json_object_set_new(
	    m, "can_cancel",
	    json_boolean(!cancelled && meeting_allowed(c, req_actor(r), ACT_MEETING_CANCEL, mid)));
	json_t *reg = json_object_get(m, "registration");
	json_int_t cap = json_integer_value(json_object_get(reg, "capacity"));
	json_int_t n = json_integer_value(json_object_get(reg, "registered"));
	json_object_set_new(reg, "full", json_boolean(cap > 0 && n >= cap));
	json_object_set_new(reg, "open",
	                    json_boolean(json_is_true(json_object_get(reg, "enabled")) &&
	                                 !cancelled &&
	                                 json_is_true(json_object_get(m, "upcoming"))));
	json_object_set_new(reg, "places_left", json_integer(cap > n ? cap - n : 0));
}

static void meetings_page(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const char *area = req_query(r, "area"), *org = req_query(r, "org");
	const char *when = req_query(r, "when");
	if (area && !*area)
		area = NULL;
	if (org && !*org)
		org = NULL;
	struct meeting_filter f = {area, org, MEETING_UPCOMING, 0, 200};
	if (when && !strcmp(when, "past"))
		f.when = MEETING_PAST;
	else if (when && !strcmp(when, "all"))
		f.when = MEETING_ALL;
	else
		when = "upcoming";
	json_t *list = NULL, *areas = NULL, *orgs = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = meeting_list(c, req_actor(r), &f, &list, &ei);
	if (e) {
		resp_error(r, e == ERR_INVAL ? 404 : 500, "not_found", ei.field, "%s", ei.msg);
		return;
	}
	size_t i;
	json_t *m, *a;
	json_array_foreach(list, i, m) decorate(r, c, m);
	area_list(c, &areas);
	org_list(c, NULL, &orgs);
	json_array_foreach(areas, i, a)
	{
		json_object_set_new(a, "selected",
		                    json_boolean(area && !strcmp(area, jstr(a, "slug"))));
		json_object_set_new(
		    a, "indent",
		    json_string(json_integer_value(json_object_get(a, "depth")) == 0 ? ""
		                : json_integer_value(json_object_get(a, "depth")) == 1
		                    ? "\xc2\xa0\xc2\xa0"
		                    : "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"));
	}
	json_array_foreach(orgs, i, a)
	    json_object_set_new(a, "selected", json_boolean(org && !strcmp(org, jstr(a, "slug"))));
	const char *feed = area  ? req_printf(r, "/areas/%s/calendar.ics", area)
	                   : org ? req_printf(r, "/orgs/%s/calendar.ics", org)
	                         : "/calendar.ics";
	json_t *ctx = json_pack(
	    "{s:o, s:o, s:o, s:s, s:b, s:b, s:b, s:b}", "meetings", list, "areas",
	    areas ? areas : json_array(), "orgs", orgs ? orgs : json_array(), "feed", feed,
	    "upcoming", !strcmp(when, "upcoming"), "past", !strcmp(when, "past"), "all",
	    !strcmp(when, "all"), "can_create", policy_allows(req_actor(r), ACT_MEETING_CREATE, 0));
	web_page(r, 200, "meetings", "Meetings", ctx);
}

static void meeting_page(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !id_param(r, &id))
		return;
	json_t *m = NULL;
	if (meeting_get(c, req_actor(r), id, &m) != ERR_OK) {
		resp_error(r, 404, "not_found", "id", "no meeting has this id");
		return;
	}
	decorate(r, c, m);
	const char *title = req_strdup(r, jstr(m, "title"));
	json_t *ctx = json_pack("{s:o, s:b}", "meeting", m, "can_recommend",
	                        policy_allows(req_actor(r), ACT_RECOMMENDATION_CREATE, 0));
	if (req_query(r, "saved"))
		json_object_set_new(ctx, "saved", json_true());
	web_page(r, 200, "meeting", title, ctx);
}

/* --- the form ----------------------------------------------------------- */

static json_t *zone_options(const char *cur)
{
	json_t *arr = json_array();
	int found = 0;
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		int sel = cur && !strcmp(cur, zones[i]);
		found |= sel;
		json_array_append_new(arr,
		                      json_pack("{s:s, s:b}", "name", zones[i], "selected", sel));
	}
	if (cur && *cur && !found)
		json_array_append_new(arr, json_pack("{s:s, s:b}", "name", cur, "selected", 1));
	return arr;
}

/* The form's context: values (from a meeting or from what was posted),
 * the areas and organisations to choose from. */
static json_t *form_ctx(struct req *r, struct store_conn *c, json_t *values, json_t *chosen_orgs)
{
	json_t *areas = NULL, *orgs = NULL;
	area_list(c, &areas);
	org_list(c, NULL, &orgs);
	const char *area = jstr(values, "area_slug");
	size_t i, k;
	json_t *a, *o;
	json_array_foreach(areas, i, a)
	{
		json_object_set_new(a, "selected", json_boolean(!strcmp(area, jstr(a, "slug"))));
		json_int_t d = json_integer_value(json_object_get(a, "depth"));
		json_object_set_new(a, "indent",
		                    json_string(d == 0   ? ""
		                                : d == 1 ? "\xc2\xa0\xc2\xa0"
		                                         : "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"));
	}
	json_array_foreach(orgs, i, o)
	{
		int on = 0;
		json_array_foreach(chosen_orgs, k, a) on |=
		    !strcmp(json_string_value(a) ? json_string_value(a) : "", jstr(o, "slug"));
		json_object_set_new(o, "checked", json_boolean(on));
	}
	json_object_set_new(values, "zones", zone_options(jstr(values, "tz")));
	(void)r;
	return json_pack("{s:o, s:o, s:o}", "m", values, "area_options",
	                 areas ? areas : json_array(), "org_options", orgs ? orgs : json_array());
}

/* Values for the form from a stored meeting. */
static json_t *values_of(json_t *m)
{
	json_t *v = json_deep_copy(m);
	json_object_set_new(v, "area_slug", json_string(jstr(json_object_get(m, "area"), "slug")));
	char s[17] = "", e[17] = "";
	snprintf(s, sizeof s, "%s", jstr(m, "start_local"));
	snprintf(e, sizeof e, "%s", jstr(m, "end_local"));
	json_object_set_new(v, "start_input", json_string(s));
	json_object_set_new(v, "end_input", json_string(e));
	json_t *reg = json_object_get(m, "registration");
	json_object_set_new(v, "registration_on",
	                    json_boolean(json_is_true(json_object_get(reg, "enabled"))));
	json_t *cap = json_object_get(reg, "capacity");
	if (json_is_integer(cap))
		json_object_set_new(v, "capacity_input", json_integer(json_integer_value(cap)));
	struct buf docs;
	buf_init(&docs);
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(m, "documents"), i, d)
	    buf_printf(&docs, "%s | %s\n", jstr(d, "title"), jstr(d, "url"));
	json_object_set_new(v, "documents_text", json_string(docs.data ? docs.data : ""));
	buf_reset(&docs);
	json_array_foreach(json_object_get(json_object_get(m, "attendance"), "community"), i, d)
	    buf_printf(&docs, "%s: %lld\n", jstr(d, "group"),
	               (long long)json_integer_value(json_object_get(d, "count")));
	json_object_set_new(v, "community_text", json_string(docs.data ? docs.data : ""));
	buf_clear(&docs);
	/* One attendance input per organiser, with the count recorded. */
	json_t *att = json_array();
	json_t *o;
	json_array_foreach(json_object_get(m, "organisers"), i, o)
	{
		json_t *count = json_null();
		size_t k;
		json_array_foreach(json_object_get(json_object_get(m, "attendance"), "orgs"), k,
		                   d) if (!strcmp(jstr(d, "org"), jstr(o, "slug"))) count =
		    json_integer(json_integer_value(json_object_get(d, "count")));
		json_array_append_new(att, json_pack("{s:s, s:s, s:o}", "slug", jstr(o, "slug"),
		                                     "name", jstr(o, "name"), "count", count));
	}
	json_object_set_new(v, "org_attendance", att);
	return v;
}

static json_t *slugs_of(json_t *orgs)
{
	json_t *arr = json_array();
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o) json_array_append_new(arr, json_string(jstr(o, "slug")));
	return arr;
}

static void form_page(struct req *r, struct store_conn *c, int status, json_t *values,
                      json_t *chosen, const struct errinfo *ei, int editing)
{
	json_t *ctx = form_ctx(r, c, values, chosen);
	json_decref(chosen);
	if (ei) {
		json_object_set_new(ctx, "error", json_string(ei->msg));
		json_object_set_new(ctx, "error_field", json_string(ei->field));
	}
	json_object_set_new(ctx, "editing", json_boolean(editing));
	web_page(r, status, "meeting_form", editing ? "Edit the meeting" : "New meeting", ctx);
}

static void new_form(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const struct actor *a = req_actor(r);
	if (!a->user_id) {
		resp_redirect(r, "/login?next=/meetings/new");
		return;
	}
	if (!policy_allows(a, ACT_MEETING_CREATE, 0)) {
		resp_error(r, 403, "forbidden", NULL, "your role does not allow meeting.create");
		return;
	}
	json_t *chosen = json_array();
	for (int i = 0; i < a->n_memberships; i++)
		if (policy_allows(a, ACT_MEETING_CREATE, a->memberships[i].org_id))
			json_array_append_new(chosen, json_string(a->memberships[i].org_slug));
	json_t *v = json_pack("{s:s, s:b}", "tz", "Europe/London", "public", 1);
	form_page(r, c, 200, v, chosen, NULL, 0);
}

/* Reads the posted form into in (strings borrowed from the request) and
 * into values (to show the form again). */
static void read_form(struct req *r, struct store_conn *c, struct meeting_in *in, json_t *values,
                      json_t **chosen)
{
	static const char *const text[] = {"title",      "start",  "end",     "tz",  "place",
	                                   "online_url", "agenda", "minutes", "area"};
	meeting_in_init(in);
	const char **dst[] = {&in->title,      &in->start,  &in->end,     &in->tz,  &in->place,
	                      &in->online_url, &in->agenda, &in->minutes, &in->area};
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
		*dst[i] = req_form(r, text[i]);
		if (*dst[i])
			json_object_set_new(values, text[i], json_string(*dst[i]));
	}
	if (in->area)
		json_object_set_new(values, "area_slug", json_string(in->area));
	json_object_set_new(values, "start_input", json_string(in->start ? in->start : ""));
	json_object_set_new(values, "end_input", json_string(in->end ? in->end : ""));
	in->is_public = req_form(r, "public") != NULL;
	in->registration = req_form(r, "registration") != NULL;
	json_object_set_new(values, "public", json_boolean(in->is_public));
	json_object_set_new(values, "registration_on", json_boolean(in->registration));
	const char *cap = req_form(r, "capacity");
	if (cap && *cap) {
		char *end;
		long long n = strtoll(cap, &end, 10);
		in->capacity = *end || n < 1 ? 1000000 : n; /* out of range: the domain says so */
		json_object_set_new(values, "capacity_input", json_string(cap));
	} else {
		in->capacity = 0;
	}
	json_t *orgs = NULL;
	*chosen = json_array();
	org_list(c, NULL, &orgs);
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o) if (req_form(r, req_printf(r, "org-%s", jstr(o, "slug"))))
	    json_array_append_new(*chosen, json_string(jstr(o, "slug")));
	json_decref(orgs);
}

/* "Title | https://..." per line -> [{"title","url"}]; a line without '|'
 * gives an empty url, which the domain rejects naming "documents". */
static json_t *parse_documents(const char *text)
{
	json_t *arr = json_array();
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		static char none[1];
		char *line = strndup(text, n);
		char *bar = strrchr(line, '|');
		char *title = line, *url = bar ? bar + 1 : none;
		if (bar)
			*bar = '\0';
		while (*title == ' ' || *title == '\t')
			title++;
		for (char *e = title + strlen(title);
		     e > title && (e[-1] == ' ' || e[-1] == '\r' || e[-1] == '\t');)
			*--e = '\0';
		while (*url == ' ')
			url++;
		for (char *e = url + strlen(url); e > url && (e[-1] == ' ' || e[-1] == '\r');)
			*--e = '\0';
		if (*title || *url)
			json_array_append_new(arr,
			                      json_pack("{s:s, s:s}", "title", title, "url", url));
		free(line);
		text += n + (nl ? 1 : 0);
	}
	return arr;
}

/* "Group: count" per line -> [{"group","count"}]; *bad is set on a line
 * that does not end in ": number". */
static json_t *parse_groups(const char *text, int *bad)
{
	json_t *arr = json_array();
	*bad = 0;
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		char *line = strndup(text, n);
		for (char *e = line + strlen(line); e > line && (e[-1] == ' ' || e[-1] == '\r');)
			*--e = '\0';
		if (*line) {
			char *colon = strrchr(line, ':'), *end;
			long long v = colon ? strtoll(colon + 1, &end, 10) : -1;
			if (!colon || colon == line || *end || colon[1] == '\0' || v < 0) {
				*bad = 1;
			} else {
				*colon = '\0';
				json_array_append_new(arr, json_pack("{s:s, s:I}", "group", line,
				                                     "count", (json_int_t)v));
			}
		}
		free(line);
		text += n + (nl ? 1 : 0);
	}
	return arr;
}

static void new_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	if (!req_actor(r)->user_id) {
		resp_redirect(r, "/login?next=/meetings/new");
		return;
	}
	struct meeting_in in;
	json_t *values = json_object(), *chosen;
	read_form(r, c, &in, values, &chosen);
	in.organisers = chosen;
	struct errinfo ei = {{0}, {0}};
	int64_t id;
	enum err e = meeting_create(c, req_actor(r), &in, &id, &ei);
	if (e == ERR_INVAL || e == ERR_FORBIDDEN) {
		form_page(r, c, e == ERR_INVAL ? 422 : 403, values, chosen, &ei, 0);
		return;
	}
	json_decref(values);
	json_decref(chosen);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_redirect(r, req_printf(r, "/meetings/%lld?saved=1", (long long)id));
}

/* The meeting for an edit page, or answers (404, 403, sign-in redirect). */
static json_t *editable(struct req *r, struct store_conn *c, int64_t *id)
{
	if (!id_param(r, id))
		return NULL;
	const struct actor *a = req_actor(r);
	if (!a->user_id) {
		resp_redirect(r, req_printf(r, "/login?next=/meetings/%lld/edit", (long long)*id));
		return NULL;
	}
	json_t *m = NULL;
	if (meeting_get(c, a, *id, &m) != ERR_OK) {
		resp_error(r, 404, "not_found", "id", "no meeting has this id");
		return NULL;
	}
	if (!meeting_allowed(c, a, ACT_MEETING_UPDATE, *id)) {
		json_decref(m);
		resp_error(r, 403, "forbidden", NULL, "only the staff of an organiser may edit it");
		return NULL;
	}
	return m;
}

static void edit_form(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	json_t *m;
	if (!c || !(m = editable(r, c, &id)))
		return;
	json_t *v = values_of(m);
	json_t *chosen = slugs_of(json_object_get(m, "organisers"));
	json_decref(m);
	form_page(r, c, 200, v, chosen, NULL, 1);
}

static void edit_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	json_t *m;
	if (!c || !(m = editable(r, c, &id)))
		return;
	struct meeting_in in;
	json_t *values = values_of(m), *chosen;
	json_decref(m);
	read_form(r, c, &in, values, &chosen);
	in.organisers = chosen;
	struct errinfo ei = {{0}, {0}};
	const char *docs = req_form(r, "documents");
	json_t *doc_list = docs ? parse_documents(docs) : NULL;
	if (docs)
		json_object_set_new(values, "documents_text", json_string(docs));
	in.documents = doc_list;
	json_t *att = NULL;
	int bad = 0;
	const char *groups = req_form(r, "community");
	if (groups) {
		json_object_set_new(values, "community_text", json_string(groups));
		json_t *orgs = json_array();
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(values, "org_attendance"), i, o)
		{
			const char *n = req_form(r, req_printf(r, "att-%s", jstr(o, "slug")));
			char *end;
			long long v = n && *n ? strtoll(n, &end, 10) : -1;
			if (n && *n && (*end || v < 0))
				bad = 1;
			json_object_set_new(o, "count", n && *n ? json_string(n) : json_null());
			if (v >= 0)
				json_array_append_new(orgs, json_pack("{s:s, s:I}", "org",
				                                      jstr(o, "slug"), "count",
				                                      (json_int_t)v));
		}
		json_t *com = parse_groups(groups, &bad);
		att = json_pack("{s:o, s:o}", "orgs", orgs, "community", com);
	}
	in.attendance = att;
	enum err e =
	    bad ? err_set(&ei, ERR_INVAL, "attendance",
	                  "counts must be whole numbers; write one \"group: count\" a line")
	        : meeting_update(c, req_actor(r), id, &in, &ei);
	json_decref(doc_list);
	json_decref(att);
	if (e == ERR_INVAL || e == ERR_FORBIDDEN) {
		form_page(r, c, e == ERR_INVAL ? 422 : 403, values, chosen, &ei, 1);
		return;
	}
	json_decref(values);
	json_decref(chosen);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_redirect(r, req_printf(r, "/meetings/%lld?saved=1", (long long)id));
}

static void cancel_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	json_t *m;
	if (!c || !(m = editable(r, c, &id)))
		return;
	json_decref(m);
	struct errinfo ei = {{0}, {0}};
	enum err e = meeting_cancel(c, req_actor(r), id, req_form(r, "reason"), &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_redirect(r, req_printf(r, "/meetings/%lld?saved=1", (long long)id));
}

static void register_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !id_param(r, &id))
		return;
	if (!req_actor(r)->user_id) {
		resp_redirect(r, req_printf(r, "/login?next=/meetings/%lld", (long long)id));
		return;
	}
	const char *action = req_form(r, "action");
	struct errinfo ei = {{0}, {0}};
	enum err e =
	    meeting_register(c, req_actor(r), id, !action || strcmp(action, "withdraw"), &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_redirect(r, req_printf(r, "/meetings/%lld", (long long)id));
}

static const struct route routes[] = {
    {M_GET, "/meetings", meetings_page, ROUTE_HTML},
    {M_GET, "/meetings/new", new_form, ROUTE_HTML},
    {M_POST, "/meetings/new", new_post, ROUTE_HTML},
    {M_GET, "/meetings/{id}", meeting_page, ROUTE_HTML},
    {M_GET, "/meetings/{id}/edit", edit_form, ROUTE_HTML},
    {M_POST, "/meetings/{id}/edit", edit_post, ROUTE_HTML},
    {M_POST, "/meetings/{id}/cancel", cancel_post, ROUTE_HTML},
    {M_POST, "/meetings/{id}/register", register_post, ROUTE_HTML},
};

void web_meeting_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
