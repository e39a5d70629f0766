/* demo_reports.c - the demo's reports (see demo.h): every category and
 * consent level, in Leicester and Antwerp, filed by residents directly and
 * by community organisations for them; then what staff and reporters did
 * with them, through domain/ as the API would (so every staff read, status
 * change, message, override and consent change is in the accountability
 * log). */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "cli/demo.h"
#include "domain/account.h"
#include "domain/org.h"
#include "domain/report.h"
#include "domain/vault.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DAY  86400

struct demo_report {
	const char *category, *strand1, *strand2, *area;
	const char *via; /* the organisation that took it, or NULL: filed directly */
	const char *consent;
	int days_ago; /* when it happened; filed a day later */
	const char *description;
	const char *address; /* or a position */
	double lat, lon;
	const char *name, *email, *phone;
};

static const struct demo_report reports[] = {
    {"hate_crime", "religion", NULL, "highfields", "highfields-faith-centre", "anonymous", 12,
     "A man pulled at my headscarf at the bus stop on Melbourne Road and shouted that I should "
     "go back where I came from. Two other people saw it.",
     "Bus stop, Melbourne Road", 0, 0, "Fatima Begum", "fatima.b@example.org", NULL},
    {"hate_incident", "race", NULL, "belgrave", NULL, "identified", 30,
     "Stickers with racist slogans have appeared on the lamp posts along Belgrave Road, near "
     "the temple. They come back every time we peel them off.",
     "Belgrave Road", 0, 0, "Raj Mehta", "raj.mehta@example.org", "0116 496 0012"},
    {"hate_crime", "sexual_orientation", NULL, "spinney-hills", "unity-reporting", "statistics", 45,
     "Two men followed my partner and me out of Spinney Hills Park shouting homophobic abuse, "
     "and one threw a bottle that hit my arm.",
     NULL, 52.6338, -1.1089, "Chris Allen", "c.allen@example.org", NULL},
    {"hate_incident", "disability", NULL, "braunstone", NULL, "anonymous", 8,
     "Children from the next street mock my son's wheelchair and block the ramp to our door "
     "every afternoon after school.",
     NULL, 0, 0, "Lorraine Hayes", NULL, "07700 900456"},
    {"hate_crime", "transgender", "sex_gender", "leicester", "unity-reporting", "identified", 20,
     "I was punched outside a bar on Friday night after the bouncer and two customers kept "
     "misgendering me. I have photos of the injury.",
     "Church Gate", 0, 0, "Alex Morgan", "alex.morgan@example.org", "07700 900789"},
    {"hate_crime", "religion", "race", "leicester", "st-philips-centre", "anonymous", 60,
     "Someone left a pig's head at the entrance of the mosque early on Sunday morning. The "
     "committee does not want names passed on.",
     "Mosque entrance, Sparkenhoe Street", 0, 0, NULL, NULL, NULL},
    {"anti_social_behaviour", NULL, NULL, "highfields", NULL, "anonymous", 15,
     "Motorbikes race across the playing field late at night, tearing up the grass where the "
     "children play.",
     NULL, 52.6312, -1.1141, NULL, NULL, NULL},
    {"anti_social_behaviour", NULL, NULL, "belgrave", NULL, "identified", 5,
     "Drug dealing from a parked car behind the community centre most evenings from about 9pm.",
     "Behind the Belgrave community centre", 0, 0, "Meena Shah", "meena.shah@example.org", NULL},
    {"anti_social_behaviour", NULL, NULL, "loughborough", NULL, "statistics", 70,
     "The underpass by the station is covered in new graffiti every week.", NULL, 52.7698, -1.2041,
     NULL, NULL, NULL},
    {"anti_social_behaviour", NULL, NULL, "spinney-hills", "highfields-faith-centre", "anonymous",
     3, "Fireworks are thrown at the bus shelter and at passers-by every evening this week.",
     "Bus shelter, St Saviour's Road", 0, 0, NULL, NULL, NULL},
    {"community_tension", NULL, NULL, "spinney-hills", "st-philips-centre", "anonymous", 10,
     "After the match, groups of young men from two communities faced each other on St "
     "Saviour's Road. People fear it will happen again after next week's game.",
     "St Saviour's Road", 0, 0, NULL, NULL, NULL},
    {"police_conduct", NULL, NULL, "highfields", "highfields-faith-centre", "identified", 25,
     "Officers stopped and searched my son twice in one week on his way to the mosque and "
     "would not tell him why.",
     NULL, 0, 0, "Yasmin Qureshi", "y.qureshi@example.org", "07700 900321"},
    {"other", NULL, NULL, "belgrave", NULL, "statistics", 40,
     "A new group hands out leaflets outside the school gates that worry the parents.", NULL, 0, 0,
     NULL, NULL, NULL},
    {"hate_crime", "religion", NULL, "borgerhout", "dialoog-antwerpen", "anonymous", 9,
     "Een vrouw spuwde naar mij en trok aan mijn hoofddoek aan de tramhalte op de "
     "Turnhoutsebaan.",
     "Tramhalte Turnhoutsebaan", 0, 0, "Samira El Khatib", "samira.ek@example.be", NULL},
    {"hate_incident", "race", NULL, "kiel", NULL, "identified", 18,
     "Op de speelplaats worden kinderen elke woensdag racistisch uitgescholden door een groep "
     "jongeren.",
     "Speelplein Kiel", 0, 0, "Jan Peeters", "jan.peeters@example.be", "0470 12 34 56"},
    {"anti_social_behaviour", NULL, NULL, "antwerpen-noord", NULL, "anonymous", 6,
     "Elk weekend luide samenscholingen en kapot glas op het plein.", NULL, 51.2291, 4.4195, NULL,
     NULL, NULL},
    {"anti_social_behaviour", NULL, NULL, "deurne", NULL, "identified", 2,
     "Auto's staan op het voetpad en blokkeren de schoolpoort.", "Schoolpoort, Deurne", 0, 0,
     "Lies Maes", "lies.maes@example.be", NULL},
    {"community_tension", NULL, NULL, "borgerhout", "dialoog-antwerpen", "statistics", 14,
     "Op sociale media gaan geruchten rond over een betoging voor de synagoge.", NULL, 0, 0, NULL,
     NULL, NULL},
    {"police_conduct", NULL, NULL, "antwerpen-noord", NULL, "anonymous", 35,
     "Tijdens een identiteitscontrole lachten de agenten met mijn accent.", NULL, 0, 0, NULL, NULL,
     NULL},
    {"hate_crime", "sexual_orientation", NULL, "antwerpen-stad", NULL, "anonymous", 50,
     "Aangevallen toen ik een café aan de Schelde verliet; ze riepen homofobe scheldwoorden.", NULL,
     51.2208, 4.3997, NULL, NULL, NULL},
    {"other", NULL, NULL, "kiel", "dialoog-antwerpen", "identified", 22,
     "Oudere buren durven 's avonds niet meer buiten te komen.", NULL, 0, 0, "Mia Claes", NULL,
     "03 123 45 67"},
};

/* Who filed for each organisation (a member of it). */
static const char *filer(const char *org)
{
	static const char *const by[][2] = {
	    {"highfields-faith-centre", "member@consent.example"},
	    {"st-philips-centre", "orgadmin@consent.example"},
	    {"unity-reporting", "grace.mensah@unity.example"},
	    {"dialoog-antwerpen", "els.vermeulen@dialoog.example"},
	};
	for (size_t i = 0; i < N(by); i++)
		if (!strcmp(by[i][0], org))
			return by[i][1];
	return NULL;
}

struct ctx {
	struct store_conn *c;
	uint8_t kek[CRYPTO_KEY_LEN];
	struct report_receipt rc[N(reports)];
	struct errinfo ei;
	long done; /* staff and reporter actions */
};

static int fail(struct ctx *x, const char *what, enum err e)
{
	fprintf(stderr, "consent demo: reports: %s: %s %s\n", what, x->ei.field,
	        x->ei.msg[0] ? x->ei.msg : err_str(e));
	return -1;
}

static int actor_of(struct ctx *x, const char *email, struct actor *a)
{
	int64_t id;
	enum err e = email ? account_find(x->c, email, &id) : ERR_NOTFOUND;
	if (!e)
		e = account_actor_by_id(x->c, id, a);
	return e ? fail(x, email ? email : "filer", e) : 0;
}

static int file_all(struct ctx *x)
{
	struct actor anyone, staff;
	memset(&anyone, 0, sizeof anyone);
	int64_t now = clock_now();
	for (size_t i = 0; i < N(reports); i++) {
		const struct demo_report *d = &reports[i];
		char when[32];
		clock_format_rfc3339(now - (int64_t)d->days_ago * DAY, when);
		struct report_input in = {0};
		in.category = d->category;
		in.strands = json_array();
		if (d->strand1)
			json_array_append_new(in.strands, json_string(d->strand1));
		if (d->strand2)
			json_array_append_new(in.strands, json_string(d->strand2));
		in.description = d->description;
		in.occurred_at = when;
		in.area = d->area;
		in.address = d->address;
		in.has_position = d->lat != 0;
		in.lat = d->lat;
		in.lon = d->lon;
		in.consent = d->consent;
		in.name = d->name;
		in.email = d->email;
		in.phone = d->phone;
		in.via = d->via;
		in.source = d->via ? "api" : "web";
		in.filed_at = now - (int64_t)(d->days_ago - 1) * DAY;
		if (d->via && actor_of(x, filer(d->via), &staff)) {
			json_decref(in.strands);
			return -1;
		}
		enum err e =
		    report_create(x->c, x->kek, d->via ? &staff : &anyone, &in, &x->rc[i], &x->ei);
		json_decref(in.strands);
		if (e)
			return fail(x, d->description, e);
	}
	return 0;
}

/* What staff and reporters did. i: the report (index in reports[]). */
enum step_kind { READ, STATUS, MESSAGE, OVERRIDE, REPLY, CONSENT, ERASE };

struct step {
	enum step_kind kind;
	size_t i;
	const char *by;   /* staff email; NULL for the reporter */
	const char *arg;  /* purpose, status, message, reason or consent */
	const char *note; /* public note of a status change; contact for consent */
};

static const struct step steps[] = {
    {READ, 0, "officer@consent.example", "triage", NULL},
    {STATUS, 0, "officer@consent.example", "acknowledged",
     "Thank you. An officer from the Highfields team is looking into this."},
    {MESSAGE, 0, "officer@consent.example",
     "Could you tell us roughly what time it was? There may be camera footage from the bus.", NULL},
    {REPLY, 0, NULL, "It was just after 5pm, the number 22 had just left.", NULL},
    {STATUS, 0, "officer@consent.example", "in_progress",
     "Footage requested from the bus operator."},
    {READ, 1, "supervisor@consent.example", "assigning the case", NULL},
    {STATUS, 1, "supervisor@consent.example", "in_progress", NULL},
    {STATUS, 1, "a.mistry@leics.police.example", "resolved",
     "The stickers were removed with the city council and patrols around the temple increased."},
    {READ, 2, "grace.mensah@unity.example", "follow-up call with the victim", NULL},
    {OVERRIDE, 2, "supervisor@consent.example",
     "Unity Reporting warned of a credible threat of a repeat attack at the same place; we need "
     "to contact the victim to keep them safe.",
     NULL},
    {CONSENT, 3, NULL, "identified", NULL},
    {READ, 3, "officer@consent.example", "safeguarding visit", NULL},
    {STATUS, 3, "officer@consent.example", "acknowledged", "A neighbourhood officer will visit."},
    {READ, 4, "bilal.hussain@unity.example", "preparing the referral", NULL},
    {READ, 4, "a.mistry@leics.police.example", "investigation", NULL},
    {MESSAGE, 4, "a.mistry@leics.police.example",
     "Thank you for the photos. Would you be willing to give a statement?", NULL},
    {REPLY, 4, NULL, "Yes, but I would like someone from Unity to be there.", NULL},
    {READ, 5, "f.adebayo@leics.police.example", "hate crime review", NULL},
    {STATUS, 5, "f.adebayo@leics.police.example", "in_progress",
     "Extra patrols at prayer times; forensic examination done."},
    {STATUS, 6, "officer@consent.example", "acknowledged", NULL},
    {STATUS, 6, "officer@consent.example", "closed",
     "Bollards fitted at the field entrance with the council; no more reports in a month."},
    {READ, 7, "officer@consent.example", "intelligence", NULL},
    {STATUS, 7, "officer@consent.example", "in_progress", "Shared with the neighbourhood team."},
    {READ, 9, "member@consent.example", "checking on the caller", NULL},
    {MESSAGE, 9, "member@consent.example", "We have passed this on. Are you safe at home?", NULL},
    {READ, 10, "orgadmin@consent.example", "preparing the community meeting", NULL},
    {STATUS, 10, "orgadmin@consent.example", "in_progress",
     "A meeting of both communities and the police is arranged at the centre."},
    {READ, 11, "supervisor@consent.example", "professional standards review", NULL},
    {STATUS, 11, "supervisor@consent.example", "acknowledged",
     "Referred to the professional standards department."},
    {ERASE, 12, NULL, NULL, NULL},
    {READ, 13, "agent@consent.example", "onderzoek", NULL},
    {STATUS, 13, "agent@consent.example", "acknowledged", "De wijkagent neemt contact op."},
    {READ, 14, "lotte.janssens@politie.example", "wijkwerking", NULL},
    {STATUS, 15, "agent@consent.example", "acknowledged", NULL},
    {STATUS, 16, "mehmet.yilmaz@politie.example", "resolved",
     "Extra controles; de school heeft een kiss-and-ride zone gekregen."},
    {READ, 18, "sarah.peeters@politie.example", "klachtenbehandeling", NULL},
    {CONSENT, 19, NULL, "statistics", NULL},
};

static int do_step(struct ctx *x, const struct step *s)
{
	struct actor a;
	const char *id = x->rc[s->i].id, *token = x->rc[s->i].token;
	if (s->by && actor_of(x, s->by, &a))
		return -1;
	json_t *o = NULL;
	enum err e = ERR_OK;
	switch (s->kind) {
	case READ: e = report_staff_view(x->c, x->kek, &a, id, s->arg, "en", &o, &x->ei); break;
	case STATUS: e = report_set_status(x->c, &a, id, s->arg, s->note, &x->ei); break;
	case MESSAGE: e = report_staff_message(x->c, x->kek, &a, id, s->arg, &x->ei); break;
	case OVERRIDE: e = report_override(x->c, x->kek, &a, id, s->arg, "en", &o, &x->ei); break;
	case REPLY: e = report_receipt_reply(x->c, x->kek, token, s->arg, &x->ei); break;
	case CONSENT:
		e = report_receipt_consent(x->c, x->kek, token, s->arg, NULL, NULL, s->note,
		                           &x->ei);
		break;
	case ERASE: e = report_receipt_erase(x->c, token, &x->ei); break;
	}
	json_decref(o);
	if (e)
		return fail(x, s->by ? s->by : "reporter", e);
	x->done++;
	return 0;
}

long demo_reports(struct store_conn *c, const uint8_t master[CRYPTO_KEY_LEN])
{
	struct ctx x;
	memset(&x, 0, sizeof x);
	x.c = c;
	vault_kek(master, x.kek);
	if (file_all(&x))
		return -1;
	for (size_t i = 0; i < N(steps); i++)
		if (do_step(&x, &steps[i]))
			return -1;
	crypto_random(x.kek, sizeof x.kek);
	return (long)N(reports);
}
