#!/usr/bin/env bash
# rift rules check: every rule document is listed with its state and the
# reason; invalid rules make the exit status 1; nothing is skipped.
RIFT=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/r/sub"
cat > "$T/r/ok.yml" <<'Y'
title: ok
id: 11111111-1111-1111-1111-111111111111
logsource: {product: windows, category: process_creation}
detection: {s: {Image|endswith: '\x.exe'}, condition: s}
level: high
tags: [attack.execution, attack.t1059.001]
Y
cat > "$T/r/sub/bad.yaml" <<'Y'
title: bad modifier
logsource: {product: windows, service: security}
detection:
    s:
        TargetUserName|nosuch: x
    condition: s
Y
cat > "$T/r/sub/aws.yml" <<'Y'
title: cloud
logsource: {product: aws, service: cloudtrail}
detection: {s: {eventName: x}, condition: s}
---
title: second document
logsource: {product: windows}
detection: {s: {EventID: 1}, condition: s and not t}
Y
echo "not: [yaml" > "$T/r/broken.yml"
echo "ignored" > "$T/r/readme.txt"
"$RIFT" rules check -r "$T/r" > "$T/out.txt"; rc=$?
"$RIFT" rules check --jsonl -r "$T/r" > "$T/out.jsonl"
python3 - "$T" "$rc" <<'PY'
import json, os, sys
t, rc = sys.argv[1], int(sys.argv[2])
rules = [json.loads(l) for l in open(os.path.join(t, "out.jsonl"))]
by = {(os.path.basename(r["path"]), r["document"]): r for r in rules}
want = {
    ("ok.yml", 0): ("active", None),
    ("bad.yaml", 0): ("invalid", "unknown modifier 'nosuch'"),
    ("aws.yml", 0): ("unsupported", "no rift events for logsource product=aws service=cloudtrail"),
    ("aws.yml", 1): ("invalid", "'t', which is not defined"),
    ("broken.yml", 0): ("invalid", "invalid YAML"),
}
bad = []
for k, (st, why) in want.items():
    r = by.get(k)
    if not r or r["state"] != st or (why and why not in (r["reason"] or "")):
        bad.append("%s: %s" % (k, r and (r["state"], r["reason"])))
if len(rules) != len(want):
    bad.append("%d rule documents listed, want %d" % (len(rules), len(want)))
ok_rule = by.get(("ok.yml", 0)) or {}
if ok_rule.get("techniques") != ["T1059.001"] or ok_rule.get("level") != "high":
    bad.append("ok.yml metadata: %s" % ok_rule)
text = open(os.path.join(t, "out.txt")).read()
if "5 rules: 1 active, 1 unsupported, 3 invalid" not in text:
    bad.append("summary line missing: %r" % text[-300:])
if rc != 1:
    bad.append("exit status %d with invalid rules, want 1" % rc)
print(("FAIL sigma rules check: " + "; ".join(bad)) if bad else
      "ok   sigma rules check: 5 documents in 4 files: states, reasons, metadata, summary and exit status")
PY
