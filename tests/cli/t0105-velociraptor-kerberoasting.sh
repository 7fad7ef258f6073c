#!/usr/bin/env bash
# Velociraptor golden test: Windows.EventLogs.Kerberoasting (4769, RC4).
exec python3 "$(dirname "$0")/t0105-velociraptor-kerberoasting.py" "$1"
