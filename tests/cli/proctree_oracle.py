#!/usr/bin/env python3
"""Oracle test of `rift proctree`: the process trees rift builds against
trees computed here from libevtx's evtxexport output (another parser),
with the rules Windows itself defines:

Sysmon (event 1): every ProcessGuid is one node with the logged pid, image,
command line and user; its parent is the node of ParentProcessGuid; every
network (3), image load (7), remote thread (8, on the source), process
access (10, on the source), file (11, 23, 26), registry (12-14), pipe
(17, 18) and DNS (22) event counts for the process of its ProcessGuid
(SourceProcessGuid/GUID for 8 and 10).

Security (4688): every event is one node with NewProcessId / NewProcessName;
its parent is the latest 4688 of the creator pid (ProcessId) on that host
started before it that had not exited (4689) before it, when that process
has the image Windows names as ParentProcessName (Windows 10+); when there
is none, rift's parent is an inferred node with the creator's pid.

Usage: proctree_oracle.py RIFT NAME FILE... ; prints ok/FAIL lines.
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = '{http://schemas.microsoft.com/win/2004/08/events/event}'
CTRL = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f]')
ACT = {3: 'network', 7: 'image_load', 8: 'remote_thread',
       10: 'process_access', 11: 'file', 12: 'registry', 13: 'registry',
       14: 'registry', 17: 'pipe', 18: 'pipe', 22: 'dns', 23: 'file_delete',
       26: 'file_delete'}
NULL_GUID = '{00000000-0000-0000-0000-000000000000}'


def events(path):
    out = subprocess.run(['evtxexport', '-f', 'xml', path],
                         capture_output=True).stdout.decode('utf-8', 'replace')
    docs, cur = [], []
    for line in out.split('\n'):
        if line.startswith('<Event '):
            cur = [line]
        elif cur:
            cur.append(line)
            if line.startswith('</Event>'):
                docs.append('\n'.join(cur))
                cur = []
    for d in docs:
        try:
            e = ET.fromstring(CTRL.sub('', d))
        except ET.ParseError:
            continue
        sysel = e.find(NS + 'System')
        prov = sysel.find(NS + 'Provider').get('Name')
        eid = int(sysel.find(NS + 'EventID').text)
        rid = int(sysel.find(NS + 'EventRecordID').text)
        t = sysel.find(NS + 'TimeCreated').get('SystemTime')
        host = (sysel.find(NS + 'Computer').text or '').lower()
        data = {}
        ed = e.find(NS + 'EventData')
        if ed is not None:
            for x in ed:
                if x.get('Name'):
                    data[x.get('Name')] = (x.text or '')
        yield dict(prov=prov, id=eid, rid=rid, t=t, host=host, data=data,
                   file=path)


def num(v):
    v = (v or '').strip()
    try:
        return int(v, 16) if v.lower().startswith('0x') else int(v)
    except ValueError:
        return None


def base(p):
    return re.split(r'[\\/]', p or '')[-1].lower()


def flatten(node, parent, out):
    node['_parent'] = parent
    out.append(node)
    for c in node.get('children', []):
        flatten(c, node, out)


def main():
    rift, name, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    ev = []
    for f in files:
        ev.extend(events(f))
    res = subprocess.run([rift, 'proctree', '--json', '--no-findings', '-q']
                         + files, capture_output=True)
    nodes = []
    for line in res.stdout.decode().splitlines():
        flatten(json.loads(line)['process'], None, nodes)
    fails = []
    checks = 0

    # ---- Sysmon ---------------------------------------------------------
    by_guid = {}
    for n in nodes:
        if n['guid']:
            by_guid.setdefault((n['host'], n['guid'].upper()), []).append(n)
    acts = {}
    owner = {}
    created = {}
    for e in ev:
        if e['prov'] != 'Microsoft-Windows-Sysmon':
            continue
        d = e['data']
        if e['id'] == 1:
            g = d.get('ProcessGuid', '').upper()
            if (e['host'], g) in created:
                continue
            created[(e['host'], g)] = e
        elif e['id'] in ACT:
            if e['id'] in (8, 10):
                g = d.get('SourceProcessGuid') or d.get('SourceProcessGUID')
            else:
                g = d.get('ProcessGuid')
            if not g or g == NULL_GUID:
                continue
            k = (e['host'], g.upper())
            acts.setdefault(k, {}).setdefault(ACT[e['id']], 0)
            acts[k][ACT[e['id']]] += 1
            if e['id'] in (8, 10):
                owner[k] = (num(d.get('SourceProcessId')),
                            base(d.get('SourceImage')))
            else:
                owner[k] = (num(d.get('ProcessId')), base(d.get('Image')))
    for (host, g), e in created.items():
        d = e['data']
        checks += 1
        got = [n for n in by_guid.get((host, g), []) if n['source'] == 'sysmon']
        if len(got) != 1:
            fails.append('%s: %d sysmon nodes, want 1' % (g, len(got)))
            continue
        n = got[0]
        if (n['pid'] != num(d.get('ProcessId')) or
                n['image'] != d.get('Image') or
                (n['command_line'] or '') != d.get('CommandLine', '') or
                (n['user'] or '') != d.get('User', '')):
            fails.append('%s: fields differ: %r' % (g, (n['pid'], n['image'])))
        pg = d.get('ParentProcessGuid', '').upper()
        if pg and pg != NULL_GUID:
            p = n['_parent']
            if not p or (p['guid'] or '').upper() != pg:
                fails.append('%s: parent %s, want %s' % (
                    g, p and p['guid'], pg))
            elif p['source'] == 'inferred' and base(p['image']) != base(
                    d.get('ParentImage')) and d.get('ParentImage') not in (
                        None, '', '-'):
                fails.append('%s: inferred parent image %s, want %s' % (
                    g, p['image'], d.get('ParentImage')))
    for k, want in acts.items():
        checks += 1
        got = by_guid.get(k, [])
        if k not in created:
            # a process Sysmon did not see start may be one that a 4688 of
            # that host logged (same pid and image): the same process
            pid, img = owner[k]
            got = got + [n for n in nodes if n['source'] == 'security' and
                         n['host'] == k[0] and n['pid'] == pid and
                         base(n['image']) == img]
        have = {}
        for n in got:
            for a in n['activity']:
                have[a['kind']] = have.get(a['kind'], 0) + 1
        if have != want:
            fails.append('%s: activity %s, want %s' % (k[1], have, want))

    # ---- Security 4688 ----------------------------------------------------
    # an identical event in two files (overlapping exports) is one node:
    # key events by host, record id and time
    when = {(e['file'], e['rid']): e['t'] for e in ev}
    by_rec = {}
    for n in nodes:
        if n['source'] == 'security' and n.get('event'):
            k = (n['event']['file'], n['event']['record_id'])
            by_rec[(n['host'], k[1], when.get(k))] = n
    sysmon_hosts = set(h for h, _ in created)
    starts = [e for e in ev if e['prov'] == 'Microsoft-Windows-Security-Auditing'
              and e['id'] == 4688]
    exits = [e for e in ev if e['prov'] == 'Microsoft-Windows-Security-Auditing'
             and e['id'] == 4689]
    for c in starts:
        if c['host'] in sysmon_hosts:
            continue  # may be merged with its Sysmon view
        d = c['data']
        checks += 1
        n = by_rec.get((c['host'], c['rid'], c['t']))
        if not n:
            fails.append('4688 %s#%d: no node' % (c['file'], c['rid']))
            continue
        if n['pid'] != num(d.get('NewProcessId')):
            fails.append('4688 #%d: pid %s' % (c['rid'], n['pid']))
        ppid = num(d.get('ProcessId'))
        cands = [e for e in starts if e['host'] == c['host'] and
                 num(e['data'].get('NewProcessId')) == ppid and
                 e['t'] <= c['t'] and e is not c]
        want = None
        if cands:
            # equal times: the one logged last (pid reuse in one tick)
            best = max(cands, key=lambda e: (e['t'], e['file'], e['rid']))
            ex = [x for x in exits if x['host'] == c['host'] and
                  num(x['data'].get('ProcessId')) == ppid and
                  best['t'] <= x['t'] < c['t']]
            pn = d.get('ParentProcessName')
            if not ex and (not pn or base(pn) ==
                           base(best['data'].get('NewProcessName'))):
                want = best
        p = n['_parent']
        if want is not None:
            if not p or not p.get('event') or (
                    p['event']['record_id'], when.get((
                        p['event']['file'], p['event']['record_id']))) != (
                        want['rid'], want['t']):
                fails.append('4688 #%d (%s): parent %s, want #%d' % (
                    c['rid'], base(d.get('NewProcessName')),
                    p and p.get('event') and p['event']['record_id'],
                    want['rid']))
        else:
            if not p or p['source'] != 'inferred' or p['pid'] != ppid:
                fails.append('4688 #%d: parent %s, want inferred pid %s' % (
                    c['rid'], p and p['source'], ppid))
            elif d.get('ParentProcessName') and base(p['image']) != base(
                    d.get('ParentProcessName')):
                fails.append('4688 #%d: inferred parent %s, want %s' % (
                    c['rid'], p['image'], d.get('ParentProcessName')))
    if not checks:
        print('skip proctree oracle %s (no process events)' % name)
        return
    if fails:
        for f in fails[:20]:
            sys.stderr.write('  %s\n' % f)
        print('FAIL proctree oracle %s: %d of %d checks failed' % (
            name, len(fails), checks))
    else:
        print('ok proctree oracle %s (%d processes and activity sets)' % (
            name, checks))


if __name__ == "__main__":
    main()
