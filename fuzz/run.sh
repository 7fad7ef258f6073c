#!/usr/bin/env bash
# Run one libFuzzer harness: fuzz/run.sh NAME [SECONDS] [extra libFuzzer args]
# Seeds come from ../shared/data at run time (never committed).  Crashers
# land in fuzz/out/NAME/; turn each into fuzz/regress/NAME/<id>.hex with
# fuzz/tohex.sh so that `make check` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=$1; SECS=${2:-600}; shift $(( $# >= 2 ? 2 : 1 ))
DATA=${RIFT_DATA:-$(cd .. && pwd)/shared/data}
make -s fuzz >/dev/null
CORPUS=fuzz/out/$NAME/corpus; ART=fuzz/out/$NAME/
mkdir -p "$CORPUS"
case $NAME in
  evtx) find "$DATA/evtx" "$DATA/sigma/regression_data" -name '*.evtx' -size -200k | head -200 |
          while read -r f; do cp -n "$f" "$CORPUS/$(sha1sum "$f" | cut -c1-16)" || true; done || true
        EXTRA=(-max_len=200000 -dict=fuzz/evtx.dict) ;;
  endpoint) find "$DATA/evtx/DeepBlueCLI" "$DATA/evtx/EVTX-to-MITRE-Attack" "$DATA/evtx/omerbenamram_evtx" \
              -name '*.evtx' -size -300k | head -300 |
          while read -r f; do cp -n "$f" "$CORPUS/$(sha1sum "$f" | cut -c1-16)" || true; done || true
        EXTRA=(-max_len=300000 -dict=fuzz/evtx.dict) ;;
  weblog) find "$DATA/linux" -name '*access*' -size -300k | head -50 |
          while read -r f; do cp -n "$f" "$CORPUS/$(sha1sum "$f" | cut -c1-16)" || true; done || true
        EXTRA=(-max_len=65536) ;;
  walk) # small archives of real evidence: zip, tar, tar.gz, a zip in a zip, .gz
        python3 - "$DATA" "$CORPUS" <<'PY'
import gzip, io, os, sys, tarfile, zipfile
data, out = sys.argv[1], sys.argv[2]
files = [os.path.join(data, "evtx/velociraptor/DE_104_system_log_cleared.evtx"),
         os.path.join(data, "linux")]
small = []
for f in files:
    for d, _, fs in (os.walk(f) if os.path.isdir(f) else [(os.path.dirname(f), 0, [os.path.basename(f)])]):
        small += [os.path.join(d, x) for x in sorted(fs) if os.path.getsize(os.path.join(d, x)) < 20000][:3]
def zipb(members):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in members:
            z.writestr(name, blob)
    return b.getvalue()
mem = [("dir/%s" % os.path.basename(f), open(f, "rb").read()) for f in small]
seeds = {"zip": zipb(mem), "nested.zip": zipb([("inner/a.zip", zipb(mem[:1]))]),
         "gz": gzip.compress(mem[0][1])}
for mode, name in (("w", "tar"), ("w:gz", "tar.gz")):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode=mode) as t:
        for n, blob in mem:
            ti = tarfile.TarInfo(n); ti.size = len(blob); t.addfile(ti, io.BytesIO(blob))
    seeds[name] = b.getvalue()
for k, v in seeds.items():
    open(os.path.join(out, "seed." + k), "wb").write(v)
PY
        EXTRA=(-max_len=65536) ;;
  x509|tls|pcap) # certificates, TLS records and small captures from the sample pcaps
        # (without seeds OpenSSL's DER decoder refuses every random input and
        # the harness never reaches rift's code)
        find "$DATA/pcap" -name '*.pcap*' -size -5M | sort > "fuzz/out/$NAME/pcaps.txt"
        case $NAME in
          pcap) while read -r f; do [ "$(stat -c %s "$f")" -lt 200000 ] || continue
                  cp -n "$f" "$CORPUS/$(sha1sum "$f" | cut -c1-16)"; done < "fuzz/out/$NAME/pcaps.txt"
                EXTRA=(-max_len=200000) ;;
          *) if command -v tshark >/dev/null; then
               field=$([ "$NAME" = x509 ] && echo tls.handshake.certificate || echo tcp.payload)
               while read -r f; do tshark -r "$f" -Y tls -T fields -e "$field" 2>/dev/null; done \
                 < "fuzz/out/$NAME/pcaps.txt" | tr ',' '\n' | grep -E '^[0-9a-f]{16,}$' | sort -u | head -300 |
                 while read -r h; do python3 -c "import sys;sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))" "$h" \
                   > "$CORPUS/seed-$(echo "$h" | sha1sum | cut -c1-16)"; done || true
             fi
             EXTRA=(-max_len=16384) ;;
        esac ;;
  eprules) for f in rules/endpoint/*.yaml; do cp -n "$f" "$CORPUS/$(basename "$f")"; done
        EXTRA=(-max_len=65536) ;;
  *) EXTRA=() ;;
esac
[ -d fuzz/regress/$NAME ] && for f in fuzz/regress/$NAME/*; do [ -e "$f" ] || continue
  python3 -c "import sys,re;d=re.sub(r'#.*','',open(sys.argv[1]).read());sys.stdout.buffer.write(bytes.fromhex(''.join(d.split())))" "$f" > "$CORPUS/regress-$(basename "$f" .hex)"; done
exec build-fuzz/fuzz/fuzz_$NAME "$CORPUS" -artifact_prefix="$ART" -max_total_time="$SECS" \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${EXTRA[@]}" "$@"
