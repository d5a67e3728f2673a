#!/bin/bash
# scale.sh [EDGES] [DIR]: issue 18's "ten million links on one machine",
# measured: a generated signed network of EDGES rows (graph/gen, seed 1;
# default 10^6) is loaded into a new bolt store, then served from it, and
# the script prints the load's wall time and peak RSS, the time until the
# server is ready, its resident memory (anonymous: the index; file-backed:
# bolt's mapped pages, which the kernel can drop), and the wall time of
# 20 traces (10 best chains of at most 6 links, n50 -> n500) over HTTP.
# DIR (default: a temporary directory) holds the file and the store, some
# 2.5 GB a million rows; with SCALE_REUSE=1 a store already there is
# served again without loading. Linux (reads /proc), needs curl.
set -euo pipefail
cd "$(dirname "$0")/.."
edges=${1:-1000000}
dir=${2:-$(mktemp -d)}
mkdir -p "$dir"
pid=
trap 'kill $pid 2>/dev/null || true' EXIT
go build -o "$dir/leydigkg" ./cmd/leydigkg
if [[ ${SCALE_REUSE:-} != 1 || ! -d $dir/store ]]; then
	go run ./scripts/memory/gennet "$edges" > "$dir/net.csv"
	rm -rf "$dir/store"
	/usr/bin/time -f "%e %M" -o "$dir/load.time" "$dir/leydigkg" load --store "bolt:$dir/store" "$dir/net.csv" 2>"$dir/load.log" >/dev/null
	read -r wall peak < "$dir/load.time"
	echo "load of $edges rows into bolt: ${wall} s, peak RSS $((peak / 1024)) MiB, store $(du -sh "$dir/store" | cut -f1)"
fi

. scripts/serve.sh
serve "$dir/leydigkg" "$dir/serve.log" --store "bolt:$dir/store"
sleep 2
kb() { awk -v k="$1" '$1 == k":" {print int($2 / 1024)}' "/proc/$pid/status"; }
echo "serve start: ready after ${ready} s; RSS $(kb VmRSS) MiB (anonymous $(kb RssAnon), bolt's mapped file $(kb RssFile)), peak $(kb VmHWM) MiB"

query='{"query":"{ trace(from: \"n50\", to: \"n500\", maxDepth: 6, limit: 10) { paths { netEffect } } }"}'
times=()
for _ in $(seq 20); do
	times+=("$(curl -s -o "$dir/trace.json" -w '%{time_total}' -H 'Content-Type: application/json' -d "$query" "http://127.0.0.1:$port/graphql")")
done
grep -q '"paths"' "$dir/trace.json" || { cat "$dir/trace.json"; exit 1; }
printf '%s\n' "${times[@]}" | sort -n | awk '{t[NR] = $1 * 1000} END {printf "trace n50 -> n500, depth 6, 10 chains, over HTTP: p50 %.1f ms, max %.1f ms (%d runs)\n", t[int((NR + 1) / 2)], t[NR], NR}'
