#!/usr/bin/env bash
# testdeps.sh — installs what the test suite needs beyond Go, when it is missing (CI runs on a fresh
# machine as root). The database is scripts/localdb.sh's job.
set -euo pipefail

need=()
command -v git >/dev/null || need+=(git)
command -v gcc >/dev/null || need+=(gcc) # the race detector needs cgo
command -v chromium >/dev/null || need+=(chromium) # the browser end-to-end tests (Debian's build; no downloads)
command -v pdftotext >/dev/null || need+=(poppler-utils) # reading generated reports back (pdftotext, pdfinfo, pdftoppm)
command -v curl >/dev/null || need+=(curl ca-certificates) # fetching axe-core from the npm registry (below)
command -v npm >/dev/null || need+=(nodejs npm) # the MCP inspector, a third-party MCP client the tests run (below)

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

# axe-core, the accessibility checker the browser tests run in each main page, from the npm registry (it
# runs inside Chromium, so Node is not needed). Pinned by version and checksum; kept under .local (ignored
# by git) so it is fetched once per checkout.
AXE_VERSION=4.14.1
AXE_SHA256=e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
axe="$root/.local/axe-core-$AXE_VERSION/axe.min.js"
if [ ! -s "$axe" ]; then
	echo "testdeps: fetching axe-core $AXE_VERSION" >&2
	tmp="$(mktemp -d)"
	curl -sSfL --retry 3 -o "$tmp/axe.tgz" "https://registry.npmjs.org/axe-core/-/axe-core-$AXE_VERSION.tgz" ||
		{ echo "testdeps: fetching axe-core failed" >&2; exit 1; }
	echo "$AXE_SHA256  $tmp/axe.tgz" | sha256sum -c --quiet - ||
		{ echo "testdeps: axe-core's checksum does not match" >&2; exit 1; }
	tar -xzf "$tmp/axe.tgz" -C "$tmp" package/axe.min.js
	mkdir -p "$(dirname "$axe")"
	mv "$tmp/package/axe.min.js" "$axe"
	rm -rf "$tmp"
fi

# The MCP inspector's command line, a third-party MCP client that web/mcp_inspector_test.go connects to
# /mcp, from the npm registry. scripts/mcp-inspector/package.json pins its version and package-lock.json
# the integrity (sha512) of it and of every package it needs: `npm ci` installs exactly those and refuses
# any that does not match. Kept under .local like axe-core, so it is installed once per checkout.
INSPECTOR_VERSION=1.0.3
inspector="$root/.local/mcp-inspector-$INSPECTOR_VERSION"
if [ ! -x "$inspector/node_modules/.bin/mcp-inspector" ]; then
	echo "testdeps: installing the MCP inspector $INSPECTOR_VERSION" >&2
	grep -q "\"@modelcontextprotocol/inspector\": \"$INSPECTOR_VERSION\"" "$root/scripts/mcp-inspector/package.json" ||
		{ echo "testdeps: scripts/mcp-inspector/package.json does not pin the inspector $INSPECTOR_VERSION" >&2; exit 1; }
	rm -rf "$inspector"
	mkdir -p "$inspector"
	cp "$root/scripts/mcp-inspector/package.json" "$root/scripts/mcp-inspector/package-lock.json" "$inspector/"
	log="$(mktemp)"
	(cd "$inspector" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >"$log" 2>&1 ||
		{ cat "$log" >&2; rm -rf "$inspector"; echo "testdeps: installing the MCP inspector failed" >&2; exit 1; }
	rm -f "$log"
fi
