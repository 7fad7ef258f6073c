"""Velociraptor's golden test of Windows.EventLogs.Cleared over
DE_104_system_log_cleared.evtx (velociraptor_testcases/evtx.out.yaml):
one System 104 event, ClearedLog "System", Username "EXAMPLE\\user01",
EventTime 2019-03-19T23:34:25Z and UserData.LogFileCleared
{SubjectUserName, SubjectDomainName, Channel, BackupPath}.  The case must
hold that event with the same values, mapped to ECS (user.name,
user.domain, event.action) and findable with rift search."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0103-velociraptor-log-cleared")
log = "evtx/velociraptor/DE_104_system_log_cleared.evtx"
if not t.have("velociraptor_testcases/evtx.out.yaml", log):
    sys.exit(t.done())
text = open(t.path("velociraptor_testcases/evtx.out.yaml")).read()
m = re.search(r"Windows.EventLogs.Cleared.*?Output: (\[.*?\n\])", text, re.S)
want = json.loads(m.group(1))
t.eq("one published row", len(want), 1)
w = want[0]
ud = w["EventData.UserData.LogFileCleared"]

case = os.path.join(t.tmp, "case")
t.triage(case, t.path(log), want_exit=0)
p = t.run("search", case, "--field", "winlog.event_id=104", "--jsonl", check_exit=0)
got = t.jsonl(p.stdout)
t.eq("one System 104 event", len(got), 1)
g = got[0] if got else {}
t.eq("ClearedLog", g.get("winlog.user_data.Channel"), w["ClearedLog"])
t.eq("Username", "%s\\%s" % (g.get("user.domain"), g.get("user.name")), w["Username"])
t.eq("EventTime (to the second)", (g.get("@timestamp") or "")[:19] + "Z", w["EventData.EventTime"])
for k in ("SubjectUserName", "SubjectDomainName", "Channel", "BackupPath"):
    t.eq("UserData.LogFileCleared.%s" % k, g.get("winlog.user_data." + k), ud[k])
t.eq("event.action", g.get("event.action"), "log-cleared")
t.eq("event.category", g.get("event.category"), "configuration")
t.check("message names the log and the user", "System" in g.get("message", "") and "EXAMPLE\\user01" in g.get("message", ""),
        g.get("message"))
p = t.run("search", case, "--fts", "cleared", check_exit=0)
t.eq("full-text search of the message finds it", [x.get("rift.record_id") for x in t.jsonl(p.stdout)],
     [g.get("rift.record_id")])
sys.exit(t.done())
