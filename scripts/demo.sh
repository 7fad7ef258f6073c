#!/usr/bin/env bash
# The main job on the sample evidence.  Until `rift triage` exists this dumps
# a sample Security log and summarises what rift reads from all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
DATA=${RIFT_DATA:-$(cd .. && pwd)/shared/data}
RIFT=$BUILD/rift
echo "== first records of evtx/omerbenamram_evtx/security.evtx"
"$RIFT" dump "$DATA/evtx/omerbenamram_evtx/security.evtx" | head -3
echo "== every event log under $DATA/evtx"
find "$DATA/evtx" -name '*.evtx' -print0 | { xargs -0 "$RIFT" dump -q --stats 2>&1 >/dev/null || true; } |
  sed -n 's/.*: \([0-9]*\) records, \([0-9]*\) bad records.*/\1 \2/p' |
  awk '{n+=$1; b+=$2} END {printf "%d files, %d records, %d damaged records reported\n", NR, n, b}'
