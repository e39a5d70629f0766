#include "opinion/cluster.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "opinion/kmeans.h"

static void cluster_free_groups(struct cluster *cl)
{
	free(cl->group_id);
	free(cl->group_xy);
	free(cl->base_group);
	free(cl->group_size);
	cl->group_id = NULL;
	cl->group_xy = NULL;
	cl->base_group = NULL;
	cl->group_size = NULL;
	cl->ngroups = 0;
	cl->kmax = 0;
	memset(cl->silhouette, 0, sizeof cl->silhouette);
	for (size_t r = 0; r < cl->nrows; r++)
		cl->row_group[r] = -1;
}

void cluster_clear(struct cluster *cl)
{
	free(cl->base_id);
	free(cl->base_xy);
	free(cl->base_off);
	free(cl->base_rows);
	free(cl->group_id);
	free(cl->group_xy);
	free(cl->base_group);
	free(cl->group_size);
	free(cl->row_group);
	free(cl->row_base);
	memset(cl, 0, sizeof *cl);
}

static void cluster_reset(struct cluster *cl, size_t nrows)
{
	cluster_clear(cl);
	cl->nrows = nrows;
	cl->row_group = xmalloc((nrows + 1) * sizeof *cl->row_group);
	cl->row_base = xmalloc((nrows + 1) * sizeof *cl->row_base);
	for (size_t r = 0; r < nrows; r++)
		cl->row_group[r] = cl->row_base[r] = -1;
}

/* Fills row_base and the centres from base_off/base_rows. */
static void cluster_base_centres(struct cluster *cl, const double *xy)
{
	cl->base_xy = xcalloc(2 * cl->nbase + 2, sizeof *cl->base_xy);
	for (size_t b = 0; b < cl->nbase; b++) {
		double sx = 0, sy = 0;
		size_t n = cl->base_off[b + 1] - cl->base_off[b];
		for (size_t i = cl->base_off[b]; i < cl->base_off[b + 1]; i++) {
			uint32_t r = cl->base_rows[i];
			sx += xy[2 * r];
			sy += xy[2 * r + 1];
			cl->row_base[r] = (int32_t)b;
		}
		cl->base_xy[2 * b] = sx / (double)n;
		cl->base_xy[2 * b + 1] = sy / (double)n;
	}
}

void cluster_base(struct cluster *cl, const double *xy, const unsigned char *in, size_t nrows)
{
	cluster_reset(cl, nrows);
	size_t n = 0;
	for (size_t r = 0; r < nrows; r++)
		n += in[r] != 0;
	uint32_t *rows = xmalloc((n + 1) * sizeof *rows);
	double *pts = xmalloc((2 * n + 2) * sizeof *pts);
	n = 0;
	for (size_t r = 0; r < nrows; r++) {
		if (!in[r])
			continue;
		rows[n] = (uint32_t)r;
		pts[2 * n] = xy[2 * r];
		pts[2 * n + 1] = xy[2 * r + 1];
		n++;
	}
	struct kmeans km;
	kmeans_run(&km, pts, NULL, n, CLUSTER_BASE_K, CLUSTER_ITERS);
	cl->nbase = km.k;
	cl->base_id = xmalloc((km.k + 1) * sizeof *cl->base_id);
	cl->base_off = xcalloc(km.k + 2, sizeof *cl->base_off);
	cl->base_rows = xmalloc((n + 1) * sizeof *cl->base_rows);
	for (size_t b = 0; b < km.k; b++) {
		cl->base_id[b] = (int32_t)km.id[b];
		cl->base_off[b + 1] = cl->base_off[b] + km.size[b];
	}
	size_t *pos = xmalloc((km.k + 1) * sizeof *pos);
	memcpy(pos, cl->base_off, (km.k + 1) * sizeof *pos);
	for (size_t i = 0; i < n; i++)
		cl->base_rows[pos[km.assign[i]]++] = rows[i];
	free(pos);
	cluster_base_centres(cl, xy);
	kmeans_clear(&km);
	free(rows);
	free(pts);
}

struct cluster_idx {
	int32_t id;
	size_t i;
};

static int cluster_idx_cmp(const void *a, const void *b)
{
	const struct cluster_idx *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void cluster_set_base(struct cluster *cl, const double *xy, size_t nrows, size_t nbase,
                      const int32_t *ids, const size_t *off, const uint32_t *rows)
{
	cluster_reset(cl, nrows);
	struct cluster_idx *ord = xmalloc((nbase + 1) * sizeof *ord);
	for (size_t b = 0; b < nbase; b++) {
		ord[b].id = ids[b];
		ord[b].i = b;
	}
	qsort(ord, nbase, sizeof *ord, cluster_idx_cmp);
	cl->base_id = xmalloc((nbase + 1) * sizeof *cl->base_id);
	cl->base_off = xcalloc(nbase + 2, sizeof *cl->base_off);
	cl->base_rows = xmalloc((off[nbase] + 1) * sizeof *cl->base_rows);
	unsigned char *taken = xcalloc(nrows + 1, 1);
	size_t k = 0;
	for (size_t j = 0; j < nbase; j++) {
		size_t b = ord[j].i, start = cl->base_off[cl->nbase];
		for (size_t i = off[b]; i < off[b + 1]; i++) {
			uint32_t r = rows[i];
			if (r >= nrows || taken[r])
				continue; /* a participant belongs to one cluster */
			taken[r] = 1;
			cl->base_rows[k++] = r;
		}
		if (k == start)
			continue;
		cl->base_id[cl->nbase] = ord[j].id;
		cl->base_off[++cl->nbase] = k;
	}
	free(taken);
	free(ord);
	cluster_base_centres(cl, xy);
}

/* Weighted centres and sizes of the groups from base_group. */
static void cluster_group_centres(struct cluster *cl)
{
	cl->group_xy = xcalloc(2 * cl->ngroups + 2, sizeof *cl->group_xy);
	cl->group_size = xcalloc(cl->ngroups + 1, sizeof *cl->group_size);
	for (size_t b = 0; b < cl->nbase; b++) {
		uint32_t g = cl->base_group[b];
		if (g == UINT32_MAX)
			continue;
		size_t n = cl->base_off[b + 1] - cl->base_off[b];
		cl->group_xy[2 * g] += (double)n * cl->base_xy[2 * b];
		cl->group_xy[2 * g + 1] += (double)n * cl->base_xy[2 * b + 1];
		cl->group_size[g] += n;
		for (size_t i = cl->base_off[b]; i < cl->base_off[b + 1]; i++)
			cl->row_group[cl->base_rows[i]] = (int32_t)g;
	}
	for (size_t g = 0; g < cl->ngroups; g++) {
		cl->group_xy[2 * g] /= (double)cl->group_size[g];
		cl->group_xy[2 * g + 1] /= (double)cl->group_size[g];
	}
}

void cluster_groups(struct cluster *cl)
{
	cluster_free_groups(cl);
	size_t nb = cl->nbase;
	if (!nb)
		return;
	double *w = xmalloc(nb * sizeof *w);
	for (size_t b = 0; b < nb; b++)
		w[b] = (double)(cl->base_off[b + 1] - cl->base_off[b]);
	size_t kmax = 2 + nb / 12;
	if (kmax > CLUSTER_MAX_K)
		kmax = CLUSTER_MAX_K;
	cl->kmax = kmax;
	struct kmeans best = {0};
	double best_s = 0;
	for (size_t k = 2; k <= kmax; k++) {
		struct kmeans km;
		kmeans_run(&km, cl->base_xy, w, nb, k, CLUSTER_ITERS);
		double s = kmeans_silhouette(cl->base_xy, nb, km.assign, km.k);
		cl->silhouette[k] = s;
		if (k == 2 || s >= best_s) {
			kmeans_clear(&best);
			best = km;
			best_s = s;
		} else {
			kmeans_clear(&km);
		}
	}
	cl->ngroups = best.k;
	cl->group_id = xmalloc((best.k + 1) * sizeof *cl->group_id);
	for (size_t g = 0; g < best.k; g++)
		cl->group_id[g] = (int32_t)best.id[g];
	cl->base_group = xmalloc(nb * sizeof *cl->base_group);
	memcpy(cl->base_group, best.assign, nb * sizeof *cl->base_group);
	cluster_group_centres(cl);
	kmeans_clear(&best);
	free(w);
}

void cluster_set_groups(struct cluster *cl, size_t ngroups, const int32_t *ids,
                        const int32_t *group_of)
{
	cluster_free_groups(cl);
	struct cluster_idx *ord = xmalloc((ngroups + 1) * sizeof *ord);
	for (size_t g = 0; g < ngroups; g++) {
		ord[g].id = ids[g];
		ord[g].i = g;
	}
	qsort(ord, ngroups, sizeof *ord, cluster_idx_cmp);
	/* given index -> compacted index of a non-empty group */
	uint32_t *map = xmalloc((ngroups + 1) * sizeof *map);
	size_t *used = xcalloc(ngroups + 1, sizeof *used);
	for (size_t b = 0; b < cl->nbase; b++)
		if (group_of[b] >= 0 && (size_t)group_of[b] < ngroups)
			used[group_of[b]]++;
	cl->group_id = xmalloc((ngroups + 1) * sizeof *cl->group_id);
	for (size_t j = 0; j < ngroups; j++) {
		size_t g = ord[j].i;
		map[g] = UINT32_MAX;
		if (!used[g])
			continue;
		map[g] = (uint32_t)cl->ngroups;
		cl->group_id[cl->ngroups++] = ord[j].id;
	}
	cl->base_group = xmalloc((cl->nbase + 1) * sizeof *cl->base_group);
	for (size_t b = 0; b < cl->nbase; b++)
		cl->base_group[b] = group_of[b] >= 0 && (size_t)group_of[b] < ngroups
		                        ? map[group_of[b]]
		                        : UINT32_MAX;
	cluster_group_centres(cl);
	free(map);
	free(used);
	free(ord);
}
