/*
 * ecs.c - events and findings as ECS documents (ecs.h).
 *
 * An event's values (core members and fields) are gathered into a list
 * of (name, value), sorted so that every name sorts right before the
 * names it is a prefix of ('.' compares below any other byte), and then
 * written in one pass that opens and closes objects as the dotted paths
 * change.
 */
#include <stdlib.h>
#include <string.h>

#include "core/rtime.h"
#include "out/ecs.h"
#include "out/json.h"

#define MAX_COMPONENTS 32

struct rift_ecs_ent {
  const char *name;
  size_t len;
  struct rift_value v;
  uint32_t order;
  int force_array;
};

void rift_ecs_init(struct rift_ecs *x)
{
  x->ent = NULL;
  x->cap = 0;
  rift_buf_init(&x->scratch, RIFT_BUF_MAX_LINE);
}

void rift_ecs_release(struct rift_ecs *x)
{
  free(x->ent);
  x->ent = NULL;
  x->cap = 0;
  rift_buf_release(&x->scratch);
}

static int name_cmp(const char *a, size_t al, const char *b, size_t bl)
{
  size_t i, n = al < bl ? al : bl;
  for(i = 0; i < n; i++) {
    unsigned ca = (unsigned char)a[i], cb = (unsigned char)b[i];
    if(ca == cb)
      continue;
    if(ca == '.')
      return -1;
    if(cb == '.')
      return 1;
    return ca < cb ? -1 : 1;
  }
  return al < bl ? -1 : al > bl;
}

static int ent_cmp(const void *pa, const void *pb)
{
  const struct rift_ecs_ent *a = pa, *b = pb;
  int c = name_cmp(a->name, a->len, b->name, b->len);
  if(c)
    return c;
  return a->order < b->order ? -1 : a->order > b->order;
}

struct comp {
  const char *s;
  size_t n;
};

static size_t split(const char *name, size_t len, struct comp *c)
{
  size_t n = 0, s = 0, i;
  for(i = 0; i <= len && n < MAX_COMPONENTS; i++) {
    if(i == len || name[i] == '.') {
      c[n].s = name + s;
      c[n].n = i - s;
      n++;
      s = i + 1;
    }
  }
  if(n == MAX_COMPONENTS && s <= len) {
    /* the rest stays in the last component */
    c[n - 1].n = len - (size_t)(c[n - 1].s - name);
  }
  return n;
}

static int is_prefix_of(const struct rift_ecs_ent *a,
                        const struct rift_ecs_ent *b)
{
  return b->len > a->len && !memcmp(a->name, b->name, a->len) &&
         b->name[a->len] == '.';
}

static void write_nested(struct rift_json *j, struct rift_ecs_ent *ent,
                         size_t n)
{
  struct comp open[MAX_COMPONENTS], c[MAX_COMPONENTS];
  size_t depth = 0, i = 0, m, p, k;
  while(i < n) {
    size_t gend = i + 1;
    while(gend < n && ent[gend].len == ent[i].len &&
          !memcmp(ent[gend].name, ent[i].name, ent[i].len))
      gend++;
    m = split(ent[i].name, ent[i].len, c);
    p = 0;
    while(p < depth && p + 1 < m && open[p].n == c[p].n &&
          !memcmp(open[p].s, c[p].s, c[p].n))
      p++;
    /* a value that is also a prefix: it sits inside its own object */
    if(p < depth && p + 1 == m && open[p].n == c[p].n &&
       !memcmp(open[p].s, c[p].s, c[p].n))
      p++;
    for(; depth > p; depth--)
      rift_json_end(j);
    for(k = p; k + 1 < m; k++) {
      rift_json_keyn(j, c[k].s, c[k].n);
      rift_json_begin(j, '{');
      open[depth++] = c[k];
    }
    if(depth == m) {
      rift_json_key(j, "value");
    }
    else if(gend < n && is_prefix_of(&ent[i], &ent[gend])) {
      rift_json_keyn(j, c[m - 1].s, c[m - 1].n);
      rift_json_begin(j, '{');
      open[depth++] = c[m - 1];
      rift_json_key(j, "value");
    }
    else {
      rift_json_keyn(j, c[m - 1].s, c[m - 1].n);
    }
    if(gend - i > 1 || ent[i].force_array) {
      rift_json_begin(j, '[');
      for(k = i; k < gend; k++)
        rift_json_value(j, &ent[k].v);
      rift_json_end(j);
    }
    else {
      rift_json_value(j, &ent[i].v);
    }
    i = gend;
  }
  for(; depth; depth--)
    rift_json_end(j);
}

struct ents {
  struct rift_ecs *x;
  size_t n;
  int err;
};

static struct rift_ecs_ent *ent_add(struct ents *es, const char *name,
                                    size_t len)
{
  struct rift_ecs_ent *e;
  if(es->n == es->x->cap &&
     rift_grow((void **)&es->x->ent, &es->x->cap, es->n + 1, sizeof(*es->x->ent),
               64)) {
    es->err = 1;
    return NULL;
  }
  e = &es->x->ent[es->n];
  memset(e, 0, sizeof(*e));
  e->name = name;
  e->len = len;
  e->order = (uint32_t)es->n++;
  return e;
}

static void ent_str(struct ents *es, const char *name, const char *s,
                    size_t n)
{
  struct rift_ecs_ent *e;
  if(!s)
    return;
  e = ent_add(es, name, strlen(name));
  if(!e)
    return;
  e->v.type = RIFT_V_STR;
  e->v.s = s;
  e->v.len = (uint32_t)n;
}

static void ent_u64(struct ents *es, const char *name, uint64_t u)
{
  struct rift_ecs_ent *e = ent_add(es, name, strlen(name));
  if(!e)
    return;
  e->v.type = RIFT_V_UINT;
  e->v.u = u;
}

/* "a,b" -> two values of name, always an array */
static void ent_list(struct ents *es, const char *name, const char *s)
{
  const char *p = s;
  if(!s)
    return;
  while(*p) {
    const char *c = strchr(p, ',');
    size_t n = c ? (size_t)(c - p) : strlen(p);
    struct rift_ecs_ent *e;
    if(n) {
      ent_str(es, name, p, n);
      e = es->n && !es->err ? &es->x->ent[es->n - 1] : NULL;
      if(e)
        e->force_array = 1;
    }
    p += n;
    if(*p == ',')
      p++;
  }
}

rift_err rift_ecs_event(struct rift_ecs *x, struct rift_buf *out,
                        const struct rift_event *e, int64_t id)
{
  struct ents es = { x, 0, 0 };
  struct rift_json j;
  char ts[RIFT_TIME_FMT_MAX];
  uint32_t i;
  if(e->ts != RIFT_TIME_NONE)
    ent_str(&es, "@timestamp", ts, rift_time_fmt(ts, e->ts, 6));
  ent_str(&es, "ecs.version", RIFT_ECS_VERSION, strlen(RIFT_ECS_VERSION));
  ent_str(&es, "event.kind", "event", 5);
  ent_list(&es, "event.category", e->category);
  ent_list(&es, "event.type", e->type);
  if(e->action)
    ent_str(&es, "event.action", e->action, strlen(e->action));
  if(e->code)
    ent_str(&es, "event.code", e->code, strlen(e->code));
  if(e->provider)
    ent_str(&es, "event.provider", e->provider, strlen(e->provider));
  if(e->dataset)
    ent_str(&es, "event.dataset", e->dataset, strlen(e->dataset));
  if(e->outcome)
    ent_str(&es, "event.outcome", e->outcome, strlen(e->outcome));
  if(e->host)
    ent_str(&es, "host.name", e->host, strlen(e->host));
  if(e->message)
    ent_str(&es, "message", e->message, strlen(e->message));
  ent_str(&es, "rift.kind", rift_kind_name(e->kind),
          strlen(rift_kind_name(e->kind)));
  ent_u64(&es, "rift.file_id", e->file_id);
  ent_u64(&es, "rift.offset", e->offset);
  if(e->record_id)
    ent_u64(&es, "rift.record_id", e->record_id);
  if(id >= 0)
    ent_u64(&es, "rift.event_id", (uint64_t)id);
  if(e->kind == RIFT_KIND_EVTX && e->record_id &&
     !rift_event_get(e, RIFT_F_WINLOG_RECORD_ID))
    ent_u64(&es, "winlog.record_id", e->record_id);
  for(i = 0; i < e->nf; i++) {
    size_t nl;
    const char *name = rift_field_name(e->f[i].id, &nl);
    struct rift_ecs_ent *en;
    if(!nl)
      continue;
    en = ent_add(&es, name, nl);
    if(en)
      en->v = e->f[i].v;
  }
  if(es.err)
    return RIFT_NOMEM;
  qsort(x->ent, es.n, sizeof(*x->ent), ent_cmp);
  rift_json_init(&j, out);
  rift_json_begin(&j, '{');
  write_nested(&j, x->ent, es.n);
  rift_json_end(&j);
  return out->err;
}

static void opt(struct rift_json *j, const char *k, const char *v)
{
  if(v && *v) {
    rift_json_key(j, k);
    rift_json_str(j, v);
  }
}

rift_err rift_ecs_finding(struct rift_buf *out,
                          const struct rift_store_finding *sf)
{
  static const int severity[] = { 21, 21, 47, 73, 99 };
  const struct rift_finding *f = &sf->f;
  struct rift_json j;
  size_t i, k;
  int any;
  rift_json_init(&j, out);
  rift_json_begin(&j, '{');
  if(f->ts != RIFT_TIME_NONE) {
    rift_json_key(&j, "@timestamp");
    rift_json_time(&j, f->ts);
  }
  rift_json_key(&j, "ecs");
  rift_json_begin(&j, '{');
  rift_json_key(&j, "version");
  rift_json_str(&j, RIFT_ECS_VERSION);
  rift_json_end(&j);

  rift_json_key(&j, "event");
  rift_json_begin(&j, '{');
  rift_json_key(&j, "kind");
  rift_json_str(&j, "alert");
  rift_json_key(&j, "category");
  rift_json_begin(&j, '[');
  rift_json_str(&j, "intrusion_detection");
  rift_json_end(&j);
  rift_json_key(&j, "type");
  rift_json_begin(&j, '[');
  rift_json_str(&j, "info");
  rift_json_end(&j);
  rift_json_key(&j, "severity");
  rift_json_u64(&j, (unsigned)f->level < 5 ? (uint64_t)severity[f->level]
                                           : 21);
  opt(&j, "provider", f->source);
  rift_json_key(&j, "dataset");
  rift_json_str(&j, "rift.findings");
  if(f->ts != RIFT_TIME_NONE) {
    rift_json_key(&j, "start");
    rift_json_time(&j, f->ts);
    rift_json_key(&j, "end");
    rift_json_time(&j, f->ts_end != RIFT_TIME_NONE ? f->ts_end : f->ts);
  }
  rift_json_end(&j);

  rift_json_key(&j, "rule");
  rift_json_begin(&j, '{');
  opt(&j, "id", f->rule_id);
  opt(&j, "name", f->rule_name);
  opt(&j, "ruleset", f->source);
  rift_json_end(&j);

  if(f->techniques && f->techniques[0]) {
    rift_json_key(&j, "threat");
    rift_json_begin(&j, '{');
    rift_json_key(&j, "framework");
    rift_json_str(&j, "MITRE ATT&CK");
    rift_json_key(&j, "technique");
    rift_json_begin(&j, '{');
    rift_json_key(&j, "id");
    rift_json_begin(&j, '[');
    for(i = 0; f->techniques[i]; i++) {
      const char *t = f->techniques[i], *dot = strchr(t, '.');
      size_t n = dot ? (size_t)(dot - t) : strlen(t);
      /* the parent technique once */
      for(k = 0; k < i; k++) {
        const char *u = f->techniques[k], *ud = strchr(u, '.');
        size_t un = ud ? (size_t)(ud - u) : strlen(u);
        if(un == n && !memcmp(u, t, n))
          break;
      }
      if(k == i)
        rift_json_strn(&j, t, n);
    }
    rift_json_end(&j);
    any = 0;
    for(i = 0; f->techniques[i]; i++)
      any |= strchr(f->techniques[i], '.') != NULL;
    if(any) {
      rift_json_key(&j, "subtechnique");
      rift_json_begin(&j, '{');
      rift_json_key(&j, "id");
      rift_json_begin(&j, '[');
      for(i = 0; f->techniques[i]; i++) {
        if(strchr(f->techniques[i], '.'))
          rift_json_str(&j, f->techniques[i]);
      }
      rift_json_end(&j);
      rift_json_end(&j);
    }
    rift_json_end(&j);
    rift_json_end(&j);
  }
  if(f->tags && f->tags[0]) {
    rift_json_key(&j, "tags");
    rift_json_begin(&j, '[');
    for(i = 0; f->tags[i]; i++)
      rift_json_str(&j, f->tags[i]);
    rift_json_end(&j);
  }
  opt(&j, "message", f->message ? f->message : f->rule_name);
  if(f->host && *f->host) {
    rift_json_key(&j, "host");
    rift_json_begin(&j, '{');
    opt(&j, "name", f->host);
    rift_json_end(&j);
  }
  if(f->user_name && *f->user_name) {
    rift_json_key(&j, "user");
    rift_json_begin(&j, '{');
    opt(&j, "name", f->user_name);
    rift_json_end(&j);
  }
  if(f->source_ip && *f->source_ip) {
    rift_json_key(&j, "source");
    rift_json_begin(&j, '{');
    opt(&j, "ip", f->source_ip);
    rift_json_end(&j);
  }
  if(f->destination_ip && *f->destination_ip) {
    rift_json_key(&j, "destination");
    rift_json_begin(&j, '{');
    opt(&j, "ip", f->destination_ip);
    rift_json_end(&j);
  }
  if((f->process_name && *f->process_name) ||
     (f->process_command_line && *f->process_command_line)) {
    rift_json_key(&j, "process");
    rift_json_begin(&j, '{');
    opt(&j, "name", f->process_name);
    opt(&j, "command_line", f->process_command_line);
    rift_json_end(&j);
  }
  if(f->nrefs) {
    /* the distinct input files of the supporting events */
    rift_json_key(&j, "log");
    rift_json_begin(&j, '{');
    rift_json_key(&j, "file");
    rift_json_begin(&j, '{');
    rift_json_key(&j, "path");
    rift_json_begin(&j, '[');
    for(i = 0; i < f->nrefs; i++) {
      const char *p = sf->ref_paths ? sf->ref_paths[i] : NULL;
      if(!p || !*p)
        continue;
      for(k = 0; k < i; k++) {
        if(sf->ref_paths[k] && !strcmp(sf->ref_paths[k], p))
          break;
      }
      if(k == i)
        rift_json_str(&j, p);
    }
    rift_json_end(&j);
    rift_json_end(&j);
    rift_json_end(&j);
  }
  rift_json_key(&j, "rift");
  rift_json_begin(&j, '{');
  rift_json_key(&j, "finding");
  rift_json_begin(&j, '{');
  rift_json_key(&j, "id");
  rift_json_i64(&j, sf->id);
  rift_json_key(&j, "level");
  rift_json_str(&j, rift_level_name(f->level));
  if(f->details_json && f->details_json[0] == '{') {
    rift_json_key(&j, "details");
    rift_buf_adds(out, f->details_json);
  }
  rift_json_key(&j, "events");
  rift_json_begin(&j, '[');
  for(i = 0; i < f->nrefs; i++) {
    rift_json_begin(&j, '{');
    if(sf->ref_event_ids && sf->ref_event_ids[i]) {
      rift_json_key(&j, "event_id");
      rift_json_i64(&j, sf->ref_event_ids[i]);
    }
    rift_json_key(&j, "file_id");
    rift_json_u64(&j, f->refs[i].file_id);
    if(sf->ref_paths && sf->ref_paths[i]) {
      rift_json_key(&j, "path");
      rift_json_str(&j, sf->ref_paths[i]);
    }
    rift_json_key(&j, "offset");
    rift_json_u64(&j, f->refs[i].offset);
    if(f->refs[i].record_id) {
      rift_json_key(&j, "record_id");
      rift_json_u64(&j, f->refs[i].record_id);
    }
    if(f->refs[i].ts != RIFT_TIME_NONE) {
      rift_json_key(&j, "@timestamp");
      rift_json_time(&j, f->refs[i].ts);
    }
    rift_json_end(&j);
  }
  rift_json_end(&j);
  rift_json_end(&j);
  rift_json_end(&j);
  rift_json_end(&j);
  return out->err;
}
