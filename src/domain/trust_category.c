/* category.c - the shared classifications and their seed lists. */
#include "domain/trust_category.h"

#include <stdio.h>
#include <string.h>

static const char *const dim_names[DIM_COUNT] = {"ethnicity", "religion", "sex", "age"};

const char *dim_name(enum dim d)
{
	return (unsigned)d < DIM_COUNT ? dim_names[d] : "unknown";
}

int dim_parse(const char *s)
{
	for (int i = 0; s && i < DIM_COUNT; i++)
		if (!strcmp(s, dim_names[i]))
			return i;
	return -1;
}

/* Ethnic groups cover the broad groups of the England and Wales census and
 * the origins that Flemish statistics use. */
static const struct {
	const char *dim, *code;
	int position;
	const char *en, *fr, *nl;
} seed[] = {
    {"ethnicity", "white-british", 1, "White British", "Blanc britannique", "Wit-Brits"},
    {"ethnicity", "white-other", 2, "White other", "Blanc, autre", "Wit, ander"},
    {"ethnicity", "indian", 3, "Indian", "Indien", "Indisch"},
    {"ethnicity", "pakistani", 4, "Pakistani", "Pakistanais", "Pakistaans"},
    {"ethnicity", "bangladeshi", 5, "Bangladeshi", "Bangladais", "Bengaals"},
    {"ethnicity", "asian-other", 6, "Other Asian", "Autre asiatique", "Ander Aziatisch"},
    {"ethnicity", "black-african", 7, "Black African", "Noir africain", "Zwart Afrikaans"},
    {"ethnicity", "black-caribbean", 8, "Black Caribbean", "Noir caribéen", "Zwart Caribisch"},
    {"ethnicity", "mixed", 9, "Mixed or multiple", "Métis ou origines multiples",
     "Gemengd of meervoudig"},
    {"ethnicity", "arab", 10, "Arab", "Arabe", "Arabisch"},
    {"ethnicity", "belgian", 11, "Belgian origin", "Origine belge", "Belgische herkomst"},
    {"ethnicity", "moroccan", 12, "Moroccan origin", "Origine marocaine", "Marokkaanse herkomst"},
    {"ethnicity", "turkish", 13, "Turkish origin", "Origine turque", "Turkse herkomst"},
    {"ethnicity", "other-eu", 14, "Other EU origin", "Autre origine UE", "Andere EU-herkomst"},
    {"ethnicity", "sub-saharan", 15, "Sub-Saharan African origin",
     "Origine africaine subsaharienne", "Sub-Saharaanse herkomst"},
    {"ethnicity", "other", 16, "Another group", "Un autre groupe", "Een andere groep"},
    {"ethnicity", "not-stated", 99, "Not stated", "Non précisé", "Niet opgegeven"},
    {"religion", "none", 1, "No religion", "Sans religion", "Geen religie"},
    {"religion", "christian", 2, "Christian", "Chrétien", "Christelijk"},
    {"religion", "muslim", 3, "Muslim", "Musulman", "Moslim"},
    {"religion", "hindu", 4, "Hindu", "Hindou", "Hindoe"},
    {"religion", "sikh", 5, "Sikh", "Sikh", "Sikh"},
    {"religion", "jewish", 6, "Jewish", "Juif", "Joods"},
    {"religion", "buddhist", 7, "Buddhist", "Bouddhiste", "Boeddhistisch"},
    {"religion", "other", 8, "Another religion or belief", "Une autre religion ou conviction",
     "Een andere religie of overtuiging"},
    {"religion", "not-stated", 99, "Not stated", "Non précisé", "Niet opgegeven"},
    {"sex", "female", 1, "Female", "Femme", "Vrouw"},
    {"sex", "male", 2, "Male", "Homme", "Man"},
    {"sex", "other", 3, "In another way", "Autrement", "Op een andere manier"},
    {"sex", "not-stated", 99, "Not stated", "Non précisé", "Niet opgegeven"},
    {"age", "16-24", 1, "16 to 24", "16 à 24 ans", "16 tot 24"},
    {"age", "25-34", 2, "25 to 34", "25 à 34 ans", "25 tot 34"},
    {"age", "35-44", 3, "35 to 44", "35 à 44 ans", "35 tot 44"},
    {"age", "45-54", 4, "45 to 54", "45 à 54 ans", "45 tot 54"},
    {"age", "55-64", 5, "55 to 64", "55 à 64 ans", "55 tot 64"},
    {"age", "65+", 6, "65 and over", "65 ans et plus", "65 en ouder"},
    {"age", "not-stated", 99, "Not stated", "Non précisé", "Niet opgegeven"},
};

enum err trust_category_seed(struct store_conn *c)
{
	static const char sql[] =
	    "INSERT INTO trust_categories (dimension, code, position, label_en, label_fr, "
	    "label_nl) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dimension, code) DO NOTHING";
	for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++) {
		struct store_stmt *st = store_prepare(c, sql);
		if (!st)
			return ERR_STORE;
		store_bind_text(st, 1, seed[i].dim);
		store_bind_text(st, 2, seed[i].code);
		store_bind_int(st, 3, seed[i].position);
		store_bind_text(st, 4, seed[i].en);
		store_bind_text(st, 5, seed[i].fr);
		store_bind_text(st, 6, seed[i].nl);
		enum store_step r = store_step(st);
		enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
		store_reset(st);
		if (e)
			return e;
	}
	return ERR_OK;
}

enum err trust_category_load(struct store_conn *c, struct category_set *set)
{
	static const char sql[] =
	    "SELECT id, dimension, code, position, label_en, label_fr, "
	    "label_nl FROM trust_categories ORDER BY dimension, position, code";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	set->n = 0;
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW) {
		int d = dim_parse(store_col_text(st, 1));
		if (d < 0 || set->n == TRUST_CATEGORY_MAX)
			continue;
		struct trust_category *k = &set->c[set->n++];
		k->id = store_col_int(st, 0);
		k->dim = (enum dim)d;
		snprintf(k->code, sizeof k->code, "%s", store_col_text(st, 2));
		k->position = (int)store_col_int(st, 3);
		for (int l = 0; l < 3; l++)
			snprintf(k->label[l], sizeof k->label[l], "%s", store_col_text(st, 4 + l));
	}
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	return e;
}

const struct trust_category *trust_category_find(const struct category_set *set, enum dim d, const char *code)
{
	for (int i = 0; code && i < set->n; i++)
		if (set->c[i].dim == d && !strcmp(set->c[i].code, code))
			return &set->c[i];
	return NULL;
}

const struct trust_category *trust_category_by_id(const struct category_set *set, int64_t id)
{
	for (int i = 0; i < set->n; i++)
		if (set->c[i].id == id)
			return &set->c[i];
	return NULL;
}

int trust_category_lang_index(const char *lang)
{
	if (lang && !strcmp(lang, "fr"))
		return 1;
	if (lang && !strcmp(lang, "nl"))
		return 2;
	return 0;
}

const char *trust_category_label(const struct trust_category *cat, const char *lang)
{
	return cat->label[trust_category_lang_index(lang)];
}

json_t *trust_category_json(const struct category_set *set, const char *lang)
{
	json_t *o = json_object();
	for (int d = 0; d < DIM_COUNT; d++) {
		json_t *arr = json_array();
		for (int i = 0; i < set->n; i++)
			if (set->c[i].dim == (enum dim)d)
				json_array_append_new(
				    arr, json_pack("{s:s, s:s}", "code", set->c[i].code, "label",
				                   trust_category_label(&set->c[i], lang)));
		json_object_set_new(o, dim_name((enum dim)d), arr);
	}
	return o;
}
