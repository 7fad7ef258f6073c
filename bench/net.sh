#!/usr/bin/env bash
# Network speed: `rift net tls` against `tshark -T fields -e
# tls.handshake.ja3` on the same capture, and rift's flow accounting rate.
#
# Builds a capture of SIZE MiB or more from the sample captures: one
# `mergecap -a` of all of them (pcapng; their interfaces have several link
# types and snapshot lengths), repeated until the size is reached.  Then
# times, alternating, in one run:
#   rift net tls --jsonl            (to a file; 1 core: rift reads a capture
#                                    on one thread)
#   tshark -T fields -e tls.handshake.ja3   (to a file)
#   rift net flows --jsonl          (every protocol parser on; packets/s)
# and prints median wall time, throughput, peak RSS and the ratio; then
# compares the fingerprints: every JA3 tshark prints must be in rift's
# output.  On the repeated capture both tools see each connection of a
# repetition again with the same ports and sequence numbers: tshark's TCP
# analysis takes most of them for retransmissions, rift starts a new
# connection at a SYN that follows data, so the counts differ there; the
# comparison is (1) occurrence by occurrence on one copy of the inputs and
# (2) the set of distinct fingerprints on the big capture.
# Usage: bench/net.sh [BUILD] [SIZE_MiB] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SIZE=${2:-100}
ROUNDS=${3:-5}
DATA=${RIFT_DATA:-$(cd .. && pwd)/shared/data}
OUT=bench/out
RIFT=$BUILD/rift
mkdir -p "$OUT"
command -v tshark >/dev/null || { echo "tshark missing (apt-get install tshark)"; exit 1; }
command -v mergecap >/dev/null || { echo "mergecap missing (apt-get install wireshark-common)"; exit 1; }

ONE=$OUT/net-one.pcapng
BIG=$OUT/net-$SIZE.pcapng
if [ ! -s "$BIG" ]; then
  find "$DATA/pcap" \( -name '*.pcap' -o -name '*.pcapng' \) -print | sort > "$OUT/net-inputs.txt"
  mapfile -t inputs < "$OUT/net-inputs.txt"
  mergecap -a -F pcapng -w "$ONE" "${inputs[@]}"
  one=$(stat -c %s "$ONE")
  reps=$(( (SIZE * 1048576 + one - 1) / one ))
  args=()
  for ((i = 0; i < reps; i++)); do args+=("${inputs[@]}"); done
  mergecap -a -F pcapng -w "$BIG" "${args[@]}"
fi
bytes=$(stat -c %s "$BIG")

measure() { # cmd... -> "wall_s cpu_s rss_kb"  (stdout to $OUT/last.out)
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f "%U %S %M" -o "$OUT/time.txt" "$@" >"$OUT/last.out" 2>"$OUT/err.txt" || true
  t1=$(date +%s%N)
  read -r u s m < <(tail -1 "$OUT/time.txt")
  echo "$(echo "($t1 - $t0) / 1000000000" | bc -l | cut -c1-6) $(echo "$u + $s" | bc -l) $m"
}

# Wall time suffers when other work shares the machine; CPU time (user +
# system) is what a tool costs.  Both are shown, medians of ROUNDS runs.
declare -A T C R
labels="rift_tls tshark_ja3 rift_flows"
for label in $labels; do T[$label]=""; C[$label]=""; R[$label]=0; done
for ((i = 0; i < ROUNDS; i++)); do
  for label in $labels; do
    case $label in
      rift_tls) r=$(measure "$RIFT" net tls --jsonl -q "$BIG"); cp "$OUT/last.out" "$OUT/rift-tls.jsonl" ;;
      tshark_ja3) r=$(measure tshark -r "$BIG" -T fields -e tls.handshake.ja3); cp "$OUT/last.out" "$OUT/tshark-ja3.txt" ;;
      rift_flows) r=$(measure "$RIFT" net flows --jsonl -q "$BIG") ;;
    esac
    read -r w c rss <<< "$r"
    T[$label]="${T[$label]} $w"
    C[$label]="${C[$label]} $c"
    [ "$rss" -gt "${R[$label]}" ] && R[$label]=$rss
  done
done
packets=$("$RIFT" net flows -q --stats "$BIG" 2>&1 >/dev/null | sed -n 's/.* \([0-9]*\) packets,.*/\1/p')

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
printf 'file: %s (%d MiB, %s packets); load average %s\n' "$BIG" $((bytes >> 20)) \
  "$packets" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %8s %8s %10s %14s %10s\n' tool wall_s cpu_s MB/s packets/cpu_s peak_MiB
for label in $labels; do
  m=$(echo "${T[$label]}" | median)
  c=$(echo "${C[$label]}" | median)
  printf '%-12s %8s %8s %10.1f %14.0f %10.1f\n' "$label" "$m" "$c" \
    "$(echo "$bytes / 1048576 / $m" | bc -l)" "$(echo "$packets / $c" | bc -l)" \
    "$(echo "${R[$label]} / 1024" | bc -l)"
  eval "M_$label=$m"
  eval "CPU_$label=$c"
done
printf 'ratio tshark/rift net tls: %.1fx wall, %.1fx cpu\n' \
  "$(echo "$M_tshark_ja3 / $M_rift_tls" | bc -l)" "$(echo "$CPU_tshark_ja3 / $CPU_rift_tls" | bc -l)"
printf 'rift flow accounting: %.2f million packets/s of CPU (one core), %.2f wall\n' \
  "$(echo "$packets / $CPU_rift_flows / 1000000" | bc -l)" \
  "$(echo "$packets / $M_rift_flows / 1000000" | bc -l)"

# the fingerprints
tshark -r "$ONE" -T fields -e tls.handshake.ja3 > "$OUT/tshark-one.txt" 2>/dev/null
"$RIFT" net tls --jsonl -q "$ONE" > "$OUT/rift-one.jsonl"
python3 - "$OUT" <<'PY'
import collections, json, sys
out = sys.argv[1]
def tsh(p):
    c = collections.Counter()
    for line in open(p):
        c.update(h for h in line.strip().split(',') if h)
    return c
def rif(p):
    c = collections.Counter()
    for line in open(p):
        v = json.loads(line).get('tls.client.ja3')
        c.update(v if isinstance(v, list) else [v] if v else [])
    return c
t1, r1 = tsh(f'{out}/tshark-one.txt'), rif(f'{out}/rift-one.jsonl')
tb, rb = tsh(f'{out}/tshark-ja3.txt'), rif(f'{out}/rift-tls.jsonl')
miss1, missb = t1 - r1, set(tb) - set(rb)
print(f'one copy of the inputs: tshark {sum(t1.values())} JA3, rift {sum(r1.values())}; '
      f'tshark JA3 missing from rift: {sum(miss1.values())}')
print(f'big capture: tshark {sum(tb.values())} JA3 ({len(tb)} distinct), '
      f'rift {sum(rb.values())} ({len(rb)} distinct); distinct tshark JA3 '
      f'missing from rift: {len(missb)}')
extra = set(r1) - set(t1)
if extra:
    print(f'rift only (tshark prints no tls.handshake.ja3 for them, e.g. DTLS): {sorted(extra)}')
PY
