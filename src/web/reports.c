/* reports.c - the pages of reports with consent, without JavaScript:
 *   /report            the form (no account, no map), then the receipt once
 *   /r/{token}         the receipt: status, updates, messages both ways,
 *                      consent, who opened it (from the log), erasure
 *   /reports           staff: triage list with filters; supervisors' override
 *   /reports/{id}      staff: one report within its consent (logged)
 *   /stats             public statistics: an SVG chart and its table */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/category.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/report.h"
#include "domain/reportstats.h"
#include "web/web.h"

/* --- labels ------------------------------------------------------------------ */

static const char *status_label(struct req *r, const char *s)
{
	static const char *const names[][2] = {
	    {"received", "Received"},       {"acknowledged", "Acknowledged"},
	    {"in_progress", "In progress"}, {"resolved", "Resolved"},
	    {"closed", "Closed"},
	};
	for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(names[i][0], s))
			return web_t(r, names[i][1]);
	return s ? s : "";
}

static const char *consent_label(struct req *r, const char *s)
{
	if (s && !strcmp(s, "statistics"))
		return web_t(r, "Statistics only");
	if (s && !strcmp(s, "anonymous"))
		return web_t(r, "Anonymous");
	if (s && !strcmp(s, "identified"))
		return web_t(r, "With my name");
	return s ? s : "";
}

/* Who may see the report, in plain words. */
static const char *consent_explain(struct req *r, const char *s)
{
	if (s && !strcmp(s, "statistics"))
		return web_t(r, "Nobody at the police reads your report. It is only counted, in "
		                "statistics where small numbers are hidden.");
	if (s && !strcmp(s, "anonymous"))
		return web_t(r, "The police can read what happened, but never your name or "
		                "contact details. They can ask you questions here.");
	return web_t(r, "The police can read what happened and see your name and contact "
	                "details, so that they can contact you.");
}

static const char *action_label(struct req *r, const char *a)
{
	static const char *const names[][2] = {
	    {"report.read", "Read the report, without your identity"},
	    {"report.read.identity", "Read the report and your contact details"},
	    {"report.override", "Opened the report beyond your choice"},
	    {"report.message", "Wrote to you"},
	    {"report.status", "Changed the status"},
	    {"report.consent", "You changed who may see it"},
	    {"report.erase", "You erased the report"},
	};
	for (size_t i = 0; a && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(names[i][0], a))
			return web_t(r, names[i][1]);
	return a ? a : "";
}

static const char *role_label(struct req *r, const char *role)
{
	if (!role)
		return "";
	if (!strcmp(role, "officer"))
		return web_t(r, "police officer");
	if (!strcmp(role, "supervisor"))
		return web_t(r, "police supervisor");
	if (!strcmp(role, "org_member"))
		return web_t(r, "staff member");
	if (!strcmp(role, "org_admin"))
		return web_t(r, "coordinator");
	return role;
}

/* "2026-11-24T21:38:05Z" as "2026-11-24 21:38 UTC". */
static const char *when(struct req *r, const json_t *t)
{
	const char *s = json_string_value(t);
	if (!s || strlen(s) < 16)
		return s ? s : "";
	return req_printf(r, "%.10s %.5s UTC", s, s + 11);
}

static void set_when(struct req *r, json_t *o, const char *key)
{
	json_object_set_new(o, key, json_string(when(r, json_object_get(o, key))));
}

static json_t *flag(int v)
{
	return json_boolean(v);
}

/* --- shared pieces of forms ---------------------------------------------------- */

static json_t *consent_options(struct req *r, const char *current)
{
	static const char *const codes[] = {"statistics", "anonymous", "identified"};
	json_t *arr = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "code", codes[i],
		                                     "label", consent_label(r, codes[i]), "explain",
		                                     consent_explain(r, codes[i]), "checked",
		                                     current && !strcmp(current, codes[i])));
	return arr;
}

/* The areas as options, indented by depth, current one selected. */
static json_t *area_options(struct store_conn *c, const char *current)
{
	json_t *areas = NULL;
	if (area_list(c, &areas) != ERR_OK)
		return json_array();
	size_t i;
	json_t *a;
	json_array_foreach(areas, i, a)
	{
		json_int_t depth = json_integer_value(json_object_get(a, "depth"));
		json_object_set_new(a, "prefix",
		                    json_string(depth >= 2   ? "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"
		                                : depth == 1 ? "\xc2\xa0\xc2\xa0"
		                                             : ""));
		json_object_set_new(
		    a, "selected",
		    flag(current &&
		         !strcmp(current, json_string_value(json_object_get(a, "slug")))));
	}
	return areas;
}

static json_t *status_options(struct req *r, const char *current)
{
	json_t *arr = json_array();
	for (int i = 0; i < REPORT_STATUS_COUNT; i++) {
		const char *code = report_status_name((enum report_status)i);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "code", code, "label",
		                                     status_label(r, code), "selected",
		                                     current && !strcmp(current, code)));
	}
	return arr;
}

/* "Race or ethnicity; Religion or belief" from the strands of a report. */
static void add_strands_text(json_t *o)
{
	struct buf b;
	buf_init(&b);
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(o, "strands"), i, s)
	{
		if (i)
			buf_puts(&b, "; ");
		buf_puts(&b, json_string_value(json_object_get(s, "label")));
	}
	json_object_set_new(o, "strands_text", json_string(b.data ? b.data : ""));
	buf_clear(&b);
}

/* Labels and display times of the updates and messages of a report;
 * reporter_name: how the reporter's messages are signed. */
static void decorate(struct req *r, json_t *o, const char *reporter_name)
{
	json_object_set_new(
	    o, "status_label",
	    json_string(status_label(r, json_string_value(json_object_get(o, "status")))));
	json_object_set_new(
	    o, "consent_label",
	    json_string(consent_label(r, json_string_value(json_object_get(o, "consent")))));
	set_when(r, o, "filed_at");
	set_when(r, o, "occurred_at");
	add_strands_text(o);
	size_t i;
	json_t *x;
	json_t *updates = json_object_get(o, "updates");
	json_array_foreach(updates, i, x)
	{
		json_object_set_new(
		    x, "status_label",
		    json_string(status_label(r, json_string_value(json_object_get(x, "status")))));
		set_when(r, x, "time");
	}
	json_object_set_new(o, "has_updates", flag(json_array_size(updates) > 0));
	json_t *messages = json_object_get(o, "messages");
	json_array_foreach(messages, i, x)
	{
		int mine = !strcmp(json_string_value(json_object_get(x, "from")), "reporter");
		json_object_set_new(x, "who",
		                    json_string(mine ? reporter_name
		                                     : json_string_value(json_object_get(
		                                           json_object_get(x, "org"), "name"))));
		set_when(r, x, "time");
	}
	json_object_set_new(o, "has_messages", flag(json_array_size(messages) > 0));
}

/* --- filing ------------------------------------------------------------------ */

/* The description of a category in lang (English when missing). */
static const char *description_of(const json_t *cat, const char *lang)
{
	const json_t *d = json_object_get(cat, "description");
	const char *s = json_string_value(json_object_get(d, lang));
	return s && *s ? s : json_string_value(json_object_get(d, "en"));
}

/* The organisations actor may file for. */
static json_t *via_options(struct req *r, const char *current)
{
	const struct actor *a = req_actor(r);
	json_t *arr = json_array();
	for (int i = 0; i < a->n_memberships; i++) {
		const struct membership *m = &a->memberships[i];
		if (m->org_kind == ORG_COMMUNITY &&
		    policy_allows(a, ACT_REPORT_FILE_VIA, m->org_id))
			json_array_append_new(arr,
			                      json_pack("{s:s, s:s, s:b}", "slug", m->org_slug,
			                                "name", m->org_name, "selected",
			                                current && !strcmp(current, m->org_slug)));
	}
	return arr;
}

static const char *form_or_empty(struct req *r, const char *name)
{
	const char *v = req_form(r, name);
	return v ? v : "";
}

/* The form, filled with what was posted (if anything). */
static void report_form_page(struct req *r, int status, const char *error)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const char *lang = req_lang(r);
	json_t *cats = NULL, *strands = NULL;
	if (category_list(c, 0, 1, &cats) || category_strands(c, &strands)) {
		json_decref(cats);
		resp_error(r, 500, "internal_error", NULL, "cannot list the categories");
		return;
	}
	const char *cur = req_form(r, "category");
	size_t i;
	json_t *x;
	json_array_foreach(cats, i, x)
	{
		json_object_set_new(
		    x, "checked",
		    flag(cur && !strcmp(cur, json_string_value(json_object_get(x, "code")))));
		json_object_set_new(x, "description", json_string(description_of(x, lang)));
		json_object_set_new(x, "label", json_string(category_label(x, lang)));
	}
	json_array_foreach(strands, i, x)
	{
		int checked = 0;
		const char *n, *v;
		for (int k = 0; req_form_at(r, k, &n, &v); k++)
			checked |= !strcmp(n, "strand") &&
			           !strcmp(v, json_string_value(json_object_get(x, "code")));
		json_object_set_new(x, "checked", flag(checked));
		json_object_set_new(x, "label", json_string(category_label(x, lang)));
	}
	char today[32];
	clock_format_rfc3339(clock_now(), today);
	today[10] = '\0';
	const char *date = req_form(r, "date");
	json_t *via = via_options(r, req_form(r, "via"));
	json_t *ctx = json_pack(
	    "{s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "categories", cats,
	    "strands", strands, "areas", area_options(c, req_form(r, "area")), "consents",
	    consent_options(r, req_form(r, "consent")), "description",
	    form_or_empty(r, "description"), "date", date ? date : today, "time",
	    form_or_empty(r, "time"), "address", form_or_empty(r, "address"), "name",
	    form_or_empty(r, "name"), "email", form_or_empty(r, "email"), "phone",
	    form_or_empty(r, "phone"), "has_via", json_array_size(via) > 0, "via_orgs", via);
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	web_page(r, status, "report_form", "Report an incident or a concern", ctx);
}

static void report_form(struct req *r)
{
	report_form_page(r, 200, NULL);
}

/* The label of the form field behind a domain error field. */
static const char *field_label(struct req *r, const char *field)
{
	static const char *const map[][2] = {
	    {"category", "What is it about?"},
	    {"strands", "For a hate incident or a hate crime: what was the hostility about?"},
	    {"description", "What happened?"},
	    {"occurred_at", "When did it happen?"},
	    {"area", "In which area?"},
	    {"location.address", "Where exactly (an address or a place), if you want to say"},
	    {"consent", "Who may see your report?"},
	    {"reporter", "How to contact you (optional)"},
	    {"reporter.name", "Name"},
	    {"reporter.email", "Email"},
	    {"reporter.phone", "Telephone"},
	    {"via", "Filed on someone's behalf by"},
	    {"body", "Write a message"},
	    {"note", "New status"},
	    {"status", "New status"},
	    {"reason", "Why"},
	};
	for (size_t i = 0; field && i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i][0], field))
			return web_t(r, map[i][1]);
	return field ? field : "";
}

static const char *error_text(struct req *r, const struct errinfo *ei)
{
	return req_printf(r, "%s: %s", field_label(r, ei->field), ei->msg);
}

static void report_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const char *date = form_or_empty(r, "date"), *time = form_or_empty(r, "time");
	struct report_input in;
	memset(&in, 0, sizeof in);
	in.category = req_form(r, "category");
	in.strands = json_array();
	const char *n, *v;
	for (int k = 0; req_form_at(r, k, &n, &v); k++)
		if (!strcmp(n, "strand") && json_array_size(in.strands) < 16)
			json_array_append_new(in.strands, json_string(v));
	in.description = req_form(r, "description");
	in.occurred_at =
	    *date ? req_printf(r, "%.10sT%.5s:00Z", date, *time ? time : "12:00") : NULL;
	in.area = req_form(r, "area");
	in.address = req_form(r, "address");
	in.consent = req_form(r, "consent");
	in.name = req_form(r, "name");
	in.email = req_form(r, "email");
	in.phone = req_form(r, "phone");
	in.via = req_form(r, "via");
	in.source = "web";
	if (in.via && !*in.via)
		in.via = NULL;
	struct errinfo ei = {{0}, {0}};
	struct report_receipt rc;
	enum err e = (*time && strlen(time) != 5)
	                 ? err_set(&ei, ERR_INVAL, "occurred_at", "give the time as HH:MM")
	                 : report_create(c, req_app(r)->data_kek, req_actor(r), &in, &rc, &ei);
	json_decref(in.strands);
	if (e == ERR_INVAL || e == ERR_FORBIDDEN) {
		report_form_page(r, 422, error_text(r, &ei));
		return;
	}
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	web_page(r, 200, "report_filed", "Your report has been sent",
	         json_pack("{s:s}", "token", rc.token));
}

/* --- the receipt ---------------------------------------------------------------- */

static void receipt_page(struct req *r, int status, const char *error)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const char *token = req_param(r, "token");
	json_t *o = NULL;
	enum err e = report_receipt_json(c, req_app(r)->data_kek, req_app(r)->tlog, token,
	                                 req_lang(r), &o, NULL);
	if (e) {
		resp_error(r, e == ERR_NOTFOUND ? 404 : 500, err_str(e), "token", "%s",
		           web_t(r, "No report has this receipt."));
		return;
	}
	const char *consent = json_string_value(json_object_get(o, "consent"));
	decorate(r, o, web_t(r, "You"));
	json_object_set_new(o, "consent_explain", json_string(consent_explain(r, consent)));
	const char *via = json_string_value(json_object_get(json_object_get(o, "via"), "name"));
	if (via)
		json_object_set_new(o, "via_explain",
		                    json_string(req_printf(r, "%s %s", via,
		                                           web_t(r, "took your report and can see "
		                                                    "all of it, your contact "
		                                                    "details included."))));
	json_object_set_new(o, "consents", consent_options(r, consent));
	size_t i;
	json_t *x;
	json_t *overrides = json_object_get(o, "overrides");
	json_array_foreach(overrides, i, x) set_when(r, x, "time");
	json_object_set_new(o, "has_overrides", flag(json_array_size(overrides) > 0));
	json_t *entries = json_object_get(json_object_get(o, "access"), "entries");
	json_array_foreach(entries, i, x)
	{
		const char *role = json_string_value(json_object_get(x, "role"));
		const char *org = json_string_value(json_object_get(x, "org_name"));
		json_object_set_new(x, "who",
		                    json_string(role && !strcmp(role, "reporter")
		                                    ? web_t(r, "You")
		                                    : req_printf(r, "%s (%s)", org ? org : "",
		                                                 role_label(r, role))));
		json_object_set_new(
		    x, "what",
		    json_string(action_label(r, json_string_value(json_object_get(x, "action")))));
		set_when(r, x, "time");
	}
	json_object_set_new(o, "has_access", flag(json_array_size(entries) > 0));
	const char *done = req_query(r, "done");
	if (done && !strcmp(done, "reply"))
		json_object_set_new(o, "done", json_string(web_t(r, "Your message is sent.")));
	else if (done && !strcmp(done, "consent"))
		json_object_set_new(o, "done", json_string(web_t(r, "Your choice is saved.")));
	else if (done && !strcmp(done, "erase"))
		json_object_set_new(o, "done", json_string(web_t(r, "Your report is erased.")));
	if (error)
		json_object_set_new(o, "error", json_string(error));
	web_page(r, status, "receipt", "Your report",
	         json_pack("{s:o, s:s}", "report", o, "token", token));
}

static void receipt(struct req *r)
{
	receipt_page(r, 200, NULL);
}

/* After a change through the receipt: back to it, or the page with the
 * error. */
static void receipt_after(struct req *r, enum err e, const struct errinfo *ei, const char *done)
{
	if (e == ERR_INVAL || e == ERR_CONFLICT || e == ERR_LIMIT) {
		receipt_page(r, http_status_of(e), error_text(r, ei));
		return;
	}
	if (e) {
		resp_err(r, e, ei);
		return;
	}
	resp_redirect(r, req_printf(r, "/r/%s?done=%s", req_param(r, "token"), done));
}

static void receipt_reply(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = report_receipt_reply(c, req_app(r)->data_kek, req_param(r, "token"),
	                                  req_form(r, "body"), &ei);
	receipt_after(r, e, &ei, "reply");
}

static void receipt_consent(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = report_receipt_consent(c, req_app(r)->data_kek, req_param(r, "token"),
	                                    req_form(r, "consent"), req_form(r, "name"),
	                                    req_form(r, "email"), req_form(r, "phone"), &ei);
	receipt_after(r, e, &ei, "consent");
}

static void receipt_erase(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	const char *confirm = req_form(r, "confirm");
	enum err e = confirm && !strcmp(confirm, "yes")
	                 ? report_receipt_erase(c, req_param(r, "token"), &ei)
	                 : err_set(&ei, ERR_INVAL, "", "%s",
	                           web_t(r, "Tick the box to confirm the erasure."));
	receipt_after(r, e, &ei, "erase");
}

/* --- staff -------------------------------------------------------------------- */

/* Staff pages need a signed-in account allowed action; otherwise sends to
 * the sign-in page or answers 403. */
static const struct actor *staff(struct req *r, enum action a)
{
	const struct actor *actor = req_actor(r);
	if (!actor->user_id) {
		resp_redirect(r, "/login?next=/reports");
		return NULL;
	}
	if (!policy_allows(actor, a, 0)) {
		resp_error(r, 403, "forbidden", NULL, "%s",
		           web_t(r, "Only staff of a police force or a community organisation "
		                    "handle reports."));
		return NULL;
	}
	return actor;
}

static int is_supervisor(const struct actor *a)
{
	for (int i = 0; i < a->n_memberships; i++)
		if (policy_allows(a, ACT_REPORT_OVERRIDE, a->memberships[i].org_id) &&
		    policy_scope(a->memberships[i].role, ACT_REPORT_OVERRIDE) != SCOPE_NONE)
			return 1;
	return 0;
}

static const char *query_or_null(struct req *r, const char *name)
{
	const char *v = req_query(r, name);
	return v && *v ? v : NULL;
}

/* The triage page's address with the current filters and page p. */
static const char *triage_link(struct req *r, int p)
{
	static const char *const keys[] = {"org", "status", "category", "area", "age"};
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "/reports?page=%d", p);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v = query_or_null(r, keys[i]);
		if (!v)
			continue;
		buf_printf(&b, "&%s=", keys[i]);
		buf_url_encode(&b, v, strlen(v));
	}
	const char *s = req_strdup(r, b.data);
	buf_clear(&b);
	return s;
}

static void triage(struct req *r)
{
	const struct actor *a = staff(r, ACT_REPORT_TRIAGE);
	struct store_conn *c;
	if (!a || !(c = req_db(r)))
		return;
	const char *lang = req_lang(r);
	struct report_filter f;
	memset(&f, 0, sizeof f);
	f.org = query_or_null(r, "org");
	f.status = query_or_null(r, "status");
	f.category = query_or_null(r, "category");
	f.area = query_or_null(r, "area");
	f.min_age_days = f.max_age_days = -1;
	const char *age = query_or_null(r, "age");
	static const char *const ages[][2] = {{"", "At any time"},
	                                      {"1d", "In the last day"},
	                                      {"7d", "In the last 7 days"},
	                                      {"over7", "More than 7 days ago"},
	                                      {"over30", "More than 30 days ago"}};
	if (age && !strcmp(age, "1d"))
		f.max_age_days = 1;
	else if (age && !strcmp(age, "7d"))
		f.max_age_days = 7;
	else if (age && !strcmp(age, "over7"))
		f.min_age_days = 7;
	else if (age && !strcmp(age, "over30"))
		f.min_age_days = 30;
	const char *page = req_query(r, "page");
	f.page = page ? atoi(page) : 1;
	if (f.page < 1 || f.page > 100000)
		f.page = 1;
	f.page_size = 50;
	json_t *list = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = report_triage(c, a, &f, lang, &list, &ei);
	json_t *ctx = json_object();
	if (e == ERR_INVAL || e == ERR_FORBIDDEN) {
		json_object_set_new(ctx, "error", json_string(error_text(r, &ei)));
	} else if (e) {
		json_decref(ctx);
		resp_err(r, e, &ei);
		return;
	} else {
		size_t i;
		json_t *x;
		json_t *reports = json_object_get(list, "reports");
		json_array_foreach(reports, i, x) decorate(r, x, "");
		json_object_set_new(list, "has_reports", flag(json_array_size(reports) > 0));
		if (f.page > 1)
			json_object_set_new(list, "prev", json_string(triage_link(r, f.page - 1)));
		if (json_is_true(json_object_get(list, "more")))
			json_object_set_new(list, "next", json_string(triage_link(r, f.page + 1)));
		json_object_set_new(ctx, "list", list);
	}
	json_t *orgs = json_array();
	for (int i = 0; i < a->n_memberships; i++)
		if (policy_scope(a->memberships[i].role, ACT_REPORT_TRIAGE) != SCOPE_NONE)
			json_array_append_new(
			    orgs, json_pack("{s:s, s:s, s:b}", "slug", a->memberships[i].org_slug,
			                    "name", a->memberships[i].org_name, "selected",
			                    f.org && !strcmp(f.org, a->memberships[i].org_slug)));
	json_object_set_new(ctx, "multi_org", flag(json_array_size(orgs) > 1));
	json_object_set_new(ctx, "orgs", orgs);
	json_object_set_new(ctx, "statuses", status_options(r, f.status));
	json_t *cats = NULL;
	if (category_list(c, 0, 0, &cats) == ERR_OK) {
		size_t i;
		json_t *x;
		json_array_foreach(cats, i, x)
		{
			json_object_set_new(
			    x, "selected",
			    flag(f.category &&
			         !strcmp(f.category,
			                 json_string_value(json_object_get(x, "code")))));
			json_object_set_new(x, "label", json_string(category_label(x, lang)));
		}
		json_object_set_new(ctx, "categories", cats);
	}
	json_object_set_new(ctx, "areas", area_options(c, f.area));
	json_t *age_opts = json_array();
	for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++)
		json_array_append_new(age_opts, json_pack("{s:s, s:s, s:b}", "code", ages[i][0],
		                                          "label", web_t(r, ages[i][1]), "selected",
		                                          !strcmp(age ? age : "", ages[i][0])));
	json_object_set_new(ctx, "ages", age_opts);
	json_object_set_new(ctx, "supervisor", flag(is_supervisor(a)));
	web_page(r, 200, "triage", "Reports", ctx);
}

/* Renders a staff view o (stolen) of a report. */
static void staff_render(struct req *r, const struct actor *a, json_t *o, int status,
                         const char *done, const char *error)
{
	decorate(r, o, web_t(r, "The reporter"));
	json_object_set_new(o, "full",
	                    flag(!strcmp(json_string_value(json_object_get(o, "view")), "full")));
	json_object_set_new(o, "statuses", status_options(r, NULL));
	const char *police =
	    json_string_value(json_object_get(json_object_get(o, "police"), "slug"));
	int can = 0;
	for (int i = 0; police && i < a->n_memberships; i++)
		if (!strcmp(a->memberships[i].org_slug, police) &&
		    policy_allows(a, ACT_REPORT_OVERRIDE, a->memberships[i].org_id))
			can = 1;
	json_object_set_new(o, "can_override",
	                    flag(can && !json_is_true(json_object_get(o, "full")) &&
	                         !json_is_true(json_object_get(o, "erased"))));
	if (done)
		json_object_set_new(o, "done", json_string(done));
	if (error)
		json_object_set_new(o, "error", json_string(error));
	web_page(r, status, "report_staff", "Report", json_pack("{s:o}", "report", o));
}

/* Opens the report of {id} (a logged read) and renders it. */
static void staff_page(struct req *r, const struct actor *a, int status, const char *done,
                       const char *error)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const char *purpose = query_or_null(r, "purpose");
	json_t *o = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = report_staff_view(c, req_app(r)->data_kek, a, req_param(r, "id"),
	                               purpose ? purpose : "report handling", req_lang(r), &o, &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	staff_render(r, a, o, status, done, error);
}

static void staff_report(struct req *r)
{
	const struct actor *a = staff(r, ACT_REPORT_READ);
	if (!a)
		return;
	const char *done = req_query(r, "done");
	const char *msg = NULL;
	if (done && !strcmp(done, "status"))
		msg = web_t(r, "The status is changed.");
	else if (done && !strcmp(done, "message"))
		msg = web_t(r, "Your message is sent.");
	staff_page(r, a, 200, msg, NULL);
}

static void staff_after(struct req *r, const struct actor *a, enum err e, const struct errinfo *ei,
                        const char *done)
{
	if (e == ERR_INVAL || e == ERR_CONFLICT || e == ERR_LIMIT) {
		staff_page(r, a, http_status_of(e), NULL, error_text(r, ei));
		return;
	}
	if (e) {
		resp_err(r, e, ei);
		return;
	}
	resp_redirect(r, req_printf(r, "/reports/%s?done=%s", req_param(r, "id"), done));
}

static void staff_status(struct req *r)
{
	const struct actor *a = staff(r, ACT_REPORT_STATUS);
	struct store_conn *c;
	if (!a || !(c = req_db(r)))
		return;
	struct errinfo ei = {{0}, {0}};
	const char *note = req_form(r, "note");
	enum err e = report_set_status(c, a, req_param(r, "id"), req_form(r, "status"),
	                               note && *note ? note : NULL, &ei);
	staff_after(r, a, e, &ei, "status");
}

static void staff_message(struct req *r)
{
	const struct actor *a = staff(r, ACT_REPORT_MESSAGE);
	struct store_conn *c;
	if (!a || !(c = req_db(r)))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = report_staff_message(c, req_app(r)->data_kek, a, req_param(r, "id"),
	                                  req_form(r, "body"), &ei);
	staff_after(r, a, e, &ei, "message");
}

static void staff_override(struct req *r)
{
	const struct actor *a = staff(r, ACT_REPORT_OVERRIDE);
	struct store_conn *c;
	if (!a || !(c = req_db(r)))
		return;
	struct errinfo ei = {{0}, {0}};
	json_t *o = NULL;
	const char *id = req_form(r, "id");
	enum err e = report_override(c, req_app(r)->data_kek, a, id ? id : "",
	                             req_form(r, "reason"), req_lang(r), &o, &ei);
	if (e == ERR_INVAL) {
		resp_error(r, 422, "invalid", ei.field, "%s", error_text(r, &ei));
		return;
	}
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	staff_render(r, a, o, 200, NULL, NULL);
}

/* --- statistics -------------------------------------------------------------- */

/* A horizontal bar chart of rows ({label, count, value}) as inline SVG:
 * each label above its bar, so long labels are never cut; hidden counts
 * get no bar, only their mark. */
static char *bar_chart(const json_t *rows, const char *title)
{
	const int width = 600, bar_w = 520, row_h = 46;
	long max = 1;
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		json_t *v = json_object_get(x, "count");
		if (json_is_integer(v) && json_integer_value(v) > max)
			max = (long)json_integer_value(v);
	}
	int h = row_h * (int)json_array_size(rows) + 4;
	struct buf b;
	buf_init(&b);
	buf_printf(&b,
	           "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" "
	           "aria-labelledby=\"chart-title\" viewBox=\"0 0 %d %d\" width=\"100%%\">"
	           "<title id=\"chart-title\">",
	           width, h);
	buf_html_escape(&b, title, strlen(title));
	buf_puts(&b, "</title><g font-family=\"sans-serif\" font-size=\"15\" fill=\"#1a1a1a\">");
	json_array_foreach(rows, i, x)
	{
		int y = row_h * (int)i;
		const char *label = json_string_value(json_object_get(x, "label"));
		json_t *v = json_object_get(x, "count");
		buf_printf(&b, "<text x=\"0\" y=\"%d\">", y + 16);
		buf_html_escape(&b, label, strlen(label));
		buf_puts(&b, "</text>");
		int w = 0;
		if (json_is_integer(v)) {
			w = (int)((double)json_integer_value(v) * bar_w / (double)max);
			if (w > 0)
				buf_printf(&b,
				           "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"18\" "
				           "fill=\"#0b4f8a\"/>",
				           y + 22, w);
		}
		const char *value = json_string_value(json_object_get(x, "value"));
		buf_printf(&b, "<text x=\"%d\" y=\"%d\">", w + 6, y + 37);
		buf_html_escape(&b, value, strlen(value));
		buf_puts(&b, "</text>");
	}
	buf_puts(&b, "</g></svg>");
	return buf_take(&b);
}

static const char *count_text(struct req *r, json_t *v)
{
	return json_is_string(v) ? json_string_value(v)
	                         : req_printf(r, "%lld", (long long)json_integer_value(v));
}

static void stats_page(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	static const char *const dims[][3] = {
	    {"category", "Category", "Reports by category"},
	    {"strand", "Strand of hate", "Reports of hate by strand"},
	    {"area", "Area", "Reports by area"},
	    {"month", "Month", "Reports by month"}};
	const char *by = req_query(r, "by");
	int d = report_dim_parse(by);
	if (d < 0)
		d = REPORT_DIM_CATEGORY;
	struct report_stats_query q;
	memset(&q, 0, sizeof q);
	q.dims[0] = d;
	q.ndims = 1;
	q.lang = req_lang(r);
	json_t *t = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = report_stats(c, &q, &t, &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	json_t *rows = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(t, "rows"), i, x)
	{
		json_t *v = json_array_get(json_object_get(x, "cells"), 0);
		json_array_append_new(rows, json_pack("{s:O, s:O, s:s}", "label",
		                                      json_object_get(x, "label"), "count", v,
		                                      "value", count_text(r, v)));
	}
	const char *caption = web_t(r, dims[d][2]);
	char *svg = bar_chart(rows, caption);
	json_t *tabs = json_array();
	for (int k = 0; k < REPORT_DIM_COUNT; k++)
		json_array_append_new(tabs,
		                      json_pack("{s:s, s:s, s:b}", "code", dims[k][0], "label",
		                                web_t(r, dims[k][1]), "current", k == d));
	json_t *ctx =
	    json_pack("{s:o, s:s, s:s, s:o, s:s, s:s, s:s}", "dims", tabs, "chart", svg, "caption",
	              caption, "rows", rows, "total", count_text(r, json_object_get(t, "total")),
	              "by", dims[d][0], "dim_label", web_t(r, dims[d][1]));
	free(svg);
	json_decref(t);
	web_page(r, 200, "stats", "Reports in numbers", ctx);
}

static const struct route routes[] = {
    {M_GET, "/report", report_form, ROUTE_HTML},
    {M_POST, "/report", report_post, ROUTE_HTML},
    {M_GET, "/r/{token}", receipt, ROUTE_HTML},
    {M_POST, "/r/{token}/reply", receipt_reply, ROUTE_HTML},
    {M_POST, "/r/{token}/consent", receipt_consent, ROUTE_HTML},
    {M_POST, "/r/{token}/erase", receipt_erase, ROUTE_HTML},
    {M_GET, "/reports", triage, ROUTE_HTML},
    {M_POST, "/reports/override", staff_override, ROUTE_HTML},
    {M_GET, "/reports/{id}", staff_report, ROUTE_HTML},
    {M_POST, "/reports/{id}/status", staff_status, ROUTE_HTML},
    {M_POST, "/reports/{id}/message", staff_message, ROUTE_HTML},
    {M_GET, "/stats", stats_page, ROUTE_HTML},
};

void web_report_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
