/* consent report-fill (not listed in the help): adds synthetic reports to a
 * database that has the demo's areas and organisations, through
 * report_create in transactions of --batch reports, for benchmarks
 * (bench/reports.bench fills 100k reports this way, then measures the
 * triage list and the statistics). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/keys.h"
#include "domain/account.h"
#include "domain/category.h"
#include "domain/org.h"
#include "domain/report.h"
#include "domain/vault.h"

static const char *pick(json_t *arr, const char *key, unsigned *seed)
{
	json_t *x = json_array_get(arr, (size_t)rand_r(seed) % json_array_size(arr));
	return json_string_value(json_object_get(x, key));
}

static long flag_long(const struct flag *flags, const char *name, long def, long lo, long hi)
{
	const char *v = args_get(flags, name);
	if (!v)
		return def;
	char *end;
	long n = strtol(v, &end, 10);
	return *end || n < lo || n > hi ? -1 : n;
}

int cli_report_fill(int argc, char **argv)
{
	struct flag flags[] = {
	    {"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
	    {"keys", 1, "CONSENT_KEYS", "key file (default: beside a SQLite file)", NULL},
	    {"count", 1, NULL, "reports to add (default 100000)", NULL},
	    {"batch", 1, NULL, "reports per transaction (default 1000)", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	int rc =
	    args_parse("report-fill",
	               "Adds synthetic reports (random categories, strands, areas, consent\n"
	               "levels and dates over two years) for benchmarks; needs the demo's areas.",
	               argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	long count = flag_long(flags, "count", 100000, 1, 10000000);
	long batch = flag_long(flags, "batch", 1000, 1, 100000);
	if (count < 0 || batch < 0) {
		fprintf(stderr,
		        "consent report-fill: --count and --batch must be positive numbers\n");
		return 2;
	}
	const char *dsn = args_get(flags, "db");
	char err[512];
	char *kp = keys_path(args_get(flags, "keys"), dsn ? dsn : DEFAULT_DSN, err, sizeof err);
	struct keys keys;
	if (!kp || keys_load(kp, &keys, err, sizeof err) != ERR_OK) {
		free(kp);
		fprintf(stderr, "consent report-fill: %s\n", err);
		return 1;
	}
	free(kp);
	uint8_t kek[CRYPTO_KEY_LEN];
	vault_kek(keys.master, kek);
	memset(&keys, 0, sizeof keys);
	struct store *s = cli_open_store("report-fill", dsn, 1);
	if (!s)
		return 1;
	struct store_conn *c = store_conn(s, NULL, 0);
	json_t *cats = NULL, *strands = NULL, *areas = NULL;
	struct actor anyone, member;
	memset(&anyone, 0, sizeof anyone);
	int64_t uid;
	int have_member = account_find(c, "member@consent.example", &uid) == ERR_OK &&
	                  account_actor_by_id(c, uid, &member) == ERR_OK;
	if (category_list(c, 0, 1, &cats) || category_strands(c, &strands) ||
	    area_list(c, &areas) || json_array_size(areas) == 0) {
		fprintf(stderr, "consent report-fill: no areas or categories (run consent demo)\n");
		json_decref(cats);
		json_decref(strands);
		json_decref(areas);
		store_close(s);
		return 1;
	}
	static const char *const consents[] = {"statistics", "anonymous", "identified"};
	unsigned seed = 42;
	int64_t now = clock_now();
	uint64_t t0 = clock_mono_ns();
	enum err e = ERR_OK;
	struct errinfo ei = {{0}, {0}};
	long done = 0;
	while (done < count && !e) {
		if ((e = store_begin(c)))
			break;
		for (long i = 0; i < batch && done < count && !e; i++, done++) {
			json_t *cat =
			    json_array_get(cats, (size_t)rand_r(&seed) % json_array_size(cats));
			struct report_input in = {0};
			in.category = json_string_value(json_object_get(cat, "code"));
			in.strands = json_array();
			if (json_is_true(json_object_get(cat, "strands")))
				json_array_append_new(in.strands,
				                      json_string(pick(strands, "code", &seed)));
			int64_t occurred = now - (int64_t)(rand_r(&seed) % (730 * 86400));
			char when[32];
			clock_format_rfc3339(occurred, when);
			in.occurred_at = when;
			in.filed_at = occurred + rand_r(&seed) % (3 * 86400);
			if (in.filed_at > now)
				in.filed_at = now;
			in.description =
			    "Synthetic report for a benchmark: what happened, where and "
			    "who was there, in a few sentences like a real report.";
			in.area = pick(areas, "slug", &seed);
			in.consent = consents[rand_r(&seed) % 3];
			in.email = "bench.reporter@example.org";
			in.source = "api";
			int via = have_member && rand_r(&seed) % 5 == 0;
			in.via = via ? "highfields-faith-centre" : NULL;
			struct report_receipt rc_;
			e = report_create(c, kek, via ? &member : &anyone, &in, &rc_, &ei);
			json_decref(in.strands);
		}
		if (!e)
			e = store_commit(c);
		else
			store_rollback(c);
	}
	double secs = (double)(clock_mono_ns() - t0) / 1e9;
	json_decref(cats);
	json_decref(strands);
	json_decref(areas);
	store_close(s);
	if (e) {
		fprintf(stderr, "consent report-fill: %s %s\n", ei.field,
		        ei.msg[0] ? ei.msg : err_str(e));
		return 1;
	}
	printf("%ld reports added in %.1f s (%.0f per second, %ld per transaction)\n", done, secs,
	       (double)done / secs, batch);
	return 0;
}
