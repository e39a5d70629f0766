/* crypto.h - the few cryptographic operations consent uses, on libsodium.
 *
 * Passwords: argon2id. Tokens: 32 random bytes, base64url without padding.
 * Digests: SHA-256. MACs: HMAC-SHA-256. Personal data: XChaCha20-Poly1305
 * with a per-record data key wrapped by the instance master key. Signatures:
 * Ed25519. Names avoid libsodium's own crypto_* symbols. */
#ifndef CONSENT_BASE_CRYPTO_H
#define CONSENT_BASE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define CRYPTO_KEY_LEN 32
#define CRYPTO_SHA256_LEN 32
#define CRYPTO_TOKEN_CHARS 43 /* base64url of 32 bytes, no padding */
#define CRYPTO_SEAL_OVERHEAD (24 + 16) /* nonce + tag */

/* Initialises libsodium; call once at start. Returns ERR_INTERNAL on failure. */
enum err crypto_setup(void);

void crypto_random(void *out, size_t n);
/* A new random token, NUL-terminated, in out[CRYPTO_TOKEN_CHARS + 1]. */
void crypto_token_new(char out[CRYPTO_TOKEN_CHARS + 1]);

void crypto_sha256(const void *p, size_t n, uint8_t out[CRYPTO_SHA256_LEN]);
void crypto_hmac_sha256(const uint8_t key[CRYPTO_KEY_LEN], const void *p, size_t n,
			uint8_t out[CRYPTO_SHA256_LEN]);
/* Constant-time comparison; 1 if equal. */
int crypto_equal(const void *a, const void *b, size_t n);
/* Derives a subkey for one purpose ("csrf", ...) from the master key. */
void crypto_derive(const uint8_t master[CRYPTO_KEY_LEN], const char *purpose,
		   uint8_t out[CRYPTO_KEY_LEN]);

/* Hashes a password with argon2id into a new string (caller frees). */
enum err crypto_password_hash(const char *password, char **out);
/* 1 if password matches the stored hash, else 0. */
int crypto_password_verify(const char *stored, const char *password);

/* Encrypts p[0..n) with key into out[n + CRYPTO_SEAL_OVERHEAD]; ad is
 * authenticated, not encrypted (may be NULL). */
void crypto_seal(const uint8_t key[CRYPTO_KEY_LEN], const void *p, size_t n, const void *ad,
		 size_t adlen, uint8_t *out);
/* Decrypts a sealed box c[0..n) into out[n - CRYPTO_SEAL_OVERHEAD].
 * Returns ERR_CRYPTO if it does not authenticate. */
enum err crypto_open(const uint8_t key[CRYPTO_KEY_LEN], const uint8_t *c, size_t n,
		     const void *ad, size_t adlen, uint8_t *out);

/* base64 (standard, padded) of p into a new string; caller frees. */
char *crypto_b64(const void *p, size_t n);
/* base64url without padding; caller frees. */
char *crypto_b64url(const void *p, size_t n);
/* Decodes standard padded base64 into out (at most cap bytes); returns the
 * length or -1. Whitespace is not accepted. */
long crypto_unb64(const char *s, size_t slen, uint8_t *out, size_t cap);
/* Lower-case hex of p into out[2n + 1]. */
void crypto_hex(const void *p, size_t n, char *out);
/* Decodes exactly n bytes of hex; returns 0 or -1. */
int crypto_unhex(const char *s, uint8_t *out, size_t n);

#endif
