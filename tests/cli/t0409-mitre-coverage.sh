#!/usr/bin/env bash
# Every EVTX-to-MITRE-Attack sample that holds attack activity gets at least
# one finding of the endpoint analytics (tests/cli/mitre_coverage.py; the
# table, with Sigma's column when rift has `hunt`, is written next to the
# rift binary as mitre-coverage.tsv).  The files the endpoint analytics
# leave without one are listed here with the reason; a new miss or a new
# hit is reported.
RIFT=$1
DATA=${RIFT_DATA:-../shared/data}
[ -d "$DATA/evtx/EVTX-to-MITRE-Attack" ] || { echo "skip mitre coverage (no sample data)"; exit 0; }
OUT=$(dirname "$RIFT")/mitre-coverage.tsv
python3 "$(dirname "$0")/mitre_coverage.py" "$RIFT" "$DATA" "$OUT" 2> "$OUT.summary"
python3 - "$OUT" <<'PY'
import csv, sys
# files without a finding, and why
EXPECTED_MISS = {
    'ID12-LSA Protect mode enabled RunAsPPL.evtx':
        'Wininit reports LSA running as a protected process: a defence, no attack',
    'ID4688-sqlcmd tool abuse in SQL Server.evtx':
        'one run of sqlcmd -S .\\RADAR,2020: nothing tells it from an administrator',
    'ID4661-Suspicious SAM access to password attributes by LSASS (Dcshadow).evtx':
        'the domain controller account reading SAM objects: routine for a DC',
}
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
miss = set(r['file'].split('/')[-1] for r in rows if r['findings'] == '0')
anyf = sum(r['any_finding'] == 'yes' for r in rows)
for f in sorted(miss - set(EXPECTED_MISS)):
    print('FAIL mitre coverage: no finding for %s' % f)
for f in sorted(set(EXPECTED_MISS) - miss):
    print('FAIL mitre coverage: %s now has a finding (update the list)' % f)
for f in sorted(miss & set(EXPECTED_MISS)):
    print('ok mitre coverage: no finding for %s (%s)' % (f, EXPECTED_MISS[f]))
named = sum(r['technique_named'] == 'yes' for r in rows)
print('ok mitre coverage: %d of %d files with an endpoint finding (%d with '
      'Sigma too), technique named in %d' % (len(rows) - len(miss), len(rows),
                                            anyf, named))
PY
