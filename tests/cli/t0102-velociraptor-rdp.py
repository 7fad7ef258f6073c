"""Velociraptor's golden test of Windows.EventLogs.RDPAuth
(velociraptor_testcases/evtx.out.yaml) over the four RDPAuth_*.evtx logs.

The artifact (Windows/EventLogs/RDPAuth.yaml) selects Security 4624/4634
with LogonType 3, 7 or 10 and 4778/4625/4779/4647, System 9009,
RemoteConnectionManager 1149 and LocalSessionManager 21-25/39/40, keeps
rows whose UserName is set and does not end in '$', and derives
DomainName, UserName, LogonType, SourceIP from the raw data; the query
then keeps LogonType != 3 and groups by EventID.  Here the same selection
runs over the case, with DomainName/UserName/SourceIP taken from rift's
ECS fields (user.domain, user.name, source.ip or source.address): every
published row must be one of the rows of its EventID, and the EventIDs
must be the same."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0102-velociraptor-rdp")
logs = ["evtx/velociraptor/RDPAuth_%s.evtx" % n for n in
        ("Security", "System", "LocalSessionManager", "RemoteConnectionManager")]
if not t.have("velociraptor_testcases/evtx.out.yaml", *logs):
    sys.exit(t.done())

text = open(t.path("velociraptor_testcases/evtx.out.yaml")).read()
m = re.search(r"RDPAuth.*?Output: (\[.*?\n\])", text, re.S)
want = json.loads(m.group(1))
t.check("the golden output has rows", len(want) >= 8, len(want))

case = os.path.join(t.tmp, "case")
t.triage(case, *[t.path(l) for l in logs], want_exit=0)
c = t.db(case)
rows = c.execute("""select channel, event_id, user_domain, user_name,
  json_extract(fields, '$."winlog.event_data.LogonType"') as lt,
  coalesce(source_ip, json_extract(fields, '$."source.address"')) as ip
  from events""").fetchall()

DESC = {21: "RDP_LOCAL_CONNECTED", 22: "RDP_REMOTE_CONNECTED", 23: "RDP_SESSION_LOGOFF",
        24: "RDP_LOCAL_DISCONNECTED", 25: "RDP_REMOTE_RECONNECTION", 39: "RDP_REMOTE_DISCONNECTED_FORMAL",
        40: "RDP_REMOTE_DISCONNECTED_REASON", 1149: "RDP_INITIATION_SUCCESSFUL",
        9009: "DESKTOPWINDOWMANAGER_CLOSED", 4778: "LOGON_RECONNECT_EXISTING",
        4779: "SESSION_DISCONNECT", 4647: "USER_INITIATED_LOGOFF", 4634: "LOGOFF_DISCONNECT"}


def describe(ch, eid, lt):
    if ch != "Security":
        return DESC.get(eid)
    if eid == 4624:
        return {10: "RDP_LOGON_SUCCESSFUL_NEW", 3: "LOGON_SUCCESSFUL", 7: "LOGON_SUCCESSFUL_OLD"}.get(lt)
    if eid == 4625:
        return {3: "LOGON_FAILED", 10: "RDP_LOGON_FAILED"}.get(lt)
    return DESC.get(eid)


got = {}
for r in rows:
    ch, eid = r["channel"], r["event_id"]
    sec = ch == "Security"
    sel = ((sec and ((eid in (4624, 4634) and r["lt"] in (3, 10, 7)) or eid in (4778, 4625, 4779, 4647)))
           or (ch == "System" and eid == 9009)
           or (ch == "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational" and eid == 1149)
           or (ch == "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"
               and eid in (23, 22, 21, 24, 25, 39, 40)))
    if not sel:
        continue
    user = r["user_name"] if r["user_name"] is not None else (None if sec else "null")
    if user is None or user == "" or user.endswith("$"):
        continue
    lt = r["lt"] if sec and r["lt"] is not None else "null"
    if lt == 3:
        continue
    row = {"EventID": eid,
           "DomainName": r["user_domain"] if r["user_domain"] else "null",
           "UserName": user,
           "LogonType": lt,
           "SourceIP": r["ip"] if r["ip"] else "null",
           "Description": describe(ch, eid, r["lt"])}
    got.setdefault(eid, []).append(row)

t.eq("the same EventIDs", sorted(got), sorted(w["EventID"] for w in want))
for w in want:
    t.check("EventID %d row %s/%s from %s (%s)" % (w["EventID"], w["DomainName"], w["UserName"],
                                                   w["SourceIP"], w["Description"]),
            w in got.get(w["EventID"], []), got.get(w["EventID"]))
sys.exit(t.done())
