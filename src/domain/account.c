/* account.c - accounts, passwords and sessions on the store interface. */
#include "domain/account.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/xalloc.h"

int account_email_valid(const char *email)
{
	size_t n = strlen(email);
	if (n < 3 || n > 254 || !utf8_valid(email, n))
		return 0;
	const char *at = strchr(email, '@');
	if (!at || at == email || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (const char *p = email; *p; p++)
		if (isspace((unsigned char)*p) || (unsigned char)*p < 0x20)
			return 0;
	return 1;
}

static char *lower(const char *s)
{
	char *r = xstrdup(s);
	for (char *p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

static enum err check_password(const char *password, struct errinfo *ei)
{
	size_t n = strlen(password);
	if (n < ACCOUNT_PASSWORD_MIN)
		return err_set(ei, ERR_INVAL, "password", "must have at least %d characters",
			       ACCOUNT_PASSWORD_MIN);
	if (n > ACCOUNT_PASSWORD_MAX || !utf8_valid(password, n))
		return err_set(ei, ERR_INVAL, "password", "is too long or not valid UTF-8");
	return ERR_OK;
}

static enum err check_name(const char *name, struct errinfo *ei)
{
	size_t n = strlen(name);
	if (n > 200 || !utf8_valid(name, n))
		return err_set(ei, ERR_INVAL, "name", "must be valid UTF-8 of at most 200 bytes");
	return ERR_OK;
}

enum err account_create(struct store_conn *c, const char *email, const char *password,
			const char *name, int is_admin, int64_t *id, struct errinfo *ei)
{
	if (!email || !account_email_valid(email))
		return err_set(ei, ERR_INVAL, "email", "is not a valid email address");
	if (!password)
		return err_set(ei, ERR_INVAL, "password", "is required");
	enum err e = check_password(password, ei);
	if (e)
		return e;
	if ((e = check_name(name ? name : "", ei)))
		return e;
	char *hash = NULL;
	if ((e = crypto_password_hash(password, &hash)))
		return err_set(ei, e, "", "cannot hash the password");
	uint8_t raw[12];
	crypto_random(raw, sizeof raw);
	char *pub = crypto_b64url(raw, sizeof raw);
	char *em = lower(email);
	static const char sql[] = "INSERT INTO users (public_id, email, name, password_hash, is_admin, "
				  "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		e = err_set(ei, ERR_STORE, "", "database error");
		goto out;
	}
	store_bind_text(st, 1, pub);
	store_bind_text(st, 2, em);
	store_bind_text(st, 3, name ? name : "");
	store_bind_text(st, 4, hash);
	store_bind_int(st, 5, is_admin ? 1 : 0);
	store_bind_int(st, 6, clock_now());
	if (store_step(st) == STORE_ROW) {
		*id = store_col_int(st, 0);
		e = ERR_OK;
	} else {
		e = store_stmt_err(st);
		if (e == ERR_CONFLICT)
			err_set(ei, e, "email", "an account with this email already exists");
		else
			err_set(ei, e, "", "database error");
	}
	store_reset(st);
out:
	free(em);
	free(pub);
	free(hash);
	return e;
}

static void token_hash_hex(const char *token, char out[2 * CRYPTO_SHA256_LEN + 1])
{
	uint8_t h[CRYPTO_SHA256_LEN];
	crypto_sha256(token, strlen(token), h);
	crypto_hex(h, sizeof h, out);
}

enum err account_login(struct store_conn *c, const char *email, const char *password,
		       char token[CRYPTO_TOKEN_CHARS + 1], int64_t *user_id, struct errinfo *ei)
{
	/* A fixed, valid hash to verify against when the account does not
	 * exist, so both failures cost the same time. */
	static char *dummy;
	if (!dummy && crypto_password_hash("not-a-real-password", &dummy) != ERR_OK)
		return ERR_INTERNAL;
	if (!email || !password || strlen(email) > 254 || strlen(password) > ACCOUNT_PASSWORD_MAX)
		return err_set(ei, ERR_UNAUTH, "", "wrong email or password");
	char *em = lower(email);
	static const char sql[] =
		"SELECT id, password_hash, disabled FROM users WHERE email = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		free(em);
		return err_set(ei, ERR_STORE, "", "database error");
	}
	store_bind_text(st, 1, em);
	free(em);
	int64_t id = 0;
	int disabled = 0;
	char *hash = NULL;
	enum store_step r = store_step(st);
	if (r == STORE_ROW) {
		id = store_col_int(st, 0);
		hash = xstrdup(store_col_text(st, 1));
		disabled = (int)store_col_int(st, 2);
	}
	enum err serr = store_stmt_err(st);
	store_reset(st);
	if (r == STORE_ERROR)
		return err_set(ei, serr, "", "database error");
	int ok = crypto_password_verify(hash ? hash : dummy, password);
	free(hash);
	if (!id || !ok || disabled)
		return err_set(ei, ERR_UNAUTH, "", "wrong email or password");

	crypto_token_new(token);
	char th[2 * CRYPTO_SHA256_LEN + 1];
	token_hash_hex(token, th);
	static const char ins[] =
		"INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
	st = store_prepare(c, ins);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	int64_t now = clock_now();
	store_bind_text(st, 1, th);
	store_bind_int(st, 2, id);
	store_bind_int(st, 3, now);
	store_bind_int(st, 4, now + ACCOUNT_SESSION_SECONDS);
	r = store_step(st);
	serr = store_stmt_err(st);
	store_reset(st);
	if (r != STORE_DONE)
		return err_set(ei, serr, "", "database error");
	*user_id = id;
	return ERR_OK;
}

enum err account_logout(struct store_conn *c, const char *token)
{
	char th[2 * CRYPTO_SHA256_LEN + 1];
	token_hash_hex(token, th);
	static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, th);
	enum store_step r = store_step(st);
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	return e;
}

static void copy_text(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* Fills a from rows of (id, public_id, is_admin, email, name, lang,
 * org_id, org_kind, role, org_slug, org_name), one per membership (the org
 * columns NULL when there is none). */
static enum err actor_rows(struct store_stmt *st, struct actor *a)
{
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW) {
		if (!a->user_id) {
			a->user_id = store_col_int(st, 0);
			copy_text(a->public_id, sizeof a->public_id, store_col_text(st, 1));
			a->is_admin = (int)store_col_int(st, 2);
			copy_text(a->email, sizeof a->email, store_col_text(st, 3));
			copy_text(a->name, sizeof a->name, store_col_text(st, 4));
			copy_text(a->lang, sizeof a->lang, store_col_text(st, 5));
		}
		if (store_col_isnull(st, 6) || a->n_memberships == ACTOR_MAX_MEMBERSHIPS)
			continue;
		int k = org_kind_parse(store_col_text(st, 7));
		int role = role_parse(store_col_text(st, 8));
		if (k < 0 || role < 0)
			continue;
		struct membership *m = &a->memberships[a->n_memberships++];
		m->org_id = store_col_int(st, 6);
		m->org_kind = (enum org_kind)k;
		m->role = (enum role)role;
		copy_text(m->org_slug, sizeof m->org_slug, store_col_text(st, 9));
		copy_text(m->org_name, sizeof m->org_name, store_col_text(st, 10));
	}
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	return e;
}

enum err account_actor(struct store_conn *c, const char *token, struct actor *a)
{
	memset(a, 0, sizeof *a);
	if (!token || strlen(token) != CRYPTO_TOKEN_CHARS)
		return ERR_UNAUTH;
	char th[2 * CRYPTO_SHA256_LEN + 1];
	token_hash_hex(token, th);
	/* One query for the session, the account and its memberships: this
	 * runs on every signed-in request. */
	static const char sql[] =
		"SELECT u.id, u.public_id, u.is_admin, u.email, u.name, u.lang, "
		"m.org_id, o.kind, m.role, o.slug, o.name FROM sessions s "
		"JOIN users u ON u.id = s.user_id "
		"LEFT JOIN memberships m ON m.user_id = u.id "
		"LEFT JOIN orgs o ON o.id = m.org_id "
		"WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0 ORDER BY o.name";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, th);
	store_bind_int(st, 2, clock_now());
	enum err e = actor_rows(st, a);
	if (e)
		return e;
	return a->user_id ? ERR_OK : ERR_UNAUTH;
}

enum err account_actor_by_id(struct store_conn *c, int64_t user_id, struct actor *a)
{
	memset(a, 0, sizeof *a);
	static const char sql[] =
		"SELECT u.id, u.public_id, u.is_admin, u.email, u.name, u.lang, "
		"m.org_id, o.kind, m.role, o.slug, o.name FROM users u "
		"LEFT JOIN memberships m ON m.user_id = u.id "
		"LEFT JOIN orgs o ON o.id = m.org_id WHERE u.id = ? ORDER BY o.name";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, user_id);
	enum err e = actor_rows(st, a);
	if (e)
		return e;
	return a->user_id ? ERR_OK : ERR_NOTFOUND;
}

json_t *account_actor_json(const struct actor *a)
{
	json_t *ms = json_array();
	for (int i = 0; i < a->n_memberships; i++) {
		const struct membership *m = &a->memberships[i];
		json_array_append_new(ms, json_pack("{s:s, s:s, s:s, s:s}", "org", m->org_slug,
						    "org_name", m->org_name, "kind",
						    org_kind_name(m->org_kind), "role",
						    role_name(m->role)));
	}
	return json_pack("{s:I, s:s, s:s, s:b, s:s?, s:s, s:o}", "id", (json_int_t)a->user_id,
			 "email", a->email, "name", a->name, "admin", a->is_admin, "lang",
			 a->lang[0] ? a->lang : NULL, "actor_id", a->public_id, "memberships", ms);
}

enum err account_json(struct store_conn *c, int64_t user_id, json_t **out)
{
	struct actor a;
	enum err e = account_actor_by_id(c, user_id, &a);
	if (e)
		return e;
	*out = account_actor_json(&a);
	return ERR_OK;
}

static enum err update_one(struct store_conn *c, const char *sql, const char *text, int64_t id)
{
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, text);
	store_bind_int(st, 2, id);
	enum store_step r = store_step(st);
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	if (!e && store_changes(c) == 0)
		e = ERR_NOTFOUND;
	return e;
}

enum err account_set_lang(struct store_conn *c, int64_t user_id, const char *lang,
			  struct errinfo *ei)
{
	if (lang && strcmp(lang, "en") && strcmp(lang, "fr") && strcmp(lang, "nl"))
		return err_set(ei, ERR_INVAL, "lang", "must be one of en, fr, nl");
	static const char sql[] = "UPDATE users SET lang = ? WHERE id = ?";
	return update_one(c, sql, lang, user_id);
}

enum err account_set_name(struct store_conn *c, int64_t user_id, const char *name,
			  struct errinfo *ei)
{
	enum err e = check_name(name, ei);
	if (e)
		return e;
	static const char sql[] = "UPDATE users SET name = ? WHERE id = ?";
	return update_one(c, sql, name, user_id);
}

enum err account_set_password(struct store_conn *c, int64_t user_id, const char *current,
			      const char *password, struct errinfo *ei)
{
	static const char sel[] = "SELECT password_hash FROM users WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sel);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, user_id);
	char *hash = NULL;
	if (store_step(st) == STORE_ROW)
		hash = xstrdup(store_col_text(st, 0));
	store_reset(st);
	if (!hash)
		return ERR_NOTFOUND;
	int ok = current && crypto_password_verify(hash, current);
	free(hash);
	if (!ok)
		return err_set(ei, ERR_INVAL, "current_password", "is not your current password");
	enum err e = check_password(password, ei);
	if (e)
		return e;
	char *nh = NULL;
	if ((e = crypto_password_hash(password, &nh)))
		return e;
	static const char sql[] = "UPDATE users SET password_hash = ? WHERE id = ?";
	e = update_one(c, sql, nh, user_id);
	free(nh);
	return e;
}

enum err account_find(struct store_conn *c, const char *email, int64_t *user_id)
{
	char *em = lower(email);
	static const char sql[] = "SELECT id FROM users WHERE email = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		free(em);
		return ERR_STORE;
	}
	store_bind_text(st, 1, em);
	free(em);
	enum store_step r = store_step(st);
	enum err e = ERR_NOTFOUND;
	if (r == STORE_ROW) {
		*user_id = store_col_int(st, 0);
		e = ERR_OK;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}

enum err account_list(struct store_conn *c, json_t **out)
{
	static const char sql[] = "SELECT id FROM users ORDER BY id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	int64_t ids_cap = 64, n = 0;
	int64_t *ids = xmalloc(sizeof *ids * (size_t)ids_cap);
	while (store_step(st) == STORE_ROW) {
		if (n == ids_cap) {
			ids_cap *= 2;
			ids = xrealloc(ids, sizeof *ids * (size_t)ids_cap);
		}
		ids[n++] = store_col_int(st, 0);
	}
	store_reset(st);
	json_t *arr = json_array();
	for (int64_t i = 0; i < n; i++) {
		json_t *u;
		if (account_json(c, ids[i], &u) == ERR_OK)
			json_array_append_new(arr, u);
	}
	free(ids);
	*out = arr;
	return ERR_OK;
}

int64_t account_count(struct store_conn *c)
{
	static const char sql[] = "SELECT COUNT(*) FROM users";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return -1;
	int64_t n = store_step(st) == STORE_ROW ? store_col_int(st, 0) : -1;
	store_reset(st);
	return n;
}
