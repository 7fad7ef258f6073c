/*
 * hmap.h - string-keyed hash map (open addressing, linear probing).
 *
 * Keys are copied into the map's own arena, so callers may pass transient
 * bytes.  Values are a union of pointer and integer; the map never owns
 * what a pointer value points to.  The map holds at most `max` entries;
 * inserting past that returns RIFT_LIMIT.  Not thread-safe.
 *
 *   struct rift_hmap m;
 *   rift_hmap_init(&m, 1 << 20);
 *   union rift_hval *v;
 *   int isnew;
 *   if(rift_hmap_put(&m, "k", 1, &v, &isnew)) ...;
 *   if(isnew) v->u = 0;
 *   v->u++;
 *   rift_hmap_release(&m);
 */
#ifndef RIFT_HMAP_H
#define RIFT_HMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

union rift_hval {
  void *p;
  uint64_t u;
  int64_t i;
};

struct rift_hmap_ent {
  const char *key; /* NUL-terminated copy, NULL = empty slot */
  uint32_t klen;
  uint32_t hash;
  union rift_hval val;
};

struct rift_hmap {
  struct rift_hmap_ent *ent;
  size_t cap;  /* power of two, or 0 */
  size_t n;
  size_t max;
  struct rift_arena keys;
};

/* 64-bit hash of n bytes (not cryptographic; seeded by a constant). */
uint64_t rift_hash(const void *p, size_t n);

void rift_hmap_init(struct rift_hmap *m, size_t max);
void rift_hmap_release(struct rift_hmap *m);
/* Value slot for key, or NULL if absent. */
union rift_hval *rift_hmap_get(const struct rift_hmap *m, const char *key,
                               size_t klen);
/* Value slot for key, inserting it (value zeroed) if absent. */
rift_err rift_hmap_put(struct rift_hmap *m, const char *key, size_t klen,
                       union rift_hval **val, int *isnew);
/* The entry (with its stable key copy) for key, or NULL. */
const struct rift_hmap_ent *rift_hmap_entry(const struct rift_hmap *m,
                                            const char *key, size_t klen);

/* Iterate: for(i = 0; i < m->cap; i++) if(m->ent[i].key) ... */

#endif
