/* actor.h - who is acting: an account with its roles, or nobody.
 *
 * Built by domain/account.c from a session; read by domain/policy.c. */
#ifndef CONSENT_DOMAIN_ACTOR_H
#define CONSENT_DOMAIN_ACTOR_H

#include <stdint.h>

/* Roles (ROLE_ANON is "not signed in"). Every account is a resident; the
 * organisation roles come from memberships; admin is instance-wide. */
enum role {
	ROLE_ANON,
	ROLE_RESIDENT,
	ROLE_ORG_MEMBER,
	ROLE_ORG_ADMIN,
	ROLE_OFFICER,
	ROLE_SUPERVISOR,
	ROLE_OVERSEER,
	ROLE_ADMIN,
	ROLE_COUNT
};

enum org_kind { ORG_POLICE, ORG_COMMUNITY, ORG_OVERSIGHT, ORG_KIND_COUNT };

#define ACTOR_MAX_MEMBERSHIPS 16

struct membership {
	int64_t org_id;
	enum org_kind org_kind;
	enum role role;
	char org_slug[64];
	char org_name[201];
};

struct actor {
	int64_t user_id;     /* 0 when anonymous */
	char public_id[24];  /* pseudonymous id for the accountability log */
	int is_admin;
	char email[255];     /* the account's own details, for "me" views */
	char name[201];
	char lang[8];        /* "" when the account has no language set */
	int n_memberships;
	struct membership memberships[ACTOR_MAX_MEMBERSHIPS];
};

/* The stable name of a role ("org_admin"), and back (-1 if unknown). */
const char *role_name(enum role r);
int role_parse(const char *s);
/* The name of an organisation kind, and back (-1 if unknown). */
const char *org_kind_name(enum org_kind k);
int org_kind_parse(const char *s);
/* 1 if role r may be held in an organisation of kind k. */
int role_fits_org(enum role r, enum org_kind k);

#endif
