#include "opinion/polis.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void polis_data_init(struct polis_data *d)
{
	memset(d, 0, sizeof *d);
}

void polis_data_clear(struct polis_data *d)
{
	for (size_t i = 0; i < d->ncomments; i++)
		free(d->comments[i].text);
	free(d->comments);
	free(d->votes);
	memset(d, 0, sizeof *d);
}

void polis_add_vote(struct polis_data *d, int64_t time, int32_t pid, int32_t tid, int vote)
{
	if (d->nvotes == d->capvotes) {
		d->capvotes = d->capvotes ? 2 * d->capvotes : 1024;
		d->votes = xreallocarray(d->votes, d->capvotes, sizeof *d->votes);
	}
	struct matrix_vote *v = &d->votes[d->nvotes++];
	v->time = time;
	v->pid = pid;
	v->tid = tid;
	v->vote = (int8_t)-vote;
	if (time)
		d->timed = true;
}

void polis_add_comment(struct polis_data *d, const struct polis_comment *c)
{
	if (d->ncomments == d->capcomments) {
		d->capcomments = d->capcomments ? 2 * d->capcomments : 256;
		d->comments = xreallocarray(d->comments, d->capcomments, sizeof *d->comments);
	}
	d->comments[d->ncomments++] = *c;
}

int polis_parse_int(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (i == n || s[i] < '0' || s[i] > '9')
		return -1;
	uint64_t v = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (UINT64_C(1) << 62) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] == '0'; i++)
			;
	}
	if (i != n)
		return -1;
	int64_t x = neg ? -(int64_t)v : (int64_t)v;
	if (x < lo || x > hi)
		return -1;
	*out = x;
	return 0;
}

struct opinion_statement *polis_statements(const struct polis_data *d)
{
	struct opinion_statement *s = xmalloc((d->ncomments + 1) * sizeof *s);
	for (size_t i = 0; i < d->ncomments; i++) {
		s[i].tid = d->comments[i].tid;
		s[i].mod = d->comments[i].mod;
		s[i].is_meta = d->comments[i].is_meta;
	}
	return s;
}
