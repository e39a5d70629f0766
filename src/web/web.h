/* web.h - the HTML pages: layout, language switch, error pages, static
 * files. Works without JavaScript; every string goes through i18n. */
#ifndef CONSENT_WEB_WEB_H
#define CONSENT_WEB_WEB_H

#include <jansson.h>

#include "http/http.h"

/* Loads templates and translations, fills the app's HTML hooks and
 * registers every page route. Returns 0, or -1 with a message on stderr. */
int web_setup(struct app *app);

/* Renders template name (without .html) inside the layout with ctx (stolen)
 * and answers with status. title is a msgid (translated). */
void web_page(struct req *r, int status, const char *name, const char *title, json_t *ctx);
/* The translation of msgid in the request's language. */
const char *web_t(struct req *r, const char *msgid);

void web_page_routes(void);
void web_trust_routes(void);
/* The engagement pages (web/meetings.c, web/commitments.c). */
void web_meeting_routes(void);
void web_commitment_routes(void);
/* The consultation pages (web/consult.c). */
void web_consult_routes(void);
/* The pages of reports (web/reports.c). */
void web_report_routes(void);

#endif
