#!/usr/bin/env bash
# rift dump JSON/XML against the evtx crate's published record snapshots.
exec python3 "$(dirname "$0")/snapshots.py" "$1"
