#!/usr/bin/env bash
# process_creation reads Security 4688 too, with THOR's renames: a rule on
# Image and ParentImage finds exactly the 4688 records whose NewProcessName
# and ParentProcessName end that way (from rift dump, not the engine), and
# the Sysmon 1 records whose Image and ParentImage do.
RIFT=$1
E=${RIFT_DATA:-}/evtx/EVTX-to-MITRE-Attack
[ -d "$E" ] || { echo "skip sigma 4688 (no sample data)"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat > "$T/r.yml" <<'Y'
title: cmd from anything
id: 22222222-2222-2222-2222-222222222222
logsource: {product: windows, category: process_creation}
detection:
    s:
        Image|endswith: '\cmd.exe'
        ParentImage|contains: '\'
    condition: s
Y
find "$E" -name '*.evtx' | sort > "$T/files"
xargs -d '\n' "$RIFT" dump < "$T/files" 2>/dev/null > "$T/dump.jsonl"
xargs -d '\n' "$RIFT" hunt -q --jsonl -r "$T/r.yml" < "$T/files" > "$T/hits.jsonl" 2>/dev/null
python3 - "$T" <<'PY'
import json, os, sys
t = sys.argv[1]
want = {4688: set(), 1: set()}
for l in open(os.path.join(t, "dump.jsonl")):
    e = json.loads(l)["Event"]
    s, d = e["System"], e.get("EventData") or {}
    ch, eid = s.get("Channel"), s.get("EventID")
    if ch == "Security" and eid == 4688:
        img, par = d.get("NewProcessName") or "", d.get("ParentProcessName") or ""
    elif ch == "Microsoft-Windows-Sysmon/Operational" and eid == 1:
        img, par = d.get("Image") or "", d.get("ParentImage") or ""
    else:
        continue
    if img.lower().endswith("\\cmd.exe") and "\\" in par:
        want[eid].add((s["Computer"], s["EventRecordID"]))
got = set()
for l in open(os.path.join(t, "hits.jsonl")):
    h = json.loads(l)
    got.add((h["host"]["name"], h["winlog"]["record_id"]))
allw = want[4688] | want[1]
ok = got == allw and want[4688] and want[1]
print(("ok   " if ok else "FAIL ") + "sigma 4688: process_creation found %d records (%d Security 4688 via NewProcessName/ParentProcessName, %d Sysmon 1), want %d%s" % (
    len(got), len(want[4688]), len(want[1]), len(allw), "" if ok else ": missing %s extra %s" % (sorted(allw - got)[:5], sorted(got - allw)[:5])))
PY
