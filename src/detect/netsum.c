/*
 * netsum.c - the network model (one pass over events), the traffic
 * summary and "who talked to X" (netan.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rtime.h"
#include "detect/netan.h"
#include "net/pkt.h"

void rift_netmodel_init(struct rift_netmodel *m, const struct rift_netcfg *c)
{
  memset(m, 0, sizeof(*m));
  m->cfg = c;
  rift_arena_init(&m->a, (size_t)4 << 30);
  rift_hmap_init(&m->hosts, RIFT_NETAN_MAX_ENTRIES);
  rift_hmap_init(&m->dests, RIFT_NETAN_MAX_ENTRIES);
  rift_hmap_init(&m->pairs, RIFT_NETAN_MAX_ENTRIES);
  rift_hmap_init(&m->fps, RIFT_NETAN_MAX_ENTRIES);
  rift_hmap_init(&m->protos, 1u << 16);
  rift_hmap_init(&m->ports, 1u << 20);
  rift_hmap_init(&m->x509, RIFT_NETAN_MAX_ENTRIES);
  rift_hmap_init(&m->ip_names, RIFT_NETAN_MAX_ENTRIES);
  rift_hmap_init(&m->who, RIFT_NETAN_MAX_ENTRIES);
  m->first = m->last = RIFT_TIME_NONE;
}

void rift_netmodel_release(struct rift_netmodel *m)
{
  size_t i;
  for(i = 0; i < m->pairs.cap; i++) {
    if(m->pairs.ent[i].key) {
      struct rift_netpair *p = m->pairs.ent[i].val.p;
      free(p->c);
    }
  }
  for(i = 0; i < m->fps.cap; i++) {
    if(m->fps.ent[i].key) {
      struct rift_netfp *f = m->fps.ent[i].val.p;
      rift_hmap_release(&f->dests);
    }
  }
  for(i = 0; i < m->ports.cap; i++) {
    if(m->ports.ent[i].key) {
      struct rift_netstat *s = m->ports.ent[i].val.p;
      if(s->srcs) {
        rift_hmap_release(s->srcs);
        free(s->srcs);
      }
    }
  }
  free(m->longs);
  rift_hmap_release(&m->hosts);
  rift_hmap_release(&m->dests);
  rift_hmap_release(&m->pairs);
  rift_hmap_release(&m->fps);
  rift_hmap_release(&m->protos);
  rift_hmap_release(&m->ports);
  rift_hmap_release(&m->x509);
  rift_hmap_release(&m->ip_names);
  rift_hmap_release(&m->who);
  rift_arena_release(&m->a);
}

/* --- event access ------------------------------------------------------ */

static const struct rift_value *fv(const struct rift_event *e, uint32_t id)
{
  return rift_event_get(e, id);
}

static const char *fs(const struct rift_event *e, uint32_t id)
{
  const struct rift_value *v = fv(e, id);
  return v && v->type == RIFT_V_STR && v->len ? v->s : NULL;
}

static uint64_t fu(const struct rift_event *e, uint32_t id)
{
  const struct rift_value *v = fv(e, id);
  if(!v)
    return 0;
  if(v->type == RIFT_V_UINT)
    return v->u;
  if(v->type == RIFT_V_INT)
    return v->i > 0 ? (uint64_t)v->i : 0;
  if(v->type == RIFT_V_STR)
    return strtoull(v->s, NULL, 10);
  return 0;
}

static int64_t fi(const struct rift_event *e, uint32_t id, int64_t dflt)
{
  const struct rift_value *v = fv(e, id);
  if(!v)
    return dflt;
  if(v->type == RIFT_V_INT)
    return v->i;
  if(v->type == RIFT_V_UINT)
    return v->u > INT64_MAX ? INT64_MAX : (int64_t)v->u;
  return dflt;
}

static int fb(const struct rift_event *e, uint32_t id)
{
  const struct rift_value *v = fv(e, id);
  return v && v->type == RIFT_V_BOOL ? v->b : -1;
}

/* --- small helpers --------------------------------------------------------- */

/* first/last start as RIFT_TIME_NONE (entry() sets them) */
static void span(int64_t *first, int64_t *last, int64_t ts)
{
  if(ts == RIFT_TIME_NONE)
    return;
  if(*first == RIFT_TIME_NONE || ts < *first)
    *first = ts;
  if(*last == RIFT_TIME_NONE || ts > *last)
    *last = ts;
}

void netan_ref(struct rift_netrefs *r, const struct rift_event *e);
void netan_ref(struct rift_netrefs *r, const struct rift_event *e)
{
  struct rift_netref *x;
  if(r->n >= RIFT_NETAN_MAX_REFS)
    return;
  x = &r->r[r->n++];
  x->file_id = e->file_id;
  x->offset = e->offset;
  x->record_id = e->record_id;
  x->ts = e->ts;
}

static void *entry(struct rift_netmodel *m, struct rift_hmap *h,
                   const char *key, size_t kl, size_t size, int *isnew)
{
  union rift_hval *v;
  int nw = 0;
  rift_err rc = rift_hmap_put(h, key, kl, &v, &nw);
  if(rc) {
    if(!m->err)
      m->err = rc;
    return NULL;
  }
  if(nw) {
    v->p = rift_arena_zalloc(&m->a, size);
    if(!v->p) {
      if(!m->err)
        m->err = RIFT_NOMEM;
      return NULL;
    }
  }
  if(isnew)
    *isnew = nw;
  return v->p;
}

static const char *keep(struct rift_netmodel *m, const char *s)
{
  return s ? rift_arena_strdup(&m->a, s) : NULL;
}

static void add_listed(struct rift_netmodel *m, const char **list,
                       unsigned *n, unsigned cap, unsigned *more,
                       const char *s)
{
  unsigned i;
  for(i = 0; i < *n; i++) {
    if(!strcmp(list[i], s))
      return;
  }
  if(*n < cap) {
    list[(*n)++] = keep(m, s);
    return;
  }
  if(more)
    *more = 1;
}

static struct rift_nethost *host(struct rift_netmodel *m, const char *ip)
{
  int isnew = 0;
  struct rift_nethost *h = entry(m, &m->hosts, ip, strlen(ip),
                                 sizeof(*h), &isnew);
  if(h && isnew) {
    h->ip = keep(m, ip);
    h->first = h->last = RIFT_TIME_NONE;
  }
  return h;
}

static struct rift_netdest *dest(struct rift_netmodel *m, const char *ip)
{
  int isnew = 0;
  struct rift_netdest *d = entry(m, &m->dests, ip, strlen(ip), sizeof(*d),
                                 &isnew);
  if(d && isnew) {
    d->ip = keep(m, ip);
    d->first = d->last = RIFT_TIME_NONE;
  }
  return d;
}

static struct rift_netpair *pair(struct rift_netmodel *m, const char *src,
                                 const char *dst)
{
  char key[128];
  int isnew = 0, n = snprintf(key, sizeof(key), "%s|%s", src, dst);
  struct rift_netpair *p;
  if(n <= 0 || (size_t)n >= sizeof(key))
    return NULL;
  p = entry(m, &m->pairs, key, (size_t)n, sizeof(*p), &isnew);
  if(p && isnew) {
    p->src = keep(m, src);
    p->dst = keep(m, dst);
    p->first = p->last = RIFT_TIME_NONE;
  }
  return p;
}

static void who(struct rift_netmodel *m, const char *kind, const char *ind,
                const char *src, int64_t ts, uint64_t bytes)
{
  char key[1024];
  int n;
  struct rift_netstat *s;
  int isnew = 0;
  if(!ind || !src)
    return;
  n = snprintf(key, sizeof(key), "%s\t%s\t%s", kind, ind, src);
  if(n <= 0 || (size_t)n >= sizeof(key))
    return;
  s = entry(m, &m->who, key, (size_t)n, sizeof(*s), &isnew);
  if(!s)
    return;
  if(isnew) {
    s->key = rift_hmap_entry(&m->who, key, (size_t)n)->key;
    s->first = s->last = RIFT_TIME_NONE;
  }
  s->flows++;
  s->bytes += bytes;
  span(&s->first, &s->last, ts);
}

static void stat(struct rift_netmodel *m, struct rift_hmap *h,
                 const char *key, const struct rift_event *e, uint64_t pkts,
                 uint64_t bytes, const char *src)
{
  int isnew = 0;
  struct rift_netstat *s = entry(m, h, key, strlen(key), sizeof(*s), &isnew);
  if(!s)
    return;
  if(isnew) {
    s->key = rift_hmap_entry(h, key, strlen(key))->key;
    s->first = s->last = RIFT_TIME_NONE;
  }
  s->flows++;
  s->pkts += pkts;
  s->bytes += bytes;
  span(&s->first, &s->last, e->ts);
  if(src) {
    union rift_hval *v;
    int nw;
    if(!s->srcs) {
      s->srcs = malloc(sizeof(*s->srcs));
      if(!s->srcs)
        return;
      rift_hmap_init(s->srcs, 1u << 16);
    }
    rift_hmap_put(s->srcs, src, strlen(src), &v, &nw);
  }
}

/* --- per kind ------------------------------------------------------------- */

static void flow(struct rift_netmodel *m, const struct rift_event *e,
                 const char *src, const char *dst, int si, int di)
{
  const char *tr = fs(e, RIFT_F_NETWORK_TRANSPORT);
  const char *ap = fs(e, RIFT_F_NETWORK_PROTOCOL);
  uint64_t bo = fu(e, RIFT_F_SOURCE_BYTES), bi = fu(e, RIFT_F_DESTINATION_BYTES);
  uint64_t po = fu(e, RIFT_F_SOURCE_PACKETS);
  uint64_t pi = fu(e, RIFT_F_DESTINATION_PACKETS);
  int64_t dur = fi(e, RIFT_F_EVENT_DURATION, 0);
  char key[128];
  struct rift_nethost *h;
  m->flows++;
  if(e->ts != RIFT_TIME_NONE && dur > 0)
    span(&m->first, &m->last, rift_time_add(e->ts, dur));
  snprintf(key, sizeof(key), "%s%s%s", tr ? tr : "other", ap ? "/" : "",
           ap ? ap : "");
  stat(m, &m->protos, key, e, po + pi, bo + bi, NULL);
  if(tr && (!strcmp(tr, "tcp") || !strcmp(tr, "udp") || !strcmp(tr, "sctp")) &&
     fv(e, RIFT_F_DESTINATION_PORT)) {
    snprintf(key, sizeof(key), "%s/%llu", tr,
             (unsigned long long)fu(e, RIFT_F_DESTINATION_PORT));
    stat(m, &m->ports, key, e, po + pi, bo + bi, src);
  }
  h = src ? host(m, src) : NULL;
  if(h) {
    h->flows++;
    h->bytes_out += bo;
    h->bytes_in += bi;
    h->pkts_out += po;
    h->pkts_in += pi;
    span(&h->first, &h->last, e->ts);
  }
  h = dst ? host(m, dst) : NULL;
  if(h) {
    h->flows++;
    h->bytes_out += bi;
    h->bytes_in += bo;
    h->pkts_out += pi;
    h->pkts_in += po;
    span(&h->first, &h->last, e->ts);
  }
  if(dur >= (int64_t)(m->cfg->long_connection_seconds * 1e9) &&
     (si == 0 || di == 0) && src && dst) {
    if(m->nlong == m->caplong && m->caplong < RIFT_NETAN_MAX_ENTRIES) {
      size_t nc = m->caplong ? m->caplong * 2 : 64;
      struct rift_netlong *nl = realloc(m->longs, nc * sizeof(*nl));
      if(nl) {
        m->longs = nl;
        m->caplong = nc;
      }
    }
    if(m->nlong < m->caplong) {
      struct rift_netlong *l = &m->longs[m->nlong++];
      l->src = keep(m, src);
      l->dst = keep(m, dst);
      l->dport = (uint16_t)fu(e, RIFT_F_DESTINATION_PORT);
      l->transport = keep(m, tr);
      l->start = e->ts;
      l->dur = dur;
      l->bytes = bo + bi;
      l->ref.file_id = e->file_id;
      l->ref.offset = e->offset;
      l->ref.record_id = e->record_id;
      l->ref.ts = e->ts;
    }
  }
  if(si == 1 && di == 0) {
    struct rift_netdest *d = dest(m, dst);
    struct rift_netpair *p = pair(m, src, dst);
    uint16_t port = (uint16_t)fu(e, RIFT_F_DESTINATION_PORT);
    unsigned i;
    if(d) {
      add_listed(m, d->hosts, &d->nhosts, RIFT_NETAN_MAX_HOSTS_LISTED,
                 &d->hosts_more, src);
      d->flows++;
      d->bytes += bo + bi;
      span(&d->first, &d->last, e->ts);
      for(i = 0; i < d->nports && d->ports[i] != port; i++)
        ;
      if(i == d->nports && d->nports < 8)
        d->ports[d->nports++] = port;
      netan_ref(&d->refs, e);
    }
    if(p) {
      p->flows++;
      p->bytes += bo + bi;
      span(&p->first, &p->last, e->ts);
      netan_ref(&p->refs, e);
      if(e->ts != RIFT_TIME_NONE && p->n < RIFT_NETAN_MAX_CONNS) {
        if(p->n == p->cap &&
           rift_grow((void **)&p->c, &p->cap, p->n + 1, sizeof(*p->c), 16)) {
          m->err = RIFT_NOMEM;
          return;
        }
        p->c[p->n].ts = e->ts;
        p->c[p->n].bytes = bo;
        p->n++;
      }
    }
  }
}

static void values(const struct rift_event *e, uint32_t id, const char **out,
                   unsigned *n, unsigned max)
{
  uint32_t i;
  *n = 0;
  for(i = 0; i < e->nf && *n < max; i++) {
    if(e->f[i].id == id && e->f[i].v.type == RIFT_V_STR && e->f[i].v.len)
      out[(*n)++] = e->f[i].v.s;
  }
}

static void tls(struct rift_netmodel *m, const struct rift_event *e,
                const char *src, const char *dst, int si, int di)
{
  const char *sni = fs(e, RIFT_F_TLS_SNI);
  const char *ja3[4], *ja4[4];
  unsigned n3, n4, i;
  int ss = fb(e, RIFT_F_RIFT_TLS_SELF_SIGNED);
  int si2 = fb(e, RIFT_F_RIFT_TLS_SELF_ISSUED);
  const char *leaf = fs(e, RIFT_F_TLS_SERVER_SHA256);
  values(e, RIFT_F_TLS_JA3, ja3, &n3, 4);
  values(e, RIFT_F_RIFT_JA4, ja4, &n4, 4);
  if(si == 1) {
    for(i = 0; i < n3; i++)
      who(m, "ja3", ja3[i], src, e->ts, 0);
    for(i = 0; i < n4; i++)
      who(m, "ja4", ja4[i], src, e->ts, 0);
    if(sni)
      who(m, "name", sni, src, e->ts, 0);
  }
  if(si == 1 && di == 0) {
    struct rift_netdest *d = dest(m, dst);
    if(d) {
      add_listed(m, d->hosts, &d->nhosts, RIFT_NETAN_MAX_HOSTS_LISTED,
                 &d->hosts_more, src);
      d->tls++;
      span(&d->first, &d->last, e->ts);
      if(sni)
        add_listed(m, d->names, &d->nnames, RIFT_NETAN_MAX_NAMES, NULL, sni);
      if(ss == 1)
        d->self_signed = 1;
      else if(si2 == 1 && d->self_signed != 1)
        d->self_signed = 2;
      if(leaf && d->nleaf < 4) {
        unsigned k;
        for(k = 0; k < d->nleaf && strcmp(d->leaf[k], leaf); k++)
          ;
        if(k == d->nleaf)
          d->leaf[d->nleaf++] = keep(m, leaf);
      }
      if((n3 || n4) && d->nfps < RIFT_NETAN_MAX_FPS) {
        unsigned k;
        const char *a = n3 ? ja3[0] : "", *b = n4 ? ja4[0] : "";
        for(k = 0; k < d->nfps; k++) {
          if(!strcmp(d->fp_ja3[k], a) && !strcmp(d->fp_ja4[k], b))
            break;
        }
        if(k == d->nfps) {
          d->fp_ja3[d->nfps] = keep(m, a);
          d->fp_ja4[d->nfps] = keep(m, b);
          d->nfps++;
        }
      }
      netan_ref(&d->refs, e);
    }
  }
  if(si == 1 && (n3 || n4)) {
    char key[256];
    int isnew = 0, kn;
    struct rift_netfp *f;
    kn = snprintf(key, sizeof(key), "%s|%s", n3 ? ja3[0] : "",
                  n4 ? ja4[0] : "");
    if(kn <= 0 || (size_t)kn >= sizeof(key))
      return;
    f = entry(m, &m->fps, key, (size_t)kn, sizeof(*f), &isnew);
    if(!f)
      return;
    if(isnew) {
      f->first = f->last = RIFT_TIME_NONE;
      f->ja3 = keep(m, n3 ? ja3[0] : NULL);
      f->ja4 = keep(m, n4 ? ja4[0] : NULL);
      f->browser = rift_netcfg_browser(m->cfg, f->ja3, f->ja4);
      rift_hmap_init(&f->dests, 1u << 20);
    }
    f->sessions++;
    span(&f->first, &f->last, e->ts);
    add_listed(m, f->hosts, &f->nhosts, RIFT_NETAN_MAX_HOSTS_LISTED, NULL,
               src);
    if(di == 0) {
      union rift_hval *v;
      int nw;
      rift_hmap_put(&f->dests, dst, strlen(dst), &v, &nw);
    }
    netan_ref(&f->refs, e);
  }
}

static void dns(struct rift_netmodel *m, const struct rift_event *e,
                const char *src, int si)
{
  const char *q = fs(e, RIFT_F_DNS_QUESTION_NAME);
  const char *ips[RIFT_NETAN_MAX_NAMES * 4];
  unsigned n, i;
  if(!q)
    return;
  if(si == 1)
    who(m, "dns", q, src, e->ts, 0);
  values(e, RIFT_F_DNS_RESOLVED_IP, ips, &n, RIFT_NETAN_MAX_NAMES * 4);
  for(i = 0; i < n; i++) {
    union rift_hval *v;
    int isnew = 0;
    if(rift_hmap_put(&m->ip_names, ips[i], strlen(ips[i]), &v, &isnew))
      continue;
    if(isnew)
      v->p = (void *)keep(m, q);
  }
}

static void http(struct rift_netmodel *m, const struct rift_event *e,
                 const char *src, const char *dst, int si, int di)
{
  const char *h = fs(e, RIFT_F_URL_DOMAIN);
  if(!h)
    return;
  if(si == 1)
    who(m, "name", h, src, e->ts, 0);
  if(si == 1 && di == 0) {
    struct rift_netdest *d = dest(m, dst);
    if(d) {
      add_listed(m, d->hosts, &d->nhosts, RIFT_NETAN_MAX_HOSTS_LISTED,
                 &d->hosts_more, src);
      add_listed(m, d->names, &d->nnames, RIFT_NETAN_MAX_NAMES, NULL, h);
      span(&d->first, &d->last, e->ts);
    }
  }
}

rift_err rift_netmodel_add(struct rift_netmodel *m, const struct rift_event *e)
{
  const char *src = fs(e, RIFT_F_SOURCE_IP), *dst = fs(e, RIFT_F_DESTINATION_IP);
  int si = src ? rift_netcfg_internal(m->cfg, src, strlen(src)) : -1;
  int di = dst ? rift_netcfg_internal(m->cfg, dst, strlen(dst)) : -1;
  m->events++;
  if(e->ts != RIFT_TIME_NONE)
    span(&m->first, &m->last, e->ts);
  switch(e->kind) {
  case RIFT_KIND_FLOW:
    flow(m, e, src, dst, si, di);
    break;
  case RIFT_KIND_TLS:
    tls(m, e, src, dst, si, di);
    break;
  case RIFT_KIND_DNS:
    dns(m, e, src, si);
    break;
  case RIFT_KIND_HTTP:
    http(m, e, src, dst, si, di);
    break;
  case RIFT_KIND_X509: {
    const char *h = fs(e, RIFT_F_RIFT_X509_SHA256);
    int ss = fb(e, RIFT_F_RIFT_X509_SELF_SIGNED);
    int si2 = fb(e, RIFT_F_RIFT_X509_SELF_ISSUED);
    union rift_hval *v;
    int isnew;
    if(h && !rift_hmap_put(&m->x509, h, strlen(h), &v, &isnew))
      v->i = ss == 1 ? 1 : si2 == 1 ? 2 : v->i;
    break;
  }
  default:
    break;
  }
  return m->err;
}

/* --- summary -------------------------------------------------------------- */

static int cmp_bytes(const void *a, const void *b)
{
  const struct rift_sumrow *x = a, *y = b;
  uint64_t bx = x->bytes, by = y->bytes;
  if(bx != by)
    return bx < by ? 1 : -1;
  if(x->flows != y->flows)
    return x->flows < y->flows ? 1 : -1;
  return strcmp(x->key, y->key);
}

static rift_err emit_table(const struct rift_netmodel *m,
                           const struct rift_hmap *h, enum rift_sumtab tab,
                           size_t top,
                           rift_err (*row)(void *, const struct rift_sumrow *),
                           void *ctx)
{
  struct rift_sumrow *rows = calloc(h->n ? h->n : 1, sizeof(*rows));
  size_t n = 0, i;
  rift_err rc = RIFT_OK;
  if(!rows)
    return RIFT_NOMEM;
  for(i = 0; i < h->cap; i++) {
    struct rift_sumrow *r;
    if(!h->ent[i].key)
      continue;
    r = &rows[n++];
    r->table = tab;
    r->key = h->ent[i].key;
    if(tab == RIFT_SUM_HOST) {
      const struct rift_nethost *x = h->ent[i].val.p;
      r->flows = x->flows;
      r->bytes = x->bytes_out + x->bytes_in;
      r->bytes_out = x->bytes_out;
      r->bytes_in = x->bytes_in;
      r->pkts = x->pkts_out + x->pkts_in;
      r->first = x->first;
      r->last = x->last;
      r->internal = rift_netcfg_internal(m->cfg, r->key, strlen(r->key)) == 1;
    }
    else {
      const struct rift_netstat *s = h->ent[i].val.p;
      r->flows = s->flows;
      r->bytes = s->bytes;
      r->pkts = s->pkts;
      r->first = s->first;
      r->last = s->last;
      r->sources = s->srcs ? s->srcs->n : 0;
    }
  }
  qsort(rows, n, sizeof(*rows), cmp_bytes);
  if(top && n > top)
    n = top;
  for(i = 0; i < n && !rc; i++)
    rc = row(ctx, &rows[i]);
  free(rows);
  return rc;
}

rift_err rift_net_summary(const struct rift_netmodel *m, size_t top,
                          rift_err (*row)(void *ctx,
                                          const struct rift_sumrow *r),
                          void *ctx)
{
  rift_err rc = emit_table(m, &m->protos, RIFT_SUM_PROTOCOL, top, row, ctx);
  if(!rc)
    rc = emit_table(m, &m->hosts, RIFT_SUM_HOST, top, row, ctx);
  if(!rc)
    rc = emit_table(m, &m->ports, RIFT_SUM_PORT, top, row, ctx);
  return rc;
}

/* --- who talked to X ---------------------------------------------------- */

static int domain_match(const char *name, const char *dom)
{
  size_t n = strlen(name), d = strlen(dom);
  if(n < d)
    return 0;
  if(strcasecmp(name + n - d, dom))
    return 0;
  return n == d || name[n - d - 1] == '.';
}

static int hexstr(const char *s, size_t want)
{
  size_t i;
  for(i = 0; s[i]; i++) {
    char c = s[i];
    if(!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F')))
      return 0;
  }
  return i == want;
}

rift_err rift_net_hosts(const struct rift_netmodel *m, const char *ind,
                        rift_err (*row)(void *ctx,
                                        const struct rift_hostrow *r),
                        void *ctx)
{
  uint8_t a[16];
  int is_ip = rift_ip_parse(ind, strlen(ind), a) != 0;
  int is_ja3 = hexstr(ind, 32);
  int is_ja4 = strlen(ind) == 36 && ind[10] == '_' && ind[23] == '_';
  size_t i;
  rift_err rc = RIFT_OK;
  struct rift_hostrow r;
  for(i = 0; i < m->pairs.cap && !rc; i++) {
    const struct rift_netpair *p = m->pairs.ent[i].val.p;
    const struct rift_netdest *d;
    union rift_hval *nm;
    int hit = 0;
    unsigned k;
    if(!m->pairs.ent[i].key)
      continue;
    if(is_ip) {
      uint8_t b[16];
      hit = rift_ip_parse(p->dst, strlen(p->dst), b) &&
            !memcmp(a, b, 16);
    }
    else if(!is_ja3 && !is_ja4) {
      nm = rift_hmap_get(&m->dests, p->dst, strlen(p->dst));
      d = nm ? nm->p : NULL;
      for(k = 0; d && k < d->nnames && !hit; k++)
        hit = domain_match(d->names[k], ind);
      nm = rift_hmap_get(&m->ip_names, p->dst, strlen(p->dst));
      if(!hit && nm)
        hit = domain_match(nm->p, ind);
    }
    if(!hit)
      continue;
    memset(&r, 0, sizeof(r));
    r.indicator = ind;
    r.host = p->src;
    r.how = "connection";
    r.peer = p->dst;
    r.first = p->first;
    r.last = p->last;
    r.count = p->flows;
    r.bytes = p->bytes;
    rc = row(ctx, &r);
  }
  for(i = 0; i < m->who.cap && !rc; i++) {
    const struct rift_netstat *s = m->who.ent[i].val.p;
    const char *k = m->who.ent[i].key, *t1, *t2;
    char kind[8], val[1024], hst[64];
    size_t l1, l2;
    int hit;
    if(!k)
      continue;
    t1 = strchr(k, '\t');
    t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if(!t2)
      continue;
    l1 = (size_t)(t1 - k);
    l2 = (size_t)(t2 - t1 - 1);
    if(l1 >= sizeof(kind) || l2 >= sizeof(val) || strlen(t2 + 1) >= sizeof(hst))
      continue;
    memcpy(kind, k, l1);
    kind[l1] = 0;
    memcpy(val, t1 + 1, l2);
    val[l2] = 0;
    snprintf(hst, sizeof(hst), "%s", t2 + 1);
    if(is_ja3)
      hit = !strcmp(kind, "ja3") && !strcasecmp(val, ind);
    else if(is_ja4)
      hit = !strcmp(kind, "ja4") && !strcmp(val, ind);
    else if(is_ip)
      hit = 0;
    else
      hit = (!strcmp(kind, "dns") || !strcmp(kind, "name")) &&
            domain_match(val, ind);
    if(!hit)
      continue;
    memset(&r, 0, sizeof(r));
    r.indicator = ind;
    r.host = hst;
    r.how = !strcmp(kind, "dns") ? "dns query" :
            !strcmp(kind, "name") ? "tls sni / http host" : "tls client";
    r.peer = val;
    r.first = s->first;
    r.last = s->last;
    r.count = s->flows;
    r.bytes = s->bytes;
    rc = row(ctx, &r);
  }
  return rc;
}
