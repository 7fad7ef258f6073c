#!/usr/bin/env bash
# Oracle: see tests/oracle/net_logs.py (Zeek and eve.json readers against
# the capture path and the published values).
D=${RIFT_DATA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}
if [ ! -d "$D/pcap" ]; then echo "skip net-logs (no sample data)"; exit 0; fi
exec python3 "$(dirname "$0")/../oracle/net_logs.py" "$1" "$D"
