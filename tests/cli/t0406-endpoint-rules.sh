#!/usr/bin/env bash
# The endpoint rules are data: the copy built into rift is rules/endpoint;
# --rules DIR and $RIFT_ENDPOINT_RULES replace it; a broken rule stops the run with
# the file and line; every command has --help.
RIFT=$1
F=${RIFT_DATA:-../shared/data}/evtx/DeepBlueCLI
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ok() { echo "ok endpoint rules: $1"; }
fail() { echo "FAIL endpoint rules: $1"; }

for c in proctree logons endpoint; do
  if "$RIFT" $c --help | grep -q "usage: rift $c"; then ok "$c --help"; else fail "$c --help"; fi
  "$RIFT" $c >/dev/null 2>&1; s=$?
  [ $s -eq 129 ] && ok "$c without evidence exits 129" || fail "$c without evidence exits $s"
done
if [ ! -d "$F" ]; then echo "skip endpoint rules (no sample data)"; exit 0; fi

"$RIFT" endpoint --jsonl -q "$F" > "$T/builtin.jsonl"
"$RIFT" endpoint --jsonl -q --rules rules/endpoint "$F" > "$T/dir.jsonl"
if [ -s "$T/builtin.jsonl" ] && cmp -s "$T/builtin.jsonl" "$T/dir.jsonl"; then
  ok "built-in copy is rules/endpoint ($(wc -l < "$T/dir.jsonl") findings)"
else
  fail "built-in copy differs from rules/endpoint"
fi

# the rules packed in a zip read as the folder does
python3 -c "
import sys, zipfile, glob, os
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    for f in sorted(glob.glob('rules/endpoint/*.yaml')):
        z.write(f, 'endpoint/' + os.path.basename(f))
" "$T/rules.zip"
mkdir -p "$T/tmp"
TMPDIR="$T/tmp" "$RIFT" endpoint --jsonl -q --rules "$T/rules.zip" "$F" > "$T/zip.jsonl"
if [ -s "$T/zip.jsonl" ] && cmp -s "$T/zip.jsonl" "$T/dir.jsonl" && [ -z "$(ls -A "$T/tmp")" ]; then
  ok "rules from a zip: the same $(wc -l < "$T/zip.jsonl") findings, nothing left in TMPDIR"
else
  fail "rules from a zip differ from the folder (or TMPDIR not emptied)"
fi

# a threshold changed in the data changes what rift finds
mkdir -p "$T/r/endpoint"
cp rules/endpoint/*.yaml "$T/r/endpoint/"
sed -i 's/brute_force: {failures: [0-9]*/brute_force: {failures: 100000/' "$T/r/endpoint/behaviour.yaml"
n1=$(grep -c '"logon.brute_force"' "$T/builtin.jsonl")
n2=$(RIFT_ENDPOINT_RULES="$T/r/endpoint" "$RIFT" endpoint --jsonl -q "$F" | grep -c '"logon.brute_force"')
[ "$n1" -ge 1 ] && [ "$n2" -eq 0 ] && ok "RIFT_ENDPOINT_RULES threshold turns brute force off ($n1 -> $n2)" \
  || fail "RIFT_ENDPOINT_RULES threshold: $n1 -> $n2"

# a broken regular expression: exit 128, file and line named
cp rules/endpoint/*.yaml "$T/"
line=$(grep -n "id: log.cleared" "$T/indicators.yaml" | cut -d: -f1)
sed -i "$((line + 1))a\\    match: {Channel: '(broken'}" "$T/indicators.yaml"
"$RIFT" endpoint --rules "$T" "$F/password-spray.evtx" > /dev/null 2> "$T/err"; s=$?
if [ $s -eq 128 ] && grep -q "indicators.yaml:$((line + 2)).*regular expression" "$T/err"; then
  ok "broken rule: exit 128, names indicators.yaml:$((line + 2))"
else
  fail "broken rule: exit $s, $(head -c 300 "$T/err")"
fi
