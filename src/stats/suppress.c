/* suppress.c - primary and complementary suppression of published tables.
 *
 * The model (see suppress.h): the published table with its margins is a
 * (rows+1) x (cols+1) array in which every line (row or column) has one entry
 * equal to the sum of the others. Give margin entries a sign (-1 for the last
 * row, -1 for the last column, multiplied) and every line sums to zero. The
 * hidden entries are then the edges of a bipartite graph between line
 * vertices (the rows and the columns of the array), each vertex knowing the
 * signed sum of its hidden edges. A change of the hidden values that keeps
 * every sum is a sum of cycles with alternating +1/-1 on the signed values;
 * orienting a cycle, an edge crossed row->col moves its signed value by +1,
 * col->row by -1. A zero count may only go up, so a hidden zero can be crossed
 * in one direction only. An entry is safe iff it lies on a directed cycle:
 * for an allowed direction u->v of the entry, v reaches u in the graph
 * without it (a breadth-first search). Adding hidden entries only adds arcs,
 * so a safe entry stays safe. */
#include <limits.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "stats/suppress.h"

#define NONE        ((size_t)-1)
#define MAX_ENTRIES 1000000u

struct tab {
	const long *x;            /* the (rows+1) x (cols+1) published table */
	size_t rows, cols;        /* cells, without the margins */
	size_t nr, nc;            /* rows+1, cols+1: lines of the extended table */
	enum suppress_mark *mark; /* caller's marks, one per entry */
	unsigned char *fwd;       /* BFS: vertices reached from a start */
	unsigned char *bwd;       /* BFS: vertices that reach a target */
	size_t *queue;            /* BFS queue, nr + nc */
};

static int hidden(const struct tab *t, size_t k)
{
	return t->mark[k] != SUPPRESS_NONE;
}

static int is_margin(const struct tab *t, size_t k)
{
	return k / t->nc == t->rows || k % t->nc == t->cols;
}

static int sign(const struct tab *t, size_t k)
{
	return ((k / t->nc == t->rows) != (k % t->nc == t->cols)) ? -1 : 1;
}

/* May entry k be crossed row->col (its count moves by sign(k))? */
static int can_rc(const struct tab *t, size_t k)
{
	return t->x[k] > 0 || sign(t, k) > 0;
}

/* May entry k be crossed col->row (its count moves by -sign(k))? */
static int can_cr(const struct tab *t, size_t k)
{
	return t->x[k] > 0 || sign(t, k) < 0;
}

/* Marks in seen[] the vertices reachable from start (rows are 0..nr-1,
 * columns nr..nr+nc-1) over hidden entries other than skip; with back set,
 * the vertices from which start is reachable. */
static void reach(const struct tab *t, size_t start, size_t skip, int back, unsigned char *seen)
{
	size_t nv = t->nr + t->nc, head = 0, tail = 0;
	for (size_t v = 0; v < nv; v++)
		seen[v] = 0;
	seen[start] = 1;
	t->queue[tail++] = start;
	while (head < tail) {
		size_t v = t->queue[head++];
		if (v < t->nr) { /* a row: its entries lead to columns */
			for (size_t j = 0; j < t->nc; j++) {
				size_t k = v * t->nc + j;
				if (k == skip || !hidden(t, k) || seen[t->nr + j])
					continue;
				if (back ? can_cr(t, k) : can_rc(t, k)) {
					seen[t->nr + j] = 1;
					t->queue[tail++] = t->nr + j;
				}
			}
		} else { /* a column: its entries lead to rows */
			size_t j = v - t->nr;
			for (size_t i = 0; i < t->nr; i++) {
				size_t k = i * t->nc + j;
				if (k == skip || !hidden(t, k) || seen[i])
					continue;
				if (back ? can_rc(t, k) : can_cr(t, k)) {
					seen[i] = 1;
					t->queue[tail++] = i;
				}
			}
		}
	}
}

static int is_safe(const struct tab *t, size_t k)
{
	size_t r = k / t->nc, c = t->nr + k % t->nc;
	if (can_rc(t, k)) { /* r -> c, then back from c to r */
		reach(t, c, k, 0, t->fwd);
		if (t->fwd[r])
			return 1;
	}
	if (can_cr(t, k)) { /* c -> r, then back from r to c */
		reach(t, r, k, 0, t->fwd);
		if (t->fwd[c])
			return 1;
	}
	return 0;
}

/* Is entry a a better complement than b (NONE is worst)? Non-zero first (a
 * zero only moves up), then the smaller count, then a cell before a margin,
 * then the lower index, so that the result is deterministic. */
static int better(const struct tab *t, size_t a, size_t b)
{
	if (b == NONE)
		return 1;
	int za = t->x[a] == 0, zb = t->x[b] == 0;
	if (za != zb)
		return zb;
	if (t->x[a] != t->x[b])
		return t->x[a] < t->x[b];
	int ma = is_margin(t, a), mb = is_margin(t, b);
	if (ma != mb)
		return mb;
	return a < b;
}

/* The best visible entry whose hiding puts exposed entry e on a cycle. */
static size_t best_fix(const struct tab *t, size_t e)
{
	size_t best = NONE, n = t->nr * t->nc;
	size_t r = e / t->nc, c = t->nr + e % t->nc;
	for (int dir = 0; dir < 2; dir++) {
		size_t u, v; /* e crossed u -> v; need v ~> f ~> u */
		if (dir == 0 && can_rc(t, e))
			u = r, v = c;
		else if (dir == 1 && can_cr(t, e))
			u = c, v = r;
		else
			continue;
		reach(t, v, e, 0, t->fwd);
		reach(t, u, e, 1, t->bwd);
		for (size_t k = 0; k < n; k++) {
			if (hidden(t, k))
				continue;
			size_t kr = k / t->nc, kc = t->nr + k % t->nc;
			int ok = (can_rc(t, k) && t->fwd[kr] && t->bwd[kc]) ||
			         (can_cr(t, k) && t->fwd[kc] && t->bwd[kr]);
			if (ok && better(t, k, best))
				best = k;
		}
	}
	return best;
}

/* The best visible entry in e's row or column; NONE if both are hidden. */
static size_t best_in_lines(const struct tab *t, size_t e)
{
	size_t best = NONE, r = e / t->nc, c = e % t->nc;
	for (size_t j = 0; j < t->nc; j++) {
		size_t k = r * t->nc + j;
		if (!hidden(t, k) && better(t, k, best))
			best = k;
	}
	for (size_t i = 0; i < t->nr; i++) {
		size_t k = i * t->nc + c;
		if (!hidden(t, k) && better(t, k, best))
			best = k;
	}
	return best;
}

static size_t best_any(const struct tab *t)
{
	size_t best = NONE, n = t->nr * t->nc;
	for (size_t k = 0; k < n; k++)
		if (!hidden(t, k) && better(t, k, best))
			best = k;
	return best;
}

static int is_primary(long x, int margin, const struct suppress_opts *o)
{
	if (margin && !o->totals)
		return 0;
	if (x == 0)
		return o->zero != 0;
	return x < o->threshold;
}

/* Checks that every margin of ext is the sum of its line. */
static enum err check_sums(const long *ext, size_t rows, size_t cols)
{
	size_t nc = cols + 1;
	for (size_t k = 0; k < (rows + 1) * nc; k++)
		if (ext[k] < 0)
			return ERR_INVAL;
	for (size_t i = 0; i <= rows; i++) {
		long s = 0;
		for (size_t j = 0; j < cols; j++) {
			if (s > LONG_MAX - ext[i * nc + j])
				return ERR_INVAL;
			s += ext[i * nc + j];
		}
		if (s != ext[i * nc + cols])
			return ERR_INVAL;
	}
	for (size_t j = 0; j <= cols; j++) {
		long s = 0;
		for (size_t i = 0; i < rows; i++) {
			if (s > LONG_MAX - ext[i * nc + j])
				return ERR_INVAL;
			s += ext[i * nc + j];
		}
		if (s != ext[rows * nc + j])
			return ERR_INVAL;
	}
	return ERR_OK;
}

static enum err check_size(size_t rows, size_t cols)
{
	if (rows == 0 || cols == 0)
		return ERR_INVAL;
	if (rows >= MAX_ENTRIES || cols >= MAX_ENTRIES || (rows + 1) * (cols + 1) > MAX_ENTRIES)
		return ERR_LIMIT;
	return ERR_OK;
}

enum err suppress_fill_margins(long *ext, size_t rows, size_t cols)
{
	enum err rc = check_size(rows, cols);
	if (rc != ERR_OK)
		return rc;
	size_t nc = cols + 1;
	for (size_t j = 0; j <= cols; j++)
		ext[rows * nc + j] = 0;
	for (size_t i = 0; i < rows; i++) {
		long s = 0;
		for (size_t j = 0; j < cols; j++) {
			long v = ext[i * nc + j], *ct = &ext[rows * nc + j];
			if ((v > 0 && s > LONG_MAX - v) || (v < 0 && s < LONG_MIN - v) ||
			    (v > 0 && *ct > LONG_MAX - v) || (v < 0 && *ct < LONG_MIN - v))
				return ERR_INVAL;
			s += v;
			*ct += v;
		}
		ext[i * nc + cols] = s;
		long *g = &ext[rows * nc + cols];
		if ((s > 0 && *g > LONG_MAX - s) || (s < 0 && *g < LONG_MIN - s))
			return ERR_INVAL;
		*g += s;
	}
	return ERR_OK;
}

/* Adds complements to the marks already in mark until every hidden entry
 * is safe. ext has been checked. */
static enum err complete(const long *ext, size_t rows, size_t cols, enum suppress_mark *mark)
{
	struct tab t = {.x = ext, .rows = rows, .cols = cols, .nr = rows + 1, .nc = cols + 1};
	size_t n = t.nr * t.nc, nv = t.nr + t.nc;
	enum err rc = ERR_OK;
	t.mark = mark;
	t.fwd = xmalloc(nv);
	t.bwd = xmalloc(nv);
	t.queue = xmalloc(nv * sizeof *t.queue);
	unsigned char *safe = xcalloc(n, 1); /* known safe: stays so */

	/* Each round hides one more entry, so at most n rounds. With everything
	 * hidden every entry is safe (raise it, its two margins and the grand
	 * total by one), so the last two fallbacks cannot both fail. */
	for (;;) {
		size_t e = NONE;
		for (size_t k = 0; k < n && e == NONE; k++) {
			if (!hidden(&t, k) || safe[k])
				continue;
			if (is_safe(&t, k))
				safe[k] = 1;
			else
				e = k;
		}
		if (e == NONE)
			break;
		size_t f = best_fix(&t, e);
		if (f == NONE)
			f = best_in_lines(&t, e);
		if (f == NONE)
			f = best_any(&t);
		if (f == NONE) {
			rc = ERR_INTERNAL;
			break;
		}
		mark[f] = SUPPRESS_SECONDARY;
	}
	free(safe);
	free(t.queue);
	free(t.bwd);
	free(t.fwd);
	return rc;
}

static enum err check_table(const long *ext, size_t rows, size_t cols)
{
	enum err rc = check_size(rows, cols);
	if (rc != ERR_OK)
		return rc;
	return check_sums(ext, rows, cols);
}

enum err suppress_table(const long *ext, size_t rows, size_t cols, const struct suppress_opts *opts,
                        enum suppress_mark *mark)
{
	enum err rc = check_table(ext, rows, cols);
	if (rc != ERR_OK)
		return rc;
	if (opts->threshold < 0)
		return ERR_INVAL;
	size_t nc = cols + 1, n = (rows + 1) * nc;
	for (size_t k = 0; k < n; k++) {
		int margin = k / nc == rows || k % nc == cols;
		mark[k] = is_primary(ext[k], margin, opts) ? SUPPRESS_PRIMARY : SUPPRESS_NONE;
	}
	return complete(ext, rows, cols, mark);
}

enum err suppress_table_complete(const long *ext, size_t rows, size_t cols,
                                 enum suppress_mark *mark)
{
	enum err rc = check_table(ext, rows, cols);
	if (rc != ERR_OK)
		return rc;
	size_t n = (rows + 1) * (cols + 1);
	for (size_t k = 0; k < n; k++) {
		if (mark[k] != SUPPRESS_NONE && mark[k] != SUPPRESS_PRIMARY)
			return ERR_INVAL;
	}
	return complete(ext, rows, cols, mark);
}

/* 1-D: one line, cells with sign +1, the total with sign -1. Moves are pairs:
 * (cell +1, total +1) always; (cell a +1, cell b -1) if b > 0. */
static int list_safe(const long *x, size_t n, const enum suppress_mark *m, size_t e)
{
	if (e == n) { /* the total: raise it with any hidden cell */
		for (size_t k = 0; k < n; k++)
			if (m[k] != SUPPRESS_NONE)
				return 1;
		return 0;
	}
	if (m[n] != SUPPRESS_NONE)
		return 1;
	for (size_t k = 0; k < n; k++)
		if (k != e && m[k] != SUPPRESS_NONE && (x[k] > 0 || x[e] > 0))
			return 1;
	return 0;
}

enum err suppress_list(const long *cells, size_t n, long total, const struct suppress_opts *opts,
                       enum suppress_mark *mark)
{
	if (n == 0 || opts->threshold < 0 || total < 0)
		return ERR_INVAL;
	long s = 0;
	for (size_t k = 0; k < n; k++) {
		if (cells[k] < 0 || s > LONG_MAX - cells[k])
			return ERR_INVAL;
		s += cells[k];
	}
	if (s != total)
		return ERR_INVAL;

	for (size_t k = 0; k < n; k++)
		mark[k] = is_primary(cells[k], 0, opts) ? SUPPRESS_PRIMARY : SUPPRESS_NONE;
	mark[n] = is_primary(total, 1, opts) ? SUPPRESS_PRIMARY : SUPPRESS_NONE;
	for (;;) {
		size_t e = NONE;
		for (size_t k = 0; k <= n && e == NONE; k++)
			if (mark[k] != SUPPRESS_NONE && !list_safe(cells, n, mark, k))
				e = k;
		if (e == NONE)
			break;
		/* The best visible cell that fixes e (non-zero first, then
		 * smallest); else the total. */
		size_t best = NONE;
		for (size_t k = 0; k < n; k++) {
			if (mark[k] != SUPPRESS_NONE)
				continue;
			if (e < n && cells[k] == 0 && cells[e] == 0)
				continue;
			if (best == NONE || (cells[k] != 0 && cells[best] == 0) ||
			    ((cells[k] != 0) == (cells[best] != 0) && cells[k] < cells[best]))
				best = k;
		}
		if (best == NONE && mark[n] == SUPPRESS_NONE)
			best = n;
		if (best == NONE)
			return ERR_INTERNAL;
		mark[best] = SUPPRESS_SECONDARY;
	}
	return ERR_OK;
}
