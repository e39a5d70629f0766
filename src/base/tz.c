/* tz.c - TZif (RFC 8536) reader, POSIX TZ footer rules, and a process-wide
 * cache of the zones loaded (see tz.h for why not setenv("TZ")). */
#include "base/tz.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"

struct tz_type {
	int32_t off;
	int dst;
	char abbr[16];
};

/* One half of a POSIX rule: when a change happens in a year. */
struct tz_when {
	char kind;    /* 'M' month.week.day, 'J' Julian 1-365 without Feb 29, 'D' day 0-365 */
	int m, w, d;  /* for 'D' and 'J' only d is used */
	int32_t time; /* seconds after local midnight (may be negative or past 24h) */
};

struct tz_rule {
	int present;
	int has_dst;
	struct tz_type std, dst;
	struct tz_when start, end;
};

struct tz {
	char name[72];
	size_t n;           /* transitions */
	int64_t *times;     /* UTC instants, increasing */
	unsigned char *idx; /* type index of each transition */
	size_t ntypes;
	struct tz_type *types;
	struct tz_rule rule; /* for instants past the last transition */
	struct tz *next;     /* cache list */
};

int tz_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < 1 || n > 64 || name[0] == '/' || name[n - 1] == '/' || strstr(name, "..") ||
	    strstr(name, "//"))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '_' || c == '+' || c == '-'))
			return 0;
	}
	return 1;
}

/* --- POSIX TZ strings ("GMT0BST,M3.5.0/1,M10.5.0") ------------------------- */

static const char *posix_name(const char *p, char out[16])
{
	size_t n = 0;
	if (*p == '<') {
		p++;
		while (*p && *p != '>') {
			if (n < 15)
				out[n++] = *p;
			p++;
		}
		if (*p != '>')
			return NULL;
		p++;
	} else {
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
			if (n < 15)
				out[n++] = *p;
			p++;
		}
		if (n < 3)
			return NULL;
	}
	out[n] = '\0';
	return p;
}

/* [+-]h[h][:mm[:ss]] into seconds; hours up to 167 (RFC 8536 extension). */
static const char *posix_time(const char *p, int32_t *out)
{
	int sign = 1;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	int32_t part[3] = {0, 0, 0};
	for (int k = 0; k < 3; k++) {
		if (k > 0) {
			if (*p != ':')
				break;
			p++;
		}
		if (*p < '0' || *p > '9')
			return NULL;
		int32_t v = 0;
		for (int digits = 0; *p >= '0' && *p <= '9'; digits++, p++) {
			if (digits == 3)
				return NULL;
			v = v * 10 + (*p - '0');
		}
		part[k] = v;
	}
	if (part[0] > 167 || part[1] > 59 || part[2] > 59)
		return NULL;
	*out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	return p;
}

static const char *posix_int(const char *p, int *out, int lo, int hi)
{
	if (*p < '0' || *p > '9')
		return NULL;
	int v = 0;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p++ - '0');
		if (v > hi)
			return NULL;
	}
	if (v < lo)
		return NULL;
	*out = v;
	return p;
}

static const char *posix_when(const char *p, struct tz_when *w)
{
	w->time = 7200;
	if (*p == 'M') {
		w->kind = 'M';
		if (!(p = posix_int(p + 1, &w->m, 1, 12)) || *p++ != '.' ||
		    !(p = posix_int(p, &w->w, 1, 5)) || *p++ != '.' ||
		    !(p = posix_int(p, &w->d, 0, 6)))
			return NULL;
	} else if (*p == 'J') {
		w->kind = 'J';
		if (!(p = posix_int(p + 1, &w->d, 1, 365)))
			return NULL;
	} else {
		w->kind = 'D';
		if (!(p = posix_int(p, &w->d, 0, 365)))
			return NULL;
	}
	if (*p == '/')
		p = posix_time(p + 1, &w->time);
	return p;
}

static int posix_parse(const char *s, struct tz_rule *r)
{
	memset(r, 0, sizeof *r);
	const char *p = posix_name(s, r->std.abbr);
	int32_t west;
	if (!p || !(p = posix_time(p, &west)))
		return -1;
	r->std.off = -west;
	if (*p == '\0') {
		r->present = 1;
		return 0;
	}
	if (!(p = posix_name(p, r->dst.abbr)))
		return -1;
	r->dst.off = r->std.off + 3600;
	r->dst.dst = 1;
	if (*p && *p != ',') {
		if (!(p = posix_time(p, &west)))
			return -1;
		r->dst.off = -west;
	}
	if (*p != ',') /* no rule: POSIX leaves it to the implementation */
		return -1;
	if (!(p = posix_when(p + 1, &r->start)) || *p != ',' || !(p = posix_when(p + 1, &r->end)) ||
	    *p)
		return -1;
	r->has_dst = 1;
	r->present = 1;
	return 0;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The local day number (days since 1970-01-01) of a rule date in year y. */
static int64_t when_day(const struct tz_when *w, int64_t y)
{
	int64_t jan1 = clock_days_from_civil(y, 1, 1);
	if (w->kind == 'D')
		return jan1 + w->d;
	if (w->kind == 'J')
		return jan1 + w->d - 1 + (is_leap(y) && w->d >= 60);
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t first = clock_days_from_civil(y, (unsigned)w->m, 1);
	int dow = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
	int day = 1 + (w->d - dow + 7) % 7 + 7 * (w->w - 1);
	int len = mdays[w->m - 1] + (w->m == 2 && is_leap(y));
	while (day > len)
		day -= 7;
	return first + day - 1;
}

static const struct tz_type *rule_type(const struct tz_rule *r, int64_t t)
{
	if (!r->has_dst)
		return &r->std;
	int64_t y;
	unsigned mo, d;
	int64_t local = t + r->std.off;
	int64_t days = local / 86400 - (local % 86400 < 0);
	clock_civil_from_days(days, &y, &mo, &d);
	/* Start is given in standard time, end in daylight time. */
	int64_t start = when_day(&r->start, y) * 86400 + r->start.time - r->std.off;
	int64_t end = when_day(&r->end, y) * 86400 + r->end.time - r->dst.off;
	int in_dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
	return in_dst ? &r->dst : &r->std;
}

/* --- TZif ------------------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static int tzif_header(const unsigned char *p, size_t n, struct tzif_counts *c, int *version)
{
	if (n < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	*version = p[4] == 0 ? 1 : p[4] - '0';
	c->isut = be32(p + 20);
	c->isstd = be32(p + 24);
	c->leap = be32(p + 28);
	c->time = be32(p + 32);
	c->type = be32(p + 36);
	c->chars = be32(p + 40);
	if (c->type == 0 || c->type > 256 || c->chars == 0 || c->time > 100000 || c->leap > 1000 ||
	    c->chars > 4096 || (c->isut && c->isut != c->type) || (c->isstd && c->isstd != c->type))
		return -1;
	return 0;
}

static size_t tzif_body_len(const struct tzif_counts *c, size_t tsize)
{
	return c->time * tsize + c->time + c->type * 6 + c->chars + c->leap * (tsize + 4) +
	       c->isstd + c->isut;
}

enum err tz_parse(const void *data, size_t n, struct tz **out)
{
	const unsigned char *p = data;
	struct tzif_counts c;
	int version;
	*out = NULL;
	if (tzif_header(p, n, &c, &version))
		return ERR_INVAL;
	size_t tsize = 4;
	size_t len = tzif_body_len(&c, 4);
	if (44 + len > n)
		return ERR_INVAL;
	const unsigned char *body = p + 44;
	const unsigned char *end = p + n;
	if (version >= 2) {
		const unsigned char *h2 = body + len;
		if (tzif_header(h2, (size_t)(end - h2), &c, &version))
			return ERR_INVAL;
		tsize = 8;
		len = tzif_body_len(&c, 8);
		body = h2 + 44;
		if (len > (size_t)(end - body))
			return ERR_INVAL;
	}
	struct tz *z = xcalloc(1, sizeof *z);
	z->n = c.time;
	z->times = xcalloc(c.time + 1, sizeof *z->times);
	z->idx = xcalloc(c.time + 1, 1);
	z->ntypes = c.type;
	z->types = xcalloc(c.type, sizeof *z->types);
	const unsigned char *q = body;
	for (size_t i = 0; i < c.time; i++, q += tsize) {
		z->times[i] = tsize == 8 ? be64(q) : (int64_t)(int32_t)be32(q);
		if (i > 0 && z->times[i] <= z->times[i - 1])
			goto bad;
	}
	for (size_t i = 0; i < c.time; i++, q++) {
		if (*q >= c.type)
			goto bad;
		z->idx[i] = *q;
	}
	const unsigned char *chars = q + c.type * 6;
	for (size_t i = 0; i < c.type; i++, q += 6) {
		z->types[i].off = (int32_t)be32(q);
		z->types[i].dst = q[4] != 0;
		unsigned a = q[5];
		if (a >= c.chars || z->types[i].off < -89999 || z->types[i].off > 93599)
			goto bad;
		size_t k = 0;
		while (a + k < c.chars && chars[a + k] && k < sizeof z->types[i].abbr - 1) {
			z->types[i].abbr[k] = (char)chars[a + k];
			k++;
		}
		z->types[i].abbr[k] = '\0';
	}
	if (version >= 2) {
		const unsigned char *f = body + len;
		if (f < end && *f == '\n') {
			const unsigned char *nl = memchr(f + 1, '\n', (size_t)(end - f - 1));
			if (!nl)
				goto bad;
			if (nl > f + 1) {
				char rule[128];
				size_t rl = (size_t)(nl - f - 1);
				if (rl >= sizeof rule)
					goto bad;
				memcpy(rule, f + 1, rl);
				rule[rl] = '\0';
				if (posix_parse(rule, &z->rule))
					goto bad;
			}
		}
	}
	*out = z;
	return ERR_OK;
bad:
	tz_free(z);
	return ERR_INVAL;
}

void tz_free(struct tz *z)
{
	if (!z)
		return;
	free(z->times);
	free(z->idx);
	free(z->types);
	free(z);
}

static const struct tz_type *type_at(const struct tz *z, int64_t t)
{
	if (z->n == 0 || t < z->times[0]) {
		if (z->n == 0 && z->rule.present)
			return rule_type(&z->rule, t);
		/* Before the first transition: the first standard-time type. */
		for (size_t i = 0; i < z->ntypes; i++)
			if (!z->types[i].dst)
				return &z->types[i];
		return &z->types[0];
	}
	if (t >= z->times[z->n - 1] && z->rule.present)
		return rule_type(&z->rule, t);
	size_t lo = 0, hi = z->n; /* times[lo] <= t < times[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->times[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return &z->types[z->idx[lo]];
}

int32_t tz_offset(const struct tz *z, int64_t t)
{
	return type_at(z, t)->off;
}

void tz_local(const struct tz *z, int64_t t, struct tz_civil *out)
{
	const struct tz_type *ty = type_at(z, t);
	int64_t local = t + ty->off;
	int64_t days = local / 86400, rem = local % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	unsigned mo, d;
	clock_civil_from_days(days, &out->year, &mo, &d);
	out->month = (int)mo;
	out->day = (int)d;
	out->hour = (int)(rem / 3600);
	out->minute = (int)(rem % 3600 / 60);
	out->second = (int)(rem % 60);
	out->offset = ty->off;
	out->is_dst = ty->dst;
	snprintf(out->abbr, sizeof out->abbr, "%s", ty->abbr);
}

int64_t tz_to_utc(const struct tz *z, int64_t local)
{
	/* The offsets a day either side cover any single change. */
	int32_t before = tz_offset(z, local - 86400), after = tz_offset(z, local + 86400);
	int64_t a = local - before, b = local - after;
	int a_ok = a + tz_offset(z, a) == local, b_ok = b + tz_offset(z, b) == local;
	if (a_ok && b_ok)
		return a < b ? a : b;
	if (a_ok)
		return a;
	if (b_ok)
		return b;
	return a; /* in a gap: the offset before the change */
}

/* --- the cache -------------------------------------------------------------- */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz *cache;

static enum err tz_load(const char *name, struct tz **out)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return ERR_NOTFOUND;
	size_t cap = 8192, n = 0;
	unsigned char *data = xmalloc(cap);
	size_t got;
	while ((got = fread(data + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			if (cap >= (size_t)1 << 20)
				break;
			cap *= 2;
			data = xrealloc(data, cap);
		}
	}
	int failed = ferror(f);
	fclose(f);
	enum err e = failed ? ERR_NOTFOUND : tz_parse(data, n, out);
	free(data);
	return e;
}

enum err tz_get(const char *name, const struct tz **out)
{
	if (!tz_name_valid(name))
		return ERR_INVAL;
	pthread_mutex_lock(&cache_lock);
	enum err e = ERR_OK;
	struct tz *z;
	for (z = cache; z; z = z->next)
		if (strcmp(z->name, name) == 0)
			break;
	if (!z && (e = tz_load(name, &z)) == ERR_OK) {
		snprintf(z->name, sizeof z->name, "%s", name);
		z->next = cache;
		cache = z;
	}
	pthread_mutex_unlock(&cache_lock);
	if (!e)
		*out = z;
	return e;
}
