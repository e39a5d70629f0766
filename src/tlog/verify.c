/* verify.c - tlog_verify: recomputes the whole tree from the entries and
 * checks every stored hash, checkpoint and cosignature against it (see
 * tlog.h). Entries are read in pages and their hashes checked in gathered
 * reads, so memory stays bounded whatever the size of the log. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "tlog/internal.h"
#include "tlog/tlog.h"

#define HLEN MERKLE_HASH_LEN

#define VERIFY_PAGE    1024 /* entries read per statement */
#define VERIFY_PENDING 256  /* subtree hashes checked per gathered read */

struct verify {
	struct store_conn *c;
	const uint8_t *pub;
	struct tlog_verify_result *res;
	struct merkle_frontier fr;
	size_t np; /* hashes waiting to be checked, in the order they were made */
	uint64_t pkey[VERIFY_PENDING + MERKLE_MAX_COMPLETED];
	uint8_t phash[VERIFY_PENDING + MERKLE_MAX_COMPLETED][HLEN];
	struct tlog_fetch *f;
	/* checkpoints, read in size order */
	uint64_t cp_after; /* read those with a size above this, plus one */
	int cp_more;       /* more may be stored */
	size_t ncp, cp_at;
	struct {
		uint64_t size;
		uint8_t root[HLEN];
		int root_ok; /* the root column held 32 bytes */
		char *note;
	} cp[64];
};

static enum err problem(struct verify *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum err problem(struct verify *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->res->problem, sizeof v->res->problem, fmt, ap);
	va_end(ap);
	return ERR_CRYPTO;
}

/* Names the subtree of a node key for a message. */
static void subtree_name(uint64_t key, char *out, size_t len)
{
	unsigned level;
	uint64_t index;
	tlog_node_of(key, &level, &index);
	if (level == 0)
		snprintf(out, len, "entry %" PRIu64, index);
	else
		snprintf(out, len, "entries %" PRIu64 " to %" PRIu64 " (subtree at level %u)",
		         index << level, ((index + 1) << level) - 1, level);
}

/* Compares the pending recomputed hashes with the stored ones. */
static enum err verify_flush(struct verify *v)
{
	if (v->np == 0)
		return ERR_OK;
	v->f->lookup = 0;
	v->f->n = 0;
	for (size_t i = 0; i < v->np; i++)
		tlog_fetch_add(v->f, v->pkey[i]);
	enum err e = tlog_fetch_run(v->c, v->f);
	if (e == ERR_INTERNAL)
		return problem(v, "a stored hash is not 32 bytes long, or not where it belongs");
	if (e)
		return e;
	for (size_t i = 0; i < v->np; i++) {
		long k = tlog_fetch_find(v->f, v->pkey[i]);
		char name[96];
		subtree_name(v->pkey[i], name, sizeof name);
		if (k < 0 || !v->f->found[k])
			return problem(v, "%s: the stored hash is missing", name);
		if (memcmp(v->f->hash[k], v->phash[i], HLEN) != 0)
			return problem(
			    v,
			    "%s: the stored hash differs from the one recomputed from the "
			    "entries (an entry or a hash was changed)",
			    name);
		v->res->hashes++;
	}
	v->np = 0;
	return ERR_OK;
}

static void cp_clear(struct verify *v)
{
	for (size_t i = 0; i < v->ncp; i++)
		free(v->cp[i].note);
	v->ncp = v->cp_at = 0;
}

/* The next stored checkpoint, or NULL when there is none (*e on error). */
static int cp_next(struct verify *v, enum err *e)
{
	*e = ERR_OK;
	if (v->cp_at < v->ncp)
		return 1;
	cp_clear(v);
	if (!v->cp_more)
		return 0;
	static const char sql[] = "SELECT size, root, note FROM tlog_checkpoints WHERE size >= ? "
	                          "ORDER BY size LIMIT 64";
	struct store_stmt *st = store_prepare(v->c, sql);
	if (!st) {
		*e = ERR_STORE;
		return 0;
	}
	store_bind_int(st, 1, (int64_t)v->cp_after);
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW && v->ncp < 64) {
		size_t len;
		const void *root = store_col_blob(st, 1, &len);
		const char *note = store_col_text(st, 2);
		v->cp[v->ncp].size = (uint64_t)store_col_int(st, 0);
		v->cp[v->ncp].root_ok = root && len == HLEN;
		if (v->cp[v->ncp].root_ok)
			memcpy(v->cp[v->ncp].root, root, HLEN);
		v->cp[v->ncp].note = xstrdup(note ? note : "");
		v->ncp++;
	}
	if (r == STORE_ERROR)
		*e = store_stmt_err(st);
	store_reset(st);
	v->cp_more = v->ncp == 64;
	if (v->ncp)
		v->cp_after = v->cp[v->ncp - 1].size + 1;
	return !*e && v->ncp > 0;
}

/* Checks the cosignatures of the checkpoint of `size` whose note text is
 * text. */
static enum err verify_cosignatures(struct verify *v, uint64_t size, const char *text)
{
	static const char sql[] = "SELECT w.name, w.vkey, c.line FROM tlog_cosignatures c "
	                          "JOIN tlog_witnesses w ON w.id = c.witness_id WHERE c.size = ? "
	                          "ORDER BY c.witness_id";
	struct store_stmt *st = store_prepare(v->c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)size);
	enum store_step r = STORE_DONE;
	enum err e = ERR_OK;
	while (!e && (r = store_step(st)) == STORE_ROW) {
		const char *name = store_col_text(st, 0), *vkey = store_col_text(st, 1);
		const char *line = store_col_text(st, 2);
		struct note_verifier w;
		struct note n;
		note_init(&n);
		char *msg = xasprintf("%s\n%s", text, line ? line : "");
		if (!vkey || note_verifier_parse(vkey, &w) != ERR_OK ||
		    note_open(&n, msg, strlen(msg), &w, 1) != ERR_OK || n.nsigs != 1)
			e = problem(v,
			            "checkpoint of size %" PRIu64 ": the cosignature of witness %s "
			            "does not verify",
			            size, name ? name : "?");
		else
			v->res->cosignatures++;
		note_clear(&n);
		free(msg);
	}
	if (!e && r == STORE_ERROR)
		e = store_stmt_err(st);
	store_reset(st);
	return e;
}

/* Checks the current checkpoint against the tree recomputed so far (whose
 * size is the checkpoint's). */
static enum err verify_checkpoint(struct verify *v)
{
	enum err e = verify_flush(v);
	if (e)
		return e;
	uint64_t size = v->cp[v->cp_at].size;
	const char *note = v->cp[v->cp_at].note;
	struct note n;
	struct note_checkpoint cp = {0};
	struct note_verifier key;
	memset(&key, 0, sizeof key);
	note_init(&n);
	/* The key's name is the checkpoint's own origin. */
	if (note_parse(&n, note, strlen(note)) != ERR_OK ||
	    note_checkpoint_parse(n.text, n.text_len, &cp) != ERR_OK ||
	    strlen(cp.origin) > NOTE_NAME_MAX) {
		e = problem(
		    v, "checkpoint of size %" PRIu64 ": not a well-formed signed checkpoint", size);
		goto out;
	}
	snprintf(key.name, sizeof key.name, "%s", cp.origin);
	key.type = NOTE_TYPE_ED25519;
	memcpy(key.pub, v->pub, NOTE_KEY_LEN);
	key.key_id = note_key_id(key.name, key.type, key.pub);
	note_checkpoint_clear(&cp);
	if (note_checkpoint_open(note, strlen(note), &key, NULL, 0, &cp, NULL) != ERR_OK) {
		e = problem(
		    v, "checkpoint of size %" PRIu64 ": the log's signature does not verify", size);
		goto out;
	}
	uint8_t root[HLEN];
	merkle_frontier_root(&v->fr, root);
	if (cp.size != size)
		e = problem(v, "checkpoint of size %" PRIu64 ": its note says size %" PRIu64, size,
		            cp.size);
	else if (!v->cp[v->cp_at].root_ok || memcmp(v->cp[v->cp_at].root, cp.root, HLEN) != 0)
		e = problem(v,
		            "checkpoint of size %" PRIu64 ": its root column differs from its note",
		            size);
	else if (memcmp(root, cp.root, HLEN) != 0)
		e = problem(v,
		            "checkpoint of size %" PRIu64
		            ": its root is not that of the log's first "
		            "%" PRIu64 " entries (the log was changed after it was signed)",
		            size, size);
	else
		e = verify_cosignatures(v, size, n.text);
	if (!e)
		v->res->checkpoints++;
out:
	note_checkpoint_clear(&cp);
	note_clear(&n);
	v->cp_at++;
	return e;
}

/* Checks the checkpoints of the tree's current size. */
static enum err verify_checkpoints_here(struct verify *v)
{
	enum err e = ERR_OK;
	while (!e && cp_next(v, &e) && v->cp[v->cp_at].size == v->fr.size)
		e = verify_checkpoint(v);
	return e;
}

static enum err verify_entries(struct verify *v)
{
	static const char sql[] = "SELECT idx, entry FROM tlog_entries WHERE idx >= ? "
	                          "ORDER BY idx LIMIT 1024";
	enum err e = verify_checkpoints_here(v);
	for (;;) {
		if (e)
			return e;
		struct store_stmt *st = store_prepare(v->c, sql);
		if (!st)
			return ERR_STORE;
		store_bind_int(st, 1, (int64_t)v->fr.size);
		enum store_step r = STORE_DONE;
		size_t rows = 0;
		while (!e && (r = store_step(st)) == STORE_ROW) {
			uint64_t idx = (uint64_t)store_col_int(st, 0);
			const char *text = store_col_text(st, 1);
			size_t len = text ? strlen(text) : 0;
			uint64_t want = v->fr.size;
			rows++;
			if (idx >= v->res->size) {
				if (want < v->res->size)
					e = problem(v, "entry %" PRIu64 " is missing", want);
				else
					e = problem(v,
					            "entry %" PRIu64
					            " is beyond the log's recorded size %" PRIu64,
					            idx, v->res->size);
				break;
			}
			if (idx != want) {
				e = problem(v, "entry %" PRIu64 " is missing", want);
				break;
			}
			if (!text || !tlog_entry_canonical(text, len)) {
				if (!(e = verify_flush(v)))
					e = problem(
					    v, "entry %" PRIu64 " is not a canonical log entry",
					    idx);
				break;
			}
			uint8_t leaf[HLEN];
			unsigned count;
			merkle_leaf_hash(text, len, leaf);
			if ((e = merkle_frontier_append(&v->fr, leaf, &v->phash[v->np], &count)))
				break;
			for (unsigned l = 0; l < count; l++)
				v->pkey[v->np + l] = tlog_node_key(l, idx >> l);
			v->np += count;
			v->res->entries++;
			if (v->np >= VERIFY_PENDING)
				e = verify_flush(v);
			if (!e)
				e = verify_checkpoints_here(v);
		}
		if (!e && r == STORE_ERROR)
			e = store_stmt_err(st);
		store_reset(st);
		if (e || rows < VERIFY_PAGE)
			break;
	}
	if (!e)
		e = verify_flush(v);
	if (!e && v->fr.size < v->res->size)
		e = v->res->size - v->fr.size == 1
		        ? problem(v, "entry %" PRIu64 " is missing", v->fr.size)
		        : problem(v,
		                  "entries %" PRIu64 " to %" PRIu64 " are missing (the log's "
		                  "recorded size is %" PRIu64 ")",
		                  v->fr.size, v->res->size - 1, v->res->size);
	return e;
}

enum err tlog_verify(struct store_conn *c, const uint8_t log_pub[NOTE_KEY_LEN],
                     struct tlog_verify_result *res)
{
	memset(res, 0, sizeof *res);
	struct verify *v = xcalloc(1, sizeof *v);
	v->c = c;
	v->pub = log_pub;
	v->res = res;
	v->f = tlog_fetch_new(NULL);
	v->cp_more = 1;
	merkle_frontier_init(&v->fr);
	enum err e = store_begin_read(c);
	if (e) {
		snprintf(res->problem, sizeof res->problem, "cannot read the database: %s",
		         store_conn_errmsg(c));
		goto out;
	}
	if (!(e = tlog_size(c, &res->size)) && !(e = verify_entries(v))) {
		enum err ce = ERR_OK;
		if (cp_next(v, &ce))
			e = problem(v,
			            "checkpoint of size %" PRIu64 " is beyond the log (%" PRIu64
			            " entries): entries were removed",
			            v->cp[v->cp_at].size, res->size);
		else
			e = ce;
	}
	if (!e) {
		/* No stored hash may be left over (from a truncated log). */
		static const char sql[] = "SELECT COUNT(*) FROM tlog_hashes";
		struct store_stmt *st = store_prepare(c, sql);
		if (!st) {
			e = ERR_STORE;
		} else {
			uint64_t want = 2 * res->size - (uint64_t)__builtin_popcountll(res->size);
			if (store_step(st) == STORE_ROW) {
				uint64_t have = (uint64_t)store_col_int(st, 0);
				if (have != want)
					e = problem(v,
					            "tlog_hashes holds %" PRIu64
					            " hashes where a log of %" PRIu64
					            " entries has %" PRIu64
					            " (hashes of removed entries?)",
					            have, res->size, want);
			} else {
				e = store_stmt_err(st);
			}
			store_reset(st);
		}
	}
	if (e && e != ERR_CRYPTO && !res->problem[0])
		snprintf(res->problem, sizeof res->problem, "cannot read the log: %s (%s)",
		         err_str(e), store_conn_errmsg(c));
	store_rollback(c);
out:
	cp_clear(v);
	free(v->f);
	free(v);
	return e;
}
