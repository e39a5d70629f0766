/* common.h - what several commands share: opening the store, reading an
 * input file. */
#ifndef CONSENT_CLI_COMMON_H
#define CONSENT_CLI_COMMON_H

#include "store/store.h"

#define DEFAULT_DSN "sqlite:consent.db"

/* Opens dsn (or DEFAULT_DSN when NULL) and, if migrate, applies the
 * migrations. Prints a one-line error naming what failed and returns NULL. */
struct store *cli_open_store(const char *cmd, const char *dsn, int migrate);

/* Reads the whole file path ("-": standard input) into a buffer of *len
 * bytes (caller frees; not NUL-terminated). Prints a one-line error naming
 * the file and returns NULL if it cannot be read or is larger than max. */
char *cli_read_file(const char *cmd, const char *path, size_t max, size_t *len);

#endif
