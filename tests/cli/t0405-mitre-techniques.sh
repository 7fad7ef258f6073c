#!/usr/bin/env bash
# EVTX-to-MITRE-Attack's Discovery (TA0007) and Execution (TA0002) samples:
# every file gets a finding, and a finding names the technique of the
# file's folder (T1087, T1053.005 ...; a sub-technique counts).  Where the
# sample's label and the finding disagree, the test asserts the technique
# rift names instead, with the reason: a change in either is caught.
RIFT=$1
D=${RIFT_DATA:-../shared/data}/evtx/EVTX-to-MITRE-Attack
[ -d "$D" ] || { echo "skip mitre techniques (no sample data)"; exit 0; }
python3 - "$RIFT" "$D" <<'PY'
import json, os, subprocess, sys
sys.path.insert(0, os.path.join(os.getcwd(), 'tests', 'cli'))
from mitre_coverage import label, named
rift, root = sys.argv[1], sys.argv[2]
# file name -> (technique rift names instead, why)
DIFFERENT = {
    'ID4688-Audit policy enumerated.evtx':
        ('T1082', 'auditpol /get reads the audit configuration: system information, not network configuration'),
    'ID4688-Scheduled task configuration enumeration.evtx':
        ('T1053.005', 'schtasks /query enumerates scheduled tasks (T1053.005/T1007), not network configuration'),
    'ID6004-DNS-server-failed zone transfer.evtx':
        ('T1018', 'a zone transfer asks for every host name of a zone: remote system discovery'),
    'ID4624-Anonymous login with domain specified (DonPapi).evtx':
        ('T1087', 'an anonymous SMB session enumerates accounts and shares; no port scan in the file'),
    'ID3-7-10-Suspicious DLL loaded (CME+Mimikatz).evtx':
        ('T1003.001', 'the file shows PowerShell reading lsass.exe memory; no WMI process creation'),
    'ID4103-4104 - SPN discovery (moder nPowerShell).evtx':
        ('T1558.003', 'KerberosRequestorSecurityToken asks a service ticket for a known SPN (as SigmaHQ tags it)'),
    'ID800 - SPN discovery (PowerShell).evtx':
        ('T1558.003', 'KerberosRequestorSecurityToken asks a service ticket for a known SPN (as SigmaHQ tags it)'),
    'ID5140-Failed ADMIN$ share access.evtx':
        ('T1021.002', 'access to ADMIN$ is admin-share lateral movement (as SigmaHQ tags it)'),
}
files = []
for tac in ('TA0007-Discovery', 'TA0002-Execution'):
    for d, _, fs in os.walk(os.path.join(root, tac)):
        files += [os.path.join(d, f) for f in fs if f.endswith('.evtx')]
for f in sorted(files):
    rel = os.path.relpath(f, root)
    tactic, tech = label(rel)
    out = subprocess.run([rift, 'endpoint', '--jsonl', '-q', f],
                         capture_output=True).stdout.decode()
    techs = set(t for l in out.splitlines() for t in json.loads(l)['techniques'])
    base = os.path.basename(f)
    name = 'mitre %s: %s' % (tech, base)
    if not techs and not out.strip():
        print('FAIL %s (no finding)' % name)
        continue
    if base in DIFFERENT:
        want, why = DIFFERENT[base]
        ok = named(want, sorted(techs)) == 'yes' and named(tech, sorted(techs)) != 'yes'
        print(('ok ' if ok else 'FAIL ') + name + ' names %s instead (%s)' % (want, why)
              + ('' if ok else ' got %s' % sorted(techs)))
        continue
    ok = named(tech, sorted(techs)) == 'yes'
    print(('ok ' if ok else 'FAIL ') + name + ('' if ok else ' got %s' % sorted(techs)))
PY
