#!/usr/bin/env bash
# Sourced by the other scripts: puts a Node.js >= 22 first on PATH.
# chatdesk needs Node 22+; when the system one is older, the official `node`
# package from the npm registry (a real binary) is installed under .tools/node
# (CHATDESK_NODE_VERSION: the major, or an exact version, to fetch; default 24).
# Each step that does work prints a line to stderr with the seconds since the
# first script started.
set -euo pipefail
CHATDESK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_WANTED_MAJOR=22
NODE_PACKAGE_VERSION="${CHATDESK_NODE_VERSION:-24}"

# Seconds since the first chatdesk script of this run started (kept across sourced scripts).
CHATDESK_STARTED_AT="${CHATDESK_STARTED_AT:-$(date +%s)}"
chatdesk_elapsed() { echo $(( $(date +%s) - CHATDESK_STARTED_AT )); }
# chatdesk_step "installing npm packages"  ...  chatdesk_done
chatdesk_step() {
  CHATDESK_STEP_AT="$(date +%s)"
  echo "chatdesk: [$(chatdesk_elapsed)s] $1…" >&2
}
chatdesk_done() { echo "chatdesk: [$(chatdesk_elapsed)s] … done in $(( $(date +%s) - CHATDESK_STEP_AT ))s" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if ! command -v node >/dev/null 2>&1 || [ "$(node_major node)" -lt "$NODE_WANTED_MAJOR" ]; then
  local_bin="$CHATDESK_ROOT/.tools/node/node_modules/.bin"
  if [ ! -x "$local_bin/node" ] || [ "$(node_major "$local_bin/node")" -lt "$NODE_WANTED_MAJOR" ]; then
    command -v npm >/dev/null 2>&1 || { echo "chatdesk: npm is needed to fetch Node.js $NODE_PACKAGE_VERSION" >&2; exit 1; }
    chatdesk_step "system Node.js is older than $NODE_WANTED_MAJOR: installing node@$NODE_PACKAGE_VERSION from the npm registry into .tools/node"
    mkdir -p "$CHATDESK_ROOT/.tools/node"
    (cd "$CHATDESK_ROOT/.tools/node" && [ -f package.json ] || echo '{"private":true}' > package.json)
    npm install --prefix "$CHATDESK_ROOT/.tools/node" --no-audit --no-fund --loglevel=error "node@$NODE_PACKAGE_VERSION" >&2
    chatdesk_done
  fi
  export PATH="$local_bin:$PATH"
fi
