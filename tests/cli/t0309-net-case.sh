#!/usr/bin/env bash
# The network view over a case: `rift triage` loads the scenario captures
# of t0306 into a case; `rift net` over the case (both argument orders)
# must give what it gives over the captures, and the rare/beacon findings
# are saved in the case once.
RIFT=$(readlink -f "$1")
command -v openssl >/dev/null || { echo "skip net case (no openssl command)"; exit 0; }
command -v sqlite3 >/dev/null || { echo "skip net case (no sqlite3 command)"; exit 0; }
exec python3 - "$RIFT" "$(dirname "$(readlink -f "$0")")/../net" <<'PY'
import atexit, json, os, shutil, subprocess, sys, tempfile
rift, netdir = sys.argv[1], sys.argv[2]
sys.path.insert(0, netdir)
import pcapgen as g
tmp = tempfile.mkdtemp(prefix='rift-netcase-')
atexit.register(shutil.rmtree, tmp, True)
sc = g.scenario(tmp)
case = os.path.join(tmp, 'case')

def run(*args):
    p = subprocess.run([rift, *args], capture_output=True, text=True)
    return [json.loads(l) for l in p.stdout.splitlines()], p.returncode, p.stderr
def check(name, cond, detail=''):
    print(('ok   ' if cond else 'FAIL ') + name + ('' if cond else f': {detail}'))

p = subprocess.run([rift, 'triage', '-q', sc['cap'], sc['longcap'], '-o', case],
                   capture_output=True, text=True)
check('triage of the captures into a case', p.returncode == 0, p.stderr[-500:])

def key(f):
    return (f['source'], f['source_ip'], f['destination_ip'], f['level'],
            f['rule_id'])
files = [sc['cap'], sc['longcap']]
for verb in ('rare', 'beacons'):
    a, _, _ = run('net', verb, '--jsonl', *files)
    b, rc, err = run('net', case, verb, '--jsonl')
    check(f'rift net CASE {verb}: the same {len(a)} findings as over the captures',
          sorted(map(key, a)) == sorted(map(key, b)) and len(a) > 0 and rc == 0,
          (len(a), len(b), err[-300:]))
    check(f'rift net CASE {verb}: findings saved in the case', 'findings saved' in err,
          err[-300:])
    c, rc, err = run('net', verb, '--jsonl', case)
    check(f'rift net {verb} CASE again: same findings, the earlier ones replaced',
          sorted(map(key, c)) == sorted(map(key, b)) and 'earlier run replaced' in err
          and 'findings saved in the case (%d of an earlier run replaced)' % len(b) in err,
          err[-300:])
    ev = b[0]['events'][0] if b and b[0]['events'] else {}
    check(f'{verb} findings over the case name their evidence file and frame',
          ev.get('file', '').endswith('.pcap') and ev.get('record_id', 0) > 0, ev)

n = subprocess.run(['sqlite3', os.path.join(case, 'case.db'),
                    "select source, count(*) from findings where source like 'net.%' "
                    "group by source order by source"], capture_output=True, text=True)
rows = dict(l.split('|') for l in n.stdout.split())
check('case.db holds the net findings once: %s' % rows,
      rows.get('net.beacon') == '1' and rows.get('net.long_connection') == '1' and
      rows.get('net.fingerprint') == '1' and int(rows.get('net.rare', 0)) == 6, rows)

t1, _, _ = run('net', 'tls', '--jsonl', *files)
t2, rc, _ = run('net', 'tls', '--jsonl', case)
k = lambda e: (e.get('source.ip'), e.get('source.port'), e.get('rift.ja4'),
               str(e.get('tls.client.ja3')), e.get('tls.server.hash.sha256'))
check('rift net tls CASE: the same %d handshakes, fingerprints and certificates' % len(t1),
      sorted(map(k, t1)) == sorted(map(k, t2)) and rc == 0, (len(t1), len(t2)))
h1, _, _ = run('net', 'hosts', '--jsonl', '-m', sc['c2'], *files)
h2, _, _ = run('net', case, 'hosts', '--jsonl', '-m', sc['c2'])
check('rift net CASE hosts -m C2: the same answer', h1 == h2 and len(h2) == 1, (h1, h2))
s1, _, _ = run('net', 'summary', '--jsonl', '--top', '0', *files)
s2, _, _ = run('net', 'summary', '--jsonl', '--top', '0', case)
check('rift net summary CASE: the same tables', s1 == s2, (len(s1), len(s2)))
PY
