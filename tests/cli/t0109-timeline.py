"""rift timeline: every event once, sorted by time, in csv, jsonl and
timesketch form; --from/--to/--host select what a filter over the full
timeline selects; memory stays bounded (peak RSS well under the size of
the case database)."""
import csv
import io
import os
import resource
import subprocess
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0109-timeline")
if not t.have("evtx/velociraptor", "evtx/chainsaw_tests"):
    sys.exit(t.done())
case = os.path.join(t.tmp, "case")
t.triage(case, t.path("evtx/velociraptor"), t.path("evtx/chainsaw_tests"))
c = t.db(case)
n = c.execute("select count(*) from events").fetchone()[0]
ntime = c.execute("select count(*) from events where ts is not null").fetchone()[0]

p = t.run("timeline", case, check_exit=0)
rows = list(csv.DictReader(io.StringIO(p.stdout)))
t.eq("csv: one row per event", len(rows), n)
t.eq("csv: every event once", len(set(r["event_id"] for r in rows)), n)
times = [r["time"] for r in rows if r["time"]]
t.check("csv: sorted by time", times == sorted(times))
t.check("csv: events without a time come first", all(r["time"] for r in rows[n - ntime:]))
sample = rows[len(rows) // 2]
db = c.execute("select e.host, e.code, e.record_id, e.message, i.path from events e join inputs i"
               " on i.id = e.file_id where e.id = ?", (int(sample["event_id"]),)).fetchone()
t.eq("csv: a row carries its event's host, code, record, message and file",
     (sample["host"], sample["event_code"], int(sample["record_id"]), sample["message"], sample["file"]),
     (db["host"], db["code"], db["record_id"], db["message"], db["path"]))

hosts = sorted(set(r["host"] for r in rows))
h = hosts[len(hosts) // 2]
mid = times[len(times) // 3]
end = times[2 * len(times) // 3]
for args, pred, what in (
        (["--host", h], lambda r: r["host"].lower() == h.lower(), "--host"),
        (["--host", h.upper()], lambda r: r["host"].lower() == h.lower(), "--host (any case)"),
        (["--from", mid], lambda r: r["time"] and r["time"] >= mid, "--from"),
        (["--to", end], lambda r: r["time"] and r["time"] <= end, "--to"),
        (["--from", mid, "--to", end, "--host", h],
         lambda r: r["time"] and mid <= r["time"] <= end and r["host"].lower() == h.lower(), "--from --to --host")):
    p = t.run("timeline", case, *args, check_exit=0)
    sub = list(csv.DictReader(io.StringIO(p.stdout)))
    t.eq("%s selects what a filter over the full timeline selects" % what,
         [r["event_id"] for r in sub], [r["event_id"] for r in rows if pred(r)])

p = t.run("timeline", case, "--format", "jsonl", check_exit=0)
js = t.jsonl(p.stdout)
t.eq("jsonl: one object per event, same order", [str(j["id"]) for j in js], [r["event_id"] for r in rows])

p = t.run("timeline", case, "--format", "timesketch", check_exit=0)
ts = t.jsonl(p.stdout)
t.eq("timesketch: one line per event with a time", len(ts), ntime)
bad = []
for j in ts:
    try:
        dt = datetime.strptime(j["datetime"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
        us = int(dt.timestamp()) * 1000000 + dt.microsecond
        if us != j["timestamp"] or not j["message"] or not j["timestamp_desc"]:
            bad.append(j)
    except (KeyError, ValueError) as e:
        bad.append((j, e))
t.check("timesketch: message, RFC 3339 UTC datetime, timestamp in us, timestamp_desc", not bad, bad[:2])

p = t.run("timeline", case, "--from", "yesterday")
t.eq("a bad time is a clear error", (p.returncode, "invalid time" in p.stderr), (128, True))
p = t.run("timeline", os.path.join(t.tmp, "nope"))
t.eq("a missing case is a clear error", (p.returncode, "no such case" in p.stderr), (128, True))

# --to includes everything within its precision (the whole second, day)
day = times[0][:10]
p = t.run("timeline", case, "--to", day, check_exit=0)
t.eq("--to DATE includes that whole day",
     len(list(csv.DictReader(io.StringIO(p.stdout)))), len([r for r in rows if r["time"] and r["time"][:10] <= day]))


def peak_rss(*args):
    p = subprocess.run(["/usr/bin/time", "-f", "%M", t.rift] + list(args), capture_output=True, text=True)
    return int(p.stderr.strip().splitlines()[-1]) * 1024


# bounded memory: the timeline of a 30x larger case needs about the same memory
if os.environ.get("ASAN_OPTIONS"):
    print("skip t0109-timeline: bounded memory (sanitizers keep freed memory)")
elif t.have("evtx") and os.path.exists("/usr/bin/time"):
    big = os.path.join(t.tmp, "big")
    t.triage(big, t.path("evtx"))
    small_rss = peak_rss("timeline", case, "-o", os.devnull)
    big_rss = peak_rss("timeline", big, "-o", os.devnull)
    nbig = t.db(big).execute("select count(*) from events").fetchone()[0]
    t.check("bounded memory: %d events in %d MiB, %d events in %d MiB" % (n, small_rss >> 20, nbig, big_rss >> 20),
            nbig > 20 * n and big_rss < small_rss + (48 << 20))
sys.exit(t.done())
