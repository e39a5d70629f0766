/* Unit tests for opinion/pca.c: a matrix with a known answer, agreement
 * with a dense reference computation, moderated-out columns, the sparsity-
 * aware projection, the sign rule and determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "opinion/matrix.h"
#include "opinion/pca.h"

static void build(struct matrix *m, const struct matrix_vote *v, size_t n)
{
	assert_int_equal(matrix_build(m, v, n, NULL), ERR_OK);
}

static void test_rank_one_known_answer(void **state)
{
	(void)state;
	/* Two statements; everyone who agrees with one disagrees with the
	 * other. Centre 0, C^T C = [[4,-4],[-4,4]]: comp1 = (1,-1)/sqrt(2) with
	 * eigenvalue 8, no second component. */
	struct matrix_vote v[] = {
	    {1, 0, 0, -1}, {2, 0, 1, 1}, {3, 1, 0, 1}, {4, 1, 1, -1},
	    {5, 2, 0, -1}, {6, 2, 1, 1}, {7, 3, 0, 1}, {8, 3, 1, -1},
	};
	struct matrix m;
	build(&m, v, 8);
	struct pca p;
	assert_int_equal(pca_fit(&p, &m, NULL), ERR_OK);
	assert_true(p.converged);
	double r = sqrt(0.5);
	assert_true(fabs(p.center[0]) < 1e-15 && fabs(p.center[1]) < 1e-15);
	assert_true(fabs(p.comps[0] - r) < 1e-12);
	assert_true(fabs(p.comps[1] + r) < 1e-12);
	assert_true(p.comps[2] == 0 && p.comps[3] == 0);
	assert_true(fabs(p.eigval[0] - 8) < 1e-9);
	/* comment projection: (-1 - 0) * comp * sqrt(2) */
	assert_true(fabs(p.cproj[0] + 1) < 1e-12);
	assert_true(fabs(p.cproj[1] - 1) < 1e-12);
	assert_true(fabs(p.extremity[0] - 1) < 1e-12);
	double xy[8];
	pca_project(&p, &m, xy);
	assert_true(fabs(xy[0] + sqrt(2)) < 1e-12); /* row 0: -1*r + 1*(-r) */
	assert_true(fabs(xy[2] - sqrt(2)) < 1e-12);
	assert_true(xy[1] == 0);
	pca_clear(&p);
	matrix_clear(&m);
}

/* Dense reference: the top eigenvector of a (n x n) by plain power
 * iteration, many times more iterations than needed. */
static double dense_top(const double *a, int n, double *v)
{
	double w[16], lam = 0;
	for (int i = 0; i < n; i++)
		v[i] = 1.0 + 0.1 * i;
	for (int it = 0; it < 20000; it++) {
		double nrm = 0;
		for (int i = 0; i < n; i++) {
			w[i] = 0;
			for (int j = 0; j < n; j++)
				w[i] += a[i * n + j] * v[j];
			nrm += w[i] * w[i];
		}
		lam = sqrt(nrm);
		for (int i = 0; i < n; i++)
			v[i] = w[i] / lam;
	}
	return lam;
}

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

static void test_matches_dense_reference(void **state)
{
	(void)state;
	enum { NP = 40, NS = 8 };
	struct matrix_vote v[NP * NS];
	size_t n = 0;
	uint64_t seed = 42;
	double x[NP][NS];
	int have[NP][NS];
	memset(have, 0, sizeof have);
	for (int p = 0; p < NP; p++) {
		for (int s = 0; s < NS; s++) {
			if (lcg(&seed) % 10 < 3)
				continue; /* missing */
			/* two opinion camps plus noise */
			int camp = p % 2, r = (int)(lcg(&seed) % 10);
			int vote = r < 2 ? 0 : ((s < 4) == camp) == (r < 8) ? -1 : 1;
			v[n++] = (struct matrix_vote){(int64_t)n, p, s, (int8_t)vote};
			x[p][s] = vote;
			have[p][s] = 1;
		}
	}
	struct matrix m;
	build(&m, v, n);
	assert_int_equal(m.ncols, NS);
	struct pca p;
	pca_fit(&p, &m, NULL);
	assert_true(p.converged);

	/* reference: centre, dense centred matrix (0 where missing), C^T C */
	double mean[NS], a[NS * NS];
	for (int s = 0; s < NS; s++) {
		double sum = 0;
		int cnt = 0;
		for (int q = 0; q < NP; q++)
			if (have[q][s]) {
				sum += x[q][s];
				cnt++;
			}
		mean[s] = sum / cnt;
		long c = matrix_col(&m, s);
		assert_true(fabs(p.center[c] - mean[s]) < 1e-15);
	}
	for (int i = 0; i < NS; i++)
		for (int j = 0; j < NS; j++) {
			a[i * NS + j] = 0;
			for (int q = 0; q < NP; q++)
				if (have[q][i] && have[q][j])
					a[i * NS + j] += (x[q][i] - mean[i]) * (x[q][j] - mean[j]);
		}
	double v1[NS], v2[NS];
	double l1 = dense_top(a, NS, v1);
	for (int i = 0; i < NS; i++) /* deflate */
		for (int j = 0; j < NS; j++)
			a[i * NS + j] -= l1 * v1[i] * v1[j];
	double l2 = dense_top(a, NS, v2);
	assert_true(fabs(p.eigval[0] - l1) < 1e-9 * l1);
	assert_true(fabs(p.eigval[1] - l2) < 1e-9 * l1);
	const double *ref[2] = {v1, v2};
	for (int k = 0; k < 2; k++) {
		double dot = 0, nrm = 0;
		for (int s = 0; s < NS; s++) {
			dot += p.comps[k * NS + matrix_col(&m, s)] * ref[k][s];
			nrm += p.comps[k * NS + s] * p.comps[k * NS + s];
		}
		assert_true(fabs(nrm - 1) < 1e-12);
		double sg = dot < 0 ? -1 : 1;
		for (int s = 0; s < NS; s++)
			assert_true(fabs(sg * p.comps[k * NS + matrix_col(&m, s)] - ref[k][s]) <
			            1e-8);
		/* sign rule: the entry of largest magnitude is positive */
		int big = 0;
		for (int s = 1; s < NS; s++)
			if (fabs(p.comps[k * NS + s]) > fabs(p.comps[k * NS + big]))
				big = s;
		assert_true(p.comps[k * NS + big] > 0);
	}
	/* orthogonal components */
	double dot = 0;
	for (int s = 0; s < NS; s++)
		dot += p.comps[s] * p.comps[NS + s];
	assert_true(fabs(dot) < 1e-12);

	/* deterministic, bit for bit */
	struct pca p2;
	pca_fit(&p2, &m, NULL);
	assert_memory_equal(p.comps, p2.comps, 2 * NS * sizeof(double));
	assert_int_equal(p.iters, p2.iters);
	pca_clear(&p2);
	pca_clear(&p);
	matrix_clear(&m);
}

static void test_moderated_out_column(void **state)
{
	(void)state;
	/* The rank-one example plus statement 2, moderated out, which only
	 * participant 0 voted on. */
	struct matrix_vote v[] = {
	    {1, 0, 0, -1}, {2, 0, 1, 1}, {3, 1, 0, 1},  {4, 1, 1, -1}, {5, 2, 0, -1},
	    {6, 2, 1, 1},  {7, 3, 0, 1}, {8, 3, 1, -1}, {9, 0, 2, 1},  {10, 4, 0, -1},
	};
	struct matrix m;
	build(&m, v, 10);
	int32_t out[] = {2};
	matrix_set_moderation(&m, out, 1, NULL, 0);
	struct pca p;
	pca_fit(&p, &m, NULL);
	assert_true(p.center[2] == 0);
	assert_true(p.comps[2] == 0 && p.comps[5] == 0);
	assert_true(p.cproj[2] == 0 && p.extremity[2] == 0);
	double xy[10];
	pca_project(&p, &m, xy);
	/* participant 4 voted once (-1 on statement 0); the zero-filled
	 * moderated-out column counts as a vote: scale sqrt(3 / (1 + 1)) */
	long r = matrix_row(&m, 4);
	double c0 = p.center[0];
	double expect = (-1 - c0) * p.comps[0] * sqrt(3.0 / 2.0);
	assert_true(fabs(xy[2 * r] - expect) < 1e-12);
	pca_clear(&p);
	matrix_clear(&m);
}

static void test_degenerate(void **state)
{
	(void)state;
	/* one column: no second component; one participant: C = 0 */
	struct matrix_vote one[] = {{1, 0, 0, -1}, {2, 1, 0, 1}, {3, 2, 0, 1}};
	struct matrix m;
	build(&m, one, 3);
	struct pca p;
	pca_fit(&p, &m, NULL);
	assert_true(fabs(p.comps[0] - 1) < 1e-12);
	assert_true(p.comps[1] == 0);
	pca_clear(&p);
	matrix_clear(&m);
	struct matrix_vote lone[] = {{1, 0, 0, -1}, {2, 0, 1, 1}};
	build(&m, lone, 2);
	pca_fit(&p, &m, NULL);
	assert_true(p.comps[0] == 0 && p.comps[1] == 0);
	pca_clear(&p);
	matrix_clear(&m);
	build(&m, NULL, 0);
	pca_fit(&p, &m, NULL);
	assert_int_equal(p.ncols, 0);
	pca_clear(&p);
	matrix_clear(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rank_one_known_answer),
	    cmocka_unit_test(test_matches_dense_reference),
	    cmocka_unit_test(test_moderated_out_column),
	    cmocka_unit_test(test_degenerate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
