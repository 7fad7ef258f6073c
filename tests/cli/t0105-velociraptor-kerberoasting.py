"""Velociraptor's golden test of Windows.EventLogs.Kerberoasting over
EID4769_Kerberoasting.evtx (velociraptor_testcases/kerberoasting.out.yaml).
The artifact keeps 4769 events with RC4 tickets (TicketEncryptionType
0x17), Status 0, ServiceName not krbtgt and not ending in '$', and
TargetUserName without '$@'.  The same query with rift search --field
over the case must give the published rows; rift's ECS fields must carry
the same values (source.ip without the ::ffff: prefix)."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0105-velociraptor-kerberoasting")
log = "evtx/velociraptor/EID4769_Kerberoasting.evtx"
if not t.have("velociraptor_testcases/kerberoasting.out.yaml", log):
    sys.exit(t.done())
text = open(t.path("velociraptor_testcases/kerberoasting.out.yaml")).read()
want = json.loads(re.search(r"Output: (\[.*?\n\])", text, re.S).group(1))
case = os.path.join(t.tmp, "case")
t.triage(case, t.path(log), want_exit=0)
p = t.run("search", case, "--field", "winlog.event_id=4769",
          "--field", "winlog.event_data.TicketEncryptionType=0x17",
          "--field", "event.outcome=success", check_exit=0)
got = [g for g in t.jsonl(p.stdout)
       if not re.search(r"krbtgt|\$$", g.get("service.name", "")) and "$@" not in g.get("user.name", "")]
t.eq("as many rows as published", len(got), len(want))
for w, g in zip(sorted(want, key=lambda x: x["IpPort"]), sorted(got, key=lambda x: x["source.port"])):
    name = w["ServiceName"]
    t.eq("%s: time" % name, g["@timestamp"][:19] + "Z", w["EventTime"])
    t.eq("%s: computer" % name, g["host.name"], w["Computer"])
    for k in ("ServiceName", "ServiceSid", "TargetUserName", "Status", "TargetDomainName",
              "TicketEncryptionType", "TicketOptions", "TransmittedServices", "IpAddress", "IpPort"):
        t.eq("%s: %s" % (name, k), str(g.get("winlog.event_data." + k)), w[k])
    t.eq("%s: service.name" % name, g.get("service.name"), w["ServiceName"])
    t.eq("%s: user.name" % name, g.get("user.name"), w["TargetUserName"])
    t.eq("%s: user.domain" % name, g.get("user.domain"), w["TargetDomainName"])
    t.eq("%s: source.ip" % name, g.get("source.ip"), w["IpAddress"].replace("::ffff:", ""))
    t.eq("%s: source.port" % name, g.get("source.port"), int(w["IpPort"]))
    t.eq("%s: event.action" % name, g.get("event.action"), "kerberos-service-ticket-requested")
sys.exit(t.done())
