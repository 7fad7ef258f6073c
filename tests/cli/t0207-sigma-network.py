"""Sigma over network events: the category dns/proxy and product zeek
mappings (rules/mappings/network.yml, zeek.yml) against tshark.

For values that occur in the sample captures (user agents, methods, hosts,
URIs, status codes, DNS names and types), a rule per value and field name
is written and run with `rift hunt` over every capture; the frames it
reports (rift.record_id is the frame of the request, or of the DNS
message that opened the transaction) must be exactly the frames tshark
finds with the same value: an independent decoder for the events, and a
check that each Sigma field name reads the right event field.  Also: the
SigmaHQ network rules compile (active, or unsupported with a reason)."""
import collections
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0207-sigma-network")
if not t.have("pcap"):
    sys.exit(t.done())
try:
    subprocess.run(["tshark", "-v"], capture_output=True, check=True)
except (OSError, subprocess.CalledProcessError):
    print("skip t0207-sigma-network: tshark is not installed")
    sys.exit(t.done())

caps = []
for d0, _, fs in os.walk(t.path("pcap")):
    for f in sorted(fs):
        if f.endswith((".pcap", ".pcapng", ".cap")):
            caps.append(os.path.join(d0, f))
caps.sort()


def tshark(path, flt, fields, extra=()):
    p = subprocess.run(["tshark", "-n", "-r", path] + list(extra) +
                       ["-Y", flt, "-T", "fields",
                        "-E", "separator=\t", "-E", "occurrence=f"] +
                       sum((["-e", f] for f in fields), []),
                       capture_output=True, text=True)
    return [l.split("\t") for l in p.stdout.splitlines() if l.strip()]


req = []     # (file, frame, method, host, ua, uri, path, query)
status = {}  # (file, request frame) -> status code
dns = []     # (file, frame, is_response, id, name, type)
for c in caps:
    streams = collections.defaultdict(list)
    # HTTP over TCP (tshark also shows SSDP over UDP as HTTP: not web traffic)
    for r in tshark(c, "http.request && tcp", ["frame.number", "http.request.method",
                                               "http.host", "http.user_agent",
                                               "http.request.uri", "tcp.stream",
                                               "http.request.uri.path",
                                               "http.request.uri.query"]):
        r += [""] * (8 - len(r))
        req.append((c, int(r[0]), r[1], r[2], r[3], r[4], r[6], r[7]))
        streams[r[5]].append(int(r[0]))
    # status codes: each response's first segment, not waiting for bodies
    # that the capture cuts short
    for r in tshark(c, "http.response && http.request_in && tcp",
                    ["http.request_in", "http.response.code"],
                    ["-o", "tcp.desegment_tcp_streams:FALSE"]):
        if len(r) == 2 and r[0] and r[1]:
            status[(c, int(r[0]))] = r[1]
    # a response whose first segment came out of order is not decoded by
    # tshark then: read its status line from the raw segment at sequence 1,
    # the answer to the stream's first request (HTTP/1.x answers in order)
    for r in tshark(c, "tcp.len > 0 && tcp.seq == 1 && tcp.srcport == 80",
                    ["tcp.stream", "tcp.payload"]):
        if len(r) == 2 and streams.get(r[0]):
            first = (c, min(streams[r[0]]))
            m = re.match(rb"HTTP/\d\.\d (\d{3}) ", bytes.fromhex(r[1].replace(":", "")))
            if m and first not in status:
                status[first] = m.group(1).decode()
    # DNS, and mDNS and LLMNR (the same messages on other ports)
    for r in tshark(c, "(dns || mdns || llmnr) && !icmp",
                    ["frame.number", "dns.flags.response", "dns.id",
                     "dns.qry.name", "dns.qry.type"]):
        r += [""] * (5 - len(r))
        if r[3]:
            dns.append((c, int(r[0]), r[1] in ("1", "True"), int(r[2], 0),
                        r[3].lower(), r[4]))
t.check("the captures hold HTTP requests and DNS messages (%d, %d)" % (len(req), len(dns)),
        len(req) > 20 and len(dns) > 50)

# DNS qtype numbers (tshark -n prints them) to the names rift uses
QTYPE = {"1": "A", "2": "NS", "5": "CNAME", "6": "SOA", "12": "PTR", "15": "MX",
         "16": "TXT", "28": "AAAA", "33": "SRV", "255": "ANY", "65": "HTTPS"}

rules = []   # (id, what, yaml text, expected set of (file, frame) or keys)


def rule(what, logsource, sel, expect, key="frame"):
    rid = "00000000-0000-4000-8000-%012d" % len(rules)
    y = "title: %s\nid: %s\nstatus: test\nlogsource:\n%s\ndetection:\n    selection:\n%s\n    condition: selection\nlevel: low\n" % (
        json.dumps(what), rid, "".join("    %s: %s\n" % kv for kv in logsource).rstrip("\n"),
        "".join("        %s: %s\n" % (k, json.dumps(v)) for k, v in sel).rstrip("\n"))
    rules.append((rid, what, y, set(expect), key))


def common(values, n):
    """The n most frequent values that need no Sigma escaping."""
    c = collections.Counter(v for v in values if v and not any(x in v for x in "*?\\"))
    return [v for v, _ in c.most_common(n)]


PROXY = [("category", "proxy")]
ZHTTP = [("product", "zeek"), ("service", "http")]
for ua in common([r[4] for r in req], 6):
    exp = {(r[0], r[1]) for r in req if r[4].lower() == ua.lower()}
    rule("proxy c-useragent = %s" % ua, PROXY, [("c-useragent", ua)], exp)
    rule("zeek user_agent = %s" % ua, ZHTTP, [("user_agent", ua)], exp)
for m in common([r[2] for r in req], 4):
    exp = {(r[0], r[1]) for r in req if r[2].lower() == m.lower()}
    rule("proxy cs-method = %s" % m, PROXY, [("cs-method", m)], exp)
    rule("zeek method = %s" % m, ZHTTP, [("method", m)], exp)
for h in common([r[3] for r in req], 6):
    exp = {(r[0], r[1]) for r in req if r[3].lower() == h.lower()}
    rule("proxy cs-host = %s" % h, PROXY, [("cs-host", h)], exp)
    rule("zeek host = %s" % h, ZHTTP, [("host", h)], exp)
for u in common([r[5] for r in req], 4):
    part = u[:12]
    exp = {(r[0], r[1]) for r in req if part.lower() in r[5].lower()}
    rule("proxy c-uri contains %s" % part, PROXY, [("c-uri|contains", part)], exp)
    rule("zeek uri contains %s" % part, ZHTTP, [("uri|contains", part)], exp)
for q in common([r[7] for r in req], 3):
    exp = {(r[0], r[1]) for r in req if r[7].lower() == q.lower()}
    rule("proxy c-uri-query = %s" % q, PROXY, [("c-uri-query", q)], exp)


def ext(path):
    """ECS url.extension of a path (computed here from tshark's path)."""
    seg = path.rsplit("/", 1)[-1]
    i = seg.rfind(".")
    return seg[i + 1:] if i > 0 and i < len(seg) - 1 else ""


for x in common([ext(r[6]) for r in req], 3):
    exp = {(r[0], r[1]) for r in req if ext(r[6]).lower() == x.lower()}
    rule("proxy c-uri-extension = %s" % x, PROXY, [("c-uri-extension", x)], exp)
for code in common(list(status.values()), 3):
    exp = {k for k, v in status.items() if v == code}
    rule("proxy sc-status = %s" % code, PROXY, [("sc-status", int(code))], exp)
    rule("zeek status_code = %s" % code, ZHTTP, [("status_code", int(code))], exp)

# DNS: compared by (file, transaction id, name), as rift makes one event per
# query/answer pair and tshark shows each message
DNS = [("category", "dns")]
ZDNS = [("product", "zeek"), ("service", "dns")]
names = [r[4] for r in dns]
for suffix in common([n[n.rfind("."):] for n in names if "." in n], 4):
    exp = {(r[0], r[3], r[4]) for r in dns if r[4].endswith(suffix)}
    rule("dns query endswith %s" % suffix, DNS, [("query|endswith", suffix)], exp, "dns")
    rule("zeek dns query endswith %s" % suffix, ZDNS, [("query|endswith", suffix)], exp, "dns")
for qt in common([QTYPE.get(r[5], "") for r in dns], 4):
    exp = {(r[0], r[3], r[4]) for r in dns if QTYPE.get(r[5]) == qt}
    rule("dns record_type = %s" % qt, DNS, [("record_type", qt)], exp, "dns")
    rule("zeek qtype_name = %s" % qt, ZDNS, [("qtype_name", qt)], exp, "dns")

rdir = os.path.join(t.tmp, "rules")
os.makedirs(rdir)
for rid, what, y, _, _ in rules:
    open(os.path.join(rdir, rid + ".yml"), "w").write(y)
p = t.run("hunt", "-q", "--jsonl", "-r", rdir, *caps)
hits = collections.defaultdict(set)
for h in t.jsonl(p.stdout):
    hits[h["rule"]["id"]].add((h["log"]["file"]["path"], h["rift"]["record_id"]))
frame_dns = {(r[0], r[1]): (r[0], r[3], r[4]) for r in dns}
for rid, what, _, exp, key in rules:
    got = hits.get(rid, set())
    if key == "dns":
        got = {frame_dns.get(g, g) for g in got}
    t.check("%s: rift and tshark find the same %d (got %d)" % (what, len(exp), len(got)),
            got == exp and len(exp) > 0,
            "only rift: %s; only tshark: %s" % (sorted(got - exp)[:5], sorted(exp - got)[:5]))

# Zeek's own x509.log files (Zeek's test baselines): a Zeek x509 rule on
# certificate.serial against the column read here (rift.record_id is the
# line number)
xlogs = sorted(os.path.join(d0, f) for d0, _, fs in os.walk(t.path("pcap/zeek/expected"))
               for f in fs if f == "x509.log")
xrows = []   # (file, line, serial)
for x in xlogs:
    cols = None
    for n, line in enumerate(open(x, encoding="utf-8", errors="replace"), 1):
        line = line.rstrip("\n")
        if line.startswith("#fields"):
            cols = line.split("\t")[1:]
        elif line and not line.startswith("#") and cols and "certificate.serial" in cols:
            v = line.split("\t")
            if len(v) == len(cols):
                xrows.append((x, n, v[cols.index("certificate.serial")]))
if xlogs:
    t.check("Zeek x509.log baselines with certificates (%d files, %d rows)" % (len(xlogs), len(xrows)),
            len(xrows) > 10)
    xr0 = len(rules)
    for serial in common([r[2] for r in xrows if r[2] != "-"], 4):
        rule("zeek x509 certificate.serial = %s" % serial,
             [("product", "zeek"), ("service", "x509")], [("certificate.serial", serial)],
             {(r[0], r[1]) for r in xrows if r[2].lower() == serial.lower()})
    xdir = os.path.join(t.tmp, "xrules")
    os.makedirs(xdir)
    for rid, what, y, _, _ in rules[xr0:]:
        open(os.path.join(xdir, rid + ".yml"), "w").write(y)
    p = t.run("hunt", "-q", "--jsonl", "-r", xdir, *xlogs)
    xhits = collections.defaultdict(set)
    for h in t.jsonl(p.stdout):
        xhits[h["rule"]["id"]].add((h["log"]["file"]["path"], h["rift"]["record_id"]))
    for rid, what, _, exp, _ in rules[xr0:]:
        got = xhits.get(rid, set())
        t.check("%s: the same %d log lines (got %d)" % (what, len(exp), len(got)),
                got == exp and len(exp) > 0,
                "only rift: %s; only the log: %s" % (sorted(got - exp)[:5], sorted(exp - got)[:5]))

# the SigmaHQ network rules: each active or unsupported with a reason
sig = t.path("sigma/rules/network")
p = t.run("rules", "check", "-r", sig)
lines = [l for l in p.stdout.splitlines() if l.startswith(("active", "unsupported", "invalid"))]
active = [l for l in lines if l.startswith("active")]
t.check("SigmaHQ network rules: none invalid, %d active (dns and zeek dns/http/x509)" % len(active),
        lines and not any(l.startswith("invalid") for l in lines) and len(active) >= 10)
t.check("the Zeek DNS rule on the Z bit is unsupported (rift keeps no Z bit), not silently true",
        any("zeek_dns_susp_zbit_flag" in l and l.startswith("unsupported") and "Z bit" in l for l in lines))
sys.exit(t.done())
