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
		int32_t b = cl->row_base ? cl->row_base[r] : -1;
		int32_t g = cl->row_group ? cl->row_group[r] : -1;
		for (size_t k = m->rowptr[r]; k < m->rowptr[r + 1]; k++) {
			size_t c = m->cols[k];
			int8_t v = m->vals[k];
			tally_add(t->all + 3 * c, v);
			if (b >= 0)
				tally_add(t->base + 3 * (c * t->nbase + (size_t)b), v);
			if (g >= 0)
				tally_add(t->group + 3 * ((size_t)g * t->ncols + c), v);
		}
	}
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
