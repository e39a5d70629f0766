/* workforce.h - population baselines of areas and the workforce of police
 * organisations, and what follows from them: the representation ratio of
 * each group (its share among staff who stated the characteristic over its
 * share of the population) with its trend, and the years to parity at the
 * current joiner and leaver rates (stats/repr.h). See docs/trust.md. */
#ifndef CONSENT_DOMAIN_WORKFORCE_H
#define CONSENT_DOMAIN_WORKFORCE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/trust_category.h"
#include "store/store.h"

/* Shares of a population by category, as used for weighting and ratios. */
struct population {
	int found; /* 0: no baseline for the area or above it */
	int64_t baseline_id;
	int64_t area_id; /* the area the baseline belongs to */
	char area_slug[64];
	int year;
	int is_demo;
	int has_dim[DIM_COUNT];     /* the baseline covers this dimension */
	double share[TRUST_CATEGORY_MAX]; /* by index in the category_set */
};

/* Replaces the baseline of area_slug for year. margins is a JSON object
 * {"ethnicity": {"code": value, ...}, "religion": ..., "sex": ..., "age": ...}
 * (at least one dimension); unit "share" (fractions, each dimension summing
 * to 1 within 0.01) or "count" (people; the dimensions' totals must agree
 * within 1%). Shares are stored normalised. ERR_INVAL names the field
 * ("margins.religion"), ERR_NOTFOUND an unknown area. Nothing is stored on
 * error. */
enum err population_put(struct store_conn *c, const char *area_slug, int year, const char *source,
                        int is_demo, const char *unit, json_t *margins, struct errinfo *ei);
/* The same from CSV text with the header dimension,category,value. Errors
 * name the line and column ("line 4, column value"). */
enum err population_put_csv(struct store_conn *c, const char *area_slug, int year,
                            const char *source, const char *unit, const char *csv, size_t len,
                            struct errinfo *ei);
/* The baselines of an area, newest first:
 * {"area":{slug,name},"baselines":[{"year","source","demo","total",
 * "margins":{"ethnicity":[{"code","label","share"}],...}}]}. Caller owns. */
enum err population_get(struct store_conn *c, const char *area_slug, const char *lang,
                        json_t **out);
/* The newest baseline of area_id or, failing that, of its nearest ancestor
 * that has one. out->found is 0 if none. */
enum err population_for_area(struct store_conn *c, int64_t area_id, const struct category_set *set,
                             struct population *out);

/* Replaces the figures of police organisation org_id for year. figures is a
 * JSON array of {"dimension","category","rank_band"?,"headcount","joiners",
 * "leavers"}; every dimension given must count the whole workforce (equal
 * totals of headcount, joiners and leavers, "not-stated" included).
 * ERR_INVAL names the field ("figures[3].headcount"). */
enum err workforce_put(struct store_conn *c, int64_t org_id, int year, const char *source,
                       int is_demo, json_t *figures, struct errinfo *ei);
/* The same from CSV: dimension,category,rank_band,headcount,joiners,leavers
 * (rank_band may be absent or empty). */
enum err workforce_put_csv(struct store_conn *c, int64_t org_id, int year, const char *source,
                           const char *csv, size_t len, struct errinfo *ei);
/* The figures of an organisation: {"org":{slug,name},"periods":[{"year",
 * "source","demo","figures":[...]}]}, newest first. Caller owns. */
enum err workforce_get(struct store_conn *c, const char *org_slug, json_t **out);

/* Representation of a police organisation against the population of its
 * area: per period and dimension the ratio of each group with its 95%
 * interval, and for the newest period the projected years to parity and,
 * when the figures were given by rank band, "rank_bands": {"year",
 * "dimensions": {dim: [{"band","headcount","stated","groups":[...]}]}}
 * (each group's share of the band's stated staff and its ratio).
 * Every figure carries an "anchor" (stable id on /representation/{org}).
 * ERR_NOTFOUND for an unknown organisation. Caller owns *out. */
enum err workforce_representation(struct store_conn *c, const char *org_slug, const char *lang,
                                  json_t **out);

/* Demo data: population baselines of Leicester and Antwerp and three years
 * of workforce figures of their two forces (labelled demo). Runs inside the
 * caller's transaction. */
enum err workforce_demo(struct store_conn *c, struct errinfo *ei);

#endif
