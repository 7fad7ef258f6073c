#!/usr/bin/env bash
# Apache/Nginx access logs against plaso's answers, a regular expression of the format, and Sigma webserver rules.
exec python3 "$(dirname "$0")/t0500-weblog.py" "$1"
