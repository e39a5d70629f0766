#!/bin/sh
# bench/opinion.sh - time and peak memory of the opinion pipeline (consent
# opinion's math) on the largest real conversations in ../shared and on
# synthetic ones of 1M and 10M votes. Goals: 1M votes < 0.5 s, 10M votes
# < 5 s and < 1 GB. Each case runs in its own process, so ru_maxrss is its
# own peak. Usage: bench/opinion.sh [--quick]   (--quick: skip 10M)
set -eu
cd "$(dirname "$0")/.."
B=${B:-build}
make -s "$B/libconsent.a"
CFLAGS="-std=c17 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
-Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wformat=2 -O2 -g -Isrc"
# shellcheck disable=SC2086
cc $CFLAGS -o "$B/opinion_bench" bench/opinion_bench.c "$B/libconsent.a" \
	$(pkg-config --libs jansson) -lcsv -lm

DATA=../shared/data/polis/conversations
echo "== real conversations (read, pipeline, JSON)"
for c in vtaiwan.uberx austria-climate.5twd2jsnkf.2022-08-08 american-assembly.bowling-green; do
	if [ -d "$DATA/$c" ]; then
		"$B/opinion_bench" "$DATA/$c"
	fi
done
echo "== synthetic"
"$B/opinion_bench" 100000 2000 1000000
if [ "${1:-}" != "--quick" ]; then
	"$B/opinion_bench" 500000 10000 10000000
fi
