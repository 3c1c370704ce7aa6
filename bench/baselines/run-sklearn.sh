#!/usr/bin/env bash
# Strong classical baseline for bench/classifier.bench.ts:
# TF-IDF (word 1-2 grams + char_wb 3-5 grams, sublinear tf) + LogisticRegression / LinearSVC.
# Creates a git-ignored venv under .tools/venv and installs scikit-learn into it on first run.
# Usage: bench/baselines/run-sklearn.sh [--json]    (data dir: $CHATDESK_BENCH_DATA or <repo>/tests/fixtures/data)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.tools/venv"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import sklearn' >/dev/null 2>&1; then
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'scikit-learn>=1.4,<2' >&2
fi
exec "$VENV/bin/python" "$ROOT/bench/baselines/sklearn_baseline.py" "$@"
