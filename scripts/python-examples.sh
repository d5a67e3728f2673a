#!/bin/sh
# Runs every script of examples/python against the real server and checks
# what each prints. It builds leydigkg, starts 'leydigkg serve' on a free
# port of 127.0.0.1 (memory store, the curated graph), waits for /readyz,
# runs the scripts with $PYTHON (default python3, which needs pandas and
# networkx: Debian's python3-pandas and python3-networkx), and stops the
# server. Exits 1 when a script fails or prints something unexpected, and
# when a script of examples/python has no check here.
set -u
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

go build -o "$tmp/leydigkg" ./cmd/leydigkg || exit 1
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$tmp/leydigkg" serve --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
pid=$!
ready=""
for _ in $(seq 1 100); do
	if "$PYTHON" -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$port/readyz', timeout=1)" 2>/dev/null; then
		ready=1
		break
	fi
	sleep 0.1
done
if [ -z "$ready" ]; then
	echo "leydigkg serve did not become ready:" >&2
	cat "$tmp/serve.log" >&2
	exit 1
fi
export LEYDIGKG_URL="http://127.0.0.1:$port/graphql"

# Files for read_exports.py, as a user would write them.
"$tmp/leydigkg" export --format graphml --out "$tmp/graph.graphml" || exit 1
"$tmp/leydigkg" export --format cytoscape --out "$tmp/graph.cyjs" || exit 1

failed=0
checked=""
# check SCRIPT ARGS... -- WANT...: runs examples/python/SCRIPT and wants
# each WANT as a line of what it prints.
check() {
	script=$1
	shift
	args=""
	while [ "$1" != "--" ]; do
		args="$args $1"
		shift
	done
	shift
	checked="$checked $script"
	if ! out=$(cd examples/python && eval "\"$PYTHON\" $script $args" 2>&1); then
		echo "FAIL $script$args: exit status" >&2
		echo "$out" >&2
		failed=1
		return
	fi
	for want in "$@"; do
		if ! printf '%s\n' "$out" | grep -qxF -- "$want"; then
			echo "FAIL $script$args: no line \"$want\" in:" >&2
			echo "$out" >&2
			failed=1
			return
		fi
	done
	echo "ok   $script$args"
}

check trace_dataframe.py -- \
	"chronic_inflammation -> testosterone: 5 chain(s), 12 hop(s)" \
	"net effects: {'DECREASES': 5}" \
	"most confident chain: 0.8700"
check trace_dataframe.py '"LH"' testosterone -- \
	"luteinizing_hormone -> testosterone: 3 chain(s), 6 hop(s)"
check downstream_networkx.py -- \
	"downstream of chronic inflammation: 56 entities" \
	"graph: 57 nodes, 56 edges" \
	"chronic_inflammation -> testosterone: net DECREASES"
check read_exports.py -- \
	"trace graphml: 10 nodes, 18 edges, name 'chronic inflammation → testosterone: net DECREASES'" \
	"trace graphml effects: {'DECREASES': 9, 'INCREASES': 9}" \
	"trace cytoscape: 10 nodes, 18 edges, directed True" \
	"trace same edges in both: True"
check read_exports.py "$tmp/graph.graphml" "$tmp/graph.cyjs" -- \
	"files graphml: 85 nodes, 174 edges, name 'leydigkg'" \
	"files graphml kinds: ANATOMY, CELL, CONDITION, GENE_PRODUCT, HORMONE, MOLECULE, PROCESS, THERAPY" \
	"files cytoscape: 85 nodes, 174 edges, directed True" \
	"files same edges in both: True"

for f in examples/python/*.py; do
	name=$(basename "$f")
	[ "$name" = leydigkg_client.py ] && continue
	case " $checked " in
	*" $name "*) ;;
	*)
		echo "FAIL $name: no check in $0" >&2
		failed=1
		;;
	esac
done
exit $failed
