#!/usr/bin/env bash
# Bad input: truncated archive, zip with ../ paths, zero-byte, unreadable and fake files.
exec python3 "$(dirname "$0")/t0104-bad-input.py" "$1"
