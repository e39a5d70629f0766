/* open311.c - Open311 GeoReport v2 under /open311/v2/ (see
 * ../shared/specs/open311.md):
 *   GET discovery.{xml,json}
 *   GET services.{fmt}, GET services/{code}.{fmt}   public categories only
 *   GET requests.{fmt}, POST requests.{fmt}         POST needs api_key
 *   GET requests/{id}.{fmt}, GET tokens/{token}.{fmt}
 * XML (mandatory, the default) and JSON (the "Spark" mapping of the XML);
 * errors as errors/error/{code,description} with 400, 403 or 404; paging
 * extension: page and page_size on GET requests. jurisdiction_id is
 * accepted and ignored (one jurisdiction).
 *
 * Reports filed here are ordinary reports (consent, receipt, routing to the
 * police force of the area): the area, the consent level, the time and,
 * for hate categories, the strands come as attributes. The answer carries
 * a token, which is the reporter's receipt; tokens/{token} gives the
 * request id. Public lists never show sensitive categories, statistics-only
 * reports, descriptions, exact places or anyone's identity. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/apikey.h"
#include "domain/category.h"
#include "domain/org.h"
#include "domain/report.h"

#define SPEC_URL  "http://wiki.open311.org/GeoReport_v2"
#define MAX_RANGE (90 * 86400)
#define MAX_IDS   50
#define PAGE_MAX  1000

enum fmt { FMT_XML, FMT_JSON };

/* --- output -------------------------------------------------------------- */

/* The element name of the items of an array called name (Spark mapping). */
static const char *item_name(const char *name)
{
	static const char *const map[][2] = {
	    {"services", "service"}, {"service_requests", "request"},
	    {"errors", "error"},     {"attributes", "attribute"},
	    {"values", "value"},     {"endpoints", "endpoint"},
	    {"formats", "format"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i][0], name))
			return map[i][1];
	return "item";
}

static void xml_value(struct buf *b, const char *name, json_t *v)
{
	if (json_is_null(v)) {
		buf_printf(b, "<%s/>", name);
		return;
	}
	buf_printf(b, "<%s>", name);
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x) xml_value(b, k, x);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) xml_value(b, item_name(name), x);
	} else if (json_is_string(v)) {
		buf_html_escape(b, json_string_value(v), json_string_length(v));
	} else if (json_is_integer(v)) {
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		buf_printf(b, "%.10g", json_real_value(v));
	} else {
		buf_puts(b, json_is_true(v) ? "true" : "false");
	}
	buf_printf(b, "</%s>", name);
}

/* Answers with body (stolen) as JSON, or as XML under the element root. */
static void reply(struct req *r, enum fmt fmt, int status, const char *root, json_t *body)
{
	struct buf b;
	buf_init(&b);
	if (fmt == FMT_JSON) {
		char *s =
		    json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
		buf_puts(&b, s);
		buf_putc(&b, '\n');
		free(s);
		json_decref(body);
		resp_body(r, status, "application/json; charset=utf-8", &b);
		return;
	}
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
	xml_value(&b, root, body);
	buf_putc(&b, '\n');
	json_decref(body);
	resp_body(r, status, "text/xml; charset=utf-8", &b);
}

static void o311_error(struct req *r, enum fmt fmt, int status, const char *fmtstr, ...)
    __attribute__((format(printf, 4, 5)));

/* The spec's error answer: [{"code", "description"}]. */
static void o311_error(struct req *r, enum fmt fmt, int status, const char *fmtstr, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmtstr);
	vsnprintf(msg, sizeof msg, fmtstr, ap);
	va_end(ap);
	reply(r, fmt, status, "errors",
	      json_pack("[{s:i, s:s}]", "code", status, "description", msg));
}

/* --- request helpers ------------------------------------------------------ */

static int fmt_parse(const char *s, enum fmt *fmt)
{
	if (s && !strcmp(s, "json"))
		*fmt = FMT_JSON;
	else if (s && !strcmp(s, "xml"))
		*fmt = FMT_XML;
	else
		return 0;
	return 1;
}

/* The {fmt} parameter; answers 400 (in XML) when it is neither. */
static int want_fmt(struct req *r, enum fmt *fmt)
{
	if (fmt_parse(req_param(r, "fmt"), fmt))
		return 1;
	o311_error(r, FMT_XML, 400, "the format must be xml or json");
	return 0;
}

/* Splits the {file} parameter "ID.FMT" into id (request-scoped) and fmt. */
static int want_file(struct req *r, const char **id, enum fmt *fmt)
{
	const char *file = req_param(r, "file");
	const char *dot = file ? strrchr(file, '.') : NULL;
	if (!dot || dot == file || !fmt_parse(dot + 1, fmt)) {
		o311_error(r, FMT_XML, 400, "the address must end in .xml or .json");
		return 0;
	}
	char *s = req_strdup(r, file);
	s[dot - file] = '\0';
	*id = s;
	return 1;
}

static const char *lang_of(struct req *r)
{
	const char *l = req_query(r, "lang");
	return l && (!strcmp(l, "fr") || !strcmp(l, "nl")) ? l : "en";
}

static const char *lang_text(const json_t *cat, const char *field, const char *lang)
{
	const json_t *t = json_object_get(cat, field);
	const char *s = json_string_value(json_object_get(t, lang));
	return s && *s ? s : json_string_value(json_object_get(t, "en"));
}

/* A public, active category by code; answers 404 when there is none. */
static json_t *public_category(struct req *r, struct store_conn *c, enum fmt fmt, const char *code)
{
	json_t *cat = NULL;
	enum err e = code && *code ? category_get(c, code, &cat) : ERR_NOTFOUND;
	if (!e && (!json_is_true(json_object_get(cat, "public")) ||
	           !json_is_true(json_object_get(cat, "active"))))
		e = ERR_NOTFOUND;
	if (e) {
		json_decref(cat);
		if (e == ERR_NOTFOUND)
			o311_error(r, fmt, 404, "service_code %.64s not found", code ? code : "");
		else
			o311_error(r, fmt, 500, "the database failed");
		return NULL;
	}
	return cat;
}

/* --- discovery and services ------------------------------------------------ */

static void discovery(struct req *r)
{
	enum fmt fmt;
	if (!want_fmt(r, &fmt))
		return;
	const char *host = req_header(r, "Host");
	int secure = req_app(r)->secure_cookies;
	char changeset[32];
	clock_format_rfc3339(clock_now() - clock_now() % 86400, changeset);
	json_t *d = json_pack(
	    "{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:[s, s]}]}", "changeset", changeset,
	    "contact", "Ask the community organisation or police force that runs this service.",
	    "key_service",
	    "API keys for POST requests are issued by the operator (consent apikey add).",
	    "endpoints", "specification", SPEC_URL, "url",
	    req_printf(r, "%s://%s/open311/v2", secure ? "https" : "http",
	               host ? host : "localhost"),
	    "changeset", changeset, "type", "production", "formats", "text/xml",
	    "application/json");
	reply(r, fmt, 200, "discovery", d);
}

static void services(struct req *r)
{
	enum fmt fmt;
	struct store_conn *c;
	if (!want_fmt(r, &fmt) || !(c = req_db(r)))
		return;
	json_t *cats = NULL;
	if (category_list(c, 1, 1, &cats)) {
		o311_error(r, fmt, 500, "the database failed");
		return;
	}
	const char *lang = lang_of(r);
	json_t *list = json_array();
	size_t i;
	json_t *cat;
	json_array_foreach(cats, i, cat)
	{
		json_array_append_new(list,
		                      json_pack("{s:O, s:s, s:s, s:b, s:s, s:s, s:s}",
		                                "service_code", json_object_get(cat, "code"),
		                                "service_name", lang_text(cat, "label", lang),
		                                "description", lang_text(cat, "description", lang),
		                                "metadata", 1, "type", "batch", "keywords",
		                                "report, consent", "group", "community safety"));
	}
	json_decref(cats);
	reply(r, fmt, 200, "services", list);
}

static json_t *attribute(int order, const char *code, const char *datatype, int required,
                         const char *datatype_description, const char *description)
{
	return json_pack("{s:b, s:s, s:s, s:b, s:s?, s:i, s:s}", "variable", 1, "code", code,
	                 "datatype", datatype, "required", required, "datatype_description",
	                 datatype_description, "order", order, "description", description);
}

static void service_definition(struct req *r)
{
	enum fmt fmt;
	const char *code;
	struct store_conn *c;
	if (!want_file(r, &code, &fmt) || !(c = req_db(r)))
		return;
	json_t *cat = public_category(r, c, fmt, code);
	if (!cat)
		return;
	const char *lang = lang_of(r);
	json_t *attrs = json_array();
	int order = 1;
	json_t *a = attribute(order++, "consent", "singlevaluelist", 1, "One of the keys below",
	                      "Who may see this report. You can change or withdraw this later "
	                      "with the token (the reporter's receipt).");
	json_object_set_new(
	    a, "values",
	    json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]", "key", "statistics", "name",
	              "Only count it in statistics: nobody reads it", "key", "anonymous", "name",
	              "The police may read it, but never learn who I am", "key", "identified",
	              "name", "The police may read it and contact me"));
	json_array_append_new(attrs, a);

	json_t *areas = NULL, *values = json_array();
	if (area_list(c, &areas) == ERR_OK) {
		size_t i;
		json_t *ar;
		json_array_foreach(areas, i, ar) json_array_append_new(
		    values, json_pack("{s:O, s:O}", "key", json_object_get(ar, "slug"), "name",
		                      json_object_get(ar, "name")));
	}
	json_decref(areas);
	a = attribute(order++, "area", "singlevaluelist", 1, "The key of an area",
	              "The area where it happened; it decides which police force receives it.");
	json_object_set_new(a, "values", values);
	json_array_append_new(attrs, a);
	json_array_append_new(attrs, attribute(order++, "occurred_at", "datetime", 0,
	                                       "W3C date and time with a time zone, e.g. "
	                                       "2025-03-01T18:30:00Z",
	                                       "When it happened (default: when it is reported)."));
	if (json_is_true(json_object_get(cat, "strands"))) {
		json_t *strands = NULL;
		values = json_array();
		if (category_strands(c, &strands) == ERR_OK) {
			size_t i;
			json_t *s;
			json_array_foreach(strands, i, s) json_array_append_new(
			    values, json_pack("{s:O, s:s}", "key", json_object_get(s, "code"),
			                      "name", category_label(s, lang)));
		}
		json_decref(strands);
		a = attribute(order++, "strands", "multivaluelist", 1, "Keys of strands",
		              "What the hostility was about (one or more).");
		json_object_set_new(a, "values", values);
		json_array_append_new(attrs, a);
	}
	a = attribute(order, "privacy", "text", 0, NULL,
	              "What is written and who wrote it are encrypted and never shown publicly; "
	              "public lists show only the category, the area and the status.");
	json_object_set_new(a, "variable", json_false());
	json_array_append_new(attrs, a);
	reply(r, fmt, 200, "service_definition",
	      json_pack("{s:O, s:o}", "service_code", json_object_get(cat, "code"), "attributes",
	                attrs));
	json_decref(cat);
}

/* --- requests ---------------------------------------------------------------- */

/* Splits a comma list into at most max non-empty request-scoped strings;
 * -1 if there are more. */
static int split_list(struct req *r, const char *s, const char **out, int max)
{
	int n = 0;
	char *copy = req_strdup(r, s);
	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ')
			t++;
		if (!*t)
			continue;
		if (n == max)
			return -1;
		out[n++] = t;
	}
	return n;
}

static int query_date(struct req *r, enum fmt fmt, const char *name, int64_t *t)
{
	const char *v = req_query(r, name);
	if (!v || !*v)
		return 1;
	if (clock_parse_rfc3339(v, t) == 0)
		return 2;
	o311_error(r, fmt, 400,
	           "%s must be a W3C date and time with a time zone, such as "
	           "2025-03-01T00:00:00Z",
	           name);
	return 0;
}

static int query_num(struct req *r, enum fmt fmt, const char *name, int lo, int hi, int *out)
{
	const char *v = req_query(r, name);
	if (!v || !*v)
		return 1;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < lo || n > hi) {
		o311_error(r, fmt, 400, "%s must be a whole number from %d to %d", name, lo, hi);
		return 0;
	}
	*out = (int)n;
	return 1;
}

static void requests_by_ids(struct req *r, struct store_conn *c, enum fmt fmt, const char *ids)
{
	const char *list[MAX_IDS];
	int n = split_list(r, ids, list, MAX_IDS);
	if (n < 0) {
		o311_error(r, fmt, 400, "service_request_id lists at most %d ids", MAX_IDS);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = NULL;
		enum err e = report_public_get(c, list[i], &o);
		if (!e)
			json_array_append_new(arr, o);
		else if (e != ERR_NOTFOUND) {
			json_decref(arr);
			o311_error(r, fmt, 500, "the database failed");
			return;
		}
	}
	reply(r, fmt, 200, "service_requests", arr);
}

static void requests_list(struct req *r)
{
	enum fmt fmt;
	struct store_conn *c;
	if (!want_fmt(r, &fmt) || !(c = req_db(r)))
		return;
	const char *ids = req_query(r, "service_request_id");
	if (ids && *ids) {
		requests_by_ids(r, c, fmt, ids);
		return;
	}
	struct report_public_filter f;
	memset(&f, 0, sizeof f);
	const char *codes[REPORT_PUBLIC_CODES];
	const char *sc = req_query(r, "service_code");
	if (sc && *sc) {
		int n = split_list(r, sc, codes, REPORT_PUBLIC_CODES);
		if (n < 0) {
			o311_error(r, fmt, 400, "service_code lists at most %d codes",
			           REPORT_PUBLIC_CODES);
			return;
		}
		for (int i = 0; i < n; i++) {
			json_t *cat = public_category(r, c, fmt, codes[i]);
			if (!cat)
				return;
			json_decref(cat);
		}
		f.codes = codes;
		f.ncodes = (size_t)n;
	}
	int64_t start = 0, end = 0;
	int hs = query_date(r, fmt, "start_date", &start);
	int he = hs ? query_date(r, fmt, "end_date", &end) : 0;
	if (!hs || !he)
		return;
	if (he == 1)
		end = hs == 2 ? start + MAX_RANGE : clock_now();
	if (hs == 1)
		start = end - MAX_RANGE;
	if (start > end) {
		o311_error(r, fmt, 400, "start_date must be before end_date");
		return;
	}
	if (end - start > MAX_RANGE) {
		o311_error(r, fmt, 400, "start_date and end_date may be at most 90 days apart");
		return;
	}
	f.start = start;
	f.end = end;
	f.open = f.closed = 1;
	const char *status = req_query(r, "status");
	if (status && *status) {
		const char *st[4];
		int n = split_list(r, status, st, 4);
		f.open = f.closed = 0;
		for (int i = 0; i < n; i++) {
			if (!strcmp(st[i], "open"))
				f.open = 1;
			else if (!strcmp(st[i], "closed"))
				f.closed = 1;
			else
				n = -1;
		}
		if (n <= 0) {
			o311_error(r, fmt, 400, "status must be open, closed or both");
			return;
		}
	}
	f.page = 1;
	f.page_size = PAGE_MAX;
	if (!query_num(r, fmt, "page", 1, 1000000, &f.page) ||
	    !query_num(r, fmt, "page_size", 1, PAGE_MAX, &f.page_size))
		return;
	json_t *arr = NULL;
	if (report_public_list(c, &f, &arr)) {
		o311_error(r, fmt, 500, "the database failed");
		return;
	}
	reply(r, fmt, 200, "service_requests", arr);
}

static void request_get(struct req *r)
{
	enum fmt fmt;
	const char *id;
	struct store_conn *c;
	if (!want_file(r, &id, &fmt) || !(c = req_db(r)))
		return;
	json_t *o = NULL;
	enum err e = report_public_get(c, id, &o);
	if (e == ERR_NOTFOUND)
		o311_error(r, fmt, 404, "service_request_id %.40s not found", id);
	else if (e)
		o311_error(r, fmt, 500, "the database failed");
	else
		reply(r, fmt, 200, "service_requests", json_pack("[o]", o));
}

static void token_get(struct req *r)
{
	enum fmt fmt;
	const char *token;
	struct store_conn *c;
	if (!want_file(r, &token, &fmt) || !(c = req_db(r)))
		return;
	char id[REPORT_ID_CHARS + 1];
	int64_t row;
	enum err e = report_receipt_find(c, token, id, &row);
	if (e == ERR_NOTFOUND)
		o311_error(r, fmt, 404, "token not found");
	else if (e)
		o311_error(r, fmt, 500, "the database failed");
	else
		reply(r, fmt, 200, "service_requests",
		      json_pack("[{s:s, s:s}]", "service_request_id", id, "token", token));
}

/* The Open311 parameter a field of report_create stands for. */
static const char *param_of(const char *field)
{
	static const char *const map[][2] = {
	    {"description", "description"},    {"occurred_at", "attribute[occurred_at]"},
	    {"area", "attribute[area]"},       {"consent", "attribute[consent]"},
	    {"strands", "attribute[strands]"}, {"location.lat", "lat"},
	    {"location.long", "long"},         {"location.address", "address_string"},
	    {"reporter.name", "first_name"},   {"reporter.email", "email"},
	    {"reporter.phone", "phone"},       {"reporter", "email"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i][0], field))
			return map[i][1];
	return field;
}

static int parse_coord(const char *s, double *out)
{
	char *end;
	if (!s || !*s)
		return 0;
	*out = strtod(s, &end);
	return *end == '\0';
}

/* Reads the attribute[...] fields into in; answers 400 on a bad one. */
static int post_attributes(struct req *r, enum fmt fmt, const json_t *cat, struct report_input *in,
                           const char **area, const char **consent, const char **occurred)
{
	const char *name, *value;
	int has_strands = json_is_true(json_object_get(cat, "strands"));
	for (int i = 0; req_form_at(r, i, &name, &value); i++) {
		if (strncmp(name, "attribute[", 10))
			continue;
		const char *code = name + 10;
		size_t n = strcspn(code, "]");
		int multi = !strcmp(code + n, "][]");
		if (code[n] != ']' || (code[n + 1] && !multi)) {
			o311_error(r, fmt, 400, "%.60s is not an attribute[code] field", name);
			return 0;
		}
		const char **dst = NULL;
		if (n == 4 && !strncmp(code, "area", 4))
			dst = area;
		else if (n == 7 && !strncmp(code, "consent", 7))
			dst = consent;
		else if (n == 11 && !strncmp(code, "occurred_at", 11))
			dst = occurred;
		if (dst && !multi) {
			*dst = value;
		} else if (has_strands && n == 7 && !strncmp(code, "strands", 7)) {
			json_array_append_new(in->strands, json_string(value));
		} else {
			o311_error(r, fmt, 400,
			           "attribute %.*s is not an attribute of this service",
			           (int)(n > 40 ? 40 : n), code);
			return 0;
		}
	}
	return 1;
}

static void request_post(struct req *r)
{
	enum fmt fmt;
	struct store_conn *c;
	if (!want_fmt(r, &fmt) || !(c = req_db(r)))
		return;
	const char *ct = req_header(r, "Content-Type");
	if (!ct || strncmp(ct, "application/x-www-form-urlencoded", 33)) {
		o311_error(r, fmt, 400, "the body must be application/x-www-form-urlencoded");
		return;
	}
	enum err e = apikey_check(c, req_form(r, "api_key"));
	if (e) {
		if (e == ERR_UNAUTH)
			o311_error(r, fmt, 403, "a valid api_key is required to create requests");
		else
			o311_error(r, fmt, 500, "the database failed");
		return;
	}
	const char *code = req_form(r, "service_code");
	if (!code || !*code) {
		o311_error(r, fmt, 400, "service_code is required");
		return;
	}
	json_t *cat = public_category(r, c, fmt, code);
	if (!cat)
		return;
	struct report_input in;
	memset(&in, 0, sizeof in);
	in.category = code;
	in.source = "open311";
	in.strands = json_array();
	const char *area = NULL, *consent = NULL, *occurred = NULL;
	int ok = post_attributes(r, fmt, cat, &in, &area, &consent, &occurred);
	json_decref(cat);
	const char *lat = req_form(r, "lat"), *lon = req_form(r, "long");
	const char *address = req_form(r, "address_string");
	const char *address_id = req_form(r, "address_id");
	if (ok && ((lat && *lat) || (lon && *lon))) {
		if (!parse_coord(lat, &in.lat) || !parse_coord(lon, &in.lon)) {
			o311_error(r, fmt, 400, "lat and long must both be numbers");
			ok = 0;
		}
		in.has_position = 1;
	}
	if (ok && address && *address)
		in.address = address;
	else if (ok && address_id && *address_id)
		in.address = req_printf(r, "address id %s", address_id);
	if (ok && !in.has_position && !in.address) {
		o311_error(r, fmt, 400,
		           "a location is required: lat and long, address_string or "
		           "address_id");
		ok = 0;
	}
	if (ok && (!area || !*area || !consent || !*consent)) {
		o311_error(r, fmt, 400, "%s is required",
		           !area || !*area ? "attribute[area]" : "attribute[consent]");
		ok = 0;
	}
	if (!ok) {
		json_decref(in.strands);
		return;
	}
	char now[32];
	clock_format_rfc3339(clock_now(), now);
	in.area = area;
	in.consent = consent;
	in.occurred_at = occurred && *occurred ? occurred : now;
	in.description = req_form(r, "description");
	const char *first = req_form(r, "first_name"), *last = req_form(r, "last_name");
	if ((first && *first) || (last && *last))
		in.name = req_printf(r, "%s%s%s", first ? first : "",
		                     first && *first && last && *last ? " " : "", last ? last : "");
	in.email = req_form(r, "email");
	in.phone = req_form(r, "phone");
	struct errinfo ei = {{0}, {0}};
	struct report_receipt rc;
	e = report_create(c, req_app(r)->data_kek, req_actor(r), &in, &rc, &ei);
	json_decref(in.strands);
	if (e == ERR_INVAL)
		o311_error(r, fmt, 400, "%s %s", param_of(ei.field), ei.msg);
	else if (e)
		o311_error(r, fmt, 500, "the request could not be stored");
	else
		reply(r, fmt, 200, "service_requests",
		      json_pack("[{s:s, s:s}]", "token", rc.token, "service_notice",
		                "The token is the reporter's receipt, shown only now: with it "
		                "they follow the report at /r/<token>, answer messages, change "
		                "their consent or erase the report."));
}

static void not_found(struct req *r)
{
	const char *rest = req_param(r, "rest");
	const char *dot = rest ? strrchr(rest, '.') : NULL;
	enum fmt fmt = FMT_XML;
	if (dot)
		fmt_parse(dot + 1, &fmt);
	o311_error(r, fmt, 404, "there is no Open311 resource at this address");
}

static const struct route routes[] = {
    {M_GET, "/open311/v2/discovery.{fmt}", discovery, ROUTE_NO_CSRF},
    {M_GET, "/open311/v2/services.{fmt}", services, ROUTE_NO_CSRF},
    {M_GET, "/open311/v2/services/{file}", service_definition, ROUTE_NO_CSRF},
    {M_GET, "/open311/v2/requests.{fmt}", requests_list, ROUTE_NO_CSRF},
    {M_POST, "/open311/v2/requests.{fmt}", request_post, ROUTE_NO_CSRF},
    {M_GET, "/open311/v2/requests/{file}", request_get, ROUTE_NO_CSRF},
    {M_GET, "/open311/v2/tokens/{file}", token_get, ROUTE_NO_CSRF},
    {M_GET, "/open311/v2/{rest*}", not_found, ROUTE_NO_CSRF},
    {M_POST, "/open311/v2/{rest*}", not_found, ROUTE_NO_CSRF},
};

void api_open311_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
