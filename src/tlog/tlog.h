/* tlog.h - the accountability log, persisted on the store interface.
 *
 * An append-only RFC 9162 Merkle tree of entries (merkle.h), published as
 * C2SP signed checkpoints (note.h) and tlog-tiles (tile.h). Works the same
 * on SQLite and PostgreSQL (tables in store/migrations/0002_tlog.sql):
 *  - tlog_entries: entry i, canonical JSON;
 *  - tlog_hashes: the hash of every complete subtree (level, index), keyed
 *    by its in-order position (index << (level + 1)) + 2^level - 1, so that
 *    proofs, roots and tiles cost O(log n) point reads, which are gathered
 *    into one statement (SELECT ... WHERE node IN (...)) per 64 hashes;
 *  - tlog_state: the size, one row, updated by every append in the
 *    appending transaction, which serializes appends;
 *  - tlog_checkpoints, tlog_cosignatures, tlog_witnesses: signed
 *    checkpoints, witnesses' cosignatures of them, and witness keys.
 *
 * Entries are canonical JSON, keys sorted and no white space:
 *   {"action":"member.add","actor":{"id":"Ab3...","org":"st-philips-centre",
 *    "role":"org_admin"},"object":"membership:...","purpose":"...",
 *    "time":"2026-11-24T20:52:52Z"}
 * Every string is non-empty UTF-8 of at most TLOG_FIELD_MAX bytes without
 * control characters; "org" is null when the actor did not act for an
 * organisation. An entry says what was done to what and why, never
 * anything personal (object is a reference: "report:abc123").
 *
 * Committed entries and hashes never change, so reading functions need no
 * transaction: they read the size, then only what that size covers. */
#ifndef CONSENT_TLOG_TLOG_H
#define CONSENT_TLOG_TLOG_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tile.h"

#define TLOG_FIELD_MAX   200                 /* longest string of an entry, in bytes */
#define TLOG_BATCH_MAX   100000              /* most entries one tlog_append_batch takes */
#define TLOG_ENTRIES_MAX 1000                /* most entries one tlog_entries call reads */
#define TLOG_SIZE_MAX    (UINT64_C(1) << 48) /* the log refuses to grow past this */

/* One entry, as its fields (see above). The strings are the caller's. */
struct tlog_entry {
	int64_t time;         /* UTC seconds since the epoch; 0 means now */
	const char *actor_id; /* the actor's pseudonymous public id */
	const char *role;     /* the role the actor acted in ("org_admin") */
	const char *org;      /* slug of the organisation acted for, or NULL */
	const char *action;   /* what was done ("member.add") */
	const char *object;   /* to what: a reference, nothing personal */
	const char *purpose;  /* why */
};

/* ---- Appending ---- */

/* Writes the canonical JSON of e into out (appended). Errors: ERR_INVAL if
 * a field is missing, too long, not UTF-8 or holds a control character
 * (nothing is appended then). */
enum err tlog_entry_json(const struct tlog_entry *e, struct buf *out);

/* Appends e to the log and sets *index to its position. Call it INSIDE the
 * transaction of the action it records, so that both commit or neither:
 * it runs in a savepoint of the caller's transaction (or in a transaction
 * of its own if there is none), and on error it rolls back only its own
 * part and returns the error: the caller must then fail (roll back) too.
 * The log's size row stays locked until the caller's transaction ends, so
 * appending should be the last write of a transaction. Errors: ERR_INVAL
 * for a bad entry; ERR_LIMIT if the log is full; store errors
 * (ERR_UNAVAIL: retry the whole transaction). */
enum err tlog_append(struct store_conn *c, const struct tlog_entry *e, uint64_t *index);

/* Appends e[0..n) (n <= TLOG_BATCH_MAX) in one go, as tlog_append does;
 * they get the positions *first .. *first + n - 1. One read of the tree's
 * right edge per batch. Errors: as tlog_append; ERR_INVAL names no entry. */
enum err tlog_append_batch(struct store_conn *c, const struct tlog_entry *e, size_t n,
                           uint64_t *first);

/* ---- Reading ---- */

/* The number of entries in the log (as the calling transaction sees it). */
enum err tlog_size(struct store_conn *c, uint64_t *size);

/* The process's struct tlog (below) keeps a cache of committed subtree
 * hashes and of the committed size: pass it as `cache` to the functions
 * that take one, or NULL to read everything from the database. Nothing
 * read inside a transaction is cached. */
struct tlog;

/* The root hash of the tree of the first `size` entries (size <= the log's
 * size; the empty tree's root for 0). Errors: ERR_INVAL if size is beyond
 * the log; ERR_INTERNAL if stored hashes are missing; store errors. */
enum err tlog_root(struct store_conn *c, struct tlog *cache, uint64_t size,
                   uint8_t root[MERKLE_HASH_LEN]);

/* The inclusion proof of entry `index` in the tree of `size` entries
 * (path holds MERKLE_MAX_INCLUSION hashes) and that tree's root. Errors:
 * ERR_INVAL if index >= size or size is beyond the log; as tlog_root. */
enum err tlog_prove_inclusion(struct store_conn *c, struct tlog *cache, uint64_t index,
                              uint64_t size, uint8_t root[MERKLE_HASH_LEN],
                              uint8_t (*path)[MERKLE_HASH_LEN], size_t *len);

/* The consistency proof from the tree of size1 entries to that of size2
 * (proof holds MERKLE_MAX_CONSISTENCY hashes; empty when they are equal)
 * and the root of the tree of size2. Errors: ERR_INVAL if size1 == 0,
 * size1 > size2 or size2 is beyond the log; as tlog_root. */
enum err tlog_prove_consistency(struct store_conn *c, struct tlog *cache, uint64_t size1,
                                uint64_t size2, uint8_t root2[MERKLE_HASH_LEN],
                                uint8_t (*proof)[MERKLE_HASH_LEN], size_t *len);

/* Called by tlog_entries for each entry, in order; entry[0..len) is valid
 * during the call only. A non-OK return stops the walk and is returned. */
typedef enum err (*tlog_entry_fn)(void *ctx, uint64_t index, const char *entry, size_t len);

/* Calls fn for the entries start .. end - 1 (end - start <=
 * TLOG_ENTRIES_MAX; end <= the log's size). Errors: ERR_INVAL for a bad
 * range; ERR_INTERNAL if an entry is missing; fn's error; store errors. */
enum err tlog_entries(struct store_conn *c, uint64_t start, uint64_t end, tlog_entry_fn fn,
                      void *ctx);

/* The contents of tile t (a hash tile, or an entry bundle when t->level is
 * TILE_LEVEL_ENTRIES) of the tree of `size` entries (size <= the log's
 * size), appended to out: t->width hashes, or t->width entries as uint16be
 * length || bytes. Errors: ERR_NOTFOUND if the tree of that size does not
 * have t->width entries in that tile; ERR_INVAL for a bad tile; as
 * tlog_root. */
enum err tlog_tile(struct store_conn *c, struct tlog *cache, const struct tile *t, uint64_t size,
                   struct buf *out);

/* ---- Signing: checkpoints ---- */

/* The log's signer, its origin, the latest checkpoint and the hash cache.
 * One per process and database, shared by threads (it has locks). */

/* Makes the log's signer: an Ed25519 key from seed (the key file's
 * sign_seed) whose name is origin (the checkpoint origin, such as
 * "example.org/log"). The caller owns *out (tlog_free). Errors: ERR_INVAL
 * for an origin that is not a valid key name. */
enum err tlog_new(const uint8_t seed[NOTE_KEY_LEN], const char *origin, struct tlog **out);
void tlog_free(struct tlog *t);

/* "<host name>/log", the default origin; newly allocated (caller frees).
 * "localhost/log" if the host name is not a valid key name. */
char *tlog_default_origin(void);

/* The origin, and the log's verifier key line "origin+keyid+base64(0x01 ||
 * public key)" (newly allocated, caller frees). */
const char *tlog_origin(const struct tlog *t);
char *tlog_vkey(const struct tlog *t);
/* The log's Ed25519 public key. */
void tlog_public_key(const struct tlog *t, uint8_t pub[NOTE_KEY_LEN]);

#define TLOG_SIGN_NOW 1u /* sign one for the current size whatever the age of the last */

/* The latest signed checkpoint, with the witnesses' cosignature lines,
 * into *note (newly allocated, caller frees), and its size into *size
 * (may be NULL). A new checkpoint of the current size is signed and stored
 * when the log has grown since the last one and the last is at least one
 * second old, or at once with TLOG_SIGN_NOW, or if there is none (when
 * the database is too busy to store it, the last one is given instead,
 * but for TLOG_SIGN_NOW). Call it outside a write transaction. Errors:
 * store errors; ERR_INTERNAL if the stored log is smaller than a stored
 * checkpoint. */
enum err tlog_checkpoint(struct tlog *t, struct store_conn *c, unsigned flags, char **note,
                         uint64_t *size);

/* The stored checkpoint of exactly `size` entries, as the log signed it
 * (no cosignatures), into *note (caller frees). Errors: ERR_NOTFOUND. */
enum err tlog_checkpoint_get(struct store_conn *c, uint64_t size, char **note);

/* Stores the cosignature line ("— name base64...\n") of witness_id for the
 * checkpoint of `size` (a witness's first cosignature of a checkpoint is
 * kept; *added is 0 if it already had one). The caller has verified it.
 * Errors: store errors (ERR_CONFLICT if there is no such checkpoint or
 * witness). */
enum err tlog_cosignature_add(struct store_conn *c, uint64_t size, int64_t witness_id,
                              const char *line, int *added);

/* ---- Verification ---- */

/* What tlog_verify checked, and the first problem found. */
struct tlog_verify_result {
	uint64_t size;         /* the log's recorded size */
	uint64_t entries;      /* entries checked */
	uint64_t hashes;       /* stored subtree hashes checked */
	uint64_t checkpoints;  /* checkpoints whose signature and root were checked */
	uint64_t cosignatures; /* cosignatures checked */
	char problem[512];     /* the first problem, naming the entry or checkpoint */
};

/* Recomputes the whole tree from the entries, in one read snapshot: every
 * entry must be canonical and present (0 .. size - 1, none beyond), every
 * stored subtree hash must equal the recomputed one (and there must be no
 * others), every checkpoint must be signed by the Ed25519 key log_pub under
 * its own origin and carry the recomputed root of its size, and every
 * cosignature must verify with its witness's key. Returns ERR_OK if all
 * holds; ERR_CRYPTO with res->problem naming the first bad entry or
 * checkpoint if not; store errors (with res->problem saying so). */
enum err tlog_verify(struct store_conn *c, const uint8_t log_pub[NOTE_KEY_LEN],
                     struct tlog_verify_result *res);

#endif
