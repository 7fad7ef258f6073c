#!/usr/bin/env python3
"""Oracle test: rift's EVTX parser against libevtx's evtxexport.

For every .evtx under DATA/evtx (and the Sigma regression samples) that
`evtxexport -f xml` reads without error, compare record by record (keyed by
EventRecordID):
  * rift dump --format xml: the whole element tree (names, attributes, text);
  * rift dump --format jsonl: System values (EventID, TimeCreated, Channel,
    Computer, Provider) and every EventData / UserData value.
Values are compared after normalising hex vs decimal integers, GUID braces
and case, CRLF and timestamps to the microsecond.

Files evtxexport cannot read must still be read by rift (records > 0 unless
the file holds none).

Usage: evtx_oracle.py RIFT DATA [--verbose] [FILE...]
Prints one line per file and a summary; exit status 1 on any mismatch.
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = '{http://schemas.microsoft.com/win/2004/08/events/event}'
CTRL = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]')
HEX = re.compile(r'^0x[0-9a-fA-F]+$')
GUID = re.compile(r'^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
                  r'[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$')
TS = re.compile(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$')


def norm(v):
    if v is None:
        return ''
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return ', '.join(norm(x) for x in v)
    # XML 1.0 cannot carry most control characters: evtxexport writes them
    # raw (its output is then not well-formed), rift's XML writes U+FFFD and
    # its JSON escapes them, so they are dropped on all sides before comparing
    v = CTRL.sub('', str(v)).replace('\r\n', '\n').replace('\r', '\n').strip()
    if HEX.match(v):
        return str(int(v, 16))
    m = GUID.match(v)
    if m:
        return m.group(1).upper()
    m = TS.match(v)
    if m:
        frac = (m.group(2) or '').ljust(6, '0')[:6]
        return m.group(1) + '.' + frac + 'Z'
    return v


def local(tag):
    return tag[len(NS):] if tag.startswith(NS) else tag.split('}')[-1]


def split_events(text):
    """evtxexport/rift XML: <Event> documents separated by blank lines."""
    out, cur = [], []
    for line in text.split('\n'):
        if line.startswith('<Event') and cur:
            out.append('\n'.join(cur))
            cur = []
        if line.startswith('<Event') or cur:
            cur.append(line)
    if cur:
        out.append('\n'.join(cur))
    return out


def parse_xml_events(text):
    """-> {record_id: Element}, count of unparseable documents"""
    recs, bad = {}, 0
    for doc in split_events(text):
        try:
            e = ET.fromstring(doc)
        except ET.ParseError:
            # evtxexport leaves raw control characters in; drop them
            try:
                e = ET.fromstring(re.sub(r'[\x00-\x08\x0b\x0c\x0e-\x1f]', '', doc))
            except ET.ParseError:
                bad += 1
                continue
        rid = e.find(NS + 'System/' + NS + 'EventRecordID')
        if rid is None or rid.text is None:
            bad += 1
            continue
        recs.setdefault(int(rid.text), e)
    return recs, bad


def tree_sig(e):
    """Normalised structure of an element: (name, attrs, text, children).
    RenderingInfo is left out: it sits in a second XML fragment of the
    record (forwarded events) that libevtx does not read and rift does."""
    attrs = tuple(sorted((local(k), norm(v)) for k, v in e.attrib.items()
                         if local(k) != 'xmlns'))
    text = norm(e.text)
    kids = tuple(tree_sig(c) for c in e if local(c.tag) != 'RenderingInfo')
    return (local(e.tag), attrs, text, kids)


def diff_sig(a, b, path=''):
    """First difference between two tree_sig() values, as text."""
    path = path + '/' + a[0]
    if a[0] != b[0]:
        return '%s: element %r vs %r' % (path, a[0], b[0])
    if a[1] != b[1]:
        return '%s: attributes %r vs %r' % (path, a[1], b[1])
    if a[2] != b[2]:
        return '%s: text %r vs %r' % (path, a[2][:200], b[2][:200])
    for x, y in zip(a[3], b[3]):
        if x != y:
            return diff_sig(x, y, path)
    if len(a[3]) != len(b[3]):
        return '%s: %d children vs %d: %r' % (path, len(a[3]), len(b[3]),
                                               [c[0] for c in (a[3] if len(a[3]) > len(b[3]) else b[3])][min(len(a[3]), len(b[3])):][:5])
    return path + ': same'


def flat_values(e, prefix=''):
    """EventData/UserData as {path: value} the way JSON flattens them."""
    out = {}
    seen = {}
    unnamed = []
    for c in e:
        name = local(c.tag)
        if name == 'Data' and 'Name' in c.attrib:
            key = c.attrib['Name']
        elif name == 'Data':
            unnamed.append(norm(c.text))
            continue
        else:
            key = name
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n:
            key = '%s_%d' % (key, n)
        p = prefix + '/' + key
        if len(c) or (c.attrib and name != 'Data'):
            for k, v in c.attrib.items():
                out[p + '/@' + local(k)] = norm(v)
            out.update(flat_values(c, p))
            if c.text and c.text.strip():
                out[p + '/#text'] = norm(c.text)
        else:
            out[p] = norm(c.text)
    if unnamed:
        out[prefix + '/Data'] = ', '.join(unnamed)
    return out


def flat_json(v, prefix=''):
    out = {}
    if isinstance(v, dict):
        for k, x in v.items():
            if k == '#attributes':
                for ak, av in x.items():
                    out[prefix + '/@' + ak] = norm(av)
            elif k == '#text':
                if prefix.endswith('/Data'):
                    out[prefix] = norm(x)
                else:
                    out[prefix + '/#text'] = norm(x)
            else:
                out.update(flat_json(x, prefix + '/' + k))
    else:
        out[prefix] = norm(v)
    return out


def system_values(sysel):
    def find(path):
        return sysel.find('/'.join(NS + p for p in path.split('/')))
    vals = {}
    for k in ('EventID', 'Channel', 'Computer'):
        x = find(k)
        vals[k] = norm(x.text) if x is not None else None
    x = find('TimeCreated')
    vals['TimeCreated'] = norm(x.attrib.get('SystemTime')) if x is not None else None
    x = find('Provider')
    vals['Provider'] = norm(x.attrib.get('Name')) if x is not None else None
    return vals


def json_system(ev):
    s = ev.get('System', {})
    def text(v):
        if isinstance(v, dict):
            return v.get('#text')
        return v
    prov = s.get('Provider') or {}
    tc = s.get('TimeCreated') or {}
    return {
        'EventID': norm(text(s.get('EventID'))) if 'EventID' in s else None,
        'Channel': norm(s.get('Channel')) if 'Channel' in s else None,
        'Computer': norm(s.get('Computer')) if 'Computer' in s else None,
        'TimeCreated': norm(tc.get('#attributes', {}).get('SystemTime')) if tc else None,
        'Provider': norm(prov.get('#attributes', {}).get('Name')) if prov else None,
    }


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def compare_file(rift, path, verbose):
    rc, oracle_xml, oerr = run(['evtxexport', '-f', 'xml', path])
    oracle_ok = rc == 0 and 'Unable' not in oerr
    _, rift_xml, _ = run([rift, 'dump', '-q', '--threads', '2', '--format', 'xml', path])
    _, rift_jsonl, _ = run([rift, 'dump', '-q', '--threads', '2', '--format', 'jsonl', path])
    mine, mine_bad = parse_xml_events(rift_xml)
    js = {}
    for line in rift_jsonl.splitlines():
        try:
            ev = json.loads(line)['Event']
            rid = ev['System']['EventRecordID']
            js.setdefault(int(rid['#text'] if isinstance(rid, dict) else rid), ev)
        except (ValueError, KeyError, TypeError):
            mine_bad += 1
    res = {'path': path, 'oracle_ok': oracle_ok, 'rift_records': len(mine),
           'rift_bad': mine_bad, 'json_records': len(js), 'problems': []}
    if not oracle_ok:
        return res
    theirs, theirs_bad = parse_xml_events(oracle_xml)
    res['oracle_records'] = len(theirs)
    res['values'] = 0
    probs = res['problems']
    for rid, te in theirs.items():
        me = mine.get(rid)
        if me is None:
            probs.append('record %d: missing in rift' % rid)
            continue
        if tree_sig(te) != tree_sig(me):
            probs.append('record %d: XML tree differs' % rid)
            if verbose:
                probs.append('  evtxexport vs rift: ' + diff_sig(tree_sig(te), tree_sig(me)))
        je = js.get(rid)
        if je is None:
            probs.append('record %d: missing in rift JSON' % rid)
            continue
        tsys = system_values(te.find(NS + 'System'))
        jsys = json_system(je)
        for k, v in tsys.items():
            res['values'] += 1
            if v != jsys.get(k):
                probs.append('record %d: System/%s: evtxexport %r, rift JSON %r' % (rid, k, v, jsys.get(k)))
        for sec in ('EventData', 'UserData'):
            tsec = te.find(NS + sec)
            if tsec is None:
                continue
            tv = flat_values(tsec, sec)
            jv = flat_json(je.get(sec), sec) if je.get(sec) is not None else {}
            # an empty element renders as null in JSON
            for k, v in tv.items():
                res['values'] += 1
                if jv.get(k, '') != v:
                    probs.append('record %d: %s: evtxexport %r, rift JSON %r' % (rid, k, v, jv.get(k)))
    extra = set(mine) - set(theirs)
    if extra and theirs_bad == 0:
        res['extra'] = len(extra)
    return res


def main(argv):
    verbose = '--verbose' in argv
    argv = [a for a in argv if a != '--verbose']
    rift, data = argv[0], argv[1]
    files = argv[2:]
    if not files:
        for root, _, names in os.walk(data):
            for n in sorted(names):
                if n.lower().endswith('.evtx'):
                    files.append(os.path.join(root, n))
    files.sort()
    n_ok = n_fail = n_unread = 0
    total_recs = total_vals = 0
    for f in files:
        r = compare_file(rift, f, verbose)
        rel = os.path.relpath(f, data)
        if not r['oracle_ok']:
            if r['rift_records'] == 0:
                print('FAIL %s: evtxexport cannot read it and neither can rift' % rel)
                n_fail += 1
            else:
                print('ok   %s: evtxexport cannot read it; rift read %d records' % (rel, r['rift_records']))
                n_unread += 1
            continue
        if r['problems']:
            n_fail += 1
            print('FAIL %s: %d problems' % (rel, len(r['problems'])))
            for p in r['problems'][:20 if verbose else 3]:
                print('     ' + p)
        else:
            n_ok += 1
            total_recs += r['oracle_records']
            total_vals += r['values']
            print('ok   %s: %d records, %d values' % (rel, r['oracle_records'], r['values']))
    print('evtx oracle: %d files agree with evtxexport (%d records, %d values), '
          '%d files only rift reads, %d files differ' % (n_ok, total_recs, total_vals, n_unread, n_fail))
    return 1 if n_fail else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
