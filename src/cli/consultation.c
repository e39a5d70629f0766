/* consent consultation import | export | recompute: Polis conversations
 * in and out of the database, and the opinion math on demand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opinion_io.h"
#include "domain/consult_math.h"
#include "domain/consultation.h"

/* Takes the one positional argument (DIR) out of argv, so that args_parse
 * sees only flags. Returns it, or NULL if there is none. */
static const char *cli_consult_positional(int *argc, char **argv, const struct flag *flags)
{
	const char *pos = NULL;
	int k = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "--", 2)) {
			argv[k++] = argv[i];
			const char *eq = strchr(a, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			for (const struct flag *f = flags; f->name; f++)
				if (!eq && f->takes_value && strlen(f->name) == n &&
				    !strncmp(f->name, a + 2, n) && i + 1 < *argc) {
					argv[k++] = argv[++i];
					break;
				}
			continue;
		}
		if (!pos && strcmp(a, "-h")) {
			pos = a;
			continue;
		}
		argv[k++] = argv[i];
	}
	*argc = k;
	return pos;
}

/* The topic of a Polis summary.csv ("topic,TEXT" on its first lines), or
 * NULL. Caller frees. */
static char *cli_consult_topic(const char *dir)
{
	char *path = xasprintf("%s/summary.csv", dir);
	struct buf text, msg;
	buf_init(&text);
	buf_init(&msg);
	char *topic = NULL;
	if (opinion_io_read(path, &text, &msg) == ERR_OK && text.data) {
		const char *p = text.data;
		if (!strncmp(p, "topic,", 6)) {
			p += 6;
			struct buf t;
			buf_init(&t);
			if (*p == '"') {
				for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
					if (*p == '"')
						p++;
					buf_putc(&t, *p);
				}
			} else {
				while (*p && *p != '\n' && *p != '\r')
					buf_putc(&t, *p++);
			}
			topic = t.data ? buf_take(&t) : NULL;
		}
	}
	buf_clear(&text);
	buf_clear(&msg);
	free(path);
	return topic;
}

static int cli_consult_fail(const char *cmd, enum err e, const struct errinfo *ei)
{
	fprintf(stderr, "consent consultation %s: %s%s%s\n", cmd, ei->field,
	        ei->field[0] ? " " : "", ei->msg[0] ? ei->msg : err_str(e));
	return 1;
}

static int cli_consult_import(int argc, char **argv)
{
	struct flag flags[] = {
	    {"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
	    {"org", 1, NULL, "slug of the organisation that brings the conversation in", NULL},
	    {"org2", 1, NULL, "slug of a second organising organisation", NULL},
	    {"area", 1, NULL, "slug of the area it concerns", NULL},
	    {"question", 1, NULL, "the question (default: the topic of summary.csv)", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	const char *dir = cli_consult_positional(&argc, argv, flags);
	int rc =
	    args_parse("consultation import",
	               "consent consultation import --db DSN --org SLUG DIR\n\n"
	               "Brings a Polis conversation in: DIR holds its export (comments.csv with\n"
	               "votes.csv, as in compdemocracy/openData). It becomes a closed\n"
	               "consultation, open from its first vote to its last, and its opinion\n"
	               "math is computed at once.",
	               argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (!dir || !args_get(flags, "org")) {
		fprintf(stderr, "consent consultation import: --org SLUG and DIR are required\n");
		return 2;
	}
	struct polis_data d;
	polis_data_init(&d);
	struct buf msg;
	buf_init(&msg);
	char *topic = NULL;
	struct store *s = NULL;
	rc = 1;
	enum err e = opinion_io_load(dir, &d, &msg);
	if (e) {
		fprintf(stderr, "consent consultation import: %s\n", msg.data);
		goto out;
	}
	topic = args_get(flags, "question") ? xstrdup(args_get(flags, "question"))
	                                    : cli_consult_topic(dir);
	if (!topic) {
		fprintf(stderr,
		        "consent consultation import: %s has no summary.csv topic; give "
		        "--question\n",
		        dir);
		rc = 2;
		goto out;
	}
	int64_t first = 0, last = 0;
	for (size_t i = 0; i < d.nvotes; i++) {
		int64_t t = d.votes[i].time;
		if (t && (!first || t < first))
			first = t;
		if (t > last)
			last = t;
	}
	int64_t now = clock_now();
	struct consult_new n = {
	    .question = topic,
	    .area = args_get(flags, "area"),
	    .allow_no_area = 1,
	    .orgs = {args_get(flags, "org"), args_get(flags, "org2")},
	    .opens_at = first ? first / 1000 : now - 1,
	    .closes_at = last ? last / 1000 + 1 : now,
	    .moderation = "permissive",
	    .polis = 1,
	};
	if (!(s = cli_open_store("consultation import", args_get(flags, "db"), 1)))
		goto out;
	struct store_conn *c = store_conn(s, NULL, 0);
	struct errinfo ei = {{0}, {0}};
	int64_t id = 0;
	if ((e = store_begin(c))) {
		fprintf(stderr, "consent consultation import: cannot start a transaction\n");
		goto out;
	}
	if (!(e = consult_create(c, &n, 0, &id, &ei)) && !(e = consult_import(c, id, &d, &ei)))
		e = consult_math_update(c, id, NULL, &ei);
	if (e) {
		store_rollback(c);
		rc = cli_consult_fail("import", e, &ei);
		goto out;
	}
	if ((e = store_commit(c))) {
		fprintf(stderr, "consent consultation import: commit failed: %s\n",
		        store_conn_errmsg(c));
		goto out;
	}
	printf("consultation %lld imported: %zu statements, %zu vote events\n", (long long)id,
	       d.ncomments, d.nvotes);
	rc = 0;
out:
	store_close(s);
	polis_data_clear(&d);
	buf_clear(&msg);
	free(topic);
	return rc;
}

static int cli_consult_export(int argc, char **argv)
{
	struct flag flags[] = {
	    {"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
	    {"id", 1, NULL, "the consultation's number", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	const char *dir = cli_consult_positional(&argc, argv, flags);
	int rc =
	    args_parse("consultation export",
	               "consent consultation export --db DSN --id N DIR\n\n"
	               "Writes Polis' export files of the consultation into DIR (created if\n"
	               "missing): comments.csv, votes.csv, participants-votes.csv, summary.csv.",
	               argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	int64_t id = consult_id_parse(args_get(flags, "id"));
	if (!dir || !id) {
		fprintf(stderr, "consent consultation export: --id N and DIR are required\n");
		return 2;
	}
	struct store *s = cli_open_store("consultation export", args_get(flags, "db"), 1);
	if (!s)
		return 1;
	struct polis_data d;
	polis_data_init(&d);
	struct opinion o = {0};
	struct buf msg;
	buf_init(&msg);
	rc = 1;
	enum err e = consult_load(store_conn(s, NULL, 0), id, &d, NULL);
	if (e == ERR_NOTFOUND)
		fprintf(stderr, "consent consultation export: no consultation %lld\n",
		        (long long)id);
	else if (e)
		fprintf(stderr, "consent consultation export: cannot read it: %s\n", err_str(e));
	else if ((e = consult_math_run(&d, &o)))
		fprintf(stderr, "consent consultation export: the math failed\n");
	else if ((e = opinion_io_write_csv(dir, &d, &o, &msg)))
		fprintf(stderr, "consent consultation export: %s\n", msg.data);
	else
		rc = 0;
	opinion_clear(&o);
	polis_data_clear(&d);
	buf_clear(&msg);
	store_close(s);
	return rc;
}

static int cli_consult_recompute(int argc, char **argv)
{
	struct flag flags[] = {
	    {"db", 1, "CONSENT_DB", "database DSN (default sqlite:consent.db)", NULL},
	    {"id", 1, NULL, "the consultation's number", NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	int rc =
	    args_parse("consultation recompute",
	               "consent consultation recompute --db DSN --id N\n\n"
	               "Computes and stores the opinion math of a consultation now (a running\n"
	               "server does it by itself after new votes) and prints how long it took.",
	               argc, argv, flags);
	if (rc)
		return rc == 1 ? 0 : rc;
	int64_t id = consult_id_parse(args_get(flags, "id"));
	if (!id) {
		fprintf(stderr, "consent consultation recompute: --id N is required\n");
		return 2;
	}
	struct store *s = cli_open_store("consultation recompute", args_get(flags, "db"), 1);
	if (!s)
		return 1;
	struct consult_timing t;
	struct errinfo ei = {{0}, {0}};
	enum err e = consult_math_update(store_conn(s, NULL, 0), id, &t, &ei);
	store_close(s);
	if (e)
		return cli_consult_fail("recompute", e, &ei);
	printf("consultation %lld: %zu votes; load %.1f ms, math %.1f ms, results %.1f ms, "
	       "store %.1f ms, total %.1f ms\n",
	       (long long)id, t.votes, t.load_ms, t.math_ms, t.build_ms, t.store_ms,
	       t.load_ms + t.math_ms + t.build_ms + t.store_ms);
	return 0;
}

int cli_consultation(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "import"))
		return cli_consult_import(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "export"))
		return cli_consult_export(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "recompute"))
		return cli_consult_recompute(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: consent consultation import --db DSN --org SLUG [--org2 SLUG] "
		       "[--area SLUG] [--question TEXT] DIR\n"
		       "       consent consultation export --db DSN --id N DIR\n"
		       "       consent consultation recompute --db DSN --id N\n");
		return 0;
	}
	fprintf(stderr,
	        "consent consultation: unknown subcommand '%s' (import, export or recompute)\n",
	        argc >= 2 ? argv[1] : "");
	return 2;
}
