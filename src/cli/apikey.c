/* consent apikey add: an API key for an Open311 client, printed once. */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "domain/apikey.h"

static int apikey_add(int argc, char **argv)
{
	struct flag flags[] = {
	    {"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
	    {"name", 1, NULL, "who the key is for (unique), e.g. \"FixMyStreet Leicester\"", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	int rc =
	    args_parse("apikey add",
	               "Creates an API key that lets an Open311 client POST service requests\n"
	               "(/open311/v2/requests). The key is printed once; only its hash is kept.",
	               argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	const char *name = args_get(flags, "name");
	if (!name) {
		fprintf(stderr, "consent apikey add: --name is required\n");
		return 2;
	}
	struct store *s = cli_open_store("apikey add", args_get(flags, "db"), 1);
	if (!s)
		return 1;
	struct store_conn *c = store_conn(s, NULL, 0);
	char key[CRYPTO_TOKEN_CHARS + 1];
	struct errinfo ei = {{0}, {0}};
	enum err e = c ? apikey_create(c, name, key, &ei) : ERR_UNAVAIL;
	store_close(s);
	if (e) {
		fprintf(stderr, "consent apikey add: %s%s%s\n", ei.field, ei.field[0] ? " " : "",
		        ei.msg[0] ? ei.msg : err_str(e));
		return 1;
	}
	printf("%s\n", key);
	fprintf(stderr, "API key for '%s' created; it is shown only now.\n", name);
	return 0;
}

int cli_apikey(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return apikey_add(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: consent apikey add --db DSN --name NAME\n");
		return 0;
	}
	fprintf(stderr,
	        "consent apikey: unknown subcommand '%s' (try: consent apikey add --help)\n",
	        argc >= 2 ? argv[1] : "");
	return 2;
}
