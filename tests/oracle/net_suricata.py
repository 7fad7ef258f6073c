#!/usr/bin/env python3
"""Suricata-Verify oracle: the eve.json checks that suricata-verify's
test.yaml files publish for the TLS/QUIC test captures
(EXPECTED/suricata_verify_tls_expectations.json) evaluated over
`rift net tls --jsonl`.  Each check is a filter (field values) and a count
of matching events; Suricata's fields are mapped to rift's ECS fields:

  src_ip/dest_ip/src_port/dest_port, community_id, tls.sni, tls.version,
  tls.subject/issuerdn (Suricata prints RDNs in certificate order joined by
  ", "; rift prints RFC 2253), tls.serial, tls.fingerprint (SHA-1),
  tls.notbefore/notafter, tls.subjectaltname[i], tls.ja3/ja3s hash+string,
  tls.ja4/quic.ja4, tls.client_alpns/server_alpns, tls.session_resumed,
  tls.client.serial/notbefore/notafter.

Checks that are about Suricata itself are not applicable and are skipped:
alerts (they need Suricata's rule engine), stats, checks for older
Suricata versions (lt-version) and runs with simulated engine failures
(QA_SIMULATION: memcaps, app-layer errors); IPS mode (--simulate-ips) does
not change what is logged and is evaluated.  pcap_cnt (the packet at which Suricata logged) is an
engine detail and not compared.

Usage: net_suricata.py RIFT DATA"""
import ipaddress, json, os, re, subprocess, sys

def ip(s):
    try:
        return str(ipaddress.ip_address(s))
    except ValueError:
        return s

def dn2253(s):
    parts = re.split(r', (?=[A-Za-z][A-Za-z0-9.]*=)', s)
    out = []
    for p in reversed(parts):
        k, v = p.split('=', 1)
        k = {'Email': 'emailAddress'}.get(k, k)
        v = re.sub(r'([,+"\\<>;])', r'\\\1', v)
        out.append(f'{k}={v}')
    return ','.join(out)

def serial(s):
    return s.replace(':', '').lstrip('0').upper()

def version(s):
    m = {'TLSv1': '1.0', 'TLS 1.0': '1.0', 'TLS 1.1': '1.1', 'TLS 1.2': '1.2',
         'TLS 1.3': '1.3', 'SSLv3': '3.0'}
    if s in m:
        return [m[s]]
    d = re.match(r'TLS 1\.3 draft-(\d+)$', s)
    if d:
        return [f'1.3-draft-{d.group(1)}']
    if s == 'TLS 1.3 draft-<16':
        return ['1.3'] + [f'1.3-draft-{n}' for n in range(16)]
    return [None] if s == 'UNDETERMINED' else [s]

def lst(v):
    return v if isinstance(v, list) else ([] if v is None else [v])

def has(e, k):
    return e.get(k) not in (None, [], '')

def match_one(e, k, want):
    g = e.get
    if k in ('event_type', 'proto', 'pcap_cnt', 'pkt_src'):
        return True
    if k == 'src_ip':
        return g('source.ip') == ip(want)
    if k == 'dest_ip':
        return g('destination.ip') == ip(want)
    if k == 'src_port':
        return g('source.port') == want
    if k == 'dest_port':
        return g('destination.port') == want
    if k == 'community_id':
        return g('network.community_id') == want
    if k == 'tls.sni':
        return g('tls.client.server_name') == want
    if k == 'tls.version':
        return g('tls.version') in version(want)
    if k == 'tls.subject':
        return g('tls.server.x509.subject.distinguished_name') == dn2253(want)
    if k == 'tls.issuerdn':
        return g('tls.server.x509.issuer.distinguished_name') == dn2253(want)
    if k == 'tls.serial':
        return serial(g('tls.server.x509.serial_number') or '') == serial(want)
    if k == 'tls.fingerprint':
        return g('tls.server.hash.sha1') == want.replace(':', '')
    if k == 'tls.notbefore':
        return (g('tls.server.x509.not_before') or '').rstrip('Z') == want
    if k == 'tls.notafter':
        return (g('tls.server.x509.not_after') or '').rstrip('Z') == want
    if k == 'tls.client.serial':
        return serial(g('tls.client.x509.serial_number') or '') == serial(want)
    if k == 'tls.client.notbefore':
        return (g('tls.client.x509.not_before') or '').rstrip('Z') == want
    if k == 'tls.client.notafter':
        return (g('tls.client.x509.not_after') or '').rstrip('Z') == want
    m = re.match(r'tls\.subjectaltname\[(\d+)\]$', k)
    if m:
        sans = lst(g('tls.server.x509.alternative_names'))
        i = int(m.group(1))
        return i < len(sans) and sans[i] == want
    m = re.match(r'tls\.(client|server)_alpns\[(\d+)\]$', k)
    if m:
        vals = lst(g('rift.tls.client.alpn')) if m.group(1) == 'client' \
            else lst(g('tls.next_protocol'))
        i = int(m.group(2))
        return i < len(vals) and vals[i] == want
    if k == 'tls.ja3.hash':
        return want in lst(g('tls.client.ja3'))
    if k == 'tls.ja3.string':
        return want in lst(g('rift.tls.client.ja3_string'))
    if k == 'tls.ja3s.hash':
        return want in lst(g('tls.server.ja3s'))
    if k == 'tls.ja3s.string':
        return want in lst(g('rift.tls.server.ja3s_string'))
    if k in ('tls.ja4', 'quic.ja4'):
        return want in lst(g('rift.ja4'))
    if k == 'tls.session_resumed':
        return g('tls.resumed') == want
    if k == 'has-key':
        return has(e, {'tls.subjectaltname': 'tls.server.x509.alternative_names',
                       'quic.ja4': 'rift.ja4'}[want])
    raise KeyError(k)

def main():
    rift, data = sys.argv[1], sys.argv[2]
    tests = json.load(open(f'{data}/EXPECTED/suricata_verify_tls_expectations.json'))
    cache = {}
    npass = nfail = nskip = 0
    for t in tests:
        req = t.get('requires') or {}
        args = ' '.join(t.get('args') or [])
        pcap = f'{data}/pcap/suricata-verify/' + t['pcap'][len('tests/'):]
        name = t['test'][len('tests/'):]
        if 'QA_SIMULATION' in (req.get('features') or []) or \
           '--simulate-applayer' in args or '--simulate-packet' in args:
            print(f'skip suricata {name}: simulated engine failures')
            nskip += 1
            continue
        if 'lt-version' in req:
            print(f'skip suricata {name}: checks an older Suricata')
            nskip += 1
            continue
        if not os.path.exists(pcap):
            print(f'skip suricata {name}: capture not in the sample data')
            nskip += 1
            continue
        # the test's suricata.yaml may seed the Community ID
        seed = 0
        conf = f'{data}/pcap/suricata-verify/{name}/suricata.yaml'
        if os.path.exists(conf):
            m = re.search(r'community-id-seed:\s*(\d+)', open(conf).read())
            if m:
                seed = int(m.group(1))
        if (pcap, seed) not in cache:
            out = subprocess.run([rift, 'net', 'tls', '--jsonl', '-q',
                                  '--community-id-seed', str(seed), pcap],
                                 capture_output=True, text=True)
            cache[(pcap, seed)] = [json.loads(l) for l in out.stdout.splitlines()]
        evs = cache[(pcap, seed)]
        skipped = {}
        for i, c in enumerate(t['checks']):
            m = c.get('match', {})
            et = m.get('event_type')
            creq = c.get('requires') or {}
            label = f'{name} check {i + 1}'
            if et not in ('tls', 'quic') or 'not-has-key' in m:
                why = f'{et} events are Suricata engine output'
                skipped[why] = skipped.get(why, 0) + 1
                continue
            if 'lt-version' in creq:
                why = 'checks an older Suricata'
                skipped[why] = skipped.get(why, 0) + 1
                continue
            proto = 'tls' if et == 'tls' else 'quic'
            n = sum(1 for e in evs if e.get('network.protocol') == proto and
                    all(match_one(e, k, v) for k, v in m.items()))
            if n == c['count']:
                print(f'ok   suricata {label} ({len(m)} fields, count {n})')
                npass += 1
            else:
                print(f'FAIL suricata {label}: {n} matching events, want '
                      f'{c["count"]}: {json.dumps(m)[:300]}')
                nfail += 1
        for why, k in skipped.items():
            print(f'skip suricata {name}: {k} check(s): {why}')
            nskip += k
    print(f'suricata-verify: {npass} of {npass + nfail} applicable checks agree '
          f'({nskip} not applicable)')
    return 0

if __name__ == '__main__':
    sys.exit(main())
