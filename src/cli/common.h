/* common.h - what several commands share: opening the store. */
#ifndef CONSENT_CLI_COMMON_H
#define CONSENT_CLI_COMMON_H

#include "store/store.h"

struct tlog;

#define DEFAULT_DSN "sqlite:consent.db"

/* Opens dsn (or DEFAULT_DSN when NULL) and, if migrate, applies the
 * migrations. Prints a one-line error naming what failed and returns NULL. */
struct store *cli_open_store(const char *cmd, const char *dsn, int migrate);

/* The accountability log's signer (tlog/tlog.h) from the key file of dsn
 * (keys_flag, else CONSENT_KEYS, else beside a SQLite file) with origin
 * (NULL: the default, "<host name>/log"). Prints a one-line error naming
 * what failed and returns NULL, except that when missing is not NULL, a
 * key file that does not exist (or no key file path for PostgreSQL) only
 * sets *missing. The caller frees the result with tlog_free. */
struct tlog *cli_open_tlog(const char *cmd, const char *keys_flag, const char *dsn,
                           const char *origin, int *missing);

#endif
