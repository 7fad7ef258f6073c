#!/usr/bin/env bash
# case.db holds every record rift dump reads; manifest sizes and hashes.
exec python3 "$(dirname "$0")/t0100-triage-counts.py" "$1"
