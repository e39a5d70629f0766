/* tmpl.c - a small Mustache-like template engine over jansson values.
 *
 * A template is parsed once into a tree of nodes (text runs point into the
 * template's own copy of its source); rendering walks the tree with the
 * context stack as a chain of frames on the C stack, and never writes to the
 * tree. */
#include "web/tmpl.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "base/xalloc.h"

#define MAX_NEST          64 /* section nesting within one template */
#define MAX_PARTIAL_DEPTH 16 /* partials within partials, at render time */

enum node_kind {
	NODE_TEXT,
	NODE_VAR,      /* {{name}} */
	NODE_RAW,      /* {{{name}}}, {{&name}} */
	NODE_SECTION,  /* {{#name}} */
	NODE_INVERTED, /* {{^name}} */
	NODE_PARTIAL,  /* {{>name}} */
	NODE_TRANS,    /* {{_ msgid}} */
};

struct node;

struct nodes {
	struct node *v;
	size_t n;
	size_t cap;
};

struct node {
	enum node_kind kind;
	int line;
	const char *text;  /* NODE_TEXT: the bytes, inside tmpl.src */
	size_t len;        /* NODE_TEXT: their number */
	char *name;        /* the name as written; NODE_TRANS: the normalised msgid */
	char **seg;        /* the name split at dots; NULL for "." and non-values */
	size_t nseg;       /* number of seg; 0 for "." */
	struct nodes body; /* sections: the content */
};

struct tmpl {
	char *name;
	char *src; /* own copy of the source, NUL-terminated */
	size_t len;
	struct nodes root;
};

struct tmpl_set {
	struct tmpl **v;
	size_t n;
	size_t cap;
};

/* ---- freeing ---- */

static void nodes_free(struct nodes *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		struct node *n = &ns->v[i];
		free(n->name);
		for (size_t j = 0; j < n->nseg; j++)
			free(n->seg[j]);
		free(n->seg);
		nodes_free(&n->body);
	}
	free(ns->v);
	ns->v = NULL;
	ns->n = ns->cap = 0;
}

static void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	nodes_free(&t->root);
	free(t->name);
	free(t->src);
	free(t);
}

/* ---- parsing ---- */

struct parser {
	const char *tname;
	const char *s;
	size_t len;
	size_t pos;
	int line; /* of s[pos] */
	char *err;
	size_t errlen;
};

static enum err perr(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum err perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vformat_at(p->err, p->errlen, p->tname, line, fmt, ap);
	va_end(ap);
	return ERR_INVAL;
}

static size_t find(const char *s, size_t len, size_t from, const char *pat, size_t patlen)
{
	for (size_t i = from; i + patlen <= len; i++)
		if (memcmp(s + i, pat, patlen) == 0)
			return i;
	return SIZE_MAX;
}

static int count_nl(const char *s, size_t n)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

static int space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && space((*s)[*n - 1]))
		(*n)--;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* Prints at most 40 bytes of a bad name in an error message. */
#define SHOW(n) (int)((n) > 40 ? 40 : (n))

static struct node *push(struct nodes *ns, enum node_kind kind, int line)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? 2 * ns->cap : 8;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof ns->v[0]);
	}
	struct node *n = &ns->v[ns->n++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->line = line;
	return n;
}

/* Sets n->name and n->seg from the value name s[0..len): "." or dotted
 * segments of [A-Za-z0-9_-]. */
static enum err parse_name(struct parser *p, int line, const char *s, size_t len, struct node *n)
{
	trim(&s, &len);
	if (len == 0)
		return perr(p, line, "empty tag name");
	if (len == 1 && s[0] == '.') {
		n->name = xstrdup(".");
		return ERR_OK;
	}
	size_t nseg = 1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (i == 0 || i + 1 == len || s[i + 1] == '.')
				return perr(p, line, "invalid name '%.*s'", SHOW(len), s);
			nseg++;
		} else if (!name_char(s[i])) {
			return perr(p, line, "invalid name '%.*s'", SHOW(len), s);
		}
	}
	n->name = xstrndup(s, len);
	n->seg = xcalloc(nseg, sizeof n->seg[0]);
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			n->seg[n->nseg++] = xstrndup(s + start, i - start);
			start = i + 1;
		}
	}
	return ERR_OK;
}

/* Sets n->name from the partial name s[0..len): [A-Za-z0-9_./-], no "..". */
static enum err parse_partial(struct parser *p, int line, const char *s, size_t len, struct node *n)
{
	trim(&s, &len);
	if (len == 0)
		return perr(p, line, "empty partial name");
	for (size_t i = 0; i < len; i++) {
		if (!name_char(s[i]) && s[i] != '/' && s[i] != '.')
			return perr(p, line, "invalid partial name '%.*s'", SHOW(len), s);
		if (s[i] == '.' && i + 1 < len && s[i + 1] == '.')
			return perr(p, line, "invalid partial name '%.*s'", SHOW(len), s);
	}
	n->name = xstrndup(s, len);
	return ERR_OK;
}

/* Sets n->name to the msgid s[0..len) trimmed, white-space runs made one
 * space. */
static enum err parse_msgid(struct parser *p, int line, const char *s, size_t len, struct node *n)
{
	trim(&s, &len);
	if (len == 0)
		return perr(p, line, "empty translation text");
	char *m = xmalloc(len + 1);
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		if (space(s[i])) {
			if (k > 0 && m[k - 1] == ' ')
				continue;
			m[k++] = ' ';
		} else {
			m[k++] = s[i];
		}
	}
	m[k] = '\0';
	n->name = m;
	return ERR_OK;
}

/* Parses nodes onto out until the end of the text (open == NULL) or the
 * {{/name}} closing the section open. */
static enum err parse_block(struct parser *p, struct nodes *out, const struct node *open, int depth)
{
	for (;;) {
		size_t at = find(p->s, p->len, p->pos, "{{", 2);
		size_t text_end = at == SIZE_MAX ? p->len : at;
		if (text_end > p->pos) {
			struct node *t = push(out, NODE_TEXT, p->line);
			t->text = p->s + p->pos;
			t->len = text_end - p->pos;
			p->line += count_nl(t->text, t->len);
			p->pos = text_end;
		}
		if (at == SIZE_MAX) {
			if (open)
				return perr(p, open->line, "unclosed section '%s'", open->name);
			return ERR_OK;
		}

		int line = p->line;
		int triple = at + 2 < p->len && p->s[at + 2] == '{';
		size_t cstart = at + (triple ? 3 : 2);
		size_t close = find(p->s, p->len, cstart, triple ? "}}}" : "}}", triple ? 3 : 2);
		if (close == SIZE_MAX)
			return perr(p, line, "unclosed tag");
		const char *c = p->s + cstart;
		size_t cn = close - cstart;
		p->line += count_nl(c, cn);
		p->pos = close + (triple ? 3 : 2);

		enum err e = ERR_OK;
		if (triple) {
			e = parse_name(p, line, c, cn, push(out, NODE_RAW, line));
			if (e != ERR_OK)
				return e;
			continue;
		}
		if (cn == 0)
			return perr(p, line, "empty tag");
		switch (c[0]) {
		case '!': break;
		case '&': e = parse_name(p, line, c + 1, cn - 1, push(out, NODE_RAW, line)); break;
		case '>':
			e = parse_partial(p, line, c + 1, cn - 1, push(out, NODE_PARTIAL, line));
			break;
		case '#':
		case '^': {
			struct node *s =
			    push(out, c[0] == '#' ? NODE_SECTION : NODE_INVERTED, line);
			if ((e = parse_name(p, line, c + 1, cn - 1, s)) != ERR_OK)
				break;
			if (depth + 1 > MAX_NEST) {
				e = perr(p, line, "sections nested too deeply");
				break;
			}
			e = parse_block(p, &s->body, s, depth + 1);
			break;
		}
		case '/': {
			const char *nm = c + 1;
			size_t nn = cn - 1;
			trim(&nm, &nn);
			if (!open)
				return perr(p, line, "unexpected close tag '%.*s'", SHOW(nn), nm);
			if (strlen(open->name) != nn || memcmp(open->name, nm, nn) != 0)
				return perr(p, line,
				            "mismatched close tag '%.*s': expected '%s' (opened at "
				            "line %d)",
				            SHOW(nn), nm, open->name, open->line);
			return ERR_OK;
		}
		case '_':
			if (cn > 1 && space(c[1])) {
				e = parse_msgid(p, line, c + 1, cn - 1,
				                push(out, NODE_TRANS, line));
				break;
			}
			/* A name beginning with '_'. */
			/* fall through */
		default: e = parse_name(p, line, c, cn, push(out, NODE_VAR, line)); break;
		}
		if (e != ERR_OK)
			return e;
	}
}

/* ---- the set ---- */

struct tmpl_set *tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

void tmpl_set_free(struct tmpl_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		tmpl_free(s->v[i]);
	free(s->v);
	free(s);
}

static const struct tmpl *find_n(const struct tmpl_set *s, const char *name, size_t n)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i]->name) == n && memcmp(s->v[i]->name, name, n) == 0)
			return s->v[i];
	return NULL;
}

/* The template name, or name without a ".html" suffix. */
static const struct tmpl *find_tmpl(const struct tmpl_set *s, const char *name)
{
	size_t n = strlen(name);
	const struct tmpl *t = find_n(s, name, n);
	if (!t && n > 5 && strcmp(name + n - 5, ".html") == 0)
		t = find_n(s, name, n - 5);
	return t;
}

int tmpl_set_has(const struct tmpl_set *s, const char *name)
{
	return s && name && find_tmpl(s, name) != NULL;
}

enum err tmpl_set_add(struct tmpl_set *s, const char *name, const char *text, size_t len, char *err,
                      size_t errlen)
{
	enum err e = ERR_OK;
	struct tmpl *t = NULL;
	struct parser p = {.tname = name, .err = err, .errlen = errlen, .line = 1};
	if (err && errlen)
		err[0] = '\0';
	if (!name || !name[0] || (!text && len)) {
		p.tname = "(template)";
		e = perr(&p, 0, "no name or text");
		goto out;
	}
	if (find_n(s, name, strlen(name))) {
		perr(&p, 0, "duplicate template name");
		e = ERR_CONFLICT;
		goto out;
	}
	const char *nul = len ? memchr(text, '\0', len) : NULL;
	if (nul) {
		e = perr(&p, 1 + count_nl(text, (size_t)(nul - text)), "NUL byte");
		goto out;
	}
	t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->src = xmalloc(len + 1);
	if (len)
		memcpy(t->src, text, len);
	t->src[len] = '\0';
	t->len = len;
	p.s = t->src;
	p.len = len;
	if ((e = parse_block(&p, &t->root, NULL, 0)) != ERR_OK)
		goto out;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof s->v[0]);
	}
	s->v[s->n++] = t;
	t = NULL;
out:
	tmpl_free(t);
	return e;
}

/* Depth-first search of the partial graph; state[i]: 0 new, 1 on the path,
 * 2 done. */
static enum err check_nodes(const struct tmpl_set *s, const struct tmpl *t, const struct nodes *ns,
                            unsigned char *state, char *err, size_t errlen);

static enum err check_tmpl(const struct tmpl_set *s, size_t i, unsigned char *state, char *err,
                           size_t errlen)
{
	if (state[i] == 2)
		return ERR_OK;
	state[i] = 1;
	enum err e = check_nodes(s, s->v[i], &s->v[i]->root, state, err, errlen);
	state[i] = 2;
	return e;
}

static enum err check_nodes(const struct tmpl_set *s, const struct tmpl *t, const struct nodes *ns,
                            unsigned char *state, char *err, size_t errlen)
{
	struct parser p = {.tname = t->name, .err = err, .errlen = errlen};
	for (size_t k = 0; k < ns->n; k++) {
		const struct node *n = &ns->v[k];
		enum err e = ERR_OK;
		if (n->kind == NODE_SECTION || n->kind == NODE_INVERTED)
			e = check_nodes(s, t, &n->body, state, err, errlen);
		if (n->kind == NODE_PARTIAL) {
			size_t i = 0;
			while (i < s->n && strcmp(s->v[i]->name, n->name) != 0)
				i++;
			if (i == s->n)
				return perr(&p, n->line, "unknown partial '%s'", n->name);
			if (state[i] == 1)
				return perr(&p, n->line, "recursive partial '%s'", n->name);
			e = check_tmpl(s, i, state, err, errlen);
		}
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err tmpl_set_check(const struct tmpl_set *s, char *err, size_t errlen)
{
	enum err e = ERR_OK;
	unsigned char *state = xcalloc(s->n ? s->n : 1, 1);
	if (err && errlen)
		err[0] = '\0';
	for (size_t i = 0; i < s->n; i++)
		if ((e = check_tmpl(s, i, state, err, errlen)) != ERR_OK)
			goto out;
out:
	free(state);
	return e;
}

struct tmpl_set *tmpl_set_load(const char *prefix, char *err, size_t errlen)
{
	struct tmpl_set *s = tmpl_set_new();
	size_t plen = strlen(prefix);
	char *name = NULL;
	for (const struct embed_file *f = embed_files; f->name; f++) {
		if (strncmp(f->name, prefix, plen) != 0 || !f->name[plen])
			continue;
		size_t n = strlen(f->name + plen);
		if (n > 5 && strcmp(f->name + plen + n - 5, ".html") == 0)
			n -= 5;
		name = xstrndup(f->name + plen, n);
		enum err e = tmpl_set_add(s, name, f->data, f->len, err, errlen);
		if (e != ERR_OK) {
			/* Report the file path rather than the template name. */
			if (err && errlen) {
				const char *rest = strchr(err, ':');
				char *msg = xasprintf("%s%s", f->name, rest ? rest : ": error");
				snprintf(err, errlen, "%s", msg);
				free(msg);
			}
			goto fail;
		}
		free(name);
		name = NULL;
	}
	if (tmpl_set_check(s, err, errlen) != ERR_OK)
		goto fail;
	return s;
fail:
	free(name);
	tmpl_set_free(s);
	return NULL;
}

static void msgids_nodes(const struct tmpl *t, const struct nodes *ns,
                         void (*fn)(const char *, const char *, int, void *), void *arg)
{
	for (size_t i = 0; i < ns->n; i++) {
		const struct node *n = &ns->v[i];
		if (n->kind == NODE_TRANS)
			fn(n->name, t->name, n->line, arg);
		else if (n->kind == NODE_SECTION || n->kind == NODE_INVERTED)
			msgids_nodes(t, &n->body, fn, arg);
	}
}

void tmpl_set_foreach_msgid(const struct tmpl_set *s,
                            void (*fn)(const char *msgid, const char *tmpl_name, int line,
                                       void *arg),
                            void *arg)
{
	for (size_t i = 0; i < s->n; i++)
		msgids_nodes(s->v[i], &s->v[i]->root, fn, arg);
}

/* ---- rendering ---- */

/* One level of the context stack. */
struct frame {
	const json_t *v;
	const struct frame *up;
};

struct render {
	const struct tmpl_set *set;
	const struct i18n_catalog *lang;
	struct buf *out;
	int depth; /* of partials */
};

static const json_t *lookup(const struct frame *f, const struct node *n)
{
	if (n->nseg == 0)
		return f ? f->v : NULL;
	for (; f; f = f->up) {
		if (!json_is_object(f->v))
			continue;
		const json_t *v = json_object_get(f->v, n->seg[0]);
		if (!v)
			continue;
		for (size_t i = 1; i < n->nseg; i++) {
			if (!json_is_object(v))
				return NULL;
			v = json_object_get(v, n->seg[i]);
			if (!v)
				return NULL;
		}
		return v;
	}
	return NULL;
}

static int truthy(const json_t *v)
{
	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_OBJECT: return 1;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_TRUE: return 1;
	case JSON_FALSE:
	case JSON_NULL: return 0;
	}
	return 0;
}

static void put_value(struct buf *b, const json_t *v, int raw)
{
	if (json_is_string(v)) {
		if (raw)
			buf_append(b, json_string_value(v), json_string_length(v));
		else
			buf_html_escape(b, json_string_value(v), json_string_length(v));
	} else if (json_is_integer(v)) {
		buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_real(v)) {
		buf_printf(b, "%g", json_real_value(v));
	}
}

static enum err render_nodes(struct render *r, const struct nodes *ns, const struct frame *f)
{
	for (size_t i = 0; i < ns->n; i++) {
		const struct node *n = &ns->v[i];
		enum err e = ERR_OK;
		switch (n->kind) {
		case NODE_TEXT: buf_append(r->out, n->text, n->len); break;
		case NODE_VAR:
		case NODE_RAW: put_value(r->out, lookup(f, n), n->kind == NODE_RAW); break;
		case NODE_TRANS: {
			const char *t = i18n_t(r->lang, n->name);
			buf_html_escape(r->out, t, strlen(t));
			break;
		}
		case NODE_SECTION: {
			const json_t *v = lookup(f, n);
			if (json_is_array(v)) {
				for (size_t k = 0; k < json_array_size(v) && e == ERR_OK; k++) {
					struct frame g = {json_array_get(v, k), f};
					e = render_nodes(r, &n->body, &g);
				}
			} else if (truthy(v)) {
				struct frame g = {v, f};
				e = render_nodes(r, &n->body, &g);
			}
			break;
		}
		case NODE_INVERTED:
			if (!truthy(lookup(f, n)))
				e = render_nodes(r, &n->body, f);
			break;
		case NODE_PARTIAL: {
			const struct tmpl *t = find_n(r->set, n->name, strlen(n->name));
			if (!t)
				return ERR_NOTFOUND;
			if (r->depth >= MAX_PARTIAL_DEPTH)
				return ERR_LIMIT;
			r->depth++;
			e = render_nodes(r, &t->root, f);
			r->depth--;
			break;
		}
		}
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err tmpl_render(const struct tmpl_set *s, const char *name, const json_t *ctx,
                     const struct i18n_catalog *lang, struct buf *out)
{
	const struct tmpl *t = s && name ? find_tmpl(s, name) : NULL;
	if (!t)
		return ERR_NOTFOUND;
	struct render r = {.set = s, .lang = lang, .out = out};
	struct frame top = {ctx, NULL};
	size_t mark = out->len;
	enum err e = render_nodes(&r, &t->root, ctx ? &top : NULL);
	if (e != ERR_OK && out->data) {
		out->len = mark;
		out->data[mark] = '\0';
	}
	return e;
}
