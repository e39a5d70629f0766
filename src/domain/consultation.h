/* consultation.h - consultations: a question put to an area by one
 * organisation (or two together), open between two dates, where
 * participants vote agree / disagree / pass on short statements and add
 * their own (Polis-style deliberation). Votes, the next statement and the
 * group-commit writer are in consult_vote.h; the math, import and export
 * in consult_math.h.
 *
 * Statements and participants are numbered per consultation from 0 (Polis'
 * tid and pid). Participants are pseudonymous: a browser token (a cookie,
 * random) of which only a hash is stored, or a signed-in account. Their
 * optional community description is only ever published in aggregates with
 * counts below CONSULT_SUPPRESS_BELOW suppressed.
 *
 * Authorization is the caller's (policy.c), except that organisation-scoped
 * actions must be checked against the organisers: consult_allows(). Times
 * are UTC seconds, except statement and vote times (milliseconds, as
 * Polis). */
#ifndef CONSENT_DOMAIN_CONSULTATION_H
#define CONSENT_DOMAIN_CONSULTATION_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/actor.h"
#include "domain/policy.h"
#include "store/store.h"

#define CONSULT_STATEMENT_MAX   280 /* default statement length limit, characters */
#define CONSULT_QUESTION_MAX    300 /* characters */
#define CONSULT_COMMUNITY_MAX   60  /* characters of a community description */
#define CONSULT_REASON_MAX      500 /* characters of a moderation reason */
#define CONSULT_SUPPRESS_BELOW  5   /* counts 1..4 are never published */
#define CONSULT_MAX_ORGS        2   /* organisers */
#define CONSULT_MAX_SEED        200 /* seed statements at creation */
#define CONSULT_MAX_COMMUNITIES 50  /* suggested community names */

/* What consult_create needs. Strings are borrowed. */
struct consult_new {
	const char *question;               /* required */
	const char *description;            /* may be NULL */
	const char *area;                   /* area slug; required unless allow_no_area */
	const char *orgs[CONSULT_MAX_ORGS]; /* organiser slugs; orgs[0] required */
	int64_t opens_at, closes_at;        /* UTC seconds, closes_at > opens_at */
	const char *moderation;             /* "strict" (default when NULL) or "permissive" */
	int64_t statement_max;              /* characters; 0 for CONSULT_STATEMENT_MAX */
	json_t *seed;        /* array of statement texts (accepted at once), or NULL */
	json_t *communities; /* array of suggested community names, or NULL */
	int polis;           /* 1: an imported Polis conversation (source "polis") */
	int allow_no_area;   /* imports: the area may be NULL */
};

/* Changes to a consultation; NULL / 0 keep the current value. */
struct consult_change {
	const char *question;
	const char *description;
	int64_t opens_at, closes_at;
	const char *moderation;
	int64_t statement_max;
	json_t *communities;
};

/* Who takes part: a browser token (from the participant cookie) and/or a
 * signed-in account. The account wins when both are given. */
struct consult_who {
	const char *token; /* CRYPTO_TOKEN_CHARS characters, or NULL */
	int64_t user_id;   /* 0 if not signed in */
};

/* Creates a consultation with its organisers and seed statements, in one
 * transaction (a savepoint inside the caller's). created_by may be 0.
 * ERR_INVAL names the field ("question", "area", "orgs", "opens_at",
 * "closes_at", "moderation", "statement_max", "seed", "communities"). */
enum err consult_create(struct store_conn *c, const struct consult_new *n, int64_t created_by,
                        int64_t *id, struct errinfo *ei);
/* Applies ch to consultation id. ERR_NOTFOUND, ERR_INVAL naming the field. */
enum err consult_update(struct store_conn *c, int64_t id, const struct consult_change *ch,
                        struct errinfo *ei);
/* The public view of a consultation: {"id","question","description",
 * "area":{slug,name}|null,"orgs":[{slug,name,kind}],"opens_at","closes_at"
 * (RFC 3339),"status" ("upcoming","open","closed"),"moderation",
 * "statement_max","communities":[...],"source","statements","participants",
 * "votes"} (the counts: visible statements, participants who voted,
 * votes). Caller owns *out. ERR_NOTFOUND. */
enum err consult_get(struct store_conn *c, int64_t id, json_t **out);
/* The dates (UTC seconds), statement length limit and moderation mode
 * (*strict 1 or 0) of consultation id; max and strict may be NULL.
 * ERR_NOTFOUND. */
enum err consult_dates(struct store_conn *c, int64_t id, int64_t *opens, int64_t *closes,
                       int64_t *max, int *strict);
/* Every consultation, newest first, as consult_get without the counts. */
enum err consult_list(struct store_conn *c, json_t **out);
/* Parses a consultation id ("12"); 0 if s is not one. */
int64_t consult_id_parse(const char *s);
/* The organising organisations of id (at most CONSULT_MAX_ORGS ids). */
enum err consult_organisers(struct store_conn *c, int64_t id, int64_t orgs[CONSULT_MAX_ORGS],
                            int *n);
/* 1 if actor may perform action a on consultation id: the policy allows it
 * in one of the organising organisations (or anywhere). */
int consult_allows(struct store_conn *c, const struct actor *actor, enum action a, int64_t id);
/* 1 if the policy allows action a in one of the organisations orgs[0..n). */
int consult_allows_orgs(const struct actor *actor, enum action a, const int64_t *orgs, int n);

/* The participant of who in consultation id: *pid, or ERR_NOTFOUND. */
enum err consult_participant_find(struct store_conn *c, int64_t id, const struct consult_who *who,
                                  int64_t *pid);
/* The participant of who, created if new (its own transaction, a savepoint
 * inside the caller's). ERR_INVAL (field "participant") if who is empty. */
enum err consult_participant_join(struct store_conn *c, int64_t id, const struct consult_who *who,
                                  int64_t *pid, struct errinfo *ei);
/* Sets (or, with NULL or "", clears) the participant's own description of
 * their community: trimmed, at most CONSULT_COMMUNITY_MAX characters. */
enum err consult_set_community(struct store_conn *c, int64_t id, int64_t pid, const char *community,
                               struct errinfo *ei);
/* What a participant sees of their own part: {"community","votes",
 * "statements":[{"tid","text","status","reason"}]} (status "pending",
 * "accepted" or "rejected"; reason null or the moderator's words). */
enum err consult_me(struct store_conn *c, int64_t id, int64_t pid, json_t **out);

/* Adds a statement. A seed statement (pid < 0, by the organisers) is
 * accepted at once and may be added before the consultation opens; a
 * participant's needs the consultation open and waits for moderation
 * (strict: hidden until accepted; permissive: shown unless rejected). The
 * text is trimmed, inner white space collapsed; 1 to statement_max
 * characters; an identical statement is ERR_CONFLICT. ERR_INVAL names
 * "text"; a closed consultation is ERR_CONFLICT. */
enum err consult_statement_add(struct store_conn *c, int64_t id, int64_t pid, const char *text,
                               int64_t *tid, struct errinfo *ei);
/* The statements: visible ones (what participants may vote on) as
 * [{"tid","text","seed"}], or with all set every statement with
 * "status","reason","meta","author" (participant number or null),
 * "agree","disagree","pass" (the moderators' view). */
enum err consult_statements(struct store_conn *c, int64_t id, int all, json_t **out);
/* Moderates statements tids[0..n) at once: action "accept", "reject" (a
 * reason is then required) or "meta" (accepted, but about the conversation
 * itself: kept out of the math). reason (may be NULL) is shown to the
 * authors. One transaction: an unknown tid changes nothing (ERR_INVAL,
 * field "statements"). */
enum err consult_moderate(struct store_conn *c, int64_t id, const int64_t *tids, size_t n,
                          const char *action, const char *reason, int64_t user_id,
                          struct errinfo *ei);

/* Adds the demo consultations inside the caller's transaction: an open one
 * in Highfields with seed statements and, if london is not NULL, the
 * finished London youth policing conversation (a Polis export, see
 * consult_math.h: consult_import), with its math. */
struct polis_data;
enum err consult_demo(struct store_conn *c, const struct polis_data *london, struct errinfo *ei);

/* Helpers shared by the consult_*.c files. */
/* Runs st to completion and resets it; returns its error. */
enum err consult_run(struct store_stmt *st);
/* Adds 1 to the version of consultation id (the math is then stale). */
enum err consult_bump(struct store_conn *c, int64_t id);
/* The status of a consultation at time now: "upcoming", "open", "closed". */
const char *consult_status(int64_t opens_at, int64_t closes_at, int64_t now);
/* Number of UTF-8 characters of s. */
size_t consult_chars(const char *s);
/* The stored form of a participant's browser token in consultation id: the
 * hex SHA-256 of "token:id" (out[65]), so one browser cannot be followed
 * across consultations from the database alone. */
void consult_token_hash(const char *token, int64_t id, char out[65]);

#endif
