/* metrics.c - request counters by route and status, a latency histogram
 * and the open-connection gauge, in the Prometheus text format. Lock-free:
 * relaxed atomic counters. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "http/internal.h"

#define NSTATUS 600
static const double bucket_le[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
				   0.05,   0.1,   0.25,   0.5,   1,    2.5};
#define NBUCKETS (sizeof bucket_le / sizeof bucket_le[0])

static size_t nroutes;
static atomic_ulong *counts; /* (nroutes + 1) x NSTATUS; the last row is "unmatched" */
static atomic_ulong buckets[NBUCKETS + 1];
static atomic_ulong duration_us_sum;
static atomic_ulong duration_count;
static atomic_long open_conns;

void metrics_init(size_t n)
{
	nroutes = n;
	counts = xcalloc((n + 1) * NSTATUS, sizeof *counts);
}

void metrics_record(int route_index, int status, uint64_t ns)
{
	if (!counts)
		return;
	size_t row = route_index < 0 || (size_t)route_index >= nroutes ? nroutes : (size_t)route_index;
	if (status < 100 || status >= NSTATUS)
		status = 599;
	atomic_fetch_add_explicit(&counts[row * NSTATUS + (size_t)status], 1, memory_order_relaxed);
	double s = (double)ns / 1e9;
	size_t b = 0;
	while (b < NBUCKETS && s > bucket_le[b])
		b++;
	atomic_fetch_add_explicit(&buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&duration_us_sum, ns / 1000, memory_order_relaxed);
	atomic_fetch_add_explicit(&duration_count, 1, memory_order_relaxed);
}

void metrics_conn(int delta)
{
	atomic_fetch_add_explicit(&open_conns, delta, memory_order_relaxed);
}

static const char *method_name(enum method m)
{
	static const char *n[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"};
	return n[m];
}

void metrics_render(struct buf *b, const struct route *const *routes, size_t n)
{
	(void)n;
	buf_puts(b, "# HELP consent_http_requests_total HTTP requests by route and status.\n"
		    "# TYPE consent_http_requests_total counter\n");
	for (size_t r = 0; counts && r <= nroutes; r++) {
		for (int s = 100; s < NSTATUS; s++) {
			unsigned long v = atomic_load_explicit(&counts[r * NSTATUS + (size_t)s],
							       memory_order_relaxed);
			if (!v)
				continue;
			if (r == nroutes)
				buf_printf(b,
					   "consent_http_requests_total{method=\"\",route=\"unmatched\","
					   "status=\"%d\"} %lu\n",
					   s, v);
			else
				buf_printf(b,
					   "consent_http_requests_total{method=\"%s\",route=\"%s\","
					   "status=\"%d\"} %lu\n",
					   method_name(routes[r]->method), routes[r]->pattern, s, v);
		}
	}
	buf_puts(b, "# HELP consent_http_request_duration_seconds Time to answer a request.\n"
		    "# TYPE consent_http_request_duration_seconds histogram\n");
	unsigned long cum = 0;
	for (size_t i = 0; i < NBUCKETS; i++) {
		cum += atomic_load_explicit(&buckets[i], memory_order_relaxed);
		buf_printf(b, "consent_http_request_duration_seconds_bucket{le=\"%g\"} %lu\n",
			   bucket_le[i], cum);
	}
	cum += atomic_load_explicit(&buckets[NBUCKETS], memory_order_relaxed);
	buf_printf(b, "consent_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
	buf_printf(b, "consent_http_request_duration_seconds_sum %.6f\n",
		   (double)atomic_load(&duration_us_sum) / 1e6);
	buf_printf(b, "consent_http_request_duration_seconds_count %lu\n",
		   atomic_load(&duration_count));
	buf_printf(b,
		   "# HELP consent_http_open_connections Connections open now.\n"
		   "# TYPE consent_http_open_connections gauge\n"
		   "consent_http_open_connections %ld\n",
		   atomic_load(&open_conns));
}

void http_metrics(struct req *r)
{
	struct buf b;
	buf_init(&b);
	size_t n = http_route_count();
	const struct route **routes = xcalloc(n + 1, sizeof *routes);
	for (size_t i = 0; i < n; i++)
		routes[i] = http_route_at(i);
	metrics_render(&b, routes, n);
	free(routes);
	resp_body(r, 200, "text/plain; version=0.0.4; charset=utf-8", &b);
}
