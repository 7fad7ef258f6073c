#!/usr/bin/env bash
# The main job on the sample evidence: triage everything in ../shared/data
# (event logs, captures, Zeek and Suricata logs, archives...) into
# demo-case/ with the SigmaHQ Windows, network and web rules, the endpoint
# analytics and the network analytics, then print the summary and where the
# report is.
# The samples include deliberately damaged files, so the triage reports
# input errors (exit 1); the demo fails only if the triage itself fails.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
DATA=${RIFT_DATA:-$(cd .. && pwd)/shared/data}
RIFT=$BUILD/rift
CASE=demo-case
RULES=$DATA/sigma/rules
echo "== rift triage -r $RULES/windows -r $RULES/network -r $RULES/web $DATA -o $CASE"
"$RIFT" triage --force -r "$RULES/windows" -r "$RULES/network" -r "$RULES/web" \
  "$DATA" -o "$CASE" 2>"$BUILD/demo-stderr.txt"
rc=$?
if [ "$rc" -gt 1 ]; then
  cat "$BUILD/demo-stderr.txt" >&2
  exit "$rc"
fi
echo "   ($(wc -l < "$BUILD/demo-stderr.txt") lines about damaged input in $BUILD/demo-stderr.txt)"
echo
echo "== the most severe findings (all of them: $CASE/report.html)"
sqlite3 -separator '  ' "$CASE/case.db" \
  "select level, count(*), rule_name from findings group by rule_name, level
   order by severity desc, count(*) desc limit 12" 2>/dev/null ||
  "$RIFT" metrics "$CASE" | head -20
echo
echo "== rift search $CASE 4624 (chainsaw's sample: records 31794 and 31799)"
"$RIFT" search "$CASE" 4624 --jsonl | grep -F chainsaw_tests |
  python3 -c 'import sys, json
for l in sys.stdin:
    d = json.loads(l); print(" ", d["@timestamp"], d["host.name"], "record", d["rift.record_id"], "-", d["message"])'
echo
echo "report: $CASE/report.html   timeline: $CASE/timeline.csv   database: $CASE/case.db"
