#!/usr/bin/env bash
# Sigma and the case: the same rules find the same events whether they run
# over evidence files (rift hunt EVIDENCE), during a triage (rift triage
# -r, findings stored in case.db) or over a finished case (rift hunt CASE,
# from the stored events).  Hunting a case twice replaces its Sigma
# findings; every stored finding links to its event in the case.  The
# case is matched on several threads with the same output as on one.
RIFT=$1
D=${RIFT_DATA:-}
R=$D/sigma/rules/windows
E1=$D/evtx/velociraptor
E2=$D/evtx/DeepBlueCLI
[ -d "$R" ] && [ -d "$E1" ] && [ -d "$E2" ] || { echo "skip sigma case (no sample data)"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$RIFT" hunt -q --jsonl -r "$R" "$E1" "$E2" > "$T/files.jsonl"
"$RIFT" triage -q -r "$R" "$E1" "$E2" -o "$T/case" || true
"$RIFT" hunt -q --jsonl -r "$R" "$T/case" > "$T/case1.jsonl"
"$RIFT" hunt -q --jsonl -r "$R" "$T/case" > "$T/case2.jsonl"
"$RIFT" hunt -q --jsonl --threads 1 -r "$R" "$T/case" > "$T/case-t1.jsonl"
"$RIFT" hunt -q --jsonl --threads 3 -r "$R" "$T/case" > "$T/case-t3.jsonl"
# Velociraptor's rule through a triage: its published row
"$RIFT" triage -q -r "$E1/evtx/proc_creation_win_whoami_as_system.yml" "$E1" -o "$T/vr" || true
python3 - "$T" "$D/velociraptor_testcases/sigma.out.yaml" <<'PY'
import json, os, sqlite3, sys
t, vr_out = sys.argv[1], sys.argv[2]
def jsonl(name):
    return [json.loads(l) for l in open(os.path.join(t, name)) if l.strip()]
def key(rule, path, rec):
    return (rule, os.path.basename(path), rec)
files = sorted(key(h['rule']['id'], h['log']['file']['path'], h['rift']['record_id']) for h in jsonl('files.jsonl'))
case1 = sorted(key(h['rule']['id'], h['log']['file']['path'], h['rift']['record_id']) for h in jsonl('case1.jsonl'))
db = sqlite3.connect(os.path.join(t, 'case', 'case.db'))
stored = sorted(key(r, p, n) for r, p, n in db.execute(
    "SELECT f.rule_id, i.path, fe.record_id FROM findings f JOIN finding_events fe "
    "ON fe.finding_id = f.id JOIN inputs i ON i.id = fe.file_id WHERE f.source = 'sigma'"))
ok = True
def check(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + "sigma case: " + what)
    ok &= cond
check(len(files) > 100, "%d detections over the evidence files" % len(files))
check(stored == files, "triage -r stores the same %d detections (rule, file, record) as rift hunt over the files (%d)" % (len(stored), len(files)))
check(case1 == files, "rift hunt CASE finds the same %d detections from the stored events" % len(case1))
t1, t3 = open(os.path.join(t, 'case-t1.jsonl')).read(), open(os.path.join(t, 'case-t3.jsonl')).read()
check(t1 == t3 and t1.count('\n') == len(files), "rift hunt CASE prints the same %d findings in the same order on 1 and 3 threads" % t1.count('\n'))
n_after = db.execute("SELECT count(*) FROM findings WHERE source = 'sigma'").fetchone()[0]
check(n_after == len(files), "hunting the case twice replaces its findings (%d stored, not %d)" % (n_after, 2 * len(files)))
unlinked = db.execute("SELECT count(*) FROM finding_events WHERE event_id IS NULL").fetchone()[0]
check(unlinked == 0, "every finding links to its event in the case (%d unlinked)" % unlinked)
out = open(vr_out).read()
want = sorted(r["System"]["EventRecordID"] for r in json.loads(out[out.index("Output:") + 7:]))
vr = sqlite3.connect(os.path.join(t, 'vr', 'case.db'))
got = sorted(r[0] for r in vr.execute("SELECT fe.record_id FROM findings f JOIN finding_events fe "
                                      "ON fe.finding_id = f.id WHERE f.source = 'sigma'"))
check(got == want, "Velociraptor's whoami rule in a triage: records %s (published %s)" % (got, want))
PY
