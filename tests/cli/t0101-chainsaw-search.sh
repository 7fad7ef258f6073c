#!/usr/bin/env bash
# chainsaw answer: "4624" in security_sample.evtx is records 31794 and 31799.
exec python3 "$(dirname "$0")/t0101-chainsaw-search.py" "$1"
