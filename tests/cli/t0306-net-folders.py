"""rift net over folders and archives: the captures of a folder, given as
the folder, as the list of its files in name order, or packed in a zip,
give the same handshakes, flows and DNS (paths aside); files that are not
network evidence inside a folder are passed over, one named directly is an
error; nothing is left in $TMPDIR."""
import os
import sys
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from casetest import T

t = T("t0306-net-folders")
if not t.have("pcap/foxio_ja4"):
    sys.exit(t.done())
src = t.path("pcap/foxio_ja4")
caps = sorted(f for f in os.listdir(src) if f.endswith((".pcap", ".pcapng")))
folder = os.path.join(t.tmp, "caps")
os.makedirs(folder)
for f in caps:
    with open(os.path.join(folder, f), "wb") as o:
        o.write(open(os.path.join(src, f), "rb").read())
open(os.path.join(folder, "README.md"), "w").write("notes, not a capture\n")
z = os.path.join(t.tmp, "caps.zip")
with zipfile.ZipFile(z, "w") as zf:
    for f in sorted(os.listdir(folder)):
        zf.write(os.path.join(folder, f), "caps/" + f)
tmpd = os.path.join(t.tmp, "tmpdir")
os.makedirs(tmpd)
env = dict(os.environ, TMPDIR=tmpd)
files = [os.path.join(folder, f) for f in caps]
for verb in ("tls", "flows", "dns"):
    listed = t.run("net", verb, "--jsonl", "-q", *files)
    walked = t.run("net", verb, "--jsonl", "-q", folder)
    packed = t.run("net", verb, "--jsonl", "-q", z, env=env)
    n = listed.stdout.count("\n")
    t.check("net %s: the folder gives what its %d captures give (%d records)" % (verb, len(files), n),
            n > 0 and walked.returncode == 0 and walked.stdout == listed.stdout,
            "exit %d, %s" % (walked.returncode, walked.stderr[-300:]))
    t.check("net %s: the zip gives the same (paths aside)" % verb,
            packed.returncode == 0 and packed.stdout.replace(z + "!caps/", folder + "/") == listed.stdout,
            "exit %d, %s" % (packed.returncode, packed.stderr[-300:]))
t.eq("nothing left in $TMPDIR", os.listdir(tmpd), [])
# no writable $TMPDIR: folders are still read, an archive is reported
bad = dict(os.environ, TMPDIR=os.path.join(t.tmp, "missing"))
p = t.run("net", "tls", "--jsonl", "-q", folder, env=bad)
t.check("no $TMPDIR: the folder is still read", p.returncode == 0 and p.stdout.count("\n") > 0, p.stderr[-300:])
p = t.run("net", "tls", "--jsonl", "-q", z, env=bad)
t.check("no $TMPDIR: the zip is reported as not extracted (exit 1)",
        p.returncode == 1 and "no temporary folder" in p.stderr, "exit %d: %s" % (p.returncode, p.stderr[-300:]))
p = t.run("net", "tls", "-q", os.path.join(folder, "README.md"))
t.check("a file named directly that is not network evidence is an error",
        p.returncode != 0 and "not a capture" in p.stderr, p.stderr)
sys.exit(t.done())
