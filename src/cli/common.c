#include "cli/common.h"

#include <stdio.h>

struct store *cli_open_store(const char *cmd, const char *dsn, int migrate)
{
	char err[512];
	struct store *s = NULL;
	if (!dsn)
		dsn = DEFAULT_DSN;
	if (store_open(dsn, &s, err, sizeof err) != ERR_OK) {
		fprintf(stderr, "consent %s: %s\n", cmd, err);
		return NULL;
	}
	if (migrate && store_migrate(s, err, sizeof err) != ERR_OK) {
		fprintf(stderr, "consent %s: cannot migrate the database: %s\n", cmd, err);
		store_close(s);
		return NULL;
	}
	return s;
}
