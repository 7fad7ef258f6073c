#!/usr/bin/env bash
# Archives: zip, tar, tar.gz, tar.zst, 7z, nested zip, .evtx.gz.
exec python3 "$(dirname "$0")/t0107-archives.py" "$1"
