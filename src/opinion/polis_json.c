/* Polis JSON dumps (red-dwarf fixtures, API): votes.json, comments.json and
 * the clusters of a math blob. jansson parses; a small scan of the text
 * finds the line of each array element so errors can name it. */
#include "opinion/polis.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "opinion/idmap.h"

/* Line of the start of each element of the top-level array of text, in
 * order; returns how many were found (at most max). */
static size_t polis_json_lines(const char *text, size_t len, size_t *lines, size_t max)
{
	size_t line = 1, n = 0;
	int depth = 0, instr = 0, esc = 0, want = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (ch == '\n')
			line++;
		if (instr) {
			if (esc)
				esc = 0;
			else if (ch == '\\')
				esc = 1;
			else if (ch == '"')
				instr = 0;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			continue;
		if (depth == 1 && want && ch != ']') {
			if (n < max)
				lines[n] = line;
			n++;
			want = 0;
		}
		if (ch == '"')
			instr = 1;
		else if (ch == '[' || ch == '{') {
			if (++depth == 1 && ch == '[')
				want = 1;
		} else if (ch == ']' || ch == '}')
			depth--;
		else if (ch == ',' && depth == 1)
			want = 1;
	}
	return n < max ? n : max;
}

struct polis_json {
	const char *name;
	struct buf *msg;
	size_t *lines;
	size_t nlines;
};

static enum err polis_json_fail(struct polis_json *j, size_t item, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum err polis_json_fail(struct polis_json *j, size_t item, const char *fmt, ...)
{
	char s[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	size_t line = item < j->nlines ? j->lines[item] : 1;
	buf_printf(j->msg, "%s:%zu: %s", j->name, line, s);
	return ERR_INVAL;
}

/* Loads text as a JSON array and finds its elements' lines. */
static enum err polis_json_array(struct polis_json *j, json_t **out, const char *text, size_t len)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je);
	if (!root) {
		buf_printf(j->msg, "%s:%d: invalid JSON (%s)", j->name, je.line > 0 ? je.line : 1,
		           je.text);
		return ERR_INVAL;
	}
	if (!json_is_array(root)) {
		json_decref(root);
		buf_printf(j->msg, "%s:1: expected a JSON array", j->name);
		return ERR_INVAL;
	}
	j->nlines = json_array_size(root);
	j->lines = xmalloc((j->nlines + 1) * sizeof *j->lines);
	j->nlines = polis_json_lines(text, len, j->lines, j->nlines);
	*out = root;
	return ERR_OK;
}

/* An integer field: a JSON integer, an integral real or a decimal string.
 * Returns 1 if absent (or null), 0 if read, -1 if malformed. */
static int polis_json_int(json_t *obj, const char *key, const char *alt, int64_t lo, int64_t hi,
                          int64_t *out)
{
	json_t *v = json_object_get(obj, key);
	if ((!v || json_is_null(v)) && alt)
		v = json_object_get(obj, alt);
	if (!v || json_is_null(v))
		return 1;
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		if (x < lo || x > hi)
			return -1;
		*out = x;
		return 0;
	}
	if (json_is_real(v)) {
		double x = json_real_value(v);
		if (!(x >= (double)lo && x <= (double)hi) || x != (double)(int64_t)x)
			return -1;
		*out = (int64_t)x;
		return 0;
	}
	if (json_is_string(v))
		return polis_parse_int(json_string_value(v), json_string_length(v), lo, hi, out)
		           ? -1
		           : 0;
	return -1;
}

static int polis_json_need(struct polis_json *j, size_t i, json_t *obj, const char *key,
                           const char *alt, int64_t lo, int64_t hi, int64_t *out)
{
	int r = polis_json_int(obj, key, alt, lo, hi, out);
	if (r == 0)
		return 0;
	if (r > 0)
		polis_json_fail(j, i, "item %zu: missing \"%s\"", i, key);
	else
		polis_json_fail(j, i, "item %zu: bad \"%s\"%s", i, key,
		                lo == -1 && hi == 1 ? " (expected -1, 0 or 1)" : "");
	return -1;
}

enum err polis_read_votes_json(struct polis_data *d, const char *text, size_t len, const char *name,
                               struct buf *msg)
{
	struct polis_json j = {.name = name, .msg = msg};
	json_t *root;
	enum err e = polis_json_array(&j, &root, text, len);
	if (e != ERR_OK)
		return e;
	size_t i;
	json_t *it;
	json_array_foreach(root, i, it)
	{
		int64_t pid, tid, vote, t = 0;
		if (!json_is_object(it)) {
			e = polis_json_fail(&j, i, "item %zu: expected an object", i);
			break;
		}
		if (polis_json_need(&j, i, it, "participant_id", "pid", INT32_MIN, INT32_MAX,
		                    &pid) ||
		    polis_json_need(&j, i, it, "statement_id", "tid", INT32_MIN, INT32_MAX, &tid) ||
		    polis_json_need(&j, i, it, "vote", NULL, -1, 1, &vote)) {
			e = ERR_INVAL;
			break;
		}
		if (polis_json_int(it, "modified", "created", 0, INT64_MAX / 2, &t) < 0) {
			e = polis_json_fail(&j, i, "item %zu: bad \"modified\"", i);
			break;
		}
		polis_add_vote(d, t, (int32_t)pid, (int32_t)tid, (int)vote);
	}
	json_decref(root);
	free(j.lines);
	return e;
}

/* "created": milliseconds (number or string) or an RFC 3339 date-time. */
static int polis_json_time(json_t *obj, int64_t *out)
{
	json_t *v = json_object_get(obj, "created");
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v) && strchr(json_string_value(v), 'T')) {
		const char *s = json_string_value(v);
		int64_t sec;
		if (clock_parse_rfc3339(s, &sec) != 0)
			return -1;
		int64_t ms = 0;
		const char *dot = strchr(s, '.');
		if (dot)
			for (int k = 0; k < 3; k++)
				ms =
				    ms * 10 +
				    (dot[1 + k] >= '0' && dot[1 + k] <= '9' ? dot[1 + k] - '0' : 0);
		*out = sec * 1000 + ms;
		return 0;
	}
	return polis_json_int(obj, "created", NULL, 0, INT64_MAX / 2, out) < 0 ? -1 : 0;
}

enum err polis_read_comments_json(struct polis_data *d, const char *text, size_t len,
                                  const char *name, struct buf *msg)
{
	struct polis_json j = {.name = name, .msg = msg};
	json_t *root;
	enum err e = polis_json_array(&j, &root, text, len);
	if (e != ERR_OK)
		return e;
	struct idmap seen;
	idmap_init(&seen, 1, 0, 256);
	for (size_t k = 0; k < d->ncomments; k++)
		idmap_put(&seen, d->comments[k].tid, NULL);
	size_t i;
	json_t *it;
	json_array_foreach(root, i, it)
	{
		int64_t tid, mod = 0, author = -1, created;
		if (!json_is_object(it)) {
			e = polis_json_fail(&j, i, "item %zu: expected an object", i);
			break;
		}
		if (polis_json_need(&j, i, it, "statement_id", "tid", INT32_MIN, INT32_MAX, &tid)) {
			e = ERR_INVAL;
			break;
		}
		if (polis_json_int(it, "moderated", "mod", -1, 1, &mod) < 0) {
			e = polis_json_fail(&j, i,
			                    "item %zu: bad \"moderated\" (expected -1, 0 or 1)", i);
			break;
		}
		if (polis_json_int(it, "participant_id", "pid", INT32_MIN, INT32_MAX, &author) <
		    0) {
			e = polis_json_fail(&j, i, "item %zu: bad \"participant_id\"", i);
			break;
		}
		if (polis_json_time(it, &created) < 0) {
			e = polis_json_fail(&j, i, "item %zu: bad \"created\"", i);
			break;
		}
		json_t *meta = json_object_get(it, "is_meta");
		if (meta && !json_is_boolean(meta) && !json_is_null(meta)) {
			e = polis_json_fail(&j, i, "item %zu: bad \"is_meta\" (expected a boolean)",
			                    i);
			break;
		}
		int added;
		idmap_put(&seen, (int32_t)tid, &added);
		if (!added) {
			e = polis_json_fail(&j, i, "item %zu: statement %lld appears twice", i,
			                    (long long)tid);
			break;
		}
		json_t *txt = json_object_get(it, "txt");
		struct polis_comment c = {
		    .tid = (int32_t)tid,
		    .author = (int32_t)author,
		    .created = created,
		    .mod = (int)mod,
		    .is_meta = json_is_true(meta),
		    .text = json_is_string(txt) ? xstrdup(json_string_value(txt)) : NULL,
		};
		polis_add_comment(d, &c);
	}
	idmap_clear(&seen);
	json_decref(root);
	free(j.lines);
	return e;
}

/* Appends the integers of the JSON array a to *v (count *n, capacity *cap). */
static int polis_json_ints(json_t *a, int32_t **v, size_t *n, size_t *cap)
{
	if (!json_is_array(a))
		return -1;
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x)
	{
		if (!json_is_integer(x) || json_integer_value(x) < INT32_MIN ||
		    json_integer_value(x) > INT32_MAX)
			return -1;
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 64;
			*v = xreallocarray(*v, *cap, sizeof **v);
		}
		(*v)[(*n)++] = (int32_t)json_integer_value(x);
	}
	return 0;
}

enum err polis_read_clusters_json(struct opinion_given *g, const char *text, size_t len,
                                  const char *name, struct buf *msg)
{
	memset(g, 0, sizeof *g);
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je);
	if (!root) {
		buf_printf(msg, "%s:%d: invalid JSON (%s)", name, je.line > 0 ? je.line : 1,
		           je.text);
		return ERR_INVAL;
	}
	enum err e = ERR_INVAL;
	json_t *bc = json_object_get(root, "base-clusters");
	json_t *ids = json_object_get(bc, "id"), *members = json_object_get(bc, "members");
	size_t n = 0, cap = 0, nid = 0, capid = 0;
	if (polis_json_ints(ids, &g->base_id, &nid, &capid) || !json_is_array(members) ||
	    json_array_size(members) != nid) {
		buf_printf(msg,
		           "%s:1: \"base-clusters\" needs \"id\" and \"members\" arrays of the "
		           "same length",
		           name);
		goto out;
	}
	g->nbase = nid;
	g->base_off = xmalloc((nid + 1) * sizeof *g->base_off);
	for (size_t b = 0; b < nid; b++) {
		g->base_off[b] = n;
		if (polis_json_ints(json_array_get(members, b), &g->base_pids, &n, &cap)) {
			buf_printf(msg, "%s:1: base cluster %zu: members must be participant ids",
			           name, b);
			goto out;
		}
	}
	g->base_off[nid] = n;
	json_t *gc = json_object_get(root, "group-clusters");
	if (gc && !json_is_array(gc)) {
		buf_printf(msg, "%s:1: \"group-clusters\" must be an array", name);
		goto out;
	}
	size_t ng = gc ? json_array_size(gc) : 0;
	g->group_id = xmalloc((ng + 1) * sizeof *g->group_id);
	g->group_off = xmalloc((ng + 1) * sizeof *g->group_off);
	n = cap = 0;
	for (size_t k = 0; k < ng; k++) {
		json_t *grp = json_array_get(gc, k), *gid = json_object_get(grp, "id");
		g->group_off[k] = n;
		if (!json_is_integer(gid) ||
		    polis_json_ints(json_object_get(grp, "members"), &g->group_bids, &n, &cap)) {
			buf_printf(msg,
			           "%s:1: group cluster %zu needs an integer \"id\" and "
			           "\"members\" (base-cluster ids)",
			           name, k);
			goto out;
		}
		g->group_id[k] = (int32_t)json_integer_value(gid);
		g->ngroups = k + 1;
	}
	g->group_off[ng] = n;
	e = ERR_OK;
out:
	json_decref(root);
	return e;
}
