#!/usr/bin/env bash
# The main job on the sample evidence: triage every sample event log into
# demo-case/ and print the summary (hosts, time span, events by source,
# findings, inputs with errors, what to run next).  The samples include
# deliberately damaged logs, so the triage reports input errors (exit 1);
# the demo fails only if the triage itself fails.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
DATA=${RIFT_DATA:-$(cd .. && pwd)/shared/data}
RIFT=$BUILD/rift
CASE=demo-case
echo "== rift triage $DATA/evtx -o $CASE"
"$RIFT" triage --force "$DATA/evtx" -o "$CASE" 2>"$BUILD/demo-stderr.txt"
rc=$?
if [ "$rc" -gt 1 ]; then
  cat "$BUILD/demo-stderr.txt" >&2
  exit "$rc"
fi
echo "   ($(wc -l < "$BUILD/demo-stderr.txt") lines about damaged input in $BUILD/demo-stderr.txt)"
echo
echo "== rift search $CASE 4624 (chainsaw's sample: records 31794 and 31799)"
"$RIFT" search "$CASE" 4624 --jsonl | grep -F chainsaw_tests |
  python3 -c 'import sys, json
for l in sys.stdin:
    d = json.loads(l); print(" ", d["@timestamp"], d["host.name"], "record", d["rift.record_id"], "-", d["message"])'
