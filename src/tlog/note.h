/* note.h - C2SP signed notes, checkpoints and cosignatures, pure.
 *
 * A signed note (c2sp.org/signed-note v1.0.0) is UTF-8 text ending in '\n'
 * with no control characters but '\n', then a blank line, then one or more
 * lines "— <key name> <base64(key id[4] || signature)>\n" (U+2014 em dash).
 * Key ids are SHA-256(name || 0x0A || type || public key)[:4], big-endian.
 * Supported signature types: 0x01, Ed25519 over the note text; 0x04, the
 * timestamped Ed25519 cosignature of c2sp.org/tlog-cosignature (signature =
 * uint64be timestamp || Ed25519 signature over "cosignature/v1\ntime <ts>\n"
 * || note text). Keys of other types cannot be parsed or configured; their
 * signatures in a note are unknown and ignored.
 *
 * Key strings: a verifier key (vkey) is "name+hex(key id)+base64(type ||
 * public key)"; a signer key uses the golang.org/x/mod/sumdb/note form
 * "PRIVATE+KEY+name+hex(key id)+base64(type || 32-byte seed)" (not a C2SP
 * format; it holds the secret).
 *
 * Verification (note_verify): a signature whose (name, key id) matches no
 * configured key is ignored; one that matches must verify, or the whole note
 * is rejected; at least one must verify. A checkpoint (c2sp.org/tlog-
 * checkpoint v1.0.0) is a note whose text is origin, tree size and base64
 * root hash, each on its own line, then optional non-empty extension lines.
 *
 * The functions use libsodium: crypto_setup() (base/crypto.h) must have run. */
#ifndef CONSENT_TLOG_NOTE_H
#define CONSENT_TLOG_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define NOTE_NAME_MAX     255  /* longest key name we configure, in bytes */
#define NOTE_MAX_SIGS     100  /* most signature lines a note may carry */
#define NOTE_TYPE_ED25519 0x01 /* Ed25519 note signature */
#define NOTE_TYPE_COSIG   0x04 /* tlog-cosignature v1, timestamped Ed25519 */
#define NOTE_KEY_LEN      32   /* Ed25519 public key and seed */
#define NOTE_HASH_LEN     32   /* checkpoint root hash */

/* A public key that notes may be verified with. Plain data, copyable. */
struct note_verifier {
	char name[NOTE_NAME_MAX + 1];
	uint32_t key_id;
	uint8_t type; /* NOTE_TYPE_ED25519 or NOTE_TYPE_COSIG */
	uint8_t pub[NOTE_KEY_LEN];
};

/* A private key that signs notes. Caller-owned; note_signer_clear wipes it. */
struct note_signer {
	char name[NOTE_NAME_MAX + 1];
	uint32_t key_id;
	uint8_t type; /* NOTE_TYPE_ED25519 or NOTE_TYPE_COSIG */
	uint8_t pub[NOTE_KEY_LEN];
	uint8_t sk[64]; /* libsodium Ed25519 secret key: seed || pub */
};

/* One signature line of a note. */
struct note_sig {
	char *name; /* key name, NUL-terminated (owned by the note) */
	uint32_t key_id;
	uint8_t *sig; /* the bytes after the key id (owned by the note) */
	size_t sig_len;
};

/* A note: its text and signatures. Caller-owned: note_init, note_clear. */
struct note {
	char *text; /* NUL-terminated, ends in '\n'; NULL until set */
	size_t text_len;
	struct note_sig *sigs;
	size_t nsigs;
};

/* The parsed text of a checkpoint. Caller-owned: filled by
 * note_checkpoint_parse, freed by note_checkpoint_clear. */
struct note_checkpoint {
	char *origin; /* NUL-terminated, owned */
	uint64_t size;
	uint8_t root[NOTE_HASH_LEN];
	char *extensions; /* extension lines, each ending in '\n', or "" (owned) */
};

/* ---- Keys ---- */

/* 1 if name is a valid key name: non-empty, valid UTF-8, no control
 * characters, no Unicode white space, no '+'. */
int note_name_valid(const char *name, size_t len);

/* The key id SHA-256(name || 0x0A || type || pub)[:4] as a big-endian
 * number. */
uint32_t note_key_id(const char *name, uint8_t type, const uint8_t pub[NOTE_KEY_LEN]);

/* Parses a vkey string (NUL-terminated) into *v: splits at the first two
 * '+' only (base64 may contain '+'), checks the name, that the type is
 * supported, the key is 32 bytes and the key id is the one the name and key
 * give. Errors: ERR_INVAL. */
enum err note_verifier_parse(const char *vkey, struct note_verifier *v);

/* The vkey string of v, newly allocated (caller frees). */
char *note_verifier_format(const struct note_verifier *v);

/* Makes a signer of the given type for a key name from a 32-byte Ed25519
 * seed. Errors: ERR_INVAL for a bad name (or one over NOTE_NAME_MAX bytes) or
 * type. */
enum err note_signer_from_seed(struct note_signer *s, const char *name, uint8_t type,
                               const uint8_t seed[NOTE_KEY_LEN]);

/* Makes a signer with a new random key. Errors: as note_signer_from_seed. */
enum err note_signer_generate(struct note_signer *s, const char *name, uint8_t type);

/* Parses a "PRIVATE+KEY+name+hex(id)+base64(type || seed)" string, checking
 * the key id. Errors: ERR_INVAL. Intermediate copies of the secret are
 * wiped. */
enum err note_signer_parse(const char *skey, struct note_signer *s);

/* The PRIVATE+KEY+... string of s, newly allocated; it holds the secret:
 * the caller wipes (sodium_memzero) and frees it. */
char *note_signer_format(const struct note_signer *s);

/* The verifier key matching signer s. */
void note_signer_verifier(const struct note_signer *s, struct note_verifier *v);

/* Wipes the secret key in s. */
void note_signer_clear(struct note_signer *s);

/* ---- Notes ---- */

/* Makes n an empty note (no text, no signatures). */
void note_init(struct note *n);

/* Frees what n owns and makes it empty again. */
void note_clear(struct note *n);

/* 1 if text[0..len) may be a note text: non-empty, ends in '\n', valid
 * UTF-8, no control characters other than '\n' (so no CR, no NUL). */
int note_text_valid(const char *text, size_t len);

/* Sets the text of n (copied) and drops any signatures. Errors: ERR_INVAL
 * if !note_text_valid. */
enum err note_set_text(struct note *n, const char *text, size_t len);

/* Parses a signed note msg[0..len) into n (which it initialises; on error
 * n is left empty). Nothing is verified. Errors: ERR_INVAL for a malformed
 * note (control characters such as CR, invalid UTF-8, no blank line before
 * the signatures, a signature line not starting with "— ", a bad name or
 * base64, a signature shorter than 5 bytes, no final '\n'); ERR_LIMIT for
 * more than NOTE_MAX_SIGS signatures. */
enum err note_parse(struct note *n, const char *msg, size_t len);

/* Appends to n a signature of its text by s. For NOTE_TYPE_COSIG the
 * signature carries `timestamp` (POSIX seconds; ignored for Ed25519).
 * Errors: ERR_INVAL if n has no text or timestamp > INT64_MAX; ERR_LIMIT if
 * n already has NOTE_MAX_SIGS signatures. */
enum err note_sign(struct note *n, const struct note_signer *s, uint64_t timestamp);

/* The signed note text of n (text, blank line, signature lines), newly
 * allocated into *out (caller frees). Errors: ERR_INVAL if n has no text or
 * no signature. */
enum err note_format(const struct note *n, char **out);

/* Verifies n against keys[0..nkeys) (distinct (name, key id) pairs). If
 * sig_key is not NULL it must hold n->nsigs entries; sig_key[i] is set to
 * the index of the key that verified signature i, or SIZE_MAX if the
 * signature is by an unknown key. Returns ERR_OK if at least one known key
 * verified and none failed. Errors: ERR_CRYPTO if a signature by a known
 * key does not verify (wrong length, bad signature, cosignature timestamp
 * over INT64_MAX); ERR_UNAUTH if no signature is by a known key; ERR_INVAL
 * if n has no text or two keys share name and key id. */
enum err note_verify(const struct note *n, const struct note_verifier *keys, size_t nkeys,
                     size_t *sig_key);

/* Parses msg[0..len) and verifies it as note_verify does; on success n
 * holds the note (caller note_clear's it), on error n is left empty. Errors:
 * those of note_parse and note_verify. */
enum err note_open(struct note *n, const char *msg, size_t len, const struct note_verifier *keys,
                   size_t nkeys);

/* The timestamp of a cosignature (type NOTE_TYPE_COSIG): the first 8 bytes
 * of sig, big-endian. Errors: ERR_INVAL if the signature is too short. */
enum err note_sig_timestamp(const struct note_sig *sig, uint64_t *timestamp);

/* ---- Checkpoints ---- */

/* Parses a checkpoint note text[0..len) into *c (which it initialises; on
 * error *c is left empty): origin (non-empty), tree size (decimal, no
 * leading zeros, fits 64 bits), root hash (standard base64 of 32 bytes),
 * then optional non-empty extension lines. Errors: ERR_INVAL. */
enum err note_checkpoint_parse(const char *text, size_t len, struct note_checkpoint *c);

/* Frees what c owns and zeroes it. */
void note_checkpoint_clear(struct note_checkpoint *c);

/* The checkpoint text "origin\nsize\nbase64(root)\n" followed by
 * `extensions` (NULL or "" for none; else non-empty lines each ending in
 * '\n'), newly allocated into *out (caller frees). Errors: ERR_INVAL if the
 * origin is empty or has a control character, or the extensions are
 * malformed. */
enum err note_checkpoint_format(const char *origin, uint64_t size,
                                const uint8_t root[NOTE_HASH_LEN], const char *extensions,
                                char **out);

/* Opens a signed checkpoint msg[0..len): it must carry a valid signature by
 * log_key (an Ed25519 key, type NOTE_TYPE_ED25519), and no bad signature by
 * log_key or any of the witnesses[0..nwitnesses) (cosigner keys); its text
 * must parse as a checkpoint whose origin is log_key's name (the log's key
 * name SHOULD be its origin; this client insists). On success *c holds the
 * checkpoint (caller clears it) and, if ncosigned is not NULL, *ncosigned is
 * the number of distinct witnesses with a valid cosignature. On error *c is
 * left empty. Errors: those of note_parse and note_verify (ERR_UNAUTH if
 * log_key did not sign); ERR_INVAL for a log_key of another type, a
 * malformed checkpoint or an origin other than the key name. */
enum err note_checkpoint_open(const char *msg, size_t len, const struct note_verifier *log_key,
                              const struct note_verifier *witnesses, size_t nwitnesses,
                              struct note_checkpoint *c, size_t *ncosigned);

#endif
