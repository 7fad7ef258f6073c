/*
 * sink.c - Sigma matching inside the event pipeline (sigma-sink.h).
 *
 * prepare() runs on parser workers: it matches every event of the batch
 * with a scratch taken from a small pool and leaves the hits in the
 * batch's own arena, filed under the batch's address.  batch() runs in
 * input order: it takes the hits back and feeds them to the run, which
 * emits findings and keeps what correlations need.
 */
#include <pthread.h>
#include <string.h>

#include "detect/sigma/sigma-sink.h"

#define MAX_HITS_PER_EVENT 4096

struct pending {
  const struct rift_batch *b;
  uint32_t *off;          /* per event: first hit; off[n] = total */
  uint32_t *hits;
};

/* A scratch is rewritten for every event (stamps per test, entry and
 * rule): handing it back to the thread that used it last keeps that
 * working set in its CPU's caches instead of pulling it across. */
struct idle {
  struct rift_sigma_scratch *scr;
  pthread_t thread;
};

struct rift_sigma_sink {
  const struct rift_sigma *s;
  struct rift_sigma_run *run;
  pthread_mutex_t mu;
  struct idle *free_scr;       /* scratch not in use, with its last thread */
  size_t nfree, capfree;
  struct rift_sigma_scratch **all_scr;
  size_t nall, capall;
  struct pending *pend;
  size_t npend, cappend;
  uint64_t events, matched_events, hits;
};

rift_err rift_sigma_sink_new(const struct rift_sigma *s,
                             const struct rift_sigma_run_opts *o,
                             struct rift_sigma_sink **out)
{
  struct rift_sigma_sink *k = calloc(1, sizeof(*k));
  rift_err rc;
  if(!k)
    return RIFT_NOMEM;
  k->s = s;
  rc = rift_sigma_run_new(s, o, &k->run);
  if(rc) {
    free(k);
    return rc;
  }
  pthread_mutex_init(&k->mu, NULL);
  *out = k;
  return RIFT_OK;
}

void rift_sigma_sink_free(struct rift_sigma_sink **kp)
{
  struct rift_sigma_sink *k = *kp;
  size_t i;
  if(!k)
    return;
  for(i = 0; i < k->nall; i++)
    rift_sigma_scratch_free(&k->all_scr[i]);
  free(k->all_scr);
  free(k->free_scr);
  free(k->pend);
  rift_sigma_run_free(&k->run);
  pthread_mutex_destroy(&k->mu);
  free(k);
  *kp = NULL;
}

struct rift_sigma_run *rift_sigma_sink_run(struct rift_sigma_sink *k)
{
  return k->run;
}

void rift_sigma_sink_counts(const struct rift_sigma_sink *k, uint64_t *events,
                            uint64_t *matched_events, uint64_t *hits)
{
  *events = k->events;
  *matched_events = k->matched_events;
  *hits = k->hits;
}

static int push(void **arr, size_t *n, size_t *cap, size_t elem,
                const void *item)
{
  if(rift_grow(arr, cap, *n + 1, elem, 16))
    return -1;
  memcpy((char *)*arr + *n * elem, item, elem);
  (*n)++;
  return 0;
}

static struct rift_sigma_scratch *take(struct rift_sigma_sink *k)
{
  struct rift_sigma_scratch *scr = NULL;
  pthread_mutex_lock(&k->mu);
  if(k->nfree) {
    size_t i = k->nfree - 1;
    pthread_t self = pthread_self();
    while(i && !pthread_equal(k->free_scr[i].thread, self))
      i--;
    if(!pthread_equal(k->free_scr[i].thread, self))
      i = k->nfree - 1; /* none of ours: the latest returned */
    scr = k->free_scr[i].scr;
    k->free_scr[i] = k->free_scr[--k->nfree];
  }
  else if(!rift_sigma_scratch_new(k->s, &scr)) {
    if(push((void **)&k->all_scr, &k->nall, &k->capall, sizeof(scr), &scr)) {
      rift_sigma_scratch_free(&scr);
      scr = NULL;
    }
  }
  pthread_mutex_unlock(&k->mu);
  return scr;
}

static void give(struct rift_sigma_sink *k, struct rift_sigma_scratch *scr)
{
  struct idle it;
  it.scr = scr;
  it.thread = pthread_self();
  pthread_mutex_lock(&k->mu);
  /* on failure the scratch stays in all_scr and is freed at the end */
  (void)push((void **)&k->free_scr, &k->nfree, &k->capfree, sizeof(it), &it);
  pthread_mutex_unlock(&k->mu);
}

rift_err rift_sigma_sink_prepare(struct rift_sigma_sink *k,
                                 struct rift_batch *b)
{
  struct rift_sigma_scratch *scr;
  struct pending p;
  uint32_t buf[MAX_HITS_PER_EVENT];
  uint32_t total = 0, cap = 0;
  size_t i;
  if(!b->n)
    return RIFT_OK;
  scr = take(k);
  if(!scr)
    return RIFT_NOMEM;
  p.b = b;
  p.hits = NULL;
  p.off = rift_arena_alloc(&b->arena, (b->n + 1) * sizeof(uint32_t));
  if(!p.off) {
    give(k, scr);
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  }
  for(i = 0; i < b->n; i++) {
    size_t n = rift_sigma_match(k->s, scr, &b->ev[i], buf, MAX_HITS_PER_EVENT);
    if(n > MAX_HITS_PER_EVENT)
      n = MAX_HITS_PER_EVENT;
    p.off[i] = total;
    if(n) {
      if(total + n > cap) {
        uint32_t ncap = cap ? cap * 2 : 64, *nh;
        while(ncap < total + n)
          ncap *= 2;
        nh = rift_arena_alloc(&b->arena, ncap * sizeof(uint32_t));
        if(!nh) {
          give(k, scr);
          return b->arena.err ? b->arena.err : RIFT_NOMEM;
        }
        if(total)
          memcpy(nh, p.hits, total * sizeof(uint32_t));
        p.hits = nh;
        cap = ncap;
      }
      memcpy(p.hits + total, buf, n * sizeof(uint32_t));
      total += (uint32_t)n;
    }
  }
  p.off[b->n] = total;
  give(k, scr);
  pthread_mutex_lock(&k->mu);
  if(push((void **)&k->pend, &k->npend, &k->cappend, sizeof(p), &p)) {
    pthread_mutex_unlock(&k->mu);
    return RIFT_NOMEM;
  }
  pthread_mutex_unlock(&k->mu);
  return RIFT_OK;
}

rift_err rift_sigma_sink_batch(struct rift_sigma_sink *k, struct rift_batch *b)
{
  struct pending p;
  size_t i;
  int found = 0;
  rift_err rc = RIFT_OK;
  if(!b->n)
    return RIFT_OK;
  pthread_mutex_lock(&k->mu);
  for(i = 0; i < k->npend; i++) {
    if(k->pend[i].b == b) {
      p = k->pend[i];
      k->pend[i] = k->pend[--k->npend];
      found = 1;
      break;
    }
  }
  pthread_mutex_unlock(&k->mu);
  if(!found) {
    /* the parser ran without prepare(): match here */
    rc = rift_sigma_sink_prepare(k, b);
    if(rc)
      return rc;
    return rift_sigma_sink_batch(k, b);
  }
  k->events += b->n;
  for(i = 0; i < b->n && !rc; i++) {
    uint32_t n = p.off[i + 1] - p.off[i];
    if(!n)
      continue;
    k->matched_events++;
    k->hits += n;
    rc = rift_sigma_run_event(k->run, &b->ev[i], p.hits + p.off[i], n);
  }
  return rc;
}

rift_err rift_sigma_sink_finish(struct rift_sigma_sink *k)
{
  return rift_sigma_run_finish(k->run);
}

static rift_err sk_prepare(void *ctx, struct rift_batch *b)
{
  return rift_sigma_sink_prepare(ctx, b);
}

static rift_err sk_batch(void *ctx, struct rift_batch *b)
{
  return rift_sigma_sink_batch(ctx, b);
}

void rift_sigma_sink_events(struct rift_sigma_sink *k,
                            struct rift_event_sink *out)
{
  out->prepare = sk_prepare;
  out->batch = sk_batch;
  out->ctx = k;
}
