/* reportstats.h - statistics of reports with small-number suppression. */
#ifndef CONSENT_DOMAIN_REPORTSTATS_H
#define CONSENT_DOMAIN_REPORTSTATS_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* Counts under this are shown as "<5"; others that would let one be worked
 * out are shown as "*" (stats/suppress.h). */
#define REPORT_STATS_THRESHOLD      5
#define REPORT_STATS_THRESHOLD_TEXT "5"

enum report_dim {
	REPORT_DIM_CATEGORY,
	REPORT_DIM_STRAND, /* a report counts once under each of its strands */
	REPORT_DIM_AREA,   /* the area it was filed for */
	REPORT_DIM_MONTH,  /* the month it happened (UTC) */
	REPORT_DIM_COUNT
};

/* "category", "strand", "area", "month", and back (-1 if unknown). */
const char *report_dim_name(enum report_dim d);
int report_dim_parse(const char *s);

struct report_stats_query {
	int dims[2];                  /* rows, and columns when ndims is 2 */
	int ndims;                    /* 1 or 2 */
	const char *category;         /* only this category (code), or NULL */
	const char *area;             /* only this area and those within it (slug), or NULL */
	int64_t from_month, to_month; /* YYYYMM bounds of the month it happened, or 0 */
	const char *lang;             /* labels: "en", "fr", "nl" */
};

/* Counts of every report (all consent levels, erased ones included) by
 * the dimensions asked, suppressed: {"by":[...],"threshold":5,
 * "columns":[{"key","label","total"}],"rows":[{"key","label","cells":[...],
 * "total"}],"total"}; each count is a number, "<5" (small) or "*" (hidden
 * to protect a small one). Categories and strands are all listed (zeros
 * included), areas only where there are reports, months from the first to
 * the last. With one dimension there is one column, "reports". Errors:
 * ERR_INVAL naming "by", "category" or "area". Caller owns *out. */
enum err report_stats(struct store_conn *c, const struct report_stats_query *q, json_t **out,
                      struct errinfo *ei);

#endif
