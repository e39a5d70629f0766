/* http.h - what api/ and web/ see of HTTP: requests, responses, routes.
 *
 * Only http/ includes microhttpd.h. A handler reads the request through
 * req_* and answers with exactly one resp_* call; the server adds the
 * security headers, the access log line and the metrics. */
#ifndef CONSENT_HTTP_HTTP_H
#define CONSENT_HTTP_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "domain/actor.h"

struct req;
struct store;
struct tlog;
struct store_conn;

enum method { M_GET, M_HEAD, M_POST, M_PUT, M_PATCH, M_DELETE, M_OPTIONS, M_OTHER };

typedef void (*handler_fn)(struct req *r);

/* Route flags. */
#define ROUTE_HTML 1u    /* errors are rendered as HTML pages, not JSON */
#define ROUTE_NO_CSRF 2u /* authenticated otherwise (API key): no CSRF check */

struct route {
	enum method method;
	const char *pattern; /* "/api/v1/orgs/{slug}"; "{rest*}" takes the rest */
	handler_fn fn;
	unsigned flags;
};

/* Server configuration and shared state. */
struct app {
	struct store *store;
	struct tlog *tlog;            /* the accountability log's signer and caches */
	const char *listen;           /* "HOST:PORT" */
	size_t body_limit;            /* bytes, default 1 MiB */
	unsigned threads;             /* worker threads */
	unsigned conn_timeout;        /* seconds of inactivity */
	uint8_t csrf_key[32];         /* derived from the master key */
	uint8_t data_kek[32];         /* wraps personal data keys: vault_kek() of the master key */
	int secure_cookies;           /* add Secure to cookies (behind HTTPS) */
	unsigned login_account_limit; /* attempts per window per account */
	unsigned login_addr_limit;    /* attempts per window per client address */
	unsigned login_window;        /* seconds */
	const struct tmpl_set *tmpl;  /* HTML templates (web/) */
	/* Picks "en", "fr" or "nl" from an Accept-Language header (web/). */
	const char *(*negotiate_lang)(const char *accept_language);
	/* Renders an error page for ROUTE_HTML routes (set by web/). */
	void (*html_error)(struct req *r, int status, const char *code, const char *msg);
};

/* Registers routes (static storage). Call before http_serve. Routes are
 * tried in registration order. */
void http_routes(const struct route *routes, size_t n);

/* Serves until SIGINT or SIGTERM, then stops accepting, lets in-flight
 * requests finish and returns 0 (1 if the server could not start). */
int http_serve(struct app *app);

/* --- request --------------------------------------------------------- */

struct app *req_app(struct req *r);
enum method req_method(const struct req *r);
const char *req_path(const struct req *r);
/* The route pattern that matched ("/api/v1/orgs/{slug}"). */
const char *req_route(const struct req *r);
/* A route parameter ({slug}), or NULL. */
const char *req_param(struct req *r, const char *name);
/* A query-string argument, decoded, or NULL. */
const char *req_query(struct req *r, const char *name);
const char *req_header(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);
/* The raw body (NUL-terminated) and its length. */
const char *req_body(struct req *r, size_t *len);
/* A field of an application/x-www-form-urlencoded body, or NULL. */
const char *req_form(struct req *r, const char *name);
/* The i-th field (0-based, in body order) of such a body: 1 with *name and
 * *value set, or 0 past the last. For repeated names ("a[]=1&a[]=2"). */
int req_form_at(struct req *r, int i, const char **name, const char **value);
/* The body parsed as a JSON object. On a wrong content type (415) or
 * malformed JSON (400) it answers the request and returns NULL. The
 * request owns the result. */
json_t *req_json(struct req *r);
/* The calling thread's database connection; answers 503 and returns NULL
 * if the database is unreachable. */
struct store_conn *req_db(struct req *r);
/* The signed-in actor from the session cookie or an "Authorization:
 * Bearer" token; an anonymous actor (user_id 0) otherwise. */
const struct actor *req_actor(struct req *r);
/* The session token the actor came with (NULL if none). */
const char *req_session_token(struct req *r);
/* The UI language: ?lang=, then the lang cookie, then the account's
 * setting, then Accept-Language; "en", "fr" or "nl". */
const char *req_lang(struct req *r);
/* The CSRF token to put in this page's forms (sets the CSRF cookie if the
 * browser has none yet). */
const char *req_csrf_token(struct req *r);
/* The client address, for rate limits only (never logged). */
const char *req_client_addr(struct req *r);
/* Request-scoped string copy, freed with the request. */
char *req_strdup(struct req *r, const char *s);
/* Request-scoped printf. */
char *req_printf(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --- response -------------------------------------------------------- */

/* JSON body; steals body. */
void resp_json(struct req *r, int status, json_t *body);
/* The error body {"error":{"code","message","field"}}, or an HTML error
 * page on ROUTE_HTML routes. field may be NULL. */
void resp_error(struct req *r, int status, const char *code, const char *field,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Maps e to its status (the one place where that is decided) and answers
 * with ei's field and message. */
void resp_err(struct req *r, enum err e, const struct errinfo *ei);
/* The status that answers e. */
int http_status_of(enum err e);
/* Takes the body out of b. */
void resp_body(struct req *r, int status, const char *content_type, struct buf *b);
void resp_bytes(struct req *r, int status, const char *content_type, const void *p, size_t n);
void resp_redirect(struct req *r, const char *location);
/* Adds a header to the response (copied). */
void resp_header(struct req *r, const char *name, const char *value);
/* Sets a cookie: HttpOnly, SameSite=Lax, Path=/; max_age < 0 deletes. */
void resp_cookie(struct req *r, const char *name, const char *value, long max_age);
/* Counts an attempt for key in bucket (e.g. "login-account") against limit
 * per window seconds. Over the limit it answers 429 with Retry-After and
 * returns 0; else returns 1. */
int req_ratelimit(struct req *r, const char *bucket, const char *key, unsigned limit,
		  unsigned window);
/* Signs in with email and password, within the login rate limits (per
 * account and per client address). On success fills token (the new session
 * token) and *user_id and returns 1; otherwise answers (401, 429, 503) and
 * returns 0. */
int req_login(struct req *r, const char *email, const char *password, char token[44],
	      int64_t *user_id);
/* Forgets the attempts of key in bucket. */
void req_ratelimit_clear(const char *bucket, const char *key);
/* The Prometheus text of the server's metrics (GET /metrics). */
void http_metrics(struct req *r);

/* 1 once a response has been given. */
int resp_done(const struct req *r);

/* Deferred answers, for work done on another thread (the vote writer's
 * group commit). The handler calls req_suspend(r), hands r to the other
 * thread and returns without answering; that thread later answers with
 * one resp_* call and then calls req_resume(r), after which it must not
 * touch r. The connection's worker thread serves other connections
 * meanwhile. Call req_suspend before handing r over. It returns 0 (and
 * suspends nothing) once the server is stopping: the handler must then
 * answer itself, as usual. The server stops only after every suspended
 * request was resumed. */
int req_suspend(struct req *r);
void req_resume(struct req *r);

#endif
