/* consent init: create or migrate the database and the key file. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/keys.h"
#include "domain/survey.h"
#include "domain/category.h"

int cli_init(int argc, char **argv)
{
	struct flag flags[] = {
		{"db", 1, "CONSENT_DB", "database DSN: sqlite:PATH or postgresql://... (default sqlite:consent.db)", NULL},
		{"keys", 1, "CONSENT_KEYS", "key file (default: beside a SQLite file, PATH.keys)", NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	int rc = args_parse("init", "Creates or migrates the database and creates the instance key file.\nIdempotent: running it again changes nothing.", argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	const char *dsn = args_get(flags, "db");
	if (!dsn)
		dsn = DEFAULT_DSN;
	char err[512];
	char *kp = keys_path(args_get(flags, "keys"), dsn, err, sizeof err);
	if (!kp) {
		fprintf(stderr, "consent init: %s\n", err);
		return 2;
	}
	struct store *s = cli_open_store("init", dsn, 1);
	if (!s) {
		free(kp);
		return 1;
	}
	struct store_conn *c = store_conn(s, NULL, 0);
	int version = c ? store_schema_version(c) : 0;
	if (!c || survey_seed(c) != ERR_OK) {
		fprintf(stderr, "consent init: cannot seed the survey categories\n");
		store_close(s);
		free(kp);
		return 1;
	}
	if (category_seed(c) != ERR_OK) {
		fprintf(stderr, "consent init: cannot add the report categories: %s\n",
			store_conn_errmsg(c));
		store_close(s);
		free(kp);
		return 1;
	}
	store_close(s);
	struct keys k;
	int created;
	if (keys_create(kp, &k, &created, err, sizeof err) != ERR_OK) {
		fprintf(stderr, "consent init: %s\n", err);
		free(kp);
		return 1;
	}
	printf("database ready (schema version %d); key file %s %s\n", version, kp,
	       created ? "created" : "present");
	free(kp);
	return 0;
}
