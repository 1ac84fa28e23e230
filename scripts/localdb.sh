#!/usr/bin/env bash
# localdb.sh — a project-local PostgreSQL 15 cluster with pgvector, for `make run`, `make db` and `make test`.
#
# Idempotent and fast when everything is already there. It:
#   1. installs PostgreSQL 15 and its server headers from apt when missing (root only);
#   2. builds pgvector 0.8.0 from Debian's source package when the `vector` extension is missing;
#   3. initialises a cluster under .local/postgres (gitignored) listening on 127.0.0.1:$EXITINTERVIEW_PGPORT,
#      as the postgres user when run as root (initdb refuses root);
#   4. starts it when it is not running and creates the `exitinterview` database.
# The last line of its output is the DATABASE_URL of that database. Progress goes to stderr.
#
# EXITINTERVIEW_PGPORT (default 55432) only chooses the port of a new cluster. The port is written into the
# cluster's postgresql.conf when it is made, and every later run reads it back from there, so a shell whose
# EXITINTERVIEW_PGPORT differs (or is unset) still gets the URL of the cluster that is really running.
#
# Usage: scripts/localdb.sh [start|stop|url]
set -euo pipefail

PG_MAJOR=15
PGVECTOR_VERSION=0.8.0
PORT="${EXITINTERVIEW_PGPORT:-55432}" # replaced by the cluster's own port once there is a cluster
DB_NAME=exitinterview
DB_USER=exitinterview
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGBIN="/usr/lib/postgresql/$PG_MAJOR/bin"
PG_CONFIG_BIN="$PGBIN/pg_config"

say() { printf 'localdb: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# as_owner runs a command as the cluster's owner: postgres when we are root, ourselves otherwise.
as_owner() {
	if is_root; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# cluster_dir picks a folder the cluster owner can reach. Project-local by default; when root runs the
# project from a folder the postgres user cannot traverse (a checkout under /root, say), it falls back to
# a folder per checkout under /var/lib/postgresql.
cluster_dir() {
	local dir="$ROOT/.local/postgres"
	if is_root && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
		local id
		id="$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
		dir="/var/lib/postgresql/exitinterview-$id"
	fi
	printf '%s' "$dir"
}

apt_updated=0
apt_update() {
	if [ "$apt_updated" = 0 ]; then
		say "apt-get update"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
		apt_updated=1
	fi
}

apt_install() {
	is_root || die "missing packages ($*); install them or run as root"
	apt_update
	say "installing $*"
	local log
	log="$(mktemp)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1 ||
		{ cat "$log" >&2; die "apt-get install $* failed"; }
	rm -f "$log"
}

ensure_postgres() {
	local need=()
	[ -x "$PGBIN/postgres" ] || need+=("postgresql-$PG_MAJOR")
	[ -x "$PG_CONFIG_BIN" ] && [ -d "$("$PG_CONFIG_BIN" --includedir-server 2>/dev/null)" ] || need+=("postgresql-server-dev-$PG_MAJOR")
	if [ "${#need[@]}" -gt 0 ]; then
		apt_install "${need[@]}"
	fi
}

vector_installed() {
	[ -f "$("$PG_CONFIG_BIN" --sharedir)/extension/vector--$PGVECTOR_VERSION.sql" ] &&
		[ -f "$("$PG_CONFIG_BIN" --pkglibdir)/vector.so" ]
}

# ensure_pgvector builds pgvector from Debian's own source package (trixie serves 0.8.0; bookworm has none).
ensure_pgvector() {
	vector_installed && return 0
	is_root || die "the pgvector extension is missing; run this script once as root to build it"
	local need=()
	command -v make >/dev/null || need+=(make)
	command -v gcc >/dev/null || need+=(gcc)
	if [ "${#need[@]}" -gt 0 ]; then apt_install "${need[@]}"; fi
	local src=/etc/apt/sources.list.d/exitinterview-trixie-src.sources
	if [ ! -f "$src" ]; then
		say "adding a deb-src entry for trixie (source packages only) to fetch pgvector"
		cat >"$src" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		apt_updated=0
	fi
	apt_update
	local work
	work="$(mktemp -d)"
	chmod 755 "$work"
	say "fetching pgvector source into $work"
	# Pin the version; Debian's tarball is pgvector's own release, unchanged.
	(cd "$work" && apt-get source --download-only -qq "pgvector=$PGVECTOR_VERSION-1" >/dev/null 2>&1) ||
		die "apt-get source pgvector=$PGVECTOR_VERSION-1 failed"
	local orig
	orig="$(ls "$work"/pgvector_"$PGVECTOR_VERSION".orig.tar.* 2>/dev/null | head -1)"
	[ -n "$orig" ] || die "no pgvector $PGVECTOR_VERSION orig tarball among: $(ls "$work")"
	mkdir "$work/src"
	tar -xf "$orig" -C "$work/src" --strip-components=1
	say "building pgvector $PGVECTOR_VERSION"
	# OPTFLAGS="" keeps the build portable (no -march=native) so the extension runs on any x86-64 machine.
	make -s -C "$work/src" PG_CONFIG="$PG_CONFIG_BIN" OPTFLAGS="" -j"$(nproc)" >&2
	make -s -C "$work/src" PG_CONFIG="$PG_CONFIG_BIN" OPTFLAGS="" install >&2
	rm -rf "$work"
	vector_installed || die "pgvector did not install"
}

password_file() { printf '%s/password' "$1"; }

# cluster_port prints the port the cluster in $1 was made with: the last `port =` line of its
# postgresql.conf (the one ensure_cluster appends), or nothing when there is no cluster yet.
cluster_port() {
	local conf="$1/data/postgresql.conf"
	[ -f "$conf" ] || return 0
	sed -n 's/^[[:space:]]*port[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$conf" | tail -1
}

# use_cluster_port makes PORT the port of the cluster in $1, when there is one, and says so when the
# shell asked for another: the server listens where it was made to, whatever the shell says now.
use_cluster_port() {
	local made
	made="$(cluster_port "$1")"
	[ -n "$made" ] || return 0
	if [ -n "${EXITINTERVIEW_PGPORT:-}" ] && [ "$EXITINTERVIEW_PGPORT" != "$made" ]; then
		say "the cluster in $1 listens on $made, not EXITINTERVIEW_PGPORT=$EXITINTERVIEW_PGPORT; using $made (to move it: $0 stop, remove $1, start again)"
	fi
	PORT="$made"
}

# port_taken says whether something already listens on 127.0.0.1:$1 (another checkout's cluster, say).
port_taken() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

ensure_cluster() {
	local dir="$1"
	if [ -f "$dir/data/PG_VERSION" ]; then return 0; fi
	# A new cluster keeps its port for good, so refuse one that another server already holds.
	if port_taken "$PORT"; then
		die "127.0.0.1:$PORT is already taken (by another checkout's cluster?); choose a free port for this one: EXITINTERVIEW_PGPORT=55433 $0 start"
	fi
	say "initialising a cluster in $dir"
	mkdir -p "$dir"
	local pwfile
	pwfile="$(password_file "$dir")"
	if [ ! -s "$pwfile" ]; then
		(umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$pwfile")
	fi
	if is_root; then chown -R postgres:postgres "$dir"; fi
	chmod 700 "$dir"
	as_owner "$PGBIN/initdb" -D "$dir/data" -U "$DB_USER" --pwfile="$pwfile" \
		--auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
	cat >>"$dir/data/postgresql.conf" <<CONF

# exitinterview local cluster
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 256MB
maintenance_work_mem = 512MB
# Durability is not needed for a development and test cluster; speed is.
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
}

running() {
	as_owner "$PGBIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

start_cluster() {
	local dir="$1"
	running "$dir" && return 0
	# A sixth of the memory (256 MB to 4 GB) for shared buffers: search's HNSW index is fast while it
	# stays in them (about 2 GB at a million chunks; `bench --chunks 1000000` needs them). It is set at
	# each start, so a cluster made before keeps up with it.
	local mem_mb
	mem_mb=$(awk '/^MemTotal:/ { m = int($2 / 1024 / 6); if (m < 256) m = 256; if (m > 4096) m = 4096; print m }' /proc/meminfo)
	say "starting PostgreSQL on 127.0.0.1:$PORT"
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "-c shared_buffers=${mem_mb:-256}MB" start >/dev/null ||
		{ tail -20 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
}

ensure_database() {
	local dir="$1" pw
	pw="$(cat "$(password_file "$dir")")"
	if ! PGPASSWORD="$pw" psql -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres -Atqc \
		"SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
		say "creating database $DB_NAME"
		PGPASSWORD="$pw" psql -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres -qc "CREATE DATABASE $DB_NAME" >/dev/null
	fi
}

url() {
	local dir="$1" pw
	pw="$(cat "$(password_file "$dir")")"
	printf 'postgres://%s:%s@127.0.0.1:%s/%s?sslmode=disable\n' "$DB_USER" "$pw" "$PORT" "$DB_NAME"
}

main() {
	local cmd="${1:-start}" dir
	dir="$(cluster_dir)"
	use_cluster_port "$dir"
	case "$cmd" in
	start)
		ensure_postgres
		ensure_pgvector
		ensure_cluster "$dir"
		start_cluster "$dir"
		ensure_database "$dir"
		url "$dir"
		;;
	stop)
		if [ -f "$dir/data/PG_VERSION" ] && running "$dir"; then
			as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
			say "stopped"
		fi
		;;
	url)
		[ -f "$(password_file "$dir")" ] || die "no local cluster yet; run: make db"
		url "$dir"
		;;
	*) die "usage: $0 [start|stop|url]" ;;
	esac
}

main "$@"
