#!/usr/bin/env bash
# rift's own rules (rules/, built in) on DeepBlueCLI's SMB password guessing
# log: the burst of failed logons from one address is one finding that
# names the failures of its first ten minutes.  The expected events are
# computed from `rift dump` (the parsed records, not the Sigma engine):
# 4625 with a remote IpAddress, grouped by address, within 10 minutes of
# the group's first.  No successful logon follows, so the brute-force
# correlation stays silent; one account only, so no password spray.
RIFT=$1
LOG=${RIFT_DATA:-}/evtx/DeepBlueCLI/smb-password-guessing-security.evtx
[ -f "$LOG" ] || { echo "skip sigma own rules (no sample data)"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$RIFT" dump "$LOG" > "$T/dump.jsonl"
"$RIFT" hunt -q --jsonl "$LOG" > "$T/hits.jsonl"
python3 - "$T" <<'PY'
import json, os, sys, datetime, collections
t = sys.argv[1]
def ts(s):
    return datetime.datetime.strptime(s[:26], "%Y-%m-%dT%H:%M:%S.%f")
fails = collections.defaultdict(list)
for l in open(os.path.join(t, "dump.jsonl")):
    e = json.loads(l)["Event"]
    d = e.get("EventData") or {}
    ip = d.get("IpAddress")
    if e["System"]["EventID"] == 4625 and ip not in (None, "-", "", "127.0.0.1", "::1"):
        fails[ip].append((ts(e["System"]["TimeCreated"]["#attributes"]["SystemTime"]), e["System"]["EventRecordID"]))
want = []
for ip, evs in fails.items():
    evs.sort()
    i = 0
    while i < len(evs):
        j = i
        while j + 1 < len(evs) and (evs[j + 1][0] - evs[i][0]).total_seconds() <= 600:
            j += 1
        if j - i + 1 >= 10:
            want.append((ip, j - i + 1, [r for _, r in evs[i:j + 1]]))
        i = j + 1
hits = [json.loads(l) for l in open(os.path.join(t, "hits.jsonl"))]
burst = [h for h in hits if h["rule"]["name"] == "Repeated Logon Failures From One Address"]
others = sorted(set(h["rule"]["name"] for h in hits) - {"Repeated Logon Failures From One Address"})
ok = len(burst) == len(want) == 1 and not others
if ok:
    got = [e["record_id"] for e in burst[0]["rift"]["events"]]
    ok = got == want[0][2][:256] and burst[0]["threat"]["technique"]["id"] == ["T1110"]
print(("ok   " if ok else "FAIL ") + "sigma own rules: %d burst finding(s) (want %d: %s), other rules %s" % (
    len(burst), len(want), ", ".join("%s %d failures" % (w[0], w[1]) for w in want), others or "none"))
PY
