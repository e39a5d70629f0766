/* policy.c - the authorization table. Read it as a whole: one row per
 * action, one column per role. N = denied, O = in one's own organisation,
 * A = anywhere.
 *
 * Engagement decisions:
 * - Meetings are created and edited by the staff of an organising
 *   organisation who run things there: org_admin, officer, supervisor and
 *   overseer (oversight bodies hold public meetings too). An org_member
 *   (a volunteer of a community organisation) cannot: the organisation's
 *   org_admin makes them organisers by role. Admin may, anywhere.
 * - Commitments: the owner's staff (org_admin, officer, supervisor) move a
 *   commitment forward and claim it done; declining is for the senior roles
 *   (org_admin, supervisor). Only the co-chair organisation's org_admin
 *   confirms or disputes. The instance admin is not a party to a commitment
 *   and moves none of them (it may create and correct the wording).
 * - Recommendations come from community organisations (member or admin)
 *   and oversight bodies; the addressee's org_admin or supervisor answers. */
#include "domain/policy.h"

#include <string.h>

#define N SCOPE_NONE
#define O SCOPE_ORG
#define A SCOPE_ANY

static const struct {
	const char *name;
	unsigned char scope[ROLE_COUNT];
} table[ACT_COUNT] = {
	/*                            anon resid orgmem orgadm offic super overs admin */
	[ACT_ORG_LIST] = {"org.list", {A, A, A, A, A, A, A, A}},
	[ACT_ORG_VIEW] = {"org.view", {A, A, A, A, A, A, A, A}},
	[ACT_ORG_CREATE] = {"org.create", {N, N, N, N, N, N, N, A}},
	[ACT_ORG_UPDATE] = {"org.update", {N, N, N, O, N, O, N, A}},
	[ACT_ORG_DELETE] = {"org.delete", {N, N, N, N, N, N, N, A}},
	[ACT_AREA_LIST] = {"area.list", {A, A, A, A, A, A, A, A}},
	[ACT_AREA_VIEW] = {"area.view", {A, A, A, A, A, A, A, A}},
	[ACT_AREA_CREATE] = {"area.create", {N, N, N, N, N, N, N, A}},
	[ACT_AREA_UPDATE] = {"area.update", {N, N, N, N, N, N, N, A}},
	[ACT_AREA_DELETE] = {"area.delete", {N, N, N, N, N, N, N, A}},
	[ACT_MEMBER_LIST] = {"member.list", {N, N, O, O, O, O, O, A}},
	[ACT_MEMBER_ADD] = {"member.add", {N, N, N, O, N, O, N, A}},
	[ACT_MEMBER_UPDATE] = {"member.update", {N, N, N, O, N, O, N, A}},
	[ACT_MEMBER_REMOVE] = {"member.remove", {N, N, N, O, N, O, N, A}},
	[ACT_USER_LIST] = {"user.list", {N, N, N, N, N, N, N, A}},
	[ACT_USER_CREATE] = {"user.create", {N, N, N, N, N, N, N, A}},
	[ACT_ACCOUNT_VIEW] = {"account.view", {N, A, A, A, A, A, A, A}},
	[ACT_ACCOUNT_UPDATE] = {"account.update", {N, A, A, A, A, A, A, A}},
	[ACT_SURVEY_VIEW] = {"survey.view", {A, A, A, A, A, A, A, A}},
	[ACT_SURVEY_RESPOND] = {"survey.respond", {A, A, A, A, A, A, A, A}},
	[ACT_SURVEY_MANAGE] = {"survey.manage", {N, N, N, N, N, O, O, A}},
	[ACT_POPULATION_MANAGE] = {"population.manage", {N, N, N, N, N, N, N, A}},
	[ACT_WORKFORCE_VIEW] = {"workforce.view", {A, A, A, A, A, A, A, A}},
	[ACT_WORKFORCE_MANAGE] = {"workforce.manage", {N, N, N, N, N, O, N, A}},
	[ACT_TRUST_SETTINGS] = {"trust.settings", {N, N, N, N, N, N, N, A}},
	[ACT_LOG_READ] = {"log.read", {A, A, A, A, A, A, A, A}},
	[ACT_LOG_WITNESS_LIST] = {"log.witness.list", {A, A, A, A, A, A, A, A}},
	[ACT_LOG_WITNESS_ADD] = {"log.witness.add", {N, N, N, N, N, N, N, A}},
	[ACT_LOG_COSIGN] = {"log.cosign", {N, N, N, N, N, N, O, N}},
	/*                            anon resid orgmem orgadm offic super overs admin */
	[ACT_MEETING_LIST] = {"meeting.list", {A, A, A, A, A, A, A, A}},
	[ACT_MEETING_VIEW] = {"meeting.view", {A, A, A, A, A, A, A, A}},
	[ACT_MEETING_VIEW_PRIVATE] = {"meeting.view_private", {N, N, O, O, O, O, O, A}},
	[ACT_MEETING_CREATE] = {"meeting.create", {N, N, N, O, O, O, O, A}},
	[ACT_MEETING_UPDATE] = {"meeting.update", {N, N, N, O, O, O, O, A}},
	[ACT_MEETING_CANCEL] = {"meeting.cancel", {N, N, N, O, O, O, O, A}},
	[ACT_MEETING_REGISTER] = {"meeting.register", {N, A, A, A, A, A, A, A}},
	[ACT_COMMITMENT_LIST] = {"commitment.list", {A, A, A, A, A, A, A, A}},
	[ACT_COMMITMENT_VIEW] = {"commitment.view", {A, A, A, A, A, A, A, A}},
	[ACT_COMMITMENT_CREATE] = {"commitment.create", {N, N, N, O, O, O, N, A}},
	[ACT_COMMITMENT_UPDATE] = {"commitment.update", {N, N, N, O, O, O, N, A}},
	[ACT_COMMITMENT_PROGRESS] = {"commitment.progress", {N, N, N, O, O, O, N, N}},
	[ACT_COMMITMENT_DECLINE] = {"commitment.decline", {N, N, N, O, N, O, N, N}},
	[ACT_COMMITMENT_CONFIRM] = {"commitment.confirm", {N, N, N, O, N, N, N, N}},
	[ACT_RECOMMENDATION_LIST] = {"recommendation.list", {A, A, A, A, A, A, A, A}},
	[ACT_RECOMMENDATION_VIEW] = {"recommendation.view", {A, A, A, A, A, A, A, A}},
	[ACT_RECOMMENDATION_CREATE] = {"recommendation.create", {N, N, O, O, N, N, O, A}},
	[ACT_RECOMMENDATION_RESPOND] = {"recommendation.respond", {N, N, N, O, N, O, N, N}},
	[ACT_CONSULT_LIST] = {"consult.list", {A, A, A, A, A, A, A, A}},
	[ACT_CONSULT_VIEW] = {"consult.view", {A, A, A, A, A, A, A, A}},
	[ACT_CONSULT_CREATE] = {"consult.create", {N, N, N, O, O, O, N, A}},
	[ACT_CONSULT_UPDATE] = {"consult.update", {N, N, N, O, O, O, N, A}},
	[ACT_CONSULT_MODERATE] = {"consult.moderate", {N, N, O, O, O, O, N, A}},
	[ACT_CONSULT_PARTICIPATE] = {"consult.participate", {A, A, A, A, A, A, A, A}},
	[ACT_CONSULT_EXPORT] = {"consult.export", {N, N, O, O, O, O, A, A}},
	[ACT_CONSULT_IMPORT] = {"consult.import", {N, N, N, O, O, O, N, A}},
	[ACT_CATEGORY_LIST] = {"category.list", {A, A, A, A, A, A, A, A}},
	[ACT_CATEGORY_CREATE] = {"category.create", {N, N, N, N, N, N, N, A}},
	[ACT_CATEGORY_UPDATE] = {"category.update", {N, N, N, N, N, N, N, A}},
	[ACT_REPORT_FILE] = {"report.file", {A, A, A, A, A, A, A, A}},
	[ACT_REPORT_FILE_VIA] = {"report.file_via", {N, N, O, O, N, N, N, N}},
	[ACT_REPORT_TRIAGE] = {"report.triage", {N, N, O, O, O, O, N, N}},
	[ACT_REPORT_READ] = {"report.read", {N, N, O, O, O, O, N, N}},
	[ACT_REPORT_STATUS] = {"report.status", {N, N, O, O, O, O, N, N}},
	[ACT_REPORT_MESSAGE] = {"report.message", {N, N, O, O, O, O, N, N}},
	[ACT_REPORT_OVERRIDE] = {"report.override", {N, N, N, N, N, O, N, N}},
	[ACT_REPORT_STATS] = {"report.stats", {A, A, A, A, A, A, A, A}},
};

/* What staff see of a report, by how their organisation stands to it (rows)
 * and the reporter's consent (columns). The organisation that took a report
 * sees it whole; the police see nothing of a statistics report, the content
 * but never the identity of an anonymous one, all of an identified one.
 * Beyond this only ACT_REPORT_OVERRIDE goes, with a written reason. */
#define RN REPORT_VIEW_NONE
#define RC REPORT_VIEW_CONTENT
#define RF REPORT_VIEW_FULL
static const unsigned char report_views[REPORT_REL_COUNT][CONSENT_COUNT] = {
	/*                   statistics anonymous identified */
	[REPORT_REL_NONE] = {RN, RN, RN},
	[REPORT_REL_POLICE] = {RN, RC, RF},
	[REPORT_REL_VIA] = {RF, RF, RF},
};
#undef RN
#undef RC
#undef RF

#undef N
#undef O
#undef A

enum scope policy_scope(enum role r, enum action a)
{
	if ((unsigned)r >= ROLE_COUNT || (unsigned)a >= ACT_COUNT)
		return SCOPE_NONE;
	return (enum scope)table[a].scope[r];
}

const char *action_name(enum action a)
{
	return (unsigned)a < ACT_COUNT ? table[a].name : "unknown";
}

int policy_allows(const struct actor *actor, enum action a, int64_t target_org)
{
	if ((unsigned)a >= ACT_COUNT)
		return 0;
	if (!actor || actor->user_id == 0)
		return policy_scope(ROLE_ANON, a) == SCOPE_ANY;
	if (policy_scope(ROLE_RESIDENT, a) == SCOPE_ANY)
		return 1;
	if (actor->is_admin && policy_scope(ROLE_ADMIN, a) == SCOPE_ANY)
		return 1;
	for (int i = 0; i < actor->n_memberships; i++) {
		const struct membership *m = &actor->memberships[i];
		enum scope s = policy_scope(m->role, a);
		if (s == SCOPE_ANY)
			return 1;
		if (s == SCOPE_ORG && (target_org == 0 || target_org == m->org_id))
			return 1;
	}
	return 0;
}

enum role policy_role(const struct actor *actor, enum action a, int64_t target_org,
		      const struct membership **mp)
{
	if (mp)
		*mp = NULL;
	if ((unsigned)a >= ACT_COUNT || !actor || actor->user_id == 0)
		return ROLE_ANON;
	/* The most specific first: a role held in the organisation acted on. */
	for (int i = 0; target_org && i < actor->n_memberships; i++) {
		const struct membership *m = &actor->memberships[i];
		if (m->org_id == target_org && policy_scope(m->role, a) != SCOPE_NONE) {
			if (mp)
				*mp = m;
			return m->role;
		}
	}
	if (actor->is_admin && policy_scope(ROLE_ADMIN, a) == SCOPE_ANY)
		return ROLE_ADMIN;
	for (int i = 0; i < actor->n_memberships; i++) {
		const struct membership *m = &actor->memberships[i];
		enum scope s = policy_scope(m->role, a);
		if (s == SCOPE_ANY || (s == SCOPE_ORG && target_org == 0)) {
			if (mp)
				*mp = m;
			return m->role;
		}
	}
	if (policy_scope(ROLE_RESIDENT, a) == SCOPE_ANY)
		return ROLE_RESIDENT;
	return ROLE_ANON;
}

enum report_view policy_report_view(enum report_rel rel, enum consent_level c)
{
	if ((unsigned)rel >= REPORT_REL_COUNT || (unsigned)c >= CONSENT_COUNT)
		return REPORT_VIEW_NONE;
	return (enum report_view)report_views[rel][c];
}

enum report_view policy_report_access(const struct actor *actor, int64_t police_org,
				      int64_t via_org, enum consent_level c, int *org_index)
{
	enum report_view best = REPORT_VIEW_NONE;
	*org_index = -1;
	if (!actor || actor->user_id == 0)
		return best;
	for (int i = 0; i < actor->n_memberships; i++) {
		const struct membership *m = &actor->memberships[i];
		if (policy_scope(m->role, ACT_REPORT_READ) == SCOPE_NONE)
			continue;
		enum report_rel rel = REPORT_REL_NONE;
		if (via_org && m->org_id == via_org && m->org_kind == ORG_COMMUNITY)
			rel = REPORT_REL_VIA;
		else if (police_org && m->org_id == police_org && m->org_kind == ORG_POLICE)
			rel = REPORT_REL_POLICE;
		enum report_view v = policy_report_view(rel, c);
		if (v > best) {
			best = v;
			*org_index = i;
		}
	}
	return best;
}

static const char *const consent_names[CONSENT_COUNT] = {"statistics", "anonymous", "identified"};

const char *consent_name(enum consent_level c)
{
	return (unsigned)c < CONSENT_COUNT ? consent_names[c] : "unknown";
}

int consent_parse(const char *s)
{
	for (int i = 0; s && i < CONSENT_COUNT; i++)
		if (strcmp(s, consent_names[i]) == 0)
			return i;
	return -1;
}

static const char *const role_names[ROLE_COUNT] = {
	"anonymous", "resident", "org_member", "org_admin",
	"officer",   "supervisor", "overseer", "admin",
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "unknown";
}

int role_parse(const char *s)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}

static const char *const kind_names[ORG_KIND_COUNT] = {"police", "community", "oversight"};

const char *org_kind_name(enum org_kind k)
{
	return (unsigned)k < ORG_KIND_COUNT ? kind_names[k] : "unknown";
}

int org_kind_parse(const char *s)
{
	for (int i = 0; i < ORG_KIND_COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

int role_fits_org(enum role r, enum org_kind k)
{
	switch (r) {
	case ROLE_ORG_MEMBER:
	case ROLE_ORG_ADMIN: return k == ORG_COMMUNITY;
	case ROLE_OFFICER:
	case ROLE_SUPERVISOR: return k == ORG_POLICE;
	case ROLE_OVERSEER: return k == ORG_OVERSIGHT;
	default: return 0;
	}
}
