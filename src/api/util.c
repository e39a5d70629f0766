/* util.c - small helpers for the JSON handlers. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/policy.h"

int api_only_fields(struct req *r, json_t *body, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				ok = 1;
		if (!ok) {
			resp_error(r, 422, "invalid", key, "unknown field");
			return 0;
		}
	}
	return 1;
}

int api_string(struct req *r, json_t *body, const char *field, int required, const char **out)
{
	json_t *v = json_object_get(body, field);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required) {
			resp_error(r, 422, "invalid", field, "is required");
			return 0;
		}
		return 1;
	}
	if (!json_is_string(v)) {
		resp_error(r, 422, "invalid", field, "must be a string");
		return 0;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		resp_error(r, 422, "invalid", field, "must not contain NUL characters");
		return 0;
	}
	*out = json_string_value(v);
	return 1;
}

const struct actor *api_signed_in(struct req *r)
{
	const struct actor *a = req_actor(r);
	if (!a->user_id) {
		resp_error(r, 401, "unauthorized", NULL, "sign in first");
		return NULL;
	}
	return a;
}

int api_allowed(struct req *r, int action, int64_t target_org)
{
	const struct actor *a = req_actor(r);
	if (policy_allows(a, (enum action)action, target_org))
		return 1;
	if (!a->user_id)
		resp_error(r, 401, "unauthorized", NULL, "sign in first");
	else
		resp_error(r, 403, "forbidden", NULL, "your role does not allow %s",
			   action_name((enum action)action));
	return 0;
}

void api_answer(struct req *r, enum err e, const struct errinfo *ei, int status, json_t *body)
{
	if (e) {
		json_decref(body);
		resp_err(r, e, ei);
	} else {
		resp_json(r, status, body);
	}
}

int api_id_param(struct req *r, const char *name, const char *what, int64_t *id)
{
	const char *s = req_param(r, name);
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0) {
		resp_error(r, 404, "not_found", name, "no %s has this id", what);
		return 0;
	}
	*id = v;
	return 1;
}
