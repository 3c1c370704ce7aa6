#!/usr/bin/env bash
# Makes sure a Chromium is available for the browser tests (tests/browser).
#   1. CHROMIUM_PATH, when set and executable;
#   2. else the Debian/Ubuntu package's /usr/bin/chromium;
#   3. else, as root with apt-get, installs the `chromium` package (quietly);
#   4. else explains what to do and exits 1.
# Idempotent and instant when Chromium is already there. Prints the path of the
# Chromium to use on stdout (everything else goes to stderr), so a caller can do
#   export CHROMIUM_PATH="$(bash scripts/ensure-chromium.sh)"
set -euo pipefail

DEFAULT_CHROMIUM=/usr/bin/chromium

if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ -x "$CHROMIUM_PATH" ] && [ ! -d "$CHROMIUM_PATH" ]; then
    echo "$CHROMIUM_PATH"
    exit 0
  fi
  echo "chatdesk: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file; looking for $DEFAULT_CHROMIUM instead" >&2
fi

if [ -x "$DEFAULT_CHROMIUM" ]; then
  echo "$DEFAULT_CHROMIUM"
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "chatdesk: installing Chromium for the browser tests (apt-get install chromium)" >&2
  if apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 \
    && [ -x "$DEFAULT_CHROMIUM" ]; then
    echo "$DEFAULT_CHROMIUM"
    exit 0
  fi
  echo "chatdesk: installing the chromium package with apt-get failed (see above)." >&2
fi

cat >&2 <<EOF
chatdesk: no Chromium found for the browser tests (tests/browser).
  Install one (Debian/Ubuntu: sudo apt-get install chromium), or point
  CHROMIUM_PATH at an existing Chromium/Chrome binary, e.g.
    CHROMIUM_PATH=/opt/google/chrome/chrome scripts/test.sh
  Without it the browser tests are skipped locally and fail in CI (CI set).
EOF
exit 1
