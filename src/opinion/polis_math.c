/* The Polis math blob (math-pca2): Polis' key names and shapes, agree = -1
 * sign. Numbers are written in the shortest form that reads back to the
 * same double (float for repness-test). */
#include "opinion/polis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/xalloc.h"

static void polis_num(struct buf *b, double x)
{
	if (!isfinite(x)) {
		buf_puts(b, "null");
		return;
	}
	if (x == 0) {
		buf_putc(b, '0');
		return;
	}
	char s[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(s, sizeof s, "%.*g", prec, x);
		if (strtod(s, NULL) == x)
			break;
	}
	buf_puts(b, s);
}

static void polis_float(struct buf *b, float x)
{
	if (!isfinite(x)) {
		buf_puts(b, "null");
		return;
	}
	char s[40];
	for (int prec = 6; prec <= 9; prec++) {
		snprintf(s, sizeof s, "%.*g", prec, (double)x);
		if (strtof(s, NULL) == x)
			break;
	}
	buf_puts(b, s);
}

static void polis_ids(struct buf *b, const int32_t *ids, size_t n)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%d", i ? "," : "", (int)ids[i]);
	buf_putc(b, ']');
}

static void polis_nums(struct buf *b, const double *v, size_t n, size_t stride)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		polis_num(b, v[i * stride]);
	}
	buf_putc(b, ']');
}

static int polis_pid_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

static void polis_write_head(struct buf *b, const struct opinion *o)
{
	const struct matrix *m = &o->m;
	buf_printf(b, "{\"n\":%zu,\"n-cmts\":%zu,\"tids\":", m->nrows, m->ncols);
	polis_ids(b, m->tids, m->ncols);
	int32_t *in = xmalloc((o->ninconv + 1) * sizeof *in);
	size_t k = 0;
	for (size_t r = 0; r < m->nrows; r++)
		if (o->inconv[r])
			in[k++] = m->pids[r];
	qsort(in, k, sizeof *in, polis_pid_cmp);
	buf_puts(b, ",\"in-conv\":");
	polis_ids(b, in, k);
	free(in);
	buf_puts(b, ",\"user-vote-counts\":{");
	for (size_t r = 0; r < m->nrows; r++)
		buf_printf(b, "%s\"%d\":%zu", r ? "," : "", (int)m->pids[r],
		           matrix_row_votes(m, r));
	buf_puts(b, "},\"mod-out\":");
	polis_ids(b, o->modout, o->nmodout);
	buf_puts(b, ",\"mod-in\":");
	polis_ids(b, o->modin, o->nmodin);
	buf_puts(b, ",\"meta-tids\":");
	polis_ids(b, o->meta, o->nmeta);
}

static void polis_write_pca(struct buf *b, const struct opinion *o)
{
	size_t d = o->pca.ncols;
	buf_puts(b, ",\"pca\":{\"center\":");
	polis_nums(b, o->pca.center, d, 1);
	buf_puts(b, ",\"comps\":[");
	polis_nums(b, o->pca.comps, d, 1);
	buf_putc(b, ',');
	polis_nums(b, o->pca.comps + d, d, 1);
	buf_puts(b, "],\"comment-projection\":[");
	polis_nums(b, o->pca.cproj, d, 1);
	buf_putc(b, ',');
	polis_nums(b, o->pca.cproj + d, d, 1);
	buf_puts(b, "],\"comment-extremity\":");
	polis_nums(b, o->pca.extremity, d, 1);
	buf_putc(b, '}');
}

static void polis_write_clusters(struct buf *b, const struct opinion *o)
{
	const struct cluster *cl = &o->cl;
	buf_puts(b, ",\"base-clusters\":{\"id\":");
	polis_ids(b, cl->base_id, cl->nbase);
	buf_puts(b, ",\"members\":[");
	for (size_t i = 0; i < cl->nbase; i++) {
		buf_puts(b, i ? ",[" : "[");
		for (size_t k = cl->base_off[i]; k < cl->base_off[i + 1]; k++)
			buf_printf(b, "%s%d", k > cl->base_off[i] ? "," : "",
			           (int)o->m.pids[cl->base_rows[k]]);
		buf_putc(b, ']');
	}
	buf_puts(b, "],\"x\":");
	polis_nums(b, cl->base_xy, cl->nbase, 2);
	buf_puts(b, ",\"y\":");
	polis_nums(b, cl->base_xy ? cl->base_xy + 1 : NULL, cl->nbase, 2);
	buf_puts(b, ",\"count\":[");
	for (size_t i = 0; i < cl->nbase; i++)
		buf_printf(b, "%s%zu", i ? "," : "", cl->base_off[i + 1] - cl->base_off[i]);
	buf_puts(b, "]},\"group-clusters\":[");
	for (size_t g = 0; g < cl->ngroups; g++) {
		buf_printf(b, "%s{\"id\":%d,\"members\":[", g ? "," : "", (int)cl->group_id[g]);
		int first = 1;
		for (size_t i = 0; i < cl->nbase; i++) {
			if (cl->base_group[i] != g)
				continue;
			buf_printf(b, "%s%d", first ? "" : ",", (int)cl->base_id[i]);
			first = 0;
		}
		buf_puts(b, "],\"center\":[");
		polis_num(b, cl->group_xy[2 * g]);
		buf_putc(b, ',');
		polis_num(b, cl->group_xy[2 * g + 1]);
		buf_puts(b, "]}");
	}
	buf_putc(b, ']');
}

static void polis_write_votes(struct buf *b, const struct opinion *o)
{
	const struct tally *t = &o->t;
	static const char *const kinds[3] = {"A", "D", "S"};
	buf_puts(b, ",\"votes-base\":{");
	for (size_t c = 0; c < t->ncols; c++) {
		buf_printf(b, "%s\"%d\":{", c ? "," : "", (int)o->m.tids[c]);
		for (int k = 0; k < 3; k++) {
			buf_printf(b, "%s\"%s\":[", k ? "," : "", kinds[k]);
			for (size_t i = 0; i < t->nbase; i++)
				buf_printf(b, "%s%u", i ? "," : "",
				           (unsigned)tally_base(t, i, c, (enum tally_kind)k));
			buf_putc(b, ']');
		}
		buf_putc(b, '}');
	}
	buf_puts(b, "},\"group-votes\":{");
	for (size_t g = 0; g < t->ngroups; g++) {
		buf_printf(b, "%s\"%d\":{\"id\":%d,\"n-members\":%zu,\"votes\":{", g ? "," : "",
		           (int)o->cl.group_id[g], (int)o->cl.group_id[g], o->cl.group_size[g]);
		for (size_t c = 0; c < t->ncols; c++)
			buf_printf(b, "%s\"%d\":{\"A\":%u,\"D\":%u,\"S\":%u}", c ? "," : "",
			           (int)o->m.tids[c], (unsigned)tally_group(t, g, c, TALLY_A),
			           (unsigned)tally_group(t, g, c, TALLY_D),
			           (unsigned)tally_group(t, g, c, TALLY_S));
		buf_puts(b, "}}");
	}
	buf_putc(b, '}');
}

static void polis_write_item(struct buf *b, int32_t tid, uint32_t ns, uint32_t nt, double ps,
                             double pt)
{
	buf_printf(b, "{\"tid\":%d,\"n-success\":%u,\"n-trials\":%u,\"p-success\":", (int)tid,
	           (unsigned)ns, (unsigned)nt);
	polis_num(b, ps);
	buf_puts(b, ",\"p-test\":");
	polis_num(b, pt);
}

static void polis_write_repness(struct buf *b, const struct opinion *o)
{
	buf_puts(b, ",\"repness\":{");
	for (size_t g = 0; g < o->rep.ngroups; g++) {
		buf_printf(b, "%s\"%d\":[", g ? "," : "", (int)o->cl.group_id[g]);
		for (size_t i = 0; i < o->rep.count[g]; i++) {
			const struct repness_item *it = &o->rep.items[g * REPNESS_MAX + i];
			if (i)
				buf_putc(b, ',');
			polis_write_item(b, it->tid, it->n_success, it->n_trials, it->p_success,
			                 it->p_test);
			buf_puts(b, ",\"repness\":");
			polis_num(b, it->repness);
			buf_puts(b, ",\"repness-test\":");
			polis_float(b, it->repness_test);
			buf_printf(b, ",\"repful-for\":\"%s\"", it->agree ? "agree" : "disagree");
			if (it->best_agree)
				buf_printf(b, ",\"n-agree\":%u,\"best-agree\":true",
				           (unsigned)it->n_agree);
			buf_putc(b, '}');
		}
		buf_putc(b, ']');
	}
	buf_puts(b, "},\"consensus\":{\"agree\":[");
	for (size_t i = 0; i < o->cons.nagree; i++) {
		const struct consensus_item *it = &o->cons.agree[i];
		buf_puts(b, i ? "," : "");
		polis_write_item(b, it->tid, it->n_success, it->n_trials, it->p_success,
		                 it->p_test);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"disagree\":[");
	for (size_t i = 0; i < o->cons.ndisagree; i++) {
		const struct consensus_item *it = &o->cons.disagree[i];
		buf_puts(b, i ? "," : "");
		polis_write_item(b, it->tid, it->n_success, it->n_trials, it->p_success,
		                 it->p_test);
		buf_putc(b, '}');
	}
	buf_puts(b, "]}");
}

static void polis_write_by_tid(struct buf *b, const char *key, const struct opinion *o,
                               const double *v)
{
	buf_printf(b, ",\"%s\":{", key);
	for (size_t c = 0; c < o->m.ncols; c++) {
		buf_printf(b, "%s\"%d\":", c ? "," : "", (int)o->m.tids[c]);
		polis_num(b, v[c]);
	}
	buf_putc(b, '}');
}

void polis_write_math(struct buf *b, const struct opinion *o)
{
	polis_write_head(b, o);
	polis_write_pca(b, o);
	polis_write_clusters(b, o);
	polis_write_votes(b, o);
	polis_write_repness(b, o);
	if (o->cl.ngroups)
		polis_write_by_tid(b, "group-aware-consensus", o, o->gac);
	else
		buf_puts(b, ",\"group-aware-consensus\":{}");
	polis_write_by_tid(b, "comment-priorities", o, o->prio);
	buf_puts(b, "}\n");
}
