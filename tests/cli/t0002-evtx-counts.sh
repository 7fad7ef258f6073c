#!/usr/bin/env bash
# Record counts against the structure walk and the evtx crate's damaged-file tests.
exec python3 "$(dirname "$0")/counts.py" "$1"
