/* category.c - report categories and monitored strands. */
#include "domain/category.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/field.h"

const char *const category_langs[CATEGORY_LANGS] = {"en", "fr", "nl"};

#define LABEL_MAX       200
#define DESCRIPTION_MAX 1000

/* The seed. Texts: English, French, Dutch. */
static const struct {
	const char *code;
	int is_public, has_strands;
	const char *label[CATEGORY_LANGS], *description[CATEGORY_LANGS];
} seed_categories[] = {
    {"hate_incident",
     0,
     1,
     {"Hate incident", "Incident de haine", "Haatincident"},
     {"Something that was not a crime but targeted someone because of who they are.",
      "Un acte qui n'est pas un délit mais qui visait quelqu'un pour ce qu'il est.",
      "Iets dat geen misdrijf was, maar iemand viseerde om wie die is."}},
    {"hate_crime",
     0,
     1,
     {"Hate crime", "Crime de haine", "Haatmisdrijf"},
     {"A crime, such as an assault, a threat or damage, targeting someone because of who "
      "they are.",
      "Un délit, comme une agression, une menace ou une dégradation, visant quelqu'un pour "
      "ce qu'il est.",
      "Een misdrijf, zoals geweld, een bedreiging of vernieling, gericht tegen iemand om wie "
      "die is."}},
    {"anti_social_behaviour",
     1,
     0,
     {"Anti-social behaviour", "Comportement antisocial", "Overlast"},
     {"Noise, vandalism, intimidation or other behaviour that harms life in a neighbourhood.",
      "Bruit, vandalisme, intimidation ou autre comportement qui nuit à la vie du quartier.",
      "Lawaai, vandalisme, intimidatie of ander gedrag dat het leven in een buurt schaadt."}},
    {"community_tension",
     0,
     0,
     {"Community tension", "Tensions dans le quartier", "Spanningen in de buurt"},
     {"Rising tension between groups in an area that could lead to conflict.",
      "Des tensions croissantes entre groupes, qui pourraient mener à un conflit.",
      "Toenemende spanning tussen groepen die tot een conflict kan leiden."}},
    {"police_conduct",
     0,
     0,
     {"Concern about police conduct", "Inquiétude sur le comportement de la police",
      "Bezorgdheid over het optreden van de politie"},
     {"How police officers or staff behaved towards you or others.",
      "La manière dont des policiers se sont comportés envers vous ou d'autres.",
      "Hoe politiemensen zich tegenover u of anderen gedroegen."}},
    {"other",
     0,
     0,
     {"Something else", "Autre chose", "Iets anders"},
     {"Anything else you want the police or a community organisation to know.",
      "Tout ce que vous voulez faire savoir à la police ou à une organisation de quartier.",
      "Al het andere dat u de politie of een buurtorganisatie wilt laten weten."}},
};

static const struct {
	const char *code;
	const char *label[CATEGORY_LANGS];
} seed_strands[] = {
    {"race", {"Race or ethnicity", "Origine ou couleur de peau", "Afkomst of huidskleur"}},
    {"religion", {"Religion or belief", "Religion ou conviction", "Geloof of levensbeschouwing"}},
    {"sexual_orientation", {"Sexual orientation", "Orientation sexuelle", "Seksuele geaardheid"}},
    {"disability", {"Disability", "Handicap", "Handicap"}},
    {"transgender", {"Transgender identity", "Identité transgenre", "Transgenderidentiteit"}},
    {"sex_gender", {"Sex or gender", "Sexe ou genre", "Geslacht of gender"}},
    {"other", {"Other", "Autre", "Andere"}},
};

enum err category_seed(struct store_conn *c)
{
	static const char strand_sql[] =
	    "INSERT INTO report_strand_types (code, position, label_en, label_fr, label_nl) "
	    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING";
	static const char cat_sql[] =
	    "INSERT INTO report_categories (code, is_public, has_strands, active, position, "
	    "label_en, label_fr, label_nl, description_en, description_fr, description_nl, "
	    "created_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING";
	enum err e = store_begin(c);
	for (size_t i = 0; !e && i < sizeof seed_strands / sizeof seed_strands[0]; i++) {
		struct store_stmt *st = store_prepare(c, strand_sql);
		if (st) {
			store_bind_text(st, 1, seed_strands[i].code);
			store_bind_int(st, 2, (int64_t)i + 1);
			for (int k = 0; k < CATEGORY_LANGS; k++)
				store_bind_text(st, 3 + k, seed_strands[i].label[k]);
		}
		e = store_run(st);
	}
	int64_t now = clock_now();
	for (size_t i = 0; !e && i < sizeof seed_categories / sizeof seed_categories[0]; i++) {
		struct store_stmt *st = store_prepare(c, cat_sql);
		if (st) {
			store_bind_text(st, 1, seed_categories[i].code);
			store_bind_int(st, 2, seed_categories[i].is_public);
			store_bind_int(st, 3, seed_categories[i].has_strands);
			store_bind_int(st, 4, (int64_t)i + 1);
			for (int k = 0; k < CATEGORY_LANGS; k++) {
				store_bind_text(st, 5 + k, seed_categories[i].label[k]);
				store_bind_text(st, 8 + k, seed_categories[i].description[k]);
			}
			store_bind_int(st, 11, now);
		}
		e = store_run(st);
	}
	if (e) {
		store_rollback(c);
		return e;
	}
	return store_commit(c);
}

enum err category_find(struct store_conn *c, const char *code, struct category *out)
{
	static const char sql[] = "SELECT id, code, is_public, has_strands, active "
	                          "FROM report_categories WHERE code = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, code);
	enum store_step r = store_step(st);
	enum err e = ERR_NOTFOUND;
	if (r == STORE_ROW) {
		out->id = store_col_int(st, 0);
		snprintf(out->code, sizeof out->code, "%s", store_col_text(st, 1));
		out->is_public = store_col_int(st, 2) != 0;
		out->has_strands = store_col_int(st, 3) != 0;
		out->active = store_col_int(st, 4) != 0;
		e = ERR_OK;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}

/* {"en","fr","nl"} from three consecutive text columns from i. */
static json_t *langs_json(struct store_stmt *st, int i)
{
	json_t *o = json_object();
	for (int k = 0; k < CATEGORY_LANGS; k++)
		json_object_set_new(o, category_langs[k], json_string(store_col_text(st, i + k)));
	return o;
}

#define CATEGORY_COLS                                                                              \
	"code, is_public, has_strands, active, position, label_en, label_fr, label_nl, "           \
	"description_en, description_fr, description_nl FROM report_categories "

static json_t *category_row(struct store_stmt *st)
{
	return json_pack("{s:s, s:b, s:b, s:b, s:I, s:o, s:o}", "code", store_col_text(st, 0),
	                 "public", (int)store_col_int(st, 1), "strands", (int)store_col_int(st, 2),
	                 "active", (int)store_col_int(st, 3), "position",
	                 (json_int_t)store_col_int(st, 4), "label", langs_json(st, 5),
	                 "description", langs_json(st, 8));
}

enum err category_list(struct store_conn *c, int public_only, int active_only, json_t **out)
{
	static const char sql[] =
	    "SELECT " CATEGORY_COLS "WHERE (is_public = 1 OR ? = 0) AND (active = 1 OR ? = 0) "
	    "ORDER BY position, code";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, public_only ? 1 : 0);
	store_bind_int(st, 2, active_only ? 1 : 0);
	json_t *arr = json_array();
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		json_array_append_new(arr, category_row(st));
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	if (e) {
		json_decref(arr);
		return e;
	}
	*out = arr;
	return ERR_OK;
}

enum err category_get(struct store_conn *c, const char *code, json_t **out)
{
	static const char sql[] = "SELECT " CATEGORY_COLS "WHERE code = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, code);
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (!e)
		*out = category_row(st);
	store_reset(st);
	return e;
}

enum err category_strands(struct store_conn *c, json_t **out)
{
	static const char sql[] = "SELECT code, label_en, label_fr, label_nl "
	                          "FROM report_strand_types ORDER BY position";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	json_t *arr = json_array();
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:o}", "code", store_col_text(st, 0),
		                                     "label", langs_json(st, 1)));
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	if (e) {
		json_decref(arr);
		return e;
	}
	*out = arr;
	return ERR_OK;
}

enum err category_strand_find(struct store_conn *c, const char *code, int64_t *id)
{
	static const char sql[] = "SELECT id FROM report_strand_types WHERE code = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, code);
	return field_int(st, id);
}

const char *category_label(const json_t *cat, const char *lang)
{
	const json_t *labels = json_object_get(cat, "label");
	const char *s = json_string_value(json_object_get(labels, lang ? lang : "en"));
	return s ? s : json_string_value(json_object_get(labels, "en"));
}

static enum err check_input(const struct category_input *in, int creating, struct errinfo *ei)
{
	if (!field_code_valid(in->code))
		return err_set(ei, ERR_INVAL, "code",
		               "must be 1-63 lower-case letters, digits or '_'");
	for (int k = 0; k < CATEGORY_LANGS; k++) {
		char f[32];
		snprintf(f, sizeof f, "label.%s", category_langs[k]);
		enum err e = field_text_chars(f, in->label[k], LABEL_MAX, creating, 0, ei);
		if (!e && !creating && in->label[k] && !*in->label[k])
			e = err_set(ei, ERR_INVAL, f, "must not be empty");
		if (e)
			return e;
		snprintf(f, sizeof f, "description.%s", category_langs[k]);
		if ((e = field_text_chars(f, in->description[k], DESCRIPTION_MAX, 0, 1, ei)))
			return e;
	}
	if (in->position < -1 || in->position > 1000000)
		return err_set(ei, ERR_INVAL, "position", "must be between 0 and 1000000");
	return ERR_OK;
}

static int flag_or(int v, int def)
{
	return v < 0 ? def : v != 0;
}

static const char *text_or(const char *s, const char *def)
{
	return s ? s : def;
}

enum err category_create(struct store_conn *c, const struct category_input *in, struct errinfo *ei)
{
	enum err e = check_input(in, 1, ei);
	if (e)
		return e;
	int64_t pos = in->position;
	if (pos < 0) {
		static const char last[] =
		    "SELECT COALESCE(MAX(position), 0) + 1 FROM report_categories";
		if ((e = field_int(store_prepare(c, last), &pos)))
			return err_set(ei, e, "", "database error");
	}
	static const char sql[] =
	    "INSERT INTO report_categories (code, is_public, has_strands, active, position, "
	    "label_en, label_fr, label_nl, description_en, description_fr, description_nl, "
	    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	store_bind_text(st, 1, in->code);
	store_bind_int(st, 2, flag_or(in->is_public, 0));
	store_bind_int(st, 3, flag_or(in->has_strands, 0));
	store_bind_int(st, 4, flag_or(in->active, 1));
	store_bind_int(st, 5, pos);
	for (int k = 0; k < CATEGORY_LANGS; k++) {
		store_bind_text(st, 6 + k, in->label[k]);
		store_bind_text(st, 9 + k, text_or(in->description[k], ""));
	}
	store_bind_int(st, 12, clock_now());
	e = store_run(st);
	if (e == ERR_CONFLICT)
		return err_set(ei, e, "code", "a category with this code already exists");
	if (e)
		return err_set(ei, e, "", "database error");
	return ERR_OK;
}

enum err category_update(struct store_conn *c, const struct category_input *in, struct errinfo *ei)
{
	enum err e = check_input(in, 0, ei);
	if (e)
		return e;
	/* Unchanged fields are bound as NULL and kept by COALESCE. */
	static const char sql[] =
	    "UPDATE report_categories SET is_public = COALESCE(CAST(? AS BIGINT), is_public), "
	    "has_strands = COALESCE(CAST(? AS BIGINT), has_strands), "
	    "active = COALESCE(CAST(? AS BIGINT), active), "
	    "position = COALESCE(CAST(? AS BIGINT), position), "
	    "label_en = COALESCE(CAST(? AS TEXT), label_en), "
	    "label_fr = COALESCE(CAST(? AS TEXT), label_fr), "
	    "label_nl = COALESCE(CAST(? AS TEXT), label_nl), "
	    "description_en = COALESCE(CAST(? AS TEXT), description_en), "
	    "description_fr = COALESCE(CAST(? AS TEXT), description_fr), "
	    "description_nl = COALESCE(CAST(? AS TEXT), description_nl) WHERE code = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	int flags[3] = {in->is_public, in->has_strands, in->active};
	for (int k = 0; k < 3; k++) {
		if (flags[k] < 0)
			store_bind_null(st, 1 + k);
		else
			store_bind_int(st, 1 + k, flags[k] != 0);
	}
	if (in->position < 0)
		store_bind_null(st, 4);
	else
		store_bind_int(st, 4, in->position);
	for (int k = 0; k < CATEGORY_LANGS; k++) {
		store_bind_text(st, 5 + k, in->label[k]);
		store_bind_text(st, 8 + k, in->description[k]);
	}
	store_bind_text(st, 11, in->code);
	if ((e = store_run(st)))
		return err_set(ei, e, "", "database error");
	if (store_changes(c) == 0)
		return err_set(ei, ERR_NOTFOUND, "code", "no category has this code");
	return ERR_OK;
}
