#!/usr/bin/env bash
# Every finding names the events behind it (file, offset, record id, time):
# each of them must be a record of that file with that record id and that
# time, as libevtx's evtxexport reads it; the finding's time span covers
# its events.  Over DeepBlueCLI's samples and all of EVTX-to-MITRE-Attack.
RIFT=$1
D=${RIFT_DATA:-../shared/data}/evtx
command -v evtxexport >/dev/null || { echo "skip finding events (no evtxexport)"; exit 0; }
[ -d "$D" ] || { echo "skip finding events (no sample data)"; exit 0; }
python3 - "$RIFT" "$D" <<'PY'
import json, os, subprocess, sys
sys.path.insert(0, os.path.join(os.getcwd(), 'tests', 'cli'))
import proctree_oracle as o
rift, d = sys.argv[1], sys.argv[2]
for name in ('DeepBlueCLI', 'EVTX-to-MITRE-Attack'):
    out = subprocess.run([rift, 'endpoint', '--jsonl', '-q',
                          os.path.join(d, name)], capture_output=True).stdout
    fs = [json.loads(l) for l in out.decode().splitlines()]
    files = set(r['file'] for f in fs for r in f['events'])
    recs, unread = {}, set()
    for f in files:
        k = 0
        for e in o.events(f):
            # exports merging channels repeat record ids: keep every time
            recs.setdefault((f, e['rid']), set()).add(e['t'][:26])
            k += 1
        if not k:
            unread.add(f)  # evtxexport cannot read it: not checkable
    bad, n, skipped = [], 0, 0
    for f in fs:
        ts = []
        for r in f['events']:
            ts.append(r['@timestamp'])
            if r['file'] in unread:
                skipped += 1
                continue
            n += 1
            t = recs.get((r['file'], r['record_id']))
            # evtxexport prints 100 ns ticks (7 digits), rift microseconds
            if t is None or r['@timestamp'][:26] not in t:
                bad.append('%s: %s#%d %s vs %s' % (f['rule_id'], r['file'],
                           r['record_id'], r['@timestamp'], t))
        if ts and not (f['@timestamp'] <= min(ts) and max(ts) <= f['ts_end']):
            bad.append('%s: span %s..%s does not cover its events' % (
                f['rule_id'], f['@timestamp'], f['ts_end']))
        if not f['events']:
            bad.append('%s: no supporting event' % f['rule_id'])
    for b in bad[:10]:
        sys.stderr.write('  %s\n' % b)
    print(('ok' if not bad and fs else 'FAIL') +
          ' finding events %s: %d findings, %d supporting events checked%s%s'
          % (name, len(fs), n, '' if not bad else ', %d wrong' % len(bad),
             '' if not skipped else ' (%d in %d files evtxexport cannot read)'
             % (skipped, len(unread))))
PY
