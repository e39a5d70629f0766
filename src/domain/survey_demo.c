/* survey_demo.c - demo survey waves with seeded pseudo-random responses in
 * which communities differ in trust. Deterministic: the same seed gives the
 * same answers. Clearly demo data (source 'demo'). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/org.h"
#include "domain/survey_internal.h"

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

/* A standard normal deviate (Box-Muller). */
static double rng_normal(struct rng *r)
{
	double u = rng_unit(r), v = rng_unit(r);
	return sqrt(-2 * log(u > 1e-300 ? u : 1e-300)) * cos(6.283185307179586 * v);
}

struct weighted {
	const char *code;
	double w;
	double trust; /* for communities: their base on the latent scale */
};

static const char *pick(struct rng *r, const struct weighted *list, double *trust)
{
	double total = 0;
	for (const struct weighted *x = list; x->code; x++)
		total += x->w;
	double u = rng_unit(r) * total;
	for (const struct weighted *x = list; x->code; x++) {
		if (u < x->w || !x[1].code) {
			if (trust)
				*trust = x->trust;
			return x->code;
		}
		u -= x->w;
	}
	return NULL;
}

/* Who answers (not the population: some groups answer more than others,
 * which the weighting corrects). */
static const struct weighted leicester_eth[] = {
    {"white-british", 44, 0.55},
    {"white-other", 7, 0.45},
    {"indian", 27, 0.6},
    {"pakistani", 3, 0.0},
    {"bangladeshi", 1.5, 0.1},
    {"asian-other", 2.5, 0.3},
    {"black-african", 4, -0.45},
    {"black-caribbean", 2, -0.95},
    {"mixed", 3.5, -0.3},
    {"arab", 1.5, -0.2},
    {"other", 1.5, 0.0},
    {"not-stated", 3, 0.1},
    {NULL, 0, 0},
};
static const struct weighted antwerp_eth[] = {
    {"belgian", 56, 0.65}, {"moroccan", 12, -0.6},    {"turkish", 4, -0.2},
    {"other-eu", 12, 0.3}, {"sub-saharan", 4, -0.75}, {"asian-other", 3, 0.2},
    {"other", 6, 0.0},     {"not-stated", 3, 0.1},    {NULL, 0, 0},
};

static const char *religion_for(struct rng *r, const char *eth)
{
	static const struct weighted muslim[] = {
	    {"muslim", 85, 0}, {"none", 9, 0}, {"not-stated", 6, 0}, {NULL, 0, 0}};
	static const struct weighted indian[] = {{"hindu", 58, 0},     {"sikh", 20, 0},
	                                         {"muslim", 10, 0},    {"none", 8, 0},
	                                         {"not-stated", 4, 0}, {NULL, 0, 0}};
	static const struct weighted black[] = {{"christian", 62, 0},
	                                        {"muslim", 22, 0},
	                                        {"none", 12, 0},
	                                        {"not-stated", 4, 0},
	                                        {NULL, 0, 0}};
	static const struct weighted white[] = {
	    {"christian", 44, 0}, {"none", 45, 0},      {"jewish", 2, 0}, {"buddhist", 1, 0},
	    {"other", 3, 0},      {"not-stated", 5, 0}, {NULL, 0, 0}};
	static const struct weighted mixed[] = {{"christian", 35, 0}, {"none", 35, 0},
	                                        {"muslim", 20, 0},    {"other", 5, 0},
	                                        {"not-stated", 5, 0}, {NULL, 0, 0}};
	if (!strcmp(eth, "pakistani") || !strcmp(eth, "bangladeshi") || !strcmp(eth, "arab") ||
	    !strcmp(eth, "moroccan") || !strcmp(eth, "turkish"))
		return pick(r, muslim, NULL);
	if (!strcmp(eth, "indian"))
		return pick(r, indian, NULL);
	if (!strncmp(eth, "black", 5) || !strcmp(eth, "sub-saharan"))
		return pick(r, black, NULL);
	if (!strncmp(eth, "white", 5) || !strcmp(eth, "belgian") || !strcmp(eth, "other-eu"))
		return pick(r, white, NULL);
	return pick(r, mixed, NULL);
}

static const struct weighted sexes[] = {
    {"female", 52, 0}, {"male", 46, 0}, {"other", 1, 0}, {"not-stated", 1, 0}, {NULL, 0, 0}};
static const struct weighted ages[] = {
    {"16-24", 11, 0.1}, {"25-34", 16, -0.1}, {"35-44", 18, -0.05}, {"45-54", 18, 0},
    {"55-64", 17, 0.1}, {"65+", 17, 0.3},    {"not-stated", 3, 0}, {NULL, 0, 0}};

/* Item offsets on the latent scale: people trust the police to be fair
 * less than they think they do a good job, and feel least informed. */
static const double item_offset[] = {-0.3, -0.15, 0.0, -0.1, -0.55, 0.2};

struct demo_wave {
	const char *slug, *title, *area, *org;
	int open_days_ago, close_days_ago; /* negative: in the future */
	int responses;
	double shift;       /* change since the first wave, everyone */
	double black_shift; /* extra change for Black communities */
	const struct weighted *eth;
	const char *link_org[2];
	const char *langs; /* "e": English only, "b": Antwerp mix */
};

static const struct demo_wave waves[] = {
    {"leicester-2025",
     "Confidence in local policing, Leicester 2025",
     "leicester",
     "leicestershire-opcc",
     395,
     335,
     1400,
     0,
     0,
     leicester_eth,
     {"st-philips-centre", "highfields-faith-centre"},
     "e"},
    {"leicester-2026",
     "Confidence in local policing, Leicester 2026",
     "leicester",
     "leicestershire-opcc",
     30,
     -60,
     1300,
     0.1,
     0.3,
     leicester_eth,
     {"st-philips-centre", "highfields-faith-centre"},
     "e"},
    {"antwerpen-2025",
     "Vertrouwen in de lokale politie, Antwerpen 2025",
     "antwerpen-stad",
     "politie-antwerpen",
     400,
     340,
     1100,
     0,
     0,
     antwerp_eth,
     {"dialoog-antwerpen", NULL},
     "b"},
    {"antwerpen-2026",
     "Vertrouwen in de lokale politie, Antwerpen 2026",
     "antwerpen-stad",
     "politie-antwerpen",
     25,
     -65,
     1000,
     -0.05,
     0.2,
     antwerp_eth,
     {"dialoog-antwerpen", NULL},
     "b"},
};

struct demo_get {
	const char *area, *org, *dims[DIM_COUNT];
};

static const char *demo_get(void *arg, const char *name)
{
	struct demo_get *g = arg;
	if (!strcmp(name, "area"))
		return g->area;
	if (!strcmp(name, "org"))
		return g->org;
	int d = dim_parse(name);
	return d >= 0 ? g->dims[d] : NULL;
}

static char answer(struct rng *r, double z)
{
	if (rng_unit(r) < 0.06)
		return '0';
	/* logistic noise */
	double u = rng_unit(r);
	z += log((u + 1e-12) / (1 - u + 1e-12)) * 0.6;
	return z < -1.6 ? '1' : z < -0.4 ? '2' : z < 0.2 ? '3' : z < 1.6 ? '4' : '5';
}

enum err survey_demo(struct store_conn *c, struct errinfo *ei)
{
	enum err e = survey_seed(c);
	if (e)
		return err_set(ei, e, "", "cannot seed the survey instrument");
	struct category_set *set = xmalloc(sizeof *set);
	struct survey_areas *areas = xmalloc(sizeof *areas);
	if ((e = trust_category_load(c, set)) || (e = survey_areas_load(c, areas))) {
		err_set(ei, e, "", "database error");
		goto out;
	}
	struct rng r = {20260101};
	int64_t now = clock_now(), day = 86400;
	for (size_t wi = 0; wi < sizeof waves / sizeof waves[0]; wi++) {
		const struct demo_wave *dw = &waves[wi];
		char opens[32], closes[32];
		clock_format_rfc3339(now - dw->open_days_ago * day, opens);
		clock_format_rfc3339(now - dw->close_days_ago * day, closes);
		if ((e = survey_wave_create(c, dw->slug, dw->title, "confidence", dw->area, dw->org,
		                            opens, closes, NULL, ei)))
			goto out;
		struct survey_wave w;
		if ((e = survey_wave_find(c, dw->slug, &w))) {
			err_set(ei, e, "", "database error");
			goto out;
		}
		/* The neighbourhoods within the wave's area. */
		const char *hoods[16];
		int nh = 0;
		for (int i = 0; i < areas->n && nh < 16; i++)
			if (areas->a[i].id != w.area_id &&
			    survey_area_within(areas, areas->a[i].id, w.area_id))
				hoods[nh++] = areas->a[i].slug;
		for (int k = 0; k < dw->responses && !e; k++) {
			struct demo_get g;
			memset(&g, 0, sizeof g);
			double trust = 0, age_t = 0;
			g.dims[DIM_ETHNICITY] = pick(&r, dw->eth, &trust);
			g.dims[DIM_RELIGION] = religion_for(&r, g.dims[DIM_ETHNICITY]);
			g.dims[DIM_SEX] = pick(&r, sexes, NULL);
			g.dims[DIM_AGE] = pick(&r, ages, &age_t);
			g.area =
			    nh && rng_unit(&r) < 0.9 ? hoods[rng_next(&r) % (uint64_t)nh] : NULL;
			double u = rng_unit(&r);
			g.org = u < 0.08 ? dw->link_org[0] : u < 0.12 ? dw->link_org[1] : NULL;
			const char *lang = "en";
			if (dw->langs[0] == 'b') {
				double l = rng_unit(&r);
				lang = l < 0.7 ? "nl" : l < 0.85 ? "fr" : "en";
			}
			double shift = dw->shift;
			if (!strncmp(g.dims[DIM_ETHNICITY], "black", 5) ||
			    !strcmp(g.dims[DIM_ETHNICITY], "sub-saharan"))
				shift += dw->black_shift;
			double person = trust + age_t + shift + rng_normal(&r) * 0.8;
			char ans[SURVEY_MAX_ITEMS + 1];
			int n = w.nitems < 6 ? w.nitems : 6;
			for (int j = 0; j < n; j++) {
				double extra = j == 1 && trust < -0.3 ? -0.35 : 0;
				ans[j] = answer(&r, person + item_offset[j] + extra);
			}
			ans[n] = '\0';
			struct survey_resolved res;
			if ((e = survey_resolve(c, &w, set, areas, demo_get, &g, &res, ei)))
				break;
			if ((e = survey_insert(c, w.id, &res, lang, "demo", ans, NULL)))
				err_set(ei, e, "", "database error");
		}
		if (!e && (e = survey_count_add(c, w.id, dw->responses)))
			err_set(ei, e, "", "database error");
		if (e)
			goto out;
	}
out:
	free(set);
	free(areas);
	return e;
}
