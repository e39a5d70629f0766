/* ratelimit.c - fixed-window attempt counters in memory, keyed by a bucket
 * name and a key (an account or a client address). Keys are stored as
 * SHA-256 digests, so no email or address sits in memory longer than the
 * request. A full table evicts the oldest window. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "http/internal.h"

#define SLOTS 4096

struct slot {
	uint8_t key[CRYPTO_SHA256_LEN];
	int64_t window_start;
	unsigned count;
	int used;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void digest(const char *bucket, const char *key, uint8_t out[CRYPTO_SHA256_LEN])
{
	char tmp[512];
	size_t bl = strlen(bucket), kl = strlen(key);
	if (bl + kl + 1 > sizeof tmp)
		kl = sizeof tmp - bl - 1;
	memcpy(tmp, bucket, bl);
	tmp[bl] = '\n';
	memcpy(tmp + bl + 1, key, kl);
	crypto_sha256(tmp, bl + 1 + kl, out);
}

static struct slot *find(const uint8_t k[CRYPTO_SHA256_LEN], int64_t now, unsigned window,
			 int create)
{
	size_t h;
	memcpy(&h, k, sizeof h);
	struct slot *oldest = NULL;
	for (size_t i = 0; i < 16; i++) {
		struct slot *s = &slots[(h + i) % SLOTS];
		if (s->used && memcmp(s->key, k, CRYPTO_SHA256_LEN) == 0)
			return s;
		if (!s->used || s->window_start + window <= now) {
			if (!oldest || oldest->used)
				oldest = s;
		} else if (!oldest || (oldest->used && s->window_start < oldest->window_start)) {
			oldest = s;
		}
	}
	if (!create)
		return NULL;
	memcpy(oldest->key, k, CRYPTO_SHA256_LEN);
	oldest->used = 1;
	oldest->count = 0;
	oldest->window_start = now;
	return oldest;
}

int ratelimit_hit(const char *bucket, const char *key, unsigned limit, unsigned window,
		  unsigned *retry_after)
{
	uint8_t k[CRYPTO_SHA256_LEN];
	digest(bucket, key, k);
	int64_t now = clock_now();
	pthread_mutex_lock(&lock);
	struct slot *s = find(k, now, window, 1);
	if (s->window_start + window <= now) {
		s->window_start = now;
		s->count = 0;
	}
	int ok = s->count < limit;
	if (ok)
		s->count++;
	if (retry_after)
		*retry_after = (unsigned)(s->window_start + window - now);
	pthread_mutex_unlock(&lock);
	return ok;
}

int ratelimit_blocked(const char *bucket, const char *key, unsigned limit, unsigned window,
		      unsigned *retry_after)
{
	uint8_t k[CRYPTO_SHA256_LEN];
	digest(bucket, key, k);
	int64_t now = clock_now();
	pthread_mutex_lock(&lock);
	struct slot *s = find(k, now, window, 0);
	int blocked = s && s->window_start + window > now && s->count >= limit;
	if (blocked && retry_after)
		*retry_after = (unsigned)(s->window_start + window - now);
	pthread_mutex_unlock(&lock);
	return blocked;
}

void ratelimit_clear(const char *bucket, const char *key)
{
	uint8_t k[CRYPTO_SHA256_LEN];
	digest(bucket, key, k);
	pthread_mutex_lock(&lock);
	struct slot *s = find(k, clock_now(), 1, 0);
	if (s)
		memset(s, 0, sizeof *s);
	pthread_mutex_unlock(&lock);
}

int req_ratelimit(struct req *r, const char *bucket, const char *key, unsigned limit,
		  unsigned window)
{
	unsigned retry = 0;
	if (ratelimit_hit(bucket, key, limit, window, &retry))
		return 1;
	char v[16];
	snprintf(v, sizeof v, "%u", retry ? retry : 1);
	resp_header(r, "Retry-After", v);
	resp_error(r, 429, "too_many_requests", NULL,
		   "too many attempts; wait %u seconds and try again", retry ? retry : 1);
	return 0;
}

void req_ratelimit_clear(const char *bucket, const char *key)
{
	ratelimit_clear(bucket, key);
}
