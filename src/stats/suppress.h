/* suppress.h - small-number suppression with complementary suppression.
 *
 * Primary suppression hides counts with 0 < count < threshold (zeros too if
 * asked). Complementary (secondary) suppression then hides more entries until
 * no hidden entry can be worked out from what is published, using the table's
 * sums and the fact that counts are never negative:
 *
 * - by subtraction: a row or column with exactly one hidden entry gives it
 *   away, as does any combination of rows and columns (a hidden entry that is
 *   a "bridge" between two groups of hidden cells is the difference of their
 *   sums) - so every hidden entry must lie on a cycle of hidden entries;
 * - by bounds: hidden entries that must add up to 0 are all 0, and more
 *   generally an entry is pinned when no change of the hidden values that
 *   keeps every published sum and every count >= 0 moves it.
 *
 * The test applied is exact: a hidden entry is safe iff some other table of
 * non-negative integers with the same published values differs from the true
 * one at that entry (equivalently, the entry lies on a cycle of hidden entries
 * along which +1/-1 steps keep every count >= 0). Margins (row totals, column
 * totals, the grand total) are entries like any other: they can be hidden as
 * complements, and with opts.totals they are subject to the primary rule.
 *
 * Complements are chosen greedily: an entry that makes the exposed one safe
 * at once if there is one, preferring non-zero counts (a zero can only move
 * up), then the smallest count, then interior cells over margins. The result
 * is safe, not minimal (minimal suppression is NP-hard).
 *
 * Pure: allocates scratch memory (xmalloc) and frees it before returning. */
#ifndef CONSENT_STATS_SUPPRESS_H
#define CONSENT_STATS_SUPPRESS_H

#include <stddef.h>

#include "base/err.h"

/* What happens to one published entry. */
enum suppress_mark {
	SUPPRESS_NONE = 0,      /* published */
	SUPPRESS_PRIMARY = 1,   /* hidden because it is small: show as "<threshold" */
	SUPPRESS_SECONDARY = 2, /* hidden to protect another: show as "*" or similar */
};

struct suppress_opts {
	long threshold; /* counts with 0 < count < threshold are primary (e.g. 5, 10) */
	int zero;       /* nonzero: zeros are primary too (default 0: zeros are published) */
	int totals;     /* nonzero: the primary rule applies to margins too */
};

/* Suppresses the table as published: ext is the (rows+1) x (cols+1) table in
 * row-major order, whose last column holds the row totals, last row the
 * column totals, and last entry the grand total:
 *
 *   ext[i*(cols+1) + j]    cell (i, j)            i < rows, j < cols
 *   ext[i*(cols+1) + cols] total of row i
 *   ext[rows*(cols+1) + j] total of column j
 *   ext[rows*(cols+1)+cols] grand total
 *
 * Writes one mark per entry of ext to mark[] (same layout, caller-owned).
 * ERR_INVAL if rows or cols is 0, a count is negative, a margin is not the
 * sum of its line, or opts->threshold < 0; marks are then unspecified.
 * ERR_LIMIT if the table is too large ((rows+1)*(cols+1) > 1e6). */
enum err suppress_table(const long *ext, size_t rows, size_t cols, const struct suppress_opts *opts,
                        enum suppress_mark *mark);

/* The same with the primary suppression chosen by the caller: on entry
 * mark[] (layout as above) holds SUPPRESS_PRIMARY for each entry to hide
 * (e.g. every entry of a row whose total is small) and SUPPRESS_NONE for the
 * others; complements are added as SUPPRESS_SECONDARY until no hidden entry
 * can be worked out. ERR_INVAL as suppress_table(), or if mark[] holds
 * anything else on entry; ERR_LIMIT for a table too large. */
enum err suppress_table_complete(const long *ext, size_t rows, size_t cols,
                                 enum suppress_mark *mark);

/* Fills the margins of ext (layout as above) from its cells: a helper for
 * callers that hold only the cells. ERR_INVAL if rows or cols is 0 or a sum
 * overflows. */
enum err suppress_fill_margins(long *ext, size_t rows, size_t cols);

/* The 1-D case: cells[0..n) and their published total. Writes n+1 marks to
 * mark[] (caller-owned), mark[n] being the total's. Rules as above: a hidden
 * cell needs another hidden cell beside it, or the hidden total (and two
 * hidden zeros alone are not enough). ERR_INVAL if n is 0, a count is
 * negative, total is not the sum of the cells or opts->threshold < 0. */
enum err suppress_list(const long *cells, size_t n, long total, const struct suppress_opts *opts,
                       enum suppress_mark *mark);

#endif
