#!/usr/bin/env python3
"""Certificate oracles over `rift net tls --certs --jsonl`:

1. EXPECTED/tshark_openssl_certs.tsv: every certificate tshark extracted,
   parsed by OpenSSL: SHA-256 and SHA-1 of the DER, serial, RFC 2253
   subject and issuer, validity, and subject==issuer (self-issued).
2. Zeek's x509.log baselines (zeek_tls_baselines.json): per certificate
   fingerprint, version, serial, subject, issuer, validity (epoch), key
   algorithm, signature algorithm, key type, key length, curve, SAN DNS
   names, CA flag and path length.
3. Zeek's ssl.log baselines: per connection version, cipher, server name
   and the chain of certificate fingerprints.

Usage: net_certs.py RIFT DATA"""
import calendar, collections, json, os, subprocess, sys, time

def lst(v):
    return v if isinstance(v, list) else ([] if v is None else [v])

_cache = {}
def events(rift, pcap):
    if pcap not in _cache:
        out = subprocess.run([rift, 'net', 'tls', '--certs', '--jsonl', '-q', pcap],
                             capture_output=True, text=True)
        _cache[pcap] = [json.loads(l) for l in out.stdout.splitlines()]
    return _cache[pcap]

def certs(rift, pcap):
    return {e['rift.x509.hash.sha256']: e for e in events(rift, pcap)
            if e.get('rift.kind') == 'x509'}

def openssl_time(s):   # "Mar 24 07:15:42 2018 GMT" -> "2018-03-24T07:15:42Z"
    t = time.strptime(s.replace('  ', ' '), '%b %d %H:%M:%S %Y GMT')
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', t)

def epoch(s):           # RFC 3339 "...Z" -> epoch seconds
    return calendar.timegm(time.strptime(s, '%Y-%m-%dT%H:%M:%SZ'))

def zeek_log(path):
    fields, rows = None, []
    for line in open(path):
        line = line.rstrip('\n')
        if line.startswith('#fields'):
            fields = line.split('\t')[1:]
        elif line and not line.startswith('#'):
            rows.append(dict(zip(fields, line.split('\t'))))
    return rows

def main():
    rift, data = sys.argv[1], sys.argv[2]
    npass = nfail = 0
    # 1. tshark + openssl
    rows = collections.defaultdict(list)
    with open(f'{data}/EXPECTED/tshark_openssl_certs.tsv') as f:
        hdr = next(f).rstrip('\n').split('\t')
        for line in f:
            r = dict(zip(hdr, line.rstrip('\n').split('\t')))
            rows[r['pcap']].append(r)
    agree = total = 0
    for pcap in sorted(rows):
        got = certs(rift, f'{data}/{pcap}')
        bad = []
        for r in rows[pcap]:
            total += 1
            e = got.get(r['sha256_der'])
            why = None
            if not e:
                why = 'missing'
            else:
                checks = [
                    ('sha1', e.get('rift.x509.hash.sha1'), r['sha1_der']),
                    ('serial', e.get('x509.serial_number'), r['serial_hex']),
                    ('subject', e.get('x509.subject.distinguished_name'), r['subject_rfc2253']),
                    ('issuer', e.get('x509.issuer.distinguished_name'), r['issuer_rfc2253']),
                    ('not_before', e.get('x509.not_before'), openssl_time(r['notBefore'])),
                    ('not_after', e.get('x509.not_after'), openssl_time(r['notAfter'])),
                    ('self_issued', e.get('rift.x509.self_issued'), r['self_issued'] == 'subject==issuer'),
                ]
                for name, g, w in checks:
                    if g != w:
                        why = f'{name} {g!r} != {w!r}'
                        break
            if why:
                bad.append(f"{r['sha256_der'][:12]} {why}")
            else:
                agree += 1
        if bad:
            print(f'FAIL certs {pcap}: ' + '; '.join(bad[:3]))
            nfail += 1
        else:
            print(f'ok   certs {pcap} ({len(rows[pcap])} certificates)')
            npass += 1
    print(f'openssl certificates: {agree} of {total} agree')
    # 2./3. Zeek baselines
    base = json.load(open(f'{data}/EXPECTED/zeek_tls_baselines.json'))
    tests = [v for k, v in base.items() if isinstance(v, list)][0]
    xa = xt = sa = st = 0
    for t in tests:
        pcap = f"{data}/{t['trace_local']}"
        name = os.path.basename(os.path.dirname(list(t['expected_logs_local'].values())[0]))
        for log, rel in sorted(t['expected_logs_local'].items()):
            if log not in ('x509.log', 'ssl.log'):
                continue
            bad = []
            n = 0
            for r in zeek_log(f'{data}/{rel}'):
                n += 1
                if log == 'x509.log':
                    xt += 1
                    e = certs(rift, pcap).get(r['fingerprint'])
                    if not e:
                        bad.append(f"{r['fingerprint'][:12]} missing")
                        continue
                    sans = lst(e.get('x509.alternative_names'))
                    want_san = [] if r['san.dns'] in ('-', '(empty)') else r['san.dns'].split(',')
                    checks = [
                        ('version', str(e.get('x509.version_number')), r['certificate.version']),
                        ('serial', e.get('x509.serial_number'), r['certificate.serial']),
                        ('subject', e.get('x509.subject.distinguished_name'), r['certificate.subject']),
                        ('issuer', e.get('x509.issuer.distinguished_name'), r['certificate.issuer']),
                        ('not_before', epoch(e.get('x509.not_before')), int(float(r['certificate.not_valid_before']))),
                        ('not_after', epoch(e.get('x509.not_after')), int(float(r['certificate.not_valid_after']))),
                        ('key_alg', e.get('x509.public_key_algorithm'), r['certificate.key_alg']),
                        ('sig_alg', e.get('x509.signature_algorithm'), r['certificate.sig_alg']),
                        ('key_type', e.get('rift.x509.key_type'), r['certificate.key_type']),
                        ('key_length', str(e.get('x509.public_key_size')), r['certificate.key_length']),
                        ('curve', e.get('x509.public_key_curve') or '-', r['certificate.curve']),
                        ('san.dns', [s for s in sans if '@' not in s and ':' not in s and not s[0].isdigit()] if want_san else [], want_san),
                    ]
                    if r.get('basic_constraints.ca', '-') != '-':
                        checks.append(('ca', e.get('rift.x509.basic_constraints.ca'), r['basic_constraints.ca'] == 'T'))
                    if r.get('basic_constraints.path_len', '-') != '-':
                        checks.append(('path_len', str(e.get('rift.x509.basic_constraints.path_len')), r['basic_constraints.path_len']))
                    wrong = [f'{k} {g!r} != {w!r}' for k, g, w in checks if g != w]
                    if wrong:
                        bad.append(f"{r['fingerprint'][:12]} " + ', '.join(wrong))
                    else:
                        xa += 1
                else:
                    st += 1
                    # Zeek's orig/resp is the connection's; rift's source is
                    # the TLS client (the other side in WebRTC DTLS)
                    a = (r['id.orig_h'], r['id.orig_p'])
                    b = (r['id.resp_h'], r['id.resp_p'])
                    sess = [e for e in events(rift, pcap) if e.get('rift.kind') == 'tls' and
                            {(e.get('source.ip'), str(e.get('source.port'))),
                             (e.get('destination.ip'), str(e.get('destination.port')))} == {a, b}]
                    if not sess:
                        bad.append(f"{r['id.orig_h']}:{r['id.orig_p']} missing")
                        continue
                    e = sess[0]
                    zv = {'TLSv10': '1.0', 'TLSv11': '1.1', 'TLSv12': '1.2',
                          'TLSv13': '1.3', 'SSLv3': '3.0', 'DTLSv10': '1.0',
                          'DTLSv12': '1.2'}
                    if r['version'].startswith('unknown-'):  # Zeek: decimal
                        zv[r['version']] = '0x%04x' % int(r['version'][8:])
                    checks = []
                    if r['version'] != '-':
                        want = zv.get(r['version'], r['version'])
                        if want.startswith('TLSv13-draft'):
                            want = '1.3-draft-' + want[len('TLSv13-draft'):]
                        checks.append(('version', e.get('tls.version'), want))
                    if r['cipher'] != '-':
                        checks.append(('cipher', e.get('tls.cipher'), r['cipher']))
                    if r['server_name'] != '-':
                        checks.append(('server_name', e.get('tls.client.server_name'), r['server_name']))
                    if r.get('cert_chain_fps', '-') not in ('-', '(empty)'):
                        checks.append(('chain', lst(e.get('rift.tls.server.chain_sha256')),
                                       r['cert_chain_fps'].split(',')))
                    wrong = [f'{k} {g!r} != {w!r}' for k, g, w in checks if g != w]
                    if wrong:
                        bad.append(f"{r['id.orig_h']}:{r['id.orig_p']} " + ', '.join(wrong))
                    else:
                        sa += 1
            if bad:
                print(f'FAIL zeek {name} {log}: ' + '; '.join(bad[:3]))
                nfail += 1
            else:
                print(f'ok   zeek {name} {log} ({n} rows)')
                npass += 1
    print(f'zeek x509.log: {xa} of {xt} certificates agree; '
          f'ssl.log: {sa} of {st} connections agree')
    return 0

if __name__ == '__main__':
    sys.exit(main())
