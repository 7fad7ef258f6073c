/*
 * match.c - one event against the compiled rule set (thread-safe: all
 * per-event state is in the caller's scratch).
 *
 *   1. the event's (channel, event id) selects a key (compile.c);
 *   2. each field value the key has a scanner for is read once: a hash
 *      lookup for equality literals and one automaton pass for prefix,
 *      suffix and substring literals mark the literal tests that hold and
 *      wake the rule variants they trigger;
 *   3. woken variants and the key's always-evaluated ones run their trees;
 *      other tests (globs, regexes, CIDR, numbers, field references...)
 *      are evaluated on first use and cached for the event.
 * Test and variant marks are generation stamps, so nothing is cleared
 * between events.
 */
#include <arpa/inet.h>
#include <stdatomic.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/field.h"
#include "core/rtime.h"
#include "detect/sigma/sigma-int.h"

#define NONE UINT32_MAX
#define MAX_VIRT 6
#define RE_MATCH_LIMIT 1000000
#define RE_DEPTH_LIMIT 10000

/* One thread's, rewritten for every event: cache-line aligned so that two
 * threads' scratches never share a line. */
struct rift_sigma_scratch {
  _Alignas(64) const struct rift_sigma *s;
  uint32_t stamp;
  uint32_t *tstamp;       /* scanned test true in this event */
  uint32_t *lstamp;       /* on-demand test evaluated in this event */
  uint8_t *lval;          /* ... and its value */
  uint32_t *estamp;       /* entry queued */
  uint32_t *rstamp;       /* rule matched */
  uint32_t *cand;
  uint32_t ncand;
  pcre2_match_data *md;
  pcre2_match_context *mc;
  pcre2_jit_stack *js;
  /* the event being matched */
  const struct rift_event *ev;
  struct rift_field virt[MAX_VIRT];
  uint32_t nvirt;
  const struct sg_key *key;
  /* the last event's (channel, event id) and key: events of a chunk
   * mostly share them */
  char last_ch[200];
  size_t last_chlen;
  uint32_t last_id;
  const struct sg_key *last_key;
  int last_valid;
};

rift_err rift_sigma_scratch_new(const struct rift_sigma *s,
                                struct rift_sigma_scratch **out)
{
  struct rift_sigma_scratch *c =
    aligned_alloc(_Alignof(struct rift_sigma_scratch), sizeof(*c));
  size_t nt = s->ntests + 1, ne = s->nentries + 1, nr = s->nrules + 1;
  if(!c)
    return RIFT_NOMEM;
  memset(c, 0, sizeof(*c));
  c->s = s;
  c->tstamp = calloc(nt, sizeof(uint32_t));
  c->lstamp = calloc(nt, sizeof(uint32_t));
  c->lval = calloc(nt, 1);
  c->estamp = calloc(ne, sizeof(uint32_t));
  c->cand = calloc(ne, sizeof(uint32_t));
  c->rstamp = calloc(nr, sizeof(uint32_t));
  c->md = pcre2_match_data_create(1, NULL);
  c->mc = pcre2_match_context_create(NULL);
  c->js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
  if(!c->tstamp || !c->lstamp || !c->lval || !c->estamp || !c->cand ||
     !c->rstamp || !c->md || !c->mc) {
    rift_sigma_scratch_free(&c);
    return RIFT_NOMEM;
  }
  pcre2_set_match_limit(c->mc, RE_MATCH_LIMIT);
  pcre2_set_depth_limit(c->mc, RE_DEPTH_LIMIT);
  if(c->js)
    pcre2_jit_stack_assign(c->mc, NULL, c->js);
  *out = c;
  return RIFT_OK;
}

void rift_sigma_scratch_free(struct rift_sigma_scratch **cp)
{
  struct rift_sigma_scratch *c = *cp;
  if(!c)
    return;
  free(c->tstamp);
  free(c->lstamp);
  free(c->lval);
  free(c->estamp);
  free(c->cand);
  free(c->rstamp);
  if(c->md)
    pcre2_match_data_free(c->md);
  if(c->mc)
    pcre2_match_context_free(c->mc);
  if(c->js)
    pcre2_jit_stack_free(c->js);
  free(c);
  *cp = NULL;
}

/* ---- field names ---------------------------------------------------------------- */

/* Sigma names fields "as they appear in the log source with all spaces
 * stripped" (Defender's "Threat Name" is ThreatName).  A field whose name
 * has spaces is read under its stripped name; the mapping id -> id is
 * cached for the process (field names never change). */
static _Atomic uint64_t canon_cache[RIFT_FIELDS_MAX];
/* bumped by every compile: names interned since may change the answer */
_Atomic uint32_t sg_canon_gen = 1;

static uint32_t canon_slow(uint32_t id, uint64_t gen)
{
  size_t n, i, o = 0;
  const char *name = rift_field_name(id, &n);
  char buf[512];
  uint32_t c = id;
  if(memchr(name, ' ', n) && n < sizeof(buf)) {
    for(i = 0; i < n; i++) {
      if(name[i] != ' ')
        buf[o++] = name[i];
    }
    c = rift_field_find(buf, o);
    if(!c)
      c = id;
  }
  atomic_store_explicit(&canon_cache[id], gen << 32 | c, memory_order_relaxed);
  return c;
}

static inline uint32_t canon(uint32_t id)
{
  uint64_t c, gen;
  if(id >= RIFT_FIELDS_MAX)
    return id;
  gen = atomic_load_explicit(&sg_canon_gen, memory_order_relaxed);
  c = atomic_load_explicit(&canon_cache[id], memory_order_relaxed);
  return c >> 32 == gen ? (uint32_t)c : canon_slow(id, gen);
}

/* ---- values ----------------------------------------------------------------- */

static int in_set(uint32_t id, const uint32_t *f, uint32_t nf)
{
  uint32_t i;
  for(i = 0; i < nf; i++) {
    if(f[i] == id)
      return 1;
  }
  return 0;
}

/* The next value of a field in f (any field if nf == 0), from *i on. */
static const struct rift_field *next_val(const struct rift_sigma_scratch *c,
                                         uint32_t *i, const uint32_t *f,
                                         uint32_t nf)
{
  uint32_t n = c->ev->nf + c->nvirt;
  while(*i < n) {
    const struct rift_field *fl = *i < c->ev->nf ? &c->ev->f[*i]
                                                 : &c->virt[*i - c->ev->nf];
    (*i)++;
    if(!nf || in_set(canon(fl->id), f, nf))
      return fl;
  }
  return NULL;
}

static const char *text(const struct rift_value *v, char *tmp, size_t *len)
{
  return rift_value_str(v, tmp, len);
}

static int ieq_n(const char *a, const char *lit, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    if(sg_lower[(uint8_t)a[i]] != (uint8_t)lit[i])
      return 0;
  }
  return 1;
}

/* ---- scanning ---------------------------------------------------------------- */

static void fire(struct rift_sigma_scratch *c, const struct sg_out *o)
{
  uint32_t q;
  if(c->tstamp[o->test] == c->stamp)
    return;
  c->tstamp[o->test] = c->stamp;
  for(q = 0; q < o->ntrig; q++) {
    uint32_t e = c->key->trig[o->trig + q];
    if(c->estamp[e] != c->stamp) {
      c->estamp[e] = c->stamp;
      c->cand[c->ncand++] = e;
    }
  }
}

struct acarg {
  struct rift_sigma_scratch *c;
  const struct sg_scan *sc;
  const char *t;
  size_t n;
};

static void on_hit(void *arg, uint32_t pat, size_t end)
{
  struct acarg *a = arg;
  const struct sg_scan *sc = a->sc;
  uint32_t first = sc->pat_out[2 * pat], cnt = sc->pat_out[2 * pat + 1], i;
  uint32_t plen = sc->pat_len[pat];
  for(i = first; i < first + cnt; i++) {
    const struct sg_out *o = &sc->outs[i];
    if(o->kind == T_PREFIX && end != plen)
      continue;
    if(o->kind == T_SUFFIX && end != a->n)
      continue;
    if(o->cased &&
       memcmp(a->t + end - plen, a->c->s->tests[o->test].orig, plen))
      continue;
    fire(a->c, o);
  }
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

static void scan_value(struct rift_sigma_scratch *c, const struct sg_scan *sc,
                       const char *t, size_t n)
{
  if(sc->excap) {
    uint64_t h = lhash(t, n);
    uint32_t slot = (uint32_t)h & (sc->excap - 1);
    while(sc->ex[slot].lit) {
      const struct sg_exact *x = &sc->ex[slot];
      if(x->h == h && x->len == n && ieq_n(t, x->lit, n)) {
        uint32_t i;
        for(i = x->out; i < x->out + x->nout; i++) {
          const struct sg_out *o = &sc->outs[i];
          if(o->cased && memcmp(t, c->s->tests[o->test].orig, n))
            continue;
          fire(c, o);
        }
        break;
      }
      slot = (slot + 1) & (sc->excap - 1);
    }
  }
  if(sc->ac) {
    struct acarg a = { c, sc, t, n };
    sg_ac_scan(sc->ac, t, n, on_hit, &a);
  }
}

static const struct sg_scan *scan_of(const struct sg_key *k, uint32_t id)
{
  uint32_t slot = (id * 2654435761u) & (k->ftcap - 1);
  while(k->ftab[slot]) {
    if(k->ftab_key[slot] == id)
      return &k->scans[k->ftab[slot] - 1];
    slot = (slot + 1) & (k->ftcap - 1);
  }
  return NULL;
}

/* ---- on-demand tests ----------------------------------------------------------- */

static int eval_test(struct rift_sigma_scratch *c, uint32_t t);

static int num_of(const struct rift_value *v, double *out)
{
  char *end;
  switch(v->type) {
  case RIFT_V_INT: *out = (double)v->i; return 1;
  case RIFT_V_UINT: *out = (double)v->u; return 1;
  case RIFT_V_FLOAT: *out = v->f; return 1;
  case RIFT_V_BOOL: *out = v->b; return 1;
  case RIFT_V_STR:
    if(!v->len)
      return 0;
    *out = strtod(v->s, &end);
    return end == v->s + v->len;
  default:
    return 0;
  }
}

static int cmp(double a, uint8_t op, double b)
{
  switch(op) {
  case SG_GT: return a > b;
  case SG_GTE: return a >= b;
  case SG_LT: return a < b;
  case SG_LTE: return a <= b;
  case SG_EQ: return a == b;
  default: return a != b;
  }
}

static int iso_week(int64_t y, unsigned m, unsigned d)
{
  int64_t days = rift_days_from_civil(y, m, d);
  int64_t jan1 = rift_days_from_civil(y, 1, 1);
  int wd = (int)(((days + 3) % 7 + 7) % 7) + 1;   /* 1 = Monday */
  int64_t ordinal = days - jan1 + 1;
  int64_t w = (ordinal - wd + 10) / 7;
  if(w < 1) {
    int64_t py = y - 1;
    int64_t pj = rift_days_from_civil(py, 1, 1);
    int pwd = (int)(((pj + 3) % 7 + 7) % 7) + 1;
    int leap = (py % 4 == 0 && py % 100 != 0) || py % 400 == 0;
    return pwd == 4 || (leap && pwd == 3) ? 53 : 52;
  }
  if(w == 53) {
    int jwd = (int)(((jan1 + 3) % 7 + 7) % 7) + 1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if(!(jwd == 4 || (leap && jwd == 3)))
      return 1;
  }
  return (int)w;
}

static int time_part(const struct rift_value *v, uint8_t part, double *out)
{
  int64_t ns;
  struct rift_tm tm;
  if(v->type == RIFT_V_STR) {
    if(rift_time_parse(v->s, v->len, &ns))
      return 0;
  }
  else if(v->type == RIFT_V_INT || v->type == RIFT_V_UINT) {
    ns = v->type == RIFT_V_INT ? v->i : (int64_t)v->u; /* already ns */
  }
  else {
    return 0;
  }
  rift_time_split(ns, &tm);
  switch(part) {
  case TP_MINUTE: *out = tm.min; break;
  case TP_HOUR: *out = tm.hour; break;
  case TP_DAY: *out = tm.day; break;
  case TP_WEEK: *out = iso_week(tm.year, tm.mon, tm.day); break;
  case TP_MONTH: *out = tm.mon; break;
  default: *out = (double)tm.year; break;
  }
  return 1;
}

static int cidr_match(const struct sg_test *t, const char *s, size_t n)
{
  char buf[64];
  uint8_t a[16];
  uint32_t bits = t->bits, i;
  if(n >= sizeof(buf))
    return 0;
  memcpy(buf, s, n);
  buf[n] = 0;
  if(inet_pton(t->fam == 4 ? AF_INET : AF_INET6, buf, a) != 1) {
    /* "::ffff:1.2.3.4" for an IPv4 network */
    if(t->fam == 4 && n > 7 && !strncasecmp(buf, "::ffff:", 7) &&
       inet_pton(AF_INET, buf + 7, a) == 1)
      goto cmp;
    return 0;
  }
cmp:
  for(i = 0; i < bits / 8; i++) {
    if(a[i] != t->addr[i])
      return 0;
  }
  if(bits % 8) {
    uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));
    if((a[i] & mask) != (t->addr[i] & mask))
      return 0;
  }
  return 1;
}

static int re_match(struct rift_sigma_scratch *c, const struct sg_test *t,
                    const char *s, size_t n)
{
  int rc = pcre2_match(t->re, (PCRE2_SPTR)s, n, 0, 0, c->md, c->mc);
  return rc >= 0;
}

static const struct rift_value *first_of(struct rift_sigma_scratch *c,
                                         const uint32_t *f, uint32_t nf)
{
  const struct rift_field *fl;
  uint32_t it;
  for(it = 0; (fl = next_val(c, &it, f, nf));)
  {
    if(fl->v.type != RIFT_V_NULL)
      return &fl->v;
  }
  return NULL;
}

static int fieldref(struct rift_sigma_scratch *c, const struct sg_test *t)
{
  const struct rift_value *a = first_of(c, t->f, t->nf);
  const struct rift_value *b = first_of(c, t->rf, t->nrf);
  char ta[32], tb[32];
  size_t la, lb, i;
  const char *sa, *sb;
  if(!a || !b)
    return 0;
  sa = text(a, ta, &la);
  sb = text(b, tb, &lb);
  if(!sa || !sb || lb > la)
    return 0;
  switch(t->op) {
  case FR_EQ:
    if(la != lb)
      return 0;
    break;
  case FR_PREFIX:
    break;
  case FR_SUFFIX:
    sa += la - lb;
    break;
  default:
    for(i = 0; i + lb <= la; i++) {
      size_t k;
      for(k = 0; k < lb; k++) {
        uint8_t x = (uint8_t)sa[i + k], y = (uint8_t)sb[k];
        if(t->cased ? x != y : sg_lower[x] != sg_lower[y])
          break;
      }
      if(k == lb)
        return 1;
    }
    return 0;
  }
  for(i = 0; i < lb; i++) {
    uint8_t x = (uint8_t)sa[i], y = (uint8_t)sb[i];
    if(t->cased ? x != y : sg_lower[x] != sg_lower[y])
      return 0;
  }
  return 1;
}

static int eval_lazy(struct rift_sigma_scratch *c, const struct sg_test *t)
{
  const struct rift_field *fl;
  uint32_t it;
  char tmp[32];
  size_t n;
  const char *s;
  int present = 0;
  double d;
  switch(t->kind) {
  case T_FIELDREF:
    return fieldref(c, t);
  case T_GLOB:
    if(t->piece != NONE && c->tstamp[t->piece] != c->stamp)
      return 0;
    break;
  default:
    break;
  }
  for(it = 0; (fl = next_val(c, &it, t->f, t->nf));)
  {
    const struct rift_value *v = &fl->v;
    present = 1;
    switch(t->kind) {
    case T_EXISTS:
      return t->op;
    case T_NULL:
      if(v->type != RIFT_V_NULL && !(v->type == RIFT_V_STR && !v->len))
        return 0;
      break;
    case T_EMPTY:
      if(v->type == RIFT_V_NULL || (v->type == RIFT_V_STR && !v->len))
        return 1;
      break;
    case T_ANY:
      if(v->type != RIFT_V_NULL)
        return 1;
      break;
    case T_GLOB:
      s = text(v, tmp, &n);
      if(s && sg_glob(t->lit, t->mask, t->len, s, n, t->cased))
        return 1;
      break;
    case T_RE:
      s = text(v, tmp, &n);
      if(s && re_match(c, t, s, n))
        return 1;
      break;
    case T_CIDR:
      s = text(v, tmp, &n);
      if(s && cidr_match(t, s, n))
        return 1;
      break;
    case T_CMP:
      if(num_of(v, &d) && cmp(d, t->op, t->num))
        return 1;
      break;
    case T_TIME:
      if(time_part(v, t->op, &d) && d == t->num)
        return 1;
      break;
    default:
      break;
    }
  }
  switch(t->kind) {
  case T_EXISTS:
    return !t->op && !present;
  case T_NULL:
    return 1;
  default:
    return 0;
  }
}

static int eval_test(struct rift_sigma_scratch *c, uint32_t id)
{
  const struct sg_test *t = &c->s->tests[id];
  int v;
  if(SG_SCANNED(t->kind))
    return c->tstamp[id] == c->stamp;
  if(c->lstamp[id] == c->stamp)
    return c->lval[id];
  v = eval_lazy(c, t);
  c->lstamp[id] = c->stamp;
  c->lval[id] = (uint8_t)v;
  return v;
}

static int eval(struct rift_sigma_scratch *c, uint32_t node)
{
  const struct rift_sigma *s = c->s;
  const struct sg_node *n = &s->nodes[node];
  uint32_t i, hits;
  switch(n->op) {
  case N_TEST:
    return eval_test(c, n->a);
  case N_AND:
    for(i = 0; i < n->n; i++) {
      if(!eval(c, s->kids[n->a + i]))
        return 0;
    }
    return 1;
  case N_OR:
    for(i = 0; i < n->n; i++) {
      if(eval(c, s->kids[n->a + i]))
        return 1;
    }
    return 0;
  case N_NOT:
    return !eval(c, n->a);
  case N_CONST:
    return n->val;
  case N_ATLEAST:
    for(i = hits = 0; i < n->n; i++) {
      hits += (uint32_t)eval(c, s->kids[n->a + i]);
      if(hits >= n->k)
        return 1;
    }
    return 0;
  }
  return 0;
}

/* ---- the event ----------------------------------------------------------------- */

static const struct sg_key *key_lookup(const struct rift_sigma *s,
                                       const struct rift_event *ev,
                                       const struct rift_value *ch,
                                       uint32_t id);

static const struct sg_key *key_of(const struct rift_sigma *s,
                                   struct rift_sigma_scratch *c,
                                   const struct rift_event *ev)
{
  const struct rift_value *ch, *eid;
  uint32_t id = NONE;
  const struct sg_key *k;
  if(ev->kind != RIFT_KIND_EVTX)
    return key_lookup(s, ev, NULL, NONE);
  ch = rift_event_get(ev, s->f_channel);
  eid = rift_event_get(ev, s->f_event_id);
  if(eid) {
    if(eid->type == RIFT_V_UINT && eid->u < NONE)
      id = (uint32_t)eid->u;
    else if(eid->type == RIFT_V_STR) {
      char *end;
      unsigned long u = strtoul(eid->s, &end, 10);
      if(end != eid->s && !*end && u < NONE)
        id = (uint32_t)u;
    }
  }
  if(ch && ch->type == RIFT_V_STR && ch->len < sizeof(c->last_ch) &&
     c->last_valid && id == c->last_id && ch->len == c->last_chlen &&
     !memcmp(ch->s, c->last_ch, ch->len))
    return c->last_key;
  k = key_lookup(s, ev, ch, id);
  if(ch && ch->type == RIFT_V_STR && ch->len < sizeof(c->last_ch)) {
    memcpy(c->last_ch, ch->s, ch->len);
    c->last_chlen = ch->len;
    c->last_id = id;
    c->last_key = k;
    c->last_valid = 1;
  }
  return k;
}

static const struct sg_key *key_lookup(const struct rift_sigma *s,
                                       const struct rift_event *ev,
                                       const struct rift_value *ch,
                                       uint32_t id)
{
  char kb[300];
  size_t n = 0, i;
  union rift_hval *v;
  int k;
  static const char *const any = "4294967295";
  if(ev->kind != RIFT_KIND_EVTX) {
    const char *kn = rift_kind_name(ev->kind);
    k = snprintf(kb, sizeof(kb), "@%s%c%s", kn, 0, any);
    v = k > 0 ? rift_hmap_get(&s->keyidx, kb, (size_t)k) : NULL;
    return v ? &s->keys[v->u] : NULL;
  }
  if(ch && ch->type == RIFT_V_STR && ch->len < 200) {
    for(i = 0; i < ch->len; i++)
      kb[i] = (char)sg_lower[(uint8_t)ch->s[i]];
    n = ch->len;
    kb[n++] = 0;
    if(id != NONE) {
      k = snprintf(kb + n, sizeof(kb) - n, "%u", id);
      v = rift_hmap_get(&s->keyidx, kb, n + (size_t)k);
      if(v)
        return &s->keys[v->u];
    }
    memcpy(kb + n, any, 10);
    v = rift_hmap_get(&s->keyidx, kb, n + 10);
    if(v)
      return &s->keys[v->u];
  }
  memcpy(kb, "@evtx", 6);
  n = 6;
  if(id != NONE) {
    k = snprintf(kb + n, sizeof(kb) - n, "%u", id);
    v = rift_hmap_get(&s->keyidx, kb, n + (size_t)k);
    if(v)
      return &s->keys[v->u];
  }
  memcpy(kb + n, any, 10);
  v = rift_hmap_get(&s->keyidx, kb, n + 10);
  return v ? &s->keys[v->u] : NULL;
}

static int u32cmp(const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

size_t rift_sigma_match(const struct rift_sigma *s,
                        struct rift_sigma_scratch *c,
                        const struct rift_event *ev, uint32_t *hits,
                        size_t max)
{
  const struct sg_key *k;
  size_t nh = 0, i;
  uint32_t q;
  if(!s->compiled || !s->nkeys)
    return 0;
  k = key_of(s, c, ev);
  if(!k || !k->nentries)
    return 0;
  if(++c->stamp == 0) {
    /* wrapped: forget every old mark */
    memset(c->tstamp, 0, (s->ntests + 1) * sizeof(uint32_t));
    memset(c->lstamp, 0, (s->ntests + 1) * sizeof(uint32_t));
    memset(c->estamp, 0, (s->nentries + 1) * sizeof(uint32_t));
    memset(c->rstamp, 0, (s->nrules + 1) * sizeof(uint32_t));
    c->stamp = 1;
  }
  c->ev = ev;
  c->key = k;
  c->ncand = 0;
  c->nvirt = 0;
  /* fields rift keeps as event members */
  if(ev->kind == RIFT_KIND_EVTX && !rift_event_get(ev, RIFT_F_WINLOG_RECORD_ID)) {
    c->virt[c->nvirt].id = RIFT_F_WINLOG_RECORD_ID;
    c->virt[c->nvirt].v.type = RIFT_V_UINT;
    c->virt[c->nvirt++].v.u = ev->record_id;
  }
  if(ev->message && !rift_event_get(ev, RIFT_F_MESSAGE)) {
    c->virt[c->nvirt].id = RIFT_F_MESSAGE;
    c->virt[c->nvirt].v.type = RIFT_V_STR;
    c->virt[c->nvirt].v.s = ev->message;
    c->virt[c->nvirt++].v.len = (uint32_t)strlen(ev->message);
  }
  if(ev->host && !rift_event_get(ev, RIFT_F_HOST_NAME)) {
    c->virt[c->nvirt].id = RIFT_F_HOST_NAME;
    c->virt[c->nvirt].v.type = RIFT_V_STR;
    c->virt[c->nvirt].v.s = ev->host;
    c->virt[c->nvirt++].v.len = (uint32_t)strlen(ev->host);
  }
  if(k->nscans) {
    for(i = 0; i < (size_t)ev->nf + c->nvirt; i++) {
      const struct rift_field *fl = i < ev->nf ? &ev->f[i] : &c->virt[i - ev->nf];
      const struct sg_scan *sc = scan_of(k, canon(fl->id));
      char tmp[32];
      size_t n;
      const char *t;
      int kw = k->anyscan && (fl->v.type == RIFT_V_STR || k->any_numbers);
      if(!sc && !kw)
        continue;
      t = text(&fl->v, tmp, &n);
      if(!t)
        continue;
      if(sc)
        scan_value(c, sc, t, n);
      if(kw)
        scan_value(c, k->anyscan, t, n);   /* keywords */
    }
  }
  for(q = 0; q < k->nalways + c->ncand; q++) {
    uint32_t e = q < k->nalways ? k->always[q] : c->cand[q - k->nalways];
    const struct sg_entry *en = &s->entries[e];
    if(c->rstamp[en->rule] == c->stamp)
      continue;
    if(eval(c, en->root)) {
      c->rstamp[en->rule] = c->stamp;
      if(nh < max)
        hits[nh] = en->rule;
      nh++;
    }
  }
  if(nh > 1)
    qsort(hits, nh < max ? nh : max, sizeof(*hits), u32cmp);
  return nh;
}
