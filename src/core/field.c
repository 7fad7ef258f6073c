#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/field.h"
#include "core/hmap.h"

/* id -> name: two levels of fixed blocks so that readers never see a moving
 * array; a name is published (release) after it is written. */
#define BLK_BITS 12
#define BLK (1u << BLK_BITS)
#define NBLK (RIFT_FIELDS_MAX / BLK)

struct fname {
  const char *s;
  uint32_t len;
};

static struct fname *_Atomic blocks[NBLK];
static _Atomic uint32_t nfields;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct rift_hmap byname;
static int ready;

static const char *const static_names[] = {
  "",
#define F(id, name) name,
#include "core/fields.def"
#undef F
};

static uint32_t add_locked(const char *name, size_t len)
{
  union rift_hval *v;
  int isnew;
  uint32_t id = atomic_load_explicit(&nfields, memory_order_relaxed) + 1;
  struct fname *b;
  const struct rift_hmap_ent *e;
  if(id >= RIFT_FIELDS_MAX || len > UINT32_MAX)
    return 0;
  if(rift_hmap_put(&byname, name, len, &v, &isnew))
    return 0;
  if(!isnew)
    return (uint32_t)v->u;
  b = atomic_load_explicit(&blocks[id >> BLK_BITS], memory_order_relaxed);
  if(!b) {
    b = calloc(BLK, sizeof(*b));
    if(!b)
      return 0;
    atomic_store_explicit(&blocks[id >> BLK_BITS], b, memory_order_release);
  }
  e = rift_hmap_entry(&byname, name, len);
  b[id & (BLK - 1)].s = e->key;
  b[id & (BLK - 1)].len = (uint32_t)len;
  v->u = id;
  atomic_store_explicit(&nfields, id, memory_order_release);
  return id;
}

static void init_locked(void)
{
  size_t i;
  if(ready)
    return;
  ready = 1;
  rift_hmap_init(&byname, RIFT_FIELDS_MAX);
  for(i = 1; i < sizeof(static_names) / sizeof(static_names[0]); i++)
    add_locked(static_names[i], strlen(static_names[i]));
}

/* Each thread remembers the names it interned last (direct-mapped by
 * hash), so that parsers naming the same fields record after record do
 * not take the global lock for every field.  Entries point at the
 * interned copies, which live until exit. */
#define TCACHE 512

struct tcache_ent {
  uint64_t h;
  const char *name;
  uint32_t len, id;
};

static _Thread_local struct tcache_ent tcache[TCACHE];

uint32_t rift_field_id(const char *name, size_t len)
{
  uint64_t h = rift_hash(name, len);
  struct tcache_ent *c = &tcache[h & (TCACHE - 1)];
  uint32_t id;
  if(c->name && c->h == h && c->len == len && !memcmp(c->name, name, len))
    return c->id;
  pthread_mutex_lock(&lock);
  init_locked();
  id = add_locked(name, len);
  pthread_mutex_unlock(&lock);
  if(id && len <= UINT32_MAX) {
    c->h = h;
    c->len = (uint32_t)len;
    c->id = id;
    c->name = rift_field_name(id, NULL);
  }
  return id;
}

uint32_t rift_field_find(const char *name, size_t len)
{
  union rift_hval *v;
  uint32_t id = 0;
  pthread_mutex_lock(&lock);
  init_locked();
  v = rift_hmap_get(&byname, name, len);
  if(v)
    id = (uint32_t)v->u;
  pthread_mutex_unlock(&lock);
  return id;
}

const char *rift_field_name(uint32_t id, size_t *len)
{
  struct fname *b;
  if(id && id < RIFT_F__STATIC && !ready) {
    /* static names are valid before any interning happened */
    if(len)
      *len = strlen(static_names[id]);
    return static_names[id];
  }
  if(!id || id > atomic_load_explicit(&nfields, memory_order_acquire)) {
    if(len)
      *len = 0;
    return "";
  }
  b = atomic_load_explicit(&blocks[id >> BLK_BITS], memory_order_acquire);
  if(len)
    *len = b[id & (BLK - 1)].len;
  return b[id & (BLK - 1)].s;
}

uint32_t rift_field_count(void)
{
  pthread_mutex_lock(&lock);
  init_locked();
  pthread_mutex_unlock(&lock);
  return atomic_load_explicit(&nfields, memory_order_acquire);
}
