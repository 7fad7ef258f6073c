#!/usr/bin/env python3
"""Log readers give the same events as the capture path.

1. Zeek: for every Zeek btest baseline x509.log and ssl.log, `rift net tls
   --certs` over the log must give one event per row, and the fields that
   both carry must equal those rift computes from the trace itself (which
   t0303 checks against the same baselines): certificate fingerprint,
   serial, subject, issuer, validity, key and signature algorithms, key
   type/size/curve, SAN, CA flag; connection version, cipher, SNI, chain.
2. Suricata: eve.json tls/quic records are rebuilt from the field values
   that suricata-verify publishes (EXPECTED/suricata_verify_tls_
   expectations.json: real eve field names and values) and read back with
   `rift net tls`; each must satisfy the same check as the capture does.

Usage: net_logs.py RIFT DATA"""
import glob, json, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import net_suricata as nsv

def run(rift, path, *args):
    out = subprocess.run([rift, 'net', 'tls', '--jsonl', '-q', *args, path],
                         capture_output=True, text=True)
    return [json.loads(l) for l in out.stdout.splitlines()], out.returncode

def lst(v):
    return v if isinstance(v, list) else ([] if v is None else [v])

X509_KEYS = ['x509.serial_number', 'x509.subject.distinguished_name',
             'x509.issuer.distinguished_name', 'x509.not_before',
             'x509.not_after', 'x509.public_key_algorithm',
             'x509.signature_algorithm', 'rift.x509.key_type',
             'x509.public_key_size', 'x509.public_key_curve',
             'x509.version_number', 'rift.x509.basic_constraints.ca']
TLS_KEYS = ['tls.version', 'tls.cipher', 'tls.client.server_name',
            'rift.tls.server.chain_sha256']

def zeek(rift, data):
    ok = bad = 0
    base = json.load(open(f'{data}/EXPECTED/zeek_tls_baselines.json'))
    tests = [v for v in base.values() if isinstance(v, list)][0]
    for t in tests:
        pcap = f"{data}/{t['trace_local']}"
        for log, rel in sorted(t['expected_logs_local'].items()):
            if log not in ('x509.log', 'ssl.log'):
                continue
            path = f'{data}/{rel}'
            rows = sum(1 for l in open(path) if l.strip() and not l.startswith('#'))
            fromlog, rc = run(rift, path, '--certs')
            fromcap, _ = run(rift, pcap, '--certs')
            name = f"{os.path.basename(os.path.dirname(path))}/{log}"
            errs = []
            if rc:
                errs.append(f'exit {rc}')
            if len(fromlog) != rows:
                errs.append(f'{len(fromlog)} events for {rows} rows')
            if log == 'x509.log':
                capc = {e['rift.x509.hash.sha256']: e for e in fromcap
                        if e.get('rift.kind') == 'x509'}
                for e in fromlog:
                    c = capc.get(e.get('rift.x509.hash.sha256'))
                    if not c:
                        errs.append(f"{e.get('rift.x509.hash.sha256', '?')[:12]} not in capture")
                        continue
                    for k in X509_KEYS:
                        if k in e and e[k] != c.get(k):
                            errs.append(f'{k} {e[k]!r} != {c.get(k)!r}')
                    dns = [s for s in lst(c.get('x509.alternative_names'))
                           if not s[:1].isdigit() and '@' not in s]
                    if lst(e.get('x509.alternative_names')) and \
                       lst(e.get('x509.alternative_names')) != dns:
                        errs.append('SAN differs')
            else:
                caps = [c for c in fromcap if c.get('rift.kind') == 'tls']
                for e in fromlog:
                    ends = {(e.get('source.ip'), e.get('source.port')),
                            (e.get('destination.ip'), e.get('destination.port'))}
                    m = [c for c in caps if {(c.get('source.ip'), c.get('source.port')),
                         (c.get('destination.ip'), c.get('destination.port'))} == ends]
                    if not m:
                        errs.append(f"{e.get('source.ip')}:{e.get('source.port')} not in capture")
                        continue
                    for k in TLS_KEYS:
                        if k in e and lst(e[k]) != lst(m[0].get(k)):
                            errs.append(f'{k} {e[k]!r} != {m[0].get(k)!r}')
            if errs:
                print(f'FAIL zeek-log {name}: ' + '; '.join(errs[:3]))
                bad += 1
            else:
                print(f'ok   zeek-log {name} ({rows} rows)')
                ok += 1
    return ok, bad

def unflatten(m):
    obj = {}
    for k, v in m.items():
        if k in ('event_type', 'pcap_cnt', 'pkt_src', 'has-key', 'not-has-key'):
            continue
        parts = k.split('.')
        cur = obj
        for p in parts[:-1]:
            cur = cur.setdefault(p, {})
        last = parts[-1]
        if '[' in last:
            name, idx = last[:-1].split('[')
            arr = cur.setdefault(name, [])
            idx = int(idx)
            while len(arr) <= idx:
                arr.append(None)
            arr[idx] = v
        elif '.' in k and parts[0] == 'tls' and parts[1] in ('ja3', 'ja3s'):
            cur[last] = v
        else:
            cur[last] = v
    return obj

def eve(rift, data):
    tests = json.load(open(f'{data}/EXPECTED/suricata_verify_tls_expectations.json'))
    lines, checks = [], []
    for t in tests:
        for c in t['checks']:
            m = c.get('match', {})
            if m.get('event_type') not in ('tls', 'quic') or c['count'] < 1:
                continue
            if len(m) < 2 or 'has-key' in m or 'not-has-key' in m:
                continue
            if 'lt-version' in (c.get('requires') or {}) or \
               'lt-version' in (t.get('requires') or {}):
                continue
            rec = {'timestamp': '2022-11-24T10:16:15.980792+0000',
                   'flow_id': 1, 'event_type': m['event_type']}
            rec.update(unflatten(m))
            lines.append(json.dumps(rec))
            checks.append((t['test'], m))
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        f.write('\n'.join(lines) + '\n')
        path = f.name
    evs, rc = run(rift, path)
    os.unlink(path)
    ok = bad = 0
    if len(evs) != len(lines) or rc:
        print(f'FAIL eve-log: {len(evs)} events from {len(lines)} lines (exit {rc})')
        return 0, 1
    for (name, m), e in zip(checks, evs):
        proto = 'tls' if m['event_type'] == 'tls' else 'quic'
        wrong = [k for k, v in m.items()
                 if not (e.get('network.protocol') == proto and nsv.match_one(e, k, v))]
        if wrong:
            print(f'FAIL eve-log {name[6:]}: {wrong} from {json.dumps(m)[:200]}')
            bad += 1
        else:
            ok += 1
    print(f'ok   eve-log: {ok} eve.json tls/quic records read back with every '
          f'published field' if not bad else f'eve-log: {ok} agree, {bad} differ')
    return ok, bad

def main():
    rift, data = sys.argv[1], sys.argv[2]
    zo, zb = zeek(rift, data)
    eo, eb = eve(rift, data)
    print(f'zeek logs: {zo} of {zo + zb} agree with the capture path; '
          f'eve records: {eo} of {eo + eb} agree')
    return 0

if __name__ == '__main__':
    sys.exit(main())
