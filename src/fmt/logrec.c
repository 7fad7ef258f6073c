/*
 * logrec.c - structured log lines as key/value records (logrec.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/jsonflat.h"
#include "core/rtime.h"
#include "fmt/logrec.h"

void logrec_init(struct logrec *r)
{
  r->kv = NULL;
  r->n = r->cap = 0;
  rift_arena_init(&r->a, 64u << 20);
}

void logrec_release(struct logrec *r)
{
  free(r->kv);
  r->kv = NULL;
  r->n = r->cap = 0;
  rift_arena_release(&r->a);
}

void logrec_clear(struct logrec *r)
{
  r->n = 0;
  rift_arena_clear(&r->a);
}

rift_err logrec_add(struct logrec *r, const char *k, size_t kl, int type,
                    const char *v, size_t vl)
{
  struct logkv *e;
  if(r->n >= RIFT_LOGREC_MAX)
    return RIFT_LIMIT;
  if(r->n == r->cap &&
     rift_grow((void **)&r->kv, &r->cap, r->n + 1, sizeof(*r->kv), 64))
    return RIFT_NOMEM;
  e = &r->kv[r->n];
  e->k = rift_arena_strndup(&r->a, k, kl);
  e->v = rift_arena_strndup(&r->a, v, vl);
  if(!e->k || !e->v)
    return r->a.err ? r->a.err : RIFT_NOMEM;
  e->kl = (uint32_t)kl;
  e->vl = (uint32_t)vl;
  e->type = (uint8_t)type;
  r->n++;
  return RIFT_OK;
}

static rift_err json_leaf(void *ctx, const char *key, size_t klen, int type,
                          const char *val, size_t vlen)
{
  return logrec_add(ctx, key, klen, type, val, vlen);
}

rift_err logrec_json(struct logrec *r, const char *p, size_t n,
                     size_t *err_off)
{
  return rift_json_flatten(p, n, json_leaf, r, err_off);
}

const struct logkv *logrec_nth(const struct logrec *r, const char *k,
                               size_t i)
{
  size_t j, kl = strlen(k);
  for(j = 0; j < r->n; j++) {
    if(r->kv[j].kl == kl && !memcmp(r->kv[j].k, k, kl)) {
      if(!i)
        return &r->kv[j];
      i--;
    }
  }
  return NULL;
}

const struct logkv *logrec_next(const struct logrec *r, const char *k,
                                size_t *pos)
{
  size_t kl = strlen(k);
  while(*pos < r->n) {
    const struct logkv *e = &r->kv[(*pos)++];
    if(e->kl == kl && !memcmp(e->k, k, kl))
      return e;
  }
  return NULL;
}

const struct logkv *logrec_get(const struct logrec *r, const char *k)
{
  return logrec_nth(r, k, 0);
}

int logrec_set(const struct logkv *kv)
{
  if(!kv || kv->type == RIFT_JSON_NULL)
    return 0;
  if(kv->type != RIFT_JSON_STR)
    return 1;
  if(kv->vl == 0 || (kv->vl == 1 && kv->v[0] == '-') ||
     (kv->vl == 7 && !memcmp(kv->v, "(empty)", 7)))
    return 0;
  return 1;
}

rift_err logrec_str(struct rift_batch *b, struct rift_event *e, uint32_t id,
                    const struct logkv *kv)
{
  if(!logrec_set(kv))
    return RIFT_OK;
  return rift_event_add_str(b, e, id, kv->v, kv->vl);
}

rift_err logrec_uint(struct rift_batch *b, struct rift_event *e, uint32_t id,
                     const struct logkv *kv)
{
  char *end;
  unsigned long long v;
  if(!logrec_set(kv) || kv->v[0] == '-')
    return RIFT_OK;
  v = strtoull(kv->v, &end, 10);
  if(end == kv->v)
    return RIFT_OK;
  return rift_event_add_uint(b, e, id, v);
}

rift_err logrec_bool(struct rift_batch *b, struct rift_event *e, uint32_t id,
                     const struct logkv *kv)
{
  if(!logrec_set(kv))
    return RIFT_OK;
  if(kv->vl == 1 && (kv->v[0] == 'T' || kv->v[0] == 'F'))
    return rift_event_add_bool(b, e, id, kv->v[0] == 'T');
  if(kv->type == RIFT_JSON_BOOL)
    return rift_event_add_bool(b, e, id, kv->v[0] == 't');
  return RIFT_OK;
}

int64_t logrec_time(const struct logkv *kv)
{
  int64_t ns;
  const char *s;
  int64_t sec = 0, frac = 0, scale = 1000000000;
  int digits = 0, neg = 0;
  if(!logrec_set(kv))
    return RIFT_TIME_NONE;
  s = kv->v;
  if(kv->type == RIFT_JSON_STR && kv->vl >= 10 && s[4] == '-') {
    if(rift_time_parse(s, kv->vl, &ns))
      return RIFT_TIME_NONE;
    return ns;
  }
  if(*s == '-') {
    neg = 1;
    s++;
  }
  while(*s >= '0' && *s <= '9' && digits < 12) {
    sec = sec * 10 + (*s++ - '0');
    digits++;
  }
  /* seconds that fit in int64 nanoseconds (until 2262) */
  if(!digits || digits >= 12 || sec > 9223372035)
    return RIFT_TIME_NONE;
  if(*s == '.') {
    s++;
    while(*s >= '0' && *s <= '9') {
      if(scale > 1) {
        scale /= 10;
        frac += (*s - '0') * scale;
      }
      s++;
    }
  }
  if(*s)
    return RIFT_TIME_NONE;
  ns = sec * 1000000000ll + frac;
  return neg ? -ns : ns;
}

const char *logrec_transport(const struct logkv *kv)
{
  static const char *const names[] = { "tcp", "udp", "icmp", "ipv6-icmp",
                                       "sctp", "gre" };
  size_t i;
  char low[16];
  if(!logrec_set(kv) || kv->vl >= sizeof(low))
    return NULL;
  for(i = 0; i < kv->vl; i++) {
    char c = kv->v[i];
    low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  low[kv->vl] = 0;
  if(!strcmp(low, "ipv6-icmp") || !strcmp(low, "icmpv6") ||
     !strcmp(low, "icmp6"))
    return "ipv6-icmp";
  for(i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if(!strcmp(low, names[i]))
      return names[i];
  }
  return NULL;
}

rift_err logrec_lines(const struct rift_source *src,
                      const struct rift_parse_opts *o,
                      rift_err (*fn)(void *ctx, const char *line, size_t n,
                                     uint64_t off, uint64_t lineno),
                      void *ctx)
{
  const char *p = (const char *)src->data;
  size_t n = src->len, i = 0;
  uint64_t lineno = 0;
  while(i < n) {
    const char *nl = memchr(p + i, '\n', n - i);
    size_t e = nl ? (size_t)(nl - p) : n, l = e - i;
    rift_err rc;
    lineno++;
    if(o && o->progress && !(lineno & 4095))
      o->progress(o->progress_ctx, i, n);
    if(l && p[i + l - 1] == '\r')
      l--;
    if(l) {
      rc = fn(ctx, p + i, l, i, lineno);
      if(rc)
        return rc;
    }
    i = e + 1;
  }
  return RIFT_OK;
}

void logsink_init(struct logsink *s, struct rift_event_sink *sink,
                  struct rift_parse_stats *st)
{
  rift_batch_init(&s->batch);
  s->sink = sink;
  s->st = st;
}

rift_err logsink_flush(struct logsink *s)
{
  rift_err rc = RIFT_OK;
  if(!s->batch.n)
    return RIFT_OK;
  s->st->records += s->batch.n;
  if(s->sink->prepare)
    rc = s->sink->prepare(s->sink->ctx, &s->batch);
  if(!rc && s->sink->batch)
    rc = s->sink->batch(s->sink->ctx, &s->batch);
  rift_batch_clear(&s->batch);
  return rc;
}

rift_err logsink_maybe_flush(struct logsink *s)
{
  if(s->batch.n >= 1024 || s->batch.arena.total >= (32u << 20))
    return logsink_flush(s);
  return RIFT_OK;
}

void logsink_release(struct logsink *s)
{
  rift_batch_release(&s->batch);
}

/* RDNs of a Suricata DN start where ", " is followed by an attribute
 * name and '='. */
static int rdn_start(const char *s, size_t n, size_t i)
{
  size_t j = i;
  if(j >= n || !((s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= 'a' && s[j] <= 'z')))
    return 0;
  while(j < n && ((s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= 'a' && s[j] <= 'z') ||
                  (s[j] >= '0' && s[j] <= '9') || s[j] == '.'))
    j++;
  return j < n && s[j] == '=';
}

const char *logrec_dn_2253(struct rift_arena *a, const char *s, size_t n)
{
  size_t starts[64], ns = 0, i, k;
  char *out = rift_arena_alloc(a, n * 2 + 16);
  size_t o = 0;
  if(!out)
    return NULL;
  starts[ns++] = 0;
  for(i = 0; i + 2 < n && ns < 64; i++) {
    if(s[i] == ',' && s[i + 1] == ' ' && rdn_start(s, n, i + 2))
      starts[ns++] = i + 2;
  }
  for(k = ns; k-- > 0;) {
    size_t b = starts[k], e = k + 1 < ns ? starts[k + 1] - 2 : n, j;
    int in_value = 0;
    if(o)
      out[o++] = ',';
    if(e - b >= 6 && !memcmp(s + b, "Email=", 6)) {
      memcpy(out + o, "emailAddress=", 13);
      o += 13;
      b += 6;
      in_value = 1;
    }
    for(j = b; j < e; j++) {
      char c = s[j];
      if(!in_value && c == '=') {
        in_value = 1;
        out[o++] = c;
        continue;
      }
      if(in_value && (c == ',' || c == '+' || c == '"' || c == '\\' ||
                      c == '<' || c == '>' || c == ';'))
        out[o++] = '\\';
      out[o++] = c;
    }
  }
  out[o] = 0;
  return out;
}
