#include "cli/opinion_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/xalloc.h"

enum err opinion_io_read(const char *path, struct buf *out, struct buf *msg)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		buf_printf(msg, "%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	char tmp[1 << 16];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_append(out, tmp, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		buf_printf(msg, "%s: read error", path);
		return ERR_IO;
	}
	return ERR_OK;
}

static int opinion_io_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

typedef enum err (*opinion_io_parser)(struct polis_data *d, const char *text, size_t len,
                                      const char *name, struct buf *msg);

static enum err opinion_io_parse(const char *path, struct polis_data *d, opinion_io_parser parse,
                                 struct buf *msg)
{
	struct buf text;
	buf_init(&text);
	enum err e = opinion_io_read(path, &text, msg);
	if (e == ERR_OK)
		e = parse(d, text.data, text.len, path, msg);
	buf_clear(&text);
	return e;
}

enum err opinion_io_load(const char *dir, struct polis_data *d, struct buf *msg)
{
	char *comments_csv = xasprintf("%s/comments.csv", dir);
	char *votes_csv = xasprintf("%s/votes.csv", dir);
	char *pv_csv = xasprintf("%s/participants-votes.csv", dir);
	char *comments_json = xasprintf("%s/comments.json", dir);
	char *votes_json = xasprintf("%s/votes.json", dir);
	enum err e;
	if (opinion_io_exists(votes_csv) || opinion_io_exists(pv_csv)) {
		e = opinion_io_parse(comments_csv, d, polis_read_comments_csv, msg);
		if (e == ERR_OK && opinion_io_exists(votes_csv))
			e = opinion_io_parse(votes_csv, d, polis_read_votes_csv, msg);
		else if (e == ERR_OK)
			e = opinion_io_parse(pv_csv, d, polis_read_participants_votes_csv, msg);
	} else if (opinion_io_exists(votes_json)) {
		e = opinion_io_parse(comments_json, d, polis_read_comments_json, msg);
		if (e == ERR_OK)
			e = opinion_io_parse(votes_json, d, polis_read_votes_json, msg);
	} else {
		buf_printf(msg,
		           "%s: no conversation here (expected votes.csv and comments.csv, or "
		           "votes.json and comments.json)",
		           dir);
		e = ERR_NOTFOUND;
	}
	free(comments_csv);
	free(votes_csv);
	free(pv_csv);
	free(comments_json);
	free(votes_json);
	return e;
}

enum err opinion_io_load_clusters(const char *path, struct opinion_given *g, struct buf *msg)
{
	struct buf text;
	buf_init(&text);
	enum err e = opinion_io_read(path, &text, msg);
	if (e == ERR_OK)
		e = polis_read_clusters_json(g, text.data, text.len, path, msg);
	buf_clear(&text);
	return e;
}

static enum err opinion_io_write(const char *dir, const char *name, const struct buf *b,
                                 struct buf *msg)
{
	char *path = xasprintf("%s/%s", dir, name);
	enum err e = ERR_OK;
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->len, f) != b->len) {
		buf_printf(msg, "%s: %s", path, strerror(errno));
		e = ERR_IO;
	}
	if (f && fclose(f) != 0 && e == ERR_OK) {
		buf_printf(msg, "%s: %s", path, strerror(errno));
		e = ERR_IO;
	}
	free(path);
	return e;
}

enum err opinion_io_write_csv(const char *dir, const struct polis_data *d, const struct opinion *o,
                              struct buf *msg)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		buf_printf(msg, "%s: %s", dir, strerror(errno));
		return ERR_IO;
	}
	struct buf b;
	buf_init(&b);
	polis_write_comments_csv(&b, d, o);
	enum err e = opinion_io_write(dir, "comments.csv", &b, msg);
	if (e == ERR_OK) {
		buf_reset(&b);
		polis_write_votes_csv(&b, d);
		e = opinion_io_write(dir, "votes.csv", &b, msg);
	}
	if (e == ERR_OK) {
		buf_reset(&b);
		polis_write_participants_votes_csv(&b, d, o);
		e = opinion_io_write(dir, "participants-votes.csv", &b, msg);
	}
	if (e == ERR_OK) {
		buf_reset(&b);
		polis_write_summary_csv(&b, d, o);
		e = opinion_io_write(dir, "summary.csv", &b, msg);
	}
	buf_clear(&b);
	return e;
}
