#include "opinion/matrix.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct matrix_key {
	int64_t time;
	uint32_t i;
};

static int matrix_key_cmp(const void *a, const void *b)
{
	const struct matrix_key *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* ord[s] = index of the s-th event in time order (stable). */
static void matrix_time_order(const struct matrix_vote *v, size_t n, uint32_t *ord)
{
	int sorted = 1;
	for (size_t i = 1; i < n && sorted; i++)
		sorted = v[i - 1].time <= v[i].time;
	if (sorted) {
		for (size_t i = 0; i < n; i++)
			ord[i] = (uint32_t)i;
		return;
	}
	struct matrix_key *k = xmalloc(n * sizeof *k);
	for (size_t i = 0; i < n; i++) {
		k[i].time = v[i].time;
		k[i].i = (uint32_t)i;
	}
	qsort(k, n, sizeof *k, matrix_key_cmp);
	for (size_t i = 0; i < n; i++)
		ord[i] = k[i].i;
	free(k);
}

static int matrix_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Sorts a row's columns: insertion sort for the usual short rows. */
static void matrix_sort_cols(uint32_t *c, size_t n)
{
	if (n > 32) {
		qsort(c, n, sizeof *c, matrix_u32_cmp);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint32_t x = c[i];
		size_t j = i;
		while (j > 0 && c[j - 1] > x) {
			c[j] = c[j - 1];
			j--;
		}
		c[j] = x;
	}
}

static int matrix_int32_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* Assigns columns in ascending tid order; col[i] = column of event i. */
static void matrix_columns(struct matrix *m, const struct matrix_vote *v, size_t n, int32_t lo,
                           int32_t hi, uint32_t *col)
{
	struct idmap tmp;
	idmap_init(&tmp, lo, hi, n / 16 + 1024);
	for (size_t i = 0; i < n; i++)
		col[i] = idmap_put(&tmp, v[i].tid, NULL);
	m->ncols = tmp.n;
	int32_t *first = xmalloc((m->ncols ? m->ncols : 1) * sizeof *first);
	for (size_t i = 0; i < n; i++)
		first[col[i]] = v[i].tid;
	m->tids = xmalloc((m->ncols ? m->ncols : 1) * sizeof *m->tids);
	memcpy(m->tids, first, m->ncols * sizeof *first);
	qsort(m->tids, m->ncols, sizeof *m->tids, matrix_int32_cmp);
	idmap_init(&m->colmap, lo, hi, m->ncols);
	for (size_t c = 0; c < m->ncols; c++)
		idmap_put(&m->colmap, m->tids[c], NULL);
	/* provisional index -> sorted column */
	uint32_t *remap = (uint32_t *)first;
	for (size_t c = 0; c < m->ncols; c++)
		remap[c] = idmap_get(&m->colmap, first[c]);
	for (size_t i = 0; i < n; i++)
		col[i] = remap[col[i]];
	free(first);
	idmap_clear(&tmp);
}

/* An event as the row-sorted pass needs it, so that the pass reads
 * sequentially. */
struct matrix_ev {
	uint32_t seq; /* position in time order */
	uint32_t col;
	int8_t vote;
};

enum err matrix_build(struct matrix *m, const struct matrix_vote *v, size_t n, size_t *bad)
{
	memset(m, 0, sizeof *m);
	if (n >= UINT32_MAX - 1)
		return ERR_LIMIT;
	int32_t plo = INT32_MAX, phi = INT32_MIN, tlo = INT32_MAX, thi = INT32_MIN;
	for (size_t i = 0; i < n; i++) {
		if (v[i].vote < -1 || v[i].vote > 1) {
			if (bad)
				*bad = i;
			return ERR_INVAL;
		}
		plo = v[i].pid < plo ? v[i].pid : plo;
		phi = v[i].pid > phi ? v[i].pid : phi;
		tlo = v[i].tid < tlo ? v[i].tid : tlo;
		thi = v[i].tid > thi ? v[i].tid : thi;
	}
	size_t nn = n ? n : 1;
	uint32_t *ord = xmalloc(nn * sizeof *ord);
	uint32_t *row = xmalloc(nn * sizeof *row);
	uint32_t *col = xmalloc(nn * sizeof *col);
	matrix_time_order(v, n, ord);

	/* Rows in order of first vote (row[] is indexed by event). */
	idmap_init(&m->rowmap, plo, phi, n / 16 + 16);
	for (size_t s = 0; s < n; s++)
		row[ord[s]] = idmap_put(&m->rowmap, v[ord[s]].pid, NULL);
	m->nrows = m->rowmap.n;
	m->pids = xmalloc((m->nrows ? m->nrows : 1) * sizeof *m->pids);
	for (size_t i = 0; i < n; i++)
		m->pids[row[i]] = v[i].pid;
	matrix_columns(m, v, n, tlo, thi, col);

	/* A stable counting sort of the time-ordered events by row. */
	size_t *cnt = xcalloc(m->nrows + 2, sizeof *cnt);
	for (size_t i = 0; i < n; i++)
		cnt[row[i] + 1]++;
	for (size_t r = 0; r < m->nrows; r++)
		cnt[r + 1] += cnt[r];
	struct matrix_ev *ev = xmalloc(nn * sizeof *ev);
	for (size_t s = 0; s < n; s++) {
		uint32_t i = ord[s];
		struct matrix_ev *e = &ev[cnt[row[i]]++];
		e->seq = (uint32_t)s;
		e->col = col[i];
		e->vote = v[i].vote;
	}
	free(row);

	/* Row by row, the last vote of each column wins, and the first event of
	 * each (row, column) is marked for the history (mark[seq] = row). */
	uint32_t *mark = xmalloc(nn * sizeof *mark);
	memset(mark, 0xff, nn * sizeof *mark);
	uint32_t *stamp = xcalloc(m->ncols + 1, sizeof *stamp);
	int8_t *last = xmalloc(m->ncols + 1);
	m->rowptr = xmalloc((m->nrows + 1) * sizeof *m->rowptr);
	m->cols = xmalloc(nn * sizeof *m->cols);
	m->vals = xmalloc(nn);
	size_t nnz = 0, k = 0;
	for (size_t r = 0; r < m->nrows; r++) {
		m->rowptr[r] = nnz;
		for (size_t end = cnt[r]; k < end; k++) {
			uint32_t c = ev[k].col;
			if (stamp[c] != r + 1) {
				stamp[c] = (uint32_t)r + 1;
				mark[ev[k].seq] = (uint32_t)r;
				m->cols[nnz++] = c;
			}
			last[c] = ev[k].vote;
		}
		matrix_sort_cols(m->cols + m->rowptr[r], nnz - m->rowptr[r]);
		for (size_t j = m->rowptr[r]; j < nnz; j++)
			m->vals[j] = last[m->cols[j]];
	}
	m->rowptr[m->nrows] = nnz;
	m->nnz = nnz;
	free(ev);
	free(stamp);
	free(last);
	free(cnt);

	m->hist_row = xmalloc((nnz ? nnz : 1) * sizeof *m->hist_row);
	m->hist_col = xmalloc((nnz ? nnz : 1) * sizeof *m->hist_col);
	k = 0;
	for (size_t s = 0; s < n; s++) {
		if (mark[s] == UINT32_MAX)
			continue;
		m->hist_row[k] = mark[s];
		m->hist_col[k] = col[ord[s]];
		k++;
	}
	free(mark);
	free(ord);
	free(col);
	m->modout = xcalloc(m->ncols + 1, 1);
	m->meta = xcalloc(m->ncols + 1, 1);
	return ERR_OK;
}

void matrix_set_moderation(struct matrix *m, const int32_t *modout, size_t nmodout,
                           const int32_t *meta, size_t nmeta)
{
	memset(m->modout, 0, m->ncols);
	memset(m->meta, 0, m->ncols);
	for (size_t i = 0; i < nmodout; i++) {
		long c = matrix_col(m, modout[i]);
		if (c >= 0)
			m->modout[c] = 1;
	}
	for (size_t i = 0; i < nmeta; i++) {
		long c = matrix_col(m, meta[i]);
		if (c >= 0)
			m->modout[c] = m->meta[c] = 1;
	}
	m->nmodout = 0;
	for (size_t c = 0; c < m->ncols; c++)
		m->nmodout += m->modout[c];
}

long matrix_row(const struct matrix *m, int32_t pid)
{
	uint32_t r = idmap_get(&m->rowmap, pid);
	return r == IDMAP_NONE ? -1 : (long)r;
}

long matrix_col(const struct matrix *m, int32_t tid)
{
	uint32_t c = idmap_get(&m->colmap, tid);
	return c == IDMAP_NONE ? -1 : (long)c;
}

size_t matrix_row_votes(const struct matrix *m, size_t r)
{
	return m->rowptr[r + 1] - m->rowptr[r];
}

void matrix_clear(struct matrix *m)
{
	free(m->pids);
	free(m->tids);
	free(m->rowptr);
	free(m->cols);
	free(m->vals);
	free(m->hist_row);
	free(m->hist_col);
	free(m->modout);
	free(m->meta);
	idmap_clear(&m->rowmap);
	idmap_clear(&m->colmap);
	memset(m, 0, sizeof *m);
}
