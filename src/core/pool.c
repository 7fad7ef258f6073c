#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

void *rift_pool_slots(size_t n, size_t size, void ***ptrs)
{
  char *a;
  size_t i;
  *ptrs = NULL;
  if(!n || !size || size % RIFT_CACHE_LINE || n > SIZE_MAX / size)
    return NULL;
  a = aligned_alloc(RIFT_CACHE_LINE, n * size);
  *ptrs = calloc(n, sizeof(void *));
  if(!a || !*ptrs) {
    free(a);
    free(*ptrs);
    *ptrs = NULL;
    return NULL;
  }
  memset(a, 0, n * size);
  for(i = 0; i < n; i++)
    (*ptrs)[i] = a + i * size;
  return a;
}

void rift_pool_slots_free(void *slots, void **ptrs)
{
  free(slots);
  free(ptrs);
}

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

/*
 * The ordered map.  The caller and up to N-1 of the pool's workers are the
 * runners; each claims the next item, works it, and whoever finishes the
 * oldest unwritten item writes it and every finished one after it.  No
 * thread exists only to write: with N threads asked for, N threads run, and
 * none waits on a third to be scheduled (a dedicated writer thread shared a
 * CPU with a worker and, woken late, let the other worker run out of window
 * and idle).
 *
 * Each runner works only in its own slots (slot s belongs to runner
 * s % nrun).  A slot's buffers and parser caches are rewritten by every
 * item, so a slot that moved between threads made each item start by
 * pulling its whole working set out of the other CPU's caches; on a
 * machine whose two CPUs sit on different cache complexes that cost up to a
 * fifth of the run.
 *
 * State lives on the heap with a count of its users, so a runner task that
 * starts after the work is over only drops its reference.
 */
struct omap {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  void (*work)(void *ctx, size_t i, void *slot);
  void (*emit)(void *ctx, size_t i, void *slot);
  void *ctx;
  void **slots;
  size_t n, window;
  size_t next;         /* next item to claim */
  size_t out;          /* next item to emit */
  unsigned nrun;       /* runners, caller included */
  unsigned ids;        /* runner ids handed out */
  int emitting;        /* a runner is emitting */
  unsigned waiting;    /* runners blocked on cv */
  unsigned refs;       /* caller + runner tasks not yet finished */
  unsigned char *done; /* per item % window: worked, not yet emitted */
  size_t *slot_of;     /* per item % window: its slot */
  unsigned char *busy; /* per slot: holds an item not yet emitted */
};

/* With m->mu held: emit every finished item from m->out on. */
static void omap_emit(struct omap *m)
{
  m->emitting = 1;
  while(m->out < m->next && m->done[m->out % m->window]) {
    size_t k = m->out, s = m->slot_of[k % m->window];
    pthread_mutex_unlock(&m->mu);
    m->emit(m->ctx, k, m->slots[s]);
    pthread_mutex_lock(&m->mu);
    m->done[k % m->window] = 0;
    m->busy[s] = 0;
    m->out++;
    if(m->waiting)
      pthread_cond_broadcast(&m->cv);
  }
  m->emitting = 0;
}

/* With m->mu held: a free slot of runner r, or SIZE_MAX. */
static size_t omap_free_slot(const struct omap *m, unsigned r)
{
  size_t s;
  for(s = r; s < m->window; s += m->nrun)
    if(!m->busy[s])
      return s;
  return SIZE_MAX;
}

/* Runs items until none is left to claim; the caller (wait_all) also waits
 * until the last one is emitted.  Drops the runner's reference. */
static void omap_run(struct omap *m, int wait_all)
{
  unsigned r;
  int last;
  pthread_mutex_lock(&m->mu);
  r = m->ids++;
  for(;;) {
    size_t s = SIZE_MAX;
    if(r < m->nrun && m->next < m->n && m->next - m->out < m->window &&
       (s = omap_free_slot(m, r)) != SIZE_MAX) {
      size_t i = m->next++;
      m->busy[s] = 1;
      m->slot_of[i % m->window] = s;
      pthread_mutex_unlock(&m->mu);
      m->work(m->ctx, i, m->slots[s]);
      pthread_mutex_lock(&m->mu);
      m->done[i % m->window] = 1;
      if(i == m->out && !m->emitting)
        omap_emit(m);
      continue;
    }
    if(m->out == m->n || (!wait_all && (r >= m->nrun || m->next == m->n)))
      break;
    m->waiting++;
    pthread_cond_wait(&m->cv, &m->mu);
    m->waiting--;
  }
  last = !--m->refs;
  pthread_mutex_unlock(&m->mu);
  if(last) {
    pthread_mutex_destroy(&m->mu);
    pthread_cond_destroy(&m->cv);
    free(m->done);
    free(m->slot_of);
    free(m->busy);
    free(m);
  }
}

static void omap_task(void *arg)
{
  omap_run(arg, 0);
}

rift_err rift_pool_map_ordered(struct rift_pool *p, size_t n, size_t window,
                               void (*work)(void *ctx, size_t i, void *slot),
                               void (*emit)(void *ctx, size_t i, void *slot),
                               void *ctx, void **slots)
{
  struct omap *m;
  unsigned k;
  if(!window)
    return RIFT_INVALID;
  m = p->th && n > 1 && window > 1 ? calloc(1, sizeof(*m)) : NULL;
  if(m) {
    m->done = calloc(window, 1);
    m->busy = calloc(window, 1);
    m->slot_of = calloc(window, sizeof(*m->slot_of));
    if(!m->done || !m->busy || !m->slot_of) {
      free(m->done);
      free(m->busy);
      free(m->slot_of);
      free(m);
      m = NULL;
    }
  }
  if(!m) {
    /* one thread, or no memory for the shared state: in line, in order */
    size_t i;
    for(i = 0; i < n; i++) {
      work(ctx, i, slots[0]);
      emit(ctx, i, slots[0]);
    }
    return RIFT_OK;
  }
  pthread_mutex_init(&m->mu, NULL);
  pthread_cond_init(&m->cv, NULL);
  m->work = work;
  m->emit = emit;
  m->ctx = ctx;
  m->slots = slots;
  m->n = n;
  m->window = window;
  m->nrun = p->nthreads < window ? p->nthreads : (unsigned)window;
  m->refs = 1;
  for(k = 1; k < m->nrun; k++) {
    pthread_mutex_lock(&m->mu);
    m->refs++;
    pthread_mutex_unlock(&m->mu);
    if(rift_pool_submit(p, omap_task, m)) {
      pthread_mutex_lock(&m->mu);
      m->refs--;
      pthread_mutex_unlock(&m->mu);
      break;
    }
  }
  omap_run(m, 1);
  return RIFT_OK;
}
