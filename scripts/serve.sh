# serve.sh, sourced by the measuring scripts: serve BINARY LOG ARGS...
# starts `BINARY serve` on a free local port with ARGS, logging to LOG,
# and waits until it is ready; it sets pid, port and ready (seconds from
# the start until /readyz answered). Needs curl and bc.
serve() {
	local bin=$1 log=$2 start
	shift 2
	port=$((20000 + RANDOM % 10000))
	start=$(date +%s.%N)
	"$bin" serve --addr "127.0.0.1:$port" "$@" 2>"$log" &
	pid=$!
	until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
		kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
		sleep 0.1
	done
	ready=$(echo "$(date +%s.%N) - $start" | bc)
}
