#!/usr/bin/env bash
# Makes sure the GreenMail standalone mail server (a real IMAP + SMTP server in
# one Java jar, from Maven Central) is there for the email tests (tests/e2e/email*).
#   - GREENMAIL_JAR, when set and a file: used as it is;
#   - else tools/greenmail/greenmail-standalone-<version>.jar (git-ignored),
#     fetched once with `mvn dependency:copy`.
# Needs java (11+) and mvn. Without java it says so and exits 1 (the tests then
# skip with a clear message). Prints the jar's path on stdout, all else on stderr:
#   export GREENMAIL_JAR="$(bash scripts/ensure-greenmail.sh)"
set -euo pipefail
VERSION="${GREENMAIL_VERSION:-2.1.8}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/tools/greenmail"
JAR="$DIR/greenmail-standalone-$VERSION.jar"

if [ -n "${GREENMAIL_JAR:-}" ] && [ -f "$GREENMAIL_JAR" ]; then
  echo "$GREENMAIL_JAR"
  exit 0
fi
if [ -f "$JAR" ]; then
  echo "$JAR"
  exit 0
fi
if ! command -v java >/dev/null 2>&1; then
  echo "chatdesk: no java on PATH: the email tests need GreenMail (a Java mail server); install a JRE 11+ (Debian: apt-get install default-jre-headless)" >&2
  exit 1
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "chatdesk: no mvn on PATH: it fetches GreenMail from Maven Central (Debian: apt-get install maven)" >&2
  exit 1
fi
mkdir -p "$DIR"
echo "chatdesk: fetching GreenMail $VERSION (mvn dependency:copy)" >&2
mvn -q -B dependency:copy \
  "-Dartifact=com.icegreen:greenmail-standalone:$VERSION:jar" \
  "-DoutputDirectory=$DIR" "-Dmdep.overWriteReleases=false" >&2
[ -f "$JAR" ] || { echo "chatdesk: GreenMail jar not found at $JAR after mvn" >&2; exit 1; }
echo "$JAR"
