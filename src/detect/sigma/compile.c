/*
 * compile.c - rules to the structures match.c runs on.
 *
 * For each detection rule:
 *   1. its logsource selects mapping entries (mapping.c); each event source
 *      of an entry is a variant: the detection compiled with that source's
 *      field names (e.g. Sysmon 1 reads Image, Security 4688 reads
 *      NewProcessName), AND the source's `where` selection;
 *   2. the variant's tree says which EventIDs it can match at all (an
 *      `EventID: 4624` selection); with the source's channel and ids that
 *      gives the index keys (channel, event id) of the variant;
 *   3. its trigger set: literal tests of which at least one must be true
 *      for the tree to be true (none: the variant is evaluated for every
 *      event of its keys).
 * Then, per key, every literal test of the key's variants goes into a
 * scanner of its field: a hash table for equality and one Aho-Corasick
 * automaton (ac.c) for prefixes, suffixes and substrings.  At match time
 * a field value is read once by its scanner; the tests it satisfies wake
 * up the variants they trigger, and only those are evaluated.
 */
#include <stdatomic.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/field.h"
#include "detect/sigma/sigma-int.h"

#define NONE UINT32_MAX

/* ---- node and test tables ------------------------------------------------- */

static int grow(struct rift_sigma *s, void **arr, uint32_t *cap, uint32_t need,
                size_t elem)
{
  uint32_t ncap;
  void *na;
  if(need <= *cap)
    return 0;
  ncap = *cap ? *cap : 256;
  while(ncap < need) {
    if(ncap > (1u << 28))
      return -1;
    ncap *= 2;
  }
  na = rift_arena_alloc(&s->arena, (size_t)ncap * elem);
  if(!na)
    return -1;
  if(*cap)
    memcpy(na, *arr, (size_t)*cap * elem);
  *arr = na;
  *cap = ncap;
  return 0;
}

uint32_t sg_new_node(struct rift_sigma *s, uint8_t op, uint32_t n, uint32_t a)
{
  struct sg_node *nd;
  if(a == NONE && op != N_CONST)
    return NONE;
  if(grow(s, (void **)&s->nodes, &s->capnodes, s->nnodes + 1, sizeof(*nd)))
    return NONE;
  nd = &s->nodes[s->nnodes];
  memset(nd, 0, sizeof(*nd));
  nd->op = op;
  nd->n = n;
  nd->a = a;
  return s->nnodes++;
}

/* Cheap kids first: scanned tests, then subtrees, then on-demand tests. */
static int kid_cost(const struct rift_sigma *s, uint32_t k)
{
  const struct sg_node *n = &s->nodes[k];
  if(n->op == N_TEST) {
    uint8_t kind = s->tests[n->a].kind;
    if(SG_SCANNED(kind))
      return 0;
    return kind == T_RE || kind == T_GLOB ? 3 : 2;
  }
  return 1;
}

uint32_t sg_node_list(struct rift_sigma *s, uint8_t op, const uint32_t *kids,
                      uint32_t n)
{
  uint32_t i, start, c, o = 0;
  if(n == 1 && op != N_NOT && op != N_ATLEAST)
    return kids[0];
  for(i = 0; i < n; i++) {
    if(kids[i] == NONE)
      return NONE;
  }
  if(grow(s, (void **)&s->kids, &s->capkids, s->nkids + n, sizeof(uint32_t)))
    return NONE;
  start = s->nkids;
  for(c = 0; c < 4; c++) {
    for(i = 0; i < n; i++) {
      if(kid_cost(s, kids[i]) == (int)c)
        s->kids[start + o++] = kids[i];
    }
  }
  s->nkids += n;
  return sg_new_node(s, op, n, start);
}

static void key_add(struct rift_buf *b, const void *p, size_t n)
{
  rift_buf_add(b, p, n);
}

uint32_t sg_intern_test(struct rift_sigma *s, struct sg_test *t)
{
  struct rift_buf k;
  union rift_hval *v;
  int isnew;
  uint32_t id;
  rift_buf_init(&k, 1u << 26);
  key_add(&k, &t->kind, 1);
  key_add(&k, &t->cased, 1);
  key_add(&k, &t->op, 1);
  key_add(&k, &t->fam, 1);
  key_add(&k, &t->bits, 4);
  key_add(&k, &t->num, sizeof(t->num));
  key_add(&k, &t->nf, 4);
  if(t->nf)
    key_add(&k, t->f, t->nf * sizeof(uint32_t));
  key_add(&k, &t->nrf, 4);
  if(t->nrf)
    key_add(&k, t->rf, t->nrf * sizeof(uint32_t));
  if(t->kind == T_CIDR)
    key_add(&k, t->addr, 16);
  key_add(&k, &t->len, 4);
  if(t->lit)
    key_add(&k, t->lit, t->kind == T_RE ? strlen(t->lit) : t->len);
  if(t->mask)
    key_add(&k, t->mask, t->len);
  if(t->cased && t->orig)
    key_add(&k, t->orig, t->len);
  if(k.err || rift_hmap_put(&s->testidx, k.buf, k.len, &v, &isnew)) {
    rift_buf_release(&k);
    return NONE;
  }
  rift_buf_release(&k);
  if(!isnew) {
    if(t->re && t->re != s->tests[v->u].re)
      pcre2_code_free(t->re);
    return (uint32_t)v->u;
  }
  if(grow(s, (void **)&s->tests, &s->captests, s->ntests + 1, sizeof(*t)))
    return NONE;
  id = s->ntests++;
  s->tests[id] = *t;
  if(t->re)
    s->nregex++;
  v->u = id;
  return id;
}

/* ---- fields ------------------------------------------------------------- */

static uint32_t fid(const char *name, size_t n)
{
  return rift_field_id(name, n);
}

static int pattern_field(const char *pat, const char *name, char *out,
                         size_t outlen)
{
  const char *br = strstr(pat, "{}");
  int n;
  if(!br)
    return -1;
  n = snprintf(out, outlen, "%.*s%s%s", (int)(br - pat), pat, name, br + 2);
  return n > 0 && (size_t)n < outlen ? n : -1;
}

const uint32_t *sg_fields(struct sg_ctx *c, const char *name, uint32_t *n)
{
  const char *nm = name;
  const struct sy_node *tgt = NULL;
  uint32_t *ids, cnt = 0, i;
  char buf[600];
  *n = 0;
  if(c->rename) {
    const char *r = sy_str(sy_get(c->rename, name));
    if(r)
      nm = r;
  }
  if(c->prod && c->prod->fields)
    tgt = sy_get(c->prod->fields, nm);
  if(tgt && tgt->kind == SY_MAP) {
    /* Name: {unsupported: why}: rift's events have nothing for it */
    const char *why = sy_str(sy_get(tgt, "unsupported"));
    sg_errf(c, 1, "field '%s': %s", name,
            why ? why : "not in rift's events");
    return NULL;
  }
  if(!tgt && c->prod && c->prod->fields_only) {
    uint32_t own = rift_field_find(nm, strlen(nm)); /* a rift field name */
    if(!own || own >= RIFT_F__STATIC) {
      sg_errf(c, 1, "field '%s' is not in rift's events for this logsource "
              "(mapping %s)", name, c->prod->mapname);
      return NULL;
    }
  }
  if(tgt && tgt->kind == SY_SEQ) {
    ids = rift_arena_alloc(&c->s->arena, (tgt->n + 1) * sizeof(*ids));
    if(!ids)
      goto nomem;
    for(i = 0; i < tgt->n; i++) {
      const char *t = sy_str(tgt->kids[i]);
      if(t && (ids[cnt] = fid(t, strlen(t))))
        cnt++;
    }
  }
  else {
    ids = rift_arena_alloc(&c->s->arena, 2 * sizeof(*ids));
    if(!ids)
      goto nomem;
    if(tgt && sy_str(tgt)) {
      ids[cnt] = fid(tgt->s, tgt->len);
      cnt += ids[cnt] != 0;
    }
    else if(!c->prod || !c->prod->field_default ||
            !strncmp(nm, "winlog.", 7) || !strncmp(nm, "rift.", 5) ||
            (rift_field_find(nm, strlen(nm)) &&
             rift_field_find(nm, strlen(nm)) < RIFT_F__STATIC)) {
      /* no mapping, or already a rift (ECS) field name */
      ids[cnt] = fid(nm, strlen(nm));
      cnt += ids[cnt] != 0;
    }
    else {
      int l = pattern_field(c->prod->field_default, nm, buf, sizeof(buf));
      if(l > 0 && (ids[cnt] = fid(buf, (size_t)l)))
        cnt++;
      if(c->prod->field_fallback) {
        l = pattern_field(c->prod->field_fallback, nm, buf, sizeof(buf));
        if(l > 0 && (ids[cnt] = fid(buf, (size_t)l)))
          cnt++;
      }
    }
  }
  if(!cnt) {
    sg_errf(c, 0, "field '%s' cannot be named in rift (too long?)", name);
    return NULL;
  }
  *n = cnt;
  return ids;
nomem:
  sg_errf(c, 0, "out of memory");
  return NULL;
}

/* ---- detection sections ---------------------------------------------------- */

struct det {
  struct sg_ctx *c;
  const struct sy_node *sec;   /* detection map */
  uint32_t *memo;              /* per pair of sec: node or NONE */
  int depth;
};

static int reserved(const char *k)
{
  return !strcmp(k, "condition") || !strcmp(k, "timeframe") ||
         !strcmp(k, "rules");
}

static uint32_t map_node(struct det *d, const struct sy_node *m)
{
  uint32_t *kids, i, node;
  if(!m->n) {
    sg_errf(d->c, 0, "line %u: empty selection", m->line);
    return NONE;
  }
  kids = rift_arena_alloc(&d->c->s->arena, m->n * sizeof(*kids));
  if(!kids)
    return NONE;
  for(i = 0; i < m->n; i++) {
    const struct sy_node *k = m->kids[2 * i], *v = m->kids[2 * i + 1];
    if(k->kind != SY_SCALAR) {
      sg_errf(d->c, 0, "line %u: a field name must be a string", k->line);
      return NONE;
    }
    kids[i] = sg_item(d->c, k->s, v, k->line);
    if(kids[i] == NONE)
      return NONE;
  }
  node = sg_node_list(d->c->s, N_AND, kids, m->n);
  return node;
}

static uint32_t search_node(struct det *d, uint32_t pair)
{
  const struct sy_node *v = d->sec->kids[2 * pair + 1];
  uint32_t node = NONE;
  if(d->memo[pair] != NONE)
    return d->memo[pair];
  if(sy_is_null(v)) {
    sg_errf(d->c, 0, "line %u: search identifier '%s' is empty",
            d->sec->kids[2 * pair]->line, d->sec->kids[2 * pair]->s);
    return NONE;
  }
  if(v->kind == SY_MAP) {
    node = map_node(d, v);
  }
  else if(v->kind == SY_SEQ) {
    uint32_t i, nmap = 0;
    for(i = 0; i < v->n; i++)
      nmap += v->kids[i]->kind == SY_MAP;
    if(!v->n) {
      sg_errf(d->c, 0, "line %u: empty list", v->line);
      return NONE;
    }
    if(nmap == v->n) {
      uint32_t *kids = rift_arena_alloc(&d->c->s->arena, v->n * sizeof(*kids));
      if(!kids)
        return NONE;
      for(i = 0; i < v->n; i++) {
        kids[i] = map_node(d, v->kids[i]);
        if(kids[i] == NONE)
          return NONE;
      }
      node = sg_node_list(d->c->s, N_OR, kids, v->n);
    }
    else if(nmap == 0) {
      node = sg_item(d->c, "", v, v->line);   /* keyword list */
    }
    else {
      sg_errf(d->c, 0, "line %u: a list mixes maps and keywords", v->line);
      return NONE;
    }
  }
  else {
    node = sg_item(d->c, "", v, v->line);     /* one keyword */
  }
  d->memo[pair] = node;
  return node;
}

static uint32_t cx_node(struct det *d, const struct sg_cx *x);

/* Operands of a chain of the same binary operator, iteratively. */
static uint32_t chain(struct det *d, const struct sg_cx *x, uint8_t op)
{
  const struct sg_cx *p;
  uint32_t n = 1, i, *kids, res;
  for(p = x; p->op == x->op; p = p->a)
    n++;
  kids = rift_arena_alloc(&d->c->s->arena, n * sizeof(*kids));
  if(!kids)
    return NONE;
  i = n;
  for(p = x; p->op == x->op; p = p->a) {
    kids[--i] = cx_node(d, p->b);
    if(kids[i] == NONE)
      return NONE;
  }
  kids[--i] = cx_node(d, p);
  if(kids[i] == NONE)
    return NONE;
  res = sg_node_list(d->c->s, op, kids, n);
  return res;
}

static uint32_t cx_node(struct det *d, const struct sg_cx *x)
{
  uint32_t i, n = 0, *kids;
  if(++d->depth > 4 * SG_MAX_CX_DEPTH) {
    sg_errf(d->c, 0, "condition nested too deeply");
    return NONE;
  }
  switch(x->op) {
  case CX_AND:
  case CX_OR: {
    uint32_t r = chain(d, x, x->op == CX_AND ? N_AND : N_OR);
    d->depth--;
    return r;
  }
  case CX_NOT: {
    uint32_t a = cx_node(d, x->a);
    d->depth--;
    return a == NONE ? NONE : sg_new_node(d->c->s, N_NOT, 1, a);
  }
  case CX_ID:
    d->depth--;
    for(i = 0; i < d->sec->n; i++) {
      const char *k = d->sec->kids[2 * i]->s;
      if(!reserved(k) && !strcmp(k, x->id))
        return search_node(d, i);
    }
    sg_errf(d->c, 0, "condition refers to '%s', which is not defined", x->id);
    return NONE;
  case CX_OF:
    d->depth--;
    kids = rift_arena_alloc(&d->c->s->arena,
                            (d->sec->n + 1) * sizeof(*kids));
    if(!kids)
      return NONE;
    for(i = 0; i < d->sec->n; i++) {
      const char *k = d->sec->kids[2 * i]->s;
      if(reserved(k))
        continue;
      if(x->id ? sg_wild_match(x->id, k) : k[0] != '_') {
        kids[n] = search_node(d, i);
        if(kids[n++] == NONE)
          return NONE;
      }
    }
    if(!n) {
      sg_errf(d->c, 0, "condition '%s' matches no search identifier",
              x->id ? x->id : "them");
      return NONE;
    }
    if(x->count == 0)
      return sg_node_list(d->c->s, N_AND, kids, n);
    if(x->count == 1)
      return sg_node_list(d->c->s, N_OR, kids, n);
    if(x->count > n)
      return sg_new_node(d->c->s, N_CONST, 0, 0);
    {
      uint32_t nd = sg_node_list(d->c->s, N_ATLEAST, kids, n);
      if(nd != NONE)
        d->c->s->nodes[nd].k = x->count;
      return nd;
    }
  }
  return NONE;
}

/* The node of a detection section (detection rule, filter or where). */
static uint32_t section_node(struct sg_ctx *c, const struct sy_node *sec)
{
  struct det d;
  const struct sy_node *cond = sy_get(sec, "condition");
  uint32_t i, ncond, *kids;
  char err[256];
  memset(&d, 0, sizeof(d));
  d.c = c;
  d.sec = sec;
  d.memo = rift_arena_alloc(&c->s->arena, (sec->n + 1) * sizeof(uint32_t));
  if(!d.memo)
    return NONE;
  for(i = 0; i < sec->n; i++)
    d.memo[i] = NONE;
  if(!cond) {
    sg_errf(c, 0, "no condition");
    return NONE;
  }
  ncond = cond->kind == SY_SEQ ? cond->n : 1;
  if(!ncond || cond->kind == SY_MAP) {
    sg_errf(c, 0, "line %u: condition must be a string or a list of strings",
            cond->line);
    return NONE;
  }
  kids = rift_arena_alloc(&c->s->arena, ncond * sizeof(*kids));
  if(!kids)
    return NONE;
  for(i = 0; i < ncond; i++) {
    const struct sy_node *cn = cond->kind == SY_SEQ ? cond->kids[i] : cond;
    struct sg_cx *x;
    if(cn->kind != SY_SCALAR || sy_is_null(cn)) {
      sg_errf(c, 0, "line %u: condition must be a string", cn->line);
      return NONE;
    }
    x = sg_cond_parse(&c->s->arena, cn->s, err, sizeof(err));
    if(!x) {
      if(strstr(err, "aggregation") || strstr(err, "near"))
        sg_errf(c, 1, "line %u: %s", cn->line, err);
      else
        sg_errf(c, 0, "line %u: %s", cn->line, err);
      return NONE;
    }
    kids[i] = cx_node(&d, x);
    if(kids[i] == NONE)
      return NONE;
  }
  return sg_node_list(c->s, N_OR, kids, ncond);
}

/* A `where` map of a mapping source: a single selection. */
static uint32_t where_node(struct sg_ctx *c, const struct sy_node *w)
{
  struct det d;
  memset(&d, 0, sizeof(d));
  d.c = c;
  return map_node(&d, w);
}

/* ---- analyses ---------------------------------------------------------------- */

/* Event ids the tree can match: *any = 1 if unconstrained. */
struct idset {
  uint32_t *v;
  uint32_t n;
  int any;
};

static int event_id_lit(const struct rift_sigma *s, const struct sg_test *t,
                        uint32_t *id)
{
  uint32_t i, v = 0;
  if(t->kind != T_EQ || t->nf != 1 || t->f[0] != s->f_event_id || !t->len ||
     t->len > 9)
    return 0;
  for(i = 0; i < t->len; i++) {
    if(t->lit[i] < '0' || t->lit[i] > '9')
      return 0;
    v = v * 10 + (uint32_t)(t->lit[i] - '0');
  }
  *id = v;
  return 1;
}

static void ids_req(struct rift_sigma *s, uint32_t node, struct idset *out,
                    int depth)
{
  const struct sg_node *n = &s->nodes[node];
  uint32_t i, id;
  out->v = NULL;
  out->n = 0;
  out->any = 1;
  if(depth > 200)
    return;
  switch(n->op) {
  case N_TEST:
    if(event_id_lit(s, &s->tests[n->a], &id)) {
      out->v = rift_arena_alloc(&s->arena, sizeof(uint32_t));
      if(out->v) {
        out->v[0] = id;
        out->n = 1;
        out->any = 0;
      }
    }
    return;
  case N_CONST:
    if(!n->val)
      out->any = 0;  /* never true: no ids */
    return;
  case N_AND:
    for(i = 0; i < n->n; i++) {
      struct idset k;
      ids_req(s, s->kids[n->a + i], &k, depth + 1);
      if(k.any)
        continue;
      if(out->any) {
        *out = k;
        continue;
      }
      {
        uint32_t a, b, o = 0;
        for(a = 0; a < out->n; a++) {
          for(b = 0; b < k.n; b++) {
            if(out->v[a] == k.v[b]) {
              out->v[o++] = out->v[a];
              break;
            }
          }
        }
        out->n = o;
      }
    }
    return;
  case N_OR:
  case N_ATLEAST: {
    uint32_t total = 0;
    struct idset *ks = rift_arena_alloc(&s->arena, n->n * sizeof(*ks));
    if(!ks)
      return;
    for(i = 0; i < n->n; i++) {
      ids_req(s, s->kids[n->a + i], &ks[i], depth + 1);
      if(ks[i].any)
        return;
      total += ks[i].n;
    }
    out->v = rift_arena_alloc(&s->arena, (total + 1) * sizeof(uint32_t));
    if(!out->v)
      return;
    out->any = 0;
    for(i = 0; i < n->n; i++) {
      memcpy(out->v + out->n, ks[i].v, ks[i].n * sizeof(uint32_t));
      out->n += ks[i].n;
    }
    return;
  }
  default:
    return;
  }
}

/* Trigger set: tests of which one must be true for the node to be true. */
struct tset {
  uint32_t *v;
  uint32_t n;
  int any;
  uint64_t cost;
};

static uint64_t test_cost(const struct rift_sigma *s, uint32_t t)
{
  const struct sg_test *x = &s->tests[t];
  uint32_t i;
  for(i = 0; i < x->nf; i++) {
    if(x->f[i] == s->f_event_id || x->f[i] == s->f_channel ||
       x->f[i] == RIFT_F_WINLOG_PROVIDER_NAME)
      return 1000; /* true for most events of a key */
  }
  return x->len < 3 ? 20 : 1;
}

static void need(struct rift_sigma *s, uint32_t node, struct tset *out,
                 int depth)
{
  const struct sg_node *n = &s->nodes[node];
  uint32_t i;
  memset(out, 0, sizeof(*out));
  out->any = 1;
  if(depth > 200)
    return;
  switch(n->op) {
  case N_TEST: {
    const struct sg_test *t = &s->tests[n->a];
    uint32_t id = NONE;
    if(SG_SCANNED(t->kind))
      id = n->a;
    else if(t->kind == T_GLOB && t->piece != NONE)
      id = t->piece;
    if(id != NONE) {
      out->v = rift_arena_alloc(&s->arena, sizeof(uint32_t));
      if(!out->v)
        return;
      out->v[0] = id;
      out->n = 1;
      out->any = 0;
      out->cost = test_cost(s, id);
    }
    return;
  }
  case N_CONST:
    if(!n->val) {
      out->any = 0; /* never true: nothing needed, never triggered */
      out->cost = 0;
    }
    return;
  case N_AND:
    for(i = 0; i < n->n; i++) {
      struct tset k;
      need(s, s->kids[n->a + i], &k, depth + 1);
      if(!k.any && (out->any || k.cost < out->cost))
        *out = k;
    }
    return;
  case N_OR:
  case N_ATLEAST: {
    struct tset *ks = rift_arena_alloc(&s->arena, n->n * sizeof(*ks));
    uint32_t total = 0;
    if(!ks)
      return;
    for(i = 0; i < n->n; i++) {
      need(s, s->kids[n->a + i], &ks[i], depth + 1);
      if(ks[i].any)
        return;
      total += ks[i].n;
    }
    out->v = rift_arena_alloc(&s->arena, (total + 1) * sizeof(uint32_t));
    if(!out->v)
      return;
    out->any = 0;
    for(i = 0; i < n->n; i++) {
      memcpy(out->v + out->n, ks[i].v, ks[i].n * sizeof(uint32_t));
      out->n += ks[i].n;
      out->cost += ks[i].cost;
    }
    return;
  }
  default:
    return;
  }
}

/* Every test a tree reads (scanned ones and glob pieces), into a list. */
static int collect_tests(struct rift_sigma *s, uint32_t node, uint32_t **v,
                         uint32_t *n, uint32_t *cap, int depth)
{
  const struct sg_node *nd = &s->nodes[node];
  uint32_t i;
  if(depth > 200)
    return 0;
  if(nd->op == N_TEST) {
    const struct sg_test *t = &s->tests[nd->a];
    uint32_t add[2], na = 0;
    if(SG_SCANNED(t->kind))
      add[na++] = nd->a;
    if(t->kind == T_GLOB && t->piece != NONE)
      add[na++] = t->piece;
    for(i = 0; i < na; i++) {
      if(*n == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 64;
        uint32_t *nv = realloc(*v, ncap * sizeof(uint32_t));
        if(!nv)
          return -1;
        *v = nv;
        *cap = ncap;
      }
      (*v)[(*n)++] = add[i];
    }
    return 0;
  }
  if(nd->op == N_CONST)
    return 0;
  if(nd->op == N_NOT)   /* its one child is the node a itself */
    return collect_tests(s, nd->a, v, n, cap, depth + 1);
  for(i = 0; i < nd->n; i++) {
    if(collect_tests(s, s->kids[nd->a + i], v, n, cap, depth + 1))
      return -1;
  }
  return 0;
}

/* ---- variants and entries -------------------------------------------------- */

struct kent {             /* (key, entry) before the keys are built */
  const char *src;        /* lowercase channel or "@kind" */
  uint32_t id;            /* event id or NONE */
  uint32_t entry;
};

struct build {
  struct kent *ke;
  size_t nke, capke;
  struct tset *needs;     /* per entry */
  uint32_t capneeds;
};

static int ke_add(struct rift_sigma *s, struct build *b, const char *src,
                  uint32_t id, uint32_t entry)
{
  (void)s;
  if(rift_grow((void **)&b->ke, &b->capke, b->nke + 1, sizeof(*b->ke), 1024))
    return -1;
  b->ke[b->nke].src = src;
  b->ke[b->nke].id = id;
  b->ke[b->nke++].entry = entry;
  return 0;
}

static const char *lower_str(struct rift_sigma *s, const char *p)
{
  size_t n = strlen(p), i;
  char *d = rift_arena_alloc(&s->arena, n + 1);
  if(!d)
    return NULL;
  for(i = 0; i <= n; i++)
    d[i] = (char)sg_lower[(uint8_t)p[i]];
  return d;
}

static int ieq(const char *a, const char *b)
{
  if(!a || !b)
    return 0;
  while(*a && sg_lower[(uint8_t)*a] == sg_lower[(uint8_t)*b]) {
    a++;
    b++;
  }
  return !*a && !*b;
}

static int ls_matches(const struct sg_rule *r, const struct sg_logsource *l)
{
  if(r->category && !ieq(r->category, l->category))
    return 0;
  if(r->service && !ieq(r->service, l->service))
    return 0;
  if(r->product && !ieq(r->product, l->prod->product))
    return 0;
  return 1;
}

/* Attach filters: AND NOT (filter) per filter rule, compiled with the
 * variant's field names. */
static uint32_t add_filters(struct rift_sigma *s, struct sg_ctx *c,
                            struct sg_rule *r, uint32_t det)
{
  uint32_t i, *kids, n = 0;
  if(!r->nfilters)
    return det;
  kids = rift_arena_alloc(&s->arena, (r->nfilters + 1) * sizeof(*kids));
  if(!kids)
    return NONE;
  kids[n++] = det;
  for(i = 0; i < r->nfilters; i++) {
    struct sg_rule *f = &s->rules[r->filters[i]];
    uint32_t fn;
    if(f->pub.state != RIFT_SIGMA_ACTIVE)
      continue;
    fn = section_node(c, f->detection);
    if(fn == NONE) {
      /* a broken filter breaks the filter, not the rule */
      sg_rule_fail(s, f, c->unsupported ? RIFT_SIGMA_UNSUPPORTED
                                        : RIFT_SIGMA_INVALID, "%s", c->err);
      c->err[0] = 0;
      c->unsupported = 0;
      continue;
    }
    kids[n] = sg_new_node(s, N_NOT, 1, fn);
    if(kids[n++] == NONE)
      return NONE;
  }
  return sg_node_list(s, N_AND, kids, n);
}

static int compile_rule(struct rift_sigma *s, struct build *b, uint32_t ri)
{
  struct sg_rule *r = &s->rules[ri];
  struct sg_ctx c;
  char err[512];
  uint32_t li, si, nls = 0, nvar = 0;
  const char *unsup = NULL;
  struct { const struct sg_product *p; const struct sy_node *rn; uint32_t node; }
    memo[16];
  uint32_t nmemo = 0;

  memset(&c, 0, sizeof(c));
  c.s = s;
  c.r = r;
  c.err = err;
  c.errlen = sizeof(err);
  err[0] = 0;
  r->first_entry = s->nentries;
  for(li = 0; li < s->map.nls; li++) {
    const struct sg_logsource *l = &s->map.ls[li];
    if(!ls_matches(r, l))
      continue;
    nls++;
    if(l->unsupported) {
      unsup = l->unsupported;
      continue;
    }
    for(si = 0; si < l->nsrc; si++) {
      const struct sg_source *src = &l->src[si];
      uint32_t det = NONE, root, m, k, e;
      struct idset req;
      const char *keysrc;
      for(m = 0; m < nmemo; m++) {
        if(memo[m].p == l->prod && memo[m].rn == src->rename)
          det = memo[m].node;
      }
      c.prod = l->prod;
      c.rename = src->rename;
      if(det == NONE) {
        det = section_node(&c, r->detection);
        if(det == NONE)
          goto fail;
        det = add_filters(s, &c, r, det);
        if(det == NONE)
          goto fail;
        if(nmemo < 16) {
          memo[nmemo].p = l->prod;
          memo[nmemo].rn = src->rename;
          memo[nmemo++].node = det;
        }
      }
      root = det;
      if(src->where) {
        uint32_t kids[2];
        c.rename = NULL;
        kids[0] = where_node(&c, src->where);
        if(kids[0] == NONE)
          goto fail;
        kids[1] = det;
        root = sg_node_list(s, N_AND, kids, 2);
      }
      ids_req(s, root, &req, 0);
      /* which ids of the source can the tree match? */
      {
        uint32_t *ids = NULL, nids = 0;
        int any = 0;
        if(src->nids && !req.any) {
          ids = rift_arena_alloc(&s->arena, (src->nids + 1) * sizeof(*ids));
          if(!ids)
            return -1;
          for(m = 0; m < src->nids; m++) {
            for(k = 0; k < req.n; k++) {
              if(req.v[k] == src->ids[m]) {
                ids[nids++] = src->ids[m];
                break;
              }
            }
          }
        }
        else if(src->nids) {
          ids = src->ids;
          nids = src->nids;
        }
        else if(!req.any) {
          ids = req.v;
          nids = req.n;
        }
        else {
          any = 1;
        }
        if(!any && !nids)
          continue; /* this source's events can never match */
        if(grow(s, (void **)&s->entries, &s->capentries, s->nentries + 1,
                sizeof(struct sg_entry)))
          return -1;
        e = s->nentries++;
        s->entries[e].rule = ri;
        s->entries[e].root = root;
        s->entries[e].var = nvar++;
        if(src->channel) {
          keysrc = lower_str(s, src->channel);
        }
        else {
          char kb[64];
          snprintf(kb, sizeof(kb), "@%s", src->kind);
          keysrc = lower_str(s, kb);
        }
        if(!keysrc)
          return -1;
        if(any) {
          if(ke_add(s, b, keysrc, NONE, e))
            return -1;
        }
        for(m = 0; m < nids; m++) {
          uint32_t dup = 0;
          for(k = 0; k < m; k++)
            dup |= ids[k] == ids[m];
          if(!dup && ke_add(s, b, keysrc, ids[m], e))
            return -1;
        }
      }
    }
  }
  r->nentries = s->nentries - r->first_entry;
  if(!nls) {
    sg_rule_fail(s, r, RIFT_SIGMA_UNSUPPORTED,
                 "no rift events for logsource %s (no mapping names it)",
                 r->pub.logsource[0] ? r->pub.logsource : "(empty)");
    return 0;
  }
  if(!r->nentries && unsup) {
    sg_rule_fail(s, r, RIFT_SIGMA_UNSUPPORTED, "logsource %s: %s",
                 r->pub.logsource, unsup);
    return 0;
  }
  if(!r->nentries) {
    sg_rule_fail(s, r, RIFT_SIGMA_UNSUPPORTED,
                 "its EventID conditions exclude every event of logsource %s",
                 r->pub.logsource);
    return 0;
  }
  return 0;
fail:
  s->nentries = r->first_entry;
  r->nentries = 0;
  /* drop this rule's pending key entries */
  while(b->nke && b->ke[b->nke - 1].entry >= r->first_entry)
    b->nke--;
  sg_rule_fail(s, r, c.unsupported ? RIFT_SIGMA_UNSUPPORTED : RIFT_SIGMA_INVALID,
               "%s", err[0] ? err : "cannot be compiled");
  return 0;
}

const uint32_t *sg_rule_field(struct rift_sigma *s, struct sg_rule *r,
                              const char *name, uint32_t *n)
{
  struct sg_ctx c;
  char err[256];
  uint32_t li, si, *out = NULL, cnt = 0, cap = 0, i, j;
  memset(&c, 0, sizeof(c));
  c.s = s;
  c.r = r;
  c.err = err;
  c.errlen = sizeof(err);
  err[0] = 0;
  *n = 0;
  for(li = 0; li < s->map.nls; li++) {
    const struct sg_logsource *l = &s->map.ls[li];
    if(!ls_matches(r, l) || l->unsupported)
      continue;
    for(si = 0; si < l->nsrc; si++) {
      const uint32_t *f;
      uint32_t nf;
      c.prod = l->prod;
      c.rename = l->src[si].rename;
      f = sg_fields(&c, name, &nf);
      for(i = 0; f && i < nf; i++) {
        int dup = 0;
        for(j = 0; j < cnt; j++)
          dup |= out[j] == f[i];
        if(dup)
          continue;
        if(cnt == cap) {
          uint32_t ncap = cap ? cap * 2 : 8, *no;
          no = rift_arena_alloc(&s->arena, ncap * sizeof(*no));
          if(!no)
            return NULL;
          if(cnt)
            memcpy(no, out, cnt * sizeof(*no));
          out = no;
          cap = ncap;
        }
        out[cnt++] = f[i];
      }
    }
  }
  *n = cnt;
  return out;
}

/* ---- keys and scanners --------------------------------------------------------- */

static int kent_cmp(const void *a, const void *b)
{
  const struct kent *x = a, *y = b;
  int c = strcmp(x->src, y->src);
  if(c)
    return c;
  if(x->id != y->id)
    return x->id < y->id ? -1 : 1;
  return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int u32_cmp(const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static uint64_t lhash(const char *p, size_t n)
{
  uint64_t h = 1469598103934665603ull;
  size_t i;
  for(i = 0; i < n; i++) {
    h ^= sg_lower[(uint8_t)p[i]];
    h *= 1099511628211ull;
  }
  return h;
}

struct fgroup {           /* tests of one field in one key */
  uint32_t field;
  uint32_t *tests;
  uint32_t n, cap;
};

/* Sort order of a scanner's tests: equality literals first, then the
 * automaton's, each by literal, so equal literals sit together. */
static const struct rift_sigma *sort_set;

static int scan_cmp(const void *a, const void *b)
{
  const struct sg_test *x = &sort_set->tests[*(const uint32_t *)a];
  const struct sg_test *y = &sort_set->tests[*(const uint32_t *)b];
  int ex = x->kind != T_EQ, ey = y->kind != T_EQ, c;
  if(ex != ey)
    return ex - ey;
  if(x->len != y->len)
    return x->len < y->len ? -1 : 1;
  c = memcmp(x->lit, y->lit, x->len);
  if(c)
    return c;
  return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int build_scan(struct rift_sigma *s, struct sg_scan *sc,
                      struct fgroup *g, const uint32_t *ntrig_of,
                      const uint32_t *trig_base)
{
  uint32_t i, j, nex = 0, npat = 0, o;
  const char **pats = NULL;
  uint32_t *plens = NULL;
  memset(sc, 0, sizeof(*sc));
  sc->field = g->field;
  sort_set = s;   /* compile runs on one thread */
  qsort(g->tests, g->n, sizeof(uint32_t), scan_cmp);
  sc->outs = rift_arena_zalloc(&s->arena, (g->n + 1) * sizeof(*sc->outs));
  if(!sc->outs)
    return -1;
  for(o = 0; o < g->n; o++) {
    const struct sg_test *t = &s->tests[g->tests[o]];
    sc->outs[o].test = g->tests[o];
    sc->outs[o].kind = t->kind;
    sc->outs[o].cased = t->cased;
    sc->outs[o].trig = trig_base[g->tests[o]];
    sc->outs[o].ntrig = ntrig_of[g->tests[o]];
  }
  sc->nouts = g->n;
  /* distinct literals: runs of equal (kind class, literal) */
  for(i = 0; i < g->n; i = j) {
    const struct sg_test *t = &s->tests[g->tests[i]];
    for(j = i + 1; j < g->n; j++) {
      const struct sg_test *u = &s->tests[g->tests[j]];
      if((u->kind == T_EQ) != (t->kind == T_EQ) || u->len != t->len ||
         memcmp(u->lit, t->lit, t->len))
        break;
    }
    if(t->kind == T_EQ)
      nex++;
    else
      npat++;
  }
  if(nex) {
    sc->excap = 16;
    while(sc->excap < nex * 2)
      sc->excap *= 2;
    sc->ex = rift_arena_zalloc(&s->arena, sc->excap * sizeof(*sc->ex));
    if(!sc->ex)
      return -1;
  }
  if(npat) {
    sc->pat_out = rift_arena_alloc(&s->arena, 2 * npat * sizeof(uint32_t));
    sc->pat_len = rift_arena_alloc(&s->arena, npat * sizeof(uint32_t));
    pats = malloc(npat * sizeof(*pats));
    plens = malloc(npat * sizeof(*plens));
    if(!sc->pat_out || !sc->pat_len || !pats || !plens) {
      free(pats);
      free(plens);
      return -1;
    }
  }
  npat = 0;
  for(i = 0; i < g->n; i = j) {
    const struct sg_test *t = &s->tests[g->tests[i]];
    for(j = i + 1; j < g->n; j++) {
      const struct sg_test *u = &s->tests[g->tests[j]];
      if((u->kind == T_EQ) != (t->kind == T_EQ) || u->len != t->len ||
         memcmp(u->lit, t->lit, t->len))
        break;
    }
    if(t->kind == T_EQ) {
      uint64_t h = lhash(t->lit, t->len);
      uint32_t slot = (uint32_t)h & (sc->excap - 1);
      while(sc->ex[slot].lit)
        slot = (slot + 1) & (sc->excap - 1);
      sc->ex[slot].h = h;
      sc->ex[slot].lit = t->lit;
      sc->ex[slot].len = t->len;
      sc->ex[slot].out = i;
      sc->ex[slot].nout = j - i;
    }
    else {
      sc->pat_out[2 * npat] = i;
      sc->pat_out[2 * npat + 1] = j - i;
      sc->pat_len[npat] = t->len;
      pats[npat] = t->lit;
      plens[npat++] = t->len;
    }
  }
  if(npat) {
    /* keys often share a field's literals: build each automaton once */
    struct rift_buf key;
    union rift_hval *v;
    int isnew;
    rift_buf_init(&key, (size_t)1 << 30);
    for(i = 0; i < npat; i++) {
      rift_buf_add(&key, &plens[i], sizeof(plens[i]));
      rift_buf_add(&key, pats[i], plens[i]);
    }
    if(key.err || rift_hmap_put(&s->acidx, key.buf, key.len, &v, &isnew)) {
      rift_buf_release(&key);
      free(pats);
      free(plens);
      return -1;
    }
    rift_buf_release(&key);
    if(isnew) {
      struct sg_ac *ac = sg_ac_build(pats, plens, npat);
      if(!ac || grow(s, (void **)&s->acs, &s->capacs, s->nacs + 1,
                     sizeof(*s->acs))) {
        sg_ac_free(ac);
        free(pats);
        free(plens);
        return -1;
      }
      s->acbytes += sg_ac_size(ac);
      v->u = s->nacs;
      s->acs[s->nacs++] = ac;
      s->npatterns += npat;
    }
    sc->ac = s->acs[v->u];
    free(pats);
    free(plens);
  }
  return 0;
}

static int build_key(struct rift_sigma *s, struct sg_key *k,
                     const struct tset *needs)
{
  uint32_t *tests = NULL, nt = 0, capt = 0, i, j;
  uint32_t *ntrig_of = NULL, *trig_base = NULL;
  struct fgroup *groups = NULL;
  uint32_t ng = 0, capg = 0;
  uint32_t *cnt = NULL;
  int rc = -1;

  /* tests of the key's entries */
  for(i = 0; i < k->nentries; i++) {
    if(collect_tests(s, s->entries[k->entries[i]].root, &tests, &nt, &capt, 0))
      goto out;
  }
  if(nt)
    qsort(tests, nt, sizeof(*tests), u32_cmp);
  for(i = j = 0; i < nt; i++) {
    if(!j || tests[j - 1] != tests[i])
      tests[j++] = tests[i];
  }
  nt = j;
  /* trigger lists: per test, entries triggered */
  ntrig_of = calloc(s->ntests + 1, sizeof(uint32_t));
  trig_base = calloc(s->ntests + 1, sizeof(uint32_t));
  cnt = calloc(s->ntests + 1, sizeof(uint32_t));
  if(!ntrig_of || !trig_base || !cnt)
    goto out;
  k->always = rift_arena_alloc(&s->arena, (k->nentries + 1) * sizeof(uint32_t));
  if(!k->always)
    goto out;
  for(i = 0; i < k->nentries; i++) {
    const struct tset *ts = &needs[k->entries[i]];
    if(ts->any) {
      k->always[k->nalways++] = k->entries[i];
      continue;
    }
    for(j = 0; j < ts->n; j++)
      ntrig_of[ts->v[j]]++;
  }
  {
    uint32_t total = 0;
    for(i = 0; i < nt; i++) {
      trig_base[tests[i]] = total;
      total += ntrig_of[tests[i]];
    }
    k->trig = rift_arena_alloc(&s->arena, (total + 1) * sizeof(uint32_t));
    if(!k->trig)
      goto out;
    k->ntrig = total;
    for(i = 0; i < k->nentries; i++) {
      const struct tset *ts = &needs[k->entries[i]];
      if(ts->any)
        continue;
      for(j = 0; j < ts->n; j++) {
        uint32_t t = ts->v[j], q, dup = 0;
        for(q = 0; q < cnt[t]; q++)
          dup |= k->trig[trig_base[t] + q] == k->entries[i];
        if(!dup)
          k->trig[trig_base[t] + cnt[t]++] = k->entries[i];
      }
    }
    for(i = 0; i < nt; i++)
      ntrig_of[tests[i]] = cnt[tests[i]];
  }
  /* group tests by field */
  for(i = 0; i < nt; i++) {
    const struct sg_test *t = &s->tests[tests[i]];
    uint32_t f, nf = t->nf ? t->nf : 1;
    static const uint32_t any = 0;   /* keywords: every value */
    for(f = 0; f < nf; f++) {
      uint32_t fld = t->nf ? t->f[f] : any;
      struct fgroup *g = NULL;
      uint32_t q;
      for(q = 0; q < ng; q++) {
        if(groups[q].field == fld) {
          g = &groups[q];
          break;
        }
      }
      if(!g) {
        if(ng == capg) {
          uint32_t ncap = capg ? capg * 2 : 16;
          struct fgroup *n2 = realloc(groups, ncap * sizeof(*n2));
          if(!n2)
            goto out;
          groups = n2;
          capg = ncap;
        }
        g = &groups[ng++];
        memset(g, 0, sizeof(*g));
        g->field = fld;
      }
      if(g->n == g->cap) {
        uint32_t ncap = g->cap ? g->cap * 2 : 16;
        uint32_t *n2 = realloc(g->tests, ncap * sizeof(*n2));
        if(!n2)
          goto out;
        g->tests = n2;
        g->cap = ncap;
      }
      g->tests[g->n++] = tests[i];
    }
  }
  k->scans = rift_arena_zalloc(&s->arena, (ng + 1) * sizeof(*k->scans));
  if(!k->scans)
    goto out;
  for(i = 0; i < ng; i++) {
    if(build_scan(s, &k->scans[i], &groups[i], ntrig_of, trig_base))
      goto out;
  }
  k->nscans = ng;
  k->ftcap = 8;
  while(k->ftcap < ng * 2)
    k->ftcap *= 2;
  k->ftab = rift_arena_zalloc(&s->arena, k->ftcap * sizeof(uint32_t));
  k->ftab_key = rift_arena_zalloc(&s->arena, k->ftcap * sizeof(uint32_t));
  if(!k->ftab || !k->ftab_key)
    goto out;
  for(i = 0; i < ng; i++) {
    uint32_t slot = (groups[i].field * 2654435761u) & (k->ftcap - 1);
    if(!groups[i].field) {
      uint32_t q;
      k->anyscan = &k->scans[i];
      /* can a keyword literal occur in the text of a number or boolean? */
      for(q = 0; q < groups[i].n && !k->any_numbers; q++) {
        const struct sg_test *t = &s->tests[groups[i].tests[q]];
        size_t c;
        int num = 1;
        for(c = 0; c < t->len && num; c++)
          num = strchr("0123456789.-+e", t->lit[c]) != NULL;
        if(num || (t->len <= 5 && (strstr("true", t->lit) ||
                                   strstr("false", t->lit))))
          k->any_numbers = 1;
      }
      continue;
    }
    while(k->ftab[slot])
      slot = (slot + 1) & (k->ftcap - 1);
    k->ftab[slot] = i + 1;
    k->ftab_key[slot] = groups[i].field;
  }
  rc = 0;
out:
  for(i = 0; i < ng; i++)
    free(groups[i].tests);
  free(groups);
  free(tests);
  free(ntrig_of);
  free(trig_base);
  free(cnt);
  return rc;
}

static uint32_t find_key(struct rift_sigma *s, const char *src, uint32_t id)
{
  char kb[600];
  union rift_hval *v;
  int n = snprintf(kb, sizeof(kb), "%s%c%u", src, 0, id);
  if(n <= 0 || (size_t)n >= sizeof(kb))
    return NONE;
  v = rift_hmap_get(&s->keyidx, kb, (size_t)n);
  return v ? (uint32_t)v->u : NONE;
}

static int add_key(struct rift_sigma *s, const char *src, uint32_t id,
                   uint32_t cap)
{
  char kb[600];
  union rift_hval *v;
  int isnew, n = snprintf(kb, sizeof(kb), "%s%c%u", src, 0, id);
  if(n <= 0 || (size_t)n >= sizeof(kb))
    return 0;
  if(rift_hmap_put(&s->keyidx, kb, (size_t)n, &v, &isnew))
    return -1;
  if(!isnew)
    return 0;
  if(s->nkeys == cap)
    return -1;
  memset(&s->keys[s->nkeys], 0, sizeof(s->keys[0]));
  s->keys[s->nkeys].src = src;
  s->keys[s->nkeys].id = id;
  v->u = s->nkeys++;
  return 0;
}

static int build_keys(struct rift_sigma *s, struct build *b)
{
  size_t i, j;
  uint32_t cap, k;
  struct tset *needs;
  if(b->nke)
    qsort(b->ke, b->nke, sizeof(*b->ke), kent_cmp);
  /* keys: every (src, id) and (src, any); channel x kind-wide ids */
  cap = (uint32_t)(2 * b->nke + 16);
  {
    /* kind-wide ids ("@evtx", id) must also exist for every channel */
    size_t nchan = 0, nkid = 0;
    for(i = 0; i < b->nke; i++) {
      if(b->ke[i].src[0] == '@' && b->ke[i].id != NONE)
        nkid++;
      if(b->ke[i].src[0] != '@')
        nchan++;
    }
    cap += (uint32_t)(nkid * (nchan + 1));
  }
  s->keys = rift_arena_zalloc(&s->arena, cap * sizeof(*s->keys));
  if(!s->keys)
    return -1;
  for(i = 0; i < b->nke; i++) {
    if(add_key(s, b->ke[i].src, b->ke[i].id, cap) ||
       add_key(s, b->ke[i].src, NONE, cap))
      return -1;
  }
  for(i = 0; i < b->nke; i++) {
    if(b->ke[i].src[0] != '@' || b->ke[i].id == NONE)
      continue;
    for(j = 0; j < b->nke; j++) {
      if(b->ke[j].src[0] != '@' &&
         add_key(s, b->ke[j].src, b->ke[i].id, cap))
        return -1;
    }
  }
  s->global_key = find_key(s, "@evtx", NONE);
  /* entries of each key: own + (src, any) + ("@evtx", id) + ("@evtx", any) */
  for(k = 0; k < s->nkeys; k++) {
    struct sg_key *key = &s->keys[k];
    uint32_t n = 0;
    uint32_t *list;
    const char *srcs[4];
    uint32_t ids[4], ns = 0, q;
    srcs[ns] = key->src;
    ids[ns++] = key->id;
    if(key->id != NONE) {
      srcs[ns] = key->src;
      ids[ns++] = NONE;
    }
    if(key->src[0] != '@') {
      if(key->id != NONE) {
        srcs[ns] = "@evtx";
        ids[ns++] = key->id;
      }
      srcs[ns] = "@evtx";
      ids[ns++] = NONE;
    }
    list = rift_arena_alloc(&s->arena, (b->nke + 1) * sizeof(uint32_t));
    if(!list)
      return -1;
    for(i = 0; i < b->nke; i++) {
      for(q = 0; q < ns; q++) {
        if(b->ke[i].id == ids[q] && !strcmp(b->ke[i].src, srcs[q])) {
          list[n++] = b->ke[i].entry;
          break;
        }
      }
    }
    if(n)
      qsort(list, n, sizeof(*list), u32_cmp);
    for(i = j = 0; i < n; i++) {
      if(!j || list[j - 1] != list[i])
        list[j++] = list[i];
    }
    key->entries = list;
    key->nentries = (uint32_t)j;
  }
  /* trigger sets, once per entry */
  needs = calloc(s->nentries + 1, sizeof(*needs));
  if(!needs)
    return -1;
  for(k = 0; k < s->nentries; k++)
    need(s, s->entries[k].root, &needs[k], 0);
  for(k = 0; k < s->nkeys; k++) {
    if(build_key(s, &s->keys[k], needs)) {
      free(needs);
      return -1;
    }
  }
  free(needs);
  if(getenv("RIFT_SIGMA_DEBUG")) {
    for(k = 0; k < s->nkeys; k++) {
      struct sg_key *key = &s->keys[k];
      uint32_t q, pats = 0;
      for(q = 0; q < key->nscans; q++)
        pats += key->scans[q].nouts;
      fprintf(stderr, "key %s/%d: %u entries, %u always, %u scans, %u outs\n",
              key->src, (int)key->id, key->nentries, key->nalways, key->nscans, pats);
      for(q = 0; q < key->nalways && q < 5; q++)
        fprintf(stderr, "   always: %s\n", s->rules[s->entries[key->always[q]].rule].pub.title);
    }
  }
  return 0;
}

/* ---- filters and the whole compile ------------------------------------------ */

static uint32_t find_rule(struct rift_sigma *s, const char *ref)
{
  size_t i;
  for(i = 0; i < s->nrules; i++) {
    const struct sg_rule *r = &s->rules[i];
    if(r->kind == SG_FILTER)
      continue;
    if((r->pub.id && !strcmp(r->pub.id, ref)) ||
       (r->pub.name && !strcmp(r->pub.name, ref)))
      return (uint32_t)i;
  }
  return NONE;
}

static int resolve_filters(struct rift_sigma *s)
{
  size_t i;
  uint32_t j;
  for(i = 0; i < s->nrules; i++) {
    struct sg_rule *f = &s->rules[i];
    if(f->kind != SG_FILTER || f->pub.state != RIFT_SIGMA_ACTIVE)
      continue;
    for(j = 0; j < f->filter->nrefs; j++) {
      uint32_t t = find_rule(s, f->filter->refs[j]);
      struct sg_rule *r;
      uint32_t *nf;
      if(t == NONE) {
        sg_rule_fail(s, f, RIFT_SIGMA_INVALID,
                     "filter refers to rule '%s', which is not loaded",
                     f->filter->refs[j]);
        break;
      }
      r = &s->rules[t];
      nf = rift_arena_alloc(&s->arena, (r->nfilters + 1) * sizeof(*nf));
      if(!nf)
        return -1;
      if(r->nfilters)
        memcpy(nf, r->filters, r->nfilters * sizeof(*nf));
      nf[r->nfilters++] = (uint32_t)i;
      r->filters = nf;
    }
  }
  return 0;
}

rift_err rift_sigma_compile(struct rift_sigma *s)
{
  struct build b;
  size_t i;
  rift_err rc = RIFT_OK;
  if(s->compiled)
    return RIFT_INVALID;
  s->compiled = 1;
  memset(&b, 0, sizeof(b));
  s->f_channel = RIFT_F_WINLOG_CHANNEL;
  s->f_event_id = RIFT_F_WINLOG_EVENT_ID;
  if(resolve_filters(s))
    return RIFT_NOMEM;
  for(i = 0; i < s->nrules; i++) {
    struct sg_rule *r = &s->rules[i];
    if(r->kind != SG_DETECTION || r->pub.state != RIFT_SIGMA_ACTIVE)
      continue;
    if(compile_rule(s, &b, (uint32_t)i)) {
      rc = RIFT_NOMEM;
      goto out;
    }
  }
  /* filters whose rules are all inactive do nothing: say so */
  for(i = 0; i < s->nrules; i++) {
    struct sg_rule *f = &s->rules[i];
    if(f->kind == SG_FILTER && f->pub.state == RIFT_SIGMA_ACTIVE &&
       f->filter) {
      uint32_t j, live = 0;
      for(j = 0; j < f->filter->nrefs; j++) {
        uint32_t t = find_rule(s, f->filter->refs[j]);
        live += t != NONE && s->rules[t].pub.state == RIFT_SIGMA_ACTIVE;
      }
      if(!live)
        sg_rule_fail(s, f, RIFT_SIGMA_UNSUPPORTED,
                     "none of the rules it filters is active");
    }
  }
  if(sg_corr_resolve(s) < 0) {
    rc = RIFT_NOMEM;
    goto out;
  }
  if(build_keys(s, &b))
    rc = RIFT_NOMEM;
  atomic_fetch_add(&sg_canon_gen, 1);
out:
  free(b.ke);
  return rc;
}

void rift_sigma_get_stats(const struct rift_sigma *s,
                          struct rift_sigma_stats *st)
{
  size_t i;
  memset(st, 0, sizeof(*st));
  st->rules = s->nrules;
  for(i = 0; i < s->nrules; i++) {
    const struct sg_rule *r = &s->rules[i];
    switch(r->pub.state) {
    case RIFT_SIGMA_ACTIVE: st->active++; break;
    case RIFT_SIGMA_UNSUPPORTED: st->unsupported++; break;
    default: st->invalid++; break;
    }
    st->correlations += r->kind == SG_CORRELATION;
    st->filters += r->kind == SG_FILTER;
  }
  st->entries = s->nentries;
  st->tests = s->ntests;
  st->keys = s->nkeys;
  st->patterns = s->npatterns;
  st->regexes = s->nregex;
}
