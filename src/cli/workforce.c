/* consent population import / consent workforce import: population
 * baselines of areas and workforce figures of police forces from CSV files,
 * with the checks of PUT /api/v1/areas/{slug}/population/{year} and
 * PUT /api/v1/orgs/{slug}/workforce/{year}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "domain/org.h"
#include "domain/workforce.h"

#define WORKFORCE_FILE_MAX ((size_t)4 << 20)

/* What one import does once the store is open and the file read. */
struct workforce_job {
	const char *cmd;
	const char *slug; /* area or organisation */
	int year;
	const char *source;
	const char *unit; /* population only */
	int is_population;
};

static int workforce_year(const char *cmd, const char *s, int *year)
{
	char *end;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || v < 1900 || v > 2200) {
		fprintf(stderr, "consent %s: --year must be a year between 1900 and 2200\n", cmd);
		return 0;
	}
	*year = (int)v;
	return 1;
}

/* Runs the import in a transaction of its own, rolled back for a dry run
 * (the domain's own transaction nests inside it as a savepoint). */
static int workforce_run(const struct workforce_job *j, const char *dsn, const char *file, int dry)
{
	size_t len;
	char *csv = cli_read_file(j->cmd, file, WORKFORCE_FILE_MAX, &len);
	if (!csv)
		return 1;
	struct store *s = cli_open_store(j->cmd, dsn, 1);
	if (!s) {
		free(csv);
		return 1;
	}
	struct store_conn *c = store_conn(s, NULL, 0);
	struct errinfo ei = {{0}, {0}};
	enum err e = ERR_OK;
	int64_t org_id = 0;
	enum org_kind kind = ORG_POLICE;
	if (!j->is_population && (e = org_find(c, j->slug, &org_id, &kind))) {
		err_set(&ei, e, "org",
		        e == ERR_NOTFOUND ? "no organisation has this slug" : "database error");
	} else if (!j->is_population && kind != ORG_POLICE) {
		e = err_set(&ei, ERR_INVAL, "org",
		            "workforce figures are for police organisations");
	} else if (!(e = store_begin(c))) {
		if (j->is_population)
			e = population_put_csv(c, j->slug, j->year, j->source, j->unit, csv, len,
			                       &ei);
		else
			e = workforce_put_csv(c, org_id, j->year, j->source, csv, len, &ei);
		if (e || dry)
			store_rollback(c);
		else if ((e = store_commit(c)))
			err_set(&ei, e, "", "database error; nothing was imported");
	}
	store_close(s);
	free(csv);
	if (e) {
		const char *msg = *ei.msg ? ei.msg : err_str(e);
		/* Messages about a row already name its line. */
		if (!strncmp(msg, "line ", 5))
			fprintf(stderr, "%s: %s; nothing was imported\n",
			        strcmp(file, "-") ? file : "stdin", msg);
		else
			fprintf(stderr, "consent %s: %s%s%s; nothing was imported\n", j->cmd,
			        ei.field, *ei.field ? ": " : "", msg);
		return 1;
	}
	printf("%s%s %s for %d: checked%s\n", dry ? "dry run: " : "",
	       j->is_population ? "population baseline of" : "workforce figures of", j->slug,
	       j->year, dry ? ", nothing was imported" : " and imported");
	return 0;
}

static int population_import(int argc, char **argv)
{
	struct flag flags[] = {
	    {"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
	    {"area", 1, NULL, "the slug of the area", NULL},
	    {"year", 1, NULL, "the year of the figures", NULL},
	    {"source", 1, NULL, "where the figures come from (e.g. \"Census 2021\")", NULL},
	    {"unit", 1, NULL, "share (default: fractions summing to 1) or count (people)", NULL},
	    {"dry-run", 0, NULL, "check the file, import nothing", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	const char *pos[1];
	int npos = 0;
	int rc = args_parse_pos(
	    "population import",
	    "Replaces the population baseline of an area for a year with the CSV file\n"
	    "FILE (- for standard input): the header dimension,category,value, one row\n"
	    "per category (dimensions ethnicity, religion, sex, age). Shares must sum\n"
	    "to 1 within 0.01 per dimension; counts must give every dimension the same\n"
	    "total within 1%. Nothing is stored if anything is wrong (exit 1).",
	    argc, argv, flags, pos, 1, &npos);
	if (rc)
		return rc == 1 ? 0 : rc;
	struct workforce_job j = {.cmd = "population import",
	                          .slug = args_get(flags, "area"),
	                          .source = args_get(flags, "source"),
	                          .unit = args_get(flags, "unit"),
	                          .is_population = 1};
	if (!j.slug || !j.source || !args_get(flags, "year") || npos != 1) {
		fprintf(
		    stderr,
		    "consent population import: --area, --year, --source and FILE are required\n");
		return 2;
	}
	if (!workforce_year(j.cmd, args_get(flags, "year"), &j.year))
		return 2;
	return workforce_run(&j, args_get(flags, "db"), pos[0], args_get(flags, "dry-run") != NULL);
}

static int workforce_import(int argc, char **argv)
{
	struct flag flags[] = {
	    {"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
	    {"org", 1, NULL, "the slug of the police organisation", NULL},
	    {"year", 1, NULL, "the year of the figures", NULL},
	    {"source", 1, NULL, "where the figures come from", NULL},
	    {"dry-run", 0, NULL, "check the file, import nothing", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	const char *pos[1];
	int npos = 0;
	int rc = args_parse_pos(
	    "workforce import",
	    "Replaces the workforce figures of a police organisation for a year with\n"
	    "the CSV file FILE (- for standard input): the header dimension,category,\n"
	    "headcount,joiners,leavers and optionally rank_band. Every dimension must\n"
	    "count the whole workforce (use not-stated). Nothing is stored if\n"
	    "anything is wrong (exit 1).",
	    argc, argv, flags, pos, 1, &npos);
	if (rc)
		return rc == 1 ? 0 : rc;
	struct workforce_job j = {.cmd = "workforce import",
	                          .slug = args_get(flags, "org"),
	                          .source = args_get(flags, "source")};
	if (!j.slug || !j.source || !args_get(flags, "year") || npos != 1) {
		fprintf(
		    stderr,
		    "consent workforce import: --org, --year, --source and FILE are required\n");
		return 2;
	}
	if (!workforce_year(j.cmd, args_get(flags, "year"), &j.year))
		return 2;
	return workforce_run(&j, args_get(flags, "db"), pos[0], args_get(flags, "dry-run") != NULL);
}

int cli_population(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "import"))
		return population_import(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: consent population import --area SLUG --year YEAR --source TEXT "
		       "[--unit share|count] [--dry-run] FILE\n");
		return 0;
	}
	fprintf(stderr,
	        "consent population: unknown subcommand '%s' (try: consent population import "
	        "--help)\n",
	        argc >= 2 ? argv[1] : "");
	return 2;
}

int cli_workforce(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "import"))
		return workforce_import(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: consent workforce import --org SLUG --year YEAR --source TEXT "
		       "[--dry-run] FILE\n");
		return 0;
	}
	fprintf(stderr,
	        "consent workforce: unknown subcommand '%s' (try: consent workforce import "
	        "--help)\n",
	        argc >= 2 ? argv[1] : "");
	return 2;
}
