/* csvread.c - CSV in (libcsv) with line numbers, CSV out. */
#include "base/csvread.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct reader {
	struct csv_doc *doc;
	size_t cap;
	size_t max_rows;
	int line;     /* line being fed */
	int row_line; /* line where the current row started, 0 if none */
	size_t nf, fcap;
	char **f;
	int over;
};

static void on_field(void *s, size_t n, void *p)
{
	struct reader *r = p;
	if (r->over)
		return;
	if (r->nf == 0 && !r->row_line)
		r->row_line = r->line;
	if (r->nf == r->fcap) {
		r->fcap = r->fcap ? r->fcap * 2 : 8;
		r->f = xreallocarray(r->f, r->fcap, sizeof *r->f);
	}
	r->f[r->nf++] = xstrndup(s ? s : "", s ? n : 0);
}

static void on_row(int c, void *p)
{
	(void)c;
	struct reader *r = p;
	if (r->over || r->nf == 0) {
		r->row_line = 0;
		return;
	}
	if (r->doc->nrows == r->max_rows) {
		r->over = 1;
		return;
	}
	if (r->doc->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->doc->rows = xreallocarray(r->doc->rows, r->cap, sizeof *r->doc->rows);
	}
	struct csv_row *row = &r->doc->rows[r->doc->nrows++];
	row->line = r->row_line ? r->row_line : r->line;
	row->nf = r->nf;
	row->f = xreallocarray(NULL, r->nf ? r->nf : 1, sizeof *row->f);
	memcpy(row->f, r->f, r->nf * sizeof *row->f);
	r->nf = 0;
	r->row_line = 0;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t';
}

enum err csv_read(const char *text, size_t len, size_t max_rows, struct csv_doc *doc, char *err,
                  size_t errlen)
{
	memset(doc, 0, sizeof *doc);
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;
		len -= 3;
	}
	int line = 1;
	for (size_t i = 0, start = 0; i <= len; i++) {
		if (i == len || text[i] == '\n') {
			if (!utf8_valid(text + start, i - start)) {
				snprintf(err, errlen, "line %d: not UTF-8 text (or a NUL byte)",
				         line);
				return ERR_INVAL;
			}
			start = i + 1;
			line++;
		}
	}
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		snprintf(err, errlen, "cannot start the CSV parser");
		return ERR_INTERNAL;
	}
	csv_set_space_func(&p, is_space);
	struct reader r = {.doc = doc, .max_rows = max_rows, .line = 1};
	enum err e = ERR_OK;
	size_t pos = 0;
	while (pos < len && !r.over) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
		if (csv_parse(&p, text + pos, n, on_field, on_row, &r) != n) {
			snprintf(err, errlen, "line %d: %s", r.line, csv_strerror(csv_error(&p)));
			e = ERR_INVAL;
			break;
		}
		pos += n;
		r.line++;
	}
	if (!e && !r.over && csv_fini(&p, on_field, on_row, &r) != 0) {
		snprintf(err, errlen, "line %d: %s (a quote is not closed)", r.line - 1,
		         csv_strerror(csv_error(&p)));
		e = ERR_INVAL;
	}
	if (!e && r.over) {
		snprintf(err, errlen, "more than %zu rows", max_rows);
		e = ERR_LIMIT;
	}
	for (size_t i = 0; i < r.nf; i++)
		free(r.f[i]);
	free(r.f);
	csv_free(&p);
	if (e)
		csv_doc_free(doc);
	return e;
}

void csv_doc_free(struct csv_doc *doc)
{
	for (size_t i = 0; i < doc->nrows; i++) {
		for (size_t j = 0; j < doc->rows[i].nf; j++)
			free(doc->rows[i].f[j]);
		free(doc->rows[i].f);
	}
	free(doc->rows);
	memset(doc, 0, sizeof *doc);
}

void csv_put_raw(struct buf *b, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

void csv_put_text(struct buf *b, const char *s)
{
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@')) {
		char *t = xasprintf("'%s", s);
		csv_put_raw(b, t);
		free(t);
		return;
	}
	csv_put_raw(b, s);
}
