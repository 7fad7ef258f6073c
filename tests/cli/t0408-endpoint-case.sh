#!/usr/bin/env bash
# The analytics over a CASE give what they give over the evidence the case
# was made from (proctree, logons, endpoint findings with their supporting
# events); rift triage stores the endpoint findings in the case, and
# rift endpoint CASE replaces them (Sigma's findings stay).
# Needs a rift built with the case store (rift triage); skipped otherwise.
RIFT=$1
E=${RIFT_DATA:-../shared/data}/evtx/DeepBlueCLI
if ! "$RIFT" --help 2>&1 | grep -q '^  triage '; then
  echo "skip endpoint case (this rift has no case store)"; exit 0
fi
[ -d "$E" ] || { echo "skip endpoint case (no sample data)"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$RIFT" triage -q "$E" -o "$T/c" > /dev/null 2>&1 || "$RIFT" triage "$E" -o "$T/c" > /dev/null 2>&1
[ -f "$T/c/case.db" ] || { echo "FAIL endpoint case: triage made no case"; exit 0; }
for c in "proctree --json" "logons --jsonl" "endpoint --jsonl --no-save"; do
  "$RIFT" $c -q "$E" > "$T/ev" 2>/dev/null
  "$RIFT" $c -q "$T/c" > "$T/case" 2>/dev/null
  python3 - "$T/ev" "$T/case" "$c" <<'PY'
import json, os, sys
def norm(v):
    # paths: the case keeps the path the evidence was given by
    if isinstance(v, dict):
        return {k: (os.path.basename(x) if k in ('file', 'first_file') and
                    isinstance(x, str) else norm(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    return v
a = sorted(json.dumps(norm(json.loads(l)), sort_keys=True) for l in open(sys.argv[1]))
b = sorted(json.dumps(norm(json.loads(l)), sort_keys=True) for l in open(sys.argv[2]))
ok = a == b and len(a) > 0
print(('ok' if ok else 'FAIL') + ' endpoint case: %s over the case = over the evidence (%d records)'
      % (sys.argv[3].split()[0], len(a)))
PY
done
q() { sqlite3 "$T/c/case.db" "$1" 2>/dev/null; }
s0=$(q "select count(*) from findings where source='endpoint'")
n=$("$RIFT" endpoint --jsonl -q "$T/c" 2>/dev/null | wc -l)
if [ "$n" -gt 0 ] && [ "$s0" = "$n" ]; then
  echo "ok endpoint case: triage stored the $n endpoint findings"
else
  echo "FAIL endpoint case: triage stored $s0 endpoint findings, want $n"
fi
s1=$(q "select count(*) from findings where source='endpoint'")
l1=$(q "select count(*) from finding_events fe join findings f on f.id = fe.finding_id where f.source='endpoint' and fe.event_id is not null")
"$RIFT" hunt -q "$T/c" > /dev/null 2>&1
h=$(q "select count(*) from findings where source<>'endpoint'")
"$RIFT" endpoint -q "$T/c" > /dev/null 2>&1
s2=$(q "select count(*) from findings where source='endpoint'")
h2=$(q "select count(*) from findings where source<>'endpoint'")
if [ "$n" -gt 0 ] && [ "$s1" = "$n" ] && [ "$s2" = "$n" ] && [ "$h" = "$h2" ]; then
  echo "ok endpoint case: $n findings saved in case.db, replaced not doubled by a second run ($h other findings kept)"
else
  echo "FAIL endpoint case: $n findings, saved $s1 then $s2, other findings $h then $h2"
fi
if [ -n "$l1" ] && [ "$l1" -gt 0 ]; then
  echo "ok endpoint case: the findings link to $l1 events of the case"
else
  echo "FAIL endpoint case: no finding linked to an event of the case ($l1)"
fi
