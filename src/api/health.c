/* health.c - GET /healthz (liveness and a database check), GET /metrics. */
#include "api/api.h"
#include "store/store.h"

static void healthz(struct req *r)
{
	struct store_conn *c = req_db(r);
	if (!c)
		return;
	static const char sql[] = "SELECT 1";
	struct store_stmt *st = store_prepare(c, sql);
	int ok = st && store_step(st) == STORE_ROW && store_col_int(st, 0) == 1;
	if (st)
		store_reset(st);
	if (!ok) {
		resp_error(r, 503, "unavailable", NULL, "the database does not answer");
		return;
	}
	static const char body[] = "{\"status\":\"ok\",\"database\":\"ok\"}\n";
	resp_bytes(r, 200, "application/json", body, sizeof body - 1);
}

static const struct route routes[] = {
	{M_GET, "/healthz", healthz, 0},
	{M_GET, "/metrics", http_metrics, 0},
};

void api_health_routes(void)
{
	http_routes(routes, sizeof routes / sizeof routes[0]);
}
