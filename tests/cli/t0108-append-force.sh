#!/usr/bin/env bash
# Existing cases: --append, --force, duplicates.
exec python3 "$(dirname "$0")/t0108-append-force.py" "$1"
