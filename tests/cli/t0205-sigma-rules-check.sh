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
# hidden folders of a rules checkout (.git, .github) are not rules
mkdir -p "$T/r/.github/workflows" "$T/r/.git"
printf 'name: ci\non: [push]\n' > "$T/r/.github/workflows/ci.yml"
echo "not: [yaml" > "$T/r/.git/x.yml"
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

# the same rules packed in a zip (SigmaHQ publishes its rule packs so):
# the same documents, states and reasons, named ZIP!member
(cd "$T" && python3 -c "
import os, zipfile
with zipfile.ZipFile('rules.zip', 'w') as z:
    for d, _, fs in os.walk('r'):
        for f in fs:
            z.write(os.path.join(d, f))
")
TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
TMPDIR=$TMPDIR "$RIFT" rules check --jsonl -r "$T/rules.zip" > "$T/zip.jsonl"; zrc=$?
python3 - "$T" "$zrc" <<'PY'
import json, os, sys
t, rc = sys.argv[1], int(sys.argv[2])
def rows(f, prefix):
    out = []
    for l in open(os.path.join(t, f)):
        r = json.loads(l)
        if not r["path"].startswith(prefix):
            return None
        out.append((r["path"][len(prefix):], r["document"], r["state"], r["reason"]))
    return sorted(out)
folder = rows("out.jsonl", t + "/r/")
packed = rows("zip.jsonl", t + "/rules.zip!r/")
left = os.listdir(os.path.join(t, "tmp"))
ok = folder and packed == folder and rc == 1 and not left
print(("ok   " if ok else "FAIL ") + "sigma rules check: from a zip, the %d documents of the folder (%s), nothing left in $TMPDIR%s" % (
    len(folder or []), "same states and reasons" if packed == folder else "differ: %s vs %s" % (packed, folder),
    "" if ok else " (exit %d, left %s)" % (rc, left)))
PY
