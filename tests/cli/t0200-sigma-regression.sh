#!/usr/bin/env bash
# SigmaHQ regression data: every rule over its sample (sigma_regression.py).
[ -d "${RIFT_DATA:-}/sigma" ] || { echo "skip sigma regression (no sample data)"; exit 0; }
exec python3 "$(dirname "$0")/sigma_regression.py" "$1"
