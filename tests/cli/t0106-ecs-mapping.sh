#!/usr/bin/env bash
# ECS mapping of Windows event logs against the raw records (rift dump).
exec python3 "$(dirname "$0")/t0106-ecs-mapping.py" "$1"
