"""Archives: the same three real logs laid out as a collection
(C/Windows/System32/winevt/Logs/...) and packed as zip, tar, tar.gz,
tar.zst, 7z (bsdtar), a zip inside a zip and a single .evtx.gz.  Each
triage must find every member (path ARCHIVE!member, container = the
archive, SHA-256 of the member's bytes), read the same events as the
plain folder, record the archive itself (format, parser), and leave no
extracted file behind."""
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0107-archives")
logs = ["evtx/velociraptor/RDPAuth_Security.evtx", "evtx/velociraptor/DE_104_system_log_cleared.evtx",
        "evtx/velociraptor/EID4769_Kerberoasting.evtx"]
if not t.have(*logs):
    sys.exit(t.done())
col = os.path.join(t.tmp, "collection")
rel = "C/Windows/System32/winevt/Logs"
os.makedirs(os.path.join(col, rel))
members = {}
for l in logs:
    dst = os.path.join(col, rel, os.path.basename(l))
    shutil.copyfile(t.path(l), dst)
    members["%s/%s" % (rel, os.path.basename(l))] = hashlib.sha256(open(dst, "rb").read()).hexdigest()

arch = os.path.join(t.tmp, "archives")
os.makedirs(arch)
with zipfile.ZipFile(os.path.join(arch, "c.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for m in members:
        z.write(os.path.join(col, m), m)
for mode, name in (("w", "c.tar"), ("w:gz", "c.tar.gz")):
    with tarfile.open(os.path.join(arch, name), mode) as tf:
        tf.add(os.path.join(col, "C"), arcname="C")
forms = {"c.zip": "zip", "c.tar": "tar", "c.tar.gz": "tar.gz"}
if shutil.which("zstd"):
    subprocess.run(["zstd", "-q", "-o", os.path.join(arch, "c.tar.zst"), os.path.join(arch, "c.tar")], check=True)
    forms["c.tar.zst"] = "tar.zst"
else:
    print("skip t0107-archives: tar.zst (no zstd)")
if shutil.which("bsdtar"):
    subprocess.run(["bsdtar", "-cf", os.path.join(arch, "c.7z"), "--format", "7zip", "-C", col, "C"], check=True)
    forms["c.7z"] = "7z"
else:
    print("skip t0107-archives: 7z (no bsdtar)")
with zipfile.ZipFile(os.path.join(arch, "outer.zip"), "w") as z:
    z.write(os.path.join(arch, "c.zip"), "inner/c.zip")
single = os.path.join(arch, "Security.evtx.gz")
with gzip.open(single, "wb") as g:
    g.write(open(t.path(logs[0]), "rb").read())

# the plain folder, for reference
ref = os.path.join(t.tmp, "ref")
t.triage(ref, col, want_exit=0)
rc = t.db(ref)
ref_events = rc.execute("select count(*) from events").fetchone()[0]
ref_per = dict(rc.execute("select substr(i.path, length(?) + 2), count(*) from events e"
                          " join inputs i on i.id = e.file_id group by 1", (col,)).fetchall())
t.eq("reference: three logs read", len(ref_per), 3)

for name, form in sorted(forms.items()):
    a = os.path.join(arch, name)
    case = os.path.join(t.tmp, "case-" + name)
    t.triage(case, a, want_exit=0)
    m = t.manifest(case)
    by = {i["path"]: i for i in m["inputs"]}
    t.eq("%s: archive recorded as %s" % (name, form), by.get(a, {}).get("format"), form)
    t.check("%s: archive parser is libarchive" % name, "libarchive" in (by.get(a, {}).get("parser") or ""))
    t.eq("%s: archive hashed" % name, by.get(a, {}).get("sha256"), hashlib.sha256(open(a, "rb").read()).hexdigest())
    for mem, sha in members.items():
        i = by.get("%s!%s" % (a, mem), {})
        t.check("%s: member %s read" % (name, os.path.basename(mem)),
                i.get("status") == "ok" and i.get("container") == a and i.get("sha256") == sha, i)
    c = t.db(case)
    t.eq("%s: same events as the folder" % name, c.execute("select count(*) from events").fetchone()[0], ref_events)
    t.check("%s: nothing left extracted" % name, not [x for x in os.listdir(case) if x.startswith(".extract")])

# a zip in a zip
case = os.path.join(t.tmp, "case-nested")
t.triage(case, os.path.join(arch, "outer.zip"), want_exit=0)
by = {i["path"]: i for i in t.manifest(case)["inputs"]}
inner = os.path.join(arch, "outer.zip") + "!inner/c.zip"
t.eq("nested: inner zip recorded", by.get(inner, {}).get("format"), "zip")
t.eq("nested: inner zip's container is the outer zip", by.get(inner, {}).get("container"), os.path.join(arch, "outer.zip"))
t.eq("nested: same events as the folder", t.db(case).execute("select count(*) from events").fetchone()[0], ref_events)

# a single compressed log
case = os.path.join(t.tmp, "case-gz")
t.triage(case, single, want_exit=0)
by = {i["path"]: i for i in t.manifest(case)["inputs"]}
t.eq("gz: recorded as gz", by.get(single, {}).get("format"), "gz")
t.eq("gz: the log inside read", by.get(single + "!Security.evtx", {}).get("records"),
     ref_per.get(rel + "/RDPAuth_Security.evtx"))
# hunt and the analytics commands walk evidence as triage does: over an
# archive they report what they report over the plain folder (paths aside),
# and leave nothing behind in $TMPDIR
tmpd = os.path.join(t.tmp, "tmpdir")
os.makedirs(tmpd)
env = dict(os.environ, TMPDIR=tmpd)
cmds = (("hunt", "--jsonl", "-q", "-r", t.path("sigma/rules/windows")), ("logons", "--jsonl", "-q"), ("endpoint", "--jsonl", "-q"),
        ("proctree", "--json", "-q"))
refs = {}
for cmd in cmds:
    p = t.run(*cmd, col)
    refs[cmd[0]] = (p.returncode, p.stdout.replace(col + "/", "<in>/"))
    t.check("%s over the folder: some output" % cmd[0], p.stdout.strip(), p.stderr[-500:])
for name, prefix in (("c.zip", "c.zip!"), ("c.tar.gz", "c.tar.gz!"), ("outer.zip", "outer.zip!inner/c.zip!")):
    a = os.path.join(arch, name)
    for cmd in cmds:
        p = t.run(*cmd, a, env=env)
        got = p.stdout.replace(os.path.join(arch, prefix), "<in>/")
        t.check("%s over %s: the same as over the folder (%d lines)" % (cmd[0], name, got.count("\n")),
                (p.returncode, got) == refs[cmd[0]],
                "exit %d, stderr %s" % (p.returncode, p.stderr[-500:]))
    t.eq("%s: nothing left in $TMPDIR" % name, os.listdir(tmpd), [])
sys.exit(t.done())
