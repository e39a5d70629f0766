/* demo_log.c - the demo's year of organisational activity (see demo.h). */
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "cli/demo.h"
#include "domain/account.h"
#include "domain/org.h"
#include "domain/witness.h"
#include "tlog/tlog.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The staff of the organisations, beyond the demo's one account per role.
 * join_week 0: members from the start; otherwise they join that week. */
struct demo_staff {
	const char *email, *name, *org, *role;
	int join_week;
};

static const struct demo_staff staff[] = {
    {"f.adebayo@leics.police.example", "Sergeant Femi Adebayo", "leicestershire-police",
     "supervisor", 0},
    {"a.mistry@leics.police.example", "PC Aisha Mistry", "leicestershire-police", "officer", 0},
    {"t.whitfield@leics.police.example", "PC Tom Whitfield", "leicestershire-police", "officer", 0},
    {"g.sandhu@leics.police.example", "PC Gurpreet Sandhu", "leicestershire-police", "officer", 0},
    {"h.doyle@leics.police.example", "PC Hannah Doyle", "leicestershire-police", "officer", 0},
    {"i.chaudhry@leics.police.example", "PC Imran Chaudhry", "leicestershire-police", "officer", 0},
    {"k.mills@leics.police.example", "PCSO Kerry Mills", "leicestershire-police", "officer", 0},
    {"o.price@leics.police.example", "PC Owen Price", "leicestershire-police", "officer", 10},
    {"l.haddad@leics.police.example", "PC Leila Haddad", "leicestershire-police", "officer", 30},
    {"sarah.peeters@politie.example", "Hoofdinspecteur Sarah Peeters", "politie-antwerpen",
     "supervisor", 0},
    {"lotte.janssens@politie.example", "Inspecteur Lotte Janssens", "politie-antwerpen", "officer",
     0},
    {"mehmet.yilmaz@politie.example", "Inspecteur Mehmet Yilmaz", "politie-antwerpen", "officer",
     0},
    {"jonas.desmet@politie.example", "Inspecteur Jonas De Smet", "politie-antwerpen", "officer", 0},
    {"nadia.benali@politie.example", "Inspecteur Nadia Benali", "politie-antwerpen", "officer", 0},
    {"bram.willems@politie.example", "Inspecteur Bram Willems", "politie-antwerpen", "officer", 20},
    {"farida.begum@highfields.example", "Farida Begum", "highfields-faith-centre", "org_admin", 0},
    {"pritpal.kaur@highfields.example", "Pritpal Kaur", "highfields-faith-centre", "org_member", 0},
    {"yusuf.patel@highfields.example", "Yusuf Patel", "highfields-faith-centre", "org_member", 0},
    {"mary.obrien@stphilips.example", "Mary O'Brien", "st-philips-centre", "org_member", 0},
    {"daniel.cohen@stphilips.example", "Daniel Cohen", "st-philips-centre", "org_member", 0},
    {"grace.mensah@unity.example", "Grace Mensah", "unity-reporting", "org_admin", 0},
    {"bilal.hussain@unity.example", "Bilal Hussain", "unity-reporting", "org_member", 0},
    {"zofia.nowak@unity.example", "Zofia Nowak", "unity-reporting", "org_member", 0},
    {"sunita.rao@unity.example", "Sunita Rao", "unity-reporting", "org_member", 40},
    {"els.vermeulen@dialoog.example", "Els Vermeulen", "dialoog-antwerpen", "org_admin", 0},
    {"karim.elidrissi@dialoog.example", "Karim El Idrissi", "dialoog-antwerpen", "org_member", 0},
    {"ruth.goldberg@dialoog.example", "Ruth Goldberg", "dialoog-antwerpen", "org_member", 0},
    {"helen.marsh@opcc.example", "Helen Marsh", "leicestershire-opcc", "overseer", 0},
    {"pieter.claes@comitep.example", "Pieter Claes", "comite-p", "overseer", 0},
};

/* Who manages the members of each organisation, and who covers for whom:
 * in a police force an officer acts up as supervisor for two weeks every
 * `every` weeks; in a community organisation the duty coordinator (made
 * org_admin) changes every `every` weeks. */
struct demo_rota {
	const char *org, *manager, *acting_role, *base_role;
	int every;
	const char *people[6];
};

static const struct demo_rota rotas[] = {
    {"leicestershire-police",
     "supervisor@consent.example",
     "supervisor",
     "officer",
     3,
     {"a.mistry@leics.police.example", "t.whitfield@leics.police.example",
      "g.sandhu@leics.police.example", "h.doyle@leics.police.example",
      "i.chaudhry@leics.police.example", NULL}},
    {"politie-antwerpen",
     "sarah.peeters@politie.example",
     "supervisor",
     "officer",
     4,
     {"lotte.janssens@politie.example", "mehmet.yilmaz@politie.example",
      "jonas.desmet@politie.example", "nadia.benali@politie.example", NULL}},
    {"st-philips-centre",
     "orgadmin@consent.example",
     "org_admin",
     "org_member",
     4,
     {"mary.obrien@stphilips.example", "daniel.cohen@stphilips.example", NULL}},
    {"highfields-faith-centre",
     "farida.begum@highfields.example",
     "org_admin",
     "org_member",
     4,
     {"pritpal.kaur@highfields.example", "yusuf.patel@highfields.example", "member@consent.example",
      NULL}},
    {"unity-reporting",
     "grace.mensah@unity.example",
     "org_admin",
     "org_member",
     4,
     {"bilal.hussain@unity.example", "zofia.nowak@unity.example", NULL}},
    {"dialoog-antwerpen",
     "els.vermeulen@dialoog.example",
     "org_admin",
     "org_member",
     4,
     {"karim.elidrissi@dialoog.example", "ruth.goldberg@dialoog.example", NULL}},
};

/* Changes of an organisation's details, by whom, in which week. */
struct demo_update {
	int week;
	const char *org, *by, *description, *area1, *area2;
};

static const struct demo_update updates[] = {
    {13, "highfields-faith-centre", "farida.begum@highfields.example",
     "A faith centre serving families in Highfields, Spinney Hills and Belgrave.", "highfields",
     "belgrave"},
    {17, "dialoog-antwerpen", "els.vermeulen@dialoog.example",
     "An interfaith centre in Antwerp bringing faith communities, schools and the city "
     "together.",
     NULL, NULL},
    {26, "leicestershire-police", "supervisor@consent.example",
     "The police force for Leicester, Leicestershire and Rutland. Report hate crime online, "
     "by phone or through a third-party reporting centre.",
     NULL, NULL},
    {31, "unity-reporting", "grace.mensah@unity.example",
     "A charity where people can report hate incidents without going to the police, in "
     "English, Gujarati, Punjabi, Polish and Somali.",
     NULL, NULL},
    {39, "st-philips-centre", "orgadmin@consent.example",
     "An interfaith centre in Leicester: dialogue, training, community engagement and a "
     "third-party hate crime reporting point.",
     NULL, NULL},
    {44, "comite-p", "admin@consent.example",
     "The standing committee for the oversight of the police services in Belgium, "
     "accountable to the federal parliament.",
     NULL, NULL},
    {48, "leicestershire-opcc", "admin@consent.example",
     "Holds the chief constable to account for the people of Leicestershire and Rutland.", NULL,
     NULL},
};

/* Who leaves, when. */
static const struct {
	int week;
	const char *email, *org, *by;
} leavers[] = {
    {26, "k.mills@leics.police.example", "leicestershire-police", "supervisor@consent.example"},
    {45, "o.price@leics.police.example", "leicestershire-police", "supervisor@consent.example"},
};

static const char *const witness_orgs[DEMO_WITNESSES][2] = {
    {"leicestershire-opcc", "overseer@consent.example"},
    {"comite-p", "pieter.claes@comitep.example"},
};

struct demo_ctx {
	struct store_conn *c;
	long entries; /* log entries made */
	struct errinfo ei;
};

static int demo_fail(struct demo_ctx *d, const char *what, enum err e)
{
	fprintf(stderr, "consent demo: %s: %s %s\n", what, d->ei.field,
	        d->ei.msg[0] ? d->ei.msg : err_str(e));
	return -1;
}

/* The actor of an email, as a session would load it. */
static int demo_actor(struct demo_ctx *d, const char *email, struct actor *a)
{
	int64_t id;
	enum err e = account_find(d->c, email, &id);
	if (!e)
		e = account_actor_by_id(d->c, id, a);
	return e ? demo_fail(d, email, e) : 0;
}

static int demo_ids(struct demo_ctx *d, const char *org, const char *email, int64_t *org_id,
                    int64_t *user_id)
{
	enum err e = org_find(d->c, org, org_id, NULL);
	if (!e && user_id)
		e = account_find(d->c, email, user_id);
	return e ? demo_fail(d, email ? email : org, e) : 0;
}

/* by adds email to org with role. */
static int demo_add(struct demo_ctx *d, const char *by, const char *org, const char *email,
                    const char *role)
{
	struct actor a;
	int64_t org_id;
	if (demo_actor(d, by, &a) || demo_ids(d, org, NULL, &org_id, NULL))
		return -1;
	enum err e = member_add(d->c, &a, org_id, email, role, &d->ei);
	if (e)
		return demo_fail(d, email, e);
	d->entries++;
	return 0;
}

static int demo_role(struct demo_ctx *d, const char *by, const char *org, const char *email,
                     const char *role)
{
	struct actor a;
	int64_t org_id, uid;
	if (demo_actor(d, by, &a) || demo_ids(d, org, email, &org_id, &uid))
		return -1;
	enum err e = member_update(d->c, &a, org_id, uid, role, &d->ei);
	if (e)
		return demo_fail(d, email, e);
	d->entries++;
	return 0;
}

static int demo_remove(struct demo_ctx *d, const char *by, const char *org, const char *email)
{
	struct actor a;
	int64_t org_id, uid;
	if (demo_actor(d, by, &a) || demo_ids(d, org, email, &org_id, &uid))
		return -1;
	enum err e = member_remove(d->c, &a, org_id, uid, &d->ei);
	if (e)
		return demo_fail(d, email, e);
	d->entries++;
	return 0;
}

/* One week of the rota r: at the start of each period, the previous
 * person steps back and the next one takes the role (police: for two
 * weeks only). */
static int demo_rota_week(struct demo_ctx *d, const struct demo_rota *r, int week)
{
	size_t n = 0;
	while (n < N(r->people) && r->people[n])
		n++;
	int period = week / r->every, phase = week % r->every;
	const char *cur = r->people[(size_t)period % n];
	const char *prev = period ? r->people[(size_t)(period - 1) % n] : NULL;
	int police = !strcmp(r->base_role, "officer");
	if (phase == 0) {
		if (prev && !police && demo_role(d, r->manager, r->org, prev, r->base_role))
			return -1;
		return demo_role(d, r->manager, r->org, cur, r->acting_role);
	}
	if (police && phase == 2)
		return demo_role(d, r->manager, r->org, cur, r->base_role);
	return 0;
}

static int demo_update_org(struct demo_ctx *d, const struct demo_update *u)
{
	struct actor a;
	if (demo_actor(d, u->by, &a))
		return -1;
	json_t *areas = u->area2   ? json_pack("[s,s]", u->area1, u->area2)
	                : u->area1 ? json_pack("[s]", u->area1)
	                           : NULL;
	enum err e = org_update(d->c, &a, u->org, NULL, u->description, areas, &d->ei);
	json_decref(areas);
	if (e)
		return demo_fail(d, u->org, e);
	d->entries++;
	return 0;
}

static int demo_witnesses(struct demo_ctx *d, struct demo_witness w[DEMO_WITNESSES])
{
	struct actor admin;
	if (demo_actor(d, "admin@consent.example", &admin))
		return -1;
	for (int i = 0; i < DEMO_WITNESSES; i++) {
		char name[96];
		snprintf(name, sizeof name, "witness.%s.example", witness_orgs[i][0]);
		w[i].org = witness_orgs[i][0];
		w[i].overseer = witness_orgs[i][1];
		if (note_signer_generate(&w[i].signer, name, NOTE_TYPE_COSIG) != ERR_OK)
			return demo_fail(d, name, ERR_INTERNAL);
		struct note_verifier v;
		note_signer_verifier(&w[i].signer, &v);
		char *vkey = note_verifier_format(&v);
		json_t *out = NULL;
		enum err e = witness_add(d->c, &admin, w[i].org, vkey, &out, &d->ei);
		free(vkey);
		json_decref(out);
		if (e)
			return demo_fail(d, name, e);
		d->entries++;
	}
	return 0;
}

long demo_activity(struct store_conn *c, struct demo_witness w[DEMO_WITNESSES])
{
	struct demo_ctx d = {c, 0, {{0}, {0}}};
	/* The staff's accounts; their passwords are not shown (they would
	 * reset them), so their sign-in is not part of the demo. */
	for (size_t i = 0; i < N(staff); i++) {
		char pw[CRYPTO_TOKEN_CHARS + 1];
		int64_t id;
		crypto_token_new(pw);
		enum err e = account_create(c, staff[i].email, pw, staff[i].name, 0, &id, &d.ei);
		if (e)
			return demo_fail(&d, staff[i].email, e);
	}
	if (demo_witnesses(&d, w))
		return -1;
	for (int week = 0; week < 52; week++) {
		/* Joiners are added by whoever manages their organisation (the
		 * admin for the first members and for oversight bodies). */
		for (size_t i = 0; i < N(staff); i++) {
			if (staff[i].join_week != week)
				continue;
			const char *by = "admin@consent.example";
			for (size_t k = 0; week && k < N(rotas); k++)
				if (!strcmp(rotas[k].org, staff[i].org))
					by = rotas[k].manager;
			if (demo_add(&d, by, staff[i].org, staff[i].email, staff[i].role))
				return -1;
		}
		for (size_t k = 0; k < N(rotas); k++)
			if (week > 0 && demo_rota_week(&d, &rotas[k], week))
				return -1;
		for (size_t k = 0; k < N(updates); k++)
			if (updates[k].week == week && demo_update_org(&d, &updates[k]))
				return -1;
		for (size_t k = 0; k < N(leavers); k++)
			if (leavers[k].week == week &&
			    demo_remove(&d, leavers[k].by, leavers[k].org, leavers[k].email))
				return -1;
	}
	/* Everyone ends the year in their usual role. */
	for (size_t k = 0; k < N(rotas); k++) {
		const struct demo_rota *r = &rotas[k];
		for (size_t i = 0; i < N(r->people) && r->people[i]; i++) {
			int64_t org_id, uid;
			if (demo_ids(&d, r->org, r->people[i], &org_id, &uid))
				return -1;
			json_t *list = NULL;
			if (member_list(c, org_id, &list))
				return demo_fail(&d, r->org, ERR_STORE);
			size_t j;
			json_t *m;
			int acting = 0;
			json_array_foreach(list, j, m)
			{
				if (json_integer_value(json_object_get(m, "user_id")) == uid &&
				    !strcmp(json_string_value(json_object_get(m, "role")),
				            r->acting_role))
					acting = 1;
			}
			json_decref(list);
			if (acting && demo_role(&d, r->manager, r->org, r->people[i], r->base_role))
				return -1;
		}
	}
	return d.entries;
}
