/* svg.h - inline SVG charts for the HTML pages: scalable (viewBox, no fixed
 * width), with a <title> and <desc> for assistive technology, and only
 * presentation attributes (the Content-Security-Policy forbids inline
 * styles). Every page that shows a chart also shows a table of the same
 * figures. Text is HTML-escaped. */
#ifndef CONSENT_WEB_SVG_H
#define CONSENT_WEB_SVG_H

#include "base/buf.h"

/* A line over the x positions, with an interval band; NAN marks a missing
 * point (e.g. a suppressed figure). */
struct svg_series {
	const char *label;
	const double *y, *lo, *hi; /* nx values each, in [0, 1] */
};

/* A trend chart: x positions labelled xlabel[0..nx), y from 0 to 100%,
 * one line with its band per series. id makes the element ids unique. */
void svg_trend(struct buf *b, const char *id, const char *title, const char *desc,
               const char *const *xlabel, int nx, const struct svg_series *s, int ns);

/* One row of a dot chart: a value with its interval. */
struct svg_dot {
	const char *label;
	double v, lo, hi; /* NAN v: no dot (e.g. suppressed) */
};

/* A dot chart with interval whiskers and a vertical reference line at ref
 * (e.g. the overall figure, or parity at 1), on the scale [min, max];
 * percent formats the axis as percentages. */
void svg_dots(struct buf *b, const char *id, const char *title, const char *desc,
              const struct svg_dot *d, int n, double ref, const char *ref_label, double min,
              double max, int percent);

#endif
