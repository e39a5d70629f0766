/* repr.h - workforce representation: the ratio of a group's share among staff
 * to its share of the population, and a stock-and-flow projection of the
 * years until a group's share reaches its population share (parity).
 *
 * Pure: no I/O, no allocation, no state. */
#ifndef CONSENT_STATS_REPR_H
#define CONSENT_STATS_REPR_H

#include <stddef.h>

#include "base/err.h"

/* A representation ratio with an interval. */
struct repr_ratio {
	double ratio;       /* staff share / population share; 1 = parity */
	double lo;          /* lower limit: Wilson lower limit of staff share / pop share */
	double hi;          /* upper limit, likewise */
	double staff_share; /* staff_g / staff_stated */
	double pop_share;   /* pop_g / pop_total */
};

/* The representation ratio of a group: (staff_g / staff_stated) /
 * (pop_g / pop_total), where staff_stated counts the staff who stated the
 * characteristic (not-stated excluded) and pop_* come from e.g. the census.
 * The interval is the Wilson interval (z, e.g. STATS_Z95) of the staff share
 * divided by the population share, which is taken as known. Fills *out
 * (caller-owned). ERR_INVAL if staff_stated <= 0, staff_g is outside
 * [0, staff_stated], pop_g is not in (0, pop_total], or z is not > 0. */
enum err repr_ratio(long staff_g, long staff_stated, double pop_g, double pop_total, double z,
                    struct repr_ratio *out);

/* One group of the workforce in the projection. */
struct repr_group {
	double headcount;  /* staff in the group now, >= 0 */
	double leave_rate; /* share of the group leaving each year, in [0, 1] */
	double join_share; /* share of each year's joiners from the group, in [0, 1] */
	double pop_share;  /* the group's share of the population: the target */
};

struct repr_proj_opts {
	double joiners; /* joiners per year, all groups together, >= 0 */
	int replace;    /* nonzero: joiners each year = that year's leavers
	                   (constant headcount); joiners is then ignored */
	int horizon;    /* years to project, >= 0 (e.g. 50) */
	double tol;     /* parity when |share - pop_share| <= tol, >= 0 (e.g. 0.005) */
};

/* The projection's answer for one group. */
struct repr_parity {
	int years;          /* first year at parity (0 = now); -1: not within horizon */
	double share_now;   /* share of the group among staff now */
	double share_end;   /* share at the end of the horizon; NAN if no staff left */
	double share_limit; /* share the group tends to if the rates persist;
	                       NAN if it depends on history (see below) */
};

/* Projects each year, for every group g (headcounts stay real numbers):
 *   h_g' = h_g - leave_rate_g * h_g + J * join_share_g,
 * J = opts->joiners, or with opts->replace the sum of this year's leavers.
 * A group is at parity in year t when its share among staff is within tol of
 * pop_share, or has crossed pop_share since year 0 (a step may jump over the
 * band). out[g].years is the first such t <= horizon, else -1 ("never" at
 * current rates within the horizon; share_limit tells whether it ever
 * will). share_limit is h*_g / sum h* with h*_g = J join_share_g /
 * leave_rate_g (groups that neither join nor leave keep their headcount);
 * if groups join but never leave, they take the whole limit in proportion to
 * their join shares (NAN with replace, as it then depends on history).
 *
 * g[0..ng) and out[0..ng) are caller-owned; traj, if not NULL, receives the
 * shares year by year: traj[t*ng + g] for t = 0..horizon.
 * ERR_INVAL if ng is 0, a field is out of range or not finite, the join
 * shares do not sum to 1 (within 1e-6), or there is no staff now. */
enum err repr_project(const struct repr_group *g, size_t ng, const struct repr_proj_opts *opts,
                      struct repr_parity *out, double *traj);

#endif
