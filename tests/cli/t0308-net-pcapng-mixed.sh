#!/usr/bin/env bash
# A pcapng file whose interfaces have different link types (what
# `mergecap -a` writes for Ethernet + raw IP + BSD loopback captures):
# libpcap stops at the second link type; rift must read the whole file and
# find exactly the handshakes it finds in the parts.
RIFT=$1
D=${RIFT_DATA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}
command -v mergecap >/dev/null || { echo "skip net pcapng mixed (no mergecap)"; exit 0; }
[ -d "$D/pcap" ] || { echo "skip net pcapng mixed (no sample data)"; exit 0; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
parts=("$D/pcap/foxio_ja4/tls12.pcap" "$D/pcap/suricata-verify/tls/tls-pre-1970/input.pcap"
       "$D/pcap/foxio_ja4/ipv6.pcapng" "$D/pcap/zeek/traces/ml-dsa-44-cert.pcap"
       "$D/pcap/salesforce_ja3/ssl-curl.pcap")
mergecap -a -F pcapng -w "$T/mixed.pcapng" "${parts[@]}"
"$RIFT" net tls -q "${parts[@]}" | sort > "$T/parts.txt"
"$RIFT" net tls -q "$T/mixed.pcapng" | sort > "$T/mixed.txt"
n=$(wc -l < "$T/parts.txt")
types=$(capinfos -E "$T/mixed.pcapng" 2>/dev/null | grep -c -E 'Ethernet|Raw IP|NULL')
if [ "$n" -ge 5 ] && cmp -s "$T/parts.txt" "$T/mixed.txt"; then
  echo "ok   net pcapng with $types link types: the same $n handshakes as its parts"
else
  echo "FAIL net pcapng mixed: $(diff "$T/parts.txt" "$T/mixed.txt" | head -5)"
fi
# 5000 interfaces (more than libpcap takes and more than the old cap of
# rift's walker), alternating link types and snapshot lengths; one TLS
# handshake on interface 4999 (raw IP) must be found.
python3 - "$RIFT" "$T" "$(dirname "$(readlink -f "$0")")/../net" <<'PY'
import json, struct, subprocess, sys
rift, tmp, netdir = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, netdir)
import pcapgen as g
def block(t, body):
    body += b'\0' * (-len(body) % 4)
    return struct.pack('<II', t, len(body) + 12) + body + struct.pack('<I', len(body) + 12)
out = block(0x0a0d0d0a, struct.pack('<IHHq', 0x1a2b3c4d, 1, 0, -1))
for i in range(5000):
    out += block(1, struct.pack('<HHI', 101 if i % 2 else 1, 0, 65535 - i))
hello = g.chrome_hello('many.example')
for k, (flags, seq, data) in enumerate([(g.SYN, 0, b''), (g.ACK | g.PSH, 1, hello)]):
    ip = g.Pcap._ip('10.9.0.1', '192.0.2.9', 6, g.tcp_seg(51000, 443, seq, 0, flags, data), k, 0, False)
    ts = (1700000000 + k) * 1000000
    out += block(6, struct.pack('<IIIII', 4999, ts >> 32, ts & 0xffffffff, len(ip), len(ip)) + ip)
open(f'{tmp}/many.pcapng', 'wb').write(out)
p = subprocess.run([rift, 'net', 'tls', '--jsonl', f'{tmp}/many.pcapng'], capture_output=True, text=True)
ev = [json.loads(l) for l in p.stdout.splitlines()]
ok = len(ev) == 1 and ev[0].get('tls.client.server_name') == 'many.example' and p.returncode == 0
print(('ok   ' if ok else 'FAIL ') + 'net pcapng with 5000 interfaces: the handshake on the last one'
      + ('' if ok else f': {ev} {p.stderr[:300]}'))
PY
