/* tile.c - C2SP tlog-tiles arithmetic and paths. */
#include "tlog/tile.h"

#include <stdio.h>
#include <string.h>

/* x >> s, 0 when s >= 64 (where C leaves >> undefined). */
static uint64_t shr(uint64_t x, unsigned s)
{
	return s >= 64 ? 0 : x >> s;
}

size_t tile_index_path(uint64_t n, char out[TILE_INDEX_MAX])
{
	/* Groups of three digits, most significant first; at most 7. */
	unsigned groups[7];
	int ng = 0;
	do {
		groups[ng++] = (unsigned)(n % 1000);
		n /= 1000;
	} while (n > 0);
	size_t len = 0;
	for (int i = ng - 1; i >= 0; i--) {
		if (i > 0)
			len +=
			    (size_t)snprintf(out + len, TILE_INDEX_MAX - len, "x%03u/", groups[i]);
		else
			len += (size_t)snprintf(out + len, TILE_INDEX_MAX - len, "%03u", groups[i]);
	}
	return len;
}

enum err tile_path(const struct tile *t, char out[TILE_PATH_MAX])
{
	if (t->level < TILE_LEVEL_ENTRIES || t->level > TILE_MAX_LEVEL || t->width < 1 ||
	    t->width > TILE_WIDTH)
		return ERR_INVAL;
	char idx[TILE_INDEX_MAX], lvl[8] = "entries", part[8] = "";
	tile_index_path(t->index, idx);
	if (t->level != TILE_LEVEL_ENTRIES)
		snprintf(lvl, sizeof lvl, "%d", t->level);
	if (t->width < TILE_WIDTH)
		snprintf(part, sizeof part, ".p/%u", t->width);
	snprintf(out, TILE_PATH_MAX, "tile/%s/%s%s", lvl, idx, part);
	return ERR_OK;
}

/* Parses a decimal without leading zeros ("0" alone is fine) from p[0..n)
 * into *v, which must not exceed max. */
static int parse_dec(const char *p, size_t n, unsigned long max, unsigned long *v)
{
	if (n == 0 || n > 3 || (n > 1 && p[0] == '0'))
		return -1;
	unsigned long x = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		x = x * 10 + (unsigned long)(p[i] - '0');
	}
	if (x > max)
		return -1;
	*v = x;
	return 0;
}

/* Three digits, exactly. */
static int parse_group(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 3; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(p[i] - '0');
	}
	return 0;
}

enum err tile_path_parse(const char *path, size_t len, struct tile *t)
{
	const char *p = path, *end = path + len;
	struct tile r = {0, 0, TILE_WIDTH};
	if (len < 5 || memcmp(p, "tile/", 5) != 0)
		return ERR_INVAL;
	p += 5;
	if ((size_t)(end - p) >= 8 && memcmp(p, "entries/", 8) == 0) {
		r.level = TILE_LEVEL_ENTRIES;
		p += 8;
	} else {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		unsigned long l;
		if (!slash || parse_dec(p, (size_t)(slash - p), TILE_MAX_LEVEL, &l) != 0)
			return ERR_INVAL;
		r.level = (int)l;
		p = slash + 1;
	}
	/* Index: "xDDD/" groups, then a final "DDD". */
	int groups = 0;
	for (;;) {
		unsigned g;
		if (end - p >= 5 && p[0] == 'x' && p[4] == '/') {
			if (parse_group(p + 1, &g) != 0 || (groups == 0 && g == 0))
				return ERR_INVAL;
			p += 5;
		} else if (end - p >= 3 && parse_group(p, &g) == 0) {
			p += 3;
		} else {
			return ERR_INVAL;
		}
		if (++groups > 7 || r.index > (UINT64_MAX - g) / 1000)
			return ERR_INVAL;
		r.index = r.index * 1000 + g;
		if (p[-1] != '/')
			break;
	}
	if (p < end) {
		unsigned long w;
		if (end - p < 4 || memcmp(p, ".p/", 3) != 0 ||
		    parse_dec(p + 3, (size_t)(end - p - 3), TILE_WIDTH - 1, &w) != 0 || w == 0)
			return ERR_INVAL;
		r.width = (unsigned)w;
	}
	*t = r;
	return ERR_OK;
}

unsigned tile_width(int level, uint64_t index, uint64_t size)
{
	if (level < TILE_LEVEL_ENTRIES || level > TILE_MAX_LEVEL)
		return 0;
	unsigned h = level < 0 ? 0 : (unsigned)level * TILE_HEIGHT;
	uint64_t count = shr(size, h); /* complete subtrees at Merkle level h */
	uint64_t tiles = count / TILE_WIDTH;
	if (index < tiles)
		return TILE_WIDTH;
	if (index == tiles)
		return (unsigned)(count % TILE_WIDTH);
	return 0;
}

void tile_changed(int level, uint64_t old_size, uint64_t new_size, uint64_t *first, uint64_t *end)
{
	unsigned h = level < 0 ? 0 : (unsigned)level * TILE_HEIGHT;
	uint64_t a = shr(old_size, h), b = shr(new_size, h);
	*first = *end = 0;
	if (level < TILE_LEVEL_ENTRIES || level > TILE_MAX_LEVEL || b <= a)
		return;
	*first = a / TILE_WIDTH;
	*end = b / TILE_WIDTH + (b % TILE_WIDTH != 0);
}

void tile_locate(unsigned level, uint64_t index, uint64_t *tile_index, unsigned *first,
                 unsigned *count)
{
	unsigned r = level % TILE_HEIGHT;
	uint64_t pos = index << r; /* position at Merkle level level - r */
	*tile_index = pos / TILE_WIDTH;
	*first = (unsigned)(pos % TILE_WIDTH);
	*count = 1u << r;
}

enum err tile_build(const struct tile *t, merkle_read_fn read, void *ctx, uint8_t *out)
{
	if (t->level < 0 || t->level > TILE_MAX_LEVEL || t->width < 1 || t->width > TILE_WIDTH)
		return ERR_INVAL;
	unsigned h = (unsigned)t->level * TILE_HEIGHT;
	/* Hash indexes at level h are below 2^(64 - h): the tile must start
	 * there. */
	if (h >= 64 || t->index > shr(UINT64_MAX, h + TILE_HEIGHT))
		return ERR_INVAL;
	for (unsigned i = 0; i < t->width; i++) {
		enum err e =
		    read(ctx, h, t->index * TILE_WIDTH + i, out + (size_t)i * MERKLE_HASH_LEN);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err tile_bundle_append(struct buf *b, const void *entry, size_t len)
{
	if (len > TILE_ENTRY_MAX)
		return ERR_LIMIT;
	uint8_t hdr[2] = {(uint8_t)(len >> 8), (uint8_t)len};
	buf_append(b, hdr, 2);
	buf_append(b, entry, len);
	return ERR_OK;
}

enum err tile_bundle_next(const uint8_t *p, size_t len, size_t *off, const uint8_t **entry,
                          size_t *entry_len)
{
	if (*off >= len)
		return ERR_NOTFOUND;
	if (len - *off < 2)
		return ERR_INVAL;
	size_t n = (size_t)p[*off] << 8 | p[*off + 1];
	if (len - *off - 2 < n)
		return ERR_INVAL;
	*entry = p + *off + 2;
	*entry_len = n;
	*off += 2 + n;
	return ERR_OK;
}
