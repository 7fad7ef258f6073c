"""Apache/Nginx access logs (fmt/weblog.c) against published and
independent answers.

1. plaso's apache_access test (EXPECTED/plaso_expectations.json): its 14
   events with their field values; the line plaso rejects (a user agent
   with no closing quote) is kept by rift with a warning naming the line.
2. Every line of the other sample access logs against a parser written
   here from Apache's documentation of the combined format (a regular
   expression): same host, user, time, request, status, size, referrer,
   user agent.
3. Two SigmaHQ webserver rules over the attack samples against their
   conditions evaluated here on the raw lines."""
import datetime
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0500-weblog")
if not t.have("linux/plaso/apache_access.log", "EXPECTED/plaso_expectations.json"):
    sys.exit(t.done())


# The request line as the test reads it, written independently of rift's
# C: runs of spaces separate the parts; the target runs to the last
# "HTTP/x" word (so it may hold spaces); without one (HTTP/0.9, junk) the
# target is the rest of the line.
REQ = re.compile(r"^(\S+) +(.*?) +(HTTP/\S+) *$")
REQ09 = re.compile(r"^(\S+) +(.*?) *$")


def split_request(req):
    m = REQ.match(req) or REQ09.match(req)
    return (m.group(1), m.group(2)) if m else (None, None)


def events(path):
    p = t.run("dump", "--format", "events", path)
    return [e for e in t.jsonl(p.stdout) if e.get("rift.kind") == "weblog"], p


def ts(s):
    """RFC 3339 with offset to rift's UTC form."""
    d = datetime.datetime.fromisoformat(s).astimezone(datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.000000000Z")


# 1. plaso
pl = t.path("linux/plaso/apache_access.log")
exp = json.load(open(t.path("EXPECTED/plaso_expectations.json")))
mod = [m for k, m in exp["modules"].items() if "apache_access" in k][0][0]
ev, p = events(pl)
lines = [l for l in open(pl, encoding="utf-8", errors="replace").read().split("\n") if l]
t.check("plaso's %d events, and the one line it rejects kept with a warning (rift %d)" % (
    mod["counts"]["number_of_event_data"], len(ev)),
    len(ev) == mod["counts"]["number_of_event_data"] + 1 and
    re.search(r"line 8: the user agent has no closing quote", p.stderr))
rejected = 8  # plaso's warning: 'unable to parse log line: 8 ...'
t.check("plaso's warning names line %d" % rejected,
        any("log line: %d " % rejected in str(a) for a in mod["other_asserts"]))
byline = {e["rift.source.record_id"]: e for e in ev}
for x in mod["event_data"]:
    line = x["index"] + 1 + (x["index"] + 1 >= rejected)
    e, v = byline.get(line, {}), x["expected_values"]
    req = "%s %s HTTP/%s" % (e.get("http.request.method"), e.get("url.original"), e.get("http.version"))
    got = {
        "ip_address": e.get("source.ip"),
        "username": e.get("user.name"),
        "http_request": req,
        "http_response_code": e.get("http.response.status_code"),
        "http_response_bytes": e.get("http.response.body.bytes"),
        "http_request_referer": e.get("http.request.referrer"),
        "http_request_user_agent": e.get("user_agent.original"),
        "recorded_time": e.get("@timestamp"),
        "server_name": e.get("destination.domain"),
        "port_number": e.get("destination.port"),
    }
    want = {k: (ts(v[k]) if k == "recorded_time" else v[k]) for k in got if k in v}
    # plaso keeps "-" as null, as rift leaves the field out
    t.eq("plaso event %d (line %d): %s" % (x["index"], line, ", ".join(sorted(want))),
         {k: got[k] for k in want}, want)

# 2. the other access logs against a regular expression of the format
RX = re.compile(r'^(?:(?P<vhost>\S+?)(?::(?P<port>\d+))? )?(?P<host>\S+) (?P<ident>\S+) (?P<user>\S+) '
                r'\[(?P<time>\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\] '
                r'"(?P<req>.*?)" (?P<status>\d{3}) (?P<size>\d+|-)'
                r'(?: "(?P<ref>(?:[^"\\]|\\.)*)" "(?P<ua>(?:[^"\\]|\\.)*)(?:"|$))?.*$')
others = [t.path(x) for x in ("linux/velociraptor/access.log",
                              "linux/web/EVTX-ATTACK-SAMPLES/web_attack_and_isp_webshell_localhost_access_log.txt",
                              "linux/web/elastic_examples/apache_logs") if os.path.exists(t.path(x))]
for f in others:
    ev, _ = events(f)
    byline = {e["rift.source.record_id"]: e for e in ev}
    # invalid UTF-8 (raw TLS bytes sent to port 80...) as U+FFFD, as rift
    raw = open(f, encoding="utf-8", errors="replace").read().split("\n")
    n = bad = 0
    first = None
    for i, l in enumerate(raw, 1):
        m = RX.match(l) if l else None
        if not m:
            continue
        n += 1
        g = m.groupdict()
        if g["vhost"] and not re.match(r"^\S+ \S+ \S+ \[", l[len(g["vhost"]) + (len(g["port"]) + 1 if g["port"] else 0) + 1:]):
            g["host"], g["vhost"], g["port"] = g["vhost"], None, None  # three fields only
        d = datetime.datetime.strptime(g["time"], "%d/%b/%Y:%H:%M:%S %z")
        req = g["req"]
        method, target = split_request(req)
        want = {
            "host": g["host"],
            "user": None if g["user"] == "-" else g["user"],
            "time": d.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000000Z"),
            "method": method,
            "target": target,
            "status": int(g["status"]),
            "size": None if g["size"] == "-" else int(g["size"]),
            "ref": None if g["ref"] in (None, "-", "") else g["ref"],
            "ua": None if g["ua"] in (None, "-", "") else g["ua"],
        }
        e = byline.get(i, {})
        got = {
            "host": e.get("source.ip") or e.get("source.domain"),
            "user": e.get("user.name"),
            "time": e.get("@timestamp"),
            "method": e.get("http.request.method"),
            "target": e.get("url.original"),
            "status": e.get("http.response.status_code"),
            "size": e.get("http.response.body.bytes"),
            "ref": e.get("http.request.referrer"),
            "ua": e.get("user_agent.original"),
        }
        if got != want:
            bad += 1
            if first is None:
                first = (i, {k: (got[k], want[k]) for k in got if got[k] != want[k]})
    t.check("%s: %d lines the regular expression reads, the same fields in rift (%d events)" % (
        os.path.basename(f), n, len(ev)), n > 5 and bad == 0 and len(ev) >= n, first)

# 3. Sigma webserver rules against their conditions on the raw lines
rules = t.path("sigma/rules/web/webserver_generic")
atk = [f for f in others + [pl] if "elastic" not in f]
if os.path.isdir(rules):
    pt = os.path.join(rules, "web_path_traversal_exploitation_attempt.yml")
    xss = os.path.join(rules, "web_xss_in_access_logs.yml")
    pats_pt = ['../../../../../lib/password', '../../../../windows/', '../../../etc/',
               '..%252f..%252f..%252fetc%252f', '..%c0%af..%c0%af..%c0%afetc%c0%af',
               '%252e%252e%252fetc%252f']
    kw_xss = ['=<script>', '=%3Cscript%3E', '=%253Cscript%253E', '<iframe ', '%3Ciframe ',
              '<svg ', '%3Csvg ', 'document.cookie', 'document.domain', ' onerror=',
              ' onresize=', ' onload="', 'onmouseover=', '${alert', 'javascript:alert',
              'javascript%3Aalert']
    want_pt, want_xss = set(), set()
    for f in atk:
        for i, l in enumerate(open(f, encoding="utf-8", errors="surrogateescape").read().split("\n"), 1):
            m = RX.match(l) if l else None
            if not m:
                continue
            method, target = split_request(m.group("req"))
            target = target or ""
            q = target.split("?", 1)[1].split("#", 1)[0] if "?" in target else ""
            if any(x.lower() in q.lower() for x in pats_pt):
                want_pt.add((f, i))
            if (method or "").upper() == "GET" and m.group("status") != "404" and \
               any(x.lower() in l.lower() for x in kw_xss):
                want_xss.add((f, i))
    p = t.run("hunt", "-q", "--jsonl", "-r", pt, "-r", xss, *atk)
    got_pt, got_xss = set(), set()
    for h in t.jsonl(p.stdout):
        k = (h["log"]["file"]["path"], h["rift"]["record_id"])
        (got_pt if "Path Traversal" in h["rule"]["name"] else got_xss).add(k)
    t.check("Sigma path traversal (cs-uri-query): the %d lines its condition selects (rift %d)" % (
        len(want_pt), len(got_pt)), got_pt == want_pt and want_pt,
        "only rift %s, only here %s" % (sorted(got_pt - want_pt)[:3], sorted(want_pt - got_pt)[:3]))
    t.check("Sigma XSS (cs-method, keywords, not sc-status 404): the %d lines (rift %d)" % (
        len(want_xss), len(got_xss)), got_xss == want_xss and want_xss,
        "only rift %s, only here %s" % (sorted(got_xss - want_xss)[:3], sorted(want_xss - got_xss)[:3]))
sys.exit(t.done())
