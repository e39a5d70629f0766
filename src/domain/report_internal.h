/* report_internal.h - what the report files of domain/ (report.c,
 * reportstaff.c, reportpublic.c, audit.c) share; not for api/ or web/. */
#ifndef CONSENT_DOMAIN_REPORT_INTERNAL_H
#define CONSENT_DOMAIN_REPORT_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/report.h"
#include "domain/vault.h"

#define REPORT_REF_LEN (8 + REPORT_ID_CHARS) /* "report:" + id + NUL */

/* One report as stored. content and identity are sealed (owned). */
struct report_row {
	int64_t id;
	char public_id[REPORT_ID_CHARS + 1];
	int64_t category_id, area_id;
	int64_t police_org, via_org; /* 0 when none */
	enum consent_level consent;
	enum report_status status;
	char source[16];
	int64_t occurred_at, created_at, updated_at;
	int64_t erased_at;                  /* 0 unless erased */
	int has_key;                        /* 0 once erased */
	uint8_t wrapped[VAULT_WRAPPED_LEN]; /* the wrapped data key */
	uint8_t *content, *identity;        /* sealed parts, NULL if none */
	size_t content_len, identity_len;
	int has_position;
	double lat_approx, long_approx;
	int is_public; /* its category is public */
};

/* The label in lang of the three label columns (en, fr, nl) from column i. */
const char *report_label(struct store_stmt *st, int i, const char *lang);

/* "report:<public id>": the vault reference and log object of a report. */
void report_ref(const char *public_id, char ref[REPORT_REF_LEN]);
/* Lower-case hex SHA-256 of a receipt token. */
void report_receipt_hash(const char *token, char hex[2 * CRYPTO_SHA256_LEN + 1]);

/* Loads a report by public id or receipt token. ERR_NOTFOUND. Clear the
 * row with report_row_clear. */
enum err report_row_by_id(struct store_conn *c, const char *public_id, struct report_row *r);
enum err report_row_by_receipt(struct store_conn *c, const char *token, struct report_row *r);
void report_row_clear(struct report_row *r);

/* The non-personal facts of a report, labels in lang: id, category,
 * strands, area, police, via, consent, status, source, times, erased,
 * public updates. Caller owns *out. */
enum err report_facts_json(struct store_conn *c, const struct report_row *r, const char *lang,
                           json_t **out);

/* Adds the personal parts opened with the data key dk to o: "description",
 * "location", "messages" and, if with_identity, "reporter". */
enum err report_personal_json(struct store_conn *c, const struct report_row *r,
                              const uint8_t dk[CRYPTO_KEY_LEN], int with_identity, json_t *o);

/* Adds a message (sealed with dk) from sender "reporter" or "staff" (of
 * org_id). ERR_INVAL ("body"), ERR_LIMIT. */
enum err report_add_message(struct store_conn *c, const struct report_row *r,
                            const uint8_t dk[CRYPTO_KEY_LEN], const char *sender, int64_t org_id,
                            const char *body, struct errinfo *ei);

/* The JSON text of an identity part, or NULL when all three are empty.
 * Caller frees. */
char *report_identity_text(const char *name, const char *email, const char *phone);

/* Checks a reporter's name, email and phone (field names "reporter.*");
 * identified consent needs an email or a phone. */
enum err report_check_reporter(const char *name, const char *email, const char *phone,
                               int identified, struct errinfo *ei);

#endif
