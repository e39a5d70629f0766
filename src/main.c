/* consent - command line entry point: dispatches to src/cli/. */
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/log.h"
#include "cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{"init", cli_init, "create or migrate the database and the key file"},
	{"serve", cli_serve, "serve the web UI and the JSON API"},
	{"demo", cli_demo, "fill an empty database with realistic demo data"},
	{"user", cli_user, "manage accounts (user add)"},
	{"org", cli_org, "manage organisations (org add)"},
	{"copy", cli_copy, "copy a whole instance between databases (any backend)"},
	{"opinion", cli_opinion, "run the Polis opinion math on a conversation export"},
	{"log", cli_log, "the accountability log (verify, checkpoint, prove, key)"},
	{"survey", cli_survey, "import survey responses from CSV; compute a wave's indicators"},
	{"population", cli_population, "import an area's population baseline from CSV"},
	{"workforce", cli_workforce, "import a police force's workforce figures from CSV"},
	{"consultation", cli_consultation, "import, export or recompute a consultation (Polis)"},
	{"apikey", cli_apikey, "API keys of Open311 clients (apikey add)"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: consent COMMAND [OPTIONS]\n\n"
		   "consent: the platform for the partnership between the police and the\n"
		   "communities they serve.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nconsent COMMAND --help shows a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (crypto_setup() != ERR_OK) {
		fprintf(stderr, "consent: cannot initialise libsodium\n");
		return 1;
	}
	if (!strcmp(argv[1], "report-fill")) /* benchmarks only: not in the help */
		return cli_report_fill(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "consent: unknown command '%s' (see consent --help)\n", argv[1]);
	return 2;
}
