"""Bad input: every broken input is in the manifest and on stderr with its
path and reason, the rest of the evidence is read, and the exit status
says the run completed with errors (1).

Fixtures are built here at run time from one real sample log:
  good/Security.evtx     a real log (must be read in full)
  truncated.tar.gz       a tar.gz of that log, cut in the middle
  evil.zip               members "../evil.evtx" and "/abs.evtx" and a good one
  empty.evtx             zero bytes
  unreadable.evtx        mode 000 (triage runs as nobody when we are root)
  fake.evtx              text that claims to be an EVTX by its name
"""
import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0104-bad-input")
SAMPLE = "evtx/velociraptor/RDPAuth_Security.evtx"
if not t.have(SAMPLE):
    sys.exit(t.done())

ev = os.path.join(t.tmp, "evidence")
os.makedirs(os.path.join(ev, "good"))
good = os.path.join(ev, "good", "Security.evtx")
shutil.copyfile(t.path(SAMPLE), good)
raw = open(good, "rb").read()

# truncated tar.gz: the archive of the log, cut to 40 % of its length
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w:gz") as tf:
    tf.add(good, arcname="logs/Security.evtx")
data = buf.getvalue()
open(os.path.join(ev, "truncated.tar.gz"), "wb").write(data[: len(data) * 4 // 10])

with zipfile.ZipFile(os.path.join(ev, "evil.zip"), "w") as zf:
    zf.writestr("../evil.evtx", raw)
    zf.writestr("/abs.evtx", raw)
    zf.writestr("inner/ok.evtx", raw[:4096 + 65536])  # header + first chunk
open(os.path.join(ev, "empty.evtx"), "wb").close()
open(os.path.join(ev, "fake.evtx"), "w").write("this is not an event log\n" * 100)
unreadable = os.path.join(ev, "unreadable.evtx")
open(unreadable, "wb").write(raw)
os.chmod(unreadable, 0)

case = os.path.join(t.tmp, "case")
cmd = [t.rift, "triage", ev, "-o", case]
if os.geteuid() == 0:
    # root reads mode-000 files: run as nobody so the file is unreadable
    if not shutil.which("setpriv"):
        print("skip t0104-bad-input (root without setpriv)")
        sys.exit(t.done())
    os.chmod(t.tmp, 0o777)
    for d, dirs, files in os.walk(t.tmp):
        for x in dirs:
            os.chmod(os.path.join(d, x), 0o777)
        for x in files:
            if os.path.join(d, x) != unreadable:
                os.chmod(os.path.join(d, x), 0o644)
    cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
p = subprocess.run(cmd, capture_output=True, text=True)
t.eq("exit status 1 (completed with input errors)", p.returncode, 1)
err = p.stderr
m = t.manifest(case)
by = {i["path"]: i for i in m["inputs"]}


def status(path):
    return by.get(path, {}).get("status")


def problems(path):
    i = by.get(path, {})
    return " | ".join([i.get("error") or ""] + [x["message"] for x in i.get("problems", [])])


P = lambda rel: os.path.join(ev, rel)

# the good log: read in full, as rift dump reads it
d = subprocess.run([t.rift, "dump", "-q", "--stats", good], capture_output=True, text=True)
want = int(d.stderr.rsplit(": ", 1)[1].split()[0])
t.eq("good log read", status(P("good/Security.evtx")), "ok")
t.eq("good log: records as rift dump", by[P("good/Security.evtx")]["records"], want)
c = t.db(case)
n = c.execute("select count(*) from events where file_id = ?", (by[P("good/Security.evtx")]["id"],)).fetchone()[0]
t.eq("good log: events in case.db", n, want)

# truncated archive
tg = P("truncated.tar.gz")
t.check("truncated archive in the manifest with errors", status(tg) in ("errors", "failed"), status(tg))
t.check("truncated archive: reason in the manifest", "damaged" in problems(tg) or "truncat" in problems(tg).lower(), problems(tg))
t.check("truncated archive: path and reason on stderr", any(tg in l and "error" in l for l in err.splitlines()), err)
member = tg + "!logs/Security.evtx"
if member in by:
    # what was extracted before the cut is read, damaged or not
    t.check("truncated member recorded", status(member) in ("ok", "errors", "failed"), status(member))

# zip with ../ and absolute paths: refused, never written outside
ez = P("evil.zip")
t.eq("evil zip: status errors", status(ez), "errors")
t.check("evil zip: ../ member refused with reason", "'../evil.evtx'" in problems(ez) and ".." in problems(ez), problems(ez))
t.check("evil zip: absolute member refused with reason", "'/abs.evtx'" in problems(ez) and "absolute" in problems(ez), problems(ez))
t.check("evil zip: reasons on stderr", sum(1 for l in err.splitlines() if ez in l and "not extracted" in l) == 2, err)
t.check("evil zip: nothing written outside the extraction folder",
        not os.path.exists(os.path.join(case, "evil.evtx")) and not os.path.exists(os.path.join(t.tmp, "evil.evtx"))
        and not os.path.exists("/abs.evtx"))
t.eq("evil zip: the good member is read", status(ez + "!inner/ok.evtx"), "ok")
t.check("extraction folder removed", not [x for x in os.listdir(case) if x.startswith(".extract")], os.listdir(case))

# zero-byte, unreadable, fake
for rel, word in (("empty.evtx", "empty"), ("unreadable.evtx", "permission denied"), ("fake.evtx", "content is not evtx")):
    pth = P(rel)
    t.eq("%s: failed in the manifest" % rel, status(pth), "failed")
    t.check("%s: reason in the manifest" % rel, word in problems(pth).lower(), problems(pth))
    t.check("%s: path and reason on stderr" % rel,
            any(pth in l and word in l.lower() for l in err.splitlines()), err)

t.check("summary names the inputs with errors", "inputs with errors" in p.stdout, p.stdout)
total = c.execute("select count(*) from events").fetchone()[0]
t.check("events of the readable inputs are in the case", total >= want, total)
sys.exit(t.done())
