#!/usr/bin/env bash
# The case report (CASE/report.html, written by triage and by rift report):
# well-formed HTML with no scripts or external references, totals equal to
# the case database's, every finding of the case counted and listed with
# the evidence file of its events.
set -u
RIFT=$1
DATA=${RIFT_DATA:-../shared/data}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$RIFT" triage -q -o "$T/case" -r "$DATA/sigma/rules/windows/builtin/security" \
  "$DATA/evtx/DeepBlueCLI" >/dev/null 2>&1
[ -s "$T/case/report.html" ] && echo "ok   triage wrote report.html" || echo "FAIL triage wrote no report.html"
[ -s "$T/case/timeline.csv" ] && echo "ok   triage wrote timeline.csv" || echo "FAIL triage wrote no timeline.csv"
python3 - "$T/case" <<'PY'
import html.parser, re, sqlite3, sys
case = sys.argv[1]
page = open(case + '/report.html', encoding='utf-8').read()
db = sqlite3.connect(case + '/case.db')
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.bad = []; self.tags = []
    def handle_starttag(self, t, a):
        self.tags.append(t)
        if t in ('script', 'link', 'img', 'iframe'): self.bad.append(t)
        if t not in ('meta', 'br'): self.stack.append(t)
    def handle_endtag(self, t):
        if not self.stack or self.stack.pop() != t: self.bad.append('/' + t)
p = P(); p.feed(page)
ok = not p.bad and not p.stack
print(('ok  ' if ok else 'FAIL') + ' report is well-formed, self-contained HTML' + ('' if ok else ': %r' % p.bad[:5]))
events = db.execute('select count(*) from events').fetchone()[0]
findings = db.execute('select count(*) from findings').fetchone()[0]
m = re.search(r'<td>events</td><td>(\d+) from', page)
print(('ok  ' if m and int(m.group(1)) == events else 'FAIL') + ' report events %s, case.db %d' % (m and m.group(1), events))
m = re.search(r'<td>findings</td><td>(\d+):', page)
print(('ok  ' if m and int(m.group(1)) == findings and findings > 0 else 'FAIL') + ' report findings %s, case.db %d' % (m and m.group(1), findings))
rows = re.findall(r'<tr class="(?:critical|high|medium|low|info)"><td>\d{4}-.*?</tr>', page, re.S)
with_ev = [r for r in rows if re.search(r'\.evtx</span> #\d+', r)]
print(('ok  ' if len(rows) == min(findings, 2000) and len(with_ev) == len(rows) else 'FAIL') +
      ' %d findings listed, %d name their evidence file and record' % (len(rows), len(with_ev)))
PY
"$RIFT" report "$T/case" -o "$T/again.html" 2>/dev/null
if cmp -s <(sed '/generated/d' "$T/case/report.html") <(sed '/generated/d' "$T/again.html"); then
  echo "ok   rift report rewrites the same report"
else
  echo "FAIL rift report differs from the triage's report"
fi
