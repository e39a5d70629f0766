/* export.c - the "You said, we did" board as open data, with the columns
 * of Decidim's accountability results export (id, title, description,
 * start_date, end_date, status, progress, scope, url, linked items), plus
 * the owner, the co-chair and the overdue flag:
 *   GET /commitments.csv   RFC 4180 CSV, UTF-8, CRLF, a header row
 *   GET /commitments.json  {"commitments": [...]}, nested as Decidim's JSON
 * Both take the board's filters: ?area=&org=&status=&overdue=1. */
#include <string.h>

#include "api/api.h"
#include "domain/commitment.h"
#include "domain/policy.h"

static const char *status_name(const char *key)
{
	static const struct {
		const char *key, *name;
	} names[] = {{"proposed", "Proposed"},       {"accepted", "Accepted"},
	             {"in_progress", "In progress"}, {"done", "Done (claimed by the owner)"},
	             {"confirmed", "Confirmed"},     {"disputed", "Disputed"},
	             {"declined", "Declined"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(key, names[i].key))
			return names[i].name;
	return key;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* One CSV field, quoted when needed. Text that a spreadsheet would run as a
 * formula (=, +, -, @ first) gets a leading apostrophe. */
static void csv_field(struct buf *b, const char *s, int text, int last)
{
	int guard = text && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
	if (guard || strpbrk(s, "\",\r\n")) {
		buf_putc(b, '"');
		if (guard)
			buf_putc(b, '\'');
		for (; *s; s++) {
			if (*s == '"')
				buf_putc(b, '"');
			buf_putc(b, *s);
		}
		buf_putc(b, '"');
	} else {
		buf_puts(b, s);
	}
	buf_puts(b, last ? "\r\n" : ",");
}

static int filtered(struct req *r, json_t **out)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_COMMITMENT_LIST, 0))
		return 0;
	const char *overdue = req_query(r, "overdue");
	struct commitment_filter f = {req_query(r, "area"), req_query(r, "org"),
	                              req_query(r, "status"), overdue && !strcmp(overdue, "1")};
	struct errinfo ei = {{0}, {0}};
	enum err e = commitment_list(c, &f, out, &ei);
	if (e == ERR_INVAL)
		resp_error(r, 400, "invalid", ei.field, "%s", ei.msg);
	else if (e)
		resp_err(r, e, &ei);
	return e == ERR_OK;
}

static const char *const columns[] = {"id",
                                      "title",
                                      "description",
                                      "raised",
                                      "start_date",
                                      "end_date",
                                      "status/key",
                                      "status/name",
                                      "progress",
                                      "scope/slug",
                                      "scope/name",
                                      "owner/slug",
                                      "owner/name",
                                      "cochair/slug",
                                      "cochair/name",
                                      "overdue",
                                      "created_at",
                                      "updated_at",
                                      "url",
                                      "related_meetings",
                                      "related_meeting_urls"};

static void export_csv(struct req *r)
{
	json_t *list;
	if (!filtered(r, &list))
		return;
	struct buf b;
	buf_init(&b);
	size_t ncol = sizeof columns / sizeof columns[0];
	for (size_t i = 0; i < ncol; i++)
		csv_field(&b, columns[i], 0, i + 1 == ncol);
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		char id[24], progress[8];
		snprintf(id, sizeof id, "%lld",
		         (long long)json_integer_value(json_object_get(o, "id")));
		snprintf(progress, sizeof progress, "%lld",
		         (long long)json_integer_value(json_object_get(o, "progress")));
		struct buf ids, urls;
		buf_init(&ids);
		buf_init(&urls);
		size_t k;
		json_t *m;
		json_array_foreach(json_object_get(o, "meetings"), k, m)
		{
			long long mid = (long long)json_integer_value(json_object_get(m, "id"));
			buf_printf(&ids, "%s%lld", k ? " " : "", mid);
			buf_printf(&urls, "%s/meetings/%lld", k ? " " : "", mid);
		}
		json_t *area = json_object_get(o, "area"), *own = json_object_get(o, "owner"),
		       *co = json_object_get(o, "cochair");
		const char *cells[] = {id,
		                       str(o, "title"),
		                       str(o, "pledge"),
		                       str(o, "raised"),
		                       str(o, "start_date"),
		                       str(o, "due_date"),
		                       str(o, "status"),
		                       status_name(str(o, "status")),
		                       progress,
		                       str(area, "slug"),
		                       str(area, "name"),
		                       str(own, "slug"),
		                       str(own, "name"),
		                       str(co, "slug"),
		                       str(co, "name"),
		                       json_is_true(json_object_get(o, "overdue")) ? "true"
		                                                                   : "false",
		                       str(o, "created"),
		                       str(o, "updated"),
		                       req_printf(r, "/commitments/%s", id),
		                       ids.data ? ids.data : "",
		                       urls.data ? urls.data : ""};
		for (size_t c = 0; c < ncol; c++)
			csv_field(&b, cells[c],
			          c == 1 || c == 2 || c == 3 || c == 10 || c == 12 || c == 14,
			          c + 1 == ncol);
		buf_clear(&ids);
		buf_clear(&urls);
	}
	json_decref(list);
	resp_header(r, "Content-Disposition", "attachment; filename=\"commitments.csv\"");
	resp_body(r, 200, "text/csv; charset=utf-8; header=present", &b);
}

static void export_json(struct req *r)
{
	json_t *list;
	if (!filtered(r, &list))
		return;
	json_t *out = json_array();
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		json_int_t id = json_integer_value(json_object_get(o, "id"));
		json_t *related = json_array();
		size_t k;
		json_t *m;
		json_array_foreach(json_object_get(o, "meetings"), k, m)
		{
			json_int_t mid = json_integer_value(json_object_get(m, "id"));
			json_array_append_new(
			    related,
			    json_pack("{s:I, s:s, s:s}", "id", mid, "title", str(m, "title"), "url",
			              req_printf(r, "/meetings/%lld", (long long)mid)));
		}
		json_array_append_new(
		    out,
		    json_pack(
		        "{s:I, s:s, s:s, s:s, s:O, s:O, s:{s:s, s:s}, s:O, s:O, s:O, s:O, "
		        "s:O, s:s, s:s, s:s, s:o}",
		        "id", id, "title", str(o, "title"), "description", str(o, "pledge"),
		        "raised", str(o, "raised"), "start_date", json_object_get(o, "start_date"),
		        "end_date", json_object_get(o, "due_date"), "status", "key",
		        str(o, "status"), "name", status_name(str(o, "status")), "progress",
		        json_object_get(o, "progress"), "scope", json_object_get(o, "area"),
		        "owner", json_object_get(o, "owner"), "cochair",
		        json_object_get(o, "cochair"), "overdue", json_object_get(o, "overdue"),
		        "created_at", str(o, "created"), "updated_at", str(o, "updated"), "url",
		        req_printf(r, "/commitments/%lld", (long long)id), "related_meetings",
		        related));
	}
	json_decref(list);
	resp_header(r, "Content-Disposition", "inline; filename=\"commitments.json\"");
	resp_json(r, 200, json_pack("{s:o}", "commitments", out));
}

static const struct route routes[] = {
    {M_GET, "/commitments.csv", export_csv, 0},
    {M_GET, "/commitments.json", export_json, 0},
};

void api_export_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
