#!/usr/bin/env bash
# Velociraptor golden test: Windows.EventLogs.RDPAuth over the RDPAuth logs.
exec python3 "$(dirname "$0")/t0102-velociraptor-rdp.py" "$1"
