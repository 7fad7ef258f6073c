#!/usr/bin/env bash
# EVTX edge cases built at test time from real samples (nothing committed):
#  - EVTX content named .evt is read by magic, not extension;
#  - a file over 4 GiB (sparse: header, 4 GiB of zeros, real chunks) reads
#    the chunks after 4 GiB with their true file offsets;
#  - --carve recovers records left in chunk slack (free-space offset moved
#    back over the last records, header CRC recomputed) and marks them.
set -u
RIFT=$1
DATA=${RIFT_DATA:-../shared/data}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SRC=$DATA/evtx/omerbenamram_evtx/security.evtx
want=$("$RIFT" dump -q "$SRC" | wc -l)

cp "$SRC" "$T/Security.evt"
got=$("$RIFT" dump -q "$T/Security.evt" | wc -l)
[ "$got" = "$want" ] && echo "ok   .evt name: $got records" || echo "FAIL .evt name: $got records, want $want"

python3 - "$SRC" "$T/big.evtx" <<'PY'
import struct, sys, zlib
src = open(sys.argv[1], 'rb').read()
hdr, chunk = bytearray(src[:4096]), src[4096:4096 + 65536]
nzero = (4 << 30) // 65536 + 1           # zero chunks: past the 4 GiB mark
with open(sys.argv[2], 'wb') as f:
    struct.pack_into('<H', hdr, 42, 0)   # chunk count wraps: do not trust it
    struct.pack_into('<I', hdr, 124, zlib.crc32(bytes(hdr[:120])) & 0xffffffff)
    f.write(hdr)
    f.seek(4096 + nzero * 65536)
    f.write(chunk)

PY
n1=$("$RIFT" dump -q <(python3 -c "import sys;d=open(sys.argv[1],'rb').read();sys.stdout.buffer.write(d[:4096+65536])" "$SRC") | wc -l)
out=$("$RIFT" dump -q --format events "$T/big.evtx")
got=$(printf '%s\n' "$out" | grep -c '"rift.kind":"evtx"')
minoff=$(printf '%s\n' "$out" | sed -n 's/.*"rift.source.offset":\([0-9]*\).*/\1/p' | sort -n | head -1)
if [ "$got" = "$n1" ] && [ "${minoff:-0}" -gt 4294967296 ]; then
  echo "ok   file over 4 GiB: $got records, first at offset $minoff"
else
  echo "FAIL file over 4 GiB: $got records (want $n1), first offset ${minoff:-none}"
fi

python3 - "$SRC" "$T/slack.evtx" <<'PY'
import struct, sys, zlib
d = bytearray(open(sys.argv[1], 'rb').read()[:4096 + 65536])
c = 4096
free = struct.unpack_from('<I', d, c + 48)[0]
offs, o = [], 512
while o < free and d[c + o:c + o + 4] == b'**\x00\x00':
    offs.append(o); o += struct.unpack_from('<I', d, c + o + 4)[0]
cut = offs[-3]                                   # the last 3 records become slack
struct.pack_into('<I', d, c + 48, cut)
struct.pack_into('<I', d, c + 124, zlib.crc32(bytes(d[c:c + 120]) + bytes(d[c + 128:c + 512])) & 0xffffffff)
open(sys.argv[2], 'wb').write(d)
PY
plain=$("$RIFT" dump -q "$T/slack.evtx" | wc -l)
carved=$("$RIFT" dump -q --carve "$T/slack.evtx" | grep -c '"rift_carved":true')
if [ "$plain" = $((n1 - 3)) ] && [ "$carved" = 3 ]; then
  echo "ok   carve: $plain records in use, $carved recovered from slack"
else
  echo "FAIL carve: $plain records in use (want $((n1 - 3))), $carved carved (want 3)"
fi

# hand-made corrupt records (fuzz/regress/evtx): reported with the reason,
# exit status 1, nothing printed for the damaged record, no crash
for hex in "$(dirname "$0")"/../../fuzz/regress/evtx/*.hex; do
  name=$(basename "$hex" .hex)
  python3 -c "import sys,re;d=re.sub(r'#.*','',open(sys.argv[1]).read());sys.stdout.buffer.write(bytes.fromhex(''.join(d.split())))" "$hex" > "$T/c.evtx"
  out=$("$RIFT" dump "$T/c.evtx" 2>"$T/err"); rc=$?
  if [ $rc = 1 ] && [ -z "$out" ] && grep -q 'chunk 0: record 1: ' "$T/err"; then
    echo "ok   corrupt $name: $(sed 's/.*record 1: //' "$T/err" | head -1)"
  else
    echo "FAIL corrupt $name: exit $rc, stderr: $(head -c 200 "$T/err")"
  fi
done
