/* pages.c - home, sign in and out, account, organisations and areas. */
#include <stdlib.h>
#include <string.h>

#include "domain/account.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "web/web.h"

#define SESSION_COOKIE "consent_session"

static void home(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *orgs = NULL, *areas = NULL;
	org_list(c, NULL, &orgs);
	area_list(c, &areas);
	json_t *top = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(areas, i, a) if (json_integer_value(json_object_get(a, "depth")) == 0)
		json_array_append(top, a);
	json_decref(areas);
	web_page(r, 200, "home", "Police and communities, in partnership",
		 json_pack("{s:o, s:o, s:i}", "orgs", orgs ? orgs : json_array(), "force_areas",
			   top, "org_count", (int)json_array_size(orgs)));
}

/* A local path to go back to after signing in, or "/account". */
static const char *next_path(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || strchr(next, '\\') || strlen(next) > 200)
		return "/account";
	return next;
}

static void login_form(struct req *r)
{
	const char *next = req_query(r, "next");
	web_page(r, 200, "login", "Sign in",
		 json_pack("{s:s}", "next", next_path(next)));
}

static void login_post(struct req *r)
{
	const char *email = req_form(r, "email"), *pw = req_form(r, "password");
	const char *next = next_path(req_form(r, "next"));
	if (!email || !*email || !pw || !*pw) {
		web_page(r, 422, "login", "Sign in",
			 json_pack("{s:s, s:s, s:s}", "next", next, "error",
				   web_t(r, "Enter your email and your password."), "email",
				   email ? email : ""));
		return;
	}
	char token[CRYPTO_TOKEN_CHARS + 1];
	int64_t uid;
	if (!req_login(r, email, pw, token, &uid)) {
		/* req_login answered with an error page; show the form instead
		 * for a wrong password, keeping the status. */
		return;
	}
	resp_cookie(r, SESSION_COOKIE, token, ACCOUNT_SESSION_SECONDS);
	resp_redirect(r, next);
}

static void logout_post(struct req *r)
{
	const char *tok = req_session_token(r);
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	if (tok)
		account_logout(c, tok);
	resp_cookie(r, SESSION_COOKIE, "", -1);
	resp_redirect(r, "/?signed_out=1");
}

static int need_sign_in(struct req *r)
{
	if (req_actor(r)->user_id)
		return 0;
	resp_redirect(r, req_printf(r, "/login?next=%s", strcmp(req_path(r), "/account") ? "/" : "/account"));
	return 1;
}

static json_t *lang_options(struct req *r)
{
	static const char *const codes[] = {"en", "fr", "nl"};
	static const char *const names[] = {"English", "Français", "Nederlands"};
	const char *cur = req_actor(r)->lang;
	json_t *arr = json_array();
	for (int i = 0; i < 3; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "code", codes[i], "name",
						     names[i], "selected", cur && !strcmp(cur, codes[i])));
	return arr;
}

static void account_page(struct req *r)
{
	if (need_sign_in(r))
		return;
	json_t *ctx = json_object();
	json_object_set_new(ctx, "lang_options", lang_options(r));
	if (req_query(r, "saved"))
		json_object_set_new(ctx, "saved", json_true());
	web_page(r, 200, "account", "Your account", ctx);
}

static void account_post(struct req *r)
{
	if (need_sign_in(r))
		return;
	const struct actor *a = req_actor(r);
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const char *name = req_form(r, "name"), *lang = req_form(r, "lang");
	struct errinfo ei = {{0}, {0}};
	enum err e = ERR_OK;
	if (name)
		e = account_set_name(c, a->user_id, name, &ei);
	if (!e && lang)
		e = account_set_lang(c, a->user_id, *lang ? lang : NULL, &ei);
	if (e) {
		web_page(r, 422, "account", "Your account",
			 json_pack("{s:s, s:s, s:o}", "error", ei.msg, "error_field", ei.field,
				   "lang_options", lang_options(r)));
		return;
	}
	/* The account's language now applies: drop a page-level choice. */
	if (lang)
		resp_cookie(r, "consent_lang", "", -1);
	resp_redirect(r, "/account?saved=1");
}

static void orgs_page(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *orgs = NULL;
	if (org_list(c, NULL, &orgs) != ERR_OK) {
		resp_error(r, 500, "internal_error", NULL, "cannot list organisations");
		return;
	}
	json_t *groups = json_array();
	static const struct {
		const char *kind, *title;
	} kinds[] = {{"police", "Police"},
		     {"community", "Community organisations"},
		     {"oversight", "Oversight bodies"}};
	for (size_t k = 0; k < 3; k++) {
		json_t *list = json_array();
		size_t i;
		json_t *o;
		json_array_foreach(orgs, i, o) if (!strcmp(json_string_value(json_object_get(o, "kind")),
							   kinds[k].kind)) json_array_append(list, o);
		json_array_append_new(groups, json_pack("{s:s, s:o}", "title", web_t(r, kinds[k].title),
							"orgs", list));
	}
	json_decref(orgs);
	web_page(r, 200, "orgs", "Organisations", json_pack("{s:o}", "groups", groups));
}

static const char *kind_label(struct req *r, const char *kind)
{
	if (!strcmp(kind, "police"))
		return web_t(r, "Police");
	if (!strcmp(kind, "community"))
		return web_t(r, "Community organisation");
	if (!strcmp(kind, "oversight"))
		return web_t(r, "Oversight body");
	if (!strcmp(kind, "force_area"))
		return web_t(r, "Force area");
	if (!strcmp(kind, "district"))
		return web_t(r, "District");
	if (!strcmp(kind, "neighbourhood"))
		return web_t(r, "Neighbourhood");
	return kind;
}

static void org_page(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *o = NULL;
	int64_t id;
	enum err e = org_get(c, req_param(r, "slug"), &o, &id);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	json_object_set_new(o, "kind_label",
			    json_string(kind_label(r, json_string_value(json_object_get(o, "kind")))));
	if (policy_allows(req_actor(r), ACT_MEMBER_LIST, id)) {
		json_t *m = NULL;
		if (member_list(c, id, &m) == ERR_OK)
			json_object_set_new(o, "member_list", m);
	}
	web_page(r, 200, "org", json_string_value(json_object_get(o, "name")), json_pack("{s:o}", "org", o));
}

static void areas_page(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *areas = NULL;
	if (area_list(c, &areas) != ERR_OK) {
		resp_error(r, 500, "internal_error", NULL, "cannot list areas");
		return;
	}
	size_t i;
	json_t *a;
	json_array_foreach(areas, i, a)
	{
		json_object_set_new(a, "kind_label",
				    json_string(kind_label(r, json_string_value(json_object_get(a, "kind")))));
		json_object_set_new(a, "indent", json_integer(json_integer_value(json_object_get(a, "depth")) * 2));
	}
	web_page(r, 200, "areas", "Areas", json_pack("{s:o}", "areas", areas));
}

static void area_page(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	json_t *a = NULL;
	enum err e = area_get(c, req_param(r, "slug"), &a, NULL);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	json_object_set_new(a, "kind_label",
			    json_string(kind_label(r, json_string_value(json_object_get(a, "kind")))));
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(a, "orgs"), i, o)
		json_object_set_new(o, "kind_label", json_string(kind_label(r, json_string_value(json_object_get(o, "kind")))));
	web_page(r, 200, "area", json_string_value(json_object_get(a, "name")), json_pack("{s:o}", "area", a));
}

static const struct route routes[] = {
	{M_GET, "/", home, ROUTE_HTML},
	{M_GET, "/login", login_form, ROUTE_HTML},
	{M_POST, "/login", login_post, ROUTE_HTML},
	{M_POST, "/logout", logout_post, ROUTE_HTML},
	{M_GET, "/account", account_page, ROUTE_HTML},
	{M_POST, "/account", account_post, ROUTE_HTML},
	{M_GET, "/orgs", orgs_page, ROUTE_HTML},
	{M_GET, "/orgs/{slug}", org_page, ROUTE_HTML},
	{M_GET, "/areas", areas_page, ROUTE_HTML},
	{M_GET, "/areas/{slug}", area_page, ROUTE_HTML},
};

void web_page_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
	web_consult_routes();
}
