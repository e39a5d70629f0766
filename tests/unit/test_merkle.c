/* Unit tests for tlog/merkle.c against ../shared/data/tlog/vectors.json:
 * hash primitives, the RFC 6962 reference tree, the transparency-dev/merkle
 * probes, a real CT proof, a 1000-leaf tree; and the stored-hash variants
 * against the in-memory ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/xalloc.h"
#include "tlog/merkle.h"
#include "tlog_vectors.h"

static json_t *vec;

/* ---- An in-memory store of complete-subtree hashes ---- */

struct mstore {
	uint64_t size;            /* leaves appended */
	uint64_t limit;           /* tree size reads must stay within */
	uint8_t (*lv[64])[32];    /* lv[l][k]: hash of the subtree (l, k) */
	size_t cap[64];           /* allocated entries of lv[l] */
	unsigned long reads;      /* calls of mstore_read */
	struct merkle_frontier f; /* kept alongside, to cross-check */
};

static enum err mstore_read(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
	struct mstore *s = ctx;
	s->reads++;
	/* Only complete subtrees of the tree size in use may be asked for. */
	assert_true(level < 64);
	assert_true(index < (s->limit >> level));
	memcpy(out, s->lv[level][index], 32);
	return ERR_OK;
}

static void mstore_init(struct mstore *s)
{
	memset(s, 0, sizeof *s);
	merkle_frontier_init(&s->f);
}

static void mstore_clear(struct mstore *s)
{
	for (int l = 0; l < 64; l++)
		free(s->lv[l]);
}

static void mstore_put(struct mstore *s, unsigned l, uint64_t k, const uint8_t h[32])
{
	if (k >= s->cap[l]) {
		s->cap[l] = s->cap[l] ? s->cap[l] * 2 : 16;
		s->lv[l] = xreallocarray(s->lv[l], s->cap[l], 32);
	}
	memcpy(s->lv[l][k], h, 32);
}

/* Appends a leaf with merkle_append_stored, and checks the frontier agrees. */
static void mstore_append(struct mstore *s, const uint8_t leaf[32])
{
	uint8_t out[MERKLE_MAX_COMPLETED][32], fout[MERKLE_MAX_COMPLETED][32];
	unsigned count, fcount;
	s->limit = s->size;
	assert_int_equal(merkle_append_stored(s->size, leaf, mstore_read, s, out, &count), ERR_OK);
	assert_int_equal(count, merkle_completed_count(s->size));
	assert_int_equal(merkle_frontier_append(&s->f, leaf, fout, &fcount), ERR_OK);
	assert_int_equal(fcount, count);
	assert_memory_equal(out, fout, (size_t)count * 32);
	for (unsigned l = 0; l < count; l++)
		mstore_put(s, l, s->size >> l, out[l]);
	s->size++;
}

/* leaves[i] = leaf hash of "leaf <i>\n", as in larger_computed_tree. */
static uint8_t (*make_leaves(uint64_t n))[32]
{
	uint8_t(*leaves)[32] = xcalloc(n ? n : 1, 32);
	for (uint64_t i = 0; i < n; i++) {
		char s[32];
		int len = snprintf(s, sizeof s, "leaf %llu\n", (unsigned long long)i);
		merkle_leaf_hash(s, (size_t)len, leaves[i]);
	}
	return leaves;
}

static void hex_eq(const uint8_t h[32], const char *hex)
{
	char got[65];
	crypto_hex(h, 32, got);
	assert_string_equal(got, hex);
}

/* ---- Hash primitives ---- */

static void test_hash_primitives(void **state)
{
	(void)state;
	json_t *arr = vec_get(vec, "hash_primitives");
	size_t i, n = 0;
	json_t *it;
	json_array_foreach(arr, i, it)
	{
		uint8_t h[32];
		size_t len;
		if (json_object_get(it, "root")) {
			merkle_empty_root(h);
			hex_eq(h, vec_str(it, "root"));
		} else if (json_object_get(it, "node_hash")) {
			size_t ll, rl;
			uint8_t *l = vec_bytes(vec_str(it, "left_hex"), &ll);
			uint8_t *r = vec_bytes(vec_str(it, "right_hex"), &rl);
			merkle_node_hash_raw(l, ll, r, rl, h);
			hex_eq(h, vec_str(it, "node_hash"));
			free(l);
			free(r);
		} else {
			uint8_t *d = vec_bytes(vec_str(it, "leaf_data_hex"), &len);
			merkle_leaf_hash(d, len, h);
			hex_eq(h, vec_str(it, "leaf_hash"));
			if (json_object_get(it, "leaf_hash_b64")) {
				char *b64 = crypto_b64(h, 32);
				assert_string_equal(b64, vec_str(it, "leaf_hash_b64"));
				free(b64);
			}
			free(d);
		}
		n++;
	}
	assert_int_equal(n, 5);
}

/* ---- The RFC 6962 reference tree ---- */

static uint8_t ref_leaves[8][32];
static struct mstore ref_store;

static void load_ref_tree(void)
{
	json_t *t = vec_get(vec, "rfc6962_reference_tree");
	json_t *lh = vec_get(t, "leaves_hex"), *hh = vec_get(t, "leaf_hashes");
	mstore_init(&ref_store);
	for (size_t i = 0; i < 8; i++) {
		size_t len;
		uint8_t *d = vec_bytes(json_string_value(json_array_get(lh, i)), &len);
		merkle_leaf_hash(d, len, ref_leaves[i]);
		free(d);
		hex_eq(ref_leaves[i], json_string_value(json_array_get(hh, i)));
		mstore_append(&ref_store, ref_leaves[i]);
	}
}

static void test_reference_roots(void **state)
{
	(void)state;
	json_t *t = vec_get(vec, "rfc6962_reference_tree");
	json_t *roots = vec_get(t, "roots_by_size"), *b64s = vec_get(t, "roots_by_size_b64");
	struct merkle_frontier f;
	merkle_frontier_init(&f);
	for (uint64_t n = 0; n <= 8; n++) {
		char key[4];
		snprintf(key, sizeof key, "%u", (unsigned)n);
		uint8_t want[32], h[32];
		vec_hash(vec_str(roots, key), want);
		merkle_root(ref_leaves, n, h);
		assert_memory_equal(h, want, 32);
		ref_store.limit = n;
		assert_int_equal(merkle_root_stored(n, mstore_read, &ref_store, h), ERR_OK);
		assert_memory_equal(h, want, 32);
		merkle_frontier_root(&f, h);
		assert_memory_equal(h, want, 32);
		char *b64 = crypto_b64(want, 32);
		assert_string_equal(b64, vec_str(b64s, key));
		free(b64);
		if (n < 8)
			assert_int_equal(merkle_frontier_append(&f, ref_leaves[n], NULL, NULL),
			                 ERR_OK);
	}
}

/* Checks one known-good inclusion proof: both generators reproduce it, it
 * verifies, and changing any part of it makes it fail. */
static void check_inclusion(const uint8_t (*leaves)[32], struct mstore *s, uint64_t index,
                            uint64_t size, const uint8_t leaf[32], const uint8_t (*path)[32],
                            size_t len, const uint8_t root[32])
{
	uint8_t got[MERKLE_MAX_INCLUSION][32];
	size_t glen;
	assert_int_equal(merkle_inclusion_len(index, size), len);
	if (leaves) {
		assert_int_equal(merkle_inclusion(leaves, size, index, got, &glen), ERR_OK);
		assert_int_equal(glen, len);
		assert_memory_equal(got, path, len * 32);
	}
	if (s) {
		s->limit = size;
		assert_int_equal(merkle_inclusion_stored(index, size, mstore_read, s, got, &glen),
		                 ERR_OK);
		assert_int_equal(glen, len);
		assert_memory_equal(got, path, len * 32);
	}
	assert_int_equal(merkle_inclusion_verify(index, size, leaf, path, len, root), ERR_OK);
	uint8_t r[32];
	assert_int_equal(merkle_root_from_inclusion(index, size, leaf, path, len, r), ERR_OK);
	assert_memory_equal(r, root, 32);
	/* Tampering. */
	uint8_t bad[MERKLE_MAX_INCLUSION + 1][32];
	memcpy(bad, path, len * 32);
	for (size_t i = 0; i < len; i++) {
		bad[i][i % 32] ^= 1;
		assert_int_not_equal(merkle_inclusion_verify(index, size, leaf, bad, len, root),
		                     ERR_OK);
		bad[i][i % 32] ^= 1;
	}
	if (len > 0)
		assert_int_not_equal(merkle_inclusion_verify(index, size, leaf, bad, len - 1, root),
		                     ERR_OK);
	memcpy(bad[len], root, 32);
	assert_int_not_equal(merkle_inclusion_verify(index, size, leaf, bad, len + 1, root),
	                     ERR_OK);
	assert_int_not_equal(merkle_inclusion_verify(index + 1, size, leaf, path, len, root),
	                     ERR_OK);
	if (len > 0) /* in a tree of one leaf, the leaf hash is the root */
		assert_int_not_equal(merkle_inclusion_verify(index, size, root, path, len, root),
		                     ERR_OK);
}

static void check_consistency(const uint8_t (*leaves)[32], struct mstore *s, uint64_t m, uint64_t n,
                              const uint8_t r1[32], const uint8_t r2[32],
                              const uint8_t (*proof)[32], size_t len)
{
	uint8_t got[MERKLE_MAX_CONSISTENCY][32];
	size_t glen;
	assert_int_equal(merkle_consistency_len(m, n), len);
	if (leaves) {
		assert_int_equal(merkle_consistency(leaves, m, n, got, &glen), ERR_OK);
		assert_int_equal(glen, len);
		assert_memory_equal(got, proof, len * 32);
	}
	if (s) {
		s->limit = n;
		assert_int_equal(merkle_consistency_stored(m, n, mstore_read, s, got, &glen),
		                 ERR_OK);
		assert_int_equal(glen, len);
		assert_memory_equal(got, proof, len * 32);
	}
	assert_int_equal(merkle_consistency_verify(m, n, r1, r2, proof, len), ERR_OK);
	uint8_t bad[MERKLE_MAX_CONSISTENCY + 1][32];
	memcpy(bad, proof, len * 32);
	for (size_t i = 0; i < len; i++) {
		bad[i][31 - i % 32] ^= 0x80;
		assert_int_not_equal(merkle_consistency_verify(m, n, r1, r2, bad, len), ERR_OK);
		bad[i][31 - i % 32] ^= 0x80;
	}
	if (len > 0)
		assert_int_not_equal(merkle_consistency_verify(m, n, r1, r2, bad, len - 1), ERR_OK);
	memcpy(bad[len], r2, 32);
	assert_int_not_equal(merkle_consistency_verify(m, n, r1, r2, bad, len + 1), ERR_OK);
	if (m != n)
		assert_int_not_equal(merkle_consistency_verify(m, n, r2, r1, proof, len), ERR_OK);
}

static void test_reference_inclusion(void **state)
{
	(void)state;
	json_t *arr = vec_get(vec_get(vec, "rfc6962_reference_tree"), "inclusion_proofs");
	size_t i, published = 0;
	json_t *it;
	json_array_foreach(arr, i, it)
	{
		uint8_t leaf[32], root[32];
		size_t len;
		vec_hash(vec_str(it, "leaf_hash"), leaf);
		vec_hash(vec_str(it, "root"), root);
		uint8_t(*path)[32] = vec_hashes(vec_get(it, "path"), &len);
		uint64_t idx = vec_u64(it, "leaf_index"), size = vec_u64(it, "tree_size");
		assert_memory_equal(leaf, ref_leaves[idx], 32);
		check_inclusion(ref_leaves, &ref_store, idx, size, leaf, path, len, root);
		published += strcmp(vec_str(it, "source"), "published") == 0;
		free(path);
	}
	assert_int_equal(json_array_size(arr), 36);
	assert_int_equal(published, 5);
}

static void test_reference_consistency(void **state)
{
	(void)state;
	json_t *arr = vec_get(vec_get(vec, "rfc6962_reference_tree"), "consistency_proofs");
	size_t i;
	json_t *it;
	json_array_foreach(arr, i, it)
	{
		uint8_t r1[32], r2[32];
		size_t len;
		vec_hash(vec_str(it, "root1"), r1);
		vec_hash(vec_str(it, "root2"), r2);
		uint8_t(*proof)[32] = vec_hashes(vec_get(it, "proof"), &len);
		check_consistency(ref_leaves, &ref_store, vec_u64(it, "size1"),
		                  vec_u64(it, "size2"), r1, r2, proof, len);
		free(proof);
	}
	assert_int_equal(json_array_size(arr), 36);
}

/* ---- transparency-dev/merkle probes ----
 *
 * Some probes carry values that are not 32 bytes. Our API takes 32-byte
 * hashes, so such input must be refused by whoever decodes it; like
 * transparency-dev/merkle, which refuses a leaf hash of the wrong size up
 * front, we count a wrong-size leaf hash as invalid. Other wrong-size values
 * (roots, path elements) are zero-padded by vec_hash: equal values stay
 * equal, different ones stay different, which is all the verifier looks at.
 * One probe depends on this: consistency 1 -> 1 with equal 12-byte roots and
 * an empty proof, which is valid. */

static void test_td_inclusion_probes(void **state)
{
	(void)state;
	json_t *arr = vec_get(vec_get(vec, "td_merkle_probes"), "inclusion");
	size_t i, valid = 0, failures = 0;
	json_t *it;
	json_array_foreach(arr, i, it)
	{
		uint8_t leaf[32], root[32];
		size_t len;
		size_t leaf_len = vec_hash(vec_str(it, "leaf_hash"), leaf);
		vec_hash(vec_str(it, "root"), root);
		uint8_t(*path)[32] = vec_hashes(vec_get(it, "path"), &len);
		enum err e = ERR_INVAL;
		if (leaf_len == 32)
			e = merkle_inclusion_verify(vec_u64(it, "leaf_index"),
			                            vec_u64(it, "tree_size"), leaf, path, len,
			                            root);
		int want = json_is_true(vec_get(it, "expect_valid"));
		if ((e == ERR_OK) != want) {
			fprintf(stderr, "probe %s: got %s\n", vec_str(it, "file"), err_str(e));
			failures++;
		}
		valid += want;
		free(path);
	}
	assert_int_equal(failures, 0);
	assert_int_equal(json_array_size(arr), 98);
	assert_true(valid > 0);
}

static void test_td_consistency_probes(void **state)
{
	(void)state;
	json_t *arr = vec_get(vec_get(vec, "td_merkle_probes"), "consistency");
	size_t i, failures = 0;
	json_t *it;
	json_array_foreach(arr, i, it)
	{
		uint8_t r1[32], r2[32];
		size_t len;
		vec_hash(vec_str(it, "root1"), r1);
		vec_hash(vec_str(it, "root2"), r2);
		uint8_t(*proof)[32] = vec_hashes(vec_get(it, "proof"), &len);
		enum err e = merkle_consistency_verify(vec_u64(it, "size1"), vec_u64(it, "size2"),
		                                       r1, r2, proof, len);
		int want = json_is_true(vec_get(it, "expect_valid"));
		if ((e == ERR_OK) != want) {
			fprintf(stderr, "probe %s: got %s\n", vec_str(it, "file"), err_str(e));
			failures++;
		}
		free(proof);
	}
	assert_int_equal(failures, 0);
	assert_int_equal(json_array_size(arr), 98);
}

/* ---- A real CT log proof ---- */

static void test_ct_real_log(void **state)
{
	(void)state;
	json_t *c = vec_get(vec, "ct_real_log_inclusion");
	size_t dlen, len;
	uint8_t *d = vec_bytes(vec_str(c, "leaf_input_hex"), &dlen);
	uint8_t leaf[32], root[32];
	merkle_leaf_hash(d, dlen, leaf);
	hex_eq(leaf, vec_str(c, "leaf_hash"));
	vec_hash(vec_str(c, "root"), root);
	uint8_t(*path)[32] = vec_hashes(vec_get(c, "path"), &len);
	assert_int_equal(len, 22);
	check_inclusion(NULL, NULL, vec_u64(c, "leaf_index"), vec_u64(c, "tree_size"), leaf, path,
	                len, root);
	free(path);
	free(d);
}

/* ---- The 1000-leaf tree ---- */

static void test_larger_tree(void **state)
{
	(void)state;
	json_t *t = vec_get(vec, "larger_computed_tree");
	uint8_t(*leaves)[32] = make_leaves(1000);
	const uint8_t(*cl)[32] = leaves;
	struct mstore s;
	mstore_init(&s);
	for (int i = 0; i < 1000; i++)
		mstore_append(&s, leaves[i]);
	hex_eq(leaves[0], vec_str(t, "leaf_hash_0"));
	hex_eq(leaves[999], vec_str(t, "leaf_hash_999"));

	const char *key;
	json_t *v;
	size_t nroots = 0;
	json_object_foreach(vec_get(t, "roots_by_size"), key, v)
	{
		uint64_t n = strtoull(key, NULL, 10);
		uint8_t h[32];
		merkle_root(cl, n, h);
		hex_eq(h, json_string_value(v));
		s.limit = n;
		assert_int_equal(merkle_root_stored(n, mstore_read, &s, h), ERR_OK);
		hex_eq(h, json_string_value(v));
		nroots++;
	}
	assert_int_equal(nroots, 13);

	size_t i;
	json_t *it;
	json_array_foreach(vec_get(t, "inclusion_proofs"), i, it)
	{
		uint8_t leaf[32], root[32];
		size_t len;
		vec_hash(vec_str(it, "leaf_hash"), leaf);
		vec_hash(vec_str(it, "root"), root);
		uint8_t(*path)[32] = vec_hashes(vec_get(it, "path"), &len);
		check_inclusion(cl, &s, vec_u64(it, "leaf_index"), vec_u64(it, "tree_size"), leaf,
		                path, len, root);
		free(path);
	}
	assert_int_equal(i, 7);
	json_array_foreach(vec_get(t, "consistency_proofs"), i, it)
	{
		uint8_t r1[32], r2[32];
		size_t len;
		vec_hash(vec_str(it, "root1"), r1);
		vec_hash(vec_str(it, "root2"), r2);
		uint8_t(*proof)[32] = vec_hashes(vec_get(it, "proof"), &len);
		check_consistency(cl, &s, vec_u64(it, "size1"), vec_u64(it, "size2"), r1, r2, proof,
		                  len);
		free(proof);
	}
	assert_int_equal(i, 8);
	mstore_clear(&s);
	free(leaves);
}

/* ---- Stored-hash variants against the RFC definitions ---- */

/* For a tree of size n: every inclusion proof and every consistency proof
 * from the stored hashes equals the one from the RFC definition, verifies,
 * and costs O(log n) reads. */
static void compare_size(const uint8_t (*leaves)[32], struct mstore *s, uint64_t n,
                         const uint64_t *idx, size_t nidx)
{
	uint8_t a[MERKLE_MAX_CONSISTENCY][32], b[MERKLE_MAX_CONSISTENCY][32], root[32], r1[32];
	struct merkle_frontier f;
	size_t alen, blen;
	unsigned depth = 0;
	while (depth < 64 && ((uint64_t)1 << depth) < n)
		depth++;
	merkle_root(leaves, n, root);
	s->limit = n;
	s->reads = 0;
	assert_int_equal(merkle_root_stored(n, mstore_read, s, r1), ERR_OK);
	assert_memory_equal(r1, root, 32);
	assert_true(s->reads <= depth + 1);
	for (size_t k = 0; k < (idx ? nidx : n); k++) {
		uint64_t i = idx ? idx[k] : k;
		assert_int_equal(merkle_inclusion(leaves, n, i, a, &alen), ERR_OK);
		s->reads = 0;
		assert_int_equal(merkle_inclusion_stored(i, n, mstore_read, s, b, &blen), ERR_OK);
		assert_true(s->reads <= 2 * depth);
		assert_int_equal(alen, blen);
		assert_int_equal(alen, merkle_inclusion_len(i, n));
		assert_memory_equal(a, b, alen * 32);
		assert_int_equal(merkle_inclusion_verify(i, n, leaves[i], a, alen, root), ERR_OK);

		uint64_t m = i + 1; /* sizes 1..n */
		s->limit = m;
		assert_int_equal(merkle_frontier_load(&f, m, mstore_read, s), ERR_OK);
		s->limit = n;
		merkle_frontier_root(&f, r1);
		assert_int_equal(merkle_consistency(leaves, m, n, a, &alen), ERR_OK);
		s->reads = 0;
		assert_int_equal(merkle_consistency_stored(m, n, mstore_read, s, b, &blen), ERR_OK);
		assert_true(s->reads <= 2 * depth + 1);
		assert_int_equal(alen, blen);
		assert_int_equal(alen, merkle_consistency_len(m, n));
		assert_memory_equal(a, b, alen * 32);
		assert_int_equal(merkle_consistency_verify(m, n, r1, root, a, alen), ERR_OK);
	}
}

static void test_stored_sizes_1_to_300(void **state)
{
	(void)state;
	uint8_t(*leaves)[32] = make_leaves(300);
	struct mstore s;
	mstore_init(&s);
	srand(300);
	for (uint64_t n = 1; n <= 300; n++) {
		mstore_append(&s, leaves[n - 1]);
		if (n <= 128) {
			compare_size(leaves, &s, n, NULL, 0);
			continue;
		}
		/* Every index up to 128 leaves; beyond, both ends, the middle
		 * and random ones (the reference costs O(n) per proof). */
		uint64_t idx[24] = {0, 1, 2, 3, 127, 128, n / 2, n - 4, n - 3, n - 2, n - 1};
		for (size_t j = 11; j < 24; j++)
			idx[j] = (uint64_t)rand() % n;
		compare_size(leaves, &s, n, idx, 24);
	}
	mstore_clear(&s);
	free(leaves);
}

static void test_stored_random_sizes(void **state)
{
	(void)state;
	const uint64_t max = 20000;
	uint8_t(*leaves)[32] = make_leaves(max);
	struct mstore s;
	mstore_init(&s);
	srand(4242);
	uint64_t sizes[] = {511, 512, 513, 4095, 4096, 4097, 16383, 16384, 16385, 0, 0, 0, 0};
	for (size_t k = 9; k < sizeof sizes / sizeof *sizes; k++)
		sizes[k] = 1000 + (uint64_t)rand() % (max - 1000);
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		uint64_t n = sizes[k];
		while (s.size < n)
			mstore_append(&s, leaves[s.size]);
		/* The stored tree may be bigger than n: reads are limited to n. */
		uint64_t idx[8] = {0, 1, n / 2, n - 2, n - 1};
		for (size_t j = 5; j < 8; j++)
			idx[j] = (uint64_t)rand() % n;
		compare_size(leaves, &s, n, idx, 8);
	}
	/* And the same sizes read from a store holding all max leaves. */
	while (s.size < max)
		mstore_append(&s, leaves[s.size]);
	uint8_t h[32], want[32];
	s.limit = 777;
	merkle_root(leaves, 777, want);
	assert_int_equal(merkle_root_stored(777, mstore_read, &s, h), ERR_OK);
	assert_memory_equal(h, want, 32);
	mstore_clear(&s);
	free(leaves);
}

/* ---- Huge trees: every leaf the same, so subtree (l, k) hashes to a value
 * that depends only on l, and any size can be "stored". ---- */

struct uniform {
	uint8_t level[65][32]; /* level[l]: hash of any perfect subtree of 2^l leaves */
	uint64_t limit;
	unsigned long reads;
};

static enum err uniform_read(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
	struct uniform *u = ctx;
	u->reads++;
	assert_true(level < 64);
	assert_true(index < (u->limit >> level));
	memcpy(out, u->level[level], 32);
	return ERR_OK;
}

static void test_stored_huge_sizes(void **state)
{
	(void)state;
	struct uniform u;
	merkle_leaf_hash("x", 1, u.level[0]);
	for (int l = 1; l < 65; l++)
		merkle_node_hash(u.level[l - 1], u.level[l - 1], u.level[l]);
	const uint64_t sizes[] = {
	    (uint64_t)1 << 40, ((uint64_t)1 << 40) + 12345, ((uint64_t)1 << 63) - 1,
	    (uint64_t)1 << 63, ((uint64_t)1 << 63) + 1,     UINT64_MAX - 1,
	    UINT64_MAX};
	size_t ns = sizeof sizes / sizeof *sizes;
	for (size_t a = 0; a < ns; a++) {
		uint64_t n = sizes[a];
		uint8_t root[32], r1[32], p[MERKLE_MAX_CONSISTENCY][32];
		size_t len;
		u.limit = n;
		u.reads = 0;
		assert_int_equal(merkle_root_stored(n, uniform_read, &u, root), ERR_OK);
		assert_true(u.reads <= 64);
		const uint64_t idx[] = {0, 1, n / 3, n - 2, n - 1};
		for (size_t k = 0; k < 5; k++) {
			u.reads = 0;
			assert_int_equal(
			    merkle_inclusion_stored(idx[k], n, uniform_read, &u, p, &len), ERR_OK);
			assert_true(u.reads <= 128);
			assert_true(len <= MERKLE_MAX_INCLUSION);
			assert_int_equal(len, merkle_inclusion_len(idx[k], n));
			assert_int_equal(
			    merkle_inclusion_verify(idx[k], n, u.level[0], p, len, root), ERR_OK);
		}
		for (size_t b = 0; b <= a; b++) {
			const uint64_t ms[] = {1, 2, 3, sizes[b] / 3, sizes[b] - 1, sizes[b]};
			for (size_t k = 0; k < 6; k++) {
				uint64_t m = ms[k];
				u.limit = m;
				assert_int_equal(merkle_root_stored(m, uniform_read, &u, r1),
				                 ERR_OK);
				u.limit = n;
				u.reads = 0;
				assert_int_equal(
				    merkle_consistency_stored(m, n, uniform_read, &u, p, &len),
				    ERR_OK);
				assert_true(u.reads <= 129);
				assert_true(len <= MERKLE_MAX_CONSISTENCY);
				assert_int_equal(len, merkle_consistency_len(m, n));
				assert_int_equal(merkle_consistency_verify(m, n, r1, root, p, len),
				                 ERR_OK);
			}
		}
		/* The frontier of a huge tree gives the same root. */
		struct merkle_frontier f;
		u.limit = n;
		assert_int_equal(merkle_frontier_load(&f, n, uniform_read, &u), ERR_OK);
		merkle_frontier_root(&f, r1);
		assert_memory_equal(r1, root, 32);
	}
}

/* ---- Appends and the frontier ---- */

static void test_frontier(void **state)
{
	(void)state;
	uint8_t(*leaves)[32] = make_leaves(600);
	struct mstore s;
	mstore_init(&s);
	for (uint64_t n = 0; n < 600; n++) {
		uint8_t a[32], b[32];
		merkle_frontier_root(&s.f, a);
		merkle_root(leaves, n, b);
		assert_memory_equal(a, b, 32);
		/* Loading the frontier from storage gives the same state. */
		struct merkle_frontier g;
		s.limit = n;
		s.reads = 0;
		assert_int_equal(merkle_frontier_load(&g, n, mstore_read, &s), ERR_OK);
		assert_true(s.reads <= 10);
		assert_int_equal(g.size, n);
		merkle_frontier_root(&g, a);
		assert_memory_equal(a, b, 32);
		mstore_append(&s, leaves[n]);
	}
	assert_int_equal(merkle_completed_count(0), 1);
	assert_int_equal(merkle_completed_count(1), 2);
	assert_int_equal(merkle_completed_count(6), 1);
	assert_int_equal(merkle_completed_count(7), 4);
	assert_int_equal(merkle_completed_count(UINT64_MAX - 1), 1);
	assert_int_equal(merkle_completed_count(((uint64_t)1 << 63) - 1), 64);
	mstore_clear(&s);
	free(leaves);
}

/* A read that fails passes its error on. */
static enum err failing_read(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
	(void)ctx;
	(void)level;
	(void)index;
	(void)out;
	return ERR_STORE;
}

static void test_errors(void **state)
{
	(void)state;
	uint8_t h[32] = {0}, p[MERKLE_MAX_CONSISTENCY][32];
	const uint8_t(*cp)[32] = p;
	size_t len = 99;
	assert_int_equal(merkle_inclusion(&h, 1, 1, p, &len), ERR_INVAL);
	assert_int_equal(len, 0);
	assert_int_equal(merkle_inclusion(NULL, 0, 0, p, &len), ERR_INVAL);
	assert_int_equal(merkle_consistency(&h, 0, 1, p, &len), ERR_INVAL);
	assert_int_equal(merkle_consistency(&h, 2, 1, p, &len), ERR_INVAL);
	assert_int_equal(merkle_consistency(&h, 1, 1, p, &len), ERR_OK);
	assert_int_equal(len, 0);
	assert_int_equal(merkle_inclusion_stored(5, 5, failing_read, NULL, p, &len), ERR_INVAL);
	assert_int_equal(merkle_inclusion_stored(0, 5, failing_read, NULL, p, &len), ERR_STORE);
	assert_int_equal(merkle_consistency_stored(0, 5, failing_read, NULL, p, &len), ERR_INVAL);
	assert_int_equal(merkle_consistency_stored(6, 5, failing_read, NULL, p, &len), ERR_INVAL);
	assert_int_equal(merkle_consistency_stored(3, 5, failing_read, NULL, p, &len), ERR_STORE);
	assert_int_equal(merkle_consistency_stored(5, 5, failing_read, NULL, p, &len), ERR_OK);
	assert_int_equal(merkle_root_stored(5, failing_read, NULL, h), ERR_STORE);
	assert_int_equal(merkle_root_stored(0, failing_read, NULL, h), ERR_OK);
	unsigned count = 9;
	assert_int_equal(merkle_append_stored(0, h, failing_read, NULL, p, &count), ERR_OK);
	assert_int_equal(count, 1);
	assert_int_equal(merkle_append_stored(1, h, failing_read, NULL, p, &count), ERR_STORE);
	assert_int_equal(merkle_append_stored(UINT64_MAX, h, failing_read, NULL, p, &count),
	                 ERR_LIMIT);
	struct merkle_frontier f;
	assert_int_equal(merkle_frontier_load(&f, 3, failing_read, NULL), ERR_STORE);
	assert_int_equal(f.size, 0);
	f.size = UINT64_MAX;
	assert_int_equal(merkle_frontier_append(&f, h, NULL, NULL), ERR_LIMIT);

	/* Verification policy (transparency-dev/merkle). */
	assert_int_equal(merkle_inclusion_verify(0, 0, h, cp, 0, h), ERR_INVAL);
	assert_int_equal(merkle_inclusion_verify(0, 1, h, cp, 0, h), ERR_OK);
	assert_int_equal(merkle_consistency_verify(0, 0, h, h, cp, 0), ERR_INVAL);
	assert_int_equal(merkle_consistency_verify(0, 5, h, h, cp, 1), ERR_INVAL);
	assert_int_equal(merkle_consistency_verify(2, 1, h, h, cp, 0), ERR_INVAL);
	assert_int_equal(merkle_consistency_verify(3, 3, h, h, cp, 0), ERR_OK);
	assert_int_equal(merkle_consistency_verify(3, 3, h, h, cp, 1), ERR_CRYPTO);
	assert_int_equal(merkle_consistency_verify(1, 2, h, h, cp, 0), ERR_CRYPTO);
	uint8_t other[32] = {1};
	assert_int_equal(merkle_consistency_verify(3, 3, h, other, cp, 0), ERR_CRYPTO);
	assert_int_equal(merkle_inclusion_len(3, 3), 0);
	assert_int_equal(merkle_consistency_len(3, 3), 0);
	assert_int_equal(merkle_consistency_len(0, 3), 0);
}

static int setup(void **state)
{
	(void)state;
	if (crypto_setup() != ERR_OK)
		return -1;
	vec = vec_load();
	load_ref_tree();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mstore_clear(&ref_store);
	json_decref(vec);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hash_primitives),
	    cmocka_unit_test(test_reference_roots),
	    cmocka_unit_test(test_reference_inclusion),
	    cmocka_unit_test(test_reference_consistency),
	    cmocka_unit_test(test_td_inclusion_probes),
	    cmocka_unit_test(test_td_consistency_probes),
	    cmocka_unit_test(test_ct_real_log),
	    cmocka_unit_test(test_larger_tree),
	    cmocka_unit_test(test_stored_sizes_1_to_300),
	    cmocka_unit_test(test_stored_random_sizes),
	    cmocka_unit_test(test_stored_huge_sizes),
	    cmocka_unit_test(test_frontier),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
