/*
 * net-analytics.c - rift net summary | rare | beacons | hosts: the
 * analytics of src/detect/netan.h over the events of evidence files.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/evsrc.h"
#include "cmd/net-int.h"
#include "core/rtime.h"
#include "detect/netan.h"
#include "out/evjson.h"

#define AN_OPTS                                                             \
  "  -j, --jsonl        one JSON object per line\n"                         \
  "  -r, --rules DIR    read DIR/net/thresholds.tsv and browsers.tsv over\n" \
  "                     the built-in rules (default: $RIFT_RULES if set)\n" \
  "  -t, --threads N    parser threads (default: one per CPU)\n"           \
  "  -q, --quiet        do not report damaged input on stderr\n"           \
  "  -h, --help         this help\n"                                        \
  "\n"                                                                       \
  "EVIDENCE: captures, Zeek logs, eve.json, or folders or archives of\n"   \
  "them (zip, 7z, tar...; extracted under $TMPDIR); or a CASE (a folder\n" \
  "made by rift triage), read alone.\n"

#define SAVE_OPT                                                            \
  "      --no-save      do not save the findings in the CASE\n"

struct an {
  struct evsrc src;
  struct rift_netcfg cfg;
  struct rift_netmodel model;
  struct rift_buf out;
  int jsonl, nosave, failed;
  size_t top;
  const char *ind[64];
  int nind;
};

static rift_err model_batch(void *ctx, struct rift_batch *b)
{
  struct an *a = ctx;
  size_t i;
  for(i = 0; i < b->n; i++) {
    rift_err rc = rift_netmodel_add(&a->model, &b->ev[i]);
    if(rc)
      return rc;
  }
  return RIFT_OK;
}

static void add_time(struct rift_buf *b, int64_t ts, int frac)
{
  char t[RIFT_TIME_FMT_MAX];
  size_t n;
  if(ts == RIFT_TIME_NONE) {
    rift_buf_adds(b, "-");
    return;
  }
  n = rift_time_fmt(t, ts, frac);
  rift_buf_add(b, t, n);
}

static void json_time(struct rift_buf *b, int64_t ts)
{
  if(ts == RIFT_TIME_NONE) {
    rift_buf_adds(b, "null");
    return;
  }
  rift_buf_addch(b, '"');
  add_time(b, ts, 6);
  rift_buf_addch(b, '"');
}

static void out_flush(struct an *a)
{
  if(a->out.len && !a->failed && write_all(1, a->out.buf, a->out.len))
    a->failed = 1;
  rift_buf_reset(&a->out);
}

/* Parse the options (kind: 0 summary, 1 rare, 2 beacons, 3 hosts), read
 * the evidence or the case into the model, then run report(). */
static int analytics(int argc, char **argv, const char *usage, int kind,
                     rift_err (*report)(struct an *a))
{
  static const struct option opts[] = {
    { "jsonl", no_argument, NULL, 'j' },
    { "rules", required_argument, NULL, 'r' },
    { "threads", required_argument, NULL, 'T' },
    { "quiet", no_argument, NULL, 'q' },
    { "top", required_argument, NULL, 't' },
    { "match", required_argument, NULL, 'm' },
    { "no-save", no_argument, NULL, 'N' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct an *a = calloc(1, sizeof(*a));
  const char *rules = getenv("RIFT_RULES");
  struct rift_diag d;
  int c, status;
  rift_err rc;
  if(!a)
    die("out of memory");
  help_if_asked(argc, argv, usage);
  a->top = kind == 0 ? 20 : 0;
  optind = 1;
  while((c = getopt_long(argc, argv, "jr:qt:m:h", opts, NULL)) != -1) {
    switch(c) {
    case 'j':
      a->jsonl = 1;
      break;
    case 'r':
      rules = optarg;
      break;
    case 'T':
      a->src.threads = (unsigned)parse_count("--threads", optarg, 256);
      break;
    case 'q':
      a->src.quiet = 1;
      break;
    case 't':
      if(kind != 0)
        usage_die(usage, "--top applies to 'rift net summary' only");
      a->top = parse_count("--top", optarg, 1000000);
      break;
    case 'm':
      if(kind != 3)
        usage_die(usage, "--match applies to 'rift net hosts' only");
      if(a->nind == 64)
        usage_die(usage, "at most 64 --match values");
      a->ind[a->nind++] = optarg;
      break;
    case 'N':
      if(kind != 1 && kind != 2)
        usage_die(usage, "--no-save applies to rare and beacons");
      a->nosave = 1;
      break;
    default:
      usage_die(usage, "unknown option");
    }
  }
  if(kind == 3 && !a->nind)
    usage_die(usage, "no --match IP|DOMAIN|JA3|JA4 given");
  if(optind >= argc)
    usage_die(usage, "no evidence given");
  diag_stderr(&d, rules);
  rift_netcfg_load(&a->cfg, rules, &d);
  rift_netmodel_init(&a->model, &a->cfg);
  rift_buf_init(&a->out, RIFT_BUF_MAX_OUTPUT);
  rc = evsrc_read(&a->src, argv + optind, argc - optind, model_batch, a);
  status = a->src.input_errors ? RIFT_EXIT_INPUT_ERRORS : RIFT_EXIT_OK;
  if(!rc)
    rc = a->model.err;
  if(!rc)
    rc = report(a);
  out_flush(a);
  if(rc && rc != RIFT_IO) {
    fprintf(stderr, "rift: net: %s\n", rift_strerror(rc));
    status = RIFT_EXIT_DIE;
  }
  rift_buf_release(&a->out);
  rift_netmodel_release(&a->model);
  rift_netcfg_release(&a->cfg);
  evsrc_release(&a->src);
  free(a);
  return status;
}

/* Findings: printed like every analytics command's (findout) and, over a
 * case, saved in it, replacing an earlier run's of the same detectors
 * (evsave). */
static rift_err findings(struct an *a, const char *source,
                         rift_err (*run)(struct rift_netmodel *m,
                                         const struct rift_finding_sink *s))
{
  struct findout out;
  struct rift_finding_sink shown, sink;
  struct evsave *save = NULL;
  rift_err rc;
  findout_init(&out, &a->src, a->jsonl);
  findout_sink(&out, &shown);
  sink = shown;
  if(!a->nosave)
    save = evsave_start(&a->src, source, &shown, &sink);
  rc = run(&a->model, &sink);
  findout_release(&out);
  evsave_finish(&save);
  return rc;
}

static rift_err report_rare(struct an *a)
{
  return findings(a, "net.rare,net.fingerprint", rift_net_rare);
}

int net_rare(int argc, char **argv)
{
  static const char usage[] =
    "usage: rift net rare [options] EVIDENCE... | CASE\n"
    "\n"
    "Rare external destinations: addresses that few internal hosts\n"
    "contacted, scored higher when first seen late in the evidence, when\n"
    "their certificate is self-signed, when the TLS client is not a known\n"
    "browser and when no DNS name points at them.  Then each TLS client\n"
    "fingerprint that is no browser's and reached several rare\n"
    "destinations (the pattern of Emotet-like malware).  Thresholds,\n"
    "weights, internal networks and browser fingerprints: rules/net/.\n"
    "Over a CASE the findings are also saved in it (once).\n"
    "\n" SAVE_OPT AN_OPTS;
  return analytics(argc, argv, usage, 1, report_rare);
}

static rift_err report_beacons(struct an *a)
{
  return findings(a, "net.beacon,net.long_connection", rift_net_beacons);
}

int net_beacons(int argc, char **argv)
{
  static const char usage[] =
    "usage: rift net beacons [options] EVIDENCE... | CASE\n"
    "\n"
    "Beacons: connections from an internal host to an external address at\n"
    "regular intervals with regular sizes, scored in [0,1] as RITA does\n"
    "(interval skew and dispersion, size skew, dispersion and smallness,\n"
    "persistence until the end of the evidence); and long connections.\n"
    "Over a CASE the findings are also saved in it (once).\n"
    "\n" SAVE_OPT AN_OPTS;
  return analytics(argc, argv, usage, 2, report_beacons);
}

static const char *const table_names[] = { "protocol", "host", "port" };

static rift_err sum_row(void *ctx, const struct rift_sumrow *r)
{
  struct an *a = ctx;
  struct rift_buf *b = &a->out;
  static int last_table = -1;
  if(a->jsonl) {
    rift_buf_addf(b, "{\"rift.summary.table\":\"%s\",\"key\":",
                  table_names[r->table]);
    rift_evjson_str(b, r->key, strlen(r->key));
    rift_buf_addf(b, ",\"flows\":%llu,\"packets\":%llu,\"bytes\":%llu",
                  (unsigned long long)r->flows, (unsigned long long)r->pkts,
                  (unsigned long long)r->bytes);
    if(r->table == RIFT_SUM_HOST)
      rift_buf_addf(b, ",\"internal\":%s,\"bytes_out\":%llu,\"bytes_in\":%llu",
                    r->internal ? "true" : "false",
                    (unsigned long long)r->bytes_out,
                    (unsigned long long)r->bytes_in);
    if(r->table == RIFT_SUM_PORT)
      rift_buf_addf(b, ",\"sources\":%llu", (unsigned long long)r->sources);
    rift_buf_adds(b, ",\"first_seen\":");
    json_time(b, r->first);
    rift_buf_adds(b, ",\"last_seen\":");
    json_time(b, r->last);
    rift_buf_adds(b, "}\n");
  }
  else {
    if((int)r->table != last_table) {
      last_table = (int)r->table;
      rift_buf_addf(b, "%s== by %s\n", r->table ? "\n" : "",
                    table_names[r->table]);
      if(r->table == RIFT_SUM_HOST)
        rift_buf_addf(b, "%-40s %-8s %10s %14s %14s  %-20s %s\n", "address",
                      "side", "flows", "bytes out", "bytes in",
                      "first seen", "last seen");
      else
        rift_buf_addf(b, "%-40s %10s %12s %14s %8s  %-20s %s\n", "key",
                      "flows", "packets", "bytes",
                      r->table == RIFT_SUM_PORT ? "sources" : "", "first seen",
                      "last seen");
    }
    if(r->table == RIFT_SUM_HOST)
      rift_buf_addf(b, "%-40s %-8s %10llu %14llu %14llu  ", r->key,
                    r->internal ? "internal" : "external",
                    (unsigned long long)r->flows,
                    (unsigned long long)r->bytes_out,
                    (unsigned long long)r->bytes_in);
    else if(r->table == RIFT_SUM_PORT)
      rift_buf_addf(b, "%-40s %10llu %12llu %14llu %8llu  ", r->key,
                    (unsigned long long)r->flows, (unsigned long long)r->pkts,
                    (unsigned long long)r->bytes,
                    (unsigned long long)r->sources);
    else
      rift_buf_addf(b, "%-40s %10llu %12llu %14llu %8s  ", r->key,
                    (unsigned long long)r->flows, (unsigned long long)r->pkts,
                    (unsigned long long)r->bytes, "");
    add_time(b, r->first, 0);
    rift_buf_addch(b, ' ');
    add_time(b, r->last, 0);
    rift_buf_addch(b, '\n');
  }
  if(b->len > (1u << 20))
    out_flush(a);
  return b->err;
}

static rift_err report_summary(struct an *a)
{
  struct rift_buf *b = &a->out;
  if(!a->jsonl) {
    rift_buf_addf(b, "%llu events, %llu flows, ",
                  (unsigned long long)a->model.events,
                  (unsigned long long)a->model.flows);
    add_time(b, a->model.first, 0);
    rift_buf_adds(b, " .. ");
    add_time(b, a->model.last, 0);
    rift_buf_addch(b, '\n');
  }
  return rift_net_summary(&a->model, a->top, sum_row, a);
}

int net_summary(int argc, char **argv)
{
  static const char usage[] =
    "usage: rift net summary [options] EVIDENCE... | CASE\n"
    "\n"
    "Traffic by protocol (transport/application), by address (internal and\n"
    "external; bytes each way) and by destination port: flows, packets,\n"
    "bytes, first and last seen.  Largest first.\n"
    "\n"
    "  -t, --top N        rows per table (default 20, 0 = all)\n"
    AN_OPTS;
  return analytics(argc, argv, usage, 0, report_summary);
}

static rift_err host_row(void *ctx, const struct rift_hostrow *r)
{
  struct an *a = ctx;
  struct rift_buf *b = &a->out;
  if(a->jsonl) {
    rift_buf_adds(b, "{\"rift.indicator\":");
    rift_evjson_str(b, r->indicator, strlen(r->indicator));
    rift_buf_adds(b, ",\"host.ip\":");
    rift_evjson_str(b, r->host, strlen(r->host));
    rift_buf_adds(b, ",\"rift.seen_as\":");
    rift_evjson_str(b, r->how, strlen(r->how));
    rift_buf_adds(b, ",\"rift.peer\":");
    rift_evjson_str(b, r->peer, strlen(r->peer));
    rift_buf_adds(b, ",\"first_seen\":");
    json_time(b, r->first);
    rift_buf_adds(b, ",\"last_seen\":");
    json_time(b, r->last);
    rift_buf_addf(b, ",\"count\":%llu,\"bytes\":%llu}\n",
                  (unsigned long long)r->count, (unsigned long long)r->bytes);
  }
  else {
    rift_buf_addf(b, "%s %s %s %s ", r->indicator, r->host, r->how, r->peer);
    add_time(b, r->first, 0);
    rift_buf_adds(b, " .. ");
    add_time(b, r->last, 0);
    rift_buf_addf(b, " %llu times, %llu bytes\n", (unsigned long long)r->count,
                  (unsigned long long)r->bytes);
  }
  return b->err;
}

static rift_err report_hosts(struct an *a)
{
  int i;
  rift_err rc = RIFT_OK;
  for(i = 0; i < a->nind && !rc; i++)
    rc = rift_net_hosts(&a->model, a->ind[i], host_row, a);
  return rc;
}

int net_hosts(int argc, char **argv)
{
  static const char usage[] =
    "usage: rift net hosts -m IP|DOMAIN|JA3|JA4 [-m ...] [options] "
    "EVIDENCE... | CASE\n"
    "\n"
    "Every internal host that talked to the indicator: connections to an\n"
    "address; DNS queries, TLS SNI and HTTP Host names for a domain (and\n"
    "its subdomains), and connections to the addresses it resolved to; TLS\n"
    "clients with a JA3 or JA4 fingerprint.  When and how much.\n"
    "\n"
    "  -m, --match IND    the indicator (repeatable)\n"
    AN_OPTS;
  return analytics(argc, argv, usage, 3, report_hosts);
}
