/* account.h - accounts, passwords and sessions. */
#ifndef CONSENT_DOMAIN_ACCOUNT_H
#define CONSENT_DOMAIN_ACCOUNT_H

#include <jansson.h>
#include <stdint.h>

#include "base/crypto.h"
#include "base/err.h"
#include "domain/actor.h"
#include "store/store.h"

#define ACCOUNT_SESSION_SECONDS (12 * 3600)
#define ACCOUNT_PASSWORD_MIN 10
#define ACCOUNT_PASSWORD_MAX 1024

/* Creates an account. email is lower-cased; password is hashed with
 * argon2id. ERR_INVAL (field "email", "password" or "name"), ERR_CONFLICT
 * if the email is taken. On success *id is the new user's id. */
enum err account_create(struct store_conn *c, const char *email, const char *password,
			const char *name, int is_admin, int64_t *id, struct errinfo *ei);

/* Checks email and password and opens a session. On success token receives
 * the new session token (shown once; only its hash is stored) and *user_id
 * the account. ERR_UNAUTH for a wrong email or password (same answer and
 * about the same time for both). */
enum err account_login(struct store_conn *c, const char *email, const char *password,
		       char token[CRYPTO_TOKEN_CHARS + 1], int64_t *user_id, struct errinfo *ei);

/* Ends the session of token (no error if there is none). */
enum err account_logout(struct store_conn *c, const char *token);

/* Fills actor from a session token: ERR_UNAUTH if the token is unknown,
 * expired, or the account is disabled. */
enum err account_actor(struct store_conn *c, const char *token, struct actor *actor);

/* Fills actor for a user id (for command-line use). */
enum err account_actor_by_id(struct store_conn *c, int64_t user_id, struct actor *actor);

/* The account as JSON: {"id","email","name","admin","lang","memberships":[{org,org_name,
 * kind,role}]}. The caller owns the result. ERR_NOTFOUND if absent. */
enum err account_json(struct store_conn *c, int64_t user_id, json_t **out);

/* The same JSON built from an actor already loaded (no query). */
json_t *account_actor_json(const struct actor *a);

/* Sets the account's language ("en", "fr", "nl") or clears it (NULL). */
enum err account_set_lang(struct store_conn *c, int64_t user_id, const char *lang,
			  struct errinfo *ei);
/* Sets the display name. */
enum err account_set_name(struct store_conn *c, int64_t user_id, const char *name,
			  struct errinfo *ei);
/* Changes the password after checking the current one; ends every other
 * session of the account. */
enum err account_set_password(struct store_conn *c, int64_t user_id, const char *current,
			      const char *password, struct errinfo *ei);

/* The user id of an email, or ERR_NOTFOUND. */
enum err account_find(struct store_conn *c, const char *email, int64_t *user_id);

/* All accounts as a JSON array (admin view). Caller owns it. */
enum err account_list(struct store_conn *c, json_t **out);

/* Number of accounts (0 means a fresh instance). */
int64_t account_count(struct store_conn *c);

/* Validation helpers shared with other domain files. */
int account_email_valid(const char *email);

#endif
