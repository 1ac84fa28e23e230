#!/usr/bin/env bash
# testdeps.sh — installs what the test suite needs beyond Go, when it is missing (CI runs on a fresh
# machine as root). The database is scripts/localdb.sh's job.
set -euo pipefail

need=()
command -v git >/dev/null || need+=(git)
command -v gcc >/dev/null || need+=(gcc) # the race detector needs cgo

if [ "${#need[@]}" -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "testdeps: missing ${need[*]}; install them or run as root" >&2
		exit 1
	fi
	echo "testdeps: installing ${need[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
