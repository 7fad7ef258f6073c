#!/usr/bin/env bash
# Zeek (TSV and JSON) and Suricata eve.json fixtures in tests/net/: each
# record becomes the event the capture path would make, field by field;
# damaged lines are reported with their offset and make the exit status 1.
RIFT=$(readlink -f "$1")
cd "$(dirname "$0")/../net" || exit 1
exec python3 - "$RIFT" <<'PY'
import json, subprocess, sys
rift = sys.argv[1]
def run(*a):
    p = subprocess.run([rift, 'net', *a], capture_output=True, text=True)
    return [json.loads(l) for l in p.stdout.splitlines()], p.returncode, p.stderr
def check(name, got, want):
    bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    print(f'FAIL {name}: {bad}' if bad else f'ok   {name}')

ev, rc, err = run('flows', '--jsonl', 'zeek_conn.log')
check('zeek conn.log tsv: 3 flows, exit 0', {'n': len(ev), 'rc': rc}, {'n': 3, 'rc': 0})
check('zeek conn.log tsv: tls flow', ev[0], {
    '@timestamp': '2024-05-01T10:00:00.123456000Z', 'rift.kind': 'flow',
    'event.dataset': 'zeek.conn', 'source.ip': '10.0.0.5', 'source.port': 49152,
    'destination.ip': '93.184.216.34', 'destination.port': 443,
    'network.transport': 'tcp', 'network.protocol': 'tls',
    'event.duration': 2500000000, 'source.packets': 12, 'source.bytes': 1141,
    'destination.packets': 10, 'destination.bytes': 4636,
    'rift.zeek.conn_state': 'SF', 'rift.source.record_id': 9})
check('zeek conn.log tsv: ipv6, unset fields left out', ev[2], {
    'source.ip': 'fe80::1', 'network.type': 'ipv6', 'network.protocol': None,
    'event.duration': None, 'rift.zeek.conn_state': 'S0'})

ev, rc, err = run('dns', '--jsonl', 'zeek_dns.log')
check('zeek dns.log json: 2 records, damaged line 3 reported, exit 1',
      {'n': len(ev), 'rc': rc, 'line3': 'line 3' in err and 'offset 0x' in err},
      {'n': 2, 'rc': 1, 'line3': True})
check('zeek dns.log json: answers and TTLs', ev[0], {
    'dns.id': 4660, 'dns.question.name': 'www.example.com',
    'dns.question.type': 'A', 'dns.question.class': 'IN',
    'dns.response_code': 'NOERROR',
    'dns.answers.data': ['cdn.example.com', '93.184.216.34'],
    'dns.answers.ttl': [300, 60], 'dns.resolved_ip': '93.184.216.34'})
check('zeek dns.log json: ISO time, NXDOMAIN', ev[1], {
    '@timestamp': '2024-05-01T10:00:03.250000000Z', 'dns.response_code': 'NXDOMAIN',
    'dns.question.type': 'AAAA'})

ev, rc, err = run('http', '--jsonl', 'zeek_http.log')
check('zeek http.log tsv: GET', ev[0], {
    'http.request.method': 'GET', 'url.domain': 'update.example.net',
    'url.original': '/files/a.exe?x=1', 'http.response.status_code': 200,
    'user_agent.original': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    'http.response.mime_type': 'application/x-dosexec', 'event.outcome': 'success'})
check('zeek http.log tsv: \\x09 escape, 404', ev[1], {
    'user_agent.original': 'curl/8.0\tx', 'http.response.status_code': 404,
    'event.outcome': 'failure', 'http.request.body.bytes': 42})

ev, rc, err = run('events', '--jsonl', 'eve.json')
kinds = [e['rift.kind'] for e in ev]
check('eve.json: 6 events (stats skipped), damaged line 8 reported, exit 1',
      {'kinds': kinds, 'rc': rc, 'line8': 'line 8' in err},
      {'kinds': ['flow', 'dns', 'dns', 'http', 'suricata', 'tls'], 'rc': 1, 'line8': True})
check('eve flow', ev[0], {
    'source.packets': 12, 'destination.bytes': 4636, 'network.protocol': 'tls',
    'event.duration': 2500000000, 'rift.flow.state': 'closed',
    'network.community_id': '1:abc=', 'rift.suricata.flow_id': 111})
check('eve dns v2 answer', ev[1], {
    'dns.type': 'answer', 'dns.question.name': 'www.example.com',
    'dns.answers.data': ['cdn.example.com', '93.184.216.34'],
    'dns.answers.type': ['CNAME', 'A'], 'dns.resolved_ip': '93.184.216.34'})
check('eve dns v3 request', ev[2], {
    'dns.type': 'query', 'dns.question.name': 'nx.example.org', 'dns.question.type': 'AAAA'})
check('eve http', ev[3], {'http.request.method': 'GET', 'http.version': '1.1',
    'http.response.body.bytes': 123456})
check('eve alert', ev[4], {'event.kind': 'alert', 'rule.id': '2019401',
    'event.category': 'intrusion_detection', 'event.severity': 2,
    'rule.category': 'Potential Corporate Privacy Violation'})
check('eve tls: RFC 2253 names, serial without sign byte, IPv6 compressed', ev[5], {
    'source.ip': '2001:db8::5',
    'tls.server.x509.subject.distinguished_name': 'CN=bad.example,O=Example\\, Inc.,C=US',
    'rift.tls.self_issued': True, 'tls.server.x509.serial_number': 'C7D428',
    'tls.server.hash.sha1': 'abcdef01', 'tls.server.x509.not_after': '2025-01-01T00:00:00Z',
    'tls.client.ja3': '6734f37431670b3ab4292b8f60f29984'})
PY
