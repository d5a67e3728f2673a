# Sourced by .ci/run: makes sure a PostgreSQL server is there for the tests.
#
# Installs Debian's postgresql when its programs are missing, starts a
# private server (its own data directory under a temp dir, loopback only,
# as the unprivileged "postgres" user when run as root, since PostgreSQL
# refuses to run as root), creates a database and exports
#
#   LEYDIGKG_TEST_POSTGRES  the DSN the store conformance suite runs on
#   LEYDIGKG_TEST_PGBIN     the server's bin directory, for the tests that
#                           start (and restart) servers of their own
#
# The server is stopped when the sourcing shell exits. Already set
# variables are kept: point them at your own server to use it instead.

pg_bindir() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/pg_ctl" ] && echo "$d"
	done | sort -V | tail -n 1
}

if [ -z "${LEYDIGKG_TEST_PGBIN:-}" ]; then
	if [ -z "$(pg_bindir)" ]; then
		echo "installing Debian's postgresql for the store tests" >&2
		export DEBIAN_FRONTEND=noninteractive
		sudo=""
		[ "$(id -u)" = 0 ] || sudo=sudo
		$sudo apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
	fi
	LEYDIGKG_TEST_PGBIN=$(pg_bindir)
	export LEYDIGKG_TEST_PGBIN
fi

if [ -z "${LEYDIGKG_TEST_POSTGRES:-}" ]; then
	pg_dir=$(mktemp -d /tmp/leydigkg-pg.XXXXXX)
	pg_port=$((20000 + RANDOM % 20000))
	as_pg=()
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$pg_dir"
		as_pg=(runuser -u postgres --)
	fi
	"${as_pg[@]}" "$LEYDIGKG_TEST_PGBIN/initdb" -D "$pg_dir/data" -U leydigkg -A trust --no-sync >"$pg_dir/initdb.log"
	for try in 1 2 3 4 5; do # a random port may be taken: try another
		if "${as_pg[@]}" "$LEYDIGKG_TEST_PGBIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
			-o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c max_connections=200" start >/dev/null; then
			break
		fi
		[ "$try" = 5 ] && { cat "$pg_dir/server.log" >&2; exit 1; }
		pg_port=$((20000 + RANDOM % 20000))
	done
	trap '"${as_pg[@]}" "$LEYDIGKG_TEST_PGBIN/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null; rm -rf "$pg_dir"' EXIT
	"$LEYDIGKG_TEST_PGBIN/createdb" -h 127.0.0.1 -p "$pg_port" -U leydigkg leydigkg_test
	export LEYDIGKG_TEST_POSTGRES="postgres://leydigkg@127.0.0.1:$pg_port/leydigkg_test?sslmode=disable"
	echo "PostgreSQL for the tests: $LEYDIGKG_TEST_POSTGRES" >&2
fi
