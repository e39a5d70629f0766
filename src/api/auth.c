/* auth.c - POST /api/v1/login, POST /api/v1/logout, GET/PATCH /api/v1/me. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/account.h"
#include "domain/policy.h"

#define SESSION_COOKIE "consent_session"

static void login(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"email", "password", NULL};
	const char *email, *password;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "email", 1, &email) ||
	    !api_string(r, body, "password", 1, &password))
		return;
	char token[CRYPTO_TOKEN_CHARS + 1];
	int64_t uid;
	if (!req_login(r, email, password, token, &uid))
		return;
	json_t *user = NULL;
	if (account_json(req_db(r), uid, &user) != ERR_OK) {
		resp_error(r, 500, "internal_error", NULL, "cannot read the account");
		return;
	}
	resp_cookie(r, SESSION_COOKIE, token, ACCOUNT_SESSION_SECONDS);
	resp_json(r, 200, json_pack("{s:s, s:o, s:i}", "token", token, "user", user, "expires_in",
				    ACCOUNT_SESSION_SECONDS));
}

static void logout(struct req *r)
{
	const struct actor *a = api_signed_in(r);
	if (!a)
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	enum err e = account_logout(c, req_session_token(r));
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	resp_cookie(r, SESSION_COOKIE, "", -1);
	resp_json(r, 200, json_pack("{s:b}", "signed_out", 1));
}

static void me(struct req *r)
{
	const struct actor *a = api_signed_in(r);
	if (!a)
		return;
	resp_json(r, 200, account_actor_json(a));
}

static void me_update(struct req *r)
{
	const struct actor *a = api_signed_in(r);
	if (!a || !api_allowed(r, ACT_ACCOUNT_UPDATE, 0))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"name", "lang", "password", "current_password", NULL};
	const char *name, *lang, *pw, *cur;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "name", 0, &name) ||
	    !api_string(r, body, "lang", 0, &lang) || !api_string(r, body, "password", 0, &pw) ||
	    !api_string(r, body, "current_password", 0, &cur))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = store_begin(c);
	if (!e && name)
		e = account_set_name(c, a->user_id, name, &ei);
	if (!e && json_object_get(body, "lang"))
		e = account_set_lang(c, a->user_id, lang, &ei);
	if (!e && pw)
		e = account_set_password(c, a->user_id, cur, pw, &ei);
	if (!e)
		e = store_commit(c);
	else
		store_rollback(c);
	json_t *u = NULL;
	if (!e)
		e = account_json(c, a->user_id, &u);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_json(r, 200, u);
}

static const struct route routes[] = {
	{M_POST, "/api/v1/login", login, 0},
	{M_POST, "/api/v1/logout", logout, 0},
	{M_GET, "/api/v1/me", me, 0},
	{M_PATCH, "/api/v1/me", me_update, 0},
};

void api_auth_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
