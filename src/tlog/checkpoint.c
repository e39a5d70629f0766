/* checkpoint.c - the log's signer and its checkpoints (see tlog.h): the
 * latest one is cached, a new one is signed at most every second while the
 * log grows (or on demand), each stored once per size; witnesses'
 * cosignature lines are stored and served with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "tlog/internal.h"
#include "tlog/tlog.h"

#define HLEN MERKLE_HASH_LEN

enum err tlog_new(const uint8_t seed[NOTE_KEY_LEN], const char *origin, struct tlog **out)
{
	struct tlog *t = xcalloc(1, sizeof *t);
	enum err e = note_signer_from_seed(&t->signer, origin, NOTE_TYPE_ED25519, seed);
	if (e) {
		free(t);
		return e;
	}
	pthread_mutex_init(&t->lock, NULL);
	pthread_mutex_init(&t->cache_lock, NULL);
	t->cache = xcalloc((size_t)1 << TLOG_CACHE_BITS, sizeof *t->cache);
	*out = t;
	return ERR_OK;
}

void tlog_free(struct tlog *t)
{
	if (!t)
		return;
	note_signer_clear(&t->signer);
	pthread_mutex_destroy(&t->lock);
	pthread_mutex_destroy(&t->cache_lock);
	free(t->cache);
	free(t->cp_note);
	free(t);
}

char *tlog_default_origin(void)
{
	char host[256];
	if (gethostname(host, sizeof host) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	char *o = xasprintf("%s/log", host[0] ? host : "localhost");
	if (!note_name_valid(o, strlen(o))) {
		free(o);
		o = xstrdup("localhost/log");
	}
	return o;
}

const char *tlog_origin(const struct tlog *t)
{
	return t->signer.name;
}

char *tlog_vkey(const struct tlog *t)
{
	struct note_verifier v;
	note_signer_verifier(&t->signer, &v);
	return note_verifier_format(&v);
}

void tlog_public_key(const struct tlog *t, uint8_t pub[NOTE_KEY_LEN])
{
	memcpy(pub, t->signer.pub, NOTE_KEY_LEN);
}

/* The latest stored checkpoint: *size, *ms and *note (caller frees).
 * ERR_NOTFOUND if there is none. */
static enum err latest_checkpoint(struct store_conn *c, uint64_t *size, int64_t *ms, char **note)
{
	static const char sql[] = "SELECT size, created_at, note FROM tlog_checkpoints "
	                          "ORDER BY size DESC LIMIT 1";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	enum store_step r = store_step(st);
	enum err e = ERR_NOTFOUND;
	if (r == STORE_ROW && store_col_text(st, 2)) {
		*size = (uint64_t)store_col_int(st, 0);
		*ms = store_col_int(st, 1);
		*note = xstrdup(store_col_text(st, 2));
		e = ERR_OK;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}

enum err tlog_checkpoint_get(struct store_conn *c, uint64_t size, char **note)
{
	static const char sql[] = "SELECT note FROM tlog_checkpoints WHERE size = ?";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)size);
	enum store_step r = store_step(st);
	enum err e = ERR_NOTFOUND;
	if (r == STORE_ROW && store_col_text(st, 0)) {
		*note = xstrdup(store_col_text(st, 0));
		e = ERR_OK;
	} else if (r == STORE_ERROR) {
		e = store_stmt_err(st);
	}
	store_reset(st);
	return e;
}

/* Signs and stores the checkpoint of the current tree of `size` entries;
 * if another process stored one of that size first, that one is used.
 * Sets the cache (t->lock held). */
static enum err sign_checkpoint(struct tlog *t, struct store_conn *c, uint64_t size)
{
	uint8_t root[HLEN];
	char *text = NULL, *signed_note = NULL;
	struct note n;
	note_init(&n);
	enum err e = tlog_root(c, t, size, root);
	if (!e)
		e = note_checkpoint_format(t->signer.name, size, root, NULL, &text);
	if (!e)
		e = note_set_text(&n, text, strlen(text));
	if (!e)
		e = note_sign(&n, &t->signer, 0);
	if (!e)
		e = note_format(&n, &signed_note);
	note_clear(&n);
	free(text);
	if (e)
		return e;
	static const char sql[] = "INSERT INTO tlog_checkpoints (size, root, created_at, note) "
	                          "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		free(signed_note);
		return ERR_STORE;
	}
	int64_t now = clock_now_ms();
	store_bind_int(st, 1, (int64_t)size);
	store_bind_blob(st, 2, root, HLEN);
	store_bind_int(st, 3, now);
	store_bind_text(st, 4, signed_note);
	if ((e = tlog_run_done(st))) {
		free(signed_note);
		return e;
	}
	if (store_changes(c) == 0) {
		/* Someone else signed this size first: theirs is the one. */
		free(signed_note);
		signed_note = NULL;
		if ((e = tlog_checkpoint_get(c, size, &signed_note)))
			return e;
	}
	free(t->cp_note);
	t->cp_note = signed_note;
	t->cp_size = size;
	t->cp_ms = now;
	t->have_cp = 1;
	return ERR_OK;
}

/* Appends the cosignature lines of the checkpoint of `size` to b. */
static enum err add_cosignatures(struct store_conn *c, uint64_t size, struct buf *b)
{
	static const char sql[] = "SELECT line FROM tlog_cosignatures WHERE size = ? "
	                          "ORDER BY witness_id";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)size);
	enum store_step r;
	int n = 0;
	while ((r = store_step(st)) == STORE_ROW)
		if (store_col_text(st, 0) && ++n < NOTE_MAX_SIGS)
			buf_puts(b, store_col_text(st, 0));
	enum err e = r == STORE_ERROR ? store_stmt_err(st) : ERR_OK;
	store_reset(st);
	return e;
}

enum err tlog_checkpoint(struct tlog *t, struct store_conn *c, unsigned flags, char **note,
                         uint64_t *sizep)
{
	uint64_t size;
	/* The size is read under the lock: read before it, it could be
	 * older than a checkpoint another thread has just signed. */
	pthread_mutex_lock(&t->lock);
	enum err e = tlog_size(c, &size);
	if (e) {
		pthread_mutex_unlock(&t->lock);
		return e;
	}
	if (t->have_cp && t->cp_size > size)
		tlog_cache_clear(t); /* the database changed under us (restored?) */
	if (!t->have_cp || t->cp_size > size) {
		/* First use, or the database changed under us: ask it. */
		char *stored = NULL;
		uint64_t s = 0;
		int64_t ms = 0;
		e = latest_checkpoint(c, &s, &ms, &stored);
		if (e == ERR_OK) {
			free(t->cp_note);
			t->cp_note = stored;
			t->cp_size = s;
			t->cp_ms = ms;
			t->have_cp = 1;
		} else if (e == ERR_NOTFOUND) {
			t->have_cp = 0;
			e = ERR_OK;
		}
	}
	if (!e && t->have_cp && t->cp_size > size)
		e = ERR_INTERNAL; /* a checkpoint covers entries the log no longer has */
	if (!e && (!t->have_cp || (t->cp_size != size && ((flags & TLOG_SIGN_NOW) ||
	                                                  clock_now_ms() - t->cp_ms >= 1000)))) {
		e = sign_checkpoint(t, c, size);
		/* The database is busy (a long write): the last one will do,
		 * unless a new one was asked for. */
		if (e == ERR_UNAVAIL && t->have_cp && !(flags & TLOG_SIGN_NOW))
			e = ERR_OK;
	}
	struct buf b;
	buf_init(&b);
	uint64_t cp_size = t->cp_size;
	if (!e)
		buf_puts(&b, t->cp_note);
	pthread_mutex_unlock(&t->lock);
	if (!e)
		e = add_cosignatures(c, cp_size, &b);
	if (e) {
		buf_clear(&b);
		return e;
	}
	*note = buf_take(&b);
	if (sizep)
		*sizep = cp_size;
	return ERR_OK;
}

enum err tlog_cosignature_add(struct store_conn *c, uint64_t size, int64_t witness_id,
                              const char *line, int *added)
{
	static const char sql[] =
	    "INSERT INTO tlog_cosignatures (size, witness_id, line, created_at) "
	    "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
	struct store_stmt *st = store_prepare(c, sql);
	if (!st)
		return ERR_STORE;
	store_bind_int(st, 1, (int64_t)size);
	store_bind_int(st, 2, witness_id);
	store_bind_text(st, 3, line);
	store_bind_int(st, 4, clock_now_ms());
	enum err e = tlog_run_done(st);
	if (!e && added)
		*added = store_changes(c) > 0;
	return e;
}
