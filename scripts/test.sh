#!/usr/bin/env bash
# Install the test dependencies (Python packages, Chromium, CJK fonts) and run every test.
# Arguments go to pytest. On PostgreSQL: DATABASE_URL=postgres://user@host:5432/db scripts/test.sh
# A run that collects no test fails (pytest's exit code 5 becomes 1).
set -euo pipefail
. "$(dirname "$0")/_setup.sh"
cw_ensure_browser
cw_ensure_venv test
cd "$CW_ROOT"
if [ -z "${CHUANGWEN_DATA:-}" ]; then
  CHUANGWEN_DATA="$(mktemp -d -t chuangwen-test-XXXXXX)"
  trap 'rm -rf "$CHUANGWEN_DATA"' EXIT
fi
export CHUANGWEN_DATA
mkdir -p "$CHUANGWEN_DATA/static"
case "${DATABASE_URL:-}" in postgres*) db=PostgreSQL ;; *) db=SQLite ;; esac
echo "Running the tests on $db; data folder $CHUANGWEN_DATA" >&2
rc=0
"$CW_VENV/bin/python" -m pytest "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: counted as a failure." >&2
  exit 1
fi
exit "$rc"
