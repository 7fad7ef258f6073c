/*
 * arena.h - bump allocator freed in one call.
 *
 * Each input artifact (or batch of events) gets its own arena; everything a
 * parser allocates for it comes from there and goes away with
 * rift_arena_clear() (keep the first block for reuse) or rift_arena_release()
 * (give everything back).  Allocation never frees individual objects.
 *
 * The arena has a ceiling: once total block bytes would pass a->max,
 * rift_arena_alloc returns NULL and sets a->err = RIFT_LIMIT.  Allocation
 * failure is RIFT_NOMEM.  Both are sticky until clear.
 *
 * Memory is aligned to 16 bytes.
 */
#ifndef RIFT_ARENA_H
#define RIFT_ARENA_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define RIFT_ARENA_BLOCK (64u * 1024)
#define RIFT_ARENA_MAX_BATCH (256u << 20)

struct rift_arena_block;

struct rift_arena {
  struct rift_arena_block *head; /* current block, newest first */
  char *ptr, *end;               /* free space in the current block */
  size_t total;                  /* bytes in all blocks */
  size_t max;                    /* ceiling on total */
  rift_err err;
};

void rift_arena_init(struct rift_arena *a, size_t max);
void rift_arena_release(struct rift_arena *a);
/* Free all but one block; pointers handed out before become invalid. */
void rift_arena_clear(struct rift_arena *a);
void *rift_arena_alloc_slow(struct rift_arena *a, size_t n);

static inline void *rift_arena_alloc(struct rift_arena *a, size_t n)
{
  size_t r = (n + 15) & ~(size_t)15;
  if(r >= n && (size_t)(a->end - a->ptr) >= r) {
    void *p = a->ptr;
    a->ptr += r;
    return p;
  }
  return rift_arena_alloc_slow(a, n);
}

void *rift_arena_zalloc(struct rift_arena *a, size_t n);
/* NUL-terminated copy of n bytes of s. */
char *rift_arena_strndup(struct rift_arena *a, const char *s, size_t n);
char *rift_arena_strdup(struct rift_arena *a, const char *s);
char *rift_arena_printf(struct rift_arena *a, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

#endif
