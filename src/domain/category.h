/* category.h - what a report is about: categories (seeded by migration
 * 0005, editable by admins) and the monitored strands of hate incidents and
 * crimes (a fixed list). Labels and descriptions in English, French and
 * Dutch. A category is public (listed through Open311) or sensitive
 * (never listed publicly). */
#ifndef CONSENT_DOMAIN_CATEGORY_H
#define CONSENT_DOMAIN_CATEGORY_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

#define CATEGORY_LANGS 3 /* en, fr, nl, in this order */

/* The languages of labels, in the order of the label arrays below. */
extern const char *const category_langs[CATEGORY_LANGS];

struct category {
	int64_t id;
	char code[64];
	int is_public;   /* listed through Open311 */
	int has_strands; /* a hate incident or crime: strands required */
	int active;      /* offered for new reports */
};

/* Adds the standard categories (hate incident, hate crime, anti-social
 * behaviour, community tension, concern about police conduct, something
 * else) and the monitored strands where their codes are missing; leaves
 * existing ones (maybe edited by an admin) alone. Idempotent: consent init
 * runs it. */
enum err category_seed(struct store_conn *c);

/* A category by code. ERR_NOTFOUND if there is none. */
enum err category_find(struct store_conn *c, const char *code, struct category *out);

/* The categories, by position: [{"code","public","strands","active",
 * "position","label":{"en","fr","nl"},"description":{"en","fr","nl"}}].
 * public_only: only public ones; active_only: only active ones. Caller owns
 * *out. */
enum err category_list(struct store_conn *c, int public_only, int active_only, json_t **out);

/* One category as category_list shows it. ERR_NOTFOUND. Caller owns *out. */
enum err category_get(struct store_conn *c, const char *code, json_t **out);

/* The strands: [{"code","label":{"en","fr","nl"}}]. Caller owns *out. */
enum err category_strands(struct store_conn *c, json_t **out);

/* The id of a strand by code. ERR_NOTFOUND. */
enum err category_strand_find(struct store_conn *c, const char *code, int64_t *id);

/* The label in lang ("en", "fr", "nl"; English otherwise) of a JSON
 * category or strand, borrowed from it. */
const char *category_label(const json_t *cat, const char *lang);

/* Fields of a new or changed category; NULL or -1 leaves a field as it is
 * (on creation: labels are required, flags default to 0, active to 1). */
struct category_input {
	const char *code;
	int is_public;    /* 0, 1, or -1 */
	int has_strands;  /* 0, 1, or -1 */
	int active;       /* 0, 1, or -1 */
	int64_t position; /* -1 to keep (on creation: after the last) */
	const char *label[CATEGORY_LANGS];
	const char *description[CATEGORY_LANGS];
};

/* Creates a category. ERR_INVAL naming the field ("code", "label.fr");
 * ERR_CONFLICT if the code is taken. */
enum err category_create(struct store_conn *c, const struct category_input *in, struct errinfo *ei);

/* Changes the category in->code. ERR_NOTFOUND; ERR_INVAL naming the field.
 * Categories are never deleted (reports keep pointing at them): make one
 * inactive instead. */
enum err category_update(struct store_conn *c, const struct category_input *in, struct errinfo *ei);

#endif
