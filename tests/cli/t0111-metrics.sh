#!/usr/bin/env bash
# rift metrics against counts from the raw records.
exec python3 "$(dirname "$0")/t0111-metrics.py" "$1"
