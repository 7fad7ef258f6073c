"""An existing case is kept unless --force; --append adds evidence (ids
continue, earlier events stay, the same bytes are not read twice);
--force replaces the case."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0108-append-force")
a, b = "evtx/velociraptor/RDPAuth_Security.evtx", "evtx/velociraptor/EID4769_Kerberoasting.evtx"
if not t.have(a, b):
    sys.exit(t.done())
case = os.path.join(t.tmp, "case")
t.triage(case, t.path(a), want_exit=0)
na = t.db(case).execute("select count(*) from events").fetchone()[0]
p = t.run("triage", t.path(b), "-o", case)
t.eq("a second triage into the case without --append/--force dies", p.returncode, 128)
t.check("... and says how to proceed", "--append" in p.stderr and "--force" in p.stderr, p.stderr)
t.eq("... and leaves the case as it was", t.db(case).execute("select count(*) from events").fetchone()[0], na)

p = t.triage(case, t.path(b), extra=["--append"], want_exit=0)
c = t.db(case)
ins = c.execute("select id, path, status from inputs order by id").fetchall()
t.eq("append: two inputs, ids 1 and 2", [(r["id"], r["status"]) for r in ins], [(1, "ok"), (2, "ok")])
nb = c.execute("select count(*) from events where file_id = 2").fetchone()[0]
t.check("append: the new events are in", nb > 0, nb)
t.eq("append: the earlier events stay", c.execute("select count(*) from events where file_id = 1").fetchone()[0], na)
t.eq("append: full-text index covers both loads",
     c.execute("select count(*) from events_fts").fetchone()[0],
     c.execute("select count(*) from events where message is not null or process_command_line is not null").fetchone()[0])
t.eq("append: manifest lists both", len(t.manifest(case)["inputs"]), 2)

t.triage(case, t.path(a), extra=["--append"], want_exit=0)
c = t.db(case)
r = c.execute("select status, error from inputs where id = 3").fetchone()
t.eq("append of the same bytes: a duplicate, not read twice", r["status"], "duplicate")
t.check("... naming the input it duplicates", "input 1" in (r["error"] or ""), r["error"])
t.eq("... no new events", c.execute("select count(*) from events").fetchone()[0], na + nb)

t.triage(case, t.path(b), extra=["--force"], want_exit=0)
c = t.db(case)
t.eq("force: the case holds only the new evidence",
     [r[0] for r in c.execute("select path from inputs")], [t.path(b)])
t.eq("force: only its events", c.execute("select count(*) from events").fetchone()[0], nb)
p = t.run("triage", t.path(b), "-o", case, "--force", "--append")
t.eq("--force with --append is a usage error", p.returncode, 129)
p = t.run("triage", "-o", case)
t.eq("no evidence is a usage error", p.returncode, 129)
# evidence folder that holds the case: the case is not read as evidence
ev = os.path.join(t.tmp, "ev")
os.makedirs(ev)
import shutil
shutil.copyfile(t.path(a), os.path.join(ev, "a.evtx"))
inner = os.path.join(ev, "case")
t.triage(inner, ev, want_exit=0)
t.triage(inner, ev, extra=["--force"], want_exit=0)
t.eq("a case inside the evidence folder is not walked",
     [os.path.basename(r[0]) for r in t.db(inner).execute("select path from inputs")], ["a.evtx"])
t.eq("the case is WAL after a load", t.db(case).execute("pragma journal_mode").fetchone()[0], "wal")
t.eq("schema version 1", t.db(case).execute("pragma user_version").fetchone()[0], 1)
sys.exit(t.done())
