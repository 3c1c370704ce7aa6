#!/usr/bin/env bash
# Sourced by start.sh and test.sh: Node.js 22+, npm packages, the embedded database.
# Each step that does work says so on stderr, with the seconds since the start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-node.sh"
cd "$CHATDESK_ROOT"
stamp="node_modules/.chatdesk-installed"
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  chatdesk_step "installing npm packages (npm install)"
  # `npm install` with the committed lock installs exactly the locked versions.
  # (`npm ci` refuses a lock that lacks other platforms' optional native
  # binaries when the registry in use does not serve them.)
  npm install --no-audit --no-fund --loglevel=error >&2
  touch "$stamp"
  chatdesk_done
fi
if [ -z "${MONGODB_URI:-}" ] && [ -z "${FERRETDB_BIN:-}" ]; then
  bash scripts/build-ferretdb.sh # prints its own steps when it builds; a no-op when up to date
fi
