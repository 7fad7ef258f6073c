/*
 * zeek.c - Zeek logs (conn, dns, http, ssl, x509) as events, TSV or JSON.
 *
 * TSV layout (Zeek's ASCII writer):
 *   #separator \x09            field separator (escaped)
 *   #set_separator ,           between elements of set/vector fields
 *   #empty_field (empty)       an empty set
 *   #unset_field -             no value
 *   #path conn                 the log
 *   #fields ts uid id.orig_h ...
 *   #types time string addr ...
 *   then one record per line; \xHH escapes in values.
 * JSON: one object per line with the same field names (sets and vectors
 * as arrays); the log is named by "_path", else the file name, else the
 * fields present.
 *
 * The events are those the packet engine makes (netev.h): flow, dns,
 * http, tls (ssl.log) and x509, with event.dataset "zeek.<log>".  Other
 * logs are skipped.  Damaged lines are reported (file, offset) and
 * skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "core/jsonflat.h"
#include "core/rtime.h"
#include "fmt/logrec.h"
#include "fmt/zeek.h"
#include "net/netev.h"

enum zlog { Z_OTHER, Z_CONN, Z_DNS, Z_HTTP, Z_SSL, Z_X509 };

#define ZEEK_MAX_FIELDS 512

struct zeek {
  struct logsink ls;
  struct logrec rec;
  const struct rift_parse_opts *o;
  struct rift_diag *d;
  enum zlog file_log;       /* from the file name */
  enum zlog log;            /* TSV: from #path */
  char sep;
  char setsep;
  char *fields[ZEEK_MAX_FIELDS];
  uint8_t is_set[ZEEK_MAX_FIELDS];
  size_t nfields;
  int json;
  uint64_t skipped;
};

static enum zlog log_of(const char *s, size_t n)
{
  if(n == 4 && !memcmp(s, "conn", 4))
    return Z_CONN;
  if(n == 3 && !memcmp(s, "dns", 3))
    return Z_DNS;
  if(n == 4 && !memcmp(s, "http", 4))
    return Z_HTTP;
  if(n == 3 && !memcmp(s, "ssl", 3))
    return Z_SSL;
  if(n == 4 && !memcmp(s, "x509", 4))
    return Z_X509;
  return Z_OTHER;
}

static enum zlog log_of_path(const char *path)
{
  const char *b, *dot;
  if(!path)
    return Z_OTHER;
  b = strrchr(path, '/');
  b = b ? b + 1 : path;
  dot = strchr(b, '.');
  return log_of(b, dot ? (size_t)(dot - b) : strlen(b));
}

int rift_zeek_sniff(const uint8_t *head, size_t n, const char *path,
                    uint64_t size)
{
  (void)size;
  if(n >= 11 && !memcmp(head, "#separator ", 11))
    return 90;
  /* comment lines first (Zeek's own test baselines start with one) */
  if(n >= 12 && head[0] == '#' && memmem(head, n, "\n#separator ", 12) &&
     memmem(head, n, "\n#fields", 8))
    return 85;
  if(n >= 2 && head[0] == '{' && memmem(head, n, "\"id.orig_h\"", 11) &&
     !memmem(head, n, "\"event_type\"", 12))
    return 80;
  if(n >= 2 && head[0] == '{' && log_of_path(path) == Z_X509 &&
     memmem(head, n, "\"fingerprint\"", 13))
    return 70;
  return 0;
}

/* --- mapping ------------------------------------------------------------- */

static const struct logkv *G(struct zeek *z, const char *k)
{
  return logrec_get(&z->rec, k);
}

static struct rift_event *base(struct zeek *z, unsigned kind,
                               const char *dataset, uint64_t off,
                               uint64_t lineno)
{
  struct rift_batch *b = &z->ls.batch;
  struct rift_event *e = rift_batch_add(b);
  const struct logkv *kv;
  const char *tp;
  if(!e)
    return NULL;
  e->kind = (uint16_t)kind;
  e->ts = logrec_time(G(z, "ts"));
  e->file_id = z->o->file_id;
  e->offset = off;
  e->record_id = lineno;
  e->host = z->o->host_hint;
  e->category = "network";
  e->provider = "zeek";
  e->dataset = dataset;
  logrec_str(b, e, RIFT_F_SOURCE_IP, G(z, "id.orig_h"));
  logrec_uint(b, e, RIFT_F_SOURCE_PORT, G(z, "id.orig_p"));
  logrec_str(b, e, RIFT_F_DESTINATION_IP, G(z, "id.resp_h"));
  logrec_uint(b, e, RIFT_F_DESTINATION_PORT, G(z, "id.resp_p"));
  kv = G(z, "proto");
  tp = logrec_transport(kv);
  if(tp)
    rift_event_add_strref(b, e, RIFT_F_NETWORK_TRANSPORT, tp, strlen(tp));
  kv = G(z, "id.orig_h");
  if(logrec_set(kv))
    rift_event_add_strref(b, e, RIFT_F_NETWORK_TYPE,
                          memchr(kv->v, ':', kv->vl) ? "ipv6" : "ipv4", 4);
  logrec_str(b, e, RIFT_F_NETWORK_COMMUNITY_ID, G(z, "community_id"));
  logrec_str(b, e, RIFT_F_RIFT_ZEEK_UID, G(z, "uid"));
  if(z->o->path)
    rift_event_add_strref(b, e, RIFT_F_LOG_FILE_PATH, z->o->path,
                          strlen(z->o->path));
  return e;
}

static int64_t seconds_ns(const struct logkv *kv)
{
  return logrec_time(kv);
}

static rift_err conn(struct zeek *z, uint64_t off, uint64_t lineno)
{
  struct rift_batch *b = &z->ls.batch;
  struct rift_event *e = base(z, RIFT_KIND_FLOW, "zeek.conn", off, lineno);
  const struct logkv *kv;
  int64_t dur;
  if(!e)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  e->type = "connection";
  e->action = "network_flow";
  kv = G(z, "service");
  if(logrec_set(kv)) {
    const char *c = memchr(kv->v, ',', kv->vl);
    size_t n = c ? (size_t)(c - kv->v) : kv->vl;
    if(n == 3 && !memcmp(kv->v, "ssl", 3))
      rift_event_add_strref(b, e, RIFT_F_NETWORK_PROTOCOL, "tls", 3);
    else
      rift_event_add_str(b, e, RIFT_F_NETWORK_PROTOCOL, kv->v, n);
  }
  rift_netev_time(b, e, RIFT_F_EVENT_START, e->ts, 6);
  dur = seconds_ns(G(z, "duration"));
  if(dur != RIFT_TIME_NONE && e->ts != RIFT_TIME_NONE) {
    rift_netev_time(b, e, RIFT_F_EVENT_END, rift_time_add(e->ts, dur), 6);
    rift_event_add_int(b, e, RIFT_F_EVENT_DURATION, dur);
  }
  else if(dur != RIFT_TIME_NONE) {
    rift_event_add_int(b, e, RIFT_F_EVENT_DURATION, dur);
  }
  logrec_uint(b, e, RIFT_F_SOURCE_PACKETS, G(z, "orig_pkts"));
  logrec_uint(b, e, RIFT_F_SOURCE_BYTES, G(z, "orig_ip_bytes"));
  logrec_uint(b, e, RIFT_F_DESTINATION_PACKETS, G(z, "resp_pkts"));
  logrec_uint(b, e, RIFT_F_DESTINATION_BYTES, G(z, "resp_ip_bytes"));
  logrec_uint(b, e, RIFT_F_RIFT_FLOW_SRC_PAYLOAD, G(z, "orig_bytes"));
  logrec_uint(b, e, RIFT_F_RIFT_FLOW_DST_PAYLOAD, G(z, "resp_bytes"));
  logrec_str(b, e, RIFT_F_RIFT_ZEEK_CONN_STATE, G(z, "conn_state"));
  logrec_str(b, e, RIFT_F_RIFT_ZEEK_HISTORY, G(z, "history"));
  return b->arena.err;
}

static rift_err dns(struct zeek *z, uint64_t off, uint64_t lineno)
{
  struct rift_batch *b = &z->ls.batch;
  struct rift_event *e = base(z, RIFT_KIND_DNS, "zeek.dns", off, lineno);
  const struct logkv *kv;
  size_t i;
  if(!e)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  e->type = "protocol";
  e->action = "dns_query";
  rift_event_add_strref(b, e, RIFT_F_NETWORK_PROTOCOL, "dns", 3);
  logrec_uint(b, e, RIFT_F_DNS_ID, G(z, "trans_id"));
  kv = G(z, "rcode_name");
  rift_event_add_strref(b, e, RIFT_F_DNS_TYPE,
                        logrec_set(kv) ? "answer" : "query",
                        logrec_set(kv) ? 6 : 5);
  logrec_str(b, e, RIFT_F_DNS_QUESTION_NAME, G(z, "query"));
  logrec_str(b, e, RIFT_F_DNS_QUESTION_TYPE, G(z, "qtype_name"));
  kv = G(z, "qclass_name");
  if(logrec_set(kv))
    rift_event_add_str(b, e, RIFT_F_DNS_QUESTION_CLASS,
                       kv->vl == 10 && !memcmp(kv->v, "C_INTERNET", 10) ?
                         "IN" : kv->v,
                       kv->vl == 10 && !memcmp(kv->v, "C_INTERNET", 10) ?
                         2 : kv->vl);
  logrec_str(b, e, RIFT_F_DNS_RESPONSE_CODE, G(z, "rcode_name"));
  if(logrec_set(G(z, "AA")) && G(z, "AA")->v[0] == 'T')
    rift_event_add_strref(b, e, RIFT_F_DNS_HEADER_FLAGS, "AA", 2);
  if(logrec_set(G(z, "TC")) && G(z, "TC")->v[0] == 'T')
    rift_event_add_strref(b, e, RIFT_F_DNS_HEADER_FLAGS, "TC", 2);
  if(logrec_set(G(z, "RD")) && G(z, "RD")->v[0] == 'T')
    rift_event_add_strref(b, e, RIFT_F_DNS_HEADER_FLAGS, "RD", 2);
  if(logrec_set(G(z, "RA")) && G(z, "RA")->v[0] == 'T')
    rift_event_add_strref(b, e, RIFT_F_DNS_HEADER_FLAGS, "RA", 2);
  for(i = 0, kv = logrec_next(&z->rec, "answers", &i); kv;
      kv = logrec_next(&z->rec, "answers", &i)) {
    uint8_t ip[16];
    if(!logrec_set(kv))
      continue;
    logrec_str(b, e, RIFT_F_DNS_ANSWERS_DATA, kv);
    if(rift_ip_parse(kv->v, kv->vl, ip))
      logrec_str(b, e, RIFT_F_DNS_RESOLVED_IP, kv);
  }
  for(i = 0, kv = logrec_next(&z->rec, "TTLs", &i); kv;
      kv = logrec_next(&z->rec, "TTLs", &i)) {
    if(logrec_set(kv)) {
      int64_t ns = logrec_time(kv);
      if(ns != RIFT_TIME_NONE)
        rift_event_add_uint(b, e, RIFT_F_DNS_ANSWERS_TTL,
                            (uint64_t)(ns / 1000000000));
    }
  }
  return b->arena.err;
}

static rift_err http(struct zeek *z, uint64_t off, uint64_t lineno)
{
  struct rift_batch *b = &z->ls.batch;
  struct rift_event *e = base(z, RIFT_KIND_HTTP, "zeek.http", off, lineno);
  const struct logkv *kv;
  if(!e)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  e->category = "web";
  e->type = "access";
  e->action = "http_request";
  rift_event_add_strref(b, e, RIFT_F_NETWORK_PROTOCOL, "http", 4);
  logrec_str(b, e, RIFT_F_HTTP_REQUEST_METHOD, G(z, "method"));
  kv = G(z, "uri");
  if(logrec_set(kv))
    rift_netev_url(b, e, kv->v, kv->vl);
  logrec_str(b, e, RIFT_F_URL_DOMAIN, G(z, "host"));
  logrec_str(b, e, RIFT_F_DESTINATION_DOMAIN, G(z, "host"));
  logrec_str(b, e, RIFT_F_USER_AGENT, G(z, "user_agent"));
  logrec_str(b, e, RIFT_F_HTTP_REQUEST_REFERRER, G(z, "referrer"));
  logrec_str(b, e, RIFT_F_HTTP_VERSION, G(z, "version"));
  logrec_uint(b, e, RIFT_F_HTTP_REQUEST_BODY_BYTES, G(z, "request_body_len"));
  logrec_uint(b, e, RIFT_F_HTTP_RESPONSE_BODY_BYTES,
              G(z, "response_body_len"));
  kv = G(z, "status_code");
  logrec_uint(b, e, RIFT_F_HTTP_RESPONSE_STATUS, kv);
  if(logrec_set(kv))
    e->outcome = strtoul(kv->v, NULL, 10) < 400 ? "success" : "failure";
  logrec_str(b, e, RIFT_F_HTTP_RESPONSE_MIME_TYPE, G(z, "resp_mime_types"));
  return b->arena.err;
}

/* Zeek's version names: TLSv10..TLSv13, TLSv13-draftNN, SSLv2/3,
 * DTLSv10/12; anything else is kept as written. */
static void zeek_version(struct rift_batch *b, struct rift_event *e,
                         const struct logkv *kv)
{
  const char *v, *proto = NULL;
  char t[32];
  int n;
  if(!logrec_set(kv) || kv->vl >= 24)
    return;
  v = kv->v;
  if(kv->vl == 6 && !strncmp(v, "TLSv1", 5)) {
    n = snprintf(t, sizeof(t), "1.%c", v[5]);
    proto = "tls";
  }
  else if(kv->vl > 12 && !strncmp(v, "TLSv13-draft", 12)) {
    n = snprintf(t, sizeof(t), "1.3-draft-%s", v + 12);
    proto = "tls";
  }
  else if(kv->vl == 5 && !strncmp(v, "SSLv", 4)) {
    n = snprintf(t, sizeof(t), "%c.0", v[4]);
    proto = "ssl";
  }
  else if(kv->vl == 7 && !strncmp(v, "DTLSv1", 6)) {
    n = snprintf(t, sizeof(t), "1.%c", v[6]);
    proto = "dtls";
  }
  else if(kv->vl > 8 && !strncmp(v, "unknown-", 8)) {
    /* Zeek prints unknown codes in decimal; rift in hex like 0x7e01 */
    n = snprintf(t, sizeof(t), "0x%04lx", strtoul(v + 8, NULL, 10) & 0xffff);
  }
  else {
    n = snprintf(t, sizeof(t), "%s", v);
  }
  rift_event_add_str(b, e, RIFT_F_TLS_VERSION, t, (size_t)n);
  if(proto)
    rift_event_add_strref(b, e, RIFT_F_TLS_VERSION_PROTOCOL, proto,
                          strlen(proto));
}

static rift_err ssl(struct zeek *z, uint64_t off, uint64_t lineno)
{
  struct rift_batch *b = &z->ls.batch;
  struct rift_event *e = base(z, RIFT_KIND_TLS, "zeek.ssl", off, lineno);
  const struct logkv *kv, *s, *i;
  if(!e)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  e->type = "protocol";
  e->action = "tls_handshake";
  kv = G(z, "version");
  rift_event_add_strref(b, e, RIFT_F_NETWORK_PROTOCOL,
                        logrec_set(kv) && kv->v[0] == 'D' ? "dtls" : "tls",
                        logrec_set(kv) && kv->v[0] == 'D' ? 4 : 3);
  zeek_version(b, e, kv);
  logrec_str(b, e, RIFT_F_TLS_CIPHER, G(z, "cipher"));
  logrec_str(b, e, RIFT_F_TLS_CURVE, G(z, "curve"));
  logrec_str(b, e, RIFT_F_TLS_SNI, G(z, "server_name"));
  logrec_bool(b, e, RIFT_F_TLS_RESUMED, G(z, "resumed"));
  logrec_bool(b, e, RIFT_F_TLS_ESTABLISHED, G(z, "established"));
  logrec_str(b, e, RIFT_F_TLS_NEXT_PROTOCOL, G(z, "next_protocol"));
  /* JA3/JA3S/JA4 from the Zeek packages that add them */
  logrec_str(b, e, RIFT_F_TLS_JA3, G(z, "ja3"));
  logrec_str(b, e, RIFT_F_TLS_JA3S, G(z, "ja3s"));
  logrec_str(b, e, RIFT_F_RIFT_JA4, G(z, "ja4"));
  {
    size_t pos = 0, nfp = 0;
    for(kv = logrec_next(&z->rec, "cert_chain_fps", &pos); kv;
        kv = logrec_next(&z->rec, "cert_chain_fps", &pos)) {
      if(!logrec_set(kv))
        continue;
      if(nfp++ == 0)
        logrec_str(b, e, RIFT_F_TLS_SERVER_SHA256, kv);
      logrec_str(b, e, RIFT_F_RIFT_TLS_CHAIN_SHA256, kv);
    }
    if(nfp)
      rift_event_add_uint(b, e, RIFT_F_RIFT_TLS_CHAIN_LENGTH, nfp);
  }
  /* older ssl.log carries the leaf's subject and issuer */
  s = G(z, "subject");
  i = G(z, "issuer");
  logrec_str(b, e, RIFT_F_TLS_SERVER_SUBJECT, s);
  logrec_str(b, e, RIFT_F_TLS_SERVER_ISSUER, i);
  if(logrec_set(s) && logrec_set(i))
    rift_event_add_bool(b, e, RIFT_F_RIFT_TLS_SELF_ISSUED,
                        s->vl == i->vl && !memcmp(s->v, i->v, s->vl));
  logrec_str(b, e, RIFT_F_TLS_CLIENT_SUBJECT, G(z, "client_subject"));
  logrec_str(b, e, RIFT_F_TLS_CLIENT_ISSUER, G(z, "client_issuer"));
  kv = G(z, "validation_status");
  (void)kv;
  return b->arena.err;
}

static rift_err x509(struct zeek *z, uint64_t off, uint64_t lineno)
{
  struct rift_batch *b = &z->ls.batch;
  struct rift_event *e = base(z, RIFT_KIND_X509, "zeek.x509", off, lineno);
  const struct logkv *kv, *s, *i;
  static const char *const sans[] = { "san.dns", "san.uri", "san.email",
                                      "san.ip" };
  size_t k, j;
  if(!e)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  e->type = "info";
  e->action = "x509_certificate";
  logrec_str(b, e, RIFT_F_RIFT_X509_SHA256, G(z, "fingerprint"));
  logrec_uint(b, e, RIFT_F_X509_VERSION, G(z, "certificate.version"));
  logrec_str(b, e, RIFT_F_X509_SERIAL, G(z, "certificate.serial"));
  s = G(z, "certificate.subject");
  i = G(z, "certificate.issuer");
  logrec_str(b, e, RIFT_F_X509_SUBJECT, s);
  logrec_str(b, e, RIFT_F_X509_ISSUER, i);
  for(k = 0; k < 2; k++) {
    int64_t t = logrec_time(G(z, k ? "certificate.not_valid_after"
                                   : "certificate.not_valid_before"));
    rift_netev_time(b, e, k ? RIFT_F_X509_NOT_AFTER : RIFT_F_X509_NOT_BEFORE,
                    t, 0);
  }
  logrec_str(b, e, RIFT_F_X509_KEY_ALG, G(z, "certificate.key_alg"));
  logrec_str(b, e, RIFT_F_X509_SIG_ALG, G(z, "certificate.sig_alg"));
  logrec_str(b, e, RIFT_F_RIFT_X509_KEY_TYPE, G(z, "certificate.key_type"));
  logrec_uint(b, e, RIFT_F_X509_KEY_SIZE, G(z, "certificate.key_length"));
  logrec_str(b, e, RIFT_F_X509_KEY_CURVE, G(z, "certificate.curve"));
  for(j = 0; j < 4; j++) {
    for(k = 0, kv = logrec_next(&z->rec, sans[j], &k); kv;
        kv = logrec_next(&z->rec, sans[j], &k))
      logrec_str(b, e, RIFT_F_X509_SAN, kv);
  }
  logrec_bool(b, e, RIFT_F_RIFT_X509_CA, G(z, "basic_constraints.ca"));
  kv = G(z, "basic_constraints.path_len");
  if(logrec_set(kv))
    rift_event_add_int(b, e, RIFT_F_RIFT_X509_PATH_LEN,
                       strtol(kv->v, NULL, 10));
  logrec_bool(b, e, RIFT_F_RIFT_X509_CLIENT, G(z, "client_cert"));
  if(logrec_set(s) && logrec_set(i))
    rift_event_add_bool(b, e, RIFT_F_RIFT_X509_SELF_ISSUED,
                        s->vl == i->vl && !memcmp(s->v, i->v, s->vl));
  return b->arena.err;
}

static enum zlog guess(struct zeek *z)
{
  const struct logkv *p = G(z, "_path");
  if(logrec_set(p))
    return log_of(p->v, p->vl);
  if(z->file_log != Z_OTHER)
    return z->file_log;
  if(G(z, "conn_state") || G(z, "orig_ip_bytes"))
    return Z_CONN;
  if(G(z, "qtype_name") || G(z, "rcode_name") || G(z, "trans_id"))
    return Z_DNS;
  if(G(z, "method") && G(z, "uri"))
    return Z_HTTP;
  if(G(z, "certificate.subject") || G(z, "certificate.serial"))
    return Z_X509;
  if(G(z, "server_name") || G(z, "cipher") || G(z, "cert_chain_fps"))
    return Z_SSL;
  return Z_OTHER;
}

static rift_err record(struct zeek *z, enum zlog log, uint64_t off,
                       uint64_t lineno)
{
  rift_err rc;
  switch(log) {
  case Z_CONN: rc = conn(z, off, lineno); break;
  case Z_DNS: rc = dns(z, off, lineno); break;
  case Z_HTTP: rc = http(z, off, lineno); break;
  case Z_SSL: rc = ssl(z, off, lineno); break;
  case Z_X509: rc = x509(z, off, lineno); break;
  default:
    z->skipped++;
    return RIFT_OK;
  }
  if(rc)
    return rc;
  return logsink_maybe_flush(&z->ls);
}

/* --- TSV ----------------------------------------------------------------- */

static size_t unescape(char *d, const char *s, size_t n)
{
  size_t i, o = 0;
  for(i = 0; i < n; i++) {
    if(s[i] == '\\' && i + 3 < n && s[i + 1] == 'x') {
      int hi = s[i + 2], lo = s[i + 3], v = 0, k, ok = 1;
      for(k = 0; k < 2; k++) {
        int c = k ? lo : hi;
        v <<= 4;
        if(c >= '0' && c <= '9')
          v |= c - '0';
        else if(c >= 'a' && c <= 'f')
          v |= c - 'a' + 10;
        else if(c >= 'A' && c <= 'F')
          v |= c - 'A' + 10;
        else
          ok = 0;
      }
      if(ok) {
        d[o++] = (char)v;
        i += 3;
        continue;
      }
    }
    d[o++] = s[i];
  }
  return o;
}

static void clear_fields(struct zeek *z)
{
  size_t i;
  for(i = 0; i < z->nfields; i++)
    free(z->fields[i]);
  z->nfields = 0;
}

static void header(struct zeek *z, const char *line, size_t n)
{
  const char *sp = memchr(line, ' ', n);
  const char *val = sp ? sp + 1 : line + n;
  size_t vl = (size_t)(line + n - val), i, s;
  char tmp[16];
  if(n >= 10 && !memcmp(line, "#separator", 10)) {
    size_t k = unescape(tmp, val, vl < sizeof(tmp) ? vl : sizeof(tmp));
    z->sep = k ? tmp[0] : '\t';
    return;
  }
  if(!memcmp(line, "#set_separator", n < 14 ? n : 14) && n >= 14) {
    const char *v = memchr(line, z->sep, n);
    if(v) {
      size_t k = unescape(tmp, v + 1, (size_t)(line + n - v - 1) < sizeof(tmp)
                          ? (size_t)(line + n - v - 1) : sizeof(tmp));
      z->setsep = k ? tmp[0] : ',';
    }
    return;
  }
  if(n >= 5 && !memcmp(line, "#path", 5)) {
    const char *v = memchr(line, z->sep, n);
    if(v)
      z->log = log_of(v + 1, (size_t)(line + n - v - 1));
    return;
  }
  if(n >= 7 && !memcmp(line, "#fields", 7)) {
    clear_fields(z);
    s = 8;
    for(i = 8; i <= n && z->nfields < ZEEK_MAX_FIELDS; i++) {
      if(i == n || line[i] == z->sep) {
        z->fields[z->nfields] = malloc(i - s + 1);
        if(!z->fields[z->nfields])
          return;
        memcpy(z->fields[z->nfields], line + s, i - s);
        z->fields[z->nfields][i - s] = 0;
        z->is_set[z->nfields] = 0;
        z->nfields++;
        s = i + 1;
      }
    }
    return;
  }
  if(n >= 6 && !memcmp(line, "#types", 6)) {
    size_t f = 0;
    s = 7;
    for(i = 7; i <= n && f < z->nfields; i++) {
      if(i == n || line[i] == z->sep) {
        z->is_set[f++] = (i - s >= 4 && !memcmp(line + s, "set[", 4)) ||
                         (i - s >= 7 && !memcmp(line + s, "vector[", 7));
        s = i + 1;
      }
    }
  }
}

static rift_err tsv_line(struct zeek *z, const char *line, size_t n,
                         uint64_t off, uint64_t lineno)
{
  size_t f = 0, s = 0, i;
  char *buf;
  rift_err rc;
  if(line[0] == '#') {
    header(z, line, n);
    return RIFT_OK;
  }
  if(!z->nfields) {
    rift_diag_report(z->d, RIFT_DIAG_WARN, RIFT_CORRUPT, off,
                     "line %llu: zeek record before its #fields header",
                     (unsigned long long)lineno);
    z->ls.st->errors++;
    return RIFT_OK;
  }
  logrec_clear(&z->rec);
  buf = rift_arena_alloc(&z->rec.a, n + 1);
  if(!buf)
    return RIFT_NOMEM;
  for(i = 0; i <= n; i++) {
    if(i < n && line[i] != z->sep)
      continue;
    if(f >= z->nfields)
      break;
    {
      size_t vl = unescape(buf, line + s, i - s);
      const char *key = z->fields[f];
      if(z->is_set[f] && !(vl == 7 && !memcmp(buf, "(empty)", 7)) &&
         !(vl == 1 && buf[0] == '-')) {
        size_t a = 0, k;
        for(k = 0; k <= vl; k++) {
          if(k == vl || buf[k] == z->setsep) {
            rc = logrec_add(&z->rec, key, strlen(key), RIFT_JSON_STR, buf + a,
                            k - a);
            if(rc)
              return rc;
            a = k + 1;
          }
        }
      }
      else {
        rc = logrec_add(&z->rec, key, strlen(key), RIFT_JSON_STR, buf, vl);
        if(rc)
          return rc;
      }
    }
    f++;
    s = i + 1;
  }
  if(f != z->nfields) {
    rift_diag_report(z->d, RIFT_DIAG_WARN, RIFT_CORRUPT, off,
                     "line %llu: %zu fields, the header has %zu",
                     (unsigned long long)lineno, f, z->nfields);
    z->ls.st->errors++;
    return RIFT_OK;
  }
  return record(z, z->log != Z_OTHER ? z->log : guess(z), off, lineno);
}

static rift_err json_line(struct zeek *z, const char *line, size_t n,
                          uint64_t off, uint64_t lineno)
{
  size_t eo = 0;
  rift_err rc;
  logrec_clear(&z->rec);
  rc = logrec_json(&z->rec, line, n, &eo);
  if(rc == RIFT_NOMEM)
    return rc;
  if(rc) {
    rift_diag_report(z->d, RIFT_DIAG_WARN, rc, off + eo,
                     "line %llu: %s", (unsigned long long)lineno,
                     rc == RIFT_SYNTAX ? "not a JSON object" :
                     rift_strerror(rc));
    z->ls.st->errors++;
    return RIFT_OK;
  }
  return record(z, guess(z), off, lineno);
}

static rift_err line_cb(void *ctx, const char *line, size_t n, uint64_t off,
                        uint64_t lineno)
{
  struct zeek *z = ctx;
  if(z->json || (lineno == 1 && line[0] == '{')) {
    z->json = 1;
    return json_line(z, line, n, off, lineno);
  }
  return tsv_line(z, line, n, off, lineno);
}

rift_err rift_zeek_parse(const struct rift_source *src,
                         const struct rift_parse_opts *o,
                         struct rift_event_sink *sink, struct rift_diag *d,
                         struct rift_parse_stats *st)
{
  struct zeek *z = calloc(1, sizeof(*z));
  rift_err rc;
  if(!z)
    return RIFT_NOMEM;
  z->o = o;
  z->d = d;
  z->sep = '\t';
  z->setsep = ',';
  z->file_log = log_of_path(o->path ? o->path : src->name);
  logsink_init(&z->ls, sink, st);
  logrec_init(&z->rec);
  rc = logrec_lines(src, o, line_cb, z);
  if(!rc)
    rc = logsink_flush(&z->ls);
  clear_fields(z);
  logrec_release(&z->rec);
  logsink_release(&z->ls);
  free(z);
  return rc;
}
