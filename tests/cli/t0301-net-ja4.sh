#!/usr/bin/env bash
# Oracle: see tests/oracle/net_ja4.py for what is compared and against what.
D=${RIFT_DATA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}
if [ ! -d "$D/pcap" ]; then echo "skip net-ja4 (no sample data)"; exit 0; fi
exec python3 "$(dirname "$0")/../oracle/net_ja4.py" "$1" "$D"
