/*
 * eve.c - Suricata eve.json as events.
 *
 * One JSON object per line; "event_type" says what it is:
 *   flow   -> flow event: flow.pkts_toserver/toclient, bytes_toserver/
 *             toclient, flow.start/end, flow.state, app_proto
 *   dns    -> dns event: dns.type query/answer (v1/v2) or request/response
 *             (v3: queries[] answers[]), id, rrname, rrtype, rcode,
 *             answers[].rdata/rrtype/ttl or grouped.<TYPE>[]
 *   http   -> http event: hostname, url, http_user_agent, http_method,
 *             protocol, status, length, http_refer, http_content_type
 *   tls    -> tls event: sni, version, subject, issuerdn (converted to
 *             RFC 2253 like the capture path), serial, fingerprint (SHA-1),
 *             notbefore/notafter, subjectaltname[], ja3/ja3s {hash,string},
 *             ja4, client_alpns, server_alpns, session_resumed
 *   quic   -> tls event with network.protocol quic: sni, ja3, ja4
 *   alert  -> alert event (event.kind alert): alert.signature_id,
 *             signature, category, severity, action
 * with src_ip/src_port/dest_ip/dest_port/proto/community_id/flow_id on
 * each.  Other event types (stats, fileinfo, anomaly...) are skipped.
 * Damaged lines are reported (file, offset) and skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "core/jsonflat.h"
#include "core/rtime.h"
#include "fmt/eve.h"
#include "fmt/logrec.h"
#include "net/netev.h"

struct eve {
  struct logsink ls;
  struct logrec rec;
  const struct rift_parse_opts *o;
  struct rift_diag *d;
  uint64_t skipped;
};

int rift_eve_sniff(const uint8_t *head, size_t n, const char *path,
                   uint64_t size)
{
  (void)path;
  (void)size;
  if(n >= 2 && head[0] == '{' && memmem(head, n, "\"event_type\"", 12) &&
     memmem(head, n, "\"timestamp\"", 11))
    return 90;
  return 0;
}

static const struct logkv *G(struct eve *v, const char *k)
{
  return logrec_get(&v->rec, k);
}

static int is(const struct logkv *kv, const char *s)
{
  size_t n = strlen(s);
  return kv && kv->vl == n && !memcmp(kv->v, s, n);
}

static struct rift_event *base(struct eve *v, unsigned kind,
                               const char *dataset, uint64_t off,
                               uint64_t lineno)
{
  struct rift_batch *b = &v->ls.batch;
  struct rift_event *e = rift_batch_add(b);
  const struct logkv *kv;
  const char *tp;
  uint8_t ip[16];
  if(!e)
    return NULL;
  e->kind = (uint16_t)kind;
  e->ts = logrec_time(G(v, "timestamp"));
  e->file_id = v->o->file_id;
  e->offset = off;
  e->record_id = lineno;
  e->host = v->o->host_hint;
  e->category = "network";
  e->provider = "suricata";
  e->dataset = dataset;
  kv = G(v, "src_ip");
  if(logrec_set(kv)) {
    /* Suricata writes IPv6 fully expanded: normalise */
    int fam = rift_ip_parse(kv->v, kv->vl, ip);
    char t[48];
    if(fam) {
      size_t n = rift_ip_fmt(t, fam, ip);
      rift_event_add_str(b, e, RIFT_F_SOURCE_IP, t, n);
      rift_event_add_strref(b, e, RIFT_F_NETWORK_TYPE,
                            fam == 4 ? "ipv4" : "ipv6", 4);
    }
    else {
      logrec_str(b, e, RIFT_F_SOURCE_IP, kv);
    }
  }
  logrec_uint(b, e, RIFT_F_SOURCE_PORT, G(v, "src_port"));
  kv = G(v, "dest_ip");
  if(logrec_set(kv)) {
    int fam = rift_ip_parse(kv->v, kv->vl, ip);
    char t[48];
    if(fam)
      rift_event_add_str(b, e, RIFT_F_DESTINATION_IP, t,
                         rift_ip_fmt(t, fam, ip));
    else
      logrec_str(b, e, RIFT_F_DESTINATION_IP, kv);
  }
  logrec_uint(b, e, RIFT_F_DESTINATION_PORT, G(v, "dest_port"));
  tp = logrec_transport(G(v, "proto"));
  if(tp)
    rift_event_add_strref(b, e, RIFT_F_NETWORK_TRANSPORT, tp, strlen(tp));
  logrec_str(b, e, RIFT_F_NETWORK_COMMUNITY_ID, G(v, "community_id"));
  logrec_uint(b, e, RIFT_F_RIFT_SURICATA_FLOW_ID, G(v, "flow_id"));
  if(v->o->path)
    rift_event_add_strref(b, e, RIFT_F_LOG_FILE_PATH, v->o->path,
                          strlen(v->o->path));
  return e;
}

static void app_proto(struct eve *v, struct rift_event *e)
{
  const struct logkv *kv = G(v, "app_proto");
  if(!logrec_set(kv) || is(kv, "failed"))
    return;
  rift_event_add_str(&v->ls.batch, e, RIFT_F_NETWORK_PROTOCOL, kv->v, kv->vl);
}

static rift_err flow(struct eve *v, uint64_t off, uint64_t lineno)
{
  struct rift_batch *b = &v->ls.batch;
  struct rift_event *e = base(v, RIFT_KIND_FLOW, "suricata.flow", off, lineno);
  int64_t s, t;
  if(!e)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  e->type = "connection";
  e->action = "network_flow";
  app_proto(v, e);
  s = logrec_time(G(v, "flow.start"));
  t = logrec_time(G(v, "flow.end"));
  if(s != RIFT_TIME_NONE) {
    e->ts = s;
    rift_netev_time(b, e, RIFT_F_EVENT_START, s, 6);
  }
  if(t != RIFT_TIME_NONE)
    rift_netev_time(b, e, RIFT_F_EVENT_END, t, 6);
  if(s != RIFT_TIME_NONE && t != RIFT_TIME_NONE)
    rift_event_add_int(b, e, RIFT_F_EVENT_DURATION, t - s);
  logrec_uint(b, e, RIFT_F_SOURCE_PACKETS, G(v, "flow.pkts_toserver"));
  logrec_uint(b, e, RIFT_F_SOURCE_BYTES, G(v, "flow.bytes_toserver"));
  logrec_uint(b, e, RIFT_F_DESTINATION_PACKETS, G(v, "flow.pkts_toclient"));
  logrec_uint(b, e, RIFT_F_DESTINATION_BYTES, G(v, "flow.bytes_toclient"));
  logrec_str(b, e, RIFT_F_RIFT_FLOW_STATE, G(v, "flow.state"));
  return b->arena.err;
}

static rift_err dns(struct eve *v, uint64_t off, uint64_t lineno)
{
  struct rift_batch *b = &v->ls.batch;
  struct rift_event *e = base(v, RIFT_KIND_DNS, "suricata.dns", off, lineno);
  const struct logkv *kv, *t = G(v, "dns.type");
  size_t i;
  int answer;
  if(!e)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  e->type = "protocol";
  e->action = "dns_query";
  rift_event_add_strref(b, e, RIFT_F_NETWORK_PROTOCOL, "dns", 3);
  answer = is(t, "answer") || is(t, "response");
  rift_event_add_strref(b, e, RIFT_F_DNS_TYPE, answer ? "answer" : "query",
                        answer ? 6 : 5);
  logrec_uint(b, e, RIFT_F_DNS_ID, G(v, "dns.id"));
  /* v3: queries[]; v1/v2: rrname/rrtype at the top */
  kv = G(v, "dns.queries.rrname");
  logrec_str(b, e, RIFT_F_DNS_QUESTION_NAME, kv ? kv : G(v, "dns.rrname"));
  kv = G(v, "dns.queries.rrtype");
  logrec_str(b, e, RIFT_F_DNS_QUESTION_TYPE, kv ? kv : G(v, "dns.rrtype"));
  logrec_str(b, e, RIFT_F_DNS_RESPONSE_CODE, G(v, "dns.rcode"));
  {
    size_t pd = 0, pt = 0, pl = 0;
    for(i = 0;; i++) {
      uint8_t ip[16];
      const struct logkv *ty, *ttl;
      kv = logrec_next(&v->rec, "dns.answers.rdata", &pd);
      if(!kv)
        break;
      ty = logrec_next(&v->rec, "dns.answers.rrtype", &pt);
      ttl = logrec_next(&v->rec, "dns.answers.ttl", &pl);
      logrec_str(b, e, RIFT_F_DNS_ANSWERS_DATA, kv);
    logrec_str(b, e, RIFT_F_DNS_ANSWERS_TYPE, ty);
    logrec_uint(b, e, RIFT_F_DNS_ANSWERS_TTL, ttl);
      if(logrec_set(kv) && rift_ip_parse(kv->v, kv->vl, ip))
        logrec_str(b, e, RIFT_F_DNS_RESOLVED_IP, kv);
    }
  }
  if(!i) { /* "grouped": {"A": [...], "CNAME": [...]} */
    size_t j;
    for(j = 0; j < v->rec.n; j++) {
      const struct logkv *g = &v->rec.kv[j];
      uint8_t ip[16];
      if(g->kl > 12 && !memcmp(g->k, "dns.grouped.", 12)) {
        logrec_str(b, e, RIFT_F_DNS_ANSWERS_DATA, g);
        rift_event_add_str(b, e, RIFT_F_DNS_ANSWERS_TYPE, g->k + 12,
                           g->kl - 12);
        if(logrec_set(g) && rift_ip_parse(g->v, g->vl, ip))
          logrec_str(b, e, RIFT_F_DNS_RESOLVED_IP, g);
      }
    }
  }
  return b->arena.err;
}

static rift_err http(struct eve *v, uint64_t off, uint64_t lineno)
{
  struct rift_batch *b = &v->ls.batch;
  struct rift_event *e = base(v, RIFT_KIND_HTTP, "suricata.http", off, lineno);
  const struct logkv *kv;
  if(!e)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  e->category = "web";
  e->type = "access";
  e->action = "http_request";
  rift_event_add_strref(b, e, RIFT_F_NETWORK_PROTOCOL, "http", 4);
  logrec_str(b, e, RIFT_F_HTTP_REQUEST_METHOD, G(v, "http.http_method"));
  kv = G(v, "http.url");
  if(logrec_set(kv))
    rift_netev_url(b, e, kv->v, kv->vl);
  logrec_str(b, e, RIFT_F_URL_DOMAIN, G(v, "http.hostname"));
  logrec_str(b, e, RIFT_F_DESTINATION_DOMAIN, G(v, "http.hostname"));
  logrec_str(b, e, RIFT_F_USER_AGENT, G(v, "http.http_user_agent"));
  logrec_str(b, e, RIFT_F_HTTP_REQUEST_REFERRER, G(v, "http.http_refer"));
  kv = G(v, "http.protocol");
  if(logrec_set(kv) && kv->vl > 5 && !memcmp(kv->v, "HTTP/", 5))
    rift_event_add_str(b, e, RIFT_F_HTTP_VERSION, kv->v + 5, kv->vl - 5);
  kv = G(v, "http.status");
  logrec_uint(b, e, RIFT_F_HTTP_RESPONSE_STATUS, kv);
  if(logrec_set(kv))
    e->outcome = strtoul(kv->v, NULL, 10) < 400 ? "success" : "failure";
  logrec_uint(b, e, RIFT_F_HTTP_RESPONSE_BODY_BYTES, G(v, "http.length"));
  logrec_str(b, e, RIFT_F_HTTP_RESPONSE_MIME_TYPE,
             G(v, "http.http_content_type"));
  return b->arena.err;
}

static void hexstrip(struct rift_batch *b, struct rift_event *e, uint32_t id,
                     const struct logkv *kv, int lower)
{
  char t[256];
  size_t i, o = 0;
  if(!logrec_set(kv))
    return;
  for(i = 0; i < kv->vl && o < sizeof(t); i++) {
    char c = kv->v[i];
    if(c == ':')
      continue;
    if(lower && c >= 'A' && c <= 'F')
      c = (char)(c + 32);
    if(!lower && c >= 'a' && c <= 'f')
      c = (char)(c - 32);
    t[o++] = c;
  }
  /* the serial as a DER integer may carry a 00 sign byte */
  if(!lower && o > 2 && t[0] == '0' && t[1] == '0' && t[2] >= '8') {
    memmove(t, t + 2, o - 2);
    o -= 2;
  }
  rift_event_add_str(b, e, id, t, o);
}

static void eve_time(struct rift_batch *b, struct rift_event *e, uint32_t id,
                     const struct logkv *kv)
{
  int64_t ns;
  if(!logrec_set(kv) || rift_time_parse(kv->v, kv->vl, &ns))
    return;
  rift_netev_time(b, e, id, ns, 0);
}

static void tls_version(struct rift_batch *b, struct rift_event *e,
                        const struct logkv *kv)
{
  /* "TLS 1.2", "TLSv1", "SSLv3", "TLS 1.3 draft-18", "UNDETERMINED" */
  char t[32];
  int n = 0;
  const char *proto = "tls";
  if(!logrec_set(kv) || kv->vl >= 24 || is(kv, "UNDETERMINED"))
    return;
  if(kv->vl == 7 && !memcmp(kv->v, "TLS 1.", 6))
    n = snprintf(t, sizeof(t), "1.%c", kv->v[6]);
  else if(is(kv, "TLSv1"))
    n = snprintf(t, sizeof(t), "1.0");
  else if(kv->vl > 14 && !memcmp(kv->v, "TLS 1.3 draft-", 14))
    n = kv->v[14] == '<' ? snprintf(t, sizeof(t), "1.3") : /* "draft-<16" */
        snprintf(t, sizeof(t), "1.3-draft-%.*s", (int)(kv->vl - 14),
                 kv->v + 14);
  else if(is(kv, "SSLv3") || is(kv, "SSLv2")) {
    n = snprintf(t, sizeof(t), "%c.0", kv->v[4]);
    proto = "ssl";
  }
  else {
    n = snprintf(t, sizeof(t), "%.*s", (int)kv->vl, kv->v);
    proto = NULL;
  }
  rift_event_add_str(b, e, RIFT_F_TLS_VERSION, t, (size_t)n);
  if(proto)
    rift_event_add_strref(b, e, RIFT_F_TLS_VERSION_PROTOCOL, proto,
                          strlen(proto));
}

static rift_err tls(struct eve *v, uint64_t off, uint64_t lineno, int quic)
{
  struct rift_batch *b = &v->ls.batch;
  struct rift_event *e = base(v, RIFT_KIND_TLS,
                              quic ? "suricata.quic" : "suricata.tls", off,
                              lineno);
  const char *pre = quic ? "quic." : "tls.";
  const struct logkv *kv, *s, *i;
  char k[64];
  size_t j;
#define K(x) (snprintf(k, sizeof(k), "%s%s", pre, (x)), G(v, k))
  if(!e)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  e->type = "protocol";
  e->action = "tls_handshake";
  rift_event_add_strref(b, e, RIFT_F_NETWORK_PROTOCOL,
                        quic ? "quic" : "tls", quic ? 4 : 3);
  logrec_str(b, e, RIFT_F_TLS_SNI, K("sni"));
  if(!quic)
    tls_version(b, e, K("version"));
  logrec_str(b, e, RIFT_F_TLS_JA3, K("ja3.hash"));
  logrec_str(b, e, RIFT_F_RIFT_JA3_STRING, K("ja3.string"));
  logrec_str(b, e, RIFT_F_TLS_JA3S, K("ja3s.hash"));
  logrec_str(b, e, RIFT_F_RIFT_JA3S_STRING, K("ja3s.string"));
  logrec_str(b, e, RIFT_F_RIFT_JA4, K("ja4"));
  for(j = 0, kv = logrec_next(&v->rec, "tls.client_alpns", &j); kv;
      kv = logrec_next(&v->rec, "tls.client_alpns", &j))
    logrec_str(b, e, RIFT_F_RIFT_TLS_CLIENT_ALPN, kv);
  logrec_str(b, e, RIFT_F_TLS_NEXT_PROTOCOL, G(v, "tls.server_alpns"));
  logrec_bool(b, e, RIFT_F_TLS_RESUMED, G(v, "tls.session_resumed"));
  s = G(v, "tls.subject");
  i = G(v, "tls.issuerdn");
  if(logrec_set(s)) {
    const char *dn = logrec_dn_2253(&v->rec.a, s->v, s->vl);
    if(dn)
      rift_event_add_str(b, e, RIFT_F_TLS_SERVER_SUBJECT, dn, strlen(dn));
  }
  if(logrec_set(i)) {
    const char *dn = logrec_dn_2253(&v->rec.a, i->v, i->vl);
    if(dn)
      rift_event_add_str(b, e, RIFT_F_TLS_SERVER_ISSUER, dn, strlen(dn));
  }
  if(logrec_set(s) && logrec_set(i))
    rift_event_add_bool(b, e, RIFT_F_RIFT_TLS_SELF_ISSUED,
                        s->vl == i->vl && !memcmp(s->v, i->v, s->vl));
  hexstrip(b, e, RIFT_F_TLS_SERVER_SERIAL, G(v, "tls.serial"), 0);
  hexstrip(b, e, RIFT_F_TLS_SERVER_SHA1, G(v, "tls.fingerprint"), 1);
  eve_time(b, e, RIFT_F_TLS_SERVER_NOT_BEFORE, G(v, "tls.notbefore"));
  eve_time(b, e, RIFT_F_TLS_SERVER_NOT_AFTER, G(v, "tls.notafter"));
  for(j = 0, kv = logrec_next(&v->rec, "tls.subjectaltname", &j); kv;
      kv = logrec_next(&v->rec, "tls.subjectaltname", &j))
    logrec_str(b, e, RIFT_F_TLS_SERVER_SAN, kv);
  hexstrip(b, e, RIFT_F_TLS_CLIENT_SERIAL, G(v, "tls.client.serial"), 0);
  eve_time(b, e, RIFT_F_TLS_CLIENT_NOT_BEFORE, G(v, "tls.client.notbefore"));
  eve_time(b, e, RIFT_F_TLS_CLIENT_NOT_AFTER, G(v, "tls.client.notafter"));
#undef K
  return b->arena.err;
}

static rift_err alert(struct eve *v, uint64_t off, uint64_t lineno)
{
  struct rift_batch *b = &v->ls.batch;
  struct rift_event *e = base(v, RIFT_KIND_SURICATA, "suricata.alert", off,
                              lineno);
  const struct logkv *kv;
  if(!e)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  e->category = "intrusion_detection";
  e->type = "info";
  kv = G(v, "alert.action");
  e->action = is(kv, "blocked") ? "blocked" : "allowed";
  rift_event_add_strref(b, e, RIFT_F_EVENT_KIND, "alert", 5);
  app_proto(v, e);
  logrec_str(b, e, RIFT_F_RULE_ID, G(v, "alert.signature_id"));
  logrec_str(b, e, RIFT_F_RULE_NAME, G(v, "alert.signature"));
  logrec_str(b, e, RIFT_F_RULE_CATEGORY, G(v, "alert.category"));
  logrec_uint(b, e, RIFT_F_EVENT_SEVERITY, G(v, "alert.severity"));
  kv = G(v, "alert.signature");
  if(logrec_set(kv))
    e->message = rift_batch_str(b, kv->v, kv->vl);
  logrec_str(b, e, RIFT_F_TLS_SNI, G(v, "tls.sni"));
  logrec_str(b, e, RIFT_F_URL_DOMAIN, G(v, "http.hostname"));
  logrec_str(b, e, RIFT_F_DNS_QUESTION_NAME, G(v, "dns.query.rrname"));
  return b->arena.err;
}

static rift_err line_cb(void *ctx, const char *line, size_t n, uint64_t off,
                        uint64_t lineno)
{
  struct eve *v = ctx;
  const struct logkv *t;
  size_t eo = 0;
  rift_err rc;
  logrec_clear(&v->rec);
  rc = logrec_json(&v->rec, line, n, &eo);
  if(rc == RIFT_NOMEM)
    return rc;
  if(rc) {
    rift_diag_report(v->d, RIFT_DIAG_WARN, rc, off + eo, "line %llu: %s",
                     (unsigned long long)lineno,
                     rc == RIFT_SYNTAX ? "not a JSON object" :
                     rift_strerror(rc));
    v->ls.st->errors++;
    return RIFT_OK;
  }
  t = G(v, "event_type");
  if(is(t, "flow") || is(t, "netflow"))
    rc = flow(v, off, lineno);
  else if(is(t, "dns"))
    rc = dns(v, off, lineno);
  else if(is(t, "http"))
    rc = http(v, off, lineno);
  else if(is(t, "tls"))
    rc = tls(v, off, lineno, 0);
  else if(is(t, "quic"))
    rc = tls(v, off, lineno, 1);
  else if(is(t, "alert"))
    rc = alert(v, off, lineno);
  else {
    v->skipped++;
    return RIFT_OK;
  }
  if(rc)
    return rc;
  return logsink_maybe_flush(&v->ls);
}

rift_err rift_eve_parse(const struct rift_source *src,
                        const struct rift_parse_opts *o,
                        struct rift_event_sink *sink, struct rift_diag *d,
                        struct rift_parse_stats *st)
{
  struct eve *v = calloc(1, sizeof(*v));
  rift_err rc;
  if(!v)
    return RIFT_NOMEM;
  v->o = o;
  v->d = d;
  logsink_init(&v->ls, sink, st);
  logrec_init(&v->rec);
  rc = logrec_lines(src, o, line_cb, v);
  if(!rc)
    rc = logsink_flush(&v->ls);
  logrec_release(&v->rec);
  logsink_release(&v->ls);
  free(v);
  return rc;
}
