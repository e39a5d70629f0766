/* tile.h - C2SP tlog-tiles arithmetic and paths, pure.
 *
 * A tiled log serves its Merkle tree as tiles of height 8: the tile (L, N)
 * holds up to 256 consecutive hashes at Merkle level 8L, hash i being the
 * perfect subtree (8L, 256N + i) of merkle.h, that is
 * MTH(D[(256N + i) * 256^L : (256N + i + 1) * 256^L]). A full tile holds
 * 256 hashes (8192 bytes); the rightmost tile of a level may be partial, of
 * width W = floor(size / 256^L) mod 256. Entry bundles hold the entries of the
 * level-0 tile with the same N, each as uint16be length || bytes.
 *
 * Paths: "tile/<L>/<N>[.p/<W>]" and "tile/entries/<N>[.p/<W>]", N written in
 * 3-digit groups, all but the last prefixed with 'x' (1234067 ->
 * "x001/x234/067"). */
#ifndef CONSENT_TLOG_TILE_H
#define CONSENT_TLOG_TILE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "tlog/merkle.h"

#define TILE_HEIGHT        8
#define TILE_WIDTH         256
#define TILE_BYTES         (TILE_WIDTH * MERKLE_HASH_LEN)
#define TILE_MAX_LEVEL     63
#define TILE_LEVEL_ENTRIES (-1)  /* struct tile.level of an entry bundle */
#define TILE_PATH_MAX      64    /* room for any path, with its NUL */
#define TILE_INDEX_MAX     34    /* room for any index path, with its NUL */
#define TILE_ENTRY_MAX     65535 /* longest entry a bundle can hold */

/* One tile or entry bundle. */
struct tile {
	int level;      /* 0..TILE_MAX_LEVEL, or TILE_LEVEL_ENTRIES for a bundle */
	uint64_t index; /* N */
	unsigned width; /* 1..TILE_WIDTH; TILE_WIDTH is a full tile */
};

/* Writes the index path of n ("000", "x001/000", ...) into out, NUL-
 * terminated, and returns its length (at most 33). */
size_t tile_index_path(uint64_t n, char out[TILE_INDEX_MAX]);

/* Writes the path of t ("tile/0/x001/234.p/17", "tile/entries/000") into
 * out, NUL-terminated. Errors: ERR_INVAL if t->level or t->width is out of
 * range. */
enum err tile_path(const struct tile *t, char out[TILE_PATH_MAX]);

/* Parses a tile or entry bundle path (without any URL prefix) from
 * path[0..len) into *t, strictly: no leading zeros in L or W, 3-digit groups
 * with 'x' on all but the last, no redundant leading "x000/" group, W in
 * 1..255 after ".p/". Errors: ERR_INVAL if it is not such a path. */
enum err tile_path_parse(const char *path, size_t len, struct tile *t);

/* The number of hashes (or entries, for TILE_LEVEL_ENTRIES, which counts as
 * level 0) that tile (level, index) holds in a tree of the given size:
 * 0 (does not exist yet), 1..255 (partial) or TILE_WIDTH (full). */
unsigned tile_width(int level, uint64_t index, uint64_t size);

/* The tiles at `level` whose contents change when the tree grows from
 * old_size to new_size are those with first <= N < end (first == end when
 * none does). Each has tile_width(level, N, new_size) hashes afterwards. */
void tile_changed(int level, uint64_t old_size, uint64_t new_size, uint64_t *first, uint64_t *end);

/* Where the perfect subtree (level, index) of merkle.h lies in the tiles:
 * its hash is the MTH of the `count` (a power of two, 2^(level mod 8))
 * consecutive hashes starting at position `first` of the tile at level
 * level / 8 with index *tile_index. With count == 1 it is stored as is. */
void tile_locate(unsigned level, uint64_t index, uint64_t *tile_index, unsigned *first,
                 unsigned *count);

/* Builds the contents of tile t (t->level >= 0) from stored complete-subtree
 * hashes: t->width hashes, hash i read as (8 * t->level, 256 * t->index + i),
 * into out (room for t->width * MERKLE_HASH_LEN bytes). The caller checks
 * that t->width <= tile_width(t->level, t->index, size) for the tree it
 * serves. Errors: ERR_INVAL for a bad tile; any error of read. */
enum err tile_build(const struct tile *t, merkle_read_fn read, void *ctx, uint8_t *out);

/* Appends one entry, as uint16be length || bytes, to a bundle being built in
 * b. Errors: ERR_LIMIT if len > TILE_ENTRY_MAX (b is then unchanged). */
enum err tile_bundle_append(struct buf *b, const void *entry, size_t len);

/* Iterates over the entries of a bundle p[0..len): start with *off = 0; each
 * call sets *entry and *entry_len to the next one (pointing into p) and
 * advances *off. Returns ERR_OK for an entry, ERR_NOTFOUND at the end, and
 * ERR_INVAL if the bundle is truncated. */
enum err tile_bundle_next(const uint8_t *p, size_t len, size_t *off, const uint8_t **entry,
                          size_t *entry_len);

#endif
