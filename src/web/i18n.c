/* i18n.c - .po catalogues and Accept-Language negotiation. */
#include "web/i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/embed.h"
#include "base/xalloc.h"

struct i18n_entry {
	char *id;
	char *str;
	int line; /* of the msgid, for duplicate reports while parsing */
};

struct i18n_catalog {
	char lang[8];
	int identity;         /* English: every msgid translates to itself */
	struct i18n_entry *v; /* sorted by id */
	size_t n;
	size_t cap;
};

/* The supported languages, in the order ties are broken. */
static const char *const langs[] = {"en", "fr", "nl"};
#define NLANGS (sizeof langs / sizeof langs[0])

static struct i18n_catalog catalogs[NLANGS] = {
    {"en", 1, NULL, 0, 0},
    {"fr", 0, NULL, 0, 0},
    {"nl", 0, NULL, 0, 0},
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* 1 if s[0..n) equals the lower-case lang, ignoring ASCII case. */
static int lang_eq(const char *s, size_t n, const char *lang)
{
	if (strlen(lang) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != lang[i])
			return 0;
	return 1;
}

static int lang_index(const char *s, size_t n)
{
	for (size_t i = 0; i < NLANGS; i++)
		if (lang_eq(s, n, langs[i]))
			return (int)i;
	return -1;
}

/* ---- .po parsing ---- */

struct po_parser {
	const char *name;
	char *err;
	size_t errlen;
	struct i18n_catalog *cat;
	/* the entry being read */
	struct buf id, str, scratch;
	struct buf *cur; /* where continuation strings go; NULL before a keyword */
	int has_id, has_str, has_ctxt;
	int fuzzy; /* "#, fuzzy" seen */
	int skip;  /* msgctxt or plural forms: ignored */
	int id_line;
};

static enum err po_error(struct po_parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum err po_error(struct po_parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vformat_at(p->err, p->errlen, p->name, line, fmt, ap);
	va_end(ap);
	return ERR_INVAL;
}

static void po_reset(struct po_parser *p)
{
	buf_reset(&p->id);
	buf_reset(&p->str);
	buf_reset(&p->scratch);
	p->cur = NULL;
	p->has_id = p->has_str = p->has_ctxt = p->fuzzy = p->skip = 0;
	p->id_line = 0;
}

/* Ends the current entry: adds it to the catalogue unless it is ignored. */
static enum err po_finish(struct po_parser *p, int line)
{
	enum err e = ERR_OK;
	if (!p->has_id && !p->has_str) {
		if (p->has_ctxt)
			e = po_error(p, line, "msgctxt without msgid");
		goto out;
	}
	if (!p->has_str) {
		e = po_error(p, p->id_line, "msgid without msgstr");
		goto out;
	}
	if (p->skip || p->fuzzy || p->id.len == 0 || p->str.len == 0)
		goto out;
	if (!utf8_valid(p->id.data, p->id.len) || !utf8_valid(p->str.data, p->str.len)) {
		e = po_error(p, p->id_line, "invalid UTF-8");
		goto out;
	}
	struct i18n_catalog *c = p->cat;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->v = xreallocarray(c->v, c->cap, sizeof c->v[0]);
	}
	c->v[c->n].id = xstrndup(p->id.data, p->id.len);
	c->v[c->n].str = xstrndup(p->str.data, p->str.len);
	c->v[c->n].line = p->id_line;
	c->n++;
out:
	po_reset(p);
	return e;
}

/* Parses one "..." string of s[0..n) (s at the opening quote) onto b. */
static enum err po_string(struct po_parser *p, int line, const char *s, size_t n, struct buf *b)
{
	if (n == 0 || s[0] != '"')
		return po_error(p, line, "expected a \"string\"");
	size_t i = 1;
	for (;;) {
		if (i >= n)
			return po_error(p, line, "unterminated string");
		char c = s[i++];
		if (c == '"')
			break;
		if (c != '\\') {
			buf_putc(b, c);
			continue;
		}
		if (i >= n)
			return po_error(p, line, "unterminated string");
		switch (s[i++]) {
		case 'n': buf_putc(b, '\n'); break;
		case 't': buf_putc(b, '\t'); break;
		case 'r': buf_putc(b, '\r'); break;
		case '"': buf_putc(b, '"'); break;
		case '\\': buf_putc(b, '\\'); break;
		default: return po_error(p, line, "unsupported escape '\\%c'", s[i - 1]);
		}
	}
	for (; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return po_error(p, line, "text after the closing quote");
	return ERR_OK;
}

/* 1 if the "#," flags comment s[0..n) has the flag fuzzy. */
static int po_is_fuzzy(const char *s, size_t n)
{
	size_t i = 2;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
			i++;
		size_t start = i;
		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != ',')
			i++;
		if (i - start == 5 && memcmp(s + start, "fuzzy", 5) == 0)
			return 1;
	}
	return 0;
}

static enum err po_line(struct po_parser *p, int line, const char *s, size_t n)
{
	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0)
		return po_finish(p, line);
	if (s[0] == '#') {
		enum err e = ERR_OK;
		/* A comment after a complete entry starts the next one. */
		if (p->has_str)
			e = po_finish(p, line);
		if (n >= 2 && s[1] == ',' && po_is_fuzzy(s, n))
			p->fuzzy = 1;
		return e;
	}
	if (s[0] == '"') {
		if (!p->cur)
			return po_error(p, line, "string without a keyword");
		return po_string(p, line, s, n, p->cur);
	}
	size_t k = 0;
	while (k < n && s[k] != ' ' && s[k] != '\t' && s[k] != '"')
		k++;
	const char *kw = s;
	size_t kwn = k;
	while (k < n && (s[k] == ' ' || s[k] == '\t'))
		k++;
	enum err e = ERR_OK;
	if (kwn == 7 && memcmp(kw, "msgctxt", 7) == 0) {
		if (p->has_str && (e = po_finish(p, line)) != ERR_OK)
			return e;
		if (p->has_id || p->has_ctxt)
			return po_error(p, line, "misplaced msgctxt");
		p->has_ctxt = 1;
		p->skip = 1;
		p->cur = &p->scratch;
	} else if (kwn == 5 && memcmp(kw, "msgid", 5) == 0) {
		if (p->has_str && (e = po_finish(p, line)) != ERR_OK)
			return e;
		if (p->has_id)
			return po_error(p, line, "msgid without msgstr before it");
		p->has_id = 1;
		p->id_line = line;
		p->cur = &p->id;
	} else if (kwn == 12 && memcmp(kw, "msgid_plural", 12) == 0) {
		if (!p->has_id || p->has_str)
			return po_error(p, line, "misplaced msgid_plural");
		p->skip = 1;
		p->cur = &p->scratch;
	} else if (kwn == 6 && memcmp(kw, "msgstr", 6) == 0) {
		if (!p->has_id || p->has_str)
			return po_error(p, line, "msgstr without msgid");
		p->has_str = 1;
		p->cur = &p->str;
	} else if (kwn > 7 && memcmp(kw, "msgstr[", 7) == 0 && kw[kwn - 1] == ']') {
		if (!p->has_id)
			return po_error(p, line, "msgstr without msgid");
		p->has_str = 1;
		p->skip = 1;
		p->cur = &p->scratch;
	} else {
		return po_error(p, line, "unknown keyword '%.*s'", (int)(kwn > 32 ? 32 : kwn), kw);
	}
	return po_string(p, line, s + k, n - k, p->cur);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct i18n_entry *x = a, *y = b;
	return strcmp(x->id, y->id);
}

static int key_cmp(const void *key, const void *entry)
{
	const struct i18n_entry *e = entry;
	return strcmp(key, e->id);
}

static void entries_free(struct i18n_catalog *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].id);
		free(c->v[i].str);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

enum err i18n_parse_po(const char *text, size_t len, const char *name, const char *lang,
                       struct i18n_catalog **out, char *err, size_t errlen)
{
	enum err e = ERR_OK;
	struct po_parser p = {.name = name ? name : "(po)", .err = err, .errlen = errlen};
	p.cat = xcalloc(1, sizeof *p.cat);
	if (lang)
		snprintf(p.cat->lang, sizeof p.cat->lang, "%s", lang);
	buf_init(&p.id);
	buf_init(&p.str);
	buf_init(&p.scratch);
	*out = NULL;
	if (err && errlen)
		err[0] = '\0';

	if (memchr(text, '\0', len)) {
		e = po_error(&p, 1, "NUL byte");
		goto out;
	}
	int line = 1;
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		if ((e = po_line(&p, line, text + pos, end - pos)) != ERR_OK)
			goto out;
		pos = nl ? end + 1 : len;
		line++;
	}
	if ((e = po_finish(&p, line)) != ERR_OK)
		goto out;
	struct i18n_catalog *c = p.cat;
	if (c->n)
		qsort(c->v, c->n, sizeof c->v[0], entry_cmp);
	for (size_t i = 1; i < c->n; i++) {
		if (strcmp(c->v[i - 1].id, c->v[i].id) == 0) {
			int l = c->v[i - 1].line > c->v[i].line ? c->v[i - 1].line : c->v[i].line;
			e = po_error(&p, l, "duplicate msgid \"%.40s\"", c->v[i].id);
			goto out;
		}
	}
	*out = c;
	p.cat = NULL;
out:
	if (p.cat) {
		entries_free(p.cat);
		free(p.cat);
	}
	buf_clear(&p.id);
	buf_clear(&p.str);
	buf_clear(&p.scratch);
	return e;
}

void i18n_catalog_free(struct i18n_catalog *c)
{
	if (!c)
		return;
	entries_free(c);
	free(c);
}

enum err i18n_load(char *err, size_t errlen)
{
	struct i18n_catalog *parsed[NLANGS] = {0};
	enum err e = ERR_OK;
	for (size_t i = 0; i < NLANGS; i++) {
		if (catalogs[i].identity)
			continue;
		char name[32];
		snprintf(name, sizeof name, "po/%s.po", langs[i]);
		const struct embed_file *f = embed_get(name);
		if (!f)
			continue;
		e = i18n_parse_po(f->data, f->len, name, langs[i], &parsed[i], err, errlen);
		if (e != ERR_OK)
			goto out;
	}
	for (size_t i = 0; i < NLANGS; i++) {
		if (!parsed[i])
			continue;
		entries_free(&catalogs[i]);
		catalogs[i].v = parsed[i]->v;
		catalogs[i].n = parsed[i]->n;
		catalogs[i].cap = parsed[i]->cap;
		parsed[i]->v = NULL;
		parsed[i]->n = parsed[i]->cap = 0;
	}
out:
	for (size_t i = 0; i < NLANGS; i++)
		i18n_catalog_free(parsed[i]);
	return e;
}

void i18n_unload(void)
{
	for (size_t i = 0; i < NLANGS; i++)
		entries_free(&catalogs[i]);
}

const struct i18n_catalog *i18n_get(const char *lang)
{
	if (!lang)
		return NULL;
	int i = lang_index(lang, strlen(lang));
	return i < 0 ? NULL : &catalogs[i];
}

static const struct i18n_entry *find(const struct i18n_catalog *c, const char *msgid)
{
	if (!c || c->identity || c->n == 0 || !msgid)
		return NULL;
	return bsearch(msgid, c->v, c->n, sizeof c->v[0], key_cmp);
}

const char *i18n_t(const struct i18n_catalog *c, const char *msgid)
{
	const struct i18n_entry *e = find(c, msgid);
	return e ? e->str : msgid;
}

int i18n_has(const struct i18n_catalog *c, const char *msgid)
{
	if (c && c->identity)
		return 1;
	return find(c, msgid) != NULL;
}

const char *i18n_lang(const struct i18n_catalog *c)
{
	return c ? c->lang : "";
}

size_t i18n_count(const struct i18n_catalog *c)
{
	return c ? c->n : 0;
}

/* ---- Accept-Language ---- */

/* Parses a qvalue (RFC 9110: "0" ["." 0*3DIGIT] / "1" ["." 0*3("0")]) of
 * s[0..n) into thousandths; -1 if malformed. */
static int parse_q(const char *s, size_t n)
{
	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	int q = (s[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (s[1] != '.' || n > 5)
		return -1;
	int scale = 100;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

static int ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Parses one element "tag[;q=x]" of s[0..n); sets *tag, *tagn and *q
 * (thousandths, 1000 by default). Returns 0 if malformed. */
static int parse_range(const char *s, size_t n, const char **tag, size_t *tagn, int *q)
{
	size_t i = 0;
	while (i < n && ows(s[i]))
		i++;
	size_t start = i;
	while (i < n && (s[i] == '-' || s[i] == '*' || (s[i] >= 'a' && s[i] <= 'z') ||
	                 (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i == start)
		return 0;
	*tag = s + start;
	*tagn = i - start;
	*q = 1000;
	while (i < n && ows(s[i]))
		i++;
	while (i < n) {
		if (s[i] != ';')
			return 0;
		i++;
		while (i < n && ows(s[i]))
			i++;
		size_t pstart = i;
		while (i < n && s[i] != ';' && !ows(s[i]))
			i++;
		const char *param = s + pstart;
		size_t pn = i - pstart;
		while (i < n && ows(s[i]))
			i++;
		if (pn >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
			*q = parse_q(param + 2, pn - 2);
			if (*q < 0)
				return 0;
		}
	}
	return 1;
}

const char *i18n_negotiate(const char *accept_language)
{
	int q[NLANGS], star_q = -1;
	size_t pos[NLANGS], star_pos = 0;
	for (size_t i = 0; i < NLANGS; i++) {
		q[i] = -1;
		pos[i] = 0;
	}
	if (!accept_language)
		return langs[0];
	const char *s = accept_language;
	for (size_t idx = 0; *s; idx++) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		const char *tag;
		size_t tagn;
		int qv;
		if (parse_range(s, n, &tag, &tagn, &qv)) {
			size_t primary = 0;
			while (primary < tagn && tag[primary] != '-')
				primary++;
			if (tagn == 1 && tag[0] == '*') {
				if (qv > star_q) {
					star_q = qv;
					star_pos = idx;
				}
			} else {
				int li = lang_index(tag, primary);
				if (li >= 0 && qv > q[li]) {
					if (q[li] < 0)
						pos[li] = idx;
					q[li] = qv;
				}
			}
		}
		s += n;
		if (*s == ',')
			s++;
	}
	int best = -1, best_q = 0;
	size_t best_pos = 0;
	for (size_t i = 0; i < NLANGS; i++) {
		int eq = q[i] >= 0 ? q[i] : star_q;
		size_t ep = q[i] >= 0 ? pos[i] : star_pos;
		if (eq <= 0)
			continue;
		if (best < 0 || eq > best_q || (eq == best_q && ep < best_pos)) {
			best = (int)i;
			best_q = eq;
			best_pos = ep;
		}
	}
	return langs[best < 0 ? 0 : best];
}

int i18n_supported(const char *lang)
{
	return lang && lang_index(lang, strlen(lang)) >= 0;
}
