"""chainsaw's published answer: searching security_sample.evtx for "4624"
finds the events with EventRecordID 31794 and 31799 (full JSON in
evtx/chainsaw_tests/clo_search_q_jsonl_simple_string.txt).  rift search
over a case of that file must find exactly those, with the same data."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0101-chainsaw-search")
if not t.have("evtx/chainsaw_tests/security_sample.evtx",
              "evtx/chainsaw_tests/clo_search_q_jsonl_simple_string.txt"):
    sys.exit(t.done())
want = [json.loads(l) for l in open(t.path("evtx/chainsaw_tests/clo_search_q_jsonl_simple_string.txt")) if l.strip()]
want_ids = sorted(w["Event"]["System"]["EventRecordID"] for w in want)
t.eq("the published answer has records 31794 and 31799", want_ids, [31794, 31799])

case = os.path.join(t.tmp, "case")
t.triage(case, t.path("evtx/chainsaw_tests/security_sample.evtx"), want_exit=0)
p = t.run("search", case, "4624", "--jsonl", check_exit=0)
got = t.jsonl(p.stdout)
t.eq("rift search 4624: the same records", sorted(g["rift.record_id"] for g in got), want_ids)
for g in got:
    w = [x for x in want if x["Event"]["System"]["EventRecordID"] == g["rift.record_id"]][0]
    sysw, data = w["Event"]["System"], w["Event"]["EventData"]
    rid = g["rift.record_id"]
    t.eq("%d: time" % rid, g["@timestamp"], sysw["TimeCreated_attributes"]["SystemTime"])
    t.eq("%d: computer" % rid, g["host.name"], sysw["Computer"])
    t.eq("%d: event id" % rid, g["winlog.event_id"], sysw["EventID"])
    # GUIDs: rift keeps the braces of Windows' XML form ({...}); the evtx
    # crate's JSON that chainsaw prints drops them
    norm = lambda v: v[1:-1] if isinstance(v, str) and len(v) == 38 and v[0] == "{" and v[-1] == "}" else v
    diff = [k for k, v in data.items() if norm(g.get("winlog.event_data." + k)) != v]
    t.check("%d: all %d EventData values equal chainsaw's" % (rid, len(data)), not diff,
            [(k, g.get("winlog.event_data." + k), data[k]) for k in diff])
    t.eq("%d: ECS user.name from TargetUserName" % rid, g.get("user.name"), data["TargetUserName"])
    t.eq("%d: ECS winlog.logon.type" % rid, g.get("winlog.logon.type"), "Service")
    t.eq("%d: event.action" % rid, g.get("event.action"), "logged-in")

# the same answer by field, by regular expression and by case-insensitive keyword
p = t.run("search", case, "--field", "winlog.event_id=4624", "--jsonl", check_exit=0)
t.eq("--field winlog.event_id=4624", sorted(g["rift.record_id"] for g in t.jsonl(p.stdout)), want_ids)
p = t.run("search", case, "--field", "winlog.event_data.LogonType=5", "--field", "event.code=4624", check_exit=0)
t.eq("--field on a JSON field and a column together", sorted(g["rift.record_id"] for g in t.jsonl(p.stdout)), want_ids)
p = t.run("search", case, "--regex", "^462[4]$", check_exit=0)
t.eq("--regex ^462[4]$", sorted(g["rift.record_id"] for g in t.jsonl(p.stdout)), want_ids)
p = t.run("search", case, "ADVAPI", check_exit=0)
t.eq("keyword is case-insensitive (Advapi)", sorted(g["rift.record_id"] for g in t.jsonl(p.stdout)), want_ids)
p = t.run("search", case, "no-such-thing-anywhere", check_exit=1)
t.eq("a keyword found nowhere gives nothing (and exit 1, as grep)", p.stdout, "")
sys.exit(t.done())
