/* keys.h - the instance key file: the master key for personal data and
 * the Ed25519 signing key of the accountability log. Lives outside the
 * database, mode 0600. */
#ifndef CONSENT_CLI_KEYS_H
#define CONSENT_CLI_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct keys {
	uint8_t master[32];   /* wraps per-record data keys; derives subkeys */
	uint8_t sign_seed[32]; /* Ed25519 seed of the log signing key */
};

/* The key file path: --keys, else CONSENT_KEYS, else beside a SQLite file
 * ("PATH.keys"). Returns a new string or NULL (with a message in err) when
 * there is no default (PostgreSQL without --keys). */
char *keys_path(const char *flag, const char *dsn, char *err, size_t errlen);
/* Loads the key file. ERR_NOTFOUND if it does not exist, ERR_INVAL if it is
 * malformed or readable by others. */
enum err keys_load(const char *path, struct keys *k, char *err, size_t errlen);
/* Creates the key file with new random keys (mode 0600) unless it exists;
 * *created tells which. */
enum err keys_create(const char *path, struct keys *k, int *created, char *err, size_t errlen);

#endif
