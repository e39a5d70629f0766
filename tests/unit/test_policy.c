/* Walks the whole role x action matrix of domain/policy.c against an
 * expectation written out independently here, then checks that scoped
 * permissions hold only in the actor's own organisation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/policy.h"

/* One string per action: the scope for anon, resident, org_member,
 * org_admin, officer, supervisor, overseer, admin; N none, O own org, A any. */
static const struct {
	enum action a;
	const char *name;
	const char *cells;
} expect[] = {
	{ACT_ORG_LIST, "org.list", "AAAAAAAA"},
	{ACT_ORG_VIEW, "org.view", "AAAAAAAA"},
	{ACT_ORG_CREATE, "org.create", "NNNNNNNA"},
	{ACT_ORG_UPDATE, "org.update", "NNNONONA"},
	{ACT_ORG_DELETE, "org.delete", "NNNNNNNA"},
	{ACT_AREA_LIST, "area.list", "AAAAAAAA"},
	{ACT_AREA_VIEW, "area.view", "AAAAAAAA"},
	{ACT_AREA_CREATE, "area.create", "NNNNNNNA"},
	{ACT_AREA_UPDATE, "area.update", "NNNNNNNA"},
	{ACT_AREA_DELETE, "area.delete", "NNNNNNNA"},
	{ACT_MEMBER_LIST, "member.list", "NNOOOOOA"},
	{ACT_MEMBER_ADD, "member.add", "NNNONONA"},
	{ACT_MEMBER_UPDATE, "member.update", "NNNONONA"},
	{ACT_MEMBER_REMOVE, "member.remove", "NNNONONA"},
	{ACT_USER_LIST, "user.list", "NNNNNNNA"},
	{ACT_USER_CREATE, "user.create", "NNNNNNNA"},
	{ACT_ACCOUNT_VIEW, "account.view", "NAAAAAAA"},
	{ACT_ACCOUNT_UPDATE, "account.update", "NAAAAAAA"},
	{ACT_SURVEY_VIEW, "survey.view", "AAAAAAAA"},
	{ACT_SURVEY_RESPOND, "survey.respond", "AAAAAAAA"},
	{ACT_SURVEY_MANAGE, "survey.manage", "NNNNNOOA"},
	{ACT_POPULATION_MANAGE, "population.manage", "NNNNNNNA"},
	{ACT_WORKFORCE_VIEW, "workforce.view", "AAAAAAAA"},
	{ACT_WORKFORCE_MANAGE, "workforce.manage", "NNNNNONA"},
	{ACT_TRUST_SETTINGS, "trust.settings", "NNNNNNNA"},
	{ACT_LOG_READ, "log.read", "AAAAAAAA"},
	{ACT_LOG_WITNESS_LIST, "log.witness.list", "AAAAAAAA"},
	{ACT_LOG_WITNESS_ADD, "log.witness.add", "NNNNNNNA"},
	{ACT_LOG_COSIGN, "log.cosign", "NNNNNNON"},
	{ACT_MEETING_LIST, "meeting.list", "AAAAAAAA"},
	{ACT_MEETING_VIEW, "meeting.view", "AAAAAAAA"},
	{ACT_MEETING_VIEW_PRIVATE, "meeting.view_private", "NNOOOOOA"},
	{ACT_MEETING_CREATE, "meeting.create", "NNNOOOOA"},
	{ACT_MEETING_UPDATE, "meeting.update", "NNNOOOOA"},
	{ACT_MEETING_CANCEL, "meeting.cancel", "NNNOOOOA"},
	{ACT_MEETING_REGISTER, "meeting.register", "NAAAAAAA"},
	{ACT_COMMITMENT_LIST, "commitment.list", "AAAAAAAA"},
	{ACT_COMMITMENT_VIEW, "commitment.view", "AAAAAAAA"},
	{ACT_COMMITMENT_CREATE, "commitment.create", "NNNOOONA"},
	{ACT_COMMITMENT_UPDATE, "commitment.update", "NNNOOONA"},
	{ACT_COMMITMENT_PROGRESS, "commitment.progress", "NNNOOONN"},
	{ACT_COMMITMENT_DECLINE, "commitment.decline", "NNNONONN"},
	{ACT_COMMITMENT_CONFIRM, "commitment.confirm", "NNNONNNN"},
	{ACT_RECOMMENDATION_LIST, "recommendation.list", "AAAAAAAA"},
	{ACT_RECOMMENDATION_VIEW, "recommendation.view", "AAAAAAAA"},
	{ACT_RECOMMENDATION_CREATE, "recommendation.create", "NNOONNOA"},
	{ACT_RECOMMENDATION_RESPOND, "recommendation.respond", "NNNONONN"},
	{ACT_CONSULT_LIST, "consult.list", "AAAAAAAA"},
	{ACT_CONSULT_VIEW, "consult.view", "AAAAAAAA"},
	{ACT_CONSULT_CREATE, "consult.create", "NNNOOONA"},
	{ACT_CONSULT_UPDATE, "consult.update", "NNNOOONA"},
	{ACT_CONSULT_MODERATE, "consult.moderate", "NNOOOONA"},
	{ACT_CONSULT_PARTICIPATE, "consult.participate", "AAAAAAAA"},
	{ACT_CONSULT_EXPORT, "consult.export", "NNOOOOAA"},
	{ACT_CONSULT_IMPORT, "consult.import", "NNNOOONA"},
	{ACT_CATEGORY_LIST, "category.list", "AAAAAAAA"},
	{ACT_CATEGORY_CREATE, "category.create", "NNNNNNNA"},
	{ACT_CATEGORY_UPDATE, "category.update", "NNNNNNNA"},
	{ACT_REPORT_FILE, "report.file", "AAAAAAAA"},
	{ACT_REPORT_FILE_VIA, "report.file_via", "NNOONNNN"},
	{ACT_REPORT_TRIAGE, "report.triage", "NNOOOONN"},
	{ACT_REPORT_READ, "report.read", "NNOOOONN"},
	{ACT_REPORT_STATUS, "report.status", "NNOOOONN"},
	{ACT_REPORT_MESSAGE, "report.message", "NNOOOONN"},
	{ACT_REPORT_OVERRIDE, "report.override", "NNNNNONN"},
	{ACT_REPORT_STATS, "report.stats", "AAAAAAAA"},
};

/* What staff see of a report: rows none, police, via; columns statistics,
 * anonymous, identified; N nothing, C content without identity, F full. */
static const char *const expect_views[REPORT_REL_COUNT] = {"NNN", "NCF", "FFF"};

static enum scope scope_of(char c)
{
	return c == 'A' ? SCOPE_ANY : c == 'O' ? SCOPE_ORG : SCOPE_NONE;
}

static void test_every_cell(void **state)
{
	(void)state;
	/* Every action is covered by the expectation. */
	assert_int_equal(sizeof expect / sizeof expect[0], ACT_COUNT);
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		assert_string_equal(action_name(expect[i].a), expect[i].name);
		for (int r = 0; r < ROLE_COUNT; r++) {
			enum scope want = scope_of(expect[i].cells[r]);
			enum scope got = policy_scope((enum role)r, expect[i].a);
			if (want != got)
				fail_msg("%s for %s: want %d, got %d", expect[i].name,
					 role_name((enum role)r), want, got);
		}
	}
}

static struct actor make_actor(enum role role, int64_t org)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	if (role == ROLE_ANON)
		return a;
	a.user_id = 42;
	if (role == ROLE_ADMIN)
		a.is_admin = 1;
	if (role >= ROLE_ORG_MEMBER && role <= ROLE_OVERSEER) {
		a.n_memberships = 1;
		a.memberships[0].org_id = org;
		a.memberships[0].role = role;
		a.memberships[0].org_kind = role <= ROLE_ORG_ADMIN ? ORG_COMMUNITY
					    : role == ROLE_OVERSEER ? ORG_OVERSIGHT
								    : ORG_POLICE;
	}
	return a;
}

/* policy_allows agrees with the table: N never, A always, O only in the
 * actor's own organisation (7) and never in another (8). */
static void test_allows_follows_scope(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		for (int r = 0; r < ROLE_COUNT; r++) {
			struct actor a = make_actor((enum role)r, 7);
			char c = expect[i].cells[r];
			/* A resident-level permission applies to every signed-in role. */
			int any = c == 'A' || (r != ROLE_ANON && expect[i].cells[ROLE_RESIDENT] == 'A');
			int own = policy_allows(&a, expect[i].a, 7);
			int other = policy_allows(&a, expect[i].a, 8);
			if (own != (any || c == 'O') || other != any)
				fail_msg("%s for %s: own %d other %d", expect[i].name,
					 role_name((enum role)r), own, other);
		}
	}
}

static enum report_view view_of(char c)
{
	return c == 'F' ? REPORT_VIEW_FULL : c == 'C' ? REPORT_VIEW_CONTENT : REPORT_VIEW_NONE;
}

static void test_report_views(void **state)
{
	(void)state;
	for (int rel = 0; rel < REPORT_REL_COUNT; rel++)
		for (int c = 0; c < CONSENT_COUNT; c++)
			if (policy_report_view((enum report_rel)rel, (enum consent_level)c) !=
			    view_of(expect_views[rel][c]))
				fail_msg("report view rel %d consent %s", rel,
					 consent_name((enum consent_level)c));
	for (int c = 0; c < CONSENT_COUNT; c++)
		assert_int_equal(consent_parse(consent_name((enum consent_level)c)), c);
	assert_int_equal(consent_parse("public"), -1);
}

/* policy_report_access: membership in the report's organisations decides,
 * and only of the right kind; residents, overseers and admins see nothing. */
static void test_report_access(void **state)
{
	(void)state;
	int idx;
	struct actor officer = make_actor(ROLE_OFFICER, 7);
	struct actor member = make_actor(ROLE_ORG_MEMBER, 9);
	struct actor overseer = make_actor(ROLE_OVERSEER, 7);
	struct actor admin = make_actor(ROLE_ADMIN, 0);
	struct actor resident = make_actor(ROLE_RESIDENT, 0);
	for (int c = 0; c < CONSENT_COUNT; c++) {
		enum consent_level cl = (enum consent_level)c;
		assert_int_equal(policy_report_access(&officer, 7, 9, cl, &idx),
				 view_of(expect_views[REPORT_REL_POLICE][c]));
		/* An officer's org id as the via org gives nothing. */
		assert_int_equal(policy_report_access(&officer, 8, 7, cl, &idx), REPORT_VIEW_NONE);
		assert_int_equal(policy_report_access(&member, 7, 9, cl, &idx), REPORT_VIEW_FULL);
		assert_int_equal(idx, 0);
		assert_int_equal(policy_report_access(&member, 9, 0, cl, &idx), REPORT_VIEW_NONE);
		assert_int_equal(idx, -1);
		assert_int_equal(policy_report_access(&overseer, 7, 7, cl, &idx), REPORT_VIEW_NONE);
		assert_int_equal(policy_report_access(&admin, 7, 9, cl, &idx), REPORT_VIEW_NONE);
		assert_int_equal(policy_report_access(&resident, 7, 9, cl, &idx), REPORT_VIEW_NONE);
		assert_int_equal(policy_report_access(NULL, 7, 9, cl, &idx), REPORT_VIEW_NONE);
	}
}

static void test_null_actor_is_anonymous(void **state)
{
	(void)state;
	assert_true(policy_allows(NULL, ACT_ORG_LIST, 0));
	assert_false(policy_allows(NULL, ACT_ORG_CREATE, 0));
	assert_false(policy_allows(NULL, ACT_COUNT, 0));
}

/* policy_role names the role that allows an action, most specific first. */
static void test_role_for_log(void **state)
{
	(void)state;
	const struct membership *m;
	struct actor a = make_actor(ROLE_ORG_ADMIN, 7);
	assert_int_equal(policy_role(&a, ACT_MEMBER_ADD, 7, &m), ROLE_ORG_ADMIN);
	assert_ptr_equal(m, &a.memberships[0]);
	assert_int_equal(policy_role(&a, ACT_MEMBER_ADD, 8, &m), ROLE_ANON);
	assert_null(m);
	/* An admin who is also an org admin acts as org admin in that org,
	 * as admin elsewhere. */
	a.is_admin = 1;
	assert_int_equal(policy_role(&a, ACT_MEMBER_ADD, 7, &m), ROLE_ORG_ADMIN);
	assert_int_equal(policy_role(&a, ACT_MEMBER_ADD, 8, &m), ROLE_ADMIN);
	assert_null(m);
	struct actor o = make_actor(ROLE_OVERSEER, 7);
	assert_int_equal(policy_role(&o, ACT_LOG_COSIGN, 7, NULL), ROLE_OVERSEER);
	assert_int_equal(policy_role(&o, ACT_LOG_COSIGN, 8, NULL), ROLE_ANON);
	struct actor r = make_actor(ROLE_RESIDENT, 7);
	assert_int_equal(policy_role(&r, ACT_ACCOUNT_VIEW, 0, &m), ROLE_RESIDENT);
	assert_int_equal(policy_role(NULL, ACT_LOG_READ, 0, &m), ROLE_ANON);
}

static void test_roles_and_kinds(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_int_equal(role_parse(role_name((enum role)r)), r);
	assert_int_equal(role_parse("superuser"), -1);
	assert_true(role_fits_org(ROLE_OFFICER, ORG_POLICE));
	assert_false(role_fits_org(ROLE_OFFICER, ORG_COMMUNITY));
	assert_true(role_fits_org(ROLE_ORG_ADMIN, ORG_COMMUNITY));
	assert_false(role_fits_org(ROLE_ORG_ADMIN, ORG_OVERSIGHT));
	assert_true(role_fits_org(ROLE_OVERSEER, ORG_OVERSIGHT));
	assert_false(role_fits_org(ROLE_ADMIN, ORG_POLICE));
	assert_int_equal(org_kind_parse("oversight"), ORG_OVERSIGHT);
	assert_int_equal(org_kind_parse("army"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_cell),
		cmocka_unit_test(test_allows_follows_scope),
		cmocka_unit_test(test_report_views),
		cmocka_unit_test(test_report_access),
		cmocka_unit_test(test_null_actor_is_anonymous),
		cmocka_unit_test(test_role_for_log),
		cmocka_unit_test(test_roles_and_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
