#!/usr/bin/env bash
# The whole test suite: format and lint (Biome), type check, then jest (unit, store, emulators, end to end, browser).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
if chromium="$(bash scripts/ensure-chromium.sh)"; then
  export CHROMIUM_PATH="$chromium"
elif [ -n "${CI:-}" ]; then
  exit 1
fi
chatdesk_step "checking format and lint (Biome; fix with: npx biome check --write .)"
npx biome ci --reporter=summary .
chatdesk_done
chatdesk_step "compiling and type-checking (tsc; the chaos tests run the compiled app as its own process)"
npx tsc -p tsconfig.json
chatdesk_done
results="$(mktemp -t chatdesk-jest-XXXXXX.json)"
set +e
npx jest --ci --json --outputFile="$results" "$@"
status=$?
set -e
# One plain closing line with the counts.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$results" || true
rm -f "$results"
exit "$status"
