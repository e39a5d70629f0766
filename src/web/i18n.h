/* i18n.h - UI translations from gettext .po catalogues (English, French,
 * Dutch) and Accept-Language negotiation.
 *
 * English is the source language: a msgid is the English text, so the
 * English catalogue is the identity. The French and Dutch catalogues come from
 * po/fr.po and po/nl.po, compiled into the binary. i18n_load runs once at
 * start-up, before any thread reads; after that every function here only reads
 * and is safe to call from any number of threads. */
#ifndef CONSENT_WEB_I18N_H
#define CONSENT_WEB_I18N_H

#include <stddef.h>

#include "base/err.h"

/* A catalogue of one language: msgid -> msgstr. Opaque. */
struct i18n_catalog;

/* Parses the gettext .po text[0..len) into a new catalogue for lang (copied;
 * NULL for none), stored in *out; the caller frees it with i18n_catalog_free.
 * Supported: msgid and msgstr with "..." continuation lines, the escapes \n \t
 * \r \" \\, comments (#, #., #:, #|, obsolete #~). Ignored: the header (empty
 * msgid), entries flagged "#, fuzzy", entries with an empty msgstr (untranslated,
 * as gettext does), with a msgctxt or with plural forms. name (e.g. "po/fr.po")
 * prefixes error messages. Returns ERR_INVAL on a syntax error, a NUL byte,
 * invalid UTF-8 or a duplicate msgid, with "name:line: what" in err (err may be
 * NULL); *out is then NULL. */
enum err i18n_parse_po(const char *text, size_t len, const char *name, const char *lang,
                       struct i18n_catalog **out, char *err, size_t errlen);

/* Frees a catalogue from i18n_parse_po; NULL is allowed. Never pass the
 * static catalogues of i18n_get. */
void i18n_catalog_free(struct i18n_catalog *c);

/* Loads the embedded po/fr.po and po/nl.po into the global catalogues (a
 * missing file leaves that language untranslated). Call once at start-up,
 * before threads read; calling again replaces the catalogues (not safe while
 * others read). Returns ERR_INVAL with "po/xx.po:line: what" in err if a file
 * does not parse; the catalogues are then unchanged. */
enum err i18n_load(char *err, size_t errlen);

/* Frees what i18n_load loaded (for leak checkers at exit). */
void i18n_unload(void);

/* The catalogue of lang ("en", "fr" or "nl", ASCII case-insensitive), or NULL
 * if the language is not supported. Static storage; never freed by callers.
 * "en" is the identity; fr and nl are empty until i18n_load. */
const struct i18n_catalog *i18n_get(const char *lang);

/* The translation of msgid in c, or msgid itself when c is NULL, English, or
 * has no translation. The result lives as long as c (or msgid). */
const char *i18n_t(const struct i18n_catalog *c, const char *msgid);

/* 1 if c has a translation of msgid, else 0. The English catalogue "has"
 * every msgid. For completeness tests. */
int i18n_has(const struct i18n_catalog *c, const char *msgid);

/* The language code of c ("en", "fr", "nl"; "" for a parsed catalogue made
 * without one). Static or owned by c. */
const char *i18n_lang(const struct i18n_catalog *c);

/* Number of translations in c. */
size_t i18n_count(const struct i18n_catalog *c);

/* Picks "en", "fr" or "nl" from an Accept-Language header value (RFC 9110
 * section 12.5.4): the supported language with the highest q-value, region
 * subtags ignored (fr-BE -> fr, nl-BE -> nl), "*" standing for any language
 * not listed, q=0 meaning "not acceptable", ties going to the one listed first.
 * Malformed elements are skipped. NULL, empty or nothing acceptable -> "en".
 * Returns a static string. */
const char *i18n_negotiate(const char *accept_language);

/* 1 if lang is "en", "fr" or "nl" (ASCII case-insensitive), else 0. */
int i18n_supported(const char *lang);

#endif
