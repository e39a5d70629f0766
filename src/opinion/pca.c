#include "opinion/pca.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define B PCA_BLOCK

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

/* w = C^T C q for the block q (d x B, row major); tab holds the centred
 * value of each (column, vote) pair. One sweep over the sparse rows. */
static void pca_matvec(const struct matrix *m, const double *tab, const double *q, double *w)
{
	memset(w, 0, m->ncols * B * sizeof *w);
	for (size_t r = 0; r < m->nrows; r++) {
		size_t lo = m->rowptr[r], hi = m->rowptr[r + 1];
		double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
		for (size_t k = lo; k < hi; k++) {
			uint32_t c = m->cols[k];
			double x = tab[3 * c + m->vals[k] + 1];
			const double *qc = q + (size_t)c * B;
			t0 += x * qc[0];
			t1 += x * qc[1];
			t2 += x * qc[2];
			t3 += x * qc[3];
		}
		for (size_t k = lo; k < hi; k++) {
			uint32_t c = m->cols[k];
			double x = tab[3 * c + m->vals[k] + 1];
			double *wc = w + (size_t)c * B;
			wc[0] += x * t0;
			wc[1] += x * t1;
			wc[2] += x * t2;
			wc[3] += x * t3;
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
static void pca_iterate(struct pca *p, const struct matrix *m, const double *tab,
                        const struct pca_opts *o)
{
	size_t d = m->ncols;
	int b = d < B ? (int)d : B;
	double *q = xcalloc(d * B, sizeof *q);
	double *w = xcalloc(d * B, sizeof *w);
	double *x = xcalloc(d * B, sizeof *x);
	double *prev = xcalloc(d * PCA_COMPS, sizeof *prev);
	uint64_t seed = 0x853c49e6748fea9bull;
	for (size_t j = 0; j < d; j++) {
		q[j * B] = 1;
		for (int i = 1; i < b; i++)
			q[j * B + i] = pca_rand(&seed);
	}
	pca_orth(q, d, b, &seed);
	double lam[B] = {0};
	for (p->iters = 1; p->iters <= o->max_iters; p->iters++) {
		pca_matvec(m, tab, q, w);
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
		if (p->iters > 1 && delta < o->tol) {
			p->converged = true;
			break;
		}
		pca_orth(q, d, b, &seed);
	}
	if (p->iters > o->max_iters)
		p->iters = o->max_iters;
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
	double *tab = xcalloc(3 * d + 1, sizeof *tab);
	for (size_t c = 0; c < d; c++) {
		if (m->modout[c] || !cnt[c])
			continue;
		p->center[c] = sum[c] / (double)cnt[c];
		for (int v = -1; v <= 1; v++)
			tab[3 * c + v + 1] = v - p->center[c];
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
