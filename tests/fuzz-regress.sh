#!/usr/bin/env bash
# Replay every committed fuzz crasher (fuzz/regress/<harness>/*) through the
# harness built with a plain main() (build/fuzz/replay/replay_<harness>).
set -u
BUILD=${1:-build}
for dir in fuzz/regress/*/; do
  h=$(basename "$dir")
  bin=$BUILD/fuzz/replay/replay_$h
  files=("$dir"*)
  [ -e "${files[0]}" ] || { echo "skip fuzz regress $h (no inputs)"; continue; }
  if [ ! -x "$bin" ]; then echo "FAIL fuzz regress $h: $bin missing"; continue; fi
  if timeout 120 "$bin" "${files[@]}"; then
    echo "ok   fuzz regress $h (${#files[@]} inputs)"
  else
    echo "FAIL fuzz regress $h (exit $?)"
  fi
done
