#!/usr/bin/env bash
# Oracle: see tests/oracle/net_ja3.py for what is compared and against what.
D=${RIFT_DATA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}
if [ ! -d "$D/pcap" ]; then echo "skip net-ja3 (no sample data)"; exit 0; fi
exec python3 "$(dirname "$0")/../oracle/net_ja3.py" "$1" "$D"
