/* api.h - the JSON API under /api/v1 and the service endpoints. */
#ifndef CONSENT_API_API_H
#define CONSENT_API_API_H

#include <jansson.h>

#include "http/http.h"

/* Registers every API route with http/. */
void api_register(void);

/* --- helpers shared by the api/ files (api/util.c) --- */

/* Answers 422 naming the first field of body not in allowed (NULL-ended)
 * and returns 0; 1 if every field is allowed. */
int api_only_fields(struct req *r, json_t *body, const char *const *allowed);
/* Reads a string field. Missing: NULL (answers 422 if required). Wrong
 * type: answers 422 naming it. Returns 1 on success, 0 if answered. */
int api_string(struct req *r, json_t *body, const char *field, int required, const char **out);
/* Answers with e (and ei) if e is an error, else with status and body
 * (stolen either way). */
void api_answer(struct req *r, enum err e, const struct errinfo *ei, int status, json_t *body);
/* The positive integer route parameter {name} in *id; otherwise answers 404
 * "no WHAT has this id" and returns 0. */
int api_id_param(struct req *r, const char *name, const char *what, int64_t *id);
/* The signed-in actor, or answers 401 and returns NULL. */
const struct actor *api_signed_in(struct req *r);
/* Answers 403 and returns 0 unless the policy allows the action. */
int api_allowed(struct req *r, int action, int64_t target_org);

void api_auth_routes(void);
void api_org_routes(void);
void api_health_routes(void);
void api_survey_routes(void);
void api_workforce_routes(void);
/* The accountability log (api/log.c): needs req_app(r)->tlog. */
void api_log_routes(void);
void api_meeting_routes(void);
void api_commitment_routes(void);
void api_export_routes(void);
void api_recommendation_routes(void);
void api_consult_routes(void);
void api_report_routes(void);
void api_open311_routes(void);

#endif
