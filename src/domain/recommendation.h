/* recommendation.h - policy recommendations (diversity within the police,
 * say), addressed to one organisation, backed by sources given as links:
 * meetings and commitments of this instance (by id), and consultations,
 * practices, figures or any other evidence (by title and link). The
 * addressee answers with a status (open, accepted, rejected with a
 * reason, implemented) and a public response. Creating and answering are
 * appended to the accountability log ("recommendation:ID"). */
#ifndef CONSENT_DOMAIN_RECOMMENDATION_H
#define CONSENT_DOMAIN_RECOMMENDATION_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/actor.h"
#include "store/store.h"

struct recommendation_in {
	const char *title, *body;
	const char *from_org; /* slug of the organisation that makes it (admin: optional) */
	const char *to_org;   /* slug of the addressee */
	const char *area;     /* slug, optional */
	json_t *sources;      /* borrowed: [{"kind", "id" | "title" + "url"}] */
};

/* Creates an open recommendation. The actor must be allowed
 * ACT_RECOMMENDATION_CREATE in from_org. ERR_INVAL names the field
 * (title, body, from_org, to_org, area, sources). */
enum err recommendation_create(struct store_conn *c, const struct actor *actor,
                               const struct recommendation_in *in, int64_t *id, struct errinfo *ei);
/* The addressee's answer: status (accepted, rejected, implemented, or open
 * again), a reason (required for rejected) and the public response (NULL
 * keeps it). ERR_CONFLICT for a move that does not exist (implemented is
 * final). */
enum err recommendation_respond(struct store_conn *c, const struct actor *actor, int64_t id,
                                const char *status, const char *reason, const char *response,
                                struct errinfo *ei);
/* {"id","title","body","from":{slug,name}|null,"to":{slug,name},"area":{slug,name}|null,
 * "status","reason","response","sources":[{kind,id,title,url}],"created","updated"};
 * caller owns. */
enum err recommendation_get(struct store_conn *c, int64_t id, json_t **out);
/* Filtered by addressee or author (org), and status; newest first. */
enum err recommendation_list(struct store_conn *c, const char *org, const char *status,
                             json_t **out, struct errinfo *ei);
/* 1 if the actor may answer recommendation id. */
int recommendation_may_respond(struct store_conn *c, const struct actor *actor, int64_t id);

#endif
