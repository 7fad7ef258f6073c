#!/usr/bin/env bash
# Velociraptor golden test: Windows.EventLogs.Cleared (System 104).
exec python3 "$(dirname "$0")/t0103-velociraptor-log-cleared.py" "$1"
