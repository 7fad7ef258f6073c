/*
 * net.c - rift net: the network view of evidence files (captures, Zeek
 * and Suricata logs).
 *
 *   rift net tls EV...         TLS/QUIC handshakes: fingerprints, certs
 *   rift net flows EV...       connections
 *   rift net dns EV...         DNS transactions
 *   rift net http EV...        HTTP requests
 *   rift net events EV...      every network event (JSON lines)
 *   rift net summary EV...     traffic by protocol, host and port
 *   rift net rare EV...        rare external destinations, the Emotet
 *                              fingerprint pattern
 *   rift net beacons EV...     beacons and long connections
 *   rift net hosts -m IND EV...  who talked to IND (IP, domain, JA3/JA4)
 *
 * EV: captures and logs, or folders and archives of them (source/walk.h).
 *
 * Each verb reads its inputs in order through the format registry; the
 * analytics (src/detect/) take the events, so the same verbs work over a
 * case once the case store exists.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/evsrc.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "fmt/format.h"
#include "net/net.h"
#include "net/pcap.h"
#include "out/evjson.h"
#include "source/source.h"
#include "source/walk.h"

#include "cmd/net-int.h"

static const char usage_str[] =
  "usage: rift net <verb> [options] EVIDENCE...\n"
  "       rift net <verb> [options] CASE     (or: rift net CASE <verb>)\n"
  "\n"
  "The network view of captures (pcap, pcapng), Zeek logs (conn, dns, http,\n"
  "ssl, x509; TSV or JSON) and Suricata eve.json (EVIDENCE: these files,\n"
  "or folders or zip/7z/tar archives holding them, extracted under\n"
  "$TMPDIR), or of a case made by rift triage from them.\n"
  "\n"
  "verbs:\n"
  "  tls       TLS and QUIC handshakes: addresses, SNI, JA3, JA3S, JA4,\n"
  "            versions, ALPN and the server certificate\n"
  "  flows     connections: packets and bytes each way, TCP flags,\n"
  "            Community ID\n"
  "  dns       DNS queries and answers\n"
  "  http      HTTP requests and responses\n"
  "  events    every network event as JSON lines\n"
  "  summary   traffic by protocol, by host and by port\n"
  "  rare      rare external destinations and non-browser TLS clients\n"
  "            reaching many of them\n"
  "  beacons   regular connections (beacons) and long connections\n"
  "  hosts     internal hosts that talked to an IP, domain or fingerprint\n"
  "\n"
  "run 'rift net <verb> --help' for a verb's options\n";

const struct net_verb net_verbs[] = {
  { "tls", net_tls },
  { "flows", net_flows },
  { "dns", net_dns },
  { "http", net_http },
  { "events", net_events },
  { "summary", net_summary },
  { "rare", net_rare },
  { "beacons", net_beacons },
  { "hosts", net_hosts },
  { NULL, NULL },
};

int cmd_net(int argc, char **argv)
{
  int i;
  if(argc < 2) {
    fputs(usage_str, stderr);
    return RIFT_EXIT_USAGE;
  }
  if(!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
     !strcmp(argv[1], "help")) {
    fputs(usage_str, stdout);
    return RIFT_EXIT_OK;
  }
  for(i = 0; net_verbs[i].name; i++) {
    if(!strcmp(argv[1], net_verbs[i].name))
      return net_verbs[i].fn(argc - 1, argv + 1);
  }
  /* rift net CASE VERB [options]: the same as rift net VERB [options] CASE */
  if(argc >= 3) {
    char db[4096];
    for(i = 0; net_verbs[i].name; i++) {
      if(!strcmp(argv[2], net_verbs[i].name) &&
         evsrc_is_case(argv[1], db, sizeof(db))) {
        char **v = malloc((size_t)argc * sizeof(*v));
        int k, n = 0, status;
        if(!v)
          die("out of memory");
        v[n++] = argv[2];
        for(k = 3; k < argc; k++)
          v[n++] = argv[k];
        v[n++] = argv[1];
        status = net_verbs[i].fn(n, v);
        free(v);
        return status;
      }
    }
  }
  usage_die(usage_str, "'%s' is not a net verb (nor a case followed by "
            "one)", argv[1]);
}

/* --- shared input loop -------------------------------------------------- */

static int network_format(const struct rift_format *f)
{
  return f && strcmp(f->name, "evtx") != 0;
}

struct diag_ctx {
  int quiet;
  struct rift_progress *prog;
};

static void collect_diag(void *ctx, const struct rift_diag_msg *m)
{
  struct diag_ctx *dc = ctx;
  if(dc->quiet)
    return;
  if(dc->prog)
    rift_progress_done(dc->prog); /* clear the bar; it comes back */
  if(m->offset != UINT64_MAX)
    fprintf(stderr, "rift: %s: %s at offset 0x%llx: %s\n",
            m->path ? m->path : "-",
            m->level == RIFT_DIAG_ERROR ? "error" : "warning",
            (unsigned long long)m->offset, m->text);
  else
    fprintf(stderr, "rift: %s: %s: %s\n", m->path ? m->path : "-",
            m->level == RIFT_DIAG_ERROR ? "error" : "warning", m->text);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
  (void)total;
  rift_progress_update(ctx, done);
}

static rift_err case_batch(void *ctx, struct rift_batch *b)
{
  struct net_run *r = ctx;
  return r->sink.batch(r->sink.ctx, b);
}

/* Walking the inputs: captures and logs in folders and archives are read
 * as triage reads them (source/walk.h); a file found there that is not
 * network evidence is passed over, one named directly is an error. */
struct net_walk {
  struct net_run *r;
  uint32_t next_id;
  int status;
};

static void net_file(struct net_walk *w, const char *real, const char *path,
                     int explicit)
{
  struct net_run *r = w->r;
  struct rift_source src;
  struct rift_diag d;
  struct rift_parse_opts po;
  struct rift_parse_stats st;
  const struct rift_format *fmt;
  rift_err rc;
  struct diag_ctx dc = { r->quiet, NULL };
  rift_diag_init(&d, path, collect_diag, &dc);
  rc = rift_source_open(&src, real, &d);
  if(rc) {
    if(!d.errors)
      fprintf(stderr, "rift: %s: %s\n", path, rift_strerror(rc));
    w->status = RIFT_EXIT_INPUT_ERRORS;
    return;
  }
  fmt = rift_format_sniff(src.data, src.len < 4096 ? src.len : 4096, path,
                          src.len);
  if(!network_format(fmt)) {
    if(explicit) {
      fprintf(stderr, "rift: %s: not a capture, Zeek log or eve.json\n", path);
      w->status = RIFT_EXIT_INPUT_ERRORS;
    }
    rift_source_close(&src);
    return;
  }
  memset(&po, 0, sizeof(po));
  memset(&st, 0, sizeof(st));
  po.file_id = w->next_id++;
  po.path = path;
  po.threads = 1;
  po.flags = r->flags;
  r->cur_path = path;
  {
    struct rift_progress prog;
    const char *base = strrchr(path, '/');
    rift_progress_init(&prog, base ? base + 1 : path, src.len);
    po.progress = on_progress;
    po.progress_ctx = &prog;
    dc.prog = &prog;
    rc = fmt->parse(&src, &po, &r->sink, &d, &st);
    rift_progress_done(&prog);
    dc.prog = NULL;
  }
  if(r->stats) {
    const struct rift_net_stats *ns = rift_pcap_last_stats();
    fprintf(stderr,
            "rift: %s: %s, %llu events, %llu errors", path, fmt->name,
            (unsigned long long)st.records, (unsigned long long)st.errors);
    if(!strncmp(fmt->name, "pcap", 4))
      fprintf(stderr,
              ", %llu packets, %llu flows, %llu tls, %llu dns, %llu http,"
              " %llu not ip, %llu damaged, %llu fragments (%llu datagrams"
              " rebuilt), %llu tcp gaps",
              (unsigned long long)ns->packets,
              (unsigned long long)ns->flows, (unsigned long long)ns->tls,
              (unsigned long long)ns->dns, (unsigned long long)ns->http,
              (unsigned long long)ns->not_ip, (unsigned long long)ns->bad,
              (unsigned long long)ns->fragments,
              (unsigned long long)ns->reassembled,
              (unsigned long long)ns->tcp_gaps);
    fputc('\n', stderr);
  }
  rift_source_close(&src);
  if(rc) {
    fprintf(stderr, "rift: %s: %s\n", path, rift_strerror(rc));
    w->status = RIFT_EXIT_INPUT_ERRORS;
    return;
  }
  if(st.errors || d.errors)
    w->status = RIFT_EXIT_INPUT_ERRORS;
}

static rift_err net_item(void *ctx, const struct rift_walk_item *it)
{
  struct net_walk *w = ctx;
  if(it->kind != RIFT_WALK_FILE) {
    if(rift_walk_report(it, stderr))
      w->status = RIFT_EXIT_INPUT_ERRORS;
    return RIFT_OK;
  }
  net_file(w, it->real, it->path, it->top);
  return w->r->write_failed ? RIFT_IO : RIFT_OK; /* stdout is gone: stop */
}

int net_run(struct net_run *r, int nfiles, char **files)
{
  int i, status = RIFT_EXIT_OK;
  char db[4096];
  struct net_walk w;
  struct rift_walk_opts wo;
  if(nfiles >= 1 && evsrc_is_case(files[0], db, sizeof(db))) {
    /* a case: the events the triage stored (evsrc reads it alone) */
    struct evsrc es;
    rift_err rc;
    memset(&es, 0, sizeof(es));
    es.quiet = r->quiet;
    rc = evsrc_read(&es, files, nfiles, case_batch, r);
    if(rc && rc != RIFT_IO)
      fprintf(stderr, "rift: %s: %s\n", files[0], rift_strerror(rc));
    if(rc || es.input_errors)
      status = RIFT_EXIT_INPUT_ERRORS;
    evsrc_release(&es);
    return status;
  }
  rift_walk_opts_init(&wo);
  memset(&w, 0, sizeof(w));
  w.r = r;
  w.status = status;
  for(i = 0; i < nfiles && !r->write_failed; i++) {
    rift_err rc = rift_walk(files[i], &wo, net_item, &w);
    if(rc && !r->write_failed)
      die("%s: %s", files[i], rift_strerror(rc));
  }
  return w.status;
}

void net_out_flush(struct net_run *r)
{
  if(r->out.len && !r->write_failed) {
    if(write_all(1, r->out.buf, r->out.len))
      r->write_failed = 1;
  }
  rift_buf_reset(&r->out);
}

/* --- event listings ------------------------------------------------------ */

struct list_ctx {
  struct net_run run;
  unsigned kinds;   /* bit per RIFT_KIND_* to print */
  int jsonl;
  void (*text)(struct rift_buf *b, const struct rift_event *e);
};

static rift_err list_batch(void *ctx, struct rift_batch *b)
{
  struct list_ctx *c = ctx;
  size_t i;
  for(i = 0; i < b->n; i++) {
    const struct rift_event *e = &b->ev[i];
    if(!(c->kinds & (1u << e->kind)))
      continue;
    if(c->jsonl) {
      rift_event_json(&c->run.out, e);
      rift_buf_addch(&c->run.out, '\n');
    }
    else {
      c->text(&c->run.out, e);
    }
    if(c->run.out.len >= (1u << 20))
      net_out_flush(&c->run);
  }
  net_out_flush(&c->run);
  return c->run.write_failed ? RIFT_IO : RIFT_OK;
}

const char *ev_str(const struct rift_event *e, uint32_t id)
{
  const struct rift_value *v = rift_event_get(e, id);
  return v && v->type == RIFT_V_STR ? v->s : NULL;
}

uint64_t ev_uint(const struct rift_event *e, uint32_t id, uint64_t dflt)
{
  const struct rift_value *v = rift_event_get(e, id);
  if(!v)
    return dflt;
  if(v->type == RIFT_V_UINT)
    return v->u;
  if(v->type == RIFT_V_INT)
    return v->i < 0 ? 0 : (uint64_t)v->i;
  if(v->type == RIFT_V_STR) {
    char *end;
    unsigned long long x = strtoull(v->s, &end, 10);
    return end != v->s ? x : dflt;
  }
  return dflt;
}

int ev_bool(const struct rift_event *e, uint32_t id)
{
  const struct rift_value *v = rift_event_get(e, id);
  return v && v->type == RIFT_V_BOOL && v->b;
}

static void add_time(struct rift_buf *b, int64_t ts)
{
  char t[RIFT_TIME_FMT_MAX];
  size_t n;
  if(ts == RIFT_TIME_NONE) {
    rift_buf_adds(b, "-");
    return;
  }
  n = rift_time_fmt(t, ts, 3);
  rift_buf_add(b, t, n);
}

static void add_ep(struct rift_buf *b, const struct rift_event *e, int dst)
{
  const char *ip = ev_str(e, dst ? RIFT_F_DESTINATION_IP : RIFT_F_SOURCE_IP);
  uint64_t port = ev_uint(e, dst ? RIFT_F_DESTINATION_PORT : RIFT_F_SOURCE_PORT,
                          UINT64_MAX);
  int v6 = ip && strchr(ip, ':');
  if(v6)
    rift_buf_addch(b, '[');
  rift_buf_adds(b, ip ? ip : "-");
  if(v6)
    rift_buf_addch(b, ']');
  if(port != UINT64_MAX) {
    rift_buf_addch(b, ':');
    rift_buf_add_u64(b, port);
  }
}

static void add_s(struct rift_buf *b, const char *s)
{
  rift_buf_addch(b, ' ');
  rift_buf_adds(b, s && *s ? s : "-");
}

static void text_tls(struct rift_buf *b, const struct rift_event *e)
{
  const char *v = ev_str(e, RIFT_F_TLS_VERSION);
  add_time(b, e->ts);
  rift_buf_addch(b, ' ');
  add_ep(b, e, 0);
  rift_buf_adds(b, " -> ");
  add_ep(b, e, 1);
  add_s(b, ev_str(e, RIFT_F_NETWORK_PROTOCOL));
  add_s(b, v);
  add_s(b, ev_str(e, RIFT_F_TLS_SNI));
  add_s(b, ev_str(e, RIFT_F_TLS_JA3));
  add_s(b, ev_str(e, RIFT_F_TLS_JA3S));
  add_s(b, ev_str(e, RIFT_F_RIFT_JA4));
  if(ev_bool(e, RIFT_F_RIFT_TLS_SELF_SIGNED))
    rift_buf_adds(b, " self-signed");
  if(ev_bool(e, RIFT_F_RIFT_TLS_CERT_EXPIRED))
    rift_buf_adds(b, " expired");
  if(ev_str(e, RIFT_F_TLS_SERVER_SUBJECT)) {
    rift_buf_adds(b, " subject=");
    rift_buf_adds(b, ev_str(e, RIFT_F_TLS_SERVER_SUBJECT));
  }
  rift_buf_addch(b, '\n');
}

static void text_x509(struct rift_buf *b, const struct rift_event *e)
{
  add_time(b, e->ts);
  rift_buf_adds(b, " cert ");
  add_ep(b, e, 1);
  add_s(b, ev_str(e, RIFT_F_RIFT_X509_SHA256));
  add_s(b, ev_str(e, RIFT_F_X509_SERIAL));
  rift_buf_adds(b, " subject=");
  rift_buf_adds(b, ev_str(e, RIFT_F_X509_SUBJECT) ?
                  ev_str(e, RIFT_F_X509_SUBJECT) : "-");
  rift_buf_adds(b, " issuer=");
  rift_buf_adds(b, ev_str(e, RIFT_F_X509_ISSUER) ?
                  ev_str(e, RIFT_F_X509_ISSUER) : "-");
  if(ev_bool(e, RIFT_F_RIFT_X509_SELF_SIGNED))
    rift_buf_adds(b, " self-signed");
  rift_buf_addch(b, '\n');
}

static void text_flow(struct rift_buf *b, const struct rift_event *e)
{
  add_time(b, e->ts);
  rift_buf_addch(b, ' ');
  add_ep(b, e, 0);
  rift_buf_adds(b, " -> ");
  add_ep(b, e, 1);
  add_s(b, ev_str(e, RIFT_F_NETWORK_TRANSPORT));
  add_s(b, ev_str(e, RIFT_F_NETWORK_PROTOCOL));
  rift_buf_addch(b, ' ');
  rift_buf_add_u64(b, ev_uint(e, RIFT_F_SOURCE_PACKETS, 0));
  rift_buf_addch(b, '/');
  rift_buf_add_u64(b, ev_uint(e, RIFT_F_DESTINATION_PACKETS, 0));
  rift_buf_adds(b, " pkts ");
  rift_buf_add_u64(b, ev_uint(e, RIFT_F_SOURCE_BYTES, 0));
  rift_buf_addch(b, '/');
  rift_buf_add_u64(b, ev_uint(e, RIFT_F_DESTINATION_BYTES, 0));
  rift_buf_adds(b, " bytes");
  add_s(b, ev_str(e, RIFT_F_RIFT_FLOW_STATE));
  add_s(b, ev_str(e, RIFT_F_NETWORK_COMMUNITY_ID));
  rift_buf_addch(b, '\n');
}

static void text_dns(struct rift_buf *b, const struct rift_event *e)
{
  uint32_t i;
  add_time(b, e->ts);
  rift_buf_addch(b, ' ');
  add_ep(b, e, 0);
  rift_buf_adds(b, " -> ");
  add_ep(b, e, 1);
  add_s(b, ev_str(e, RIFT_F_DNS_QUESTION_TYPE));
  add_s(b, ev_str(e, RIFT_F_DNS_QUESTION_NAME));
  add_s(b, ev_str(e, RIFT_F_DNS_RESPONSE_CODE));
  for(i = 0; i < e->nf; i++) {
    if(e->f[i].id == RIFT_F_DNS_ANSWERS_DATA && e->f[i].v.type == RIFT_V_STR)
      add_s(b, e->f[i].v.s);
  }
  rift_buf_addch(b, '\n');
}

static void text_http(struct rift_buf *b, const struct rift_event *e)
{
  uint64_t st = ev_uint(e, RIFT_F_HTTP_RESPONSE_STATUS, 0);
  add_time(b, e->ts);
  rift_buf_addch(b, ' ');
  add_ep(b, e, 0);
  rift_buf_adds(b, " -> ");
  add_ep(b, e, 1);
  add_s(b, ev_str(e, RIFT_F_HTTP_REQUEST_METHOD));
  add_s(b, ev_str(e, RIFT_F_URL_DOMAIN));
  add_s(b, ev_str(e, RIFT_F_URL_ORIGINAL));
  rift_buf_addch(b, ' ');
  if(st)
    rift_buf_add_u64(b, st);
  else
    rift_buf_addch(b, '-');
  rift_buf_adds(b, " \"");
  rift_buf_adds(b, ev_str(e, RIFT_F_USER_AGENT) ? ev_str(e, RIFT_F_USER_AGENT)
                                                 : "");
  rift_buf_adds(b, "\"\n");
}

static void text_any(struct rift_buf *b, const struct rift_event *e)
{
  switch(e->kind) {
  case RIFT_KIND_TLS: text_tls(b, e); break;
  case RIFT_KIND_X509: text_x509(b, e); break;
  case RIFT_KIND_FLOW: text_flow(b, e); break;
  case RIFT_KIND_DNS: text_dns(b, e); break;
  case RIFT_KIND_HTTP: text_http(b, e); break;
  default:
    rift_event_json(b, e);
    rift_buf_addch(b, '\n');
    break;
  }
}

static int list_verb(int argc, char **argv, const char *usage, unsigned kinds,
                     unsigned flags, int certs_opt)
{
  static const struct option opts[] = {
    { "jsonl", no_argument, NULL, 'j' },
    { "certs", no_argument, NULL, 'c' },
    { "quiet", no_argument, NULL, 'q' },
    { "stats", no_argument, NULL, 's' },
    { "community-id-seed", required_argument, NULL, 'S' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct list_ctx c;
  int ch, status;
  help_if_asked(argc, argv, usage);
  memset(&c, 0, sizeof(c));
  c.kinds = kinds;
  c.text = text_any;
  c.run.flags = flags;
  optind = 1;
  while((ch = getopt_long(argc, argv, "jcqsh", opts, NULL)) != -1) {
    switch(ch) {
    case 'j':
      c.jsonl = 1;
      break;
    case 'c':
      if(!certs_opt)
        usage_die(usage, "--certs applies to 'rift net tls' only");
      c.kinds |= 1u << RIFT_KIND_X509;
      c.run.flags |= RIFT_PCAP_X509;
      break;
    case 'q':
      c.run.quiet = 1;
      break;
    case 's':
      c.run.stats = 1;
      break;
    case 'S':
      c.run.flags = (c.run.flags & 0xffffu) |
        RIFT_PCAP_CID_SEED(parse_count("--community-id-seed", optarg, 65535));
      break;
    default:
      usage_die(usage, "unknown option");
    }
  }
  if(optind >= argc)
    usage_die(usage, "no input files");
  rift_buf_init(&c.run.out, RIFT_BUF_MAX_OUTPUT);
  c.run.sink.batch = list_batch;
  c.run.sink.ctx = &c;
  status = net_run(&c.run, argc - optind, argv + optind);
  net_out_flush(&c.run);
  rift_buf_release(&c.run.out);
  return status;
}

#define LIST_OPTS                                                          \
  "  -j, --jsonl     one JSON object per line (flat ECS field names)\n"    \
  "      --community-id-seed N  seed of network.community_id (default 0)\n" \
  "  -q, --quiet     do not report damaged input on stderr\n"              \
  "  -s, --stats     per-file counts on stderr\n"                          \
  "  -h, --help      this help\n"

int net_tls(int argc, char **argv)
{
  static const char usage[] =
    "usage: rift net tls [--jsonl] [--certs] EVIDENCE...\n"
    "\n"
    "One record per TLS or QUIC handshake: source.ip/port,\n"
    "destination.ip/port, tls.version, tls.cipher, tls.client.server_name,\n"
    "tls.client.ja3 (+ rift.tls.client.ja3_string), tls.server.ja3s,\n"
    "rift.ja4 (FoxIO JA4; rift.ja4_r raw), ALPN, and the server's leaf\n"
    "certificate (tls.server.x509.*, tls.server.hash.sha1/sha256,\n"
    "rift.tls.self_signed, rift.tls.cert_expired...).  A connection with\n"
    "several hellos (HelloRetryRequest) lists each fingerprint.\n"
    "\n"
    "  -c, --certs     also one record per certificate (x509.*)\n"
    LIST_OPTS;
  return list_verb(argc, argv, usage, 1u << RIFT_KIND_TLS,
                   RIFT_PCAP_NO_FLOWS | RIFT_NET_APP_TLS | RIFT_NET_APP_QUIC,
                   1);
}

int net_flows(int argc, char **argv)
{
  static const char usage[] =
    "usage: rift net flows [--jsonl] EVIDENCE...\n"
    "\n"
    "One record per connection: start/end, packets and IP bytes each way,\n"
    "TCP flags each way, end state, application protocol and Community ID.\n"
    "\n" LIST_OPTS;
  return list_verb(argc, argv, usage, 1u << RIFT_KIND_FLOW, 0, 0);
}

int net_dns(int argc, char **argv)
{
  static const char usage[] =
    "usage: rift net dns [--jsonl] EVIDENCE...\n"
    "\n"
    "One record per DNS transaction (query and its answer).\n"
    "\n" LIST_OPTS;
  return list_verb(argc, argv, usage, 1u << RIFT_KIND_DNS,
                   RIFT_PCAP_NO_FLOWS | RIFT_NET_APP_DNS, 0);
}

int net_http(int argc, char **argv)
{
  static const char usage[] =
    "usage: rift net http [--jsonl] EVIDENCE...\n"
    "\n"
    "One record per HTTP request: method, host, URI, user agent, status.\n"
    "\n" LIST_OPTS;
  return list_verb(argc, argv, usage, 1u << RIFT_KIND_HTTP,
                   RIFT_PCAP_NO_FLOWS | RIFT_NET_APP_HTTP, 0);
}

int net_events(int argc, char **argv)
{
  static const char usage[] =
    "usage: rift net events [--jsonl] EVIDENCE...\n"
    "\n"
    "Every network event: flows, DNS, HTTP, TLS, certificates, alerts.\n"
    "\n" LIST_OPTS;
  return list_verb(argc, argv, usage, ~0u, RIFT_PCAP_X509, 0);
}
