#!/usr/bin/env bash
# rift proctree against process trees computed from evtxexport's output
# (tests/cli/proctree_oracle.py): Sysmon files, Security files with and
# without command-line auditing, and every DeepBlueCLI and EVTX-to-MITRE
# file at once (many hosts, the same hosts across files, pid reuse,
# overlapping exports, Sysmon and 4688 views of one process).
RIFT=$1
D=${RIFT_DATA:-../shared/data}/evtx
T=$(dirname "$0")
if ! command -v evtxexport >/dev/null; then
  echo "skip proctree oracle (no evtxexport)"; exit 0
fi
if [ ! -d "$D" ]; then
  echo "skip proctree oracle (no sample data)"; exit 0
fi
for f in DeepBlueCLI/metasploit-sysmon.evtx DeepBlueCLI/sliver-sysmon.evtx \
         omerbenamram_evtx/sysmon.evtx \
         "velociraptor/evtx/Microsoft-Windows-Sysmon%4Operational.evtx" \
         velociraptor/RDPAuth_Security.evtx DeepBlueCLI/sliver-security.evtx \
         DeepBlueCLI/powersploit-security.evtx DeepBlueCLI/psattack-security.evtx; do
  python3 "$T/proctree_oracle.py" "$RIFT" "$(basename "$f")" "$D/$f"
done
find "$D/EVTX-to-MITRE-Attack" "$D/DeepBlueCLI" -name '*.evtx' -print0 | sort -z |
  xargs -0 python3 "$T/proctree_oracle.py" "$RIFT" "DeepBlueCLI+EVTX-to-MITRE-Attack together"
