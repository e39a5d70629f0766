/* Unit tests for tlog/tlog.c on a real database: a SQLite file always, and
 * PostgreSQL too when CONSENT_TEST_PG_DSN is set (see store_env.h).
 * Appends one at a time and in batches; roots, inclusion and consistency
 * proofs equal those merkle.c computes in memory from the same entries;
 * tiles and entry bundles; atomicity with the caller's transaction;
 * entry validation and the canonical form; checkpoints signed, cached and
 * cosigned; and tlog_verify, on a sound log and on tampered ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "store/store.h"
#include "store_env.h"
#include "tlog/tlog.h"

static struct test_db sqlite_db, pg_db;
static struct test_db *db; /* the backend of the running group */

static const uint8_t seed[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static int setup(void **state)
{
	(void)state;
	return test_db_reset(db);
}

static int teardown(void **state)
{
	(void)state;
	test_db_drop(db);
	return 0;
}

static struct store_conn *open_db(struct store **s)
{
	char err[256];
	if (store_open(db->dsn, s, err, sizeof err) != ERR_OK)
		fail_msg("store_open: %s", err);
	if (store_migrate(*s, err, sizeof err) != ERR_OK)
		fail_msg("store_migrate: %s", err);
	struct store_conn *c = store_conn(*s, err, sizeof err);
	assert_non_null(c);
	return c;
}

/* The i-th test entry. Its strings live in static buffers until the next
 * call with the same slot. */
static struct tlog_entry make_entry(uint64_t i, int slot)
{
	static char obj[4][64], id[4][32];
	snprintf(obj[slot], sizeof obj[slot], "report:r%06" PRIu64, i);
	snprintf(id[slot], sizeof id[slot], "actor%" PRIu64, i % 7);
	struct tlog_entry e = {1700000000 + (int64_t)i,
	                       id[slot],
	                       "officer",
	                       i % 3 ? "leicestershire-police" : NULL,
	                       "report.read",
	                       obj[slot],
	                       "follow-up with the reporter"};
	return e;
}

/* Leaf hashes of entries 0..n-1, computed in memory. Caller frees. */
static uint8_t (*leaves_of(uint64_t n))[32]
{
	uint8_t(*l)[32] = xcalloc(n ? n : 1, 32);
	for (uint64_t i = 0; i < n; i++) {
		struct buf b;
		buf_init(&b);
		struct tlog_entry e = make_entry(i, 0);
		assert_int_equal(tlog_entry_json(&e, &b), ERR_OK);
		merkle_leaf_hash(b.data, b.len, l[i]);
		buf_clear(&b);
	}
	return l;
}

/* Appends entries from..to-1, in batches of `batch` (1: one at a time). */
static void append_range(struct store_conn *c, uint64_t from, uint64_t to, size_t batch)
{
	struct tlog_entry *e = xcalloc(batch, sizeof *e);
	static char obj[512][64], id[512][32];
	assert_true(batch <= 512);
	for (uint64_t i = from; i < to;) {
		size_t n = 0;
		for (; n < batch && i < to; n++, i++) {
			e[n] = make_entry(i, 0);
			snprintf(obj[n], sizeof obj[n], "%s", e[n].object);
			snprintf(id[n], sizeof id[n], "%s", e[n].actor_id);
			e[n].object = obj[n];
			e[n].actor_id = id[n];
		}
		uint64_t first = UINT64_MAX;
		assert_int_equal(tlog_append_batch(c, e, n, &first), ERR_OK);
		assert_int_equal(first, i - n);
	}
	free(e);
}

static void test_canonical_entry(void **state)
{
	(void)state;
	struct tlog_entry e = {1764017572,
	                       "Ab3_x-9",
	                       "org_admin",
	                       "st-philips-centre",
	                       "member.add",
	                       "membership:st-philips-centre/Qq1",
	                       "grant \"org_member\" \\ é"};
	struct buf b;
	buf_init(&b);
	assert_int_equal(tlog_entry_json(&e, &b), ERR_OK);
	assert_string_equal(b.data,
	                    "{\"action\":\"member.add\",\"actor\":{\"id\":\"Ab3_x-9\",\"org\":"
	                    "\"st-philips-centre\",\"role\":\"org_admin\"},\"object\":"
	                    "\"membership:st-philips-centre/Qq1\",\"purpose\":\"grant "
	                    "\\\"org_member\\\" \\\\ é\",\"time\":\"2025-11-24T20:52:52Z\"}");
	buf_reset(&b);
	e.org = NULL;
	assert_int_equal(tlog_entry_json(&e, &b), ERR_OK);
	assert_non_null(strstr(b.data, "\"org\":null,"));
	buf_reset(&b);
	/* Refused: control characters, empty or missing fields, too long, bad UTF-8. */
	struct tlog_entry bad = e;
	bad.purpose = "two\nlines";
	assert_int_equal(tlog_entry_json(&bad, &b), ERR_INVAL);
	bad = e;
	bad.object = "";
	assert_int_equal(tlog_entry_json(&bad, &b), ERR_INVAL);
	bad = e;
	bad.action = NULL;
	assert_int_equal(tlog_entry_json(&bad, &b), ERR_INVAL);
	bad = e;
	bad.role = "\xff";
	assert_int_equal(tlog_entry_json(&bad, &b), ERR_INVAL);
	char longs[TLOG_FIELD_MAX + 2];
	memset(longs, 'a', sizeof longs - 1);
	longs[sizeof longs - 1] = '\0';
	bad = e;
	bad.object = longs;
	assert_int_equal(tlog_entry_json(&bad, &b), ERR_INVAL);
	longs[TLOG_FIELD_MAX] = '\0';
	bad.object = longs;
	assert_int_equal(tlog_entry_json(&bad, &b), ERR_OK);
	buf_reset(&b);
	bad = e;
	bad.time = -1;
	assert_int_equal(tlog_entry_json(&bad, &b), ERR_INVAL);
	assert_int_equal(b.len, 0);
	buf_clear(&b);
}

/* Roots and proofs from the store equal the in-memory ones, for every size
 * as the log grows one entry at a time. */
static void test_grow_one_by_one(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	const uint64_t n = 70;
	uint8_t(*l)[32] = leaves_of(n);
	uint64_t size;
	assert_int_equal(tlog_size(c, &size), ERR_OK);
	assert_int_equal(size, 0);
	uint8_t root[32], want[32];
	assert_int_equal(tlog_root(c, NULL, 0, root), ERR_OK);
	merkle_empty_root(want);
	assert_memory_equal(root, want, 32);
	for (uint64_t i = 0; i < n; i++) {
		struct tlog_entry e = make_entry(i, 0);
		uint64_t index = UINT64_MAX;
		assert_int_equal(tlog_append(c, &e, &index), ERR_OK);
		assert_int_equal(index, i);
		assert_int_equal(tlog_root(c, NULL, i + 1, root), ERR_OK);
		merkle_root(l, i + 1, want);
		assert_memory_equal(root, want, 32);
	}
	assert_int_equal(tlog_root(c, NULL, n + 1, root), ERR_INVAL);
	/* Every inclusion and consistency proof. */
	for (uint64_t sz = 1; sz <= n; sz++) {
		uint8_t got[MERKLE_MAX_CONSISTENCY][32], ref[MERKLE_MAX_CONSISTENCY][32];
		size_t glen, rlen;
		merkle_root(l, sz, want);
		for (uint64_t i = 0; i < sz; i++) {
			assert_int_equal(tlog_prove_inclusion(c, NULL, i, sz, root, got, &glen),
			                 ERR_OK);
			assert_int_equal(merkle_inclusion(l, sz, i, ref, &rlen), ERR_OK);
			assert_memory_equal(root, want, 32);
			assert_int_equal(glen, rlen);
			if (glen)
				assert_memory_equal(got, ref, glen * 32);
			assert_int_equal(merkle_inclusion_verify(i, sz, l[i], got, glen, root),
			                 ERR_OK);
		}
		for (uint64_t m = 1; m <= sz; m++) {
			assert_int_equal(tlog_prove_consistency(c, NULL, m, sz, root, got, &glen),
			                 ERR_OK);
			assert_int_equal(merkle_consistency(l, m, sz, ref, &rlen), ERR_OK);
			assert_memory_equal(root, want, 32);
			assert_int_equal(glen, rlen);
			if (glen)
				assert_memory_equal(got, ref, glen * 32);
		}
	}
	/* Impossible requests. */
	uint8_t p[MERKLE_MAX_CONSISTENCY][32];
	size_t len;
	assert_int_equal(tlog_prove_inclusion(c, NULL, 5, 5, root, p, &len), ERR_INVAL);
	assert_int_equal(tlog_prove_inclusion(c, NULL, 1, n + 1, root, p, &len), ERR_INVAL);
	assert_int_equal(tlog_prove_consistency(c, NULL, 0, 5, root, p, &len), ERR_INVAL);
	assert_int_equal(tlog_prove_consistency(c, NULL, 6, 5, root, p, &len), ERR_INVAL);
	assert_int_equal(tlog_prove_consistency(c, NULL, 5, n + 1, root, p, &len), ERR_INVAL);
	free(l);
	store_close(s);
}

/* Batches of several sizes make the same tree; tiles and bundles are the
 * hashes and entries, byte for byte. */
static void test_batches_and_tiles(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	const uint64_t n = 1000;
	append_range(c, 0, 3, 3);
	append_range(c, 3, 300, 100);
	append_range(c, 300, 301, 1);
	append_range(c, 301, n, 512);
	uint8_t(*l)[32] = leaves_of(n);
	uint8_t root[32], want[32];
	assert_int_equal(tlog_root(c, NULL, n, root), ERR_OK);
	merkle_root(l, n, want);
	assert_memory_equal(root, want, 32);
	static const uint64_t sizes[] = {1, 255, 256, 257, 511, 512, 513, 999};
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		uint8_t p[MERKLE_MAX_INCLUSION][32], ref[MERKLE_MAX_INCLUSION][32];
		size_t plen, rlen;
		uint64_t i = sizes[k] / 3;
		assert_int_equal(tlog_prove_inclusion(c, NULL, i, sizes[k], root, p, &plen),
		                 ERR_OK);
		assert_int_equal(merkle_inclusion(l, sizes[k], i, ref, &rlen), ERR_OK);
		assert_int_equal(plen, rlen);
		assert_memory_equal(p, ref, plen * 32);
		assert_int_equal(tlog_prove_consistency(c, NULL, sizes[k], n, root, p, &plen),
		                 ERR_OK);
		assert_int_equal(merkle_consistency(l, sizes[k], n, ref, &rlen), ERR_OK);
		assert_int_equal(plen, rlen);
		assert_memory_equal(p, ref, plen * 32);
	}

	struct buf b;
	buf_init(&b);
	/* Level 0: the leaf hashes. */
	struct tile t = {0, 1, 256};
	assert_int_equal(tlog_tile(c, NULL, &t, n, &b), ERR_OK);
	assert_int_equal(b.len, TILE_BYTES);
	assert_memory_equal(b.data, l[256], TILE_BYTES);
	buf_reset(&b);
	t = (struct tile){0, 3, 1000 - 768};
	assert_int_equal(tlog_tile(c, NULL, &t, n, &b), ERR_OK);
	assert_memory_equal(b.data, l[768], (1000 - 768) * 32);
	buf_reset(&b);
	t.width = 17; /* a narrower partial tile of the same index */
	assert_int_equal(tlog_tile(c, NULL, &t, n, &b), ERR_OK);
	assert_int_equal(b.len, 17 * 32);
	buf_reset(&b);
	t.width = 1000 - 768 + 1; /* wider than the tree has */
	assert_int_equal(tlog_tile(c, NULL, &t, n, &b), ERR_NOTFOUND);
	t = (struct tile){0, 4, 1};
	assert_int_equal(tlog_tile(c, NULL, &t, n, &b), ERR_NOTFOUND);
	/* Level 1: the roots of the full level-0 tiles. */
	t = (struct tile){1, 0, 3};
	assert_int_equal(tlog_tile(c, NULL, &t, n, &b), ERR_OK);
	for (int k = 0; k < 3; k++) {
		merkle_root(l + 256 * k, 256, want);
		assert_memory_equal(b.data + 32 * k, want, 32);
	}
	buf_reset(&b);
	/* Entry bundles. */
	t = (struct tile){TILE_LEVEL_ENTRIES, 2, 5};
	assert_int_equal(tlog_tile(c, NULL, &t, n, &b), ERR_OK);
	size_t off = 0, len;
	const uint8_t *ent;
	for (uint64_t i = 512; i < 517; i++) {
		assert_int_equal(tile_bundle_next((const uint8_t *)b.data, b.len, &off, &ent, &len),
		                 ERR_OK);
		uint8_t h[32];
		merkle_leaf_hash(ent, len, h);
		assert_memory_equal(h, l[i], 32);
	}
	assert_int_equal(tile_bundle_next((const uint8_t *)b.data, b.len, &off, &ent, &len),
	                 ERR_NOTFOUND);
	buf_clear(&b);
	free(l);
	store_close(s);
}

static enum err count_entry(void *ctx, uint64_t index, const char *entry, size_t len)
{
	uint64_t *n = ctx;
	assert_int_equal(index, *n);
	assert_true(len > 0 && entry[0] == '{' && entry[len - 1] == '}');
	(*n)++;
	return ERR_OK;
}

static int64_t count_rows(struct store_conn *c, const char *sql)
{
	struct store_stmt *st = store_prepare(c, sql);
	assert_non_null(st);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t n = store_col_int(st, 0);
	store_reset(st);
	return n;
}

static const char count_entries_sql[] = "SELECT COUNT(*) FROM tlog_entries";
static const char count_hashes_sql[] = "SELECT COUNT(*) FROM tlog_hashes";
static const char count_settings_sql[] = "SELECT COUNT(*) FROM settings";

static void put_setting(struct store_conn *c, const char *name)
{
	static const char sql[] = "INSERT INTO settings (name, value) VALUES (?, 'x')";
	struct store_stmt *st = store_prepare(c, sql);
	assert_non_null(st);
	store_bind_text(st, 1, name);
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
}

/* The append belongs to the caller's transaction: a rollback takes it
 * back with the action; a failed append leaves the transaction usable for
 * the caller to roll back. */
static void test_atomic_with_caller(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	append_range(c, 0, 5, 1);
	uint8_t before[32], after[32];
	assert_int_equal(tlog_root(c, NULL, 5, before), ERR_OK);

	/* Action and entry, rolled back together. */
	assert_int_equal(store_begin(c), ERR_OK);
	put_setting(c, "action-1");
	struct tlog_entry e = make_entry(5, 0);
	uint64_t index;
	assert_int_equal(tlog_append(c, &e, &index), ERR_OK);
	assert_int_equal(index, 5);
	uint64_t size;
	assert_int_equal(tlog_size(c, &size), ERR_OK);
	assert_int_equal(size, 6);
	store_rollback(c);
	assert_int_equal(tlog_size(c, &size), ERR_OK);
	assert_int_equal(size, 5);
	assert_int_equal(count_rows(c, count_entries_sql), 5);
	assert_int_equal(count_rows(c, count_hashes_sql), 2 * 5 - 2);
	assert_int_equal(count_rows(c, count_settings_sql), 0);
	assert_int_equal(tlog_root(c, NULL, 5, after), ERR_OK);
	assert_memory_equal(before, after, 32);

	/* A bad entry fails the append, not the transaction: the caller decides. */
	assert_int_equal(store_begin(c), ERR_OK);
	put_setting(c, "action-2");
	struct tlog_entry bad = e;
	bad.object = "";
	assert_int_equal(tlog_append(c, &bad, &index), ERR_INVAL);
	store_rollback(c);
	assert_int_equal(count_rows(c, count_settings_sql), 0);

	/* Committed together, and the next append continues the same tree. */
	assert_int_equal(store_begin(c), ERR_OK);
	put_setting(c, "action-3");
	assert_int_equal(tlog_append(c, &e, &index), ERR_OK);
	assert_int_equal(store_commit(c), ERR_OK);
	append_range(c, 6, 9, 2);
	assert_int_equal(count_rows(c, count_settings_sql), 1);
	uint8_t(*l)[32] = leaves_of(9);
	uint8_t want[32];
	merkle_root(l, 9, want);
	assert_int_equal(tlog_root(c, NULL, 9, after), ERR_OK);
	assert_memory_equal(after, want, 32);
	free(l);

	uint64_t n = 0;
	assert_int_equal(tlog_entries(c, 0, 9, count_entry, &n), ERR_OK);
	assert_int_equal(n, 9);
	assert_int_equal(tlog_entries(c, 3, 10, count_entry, &n), ERR_INVAL);
	assert_int_equal(tlog_entries(c, 4, 3, count_entry, &n), ERR_INVAL);
	store_close(s);
}

/* Two connections append concurrently; every append lands once. */
struct appender {
	struct store *s;
	int base;
	int failures;
};

static void *append_thread(void *p)
{
	struct appender *a = p;
	struct store_conn *c = store_conn(a->s, NULL, 0);
	for (int i = 0; i < 50; i++) {
		struct tlog_entry e = make_entry((uint64_t)(a->base + i), a->base ? 1 : 2);
		uint64_t index;
		enum err err;
		int tries = 0;
		while ((err = tlog_append(c, &e, &index)) == ERR_UNAVAIL && tries++ < 50)
			nanosleep(&(struct timespec){0, 1000000}, NULL);
		if (err)
			a->failures++;
	}
	store_conn_release(a->s);
	return NULL;
}

static void test_concurrent_appends(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	struct appender a = {s, 0, 0}, b = {s, 1000, 0};
	pthread_t ta, tb;
	pthread_create(&ta, NULL, append_thread, &a);
	pthread_create(&tb, NULL, append_thread, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(a.failures + b.failures, 0);
	uint64_t size;
	assert_int_equal(tlog_size(c, &size), ERR_OK);
	assert_int_equal(size, 100);
	struct tlog_verify_result res;
	assert_int_equal(tlog_verify(c, seed, &res), ERR_OK); /* no checkpoints: any key */
	assert_int_equal(res.entries, 100);
	store_close(s);
}

/* A note carrying the log's signature and those of witnesses. */
static void test_checkpoints(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct store_conn *c = open_db(&s);
	struct tlog *t;
	assert_int_equal(tlog_new(seed, "bad origin", &t), ERR_INVAL);
	assert_int_equal(tlog_new(seed, "log.example.org/test", &t), ERR_OK);
	char *vkey = tlog_vkey(t);
	struct note_verifier v;
	assert_int_equal(note_verifier_parse(vkey, &v), ERR_OK);
	assert_string_equal(v.name, "log.example.org/test");

	/* The empty log has a checkpoint too. */
	char *note = NULL;
	uint64_t size = 99;
	assert_int_equal(tlog_checkpoint(t, c, 0, &note, &size), ERR_OK);
	assert_int_equal(size, 0);
	struct note_checkpoint cp;
	assert_int_equal(note_checkpoint_open(note, strlen(note), &v, NULL, 0, &cp, NULL), ERR_OK);
	assert_int_equal(cp.size, 0);
	note_checkpoint_clear(&cp);
	free(note);

	append_range(c, 0, 10, 10);
	/* Signed at once when asked. */
	assert_int_equal(tlog_checkpoint(t, c, TLOG_SIGN_NOW, &note, &size), ERR_OK);
	assert_int_equal(size, 10);
	assert_int_equal(note_checkpoint_open(note, strlen(note), &v, NULL, 0, &cp, NULL), ERR_OK);
	uint8_t root[32];
	assert_int_equal(tlog_root(c, NULL, 10, root), ERR_OK);
	assert_memory_equal(cp.root, root, 32);
	assert_string_equal(cp.origin, "log.example.org/test");
	note_checkpoint_clear(&cp);
	free(note);
	/* Not again within a second while it grows, unless asked. */
	append_range(c, 10, 12, 1);
	assert_int_equal(tlog_checkpoint(t, c, 0, &note, &size), ERR_OK);
	assert_int_equal(size, 10);
	free(note);
	assert_int_equal(tlog_checkpoint(t, c, TLOG_SIGN_NOW, &note, &size), ERR_OK);
	assert_int_equal(size, 12);
	free(note);

	/* Another process (another struct tlog) sees the same latest. */
	struct tlog *t2;
	assert_int_equal(tlog_new(seed, "log.example.org/test", &t2), ERR_OK);
	assert_int_equal(tlog_checkpoint(t2, c, 0, &note, &size), ERR_OK);
	assert_int_equal(size, 12);
	free(note);

	/* A witness cosigns it: the line comes with the checkpoint. */
	assert_int_equal(store_exec(c, "INSERT INTO orgs (id, slug, name, kind, created_at) "
	                               "VALUES (1, 'opcc', 'OPCC', 'oversight', 0)"),
	                 ERR_OK);
	struct note_signer w;
	assert_int_equal(note_signer_generate(&w, "witness.example.org", NOTE_TYPE_COSIG), ERR_OK);
	struct note_verifier wv;
	note_signer_verifier(&w, &wv);
	char *wkey = note_verifier_format(&wv);
	static const char ins_w[] = "INSERT INTO tlog_witnesses (id, org_id, name, key_id, vkey, "
	                            "created_at) VALUES (1, 1, ?, ?, ?, 0)";
	struct store_stmt *st = store_prepare(c, ins_w);
	store_bind_text(st, 1, wv.name);
	store_bind_int(st, 2, wv.key_id);
	store_bind_text(st, 3, wkey);
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	char *text = NULL, *plain = NULL, *cosigned = NULL;
	assert_int_equal(tlog_checkpoint_get(c, 12, &plain), ERR_OK);
	struct note n;
	assert_int_equal(note_parse(&n, plain, strlen(plain)), ERR_OK);
	text = xstrdup(n.text);
	note_clear(&n);
	assert_int_equal(note_set_text(&n, text, strlen(text)), ERR_OK);
	assert_int_equal(note_sign(&n, &w, (uint64_t)clock_now()), ERR_OK);
	assert_int_equal(note_format(&n, &cosigned), ERR_OK);
	note_clear(&n);
	const char *line = cosigned + strlen(text) + 1;
	int added = 0;
	assert_int_equal(tlog_cosignature_add(c, 12, 1, line, &added), ERR_OK);
	assert_true(added);
	assert_int_equal(tlog_cosignature_add(c, 12, 1, line, &added), ERR_OK);
	assert_false(added);
	assert_int_equal(tlog_cosignature_add(c, 13, 1, line, &added), ERR_CONFLICT);
	assert_int_equal(tlog_checkpoint(t, c, 0, &note, &size), ERR_OK);
	size_t ncos = 0;
	assert_int_equal(note_checkpoint_open(note, strlen(note), &v, &wv, 1, &cp, &ncos), ERR_OK);
	assert_int_equal(ncos, 1);
	note_checkpoint_clear(&cp);
	free(note);

	struct tlog_verify_result res;
	uint8_t pub[32];
	tlog_public_key(t, pub);
	assert_int_equal(tlog_verify(c, pub, &res), ERR_OK);
	assert_int_equal(res.checkpoints, 3);
	assert_int_equal(res.cosignatures, 1);
	assert_int_equal(res.entries, 12);
	assert_int_equal(res.hashes, 2 * 12 - 2);

	/* A cosignature that does not verify is named. */
	char *badline = xstrdup(line);
	badline[strlen(badline) - 5] ^= 1;
	st = store_prepare(c, "UPDATE tlog_cosignatures SET line = ?");
	store_bind_text(st, 1, badline);
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);
	assert_int_equal(tlog_verify(c, pub, &res), ERR_CRYPTO);
	assert_non_null(strstr(res.problem, "checkpoint of size 12"));
	assert_non_null(strstr(res.problem, "witness.example.org"));

	free(badline);
	free(text);
	free(plain);
	free(cosigned);
	free(wkey);
	free(vkey);
	note_signer_clear(&w);
	tlog_free(t2);
	tlog_free(t);
	store_close(s);
}

/* Builds a log of 40 entries with checkpoints at 0, 17 and 40. */
static struct store_conn *tamper_setup(struct store **s, uint8_t pub[32])
{
	struct store_conn *c = open_db(s);
	struct tlog *t;
	assert_int_equal(tlog_new(seed, "log.example.org/test", &t), ERR_OK);
	tlog_public_key(t, pub);
	char *note;
	assert_int_equal(tlog_checkpoint(t, c, TLOG_SIGN_NOW, &note, NULL), ERR_OK);
	free(note);
	append_range(c, 0, 17, 5);
	assert_int_equal(tlog_checkpoint(t, c, TLOG_SIGN_NOW, &note, NULL), ERR_OK);
	free(note);
	append_range(c, 17, 40, 1);
	assert_int_equal(tlog_checkpoint(t, c, TLOG_SIGN_NOW, &note, NULL), ERR_OK);
	free(note);
	tlog_free(t);
	struct tlog_verify_result res;
	assert_int_equal(tlog_verify(c, pub, &res), ERR_OK);
	assert_int_equal(res.checkpoints, 3);
	return c;
}

/* Runs sql (no parameters) and expects tlog_verify to name `want`. */
static void expect_problem(const char *sql, const char *want)
{
	struct store *s = NULL;
	uint8_t pub[32];
	assert_int_equal(test_db_reset(db), 0);
	struct store_conn *c = tamper_setup(&s, pub);
	assert_int_equal(store_exec(c, sql), ERR_OK);
	struct tlog_verify_result res;
	assert_int_equal(tlog_verify(c, pub, &res), ERR_CRYPTO);
	if (!strstr(res.problem, want))
		fail_msg("after %s: problem \"%s\" does not name \"%s\"", sql, res.problem, want);
	store_close(s);
}

static void test_verify_tampering(void **state)
{
	(void)state;
	/* An entry edited: its own hash no longer matches. */
	expect_problem("UPDATE tlog_entries SET entry = REPLACE(entry, 'r000021', 'r000022') "
	               "WHERE idx = 21",
	               "entry 21:");
	/* Two entries swapped. */
	expect_problem("UPDATE tlog_entries SET entry = CASE idx WHEN 2 THEN (SELECT entry FROM "
	               "tlog_entries WHERE idx = 3) ELSE (SELECT entry FROM tlog_entries WHERE "
	               "idx = 2) END WHERE idx IN (2, 3)",
	               "entry 2:");
	/* Not canonical any more (a space). */
	expect_problem("UPDATE tlog_entries SET entry = REPLACE(entry, ',', ', ') WHERE idx = 9",
	               "entry 9 is not a canonical");
	/* Deleted. */
	expect_problem("DELETE FROM tlog_entries WHERE idx = 30", "entry 30 is missing");
	/* The last ones deleted. */
	expect_problem("DELETE FROM tlog_entries WHERE idx >= 38", "entries 38 to 39 are missing");
	/* Truncated, size and hashes too: the checkpoint of size 40 tells. */
	expect_problem("DELETE FROM tlog_entries WHERE idx >= 20; "
	               "DELETE FROM tlog_hashes WHERE node >= 39; "
	               "UPDATE tlog_state SET size = 20",
	               "checkpoint of size 40 is beyond the log");
	/* Truncated with no checkpoint beyond: stale hashes tell. */
	expect_problem("DELETE FROM tlog_checkpoints WHERE size = 40; "
	               "DELETE FROM tlog_entries WHERE idx >= 20; UPDATE tlog_state SET size = 20",
	               "tlog_hashes holds");
	/* A checkpoint replaced by a differently signed one. */
	expect_problem("UPDATE tlog_checkpoints SET note = REPLACE(note, '17', '18') "
	               "WHERE size = 17",
	               "checkpoint of size 17");
	/* A subtree's hash changed (node 5 is level 1, index 1). */
	expect_problem(
	    "UPDATE tlog_hashes SET hash = (SELECT hash FROM tlog_hashes WHERE node = 0) "
	    "WHERE node = 5",
	    "entries 2 to 3 (subtree at level 1)");
}

static int group_sqlite(void **state)
{
	(void)state;
	db = &sqlite_db;
	return 0;
}

static int group_pg(void **state)
{
	(void)state;
	db = &pg_db;
	return 0;
}

#define BOTH(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	if (crypto_setup() != ERR_OK)
		return 1;
	const struct CMUnitTest plain[] = {
	    cmocka_unit_test(test_canonical_entry),
	};
	const struct CMUnitTest both[] = {
	    BOTH(test_grow_one_by_one),    BOTH(test_batches_and_tiles),
	    BOTH(test_atomic_with_caller), BOTH(test_concurrent_appends),
	    BOTH(test_checkpoints),        BOTH(test_verify_tampering),
	};
	int failed = cmocka_run_group_tests_name("tlog", plain, NULL, NULL);
	test_db_sqlite(&sqlite_db, "tlog");
	failed += cmocka_run_group_tests_name("tlog on sqlite", both, group_sqlite, NULL);
	if (test_db_pg(&pg_db, "tlog"))
		failed += cmocka_run_group_tests_name("tlog on pg", both, group_pg, NULL);
	else
		fprintf(stderr,
		        "test_tlog: CONSENT_TEST_PG_DSN not set: PostgreSQL cases skipped\n");
	return failed ? 1 : 0;
}
