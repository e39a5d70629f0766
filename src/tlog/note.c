/* note.c - C2SP signed notes, checkpoints and cosignatures. */
#include "tlog/note.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/xalloc.h"

#define EM_DASH         "\xe2\x80\x94"
#define SIG_PREFIX      EM_DASH " "
#define SIG_PREFIX_LEN  4
#define ED25519_SIG_LEN 64
#define COSIG_LEN       (8 + ED25519_SIG_LEN)
#define SKEY_PREFIX     "PRIVATE+KEY+"
#define SKEY_PREFIX_LEN 12

/* ---- Text checks ---- */

/* 1 if s[0..n) is valid UTF-8 with no control character but '\n'. Bytes
 * of multi-byte sequences are all >= 0x80, so a byte test finds controls. */
static int chars_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\n')
			return 0;
	}
	return utf8_valid(s, n);
}

/* Decodes the code point at s[*i] of valid UTF-8 and advances *i. */
static uint32_t next_cp(const unsigned char *s, size_t *i)
{
	uint32_t c = s[*i];
	int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
	if (more)
		c &= 0x3fu >> more;
	(*i)++;
	while (more-- > 0)
		c = c << 6 | (s[(*i)++] & 0x3fu);
	return c;
}

/* Unicode White_Space (what Go's unicode.IsSpace reports). */
static int is_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
	       c == 0x205f || c == 0x3000;
}

int note_name_valid(const char *name, size_t len)
{
	if (len == 0 || !utf8_valid(name, len))
		return 0;
	const unsigned char *s = (const unsigned char *)name;
	for (size_t i = 0; i < len;) {
		uint32_t c = next_cp(s, &i);
		if (c < 0x20 || c == '+' || is_space(c))
			return 0;
	}
	return 1;
}

int note_text_valid(const char *text, size_t len)
{
	return len > 0 && text[len - 1] == '\n' && chars_valid(text, len);
}

/* ---- Keys ---- */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static int type_supported(uint8_t type)
{
	return type == NOTE_TYPE_ED25519 || type == NOTE_TYPE_COSIG;
}

uint32_t note_key_id(const char *name, uint8_t type, const uint8_t pub[NOTE_KEY_LEN])
{
	uint8_t h[crypto_hash_sha256_BYTES];
	const uint8_t sep[2] = {'\n', type};
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
	crypto_hash_sha256_update(&st, sep, 2);
	crypto_hash_sha256_update(&st, pub, NOTE_KEY_LEN);
	crypto_hash_sha256_final(&st, h);
	return be32(h);
}

/* Parses 8 hex digits (either case). */
static int parse_hex32(const char *s, size_t n, uint32_t *v)
{
	if (n != 8)
		return -1;
	uint32_t x = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		x = x << 4 | d;
	}
	*v = x;
	return 0;
}

/* Splits "name+hex(id)+base64(type || key)" at its first two '+' and
 * decodes it into name, id and key[0..1 + NOTE_KEY_LEN) (type, then the
 * 32 key bytes); the caller wipes key if it is secret. */
static enum err parse_key_string(const char *s, char name[NOTE_NAME_MAX + 1], uint32_t *id,
                                 uint8_t key[1 + NOTE_KEY_LEN])
{
	const char *p1 = strchr(s, '+');
	if (!p1)
		return ERR_INVAL;
	const char *p2 = strchr(p1 + 1, '+');
	size_t nlen = (size_t)(p1 - s);
	if (!p2 || nlen > NOTE_NAME_MAX || !note_name_valid(s, nlen) ||
	    parse_hex32(p1 + 1, (size_t)(p2 - p1 - 1), id) != 0)
		return ERR_INVAL;
	uint8_t raw[1 + NOTE_KEY_LEN + 1];
	long n = crypto_unb64(p2 + 1, strlen(p2 + 1), raw, sizeof raw);
	enum err e = ERR_INVAL;
	if (n == 1 + NOTE_KEY_LEN && type_supported(raw[0])) {
		memcpy(key, raw, 1 + NOTE_KEY_LEN);
		memcpy(name, s, nlen);
		name[nlen] = '\0';
		e = ERR_OK;
	}
	sodium_memzero(raw, sizeof raw);
	return e;
}

/* "prefix name+hex(id)+base64(type || key)", newly allocated. */
static char *format_key_string(const char *prefix, const char *name, uint32_t id, uint8_t type,
                               const uint8_t key[NOTE_KEY_LEN])
{
	uint8_t raw[1 + NOTE_KEY_LEN];
	raw[0] = type;
	memcpy(raw + 1, key, NOTE_KEY_LEN);
	char *b64 = crypto_b64(raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%s%s+%08" PRIx32 "+%s", prefix, name, id, b64);
	sodium_memzero(b64, strlen(b64));
	free(b64);
	return buf_take(&b);
}

enum err note_verifier_parse(const char *vkey, struct note_verifier *v)
{
	struct note_verifier r;
	uint8_t key[1 + NOTE_KEY_LEN];
	memset(&r, 0, sizeof r); /* no stray bytes after the name: copies compare equal */
	enum err e = parse_key_string(vkey, r.name, &r.key_id, key);
	if (e != ERR_OK)
		return e;
	r.type = key[0];
	memcpy(r.pub, key + 1, NOTE_KEY_LEN);
	if (note_key_id(r.name, r.type, r.pub) != r.key_id)
		return ERR_INVAL;
	*v = r;
	return ERR_OK;
}

char *note_verifier_format(const struct note_verifier *v)
{
	return format_key_string("", v->name, v->key_id, v->type, v->pub);
}

enum err note_signer_from_seed(struct note_signer *s, const char *name, uint8_t type,
                               const uint8_t seed[NOTE_KEY_LEN])
{
	size_t nlen = strlen(name);
	if (nlen > NOTE_NAME_MAX || !note_name_valid(name, nlen) || !type_supported(type))
		return ERR_INVAL;
	memset(s, 0, sizeof *s);
	memcpy(s->name, name, nlen + 1);
	s->type = type;
	crypto_sign_ed25519_seed_keypair(s->pub, s->sk, seed);
	s->key_id = note_key_id(s->name, type, s->pub);
	return ERR_OK;
}

enum err note_signer_generate(struct note_signer *s, const char *name, uint8_t type)
{
	uint8_t seed[NOTE_KEY_LEN];
	randombytes_buf(seed, sizeof seed);
	enum err e = note_signer_from_seed(s, name, type, seed);
	sodium_memzero(seed, sizeof seed);
	return e;
}

enum err note_signer_parse(const char *skey, struct note_signer *s)
{
	if (strncmp(skey, SKEY_PREFIX, SKEY_PREFIX_LEN) != 0)
		return ERR_INVAL;
	char name[NOTE_NAME_MAX + 1];
	uint32_t id;
	uint8_t key[1 + NOTE_KEY_LEN];
	enum err e = parse_key_string(skey + SKEY_PREFIX_LEN, name, &id, key);
	if (e == ERR_OK)
		e = note_signer_from_seed(s, name, key[0], key + 1);
	sodium_memzero(key, sizeof key);
	if (e == ERR_OK && s->key_id != id) {
		note_signer_clear(s);
		e = ERR_INVAL;
	}
	return e;
}

char *note_signer_format(const struct note_signer *s)
{
	return format_key_string(SKEY_PREFIX, s->name, s->key_id, s->type, s->sk);
}

void note_signer_verifier(const struct note_signer *s, struct note_verifier *v)
{
	memset(v, 0, sizeof *v);
	memcpy(v->name, s->name, sizeof v->name);
	v->key_id = s->key_id;
	v->type = s->type;
	memcpy(v->pub, s->pub, NOTE_KEY_LEN);
}

void note_signer_clear(struct note_signer *s)
{
	sodium_memzero(s, sizeof *s);
}

/* ---- Notes ---- */

void note_init(struct note *n)
{
	memset(n, 0, sizeof *n);
}

static void drop_sigs(struct note *n)
{
	for (size_t i = 0; i < n->nsigs; i++) {
		free(n->sigs[i].name);
		free(n->sigs[i].sig);
	}
	free(n->sigs);
	n->sigs = NULL;
	n->nsigs = 0;
}

void note_clear(struct note *n)
{
	drop_sigs(n);
	free(n->text);
	note_init(n);
}

enum err note_set_text(struct note *n, const char *text, size_t len)
{
	if (!note_text_valid(text, len))
		return ERR_INVAL;
	drop_sigs(n);
	free(n->text);
	n->text = xstrndup(text, len);
	n->text_len = len;
	return ERR_OK;
}

/* Appends a signature to n, taking ownership of name and sig. */
static void add_sig(struct note *n, char *name, uint32_t key_id, uint8_t *sig, size_t sig_len)
{
	n->sigs = xreallocarray(n->sigs, n->nsigs + 1, sizeof *n->sigs);
	n->sigs[n->nsigs++] = (struct note_sig){name, key_id, sig, sig_len};
}

/* Parses one signature line line[0..len) (without its '\n') into n. */
static enum err parse_sig_line(struct note *n, const char *line, size_t len)
{
	if (len < SIG_PREFIX_LEN || memcmp(line, SIG_PREFIX, SIG_PREFIX_LEN) != 0)
		return ERR_INVAL;
	line += SIG_PREFIX_LEN;
	len -= SIG_PREFIX_LEN;
	const char *sp = NULL;
	for (size_t i = len; i > 0; i--) {
		if (line[i - 1] == ' ') {
			sp = line + i - 1;
			break;
		}
	}
	if (!sp)
		return ERR_INVAL;
	size_t nlen = (size_t)(sp - line), blen = len - nlen - 1;
	if (!note_name_valid(line, nlen) || blen == 0)
		return ERR_INVAL;
	size_t cap = blen / 4 * 3 + 3;
	uint8_t *raw = xmalloc(cap);
	long rlen = crypto_unb64(sp + 1, blen, raw, cap);
	if (rlen < 5) {
		free(raw);
		return ERR_INVAL;
	}
	size_t sig_len = (size_t)rlen - 4;
	uint8_t *sig = xmalloc(sig_len);
	memcpy(sig, raw + 4, sig_len);
	add_sig(n, xstrndup(line, nlen), be32(raw), sig, sig_len);
	free(raw);
	return ERR_OK;
}

enum err note_parse(struct note *n, const char *msg, size_t len)
{
	note_init(n);
	enum err e = ERR_INVAL;
	if (len < 2 || msg[len - 1] != '\n' || !chars_valid(msg, len))
		goto out;
	/* The text ends at the last blank line. */
	size_t split = len - 1;
	while (split > 0 && !(msg[split - 1] == '\n' && msg[split] == '\n'))
		split--;
	if (split == 0)
		goto out;
	size_t text_len = split; /* includes the text's final '\n' */
	const char *p = msg + split + 1, *end = msg + len;
	if (p == end)
		goto out;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (n->nsigs == NOTE_MAX_SIGS) {
			e = ERR_LIMIT;
			goto out;
		}
		if ((e = parse_sig_line(n, p, (size_t)(nl - p))) != ERR_OK)
			goto out;
		p = nl + 1;
	}
	n->text = xstrndup(msg, text_len);
	n->text_len = text_len;
	e = ERR_OK;
out:
	if (e != ERR_OK)
		note_clear(n);
	return e;
}

/* "cosignature/v1\ntime <ts>\n" || text, newly allocated into b. */
static void cosig_message(struct buf *b, uint64_t ts, const char *text, size_t len)
{
	buf_printf(b, "cosignature/v1\ntime %" PRIu64 "\n", ts);
	buf_append(b, text, len);
}

enum err note_sign(struct note *n, const struct note_signer *s, uint64_t timestamp)
{
	if (!n->text || (s->type == NOTE_TYPE_COSIG && timestamp > INT64_MAX) ||
	    !type_supported(s->type))
		return ERR_INVAL;
	if (n->nsigs >= NOTE_MAX_SIGS)
		return ERR_LIMIT;
	uint8_t *sig;
	size_t sig_len;
	if (s->type == NOTE_TYPE_ED25519) {
		sig_len = ED25519_SIG_LEN;
		sig = xmalloc(sig_len);
		crypto_sign_ed25519_detached(sig, NULL, (const uint8_t *)n->text, n->text_len,
		                             s->sk);
	} else {
		sig_len = COSIG_LEN;
		sig = xmalloc(sig_len);
		put_be64(sig, timestamp);
		struct buf m;
		buf_init(&m);
		cosig_message(&m, timestamp, n->text, n->text_len);
		crypto_sign_ed25519_detached(sig + 8, NULL, (const uint8_t *)m.data, m.len, s->sk);
		buf_clear(&m);
	}
	add_sig(n, xstrdup(s->name), s->key_id, sig, sig_len);
	return ERR_OK;
}

enum err note_format(const struct note *n, char **out)
{
	*out = NULL;
	if (!n->text || n->nsigs == 0)
		return ERR_INVAL;
	struct buf b;
	buf_init(&b);
	buf_append(&b, n->text, n->text_len);
	buf_putc(&b, '\n');
	for (size_t i = 0; i < n->nsigs; i++) {
		const struct note_sig *sg = &n->sigs[i];
		uint8_t *raw = xmalloc(4 + sg->sig_len);
		put_be32(raw, sg->key_id);
		memcpy(raw + 4, sg->sig, sg->sig_len);
		char *b64 = crypto_b64(raw, 4 + sg->sig_len);
		buf_printf(&b, SIG_PREFIX "%s %s\n", sg->name, b64);
		free(b64);
		free(raw);
	}
	*out = buf_take(&b);
	return ERR_OK;
}

enum err note_sig_timestamp(const struct note_sig *sig, uint64_t *timestamp)
{
	if (sig->sig_len < 8)
		return ERR_INVAL;
	*timestamp = be64(sig->sig);
	return ERR_OK;
}

/* 1 if sig verifies with key over text. */
static int sig_ok(const struct note_verifier *key, const struct note_sig *sig, const char *text,
                  size_t len)
{
	if (key->type == NOTE_TYPE_ED25519)
		return sig->sig_len == ED25519_SIG_LEN &&
		       crypto_sign_ed25519_verify_detached(sig->sig, (const uint8_t *)text, len,
		                                           key->pub) == 0;
	if (key->type != NOTE_TYPE_COSIG || sig->sig_len != COSIG_LEN)
		return 0;
	uint64_t ts = be64(sig->sig);
	if (ts > INT64_MAX)
		return 0;
	struct buf m;
	buf_init(&m);
	cosig_message(&m, ts, text, len);
	int ok = crypto_sign_ed25519_verify_detached(sig->sig + 8, (const uint8_t *)m.data, m.len,
	                                             key->pub) == 0;
	buf_clear(&m);
	return ok;
}

enum err note_verify(const struct note *n, const struct note_verifier *keys, size_t nkeys,
                     size_t *sig_key)
{
	if (!n->text)
		return ERR_INVAL;
	for (size_t i = 0; i < nkeys; i++)
		for (size_t j = i + 1; j < nkeys; j++)
			if (keys[i].key_id == keys[j].key_id &&
			    strcmp(keys[i].name, keys[j].name) == 0)
				return ERR_INVAL;
	int verified = 0;
	for (size_t i = 0; i < n->nsigs; i++) {
		const struct note_sig *sg = &n->sigs[i];
		size_t k = 0;
		while (k < nkeys &&
		       !(keys[k].key_id == sg->key_id && strcmp(keys[k].name, sg->name) == 0))
			k++;
		if (sig_key)
			sig_key[i] = k < nkeys ? k : SIZE_MAX;
		if (k == nkeys)
			continue; /* unknown key: ignored */
		if (!sig_ok(&keys[k], sg, n->text, n->text_len))
			return ERR_CRYPTO;
		verified = 1;
	}
	return verified ? ERR_OK : ERR_UNAUTH;
}

enum err note_open(struct note *n, const char *msg, size_t len, const struct note_verifier *keys,
                   size_t nkeys)
{
	enum err e = note_parse(n, msg, len);
	if (e != ERR_OK)
		return e;
	e = note_verify(n, keys, nkeys, NULL);
	if (e != ERR_OK)
		note_clear(n);
	return e;
}

/* ---- Checkpoints ---- */

/* Parses a decimal tree size: no sign, no leading zeros, fits 64 bits. */
static int parse_size(const char *s, size_t n, uint64_t *v)
{
	if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
		return -1;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		uint64_t d = (uint64_t)(s[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/* 1 if s is "" or non-empty lines each ending in '\n'. */
static int extensions_valid(const char *s, size_t n)
{
	if (n == 0)
		return 1;
	if (s[0] == '\n' || s[n - 1] != '\n')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '\n' && s[i - 1] == '\n')
			return 0;
	return 1;
}

void note_checkpoint_clear(struct note_checkpoint *c)
{
	free(c->origin);
	free(c->extensions);
	memset(c, 0, sizeof *c);
}

enum err note_checkpoint_parse(const char *text, size_t len, struct note_checkpoint *c)
{
	memset(c, 0, sizeof *c);
	if (!note_text_valid(text, len))
		return ERR_INVAL;
	const char *end = text + len, *line[3];
	size_t llen[3];
	const char *p = text;
	for (int i = 0; i < 3; i++) {
		if (p == end)
			return ERR_INVAL;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		line[i] = p;
		llen[i] = (size_t)(nl - p);
		if (llen[i] == 0)
			return ERR_INVAL;
		p = nl + 1;
	}
	uint8_t root[NOTE_HASH_LEN + 1];
	if (parse_size(line[1], llen[1], &c->size) != 0 ||
	    crypto_unb64(line[2], llen[2], root, sizeof root) != NOTE_HASH_LEN ||
	    !extensions_valid(p, (size_t)(end - p))) {
		memset(c, 0, sizeof *c);
		return ERR_INVAL;
	}
	memcpy(c->root, root, NOTE_HASH_LEN);
	c->origin = xstrndup(line[0], llen[0]);
	c->extensions = xstrndup(p, (size_t)(end - p));
	return ERR_OK;
}

enum err note_checkpoint_format(const char *origin, uint64_t size,
                                const uint8_t root[NOTE_HASH_LEN], const char *extensions,
                                char **out)
{
	*out = NULL;
	if (!extensions)
		extensions = "";
	if (!origin[0] || strchr(origin, '\n') || !extensions_valid(extensions, strlen(extensions)))
		return ERR_INVAL;
	char *b64 = crypto_b64(root, NOTE_HASH_LEN);
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%s\n%" PRIu64 "\n%s\n%s", origin, size, b64, extensions);
	free(b64);
	if (!note_text_valid(b.data, b.len)) {
		buf_clear(&b);
		return ERR_INVAL;
	}
	*out = buf_take(&b);
	return ERR_OK;
}

enum err note_checkpoint_open(const char *msg, size_t len, const struct note_verifier *log_key,
                              const struct note_verifier *witnesses, size_t nwitnesses,
                              struct note_checkpoint *c, size_t *ncosigned)
{
	struct note n;
	size_t nkeys = 1 + nwitnesses, *sig_key = NULL;
	struct note_verifier *keys = xreallocarray(NULL, nkeys, sizeof *keys);
	unsigned char *seen = xcalloc(nkeys, 1);
	memset(c, 0, sizeof *c);
	note_init(&n);
	enum err e = ERR_INVAL;
	if (log_key->type != NOTE_TYPE_ED25519)
		goto out;
	keys[0] = *log_key;
	if (nwitnesses)
		memcpy(keys + 1, witnesses, nwitnesses * sizeof *keys);

	if ((e = note_parse(&n, msg, len)) != ERR_OK)
		goto out;
	sig_key = xreallocarray(NULL, n.nsigs, sizeof *sig_key);
	if ((e = note_verify(&n, keys, nkeys, sig_key)) != ERR_OK)
		goto out;
	for (size_t i = 0; i < n.nsigs; i++)
		if (sig_key[i] != SIZE_MAX)
			seen[sig_key[i]] = 1;
	if (!seen[0]) {
		e = ERR_UNAUTH;
		goto out;
	}
	if ((e = note_checkpoint_parse(n.text, n.text_len, c)) != ERR_OK)
		goto out;
	if (strcmp(c->origin, log_key->name) != 0) {
		note_checkpoint_clear(c);
		e = ERR_INVAL;
		goto out;
	}
	if (ncosigned) {
		*ncosigned = 0;
		for (size_t k = 1; k < nkeys; k++)
			*ncosigned += seen[k];
	}
out:
	note_clear(&n);
	free(sig_key);
	free(seen);
	free(keys);
	return e;
}
