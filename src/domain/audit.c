/* audit.c - accountability log entries for actions of the domain. */
#include "domain/audit.h"

#include "tlog/tlog.h"

enum err audit_record(struct store_conn *c, const struct actor *actor, enum action action,
                      int64_t target_org, const char *object, const char *purpose)
{
	struct tlog_entry e = {0,      "console", "operator", NULL, action_name(action),
	                       object, purpose};
	if (actor) {
		const struct membership *m;
		enum role r = policy_role(actor, action, target_org, &m);
		if (r == ROLE_ANON)
			return ERR_FORBIDDEN;
		e.actor_id = actor->public_id;
		e.role = role_name(r);
		e.org = m ? m->org_slug : NULL;
	}
	uint64_t index;
	return tlog_append(c, &e, &index);
}
