#!/usr/bin/env bash
# fuzz/tohex.sh NAME CRASHFILE: commit a libFuzzer crasher as a reviewable
# hexdump in fuzz/regress/NAME/ (replayed by `make check`).
set -euo pipefail
NAME=$1; IN=$2
id=$(sha1sum "$IN" | cut -c1-12)
mkdir -p "fuzz/regress/$NAME"
{ echo "# fuzz_$NAME crasher $(basename "$IN") ($(stat -c %s "$IN") bytes), found $(date -u +%F)"
  xxd -p -c 32 "$IN" 2>/dev/null || od -An -tx1 -v "$IN"; } > "fuzz/regress/$NAME/$id.hex"
echo "fuzz/regress/$NAME/$id.hex"
