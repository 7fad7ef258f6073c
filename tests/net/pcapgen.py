#!/usr/bin/env python3
"""A small pcap writer for rift's network tests.

Builds captures at test time: Ethernet (optionally 802.1Q), Linux cooked
v1/v2 or raw IP framing; IPv4 with optional fragmentation; TCP connections
with handshakes, segmentation, optional reordering; UDP DNS; TLS records
(ClientHello, ServerHello, Certificate, ChangeCipherSpec, opaque encrypted
records).  Certificates come from the openssl command line.

Only the standard library is used.  Nothing here parses: rift does that.
"""
import os, random, struct, subprocess, tempfile

LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_SLL, LINKTYPE_SLL2 = 1, 101, 113, 276


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(a):
    return bytes(int(x) for x in a.split('.'))


class Pcap:
    def __init__(self, path, linktype=LINKTYPE_ETHERNET, vlan=None):
        self.f = open(path, 'wb')
        self.linktype = linktype
        self.vlan = vlan
        self.f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                                 linktype))
        self.ipid = 1
        self.frames = []

    def close(self):
        # connections are generated one after the other: write the frames
        # in time order (stable, so a connection keeps its own order)
        self.frames.sort(key=lambda x: x[0])
        for (sec, usec), _, data in self.frames:
            self.f.write(struct.pack('<IIII', sec, usec, len(data), len(data)))
            self.f.write(data)
        self.f.close()

    def frame(self, ts, ippkt):
        if self.linktype == LINKTYPE_ETHERNET:
            hdr = b'\x02\0\0\0\0\x02' + b'\x02\0\0\0\0\x01'
            if self.vlan is not None:
                hdr += struct.pack('!HH', 0x8100, self.vlan)
            hdr += b'\x08\x00'
        elif self.linktype == LINKTYPE_SLL:
            hdr = struct.pack('!HHH', 0, 1, 6) + b'\x02\0\0\0\0\x01\0\0' + \
                struct.pack('!H', 0x0800)
        elif self.linktype == LINKTYPE_SLL2:
            hdr = struct.pack('!HHIHBB', 0x0800, 0, 2, 1, 0, 6) + \
                b'\x02\0\0\0\0\x01\0\0'
        else:
            hdr = b''
        data = hdr + ippkt
        sec = int(ts)
        usec = int(round((ts - sec) * 1e6))
        if usec >= 1000000:
            sec, usec = sec + 1, usec - 1000000
        self.frames.append(((sec, usec), usec, data))

    def ip(self, ts, src, dst, proto, payload, frag=None):
        """An IPv4 packet; frag=N splits the payload into N-byte fragments
        (a multiple of 8) written in reverse order."""
        ident = self.ipid
        self.ipid = (self.ipid + 1) & 0xffff
        if not frag or len(payload) <= frag:
            self.frame(ts, self._ip(src, dst, proto, payload, ident, 0, False))
            return
        pieces = []
        for off in range(0, len(payload), frag):
            chunk = payload[off:off + frag]
            more = off + frag < len(payload)
            pieces.append(self._ip(src, dst, proto, chunk, ident, off // 8, more))
        for p in reversed(pieces):
            self.frame(ts, p)

    @staticmethod
    def _ip(src, dst, proto, payload, ident, off8, more):
        flags = (0x2000 if more else 0) | off8
        h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident,
                        flags, 64, proto, 0, ip4(src), ip4(dst))
        h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
        return h + payload


def tcp_seg(sp, dp, seq, ack, flags, data=b''):
    return struct.pack('!HHIIBBHHH', sp, dp, seq & 0xffffffff,
                       ack & 0xffffffff, 0x50, flags, 65535, 0, 0) + data


FIN, SYN, RST, PSH, ACK = 1, 2, 4, 8, 16


class Tcp:
    """One TCP connection written into a Pcap; send() segments by MSS."""

    def __init__(self, pc, ts, c, cp, s, sp, mss=1460, frag=None):
        self.pc, self.ts = pc, ts
        self.c, self.cp, self.s, self.sp = c, cp, s, sp
        self.mss, self.frag = mss, frag
        self.cseq = random.randrange(1 << 32)
        self.sseq = random.randrange(1 << 32)
        self.pend = []
        self._pkt(0, SYN, b'', self.cseq, 0)
        self.ts += 0.02
        self._pkt(1, SYN | ACK, b'', self.sseq, self.cseq + 1)
        self.ts += 0.0005
        self.cseq += 1
        self.sseq += 1
        self._pkt(0, ACK, b'', self.cseq, self.sseq)

    def _pkt(self, d, flags, data, seq, ack):
        src, sp, dst, dp = (self.c, self.cp, self.s, self.sp) if d == 0 else \
            (self.s, self.sp, self.c, self.cp)
        self.pc.ip(self.ts, src, dst, 6, tcp_seg(sp, dp, seq, ack, flags, data),
                   frag=self.frag)

    def send(self, d, data, gap=0.0005, reorder=False):
        segs = []
        for off in range(0, len(data), self.mss):
            chunk = data[off:off + self.mss]
            seq = (self.cseq if d == 0 else self.sseq) + off
            segs.append((seq, chunk))
        if reorder and len(segs) > 1:
            segs = segs[1:] + segs[:1]
        for seq, chunk in segs:
            self._pkt(d, ACK | PSH, chunk, seq,
                      self.sseq if d == 0 else self.cseq)
            self.ts += gap
        if d == 0:
            self.cseq += len(data)
        else:
            self.sseq += len(data)
        self.ts += 0.01

    def idle(self, seconds):
        self.ts += seconds

    def close(self):
        self._pkt(0, FIN | ACK, b'', self.cseq, self.sseq)
        self.ts += 0.01
        self._pkt(1, FIN | ACK, b'', self.sseq, self.cseq + 1)
        self.ts += 0.0005
        self._pkt(0, ACK, b'', self.cseq + 1, self.sseq + 1)
        return self.ts


def udp(sp, dp, data):
    return struct.pack('!HHHH', sp, dp, 8 + len(data), 0) + data


def dns_query(qid, name, qtype=1):
    q = b''.join(bytes([len(l)]) + l.encode() for l in name.split('.')) + b'\0'
    return struct.pack('!HHHHHH', qid, 0x0100, 1, 0, 0, 0) + q + \
        struct.pack('!HH', qtype, 1)


def dns_answer(qid, name, ip):
    q = b''.join(bytes([len(l)]) + l.encode() for l in name.split('.')) + b'\0'
    a = b'\xc0\x0c' + struct.pack('!HHIH', 1, 1, 300, 4) + ip4(ip)
    return struct.pack('!HHHHHH', qid, 0x8180, 1, 1, 0, 0) + q + \
        struct.pack('!HH', 1, 1) + a


# --- TLS ------------------------------------------------------------------

def u16(v):
    return struct.pack('!H', v)


def u24(v):
    return struct.pack('!I', v)[1:]


def record(ctype, body, version=0x0303):
    out = b''
    for off in range(0, max(len(body), 1), 16384):
        chunk = body[off:off + 16384]
        out += bytes([ctype]) + u16(version) + u16(len(chunk)) + chunk
    return out


def handshake(htype, body):
    return bytes([htype]) + u24(len(body)) + body


def ext(t, data):
    return u16(t) + u16(len(data)) + data


# The JA4 specification's worked example (a Chrome ClientHello), with GREASE.
CHROME_CIPHERS = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
                  0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035]
CHROME_EXTS = [0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d,
               0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015]
CHROME_SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]


def chrome_hello(sni):
    exts = [0x0a0a] + CHROME_EXTS[:]
    random.shuffle(exts)  # Chrome shuffles its extensions: JA3 changes, JA4 not
    body = b''
    for e in exts:
        if e == 0x0000:
            n = sni.encode()
            d = ext(0, u16(len(n) + 3) + b'\0' + u16(len(n)) + n)
        elif e == 0x0010:
            d = ext(0x10, u16(12) + b'\x02h2\x08http/1.1')
        elif e == 0x000d:
            d = ext(0x0d, u16(2 * len(CHROME_SIGALGS)) +
                    b''.join(u16(s) for s in CHROME_SIGALGS))
        elif e == 0x002b:
            d = ext(0x2b, b'\x06' + u16(0x3a3a) + u16(0x0304) + u16(0x0303))
        elif e == 0x000a:
            d = ext(0x0a, u16(8) + u16(0x2a2a) + u16(29) + u16(23) + u16(24))
        elif e == 0x000b:
            d = ext(0x0b, b'\x01\x00')
        elif e == 0x0033:
            d = ext(0x33, u16(38) + u16(29) + u16(32) + os.urandom(32))
        elif e == 0x0015:
            d = ext(0x15, b'\0' * random.randrange(100, 200))
        else:
            d = ext(e, b'')
        body += d
    ciphers = [0x0a0a] + CHROME_CIPHERS
    ch = u16(0x0303) + os.urandom(32) + b'\x20' + os.urandom(32) + \
        u16(2 * len(ciphers)) + b''.join(u16(c) for c in ciphers) + b'\x01\x00' + \
        u16(len(body)) + body
    return record(22, handshake(1, ch), 0x0301)


def malware_hello():
    """A TLS 1.2 client that is no browser: short cipher list, no SNI."""
    ciphers = [0xc02f, 0xc030, 0x009c, 0x009d, 0x002f, 0x0035, 0x000a]
    body = ext(0x0a, u16(4) + u16(23) + u16(24)) + ext(0x0b, b'\x01\x00') + \
        ext(0x0d, u16(6) + u16(0x0401) + u16(0x0501) + u16(0x0201)) + \
        ext(0x17, b'') + ext(0xff01, b'\x00')
    ch = u16(0x0303) + os.urandom(32) + b'\x00' + \
        u16(2 * len(ciphers)) + b''.join(u16(c) for c in ciphers) + b'\x01\x00' + \
        u16(len(body)) + body
    return record(22, handshake(1, ch), 0x0303)


def server_flight(certs, cipher=0xc02f):
    sh = u16(0x0303) + os.urandom(32) + b'\x20' + os.urandom(32) + u16(cipher) + \
        b'\x00' + u16(5) + ext(0xff01, b'\x00')
    chain = b''.join(u24(len(c)) + c for c in certs)
    msgs = handshake(2, sh) + handshake(11, u24(len(chain)) + chain) + \
        handshake(14, b'')
    return record(22, msgs)


def finish_flight():
    return record(20, b'\x01') + record(22, os.urandom(40))


def app_data(n):
    return record(23, os.urandom(n))


# --- certificates ------------------------------------------------------------

class Certs:
    """A test CA and certificates made with the openssl command line."""

    def __init__(self, workdir):
        self.d = workdir
        self.ca_key = os.path.join(workdir, 'ca.key')
        self.ca_pem = os.path.join(workdir, 'ca.pem')
        self._run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout',
                   self.ca_key, '-out', self.ca_pem, '-days', '3650', '-subj',
                   '/CN=rift test CA/O=rift tests'])
        self.ca_der = self._der(self.ca_pem)

    def _run(self, args):
        subprocess.run(['openssl'] + args, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def _der(self, pem):
        out = subprocess.run(['openssl', 'x509', '-in', pem, '-outform', 'DER'],
                             check=True, capture_output=True)
        return out.stdout

    def leaf(self, name):
        """A server certificate for name signed by the CA: [leaf, ca]."""
        key = os.path.join(self.d, name + '.key')
        csr = os.path.join(self.d, name + '.csr')
        pem = os.path.join(self.d, name + '.pem')
        self._run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
                   '-out', csr, '-subj', f'/CN={name}/O=Example Sites'])
        ext = os.path.join(self.d, name + '.ext')
        with open(ext, 'w') as f:
            f.write(f'subjectAltName=DNS:{name}\n')
        self._run(['x509', '-req', '-in', csr, '-CA', self.ca_pem, '-CAkey',
                   self.ca_key, '-CAcreateserial', '-out', pem, '-days', '825',
                   '-extfile', ext])
        return [self._der(pem), self.ca_der]

    def self_signed(self, name):
        key = os.path.join(self.d, name + '.ss.key')
        pem = os.path.join(self.d, name + '.ss.pem')
        self._run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
                   '-out', pem, '-days', '365', '-subj', f'/CN={name}/O=Default Company'])
        return [self._der(pem)]


def tls_session(pc, ts, c, cp, s, sp, hello, certs, req, resp, mss=1460,
                frag=None, reorder=False):
    """A complete TLS 1.2 connection; returns the time it ended."""
    t = Tcp(pc, ts, c, cp, s, sp, mss=mss, frag=frag)
    t.send(0, hello, reorder=reorder)
    t.send(1, server_flight(certs), reorder=reorder)
    t.send(0, finish_flight())
    t.send(1, finish_flight())
    t.send(0, app_data(req))
    t.send(1, app_data(resp))
    return t.close()
