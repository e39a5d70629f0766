/* org.c - areas, organisations and memberships on the store interface. */
#include "domain/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/account.h"
#include "domain/audit.h"

int slug_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 63 || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
			return 0;
	}
	return 1;
}

static enum err check_text(const char *field, const char *s, size_t max, int required,
			   struct errinfo *ei)
{
	if (!s)
		return required ? err_set(ei, ERR_INVAL, field, "is required") : ERR_OK;
	size_t n = strlen(s);
	if (required && n == 0)
		return err_set(ei, ERR_INVAL, field, "must not be empty");
	if (n > max || !utf8_valid(s, n))
		return err_set(ei, ERR_INVAL, field, "must be valid UTF-8 of at most %zu bytes", max);
	return ERR_OK;
}

/* Runs st to completion; returns its error. Resets it. */
static enum err area_lookup(struct store_conn *c, const char *slug, int64_t *id, char kind[16])
{
	static const char sql[] = "SELECT id, kind FROM areas WHERE slug = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, slug);
	enum store_step r = store_step(st);
	enum err e = ERR_NOTFOUND;
	if (r == STORE_ROW) {
		*id = store_col_int(st, 0);
		if (kind)
			snprintf(kind, 16, "%s", store_col_text(st, 1));
		e = ERR_OK;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}

enum err area_find(struct store_conn *c, const char *slug, int64_t *id)
{
	return area_lookup(c, slug, id, NULL);
}

enum err area_create(struct store_conn *c, const char *slug, const char *name, const char *kind,
		     const char *parent_slug, int64_t *id, struct errinfo *ei)
{
	if (!slug_valid(slug))
		return err_set(ei, ERR_INVAL, "slug",
			       "must be 1-63 lower-case letters, digits or '-'");
	enum err e = check_text("name", name, 200, 1, ei);
	if (e)
		return e;
	const char *want_parent;
	if (!kind)
		return err_set(ei, ERR_INVAL, "kind", "is required");
	if (strcmp(kind, "force_area") == 0)
		want_parent = NULL;
	else if (strcmp(kind, "district") == 0)
		want_parent = "force_area";
	else if (strcmp(kind, "neighbourhood") == 0)
		want_parent = "district";
	else
		return err_set(ei, ERR_INVAL, "kind",
			       "must be one of force_area, district, neighbourhood");
	int64_t parent = 0;
	if (want_parent) {
		char pk[16];
		if (!parent_slug)
			return err_set(ei, ERR_INVAL, "parent", "a %s needs a parent %s", kind,
				       want_parent);
		e = area_lookup(c, parent_slug, &parent, pk);
		if (e == ERR_NOTFOUND)
			return err_set(ei, ERR_INVAL, "parent", "no area has this slug");
		if (e)
			return err_set(ei, e, "", "database error");
		if (strcmp(pk, want_parent) != 0)
			return err_set(ei, ERR_INVAL, "parent", "the parent of a %s must be a %s",
				       kind, want_parent);
	} else if (parent_slug) {
		return err_set(ei, ERR_INVAL, "parent", "a force area has no parent");
	}
	static const char sql[] = "INSERT INTO areas (slug, name, kind, parent_id, created_at) "
				  "VALUES (?, ?, ?, ?, ?) RETURNING id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return err_set(ei, ERR_STORE, "", "database error");
	store_bind_text(st, 1, slug);
	store_bind_text(st, 2, name);
	store_bind_text(st, 3, kind);
	if (parent)
		store_bind_int(st, 4, parent);
	else
		store_bind_null(st, 4);
	store_bind_int(st, 5, clock_now());
	enum store_step r = store_step(st);
	if (r == STORE_ROW) {
		if (id)
			*id = store_col_int(st, 0);
		e = ERR_OK;
	} else {
		e = store_stmt_err(st);
	}
	store_reset(st);
	if (e == ERR_CONFLICT)
		return err_set(ei, e, "slug", "an area with this slug already exists");
	if (e)
		return err_set(ei, e, "", "database error");
	return ERR_OK;
}

enum err area_update(struct store_conn *c, const char *slug, const char *name,
		     struct errinfo *ei)
{
	enum err e = check_text("name", name, 200, 0, ei);
	if (e)
		return e;
	int64_t id;
	if ((e = area_lookup(c, slug, &id, NULL)))
		return err_set(ei, e, "", e == ERR_NOTFOUND ? "no such area" : "database error");
	if (!name)
		return ERR_OK;
	static const char sql[] = "UPDATE areas SET name = ? WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, name);
	store_bind_int(st, 2, id);
	return store_run(st);
}

static int64_t count1(struct store_conn *c, const char *sql, int64_t id)
{
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return -1;
	store_bind_int(st, 1, id);
	int64_t n = store_step(st) == STORE_ROW ? store_col_int(st, 0) : -1;
	store_reset(st);
	return n;
}

enum err area_delete(struct store_conn *c, const char *slug, struct errinfo *ei)
{
	int64_t id;
	enum err e = area_lookup(c, slug, &id, NULL);
	if (e)
		return err_set(ei, e, "", e == ERR_NOTFOUND ? "no such area" : "database error");
	static const char kids[] = "SELECT COUNT(*) FROM areas WHERE parent_id = ?";
	static const char orgs[] = "SELECT COUNT(*) FROM org_areas WHERE area_id = ?";
	if (count1(c, kids, id) != 0)
		return err_set(ei, ERR_CONFLICT, "", "the area has sub-areas; delete them first");
	if (count1(c, orgs, id) != 0)
		return err_set(ei, ERR_CONFLICT, "", "organisations serve this area");
	static const char sql[] = "DELETE FROM areas WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	e = store_run(st);
	if (e == ERR_CONFLICT)
		return err_set(ei, e, "", "the area is still in use");
	return e;
}

static json_t *area_ref_list(struct store_conn *c, const char *sql, int64_t id)
{
	json_t *arr = json_array();
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return arr;
	store_bind_int(st, 1, id);
	while (store_step(st) == STORE_ROW) {
		json_t *o = json_pack("{s:s, s:s}", "slug", store_col_text(st, 0), "name",
				      store_col_text(st, 1));
		if (store_col_text(st, 2))
			json_object_set_new(o, "kind", json_string(store_col_text(st, 2)));
		json_array_append_new(arr, o);
	}
	store_reset(st);
	return arr;
}

enum err area_get(struct store_conn *c, const char *slug, json_t **out, int64_t *idp)
{
	static const char sql[] = "SELECT a.id, a.slug, a.name, a.kind, p.slug, p.name FROM areas a "
				  "LEFT JOIN areas p ON p.id = a.parent_id WHERE a.slug = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, slug);
	enum store_step r = store_step(st);
	json_t *a = NULL;
	int64_t id = 0;
	if (r == STORE_ROW) {
		id = store_col_int(st, 0);
		a = json_pack("{s:s, s:s, s:s}", "slug", store_col_text(st, 1), "name",
			      store_col_text(st, 2), "kind", store_col_text(st, 3));
		if (store_col_text(st, 4))
			json_object_set_new(a, "parent",
					    json_pack("{s:s, s:s}", "slug", store_col_text(st, 4),
						      "name", store_col_text(st, 5)));
		else
			json_object_set_new(a, "parent", json_null());
	}
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : (a ? ERR_OK : ERR_NOTFOUND);
	store_reset(st);
	if (e)
		return e;
	static const char kids[] =
		"SELECT slug, name, kind FROM areas WHERE parent_id = ? ORDER BY name";
	static const char orgs[] = "SELECT o.slug, o.name, o.kind FROM org_areas oa JOIN orgs o ON "
				   "o.id = oa.org_id WHERE oa.area_id = ? ORDER BY o.name";
	json_object_set_new(a, "children", area_ref_list(c, kids, id));
	json_object_set_new(a, "orgs", area_ref_list(c, orgs, id));
	if (idp)
		*idp = id;
	*out = a;
	return ERR_OK;
}

struct area_row {
	int64_t id, parent;
	char *slug, *name, *kind;
};

static void area_tree(json_t *arr, struct area_row *rows, size_t n, int64_t parent, int depth,
		      const char *parent_slug)
{
	for (size_t i = 0; i < n; i++) {
		if (rows[i].parent != parent)
			continue;
		json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "slug", rows[i].slug, "name",
				      rows[i].name, "kind", rows[i].kind, "depth", depth);
		json_object_set_new(o, "parent", parent_slug ? json_string(parent_slug) : json_null());
		json_array_append_new(arr, o);
		if (depth < 8)
			area_tree(arr, rows, n, rows[i].id, depth + 1, rows[i].slug);
	}
}

enum err area_list(struct store_conn *c, json_t **out)
{
	static const char sql[] =
		"SELECT id, COALESCE(parent_id, 0), slug, name, kind FROM areas ORDER BY name";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	size_t n = 0, cap = 32;
	struct area_row *rows = xmalloc(cap * sizeof *rows);
	while (store_step(st) == STORE_ROW) {
		if (n == cap) {
			cap *= 2;
			rows = xrealloc(rows, cap * sizeof *rows);
		}
		rows[n].id = store_col_int(st, 0);
		rows[n].parent = store_col_int(st, 1);
		rows[n].slug = xstrdup(store_col_text(st, 2));
		rows[n].name = xstrdup(store_col_text(st, 3));
		rows[n].kind = xstrdup(store_col_text(st, 4));
		n++;
	}
	store_reset(st);
	json_t *arr = json_array();
	area_tree(arr, rows, n, 0, 0, NULL);
	for (size_t i = 0; i < n; i++) {
		free(rows[i].slug);
		free(rows[i].name);
		free(rows[i].kind);
	}
	free(rows);
	*out = arr;
	return ERR_OK;
}

enum err org_find(struct store_conn *c, const char *slug, int64_t *id, enum org_kind *kind)
{
	static const char sql[] = "SELECT id, kind FROM orgs WHERE slug = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, slug);
	enum store_step r = store_step(st);
	enum err e = ERR_NOTFOUND;
	if (r == STORE_ROW) {
		if (id)
			*id = store_col_int(st, 0);
		if (kind)
			*kind = (enum org_kind)org_kind_parse(store_col_text(st, 1));
		e = ERR_OK;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}

/* Resolves every slug of areas first, so nothing is written on a bad one. */
static enum err resolve_areas(struct store_conn *c, json_t *areas, int64_t **ids, size_t *n,
			      struct errinfo *ei)
{
	*ids = NULL;
	*n = 0;
	if (!areas)
		return ERR_OK;
	if (!json_is_array(areas) || json_array_size(areas) > 100)
		return err_set(ei, ERR_INVAL, "areas", "must be a list of at most 100 area slugs");
	*ids = xcalloc(json_array_size(areas) + 1, sizeof **ids);
	size_t i;
	json_t *v;
	json_array_foreach(areas, i, v)
	{
		const char *s = json_string_value(v);
		enum err e = s ? area_lookup(c, s, &(*ids)[i], NULL) : ERR_NOTFOUND;
		if (e) {
			free(*ids);
			*ids = NULL;
			return err_set(ei, e == ERR_NOTFOUND ? ERR_INVAL : e, "areas",
				       "item %zu is not the slug of an area", i);
		}
	}
	*n = json_array_size(areas);
	return ERR_OK;
}

static enum err set_areas(struct store_conn *c, int64_t org, const int64_t *ids, size_t n)
{
	static const char del[] = "DELETE FROM org_areas WHERE org_id = ?";
	static const char ins[] = "INSERT INTO org_areas (org_id, area_id) VALUES (?, ?) "
				  "ON CONFLICT DO NOTHING";
	return store_replace_links(c, del, ins, org, ids, n);
}

enum err org_create(struct store_conn *c, const char *slug, const char *name, const char *kind,
		    const char *description, json_t *areas, int64_t *idp, struct errinfo *ei)
{
	if (!slug_valid(slug))
		return err_set(ei, ERR_INVAL, "slug",
			       "must be 1-63 lower-case letters, digits or '-'");
	enum err e = check_text("name", name, 200, 1, ei);
	if (e || (e = check_text("description", description, 4000, 0, ei)))
		return e;
	if (!kind || org_kind_parse(kind) < 0)
		return err_set(ei, ERR_INVAL, "kind", "must be one of police, community, oversight");
	int64_t *ids;
	size_t n;
	if ((e = resolve_areas(c, areas, &ids, &n, ei)))
		return e;
	if ((e = store_begin(c))) {
		free(ids);
		return err_set(ei, e, "", "database error");
	}
	static const char sql[] = "INSERT INTO orgs (slug, name, kind, description, created_at) "
				  "VALUES (?, ?, ?, ?, ?) RETURNING id";
	struct store_stmt *st = store_prepare(c, sql);
	int64_t id = 0;
	if (!st) {
		e = ERR_STORE;
	} else {
		store_bind_text(st, 1, slug);
		store_bind_text(st, 2, name);
		store_bind_text(st, 3, kind);
		store_bind_text(st, 4, description ? description : "");
		store_bind_int(st, 5, clock_now());
		if (store_step(st) == STORE_ROW)
			id = store_col_int(st, 0);
		else
			e = store_stmt_err(st);
		store_reset(st);
	}
	if (!e)
		e = set_areas(c, id, ids, n);
	free(ids);
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		if (e == ERR_CONFLICT)
			return err_set(ei, e, "slug", "an organisation with this slug already exists");
		return err_set(ei, e, "", "database error");
	}
	if (idp)
		*idp = id;
	return ERR_OK;
}

enum err org_update(struct store_conn *c, const struct actor *by, const char *slug,
		    const char *name, const char *description, json_t *areas,
		    struct errinfo *ei)
{
	enum err e = check_text("name", name, 200, 0, ei);
	if (e || (e = check_text("description", description, 4000, 0, ei)))
		return e;
	if (name && !*name)
		return err_set(ei, ERR_INVAL, "name", "must not be empty");
	int64_t id;
	if ((e = org_find(c, slug, &id, NULL)))
		return err_set(ei, e, "", e == ERR_NOTFOUND ? "no such organisation" : "database error");
	int64_t *ids;
	size_t n;
	if ((e = resolve_areas(c, areas, &ids, &n, ei)))
		return e;
	if ((e = store_begin(c))) {
		free(ids);
		return err_set(ei, e, "", "database error");
	}
	static const char sql[] = "UPDATE orgs SET name = COALESCE(?, name), "
				  "description = COALESCE(?, description) WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		e = ERR_STORE;
	} else {
		store_bind_text(st, 1, name);
		store_bind_text(st, 2, description);
		store_bind_int(st, 3, id);
		e = store_run(st);
	}
	if (!e && areas)
		e = set_areas(c, id, ids, n);
	free(ids);
	if (!e) {
		char object[80], purpose[64];
		snprintf(object, sizeof object, "org:%s", slug);
		snprintf(purpose, sizeof purpose, "update%s%s%s%s", name ? " name" : "",
			 description ? " description" : "", areas ? " areas" : "",
			 name || description || areas ? "" : " nothing");
		e = audit_record(c, by, ACT_ORG_UPDATE, id, object, purpose);
	}
	if (!e)
		e = store_commit(c);
	if (e) {
		store_rollback(c);
		return err_set(ei, e, "", e == ERR_FORBIDDEN ? "not allowed" : "database error");
	}
	return ERR_OK;
}

enum err org_delete(struct store_conn *c, const char *slug, struct errinfo *ei)
{
	int64_t id;
	enum err e = org_find(c, slug, &id, NULL);
	if (e)
		return err_set(ei, e, "", e == ERR_NOTFOUND ? "no such organisation" : "database error");
	static const char sql[] = "DELETE FROM orgs WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, id);
	e = store_run(st);
	if (e == ERR_CONFLICT)
		return err_set(ei, e, "", "the organisation is still referenced");
	return e;
}

enum err org_get(struct store_conn *c, const char *slug, json_t **out, int64_t *idp)
{
	static const char sql[] =
		"SELECT id, slug, name, kind, description FROM orgs WHERE slug = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, slug);
	enum store_step r = store_step(st);
	json_t *o = NULL;
	int64_t id = 0;
	if (r == STORE_ROW) {
		id = store_col_int(st, 0);
		o = json_pack("{s:s, s:s, s:s, s:s}", "slug", store_col_text(st, 1), "name",
			      store_col_text(st, 2), "kind", store_col_text(st, 3), "description",
			      store_col_text(st, 4));
	}
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : (o ? ERR_OK : ERR_NOTFOUND);
	store_reset(st);
	if (e)
		return e;
	static const char areas[] = "SELECT a.slug, a.name, a.kind FROM org_areas oa JOIN areas a "
				    "ON a.id = oa.area_id WHERE oa.org_id = ? ORDER BY a.name";
	static const char members[] = "SELECT COUNT(*) FROM memberships WHERE org_id = ?";
	json_object_set_new(o, "areas", area_ref_list(c, areas, id));
	json_object_set_new(o, "members", json_integer(count1(c, members, id)));
	if (idp)
		*idp = id;
	*out = o;
	return ERR_OK;
}

enum err org_list(struct store_conn *c, const char *kind, json_t **out)
{
	static const char sql[] = "SELECT slug, name, kind, description FROM orgs "
				  "WHERE (CAST(? AS TEXT) IS NULL OR kind = ?) ORDER BY name";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, kind);
	store_bind_text(st, 2, kind);
	json_t *arr = json_array();
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "slug",
						     store_col_text(st, 0), "name",
						     store_col_text(st, 1), "kind",
						     store_col_text(st, 2), "description",
						     store_col_text(st, 3)));
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	if (e) {
		json_decref(arr);
		return e;
	}
	*out = arr;
	return ERR_OK;
}

enum err member_list(struct store_conn *c, int64_t org_id, json_t **out)
{
	static const char sql[] = "SELECT u.id, u.email, u.name, m.role FROM memberships m "
				  "JOIN users u ON u.id = m.user_id WHERE m.org_id = ? "
				  "ORDER BY u.email";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, org_id);
	json_t *arr = json_array();
	while (store_step(st) == STORE_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s}", "user_id",
						     (json_int_t)store_col_int(st, 0), "email",
						     store_col_text(st, 1), "name",
						     store_col_text(st, 2), "role",
						     store_col_text(st, 3)));
	store_reset(st);
	*out = arr;
	return ERR_OK;
}

static enum err org_kind_of(struct store_conn *c, int64_t org_id, enum org_kind *kind)
{
	static const char sql[] = "SELECT kind FROM orgs WHERE id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, org_id);
	enum err e = ERR_NOTFOUND;
	if (store_step(st) == STORE_ROW) {
		*kind = (enum org_kind)org_kind_parse(store_col_text(st, 0));
		e = ERR_OK;
	}
	store_reset(st);
	return e;
}

static enum err check_role(struct store_conn *c, int64_t org_id, const char *role,
			   struct errinfo *ei)
{
	enum org_kind kind;
	enum err e = org_kind_of(c, org_id, &kind);
	if (e)
		return err_set(ei, e, "", "no such organisation");
	int r = role ? role_parse(role) : -1;
	if (r < 0 || !role_fits_org((enum role)r, kind))
		return err_set(ei, ERR_INVAL, "role", "is not a role of a %s organisation (%s)",
			       org_kind_name(kind),
			       kind == ORG_POLICE      ? "officer, supervisor"
			       : kind == ORG_COMMUNITY ? "org_member, org_admin"
						       : "overseer");
	return ERR_OK;
}

/* The object of a membership in the log: "membership:ORG/PUBLIC_ID". */
static enum err membership_object(struct store_conn *c, int64_t org_id, int64_t user_id,
				  char out[128])
{
	static const char sql[] = "SELECT o.slug, u.public_id FROM orgs o, users u "
				  "WHERE o.id = ? AND u.id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, org_id);
	store_bind_int(st, 2, user_id);
	enum store_step r = store_step(st);
	enum err e = ERR_NOTFOUND;
	if (r == STORE_ROW) {
		snprintf(out, 128, "membership:%s/%s", store_col_text(st, 0), store_col_text(st, 1));
		e = ERR_OK;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}

/* Runs the membership statement st (bound), then records action in the
 * log, all in one transaction. ERR_NOTFOUND if st changed no row. */
static enum err member_change(struct store_conn *c, const struct actor *by, struct store_stmt *st,
			      enum action action, int64_t org_id, int64_t user_id,
			      const char *purpose)
{
	char object[128];
	enum err e = store_begin(c);
	if (e) {
		store_reset(st);
		return e;
	}
	if (!(e = store_run(st)) && store_changes(c) == 0)
		e = ERR_NOTFOUND;
	if (!e)
		e = membership_object(c, org_id, user_id, object);
	if (!e)
		e = audit_record(c, by, action, org_id, object, purpose);
	if (!e)
		return store_commit(c);
	store_rollback(c);
	return e;
}

enum err member_add(struct store_conn *c, const struct actor *by, int64_t org_id,
		    const char *email, const char *role, struct errinfo *ei)
{
	enum err e = check_role(c, org_id, role, ei);
	if (e)
		return e;
	int64_t uid;
	if (!email || !account_email_valid(email))
		return err_set(ei, ERR_INVAL, "email", "is not a valid email address");
	if ((e = account_find(c, email, &uid)))
		return err_set(ei, e == ERR_NOTFOUND ? ERR_INVAL : e, "email",
			       "no account has this email");
	static const char sql[] = "INSERT INTO memberships (user_id, org_id, role, created_at) "
				  "VALUES (?, ?, ?, ?)";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, uid);
	store_bind_int(st, 2, org_id);
	store_bind_text(st, 3, role);
	store_bind_int(st, 4, clock_now());
	char purpose[64];
	snprintf(purpose, sizeof purpose, "grant role %s", role);
	e = member_change(c, by, st, ACT_MEMBER_ADD, org_id, uid, purpose);
	if (e == ERR_CONFLICT)
		return err_set(ei, e, "email", "this account is already a member");
	if (e)
		return err_set(ei, e, "", e == ERR_FORBIDDEN ? "not allowed" : "database error");
	return ERR_OK;
}

enum err member_update(struct store_conn *c, const struct actor *by, int64_t org_id,
		       int64_t user_id, const char *role, struct errinfo *ei)
{
	enum err e = check_role(c, org_id, role, ei);
	if (e)
		return e;
	static const char sql[] = "UPDATE memberships SET role = ? WHERE org_id = ? AND user_id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, role);
	store_bind_int(st, 2, org_id);
	store_bind_int(st, 3, user_id);
	char purpose[64];
	snprintf(purpose, sizeof purpose, "change role to %s", role);
	e = member_change(c, by, st, ACT_MEMBER_UPDATE, org_id, user_id, purpose);
	if (e == ERR_NOTFOUND)
		return err_set(ei, e, "user_id", "is not a member");
	if (e)
		return err_set(ei, e, "", e == ERR_FORBIDDEN ? "not allowed" : "database error");
	return ERR_OK;
}

enum err member_remove(struct store_conn *c, const struct actor *by, int64_t org_id,
		       int64_t user_id, struct errinfo *ei)
{
	static const char sql[] = "DELETE FROM memberships WHERE org_id = ? AND user_id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, org_id);
	store_bind_int(st, 2, user_id);
	enum err e = member_change(c, by, st, ACT_MEMBER_REMOVE, org_id, user_id, "end membership");
	if (e == ERR_NOTFOUND)
		return err_set(ei, e, "user_id", "is not a member");
	if (e)
		return err_set(ei, e, "", e == ERR_FORBIDDEN ? "not allowed" : "database error");
	return ERR_OK;
}
