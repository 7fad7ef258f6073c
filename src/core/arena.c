#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

struct rift_arena_block {
  struct rift_arena_block *next;
  size_t size; /* usable bytes after the header */
  /* data follows, 16-byte aligned */
};

#define HDR ((sizeof(struct rift_arena_block) + 15) & ~(size_t)15)

void rift_arena_init(struct rift_arena *a, size_t max)
{
  a->head = NULL;
  a->ptr = a->end = NULL;
  a->total = 0;
  a->max = max;
  a->err = RIFT_OK;
}

void rift_arena_release(struct rift_arena *a)
{
  struct rift_arena_block *b = a->head, *n;
  while(b) {
    n = b->next;
    free(b);
    b = n;
  }
  rift_arena_init(a, a->max);
}

void rift_arena_clear(struct rift_arena *a)
{
  struct rift_arena_block *keep, *b, *n;
  if(!a->head) {
    a->err = RIFT_OK;
    return;
  }
  /* keep the oldest block: it is the standard size */
  keep = a->head;
  while(keep->next)
    keep = keep->next;
  for(b = a->head; b != keep; b = n) {
    n = b->next;
    free(b);
  }
  a->head = keep;
  a->ptr = (char *)keep + HDR;
  a->end = a->ptr + keep->size;
  a->total = keep->size;
  a->err = RIFT_OK;
}

void *rift_arena_alloc_slow(struct rift_arena *a, size_t n)
{
  struct rift_arena_block *b;
  size_t r, size;
  void *p;
  if(a->err)
    return NULL;
  r = (n + 15) & ~(size_t)15;
  if(r < n) {
    a->err = RIFT_LIMIT;
    return NULL;
  }
  if((size_t)(a->end - a->ptr) >= r) {
    p = a->ptr;
    a->ptr += r;
    return p;
  }
  size = r > RIFT_ARENA_BLOCK / 4 ? r : RIFT_ARENA_BLOCK;
  if(size > a->max || a->total > a->max - size) {
    a->err = RIFT_LIMIT;
    return NULL;
  }
  b = malloc(HDR + size);
  if(!b) {
    a->err = RIFT_NOMEM;
    return NULL;
  }
  b->size = size;
  a->total += size;
  if(size == RIFT_ARENA_BLOCK || !a->head) {
    /* becomes the current block */
    b->next = a->head;
    a->head = b;
    a->ptr = (char *)b + HDR + r;
    a->end = (char *)b + HDR + size;
    return (char *)b + HDR;
  }
  /* a big one-off: link it behind the current block, keep bumping there */
  b->next = a->head->next;
  a->head->next = b;
  return (char *)b + HDR;
}

void *rift_arena_zalloc(struct rift_arena *a, size_t n)
{
  void *p = rift_arena_alloc(a, n);
  if(p)
    memset(p, 0, n);
  return p;
}

char *rift_arena_strndup(struct rift_arena *a, const char *s, size_t n)
{
  char *p = rift_arena_alloc(a, n + 1);
  if(!p)
    return NULL;
  if(n)
    memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *rift_arena_strdup(struct rift_arena *a, const char *s)
{
  return rift_arena_strndup(a, s, strlen(s));
}

char *rift_arena_printf(struct rift_arena *a, const char *fmt, ...)
{
  va_list ap;
  int n;
  char *p;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if(n < 0)
    return NULL;
  p = rift_arena_alloc(a, (size_t)n + 1);
  if(!p)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}
