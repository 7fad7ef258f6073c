#!/usr/bin/env python3
"""Coverage of the EVTX-to-MITRE-Attack samples by rift's findings.

For every .evtx under DATA/evtx/EVTX-to-MITRE-Attack, run
`rift endpoint --jsonl` (and, when rift has it and SigmaHQ rules are in
DATA/sigma, the Sigma engine) and write one TSV row:

  file  tactic  technique  events  findings  endpoint_techniques
  technique_named  sigma_findings  sigma_techniques  any_finding

technique is the one the file's folder names (T1053.005, T1098.xxx -> the
T1098 family); technique_named is "yes" when a finding names it or one of
its sub-techniques, "family" when a finding names only another technique
of its family (T1003 for T1003.001), "no" otherwise.

Usage: mitre_coverage.py RIFT DATA [OUT.tsv]   (default: stdout)
A summary goes to stderr.
"""
import json
import os
import re
import subprocess
import sys

TECH = re.compile(r'^(T\d{4})(?:\.(\d{3}|xxx))?')


def label(path):
    """(tactic, technique) from .../TA0007-Discovery/T1016-.../file."""
    parts = path.split(os.sep)
    tactic = tech = ''
    for p in parts:
        if p.startswith('TA0'):
            tactic = p.split('-')[0]
        m = TECH.match(p)
        if m and os.sep not in p and not p.endswith('.evtx'):
            tech = m.group(1) + ('.' + m.group(2) if m.group(2) and
                                 m.group(2) != 'xxx' else '')
    return tactic, tech


def named(label_tech, techs):
    if not label_tech:
        return ''
    fam = label_tech.split('.')[0]
    for t in techs:
        if t == label_tech or t.startswith(label_tech + '.'):
            return 'yes'
    for t in techs:
        if t.split('.')[0] == fam:
            return 'family'
    return 'no'


def sigma_cmd(rift, data):
    """The Sigma engine's command line (rift hunt with SigmaHQ's rules/),
    if this rift has one."""
    rules = os.path.join(data, 'sigma', 'rules')
    h = subprocess.run([rift, '--help'], capture_output=True).stdout.decode()
    if re.search(r'^\s+hunt\s', h, re.M) and os.path.isdir(rules):
        return [rift, 'hunt', '--jsonl', '-q', '-r', rules]
    return None


def sigma_techniques(x):
    """ATT&CK ids of a rift hunt --jsonl detection (ECS shape)."""
    t = x.get('threat', {}).get('technique', {}).get('id', [])
    return t if isinstance(t, list) else [t]


def run_json(cmd):
    p = subprocess.run(cmd, capture_output=True)
    out = []
    for line in p.stdout.decode('utf-8', 'replace').splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def main():
    rift, data = sys.argv[1], sys.argv[2]
    out = open(sys.argv[3], 'w') if len(sys.argv) > 3 else sys.stdout
    root = os.path.join(data, 'evtx', 'EVTX-to-MITRE-Attack')
    files = []
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.endswith('.evtx'):
                files.append(os.path.join(d, f))
    files.sort()
    sig = sigma_cmd(rift, data)
    out.write('file\ttactic\ttechnique\tevents\tfindings\tendpoint_techniques'
              '\ttechnique_named\tsigma_findings\tsigma_techniques'
              '\tany_finding\n')
    tot = dict(files=0, any=0, named=0, family=0, ep=0, sig=0)
    for f in files:
        rel = os.path.relpath(f, root)
        tactic, tech = label(rel)
        nev = sum(1 for _ in subprocess.run(
            [rift, 'dump', '-q', f], capture_output=True).stdout.splitlines())
        fs = run_json([rift, 'endpoint', '--jsonl', '-q', f])
        techs = sorted(set(t for x in fs for t in x.get('techniques', [])))
        sfs, stechs = [], []
        if sig:
            sfs = [x for x in run_json(sig + [f]) if x.get('rule')]
            stechs = sorted(set(t.upper() for x in sfs
                                for t in sigma_techniques(x)))
        nm = named(tech, techs + stechs)
        anyf = 'yes' if fs or sfs else 'no'
        out.write('\t'.join([rel, tactic, tech, str(nev), str(len(fs)),
                             ','.join(techs), nm,
                             str(len(sfs)) if sig else '-',
                             ','.join(stechs) if sig else '-', anyf]) + '\n')
        tot['files'] += 1
        tot['any'] += anyf == 'yes'
        tot['named'] += nm == 'yes'
        tot['family'] += nm == 'family'
        tot['ep'] += bool(fs)
        tot['sig'] += bool(sfs)
    sys.stderr.write(
        'EVTX-to-MITRE-Attack: %(files)d files, %(any)d with a finding '
        '(endpoint %(ep)d, sigma %(sig)d), technique named in %(named)d '
        '(+%(family)d same family)\n' % tot)


if __name__ == '__main__':
    main()
