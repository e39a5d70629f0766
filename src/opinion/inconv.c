#include "opinion/inconv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static size_t inconv_threshold(size_t ncols)
{
	return ncols < INCONV_MIN_VOTES ? ncols : INCONV_MIN_VOTES;
}

struct inconv_cand {
	size_t votes;
	size_t row;
};

static int inconv_cand_cmp(const void *a, const void *b)
{
	const struct inconv_cand *x = a, *y = b;
	if (x->votes != y->votes)
		return x->votes > y->votes ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

size_t inconv_apply(unsigned char *in, const struct matrix *m)
{
	size_t thr = inconv_threshold(m->ncols), count = 0;
	for (size_t r = 0; r < m->nrows; r++) {
		if (!in[r] && matrix_row_votes(m, r) >= thr)
			in[r] = 1;
		count += in[r];
	}
	if (count >= INCONV_GREEDY || count == m->nrows)
		return count;
	/* Top up: fewer than 15 in, so fewer than 15 + n candidates matter but
	 * we simply sort all the others. */
	struct inconv_cand *c = xmalloc((m->nrows - count) * sizeof *c);
	size_t nc = 0;
	for (size_t r = 0; r < m->nrows; r++) {
		if (!in[r]) {
			c[nc].votes = matrix_row_votes(m, r);
			c[nc].row = r;
			nc++;
		}
	}
	qsort(c, nc, sizeof *c, inconv_cand_cmp);
	for (size_t i = 0; i < nc && count < INCONV_GREEDY; i++) {
		in[c[i].row] = 1;
		count++;
	}
	free(c);
	return count;
}

size_t inconv_replay(unsigned char *in, const struct matrix *m)
{
	memset(in, 0, m->nrows);
	uint32_t *votes = xcalloc(m->nrows + 1, sizeof *votes);
	unsigned char *seen = xcalloc(m->ncols + 1, 1);
	size_t ncols = 0, count = 0;
	/* After each vote only the voter can newly pass the threshold (it only
	 * rises as statements appear). While fewer than 15 are in, everyone
	 * seen so far is in, so the top-up can only add the voter. */
	for (size_t k = 0; k < m->nnz; k++) {
		uint32_t r = m->hist_row[k], c = m->hist_col[k];
		if (!seen[c]) {
			seen[c] = 1;
			ncols++;
		}
		votes[r]++;
		if (!in[r] && (votes[r] >= inconv_threshold(ncols) || count < INCONV_GREEDY)) {
			in[r] = 1;
			count++;
		}
	}
	free(votes);
	free(seen);
	return count;
}
