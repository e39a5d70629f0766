/* consultations.c - consultations (deliberation) in the JSON API:
 *   GET/POST /api/v1/consultations, GET/PATCH /api/v1/consultations/{id}
 *   GET/POST /api/v1/consultations/{id}/statements
 *   POST /api/v1/consultations/{id}/votes, GET .../next
 *   GET/PATCH /api/v1/consultations/{id}/me
 *   GET/POST /api/v1/consultations/{id}/moderation
 *   GET .../results, GET .../math, GET .../export/{file}, POST .../import
 *
 * Participants are the signed-in account or, without one, the browser
 * token of the consent_participant cookie (random; only its hash is
 * stored), set on the first vote or statement. Votes go through the
 * group-commit writer: the request is suspended and answered after the
 * transaction holding its vote committed. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "domain/consult_math.h"
#include "domain/consult_vote.h"
#include "domain/consultation.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "opinion/polis.h"

#define PARTICIPANT_COOKIE     "consent_participant"
#define PARTICIPANT_COOKIE_AGE (180L * 24 * 3600)

/* The consultation of the {id} parameter (it exists); answers 404. */
static int consult_of(struct req *r, struct store_conn *c, int64_t *id)
{
	*id = consult_id_parse(req_param(r, "id"));
	int64_t o, cl;
	enum err e = *id ? consult_dates(c, *id, &o, &cl, NULL, NULL) : ERR_NOTFOUND;
	if (e == ERR_NOTFOUND) {
		resp_error(r, 404, "not_found", "id", "no consultation has this id");
		return 0;
	}
	if (e) {
		resp_err(r, e, NULL);
		return 0;
	}
	return 1;
}

/* Answers 403 (or 401) unless the actor may do a on consultation id. */
static int allowed_on(struct req *r, struct store_conn *c, enum action a, int64_t id)
{
	const struct actor *act = req_actor(r);
	if (consult_allows(c, act, a, id))
		return 1;
	if (!act->user_id)
		resp_error(r, 401, "unauthorized", NULL, "sign in first");
	else
		resp_error(r, 403, "forbidden", NULL,
		           "your role does not allow %s for this consultation", action_name(a));
	return 0;
}

static struct consult_who who_of(struct req *r)
{
	struct consult_who w = {req_cookie(r, PARTICIPANT_COOKIE), req_actor(r)->user_id};
	if (w.token && strlen(w.token) != CRYPTO_TOKEN_CHARS)
		w.token = NULL;
	return w;
}

/* Gives an anonymous participant a browser token (and its cookie). */
static void ensure_token(struct req *r, struct consult_who *w)
{
	if (w->user_id || w->token)
		return;
	char t[CRYPTO_TOKEN_CHARS + 1];
	crypto_token_new(t);
	w->token = req_strdup(r, t);
	resp_cookie(r, PARTICIPANT_COOKIE, t, PARTICIPANT_COOKIE_AGE);
}

/* An RFC 3339 field: 0 when absent. Answers 422 when malformed. */
static int time_field(struct req *r, json_t *body, const char *field, int64_t *out)
{
	const char *s;
	*out = 0;
	if (!api_string(r, body, field, 0, &s))
		return 0;
	if (s && clock_parse_rfc3339(s, out) != 0) {
		resp_error(r, 422, "invalid", field,
		           "must be an RFC 3339 date-time such as 2026-03-01T18:00:00Z");
		return 0;
	}
	return 1;
}

/* An integer field within [lo, hi]: *out unchanged when absent. */
static int int_field(struct req *r, json_t *body, const char *field, int required, int64_t lo,
                     int64_t hi, int64_t *out)
{
	json_t *v = json_object_get(body, field);
	if (!v || json_is_null(v)) {
		if (required) {
			resp_error(r, 422, "invalid", field, "is required");
			return 0;
		}
		return 1;
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		resp_error(r, 422, "invalid", field, "must be an integer from %lld to %lld",
		           (long long)lo, (long long)hi);
		return 0;
	}
	*out = json_integer_value(v);
	return 1;
}

/* A field that is a list of strings (or absent). */
static int strings_field(struct req *r, json_t *body, const char *field, json_t **out)
{
	json_t *v = json_object_get(body, field);
	*out = NULL;
	if (!v || json_is_null(v))
		return 1;
	size_t i;
	json_t *s;
	if (!json_is_array(v)) {
		resp_error(r, 422, "invalid", field, "must be a list of strings");
		return 0;
	}
	json_array_foreach(v, i, s) if (!json_is_string(s) ||
	                                strlen(json_string_value(s)) != json_string_length(s))
	{
		resp_error(r, 422, "invalid", field, "item %zu must be a string", i);
		return 0;
	}
	*out = v;
	return 1;
}

static void list(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_CONSULT_LIST, 0))
		return;
	json_t *l = NULL;
	enum err e = consult_list(c, &l);
	api_answer(r, e, NULL, 200, e ? NULL : json_pack("{s:o}", "consultations", l));
}

static void create(struct req *r)
{
	if (!api_signed_in(r))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {
	    "question",   "description",   "area", "orgs",        "opens_at", "closes_at",
	    "moderation", "statement_max", "seed", "communities", NULL};
	struct consult_new n = {0};
	json_t *orgs;
	if (!api_only_fields(r, body, allowed) ||
	    !api_string(r, body, "question", 1, &n.question) ||
	    !api_string(r, body, "description", 0, &n.description) ||
	    !api_string(r, body, "area", 1, &n.area) || !strings_field(r, body, "orgs", &orgs) ||
	    !time_field(r, body, "opens_at", &n.opens_at) ||
	    !time_field(r, body, "closes_at", &n.closes_at) ||
	    !api_string(r, body, "moderation", 0, &n.moderation) ||
	    !int_field(r, body, "statement_max", 0, 20, 2000, &n.statement_max) ||
	    !strings_field(r, body, "seed", &n.seed) ||
	    !strings_field(r, body, "communities", &n.communities))
		return;
	if (!orgs || json_array_size(orgs) < 1 || json_array_size(orgs) > CONSULT_MAX_ORGS) {
		resp_error(r, 422, "invalid", "orgs",
		           "must list one or two organising organisations");
		return;
	}
	if (!n.closes_at) {
		resp_error(r, 422, "invalid", "closes_at", "is required");
		return;
	}
	if (!n.opens_at)
		n.opens_at = clock_now();
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	/* The actor must be allowed in one of the organisers. */
	int64_t ids[CONSULT_MAX_ORGS];
	int k = 0;
	for (size_t i = 0; i < json_array_size(orgs); i++) {
		n.orgs[i] = json_string_value(json_array_get(orgs, i));
		enum err e = org_find(c, n.orgs[i], &ids[k], NULL);
		if (e == ERR_NOTFOUND) {
			resp_error(r, 422, "invalid", "orgs",
			           "item %zu is not the slug of an organisation", i);
			return;
		}
		if (e) {
			resp_err(r, e, NULL);
			return;
		}
		k++;
	}
	if (!consult_allows_orgs(req_actor(r), ACT_CONSULT_CREATE, ids, k)) {
		resp_error(r, 403, "forbidden", "orgs",
		           "you may open consultations only for an organisation you work for");
		return;
	}
	struct errinfo ei = {{0}, {0}};
	int64_t id = 0;
	enum err e = consult_create(c, &n, req_actor(r)->user_id, &id, &ei);
	json_t *o = NULL;
	if (!e)
		e = consult_get(c, id, &o);
	if (!e)
		resp_header(r, "Location",
		            req_printf(r, "/api/v1/consultations/%lld", (long long)id));
	api_answer(r, e, &ei, 201, o);
}

static void get(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_allowed(r, ACT_CONSULT_VIEW, 0) || !consult_of(r, c, &id))
		return;
	json_t *o = NULL;
	enum err e = consult_get(c, id, &o);
	api_answer(r, e, NULL, 200, o);
}

static void update(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !consult_of(r, c, &id) ||
	    !allowed_on(r, c, ACT_CONSULT_UPDATE, id))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"question",    "description", "opens_at",
	                                      "closes_at",   "moderation",  "statement_max",
	                                      "communities", NULL};
	struct consult_change ch = {0};
	if (!api_only_fields(r, body, allowed) ||
	    !api_string(r, body, "question", 0, &ch.question) ||
	    !api_string(r, body, "description", 0, &ch.description) ||
	    !time_field(r, body, "opens_at", &ch.opens_at) ||
	    !time_field(r, body, "closes_at", &ch.closes_at) ||
	    !api_string(r, body, "moderation", 0, &ch.moderation) ||
	    !int_field(r, body, "statement_max", 0, 20, 2000, &ch.statement_max) ||
	    !strings_field(r, body, "communities", &ch.communities))
		return;
	struct errinfo ei = {{0}, {0}};
	enum err e = consult_update(c, id, &ch, &ei);
	json_t *o = NULL;
	if (!e)
		e = consult_get(c, id, &o);
	if (!e)
		consult_math_notify(id);
	api_answer(r, e, &ei, 200, o);
}

static void statements_list(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_allowed(r, ACT_CONSULT_VIEW, 0) || !consult_of(r, c, &id))
		return;
	const char *all = req_query(r, "all");
	if (all && strcmp(all, "1") && strcmp(all, "0")) {
		resp_error(r, 400, "invalid", "all", "must be 0 or 1");
		return;
	}
	int every = all && !strcmp(all, "1");
	if (every && !allowed_on(r, c, ACT_CONSULT_MODERATE, id))
		return;
	json_t *l = NULL;
	enum err e = consult_statements(c, id, every, &l);
	api_answer(r, e, NULL, 200, e ? NULL : json_pack("{s:o}", "statements", l));
}

static void statements_add(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !consult_of(r, c, &id))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"text", "seed", NULL};
	const char *text;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "text", 1, &text))
		return;
	json_t *seedv = json_object_get(body, "seed");
	if (seedv && !json_is_boolean(seedv)) {
		resp_error(r, 422, "invalid", "seed", "must be true or false");
		return;
	}
	int seed = seedv && json_is_true(seedv);
	int64_t pid = -1;
	struct errinfo ei = {{0}, {0}};
	enum err e;
	if (seed) {
		if (!api_signed_in(r) || !allowed_on(r, c, ACT_CONSULT_UPDATE, id))
			return;
	} else {
		if (!api_allowed(r, ACT_CONSULT_PARTICIPATE, 0))
			return;
		int64_t opens, closes;
		if ((e = consult_dates(c, id, &opens, &closes, NULL, NULL))) {
			resp_err(r, e, NULL);
			return;
		}
		if (strcmp(consult_status(opens, closes, clock_now()), "open")) {
			resp_error(r, 409, "conflict", NULL, "the consultation is not open");
			return;
		}
		struct consult_who w = who_of(r);
		ensure_token(r, &w);
		if ((e = consult_participant_join(c, id, &w, &pid, &ei))) {
			resp_err(r, e, &ei);
			return;
		}
	}
	int64_t tid = -1;
	e = consult_statement_add(c, id, pid, text, &tid, &ei);
	if (!e)
		consult_math_notify(id);
	api_answer(r, e, &ei, 201,
	       e ? NULL
	         : json_pack("{s:I, s:s}", "tid", (json_int_t)tid, "status",
	                     seed ? "accepted" : "pending"));
}

/* A vote handed to the writer; freed when answered. The success body is
 * made beforehand, so the writer thread only copies it. */
struct pending_vote {
	struct req *r;
	char *ok;      /* the 200 body */
	int suspended; /* answered from another thread: resume */
};

static void vote_done(void *ctx, enum err e)
{
	struct pending_vote *p = ctx;
	if (e) {
		struct errinfo ei = {{0}, {0}};
		err_set(&ei, e, "", "the vote was not recorded; try again");
		resp_err(p->r, e, &ei);
	} else {
		resp_bytes(p->r, 200, "application/json", p->ok, strlen(p->ok));
	}
	if (p->suspended)
		req_resume(p->r);
	free(p->ok);
	free(p);
}

static void vote(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_CONSULT_PARTICIPATE, 0))
		return;
	int64_t id = consult_id_parse(req_param(r, "id"));
	if (!id) {
		resp_error(r, 404, "not_found", "id", "no consultation has this id");
		return;
	}
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"statement", "vote", NULL};
	int64_t tid = -1, value = 2;
	if (!api_only_fields(r, body, allowed) ||
	    !int_field(r, body, "statement", 1, 0, INT32_MAX, &tid))
		return;
	json_t *v = json_object_get(body, "vote");
	const char *vs = json_string_value(v);
	if (vs)
		value = !strcmp(vs, "agree")      ? 1
		        : !strcmp(vs, "disagree") ? -1
		        : !strcmp(vs, "pass")     ? 0
		                                  : 2;
	else if (json_is_integer(v))
		value = json_integer_value(v);
	if (!v || json_is_null(v)) {
		resp_error(r, 422, "invalid", "vote", "is required");
		return;
	}
	struct consult_who w = who_of(r);
	struct consult_vote cv;
	struct errinfo ei = {{0}, {0}};
	int need_join = 0;
	enum err e = consult_vote_check(c, id, &w, tid, value, &cv, &need_join, &ei);
	if (e) {
		if (e == ERR_NOTFOUND)
			err_set(&ei, e, "id", "no consultation has this id");
		resp_err(r, e, &ei);
		return;
	}
	if (need_join) {
		ensure_token(r, &w);
		if ((e = consult_participant_join(c, id, &w, &cv.pid, &ei))) {
			resp_err(r, e, &ei);
			return;
		}
	}
	struct pending_vote *p = xmalloc(sizeof *p);
	p->r = r;
	p->ok = xasprintf("{\"recorded\":true,\"statement\":%lld,\"vote\":%d}\n", (long long)tid,
	                  (int)value);
	/* Answered after the writer's commit, from its thread; or here, when
	 * the server is stopping or no writer runs. */
	p->suspended = req_suspend(r);
	if (!p->suspended || consult_writer_submit(&cv, vote_done, p) != ERR_OK)
		vote_done(p, consult_vote_write(c, &cv));
}

static void next(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_allowed(r, ACT_CONSULT_VIEW, 0) || !consult_of(r, c, &id))
		return;
	struct consult_who w = who_of(r);
	int64_t pid = -1;
	enum err e = consult_participant_find(c, id, &w, &pid);
	if (e && e != ERR_NOTFOUND) {
		resp_err(r, e, NULL);
		return;
	}
	json_t *n = NULL;
	e = consult_next(c, id, e ? -1 : pid, &n);
	api_answer(r, e, NULL, 200, e ? NULL : json_pack("{s:o}", "statement", n ? n : json_null()));
}

static void me_get(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id, pid;
	if (!c || !consult_of(r, c, &id))
		return;
	struct consult_who w = who_of(r);
	enum err e = consult_participant_find(c, id, &w, &pid);
	if (e == ERR_NOTFOUND) {
		resp_error(r, 404, "not_found", NULL, "you have not taken part yet");
		return;
	}
	json_t *o = NULL;
	if (!e)
		e = consult_me(c, id, pid, &o);
	api_answer(r, e, NULL, 200, o);
}

static void me_update(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id, pid;
	if (!c || !api_allowed(r, ACT_CONSULT_PARTICIPATE, 0) || !consult_of(r, c, &id))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"community", NULL};
	const char *community;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "community", 0, &community))
		return;
	struct consult_who w = who_of(r);
	struct errinfo ei = {{0}, {0}};
	enum err e = consult_participant_find(c, id, &w, &pid);
	if (e == ERR_NOTFOUND) {
		int64_t opens, closes;
		if ((e = consult_dates(c, id, &opens, &closes, NULL, NULL))) {
			resp_err(r, e, NULL);
			return;
		}
		if (strcmp(consult_status(opens, closes, clock_now()), "open")) {
			resp_error(r, 409, "conflict", NULL, "the consultation is not open");
			return;
		}
		ensure_token(r, &w);
		e = consult_participant_join(c, id, &w, &pid, &ei);
	}
	if (!e && !(e = consult_set_community(c, id, pid, community, &ei)))
		consult_math_notify(id);
	json_t *o = NULL;
	if (!e)
		e = consult_me(c, id, pid, &o);
	api_answer(r, e, &ei, 200, o);
}

static void moderation_list(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !consult_of(r, c, &id) ||
	    !allowed_on(r, c, ACT_CONSULT_MODERATE, id))
		return;
	const char *status = req_query(r, "status");
	if (!status)
		status = "pending";
	if (strcmp(status, "pending") && strcmp(status, "accepted") && strcmp(status, "rejected") &&
	    strcmp(status, "all")) {
		resp_error(r, 400, "invalid", "status",
		           "must be pending, accepted, rejected or all");
		return;
	}
	json_t *l = NULL;
	enum err e = consult_statements(c, id, 1, &l);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	json_t *out = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(l, i, s) if (!strcmp(status, "all") ||
	                                !strcmp(json_string_value(json_object_get(s, "status")),
	                                        status)) json_array_append(out, s);
	json_decref(l);
	resp_json(r, 200, json_pack("{s:o}", "statements", out));
}

static void moderation_post(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !consult_of(r, c, &id) ||
	    !allowed_on(r, c, ACT_CONSULT_MODERATE, id))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"statements", "action", "reason", NULL};
	const char *action, *reason;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "action", 1, &action) ||
	    !api_string(r, body, "reason", 0, &reason))
		return;
	json_t *l = json_object_get(body, "statements");
	if (!json_is_array(l) || !json_array_size(l) || json_array_size(l) > 1000) {
		resp_error(r, 422, "invalid", "statements",
		           "must be a list of 1 to 1000 statement numbers");
		return;
	}
	size_t n = json_array_size(l);
	int64_t *tids = xmalloc(n * sizeof *tids);
	for (size_t i = 0; i < n; i++) {
		json_t *t = json_array_get(l, i);
		if (!json_is_integer(t) || json_integer_value(t) < 0) {
			free(tids);
			resp_error(r, 422, "invalid", "statements",
			           "item %zu is not a statement number", i);
			return;
		}
		tids[i] = json_integer_value(t);
	}
	struct errinfo ei = {{0}, {0}};
	enum err e = consult_moderate(c, id, tids, n, action, reason, req_actor(r)->user_id, &ei);
	free(tids);
	if (!e)
		consult_math_notify(id);
	api_answer(r, e, &ei, 200, e ? NULL : json_pack("{s:I}", "moderated", (json_int_t)n));
}

static void results(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_allowed(r, ACT_CONSULT_VIEW, 0) || !consult_of(r, c, &id))
		return;
	json_t *o = NULL;
	enum err e = consult_results(c, id, &o);
	if (e == ERR_NOTFOUND) {
		resp_error(r, 404, "not_found", NULL, "the results are not computed yet");
		return;
	}
	api_answer(r, e, NULL, 200, o);
}

static void math(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_allowed(r, ACT_CONSULT_VIEW, 0) || !consult_of(r, c, &id))
		return;
	char *blob = NULL;
	enum err e = consult_math_blob(c, id, &blob);
	if (e == ERR_NOTFOUND) {
		resp_error(r, 404, "not_found", NULL, "the results are not computed yet");
		return;
	}
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	resp_bytes(r, 200, "application/json", blob, strlen(blob));
	free(blob);
}

static void export(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !consult_of(r, c, &id) ||
	    !allowed_on(r, c, ACT_CONSULT_EXPORT, id))
		return;
	const char *file = req_param(r, "file");
	struct buf b;
	buf_init(&b);
	enum err e = consult_export(c, id, file, &b);
	if (e == ERR_NOTFOUND) {
		buf_clear(&b);
		resp_error(r, 404, "not_found", "file",
		           "the export files are comments.csv, votes.csv, participants-votes.csv "
		           "and summary.csv");
		return;
	}
	if (e) {
		buf_clear(&b);
		resp_err(r, e, NULL);
		return;
	}
	resp_header(
	    r, "Content-Disposition",
	    req_printf(r, "attachment; filename=\"consultation-%lld-%s\"", (long long)id, file));
	resp_body(r, 200, "text/csv; charset=utf-8", &b);
}

static void import(struct req *r)
{
	struct store_conn *c = req_db(r);
	int64_t id;
	if (!c || !api_signed_in(r) || !consult_of(r, c, &id) ||
	    !allowed_on(r, c, ACT_CONSULT_IMPORT, id))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"comments_csv", "votes_csv", NULL};
	const char *comments, *votes;
	if (!api_only_fields(r, body, allowed) ||
	    !api_string(r, body, "comments_csv", 1, &comments) ||
	    !api_string(r, body, "votes_csv", 1, &votes))
		return;
	struct polis_data d;
	polis_data_init(&d);
	struct buf msg;
	buf_init(&msg);
	struct errinfo ei = {{0}, {0}};
	enum err e = polis_read_comments_csv(&d, comments, strlen(comments), "comments.csv", &msg);
	if (e)
		err_set(&ei, ERR_INVAL, "comments_csv", "%s", msg.data ? msg.data : "unreadable");
	if (!e && (e = polis_read_votes_csv(&d, votes, strlen(votes), "votes.csv", &msg)))
		err_set(&ei, ERR_INVAL, "votes_csv", "%s", msg.data ? msg.data : "unreadable");
	if (!e)
		e = consult_import(c, id, &d, &ei);
	json_t *o = NULL;
	if (!e) {
		consult_math_notify(id);
		e = consult_get(c, id, &o);
	}
	polis_data_clear(&d);
	buf_clear(&msg);
	api_answer(r, e ? (e == ERR_INVAL ? ERR_INVAL : e) : ERR_OK, &ei, 200, o);
}

static const struct route routes[] = {
    {M_GET, "/api/v1/consultations", list, 0},
    {M_POST, "/api/v1/consultations", create, 0},
    {M_GET, "/api/v1/consultations/{id}", get, 0},
    {M_PATCH, "/api/v1/consultations/{id}", update, 0},
    {M_GET, "/api/v1/consultations/{id}/statements", statements_list, 0},
    {M_POST, "/api/v1/consultations/{id}/statements", statements_add, 0},
    {M_POST, "/api/v1/consultations/{id}/votes", vote, 0},
    {M_GET, "/api/v1/consultations/{id}/next", next, 0},
    {M_GET, "/api/v1/consultations/{id}/me", me_get, 0},
    {M_PATCH, "/api/v1/consultations/{id}/me", me_update, 0},
    {M_GET, "/api/v1/consultations/{id}/moderation", moderation_list, 0},
    {M_POST, "/api/v1/consultations/{id}/moderation", moderation_post, 0},
    {M_GET, "/api/v1/consultations/{id}/results", results, 0},
    {M_GET, "/api/v1/consultations/{id}/math", math, 0},
    {M_GET, "/api/v1/consultations/{id}/export/{file}", export, 0},
    {M_POST, "/api/v1/consultations/{id}/import", import, 0},
};

void api_consult_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
