/* consent user add / consent org add: administration from the shell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "domain/account.h"
#include "domain/org.h"

static int read_password(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

static int user_add(int argc, char **argv)
{
	struct flag flags[] = {
		{"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
		{"email", 1, NULL, "the account's email (its login)", NULL},
		{"role", 1, NULL, "resident, org_member, org_admin, officer, supervisor, overseer or admin", NULL},
		{"org", 1, NULL, "the organisation's slug (for organisation roles)", NULL},
		{"name", 1, NULL, "display name", NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	int rc = args_parse("user add", "Creates an account; reads its password from the first line of standard input.", argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	const char *email = args_get(flags, "email"), *role = args_get(flags, "role");
	const char *org = args_get(flags, "org");
	if (!email || !role) {
		fprintf(stderr, "consent user add: --email and --role are required\n");
		return 2;
	}
	int r = role_parse(role);
	if (r < 0 || r == ROLE_ANON) {
		fprintf(stderr, "consent user add: unknown role '%s'\n", role);
		return 2;
	}
	int org_role = r != ROLE_RESIDENT && r != ROLE_ADMIN;
	if (org_role && !org) {
		fprintf(stderr, "consent user add: role %s needs --org SLUG\n", role);
		return 2;
	}
	if (!org_role && org) {
		fprintf(stderr, "consent user add: role %s takes no --org\n", role);
		return 2;
	}
	char pw[1100];
	if (read_password(pw, sizeof pw) != 0) {
		fprintf(stderr, "consent user add: no password on standard input\n");
		return 1;
	}
	struct store *s = cli_open_store("user add", args_get(flags, "db"), 1);
	if (!s)
		return 1;
	struct store_conn *c = store_conn(s, NULL, 0);
	struct errinfo ei = {{0}, {0}};
	int64_t id = 0, org_id = 0;
	enum org_kind kind;
	enum err e = ERR_OK;
	if (org_role && org_find(c, org, &org_id, &kind) != ERR_OK) {
		fprintf(stderr, "consent user add: no organisation '%s'\n", org);
		store_close(s);
		return 1;
	}
	if ((e = store_begin(c)) == ERR_OK) {
		e = account_create(c, email, pw, args_get(flags, "name"), r == ROLE_ADMIN, &id, &ei);
		if (!e && org_role)
			e = member_add(c, NULL, org_id, email, role, &ei);
		if (!e)
			e = store_commit(c);
		else
			store_rollback(c);
	}
	memset(pw, 0, sizeof pw);
	store_close(s);
	if (e) {
		fprintf(stderr, "consent user add: %s%s%s\n", ei.field, ei.field[0] ? " " : "",
			ei.msg[0] ? ei.msg : err_str(e));
		return 1;
	}
	printf("account %lld created (%s)\n", (long long)id, role);
	return 0;
}

int cli_user(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: consent user add --db DSN --email E --role ROLE [--org SLUG]\n");
		return 0;
	}
	fprintf(stderr, "consent user: unknown subcommand '%s' (try: consent user add --help)\n",
		argc >= 2 ? argv[1] : "");
	return 2;
}

static int org_add(int argc, char **argv)
{
	struct flag flags[] = {
		{"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
		{"slug", 1, NULL, "short name in addresses (a-z, 0-9, -)", NULL},
		{"name", 1, NULL, "the organisation's name", NULL},
		{"kind", 1, NULL, "police, community or oversight", NULL},
		{"area", 1, NULL, "slug of an area it serves", NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	int rc = args_parse("org add", "Creates an organisation.", argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	const char *slug = args_get(flags, "slug"), *name = args_get(flags, "name");
	const char *kind = args_get(flags, "kind"), *area = args_get(flags, "area");
	if (!slug || !name || !kind) {
		fprintf(stderr, "consent org add: --slug, --name and --kind are required\n");
		return 2;
	}
	if (org_kind_parse(kind) < 0) {
		fprintf(stderr, "consent org add: unknown kind '%s' (police, community, oversight)\n", kind);
		return 2;
	}
	struct store *s = cli_open_store("org add", args_get(flags, "db"), 1);
	if (!s)
		return 1;
	struct store_conn *c = store_conn(s, NULL, 0);
	json_t *areas = area ? json_pack("[s]", area) : NULL;
	struct errinfo ei = {{0}, {0}};
	int64_t id;
	enum err e = org_create(c, slug, name, kind, NULL, areas, &id, &ei);
	json_decref(areas);
	store_close(s);
	if (e) {
		fprintf(stderr, "consent org add: %s%s%s\n", ei.field, ei.field[0] ? " " : "",
			ei.msg[0] ? ei.msg : err_str(e));
		return 1;
	}
	printf("organisation %s created\n", slug);
	return 0;
}

int cli_org(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return org_add(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: consent org add --db DSN --slug S --name N --kind police|community|oversight [--area SLUG]\n");
		return 0;
	}
	fprintf(stderr, "consent org: unknown subcommand '%s' (try: consent org add --help)\n",
		argc >= 2 ? argv[1] : "");
	return 2;
}
