/* csvread.h - reading CSV (RFC 4180, on libcsv) into rows that remember the
 * line they start on, and writing CSV fields.
 *
 * For imports that must tell the person which line and column is wrong. */
#ifndef CONSENT_BASE_CSVREAD_H
#define CONSENT_BASE_CSVREAD_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

struct csv_row {
	int line;  /* 1-based line of the file where the row starts */
	size_t nf; /* fields */
	char **f;  /* NUL-terminated fields */
};

/* A parsed file. Caller-owned: csv_doc_free. */
struct csv_doc {
	size_t nrows;
	struct csv_row *rows;
};

/* Parses text[0..len) (a UTF-8 byte order mark is skipped; empty lines are
 * ignored; fields are trimmed of surrounding spaces). ERR_INVAL with a
 * message naming the line in err if the text is not UTF-8, has a NUL byte
 * or a malformed quote; ERR_LIMIT past max_rows rows. */
enum err csv_read(const char *text, size_t len, size_t max_rows, struct csv_doc *doc, char *err,
                  size_t errlen);
void csv_doc_free(struct csv_doc *doc);

/* Appends s as one CSV field (quoted when needed). Text that a spreadsheet
 * would take for a formula (starting with = + - @) is prefixed with '. */
void csv_put_text(struct buf *b, const char *s);
/* Appends s as one field without the formula guard (numbers, codes). */
void csv_put_raw(struct buf *b, const char *s);

#endif
