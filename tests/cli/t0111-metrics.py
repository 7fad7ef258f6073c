"""rift metrics: events per host, per channel and per (channel, event id),
with first and last time, against the same counts made from the raw
records that `rift dump` prints (Computer, Channel, EventID,
TimeCreated) for the same files."""
import json
import os
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0111-metrics")
dirs = ["evtx/velociraptor", "evtx/chainsaw_tests", "evtx/DeepBlueCLI"]
if not t.have(*dirs):
    sys.exit(t.done())
case = os.path.join(t.tmp, "case")
t.triage(case, *[t.path(d) for d in dirs])
m = t.manifest(case)
files = [i["path"] for i in m["inputs"] if i["status"] in ("ok", "errors")]
hosts, chans, ids = Counter(), Counter(), Counter()
first, last = {}, {}
for f in files:
    for line in t.run("dump", "-q", f).stdout.splitlines():
        s = json.loads(line)["Event"]["System"]
        eid = s["EventID"]
        if isinstance(eid, dict):  # <EventID Qualifiers="...">7045</EventID>
            eid = eid["#text"]
        h, ch, eid = s["Computer"], s["Channel"], str(eid)
        hosts[h] += 1
        chans[ch] += 1
        ids[(ch, eid)] += 1
        ts = s["TimeCreated"]["#attributes"]["SystemTime"][:19] + "Z"
        if ts > "1601-01-01T00:00:00Z":
            first[h] = min(first.get(h, ts), ts)
            last[h] = max(last.get(h, ts), ts)
p = t.run("metrics", case, "--jsonl", check_exit=0)
rows = t.jsonl(p.stdout)
got = defaultdict(dict)
for r in rows:
    key = (r["key"], r["key2"]) if "key2" in r else r["key"]
    got[r["dimension"]][key] = r
t.eq("events per host", {k: v["count"] for k, v in got["host"].items()}, dict(hosts))
t.eq("events per channel", {k: v["count"] for k, v in got["channel"].items()}, dict(chans))
ge = {k: v["count"] for k, v in got["event_id"].items()}
t.check("events per (channel, event id)", ge == dict(ids),
        [(k, ge.get(k), ids.get(k)) for k in set(ge) | set(ids) if ge.get(k) != ids.get(k)][:10])
t.eq("first and last time per host",
     {k: ((v["first"] or "")[:19] + "Z", (v["last"] or "")[:19] + "Z") for k, v in got["host"].items() if k in first},
     {h: (first[h], last[h]) for h in first})
p = t.run("metrics", case, check_exit=0)
t.check("the table names every host", all(h in p.stdout for h in hosts), p.stdout[:300])
sys.exit(t.done())
