/* common.h - what several commands share: opening the store. */
#ifndef CONSENT_CLI_COMMON_H
#define CONSENT_CLI_COMMON_H

#include "store/store.h"

#define DEFAULT_DSN "sqlite:consent.db"

/* Opens dsn (or DEFAULT_DSN when NULL) and, if migrate, applies the
 * migrations. Prints a one-line error naming what failed and returns NULL. */
struct store *cli_open_store(const char *cmd, const char *dsn, int migrate);

#endif
