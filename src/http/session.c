/* session.c - who is asking (session cookie or bearer token), in which
 * language, and CSRF protection for every form post. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/crypto.h"
#include "base/xalloc.h"
#include "domain/account.h"
#include "http/internal.h"

#define SESSION_COOKIE "consent_session"
#define CSRF_COOKIE "consent_csrf"
#define LANG_COOKIE "consent_lang"

static const char *bearer(struct req *r)
{
	const char *h = req_header(r, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return *h ? h : NULL;
}

const char *req_session_token(struct req *r)
{
	const char *b = bearer(r);
	return b ? b : req_cookie(r, SESSION_COOKIE);
}

const struct actor *req_actor(struct req *r)
{
	if (r->actor_loaded)
		return &r->actor;
	r->actor_loaded = 1;
	memset(&r->actor, 0, sizeof r->actor);
	const char *tok = req_session_token(r);
	if (!tok)
		return &r->actor;
	char err[128];
	struct store_conn *c = store_conn(r->app->store, err, sizeof err);
	if (!c)
		return &r->actor;
	if (account_actor(c, tok, &r->actor) != ERR_OK)
		memset(&r->actor, 0, sizeof r->actor);
	else
		r->session_token = tok;
	return &r->actor;
}

static int lang_ok(const char *l)
{
	return l && (!strcmp(l, "en") || !strcmp(l, "fr") || !strcmp(l, "nl"));
}

const char *req_lang(struct req *r)
{
	if (r->lang)
		return r->lang;
	const char *q = req_query(r, "lang");
	if (lang_ok(q)) {
		/* An explicit choice sticks for the next pages. */
		resp_cookie(r, LANG_COOKIE, q, 365L * 24 * 3600);
		return r->lang = req_strdup(r, q);
	}
	const char *c = req_cookie(r, LANG_COOKIE);
	if (lang_ok(c))
		return r->lang = req_strdup(r, c);
	const struct actor *a = req_actor(r);
	if (a->user_id && lang_ok(a->lang))
		return r->lang = req_strdup(r, a->lang);
	const char *al = req_header(r, "Accept-Language");
	const char *neg = al && r->app->negotiate_lang ? r->app->negotiate_lang(al) : "en";
	return r->lang = req_strdup(r, lang_ok(neg) ? neg : "en");
}

static char *csrf_for(struct req *r, const char *cookie)
{
	uint8_t mac[CRYPTO_SHA256_LEN];
	crypto_hmac_sha256(r->app->csrf_key, cookie, strlen(cookie), mac);
	return crypto_b64url(mac, sizeof mac);
}

const char *req_csrf_token(struct req *r)
{
	if (r->csrf_token)
		return r->csrf_token;
	const char *cookie = req_cookie(r, CSRF_COOKIE);
	char fresh[CRYPTO_TOKEN_CHARS + 1];
	if (!cookie || strlen(cookie) != CRYPTO_TOKEN_CHARS) {
		crypto_token_new(fresh);
		/* A session cookie: lives as long as the browser session. */
		char *v = xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Strict%s", CSRF_COOKIE, fresh,
				    r->app->secure_cookies ? "; Secure" : "");
		resp_header(r, "Set-Cookie", v);
		free(v);
		cookie = fresh;
	}
	r->csrf_token = csrf_for(r, cookie);
	return r->csrf_token;
}

static int is_json(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	return ct && strncasecmp(ct, "application/json", 16) == 0 &&
	       (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

void session_check_csrf(struct req *r)
{
	if (r->method == M_GET || r->method == M_HEAD || r->method == M_OPTIONS)
		return;
	if (r->route && (r->route->flags & ROUTE_NO_CSRF))
		return;
	/* A bearer token cannot be sent by another site's page, and a JSON
	 * body needs a CORS preflight that we never grant. Everything else
	 * (forms, text/plain, no body) must prove it came from our page. */
	if (bearer(r) || is_json(r))
		return;
	const char *cookie = req_cookie(r, CSRF_COOKIE);
	const char *sent = req_form(r, "csrf");
	if (!sent)
		sent = req_header(r, "X-CSRF-Token");
	if (cookie && sent && strlen(cookie) == CRYPTO_TOKEN_CHARS) {
		char *want = csrf_for(r, cookie);
		int ok = strlen(sent) == strlen(want) && crypto_equal(sent, want, strlen(want));
		free(want);
		if (ok)
			return;
	}
	resp_error(r, 403, "csrf", "csrf",
		   "this form has expired or did not come from this site; reload the page and try again");
}

static int too_many(struct req *r, unsigned retry)
{
	char v[16];
	snprintf(v, sizeof v, "%u", retry ? retry : 1);
	resp_header(r, "Retry-After", v);
	resp_error(r, 429, "too_many_requests", NULL,
		   "too many failed sign-in attempts; wait %u seconds and try again",
		   retry ? retry : 1);
	return 0;
}

int req_login(struct req *r, const char *email, const char *password,
	      char token[CRYPTO_TOKEN_CHARS + 1], int64_t *user_id)
{
	/* Failed attempts count per client address and per account; a
	 * success clears the account's count. */
	struct app *app = r->app;
	unsigned retry = 0;
	const char *addr = req_client_addr(r);
	if (ratelimit_blocked("login-addr", addr, app->login_addr_limit, app->login_window, &retry))
		return too_many(r, retry);
	char *key = xstrdup(email);
	for (char *p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (ratelimit_blocked("login-account", key, app->login_account_limit, app->login_window,
			      &retry)) {
		free(key);
		return too_many(r, retry);
	}
	struct store_conn *c = req_db(r);
	if (!c) {
		free(key);
		return 0;
	}
	struct errinfo ei = {{0}, {0}};
	enum err e = account_login(c, email, password, token, user_id, &ei);
	if (e == ERR_OK) {
		ratelimit_clear("login-account", key);
	} else if (e == ERR_UNAUTH) {
		ratelimit_hit("login-addr", addr, UINT32_MAX, app->login_window, NULL);
		ratelimit_hit("login-account", key, UINT32_MAX, app->login_window, NULL);
	}
	free(key);
	if (e) {
		resp_err(r, e, &ei);
		return 0;
	}
	r->session_token = NULL;
	r->actor_loaded = 0;
	return 1;
}
