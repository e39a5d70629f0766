/* tlog_vectors.h - loads ../shared/data/tlog/vectors.json for the tlog unit
 * tests (run from the project root). Test helpers only: static inline so
 * each test uses what it needs.
 *
 * Two quirks of the file: some probes carry 18446744073709551615 (a uint64
 * "-1"), which jansson rejects as too big; the loader quotes integers beyond
 * int64 before parsing and vec_u64 accepts both forms. And some probes carry
 * "hashes" of 0, 9 or 12 bytes; our API takes 32-byte hashes, so vec_hash
 * zero-pads them (distinct values stay distinct, equal ones stay equal). */
#ifndef CONSENT_TESTS_TLOG_VECTORS_H
#define CONSENT_TESTS_TLOG_VECTORS_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/xalloc.h"

#define VEC_PATH "../shared/data/tlog/vectors.json"

/* Copies src to b, quoting integer literals outside strings that do not fit
 * in an int64. */
static inline void vec_quote_big_ints(const char *src, size_t n, struct buf *b)
{
	int in_str = 0;
	for (size_t i = 0; i < n;) {
		char c = src[i];
		if (in_str) {
			buf_putc(b, c);
			if (c == '\\' && i + 1 < n) {
				buf_putc(b, src[i + 1]);
				i += 2;
				continue;
			}
			if (c == '"')
				in_str = 0;
			i++;
			continue;
		}
		if (c == '"') {
			in_str = 1;
			buf_putc(b, c);
			i++;
			continue;
		}
		if ((c >= '0' && c <= '9') || c == '-') {
			size_t j = i + 1;
			while (j < n && strchr("0123456789.eE+-", src[j]))
				j++;
			size_t len = j - i;
			const char *digits = src + i + (c == '-');
			size_t dlen = len - (c == '-');
			int big = strspn(digits, "0123456789") == dlen &&
			          (dlen > 19 ||
			           (dlen == 19 && strncmp(digits, "9223372036854775807", 19) > 0));
			if (big) {
				buf_putc(b, '"');
				buf_append(b, src + i, len);
				buf_putc(b, '"');
			} else {
				buf_append(b, src + i, len);
			}
			i = j;
			continue;
		}
		buf_putc(b, c);
		i++;
	}
}

/* The whole vectors file; aborts the test program if it cannot be read. */
static inline json_t *vec_load(void)
{
	FILE *f = fopen(VEC_PATH, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s (run from the project root)\n", VEC_PATH);
		exit(1);
	}
	struct buf raw, fixed;
	buf_init(&raw);
	buf_init(&fixed);
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&raw, chunk, got);
	fclose(f);
	vec_quote_big_ints(raw.data, raw.len, &fixed);
	json_error_t err;
	json_t *j = json_loadb(fixed.data, fixed.len, 0, &err);
	buf_clear(&raw);
	buf_clear(&fixed);
	if (!j) {
		fprintf(stderr, "%s: %s at line %d\n", VEC_PATH, err.text, err.line);
		exit(1);
	}
	return j;
}

/* Follows a path of object keys ("a", "b", NULL); aborts if missing. */
static inline json_t *vec_get(json_t *j, const char *key)
{
	json_t *v = json_object_get(j, key);
	if (!v) {
		fprintf(stderr, "vectors.json: missing key '%s'\n", key);
		exit(1);
	}
	return v;
}

static inline const char *vec_str(json_t *j, const char *key)
{
	const char *s = json_string_value(vec_get(j, key));
	if (!s) {
		fprintf(stderr, "vectors.json: '%s' is not a string\n", key);
		exit(1);
	}
	return s;
}

/* An unsigned 64-bit number, given as an integer or a quoted one. */
static inline uint64_t vec_u64(json_t *j, const char *key)
{
	json_t *v = vec_get(j, key);
	if (json_is_integer(v))
		return (uint64_t)json_integer_value(v);
	return strtoull(json_string_value(v), NULL, 10);
}

/* Decodes hex s into a new buffer (caller frees); *len gets its size. */
static inline uint8_t *vec_bytes(const char *s, size_t *len)
{
	size_t n = strlen(s) / 2;
	uint8_t *p = xmalloc(n + 1);
	if (crypto_unhex(s, p, n) != 0) {
		fprintf(stderr, "vectors.json: bad hex '%s'\n", s);
		exit(1);
	}
	*len = n;
	return p;
}

/* Decodes a hex hash of up to 32 bytes into out, zero-padded; returns its
 * real length. */
static inline size_t vec_hash(const char *s, uint8_t out[32])
{
	size_t n;
	uint8_t *p = vec_bytes(s, &n);
	memset(out, 0, 32);
	if (n > 32) {
		fprintf(stderr, "vectors.json: hash longer than 32 bytes\n");
		exit(1);
	}
	memcpy(out, p, n);
	free(p);
	return n;
}

/* Decodes an array of hex hashes into a new array (caller frees). */
static inline uint8_t (*vec_hashes(json_t *arr, size_t *n))[32]
{
	*n = json_array_size(arr);
	uint8_t(*h)[32] = xcalloc(*n ? *n : 1, 32);
	for (size_t i = 0; i < *n; i++)
		vec_hash(json_string_value(json_array_get(arr, i)), h[i]);
	return h;
}

#endif
