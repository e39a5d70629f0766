/* meeting.c - meetings on the store interface. */
#include "domain/meeting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/tz.h"
#include "base/xalloc.h"
#include "domain/field.h"
#include "domain/org.h"

#define MEETING_MAX_ORGANISERS 10
#define MEETING_MAX_DOCUMENTS  50
#define MEETING_MAX_ATTENDANCE 50
#define MEETING_MAX_SECONDS    (14 * 86400)
#define MEETING_DEFAULT_TZ     "Europe/London"

void meeting_in_init(struct meeting_in *in)
{
	memset(in, 0, sizeof *in);
	in->is_public = -1;
	in->registration = -1;
	in->capacity = -1;
}

/* Runs st to completion; returns its error. Resets it. */
void meeting_local_time(int64_t t, const char *tzname, char out[32])
{
	const struct tz *z;
	if (!tzname || tz_get(tzname, &z) != ERR_OK) {
		clock_format_rfc3339(t, out);
		return;
	}
	struct tz_civil cv;
	tz_local(z, t, &cv);
	int32_t off = cv.offset < 0 ? -cv.offset : cv.offset;
	snprintf(out, 32, "%04lld-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", (long long)cv.year,
	         cv.month, cv.day, cv.hour, cv.minute, cv.second, cv.offset < 0 ? '-' : '+',
	         (int)(off / 3600) % 100, (int)(off % 3600 / 60));
}

/* RFC 3339, or "YYYY-MM-DDTHH:MM[:SS]" as wall-clock time in z. */
static int parse_time(const char *s, const struct tz *z, int64_t *out)
{
	if (clock_parse_rfc3339(s, out) == 0)
		return 0;
	size_t n = strlen(s);
	if (n != 16 && n != 19)
		return -1;
	char buf[32];
	snprintf(buf, sizeof buf, "%s%sZ", s, n == 16 ? ":00" : "");
	int64_t local;
	if (clock_parse_rfc3339(buf, &local) != 0)
		return -1;
	*out = tz_to_utc(z, local);
	return 0;
}

/* --- validation of the list fields ---------------------------------------- */

struct att_row {
	int64_t org_id;  /* 0 for a community group */
	const char *grp; /* borrowed from the input JSON */
	int64_t people;
};

static enum err check_organisers(struct store_conn *c, json_t *orgs, int64_t *ids, size_t *n,
                                 struct errinfo *ei)
{
	*n = 0;
	if (!json_is_array(orgs) || json_array_size(orgs) < 1 ||
	    json_array_size(orgs) > MEETING_MAX_ORGANISERS)
		return err_set(ei, ERR_INVAL, "organisers",
		               "must be a list of 1 to %d organisation slugs",
		               MEETING_MAX_ORGANISERS);
	size_t i;
	json_t *v;
	json_array_foreach(orgs, i, v)
	{
		const char *slug = json_string_value(v);
		int64_t id;
		enum err e = slug ? org_find(c, slug, &id, NULL) : ERR_NOTFOUND;
		if (e == ERR_NOTFOUND)
			return err_set(ei, ERR_INVAL, "organisers",
			               "item %zu is not the slug of an organisation", i + 1);
		if (e)
			return err_set(ei, e, "", "database error");
		int dup = 0;
		for (size_t k = 0; k < *n; k++)
			dup |= ids[k] == id;
		if (!dup)
			ids[(*n)++] = id;
	}
	return ERR_OK;
}

static enum err check_documents(json_t *docs, struct errinfo *ei)
{
	if (!json_is_array(docs) || json_array_size(docs) > MEETING_MAX_DOCUMENTS)
		return err_set(ei, ERR_INVAL, "documents",
		               "must be a list of at most %d {\"title\", \"url\"} objects",
		               MEETING_MAX_DOCUMENTS);
	size_t i;
	json_t *d;
	json_array_foreach(docs, i, d)
	{
		const char *title = json_string_value(json_object_get(d, "title"));
		const char *url = json_string_value(json_object_get(d, "url"));
		if (!json_is_object(d) || json_object_size(d) != 2 || !title || !*title ||
		    strlen(title) > 200 || !utf8_valid(title, strlen(title)) ||
		    !field_url_valid(url))
			return err_set(ei, ERR_INVAL, "documents",
			               "item %zu needs a title (1-200 bytes) and an http(s) url",
			               i + 1);
	}
	return ERR_OK;
}

static int count_value(json_t *v, int64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000)
		return 0;
	*out = json_integer_value(v);
	return 1;
}

static enum err check_attendance(struct store_conn *c, json_t *att, struct att_row *rows, size_t *n,
                                 struct errinfo *ei)
{
	*n = 0;
	const char *key;
	json_t *v;
	if (!json_is_object(att))
		return err_set(ei, ERR_INVAL, "attendance",
		               "must be {\"orgs\": [{\"org\", \"count\"}], \"community\": "
		               "[{\"group\", \"count\"}]}");
	json_object_foreach(att, key, v)
	{
		int is_org = strcmp(key, "orgs") == 0;
		if (!is_org && strcmp(key, "community") != 0)
			return err_set(ei, ERR_INVAL, "attendance", "unknown key '%.40s'", key);
		if (!json_is_array(v) || json_array_size(v) > MEETING_MAX_ATTENDANCE)
			return err_set(ei, ERR_INVAL, "attendance",
			               "%s must be a list of at most %d", key,
			               MEETING_MAX_ATTENDANCE);
		size_t i;
		json_t *row;
		json_array_foreach(v, i, row)
		{
			struct att_row *a = &rows[*n];
			memset(a, 0, sizeof *a);
			if (!json_is_object(row) || json_object_size(row) != 2 ||
			    !count_value(json_object_get(row, "count"), &a->people))
				return err_set(ei, ERR_INVAL, "attendance",
				               "%s item %zu needs a count from 0 to 100000", key,
				               i + 1);
			if (is_org) {
				const char *slug = json_string_value(json_object_get(row, "org"));
				enum err e =
				    slug ? org_find(c, slug, &a->org_id, NULL) : ERR_NOTFOUND;
				if (e)
					return err_set(
					    ei, e == ERR_NOTFOUND ? ERR_INVAL : e, "attendance",
					    "orgs item %zu is not the slug of an organisation",
					    i + 1);
				for (size_t k = 0; k < *n; k++)
					if (rows[k].org_id == a->org_id)
						return err_set(
						    ei, ERR_INVAL, "attendance",
						    "orgs item %zu repeats an organisation", i + 1);
			} else {
				a->grp = json_string_value(json_object_get(row, "group"));
				if (!a->grp || !*a->grp || strlen(a->grp) > 100 ||
				    !utf8_valid(a->grp, strlen(a->grp)))
					return err_set(
					    ei, ERR_INVAL, "attendance",
					    "community item %zu needs a group name of 1-100 "
					    "bytes",
					    i + 1);
			}
			(*n)++;
		}
	}
	return ERR_OK;
}

/* --- the merged, validated meeting ---------------------------------------- */

/* A meeting's columns; strings owned (xstrdup) so that the current row of
 * an update can be overlaid with the input. */
struct mrow {
	char *title, *tz, *place, *online_url, *agenda, *minutes, *status;
	int64_t area_id, starts_at, ends_at, capacity; /* capacity 0: no limit */
	int is_public, registration;
};

static void mrow_clear(struct mrow *m)
{
	free(m->title);
	free(m->tz);
	free(m->place);
	free(m->online_url);
	free(m->agenda);
	free(m->minutes);
	free(m->status);
	memset(m, 0, sizeof *m);
}

static void set_str(char **dst, const char *src)
{
	if (!src)
		return;
	free(*dst);
	*dst = xstrdup(src);
}

static char *dup_col(struct store_stmt *st, int i)
{
	const char *s = store_col_text(st, i);
	return xstrdup(s ? s : "");
}

static enum err mrow_load(struct store_conn *c, int64_t id, struct mrow *m)
{
	static const char sql[] =
	    "SELECT title, tz, place, online_url, agenda, minutes, status, area_id, starts_at, "
	    "ends_at, COALESCE(capacity, 0), is_public, registration FROM meetings WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum store_step r = store_step(st);
	enum err e = r == STORE_ROW ? ERR_OK : r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
	if (r == STORE_ROW) {
		m->title = dup_col(st, 0);
		m->tz = dup_col(st, 1);
		m->place = dup_col(st, 2);
		m->online_url = dup_col(st, 3);
		m->agenda = dup_col(st, 4);
		m->minutes = dup_col(st, 5);
		m->status = dup_col(st, 6);
		m->area_id = store_col_int(st, 7);
		m->starts_at = store_col_int(st, 8);
		m->ends_at = store_col_int(st, 9);
		m->capacity = store_col_int(st, 10);
		m->is_public = (int)store_col_int(st, 11);
		m->registration = (int)store_col_int(st, 12);
	}
	store_reset(st);
	return e;
}

/* Overlays in on m and validates the result. */
static enum err mrow_merge(struct store_conn *c, struct mrow *m, const struct meeting_in *in,
                           struct errinfo *ei)
{
	enum err e;
	set_str(&m->title, in->title);
	set_str(&m->tz, in->tz);
	set_str(&m->place, in->place);
	set_str(&m->online_url, in->online_url);
	set_str(&m->agenda, in->agenda);
	set_str(&m->minutes, in->minutes);
	if ((e = field_text(ei, "title", m->title, 200, 1)))
		return e;
	if (in->area) {
		e = area_find(c, in->area, &m->area_id);
		if (e == ERR_NOTFOUND)
			return err_set(ei, ERR_INVAL, "area", "no area has this slug");
		if (e)
			return err_set(ei, e, "", "database error");
	}
	if (!m->area_id)
		return err_set(ei, ERR_INVAL, "area", "is required");
	const struct tz *z;
	if (!m->tz || !*m->tz)
		return err_set(ei, ERR_INVAL, "tz", "is required");
	if (tz_get(m->tz, &z) != ERR_OK)
		return err_set(ei, ERR_INVAL, "tz",
		               "is not a known time zone (an IANA name such as Europe/London)");
	if (in->start && parse_time(in->start, z, &m->starts_at))
		return err_set(ei, ERR_INVAL, "start",
		               "must be a date and time such as 2026-12-01T18:30 or an RFC 3339 "
		               "date-time");
	if (in->end && parse_time(in->end, z, &m->ends_at))
		return err_set(ei, ERR_INVAL, "end",
		               "must be a date and time such as 2026-12-01T20:00 or an RFC 3339 "
		               "date-time");
	if (!m->starts_at)
		return err_set(ei, ERR_INVAL, "start", "is required");
	if (!m->ends_at)
		return err_set(ei, ERR_INVAL, "end", "is required");
	if (m->ends_at <= m->starts_at)
		return err_set(ei, ERR_INVAL, "end", "must be after the start");
	if (m->ends_at - m->starts_at > MEETING_MAX_SECONDS)
		return err_set(ei, ERR_INVAL, "end", "must be at most 14 days after the start");
	if ((e = field_text(ei, "place", m->place, 500, 0)) ||
	    (e = field_url(ei, "online_url", m->online_url, 0)) ||
	    (e = field_text(ei, "agenda", m->agenda, 20000, 0)) ||
	    (e = field_text(ei, "minutes", m->minutes, 50000, 0)))
		return e;
	if (!*m->place && !*m->online_url)
		return err_set(ei, ERR_INVAL, "place", "give a place, an online link, or both");
	if (in->is_public >= 0)
		m->is_public = in->is_public != 0;
	if (in->registration >= 0)
		m->registration = in->registration != 0;
	if (in->capacity >= 0)
		m->capacity = in->capacity;
	if (m->capacity < 0 || m->capacity > 100000)
		return err_set(ei, ERR_INVAL, "capacity", "must be from 1 to 100000, or none");
	if (in->documents && (e = check_documents(in->documents, ei)))
		return e;
	return ERR_OK;
}

/* --- writing ------------------------------------------------------------------ */

static enum err write_organisers(struct store_conn *c, int64_t id, const int64_t *ids, size_t n)
{
	static const char del[] = "DELETE FROM meeting_orgs WHERE meeting_id = ?";
	static const char ins[] = "INSERT INTO meeting_orgs (meeting_id, org_id) VALUES (?, ?)";
	return store_replace_links(c, del, ins, id, ids, n);
}

static enum err write_documents(struct store_conn *c, int64_t id, json_t *docs)
{
	static const char del[] = "DELETE FROM meeting_documents WHERE meeting_id = ?";
	static const char ins[] =
	    "INSERT INTO meeting_documents (meeting_id, position, title, url) "
	    "VALUES (?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, del);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum err e = store_run(st);
	size_t i;
	json_t *d;
	json_array_foreach(docs, i, d)
	{
		if (e || !(st = store_prepare(c, ins)))
			return e ? e : ERR_STORE;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, (int64_t)i);
		store_bind_text(st, 3, json_string_value(json_object_get(d, "title")));
		store_bind_text(st, 4, json_string_value(json_object_get(d, "url")));
		e = store_run(st);
	}
	return e;
}

static enum err write_attendance(struct store_conn *c, int64_t id, const struct att_row *rows,
                                 size_t n)
{
	static const char del[] = "DELETE FROM meeting_attendance WHERE meeting_id = ?";
	static const char ins[] =
	    "INSERT INTO meeting_attendance (meeting_id, org_id, grp, people) "
	    "VALUES (?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, del);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum err e = store_run(st);
	for (size_t i = 0; !e && i < n; i++) {
		if (!(st = store_prepare(c, ins)))
			return ERR_STORE;
		store_bind_int(st, 1, id);
		if (rows[i].org_id)
			store_bind_int(st, 2, rows[i].org_id);
		else
			store_bind_null(st, 2);
		store_bind_text(st, 3, rows[i].grp ? rows[i].grp : "");
		store_bind_int(st, 4, rows[i].people);
		e = store_run(st);
	}
	return e;
}

static void bind_row(struct store_stmt *st, const struct mrow *m, int64_t now)
{
	store_bind_text(st, 1, m->title);
	store_bind_int(st, 2, m->area_id);
	store_bind_int(st, 3, m->starts_at);
	store_bind_int(st, 4, m->ends_at);
	store_bind_text(st, 5, m->tz);
	store_bind_text(st, 6, m->place);
	store_bind_text(st, 7, m->online_url);
	store_bind_text(st, 8, m->agenda);
	store_bind_int(st, 9, m->is_public);
	store_bind_int(st, 10, m->registration);
	if (m->capacity > 0)
		store_bind_int(st, 11, m->capacity);
	else
		store_bind_null(st, 11);
	store_bind_text(st, 12, m->minutes);
	store_bind_int(st, 13, now);
}

/* Validates the list fields of in (organisers only if given or required). */
struct mlists {
	int64_t org_ids[MEETING_MAX_ORGANISERS];
	size_t n_orgs;
	struct att_row att[2 * MEETING_MAX_ATTENDANCE];
	size_t n_att;
};

static enum err check_lists(struct store_conn *c, const struct meeting_in *in, const struct mrow *m,
                            struct mlists *l, struct errinfo *ei)
{
	enum err e;
	if (in->organisers && (e = check_organisers(c, in->organisers, l->org_ids, &l->n_orgs, ei)))
		return e;
	if (in->attendance) {
		if ((e = check_attendance(c, in->attendance, l->att, &l->n_att, ei)))
			return e;
		if (l->n_att && m->starts_at > clock_now())
			return err_set(ei, ERR_INVAL, "attendance",
			               "can be recorded once the meeting has started");
	}
	return ERR_OK;
}

/* 1 if a allows action in one of the n organisations. */
static int allowed_in(const struct actor *a, enum action action, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (policy_allows(a, action, ids[i]))
			return 1;
	return 0;
}

static size_t organiser_ids(struct store_conn *c, int64_t id, int64_t *ids, size_t max)
{
	static const char sql[] = "SELECT org_id FROM meeting_orgs WHERE meeting_id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	size_t n = 0;
	if (!st)
		return 0;
	store_bind_int(st, 1, id);
	while (store_step(st) == STORE_ROW && n < max)
		ids[n++] = store_col_int(st, 0);
	store_reset(st);
	return n;
}

enum err meeting_create(struct store_conn *c, const struct actor *actor,
                        const struct meeting_in *in, int64_t *idp, struct errinfo *ei)
{
	if (!policy_allows(actor, ACT_MEETING_CREATE, 0))
		return err_set(ei, actor && actor->user_id ? ERR_FORBIDDEN : ERR_UNAUTH, "",
		               "your role does not allow meeting.create");
	struct mrow m;
	memset(&m, 0, sizeof m);
	m.tz = xstrdup(MEETING_DEFAULT_TZ);
	m.place = xstrdup("");
	m.online_url = xstrdup("");
	m.agenda = xstrdup("");
	m.minutes = xstrdup("");
	m.is_public = 1;
	struct mlists *l = xcalloc(1, sizeof *l);
	enum err e = mrow_merge(c, &m, in, ei);
	if (!e && !in->organisers)
		e = err_set(ei, ERR_INVAL, "organisers", "is required");
	if (!e)
		e = check_lists(c, in, &m, l, ei);
	if (!e && !allowed_in(actor, ACT_MEETING_CREATE, l->org_ids, l->n_orgs))
		e = err_set(
		    ei, ERR_FORBIDDEN, "organisers",
		    "you can only create meetings that one of your organisations organises");
	if (e)
		goto out;
	char uid[37];
	field_uuid(uid);
	int64_t now = clock_now(), id = 0;
	if ((e = store_begin(c))) {
		err_set(ei, e, "", "database error");
		goto out;
	}
	static const char sql[] =
	    "INSERT INTO meetings (title, area_id, starts_at, ends_at, tz, place, online_url, "
	    "agenda, is_public, registration, capacity, minutes, created_at, updated_at, uid) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		e = ERR_STORE;
	} else {
		bind_row(st, &m, now);
		store_bind_int(st, 14, now);
		store_bind_text(st, 15, uid);
		if (store_step(st) == STORE_ROW)
			id = store_col_int(st, 0);
		else
			e = store_stmt_err(st);
		store_reset(st);
	}
	if (!e)
		e = write_organisers(c, id, l->org_ids, l->n_orgs);
	if (!e && in->documents)
		e = write_documents(c, id, in->documents);
	if (!e && in->attendance)
		e = write_attendance(c, id, l->att, l->n_att);
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		err_set(ei, e, "", "database error");
		goto out;
	}
	if (idp)
		*idp = id;
out:
	free(l);
	mrow_clear(&m);
	return e;
}

/* ERR_NOTFOUND if there is no meeting id the actor may see; ERR_FORBIDDEN
 * if it is visible but a is not allowed. */
static enum err check_access(struct store_conn *c, const struct actor *actor, enum action a,
                             int64_t id, struct errinfo *ei)
{
	if (!meeting_allowed(c, actor, ACT_MEETING_VIEW, id))
		return err_set(ei, ERR_NOTFOUND, "id", "no meeting has this id");
	if (!meeting_allowed(c, actor, a, id))
		return err_set(ei, actor && actor->user_id ? ERR_FORBIDDEN : ERR_UNAUTH, "",
		               "only the staff of an organiser may do this (%s)", action_name(a));
	return ERR_OK;
}

enum err meeting_update(struct store_conn *c, const struct actor *actor, int64_t id,
                        const struct meeting_in *in, struct errinfo *ei)
{
	enum err e = check_access(c, actor, ACT_MEETING_UPDATE, id, ei);
	if (e)
		return e;
	struct mrow m;
	memset(&m, 0, sizeof m);
	struct mlists *l = xcalloc(1, sizeof *l);
	if ((e = mrow_load(c, id, &m))) {
		err_set(ei, e, "id",
		        e == ERR_NOTFOUND ? "no meeting has this id" : "database error");
		goto out;
	}
	if ((e = mrow_merge(c, &m, in, ei)) || (e = check_lists(c, in, &m, l, ei)))
		goto out;
	if ((e = store_begin(c))) {
		err_set(ei, e, "", "database error");
		goto out;
	}
	static const char sql[] =
	    "UPDATE meetings SET title = ?, area_id = ?, starts_at = ?, ends_at = ?, tz = ?, "
	    "place = ?, online_url = ?, agenda = ?, is_public = ?, registration = ?, "
	    "capacity = ?, minutes = ?, updated_at = ?, sequence = sequence + 1 WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		e = ERR_STORE;
	} else {
		bind_row(st, &m, clock_now());
		store_bind_int(st, 14, id);
		e = store_run(st);
	}
	if (!e && in->organisers)
		e = write_organisers(c, id, l->org_ids, l->n_orgs);
	if (!e && in->documents)
		e = write_documents(c, id, in->documents);
	if (!e && in->attendance)
		e = write_attendance(c, id, l->att, l->n_att);
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		err_set(ei, e, "", "database error");
	}
out:
	free(l);
	mrow_clear(&m);
	return e;
}

enum err meeting_cancel(struct store_conn *c, const struct actor *actor, int64_t id,
                        const char *reason, struct errinfo *ei)
{
	enum err e = check_access(c, actor, ACT_MEETING_CANCEL, id, ei);
	if (e || (e = field_text(ei, "reason", reason, 1000, 1)))
		return e;
	static const char sql[] = "UPDATE meetings SET status = 'cancelled', cancel_reason = ?, "
	                          "updated_at = ?, sequence = sequence + 1 "
	                          "WHERE id = ? AND status <> 'cancelled'";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	store_bind_text(st, 1, reason);
	store_bind_int(st, 2, clock_now());
	store_bind_int(st, 3, id);
	if ((e = store_run(st)))
		return err_set(ei, e, "", "database error");
	if (store_changes(c) == 0)
		return err_set(ei, ERR_CONFLICT, "status", "the meeting is already cancelled");
	return ERR_OK;
}

enum err meeting_register(struct store_conn *c, const struct actor *actor, int64_t id, int on,
                          struct errinfo *ei)
{
	if (!meeting_allowed(c, actor, ACT_MEETING_VIEW, id))
		return err_set(ei, ERR_NOTFOUND, "id", "no meeting has this id");
	if (!policy_allows(actor, ACT_MEETING_REGISTER, 0))
		return err_set(ei, ERR_UNAUTH, "", "sign in to register");
	enum err e = store_begin(c);
	if (e)
		return err_set(ei, e, "", "database error");
	/* Lock the meeting row, so that two registrations cannot both take
	 * the last place (SQLite's write transaction already serializes). */
	static const char lock[] = "UPDATE meetings SET registration = registration WHERE id = ?";
	static const char get[] =
	    "SELECT registration, status, ends_at, COALESCE(capacity, 0), "
	    "(SELECT COUNT(*) FROM meeting_registrations WHERE meeting_id = ?) "
	    "FROM meetings WHERE id = ?";
	static const char ins[] = "INSERT INTO meeting_registrations (meeting_id, user_id, "
	                          "created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
	static const char del[] =
	    "DELETE FROM meeting_registrations WHERE meeting_id = ? AND user_id = ?";
	struct store_stmt *st = store_prepare(c, lock);
	if (!st) {
		e = ERR_STORE;
		goto fail;
	}
	store_bind_int(st, 1, id);
	if ((e = store_run(st)) || !(st = store_prepare(c, get))) {
		e = e ? e : ERR_STORE;
		goto fail;
	}
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, id);
	if (store_step(st) != STORE_ROW) {
		e = store_stmt_err(st);
		store_reset(st);
		goto fail;
	}
	int takes = (int)store_col_int(st, 0);
	int cancelled = strcmp(store_col_text(st, 1), "cancelled") == 0;
	int64_t ends = store_col_int(st, 2), cap = store_col_int(st, 3),
	        have = store_col_int(st, 4);
	store_reset(st);
	if (on) {
		if (!takes)
			e = err_set(ei, ERR_CONFLICT, "registration",
			            "this meeting does not take registrations");
		else if (cancelled)
			e = err_set(ei, ERR_CONFLICT, "status", "the meeting is cancelled");
		else if (ends <= clock_now())
			e = err_set(ei, ERR_CONFLICT, "end", "the meeting is over");
		else if (cap > 0 && have >= cap)
			e = err_set(ei, ERR_CONFLICT, "capacity", "the meeting is full");
		if (e) {
			store_rollback(c);
			return e;
		}
	}
	if (!(st = store_prepare(c, on ? ins : del))) {
		e = ERR_STORE;
		goto fail;
	}
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, actor->user_id);
	if (on)
		store_bind_int(st, 3, clock_now());
	if ((e = store_run(st)) || (e = store_commit(c)))
		goto fail;
	return ERR_OK;
fail:
	store_rollback(c);
	return err_set(ei, e ? e : ERR_STORE, "", "database error");
}

/* --- reading --------------------------------------------------------------- */

static json_t *organisers_json(struct store_conn *c, int64_t id)
{
	static const char sql[] =
	    "SELECT o.id, o.slug, o.name, o.kind FROM meeting_orgs mo JOIN "
	    "orgs o ON o.id = mo.org_id WHERE mo.meeting_id = ? ORDER BY o.name";
	json_t *arr = json_array();
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return arr;
	store_bind_int(st, 1, id);
	while (store_step(st) == STORE_ROW)
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s}", "slug", store_col_text(st, 1), "name",
		                   store_col_text(st, 2), "kind", store_col_text(st, 3)));
	store_reset(st);
	return arr;
}

static json_t *documents_json(struct store_conn *c, int64_t id)
{
	static const char sql[] = "SELECT title, url FROM meeting_documents WHERE meeting_id = ? "
	                          "ORDER BY position";
	json_t *arr = json_array();
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return arr;
	store_bind_int(st, 1, id);
	while (store_step(st) == STORE_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "title", store_col_text(st, 0),
		                                     "url", store_col_text(st, 1)));
	store_reset(st);
	return arr;
}

static json_t *attendance_json(struct store_conn *c, int64_t id)
{
	static const char sql[] =
	    "SELECT o.slug, o.name, a.grp, a.people FROM meeting_attendance a "
	    "LEFT JOIN orgs o ON o.id = a.org_id WHERE a.meeting_id = ? "
	    "ORDER BY a.id";
	json_t *orgs = json_array(), *groups = json_array();
	json_int_t total = 0;
	struct store_stmt *st = store_prepare(c, sql);
	if (st) {
		store_bind_int(st, 1, id);
		while (store_step(st) == STORE_ROW) {
			json_int_t n = (json_int_t)store_col_int(st, 3);
			total += n;
			if (store_col_text(st, 0))
				json_array_append_new(
				    orgs, json_pack("{s:s, s:s, s:I}", "org", store_col_text(st, 0),
				                    "name", store_col_text(st, 1), "count", n));
			else
				json_array_append_new(groups,
				                      json_pack("{s:s, s:I}", "group",
				                                store_col_text(st, 2), "count", n));
		}
		store_reset(st);
	}
	return json_pack("{s:o, s:o, s:I}", "orgs", orgs, "community", groups, "total", total);
}

static int64_t registered(struct store_conn *c, int64_t id, int64_t user_id, int *me)
{
	static const char sql[] = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN user_id = ? THEN 1 "
	                          "ELSE 0 END), 0) FROM meeting_registrations WHERE meeting_id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	int64_t n = 0;
	*me = 0;
	if (!st)
		return 0;
	store_bind_int(st, 1, user_id);
	store_bind_int(st, 2, id);
	if (store_step(st) == STORE_ROW) {
		n = store_col_int(st, 0);
		*me = store_col_int(st, 1) > 0;
	}
	store_reset(st);
	return n;
}

static json_t *time_json(int64_t t)
{
	char ts[32];
	clock_format_rfc3339(t, ts);
	return json_string(ts);
}

static enum err meeting_json(struct store_conn *c, const struct actor *actor, int64_t id,
                             json_t **out)
{
	static const char sql[] =
	    "SELECT m.uid, m.title, a.slug, a.name, m.starts_at, m.ends_at, m.tz, m.place, "
	    "m.online_url, m.agenda, m.is_public, m.registration, m.capacity, m.minutes, "
	    "m.status, m.cancel_reason, m.sequence, m.created_at, m.updated_at "
	    "FROM meetings m JOIN areas a ON a.id = m.area_id WHERE m.id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	enum store_step r = store_step(st);
	if (r != STORE_ROW) {
		enum err e = r == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
		store_reset(st);
		return e;
	}
	int64_t starts = store_col_int(st, 4), ends = store_col_int(st, 5);
	const char *tz = store_col_text(st, 6);
	char ls[32], le[32];
	meeting_local_time(starts, tz, ls);
	meeting_local_time(ends, tz, le);
	int64_t now = clock_now();
	json_t *m = json_pack(
	    "{s:I, s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:b, "
	    "s:s, s:s, s:s, s:I, s:o, s:o, s:b, s:b}",
	    "id", (json_int_t)id, "uid", store_col_text(st, 0), "title", store_col_text(st, 1),
	    "area", "slug", store_col_text(st, 2), "name", store_col_text(st, 3), "start",
	    time_json(starts), "end", time_json(ends), "tz", tz, "start_local", ls, "end_local", le,
	    "place", store_col_text(st, 7), "online_url", store_col_text(st, 8), "agenda",
	    store_col_text(st, 9), "public", (int)store_col_int(st, 10), "minutes",
	    store_col_text(st, 13), "status", store_col_text(st, 14), "cancel_reason",
	    store_col_text(st, 15), "sequence", (json_int_t)store_col_int(st, 16), "created",
	    time_json(store_col_int(st, 17)), "updated", time_json(store_col_int(st, 18)),
	    "upcoming", ends > now, "past", ends <= now);
	int takes = (int)store_col_int(st, 11);
	json_t *cap = store_col_isnull(st, 12) ? json_null()
	                                       : json_integer((json_int_t)store_col_int(st, 12));
	store_reset(st);
	int me;
	int64_t n = registered(c, id, actor ? actor->user_id : 0, &me);
	json_object_set_new(m, "registration",
	                    json_pack("{s:b, s:o, s:I, s:b}", "enabled", takes, "capacity", cap,
	                              "registered", (json_int_t)n, "me", me));
	json_object_set_new(m, "organisers", organisers_json(c, id));
	json_object_set_new(m, "documents", documents_json(c, id));
	json_object_set_new(m, "attendance", attendance_json(c, id));
	*out = m;
	return ERR_OK;
}

int meeting_allowed(struct store_conn *c, const struct actor *actor, enum action a, int64_t id)
{
	int64_t ids[MEETING_MAX_ORGANISERS];
	size_t n = organiser_ids(c, id, ids, MEETING_MAX_ORGANISERS);
	if (a == ACT_MEETING_VIEW) {
		static const char sql[] = "SELECT is_public FROM meetings WHERE id = ?";
		struct store_stmt *st = store_prepare(c, sql);
		if (!st)
			return 0;
		store_bind_int(st, 1, id);
		int found = store_step(st) == STORE_ROW;
		int pub = found && store_col_int(st, 0);
		store_reset(st);
		if (!found)
			return 0;
		if (pub)
			return policy_allows(actor, ACT_MEETING_VIEW, 0);
		return allowed_in(actor, ACT_MEETING_VIEW_PRIVATE, ids, n);
	}
	return allowed_in(actor, a, ids, n);
}

enum err meeting_get(struct store_conn *c, const struct actor *actor, int64_t id, json_t **out)
{
	if (!meeting_allowed(c, actor, ACT_MEETING_VIEW, id))
		return ERR_NOTFOUND;
	return meeting_json(c, actor, id, out);
}

enum err meeting_list(struct store_conn *c, const struct actor *actor,
                      const struct meeting_filter *f, json_t **out, struct errinfo *ei)
{
	int64_t area = 0, org = 0;
	enum err e;
	if (f->area && (e = area_find(c, f->area, &area)))
		return err_set(ei, e == ERR_NOTFOUND ? ERR_INVAL : e, "area",
		               "no area has this slug");
	if (f->org && (e = org_find(c, f->org, &org, NULL)))
		return err_set(ei, e == ERR_NOTFOUND ? ERR_INVAL : e, "org",
		               "no organisation has this slug");
	/* Areas nest three deep at most (force area > district > neighbourhood). */
	static const char sql_up[] =
	    "SELECT m.id FROM meetings m WHERE (CAST(? AS BIGINT) = 0 OR m.area_id IN (SELECT id "
	    "FROM areas "
	    "WHERE id = ? OR parent_id = ? OR parent_id IN (SELECT id FROM areas WHERE "
	    "parent_id = ?))) AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM meeting_orgs mo "
	    "WHERE "
	    "mo.meeting_id = m.id AND mo.org_id = ?)) AND (CAST(? AS BIGINT) = 0 OR m.is_public = "
	    "1) "
	    "AND m.ends_at > ? ORDER BY m.starts_at, m.id LIMIT ?";
	static const char sql_past[] =
	    "SELECT m.id FROM meetings m WHERE (CAST(? AS BIGINT) = 0 OR m.area_id IN (SELECT id "
	    "FROM areas "
	    "WHERE id = ? OR parent_id = ? OR parent_id IN (SELECT id FROM areas WHERE "
	    "parent_id = ?))) AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM meeting_orgs mo "
	    "WHERE "
	    "mo.meeting_id = m.id AND mo.org_id = ?)) AND (CAST(? AS BIGINT) = 0 OR m.is_public = "
	    "1) "
	    "AND m.ends_at <= ? ORDER BY m.starts_at DESC, m.id DESC LIMIT ?";
	static const char sql_all[] =
	    "SELECT m.id FROM meetings m WHERE (CAST(? AS BIGINT) = 0 OR m.area_id IN (SELECT id "
	    "FROM areas "
	    "WHERE id = ? OR parent_id = ? OR parent_id IN (SELECT id FROM areas WHERE "
	    "parent_id = ?))) AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM meeting_orgs mo "
	    "WHERE "
	    "mo.meeting_id = m.id AND mo.org_id = ?)) AND (CAST(? AS BIGINT) = 0 OR m.is_public = "
	    "1) "
	    "AND CAST(? AS BIGINT) >= 0 ORDER BY m.starts_at DESC, m.id DESC LIMIT ?";
	const char *sql = f->when == MEETING_UPCOMING ? sql_up
	                  : f->when == MEETING_PAST   ? sql_past
	                                              : sql_all;
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	int limit = f->limit > 0 && f->limit <= 2000 ? f->limit : 500;
	store_bind_int(st, 1, area);
	store_bind_int(st, 2, area);
	store_bind_int(st, 3, area);
	store_bind_int(st, 4, area);
	store_bind_int(st, 5, org);
	store_bind_int(st, 6, org);
	store_bind_int(st, 7, f->public_only);
	store_bind_int(st, 8, clock_now());
	store_bind_int(st, 9, limit);
	size_t n = 0, cap = 64;
	int64_t *ids = xmalloc(cap * sizeof *ids);
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW) {
		if (n == cap)
			ids = xreallocarray(ids, cap *= 2, sizeof *ids);
		ids[n++] = store_col_int(st, 0);
	}
	e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	json_t *arr = json_array();
	for (size_t i = 0; !e && i < n; i++) {
		json_t *m;
		if (!meeting_allowed(c, actor, ACT_MEETING_VIEW, ids[i]))
			continue;
		if ((e = meeting_json(c, actor, ids[i], &m)) == ERR_OK)
			json_array_append_new(arr, m);
	}
	free(ids);
	if (e) {
		json_decref(arr);
		return err_set(ei, e, "", "database error");
	}
	*out = arr;
	return ERR_OK;
}
