/*
 * eprules.c - load rules/endpoint/ (YAML) (libyaml) and compile their
 * regular expressions (PCRE2).
 *
 * Everything a load allocates lives in one arena (strings, arrays) plus
 * the compiled expressions, listed for release; rift_eprules_free() gives
 * it all back.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/field.h"
#include "core/rtime.h"
#include "detect/eprules.h"
#include "detect/proctree.h"
#include "detect/winev.h"
#include "source/source.h"
#include "source/walk.h"

struct rift_epr_re {
  pcre2_code *code;
  struct rift_epr_re *next; /* all of a load, for release */
};

struct priv {
  struct rift_arena arena;
  struct rift_epr_re *res;
  pcre2_match_data *md;
  /* growing arrays (realloc'd while loading, then kept) */
  size_t caprules, caplol, capread, capdisc, capbuiltin;
  const char **child_ignore, **lsass_ignore;
  size_t nchild, capchild, nlsass, caplsass;
};

struct loader {
  struct rift_eprules *r;
  struct priv *pv;
  struct rift_diag *d;
  const char *file;
  yaml_document_t doc;
  int errors;
};

static void fail(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

static void fail(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  rift_diag_report(l->d, RIFT_DIAG_ERROR, RIFT_CORRUPT, UINT64_MAX,
                   "%s:%lu: %s", l->file,
                   n ? (unsigned long)n->start_mark.line + 1 : 0ul, msg);
  l->errors++;
}

static yaml_node_t *node(struct loader *l, int i)
{
  return yaml_document_get_node(&l->doc, i);
}

static const char *scalar(struct loader *l, const yaml_node_t *n)
{
  if(!n || n->type != YAML_SCALAR_NODE)
    return NULL;
  return rift_arena_strndup(&l->pv->arena, (const char *)n->data.scalar.value,
                            n->data.scalar.length);
}

static int is_key(const yaml_node_t *k, const char *s)
{
  return k && k->type == YAML_SCALAR_NODE &&
         k->data.scalar.length == strlen(s) &&
         !memcmp(k->data.scalar.value, s, k->data.scalar.length);
}

/* The value of key in a mapping, or NULL. */
static yaml_node_t *get(struct loader *l, const yaml_node_t *map,
                        const char *key)
{
  yaml_node_pair_t *p;
  if(!map || map->type != YAML_MAPPING_NODE)
    return NULL;
  for(p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    if(is_key(node(l, p->key), key))
      return node(l, p->value);
  }
  return NULL;
}

static int seq_len(const yaml_node_t *n)
{
  if(!n || n->type != YAML_SEQUENCE_NODE)
    return -1;
  return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *seq_at(struct loader *l, const yaml_node_t *n, int i)
{
  return node(l, n->data.sequence.items.start[i]);
}

static char *lower_dup(struct loader *l, const char *s)
{
  char *c = rift_arena_strdup(&l->pv->arena, s);
  char *p;
  if(!c)
    return NULL;
  for(p = c; *p; p++)
    if(*p >= 'A' && *p <= 'Z')
      *p = (char)(*p + 32);
  return c;
}

/* A list of strings (a scalar counts as a list of one), NULL-ended. */
static const char *const *strlist(struct loader *l, const yaml_node_t *n,
                                  int lower, size_t max)
{
  const char **v;
  int i, len;
  if(!n)
    return NULL;
  if(n->type == YAML_SCALAR_NODE) {
    v = rift_arena_alloc(&l->pv->arena, 2 * sizeof(*v));
    if(!v)
      return NULL;
    v[0] = lower ? lower_dup(l, scalar(l, n)) : scalar(l, n);
    v[1] = NULL;
    return v;
  }
  len = seq_len(n);
  if(len < 0) {
    fail(l, n, "expected a list of strings");
    return NULL;
  }
  if((size_t)len > max) {
    fail(l, n, "list longer than %zu", max);
    return NULL;
  }
  v = rift_arena_alloc(&l->pv->arena, ((size_t)len + 1) * sizeof(*v));
  if(!v)
    return NULL;
  for(i = 0; i < len; i++) {
    const yaml_node_t *it = seq_at(l, n, i);
    const char *s = scalar(l, it);
    if(!s) {
      fail(l, it, "expected a string");
      return NULL;
    }
    v[i] = lower ? lower_dup(l, s) : s;
  }
  v[len] = NULL;
  return v;
}

static int parse_duration(const char *s, int64_t *ns)
{
  uint64_t v = 0;
  int64_t unit = 1000000000LL;
  const char *p = s;
  if(!*p)
    return -1;
  while(*p >= '0' && *p <= '9') {
    v = v * 10 + (uint64_t)(*p - '0');
    if(v > 100000000)
      return -1;
    p++;
  }
  if(p == s)
    return -1;
  if(!strcmp(p, "ms"))
    unit = 1000000LL;
  else if(!*p || !strcmp(p, "s"))
    unit = 1000000000LL;
  else if(!strcmp(p, "m"))
    unit = 60LL * 1000000000LL;
  else if(!strcmp(p, "h"))
    unit = 3600LL * 1000000000LL;
  else if(!strcmp(p, "d"))
    unit = 86400LL * 1000000000LL;
  else
    return -1;
  *ns = (int64_t)v * unit;
  return 0;
}

static void get_duration(struct loader *l, const yaml_node_t *map,
                         const char *key, int64_t *ns)
{
  yaml_node_t *n = get(l, map, key);
  const char *s;
  if(!n)
    return;
  s = scalar(l, n);
  if(!s || parse_duration(s, ns))
    fail(l, n, "%s: expected a duration (30s, 10m, 2h, 1d)", key);
}

static void get_count(struct loader *l, const yaml_node_t *map,
                      const char *key, uint32_t *v)
{
  yaml_node_t *n = get(l, map, key);
  const char *s;
  char *end;
  unsigned long x;
  if(!n)
    return;
  s = scalar(l, n);
  if(!s) {
    fail(l, n, "%s: expected a number", key);
    return;
  }
  x = strtoul(s, &end, 10);
  if(*end || end == s || x > 1000000000ul)
    fail(l, n, "%s: expected a number", key);
  else
    *v = (uint32_t)x;
}

static void get_ratio(struct loader *l, const yaml_node_t *map,
                      const char *key, double *v)
{
  yaml_node_t *n = get(l, map, key);
  const char *s;
  char *end;
  double x;
  if(!n)
    return;
  s = scalar(l, n);
  if(!s) {
    fail(l, n, "%s: expected a number", key);
    return;
  }
  x = strtod(s, &end);
  if(*end || end == s || !(x >= 0 && x <= 1))
    fail(l, n, "%s: expected a number from 0 to 1", key);
  else
    *v = x;
}

static struct rift_epr_re *compile(struct loader *l, const yaml_node_t *n,
                                   const char *pat)
{
  int err;
  PCRE2_SIZE off;
  struct rift_epr_re *re;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                   PCRE2_CASELESS, &err, &off, NULL);
  if(!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof(msg));
    fail(l, n, "bad regular expression at %zu: %s", (size_t)off,
         (const char *)msg);
    return NULL;
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* optional speed-up */
  re = calloc(1, sizeof(*re));
  if(!re) {
    pcre2_code_free(code);
    return NULL;
  }
  re->code = code;
  re->next = l->pv->res;
  l->pv->res = re;
  return re;
}

/* Match data, one per thread that matches (the engine may be fed from any
 * pool thread), freed when the thread ends. */
static pthread_key_t md_key;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static int md_keyed; /* the key exists */

static void md_free(void *md)
{
  pcre2_match_data_free(md);
}

static void md_init(void)
{
  md_keyed = !pthread_key_create(&md_key, md_free);
}

int rift_epr_match(const struct rift_epr_re *re, const char *s, size_t n)
{
  pcre2_match_data *md;
  int rc;
  pthread_once(&md_once, md_init);
  md = md_keyed ? pthread_getspecific(md_key) : NULL;
  if(!md) {
    md = pcre2_match_data_create(8, NULL);
    if(!md)
      return 0;
    if(!md_keyed || pthread_setspecific(md_key, md)) {
      /* no key: match data for this call only */
      rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
      pcre2_match_data_free(md);
      return rc >= 0;
    }
  }
  rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
  return rc >= 0;
}

static const char *const *techniques(struct loader *l, const yaml_node_t *n)
{
  const char *const *t = strlist(l, n, 0, RIFT_EPR_MAX_TECHNIQUES);
  size_t i;
  if(!t)
    return NULL;
  for(i = 0; t[i]; i++) {
    if(t[i][0] != 'T' || strlen(t[i]) < 5)
      fail(l, n, "'%s' is not an ATT&CK technique id", t[i]);
  }
  return t;
}

static int parse_level(struct loader *l, const yaml_node_t *n)
{
  const char *s = scalar(l, n);
  int lv = s ? rift_level_parse(s) : -1;
  if(lv < 0) {
    fail(l, n, "level: expected informational, low, medium, high or "
         "critical");
    return RIFT_LEVEL_MEDIUM;
  }
  return lv;
}

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
  if(n < *cap)
    return p;
  *cap = *cap ? *cap * 2 : 16;
  return realloc(p, *cap * size);
}

/* ---- behaviour.yaml / logons.yaml ------------------------------------ */

static void names_list(struct loader *l, const yaml_node_t *n,
                       struct rift_epr_name **v, size_t *nv, size_t *cap)
{
  int i, len = seq_len(n);
  if(!n)
    return;
  if(len < 0) {
    fail(l, n, "expected a list of {name, techniques}");
    return;
  }
  for(i = 0; i < len; i++) {
    const yaml_node_t *it = seq_at(l, n, i);
    const char *name = scalar(l, get(l, it, "name"));
    struct rift_epr_name *nv2;
    if(!name) {
      fail(l, it, "entry without a name");
      continue;
    }
    if(*nv >= RIFT_EPR_MAX_LIST) {
      fail(l, it, "list longer than %d", RIFT_EPR_MAX_LIST);
      return;
    }
    nv2 = grow(*v, cap, *nv, sizeof(**v));
    if(!nv2)
      return;
    *v = nv2;
    (*v)[*nv].name = lower_dup(l, name);
    (*v)[*nv].techniques = techniques(l, get(l, it, "techniques"));
    (*nv)++;
  }
}

static void disc_list(struct loader *l, const yaml_node_t *n)
{
  struct rift_eprules *r = l->r;
  int i, len = seq_len(n);
  if(!n)
    return;
  if(len < 0) {
    fail(l, n, "discovery: expected a list");
    return;
  }
  for(i = 0; i < len; i++) {
    const yaml_node_t *it = seq_at(l, n, i);
    struct rift_epr_disc *dv, *e;
    const yaml_node_t *a;
    if(r->ndisc >= RIFT_EPR_MAX_LIST) {
      fail(l, it, "discovery: more than %d entries", RIFT_EPR_MAX_LIST);
      return;
    }
    dv = grow(r->disc, &l->pv->capdisc, r->ndisc, sizeof(*dv));
    if(!dv)
      return;
    r->disc = dv;
    e = &r->disc[r->ndisc];
    memset(e, 0, sizeof(*e));
    e->names = strlist(l, get(l, it, "names"), 1, RIFT_EPR_MAX_LIST);
    if(!e->names || !e->names[0]) {
      fail(l, it, "discovery entry without names");
      continue;
    }
    a = get(l, it, "args");
    if(a) {
      const char *s = scalar(l, a);
      if(!s) {
        fail(l, a, "args: expected a regular expression");
        continue;
      }
      e->args = compile(l, a, s);
    }
    e->what = scalar(l, get(l, it, "what"));
    e->techniques = techniques(l, get(l, it, "techniques"));
    r->ndisc++;
  }
}

static void detectors(struct loader *l, const yaml_node_t *n)
{
  struct rift_eprules *r = l->r;
  yaml_node_pair_t *p;
  if(!n)
    return;
  if(n->type != YAML_MAPPING_NODE) {
    fail(l, n, "detectors: expected a mapping of id: {title, level, "
         "techniques}");
    return;
  }
  for(p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    const yaml_node_t *k = node(l, p->key), *v = node(l, p->value);
    struct rift_epr_meta *bv, *m;
    const char *id = scalar(l, k);
    if(!id)
      continue;
    if(r->nbuiltin >= RIFT_EPR_MAX_RULES) {
      fail(l, k, "too many detectors");
      return;
    }
    bv = grow(r->builtin, &l->pv->capbuiltin, r->nbuiltin, sizeof(*bv));
    if(!bv)
      return;
    r->builtin = bv;
    m = &r->builtin[r->nbuiltin++];
    memset(m, 0, sizeof(*m));
    m->id = id;
    m->title = scalar(l, get(l, v, "title"));
    if(!m->title)
      m->title = id;
    m->level = get(l, v, "level") ? (enum rift_level)parse_level(
                                      l, get(l, v, "level"))
                                  : RIFT_LEVEL_MEDIUM;
    m->techniques = techniques(l, get(l, v, "techniques"));
    m->source = "endpoint";
    get_duration(l, v, "group", &m->group_ns);
  }
}

static void behaviour(struct loader *l, const yaml_node_t *root)
{
  struct rift_eprules *r = l->r;
  const yaml_node_t *t = get(l, root, "thresholds");
  const yaml_node_t *n;
  const char *const *list;
  names_list(l, get(l, root, "lolbins"), &r->lolbins, &r->nlolbins,
             &l->pv->caplol);
  names_list(l, get(l, root, "document_readers"), &r->readers, &r->nreaders,
             &l->pv->capread);
  list = strlist(l, get(l, root, "child_ignore"), 1, RIFT_EPR_MAX_LIST);
  if(list)
    r->child_ignore = list;
  list = strlist(l, get(l, root, "lsass_access_ignore"), 1,
                 RIFT_EPR_MAX_LIST);
  if(list)
    r->lsass_ignore = list;
  disc_list(l, get(l, root, "discovery"));
  detectors(l, get(l, root, "detectors"));
  n = get(l, t, "many_children");
  get_count(l, n, "count", &r->many_children);
  get_duration(l, n, "window", &r->many_children_ns);
  n = get(l, t, "discovery_burst");
  get_count(l, n, "distinct", &r->burst_distinct);
  get_duration(l, n, "window", &r->burst_ns);
  n = get(l, t, "powershell");
  get_count(l, n, "min_encoded", &r->ps_min_encoded);
  get_ratio(l, n, "obfuscation", &r->ps_obfuscation);
  get_count(l, n, "min_length", &r->ps_min_len);
  n = get(l, t, "brute_force");
  get_count(l, n, "failures", &r->brute_failures);
  get_duration(l, n, "window", &r->brute_ns);
  n = get(l, t, "password_spray");
  get_count(l, n, "accounts", &r->spray_accounts);
  get_duration(l, n, "window", &r->spray_ns);
  n = get(l, t, "success_after_failures");
  get_count(l, n, "failures", &r->success_after);
  n = get(l, t, "explicit_credentials");
  get_count(l, n, "accounts", &r->explicit_accounts);
  get_duration(l, n, "window", &r->explicit_ns);
  n = get(l, t, "ticket_burst");
  get_count(l, n, "services", &r->tgs_services);
  get_duration(l, n, "window", &r->tgs_ns);
}

/* ---- indicators ------------------------------------------------------- */

static const char *const pf_names[EPR_PF__COUNT] = {
  "image", "name", "command_line", "parent_image", "parent_name",
  "parent_command_line", "user", "integrity", "target", "details", "port",
  "channel", "provider"
};

static int pf_parse(const char *s)
{
  int i;
  for(i = 0; i < EPR_PF__COUNT; i++) {
    if(!strcmp(s, pf_names[i]))
      return i;
  }
  return -1;
}

static int act_kind_parse(const char *s)
{
  unsigned k;
  for(k = 0; k < RIFT_PACT__COUNT; k++) {
    if(!strcmp(s, rift_pact_kind_name(k)))
      return (int)k;
  }
  return -1;
}

static int alt_parse(struct loader *l, const struct rift_epr_rule *rule,
                     const yaml_node_t *map, struct rift_epr_alt *alt)
{
  yaml_node_pair_t *p;
  size_t n;
  if(map->type != YAML_MAPPING_NODE) {
    fail(l, map, "expected a mapping of field: regex");
    return -1;
  }
  n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
  if(n > RIFT_EPR_MAX_CONDS) {
    fail(l, map, "more than %d conditions", RIFT_EPR_MAX_CONDS);
    return -1;
  }
  alt->conds = rift_arena_zalloc(&l->pv->arena, (n ? n : 1) * sizeof(*alt->conds));
  if(!alt->conds)
    return -1;
  alt->nconds = 0;
  for(p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    const yaml_node_t *k = node(l, p->key), *v = node(l, p->value);
    struct rift_epr_cond *c = &alt->conds[alt->nconds];
    const char *name = scalar(l, k), *pat = scalar(l, v);
    if(!name || !pat) {
      fail(l, k, "expected field: regex");
      return -1;
    }
    c->name = name;
    c->pf = pf_parse(name);
    if(rule->on != EPR_ON_EVENT && c->pf < 0) {
      fail(l, k, "'%s' is not a field of %s rules", name,
           rule->on == EPR_ON_ACTIVITY ? "activity" : "process");
      return -1;
    }
    if(rule->on == EPR_ON_EVENT && c->pf >= 0 && c->pf != EPR_PF_CHANNEL &&
       c->pf != EPR_PF_PROVIDER)
      c->pf = -1; /* an event field that happens to share a name */
    if(c->pf < 0) {
      char buf[300];
      int m = snprintf(buf, sizeof(buf), "winlog.event_data.%s", name);
      if(m < 0 || (size_t)m >= sizeof(buf)) {
        fail(l, k, "field name too long");
        return -1;
      }
      c->fid_data = rift_field_id(buf, (size_t)m);
      m = snprintf(buf, sizeof(buf), "winlog.user_data.%s", name);
      c->fid_user = rift_field_id(buf, (size_t)m);
    }
    if(!strcmp(pat, "~")) {
      c->absent = 1;
    } else {
      c->re = compile(l, v, pat);
      if(!c->re)
        return -1;
    }
    alt->nconds++;
  }
  return 0;
}

/* match/not: a mapping (one alternative) or a list of mappings. */
static int alts_parse(struct loader *l, const struct rift_epr_rule *rule,
                      const yaml_node_t *n, struct rift_epr_alt **out,
                      size_t *nout)
{
  int i, len;
  *out = NULL;
  *nout = 0;
  if(!n)
    return 0;
  if(n->type == YAML_MAPPING_NODE) {
    *out = rift_arena_zalloc(&l->pv->arena, sizeof(**out));
    if(!*out)
      return -1;
    *nout = 1;
    return alt_parse(l, rule, n, *out);
  }
  len = seq_len(n);
  if(len < 0 || len > RIFT_EPR_MAX_ALTS) {
    fail(l, n, "expected a mapping or a list of up to %d mappings",
         RIFT_EPR_MAX_ALTS);
    return -1;
  }
  *out = rift_arena_zalloc(&l->pv->arena, ((size_t)len + 1) * sizeof(**out));
  if(!*out)
    return -1;
  for(i = 0; i < len; i++) {
    if(alt_parse(l, rule, seq_at(l, n, i), &(*out)[i]))
      return -1;
  }
  *nout = (size_t)len;
  return 0;
}

static int events_parse(struct loader *l, const yaml_node_t *n,
                        struct rift_epr_rule *rule)
{
  const char *const *v = strlist(l, n, 0, RIFT_EPR_MAX_EVENTS);
  size_t i, cnt = 0;
  if(!v || !v[0]) {
    fail(l, n, "events: expected a list of source:EventID");
    return -1;
  }
  while(v[cnt])
    cnt++;
  rule->events = rift_arena_zalloc(&l->pv->arena, cnt * sizeof(*rule->events));
  if(!rule->events)
    return -1;
  for(i = 0; i < cnt; i++) {
    const char *colon = strchr(v[i], ':');
    char src[64];
    uint64_t id;
    int s;
    size_t sl = colon ? (size_t)(colon - v[i]) : 0;
    if(!colon || sl >= sizeof(src) ||
       wev_parse_u64(colon + 1, strlen(colon + 1), &id) || id > 65535) {
      fail(l, n, "'%s': expected source:EventID (e.g. security:4688)", v[i]);
      return -1;
    }
    memcpy(src, v[i], sl);
    src[sl] = 0;
    s = wev_src_parse(src);
    if(s < 0 && strcmp(src, "any")) {
      fail(l, n, "'%s': unknown source '%s'", v[i], src);
      return -1;
    }
    rule->events[i].src = s; /* -1: any provider */
    rule->events[i].id = (unsigned)id;
  }
  rule->nevents = cnt;
  return 0;
}

static void indicators(struct loader *l, const yaml_node_t *root)
{
  struct rift_eprules *r = l->r;
  const yaml_node_t *list = get(l, root, "rules");
  int i, len = seq_len(list);
  if(!list)
    return;
  if(len < 0) {
    fail(l, list, "rules: expected a list");
    return;
  }
  for(i = 0; i < len; i++) {
    const yaml_node_t *it = seq_at(l, list, i);
    struct rift_epr_rule *rv, *rule;
    const char *on;
    size_t j;
    if(r->nrules >= RIFT_EPR_MAX_RULES) {
      fail(l, it, "more than %d rules", RIFT_EPR_MAX_RULES);
      return;
    }
    rv = grow(r->rules, &l->pv->caprules, r->nrules, sizeof(*rv));
    if(!rv)
      return;
    r->rules = rv;
    rule = &r->rules[r->nrules];
    memset(rule, 0, sizeof(*rule));
    rule->file = l->file;
    rule->line = (int)it->start_mark.line + 1;
    rule->meta.id = scalar(l, get(l, it, "id"));
    rule->meta.title = scalar(l, get(l, it, "title"));
    rule->meta.source = "endpoint";
    if(!rule->meta.id || !rule->meta.title) {
      fail(l, it, "rule without id or title");
      continue;
    }
    for(j = 0; j < r->nrules; j++) {
      if(!strcmp(r->rules[j].meta.id, rule->meta.id)) {
        fail(l, it, "rule id '%s' defined twice", rule->meta.id);
        break;
      }
    }
    rule->meta.level = get(l, it, "level")
                         ? (enum rift_level)parse_level(l, get(l, it, "level"))
                         : RIFT_LEVEL_MEDIUM;
    /* techniques: [] is allowed (an antivirus alert names none), a rule
     * without the key is a mistake */
    if(!get(l, it, "techniques"))
      fail(l, it, "rule '%s' has no techniques: list", rule->meta.id);
    rule->meta.techniques = techniques(l, get(l, it, "techniques"));
    get_duration(l, it, "group", &rule->meta.group_ns);
    rule->message = scalar(l, get(l, it, "message"));
    on = scalar(l, get(l, it, "on"));
    if(!on || !strcmp(on, "event")) {
      rule->on = EPR_ON_EVENT;
      if(events_parse(l, get(l, it, "events"), rule))
        continue;
    } else if(!strcmp(on, "process")) {
      rule->on = EPR_ON_PROCESS;
    } else if(!strcmp(on, "command")) {
      rule->on = EPR_ON_COMMAND;
    } else if(!strcmp(on, "network") || !strcmp(on, "dns") ||
              !strcmp(on, "file") || !strcmp(on, "file_delete") ||
              !strcmp(on, "registry") || !strcmp(on, "image_load") ||
              !strcmp(on, "remote_thread") ||
              !strcmp(on, "process_access") || !strcmp(on, "pipe")) {
      rule->on = EPR_ON_ACTIVITY;
      rule->act_kind = act_kind_parse(on);
    } else {
      fail(l, it, "on: expected event, process, command or an activity "
           "kind");
      continue;
    }
    if(alts_parse(l, rule, get(l, it, "match"), &rule->match, &rule->nmatch))
      continue;
    if(alts_parse(l, rule, get(l, it, "not"), &rule->not, &rule->nnot))
      continue;
    if(rule->on != EPR_ON_EVENT && !rule->nmatch) {
      fail(l, it, "rule '%s' has no match", rule->meta.id);
      continue;
    }
    r->nrules++;
  }
}

/* ---- files --------------------------------------------------------------- */

static int load_text(struct loader *l, const char *name, const char *text,
                     size_t len)
{
  yaml_parser_t p;
  yaml_node_t *root;
  if(len > RIFT_EPR_MAX_FILE) {
    fail(l, NULL, "file larger than %u bytes", RIFT_EPR_MAX_FILE);
    return -1;
  }
  l->file = rift_arena_strdup(&l->pv->arena, name);
  if(!yaml_parser_initialize(&p))
    return -1;
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  if(!yaml_parser_load(&p, &l->doc)) {
    rift_diag_report(l->d, RIFT_DIAG_ERROR, RIFT_CORRUPT, UINT64_MAX,
                     "%s:%lu: %s", name,
                     (unsigned long)p.problem_mark.line + 1,
                     p.problem ? p.problem : "yaml error");
    l->errors++;
    yaml_parser_delete(&p);
    return -1;
  }
  root = yaml_document_get_root_node(&l->doc);
  if(root) {
    if(root->type != YAML_MAPPING_NODE)
      fail(l, root, "expected a mapping at the top");
    else {
      behaviour(l, root);
      indicators(l, root);
    }
  }
  yaml_document_delete(&l->doc);
  yaml_parser_delete(&p);
  return 0;
}

static void defaults(struct rift_eprules *r)
{
  r->many_children = 10;
  r->many_children_ns = 60LL * 1000000000LL;
  r->burst_distinct = 3;
  r->burst_ns = 600LL * 1000000000LL;
  r->ps_min_encoded = 40;
  r->ps_obfuscation = 0.15;
  r->ps_min_len = 40;
  r->brute_failures = 10;
  r->brute_ns = 3600LL * 1000000000LL;
  r->spray_accounts = 10;
  r->spray_ns = 3600LL * 1000000000LL;
  r->success_after = 5;
  r->explicit_accounts = 10;
  r->explicit_ns = 3600LL * 1000000000LL;
  r->tgs_services = 10;
  r->tgs_ns = 300LL * 1000000000LL;
}

static rift_err start(struct rift_eprules **out, struct loader *l,
                      struct rift_diag *d)
{
  struct rift_eprules *r = calloc(1, sizeof(*r));
  struct priv *pv = calloc(1, sizeof(*pv));
  *out = NULL;
  if(!r || !pv) {
    free(r);
    free(pv);
    return RIFT_NOMEM;
  }
  rift_arena_init(&pv->arena, 64u << 20);
  r->priv = pv;
  defaults(r);
  wev_init();
  memset(l, 0, sizeof(*l));
  l->r = r;
  l->pv = pv;
  l->d = d;
  *out = r;
  return RIFT_OK;
}

static rift_err end(struct rift_eprules **out, struct loader *l)
{
  if(l->errors || l->pv->arena.err) {
    rift_eprules_free(out);
    return l->errors ? RIFT_CORRUPT : RIFT_NOMEM;
  }
  return RIFT_OK;
}

rift_err rift_eprules_load_texts(struct rift_eprules **r,
                                 const char *const *names,
                                 const char *const *texts, size_t n,
                                 struct rift_diag *d)
{
  struct loader l;
  size_t i;
  rift_err rc = start(r, &l, d);
  if(rc)
    return rc;
  for(i = 0; i < n; i++)
    load_text(&l, names[i], texts[i], strlen(texts[i]));
  (*r)->origin = "built-in";
  return end(r, &l);
}

/* A rules folder (or archive) is walked as evidence is (rift_walk_files):
 * its *.yaml files in name order, each read once. */
struct eload {
  struct loader *l;
  struct rift_diag *d;
  const char *dir;
  size_t nfiles;
};

static const char *const yaml_ext[] = { ".yaml", NULL };

static rift_err load_rules_file(void *ctx, const char *real, const char *shown)
{
  struct eload *x = ctx;
  struct rift_source src;
  if(++x->nfiles > RIFT_EPR_MAX_FILES) {
    if(x->nfiles == RIFT_EPR_MAX_FILES + 1)
      rift_diag_report(x->d, RIFT_DIAG_ERROR, RIFT_LIMIT, UINT64_MAX,
                       "%s: more than %u rules files, the rest skipped",
                       x->dir, RIFT_EPR_MAX_FILES);
    x->l->errors++;
    return RIFT_OK;
  }
  if(rift_source_open(&src, real, x->d)) {
    x->l->errors++;
    return RIFT_OK;
  }
  load_text(x->l, shown, (const char *)src.data, src.len);
  rift_source_close(&src);
  return RIFT_OK;
}

rift_err rift_eprules_load(struct rift_eprules **r, const char *dir,
                           struct rift_diag *d)
{
  struct loader l;
  struct eload x;
  unsigned werr = 0;
  char envdir[4096];
  rift_err rc;
  if(!dir) {
    /* (not RIFT_RULES: that one lists Sigma rule paths) */
    const char *env = getenv("RIFT_ENDPOINT_RULES");
    if(env && *env) {
      snprintf(envdir, sizeof(envdir), "%s", env);
      dir = envdir;
    }
  }
  if(!dir) {
    const char *nv[64], *tv[64];
    size_t k;
    for(k = 0; rift_epr_builtin[k].name && k < 64; k++) {
      nv[k] = rift_epr_builtin[k].name;
      tv[k] = rift_epr_builtin[k].text;
    }
    return rift_eprules_load_texts(r, nv, tv, k, d);
  }
  rc = start(r, &l, d);
  if(rc)
    return rc;
  memset(&x, 0, sizeof(x));
  x.l = &l;
  x.d = d;
  x.dir = dir;
  rc = rift_walk_files(dir, yaml_ext, RIFT_WALK_MAX_DEPTH, d, &werr,
                       load_rules_file, &x);
  l.errors += (int)werr;
  if(rc) {
    rift_eprules_free(r);
    return rc;
  }
  if(*r)
    (*r)->origin = rift_arena_strdup(&l.pv->arena, dir);
  return end(r, &l);
}

void rift_eprules_free(struct rift_eprules **rp)
{
  struct rift_eprules *r = *rp;
  struct priv *pv;
  struct rift_epr_re *re, *next;
  if(!r)
    return;
  pv = r->priv;
  for(re = pv->res; re; re = next) {
    next = re->next;
    pcre2_code_free(re->code);
    free(re);
  }
  free(r->lolbins);
  free(r->readers);
  free(r->disc);
  free(r->rules);
  free(r->builtin);
  rift_arena_release(&pv->arena);
  free(pv);
  free(r);
  *rp = NULL;
}

const struct rift_epr_meta *rift_eprules_meta(const struct rift_eprules *r,
                                              const char *id)
{
  size_t i;
  for(i = 0; r && i < r->nbuiltin; i++) {
    if(!strcmp(r->builtin[i].id, id))
      return &r->builtin[i];
  }
  return NULL;
}

const struct rift_epr_name *rift_epr_find(const struct rift_epr_name *v,
                                          size_t n, const char *name)
{
  size_t i;
  if(!name)
    return NULL;
  for(i = 0; i < n; i++) {
    if(!strcasecmp(v[i].name, name))
      return &v[i];
  }
  return NULL;
}

int rift_epr_in(const char *const *list, const char *name)
{
  if(!list || !name)
    return 0;
  for(; *list; list++) {
    if(!strcasecmp(*list, name))
      return 1;
  }
  return 0;
}
