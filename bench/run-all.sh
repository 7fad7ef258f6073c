#!/usr/bin/env bash
# Every benchmark against its peer, one after the other (make bench).
# Each script builds its own large input under bench/out/ on first use.
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
for b in evtx triage hunt endpoint net; do
  echo "== bench/$b.sh"
  bash "bench/$b.sh" "$BUILD" || echo "bench/$b.sh failed (exit $?)"
  echo
done
