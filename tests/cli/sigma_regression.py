#!/usr/bin/env python3
"""SigmaHQ's regression data (sigma/REGRESSION_INDEX.tsv): every rule over
its sample, through `rift hunt --jsonl`.

Per row:
  * match_count a number: exactly that many detections; or more, when every
    extra detection is an event SigmaHQ itself lists as matching in the
    row's published <rule-id>.json (three samples hold several matching
    events while info.yml says 1: the upstream runner only warns on more);
  * match_count unspecified: at least one detection;
  * always: each detected record is among the events of the published JSON
    (when the row has one), so rift never flags an event upstream does not.
The .raw sample (Cisco CLI log, commented out upstream) is read as a text
log of the row's logsource (rift hunt --logsource).
"""
import json, os, subprocess, sys


def published_ids(path):
    """EventRecordIDs of the events in a published .json (concatenated)."""
    if not os.path.exists(path):
        return None
    text = open(path, encoding='utf-8').read()
    dec, i, ids = json.JSONDecoder(), 0, set()
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        obj, i = dec.raw_decode(text, i)
        ids.add(int(obj['Event']['System']['EventRecordID']))
    return ids


def main(rift, data):
    sigma = os.path.join(data, 'sigma')
    rows = [l.rstrip('\n').split('\t') for l in open(os.path.join(sigma, 'REGRESSION_INDEX.tsv'))]
    head = rows[0]
    col = {n: i for i, n in enumerate(head)}
    passed = failed = 0
    for row in rows[1:]:
        rid = row[0]
        rule = os.path.join(sigma, row[col['rule_path(under sigma/)']])
        sample = os.path.join(data, row[col['sample_path(under data/)']])
        mc = row[col['match_count']]
        name = row[col['rule_path(under sigma/)']]
        if not os.path.exists(sample) or not os.path.exists(rule):
            print('skip sigma regression %s (sample or rule missing)' % name)
            continue
        cmd = [rift, 'hunt', '-q', '--jsonl', '-r', rule]
        if sample.endswith('.raw'):
            cmd += ['--logsource', row[col['logsource']]]
        cmd.append(sample)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        hits = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
        hits = [h for h in hits if h['rule']['id'] == rid]
        got = [h['rift']['record_id'] for h in hits]
        pub = published_ids(os.path.splitext(sample)[0] + '.json')
        why = None
        if pub is not None and not set(got) <= pub:
            why = 'records %s are not among the published matching events %s' % (
                sorted(set(got) - pub), sorted(pub))
        elif mc.isdigit():
            want = int(mc)
            if len(got) < want:
                why = '%d detections, want %d' % (len(got), want)
            elif len(got) > want and pub is None:
                why = '%d detections, want %d' % (len(got), want)
            elif len(got) > want:
                note = ' (%d > match_count %d: all are published matching events)' % (len(got), want)
        elif len(got) < 1:
            why = 'no detection, want at least one'
        if p.returncode not in (0,) and why is None:
            why = 'rift exited %d: %s' % (p.returncode, p.stderr.decode().strip()[:200])
        if why:
            print('FAIL sigma regression %s: %s' % (name, why))
            failed += 1
        else:
            extra = note if mc.isdigit() and len(got) > int(mc) else ''
            print('ok   sigma regression %s (%d detections, records %s)%s' % (
                name, len(got), ','.join(map(str, sorted(got))), extra))
            passed += 1
    print('sigma regression: %d rows passed, %d failed' % (passed, failed))


if __name__ == '__main__':
    main(sys.argv[1], os.environ.get('RIFT_DATA', os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'data')))
