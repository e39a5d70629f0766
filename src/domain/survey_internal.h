/* survey_internal.h - what survey.c, survey_import.c, survey_stats.c and
 * survey_demo.c share. Not for other layers. */
#ifndef CONSENT_DOMAIN_SURVEY_INTERNAL_H
#define CONSENT_DOMAIN_SURVEY_INTERNAL_H

#include "domain/trust_category.h"
#include "domain/survey.h"

#define SURVEY_MAX_AREAS 512

struct survey_item {
	int64_t id;
	char code[32];
	char text[3][400]; /* en, fr, nl */
};

struct survey_items {
	int n;
	struct survey_item item[SURVEY_MAX_ITEMS];
};

struct survey_area {
	int64_t id, parent; /* parent 0: none */
	char slug[64];
	char name[201];
};

struct survey_areas {
	int n;
	struct survey_area a[SURVEY_MAX_AREAS];
};

/* The optional fields of a response, resolved to ids (0: not given). */
struct survey_resolved {
	int64_t area_id;
	int64_t org_id;
	int64_t cat_id[DIM_COUNT];
};

/* Runs st to completion and resets it. */
enum err survey_run(struct store_stmt *st);
enum err survey_items_load(struct store_conn *c, int64_t instrument_id, struct survey_items *it);
enum err survey_areas_load(struct store_conn *c, struct survey_areas *a);
enum err survey_area_find(struct store_conn *c, const char *slug, int64_t *id);
const struct survey_area *survey_area_by_id(const struct survey_areas *a, int64_t id);
/* 1 if area id is ancestor or lies within it. */
int survey_area_within(const struct survey_areas *a, int64_t id, int64_t ancestor);
/* "upcoming", "open" or "closed". */
const char *survey_status(int64_t opens, int64_t closes, int64_t now);
/* '1'..'5', '0' (don't know), '-' (empty: not answered), or -1. */
int survey_answer_char(const char *v);
enum err survey_resolve(struct store_conn *c, const struct survey_wave *w,
                        const struct category_set *set, const struct survey_areas *areas,
                        const char *(*get)(void *, const char *), void *arg,
                        struct survey_resolved *out, struct errinfo *ei);
enum err survey_insert(struct store_conn *c, int64_t wave_id, const struct survey_resolved *r,
                       const char *lang, const char *source, const char *answers,
                       const char *import_ref);
enum err survey_count_add(struct store_conn *c, int64_t wave_id, int64_t n);

#endif
