#!/usr/bin/env bash
# The whole SigmaHQ corpus (rules/, rules-emerging-threats/,
# rules-threat-hunting/) loads: every rule is active or unsupported for a
# real limitation (a logsource rift has no events for, a Windows source
# that writes no event log, a placeholder without values, a log or
# protocol rift does not read, a field its events do not carry); none
# invalid;
# every Windows rule with an event-log source is active.
RIFT=$1
S=${RIFT_DATA:-}/sigma
[ -d "$S/rules" ] || { echo "skip sigma corpus (no sample data)"; exit 0; }
"$RIFT" rules check --jsonl -r "$S/rules" -r "$S/rules-emerging-threats" \
  -r "$S/rules-threat-hunting" | python3 -c '
import json, re, sys, collections
ok_reasons = [
    (r"^no rift events for logsource ", "logsource without rift events"),
    (r"^logsource .*: .*ETW provider", "Windows ETW-only source (no event log)"),
    (r"^placeholder %\w+% has no values", "placeholder without values"),
    (r"^logsource .*: rift (does not read|has flows from captures)", "log or protocol rift does not read"),
    (r"^field \x27[^\x27]+\x27(: | is not in rift)", "field rift events do not carry"),
]
rules = [json.loads(l) for l in sys.stdin if l.strip()]
st = collections.Counter(r["state"] for r in rules)
why = collections.Counter()
bad = []
for r in rules:
    if r["state"] == "active":
        continue
    for rx, cls in ok_reasons:
        if re.search(rx, r["reason"] or ""):
            why[cls] += 1
            if cls == "logsource without rift events" and "product=windows" in r["logsource"]:
                bad.append("%s: a Windows rule without events: %s" % (r["path"], r["reason"]))
            break
    else:
        bad.append("%s: %s: %s" % (r["path"], r["state"], r["reason"]))
win = [r for r in rules if "product=windows" in r["logsource"]]
win_active = sum(r["state"] == "active" for r in win)
for b in bad[:20]:
    print("FAIL sigma corpus %s" % b)
if not bad:
    print("ok   sigma corpus: %d rules: %d active, %d unsupported (%s), %d invalid; Windows %d/%d active" % (
        len(rules), st["active"], st["unsupported"],
        ", ".join("%d %s" % (n, c) for c, n in why.most_common()), st["invalid"],
        win_active, len(win)))
'
