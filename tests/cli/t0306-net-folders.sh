#!/usr/bin/env bash
# rift net over folders and archives of captures.
exec python3 "$(dirname "$0")/t0306-net-folders.py" "$1"
