#!/usr/bin/env bash
# The tree under the meterpreter process of DeepBlueCLI's
# metasploit-sysmon.evtx (hello.exe, pid 9192).  What the file says
# (records 30473-30503, read with `rift dump` and evtxexport): impacket
# wmiexec runs "cmd.exe /Q /c hello.exe 1> \\127.0.0.1\ADMIN$\__..." under
# WmiPrvSE.exe (pid 3940, started before the log); hello.exe resolves and
# connects to 192.168.37.203:8080, opens lsass.exe (pid 640) five times
# (0x1f3fff, 0x1410, 0x1000, 0x1410, 0x1000), starts remote threads in
# lsass.exe and winlogon.exe (pid 560), after which winlogon.exe starts
# cmd.exe (pid 7720): the session migrated into winlogon.
RIFT=$1
F=${RIFT_DATA:-../shared/data}/evtx/DeepBlueCLI/metasploit-sysmon.evtx
[ -f "$F" ] || { echo "skip proctree meterpreter (no sample)"; exit 0; }
"$RIFT" proctree --json --image hello.exe "$F" > /tmp/rift-t0402.$$ 2>&1
"$RIFT" proctree --pid 560 "$F" > /tmp/rift-t0402t.$$ 2>&1
python3 - /tmp/rift-t0402.$$ /tmp/rift-t0402t.$$ <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
text = open(sys.argv[2]).read()
def check(name, cond):
    print(('ok ' if cond else 'FAIL ') + 'proctree meterpreter: ' + name)
check('one hello.exe process', len(lines) == 1)
t = json.loads(lines[0])
p = t['process']
anc = t['ancestors']
check('ancestry WmiPrvSE.exe 3940 -> cmd.exe 8696',
      [(a['pid'], a['image'].split('\\')[-1].lower()) for a in anc] ==
      [(3940, 'wmiprvse.exe'), (8696, 'cmd.exe')])
check('wmiexec command line of the parent',
      anc[-1]['command_line'].startswith('cmd.exe /Q /c hello.exe 1> \\\\127.0.0.1\\ADMIN$\\__'))
check('pid, image, user, integrity, guid',
      (p['pid'], p['image'], p['user'], p['integrity_level'], p['guid']) ==
      (9192, 'C:\\hello.exe', 'VALKYRIE\\fgaeta', 'High',
       '{0FD50764-2949-6440-0009-000000001800}'))
check('creation event is record 30479', p['event']['record_id'] == 30479)
acts = p['activity']
kinds = [a['kind'] for a in acts]
check('activity in time order', [a['ts'] for a in acts] == sorted(a['ts'] for a in acts))
check('dns query 192.168.37.203 (record 30480)',
      any(a['kind'] == 'dns' and a['query'] == '192.168.37.203' and
          a['event']['record_id'] == 30480 for a in acts))
check('connection to 192.168.37.203:8080 (record 30481)',
      any(a['kind'] == 'network' and a['destination_ip'] == '192.168.37.203'
          and a['destination_port'] == 8080 and a['initiated']
          and a['event']['record_id'] == 30481 for a in acts))
acc = [a['granted_access'] for a in acts if a['kind'] == 'process_access'
       and a['target_pid'] == 640]
check('five lsass.exe accesses', acc == ['0x1f3fff', '0x1410', '0x1000', '0x1410', '0x1000'])
thr = sorted((a['target_pid'], a['target_image'].split('\\')[-1].lower())
             for a in acts if a['kind'] == 'remote_thread')
check('remote threads into lsass.exe and winlogon.exe', thr == [(560, 'winlogon.exe'), (640, 'lsass.exe')])
check('no children of its own', p['children'] == [])
ids = set(f['rule_id'] for f in p['findings'])
check('marked: LSASS access and thread injection',
      {'credential.lsass_access', 'credential.lsass_thread'} <= ids)
check('winlogon.exe (560) then started cmd.exe 7720',
      '7720 cmd.exe' in text and 'winlogon.exe' in text)
PY
rm -f /tmp/rift-t0402.$$ /tmp/rift-t0402t.$$
