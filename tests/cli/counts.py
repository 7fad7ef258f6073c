#!/usr/bin/env python3
"""Record counts of rift dump against two published answers:
  * EXPECTED/evtx_structure_walk.tsv (all .evtx): records_walked.  On a file
    rift reads without reporting damage the count must be equal; where rift
    reports damage it may recover more (it resynchronises after a bad record
    and reads truncated chunks), never fewer.
  * evtx/omerbenamram_evtx/EXPECTED.tsv (evtx-rs tests on damaged files):
    at least expected_ok_records good records.
"""
import os, re, subprocess, sys


def stats(rift, path):
    p = subprocess.run([rift, 'dump', '--stats', '--format', 'jsonl', path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    m = re.search(r': (\d+) records, (\d+) bad records, (\d+) bad chunks', p.stderr.decode())
    if not m:
        return None
    return tuple(int(x) for x in m.groups())


def main(rift, data):
    walk = [l.rstrip('\n').split('\t') for l in open(os.path.join(data, 'EXPECTED', 'evtx_structure_walk.tsv'))]
    head = walk[0]
    iw = head.index('records_walked')
    same = more = bad = 0
    for row in walk[1:]:
        path = os.path.join(data, row[0])
        want = int(row[iw])
        st = stats(rift, path)
        if st is None:
            print('FAIL walk %s: no stats' % row[0]); bad += 1
            continue
        n, nbad, nchunks = st
        if n == want:
            same += 1
        elif n > want and (nbad or nchunks):
            more += 1
            print('ok   walk %s: %d records (walker %d; rift recovered past damage)' % (row[0], n, want))
        else:
            bad += 1
            print('FAIL walk %s: rift %d records, walker %d (%d bad records)' % (row[0], n, want, nbad))
    print('%s walk counts: %d files equal, %d files with more records recovered, %d wrong'
          % ('ok  ' if not bad else 'FAIL', same, more, bad))
    base = os.path.join(data, 'evtx', 'omerbenamram_evtx')
    for row in [l.rstrip('\n').split('\t') for l in open(os.path.join(base, 'EXPECTED.tsv'))][1:]:
        path = os.path.join(base, row[0])
        m = re.match(r'(\d+)', row[1])
        if not os.path.exists(path) or not m:
            print('skip evtx-rs count %s (sample not in the collection)' % row[0][:40])
            continue
        st = stats(rift, path)
        want = int(m.group(1))
        if st and st[0] >= want:
            print('ok   evtx-rs count %s: %d good records (evtx-rs %s)' % (row[0], st[0], row[1]))
        else:
            print('FAIL evtx-rs count %s: %s good records, want >= %d' % (row[0], st and st[0], want))


if __name__ == '__main__':
    main(sys.argv[1], os.environ.get('RIFT_DATA', '../shared/data'))
