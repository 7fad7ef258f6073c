#!/usr/bin/env bash
# One TLS handshake (browser ClientHello, CA-signed chain larger than one
# segment) written by tests/net/pcapgen.py with every framing rift reads:
# Ethernet, 802.1Q, Linux cooked v1 and v2, raw IP; and with the hard
# cases: the ClientHello split across 300-byte segments sent out of order,
# and every packet cut into 256-byte IPv4 fragments written last first.
# Each capture must give the same JA3, JA4, SNI and certificate as the
# plain one.
RIFT=$(readlink -f "$1")
command -v openssl >/dev/null || { echo "skip net encapsulations (no openssl command)"; exit 0; }
exec python3 - "$RIFT" "$(dirname "$(readlink -f "$0")")/../net" <<'PY'
import atexit, json, os, random, re, shutil, subprocess, sys, tempfile
rift, netdir = sys.argv[1], sys.argv[2]
sys.path.insert(0, netdir)
import pcapgen as g
random.seed(7)
tmp = tempfile.mkdtemp(prefix='rift-enc-')
atexit.register(shutil.rmtree, tmp, True)
certs = g.Certs(tmp)
chain = certs.leaf('enc.example')
hello = g.chrome_hello('enc.example')
flight = g.server_flight(chain)
variants = {
    'ethernet': dict(linktype=g.LINKTYPE_ETHERNET),
    'vlan': dict(linktype=g.LINKTYPE_ETHERNET, vlan=42),
    'sll': dict(linktype=g.LINKTYPE_SLL),
    'sll2': dict(linktype=g.LINKTYPE_SLL2),
    'raw': dict(linktype=g.LINKTYPE_RAW),
    'reordered': dict(linktype=g.LINKTYPE_ETHERNET, mss=300, reorder=True),
    'fragments': dict(linktype=g.LINKTYPE_ETHERNET, frag=256),
}
res = {}
for name, v in variants.items():
    path = os.path.join(tmp, name + '.pcap')
    pc = g.Pcap(path, v['linktype'], v.get('vlan'))
    t = g.Tcp(pc, 1700000000.0, '10.2.0.5', 51000, '192.0.2.80', 443,
              mss=v.get('mss', 1460), frag=v.get('frag'))
    t.send(0, hello, reorder=v.get('reorder', False))
    t.send(1, flight, reorder=v.get('reorder', False))
    t.send(0, g.finish_flight())
    t.send(1, g.finish_flight())
    t.close()
    pc.close()
    p = subprocess.run([rift, 'net', 'tls', '--jsonl', '--stats', path],
                       capture_output=True, text=True)
    ev = [json.loads(l) for l in p.stdout.splitlines()]
    res[name] = (ev, p.returncode, p.stderr)
base = res['ethernet'][0]
keys = ['tls.client.ja3', 'rift.ja4', 'tls.client.server_name',
        'tls.server.hash.sha256', 'tls.server.ja3s', 'source.ip', 'destination.port']
print(('ok   ' if len(base) == 1 and all(k in base[0] for k in keys) else 'FAIL ') +
      'plain capture: one handshake with fingerprints and certificate')
for name, (ev, rc, err) in res.items():
    if name == 'ethernet':
        continue
    same = len(ev) == 1 and all(ev[0].get(k) == base[0].get(k) for k in keys) and rc == 0
    extra = ''
    if name == 'vlan':
        same = same and ev[0].get('network.vlan.id') == 42
    if name == 'fragments':
        m = re.search(r'(\d+) fragments \((\d+) datagrams rebuilt\)', err)
        extra = f' ({m.group(1)} fragments, {m.group(2)} datagrams rebuilt)' if m else ''
        same = same and m is not None and int(m.group(2)) > 0
    print(('ok   ' if same else 'FAIL ') + f'{name}: same handshake{extra}' +
          ('' if same else f': {ev} {err[:300]}'))
PY
