/* vault.c - per-record data keys wrapped by the key-encryption key. */
#include "domain/vault.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"

void vault_kek(const uint8_t master[CRYPTO_KEY_LEN], uint8_t kek[CRYPTO_KEY_LEN])
{
	crypto_derive(master, "consent personal data keys v1", kek);
}

void vault_new_key(const uint8_t kek[CRYPTO_KEY_LEN], const char *ref, uint8_t dk[CRYPTO_KEY_LEN],
                   uint8_t wrapped[VAULT_WRAPPED_LEN])
{
	crypto_random(dk, CRYPTO_KEY_LEN);
	crypto_seal(kek, dk, CRYPTO_KEY_LEN, ref, strlen(ref), wrapped);
}

enum err vault_unwrap(const uint8_t kek[CRYPTO_KEY_LEN], const char *ref, const void *wrapped,
                      size_t n, uint8_t dk[CRYPTO_KEY_LEN])
{
	if (!wrapped || n == 0)
		return ERR_NOTFOUND;
	if (n != VAULT_WRAPPED_LEN)
		return ERR_CRYPTO;
	return crypto_open(kek, wrapped, n, ref, strlen(ref), dk);
}

/* The associated data of a field: "ref/field". */
static char *field_ad(const char *ref, const char *field)
{
	return xasprintf("%s/%s", ref, field);
}

uint8_t *vault_seal(const uint8_t dk[CRYPTO_KEY_LEN], const char *ref, const char *field,
                    const char *s, size_t n, size_t *outlen)
{
	char *ad = field_ad(ref, field);
	uint8_t *out = xmalloc(n + CRYPTO_SEAL_OVERHEAD);
	crypto_seal(dk, s, n, ad, strlen(ad), out);
	free(ad);
	*outlen = n + CRYPTO_SEAL_OVERHEAD;
	return out;
}

enum err vault_open(const uint8_t dk[CRYPTO_KEY_LEN], const char *ref, const char *field,
                    const void *c, size_t n, char **out)
{
	*out = NULL;
	if (!c || n < CRYPTO_SEAL_OVERHEAD)
		return ERR_CRYPTO;
	char *ad = field_ad(ref, field);
	char *plain = xmalloc(n - CRYPTO_SEAL_OVERHEAD + 1);
	enum err e = crypto_open(dk, c, n, ad, strlen(ad), (uint8_t *)plain);
	free(ad);
	size_t len = n - CRYPTO_SEAL_OVERHEAD;
	if (e == ERR_OK && !utf8_valid(plain, len))
		e = ERR_CRYPTO;
	if (e) {
		free(plain);
		return e;
	}
	plain[len] = '\0';
	*out = plain;
	return ERR_OK;
}
