#!/usr/bin/env bash
# Endpoint analytics speed and memory: rift endpoint / proctree / logons
# over a large EVTX file made of the real chunks of the process- and
# logon-heavy samples (Sysmon, Security, DeepBlueCLI;
# ../shared/tools/evtx-concat), next to `rift dump --format events` (the
# parse alone) as the baseline.  No peer tool that builds process trees
# from EVTX is packaged in Debian 12, so the comparison is with rift's own
# parser.  The file repeats its chunks: the analytics see every event
# (duplicates are detected and dropped), the trees stay small.
# Prints median wall time, events per second and peak RSS.
# Usage: bench/endpoint.sh [BUILD] [SIZE_MiB] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SIZE=${2:-128}
ROUNDS=${3:-3}
DATA=${RIFT_DATA:-$(cd .. && pwd)/shared/data}
TOOLS=$(cd "$DATA/.." && pwd)/tools
OUT=bench/out
mkdir -p "$OUT"
BIG=$OUT/endpoint-$SIZE.evtx
RIFT=$BUILD/rift
if [ ! -s "$BIG" ]; then
  python3 "$TOOLS/evtx-concat" "$BIG" --size "$SIZE" \
    "$DATA/evtx/omerbenamram_evtx/sysmon.evtx" \
    "$DATA/evtx/omerbenamram_evtx/security.evtx" \
    "$DATA/evtx/velociraptor/RDPAuth_Security.evtx" \
    "$DATA/evtx/DeepBlueCLI" >&2
fi
events=$("$RIFT" dump -q --format events "$BIG" | wc -l)
measure() { # cmd... -> "seconds rss_kb"
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/err.txt" || true
  t1=$(date +%s%N)
  echo "$(echo "($t1 - $t0) / 1000000000" | bc -l | cut -c1-6) $(tail -1 "$OUT/time.txt")"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%s: %d MiB, %d events, %d rounds\n' "$BIG" "$SIZE" "$events" "$ROUNDS"
printf '%-34s %9s %12s %10s\n' command seconds events/s peak_MiB
for cmd in "dump -q --format events" "endpoint -q --jsonl" "proctree -q --json" \
           "logons -q --jsonl" "endpoint -q --jsonl -t 1"; do
  : > "$OUT/runs.txt"
  for r in $(seq "$ROUNDS"); do
    # shellcheck disable=SC2086
    measure "$RIFT" $cmd "$BIG" >> "$OUT/runs.txt"
  done
  s=$(cut -d' ' -f1 "$OUT/runs.txt" | median)
  rss=$(cut -d' ' -f2 "$OUT/runs.txt" | median)
  printf '%-34s %9s %12.0f %10.1f\n' "rift $cmd" "$s" \
    "$(echo "$events / $s" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
done
