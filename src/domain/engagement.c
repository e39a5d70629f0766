/* engagement.c - the engagement demo data (see engagement.h). */
#include "domain/engagement.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/account.h"
#include "domain/commitment.h"
#include "domain/meeting.h"
#include "domain/recommendation.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static enum err actor_of(struct store_conn *c, const char *email, struct actor *a,
                         struct errinfo *ei)
{
	int64_t id;
	enum err e = account_find(c, email, &id);
	if (!e)
		e = account_actor_by_id(c, id, a);
	if (e)
		return err_set(ei, e, "account", "demo account %s is missing", email);
	return ERR_OK;
}

/* "YYYY-MM-DDTHH:MM", days from today (UTC date), as local wall-clock time. */
static void local_day(int days, int hour, int minute, char out[20])
{
	int64_t y;
	unsigned m, d;
	clock_civil_from_days(clock_now() / 86400 + days, &y, &m, &d);
	snprintf(out, 20, "%04lld-%02u-%02uT%02d:%02d", (long long)y, m, d, hour, minute);
}

static void date_of(int days, char out[11])
{
	int64_t y;
	unsigned m, d;
	clock_civil_from_days(clock_now() / 86400 + days, &y, &m, &d);
	snprintf(out, 11, "%04lld-%02u-%02u", (long long)y, m, d);
}

/* --- meetings ------------------------------------------------------------ */

struct demo_series {
	const char *title, *area, *org1, *org2, *place, *online, *tz, *by;
	int hour, minute, length; /* start (local) and minutes */
	int every, first, last;   /* days between, first and last day from today */
	const char *agenda, *minutes, *groups[2];
};

static const struct demo_series series[] = {
    {"Highfields and Spinney Hills community safety forum",
     "highfields",
     "leicestershire-police",
     "highfields-faith-centre",
     "Highfields Community Centre, 96 Melbourne Road, Leicester",
     NULL,
     "Europe/London",
     "officer@consent.example",
     18,
     30,
     120,
     28,
     -336,
     56,
     "1. Welcome and introductions\n2. What you told us last time, and what we did\n"
     "3. Hate incidents: how to report, with or without going to the police\n"
     "4. Your priorities for the next month\n5. Any other business",
     "Residents raised anti-social behaviour near the park and verbal abuse outside the "
     "mosque after evening prayers. The neighbourhood team agreed to report back on patrol "
     "times; the faith centre will collect reports from people who prefer not to call the "
     "police.",
     {"Residents of Highfields", "Young people (16-24)"}},
    {"Belgrave police and faith leaders meeting",
     "belgrave",
     "leicestershire-police",
     "st-philips-centre",
     "St Philip's Centre, 2A Stoughton Drive North, Leicester",
     "https://meet.example.org/belgrave-faith",
     "Europe/London",
     "supervisor@consent.example",
     19,
     0,
     90,
     42,
     -322,
     42,
     "1. Festival season: Diwali and Navratri safety planning\n2. Community tensions\n"
     "3. Recruitment: officers who reflect Belgrave",
     "Faith leaders asked for a named liaison officer for the festival period and for "
     "figures on how many officers come from Belgrave's communities.",
     {"Hindu temples", "Sikh gurdwaras"}},
    {"Buurtoverleg Kiel: politie en bewoners",
     "kiel",
     "politie-antwerpen",
     "dialoog-antwerpen",
     "Buurtcentrum Kiel, De Bosschaertstraat 1, Antwerpen",
     NULL,
     "Europe/Brussels",
     "agent@consent.example",
     19,
     0,
     120,
     42,
     -330,
     30,
     "1. Welkom\n2. U zei, wij deden\n3. Discriminatie melden\n4. Vragen van de buurt",
     "Bewoners vroegen een onthaal in meerdere talen aan het politiekantoor en terugkoppeling "
     "na een melding van discriminatie.",
     {"Bewoners van Kiel", "Marokkaanse gemeenschap"}},
    {"Dialoogtafel politie en geloofsgemeenschappen Borgerhout",
     "borgerhout",
     "politie-antwerpen",
     "dialoog-antwerpen",
     "Huis van Dialoog, Turnhoutsebaan 100, Borgerhout",
     "https://meet.example.org/borgerhout",
     "Europe/Brussels",
     "agent@consent.example",
     18,
     30,
     90,
     84,
     -300,
     60,
     "1. Spanningen in de wijk\n2. Jongeren en politie\n3. Afspraken",
     "De geloofsgemeenschappen vroegen een maandelijks jongerenoverleg.",
     {"Moskeeën van Borgerhout", "Joodse gemeenschap"}},
};

static enum err demo_meeting(struct store_conn *c, const struct demo_series *s, int day, int k,
                             struct engagement_counts *n, int64_t *first_past, struct errinfo *ei)
{
	struct actor a;
	enum err e = actor_of(c, s->by, &a, ei);
	if (e)
		return e;
	char start[20], end[20];
	local_day(day, s->hour, s->minute, start);
	int endmin = s->hour * 60 + s->minute + s->length;
	local_day(day, endmin / 60, endmin % 60, end);
	struct meeting_in in;
	meeting_in_init(&in);
	in.title = s->title;
	in.area = s->area;
	in.start = start;
	in.end = end;
	in.tz = s->tz;
	in.place = s->place;
	in.online_url = s->online;
	in.agenda = s->agenda;
	json_t *orgs = json_pack("[s, s]", s->org1, s->org2);
	in.organisers = orgs;
	int upcoming = day > 0;
	if (upcoming && k % 2 == 0) {
		in.registration = 1;
		in.capacity = 40 + 20 * (k % 3);
	}
	int64_t id;
	e = meeting_create(c, &a, &in, &id, ei);
	json_decref(orgs);
	if (e)
		return e;
	n->meetings++;
	if (upcoming)
		return ERR_OK;
	if (k == 3) /* one of them did not happen */
		return meeting_cancel(
		    c, &a, id, "Clashed with a major community event; moved to the next date.", ei);
	if (!*first_past)
		*first_past = id;
	struct meeting_in up;
	meeting_in_init(&up);
	up.minutes = s->minutes;
	json_t *docs = json_pack("[{s:s, s:s}]", "title", "Slides and figures for the area", "url",
	                         "https://example.org/consent-demo/slides.pdf");
	json_t *att = json_pack("{s:[{s:s, s:i}, {s:s, s:i}], s:[{s:s, s:i}, {s:s, s:i}]}", "orgs",
	                        "org", s->org1, "count", 2 + k % 3, "org", s->org2, "count",
	                        3 + k % 4, "community", "group", s->groups[0], "count",
	                        14 + (k * 7) % 19, "group", s->groups[1], "count", 4 + (k * 5) % 9);
	up.documents = docs;
	up.attendance = att;
	e = meeting_update(c, &a, id, &up, ei);
	json_decref(docs);
	json_decref(att);
	return e;
}

static enum err demo_meetings(struct store_conn *c, struct engagement_counts *n,
                              int64_t first_past[N(series)], struct errinfo *ei)
{
	for (size_t i = 0; i < N(series); i++) {
		int k = 0;
		first_past[i] = 0;
		for (int day = series[i].first; day <= series[i].last;
		     day += series[i].every, k++) {
			enum err e = demo_meeting(c, &series[i], day, k, n, &first_past[i], ei);
			if (e)
				return e;
		}
	}
	/* A private meeting: the independent advisory group's review. */
	struct actor a;
	enum err e = actor_of(c, "supervisor@consent.example", &a, ei);
	if (e)
		return e;
	char start[20], end[20];
	local_day(-20, 10, 0, start);
	local_day(-20, 12, 0, end);
	struct meeting_in in;
	meeting_in_init(&in);
	in.title = "Independent advisory group: stop and search review";
	in.area = "leicester";
	in.start = start;
	in.end = end;
	in.place = "Police headquarters, Enderby";
	in.agenda = "Review of body-worn video from a sample of stops (closed session).";
	in.is_public = 0;
	json_t *orgs = json_pack("[s, s]", "leicestershire-police", "leicestershire-opcc");
	in.organisers = orgs;
	int64_t id;
	e = meeting_create(c, &a, &in, &id, ei);
	json_decref(orgs);
	if (!e)
		n->meetings++;
	return e;
}

/* --- commitments ----------------------------------------------------------- */

struct demo_move {
	const char *by, *to, *reason;
};

struct demo_commitment {
	const char *title, *raised, *pledge, *area, *owner, *cochair, *by;
	int start, due; /* days from today */
	int meeting;    /* index of the series whose first past meeting it links, or -1 */
	struct demo_move moves[6];
	const char *update_by, *update; /* an optional progress update */
	int update_progress;
};

#define POLICE  "leicestershire-police"
#define ANTWERP "politie-antwerpen"
#define OFFICER "officer@consent.example"
#define SUPER   "supervisor@consent.example"
#define AGENT   "agent@consent.example"

static const struct demo_commitment commitments[] = {
    {"Foot patrols on Melbourne Road after evening prayers",
     "Women walking home from the mosque after evening prayers are shouted at from cars.",
     "Two foot patrols on Friday and Saturday evenings for three months, and a report back "
     "at the forum.",
     "highfields",
     POLICE,
     "highfields-faith-centre",
     OFFICER,
     -300,
     -200,
     0,
     {{OFFICER, "accepted", NULL},
      {OFFICER, "in_progress", NULL},
      {OFFICER, "done", NULL},
      {"farida.begum@highfields.example", "confirmed", NULL}},
     NULL,
     NULL,
     0},
    {"A hate crime reporting point at the Highfields Centre",
     "People will not go to a police station to report.",
     "A weekly drop-in with a trained volunteer and an officer at the community centre.",
     "highfields",
     POLICE,
     "highfields-faith-centre",
     OFFICER,
     -250,
     -60,
     0,
     {{OFFICER, "accepted", NULL}, {OFFICER, "in_progress", NULL}, {OFFICER, "done", NULL}},
     NULL,
     NULL,
     0},
    {"The hate crime leaflet in Gujarati, Punjabi and Somali",
     "Older people cannot read the English leaflet.",
     "Translate and print the leaflet in three languages and give it out at the forums.",
     "spinney-hills",
     POLICE,
     "highfields-faith-centre",
     OFFICER,
     -200,
     -30,
     0,
     {{OFFICER, "accepted", NULL}, {OFFICER, "in_progress", NULL}},
     OFFICER,
     "Gujarati and Punjabi versions are printed; the Somali one is with the translator.",
     60},
    {"Feedback to every victim of a hate incident within 28 days",
     "People who reported heard nothing back.",
     "Every victim who reported through the forum hears from the investigating officer within "
     "28 days.",
     "leicester",
     POLICE,
     "st-philips-centre",
     SUPER,
     -280,
     -90,
     1,
     {{SUPER, "accepted", NULL},
      {SUPER, "done", NULL},
      {"orgadmin@consent.example", "disputed",
       "Three of the five people who reported in March heard nothing within 28 days."}},
     NULL,
     NULL,
     0},
    {"A stop and search scrutiny panel with community members",
     "Young men in Belgrave are stopped again and again and do not know why.",
     "Community members review a sample of stops with body-worn video every quarter.",
     "belgrave",
     POLICE,
     "st-philips-centre",
     SUPER,
     -90,
     120,
     1,
     {{SUPER, "accepted", NULL}},
     NULL,
     NULL,
     0},
    {"A liaison officer for the Belgrave temples during the festival season",
     "Festival crowds and traffic cause tension every year.",
     "A named officer the temples can call from Navratri to Diwali.",
     "belgrave",
     POLICE,
     "st-philips-centre",
     "orgadmin@consent.example",
     -20,
     45,
     -1,
     {{NULL, NULL, NULL}},
     NULL,
     NULL,
     0},
    {"CCTV on every street of Spinney Hills",
     "Residents want cameras everywhere.",
     "Cameras on every street.",
     "spinney-hills",
     POLICE,
     "highfields-faith-centre",
     OFFICER,
     -150,
     60,
     -1,
     {{SUPER, "declined",
       "Street cameras are the city council's decision, and blanket cameras would not be "
       "proportionate; we will take the two hot spots to the council's CCTV panel."}},
     NULL,
     NULL,
     0},
    {"Meertalig onthaal in het politiekantoor Kiel",
     "Wie geen Nederlands spreekt, wordt aan het onthaal niet geholpen.",
     "Een onthaal in het Nederlands, Frans, Arabisch en Turks op twee avonden per week.",
     "kiel",
     ANTWERP,
     "dialoog-antwerpen",
     AGENT,
     -200,
     90,
     2,
     {{AGENT, "accepted", NULL}, {AGENT, "in_progress", NULL}},
     AGENT,
     "Arabisch en Turks zijn er op dinsdag; Frans volgt in het voorjaar.",
     50},
    {"Terugkoppeling na een melding van discriminatie",
     "Na een melding hoort niemand nog iets.",
     "Elke melder krijgt binnen vier weken bericht van de behandelende inspecteur.",
     "kiel",
     ANTWERP,
     "dialoog-antwerpen",
     AGENT,
     -300,
     -100,
     2,
     {{AGENT, "accepted", NULL},
      {AGENT, "done", NULL},
      {"els.vermeulen@dialoog.example", "confirmed", NULL}},
     NULL,
     NULL,
     0},
    {"Maandelijks jongerenoverleg in Borgerhout",
     "Jongeren voelen zich alleen aangesproken als verdachte.",
     "Elke maand een overleg tussen jongeren en wijkinspecteurs.",
     "borgerhout",
     ANTWERP,
     "dialoog-antwerpen",
     "els.vermeulen@dialoog.example",
     -10,
     90,
     3,
     {{NULL, NULL, NULL}},
     NULL,
     NULL,
     0},
};

static enum err demo_commitment(struct store_conn *c, const struct demo_commitment *d,
                                const int64_t *first_past, int64_t *id, struct errinfo *ei)
{
	struct actor a;
	enum err e = actor_of(c, d->by, &a, ei);
	if (e)
		return e;
	char start[11], due[11];
	date_of(d->start, start);
	date_of(d->due, due);
	struct commitment_in in = {d->title,   d->raised, d->pledge, d->area, d->owner,
	                           d->cochair, start,     due,       NULL};
	json_t *meetings = d->meeting >= 0 && first_past[d->meeting]
	                       ? json_pack("[I]", (json_int_t)first_past[d->meeting])
	                       : NULL;
	in.meetings = meetings;
	e = commitment_create(c, &a, &in, id, ei);
	json_decref(meetings);
	for (size_t i = 0; !e && i < N(d->moves) && d->moves[i].by; i++) {
		if ((e = actor_of(c, d->moves[i].by, &a, ei)))
			break;
		e = commitment_set_status(c, &a, *id, d->moves[i].to, d->moves[i].reason,
		                          !strcmp(d->moves[i].to, "in_progress") ? 20 : -1, ei);
		if (!e && d->update && !strcmp(d->moves[i].to, "in_progress")) {
			json_t *ev =
			    json_pack("[s]", "https://example.org/consent-demo/evidence.pdf");
			struct actor u;
			e = actor_of(c, d->update_by, &u, ei);
			if (!e)
				e = commitment_add_update(c, &u, *id, d->update, d->update_progress,
				                          ev, ei);
			json_decref(ev);
		}
	}
	return e;
}

/* --- recommendations ---------------------------------------------------------- */

static enum err demo_recommendations(struct store_conn *c, const int64_t *first_past,
                                     const int64_t *commitment_ids, struct engagement_counts *n,
                                     struct errinfo *ei)
{
	struct actor author, answerer;
	enum err e;
	int64_t id;
	/* Diversity within the police, with the evidence behind it. */
	json_t *src = json_pack(
	    "[{s:s, s:I}, {s:s, s:I}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]", "kind", "meeting", "id",
	    (json_int_t)first_past[1], "kind", "commitment", "id", (json_int_t)commitment_ids[4],
	    "kind", "figure", "title", "Police workforce, England and Wales: officers by ethnicity",
	    "url", "https://www.gov.uk/government/collections/police-workforce-england-and-wales",
	    "kind", "figure", "title", "Census 2021: ethnic group, Leicester", "url",
	    "https://www.ons.gov.uk/census");
	struct recommendation_in r1 = {
	    "Diversity within the police: recruit, keep and promote officers who reflect "
	    "Leicester",
	    "About six in ten people in Leicester are from Black, Asian and minority-ethnic "
	    "communities; far fewer of its police officers are. We recommend that Leicestershire "
	    "Police (1) publishes its workforce by ethnicity, religion and sex against the "
	    "census every year, with the years to parity at the current rate of recruitment; "
	    "(2) runs outreach and mentoring for applicants with the faith centres; (3) looks at "
	    "why officers from these communities leave, and acts on it.",
	    "st-philips-centre",
	    POLICE,
	    "leicester",
	    src};
	if ((e = actor_of(c, "orgadmin@consent.example", &author, ei)) ||
	    (e = recommendation_create(c, &author, &r1, &id, ei))) {
		json_decref(src);
		return e;
	}
	json_decref(src);
	n->recommendations++;
	if ((e = actor_of(c, SUPER, &answerer, ei)) ||
	    (e = recommendation_respond(
	         c, &answerer, id, "accepted", NULL,
	         "Accepted. The first annual workforce report will be published in April, with "
	         "the census comparison; outreach sessions start with St Philip's Centre in the "
	         "autumn.",
	         ei)))
		return e;
	/* Oversight: stop and search figures. */
	src = json_pack("[{s:s, s:I}]", "kind", "commitment", "id", (json_int_t)commitment_ids[4]);
	struct recommendation_in r2 = {
	    "Publish stop and search figures by ethnicity for each neighbourhood every quarter",
	    "Figures for the whole force hide where disproportionality is greatest.",
	    "leicestershire-opcc",
	    POLICE,
	    NULL,
	    src};
	e = actor_of(c, "overseer@consent.example", &author, ei);
	if (!e)
		e = recommendation_create(c, &author, &r2, &id, ei);
	json_decref(src);
	if (e)
		return e;
	n->recommendations++;
	/* Antwerp: one rejected with its reason, one implemented. */
	src = json_pack("[{s:s, s:I}]", "kind", "meeting", "id", (json_int_t)first_past[2]);
	struct recommendation_in r3 = {
	    "Diversiteit in de politie: rekruteren in de Antwerpse wijken",
	    "Organiseer infosessies over politiejobs in Kiel en Borgerhout, samen met de "
	    "geloofsgemeenschappen.",
	    "dialoog-antwerpen",
	    ANTWERP,
	    "antwerpen-stad",
	    src};
	e = actor_of(c, "els.vermeulen@dialoog.example", &author, ei);
	if (!e)
		e = recommendation_create(c, &author, &r3, &id, ei);
	json_decref(src);
	if (e || (e = actor_of(c, "sarah.peeters@politie.example", &answerer, ei)) ||
	    (e = recommendation_respond(c, &answerer, id, "implemented", NULL,
	                                "Twee infosessies gehouden in het voorjaar, 64 deelnemers.",
	                                ei)))
		return e;
	n->recommendations++;
	struct recommendation_in r4 = {"Een eigen politiekantoor in elke wijk",
	                               "Elke wijk verdient een eigen kantoor.",
	                               "dialoog-antwerpen",
	                               ANTWERP,
	                               "borgerhout",
	                               NULL};
	if ((e = recommendation_create(c, &author, &r4, &id, ei)) ||
	    (e = recommendation_respond(
	         c, &answerer, id, "rejected",
	         "De zone kiest voor wijkinspecteurs op straat in plaats van "
	         "extra gebouwen.",
	         NULL, ei)))
		return e;
	n->recommendations++;
	return ERR_OK;
}

enum err engagement_demo(struct store_conn *c, struct engagement_counts *n, struct errinfo *ei)
{
	memset(n, 0, sizeof *n);
	int64_t first_past[N(series)];
	enum err e = demo_meetings(c, n, first_past, ei);
	if (e)
		return e;
	int64_t ids[N(commitments)];
	for (size_t i = 0; i < N(commitments); i++) {
		if ((e = demo_commitment(c, &commitments[i], first_past, &ids[i], ei)))
			return e;
		n->commitments++;
	}
	return demo_recommendations(c, first_past, ids, n, ei);
}
