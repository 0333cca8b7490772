#!/usr/bin/env bash
# Install the test dependencies (Python packages, Chromium, CJK fonts) and run every test.
# Arguments go to pytest. On PostgreSQL: DATABASE_URL=postgres://user@host:5432/db scripts/test.sh
# A run that collects no test fails (pytest's exit code 5 becomes 1).
# The tests run on 2 cores by default (pytest-xdist; each worker has its own test database and
# data folder, chuangwen/tests/workers.py): CW_TEST_WORKERS=N sets the number (auto = one per
# core), CW_TEST_WORKERS=0 runs them serially in one process, and an `-n` among the
# arguments wins.
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
workers="${CW_TEST_WORKERS:-2}"
parallel=()
case " $* " in
  *" -n"* | *" --numprocesses"* | *" --dist"* | *" -p no:xdist "*) ;;
  *)
    if [ "$workers" = "auto" ]; then
      workers="$(nproc 2>/dev/null || echo 1)"
    fi
    if [ "$workers" -gt 1 ] 2>/dev/null; then
      # loadfile: the tests of one module stay in one worker, so module-scoped fixtures (a
      # moto server, a seeded workbook) are built once.
      parallel=(-n "$workers" --dist loadfile)
    fi
    ;;
esac
echo "Workers: ${parallel[1]:-1 (serial)}" >&2
rc=0
"$CW_VENV/bin/python" -m pytest ${parallel[@]+"${parallel[@]}"} "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: counted as a failure." >&2
  exit 1
fi
exit "$rc"
