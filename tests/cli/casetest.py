"""Helpers for the case CLI tests (t0100-t0199).

Each test is a small script that runs the rift binary given as argv[1]
on sample evidence (RIFT_DATA, default ../shared/data) or on fixtures it
builds at run time in a temporary folder, and prints one line per check:
"ok ...", "FAIL ..." or "skip ..." (tests/run.sh counts them).
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile


class T:
    def __init__(self, name):
        self.name = name
        self.rift = os.path.abspath(sys.argv[1])
        self.data = os.environ.get("RIFT_DATA") or os.path.join(
            os.path.dirname(__file__), "..", "..", "..", "shared", "data")
        self.data = os.path.abspath(self.data)
        self.tmp = tempfile.mkdtemp(prefix="rift-%s-" % name)
        self.failed = 0

    def path(self, rel):
        return os.path.join(self.data, rel)

    def have(self, *rels):
        for r in rels:
            if not os.path.exists(self.path(r)):
                print("skip %s (sample %s not in the collection)" % (self.name, r))
                return False
        return True

    def check(self, what, cond, detail=""):
        if cond:
            print("ok   %s: %s" % (self.name, what))
        else:
            self.failed += 1
            print("FAIL %s: %s%s" % (self.name, what, (" -- " + str(detail)) if detail else ""))
        return cond

    def eq(self, what, got, want):
        return self.check(what, got == want, "got %r, want %r" % (got, want))

    def run(self, *args, check_exit=None, **kw):
        p = subprocess.run([self.rift] + [str(a) for a in args],
                           capture_output=True, text=True, **kw)
        if check_exit is not None and p.returncode != check_exit:
            self.check("rift %s exits %d" % (args[0], check_exit), False,
                       "exit %d, stderr: %s" % (p.returncode, p.stderr[-2000:]))
        return p

    def triage(self, case, *evidence, extra=(), want_exit=None):
        p = self.run("triage", "-q", *extra, *evidence, "-o", case)
        if want_exit is not None:
            self.eq("triage exit status", p.returncode, want_exit)
        return p

    def db(self, case):
        c = sqlite3.connect(os.path.join(case, "case.db"))
        c.row_factory = sqlite3.Row
        return c

    def manifest(self, case):
        with open(os.path.join(case, "manifest.json")) as f:
            return json.load(f)

    def jsonl(self, text):
        return [json.loads(l) for l in text.splitlines() if l.strip()]

    def done(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
        return 0
