/* survey.c - instruments, waves, responses and imports. The indicators are
 * in survey_stats.c, the demo data in survey_demo.c. */
#include "domain/survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/csvread.h"
#include "base/xalloc.h"
#include "domain/trust_category.h"
#include "domain/org.h"
#include "domain/survey_internal.h"
#include "domain/workforce.h"

/* The standard instrument: the confidence items of the Public Attitude
 * Survey, on a five-point agreement scale with "don't know". */
static const struct {
	const char *code, *en, *fr, *nl;
} std_items[] = {
    {"relied_on", "The police in this area can be relied on to be there when you need them",
     "On peut compter sur la police de ce quartier quand on en a besoin",
     "Op de politie in deze buurt kun je rekenen als je haar nodig hebt"},
    {"fair", "The police in this area treat everyone fairly regardless of who they are",
     "La police de ce quartier traite chacun équitablement, quel qu'il soit",
     "De politie in deze buurt behandelt iedereen eerlijk, wie hij of zij ook is"},
    {"listen", "The police in this area listen to the concerns of local people",
     "La police de ce quartier écoute les préoccupations des habitants",
     "De politie in deze buurt luistert naar de zorgen van de bewoners"},
    {"matters", "The police in this area deal with the things that matter to this community",
     "La police de ce quartier s'occupe de ce qui compte pour les habitants",
     "De politie in deze buurt pakt aan wat voor de bewoners belangrijk is"},
    {"informed", "The police in this area keep local people informed about what they are doing",
     "La police de ce quartier tient les habitants informés de ce qu'elle fait",
     "De politie in deze buurt houdt de bewoners op de hoogte van wat ze doet"},
    {"good_job", "Taking everything into account, the police in this area do a good job",
     "Tout bien considéré, la police de ce quartier fait du bon travail",
     "Alles bij elkaar genomen doet de politie in deze buurt goed werk"},
};

enum err survey_run(struct store_stmt *st)
{
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		;
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	return e;
}

enum err survey_seed(struct store_conn *c)
{
	enum err e = trust_category_seed(c);
	if (e)
		return e;
	static const char ins[] = "INSERT INTO survey_instruments (slug, name, created_at) "
	                          "VALUES ('confidence', ?, ?) ON CONFLICT (slug) DO NOTHING";
	struct store_stmt *st = store_prepare(c, ins);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, "Confidence in local policing (Public Attitude Survey items)");
	store_bind_int(st, 2, clock_now());
	if ((e = survey_run(st)))
		return e;
	static const char item[] =
	    "INSERT INTO survey_items (instrument_id, code, position, text_en, text_fr, "
	    "text_nl) SELECT id, ?, ?, ?, ?, ? FROM survey_instruments WHERE slug = "
	    "'confidence' ON CONFLICT (instrument_id, code) DO NOTHING";
	for (size_t i = 0; i < sizeof std_items / sizeof std_items[0]; i++) {
		if (!(st = store_prepare(c, item)))
			return ERR_STORE;
		store_bind_text(st, 1, std_items[i].code);
		store_bind_int(st, 2, (int64_t)i + 1);
		store_bind_text(st, 3, std_items[i].en);
		store_bind_text(st, 4, std_items[i].fr);
		store_bind_text(st, 5, std_items[i].nl);
		if ((e = survey_run(st)))
			return e;
	}
	return ERR_OK;
}

enum err survey_items_load(struct store_conn *c, int64_t instrument_id, struct survey_items *it)
{
	static const char sql[] = "SELECT id, code, text_en, text_fr, text_nl FROM survey_items "
	                          "WHERE instrument_id = ? ORDER BY position";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, instrument_id);
	it->n = 0;
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW && it->n < SURVEY_MAX_ITEMS) {
		struct survey_item *x = &it->item[it->n++];
		x->id = store_col_int(st, 0);
		snprintf(x->code, sizeof x->code, "%s", store_col_text(st, 1));
		for (int l = 0; l < 3; l++)
			snprintf(x->text[l], sizeof x->text[l], "%s", store_col_text(st, 2 + l));
	}
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	return e;
}

enum err survey_instrument_list(struct store_conn *c, const char *lang, json_t **out)
{
	static const char sql[] = "SELECT id, slug, name FROM survey_instruments ORDER BY slug";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	json_t *arr = json_array();
	int64_t ids[64];
	int n = 0;
	while (store_step(st) == STORE_ROW && n < 64) {
		ids[n++] = store_col_int(st, 0);
		json_array_append_new(arr, json_pack("{s:s, s:s}", "slug", store_col_text(st, 1),
		                                     "name", store_col_text(st, 2)));
	}
	store_reset(st);
	int li = trust_category_lang_index(lang);
	for (int i = 0; i < n; i++) {
		struct survey_items it;
		if (survey_items_load(c, ids[i], &it) != ERR_OK)
			continue;
		json_t *items = json_array();
		for (int j = 0; j < it.n; j++)
			json_array_append_new(items,
			                      json_pack("{s:s, s:s}", "code", it.item[j].code,
			                                "text", it.item[j].text[li]));
		json_object_set_new(json_array_get(arr, (size_t)i), "items", items);
	}
	*out = arr;
	return ERR_OK;
}

static enum err instrument_find(struct store_conn *c, const char *slug, int64_t *id)
{
	static const char sql[] = "SELECT id FROM survey_instruments WHERE slug = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, slug);
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (r == STORE_ROW)
		*id = store_col_int(st, 0);
	store_reset(st);
	return e;
}

enum err survey_area_find(struct store_conn *c, const char *slug, int64_t *id)
{
	static const char sql[] = "SELECT id FROM areas WHERE slug = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, slug);
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (r == STORE_ROW)
		*id = store_col_int(st, 0);
	store_reset(st);
	return e;
}

enum err survey_areas_load(struct store_conn *c, struct survey_areas *a)
{
	static const char sql[] = "SELECT id, COALESCE(parent_id, 0), slug, name FROM areas "
	                          "ORDER BY name";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	a->n = 0;
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW) {
		if (a->n == SURVEY_MAX_AREAS)
			continue;
		struct survey_area *x = &a->a[a->n++];
		x->id = store_col_int(st, 0);
		x->parent = store_col_int(st, 1);
		snprintf(x->slug, sizeof x->slug, "%s", store_col_text(st, 2));
		snprintf(x->name, sizeof x->name, "%s", store_col_text(st, 3));
	}
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	return e;
}

const struct survey_area *survey_area_by_id(const struct survey_areas *a, int64_t id)
{
	for (int i = 0; i < a->n; i++)
		if (a->a[i].id == id)
			return &a->a[i];
	return NULL;
}

int survey_area_within(const struct survey_areas *a, int64_t id, int64_t ancestor)
{
	for (int depth = 0; id && depth < 16; depth++) {
		if (id == ancestor)
			return 1;
		const struct survey_area *x = survey_area_by_id(a, id);
		id = x ? x->parent : 0;
	}
	return 0;
}

static enum err check_text(const char *field, const char *s, size_t max, struct errinfo *ei)
{
	if (!s || !*s)
		return err_set(ei, ERR_INVAL, field, "is required");
	if (strlen(s) > max || !utf8_valid(s, strlen(s)))
		return err_set(ei, ERR_INVAL, field, "must be valid UTF-8 of at most %zu bytes",
		               max);
	return ERR_OK;
}

static enum err parse_time(const char *field, const char *s, int64_t *t, struct errinfo *ei)
{
	if (!s || clock_parse_rfc3339(s, t) != 0)
		return err_set(ei, ERR_INVAL, field,
		               "must be an RFC 3339 date-time such as 2026-03-01T00:00:00Z");
	return ERR_OK;
}

enum err survey_wave_create(struct store_conn *c, const char *slug, const char *title,
                            const char *instrument, const char *area, const char *org,
                            const char *opens_at, const char *closes_at, int64_t *idp,
                            struct errinfo *ei)
{
	if (!slug_valid(slug))
		return err_set(ei, ERR_INVAL, "slug",
		               "must be 1-63 lower-case letters, digits or '-'");
	enum err e = check_text("title", title, 200, ei);
	if (e)
		return e;
	int64_t inst = 0, area_id = 0, org_id = 0, opens = 0, closes = 0;
	if (!instrument)
		instrument = "confidence";
	if ((e = instrument_find(c, instrument, &inst)))
		return err_set(ei, e == ERR_NOTFOUND ? ERR_INVAL : e, "instrument",
		               "no instrument has this slug");
	if (!area || (e = survey_area_find(c, area, &area_id)))
		return err_set(ei, ERR_INVAL, "area", "is not the slug of an area");
	if (!org || (e = org_find(c, org, &org_id, NULL)))
		return err_set(ei, ERR_INVAL, "org", "is not the slug of an organisation");
	if ((e = parse_time("opens_at", opens_at, &opens, ei)) ||
	    (e = parse_time("closes_at", closes_at, &closes, ei)))
		return e;
	if (closes <= opens)
		return err_set(ei, ERR_INVAL, "closes_at", "must be after opens_at");
	static const char sql[] =
	    "INSERT INTO survey_waves (slug, title, instrument_id, area_id, org_id, opens_at, "
	    "closes_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	store_bind_text(st, 1, slug);
	store_bind_text(st, 2, title);
	store_bind_int(st, 3, inst);
	store_bind_int(st, 4, area_id);
	store_bind_int(st, 5, org_id);
	store_bind_int(st, 6, opens);
	store_bind_int(st, 7, closes);
	store_bind_int(st, 8, clock_now());
	enum store_step r = store_step(st);
	if (r == STORE_ROW && idp)
		*idp = store_col_int(st, 0);
	e = r == STORE_ROW ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	if (e == ERR_CONFLICT)
		return err_set(ei, e, "slug", "a wave with this slug already exists");
	if (e)
		return err_set(ei, e, "", "database error");
	return ERR_OK;
}

enum err survey_wave_update(struct store_conn *c, const char *slug, const char *title,
                            const char *opens_at, const char *closes_at, struct errinfo *ei)
{
	struct survey_wave w;
	enum err e = survey_wave_find(c, slug, &w);
	if (e)
		return err_set(ei, e, "", e == ERR_NOTFOUND ? "no such wave" : "database error");
	if (title && (e = check_text("title", title, 200, ei)))
		return e;
	int64_t opens = w.opens_at, closes = w.closes_at;
	if (opens_at && (e = parse_time("opens_at", opens_at, &opens, ei)))
		return e;
	if (closes_at && (e = parse_time("closes_at", closes_at, &closes, ei)))
		return e;
	if (closes <= opens)
		return err_set(ei, ERR_INVAL, closes_at ? "closes_at" : "opens_at",
		               "closes_at must be after opens_at");
	static const char sql[] = "UPDATE survey_waves SET title = COALESCE(?, title), "
	                          "opens_at = ?, closes_at = ? WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	store_bind_text(st, 1, title);
	store_bind_int(st, 2, opens);
	store_bind_int(st, 3, closes);
	store_bind_int(st, 4, w.id);
	if ((e = survey_run(st)))
		return err_set(ei, e, "", "database error");
	return ERR_OK;
}

enum err survey_wave_find(struct store_conn *c, const char *slug, struct survey_wave *w)
{
	static const char sql[] =
	    "SELECT w.id, w.area_id, w.org_id, w.instrument_id, w.slug, a.slug, w.opens_at, "
	    "w.closes_at, w.response_count, (SELECT COUNT(*) FROM survey_items i WHERE "
	    "i.instrument_id = w.instrument_id) FROM survey_waves w JOIN areas a ON a.id = "
	    "w.area_id WHERE w.slug = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, slug ? slug : "");
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (r == STORE_ROW) {
		memset(w, 0, sizeof *w);
		w->id = store_col_int(st, 0);
		w->area_id = store_col_int(st, 1);
		w->org_id = store_col_int(st, 2);
		w->instrument_id = store_col_int(st, 3);
		snprintf(w->slug, sizeof w->slug, "%s", store_col_text(st, 4));
		snprintf(w->area_slug, sizeof w->area_slug, "%s", store_col_text(st, 5));
		w->opens_at = store_col_int(st, 6);
		w->closes_at = store_col_int(st, 7);
		w->responses = store_col_int(st, 8);
		w->nitems = (int)store_col_int(st, 9);
	}
	store_reset(st);
	return e;
}

const char *survey_status(int64_t opens, int64_t closes, int64_t now)
{
	return now < opens ? "upcoming" : now >= closes ? "closed" : "open";
}

static json_t *wave_row_json(struct store_stmt *st, int64_t now)
{
	char o[32], cl[32];
	clock_format_rfc3339(store_col_int(st, 6), o);
	clock_format_rfc3339(store_col_int(st, 7), cl);
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:s, s:s, s:I}", "slug",
	                 store_col_text(st, 0), "title", store_col_text(st, 1), "instrument",
	                 store_col_text(st, 2), "area", "slug", store_col_text(st, 3), "name",
	                 store_col_text(st, 4), "org", "slug", store_col_text(st, 5), "name",
	                 store_col_text(st, 9), "opens_at", o, "closes_at", cl, "status",
	                 survey_status(store_col_int(st, 6), store_col_int(st, 7), now),
	                 "responses", (json_int_t)store_col_int(st, 8));
}

enum err survey_wave_list(struct store_conn *c, const char *area, json_t **out)
{
	static const char sql[] =
	    "SELECT w.slug, w.title, i.slug, a.slug, a.name, o.slug, w.opens_at, w.closes_at, "
	    "w.response_count, o.name FROM survey_waves w JOIN survey_instruments i ON i.id = "
	    "w.instrument_id JOIN areas a ON a.id = w.area_id JOIN orgs o ON o.id = w.org_id "
	    "WHERE (CAST(? AS TEXT) IS NULL OR a.slug = ?) ORDER BY w.opens_at DESC, w.slug";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, area);
	store_bind_text(st, 2, area);
	json_t *arr = json_array();
	int64_t now = clock_now();
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		json_array_append_new(arr, wave_row_json(st, now));
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	if (e) {
		json_decref(arr);
		return e;
	}
	*out = arr;
	return ERR_OK;
}

enum err survey_wave_json(struct store_conn *c, const char *slug, const char *lang, json_t **out)
{
	static const char sql[] =
	    "SELECT w.slug, w.title, i.slug, a.slug, a.name, o.slug, w.opens_at, w.closes_at, "
	    "w.response_count, o.name FROM survey_waves w JOIN survey_instruments i ON i.id = "
	    "w.instrument_id JOIN areas a ON a.id = w.area_id JOIN orgs o ON o.id = w.org_id "
	    "WHERE w.slug = ?";
	struct survey_wave w;
	enum err e = survey_wave_find(c, slug, &w);
	if (e)
		return e;
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, slug);
	json_t *o = store_step(st) == STORE_ROW ? wave_row_json(st, clock_now()) : NULL;
	store_reset(st);
	if (!o)
		return ERR_STORE;
	struct survey_items it;
	struct category_set *set = xmalloc(sizeof *set);
	struct survey_areas *areas = xmalloc(sizeof *areas);
	struct population *pop = xmalloc(sizeof *pop);
	if ((e = survey_items_load(c, w.instrument_id, &it)) || (e = trust_category_load(c, set)) ||
	    (e = survey_areas_load(c, areas)) || (e = population_for_area(c, w.area_id, set, pop)))
		goto out;
	int li = trust_category_lang_index(lang);
	json_t *items = json_array();
	for (int j = 0; j < it.n; j++)
		json_array_append_new(items, json_pack("{s:s, s:s}", "code", it.item[j].code,
		                                       "text", it.item[j].text[li]));
	json_object_set_new(o, "items", items);
	/* The choices offered: the categories of the area's baseline (when
	 * it covers the dimension), else all; "not stated" is the empty
	 * choice of the form. */
	json_t *choices = json_object();
	for (int d = 0; d < DIM_COUNT; d++) {
		json_t *arr = json_array();
		for (int i = 0; i < set->n; i++) {
			const struct trust_category *k = &set->c[i];
			if (k->dim != (enum dim)d || !strcmp(k->code, TRUST_CATEGORY_NOT_STATED))
				continue;
			if (pop->found && pop->has_dim[d] && pop->share[i] <= 0 &&
			    strcmp(k->code, "other"))
				continue;
			json_array_append_new(arr, json_pack("{s:s, s:s}", "code", k->code, "label",
			                                     trust_category_label(k, lang)));
		}
		json_object_set_new(choices, dim_name((enum dim)d), arr);
	}
	json_object_set_new(o, "choices", choices);
	json_t *sub = json_array();
	for (int i = 0; i < areas->n; i++)
		if (survey_area_within(areas, areas->a[i].id, w.area_id))
			json_array_append_new(sub, json_pack("{s:s, s:s}", "slug", areas->a[i].slug,
			                                     "name", areas->a[i].name));
	json_object_set_new(o, "areas", sub);
out:
	free(set);
	free(areas);
	free(pop);
	if (e) {
		json_decref(o);
		return e;
	}
	*out = o;
	return ERR_OK;
}

/* --- answering -------------------------------------------------------- */

/* Parses one answer: '1'..'5', '0' for don't know, '-' not answered; -1 if
 * invalid. */
int survey_answer_char(const char *v)
{
	if (!v || !*v)
		return '-';
	if (v[1] == '\0' && v[0] >= '0' && v[0] <= '5')
		return v[0];
	if (!strcmp(v, "dk") || !strcmp(v, "DK") || !strcmp(v, "dont_know"))
		return '0';
	return -1;
}

static const char answer_help[] =
    "must be 1 (strongly disagree) to 5 (strongly agree), or 0 (don't know)";

/* Resolves the optional fields of a response into ids (0: none). */
enum err survey_resolve(struct store_conn *c, const struct survey_wave *w,
                        const struct category_set *set, const struct survey_areas *areas,
                        const char *(*get)(void *, const char *), void *arg,
                        struct survey_resolved *out, struct errinfo *ei)
{
	memset(out, 0, sizeof *out);
	const char *area = get(arg, "area");
	if (area && *area) {
		int64_t id = 0;
		for (int i = 0; i < areas->n && !id; i++)
			if (!strcmp(areas->a[i].slug, area))
				id = areas->a[i].id;
		if (!id || !survey_area_within(areas, id, w->area_id))
			return err_set(ei, ERR_INVAL, "area",
			               "is not the slug of %s or an area within it", w->area_slug);
		out->area_id = id;
	}
	const char *org = get(arg, "org");
	if (org && *org) {
		if (!slug_valid(org) || org_find(c, org, &out->org_id, NULL) != ERR_OK)
			return err_set(ei, ERR_INVAL, "org", "is not the slug of an organisation");
	}
	for (int d = 0; d < DIM_COUNT; d++) {
		const char *v = get(arg, dim_name((enum dim)d));
		if (!v || !*v || !strcmp(v, TRUST_CATEGORY_NOT_STATED))
			continue;
		const struct trust_category *k = trust_category_find(set, (enum dim)d, v);
		if (!k)
			return err_set(ei, ERR_INVAL, dim_name((enum dim)d),
			               "is not a category of %s (see GET /api/v1/trust/categories)",
			               dim_name((enum dim)d));
		out->cat_id[d] = k->id;
	}
	return ERR_OK;
}

static void bind_id(struct store_stmt *st, int i, int64_t id)
{
	if (id)
		store_bind_int(st, i, id);
	else
		store_bind_null(st, i);
}

enum err survey_insert(struct store_conn *c, int64_t wave_id, const struct survey_resolved *r,
                       const char *lang, const char *source, const char *answers,
                       const char *import_ref)
{
	static const char sql[] =
	    "INSERT INTO survey_responses (wave_id, area_id, org_id, ethnicity_id, "
	    "religion_id, sex_id, age_id, lang, source, answers, import_ref, submitted_on) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, wave_id);
	bind_id(st, 2, r->area_id);
	bind_id(st, 3, r->org_id);
	for (int d = 0; d < DIM_COUNT; d++)
		bind_id(st, 4 + d, r->cat_id[d]);
	store_bind_text(st, 8, lang ? lang : "");
	store_bind_text(st, 9, source);
	store_bind_text(st, 10, answers);
	store_bind_text(st, 11, import_ref);
	store_bind_int(st, 12, clock_now() / 86400);
	return survey_run(st);
}

enum err survey_count_add(struct store_conn *c, int64_t wave_id, int64_t n)
{
	static const char sql[] =
	    "UPDATE survey_waves SET response_count = response_count + ? WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, n);
	store_bind_int(st, 2, wave_id);
	return survey_run(st);
}

int survey_token_known(struct store_conn *c, int64_t wave_id, const char *token_hash)
{
	static const char sql[] =
	    "SELECT 1 FROM survey_tokens WHERE wave_id = ? AND token_hash = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st || !token_hash)
		return 0;
	store_bind_int(st, 1, wave_id);
	store_bind_text(st, 2, token_hash);
	int known = store_step(st) == STORE_ROW;
	store_reset(st);
	return known;
}

enum err survey_respond(struct store_conn *c, const struct survey_wave *w,
                        const char *(*get)(void *arg, const char *name), void *arg,
                        const char *lang, const char *token_hash, struct errinfo *ei)
{
	int64_t now = clock_now();
	if (now < w->opens_at)
		return err_set(ei, ERR_CONFLICT, "wave", "this survey is not open yet");
	if (now >= w->closes_at)
		return err_set(ei, ERR_CONFLICT, "wave", "this survey is closed");
	struct survey_items it;
	enum err e = survey_items_load(c, w->instrument_id, &it);
	if (e)
		return err_set(ei, e, "", "database error");
	char answers[SURVEY_MAX_ITEMS + 1];
	int answered = 0;
	for (int j = 0; j < it.n; j++) {
		char name[48];
		snprintf(name, sizeof name, "answers.%s", it.item[j].code);
		int a = survey_answer_char(get(arg, name));
		if (a < 0)
			return err_set(ei, ERR_INVAL, name, "%s", answer_help);
		answers[j] = (char)a;
		answered += a != '-';
	}
	answers[it.n] = '\0';
	if (!answered)
		return err_set(ei, ERR_INVAL, "answers", "answer at least one question");
	struct category_set *set = xmalloc(sizeof *set);
	struct survey_areas *areas = xmalloc(sizeof *areas);
	struct survey_resolved res;
	if ((e = trust_category_load(c, set)) || (e = survey_areas_load(c, areas)))
		err_set(ei, e, "", "database error");
	else
		e = survey_resolve(c, w, set, areas, get, arg, &res, ei);
	free(set);
	free(areas);
	if (e)
		return e;
	if (token_hash && survey_token_known(c, w->id, token_hash))
		return err_set(ei, ERR_CONFLICT, "wave", "this browser has already answered");
	if ((e = store_begin(c)))
		return err_set(ei, e, "", "database error");
	e = survey_insert(c, w->id, &res, lang, "web", answers, NULL);
	if (!e)
		e = survey_count_add(c, w->id, 1);
	if (!e && token_hash) {
		static const char tok[] =
		    "INSERT INTO survey_tokens (wave_id, token_hash) VALUES (?, ?)";
		struct store_stmt *st = store_prepare(c, tok);
		if (!st) {
			e = ERR_STORE;
		} else {
			store_bind_int(st, 1, w->id);
			store_bind_text(st, 2, token_hash);
			e = survey_run(st);
		}
	}
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		if (e == ERR_CONFLICT)
			return err_set(ei, e, "wave", "this browser has already answered");
		return err_set(ei, e, "", "database error");
	}
	return ERR_OK;
}
