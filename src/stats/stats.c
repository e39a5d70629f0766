/* stats.c - the standard normal distribution. */
#include <math.h>

#include "stats/stats.h"

#define SQRT1_2  0.70710678118654752440 /* 1/sqrt(2) */
#define SQRT_2PI 2.50662827463100050242 /* sqrt(2*pi) */

double stats_norm_cdf(double x)
{
	return 0.5 * erfc(-x * SQRT1_2);
}

double stats_norm_sf(double x)
{
	return 0.5 * erfc(x * SQRT1_2);
}

/* x >= 0 with stats_norm_sf(x) = q, for q in (0, 0.5]. A starting value
 * from Abramowitz and Stegun 26.2.23 (error < 4.5e-4), then Halley steps on
 * sf(x) - q, whose derivative is -phi(x) and second derivative x*phi(x). */
static double upper_quantile(double q)
{
	double t = sqrt(-2.0 * log(q));
	double x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
	                   (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
	if (x < 0)
		x = 0;
	for (int i = 0; i < 4; i++) {
		double phi = exp(-0.5 * x * x) / SQRT_2PI;
		if (phi == 0)
			break;
		double u = (stats_norm_sf(x) - q) / phi;
		double step = u / (1.0 - 0.5 * x * u);
		x += step;
		if (fabs(step) <= 1e-16 * fabs(x))
			break;
	}
	return x;
}

double stats_norm_ppf(double p)
{
	if (isnan(p) || p < 0 || p > 1)
		return NAN;
	if (p == 0)
		return -INFINITY;
	if (p == 1)
		return INFINITY;
	if (p == 0.5)
		return 0;
	if (p < 0.5)
		return -upper_quantile(p);
	return upper_quantile(1.0 - p);
}

double stats_z_for_level(double level)
{
	if (!(level > 0 && level < 1))
		return NAN;
	return upper_quantile(0.5 * (1.0 - level));
}
