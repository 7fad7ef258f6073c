/*
 * logons.c - rift logons: the logon table (who, from where, how, how
 * often, first and last seen) and the logon findings.
 */
#include <getopt.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "cmd/evsrc.h"
#include "core/rtime.h"
#include "detect/endpoint.h"

static const char usage_str[] =
  "usage: rift logons [options] EVIDENCE... | CASE\n"
  "\n"
  "Logons in the Windows event logs of every EVIDENCE file, folder or\n"
  "archive (zip, 7z, tar...; extracted under $TMPDIR), by\n"
  "host, account, source address and logon type: successes, failures,\n"
  "first and last seen (Security 4624 4625 4634 4647 4648 4672 4776 4768\n"
  "4769 4771 4778 4779, RDP 1149 21 22 23 24 25), then the findings of\n"
  "the logon detectors: brute force, password spray (failed logons or\n"
  "explicit credentials), success after many failures, explicit\n"
  "credentials, pass-the-hash.  Thresholds: rules/endpoint.\n"
  "\n"
  "  -j, --jsonl        JSON lines: {\"record\":\"logon\",...} per row, then\n"
  "                     {\"record\":\"finding\",...} per finding\n"
  "  -u, --user U       only rows of accounts containing U\n"
  "  -H, --host H       only rows of this host\n"
  "      --no-findings  the table only\n"
  "      --rules DIR    endpoint rules (default: built-in)\n"
  "  -t, --threads N    parser threads (default: one per CPU)\n"
  "  -q, --quiet        do not report damaged input on stderr\n"
  "  -h, --help         this help\n";

static void jkv(struct rift_buf *b, const char *k, const char *v)
{
  rift_buf_addf(b, ",\"%s\":", k);
  if(!v) {
    rift_buf_adds(b, "null");
    return;
  }
  rift_buf_addch(b, '"');
  rift_buf_add_json(b, v, strlen(v));
  rift_buf_addch(b, '"');
}

static void jtime(struct rift_buf *b, const char *k, int64_t ts)
{
  char t[RIFT_TIME_FMT_MAX];
  rift_buf_addf(b, ",\"%s\":", k);
  if(ts == RIFT_TIME_NONE) {
    rift_buf_adds(b, "null");
    return;
  }
  rift_buf_addch(b, '"');
  rift_buf_add(b, t, rift_time_fmt(t, ts, 6));
  rift_buf_addch(b, '"');
}

static void row_json(struct rift_buf *b, const struct rift_logon_row *r,
                     const struct evsrc *src)
{
  unsigned i;
  rift_buf_adds(b, "{\"record\":\"logon\"");
  jkv(b, "host", r->host);
  jkv(b, "user", r->user);
  jkv(b, "source_ip", r->source_ip);
  jkv(b, "workstation", r->workstation);
  rift_buf_adds(b, ",\"logon_type\":");
  if(r->logon_type < 0)
    rift_buf_adds(b, "null");
  else
    rift_buf_add_u64(b, (uint64_t)r->logon_type);
  jkv(b, "logon_type_name", rift_logon_type_name(r->logon_type));
  jkv(b, "kind", rift_logon_kind_name(r->kind));
  jkv(b, "subject", r->subject);
  jkv(b, "target_server", r->target_server);
  jkv(b, "auth", r->auth);
  jkv(b, "status", r->status);
  rift_buf_adds(b, ",\"success\":");
  rift_buf_add_u64(b, r->success);
  rift_buf_adds(b, ",\"failure\":");
  rift_buf_add_u64(b, r->failure);
  jtime(b, "first_seen", r->first);
  jtime(b, "last_seen", r->last);
  rift_buf_adds(b, ",\"event_ids\":[");
  for(i = 0; i < r->nids; i++) {
    if(i)
      rift_buf_addch(b, ',');
    rift_buf_add_u64(b, r->ids[i]);
  }
  rift_buf_adds(b, "]");
  jkv(b, "first_file", evsrc_path(src, r->first_ref.file_id));
  rift_buf_adds(b, ",\"first_record_id\":");
  rift_buf_add_u64(b, r->first_ref.record_id);
  rift_buf_adds(b, "}\n");
}

static void cell(struct rift_buf *b, const char *s, int w)
{
  int n = s ? (int)strlen(s) : 1;
  rift_buf_adds(b, s ? s : "-");
  rift_buf_addch(b, ' ');
  for(; n < w; n++)
    rift_buf_addch(b, ' ');
}

static void row_text(struct rift_buf *b, const struct rift_logon_row *r)
{
  char t1[RIFT_TIME_FMT_MAX], t2[RIFT_TIME_FMT_MAX], ty[32];
  unsigned i;
  if(r->first == RIFT_TIME_NONE)
    snprintf(t1, sizeof(t1), "?");
  else
    t1[rift_time_fmt(t1, r->first, 0)] = 0;
  if(r->last == RIFT_TIME_NONE)
    snprintf(t2, sizeof(t2), "?");
  else
    t2[rift_time_fmt(t2, r->last, 0)] = 0;
  if(r->logon_type >= 0)
    snprintf(ty, sizeof(ty), "%d %s", r->logon_type,
             rift_logon_type_name(r->logon_type)
               ? rift_logon_type_name(r->logon_type) : "");
  else
    snprintf(ty, sizeof(ty), "-");
  cell(b, r->host, 20);
  cell(b, r->user, 28);
  cell(b, r->source_ip ? r->source_ip : r->workstation, 16);
  cell(b, ty, 20);
  cell(b, rift_logon_kind_name(r->kind), 20);
  rift_buf_addf(b, "%6llu %6llu  %s  %s  ",
                (unsigned long long)r->success,
                (unsigned long long)r->failure, t1, t2);
  for(i = 0; i < r->nids; i++)
    rift_buf_addf(b, "%s%u", i ? "," : "", r->ids[i]);
  if(r->subject)
    rift_buf_addf(b, "  by %s", r->subject);
  if(r->status)
    rift_buf_addf(b, "  status %s", r->status);
  rift_buf_addch(b, '\n');
}

int cmd_logons(int argc, char **argv)
{
  static const struct option lopts[] = {
    { "jsonl", no_argument, NULL, 'j' },
    { "user", required_argument, NULL, 'u' },
    { "host", required_argument, NULL, 'H' },
    { "no-findings", no_argument, NULL, 'N' },
    { "rules", required_argument, NULL, 'R' },
    { "threads", required_argument, NULL, 't' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct evsrc src;
  struct rift_endpoint ep;
  struct rift_eprules *rules = NULL;
  struct rift_finding_sink sink;
  struct findout out;
  const char *rdir = NULL, *user = NULL, *host = NULL;
  int c, jsonl = 0, findings = 1, status;
  uint32_t i;
  rift_err rc;

  memset(&src, 0, sizeof(src));
  help_if_asked(argc, argv, usage_str);
  while((c = getopt_long(argc, argv, "ju:H:t:qh", lopts, NULL)) != -1) {
    switch(c) {
    case 'j': jsonl = 1; break;
    case 'u': user = optarg; break;
    case 'H': host = optarg; break;
    case 'N': findings = 0; break;
    case 'R': rdir = optarg; break;
    case 't': src.threads = (unsigned)parse_count("--threads", optarg, 256);
      break;
    case 'q': src.quiet = 1; break;
    default: usage_die(usage_str, "unknown option");
    }
  }
  if(optind >= argc)
    usage_die(usage_str, "no evidence given");
  evsrc_endpoint(&src, argv + optind, argc - optind, 1, rdir, RIFT_EP_LOGONS,
                 &rules, &ep);
  findout_init(&out, &src, jsonl);
  out.record = "finding";
  findout_sink(&out, &sink);
  /* findings are collected first and printed after the table */
  {
    struct findout held;
    struct rift_finding_sink hs;
    findout_init(&held, &src, jsonl);
    held.record = "finding";
    findout_sink(&held, &hs);
    rc = rift_endpoint_finish(&ep, findings ? &hs : NULL);
    if(rc)
      die("%s", rift_strerror(rc));
    endpoint_report_limits(&ep);
    if(!jsonl) {
      rift_buf_adds(&out.b, "HOST                 USER                         "
                    "SOURCE           TYPE                 KIND           "
                    "         OK   FAIL  FIRST                 LAST        "
                    "          EVENTS\n");
    }
    for(i = 0; i < ep.lg.nrows; i++) {
      const struct rift_logon_row *r = &ep.lg.rows[ep.lg.order[i]];
      if(user && (!r->user || !strcasestr(r->user, user)))
        continue;
      if(host && (!r->host || strcasecmp(r->host, host)))
        continue;
      if(jsonl)
        row_json(&out.b, r, &src);
      else
        row_text(&out.b, r);
      if(out.b.len > (1u << 20))
        findout_flush(&out);
    }
    if(findings && !jsonl)
      rift_buf_addf(&out.b, "\n%llu finding%s\n",
                    (unsigned long long)held.n, held.n == 1 ? "" : "s");
    findout_flush(&out);
    findout_release(&held);
  }
  findout_release(&out);
  status = src.input_errors ? RIFT_EXIT_INPUT_ERRORS : RIFT_EXIT_OK;
  rift_endpoint_release(&ep);
  rift_eprules_free(&rules);
  evsrc_release(&src);
  return status;
}
