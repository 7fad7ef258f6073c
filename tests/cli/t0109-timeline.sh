#!/usr/bin/env bash
# rift timeline: csv, jsonl, timesketch, filters, bounded memory.
exec python3 "$(dirname "$0")/t0109-timeline.py" "$1"
