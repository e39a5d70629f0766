/* Unit tests for opinion/kmeans.c and opinion/cluster.c: deterministic
 * initialisation, the same result as plain Lloyd iterations, dropped
 * clusters, weights, silhouette, group selection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opinion/cluster.h"
#include "opinion/kmeans.h"

/* Plain Lloyd k-means with the documented rules, as the reference: first k
 * distinct points, nearest centre with ties to the lowest index, empty
 * clusters dropped, stop when no point moves or every centre moved less
 * than 0.01 (unless one was dropped). Returns the number of clusters. */
static size_t lloyd(const double *xy, const double *w, size_t n, size_t k, unsigned iters,
                    uint32_t *a, double *cout)
{
	double c[2 * 256];
	int live[256];
	size_t kk = 0;
	for (size_t i = 0; i < n && kk < k; i++) {
		int dup = 0;
		for (size_t j = 0; j < kk; j++)
			dup |= c[2 * j] == xy[2 * i] && c[2 * j + 1] == xy[2 * i + 1];
		if (!dup) {
			c[2 * kk] = xy[2 * i];
			c[2 * kk + 1] = xy[2 * i + 1];
			live[kk++] = 1;
		}
	}
	for (unsigned it = 1; it <= iters; it++) {
		size_t changed = 0;
		for (size_t i = 0; i < n; i++) {
			double best = INFINITY;
			uint32_t bj = 0;
			for (size_t j = 0; j < kk; j++) {
				if (!live[j])
					continue;
				double dx = xy[2 * i] - c[2 * j], dy = xy[2 * i + 1] - c[2 * j + 1];
				double d = dx * dx + dy * dy;
				if (d < best) {
					best = d;
					bj = (uint32_t)j;
				}
			}
			if (it == 1 || bj != a[i])
				changed++;
			a[i] = bj;
		}
		if (!changed)
			break;
		double sx[2 * 256] = {0}, sw[256] = {0};
		size_t cnt[256] = {0};
		for (size_t i = 0; i < n; i++) {
			double wi = w ? w[i] : 1;
			sx[2 * a[i]] += wi * xy[2 * i];
			sx[2 * a[i] + 1] += wi * xy[2 * i + 1];
			sw[a[i]] += wi;
			cnt[a[i]]++;
		}
		double dmax = 0;
		int dropped = 0;
		for (size_t j = 0; j < kk; j++) {
			if (!live[j])
				continue;
			if (!cnt[j]) {
				live[j] = 0;
				dropped = 1;
				continue;
			}
			double nx = sx[2 * j] / sw[j], ny = sx[2 * j + 1] / sw[j];
			double d = sqrt((nx - c[2 * j]) * (nx - c[2 * j]) +
			                (ny - c[2 * j + 1]) * (ny - c[2 * j + 1]));
			dmax = d > dmax ? d : dmax;
			c[2 * j] = nx;
			c[2 * j + 1] = ny;
		}
		if (!dropped && dmax < 0.01)
			break;
	}
	uint32_t map[256];
	size_t m = 0;
	for (size_t j = 0; j < kk; j++) {
		int used = 0;
		for (size_t i = 0; i < n && !used; i++)
			used = a[i] == j;
		if (!used)
			continue;
		map[j] = (uint32_t)m;
		cout[2 * m] = c[2 * j];
		cout[2 * m + 1] = c[2 * j + 1];
		m++;
	}
	for (size_t i = 0; i < n; i++)
		a[i] = map[a[i]];
	return m;
}

static uint64_t rng = 12345;

static double unif(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static void blobs(double *xy, size_t n)
{
	const double cx[5] = {-2, 1.5, 0, 2, -1}, cy[5] = {0, 1, -2, -1.5, 2};
	for (size_t i = 0; i < n; i++) {
		size_t b = (size_t)(unif() * 5);
		/* a few exact duplicates, as Polis projections often have */
		if (i > 10 && unif() < 0.05) {
			size_t j = (size_t)(unif() * (double)i);
			xy[2 * i] = xy[2 * j];
			xy[2 * i + 1] = xy[2 * j + 1];
			continue;
		}
		xy[2 * i] = cx[b] + (unif() + unif() + unif() - 1.5);
		xy[2 * i + 1] = cy[b] + (unif() + unif() + unif() - 1.5);
	}
}

static void test_same_as_lloyd(void **state)
{
	(void)state;
	enum { N = 3000 };
	double *xy = malloc(2 * N * sizeof *xy), c[2 * 256];
	uint32_t *a = malloc(N * sizeof *a);
	blobs(xy, N);
	size_t sizes[] = {2, 5, 37, 100};
	for (size_t t = 0; t < 4; t++) {
		size_t k = lloyd(xy, NULL, N, sizes[t], 100, a, c);
		struct kmeans km;
		assert_int_equal(kmeans_run(&km, xy, NULL, N, sizes[t], 100), ERR_OK);
		assert_int_equal(km.k, k);
		assert_memory_equal(km.assign, a, N * sizeof *a);
		assert_memory_equal(km.center, c, 2 * k * sizeof *c);
		size_t total = 0;
		for (size_t j = 0; j < km.k; j++)
			total += km.size[j];
		assert_int_equal(total, N);
		kmeans_clear(&km);
	}
	free(xy);
	free(a);
}

static void test_weighted_same_as_lloyd(void **state)
{
	(void)state;
	enum { N = 100 };
	double xy[2 * N], w[N], c[2 * 256];
	uint32_t a[N];
	blobs(xy, N);
	for (size_t i = 0; i < N; i++)
		w[i] = 1 + (double)(i % 7);
	for (size_t k = 2; k <= 5; k++) {
		size_t kk = lloyd(xy, w, N, k, 100, a, c);
		struct kmeans km;
		kmeans_run(&km, xy, w, N, k, 100);
		assert_int_equal(km.k, kk);
		assert_memory_equal(km.assign, a, sizeof a);
		assert_memory_equal(km.center, c, 2 * kk * sizeof *c);
		kmeans_clear(&km);
	}
}

static void test_init_and_shrinking(void **state)
{
	(void)state;
	/* 6 points, 3 distinct positions: k = 5 gives 3 clusters, ids in
	 * order of first appearance, deterministic */
	double xy[] = {1, 1, 1, 1, 5, 5, -0.0, 0, 0, 0, 5, 5};
	struct kmeans km;
	kmeans_run(&km, xy, NULL, 6, 5, 100);
	assert_int_equal(km.k, 3);
	uint32_t expect[] = {0, 0, 1, 2, 2, 1};
	assert_memory_equal(km.assign, expect, sizeof expect);
	assert_int_equal(km.id[2], 2);
	assert_int_equal(km.size[0], 2);
	assert_true(km.converged);
	kmeans_clear(&km);
	/* a cluster that empties is dropped: point order makes centre 1 (the
	 * second point) lose its only member to centre 0 after one step */
	double xy2[] = {0, 0, 0.4, 0, 10, 0, 10.2, 0, -1, 0};
	kmeans_run(&km, xy2, NULL, 5, 4, 100);
	assert_true(km.k <= 4);
	for (size_t j = 0; j < km.k; j++)
		assert_true(km.size[j] > 0);
	kmeans_clear(&km);
	kmeans_run(&km, NULL, NULL, 0, 3, 100);
	assert_int_equal(km.k, 0);
	kmeans_clear(&km);
}

static void test_silhouette_known(void **state)
{
	(void)state;
	double xy[] = {0, 0, 0, 1, 10, 0, 10, 1};
	uint32_t a[] = {0, 0, 1, 1};
	/* every point: a = 1, b = (10 + sqrt(101)) / 2 */
	double b = (10 + sqrt(101)) / 2, s = (b - 1) / b;
	assert_true(fabs(kmeans_silhouette(xy, 4, a, 2) - s) < 1e-15);
	/* singletons score 0; the pair: a = 1, b = 10 (the nearer singleton) */
	uint32_t a2[] = {0, 0, 1, 2};
	assert_true(fabs(kmeans_silhouette(xy, 4, a2, 3) - 2 * 0.9 / 4) < 1e-15);
	/* one cluster: 0 */
	uint32_t a3[] = {0, 0, 0, 0};
	assert_true(kmeans_silhouette(xy, 4, a3, 1) == 0);
}

static void test_cluster_levels(void **state)
{
	(void)state;
	enum { N = 2000 };
	double *xy = malloc(2 * N * sizeof *xy);
	unsigned char *in = malloc(N);
	blobs(xy, N);
	for (size_t i = 0; i < N; i++)
		in[i] = i % 10 != 0; /* every 10th row is not in-conv */
	struct cluster cl = {0};
	cluster_base(&cl, xy, in, N);
	assert_int_equal(cl.nbase, 100);
	size_t members = 0;
	for (size_t b = 0; b < cl.nbase; b++) {
		if (b)
			assert_true(cl.base_id[b] > cl.base_id[b - 1]);
		double sx = 0, sy = 0;
		for (size_t i = cl.base_off[b]; i < cl.base_off[b + 1]; i++) {
			assert_true(in[cl.base_rows[i]]);
			assert_int_equal(cl.row_base[cl.base_rows[i]], (int32_t)b);
			sx += xy[2 * cl.base_rows[i]];
			sy += xy[2 * cl.base_rows[i] + 1];
		}
		size_t n = cl.base_off[b + 1] - cl.base_off[b];
		members += n;
		assert_true(fabs(cl.base_xy[2 * b] - sx / (double)n) < 1e-12);
		assert_true(fabs(cl.base_xy[2 * b + 1] - sy / (double)n) < 1e-12);
	}
	assert_int_equal(members, N - N / 10);
	cluster_groups(&cl);
	assert_int_equal(cl.kmax, 5);
	/* the chosen k has the best silhouette; five blobs here */
	size_t best = 2;
	for (size_t k = 3; k <= cl.kmax; k++)
		if (cl.silhouette[k] >= cl.silhouette[best])
			best = k;
	assert_int_equal(cl.ngroups, best);
	size_t total = 0;
	for (size_t g = 0; g < cl.ngroups; g++)
		total += cl.group_size[g];
	assert_int_equal(total, members);
	assert_int_equal(cl.row_group[0], -1);

	/* given groups: two groups, base clusters split by id parity */
	int32_t ids[] = {7, 3};
	int32_t *of = malloc(cl.nbase * sizeof *of);
	for (size_t b = 0; b < cl.nbase; b++)
		of[b] = cl.base_id[b] % 2 ? 0 : 1;
	cluster_set_groups(&cl, 2, ids, of);
	assert_int_equal(cl.ngroups, 2);
	assert_int_equal(cl.group_id[0], 3); /* sorted by id */
	assert_int_equal(cl.base_group[0], cl.base_id[0] % 2 ? 1 : 0);
	free(of);
	cluster_clear(&cl);
	free(xy);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_as_lloyd),
	    cmocka_unit_test(test_weighted_same_as_lloyd),
	    cmocka_unit_test(test_init_and_shrinking),
	    cmocka_unit_test(test_silhouette_known),
	    cmocka_unit_test(test_cluster_levels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
