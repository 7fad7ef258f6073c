#!/usr/bin/env bash
# Triage speed: `rift triage` of the 128 MiB concatenated EVTX file (built
# as bench/evtx.sh builds it, from the sample logs) to a complete case:
# case.db with every event, indexes, full-text index and manifest.json.
# Side by side, for scale, on the same file:
#   rift dump --format jsonl (parse only, to /dev/null)
#   evtxexport -f xml        (libevtx, parse only, to /dev/null)
# Prints median wall time, throughput (MB/s = 10^6 bytes/s of input),
# peak RSS, CPU time, and the load of the machine while measuring.
# Goal: >= 100 MB/s on 2 cores, peak RSS < 512 MiB.
# Usage: bench/triage.sh [BUILD] [SIZE_MiB] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SIZE=${2:-128}
ROUNDS=${3:-5}
DATA=${RIFT_DATA:-$(cd .. && pwd)/shared/data}
TOOLS=$(cd "$DATA/.." && pwd)/tools
OUT=bench/out
mkdir -p "$OUT"
BIG=$OUT/evtx-$SIZE.evtx
RIFT=$BUILD/rift
CASE=$OUT/triage-case

. bench/lib.sh
bench_evtx_file "$BIG" "$SIZE" "$DATA" "$TOOLS"
bytes=$(stat -c %s "$BIG")

measure() { # cmd... -> "seconds rss_kb cpu_s"
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f "%M %U %S" -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/err.txt" || true
  t1=$(date +%s%N)
  read -r rss u s < <(tail -1 "$OUT/time.txt")
  echo "$(echo "($t1 - $t0) / 1000000000" | bc -l | cut -c1-6) $rss $(echo "$u + $s" | bc -l)"
}

declare -A T R C
labels="triage dump evtxexport"
command -v evtxexport >/dev/null || labels="triage dump"
for label in $labels; do T[$label]=""; R[$label]=0; C[$label]=""; done
load0=$(cut -d' ' -f1 /proc/loadavg)
for ((i = 0; i < ROUNDS; i++)); do
  for label in $labels; do
    case $label in
      triage) r=$(measure "$RIFT" triage -q --force "$BIG" -o "$CASE") ;;
      dump) r=$(measure "$RIFT" dump -q --format jsonl "$BIG") ;;
      evtxexport) r=$(measure evtxexport -f xml "$BIG") ;;
    esac
    set -- $r
    T[$label]="${T[$label]} $1"
    C[$label]="${C[$label]} $3"
    [ "$2" -gt "${R[$label]}" ] && R[$label]=$2
  done
done
load1=$(cut -d' ' -f1 /proc/loadavg)

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
events=$(sqlite3 "$CASE/case.db" "select count(*) from events")
fts=$(sqlite3 "$CASE/case.db" "select count(*) from events_fts")
idx=$(sqlite3 "$CASE/case.db" "select count(*) from sqlite_master where type = 'index' and name like 'events_%'")
dbsize=$(stat -c %s "$CASE/case.db")
printf 'file: %s (%d MiB); case: %d events, %d in the full-text index, %d indexes, case.db %d MiB\n' \
  "$BIG" $((bytes >> 20)) "$events" "$fts" "$idx" $((dbsize >> 20))
printf 'cpus: %s, load average %s before, %s after\n' "$(nproc)" "$load0" "$load1"
printf '%-12s %9s %9s %10s %10s\n' tool median_s best_s MB/s peak_MiB
for label in $labels; do
  m=$(echo "${T[$label]}" | median)
  b=$(echo "${T[$label]}" | tr ' ' '\n' | grep -v '^$' | sort -n | head -1)
  printf '%-12s %9s %9s %10.1f %10.1f   (cpu %s s)\n' "$label" "$m" "$b" \
    "$(echo "$bytes / 1000000 / $m" | bc -l)" "$(echo "${R[$label]} / 1024" | bc -l)" \
    "$(echo "${C[$label]}" | median)"
done
