/* merkle.c - RFC 9162 Merkle trees: hashing, proofs, verification. */
#include "tlog/merkle.h"

#include <sodium.h>
#include <string.h>

#define HLEN MERKLE_HASH_LEN

/* ---- Hashing ---- */

void merkle_leaf_hash(const void *data, size_t len, uint8_t out[HLEN])
{
	static const uint8_t prefix = 0x00;
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &prefix, 1);
	crypto_hash_sha256_update(&st, data, len);
	crypto_hash_sha256_final(&st, out);
}

void merkle_node_hash_raw(const void *left, size_t llen, const void *right, size_t rlen,
                          uint8_t out[HLEN])
{
	static const uint8_t prefix = 0x01;
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &prefix, 1);
	crypto_hash_sha256_update(&st, left, llen);
	crypto_hash_sha256_update(&st, right, rlen);
	crypto_hash_sha256_final(&st, out);
}

void merkle_node_hash(const uint8_t left[HLEN], const uint8_t right[HLEN], uint8_t out[HLEN])
{
	/* out may alias left or right: the state has consumed both first. */
	merkle_node_hash_raw(left, HLEN, right, HLEN, out);
}

void merkle_empty_root(uint8_t out[HLEN])
{
	crypto_hash_sha256(out, (const unsigned char *)"", 0);
}

/* ---- Bit helpers ---- */

static unsigned ctz64(uint64_t x)
{
	return x ? (unsigned)__builtin_ctzll(x) : 64;
}

static unsigned bitlen64(uint64_t x)
{
	return x ? 64 - (unsigned)__builtin_clzll(x) : 0;
}

/* The largest power of two strictly smaller than n (n >= 2). */
static uint64_t split_point(uint64_t n)
{
	return (uint64_t)1 << (bitlen64(n - 1) - 1);
}

/* ---- In memory, from the RFC 6962 recursive definitions ---- */

/* MTH(D[0:n]) of leaves[0..n). */
static void mth(const uint8_t (*leaves)[HLEN], uint64_t n, uint8_t out[HLEN])
{
	if (n == 0) {
		merkle_empty_root(out);
		return;
	}
	if (n == 1) {
		memcpy(out, leaves[0], HLEN);
		return;
	}
	uint64_t k = split_point(n);
	uint8_t l[HLEN], r[HLEN];
	mth(leaves, k, l);
	mth(leaves + k, n - k, r);
	merkle_node_hash(l, r, out);
}

void merkle_root(const uint8_t (*leaves)[HLEN], uint64_t size, uint8_t out[HLEN])
{
	mth(leaves, size, out);
}

/* PATH(m, D[0:n]) appended to path[*len..]. */
static void path_rec(const uint8_t (*leaves)[HLEN], uint64_t m, uint64_t n, uint8_t (*path)[HLEN],
                     size_t *len)
{
	if (n <= 1)
		return;
	uint64_t k = split_point(n);
	if (m < k) {
		path_rec(leaves, m, k, path, len);
		mth(leaves + k, n - k, path[(*len)++]);
	} else {
		path_rec(leaves + k, m - k, n - k, path, len);
		mth(leaves, k, path[(*len)++]);
	}
}

enum err merkle_inclusion(const uint8_t (*leaves)[HLEN], uint64_t size, uint64_t index,
                          uint8_t (*path)[HLEN], size_t *len)
{
	*len = 0;
	if (index >= size)
		return ERR_INVAL;
	path_rec(leaves, index, size, path, len);
	return ERR_OK;
}

/* SUBPROOF(m, D[0:n], b) appended to proof[*len..]. */
static void subproof_rec(const uint8_t (*leaves)[HLEN], uint64_t m, uint64_t n, int b,
                         uint8_t (*proof)[HLEN], size_t *len)
{
	if (m == n) {
		if (!b)
			mth(leaves, n, proof[(*len)++]);
		return;
	}
	uint64_t k = split_point(n);
	if (m <= k) {
		subproof_rec(leaves, m, k, b, proof, len);
		mth(leaves + k, n - k, proof[(*len)++]);
	} else {
		subproof_rec(leaves + k, m - k, n - k, 0, proof, len);
		mth(leaves, k, proof[(*len)++]);
	}
}

enum err merkle_consistency(const uint8_t (*leaves)[HLEN], uint64_t size1, uint64_t size2,
                            uint8_t (*proof)[HLEN], size_t *len)
{
	*len = 0;
	if (size1 == 0 || size1 > size2)
		return ERR_INVAL;
	subproof_rec(leaves, size1, size2, 1, proof, len);
	return ERR_OK;
}

/* ---- From stored complete-subtree hashes ---- */

/* MTH(D[a:b]) where b - a < 2^k for some k with a a multiple of 2^k (true of
 * any node on the right edge of a tree of size b). D[a:b] is then the
 * perfect subtrees given by the set bits of b - a, largest first, and MTH
 * folds them from the right; read them right to left. */
static enum err range_stored(uint64_t a, uint64_t b, merkle_read_fn read, void *ctx,
                             uint8_t out[HLEN])
{
	uint64_t w = b - a, pos = b;
	int first = 1;
	for (unsigned bit = 0; bit < 64; bit++) {
		if (!(w >> bit & 1))
			continue;
		pos -= (uint64_t)1 << bit;
		uint8_t h[HLEN];
		enum err e = read(ctx, bit, pos >> bit, h);
		if (e != ERR_OK)
			return e;
		if (first)
			memcpy(out, h, HLEN);
		else
			merkle_node_hash(h, out, out);
		first = 0;
	}
	return ERR_OK;
}

/* Where walk_path puts what it finds. */
struct walk {
	merkle_read_fn read;
	void *ctx;
	uint8_t (*out)[HLEN]; /* NULL: only count */
	size_t len;
};

/* Collects the inclusion path of the complete node at `level` containing
 * leaf p (p < n) in the tree of size n, from that level up to the root, into
 * w->out (or only counts it when w->out is NULL). A left sibling (l, s) is
 * always complete; a right sibling is complete when it ends by n, and is
 * otherwise the right-edge node D[s << l : n], computed from the complete
 * subtrees it is made of. Levels where the node has no sibling (it is on the
 * right edge) are skipped. */
static enum err walk_path(uint64_t p, unsigned level, uint64_t n, struct walk *w)
{
	uint64_t last = n - 1;
	for (unsigned l = level; l < 64 && (last >> l) != 0; l++) {
		uint64_t j = p >> l, s = j ^ 1;
		enum err e = ERR_OK;
		if (!(j & 1) && s > (last >> l))
			continue; /* right edge, no sibling: the node moves up as is */
		if (w->out) {
			if ((j & 1) || s < (n >> l))
				e = w->read(w->ctx, l, s, w->out[w->len]);
			else
				e = range_stored(s << l, n, w->read, w->ctx, w->out[w->len]);
		}
		if (e != ERR_OK)
			return e;
		w->len++;
	}
	return ERR_OK;
}

enum err merkle_root_stored(uint64_t size, merkle_read_fn read, void *ctx, uint8_t out[HLEN])
{
	if (size == 0) {
		merkle_empty_root(out);
		return ERR_OK;
	}
	return range_stored(0, size, read, ctx, out);
}

enum err merkle_inclusion_stored(uint64_t index, uint64_t size, merkle_read_fn read, void *ctx,
                                 uint8_t (*path)[HLEN], size_t *len)
{
	*len = 0;
	if (index >= size)
		return ERR_INVAL;
	struct walk w = {read, ctx, path, 0};
	enum err e = walk_path(index, 0, size, &w);
	if (e == ERR_OK)
		*len = w.len;
	return e;
}

/* The consistency proof from m to n (0 < m < n) is the last (smallest)
 * complete subtree of the tree of size m, (level, (m - 1) >> level) with
 * level = ctz(m), unless that is the whole old tree (m a power of two),
 * followed by the path from that subtree up to the root of the tree of size
 * n. This is what RFC 6962 SUBPROOF unrolls to. */
enum err merkle_consistency_stored(uint64_t size1, uint64_t size2, merkle_read_fn read, void *ctx,
                                   uint8_t (*proof)[HLEN], size_t *len)
{
	*len = 0;
	if (size1 == 0 || size1 > size2)
		return ERR_INVAL;
	if (size1 == size2)
		return ERR_OK;
	unsigned level = ctz64(size1);
	struct walk w = {read, ctx, proof, 0};
	if ((size1 & (size1 - 1)) != 0) {
		enum err e = read(ctx, level, (size1 - 1) >> level, proof[0]);
		if (e != ERR_OK)
			return e;
		w.len = 1;
	}
	enum err e = walk_path(size1 - 1, level, size2, &w);
	if (e == ERR_OK)
		*len = w.len;
	return e;
}

unsigned merkle_completed_count(uint64_t index)
{
	return 1 + ctz64(index + 1);
}

enum err merkle_append_stored(uint64_t index, const uint8_t leaf[HLEN], merkle_read_fn read,
                              void *ctx, uint8_t (*out)[HLEN], unsigned *count)
{
	*count = 0;
	if (index == UINT64_MAX)
		return ERR_LIMIT;
	unsigned n = merkle_completed_count(index);
	memcpy(out[0], leaf, HLEN);
	for (unsigned l = 1; l < n; l++) {
		/* (l, index >> l) = node((l-1, 2k), (l-1, 2k+1)); the right child
		 * was just computed, the left one is stored. */
		uint8_t left[HLEN];
		enum err e = read(ctx, l - 1, (index >> (l - 1)) - 1, left);
		if (e != ERR_OK)
			return e;
		merkle_node_hash(left, out[l - 1], out[l]);
	}
	*count = n;
	return ERR_OK;
}

/* ---- Frontier ---- */

void merkle_frontier_init(struct merkle_frontier *f)
{
	memset(f, 0, sizeof *f);
}

enum err merkle_frontier_load(struct merkle_frontier *f, uint64_t size, merkle_read_fn read,
                              void *ctx)
{
	merkle_frontier_init(f);
	for (unsigned l = 0; l < 64; l++) {
		if (!(size >> l & 1))
			continue;
		enum err e = read(ctx, l, (size >> l) - 1, f->hash[l]);
		if (e != ERR_OK) {
			merkle_frontier_init(f);
			return e;
		}
	}
	f->size = size;
	return ERR_OK;
}

enum err merkle_frontier_append(struct merkle_frontier *f, const uint8_t leaf[HLEN],
                                uint8_t (*completed)[HLEN], unsigned *count)
{
	if (count)
		*count = 0;
	if (f->size == UINT64_MAX)
		return ERR_LIMIT;
	uint8_t h[HLEN];
	memcpy(h, leaf, HLEN);
	unsigned l = 0;
	if (completed)
		memcpy(completed[0], h, HLEN);
	/* Each set low bit of size is a subtree the new one merges with. */
	while (f->size >> l & 1) {
		merkle_node_hash(f->hash[l], h, h);
		l++;
		if (completed)
			memcpy(completed[l], h, HLEN);
	}
	memcpy(f->hash[l], h, HLEN);
	f->size++;
	if (count)
		*count = l + 1;
	return ERR_OK;
}

void merkle_frontier_root(const struct merkle_frontier *f, uint8_t out[HLEN])
{
	if (f->size == 0) {
		merkle_empty_root(out);
		return;
	}
	int first = 1;
	for (unsigned l = 0; l < 64; l++) {
		if (!(f->size >> l & 1))
			continue;
		if (first)
			memcpy(out, f->hash[l], HLEN);
		else
			merkle_node_hash(f->hash[l], out, out);
		first = 0;
	}
}

/* ---- Sizes and verification ---- */

size_t merkle_inclusion_len(uint64_t index, uint64_t size)
{
	if (index >= size)
		return 0;
	struct walk w = {NULL, NULL, NULL, 0};
	walk_path(index, 0, size, &w);
	return w.len;
}

size_t merkle_consistency_len(uint64_t size1, uint64_t size2)
{
	if (size1 == 0 || size1 >= size2)
		return 0;
	unsigned level = ctz64(size1);
	struct walk w = {NULL, NULL, NULL, (size1 & (size1 - 1)) != 0};
	walk_path(size1 - 1, level, size2, &w);
	return w.len;
}

/* Shifts fn and sn right until fn is odd or 0 (RFC 9162: skip the levels
 * where the node is on the right edge and has no sibling). */
static void skip_edge(uint64_t *fn, uint64_t *sn)
{
	while (*fn != 0 && !(*fn & 1)) {
		*fn >>= 1;
		*sn >>= 1;
	}
}

enum err merkle_root_from_inclusion(uint64_t index, uint64_t size, const uint8_t leaf[HLEN],
                                    const uint8_t (*path)[HLEN], size_t len, uint8_t root[HLEN])
{
	if (index >= size)
		return ERR_INVAL;
	uint64_t fn = index, sn = size - 1;
	uint8_t r[HLEN];
	memcpy(r, leaf, HLEN);
	for (size_t i = 0; i < len; i++) {
		if (sn == 0)
			return ERR_CRYPTO; /* path too long */
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(path[i], r, r);
			if (!(fn & 1))
				skip_edge(&fn, &sn);
		} else {
			merkle_node_hash(r, path[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return ERR_CRYPTO; /* path too short */
	memcpy(root, r, HLEN);
	return ERR_OK;
}

enum err merkle_inclusion_verify(uint64_t index, uint64_t size, const uint8_t leaf[HLEN],
                                 const uint8_t (*path)[HLEN], size_t len, const uint8_t root[HLEN])
{
	uint8_t r[HLEN];
	enum err e = merkle_root_from_inclusion(index, size, leaf, path, len, r);
	if (e != ERR_OK)
		return e;
	return memcmp(r, root, HLEN) == 0 ? ERR_OK : ERR_CRYPTO;
}

enum err merkle_consistency_verify(uint64_t size1, uint64_t size2, const uint8_t root1[HLEN],
                                   const uint8_t root2[HLEN], const uint8_t (*proof)[HLEN],
                                   size_t len)
{
	if (size1 == 0 || size1 > size2)
		return ERR_INVAL;
	if (size1 == size2)
		return len == 0 && memcmp(root1, root2, HLEN) == 0 ? ERR_OK : ERR_CRYPTO;
	if (len == 0)
		return ERR_CRYPTO;

	/* When size1 is a power of two the proof omits root1: it starts the
	 * path instead of proof[0]. */
	size_t i = 0;
	const uint8_t *start = root1;
	if ((size1 & (size1 - 1)) != 0)
		start = proof[i++];
	uint64_t fn = size1 - 1, sn = size2 - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	uint8_t fr[HLEN], sr[HLEN];
	memcpy(fr, start, HLEN);
	memcpy(sr, start, HLEN);
	for (; i < len; i++) {
		if (sn == 0)
			return ERR_CRYPTO; /* proof too long */
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(proof[i], fr, fr);
			merkle_node_hash(proof[i], sr, sr);
			if (!(fn & 1))
				skip_edge(&fn, &sn);
		} else {
			merkle_node_hash(sr, proof[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || memcmp(fr, root1, HLEN) != 0 || memcmp(sr, root2, HLEN) != 0)
		return ERR_CRYPTO;
	return ERR_OK;
}
