#include "opinion/pca.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define B          PCA_BLOCK
#define PCA_PLAIN  1 /* plain power steps before the Chebyshev filter */
#define PCA_DEGREE 8 /* highest degree of the filter */

/* Cyclic Jacobi eigen-decomposition of the symmetric n x n matrix a (row
 * major, destroyed). Eigenvalues to w, eigenvectors to the columns of u,
 * sorted by decreasing eigenvalue (stable). */
static void pca_jacobi(double *a, int n, double *w, double *u)
{
	double v[B * B];
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			v[i * n + j] = i == j;
	for (int sweep = 0; sweep < 100; sweep++) {
		double off = 0, diag = 0;
		for (int i = 0; i < n; i++) {
			diag += a[i * n + i] * a[i * n + i];
			for (int j = i + 1; j < n; j++)
				off += a[i * n + j] * a[i * n + j];
		}
		if (off <= 1e-34 * diag || off == 0)
			break;
		for (int p = 0; p < n; p++) {
			for (int q = p + 1; q < n; q++) {
				double apq = a[p * n + q];
				if (apq == 0)
					continue;
				double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
				double t =
				    (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
				double c = 1 / sqrt(t * t + 1), s = t * c;
				for (int k = 0; k < n; k++) {
					double akp = a[k * n + p], akq = a[k * n + q];
					a[k * n + p] = c * akp - s * akq;
					a[k * n + q] = s * akp + c * akq;
				}
				for (int k = 0; k < n; k++) {
					double apk = a[p * n + k], aqk = a[q * n + k];
					a[p * n + k] = c * apk - s * aqk;
					a[q * n + k] = s * apk + c * aqk;
				}
				for (int k = 0; k < n; k++) {
					double vkp = v[k * n + p], vkq = v[k * n + q];
					v[k * n + p] = c * vkp - s * vkq;
					v[k * n + q] = s * vkp + c * vkq;
				}
			}
		}
	}
	int idx[B];
	for (int i = 0; i < n; i++)
		idx[i] = i;
	for (int i = 1; i < n; i++) {
		int x = idx[i], j = i;
		while (j > 0 && a[idx[j - 1] * n + idx[j - 1]] < a[x * n + x]) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = x;
	}
	for (int i = 0; i < n; i++) {
		w[i] = a[idx[i] * n + idx[i]];
		for (int k = 0; k < n; k++)
			u[k * n + i] = v[k * n + idx[i]];
	}
}

/* Deterministic pseudo-random numbers in [-1, 1) (xorshift64*). */
static double pca_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	uint64_t x = *s * 0x2545f4914f6cdd1dull;
	return (double)(x >> 11) / 4503599627370496.0 - 1.0;
}

/* Orthonormalises the b columns of the d x B row-major block q (modified
 * Gram-Schmidt, twice). A column that vanishes is replaced by a fresh
 * pseudo-random one. */
static void pca_orth(double *q, size_t d, int b, uint64_t *seed)
{
	for (int i = 0; i < b; i++) {
		for (int attempt = 0; attempt < 4; attempt++) {
			double before = 0;
			for (size_t j = 0; j < d; j++)
				before += q[j * B + i] * q[j * B + i];
			for (int pass = 0; pass < 2; pass++) {
				for (int k = 0; k < i; k++) {
					double dot = 0;
					for (size_t j = 0; j < d; j++)
						dot += q[j * B + i] * q[j * B + k];
					for (size_t j = 0; j < d; j++)
						q[j * B + i] -= dot * q[j * B + k];
				}
			}
			double nrm = 0;
			for (size_t j = 0; j < d; j++)
				nrm += q[j * B + i] * q[j * B + i];
			if (nrm > 1e-24 * before && nrm > 0) {
				nrm = 1 / sqrt(nrm);
				for (size_t j = 0; j < d; j++)
					q[j * B + i] *= nrm;
				break;
			}
			for (size_t j = 0; j < d; j++)
				q[j * B + i] = pca_rand(seed);
		}
	}
}

/* Per column, one cache line: the current block row (4 doubles) and the
 * centred value of each vote (-1, 0, +1), so that a cell costs one gather. */
#define PCA_REC 8
#define PCA_CV  (B + 1) /* record offset of the centred value of vote 0 */

/* w = C^T C q for the block q (d x B, row major); rec holds the centred
 * values (rec[PCA_REC * c + PCA_CV + vote]) and receives q. One sweep over
 * the sparse rows. */
static void pca_matvec(const struct matrix *m, double *rec, const double *q, double *w)
{
	for (size_t c = 0; c < m->ncols; c++)
		memcpy(rec + PCA_REC * c, q + B * c, B * sizeof *q);
	memset(w, 0, m->ncols * B * sizeof *w);
	for (size_t r = 0; r < m->nrows; r++) {
		size_t lo = m->rowptr[r], hi = m->rowptr[r + 1];
		double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
		for (size_t k = lo; k < hi; k++) {
			const double *rc = rec + PCA_REC * (size_t)m->cols[k];
			double x = rc[PCA_CV + m->vals[k]];
			t0 += x * rc[0];
			t1 += x * rc[1];
			t2 += x * rc[2];
			t3 += x * rc[3];
		}
		for (size_t k = lo; k < hi; k++) {
			uint32_t c = m->cols[k];
			double x = rec[PCA_REC * c + PCA_CV + m->vals[k]];
			double *wc = w + (size_t)c * B;
			wc[0] += x * t0;
			wc[1] += x * t1;
			wc[2] += x * t2;
			wc[3] += x * t3;
		}
	}
}

/* Replaces the block q by T_deg(L(C^T C)) q, where T_deg is the Chebyshev
 * polynomial and L(x) = 2x/e - 1 maps [0, e] onto [-1, 1]: eigenvalues
 * below e are damped (|T| <= 1) and those above grow like cosh(deg *
 * acosh(L(lambda))), far faster than lambda^deg. y and w are scratch
 * blocks. deg matrix-block products. */
static void pca_chebyshev(const struct matrix *m, double *tab, double *q, double *y, double *w,
                          int deg, double e)
{
	size_t n = m->ncols * B;
	memcpy(y, q, n * sizeof *y);
	pca_matvec(m, tab, q, w);
	for (size_t j = 0; j < n; j++)
		q[j] = 2 / e * w[j] - y[j];
	for (int k = 1; k < deg; k++) {
		pca_matvec(m, tab, q, w);
		for (size_t j = 0; j < n; j++) {
			double t = 4 / e * w[j] - 2 * q[j] - y[j];
			y[j] = q[j];
			q[j] = t;
		}
	}
}

static void pca_fix_sign(double *v, size_t d)
{
	size_t best = 0;
	for (size_t j = 1; j < d; j++)
		if (fabs(v[j]) > fabs(v[best]))
			best = j;
	if (d && v[best] < 0)
		for (size_t j = 0; j < d; j++)
			v[j] = -v[j];
}

static void pca_alloc(struct pca *p, size_t d)
{
	memset(p, 0, sizeof *p);
	p->ncols = d;
	size_t n = d ? d : 1;
	p->center = xcalloc(n, sizeof *p->center);
	p->comps = xcalloc(PCA_COMPS * n, sizeof *p->comps);
	p->cproj = xcalloc(PCA_COMPS * n, sizeof *p->cproj);
	p->extremity = xcalloc(n, sizeof *p->extremity);
}

/* Runs the block iteration; leaves the top PCA_COMPS Ritz vectors in
 * p->comps. */
static void pca_iterate(struct pca *p, const struct matrix *m, double *tab,
                        const struct pca_opts *o)
{
	size_t d = m->ncols;
	int b = d < B ? (int)d : B;
	double *q = xcalloc(d * B, sizeof *q);
	double *w = xcalloc(d * B, sizeof *w);
	double *x = xcalloc(d * B, sizeof *x);
	double *y = xcalloc(d * B, sizeof *y);
	double *prev = xcalloc(d * PCA_COMPS, sizeof *prev);
	uint64_t seed = 0x853c49e6748fea9bull;
	for (size_t j = 0; j < d; j++) {
		q[j * B] = 1;
		for (int i = 1; i < b; i++)
			q[j * B + i] = pca_rand(&seed);
	}
	pca_orth(q, d, b, &seed);
	double lam[B] = {0};
	unsigned steps = 0, steps0 = 0, steps1 = 0;
	double delta0 = 0, delta1 = 0; /* the last two changes, after steps0 and steps1 */
	for (unsigned round = 1; steps < o->max_iters; round++) {
		/* Once the Ritz values tell where the unwanted spectrum ends (at
		 * most the smallest one, lam[b-1]), damp it with a Chebyshev
		 * filter; the degree keeps the growth of the block below 1e8. */
		if (round > PCA_PLAIN && b == B && lam[b - 1] > 0 && lam[0] > 1.001 * lam[b - 1]) {
			double e = lam[b - 1], t = 2 * lam[0] / e - 1;
			int deg = (int)(log(2e8) / acosh(t));
			deg = deg < 1 ? 1 : deg > PCA_DEGREE ? PCA_DEGREE : deg;
			/* Near the end, no higher than the observed rate of
			 * convergence says is needed to reach the tolerance. */
			if (delta1 > 0 && delta0 > delta1 && steps1 > steps0) {
				double rate = log(delta1 / delta0) / (double)(steps1 - steps0);
				double need = ceil(log(o->tol / delta1) / rate);
				if (need < deg)
					deg = need < 1 ? 1 : (int)need;
			}
			if (steps + (unsigned)deg + 1 > o->max_iters)
				deg = (int)(o->max_iters - steps - 1);
			if (deg > 0) {
				pca_chebyshev(m, tab, q, y, w, deg, e);
				steps += (unsigned)deg;
				pca_orth(q, d, b, &seed);
			}
		}
		pca_matvec(m, tab, q, w);
		steps++;
		double h[B * B], u[B * B];
		for (int i = 0; i < b; i++) {
			for (int k = i; k < b; k++) {
				double s = 0;
				for (size_t j = 0; j < d; j++)
					s += q[j * B + i] * w[j * B + k] +
					     q[j * B + k] * w[j * B + i];
				h[i * b + k] = h[k * b + i] = s / 2;
			}
		}
		pca_jacobi(h, b, lam, u);
		/* Ritz vectors x = q u; next block = orth(w u) = orth(A x). */
		double delta = 0;
		for (size_t j = 0; j < d; j++) {
			double xr[B] = {0}, wr[B] = {0};
			for (int i = 0; i < b; i++) {
				for (int k = 0; k < b; k++) {
					xr[i] += q[j * B + k] * u[k * b + i];
					wr[i] += w[j * B + k] * u[k * b + i];
				}
			}
			for (int i = 0; i < b; i++) {
				x[j * B + i] = xr[i];
				q[j * B + i] = wr[i];
			}
		}
		for (int i = 0; i < b && i < PCA_COMPS; i++) {
			double dot = 0;
			for (size_t j = 0; j < d; j++)
				dot += x[j * B + i] * prev[i * d + j];
			double s = dot < 0 ? -1 : 1;
			for (size_t j = 0; j < d; j++) {
				double diff = fabs(x[j * B + i] - s * prev[i * d + j]);
				if (diff > delta)
					delta = diff;
				prev[i * d + j] = x[j * B + i];
			}
		}
		delta0 = delta1;
		steps0 = steps1;
		delta1 = delta;
		steps1 = steps;
		if (round > 1 && delta < o->tol) {
			p->converged = true;
			break;
		}
		pca_orth(q, d, b, &seed);
	}
	p->iters = steps;
	for (int i = 0; i < b && i < PCA_COMPS; i++) {
		p->eigval[i] = lam[i];
		/* A numerically zero eigenvalue has no meaningful direction. */
		if (!(lam[i] > 1e-10 * lam[0]) || lam[0] <= 0)
			continue;
		for (size_t j = 0; j < d; j++)
			p->comps[i * d + j] = prev[i * d + j];
		pca_fix_sign(p->comps + i * d, d);
	}
	free(q);
	free(w);
	free(x);
	free(y);
	free(prev);
}

enum err pca_fit(struct pca *p, const struct matrix *m, const struct pca_opts *opts)
{
	struct pca_opts o = {1000, 1e-11};
	if (opts) {
		if (opts->max_iters)
			o.max_iters = opts->max_iters;
		if (opts->tol > 0)
			o.tol = opts->tol;
	}
	size_t d = m->ncols;
	pca_alloc(p, d);
	double *sum = xcalloc(d + 1, sizeof *sum);
	size_t *cnt = xcalloc(d + 1, sizeof *cnt);
	for (size_t k = 0; k < m->nnz; k++) {
		sum[m->cols[k]] += m->vals[k];
		cnt[m->cols[k]]++;
	}
	double *tab = xcalloc(PCA_REC * d + 1, sizeof *tab);
	for (size_t c = 0; c < d; c++) {
		if (m->modout[c] || !cnt[c])
			continue;
		p->center[c] = sum[c] / (double)cnt[c];
		for (int v = -1; v <= 1; v++)
			tab[PCA_REC * c + PCA_CV + v] = v - p->center[c];
	}
	free(sum);
	free(cnt);
	if (d && m->nrows)
		pca_iterate(p, m, tab, &o);
	else
		p->converged = true;
	free(tab);
	/* Each comment as a virtual participant who agreed (-1) with it only. */
	double scale = sqrt((double)d);
	for (size_t c = 0; c < d; c++) {
		double e = 0;
		for (int k = 0; k < PCA_COMPS; k++) {
			double v = (-1 - p->center[c]) * p->comps[k * d + c] * scale;
			p->cproj[k * d + c] = v;
			e += v * v;
		}
		p->extremity[c] = sqrt(e);
	}
	return ERR_OK;
}

void pca_project(const struct pca *p, const struct matrix *m, double *xy)
{
	size_t d = m->ncols;
	const double *c0 = p->comps, *c1 = p->comps + d;
	for (size_t r = 0; r < m->nrows; r++) {
		double p0 = 0, p1 = 0;
		size_t nv = m->nmodout;
		for (size_t k = m->rowptr[r]; k < m->rowptr[r + 1]; k++) {
			uint32_t c = m->cols[k];
			if (m->modout[c])
				continue;
			double x = m->vals[k] - p->center[c];
			p0 += x * c0[c];
			p1 += x * c1[c];
			nv++;
		}
		double s = sqrt((double)d / (double)(nv ? nv : 1));
		xy[2 * r] = p0 * s;
		xy[2 * r + 1] = p1 * s;
	}
}

void pca_flip(struct pca *p, int k)
{
	for (size_t j = 0; j < p->ncols; j++) {
		p->comps[k * p->ncols + j] = -p->comps[k * p->ncols + j];
		p->cproj[k * p->ncols + j] = -p->cproj[k * p->ncols + j];
	}
}

void pca_clear(struct pca *p)
{
	free(p->center);
	free(p->comps);
	free(p->cproj);
	free(p->extremity);
	memset(p, 0, sizeof *p);
}
