#!/usr/bin/env bash
# Velociraptor's Sigma golden test (velociraptor_testcases/sigma.*.yaml):
# proc_creation_win_whoami_as_system.yml over its Sysmon log gives the rows
# of the published output: same count, same EventRecordIDs.
RIFT=$1
D=${RIFT_DATA:-}
OUT=$D/velociraptor_testcases/sigma.out.yaml
RULE=$D/evtx/velociraptor/evtx/proc_creation_win_whoami_as_system.yml
# the artifact hunts the whole folder, as rift does here
LOG=$D/evtx/velociraptor/evtx
[ -f "$OUT" ] && [ -f "$RULE" ] && [ -d "$LOG" ] || { echo "skip sigma velociraptor (no sample data)"; exit 0; }
"$RIFT" hunt -q --jsonl -r "$RULE" "$LOG" | python3 -c '
import json, sys, re
out = open(sys.argv[1]).read()
rows = json.loads(out[out.index("Output:") + 7:])
want = sorted(r["System"]["EventRecordID"] for r in rows)
got = sorted(json.loads(l)["winlog"]["record_id"] for l in sys.stdin if l.strip())
if got == want:
    print("ok   sigma velociraptor: %d hit(s), EventRecordID %s as published" % (len(got), ",".join(map(str, got))))
else:
    print("FAIL sigma velociraptor: got records %s, published %s" % (got, want))
' "$OUT"
