/* workforce.c - population baselines and police workforce over JSON:
 *   GET /api/v1/areas/{slug}/population
 *   PUT /api/v1/areas/{slug}/population/{year}     (JSON or text/csv)
 *   GET /api/v1/orgs/{slug}/workforce
 *   PUT /api/v1/orgs/{slug}/workforce/{year}       (JSON or text/csv)
 *   GET /api/v1/orgs/{slug}/representation */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/workforce.h"

static int year_param(struct req *r, int *year)
{
	const char *s = req_param(r, "year");
	char *end;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s || *end || v < 1900 || v > 2200) {
		resp_error(r, 404, "not_found", "year", "is not a year between 1900 and 2200");
		return 0;
	}
	*year = (int)v;
	return 1;
}

static int body_is_csv(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	return ct && !strncasecmp(ct, "text/csv", 8) && (!ct[8] || ct[8] == ';' || ct[8] == ' ');
}

static void population_show(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_WORKFORCE_VIEW, 0))
		return;
	json_t *o = NULL;
	struct errinfo ei = {{0}, {0}};
	enum err e = population_get(c, req_param(r, "slug"), req_lang(r), &o);
	if (e == ERR_NOTFOUND)
		err_set(&ei, e, "slug", "no area has this slug");
	api_answer(r, e, &ei, 200, o);
}

static void population_put_h(struct req *r)
{
	if (!api_allowed(r, ACT_POPULATION_MANAGE, 0))
		return;
	struct store_conn *c = req_db(r);
	int year;
	if (!c || !year_param(r, &year))
		return;
	const char *slug = req_param(r, "slug");
	struct errinfo ei = {{0}, {0}};
	enum err e;
	if (body_is_csv(r)) {
		size_t len;
		const char *csv = req_body(r, &len);
		e = population_put_csv(c, slug, year, req_query(r, "source"), req_query(r, "unit"),
		                       csv, len, &ei);
	} else {
		json_t *body = req_json(r);
		if (!body)
			return;
		static const char *const allowed[] = {"source", "unit", "margins", "demo", NULL};
		const char *source, *unit;
		if (!api_only_fields(r, body, allowed) ||
		    !api_string(r, body, "source", 1, &source) ||
		    !api_string(r, body, "unit", 0, &unit))
			return;
		json_t *demo = json_object_get(body, "demo");
		if (demo && !json_is_boolean(demo)) {
			resp_error(r, 422, "invalid", "demo", "must be true or false");
			return;
		}
		e = population_put(c, slug, year, source, demo && json_is_true(demo), unit,
		                   json_object_get(body, "margins"), &ei);
	}
	if (e == ERR_NOTFOUND) {
		resp_error(r, 404, "not_found", "slug", "no area has this slug");
		return;
	}
	json_t *o = NULL;
	if (!e)
		e = population_get(c, slug, req_lang(r), &o);
	api_answer(r, e, &ei, 200, o);
}

/* The organisation of {slug}; answers 404 if none. */
static int org_of(struct req *r, struct store_conn *c, int64_t *id)
{
	enum err e = org_find(c, req_param(r, "slug"), id, NULL);
	if (e == ERR_NOTFOUND) {
		resp_error(r, 404, "not_found", "slug", "no organisation has this slug");
		return 0;
	}
	if (e) {
		resp_err(r, e, NULL);
		return 0;
	}
	return 1;
}

static void workforce_show(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_allowed(r, ACT_WORKFORCE_VIEW, 0) || !org_of(r, c, &id))
		return;
	json_t *o = NULL;
	enum err e = workforce_get(c, req_param(r, "slug"), &o);
	api_answer(r, e, NULL, 200, o);
}

static void workforce_put_h(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	enum org_kind kind;
	int year;
	if (!c || !api_signed_in(r))
		return;
	enum err e = org_find(c, req_param(r, "slug"), &id, &kind);
	if (e) {
		resp_error(r, 404, "not_found", "slug", "no organisation has this slug");
		return;
	}
	if (!api_allowed(r, ACT_WORKFORCE_MANAGE, id) || !year_param(r, &year))
		return;
	if (kind != ORG_POLICE) {
		resp_error(r, 422, "invalid", "slug",
		           "workforce figures are for police organisations");
		return;
	}
	struct errinfo ei = {{0}, {0}};
	if (body_is_csv(r)) {
		size_t len;
		const char *csv = req_body(r, &len);
		e = workforce_put_csv(c, id, year, req_query(r, "source"), csv, len, &ei);
	} else {
		json_t *body = req_json(r);
		if (!body)
			return;
		static const char *const allowed[] = {"source", "figures", NULL};
		const char *source;
		if (!api_only_fields(r, body, allowed) ||
		    !api_string(r, body, "source", 1, &source))
			return;
		e = workforce_put(c, id, year, source, 0, json_object_get(body, "figures"), &ei);
	}
	json_t *o = NULL;
	if (!e)
		e = workforce_get(c, req_param(r, "slug"), &o);
	api_answer(r, e, &ei, 200, o);
}

static void representation(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_allowed(r, ACT_WORKFORCE_VIEW, 0) || !org_of(r, c, &id))
		return;
	json_t *o = NULL;
	enum err e = workforce_representation(c, req_param(r, "slug"), req_lang(r), &o);
	api_answer(r, e, NULL, 200, o);
}

static const struct route routes[] = {
    {M_GET, "/api/v1/areas/{slug}/population", population_show, 0},
    {M_PUT, "/api/v1/areas/{slug}/population/{year}", population_put_h, 0},
    {M_GET, "/api/v1/orgs/{slug}/workforce", workforce_show, 0},
    {M_PUT, "/api/v1/orgs/{slug}/workforce/{year}", workforce_put_h, 0},
    {M_GET, "/api/v1/orgs/{slug}/representation", representation, 0},
};

void api_workforce_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
