#!/usr/bin/env bash
# Findings on a capture written at test time (tests/net/pcapgen.py):
# six hosts browse six common sites with a browser's ClientHello (Chrome's,
# extensions shuffled per connection) and CA-signed certificates, with DNS;
# in the second half, one of them beacons every 60 s (+-5 s jitter) to a
# server with a self-signed certificate, using a ClientHello no browser
# sends, and reaches five more such servers a few times each.  rift must
# find the beacon, the rare self-signed destinations and the fingerprint
# pattern, and flag none of the ordinary traffic.  A second capture holds a
# two-hour connection (a long-connection finding).
RIFT=$(readlink -f "$1")
command -v openssl >/dev/null || { echo "skip net findings (no openssl command)"; exit 0; }
exec python3 - "$RIFT" "$(dirname "$(readlink -f "$0")")/../net" <<'PY'
import atexit, json, random, shutil, subprocess, sys, tempfile, os
rift, netdir = sys.argv[1], sys.argv[2]
sys.path.insert(0, netdir)
import pcapgen as g

tmp = tempfile.mkdtemp(prefix='rift-net-')
atexit.register(shutil.rmtree, tmp, True)
sc = g.scenario(tmp)
cap, longcap, sites, hosts = sc['cap'], sc['longcap'], sc['sites'], sc['hosts']
infected, c2, spread = sc['infected'], sc['c2'], sc['spread']
visits, beacons = sc['visits'], sc['beacons']

def run(*args):
    p = subprocess.run([rift, 'net', *args], capture_output=True, text=True)
    out = [json.loads(l) for l in p.stdout.splitlines()] if '--jsonl' in args else p.stdout
    return out, p.returncode, p.stderr
def check(name, cond, detail=''):
    print(('ok   ' if cond else 'FAIL ') + name + ('' if cond else f': {detail}'))

# the handshakes themselves
tls, rc, err = run('tls', '--jsonl', cap)
chrome = 't13d1516h2_8daaf6152771_e5627efa2ab1'
browser = [e for e in tls if e.get('tls.client.server_name', '').endswith('.example')]
check('every browsing handshake parsed (%d)' % visits, len(browser) == visits and rc == 0,
      f'{len(browser)} (exit {rc}) {err[:200]}')
check('browser JA4 stable although JA3 varies with the shuffled extensions',
      {e['rift.ja4'] for e in browser} == {chrome} and
      len({e['tls.client.ja3'] for e in browser}) > visits // 2,
      {e['rift.ja4'] for e in browser})
check('CA-signed site certificates are not self-signed',
      all(e.get('rift.tls.self_signed') is False and e.get('rift.tls.self_issued') is False
          and e.get('tls.server.x509.issuer.distinguished_name') == 'O=rift tests,CN=rift test CA'
          for e in browser))
bad = [e for e in tls if e.get('destination.ip') == c2]
check('C2 sessions: self-signed, no SNI, one per beacon (%d)' % beacons,
      len(bad) == beacons and all(e.get('rift.tls.self_signed') is True and
                                  'tls.client.server_name' not in e for e in bad),
      f'{len(bad)} sessions')

# beacons
f, rc, err = run('beacons', '--jsonl', cap, longcap)
b = [x for x in f if x['source'] == 'net.beacon']
check('one beacon found: %s -> %s' % (infected, c2),
      len(b) == 1 and b[0]['source_ip'] == infected and b[0]['destination_ip'] == c2,
      [(x['source_ip'], x['destination_ip'], x['details']['score']) for x in b])
if b:
    d = b[0]['details']
    check('beacon score in [0.8, 1] with a ~60 s interval (score %.3f, %.1f s)'
          % (d['score'], d['median_interval_s']),
          0.8 <= d['score'] <= 1 and 55 <= d['median_interval_s'] <= 65 and
          d['connections'] == beacons, d)
    check('beacon finding points at its evidence (file, offset, frame)',
          b[0]['events'] and all(r['offset'] > 0 and r['record_id'] > 0
                                            for r in b[0]['events']))
lc = [x for x in f if x['source'] == 'net.long_connection']
check('the two-hour connection is a long connection, nothing else is',
      len(lc) == 1 and lc[0]['destination_ip'] == '192.0.2.200', lc)

# rare destinations and the fingerprint pattern
f, rc, err = run('rare', '--jsonl', cap)
rare = {x['destination_ip']: x for x in f if x['source'] == 'net.rare'}
check('C2 is a rare destination: high, self-signed, non-browser, late, unnamed',
      c2 in rare and rare[c2]['level'] == 'high' and
      rare[c2]['details']['self_signed'] and
      rare[c2]['details']['non_browser'] and
      rare[c2]['details']['late'] and
      not rare[c2]['details']['named'], rare.get(c2))
check('the five other self-signed servers are rare destinations',
      all(ip in rare for ip in spread), sorted(rare))
check('no common site is flagged', not any(ip in rare for _, ip in sites),
      [ip for _, ip in sites if ip in rare])
fp = [x for x in f if x['source'] == 'net.fingerprint']
check('one non-browser fingerprint reaching the 6 rare destinations',
      len(fp) == 1 and fp[0]['details']['rare_destinations'] == 6 and
      fp[0]['details']['internal_hosts'] == [infected],
      [x['details'] for x in fp])
check('no browser fingerprint is flagged',
      all(x['details']['ja4'] != chrome for x in fp))

# who talked to them
h, rc, err = run('hosts', '--jsonl', '-m', c2, '-m', 'www.news.example', cap)
c2h = [x for x in h if x['rift.indicator'] == c2]
check('hosts: only the infected host talked to the C2, %d times' % beacons,
      len(c2h) == 1 and c2h[0]['host.ip'] == infected and c2h[0]['count'] == beacons, c2h)
news = {x['host.ip'] for x in h if x['rift.indicator'] == 'www.news.example'}
check('hosts: all six hosts resolved and visited www.news.example', news == set(hosts), news)

# summary
s, rc, err = run('summary', '--jsonl', '--top', '0', cap)
proto = {x['key']: x for x in s if x['rift.summary.table'] == 'protocol'}
check('summary: %d TLS connections, %d DNS' % (visits + beacons + 15, visits),
      proto.get('tcp/tls', {}).get('flows') == visits + beacons + 15 and
      proto.get('udp/dns', {}).get('flows') == visits, proto)
port = {x['key']: x for x in s if x['rift.summary.table'] == 'port'}
check('summary: tcp/443 from 6 sources', port.get('tcp/443', {}).get('sources') == 6,
      port.get('tcp/443'))
PY
