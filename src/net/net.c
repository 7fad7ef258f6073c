/*
 * net.c - the packet engine: flow table, TCP reassembly, protocol
 * detection and dispatch (net.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/rtime.h"
#include "net/frag.h"
#include "net/net.h"
#include "net/quic.h"

#define NS 1000000000ll
#define SWEEP_EVERY NS
#define MAX_DIAG 20
#define DNS_RAW_MAX 512
#define DNS_TCP_MAX (65535u + 2)

enum { L_TCP, L_UDP, L_CLOSED, L__N };

struct lru {
  struct rift_flow *head, *tail;
};

struct tcp_seg {
  struct tcp_seg *next;
  uint32_t seq, len;
  uint8_t data[];
};

struct rift_tcp {
  uint32_t next[2];
  uint8_t init[2];
  uint8_t got[2];   /* data delivered in this direction */
  uint8_t gap[2];
  struct tcp_seg *ooo[2];
  uint32_t ooo_bytes[2];
  uint16_t ooo_n[2];
};

struct dns_pending {
  uint16_t id, len;
  int64_t ts;
  uint64_t frame, offset;
  uint8_t raw[DNS_RAW_MAX];
};

struct dns_state {
  struct dns_pending q[RIFT_NET_DNS_PENDING];
  unsigned n;
  struct rift_buf tcp[2]; /* DNS over TCP: partial messages */
};

struct rift_net {
  struct rift_net_opts o;
  struct rift_net_out out;
  struct rift_diag *d;
  struct rift_frag frag;
  struct rift_flow **tab;
  size_t tabcap, n;
  struct lru lru[L__N];
  struct rift_flow *freelist;
  size_t nfree;
  int64_t now, last_sweep;
  uint64_t next_id;
  unsigned diags;
  rift_err err;
  struct rift_net_stats st;
  struct rift_arena scratch;
  struct rift_pkt pkt;
};

const char *rift_app_name(unsigned app)
{
  switch(app) {
  case RIFT_APP_TLS: return "tls";
  case RIFT_APP_HTTP: return "http";
  case RIFT_APP_DNS: return "dns";
  case RIFT_APP_QUIC: return "quic";
  default: return NULL;
  }
}

/* --- hashing ------------------------------------------------------------ */

static uint64_t mix(uint64_t h)
{
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

static uint64_t endpoint(const uint8_t *a, uint16_t port)
{
  uint64_t w0, w1;
  memcpy(&w0, a, 8);
  memcpy(&w1, a + 8, 8);
  return mix(w0 ^ mix(w1 ^ port));
}

static uint64_t flow_hash(const struct rift_pkt *p)
{
  return mix(endpoint(p->src, p->sport) + endpoint(p->dst, p->dport) +
             ((uint64_t)p->proto << 8 | p->family));
}

/* ICMP: a flow is (addresses, proto); the type/code only name it. */
static int icmp(uint8_t proto)
{
  return proto == RIFT_IPPROTO_ICMP || proto == RIFT_IPPROTO_ICMPV6;
}

/* Direction of p in f: 0 from the client, 1 from the server, -1 no match. */
static int match(const struct rift_flow *f, const struct rift_pkt *p)
{
  size_t al = p->family == 4 ? 4 : 16;
  if(f->proto != p->proto || f->family != p->family)
    return -1;
  if(icmp(p->proto)) {
    if(!memcmp(f->cip, p->src, al) && !memcmp(f->sip, p->dst, al))
      return 0;
    if(!memcmp(f->cip, p->dst, al) && !memcmp(f->sip, p->src, al))
      return 1;
    return -1;
  }
  if(f->cport == p->sport && f->sport == p->dport &&
     !memcmp(f->cip, p->src, al) && !memcmp(f->sip, p->dst, al))
    return 0;
  if(f->cport == p->dport && f->sport == p->sport &&
     !memcmp(f->cip, p->dst, al) && !memcmp(f->sip, p->src, al))
    return 1;
  return -1;
}

/* --- lists ---------------------------------------------------------------- */

static void lru_unlink(struct rift_net *n, struct rift_flow *f)
{
  struct lru *l = &n->lru[f->lru];
  if(f->lprev)
    f->lprev->lnext = f->lnext;
  else
    l->head = f->lnext;
  if(f->lnext)
    f->lnext->lprev = f->lprev;
  else
    l->tail = f->lprev;
  f->lprev = f->lnext = NULL;
}

static void lru_append(struct rift_net *n, struct rift_flow *f, unsigned list)
{
  struct lru *l = &n->lru[list];
  f->lru = (uint8_t)list;
  f->lnext = NULL;
  f->lprev = l->tail;
  if(l->tail)
    l->tail->lnext = f;
  else
    l->head = f;
  l->tail = f;
}

static unsigned list_for(const struct rift_flow *f)
{
  if(f->proto != RIFT_IPPROTO_TCP)
    return L_UDP;
  if((f->state & RIFT_FLOW_RST) ||
     (f->state & (RIFT_FLOW_FIN_C | RIFT_FLOW_FIN_S)) ==
       (RIFT_FLOW_FIN_C | RIFT_FLOW_FIN_S))
    return L_CLOSED;
  return L_TCP;
}

static int64_t timeout_of(const struct rift_net *n, unsigned list)
{
  switch(list) {
  case L_TCP: return n->o.tcp_timeout;
  case L_CLOSED: return n->o.closed_timeout;
  default: return n->o.udp_timeout;
  }
}

/* --- table ---------------------------------------------------------------- */

static rift_err tab_grow(struct rift_net *n)
{
  size_t ncap = n->tabcap ? n->tabcap * 2 : 1024, i;
  struct rift_flow **nt = calloc(ncap, sizeof(*nt));
  if(!nt)
    return RIFT_NOMEM;
  for(i = 0; i < n->tabcap; i++) {
    struct rift_flow *f = n->tab[i], *next;
    for(; f; f = next) {
      size_t b = f->hash & (ncap - 1);
      next = f->next_hash;
      f->next_hash = nt[b];
      nt[b] = f;
    }
  }
  free(n->tab);
  n->tab = nt;
  n->tabcap = ncap;
  return RIFT_OK;
}

static void tab_remove(struct rift_net *n, struct rift_flow *f)
{
  struct rift_flow **pp = &n->tab[f->hash & (n->tabcap - 1)];
  while(*pp && *pp != f)
    pp = &(*pp)->next_hash;
  if(*pp)
    *pp = f->next_hash;
  n->n--;
}

/* --- output ------------------------------------------------------------- */

static void deliver_err(struct rift_net *n, rift_err rc)
{
  if(rc && !n->err)
    n->err = rc;
}

static void report_tls(struct rift_net *n, struct rift_flow *f,
                       const struct rift_tls *t)
{
  if(f->reported_tls || (!t->nhello && !t->ncert[0] && !t->ncert[1]))
    return;
  f->reported_tls = 1;
  n->st.tls++;
  if(n->out.tls)
    deliver_err(n, n->out.tls(n->out.ctx, f, t));
}

static void http_done(void *ctx, const struct rift_http_txn *t)
{
  struct rift_flow *f = ((void **)ctx)[1];
  struct rift_net *n = ((void **)ctx)[0];
  n->st.http++;
  if(n->out.http)
    deliver_err(n, n->out.http(n->out.ctx, f, t));
}

static void dns_emit(struct rift_net *n, struct rift_flow *f,
                     const struct dns_pending *q, const uint8_t *resp,
                     size_t rlen, int64_t rts, uint64_t rframe,
                     uint64_t roffset)
{
  struct rift_dns_msg *qm = NULL, *rm = NULL;
  struct rift_dns_txn tx;
  memset(&tx, 0, sizeof(tx));
  if(q) {
    qm = rift_arena_alloc(&n->scratch, sizeof(*qm));
    if(qm && rift_dns_parse(qm, q->raw, q->len, &n->scratch) && !qm->qname)
      qm = NULL;
    tx.ts = q->ts;
    tx.frame = q->frame;
    tx.offset = q->offset;
  }
  if(resp) {
    rm = rift_arena_alloc(&n->scratch, sizeof(*rm));
    if(rm && rift_dns_parse(rm, resp, rlen, &n->scratch) && !rm->qname &&
       !rm->nan)
      rm = NULL;
    tx.resp_ts = rts;
    if(!q) {
      tx.ts = rts;
      tx.frame = rframe;
      tx.offset = roffset;
    }
  }
  tx.query = qm;
  tx.response = rm;
  if(qm || rm) {
    n->st.dns++;
    if(n->out.dns)
      deliver_err(n, n->out.dns(n->out.ctx, f, &tx));
  }
  rift_arena_clear(&n->scratch);
}

static void free_app(struct rift_net *n, struct rift_flow *f)
{
  void *ctx[2] = { n, f };
  if(!f->app_state)
    return;
  switch(f->app) {
  case RIFT_APP_TLS: {
    struct rift_tls *t = f->app_state;
    rift_tls_release(t);
    break;
  }
  case RIFT_APP_QUIC: {
    struct rift_quic *q = f->app_state;
    rift_quic_release(q);
    break;
  }
  case RIFT_APP_HTTP: {
    struct rift_http *h = f->app_state;
    rift_http_flush(h, http_done, ctx);
    rift_http_release(h);
    break;
  }
  case RIFT_APP_DNS: {
    struct dns_state *s = f->app_state;
    rift_buf_release(&s->tcp[0]);
    rift_buf_release(&s->tcp[1]);
    break;
  }
  default:
    break;
  }
  free(f->app_state);
  f->app_state = NULL;
}

static void free_tcp(struct rift_flow *f)
{
  int d;
  if(!f->tcp)
    return;
  for(d = 0; d < 2; d++) {
    struct tcp_seg *s = f->tcp->ooo[d], *next;
    for(; s; s = next) {
      next = s->next;
      free(s);
    }
  }
  free(f->tcp);
  f->tcp = NULL;
}

/* Report what the application parser still holds (flow end). */
static void app_final(struct rift_net *n, struct rift_flow *f)
{
  unsigned i;
  if(!f->app_state)
    return;
  switch(f->app) {
  case RIFT_APP_TLS:
    report_tls(n, f, f->app_state);
    break;
  case RIFT_APP_QUIC:
    report_tls(n, f, &((struct rift_quic *)f->app_state)->tls);
    break;
  case RIFT_APP_DNS: {
    struct dns_state *s = f->app_state;
    for(i = 0; i < s->n; i++)
      dns_emit(n, f, &s->q[i], NULL, 0, 0, 0, 0);
    s->n = 0;
    break;
  }
  default:
    break; /* HTTP: free_app flushes */
  }
}

static void end_flow(struct rift_net *n, struct rift_flow *f, uint8_t why)
{
  f->state |= why;
  app_final(n, f);
  free_app(n, f);
  free_tcp(f);
  n->st.flows++;
  if(n->out.flow)
    deliver_err(n, n->out.flow(n->out.ctx, f));
  tab_remove(n, f);
  lru_unlink(n, f);
  if(n->nfree < 4096) {
    f->next_hash = n->freelist;
    n->freelist = f;
    n->nfree++;
  }
  else {
    free(f);
  }
}

static void sweep(struct rift_net *n, int64_t now)
{
  unsigned l;
  for(l = 0; l < L__N; l++) {
    int64_t to = timeout_of(n, l);
    while(n->lru[l].head && rift_time_sub(now, n->lru[l].head->last_ts) > to)
      end_flow(n, n->lru[l].head, RIFT_FLOW_TIMEOUT);
  }
}

static void evict_one(struct rift_net *n)
{
  struct rift_flow *a = n->lru[L_CLOSED].head, *t = n->lru[L_TCP].head,
                   *u = n->lru[L_UDP].head, *v = a;
  if(!v) {
    v = t;
    if(!v || (u && u->last_ts < v->last_ts))
      v = u;
  }
  if(v) {
    n->st.evicted++;
    end_flow(n, v, RIFT_FLOW_EVICTED);
  }
}

/* --- flow creation ------------------------------------------------------ */

static int service_port(uint16_t p)
{
  switch(p) {
  case 1080: case 1433: case 1521: case 3128: case 3306: case 3389:
  case 4433: case 5060: case 5353: case 5355: case 5432: case 5900:
  case 6379: case 8000: case 8008: case 8080: case 8081: case 8443:
  case 8888: case 9200: case 27017:
    return 1;
  default:
    return p < 1024;
  }
}

/* Is the sender of p the server (the flow's first packet)? */
static int sender_is_server(const struct rift_pkt *p)
{
  if(p->proto == RIFT_IPPROTO_TCP) {
    if((p->tcp_flags & (RIFT_TCP_SYN | RIFT_TCP_ACK)) == RIFT_TCP_SYN)
      return 0;
    if((p->tcp_flags & (RIFT_TCP_SYN | RIFT_TCP_ACK)) ==
       (RIFT_TCP_SYN | RIFT_TCP_ACK))
      return 1;
  }
  if(icmp(p->proto)) {
    /* replies: echo reply, timestamp/info/mask replies, ICMPv6 echo reply */
    if(p->proto == RIFT_IPPROTO_ICMP)
      return p->sport == 0 || p->sport == 14 || p->sport == 16 ||
             p->sport == 18;
    return p->sport == 129;
  }
  if(p->proto == RIFT_IPPROTO_TCP || p->proto == RIFT_IPPROTO_UDP) {
    int ss = service_port(p->sport), ds = service_port(p->dport);
    if(ss && !ds)
      return 1;
    if(ss && ds && p->sport < p->dport)
      return 1;
  }
  return 0;
}

static struct rift_flow *new_flow(struct rift_net *n, const struct rift_pkt *p,
                                  uint64_t h)
{
  struct rift_flow *f;
  size_t al = p->family == 4 ? 4 : 16;
  size_t b;
  if(n->n >= n->o.max_flows)
    evict_one(n);
  if(n->n + 1 > n->tabcap && n->tabcap < n->o.max_flows * 2) {
    if(tab_grow(n))
      return NULL;
  }
  if(!n->tabcap && tab_grow(n))
    return NULL;
  if(n->freelist) {
    f = n->freelist;
    n->freelist = f->next_hash;
    n->nfree--;
  }
  else {
    f = malloc(sizeof(*f));
    if(!f)
      return NULL;
  }
  memset(f, 0, sizeof(*f));
  f->family = p->family;
  f->proto = p->proto;
  if(sender_is_server(p)) {
    memcpy(f->cip, p->dst, al);
    memcpy(f->sip, p->src, al);
    f->cport = p->dport;
    f->sport = p->sport;
  }
  else {
    memcpy(f->cip, p->src, al);
    memcpy(f->sip, p->dst, al);
    f->cport = p->sport;
    f->sport = p->dport;
  }
  if(icmp(p->proto)) {
    f->cport = p->sport; /* type and code of the first packet */
    f->sport = p->dport;
  }
  f->vlan = p->vlan;
  f->first_ts = f->last_ts = p->ts;
  f->first_frame = p->frame;
  f->first_offset = p->offset;
  f->id = n->next_id++;
  f->hash = h;
  b = h & (n->tabcap - 1);
  f->next_hash = n->tab[b];
  n->tab[b] = f;
  n->n++;
  lru_append(n, f, list_for(f));
  return f;
}

static struct rift_flow *lookup(struct rift_net *n, const struct rift_pkt *p,
                                uint64_t h, int *dir)
{
  struct rift_flow *f;
  if(!n->tabcap)
    return NULL;
  for(f = n->tab[h & (n->tabcap - 1)]; f; f = f->next_hash) {
    int d;
    if(f->hash != h)
      continue;
    d = match(f, p);
    if(d >= 0) {
      *dir = d;
      return f;
    }
  }
  return NULL;
}

/* --- applications ----------------------------------------------------------- */

static void stop_reassembly(struct rift_flow *f)
{
  f->bypass = 1;
  free_tcp(f);
}

static void tls_progress(struct rift_net *n, struct rift_flow *f,
                         struct rift_tls *t)
{
  if(rift_tls_done(t)) {
    report_tls(n, f, t);
    free_app(n, f);
    stop_reassembly(f);
  }
}

static void dns_message(struct rift_net *n, struct rift_flow *f, int dir,
                        const uint8_t *p, size_t len,
                        const struct rift_pkt *pk)
{
  struct dns_state *s = f->app_state;
  uint16_t id, flags;
  unsigned i;
  (void)dir;
  if(len < 12)
    return;
  id = (uint16_t)(p[0] << 8 | p[1]);
  flags = (uint16_t)(p[2] << 8 | p[3]);
  if(!(flags & 0x8000)) { /* query */
    struct dns_pending *q;
    if(s->n == RIFT_NET_DNS_PENDING) {
      dns_emit(n, f, &s->q[0], NULL, 0, 0, 0, 0);
      memmove(&s->q[0], &s->q[1], sizeof(s->q[0]) * (s->n - 1));
      s->n--;
    }
    q = &s->q[s->n++];
    q->id = id;
    q->len = (uint16_t)(len > DNS_RAW_MAX ? DNS_RAW_MAX : len);
    memcpy(q->raw, p, q->len);
    q->ts = pk->ts;
    q->frame = pk->frame;
    q->offset = pk->offset;
    return;
  }
  for(i = 0; i < s->n; i++) {
    if(s->q[i].id == id) {
      struct dns_pending q = s->q[i];
      memmove(&s->q[i], &s->q[i + 1], sizeof(s->q[0]) * (s->n - i - 1));
      s->n--;
      dns_emit(n, f, &q, p, len, pk->ts, pk->frame, pk->offset);
      return;
    }
  }
  dns_emit(n, f, NULL, p, len, pk->ts, pk->frame, pk->offset);
}

static void dns_tcp(struct rift_net *n, struct rift_flow *f, int dir,
                    const uint8_t *p, size_t len, const struct rift_pkt *pk)
{
  struct dns_state *s = f->app_state;
  struct rift_buf *b = &s->tcp[dir];
  size_t off = 0;
  if(rift_buf_add(b, p, len)) {
    stop_reassembly(f);
    return;
  }
  while(b->len - off >= 2) {
    size_t ml = (size_t)((uint8_t)b->buf[off] << 8 | (uint8_t)b->buf[off + 1]);
    if(b->len - off - 2 < ml)
      break;
    dns_message(n, f, dir, (const uint8_t *)b->buf + off + 2, ml, pk);
    off += 2 + ml;
  }
  if(off) {
    memmove(b->buf, b->buf + off, b->len - off);
    rift_buf_setlen(b, b->len - off);
  }
}

static int start_app(struct rift_net *n, struct rift_flow *f, unsigned app)
{
  size_t sz = app == RIFT_APP_TLS ? sizeof(struct rift_tls) :
              app == RIFT_APP_HTTP ? sizeof(struct rift_http) :
              app == RIFT_APP_QUIC ? sizeof(struct rift_quic) :
              sizeof(struct dns_state);
  void *s = malloc(sz);
  (void)n;
  if(!s)
    return 0;
  switch(app) {
  case RIFT_APP_TLS:
    rift_tls_init(s);
    break;
  case RIFT_APP_HTTP:
    rift_http_init(s);
    break;
  case RIFT_APP_QUIC:
    rift_quic_init(s);
    break;
  default: {
    struct dns_state *d = s;
    d->n = 0;
    rift_buf_init(&d->tcp[0], DNS_TCP_MAX);
    rift_buf_init(&d->tcp[1], DNS_TCP_MAX);
    break;
  }
  }
  f->app = (uint8_t)app;
  f->app_state = s;
  return 1;
}

static void give_up_detect(struct rift_flow *f, int dir, size_t len)
{
  f->detect_chunks[dir]++;
  f->detect_bytes[dir] += (uint32_t)(len < 0x7fffffff ? len : 0x7fffffff);
  if(f->detect_chunks[0] + f->detect_chunks[1] >= 2 * RIFT_NET_DETECT_CHUNKS ||
     f->detect_bytes[0] + f->detect_bytes[1] >= 2 * RIFT_NET_DETECT_BYTES) {
    f->app = RIFT_APP_UNKNOWN;
    stop_reassembly(f);
  }
}

/* In-order TCP payload of direction dir. */
static void tcp_data(struct rift_net *n, struct rift_flow *f, int dir,
                     const uint8_t *p, size_t len, const struct rift_pkt *pk)
{
  unsigned apps = n->o.apps;
  switch(f->app) {
  case RIFT_APP_NONE:
    if((apps & RIFT_NET_APP_TLS) && rift_tls_sniff(p, len)) {
      if(!start_app(n, f, RIFT_APP_TLS)) {
        stop_reassembly(f);
        return;
      }
      f->tls_sync[dir] = 1;
      rift_tls_feed(f->app_state, dir, p, len, pk->ts, pk->frame);
      tls_progress(n, f, f->app_state);
      return;
    }
    if((apps & RIFT_NET_APP_HTTP) && rift_http_sniff(p, len)) {
      if(!start_app(n, f, RIFT_APP_HTTP)) {
        stop_reassembly(f);
        return;
      }
      break; /* fall through to the HTTP case below */
    }
    if((apps & RIFT_NET_APP_DNS) && (f->sport == 53 || f->cport == 53)) {
      if(!start_app(n, f, RIFT_APP_DNS)) {
        stop_reassembly(f);
        return;
      }
      dns_tcp(n, f, dir, p, len, pk);
      return;
    }
    give_up_detect(f, dir, len);
    return;
  case RIFT_APP_TLS: {
    struct rift_tls *t = f->app_state;
    if(!f->tls_sync[dir]) {
      if(!rift_tls_sniff(p, len)) {
        f->detect_chunks[dir]++;
        if(f->detect_chunks[dir] >= RIFT_NET_DETECT_CHUNKS) {
          rift_tls_gap(t, dir);
          tls_progress(n, f, t);
        }
        return;
      }
      f->tls_sync[dir] = 1;
    }
    rift_tls_feed(t, dir, p, len, pk->ts, pk->frame);
    tls_progress(n, f, t);
    return;
  }
  case RIFT_APP_DNS:
    dns_tcp(n, f, dir, p, len, pk);
    return;
  case RIFT_APP_HTTP:
    break;
  default:
    return;
  }
  /* HTTP */
  {
    void *ctx[2] = { n, f };
    struct rift_http *h = f->app_state;
    int r = rift_http_feed(h, dir, p, len, pk->ts, pk->frame, pk->offset,
                           http_done, ctx);
    if(r == RIFT_HTTP_TUNNEL) {
      /* CONNECT succeeded: whatever follows (TLS) is detected afresh */
      free_app(n, f);
      f->app = RIFT_APP_NONE;
      f->detect_chunks[0] = f->detect_chunks[1] = 0;
      f->detect_bytes[0] = f->detect_bytes[1] = 0;
      return;
    }
    if(h->dir[0].done && h->dir[1].done) {
      f->bypass = 1;
      free_tcp(f);
    }
  }
}

static void tcp_gap(struct rift_net *n, struct rift_flow *f, int dir)
{
  n->st.tcp_gaps++;
  switch(f->app) {
  case RIFT_APP_TLS: {
    struct rift_tls *t = f->app_state;
    rift_tls_gap(t, dir);
    tls_progress(n, f, t);
    break;
  }
  case RIFT_APP_HTTP: {
    struct rift_http *h = f->app_state;
    h->dir[dir].done = 1;
    if(h->dir[0].done && h->dir[1].done) {
      f->bypass = 1;
      free_tcp(f);
    }
    break;
  }
  case RIFT_APP_DNS:
    stop_reassembly(f);
    break;
  default:
    break;
  }
}

/* Deliver queued segments that have become in order. */
static void drain(struct rift_net *n, struct rift_flow *f, int dir,
                  const struct rift_pkt *pk)
{
  struct rift_tcp *t;
  for(;;) {
    struct tcp_seg *s;
    t = f->tcp;
    if(!t || !t->ooo[dir] || f->bypass)
      break;
    s = t->ooo[dir];
    int32_t rel = (int32_t)(s->seq - t->next[dir]);
    if(rel > 0)
      break;
    t->ooo[dir] = s->next;
    t->ooo_n[dir]--;
    t->ooo_bytes[dir] -= s->len;
    if((uint32_t)-rel < s->len) {
      uint32_t skip = (uint32_t)-rel;
      t->next[dir] += s->len - skip;
      tcp_data(n, f, dir, s->data + skip, s->len - skip, pk);
    }
    free(s);
  }
}

static void queue_seg(struct rift_net *n, struct rift_flow *f, int dir,
                      uint32_t seq, const uint8_t *p, uint32_t len,
                      const struct rift_pkt *pk)
{
  struct rift_tcp *t = f->tcp;
  struct tcp_seg *s, **pp;
  if(t->ooo_n[dir] >= RIFT_TCP_MAX_OOO_SEGS ||
     t->ooo_bytes[dir] + len > RIFT_TCP_MAX_OOO_BYTES) {
    /* the hole is not going to fill: skip it */
    tcp_gap(n, f, dir);
    if(!f->tcp || f->bypass)
      return;
    t->next[dir] = t->ooo[dir] ? t->ooo[dir]->seq : seq;
    drain(n, f, dir, pk);
    if(!f->tcp || f->bypass)
      return;
    t = f->tcp;
    if(t->ooo_n[dir] >= RIFT_TCP_MAX_OOO_SEGS ||
       t->ooo_bytes[dir] + len > RIFT_TCP_MAX_OOO_BYTES)
      return;
    if((int32_t)(seq - t->next[dir]) <= 0) {
      uint32_t skip = t->next[dir] - seq;
      if(skip < len) {
        t->next[dir] += len - skip;
        tcp_data(n, f, dir, p + skip, len - skip, pk);
        drain(n, f, dir, pk);
      }
      return;
    }
  }
  s = malloc(sizeof(*s) + len);
  if(!s)
    return;
  s->seq = seq;
  s->len = len;
  memcpy(s->data, p, len);
  for(pp = &t->ooo[dir]; *pp && (int32_t)((*pp)->seq - seq) <= 0;
      pp = &(*pp)->next)
    ;
  s->next = *pp;
  *pp = s;
  t->ooo_n[dir]++;
  t->ooo_bytes[dir] += len;
}

static void tcp_segment(struct rift_net *n, struct rift_flow *f, int dir,
                        const struct rift_pkt *p)
{
  struct rift_tcp *t = f->tcp;
  uint32_t seq = p->seq, len = p->plen;
  const uint8_t *data = p->payload;
  int32_t rel;
  if(!t) {
    if(!len && !(p->tcp_flags & RIFT_TCP_SYN))
      return;
    t = calloc(1, sizeof(*t));
    if(!t) {
      stop_reassembly(f);
      return;
    }
    f->tcp = t;
  }
  if(p->tcp_flags & RIFT_TCP_SYN) {
    /* a repeated SYN with a new ISN before any data restarts the stream */
    if(!t->init[dir] || !t->got[dir]) {
      t->next[dir] = seq + 1;
      t->init[dir] = 1;
    }
    seq++; /* data on a SYN (TCP Fast Open) follows the SYN */
  }
  if(!len)
    return;
  if(!t->init[dir]) {
    t->next[dir] = seq;
    t->init[dir] = 1;
  }
  rel = (int32_t)(seq - t->next[dir]);
  if(!t->got[dir] && !t->ooo[dir] && (rel > (1 << 20) || rel < -(1 << 20))) {
    /* nothing read yet and nowhere near: the SYN we saw was not this
     * stream's (several SYN/ACKs with different ISNs) */
    t->next[dir] = seq;
    rel = 0;
  }
  if(rel < 0) {
    uint32_t skip = (uint32_t)-rel;
    if(skip >= len)
      return; /* retransmission */
    data += skip;
    len -= skip;
    seq += skip;
    rel = 0;
  }
  if(rel > 0) {
    if((uint32_t)rel > (1u << 30)) /* not plausibly this stream */
      return;
    queue_seg(n, f, dir, seq, data, len, p);
    return;
  }
  t->next[dir] += len;
  t->got[dir] = 1;
  tcp_data(n, f, dir, data, len, p);
  drain(n, f, dir, p);
}

static void udp_datagram(struct rift_net *n, struct rift_flow *f, int dir,
                         const struct rift_pkt *p)
{
  unsigned apps = n->o.apps;
  if(f->app == RIFT_APP_NONE) {
    uint16_t a = f->cport, b = f->sport;
    if((apps & RIFT_NET_APP_DNS) &&
       (a == 53 || b == 53 || a == 5353 || b == 5353 || a == 5355 ||
        b == 5355)) {
      if(!start_app(n, f, RIFT_APP_DNS)) {
        f->bypass = 1;
        return;
      }
    }
    else if((apps & RIFT_NET_APP_QUIC) && rift_quic_sniff(p->payload, p->plen)) {
      if(!start_app(n, f, RIFT_APP_QUIC)) {
        f->bypass = 1;
        return;
      }
    }
    else if((apps & RIFT_NET_APP_TLS) && rift_dtls_sniff(p->payload, p->plen)) {
      if(!start_app(n, f, RIFT_APP_TLS)) {
        f->bypass = 1;
        return;
      }
      ((struct rift_tls *)f->app_state)->dtls = 1;
    }
    else {
      /* look a little longer: WebRTC sends STUN before DTLS */
      if(++f->detect_chunks[dir] >= RIFT_NET_DETECT_CHUNKS) {
        f->app = RIFT_APP_UNKNOWN;
        f->bypass = 1;
      }
      return;
    }
  }
  if(f->app == RIFT_APP_DNS) {
    dns_message(n, f, dir, p->payload, p->plen, p);
  }
  else if(f->app == RIFT_APP_TLS) {
    struct rift_tls *t = f->app_state;
    if(rift_dtls_sniff(p->payload, p->plen)) {
      rift_tls_feed_dtls(t, dir, p->payload, p->plen, p->ts, p->frame);
      tls_progress(n, f, t);
    }
    else if(++f->detect_chunks[dir] >= 64) { /* STUN, RTP around it */
      rift_tls_gap(t, 0);
      rift_tls_gap(t, 1);
      tls_progress(n, f, t);
    }
  }
  else if(f->app == RIFT_APP_QUIC) {
    struct rift_quic *q = f->app_state;
    uint32_t before = q->decrypted;
    if(!rift_quic_datagram(q, dir, p->payload, p->plen, p->ts, p->frame)) {
      n->st.quic_decrypted += q->decrypted - before;
      report_tls(n, f, &q->tls);
      free_app(n, f);
      f->bypass = 1;
      return;
    }
    n->st.quic_decrypted += q->decrypted - before;
  }
}

/* --- public ------------------------------------------------------------- */

rift_err rift_net_new(struct rift_net **np, const struct rift_net_opts *o,
                      const struct rift_net_out *out)
{
  struct rift_net *n = calloc(1, sizeof(*n));
  *np = NULL;
  if(!n)
    return RIFT_NOMEM;
  if(o)
    n->o = *o;
  if(!n->o.apps)
    n->o.apps = RIFT_NET_APP_ALL;
  if(!n->o.max_flows || n->o.max_flows > RIFT_NET_MAX_FLOWS)
    n->o.max_flows = RIFT_NET_MAX_FLOWS;
  if(!n->o.tcp_timeout)
    n->o.tcp_timeout = 3600 * NS;
  if(!n->o.udp_timeout)
    n->o.udp_timeout = 60 * NS;
  if(!n->o.closed_timeout)
    n->o.closed_timeout = 5 * NS;
  if(out)
    n->out = *out;
  rift_frag_init(&n->frag);
  rift_arena_init(&n->scratch, 16u << 20);
  n->last_sweep = INT64_MIN;
  *np = n;
  return RIFT_OK;
}

void rift_net_set_diag(struct rift_net *n, struct rift_diag *d)
{
  n->d = d;
}

void rift_net_packet(struct rift_net *n, int dlt, const uint8_t *data,
                     size_t caplen, uint32_t wirelen, int64_t ts,
                     uint64_t frame, uint64_t offset)
{
  struct rift_pkt *p = &n->pkt;
  struct rift_flow *f;
  uint64_t h;
  int dir = 0;
  if(n->err)
    return;
  n->st.packets++;
  n->st.bytes += wirelen;
  p->ts = ts;
  p->frame = frame;
  p->offset = offset;
  p->wirelen = wirelen;
  switch(rift_pkt_decode(p, dlt, data, caplen, &n->frag)) {
  case RIFT_PKT_OK:
    break;
  case RIFT_PKT_NOT_IP:
    n->st.not_ip++;
    return;
  case RIFT_PKT_FRAGMENT:
    n->st.fragments++;
    return;
  case RIFT_PKT_BAD:
  default:
    n->st.bad++;
    if(n->d && n->diags++ < MAX_DIAG)
      rift_diag_report(n->d, RIFT_DIAG_WARN, RIFT_CORRUPT, offset,
                       "frame %llu: %s", (unsigned long long)frame,
                       p->why ? p->why : "undecodable");
    return;
  }
  if(p->reassembled)
    n->st.reassembled++;
  n->now = ts;
  if(n->last_sweep == INT64_MIN || ts < n->last_sweep ||
     rift_time_sub(ts, n->last_sweep) >= SWEEP_EVERY) {
    sweep(n, ts);
    n->last_sweep = ts;
  }
  h = flow_hash(p);
  f = lookup(n, p, h, &dir);
  if(f && p->proto == RIFT_IPPROTO_TCP &&
     (p->tcp_flags & (RIFT_TCP_SYN | RIFT_TCP_ACK)) == RIFT_TCP_SYN &&
     ((f->state & RIFT_FLOW_RST) ||
      (f->state & (RIFT_FLOW_FIN_C | RIFT_FLOW_FIN_S)) ==
        (RIFT_FLOW_FIN_C | RIFT_FLOW_FIN_S) ||
      (f->has_isn[dir] && f->isn[dir] != p->seq && f->pkts[1] > 0) ||
      f->payload[0] + f->payload[1] > 0)) {
    /* a new connection on the same ports: after a close, with a new
     * ISN, or once data has flowed (a SYN is only retransmitted before) */
    end_flow(n, f, 0);
    f = NULL;
  }
  if(!f) {
    f = new_flow(n, p, h);
    if(!f) {
      n->err = RIFT_NOMEM;
      return;
    }
    dir = match(f, p);
    if(dir < 0)
      dir = 0;
  }
  f->pkts[dir]++;
  f->bytes[dir] += p->iplen ? p->iplen : wirelen;
  f->payload[dir] += p->plen;
  if(ts > f->last_ts)
    f->last_ts = ts;
  if(p->proto == RIFT_IPPROTO_TCP) {
    uint8_t fl = p->tcp_flags;
    f->tflags[dir] |= fl;
    if((fl & (RIFT_TCP_SYN | RIFT_TCP_ACK)) == RIFT_TCP_SYN && dir == 0)
      f->state |= RIFT_FLOW_SYN;
    if((fl & (RIFT_TCP_SYN | RIFT_TCP_ACK)) == (RIFT_TCP_SYN | RIFT_TCP_ACK))
      f->state |= RIFT_FLOW_SYNACK;
    if((fl & RIFT_TCP_SYN) && !f->has_isn[dir]) {
      f->has_isn[dir] = 1;
      f->isn[dir] = p->seq;
    }
    if(fl & RIFT_TCP_FIN)
      f->state |= dir ? RIFT_FLOW_FIN_S : RIFT_FLOW_FIN_C;
    if(fl & RIFT_TCP_RST)
      f->state |= RIFT_FLOW_RST;
  }
  lru_unlink(n, f);
  lru_append(n, f, list_for(f));
  if(f->bypass)
    return;
  if(p->proto == RIFT_IPPROTO_TCP)
    tcp_segment(n, f, dir, p);
  else if(p->proto == RIFT_IPPROTO_UDP && p->plen)
    udp_datagram(n, f, dir, p);
  else
    f->bypass = 1;
}

void rift_net_finish(struct rift_net *n)
{
  unsigned l;
  for(l = 0; l < L__N; l++) {
    while(n->lru[l].head)
      end_flow(n, n->lru[l].head, 0);
  }
}

rift_err rift_net_error(const struct rift_net *n)
{
  return n->err;
}

const struct rift_net_stats *rift_net_stats(const struct rift_net *n)
{
  return &n->st;
}

void rift_net_free(struct rift_net **np)
{
  struct rift_net *n = *np;
  if(!n)
    return;
  /* flows still open are dropped without reports */
  n->out.flow = NULL;
  n->out.tls = NULL;
  n->out.dns = NULL;
  n->out.http = NULL;
  rift_net_finish(n);
  while(n->freelist) {
    struct rift_flow *f = n->freelist;
    n->freelist = f->next_hash;
    free(f);
  }
  free(n->tab);
  rift_frag_release(&n->frag);
  rift_arena_release(&n->scratch);
  free(n);
  *np = NULL;
}
