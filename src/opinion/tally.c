#include "opinion/tally.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static void tally_add(uint32_t *cell, int8_t v)
{
	cell[TALLY_A] += v < 0;
	cell[TALLY_D] += v > 0;
	cell[TALLY_S]++;
}

void tally_count(struct tally *t, const struct matrix *m, const struct cluster *cl)
{
	memset(t, 0, sizeof *t);
	t->ncols = m->ncols;
	t->nbase = cl->nbase;
	t->ngroups = cl->ngroups;
	t->all = xcalloc(3 * m->ncols + 1, sizeof *t->all);
	t->base = xcalloc(3 * m->ncols * cl->nbase + 1, sizeof *t->base);
	t->group = xcalloc(3 * cl->ngroups * m->ncols + 1, sizeof *t->group);
	for (size_t r = 0; r < m->nrows; r++) {
		int32_t b = cl->row_base[r];
		uint32_t *base = b >= 0 ? t->base + 3 * (size_t)b * t->ncols : NULL;
		for (size_t k = m->rowptr[r]; k < m->rowptr[r + 1]; k++) {
			tally_add(t->all + 3 * m->cols[k], m->vals[k]);
			if (base)
				tally_add(base + 3 * m->cols[k], m->vals[k]);
		}
	}
	/* A group's counts are the sums over its base clusters. */
	for (size_t b = 0; b < cl->nbase; b++) {
		uint32_t g = cl->base_group ? cl->base_group[b] : UINT32_MAX;
		if (g == UINT32_MAX)
			continue;
		const uint32_t *base = t->base + 3 * b * t->ncols;
		uint32_t *grp = t->group + 3 * g * t->ncols;
		for (size_t j = 0; j < 3 * t->ncols; j++)
			grp[j] += base[j];
	}
}

uint32_t tally_base(const struct tally *t, size_t b, size_t c, enum tally_kind kind)
{
	return t->base[3 * (b * t->ncols + c) + kind];
}

uint32_t tally_group(const struct tally *t, size_t g, size_t c, enum tally_kind kind)
{
	return t->group[3 * (g * t->ncols + c) + kind];
}

uint32_t tally_groups_sum(const struct tally *t, size_t c, enum tally_kind kind)
{
	uint32_t s = 0;
	for (size_t g = 0; g < t->ngroups; g++)
		s += tally_group(t, g, c, kind);
	return s;
}

void tally_clear(struct tally *t)
{
	free(t->all);
	free(t->base);
	free(t->group);
	memset(t, 0, sizeof *t);
}
