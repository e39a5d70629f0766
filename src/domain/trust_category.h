/* trust_category.h - the classifications that surveys, population baselines and
 * workforce figures share (ethnicity, religion, sex, age band), so that a
 * community's trust, its share of the population and its share of the
 * police can be set side by side.
 *
 * Categories are reference data: seeded by trust_category_seed() with the
 * standard lists and their English, French and Dutch labels. Each dimension
 * has the code "not-stated". */
#ifndef CONSENT_DOMAIN_TRUST_CATEGORY_H
#define CONSENT_DOMAIN_TRUST_CATEGORY_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

enum dim { DIM_ETHNICITY, DIM_RELIGION, DIM_SEX, DIM_AGE, DIM_COUNT };

#define TRUST_CATEGORY_MAX        64 /* categories of all dimensions together */
#define TRUST_CATEGORY_NOT_STATED "not-stated"

struct trust_category {
	int64_t id;
	enum dim dim;
	char code[32];
	int position;
	char label[3][96]; /* en, fr, nl */
};

/* Every category, ordered by dimension and position. Caller-owned. */
struct category_set {
	int n;
	struct trust_category c[TRUST_CATEGORY_MAX];
};

/* The stable name of a dimension ("ethnicity"), and back (-1 if unknown). */
const char *dim_name(enum dim d);
int dim_parse(const char *s);

/* Adds the standard categories that are missing (idempotent). */
enum err trust_category_seed(struct store_conn *c);

/* Loads every category into *set. */
enum err trust_category_load(struct store_conn *c, struct category_set *set);

/* The category of dimension d with code, or NULL. Points into set. */
const struct trust_category *trust_category_find(const struct category_set *set, enum dim d, const char *code);
/* The category with id, or NULL. */
const struct trust_category *trust_category_by_id(const struct category_set *set, int64_t id);
/* Its label in lang ("en", "fr", "nl"; others give English). */
const char *trust_category_label(const struct trust_category *cat, const char *lang);

/* The categories as JSON: {"ethnicity":[{"code","label"}], ...} in lang.
 * Caller owns. */
json_t *trust_category_json(const struct category_set *set, const char *lang);

/* Index of a language in label[] (0 en, 1 fr, 2 nl). */
int trust_category_lang_index(const char *lang);

#endif
