"""ECS normalisation on real logs: triage every sample EVTX file, then for
each mapped event check its ECS fields against the raw record as
`rift dump` renders it (the evtx_dump JSON form, a separate renderer):
process, user, network, file, registry, dns, service and PowerShell
fields, the conversions (hex process ids, basenames, DOMAIN\\user,
::ffff: addresses, Sysmon hashes) and the categorisation.  Also checks
that every event id the issue lists and the samples contain is mapped."""
import json
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0106-ecs-mapping")
if not t.have("evtx"):
    sys.exit(t.done())
case = os.path.join(t.tmp, "case")
t.triage(case, t.path("evtx"))
c = t.db(case)

SEC, SYSMON = "Microsoft-Windows-Security-Auditing", "Microsoft-Windows-Sysmon"
LISTED = {SEC: [4624, 4625, 4634, 4647, 4648, 4672, 4688, 4689, 4697, 4698, 4720, 4726, 4732, 4768,
                4769, 4776, 5140, 5145],
          "Microsoft-Windows-Eventlog": [1102, 104], "Service Control Manager": [7045, 7036],
          SYSMON: list(range(1, 30)), "Microsoft-Windows-PowerShell": [4103, 4104],
          "PowerShell": [400, 800], "Microsoft-Windows-TaskScheduler": [106, 140, 141, 200, 201],
          "Microsoft-Windows-TerminalServices-LocalSessionManager": [21, 22, 24, 25],
          "Microsoft-Windows-TerminalServices-RemoteConnectionManager": [1149],
          "Microsoft-Windows-Windows Defender": [1116, 1117]}
present = c.execute("select provider, event_id, count(*), sum(action is not null), sum(category is not null)"
                    " from events group by 1, 2").fetchall()
seen = 0
for prov, eid, n, nact, ncat in present:
    if eid in LISTED.get(prov, []):
        seen += 1
        t.check("%s %d: all %d events categorised" % (prov, eid, n), nact == n and ncat == n, (nact, ncat))
t.check("the samples hold many of the listed event ids", seen >= 30, seen)
nomsg = c.execute("select count(*) from events where message is null or message = ''").fetchone()[0]
t.eq("every event has a message", nomsg, 0)

# raw records, as rift dump renders them, for the events checked below
rows = c.execute("select e.*, i.path from events e join inputs i on i.id = e.file_id"
                 " where e.action is not null").fetchall()
byfile = defaultdict(list)
for r in rows:
    byfile[r["path"]].append(r)
raw = {}
for path in byfile:
    for line in t.run("dump", "-q", path).stdout.splitlines():
        ev = json.loads(line)["Event"]
        raw[(path, ev["System"]["EventRecordID"])] = ev


def data(ev):
    d = ev.get("EventData") or {}
    if isinstance(d, dict):
        return d
    return {}


def base(p):
    return p.replace("/", "\\").rsplit("\\", 1)[-1]


def pid(v):
    return int(v, 16) if isinstance(v, str) and v.startswith("0x") else v


def split_user(u):
    return u.split("\\", 1) if "\\" in u else [None, u]


problems = defaultdict(list)
checked = defaultdict(int)


def expect(r, f, name, want):
    # Windows writes "-" for "no value": rift then sets no ECS field
    if want in ("-", ""):
        want = None
    got = f.get(name)
    key = "%s %s %s" % (r["provider"], r["event_id"], name)
    checked[key] += 1
    if got != want:
        problems[key].append((r["path"], r["record_id"], got, want))


for r in rows:
    ev = raw.get((r["path"], r["record_id"]))
    if not ev:
        continue
    f = json.loads(r["fields"])
    d = data(ev)
    prov, eid = r["provider"], r["event_id"]
    ok = lambda v: v not in (None, "", "-")
    if prov == SEC and eid == 4688:
        expect(r, f, "process.executable", d.get("NewProcessName"))
        expect(r, f, "process.name", base(d["NewProcessName"]))
        expect(r, f, "process.pid", pid(d["NewProcessId"]))
        if ok(d.get("CommandLine")):
            expect(r, f, "process.command_line", d["CommandLine"])
        if ok(d.get("ParentProcessName")):
            expect(r, f, "process.parent.executable", d["ParentProcessName"])
        expect(r, f, "process.parent.pid", pid(d["ProcessId"]))
        expect(r, f, "user.name", d["SubjectUserName"])
    elif prov == SEC and eid in (4624, 4625):
        expect(r, f, "user.name", d["TargetUserName"])
        expect(r, f, "user.domain", d["TargetDomainName"] if ok(d["TargetDomainName"]) else None)
        if ok(d.get("IpAddress")):
            ip = d["IpAddress"][7:] if d["IpAddress"].startswith("::ffff:") else d["IpAddress"]
            expect(r, f, "source.ip", ip)
        expect(r, f, "winlog.logon.type", {2: "Interactive", 3: "Network", 4: "Batch", 5: "Service",
                                           7: "Unlock", 8: "NetworkCleartext", 9: "NewCredentials",
                                           10: "RemoteInteractive", 11: "CachedInteractive"}.get(d["LogonType"]))
        if eid == 4625:
            checked["4625 outcome"] += 1
            if r["outcome"] != "failure":
                problems["4625 outcome"].append(r["record_id"])
    elif prov == SEC and eid in (4720, 4726):
        expect(r, f, "user.target.name", d["TargetUserName"])
        expect(r, f, "user.name", d["SubjectUserName"])
    elif prov == SEC and eid == 4732:
        expect(r, f, "group.name", d["TargetUserName"])
    elif prov == SYSMON and eid == 1:
        expect(r, f, "process.executable", d["Image"])
        expect(r, f, "process.name", base(d["Image"]))
        expect(r, f, "process.pid", d["ProcessId"])
        expect(r, f, "process.command_line", d["CommandLine"])
        expect(r, f, "process.parent.executable", d.get("ParentImage"))
        expect(r, f, "process.parent.pid", d.get("ParentProcessId"))
        dom, user = split_user(d["User"])
        expect(r, f, "user.name", user)
        expect(r, f, "user.domain", dom)
        hashes = dict(h.split("=", 1) for h in d.get("Hashes", "").split(",") if "=" in h)
        if "SHA256" in hashes:
            expect(r, f, "process.hash.sha256", hashes["SHA256"].lower())
    elif prov == SYSMON and eid == 3:
        expect(r, f, "source.ip", d["SourceIp"])
        expect(r, f, "destination.ip", d["DestinationIp"])
        expect(r, f, "destination.port", d["DestinationPort"])
        expect(r, f, "network.transport", d["Protocol"].lower())
        expect(r, f, "network.direction", "egress" if d["Initiated"] in (True, "true") else "ingress")
    elif prov == SYSMON and eid in (11, 23, 26):
        expect(r, f, "file.path", d["TargetFilename"])
        expect(r, f, "file.name", base(d["TargetFilename"]))
    elif prov == SYSMON and eid in (12, 13, 14):
        expect(r, f, "registry.path", d["TargetObject"])
    elif prov == SYSMON and eid == 22:
        expect(r, f, "dns.question.name", d["QueryName"])
    elif prov == "Service Control Manager" and eid == 7045:
        expect(r, f, "service.name", d["ServiceName"])
        expect(r, f, "process.command_line", d["ImagePath"])
    elif prov == "Microsoft-Windows-PowerShell" and eid == 4104:
        expect(r, f, "powershell.file.script_block_text", d["ScriptBlockText"])
    elif prov == "Microsoft-Windows-Windows Defender" and eid in (1116, 1117):
        expect(r, f, "threat.software.name", d["Threat Name"])
        expect(r, f, "file.path", d["Path"][6:].split(";")[0] if d["Path"].startswith("file:_") else d["Path"])
    elif prov == "Microsoft-Windows-TaskScheduler" and eid == 200:
        expect(r, f, "process.executable", d["ActionName"])

for key in sorted(checked):
    t.check("%s (%d events)" % (key, checked[key]), not problems[key], problems[key][:3])
t.check("many mappings checked", len(checked) >= 40, len(checked))
sys.exit(t.done())
