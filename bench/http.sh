#!/bin/sh
# HTTP throughput with wrk on loopback: GET /healthz (liveness + a database
# check) and an authenticated JSON read (GET /api/v1/me with a bearer
# token), on SQLite and on PostgreSQL, side by side. wrk and the server share
# the machine's cores, as they would on a small host.
set -u
cd "$(dirname "$0")/.."
BIN=${CONSENT_BIN:-build/consent}
DUR=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_SERVER_THREADS:-2}
tmp=$(mktemp -d)
results=$tmp/results
: >"$results"

port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wrk_run NAME URL [HEADER]: prints "NAME req/s p50 p99"
wrk_run() {
	name=$1 url=$2
	shift 2
	out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --latency "$@" "$url" 2>&1)
	rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}')
	p50=$(printf '%s\n' "$out" | awk '$1=="50%" {print $2}')
	p99=$(printf '%s\n' "$out" | awk '$1=="99%" {print $2}')
	non2xx=$(printf '%s\n' "$out" | awk '/Non-2xx/ {print $NF}')
	echo "$name ${rps:-0} ${p50:-?} ${p99:-?} ${non2xx:-0}"
}

bench_backend() { # label dsn
	label=$1 dsn=$2
	keys=$tmp/$label.keys
	$BIN init --db "$dsn" --keys "$keys" >/dev/null || return 1
	printf 'correct horse battery staple\n' |
		$BIN user add --db "$dsn" --email bench@bench.example --role admin >/dev/null 2>&1
	p=$(port)
	CONSENT_KEYS=$keys $BIN serve --db "$dsn" --listen 127.0.0.1:"$p" --threads "$THREADS" \
		2>/dev/null &
	pid=$!
	for _ in $(seq 100); do
		curl -fs "http://127.0.0.1:$p/healthz" >/dev/null 2>&1 && break
		sleep 0.1
	done
	token=$(curl -fs -H 'Content-Type: application/json' \
		-d '{"email":"bench@bench.example","password":"correct horse battery staple"}' \
		"http://127.0.0.1:$p/api/v1/login" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
	wrk_run "$label healthz" "http://127.0.0.1:$p/healthz" >>"$results"
	wrk_run "$label me" "http://127.0.0.1:$p/api/v1/me" -H "Authorization: Bearer $token" >>"$results"
	kill "$pid"
	wait "$pid" 2>/dev/null
}

echo "HTTP benchmark: wrk -t2 -c$CONNS -d${DUR}s, server --threads $THREADS, $(nproc) cores"
bench_backend sqlite "sqlite:$tmp/bench.db"
export CONSENT_PG_STATE=$tmp/pg.state
if dsn=$(scripts/pg start 2>/dev/null); then
	bench_backend postgresql "$dsn"
	scripts/pg stop >/dev/null 2>&1
else
	echo "PostgreSQL did not start: its column is empty"
fi

/usr/bin/python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, what, rps, p50, p99, non2xx = line.split()
    rows[(label, what)] = (float(rps), p50, p99, non2xx)
print()
print(f"{'':24} {'SQLite':>30}   {'PostgreSQL':>30}")
print(f"{'':24} {'req/s':>10} {'p50':>9} {'p99':>9}   {'req/s':>10} {'p50':>9} {'p99':>9}")
for what, name in [("healthz", "GET /healthz"), ("me", "GET /api/v1/me (bearer)")]:
    cells = []
    for label in ["sqlite", "postgresql"]:
        r = rows.get((label, what))
        cells.append(f"{r[0]:>10.0f} {r[1]:>9} {r[2]:>9}" if r else f"{'-':>10} {'-':>9} {'-':>9}")
        if r and r[3] != "0":
            print(f"warning: {label} {what}: {r[3]} non-2xx answers")
    print(f"{name:24} {cells[0]}   {cells[1]}")
for label in ["sqlite", "postgresql"]:
    h, m = rows.get((label, "healthz")), rows.get((label, "me"))
    if h and m and h[0] > 0:
        print(f"{label}: JSON read / healthz = {m[0] / h[0]:.2f}")
PY
rm -rf "$tmp"
