/* consent log bench: how fast the accountability log appends and proves,
 * on a throwaway database (it appends synthetic entries: never point it at
 * a real instance).
 *
 * Measures durable appends per second one at a time (a transaction, and so
 * an fsync, each) and in batches, then inclusion and consistency proof
 * latency and full-tile latency at the sizes given with --probe (the log is
 * grown in batches until it holds each of them). It resumes a log that
 * already holds entries, so a 10M run can follow a 1M one. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "tlog/tlog.h"

#define BENCH_BATCH_MAX 10000

struct bench_names {
	char actor[BENCH_BATCH_MAX][24];
	char object[BENCH_BATCH_MAX][32];
};

static uint64_t bench_rand(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* Entry i of the synthetic log, its strings in slot k of names. */
static struct tlog_entry bench_entry(struct bench_names *nm, size_t k, uint64_t i)
{
	uint64_t s = i + 1;
	snprintf(nm->actor[k], sizeof nm->actor[k], "u%016" PRIx64, bench_rand(&s) % 5000);
	snprintf(nm->object[k], sizeof nm->object[k], "report:%016" PRIx64, bench_rand(&s));
	struct tlog_entry e = {0,
	                       nm->actor[k],
	                       "officer",
	                       "leicestershire-police",
	                       "report.read",
	                       nm->object[k],
	                       "follow-up with the reporter"};
	return e;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Prints mean, median and 99th percentile of ns[0..n) in microseconds. */
static void bench_report(const char *what, uint64_t size, uint64_t *ns, size_t n)
{
	qsort(ns, n, sizeof *ns, cmp_u64);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)ns[i];
	printf("%-30s at %10" PRIu64 " entries: mean %7.1f us, p50 %7.1f us, p99 %7.1f us (%zu)\n",
	       what, size, sum / (double)n / 1e3, (double)ns[n / 2] / 1e3,
	       (double)ns[n * 99 / 100] / 1e3, n);
	fflush(stdout);
}

/* Times `count` proofs of each kind at the log's current size: with the
 * hash cache of t (after as many again to warm it: the server's case) and
 * without (NULL: every hash from the database). */
static int bench_proofs(struct store_conn *c, struct tlog *t, uint64_t size, size_t count)
{
	uint64_t *ns = malloc(count * sizeof *ns);
	uint8_t root[MERKLE_HASH_LEN], p[MERKLE_MAX_CONSISTENCY][MERKLE_HASH_LEN];
	size_t len;
	enum err e = ERR_OK;
	for (int pass = 0; pass < 3 && !e; pass++) {
		struct tlog *cache = pass == 0 ? NULL : t;
		const char *label = pass == 0 ? " (no cache)" : "";
		uint64_t seed = size * 7 + 1 + (uint64_t)pass;
		for (size_t i = 0; i < count && !e; i++) {
			uint64_t index = bench_rand(&seed) % size, t0 = clock_mono_ns();
			e = tlog_prove_inclusion(c, cache, index, size, root, p, &len);
			ns[i] = clock_mono_ns() - t0;
		}
		char what[64];
		snprintf(what, sizeof what, "inclusion proof%s", label);
		if (!e && pass != 1)
			bench_report(what, size, ns, count);
		for (size_t i = 0; i < count && !e && size > 1; i++) {
			uint64_t from = 1 + bench_rand(&seed) % (size - 1), t0 = clock_mono_ns();
			e = tlog_prove_consistency(c, cache, from, size, root, p, &len);
			ns[i] = clock_mono_ns() - t0;
		}
		snprintf(what, sizeof what, "consistency proof%s", label);
		if (!e && size > 1 && pass != 1)
			bench_report(what, size, ns, count);
	}
	size_t tiles = size / TILE_WIDTH ? count / 10 + 1 : 0;
	uint64_t seed = size;
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < tiles && !e; i++) {
		struct tile tl = {0, bench_rand(&seed) % (size / TILE_WIDTH), TILE_WIDTH};
		buf_reset(&b);
		uint64_t t0 = clock_mono_ns();
		e = tlog_tile(c, t, &tl, size, &b);
		ns[i] = clock_mono_ns() - t0;
	}
	buf_clear(&b);
	if (!e && tiles)
		bench_report("full level-0 tile", size, ns, tiles);
	free(ns);
	if (e)
		fprintf(stderr, "consent log bench: proof failed: %s\n", err_str(e));
	return e ? 1 : 0;
}

/* Parses "1000000,10000000" into sorted sizes. */
static size_t parse_sizes(const char *s, uint64_t *out, size_t max)
{
	size_t n = 0;
	while (s && *s && n < max) {
		char *end;
		unsigned long long v = strtoull(s, &end, 10);
		if (end == s)
			return 0;
		out[n++] = v;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return 0;
	}
	qsort(out, n, sizeof *out, cmp_u64);
	return n;
}

int cli_log_bench(int argc, char **argv)
{
	struct flag flags[] = {
	    {"db", 1, NULL, "a throwaway database (synthetic entries are appended)", NULL},
	    {"single", 1, NULL, "appends to time one at a time (default 1000)", NULL},
	    {"batch", 1, NULL, "entries per batched append (default 1000)", NULL},
	    {"probe", 1, NULL, "sizes to grow to and measure proofs at (default 1000000)", NULL},
	    {"proofs", 1, NULL, "proofs timed at each size (default 2000)", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	int rc = args_parse("log bench",
	                    "Measures the accountability log on a throwaway database: durable\n"
	                    "appends per second (one at a time, batched) and proof latency.",
	                    argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (!args_get(flags, "db")) {
		fprintf(stderr, "consent log bench: --db is required (a throwaway database)\n");
		return 2;
	}
	long single = args_get(flags, "single") ? atol(args_get(flags, "single")) : 1000;
	long batch = args_get(flags, "batch") ? atol(args_get(flags, "batch")) : 1000;
	long proofs = args_get(flags, "proofs") ? atol(args_get(flags, "proofs")) : 2000;
	uint64_t probes[16];
	size_t nprobes = parse_sizes(
	    args_get(flags, "probe") ? args_get(flags, "probe") : "1000000", probes, 16);
	if (single < 0 || batch < 1 || batch > BENCH_BATCH_MAX || proofs < 1 || !nprobes) {
		fprintf(stderr, "consent log bench: bad --single, --batch, --probe or --proofs\n");
		return 2;
	}
	struct store *s = cli_open_store("log bench", args_get(flags, "db"), 1);
	if (!s)
		return 1;
	struct store_conn *c = store_conn(s, NULL, 0);
	uint8_t seed[NOTE_KEY_LEN];
	crypto_random(seed, sizeof seed);
	struct tlog *t = NULL;
	tlog_new(seed, "bench.invalid/log", &t);
	struct bench_names *nm = malloc(sizeof *nm);
	struct tlog_entry *ents = malloc((size_t)batch * sizeof *ents);
	uint64_t size = 0, index;
	enum err e = tlog_size(c, &size);
	printf("log bench on %s: the log holds %" PRIu64 " entries\n",
	       store_kind(s) == STORE_SQLITE ? "SQLite" : "PostgreSQL", size);
	uint64_t t0 = clock_mono_ns();
	for (long i = 0; i < single && !e; i++) {
		ents[0] = bench_entry(nm, 0, size);
		if (!(e = tlog_append(c, &ents[0], &index)))
			size++;
	}
	if (!e && single) {
		double secs = (double)(clock_mono_ns() - t0) / 1e9;
		printf("durable appends, one per transaction: %ld in %.2f s = %.0f/s\n", single,
		       secs, (double)single / secs);
	}
	for (size_t p = 0; p < nprobes && !e; p++) {
		if (probes[p] < size && p + 1 < nprobes)
			continue; /* passed already (a resumed log) */
		if (probes[p] > size) {
			uint64_t start = size;
			t0 = clock_mono_ns();
			while (size < probes[p] && !e) {
				size_t n =
				    (size_t)(probes[p] - size < (uint64_t)batch ? probes[p] - size
				                                                : (uint64_t)batch);
				for (size_t k = 0; k < n; k++)
					ents[k] = bench_entry(nm, k, size + k);
				if (!(e = tlog_append_batch(c, ents, n, &index)))
					size += n;
			}
			double secs = (double)(clock_mono_ns() - t0) / 1e9;
			if (!e)
				printf("durable appends, batches of %ld: %" PRIu64
				       " in %.1f s = %.0f/s "
				       "(log now %" PRIu64 ")\n",
				       batch, size - start, secs, (double)(size - start) / secs,
				       size);
			fflush(stdout);
		}
		if (!e && bench_proofs(c, t, size, (size_t)proofs))
			e = ERR_INTERNAL;
	}
	if (e && e != ERR_INTERNAL)
		fprintf(stderr, "consent log bench: append failed: %s (%s)\n", err_str(e),
		        store_conn_errmsg(c));
	free(ents);
	free(nm);
	tlog_free(t);
	store_close(s);
	return e ? 1 : 0;
}
