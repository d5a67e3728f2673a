#!/bin/bash
# memory.sh [EDGES]: the resident memory of `leydigkg serve` holding a
# generated signed network of EDGES rows (default 10^5) in memory, beside
# cayley's memstore holding the same edges as one quad each (issue 18:
# at most 1.5 times). Linux (reads /proc).
set -euo pipefail
cd "$(dirname "$0")/.."
edges=${1:-100000}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
pid=
go run ./scripts/memory/gennet "$edges" > "$tmp/net.csv"
go build -o "$tmp/leydigkg" ./cmd/leydigkg
go run ./scripts/memory/cayleyrss "$tmp/net.csv"
. scripts/serve.sh
serve "$tmp/leydigkg" "$tmp/log" --store memory --data "$tmp/net.csv"
sleep 1
echo "leydigkg serve, memory store: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status) (ready after ${ready}s; peak $(awk '/VmHWM/ {print $2, $3}' /proc/$pid/status))"
