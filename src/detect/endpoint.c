/*
 * endpoint.c - the engine of the endpoint analytics: feeds events to the
 * tree, the logon table and the per-event detectors; at finish runs the
 * tree and logon detectors, turns hits into findings (grouping, process
 * marks) and emits them in time order.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/rtime.h"
#include "detect/endpoint-int.h"
#include "detect/winev.h"

rift_err rift_endpoint_init(struct rift_endpoint *ep,
                            const struct rift_eprules *rules, unsigned what)
{
  memset(ep, 0, sizeof(*ep));
  if(what & RIFT_EP_BEHAVIOUR)
    what |= RIFT_EP_PROCTREE;
  if(!rules)
    what &= ~(unsigned)(RIFT_EP_BEHAVIOUR | RIFT_EP_LOGONS);
  ep->what = what;
  ep->rules = rules;
  rift_proctree_init(&ep->pt, NULL);
  rift_logons_init(&ep->lg);
  rift_arena_init(&ep->arena, RIFT_EP_MAX_BYTES);
  wev_init();
  return RIFT_OK;
}

void rift_endpoint_release(struct rift_endpoint *ep)
{
  ep_indicators_release(ep);
  rift_proctree_release(&ep->pt);
  rift_logons_release(&ep->lg);
  rift_arena_release(&ep->arena);
  free(ep->hits);
  memset(ep, 0, sizeof(*ep));
}

rift_err rift_endpoint_add(struct rift_endpoint *ep,
                           const struct rift_event *e)
{
  rift_err rc;
  ep->st.events++;
  if(ep->what & RIFT_EP_PROCTREE) {
    rc = rift_proctree_add(&ep->pt, e);
    if(rc)
      return rc;
  }
  if(ep->what & RIFT_EP_LOGONS) {
    rc = rift_logons_add(&ep->lg, e);
    if(rc)
      return rc;
  }
  if(ep->what & RIFT_EP_BEHAVIOUR) {
    rc = ep_indicators_event(ep, e);
    if(rc)
      return rc;
    rc = ep_recon_event(ep, e);
    if(rc)
      return rc;
  }
  return RIFT_OK;
}

rift_err rift_endpoint_add_batch(struct rift_endpoint *ep,
                                 const struct rift_batch *b)
{
  size_t i;
  rift_err rc;
  for(i = 0; i < b->n; i++) {
    rc = rift_endpoint_add(ep, &b->ev[i]);
    if(rc)
      return rc;
  }
  return RIFT_OK;
}

/* ---- helpers for the detectors ------------------------------------------ */

void *ep_alloc(struct rift_endpoint *ep, size_t n)
{
  void *p = rift_arena_alloc(&ep->arena, n);
  if(!p)
    ep->st.dropped_bytes++;
  return p;
}

const char *ep_str(struct rift_endpoint *ep, const char *s, size_t n)
{
  char *p;
  if(!s)
    return NULL;
  p = rift_arena_strndup(&ep->arena, s, n);
  if(!p)
    ep->st.dropped_bytes++;
  return p;
}

const char *ep_strf(struct rift_endpoint *ep, const char *fmt, ...)
{
  char buf[4096];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if(n < 0)
    return NULL;
  if((size_t)n >= sizeof(buf))
    n = sizeof(buf) - 1;
  return ep_str(ep, buf, (size_t)n);
}

struct ep_hit *ep_hit_new(struct rift_endpoint *ep,
                          const struct rift_epr_meta *meta)
{
  struct ep_hit *h;
  if(ep->nhits >= RIFT_EP_MAX_HITS) {
    ep->st.dropped_hits++;
    return NULL;
  }
  if(ep->nhits == ep->caphits) {
    uint32_t ncap = ep->caphits ? ep->caphits * 2 : 256;
    struct ep_hit *nh = realloc(ep->hits, (size_t)ncap * sizeof(*nh));
    if(!nh) {
      ep->st.dropped_hits++;
      return NULL;
    }
    ep->hits = nh;
    ep->caphits = ncap;
  }
  h = &ep->hits[ep->nhits++];
  memset(h, 0, sizeof(*h));
  h->meta = meta;
  h->ts = h->ts_end = RIFT_TIME_NONE;
  h->key_pid = UINT64_MAX;
  ep->st.hits++;
  return h;
}

struct rift_event_ref ep_ref(const struct rift_event *e)
{
  struct rift_event_ref r;
  r.file_id = e->file_id;
  r.offset = e->offset;
  r.record_id = e->record_id;
  r.ts = e->ts;
  return r;
}

const struct rift_epr_meta *ep_meta(struct rift_endpoint *ep, const char *id,
                                    const char *title, enum rift_level level,
                                    const char *const *techniques)
{
  const struct rift_epr_meta *m = rift_eprules_meta(ep->rules, id);
  struct rift_epr_meta *d;
  if(m)
    return m;
  /* not described in the rules: the detector's own defaults */
  d = ep_alloc(ep, sizeof(*d));
  if(!d)
    return NULL;
  memset(d, 0, sizeof(*d));
  d->id = id;
  d->title = title;
  d->level = level;
  d->techniques = techniques;
  d->source = "endpoint";
  return d;
}

void ep_hit_proc(struct rift_endpoint *ep, struct ep_hit *h, uint32_t p)
{
  const struct rift_proc *pr = &ep->pt.procs[p];
  h->proc = p;
  if(!h->host)
    h->host = pr->host;
  if(!h->user)
    h->user = pr->user;
  if(!h->process_name)
    h->process_name = pr->image ? pr->image : pr->name;
  if(!h->command_line)
    h->command_line = pr->cmdline;
  if(h->ts == RIFT_TIME_NONE) {
    h->ts = h->ts_end = pr->start;
    h->ref = pr->ref;
  }
}

/* ---- finish ------------------------------------------------------------- */

static int cmp_str(const char *a, const char *b)
{
  if(a == b)
    return 0;
  return strcmp(a ? a : "", b ? b : "");
}

static int cmp_hits(const void *x, const void *y, void *ctx)
{
  const struct rift_endpoint *ep = ctx;
  uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
  const struct ep_hit *a = &ep->hits[i], *b = &ep->hits[j];
  int c = cmp_str(a->meta->id, b->meta->id);
  if(c)
    return c;
  c = cmp_str(a->host, b->host);
  if(c)
    return c;
  c = cmp_str(a->group_key, b->group_key);
  if(c)
    return c;
  if(a->ts != b->ts)
    return a->ts < b->ts ? -1 : 1;
  return i < j ? -1 : i > j;
}

struct fnd {
  uint32_t first, last; /* range in the sorted hit order */
  int64_t ts;
};

static int cmp_fnd(const void *x, const void *y)
{
  const struct fnd *a = x, *b = y;
  if(a->ts != b->ts)
    return a->ts < b->ts ? -1 : 1;
  return a->first < b->first ? -1 : a->first > b->first;
}

/* Resolve the process a hit names (by guid, else host+pid at its time). */
static void resolve(struct rift_endpoint *ep, struct ep_hit *h)
{
  uint32_t k = 0;
  if(h->proc || !(ep->what & RIFT_EP_PROCTREE))
    return;
  if(h->key_guid)
    k = rift_proctree_by_guid(&ep->pt, h->host, h->key_guid);
  if(!k && h->key_pid != UINT64_MAX && h->host)
    k = rift_proctree_at(&ep->pt, h->host, h->key_pid, h->ts);
  if(k) {
    h->proc = k;
    if(!h->process_name)
      h->process_name = ep->pt.procs[k].image;
    if(!h->user)
      h->user = ep->pt.procs[k].user;
  }
}

static const char *first_tech(const struct ep_hit *h)
{
  const char *const *t = h->techniques ? h->techniques : h->meta->techniques;
  return t && t[0] ? t[0] : NULL;
}

static rift_err emit(struct rift_endpoint *ep, struct rift_finding_sink *sink,
                     const uint32_t *v, uint32_t lo, uint32_t hi)
{
  const struct ep_hit *h0 = &ep->hits[v[lo]];
  struct rift_finding f;
  struct rift_event_ref *refs;
  size_t nrefs = 0, cap = 0;
  uint32_t i;
  int64_t ts = RIFT_TIME_NONE, te = RIFT_TIME_NONE;
  struct rift_buf msg;
  rift_err rc = RIFT_OK;
  for(i = lo; i < hi; i++)
    cap += ep->hits[v[i]].nrefs ? ep->hits[v[i]].nrefs : 1;
  if(cap > RIFT_EP_MAX_REFS)
    cap = RIFT_EP_MAX_REFS;
  refs = malloc((cap ? cap : 1) * sizeof(*refs));
  if(!refs)
    return RIFT_NOMEM;
  for(i = lo; i < hi; i++) {
    const struct ep_hit *h = &ep->hits[v[i]];
    uint32_t k;
    if(h->nrefs) {
      for(k = 0; k < h->nrefs && nrefs < cap; k++)
        refs[nrefs++] = h->refs[k];
    } else if(nrefs < cap && (h->ref.file_id || h->ref.offset)) {
      refs[nrefs++] = h->ref;
    }
    for(k = 0; k < h->nrefs; k++) {
      int64_t rt = h->refs[k].ts;
      if(rt == RIFT_TIME_NONE)
        continue;
      if(ts == RIFT_TIME_NONE || rt < ts)
        ts = rt;
      if(te == RIFT_TIME_NONE || rt > te)
        te = rt;
    }
    if(h->ts != RIFT_TIME_NONE && (ts == RIFT_TIME_NONE || h->ts < ts))
      ts = h->ts;
    if(h->ts_end != RIFT_TIME_NONE && (te == RIFT_TIME_NONE || h->ts_end > te))
      te = h->ts_end;
  }
  memset(&f, 0, sizeof(f));
  f.source = h0->meta->source ? h0->meta->source : "endpoint";
  f.rule_id = h0->meta->id;
  f.rule_name = h0->meta->title;
  f.level = h0->meta->level;
  f.techniques = h0->techniques ? h0->techniques : h0->meta->techniques;
  f.ts = ts;
  f.ts_end = te == RIFT_TIME_NONE ? ts : te;
  f.host = h0->host;
  f.user_name = h0->user;
  f.source_ip = h0->source_ip;
  f.destination_ip = h0->destination_ip;
  f.process_name = h0->process_name;
  f.process_command_line = h0->command_line;
  f.details_json = h0->details_json;
  f.refs = refs;
  f.nrefs = nrefs;
  rift_buf_init(&msg, RIFT_BUF_MAX_LINE);
  if(hi - lo > 1) {
    rift_buf_adds(&msg, h0->message ? h0->message : h0->meta->title);
    rift_buf_addf(&msg, " (and %u more like it)", hi - lo - 1);
    f.message = msg.err ? h0->message : msg.buf;
  } else {
    f.message = h0->message ? h0->message : h0->meta->title;
  }
  if(sink)
    rc = sink->emit(sink->ctx, &f);
  ep->st.findings++;
  rift_buf_release(&msg);
  free(refs);
  return rc;
}

rift_err rift_endpoint_finish(struct rift_endpoint *ep,
                              struct rift_finding_sink *sink)
{
  uint32_t *v = NULL, i, n;
  struct fnd *fv = NULL;
  uint32_t nf = 0;
  rift_err rc;
  if(ep->finished)
    return RIFT_OK;
  ep->finished = 1;
  if(ep->what & RIFT_EP_PROCTREE) {
    rc = rift_proctree_finish(&ep->pt);
    if(rc)
      return rc;
  }
  if(ep->what & RIFT_EP_LOGONS) {
    rc = rift_logons_finish(&ep->lg);
    if(rc)
      return rc;
    rc = rift_logons_detect(&ep->lg, ep);
    if(rc)
      return rc;
  }
  if(ep->what & RIFT_EP_BEHAVIOUR) {
    rc = ep_indicators_tree(ep);
    if(rc)
      return rc;
    rc = ep_recon_tree(ep);
    if(rc)
      return rc;
  }
  n = ep->nhits;
  if(!n)
    return RIFT_OK;
  for(i = 0; i < n; i++)
    resolve(ep, &ep->hits[i]);
  v = malloc((size_t)n * sizeof(*v));
  fv = malloc((size_t)n * sizeof(*fv));
  if(!v || !fv) {
    free(v);
    free(fv);
    return RIFT_NOMEM;
  }
  for(i = 0; i < n; i++)
    v[i] = i;
  if(n > 1)
    qsort_r(v, n, sizeof(*v), cmp_hits, ep);
  /* group: same rule, host and key, each hit within group_ns of the
   * previous one */
  for(i = 0; i < n;) {
    uint32_t j = i + 1;
    const struct ep_hit *a = &ep->hits[v[i]];
    int64_t g = a->meta->group_ns;
    if(g > 0 && !a->nrefs) {
      while(j < n) {
        const struct ep_hit *b = &ep->hits[v[j]];
        const struct ep_hit *p = &ep->hits[v[j - 1]];
        if(b->meta != a->meta || b->nrefs || cmp_str(b->host, a->host) ||
           cmp_str(b->group_key, a->group_key) || b->ts == RIFT_TIME_NONE ||
           p->ts == RIFT_TIME_NONE || wev_gap(b->ts, p->ts) > g)
          break;
        j++;
      }
    }
    fv[nf].first = i;
    fv[nf].last = j;
    fv[nf].ts = a->ts;
    nf++;
    i = j;
  }
  /* marks on the tree */
  for(i = 0; i < n; i++) {
    const struct ep_hit *h = &ep->hits[i];
    uint32_t k;
    if(h->proc)
      rift_proctree_mark(&ep->pt, h->proc, h->meta->id, h->meta->title,
                         first_tech(h), h->meta->level);
    for(k = 0; k < h->nprocs; k++)
      rift_proctree_mark(&ep->pt, h->procs[k], h->meta->id, h->meta->title,
                         first_tech(h), h->meta->level);
  }
  if(nf > 1)
    qsort(fv, nf, sizeof(*fv), cmp_fnd);
  rc = RIFT_OK;
  for(i = 0; i < nf && !rc; i++)
    rc = emit(ep, sink, v, fv[i].first, fv[i].last);
  free(v);
  free(fv);
  return rc;
}
