#!/usr/bin/env bash
# testdeps.sh — installs what the test suite needs beyond Go, when it is missing (CI runs on a fresh
# machine as root). The database is scripts/localdb.sh's job.
set -euo pipefail

need=()
command -v git >/dev/null || need+=(git)
command -v gcc >/dev/null || need+=(gcc) # the race detector needs cgo
command -v chromium >/dev/null || need+=(chromium) # the browser end-to-end tests (Debian's build; no downloads)
command -v pdftotext >/dev/null || need+=(poppler-utils) # reading generated reports back (pdftotext, pdfinfo, pdftoppm)

if [ "${#need[@]}" -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "testdeps: missing ${need[*]}; install them or run as root" >&2
		exit 1
	fi
	echo "testdeps: installing ${need[*]}" >&2
	log="$(mktemp)"
	{ DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } >"$log" 2>&1 ||
		{ cat "$log" >&2; echo "testdeps: installing ${need[*]} failed" >&2; exit 1; }
	rm -f "$log"
fi
