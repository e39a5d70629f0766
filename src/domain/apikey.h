/* apikey.h - API keys of Open311 clients (needed to POST requests). A key
 * is a random token shown once; only its SHA-256 is stored. */
#ifndef CONSENT_DOMAIN_APIKEY_H
#define CONSENT_DOMAIN_APIKEY_H

#include "base/crypto.h"
#include "base/err.h"
#include "store/store.h"

#define APIKEY_NAME_MAX 100

/* Creates a key for the client called name (1-100 characters, unique) and
 * writes it into key (shown once). ERR_INVAL ("name"), ERR_CONFLICT if the
 * name is taken. */
enum err apikey_create(struct store_conn *c, const char *name, char key[CRYPTO_TOKEN_CHARS + 1],
                       struct errinfo *ei);

/* ERR_OK if key is a known API key, else ERR_UNAUTH (also for NULL). */
enum err apikey_check(struct store_conn *c, const char *key);

#endif
