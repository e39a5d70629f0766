/* org.h - areas, organisations and memberships. */
#ifndef CONSENT_DOMAIN_ORG_H
#define CONSENT_DOMAIN_ORG_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/actor.h"
#include "store/store.h"

/* 1 if s is a valid slug: 1-63 of [a-z0-9-], not starting with '-'. */
int slug_valid(const char *s);

/* Areas. kind is "force_area", "district" or "neighbourhood"; a district's
 * parent is a force area, a neighbourhood's a district; a force area has
 * none. ERR_INVAL names the field; ERR_CONFLICT for a taken slug. */
enum err area_create(struct store_conn *c, const char *slug, const char *name, const char *kind,
		     const char *parent_slug, int64_t *id, struct errinfo *ei);
/* Changes the name (NULL keeps it). */
enum err area_update(struct store_conn *c, const char *slug, const char *name,
		     struct errinfo *ei);
/* ERR_CONFLICT while the area has sub-areas or organisations. */
enum err area_delete(struct store_conn *c, const char *slug, struct errinfo *ei);
/* {"slug","name","kind","parent":{slug,name}|null,"children":[...],"orgs":[...]};
 * caller owns. *id receives the area id if id is not NULL. */
enum err area_get(struct store_conn *c, const char *slug, json_t **out, int64_t *id);
/* The id of an area by slug (ERR_NOTFOUND), without reading the rest. */
enum err area_find(struct store_conn *c, const char *slug, int64_t *id);
/* Every area in hierarchy order with its depth: [{"slug","name","kind","parent","depth"}]. */
enum err area_list(struct store_conn *c, json_t **out);

/* Organisations. kind "police", "community" or "oversight"; areas is a
 * JSON array of area slugs (may be NULL). */
enum err org_create(struct store_conn *c, const char *slug, const char *name, const char *kind,
		    const char *description, json_t *areas, int64_t *id, struct errinfo *ei);
/* Changes name, description, areas (each NULL to keep), as actor `by`
 * (NULL: the console), recording "org.update" in the accountability log in
 * the same transaction (domain/audit.h): if that fails, nothing changes. */
enum err org_update(struct store_conn *c, const struct actor *by, const char *slug,
		    const char *name, const char *description, json_t *areas,
		    struct errinfo *ei);
enum err org_delete(struct store_conn *c, const char *slug, struct errinfo *ei);
/* {"slug","name","kind","description","areas":[{slug,name}],"members":N}; caller owns. */
enum err org_get(struct store_conn *c, const char *slug, json_t **out, int64_t *id);
/* The organisations, optionally of one kind (NULL for all). Caller owns. */
enum err org_list(struct store_conn *c, const char *kind, json_t **out);
/* The id and kind of an organisation by slug. */
enum err org_find(struct store_conn *c, const char *slug, int64_t *id, enum org_kind *kind);

/* Memberships of an organisation: [{"user_id","email","name","role"}]. */
enum err member_list(struct store_conn *c, int64_t org_id, json_t **out);
/* Membership changes, as actor `by` (NULL: the console). Each records
 * "member.add", "member.update" or "member.remove" in the accountability
 * log in the same transaction (domain/audit.h), with the object
 * "membership:ORG_SLUG/USER_PUBLIC_ID": if that fails, nothing changes.
 * member_add adds the account of email with role; the role must fit the
 * organisation's kind. */
enum err member_add(struct store_conn *c, const struct actor *by, int64_t org_id,
		    const char *email, const char *role, struct errinfo *ei);
enum err member_update(struct store_conn *c, const struct actor *by, int64_t org_id,
		       int64_t user_id, const char *role, struct errinfo *ei);
enum err member_remove(struct store_conn *c, const struct actor *by, int64_t org_id,
		       int64_t user_id, struct errinfo *ei);

#endif
