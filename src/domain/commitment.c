/* commitment.c - "You said, we did" commitments on the store interface,
 * with every change appended to the accountability log in its own
 * transaction (commitment_log). */
#include "domain/commitment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/field.h"
#include "domain/org.h"
#include "tlog/tlog.h"

#define COMMITMENT_MAX_MEETINGS 20
#define COMMITMENT_MAX_EVIDENCE 10

static const char *const statuses[] = {"proposed",  "accepted", "in_progress", "done",
                                       "confirmed", "disputed", "declined"};

int commitment_status_valid(const char *s)
{
	for (size_t i = 0; s && i < sizeof statuses / sizeof statuses[0]; i++)
		if (!strcmp(s, statuses[i]))
			return 1;
	return 0;
}

/* The state machine: every move there is, who makes it, and whether it
 * needs a reason. Anything else is a conflict. */
static const struct {
	const char *from, *to;
	enum action action;
	enum commitment_side side;
	int needs_reason;
} moves[] = {
    {"proposed", "accepted", ACT_COMMITMENT_PROGRESS, COMMITMENT_OWNER, 0},
    {"proposed", "declined", ACT_COMMITMENT_DECLINE, COMMITMENT_OWNER, 1},
    {"accepted", "in_progress", ACT_COMMITMENT_PROGRESS, COMMITMENT_OWNER, 0},
    {"accepted", "done", ACT_COMMITMENT_PROGRESS, COMMITMENT_OWNER, 0},
    {"accepted", "declined", ACT_COMMITMENT_DECLINE, COMMITMENT_OWNER, 1},
    {"in_progress", "done", ACT_COMMITMENT_PROGRESS, COMMITMENT_OWNER, 0},
    {"in_progress", "declined", ACT_COMMITMENT_DECLINE, COMMITMENT_OWNER, 1},
    {"done", "confirmed", ACT_COMMITMENT_CONFIRM, COMMITMENT_COCHAIR, 0},
    {"done", "disputed", ACT_COMMITMENT_CONFIRM, COMMITMENT_COCHAIR, 1},
    {"disputed", "done", ACT_COMMITMENT_PROGRESS, COMMITMENT_OWNER, 1},
    {"disputed", "in_progress", ACT_COMMITMENT_PROGRESS, COMMITMENT_OWNER, 1},
};

int commitment_move(const char *from, const char *to, enum action *action,
                    enum commitment_side *side, int *needs_reason)
{
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (from && to && !strcmp(moves[i].from, from) && !strcmp(moves[i].to, to)) {
			*action = moves[i].action;
			*side = moves[i].side;
			*needs_reason = moves[i].needs_reason;
			return 1;
		}
	return 0;
}

/* Runs st to completion; returns its error. Resets it. */
/* THE one place where commitments reach the accountability log: appends
 * "actor did action to commitment:ID for purpose" inside the caller's
 * transaction; the caller fails (rolls back) if this fails. purpose holds
 * statuses and numbers only, never the free text of a reason. */
static enum err commitment_log(struct store_conn *c, const struct actor *actor, enum action action,
                               int64_t org, int64_t id, const char *purpose, uint64_t *index)
{
	const struct membership *m;
	enum role r = policy_role(actor, action, org, &m);
	if (r == ROLE_ANON)
		return ERR_FORBIDDEN;
	char object[40];
	snprintf(object, sizeof object, "commitment:%lld", (long long)id);
	struct tlog_entry e = {
	    0,      actor->public_id, role_name(r), m ? m->org_slug : NULL, action_name(action),
	    object, purpose};
	return tlog_append(c, &e, index);
}

static enum err check_meetings(struct store_conn *c, json_t *list, int64_t *ids, size_t *n,
                               struct errinfo *ei)
{
	*n = 0;
	if (!json_is_array(list) || json_array_size(list) > COMMITMENT_MAX_MEETINGS)
		return err_set(ei, ERR_INVAL, "meetings",
		               "must be a list of at most %d meeting ids", COMMITMENT_MAX_MEETINGS);
	static const char sql[] = "SELECT 1 FROM meetings WHERE id = ? AND is_public = 1";
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		struct store_stmt *st = store_prepare(c, sql);
		if (!st)
			return err_set(ei, ERR_STORE, "", "database error");
		int64_t id = json_is_integer(v) ? json_integer_value(v) : 0;
		store_bind_int(st, 1, id);
		int found = store_step(st) == STORE_ROW;
		store_reset(st);
		if (!found)
			return err_set(ei, ERR_INVAL, "meetings",
			               "item %zu is not the id of a public meeting", i + 1);
		int dup = 0;
		for (size_t k = 0; k < *n; k++)
			dup |= ids[k] == id;
		if (!dup)
			ids[(*n)++] = id;
	}
	return ERR_OK;
}

static enum err write_meetings(struct store_conn *c, int64_t id, const int64_t *ids, size_t n)
{
	static const char del[] = "DELETE FROM commitment_meetings WHERE commitment_id = ?";
	static const char ins[] =
	    "INSERT INTO commitment_meetings (commitment_id, meeting_id) VALUES (?, ?)";
	return store_replace_links(c, del, ins, id, ids, n);
}

static enum err check_date(const char *field, const char *s, struct errinfo *ei)
{
	if (s && *s && !field_date_valid(s))
		return err_set(ei, ERR_INVAL, field, "must be a date such as 2026-12-31");
	return ERR_OK;
}

/* The parts of a commitment that decide who acts. */
struct cstate {
	int64_t owner, cochair;
	char status[16];
	int64_t progress;
	char start_date[11], due_date[11];
};

static enum err cstate_load(struct store_conn *c, int64_t id, struct cstate *s)
{
	static const char sql[] = "SELECT owner_org_id, cochair_org_id, status, progress, "
	                          "COALESCE(start_date, ''), COALESCE(due_date, '') "
	                          "FROM commitments WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (r == STORE_ROW) {
		s->owner = store_col_int(st, 0);
		s->cochair = store_col_int(st, 1);
		snprintf(s->status, sizeof s->status, "%s", store_col_text(st, 2));
		s->progress = store_col_int(st, 3);
		snprintf(s->start_date, sizeof s->start_date, "%s", store_col_text(st, 4));
		snprintf(s->due_date, sizeof s->due_date, "%s", store_col_text(st, 5));
	}
	store_reset(st);
	return e;
}

static enum err check_wording(const struct commitment_in *in, int creating, struct errinfo *ei)
{
	enum err e;
	if ((e = field_text(ei, "title", in->title, 200, creating)) ||
	    (e = field_text(ei, "raised", in->raised, 4000, 0)) ||
	    (e = field_text(ei, "pledge", in->pledge, 4000, 0)) ||
	    (e = check_date("start_date", in->start_date, ei)) ||
	    (e = check_date("due_date", in->due_date, ei)))
		return e;
	if (!creating && in->title && !*in->title)
		return err_set(ei, ERR_INVAL, "title", "must not be empty");
	return ERR_OK;
}

enum err commitment_create(struct store_conn *c, const struct actor *actor,
                           const struct commitment_in *in, int64_t *idp, struct errinfo *ei)
{
	if (!policy_allows(actor, ACT_COMMITMENT_CREATE, 0))
		return err_set(ei, actor && actor->user_id ? ERR_FORBIDDEN : ERR_UNAUTH, "",
		               "your role does not allow commitment.create");
	enum err e = check_wording(in, 1, ei);
	if (e)
		return e;
	int64_t area = 0, owner = 0, cochair = 0;
	enum org_kind ck;
	if (!in->area)
		return err_set(ei, ERR_INVAL, "area", "is required");
	if ((e = area_find(c, in->area, &area)))
		return err_set(ei, e == ERR_NOTFOUND ? ERR_INVAL : e, "area",
		               "no area has this slug");
	if (!in->owner || (e = org_find(c, in->owner, &owner, NULL)))
		return err_set(ei, ERR_INVAL, "owner", "must be the slug of an organisation");
	if (!in->cochair || (e = org_find(c, in->cochair, &cochair, &ck)))
		return err_set(ei, ERR_INVAL, "cochair", "must be the slug of an organisation");
	if (ck != ORG_COMMUNITY)
		return err_set(ei, ERR_INVAL, "cochair", "must be a community organisation");
	if (cochair == owner)
		return err_set(ei, ERR_INVAL, "cochair", "must not be the owner");
	if (in->start_date && in->due_date && *in->start_date && *in->due_date &&
	    strcmp(in->due_date, in->start_date) < 0)
		return err_set(ei, ERR_INVAL, "due_date", "must not be before the start date");
	int64_t mids[COMMITMENT_MAX_MEETINGS];
	size_t nm = 0;
	if (in->meetings && (e = check_meetings(c, in->meetings, mids, &nm, ei)))
		return e;
	int64_t org = policy_allows(actor, ACT_COMMITMENT_CREATE, owner)     ? owner
	              : policy_allows(actor, ACT_COMMITMENT_CREATE, cochair) ? cochair
	                                                                     : 0;
	if (!org)
		return err_set(ei, ERR_FORBIDDEN, "owner",
		               "you can only create commitments of which your organisation is the "
		               "owner or the co-chair");
	if ((e = store_begin(c)))
		return err_set(ei, e, "", "database error");
	static const char sql[] =
	    "INSERT INTO commitments (title, raised, pledge, area_id, owner_org_id, "
	    "cochair_org_id, start_date, due_date, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
	struct store_stmt *st = store_prepare(c, sql);
	int64_t id = 0, now = clock_now();
	if (!st) {
		e = ERR_STORE;
	} else {
		store_bind_text(st, 1, in->title);
		store_bind_text(st, 2, in->raised ? in->raised : "");
		store_bind_text(st, 3, in->pledge ? in->pledge : "");
		store_bind_int(st, 4, area);
		store_bind_int(st, 5, owner);
		store_bind_int(st, 6, cochair);
		store_bind_text(st, 7, in->start_date && *in->start_date ? in->start_date : NULL);
		store_bind_text(st, 8, in->due_date && *in->due_date ? in->due_date : NULL);
		store_bind_int(st, 9, now);
		store_bind_int(st, 10, now);
		if (store_step(st) == STORE_ROW)
			id = store_col_int(st, 0);
		else
			e = store_stmt_err(st);
		store_reset(st);
	}
	if (!e)
		e = write_meetings(c, id, mids, nm);
	uint64_t index;
	if (!e)
		e = commitment_log(c, actor, ACT_COMMITMENT_CREATE, org, id, "status proposed",
		                   &index);
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		return err_set(ei, e, "", "database error");
	}
	if (idp)
		*idp = id;
	return ERR_OK;
}

/* The side org the actor acts for with action, or 0. */
static int64_t acting_org(const struct actor *actor, enum action a, const struct cstate *s,
                          enum commitment_side side)
{
	int64_t org = side == COMMITMENT_OWNER ? s->owner : s->cochair;
	return policy_allows(actor, a, org) ? org : 0;
}

enum err commitment_update(struct store_conn *c, const struct actor *actor, int64_t id,
                           const struct commitment_in *in, struct errinfo *ei)
{
	struct cstate s;
	enum err e = cstate_load(c, id, &s);
	if (e)
		return err_set(ei, e, "id",
		               e == ERR_NOTFOUND ? "no commitment has this id" : "database error");
	int64_t org = acting_org(actor, ACT_COMMITMENT_UPDATE, &s, COMMITMENT_OWNER);
	if (!org)
		org = acting_org(actor, ACT_COMMITMENT_UPDATE, &s, COMMITMENT_COCHAIR);
	if (!org)
		return err_set(ei, actor && actor->user_id ? ERR_FORBIDDEN : ERR_UNAUTH, "",
		               "only the owner or the co-chair may change a commitment");
	if (in->owner || in->cochair)
		return err_set(ei, ERR_INVAL, in->owner ? "owner" : "cochair",
		               "cannot change: make a new commitment");
	if ((e = check_wording(in, 0, ei)))
		return e;
	int64_t area = 0;
	if (in->area && (e = area_find(c, in->area, &area)))
		return err_set(ei, e == ERR_NOTFOUND ? ERR_INVAL : e, "area",
		               "no area has this slug");
	const char *start = in->start_date ? in->start_date : s.start_date;
	const char *due = in->due_date ? in->due_date : s.due_date;
	if (*start && *due && strcmp(due, start) < 0)
		return err_set(ei, ERR_INVAL, "due_date", "must not be before the start date");
	int64_t mids[COMMITMENT_MAX_MEETINGS];
	size_t nm = 0;
	if (in->meetings && (e = check_meetings(c, in->meetings, mids, &nm, ei)))
		return e;
	if ((e = store_begin(c)))
		return err_set(ei, e, "", "database error");
	static const char sql[] =
	    "UPDATE commitments SET title = COALESCE(?, title), raised = COALESCE(?, raised), "
	    "pledge = COALESCE(?, pledge), area_id = COALESCE(?, area_id), start_date = ?, "
	    "due_date = ?, updated_at = ? WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		e = ERR_STORE;
	} else {
		store_bind_text(st, 1, in->title);
		store_bind_text(st, 2, in->raised);
		store_bind_text(st, 3, in->pledge);
		if (area)
			store_bind_int(st, 4, area);
		else
			store_bind_null(st, 4);
		store_bind_text(st, 5, *start ? start : NULL);
		store_bind_text(st, 6, *due ? due : NULL);
		store_bind_int(st, 7, clock_now());
		store_bind_int(st, 8, id);
		e = store_run(st);
	}
	if (!e && in->meetings)
		e = write_meetings(c, id, mids, nm);
	uint64_t index;
	if (!e)
		e = commitment_log(c, actor, ACT_COMMITMENT_UPDATE, org, id, "wording or dates",
		                   &index);
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		return err_set(ei, e, "", "database error");
	}
	return ERR_OK;
}

static enum err add_update_row(struct store_conn *c, int64_t id, const char *kind,
                               const char *status, int64_t progress, const char *body,
                               const char *evidence, int64_t org, uint64_t index)
{
	static const char sql[] =
	    "INSERT INTO commitment_updates (commitment_id, created_at, kind, status, progress, "
	    "body, evidence, org_id, log_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, clock_now());
	store_bind_text(st, 3, kind);
	store_bind_text(st, 4, status);
	store_bind_int(st, 5, progress);
	store_bind_text(st, 6, body ? body : "");
	store_bind_text(st, 7, evidence ? evidence : "");
	store_bind_int(st, 8, org);
	store_bind_int(st, 9, (int64_t)index);
	return store_run(st);
}

/* 1 if the actor holds any role in organisation org. */
static int member_of(const struct actor *a, int64_t org)
{
	for (int i = 0; a && i < a->n_memberships; i++)
		if (a->memberships[i].org_id == org)
			return 1;
	return 0;
}

enum err commitment_set_status(struct store_conn *c, const struct actor *actor, int64_t id,
                               const char *to, const char *reason, int progress, struct errinfo *ei)
{
	if (!actor || !actor->user_id)
		return err_set(ei, ERR_UNAUTH, "", "sign in first");
	if (!commitment_status_valid(to))
		return err_set(ei, ERR_INVAL, "status",
		               "must be one of proposed, accepted, in_progress, done, confirmed, "
		               "disputed, declined");
	if (progress < -1 || progress > 100)
		return err_set(ei, ERR_INVAL, "progress", "must be a whole number from 0 to 100");
	enum err e = store_begin(c);
	if (e)
		return err_set(ei, e, "", "database error");
	/* Read the status inside the transaction (a write transaction on
	 * SQLite; on PostgreSQL the UPDATE below checks it again), so two
	 * confirmations cannot both pass. */
	struct cstate s;
	if ((e = cstate_load(c, id, &s))) {
		store_rollback(c);
		return err_set(ei, e, "id",
		               e == ERR_NOTFOUND ? "no commitment has this id" : "database error");
	}
	enum action action;
	enum commitment_side side;
	int needs_reason;
	if (!commitment_move(s.status, to, &action, &side, &needs_reason)) {
		store_rollback(c);
		return err_set(ei, ERR_CONFLICT, "status",
		               "a commitment that is %s cannot become %s", s.status, to);
	}
	int64_t org = acting_org(actor, action, &s, side);
	if (!org) {
		store_rollback(c);
		return err_set(ei, ERR_FORBIDDEN, "status", "only %s can make it %s",
		               side == COMMITMENT_OWNER ? "the owner organisation"
		                                        : "the co-chair organisation",
		               to);
	}
	if (side == COMMITMENT_COCHAIR && member_of(actor, s.owner)) {
		store_rollback(c);
		return err_set(
		    ei, ERR_FORBIDDEN, "status",
		    "a member of the owner organisation cannot judge its own commitment");
	}
	if (needs_reason && (!reason || !*reason)) {
		store_rollback(c);
		return err_set(ei, ERR_INVAL, "reason", "is required to make it %s", to);
	}
	if ((e = field_text(ei, "reason", reason, 4000, 0))) {
		store_rollback(c);
		return e;
	}
	int64_t p = progress >= 0 ? progress : s.progress;
	if (!strcmp(to, "done") || !strcmp(to, "confirmed"))
		p = 100;
	int keeps_reason = !strcmp(to, "declined") || !strcmp(to, "disputed");
	static const char sql[] = "UPDATE commitments SET status = ?, progress = ?, "
	                          "status_reason = ?, updated_at = ? WHERE id = ? AND status = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		e = ERR_STORE;
	} else {
		store_bind_text(st, 1, to);
		store_bind_int(st, 2, p);
		store_bind_text(st, 3, keeps_reason ? reason : "");
		store_bind_int(st, 4, clock_now());
		store_bind_int(st, 5, id);
		store_bind_text(st, 6, s.status);
		e = store_run(st);
		if (!e && store_changes(c) != 1)
			e = ERR_CONFLICT;
	}
	char purpose[80];
	snprintf(purpose, sizeof purpose, "status %s -> %s, progress %lld", s.status, to,
	         (long long)p);
	uint64_t index = 0;
	if (!e)
		e = commitment_log(c, actor, action, org, id, purpose, &index);
	if (!e)
		e = add_update_row(c, id, "status", to, p, reason, NULL, org, index);
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		if (e == ERR_CONFLICT)
			return err_set(ei, e, "status", "the commitment changed meanwhile; reload");
		return err_set(ei, e, "", "database error");
	}
	return ERR_OK;
}

enum err commitment_add_update(struct store_conn *c, const struct actor *actor, int64_t id,
                               const char *text, int progress, json_t *evidence, struct errinfo *ei)
{
	if (!actor || !actor->user_id)
		return err_set(ei, ERR_UNAUTH, "", "sign in first");
	struct cstate s;
	enum err e = cstate_load(c, id, &s);
	if (e)
		return err_set(ei, e, "id",
		               e == ERR_NOTFOUND ? "no commitment has this id" : "database error");
	int64_t org = acting_org(actor, ACT_COMMITMENT_PROGRESS, &s, COMMITMENT_OWNER);
	if (!org)
		return err_set(ei, ERR_FORBIDDEN, "",
		               "only the owner organisation reports progress");
	if (strcmp(s.status, "accepted") && strcmp(s.status, "in_progress") &&
	    strcmp(s.status, "disputed"))
		return err_set(ei, ERR_CONFLICT, "status",
		               "progress is reported while a commitment is accepted, in progress "
		               "or disputed (it is %s)",
		               s.status);
	if ((e = field_text(ei, "text", text, 4000, 1)))
		return e;
	if (progress < 0 || progress > 100)
		return err_set(ei, ERR_INVAL, "progress", "must be a whole number from 0 to 100");
	struct buf ev;
	buf_init(&ev);
	if (evidence) {
		size_t i;
		json_t *v;
		if (!json_is_array(evidence) ||
		    json_array_size(evidence) > COMMITMENT_MAX_EVIDENCE) {
			buf_clear(&ev);
			return err_set(ei, ERR_INVAL, "evidence",
			               "must be a list of at most %d links",
			               COMMITMENT_MAX_EVIDENCE);
		}
		json_array_foreach(evidence, i, v)
		{
			if (!field_url_valid(json_string_value(v))) {
				buf_clear(&ev);
				return err_set(ei, ERR_INVAL, "evidence",
				               "item %zu is not an http(s) link", i + 1);
			}
			if (ev.len)
				buf_putc(&ev, '\n');
			buf_puts(&ev, json_string_value(v));
		}
	}
	if ((e = store_begin(c))) {
		buf_clear(&ev);
		return err_set(ei, e, "", "database error");
	}
	static const char sql[] = "UPDATE commitments SET progress = ?, updated_at = ? "
	                          "WHERE id = ? AND status = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		e = ERR_STORE;
	} else {
		store_bind_int(st, 1, progress);
		store_bind_int(st, 2, clock_now());
		store_bind_int(st, 3, id);
		store_bind_text(st, 4, s.status);
		e = store_run(st);
		if (!e && store_changes(c) != 1)
			e = ERR_CONFLICT;
	}
	char purpose[48];
	snprintf(purpose, sizeof purpose, "progress %d", progress);
	uint64_t index = 0;
	if (!e)
		e = commitment_log(c, actor, ACT_COMMITMENT_PROGRESS, org, id, purpose, &index);
	if (!e)
		e = add_update_row(c, id, "progress", s.status, progress, text,
		                   ev.data ? ev.data : "", org, index);
	buf_clear(&ev);
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		return err_set(ei, e, "", "database error");
	}
	return ERR_OK;
}

/* --- reading ----------------------------------------------------------------- */

static int is_overdue(const char *status, const char *due, const char *today)
{
	return due && *due && strcmp(due, today) < 0 && strcmp(status, "done") &&
	       strcmp(status, "confirmed") && strcmp(status, "declined");
}

static json_t *time_json(int64_t t)
{
	char ts[32];
	clock_format_rfc3339(t, ts);
	return json_string(ts);
}

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

#define COMMITMENT_COLUMNS                                                                         \
	"SELECT c.id, c.title, c.raised, c.pledge, a.slug, a.name, o.slug, o.name, o.kind, "       \
	"h.slug, h.name, h.kind, c.start_date, c.due_date, c.status, c.progress, "                 \
	"c.status_reason, c.created_at, c.updated_at, (SELECT COUNT(*) FROM commitment_updates "   \
	"u WHERE u.commitment_id = c.id) FROM commitments c JOIN areas a ON a.id = c.area_id "     \
	"JOIN orgs o ON o.id = c.owner_org_id JOIN orgs h ON h.id = c.cochair_org_id "

static json_t *row_json(struct store_stmt *st, const char *today)
{
	const char *status = store_col_text(st, 14), *due = store_col_text(st, 13);
	return json_pack(
	    "{s:I, s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:o, "
	    "s:o, s:s, s:I, s:s, s:o, s:o, s:I, s:b}",
	    "id", (json_int_t)store_col_int(st, 0), "title", store_col_text(st, 1), "raised",
	    store_col_text(st, 2), "pledge", store_col_text(st, 3), "area", "slug",
	    store_col_text(st, 4), "name", store_col_text(st, 5), "owner", "slug",
	    store_col_text(st, 6), "name", store_col_text(st, 7), "kind", store_col_text(st, 8),
	    "cochair", "slug", store_col_text(st, 9), "name", store_col_text(st, 10), "kind",
	    store_col_text(st, 11), "start_date", opt_str(store_col_text(st, 12)), "due_date",
	    opt_str(due), "status", status, "progress", (json_int_t)store_col_int(st, 15),
	    "status_reason", store_col_text(st, 16), "created", time_json(store_col_int(st, 17)),
	    "updated", time_json(store_col_int(st, 18)), "updates_count",
	    (json_int_t)store_col_int(st, 19), "overdue", is_overdue(status, due, today));
}

static json_t *linked_meetings(struct store_conn *c, int64_t id)
{
	static const char sql[] =
	    "SELECT m.id, m.title, m.starts_at FROM commitment_meetings cm "
	    "JOIN meetings m ON m.id = cm.meeting_id WHERE cm.commitment_id = "
	    "? AND m.is_public = 1 ORDER BY m.starts_at";
	json_t *arr = json_array();
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return arr;
	store_bind_int(st, 1, id);
	while (store_step(st) == STORE_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:o}", "id",
		                                     (json_int_t)store_col_int(st, 0), "title",
		                                     store_col_text(st, 1), "start",
		                                     time_json(store_col_int(st, 2))));
	store_reset(st);
	return arr;
}

static json_t *updates_json(struct store_conn *c, int64_t id)
{
	static const char sql[] =
	    "SELECT u.created_at, u.kind, u.status, u.progress, u.body, u.evidence, o.slug, "
	    "o.name, u.log_index FROM commitment_updates u JOIN orgs o ON o.id = u.org_id "
	    "WHERE u.commitment_id = ? ORDER BY u.id";
	json_t *arr = json_array();
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return arr;
	store_bind_int(st, 1, id);
	while (store_step(st) == STORE_ROW) {
		json_t *ev = json_array();
		const char *p = store_col_text(st, 5);
		while (p && *p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			json_array_append_new(ev, json_stringn(p, n));
			p += n + (nl ? 1 : 0);
		}
		json_t *u = json_pack("{s:o, s:s, s:s, s:I, s:s, s:o, s:{s:s, s:s}}", "date",
		                      time_json(store_col_int(st, 0)), "kind",
		                      store_col_text(st, 1), "status", store_col_text(st, 2),
		                      "progress", (json_int_t)store_col_int(st, 3), "text",
		                      store_col_text(st, 4), "evidence", ev, "org", "slug",
		                      store_col_text(st, 6), "name", store_col_text(st, 7));
		json_object_set_new(u, "log_index",
		                    store_col_isnull(st, 8)
		                        ? json_null()
		                        : json_integer((json_int_t)store_col_int(st, 8)));
		json_array_append_new(arr, u);
	}
	store_reset(st);
	return arr;
}

enum err commitment_get(struct store_conn *c, int64_t id, json_t **out)
{
	static const char sql[] = COMMITMENT_COLUMNS "WHERE c.id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	char today[11];
	field_today(today);
	enum store_step r = store_step(st);
	json_t *o = r == STORE_ROW ? row_json(st, today) : NULL;
	enum err e = o ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	store_reset(st);
	if (e)
		return e;
	json_object_set_new(o, "meetings", linked_meetings(c, id));
	json_object_set_new(o, "updates", updates_json(c, id));
	*out = o;
	return ERR_OK;
}

json_t *commitment_moves_for(struct store_conn *c, const struct actor *actor, int64_t id)
{
	json_t *arr = json_array();
	struct cstate s;
	if (!actor || !actor->user_id || cstate_load(c, id, &s) != ERR_OK)
		return arr;
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
		if (strcmp(moves[i].from, s.status))
			continue;
		if (!acting_org(actor, moves[i].action, &s, moves[i].side))
			continue;
		if (moves[i].side == COMMITMENT_COCHAIR && member_of(actor, s.owner))
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:b}", "status", moves[i].to,
		                                     "needs_reason", moves[i].needs_reason));
	}
	return arr;
}

enum err commitment_list(struct store_conn *c, const struct commitment_filter *f, json_t **out,
                         struct errinfo *ei)
{
	int64_t area = 0, org = 0;
	enum err e;
	if (f->area && (e = area_find(c, f->area, &area)))
		return err_set(ei, e == ERR_NOTFOUND ? ERR_INVAL : e, "area",
		               "no area has this slug");
	if (f->org && (e = org_find(c, f->org, &org, NULL)))
		return err_set(ei, e == ERR_NOTFOUND ? ERR_INVAL : e, "org",
		               "no organisation has this slug");
	if (f->status && !commitment_status_valid(f->status))
		return err_set(ei, ERR_INVAL, "status", "is not a status of a commitment");
	static const char sql[] = COMMITMENT_COLUMNS
	    "WHERE (CAST(? AS BIGINT) = 0 OR c.area_id IN (SELECT id FROM areas WHERE id = ? OR "
	    "parent_id = ? "
	    "OR parent_id IN (SELECT id FROM areas WHERE parent_id = ?))) "
	    "AND (CAST(? AS BIGINT) = 0 OR c.owner_org_id = ? OR c.cochair_org_id = ?) "
	    "AND (CAST(? AS TEXT) IS NULL OR c.status = ?) "
	    "ORDER BY CASE WHEN c.due_date IS NULL THEN 1 ELSE 0 END, c.due_date, c.id "
	    "LIMIT 2000";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	for (int i = 1; i <= 4; i++)
		store_bind_int(st, i, area);
	for (int i = 5; i <= 7; i++)
		store_bind_int(st, i, org);
	store_bind_text(st, 8, f->status);
	store_bind_text(st, 9, f->status);
	char today[11];
	field_today(today);
	json_t *arr = json_array();
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW) {
		json_t *o = row_json(st, today);
		if (f->overdue && !json_is_true(json_object_get(o, "overdue")))
			json_decref(o);
		else
			json_array_append_new(arr, o);
	}
	e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	for (size_t i = 0; !e && i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		json_object_set_new(
		    o, "meetings",
		    linked_meetings(c, json_integer_value(json_object_get(o, "id"))));
	}
	if (e) {
		json_decref(arr);
		return err_set(ei, e, "", "database error");
	}
	*out = arr;
	return ERR_OK;
}
