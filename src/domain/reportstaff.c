/* reportstaff.c - reports for staff: triage lists, opening a report within
 * its consent (through audit.c), the status workflow, messages to the
 * reporter and the supervisor's override. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/audit.h"
#include "domain/category.h"
#include "domain/field.h"
#include "domain/org.h"
#include "domain/report_internal.h"

#define REASON_MIN 10

/* --- triage ---------------------------------------------------------------- */

/* The membership of actor whose list is asked for (f->org, or the first
 * that allows triage). */
static const struct membership *triage_org(const struct actor *actor, const char *slug,
                                           struct errinfo *ei)
{
	for (int i = 0; i < actor->n_memberships; i++) {
		const struct membership *m = &actor->memberships[i];
		if (slug && strcmp(slug, m->org_slug))
			continue;
		if (policy_allows(actor, ACT_REPORT_TRIAGE, m->org_id) &&
		    policy_scope(m->role, ACT_REPORT_TRIAGE) != SCOPE_NONE)
			return m;
	}
	err_set(ei, ERR_FORBIDDEN, "org",
	        slug ? "you handle no reports for this organisation"
	             : "only staff of a police force or a community organisation handle reports");
	return NULL;
}

#define TRIAGE_COLS                                                                                \
	"SELECT r.public_id, c.code, c.label_en, c.label_fr, c.label_nl, a.slug, a.name, "         \
	"r.status, r.consent, v.slug, v.name, r.created_at, r.updated_at, "                        \
	"COALESCE(r.erased_at, 0) FROM reports r JOIN report_categories c ON c.id = "              \
	"r.category_id JOIN areas a ON a.id = r.area_id LEFT JOIN orgs v ON v.id = r.via_org_id "
#define TRIAGE_FILTERS                                                                             \
	"AND (CAST(? AS TEXT) IS NULL OR r.status = ?) "                                           \
	"AND (CAST(? AS BIGINT) IS NULL OR r.category_id = ?) "                                    \
	"AND (CAST(? AS BIGINT) IS NULL OR r.area_id IN (SELECT id FROM areas WHERE id = ? "       \
	"OR parent_id = ? OR parent_id IN (SELECT id FROM areas WHERE parent_id = ?))) "           \
	"AND r.created_at BETWEEN ? AND ? ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?"

static enum err triage_check(struct store_conn *c, const struct report_filter *f, int64_t *category,
                             int64_t *area, struct errinfo *ei)
{
	*category = *area = 0;
	if (f->status && report_status_parse(f->status) < 0)
		return err_set(ei, ERR_INVAL, "status",
		               "must be received, acknowledged, in_progress, resolved or closed");
	if (f->category) {
		struct category cat;
		enum err e = category_find(c, f->category, &cat);
		if (e == ERR_NOTFOUND)
			return err_set(ei, ERR_INVAL, "category", "is not a report category");
		if (e)
			return err_set(ei, e, "", "database error");
		*category = cat.id;
	}
	if (f->area) {
		enum err e = area_find(c, f->area, area);
		if (e == ERR_NOTFOUND)
			return err_set(ei, ERR_INVAL, "area", "no area has this slug");
		if (e)
			return err_set(ei, e, "", "database error");
	}
	if (f->min_age_days < -1 || f->min_age_days > 36500)
		return err_set(ei, ERR_INVAL, "min_age_days", "must be a number of days");
	if (f->max_age_days < -1 || f->max_age_days > 36500)
		return err_set(ei, ERR_INVAL, "max_age_days", "must be a number of days");
	if (f->page < 1 || f->page > 100000)
		return err_set(ei, ERR_INVAL, "page", "must be 1 or more");
	if (f->page_size < 1 || f->page_size > REPORT_PAGE_MAX)
		return err_set(ei, ERR_INVAL, "page_size", "must be between 1 and %d",
		               REPORT_PAGE_MAX);
	return ERR_OK;
}

static json_t *ref_or_null(const char *slug, const char *name)
{
	return slug ? json_pack("{s:s, s:s}", "slug", slug, "name", name) : json_null();
}

enum err report_triage(struct store_conn *c, const struct actor *actor,
                       const struct report_filter *f, const char *lang, json_t **out,
                       struct errinfo *ei)
{
	const struct membership *m = triage_org(actor, f->org, ei);
	if (!m)
		return ERR_FORBIDDEN;
	int64_t category, area;
	enum err e = triage_check(c, f, &category, &area, ei);
	if (e)
		return e;
	static const char police_sql[] =
	    TRIAGE_COLS "WHERE r.police_org_id = ? AND r.consent <> 'statistics' " TRIAGE_FILTERS;
	static const char via_sql[] = TRIAGE_COLS "WHERE r.via_org_id = ? " TRIAGE_FILTERS;
	struct store_stmt *st = store_prepare(c, m->org_kind == ORG_POLICE ? police_sql : via_sql);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	int64_t now = clock_now();
	store_bind_int(st, 1, m->org_id);
	store_bind_text(st, 2, f->status);
	store_bind_text(st, 3, f->status);
	for (int i = 4; i <= 5; i++)
		if (category)
			store_bind_int(st, i, category);
		else
			store_bind_null(st, i);
	for (int i = 6; i <= 9; i++)
		if (area)
			store_bind_int(st, i, area);
		else
			store_bind_null(st, i);
	store_bind_int(st, 10, f->max_age_days >= 0 ? now - (int64_t)f->max_age_days * 86400 : 0);
	store_bind_int(st, 11,
	               f->min_age_days >= 0 ? now - (int64_t)f->min_age_days * 86400 : INT64_MAX);
	store_bind_int(st, 12, f->page_size + 1);
	store_bind_int(st, 13, (int64_t)(f->page - 1) * f->page_size);
	json_t *list = json_array();
	enum store_step s;
	int more = 0;
	while ((s = store_step(st)) == STORE_ROW) {
		if ((int)json_array_size(list) == f->page_size) {
			more = 1;
			continue;
		}
		char filed[32], updated[32];
		clock_format_rfc3339(store_col_int(st, 11), filed);
		clock_format_rfc3339(store_col_int(st, 12), updated);
		json_array_append_new(
		    list,
		    json_pack(
		        "{s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:s, s:o, s:s, s:s, s:I, s:b}",
		        "id", store_col_text(st, 0), "category", "code", store_col_text(st, 1),
		        "label", report_label(st, 2, lang), "area", "slug", store_col_text(st, 5),
		        "name", store_col_text(st, 6), "status", store_col_text(st, 7), "consent",
		        store_col_text(st, 8), "via",
		        ref_or_null(store_col_text(st, 9), store_col_text(st, 10)), "filed_at",
		        filed, "updated_at", updated, "age_days",
		        (json_int_t)((now - store_col_int(st, 11)) / 86400), "erased",
		        store_col_int(st, 13) != 0));
	}
	e = s == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	if (e) {
		json_decref(list);
		return err_set(ei, e, "", "database error");
	}
	*out = json_pack("{s:{s:s, s:s, s:s}, s:s, s:i, s:i, s:b, s:o}", "org", "slug", m->org_slug,
	                 "name", m->org_name, "kind", org_kind_name(m->org_kind), "role",
	                 role_name(m->role), "page", f->page, "page_size", f->page_size, "more",
	                 more, "reports", list);
	return ERR_OK;
}

/* --- one report -------------------------------------------------------------- */

/* Loads report id and what actor may see of it; *m is the membership that
 * gives that view. ERR_NOTFOUND when it sees nothing. */
static enum err staff_load(struct store_conn *c, const struct actor *actor, const char *id,
                           struct report_row *r, enum report_view *view,
                           const struct membership **m, struct errinfo *ei)
{
	enum err e = id ? report_row_by_id(c, id, r) : ERR_NOTFOUND;
	if (e == ERR_NOTFOUND)
		return err_set(ei, e, "id", "no report you may see has this id");
	if (e)
		return err_set(ei, e, "", "database error");
	int idx;
	*view = policy_report_access(actor, r->police_org, r->via_org, r->consent, &idx);
	if (*view == REPORT_VIEW_NONE) {
		report_row_clear(r);
		return err_set(ei, ERR_NOTFOUND, "id", "no report you may see has this id");
	}
	*m = &actor->memberships[idx];
	return ERR_OK;
}

static enum err check_purpose(const char *purpose, struct errinfo *ei)
{
	return field_text_chars("purpose", purpose, 200, 1, 0, ei);
}

/* The staff view of r: facts, and the personal parts opened with dk (NULL
 * for none). */
static enum err staff_json(struct store_conn *c, const struct report_row *r, const uint8_t *dk,
                           enum report_view view, const struct membership *m, const char *lang,
                           json_t **out)
{
	json_t *o = NULL;
	enum err e = report_facts_json(c, r, lang, &o);
	if (e)
		return e;
	json_object_set_new(o, "view", json_string(view == REPORT_VIEW_FULL ? "full" : "content"));
	json_object_set_new(o, "acting_for",
	                    json_pack("{s:s, s:s}", "slug", m->org_slug, "name", m->org_name));
	json_object_set_new(o, "role", json_string(role_name(m->role)));
	if (dk && (e = report_personal_json(c, r, dk, view == REPORT_VIEW_FULL, o))) {
		json_decref(o);
		return e;
	}
	*out = o;
	return ERR_OK;
}

enum err report_staff_view(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                           const struct actor *actor, const char *id, const char *purpose,
                           const char *lang, json_t **out, struct errinfo *ei)
{
	enum err e = check_purpose(purpose, ei);
	if (e)
		return e;
	struct report_row r;
	enum report_view view;
	const struct membership *m;
	if ((e = staff_load(c, actor, id, &r, &view, &m, ei)))
		return e;
	uint8_t dk[CRYPTO_KEY_LEN];
	uint64_t index = 0;
	int opened = 0;
	if (r.has_key) {
		const char *what =
		    view == REPORT_VIEW_FULL ? AUDIT_REPORT_READ_IDENTITY : AUDIT_REPORT_READ;
		if ((e = audit_report_key(c, kek, actor, ACT_REPORT_READ, m->org_id, what, &r,
		                          purpose, dk, &index))) {
			report_row_clear(&r);
			return err_set(ei, e, "", "the report could not be opened: %s", err_str(e));
		}
		opened = 1;
	}
	e = staff_json(c, &r, opened ? dk : NULL, view, m, lang, out);
	crypto_random(dk, sizeof dk);
	if (!e && opened)
		json_object_set_new(*out, "log_index", json_integer((json_int_t)index));
	report_row_clear(&r);
	return e ? err_set(ei, e, "", "the report could not be read") : ERR_OK;
}

static int transition_ok(enum report_status from, enum report_status to)
{
	if (from == to)
		return 0;
	if (from == REPORT_RESOLVED)
		return to == REPORT_IN_PROGRESS || to == REPORT_CLOSED;
	if (from == REPORT_CLOSED)
		return to == REPORT_IN_PROGRESS;
	return to > from;
}

enum err report_set_status(struct store_conn *c, const struct actor *actor, const char *id,
                           const char *status, const char *note, struct errinfo *ei)
{
	int to = report_status_parse(status);
	if (to < 0)
		return err_set(ei, ERR_INVAL, "status",
		               "must be received, acknowledged, in_progress, resolved or closed");
	enum err e = field_text_chars("note", note, REPORT_NOTE_MAX, to == REPORT_CLOSED, 1, ei);
	if (e) {
		if (to == REPORT_CLOSED && (!note || !*note))
			err_set(ei, ERR_INVAL, "note", "closing a report needs a reason");
		return e;
	}
	struct report_row r;
	enum report_view view;
	const struct membership *m;
	if ((e = staff_load(c, actor, id, &r, &view, &m, ei)))
		return e;
	if (!policy_allows(actor, ACT_REPORT_STATUS, m->org_id)) {
		report_row_clear(&r);
		return err_set(ei, ERR_FORBIDDEN, "", "your role does not allow report.status");
	}
	if (!transition_ok(r.status, (enum report_status)to)) {
		e = err_set(ei, ERR_CONFLICT, "status", "a %s report cannot become %s",
		            report_status_name(r.status), status);
		report_row_clear(&r);
		return e;
	}
	char purpose[64];
	snprintf(purpose, sizeof purpose, "status %s -> %s", report_status_name(r.status), status);
	if ((e = store_begin(c))) {
		report_row_clear(&r);
		return err_set(ei, e, "", "database error");
	}
	int64_t now = clock_now();
	static const char upd[] = "UPDATE reports SET status = ?, updated_at = ? WHERE id = ?";
	struct store_stmt *st = store_prepare(c, upd);
	if (st) {
		store_bind_text(st, 1, status);
		store_bind_int(st, 2, now);
		store_bind_int(st, 3, r.id);
	}
	e = store_run(st);
	static const char ins[] = "INSERT INTO report_updates (report_id, status, note, org_id, "
	                          "created_at) VALUES (?, ?, ?, ?, ?)";
	if (!e && (st = store_prepare(c, ins))) {
		store_bind_int(st, 1, r.id);
		store_bind_text(st, 2, status);
		store_bind_text(st, 3, note ? note : "");
		store_bind_int(st, 4, m->org_id);
		store_bind_int(st, 5, now);
		e = store_run(st);
	} else if (!e) {
		e = ERR_STORE;
	}
	if (!e)
		e = audit_report(c, actor, ACT_REPORT_STATUS, m->org_id, AUDIT_REPORT_STATUS, &r,
		                 purpose, NULL);
	if (!e)
		e = store_commit(c);
	else
		store_rollback(c);
	report_row_clear(&r);
	return e ? err_set(ei, e, "", "the status could not be changed: %s", err_str(e)) : ERR_OK;
}

enum err report_staff_message(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                              const struct actor *actor, const char *id, const char *body,
                              struct errinfo *ei)
{
	enum err e = field_text_chars("body", body, REPORT_TEXT_MAX, 1, 1, ei);
	if (e)
		return e;
	struct report_row r;
	enum report_view view;
	const struct membership *m;
	if ((e = staff_load(c, actor, id, &r, &view, &m, ei)))
		return e;
	if (!policy_allows(actor, ACT_REPORT_MESSAGE, m->org_id))
		e = err_set(ei, ERR_FORBIDDEN, "", "your role does not allow report.message");
	else if (!r.has_key)
		e = err_set(ei, ERR_CONFLICT, "", "this report has been erased");
	if (e) {
		report_row_clear(&r);
		return e;
	}
	uint8_t dk[CRYPTO_KEY_LEN];
	if ((e = store_begin(c))) {
		report_row_clear(&r);
		return err_set(ei, e, "", "database error");
	}
	e = audit_report_key(c, kek, actor, ACT_REPORT_MESSAGE, m->org_id, AUDIT_REPORT_MESSAGE, &r,
	                     "writing to the reporter", dk, NULL);
	if (!e)
		e = report_add_message(c, &r, dk, "staff", m->org_id, body, ei);
	crypto_random(dk, sizeof dk);
	if (!e)
		e = store_commit(c);
	else
		store_rollback(c);
	report_row_clear(&r);
	if (e && !ei->msg[0])
		err_set(ei, e, "", "the message could not be sent: %s", err_str(e));
	return e;
}

enum err report_override(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                         const struct actor *actor, const char *id, const char *reason,
                         const char *lang, json_t **out, struct errinfo *ei)
{
	enum err e = field_text_chars("reason", reason, REPORT_NOTE_MAX, 1, 1, ei);
	if (e)
		return e;
	if (field_chars(reason) < REASON_MIN)
		return err_set(ei, ERR_INVAL, "reason", "must say why, in at least %d characters",
		               REASON_MIN);
	struct report_row r;
	if ((e = id ? report_row_by_id(c, id, &r) : ERR_NOTFOUND))
		return err_set(ei, e, "id",
		               e == ERR_NOTFOUND ? "no report you may see has this id"
		                                 : "database error");
	/* Only the force the report went to; anyone else learns nothing. */
	const struct membership *m = NULL;
	for (int i = 0; r.police_org && i < actor->n_memberships; i++)
		if (actor->memberships[i].org_id == r.police_org)
			m = &actor->memberships[i];
	if (!m)
		e = err_set(ei, ERR_NOTFOUND, "id", "no report you may see has this id");
	else if (!policy_allows(actor, ACT_REPORT_OVERRIDE, r.police_org))
		e = err_set(ei, ERR_FORBIDDEN, "", "only a supervisor may override consent");
	else if (!r.has_key)
		e = err_set(ei, ERR_CONFLICT, "", "this report has been erased");
	if (e) {
		report_row_clear(&r);
		return e;
	}
	uint8_t dk[CRYPTO_KEY_LEN];
	uint64_t index = 0;
	if ((e = store_begin(c))) {
		report_row_clear(&r);
		return err_set(ei, e, "", "database error");
	}
	e = audit_report_key(
	    c, kek, actor, ACT_REPORT_OVERRIDE, r.police_org, AUDIT_REPORT_OVERRIDE, &r,
	    "consent override; the written reason is shown to the reporter", dk, &index);
	if (!e) {
		char ref[REPORT_REF_LEN];
		report_ref(r.public_id, ref);
		size_t len;
		uint8_t *sealed = vault_seal(dk, ref, "override", reason, strlen(reason), &len);
		static const char sql[] =
		    "INSERT INTO report_overrides (report_id, org_id, reason, "
		    "log_index, created_at) VALUES (?, ?, ?, ?, ?)";
		struct store_stmt *st = store_prepare(c, sql);
		if (st) {
			store_bind_int(st, 1, r.id);
			store_bind_int(st, 2, r.police_org);
			store_bind_blob(st, 3, sealed, len);
			store_bind_int(st, 4, (int64_t)index);
			store_bind_int(st, 5, clock_now());
		}
		e = store_run(st);
		free(sealed);
	}
	if (!e)
		e = store_commit(c);
	else
		store_rollback(c);
	if (!e)
		e = staff_json(c, &r, dk, REPORT_VIEW_FULL, m, lang, out);
	crypto_random(dk, sizeof dk);
	if (!e) {
		json_object_set_new(*out, "log_index", json_integer((json_int_t)index));
		json_object_set_new(*out, "override", json_true());
	}
	report_row_clear(&r);
	return e ? err_set(ei, e, "", "the report could not be opened: %s", err_str(e)) : ERR_OK;
}
