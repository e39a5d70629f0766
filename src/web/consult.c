/* consult.c - consultation pages: the list, opening one, the voting page
 * (a form per statement: works without JavaScript; static/consult.js only
 * makes it quicker), adding statements, describing one's community, the
 * results with the opinion map as inline SVG, and the moderation queue. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "domain/consult_math.h"
#include "domain/consult_vote.h"
#include "domain/consultation.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "web/web.h"

#define PARTICIPANT_COOKIE     "consent_participant"
#define PARTICIPANT_COOKIE_AGE (180L * 24 * 3600)

static struct consult_who consult_who_of(struct req *r)
{
	struct consult_who w = {req_cookie(r, PARTICIPANT_COOKIE), req_actor(r)->user_id};
	if (w.token && strlen(w.token) != CRYPTO_TOKEN_CHARS)
		w.token = NULL;
	return w;
}

static void consult_ensure_token(struct req *r, struct consult_who *w)
{
	if (w->user_id || w->token)
		return;
	char t[CRYPTO_TOKEN_CHARS + 1];
	crypto_token_new(t);
	w->token = req_strdup(r, t);
	resp_cookie(r, PARTICIPANT_COOKIE, t, PARTICIPANT_COOKIE_AGE);
}

/* The consultation of the {id} parameter, or answers 404. */
static json_t *consult_page_get(struct req *r, struct store_conn *c, int64_t *id)
{
	*id = consult_id_parse(req_param(r, "id"));
	json_t *o = NULL;
	enum err e = *id ? consult_get(c, *id, &o) : ERR_NOTFOUND;
	if (e) {
		resp_err(r, e, NULL);
		return NULL;
	}
	return o;
}

/* "2026-11-24" of an RFC 3339 string. */
static json_t *consult_day(json_t *rfc3339)
{
	const char *s = json_string_value(rfc3339);
	return json_stringn(s ? s : "", s && strlen(s) >= 10 ? 10 : 0);
}

static const char *consult_status_label(struct req *r, const char *status)
{
	if (!strcmp(status, "open"))
		return web_t(r, "open now");
	if (!strcmp(status, "upcoming"))
		return web_t(r, "not open yet");
	return web_t(r, "finished");
}

/* Adds what the pages show of a consultation to o (from consult_get). */
static void consult_decorate(struct req *r, json_t *o)
{
	struct buf b;
	buf_init(&b);
	size_t i;
	json_t *org;
	json_array_foreach(json_object_get(o, "orgs"), i, org)
	{
		if (i)
			buf_puts(&b, web_t(r, " and "));
		buf_puts(&b, json_string_value(json_object_get(org, "name")));
	}
	json_object_set_new(o, "orgs_text", json_string(b.data ? b.data : ""));
	buf_clear(&b);
	json_object_set_new(o, "opens", consult_day(json_object_get(o, "opens_at")));
	json_object_set_new(o, "closes", consult_day(json_object_get(o, "closes_at")));
	const char *status = json_string_value(json_object_get(o, "status"));
	json_object_set_new(o, "status_label", json_string(consult_status_label(r, status)));
}

static void consult_list_page(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *all = NULL;
	enum err e = consult_list(c, &all);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	static const struct {
		const char *status, *title;
	} kinds[] = {{"open", "Open now"}, {"upcoming", "Coming up"}, {"closed", "Finished"}};
	json_t *sections = json_array();
	for (size_t k = 0; k < 3; k++) {
		json_t *items = json_array();
		size_t i;
		json_t *o;
		json_array_foreach(all, i, o)
		{
			if (strcmp(json_string_value(json_object_get(o, "status")),
			           kinds[k].status))
				continue;
			consult_decorate(r, o);
			json_array_append(items, o);
		}
		if (json_array_size(items))
			json_array_append_new(sections,
			                      json_pack("{s:s, s:o}", "title",
			                                web_t(r, kinds[k].title), "items", items));
		else
			json_decref(items);
	}
	int any = json_array_size(all) > 0;
	json_decref(all);
	web_page(r, 200, "consultations", "Consultations",
	         json_pack("{s:o, s:b, s:b}", "sections", sections, "any", any, "can_create",
	                   policy_allows(req_actor(r), ACT_CONSULT_CREATE, 0)));
}

/* --- the voting page ----------------------------------------------------- */

static const char *consult_mod_label(struct req *r, const char *status)
{
	if (!strcmp(status, "accepted"))
		return web_t(r, "accepted");
	if (!strcmp(status, "rejected"))
		return web_t(r, "not accepted");
	return web_t(r, "waiting for moderation");
}

/* Renders the voting page with an optional notice or error. */
static void consult_vote_page(struct req *r, int status, const char *notice, const char *error,
                              const char *text)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	json_t *o;
	if (!c || !(o = consult_page_get(r, c, &id)))
		return;
	consult_decorate(r, o);
	int open = !strcmp(json_string_value(json_object_get(o, "status")), "open");
	struct consult_who w = consult_who_of(r);
	int64_t pid = -1;
	json_t *me = NULL;
	if (consult_participant_find(c, id, &w, &pid) == ERR_OK)
		consult_me(c, id, pid, &me);
	json_t *next = NULL;
	if (open)
		consult_next(c, id, pid, &next);
	json_t *ctx = json_pack(
	    "{s:I, s:o, s:b, s:b, s:I}", "id", (json_int_t)id, "c", o, "open", open, "strict",
	    !strcmp(json_string_value(json_object_get(o, "moderation")), "strict"), "max",
	    json_integer_value(json_object_get(o, "statement_max")));
	json_object_set(ctx, "communities", json_object_get(o, "communities"));
	json_object_set_new(ctx, "next", next ? next : json_null());
	if (me) {
		size_t i;
		json_t *s;
		json_array_foreach(json_object_get(me, "statements"), i, s)
		    json_object_set_new(s, "status_label",
		                        json_string(consult_mod_label(
		                            r, json_string_value(json_object_get(s, "status")))));
		if (json_array_size(json_object_get(me, "statements")))
			json_object_set_new(
			    ctx, "mine",
			    json_pack("{s:O}", "items", json_object_get(me, "statements")));
		json_object_set(ctx, "community", json_object_get(me, "community"));
		json_decref(me);
	}
	if (!open)
		json_object_set_new(
		    ctx, "status_text",
		    json_string(
		        web_t(r, strcmp(json_string_value(json_object_get(o, "status")), "upcoming")
		                     ? "This consultation has finished: see its results."
		                     : "This consultation has not opened yet.")));
	if (notice)
		json_object_set_new(ctx, "notice", json_string(notice));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	if (text)
		json_object_set_new(ctx, "text", json_string(text));
	json_object_set_new(
	    ctx, "can_moderate",
	    json_boolean(consult_allows(c, req_actor(r), ACT_CONSULT_MODERATE, id)));
	const char *title = req_strdup(r, json_string_value(json_object_get(o, "question")));
	web_page(r, status, "consult", title, ctx);
}

static void consult_page(struct req *r)
{
	const char *notice = NULL;
	if (req_query(r, "voted"))
		notice = web_t(r, "Your vote is saved.");
	else if (req_query(r, "added"))
		notice = web_t(r, "Thank you: your statement is saved.");
	else if (req_query(r, "saved"))
		notice = web_t(r, "Saved.");
	consult_vote_page(r, 200, notice, NULL, NULL);
}

/* The message for an error of a participant's action, in their language. */
static const char *consult_err_text(struct req *r, enum err e, const struct errinfo *ei)
{
	if (e == ERR_CONFLICT && !strcmp(ei->field, "text"))
		return web_t(r, "This statement is already there.");
	if (e == ERR_CONFLICT)
		return web_t(r, "This consultation is not open.");
	if (!strcmp(ei->field, "text"))
		return web_t(r, "Write a statement within the length limit, without special "
		                "characters.");
	if (!strcmp(ei->field, "community"))
		return web_t(r, "Describe your community in at most 60 characters.");
	if (!strcmp(ei->field, "statement"))
		return web_t(r, "This statement is not open for votes.");
	if (!strcmp(ei->field, "vote"))
		return web_t(r, "Choose agree, disagree or pass.");
	return web_t(r, "Something went wrong; please try again.");
}

static void consult_vote_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	int64_t id = consult_id_parse(req_param(r, "id"));
	const char *ts = req_form(r, "tid"), *vs = req_form(r, "vote");
	int64_t tid = consult_id_parse(ts);
	if (ts && !strcmp(ts, "0"))
		tid = 0;
	else if (!tid)
		tid = -1;
	int64_t value = !vs                 ? 2
	                : !strcmp(vs, "1")  ? 1
	                : !strcmp(vs, "-1") ? -1
	                : !strcmp(vs, "0")  ? 0
	                                    : 2;
	struct consult_who w = consult_who_of(r);
	struct consult_vote v;
	struct errinfo ei = {{0}, {0}};
	int need_join = 0;
	enum err e = consult_vote_check(c, id, &w, tid, value, &v, &need_join, &ei);
	if (e == ERR_NOTFOUND) {
		resp_err(r, e, &ei);
		return;
	}
	if (!e && need_join) {
		consult_ensure_token(r, &w);
		e = consult_participant_join(c, id, &w, &v.pid, &ei);
	}
	if (!e)
		e = consult_vote_write(c, &v);
	if (e) {
		consult_vote_page(r, http_status_of(e), NULL, consult_err_text(r, e, &ei), NULL);
		return;
	}
	resp_redirect(r, req_printf(r, "/consultations/%lld?voted=1#vote", (long long)id));
}

static void consult_statement_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	int64_t id = consult_id_parse(req_param(r, "id"));
	int64_t opens, closes, pid;
	enum err e = id ? consult_dates(c, id, &opens, &closes, NULL, NULL) : ERR_NOTFOUND;
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	const char *text = req_form(r, "text");
	struct errinfo ei = {{0}, {0}};
	if (strcmp(consult_status(opens, closes, clock_now()), "open")) {
		e = err_set(&ei, ERR_CONFLICT, "", "not open");
	} else {
		struct consult_who w = consult_who_of(r);
		consult_ensure_token(r, &w);
		if (!(e = consult_participant_join(c, id, &w, &pid, &ei)))
			e = consult_statement_add(c, id, pid, text ? text : "", NULL, &ei);
	}
	if (e) {
		consult_vote_page(r, http_status_of(e), NULL, consult_err_text(r, e, &ei), text);
		return;
	}
	consult_math_notify(id);
	resp_redirect(r, req_printf(r, "/consultations/%lld?added=1", (long long)id));
}

static void consult_community_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	int64_t id = consult_id_parse(req_param(r, "id"));
	int64_t opens, closes, pid;
	enum err e = id ? consult_dates(c, id, &opens, &closes, NULL, NULL) : ERR_NOTFOUND;
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	struct errinfo ei = {{0}, {0}};
	struct consult_who w = consult_who_of(r);
	e = consult_participant_find(c, id, &w, &pid);
	if (e == ERR_NOTFOUND) {
		if (strcmp(consult_status(opens, closes, clock_now()), "open")) {
			e = err_set(&ei, ERR_CONFLICT, "", "not open");
		} else {
			consult_ensure_token(r, &w);
			e = consult_participant_join(c, id, &w, &pid, &ei);
		}
	}
	if (!e)
		e = consult_set_community(c, id, pid, req_form(r, "community"), &ei);
	if (e) {
		consult_vote_page(r, http_status_of(e), NULL, consult_err_text(r, e, &ei), NULL);
		return;
	}
	consult_math_notify(id);
	resp_redirect(r, req_printf(r, "/consultations/%lld?saved=1", (long long)id));
}

/* --- results ----------------------------------------------------------------- */

#define MAP_W   640
#define MAP_H   400
#define MAP_PAD 30

/* The opinion map: base clusters as circles (area by people), coloured by
 * group, group labels at the group centres. Built here, so it is trusted
 * markup; the only text comes from translations, escaped. */
static char *consult_svg(struct req *r, json_t *map, json_t *groups)
{
	json_t *pts = json_object_get(map, "points"), *gs = json_object_get(map, "groups");
	double minx = 0, maxx = 0, miny = 0, maxy = 0;
	size_t i;
	json_t *p;
	int first = 1;
	json_array_foreach(pts, i, p)
	{
		double x = json_number_value(json_object_get(p, "x"));
		double y = json_number_value(json_object_get(p, "y"));
		if (first || x < minx)
			minx = x;
		if (first || x > maxx)
			maxx = x;
		if (first || y < miny)
			miny = y;
		if (first || y > maxy)
			maxy = y;
		first = 0;
	}
	double sx = maxx > minx ? (MAP_W - 2 * MAP_PAD) / (maxx - minx) : 1;
	double sy = maxy > miny ? (MAP_H - 2 * MAP_PAD) / (maxy - miny) : 1;
	double s = sx < sy ? sx : sy;
	double ox = MAP_W / 2.0 - s * (minx + maxx) / 2, oy = MAP_H / 2.0 - s * (miny + maxy) / 2;
	struct buf b;
	buf_init(&b);
	buf_printf(&b,
	           "<svg class=\"map\" viewBox=\"0 0 %d %d\" role=\"img\" "
	           "aria-labelledby=\"map-title\" xmlns=\"http://www.w3.org/2000/svg\">"
	           "<title id=\"map-title\">",
	           MAP_W, MAP_H);
	const char *title = web_t(r, "Opinion map of the participants");
	buf_html_escape(&b, title, strlen(title));
	buf_puts(&b,
	         "</title><rect class=\"frame\" x=\"0\" y=\"0\" width=\"640\" height=\"400\"/>");
	json_array_foreach(pts, i, p)
	{
		double x = ox + s * json_number_value(json_object_get(p, "x"));
		double y = oy + s * json_number_value(json_object_get(p, "y"));
		json_int_t n = json_integer_value(json_object_get(p, "n"));
		json_int_t g = json_integer_value(json_object_get(p, "g"));
		double rad = 4 + 3 * sqrt((double)n);
		buf_printf(&b, "<circle class=\"pt g%d\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"/>",
		           g >= 0 && g < 8 ? (int)g : 9, x, y, rad > 30 ? 30 : rad);
	}
	json_array_foreach(gs, i, p)
	{
		double x = ox + s * json_number_value(json_object_get(p, "x"));
		double y = oy + s * json_number_value(json_object_get(p, "y"));
		const char *label = json_string_value(json_object_get(p, "label"));
		json_t *g = json_array_get(groups, i);
		buf_printf(&b, "<text class=\"glabel\" x=\"%.1f\" y=\"%.1f\">", x, y);
		buf_html_escape(&b, label, strlen(label));
		buf_printf(&b, " (%lld)</text>",
		           (long long)json_integer_value(json_object_get(g, "size")));
	}
	buf_puts(&b, "</svg>");
	return buf_take(&b);
}

static json_t *consult_cells(json_t *arr)
{
	json_t *out = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		char s[24];
		if (json_is_integer(v))
			snprintf(s, sizeof s, "%lld", (long long)json_integer_value(v));
		else
			snprintf(s, sizeof s, "\xe2\x80\x93"); /* an en dash: hidden */
		json_array_append_new(out, json_string(s));
	}
	return out;
}

/* Makes the community spread displayable: names of pooled rows, cells. */
static json_t *consult_spread(struct req *r, json_t *spread)
{
	if (!json_is_object(spread))
		return NULL;
	json_t *rows = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(spread, "rows"), i, row)
	{
		const char *kind = json_string_value(json_object_get(row, "kind"));
		const char *name = !strcmp(kind, "other")
		                       ? web_t(r, "Other communities (fewer than 5 people each)")
		                   : !strcmp(kind, "not_stated")
		                       ? web_t(r, "Not stated")
		                       : json_string_value(json_object_get(row, "name"));
		json_t *total = json_array();
		json_array_append(total, json_object_get(row, "total"));
		json_t *tc = consult_cells(total);
		json_decref(total);
		json_array_append_new(rows, json_pack("{s:s, s:o, s:O}", "name", name, "cells",
		                                      consult_cells(json_object_get(row, "cells")),
		                                      "total", json_array_get(tc, 0)));
		json_decref(tc);
	}
	return json_pack("{s:O, s:o, s:o}", "groups", json_object_get(spread, "groups"), "rows",
	                 rows, "totals", consult_cells(json_object_get(spread, "totals")));
}

static void consult_results_page(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	json_t *o;
	if (!c || !(o = consult_page_get(r, c, &id)))
		return;
	json_t *res = NULL;
	enum err e = consult_results(c, id, &res);
	if (e && e != ERR_NOTFOUND) {
		json_decref(o);
		resp_err(r, e, NULL);
		return;
	}
	const struct actor *a = req_actor(r);
	json_t *ctx = json_pack("{s:I, s:O}", "id", (json_int_t)id, "question",
	                        json_object_get(o, "question"));
	json_decref(o);
	/* Staff may turn the results into a recommendation (built elsewhere). */
	json_object_set_new(ctx, "can_recommend",
	                    json_boolean(a->user_id && (a->is_admin || a->n_memberships > 0)));
	json_object_set_new(ctx, "can_export",
	                    json_boolean(consult_allows(c, a, ACT_CONSULT_EXPORT, id)));
	if (res && json_integer_value(json_object_get(res, "participants")) > 0) {
		json_t *groups = json_object_get(res, "groups");
		size_t i;
		json_t *g;
		json_array_foreach(groups, i, g)
		{
			json_object_set_new(g, "index", json_integer((json_int_t)i));
			size_t k;
			json_t *s;
			json_t *rep = json_object_get(g, "repness");
			json_array_foreach(rep, k, s)
			{
				int agree = !strcmp(json_string_value(json_object_get(s, "repful")),
				                    "agree");
				json_object_set_new(
				    s, "repful_label",
				    json_string(web_t(r, agree ? "agree" : "disagree")));
			}
			if (json_array_size(rep))
				json_object_set_new(g, "rep", json_pack("{s:O}", "items", rep));
		}
		char *svg = consult_svg(r, json_object_get(res, "map"), groups);
		json_object_set_new(res, "svg", json_string(svg));
		free(svg);
		json_t *cons = json_object_get(res, "consensus");
		if (json_array_size(json_object_get(cons, "agree")))
			json_object_set_new(
			    res, "agree_list",
			    json_pack("{s:O}", "items", json_object_get(cons, "agree")));
		if (json_array_size(json_object_get(cons, "disagree")))
			json_object_set_new(
			    res, "disagree_list",
			    json_pack("{s:O}", "items", json_object_get(cons, "disagree")));
		json_t *spread = consult_spread(r, json_object_get(res, "communities"));
		if (spread)
			json_object_set_new(res, "spread", spread);
		json_object_set_new(res, "updated",
		                    consult_day(json_object_get(res, "computed_at")));
		json_object_set(ctx, "stale", json_object_get(res, "stale"));
		json_object_set_new(ctx, "r", res);
	} else {
		json_decref(res);
	}
	web_page(r, 200, "consult_results", "Results", ctx);
}

/* --- moderation -------------------------------------------------------------- */

static void consult_moderate_page_render(struct req *r, int status, const char *notice,
                                         const char *error)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	json_t *o;
	if (!c || !(o = consult_page_get(r, c, &id)))
		return;
	if (!consult_allows(c, req_actor(r), ACT_CONSULT_MODERATE, id)) {
		json_decref(o);
		if (!req_actor(r)->user_id)
			resp_redirect(r, req_printf(r, "/login?next=/consultations/%lld/moderate",
			                            (long long)id));
		else
			resp_error(r, 403, "forbidden", NULL,
			           "only staff of the organising organisations moderate");
		return;
	}
	json_t *all = NULL;
	if (consult_statements(c, id, 1, &all) != ERR_OK)
		all = json_array();
	json_t *pending = json_array(), *done = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(all, i, s)
	{
		const char *st = json_string_value(json_object_get(s, "status"));
		json_object_set_new(s, "status_label", json_string(consult_mod_label(r, st)));
		if (json_is_true(json_object_get(s, "meta")))
			json_object_set_new(s, "meta_label",
			                    json_string(web_t(r, "about the consultation")));
		json_array_append(strcmp(st, "pending") ? done : pending, s);
	}
	json_decref(all);
	json_t *ctx = json_pack("{s:I, s:O}", "id", (json_int_t)id, "question",
	                        json_object_get(o, "question"));
	if (json_array_size(done))
		json_object_set_new(ctx, "done", json_pack("{s:o}", "items", done));
	else
		json_decref(done);
	json_decref(o);
	if (json_array_size(pending))
		json_object_set_new(ctx, "pending", json_pack("{s:o}", "items", pending));
	else
		json_decref(pending);
	if (notice)
		json_object_set_new(ctx, "notice", json_string(notice));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	web_page(r, status, "consult_moderate", "Moderation queue", ctx);
}

static void consult_moderate_page(struct req *r)
{
	consult_moderate_page_render(
	    r, 200, req_query(r, "done") ? web_t(r, "The statements are moderated.") : NULL, NULL);
}

static void consult_moderate_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id = consult_id_parse(req_param(r, "id"));
	if (!c)
		return;
	if (!id || !consult_allows(c, req_actor(r), ACT_CONSULT_MODERATE, id)) {
		resp_error(r, id ? 403 : 404, id ? "forbidden" : "not_found", NULL,
		           "only staff of the organising organisations moderate");
		return;
	}
	/* Checkboxes are named t<tid>: collect the ticked ones. */
	json_t *all = NULL;
	if (consult_statements(c, id, 1, &all) != ERR_OK) {
		resp_error(r, 500, "internal_error", NULL, "cannot list the statements");
		return;
	}
	size_t n = 0, i;
	int64_t *tids = xcalloc(json_array_size(all) + 1, sizeof *tids);
	json_t *s;
	json_array_foreach(all, i, s)
	{
		int64_t tid = json_integer_value(json_object_get(s, "tid"));
		if (req_form(r, req_printf(r, "t%lld", (long long)tid)))
			tids[n++] = tid;
	}
	json_decref(all);
	struct errinfo ei = {{0}, {0}};
	enum err e = n ? consult_moderate(c, id, tids, n, req_form(r, "action"),
	                                  req_form(r, "reason"), req_actor(r)->user_id, &ei)
	               : err_set(&ei, ERR_INVAL, "statements", "none selected");
	free(tids);
	if (e) {
		const char *msg = !strcmp(ei.field, "statements")
		                      ? web_t(r, "Select at least one statement.")
		                  : !strcmp(ei.field, "reason")
		                      ? web_t(r, "Give the authors a reason when you reject "
		                                 "their statements.")
		                      : web_t(r, "Something went wrong; please try again.");
		consult_moderate_page_render(r, http_status_of(e), NULL, msg);
		return;
	}
	consult_math_notify(id);
	resp_redirect(r, req_printf(r, "/consultations/%lld/moderate?done=1", (long long)id));
}

/* --- opening a consultation ----------------------------------------------------- */

/* The organisations the actor may open consultations for, and every other
 * one (a possible partner). */
static void consult_org_choices(struct req *r, struct store_conn *c, json_t **mine, json_t **others)
{
	const struct actor *a = req_actor(r);
	json_t *orgs = NULL;
	*mine = json_array();
	*others = json_array();
	if (org_list(c, NULL, &orgs) != ERR_OK)
		return;
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o)
	{
		int64_t oid = 0;
		org_find(c, json_string_value(json_object_get(o, "slug")), &oid, NULL);
		json_array_append(*others, o);
		if (policy_allows(a, ACT_CONSULT_CREATE, oid))
			json_array_append(*mine, o);
	}
	json_decref(orgs);
}

static void consult_new_render(struct req *r, int status, const char *error, json_t *values)
{
	struct store_conn *c = req_db(r);
	if (!c) {
		json_decref(values);
		return;
	}
	if (!req_actor(r)->user_id) {
		json_decref(values);
		resp_redirect(r, "/login?next=/consultations/new");
		return;
	}
	if (!policy_allows(req_actor(r), ACT_CONSULT_CREATE, 0)) {
		json_decref(values);
		resp_error(r, 403, "forbidden", NULL,
		           "only staff of an organisation may open a consultation");
		return;
	}
	json_t *mine, *others, *areas = NULL;
	consult_org_choices(r, c, &mine, &others);
	if (area_list(c, &areas) != ERR_OK)
		areas = json_array();
	/* Keep what was chosen when the form comes back with an error. */
	static const struct {
		const char *field;
		int list;
	} keep[] = {{"area", 0}, {"org", 1}, {"org2", 2}};
	for (size_t k = 0; values && k < sizeof keep / sizeof keep[0]; k++) {
		const char *want = json_string_value(json_object_get(values, keep[k].field));
		json_t *list = keep[k].list == 0 ? areas : keep[k].list == 1 ? mine : others;
		size_t i;
		json_t *item;
		json_array_foreach(list, i, item)
		{
			if (!want || strcmp(json_string_value(json_object_get(item, "slug")), want))
				continue;
			/* a copy: the same object may be in both organisation lists */
			json_t *copy = json_deep_copy(item);
			json_object_set_new(
			    copy, keep[k].field[3] == '2' ? "selected2" : "selected", json_true());
			json_array_set_new(list, i, copy);
		}
	}
	const char *mod = values ? json_string_value(json_object_get(values, "moderation")) : NULL;
	if (mod && !strcmp(mod, "permissive"))
		json_object_set_new(values, "permissive", json_true());
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:o}", "mine", mine, "others", others, "areas",
	                        areas, "v", values ? values : json_object());
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	web_page(r, status, "consult_new", "Open a consultation", ctx);
}

static void consult_new_page(struct req *r)
{
	consult_new_render(r, 200, NULL, NULL);
}

/* "2026-03-01" as UTC seconds at midnight (plus days), or 0. */
static int64_t consult_parse_day(const char *s, int days)
{
	if (!s || strlen(s) != 10)
		return 0;
	char buf[32];
	snprintf(buf, sizeof buf, "%sT00:00:00Z", s);
	int64_t t;
	return clock_parse_rfc3339(buf, &t) == 0 ? t + days * 86400LL : 0;
}

/* Lines of a textarea as a JSON array of non-empty strings. */
static json_t *consult_lines(const char *s)
{
	json_t *arr = json_array();
	while (s && *s) {
		const char *end = strchr(s, '\n');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		if (n)
			json_array_append_new(arr, json_stringn(s, n));
		s = end ? end + 1 : s + strlen(s);
	}
	return arr;
}

static void consult_new_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const struct actor *a = req_actor(r);
	const char *org1 = req_form(r, "org"), *org2 = req_form(r, "org2");
	if (org2 && !*org2)
		org2 = NULL;
	json_t *values = json_object();
	static const char *const fields[] = {
	    "question", "description", "area",          "org",  "org2",       "opens",
	    "closes",   "moderation",  "statement_max", "seed", "communities"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (req_form(r, fields[i]))
			json_object_set_new(values, fields[i], json_string(req_form(r, fields[i])));
	int64_t ids[2];
	int k = 0;
	if (org1 && org_find(c, org1, &ids[k], NULL) == ERR_OK)
		k++;
	if (!a->user_id || !consult_allows_orgs(a, ACT_CONSULT_CREATE, ids, k) || !k) {
		consult_new_render(r, k ? 403 : 422,
		                   web_t(r, "Choose an organisation you work for."), values);
		return;
	}
	json_t *seed = consult_lines(req_form(r, "seed"));
	json_t *comm = consult_lines(req_form(r, "communities"));
	const char *maxs = req_form(r, "statement_max");
	struct consult_new n = {
	    .question = req_form(r, "question"),
	    .description = req_form(r, "description"),
	    .area = req_form(r, "area"),
	    .orgs = {org1, org2},
	    .opens_at = consult_parse_day(req_form(r, "opens"), 0),
	    .closes_at = consult_parse_day(req_form(r, "closes"), 1),
	    .moderation = req_form(r, "moderation"),
	    .statement_max = maxs && *maxs ? atoll(maxs) : 0,
	    .seed = seed,
	    .communities = comm,
	};
	if (n.statement_max == 0 && maxs && *maxs)
		n.statement_max = -1; /* not a number: refused below */
	if (!n.opens_at)
		n.opens_at = clock_now();
	struct errinfo ei = {{0}, {0}};
	int64_t id = 0;
	enum err e = consult_create(c, &n, a->user_id, &id, &ei);
	json_decref(seed);
	json_decref(comm);
	if (e) {
		static const struct {
			const char *field, *msg;
		} msgs[] = {
		    {"question", "Write the question, in at most 300 characters."},
		    {"area", "Choose the area."},
		    {"orgs", "Choose one or two different organisations."},
		    {"opens_at", "Give the opening date."},
		    {"closes_at", "The closing date must come after the opening date."},
		    {"statement_max", "The length limit must be between 20 and 2000 characters."},
		    {"seed", "Each seed statement must be different and within the length limit."},
		    {"communities", "Each community name may have at most 60 characters."},
		};
		const char *msg = "Something went wrong; please try again.";
		for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
			if (!strcmp(ei.field, msgs[i].field))
				msg = msgs[i].msg;
		consult_new_render(r, http_status_of(e), web_t(r, msg), values);
		return;
	}
	json_decref(values);
	resp_redirect(r, req_printf(r, "/consultations/%lld", (long long)id));
}

static const struct route consult_routes[] = {
    {M_GET, "/consultations", consult_list_page, ROUTE_HTML},
    {M_GET, "/consultations/new", consult_new_page, ROUTE_HTML},
    {M_POST, "/consultations/new", consult_new_post, ROUTE_HTML},
    {M_GET, "/consultations/{id}", consult_page, ROUTE_HTML},
    {M_POST, "/consultations/{id}/vote", consult_vote_post, ROUTE_HTML},
    {M_POST, "/consultations/{id}/statements", consult_statement_post, ROUTE_HTML},
    {M_POST, "/consultations/{id}/community", consult_community_post, ROUTE_HTML},
    {M_GET, "/consultations/{id}/results", consult_results_page, ROUTE_HTML},
    {M_GET, "/consultations/{id}/moderate", consult_moderate_page, ROUTE_HTML},
    {M_POST, "/consultations/{id}/moderate", consult_moderate_post, ROUTE_HTML},
};

void web_consult_routes(void)
{
	http_routes(consult_routes, sizeof consult_routes / sizeof consult_routes[0]);
}
