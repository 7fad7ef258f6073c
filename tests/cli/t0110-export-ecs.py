"""rift export --format ecs: one ECS document per event (nested objects,
ecs.version, event.kind "event", category/type arrays) whose flattened
fields equal the event's fields as rift search prints them flat; and every
finding as an alert (event.kind "alert", rule.id/name,
threat.technique.id, entity fields, log.file.path of its supporting
events).  The finding is written with plain SQL into the documented
schema (docs/case-schema.md), as any detector's output would be."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0110-export-ecs")
if not t.have("evtx/chainsaw_tests/security_sample.evtx", "evtx/velociraptor"):
    sys.exit(t.done())
case = os.path.join(t.tmp, "case")
# --no-endpoint: the only finding is the one written below
t.triage(case, t.path("evtx/chainsaw_tests/security_sample.evtx"), t.path("evtx/velociraptor"),
         extra=("--no-endpoint",))
c = t.db(case)
n = c.execute("select count(*) from events").fetchone()[0]

# a finding on the two chainsaw logons, as a detector would store it
ev = c.execute("select id, file_id, offset, record_id, ts, host from events where code = '4624' and"
               " record_id in (31794, 31799) order by ts").fetchall()
t.eq("the two chainsaw logons are in the case", len(ev), 2)
cur = c.execute("insert into findings(source, rule_id, rule_name, level, severity, techniques, ts, ts_end,"
                " host, message, user_name, source_ip) values('sigma', 'r-any-logon', 'Any Logon', 'high', 3,"
                " '[\"T1078\", \"T1021.001\"]', ?, ?, ?, 'two logons', 'SYSTEM', '10.0.0.1')",
                (ev[0]["ts"], ev[1]["ts"], ev[0]["host"]))
fid = cur.lastrowid
for e in ev:
    c.execute("insert into finding_events(finding_id, event_id, file_id, offset, record_id, ts)"
              " values(?, ?, ?, ?, ?, ?)", (fid, e["id"], e["file_id"], e["offset"], e["record_id"], e["ts"]))
c.commit()

out = os.path.join(t.tmp, "case.ecs.jsonl")
t.run("export", case, "--format", "ecs", "-o", out, check_exit=0)
docs = [json.loads(l) for l in open(out)]
events = [d for d in docs if d["event"]["kind"] == "event"]
alerts = [d for d in docs if d["event"]["kind"] == "alert"]
t.eq("one document per event", len(events), n)
t.eq("one alert per finding", len(alerts), 1)
t.check("every document has ecs.version", all(d.get("ecs", {}).get("version") for d in docs))
t.check("event.category and event.type are arrays",
        all(isinstance(d["event"].get("category", []), list) and isinstance(d["event"].get("type", []), list)
            for d in events))


def dotted(o, pre=""):
    for k, v in o.items():
        if "." in k:
            yield pre + k
        if isinstance(v, dict):
            yield from dotted(v, pre + k + "/")


bad = [x for d in events for x in dotted(d)]
t.check("nested objects, no dotted keys", not bad, bad[:5])


def flatten(o, pre="", acc=None):
    acc = {} if acc is None else acc
    for k, v in o.items():
        if isinstance(v, dict):
            flatten(v, pre + k + ".", acc)
        else:
            acc[pre + k] = v
    return acc


flat = {j["id"]: j for j in t.jsonl(t.run("search", case, "--field", "rift.kind=evtx", "--jsonl").stdout)}
t.eq("rift search --field rift.kind=evtx gives every event", len(flat), n)
mismatch = []
for d in events:
    f = flatten(d)
    s = flat.get(f["rift.event_id"])
    if s is None:
        mismatch.append(("missing", f["rift.event_id"]))
        continue
    for k, v in s.items():
        if k in ("id", "event.category", "event.type"):
            continue
        if f.get(k) != v:
            mismatch.append((f["rift.event_id"], k, f.get(k), v))
t.check("every document holds the event's fields (flattened == rift search's flat form)", not mismatch, mismatch[:5])
t.check("events in time order", [d["@timestamp"] for d in events if "@timestamp" in d] ==
        sorted(d["@timestamp"] for d in events if "@timestamp" in d))

a = alerts[0] if alerts else {}
t.eq("alert: rule.id / rule.name", (a.get("rule", {}).get("id"), a.get("rule", {}).get("name")),
     ("r-any-logon", "Any Logon"))
t.eq("alert: threat.technique.id", a.get("threat", {}).get("technique", {}).get("id"), ["T1078", "T1021"])
t.eq("alert: threat.technique.subtechnique.id",
     a.get("threat", {}).get("technique", {}).get("subtechnique", {}).get("id"), ["T1021.001"])
t.eq("alert: entity fields", (a.get("host", {}).get("name"), a.get("user", {}).get("name"),
                              a.get("source", {}).get("ip")), (ev[0]["host"], "SYSTEM", "10.0.0.1"))
t.eq("alert: log.file.path of the supporting events", a.get("log", {}).get("file", {}).get("path"),
     [t.path("evtx/chainsaw_tests/security_sample.evtx")])
t.eq("alert: the supporting events by id and record",
     [(x.get("event_id"), x.get("record_id")) for x in a.get("rift", {}).get("finding", {}).get("events", [])],
     [(e["id"], e["record_id"]) for e in ev])
t.eq("alert: level and severity", (a.get("rift", {}).get("finding", {}).get("level"), a["event"].get("severity")),
     ("high", 73))
p = t.run("export", case)
t.eq("export without --format ecs is a usage error", p.returncode, 129)
sys.exit(t.done())
