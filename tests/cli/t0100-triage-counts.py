"""Every record `rift dump` reads is an event in case.db: triage the whole
sample EVTX folder, then for each input compare the manifest's record
count and the events of that file in case.db with what `rift dump --stats`
reads from the same file.  Also: the manifest's SHA-256 and size of
each input against Python's hashlib and os.stat."""
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0100-triage-counts")
if not t.have("evtx"):
    sys.exit(t.done())
case = os.path.join(t.tmp, "case")
before = {}
for d0, _, fs in os.walk(t.path("evtx")):
    for f in fs:
        st = os.stat(os.path.join(d0, f))
        before[os.path.join(d0, f)] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode)
p = t.triage(case, t.path("evtx"))
after = {}
for d0, _, fs in os.walk(t.path("evtx")):
    for f in fs:
        st = os.stat(os.path.join(d0, f))
        after[os.path.join(d0, f)] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode)
t.check("evidence untouched: size, mtime, ctime and mode of every file", before == after)
t.check("triage completes (0, or 1 for the damaged samples)", p.returncode in (0, 1), p.stderr[-500:])
m = t.manifest(case)
c = t.db(case)
read = [i for i in m["inputs"] if i["status"] in ("ok", "errors") and i.get("format") == "evtx"]
files = [i["path"] for i in read]
d = t.run("dump", "-q", "--stats", *files)
dumped = {}
for line in d.stderr.splitlines():
    mm = re.match(r"rift: (.*): (\d+) records, (\d+) bad records", line)
    if mm:
        dumped[mm.group(1)] = int(mm.group(2))
t.eq("rift dump reads every file the triage read", len(dumped), len(files))
per_file = dict(c.execute("select file_id, count(*) from events group by file_id").fetchall())
bad_m = [i["path"] for i in read if i["records"] != dumped.get(i["path"])]
bad_db = [i["path"] for i in read if per_file.get(i["id"], 0) != dumped.get(i["path"])]
t.check("manifest records == rift dump records, per file (%d files)" % len(files), not bad_m, bad_m[:5])
t.check("case.db events == rift dump records, per file", not bad_db, bad_db[:5])
total = c.execute("select count(*) from events").fetchone()[0]
t.eq("case.db events == sum of rift dump records", total, sum(dumped[f] for f in files))

# every input is in the manifest, with its real size and SHA-256
on_disk = []
for d0, _, fs in os.walk(t.path("evtx")):
    on_disk += [os.path.join(d0, f) for f in fs]
paths = {i["path"]: i for i in m["inputs"]}
missing = [f for f in on_disk if f not in paths]
t.check("every file under the folder is in the manifest (%d)" % len(on_disk), not missing, missing[:5])
bad_hash = []
for f in on_disk:
    i = paths.get(f)
    if not i or not os.path.getsize(f):
        continue
    h = hashlib.sha256(open(f, "rb").read()).hexdigest()
    if i["sha256"] != h or i["size"] != os.path.getsize(f):
        bad_hash.append(f)
t.check("manifest size and SHA-256 match hashlib for every input", not bad_hash, bad_hash[:5])
dups = [i for i in m["inputs"] if i["status"] == "duplicate"]
ok_dups = all(any(j["sha256"] == i["sha256"] and j["status"] in ("ok", "errors") for j in m["inputs"]) for i in dups)
t.check("duplicates name inputs with the same SHA-256 that were read", ok_dups)
# the manifest and the inputs table agree
n_in = c.execute("select count(*) from inputs").fetchone()[0]
t.eq("manifest.json lists every row of the inputs table", len(m["inputs"]), n_in)
# every event traces back to its file and record
orphans = c.execute("select count(*) from events e left join inputs i on i.id = e.file_id where i.id is null").fetchone()[0]
t.eq("every event belongs to an input", orphans, 0)
# events without a record id are exactly the records whose EventRecordID is 0
no_rec = c.execute("select i.path, count(*) from events e join inputs i on i.id = e.file_id"
                   " where e.kind = 'evtx' and e.record_id is null group by 1").fetchall()
bad = []
for path, n in no_rec:
    zero = t.run("dump", "-q", path).stdout.count('"EventRecordID":0,')
    if zero != n:
        bad.append((path, n, zero))
t.check("every EVTX event has its record id (unless the record says 0)", not bad, bad)
sys.exit(t.done())
