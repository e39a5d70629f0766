/* audit.c - accountability log entries for actions of the domain. */
#include "domain/audit.h"

#include <stdlib.h>

#include "domain/field.h"
#include "domain/report_internal.h"
#include "domain/vault.h"
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

/* --- reports --------------------------------------------------------------- */

enum err audit_report(struct store_conn *c, const struct actor *actor, enum action act,
                      int64_t target_org, const char *log_action, const struct report_row *r,
                      const char *purpose, uint64_t *index)
{
	char ref[REPORT_REF_LEN];
	report_ref(r->public_id, ref);
	struct tlog_entry e = {0, "reporter", "reporter", NULL, log_action, ref, purpose};
	if (actor) {
		const struct membership *m;
		enum role role = policy_role(actor, act, target_org, &m);
		if (role == ROLE_ANON)
			return ERR_FORBIDDEN;
		e.actor_id = actor->public_id;
		e.role = role_name(role);
		e.org = m ? m->org_slug : NULL;
	}
	uint64_t idx;
	enum err err = tlog_append(c, &e, &idx);
	if (err)
		return err;
	static const char sql[] = "INSERT INTO report_log (report_id, log_index) VALUES (?, ?)";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, r->id);
	store_bind_int(st, 2, (int64_t)idx);
	if ((err = store_run(st)))
		return err;
	if (index)
		*index = idx;
	return ERR_OK;
}

enum err audit_report_key(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                          const struct actor *actor, enum action act, int64_t target_org,
                          const char *log_action, const struct report_row *r, const char *purpose,
                          uint8_t dk[CRYPTO_KEY_LEN], uint64_t *index)
{
	if (!r->has_key)
		return ERR_NOTFOUND;
	enum err e = store_begin(c);
	if (e)
		return e;
	if ((e = audit_report(c, actor, act, target_org, log_action, r, purpose, index))) {
		store_rollback(c);
		return e;
	}
	if ((e = store_commit(c)))
		return e;
	/* Logged: only now is the key opened. */
	char ref[REPORT_REF_LEN];
	report_ref(r->public_id, ref);
	return vault_unwrap(kek, ref, r->wrapped, VAULT_WRAPPED_LEN, dk);
}

#define HISTORY_MAX 1000

static enum err history_entry_cb(void *ctx, uint64_t index, const char *entry, size_t len)
{
	(void)index;
	json_t *o = ctx;
	json_object_set_new(o, "entry", json_stringn(entry, len));
	json_t *j = json_loadb(entry, len, 0, NULL);
	if (!j)
		return ERR_INTERNAL;
	json_t *actor = json_object_get(j, "actor");
	json_object_set(o, "time", json_object_get(j, "time"));
	json_object_set(o, "action", json_object_get(j, "action"));
	json_object_set(o, "purpose", json_object_get(j, "purpose"));
	json_object_set(o, "role", json_object_get(actor, "role"));
	json_object_set(o, "org", json_object_get(actor, "org"));
	json_decref(j);
	return ERR_OK;
}

static json_t *org_name_of(struct store_conn *c, const char *slug)
{
	static const char sql[] = "SELECT name FROM orgs WHERE slug = ?";
	struct store_stmt *st = slug ? store_prepare(c, sql) : NULL;
	if (!st)
		return json_null();
	store_bind_text(st, 1, slug);
	json_t *v = store_step(st) == STORE_ROW ? json_string(store_col_text(st, 0)) : json_null();
	store_reset(st);
	return v;
}

static json_t *b64_json(const void *p, size_t n)
{
	char *s = crypto_b64(p, n);
	json_t *v = json_string(s);
	free(s);
	return v;
}

enum err audit_report_history(struct store_conn *c, struct tlog *t, int64_t report_id, json_t **out)
{
	static const char sql[] = "SELECT log_index FROM report_log WHERE report_id = ? "
	                          "ORDER BY log_index LIMIT 1000";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, report_id);
	uint64_t idx[HISTORY_MAX];
	size_t n = 0;
	enum store_step s;
	while (n < HISTORY_MAX && (s = store_step(st)) == STORE_ROW)
		idx[n++] = (uint64_t)store_col_int(st, 0);
	enum err e = s == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	if (e)
		return e;
	char *note = NULL;
	uint64_t size = 0;
	if (t && (e = tlog_checkpoint(t, c, 0, &note, &size)) == ERR_OK && n &&
	    idx[n - 1] >= size) {
		free(note);
		note = NULL;
		e = tlog_checkpoint(t, c, TLOG_SIGN_NOW, &note, &size);
	}
	if (e) {
		free(note);
		return e;
	}
	json_t *o = json_object();
	json_object_set_new(o, "origin", t ? json_string(tlog_origin(t)) : json_null());
	json_object_set_new(o, "checkpoint", note ? json_string(note) : json_null());
	json_object_set_new(o, "size", json_integer((json_int_t)size));
	free(note);
	json_t *arr = json_array();
	uint8_t root[MERKLE_HASH_LEN];
	int have_root = 0;
	for (size_t i = 0; i < n && !e; i++) {
		json_t *en = json_pack("{s:I}", "index", (json_int_t)idx[i]);
		json_array_append_new(arr, en);
		if ((e = tlog_entries(c, idx[i], idx[i] + 1, history_entry_cb, en)))
			break;
		json_object_set_new(en, "org_name",
		                    org_name_of(c, json_string_value(json_object_get(en, "org"))));
		if (idx[i] >= size) {
			json_object_set_new(en, "proof", json_null());
			continue;
		}
		uint8_t path[MERKLE_MAX_INCLUSION][MERKLE_HASH_LEN];
		size_t len = 0;
		if ((e = tlog_prove_inclusion(c, t, idx[i], size, root, path, &len)))
			break;
		have_root = 1;
		json_t *proof = json_array();
		for (size_t k = 0; k < len; k++)
			json_array_append_new(proof, b64_json(path[k], MERKLE_HASH_LEN));
		json_object_set_new(en, "proof", proof);
	}
	if (!e && !have_root && size > 0)
		e = tlog_root(c, t, size, root), have_root = !e;
	json_object_set_new(o, "root", have_root ? b64_json(root, sizeof root) : json_null());
	json_object_set_new(o, "entries", arr);
	if (e) {
		json_decref(o);
		return e;
	}
	*out = o;
	return ERR_OK;
}
