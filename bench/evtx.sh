#!/usr/bin/env bash
# EVTX speed: rift dump against libevtx's evtxexport, side by side.
#
# Builds a large EVTX file of real chunks (../shared/tools/evtx-concat) from
# the sample logs that evtxexport reads without error (evtxexport stops at
# the first record it cannot parse, which would make it look faster), then
# times, alternating, in one run:
#   rift dump --format jsonl --threads 1 / --threads 2   (to /dev/null)
#   evtxexport -f xml                                      (to /dev/null)
# and prints median wall time, throughput, peak RSS and the ratios.
#
# What the page cache holds of the file changes the times (by 10-25% for
# rift): the kernel maps and drops a file cached in 2 MiB pages 512 times
# more cheaply than one cached in 4 KiB pages.  So the state is set before
# the rounds, by RIFT_BENCH_CACHE:
#   read     (default) the file is dropped from the cache and read once by
#            rift dump, untimed: as when rift opens evidence from disk
#            (rift asks for 2 MiB pages; kernels whose file system can, like
#            Linux 6.16+ on ext4, use them)
#   written  the file is written again: as right after evidence was copied
#            or extracted (the write path caches it in 4 KiB pages)
#   asis     left as it is
# Usage: bench/evtx.sh [BUILD] [SIZE_MiB] [ROUNDS]
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
command -v evtxexport >/dev/null || { echo "evtxexport missing (apt-get install libevtx-utils)"; exit 1; }

. bench/lib.sh
bench_evtx_file "$BIG" "$SIZE" "$DATA" "$TOOLS"
bytes=$(stat -c %s "$BIG")
CACHE=${RIFT_BENCH_CACHE:-read}
case $CACHE in
read)
  dd if="$BIG" iflag=nocache count=0 status=none
  "$RIFT" dump -q --threads 1 "$BIG" >/dev/null || true ;;
written)
  cat "$BIG" > "$BIG.tmp" && mv "$BIG.tmp" "$BIG" ;;
asis) ;;
*) echo "RIFT_BENCH_CACHE: read, written or asis" >&2; exit 2 ;;
esac

# Wall time of the command alone ($EPOCHREALTIME around fork+exec+wait; no
# wrapper process whose own start-up would be counted), and, in a separate
# run under /usr/bin/time, its peak RSS.
measure() { # cmd... -> seconds
  local t0 t1
  t0=$EPOCHREALTIME
  "$@" >/dev/null 2>"$OUT/err.txt" || true
  t1=$EPOCHREALTIME
  echo "$t1 - $t0" | bc -l | cut -c1-7
}
peak_kb() { # cmd... -> peak RSS in KiB
  /usr/bin/time -f "%M" -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/err.txt" || true
  tail -1 "$OUT/time.txt"
}

declare -A T R
cmd_rift1=("$RIFT" dump -q --format jsonl --threads 1 "$BIG")
cmd_rift2=("$RIFT" dump -q --format jsonl --threads 2 "$BIG")
cmd_evtxexport=(evtxexport -f xml "$BIG")
for label in rift1 rift2 evtxexport; do T[$label]=""; R[$label]=0; done
for ((i = 0; i < ROUNDS; i++)); do
  for label in rift1 rift2 evtxexport; do
    eval "cmd=(\"\${cmd_$label[@]}\")"
    T[$label]="${T[$label]} $(measure "${cmd[@]}")"
  done
done
for label in rift1 rift2 evtxexport; do
  eval "cmd=(\"\${cmd_$label[@]}\")"
  R[$label]=$(peak_kb "${cmd[@]}")
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
recs_rift=$( ("$RIFT" dump -q --format jsonl --threads 2 "$BIG" || true) | wc -l)
recs_ex=$( (evtxexport -f xml "$BIG" 2>/dev/null || true) | grep -c "^<Event ")
printf 'file: %s (%d MiB, rift %d records, evtxexport %d records; page cache: %s)\n' "$BIG" $((bytes >> 20)) "$recs_rift" "$recs_ex" "$CACHE"
printf '%-12s %9s %10s %10s\n' tool median_s MB/s peak_MiB
for label in rift1 rift2 evtxexport; do
  m=$(echo "${T[$label]}" | median)
  printf '%-12s %9s %10.1f %10.1f\n' "$label" "$m" "$(echo "$bytes / 1048576 / $m" | bc -l)" "$(echo "${R[$label]} / 1024" | bc -l)"
  eval "M_$label=$m"
done
printf 'ratio evtxexport/rift(1 thread): %.1fx\n' "$(echo "$M_evtxexport / $M_rift1" | bc -l)"
printf 'ratio evtxexport/rift(2 threads): %.1fx\n' "$(echo "$M_evtxexport / $M_rift2" | bc -l)"
printf 'rift 2 threads vs 1 thread: %.2fx\n' "$(echo "$M_rift1 / $M_rift2" | bc -l)"
# the same ratio round by round (each round runs both one after the other)
ratios=$(paste <(echo "${T[rift1]}" | tr ' ' '\n' | grep -v '^$') \
               <(echo "${T[rift2]}" | tr ' ' '\n' | grep -v '^$') |
         awk '{printf "%.3f\n", $1 / $2}')
printf 'per round:%s (min %.2fx, median %.2fx, max %.2fx)\n' \
  "$(printf ' %.2f' $ratios)" "$(echo "$ratios" | sort -n | head -1)" \
  "$(echo "$ratios" | median)" "$(echo "$ratios" | sort -n | tail -1)"
