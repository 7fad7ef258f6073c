/*
 * evjson.c - events as JSON lines (evjson.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/rtime.h"
#include "out/evjson.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
  unsigned c = s[0];
  size_t l, i;
  unsigned cp;
  if(c < 0x80)
    return 1;
  if(c >= 0xc2 && c <= 0xdf) {
    l = 2;
    cp = c & 0x1f;
  }
  else if(c >= 0xe0 && c <= 0xef) {
    l = 3;
    cp = c & 0x0f;
  }
  else if(c >= 0xf0 && c <= 0xf4) {
    l = 4;
    cp = c & 0x07;
  }
  else {
    return 0;
  }
  if(n < l)
    return 0;
  for(i = 1; i < l; i++) {
    if((s[i] & 0xc0) != 0x80)
      return 0;
    cp = cp << 6 | (s[i] & 0x3f);
  }
  if((l == 3 && cp < 0x800) || (l == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
     (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return l;
}

rift_err rift_evjson_str(struct rift_buf *b, const char *s, size_t n)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, start = 0;
  rift_buf_addch(b, '"');
  while(i < n) {
    size_t l;
    if(u[i] < 0x80) {
      i++;
      continue;
    }
    l = utf8_len(u + i, n - i);
    if(l) {
      i += l;
      continue;
    }
    rift_buf_add_json(b, s + start, i - start);
    rift_buf_add(b, "\xef\xbf\xbd", 3);
    i++;
    start = i;
  }
  rift_buf_add_json(b, s + start, n - start);
  rift_buf_addch(b, '"');
  return b->err;
}

static void key(struct rift_buf *b, int *first, const char *k, size_t kl)
{
  if(!*first)
    rift_buf_addch(b, ',');
  *first = 0;
  rift_evjson_str(b, k, kl);
  rift_buf_addch(b, ':');
}

static void value(struct rift_buf *b, const struct rift_value *v)
{
  char tmp[40];
  switch(v->type) {
  case RIFT_V_STR:
    rift_evjson_str(b, v->s, v->len);
    break;
  case RIFT_V_INT:
    rift_buf_add_i64(b, v->i);
    break;
  case RIFT_V_UINT:
    rift_buf_add_u64(b, v->u);
    break;
  case RIFT_V_FLOAT: {
    int n = snprintf(tmp, sizeof(tmp), "%.17g", v->f);
    if(v->f != v->f || v->f - v->f != 0) /* NaN or inf: not JSON */
      rift_buf_adds(b, "null");
    else
      rift_buf_add(b, tmp, (size_t)n);
    break;
  }
  case RIFT_V_BOOL:
    rift_buf_adds(b, v->b ? "true" : "false");
    break;
  default:
    rift_buf_adds(b, "null");
    break;
  }
}

static void core(struct rift_buf *b, int *first, const char *k,
                 const char *s)
{
  if(!s)
    return;
  key(b, first, k, strlen(k));
  rift_evjson_str(b, s, strlen(s));
}

rift_err rift_event_json(struct rift_buf *b, const struct rift_event *e)
{
  int first = 1;
  uint32_t i, j;
  rift_buf_addch(b, '{');
  if(e->ts != RIFT_TIME_NONE) {
    char t[RIFT_TIME_FMT_MAX];
    size_t n = rift_time_fmt(t, e->ts, 9);
    key(b, &first, "@timestamp", 10);
    rift_evjson_str(b, t, n);
  }
  core(b, &first, "rift.kind", rift_kind_name(e->kind));
  core(b, &first, "event.category", e->category);
  core(b, &first, "event.type", e->type);
  core(b, &first, "event.action", e->action);
  core(b, &first, "event.dataset", e->dataset);
  core(b, &first, "event.provider", e->provider);
  core(b, &first, "event.code", e->code);
  core(b, &first, "event.outcome", e->outcome);
  core(b, &first, "host.name", e->host);
  core(b, &first, "message", e->message);
  for(i = 0; i < e->nf; i++) {
    uint32_t id = e->f[i].id;
    size_t kl;
    const char *k;
    int many = 0, dup = 0;
    for(j = 0; j < i; j++) {
      if(e->f[j].id == id) {
        dup = 1;
        break;
      }
    }
    if(dup)
      continue;
    for(j = i + 1; j < e->nf; j++) {
      if(e->f[j].id == id) {
        many = 1;
        break;
      }
    }
    k = rift_field_name(id, &kl);
    key(b, &first, k, kl);
    if(!many) {
      value(b, &e->f[i].v);
      continue;
    }
    rift_buf_addch(b, '[');
    value(b, &e->f[i].v);
    for(j = i + 1; j < e->nf; j++) {
      if(e->f[j].id == id) {
        rift_buf_addch(b, ',');
        value(b, &e->f[j].v);
      }
    }
    rift_buf_addch(b, ']');
  }
  if(e->record_id) {
    key(b, &first, "rift.source.record_id", 21);
    rift_buf_add_u64(b, e->record_id);
  }
  key(b, &first, "rift.source.offset", 18);
  rift_buf_add_u64(b, e->offset);
  rift_buf_addch(b, '}');
  return b->err;
}
