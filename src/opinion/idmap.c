#include "opinion/idmap.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static size_t idmap_hash(int32_t id, size_t cap)
{
	uint64_t h = (uint64_t)(uint32_t)id * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 32) & (cap - 1);
}

void idmap_init(struct idmap *m, int32_t lo, int32_t hi, size_t expected)
{
	memset(m, 0, sizeof *m);
	uint64_t range = hi >= lo ? (uint64_t)((int64_t)hi - lo) + 1 : 0;
	if (range > 0 && range <= 4 * (uint64_t)expected + 4096) {
		m->lo = lo;
		m->range = (size_t)range;
		m->slot = xmalloc(m->range * sizeof *m->slot);
		memset(m->slot, 0xff, m->range * sizeof *m->slot);
		return;
	}
	m->cap = 16;
	while (m->cap < 2 * expected + 16)
		m->cap *= 2;
	m->keys = xmalloc(m->cap * sizeof *m->keys);
	m->vals = xmalloc(m->cap * sizeof *m->vals);
	memset(m->vals, 0xff, m->cap * sizeof *m->vals);
}

void idmap_clear(struct idmap *m)
{
	free(m->slot);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static void idmap_grow(struct idmap *m)
{
	size_t old = m->cap;
	int32_t *keys = m->keys;
	uint32_t *vals = m->vals;
	m->cap *= 2;
	m->keys = xmalloc(m->cap * sizeof *m->keys);
	m->vals = xmalloc(m->cap * sizeof *m->vals);
	memset(m->vals, 0xff, m->cap * sizeof *m->vals);
	for (size_t i = 0; i < old; i++) {
		if (vals[i] == IDMAP_NONE)
			continue;
		size_t h = idmap_hash(keys[i], m->cap);
		while (m->vals[h] != IDMAP_NONE)
			h = (h + 1) & (m->cap - 1);
		m->keys[h] = keys[i];
		m->vals[h] = vals[i];
	}
	free(keys);
	free(vals);
}

uint32_t idmap_put(struct idmap *m, int32_t id, int *added)
{
	if (added)
		*added = 0;
	if (m->range) {
		int64_t off = (int64_t)id - m->lo;
		if (off >= 0 && (uint64_t)off < m->range) {
			uint32_t *s = &m->slot[off];
			if (*s == IDMAP_NONE) {
				*s = (uint32_t)m->n++;
				if (added)
					*added = 1;
			}
			return *s;
		}
		/* Outside the declared range: switch to hash mode. */
		size_t range = m->range;
		uint32_t *slot = m->slot;
		int64_t lo = m->lo;
		size_t n = m->n;
		idmap_init(m, 1, 0, n + 1);
		for (size_t i = 0; i < range; i++) {
			if (slot[i] == IDMAP_NONE)
				continue;
			size_t h = idmap_hash((int32_t)(lo + (int64_t)i), m->cap);
			while (m->vals[h] != IDMAP_NONE)
				h = (h + 1) & (m->cap - 1);
			m->keys[h] = (int32_t)(lo + (int64_t)i);
			m->vals[h] = slot[i];
		}
		m->n = n;
		free(slot);
	}
	if (2 * (m->n + 1) > m->cap)
		idmap_grow(m);
	size_t h = idmap_hash(id, m->cap);
	while (m->vals[h] != IDMAP_NONE) {
		if (m->keys[h] == id)
			return m->vals[h];
		h = (h + 1) & (m->cap - 1);
	}
	m->keys[h] = id;
	m->vals[h] = (uint32_t)m->n++;
	if (added)
		*added = 1;
	return m->vals[h];
}

uint32_t idmap_get(const struct idmap *m, int32_t id)
{
	if (m->range) {
		int64_t off = (int64_t)id - m->lo;
		if (off < 0 || (uint64_t)off >= m->range)
			return IDMAP_NONE;
		return m->slot[off];
	}
	if (!m->cap)
		return IDMAP_NONE;
	size_t h = idmap_hash(id, m->cap);
	while (m->vals[h] != IDMAP_NONE) {
		if (m->keys[h] == id)
			return m->vals[h];
		h = (h + 1) & (m->cap - 1);
	}
	return IDMAP_NONE;
}
