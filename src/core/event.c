#include <stdio.h>
#include <string.h>

#include "core/event.h"
#include "core/rtime.h"

static const char *const kind_names[] = {
#define K(e, s) s,
  RIFT_KIND_MAP(K)
#undef K
};

const char *rift_kind_name(unsigned kind)
{
  return kind < RIFT_KIND__COUNT ? kind_names[kind] : "unknown";
}

void rift_batch_init(struct rift_batch *b)
{
  rift_arena_init(&b->arena, RIFT_ARENA_MAX_BATCH);
  b->ev = NULL;
  b->n = b->cap = 0;
}

void rift_batch_release(struct rift_batch *b)
{
  rift_arena_release(&b->arena);
  b->ev = NULL;
  b->n = b->cap = 0;
}

void rift_batch_clear(struct rift_batch *b)
{
  rift_arena_clear(&b->arena);
  b->ev = NULL;
  b->n = b->cap = 0;
}

struct rift_event *rift_batch_add(struct rift_batch *b)
{
  struct rift_event *e;
  if(b->n == b->cap) {
    size_t ncap = b->cap ? b->cap * 2 : 256;
    struct rift_event *ne = rift_arena_alloc(&b->arena, ncap * sizeof(*ne));
    if(!ne)
      return NULL;
    if(b->n)
      memcpy(ne, b->ev, b->n * sizeof(*ne));
    b->ev = ne;
    b->cap = ncap;
  }
  e = &b->ev[b->n++];
  memset(e, 0, sizeof(*e));
  e->ts = RIFT_TIME_NONE;
  return e;
}

const char *rift_batch_str(struct rift_batch *b, const char *s, size_t n)
{
  return rift_arena_strndup(&b->arena, s, n);
}

static struct rift_field *slot(struct rift_batch *b, struct rift_event *e)
{
  if(e->nf == e->capf) {
    uint32_t ncap = e->capf ? e->capf * 2 : 32;
    struct rift_field *nf;
    if(e->nf >= RIFT_EVENT_MAX_FIELDS)
      return NULL;
    nf = rift_arena_alloc(&b->arena, ncap * sizeof(*nf));
    if(!nf)
      return NULL;
    if(e->nf)
      memcpy(nf, e->f, e->nf * sizeof(*nf));
    e->f = nf;
    e->capf = ncap;
  }
  return &e->f[e->nf++];
}

rift_err rift_event_add(struct rift_batch *b, struct rift_event *e,
                        uint32_t id, const struct rift_value *v)
{
  struct rift_field *f = slot(b, e);
  if(!f)
    return b->arena.err ? b->arena.err : RIFT_LIMIT;
  f->id = id;
  f->v = *v;
  return RIFT_OK;
}

rift_err rift_event_add_strref(struct rift_batch *b, struct rift_event *e,
                               uint32_t id, const char *s, size_t n)
{
  struct rift_value v = { .type = RIFT_V_STR, .len = (uint32_t)n, .s = s };
  if(n > UINT32_MAX)
    return RIFT_LIMIT;
  return rift_event_add(b, e, id, &v);
}

rift_err rift_event_add_str(struct rift_batch *b, struct rift_event *e,
                            uint32_t id, const char *s, size_t n)
{
  const char *c = rift_batch_str(b, s, n);
  if(!c)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  return rift_event_add_strref(b, e, id, c, n);
}

rift_err rift_event_add_int(struct rift_batch *b, struct rift_event *e,
                            uint32_t id, int64_t i)
{
  struct rift_value v = { .type = RIFT_V_INT, .i = i };
  return rift_event_add(b, e, id, &v);
}

rift_err rift_event_add_uint(struct rift_batch *b, struct rift_event *e,
                             uint32_t id, uint64_t u)
{
  struct rift_value v = { .type = RIFT_V_UINT, .u = u };
  return rift_event_add(b, e, id, &v);
}

rift_err rift_event_add_float(struct rift_batch *b, struct rift_event *e,
                              uint32_t id, double f)
{
  struct rift_value v = { .type = RIFT_V_FLOAT, .f = f };
  return rift_event_add(b, e, id, &v);
}

rift_err rift_event_add_bool(struct rift_batch *b, struct rift_event *e,
                             uint32_t id, int bv)
{
  struct rift_value v = { .type = RIFT_V_BOOL, .b = !!bv };
  return rift_event_add(b, e, id, &v);
}

const struct rift_value *rift_event_get(const struct rift_event *e,
                                        uint32_t id)
{
  uint32_t i;
  for(i = 0; i < e->nf; i++) {
    if(e->f[i].id == id)
      return &e->f[i].v;
  }
  return NULL;
}

const char *rift_value_str(const struct rift_value *v, char *tmp, size_t *len)
{
  size_t n;
  switch(v->type) {
  case RIFT_V_STR:
    *len = v->len;
    return v->s;
  case RIFT_V_INT:
    if(v->i < 0) {
      tmp[0] = '-';
      n = 1 + rift_fmt_u64(tmp + 1, 0 - (uint64_t)v->i);
    }
    else {
      n = rift_fmt_u64(tmp, (uint64_t)v->i);
    }
    break;
  case RIFT_V_UINT:
    n = rift_fmt_u64(tmp, v->u);
    break;
  case RIFT_V_FLOAT:
    n = (size_t)snprintf(tmp, 32, "%.17g", v->f);
    break;
  case RIFT_V_BOOL:
    n = v->b ? 4 : 5;
    memcpy(tmp, v->b ? "true" : "false", n);
    break;
  default:
    *len = 0;
    return NULL;
  }
  tmp[n] = 0;
  *len = n;
  return tmp;
}
