/* internal.h - private to tlog.c, checkpoint.c and verify.c: the node
 * keys of tlog_hashes, gathered reads, the process's struct tlog. */
#ifndef CONSENT_TLOG_INTERNAL_H
#define CONSENT_TLOG_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "tlog/tlog.h"

/* ---- Node keys ---- */

static inline unsigned tlog_ctz64(uint64_t x)
{
	return x ? (unsigned)__builtin_ctzll(x) : 64;
}

/* The in-order position of the complete subtree (level, index): the
 * tlog_hashes key. Leaves are the even numbers. */
static inline uint64_t tlog_node_key(unsigned level, uint64_t index)
{
	return (index << (level + 1)) + (((uint64_t)1 << level) - 1);
}

/* The subtree of a node key. */
static inline void tlog_node_of(uint64_t key, unsigned *level, uint64_t *index)
{
	*level = tlog_ctz64(key + 1);
	*index = key >> (*level + 1);
}

/* ---- The process's log: signer, latest checkpoint, hash cache ---- */

#define TLOG_CACHE_BITS      17 /* 2^17 slots of 40 bytes: 5 MiB */
#define TLOG_CACHE_MIN_LEVEL 8  /* lower subtrees lie near each other on disk anyway */

/* A slot of the hash cache: subtree key + 1 (0: empty) and its hash. */
struct tlog_cache_slot {
	uint64_t key1;
	uint8_t hash[MERKLE_HASH_LEN];
};

struct tlog {
	struct note_signer signer; /* name = origin */
	pthread_mutex_t lock;      /* guards the checkpoint cache */
	int have_cp;               /* the cache holds a checkpoint */
	uint64_t cp_size;
	int64_t cp_ms; /* when it was signed (ms since the epoch) */
	char *cp_note; /* signed by the log only */
	/* Committed subtree hashes never change: those of levels >=
	 * TLOG_CACHE_MIN_LEVEL are kept, direct-mapped, so that a proof reads
	 * only the few low subtrees near its leaf from the database. */
	pthread_mutex_t cache_lock; /* guards cache and known_size */
	struct tlog_cache_slot *cache;
	uint64_t known_size; /* a size the log is known to have committed */
};

/* Forgets every cached hash and size (the database is not what it was). */
void tlog_cache_clear(struct tlog *t);

/* ---- Gathered reads ----
 *
 * What merkle_*_stored and tile_build read depends only on sizes and
 * indexes, never on the hashes read. So each is run twice over a struct
 * tlog_fetch, as the merkle_read_fn tlog_fetch_read: first recording the
 * subtrees it asks for (answering zeros), then, once tlog_fetch_run has
 * read all of them with one statement per 64 keys, answering from what was
 * read. A proof at 10M entries is one statement. */

#define TLOG_FETCH_MAX 512 /* most distinct subtrees one computation may read */

struct tlog_fetch {
	struct tlog *cache; /* whose hash cache to use, or NULL */
	int lookup;         /* 0: record the keys asked for; 1: answer from what was read */
	size_t n;           /* keys recorded (after tlog_fetch_run: distinct, sorted) */
	uint64_t key[TLOG_FETCH_MAX];
	uint8_t hash[TLOG_FETCH_MAX][MERKLE_HASH_LEN];
	unsigned char found[TLOG_FETCH_MAX]; /* hash[i] was read */
};

/* A new fetch in its recording phase (caller frees). */
struct tlog_fetch *tlog_fetch_new(struct tlog *cache);
/* Records key k. ERR_LIMIT when full. */
enum err tlog_fetch_add(struct tlog_fetch *f, uint64_t k);
/* The merkle_read_fn over a fetch (ctx): records, or answers (ERR_INTERNAL
 * for a hash that was not found). */
enum err tlog_fetch_read(void *ctx, unsigned level, uint64_t index, uint8_t out[MERKLE_HASH_LEN]);
/* Reads the recorded keys' hashes (from the cache, then the database;
 * missing ones stay !found) and switches f to answering. */
enum err tlog_fetch_run(struct store_conn *c, struct tlog_fetch *f);
/* The position of key k in an answering fetch, or -1. */
long tlog_fetch_find(const struct tlog_fetch *f, uint64_t k);

/* ---- Entries and statements ---- */

/* 1 if text[0..len) is exactly the canonical form of an entry. */
int tlog_entry_canonical(const char *text, size_t len);
/* Runs st (bound) to completion, resets it, returns its error. */
enum err tlog_run_done(struct store_stmt *st);

#endif
