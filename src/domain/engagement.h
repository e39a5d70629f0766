/* engagement.h - demo data for meetings, commitments and recommendations,
 * made for real through domain/meeting.c, commitment.c and
 * recommendation.c by the demo's accounts (so authorization, validation
 * and the accountability log all apply). */
#ifndef CONSENT_DOMAIN_ENGAGEMENT_H
#define CONSENT_DOMAIN_ENGAGEMENT_H

#include "base/err.h"
#include "store/store.h"

/* What engagement_demo made. */
struct engagement_counts {
	int meetings, commitments, recommendations;
};

/* Adds a year of meetings in Leicester and Antwerp (past ones with
 * attendance and minutes, one cancelled, one private; upcoming ones, some
 * taking registrations), commitments in every status, and recommendations
 * (one on diversity within the police), inside the caller's transaction.
 * Needs the demo's areas, organisations and accounts (consent demo). On
 * failure ei says what failed; the caller rolls back. */
enum err engagement_demo(struct store_conn *c, struct engagement_counts *n, struct errinfo *ei);

#endif
