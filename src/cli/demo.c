/* consent demo: fills an empty database with realistic demo data, so that
 * every page has something true-to-life to show. Later features add their
 * own data here. The organisations' year of activity, and so the
 * accountability log's entries, are in demo_log.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/demo.h"
#include "cli/opinion_io.h"
#include "cli/keys.h"
#include "domain/account.h"
#include "domain/consultation.h"
#include "domain/engagement.h"
#include "domain/org.h"
#include "domain/survey.h"
#include "domain/workforce.h"
#include "domain/witness.h"
#include "tlog/tlog.h"

struct demo_area {
	const char *slug, *name, *kind, *parent;
};

static const struct demo_area areas[] = {
	{"leicestershire", "Leicestershire", "force_area", NULL},
	{"leicester", "Leicester", "district", "leicestershire"},
	{"charnwood", "Charnwood", "district", "leicestershire"},
	{"highfields", "Highfields", "neighbourhood", "leicester"},
	{"belgrave", "Belgrave", "neighbourhood", "leicester"},
	{"spinney-hills", "Spinney Hills", "neighbourhood", "leicester"},
	{"braunstone", "Braunstone", "neighbourhood", "leicester"},
	{"loughborough", "Loughborough", "neighbourhood", "charnwood"},
	{"antwerpen", "Antwerpen (politiezone)", "force_area", NULL},
	{"antwerpen-stad", "Antwerpen", "district", "antwerpen"},
	{"borgerhout", "Borgerhout", "neighbourhood", "antwerpen-stad"},
	{"deurne", "Deurne", "neighbourhood", "antwerpen-stad"},
	{"kiel", "Kiel", "neighbourhood", "antwerpen-stad"},
	{"antwerpen-noord", "Antwerpen-Noord", "neighbourhood", "antwerpen-stad"},
};

struct demo_org {
	const char *slug, *name, *kind, *description, *area1, *area2;
};

static const struct demo_org orgs[] = {
	{"leicestershire-police", "Leicestershire Police", "police",
	 "The police force for Leicester, Leicestershire and Rutland.", "leicestershire", NULL},
	{"politie-antwerpen", "Lokale Politie Antwerpen", "police",
	 "The local police of the Antwerp police zone.", "antwerpen", NULL},
	{"st-philips-centre", "St Philip's Centre", "community",
	 "An interfaith centre in Leicester: dialogue, training and community engagement.",
	 "leicester", NULL},
	{"highfields-faith-centre", "Highfields Faith Centre", "community",
	 "A faith centre serving families in Highfields and Spinney Hills.", "highfields",
	 "spinney-hills"},
	{"unity-reporting", "Unity Third-Party Reporting Centre", "community",
	 "A charity where people can report hate incidents without going to the police.",
	 "leicestershire", NULL},
	{"dialoog-antwerpen", "Huis van Dialoog Antwerpen", "community",
	 "An interfaith centre in Antwerp bringing faith communities and the city together.",
	 "antwerpen-stad", NULL},
	{"leicestershire-opcc", "Office of the Police and Crime Commissioner for Leicestershire",
	 "oversight", "Holds the chief constable to account for the people of Leicestershire.",
	 "leicestershire", NULL},
	{"comite-p", "Comité P", "oversight",
	 "The standing committee for the oversight of the police services in Belgium.",
	 "antwerpen", NULL},
};

struct demo_user {
	const char *email, *name, *role, *org;
};

static const struct demo_user users[] = {
	{"admin@consent.example", "Instance Administrator", "admin", NULL},
	{"resident@consent.example", "Amina Resident", "resident", NULL},
	{"member@consent.example", "Harjit Singh", "org_member", "highfields-faith-centre"},
	{"orgadmin@consent.example", "Ruth Adeyemi", "org_admin", "st-philips-centre"},
	{"officer@consent.example", "PC Daniel Hughes", "officer", "leicestershire-police"},
	{"supervisor@consent.example", "Inspector Priya Patel", "supervisor", "leicestershire-police"},
	{"overseer@consent.example", "Samuel Okoro", "overseer", "leicestershire-opcc"},
	{"agent@consent.example", "Inspecteur Youssef El Amrani", "officer", "politie-antwerpen"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A real Polis conversation for the finished demo consultation, read
 * relative to the working directory (the repository's root). */
#define DEMO_LONDON "../shared/data/polis/conversations/london.youth.policing"

static int fail(const char *what, enum err e, const struct errinfo *ei)
{
	fprintf(stderr, "consent demo: %s: %s %s\n", what, ei->field, ei->msg[0] ? ei->msg : err_str(e));
	return 1;
}

/* With the key file: signs a checkpoint of the demo's log, and each
 * oversight body's overseer cosigns it with their witness key, as they
 * would through POST /api/v1/log/cosign. Without one, says so (the server
 * signs the first checkpoint). Returns the exit status. */
static int demo_checkpoint(struct store_conn *c, const struct flag *flags,
			   struct demo_witness w[DEMO_WITNESSES])
{
	int missing = 0;
	struct tlog *t = cli_open_tlog("demo", args_get(flags, "keys"), args_get(flags, "db"),
				       args_get(flags, "origin"), &missing);
	if (!t) {
		if (missing)
			printf("no key file yet: the server signs the log's first checkpoint\n");
		return missing ? 0 : 1;
	}
	char *note = NULL;
	uint64_t size = 0;
	enum err e = tlog_checkpoint(t, c, TLOG_SIGN_NOW, &note, &size);
	int cosigned = 0;
	for (int i = 0; i < DEMO_WITNESSES && !e; i++) {
		struct note n, mine;
		struct actor a;
		int64_t uid;
		char *text = NULL;
		json_t *out = NULL;
		struct errinfo ei = {{0}, {0}};
		note_init(&n);
		note_init(&mine);
		e = note_parse(&n, note, strlen(note));
		if (!e)
			e = note_set_text(&mine, n.text, n.text_len);
		if (!e)
			e = note_sign(&mine, &w[i].signer, (uint64_t)clock_now());
		if (!e)
			e = note_format(&mine, &text);
		if (!e)
			e = account_find(c, w[i].overseer, &uid);
		if (!e)
			e = account_actor_by_id(c, uid, &a);
		if (!e)
			e = witness_cosign(c, &a, text, strlen(text), &out, &ei);
		cosigned += !e;
		json_decref(out);
		free(text);
		note_clear(&n);
		note_clear(&mine);
	}
	free(note);
	tlog_free(t);
	if (e) {
		fprintf(stderr, "consent demo: signing the first checkpoint: %s\n", err_str(e));
		return 1;
	}
	printf("checkpoint of size %llu signed and cosigned by %d oversight witnesses "
	       "(GET /log/checkpoint)\n",
	       (unsigned long long)size, cosigned);
	return 0;
}

int cli_demo(int argc, char **argv)
{
	struct flag flags[] = {
		{"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
		{"if-empty", 0, NULL, "do nothing (and succeed) if the database already has data", NULL},
		{"keys", 1, "CONSENT_KEYS", "key file: seals the reports' personal data and signs a first checkpoint (default: beside a SQLite file)", NULL},
		{"origin", 1, "CONSENT_LOG_ORIGIN", "checkpoint origin (default: <host name>/log)", NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	int rc = args_parse("demo",
			    "Fills an empty database with demo data: areas in Leicester and Antwerp,\n"
			    "their police forces, community organisations, oversight bodies and one\n"
			    "account per role, whose generated passwords are printed once; then a\n"
			    "year of the organisations' activity (staff joining, acting up, rotas,\n"
			    "updates), recorded in the accountability log, and the oversight bodies'\n"
			    "witness keys; reports of every category and consent level, filed\n"
			    "directly and through community organisations, with staff handling them\n"
			    "(also logged). Needs the key file (consent init makes it); signs a\n"
			    "checkpoint that both witnesses cosign.",
			    argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	struct store *s = cli_open_store("demo", args_get(flags, "db"), 1);
	if (!s)
		return 1;
	struct store_conn *c = store_conn(s, NULL, 0);
	int64_t have = account_count(c);
	if (have != 0) {
		store_close(s);
		if (args_get(flags, "if-empty"))
			return 0;
		fprintf(stderr, "consent demo: the database is not empty (%lld accounts); demo data goes only into an empty one\n", (long long)have);
		return 1;
	}
	/* The master key seals the demo reports' personal data. */
	char kerr[512];
	struct keys keys;
	const char *dsn = args_get(flags, "db");
	char *kp = keys_path(args_get(flags, "keys"), dsn ? dsn : DEFAULT_DSN, kerr, sizeof kerr);
	enum err ke = kp ? keys_load(kp, &keys, kerr, sizeof kerr) : ERR_NOTFOUND;
	free(kp);
	if (ke) {
		store_close(s);
		fprintf(stderr, "consent demo: %s (run consent init with the same --keys first)\n",
			kerr);
		return 1;
	}
	struct errinfo ei = {{0}, {0}};
	enum err e = store_begin(c);
	if (e) {
		memset(&keys, 0, sizeof keys);
		store_close(s);
		fprintf(stderr, "consent demo: cannot start a transaction\n");
		return 1;
	}
	char passwords[N(users)][CRYPTO_TOKEN_CHARS + 1];
	for (size_t i = 0; i < N(areas) && !e; i++)
		if ((e = area_create(c, areas[i].slug, areas[i].name, areas[i].kind, areas[i].parent,
				     NULL, &ei)))
			rc = fail(areas[i].slug, e, &ei);
	for (size_t i = 0; i < N(orgs) && !e; i++) {
		json_t *a = orgs[i].area2 ? json_pack("[s,s]", orgs[i].area1, orgs[i].area2)
					  : json_pack("[s]", orgs[i].area1);
		e = org_create(c, orgs[i].slug, orgs[i].name, orgs[i].kind, orgs[i].description, a,
			       NULL, &ei);
		json_decref(a);
		if (e)
			rc = fail(orgs[i].slug, e, &ei);
	}
	/* The admin (users[0]) grants the other accounts their roles. */
	struct actor admin;
	memset(&admin, 0, sizeof admin);
	for (size_t i = 0; i < N(users) && !e; i++) {
		int64_t id, org_id;
		crypto_token_new(passwords[i]);
		passwords[i][16] = '\0'; /* 96 bits of randomness */
		e = account_create(c, users[i].email, passwords[i], users[i].name,
				   !strcmp(users[i].role, "admin"), &id, &ei);
		if (!e && i == 0)
			e = account_actor_by_id(c, id, &admin);
		if (!e && users[i].org) {
			e = org_find(c, users[i].org, &org_id, NULL);
			if (!e)
				e = member_add(c, &admin, org_id, users[i].email, users[i].role, &ei);
		}
		if (e)
			rc = fail(users[i].email, e, &ei);
	}
	if (!e && (e = workforce_demo(c, &ei)))
		rc = fail("population and workforce", e, &ei);
	if (!e && (e = survey_demo(c, &ei)))
		rc = fail("surveys", e, &ei);
	struct demo_witness w[DEMO_WITNESSES];
	memset(w, 0, sizeof w);
	long activity = e ? -1 : demo_activity(c, w);
	if (!e && activity < 0)
		e = ERR_INTERNAL, rc = 1;
	struct engagement_counts eng = {0, 0, 0};
	if (!e && (e = engagement_demo(c, &eng, &ei)))
		rc = fail("engagement", e, &ei);
	/* Consultations: an open one and, when its export is at hand, a
	 * finished Polis conversation. */
	struct polis_data london;
	polis_data_init(&london);
	int have_london = 0;
	if (!e) {
		struct buf msg;
		buf_init(&msg);
		have_london = opinion_io_load(DEMO_LONDON, &london, &msg) == ERR_OK;
		if (!have_london)
			fprintf(stderr, "consent demo: note: %s not found; the finished demo "
					"consultation is left out\n", DEMO_LONDON);
		buf_clear(&msg);
		if ((e = consult_demo(c, have_london ? &london : NULL, &ei)))
			rc = fail("consultations", e, &ei);
	}
	polis_data_clear(&london);
	long nreports = e ? -1 : demo_reports(c, keys.master);
	memset(&keys, 0, sizeof keys);
	if (!e && nreports < 0)
		e = ERR_INTERNAL, rc = 1;
	if (!e && (e = store_commit(c)))
		rc = fail("commit", e, &ei);
	if (e) {
		store_rollback(c);
		store_close(s);
		for (int i = 0; i < DEMO_WITNESSES; i++)
			note_signer_clear(&w[i].signer);
		return rc ? rc : 1;
	}
	uint64_t log_size = 0;
	tlog_size(c, &log_size);
	printf("demo data created: %zu areas, %zu organisations, %zu accounts with passwords "
	       "shown below and %lld staff accounts\n",
	       N(areas), N(orgs), N(users), (long long)(account_count(c) - (int64_t)N(users)));
	printf("reports: %ld, of every category and consent level, with staff reading and "
	       "handling them within consent\n",
	       nreports);
	printf("accountability log: %llu entries (memberships granted, acting-up, rotas, "
	       "updates, witness keys, commitments, recommendations, report handling)\n",
	       (unsigned long long)log_size);
	printf("engagement: %d meetings, %d commitments, %d recommendations\n", eng.meetings,
	       eng.commitments, eng.recommendations);
	rc = demo_checkpoint(c, &flags[0], w);
	store_close(s);
	printf("and: survey waves with responses, population and workforce figures (all labelled "
	       "demo), %d consultations\n",
	       have_london ? 2 : 1);
	printf("accounts (these passwords are shown only now):\n");
	for (size_t i = 0; i < N(users); i++)
		printf("  %-28s %-11s %s\n", users[i].email, users[i].role, passwords[i]);
	printf("witness keys of the oversight bodies (their overseers cosign checkpoints with "
	       "them; shown only now):\n");
	for (int i = 0; i < DEMO_WITNESSES; i++) {
		char *k = note_signer_format(&w[i].signer);
		printf("  %-28s %s\n", w[i].org, k);
		free(k); /* printed anyway */
		note_signer_clear(&w[i].signer);
	}
	return rc;
}
