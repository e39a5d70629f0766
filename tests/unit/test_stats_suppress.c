/* Unit tests for stats/suppress.c: primary and complementary suppression.
 *
 * Besides worked examples, random tables are suppressed and then attacked,
 * with methods independent of the library's own (graph) criterion, using
 * only what is published (visible entries, the table's sums, counts >= 0):
 *  1. subtraction: any row or column with one hidden entry gives it away,
 *     repeated until nothing more is learnt;
 *  2. linear algebra: a hidden entry is determined by the sums iff its unit
 *     vector lies in the row space of the constraints on the hidden entries
 *     (exact rank over the integers mod a prime; the constraint matrix is a
 *     signed bipartite incidence matrix, totally unimodular, so the rank mod
 *     p equals the rank over the rationals);
 *  3. bounds: a simplex computes the smallest and largest value of each hidden
 *     entry subject to the sums and >= 0; equal bounds mean it is pinned (the
 *     matrix is totally unimodular, so the bounds are integers attained by
 *     integer tables).
 * Any hidden entry recovered by any method fails the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/suppress.h"

#define MAXR 7 /* rows + 1 */
#define MAXC 7 /* cols + 1 */
#define MAXE (MAXR * MAXC)
#define MAXL (MAXR + MAXC)

/* --- a deterministic generator (splitmix64) --- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static long rng_below(uint64_t *s, long n)
{
	return (long)(rng_next(s) % (uint64_t)n);
}

/* --- the published system: constraints on the hidden entries --- */

/* Lines of the extended table as equations over the hidden entries:
 * a[l][v] x_v = b[l], v indexing hid[]. */
struct sys {
	int nl, nv;
	int hid[MAXE];      /* entry index of unknown v */
	long a[MAXL][MAXE]; /* coefficients, 0 or +-1 */
	long b[MAXL];
};

static void build_sys(const long *ext, size_t rows, size_t cols, const enum suppress_mark *mark,
                      struct sys *s)
{
	size_t nr = rows + 1, nc = cols + 1;
	int var[MAXE];
	memset(s, 0, sizeof *s);
	for (size_t k = 0; k < nr * nc; k++) {
		var[k] = -1;
		if (mark[k] != SUPPRESS_NONE) {
			var[k] = s->nv;
			s->hid[s->nv++] = (int)k;
		}
	}
	/* row i: sum_j x_ij - x_i,cols = 0; column j likewise */
	for (size_t line = 0; line < nr + nc; line++) {
		size_t len = line < nr ? nc : nr;
		int any = 0;
		for (size_t p = 0; p < len; p++) {
			size_t k = line < nr ? line * nc + p : p * nc + (line - nr);
			long coef = p == len - 1 ? -1 : 1;
			if (var[k] >= 0) {
				s->a[s->nl][var[k]] = coef;
				any = 1;
			} else {
				s->b[s->nl] -= coef * ext[k];
			}
		}
		if (any)
			s->nl++;
		else
			s->b[s->nl] = 0;
	}
}

/* Attack 1: repeated subtraction on lines with a single unknown. Returns the
 * number of hidden entries recovered. */
static int attack_subtraction(const struct sys *s)
{
	int known[MAXE] = {0}, found = 0, progress = 1;
	while (progress) {
		progress = 0;
		for (int l = 0; l < s->nl; l++) {
			int unk = -1, n = 0;
			for (int v = 0; v < s->nv; v++)
				if (s->a[l][v] && !known[v]) {
					unk = v;
					n++;
				}
			if (n == 1) {
				known[unk] = 1;
				found++;
				progress = 1;
			}
		}
	}
	return found;
}

/* Rank of m (rows x cols) over Z/pZ; m is destroyed. */
#define PRIME 2147483647LL
static long long mod_pow(long long b, long long e)
{
	long long r = 1;
	b %= PRIME;
	while (e) {
		if (e & 1)
			r = r * b % PRIME;
		b = b * b % PRIME;
		e >>= 1;
	}
	return r;
}

static int rank_mod_p(long long (*m)[MAXE], int rows, int cols)
{
	int rank = 0;
	for (int c = 0; c < cols && rank < rows; c++) {
		int piv = -1;
		for (int r = rank; r < rows; r++)
			if (m[r][c] % PRIME != 0) {
				piv = r;
				break;
			}
		if (piv < 0)
			continue;
		for (int j = 0; j < cols; j++) {
			long long t = m[piv][j];
			m[piv][j] = m[rank][j];
			m[rank][j] = t;
		}
		long long inv = mod_pow((m[rank][c] % PRIME + PRIME) % PRIME, PRIME - 2);
		for (int j = 0; j < cols; j++)
			m[rank][j] = (m[rank][j] % PRIME + PRIME) % PRIME * inv % PRIME;
		for (int r = 0; r < rows; r++) {
			if (r == rank)
				continue;
			long long f = (m[r][c] % PRIME + PRIME) % PRIME;
			if (!f)
				continue;
			for (int j = 0; j < cols; j++)
				m[r][j] = ((m[r][j] - f * m[rank][j]) % PRIME + PRIME) % PRIME;
		}
		rank++;
	}
	return rank;
}

/* Attack 2: is unknown v determined by the equations? */
static int determined(const struct sys *s, int v)
{
	static long long m[MAXL + 1][MAXE];
	for (int l = 0; l < s->nl; l++)
		for (int j = 0; j < s->nv; j++)
			m[l][j] = s->a[l][j];
	int r0 = rank_mod_p(m, s->nl, s->nv);
	for (int l = 0; l < s->nl; l++)
		for (int j = 0; j < s->nv; j++)
			m[l][j] = s->a[l][j];
	for (int j = 0; j < s->nv; j++)
		m[s->nl][j] = j == v;
	return rank_mod_p(m, s->nl + 1, s->nv) == r0;
}

/* --- attack 3: min c.x s.t. A x = b, x >= 0, by a two-phase simplex with
 * Bland's rule on a dense tableau --- */

#define LPM MAXL
#define LPN (MAXE + MAXL)
#define EPS 1e-9

struct lp {
	int m, n;                   /* constraints; structural + artificial columns */
	int nstruct;                /* structural columns */
	double t[LPM + 1][LPN + 1]; /* rows 0..m-1 constraints, row m objective; column n = rhs */
	int basis[LPM];
};

static void pivot(struct lp *p, int r, int c)
{
	double pv = p->t[r][c];
	for (int j = 0; j <= p->n; j++)
		p->t[r][j] /= pv;
	for (int i = 0; i <= p->m; i++) {
		if (i == r || p->t[i][c] == 0)
			continue;
		double f = p->t[i][c];
		for (int j = 0; j <= p->n; j++)
			p->t[i][j] -= f * p->t[r][j];
	}
	p->basis[r] = c;
}

/* Minimises the objective row over columns < ncols; 0 = optimal, 1 = unbounded. */
static int simplex(struct lp *p, int ncols)
{
	for (int it = 0; it < 10000; it++) {
		int c = -1;
		for (int j = 0; j < ncols; j++)
			if (p->t[p->m][j] < -EPS) {
				c = j;
				break;
			}
		if (c < 0)
			return 0;
		int r = -1;
		double best = 0;
		for (int i = 0; i < p->m; i++) {
			if (p->t[i][c] <= EPS)
				continue;
			double ratio = p->t[i][p->n] / p->t[i][c];
			if (r < 0 || ratio < best - EPS ||
			    (ratio < best + EPS && p->basis[i] < p->basis[r])) {
				r = i;
				best = ratio;
			}
		}
		if (r < 0)
			return 1;
		pivot(p, r, c);
	}
	fail_msg("simplex did not terminate");
	return -1;
}

/* min (sign * x_v) over the published system; returns the value of x_v at
 * the optimum, or sign * INFINITY if unbounded (a hidden total can grow). */
static double lp_bound(const struct sys *s, int v, int sign)
{
	static struct lp p;
	memset(&p, 0, sizeof p);
	p.m = s->nl;
	p.nstruct = s->nv;
	p.n = s->nv + s->nl;
	for (int i = 0; i < s->nl; i++) {
		double f = s->b[i] < 0 ? -1 : 1;
		for (int j = 0; j < s->nv; j++)
			p.t[i][j] = f * (double)s->a[i][j];
		p.t[i][s->nv + i] = 1;
		p.t[i][p.n] = f * (double)s->b[i];
		p.basis[i] = s->nv + i;
	}
	/* phase 1: minimise the sum of artificials */
	for (int j = 0; j <= p.n; j++) {
		double sum = 0;
		for (int i = 0; i < p.m; i++)
			sum += p.t[i][j];
		p.t[p.m][j] = j >= s->nv && j < p.n ? 0 : -sum;
	}
	assert_int_equal(simplex(&p, p.n), 0);
	assert_true(fabs(p.t[p.m][p.n]) < 1e-6); /* the true table is feasible */
	/* drive artificials out of the basis where possible */
	for (int i = 0; i < p.m; i++) {
		if (p.basis[i] < s->nv)
			continue;
		for (int j = 0; j < s->nv; j++)
			if (fabs(p.t[i][j]) > EPS) {
				pivot(&p, i, j);
				break;
			}
	}
	/* phase 2 over the structural columns */
	for (int j = 0; j <= p.n; j++)
		p.t[p.m][j] = 0;
	p.t[p.m][v] = sign;
	for (int i = 0; i < p.m; i++) {
		int c = p.basis[i];
		double f = p.t[p.m][c];
		if (c < s->nv && f != 0)
			for (int j = 0; j <= p.n; j++)
				p.t[p.m][j] -= f * p.t[i][j];
	}
	int rc = simplex(&p, s->nv);
	assert_true(rc == 0 || (rc == 1 && sign < 0)); /* x >= 0 bounds the minimum */
	if (rc == 1)
		return INFINITY;
	double x = 0;
	for (int i = 0; i < p.m; i++)
		if (p.basis[i] == v)
			x = p.t[i][p.n];
	return x;
}

enum method { BY_SUBTRACTION, BY_RANK, BY_BOUNDS };

/* How many hidden entries the given attack recovers. */
static int recovered(const struct sys *s, const long *value, enum method how)
{
	if (how == BY_SUBTRACTION)
		return attack_subtraction(s);
	int n = 0;
	for (int v = 0; v < s->nv; v++) {
		long x = value[s->hid[v]];
		if (how == BY_RANK) {
			n += determined(s, v);
			continue;
		}
		double lo = lp_bound(s, v, 1), hi = lp_bound(s, v, -1);
		if (lo > (double)x + 1e-6 || hi < (double)x - 1e-6)
			fail_msg("lp bounds [%g, %g] exclude the true %ld", lo, hi, x);
		n += hi - lo < 0.5;
	}
	return n;
}

/* Runs the three attacks on a suppressed table; fails if any recovers an
 * entry. */
static void attack(const long *ext, size_t rows, size_t cols, const enum suppress_mark *mark)
{
	static struct sys s;
	build_sys(ext, rows, cols, mark, &s);
	if (s.nv == 0)
		return;
	static const char *names[] = {"subtraction", "linear algebra", "bounds"};
	for (int how = BY_SUBTRACTION; how <= BY_BOUNDS; how++) {
		int n = recovered(&s, ext, (enum method)how);
		if (n)
			fail_msg("%s recovers %d hidden entries of a %zux%zu table", names[how], n,
			         rows, cols);
	}
}

/* The primary rule holds exactly, and nothing small is left visible. */
static void check_primary(const long *ext, size_t rows, size_t cols, const struct suppress_opts *o,
                          const enum suppress_mark *mark)
{
	size_t nc = cols + 1;
	for (size_t k = 0; k < (rows + 1) * nc; k++) {
		int margin = k / nc == rows || k % nc == cols;
		int small = (ext[k] > 0 && ext[k] < o->threshold) || (ext[k] == 0 && o->zero);
		int want = small && (!margin || o->totals);
		assert_int_equal(mark[k] == SUPPRESS_PRIMARY, want);
		assert_true(mark[k] <= SUPPRESS_SECONDARY);
	}
}

static void print_marks(const long *ext, size_t rows, size_t cols, const enum suppress_mark *mark)
{
	for (size_t i = 0; i <= rows; i++) {
		for (size_t j = 0; j <= cols; j++) {
			size_t k = i * (cols + 1) + j;
			print_message("%5ld%c", ext[k], " PS"[mark[k]]);
		}
		print_message("\n");
	}
}

/* --- worked examples --- */

/* One small cell: the classic rectangle of four cells. */
static void test_rectangle(void **state)
{
	(void)state;
	long ext[16] = {3, 20, 30, 0, 25, 40, 50, 0, 60, 70, 80, 0, 0, 0, 0, 0};
	assert_int_equal(suppress_fill_margins(ext, 3, 3), ERR_OK);
	assert_int_equal(ext[3], 53);
	assert_int_equal(ext[15], 378);
	enum suppress_mark m[16];
	struct suppress_opts o = {.threshold = 5};
	assert_int_equal(suppress_table(ext, 3, 3, &o, m), ERR_OK);
	const enum suppress_mark want[16] = {
	    SUPPRESS_PRIMARY,
	    SUPPRESS_SECONDARY,
	    0,
	    0, /* */
	    SUPPRESS_SECONDARY,
	    SUPPRESS_SECONDARY,
	    0,
	    0, /* */
	    0,
	    0,
	    0,
	    0, /* */
	    0,
	    0,
	    0,
	    0,
	};
	for (int k = 0; k < 16; k++)
		assert_int_equal(m[k], want[k]);
	attack(ext, 3, 3, m);
}

/* Two small cells in one row protect each other only if the column sums do
 * not give them away: the columns need complements too. */
static void test_pair_in_row(void **state)
{
	(void)state;
	long ext[16] = {2, 4, 30, 0, 25, 40, 50, 0, 60, 70, 80, 0};
	assert_int_equal(suppress_fill_margins(ext, 3, 3), ERR_OK);
	enum suppress_mark m[16];
	struct suppress_opts o = {.threshold = 5};
	assert_int_equal(suppress_table(ext, 3, 3, &o, m), ERR_OK);
	check_primary(ext, 3, 3, &o, m);
	attack(ext, 3, 3, m);
	int n = 0;
	for (int k = 0; k < 16; k++)
		n += m[k] != SUPPRESS_NONE;
	assert_int_equal(n, 4); /* (0,0) (0,1) (1,0) (1,1) */
	assert_int_equal(m[4], SUPPRESS_SECONDARY);
	assert_int_equal(m[5], SUPPRESS_SECONDARY);
}

/* The totals case: a row whose total is small. With totals protected its
 * total is hidden, which the margin column must then protect. */
static void test_small_row_total(void **state)
{
	(void)state;
	long ext[20] = {1, 2, 0, 0, 30, 40, 50, 0, 60, 70, 80, 0};
	assert_int_equal(suppress_fill_margins(ext, 3, 3), ERR_OK);
	enum suppress_mark m[16];
	struct suppress_opts o = {.threshold = 5, .totals = 1};
	assert_int_equal(suppress_table(ext, 3, 3, &o, m), ERR_OK);
	check_primary(ext, 3, 3, &o, m);
	assert_int_equal(m[3], SUPPRESS_PRIMARY); /* the row total 3 */
	attack(ext, 3, 3, m);
	/* the margin column has another hidden total */
	assert_true(m[7] != SUPPRESS_NONE || m[11] != SUPPRESS_NONE || m[15] != SUPPRESS_NONE);

	/* Without totals protection the total 3 is published, but still
	 * nothing can be recovered. */
	o.totals = 0;
	assert_int_equal(suppress_table(ext, 3, 3, &o, m), ERR_OK);
	check_primary(ext, 3, 3, &o, m);
	attack(ext, 3, 3, m);
}

/* A row with a single non-zero cell: its total equals the cell. */
static void test_lone_cell_row(void **state)
{
	(void)state;
	long ext[16] = {0, 0, 3, 0, 30, 40, 50, 0, 60, 70, 80, 0};
	assert_int_equal(suppress_fill_margins(ext, 3, 3), ERR_OK);
	enum suppress_mark m[16];
	struct suppress_opts o = {.threshold = 5};
	assert_int_equal(suppress_table(ext, 3, 3, &o, m), ERR_OK);
	print_marks(ext, 3, 3, m);
	attack(ext, 3, 3, m);
	assert_true(m[3] != SUPPRESS_NONE); /* the row total must go */
}

/* Zeros hidden as primaries: two hidden zeros alone in a line would be
 * pinned (they must add up to 0), so a non-zero joins them. */
static void test_zeros(void **state)
{
	(void)state;
	long ext[16] = {0, 0, 50, 0, 30, 40, 50, 0, 60, 70, 80, 0};
	assert_int_equal(suppress_fill_margins(ext, 3, 3), ERR_OK);
	enum suppress_mark m[16];
	struct suppress_opts o = {.threshold = 5, .zero = 1};
	assert_int_equal(suppress_table(ext, 3, 3, &o, m), ERR_OK);
	check_primary(ext, 3, 3, &o, m);
	attack(ext, 3, 3, m);
	/* zeros are published by default */
	o.zero = 0;
	assert_int_equal(suppress_table(ext, 3, 3, &o, m), ERR_OK);
	for (int k = 0; k < 16; k++)
		assert_int_equal(m[k], SUPPRESS_NONE);
}

static void test_nothing_small(void **state)
{
	(void)state;
	long ext[9] = {10, 20, 0, 30, 40};
	assert_int_equal(suppress_fill_margins(ext, 2, 2), ERR_OK);
	enum suppress_mark m[9];
	struct suppress_opts o = {.threshold = 5, .totals = 1};
	assert_int_equal(suppress_table(ext, 2, 2, &o, m), ERR_OK);
	for (int k = 0; k < 9; k++)
		assert_int_equal(m[k], SUPPRESS_NONE);
}

static void test_table_errors(void **state)
{
	(void)state;
	long ext[9] = {10, 20, 30, 30, 40, 70, 40, 60, 100};
	enum suppress_mark m[9];
	struct suppress_opts o = {.threshold = 5};
	assert_int_equal(suppress_table(ext, 2, 2, &o, m), ERR_OK);
	ext[2] = 31; /* a row total that is not the sum */
	assert_int_equal(suppress_table(ext, 2, 2, &o, m), ERR_INVAL);
	ext[2] = 30;
	ext[6] = 41; /* a column total */
	assert_int_equal(suppress_table(ext, 2, 2, &o, m), ERR_INVAL);
	ext[6] = 40;
	ext[8] = 99; /* the grand total */
	assert_int_equal(suppress_table(ext, 2, 2, &o, m), ERR_INVAL);
	ext[8] = 100;
	long neg[9] = {-1, 1, 0, 1, 0, 1, 0, 1, 1};
	assert_int_equal(suppress_table(neg, 2, 2, &o, m), ERR_INVAL);
	assert_int_equal(suppress_table(ext, 0, 2, &o, m), ERR_INVAL);
	assert_int_equal(suppress_table(ext, 2, 0, &o, m), ERR_INVAL);
	o.threshold = -1;
	assert_int_equal(suppress_table(ext, 2, 2, &o, m), ERR_INVAL);
	o.threshold = 5;
	assert_int_equal(suppress_table(ext, 2000, 2000, &o, m), ERR_LIMIT);
	assert_int_equal(suppress_fill_margins(ext, 0, 1), ERR_INVAL);
}

/* The attacks themselves find what they should: each of the three catches a
 * pattern the weaker ones miss. 5x5 cells, margins filled. */
static void test_attacks_work(void **state)
{
	(void)state;
	long ext[36];
	for (int k = 0; k < 36; k++)
		ext[k] = 10 + (k * 7) % 13;
	ext[0] = ext[1] = ext[6] = ext[7] = 0; /* a 2x2 block of zeros */
	assert_int_equal(suppress_fill_margins(ext, 5, 5), ERR_OK);
	static struct sys s;
	enum suppress_mark m[36];

	/* one hidden cell: its row gives it away */
	memset(m, 0, sizeof m);
	m[14] = SUPPRESS_PRIMARY;
	build_sys(ext, 5, 5, m, &s);
	assert_int_equal(recovered(&s, ext, BY_SUBTRACTION), 1);
	assert_int_equal(recovered(&s, ext, BY_RANK), 1);

	/* two rectangles joined by a bridge (0,3): every row and column has 0
	 * or >= 2 hidden entries, yet the bridge is the difference between the
	 * sums of rows 0, 2 and of columns 2, 4 */
	memset(m, 0, sizeof m);
	int hide[] = {0 * 6 + 2, 0 * 6 + 4, 2 * 6 + 2, 2 * 6 + 4, /* rows 0,2 x cols 2,4 */
	              3 * 6 + 1, 3 * 6 + 3, 4 * 6 + 1, 4 * 6 + 3, /* rows 3,4 x cols 1,3 */
	              0 * 6 + 3};                                 /* the bridge (0,3) */
	for (size_t i = 0; i < sizeof hide / sizeof hide[0]; i++)
		m[hide[i]] = SUPPRESS_PRIMARY;
	build_sys(ext, 5, 5, m, &s);
	assert_int_equal(attack_subtraction(&s), 0);
	assert_int_equal(recovered(&s, ext, BY_RANK), 1);

	/* a rectangle of zeros: a cycle, so no sum determines them, but they
	 * must add up to 0 along each line and counts are >= 0 */
	memset(m, 0, sizeof m);
	m[0] = m[1] = m[6] = m[7] = SUPPRESS_PRIMARY;
	build_sys(ext, 5, 5, m, &s);
	assert_int_equal(recovered(&s, ext, BY_SUBTRACTION), 0);
	assert_int_equal(recovered(&s, ext, BY_RANK), 0);
	assert_int_equal(recovered(&s, ext, BY_BOUNDS), 4);

	/* and the library protects all three patterns */
	struct suppress_opts o = {.threshold = 5, .zero = 1};
	assert_int_equal(suppress_table(ext, 5, 5, &o, m), ERR_OK);
	attack(ext, 5, 5, m);
}

/* --- random tables --- */

static void random_table(uint64_t *rng, long *ext, size_t rows, size_t cols, int profile)
{
	size_t nc = cols + 1;
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < cols; j++) {
			long u = rng_below(rng, 100), v;
			if (profile == 0) /* mostly large, some small and zero */
				v = u < 15   ? 0
				    : u < 45 ? rng_below(rng, 7)
				             : 5 + rng_below(rng, 60);
			else if (profile == 1) /* sparse and small: stresses fallbacks */
				v = u < 40 ? 0 : rng_below(rng, 9);
			else /* everything small */
				v = rng_below(rng, 4);
			ext[i * nc + j] = v;
		}
	assert_int_equal(suppress_fill_margins(ext, rows, cols), ERR_OK);
}

static void test_random_tables_unrecoverable(void **state)
{
	(void)state;
	uint64_t rng = 20240601;
	long ext[MAXE];
	enum suppress_mark m[MAXE];
	static const long thresholds[] = {3, 5, 10};
	int tables = 0, hidden = 0, entries = 0;
	for (int round = 0; round < 4000; round++) {
		size_t rows = 1 + (size_t)rng_below(&rng, MAXR - 1);
		size_t cols = 1 + (size_t)rng_below(&rng, MAXC - 1);
		random_table(&rng, ext, rows, cols, round % 3);
		struct suppress_opts o = {
		    .threshold = thresholds[rng_below(&rng, 3)],
		    .zero = (round / 3) % 2,
		    .totals = (round / 6) % 2,
		};
		assert_int_equal(suppress_table(ext, rows, cols, &o, m), ERR_OK);
		check_primary(ext, rows, cols, &o, m);
		attack(ext, rows, cols, m);
		size_t n = (rows + 1) * (cols + 1);
		for (size_t k = 0; k < n; k++)
			hidden += m[k] != SUPPRESS_NONE;
		entries += (int)n;
		tables++;
	}
	print_message("%d random tables, %d of %d entries hidden\n", tables, hidden, entries);
}

/* Caller-chosen primaries (whole rows whose total is small, as the survey
 * indicators do): kept, completed, and nothing can be recovered. */
static void test_complete_rows(void **state)
{
	(void)state;
	uint64_t rng = 424242;
	long ext[MAXE];
	enum suppress_mark m[MAXE];
	for (int round = 0; round < 2000; round++) {
		size_t rows = 1 + (size_t)rng_below(&rng, MAXR - 1);
		size_t cols = 1 + (size_t)rng_below(&rng, MAXC - 1);
		random_table(&rng, ext, rows, cols, round % 3);
		size_t nc = cols + 1;
		long limit = 5 + rng_below(&rng, 20);
		for (size_t k = 0; k < (rows + 1) * nc; k++)
			m[k] = SUPPRESS_NONE;
		for (size_t i = 0; i < rows; i++)
			if (ext[i * nc + cols] > 0 && ext[i * nc + cols] < limit)
				for (size_t j = 0; j <= cols; j++)
					m[i * nc + j] = SUPPRESS_PRIMARY;
		enum suppress_mark before[MAXE];
		memcpy(before, m, sizeof m);
		assert_int_equal(suppress_table_complete(ext, rows, cols, m), ERR_OK);
		for (size_t k = 0; k < (rows + 1) * nc; k++)
			if (before[k] == SUPPRESS_PRIMARY)
				assert_int_equal(m[k], SUPPRESS_PRIMARY);
		attack(ext, rows, cols, m);
	}
	/* bad marks and bad tables */
	long t[4] = {3, 3, 3, 3};
	enum suppress_mark bad[4] = {SUPPRESS_SECONDARY, 0, 0, 0};
	assert_int_equal(suppress_table_complete(t, 1, 1, bad), ERR_INVAL);
	t[3] = 4;
	bad[0] = SUPPRESS_NONE;
	assert_int_equal(suppress_table_complete(t, 1, 1, bad), ERR_INVAL);
}

/* Deterministic: the same table gives the same marks. */
static void test_deterministic(void **state)
{
	(void)state;
	uint64_t rng = 7;
	long ext[MAXE];
	enum suppress_mark a[MAXE], b[MAXE];
	struct suppress_opts o = {.threshold = 5, .totals = 1};
	for (int round = 0; round < 50; round++) {
		random_table(&rng, ext, 6, 6, round % 3);
		assert_int_equal(suppress_table(ext, 6, 6, &o, a), ERR_OK);
		assert_int_equal(suppress_table(ext, 6, 6, &o, b), ERR_OK);
		assert_memory_equal(a, b, sizeof a[0] * 49);
	}
}

/* A larger table runs and stays safe by the cheap attacks. */
static void test_large_table(void **state)
{
	(void)state;
	enum { R = 40, C = 25 };
	static long ext[(R + 1) * (C + 1)];
	static enum suppress_mark m[(R + 1) * (C + 1)];
	uint64_t rng = 99;
	for (size_t i = 0; i < R; i++)
		for (size_t j = 0; j < C; j++)
			ext[i * (C + 1) + j] =
			    rng_below(&rng, 4) ? 5 + rng_below(&rng, 50) : rng_below(&rng, 5);
	assert_int_equal(suppress_fill_margins(ext, R, C), ERR_OK);
	struct suppress_opts o = {.threshold = 5, .totals = 1};
	assert_int_equal(suppress_table(ext, R, C, &o, m), ERR_OK);
	check_primary(ext, R, C, &o, m);
	/* every line has 0 or >= 2 hidden entries */
	for (size_t i = 0; i <= R; i++) {
		int n = 0;
		for (size_t j = 0; j <= C; j++)
			n += m[i * (C + 1) + j] != SUPPRESS_NONE;
		assert_true(n != 1);
	}
	for (size_t j = 0; j <= C; j++) {
		int n = 0;
		for (size_t i = 0; i <= R; i++)
			n += m[i * (C + 1) + j] != SUPPRESS_NONE;
		assert_true(n != 1);
	}
}

/* --- the 1-D case --- */

/* Attacks a list: the one equation sum(cells) = total, as a 1 x n system. */
static void attack_list(const long *cells, size_t n, long total, const enum suppress_mark *m)
{
	static struct sys s;
	long value[MAXE];
	memset(&s, 0, sizeof s);
	s.nl = 1;
	for (size_t k = 0; k <= n; k++) {
		long coef = k < n ? 1 : -1;
		value[k] = k < n ? cells[k] : total;
		if (m[k] != SUPPRESS_NONE) {
			s.a[0][s.nv] = coef;
			s.hid[s.nv++] = (int)k;
		} else {
			s.b[0] -= coef * value[k];
		}
	}
	if (s.nv == 0)
		return;
	for (int how = BY_SUBTRACTION; how <= BY_BOUNDS; how++)
		if (recovered(&s, value, (enum method)how))
			fail_msg("attack %d recovers a hidden list entry", how);
}

static void test_list(void **state)
{
	(void)state;
	enum suppress_mark m[4];
	struct suppress_opts o = {.threshold = 5};
	long a[3] = {3, 40, 50};
	assert_int_equal(suppress_list(a, 3, 93, &o, m), ERR_OK);
	assert_int_equal(m[0], SUPPRESS_PRIMARY);
	assert_int_equal(m[1], SUPPRESS_SECONDARY); /* the smaller complement */
	assert_int_equal(m[2], SUPPRESS_NONE);
	assert_int_equal(m[3], SUPPRESS_NONE);

	long b[3] = {3, 4, 50}; /* two small cells protect each other */
	assert_int_equal(suppress_list(b, 3, 57, &o, m), ERR_OK);
	assert_int_equal(m[0], SUPPRESS_PRIMARY);
	assert_int_equal(m[1], SUPPRESS_PRIMARY);
	assert_int_equal(m[2], SUPPRESS_NONE);
	assert_int_equal(m[3], SUPPRESS_NONE);

	long c[2] = {1, 2}; /* a small total */
	o.totals = 1;
	assert_int_equal(suppress_list(c, 2, 3, &o, m), ERR_OK);
	assert_int_equal(m[0], SUPPRESS_PRIMARY);
	assert_int_equal(m[1], SUPPRESS_PRIMARY);
	assert_int_equal(m[2], SUPPRESS_PRIMARY);

	long d[3] = {0, 0, 50}; /* hidden zeros need a non-zero partner */
	o.zero = 1;
	o.totals = 0;
	assert_int_equal(suppress_list(d, 3, 50, &o, m), ERR_OK);
	assert_int_equal(m[2], SUPPRESS_SECONDARY);
	attack_list(d, 3, 50, m);

	long e[1] = {3}; /* a single cell equals its total */
	o.zero = 0;
	assert_int_equal(suppress_list(e, 1, 3, &o, m), ERR_OK);
	assert_int_equal(m[0], SUPPRESS_PRIMARY);
	assert_int_equal(m[1], SUPPRESS_SECONDARY);

	assert_int_equal(suppress_list(a, 3, 94, &o, m), ERR_INVAL);
	assert_int_equal(suppress_list(a, 0, 0, &o, m), ERR_INVAL);
	long neg[2] = {-1, 1};
	assert_int_equal(suppress_list(neg, 2, 0, &o, m), ERR_INVAL);
}

static void test_random_lists(void **state)
{
	(void)state;
	uint64_t rng = 4242;
	long cells[8];
	enum suppress_mark m[9];
	for (int round = 0; round < 3000; round++) {
		size_t n = 1 + (size_t)rng_below(&rng, 8);
		long total = 0;
		for (size_t k = 0; k < n; k++) {
			long u = rng_below(&rng, 10);
			cells[k] = u < 3 ? 0 : u < 6 ? rng_below(&rng, 6) : rng_below(&rng, 60);
			total += cells[k];
		}
		struct suppress_opts o = {
		    .threshold = 5, .zero = round % 2, .totals = (round / 2) % 2};
		assert_int_equal(suppress_list(cells, n, total, &o, m), ERR_OK);
		for (size_t k = 0; k <= n; k++) {
			long x = k < n ? cells[k] : total;
			int small = (x > 0 && x < 5) || (x == 0 && o.zero);
			assert_int_equal(m[k] == SUPPRESS_PRIMARY, small && (k < n || o.totals));
		}
		attack_list(cells, n, total, m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rectangle),
	    cmocka_unit_test(test_pair_in_row),
	    cmocka_unit_test(test_small_row_total),
	    cmocka_unit_test(test_lone_cell_row),
	    cmocka_unit_test(test_zeros),
	    cmocka_unit_test(test_nothing_small),
	    cmocka_unit_test(test_table_errors),
	    cmocka_unit_test(test_attacks_work),
	    cmocka_unit_test(test_random_tables_unrecoverable),
	    cmocka_unit_test(test_complete_rows),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_large_table),
	    cmocka_unit_test(test_list),
	    cmocka_unit_test(test_random_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
