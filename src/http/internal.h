/* internal.h - private to http/: the request structure and the pieces
 * server.c, session.c, metrics.c and ratelimit.c share. */
#ifndef CONSENT_HTTP_INTERNAL_H
#define CONSENT_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <stdint.h>

#include "http/http.h"

#define REQ_MAX_PARAMS 8
#define REQ_MAX_HEADERS 16

struct kv {
	char *name;
	char *value;
};

struct req {
	struct app *app;
	struct MHD_Connection *conn;
	enum method method;
	const char *method_name;
	char *path;                   /* owned copy of the URL path */
	const struct route *route;    /* NULL: no route matched */
	int route_index;              /* for metrics; -1 when none */
	int nparams;
	struct kv params[REQ_MAX_PARAMS];
	uint64_t start_ns;
	/* body */
	struct buf body;
	int body_too_large;
	size_t discarded;             /* bytes of an oversized body dropped */
	int body_started;
	int form_parsed;
	int nform;
	struct kv *form;
	json_t *json;
	/* identity */
	int actor_loaded;
	struct actor actor;
	const char *session_token;    /* points into MHD's storage */
	const char *lang;
	char *csrf_token;
	/* response */
	int suspended;                /* req_suspend: answered later, on resume */
	int status;
	int done;
	char *ctype;
	struct buf out;
	int nheaders;
	struct kv headers[REQ_MAX_HEADERS];
	/* request-scoped allocations */
	void **allocs;
	size_t nallocs, capallocs;
	char addr[64];
};

/* session.c */
void session_check_csrf(struct req *r); /* answers 403 if a form post lacks a valid token */

/* metrics.c */
void metrics_init(size_t nroutes);
void metrics_record(int route_index, int status, uint64_t ns);
void metrics_conn(int delta);
void metrics_render(struct buf *b, const struct route *const *routes, size_t nroutes);

/* ratelimit.c: 1 if the key may go on (and counts the attempt), 0 if it
 * is over limit within window seconds. */
int ratelimit_hit(const char *bucket, const char *key, unsigned limit, unsigned window,
		  unsigned *retry_after);
/* 1 if key has used up its limit in the current window (counts nothing). */
int ratelimit_blocked(const char *bucket, const char *key, unsigned limit, unsigned window,
		      unsigned *retry_after);
/* Forgets a key (after a successful login). */
void ratelimit_clear(const char *bucket, const char *key);

/* The route table, for metrics. */
size_t http_route_count(void);
const struct route *http_route_at(size_t i);

#endif
