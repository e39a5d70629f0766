/* apikey.c - Open311 API keys, stored hashed. */
#include "domain/apikey.h"

#include <string.h>

#include "base/clock.h"
#include "domain/field.h"

static void key_hash(const char *key, char hex[2 * CRYPTO_SHA256_LEN + 1])
{
	uint8_t h[CRYPTO_SHA256_LEN];
	crypto_sha256(key, strlen(key), h);
	crypto_hex(h, sizeof h, hex);
}

enum err apikey_create(struct store_conn *c, const char *name, char key[CRYPTO_TOKEN_CHARS + 1],
                       struct errinfo *ei)
{
	enum err e = field_text_chars("name", name, APIKEY_NAME_MAX, 1, 0, ei);
	if (e)
		return e;
	char hash[2 * CRYPTO_SHA256_LEN + 1];
	crypto_token_new(key);
	key_hash(key, hash);
	static const char sql[] =
	    "INSERT INTO open311_keys (name, key_hash, created_at) VALUES (?, ?, ?)";
	struct store_stmt *st = store_prepare(c, sql);
	if (st) {
		store_bind_text(st, 1, name);
		store_bind_text(st, 2, hash);
		store_bind_int(st, 3, clock_now());
	}
	e = store_run(st);
	if (e == ERR_CONFLICT)
		return err_set(ei, e, "name", "a key with this name already exists");
	return e ? err_set(ei, e, "", "database error") : ERR_OK;
}

enum err apikey_check(struct store_conn *c, const char *key)
{
	if (!key || strlen(key) != CRYPTO_TOKEN_CHARS)
		return ERR_UNAUTH;
	char hash[2 * CRYPTO_SHA256_LEN + 1];
	key_hash(key, hash);
	static const char sql[] = "SELECT id FROM open311_keys WHERE key_hash = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, hash);
	int64_t id;
	enum err e = field_int(st, &id);
	return e == ERR_NOTFOUND ? ERR_UNAUTH : e;
}
