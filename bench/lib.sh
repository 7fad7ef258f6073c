# Shared by the bench/ scripts (sourced, not run).
#
# bench_evtx_file OUT SIZE_MiB DATA TOOLS: build OUT, a large EVTX file of
# real chunks (../shared/tools/evtx-concat) from the sample logs that
# libevtx's evtxexport reads without error, unless it exists already.
# (evtxexport stops at the first record it cannot parse: chunks it cannot
# read would make the peer look faster than it is.)
bench_evtx_file() {
  local out=$1 size=$2 data=$3 tools=$4 list
  [ -s "$out" ] && return 0
  command -v evtxexport >/dev/null || { echo "evtxexport missing (apt-get install libevtx-utils)" >&2; return 1; }
  list=$(dirname "$out")/evtx-inputs.txt
  : > "$list"
  find "$data/evtx" -name '*.evtx' -print0 | sort -z | while IFS= read -r -d '' f; do
    if evtxexport -f xml "$f" >/dev/null 2>&1; then echo "$f" >> "$list"; fi
  done
  tr '\n' '\0' < "$list" | xargs -0 python3 "$tools/evtx-concat" "$out" --size "$size" >&2
}
