/* report.c - filing reports, routing them, and the reporter's receipt. */
#include "domain/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/category.h"
#include "domain/field.h"
#include "domain/org.h"
#include "domain/report_internal.h"
#include "domain/vault.h"

static const char *const status_names[REPORT_STATUS_COUNT] = {
    "received", "acknowledged", "in_progress", "resolved", "closed",
};

const char *report_status_name(enum report_status s)
{
	return (unsigned)s < REPORT_STATUS_COUNT ? status_names[s] : "unknown";
}

int report_status_parse(const char *s)
{
	for (int i = 0; s && i < REPORT_STATUS_COUNT; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return -1;
}

void report_ref(const char *public_id, char ref[REPORT_REF_LEN])
{
	snprintf(ref, REPORT_REF_LEN, "report:%s", public_id);
}

void report_receipt_hash(const char *token, char hex[2 * CRYPTO_SHA256_LEN + 1])
{
	uint8_t h[CRYPTO_SHA256_LEN];
	crypto_sha256(token, strlen(token), h);
	crypto_hex(h, sizeof h, hex);
}

/* 1 if token looks like a receipt token (43 base64url characters). */
static int token_valid(const char *token)
{
	if (!token || strlen(token) != CRYPTO_TOKEN_CHARS)
		return 0;
	for (const char *p = token; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

/* --- filing -------------------------------------------------------------- */

static enum err check_phone(const char *s, struct errinfo *ei)
{
	if (!s || !*s)
		return ERR_OK;
	size_t digits = 0, n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!strchr(" +-().", s[i]))
			return err_set(ei, ERR_INVAL, "reporter.phone",
			               "may hold only digits, spaces and + - ( ) .");
	}
	if (digits < 3 || n > 40)
		return err_set(ei, ERR_INVAL, "reporter.phone", "is not a telephone number");
	return ERR_OK;
}

static enum err check_input(const struct report_input *in, int64_t *occurred, struct errinfo *ei)
{
	enum err e;
	if (!in->category || !*in->category)
		return err_set(ei, ERR_INVAL, "category", "is required");
	if ((e = field_text_chars("description", in->description, REPORT_TEXT_MAX, 1, 1, ei)))
		return e;
	if (!in->occurred_at || !*in->occurred_at)
		return err_set(ei, ERR_INVAL, "occurred_at", "is required");
	if (clock_parse_rfc3339(in->occurred_at, occurred) != 0)
		return err_set(ei, ERR_INVAL, "occurred_at",
		               "must be an RFC 3339 date and time, such as 2025-03-01T18:30:00Z");
	if (*occurred < 0)
		return err_set(ei, ERR_INVAL, "occurred_at", "must be after 1970");
	if (*occurred > clock_now() + 600)
		return err_set(ei, ERR_INVAL, "occurred_at", "must not be in the future");
	if (!in->area || !*in->area)
		return err_set(ei, ERR_INVAL, "area", "is required");
	if ((e = field_text_chars("location.address", in->address, REPORT_NOTE_MAX, 0, 0, ei)))
		return e;
	if (in->has_position) {
		if (!isfinite(in->lat) || in->lat < -90 || in->lat > 90)
			return err_set(ei, ERR_INVAL, "location.lat", "must be between -90 and 90");
		if (!isfinite(in->lon) || in->lon < -180 || in->lon > 180)
			return err_set(ei, ERR_INVAL, "location.long",
			               "must be between -180 and 180");
	}
	if (!in->consent || !*in->consent)
		return err_set(ei, ERR_INVAL, "consent", "is required");
	if (consent_parse(in->consent) < 0)
		return err_set(ei, ERR_INVAL, "consent",
		               "must be statistics, anonymous or identified");
	return report_check_reporter(in->name, in->email, in->phone,
	                             consent_parse(in->consent) == CONSENT_IDENTIFIED, ei);
}

enum err report_check_reporter(const char *name, const char *email, const char *phone,
                               int identified, struct errinfo *ei)
{
	enum err e;
	if ((e = field_text_chars("reporter.name", name, 200, 0, 0, ei)))
		return e;
	if (email && *email && (strlen(email) > 254 || !account_email_valid(email)))
		return err_set(ei, ERR_INVAL, "reporter.email", "is not an email address");
	if ((e = check_phone(phone, ei)))
		return e;
	int contact = (email && *email) || (phone && *phone);
	if (identified && !contact)
		return err_set(ei, ERR_INVAL, "reporter",
		               "identified consent needs an email address or a telephone number");
	return ERR_OK;
}

/* The nearest police organisation serving the area or an area above it. */
static enum err police_for_area(struct store_conn *c, int64_t area, int64_t *org)
{
	static const char serving[] = "SELECT o.id FROM org_areas oa JOIN orgs o ON o.id = "
	                              "oa.org_id WHERE oa.area_id = ? AND o.kind = 'police' "
	                              "ORDER BY o.id LIMIT 1";
	static const char parent[] = "SELECT COALESCE(parent_id, 0) FROM areas WHERE id = ?";
	*org = 0;
	for (int depth = 0; depth < 8 && area; depth++) {
		struct store_stmt *st = store_prepare(c, serving);
		if (!st)
			return ERR_STORE;
		store_bind_int(st, 1, area);
		enum err e = field_int(st, org);
		if (e != ERR_NOTFOUND)
			return e;
		*org = 0;
		if (!(st = store_prepare(c, parent)))
			return ERR_STORE;
		store_bind_int(st, 1, area);
		if ((e = field_int(st, &area)))
			return e == ERR_NOTFOUND ? ERR_OK : e;
	}
	return ERR_OK;
}

static void make_public_id(char id[REPORT_ID_CHARS + 1])
{
	uint8_t raw[12];
	crypto_random(raw, sizeof raw);
	char *s = crypto_b64url(raw, sizeof raw);
	snprintf(id, REPORT_ID_CHARS + 1, "%s", s);
	free(s);
}

static int64_t month_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	return (int64_t)(tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
}

/* The JSON text of the content part: what happened and where exactly. */
static char *content_text(const char *description, const char *address, int has_position,
                          double lat, double lon)
{
	json_t *o = json_pack("{s:s}", "description", description);
	json_t *loc = json_object();
	if (address && *address)
		json_object_set_new(loc, "address", json_string(address));
	if (has_position) {
		json_object_set_new(loc, "lat", json_real(lat));
		json_object_set_new(loc, "long", json_real(lon));
	}
	json_object_set_new(o, "location", json_object_size(loc) ? loc : json_null());
	if (!json_object_size(loc))
		json_decref(loc);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

char *report_identity_text(const char *name, const char *email, const char *phone)
{
	if (!(name && *name) && !(email && *email) && !(phone && *phone))
		return NULL;
	json_t *o = json_object();
	json_object_set_new(o, "name", name && *name ? json_string(name) : json_null());
	json_object_set_new(o, "email", email && *email ? json_string(email) : json_null());
	json_object_set_new(o, "phone", phone && *phone ? json_string(phone) : json_null());
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* Resolves and checks the strands (nothing written): ids[] of n. */
static enum err resolve_strands(struct store_conn *c, const struct category *cat, json_t *strands,
                                int64_t ids[REPORT_STRANDS_MAX], size_t *n, struct errinfo *ei)
{
	*n = 0;
	if (json_is_null(strands))
		strands = NULL;
	size_t count = json_is_array(strands) ? json_array_size(strands) : 0;
	if (strands && !json_is_array(strands))
		return err_set(ei, ERR_INVAL, "strands", "must be a list of strand codes");
	if (!cat->has_strands) {
		if (count)
			return err_set(ei, ERR_INVAL, "strands",
			               "apply only to hate incidents and hate crimes");
		return ERR_OK;
	}
	if (count == 0)
		return err_set(ei, ERR_INVAL, "strands",
		               "name at least one monitored strand for a hate incident or crime");
	if (count > 2 * REPORT_STRANDS_MAX)
		return err_set(ei, ERR_INVAL, "strands", "has more strands than there are");
	size_t i;
	json_t *v;
	json_array_foreach(strands, i, v)
	{
		const char *code = json_string_value(v);
		int64_t id;
		enum err e = code ? category_strand_find(c, code, &id) : ERR_NOTFOUND;
		if (e == ERR_NOTFOUND)
			return err_set(ei, ERR_INVAL, "strands",
			               "'%.40s' is not a monitored strand", code ? code : "");
		if (e)
			return err_set(ei, e, "", "database error");
		int dup = 0;
		for (size_t k = 0; k < *n; k++)
			dup |= ids[k] == id;
		if (!dup && *n < REPORT_STRANDS_MAX)
			ids[(*n)++] = id;
	}
	return ERR_OK;
}

enum err report_create(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                       const struct actor *actor, const struct report_input *in,
                       struct report_receipt *out, struct errinfo *ei)
{
	int64_t occurred;
	enum err e = check_input(in, &occurred, ei);
	if (e)
		return e;
	struct category cat;
	if ((e = category_find(c, in->category, &cat)) == ERR_NOTFOUND || (!e && !cat.active))
		return err_set(ei, ERR_INVAL, "category", "is not a report category");
	if (e)
		return err_set(ei, e, "", "database error");
	int64_t strand_ids[REPORT_STRANDS_MAX];
	size_t nstrands;
	if ((e = resolve_strands(c, &cat, in->strands, strand_ids, &nstrands, ei)))
		return e;
	int64_t area_id;
	if ((e = area_find(c, in->area, &area_id)) == ERR_NOTFOUND)
		return err_set(ei, ERR_INVAL, "area", "no area has this slug");
	if (e)
		return err_set(ei, e, "", "database error");
	int64_t via = 0, police = 0;
	if (in->via && *in->via) {
		enum org_kind kind;
		if ((e = org_find(c, in->via, &via, &kind)) == ERR_NOTFOUND ||
		    (!e && kind != ORG_COMMUNITY))
			return err_set(ei, ERR_INVAL, "via", "is not a community organisation");
		if (e)
			return err_set(ei, e, "", "database error");
		if (!policy_allows(actor, ACT_REPORT_FILE_VIA, via))
			return err_set(ei, ERR_FORBIDDEN, "via",
			               "only its members may file reports for this organisation");
	}
	if ((e = police_for_area(c, area_id, &police)))
		return err_set(ei, e, "", "database error");
	const char *source = in->source ? in->source : "api";

	char ref[REPORT_REF_LEN], hash[2 * CRYPTO_SHA256_LEN + 1];
	make_public_id(out->id);
	crypto_token_new(out->token);
	report_ref(out->id, ref);
	report_receipt_hash(out->token, hash);
	uint8_t dk[CRYPTO_KEY_LEN], wrapped[VAULT_WRAPPED_LEN];
	vault_new_key(kek, ref, dk, wrapped);
	char *content =
	    content_text(in->description, in->address, in->has_position, in->lat, in->lon);
	char *identity = report_identity_text(in->name, in->email, in->phone);
	size_t clen, ilen = 0;
	uint8_t *csealed = vault_seal(dk, ref, "content", content, strlen(content), &clen);
	uint8_t *isealed =
	    identity ? vault_seal(dk, ref, "identity", identity, strlen(identity), &ilen) : NULL;
	crypto_random(dk, sizeof dk); /* forget it */
	free(content);
	free(identity);

	if ((e = store_begin(c))) {
		free(csealed);
		free(isealed);
		return err_set(ei, e, "", "database error");
	}
	static const char sql[] =
	    "INSERT INTO reports (public_id, receipt_hash, category_id, area_id, police_org_id, "
	    "via_org_id, consent, status, source, occurred_at, occurred_month, lat_approx, "
	    "long_approx, data_key, content, identity, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
	struct store_stmt *st = store_prepare(c, sql);
	int64_t now = in->filed_at ? in->filed_at : clock_now();
	e = ERR_STORE;
	if (st) {
		store_bind_text(st, 1, out->id);
		store_bind_text(st, 2, hash);
		store_bind_int(st, 3, cat.id);
		store_bind_int(st, 4, area_id);
		if (police)
			store_bind_int(st, 5, police);
		else
			store_bind_null(st, 5);
		if (via)
			store_bind_int(st, 6, via);
		else
			store_bind_null(st, 6);
		store_bind_text(st, 7, in->consent);
		store_bind_text(st, 8, source);
		store_bind_int(st, 9, occurred);
		store_bind_int(st, 10, month_of(occurred));
		if (in->has_position) {
			store_bind_double(st, 11, round(in->lat * 100) / 100);
			store_bind_double(st, 12, round(in->lon * 100) / 100);
		} else {
			store_bind_null(st, 11);
			store_bind_null(st, 12);
		}
		store_bind_blob(st, 13, wrapped, sizeof wrapped);
		store_bind_blob(st, 14, csealed, clen);
		if (isealed)
			store_bind_blob(st, 15, isealed, ilen);
		else
			store_bind_null(st, 15);
		store_bind_int(st, 16, now);
		store_bind_int(st, 17, now);
		e = field_int(st, &out->row_id);
	}
	free(csealed);
	free(isealed);
	static const char ins_strand[] =
	    "INSERT INTO report_strands (report_id, strand_id) VALUES (?, ?)";
	for (size_t i = 0; i < nstrands && !e; i++) {
		if (!(st = store_prepare(c, ins_strand))) {
			e = ERR_STORE;
			break;
		}
		store_bind_int(st, 1, out->row_id);
		store_bind_int(st, 2, strand_ids[i]);
		e = store_run(st);
	}
	if (!e)
		e = store_commit(c);
	else
		store_rollback(c);
	if (e)
		return err_set(ei, e, "", "database error");
	return ERR_OK;
}

/* --- reading ----------------------------------------------------------- */

void report_row_clear(struct report_row *r)
{
	free(r->content);
	free(r->identity);
	memset(r, 0, sizeof *r);
}

#define ROW_COLS                                                                                   \
	"r.id, r.public_id, r.category_id, r.area_id, COALESCE(r.police_org_id, 0), "              \
	"COALESCE(r.via_org_id, 0), r.consent, r.status, r.source, r.occurred_at, "                \
	"r.created_at, r.updated_at, COALESCE(r.erased_at, 0), r.data_key, r.content, "            \
	"r.identity, r.lat_approx, r.long_approx, c.is_public FROM reports r JOIN "                \
	"report_categories c ON c.id = r.category_id "

static uint8_t *blob_copy(struct store_stmt *st, int i, size_t *n)
{
	const void *p = store_col_blob(st, i, n);
	if (!p || !*n) {
		*n = 0;
		return NULL;
	}
	uint8_t *q = xmalloc(*n);
	memcpy(q, p, *n);
	return q;
}

static enum err row_read(struct store_stmt *st, struct report_row *r)
{
	memset(r, 0, sizeof *r);
	enum store_step s = store_step(st);
	if (s != STORE_ROW) {
		enum err e = s == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
		store_reset(st);
		return e;
	}
	r->id = store_col_int(st, 0);
	snprintf(r->public_id, sizeof r->public_id, "%s", store_col_text(st, 1));
	r->category_id = store_col_int(st, 2);
	r->area_id = store_col_int(st, 3);
	r->police_org = store_col_int(st, 4);
	r->via_org = store_col_int(st, 5);
	r->consent = (enum consent_level)consent_parse(store_col_text(st, 6));
	r->status = (enum report_status)report_status_parse(store_col_text(st, 7));
	snprintf(r->source, sizeof r->source, "%s", store_col_text(st, 8));
	r->occurred_at = store_col_int(st, 9);
	r->created_at = store_col_int(st, 10);
	r->updated_at = store_col_int(st, 11);
	r->erased_at = store_col_int(st, 12);
	size_t n;
	const void *k = store_col_blob(st, 13, &n);
	if (k && n == VAULT_WRAPPED_LEN) {
		memcpy(r->wrapped, k, n);
		r->has_key = 1;
	}
	r->content = blob_copy(st, 14, &r->content_len);
	r->identity = blob_copy(st, 15, &r->identity_len);
	r->has_position = !store_col_isnull(st, 16);
	r->lat_approx = store_col_double(st, 16);
	r->long_approx = store_col_double(st, 17);
	r->is_public = store_col_int(st, 18) != 0;
	store_reset(st);
	return ERR_OK;
}

enum err report_row_by_id(struct store_conn *c, const char *public_id, struct report_row *r)
{
	memset(r, 0, sizeof *r);
	static const char sql[] = "SELECT " ROW_COLS "WHERE r.public_id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, public_id);
	return row_read(st, r);
}

enum err report_row_by_receipt(struct store_conn *c, const char *token, struct report_row *r)
{
	memset(r, 0, sizeof *r);
	if (!token_valid(token))
		return ERR_NOTFOUND;
	char hash[2 * CRYPTO_SHA256_LEN + 1];
	report_receipt_hash(token, hash);
	static const char sql[] = "SELECT " ROW_COLS "WHERE r.receipt_hash = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_text(st, 1, hash);
	return row_read(st, r);
}

enum err report_receipt_find(struct store_conn *c, const char *token, char id[REPORT_ID_CHARS + 1],
                             int64_t *row_id)
{
	struct report_row r;
	enum err e = report_row_by_receipt(c, token, &r);
	if (!e) {
		snprintf(id, REPORT_ID_CHARS + 1, "%s", r.public_id);
		*row_id = r.id;
	}
	report_row_clear(&r);
	return e;
}

static json_t *ref_json(const char *slug, const char *name)
{
	if (!slug)
		return json_null();
	return json_pack("{s:s, s:s}", "slug", slug, "name", name ? name : slug);
}

static json_t *time_json(int64_t t)
{
	char s[32];
	clock_format_rfc3339(t, s);
	return json_string(s);
}

static const char *label_col(const char *lang)
{
	return lang && !strcmp(lang, "fr") ? "fr" : lang && !strcmp(lang, "nl") ? "nl" : "en";
}

const char *report_label(struct store_stmt *st, int i, const char *lang)
{
	const char *l = label_col(lang);
	return store_col_text(st, i + (l[0] == 'f' ? 1 : l[0] == 'n' ? 2 : 0));
}

enum err report_facts_json(struct store_conn *c, const struct report_row *r, const char *lang,
                           json_t **out)
{
	static const char sql[] =
	    "SELECT c.code, c.label_en, c.label_fr, c.label_nl, a.slug, a.name, p.slug, "
	    "p.name, v.slug, v.name FROM reports r "
	    "JOIN report_categories c ON c.id = r.category_id JOIN areas a ON a.id = r.area_id "
	    "LEFT JOIN orgs p ON p.id = r.police_org_id LEFT JOIN orgs v ON v.id = r.via_org_id "
	    "WHERE r.id = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, r->id);
	enum store_step s = store_step(st);
	if (s != STORE_ROW) {
		enum err e = s == STORE_DONE ? ERR_NOTFOUND : store_stmt_err(st);
		store_reset(st);
		return e;
	}
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(r->public_id));
	json_object_set_new(o, "category",
	                    json_pack("{s:s, s:s, s:b}", "code", store_col_text(st, 0), "label",
	                              report_label(st, 1, lang), "public", r->is_public));
	json_object_set_new(o, "area", ref_json(store_col_text(st, 4), store_col_text(st, 5)));
	json_object_set_new(o, "police", ref_json(store_col_text(st, 6), store_col_text(st, 7)));
	json_object_set_new(o, "via", ref_json(store_col_text(st, 8), store_col_text(st, 9)));
	store_reset(st);
	json_object_set_new(o, "consent", json_string(consent_name(r->consent)));
	json_object_set_new(o, "status", json_string(report_status_name(r->status)));
	json_object_set_new(o, "source", json_string(r->source));
	json_object_set_new(o, "occurred_at", time_json(r->occurred_at));
	json_object_set_new(o, "filed_at", time_json(r->created_at));
	json_object_set_new(o, "updated_at", time_json(r->updated_at));
	json_object_set_new(o, "erased", json_boolean(r->erased_at != 0));

	static const char strands[] =
	    "SELECT t.code, t.label_en, t.label_fr, t.label_nl FROM report_strands s "
	    "JOIN report_strand_types t ON t.id = s.strand_id WHERE s.report_id = ? "
	    "ORDER BY t.position";
	json_t *arr = json_array();
	if ((st = store_prepare(c, strands))) {
		store_bind_int(st, 1, r->id);
		while (store_step(st) == STORE_ROW)
			json_array_append_new(arr,
			                      json_pack("{s:s, s:s}", "code", store_col_text(st, 0),
			                                "label", report_label(st, 1, lang)));
		store_reset(st);
	}
	json_object_set_new(o, "strands", arr);

	static const char updates[] =
	    "SELECT u.status, u.note, o.slug, o.name, u.created_at FROM report_updates u "
	    "LEFT JOIN orgs o ON o.id = u.org_id WHERE u.report_id = ? ORDER BY u.id";
	arr = json_array();
	if ((st = store_prepare(c, updates))) {
		store_bind_int(st, 1, r->id);
		while (store_step(st) == STORE_ROW) {
			const char *note = store_col_text(st, 1);
			json_array_append_new(
			    arr,
			    json_pack("{s:s, s:o, s:o, s:o}", "status", store_col_text(st, 0),
			              "note", note && *note ? json_string(note) : json_null(),
			              "org", ref_json(store_col_text(st, 2), store_col_text(st, 3)),
			              "time", time_json(store_col_int(st, 4))));
		}
		store_reset(st);
	}
	json_object_set_new(o, "updates", arr);
	*out = o;
	return ERR_OK;
}

/* Opens a sealed part holding a JSON object into *out (caller owns it). */
static enum err open_object(const uint8_t dk[CRYPTO_KEY_LEN], const char *ref, const char *field,
                            const uint8_t *sealed, size_t n, json_t **out)
{
	char *text;
	enum err e = vault_open(dk, ref, field, sealed, n, &text);
	if (e)
		return e;
	json_t *j = json_loads(text, 0, NULL);
	free(text);
	if (!json_is_object(j)) {
		json_decref(j);
		return ERR_CRYPTO;
	}
	*out = j;
	return ERR_OK;
}

/* Adds "description" and "location" from the content part. */
static enum err add_content(json_t *o, const uint8_t dk[CRYPTO_KEY_LEN], const char *ref,
                            const struct report_row *r)
{
	json_t *j;
	enum err e = open_object(dk, ref, "content", r->content, r->content_len, &j);
	if (e)
		return e;
	json_object_set(o, "description", json_object_get(j, "description"));
	json_object_set(o, "location", json_object_get(j, "location"));
	json_decref(j);
	return ERR_OK;
}

/* Adds "reporter" ({name,email,phone} or null) from the identity part. */
static enum err add_identity(json_t *o, const uint8_t dk[CRYPTO_KEY_LEN], const char *ref,
                             const struct report_row *r)
{
	json_t *j = NULL;
	enum err e = r->identity
	                 ? open_object(dk, ref, "identity", r->identity, r->identity_len, &j)
	                 : ERR_OK;
	if (e)
		return e;
	json_object_set_new(o, "reporter", j ? j : json_null());
	return ERR_OK;
}

/* Adds "messages": [{"from","org","body","time"}]. */
static enum err add_messages(struct store_conn *c, json_t *o, const uint8_t dk[CRYPTO_KEY_LEN],
                             const char *ref, int64_t row_id)
{
	static const char sql[] =
	    "SELECT m.sender, o.slug, o.name, m.body, m.created_at FROM report_messages m "
	    "LEFT JOIN orgs o ON o.id = m.org_id WHERE m.report_id = ? ORDER BY m.id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, row_id);
	json_t *arr = json_array();
	enum err e = ERR_OK;
	enum store_step s;
	while (!e && (s = store_step(st)) == STORE_ROW) {
		size_t n;
		const void *b = store_col_blob(st, 3, &n);
		char *body;
		if ((e = vault_open(dk, ref, "message", b, n, &body)))
			break;
		json_array_append_new(
		    arr, json_pack("{s:s, s:o, s:s, s:o}", "from", store_col_text(st, 0), "org",
		                   ref_json(store_col_text(st, 1), store_col_text(st, 2)), "body",
		                   body, "time", time_json(store_col_int(st, 4))));
		free(body);
	}
	if (!e && s == STORE_ERROR)
		e = store_stmt_err(st);
	store_reset(st);
	if (e) {
		json_decref(arr);
		return e;
	}
	json_object_set_new(o, "messages", arr);
	return ERR_OK;
}

enum err report_personal_json(struct store_conn *c, const struct report_row *r,
                              const uint8_t dk[CRYPTO_KEY_LEN], int with_identity, json_t *o)
{
	char ref[REPORT_REF_LEN];
	report_ref(r->public_id, ref);
	enum err e = add_content(o, dk, ref, r);
	if (!e && with_identity)
		e = add_identity(o, dk, ref, r);
	if (!e)
		e = add_messages(c, o, dk, ref, r->id);
	return e;
}

/* Adds "overrides": [{"time","org","reason"}] (the reason opened with dk,
 * null once erased). */
static enum err add_overrides(struct store_conn *c, json_t *o, const uint8_t *dk, const char *ref,
                              int64_t row_id)
{
	static const char sql[] =
	    "SELECT v.created_at, o.slug, o.name, v.reason, v.log_index FROM report_overrides v "
	    "JOIN orgs o ON o.id = v.org_id WHERE v.report_id = ? ORDER BY v.id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, row_id);
	json_t *arr = json_array();
	while (store_step(st) == STORE_ROW) {
		size_t n;
		const void *b = store_col_blob(st, 3, &n);
		char *reason = NULL;
		if (dk && b)
			vault_open(dk, ref, "override", b, n, &reason);
		json_array_append_new(
		    arr, json_pack("{s:o, s:o, s:o, s:I}", "time", time_json(store_col_int(st, 0)),
		                   "org", ref_json(store_col_text(st, 1), store_col_text(st, 2)),
		                   "reason", reason ? json_string(reason) : json_null(),
		                   "log_index", (json_int_t)store_col_int(st, 4)));
		free(reason);
	}
	store_reset(st);
	json_object_set_new(o, "overrides", arr);
	return ERR_OK;
}

enum err report_receipt_json(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                             struct tlog *t, const char *token, const char *lang, json_t **out,
                             int64_t *row_id)
{
	struct report_row r;
	enum err e = report_row_by_receipt(c, token, &r);
	if (e)
		return e;
	json_t *o = NULL;
	if ((e = report_facts_json(c, &r, lang, &o)))
		goto out;
	char ref[REPORT_REF_LEN];
	report_ref(r.public_id, ref);
	if (r.has_key) {
		uint8_t dk[CRYPTO_KEY_LEN];
		if (!(e = vault_unwrap(kek, ref, r.wrapped, VAULT_WRAPPED_LEN, dk))) {
			e = report_personal_json(c, &r, dk, 1, o);
			if (!e)
				e = add_overrides(c, o, dk, ref, r.id);
		}
		crypto_random(dk, sizeof dk);
	} else {
		e = add_overrides(c, o, NULL, ref, r.id);
	}
	json_t *access = NULL;
	if (!e && !(e = audit_report_history(c, t, r.id, &access)))
		json_object_set_new(o, "access", access);
	if (row_id)
		*row_id = r.id;
out:
	report_row_clear(&r);
	if (e) {
		json_decref(o);
		return e;
	}
	*out = o;
	return ERR_OK;
}

enum err report_add_message(struct store_conn *c, const struct report_row *r,
                            const uint8_t dk[CRYPTO_KEY_LEN], const char *sender, int64_t org_id,
                            const char *body, struct errinfo *ei)
{
	enum err e = field_text_chars("body", body, REPORT_TEXT_MAX, 1, 1, ei);
	if (e)
		return e;
	static const char count[] = "SELECT COUNT(*) FROM report_messages WHERE report_id = ?";
	struct store_stmt *st = store_prepare(c, count);
	int64_t n = 0;
	if (st)
		store_bind_int(st, 1, r->id);
	if ((e = field_int(st, &n)))
		return err_set(ei, e, "", "database error");
	if (n >= REPORT_MESSAGES_MAX)
		return err_set(ei, ERR_LIMIT, "body", "this report has too many messages");
	char ref[REPORT_REF_LEN];
	report_ref(r->public_id, ref);
	size_t len;
	uint8_t *sealed = vault_seal(dk, ref, "message", body, strlen(body), &len);
	static const char sql[] = "INSERT INTO report_messages (report_id, sender, org_id, body, "
	                          "created_at) VALUES (?, ?, ?, ?, ?)";
	st = store_prepare(c, sql);
	if (st) {
		store_bind_int(st, 1, r->id);
		store_bind_text(st, 2, sender);
		if (org_id)
			store_bind_int(st, 3, org_id);
		else
			store_bind_null(st, 3);
		store_bind_blob(st, 4, sealed, len);
		store_bind_int(st, 5, clock_now());
	}
	e = store_run(st);
	free(sealed);
	return e ? err_set(ei, e, "", "database error") : ERR_OK;
}

enum err report_receipt_reply(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                              const char *token, const char *body, struct errinfo *ei)
{
	enum err e = field_text_chars("body", body, REPORT_TEXT_MAX, 1, 1, ei);
	if (e)
		return e;
	struct report_row r;
	if ((e = report_row_by_receipt(c, token, &r)))
		return err_set(ei, e, "token",
		               e == ERR_NOTFOUND ? "no report has this receipt" : "database error");
	if (!r.has_key) {
		report_row_clear(&r);
		return err_set(ei, ERR_CONFLICT, "", "this report has been erased");
	}
	char ref[REPORT_REF_LEN];
	report_ref(r.public_id, ref);
	uint8_t dk[CRYPTO_KEY_LEN];
	if ((e = vault_unwrap(kek, ref, r.wrapped, VAULT_WRAPPED_LEN, dk))) {
		report_row_clear(&r);
		return err_set(ei, e, "", "the report's key does not open");
	}
	e = report_add_message(c, &r, dk, "reporter", 0, body, ei);
	crypto_random(dk, sizeof dk);
	report_row_clear(&r);
	return e;
}

enum err report_receipt_consent(struct store_conn *c, const uint8_t kek[CRYPTO_KEY_LEN],
                                const char *token, const char *consent, const char *name,
                                const char *email, const char *phone, struct errinfo *ei)
{
	int level = consent_parse(consent);
	if (level < 0)
		return err_set(ei, ERR_INVAL, "consent",
		               "must be statistics, anonymous or identified");
	int new_identity = (name && *name) || (email && *email) || (phone && *phone);
	enum err e;
	if (new_identity &&
	    (e = report_check_reporter(name, email, phone, level == CONSENT_IDENTIFIED, ei)))
		return e;
	struct report_row r;
	if ((e = report_row_by_receipt(c, token, &r)))
		return err_set(ei, e, "token",
		               e == ERR_NOTFOUND ? "no report has this receipt" : "database error");
	if (!r.has_key) {
		report_row_clear(&r);
		return err_set(ei, ERR_CONFLICT, "", "this report has been erased");
	}
	if (level == CONSENT_IDENTIFIED && !new_identity && !r.identity) {
		report_row_clear(&r);
		return err_set(ei, ERR_INVAL, "reporter",
		               "identified consent needs an email address or a telephone number");
	}
	if (level == (int)r.consent && !new_identity) {
		report_row_clear(&r);
		return ERR_OK;
	}
	char ref[REPORT_REF_LEN], purpose[64];
	report_ref(r.public_id, ref);
	snprintf(purpose, sizeof purpose, "consent %s -> %s", consent_name(r.consent), consent);
	uint8_t *sealed = NULL;
	size_t slen = 0;
	if (new_identity) {
		uint8_t dk[CRYPTO_KEY_LEN];
		if ((e = vault_unwrap(kek, ref, r.wrapped, VAULT_WRAPPED_LEN, dk))) {
			report_row_clear(&r);
			return err_set(ei, e, "", "the report's key does not open");
		}
		char *text = report_identity_text(name, email, phone);
		sealed = vault_seal(dk, ref, "identity", text, strlen(text), &slen);
		free(text);
		crypto_random(dk, sizeof dk);
	}
	if ((e = store_begin(c))) {
		free(sealed);
		report_row_clear(&r);
		return err_set(ei, e, "", "database error");
	}
	static const char upd[] = "UPDATE reports SET consent = ?, updated_at = ? WHERE id = ?";
	static const char upd_id[] = "UPDATE reports SET identity = ? WHERE id = ?";
	struct store_stmt *st = store_prepare(c, upd);
	if (st) {
		store_bind_text(st, 1, consent);
		store_bind_int(st, 2, clock_now());
		store_bind_int(st, 3, r.id);
	}
	e = store_run(st);
	if (!e && sealed) {
		if ((st = store_prepare(c, upd_id))) {
			store_bind_blob(st, 1, sealed, slen);
			store_bind_int(st, 2, r.id);
		}
		e = store_run(st);
	}
	free(sealed);
	/* Logged even when only the contact details changed: the police may
	 * now see other details than before. */
	if (!e)
		e = audit_report(c, NULL, ACT_REPORT_FILE, 0, AUDIT_REPORT_CONSENT, &r, purpose,
		                 NULL);
	if (!e)
		e = store_commit(c);
	else
		store_rollback(c);
	report_row_clear(&r);
	return e ? err_set(ei, e, "", "the consent could not be changed: %s", err_str(e)) : ERR_OK;
}

enum err report_receipt_erase(struct store_conn *c, const char *token, struct errinfo *ei)
{
	struct report_row r;
	enum err e = report_row_by_receipt(c, token, &r);
	if (e)
		return err_set(ei, e, "token",
		               e == ERR_NOTFOUND ? "no report has this receipt" : "database error");
	if (!r.has_key) {
		report_row_clear(&r);
		return err_set(ei, ERR_CONFLICT, "", "this report has already been erased");
	}
	/* Keep only the month of the incident, as statistics need no more. */
	int64_t month = month_of(r.occurred_at);
	int64_t month_start =
	    clock_days_from_civil(month / 100, (unsigned)(month % 100), 1) * 86400;
	static const char *const sqls[] = {
	    "UPDATE reports SET data_key = NULL, content = NULL, identity = NULL, "
	    "lat_approx = NULL, long_approx = NULL, occurred_at = ?, erased_at = ?, "
	    "updated_at = ? WHERE id = ?",
	    "DELETE FROM report_messages WHERE report_id = ?",
	    "UPDATE report_updates SET note = '' WHERE report_id = ?",
	    "UPDATE report_overrides SET reason = NULL WHERE report_id = ?",
	};
	if ((e = store_begin(c))) {
		report_row_clear(&r);
		return err_set(ei, e, "", "database error");
	}
	int64_t now = clock_now();
	for (size_t i = 0; i < sizeof sqls / sizeof sqls[0] && !e; i++) {
		struct store_stmt *st = store_prepare(c, sqls[i]);
		if (st && i == 0) {
			store_bind_int(st, 1, month_start);
			store_bind_int(st, 2, now);
			store_bind_int(st, 3, now);
			store_bind_int(st, 4, r.id);
		} else if (st) {
			store_bind_int(st, 1, r.id);
		}
		e = store_run(st);
	}
	if (!e)
		e = audit_report(c, NULL, ACT_REPORT_FILE, 0, AUDIT_REPORT_ERASE, &r,
		                 "erasure asked by the reporter", NULL);
	if (!e)
		e = store_commit(c);
	else
		store_rollback(c);
	report_row_clear(&r);
	return e ? err_set(ei, e, "", "the report could not be erased: %s", err_str(e)) : ERR_OK;
}
