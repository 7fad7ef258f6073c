#include <stdlib.h>
#include <unistd.h>

#include "core/pool.h"

rift_err rift_queue_init(struct rift_queue *q, size_t cap)
{
  if(!cap)
    return RIFT_INVALID;
  q->items = calloc(cap, sizeof(void *));
  if(!q->items)
    return RIFT_NOMEM;
  q->cap = cap;
  q->head = q->n = 0;
  q->closed = 0;
  pthread_mutex_init(&q->mu, NULL);
  pthread_cond_init(&q->not_empty, NULL);
  pthread_cond_init(&q->not_full, NULL);
  return RIFT_OK;
}

void rift_queue_release(struct rift_queue *q)
{
  free(q->items);
  q->items = NULL;
  pthread_mutex_destroy(&q->mu);
  pthread_cond_destroy(&q->not_empty);
  pthread_cond_destroy(&q->not_full);
}

rift_err rift_queue_push(struct rift_queue *q, void *item)
{
  pthread_mutex_lock(&q->mu);
  while(q->n == q->cap && !q->closed)
    pthread_cond_wait(&q->not_full, &q->mu);
  if(q->closed) {
    pthread_mutex_unlock(&q->mu);
    return RIFT_INVALID;
  }
  q->items[(q->head + q->n) % q->cap] = item;
  q->n++;
  pthread_cond_signal(&q->not_empty);
  pthread_mutex_unlock(&q->mu);
  return RIFT_OK;
}

void *rift_queue_pop(struct rift_queue *q)
{
  void *it;
  pthread_mutex_lock(&q->mu);
  while(!q->n && !q->closed)
    pthread_cond_wait(&q->not_empty, &q->mu);
  if(!q->n) {
    pthread_mutex_unlock(&q->mu);
    return NULL;
  }
  it = q->items[q->head];
  q->head = (q->head + 1) % q->cap;
  q->n--;
  pthread_cond_signal(&q->not_full);
  pthread_mutex_unlock(&q->mu);
  return it;
}

void rift_queue_close(struct rift_queue *q)
{
  pthread_mutex_lock(&q->mu);
  q->closed = 1;
  pthread_cond_broadcast(&q->not_empty);
  pthread_cond_broadcast(&q->not_full);
  pthread_mutex_unlock(&q->mu);
}

struct task {
  void (*fn)(void *);
  void *arg;
};

struct rift_pool {
  unsigned nthreads;
  pthread_t *th;
  struct rift_queue q;
};

unsigned rift_ncpu(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1;
}

static void *worker(void *arg)
{
  struct rift_pool *p = arg;
  struct task *t;
  while((t = rift_queue_pop(&p->q)) != NULL) {
    t->fn(t->arg);
    free(t);
  }
  return NULL;
}

rift_err rift_pool_init(struct rift_pool **pp, unsigned nthreads)
{
  struct rift_pool *p;
  unsigned i;
  rift_err rc;
  if(!nthreads)
    nthreads = rift_ncpu();
  if(nthreads > 256)
    nthreads = 256;
  p = calloc(1, sizeof(*p));
  if(!p)
    return RIFT_NOMEM;
  p->nthreads = nthreads;
  if(nthreads > 1) {
    rc = rift_queue_init(&p->q, (size_t)nthreads * 4);
    if(rc) {
      free(p);
      return rc;
    }
    p->th = calloc(nthreads, sizeof(pthread_t));
    if(!p->th) {
      rift_queue_release(&p->q);
      free(p);
      return RIFT_NOMEM;
    }
    for(i = 0; i < nthreads; i++) {
      if(pthread_create(&p->th[i], NULL, worker, p)) {
        p->nthreads = i;
        break;
      }
    }
    if(!p->nthreads) {
      free(p->th);
      rift_queue_release(&p->q);
      free(p);
      return RIFT_NOMEM;
    }
  }
  *pp = p;
  return RIFT_OK;
}

unsigned rift_pool_threads(const struct rift_pool *p)
{
  return p->nthreads;
}

void rift_pool_free(struct rift_pool **pp)
{
  struct rift_pool *p = *pp;
  unsigned i;
  if(!p)
    return;
  if(p->th) {
    rift_queue_close(&p->q);
    for(i = 0; i < p->nthreads; i++)
      pthread_join(p->th[i], NULL);
    free(p->th);
    rift_queue_release(&p->q);
  }
  free(p);
  *pp = NULL;
}

rift_err rift_pool_submit(struct rift_pool *p, void (*fn)(void *), void *arg)
{
  struct task *t;
  rift_err rc;
  if(!p->th) {
    fn(arg);
    return RIFT_OK;
  }
  t = malloc(sizeof(*t));
  if(!t)
    return RIFT_NOMEM;
  t->fn = fn;
  t->arg = arg;
  rc = rift_queue_push(&p->q, t);
  if(rc)
    free(t);
  return rc;
}

/* One in-flight item of an ordered map. */
struct mapjob {
  void (*work)(void *ctx, size_t i, void *slot);
  void *ctx;
  void *slot;
  size_t i;
  int done;
  pthread_mutex_t *mu;
  pthread_cond_t *cv;
};

static void run_mapjob(void *arg)
{
  struct mapjob *j = arg;
  j->work(j->ctx, j->i, j->slot);
  pthread_mutex_lock(j->mu);
  j->done = 1;
  pthread_cond_broadcast(j->cv);
  pthread_mutex_unlock(j->mu);
}

rift_err rift_pool_map_ordered(struct rift_pool *p, size_t n, size_t window,
                               void (*work)(void *ctx, size_t i, void *slot),
                               void (*emit)(void *ctx, size_t i, void *slot),
                               void *ctx, void **slots)
{
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
  struct mapjob *jobs;
  size_t next = 0, out = 0;
  rift_err rc = RIFT_OK;
  if(!window)
    return RIFT_INVALID;
  if(!p->th) {
    size_t i;
    for(i = 0; i < n; i++) {
      work(ctx, i, slots[0]);
      emit(ctx, i, slots[0]);
    }
    return RIFT_OK;
  }
  jobs = calloc(window, sizeof(*jobs));
  if(!jobs)
    return RIFT_NOMEM;
  while(out < n) {
    while(!rc && next < n && next - out < window) {
      struct mapjob *j = &jobs[next % window];
      j->work = work;
      j->ctx = ctx;
      j->slot = slots[next % window];
      j->i = next;
      j->done = 0;
      j->mu = &mu;
      j->cv = &cv;
      rc = rift_pool_submit(p, run_mapjob, j);
      if(!rc)
        next++;
    }
    if(out == next)
      break; /* submission failed and nothing is in flight */
    pthread_mutex_lock(&mu);
    while(!jobs[out % window].done)
      pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    emit(ctx, out, slots[out % window]);
    out++;
  }
  free(jobs);
  pthread_mutex_destroy(&mu);
  pthread_cond_destroy(&cv);
  return rc;
}
