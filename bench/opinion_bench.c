/* opinion_bench - runs the opinion pipeline on a conversation and prints
 * the time of each stage and the peak memory (ru_maxrss) of the process.
 *
 *   opinion_bench DIR                      a Polis export (as consent opinion)
 *   opinion_bench PARTICIPANTS STATEMENTS VOTES [GROUPS]   synthetic
 *
 * Synthetic conversations: participants belong to GROUPS (default 3) latent opinion groups; each
 * statement has an agree probability per group; 15 % of votes are passes.
 * Every participant votes on VOTES / PARTICIPANTS distinct random
 * statements (at least 7, so everyone ends up in-conv), one vote per
 * second, participants arriving 10 ms apart; 1 % of the votes are later
 * changed (last vote wins). Deterministic (fixed seed). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "cli/opinion_io.h"
#include "opinion/opinion.h"
#include "opinion/polis.h"

static uint64_t bench_state = 0x9e3779b97f4a7c15ull;

static uint64_t bench_rand(void)
{
	bench_state ^= bench_state >> 12;
	bench_state ^= bench_state << 25;
	bench_state ^= bench_state >> 27;
	return bench_state * 0x2545f4914f6cdd1dull;
}

static double bench_unif(void)
{
	return (double)(bench_rand() >> 11) / 9007199254740992.0;
}

static int bench_cmp_time(const void *a, const void *b)
{
	const struct matrix_vote *x = a, *y = b;
	return (x->time > y->time) - (x->time < y->time);
}

static double bench_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024;
}

static void bench_stages(const struct opinion *o, double total_ms)
{
	for (int s = 0; s < OPINION_NSTAGES; s++)
		printf("  %-15s %10.1f ms\n", opinion_stage_name((enum opinion_stage)s),
		       (double)o->stage_ns[s] / 1e6);
	printf("  %-15s %10.1f ms\n", "total", total_ms);
	printf("  in-conv %zu, pca iterations %u%s, base clusters %zu, groups %zu\n", o->ninconv,
	       o->pca.iters, o->pca.converged ? "" : " (not converged)", o->cl.nbase,
	       o->cl.ngroups);
}

/* A real conversation, read as consent opinion reads it. */
static int bench_dir(const char *dir)
{
	struct polis_data d;
	struct buf msg, out;
	polis_data_init(&d);
	buf_init(&msg);
	buf_init(&out);
	uint64_t t0 = clock_mono_ns();
	if (opinion_io_load(dir, &d, &msg) != ERR_OK) {
		fprintf(stderr, "opinion_bench: %s\n", msg.data);
		return 1;
	}
	double read_ms = (double)(clock_mono_ns() - t0) / 1e6;
	struct opinion_statement *st = polis_statements(&d);
	struct opinion_opts opts = {.replay = d.timed};
	struct opinion o;
	t0 = clock_mono_ns();
	enum err e = opinion_run(&o, d.votes, d.nvotes, st, d.ncomments, &opts, NULL);
	double total_ms = (double)(clock_mono_ns() - t0) / 1e6;
	if (e != ERR_OK) {
		fprintf(stderr, "opinion_run: %s\n", err_str(e));
		return 1;
	}
	t0 = clock_mono_ns();
	polis_write_math(&out, &o);
	double write_ms = (double)(clock_mono_ns() - t0) / 1e6;
	printf("%s: %zu participants x %zu statements, %zu vote events (%zu cells)\n", dir,
	       o.m.nrows, o.m.ncols, d.nvotes, o.m.nnz);
	printf("  %-15s %10.1f ms  (parse the files)\n", "read", read_ms);
	bench_stages(&o, total_ms);
	printf("  %-15s %10.1f ms  (%zu bytes of JSON)\n", "write-json", write_ms, out.len);
	printf("  peak memory %.1f MB\n", bench_rss_mb());
	opinion_clear(&o);
	free(st);
	polis_data_clear(&d);
	buf_clear(&msg);
	buf_clear(&out);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2)
		return bench_dir(argv[1]);
	if (argc < 4) {
		fprintf(stderr, "usage: opinion_bench DIR\n"
		                "       opinion_bench PARTICIPANTS STATEMENTS VOTES [GROUPS]\n");
		return 2;
	}
	size_t np = strtoull(argv[1], NULL, 10), ns = strtoull(argv[2], NULL, 10);
	size_t nv = strtoull(argv[3], NULL, 10), ng = argc > 4 ? strtoull(argv[4], NULL, 10) : 3;
	if (!np || !ns || !ng)
		return 2;
	size_t per = nv / np < 7 ? 7 : nv / np;
	if (per > ns)
		per = ns;
	uint64_t t0 = clock_mono_ns();
	double *pa = xmalloc(ns * ng * sizeof *pa);
	for (size_t i = 0; i < ns * ng; i++)
		pa[i] = 0.1 + 0.8 * bench_unif();
	size_t cap = np * per + np * per / 100 + 16, n = 0;
	struct matrix_vote *v = xmalloc(cap * sizeof *v);
	unsigned char *used = xcalloc(ns, 1);
	uint32_t *mine = xmalloc(per * sizeof *mine);
	int sorted = 1;
	for (size_t p = 0; p < np; p++) {
		size_t g = bench_rand() % ng;
		for (size_t k = 0; k < per; k++) {
			uint32_t s;
			do
				s = (uint32_t)(bench_rand() % ns);
			while (used[s]);
			used[s] = 1;
			mine[k] = s;
			double u = bench_unif();
			int vote = u < 0.15 ? 0 : bench_unif() < pa[s * ng + g] ? -1 : 1;
			int64_t t = 1700000000000 + (int64_t)p * 10 + (int64_t)k * 1000;
			v[n++] = (struct matrix_vote){t, (int32_t)p, (int32_t)s, (int8_t)vote};
			if (n > 1 && v[n - 2].time > t)
				sorted = 0;
			if (bench_rand() % 100 == 0) /* changed later */
				v[n++] = (struct matrix_vote){t + 600000, (int32_t)p, (int32_t)s,
				                              (int8_t)(bench_rand() % 3) - 1};
		}
		for (size_t k = 0; k < per; k++)
			used[mine[k]] = 0;
	}
	if (!sorted) /* deliver the events in time order, as a database would */
		qsort(v, n, sizeof *v, bench_cmp_time);
	free(mine);
	free(used);
	free(pa);
	double gen_ms = (double)(clock_mono_ns() - t0) / 1e6;
	double rss_gen = bench_rss_mb();

	struct opinion o;
	t0 = clock_mono_ns();
	enum err e = opinion_run(&o, v, n, NULL, 0, NULL, NULL);
	double total_ms = (double)(clock_mono_ns() - t0) / 1e6;
	if (e != ERR_OK) {
		fprintf(stderr, "opinion_run: %s\n", err_str(e));
		return 1;
	}
	printf("synthetic: %zu participants x %zu statements, %zu vote events (%zu cells), "
	       "%zu latent groups\n",
	       np, ns, n, o.m.nnz, ng);
	printf("  %-15s %10.1f ms  (not part of the pipeline)\n", "generate", gen_ms);
	bench_stages(&o, total_ms);
	printf("  peak memory %.1f MB (%.1f MB after generating the %zu events of %zu bytes)\n",
	       bench_rss_mb(), rss_gen, n, sizeof *v);
	opinion_clear(&o);
	free(v);
	return 0;
}
