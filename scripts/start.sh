#!/usr/bin/env bash
# Runs chatdesk locally: embedded database (unless MONGODB_URI is set) and the
# web playground on http://localhost:3000; Slack too when its variables are set.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
chatdesk_step "compiling chatdesk (tsc)"
npm run --silent build
chatdesk_done
exec node dist/src/main.js
