#!/usr/bin/env bash
# Mutation testing of the modules where a bug costs most: does the suite notice a planted bug?
#   scripts/mutants.sh            every module below (hours on a quiet machine)
#   scripts/mutants.sh worktime   the modules whose name contains "worktime"
# mutmut (installed into .venv on first use; not a project dependency: docs/decisions.md)
# copies the code into mutants/, changes one operator, constant or condition at a time, runs
# the tests that cover the changed function and counts the mutant killed when one fails. It
# prints the score per module: docs/development.md ("Mutation testing") keeps the last
# figures and the target (>= 85 % killed on each).
set -euo pipefail
. "$(dirname "$0")/_setup.sh"
cw_ensure_venv test
cd "$CW_ROOT"
MUTMUT_VERSION=3.8.1
"$CW_VENV/bin/python" -c "import mutmut" 2>/dev/null \
  || "$CW_VENV/bin/python" -m pip install -q "mutmut==$MUTMUT_VERSION"

# module (path) : the tests that exercise it
MODULES=(
  "chuangwen/org/scope.py:chuangwen/tests/test_permission_matrix.py chuangwen/accounts/tests"
  "chuangwen/core/worktime.py:chuangwen/core/tests/test_worktime.py chuangwen/problems/tests/test_calendar.py"
  "chuangwen/core/excel.py:chuangwen/core/tests/test_excel.py chuangwen/tests/test_hostile_workbooks.py"
  "chuangwen/core/dates.py:chuangwen/core/tests/test_dates.py"
  "chuangwen/scoring/engine.py:chuangwen/scoring/tests"
  "chuangwen/scoring/composite.py:chuangwen/scoring/tests"
  "chuangwen/problems/rates.py:chuangwen/problems/tests/test_rate_definitions.py chuangwen/problems/tests/test_rates_exports.py chuangwen/bulletins/tests/test_rules.py"
  "chuangwen/audit/chain.py:chuangwen/audit/tests"
  "chuangwen/audit/services.py:chuangwen/audit/tests"
  "chuangwen/materials/evidence/rules.py:chuangwen/materials/tests/test_evidence.py"
)

export CHUANGWEN_DATA="${CHUANGWEN_DATA:-$(mktemp -d -t chuangwen-mutants-XXXXXX)}"
mkdir -p "$CHUANGWEN_DATA/static"
summary=()
for entry in "${MODULES[@]}"; do
  path="${entry%%:*}"
  tests="${entry#*:}"
  [ -n "${1:-}" ] && [[ "$path" != *"$1"* ]] && continue
  rm -rf mutants
  # mutmut 3 reads its settings from setup.cfg: one module and its tests at a time.
  cat > setup.cfg <<CFG
[mutmut]
paths_to_mutate = $path
tests_dir = $(echo "$tests" | tr ' ' ',')
pytest_add_cli_args = -p no:xdist -q -x
CFG
  echo "== $path (tests: $tests)" >&2
  "$CW_VENV/bin/mutmut" run --max-children "${CW_MUTANT_JOBS:-2}" >/dev/null 2>&1 || true
  results="$("$CW_VENV/bin/mutmut" results --all true 2>/dev/null || true)"
  killed=$(grep -c ": killed$" <<<"$results" || true)
  total=$(grep -cE ": (killed|survived|timeout|no tests|suspicious)$" <<<"$results" || true)
  score="n/a"
  [ "$total" -gt 0 ] && score="$((100 * killed / total)) %"
  summary+=("$path: $killed of $total mutants killed ($score)")
  grep -E ": (survived|no tests)$" <<<"$results" | head -n 40 >&2 || true
done
rm -f setup.cfg
rm -rf mutants
printf '%s\n' "${summary[@]}"
