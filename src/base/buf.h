/* buf.h - growable byte strings and the escaping every output needs. */
#ifndef CONSENT_BASE_BUF_H
#define CONSENT_BASE_BUF_H

#include <stddef.h>

/* A growable buffer, always NUL-terminated after buf_init. Caller-owned:
 * buf_init before use, buf_clear to free. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_clear(struct buf *b);
/* Forget the contents, keep the memory. */
void buf_reset(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Takes the string out of b (caller frees it); b is left empty. */
char *buf_take(struct buf *b);

/* Appends s with & < > " ' escaped for HTML text and attribute values. */
void buf_html_escape(struct buf *b, const char *s, size_t n);
/* Appends s percent-encoded for a URL query value (RFC 3986 unreserved kept). */
void buf_url_encode(struct buf *b, const char *s, size_t n);
/* Appends s as the body of a JSON string (no quotes), escaping as RFC 8259. */
void buf_json_escape(struct buf *b, const char *s, size_t n);

/* Decodes %XX and '+' (as space) in place; returns the new length, or -1 if
 * a %-escape is malformed. */
long url_decode(char *s, size_t n);

/* The value of a hex digit (either case), or -1. */
int hex_digit(char c);

/* 1 if s[0..n) is well-formed UTF-8 without NUL bytes, else 0. */
int utf8_valid(const char *s, size_t n);

#endif
