#!/usr/bin/env bash
# libcrypto and SQLite are opened on first use (src/core/libcrypto.h,
# libsqlite.h), not at every start: the dynamic loader's own log
# (LD_DEBUG=files) says which shared objects a command loads.
#  - rift --help and rift dump of an EVTX file load neither;
#  - rift triage (a case database, file hashes) loads both, and works.
set -u
RIFT=$1
DATA=${RIFT_DATA:-../shared/data}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SRC=$DATA/evtx/omerbenamram_evtx/security.evtx
loads() { # lib cmd... -> count of "file=lib" lines in the loader's log
  local lib=$1; shift
  LD_DEBUG=files LD_DEBUG_OUTPUT="$T/ld" "$@" >/dev/null 2>&1
  cat "$T"/ld.* 2>/dev/null | grep -c "file=$lib"
  rm -f "$T"/ld.*
}
for lib in libcrypto.so.3 libsqlite3.so.0; do
  n=$(loads $lib "$RIFT" --help)
  [ "$n" = 0 ] && echo "ok   rift --help does not load $lib" || echo "FAIL rift --help loads $lib"
  if [ -f "$SRC" ]; then
    n=$(loads $lib "$RIFT" dump -q "$SRC")
    [ "$n" = 0 ] && echo "ok   rift dump does not load $lib" || echo "FAIL rift dump loads $lib"
    n=$(loads $lib "$RIFT" triage -q "$SRC" -o "$T/case-$lib")
    [ "$n" -gt 0 ] && echo "ok   rift triage loads $lib" || echo "FAIL rift triage does not load $lib"
  else
    echo "skip $lib on use: $SRC missing"
  fi
done
if [ -f "$SRC" ]; then
  n=$(python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute('select count(*) from events').fetchone()[0])" "$T/case-libcrypto.so.3/case.db" 2>/dev/null)
  [ "$n" = 2261 ] && echo "ok   triage case holds 2261 events" || echo "FAIL triage case holds '$n' events, want 2261"
fi
