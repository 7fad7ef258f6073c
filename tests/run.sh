#!/usr/bin/env bash
# Run every test of rift against the build in $1 (default: build).
# Each suite prints one line per test starting with "ok", "FAIL" or "skip";
# this script counts them and ends with "N passed, N failed, N skipped".
# The sample evidence is read from $RIFT_DATA (default ../shared/data).
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
RIFT=$PWD/$BUILD/rift
export RIFT_DATA=${RIFT_DATA:-$(cd .. && pwd)/shared/data}
export RIFT_NO_PROGRESS=1
LOG=$BUILD/test-log.txt
: > "$LOG"

# A suite that exits non-zero (a test script that crashed part-way, say)
# counts as one more failure, so checks it never reached are not lost
# silently.
suite() {
  local name=$1 rc; shift
  echo "== $name" | tee -a "$LOG"
  "$@" 2>>"$LOG" | tee -a "$LOG" | grep -E '^(FAIL|skip)|passed|agree'
  rc=${PIPESTATUS[0]}
  if [ "$rc" -ne 0 ]; then
    echo "FAIL $name: exited with status $rc (its stderr is in $LOG)" | tee -a "$LOG"
  fi
  return 0
}

suite "unit tests (rift selftest)" "$RIFT" selftest
if [ -d "$RIFT_DATA" ] && command -v evtxexport >/dev/null; then
  suite "evtx oracle (evtxexport)" python3 tests/oracle/evtx_oracle.py "$RIFT" "$RIFT_DATA"
else
  echo "skip evtx oracle (no sample data or evtxexport)" | tee -a "$LOG"
fi
for t in tests/cli/t[0-9]*.sh; do
  [ -e "$t" ] || continue
  suite "cli $(basename "$t" .sh)" bash "$t" "$RIFT"
done
suite "fuzz regressions" bash tests/fuzz-regress.sh "$BUILD"

passed=$(grep -c '^ok' "$LOG")
failed=$(grep -c '^FAIL' "$LOG")
skipped=$(grep -c '^skip' "$LOG")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
