/* merkle.h - RFC 9162 (RFC 6962) Merkle tree hashing and proofs, pure.
 *
 * Hashes are SHA-256, always MERKLE_HASH_LEN (32) bytes. Leaf indexes are
 * 0-based. A tree of size n holds leaves D[0:n]; its root is MTH(D[0:n]) as in
 * RFC 9162 2.1.1: left-heavy, never padded, MTH({}) = SHA-256("").
 *
 * Three groups of functions:
 *  - in memory, straight from the RFC definitions (merkle_root, merkle_inclusion,
 *    merkle_consistency): they take every leaf hash and cost O(n) hashes; for
 *    small trees, tools and tests;
 *  - over stored hashes (the *_stored functions): they read hashes of COMPLETE
 *    (perfect, aligned) subtrees through a merkle_read_fn and cost O(log n)
 *    reads; the persistent log stores every complete subtree hash as leaves
 *    are appended (merkle_append_stored or struct merkle_frontier tell which);
 *  - verification (RFC 9162 2.1.3.2 and 2.1.4.2).
 *
 * Edge-case policy (that of transparency-dev/merkle, which the known-answer
 * vectors' expect_valid flags follow). Inclusion: index >= size is an error
 * (so nothing is ever included in the empty tree). Consistency from size1 to
 * size2: size1 == 0 is an error, even when size2 == 0 (a proof from the empty
 * tree is meaningless); size1 > size2 is an error; size1 == size2 is valid
 * only with an empty proof and root1 == root2; size1 < size2 with an empty
 * proof is an error. Generation follows the same rules: no proofs are made
 * for index >= size, size1 == 0 or size1 > size2.
 *
 * Errors from verification: ERR_INVAL when the sizes or index are impossible
 * (the request itself is wrong), ERR_CRYPTO when the proof does not prove the
 * claim (wrong length, wrong hashes). Both mean "reject". */
#ifndef CONSENT_TLOG_MERKLE_H
#define CONSENT_TLOG_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define MERKLE_HASH_LEN 32
/* Longest inclusion proof (a tree of up to 2^64 - 1 leaves has depth 64). */
#define MERKLE_MAX_INCLUSION 64
/* Longest consistency proof: one subtree hash plus an inclusion path. */
#define MERKLE_MAX_CONSISTENCY 65
/* Most subtrees one append can complete (levels 0..63). */
#define MERKLE_MAX_COMPLETED 64

/* Reads the stored hash of the perfect subtree (level, index): the 2^level
 * leaves D[index * 2^level : (index + 1) * 2^level]. Level 0 is the leaf hash.
 * The functions below only ask for subtrees that are complete in the tree
 * size they were given. Returns ERR_OK, or any error, which is passed on to
 * the caller unchanged (ERR_NOTFOUND, ERR_STORE, ERR_IO...). */
typedef enum err (*merkle_read_fn)(void *ctx, unsigned level, uint64_t index,
                                   uint8_t out[MERKLE_HASH_LEN]);

/* ---- Hashing ---- */

/* out = SHA-256(0x00 || data[0..len)), the RFC 9162 leaf hash. */
void merkle_leaf_hash(const void *data, size_t len, uint8_t out[MERKLE_HASH_LEN]);

/* out = SHA-256(0x01 || left || right), the interior node hash. */
void merkle_node_hash(const uint8_t left[MERKLE_HASH_LEN], const uint8_t right[MERKLE_HASH_LEN],
                      uint8_t out[MERKLE_HASH_LEN]);

/* out = SHA-256(0x01 || left[0..llen) || right[0..rlen)): the node hash on
 * inputs of any length, as RFC 6962's hasher is defined. merkle_node_hash is
 * its 32-byte case; this form exists for known-answer tests. */
void merkle_node_hash_raw(const void *left, size_t llen, const void *right, size_t rlen,
                          uint8_t out[MERKLE_HASH_LEN]);

/* out = SHA-256(""), the root of the empty tree. */
void merkle_empty_root(uint8_t out[MERKLE_HASH_LEN]);

/* ---- In memory, from all leaf hashes ---- */

/* The root MTH of the tree whose leaf hashes are leaves[0..size). size may be
 * 0 (leaves may then be NULL). */
void merkle_root(const uint8_t (*leaves)[MERKLE_HASH_LEN], uint64_t size,
                 uint8_t out[MERKLE_HASH_LEN]);

/* The inclusion path PATH(index, D[0:size]) into path[0..*len), ordered from
 * the leaf upward; path must hold MERKLE_MAX_INCLUSION hashes (or at least
 * merkle_inclusion_len(index, size)). Errors: ERR_INVAL if index >= size. */
enum err merkle_inclusion(const uint8_t (*leaves)[MERKLE_HASH_LEN], uint64_t size, uint64_t index,
                          uint8_t (*path)[MERKLE_HASH_LEN], size_t *len);

/* The consistency proof PROOF(size1, D[0:size2]) into proof[0..*len), in RFC
 * order (when size1 is a power of two its root is not included); proof must
 * hold MERKLE_MAX_CONSISTENCY hashes. size1 == size2 gives an empty proof.
 * Errors: ERR_INVAL if size1 == 0 or size1 > size2. */
enum err merkle_consistency(const uint8_t (*leaves)[MERKLE_HASH_LEN], uint64_t size1,
                            uint64_t size2, uint8_t (*proof)[MERKLE_HASH_LEN], size_t *len);

/* ---- From stored complete-subtree hashes, O(log n) reads ---- */

/* The root of the tree of the given size: popcount(size) reads. */
enum err merkle_root_stored(uint64_t size, merkle_read_fn read, void *ctx,
                            uint8_t out[MERKLE_HASH_LEN]);

/* The same proof as merkle_inclusion, from stored hashes: at most
 * 2 * log2(size) reads. Errors: ERR_INVAL if index >= size; any error of
 * read. */
enum err merkle_inclusion_stored(uint64_t index, uint64_t size, merkle_read_fn read, void *ctx,
                                 uint8_t (*path)[MERKLE_HASH_LEN], size_t *len);

/* The same proof as merkle_consistency, from stored hashes: at most
 * 2 * log2(size2) + 1 reads. Errors: ERR_INVAL if size1 == 0 or
 * size1 > size2; any error of read. */
enum err merkle_consistency_stored(uint64_t size1, uint64_t size2, merkle_read_fn read, void *ctx,
                                   uint8_t (*proof)[MERKLE_HASH_LEN], size_t *len);

/* Number of perfect subtrees that become complete when leaf `index` is
 * appended (the tree grows to index + 1): 1 + (trailing zero bits of
 * index + 1). They are (level, index >> level) for level 0..count-1; level 0
 * is the leaf itself. index must be below UINT64_MAX. */
unsigned merkle_completed_count(uint64_t index);

/* Computes the hashes of the subtrees completed by appending leaf `index`
 * with hash `leaf` to a tree of size `index`: out[level] is the hash of
 * (level, index >> level) for level 0..*count-1 (out holds
 * MERKLE_MAX_COMPLETED hashes). Reads the left siblings (level,
 * (index >> level) - 1), which must already be stored: *count - 1 reads.
 * Errors: ERR_LIMIT if index == UINT64_MAX; any error of read. */
enum err merkle_append_stored(uint64_t index, const uint8_t leaf[MERKLE_HASH_LEN],
                              merkle_read_fn read, void *ctx, uint8_t (*out)[MERKLE_HASH_LEN],
                              unsigned *count);

/* ---- Frontier: the right edge of a growing tree, in memory ---- */

/* The hashes of the perfect subtrees that make up a tree of `size` leaves:
 * hash[level] is valid when bit `level` of size is set (it is then the
 * subtree (level, (size >> level) - 1)). Lets a writer append a batch and get
 * every new complete-subtree hash and the new root without reading storage.
 * Caller-owned; 2 KiB. */
struct merkle_frontier {
	uint64_t size;
	uint8_t hash[64][MERKLE_HASH_LEN];
};

/* Makes f the frontier of the empty tree. */
void merkle_frontier_init(struct merkle_frontier *f);

/* Loads the frontier of a stored tree of the given size: popcount(size)
 * reads. On error f is left empty. Errors: any error of read. */
enum err merkle_frontier_load(struct merkle_frontier *f, uint64_t size, merkle_read_fn read,
                              void *ctx);

/* Appends one leaf hash. If completed is not NULL it receives, as with
 * merkle_append_stored, the hashes of the subtrees this leaf completes
 * (completed[level] for level 0..*count-1, room for MERKLE_MAX_COMPLETED);
 * count may be NULL when completed is. Errors: ERR_LIMIT when the tree
 * already holds UINT64_MAX leaves. */
enum err merkle_frontier_append(struct merkle_frontier *f, const uint8_t leaf[MERKLE_HASH_LEN],
                                uint8_t (*completed)[MERKLE_HASH_LEN], unsigned *count);

/* The root of the tree the frontier describes (no reads). */
void merkle_frontier_root(const struct merkle_frontier *f, uint8_t out[MERKLE_HASH_LEN]);

/* ---- Proof sizes and verification ---- */

/* Length of the inclusion proof for index in size (0 if index >= size). */
size_t merkle_inclusion_len(uint64_t index, uint64_t size);

/* Length of the consistency proof from size1 to size2 (0 if size1 == 0,
 * size1 >= size2). */
size_t merkle_consistency_len(uint64_t size1, uint64_t size2);

/* Computes into root the tree root implied by leaf hash `leaf` at `index`
 * and the inclusion path[0..len) (RFC 9162 2.1.3.2 steps 1-4 without the
 * final comparison). Errors: ERR_INVAL if index >= size; ERR_CRYPTO if the
 * path has the wrong length for (index, size). */
enum err merkle_root_from_inclusion(uint64_t index, uint64_t size,
                                    const uint8_t leaf[MERKLE_HASH_LEN],
                                    const uint8_t (*path)[MERKLE_HASH_LEN], size_t len,
                                    uint8_t root[MERKLE_HASH_LEN]);

/* Verifies that leaf hash `leaf` is at `index` in the tree of `size` whose
 * root is `root`, with path[0..len) (RFC 9162 2.1.3.2). Returns ERR_OK if it
 * is. Errors: ERR_INVAL if index >= size; ERR_CRYPTO if the proof fails. */
enum err merkle_inclusion_verify(uint64_t index, uint64_t size, const uint8_t leaf[MERKLE_HASH_LEN],
                                 const uint8_t (*path)[MERKLE_HASH_LEN], size_t len,
                                 const uint8_t root[MERKLE_HASH_LEN]);

/* Verifies that the tree of size2 with root2 extends the tree of size1 with
 * root1, with proof[0..len) (RFC 9162 2.1.4.2, policy above). Returns ERR_OK
 * if it does. Errors: ERR_INVAL if size1 == 0 or size1 > size2; ERR_CRYPTO if
 * the proof fails (including a non-empty proof or different roots for equal
 * sizes, and an empty proof for different sizes). */
enum err merkle_consistency_verify(uint64_t size1, uint64_t size2,
                                   const uint8_t root1[MERKLE_HASH_LEN],
                                   const uint8_t root2[MERKLE_HASH_LEN],
                                   const uint8_t (*proof)[MERKLE_HASH_LEN], size_t len);

#endif
