#!/usr/bin/env bash
# Sigma rules over network events (category dns/proxy, product zeek) against tshark.
exec python3 "$(dirname "$0")/t0207-sigma-network.py" "$1"
