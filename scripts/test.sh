#!/usr/bin/env bash
# The whole test suite: type check, then jest (unit, store, emulators, end to end, browser).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
if chromium="$(bash scripts/ensure-chromium.sh)"; then
  export CHROMIUM_PATH="$chromium"
elif [ -n "${CI:-}" ]; then
  exit 1
fi
npm run --silent typecheck
npx jest --ci "$@"
