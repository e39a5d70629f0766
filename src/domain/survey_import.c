/* survey_import.c - responses from CSV, checked row by row, with a report
 * of every rejected row (line, column, reason). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/csvread.h"
#include "base/xalloc.h"
#include "domain/survey_internal.h"

#define REPORT_MAX 1000

static const char *const meta_cols[] = {"area", "org",  "ethnicity", "religion", "sex",
                                        "age",  "lang", "ref",       NULL};

struct imp {
	const struct survey_items *it;
	int col_item[SURVEY_MAX_ITEMS]; /* column of each item, -1 if absent */
	int col_meta[8];                /* column of each meta_cols entry, -1 */
	const struct csv_row *row;
	/* refs seen in this file: open addressing on digests */
	uint8_t (*refs)[CRYPTO_SHA256_LEN];
	unsigned char *used;
	size_t cap;
};

static const char *imp_get(void *arg, const char *name)
{
	struct imp *m = arg;
	if (!strncmp(name, "answers.", 8)) {
		for (int j = 0; j < m->it->n; j++)
			if (!strcmp(m->it->item[j].code, name + 8))
				return m->col_item[j] < 0 ? NULL : m->row->f[m->col_item[j]];
		return NULL;
	}
	for (int k = 0; meta_cols[k]; k++)
		if (!strcmp(meta_cols[k], name))
			return m->col_meta[k] < 0 ? NULL : m->row->f[m->col_meta[k]];
	return NULL;
}

/* 1 if d was already in the set (and adds it). */
static int ref_seen(struct imp *m, const uint8_t d[CRYPTO_SHA256_LEN])
{
	size_t h;
	memcpy(&h, d, sizeof h);
	for (size_t i = h % m->cap;; i = (i + 1) % m->cap) {
		if (!m->used[i]) {
			m->used[i] = 1;
			memcpy(m->refs[i], d, CRYPTO_SHA256_LEN);
			return 0;
		}
		if (!memcmp(m->refs[i], d, CRYPTO_SHA256_LEN))
			return 1;
	}
}

static int ref_in_db(struct store_conn *c, int64_t wave_id, const char *hex)
{
	static const char sql[] =
	    "SELECT 1 FROM survey_responses WHERE wave_id = ? AND import_ref = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return 0;
	store_bind_int(st, 1, wave_id);
	store_bind_text(st, 2, hex);
	int found = store_step(st) == STORE_ROW;
	store_reset(st);
	return found;
}

static void reject(json_t *list, long *count, int line, const char *column, const char *reason)
{
	(*count)++;
	if (json_array_size(list) < REPORT_MAX)
		json_array_append_new(list, json_pack("{s:i, s:s, s:s}", "line", line, "column",
		                                      column, "reason", reason));
}

/* Checks one row (and with insert, stores it). Returns 1 if it is valid. */
static int import_row(struct store_conn *c, const struct survey_wave *w,
                      const struct category_set *set, const struct survey_areas *areas,
                      struct imp *m, size_t ncols, json_t *rejected, long *nrej, int insert,
                      enum err *ep)
{
	const struct csv_row *row = m->row;
	char msg[300];
	if (row->nf != ncols) {
		snprintf(msg, sizeof msg, "has %zu fields but the header has %zu", row->nf, ncols);
		reject(rejected, nrej, row->line, "", msg);
		return 0;
	}
	int ok = 1, answered = 0;
	char answers[SURVEY_MAX_ITEMS + 1];
	for (int j = 0; j < m->it->n; j++) {
		const char *v = m->col_item[j] < 0 ? NULL : row->f[m->col_item[j]];
		int a = survey_answer_char(v);
		if (a < 0) {
			snprintf(
			    msg, sizeof msg,
			    "'%.40s' is not an answer: use 1 (strongly disagree) to 5 (strongly "
			    "agree), 0 or dk (don't know), or leave it empty",
			    v);
			reject(rejected, nrej, row->line, m->it->item[j].code, msg);
			ok = 0;
			a = '-';
		}
		answers[j] = (char)a;
		answered += a != '-';
	}
	answers[m->it->n] = '\0';
	if (ok && !answered) {
		reject(rejected, nrej, row->line, "", "no question is answered");
		ok = 0;
	}
	struct survey_resolved res;
	struct errinfo ei = {{0}, {0}};
	if (survey_resolve(c, w, set, areas, imp_get, m, &res, &ei) != ERR_OK) {
		reject(rejected, nrej, row->line, ei.field, ei.msg);
		ok = 0;
	}
	const char *lang = m->col_meta[6] < 0 ? "" : row->f[m->col_meta[6]];
	if (*lang && strcmp(lang, "en") && strcmp(lang, "fr") && strcmp(lang, "nl")) {
		reject(rejected, nrej, row->line, "lang", "must be en, fr, nl or empty");
		ok = 0;
	}
	char hex[2 * CRYPTO_SHA256_LEN + 1];
	const char *ref = m->col_meta[7] < 0 ? NULL : row->f[m->col_meta[7]];
	if (ref && *ref) {
		char *s = xasprintf("%lld:%s", (long long)w->id, ref);
		uint8_t d[CRYPTO_SHA256_LEN];
		crypto_sha256(s, strlen(s), d);
		free(s);
		crypto_hex(d, sizeof d, hex);
		if (!insert && ref_seen(m, d)) {
			reject(rejected, nrej, row->line, "ref",
			       "repeats the ref of an earlier row");
			ok = 0;
		} else if (!insert && ref_in_db(c, w->id, hex)) {
			reject(rejected, nrej, row->line, "ref",
			       "a response with this ref was already imported");
			ok = 0;
		}
	}
	if (ok && insert) {
		enum err e = survey_insert(c, w->id, &res, lang, "import", answers,
		                           ref && *ref ? hex : NULL);
		if (e && !*ep)
			*ep = e;
	}
	return ok;
}

static enum err read_header(const struct csv_row *h, struct imp *m, struct errinfo *ei)
{
	for (int j = 0; j < SURVEY_MAX_ITEMS; j++)
		m->col_item[j] = -1;
	for (int k = 0; k < 8; k++)
		m->col_meta[k] = -1;
	int items = 0;
	for (size_t i = 0; i < h->nf; i++) {
		const char *name = h->f[i];
		int found = 0;
		for (int j = 0; j < m->it->n && !found; j++)
			if (!strcmp(m->it->item[j].code, name)) {
				if (m->col_item[j] >= 0)
					return err_set(ei, ERR_INVAL, name,
					               "line 1: the column appears twice");
				m->col_item[j] = (int)i;
				items++;
				found = 1;
			}
		for (int k = 0; meta_cols[k] && !found; k++)
			if (!strcmp(meta_cols[k], name)) {
				if (m->col_meta[k] >= 0)
					return err_set(ei, ERR_INVAL, name,
					               "line 1: the column appears twice");
				m->col_meta[k] = (int)i;
				found = 1;
			}
		if (!found)
			return err_set(
			    ei, ERR_INVAL, *name ? name : "header",
			    "line 1: unknown column '%.60s' (expected question codes such "
			    "as %s, or area, org, ethnicity, religion, sex, age, lang, "
			    "ref)",
			    name, m->it->n ? m->it->item[0].code : "");
	}
	if (!items)
		return err_set(ei, ERR_INVAL, "header",
		               "line 1: the header names no question of the survey");
	return ERR_OK;
}

enum err survey_import_csv(struct store_conn *c, const struct survey_wave *w, const char *csv,
                           size_t len, int skip_invalid, int dry_run, json_t **report,
                           struct errinfo *ei)
{
	*report = NULL;
	struct csv_doc doc;
	char msg[256];
	enum err e = csv_read(csv, len, SURVEY_IMPORT_MAX_ROWS + 1, &doc, msg, sizeof msg);
	if (e)
		return err_set(ei, e, "csv", "%s", msg);
	struct survey_items it;
	struct category_set *set = xmalloc(sizeof *set);
	struct survey_areas *areas = xmalloc(sizeof *areas);
	struct imp m;
	memset(&m, 0, sizeof m);
	m.it = &it;
	json_t *rejected = json_array();
	long nrej = 0, valid = 0;
	unsigned char *ok_row = NULL;
	if ((e = survey_items_load(c, w->instrument_id, &it)) || (e = trust_category_load(c, set)) ||
	    (e = survey_areas_load(c, areas))) {
		err_set(ei, e, "", "database error");
		goto out;
	}
	if (doc.nrows == 0) {
		e = err_set(ei, ERR_INVAL, "csv", "the file is empty: it needs a header line");
		goto out;
	}
	if ((e = read_header(&doc.rows[0], &m, ei)))
		goto out;
	m.cap = 2 * doc.nrows + 16;
	m.refs = xcalloc(m.cap, sizeof *m.refs);
	m.used = xcalloc(m.cap, 1);
	size_t ncols = doc.rows[0].nf;
	ok_row = xcalloc(doc.nrows, 1);
	for (size_t i = 1; i < doc.nrows; i++) {
		m.row = &doc.rows[i];
		ok_row[i] =
		    (unsigned char)import_row(c, w, set, areas, &m, ncols, rejected, &nrej, 0, &e);
		valid += ok_row[i];
	}
	int refuse = nrej > 0 && !skip_invalid;
	long imported = 0;
	if (!dry_run && !refuse && valid > 0) {
		if ((e = store_begin(c))) {
			err_set(ei, e, "", "database error");
			goto out;
		}
		for (size_t i = 1; i < doc.nrows && !e; i++) {
			if (!ok_row[i])
				continue;
			m.row = &doc.rows[i];
			long dummy = 0;
			json_t *none = json_array();
			imported += import_row(c, w, set, areas, &m, ncols, none, &dummy, 1, &e);
			json_decref(none);
		}
		if (!e)
			e = survey_count_add(c, w->id, imported);
		if (!e)
			e = store_commit(c);
		if (e) {
			store_rollback(c);
			err_set(ei, e, "", "database error; nothing was imported");
			goto out;
		}
	}
	*report = json_pack("{s:I, s:I, s:I, s:O, s:b}", "rows", (json_int_t)(doc.nrows - 1),
	                    "imported", (json_int_t)imported, "rejected_rows", (json_int_t)nrej,
	                    "rejected", rejected, "dry_run", dry_run);
	if (refuse)
		e = err_set(ei, ERR_INVAL, "csv",
		            "%ld row(s) rejected; nothing was imported (fix them, or import the "
		            "valid rows with skip_invalid)",
		            nrej);
	else
		e = ERR_OK;
out:
	json_decref(rejected);
	free(ok_row);
	free(m.refs);
	free(m.used);
	free(set);
	free(areas);
	csv_doc_free(&doc);
	return e;
}
