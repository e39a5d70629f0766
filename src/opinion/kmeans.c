#include "opinion/kmeans.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define KMEANS_UP   (1 + 1e-12) /* slack keeping the bounds conservative */
#define KMEANS_DOWN (1 - 1e-12) /* despite rounding */
#define KMEANS_STOP 0.01        /* Polis same-clustering? threshold */

static uint64_t kmeans_bits(double x)
{
	uint64_t u;
	if (x == 0)
		x = 0; /* -0.0 equals 0.0 */
	memcpy(&u, &x, sizeof u);
	return u;
}

/* Indices of the first k distinct points, in data order; returns how many. */
static size_t kmeans_init(const double *xy, size_t n, size_t k, uint32_t *first)
{
	size_t cap = 64, found = 0;
	while (cap < 4 * k)
		cap *= 2;
	uint32_t *tab = xmalloc(cap * sizeof *tab);
	memset(tab, 0xff, cap * sizeof *tab);
	for (size_t i = 0; i < n && found < k; i++) {
		uint64_t h = kmeans_bits(xy[2 * i]) * 0x9e3779b97f4a7c15ull ^
		             kmeans_bits(xy[2 * i + 1]) * 0xc2b2ae3d27d4eb4full;
		size_t s = (size_t)(h >> 20) & (cap - 1);
		int dup = 0;
		while (tab[s] != UINT32_MAX) {
			uint32_t j = tab[s];
			if (xy[2 * j] == xy[2 * i] && xy[2 * j + 1] == xy[2 * i + 1]) {
				dup = 1;
				break;
			}
			s = (s + 1) & (cap - 1);
		}
		if (dup)
			continue;
		tab[s] = (uint32_t)i;
		first[found++] = (uint32_t)i;
	}
	free(tab);
	return found;
}

static double kmeans_d2(const double *a, const double *b)
{
	double dx = a[0] - b[0], dy = a[1] - b[1];
	return dx * dx + dy * dy;
}

/* The live centres sorted by x, so that a nearest-centre search can stop
 * once the x distance alone exceeds the second-best distance. */
struct kmeans_index {
	size_t m;
	double *x;    /* m: x of the i-th centre in x order */
	double *y;    /* m */
	uint32_t *id; /* m: its index in the centre array */
};

static const double *kmeans_sort_x;

static int kmeans_x_cmp(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	double xi = kmeans_sort_x[2 * i], xj = kmeans_sort_x[2 * j];
	if (xi != xj)
		return xi < xj ? -1 : 1;
	return (i > j) - (i < j);
}

static void kmeans_index_build(struct kmeans_index *ix, const double *c, const unsigned char *live,
                               size_t k)
{
	ix->m = 0;
	for (size_t j = 0; j < k; j++)
		if (live[j])
			ix->id[ix->m++] = (uint32_t)j;
	kmeans_sort_x = c;
	qsort(ix->id, ix->m, sizeof *ix->id, kmeans_x_cmp);
	kmeans_sort_x = NULL;
	for (size_t i = 0; i < ix->m; i++) {
		ix->x[i] = c[2 * ix->id[i]];
		ix->y[i] = c[2 * ix->id[i] + 1];
	}
}

/* Keeps the nearest (ties: lowest index) and second nearest of the
 * centres offered to it. */
struct kmeans_best {
	double b1, b2; /* squared distances */
	uint32_t j1, j2;
};

static void kmeans_offer(struct kmeans_best *kb, double d, uint32_t j)
{
	if (d < kb->b1 || (d == kb->b1 && j < kb->j1)) {
		kb->b2 = kb->b1;
		kb->j2 = kb->j1;
		kb->b1 = d;
		kb->j1 = j;
	} else if (d < kb->b2) {
		kb->b2 = d;
		kb->j2 = j;
	}
}

/* First index of the x-sorted centres with x >= v. */
static size_t kmeans_lower(const struct kmeans_index *ix, double v)
{
	size_t lo = 0, hi = ix->m;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->x[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Nearest and second nearest live centre of p: the same answer as a scan of
 * every centre. Walks outwards in x order from p and stops on each side
 * once the x distance alone exceeds the second-best distance. */
static void kmeans_scan(const double *p, const struct kmeans_index *ix, struct kmeans_best *kb)
{
	kb->b1 = kb->b2 = INFINITY;
	kb->j1 = kb->j2 = 0;
	size_t mid = kmeans_lower(ix, p[0]);
	for (size_t i = mid; i < ix->m; i++) {
		double dx = ix->x[i] - p[0], dy = ix->y[i] - p[1];
		if (dx * dx > kb->b2)
			break;
		kmeans_offer(kb, dx * dx + dy * dy, ix->id[i]);
	}
	for (size_t i = mid; i-- > 0;) {
		double dx = ix->x[i] - p[0], dy = ix->y[i] - p[1];
		if (dx * dx > kb->b2)
			break;
		kmeans_offer(kb, dx * dx + dy * dy, ix->id[i]);
	}
}

/* The same, knowing that the two nearest are within sqrt(r2) of p (two
 * distinct live centres are): only the centres with |dx| <= sqrt(r2) can
 * be. */
static void kmeans_scan_within(const double *p, const struct kmeans_index *ix, double r2,
                               struct kmeans_best *kb)
{
	kb->b1 = kb->b2 = INFINITY;
	kb->j1 = kb->j2 = 0;
	double r = sqrt(r2) * KMEANS_UP + 1e-300;
	size_t lo = kmeans_lower(ix, p[0] - r);
	for (size_t i = lo; i < ix->m && ix->x[i] <= p[0] + r; i++) {
		double dx = ix->x[i] - p[0], dy = ix->y[i] - p[1];
		kmeans_offer(kb, dx * dx + dy * dy, ix->id[i]);
	}
}

enum err kmeans_run(struct kmeans *km, const double *xy, const double *w, size_t n, size_t k,
                    unsigned max_iters)
{
	memset(km, 0, sizeof *km);
	km->assign = xcalloc(n ? n : 1, sizeof *km->assign);
	uint32_t *first = xmalloc((k ? k : 1) * sizeof *first);
	size_t kk = n && k ? kmeans_init(xy, n, k, first) : 0;
	double *c = xcalloc(2 * kk + 2, sizeof *c);
	for (size_t j = 0; j < kk; j++) {
		c[2 * j] = xy[2 * first[j]];
		c[2 * j + 1] = xy[2 * first[j] + 1];
	}
	free(first);
	unsigned char *live = xmalloc(kk + 1);
	memset(live, 1, kk + 1);
	double *up = xmalloc((n ? n : 1) * sizeof *up);
	double *low = xmalloc((n ? n : 1) * sizeof *low);
	double *s = xmalloc((kk + 1) * sizeof *s);
	double *delta = xcalloc(kk + 1, sizeof *delta);
	double *sx = xmalloc((2 * kk + 2) * sizeof *sx);
	double *sw = xmalloc((kk + 1) * sizeof *sw);
	size_t *cnt = xmalloc((kk + 1) * sizeof *cnt);
	uint32_t *a = km->assign;
	uint32_t *sec = xmalloc((n ? n : 1) * sizeof *sec); /* second nearest at the last search */
	struct kmeans_index ix = {
	    .x = xmalloc((kk + 1) * sizeof *ix.x),
	    .y = xmalloc((kk + 1) * sizeof *ix.y),
	    .id = xmalloc((kk + 1) * sizeof *ix.id),
	};
	kmeans_index_build(&ix, c, live, kk);

	double dmax1 = 0, dmax2 = 0; /* largest and second largest move of a centre */
	size_t jmax = 0;             /* the centre that moved most */
	for (km->iters = 1; kk && km->iters <= max_iters; km->iters++) {
		size_t changed = 0;
		if (km->iters > 1) {
			/* Half the distance from each centre to its nearest other. */
			for (size_t j = 0; j < kk; j++) {
				if (!live[j])
					continue;
				double m = INFINITY;
				for (size_t l = 0; l < kk; l++)
					if (l != j && live[l]) {
						double d = kmeans_d2(c + 2 * j, c + 2 * l);
						if (d < m)
							m = d;
					}
				s[j] = sqrt(m) / 2 * KMEANS_DOWN;
			}
		}
		memset(sx, 0, (2 * kk + 2) * sizeof *sx);
		memset(sw, 0, (kk + 1) * sizeof *sw);
		memset(cnt, 0, (kk + 1) * sizeof *cnt);
		/* One pass: move the bounds by the last centre moves, skip the points
		 * whose bounds prove their centre is still strictly the nearest,
		 * search the others, and sum the members of each cluster. */
		for (size_t i = 0; i < n; i++) {
			const double *p = xy + 2 * i;
			struct kmeans_best kb;
			if (km->iters == 1) {
				kmeans_scan(p, &ix, &kb);
				a[i] = kb.j1;
				sec[i] = kb.j2;
				up[i] = sqrt(kb.b1);
				low[i] = sqrt(kb.b2);
				changed++;
			} else {
				up[i] = (up[i] + delta[a[i]]) * KMEANS_UP;
				low[i] = (low[i] - (a[i] == jmax ? dmax2 : dmax1)) * KMEANS_DOWN;
				double m = s[a[i]] > low[i] ? s[a[i]] : low[i];
				if (up[i] >= m) {
					double da = kmeans_d2(p, c + 2 * a[i]);
					up[i] = sqrt(da) * KMEANS_UP;
					if (up[i] >= m) {
						if (sec[i] != a[i] && live[sec[i]]) {
							double ds = kmeans_d2(p, c + 2 * sec[i]);
							kmeans_scan_within(p, &ix,
							                   da > ds ? da : ds, &kb);
						} else {
							kmeans_scan(p, &ix, &kb);
						}
						up[i] = sqrt(kb.b1) * KMEANS_UP;
						low[i] = sqrt(kb.b2) * KMEANS_DOWN;
						sec[i] = kb.j2;
						if (kb.j1 != a[i]) {
							a[i] = kb.j1;
							changed++;
						}
					}
				}
			}
			double wi = w ? w[i] : 1;
			sx[2 * a[i]] += wi * p[0];
			sx[2 * a[i] + 1] += wi * p[1];
			sw[a[i]] += wi;
			cnt[a[i]]++;
		}
		if (!changed) {
			km->converged = true;
			break;
		}
		/* Drop empty clusters, move the centres to the weighted means. */
		dmax1 = dmax2 = 0;
		jmax = 0;
		int dropped = 0;
		for (size_t j = 0; j < kk; j++) {
			delta[j] = 0;
			if (!live[j])
				continue;
			if (!cnt[j]) {
				live[j] = 0;
				dropped = 1;
				continue;
			}
			double nx = sx[2 * j] / sw[j], ny = sx[2 * j + 1] / sw[j];
			double dx = nx - c[2 * j], dy = ny - c[2 * j + 1];
			delta[j] = sqrt(dx * dx + dy * dy);
			c[2 * j] = nx;
			c[2 * j + 1] = ny;
			if (delta[j] > dmax1) {
				dmax2 = dmax1;
				dmax1 = delta[j];
				jmax = j;
			} else if (delta[j] > dmax2) {
				dmax2 = delta[j];
			}
		}
		if (!dropped && dmax1 < KMEANS_STOP) {
			km->converged = true;
			break;
		}
		kmeans_index_build(&ix, c, live, kk);
	}
	if (km->iters > max_iters)
		km->iters = max_iters;

	/* Compact the live clusters, keeping their initial order. */
	uint32_t *map = xmalloc((kk + 1) * sizeof *map);
	memset(cnt, 0, (kk + 1) * sizeof *cnt);
	memset(sw, 0, (kk + 1) * sizeof *sw);
	for (size_t i = 0; i < n && kk; i++) {
		cnt[a[i]]++;
		sw[a[i]] += w ? w[i] : 1;
	}
	km->id = xmalloc((kk + 1) * sizeof *km->id);
	km->center = xmalloc((2 * kk + 2) * sizeof *km->center);
	km->weight = xmalloc((kk + 1) * sizeof *km->weight);
	km->size = xmalloc((kk + 1) * sizeof *km->size);
	for (size_t j = 0; j < kk; j++) {
		if (!cnt[j])
			continue;
		map[j] = (uint32_t)km->k;
		km->id[km->k] = (uint32_t)j;
		km->center[2 * km->k] = c[2 * j];
		km->center[2 * km->k + 1] = c[2 * j + 1];
		km->weight[km->k] = sw[j];
		km->size[km->k] = cnt[j];
		km->k++;
	}
	for (size_t i = 0; i < n && kk; i++)
		a[i] = map[a[i]];
	free(map);
	free(sec);
	free(ix.x);
	free(ix.y);
	free(ix.id);
	free(c);
	free(live);
	free(up);
	free(low);
	free(s);
	free(delta);
	free(sx);
	free(sw);
	free(cnt);
	return ERR_OK;
}

double kmeans_silhouette(const double *xy, size_t n, const uint32_t *assign, size_t k)
{
	if (!n || !k)
		return 0;
	double *sum = xmalloc(k * sizeof *sum);
	size_t *size = xcalloc(k, sizeof *size);
	for (size_t i = 0; i < n; i++)
		size[assign[i]]++;
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		if (size[assign[i]] == 1)
			continue; /* a singleton scores 0 */
		memset(sum, 0, k * sizeof *sum);
		for (size_t j = 0; j < n; j++)
			if (j != i)
				sum[assign[j]] += sqrt(kmeans_d2(xy + 2 * i, xy + 2 * j));
		double a = sum[assign[i]] / (double)(size[assign[i]] - 1), b = INFINITY;
		for (size_t c = 0; c < k; c++) {
			if (c == assign[i] || !size[c])
				continue;
			double m = sum[c] / (double)size[c];
			if (m < b)
				b = m;
		}
		if (b == INFINITY)
			continue; /* one cluster only */
		double mx = a > b ? a : b;
		if (mx > 0)
			total += (b - a) / mx;
	}
	free(sum);
	free(size);
	return total / (double)n;
}

void kmeans_clear(struct kmeans *km)
{
	free(km->id);
	free(km->center);
	free(km->weight);
	free(km->size);
	free(km->assign);
	memset(km, 0, sizeof *km);
}
