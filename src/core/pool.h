/*
 * pool.h - thread pool and bounded queue.
 *
 * struct rift_queue is a bounded FIFO of pointers between threads: push
 * blocks while full, pop blocks while empty, close wakes everyone (pop then
 * returns NULL once drained).  The bound keeps memory flat however fast a
 * producer runs.
 *
 * struct rift_pool runs tasks on N worker threads fed by such a queue.
 * With N == 1 no thread is started and tasks run inline at submit, so a
 * single-threaded run pays nothing for the pool.
 *
 * rift_pool_map_ordered() is the pattern every parser uses: work(i) runs in
 * parallel, emit(i) runs strictly in order 0..n-1 and never two at once,
 * with at most `window` items in flight (so at most `window` output buffers
 * exist at any time).  The caller is one of the N runners (N-1 pool workers
 * join it), so emit may run on any of them: it must not rely on the
 * caller's thread, only on being serialised.
 */
#ifndef RIFT_POOL_H
#define RIFT_POOL_H

#include <pthread.h>
#include <stddef.h>

#include "core/err.h"

struct rift_queue {
  void **items;
  size_t cap, head, n;
  int closed;
  pthread_mutex_t mu;
  pthread_cond_t not_empty, not_full;
};

rift_err rift_queue_init(struct rift_queue *q, size_t cap);
void rift_queue_release(struct rift_queue *q);
/* Blocks while full; RIFT_INVALID if the queue is closed. */
rift_err rift_queue_push(struct rift_queue *q, void *item);
/* Blocks while empty; NULL once closed and drained. */
void *rift_queue_pop(struct rift_queue *q);
void rift_queue_close(struct rift_queue *q);

struct rift_pool;

/* nthreads 0 means one per online CPU. */
rift_err rift_pool_init(struct rift_pool **p, unsigned nthreads);
/* Waits for queued tasks, joins the workers, sets *p to NULL. */
void rift_pool_free(struct rift_pool **p);
unsigned rift_pool_threads(const struct rift_pool *p);
rift_err rift_pool_submit(struct rift_pool *p, void (*fn)(void *), void *arg);

rift_err rift_pool_map_ordered(struct rift_pool *p, size_t n, size_t window,
                               void (*work)(void *ctx, size_t i, void *slot),
                               void (*emit)(void *ctx, size_t i, void *slot),
                               void *ctx, void **slots);

/* The slots of an ordered map: n zeroed elements of `size` bytes in one
 * array starting on a cache line, and in *ptrs the array of pointers to
 * them that rift_pool_map_ordered takes.  size must be a multiple of 64
 * (give the slot struct an _Alignas(64) first member): each runner writes
 * its slots for every record, and slots sharing a line would make the
 * runners' CPUs fight over it.  NULL if out of memory (or size is not a
 * multiple of 64).  Free both with rift_pool_slots_free. */
#define RIFT_CACHE_LINE 64
void *rift_pool_slots(size_t n, size_t size, void ***ptrs);
void rift_pool_slots_free(void *slots, void **ptrs);

/* Online CPUs (at least 1). */
unsigned rift_ncpu(void);

#endif
