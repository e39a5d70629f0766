#include "opinion/kmeans.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define KMEANS_UP   (1 + 1e-12) /* slack keeping the bounds conservative */
#define KMEANS_DOWN (1 - 1e-12) /* despite rounding */

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

/* Nearest live centre (lowest index on ties) and the distances to the
 * nearest and second nearest. */
static uint32_t kmeans_scan(const double *p, const double *c, const unsigned char *live, size_t k,
                            double *d1, double *d2)
{
	double b1 = INFINITY, b2 = INFINITY;
	uint32_t best = 0;
	for (size_t j = 0; j < k; j++) {
		if (!live[j])
			continue;
		double d = kmeans_d2(p, c + 2 * j);
		if (d < b1) {
			b2 = b1;
			b1 = d;
			best = (uint32_t)j;
		} else if (d < b2) {
			b2 = d;
		}
	}
	*d1 = sqrt(b1);
	*d2 = sqrt(b2);
	return best;
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

	for (km->iters = 1; kk && km->iters <= max_iters; km->iters++) {
		size_t changed = 0;
		if (km->iters == 1) {
			for (size_t i = 0; i < n; i++)
				a[i] = kmeans_scan(xy + 2 * i, c, live, kk, &up[i], &low[i]);
			changed = n;
		} else {
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
			for (size_t i = 0; i < n; i++) {
				double m = s[a[i]] > low[i] ? s[a[i]] : low[i];
				if (up[i] < m)
					continue;
				up[i] = sqrt(kmeans_d2(xy + 2 * i, c + 2 * a[i])) * KMEANS_UP;
				if (up[i] < m)
					continue;
				uint32_t b = kmeans_scan(xy + 2 * i, c, live, kk, &up[i], &low[i]);
				up[i] *= KMEANS_UP;
				low[i] *= KMEANS_DOWN;
				if (b != a[i]) {
					a[i] = b;
					changed++;
				}
			}
		}
		if (!changed) {
			km->converged = true;
			break;
		}
		/* Drop empty clusters, move the centres to the weighted means. */
		memset(sx, 0, (2 * kk + 2) * sizeof *sx);
		memset(sw, 0, (kk + 1) * sizeof *sw);
		memset(cnt, 0, (kk + 1) * sizeof *cnt);
		for (size_t i = 0; i < n; i++) {
			double wi = w ? w[i] : 1;
			sx[2 * a[i]] += wi * xy[2 * i];
			sx[2 * a[i] + 1] += wi * xy[2 * i + 1];
			sw[a[i]] += wi;
			cnt[a[i]]++;
		}
		double dmax1 = 0, dmax2 = 0;
		size_t jmax = 0;
		for (size_t j = 0; j < kk; j++) {
			if (!live[j])
				continue;
			if (!cnt[j]) {
				live[j] = 0;
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
		for (size_t i = 0; i < n; i++) {
			up[i] = (up[i] + delta[a[i]]) * KMEANS_UP;
			low[i] = (low[i] - (a[i] == jmax ? dmax2 : dmax1)) * KMEANS_DOWN;
		}
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
