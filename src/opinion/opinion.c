#include "opinion/opinion.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "opinion/inconv.h"

static const char *const opinion_stage_names[OPINION_NSTAGES] = {
    "matrix",         "in-conv", "pca",     "projection", "base-clusters",
    "group-clusters", "tallies", "repness", "consensus",
};

const char *opinion_stage_name(enum opinion_stage s)
{
	return s < OPINION_NSTAGES ? opinion_stage_names[s] : "?";
}

static int opinion_int32_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* Sorts and deduplicates ids; returns the new count. */
static size_t opinion_uniq(int32_t *ids, size_t n)
{
	qsort(ids, n, sizeof *ids, opinion_int32_cmp);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	return k;
}

static void opinion_moderation(struct opinion *o, const struct opinion_statement *st, size_t nst)
{
	o->modout = xmalloc((nst + 1) * sizeof *o->modout);
	o->modin = xmalloc((nst + 1) * sizeof *o->modin);
	o->meta = xmalloc((nst + 1) * sizeof *o->meta);
	for (size_t i = 0; i < nst; i++) {
		if (st[i].mod < 0 || st[i].is_meta)
			o->modout[o->nmodout++] = st[i].tid;
		if (st[i].mod > 0)
			o->modin[o->nmodin++] = st[i].tid;
		if (st[i].is_meta)
			o->meta[o->nmeta++] = st[i].tid;
	}
	o->nmodout = opinion_uniq(o->modout, o->nmodout);
	o->nmodin = opinion_uniq(o->modin, o->nmodin);
	o->nmeta = opinion_uniq(o->meta, o->nmeta);
	matrix_set_moderation(&o->m, o->modout, o->nmodout, o->meta, o->nmeta);
}

static void opinion_given_clusters(struct opinion *o, const struct opinion_given *g, bool groups)
{
	size_t n = g->base_off[g->nbase];
	uint32_t *rows = xmalloc((n + 1) * sizeof *rows);
	size_t *off = xmalloc((g->nbase + 1) * sizeof *off);
	size_t k = 0;
	for (size_t b = 0; b < g->nbase; b++) {
		off[b] = k;
		for (size_t i = g->base_off[b]; i < g->base_off[b + 1]; i++) {
			long r = matrix_row(&o->m, g->base_pids[i]);
			if (r < 0)
				o->given_unknown++;
			else
				rows[k++] = (uint32_t)r;
		}
	}
	off[g->nbase] = k;
	cluster_set_base(&o->cl, o->proj, o->m.nrows, g->nbase, g->base_id, off, rows);
	free(rows);
	free(off);
	if (!groups)
		return;
	int32_t *group_of = xmalloc((o->cl.nbase + 1) * sizeof *group_of);
	for (size_t b = 0; b < o->cl.nbase; b++) {
		group_of[b] = -1;
		for (size_t j = 0; j < g->ngroups && group_of[b] < 0; j++)
			for (size_t i = g->group_off[j]; i < g->group_off[j + 1]; i++)
				if (g->group_bids[i] == o->cl.base_id[b]) {
					group_of[b] = (int32_t)j;
					break;
				}
	}
	cluster_set_groups(&o->cl, g->ngroups, g->group_id, group_of);
	free(group_of);
}

enum err opinion_run(struct opinion *o, const struct matrix_vote *votes, size_t nvotes,
                     const struct opinion_statement *st, size_t nst,
                     const struct opinion_opts *opts, size_t *bad)
{
	static const struct opinion_opts defaults = {.replay = true};
	if (!opts)
		opts = &defaults;
	memset(o, 0, sizeof *o);
	uint64_t t0 = clock_mono_ns(), t1;
#define OPINION_LAP(stage)                                                                         \
	do {                                                                                       \
		t1 = clock_mono_ns();                                                              \
		o->stage_ns[stage] = t1 - t0;                                                      \
		t0 = t1;                                                                           \
	} while (0)

	enum err e = matrix_build(&o->m, votes, nvotes, bad);
	if (e != ERR_OK)
		return e;
	opinion_moderation(o, st, nst);
	size_t nrows = o->m.nrows, ncols = o->m.ncols;
	OPINION_LAP(OPINION_MATRIX);

	o->inconv = xcalloc(nrows + 1, 1);
	if (opts->has_inconv) {
		for (size_t i = 0; i < opts->ninconv; i++) {
			long r = matrix_row(&o->m, opts->inconv[i]);
			if (r < 0)
				o->inconv_unknown++;
			else
				o->inconv[r] = 1;
		}
		o->ninconv = inconv_apply(o->inconv, &o->m);
	} else if (opts->replay) {
		o->ninconv = inconv_replay(o->inconv, &o->m);
	} else {
		o->ninconv = inconv_apply(o->inconv, &o->m);
	}
	OPINION_LAP(OPINION_INCONV);

	pca_fit(&o->pca, &o->m, &opts->pca);
	OPINION_LAP(OPINION_PCA);
	o->proj = xmalloc((2 * nrows + 2) * sizeof *o->proj);
	pca_project(&o->pca, &o->m, o->proj);
	OPINION_LAP(OPINION_PROJECT);

	if (opts->given)
		opinion_given_clusters(o, opts->given, opts->given_groups);
	else
		cluster_base(&o->cl, o->proj, o->inconv, nrows);
	OPINION_LAP(OPINION_BASE);
	if (!opts->given || !opts->given_groups)
		cluster_groups(&o->cl);
	OPINION_LAP(OPINION_GROUPS);

	tally_count(&o->t, &o->m, &o->cl);
	OPINION_LAP(OPINION_TALLY);
	repness_select(&o->rep, &o->m, &o->t);
	OPINION_LAP(OPINION_REPNESS);
	consensus_select(&o->cons, &o->m, &o->t);
	o->gac = xmalloc((ncols + 1) * sizeof *o->gac);
	o->prio = xmalloc((ncols + 1) * sizeof *o->prio);
	consensus_group_aware(o->gac, &o->t);
	consensus_priorities(o->prio, &o->m, &o->t, o->pca.extremity);
	OPINION_LAP(OPINION_CONSENSUS);
#undef OPINION_LAP
	return ERR_OK;
}

void opinion_clear(struct opinion *o)
{
	matrix_clear(&o->m);
	free(o->modout);
	free(o->modin);
	free(o->meta);
	free(o->inconv);
	pca_clear(&o->pca);
	free(o->proj);
	cluster_clear(&o->cl);
	tally_clear(&o->t);
	repness_clear(&o->rep);
	free(o->gac);
	free(o->prio);
	memset(o, 0, sizeof *o);
}

void opinion_given_clear(struct opinion_given *g)
{
	free(g->base_id);
	free(g->base_off);
	free(g->base_pids);
	free(g->group_id);
	free(g->group_off);
	free(g->group_bids);
	memset(g, 0, sizeof *g);
}
