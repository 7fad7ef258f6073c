#!/usr/bin/env bash
# rift export --format ecs: events and findings as ECS documents.
exec python3 "$(dirname "$0")/t0110-export-ecs.py" "$1"
