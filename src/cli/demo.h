/* demo.h - the parts of consent demo in other files. */
#ifndef CONSENT_CLI_DEMO_H
#define CONSENT_CLI_DEMO_H

#include <stdint.h>

#include "store/store.h"
#include "tlog/note.h"

/* The oversight bodies' witness keys the demo registers: the overseer of
 * org (an email) can cosign checkpoints with signer. */
struct demo_witness {
	const char *org;
	const char *overseer;
	struct note_signer signer;
};

#define DEMO_WITNESSES 2

/* A year of the organisations' life, done for real through domain/ inside
 * the demo's transaction: the staff of each organisation (accounts with
 * passwords nobody is shown) join; officers act up as supervisors to
 * cover and step back; community organisations rotate their duty
 * coordinator; people join and leave; organisations update their details;
 * the oversight bodies' witness keys are registered (w receives them).
 * Every change is recorded in the accountability log by the account that
 * made it, as the API would: a few hundred true entries. The accounts of
 * the demo's roles must exist (admin@, supervisor@, orgadmin@, overseer@
 * consent.example). Returns the number of log entries added, or -1 after
 * printing what failed. */
long demo_activity(struct store_conn *c, struct demo_witness w[DEMO_WITNESSES]);

/* The demo's reports, inside the demo's transaction, after
 * demo_activity: every category and consent level, in Leicester and
 * Antwerp, filed directly and by community organisations, their personal
 * data sealed under master (the key file's master key); then staff reading
 * them within consent, moving them through the workflow and writing to the
 * reporters, a supervisor's override, reporters answering, changing their
 * consent and erasing a report - all logged as the API would. Returns the
 * number of reports, or -1 after printing what failed. */
long demo_reports(struct store_conn *c, const uint8_t master[32]);

#endif
