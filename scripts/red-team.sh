#!/bin/sh
# Runs the attacks of docs/red-team.md against 'leydigkg serve' started on
# 127.0.0.1 (a free port, a bolt store in a temporary directory) and prints
# the table with the observed column. Every loop is bounded; it takes about
# 5 s. Exits 1 when an observation is not what the table expects.
set -u
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
LEYDIGKG_REDTEAM=1 go test ./internal/cli -run '^TestRedTeam$' -count=1 -v >"$out" 2>&1
status=$?
grep '^|' "$out"
if [ $status -ne 0 ]; then
	grep -E '^\s+redteam_test.go|^(FAIL|ok)' "$out" >&2
	exit 1
fi
