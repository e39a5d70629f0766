/* consent log: the accountability log from the shell.
 *   consent log verify --db DSN [--keys PATH | --vkey VKEY]
 *   consent log checkpoint --db DSN [--keys PATH] [--origin ORIGIN]
 *   consent log prove --db DSN --index I [--size N]
 *   consent log prove --db DSN --from M [--to N]
 *   consent log key --db DSN [--keys PATH] [--origin ORIGIN]
 *   consent log bench --db DSN [...] (not listed: measures appends and proofs) */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "tlog/tlog.h"

#define DB_FLAG                                                                                    \
	{                                                                                          \
		"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL            \
	}
#define KEYS_FLAG                                                                                  \
	{                                                                                          \
		"keys", 1, "CONSENT_KEYS", "key file (default: beside a SQLite file, PATH.keys)",  \
		    NULL                                                                           \
	}
#define ORIGIN_FLAG                                                                                \
	{                                                                                          \
		"origin", 1, "CONSENT_LOG_ORIGIN", "checkpoint origin (default: <host name>/log)", \
		    NULL                                                                           \
	}

/* Parses a decimal uint64 flag value; prints and returns -1 if bad. */
static int parse_u64(const char *cmd, const char *flag, const char *s, uint64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+') {
		fprintf(stderr, "consent log %s: --%s must be a whole number\n", cmd, flag);
		return -1;
	}
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || v > INT64_MAX) {
		fprintf(stderr, "consent log %s: --%s must be a whole number\n", cmd, flag);
		return -1;
	}
	*out = v;
	return 0;
}

static int log_verify(int argc, char **argv)
{
	struct flag flags[] = {
	    DB_FLAG,
	    KEYS_FLAG,
	    {"vkey", 1, NULL, "the log's verifier key (instead of the key file)", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	int rc =
	    args_parse("log verify",
	               "Recomputes the whole Merkle tree from the log's entries and checks\n"
	               "every stored subtree hash, every signed checkpoint (signature and root)\n"
	               "and every witness cosignature. Exits 0 if the log is sound, 1 naming\n"
	               "the first bad entry or checkpoint if not. Changes nothing.",
	               argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	const char *dsn = args_get(flags, "db"), *vkey = args_get(flags, "vkey");
	uint8_t pub[NOTE_KEY_LEN];
	if (vkey) {
		struct note_verifier v;
		if (note_verifier_parse(vkey, &v) != ERR_OK || v.type != NOTE_TYPE_ED25519) {
			fprintf(stderr,
			        "consent log verify: --vkey is not an Ed25519 verifier key\n");
			return 2;
		}
		memcpy(pub, v.pub, sizeof pub);
	} else {
		struct tlog *t =
		    cli_open_tlog("log verify", args_get(flags, "keys"), dsn, NULL, NULL);
		if (!t)
			return 1;
		tlog_public_key(t, pub);
		tlog_free(t);
	}
	struct store *s = cli_open_store("log verify", dsn, 0);
	if (!s)
		return 1;
	struct store_conn *c = store_conn(s, NULL, 0);
	struct tlog_verify_result res;
	uint64_t t0 = clock_mono_ns();
	enum err e = c ? tlog_verify(c, pub, &res) : ERR_UNAVAIL;
	double secs = (double)(clock_mono_ns() - t0) / 1e9;
	store_close(s);
	if (e) {
		fprintf(stderr, "consent log verify: FAILED: %s\n",
		        res.problem[0] ? res.problem : err_str(e));
		return 1;
	}
	printf("log verified in %.1f s: %" PRIu64 " entries, %" PRIu64 " subtree hashes, %" PRIu64
	       " checkpoints, %" PRIu64 " cosignatures\n",
	       secs, res.entries, res.hashes, res.checkpoints, res.cosignatures);
	return 0;
}

static int log_checkpoint(int argc, char **argv)
{
	struct flag flags[] = {DB_FLAG, KEYS_FLAG, ORIGIN_FLAG, {NULL, 0, NULL, NULL, NULL}};
	int rc = args_parse("log checkpoint",
	                    "Signs a checkpoint of the log's current size (unless the latest one\n"
	                    "already has it) and prints it with the witnesses' cosignatures.",
	                    argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	const char *dsn = args_get(flags, "db");
	struct tlog *t = cli_open_tlog("log checkpoint", args_get(flags, "keys"), dsn,
	                               args_get(flags, "origin"), NULL);
	if (!t)
		return 1;
	struct store *s = cli_open_store("log checkpoint", dsn, 1);
	if (!s) {
		tlog_free(t);
		return 1;
	}
	char *note = NULL;
	enum err e = tlog_checkpoint(t, store_conn(s, NULL, 0), TLOG_SIGN_NOW, &note, NULL);
	if (e)
		fprintf(stderr, "consent log checkpoint: %s (%s)\n", err_str(e),
		        store_conn_errmsg(store_conn(s, NULL, 0)));
	else
		fputs(note, stdout);
	free(note);
	store_close(s);
	tlog_free(t);
	return e ? 1 : 0;
}

static int log_key(int argc, char **argv)
{
	struct flag flags[] = {DB_FLAG, KEYS_FLAG, ORIGIN_FLAG, {NULL, 0, NULL, NULL, NULL}};
	int rc = args_parse("log key", "Prints the log's verifier key (name+id+key).", argc, argv,
	                    flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	struct tlog *t = cli_open_tlog("log key", args_get(flags, "keys"), args_get(flags, "db"),
	                               args_get(flags, "origin"), NULL);
	if (!t)
		return 1;
	char *v = tlog_vkey(t);
	printf("%s\n", v);
	free(v);
	tlog_free(t);
	return 0;
}

/* {"<name>": n, ...} helpers for the proof JSON. */
static json_t *proof_json(const uint8_t root[MERKLE_HASH_LEN],
                          const uint8_t (*hashes)[MERKLE_HASH_LEN], size_t len)
{
	char *r = crypto_b64(root, MERKLE_HASH_LEN);
	json_t *o = json_pack("{s:s}", "root", r);
	free(r);
	json_t *arr = json_array();
	for (size_t i = 0; i < len; i++) {
		char *h = crypto_b64(hashes[i], MERKLE_HASH_LEN);
		json_array_append_new(arr, json_string(h));
		free(h);
	}
	json_object_set_new(o, "hashes", arr);
	return o;
}

static int log_prove(int argc, char **argv)
{
	struct flag flags[] = {
	    DB_FLAG,
	    {"index", 1, NULL, "inclusion proof of this entry", NULL},
	    {"size", 1, NULL, "in the tree of this size (default: the log's size)", NULL},
	    {"from", 1, NULL, "consistency proof from the tree of this size", NULL},
	    {"to", 1, NULL, "to the tree of this size (default: the log's size)", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	int rc =
	    args_parse("log prove",
	               "Prints an inclusion proof (--index) or a consistency proof (--from)\n"
	               "as JSON: {\"index\" or \"from\"/\"to\", \"size\", \"root\", \"hashes\"},\n"
	               "hashes in base64, as GET /api/v1/log/proof/... answers.",
	               argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	const char *is = args_get(flags, "index"), *fs = args_get(flags, "from");
	const char *ss = args_get(flags, "size"), *ts = args_get(flags, "to");
	if (!is == !fs || (is && ts) || (fs && ss)) {
		fprintf(stderr, "consent log prove: give --index [--size] or --from [--to]\n");
		return 2;
	}
	uint64_t a = 0, b = 0;
	if (parse_u64("prove", is ? "index" : "from", is ? is : fs, &a) != 0 ||
	    ((ss || ts) && parse_u64("prove", ss ? "size" : "to", ss ? ss : ts, &b) != 0))
		return 2;
	struct store *s = cli_open_store("log prove", args_get(flags, "db"), 0);
	if (!s)
		return 1;
	struct store_conn *c = store_conn(s, NULL, 0);
	enum err e = ERR_OK;
	uint64_t size = b;
	if (!ss && !ts)
		e = tlog_size(c, &size);
	uint8_t root[MERKLE_HASH_LEN], p[MERKLE_MAX_CONSISTENCY][MERKLE_HASH_LEN];
	size_t len = 0;
	if (!e)
		e = is ? tlog_prove_inclusion(c, NULL, a, size, root, p, &len)
		       : tlog_prove_consistency(c, NULL, a, size, root, p, &len);
	if (e) {
		uint64_t have = 0;
		tlog_size(c, &have);
		if (e == ERR_INVAL)
			fprintf(stderr,
			        "consent log prove: no such proof: %s %" PRIu64 " of size %" PRIu64
			        " (the log holds %" PRIu64 " entries)\n",
			        is ? "index" : "from", a, size, have);
		else
			fprintf(stderr, "consent log prove: %s (%s)\n", err_str(e),
			        store_conn_errmsg(c));
		store_close(s);
		return 1;
	}
	store_close(s);
	json_t *o = proof_json(root, (const uint8_t(*)[MERKLE_HASH_LEN])p, len);
	if (is)
		json_object_set_new(o, "index", json_integer((json_int_t)a));
	else {
		json_object_set_new(o, "from", json_integer((json_int_t)a));
		json_object_set_new(o, "to", json_integer((json_int_t)size));
	}
	json_object_set_new(o, "size", json_integer((json_int_t)size));
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
	printf("%s\n", text);
	free(text);
	json_decref(o);
	return 0;
}

int cli_log(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} subs[] = {
	    {"verify", log_verify}, {"checkpoint", log_checkpoint}, {"prove", log_prove},
	    {"key", log_key},       {"bench", cli_log_bench},
	};
	if (argc >= 2)
		for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
			if (!strcmp(argv[1], subs[i].name))
				return subs[i].fn(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: consent log verify|checkpoint|prove|key [OPTIONS]\n\n"
		       "  verify      recompute and check the whole log (exit 1 on the first "
		       "problem)\n"
		       "  checkpoint  sign and print a checkpoint of the current size\n"
		       "  prove       print an inclusion or consistency proof (JSON)\n"
		       "  key         print the log's verifier key\n\n"
		       "consent log SUBCOMMAND --help shows its options.\n");
		return 0;
	}
	fprintf(stderr, "consent log: unknown subcommand '%s' (try: consent log --help)\n",
	        argc >= 2 ? argv[1] : "");
	return 2;
}
