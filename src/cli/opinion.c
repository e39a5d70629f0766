/* consent opinion: the Polis math on a conversation export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/opinion_io.h"
#include "opinion/opinion.h"
#include "opinion/polis.h"

static const char cli_opinion_usage[] =
    "usage: consent opinion [OPTIONS] PATH\n"
    "\n"
    "Runs the Polis opinion math on the conversation in folder PATH: a Polis\n"
    "export (comments.csv with votes.csv or participants-votes.csv; agree = +1)\n"
    "or comments.json with votes.json. Prints the math blob (Polis math-pca2\n"
    "shape and signs, agree = -1) as JSON on stdout.\n"
    "\n"
    "  --in-conv PID,PID,...   participants already in the clustering (the\n"
    "                          previous update's in-conv); without it the\n"
    "                          vote history is replayed to rebuild it\n"
    "  --base-clusters FILE    take the base clusters from a math blob\n"
    "  --group-clusters FILE   take base clusters and groups from a math blob\n"
    "  --csv-out DIR           also write Polis' export CSVs into DIR\n"
    "  --timings               per-stage times and peak memory on stderr\n";

struct cli_opinion_args {
	const char *path;
	const char *csv_out;
	const char *clusters;
	int given_groups;
	int timings;
	int32_t *inconv;
	size_t ninconv;
	int has_inconv;
};

/* Parses "1,2,3" into a->inconv; returns 0 or -1. */
static int cli_opinion_pids(struct cli_opinion_args *a, const char *s)
{
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == ',';
	a->inconv = xmalloc(n * sizeof *a->inconv);
	a->ninconv = 0;
	a->has_inconv = 1;
	while (*s) {
		const char *end = strchr(s, ',');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		int64_t v;
		if (len && polis_parse_int(s, len, INT32_MIN, INT32_MAX, &v) != 0)
			return -1;
		if (len)
			a->inconv[a->ninconv++] = (int32_t)v;
		s += len + (end != NULL);
	}
	return 0;
}

/* Returns 0, 2 on a usage error, or 3 for --help. */
static int cli_opinion_parse(struct cli_opinion_args *a, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *val = NULL;
		const char *opts[] = {"--in-conv", "--csv-out", "--base-clusters",
		                      "--group-clusters"};
		int which = -1;
		for (int k = 0; k < 4; k++) {
			size_t n = strlen(opts[k]);
			if (strncmp(arg, opts[k], n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
				which = k;
				if (arg[n] == '=')
					val = arg + n + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else {
					fprintf(stderr, "consent opinion: %s needs a value\n",
					        opts[k]);
					return 2;
				}
			}
		}
		if (which == 0) {
			if (cli_opinion_pids(a, val) != 0) {
				fprintf(stderr,
				        "consent opinion: --in-conv: bad participant list '%s'\n",
				        val);
				return 2;
			}
		} else if (which == 1) {
			a->csv_out = val;
		} else if (which == 2 || which == 3) {
			a->clusters = val;
			a->given_groups = which == 3;
		} else if (!strcmp(arg, "--timings")) {
			a->timings = 1;
		} else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			return 3;
		} else if (arg[0] == '-' && arg[1]) {
			fprintf(stderr, "consent opinion: unknown option '%s'\n%s", arg,
			        cli_opinion_usage);
			return 2;
		} else if (a->path) {
			fprintf(stderr, "consent opinion: more than one PATH\n%s",
			        cli_opinion_usage);
			return 2;
		} else {
			a->path = arg;
		}
	}
	if (!a->path) {
		fputs(cli_opinion_usage, stderr);
		return 2;
	}
	return 0;
}

static void cli_opinion_time(const char *stage, uint64_t ns)
{
	fprintf(stderr, "opinion: %-15s %10.3f ms\n", stage, (double)ns / 1e6);
}

int cli_opinion(int argc, char **argv)
{
	struct cli_opinion_args a = {0};
	int rc = cli_opinion_parse(&a, argc, argv);
	if (rc == 3) {
		fputs(cli_opinion_usage, stdout);
		free(a.inconv);
		return 0;
	}
	if (rc) {
		free(a.inconv);
		return rc;
	}
	struct buf msg, out;
	buf_init(&msg);
	buf_init(&out);
	struct polis_data d;
	polis_data_init(&d);
	struct opinion_given given = {0};
	struct opinion o = {0};
	struct opinion_statement *st = NULL;
	rc = 1;

	uint64_t t0 = clock_mono_ns();
	enum err e = opinion_io_load(a.path, &d, &msg);
	if (e == ERR_OK && a.clusters)
		e = opinion_io_load_clusters(a.clusters, &given, &msg);
	if (e != ERR_OK) {
		fprintf(stderr, "consent opinion: %s\n", msg.data);
		goto out;
	}
	uint64_t t_read = clock_mono_ns() - t0;

	struct opinion_opts opts = {
	    .inconv = a.inconv,
	    .ninconv = a.ninconv,
	    .has_inconv = a.has_inconv,
	    .replay = d.timed,
	    .given = a.clusters ? &given : NULL,
	    .given_groups = a.given_groups,
	};
	st = polis_statements(&d);
	size_t bad = 0;
	e = opinion_run(&o, d.votes, d.nvotes, st, d.ncomments, &opts, &bad);
	if (e != ERR_OK) {
		fprintf(stderr, "consent opinion: %s: %s\n", a.path,
		        e == ERR_LIMIT ? "too many votes" : "invalid vote");
		goto out;
	}
	if (o.inconv_unknown)
		fprintf(stderr,
		        "consent opinion: warning: %zu --in-conv participants have no votes\n",
		        o.inconv_unknown);
	if (o.given_unknown)
		fprintf(stderr,
		        "consent opinion: warning: %zu cluster members of %s have no votes\n",
		        o.given_unknown, a.clusters);

	t0 = clock_mono_ns();
	polis_write_math(&out, &o);
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		fprintf(stderr, "consent opinion: writing the output failed\n");
		goto out;
	}
	uint64_t t_write = clock_mono_ns() - t0;
	uint64_t t_csv = 0;
	if (a.csv_out) {
		t0 = clock_mono_ns();
		if (opinion_io_write_csv(a.csv_out, &d, &o, &msg) != ERR_OK) {
			fprintf(stderr, "consent opinion: %s\n", msg.data);
			goto out;
		}
		t_csv = clock_mono_ns() - t0;
	}
	if (a.timings) {
		cli_opinion_time("read", t_read);
		for (int s = 0; s < OPINION_NSTAGES; s++)
			cli_opinion_time(opinion_stage_name((enum opinion_stage)s), o.stage_ns[s]);
		cli_opinion_time("write-json", t_write);
		if (a.csv_out)
			cli_opinion_time("write-csv", t_csv);
		struct rusage ru;
		if (getrusage(RUSAGE_SELF, &ru) == 0)
			fprintf(stderr, "opinion: %-15s %10.1f MB\n", "peak-rss",
			        (double)ru.ru_maxrss / 1024);
		fprintf(stderr,
		        "opinion: votes %zu, participants %zu, statements %zu, in-conv %zu, "
		        "pca iterations %u%s, groups %zu\n",
		        d.nvotes, o.m.nrows, o.m.ncols, o.ninconv, o.pca.iters,
		        o.pca.converged ? "" : " (not converged)", o.cl.ngroups);
	}
	rc = 0;
out:
	opinion_clear(&o);
	opinion_given_clear(&given);
	polis_data_clear(&d);
	free(st);
	free(a.inconv);
	buf_clear(&msg);
	buf_clear(&out);
	return rc;
}
