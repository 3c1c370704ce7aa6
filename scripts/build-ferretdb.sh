#!/usr/bin/env bash
# Builds the embedded database launcher (FerretDB 1.24.2 with its SQLite and
# PostgreSQL backends) from tools/ferretdb via the Go module proxy. Skips the
# build when the binary is newer than its sources. Prints a line per step with
# the seconds elapsed, and a progress line every 15 s while Go works.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/tools/ferretdb"
BIN="$SRC/bin/ferretdb-launcher"
if [ -x "$BIN" ] && [ "$BIN" -nt "$SRC/main.go" ] && [ "$BIN" -nt "$SRC/go.sum" ] && [ "$BIN" -nt "$SRC/go.mod" ] && [ "$BIN" -nt "${BASH_SOURCE[0]}" ]; then
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "chatdesk: Go is needed to build the embedded database (or set MONGODB_URI)" >&2; exit 1; }
start=$SECONDS
step() { echo "chatdesk: [$((SECONDS - start)) s] $*" >&2; }

# Runs "$@" and prints a line every 15 s until it ends; returns its status.
with_progress() {
  local what="$1"; shift
  "$@" &
  local pid=$! status=0
  (
    while sleep 15; do
      kill -0 "$pid" 2>/dev/null || exit 0
      step "$what: still working"
    done
  ) &
  local ticker=$!
  wait "$pid" || status=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  return "$status"
}

step "building the embedded database (FerretDB 1.24.2); the first build takes a few minutes"
mkdir -p "$SRC/bin"
cd "$SRC"
step "go $(go env GOVERSION), downloading modules (GOPROXY=$(go env GOPROXY))"
with_progress "downloading modules" go mod download
step "modules ready; compiling"
with_progress "compiling" env CGO_ENABLED=0 go build -trimpath -o "$BIN.tmp" .
mv "$BIN.tmp" "$BIN"
step "built $BIN ($(du -h "$BIN" | cut -f1))"
