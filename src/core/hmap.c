#include <stdlib.h>
#include <string.h>

#include "core/hmap.h"

static inline uint64_t load64(const unsigned char *p)
{
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static inline uint64_t mix(uint64_t a, uint64_t b)
{
  __uint128_t r = (__uint128_t)a * b;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t rift_hash(const void *p, size_t n)
{
  const unsigned char *s = p;
  uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
  while(n >= 8) {
    h = mix(h ^ load64(s), 0xa0761d6478bd642full);
    s += 8;
    n -= 8;
  }
  if(n) {
    uint64_t t = 0;
    memcpy(&t, s, n);
    h = mix(h ^ t, 0xe7037ed1a0b428dbull);
  }
  return mix(h, 0x8ebc6af09c88c6e3ull);
}

void rift_hmap_init(struct rift_hmap *m, size_t max)
{
  m->ent = NULL;
  m->cap = 0;
  m->n = 0;
  m->max = max;
  rift_arena_init(&m->keys, (size_t)1 << 40);
}

void rift_hmap_release(struct rift_hmap *m)
{
  free(m->ent);
  rift_arena_release(&m->keys);
  rift_hmap_init(m, m->max);
}

static struct rift_hmap_ent *find(const struct rift_hmap *m, const char *key,
                                  size_t klen, uint32_t h)
{
  size_t i, mask = m->cap - 1;
  for(i = h & mask;; i = (i + 1) & mask) {
    struct rift_hmap_ent *e = &m->ent[i];
    if(!e->key)
      return e;
    if(e->hash == h && e->klen == klen && !memcmp(e->key, key, klen))
      return e;
  }
}

static rift_err grow(struct rift_hmap *m)
{
  size_t ncap = m->cap ? m->cap * 2 : 16, ocap = m->cap, i;
  struct rift_hmap_ent *old = m->ent, *ne;
  ne = calloc(ncap, sizeof(*ne));
  if(!ne)
    return RIFT_NOMEM;
  m->ent = ne;
  m->cap = ncap;
  for(i = 0; i < ocap; i++) {
    if(old[i].key)
      *find(m, old[i].key, old[i].klen, old[i].hash) = old[i];
  }
  free(old);
  return RIFT_OK;
}

union rift_hval *rift_hmap_get(const struct rift_hmap *m, const char *key,
                               size_t klen)
{
  struct rift_hmap_ent *e;
  if(!m->cap)
    return NULL;
  e = find(m, key, klen, (uint32_t)rift_hash(key, klen));
  return e->key ? &e->val : NULL;
}

const struct rift_hmap_ent *rift_hmap_entry(const struct rift_hmap *m,
                                            const char *key, size_t klen)
{
  struct rift_hmap_ent *e;
  if(!m->cap)
    return NULL;
  e = find(m, key, klen, (uint32_t)rift_hash(key, klen));
  return e->key ? e : NULL;
}

rift_err rift_hmap_put(struct rift_hmap *m, const char *key, size_t klen,
                       union rift_hval **val, int *isnew)
{
  uint32_t h = (uint32_t)rift_hash(key, klen);
  struct rift_hmap_ent *e;
  char *k;
  rift_err rc;
  if(klen > UINT32_MAX)
    return RIFT_LIMIT;
  if(m->cap) {
    e = find(m, key, klen, h);
    if(e->key) {
      *val = &e->val;
      if(isnew)
        *isnew = 0;
      return RIFT_OK;
    }
  }
  if(m->n >= m->max)
    return RIFT_LIMIT;
  if((m->n + 1) * 4 > m->cap * 3) {
    rc = grow(m);
    if(rc)
      return rc;
  }
  k = rift_arena_strndup(&m->keys, key, klen);
  if(!k)
    return m->keys.err ? m->keys.err : RIFT_NOMEM;
  e = find(m, key, klen, h);
  e->key = k;
  e->klen = (uint32_t)klen;
  e->hash = h;
  e->val.u = 0;
  m->n++;
  *val = &e->val;
  if(isnew)
    *isnew = 1;
  return RIFT_OK;
}
