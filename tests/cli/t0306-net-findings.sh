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

random.seed(20240301)
tmp = tempfile.mkdtemp(prefix='rift-net-')
atexit.register(shutil.rmtree, tmp, True)
certs = g.Certs(tmp)
T0, SPAN = 1709283600.0, 7200.0
sites = [(f'www.{n}.example', f'203.0.113.{10 + i}') for i, n in
         enumerate(['news', 'mail', 'search', 'video', 'shop', 'wiki'])]
chains = {n: certs.leaf(n) for n, _ in sites}
hosts = [f'10.1.0.{i}' for i in range(10, 16)]
infected, c2 = '10.1.0.13', '198.51.100.66'
spread = [f'198.51.100.{i}' for i in range(70, 75)]
c2chain = certs.self_signed('c2')
spreadchains = {ip: certs.self_signed('srv' + ip.split('.')[-1]) for ip in spread}

cap = os.path.join(tmp, 'scenario.pcap')
pc = g.Pcap(cap)
port = [40000]
def nport():
    port[0] += 1
    return port[0]
qid = [1]
visits = 0
for h in hosts:
    for name, ip in sites:
        for _ in range(15):
            t = T0 + random.uniform(0, SPAN - 30)
            sp = nport()
            qid[0] += 1
            pc.ip(t, h, '10.1.0.1', 17, g.udp(sp, 53, g.dns_query(qid[0], name)))
            pc.ip(t + 0.004, '10.1.0.1', h, 17, g.udp(53, sp, g.dns_answer(qid[0], name, ip)))
            g.tls_session(pc, t + 0.01, h, nport(), ip, 443, g.chrome_hello(name),
                          chains[name], random.randrange(300, 900),
                          random.randrange(2000, 60000))
            visits += 1
beacons = 0
t = T0 + 3900
while t < T0 + SPAN - 5:
    g.tls_session(pc, t, infected, nport(), c2, 443, g.malware_hello(), c2chain,
                  180 + random.randrange(16), 120 + random.randrange(16))
    beacons += 1
    t += 60 + random.uniform(-5, 5)
for ip in spread:
    for _ in range(3):
        g.tls_session(pc, T0 + random.uniform(3700, SPAN - 30), infected, nport(),
                      ip, 443, g.malware_hello(), spreadchains[ip], 400, 2000)
pc.close()

longcap = os.path.join(tmp, 'long.pcap')
pc = g.Pcap(longcap)
tc = g.Tcp(pc, T0, '10.1.0.20', 50000, '192.0.2.200', 22)
for i in range(12):
    tc.send(0, os.urandom(48))
    tc.send(1, os.urandom(48))
    tc.idle(600)
tc.close()
pc.close()

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
b = [x for x in f if x['rift.finding.source'] == 'net.beacon']
check('one beacon found: %s -> %s' % (infected, c2),
      len(b) == 1 and b[0]['source.ip'] == infected and b[0]['destination.ip'] == c2,
      [(x['source.ip'], x['destination.ip'], x['rift.finding.details']['score']) for x in b])
if b:
    d = b[0]['rift.finding.details']
    check('beacon score in [0.8, 1] with a ~60 s interval (score %.3f, %.1f s)'
          % (d['score'], d['median_interval_s']),
          0.8 <= d['score'] <= 1 and 55 <= d['median_interval_s'] <= 65 and
          d['connections'] == beacons, d)
    check('beacon finding points at its evidence (file, offset, frame)',
          b[0]['rift.finding.refs'] and all(r['offset'] > 0 and r['record_id'] > 0
                                            for r in b[0]['rift.finding.refs']))
lc = [x for x in f if x['rift.finding.source'] == 'net.long_connection']
check('the two-hour connection is a long connection, nothing else is',
      len(lc) == 1 and lc[0]['destination.ip'] == '192.0.2.200', lc)

# rare destinations and the fingerprint pattern
f, rc, err = run('rare', '--jsonl', cap)
rare = {x['destination.ip']: x for x in f if x['rift.finding.source'] == 'net.rare'}
check('C2 is a rare destination: high, self-signed, non-browser, late, unnamed',
      c2 in rare and rare[c2]['rift.finding.level'] == 'high' and
      rare[c2]['rift.finding.details']['self_signed'] and
      rare[c2]['rift.finding.details']['non_browser'] and
      rare[c2]['rift.finding.details']['late'] and
      not rare[c2]['rift.finding.details']['named'], rare.get(c2))
check('the five other self-signed servers are rare destinations',
      all(ip in rare for ip in spread), sorted(rare))
check('no common site is flagged', not any(ip in rare for _, ip in sites),
      [ip for _, ip in sites if ip in rare])
fp = [x for x in f if x['rift.finding.source'] == 'net.fingerprint']
check('one non-browser fingerprint reaching the 6 rare destinations',
      len(fp) == 1 and fp[0]['rift.finding.details']['rare_destinations'] == 6 and
      fp[0]['rift.finding.details']['internal_hosts'] == [infected],
      [x['rift.finding.details'] for x in fp])
check('no browser fingerprint is flagged',
      all(x['rift.finding.details']['ja4'] != chrome for x in fp))

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
