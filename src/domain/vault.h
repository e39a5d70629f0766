/* vault.h - how personal data is kept at rest: every record that holds
 * personal data (a report) has a data key of its own, kept only wrapped
 * (sealed) by the instance's key-encryption key, which is derived from the
 * master key of the key file and never stored in the database. Each sealed
 * part is bound to its record and field (associated data "ref/field"), so
 * parts cannot be swapped between records or fields. Destroying the wrapped
 * data key erases every part sealed with it.
 *
 * Only domain/report.c (the reporter's own receipt) and domain/audit.c
 * (staff, after logging) unwrap data keys. */
#ifndef CONSENT_DOMAIN_VAULT_H
#define CONSENT_DOMAIN_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "base/crypto.h"
#include "base/err.h"

#define VAULT_WRAPPED_LEN (CRYPTO_KEY_LEN + CRYPTO_SEAL_OVERHEAD)

/* The key-encryption key of personal data, derived from the master key. */
void vault_kek(const uint8_t master[CRYPTO_KEY_LEN], uint8_t kek[CRYPTO_KEY_LEN]);

/* A new random data key for the record ref ("report:Xb3..."), and its
 * wrapped form under kek. */
void vault_new_key(const uint8_t kek[CRYPTO_KEY_LEN], const char *ref, uint8_t dk[CRYPTO_KEY_LEN],
                   uint8_t wrapped[VAULT_WRAPPED_LEN]);

/* Unwraps the data key of ref. ERR_NOTFOUND if there is none (erased);
 * ERR_CRYPTO if it does not authenticate (wrong master key, or a wrapped
 * key moved from another record). */
enum err vault_unwrap(const uint8_t kek[CRYPTO_KEY_LEN], const char *ref, const void *wrapped,
                      size_t n, uint8_t dk[CRYPTO_KEY_LEN]);

/* Seals s[0..n) as the field of ref into a new buffer of *outlen bytes
 * (caller frees). */
uint8_t *vault_seal(const uint8_t dk[CRYPTO_KEY_LEN], const char *ref, const char *field,
                    const char *s, size_t n, size_t *outlen);

/* Opens a sealed field of ref into a new NUL-terminated string (caller
 * frees). ERR_CRYPTO if it does not authenticate or is not text. */
enum err vault_open(const uint8_t dk[CRYPTO_KEY_LEN], const char *ref, const char *field,
                    const void *c, size_t n, char **out);

#endif
