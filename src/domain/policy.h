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
	ACT_SURVEY_VIEW,     /* survey waves, indicators, trust dashboards (public) */
	ACT_SURVEY_RESPOND,  /* answer a survey wave (no account needed) */
	ACT_SURVEY_MANAGE,   /* create and change waves, import responses */
	ACT_POPULATION_MANAGE, /* enter population baselines of areas */
	ACT_WORKFORCE_VIEW,  /* workforce figures and representation (public) */
	ACT_WORKFORCE_MANAGE, /* enter a police force's workforce figures */
	ACT_TRUST_SETTINGS,  /* the minimum cell size of published figures */
	ACT_LOG_READ,        /* the accountability log: checkpoints, tiles, proofs (public) */
	ACT_LOG_WITNESS_LIST, /* the registered witness keys (public: verifiers need them) */
	ACT_LOG_WITNESS_ADD, /* register an oversight organisation's witness key */
	ACT_LOG_COSIGN,      /* cosign a checkpoint with one's own organisation's witness key */
	/* Engagement (domain/meeting.c, commitment.c, recommendation.c). The
	 * organisation acted upon is an organiser of the meeting, the owner or
	 * co-chair of the commitment, the author or addressee of the
	 * recommendation. */
	ACT_MEETING_LIST,         /* public meetings, their feeds */
	ACT_MEETING_VIEW,         /* a public meeting */
	ACT_MEETING_VIEW_PRIVATE, /* a private meeting: staff of an organiser */
	ACT_MEETING_CREATE,       /* as one of the organisers */
	ACT_MEETING_UPDATE,       /* details, attendance, minutes, documents */
	ACT_MEETING_CANCEL,
	ACT_MEETING_REGISTER,     /* register for a meeting that takes registrations */
	ACT_COMMITMENT_LIST,
	ACT_COMMITMENT_VIEW,
	ACT_COMMITMENT_CREATE,   /* as staff of the owner or the co-chair */
	ACT_COMMITMENT_UPDATE,   /* wording, dates, linked meetings */
	ACT_COMMITMENT_PROGRESS, /* owner: accept, start, progress, claim done, answer a dispute */
	ACT_COMMITMENT_DECLINE,  /* owner: decline, with a reason */
	ACT_COMMITMENT_CONFIRM,  /* co-chair: confirm done, or dispute with a reason */
	ACT_RECOMMENDATION_LIST,
	ACT_RECOMMENDATION_VIEW,
	ACT_RECOMMENDATION_CREATE,  /* on behalf of one's organisation */
	ACT_RECOMMENDATION_RESPOND, /* the addressee: status and public response */
	ACT_CONSULT_LIST,    /* see the consultations (public) */
	ACT_CONSULT_VIEW,    /* a consultation, its statements and results (public) */
	ACT_CONSULT_CREATE,  /* open a consultation for one's organisation(s) */
	ACT_CONSULT_UPDATE,  /* dates, wording, moderation mode, seed statements */
	ACT_CONSULT_MODERATE, /* the moderation queue of an organised consultation */
	ACT_CONSULT_PARTICIPATE, /* vote, add statements, describe one's community */
	ACT_CONSULT_EXPORT,  /* Polis export CSVs of a consultation */
	ACT_CONSULT_IMPORT,  /* bring a Polis conversation in */
	ACT_CATEGORY_LIST,   /* the report categories (public) */
	ACT_CATEGORY_CREATE,
	ACT_CATEGORY_UPDATE, /* labels, public or sensitive, active */
	ACT_REPORT_FILE,     /* file a report (anyone, no account needed) */
	ACT_REPORT_FILE_VIA, /* file a report on someone's behalf, for one's organisation */
	ACT_REPORT_TRIAGE,   /* list the reports one's organisation handles */
	ACT_REPORT_READ,     /* open such a report, within its consent (policy_report_view) */
	ACT_REPORT_STATUS,   /* move it through the status workflow, with public notes */
	ACT_REPORT_MESSAGE,  /* write to its reporter through the platform */
	ACT_REPORT_OVERRIDE, /* open it beyond its consent, with a written reason */
	ACT_REPORT_STATS,    /* suppressed statistics (public) */
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
/* The role in which actor may perform a on target_org (as policy_allows
 * decides), for the accountability log: a membership in target_org first,
 * then admin, then any other membership, then resident. *m is set to the
 * membership the role comes from, or NULL for resident and admin (m may be
 * NULL). ROLE_ANON if the actor may not (or is anonymous). */
enum role policy_role(const struct actor *actor, enum action a, int64_t target_org,
		      const struct membership **m);
/* The stable name of an action ("org.update"). */
const char *action_name(enum action a);

/* --- what staff see of a report ----------------------------------------- */

/* The reporter's consent level, lowest first. */
enum consent_level {
	CONSENT_STATISTICS, /* only counted, in suppressed aggregates */
	CONSENT_ANONYMOUS,  /* the police see the content, never the identity */
	CONSENT_IDENTIFIED, /* the police see content, identity and contact details */
	CONSENT_COUNT
};

/* How an organisation stands to a report. */
enum report_rel {
	REPORT_REL_NONE,   /* neither of the two below */
	REPORT_REL_POLICE, /* the police force serving the report's area */
	REPORT_REL_VIA,    /* the community organisation that took the report */
	REPORT_REL_COUNT
};

/* What of a report staff see. */
enum report_view {
	REPORT_VIEW_NONE,    /* nothing: not even that it exists */
	REPORT_VIEW_CONTENT, /* facts, what happened, messages; never the identity */
	REPORT_VIEW_FULL,    /* all of it, identity and contact details included */
};

/* The cell of the consent table for (relation, consent). */
enum report_view policy_report_view(enum report_rel rel, enum consent_level c);

/* What actor may see of a report handled by police_org (0 if none) and
 * taken by via_org (0 if none) at consent c: the widest view that any of
 * the actor's memberships allowed ACT_REPORT_READ gives. *org_index
 * receives the index in actor->memberships of the membership that gives
 * it (-1 if none). */
enum report_view policy_report_access(const struct actor *actor, int64_t police_org,
				      int64_t via_org, enum consent_level c, int *org_index);

/* The stable name of a consent level ("anonymous"), and back (-1 if
 * unknown). */
const char *consent_name(enum consent_level c);
int consent_parse(const char *s);

#endif
