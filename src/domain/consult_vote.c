/* consult_vote.c - checking and writing votes, the next statement, and the
 * group-commit writer thread. */
#include "domain/consult_vote.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "domain/consult_math.h"
#include "opinion/consensus.h"

enum err consult_vote_check(struct store_conn *c, int64_t id, const struct consult_who *who,
                            int64_t tid, int64_t vote, struct consult_vote *v, int *need_join,
                            struct errinfo *ei)
{
	/* One query: the consultation, the statement and the participant. */
	static const char by_token[] =
	    "SELECT c.opens_at, c.closes_at, c.moderation, s.mod, p.pid, s.tid "
	    "FROM consultations c LEFT JOIN consult_statements s ON s.consultation_id = c.id "
	    "AND s.tid = ? LEFT JOIN consult_participants p ON p.token_hash = ? AND "
	    "p.consultation_id = c.id WHERE c.id = ?";
	static const char by_user[] =
	    "SELECT c.opens_at, c.closes_at, c.moderation, s.mod, p.pid, s.tid "
	    "FROM consultations c LEFT JOIN consult_statements s ON s.consultation_id = c.id "
	    "AND s.tid = ? LEFT JOIN consult_participants p ON p.consultation_id = c.id AND "
	    "p.user_id = ? WHERE c.id = ?";
	*need_join = 0;
	if (vote < -1 || vote > 1)
		return err_set(ei, ERR_INVAL, "vote",
		               "must be 1 (agree), -1 (disagree) or 0 (pass)");
	if (tid < 0 || tid > INT32_MAX)
		return err_set(ei, ERR_INVAL, "statement",
		               "is not a statement of this consultation");
	struct store_stmt *st;
	char hash[65];
	if (who->user_id) {
		if (!(st = store_prepare(c, by_user)))
			return err_set(ei, ERR_STORE, "", "database error");
		store_bind_int(st, 2, who->user_id);
	} else {
		if (!(st = store_prepare(c, by_token)))
			return err_set(ei, ERR_STORE, "", "database error");
		if (who->token) {
			consult_token_hash(who->token, id, hash);
			store_bind_text(st, 2, hash);
		} else {
			store_bind_null(st, 2);
		}
	}
	store_bind_int(st, 1, tid);
	store_bind_int(st, 3, id);
	enum store_step r = store_step(st);
	enum err e = ERR_OK;
	if (r == STORE_DONE) {
		e = err_set(ei, ERR_NOTFOUND, "", "no such consultation");
	} else if (r != STORE_ROW) {
		e = err_set(ei, store_stmt_err(st), "", "database error");
	} else {
		int64_t now = clock_now();
		int strict = !strcmp(store_col_text(st, 2), "strict");
		if (now < store_col_int(st, 0))
			e = err_set(ei, ERR_CONFLICT, "", "the consultation is not open yet");
		else if (now >= store_col_int(st, 1))
			e = err_set(ei, ERR_CONFLICT, "", "the consultation is closed");
		else if (store_col_isnull(st, 5))
			e = err_set(ei, ERR_INVAL, "statement",
			            "is not a statement of this consultation");
		else if (store_col_int(st, 3) < 0 || (strict && store_col_int(st, 3) == 0))
			e = err_set(ei, ERR_INVAL, "statement", "is not open for votes");
		if (!e) {
			*need_join = store_col_isnull(st, 4);
			v->consultation = id;
			v->pid = *need_join ? -1 : store_col_int(st, 4);
			v->tid = tid;
			v->vote = (int)vote;
			v->at_ms = clock_now_ms();
		}
	}
	store_reset(st);
	return e;
}

#define CONSULT_V1  "(?, ?, ?, ?, ?)"
#define CONSULT_V4  CONSULT_V1 ", " CONSULT_V1 ", " CONSULT_V1 ", " CONSULT_V1
#define CONSULT_V16 CONSULT_V4 ", " CONSULT_V4 ", " CONSULT_V4 ", " CONSULT_V4
#define CONSULT_V64 CONSULT_V16 ", " CONSULT_V16 ", " CONSULT_V16 ", " CONSULT_V16
#define CONSULT_UPSERT(values)                                                                     \
	"INSERT INTO consult_votes (consultation_id, pid, tid, vote, voted_at) VALUES " values     \
	" ON CONFLICT (consultation_id, pid, tid) DO UPDATE SET vote = excluded.vote, "            \
	"voted_at = excluded.voted_at"

/* A vote's cell and its place in the batch, for sorting. */
struct consult_cell {
	int64_t cid, pid, tid;
	size_t i;
};

/* Orders votes by cell, later ones (higher index) last. */
static int consult_cmp_cell(const void *a, const void *b)
{
	const struct consult_cell *x = a, *y = b;
	if (x->cid != y->cid)
		return x->cid < y->cid ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

enum err consult_votes_write(struct store_conn *c, const struct consult_vote *v, size_t n)
{
	if (!n)
		return ERR_OK;
	/* One row per cell (PostgreSQL refuses to update a row twice in one
	 * statement): keep the last vote of each. */
	struct consult_cell *cell = xmalloc(n * sizeof *cell);
	for (size_t i = 0; i < n; i++)
		cell[i] = (struct consult_cell){v[i].consultation, v[i].pid, v[i].tid, i};
	qsort(cell, n, sizeof *cell, consult_cmp_cell);
	size_t *idx = xmalloc(n * sizeof *idx), k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && cell[i].cid == cell[i + 1].cid && cell[i].pid == cell[i + 1].pid &&
		    cell[i].tid == cell[i + 1].tid)
			continue;
		idx[k++] = cell[i].i;
	}
	free(cell);
	static const char up1[] = CONSULT_UPSERT(CONSULT_V1);
	static const char up16[] = CONSULT_UPSERT(CONSULT_V16);
	static const char up64[] = CONSULT_UPSERT(CONSULT_V64);
	static const char bump[] = "UPDATE consultations SET version = version + 1 WHERE id = ?";
	enum err e = ERR_OK;
	size_t i = 0;
	while (!e && i < k) {
		size_t rows = k - i >= 64 ? 64 : k - i >= 16 ? 16 : 1;
		struct store_stmt *st = store_prepare(c, rows == 64   ? up64
		                                         : rows == 16 ? up16
		                                                      : up1);
		if (!st) {
			e = ERR_STORE;
			break;
		}
		for (size_t r = 0; r < rows; r++) {
			const struct consult_vote *x = &v[idx[i + r]];
			int b = (int)r * 5;
			store_bind_int(st, b + 1, x->consultation);
			store_bind_int(st, b + 2, x->pid);
			store_bind_int(st, b + 3, x->tid);
			store_bind_int(st, b + 4, x->vote);
			store_bind_int(st, b + 5, x->at_ms);
		}
		e = consult_run(st);
		i += rows;
	}
	/* idx is in consultation order: one version bump per consultation. */
	for (size_t j = 0; !e && j < k; j++) {
		int64_t cid = v[idx[j]].consultation;
		if (j && v[idx[j - 1]].consultation == cid)
			continue;
		struct store_stmt *st = store_prepare(c, bump);
		if (!st) {
			e = ERR_STORE;
			break;
		}
		store_bind_int(st, 1, cid);
		e = consult_run(st);
	}
	free(idx);
	return e;
}

/* A uniform double in [0, 1). */
static double consult_uniform(void)
{
	uint64_t x;
	crypto_random(&x, sizeof x);
	return (double)(x >> 11) / 9007199254740992.0;
}

enum err consult_next(struct store_conn *c, int64_t id, int64_t pid, json_t **out)
{
	static const char sql[] =
	    "SELECT s.tid, s.text, s.is_meta FROM consult_statements s JOIN consultations c ON "
	    "c.id = s.consultation_id WHERE s.consultation_id = ? AND (s.mod = 1 OR "
	    "(s.mod = 0 AND c.moderation = 'permissive')) AND NOT EXISTS (SELECT 1 FROM "
	    "consult_votes v WHERE v.consultation_id = s.consultation_id AND v.pid = ? AND "
	    "v.tid = s.tid) ORDER BY s.tid LIMIT 1000";
	*out = NULL;
	json_t *prio = NULL;
	enum err e = consult_priorities(c, id, &prio);
	if (e)
		return e;
	struct store_stmt *st = store_prepare(c, sql);
	if (!st) {
		json_decref(prio);
		return ERR_STORE;
	}
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, pid);
	size_t n = 0, cap = 64;
	int64_t *tids = xmalloc(cap * sizeof *tids);
	double *w = xmalloc(cap * sizeof *w);
	char **texts = xmalloc(cap * sizeof *texts);
	double total = 0;
	size_t np = json_array_size(prio), j = 0;
	enum store_step r;
	while ((r = store_step(st)) == STORE_ROW) {
		if (n == cap) {
			cap *= 2;
			tids = xreallocarray(tids, cap, sizeof *tids);
			w = xreallocarray(w, cap, sizeof *w);
			texts = xreallocarray(texts, cap, sizeof *texts);
		}
		tids[n] = store_col_int(st, 0);
		texts[n] = xstrdup(store_col_text(st, 1));
		/* Priorities are in tid order, like the rows: merge. A
		 * statement without one (no votes yet) gets the priority the
		 * formula gives a statement nobody has seen. */
		while (j < np &&
		       json_integer_value(json_array_get(json_array_get(prio, j), 0)) < tids[n])
			j++;
		json_t *pair = json_array_get(prio, j);
		if (j < np && json_integer_value(json_array_get(pair, 0)) == tids[n])
			w[n] = json_real_value(json_array_get(pair, 1));
		else
			w[n] = consensus_priority((int)store_col_int(st, 2), 0, 0, 0, 0);
		if (!(w[n] > 0))
			w[n] = 1e-9;
		total += w[n];
		n++;
	}
	e = r == STORE_DONE ? ERR_OK : store_stmt_err(st);
	store_reset(st);
	json_decref(prio);
	if (!e && n) {
		double x = consult_uniform() * total;
		size_t pick = n - 1;
		for (size_t i = 0; i < n; i++) {
			if (x < w[i]) {
				pick = i;
				break;
			}
			x -= w[i];
		}
		*out = json_pack("{s:I, s:s, s:I}", "tid", (json_int_t)tids[pick], "text",
		                 texts[pick], "remaining", (json_int_t)n);
	}
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(tids);
	free(w);
	return e;
}

/* --- the group-commit writer --------------------------------------------- */

struct consult_job {
	struct consult_vote v;
	consult_done_fn done;
	void *ctx;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running;  /* the thread exists */
	int stopping; /* no new submissions */
	struct consult_job *q;
	size_t n, cap;
	unsigned max_batch;
	struct store *store;
} consult_writer = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* Writes jobs[0..n) in one transaction; on a busy database tries again. */
static enum err consult_write_batch(struct store_conn *c, struct consult_vote *v, size_t n)
{
	enum err e = ERR_UNAVAIL;
	for (int attempt = 0; attempt < 5 && e == ERR_UNAVAIL; attempt++) {
		if (attempt)
			nanosleep(&(struct timespec){.tv_nsec = 20000000L * attempt}, NULL);
		if ((e = store_begin(c)))
			continue;
		e = consult_votes_write(c, v, n);
		if (e) {
			store_rollback(c);
			continue;
		}
		e = store_commit(c);
	}
	return e;
}

static void consult_writer_run(struct consult_job *jobs, size_t n)
{
	struct store_conn *c = store_conn(consult_writer.store, NULL, 0);
	struct consult_vote *v = xmalloc(n * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = jobs[i].v;
	enum err e = c ? consult_write_batch(c, v, n) : ERR_UNAVAIL;
	if (e && e != ERR_UNAVAIL && n > 1) {
		/* Something in the batch is wrong (a participant deleted
		 * meanwhile...): write each vote alone so the others stand. */
		for (size_t i = 0; i < n; i++) {
			enum err ei = consult_write_batch(c, &v[i], 1);
			jobs[i].done(jobs[i].ctx, ei);
		}
	} else {
		for (size_t i = 0; i < n; i++)
			jobs[i].done(jobs[i].ctx, e);
	}
	if (e != ERR_UNAVAIL) {
		int64_t last = 0;
		for (size_t i = 0; i < n; i++)
			if (v[i].consultation != last)
				consult_math_notify(last = v[i].consultation);
	}
	if (e)
		log_warn("vote writer: a batch of %zu votes failed: %s", n, err_str(e));
	free(v);
}

static void *consult_writer_main(void *arg)
{
	(void)arg;
	size_t cap = 0;
	struct consult_job *batch = NULL;
	pthread_mutex_lock(&consult_writer.mu);
	for (;;) {
		while (!consult_writer.n && !consult_writer.stopping)
			pthread_cond_wait(&consult_writer.cv, &consult_writer.mu);
		if (!consult_writer.n)
			break; /* stopping and drained */
		size_t n = consult_writer.n < consult_writer.max_batch ? consult_writer.n
		                                                       : consult_writer.max_batch;
		if (n > cap) {
			cap = n;
			batch = xreallocarray(batch, cap, sizeof *batch);
		}
		memcpy(batch, consult_writer.q, n * sizeof *batch);
		memmove(consult_writer.q, consult_writer.q + n,
		        (consult_writer.n - n) * sizeof *batch);
		consult_writer.n -= n;
		pthread_mutex_unlock(&consult_writer.mu);
		consult_writer_run(batch, n);
		pthread_mutex_lock(&consult_writer.mu);
	}
	pthread_mutex_unlock(&consult_writer.mu);
	free(batch);
	store_conn_release(consult_writer.store);
	return NULL;
}

enum err consult_writer_start(struct store *s, unsigned max_batch)
{
	pthread_mutex_lock(&consult_writer.mu);
	if (consult_writer.running) {
		pthread_mutex_unlock(&consult_writer.mu);
		return ERR_OK;
	}
	consult_writer.store = s;
	consult_writer.max_batch = max_batch ? max_batch : 4096;
	consult_writer.stopping = 0;
	int rc = pthread_create(&consult_writer.thread, NULL, consult_writer_main, NULL);
	consult_writer.running = rc == 0;
	pthread_mutex_unlock(&consult_writer.mu);
	return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

void consult_writer_stop(void)
{
	pthread_mutex_lock(&consult_writer.mu);
	if (!consult_writer.running) {
		pthread_mutex_unlock(&consult_writer.mu);
		return;
	}
	consult_writer.stopping = 1;
	pthread_cond_broadcast(&consult_writer.cv);
	pthread_mutex_unlock(&consult_writer.mu);
	pthread_join(consult_writer.thread, NULL);
	pthread_mutex_lock(&consult_writer.mu);
	consult_writer.running = 0;
	free(consult_writer.q);
	consult_writer.q = NULL;
	consult_writer.n = consult_writer.cap = 0;
	pthread_mutex_unlock(&consult_writer.mu);
}

enum err consult_writer_submit(const struct consult_vote *v, consult_done_fn done, void *ctx)
{
	pthread_mutex_lock(&consult_writer.mu);
	if (!consult_writer.running || consult_writer.stopping) {
		pthread_mutex_unlock(&consult_writer.mu);
		return ERR_UNAVAIL;
	}
	if (consult_writer.n == consult_writer.cap) {
		consult_writer.cap = consult_writer.cap ? consult_writer.cap * 2 : 1024;
		consult_writer.q =
		    xreallocarray(consult_writer.q, consult_writer.cap, sizeof *consult_writer.q);
	}
	consult_writer.q[consult_writer.n++] = (struct consult_job){*v, done, ctx};
	pthread_cond_signal(&consult_writer.cv);
	pthread_mutex_unlock(&consult_writer.mu);
	return ERR_OK;
}

/* A caller waiting for its vote (consult_vote_write). */
struct consult_wait {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	enum err e;
};

static void consult_wait_done(void *ctx, enum err e)
{
	struct consult_wait *w = ctx;
	pthread_mutex_lock(&w->mu);
	w->e = e;
	w->done = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

enum err consult_vote_write(struct store_conn *c, const struct consult_vote *v)
{
	struct consult_wait w = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
	if (consult_writer_submit(v, consult_wait_done, &w) == ERR_OK) {
		pthread_mutex_lock(&w.mu);
		while (!w.done)
			pthread_cond_wait(&w.cv, &w.mu);
		pthread_mutex_unlock(&w.mu);
		pthread_mutex_destroy(&w.mu);
		pthread_cond_destroy(&w.cv);
		return w.e;
	}
	enum err e = store_begin(c);
	if (e)
		return e;
	if ((e = consult_votes_write(c, v, 1))) {
		store_rollback(c);
		return e;
	}
	if ((e = store_commit(c)) == ERR_OK)
		consult_math_notify(v->consultation);
	return e;
}
