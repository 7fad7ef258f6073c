#!/usr/bin/env bash
# Sigma speed: every SigmaHQ Windows rule over a 128 MiB EVTX file, end to
# end (load and compile the rules, parse, match, write every detection).
#
# The EVTX file is the one bench/evtx.sh builds (real chunks of the sample
# logs, concatenated by ../shared/tools/evtx-concat).  Rules: SigmaHQ's
# rules/windows, rules-emerging-threats and rules-threat-hunting/windows
# (rules for other products are loaded and reported unsupported).
# Measured, alternating, median of ROUNDS:
#   parse     rift hunt --parse-only           (parse, no rules)
#   compile   rift rules check --summary       (load and compile the rules)
#   full      rift hunt --jsonl > file         (everything, detections stored
#                                               as JSON lines)
# and derived: end-to-end MB/s, and what matching costs (full - parse -
# compile) against parsing, in wall time and in CPU time.
# Usage: bench/hunt.sh [BUILD] [SIZE_MiB] [ROUNDS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SIZE=${2:-128}
ROUNDS=${3:-5}
THREADS=${4:-2}
DATA=${RIFT_DATA:-$(cd .. && pwd)/shared/data}
TOOLS=$(cd "$DATA/.." && pwd)/tools
S=$DATA/sigma
OUT=bench/out
mkdir -p "$OUT"
BIG=$OUT/evtx-$SIZE.evtx
RIFT=$BUILD/rift
RULES=(-r "$S/rules/windows" -r "$S/rules-emerging-threats" -r "$S/rules-threat-hunting/windows")

. bench/lib.sh
bench_evtx_file "$BIG" "$SIZE" "$DATA" "$TOOLS"
bytes=$(stat -c %s "$BIG")

measure() { # label cmd... -> "wall_s cpu_s rss_kb" (stdout of cmd to $OUT/$label.out)
  local label=$1 t0 t1; shift
  t0=$(date +%s%N)
  /usr/bin/time -f "%U %S %M" -o "$OUT/time.txt" "$@" >"$OUT/$label.out" 2>"$OUT/err.txt" || true
  t1=$(date +%s%N)
  read -r u s m < <(tail -1 "$OUT/time.txt")
  echo "$(echo "($t1 - $t0) / 1000000000" | bc -l) $(echo "$u + $s" | bc -l) $m"
}

declare -A W C R
labels="parse compile full"
for l in $labels; do W[$l]=""; C[$l]=""; R[$l]=0; done
for ((i = 0; i < ROUNDS; i++)); do
  for l in $labels; do
    case $l in
      parse) r=$(measure parse "$RIFT" hunt -q --parse-only -t "$THREADS" "$BIG") ;;
      compile) r=$(measure compile "$RIFT" rules check --summary "${RULES[@]}") ;;
      full) r=$(measure full "$RIFT" hunt -q --jsonl -t "$THREADS" "${RULES[@]}" "$BIG") ;;
    esac
    read -r w c m <<<"$r"
    W[$l]="${W[$l]} $w"; C[$l]="${C[$l]} $c"
    [ "$m" -gt "${R[$l]}" ] && R[$l]=$m
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
for l in $labels; do
  eval "w_$l=$(echo "${W[$l]}" | median)"
  eval "c_$l=$(echo "${C[$l]}" | median)"
done
read -r nrules active <<<"$(grep -E '^[0-9]+ rules' "$OUT/compile.out" | awk '{print $1, $3}')"
dets=$(wc -l < "$OUT/full.out")
printf 'file: %s (%d MiB), %s threads, %s rule documents, %s active (SigmaHQ Windows)\n' \
  "$BIG" $((bytes >> 20)) "$THREADS" "$nrules" "$active"
printf 'detections written: %s\n' "$dets"
printf '%-10s %9s %9s %10s %9s\n' step wall_s cpu_s MB/s peak_MiB
for l in $labels; do
  w=$(eval echo "\$w_$l"); c=$(eval echo "\$c_$l")
  printf '%-10s %9.3f %9.3f %10.1f %9.1f\n' "$l" "$w" "$c" \
    "$(echo "$bytes / 1000000 / $w" | bc -l)" "$(echo "${R[$l]} / 1024" | bc -l)"
done
mw=$(echo "$w_full - $w_parse - $w_compile" | bc -l)
mc=$(echo "$c_full - $c_parse - $c_compile" | bc -l)
printf 'end to end: %.1f MB/s (goal: >= 50)\n' "$(echo "$bytes / 1000000 / $w_full" | bc -l)"
printf 'matching (full - parse - compile): %.3f s wall, %.3f s CPU\n' "$mw" "$mc"
printf 'matching / parsing: %.2f wall, %.2f CPU (goal: <= 1)\n' \
  "$(echo "$mw / $w_parse" | bc -l)" "$(echo "$mc / $c_parse" | bc -l)"
