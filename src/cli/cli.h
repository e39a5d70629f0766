/* cli.h - the commands of the consent binary.
 *
 * Each takes its own argc/argv, where argv[0] is the command's name
 * ("copy"), and returns the process exit status: 0 on success, 1 when the
 * work failed (with a message naming what failed on stderr), 2 on a usage
 * error (a one-line message on stderr). */
#ifndef CONSENT_CLI_CLI_H
#define CONSENT_CLI_CLI_H

int cli_init(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_org(int argc, char **argv);
/* consent report-fill (not listed in the help): synthetic reports for
 * benchmarks (src/cli/reportfill.c). */
int cli_report_fill(int argc, char **argv);
/* consent apikey add --name NAME: an Open311 client's API key, printed once. */
int cli_apikey(int argc, char **argv);

/* consent copy --from DSN --to DSN: copies every table of one database into
 * a new, empty one (any backend to any), in one transaction on the target,
 * then compares the row counts of each table on both sides and prints them
 * on stdout. Refuses a target that already holds data. */
int cli_copy(int argc, char **argv);

/* consent opinion [OPTIONS] PATH: runs the Polis math on a conversation
 * export folder and prints the math blob as JSON on stdout. */
int cli_opinion(int argc, char **argv);
/* consent log verify|checkpoint|prove|key: the accountability log (see
 * src/cli/log.c). */
int cli_log(int argc, char **argv);
/* consent log bench (not listed in the help): appends synthetic entries to
 * a throwaway database and prints appends per second and proof latency. */
int cli_log_bench(int argc, char **argv);

/* consent survey import --wave WAVE [--dry-run] [--skip-invalid] [--json]
 * FILE: imports survey responses from CSV with the rules and the report of
 * rejected rows of the API's import (survey_import_csv), without the
 * request size limit. consent survey indicators --wave WAVE [--timings]:
 * computes a wave's indicators afresh and prints them as JSON. */
int cli_survey(int argc, char **argv);

/* consent population import --area SLUG --year YEAR --source TEXT
 * [--unit share|count] [--dry-run] FILE: a population baseline from CSV
 * (population_put_csv); nothing is stored if the file is refused. */
int cli_population(int argc, char **argv);

/* consent workforce import --org SLUG --year YEAR --source TEXT [--dry-run]
 * FILE: a police force's workforce figures from CSV (workforce_put_csv);
 * nothing is stored if the file is refused. */
int cli_workforce(int argc, char **argv);

/* consent consultation import|export|recompute: Polis conversations into
 * and out of the database, and a consultation's opinion math on demand. */
int cli_consultation(int argc, char **argv);

#endif
