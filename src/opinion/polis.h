/* polis.h - Polis' file formats: reading conversation exports (CSV, as in
 * compdemocracy/openData) and red-dwarf/API JSON dumps, writing the math
 * blob (math-pca2 JSON) and the export CSVs.
 *
 * Parsers work on in-memory text; the caller reads the files. Sign
 * convention: the files use agree = +1, the math agree = -1 (matrix.h), so
 * readers negate votes and writers negate them back. Errors are ERR_INVAL
 * with "FILE:LINE: problem" in msg. Pure. */
#ifndef CONSENT_OPINION_POLIS_H
#define CONSENT_OPINION_POLIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "opinion/matrix.h"
#include "opinion/opinion.h"

struct polis_comment {
	int32_t tid;
	int32_t author;  /* participant id of the author, -1 if unknown */
	int64_t created; /* milliseconds since the epoch, 0 if unknown */
	int mod;         /* -1 rejected, 0 unmoderated, 1 accepted */
	bool is_meta;
	char *text; /* owned; NULL if absent */
};

/* One conversation as read; caller-owned (polis_data_init/clear). */
struct polis_data {
	struct matrix_vote *votes; /* vote events in file order, Polis math sign */
	size_t nvotes;
	size_t capvotes;
	struct polis_comment *comments;
	size_t ncomments;
	size_t capcomments;
	bool timed; /* some vote carries a time */
};

/* Prepares an empty d. */
void polis_data_init(struct polis_data *d);
/* Frees d's votes and statements (with their texts). */
void polis_data_clear(struct polis_data *d);
/* Appends a vote event (vote in the files' sign, agree = +1: it is negated
 * here) to d. */
void polis_add_vote(struct polis_data *d, int64_t time, int32_t pid, int32_t tid, int vote);
/* Appends a statement; takes ownership of c->text. */
void polis_add_comment(struct polis_data *d, const struct polis_comment *c);
/* Parses all of s[0..n) as a decimal integer within [lo, hi] (a fraction
 * of zeros, as in "12.0", is accepted). Returns 0 or -1. */
int polis_parse_int(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out);

/* Appends the votes of an export votes.csv (timestamp, datetime,
 * comment-id, voter-id, vote; columns found by header name). `name` is the
 * file name used in messages. */
enum err polis_read_votes_csv(struct polis_data *d, const char *text, size_t len, const char *name,
                              struct buf *msg);
/* Appends the statements of an export comments.csv (comment-id required;
 * moderated, author-id, timestamp, comment-body and is-meta optional). */
enum err polis_read_comments_csv(struct polis_data *d, const char *text, size_t len,
                                 const char *name, struct buf *msg);
/* Appends the votes of an export participants-votes.csv (the final vote
 * matrix, one row per participant, one column per statement id); the
 * votes get no time. For exports without votes.csv. */
enum err polis_read_participants_votes_csv(struct polis_data *d, const char *text, size_t len,
                                           const char *name, struct buf *msg);
/* Appends the votes of a votes.json array ({participant_id|pid,
 * statement_id|tid, vote, modified}). */
enum err polis_read_votes_json(struct polis_data *d, const char *text, size_t len, const char *name,
                               struct buf *msg);
/* Appends the statements of a comments.json array ({statement_id|tid,
 * moderated|mod, is_meta, participant_id|pid, created, txt}). */
enum err polis_read_comments_json(struct polis_data *d, const char *text, size_t len,
                                  const char *name, struct buf *msg);
/* Reads base-clusters (and group-clusters, if present) of a Polis math
 * blob into g (caller frees with opinion_given_clear). */
enum err polis_read_clusters_json(struct opinion_given *g, const char *text, size_t len,
                                  const char *name, struct buf *msg);
/* The moderation state of d's statements for opinion_run; returns a new
 * array of d->ncomments entries (caller frees). */
struct opinion_statement *polis_statements(const struct polis_data *d);

/* Appends o as Polis' math blob (the math-pca2 object: agree = -1 sign,
 * Polis key names), one JSON object and a newline. */
void polis_write_math(struct buf *b, const struct opinion *o);
/* Appends votes.csv: every vote event of d, in time order. */
void polis_write_votes_csv(struct buf *b, const struct polis_data *d);
/* Appends comments.csv (with an is-meta column), by statement id. */
void polis_write_comments_csv(struct buf *b, const struct polis_data *d, const struct opinion *o);
/* Appends participants-votes.csv: one row per participant (by id) with
 * the group, counts and the final vote per statement not moderated out. */
void polis_write_participants_votes_csv(struct buf *b, const struct polis_data *d,
                                        const struct opinion *o);
/* Appends summary.csv (what is known without the database: voters,
 * voters-in-conv, commenters, comments, groups). */
void polis_write_summary_csv(struct buf *b, const struct polis_data *d, const struct opinion *o);

#endif
