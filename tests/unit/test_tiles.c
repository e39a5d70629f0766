/* Unit tests for tlog/tile.c: C2SP tlog-tiles paths, widths and contents,
 * against ../shared/data/tlog/vectors.json (tlog_tiles). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "tlog/merkle.h"
#include "tlog/tile.h"
#include "tlog_vectors.h"

static json_t *vec;

/* Every complete-subtree hash of a tree, in memory. */
struct hstore {
	uint64_t size;
	uint8_t (*lv[64])[32];
};

static enum err hstore_read(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
	struct hstore *s = ctx;
	assert_true(level < 64 && index < (s->size >> level));
	memcpy(out, s->lv[level][index], 32);
	return ERR_OK;
}

/* Builds the store from leaf hashes with a frontier. */
static void hstore_build(struct hstore *s, const uint8_t (*leaves)[32], uint64_t n)
{
	memset(s, 0, sizeof *s);
	for (int l = 0; l < 64; l++)
		s->lv[l] = xcalloc((n >> l) + 1, 32);
	struct merkle_frontier f;
	merkle_frontier_init(&f);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t done[MERKLE_MAX_COMPLETED][32];
		unsigned count;
		assert_int_equal(merkle_frontier_append(&f, leaves[i], done, &count), ERR_OK);
		for (unsigned l = 0; l < count; l++)
			memcpy(s->lv[l][i >> l], done[l], 32);
	}
	s->size = n;
}

static void hstore_clear(struct hstore *s)
{
	for (int l = 0; l < 64; l++)
		free(s->lv[l]);
}

static void test_index_paths(void **state)
{
	(void)state;
	const char *key;
	json_t *v;
	size_t n = 0;
	json_object_foreach(vec_get(vec_get(vec, "tlog_tiles"), "index_path_examples"), key, v)
	{
		char out[TILE_INDEX_MAX];
		uint64_t idx = strtoull(key, NULL, 10);
		size_t len = tile_index_path(idx, out);
		assert_string_equal(out, json_string_value(v));
		assert_int_equal(len, strlen(out));
		/* And it parses back. */
		char path[TILE_PATH_MAX];
		struct tile t;
		snprintf(path, sizeof path, "tile/0/%s", out);
		assert_int_equal(tile_path_parse(path, strlen(path), &t), ERR_OK);
		assert_int_equal(t.index, idx);
		n++;
	}
	assert_int_equal(n, 6);
	char out[TILE_INDEX_MAX];
	assert_int_equal(tile_index_path(UINT64_MAX, out), 33);
	assert_string_equal(out, "x018/x446/x744/x073/x709/x551/615");
}

static void test_paths(void **state)
{
	(void)state;
	static const struct {
		struct tile t;
		const char *path;
	} ok[] = {
	    {{0, 0, 256}, "tile/0/000"},
	    {{0, 0, 8}, "tile/0/000.p/8"},
	    {{1, 0, 3}, "tile/1/000.p/3"},
	    {{0, 3, 232}, "tile/0/003.p/232"},
	    {{2, 1234067, 255}, "tile/2/x001/x234/067.p/255"},
	    {{63, 1000, 1}, "tile/63/x001/000.p/1"},
	    {{TILE_LEVEL_ENTRIES, 0, 8}, "tile/entries/000.p/8"},
	    {{TILE_LEVEL_ENTRIES, 256000000, 256}, "tile/entries/x256/x000/000"},
	    {{5, UINT64_MAX, 256}, "tile/5/x018/x446/x744/x073/x709/x551/615"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		char out[TILE_PATH_MAX];
		struct tile t;
		assert_int_equal(tile_path(&ok[i].t, out), ERR_OK);
		assert_string_equal(out, ok[i].path);
		assert_int_equal(tile_path_parse(ok[i].path, strlen(ok[i].path), &t), ERR_OK);
		assert_int_equal(t.level, ok[i].t.level);
		assert_int_equal(t.index, ok[i].t.index);
		assert_int_equal(t.width, ok[i].t.width);
	}
	static const char *bad[] = {
	    "",
	    "tile/",
	    "tile/0/",
	    "tile/0/00",
	    "tile/0/0000",
	    "tile/00/000",
	    "tile/64/000",
	    "tile/-1/000",
	    "tile/0/x000/001",
	    "tile/0/x001",
	    "tile/0/x001/",
	    "tile/0/001/",
	    "tile/0/000.p/0",
	    "tile/0/000.p/256",
	    "tile/0/000.p/08",
	    "tile/0/000.p/",
	    "tile/0/000.p",
	    "tile/0/000.q/8",
	    "tile/0/000/",
	    "tile/entries",
	    "tile/entries/",
	    "tile/entrie/000",
	    "tiles/0/000",
	    "tile/0/x1/000",
	    "tile/0/x001/x002/x003/x004/x005/x006/x007/000",
	    "tile/0/x018/x446/x744/x073/x709/x551/616",
	    "tile/0/abc",
	    "tile/1a/000",
	    "tile/0/000.p/8/",
	    "tile/0/000 ",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct tile t;
		if (tile_path_parse(bad[i], strlen(bad[i]), &t) != ERR_INVAL)
			fail_msg("accepted bad path '%s'", bad[i]);
	}
	char out[TILE_PATH_MAX];
	struct tile t = {64, 0, 256};
	assert_int_equal(tile_path(&t, out), ERR_INVAL);
	t = (struct tile){0, 0, 0};
	assert_int_equal(tile_path(&t, out), ERR_INVAL);
	t = (struct tile){0, 0, 257};
	assert_int_equal(tile_path(&t, out), ERR_INVAL);
	t = (struct tile){-2, 0, 1};
	assert_int_equal(tile_path(&t, out), ERR_INVAL);
}

static void test_widths(void **state)
{
	(void)state;
	/* The tlog-tiles example: a tree of 70,000 entries has 273 full level-0
	 * tiles, a partial one of width 112, one full level-1 tile, a partial
	 * level-1 tile of width 17 and a partial level-2 tile of width 1. */
	assert_int_equal(tile_width(0, 272, 70000), 256);
	assert_int_equal(tile_width(0, 273, 70000), 112);
	assert_int_equal(tile_width(0, 274, 70000), 0);
	assert_int_equal(tile_width(1, 0, 70000), 256);
	assert_int_equal(tile_width(1, 1, 70000), 17);
	assert_int_equal(tile_width(2, 0, 70000), 1);
	assert_int_equal(tile_width(3, 0, 70000), 0);
	assert_int_equal(tile_width(TILE_LEVEL_ENTRIES, 273, 70000), 112);
	/* A tree of 256: one full level-0 tile and a level-1 tile of width 1. */
	assert_int_equal(tile_width(0, 0, 256), 256);
	assert_int_equal(tile_width(0, 1, 256), 0);
	assert_int_equal(tile_width(1, 0, 256), 1);
	assert_int_equal(tile_width(0, 0, 0), 0);
	assert_int_equal(tile_width(7, 0, UINT64_MAX), 255);
	assert_int_equal(tile_width(8, 0, UINT64_MAX), 0);
	assert_int_equal(tile_width(63, 0, UINT64_MAX), 0);
	assert_int_equal(tile_width(64, 0, UINT64_MAX), 0);

	uint64_t first, end;
	tile_changed(0, 1000, 1000, &first, &end);
	assert_true(first == end);
	tile_changed(0, 1000, 1001, &first, &end);
	assert_int_equal(first, 3);
	assert_int_equal(end, 4);
	tile_changed(0, 1000, 1024, &first, &end); /* 003 becomes full */
	assert_int_equal(first, 3);
	assert_int_equal(end, 4);
	tile_changed(0, 1000, 1025, &first, &end);
	assert_int_equal(first, 3);
	assert_int_equal(end, 5);
	tile_changed(1, 1000, 1023, &first, &end); /* no new level-1 hash */
	assert_true(first == end);
	tile_changed(1, 1000, 1024, &first, &end);
	assert_int_equal(first, 0);
	assert_int_equal(end, 1);
	tile_changed(2, 0, 70000, &first, &end);
	assert_int_equal(first, 0);
	assert_int_equal(end, 1);
	tile_changed(TILE_LEVEL_ENTRIES, 0, 256, &first, &end);
	assert_int_equal(first, 0);
	assert_int_equal(end, 1);
}

static void test_locate(void **state)
{
	(void)state;
	uint64_t ti;
	unsigned first, count;
	tile_locate(0, 1000, &ti, &first, &count);
	assert_true(ti == 3 && first == 232 && count == 1);
	tile_locate(8, 5, &ti, &first, &count);
	assert_true(ti == 0 && first == 5 && count == 1);
	tile_locate(3, 33, &ti, &first, &count); /* leaves 264..271: tile 0/001 at 8 */
	assert_true(ti == 1 && first == 8 && count == 8);
	tile_locate(7, 1, &ti, &first, &count);
	assert_true(ti == 0 && first == 128 && count == 128);
	tile_locate(15, 3, &ti, &first, &count);
	assert_true(ti == 1 && first == 128 && count == 128);
}

static void test_tree_of_8(void **state)
{
	(void)state;
	json_t *t = vec_get(vec_get(vec, "tlog_tiles"), "rfc6962_tree_size8");
	json_t *lh = vec_get(vec_get(vec, "rfc6962_reference_tree"), "leaves_hex");
	uint8_t leaves[8][32];
	struct buf bundle;
	buf_init(&bundle);
	uint8_t *data[8];
	size_t dlen[8];
	for (size_t i = 0; i < 8; i++) {
		data[i] = vec_bytes(json_string_value(json_array_get(lh, i)), &dlen[i]);
		merkle_leaf_hash(data[i], dlen[i], leaves[i]);
		assert_int_equal(tile_bundle_append(&bundle, data[i], dlen[i]), ERR_OK);
	}
	struct hstore s;
	hstore_build(&s, (const uint8_t(*)[32])leaves, 8);

	/* tile/0/000.p/8 */
	struct tile tl = {0, 0, tile_width(0, 0, 8)};
	char path[TILE_PATH_MAX];
	assert_int_equal(tile_path(&tl, path), ERR_OK);
	assert_string_equal(path, "tile/0/000.p/8");
	uint8_t out[TILE_BYTES];
	assert_int_equal(tile_build(&tl, hstore_read, &s, out), ERR_OK);
	size_t want_len;
	uint8_t *want = vec_bytes(vec_str(t, "tile/0/000.p/8"), &want_len);
	assert_int_equal(want_len, 8 * 32);
	assert_memory_equal(out, want, want_len);
	free(want);

	/* tile/entries/000.p/8 */
	struct tile te = {TILE_LEVEL_ENTRIES, 0, tile_width(TILE_LEVEL_ENTRIES, 0, 8)};
	assert_int_equal(tile_path(&te, path), ERR_OK);
	assert_string_equal(path, "tile/entries/000.p/8");
	want = vec_bytes(vec_str(t, "tile/entries/000.p/8"), &want_len);
	assert_int_equal(bundle.len, want_len);
	assert_memory_equal(bundle.data, want, want_len);
	/* Read the bundle back: each entry hashes to its level-0 tile hash. */
	size_t off = 0, n = 0, elen;
	const uint8_t *e;
	while (tile_bundle_next(want, want_len, &off, &e, &elen) == ERR_OK) {
		uint8_t h[32];
		assert_int_equal(elen, dlen[n]);
		merkle_leaf_hash(e, elen, h);
		assert_memory_equal(h, out + n * 32, 32);
		n++;
	}
	assert_int_equal(n, 8);
	assert_int_equal(off, want_len);
	/* Truncated bundles. */
	off = 0;
	for (n = 0; n < 7; n++)
		assert_int_equal(tile_bundle_next(want, want_len - 1, &off, &e, &elen), ERR_OK);
	assert_int_equal(tile_bundle_next(want, want_len - 1, &off, &e, &elen), ERR_INVAL);
	off = 0;
	assert_int_equal(tile_bundle_next(want, 1, &off, &e, &elen), ERR_INVAL);
	free(want);

	for (size_t i = 0; i < 8; i++)
		free(data[i]);
	buf_clear(&bundle);
	hstore_clear(&s);
}

static void test_tree_of_1000(void **state)
{
	(void)state;
	json_t *t = vec_get(vec_get(vec, "tlog_tiles"), "computed_tree_size1000");
	uint8_t(*leaves)[32] = xcalloc(1000, 32);
	for (int i = 0; i < 1000; i++) {
		char s[32];
		int len = snprintf(s, sizeof s, "leaf %d\n", i);
		merkle_leaf_hash(s, (size_t)len, leaves[i]);
	}
	struct hstore s;
	hstore_build(&s, (const uint8_t(*)[32])leaves, 1000);
	uint8_t out[TILE_BYTES];
	size_t want_len;

	/* tile/0/000: first two hashes. */
	struct tile t0 = {0, 0, tile_width(0, 0, 1000)};
	assert_int_equal(t0.width, 256);
	assert_int_equal(tile_build(&t0, hstore_read, &s, out), ERR_OK);
	uint8_t *want = vec_bytes(vec_str(t, "tile/0/000 (first 2 hashes of 256, hex)"), &want_len);
	assert_int_equal(want_len, 64);
	assert_memory_equal(out, want, 64);
	free(want);

	/* tile/0/003.p/232 */
	struct tile t3 = {0, 3, tile_width(0, 3, 1000)};
	char path[TILE_PATH_MAX];
	assert_int_equal(tile_path(&t3, path), ERR_OK);
	assert_string_equal(path, "tile/0/003.p/232");
	assert_int_equal((size_t)t3.width * 32, vec_u64(t, "tile/0/003.p/232 length_bytes"));
	assert_int_equal(tile_build(&t3, hstore_read, &s, out), ERR_OK);
	assert_memory_equal(out + 231 * 32, leaves[999], 32);

	/* tile/1/000.p/3: the MTH of each full level-0 tile. */
	struct tile t1 = {1, 0, tile_width(1, 0, 1000)};
	assert_int_equal(tile_path(&t1, path), ERR_OK);
	assert_string_equal(path, "tile/1/000.p/3");
	assert_int_equal(tile_build(&t1, hstore_read, &s, out), ERR_OK);
	want = vec_bytes(vec_str(t, "tile/1/000.p/3"), &want_len);
	assert_int_equal(want_len, 3 * 32);
	assert_memory_equal(out, want, want_len);
	free(want);
	for (int i = 0; i < 3; i++) {
		uint8_t h[32];
		merkle_root((const uint8_t(*)[32])leaves + 256 * i, 256, h);
		assert_memory_equal(out + i * 32, h, 32);
	}

	/* Every complete subtree hash can be recomputed from the tiles. */
	uint8_t tiles0[4][TILE_WIDTH][32], tiles1[TILE_WIDTH][32];
	for (uint64_t n = 0; n < 4; n++) {
		struct tile tt = {0, n, tile_width(0, n, 1000)};
		assert_int_equal(tile_build(&tt, hstore_read, &s, tiles0[n][0]), ERR_OK);
	}
	assert_int_equal(tile_build(&t1, hstore_read, &s, tiles1[0]), ERR_OK);
	for (unsigned l = 0; l < 10; l++) {
		for (uint64_t k = 0; k < (1000u >> l); k++) {
			uint64_t ti;
			unsigned first, count;
			tile_locate(l, k, &ti, &first, &count);
			uint8_t(*base)[32] = l < 8 ? tiles0[ti] : tiles1;
			assert_true(l >= 8 ? ti == 0 : ti < 4);
			uint8_t h[32];
			merkle_root(base + first, count, h);
			assert_memory_equal(h, s.lv[l][k], 32);
		}
	}

	/* Bad tiles. */
	struct tile bad = {8, 1, 1};
	assert_int_equal(tile_build(&bad, hstore_read, &s, out), ERR_INVAL);
	bad = (struct tile){TILE_LEVEL_ENTRIES, 0, 1};
	assert_int_equal(tile_build(&bad, hstore_read, &s, out), ERR_INVAL);
	bad = (struct tile){0, 0, 0};
	assert_int_equal(tile_build(&bad, hstore_read, &s, out), ERR_INVAL);
	hstore_clear(&s);
	free(leaves);
}

static void test_bundle_limit(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	uint8_t *big = xcalloc(TILE_ENTRY_MAX + 1, 1);
	assert_int_equal(tile_bundle_append(&b, big, TILE_ENTRY_MAX + 1), ERR_LIMIT);
	assert_int_equal(b.len, 0);
	assert_int_equal(tile_bundle_append(&b, big, TILE_ENTRY_MAX), ERR_OK);
	assert_int_equal(tile_bundle_append(&b, "", 0), ERR_OK);
	assert_int_equal(b.len, 2 + TILE_ENTRY_MAX + 2);
	size_t off = 0, len;
	const uint8_t *e;
	assert_int_equal(tile_bundle_next((const uint8_t *)b.data, b.len, &off, &e, &len), ERR_OK);
	assert_int_equal(len, TILE_ENTRY_MAX);
	assert_int_equal(tile_bundle_next((const uint8_t *)b.data, b.len, &off, &e, &len), ERR_OK);
	assert_int_equal(len, 0);
	assert_int_equal(tile_bundle_next((const uint8_t *)b.data, b.len, &off, &e, &len),
	                 ERR_NOTFOUND);
	free(big);
	buf_clear(&b);
}

static int setup(void **state)
{
	(void)state;
	if (crypto_setup() != ERR_OK)
		return -1;
	vec = vec_load();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(vec);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_index_paths),  cmocka_unit_test(test_paths),
	    cmocka_unit_test(test_widths),       cmocka_unit_test(test_locate),
	    cmocka_unit_test(test_tree_of_8),    cmocka_unit_test(test_tree_of_1000),
	    cmocka_unit_test(test_bundle_limit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
