#!/usr/bin/env bash
# Builds the embedded database launcher (FerretDB 1.24.2, SQLite backend) from
# tools/ferretdb via the Go module proxy. Skips the build when the binary is
# newer than its sources.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/tools/ferretdb"
BIN="$SRC/bin/ferretdb-launcher"
if [ -x "$BIN" ] && [ "$BIN" -nt "$SRC/main.go" ] && [ "$BIN" -nt "$SRC/go.sum" ]; then
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "chatdesk: Go is needed to build the embedded database (or set MONGODB_URI)" >&2; exit 1; }
echo "chatdesk: building the embedded database (FerretDB 1.24.2); the first build takes a few minutes" >&2
mkdir -p "$SRC/bin"
(cd "$SRC" && CGO_ENABLED=0 go build -trimpath -tags ferretdb_no_postgresql -o "$BIN.tmp" . && mv "$BIN.tmp" "$BIN")
