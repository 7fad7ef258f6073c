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
hits = [json.loads(l) for l in sys.stdin if l.strip()]
got = sorted(h["winlog"]["record_id"] for h in hits)
if got == want:
    print("ok   sigma velociraptor: %d hit(s), EventRecordID %s as published" % (len(got), ",".join(map(str, got))))
else:
    print("FAIL sigma velociraptor: got records %s, published %s" % (got, want))
# the JSON line carries what the published row says about rule and event
import datetime
if hits and rows:
    h, r = hits[0], rows[0]
    tags = [t[len("attack."):].upper() for t in r["_Rule"]["Tags"] if re.match(r"attack\.t\d{4}", t)]
    ts = datetime.datetime.fromtimestamp(r["System"]["TimeCreated"]["SystemTime"], datetime.timezone.utc)
    checks = [
        ("rule.id", h["rule"]["id"] == r["_Rule"]["Id"]),
        ("rule.name", h["rule"]["name"] == r["_Rule"]["Title"]),
        ("rule.level", h["rule"]["level"] == r["_Rule"]["Level"]),
        ("threat.technique.id", h["threat"]["technique"]["id"] == tags),
        ("host.name", h["host"]["name"] == r["System"]["Computer"]),
        ("@timestamp", h["@timestamp"].startswith(ts.strftime("%Y-%m-%dT%H:%M:%S.%f")[:23])),
        ("log.file.path", h["log"]["file"]["path"].endswith("Microsoft-Windows-Sysmon%4Operational.evtx")),
    ]
    bad = [n for n, c in checks if not c]
    if bad:
        print("FAIL sigma velociraptor json fields: %s differ from the published row (%s)" % (bad, h))
    else:
        print("ok   sigma velociraptor json fields: rule.id, rule.name, rule.level, threat.technique.id, host.name, @timestamp, log.file.path as published")
' "$OUT"
