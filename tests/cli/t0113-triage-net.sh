#!/usr/bin/env bash
# rift triage runs the network analytics: the case holds exactly the
# findings `rift net rare` and `rift net beacons` give over the same
# captures, and none with --no-net.
set -u
RIFT=$1
DATA=${RIFT_DATA:-../shared/data}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
EV=$DATA/pcap/suricata-verify
"$RIFT" triage -q --no-endpoint -o "$T/c1" "$EV" >/dev/null 2>&1
"$RIFT" triage -q --no-endpoint --no-net -o "$T/c2" "$EV" >/dev/null 2>&1
want=$( { "$RIFT" net rare --jsonl --no-save "$EV"; "$RIFT" net beacons --jsonl --no-save "$EV"; } 2>/dev/null | wc -l)
got=$(sqlite3 "$T/c1/case.db" "select count(*) from findings where source like 'net.%'")
none=$(sqlite3 "$T/c2/case.db" "select count(*) from findings where source like 'net.%'")
if [ "$want" -gt 0 ] && [ "$got" = "$want" ]; then
  echo "ok   triage stored the $got network findings rift net gives"
else
  echo "FAIL triage stored $got network findings, rift net gives $want"
fi
[ "$none" = 0 ] && echo "ok   --no-net: no network findings" || echo "FAIL --no-net: $none network findings"
