#include "cli/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/keys.h"
#include "tlog/tlog.h"

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

struct tlog *cli_open_tlog(const char *cmd, const char *keys_flag, const char *dsn,
                           const char *origin, int *missing)
{
	char err[512];
	if (missing)
		*missing = 0;
	char *kp = keys_path(keys_flag, dsn ? dsn : DEFAULT_DSN, err, sizeof err);
	if (!kp) {
		if (missing)
			*missing = 1;
		else
			fprintf(stderr, "consent %s: %s\n", cmd, err);
		return NULL;
	}
	struct keys k;
	enum err e = keys_load(kp, &k, err, sizeof err);
	free(kp);
	if (e) {
		if (missing)
			*missing = e == ERR_NOTFOUND;
		if (!missing || e != ERR_NOTFOUND)
			fprintf(stderr, "consent %s: %s\n", cmd, err);
		return NULL;
	}
	char *def = origin ? NULL : tlog_default_origin();
	struct tlog *t = NULL;
	e = tlog_new(k.sign_seed, origin ? origin : def, &t);
	memset(&k, 0, sizeof k);
	if (e)
		fprintf(stderr,
		        "consent %s: the log origin '%s' is not valid (no spaces, no '+', no "
		        "control characters)\n",
		        cmd, origin ? origin : def);
	free(def);
	return t;
}
