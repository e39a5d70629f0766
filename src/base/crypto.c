#include "base/crypto.h"

#include <sodium.h>
#include <string.h>

#include "base/xalloc.h"

enum err crypto_setup(void)
{
	return sodium_init() < 0 ? ERR_INTERNAL : ERR_OK;
}

void crypto_random(void *out, size_t n)
{
	randombytes_buf(out, n);
}

void crypto_token_new(char out[CRYPTO_TOKEN_CHARS + 1])
{
	uint8_t raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, CRYPTO_TOKEN_CHARS + 1, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void crypto_sha256(const void *p, size_t n, uint8_t out[CRYPTO_SHA256_LEN])
{
	crypto_hash_sha256(out, p, n);
}

void crypto_hmac_sha256(const uint8_t key[CRYPTO_KEY_LEN], const void *p, size_t n,
			uint8_t out[CRYPTO_SHA256_LEN])
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, CRYPTO_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, p, n);
	crypto_auth_hmacsha256_final(&st, out);
}

int crypto_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void crypto_derive(const uint8_t master[CRYPTO_KEY_LEN], const char *purpose,
		   uint8_t out[CRYPTO_KEY_LEN])
{
	crypto_hmac_sha256(master, purpose, strlen(purpose), out);
}

enum err crypto_password_hash(const char *password, char **out)
{
	char h[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str_alg(h, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return ERR_NOMEM;
	*out = xstrdup(h);
	return ERR_OK;
}

int crypto_password_verify(const char *stored, const char *password)
{
	return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
}

void crypto_seal(const uint8_t key[CRYPTO_KEY_LEN], const void *p, size_t n, const void *ad,
		 size_t adlen, uint8_t *out)
{
	uint8_t *nonce = out;
	randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	unsigned long long clen;
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
						   &clen, p, n, ad, adlen, NULL, nonce, key);
}

enum err crypto_open(const uint8_t key[CRYPTO_KEY_LEN], const uint8_t *c, size_t n,
		     const void *ad, size_t adlen, uint8_t *out)
{
	if (n < CRYPTO_SEAL_OVERHEAD)
		return ERR_CRYPTO;
	unsigned long long mlen;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		    out, &mlen, NULL, c + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
		    n - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, ad, adlen, c, key) != 0)
		return ERR_CRYPTO;
	return ERR_OK;
}

static char *b64(const void *p, size_t n, int variant)
{
	size_t len = sodium_base64_encoded_len(n, variant);
	char *s = xmalloc(len);
	sodium_bin2base64(s, len, p, n, variant);
	return s;
}

char *crypto_b64(const void *p, size_t n)
{
	return b64(p, n, sodium_base64_VARIANT_ORIGINAL);
}

char *crypto_b64url(const void *p, size_t n)
{
	return b64(p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

long crypto_unb64(const char *s, size_t slen, uint8_t *out, size_t cap)
{
	size_t len;
	const char *end;
	if (sodium_base642bin(out, cap, s, slen, NULL, &len, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != s + slen)
		return -1;
	return (long)len;
}

void crypto_hex(const void *p, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, p, n);
}

int crypto_unhex(const char *s, uint8_t *out, size_t n)
{
	size_t len;
	const char *end;
	if (strlen(s) != 2 * n)
		return -1;
	if (sodium_hex2bin(out, n, s, 2 * n, NULL, &len, &end) != 0 || len != n || *end)
		return -1;
	return 0;
}
