/*
 * binxml.c - BinXML: compile templates once per chunk, instantiate records
 * into node trees, render trees as JSON or XML.  Layout in binxml-int.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cur.h"
#include "core/diag.h"
#include "core/hmap.h"
#include "core/rtime.h"
#include "core/utf16.h"
#include "fmt/binxml-int.h"

#define FAIL(c, at, why) fail((c), (at), (why))

static rift_err fail(struct bx_chunk *c, size_t at, const char *why)
{
  c->fail_off = (uint32_t)at;
  c->fail_why = why;
  return RIFT_CORRUPT_BKPT;
}

/* ---- chunk caches ------------------------------------------------------ */

rift_err bx_chunk_init(struct bx_chunk *c)
{
  memset(c, 0, sizeof(*c));
  rift_arena_init(&c->arena, 64u << 20);
  rift_arena_init(&c->rec, 256u << 20);
  rift_buf_init(&c->tmp, RIFT_BUF_MAX_RECORD);
  c->names_cap = 1024;
  c->names = calloc(c->names_cap, sizeof(*c->names));
  c->tpls_cap = 256;
  c->tpls = calloc(c->tpls_cap, sizeof(*c->tpls));
  if(!c->names || !c->tpls) {
    bx_chunk_release(c);
    return RIFT_NOMEM;
  }
  return RIFT_OK;
}

void bx_chunk_release(struct bx_chunk *c)
{
  free(c->rec_buf);
  free(c->cnodes);
  free(c->progs);
  free(c->nodes);
  free(c->names);
  free(c->tpls);
  rift_arena_release(&c->arena);
  rift_arena_release(&c->rec);
  rift_buf_release(&c->tmp);
  memset(c, 0, sizeof(*c));
}

void bx_chunk_reset(struct bx_chunk *c, const uint8_t *p, size_t len)
{
  c->p = p;
  c->len = len;
  if(c->nnames)
    memset(c->names, 0, c->names_cap * sizeof(*c->names));
  if(c->ntpls)
    memset(c->tpls, 0, c->tpls_cap * sizeof(*c->tpls));
  if(c->nprogs)
    memset(c->progs, 0, c->progs_cap * sizeof(*c->progs));
  c->nnames = c->ntpls = c->nprogs = 0;
  rift_arena_clear(&c->arena);
  rift_arena_clear(&c->rec);
}

static inline uint32_t slot_of(uint32_t off, uint32_t cap)
{
  return (off * 2654435761u) & (cap - 1);
}

/* Grow an offset-keyed open-addressing table of pointers whose first
 * member after the key is found through keyfn. */
static rift_err table_grow(void ***tab, uint32_t *cap,
                           uint32_t (*keyfn)(const void *))
{
  uint32_t ncap = *cap * 2, i;
  void **nt = calloc(ncap, sizeof(void *));
  if(!nt)
    return RIFT_NOMEM;
  for(i = 0; i < *cap; i++) {
    void *e = (*tab)[i];
    uint32_t s;
    if(!e)
      continue;
    for(s = slot_of(keyfn(e), ncap); nt[s]; s = (s + 1) & (ncap - 1))
      ;
    nt[s] = e;
  }
  free(*tab);
  *tab = nt;
  *cap = ncap;
  return RIFT_OK;
}

/* Insert e (key keyfn(e), not present yet) into such a table, growing it
 * to stay at most half full.  *cap must be a power of two (or 0: the table
 * is created with 64 slots). */
static rift_err table_put(void ***tab, uint32_t *cap, uint32_t *n, void *e,
                          uint32_t (*keyfn)(const void *))
{
  uint32_t s;
  rift_err rc;
  if(!*cap) {
    *tab = calloc(64, sizeof(void *));
    if(!*tab)
      return RIFT_NOMEM;
    *cap = 64;
  }
  if((*n + 1) * 2 > *cap) {
    rc = table_grow(tab, cap, keyfn);
    if(rc)
      return rc;
  }
  for(s = slot_of(keyfn(e), *cap); (*tab)[s]; s = (s + 1) & (*cap - 1))
    ;
  (*tab)[s] = e;
  (*n)++;
  return RIFT_OK;
}

static uint32_t name_key(const void *e)
{
  return ((const struct bx_name *)e)->off;
}

static uint32_t tpl_key(const void *e)
{
  return ((const struct bx_template *)e)->def_off;
}

static const struct {
  const char *s;
  uint32_t len;
} known_names[] = {
  { "", 0 },
#define N(e, s) { s, sizeof(s) - 1 },
  BX_KNOWN_MAP(N)
#undef N
};

static uint16_t known_of(const char *s, uint32_t len)
{
  uint16_t i;
  for(i = 1; i < sizeof(known_names) / sizeof(known_names[0]); i++) {
    if(known_names[i].len == len && !memcmp(known_names[i].s, s, len))
      return i;
  }
  return BXN_NONE;
}

static const char *arena_copy(struct rift_arena *a, const char *s, size_t n)
{
  return rift_arena_strndup(a, s, n);
}

/* A name from count UTF-16 units (in the chunk arena), or NULL. */
static struct bx_name *make_name(struct bx_chunk *c, const uint8_t *chars,
                                 size_t count)
{
  struct bx_name *nm = rift_arena_alloc(&c->arena, sizeof(*nm));
  if(!nm)
    return NULL;
  count = rift_utf16le_strnlen(chars, count);
  rift_buf_reset(&c->tmp);
  rift_utf16le_add(&c->tmp, chars, count);
  nm->len = (uint32_t)c->tmp.len;
  nm->s = arena_copy(&c->arena, c->tmp.buf, c->tmp.len);
  rift_buf_reset(&c->tmp);
  rift_utf16le_add_json(&c->tmp, chars, count);
  nm->jlen = (uint32_t)c->tmp.len;
  nm->json = arena_copy(&c->arena, c->tmp.buf, c->tmp.len);
  rift_buf_reset(&c->tmp);
  rift_utf16le_add_xml(&c->tmp, chars, count);
  nm->xlen = (uint32_t)c->tmp.len;
  nm->xml = arena_copy(&c->arena, c->tmp.buf, c->tmp.len);
  if(c->tmp.err || !nm->s || !nm->json || !nm->xml)
    return NULL;
  nm->off = UINT32_MAX;
  nm->field = 0;
  nm->known = known_of(nm->s, nm->len);
  nm->hash = rift_hash(nm->json, nm->jlen);
  return nm;
}

/* The name stored at chunk offset off. */
static rift_err get_name(struct bx_chunk *c, uint32_t off,
                         const struct bx_name **out)
{
  struct rift_cur cur;
  struct bx_name *nm;
  uint32_t s;
  uint16_t count;
  const uint8_t *chars;
  rift_err rc;

  for(s = slot_of(off, c->names_cap); c->names[s];
      s = (s + 1) & (c->names_cap - 1)) {
    if(c->names[s]->off == off) {
      *out = c->names[s];
      return RIFT_OK;
    }
  }
  if(c->nnames >= BX_MAX_NAMES)
    return RIFT_LIMIT;
  rift_cur_init(&cur, c->p, c->len);
  rift_cur_seek(&cur, off);
  rift_cur_skip(&cur, 6); /* next offset, hash */
  count = rift_cur_u16(&cur);
  chars = rift_cur_take(&cur, (size_t)count * 2);
  if(cur.err)
    return FAIL(c, off, "name out of chunk");
  nm = make_name(c, chars, count);
  if(!nm)
    return c->tmp.err ? c->tmp.err : c->arena.err;
  nm->off = off;
  rc = table_put((void ***)&c->names, &c->names_cap, &c->nnames, nm, name_key);
  if(rc)
    return rc;
  *out = nm;
  return RIFT_OK;
}

/* Read a name reference at the cursor; skip the name if it is inline. */
static rift_err read_name(struct bx_chunk *c, struct rift_cur *cur,
                          const struct bx_name **out)
{
  uint32_t off = rift_cur_u32(cur);
  if(cur->err)
    return FAIL(c, cur->off, "truncated name reference");
  if(off == cur->off) {
    uint16_t count;
    rift_cur_skip(cur, 6);
    count = rift_cur_u16(cur);
    rift_cur_skip(cur, (size_t)count * 2 + 2);
    if(cur->err)
      return FAIL(c, off, "truncated inline name");
  }
  return get_name(c, off, out);
}

/* ---- compiling token streams ----------------------------------------- */

struct comp {
  struct bx_chunk *c;
  struct rift_cur cur;
  int dep;               /* elements carry a dependency identifier */
  struct bx_node *v;     /* growing node vector (the chunk's cnodes) */
  uint32_t n, cap;
  rift_err err;
};

static uint32_t cnode(struct comp *k, uint8_t kind)
{
  if(k->n == k->cap) {
    uint32_t ncap = k->cap ? k->cap * 2 : 64;
    struct bx_node *nv;
    if(ncap > BX_MAX_NODES) {
      k->err = RIFT_LIMIT;
      return 0;
    }
    nv = realloc(k->v, ncap * sizeof(*nv));
    if(!nv) {
      k->err = RIFT_NOMEM;
      return 0;
    }
    k->v = nv;
    k->cap = ncap;
  }
  memset(&k->v[k->n], 0, sizeof(k->v[0]));
  k->v[k->n].kind = kind;
  return k->n++;
}

/* Fixed size of a value type, 0 if variable. */
static uint32_t fixed_size(uint8_t t)
{
  switch(t) {
  case BXT_I8: case BXT_U8: return 1;
  case BXT_I16: case BXT_U16: return 2;
  case BXT_I32: case BXT_U32: case BXT_F32: case BXT_BOOL: case BXT_HEX32:
    return 4;
  case BXT_I64: case BXT_U64: case BXT_F64: case BXT_FILETIME:
  case BXT_HEX64: return 8;
  case BXT_GUID: case BXT_SYSTEMTIME: return 16;
  default: return 0;
  }
}

/* A Value token's payload; the token byte is already consumed. */
static rift_err comp_value(struct comp *k, uint32_t ni)
{
  struct rift_cur *cur = &k->cur;
  uint8_t t = rift_cur_u8(cur);
  uint32_t len;
  if(t == BXT_STRING) {
    len = (uint32_t)rift_cur_u16(cur) * 2;
  }
  else if(t == BXT_ANSI || t == BXT_BINARY) {
    len = rift_cur_u16(cur);
  }
  else {
    len = fixed_size(t);
    if(!len)
      return FAIL(k->c, cur->off, "unsupported value type in value token");
  }
  k->v[ni].vtype = t;
  k->v[ni].len = len;
  k->v[ni].data = rift_cur_take(cur, len);
  if(cur->err)
    return FAIL(k->c, cur->off, "truncated value");
  return RIFT_OK;
}

static rift_err comp_content(struct comp *k, int depth, int in_elem,
                             uint32_t *first, uint8_t *allsubst);

/* Link node ni after *last (or as *first). */
static void link(struct comp *k, uint32_t *first, uint32_t *last, uint32_t ni)
{
  if(*last)
    k->v[*last].next = ni;
  else
    *first = ni;
  *last = ni;
}

/* A leaf token (value-ish) at the cursor whose byte t is consumed. */
static rift_err comp_leaf(struct comp *k, uint8_t t, uint32_t *ni_out)
{
  struct rift_cur *cur = &k->cur;
  uint32_t ni;
  rift_err rc;
  switch(t) {
  case 0x05: case 0x45:
    ni = cnode(k, BX_VALUE);
    if(!ni)
      return k->err;
    rc = comp_value(k, ni);
    if(rc)
      return rc;
    break;
  case 0x0d: case 0x0e:
    ni = cnode(k, BX_SUBST);
    if(!ni)
      return k->err;
    k->v[ni].index = rift_cur_u16(cur);
    k->v[ni].vtype = rift_cur_u8(cur);
    k->v[ni].optional = t == 0x0e;
    break;
  case 0x07: case 0x47:
    ni = cnode(k, BX_CDATA);
    if(!ni)
      return k->err;
    k->v[ni].vtype = BXT_STRING;
    k->v[ni].len = (uint32_t)rift_cur_u16(cur) * 2;
    k->v[ni].data = rift_cur_take(cur, k->v[ni].len);
    break;
  case 0x08: case 0x48:
    ni = cnode(k, BX_CHARREF);
    if(!ni)
      return k->err;
    k->v[ni].index = rift_cur_u16(cur);
    break;
  case 0x09: case 0x49: {
    const struct bx_name *nm;
    ni = cnode(k, BX_ENTREF);
    if(!ni)
      return k->err;
    rc = read_name(k->c, cur, &nm);
    if(rc)
      return rc;
    k->v[ni].name = nm;
    break;
  }
  default:
    return FAIL(k->c, cur->off - 1, "unexpected token");
  }
  if(cur->err)
    return FAIL(k->c, cur->off, "truncated token");
  *ni_out = ni;
  return RIFT_OK;
}

static int is_leaf_token(uint8_t t)
{
  switch(t) {
  case 0x05: case 0x45: case 0x0d: case 0x0e: case 0x07: case 0x47:
  case 0x08: case 0x48: case 0x09: case 0x49:
    return 1;
  default:
    return 0;
  }
}

/* OpenStartElement; the token byte t is consumed. */
static rift_err comp_element(struct comp *k, uint8_t t, int depth,
                             uint32_t *out)
{
  struct rift_cur *cur = &k->cur;
  const struct bx_name *nm;
  uint32_t ei, alast = 0;
  rift_err rc;
  if(depth > BX_MAX_DEPTH)
    return RIFT_LIMIT;
  if(k->dep)
    rift_cur_skip(cur, 2);
  rift_cur_skip(cur, 4); /* data size */
  rc = read_name(k->c, cur, &nm);
  if(rc)
    return rc;
  if(t & 0x40)
    rift_cur_skip(cur, 4); /* attribute list size */
  ei = cnode(k, BX_ELEM);
  if(!ei)
    return k->err;
  k->v[ei].name = nm;
  /* attributes */
  while(!cur->err && rift_cur_left(cur) &&
        (cur->p[cur->off] == 0x06 || cur->p[cur->off] == 0x46)) {
    uint32_t ai, first = 0, last = 0, nsub = 0, nother = 0;
    rift_cur_skip(cur, 1);
    rc = read_name(k->c, cur, &nm);
    if(rc)
      return rc;
    ai = cnode(k, BX_ATTR);
    if(!ai)
      return k->err;
    k->v[ai].name = nm;
    while(rift_cur_left(cur) && is_leaf_token(cur->p[cur->off])) {
      uint32_t li;
      uint8_t lt = rift_cur_u8(cur);
      rc = comp_leaf(k, lt, &li);
      if(rc)
        return rc;
      if(k->v[li].kind == BX_SUBST)
        nsub++;
      else
        nother++;
      link(k, &first, &last, li);
    }
    k->v[ai].child = first;
    /* an attribute made only of substitutions that all turn out null is
     * left out (both evtxexport and evtx_dump drop it) */
    k->v[ai].allsubst = nsub && !nother;
    if(nm->known == BXN_NAME && first && !k->v[first].next &&
       k->v[first].kind == BX_VALUE && k->v[first].vtype == BXT_STRING) {
      /* <Data Name="literal">: the JSON key, converted once per chunk */
      k->v[first].name = make_name(k->c, k->v[first].data, k->v[first].len / 2);
      if(!k->v[first].name)
        return RIFT_NOMEM;
    }
    if(alast)
      k->v[alast].next = ai;
    else
      k->v[ei].attr = ai;
    alast = ai;
  }
  t = rift_cur_u8(cur);
  if(cur->err)
    return FAIL(k->c, cur->off, "truncated element");
  if(t == 0x02) {
    uint32_t first = 0;
    uint8_t allsubst = 0;
    rc = comp_content(k, depth + 1, 1, &first, &allsubst);
    if(rc)
      return rc;
    k->v[ei].child = first;
    k->v[ei].allsubst = allsubst;
  }
  else if(t != 0x03) {
    return FAIL(k->c, cur->off - 1, "element without close token");
  }
  *out = ei;
  return RIFT_OK;
}

/* Content until EndElement (in_elem) or EndOfStream / end of range. */
static rift_err comp_content(struct comp *k, int depth, int in_elem,
                             uint32_t *first, uint8_t *allsubst)
{
  struct rift_cur *cur = &k->cur;
  uint32_t last = 0, ni, nsub = 0, nopt = 0, nother = 0;
  rift_err rc;
  *first = 0;
  for(;;) {
    uint8_t t;
    if(!rift_cur_left(cur)) {
      if(in_elem)
        return FAIL(k->c, cur->off, "unterminated element");
      break;
    }
    t = rift_cur_u8(cur);
    if(t == 0x00) {
      if(in_elem)
        return FAIL(k->c, cur->off - 1, "end of stream inside element");
      break;
    }
    if(t == 0x04) {
      if(!in_elem)
        return FAIL(k->c, cur->off - 1, "end element at top level");
      break;
    }
    switch(t) {
    case 0x01: case 0x41:
      rc = comp_element(k, t, depth, &ni);
      if(rc)
        return rc;
      nother++;
      break;
    case 0x0a: {
      const struct bx_name *nm;
      ni = cnode(k, BX_PI);
      if(!ni)
        return k->err;
      rc = read_name(k->c, cur, &nm);
      if(rc)
        return rc;
      k->v[ni].name = nm;
      if(rift_cur_left(cur) && cur->p[cur->off] == 0x0b) {
        rift_cur_skip(cur, 1);
        k->v[ni].vtype = BXT_STRING;
        k->v[ni].len = (uint32_t)rift_cur_u16(cur) * 2;
        k->v[ni].data = rift_cur_take(cur, k->v[ni].len);
      }
      nother++;
      break;
    }
    case 0x0b: /* PI data without a target: keep as text */
      ni = cnode(k, BX_CDATA);
      if(!ni)
        return k->err;
      k->v[ni].vtype = BXT_STRING;
      k->v[ni].len = (uint32_t)rift_cur_u16(cur) * 2;
      k->v[ni].data = rift_cur_take(cur, k->v[ni].len);
      nother++;
      break;
    case 0x0f:
      rift_cur_skip(cur, 3);
      continue;
    default:
      rc = comp_leaf(k, t, &ni);
      if(rc)
        return rc;
      if(k->v[ni].kind == BX_SUBST) {
        nsub++;
        nopt += k->v[ni].optional;
      }
      else {
        nother++;
      }
    }
    if(cur->err)
      return FAIL(k->c, cur->off, "truncated content");
    link(k, first, &last, ni);
  }
  if(allsubst)
    *allsubst = nsub && nopt && !nother;
  return RIFT_OK;
}

/* Compile [start, end) of the chunk into a template (nodes in arena a). */
static rift_err compile(struct bx_chunk *c, struct rift_arena *a, size_t start,
                        size_t end, int dep, struct bx_template *t)
{
  struct comp k;
  rift_err rc;
  memset(&k, 0, sizeof(k));
  k.c = c;
  k.dep = dep;
  /* the node vector is kept from one compile to the next: no malloc and
   * free per template and per nested BinXML value (with two threads
   * malloc's arena trimming made them cost page faults) */
  k.v = c->cnodes;
  k.cap = c->cnodes_cap;
  rift_cur_init(&k.cur, c->p, end);
  rift_cur_seek(&k.cur, start);
  cnode(&k, 0); /* index 0: none */
  rc = k.err ? k.err : comp_content(&k, 0, 0, &t->root, NULL);
  if(!rc) {
    t->nodes = rift_arena_alloc(a, k.n * sizeof(*k.v));
    if(!t->nodes)
      rc = a->err;
    else
      memcpy(t->nodes, k.v, k.n * sizeof(*k.v));
    t->n = k.n;
  }
  c->cnodes = k.v;
  c->cnodes_cap = k.cap;
  return rc;
}

static rift_err get_template(struct bx_chunk *c, uint32_t def_off,
                             const struct bx_template **out)
{
  struct bx_template *t;
  struct rift_cur cur;
  uint32_t s, size;
  size_t start, end;
  rift_err rc;
  for(s = slot_of(def_off, c->tpls_cap); c->tpls[s];
      s = (s + 1) & (c->tpls_cap - 1)) {
    if(c->tpls[s]->def_off == def_off) {
      *out = c->tpls[s];
      return c->tpls[s]->err;
    }
  }
  if(c->ntpls >= BX_MAX_TEMPLATES)
    return RIFT_LIMIT;
  t = rift_arena_alloc(&c->arena, sizeof(*t));
  if(!t)
    return c->arena.err;
  memset(t, 0, sizeof(*t));
  t->def_off = def_off;
  rift_cur_init(&cur, c->p, c->len);
  rift_cur_seek(&cur, def_off);
  rift_cur_skip(&cur, 20); /* next offset, GUID */
  size = rift_cur_u32(&cur);
  if(cur.err) {
    t->err = FAIL(c, def_off, "template definition out of chunk");
  }
  else {
    start = cur.off;
    end = size > c->len - start ? c->len : start + size;
    t->err = compile(c, &c->arena, start, end, 1, t);
    if(t->err == RIFT_NOMEM || t->err == RIFT_LIMIT)
      return t->err; /* not cached: resource trouble, not input */
  }
  rc = table_put((void ***)&c->tpls, &c->tpls_cap, &c->ntpls, t, tpl_key);
  if(rc)
    return rc;
  *out = t;
  return t->err;
}

/* ---- instantiating records -------------------------------------------- */

struct inst {
  struct bx_chunk *c;
  struct bx_doc *d;
  uint8_t cur_inst;   /* provenance id of the instance being copied */
  uint8_t next_inst;  /* id the next template instance takes */
};

static uint32_t dnode_grow(struct inst *in)
{
  struct bx_chunk *c = in->c;
  struct bx_doc *d = in->d;
  uint32_t ncap = c->nodes_cap ? c->nodes_cap * 2 : 1024;
  struct bx_node *nv;
  if(ncap > BX_MAX_NODES)
    return 0;
  nv = realloc(c->nodes, ncap * sizeof(*nv));
  if(!nv)
    return 0;
  c->nodes = d->nodes = nv;
  c->nodes_cap = d->cap = ncap;
  return 1;
}

/* A new value node, written in place (building it on the stack and
 * copying costs a store-forwarding stall per node). */
static inline uint32_t dvalue(struct inst *in, uint8_t vtype,
                              const uint8_t *data, uint32_t len)
{
  struct bx_doc *d = in->d;
  struct bx_node *n;
  if(d->n == d->cap && !dnode_grow(in))
    return 0;
  n = &d->nodes[d->n];
  memset(n, 0, sizeof(*n));
  n->kind = BX_VALUE;
  n->vtype = vtype;
  n->data = data;
  n->len = len;
  return d->n++;
}

static inline uint32_t dnode(struct inst *in, const struct bx_node *proto)
{
  struct bx_doc *d = in->d;
  struct bx_node *n;
  if(d->n == d->cap && !dnode_grow(in))
    return 0;
  n = &d->nodes[d->n];
  *n = *proto;
  n->next = n->attr = n->child = 0;
  n->elided = 0;
  n->inst = 0;
  return d->n++;
}

static rift_err fragment(struct inst *in, size_t off, size_t len, int nest,
                         uint32_t *first, uint32_t *last);

static void dlink(struct bx_doc *d, uint32_t *first, uint32_t *last,
                  uint32_t ni)
{
  if(*last)
    d->nodes[*last].next = ni;
  else
    *first = ni;
  *last = ni;
}

static rift_err copy_list(struct inst *in, const struct bx_template *t,
                          uint32_t ti, const struct bx_val *vals,
                          uint32_t nvals, int nest, uint32_t *first,
                          uint32_t *last);

/* One copy of element tn per item of array value av. */
static rift_err expand_array(struct inst *in, const struct bx_template *t,
                             const struct bx_node *tn, const struct bx_val *av,
                             const struct bx_val *vals, uint32_t nvals,
                             int nest, uint32_t *first, uint32_t *last)
{
  struct bx_doc *d = in->d;
  const uint8_t *p = in->c->p + av->off;
  uint8_t base = av->type & 0x7f;
  uint32_t off = 0, item = fixed_size(base), count = 0;
  rift_err rc;
  if(base != BXT_STRING && !item)
    item = av->len ? av->len : 1; /* unsplittable: one item of all bytes */
  while(off < av->len && count < BX_MAX_ARRAY) {
    uint32_t ni, vi, ai, afirst = 0, alast = 0, ilen;
    if(base == BXT_STRING) {
      ilen = (uint32_t)rift_utf16le_strnlen(p + off, (av->len - off) / 2) * 2;
      if(off + ilen > av->len)
        break;
    }
    else {
      if(av->len - off < item)
        break;
      ilen = item;
    }
    ni = dnode(in, tn);
    if(!ni)
      return RIFT_LIMIT;
    for(ai = tn->attr; ai; ai = t->nodes[ai].next) {
      uint32_t na, cf, cl;
      rc = copy_list(in, t, t->nodes[ai].child, vals, nvals, nest, &cf, &cl);
      if(rc)
        return rc;
      if(!cf && t->nodes[ai].allsubst)
        continue;
      na = dnode(in, &t->nodes[ai]);
      if(!na)
        return RIFT_LIMIT;
      d->nodes[na].child = cf;
      dlink(d, &afirst, &alast, na);
    }
    d->nodes[ni].attr = afirst;
    if(ilen || base == BXT_STRING) {
      vi = dvalue(in, base, p + off, ilen);
      if(!vi)
        return RIFT_LIMIT;
      d->nodes[vi].inst = 255; /* array items: never in a program */
      d->nodes[ni].child = vi;
    }
    dlink(d, first, last, ni);
    off += ilen + (base == BXT_STRING ? 2 : 0);
    count++;
  }
  return RIFT_OK;
}

/* Copy the template sibling list starting at ti, substituting values. */
static rift_err copy_list(struct inst *in, const struct bx_template *t,
                          uint32_t ti, const struct bx_val *vals,
                          uint32_t nvals, int nest, uint32_t *first,
                          uint32_t *last)
{
  struct bx_doc *d = in->d;
  rift_err rc;
  *first = *last = 0;
  for(; ti; ti = t->nodes[ti].next) {
    const struct bx_node *tn = &t->nodes[ti];
    uint32_t ni;
    if(ti >= t->n)
      return RIFT_CORRUPT;
    if(tn->kind == BX_SUBST) {
      const struct bx_val *v;
      if(tn->index >= nvals)
        continue; /* missing value: renders as nothing */
      v = &vals[tn->index];
      if(v->type == BXT_NULL)
        continue;
      if(v->type == BXT_BINXML) {
        uint32_t f, l, k, rank = 0;
        uint8_t saved = in->cur_inst;
        for(k = 0; k < tn->index; k++)
          rank += vals[k].type == BXT_BINXML;
        in->next_inst = saved == 1 && rank < BX_FAST_INST - 2 ? (uint8_t)(2 + rank)
                                                              : 255;
        rc = fragment(in, v->off, v->len, nest + 1, &f, &l);
        in->cur_inst = saved;
        if(rc)
          return rc;
        if(f) {
          dlink(d, first, last, f);
          *last = l;
        }
        continue;
      }
      ni = dvalue(in, v->type, in->c->p + v->off, v->len);
      if(!ni)
        return RIFT_LIMIT;
      d->nodes[ni].inst = in->cur_inst;
      d->nodes[ni].index = tn->index;
      dlink(d, first, last, ni);
      continue;
    }
    if(tn->kind == BX_ELEM && tn->child && !t->nodes[tn->child].next &&
       t->nodes[tn->child].kind == BX_SUBST &&
       t->nodes[tn->child].index < nvals &&
       (vals[t->nodes[tn->child].index].type & BXT_ARRAY)) {
      /* <Data>{array}</Data> renders as one element per item */
      rc = expand_array(in, t, tn, &vals[t->nodes[tn->child].index], vals,
                        nvals, nest, first, last);
      if(rc)
        return rc;
      continue;
    }
    ni = dnode(in, tn);
    if(!ni)
      return RIFT_LIMIT;
    if(tn->kind == BX_ELEM) {
      uint32_t ai, afirst = 0, alast = 0, cf, cl;
      for(ai = tn->attr; ai; ai = t->nodes[ai].next) {
        uint32_t na;
        if(ai >= t->n)
          return RIFT_CORRUPT;
        rc = copy_list(in, t, t->nodes[ai].child, vals, nvals, nest, &cf, &cl);
        if(rc)
          return rc;
        if(!cf && t->nodes[ai].allsubst)
          continue; /* null substitution: attribute left out */
        na = dnode(in, &t->nodes[ai]);
        if(!na)
          return RIFT_LIMIT;
        d->nodes[na].child = cf;
        dlink(d, &afirst, &alast, na);
      }
      rc = copy_list(in, t, tn->child, vals, nvals, nest, &cf, &cl);
      if(rc)
        return rc;
      if(!cf && tn->allsubst && !afirst)
        d->nodes[ni].elided = 1; /* optional content absent */
      d->nodes[ni].attr = afirst;
      d->nodes[ni].child = cf;
    }
    else if(tn->kind == BX_ATTR || tn->kind == BX_PI) {
      uint32_t cf, cl;
      rc = copy_list(in, t, tn->child, vals, nvals, nest, &cf, &cl);
      if(rc)
        return rc;
      d->nodes[ni].child = cf;
    }
    dlink(d, first, last, ni);
  }
  return RIFT_OK;
}

/* TemplateInstance at the cursor (token byte consumed). */
static rift_err template_instance(struct inst *in, struct rift_cur *cur,
                                  int nest, uint32_t *first, uint32_t *last)
{
  struct bx_chunk *c = in->c;
  const struct bx_template *t = NULL;
  struct bx_val *vals = NULL;
  uint32_t def_off, nvals, i;
  size_t desc;
  rift_err rc;

  rift_cur_skip(cur, 5); /* unknown u8, template id */
  def_off = rift_cur_u32(cur);
  if(cur->err)
    return FAIL(c, cur->off, "truncated template instance");
  if(def_off == cur->off) {
    uint32_t size;
    rift_cur_skip(cur, 20);
    size = rift_cur_u32(cur);
    rift_cur_skip(cur, size);
    if(cur->err)
      return FAIL(c, def_off, "truncated inline template definition");
  }
  else if(def_off >= c->len) {
    return FAIL(c, cur->off - 4, "template offset out of chunk");
  }
  nvals = rift_cur_u32(cur);
  if(cur->err)
    return FAIL(c, cur->off, "truncated value count");
  if(nvals > BX_MAX_VALUES || (size_t)nvals * 4 > rift_cur_left(cur))
    return FAIL(c, cur->off - 4, "implausible substitution count");
  if(nvals) {
    vals = rift_arena_alloc(&c->rec, nvals * sizeof(*vals));
    if(!vals)
      return c->rec.err;
  }
  desc = cur->off;
  rift_cur_skip(cur, (size_t)nvals * 4);
  for(i = 0; i < nvals; i++) {
    const uint8_t *dp = c->p + desc + (size_t)i * 4;
    vals[i].len = rift_le16(dp);
    vals[i].type = dp[2];
    vals[i].off = (uint32_t)cur->off;
    rift_cur_skip(cur, vals[i].len);
  }
  if(cur->err)
    return FAIL(c, cur->off, "substitution values past the record");
  rc = get_template(c, def_off, &t);
  if(rc)
    return rc;
  in->cur_inst = in->next_inst;
  in->next_inst = 255;
  return copy_list(in, t, t->root, vals, nvals, nest, first, last);
}

/* A BinXML fragment at [off, off+len) of the chunk. */
static rift_err fragment(struct inst *in, size_t off, size_t len, int nest,
                         uint32_t *first, uint32_t *last)
{
  struct bx_chunk *c = in->c;
  struct rift_cur cur;
  rift_err rc;
  *first = *last = 0;
  if(nest > BX_MAX_NEST)
    return RIFT_LIMIT;
  if(off > c->len || len > c->len - off)
    return FAIL(c, off, "fragment out of chunk");
  rift_cur_init(&cur, c->p, off + len);
  rift_cur_seek(&cur, off);
  while(rift_cur_left(&cur)) {
    uint8_t t = cur.p[cur.off];
    uint32_t f, l;
    if(t == 0x00)
      break;
    if(t == 0x0f) {
      rift_cur_skip(&cur, 4);
      continue;
    }
    if(t == 0x0c) {
      rift_cur_skip(&cur, 1);
      rc = template_instance(in, &cur, nest, &f, &l);
      if(rc)
        return rc;
    }
    else {
      /* elements without a template: compile in place, no values */
      struct bx_template tmp;
      memset(&tmp, 0, sizeof(tmp));
      rc = compile(c, &c->rec, cur.off, off + len, 0, &tmp);
      if(rc)
        return rc;
      rc = copy_list(in, &tmp, tmp.root, NULL, 0, nest, &f, &l);
      if(rc)
        return rc;
      cur.off = off + len; /* compile consumed the rest */
    }
    if(f) {
      dlink(in->d, first, last, f);
      *last = l;
    }
  }
  if(cur.err)
    return FAIL(c, cur.off, "truncated fragment");
  return RIFT_OK;
}

rift_err bx_parse_record(struct bx_chunk *c, uint32_t off, uint32_t len,
                         struct bx_doc *doc)
{
  struct inst in;
  uint32_t first, last;
  rift_err rc;
  rift_arena_clear(&c->rec);
  in.c = c;
  in.d = doc;
  in.cur_inst = 0;
  in.next_inst = 1;
  doc->nodes = c->nodes;
  doc->cap = c->nodes_cap;
  if(!doc->cap && !dnode_grow(&in))
    return RIFT_NOMEM;
  memset(&doc->nodes[0], 0, sizeof(doc->nodes[0]));
  doc->n = 1;
  c->fail_why = NULL;
  rc = fragment(&in, off, len, 0, &first, &last);
  if(rc == RIFT_LIMIT && !c->fail_why) {
    c->fail_off = off;
    c->fail_why = "record exceeds a parser limit";
  }
  doc->root = first;
  return rc;
}

/* ---- values ------------------------------------------------------------ */

static rift_err add_guid(struct rift_buf *b, const uint8_t *p, int braces)
{
  static const char hx[] = "0123456789ABCDEF";
  char s[40];
  size_t o = 0;
  int i;
  uint32_t d1 = rift_le32(p);
  uint16_t d2 = rift_le16(p + 4), d3 = rift_le16(p + 6);
  if(braces)
    s[o++] = '{';
  for(i = 28; i >= 0; i -= 4)
    s[o++] = hx[d1 >> i & 15];
  s[o++] = '-';
  for(i = 12; i >= 0; i -= 4)
    s[o++] = hx[d2 >> i & 15];
  s[o++] = '-';
  for(i = 12; i >= 0; i -= 4)
    s[o++] = hx[d3 >> i & 15];
  s[o++] = '-';
  for(i = 8; i < 16; i++) {
    if(i == 10)
      s[o++] = '-';
    s[o++] = hx[p[i] >> 4];
    s[o++] = hx[p[i] & 15];
  }
  if(braces)
    s[o++] = '}';
  return rift_buf_add(b, s, o);
}

static rift_err add_sid(struct rift_buf *b, const uint8_t *p, uint32_t len)
{
  uint64_t auth = 0;
  uint8_t n, i;
  if(len < 8)
    return rift_buf_adds(b, "S-?");
  n = p[1];
  for(i = 2; i < 8; i++)
    auth = auth << 8 | p[i];
  rift_buf_adds(b, "S-");
  rift_buf_add_u64(b, p[0]);
  rift_buf_addch(b, '-');
  rift_buf_add_u64(b, auth);
  for(i = 0; i < n && 8 + 4 * (uint32_t)i + 4 <= len; i++) {
    rift_buf_addch(b, '-');
    rift_buf_add_u64(b, rift_le32(p + 8 + 4 * i));
  }
  return b->err;
}

static rift_err add_hexbytes(struct rift_buf *b, const uint8_t *p, uint32_t len)
{
  static const char hx[] = "0123456789ABCDEF";
  char *d = rift_buf_reserve(b, (size_t)len * 2);
  uint32_t i;
  if(!d)
    return b->err;
  for(i = 0; i < len; i++) {
    d[2 * i] = hx[p[i] >> 4];
    d[2 * i + 1] = hx[p[i] & 15];
  }
  rift_buf_commit(b, (size_t)len * 2);
  return RIFT_OK;
}

static rift_err add_ansi(struct rift_buf *b, const uint8_t *p, uint32_t len,
                         enum bx_fmt f)
{
  /* Windows-1252 approximated as Latin-1; NUL ends the string.  Runs of
   * plain ASCII are copied as they are; the rest goes through the
   * escaping of the output format one character at a time. */
  uint32_t i = 0, start = 0;
  while(i < len && p[i]) {
    uint8_t c = p[i];
    char u[4];
    size_t n;
    if(c >= 0x20 && c < 0x80 &&
       !(f == BXF_JSON && (c == '"' || c == '\\')) &&
       !(f == BXF_XML && (c == '&' || c == '<' || c == '>' || c == '"' ||
                          c == '\''))) {
      i++;
      continue;
    }
    if(i > start)
      rift_buf_add(b, p + start, i - start);
    n = rift_utf8_put(u, c);
    if(f == BXF_JSON)
      rift_buf_add_json(b, u, n);
    else if(f == BXF_XML)
      rift_buf_add_xml(b, u, n);
    else
      rift_buf_add(b, u, n);
    start = ++i;
  }
  if(i > start)
    rift_buf_add(b, p + start, i - start);
  return b->err;
}

static int is_quoted(uint8_t t)
{
  switch(t) {
  case BXT_I8: case BXT_U8: case BXT_I16: case BXT_U16: case BXT_I32:
  case BXT_U32: case BXT_I64: case BXT_U64: case BXT_F32: case BXT_F64:
  case BXT_BOOL: case BXT_NULL:
    return 0;
  default:
    return 1;
  }
}

static rift_err add_float(struct rift_buf *b, double v, int single,
                          enum bx_fmt f)
{
  char tmp[40];
  int n;
  if(!isfinite(v)) {
    if(f == BXF_JSON)
      return rift_buf_adds(b, "null");
    return rift_buf_adds(b, isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
  }
  n = snprintf(tmp, sizeof(tmp), single ? "%.9g" : "%.17g", v);
  return rift_buf_add(b, tmp, (size_t)n);
}

/* One scalar (not array) value. */
static rift_err scalar(struct rift_buf *b, uint8_t t, const uint8_t *p,
                       uint32_t len, enum bx_fmt f)
{
  char tmp[RIFT_TIME_FMT_MAX];
  size_t n;
  uint32_t need = fixed_size(t);
  if(need && len < need) {
    /* short fixed-size value: show the bytes rather than guess */
    return add_hexbytes(b, p, len);
  }
  switch(t) {
  case BXT_NULL:
    return RIFT_OK;
  case BXT_STRING:
    if(f == BXF_JSON)
      return rift_utf16le_add_json_z(b, p, len / 2, 1);
    n = rift_utf16le_strnlen(p, len / 2);
    if(f == BXF_XML)
      return rift_utf16le_add_xml(b, p, n);
    return rift_utf16le_add(b, p, n);
  case BXT_ANSI:
    return add_ansi(b, p, len, f);
  case BXT_I8: return rift_buf_add_i64(b, (int8_t)p[0]);
  case BXT_U8: return rift_buf_add_u64(b, p[0]);
  case BXT_I16: return rift_buf_add_i64(b, (int16_t)rift_le16(p));
  case BXT_U16: return rift_buf_add_u64(b, rift_le16(p));
  case BXT_I32: return rift_buf_add_i64(b, (int32_t)rift_le32(p));
  case BXT_U32: return rift_buf_add_u64(b, rift_le32(p));
  case BXT_I64: return rift_buf_add_i64(b, (int64_t)rift_le64(p));
  case BXT_U64: return rift_buf_add_u64(b, rift_le64(p));
  case BXT_F32: {
    float v;
    uint32_t u = rift_le32(p);
    memcpy(&v, &u, 4);
    return add_float(b, v, 1, f);
  }
  case BXT_F64: {
    double v;
    uint64_t u = rift_le64(p);
    memcpy(&v, &u, 8);
    return add_float(b, v, 0, f);
  }
  case BXT_BOOL:
    return rift_buf_adds(b, rift_le32(p) ? "true" : "false");
  case BXT_BINARY:
    return add_hexbytes(b, p, len);
  case BXT_GUID:
    return add_guid(b, p, f != BXF_JSON);
  case BXT_SIZET:
    if(len == 4)
      return rift_buf_add_hex(b, rift_le32(p), f == BXF_XML ? 8 : 0, 0);
    if(len == 8)
      return rift_buf_add_hex(b, rift_le64(p), f == BXF_XML ? 16 : 0, 0);
    return add_hexbytes(b, p, len);
  case BXT_FILETIME:
    n = rift_time_fmt_filetime(tmp, rift_le64(p), f == BXF_XML ? 9 : 7);
    return rift_buf_add(b, tmp, n);
  case BXT_SYSTEMTIME: {
    int64_t ns = rift_systemtime_to_ns(rift_le16(p), rift_le16(p + 2),
                                       rift_le16(p + 6), rift_le16(p + 8),
                                       rift_le16(p + 10), rift_le16(p + 12),
                                       rift_le16(p + 14));
    if(ns == RIFT_TIME_NONE)
      return add_hexbytes(b, p, len);
    n = rift_time_fmt(tmp, ns, f == BXF_XML ? 9 : 3);
    return rift_buf_add(b, tmp, n);
  }
  case BXT_SID:
    return add_sid(b, p, len);
  case BXT_HEX32:
    return rift_buf_add_hex(b, rift_le32(p), f == BXF_XML ? 8 : 0, 0);
  case BXT_HEX64:
    return rift_buf_add_hex(b, rift_le64(p), f == BXF_XML ? 16 : 0, 0);
  case BXT_EVTHANDLE:
    if(len == 4)
      return rift_buf_add_u64(b, rift_le32(p));
    if(len == 8)
      return rift_buf_add_u64(b, rift_le64(p));
    return add_hexbytes(b, p, len);
  case BXT_EVTXML:
    n = rift_utf16le_strnlen(p, len / 2);
    if(f == BXF_JSON)
      return rift_utf16le_add_json(b, p, n);
    if(f == BXF_XML)
      return rift_utf16le_add_xml(b, p, n);
    return rift_utf16le_add(b, p, n);
  default:
    return add_hexbytes(b, p, len);
  }
}

static rift_err json_scalar(struct rift_buf *b, uint8_t t, const uint8_t *p,
                            uint32_t len)
{
  int q;
  uint32_t need = fixed_size(t);
  if(t == BXT_NULL)
    return rift_buf_add(b, "null", 4);
  q = is_quoted(t) || (need && len < need);
  if(q)
    rift_buf_addch(b, '"');
  scalar(b, t, p, len, BXF_JSON);
  if(q)
    rift_buf_addch(b, '"');
  return b->err;
}

rift_err bx_value_fmt(struct rift_buf *b, uint8_t type, const uint8_t *p,
                      uint32_t len, enum bx_fmt f)
{
  uint8_t base = type & 0x7f;
  uint32_t item, off = 0, count = 0;
  if(!(type & BXT_ARRAY)) {
    if(f == BXF_JSON)
      return json_scalar(b, type, p, len);
    return scalar(b, type, p, len, f);
  }
  /* arrays: JSON array, or items joined by ", " as text */
  if(f == BXF_JSON)
    rift_buf_addch(b, '[');
  if(base == BXT_STRING) {
    while(off + 2 <= len && count < BX_MAX_ARRAY) {
      uint32_t units = (uint32_t)rift_utf16le_strnlen(p + off, (len - off) / 2);
      if(count)
        rift_buf_add(b, f == BXF_JSON ? "," : ", ", f == BXF_JSON ? 1 : 2);
      if(f == BXF_JSON)
        json_scalar(b, BXT_STRING, p + off, units * 2);
      else
        scalar(b, BXT_STRING, p + off, units * 2, f);
      off += units * 2 + 2;
      count++;
    }
  }
  else {
    item = fixed_size(base);
    if(base == BXT_SID || !item) {
      /* variable-size items cannot be split: render as bytes */
      if(f == BXF_JSON)
        rift_buf_addch(b, '"');
      add_hexbytes(b, p, len);
      if(f == BXF_JSON)
        rift_buf_addch(b, '"');
    }
    else {
      for(off = 0; off + item <= len && count < BX_MAX_ARRAY; off += item) {
        if(count)
          rift_buf_add(b, f == BXF_JSON ? "," : ", ", f == BXF_JSON ? 1 : 2);
        if(f == BXF_JSON)
          json_scalar(b, base, p + off, item);
        else
          scalar(b, base, p + off, item, f);
        count++;
      }
    }
  }
  if(f == BXF_JSON)
    rift_buf_addch(b, ']');
  return b->err;
}

/* ---- rendering trees --------------------------------------------------- */

static int is_text(const struct bx_node *n)
{
  return n->kind == BX_VALUE || n->kind == BX_CDATA ||
         n->kind == BX_CHARREF || n->kind == BX_ENTREF;
}

static const char *entity_text(const struct bx_name *nm)
{
  static const struct { const char *n, *t; } ents[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
    { "apos", "'" },
  };
  size_t i;
  for(i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
    if(nm && nm->len == strlen(ents[i].n) && !memcmp(nm->s, ents[i].n, nm->len))
      return ents[i].t;
  }
  return NULL;
}

/* Recording a render program (see binxml-int.h). */
enum { OP_JSON = 1, OP_JSTR, OP_XML };

struct bx_prog_op {
  uint32_t lit_off, lit_len; /* literal bytes before the value */
  uint8_t kind;              /* OP_* */
  uint8_t inst;
  uint16_t idx;
};

#define BX_PROG_MAX_OPS 1024
#define BX_MAX_PROGS 1024

struct rec {
  size_t base;   /* b->len where the record starts */
  size_t last;   /* end of the previous value */
  uint32_t n;
  int bad;
  struct bx_prog_op ops[BX_PROG_MAX_OPS];
};

/* A value node was just formatted into [start, end) of the output. */
static void rec_op(struct rec *r, size_t start, size_t end,
                   const struct bx_node *n, uint8_t kind)
{
  struct bx_prog_op *op;
  if(!r || !n->inst)
    return;
  if(n->inst == 255 || n->inst >= BX_FAST_INST || r->n == BX_PROG_MAX_OPS) {
    r->bad = 1;
    return;
  }
  op = &r->ops[r->n++];
  op->lit_off = (uint32_t)(r->last - r->base);
  op->lit_len = (uint32_t)(start - r->last);
  op->kind = kind;
  op->inst = n->inst;
  op->idx = n->index;
  r->last = end;
}

/* Append the text of one text node in format f (no JSON quotes). */
static rift_err text_node(struct rift_buf *b, const struct bx_node *n,
                          enum bx_fmt f, struct rec *rec)
{
  switch(n->kind) {
  case BX_VALUE: {
    size_t start = b->len;
    if(n->vtype & BXT_ARRAY) {
      if(rec && n->inst)
        rec->bad = 1;
      return bx_value_fmt(b, n->vtype, n->data, n->len,
                          f == BXF_JSON ? BXF_TEXT : f);
    }
    scalar(b, n->vtype, n->data, n->len, f);
    rec_op(rec, start, b->len, n, f == BXF_XML ? OP_XML : OP_JSTR);
    return b->err;
  }
  case BX_CDATA:
    return scalar(b, BXT_STRING, n->data, n->len, f);
  case BX_CHARREF: {
    char u[4];
    size_t k = rift_utf8_put(u, n->index);
    if(f == BXF_JSON)
      return rift_buf_add_json(b, u, k);
    if(f == BXF_XML) {
      rift_buf_adds(b, "&#");
      rift_buf_add_u64(b, n->index);
      return rift_buf_addch(b, ';');
    }
    return rift_buf_add(b, u, k);
  }
  case BX_ENTREF: {
    const char *t = entity_text(n->name);
    if(f == BXF_XML || !t) {
      rift_buf_addch(b, '&');
      if(n->name)
        rift_buf_add(b, n->name->xml, n->name->xlen);
      return rift_buf_addch(b, ';');
    }
    if(f == BXF_JSON)
      return rift_buf_add_json(b, t, strlen(t));
    return rift_buf_adds(b, t);
  }
  default:
    return RIFT_OK;
  }
}

/* One VALUE as a typed JSON value. */
static rift_err json_value(struct rift_buf *b, const struct bx_node *n,
                           struct rec *rec)
{
  size_t start = b->len;
  if(rec && n->inst && (n->vtype & BXT_ARRAY))
    rec->bad = 1;
  bx_value_fmt(b, n->vtype, n->data, n->len, BXF_JSON);
  rec_op(rec, start, b->len, n, OP_JSON);
  return b->err;
}

/* JSON value of a text list starting at i (siblings that are text). */
static rift_err json_text(struct rift_buf *b, const struct bx_doc *d,
                          uint32_t i, struct rec *rec)
{
  const struct bx_node *n = &d->nodes[i];
  uint32_t j, count = 0;
  if(n->kind == BX_VALUE && !n->next)
    return json_value(b, n, rec);
  for(j = i; j; j = d->nodes[j].next) {
    if(is_text(&d->nodes[j]))
      count++;
  }
  if(count == 1) {
    for(j = i; j && !is_text(&d->nodes[j]); j = d->nodes[j].next)
      ;
    n = &d->nodes[j];
    if(n->kind == BX_VALUE)
      return json_value(b, n, rec);
  }
  rift_buf_addch(b, '"');
  for(j = i; j; j = d->nodes[j].next) {
    if(is_text(&d->nodes[j]))
      text_node(b, &d->nodes[j], BXF_JSON, rec);
  }
  return rift_buf_addch(b, '"');
}

struct jctx {
  struct rift_buf *b;
  const struct bx_doc *d;
  int pretty;
  struct rec *rec;
};

static void nl(struct jctx *j, int depth)
{
  if(j->pretty) {
    char *p = rift_buf_reserve(j->b, (size_t)depth * 2 + 1);
    if(!p)
      return;
    p[0] = '\n';
    memset(p + 1, ' ', (size_t)depth * 2);
    rift_buf_commit(j->b, (size_t)depth * 2 + 1);
  }
}

static void key(struct jctx *j, const char *k, size_t klen, unsigned dup)
{
  struct rift_buf *b = j->b;
  rift_buf_addch(b, '"');
  rift_buf_add(b, k, klen);
  if(dup) {
    rift_buf_addch(b, '_');
    rift_buf_add_u64(b, dup);
  }
  rift_buf_add(b, j->pretty ? "\": " : "\":", j->pretty ? 3 : 2);
}

/* Keys already used in one object, to suffix duplicates "_1", "_2"... */
#define MAX_KEYS 256
struct keyset {
  uint64_t bloom;
  uint32_t n;
  uint64_t h[MAX_KEYS];
  uint32_t count[MAX_KEYS];
};

static unsigned keyset_add(struct keyset *ks, uint64_t h)
{
  uint64_t bit = 1ull << (h & 63);
  uint32_t i;
  if(ks->bloom & bit) {
    for(i = 0; i < ks->n; i++) {
      if(ks->h[i] == h)
        return ks->count[i]++;
    }
  }
  ks->bloom |= bit;
  if(ks->n < MAX_KEYS) {
    ks->h[ks->n] = h;
    ks->count[ks->n++] = 1;
  }
  return 0;
}

static rift_err json_elem(struct jctx *j, uint32_t ei, int depth);

/* The attribute named Name of a Data element, or 0. */
static uint32_t data_name_attr(const struct bx_doc *d, const struct bx_node *e)
{
  uint32_t a;
  for(a = e->attr; a; a = d->nodes[a].next) {
    if(d->nodes[a].name && d->nodes[a].name->known == BXN_NAME)
      return a;
  }
  return 0;
}

/* Object body of element e: "#attributes", children, "#text". */
static rift_err json_object(struct jctx *j, const struct bx_node *e,
                            int depth, int with_attrs)
{
  struct rift_buf *b = j->b;
  const struct bx_doc *d = j->d;
  struct keyset ks;
  uint32_t c, a, first_text = 0, nfields = 0;
  int unnamed_done = 0;
  ks.bloom = 0;
  ks.n = 0;
  rift_buf_addch(b, '{');
  if(with_attrs && e->attr) {
    nl(j, depth + 1);
    key(j, "#attributes", 11, 0);
    rift_buf_addch(b, '{');
    for(a = e->attr; a; a = d->nodes[a].next) {
      const struct bx_node *an = &d->nodes[a];
      if(a != e->attr)
        rift_buf_addch(b, ',');
      nl(j, depth + 2);
      key(j, an->name->json, an->name->jlen, 0);
      if(an->child)
        json_text(b, d, an->child, j->rec);
      else
        rift_buf_add(b, "null", 4);
    }
    nl(j, depth + 1);
    rift_buf_addch(b, '}');
    nfields++;
  }
  for(c = e->child; c; c = d->nodes[c].next) {
    const struct bx_node *cn = &d->nodes[c];
    if(is_text(cn)) {
      if(!first_text)
        first_text = c;
      continue;
    }
    if(cn->kind != BX_ELEM)
      continue;
    if(cn->name->known == BXN_DATA) {
      uint32_t na = data_name_attr(d, cn);
      if(na) {
        /* <Data Name="K">v</Data>  ->  "K": v */
        const struct bx_node *kv = bx_at(d, d->nodes[na].child);
        unsigned dup;
        if(nfields++)
          rift_buf_addch(b, ',');
        nl(j, depth + 1);
        rift_buf_addch(b, '"');
        if(kv && !kv->next && kv->kind == BX_VALUE && kv->name) {
          rift_buf_add(b, kv->name->json, kv->name->jlen);
          dup = keyset_add(&ks, kv->name->hash);
        }
        else {
          size_t start = b->len;
          uint32_t t;
          for(t = d->nodes[na].child; t; t = d->nodes[t].next) {
            if(j->rec && d->nodes[t].inst)
              j->rec->bad = 1; /* key from a value: shape not fixed */
            text_node(b, &d->nodes[t], BXF_JSON, NULL);
          }
          dup = keyset_add(&ks, rift_hash(b->buf + start, b->len - start));
        }
        if(dup) {
          rift_buf_addch(b, '_');
          rift_buf_add_u64(b, dup);
        }
        rift_buf_add(b, j->pretty ? "\": " : "\":", j->pretty ? 3 : 2);
        if(cn->child)
          json_text(b, d, cn->child, j->rec);
        else
          rift_buf_add(b, "null", 4);
        continue;
      }
      if(!unnamed_done) {
        /* unnamed <Data> siblings -> "Data": {"#text": v | [v...]} */
        uint32_t k, cnt = 0;
        unnamed_done = 1;
        for(k = c; k; k = d->nodes[k].next) {
          if(d->nodes[k].kind == BX_ELEM && d->nodes[k].name->known == BXN_DATA &&
             !data_name_attr(d, &d->nodes[k]))
            cnt++;
        }
        if(nfields++)
          rift_buf_addch(b, ',');
        nl(j, depth + 1);
        key(j, "Data", 4, keyset_add(&ks, rift_hash("Data", 4)));
        rift_buf_addch(b, '{');
        nl(j, depth + 2);
        key(j, "#text", 5, 0);
        if(cnt > 1)
          rift_buf_addch(b, '[');
        cnt = 0;
        for(k = c; k; k = d->nodes[k].next) {
          const struct bx_node *kn = &d->nodes[k];
          if(kn->kind != BX_ELEM || kn->name->known != BXN_DATA ||
             data_name_attr(d, kn))
            continue;
          if(cnt++)
            rift_buf_addch(b, ',');
          if(kn->child)
            json_text(b, d, kn->child, j->rec);
          else
            rift_buf_add(b, "\"\"", 2);
        }
        if(cnt > 1)
          rift_buf_addch(b, ']');
        nl(j, depth + 1);
        rift_buf_addch(b, '}');
      }
      continue;
    }
    if(nfields++)
      rift_buf_addch(b, ',');
    nl(j, depth + 1);
    key(j, cn->name->json, cn->name->jlen,
        keyset_add(&ks, cn->name->hash));
    json_elem(j, c, depth + 1);
  }
  if(first_text) {
    if(nfields++)
      rift_buf_addch(b, ',');
    nl(j, depth + 1);
    key(j, "#text", 5, 0);
    json_text(b, d, first_text, j->rec);
  }
  nl(j, depth);
  return rift_buf_addch(b, '}');
}

static rift_err json_elem(struct jctx *j, uint32_t ei, int depth)
{
  const struct bx_doc *d = j->d;
  const struct bx_node *e = &d->nodes[ei];
  uint32_t c;
  int has_elem = 0, has_text = 0;
  if(depth > BX_MAX_DEPTH * BX_MAX_NEST)
    return rift_buf_add(j->b, "null", 4);
  for(c = e->child; c; c = d->nodes[c].next) {
    if(d->nodes[c].kind == BX_ELEM)
      has_elem = 1;
    else if(is_text(&d->nodes[c]))
      has_text = 1;
  }
  if(!e->attr && !has_elem) {
    if(!has_text)
      return rift_buf_add(j->b, "null", 4);
    return json_text(j->b, d, e->child, j->rec);
  }
  return json_object(j, e, depth, 1);
}

static rift_err render_json(struct rift_buf *b, const struct bx_doc *d,
                            int pretty, struct rec *rec)
{
  struct jctx j = { b, d, pretty, rec };
  struct keyset ks;
  uint32_t r, n = 0;
  ks.bloom = 0;
  ks.n = 0;
  rift_buf_addch(b, '{');
  for(r = d->root; r; r = d->nodes[r].next) {
    const struct bx_node *e = &d->nodes[r];
    if(e->kind != BX_ELEM)
      continue;
    if(n++)
      rift_buf_addch(b, ',');
    nl(&j, 1);
    key(&j, e->name->json, e->name->jlen,
        keyset_add(&ks, e->name->hash));
    json_elem(&j, r, 1);
  }
  nl(&j, 0);
  return rift_buf_addch(b, '}');
}

static void indent(struct rift_buf *b, int depth)
{
  char *p = rift_buf_reserve(b, (size_t)depth * 2);
  if(!p)
    return;
  memset(p, ' ', (size_t)depth * 2);
  rift_buf_commit(b, (size_t)depth * 2);
}

static rift_err xml_node(struct rift_buf *b, const struct bx_doc *d,
                         uint32_t ni, int depth, struct rec *rec)
{
  const struct bx_node *e = &d->nodes[ni];
  uint32_t c, a;
  int has_elem = 0, has_text = 0;
  if(depth > BX_MAX_DEPTH * BX_MAX_NEST)
    return RIFT_LIMIT;
  if(e->elided)
    return RIFT_OK; /* as libevtx: absent optional content drops the element */
  if(e->kind == BX_PI) {
    indent(b, depth);
    rift_buf_add(b, "<?", 2);
    rift_buf_add(b, e->name->xml, e->name->xlen);
    if(e->len) {
      rift_buf_addch(b, ' ');
      scalar(b, BXT_STRING, e->data, e->len, BXF_TEXT);
    }
    return rift_buf_add(b, "?>\n", 3);
  }
  if(e->kind != BX_ELEM) {
    indent(b, depth);
    text_node(b, e, BXF_XML, rec);
    return rift_buf_addch(b, '\n');
  }
  for(c = e->child; c; c = d->nodes[c].next) {
    if(is_text(&d->nodes[c]))
      has_text = 1;
    else
      has_elem = 1;
  }
  indent(b, depth);
  rift_buf_addch(b, '<');
  rift_buf_add(b, e->name->xml, e->name->xlen);
  for(a = e->attr; a; a = d->nodes[a].next) {
    const struct bx_node *an = &d->nodes[a];
    rift_buf_addch(b, ' ');
    rift_buf_add(b, an->name->xml, an->name->xlen);
    rift_buf_add(b, "=\"", 2);
    for(c = an->child; c; c = d->nodes[c].next)
      text_node(b, &d->nodes[c], BXF_XML, rec);
    rift_buf_addch(b, '"');
  }
  if(!has_elem && !has_text)
    return rift_buf_add(b, "/>\n", 3);
  rift_buf_addch(b, '>');
  if(!has_elem) {
    for(c = e->child; c; c = d->nodes[c].next)
      text_node(b, &d->nodes[c], BXF_XML, rec);
  }
  else {
    rift_buf_addch(b, '\n');
    for(c = e->child; c; c = d->nodes[c].next)
      xml_node(b, d, c, depth + 1, rec);
    indent(b, depth);
  }
  rift_buf_add(b, "</", 2);
  rift_buf_add(b, e->name->xml, e->name->xlen);
  return rift_buf_add(b, ">\n", 2);
}

static rift_err render_xml(struct rift_buf *b, const struct bx_doc *d,
                           struct rec *rec)
{
  uint32_t r;
  for(r = d->root; r; r = d->nodes[r].next)
    xml_node(b, d, r, 0, rec);
  return b->err;
}

rift_err bx_render_json(struct rift_buf *b, const struct bx_doc *d, int pretty)
{
  return render_json(b, d, pretty, NULL);
}

rift_err bx_render_xml(struct rift_buf *b, const struct bx_doc *d)
{
  return render_xml(b, d, NULL);
}

/* ---- render programs --------------------------------------------------- */

struct bx_prog {
  uint64_t hash;
  uint32_t siglen;
  const uint8_t *sig;
  uint32_t nops;
  const struct bx_prog_op *ops;
  const char *lits;             /* literal pool */
  uint32_t tail_off, tail_len;  /* literal after the last value */
};

static void sig_put(struct bx_fast *f, const void *p, size_t n, int *ok)
{
  if(!*ok || n > sizeof(f->sig) - f->siglen) {
    *ok = 0;
    return;
  }
  memcpy(f->sig + f->siglen, p, n);
  f->siglen += (uint32_t)n;
}

/* A fragment that is exactly [header] TemplateInstance [EndOfStream]:
 * read its values (types into the signature). */
static int fast_instance(struct bx_chunk *c, size_t off, size_t len,
                         struct bx_fast *f, int slot, int *ok)
{
  struct rift_cur cur;
  struct bx_val *vals;
  uint32_t def_off, nvals, i;
  size_t desc;
  rift_cur_init(&cur, c->p, off + len);
  rift_cur_seek(&cur, off);
  if(rift_cur_left(&cur) >= 4 && cur.p[cur.off] == 0x0f)
    rift_cur_skip(&cur, 4);
  if(rift_cur_u8(&cur) != 0x0c)
    return 0;
  rift_cur_skip(&cur, 5);
  def_off = rift_cur_u32(&cur);
  if(cur.err)
    return 0;
  if(def_off == cur.off) {
    uint32_t size;
    rift_cur_skip(&cur, 20);
    size = rift_cur_u32(&cur);
    rift_cur_skip(&cur, size);
  }
  nvals = rift_cur_u32(&cur);
  if(cur.err || nvals > BX_MAX_VALUES || (size_t)nvals * 4 > rift_cur_left(&cur))
    return 0;
  vals = nvals ? rift_arena_alloc(&c->rec, nvals * sizeof(*vals)) : NULL;
  if(nvals && !vals)
    return 0;
  desc = cur.off;
  rift_cur_skip(&cur, (size_t)nvals * 4);
  sig_put(f, &def_off, 4, ok);
  sig_put(f, &nvals, 4, ok);
  for(i = 0; i < nvals; i++) {
    const uint8_t *dp = c->p + desc + (size_t)i * 4;
    vals[i].len = rift_le16(dp);
    vals[i].type = dp[2];
    vals[i].off = (uint32_t)cur.off;
    rift_cur_skip(&cur, vals[i].len);
    sig_put(f, &vals[i].type, 1, ok);
  }
  if(cur.err || !*ok)
    return 0;
  /* nothing but end of stream may follow (no second fragment) */
  if(rift_cur_left(&cur) && cur.p[cur.off] != 0x00)
    return 0;
  f->vals[slot] = vals;
  f->nvals[slot] = nvals;
  return 1;
}

int bx_fast_shape(struct bx_chunk *c, uint32_t off, uint32_t len,
                  enum bx_out o, struct bx_fast *f)
{
  uint32_t i, rank = 0;
  uint8_t ob = (uint8_t)o;
  int ok = 1;
  if(off > c->len || len > c->len - off)
    return 0;
  rift_arena_clear(&c->rec);
  f->siglen = 0;
  sig_put(f, &ob, 1, &ok);
  if(!fast_instance(c, off, len, f, 1, &ok))
    return 0;
  for(i = 0; i < f->nvals[1]; i++) {
    const struct bx_val *v = &f->vals[1][i];
    uint32_t k;
    if(v->type & BXT_ARRAY)
      return 0;
    if(v->type != BXT_BINXML)
      continue;
    if(rank >= BX_FAST_INST - 2)
      return 0;
    if(!fast_instance(c, v->off, v->len, f, 2 + (int)rank, &ok))
      return 0;
    for(k = 0; k < f->nvals[2 + rank]; k++) {
      uint8_t t = f->vals[2 + rank][k].type;
      if(t == BXT_BINXML || (t & BXT_ARRAY))
        return 0;
    }
    rank++;
  }
  f->hash = rift_hash(f->sig, f->siglen);
  return ok;
}

static const struct bx_prog *prog_find(const struct bx_chunk *c,
                                       const struct bx_fast *f)
{
  uint32_t s;
  if(!c->progs_cap)
    return NULL;
  for(s = slot_of((uint32_t)f->hash, c->progs_cap); c->progs[s];
      s = (s + 1) & (c->progs_cap - 1)) {
    const struct bx_prog *p = c->progs[s];
    if(p->hash == f->hash && p->siglen == f->siglen &&
       !memcmp(p->sig, f->sig, f->siglen))
      return p;
  }
  return NULL;
}

rift_err bx_fast_render(struct bx_chunk *c, struct rift_buf *b,
                        const struct bx_fast *f)
{
  const struct bx_prog *p = prog_find(c, f);
  uint32_t i;
  if(!p)
    return RIFT_NOTFOUND;
  for(i = 0; i < p->nops; i++) {
    const struct bx_prog_op *op = &p->ops[i];
    const struct bx_val *v = &f->vals[op->inst][op->idx];
    const uint8_t *data = c->p + v->off;
    rift_buf_add(b, p->lits + op->lit_off, op->lit_len);
    switch(op->kind) {
    case OP_JSON:
      /* the common types directly, the rest through the general path */
      if(v->type == BXT_STRING) {
        rift_buf_addch(b, '"');
        rift_utf16le_add_json_z(b, data, v->len / 2, 1);
        rift_buf_addch(b, '"');
      }
      else if(v->type == BXT_U16 && v->len == 2) {
        rift_buf_add_u64(b, rift_le16(data));
      }
      else if(v->type == BXT_U32 && v->len == 4) {
        rift_buf_add_u64(b, rift_le32(data));
      }
      else if(v->type == BXT_U8 && v->len == 1) {
        rift_buf_add_u64(b, data[0]);
      }
      else if(v->type == BXT_U64 && v->len == 8) {
        rift_buf_add_u64(b, rift_le64(data));
      }
      else if(v->type == BXT_HEX64 && v->len == 8) {
        rift_buf_addch(b, '"');
        rift_buf_add_hex(b, rift_le64(data), 0, 0);
        rift_buf_addch(b, '"');
      }
      else {
        bx_value_fmt(b, v->type, data, v->len, BXF_JSON);
      }
      break;
    case OP_JSTR:
      scalar(b, v->type, data, v->len, BXF_JSON);
      break;
    default:
      scalar(b, v->type, data, v->len, BXF_XML);
    }
  }
  rift_buf_add(b, p->lits + p->tail_off, p->tail_len);
  return b->err;
}

static uint32_t prog_key(const void *e)
{
  return (uint32_t)((const struct bx_prog *)e)->hash;
}

/* Keep the program recorded in r for shape f (copies into the chunk
 * arena; the literal bytes come from b). */
static rift_err prog_store(struct bx_chunk *c, const struct rift_buf *b,
                           const struct rec *r, const struct bx_fast *f)
{
  struct bx_prog *p;
  struct bx_prog_op *ops;
  uint8_t *sig;
  char *lits;
  size_t total = 0, pos = 0;
  uint32_t i;
  if(c->nprogs >= BX_MAX_PROGS || prog_find(c, f))
    return RIFT_OK;
  for(i = 0; i < r->n; i++)
    total += r->ops[i].lit_len;
  total += b->len - r->last;
  p = rift_arena_alloc(&c->arena, sizeof(*p));
  ops = rift_arena_alloc(&c->arena, (r->n ? r->n : 1) * sizeof(*ops));
  sig = rift_arena_alloc(&c->arena, f->siglen);
  lits = rift_arena_alloc(&c->arena, total ? total : 1);
  if(!p || !ops || !sig || !lits)
    return c->arena.err;
  for(i = 0; i < r->n; i++) {
    ops[i] = r->ops[i];
    memcpy(lits + pos, b->buf + r->base + r->ops[i].lit_off, r->ops[i].lit_len);
    ops[i].lit_off = (uint32_t)pos;
    pos += r->ops[i].lit_len;
  }
  memcpy(lits + pos, b->buf + r->last, b->len - r->last);
  p->tail_off = (uint32_t)pos;
  p->tail_len = (uint32_t)(b->len - r->last);
  memcpy(sig, f->sig, f->siglen);
  p->hash = f->hash;
  p->sig = sig;
  p->siglen = f->siglen;
  p->ops = ops;
  p->nops = r->n;
  p->lits = lits;
  return table_put((void ***)&c->progs, &c->progs_cap, &c->nprogs, p, prog_key);
}

rift_err bx_render_record(struct bx_chunk *c, struct rift_buf *b,
                          const struct bx_doc *d, enum bx_out o,
                          const struct bx_fast *f)
{
  struct rec *r = NULL;
  rift_err rc;
  if(f) {
    r = c->rec_buf;
    if(!r) {
      r = c->rec_buf = malloc(sizeof(*r));
      if(!r)
        return RIFT_NOMEM;
    }
    r->base = r->last = b->len;
    r->n = 0;
    r->bad = 0;
  }
  if(o == BXO_XML)
    rc = render_xml(b, d, r);
  else
    rc = render_json(b, d, o == BXO_JSON_PRETTY, r);
  if(!rc && r && !r->bad)
    rc = prog_store(c, b, r, f);
  return rc;
}
