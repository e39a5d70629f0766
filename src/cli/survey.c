/* consent survey import / consent survey indicators: survey responses from
 * a CSV file (the same rules and report as POST /api/v1/surveys/{wave}/
 * import, without the request body limit), and the indicators of a wave
 * computed afresh. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "domain/survey.h"

/* Files larger than this are refused (the rows are held in memory). */
#define SURVEY_FILE_MAX ((size_t)1 << 30)

/* Prints the report of an import: the rejected rows on stderr, the outcome
 * on stdout. */
static void survey_import_print(const char *file, json_t *rep, int refused)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(rep, "rejected"), i, x)
	{
		const char *col = json_string_value(json_object_get(x, "column"));
		fprintf(stderr, "%s: line %d%s%s: %s\n", file,
		        (int)json_integer_value(json_object_get(x, "line")),
		        col && *col ? ", column " : "", col ? col : "",
		        json_string_value(json_object_get(x, "reason")));
	}
	long long rows = json_integer_value(json_object_get(rep, "rows"));
	long long imported = json_integer_value(json_object_get(rep, "imported"));
	long long rejected = json_integer_value(json_object_get(rep, "rejected_rows"));
	size_t listed = json_array_size(json_object_get(rep, "rejected"));
	if ((long long)listed < rejected)
		fprintf(stderr, "%s: ... and %lld more rejected rows not listed\n", file,
		        rejected - (long long)listed);
	if (refused)
		fprintf(stderr,
		        "consent survey import: %lld of %lld rows rejected; nothing was imported "
		        "(fix them, or import the valid rows with --skip-invalid)\n",
		        rejected, rows);
	else if (json_is_true(json_object_get(rep, "dry_run")))
		printf("dry run: %lld rows checked, %lld valid, %lld rejected; nothing was "
		       "imported\n",
		       rows, rows - rejected, rejected);
	else
		printf("imported %lld of %lld rows (%lld rejected)\n", imported, rows, rejected);
}

static int survey_import(int argc, char **argv)
{
	struct flag flags[] = {
	    {"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
	    {"wave", 1, NULL, "the slug of the survey wave", NULL},
	    {"dry-run", 0, NULL, "check every row and report, but import nothing", NULL},
	    {"skip-invalid", 0, NULL, "import the valid rows even if some are rejected", NULL},
	    {"json", 0, NULL, "print the report as JSON on stdout", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	const char *pos[1];
	int npos = 0;
	int rc = args_parse_pos(
	    "survey import",
	    "Imports survey responses from the CSV file FILE (- for standard input):\n"
	    "a header naming the columns (the question codes, and optionally area,\n"
	    "org, ethnicity, religion, sex, age, lang, ref), one response per row;\n"
	    "answers 1 (strongly disagree) to 5 (strongly agree), 0 or dk (don't\n"
	    "know), empty (not answered). Every row is checked first and each\n"
	    "rejected row is reported with its line, column and reason; unless\n"
	    "--skip-invalid, nothing is imported if any row is rejected (exit 1).",
	    argc, argv, flags, pos, 1, &npos);
	if (rc)
		return rc == 1 ? 0 : rc;
	const char *wave = args_get(flags, "wave");
	if (!wave || npos != 1) {
		fprintf(stderr, "consent survey import: --wave and FILE are required\n");
		return 2;
	}
	int dry = args_get(flags, "dry-run") != NULL,
	    skip = args_get(flags, "skip-invalid") != NULL;
	int as_json = args_get(flags, "json") != NULL;
	size_t len;
	char *csv = cli_read_file("survey import", pos[0], SURVEY_FILE_MAX, &len);
	if (!csv)
		return 1;
	struct store *s = cli_open_store("survey import", args_get(flags, "db"), 1);
	if (!s) {
		free(csv);
		return 1;
	}
	struct store_conn *c = store_conn(s, NULL, 0);
	struct survey_wave w;
	json_t *rep = NULL;
	struct errinfo ei = {{0}, {0}};
	rc = 1;
	enum err e = survey_wave_find(c, wave, &w);
	if (e) {
		fprintf(stderr, "consent survey import: %s\n",
		        e == ERR_NOTFOUND ? "no survey wave has this slug" : err_str(e));
		goto out;
	}
	e = survey_import_csv(c, &w, csv, len, skip, dry, &rep, &ei);
	if (rep) {
		if (as_json) {
			json_dumpf(rep, stdout, JSON_INDENT(1));
			putchar('\n');
		} else {
			survey_import_print(strcmp(pos[0], "-") ? pos[0] : "stdin", rep,
			                    e != ERR_OK);
		}
		rc = e ? 1 : 0;
	} else {
		fprintf(stderr, "consent survey import: %s%s%s\n", ei.field, *ei.field ? ": " : "",
		        *ei.msg ? ei.msg : err_str(e));
	}
out:
	json_decref(rep);
	store_close(s);
	free(csv);
	return rc;
}

static int survey_indicators_cmd(int argc, char **argv)
{
	struct flag flags[] = {
	    {"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
	    {"wave", 1, NULL, "the slug of the survey wave", NULL},
	    {"timings", 0, NULL, "print the computation time on stderr", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	int rc = args_parse("survey indicators",
	                    "Computes the indicators of a wave afresh (not from the cache;\n"
	                    "group codes, no labels) and prints them as JSON on stdout.",
	                    argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	const char *wave = args_get(flags, "wave");
	if (!wave) {
		fprintf(stderr, "consent survey indicators: --wave is required\n");
		return 2;
	}
	struct store *s = cli_open_store("survey indicators", args_get(flags, "db"), 1);
	if (!s)
		return 1;
	struct store_conn *c = store_conn(s, NULL, 0);
	struct survey_wave w;
	json_t *o = NULL;
	double ms = 0;
	enum err e = survey_wave_find(c, wave, &w);
	if (!e)
		e = survey_indicators_compute(c, &w, &o, &ms);
	if (e) {
		fprintf(stderr, "consent survey indicators: %s\n",
		        e == ERR_NOTFOUND ? "no survey wave has this slug" : err_str(e));
		store_close(s);
		return 1;
	}
	json_dumpf(o, stdout, JSON_COMPACT);
	putchar('\n');
	if (args_get(flags, "timings"))
		fprintf(stderr, "indicators: %lld responses, computed in %.1f ms\n",
		        (long long)json_integer_value(json_object_get(o, "responses")), ms);
	json_decref(o);
	store_close(s);
	return 0;
}

int cli_survey(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "import"))
		return survey_import(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "indicators"))
		return survey_indicators_cmd(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: consent survey import --wave WAVE [--dry-run] [--skip-invalid] "
		       "FILE\n"
		       "       consent survey indicators --wave WAVE [--timings]\n");
		return 0;
	}
	fprintf(stderr,
	        "consent survey: unknown subcommand '%s' (try: consent survey import --help)\n",
	        argc >= 2 ? argv[1] : "");
	return 2;
}
