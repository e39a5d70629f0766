/* idmap.h - maps Polis ids (participant or statement ids, 32-bit integers)
 * to dense indices 0..n-1, in insertion order.
 *
 * Polis ids are small and dense, so the map is a direct array over the id
 * range when that range is at most a few times the expected count, and an
 * open-addressing hash table otherwise. Pure; caller-owned (idmap_init /
 * idmap_clear). */
#ifndef CONSENT_OPINION_IDMAP_H
#define CONSENT_OPINION_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#define IDMAP_NONE UINT32_MAX

struct idmap {
	size_t n;       /* number of ids inserted */
	int64_t lo;     /* direct mode: smallest id of the range */
	size_t range;   /* direct mode: number of slots; 0 in hash mode */
	uint32_t *slot; /* direct mode: index or IDMAP_NONE per id - lo */
	size_t cap;     /* hash mode: table size, a power of two */
	int32_t *keys;  /* hash mode */
	uint32_t *vals; /* hash mode: index, IDMAP_NONE for an empty slot */
};

/* Prepares m for ids in [lo, hi] of which about `expected` will be
 * inserted; picks direct or hash mode. */
void idmap_init(struct idmap *m, int32_t lo, int32_t hi, size_t expected);
/* Frees m's memory. */
void idmap_clear(struct idmap *m);
/* Returns the index of id, inserting it with the next free index (m->n) if
 * it is new. Sets *added to 1 if it was inserted (added may be NULL). */
uint32_t idmap_put(struct idmap *m, int32_t id, int *added);
/* Returns the index of id, or IDMAP_NONE. */
uint32_t idmap_get(const struct idmap *m, int32_t id);

#endif
