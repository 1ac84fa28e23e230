#!/usr/bin/env bash
# localdb_test.sh — checks that scripts/localdb.sh hands out the port its cluster was made with, whatever
# EXITINTERVIEW_PGPORT the shell has. It runs a copy of the script in a scratch checkout holding the files
# of a made cluster (no PostgreSQL is started), so it takes a moment and needs nothing installed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fails=0
fail() { printf 'localdb_test: FAIL: %s\n' "$*" >&2; fails=$((fails + 1)); }

# As root the script keeps a cluster under the checkout only when the postgres user can reach it.
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
	echo "localdb_test: skipped (root without a postgres user)" >&2
	exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir -p "$tmp/scripts"
cp "$here/localdb.sh" "$tmp/scripts/localdb.sh"
script="$tmp/scripts/localdb.sh"

# Before there is a cluster, `url` says so and fails.
if out="$(EXITINTERVIEW_PGPORT=55999 "$script" url 2>&1)"; then
	fail "url without a cluster succeeded: $out"
fi
case "$out" in *"no local cluster yet"*) ;; *) fail "url without a cluster said: $out" ;; esac

# A cluster made on port 55999: initdb's own commented default first, then the block the script appends.
dir="$tmp/.local/postgres"
mkdir -p "$dir/data"
echo 15 >"$dir/data/PG_VERSION"
echo secretpw >"$dir/password"
cat >"$dir/data/postgresql.conf" <<'CONF'
#port = 5432				# (change requires restart)

# exitinterview local cluster
listen_addresses = '127.0.0.1'
port = 55999
CONF
want='postgres://exitinterview:secretpw@127.0.0.1:55999/exitinterview?sslmode=disable'

for port in 55999 55432 1234 ""; do
	if ! got="$(EXITINTERVIEW_PGPORT="$port" "$script" url 2>"$tmp/stderr")"; then
		fail "url with EXITINTERVIEW_PGPORT='$port' failed: $(cat "$tmp/stderr")"
		continue
	fi
	[ "$got" = "$want" ] || fail "url with EXITINTERVIEW_PGPORT='$port' gave $got, want $want"
	# A shell asking for another port is told which one is used.
	if [ -n "$port" ] && [ "$port" != 55999 ] && ! grep -q 'listens on 55999' "$tmp/stderr"; then
		fail "url with EXITINTERVIEW_PGPORT='$port' did not say the cluster listens on 55999"
	fi
done

if [ "$fails" -gt 0 ]; then exit 1; fi
echo "localdb_test: ok" >&2
