/* policy.h - the ONE authorization table of consent.
 *
 * Every action any handler performs is decided here, from the actor's roles
 * and (for organisation-scoped actions) the organisation acted upon. The
 * table is a plain matrix of role x action -> scope, so it can be read,
 * reviewed and tested whole (tests/unit/test_policy.c walks every cell). */
#ifndef CONSENT_DOMAIN_POLICY_H
#define CONSENT_DOMAIN_POLICY_H

#include <stdint.h>

#include "domain/actor.h"

enum action {
	ACT_ORG_LIST,        /* see the list of organisations (public) */
	ACT_ORG_VIEW,        /* see an organisation's public page */
	ACT_ORG_CREATE,
	ACT_ORG_UPDATE,      /* name, description, areas */
	ACT_ORG_DELETE,
	ACT_AREA_LIST,
	ACT_AREA_VIEW,
	ACT_AREA_CREATE,
	ACT_AREA_UPDATE,
	ACT_AREA_DELETE,
	ACT_MEMBER_LIST,     /* who belongs to an organisation */
	ACT_MEMBER_ADD,
	ACT_MEMBER_UPDATE,   /* change a member's role */
	ACT_MEMBER_REMOVE,
	ACT_USER_LIST,       /* every account of the instance */
	ACT_USER_CREATE,
	ACT_ACCOUNT_VIEW,    /* one's own account */
	ACT_ACCOUNT_UPDATE,  /* one's own name, language, password */
	ACT_CONSULT_LIST,    /* see the consultations (public) */
	ACT_CONSULT_VIEW,    /* a consultation, its statements and results (public) */
	ACT_CONSULT_CREATE,  /* open a consultation for one's organisation(s) */
	ACT_CONSULT_UPDATE,  /* dates, wording, moderation mode, seed statements */
	ACT_CONSULT_MODERATE, /* the moderation queue of an organised consultation */
	ACT_CONSULT_PARTICIPATE, /* vote, add statements, describe one's community */
	ACT_CONSULT_EXPORT,  /* Polis export CSVs of a consultation */
	ACT_CONSULT_IMPORT,  /* bring a Polis conversation in */
	ACT_COUNT
};

/* How far a role's permission reaches. */
enum scope {
	SCOPE_NONE = 0, /* denied */
	SCOPE_ORG,      /* only in an organisation where the actor holds the role */
	SCOPE_ANY,      /* everywhere */
};

/* The cell of the table for (role, action). */
enum scope policy_scope(enum role r, enum action a);
/* 1 if actor may perform a; target_org is the organisation acted upon, or
 * 0 when the action is not about one organisation. An organisation-scoped
 * permission with target_org 0 is allowed if the actor holds the role in
 * some organisation (used for listing one's own organisations' items). */
int policy_allows(const struct actor *actor, enum action a, int64_t target_org);
/* The stable name of an action ("org.update"). */
const char *action_name(enum action a);

#endif
