/* repr.c - representation ratio and years to parity. */
#include <math.h>

#include "stats/prop.h"
#include "stats/repr.h"

enum err repr_ratio(long staff_g, long staff_stated, double pop_g, double pop_total, double z,
                    struct repr_ratio *out)
{
	if (!isfinite(pop_g) || !isfinite(pop_total) || !(pop_g > 0) || pop_g > pop_total)
		return ERR_INVAL;
	struct prop_ci ci;
	enum err rc = prop_wilson_counts(staff_g, staff_stated, z, &ci);
	if (rc != ERR_OK)
		return rc;
	double ps = pop_g / pop_total;
	out->staff_share = ci.p;
	out->pop_share = ps;
	out->ratio = ci.p / ps;
	out->lo = ci.lo / ps;
	out->hi = ci.hi / ps;
	return ERR_OK;
}

static int in01(double x)
{
	return x >= 0 && x <= 1;
}

static enum err check(const struct repr_group *g, size_t ng, const struct repr_proj_opts *o)
{
	if (ng == 0 || o->horizon < 0 || !(o->tol >= 0) || !isfinite(o->tol))
		return ERR_INVAL;
	if (!o->replace && (!isfinite(o->joiners) || !(o->joiners >= 0)))
		return ERR_INVAL;
	double js = 0, h = 0;
	for (size_t k = 0; k < ng; k++) {
		if (!isfinite(g[k].headcount) || !(g[k].headcount >= 0) || !in01(g[k].leave_rate) ||
		    !in01(g[k].join_share) || !in01(g[k].pop_share))
			return ERR_INVAL;
		js += g[k].join_share;
		h += g[k].headcount;
	}
	if (fabs(js - 1.0) > 1e-6 || !(h > 0))
		return ERR_INVAL;
	return ERR_OK;
}

/* The long-run shares (see repr.h) into out[].share_limit. */
static void limits(const struct repr_group *g, size_t ng, const struct repr_proj_opts *o,
                   struct repr_parity *out)
{
	double grow = 0, total = 0, fixed = 0, flow = 0;
	int flows = o->replace || o->joiners > 0;
	for (size_t k = 0; k < ng; k++) {
		if (flows && g[k].leave_rate == 0 && g[k].join_share > 0)
			grow += g[k].join_share;
		if (g[k].leave_rate > 0)
			flow += g[k].join_share / g[k].leave_rate;
		else
			fixed += g[k].headcount;
	}
	if (grow > 0) { /* linear growth of the groups that never leave */
		for (size_t k = 0; k < ng; k++) {
			int grows = g[k].leave_rate == 0 && g[k].join_share > 0;
			out[k].share_limit = o->replace ? NAN : grows ? g[k].join_share / grow : 0;
		}
		return;
	}
	/* h*_k = scale * join_k / leave_k for leavers, h_k for the others. With
	 * replace the headcount is constant, so scale fills what the fixed groups
	 * leave; else scale = joiners. */
	double h0 = 0;
	for (size_t k = 0; k < ng; k++)
		h0 += g[k].headcount;
	double scale = o->replace ? (flow > 0 ? (h0 - fixed) / flow : 0) : o->joiners;
	total = fixed + scale * flow;
	for (size_t k = 0; k < ng; k++) {
		double hk = g[k].leave_rate > 0 ? scale * g[k].join_share / g[k].leave_rate
		                                : g[k].headcount;
		out[k].share_limit = total > 0 ? hk / total : NAN;
	}
}

enum err repr_project(const struct repr_group *g, size_t ng, const struct repr_proj_opts *opts,
                      struct repr_parity *out, double *traj)
{
	enum err rc = check(g, ng, opts);
	if (rc != ERR_OK)
		return rc;

	double total = 0, next_total;
	for (size_t k = 0; k < ng; k++)
		total += g[k].headcount;
	for (size_t k = 0; k < ng; k++) {
		out[k].share_now = g[k].headcount / total;
		out[k].years = -1;
	}
	limits(g, ng, opts, out);

	/* h[] lives in out[].share_end until the end: no allocation. */
	for (size_t k = 0; k < ng; k++)
		out[k].share_end = g[k].headcount;
	for (int t = 0;; t++) {
		for (size_t k = 0; k < ng; k++) {
			double s = total > 0 ? out[k].share_end / total : NAN;
			double d = s - g[k].pop_share, d0 = out[k].share_now - g[k].pop_share;
			if (traj)
				traj[(size_t)t * ng + k] = s;
			if (out[k].years < 0 && total > 0 &&
			    (fabs(d) <= opts->tol || (d0 < 0 && d > 0) || (d0 > 0 && d < 0)))
				out[k].years = t;
		}
		if (t == opts->horizon)
			break;
		double leavers = 0;
		for (size_t k = 0; k < ng; k++)
			leavers += g[k].leave_rate * out[k].share_end;
		double joiners = opts->replace ? leavers : opts->joiners;
		next_total = 0;
		for (size_t k = 0; k < ng; k++) {
			double h = out[k].share_end;
			h += joiners * g[k].join_share - g[k].leave_rate * h;
			out[k].share_end = h > 0 ? h : 0;
			next_total += out[k].share_end;
		}
		total = next_total;
	}
	for (size_t k = 0; k < ng; k++)
		out[k].share_end = total > 0 ? out[k].share_end / total : NAN;
	return ERR_OK;
}
