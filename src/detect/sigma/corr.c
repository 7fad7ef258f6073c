/*
 * corr.c - findings and Sigma correlation rules.
 *
 * rift_sigma_run_event() turns each match of a visible rule into a
 * finding at once, in input order.  Matches of rules that correlations
 * read are also kept as small records (time, event reference, the field
 * values the correlations group or count by, strings interned).  At the
 * end, rift_sigma_run_finish() evaluates the correlations in dependency
 * order: records are grouped by the group-by values, sorted by time, and
 *   event_count / value_count / value_sum   slide a window of `timespan`
 *       over each group and fire when the condition holds, when the
 *       condition only has lower bounds (gt, gte); the finding takes in
 *       every event up to `timespan` after the window's first, and the
 *       next window starts after them; with upper bounds (lt, lte, eq, neq) and for value_avg
 *       the group is cut into consecutive windows of `timespan` from its
 *       first event and each window is tested once;
 *   temporal            fires when all referenced rules (or as many as
 *       the condition asks) matched within `timespan`;
 *   temporal_ordered    fires when they matched in the order listed.
 * A firing is a finding naming every event in its window, and a record
 * for correlations that chain on this one.
 */
#include <string.h>

#include "core/rtime.h"
#include "detect/sigma/sigma-int.h"

#define NONE UINT32_MAX
#define MAX_REFS 256           /* events named by one correlation finding */

/* ---- resolving references (at compile time) ---------------------------------- */

static uint32_t find_ref(struct rift_sigma *s, const char *ref)
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

/* Add a field the correlation needs from rule r's events. */
static int need_field(struct rift_sigma *s, struct sg_rule *r,
                      const char *name)
{
  uint32_t i, nf;
  struct sg_cfield *ncf;
  const uint32_t *f = NULL;
  for(i = 0; i < r->ncf; i++) {
    if(!strcmp(r->cf[i].name, name))
      return 0;
  }
  if(r->kind == SG_DETECTION) {
    f = sg_rule_field(s, r, name, &nf);
    if(!f)
      nf = 0;
  }
  else {
    nf = 0; /* a correlation's records carry its group-by values by name */
  }
  ncf = rift_arena_alloc(&s->arena, (r->ncf + 1) * sizeof(*ncf));
  if(!ncf)
    return -1;
  if(r->ncf)
    memcpy(ncf, r->cf, r->ncf * sizeof(*ncf));
  ncf[r->ncf].name = name;
  ncf[r->ncf].f = f;
  ncf[r->ncf].nf = nf;
  r->cf = ncf;
  r->ncf++;
  return 0;
}

/* The field name correlation k reads for group-by `g` in rule r's events
 * (aliases apply per rule name or id). */
static const char *alias_field(const struct sg_corr *k, const struct sg_rule *r,
                               const char *g)
{
  uint32_t i, j;
  for(i = 0; i < k->naliases; i++) {
    const struct sg_alias *a = &k->aliases[i];
    if(strcmp(a->alias, g))
      continue;
    for(j = 0; j < a->n; j++) {
      if((r->pub.name && !strcmp(a->rule[j], r->pub.name)) ||
         (r->pub.id && !strcmp(a->rule[j], r->pub.id)))
        return a->field[j];
    }
  }
  return g;
}

int sg_corr_resolve(struct rift_sigma *s)
{
  size_t i;
  uint32_t j, ncorr = 0, done = 0, pass;
  uint8_t *placed;
  for(i = 0; i < s->nrules; i++) {
    struct sg_rule *c = &s->rules[i];
    struct sg_corr *k = c->corr;
    if(c->kind != SG_CORRELATION || c->pub.state != RIFT_SIGMA_ACTIVE)
      continue;
    k->ref_rules = rift_arena_alloc(&s->arena, k->nrefs * sizeof(uint32_t));
    if(!k->ref_rules)
      return -1;
    for(j = 0; j < k->nrefs; j++) {
      uint32_t t = find_ref(s, k->refs[j]);
      if(t == NONE) {
        sg_rule_fail(s, c, RIFT_SIGMA_INVALID,
                     "correlation refers to rule '%s', which is not loaded",
                     k->refs[j]);
        break;
      }
      if(t == i) {
        sg_rule_fail(s, c, RIFT_SIGMA_INVALID, "correlation refers to itself");
        break;
      }
      k->ref_rules[j] = t;
    }
  }
  /* evaluation order; a correlation over an inactive rule is inactive */
  placed = calloc(s->nrules + 1, 1);
  s->corr_order = rift_arena_alloc(&s->arena, (s->nrules + 1) * sizeof(uint32_t));
  if(!placed || !s->corr_order) {
    free(placed);
    return -1;
  }
  for(i = 0; i < s->nrules; i++)
    ncorr += s->rules[i].kind == SG_CORRELATION &&
             s->rules[i].pub.state == RIFT_SIGMA_ACTIVE;
  for(pass = 0; pass <= ncorr; pass++) {
    for(i = 0; i < s->nrules; i++) {
      struct sg_rule *c = &s->rules[i];
      int ready = 1;
      if(c->kind != SG_CORRELATION || c->pub.state != RIFT_SIGMA_ACTIVE ||
         placed[i])
        continue;
      for(j = 0; j < c->corr->nrefs && ready; j++) {
        struct sg_rule *r = &s->rules[c->corr->ref_rules[j]];
        if(r->pub.state != RIFT_SIGMA_ACTIVE) {
          sg_rule_fail(s, c, RIFT_SIGMA_UNSUPPORTED,
                       "it correlates rule '%s', which is not active (%s)",
                       c->corr->refs[j], r->pub.reason ? r->pub.reason : "");
          ready = 0;
          placed[i] = 1;
        }
        else if(r->kind == SG_CORRELATION && !placed[c->corr->ref_rules[j]]) {
          ready = 0;
        }
      }
      if(ready && c->pub.state == RIFT_SIGMA_ACTIVE) {
        placed[i] = 2;
        c->corr->order = (int)done;
        s->corr_order[done++] = (uint32_t)i;
      }
    }
  }
  for(i = 0; i < s->nrules; i++) {
    struct sg_rule *c = &s->rules[i];
    if(c->kind == SG_CORRELATION && c->pub.state == RIFT_SIGMA_ACTIVE &&
       !placed[i])
      sg_rule_fail(s, c, RIFT_SIGMA_INVALID,
                   "correlations refer to each other in a cycle");
  }
  free(placed);
  /* what each correlation reads from its rules; hide base rules */
  s->ncorr = 0;
  for(j = 0; j < done; j++) {
    struct sg_rule *c = &s->rules[s->corr_order[j]];
    struct sg_corr *k = c->corr;
    uint32_t q, g;
    if(c->pub.state != RIFT_SIGMA_ACTIVE)
      continue;
    s->corr_order[s->ncorr++] = s->corr_order[j];
    for(q = 0; q < k->nrefs; q++) {
      struct sg_rule *r = &s->rules[k->ref_rules[q]];
      r->used_by_corr = 1;
      if(!k->generate)
        r->pub.hidden = 1;
      for(g = 0; g < k->ngroup; g++) {
        if(need_field(s, r, alias_field(k, r, k->group_by[g])))
          return -1;
      }
      for(g = 0; g < k->nfields; g++) {
        if(need_field(s, r, k->fields[g]))
          return -1;
      }
    }
  }
  /* a rule referenced with generate: true is visible after all */
  for(j = 0; j < s->ncorr; j++) {
    struct sg_corr *k = s->rules[s->corr_order[j]].corr;
    uint32_t q;
    if(!k->generate)
      continue;
    for(q = 0; q < k->nrefs; q++)
      s->rules[k->ref_rules[q]].pub.hidden = 0;
  }
  return 0;
}

/* ---- the run ------------------------------------------------------------------- */

struct crec {
  uint32_t rule;
  uint32_t seq;
  int64_t ts;
  struct rift_event_ref ref;
  const char *host;
  const char **vals;   /* per rule->cf, interned, NULL if absent */
  uint32_t nsub;       /* correlation records: events named */
  const struct rift_event_ref *sub;
};

struct rift_sigma_run {
  const struct rift_sigma *s;
  struct rift_sigma_run_opts o;
  uint64_t *counts;
  struct rift_arena arena;
  struct rift_hmap strs;    /* interned strings */
  struct crec *rec;
  size_t nrec, caprec;
  uint64_t dropped;
  uint32_t seq;
};

rift_err rift_sigma_run_new(const struct rift_sigma *s,
                            const struct rift_sigma_run_opts *o,
                            struct rift_sigma_run **out)
{
  struct rift_sigma_run *r = calloc(1, sizeof(*r));
  if(!r)
    return RIFT_NOMEM;
  r->s = s;
  r->o = *o;
  r->counts = calloc(s->nrules + 1, sizeof(uint64_t));
  if(!r->counts) {
    free(r);
    return RIFT_NOMEM;
  }
  rift_arena_init(&r->arena, (size_t)4 << 30);
  rift_hmap_init(&r->strs, 1u << 26);
  *out = r;
  return RIFT_OK;
}

void rift_sigma_run_free(struct rift_sigma_run **rp)
{
  struct rift_sigma_run *r = *rp;
  if(!r)
    return;
  free(r->counts);
  free(r->rec);
  rift_hmap_release(&r->strs);
  rift_arena_release(&r->arena);
  free(r);
  *rp = NULL;
}

uint64_t rift_sigma_run_dropped(const struct rift_sigma_run *run)
{
  return run->dropped;
}

uint64_t rift_sigma_run_count(const struct rift_sigma_run *run, size_t rule)
{
  return rule < run->s->nrules ? run->counts[rule] : 0;
}

static const char *intern(struct rift_sigma_run *r, const char *p, size_t n)
{
  const struct rift_hmap_ent *e;
  union rift_hval *v;
  int isnew;
  if(rift_hmap_put(&r->strs, p, n, &v, &isnew))
    return NULL;
  e = rift_hmap_entry(&r->strs, p, n);
  return e ? e->key : NULL;
}

static const struct rift_value *field_of(const struct rift_event *ev,
                                         const uint32_t *f, uint32_t nf)
{
  uint32_t i, j;
  for(i = 0; i < ev->nf; i++) {
    for(j = 0; j < nf; j++) {
      if(ev->f[i].id == f[j] && ev->f[i].v.type != RIFT_V_NULL)
        return &ev->f[i].v;
    }
  }
  return NULL;
}

static const char *evstr(const struct rift_event *ev, const char *name)
{
  uint32_t id = rift_field_find(name, strlen(name));
  const struct rift_value *v;
  if(!id)
    return NULL;
  v = rift_event_get(ev, id);
  return v && v->type == RIFT_V_STR && v->len ? v->s : NULL;
}

static rift_err emit(struct rift_sigma_run *run, uint32_t ri,
                     struct rift_finding *f)
{
  const struct sg_rule *r = &run->s->rules[ri];
  run->counts[ri]++;
  if(!run->o.sink || r->pub.hidden || r->pub.level < run->o.min_level)
    return RIFT_OK;
  f->source = "sigma";
  f->rule_id = r->pub.id ? r->pub.id : r->pub.title;
  f->rule_name = r->pub.title;
  f->level = r->pub.level;
  f->techniques = r->pub.techniques;
  f->tags = r->pub.tags;
  if(!f->message)
    f->message = r->pub.title;
  return run->o.sink->emit(run->o.sink->ctx, f);
}

static rift_err keep(struct rift_sigma_run *run, const struct rift_event *ev,
                     uint32_t ri)
{
  const struct sg_rule *r = &run->s->rules[ri];
  struct crec *c;
  uint32_t i;
  if(run->nrec >= RIFT_SIGMA_MAX_CORR_MATCHES) {
    run->dropped++;
    return RIFT_OK;
  }
  if(rift_grow((void **)&run->rec, &run->caprec, run->nrec + 1,
               sizeof(*run->rec), 1024))
    return RIFT_NOMEM;
  c = &run->rec[run->nrec];
  memset(c, 0, sizeof(*c));
  c->rule = ri;
  c->seq = run->seq++;
  c->ts = ev->ts;
  c->ref.file_id = ev->file_id;
  c->ref.offset = ev->offset;
  c->ref.record_id = ev->record_id;
  c->ref.ts = ev->ts;
  if(ev->host && !(c->host = intern(run, ev->host, strlen(ev->host))))
    return RIFT_NOMEM;
  if(r->ncf) {
    c->vals = rift_arena_zalloc(&run->arena, r->ncf * sizeof(char *));
    if(!c->vals)
      return RIFT_NOMEM;
    for(i = 0; i < r->ncf; i++) {
      const struct rift_value *v = field_of(ev, r->cf[i].f, r->cf[i].nf);
      char tmp[32];
      size_t n;
      const char *t;
      if(!v)
        continue;
      t = rift_value_str(v, tmp, &n);
      if(t && !(c->vals[i] = intern(run, t, n)))
        return RIFT_NOMEM;
    }
  }
  run->nrec++;
  return RIFT_OK;
}

rift_err rift_sigma_run_event(struct rift_sigma_run *run,
                              const struct rift_event *ev,
                              const uint32_t *hits, size_t n)
{
  size_t i;
  rift_err rc;
  for(i = 0; i < n; i++) {
    const struct sg_rule *r = &run->s->rules[hits[i]];
    if(r->used_by_corr) {
      rc = keep(run, ev, hits[i]);
      if(rc)
        return rc;
    }
    if(!r->pub.hidden) {
      struct rift_finding f;
      struct rift_event_ref ref;
      memset(&f, 0, sizeof(f));
      ref.file_id = ev->file_id;
      ref.offset = ev->offset;
      ref.record_id = ev->record_id;
      ref.ts = ev->ts;
      f.ts = f.ts_end = ev->ts;
      f.host = ev->host;
      f.refs = &ref;
      f.nrefs = 1;
      f.process_command_line = evstr(ev, "winlog.event_data.CommandLine");
      f.process_name = evstr(ev, "winlog.event_data.Image");
      if(!f.process_name)
        f.process_name = evstr(ev, "winlog.event_data.NewProcessName");
      f.user_name = evstr(ev, "winlog.event_data.User");
      if(!f.user_name)
        f.user_name = evstr(ev, "winlog.event_data.TargetUserName");
      if(!f.user_name)
        f.user_name = evstr(ev, "winlog.event_data.SubjectUserName");
      f.source_ip = evstr(ev, "winlog.event_data.IpAddress");
      if(!f.source_ip)
        f.source_ip = evstr(ev, "winlog.event_data.SourceIp");
      f.destination_ip = evstr(ev, "winlog.event_data.DestinationIp");
      rc = emit(run, hits[i], &f);
      if(rc)
        return rc;
    }
  }
  return RIFT_OK;
}

/* ---- evaluation ------------------------------------------------------------------ */

struct gitem {            /* one record in one correlation's view */
  const char *key;        /* group key (interned) */
  struct crec *rec;
};

static int gitem_cmp(const void *a, const void *b)
{
  const struct gitem *x = a, *y = b;
  int c = x->key == y->key ? 0 : strcmp(x->key, y->key);
  if(c)
    return c;
  if(x->rec->ts != y->rec->ts)
    return x->rec->ts < y->rec->ts ? -1 : 1;
  return x->rec->seq < y->rec->seq ? -1 : x->rec->seq > y->rec->seq;
}

static const char *rec_val(const struct rift_sigma *s, const struct crec *c,
                           const char *name)
{
  const struct sg_rule *r = &s->rules[c->rule];
  uint32_t i;
  for(i = 0; i < r->ncf; i++) {
    if(!strcmp(r->cf[i].name, name))
      return c->vals ? c->vals[i] : NULL;
  }
  return NULL;
}

static int cond_ok(const struct sg_corr *k, double v)
{
  uint32_t i;
  for(i = 0; i < k->ncond; i++) {
    double b = k->cond[i].v;
    int ok;
    switch(k->cond[i].op) {
    case SG_GT: ok = v > b; break;
    case SG_GTE: ok = v >= b; break;
    case SG_LT: ok = v < b; break;
    case SG_LTE: ok = v <= b; break;
    case SG_EQ: ok = v == b; break;
    default: ok = v != b; break;
    }
    if(!ok)
      return 0;
  }
  return 1;
}

static int lower_only(const struct sg_corr *k)
{
  uint32_t i;
  if(k->type == SG_VALUE_AVG)
    return 0;
  for(i = 0; i < k->ncond; i++) {
    if(k->cond[i].op != SG_GT && k->cond[i].op != SG_GTE)
      return 0;
  }
  return 1;
}

/* The value a value_* correlation reads from a record (fields joined). */
static const char *value_of(struct rift_sigma_run *run, const struct sg_corr *k,
                            const struct crec *c)
{
  char buf[1024];
  size_t n = 0;
  uint32_t i;
  if(k->nfields == 1)
    return rec_val(run->s, c, k->fields[0]);
  for(i = 0; i < k->nfields; i++) {
    const char *v = rec_val(run->s, c, k->fields[i]);
    size_t l;
    if(!v)
      return NULL;
    l = strlen(v);
    if(n + l + 2 > sizeof(buf))
      return NULL;
    memcpy(buf + n, v, l);
    n += l;
    buf[n++] = '\x1f';
  }
  return intern(run, buf, n);
}

struct window {           /* the metric of [i..k] of one group */
  struct rift_hmap distinct;   /* value -> count (value_count) */
  uint32_t ndistinct;
  uint32_t *rulecnt;           /* temporal: per ref index */
  uint32_t nrules;
  double sum;
  uint32_t nsum;
  uint32_t n;
};

static int ref_index(const struct sg_corr *k, uint32_t rule)
{
  uint32_t i;
  for(i = 0; i < k->nrefs; i++) {
    if(k->ref_rules[i] == rule)
      return (int)i;
  }
  return -1;
}

static void w_clear(struct window *w, const struct sg_corr *k)
{
  rift_hmap_release(&w->distinct);
  rift_hmap_init(&w->distinct, 1u << 24);
  w->ndistinct = 0;
  if(w->rulecnt)
    memset(w->rulecnt, 0, k->nrefs * sizeof(uint32_t));
  w->nrules = 0;
  w->sum = 0;
  w->nsum = 0;
  w->n = 0;
}

static void w_add(struct rift_sigma_run *run, struct window *w,
                  const struct sg_corr *k, const struct crec *c, int sign)
{
  const char *v;
  int ri;
  w->n = (uint32_t)((int)w->n + sign);
  switch(k->type) {
  case SG_VALUE_COUNT:
    v = value_of(run, k, c);
    if(v) {
      union rift_hval *hv;
      int isnew;
      if(!rift_hmap_put(&w->distinct, v, strlen(v), &hv, &isnew)) {
        if(sign > 0 && hv->u++ == 0)
          w->ndistinct++;
        else if(sign < 0 && hv->u && --hv->u == 0)
          w->ndistinct--;
      }
    }
    break;
  case SG_VALUE_SUM:
  case SG_VALUE_AVG:
    v = value_of(run, k, c);
    if(v) {
      char *end;
      double d = strtod(v, &end);
      if(end != v && !*end) {
        w->sum += sign * d;
        w->nsum = (uint32_t)((int)w->nsum + sign);
      }
    }
    break;
  case SG_TEMPORAL:
  case SG_TEMPORAL_ORDERED:
    ri = ref_index(k, c->rule);
    if(ri >= 0 && w->rulecnt) {
      uint32_t j;
      /* a rule listed twice counts for each listing */
      for(j = (uint32_t)ri; j < k->nrefs; j++) {
        if(k->ref_rules[j] != c->rule)
          continue;
        if(sign > 0 && w->rulecnt[j]++ == 0)
          w->nrules++;
        else if(sign < 0 && w->rulecnt[j] && --w->rulecnt[j] == 0)
          w->nrules--;
      }
    }
    break;
  default:
    break;
  }
}

static double w_metric(const struct window *w, const struct sg_corr *k)
{
  switch(k->type) {
  case SG_EVENT_COUNT: return w->n;
  case SG_VALUE_COUNT: return w->ndistinct;
  case SG_VALUE_SUM: return w->sum;
  case SG_VALUE_AVG: return w->nsum ? w->sum / w->nsum : 0;
  default: return w->nrules;
  }
}

static int w_ok(const struct window *w, const struct sg_corr *k)
{
  if((k->type == SG_TEMPORAL || k->type == SG_TEMPORAL_ORDERED) && !k->ncond)
    return w->nrules >= k->nrefs;
  if(k->type == SG_VALUE_AVG && !w->nsum)
    return 0;
  return cond_ok(k, w_metric(w, k));
}

/* A firing over items[a..b] (one group). */
static rift_err fire(struct rift_sigma_run *run, uint32_t ci,
                     const struct gitem *it, size_t a, size_t b,
                     struct crec **outv, size_t *nout, size_t *capout)
{
  const struct sg_rule *c = &run->s->rules[ci];
  const struct sg_corr *k = c->corr;
  struct rift_event_ref *refs;
  struct rift_finding f;
  size_t i, nrefs = 0, total = 0;
  char msg[512];
  rift_err rc;
  for(i = a; i <= b; i++)
    total += it[i].rec->sub ? it[i].rec->nsub : 1;
  refs = rift_arena_alloc(&run->arena,
                          (total < MAX_REFS ? total : MAX_REFS) * sizeof(*refs) + 1);
  if(!refs)
    return RIFT_NOMEM;
  for(i = a; i <= b && nrefs < MAX_REFS; i++) {
    const struct crec *r = it[i].rec;
    if(r->sub) {
      uint32_t q;
      for(q = 0; q < r->nsub && nrefs < MAX_REFS; q++)
        refs[nrefs++] = r->sub[q];
    }
    else {
      refs[nrefs++] = r->ref;
    }
  }
  memset(&f, 0, sizeof(f));
  f.ts = it[a].rec->ts;
  f.ts_end = it[b].rec->ts;
  f.host = it[a].rec->host;
  f.refs = refs;
  f.nrefs = nrefs;
  snprintf(msg, sizeof(msg), "%s (%zu events%s%s)", c->pub.title, total,
           it[a].key[0] ? ", group " : "", it[a].key);
  for(i = 0; msg[i]; i++) {
    if(msg[i] == '\x1f')
      msg[i] = ' ';
  }
  f.message = msg;
  rc = emit(run, ci, &f);
  if(rc)
    return rc;
  /* a record for correlations that build on this one */
  if(!c->used_by_corr)
    return RIFT_OK;
  if(rift_grow((void **)outv, capout, *nout + 1, sizeof(**outv), 64))
    return RIFT_NOMEM;
  {
    struct crec *o = &(*outv)[(*nout)++];
    uint32_t g, q;
    memset(o, 0, sizeof(*o));
    o->rule = ci;
    o->seq = run->seq++;
    o->ts = it[b].rec->ts;
    o->ref = it[b].rec->ref;
    o->host = it[a].rec->host;
    o->sub = refs;
    o->nsub = (uint32_t)nrefs;
    if(c->ncf) {
      o->vals = rift_arena_zalloc(&run->arena, c->ncf * sizeof(char *));
      if(!o->vals)
        return RIFT_NOMEM;
      /* carry this correlation's group-by values under their names */
      for(q = 0; q < c->ncf; q++) {
        for(g = 0; g < k->ngroup; g++) {
          if(!strcmp(c->cf[q].name, k->group_by[g])) {
            const struct crec *r0 = it[a].rec;
            const char *v = rec_val(run->s, r0, alias_field(k,
                                    &run->s->rules[r0->rule], k->group_by[g]));
            o->vals[q] = v;
          }
        }
      }
    }
  }
  return RIFT_OK;
}

static rift_err eval_group(struct rift_sigma_run *run, uint32_t ci,
                           const struct gitem *it, size_t n,
                           struct crec **outv, size_t *nout, size_t *capout)
{
  const struct sg_corr *k = run->s->rules[ci].corr;
  struct window w;
  size_t i = 0, j;
  rift_err rc = RIFT_OK;
  memset(&w, 0, sizeof(w));
  rift_hmap_init(&w.distinct, 1u << 24);
  if(k->type == SG_TEMPORAL || k->type == SG_TEMPORAL_ORDERED) {
    w.rulecnt = calloc(k->nrefs, sizeof(uint32_t));
    if(!w.rulecnt) {
      rift_hmap_release(&w.distinct);
      return RIFT_NOMEM;
    }
  }
  if(k->type == SG_TEMPORAL_ORDERED) {
    /* chains: best (latest) start for each prefix length */
    size_t m = k->nrefs, q;
    int64_t *start = calloc(m + 1, sizeof(int64_t));
    size_t *first = calloc(m + 1, sizeof(size_t));
    uint8_t *has = calloc(m + 1, 1);
    if(!start || !first || !has) {
      rc = RIFT_NOMEM;
    }
    for(j = 0; j < n && !rc; j++) {
      const struct crec *r = it[j].rec;
      for(q = m; q >= 1; q--) {
        if(k->ref_rules[q - 1] != r->rule)
          continue;
        if(q == 1) {
          has[1] = 1;
          start[1] = r->ts;
          first[1] = j;
        }
        else if(has[q - 1] && r->ts - start[q - 1] <= k->timespan &&
                (!has[q] || start[q - 1] >= start[q])) {
          has[q] = 1;
          start[q] = start[q - 1];
          first[q] = first[q - 1];
        }
      }
      if(has[m]) {
        rc = fire(run, ci, it, first[m], j, outv, nout, capout);
        memset(has, 0, m + 1);
      }
    }
    free(start);
    free(first);
    free(has);
  }
  else if(lower_only(k)) {
    for(j = 0; j < n && !rc; j++) {
      w_add(run, &w, k, it[j].rec, 1);
      while(it[j].rec->ts - it[i].rec->ts > k->timespan) {
        w_add(run, &w, k, it[i].rec, -1);
        i++;
      }
      if(w_ok(&w, k)) {
        /* one finding per timespan: it takes in every event of the group
         * up to timespan after the window's first */
        while(j + 1 < n && it[j + 1].rec->ts - it[i].rec->ts <= k->timespan)
          j++;
        rc = fire(run, ci, it, i, j, outv, nout, capout);
        w_clear(&w, k);
        i = j + 1;
      }
    }
  }
  else {
    while(i < n && !rc) {
      j = i;
      w_clear(&w, k);
      w_add(run, &w, k, it[i].rec, 1);
      while(j + 1 < n && it[j + 1].rec->ts - it[i].rec->ts <= k->timespan)
        w_add(run, &w, k, it[++j].rec, 1);
      if(w_ok(&w, k))
        rc = fire(run, ci, it, i, j, outv, nout, capout);
      i = j + 1;
    }
  }
  rift_hmap_release(&w.distinct);
  free(w.rulecnt);
  return rc;
}

static rift_err eval_corr(struct rift_sigma_run *run, uint32_t ci)
{
  const struct sg_rule *c = &run->s->rules[ci];
  const struct sg_corr *k = c->corr;
  struct gitem *it;
  size_t n = 0, i, a;
  struct crec *outv = NULL;
  size_t nout = 0, capout = 0;
  rift_err rc = RIFT_OK;
  it = malloc((run->nrec + 1) * sizeof(*it));
  if(!it)
    return RIFT_NOMEM;
  for(i = 0; i < run->nrec; i++) {
    struct crec *r = &run->rec[i];
    char key[2048];
    size_t kl = 0;
    uint32_t g;
    int ok = 1;
    if(ref_index(k, r->rule) < 0)
      continue;
    for(g = 0; g < k->ngroup && ok; g++) {
      const char *v = rec_val(run->s, r,
                              alias_field(k, &run->s->rules[r->rule],
                                          k->group_by[g]));
      size_t l;
      if(!v) {
        ok = 0;   /* no value to group by: the record is not counted */
        break;
      }
      l = strlen(v);
      if(kl + l + 1 >= sizeof(key)) {
        ok = 0;
        break;
      }
      if(g)
        key[kl++] = '\x1f';
      memcpy(key + kl, v, l);
      kl += l;
    }
    if(!ok)
      continue;
    it[n].key = intern(run, key, kl);
    if(!it[n].key) {
      free(it);
      return RIFT_NOMEM;
    }
    it[n++].rec = r;
  }
  if(n)
    qsort(it, n, sizeof(*it), gitem_cmp);
  for(a = 0; a < n && !rc;) {
    size_t b = a;
    while(b < n && it[b].key == it[a].key)
      b++;
    rc = eval_group(run, ci, it + a, b - a, &outv, &nout, &capout);
    a = b;
  }
  free(it);
  /* chained correlations read this one's firings */
  for(i = 0; i < nout && !rc; i++) {
    if(rift_grow((void **)&run->rec, &run->caprec, run->nrec + 1,
                 sizeof(*run->rec), 1024)) {
      rc = RIFT_NOMEM;
      break;
    }
    run->rec[run->nrec++] = outv[i];
  }
  free(outv);
  return rc;
}

rift_err rift_sigma_run_finish(struct rift_sigma_run *run)
{
  uint32_t j;
  for(j = 0; j < run->s->ncorr; j++) {
    rift_err rc = eval_corr(run, run->s->corr_order[j]);
    if(rc)
      return rc;
  }
  return RIFT_OK;
}
