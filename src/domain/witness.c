/* witness.c - witness keys and cosignatures (see witness.h). */
#include "domain/witness.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "tlog/tlog.h"

static json_t *witness_json(const char *org, const char *name, uint32_t key_id, const char *vkey)
{
	char id[9];
	snprintf(id, sizeof id, "%08x", (unsigned)key_id);
	return json_pack("{s:s, s:s, s:s, s:s}", "org", org, "name", name, "key_id", id, "key",
	                 vkey);
}

enum err witness_add(struct store_conn *c, const struct actor *by, const char *org_slug,
                     const char *vkey, json_t **out, struct errinfo *ei)
{
	int64_t org_id;
	enum org_kind kind;
	enum err e = org_slug ? org_find(c, org_slug, &org_id, &kind) : ERR_NOTFOUND;
	if (e == ERR_NOTFOUND)
		return err_set(ei, ERR_INVAL, "org", "no organisation has this slug");
	if (e)
		return err_set(ei, e, "", "database error");
	if (kind != ORG_OVERSIGHT)
		return err_set(ei, ERR_INVAL, "org", "must be an oversight organisation");
	struct note_verifier v;
	if (!vkey || strlen(vkey) > 1000 || note_verifier_parse(vkey, &v) != ERR_OK ||
	    v.type != NOTE_TYPE_COSIG)
		return err_set(ei, ERR_INVAL, "key",
		               "must be a witness verifier key: name+hex key id+base64 of 0x04 "
		               "and the Ed25519 public key (c2sp.org/tlog-cosignature)");
	char *canon = note_verifier_format(&v);
	if ((e = store_begin(c))) {
		free(canon);
		return err_set(ei, e, "", "database error");
	}
	static const char sql[] = "INSERT INTO tlog_witnesses (org_id, name, key_id, vkey, "
	                          "created_at) VALUES (?, ?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		e = ERR_STORE;
	} else {
		store_bind_int(st, 1, org_id);
		store_bind_text(st, 2, v.name);
		store_bind_int(st, 3, v.key_id);
		store_bind_text(st, 4, canon);
		store_bind_int(st, 5, clock_now());
		if (store_step(st) != STORE_DONE)
			e = store_stmt_err(st);
		store_reset(st);
	}
	if (!e) {
		char object[NOTE_NAME_MAX + 32];
		snprintf(object, sizeof object, "witness:%s+%08x", v.name, (unsigned)v.key_id);
		e = audit_record(c, by, ACT_LOG_WITNESS_ADD, org_id, object,
		                 "register an oversight witness key");
	}
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		free(canon);
		if (e == ERR_CONFLICT)
			return err_set(ei, e, "key",
			               "this witness key (or its name and key id) is "
			               "already registered");
		if (e == ERR_INVAL) /* the log refused the object: a name too long */
			return err_set(ei, e, "key", "the key name is too long");
		return err_set(ei, e, "", "database error");
	}
	*out = witness_json(org_slug, v.name, v.key_id, canon);
	free(canon);
	return ERR_OK;
}

enum err witness_list(struct store_conn *c, json_t **out)
{
	static const char sql[] = "SELECT o.slug, w.name, w.key_id, w.vkey FROM tlog_witnesses w "
	                          "JOIN orgs o ON o.id = w.org_id ORDER BY w.id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	json_t *arr = json_array();
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		json_array_append_new(
		    arr, witness_json(store_col_text(st, 0), store_col_text(st, 1),
		                      (uint32_t)store_col_int(st, 2), store_col_text(st, 3)));
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	if (e) {
		json_decref(arr);
		return e;
	}
	*out = arr;
	return ERR_OK;
}

/* A registered witness key, looked up by the name and key id of a
 * signature line. */
struct witness {
	int64_t id, org_id;
	struct note_verifier v;
};

static enum err witness_find(struct store_conn *c, const char *name, uint32_t key_id,
                             struct witness *w)
{
	static const char sql[] = "SELECT id, org_id, vkey FROM tlog_witnesses "
	                          "WHERE name = ? AND key_id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, name);
	store_bind_int(st, 2, key_id);
	enum store_step r = store_step(st);
	enum err e = ERR_NOTFOUND;
	if (r == STORE_ROW) {
		w->id = store_col_int(st, 0);
		w->org_id = store_col_int(st, 1);
		const char *vkey = store_col_text(st, 2);
		e = vkey && note_verifier_parse(vkey, &w->v) == ERR_OK ? ERR_OK : ERR_INTERNAL;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}

/* The signature line of sig: "— name base64(key id || signature)\n". */
static char *sig_line(const struct note_sig *sig)
{
	uint8_t *raw = xmalloc(4 + sig->sig_len);
	raw[0] = (uint8_t)(sig->key_id >> 24);
	raw[1] = (uint8_t)(sig->key_id >> 16);
	raw[2] = (uint8_t)(sig->key_id >> 8);
	raw[3] = (uint8_t)sig->key_id;
	memcpy(raw + 4, sig->sig, sig->sig_len);
	char *b64 = crypto_b64(raw, 4 + sig->sig_len);
	char *line = xasprintf("\xe2\x80\x94 %s %s\n", sig->name, b64);
	free(b64);
	free(raw);
	return line;
}

enum err witness_cosign(struct store_conn *c, const struct actor *by, const char *text, size_t len,
                        json_t **out, struct errinfo *ei)
{
	struct note n;
	struct note_checkpoint cp = {0};
	struct witness *ws = NULL;
	struct note_verifier *keys = NULL;
	size_t *sig_key = NULL, nws = 0;
	char *stored = NULL;
	int any_known = 0;
	enum err e = ERR_OK;
	note_init(&n);
	if (!text || note_parse(&n, text, len) != ERR_OK ||
	    note_checkpoint_parse(n.text, n.text_len, &cp) != ERR_OK) {
		e = err_set(ei, ERR_INVAL, "checkpoint", "is not a signed checkpoint note");
		goto out;
	}
	/* Only a checkpoint this log signed, exactly. */
	struct note sn;
	note_init(&sn);
	e = tlog_checkpoint_get(c, cp.size, &stored);
	if (e == ERR_OK && (note_parse(&sn, stored, strlen(stored)) != ERR_OK ||
	                    sn.text_len != n.text_len || memcmp(sn.text, n.text, n.text_len) != 0))
		e = ERR_NOTFOUND;
	note_clear(&sn);
	if (e) {
		e = err_set(ei, e == ERR_NOTFOUND ? ERR_INVAL : e, "checkpoint",
		            e == ERR_NOTFOUND ? "is not a checkpoint this log signed"
		                              : "database error");
		goto out;
	}
	/* The registered witness keys that signed it, and where the actor may
	 * cosign with them. */
	ws = xcalloc(n.nsigs, sizeof *ws);
	keys = xcalloc(n.nsigs, sizeof *keys);
	sig_key = xcalloc(n.nsigs, sizeof *sig_key);
	for (size_t i = 0; i < n.nsigs; i++) {
		struct witness w;
		e = witness_find(c, n.sigs[i].name, n.sigs[i].key_id, &w);
		if (e == ERR_NOTFOUND) {
			e = ERR_OK;
			continue;
		}
		if (e) {
			e = err_set(ei, e, "", "database error");
			goto out;
		}
		any_known = 1;
		int dup = 0;
		for (size_t k = 0; k < nws; k++)
			dup |= ws[k].id == w.id;
		if (!dup && policy_allows(by, ACT_LOG_COSIGN, w.org_id)) {
			ws[nws] = w;
			keys[nws++] = w.v;
		}
	}
	if (!any_known) {
		e = err_set(ei, ERR_INVAL, "checkpoint",
		            "carries no cosignature by a registered witness key");
		goto out;
	}
	if (!nws) {
		e = err_set(ei, ERR_FORBIDDEN, "checkpoint",
		            "its witness keys are not your organisation's");
		goto out;
	}
	if (note_verify(&n, keys, nws, sig_key) != ERR_OK) {
		e = err_set(ei, ERR_CRYPTO, "checkpoint", "a cosignature does not verify");
		goto out;
	}
	if ((e = store_begin(c))) {
		e = err_set(ei, e, "", "database error");
		goto out;
	}
	json_t *names = json_array();
	int added = 0;
	for (size_t i = 0; i < n.nsigs && !e; i++) {
		if (sig_key[i] == SIZE_MAX)
			continue;
		char *line = sig_line(&n.sigs[i]);
		int a = 0;
		e = tlog_cosignature_add(c, cp.size, ws[sig_key[i]].id, line, &a);
		free(line);
		added += a;
		json_array_append_new(names, json_string(n.sigs[i].name));
	}
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		json_decref(names);
		e = err_set(ei, e, "", "database error");
		goto out;
	}
	*out = json_pack("{s:I, s:o, s:i}", "size", (json_int_t)cp.size, "cosigned_by", names,
	                 "added", added);
out:
	free(stored);
	free(ws);
	free(keys);
	free(sig_key);
	note_checkpoint_clear(&cp);
	note_clear(&n);
	return e;
}
