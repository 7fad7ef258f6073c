/*
 * rule.c - one YAML document to a struct sg_rule: metadata, the kind of
 * document (detection rule, correlation, filter) and the checks that do
 * not need the rest of the set.  Detection sections are compiled later
 * (compile.c), once every mapping and rule is known.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "detect/sigma/sigma-int.h"

void sg_rule_fail(struct rift_sigma *s, struct sg_rule *r,
                  enum rift_sigma_state st, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  if(r->pub.state != RIFT_SIGMA_ACTIVE)
    return; /* keep the first reason */
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  r->pub.state = st;
  r->pub.reason = rift_arena_strdup(&s->arena, buf);
  if(!r->pub.reason)
    r->pub.reason = "out of memory";
}

static const char *scalar(struct rift_sigma *s, struct sg_rule *r,
                          const struct sy_node *map, const char *key)
{
  const struct sy_node *n = sy_get(map, key);
  if(!n || sy_is_null(n))
    return NULL;
  if(n->kind != SY_SCALAR) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: '%s' must be a string",
                 n->line, key);
    return NULL;
  }
  return n->s;
}

/* "attack.t1059.001" -> "T1059.001", else NULL. */
static const char *technique(struct rift_sigma *s, const char *tag)
{
  const char *p;
  size_t n, i;
  char buf[16];
  if(strncmp(tag, "attack.t", 8) && strncmp(tag, "attack.T", 8))
    return NULL;
  p = tag + 8;
  n = strlen(p);
  if(n != 4 && n != 8)
    return NULL;
  for(i = 0; i < 4; i++) {
    if(p[i] < '0' || p[i] > '9')
      return NULL;
  }
  if(n == 8) {
    if(p[4] != '.')
      return NULL;
    for(i = 5; i < 8; i++) {
      if(p[i] < '0' || p[i] > '9')
        return NULL;
    }
  }
  buf[0] = 'T';
  memcpy(buf + 1, p, n + 1);
  return rift_arena_strdup(&s->arena, buf);
}

static void read_tags(struct rift_sigma *s, struct sg_rule *r,
                      const struct sy_node *tags)
{
  static const char *const none[] = { NULL };
  uint32_t i, nt = 0, nq = 0;
  r->pub.tags = none;
  r->pub.techniques = none;
  if(!tags || sy_is_null(tags))
    return;
  if(tags->kind != SY_SEQ) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: tags must be a list",
                 tags->line);
    return;
  }
  r->tagv = rift_arena_zalloc(&s->arena, (tags->n + 1) * sizeof(char *));
  r->techv = rift_arena_zalloc(&s->arena, (tags->n + 1) * sizeof(char *));
  if(!r->tagv || !r->techv)
    return;
  for(i = 0; i < tags->n; i++) {
    const char *t = sy_str(tags->kids[i]), *q;
    uint32_t k;
    int dup = 0;
    if(!t)
      continue;
    r->tagv[nt++] = t;
    q = technique(s, t);
    for(k = 0; q && k < nq; k++)
      dup |= !strcmp(r->techv[k], q);
    if(q && !dup)
      r->techv[nq++] = q;
  }
  r->pub.tags = r->tagv;
  r->pub.techniques = r->techv;
}

static const char **str_list(struct rift_sigma *s, struct sg_rule *r,
                             const struct sy_node *n, const char *what,
                             uint32_t *count)
{
  const char **v;
  uint32_t i;
  *count = 0;
  if(!n || sy_is_null(n))
    return NULL;
  if(n->kind == SY_SCALAR) {
    v = rift_arena_alloc(&s->arena, sizeof(*v));
    if(v) {
      v[0] = n->s;
      *count = 1;
    }
    return v;
  }
  if(n->kind != SY_SEQ) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: %s must be a list",
                 n->line, what);
    return NULL;
  }
  v = rift_arena_zalloc(&s->arena, (n->n + 1) * sizeof(*v));
  if(!v)
    return NULL;
  for(i = 0; i < n->n; i++) {
    const char *t = sy_str(n->kids[i]);
    if(!t) {
      sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                   "line %u: %s must be a list of strings", n->kids[i]->line,
                   what);
      return NULL;
    }
    v[(*count)++] = t;
  }
  return v;
}

/* "1h", "90m", "30s", "2d" (and "1w") to ns; -1 if malformed. */
static int64_t timespan(const char *t)
{
  int64_t v = 0, unit;
  const char *p = t;
  if(!t || !*t)
    return -1;
  while(*p >= '0' && *p <= '9') {
    if(v > INT64_MAX / 10 - 10)
      return -1;
    v = v * 10 + (*p++ - '0');
  }
  if(p == t || p[1])
    return -1;
  switch(*p) {
  case 's': unit = 1000000000LL; break;
  case 'm': unit = 60 * 1000000000LL; break;
  case 'h': unit = 3600 * 1000000000LL; break;
  case 'd': unit = 86400 * 1000000000LL; break;
  case 'w': unit = 7 * 86400 * 1000000000LL; break;
  case 'M': unit = 30 * 86400 * 1000000000LL; break;
  case 'y': unit = 365 * 86400 * 1000000000LL; break;
  default: return -1;
  }
  if(v > INT64_MAX / unit)
    return -1;
  return v * unit;
}

static int parse_cmp(const char *k, enum sg_cmp *op)
{
  static const struct { const char *k; enum sg_cmp op; } t[] = {
    { "gt", SG_GT }, { "gte", SG_GTE }, { "lt", SG_LT },
    { "lte", SG_LTE }, { "eq", SG_EQ }, { "neq", SG_NEQ },
  };
  size_t i;
  for(i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
    if(!strcmp(k, t[i].k)) {
      *op = t[i].op;
      return 1;
    }
  }
  return 0;
}

static void read_correlation(struct rift_sigma *s, struct sg_rule *r,
                             const struct sy_node *c)
{
  static const struct { const char *name; enum sg_corr_type t; } types[] = {
    { "event_count", SG_EVENT_COUNT }, { "value_count", SG_VALUE_COUNT },
    { "temporal", SG_TEMPORAL }, { "temporal_ordered", SG_TEMPORAL_ORDERED },
    { "value_sum", SG_VALUE_SUM }, { "value_avg", SG_VALUE_AVG },
  };
  struct sg_corr *k;
  const char *type = scalar(s, r, c, "type");
  const struct sy_node *cond, *al, *gen;
  size_t i;
  int found = 0, v;
  if(c->kind != SY_MAP) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: correlation must be a map",
                 c->line);
    return;
  }
  k = rift_arena_zalloc(&s->arena, sizeof(*k));
  if(!k)
    return;
  r->corr = k;
  if(!type) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: correlation has no type",
                 c->line);
    return;
  }
  for(i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
    if(!strcmp(type, types[i].name)) {
      k->type = types[i].t;
      found = 1;
    }
  }
  if(!found) {
    if(!strcmp(type, "value_percentile"))
      sg_rule_fail(s, r, RIFT_SIGMA_UNSUPPORTED,
                   "correlation type value_percentile is not supported "
                   "(the specification leaves its percentile semantics open)");
    else
      sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                   "line %u: unknown correlation type '%s'", c->line, type);
    return;
  }
  k->refs = str_list(s, r, sy_get(c, "rules"), "correlation rules", &k->nrefs);
  if(!k->nrefs) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                 "line %u: correlation refers to no rules", c->line);
    return;
  }
  k->group_by = str_list(s, r, sy_get(c, "group-by"), "group-by", &k->ngroup);
  k->timespan = timespan(scalar(s, r, c, "timespan"));
  if(k->timespan <= 0 && !sy_get(c, "timespan")) {
    /* older drafts spell it timeframe */
    k->timespan = timespan(scalar(s, r, c, "timeframe"));
  }
  if(k->timespan <= 0) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                 "line %u: correlation needs a timespan like 10m, 1h or 2d",
                 c->line);
    return;
  }
  cond = sy_get(c, "condition");
  if(cond && cond->kind == SY_MAP) {
    uint32_t j;
    for(j = 0; j < cond->n; j++) {
      const struct sy_node *ck = cond->kids[2 * j], *cv = cond->kids[2 * j + 1];
      enum sg_cmp op;
      if(!strcmp(ck->s, "field")) {
        k->fields = str_list(s, r, cv, "condition field", &k->nfields);
        continue;
      }
      if(!parse_cmp(ck->s, &op) || !sy_is_number(cv) || k->ncond >= 6) {
        sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                     "line %u: correlation condition '%s' is not one of "
                     "gt/gte/lt/lte/eq/neq with a number", ck->line, ck->s);
        return;
      }
      k->cond[k->ncond].op = op;
      k->cond[k->ncond++].v = strtod(cv->s, NULL);
    }
  }
  else if(cond && !sy_is_null(cond)) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                 "line %u: correlation condition must be a map", cond->line);
    return;
  }
  switch(k->type) {
  case SG_EVENT_COUNT:
    if(!k->ncond)
      sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                   "line %u: event_count needs a condition", c->line);
    break;
  case SG_VALUE_COUNT:
  case SG_VALUE_SUM:
  case SG_VALUE_AVG:
    if(!k->ncond || !k->nfields)
      sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                   "line %u: %s needs a condition with a field", c->line, type);
    break;
  default:
    break;
  }
  k->generate = 0;
  gen = sy_get(c, "generate");
  if(!gen)
    gen = sy_get(r->doc, "generate");
  if(gen && sy_is_bool(gen, &v))
    k->generate = v;
  al = sy_get(c, "aliases");
  if(al && al->kind == SY_MAP) {
    uint32_t j;
    k->aliases = rift_arena_zalloc(&s->arena, al->n * sizeof(*k->aliases));
    if(!k->aliases)
      return;
    for(j = 0; j < al->n; j++) {
      const struct sy_node *an = al->kids[2 * j], *am = al->kids[2 * j + 1];
      struct sg_alias *a = &k->aliases[k->naliases++];
      uint32_t q;
      a->alias = an->s;
      if(am->kind != SY_MAP) {
        sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                     "line %u: alias '%s' must map rule names to fields",
                     am->line, an->s);
        return;
      }
      a->rule = rift_arena_zalloc(&s->arena, (am->n + 1) * sizeof(char *));
      a->field = rift_arena_zalloc(&s->arena, (am->n + 1) * sizeof(char *));
      if(!a->rule || !a->field)
        return;
      for(q = 0; q < am->n; q++) {
        a->rule[q] = am->kids[2 * q]->s;
        a->field[q] = sy_str(am->kids[2 * q + 1]);
        if(!a->field[q]) {
          sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                       "line %u: alias '%s' needs a field name",
                       am->kids[2 * q]->line, an->s);
          return;
        }
      }
      a->n = am->n;
    }
  }
  else if(al && !sy_is_null(al)) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: aliases must be a map",
                 al->line);
  }
}

static void read_logsource(struct rift_sigma *s, struct sg_rule *r)
{
  const struct sy_node *ls = sy_get(r->doc, "logsource");
  char buf[512];
  size_t n = 0;
  buf[0] = 0;
  if(!ls || ls->kind != SY_MAP) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                 ls ? "line %u: logsource must be a map"
                    : "line %u: no logsource", ls ? ls->line : r->pub.line);
    r->pub.logsource = "";
    return;
  }
  r->product = scalar(s, r, ls, "product");
  r->category = scalar(s, r, ls, "category");
  r->service = scalar(s, r, ls, "service");
  if(r->product)
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, "product=%s", r->product);
  if(r->category && n < sizeof(buf))
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%scategory=%s",
                          n ? " " : "", r->category);
  if(r->service && n < sizeof(buf))
    snprintf(buf + n, sizeof(buf) - n, "%sservice=%s", n ? " " : "",
             r->service);
  r->pub.logsource = rift_arena_strdup(&s->arena, buf);
  if(!r->pub.logsource)
    r->pub.logsource = "";
}

void sg_rule_read(struct rift_sigma *s, struct sg_rule *r,
                  const struct sy_node *doc)
{
  const char *level;
  const struct sy_node *c;
  static const char *const none[] = { NULL };
  r->doc = doc;
  r->pub.title = "";
  r->pub.kind = "detection";
  r->pub.level = RIFT_LEVEL_MEDIUM;
  r->pub.logsource = "";
  r->pub.tags = none;
  r->pub.techniques = none;
  if(!doc || sy_is_null(doc)) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "empty YAML document");
    return;
  }
  r->pub.line = doc->line;
  if(doc->kind != SY_MAP) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                 "line %u: a Sigma rule is a YAML map", doc->line);
    return;
  }
  r->pub.title = scalar(s, r, doc, "title");
  r->pub.id = scalar(s, r, doc, "id");
  r->pub.name = scalar(s, r, doc, "name");
  r->pub.status = scalar(s, r, doc, "status");
  read_tags(s, r, sy_get(doc, "tags"));
  level = scalar(s, r, doc, "level");
  if(level) {
    int l = rift_level_parse(level);
    if(l < 0)
      sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "unknown level '%s'", level);
    else
      r->pub.level = (enum rift_level)l;
  }
  if(!r->pub.title) {
    r->pub.title = "";
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: no title", doc->line);
  }
  if((c = sy_get(doc, "correlation"))) {
    r->kind = SG_CORRELATION;
    r->pub.kind = "correlation";
    read_correlation(s, r, c);
    return;
  }
  if((c = sy_get(doc, "filter"))) {
    r->kind = SG_FILTER;
    r->pub.kind = "filter";
    read_logsource(s, r);
    if(c->kind != SY_MAP) {
      sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: filter must be a map",
                   c->line);
      return;
    }
    r->filter = rift_arena_zalloc(&s->arena, sizeof(*r->filter));
    if(!r->filter)
      return;
    r->filter->refs = str_list(s, r, sy_get(c, "rules"), "filter rules",
                               &r->filter->nrefs);
    if(!r->filter->nrefs)
      sg_rule_fail(s, r, RIFT_SIGMA_INVALID,
                   "line %u: filter refers to no rules", c->line);
    if(!sy_get(c, "condition"))
      sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: filter has no condition",
                   c->line);
    r->detection = c;
    return;
  }
  r->kind = SG_DETECTION;
  read_logsource(s, r);
  c = sy_get(doc, "detection");
  if(!c) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: no detection", doc->line);
    return;
  }
  if(c->kind != SY_MAP) {
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: detection must be a map",
                 c->line);
    return;
  }
  if(!sy_get(c, "condition"))
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "line %u: detection has no condition",
                 c->line);
  r->detection = c;
}

const char *rift_sigma_state_name(enum rift_sigma_state st)
{
  switch(st) {
  case RIFT_SIGMA_ACTIVE: return "active";
  case RIFT_SIGMA_UNSUPPORTED: return "unsupported";
  default: return "invalid";
  }
}
