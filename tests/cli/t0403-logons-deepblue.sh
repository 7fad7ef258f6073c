#!/usr/bin/env bash
# Password attacks in DeepBlueCLI's samples, with the truth counted here
# from evtxexport's records (another parser) and DeepBlueCLI's documented
# expectations (README: "Password guessing" for
# smb-password-guessing-security.evtx, "Password spraying" for
# password-spray.evtx; DeepBlue.ps1 reports the guessed account and the
# sprayed accounts with the accessing user).
RIFT=$1
D=${RIFT_DATA:-../shared/data}/evtx/DeepBlueCLI
[ -d "$D" ] || { echo "skip logons deepblue (no sample data)"; exit 0; }
command -v evtxexport >/dev/null || { echo "skip logons deepblue (no evtxexport)"; exit 0; }
python3 - "$RIFT" "$D" <<'PY'
import json, subprocess, sys, os
sys.path.insert(0, os.path.join(os.getcwd(), 'tests', 'cli'))
import proctree_oracle as o
rift, d = sys.argv[1], sys.argv[2]
def check(name, cond, extra=''):
    print(('ok ' if cond else 'FAIL ') + 'logons deepblue: ' + name +
          ('' if cond else '  ' + str(extra)))
def findings(path):
    out = subprocess.run([rift, 'logons', '--jsonl', '-q', path],
                         capture_output=True).stdout.decode()
    rows = [json.loads(l) for l in out.splitlines()]
    return ([r for r in rows if r['record'] == 'logon'],
            [r for r in rows if r['record'] == 'finding'])
def short(u):
    return u.split('\\')[-1].split('@')[0].lower()

# --- password guessing (brute force) ---
f = os.path.join(d, 'smb-password-guessing-security.evtx')
ev = [e for e in o.events(f) if e['id'] == 4625]
fails = {}
for e in ev:
    k = (e['data']['TargetUserName'].lower(), e['data']['IpAddress'])
    fails[k] = fails.get(k, 0) + 1
(user, ip), n = max(fails.items(), key=lambda kv: kv[1])
rows, fs = findings(f)
bf = [x for x in fs if x['rule_id'] == 'logon.brute_force']
check('smb guessing: one brute force finding', len(bf) == 1, [x['rule_id'] for x in fs])
if bf:
    b = bf[0]
    check('smb guessing: account %s' % user, short(b['user']) == user, b['user'])
    check('smb guessing: source %s' % ip, b['source_ip'] == ip, b['source_ip'])
    check('smb guessing: %d failures counted' % n, b['details']['failures'] == n, b['details'])
    check('smb guessing: T1110.001', 'T1110.001' in b['techniques'])
    check('smb guessing: supporting events are 4625 records of the file',
          all(r['file'].endswith('smb-password-guessing-security.evtx') for r in b['events'])
          and set(r['record_id'] for r in b['events']) <= set(e['rid'] for e in ev))
check('smb guessing: no spray (%d accounts)' % len(set(u for u, _ in fails)),
      not [x for x in fs if 'spray' in x['rule_id']])
tot = sum(r['failure'] for r in rows if r['kind'] == 'logon')
check('smb guessing: table counts %d failures' % len(ev), tot == len(ev), tot)

# --- password spraying (explicit credentials, 4648) ---
f = os.path.join(d, 'password-spray.evtx')
ev = [e for e in o.events(f) if e['id'] == 4648]
targets = set(e['data']['TargetUserName'].lower() for e in ev)
subjects = set(e['data']['SubjectUserName'] for e in ev)
rows, fs = findings(f)
sp = [x for x in fs if x['rule_id'] == 'logon.explicit_spray']
check('spray: one password spray finding', len(sp) == 1, [x['rule_id'] for x in fs])
if sp:
    s = sp[0]
    check('spray: accessing account %s' % '/'.join(subjects),
          short(s['user']) in set(x.lower() for x in subjects), s['user'])
    got = set(short(u) for u in s['details']['accounts'])
    check('spray: the %d sprayed accounts' % len(targets), got == targets,
          sorted(got ^ targets)[:5])
    check('spray: %d attempts' % len(ev), s['details']['attempts'] == len(ev))
    check('spray: T1110.003', 'T1110.003' in s['techniques'])
check('spray: not reported as brute force',
      not [x for x in fs if x['rule_id'] == 'logon.brute_force'])
PY
