/* tmpl.h - a small Mustache-like template engine over jansson values.
 *
 * Syntax (a subset of Mustache, plus translations):
 *   {{name}} {{a.b.c}}   a value of the context, HTML-escaped (& < > " ')
 *   {{{name}}} {{&name}} the same, unescaped: only for trusted HTML we built
 *   {{.}}                the current context value (inside a section)
 *   {{#name}}..{{/name}} a section; {{^name}}..{{/name}} an inverted one
 *   {{>partial}}         another template of the set, with the same context
 *   {{! comment }}       nothing
 *   {{_ Some UI text}}   the translation of the msgid "Some UI text" in the
 *                        rendering language, HTML-escaped (English: the msgid).
 *                        Runs of white space in the msgid, line breaks
 *                        included, count as one space.
 *
 * Lookup follows Mustache: the first name of a.b.c is searched in the context
 * stack, innermost first; the rest is looked up from there only. A missing
 * value renders as nothing.
 *
 * Values print as: strings (escaped unless raw), integers in decimal, reals
 * with %g; true, false, null, objects and arrays print nothing.
 *
 * Sections: an array repeats the content for each element (pushed on the
 * context stack); an object renders it once, pushed; true, a non-empty string
 * or a non-zero number renders it once (the value pushed, so {{.}} prints it).
 * false, null, missing, an empty array, "" and 0 skip it. Inverted sections
 * render exactly when the section would not.
 *
 * Not supported: delimiter changes ({{=<% %>=}}), lambdas, and the removal of
 * "standalone" tag lines (white space around tags is kept as written).
 * Partials may not be recursive (tmpl_set_check rejects cycles).
 *
 * Templates are compiled once; rendering only reads the set, so one set may
 * be rendered from any number of threads at once (the json_t context must not
 * be modified meanwhile). */
#ifndef CONSENT_WEB_TMPL_H
#define CONSENT_WEB_TMPL_H

#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "web/i18n.h"

/* A set of compiled templates, found by name. Opaque. */
struct tmpl_set;

/* A new, empty set; free it with tmpl_set_free. */
struct tmpl_set *tmpl_set_new(void);

/* Frees the set and every template in it; NULL is allowed. */
void tmpl_set_free(struct tmpl_set *s);

/* Compiles text[0..len) (copied) and adds it to s under name (copied; e.g.
 * "home" or "partials/nav"). Partials are only resolved by tmpl_set_check, so
 * templates may be added in any order. Errors: ERR_INVAL for a parse error
 * (unclosed tag or section, mismatched or unexpected close tag, bad name, NUL
 * byte, sections nested deeper than 64), ERR_CONFLICT if name is taken; err
 * (may be NULL) then holds "name:line: what" and s is unchanged. */
enum err tmpl_set_add(struct tmpl_set *s, const char *name, const char *text, size_t len, char *err,
                      size_t errlen);

/* Checks that every {{>partial}} of s names a template of s and that no
 * partial includes itself, directly or not. Returns ERR_INVAL with
 * "name:line: unknown partial 'x'" (or "recursive partial") in err. */
enum err tmpl_set_check(const struct tmpl_set *s, char *err, size_t errlen);

/* Loads and compiles every embedded file (embed_files[]) whose name starts
 * with prefix (e.g. "templates/"), then runs tmpl_set_check. A template is
 * named by its path after prefix, without a ".html" suffix:
 * "templates/partials/nav.html" is "partials/nav", used as
 * {{>partials/nav}}. Returns a new set (free with tmpl_set_free), or NULL with
 * "templates/x.html:line: what" in err. */
struct tmpl_set *tmpl_set_load(const char *prefix, char *err, size_t errlen);

/* 1 if s has a template of that name (a ".html" suffix is ignored), else 0. */
int tmpl_set_has(const struct tmpl_set *s, const char *name);

/* Renders the template name (a ".html" suffix is ignored) of s with the
 * context ctx (borrowed, only read; NULL for none) and the catalogue lang
 * (NULL for English), appending to out. Reads s only: safe from many threads.
 * Errors: ERR_NOTFOUND if there is no such template (or partial, when
 * tmpl_set_check was not run), ERR_LIMIT if partials nest deeper than 16;
 * out is then left as it was. */
enum err tmpl_render(const struct tmpl_set *s, const char *name, const json_t *ctx,
                     const struct i18n_catalog *lang, struct buf *out);

/* Calls fn once for each {{_ msgid}} of every template of s, in template
 * order (duplicates included), with the normalised msgid, the template name
 * and the line; the strings are owned by s. For translation completeness
 * tests and catalogue extraction. */
void tmpl_set_foreach_msgid(const struct tmpl_set *s,
                            void (*fn)(const char *msgid, const char *tmpl_name, int line,
                                       void *arg),
                            void *arg);

#endif
