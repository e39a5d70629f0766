/* web.c - the page frame: layout context, language links, error pages,
 * static files. */
#include "web/web.h"

#include <stdio.h>
#include <string.h>

#include "base/embed.h"
#include "base/xalloc.h"
#include "domain/account.h"
#include "domain/policy.h"
#include "web/i18n.h"
#include "web/tmpl.h"

static const struct tmpl_set *templates;

const char *web_t(struct req *r, const char *msgid)
{
	return i18n_t(i18n_get(req_lang(r)), msgid);
}

/* The current path, safe to put in a link: always a local path. */
static const char *self_path(struct req *r)
{
	const char *p = req_path(r);
	if (p[0] != '/' || p[1] == '/' || strchr(p, '\\'))
		return "/";
	return p;
}

static json_t *lang_links(struct req *r)
{
	static const struct {
		const char *code, *name;
	} langs[] = {{"en", "English"}, {"fr", "Français"}, {"nl", "Nederlands"}};
	const char *cur = req_lang(r);
	json_t *arr = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b, s:s}", "code", langs[i].code,
						     "name", langs[i].name, "current",
						     strcmp(cur, langs[i].code) == 0, "href",
						     req_printf(r, "%s?lang=%s", self_path(r),
								langs[i].code)));
	return arr;
}

void web_page(struct req *r, int status, const char *name, const char *title, json_t *ctx)
{
	const char *lang = req_lang(r);
	const struct i18n_catalog *cat = i18n_get(lang);
	const struct actor *a = req_actor(r);
	if (!ctx)
		ctx = json_object();
	json_object_set_new(ctx, "csrf", json_string(req_csrf_token(r)));
	json_object_set_new(ctx, "lang", json_string(lang));
	if (a->user_id)
		json_object_set_new(ctx, "me", account_actor_json(a));
	json_object_set_new(ctx, "handles_reports",
			    json_boolean(policy_allows(a, ACT_REPORT_TRIAGE, 0)));
	struct buf body;
	buf_init(&body);
	if (tmpl_render(templates, name, ctx, cat, &body) != ERR_OK) {
		buf_clear(&body);
		json_decref(ctx);
		resp_bytes(r, 500, "text/plain; charset=utf-8", "template error\n", 15);
		return;
	}
	json_object_set_new(ctx, "content", json_string(body.data));
	buf_clear(&body);
	json_object_set_new(ctx, "title", json_string(i18n_t(cat, title)));
	json_object_set_new(ctx, "langs", lang_links(r));
	json_object_set_new(ctx, "self", json_string(self_path(r)));
	struct buf page;
	buf_init(&page);
	enum err e = tmpl_render(templates, "layout", ctx, cat, &page);
	json_decref(ctx);
	if (e) {
		buf_clear(&page);
		resp_bytes(r, 500, "text/plain; charset=utf-8", "template error\n", 15);
		return;
	}
	resp_header(r, "Content-Language", lang);
	resp_header(r, "Vary", "Cookie, Accept-Language");
	resp_body(r, status, "text/html; charset=utf-8", &page);
}

static void html_error(struct req *r, int status, const char *code, const char *msg)
{
	const char *title = status == 404   ? "Page not found"
			    : status == 403 ? "Not allowed"
			    : status == 401 ? "Please sign in"
			    : status == 429 ? "Too many attempts"
			    : status >= 500 ? "Something went wrong"
					    : "This request could not be handled";
	json_t *ctx = json_pack("{s:i, s:s, s:s, s:s}", "status", status, "code", code, "message",
				msg, "heading", web_t(r, title));
	web_page(r, status, "error", title, ctx);
}

static void static_file(struct req *r)
{
	const char *name = req_param(r, "file");
	if (!name || strstr(name, "..")) {
		resp_error(r, 404, "not_found", NULL, "no such file");
		return;
	}
	char path[256];
	snprintf(path, sizeof path, "static/%s", name);
	const struct embed_file *f = embed_get(path);
	if (!f) {
		resp_error(r, 404, "not_found", NULL, "no such file");
		return;
	}
	const char *ct = "application/octet-stream";
	size_t n = strlen(name);
	if (n > 4 && !strcmp(name + n - 4, ".css"))
		ct = "text/css; charset=utf-8";
	else if (n > 3 && !strcmp(name + n - 3, ".js"))
		ct = "text/javascript; charset=utf-8";
	else if (n > 4 && !strcmp(name + n - 4, ".svg"))
		ct = "image/svg+xml";
	resp_header(r, "Cache-Control", "public, max-age=3600");
	resp_bytes(r, 200, ct, f->data, f->len);
}

static const struct route static_routes[] = {
	{M_GET, "/static/{file}", static_file, 0},
};

int web_setup(struct app *app)
{
	char err[512];
	if (i18n_load(err, sizeof err) != ERR_OK) {
		fprintf(stderr, "consent: translations: %s\n", err);
		return -1;
	}
	struct tmpl_set *set = tmpl_set_load("templates/", err, sizeof err);
	if (!set) {
		fprintf(stderr, "consent: templates: %s\n", err);
		return -1;
	}
	templates = set;
	app->tmpl = set;
	app->html_error = html_error;
	app->negotiate_lang = i18n_negotiate;
	http_routes(static_routes, 1);
	web_page_routes();
	web_trust_routes();
	web_meeting_routes();
	web_commitment_routes();
	web_report_routes();
	return 0;
}
