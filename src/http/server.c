/* server.c - libmicrohttpd glue: the request life cycle, routing, body
 * limits, responses with security headers, the access log, shutdown. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "http/internal.h"
#include "store/store.h"

#define MAX_ROUTE_SETS 32

static const struct route *route_sets[MAX_ROUTE_SETS];
static size_t route_set_len[MAX_ROUTE_SETS];
static size_t n_route_sets;
static const struct route **flat_routes;
static size_t n_flat_routes;
static atomic_int in_flight;

void http_routes(const struct route *routes, size_t n)
{
	if (n_route_sets == MAX_ROUTE_SETS)
		abort();
	route_sets[n_route_sets] = routes;
	route_set_len[n_route_sets++] = n;
	flat_routes = xreallocarray(flat_routes, n_flat_routes + n, sizeof *flat_routes);
	for (size_t i = 0; i < n; i++)
		flat_routes[n_flat_routes++] = &routes[i];
}

size_t http_route_count(void)
{
	return n_flat_routes;
}

const struct route *http_route_at(size_t i)
{
	return flat_routes[i];
}

/* --- request-scoped memory ---------------------------------------------- */

static void *req_keep(struct req *r, void *p)
{
	if (r->nallocs == r->capallocs) {
		r->capallocs = r->capallocs ? r->capallocs * 2 : 8;
		r->allocs = xreallocarray(r->allocs, r->capallocs, sizeof *r->allocs);
	}
	r->allocs[r->nallocs++] = p;
	return p;
}

char *req_strdup(struct req *r, const char *s)
{
	return req_keep(r, xstrdup(s));
}

char *req_printf(struct req *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	va_end(ap);
	return req_keep(r, p);
}

static void req_free(struct req *r)
{
	for (size_t i = 0; i < r->nallocs; i++)
		free(r->allocs[i]);
	free(r->allocs);
	for (int i = 0; i < r->nparams; i++) {
		free(r->params[i].name);
		free(r->params[i].value);
	}
	for (int i = 0; i < r->nform; i++) {
		free(r->form[i].name);
		free(r->form[i].value);
	}
	free(r->form);
	for (int i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	if (r->json)
		json_decref(r->json);
	buf_clear(&r->body);
	buf_clear(&r->out);
	free(r->ctype);
	free(r->csrf_token);
	free(r->path);
	free(r);
}

/* --- accessors ------------------------------------------------------------ */

struct app *req_app(struct req *r)
{
	return r->app;
}

enum method req_method(const struct req *r)
{
	return r->method;
}

const char *req_path(const struct req *r)
{
	return r->path;
}

const char *req_route(const struct req *r)
{
	return r->route ? r->route->pattern : "unmatched";
}

const char *req_param(struct req *r, const char *name)
{
	for (int i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].name, name) == 0)
			return r->params[i].value;
	return NULL;
}

const char *req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *req_body(struct req *r, size_t *len)
{
	if (len)
		*len = r->body.len;
	return r->body.data ? r->body.data : "";
}

const char *req_client_addr(struct req *r)
{
	if (r->addr[0])
		return r->addr;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(r->addr, sizeof r->addr, "unknown");
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  r->addr, sizeof r->addr);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->addr,
				  sizeof r->addr);
	}
	return r->addr;
}

static int content_type_is(struct req *r, const char *want)
{
	const char *ct = req_header(r, "Content-Type");
	if (!ct)
		return 0;
	size_t n = strlen(want);
	if (strncasecmp(ct, want, n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static void parse_form(struct req *r)
{
	r->form_parsed = 1;
	if (!content_type_is(r, "application/x-www-form-urlencoded") || !r->body.len)
		return;
	char *s = xstrndup(r->body.data, r->body.len);
	int cap = 0;
	for (char *save = NULL, *tok = strtok_r(s, "&", &save); tok;
	     tok = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(tok, '=');
		char *v = eq ? eq + 1 : tok + strlen(tok);
		if (eq)
			*eq = '\0';
		long nl = url_decode(tok, strlen(tok));
		long vl = url_decode(v, strlen(v));
		if (nl < 0 || vl < 0 || !utf8_valid(tok, (size_t)nl) || !utf8_valid(v, (size_t)vl))
			continue;
		if (r->nform == cap) {
			cap = cap ? cap * 2 : 8;
			r->form = xreallocarray(r->form, (size_t)cap, sizeof *r->form);
		}
		r->form[r->nform].name = xstrndup(tok, (size_t)nl);
		r->form[r->nform].value = xstrndup(v, (size_t)vl);
		r->nform++;
	}
	free(s);
}

const char *req_form(struct req *r, const char *name)
{
	if (!r->form_parsed)
		parse_form(r);
	for (int i = 0; i < r->nform; i++)
		if (strcmp(r->form[i].name, name) == 0)
			return r->form[i].value;
	return NULL;
}

int req_form_at(struct req *r, int i, const char **name, const char **value)
{
	if (!r->form_parsed)
		parse_form(r);
	if (i < 0 || i >= r->nform)
		return 0;
	*name = r->form[i].name;
	*value = r->form[i].value;
	return 1;
}

json_t *req_json(struct req *r)
{
	if (r->json)
		return r->json;
	if (!content_type_is(r, "application/json")) {
		resp_error(r, 415, "unsupported_media_type", "Content-Type",
			   "the body must be application/json");
		return NULL;
	}
	json_error_t je;
	json_t *j = json_loadb(r->body.data ? r->body.data : "", r->body.len,
			       JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		resp_error(r, 400, "malformed_json", "body", "the body is not valid JSON: %s (line %d, column %d)",
			   je.text, je.line, je.column);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		resp_error(r, 400, "malformed_json", "body", "the body must be a JSON object");
		return NULL;
	}
	r->json = j;
	return j;
}

struct store_conn *req_db(struct req *r)
{
	char err[256];
	struct store_conn *c = store_conn(r->app->store, err, sizeof err);
	if (!c) {
		log_error("database unavailable: %s", err);
		resp_error(r, 503, "unavailable", NULL, "the database is unavailable; try again soon");
		return NULL;
	}
	return c;
}

/* --- responses ------------------------------------------------------------ */

int resp_done(const struct req *r)
{
	return r->done;
}

/* Suspended requests: MHD must not be stopped while there are any, and
 * none may be suspended once stopping began. */
static pthread_mutex_t suspend_lock = PTHREAD_MUTEX_INITIALIZER;
static int suspend_refused;
static int n_suspended;

int req_suspend(struct req *r)
{
	pthread_mutex_lock(&suspend_lock);
	if (suspend_refused) {
		pthread_mutex_unlock(&suspend_lock);
		return 0;
	}
	n_suspended++;
	r->suspended = 1;
	pthread_mutex_unlock(&suspend_lock);
	MHD_suspend_connection(r->conn);
	return 1;
}

/* The suspended request r is back (or gone): count it out. */
static void unsuspended(struct req *r)
{
	pthread_mutex_lock(&suspend_lock);
	r->suspended = 0;
	n_suspended--;
	pthread_mutex_unlock(&suspend_lock);
}

void req_resume(struct req *r)
{
	MHD_resume_connection(r->conn);
}

void resp_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders == REQ_MAX_HEADERS)
		return;
	r->headers[r->nheaders].name = xstrdup(name);
	r->headers[r->nheaders].value = xstrdup(value);
	r->nheaders++;
}

void resp_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	char *v = xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=%ld", name,
			    max_age < 0 ? "" : value, r->app->secure_cookies ? "; Secure" : "",
			    max_age < 0 ? 0 : max_age);
	resp_header(r, "Set-Cookie", v);
	free(v);
}

void resp_bytes(struct req *r, int status, const char *content_type, const void *p, size_t n)
{
	if (r->done)
		return;
	r->done = 1;
	r->status = status;
	free(r->ctype);
	r->ctype = xstrdup(content_type);
	buf_reset(&r->out);
	buf_append(&r->out, p, n);
}

void resp_body(struct req *r, int status, const char *content_type, struct buf *b)
{
	if (r->done) {
		buf_clear(b);
		return;
	}
	r->done = 1;
	r->status = status;
	free(r->ctype);
	r->ctype = xstrdup(content_type);
	buf_clear(&r->out);
	r->out = *b;
	if (!r->out.data)
		buf_init(&r->out);
	b->data = NULL;
	b->len = b->cap = 0;
}

void resp_json(struct req *r, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(body);
	struct buf b = {s, strlen(s), strlen(s) + 1};
	buf_putc(&b, '\n');
	resp_body(r, status, "application/json", &b);
}

void resp_redirect(struct req *r, const char *location)
{
	resp_header(r, "Location", location);
	resp_bytes(r, 303, "text/plain; charset=utf-8", "", 0);
}

void resp_error(struct req *r, int status, const char *code, const char *field, const char *fmt,
		...)
{
	if (r->done)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int html = r->route ? (r->route->flags & ROUTE_HTML) != 0
			    : strncmp(r->path, "/api/", 5) != 0 && strcmp(r->path, "/healthz") != 0;
	if (html && r->app->html_error && status != 413) {
		r->app->html_error(r, status, code, msg);
		if (r->done)
			return;
	}
	json_t *e = json_pack("{s:s, s:s}", "code", code, "message", msg);
	json_object_set_new(e, "field", field && *field ? json_string(field) : json_null());
	resp_json(r, status, json_pack("{s:o}", "error", e));
}

int http_status_of(enum err e)
{
	switch (e) {
	case ERR_OK: return 200;
	case ERR_INVAL: return 422;
	case ERR_NOTFOUND: return 404;
	case ERR_FORBIDDEN: return 403;
	case ERR_UNAUTH: return 401;
	case ERR_CONFLICT: return 409;
	case ERR_LIMIT: return 413;
	case ERR_UNAVAIL: return 503;
	case ERR_CRYPTO: return 400;
	default: return 500;
	}
}

void resp_err(struct req *r, enum err e, const struct errinfo *ei)
{
	int status = http_status_of(e);
	const char *msg = ei && ei->msg[0] ? ei->msg : err_str(e);
	if (status == 500 && store_conn_lost(r->app->store)) {
		/* The database went away under this request: say so, as
		 * req_db does when it cannot reconnect. */
		resp_error(r, 503, "unavailable", NULL, "the database is unavailable; try again soon");
		return;
	}
	if (status >= 500 && status != 503)
		log_error("%s %s failed: %s", r->method_name, req_route(r), err_str(e));
	resp_error(r, status, err_str(e), ei ? ei->field : NULL, "%s", msg);
}

/* --- routing -------------------------------------------------------------- */

static enum method parse_method(const char *m)
{
	static const struct {
		const char *name;
		enum method m;
	} t[] = {{"GET", M_GET},     {"HEAD", M_HEAD},     {"POST", M_POST},       {"PUT", M_PUT},
		 {"PATCH", M_PATCH}, {"DELETE", M_DELETE}, {"OPTIONS", M_OPTIONS}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(m, t[i].name) == 0)
			return t[i].m;
	return M_OTHER;
}

static const char *method_str(enum method m)
{
	static const char *names[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"};
	return names[m];
}

static void clear_params(struct req *r)
{
	for (int i = 0; i < r->nparams; i++) {
		free(r->params[i].name);
		free(r->params[i].value);
	}
	r->nparams = 0;
}

static int add_param(struct req *r, const char *name, size_t nlen, const char *v, size_t vlen)
{
	if (r->nparams == REQ_MAX_PARAMS || vlen == 0)
		return 0;
	r->params[r->nparams].name = xstrndup(name, nlen);
	r->params[r->nparams].value = xstrndup(v, vlen);
	r->nparams++;
	return 1;
}

/* Matches path against pattern, filling r->params. Segments are literal,
 * "{name}" with an optional literal suffix ("{id}.ics"), or "{name*}"
 * (the rest of the path, at least one character). */
static int match(struct req *r, const char *pattern, const char *path)
{
	clear_params(r);
	const char *p = pattern, *s = path;
	while (*p) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (!close)
				return 0;
			int rest = close[-1] == '*';
			const char *name = p + 1;
			size_t nlen = (size_t)(close - name) - (rest ? 1 : 0);
			if (rest) {
				if (!add_param(r, name, nlen, s, strlen(s)))
					return 0;
				return close[1] == '\0';
			}
			/* literal suffix up to the next '/' of the pattern */
			const char *suf = close + 1;
			const char *suf_end = strchr(suf, '/');
			size_t suflen = suf_end ? (size_t)(suf_end - suf) : strlen(suf);
			const char *seg_end = strchr(s, '/');
			size_t seglen = seg_end ? (size_t)(seg_end - s) : strlen(s);
			if (seglen <= suflen || strncmp(s + seglen - suflen, suf, suflen) != 0)
				return 0;
			if (!add_param(r, name, nlen, s, seglen - suflen))
				return 0;
			s += seglen;
			p = suf + suflen;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *s == '\0';
}

/* Finds the route; *path_matched is set when some route matched the path
 * with another method (for 405). */
static int find_route(struct req *r, int *path_matched, struct buf *allow)
{
	*path_matched = 0;
	for (size_t i = 0; i < n_flat_routes; i++) {
		const struct route *rt = flat_routes[i];
		if (!match(r, rt->pattern, r->path))
			continue;
		enum method m = r->method == M_HEAD ? M_GET : r->method;
		if (rt->method == m) {
			r->route = rt;
			r->route_index = (int)i;
			return 1;
		}
		if (!*path_matched)
			r->route = rt; /* for the error format and metrics */
		*path_matched = 1;
		if (allow->len)
			buf_puts(allow, ", ");
		buf_puts(allow, method_str(rt->method));
	}
	clear_params(r);
	return 0;
}

/* --- the MHD side ------------------------------------------------------------ */

static const char csp[] = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
			  "img-src 'self' data:; form-action 'self'; base-uri 'none'; "
			  "frame-ancestors 'none'";

static enum MHD_Result queue(struct req *r)
{
	if (!r->done)
		resp_error(r, 500, "internal_error", NULL, "the handler gave no answer");
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		r->method == M_HEAD ? 0 : r->out.len, r->out.data, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", r->ctype);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy",
				"camera=(), microphone=(), geolocation=(), interest-cohort=()");
	int has_cache = 0;
	for (int i = 0; i < r->nheaders; i++) {
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
		if (strcasecmp(r->headers[i].name, "Cache-Control") == 0)
			has_cache = 1;
	}
	if (!has_cache)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);

	uint64_t ns = clock_mono_ns() - r->start_ns;
	metrics_record(r->route_index, r->status, ns);
	/* The access log: no query strings, bodies, tokens or addresses. */
	char ts[40];
	clock_format_rfc3339_ms(clock_now_ms(), ts);
	struct buf line;
	buf_init(&line);
	buf_printf(&line, "{\"time\":\"%s\",\"method\":\"%s\",\"route\":\"", ts, r->method_name);
	const char *rt = req_route(r);
	buf_json_escape(&line, rt, strlen(rt));
	buf_printf(&line, "\",\"status\":%d,\"duration_ms\":%.3f}\n", r->status, (double)ns / 1e6);
	log_line(line.data, line.len);
	buf_clear(&line);
	return ret;
}

static void dispatch(struct req *r)
{
	int path_matched;
	struct buf allow;
	buf_init(&allow);
	if (!find_route(r, &path_matched, &allow)) {
		if (path_matched) {
			r->route_index = -1;
			resp_header(r, "Allow", allow.data);
			resp_error(r, 405, "method_not_allowed", NULL,
				   "this resource does not allow %s (allowed: %s)", r->method_name,
				   allow.data);
		} else {
			resp_error(r, 404, "not_found", NULL, "there is nothing at this address");
		}
		buf_clear(&allow);
		return;
	}
	buf_clear(&allow);
	if (r->body_too_large) {
		resp_error(r, 413, "too_large", "body", "the body is larger than %zu bytes",
			   r->app->body_limit);
		return;
	}
	session_check_csrf(r);
	if (r->done)
		return;
	r->route->fn(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	struct app *app = cls;
	struct req *r = *con_cls;
	if (!r) {
		/* First call: set up only; answering now would make MHD close
		 * keep-alive connections (DESIGN.md). */
		r = xcalloc(1, sizeof *r);
		r->app = app;
		r->conn = conn;
		r->start_ns = clock_mono_ns();
		r->method = parse_method(method);
		r->method_name = method_str(r->method);
		r->path = xstrdup(url);
		r->route_index = -1;
		r->status = 0;
		buf_init(&r->out);
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl) {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(cl, &end, 10);
			if (errno || *end || n > app->body_limit)
				r->body_too_large = 1;
		}
		*con_cls = r;
		atomic_fetch_add(&in_flight, 1);
		return MHD_YES;
	}
	if (r->suspended) {
		/* Resumed (req_resume): the answer is ready. */
		unsuspended(r);
		return queue(r);
	}
	if (*upload_data_size > 0) {
		if (r->body_too_large) {
			/* Read and drop the rest, so the client (which sends
			 * its whole body before reading) gets the 413 instead of
			 * a reset; past 64 MiB answer now and let MHD close. */
			r->discarded += *upload_data_size;
			*upload_data_size = 0;
			if (r->discarded > (size_t)64 << 20 && !r->done) {
				resp_error(r, 413, "too_large", "body", "the body is larger than %zu bytes",
					   app->body_limit);
				return queue(r);
			}
			return MHD_YES;
		}
		if (!r->body.data)
			buf_init(&r->body);
		if (r->body.len + *upload_data_size > app->body_limit) {
			r->body_too_large = 1;
			buf_clear(&r->body);
		} else {
			buf_append(&r->body, upload_data, *upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->done)
		return MHD_YES; /* already answered (413 during upload) */
	if (!r->body.data)
		buf_init(&r->body);
	dispatch(r);
	if (r->suspended)
		return MHD_YES; /* answered later, from another thread */
	return queue(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct req *r = *con_cls;
	if (!r)
		return;
	if (r->suspended)
		unsuspended(r);
	req_free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	(void)conn;
	(void)socket_context;
	metrics_conn(toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_warn("http: %s", msg);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len)
{
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen)
		return -1;
	char host[128];
	size_t hl = (size_t)(colon - listen);
	if (hl >= sizeof host)
		return -1;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || colon[1] == '\0')
		return -1;
	memset(ss, 0, sizeof *ss);
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			return -1;
		*len = sizeof *s6;
		return 0;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
		return -1;
	*len = sizeof *s4;
	return 0;
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

int http_serve(struct app *app)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	if (parse_listen(app->listen, &ss, &sslen) != 0) {
		fprintf(stderr, "consent: --listen must be HOST:PORT (got '%s')\n", app->listen);
		return 2;
	}
	metrics_init(n_flat_routes);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, app, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, app->threads, MHD_OPTION_CONNECTION_TIMEOUT,
		app->conn_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
		MHD_OPTION_CONNECTION_LIMIT, 4000u, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
		on_connection, NULL, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "consent: cannot listen on %s: %s\n", app->listen, strerror(errno));
		return 1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	log_info("consent serving on %s (port %u, %u threads)", app->listen,
		 di ? (unsigned)di->port : 0u, app->threads);
	while (!stop_signal) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	log_info("signal %d: stopping; finishing requests in flight", (int)stop_signal);
	/* Stop accepting, then give in-flight requests up to 10 s. Every
	 * write is committed before its response is queued, so nothing
	 * acknowledged depends on this wait. */
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 1000 && atomic_load(&in_flight) > 0; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	/* Requests keep coming on open keep-alive connections: from now on
	 * none is suspended, and MHD refuses to stop while one is. */
	pthread_mutex_lock(&suspend_lock);
	suspend_refused = 1;
	pthread_mutex_unlock(&suspend_lock);
	for (int i = 0; i < 3000; i++) {
		pthread_mutex_lock(&suspend_lock);
		int n = n_suspended;
		pthread_mutex_unlock(&suspend_lock);
		if (n == 0)
			break;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	log_info("stopped");
	return 0;
}
