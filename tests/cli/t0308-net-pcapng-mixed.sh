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
