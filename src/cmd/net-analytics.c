/*
 * net-analytics.c - rift net summary | rare | beacons | hosts: the
 * analytics of src/detect/netan.h over the events of evidence files.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/net-int.h"
#include "core/rtime.h"
#include "detect/netan.h"
#include "net/pcap.h"
#include "out/evjson.h"

#define AN_OPTS                                                             \
  "  -j, --jsonl        one JSON object per line\n"                         \
  "  -r, --rules DIR    read DIR/net/thresholds.tsv and browsers.tsv over\n" \
  "                     the built-in rules (default: $RIFT_RULES if set)\n" \
  "  -q, --quiet        do not report damaged input on stderr\n"           \
  "  -h, --help         this help\n"

struct an {
  struct net_run run;
  struct rift_netcfg cfg;
  struct rift_netmodel model;
  int jsonl;
  size_t top;
  char **files;
  int nfiles;
  const char *ind[64];
  int nind;
  uint64_t nfindings;
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
  if(ts == RIFT_TIME_NONE || ts == INT64_MAX || ts == INT64_MIN) {
    rift_buf_adds(b, "-");
    return;
  }
  n = rift_time_fmt(t, ts, frac);
  rift_buf_add(b, t, n);
}

static void json_time(struct rift_buf *b, int64_t ts)
{
  if(ts == RIFT_TIME_NONE || ts == INT64_MAX || ts == INT64_MIN) {
    rift_buf_adds(b, "null");
    return;
  }
  rift_buf_addch(b, '"');
  add_time(b, ts, 6);
  rift_buf_addch(b, '"');
}

static void finish(struct an *a);

/* Parse the options (kind: 0 summary, 1 rare, 2 beacons, 3 hosts), read
 * the files into the model, then run report(). */
static int analytics(int argc, char **argv, const char *usage, int kind,
                     rift_err (*report)(struct an *a))
{
  static const struct option opts[] = {
    { "jsonl", no_argument, NULL, 'j' },
    { "rules", required_argument, NULL, 'r' },
    { "quiet", no_argument, NULL, 'q' },
    { "top", required_argument, NULL, 't' },
    { "match", required_argument, NULL, 'm' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct an *a = calloc(1, sizeof(*a));
  const char *rules = getenv("RIFT_RULES");
  struct rift_diag d;
  int c, status;
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
    case 'q':
      a->run.quiet = 1;
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
    default:
      usage_die(usage, "unknown option");
    }
  }
  if(kind == 3 && !a->nind)
    usage_die(usage, "no --match IP|DOMAIN|JA3|JA4 given");
  if(optind >= argc)
    usage_die(usage, "no input files");
  diag_stderr(&d, rules);
  rift_netcfg_load(&a->cfg, rules, &d);
  rift_netmodel_init(&a->model, &a->cfg);
  rift_buf_init(&a->run.out, RIFT_BUF_MAX_OUTPUT);
  a->run.sink.batch = model_batch;
  a->run.sink.ctx = a;
  a->run.flags = RIFT_PCAP_X509;
  a->files = argv + optind;
  a->nfiles = argc - optind;
  status = net_run(&a->run, a->nfiles, a->files);
  if(!a->model.err) {
    rift_err rc = report(a);
    if(rc && rc != RIFT_IO) {
      fprintf(stderr, "rift: net: %s\n", rift_strerror(rc));
      status = RIFT_EXIT_DIE;
    }
  }
  else {
    fprintf(stderr, "rift: net: %s\n", rift_strerror(a->model.err));
    status = RIFT_EXIT_DIE;
  }
  finish(a);
  free(a);
  return status;
}

static void finish(struct an *a)
{
  net_out_flush(&a->run);
  rift_buf_release(&a->run.out);
  rift_netmodel_release(&a->model);
  rift_netcfg_release(&a->cfg);
}

/* --- findings out ------------------------------------------------------- */

static rift_err finding_out(void *ctx, const struct rift_finding *f)
{
  struct an *a = ctx;
  struct rift_buf *b = &a->run.out;
  size_t i;
  a->nfindings++;
  if(!a->jsonl) {
    add_time(b, f->ts, 0);
    rift_buf_addf(b, " %-6s %-19s %s\n", rift_level_name(f->level), f->source,
                  f->message ? f->message : "");
    net_out_flush(&a->run);
    return a->run.write_failed ? RIFT_IO : RIFT_OK;
  }
  rift_buf_adds(b, "{\"@timestamp\":");
  json_time(b, f->ts);
  rift_buf_adds(b, ",\"event.kind\":\"alert\",\"event.end\":");
  json_time(b, f->ts_end);
  rift_buf_adds(b, ",\"rift.finding.source\":");
  rift_evjson_str(b, f->source, strlen(f->source));
  rift_buf_adds(b, ",\"rule.id\":");
  rift_evjson_str(b, f->rule_id, strlen(f->rule_id));
  rift_buf_adds(b, ",\"rule.name\":");
  rift_evjson_str(b, f->rule_name, strlen(f->rule_name));
  rift_buf_addf(b, ",\"rift.finding.level\":\"%s\"", rift_level_name(f->level));
  if(f->techniques) {
    rift_buf_adds(b, ",\"threat.technique.id\":[");
    for(i = 0; f->techniques[i]; i++)
      rift_buf_addf(b, "%s\"%s\"", i ? "," : "", f->techniques[i]);
    rift_buf_addch(b, ']');
  }
  if(f->host) {
    rift_buf_adds(b, ",\"host.name\":");
    rift_evjson_str(b, f->host, strlen(f->host));
  }
  if(f->source_ip) {
    rift_buf_adds(b, ",\"source.ip\":");
    rift_evjson_str(b, f->source_ip, strlen(f->source_ip));
  }
  if(f->destination_ip) {
    rift_buf_adds(b, ",\"destination.ip\":");
    rift_evjson_str(b, f->destination_ip, strlen(f->destination_ip));
  }
  rift_buf_adds(b, ",\"message\":");
  rift_evjson_str(b, f->message, strlen(f->message));
  if(f->details_json) {
    rift_buf_adds(b, ",\"rift.finding.details\":");
    rift_buf_adds(b, f->details_json);
  }
  rift_buf_adds(b, ",\"rift.finding.refs\":[");
  for(i = 0; i < f->nrefs; i++) {
    const struct rift_event_ref *r = &f->refs[i];
    const char *path = r->file_id < (uint32_t)a->nfiles ? a->files[r->file_id]
                                                        : "";
    rift_buf_addf(b, "%s{\"log.file.path\":", i ? "," : "");
    rift_evjson_str(b, path, strlen(path));
    rift_buf_addf(b, ",\"offset\":%llu,\"record_id\":%llu,\"@timestamp\":",
                  (unsigned long long)r->offset,
                  (unsigned long long)r->record_id);
    json_time(b, r->ts);
    rift_buf_addch(b, '}');
  }
  rift_buf_adds(b, "]}\n");
  net_out_flush(&a->run);
  return b->err ? b->err : a->run.write_failed ? RIFT_IO : RIFT_OK;
}

static rift_err report_rare(struct an *a)
{
  struct rift_finding_sink sink = { finding_out, a };
  return rift_net_rare(&a->model, &sink);
}

int net_rare(int argc, char **argv)
{
  static const char usage[] =
    "usage: rift net rare [options] FILE...\n"
    "\n"
    "Rare external destinations: addresses that few internal hosts\n"
    "contacted, scored higher when first seen late in the evidence, when\n"
    "their certificate is self-signed, when the TLS client is not a known\n"
    "browser and when no DNS name points at them.  Then each TLS client\n"
    "fingerprint that is no browser's and reached several rare\n"
    "destinations (the pattern of Emotet-like malware).  Thresholds,\n"
    "weights, internal networks and browser fingerprints: rules/net/.\n"
    "\n" AN_OPTS;
  return analytics(argc, argv, usage, 1, report_rare);
}

static rift_err report_beacons(struct an *a)
{
  struct rift_finding_sink sink = { finding_out, a };
  return rift_net_beacons(&a->model, &sink);
}

int net_beacons(int argc, char **argv)
{
  static const char usage[] =
    "usage: rift net beacons [options] FILE...\n"
    "\n"
    "Beacons: connections from an internal host to an external address at\n"
    "regular intervals with regular sizes, scored in [0,1] as RITA does\n"
    "(interval skew and dispersion, size skew, dispersion and smallness,\n"
    "share of the time span covered); and long connections.\n"
    "\n" AN_OPTS;
  return analytics(argc, argv, usage, 2, report_beacons);
}

static const char *const table_names[] = { "protocol", "host", "port" };

static rift_err sum_row(void *ctx, const struct rift_sumrow *r)
{
  struct an *a = ctx;
  struct rift_buf *b = &a->run.out;
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
    net_out_flush(&a->run);
  return b->err;
}

static rift_err report_summary(struct an *a)
{
  struct rift_buf *b = &a->run.out;
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
    "usage: rift net summary [options] FILE...\n"
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
  struct rift_buf *b = &a->run.out;
  a->nfindings++;
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
    "usage: rift net hosts -m IP|DOMAIN|JA3|JA4 [-m ...] [options] FILE...\n"
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
