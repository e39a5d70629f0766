/* survey.h - trust surveys: instruments and their items, waves (one round
 * of a survey in one area, open between two dates), anonymous responses,
 * CSV imports, and the indicators: percent agreeing per item, overall and
 * per group (ethnicity, religion, sex, age band, area), weighted to the
 * area's population when a baseline is loaded, with Wilson 95% intervals,
 * gaps to the overall figure and their significance, and small cells
 * suppressed with complementary suppression. See docs/trust.md. */
#ifndef CONSENT_DOMAIN_SURVEY_H
#define CONSENT_DOMAIN_SURVEY_H

#include <jansson.h>
#include <stdint.h>

#include "base/crypto.h"
#include "base/err.h"
#include "store/store.h"

#define SURVEY_MAX_ITEMS        24
#define SURVEY_MIN_CELL_DEFAULT 10
#define SURVEY_IMPORT_MAX_ROWS  2000000

/* A wave as the adapters need it. */
struct survey_wave {
	int64_t id;
	int64_t area_id;
	int64_t org_id; /* the organisation that runs it */
	int64_t instrument_id;
	char slug[64];
	char area_slug[64];
	int64_t opens_at, closes_at;
	int64_t responses;
	int nitems;
};

/* Seeds the standard categories and the standard instrument "confidence"
 * (idempotent). */
enum err survey_seed(struct store_conn *c);

/* Instruments with their items in lang: [{"slug","name","items":[{"code","text"}]}]. */
enum err survey_instrument_list(struct store_conn *c, const char *lang, json_t **out);

/* Creates a wave. opens_at/closes_at are RFC 3339 strings. The area and the
 * organisation are slugs. ERR_INVAL names the field; ERR_CONFLICT for a
 * taken slug. */
enum err survey_wave_create(struct store_conn *c, const char *slug, const char *title,
                            const char *instrument, const char *area, const char *org,
                            const char *opens_at, const char *closes_at, int64_t *id,
                            struct errinfo *ei);
/* Changes title and dates (NULL keeps). */
enum err survey_wave_update(struct store_conn *c, const char *slug, const char *title,
                            const char *opens_at, const char *closes_at, struct errinfo *ei);
/* Finds a wave by slug. ERR_NOTFOUND if none. */
enum err survey_wave_find(struct store_conn *c, const char *slug, struct survey_wave *w);
/* The wave as JSON, with its items in lang, status ("upcoming", "open",
 * "closed"), the response count, and for the form: the categories offered
 * (those of the area's baseline, else all) and the areas within the wave's
 * area. Caller owns. */
enum err survey_wave_json(struct store_conn *c, const char *slug, const char *lang, json_t **out);
/* Waves, newest first, optionally of one area (slug; NULL for all). */
enum err survey_wave_list(struct store_conn *c, const char *area, json_t **out);

/* Answers a wave. get(arg, name) returns the submitted value of a field or
 * NULL: "answers.<item code>" ("1".."5" strongly disagree..strongly agree,
 * "0" or "dk" don't know, "" or NULL not answered), "area", "org" (slugs),
 * "ethnicity", "religion", "sex", "age" (category codes; optional).
 * token_hash (hex SHA-256 of the browser's per-wave cookie) is recorded so
 * that the same browser cannot answer again: ERR_CONFLICT if it is known.
 * ERR_INVAL names the field; ERR_CONFLICT (field "wave") if the wave is
 * not open. Response and token are stored in one transaction, unlinked. */
enum err survey_respond(struct store_conn *c, const struct survey_wave *w,
                        const char *(*get)(void *arg, const char *name), void *arg,
                        const char *lang, const char *token_hash, struct errinfo *ei);
/* 1 if token_hash already answered wave_id. */
int survey_token_known(struct store_conn *c, int64_t wave_id, const char *token_hash);

/* Imports responses from CSV: a header naming the columns (the item codes,
 * and optionally area, org, ethnicity, religion, sex, age, lang, ref), one
 * response per row. Every row is checked first; *report receives
 * {"rows","imported","rejected_rows","rejected":[{"line","column","reason"}],
 * "dry_run"} (caller owns; the list stops at the first 1000 rejected rows,
 * rejected_rows counts them all).
 * Unless skip_invalid, nothing is imported if any row is rejected (then
 * ERR_INVAL with the report still filled). A header error is ERR_INVAL with
 * the column in ei and no report rows. */
enum err survey_import_csv(struct store_conn *c, const struct survey_wave *w, const char *csv,
                           size_t len, int skip_invalid, int dry_run, json_t **report,
                           struct errinfo *ei);

/* The minimum number of respondents behind a published figure (setting
 * "trust.min_cell", default SURVEY_MIN_CELL_DEFAULT). */
long survey_min_cell(struct store_conn *c);
/* Sets it (3..1000). Drops the cached indicators. */
enum err survey_set_min_cell(struct store_conn *c, long n, struct errinfo *ei);
/* Drops every cached indicator (after a population baseline changed). */
enum err survey_cache_clear(struct store_conn *c);

/* The indicators of a wave in lang (see docs/trust.md for the shape),
 * from the cache when it is current, else computed and cached. Caller
 * owns *out. */
enum err survey_indicators(struct store_conn *c, const char *slug, const char *lang, json_t **out);
/* Computes the indicators of a wave without the cache (codes only, no
 * labels); *ms receives the computation time. Caller owns *out. */
enum err survey_indicators_compute(struct store_conn *c, const struct survey_wave *w, json_t **out,
                                   double *ms);

/* Adds demo waves with a few thousand seeded pseudo-random responses in
 * Leicester and Antwerp (communities differ in trust). Runs inside the
 * caller's transaction; needs the demo areas and organisations. */
enum err survey_demo(struct store_conn *c, struct errinfo *ei);

#endif
