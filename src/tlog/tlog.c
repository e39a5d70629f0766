/* tlog.c - the accountability log on the store interface (see tlog.h). */
#include "tlog/tlog.h"

#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/xalloc.h"

#define HLEN MERKLE_HASH_LEN

/* ---- Node keys ---- */

/* The in-order position of the complete subtree (level, index): the
 * tlog_hashes key. Leaves are the even numbers. */
static uint64_t node_key(unsigned level, uint64_t index)
{
	return (index << (level + 1)) + (((uint64_t)1 << level) - 1);
}

static unsigned ctz64(uint64_t x)
{
	return x ? (unsigned)__builtin_ctzll(x) : 64;
}

/* The subtree of a node key. */
static void node_of(uint64_t key, unsigned *level, uint64_t *index)
{
	*level = ctz64(key + 1);
	*index = key >> (*level + 1);
}

/* ---- The process's log: signer, latest checkpoint, hash cache ---- */

#define CACHE_BITS      17 /* 2^17 slots of 40 bytes: 5 MiB */
#define CACHE_MIN_LEVEL 8  /* lower subtrees lie near each other on disk anyway */

/* A slot of the hash cache: subtree key + 1 (0: empty) and its hash. */
struct cache_slot {
	uint64_t key1;
	uint8_t hash[HLEN];
};

struct tlog {
	struct note_signer signer; /* name = origin */
	pthread_mutex_t lock;      /* guards the checkpoint cache */
	int have_cp;               /* the cache holds a checkpoint */
	uint64_t cp_size;
	int64_t cp_ms; /* when it was signed (ms since the epoch) */
	char *cp_note; /* signed by the log only */
	/* Committed subtree hashes never change: those of levels >=
	 * CACHE_MIN_LEVEL are kept, direct-mapped, so that a proof reads only
	 * the few low subtrees near its leaf from the database. */
	pthread_mutex_t cache_lock; /* guards cache and known_size */
	struct cache_slot *cache;
	uint64_t known_size; /* a size the log is known to have committed */
};

static size_t cache_slot_of(uint64_t key)
{
	return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - CACHE_BITS));
}

/* Forgets everything cached (the database is not what it was). */
static void cache_clear(struct tlog *t)
{
	pthread_mutex_lock(&t->cache_lock);
	memset(t->cache, 0, sizeof *t->cache << CACHE_BITS);
	t->known_size = 0;
	pthread_mutex_unlock(&t->cache_lock);
}

/* ---- Gathered reads ----
 *
 * What merkle_*_stored and tile_build read depends only on sizes and
 * indexes, never on the hashes read. So each is run twice over a struct
 * fetch: first recording the subtrees it asks for (answering zeros), then,
 * once all of them are read with one statement per FETCH_IN keys, answering
 * from what was read. A proof at 10M entries is one statement. */

#define FETCH_MAX 512 /* most distinct subtrees one computation may read */
#define FETCH_IN  64  /* keys per statement */

#define Q4  "?, ?, ?, ?"
#define Q16 Q4 ", " Q4 ", " Q4 ", " Q4
#define Q64 Q16 ", " Q16 ", " Q16 ", " Q16
static const char fetch_sql[] = "SELECT node, hash FROM tlog_hashes WHERE node IN (" Q64 ")";

struct fetch {
	struct tlog *cache; /* whose hash cache to use, or NULL */
	int lookup;         /* 0: record the keys asked for; 1: answer from what was read */
	size_t n;           /* keys recorded (after fetch_run: distinct, sorted) */
	uint64_t key[FETCH_MAX];
	uint8_t hash[FETCH_MAX][HLEN];
	unsigned char found[FETCH_MAX]; /* hash[i] was read */
};

static struct fetch *fetch_new(struct tlog *cache)
{
	struct fetch *f = xmalloc(sizeof *f);
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

static long fetch_find(const struct fetch *f, uint64_t k)
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
static enum err fetch_add(struct fetch *f, uint64_t k)
{
	if (f->n == FETCH_MAX)
		return ERR_LIMIT;
	f->key[f->n++] = k;
	return ERR_OK;
}

/* A merkle_read_fn over a struct fetch. */
static enum err fetch_read(void *ctx, unsigned level, uint64_t index, uint8_t out[HLEN])
{
	struct fetch *f = ctx;
	uint64_t k = node_key(level, index);
	if (!f->lookup) {
		memset(out, 0, HLEN);
		return fetch_add(f, k);
	}
	long i = fetch_find(f, k);
	if (i < 0 || !f->found[i])
		return ERR_INTERNAL; /* a stored hash is missing: the log is damaged */
	memcpy(out, f->hash[i], HLEN);
	return ERR_OK;
}

/* Takes what the cache has of the recorded keys (sorted, distinct). */
static void cache_get(struct fetch *f)
{
	struct tlog *t = f->cache;
	pthread_mutex_lock(&t->cache_lock);
	for (size_t i = 0; i < f->n; i++) {
		const struct cache_slot *sl = &t->cache[cache_slot_of(f->key[i])];
		if (sl->key1 == f->key[i] + 1) {
			memcpy(f->hash[i], sl->hash, HLEN);
			f->found[i] = 1;
		}
	}
	pthread_mutex_unlock(&t->cache_lock);
}

/* Keeps the high subtrees read from the database in the cache. */
static void cache_put(struct fetch *f, const unsigned char *from_db)
{
	struct tlog *t = f->cache;
	pthread_mutex_lock(&t->cache_lock);
	for (size_t i = 0; i < f->n; i++) {
		if (!from_db[i] || ctz64(f->key[i] + 1) < CACHE_MIN_LEVEL)
			continue;
		struct cache_slot *sl = &t->cache[cache_slot_of(f->key[i])];
		sl->key1 = f->key[i] + 1;
		memcpy(sl->hash, f->hash[i], HLEN);
	}
	pthread_mutex_unlock(&t->cache_lock);
}

/* Reads the hashes of the recorded keys (missing ones stay !found) and
 * switches f to answering. Only committed hashes are cached: none read
 * inside a transaction, which may have written them. */
static enum err fetch_run(struct store_conn *c, struct fetch *f)
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
	size_t miss[FETCH_MAX], nmiss = 0;
	for (size_t i = 0; i < n; i++)
		if (!f->found[i])
			miss[nmiss++] = i;
	unsigned char from_db[FETCH_MAX];
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
			long i = fetch_find(f, (uint64_t)store_col_int(st, 0));
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
static int entry_canonical(const char *text, size_t len)
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
	struct fetch *f = fetch_new(NULL);
	enum err e = merkle_frontier_load(fr, size, fetch_read, f);
	if (!e)
		e = fetch_run(c, f);
	if (!e)
		e = merkle_frontier_load(fr, size, fetch_read, f);
	free(f);
	return e;
}

static enum err run_done(struct store_stmt *st)
{
	enum store_step r = store_step(st);
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	return e;
}

static enum err put_entry(struct store_conn *c, uint64_t index, const char *text, size_t len)
{
	static const char sql[] = "INSERT INTO tlog_entries (idx, entry) VALUES (?, ?)";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)index);
	store_bind_textn(st, 2, text, len);
	return run_done(st);
}

static enum err put_hash(struct store_conn *c, uint64_t key, const uint8_t h[HLEN])
{
	static const char sql[] = "INSERT INTO tlog_hashes (node, hash) VALUES (?, ?)";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)key);
	store_bind_blob(st, 2, h, HLEN);
	return run_done(st);
}

enum err tlog_append_batch(struct store_conn *c, const struct tlog_entry *ents, size_t n,
                           uint64_t *first)
{
	if (n == 0 || n > TLOG_BATCH_MAX)
		return ERR_INVAL;
	struct buf texts;
	buf_init(&texts);
	size_t *off = xmalloc((n + 1) * sizeof *off);
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
	for (size_t i = 0; i < n; i++) {
		uint8_t leaf[HLEN], done[MERKLE_MAX_COMPLETED][HLEN];
		unsigned count;
		const char *text = texts.data + off[i];
		size_t len = off[i + 1] - off[i];
		uint64_t index = old + i;
		merkle_leaf_hash(text, len, leaf);
		if ((e = merkle_frontier_append(&fr, leaf, done, &count)) ||
		    (e = put_entry(c, index, text, len)))
			goto fail;
		for (unsigned l = 0; l < count; l++)
			if ((e = put_hash(c, node_key(l, index >> l), done[l])))
				goto fail;
	}
	if ((e = store_commit(c)))
		goto out; /* store_commit rolled back */
	if (first)
		*first = old;
	goto out;
fail:
	store_rollback(c);
out:
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
	struct fetch *f = fetch_new(cache);
	for (int pass = 0; pass < 2 && !e; pass++) {
		if (pass == 1)
			e = fetch_run(c, f);
		if (!e)
			e = merkle_root_stored(size, fetch_read, f, root);
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
	struct fetch *f = fetch_new(cache);
	for (int pass = 0; pass < 2 && !e; pass++) {
		if (pass == 1)
			e = fetch_run(c, f);
		if (!e)
			e = merkle_root_stored(size, fetch_read, f, root);
		if (!e)
			e = merkle_inclusion_stored(index, size, fetch_read, f, path, len);
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
	struct fetch *f = fetch_new(cache);
	for (int pass = 0; pass < 2 && !e; pass++) {
		if (pass == 1)
			e = fetch_run(c, f);
		if (!e)
			e = merkle_root_stored(size2, fetch_read, f, root2);
		if (!e)
			e = merkle_consistency_stored(size1, size2, fetch_read, f, proof, len);
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
	struct fetch *f = fetch_new(cache);
	for (int pass = 0; pass < 2 && !e; pass++) {
		if (pass == 1)
			e = fetch_run(c, f);
		if (!e)
			e = tile_build(t, fetch_read, f, tmp);
	}
	if (!e)
		buf_append(out, tmp, (size_t)t->width * HLEN);
	free(f);
	free(tmp);
	return e;
}

/* ---- Signing ---- */

enum err tlog_new(const uint8_t seed[NOTE_KEY_LEN], const char *origin, struct tlog **out)
{
	struct tlog *t = xcalloc(1, sizeof *t);
	enum err e = note_signer_from_seed(&t->signer, origin, NOTE_TYPE_ED25519, seed);
	if (e) {
		free(t);
		return e;
	}
	pthread_mutex_init(&t->lock, NULL);
	pthread_mutex_init(&t->cache_lock, NULL);
	t->cache = xcalloc((size_t)1 << CACHE_BITS, sizeof *t->cache);
	*out = t;
	return ERR_OK;
}

void tlog_free(struct tlog *t)
{
	if (!t)
		return;
	note_signer_clear(&t->signer);
	pthread_mutex_destroy(&t->lock);
	pthread_mutex_destroy(&t->cache_lock);
	free(t->cache);
	free(t->cp_note);
	free(t);
}

char *tlog_default_origin(void)
{
	char host[256];
	if (gethostname(host, sizeof host) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	char *o = xasprintf("%s/log", host[0] ? host : "localhost");
	if (!note_name_valid(o, strlen(o))) {
		free(o);
		o = xstrdup("localhost/log");
	}
	return o;
}

const char *tlog_origin(const struct tlog *t)
{
	return t->signer.name;
}

char *tlog_vkey(const struct tlog *t)
{
	struct note_verifier v;
	note_signer_verifier(&t->signer, &v);
	return note_verifier_format(&v);
}

void tlog_public_key(const struct tlog *t, uint8_t pub[NOTE_KEY_LEN])
{
	memcpy(pub, t->signer.pub, NOTE_KEY_LEN);
}

/* The latest stored checkpoint: *size, *ms and *note (caller frees).
 * ERR_NOTFOUND if there is none. */
static enum err latest_checkpoint(struct store_conn *c, uint64_t *size, int64_t *ms, char **note)
{
	static const char sql[] = "SELECT size, created_at, note FROM tlog_checkpoints "
	                          "ORDER BY size DESC LIMIT 1";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	enum store_step r = store_step(st);
	enum err e = ERR_NOTFOUND;
	if (r == STORE_ROW && store_col_text(st, 2)) {
		*size = (uint64_t)store_col_int(st, 0);
		*ms = store_col_int(st, 1);
		*note = xstrdup(store_col_text(st, 2));
		e = ERR_OK;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}

enum err tlog_checkpoint_get(struct store_conn *c, uint64_t size, char **note)
{
	static const char sql[] = "SELECT note FROM tlog_checkpoints WHERE size = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)size);
	enum store_step r = store_step(st);
	enum err e = ERR_NOTFOUND;
	if (r == STORE_ROW && store_col_text(st, 0)) {
		*note = xstrdup(store_col_text(st, 0));
		e = ERR_OK;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}

/* Signs and stores the checkpoint of the current tree of `size` entries;
 * if another process stored one of that size first, that one is used.
 * Sets the cache (t->lock held). */
static enum err sign_checkpoint(struct tlog *t, struct store_conn *c, uint64_t size)
{
	uint8_t root[HLEN];
	char *text = NULL, *signed_note = NULL;
	struct note n;
	note_init(&n);
	enum err e = tlog_root(c, t, size, root);
	if (!e)
		e = note_checkpoint_format(t->signer.name, size, root, NULL, &text);
	if (!e)
		e = note_set_text(&n, text, strlen(text));
	if (!e)
		e = note_sign(&n, &t->signer, 0);
	if (!e)
		e = note_format(&n, &signed_note);
	note_clear(&n);
	free(text);
	if (e)
		return e;
	static const char sql[] = "INSERT INTO tlog_checkpoints (size, root, created_at, note) "
	                          "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		free(signed_note);
		return ERR_STORE;
	}
	int64_t now = clock_now_ms();
	store_bind_int(st, 1, (int64_t)size);
	store_bind_blob(st, 2, root, HLEN);
	store_bind_int(st, 3, now);
	store_bind_text(st, 4, signed_note);
	if ((e = run_done(st))) {
		free(signed_note);
		return e;
	}
	if (store_changes(c) == 0) {
		/* Someone else signed this size first: theirs is the one. */
		free(signed_note);
		signed_note = NULL;
		if ((e = tlog_checkpoint_get(c, size, &signed_note)))
			return e;
	}
	free(t->cp_note);
	t->cp_note = signed_note;
	t->cp_size = size;
	t->cp_ms = now;
	t->have_cp = 1;
	return ERR_OK;
}

/* Appends the cosignature lines of the checkpoint of `size` to b. */
static enum err add_cosignatures(struct store_conn *c, uint64_t size, struct buf *b)
{
	static const char sql[] = "SELECT line FROM tlog_cosignatures WHERE size = ? "
	                          "ORDER BY witness_id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)size);
	enum store_step r;
	int n = 0;
	while ((r = store_step(st)) == STORE_ROW)
		if (store_col_text(st, 0) && ++n < NOTE_MAX_SIGS)
			buf_puts(b, store_col_text(st, 0));
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	return e;
}

enum err tlog_checkpoint(struct tlog *t, struct store_conn *c, unsigned flags, char **note,
                         uint64_t *sizep)
{
	uint64_t size;
	enum err e = tlog_size(c, &size);
	if (e)
		return e;
	pthread_mutex_lock(&t->lock);
	if (t->have_cp && t->cp_size > size)
		cache_clear(t); /* the database changed under us (restored?) */
	if (!t->have_cp || t->cp_size > size) {
		/* First use, or the database changed under us: ask it. */
		char *stored = NULL;
		uint64_t s = 0;
		int64_t ms = 0;
		e = latest_checkpoint(c, &s, &ms, &stored);
		if (e == ERR_OK) {
			free(t->cp_note);
			t->cp_note = stored;
			t->cp_size = s;
			t->cp_ms = ms;
			t->have_cp = 1;
		} else if (e == ERR_NOTFOUND) {
			t->have_cp = 0;
			e = ERR_OK;
		}
	}
	if (!e && t->have_cp && t->cp_size > size)
		e = ERR_INTERNAL; /* a checkpoint covers entries the log no longer has */
	if (!e && (!t->have_cp || (t->cp_size != size &&
	                           ((flags & TLOG_SIGN_NOW) || clock_now_ms() - t->cp_ms >= 1000))))
		e = sign_checkpoint(t, c, size);
	struct buf b;
	buf_init(&b);
	uint64_t cp_size = t->cp_size;
	if (!e)
		buf_puts(&b, t->cp_note);
	pthread_mutex_unlock(&t->lock);
	if (!e)
		e = add_cosignatures(c, cp_size, &b);
	if (e) {
		buf_clear(&b);
		return e;
	}
	*note = buf_take(&b);
	if (sizep)
		*sizep = cp_size;
	return ERR_OK;
}

enum err tlog_cosignature_add(struct store_conn *c, uint64_t size, int64_t witness_id,
                              const char *line, int *added)
{
	static const char sql[] =
	    "INSERT INTO tlog_cosignatures (size, witness_id, line, created_at) "
	    "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)size);
	store_bind_int(st, 2, witness_id);
	store_bind_text(st, 3, line);
	store_bind_int(st, 4, clock_now_ms());
	enum err e = run_done(st);
	if (!e && added)
		*added = store_changes(c) > 0;
	return e;
}

/* ---- Verification ---- */

#define VERIFY_PAGE    1024 /* entries read per statement */
#define VERIFY_PENDING 256  /* subtree hashes checked per gathered read */

struct verify {
	struct store_conn *c;
	const uint8_t *pub;
	struct tlog_verify_result *res;
	struct merkle_frontier fr;
	size_t np; /* hashes waiting to be checked, in the order they were made */
	uint64_t pkey[VERIFY_PENDING + MERKLE_MAX_COMPLETED];
	uint8_t phash[VERIFY_PENDING + MERKLE_MAX_COMPLETED][HLEN];
	struct fetch *f;
	/* checkpoints, read in size order */
	uint64_t cp_after; /* read those with a size above this, plus one */
	int cp_more;       /* more may be stored */
	size_t ncp, cp_at;
	struct {
		uint64_t size;
		uint8_t root[HLEN];
		int root_ok; /* the root column held 32 bytes */
		char *note;
	} cp[64];
};

static enum err problem(struct verify *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum err problem(struct verify *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->res->problem, sizeof v->res->problem, fmt, ap);
	va_end(ap);
	return ERR_CRYPTO;
}

/* Names the subtree of a node key for a message. */
static void subtree_name(uint64_t key, char *out, size_t len)
{
	unsigned level;
	uint64_t index;
	node_of(key, &level, &index);
	if (level == 0)
		snprintf(out, len, "entry %" PRIu64, index);
	else
		snprintf(out, len, "entries %" PRIu64 " to %" PRIu64 " (subtree at level %u)",
		         index << level, ((index + 1) << level) - 1, level);
}

/* Compares the pending recomputed hashes with the stored ones. */
static enum err verify_flush(struct verify *v)
{
	if (v->np == 0)
		return ERR_OK;
	v->f->lookup = 0;
	v->f->n = 0;
	for (size_t i = 0; i < v->np; i++)
		fetch_add(v->f, v->pkey[i]);
	enum err e = fetch_run(v->c, v->f);
	if (e == ERR_INTERNAL)
		return problem(v, "a stored hash is not 32 bytes long, or not where it belongs");
	if (e)
		return e;
	for (size_t i = 0; i < v->np; i++) {
		long k = fetch_find(v->f, v->pkey[i]);
		char name[96];
		subtree_name(v->pkey[i], name, sizeof name);
		if (k < 0 || !v->f->found[k])
			return problem(v, "%s: the stored hash is missing", name);
		if (memcmp(v->f->hash[k], v->phash[i], HLEN) != 0)
			return problem(
			    v,
			    "%s: the stored hash differs from the one recomputed from the "
			    "entries (an entry or a hash was changed)",
			    name);
		v->res->hashes++;
	}
	v->np = 0;
	return ERR_OK;
}

static void cp_clear(struct verify *v)
{
	for (size_t i = 0; i < v->ncp; i++)
		free(v->cp[i].note);
	v->ncp = v->cp_at = 0;
}

/* The next stored checkpoint, or NULL when there is none (*e on error). */
static int cp_next(struct verify *v, enum err *e)
{
	*e = ERR_OK;
	if (v->cp_at < v->ncp)
		return 1;
	cp_clear(v);
	if (!v->cp_more)
		return 0;
	static const char sql[] = "SELECT size, root, note FROM tlog_checkpoints WHERE size >= ? "
	                          "ORDER BY size LIMIT 64";
	struct store_stmt *st = store_prepare(v->c, sql);
	if (!st) {
		*e = ERR_STORE;
		return 0;
	}
	store_bind_int(st, 1, (int64_t)v->cp_after);
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW && v->ncp < 64) {
		size_t len;
		const void *root = store_col_blob(st, 1, &len);
		const char *note = store_col_text(st, 2);
		v->cp[v->ncp].size = (uint64_t)store_col_int(st, 0);
		v->cp[v->ncp].root_ok = root && len == HLEN;
		if (v->cp[v->ncp].root_ok)
			memcpy(v->cp[v->ncp].root, root, HLEN);
		v->cp[v->ncp].note = xstrdup(note ? note : "");
		v->ncp++;
	}
	if (r == STORE_ERROR)
		*e = store_stmt_err(st);
	store_reset(st);
	v->cp_more = v->ncp == 64;
	if (v->ncp)
		v->cp_after = v->cp[v->ncp - 1].size + 1;
	return !*e && v->ncp > 0;
}

/* Checks the cosignatures of the checkpoint of `size` whose note text is
 * text. */
static enum err verify_cosignatures(struct verify *v, uint64_t size, const char *text)
{
	static const char sql[] = "SELECT w.name, w.vkey, c.line FROM tlog_cosignatures c "
	                          "JOIN tlog_witnesses w ON w.id = c.witness_id WHERE c.size = ? "
	                          "ORDER BY c.witness_id";
	struct store_stmt *st = store_prepare(v->c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)size);
	enum store_step r = STORE_DONE;
	enum err e = ERR_OK;
	while (!e && (r = store_step(st)) == STORE_ROW) {
		const char *name = store_col_text(st, 0), *vkey = store_col_text(st, 1);
		const char *line = store_col_text(st, 2);
		struct note_verifier w;
		struct note n;
		note_init(&n);
		char *msg = xasprintf("%s\n%s", text, line ? line : "");
		if (!vkey || note_verifier_parse(vkey, &w) != ERR_OK ||
		    note_open(&n, msg, strlen(msg), &w, 1) != ERR_OK || n.nsigs != 1)
			e = problem(v,
			            "checkpoint of size %" PRIu64 ": the cosignature of witness %s "
			            "does not verify",
			            size, name ? name : "?");
		else
			v->res->cosignatures++;
		note_clear(&n);
		free(msg);
	}
	if (!e && r == STORE_ERROR)
		e = store_stmt_err(st);
	store_reset(st);
	return e;
}

/* Checks the current checkpoint against the tree recomputed so far (whose
 * size is the checkpoint's). */
static enum err verify_checkpoint(struct verify *v)
{
	enum err e = verify_flush(v);
	if (e)
		return e;
	uint64_t size = v->cp[v->cp_at].size;
	const char *note = v->cp[v->cp_at].note;
	struct note n;
	struct note_checkpoint cp = {0};
	struct note_verifier key;
	memset(&key, 0, sizeof key);
	note_init(&n);
	/* The key's name is the checkpoint's own origin. */
	if (note_parse(&n, note, strlen(note)) != ERR_OK ||
	    note_checkpoint_parse(n.text, n.text_len, &cp) != ERR_OK ||
	    strlen(cp.origin) > NOTE_NAME_MAX) {
		e = problem(
		    v, "checkpoint of size %" PRIu64 ": not a well-formed signed checkpoint", size);
		goto out;
	}
	snprintf(key.name, sizeof key.name, "%s", cp.origin);
	key.type = NOTE_TYPE_ED25519;
	memcpy(key.pub, v->pub, NOTE_KEY_LEN);
	key.key_id = note_key_id(key.name, key.type, key.pub);
	note_checkpoint_clear(&cp);
	if (note_checkpoint_open(note, strlen(note), &key, NULL, 0, &cp, NULL) != ERR_OK) {
		e = problem(
		    v, "checkpoint of size %" PRIu64 ": the log's signature does not verify", size);
		goto out;
	}
	uint8_t root[HLEN];
	merkle_frontier_root(&v->fr, root);
	if (cp.size != size)
		e = problem(v, "checkpoint of size %" PRIu64 ": its note says size %" PRIu64, size,
		            cp.size);
	else if (!v->cp[v->cp_at].root_ok || memcmp(v->cp[v->cp_at].root, cp.root, HLEN) != 0)
		e = problem(v,
		            "checkpoint of size %" PRIu64 ": its root column differs from its note",
		            size);
	else if (memcmp(root, cp.root, HLEN) != 0)
		e = problem(v,
		            "checkpoint of size %" PRIu64
		            ": its root is not that of the log's first "
		            "%" PRIu64 " entries (the log was changed after it was signed)",
		            size, size);
	else
		e = verify_cosignatures(v, size, n.text);
	if (!e)
		v->res->checkpoints++;
out:
	note_checkpoint_clear(&cp);
	note_clear(&n);
	v->cp_at++;
	return e;
}

/* Checks the checkpoints of the tree's current size. */
static enum err verify_checkpoints_here(struct verify *v)
{
	enum err e = ERR_OK;
	while (!e && cp_next(v, &e) && v->cp[v->cp_at].size == v->fr.size)
		e = verify_checkpoint(v);
	return e;
}

static enum err verify_entries(struct verify *v)
{
	static const char sql[] = "SELECT idx, entry FROM tlog_entries WHERE idx >= ? "
	                          "ORDER BY idx LIMIT 1024";
	enum err e = verify_checkpoints_here(v);
	for (;;) {
		if (e)
			return e;
		struct store_stmt *st = store_prepare(v->c, sql);
		if (!st)
			return ERR_STORE;
		store_bind_int(st, 1, (int64_t)v->fr.size);
		enum store_step r = STORE_DONE;
		size_t rows = 0;
		while (!e && (r = store_step(st)) == STORE_ROW) {
			uint64_t idx = (uint64_t)store_col_int(st, 0);
			const char *text = store_col_text(st, 1);
			size_t len = text ? strlen(text) : 0;
			uint64_t want = v->fr.size;
			rows++;
			if (idx >= v->res->size) {
				if (want < v->res->size)
					e = problem(v, "entry %" PRIu64 " is missing", want);
				else
					e = problem(v,
					            "entry %" PRIu64
					            " is beyond the log's recorded size %" PRIu64,
					            idx, v->res->size);
				break;
			}
			if (idx != want) {
				e = problem(v, "entry %" PRIu64 " is missing", want);
				break;
			}
			if (!text || !entry_canonical(text, len)) {
				if (!(e = verify_flush(v)))
					e = problem(
					    v, "entry %" PRIu64 " is not a canonical log entry",
					    idx);
				break;
			}
			uint8_t leaf[HLEN];
			unsigned count;
			merkle_leaf_hash(text, len, leaf);
			if ((e = merkle_frontier_append(&v->fr, leaf, &v->phash[v->np], &count)))
				break;
			for (unsigned l = 0; l < count; l++)
				v->pkey[v->np + l] = node_key(l, idx >> l);
			v->np += count;
			v->res->entries++;
			if (v->np >= VERIFY_PENDING)
				e = verify_flush(v);
			if (!e)
				e = verify_checkpoints_here(v);
		}
		if (!e && r == STORE_ERROR)
			e = store_stmt_err(st);
		store_reset(st);
		if (e || rows < VERIFY_PAGE)
			break;
	}
	if (!e)
		e = verify_flush(v);
	if (!e && v->fr.size < v->res->size)
		e = v->res->size - v->fr.size == 1
		        ? problem(v, "entry %" PRIu64 " is missing", v->fr.size)
		        : problem(v,
		                  "entries %" PRIu64 " to %" PRIu64 " are missing (the log's "
		                  "recorded size is %" PRIu64 ")",
		                  v->fr.size, v->res->size - 1, v->res->size);
	return e;
}

enum err tlog_verify(struct store_conn *c, const uint8_t log_pub[NOTE_KEY_LEN],
                     struct tlog_verify_result *res)
{
	memset(res, 0, sizeof *res);
	struct verify *v = xcalloc(1, sizeof *v);
	v->c = c;
	v->pub = log_pub;
	v->res = res;
	v->f = fetch_new(NULL);
	v->cp_more = 1;
	merkle_frontier_init(&v->fr);
	enum err e = store_begin_read(c);
	if (e) {
		snprintf(res->problem, sizeof res->problem, "cannot read the database: %s",
		         store_conn_errmsg(c));
		goto out;
	}
	if (!(e = tlog_size(c, &res->size)) && !(e = verify_entries(v))) {
		enum err ce = ERR_OK;
		if (cp_next(v, &ce))
			e = problem(v,
			            "checkpoint of size %" PRIu64 " is beyond the log (%" PRIu64
			            " entries): entries were removed",
			            v->cp[v->cp_at].size, res->size);
		else
			e = ce;
	}
	if (!e) {
		/* No stored hash may be left over (from a truncated log). */
		static const char sql[] = "SELECT COUNT(*) FROM tlog_hashes";
		struct store_stmt *st = store_prepare(c, sql);
		if (!st) {
			e = ERR_STORE;
		} else {
			uint64_t want = 2 * res->size - (uint64_t)__builtin_popcountll(res->size);
			if (store_step(st) == STORE_ROW) {
				uint64_t have = (uint64_t)store_col_int(st, 0);
				if (have != want)
					e = problem(v,
					            "tlog_hashes holds %" PRIu64
					            " hashes where a log of %" PRIu64
					            " entries has %" PRIu64
					            " (hashes of removed entries?)",
					            have, res->size, want);
			} else {
				e = store_stmt_err(st);
			}
			store_reset(st);
		}
	}
	if (e && e != ERR_CRYPTO && !res->problem[0])
		snprintf(res->problem, sizeof res->problem, "cannot read the log: %s (%s)",
		         err_str(e), store_conn_errmsg(c));
	store_rollback(c);
out:
	cp_clear(v);
	free(v->f);
	free(v);
	return e;
}
