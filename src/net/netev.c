/*
 * netev.c - engine records to events (netev.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/rtime.h"
#include "net/cid.h"
#include "net/ja3.h"
#include "net/ja4.h"
#include "net/netev.h"
#include "net/quic.h"
#include "net/x509.h"
#include "source/hash.h"

#define S(id, s) rift_event_add_str(b, ev, RIFT_F_##id, (s), strlen(s))
#define SN(id, s, n) rift_event_add_str(b, ev, RIFT_F_##id, (s), (n))
#define SR(id, s) rift_event_add_strref(b, ev, RIFT_F_##id, (s), strlen(s))
#define U(id, v) rift_event_add_uint(b, ev, RIFT_F_##id, (v))
#define I(id, v) rift_event_add_int(b, ev, RIFT_F_##id, (v))
#define B(id, v) rift_event_add_bool(b, ev, RIFT_F_##id, (v))

const char *rift_transport_name(uint8_t proto)
{
  switch(proto) {
  case RIFT_IPPROTO_TCP: return "tcp";
  case RIFT_IPPROTO_UDP: return "udp";
  case RIFT_IPPROTO_ICMP: return "icmp";
  case RIFT_IPPROTO_ICMPV6: return "ipv6-icmp";
  case RIFT_IPPROTO_GRE: return "gre";
  case RIFT_IPPROTO_SCTP: return "sctp";
  case 50: return "esp";
  case 51: return "ah";
  case 2: return "igmp";
  case 89: return "ospf";
  default: return NULL;
  }
}

rift_err rift_netev_time(struct rift_batch *b, struct rift_event *ev,
                         uint32_t id, int64_t ns, int frac)
{
  char t[RIFT_TIME_FMT_MAX];
  size_t n;
  if(ns == RIFT_TIME_NONE)
    return RIFT_OK;
  n = rift_time_fmt(t, ns, frac);
  return rift_event_add_str(b, ev, id, t, n);
}

rift_err rift_netev_url(struct rift_batch *b, struct rift_event *ev,
                        const char *u, size_t n)
{
  size_t ps = 0, pe, seg, i;
  rift_err rc = rift_event_add_str(b, ev, RIFT_F_URL_ORIGINAL, u, n);
  if(rc || !n)
    return rc;
  if(u[0] != '/') {
    const char *s = memmem(u, n, "://", 3);
    if(!s)
      return RIFT_OK;
    ps = (size_t)(s - u) + 3;
    while(ps < n && u[ps] != '/' && u[ps] != '?' && u[ps] != '#')
      ps++;
  }
  pe = ps;
  while(pe < n && u[pe] != '?' && u[pe] != '#')
    pe++;
  if(pe > ps && (rc = rift_event_add_str(b, ev, RIFT_F_URL_PATH, u + ps,
                                         pe - ps)))
    return rc;
  if(pe < n && u[pe] == '?') {
    size_t qe = pe + 1;
    while(qe < n && u[qe] != '#')
      qe++;
    rc = rift_event_add_str(b, ev, RIFT_F_URL_QUERY, u + pe + 1, qe - pe - 1);
    if(rc)
      return rc;
  }
  for(seg = pe; seg > ps && u[seg - 1] != '/'; seg--)
    ;
  for(i = pe; i > seg && u[i - 1] != '.'; i--)
    ;
  if(i > seg + 1 && i < pe) /* a dot, not leading ("/.htaccess"), not last */
    rc = rift_event_add_str(b, ev, RIFT_F_URL_EXTENSION, u + i, pe - i);
  return rc;
}

/* swap: the event's source is the flow's server (a TLS client that
 * did not open the connection, as in WebRTC DTLS) */
static struct rift_event *base2(struct rift_netev *e, const struct rift_flow *f,
                                unsigned kind, int64_t ts, uint64_t record,
                                int swap)
{
  struct rift_batch *b = e->b;
  struct rift_event *ev = rift_batch_add(b);
  char a[48], cid[RIFT_CID_LEN + 1];
  const char *tn;
  size_t n;
  if(!ev)
    return NULL;
  ev->ts = ts;
  ev->kind = (uint16_t)kind;
  ev->file_id = e->file_id;
  ev->offset = f->first_offset;
  ev->record_id = record;
  ev->host = e->host;
  ev->category = "network";
  ev->provider = "rift";
  n = rift_ip_fmt(a, f->family, swap ? f->sip : f->cip);
  SN(SOURCE_IP, a, n);
  if(f->proto == RIFT_IPPROTO_TCP || f->proto == RIFT_IPPROTO_UDP ||
     f->proto == RIFT_IPPROTO_SCTP)
    U(SOURCE_PORT, swap ? f->sport : f->cport);
  n = rift_ip_fmt(a, f->family, swap ? f->cip : f->sip);
  SN(DESTINATION_IP, a, n);
  if(f->proto == RIFT_IPPROTO_TCP || f->proto == RIFT_IPPROTO_UDP ||
     f->proto == RIFT_IPPROTO_SCTP)
    U(DESTINATION_PORT, swap ? f->cport : f->sport);
  tn = rift_transport_name(f->proto);
  if(tn)
    SR(NETWORK_TRANSPORT, tn);
  else
    U(NETWORK_TRANSPORT, f->proto);
  SR(NETWORK_TYPE, f->family == 4 ? "ipv4" : "ipv6");
  if(f->vlan)
    U(NETWORK_VLAN_ID, f->vlan);
  n = rift_community_id(cid, f->family, f->proto, f->cip, f->sip, f->cport,
                        f->sport, e->cid_seed);
  if(n)
    SN(NETWORK_COMMUNITY_ID, cid, n);
  if(e->path)
    SR(LOG_FILE_PATH, e->path);
  return b->arena.err ? NULL : ev;
}

static struct rift_event *base(struct rift_netev *e, const struct rift_flow *f,
                               unsigned kind, int64_t ts, uint64_t record)
{
  return base2(e, f, kind, ts, record, 0);
}

static void flags_str(char *o, uint8_t fl)
{
  static const char letters[] = "FSRPAUEC";
  int i, n = 0;
  for(i = 0; i < 8; i++) {
    if(fl & (1u << i))
      o[n++] = letters[i];
  }
  o[n] = 0;
}

rift_err rift_netev_flow(struct rift_netev *e, const struct rift_flow *f)
{
  struct rift_batch *b = e->b;
  struct rift_event *ev = base(e, f, RIFT_KIND_FLOW, f->first_ts,
                               f->first_frame);
  const char *app = rift_app_name(f->app);
  char fl[12];
  if(!ev)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  ev->type = "connection";
  ev->action = "network_flow";
  ev->dataset = "network.flow";
  if(app)
    SR(NETWORK_PROTOCOL, app);
  rift_netev_time(b, ev, RIFT_F_EVENT_START, f->first_ts, 9);
  rift_netev_time(b, ev, RIFT_F_EVENT_END, f->last_ts, 9);
  I(EVENT_DURATION, rift_time_sub(f->last_ts, f->first_ts));
  U(SOURCE_PACKETS, f->pkts[0]);
  U(SOURCE_BYTES, f->bytes[0]);
  U(DESTINATION_PACKETS, f->pkts[1]);
  U(DESTINATION_BYTES, f->bytes[1]);
  U(NETWORK_PACKETS, f->pkts[0] + f->pkts[1]);
  U(NETWORK_BYTES, f->bytes[0] + f->bytes[1]);
  U(RIFT_FLOW_SRC_PAYLOAD, f->payload[0]);
  U(RIFT_FLOW_DST_PAYLOAD, f->payload[1]);
  if(f->proto == RIFT_IPPROTO_TCP) {
    flags_str(fl, f->tflags[0]);
    S(RIFT_FLOW_SRC_FLAGS, fl);
    flags_str(fl, f->tflags[1]);
    S(RIFT_FLOW_DST_FLAGS, fl);
  }
  if(f->state & RIFT_FLOW_RST)
    SR(RIFT_FLOW_STATE, "reset");
  else if((f->state & (RIFT_FLOW_FIN_C | RIFT_FLOW_FIN_S)) ==
          (RIFT_FLOW_FIN_C | RIFT_FLOW_FIN_S))
    SR(RIFT_FLOW_STATE, "closed");
  else if(f->state & RIFT_FLOW_EVICTED)
    SR(RIFT_FLOW_STATE, "evicted");
  else if(f->state & RIFT_FLOW_TIMEOUT)
    SR(RIFT_FLOW_STATE, "timeout");
  else if(f->proto == RIFT_IPPROTO_TCP)
    SR(RIFT_FLOW_STATE, "open");
  U(RIFT_FLOW_ID, f->id);
  return b->arena.err;
}

/* --- TLS --------------------------------------------------------------- */

static rift_err cert_fields(struct rift_netev *e, struct rift_event *ev,
                            const struct rift_x509 *x, int client,
                            int64_t ts)
{
  struct rift_batch *b = e->b;
  unsigned i;
  int v;
  if(!client) {
    if(x->subject)
      S(TLS_SERVER_SUBJECT, x->subject);
    if(x->issuer)
      S(TLS_SERVER_ISSUER, x->issuer);
    if(x->subject_cn)
      S(TLS_SERVER_SUBJECT_CN, x->subject_cn);
    if(x->issuer_cn)
      S(TLS_SERVER_ISSUER_CN, x->issuer_cn);
    if(x->serial)
      S(TLS_SERVER_SERIAL, x->serial);
    rift_netev_time(b, ev, RIFT_F_TLS_SERVER_NOT_BEFORE, x->not_before, 0);
    rift_netev_time(b, ev, RIFT_F_TLS_SERVER_NOT_AFTER, x->not_after, 0);
    for(i = 0; i < x->nsan; i++)
      SN(TLS_SERVER_SAN, x->san[i].value, x->san[i].len);
    if(x->key_type)
      S(TLS_SERVER_KEY_ALG, x->key_type);
    if(x->key_bits)
      U(TLS_SERVER_KEY_SIZE, x->key_bits);
    if(x->curve)
      S(TLS_SERVER_KEY_CURVE, x->curve);
    if(x->sig_alg)
      S(TLS_SERVER_SIG_ALG, x->sig_alg);
    U(TLS_SERVER_X509_VERSION, (uint64_t)x->version);
    if(x->sha1[0])
      S(TLS_SERVER_SHA1, x->sha1);
    if(x->sha256[0])
      S(TLS_SERVER_SHA256, x->sha256);
    B(RIFT_TLS_SELF_SIGNED, x->self_signed);
    B(RIFT_TLS_SELF_ISSUED, x->self_issued);
    v = rift_x509_validity(x, ts);
    if(ts != RIFT_TIME_NONE) {
      B(RIFT_TLS_CERT_EXPIRED, v > 0);
      B(RIFT_TLS_CERT_NOT_YET_VALID, v < 0);
    }
  }
  else {
    if(x->subject)
      S(TLS_CLIENT_SUBJECT, x->subject);
    if(x->issuer)
      S(TLS_CLIENT_ISSUER, x->issuer);
    if(x->serial)
      S(TLS_CLIENT_SERIAL, x->serial);
    rift_netev_time(b, ev, RIFT_F_TLS_CLIENT_NOT_BEFORE, x->not_before, 0);
    rift_netev_time(b, ev, RIFT_F_TLS_CLIENT_NOT_AFTER, x->not_after, 0);
    if(x->sha1[0])
      S(TLS_CLIENT_SHA1, x->sha1);
    if(x->sha256[0])
      S(TLS_CLIENT_SHA256, x->sha256);
  }
  return b->arena.err;
}

static rift_err x509_event(struct rift_netev *e, const struct rift_flow *f,
                           const struct rift_x509 *x, int client,
                           unsigned index, int64_t ts, uint64_t record,
                           int swap)
{
  struct rift_batch *b = e->b;
  struct rift_event *ev = base2(e, f, RIFT_KIND_X509, ts, record, swap);
  unsigned i;
  if(!ev)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  ev->type = "info";
  ev->action = "x509_certificate";
  ev->dataset = "network.x509";
  if(x->subject)
    S(X509_SUBJECT, x->subject);
  if(x->issuer)
    S(X509_ISSUER, x->issuer);
  if(x->subject_cn)
    S(X509_SUBJECT_CN, x->subject_cn);
  if(x->serial)
    S(X509_SERIAL, x->serial);
  rift_netev_time(b, ev, RIFT_F_X509_NOT_BEFORE, x->not_before, 0);
  rift_netev_time(b, ev, RIFT_F_X509_NOT_AFTER, x->not_after, 0);
  for(i = 0; i < x->nsan; i++)
    SN(X509_SAN, x->san[i].value, x->san[i].len);
  if(x->key_alg)
    S(X509_KEY_ALG, x->key_alg);
  if(x->key_type)
    S(RIFT_X509_KEY_TYPE, x->key_type);
  if(x->key_bits)
    U(X509_KEY_SIZE, x->key_bits);
  if(x->curve)
    S(X509_KEY_CURVE, x->curve);
  if(x->sig_alg)
    S(X509_SIG_ALG, x->sig_alg);
  U(X509_VERSION, (uint64_t)x->version);
  S(RIFT_X509_SHA1, x->sha1);
  S(RIFT_X509_SHA256, x->sha256);
  U(RIFT_X509_CHAIN_INDEX, index);
  B(RIFT_X509_CLIENT, client);
  B(RIFT_X509_SELF_ISSUED, x->self_issued);
  B(RIFT_X509_SELF_SIGNED, x->self_signed);
  if(x->is_ca >= 0)
    B(RIFT_X509_CA, x->is_ca);
  if(x->path_len >= 0)
    I(RIFT_X509_PATH_LEN, x->path_len);
  return b->arena.err;
}

static void alpn_value(struct rift_netev *e, struct rift_event *ev,
                       uint32_t id, const struct rift_tls_hello *h,
                       unsigned i)
{
  rift_event_add_str(e->b, ev, id, (const char *)h->alpn + h->alpn_off[i],
                     h->alpn_len[i]);
}

rift_err rift_netev_tls(struct rift_netev *e, const struct rift_flow *f,
                        const struct rift_tls *t)
{
  struct rift_batch *b = e->b;
  const struct rift_tls_hello *ch = NULL, *sh = NULL;
  struct rift_event *ev;
  struct rift_buf s;
  char md5[RIFT_MD5_HEX], ja4[RIFT_JA4_LEN + 1], vs[24];
  const char *proto;
  int64_t ts = f->first_ts;
  uint64_t record = f->first_frame;
  unsigned i, side;
  int swap = t->client_dir == 1;
  char fp = t->quic ? 'q' : t->dtls ? 'd' : 't';
  rift_err rc = RIFT_OK;
  for(i = 0; i < t->nhello; i++) {
    if(t->hello[i]->client && !ch)
      ch = t->hello[i];
    if(!t->hello[i]->client && !t->hello[i]->hrr)
      sh = t->hello[i];
  }
  if(!sh) {
    for(i = 0; i < t->nhello; i++) {
      if(!t->hello[i]->client) {
        sh = t->hello[i];
        break;
      }
    }
  }
  if(ch) {
    ts = ch->ts;
    record = ch->frame;
  }
  else if(t->nhello) {
    ts = t->hello[0]->ts;
    record = t->hello[0]->frame;
  }
  ev = base2(e, f, RIFT_KIND_TLS, ts, record, swap);
  if(!ev)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  ev->type = "protocol";
  ev->action = "tls_handshake";
  ev->dataset = t->quic ? "network.quic" : "network.tls";
  SR(NETWORK_PROTOCOL, t->quic ? "quic" : t->dtls ? "dtls" : "tls");
  if(sh || ch) {
    /* the negotiated version, else (client hello only) what the client
     * offered: its highest supported_versions entry or legacy version */
    uint16_t v = 0;
    size_t n;
    if(sh) {
      v = sh->selected ? sh->selected : sh->version;
    }
    else {
      for(i = 0; i < ch->nversions; i++) {
        uint16_t x = ch->versions[i];
        if(!rift_tls_grease(x) && x <= 0x0304 && x > v)
          v = x;
      }
      if(!v)
        v = ch->version;
    }
    n = rift_tls_version_str(vs, v, &proto);
    SN(TLS_VERSION, vs, n);
    SR(TLS_VERSION_PROTOCOL, proto);
  }
  if(sh) {
    {
      const char *cn = rift_tls_cipher_name(sh->ciphers[0]);
      char hx[8];
      if(!cn) {
        snprintf(hx, sizeof(hx), "0x%04x", sh->ciphers[0]);
        cn = hx;
      }
      S(TLS_CIPHER, cn);
    }
    if(sh->nalpn)
      alpn_value(e, ev, RIFT_F_TLS_NEXT_PROTOCOL, sh, 0);
  }
  if(ch && ch->has_sni && ch->sni_len)
    SN(TLS_SNI, ch->sni, ch->sni_len);
  if(ch) {
    for(i = 0; i < ch->nalpn; i++)
      alpn_value(e, ev, RIFT_F_RIFT_TLS_CLIENT_ALPN, ch, i);
    /* what the client offered: cipher suites (IANA names, else hex) and
     * versions, GREASE left out */
    for(i = 0; i < ch->nciphers; i++) {
      const char *cn;
      char hx[8];
      if(rift_tls_grease(ch->ciphers[i]))
        continue;
      cn = rift_tls_cipher_name(ch->ciphers[i]);
      if(cn) {
        SR(TLS_CLIENT_SUPPORTED_CIPHERS, cn);
      }
      else {
        snprintf(hx, sizeof(hx), "0x%04x", ch->ciphers[i]);
        S(TLS_CLIENT_SUPPORTED_CIPHERS, hx);
      }
    }
    for(i = 0; i < ch->nversions; i++) {
      const char *pr;
      size_t n;
      if(rift_tls_grease(ch->versions[i]))
        continue;
      n = rift_tls_version_str(vs, ch->versions[i], &pr);
      SN(RIFT_TLS_CLIENT_VERSIONS, vs, n);
    }
  }
  rift_buf_init(&s, 1u << 20);
  for(i = 0; i < t->nhello; i++) {
    const struct rift_tls_hello *h = t->hello[i];
    if(h->truncated)
      continue;
    rift_buf_reset(&s);
    if(rift_ja3_string(&s, h))
      continue;
    rift_md5_hex(md5, s.buf, s.len);
    if(h->client) {
      S(TLS_JA3, md5);
      SN(RIFT_JA3_STRING, s.buf, s.len);
      rift_ja4(ja4, h, fp);
      S(RIFT_JA4, ja4);
      rift_buf_reset(&s);
      if(!rift_ja4_raw(&s, h, fp, 0))
        SN(RIFT_JA4_R, s.buf, s.len);
    }
    else {
      S(TLS_JA3S, md5);
      SN(RIFT_JA3S_STRING, s.buf, s.len);
    }
  }
  rift_buf_release(&s);
  B(TLS_RESUMED, t->resumed);
  B(TLS_ESTABLISHED,
    sh && (t->app_data || (t->dir[0].ccs && t->dir[1].ccs)));
  if(t->sslv2_hello)
    B(RIFT_TLS_SSLV2_HELLO, 1);
  for(side = 0; side < 2; side++) {
    if(t->dir[side].alert) {
      U(RIFT_TLS_ALERT, t->dir[side].alert_code);
      break;
    }
  }
  /* certificates: leaf of each side on the session, every one as x509 */
  if(t->ncert[1])
    U(RIFT_TLS_CHAIN_LENGTH, t->ncert[1]);
  for(side = 0; side < 2; side++) {
    for(i = 0; i < t->ncert[side]; i++) {
      const struct rift_x509 *x;
      char h[65];
      /* the chain's other certificates: only their fingerprints, unless
       * each certificate becomes an event */
      if(side == 1 && i > 0 && !(e->flags & RIFT_NETEV_X509) && !e->xc) {
        rift_sha256(t->cert[side][i].der, t->cert[side][i].len, h);
        S(RIFT_TLS_CHAIN_SHA256, h);
        continue;
      }
      if(i > 0 && side == 0 && !(e->flags & RIFT_NETEV_X509))
        continue;
      rc = rift_x509_get(e->xc, t->cert[side][i].der, t->cert[side][i].len,
                         &b->arena, &x);
      if(rc)
        return rc;
      if(side == 1 && x->sha256[0])
        S(RIFT_TLS_CHAIN_SHA256, x->sha256);
      if(i == 0 && x->sha1[0]) {
        rc = cert_fields(e, ev, x, side == 0, ts);
        if(rc)
          return rc;
      }
      /* the session event stays the last one added until here */
      if(e->flags & RIFT_NETEV_X509) {
        size_t at = (size_t)(ev - b->ev);
        rc = x509_event(e, f, x, side == 0, i, ts, record, swap);
        if(rc)
          return rc;
        ev = &b->ev[at]; /* the event array may have moved */
      }
    }
  }
  return b->arena.err;
}

/* --- DNS --------------------------------------------------------------- */

rift_err rift_netev_dns(struct rift_netev *e, const struct rift_flow *f,
                        const struct rift_dns_txn *d)
{
  struct rift_batch *b = e->b;
  const struct rift_dns_msg *m = d->response ? d->response : d->query;
  struct rift_event *ev = base(e, f, RIFT_KIND_DNS, d->ts, d->frame);
  const char *tn;
  unsigned i;
  char num[16];
  if(!ev)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  ev->offset = d->offset;
  ev->type = "protocol";
  ev->action = "dns_query";
  ev->dataset = "network.dns";
  SR(NETWORK_PROTOCOL, "dns");
  U(DNS_ID, m->id);
  SR(DNS_TYPE, d->response ? "answer" : "query");
  if(m->qname) {
    S(DNS_QUESTION_NAME, m->qname);
    tn = rift_dns_type_name(m->qtype);
    if(!tn) {
      snprintf(num, sizeof(num), "%u", m->qtype);
      tn = num;
    }
    S(DNS_QUESTION_TYPE, tn);
    SR(DNS_QUESTION_CLASS, m->qclass == 1 ? "IN" : m->qclass == 255 ? "ANY" :
                           (m->qclass & 0x7fff) == 1 ? "IN" : "other");
  }
  if(d->response) {
    const char *rc = rift_dns_rcode_name(d->response->rcode);
    if(rc)
      SR(DNS_RESPONSE_CODE, rc);
    if(d->response->flags & 0x0400)
      SR(DNS_HEADER_FLAGS, "AA");
    if(d->response->flags & 0x0200)
      SR(DNS_HEADER_FLAGS, "TC");
    if(d->response->flags & 0x0100)
      SR(DNS_HEADER_FLAGS, "RD");
    if(d->response->flags & 0x0080)
      SR(DNS_HEADER_FLAGS, "RA");
    for(i = 0; i < d->response->nan; i++) {
      const struct rift_dns_rr *rr = &d->response->an[i];
      if(!rr->data)
        continue;
      S(DNS_ANSWERS_DATA, rr->data);
      tn = rift_dns_type_name(rr->type);
      if(!tn) {
        snprintf(num, sizeof(num), "%u", rr->type);
        tn = num;
      }
      S(DNS_ANSWERS_TYPE, tn);
      S(DNS_ANSWERS_NAME, rr->name);
      U(DNS_ANSWERS_TTL, rr->ttl);
      if(rr->type == 1 || rr->type == 28)
        S(DNS_RESOLVED_IP, rr->data);
    }
    if(d->query)
      I(EVENT_DURATION, rift_time_sub(d->resp_ts, d->ts));
  }
  return b->arena.err;
}

/* --- HTTP -------------------------------------------------------------- */

rift_err rift_netev_http(struct rift_netev *e, const struct rift_flow *f,
                         const struct rift_http_txn *h)
{
  struct rift_batch *b = e->b;
  struct rift_event *ev = base(e, f, RIFT_KIND_HTTP, h->ts, h->frame);
  if(!ev)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  if(h->offset)
    ev->offset = h->offset;
  ev->category = "web";
  ev->type = "access";
  ev->action = "http_request";
  ev->dataset = "network.http";
  SR(NETWORK_PROTOCOL, "http");
  if(h->method)
    S(HTTP_REQUEST_METHOD, h->method);
  if(h->uri)
    rift_netev_url(b, ev, h->uri, strlen(h->uri));
  if(h->host) {
    /* Host without the port */
    const char *c = strrchr(h->host, ':');
    size_t n = strlen(h->host);
    if(c && h->host[0] != '[' && !strchr(c + 1, ']'))
      n = (size_t)(c - h->host);
    SN(URL_DOMAIN, h->host, n);
    SN(DESTINATION_DOMAIN, h->host, n);
  }
  if(h->version && !strncmp(h->version, "HTTP/", 5))
    S(HTTP_VERSION, h->version + 5);
  if(h->user_agent)
    S(USER_AGENT, h->user_agent);
  if(h->referrer)
    S(HTTP_REQUEST_REFERRER, h->referrer);
  if(h->req_body)
    U(HTTP_REQUEST_BODY_BYTES, h->req_body);
  if(h->status) {
    U(HTTP_RESPONSE_STATUS, (uint64_t)h->status);
    ev->outcome = h->status < 400 ? "success" : "failure";
  }
  if(h->resp_body)
    U(HTTP_RESPONSE_BODY_BYTES, h->resp_body);
  if(h->content_type)
    S(HTTP_RESPONSE_MIME_TYPE, h->content_type);
  if(h->location)
    S(RIFT_HTTP_LOCATION, h->location);
  return b->arena.err;
}
