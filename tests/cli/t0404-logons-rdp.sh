#!/usr/bin/env bash
# Velociraptor's RDP golden test (velociraptor_testcases/evtx.*.yaml): its
# Windows.EventLogs.RDPAuth artifact over the four RDPAuth_*.evtx files,
# one row per EventID.  Each of its rows (EventID, DomainName, UserName,
# LogonType, SourceIP) must be a row of `rift logons`: that EventID among
# the row's events, the same account, logon type and source.  EventID 40
# (RDP_REMOTE_DISCONNECTED_REASON) names no account: rift does not keep it.
RIFT=$1
DATA=${RIFT_DATA:-../shared/data}
G=$DATA/velociraptor_testcases/evtx.out.yaml
[ -f "$G" ] || { echo "skip logons rdp (no velociraptor test cases)"; exit 0; }
python3 - "$RIFT" "$DATA" <<'PY'
import json, subprocess, sys
rift, data = sys.argv[1], sys.argv[2]
text = open(data + '/velociraptor_testcases/evtx.out.yaml').read()
start = text.index('Output: [') + len('Output: ')
golden, _ = json.JSONDecoder().raw_decode(text[start:])
files = [data + '/evtx/velociraptor/RDPAuth_%s.evtx' % n for n in
         ('Security', 'System', 'LocalSessionManager', 'RemoteConnectionManager')]
out = subprocess.run([rift, 'logons', '--jsonl', '-q'] + files,
                     capture_output=True).stdout.decode()
rows = [json.loads(l) for l in out.splitlines()]
rows = [r for r in rows if r['record'] == 'logon']
def norm(v):
    return None if v in (None, 'null') else v
for g in golden:
    eid = g['EventID']
    name = 'logons rdp: velociraptor row %d %s' % (eid, g['Description'])
    if eid == 40:
        print('skip ' + name + ' (names no account)')
        continue
    user, dom = norm(g['UserName']), norm(g['DomainName'])
    want_user = (dom + '\\' + user) if dom else user
    src, lt = norm(g['SourceIP']), norm(g['LogonType'])
    def match(r):
        if eid not in r['event_ids']:
            return False
        if (r['user'] or '').lower() != want_user.lower():
            return False
        if src is not None and r['source_ip'] != src:
            return False
        if lt is not None and r['logon_type'] != lt:
            return False
        return True
    hit = [r for r in rows if match(r)]
    print(('ok ' if hit else 'FAIL ') + name + (
        '' if hit else ' (want %s from %s type %s)' % (want_user, src, lt)))
# the remote interactive logon: success, first and last seen
ri = [r for r in rows if r['logon_type'] == 10 and r['kind'] == 'logon']
ok = len(ri) == 1 and ri[0]['success'] == 2 and ri[0]['source_ip'] == '192.168.38.1' \
     and ri[0]['first_seen'].startswith('2021-02-12T12:34:28')
print(('ok ' if ok else 'FAIL ') + 'logons rdp: one RemoteInteractive row, 2 logons from 192.168.38.1 at 12:34:28')
PY
