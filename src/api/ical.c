/* ical.c - iCalendar feeds of meetings (see ical.h; specs/ical.md). */
#include "api/ical.h"

#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/meeting.h"
#include "domain/org.h"
#include "domain/policy.h"

#define ICAL_LINE_OCTETS 75

void ical_escape_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '\\': buf_puts(b, "\\\\"); break;
		case ';': buf_puts(b, "\\;"); break;
		case ',': buf_puts(b, "\\,"); break;
		case '\r':
			if (s[1] == '\n')
				s++;
			buf_puts(b, "\\n");
			break;
		case '\n': buf_puts(b, "\\n"); break;
		default:
			if (c >= 0x20 && c != 0x7f)
				buf_putc(b, (char)c);
			else if (c == '\t')
				buf_putc(b, ' ');
		}
	}
}

void ical_fold(struct buf *out, const char *line, size_t n)
{
	size_t pos = 0, limit = ICAL_LINE_OCTETS;
	while (n - pos > limit) {
		size_t end = pos + limit;
		/* Back off to the start of a UTF-8 sequence. */
		while (end > pos + 1 && ((unsigned char)line[end] & 0xC0) == 0x80)
			end--;
		buf_append(out, line + pos, end - pos);
		buf_puts(out, "\r\n ");
		pos = end;
		limit = ICAL_LINE_OCTETS - 1; /* the leading space counts */
	}
	buf_append(out, line + pos, n - pos);
	buf_puts(out, "\r\n");
}

/* One property with a raw (already formatted) value. */
static void prop_raw(struct buf *out, const char *name, const char *value)
{
	struct buf l;
	buf_init(&l);
	buf_puts(&l, name);
	buf_putc(&l, ':');
	buf_puts(&l, value);
	ical_fold(out, l.data, l.len);
	buf_clear(&l);
}

static void prop_text(struct buf *out, const char *name, const char *value)
{
	struct buf l;
	buf_init(&l);
	buf_puts(&l, name);
	buf_putc(&l, ':');
	ical_escape_text(&l, value);
	ical_fold(out, l.data, l.len);
	buf_clear(&l);
}

/* "2026-12-01T18:30:00Z" -> "20261201T183000Z". */
static void prop_utc(struct buf *out, const char *name, const char *rfc3339)
{
	char v[20];
	size_t k = 0;
	for (const char *p = rfc3339; p && *p && k < sizeof v - 1; p++)
		if (*p != '-' && *p != ':')
			v[k++] = *p;
	v[k] = '\0';
	prop_raw(out, name, v);
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void event(struct buf *out, json_t *m)
{
	buf_puts(out, "BEGIN:VEVENT\r\n");
	prop_raw(out, "UID", str(m, "uid"));
	prop_utc(out, "DTSTAMP", str(m, "updated"));
	prop_utc(out, "CREATED", str(m, "created"));
	prop_utc(out, "LAST-MODIFIED", str(m, "updated"));
	prop_utc(out, "DTSTART", str(m, "start"));
	prop_utc(out, "DTEND", str(m, "end"));
	char seq[24];
	snprintf(seq, sizeof seq, "%lld",
	         (long long)json_integer_value(json_object_get(m, "sequence")));
	prop_raw(out, "SEQUENCE", seq);
	int cancelled = strcmp(str(m, "status"), "cancelled") == 0;
	prop_raw(out, "STATUS", cancelled ? "CANCELLED" : "CONFIRMED");
	prop_raw(out, "CLASS", json_is_true(json_object_get(m, "public")) ? "PUBLIC" : "PRIVATE");
	prop_text(out, "SUMMARY", str(m, "title"));
	const char *place = str(m, "place"), *online = str(m, "online_url");
	prop_text(out, "LOCATION", *place ? place : online);
	struct buf d;
	buf_init(&d);
	if (cancelled)
		buf_printf(&d, "Cancelled: %s\n\n", str(m, "cancel_reason"));
	buf_puts(&d, str(m, "agenda"));
	if (d.len && d.data[d.len - 1] != '\n')
		buf_putc(&d, '\n');
	buf_puts(&d, "\nOrganised by: ");
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(m, "organisers"), i, o)
	{
		if (i)
			buf_puts(&d, ", ");
		buf_puts(&d, str(o, "name"));
	}
	buf_printf(&d, "\nArea: %s", str(json_object_get(m, "area"), "name"));
	if (*online)
		buf_printf(&d, "\nOnline: %s", online);
	prop_text(out, "DESCRIPTION", d.data);
	buf_clear(&d);
	buf_puts(out, "END:VEVENT\r\n");
}

void ical_calendar(struct buf *out, const char *name, json_t *meetings)
{
	buf_puts(out, "BEGIN:VCALENDAR\r\n");
	prop_raw(out, "VERSION", "2.0");
	prop_raw(out, "PRODID", "-//consent//meetings 1.0//EN");
	prop_raw(out, "CALSCALE", "GREGORIAN");
	prop_text(out, "X-WR-CALNAME", name);
	size_t i;
	json_t *m;
	json_array_foreach(meetings, i, m) event(out, m);
	buf_puts(out, "END:VCALENDAR\r\n");
}

static void send_feed(struct req *r, const char *name, const char *file, json_t *list,
                      int is_public)
{
	struct buf b;
	buf_init(&b);
	ical_calendar(&b, name, list);
	json_decref(list);
	resp_header(r, "Content-Disposition", req_printf(r, "inline; filename=\"%s\"", file));
	resp_header(r, "Cache-Control", is_public ? "public, max-age=300" : "private, no-store");
	resp_body(r, 200, "text/calendar; charset=utf-8", &b);
}

static void feed(struct req *r, const char *area, const char *org, const char *name,
                 const char *file)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_MEETING_LIST, 0))
		return;
	struct meeting_filter f = {area, org, MEETING_ALL, 1, 2000};
	json_t *list;
	struct errinfo ei = {{0}, {0}};
	enum err e = meeting_list(c, req_actor(r), &f, &list, &ei);
	if (e == ERR_INVAL) {
		resp_error(r, 404, "not_found", ei.field, "%s", ei.msg);
		return;
	}
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	send_feed(r, name, file, list, 1);
}

static void calendar_all(struct req *r)
{
	feed(r, NULL, NULL, "consent: public meetings", "meetings.ics");
}

static void calendar_area(struct req *r)
{
	const char *slug = req_param(r, "slug");
	feed(r, slug, NULL, req_printf(r, "consent: meetings in %s", slug),
	     req_printf(r, "%s.ics", slug));
}

static void calendar_org(struct req *r)
{
	const char *slug = req_param(r, "slug");
	feed(r, NULL, slug, req_printf(r, "consent: meetings of %s", slug),
	     req_printf(r, "%s.ics", slug));
}

static void calendar_meeting(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	const char *s = req_param(r, "id");
	char *end;
	long long id = s ? strtoll(s, &end, 10) : 0;
	json_t *m = NULL;
	if (!s || *end || id <= 0 || meeting_get(c, req_actor(r), id, &m) != ERR_OK) {
		resp_error(r, 404, "not_found", "id", "no meeting has this id");
		return;
	}
	json_t *list = json_array();
	const char *title = json_string_value(json_object_get(m, "title"));
	char *name = req_strdup(r, title ? title : "meeting");
	int is_public = json_is_true(json_object_get(m, "public"));
	json_array_append_new(list, m);
	send_feed(r, name, req_printf(r, "meeting-%lld.ics", id), list, is_public);
}

static const struct route routes[] = {
    {M_GET, "/calendar.ics", calendar_all, 0},
    {M_GET, "/areas/{slug}/calendar.ics", calendar_area, 0},
    {M_GET, "/orgs/{slug}/calendar.ics", calendar_org, 0},
    {M_GET, "/meetings/{id}.ics", calendar_meeting, 0},
};

void api_ical_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
