/* demo.h - the parts of consent demo in other files. */
#ifndef CONSENT_CLI_DEMO_H
#define CONSENT_CLI_DEMO_H

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

#endif
