/* log.c - the accountability log over HTTP (tlog/tlog.h). Public and
 * read-only, but for the witnesses:
 *   GET /log/checkpoint          the latest signed checkpoint with the
 *                                witnesses' cosignatures (C2SP tlog-checkpoint)
 *   GET /log/key                 the log's verifier key line
 *   GET /log/tile/<L>/<N>[.p/<W>], GET /log/tile/entries/<N>[.p/<W>]
 *                                hash tiles and entry bundles (C2SP tlog-tiles)
 *   GET /api/v1/log/entries?start=S&end=E           entries S..E-1 (at most 1000)
 *   GET /api/v1/log/proof/inclusion?index=I&size=N
 *   GET /api/v1/log/proof/consistency?from=M&to=N
 *   GET/POST /api/v1/log/witnesses                  witness keys (POST: admins)
 *   POST /api/v1/log/cosign      an overseer's cosignature of a checkpoint
 * Proofs answer {"index" or "from"/"to", "size", "root", "hashes"}, hashes
 * in standard base64. The read-only ones may be fetched from any origin. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/crypto.h"
#include "domain/policy.h"
#include "domain/witness.h"
#include "store/store.h"
#include "tlog/tlog.h"

/* The public parts: readable from other sites' scripts (monitors). */
static void public_read(struct req *r)
{
	resp_header(r, "Access-Control-Allow-Origin", "*");
}

/* Checks the common preconditions of a read; returns the connection or
 * NULL once answered. */
static struct store_conn *log_begin(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_LOG_READ, 0))
		return NULL;
	if (!req_app(r)->tlog) {
		resp_error(r, 503, "unavailable", NULL, "the accountability log is not set up");
		return NULL;
	}
	public_read(r);
	return c;
}

/* The decimal query argument name into *v. Absent: *given = 0 (answers
 * 400 if required). Not a whole number: answers 400. Returns 1 if the
 * handler may go on. */
static int query_u64(struct req *r, const char *name, int required, uint64_t *v, int *given)
{
	const char *s = req_query(r, name);
	*v = 0;
	if (given)
		*given = s != NULL;
	if (!s) {
		if (required)
			resp_error(r, 400, "invalid", name, "is required");
		return !required;
	}
	size_t n = strlen(s);
	if (n == 0 || n > 18 || strspn(s, "0123456789") != n) {
		resp_error(r, 400, "invalid", name, "must be a whole number");
		return 0;
	}
	*v = strtoull(s, NULL, 10);
	return 1;
}

/* The log's current size into *size; answers on error. */
static int log_size(struct req *r, struct store_conn *c, uint64_t *size)
{
	enum err e = tlog_size(c, size);
	if (e)
		resp_err(r, e, NULL);
	return !e;
}

static void checkpoint_get(struct req *r)
{
	struct store_conn *c = log_begin(r);
	if (!c)
		return;
	char *note = NULL;
	enum err e = tlog_checkpoint(req_app(r)->tlog, c, 0, &note, NULL);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	resp_bytes(r, 200, "text/plain; charset=utf-8", note, strlen(note));
	free(note);
}

static void key_get(struct req *r)
{
	if (!log_begin(r))
		return;
	char *k = tlog_vkey(req_app(r)->tlog);
	char *line = req_printf(r, "%s\n", k);
	free(k);
	resp_bytes(r, 200, "text/plain; charset=utf-8", line, strlen(line));
}

static void tile_get(struct req *r)
{
	struct store_conn *c = log_begin(r);
	if (!c)
		return;
	const char *p = req_param(r, "path");
	char *path = req_printf(r, "tile/%s", p ? p : "");
	struct tile t;
	uint64_t size;
	if (tile_path_parse(path, strlen(path), &t) != ERR_OK) {
		resp_error(r, 400, "invalid", "path",
		           "is not a tile path: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]");
		return;
	}
	if (!log_size(r, c, &size))
		return;
	struct buf b;
	buf_init(&b);
	enum err e = tlog_tile(c, req_app(r)->tlog, &t, size, &b);
	if (e == ERR_NOTFOUND) {
		buf_clear(&b);
		resp_error(r, 404, "not_found", "path", "the log has no such tile (yet)");
		return;
	}
	if (e) {
		buf_clear(&b);
		resp_err(r, e, NULL);
		return;
	}
	/* A full tile never changes; partial ones are superseded. */
	if (t.width == TILE_WIDTH)
		resp_header(r, "Cache-Control", "public, max-age=31536000, immutable");
	resp_body(r, 200, "application/octet-stream", &b);
}

struct entries_out {
	json_t *arr;
};

static enum err entry_json(void *ctx, uint64_t index, const char *entry, size_t len)
{
	struct entries_out *o = ctx;
	json_array_append_new(
	    o->arr, json_pack("{s:I, s:s%}", "index", (json_int_t)index, "entry", entry, len));
	return ERR_OK;
}

static void entries_get(struct req *r)
{
	struct store_conn *c = log_begin(r);
	uint64_t start, end, size;
	int has_end;
	if (!c || !query_u64(r, "start", 1, &start, NULL) ||
	    !query_u64(r, "end", 0, &end, &has_end) || !log_size(r, c, &size))
		return;
	if (start > size) {
		resp_error(r, 400, "invalid", "start", "is beyond the log's size, %llu",
		           (unsigned long long)size);
		return;
	}
	if (!has_end)
		end = start + TLOG_ENTRIES_MAX < size ? start + TLOG_ENTRIES_MAX : size;
	if (start > end) {
		resp_error(r, 400, "invalid", "start", "must not exceed end");
		return;
	}
	if (end > size) {
		resp_error(r, 400, "invalid", "end", "is beyond the log's size, %llu",
		           (unsigned long long)size);
		return;
	}
	if (end - start > TLOG_ENTRIES_MAX) {
		resp_error(r, 400, "invalid", "end", "at most %d entries at a time",
		           TLOG_ENTRIES_MAX);
		return;
	}
	struct entries_out o = {json_array()};
	enum err e = tlog_entries(c, start, end, entry_json, &o);
	if (e) {
		json_decref(o.arr);
		resp_err(r, e, NULL);
		return;
	}
	resp_json(r, 200,
	          json_pack("{s:I, s:I, s:I, s:o}", "start", (json_int_t)start, "end",
	                    (json_int_t)end, "size", (json_int_t)size, "entries", o.arr));
}

/* {"root": b64, "hashes": [b64...]} plus what the caller adds. */
static json_t *proof_json(const uint8_t root[MERKLE_HASH_LEN],
                          const uint8_t (*hashes)[MERKLE_HASH_LEN], size_t len)
{
	char *b = crypto_b64(root, MERKLE_HASH_LEN);
	json_t *arr = json_array();
	json_t *o = json_pack("{s:s, s:o}", "root", b, "hashes", arr);
	free(b);
	for (size_t i = 0; i < len; i++) {
		b = crypto_b64(hashes[i], MERKLE_HASH_LEN);
		json_array_append_new(arr, json_string(b));
		free(b);
	}
	return o;
}

static void inclusion_get(struct req *r)
{
	struct store_conn *c = log_begin(r);
	uint64_t index, size, have;
	if (!c || !query_u64(r, "index", 1, &index, NULL) ||
	    !query_u64(r, "size", 1, &size, NULL) || !log_size(r, c, &have))
		return;
	if (size > have) {
		resp_error(r, 400, "invalid", "size", "is beyond the log's size, %llu",
		           (unsigned long long)have);
		return;
	}
	if (index >= size) {
		resp_error(r, 400, "invalid", "index", "must be below size");
		return;
	}
	uint8_t root[MERKLE_HASH_LEN], path[MERKLE_MAX_INCLUSION][MERKLE_HASH_LEN];
	size_t len;
	enum err e = tlog_prove_inclusion(c, req_app(r)->tlog, index, size, root, path, &len);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	json_t *o = proof_json(root, (const uint8_t(*)[MERKLE_HASH_LEN])path, len);
	json_object_set_new(o, "index", json_integer((json_int_t)index));
	json_object_set_new(o, "size", json_integer((json_int_t)size));
	resp_json(r, 200, o);
}

static void consistency_get(struct req *r)
{
	struct store_conn *c = log_begin(r);
	uint64_t from, to, have;
	if (!c || !query_u64(r, "from", 1, &from, NULL) || !query_u64(r, "to", 1, &to, NULL) ||
	    !log_size(r, c, &have))
		return;
	if (from == 0) {
		resp_error(r, 400, "invalid", "from",
		           "must be at least 1 (nothing is proved from "
		           "the empty tree)");
		return;
	}
	if (from > to) {
		resp_error(r, 400, "invalid", "from", "must not exceed to");
		return;
	}
	if (to > have) {
		resp_error(r, 400, "invalid", "to", "is beyond the log's size, %llu",
		           (unsigned long long)have);
		return;
	}
	uint8_t root[MERKLE_HASH_LEN], proof[MERKLE_MAX_CONSISTENCY][MERKLE_HASH_LEN];
	size_t len;
	enum err e = tlog_prove_consistency(c, req_app(r)->tlog, from, to, root, proof, &len);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	json_t *o = proof_json(root, (const uint8_t(*)[MERKLE_HASH_LEN])proof, len);
	json_object_set_new(o, "from", json_integer((json_int_t)from));
	json_object_set_new(o, "to", json_integer((json_int_t)to));
	json_object_set_new(o, "size", json_integer((json_int_t)to));
	resp_json(r, 200, o);
}

static void witnesses_list(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c || !api_allowed(r, ACT_LOG_WITNESS_LIST, 0))
		return;
	public_read(r);
	json_t *list = NULL;
	enum err e = witness_list(c, &list);
	if (e) {
		resp_err(r, e, NULL);
		return;
	}
	resp_json(r, 200, json_pack("{s:o}", "witnesses", list));
}

static void witnesses_add(struct req *r)
{
	if (!api_allowed(r, ACT_LOG_WITNESS_ADD, 0))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"org", "key", NULL};
	const char *org, *key;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "org", 1, &org) ||
	    !api_string(r, body, "key", 1, &key))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	json_t *w = NULL;
	enum err e = witness_add(c, req_actor(r), org, key, &w, &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_json(r, 201, w);
}

static void cosign_post(struct req *r)
{
	if (!api_signed_in(r) || !api_allowed(r, ACT_LOG_COSIGN, 0))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	static const char *const allowed[] = {"checkpoint", NULL};
	const char *note;
	if (!api_only_fields(r, body, allowed) || !api_string(r, body, "checkpoint", 1, &note))
		return;
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	struct errinfo ei = {{0}, {0}};
	json_t *out = NULL;
	enum err e = witness_cosign(c, req_actor(r), note, strlen(note), &out, &ei);
	if (e) {
		resp_err(r, e, &ei);
		return;
	}
	resp_json(r, 200, out);
}

static const struct route routes[] = {
    {M_GET, "/log/checkpoint", checkpoint_get, 0},
    {M_GET, "/log/key", key_get, 0},
    {M_GET, "/log/tile/{path*}", tile_get, 0},
    {M_GET, "/api/v1/log/entries", entries_get, 0},
    {M_GET, "/api/v1/log/proof/inclusion", inclusion_get, 0},
    {M_GET, "/api/v1/log/proof/consistency", consistency_get, 0},
    {M_GET, "/api/v1/log/witnesses", witnesses_list, 0},
    {M_POST, "/api/v1/log/witnesses", witnesses_add, 0},
    {M_POST, "/api/v1/log/cosign", cosign_post, 0},
};

void api_log_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
