/* matrix.h - the vote matrix: participants x statements, stored as sparse
 * rows (compressed sparse rows), never dense.
 *
 * Sign convention: values use Polis' math/database convention, agree = -1,
 * disagree = +1, pass = 0 (specs/polis-math.md §0). Exports and fixtures use
 * agree = +1; their readers negate on input.
 *
 * Rows are participants in order of their first vote (by time, then input
 * order); columns are statements in ascending id order. A later vote on the
 * same (participant, statement) replaces an earlier one: the last vote wins.
 * Moderated-out and meta statements stay in the matrix as columns; the
 * per-column flags tell the math to treat them as Polis does (zeroed for
 * everyone in the rating matrix). Memory is O(votes). */
#ifndef CONSENT_OPINION_MATRIX_H
#define CONSENT_OPINION_MATRIX_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "opinion/idmap.h"

/* One vote event as read from an export or the database. */
struct matrix_vote {
	int64_t time; /* milliseconds since the epoch, 0 if unknown */
	int32_t pid;  /* participant id */
	int32_t tid;  /* statement id */
	int8_t vote;  /* agree = -1, disagree = +1, pass = 0 */
};

struct matrix {
	size_t nrows;
	size_t ncols;
	size_t nnz;            /* cells holding a vote */
	int32_t *pids;         /* row -> participant id */
	int32_t *tids;         /* column -> statement id, ascending */
	size_t *rowptr;        /* nrows + 1 offsets into cols and vals */
	uint32_t *cols;        /* column of each cell, ascending within a row */
	int8_t *vals;          /* last vote of each cell */
	uint32_t *hist_row;    /* nnz: cells in order of their first vote ... */
	uint32_t *hist_col;    /* ... (row, column), for replaying in-conv */
	unsigned char *modout; /* per column: 1 if moderated out (mod = -1) or meta */
	unsigned char *meta;   /* per column: 1 if a meta statement */
	size_t nmodout;        /* columns with modout set */
	struct idmap rowmap;   /* participant id -> row */
	struct idmap colmap;   /* statement id -> column */
};

/* Builds m from n vote events (in any order; `time` orders them, ties keep
 * input order). m is caller-owned; free it with matrix_clear. Returns
 * ERR_INVAL if a vote is not -1, 0 or 1 (*bad = its index, if bad is not
 * NULL), ERR_LIMIT beyond 2^32 - 2 events. */
enum err matrix_build(struct matrix *m, const struct matrix_vote *v, size_t n, size_t *bad);
/* Sets the moderation flags: statements in modout (mod = -1) and meta are
 * moderated out; meta ones are also flagged meta. Ids without a column are
 * ignored. Replaces earlier flags. */
void matrix_set_moderation(struct matrix *m, const int32_t *modout, size_t nmodout,
                           const int32_t *meta, size_t nmeta);
/* Row of participant pid, or -1. */
long matrix_row(const struct matrix *m, int32_t pid);
/* Column of statement tid, or -1. */
long matrix_col(const struct matrix *m, int32_t tid);
/* Number of votes of row r (raw matrix, passes included). */
size_t matrix_row_votes(const struct matrix *m, size_t r);
/* Frees m's memory. */
void matrix_clear(struct matrix *m);

#endif
