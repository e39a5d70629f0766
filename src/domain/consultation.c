/* consultation.c - consultations, their organisers, participants,
 * statements and moderation on the store interface. */
#include "domain/consultation.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "domain/consult_math.h"
#include "domain/org.h"

enum err consult_run(struct store_stmt *st)
{
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		;
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	return e;
}

/* Ends a transaction begun by the caller: rolls back on e, else commits. */
static enum err consult_finish(struct store_conn *c, enum err e)
{
	if (e) {
		store_rollback(c);
		return e;
	}
	return store_commit(c);
}

enum err consult_bump(struct store_conn *c, int64_t id)
{
	static const char sql[] = "UPDATE consultations SET version = version + 1 WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	return consult_run(st);
}

const char *consult_status(int64_t opens_at, int64_t closes_at, int64_t now)
{
	if (now < opens_at)
		return "upcoming";
	return now < closes_at ? "open" : "closed";
}

size_t consult_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int64_t consult_id_parse(const char *s)
{
	if (!s || !*s || strlen(s) > 18)
		return 0;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* A copy of s trimmed, with every run of white space made one space; NULL
 * if s is not valid UTF-8 or holds another control character. */
static char *consult_clean(const char *s)
{
	size_t n = strlen(s);
	if (!utf8_valid(s, n))
		return NULL;
	char *out = xmalloc(n + 1), *o = out;
	int space = 0;
	for (const char *p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			space = o != out;
			continue;
		}
		if (ch < 0x20 || ch == 0x7f) {
			free(out);
			return NULL;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = (char)ch;
	}
	*o = '\0';
	return out;
}

/* Checks a text field and returns its cleaned copy (caller frees) in *out. */
static enum err consult_text(const char *field, const char *s, size_t max_chars, int required,
                             char **out, struct errinfo *ei)
{
	*out = NULL;
	if (!s)
		return required ? err_set(ei, ERR_INVAL, field, "is required") : ERR_OK;
	char *t = consult_clean(s);
	if (!t)
		return err_set(ei, ERR_INVAL, field,
		               "must be valid UTF-8 text without control characters");
	if (required && !*t) {
		free(t);
		return err_set(ei, ERR_INVAL, field, "must not be empty");
	}
	if (consult_chars(t) > max_chars) {
		free(t);
		return err_set(ei, ERR_INVAL, field, "must have at most %zu characters", max_chars);
	}
	*out = t;
	return ERR_OK;
}

static enum err consult_area_id(struct store_conn *c, const char *slug, int64_t *id)
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

/* Validates a JSON array of community names; returns its compact text. */
static enum err consult_communities(json_t *list, char **out, struct errinfo *ei)
{
	*out = NULL;
	if (!list)
		return ERR_OK;
	if (!json_is_array(list) || json_array_size(list) > CONSULT_MAX_COMMUNITIES)
		return err_set(ei, ERR_INVAL, "communities",
		               "must be a list of at most %d community names",
		               CONSULT_MAX_COMMUNITIES);
	json_t *clean = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		char *t = NULL;
		const char *s = json_string_value(v);
		if (!s || consult_text("communities", s, CONSULT_COMMUNITY_MAX, 1, &t, NULL) ||
		    !*t) {
			free(t);
			json_decref(clean);
			return err_set(ei, ERR_INVAL, "communities",
			               "item %zu must be a name of 1 to %d characters", i,
			               CONSULT_COMMUNITY_MAX);
		}
		json_array_append_new(clean, json_string(t));
		free(t);
	}
	*out = json_dumps(clean, JSON_COMPACT);
	json_decref(clean);
	return ERR_OK;
}

static enum err consult_check_moderation(const char *m, struct errinfo *ei)
{
	if (m && strcmp(m, "strict") != 0 && strcmp(m, "permissive") != 0)
		return err_set(ei, ERR_INVAL, "moderation", "must be strict or permissive");
	return ERR_OK;
}

static enum err consult_check_max(int64_t max, struct errinfo *ei)
{
	if (max && (max < 20 || max > 2000))
		return err_set(ei, ERR_INVAL, "statement_max", "must be between 20 and 2000");
	return ERR_OK;
}

/* Inserts a statement with the next number. author < 0: none (a seed). */
static enum err consult_statement_insert(struct store_conn *c, int64_t id, int64_t author,
                                         const char *text, int mod, int seed, int meta,
                                         int64_t created_ms, int64_t *tid)
{
	static const char next[] = "UPDATE consultations SET next_tid = next_tid + 1, "
	                           "version = version + 1 WHERE id = ? RETURNING next_tid - 1";
	static const char ins[] =
	    "INSERT INTO consult_statements (consultation_id, tid, text, author_pid, is_seed, "
	    "is_meta, mod, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, next);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum store_step r = store_step(st);
	int64_t t = r == STORE_ROW ? store_col_int(st, 0) : -1;
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	store_reset(st);
	if (e)
		return e;
	if (!(st = store_prepare(c, ins)))
		return ERR_STORE;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, t);
	store_bind_text(st, 3, text);
	if (author >= 0)
		store_bind_int(st, 4, author);
	else
		store_bind_null(st, 4);
	store_bind_int(st, 5, seed);
	store_bind_int(st, 6, meta);
	store_bind_int(st, 7, mod);
	store_bind_int(st, 8, created_ms);
	e = consult_run(st);
	if (!e && tid)
		*tid = t;
	return e;
}

/* 1 if consultation id already has a statement with exactly this text. */
static int consult_duplicate(struct store_conn *c, int64_t id, const char *text)
{
	static const char sql[] =
	    "SELECT 1 FROM consult_statements WHERE consultation_id = ? AND text = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return 0;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, text);
	int dup = store_step(st) == STORE_ROW;
	store_reset(st);
	return dup;
}

/* Cleans and checks the seed statements; fills texts (caller frees each). */
static enum err consult_seed_texts(json_t *seed, int64_t max, char ***texts, size_t *n,
                                   struct errinfo *ei)
{
	*texts = NULL;
	*n = 0;
	if (!seed)
		return ERR_OK;
	if (!json_is_array(seed) || json_array_size(seed) > CONSULT_MAX_SEED)
		return err_set(ei, ERR_INVAL, "seed", "must be a list of at most %d statements",
		               CONSULT_MAX_SEED);
	size_t k = json_array_size(seed);
	char **t = xcalloc(k + 1, sizeof *t);
	enum err e = ERR_OK;
	for (size_t i = 0; i < k && !e; i++) {
		const char *s = json_string_value(json_array_get(seed, i));
		if (!s || consult_text("seed", s, (size_t)max, 1, &t[i], NULL)) {
			e = err_set(ei, ERR_INVAL, "seed",
			            "item %zu must be a statement of 1 to %lld characters", i,
			            (long long)max);
			break;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(t[j], t[i]))
				e = err_set(ei, ERR_INVAL, "seed", "item %zu repeats item %zu", i,
				            j);
	}
	if (e) {
		for (size_t i = 0; i < k; i++)
			free(t[i]);
		free(t);
		return e;
	}
	*texts = t;
	*n = k;
	return ERR_OK;
}

enum err consult_create(struct store_conn *c, const struct consult_new *n, int64_t created_by,
                        int64_t *idp, struct errinfo *ei)
{
	char *question = NULL, *desc = NULL, *comm = NULL, **seed = NULL;
	size_t nseed = 0;
	int64_t area = 0, orgs[CONSULT_MAX_ORGS] = {0};
	int norgs = 0;
	int64_t max = n->statement_max ? n->statement_max : CONSULT_STATEMENT_MAX;
	enum err e = consult_text("question", n->question, CONSULT_QUESTION_MAX, 1, &question, ei);
	if (e || (e = consult_text("description", n->description, 4000, 0, &desc, ei)))
		goto out;
	if (n->area) {
		if ((e = consult_area_id(c, n->area, &area))) {
			e = e == ERR_NOTFOUND
			        ? err_set(ei, ERR_INVAL, "area", "no area has this slug")
			        : err_set(ei, e, "", "database error");
			goto out;
		}
	} else if (!n->allow_no_area) {
		e = err_set(ei, ERR_INVAL, "area", "is required");
		goto out;
	}
	for (int i = 0; i < CONSULT_MAX_ORGS; i++) {
		if (!n->orgs[i])
			continue;
		if ((e = org_find(c, n->orgs[i], &orgs[norgs], NULL))) {
			e = e == ERR_NOTFOUND ? err_set(ei, ERR_INVAL, "orgs",
			                                "item %d is not the slug of an "
			                                "organisation",
			                                i)
			                      : err_set(ei, e, "", "database error");
			goto out;
		}
		if (norgs == 1 && orgs[0] == orgs[1]) {
			e = err_set(ei, ERR_INVAL, "orgs", "names the same organisation twice");
			goto out;
		}
		norgs++;
	}
	if (!norgs) {
		e = err_set(ei, ERR_INVAL, "orgs", "needs one or two organisations");
		goto out;
	}
	if (n->opens_at <= 0) {
		e = err_set(ei, ERR_INVAL, "opens_at", "is required");
		goto out;
	}
	if (n->closes_at <= n->opens_at) {
		e = err_set(ei, ERR_INVAL, "closes_at", "must be after opens_at");
		goto out;
	}
	if ((e = consult_check_moderation(n->moderation, ei)) || (e = consult_check_max(max, ei)) ||
	    (e = consult_seed_texts(n->seed, max, &seed, &nseed, ei)) ||
	    (e = consult_communities(n->communities, &comm, ei)))
		goto out;

	if ((e = store_begin(c))) {
		e = err_set(ei, e, "", "database error");
		goto out;
	}
	static const char ins[] =
	    "INSERT INTO consultations (question, description, area_id, opens_at, closes_at, "
	    "moderation, statement_max, communities, source, created_by, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
	static const char org_ins[] =
	    "INSERT INTO consultation_orgs (consultation_id, org_id) VALUES (?, ?)";
	struct store_stmt *st = store_prepare(c, ins);
	int64_t id = 0;
	if (!st) {
		e = ERR_STORE;
	} else {
		store_bind_text(st, 1, question);
		store_bind_text(st, 2, desc ? desc : "");
		if (area)
			store_bind_int(st, 3, area);
		else
			store_bind_null(st, 3);
		store_bind_int(st, 4, n->opens_at);
		store_bind_int(st, 5, n->closes_at);
		store_bind_text(st, 6, n->moderation ? n->moderation : "strict");
		store_bind_int(st, 7, max);
		store_bind_text(st, 8, comm ? comm : "[]");
		store_bind_text(st, 9, n->polis ? "polis" : "native");
		if (created_by)
			store_bind_int(st, 10, created_by);
		else
			store_bind_null(st, 10);
		store_bind_int(st, 11, clock_now());
		if (store_step(st) == STORE_ROW)
			id = store_col_int(st, 0);
		else
			e = store_stmt_err(st);
		store_reset(st);
	}
	for (int i = 0; !e && i < norgs; i++) {
		if (!(st = store_prepare(c, org_ins))) {
			e = ERR_STORE;
			break;
		}
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, orgs[i]);
		e = consult_run(st);
	}
	int64_t now_ms = clock_now_ms();
	for (size_t i = 0; !e && i < nseed; i++)
		e = consult_statement_insert(c, id, -1, seed[i], 1, 1, 0, now_ms, NULL);
	if ((e = consult_finish(c, e))) {
		e = err_set(ei, e, "", "database error");
		goto out;
	}
	if (idp)
		*idp = id;
out:
	for (size_t i = 0; i < nseed; i++)
		free(seed[i]);
	free(seed);
	free(question);
	free(desc);
	free(comm);
	return e;
}

enum err consult_dates(struct store_conn *c, int64_t id, int64_t *opens, int64_t *closes,
                       int64_t *max, int *strict)
{
	static const char sql[] = "SELECT opens_at, closes_at, statement_max, moderation "
	                          "FROM consultations WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (r == STORE_ROW) {
		*opens = store_col_int(st, 0);
		*closes = store_col_int(st, 1);
		if (max)
			*max = store_col_int(st, 2);
		if (strict)
			*strict = !strcmp(store_col_text(st, 3), "strict");
	}
	store_reset(st);
	return e;
}

enum err consult_update(struct store_conn *c, int64_t id, const struct consult_change *ch,
                        struct errinfo *ei)
{
	int64_t opens, closes;
	enum err e = consult_dates(c, id, &opens, &closes, NULL, NULL);
	if (e)
		return err_set(ei, e, "",
		               e == ERR_NOTFOUND ? "no such consultation" : "database error");
	char *question = NULL, *desc = NULL, *comm = NULL;
	if ((e = consult_text("question", ch->question, CONSULT_QUESTION_MAX, 0, &question, ei)) ||
	    (e = consult_text("description", ch->description, 4000, 0, &desc, ei)))
		goto out;
	if (question && !*question) {
		e = err_set(ei, ERR_INVAL, "question", "must not be empty");
		goto out;
	}
	if (ch->opens_at)
		opens = ch->opens_at;
	if (ch->closes_at)
		closes = ch->closes_at;
	if (closes <= opens) {
		e = err_set(ei, ERR_INVAL, ch->closes_at ? "closes_at" : "opens_at",
		            "the consultation must close after it opens");
		goto out;
	}
	if ((e = consult_check_moderation(ch->moderation, ei)) ||
	    (e = consult_check_max(ch->statement_max, ei)) ||
	    (e = consult_communities(ch->communities, &comm, ei)))
		goto out;
	static const char sql[] =
	    "UPDATE consultations SET question = COALESCE(?, question), "
	    "description = COALESCE(?, description), opens_at = ?, closes_at = ?, "
	    "moderation = COALESCE(?, moderation), statement_max = COALESCE(?, statement_max), "
	    "communities = COALESCE(?, communities), version = version + 1 WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		e = err_set(ei, ERR_STORE, "", "database error");
		goto out;
	}
	store_bind_text(st, 1, question);
	store_bind_text(st, 2, desc);
	store_bind_int(st, 3, opens);
	store_bind_int(st, 4, closes);
	store_bind_text(st, 5, ch->moderation);
	if (ch->statement_max)
		store_bind_int(st, 6, ch->statement_max);
	else
		store_bind_null(st, 6);
	store_bind_text(st, 7, comm);
	store_bind_int(st, 8, id);
	if ((e = consult_run(st)))
		err_set(ei, e, "", "database error");
out:
	free(question);
	free(desc);
	free(comm);
	return e;
}

static json_t *consult_rfc3339(int64_t t)
{
	char s[32];
	clock_format_rfc3339(t, s);
	return json_string(s);
}

static json_t *consult_org_list(struct store_conn *c, int64_t id)
{
	static const char sql[] = "SELECT o.slug, o.name, o.kind FROM consultation_orgs co "
	                          "JOIN orgs o ON o.id = co.org_id WHERE co.consultation_id = ? "
	                          "ORDER BY o.name";
	json_t *arr = json_array();
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return arr;
	store_bind_int(st, 1, id);
	while (store_step(st) == STORE_ROW)
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s}", "slug", store_col_text(st, 0), "name",
		                   store_col_text(st, 1), "kind", store_col_text(st, 2)));
	store_reset(st);
	return arr;
}

#define CONSULT_COLUMNS                                                                            \
	"c.id, c.question, c.description, a.slug, a.name, c.opens_at, c.closes_at, "               \
	"c.moderation, c.statement_max, c.communities, c.source"

/* The consultation of the current row of st (CONSULT_COLUMNS). */
static json_t *consult_row(struct store_conn *c, struct store_stmt *st)
{
	int64_t id = store_col_int(st, 0), opens = store_col_int(st, 5),
	        closes = store_col_int(st, 6);
	json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "question",
	                      store_col_text(st, 1), "description", store_col_text(st, 2));
	if (store_col_text(st, 3))
		json_object_set_new(o, "area",
		                    json_pack("{s:s, s:s}", "slug", store_col_text(st, 3), "name",
		                              store_col_text(st, 4)));
	else
		json_object_set_new(o, "area", json_null());
	json_object_set_new(o, "opens_at", consult_rfc3339(opens));
	json_object_set_new(o, "closes_at", consult_rfc3339(closes));
	json_object_set_new(o, "status", json_string(consult_status(opens, closes, clock_now())));
	json_object_set_new(o, "moderation", json_string(store_col_text(st, 7)));
	json_object_set_new(o, "statement_max", json_integer(store_col_int(st, 8)));
	json_t *comm = json_loads(store_col_text(st, 9), 0, NULL);
	json_object_set_new(o, "communities", comm ? comm : json_array());
	json_object_set_new(o, "source", json_string(store_col_text(st, 10)));
	(void)c;
	return o;
}

static int64_t consult_count(struct store_conn *c, const char *sql, int64_t id)
{
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return 0;
	store_bind_int(st, 1, id);
	int64_t n = store_step(st) == STORE_ROW ? store_col_int(st, 0) : 0;
	store_reset(st);
	return n;
}

enum err consult_get(struct store_conn *c, int64_t id, json_t **out)
{
	static const char sql[] = "SELECT " CONSULT_COLUMNS " FROM consultations c "
	                          "LEFT JOIN areas a ON a.id = c.area_id WHERE c.id = ?";
	static const char nst[] =
	    "SELECT COUNT(*) FROM consult_statements s JOIN consultations c ON "
	    "c.id = s.consultation_id WHERE s.consultation_id = ? AND "
	    "(s.mod = 1 OR (s.mod = 0 AND c.moderation = 'permissive'))";
	static const char nvotes[] = "SELECT COUNT(*) FROM consult_votes WHERE consultation_id = ?";
	static const char nvoters[] =
	    "SELECT COUNT(*) FROM consult_participants p WHERE p.consultation_id = ? AND "
	    "EXISTS (SELECT 1 FROM consult_votes v WHERE v.consultation_id = p.consultation_id "
	    "AND v.pid = p.pid)";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum store_step r = store_step(st);
	json_t *o = r == STORE_ROW ? consult_row(c, st) : NULL;
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	store_reset(st);
	if (e)
		return e;
	json_object_set_new(o, "orgs", consult_org_list(c, id));
	json_object_set_new(o, "statements", json_integer(consult_count(c, nst, id)));
	json_object_set_new(o, "participants", json_integer(consult_count(c, nvoters, id)));
	json_object_set_new(o, "votes", json_integer(consult_count(c, nvotes, id)));
	*out = o;
	return ERR_OK;
}

enum err consult_list(struct store_conn *c, json_t **out)
{
	static const char sql[] = "SELECT " CONSULT_COLUMNS " FROM consultations c "
	                          "LEFT JOIN areas a ON a.id = c.area_id "
	                          "ORDER BY c.closes_at DESC, c.id DESC LIMIT 500";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	json_t *arr = json_array();
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		json_array_append_new(arr, consult_row(c, st));
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	if (e) {
		json_decref(arr);
		return e;
	}
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o)
	{
		int64_t id = json_integer_value(json_object_get(o, "id"));
		json_object_set_new(o, "orgs", consult_org_list(c, id));
	}
	*out = arr;
	return ERR_OK;
}

enum err consult_organisers(struct store_conn *c, int64_t id, int64_t orgs[CONSULT_MAX_ORGS],
                            int *n)
{
	static const char sql[] = "SELECT org_id FROM consultation_orgs WHERE consultation_id = ? "
	                          "ORDER BY org_id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	*n = 0;
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		if (*n < CONSULT_MAX_ORGS)
			orgs[(*n)++] = store_col_int(st, 0);
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	return e;
}

int consult_allows_orgs(const struct actor *actor, enum action a, const int64_t *orgs, int n)
{
	for (int i = 0; i < n; i++)
		if (policy_allows(actor, a, orgs[i]))
			return 1;
	/* No organiser (cannot happen) or none matched: only "anywhere". */
	return policy_allows(actor, a, -1);
}

int consult_allows(struct store_conn *c, const struct actor *actor, enum action a, int64_t id)
{
	int64_t orgs[CONSULT_MAX_ORGS];
	int n = 0;
	if (consult_organisers(c, id, orgs, &n) != ERR_OK)
		n = 0;
	return consult_allows_orgs(actor, a, orgs, n);
}

/* --- participants ----------------------------------------------------- */

void consult_token_hash(const char *token, int64_t id, char out[65])
{
	char *s = xasprintf("%s:%lld", token, (long long)id);
	uint8_t h[CRYPTO_SHA256_LEN];
	crypto_sha256(s, strlen(s), h);
	crypto_hex(h, sizeof h, out);
	free(s);
}

enum err consult_participant_find(struct store_conn *c, int64_t id, const struct consult_who *who,
                                  int64_t *pid)
{
	static const char by_user[] = "SELECT pid FROM consult_participants "
	                              "WHERE consultation_id = ? AND user_id = ?";
	static const char by_token[] = "SELECT pid FROM consult_participants WHERE token_hash = ? "
	                               "AND consultation_id = ?";
	struct store_stmt *st;
	char hash[65];
	if (who->user_id) {
		if (!(st = store_prepare(c, by_user)))
			return ERR_STORE;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, who->user_id);
	} else if (who->token) {
		consult_token_hash(who->token, id, hash);
		if (!(st = store_prepare(c, by_token)))
			return ERR_STORE;
		store_bind_text(st, 1, hash);
		store_bind_int(st, 2, id);
	} else {
		return ERR_NOTFOUND;
	}
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (r == STORE_ROW)
		*pid = store_col_int(st, 0);
	store_reset(st);
	return e;
}

enum err consult_participant_join(struct store_conn *c, int64_t id, const struct consult_who *who,
                                  int64_t *pid, struct errinfo *ei)
{
	if (!who->user_id && !who->token)
		return err_set(ei, ERR_INVAL, "participant",
		               "no participant token and not signed in");
	enum err e = consult_participant_find(c, id, who, pid);
	if (e != ERR_NOTFOUND)
		return e ? err_set(ei, e, "", "database error") : ERR_OK;
	static const char next[] = "UPDATE consultations SET next_pid = next_pid + 1 WHERE id = ? "
	                           "RETURNING next_pid - 1";
	static const char ins[] = "INSERT INTO consult_participants (consultation_id, pid, "
	                          "token_hash, user_id, created_at) VALUES (?, ?, ?, ?, ?)";
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((e = store_begin(c)))
			return err_set(ei, e, "", "database error");
		struct store_stmt *st = store_prepare(c, next);
		int64_t p = -1;
		if (!st) {
			e = ERR_STORE;
		} else {
			store_bind_int(st, 1, id);
			enum store_step r = store_step(st);
			e = r == STORE_ROW    ? ERR_OK
			    : r == STORE_DONE ? ERR_NOTFOUND
			                      : store_stmt_err(st);
			if (r == STORE_ROW)
				p = store_col_int(st, 0);
			store_reset(st);
		}
		if (!e && !(st = store_prepare(c, ins)))
			e = ERR_STORE;
		if (!e) {
			char hash[65];
			store_bind_int(st, 1, id);
			store_bind_int(st, 2, p);
			if (!who->user_id) {
				consult_token_hash(who->token, id, hash);
				store_bind_text(st, 3, hash);
				store_bind_null(st, 4);
			} else {
				store_bind_null(st, 3);
				store_bind_int(st, 4, who->user_id);
			}
			store_bind_int(st, 5, clock_now());
			e = consult_run(st);
		}
		e = consult_finish(c, e);
		if (e == ERR_OK) {
			*pid = p;
			return ERR_OK;
		}
		if (e == ERR_NOTFOUND)
			return err_set(ei, e, "", "no such consultation");
		if (e != ERR_CONFLICT)
			break;
		/* The same browser joined at the same moment: use that. */
		if (consult_participant_find(c, id, who, pid) == ERR_OK)
			return ERR_OK;
	}
	return err_set(ei, e, "", "database error");
}

enum err consult_set_community(struct store_conn *c, int64_t id, int64_t pid, const char *community,
                               struct errinfo *ei)
{
	char *t = NULL;
	enum err e = consult_text("community", community, CONSULT_COMMUNITY_MAX, 0, &t, ei);
	if (e)
		return e;
	static const char sql[] = "UPDATE consult_participants SET community = ? "
	                          "WHERE consultation_id = ? AND pid = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		free(t);
		return err_set(ei, ERR_STORE, "", "database error");
	}
	store_bind_text(st, 1, t && *t ? t : NULL);
	store_bind_int(st, 2, id);
	store_bind_int(st, 3, pid);
	e = consult_run(st);
	free(t);
	if (!e && store_changes(c) == 0)
		return err_set(ei, ERR_NOTFOUND, "participant", "no such participant");
	/* The community spread is part of the results: they are stale now. */
	if (!e)
		e = consult_bump(c, id);
	return e ? err_set(ei, e, "", "database error") : ERR_OK;
}

static const char *consult_mod_status(int mod)
{
	return mod > 0 ? "accepted" : mod < 0 ? "rejected" : "pending";
}

enum err consult_me(struct store_conn *c, int64_t id, int64_t pid, json_t **out)
{
	static const char who[] = "SELECT community FROM consult_participants "
	                          "WHERE consultation_id = ? AND pid = ?";
	static const char votes[] =
	    "SELECT COUNT(*) FROM consult_votes WHERE consultation_id = ? AND pid = ?";
	static const char mine[] = "SELECT tid, text, mod, mod_reason FROM consult_statements "
	                           "WHERE consultation_id = ? AND author_pid = ? ORDER BY tid";
	struct store_stmt *st = store_prepare(c, who);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, pid);
	enum store_step r = store_step(st);
	json_t *o = NULL;
	if (r == STORE_ROW) {
		const char *comm = store_col_text(st, 0);
		o = json_pack("{s:s?}", "community", comm);
	}
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	store_reset(st);
	if (e)
		return e;
	if (!(st = store_prepare(c, votes))) {
		json_decref(o);
		return ERR_STORE;
	}
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, pid);
	json_object_set_new(o, "votes",
	                    json_integer(store_step(st) == STORE_ROW ? store_col_int(st, 0) : 0));
	store_reset(st);
	json_t *arr = json_array();
	if ((st = store_prepare(c, mine))) {
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, pid);
		while (store_step(st) == STORE_ROW) {
			int mod = (int)store_col_int(st, 2);
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s?}", "tid",
			                                     (json_int_t)store_col_int(st, 0),
			                                     "text", store_col_text(st, 1),
			                                     "status", consult_mod_status(mod),
			                                     "reason", store_col_text(st, 3)));
		}
		store_reset(st);
	}
	json_object_set_new(o, "statements", arr);
	*out = o;
	return ERR_OK;
}

/* --- statements and moderation ------------------------------------------ */

enum err consult_statement_add(struct store_conn *c, int64_t id, int64_t pid, const char *text,
                               int64_t *tid, struct errinfo *ei)
{
	int64_t opens, closes, max;
	enum err e = consult_dates(c, id, &opens, &closes, &max, NULL);
	if (e)
		return err_set(ei, e, "",
		               e == ERR_NOTFOUND ? "no such consultation" : "database error");
	int64_t now = clock_now();
	if (now >= closes)
		return err_set(ei, ERR_CONFLICT, "", "the consultation is closed");
	if (pid >= 0 && now < opens)
		return err_set(ei, ERR_CONFLICT, "", "the consultation is not open yet");
	char *t = NULL;
	if ((e = consult_text("text", text, (size_t)max, 1, &t, ei)))
		return e;
	if (consult_duplicate(c, id, t)) {
		free(t);
		return err_set(ei, ERR_CONFLICT, "text", "this statement is already there");
	}
	if ((e = store_begin(c))) {
		free(t);
		return err_set(ei, e, "", "database error");
	}
	e = consult_statement_insert(c, id, pid, t, pid < 0 ? 1 : 0, pid < 0, 0, clock_now_ms(),
	                             tid);
	free(t);
	if ((e = consult_finish(c, e)))
		return err_set(ei, e, "",
		               e == ERR_CONFLICT ? "no such participant" : "database error");
	return ERR_OK;
}

enum err consult_statements(struct store_conn *c, int64_t id, int all, json_t **out)
{
	static const char visible[] =
	    "SELECT s.tid, s.text, s.is_seed FROM consult_statements s JOIN consultations c ON "
	    "c.id = s.consultation_id WHERE s.consultation_id = ? AND (s.mod = 1 OR "
	    "(s.mod = 0 AND c.moderation = 'permissive')) ORDER BY s.tid";
	static const char every[] =
	    "SELECT s.tid, s.text, s.is_seed, s.is_meta, s.mod, s.mod_reason, s.author_pid, "
	    "COALESCE(t.a, 0), COALESCE(t.d, 0), COALESCE(t.p, 0) FROM consult_statements s "
	    "LEFT JOIN (SELECT tid, SUM(CASE WHEN vote = 1 THEN 1 ELSE 0 END) AS a, "
	    "SUM(CASE WHEN vote = -1 THEN 1 ELSE 0 END) AS d, "
	    "SUM(CASE WHEN vote = 0 THEN 1 ELSE 0 END) AS p FROM consult_votes "
	    "WHERE consultation_id = ? GROUP BY tid) t ON t.tid = s.tid "
	    "WHERE s.consultation_id = ? ORDER BY s.tid";
	struct store_stmt *st = store_prepare(c, all ? every : visible);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	if (all)
		store_bind_int(st, 2, id);
	json_t *arr = json_array();
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW) {
		json_t *o =
		    json_pack("{s:I, s:s, s:b}", "tid", (json_int_t)store_col_int(st, 0), "text",
		              store_col_text(st, 1), "seed", (int)store_col_int(st, 2));
		if (all) {
			json_object_set_new(o, "meta", json_boolean(store_col_int(st, 3)));
			json_object_set_new(
			    o, "status",
			    json_string(consult_mod_status((int)store_col_int(st, 4))));
			const char *reason = store_col_text(st, 5);
			json_object_set_new(o, "reason",
			                    reason ? json_string(reason) : json_null());
			json_object_set_new(o, "author",
			                    store_col_isnull(st, 6)
			                        ? json_null()
			                        : json_integer(store_col_int(st, 6)));
			json_object_set_new(o, "agree", json_integer(store_col_int(st, 7)));
			json_object_set_new(o, "disagree", json_integer(store_col_int(st, 8)));
			json_object_set_new(o, "pass", json_integer(store_col_int(st, 9)));
		}
		json_array_append_new(arr, o);
	}
	enum err e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	if (e) {
		json_decref(arr);
		return e;
	}
	*out = arr;
	return ERR_OK;
}

enum err consult_moderate(struct store_conn *c, int64_t id, const int64_t *tids, size_t n,
                          const char *action, const char *reason, int64_t user_id,
                          struct errinfo *ei)
{
	int mod, meta = 0;
	if (!action)
		return err_set(ei, ERR_INVAL, "action", "is required");
	if (!strcmp(action, "accept"))
		mod = 1;
	else if (!strcmp(action, "reject"))
		mod = -1;
	else if (!strcmp(action, "meta"))
		mod = 1, meta = 1;
	else
		return err_set(ei, ERR_INVAL, "action", "must be accept, reject or meta");
	if (n == 0)
		return err_set(ei, ERR_INVAL, "statements", "name at least one statement");
	if (n > 1000)
		return err_set(ei, ERR_INVAL, "statements", "at most 1000 at once");
	char *why = NULL;
	enum err e = consult_text("reason", reason, CONSULT_REASON_MAX, 0, &why, ei);
	if (e)
		return e;
	if (mod < 0 && (!why || !*why)) {
		free(why);
		return err_set(ei, ERR_INVAL, "reason",
		               "a rejection needs a reason for the author");
	}
	if ((e = store_begin(c))) {
		free(why);
		return err_set(ei, e, "", "database error");
	}
	static const char sql[] =
	    "UPDATE consult_statements SET mod = ?, is_meta = ?, mod_reason = ?, "
	    "moderated_by = ?, moderated_at = ? WHERE consultation_id = ? AND tid = ?";
	size_t bad = n;
	for (size_t i = 0; !e && i < n; i++) {
		struct store_stmt *st = store_prepare(c, sql);
		if (!st) {
			e = ERR_STORE;
			break;
		}
		store_bind_int(st, 1, mod);
		store_bind_int(st, 2, meta);
		store_bind_text(st, 3, why && *why ? why : NULL);
		if (user_id)
			store_bind_int(st, 4, user_id);
		else
			store_bind_null(st, 4);
		store_bind_int(st, 5, clock_now());
		store_bind_int(st, 6, id);
		store_bind_int(st, 7, tids[i]);
		e = consult_run(st);
		if (!e && store_changes(c) == 0) {
			bad = i;
			e = ERR_INVAL;
		}
	}
	if (!e)
		e = consult_bump(c, id);
	free(why);
	if ((e = consult_finish(c, e))) {
		if (bad < n)
			return err_set(ei, ERR_INVAL, "statements",
			               "item %zu is not a statement of this consultation", bad);
		return err_set(ei, e, "", "database error");
	}
	return ERR_OK;
}

/* --- demo ------------------------------------------------------------------ */

static const char *const consult_demo_seed[] = {
    "Officers on foot patrol in Highfields make me feel safer.",
    "I would report a hate incident to the police.",
    "I would rather report through a community organisation than to the police directly.",
    "Stop and search is used fairly in our area.",
    "The police listen to young people here.",
    "Officers should spend time at faith centres, not only when something goes wrong.",
    "Community meetings with the police are held at times I can attend.",
    "When I report something, I am told what happened next.",
    "The police here reflect the community they serve.",
    "I know who my neighbourhood officer is.",
};

enum err consult_demo(struct store_conn *c, const struct polis_data *london, struct errinfo *ei)
{
	json_t *seed = json_array();
	for (size_t i = 0; i < sizeof consult_demo_seed / sizeof consult_demo_seed[0]; i++)
		json_array_append_new(seed, json_string(consult_demo_seed[i]));
	json_t *comm = json_pack("[s,s,s,s,s,s]", "Gujarati Hindu", "Somali", "Polish",
	                         "Black Caribbean", "Sikh", "Muslim");
	int64_t now = clock_now();
	struct consult_new n = {
	    .question = "How can the police and Highfields residents build trust together?",
	    .description = "Leicestershire Police and St Philip's Centre ask people who live "
	                   "or work in Highfields and Spinney Hills. Vote on the statements "
	                   "of others and add your own.",
	    .area = "highfields",
	    .orgs = {"leicestershire-police", "st-philips-centre"},
	    .opens_at = now - 3 * 86400,
	    .closes_at = now + 60 * 86400,
	    .moderation = "strict",
	    .seed = seed,
	    .communities = comm,
	};
	enum err e = consult_create(c, &n, 0, NULL, ei);
	json_decref(seed);
	json_decref(comm);
	if (e || !london)
		return e;
	int64_t first = 0, last = 0;
	for (size_t i = 0; i < london->nvotes; i++) {
		int64_t t = london->votes[i].time;
		if (t && (!first || t < first))
			first = t;
		if (t > last)
			last = t;
	}
	struct consult_new ln = {
	    .question = "What is the best way to engage more young people in local scrutiny "
	                "of policing?",
	    .description = "A Polis conversation held in London in July 2022 with young "
	                   "people, about how they could help scrutinise policing. Imported "
	                   "from its public export (compdemocracy/openData).",
	    .area = NULL,
	    .allow_no_area = 1,
	    .orgs = {"st-philips-centre", NULL},
	    .opens_at = first ? first / 1000 : now - 86400 * 400,
	    .closes_at = last ? last / 1000 + 3600 : now - 86400 * 399,
	    .moderation = "strict",
	    .polis = 1,
	};
	int64_t id;
	if ((e = consult_create(c, &ln, 0, &id, ei)))
		return e;
	if ((e = consult_import(c, id, london, ei)))
		return e;
	return consult_math_update(c, id, NULL, ei);
}
