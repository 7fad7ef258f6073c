/*
 * json.c - streaming JSON writer and the flat event form (json.h).
 */
#include <math.h>
#include <string.h>

#include "core/rtime.h"
#include "out/json.h"

void rift_json_init(struct rift_json *j, struct rift_buf *b)
{
  memset(j, 0, sizeof(*j));
  j->b = b;
}

static void indent(struct rift_json *j)
{
  int i;
  rift_buf_addch(j->b, '\n');
  for(i = 0; i < j->depth; i++)
    rift_buf_add(j->b, "  ", 2);
}

/* Before a key, or a value in an array: a comma if needed.  After a key,
 * the value follows directly. */
static void sep(struct rift_json *j)
{
  if(j->depth && !j->first[j->depth - 1])
    rift_buf_addch(j->b, ',');
  if(j->depth)
    j->first[j->depth - 1] = 0;
  if(j->pretty && j->depth)
    indent(j);
}

static void before_value(struct rift_json *j)
{
  if(j->depth && j->close[j->depth - 1] == '}') {
    /* the key already wrote the separator */
    return;
  }
  sep(j);
}

void rift_json_begin(struct rift_json *j, char open)
{
  before_value(j);
  if(j->depth >= RIFT_JSON_MAX_DEPTH) {
    j->b->err = RIFT_LIMIT;
    return;
  }
  rift_buf_addch(j->b, open);
  j->first[j->depth] = 1;
  j->close[j->depth] = open == '{' ? '}' : ']';
  j->depth++;
}

void rift_json_end(struct rift_json *j)
{
  int empty;
  if(!j->depth)
    return;
  j->depth--;
  empty = j->first[j->depth];
  if(j->pretty && !empty)
    indent(j);
  rift_buf_addch(j->b, j->close[j->depth]);
}

void rift_json_keyn(struct rift_json *j, const char *k, size_t n)
{
  sep(j);
  rift_buf_addch(j->b, '"');
  rift_buf_add_json(j->b, k, n);
  rift_buf_add(j->b, j->pretty ? "\": " : "\":", j->pretty ? 3 : 2);
}

void rift_json_key(struct rift_json *j, const char *k)
{
  rift_json_keyn(j, k, strlen(k));
}

void rift_json_strn(struct rift_json *j, const char *s, size_t n)
{
  before_value(j);
  if(!s) {
    rift_buf_add(j->b, "null", 4);
    return;
  }
  rift_buf_addch(j->b, '"');
  rift_buf_add_json(j->b, s, n);
  rift_buf_addch(j->b, '"');
}

void rift_json_str(struct rift_json *j, const char *s)
{
  rift_json_strn(j, s, s ? strlen(s) : 0);
}

void rift_json_u64(struct rift_json *j, uint64_t v)
{
  before_value(j);
  rift_buf_add_u64(j->b, v);
}

void rift_json_i64(struct rift_json *j, int64_t v)
{
  before_value(j);
  rift_buf_add_i64(j->b, v);
}

void rift_json_bool(struct rift_json *j, int v)
{
  before_value(j);
  rift_buf_adds(j->b, v ? "true" : "false");
}

void rift_json_null(struct rift_json *j)
{
  before_value(j);
  rift_buf_add(j->b, "null", 4);
}

void rift_json_time(struct rift_json *j, int64_t ns)
{
  char t[RIFT_TIME_FMT_MAX];
  if(ns == RIFT_TIME_NONE) {
    rift_json_null(j);
    return;
  }
  rift_json_strn(j, t, rift_time_fmt(t, ns, 6));
}

void rift_json_value(struct rift_json *j, const struct rift_value *v)
{
  char tmp[40];
  switch(v->type) {
  case RIFT_V_STR:
    rift_json_strn(j, v->s, v->len);
    break;
  case RIFT_V_INT:
    rift_json_i64(j, v->i);
    break;
  case RIFT_V_UINT:
    rift_json_u64(j, v->u);
    break;
  case RIFT_V_FLOAT:
    if(isfinite(v->f)) {
      int n = snprintf(tmp, sizeof(tmp), "%.17g", v->f);
      before_value(j);
      rift_buf_add(j->b, tmp, (size_t)n);
    }
    else {
      rift_json_null(j);
    }
    break;
  case RIFT_V_BOOL:
    rift_json_bool(j, v->b);
    break;
  default:
    rift_json_null(j);
  }
}

static void opt_str(struct rift_json *j, const char *k, const char *v)
{
  if(v) {
    rift_json_key(j, k);
    rift_json_str(j, v);
  }
}

void rift_json_event_flat(struct rift_buf *b, const struct rift_event *e,
                          int64_t id)
{
  struct rift_json j;
  uint32_t i, k;
  rift_json_init(&j, b);
  rift_json_begin(&j, '{');
  if(id >= 0) {
    rift_json_key(&j, "id");
    rift_json_i64(&j, id);
  }
  rift_json_key(&j, "@timestamp");
  rift_json_time(&j, e->ts);
  opt_str(&j, "host.name", e->host);
  rift_json_key(&j, "rift.kind");
  rift_json_str(&j, rift_kind_name(e->kind));
  rift_json_key(&j, "rift.file_id");
  rift_json_u64(&j, e->file_id);
  rift_json_key(&j, "rift.offset");
  rift_json_u64(&j, e->offset);
  if(e->record_id) {
    rift_json_key(&j, "rift.record_id");
    rift_json_u64(&j, e->record_id);
  }
  opt_str(&j, "event.category", e->category);
  opt_str(&j, "event.type", e->type);
  opt_str(&j, "event.action", e->action);
  opt_str(&j, "event.code", e->code);
  opt_str(&j, "event.provider", e->provider);
  opt_str(&j, "event.dataset", e->dataset);
  opt_str(&j, "event.outcome", e->outcome);
  opt_str(&j, "message", e->message);
  for(i = 0; i < e->nf; i++) {
    size_t nl;
    const char *name;
    unsigned count = 0;
    for(k = 0; k < i && e->f[k].id != e->f[i].id; k++)
      ;
    if(k < i)
      continue; /* written with its first occurrence */
    for(k = i; k < e->nf; k++)
      count += e->f[k].id == e->f[i].id;
    name = rift_field_name(e->f[i].id, &nl);
    rift_json_keyn(&j, name, nl);
    if(count == 1) {
      rift_json_value(&j, &e->f[i].v);
      continue;
    }
    rift_json_begin(&j, '[');
    for(k = i; k < e->nf; k++) {
      if(e->f[k].id == e->f[i].id)
        rift_json_value(&j, &e->f[k].v);
    }
    rift_json_end(&j);
  }
  rift_json_end(&j);
}
