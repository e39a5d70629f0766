/* consent serve: the HTTP server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "base/crypto.h"
#include "base/log.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/keys.h"
#include "domain/survey.h"
#include "domain/consult_math.h"
#include "domain/consult_vote.h"
#include "domain/vault.h"
#include "store/store.h"
#include "tlog/tlog.h"
#include "web/web.h"

static unsigned env_uint(const char *name, unsigned def)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	unsigned long n = strtoul(v, &end, 10);
	return *end || n == 0 || n > 1000000 ? def : (unsigned)n;
}

int cli_serve(int argc, char **argv)
{
	struct flag flags[] = {
		{"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
		{"listen", 1, "CONSENT_LISTEN", "HOST:PORT to listen on (default 127.0.0.1:8080)", NULL},
		{"keys", 1, "CONSENT_KEYS", "key file (default: beside a SQLite file)", NULL},
		{"threads", 1, "CONSENT_THREADS", "worker threads (default: 2 per core)", NULL},
		{"log-origin", 1, "CONSENT_LOG_ORIGIN", "origin of the accountability log's checkpoints (default: <host name>/log)", NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	int rc = args_parse("serve",
			    "Serves the web UI and the JSON API until SIGINT or SIGTERM.\n"
			    "Environment: CONSENT_BODY_LIMIT (bytes, default 1048576),\n"
			    "CONSENT_LOGIN_ACCOUNT_LIMIT / CONSENT_LOGIN_ADDR_LIMIT (attempts per\n"
			    "CONSENT_LOGIN_WINDOW seconds; defaults 5, 20, 300), CONSENT_SECURE_COOKIES=1,\n"
			    "CONSENT_MATH_DEBOUNCE_MS (wait after new votes before recomputing a\n"
			    "consultation's opinion math; default 1000).",
			    argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	const char *dsn = args_get(flags, "db");
	if (!dsn)
		dsn = DEFAULT_DSN;
	char err[512];
	char *kp = keys_path(args_get(flags, "keys"), dsn, err, sizeof err);
	if (!kp) {
		fprintf(stderr, "consent serve: %s\n", err);
		return 2;
	}
	struct keys keys;
	if (keys_load(kp, &keys, err, sizeof err) != ERR_OK) {
		fprintf(stderr, "consent serve: %s (run consent init first)\n", err);
		free(kp);
		return 1;
	}
	free(kp);
	const char *origin = args_get(flags, "log-origin");
	char *def_origin = origin ? NULL : tlog_default_origin();
	struct tlog *log = NULL;
	if (tlog_new(keys.sign_seed, origin ? origin : def_origin, &log) != ERR_OK) {
		fprintf(stderr, "consent serve: the log origin '%s' is not valid (no spaces, no '+')\n",
			origin ? origin : def_origin);
		free(def_origin);
		memset(&keys, 0, sizeof keys);
		return 2;
	}
	free(def_origin);
	struct store *s = cli_open_store("serve", dsn, 1);
	if (!s) {
		tlog_free(log);
		return 1;
	}
	struct store_conn *sc = store_conn(s, NULL, 0);
	if (!sc || survey_seed(sc) != ERR_OK) {
		fprintf(stderr, "consent serve: cannot seed the survey categories\n");
		tlog_free(log);
		store_close(s);
		return 1;
	}
	struct app app;
	memset(&app, 0, sizeof app);
	app.store = s;
	app.tlog = log;
	app.listen = args_get(flags, "listen") ? args_get(flags, "listen") : "127.0.0.1:8080";
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned def_threads = (unsigned)(cores > 0 ? cores * 2 : 4);
	const char *th = args_get(flags, "threads");
	app.threads = def_threads;
	if (th) {
		char *end;
		unsigned long n = strtoul(th, &end, 10);
		if (*end || n < 1 || n > 256) {
			fprintf(stderr, "consent serve: --threads must be 1..256\n");
			store_close(s);
			tlog_free(log);
			return 2;
		}
		app.threads = (unsigned)n;
	}
	app.body_limit = env_uint("CONSENT_BODY_LIMIT", 1024 * 1024);
	app.conn_timeout = env_uint("CONSENT_CONN_TIMEOUT", 30);
	app.login_account_limit = env_uint("CONSENT_LOGIN_ACCOUNT_LIMIT", 5);
	app.login_addr_limit = env_uint("CONSENT_LOGIN_ADDR_LIMIT", 20);
	app.login_window = env_uint("CONSENT_LOGIN_WINDOW", 300);
	app.secure_cookies = getenv("CONSENT_SECURE_COOKIES") && !strcmp(getenv("CONSENT_SECURE_COOKIES"), "1");
	crypto_derive(keys.master, "consent csrf v1", app.csrf_key);
	vault_kek(keys.master, app.data_kek);
	memset(&keys, 0, sizeof keys);
	api_register();
	if (web_setup(&app) != 0) {
		store_close(s);
		tlog_free(log);
		return 1;
	}
	/* The vote writer (group commit) and the opinion math worker run
	 * beside the server; the writer stops after the server so that
	 * requests finishing during shutdown still get their votes written. */
	if (consult_writer_start(s, 0) != ERR_OK ||
	    consult_math_start(s, env_uint("CONSENT_MATH_DEBOUNCE_MS", 1000)) != ERR_OK) {
		fprintf(stderr, "consent serve: cannot start the background threads\n");
		consult_writer_stop();
		store_close(s);
		return 1;
	}
	rc = http_serve(&app);
	consult_writer_stop();
	consult_math_stop();
	store_close(s);
	tlog_free(log);
	return rc;
}
