/* tlog.c - the accountability log on the store interface (see tlog.h):
 * gathered reads and the hash cache, entries, appending, reading, tiles.
 * Checkpoints are in checkpoint.c, verification in verify.c. */
#include "tlog/tlog.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "tlog/internal.h"

#define HLEN MERKLE_HASH_LEN

/* ---- The hash cache ---- */

static size_t cache_slot_of(uint64_t key)
{
	return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - TLOG_CACHE_BITS));
}

void tlog_cache_clear(struct tlog *t)
{
	pthread_mutex_lock(&t->cache_lock);
	memset(t->cache, 0, sizeof *t->cache << TLOG_CACHE_BITS);
	t->known_size = 0;
	pthread_mutex_unlock(&t->cache_lock);
}

/* ---- Gathered reads (internal.h) ---- */

#define FETCH_IN 64 /* keys per statement */

#define Q4  "?, ?, ?, ?"
#define Q16 Q4 ", " Q4 ", " Q4 ", " Q4
#define Q64 Q16 ", " Q16 ", " Q16 ", " Q16
static const char fetch_sql[] = "SELECT node, hash FROM tlog_hashes WHERE node IN (" Q64 ")";

struct tlog_fetch *tlog_fetch_new(struct tlog *cache)
{
	struct tlog_fetch *f = xmalloc(sizeof *f);
	f->cache = cache;
	f->lookup = 0;
	f->n = 0;
	return f;
}

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

long tlog_fetch_find(const struct tlog_fetch *f, uint64_t k)
{
	size_t lo = 0, hi = f->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->key[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->n && f->key[lo] == k ? (long)lo : -1;
}

/* Records key k (lookup phase 0). */
enum err tlog_fetch_add(struct tlog_fetch *f, uint64_t k)
{
	if (f->n == TLOG_FETCH_MAX)
		return ERR_LIMIT;
	f->key[f->n++] = k;
	return ERR_OK;
}

/* A merkle_read_fn over a struct tlog_fetch. */
enum err tlog_fetch_read(void *ctx, unsigned level, uint64_t index, uint8_t out[HLEN])
{
	struct tlog_fetch *f = ctx;
	uint64_t k = tlog_node_key(level, index);
	if (!f->lookup) {
		memset(out, 0, HLEN);
		return tlog_fetch_add(f, k);
	}
	long i = tlog_fetch_find(f, k);
	if (i < 0 || !f->found[i])
		return ERR_INTERNAL; /* a stored hash is missing: the log is damaged */
	memcpy(out, f->hash[i], HLEN);
	return ERR_OK;
}

/* Takes what the cache has of the recorded keys (sorted, distinct). */
static void cache_get(struct tlog_fetch *f)
{
	struct tlog *t = f->cache;
	pthread_mutex_lock(&t->cache_lock);
	for (size_t i = 0; i < f->n; i++) {
		const struct tlog_cache_slot *sl = &t->cache[cache_slot_of(f->key[i])];
		if (sl->key1 == f->key[i] + 1) {
			memcpy(f->hash[i], sl->hash, HLEN);
			f->found[i] = 1;
		}
	}
	pthread_mutex_unlock(&t->cache_lock);
}

/* Keeps the high subtrees read from the database in the cache. */
static void cache_put(struct tlog_fetch *f, const unsigned char *from_db)
{
	struct tlog *t = f->cache;
	pthread_mutex_lock(&t->cache_lock);
	for (size_t i = 0; i < f->n; i++) {
		if (!from_db[i] || tlog_ctz64(f->key[i] + 1) < TLOG_CACHE_MIN_LEVEL)
			continue;
		struct tlog_cache_slot *sl = &t->cache[cache_slot_of(f->key[i])];
		sl->key1 = f->key[i] + 1;
		memcpy(sl->hash, f->hash[i], HLEN);
	}
	pthread_mutex_unlock(&t->cache_lock);
}

/* Reads the hashes of the recorded keys (missing ones stay !found) and
 * switches f to answering. Only committed hashes are cached: none read
 * inside a transaction, which may have written them. */
enum err tlog_fetch_run(struct store_conn *c, struct tlog_fetch *f)
{
	qsort(f->key, f->n, sizeof f->key[0], key_cmp);
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (n == 0 || f->key[i] != f->key[n - 1])
			f->key[n++] = f->key[i];
	f->n = n;
	memset(f->found, 0, n);
	f->lookup = 1;
	if (f->cache)
		cache_get(f);
	size_t miss[TLOG_FETCH_MAX], nmiss = 0;
	for (size_t i = 0; i < n; i++)
		if (!f->found[i])
			miss[nmiss++] = i;
	unsigned char from_db[TLOG_FETCH_MAX];
	memset(from_db, 0, n);
	for (size_t at = 0; at < nmiss; at += FETCH_IN) {
		struct store_stmt *st = store_prepare(c, fetch_sql);
		if (!st)
			return ERR_STORE;
		/* Unused places repeat a key: the database looks each distinct
		 * value up once. */
		for (size_t j = 0; j < FETCH_IN; j++)
			store_bind_int(st, (int)j + 1,
			               (int64_t)f->key[miss[at + j < nmiss ? at + j : at]]);
		enum store_step r;
		enum err e = ERR_OK;
		while ((r = store_step(st)) == STORE_ROW) {
			size_t len;
			const void *h = store_col_blob(st, 1, &len);
			long i = tlog_fetch_find(f, (uint64_t)store_col_int(st, 0));
			if (i < 0 || len != HLEN || !h) {
				e = ERR_INTERNAL;
				continue;
			}
			memcpy(f->hash[i], h, HLEN);
			f->found[i] = from_db[i] = 1;
		}
		if (r == STORE_ERROR)
			e = store_stmt_err(st);
		store_reset(st);
		if (e)
			return e;
	}
	if (f->cache && nmiss && !store_in_transaction(c))
		cache_put(f, from_db);
	return ERR_OK;
}

/* ---- Entries ---- */

/* 1 if s is a valid entry string: non-empty UTF-8 of at most
 * TLOG_FIELD_MAX bytes without control characters. */
static int field_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > TLOG_FIELD_MAX || !utf8_valid(s, n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f)
			return 0;
	}
	return 1;
}

static void json_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	buf_json_escape(b, s, strlen(s));
	buf_putc(b, '"');
}

enum err tlog_entry_json(const struct tlog_entry *e, struct buf *out)
{
	if (!field_ok(e->actor_id) || !field_ok(e->role) || (e->org && !field_ok(e->org)) ||
	    !field_ok(e->action) || !field_ok(e->object) || !field_ok(e->purpose) || e->time < 0 ||
	    e->time > INT64_C(253402300799)) /* 9999-12-31T23:59:59Z */
		return ERR_INVAL;
	char t[32];
	clock_format_rfc3339(e->time, t);
	/* Keys in sorted order, at both levels. */
	buf_puts(out, "{\"action\":");
	json_str(out, e->action);
	buf_puts(out, ",\"actor\":{\"id\":");
	json_str(out, e->actor_id);
	buf_puts(out, ",\"org\":");
	if (e->org)
		json_str(out, e->org);
	else
		buf_puts(out, "null");
	buf_puts(out, ",\"role\":");
	json_str(out, e->role);
	buf_puts(out, "},\"object\":");
	json_str(out, e->object);
	buf_puts(out, ",\"purpose\":");
	json_str(out, e->purpose);
	buf_puts(out, ",\"time\":");
	json_str(out, t);
	buf_putc(out, '}');
	return ERR_OK;
}

/* A string member of o, or NULL. */
static const char *member_str(json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

/* 1 if text[0..len) is exactly the canonical form of an entry. */
int tlog_entry_canonical(const char *text, size_t len)
{
	json_error_t jerr;
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *a = json_object_get(o, "actor");
	json_t *org = json_object_get(a, "org");
	int ok = 0;
	if (json_is_object(o) && json_object_size(o) == 5 && json_is_object(a) &&
	    json_object_size(a) == 3 && org && (json_is_null(org) || json_is_string(org))) {
		struct tlog_entry e = {0,
		                       member_str(a, "id"),
		                       member_str(a, "role"),
		                       json_string_value(org),
		                       member_str(o, "action"),
		                       member_str(o, "object"),
		                       member_str(o, "purpose")};
		const char *t = member_str(o, "time");
		struct buf b;
		buf_init(&b);
		if (t && clock_parse_rfc3339(t, &e.time) == 0 && tlog_entry_json(&e, &b) == ERR_OK)
			ok = b.len == len && memcmp(b.data, text, len) == 0;
		buf_clear(&b);
	}
	json_decref(o);
	return ok;
}

/* ---- Appending ---- */

/* Grows the recorded size by n, creating the row on the first append;
 * *size is the new size. The UPDATE takes the row's lock (PostgreSQL) in
 * the open transaction (SQLite's BEGIN IMMEDIATE already holds the
 * database's write lock). */
static enum err grow(struct store_conn *c, uint64_t n, uint64_t *size)
{
	static const char upd[] =
	    "UPDATE tlog_state SET size = size + ? WHERE id = 1 RETURNING size";
	static const char ins[] = "INSERT INTO tlog_state (id, size) VALUES (1, 0) "
	                          "ON CONFLICT DO NOTHING";
	for (int attempt = 0; attempt < 2; attempt++) {
		struct store_stmt *st = store_prepare(c, upd);
		if (!st)
			return ERR_STORE;
		store_bind_int(st, 1, (int64_t)n);
		enum store_step r = store_step(st);
		enum err e = ERR_OK;
		int got = 0;
		if (r == STORE_ROW) {
			int64_t v = store_col_int(st, 0);
			*size = v > 0 ? (uint64_t)v : 0;
			got = 1;
		} else if (r == STORE_ERROR) {
			e = store_stmt_err(st);
		}
		store_reset(st);
		if (e || got)
			return e;
		if (!(st = store_prepare(c, ins)))
			return ERR_STORE;
		r = store_step(st);
		e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
		store_reset(st);
		if (e)
			return e;
	}
	return ERR_INTERNAL;
}

/* Loads the frontier of the stored tree of `size` entries. */
static enum err frontier_load(struct store_conn *c, uint64_t size, struct merkle_frontier *fr)
{
	struct tlog_fetch *f = tlog_fetch_new(NULL);
	enum err e = merkle_frontier_load(fr, size, tlog_fetch_read, f);
	if (!e)
		e = tlog_fetch_run(c, f);
	if (!e)
		e = merkle_frontier_load(fr, size, tlog_fetch_read, f);
	free(f);
	return e;
}

enum err tlog_run_done(struct store_stmt *st)
{
	enum store_step r = store_step(st);
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	return e;
}

/* Rows waiting to be inserted into tlog_entries or tlog_hashes: written
 * PUT_ROWS at a time with one statement (one round trip on PostgreSQL),
 * the rest one by one. */
#define PUT_ROWS 32

#define P2  "(?, ?)"
#define P4  P2 ", " P2 ", " P2 ", " P2
#define P16 P4 ", " P4 ", " P4 ", " P4
#define P32 P16 ", " P16

struct put_rows {
	int hashes; /* 1: tlog_hashes rows, 0: tlog_entries rows */
	size_t n;
	uint64_t key[PUT_ROWS];     /* idx or node */
	const char *text[PUT_ROWS]; /* entries: the caller's, kept until flushed */
	size_t len[PUT_ROWS];
	uint8_t hash[PUT_ROWS][HLEN];
};

static void put_bind(struct store_stmt *st, const struct put_rows *r, size_t i, int at)
{
	store_bind_int(st, at, (int64_t)r->key[i]);
	if (r->hashes)
		store_bind_blob(st, at + 1, r->hash[i], HLEN);
	else
		store_bind_textn(st, at + 1, r->text[i], r->len[i]);
}

static enum err put_flush(struct store_conn *c, struct put_rows *r)
{
	static const char many_e[] = "INSERT INTO tlog_entries (idx, entry) VALUES " P32;
	static const char many_h[] = "INSERT INTO tlog_hashes (node, hash) VALUES " P32;
	static const char one_e[] = "INSERT INTO tlog_entries (idx, entry) VALUES (?, ?)";
	static const char one_h[] = "INSERT INTO tlog_hashes (node, hash) VALUES (?, ?)";
	enum err e = ERR_OK;
	if (r->n == PUT_ROWS) {
		struct store_stmt *st = store_prepare(c, r->hashes ? many_h : many_e);
		if (!st)
			return ERR_STORE;
		for (size_t i = 0; i < PUT_ROWS; i++)
			put_bind(st, r, i, 2 * (int)i + 1);
		e = tlog_run_done(st);
	} else {
		for (size_t i = 0; i < r->n && !e; i++) {
			struct store_stmt *st = store_prepare(c, r->hashes ? one_h : one_e);
			if (!st)
				return ERR_STORE;
			put_bind(st, r, i, 1);
			e = tlog_run_done(st);
		}
	}
	r->n = 0;
	return e;
}

static enum err put_entry(struct store_conn *c, struct put_rows *r, uint64_t index,
                          const char *text, size_t len)
{
	enum err e = r->n == PUT_ROWS ? put_flush(c, r) : ERR_OK;
	r->key[r->n] = index;
	r->text[r->n] = text;
	r->len[r->n++] = len;
	return e;
}

static enum err put_hash(struct store_conn *c, struct put_rows *r, uint64_t key,
                         const uint8_t h[HLEN])
{
	enum err e = r->n == PUT_ROWS ? put_flush(c, r) : ERR_OK;
	r->key[r->n] = key;
	memcpy(r->hash[r->n++], h, HLEN);
	return e;
}

enum err tlog_append_batch(struct store_conn *c, const struct tlog_entry *ents, size_t n,
                           uint64_t *first)
{
	if (n == 0 || n > TLOG_BATCH_MAX)
		return ERR_INVAL;
	struct buf texts;
	buf_init(&texts);
	size_t *off = xmalloc((n + 1) * sizeof *off);
	struct put_rows *er = xmalloc(sizeof *er), *hr = xmalloc(sizeof *hr);
	int64_t now = clock_now();
	enum err e = ERR_OK;
	for (size_t i = 0; i < n && !e; i++) {
		struct tlog_entry x = ents[i];
		if (!x.time)
			x.time = now;
		off[i] = texts.len;
		e = tlog_entry_json(&x, &texts);
	}
	off[n] = texts.len;
	if (e)
		goto out;
	if ((e = store_begin(c)))
		goto out;
	uint64_t size = 0, old;
	struct merkle_frontier fr;
	if ((e = grow(c, n, &size)))
		goto fail;
	if (size > TLOG_SIZE_MAX || size < n) {
		e = size < n ? ERR_INTERNAL : ERR_LIMIT;
		goto fail;
	}
	old = size - n;
	if ((e = frontier_load(c, old, &fr)))
		goto fail;
	er->hashes = 0;
	er->n = 0;
	hr->hashes = 1;
	hr->n = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t leaf[HLEN], done[MERKLE_MAX_COMPLETED][HLEN];
		unsigned count;
		const char *text = texts.data + off[i];
		size_t len = off[i + 1] - off[i];
		uint64_t index = old + i;
		merkle_leaf_hash(text, len, leaf);
		if ((e = merkle_frontier_append(&fr, leaf, done, &count)) ||
		    (e = put_entry(c, er, index, text, len)))
			goto fail;
		for (unsigned l = 0; l < count; l++)
			if ((e = put_hash(c, hr, tlog_node_key(l, index >> l), done[l])))
				goto fail;
	}
	if ((e = put_flush(c, er)) || (e = put_flush(c, hr)))
		goto fail;
	if ((e = store_commit(c)))
		goto out; /* store_commit rolled back */
	if (first)
		*first = old;
	goto out;
fail:
	store_rollback(c);
out:
	free(er);
	free(hr);
	free(off);
	buf_clear(&texts);
	return e;
}

enum err tlog_append(struct store_conn *c, const struct tlog_entry *e, uint64_t *index)
{
	return tlog_append_batch(c, e, 1, index);
}

/* ---- Reading ---- */

enum err tlog_size(struct store_conn *c, uint64_t *size)
{
	static const char sql[] = "SELECT size FROM tlog_state WHERE id = 1";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	enum store_step r = store_step(st);
	enum err e = ERR_OK;
	*size = 0;
	if (r == STORE_ROW) {
		int64_t v = store_col_int(st, 0);
		*size = v > 0 ? (uint64_t)v : 0;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}

/* ERR_INVAL unless size is within the log. With a cache, a size known to
 * be committed needs no query. */
static enum err check_size(struct store_conn *c, struct tlog *cache, uint64_t size)
{
	if (cache) {
		pthread_mutex_lock(&cache->cache_lock);
		uint64_t known = cache->known_size;
		pthread_mutex_unlock(&cache->cache_lock);
		if (size <= known)
			return ERR_OK;
	}
	uint64_t have;
	enum err e = tlog_size(c, &have);
	if (!e && size > have)
		e = ERR_INVAL;
	if (!e && cache && !store_in_transaction(c)) {
		pthread_mutex_lock(&cache->cache_lock);
		if (have > cache->known_size)
			cache->known_size = have;
		pthread_mutex_unlock(&cache->cache_lock);
	}
	return e;
}

enum err tlog_root(struct store_conn *c, struct tlog *cache, uint64_t size, uint8_t root[HLEN])
{
	enum err e = check_size(c, cache, size);
	if (e)
		return e;
	struct tlog_fetch *f = tlog_fetch_new(cache);
	for (int pass = 0; pass < 2 && !e; pass++) {
		if (pass == 1)
			e = tlog_fetch_run(c, f);
		if (!e)
			e = merkle_root_stored(size, tlog_fetch_read, f, root);
	}
	free(f);
	return e;
}

enum err tlog_prove_inclusion(struct store_conn *c, struct tlog *cache, uint64_t index,
                              uint64_t size, uint8_t root[HLEN], uint8_t (*path)[HLEN], size_t *len)
{
	*len = 0;
	if (index >= size)
		return ERR_INVAL;
	enum err e = check_size(c, cache, size);
	if (e)
		return e;
	struct tlog_fetch *f = tlog_fetch_new(cache);
	for (int pass = 0; pass < 2 && !e; pass++) {
		if (pass == 1)
			e = tlog_fetch_run(c, f);
		if (!e)
			e = merkle_root_stored(size, tlog_fetch_read, f, root);
		if (!e)
			e = merkle_inclusion_stored(index, size, tlog_fetch_read, f, path, len);
	}
	free(f);
	return e;
}

enum err tlog_prove_consistency(struct store_conn *c, struct tlog *cache, uint64_t size1,
                                uint64_t size2, uint8_t root2[HLEN], uint8_t (*proof)[HLEN],
                                size_t *len)
{
	*len = 0;
	if (size1 == 0 || size1 > size2)
		return ERR_INVAL;
	enum err e = check_size(c, cache, size2);
	if (e)
		return e;
	struct tlog_fetch *f = tlog_fetch_new(cache);
	for (int pass = 0; pass < 2 && !e; pass++) {
		if (pass == 1)
			e = tlog_fetch_run(c, f);
		if (!e)
			e = merkle_root_stored(size2, tlog_fetch_read, f, root2);
		if (!e)
			e = merkle_consistency_stored(size1, size2, tlog_fetch_read, f, proof, len);
	}
	free(f);
	return e;
}

/* Calls fn for the stored entries start .. end - 1, which must all be
 * there (no size check). */
static enum err entries_walk(struct store_conn *c, uint64_t start, uint64_t end, tlog_entry_fn fn,
                             void *ctx)
{
	static const char sql[] = "SELECT idx, entry FROM tlog_entries WHERE idx >= ? AND idx < ? "
	                          "ORDER BY idx";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)start);
	store_bind_int(st, 2, (int64_t)end);
	enum store_step r = STORE_DONE;
	enum err e = ERR_OK;
	uint64_t want = start;
	while (!e && (r = store_step(st)) == STORE_ROW) {
		const char *text = store_col_text(st, 1);
		if ((uint64_t)store_col_int(st, 0) != want || !text)
			e = ERR_INTERNAL;
		else
			e = fn(ctx, want++, text, strlen(text));
	}
	if (!e && r == STORE_ERROR)
		e = store_stmt_err(st);
	if (!e && want != end)
		e = ERR_INTERNAL;
	store_reset(st);
	return e;
}

enum err tlog_entries(struct store_conn *c, uint64_t start, uint64_t end, tlog_entry_fn fn,
                      void *ctx)
{
	if (start > end || end - start > TLOG_ENTRIES_MAX)
		return ERR_INVAL;
	enum err e = check_size(c, NULL, end);
	if (e || start == end)
		return e;
	return entries_walk(c, start, end, fn, ctx);
}

static enum err bundle_add(void *ctx, uint64_t index, const char *entry, size_t len)
{
	(void)index;
	return tile_bundle_append(ctx, entry, len);
}

enum err tlog_tile(struct store_conn *c, struct tlog *cache, const struct tile *t, uint64_t size,
                   struct buf *out)
{
	if (t->width < 1 || t->width > TILE_WIDTH || t->level < TILE_LEVEL_ENTRIES ||
	    t->level > TILE_MAX_LEVEL)
		return ERR_INVAL;
	if (t->width > tile_width(t->level, t->index, size))
		return ERR_NOTFOUND;
	enum err e = check_size(c, cache, size);
	if (e)
		return e;
	if (t->level == TILE_LEVEL_ENTRIES) {
		uint64_t start = t->index * TILE_WIDTH;
		return entries_walk(c, start, start + t->width, bundle_add, out);
	}
	uint8_t *tmp = xmalloc(TILE_BYTES);
	struct tlog_fetch *f = tlog_fetch_new(cache);
	for (int pass = 0; pass < 2 && !e; pass++) {
		if (pass == 1)
			e = tlog_fetch_run(c, f);
		if (!e)
			e = tile_build(t, tlog_fetch_read, f, tmp);
	}
	if (!e)
		buf_append(out, tmp, (size_t)t->width * HLEN);
	free(f);
	free(tmp);
	return e;
}
