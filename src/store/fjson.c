/*
 * fjson.c - the events.fields column: every field of an event as one flat
 * JSON object keyed by field name ({"winlog.channel":"Security",
 * "winlog.event_id":4624, ...}).  A field that occurs more than once
 * becomes an array in the order of first occurrence.  Strings are JSON
 * strings, integers and floats JSON numbers (non-finite floats null),
 * booleans true/false.
 *
 * The parser reads exactly that shape back into an event (nested objects
 * are skipped; nested arrays are flattened one level).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/hmap.h"
#include "store/store-int.h"

/* ---- encoding ------------------------------------------------------------ */

static void add_value(struct rift_buf *o, const struct rift_value *v)
{
  char tmp[40];
  switch(v->type) {
  case RIFT_V_STR:
    rift_buf_addch(o, '"');
    rift_buf_add_json(o, v->s, v->len);
    rift_buf_addch(o, '"');
    break;
  case RIFT_V_INT:
    rift_buf_add_i64(o, v->i);
    break;
  case RIFT_V_UINT:
    rift_buf_add_u64(o, v->u);
    break;
  case RIFT_V_FLOAT:
    if(v->f == 0) {
      /* "-0" would read back as the integer 0: zero has one form */
      rift_buf_addch(o, '0');
    }
    else if(isfinite(v->f)) {
      int n = snprintf(tmp, sizeof(tmp), "%.17g", v->f);
      rift_buf_add(o, tmp, (size_t)n);
    }
    else {
      rift_buf_add(o, "null", 4);
    }
    break;
  case RIFT_V_BOOL:
    rift_buf_adds(o, v->b ? "true" : "false");
    break;
  default:
    rift_buf_add(o, "null", 4);
  }
}

static void add_key(struct rift_buf *o, uint32_t id)
{
  size_t len;
  const char *name = rift_field_name(id, &len);
  rift_buf_addch(o, '"');
  rift_buf_add_json(o, name, len);
  rift_buf_add(o, "\":", 2);
}

rift_err store_fields_json(struct blk *k, struct rift_buf *o,
                           const struct rift_event *e)
{
  uint32_t i, j;
  int dup = 0;
  /* a field seen twice makes this event take the slow path below */
  for(i = 0; i < e->nf; i++) {
    uint32_t id = e->f[i].id;
    uint64_t bit;
    if(id >= BLK_SEEN_IDS) {
      dup = 1;
      continue;
    }
    bit = (uint64_t)1 << (id & 63);
    if(k->seen[id >> 6] & bit)
      dup = 1;
    k->seen[id >> 6] |= bit;
  }
  for(i = 0; i < e->nf; i++) {
    if(e->f[i].id < BLK_SEEN_IDS)
      k->seen[e->f[i].id >> 6] = 0;
  }
  rift_buf_addch(o, '{');
  for(i = 0; i < e->nf; i++) {
    const struct rift_field *f = &e->f[i];
    unsigned count = 1;
    if(dup) {
      for(j = 0; j < i && e->f[j].id != f->id; j++)
        ;
      if(j < i)
        continue; /* written with its first occurrence */
      for(j = i + 1; j < e->nf; j++)
        count += e->f[j].id == f->id;
    }
    if(i)
      rift_buf_addch(o, ',');
    add_key(o, f->id);
    if(count == 1) {
      add_value(o, &f->v);
      continue;
    }
    rift_buf_addch(o, '[');
    for(j = i; j < e->nf; j++) {
      if(e->f[j].id != f->id)
        continue;
      if(j != i)
        rift_buf_addch(o, ',');
      add_value(o, &e->f[j].v);
    }
    rift_buf_addch(o, ']');
  }
  rift_buf_addch(o, '}');
  return o->err;
}

/* ---- parsing ------------------------------------------------------------- */

#define MAX_SKIP_DEPTH 64
#define MAX_KEY 4096

struct jp {
  const char *p;
  size_t n, i;
  struct rift_batch *b;
  struct rift_hmap *cache;
};

static void ws(struct jp *j)
{
  while(j->i < j->n && (j->p[j->i] == ' ' || j->p[j->i] == '\t' ||
                        j->p[j->i] == '\n' || j->p[j->i] == '\r'))
    j->i++;
}

static int hexval(char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static int hex4(const struct jp *j, size_t at, unsigned *v)
{
  int k, h;
  *v = 0;
  if(at + 4 > j->n)
    return -1;
  for(k = 0; k < 4; k++) {
    h = hexval(j->p[at + k]);
    if(h < 0)
      return -1;
    *v = *v << 4 | (unsigned)h;
  }
  return 0;
}

static size_t put_utf8(char *d, unsigned cp)
{
  if(cp < 0x80) {
    d[0] = (char)cp;
    return 1;
  }
  if(cp < 0x800) {
    d[0] = (char)(0xC0 | cp >> 6);
    d[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if(cp < 0x10000) {
    d[0] = (char)(0xE0 | cp >> 12);
    d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  d[0] = (char)(0xF0 | cp >> 18);
  d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  d[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* A JSON string at j->i (the opening quote) decoded into dst (at least as
 * long as the raw string, which a decoding never exceeds); *len set. */
static rift_err str_decode(struct jp *j, char *dst, size_t cap, size_t *len)
{
  size_t o = 0;
  j->i++; /* the quote */
  while(j->i < j->n) {
    char c = j->p[j->i++];
    unsigned cp, lo;
    if(c == '"') {
      *len = o;
      return RIFT_OK;
    }
    if(o + 4 > cap)
      return RIFT_LIMIT;
    if(c != '\\') {
      dst[o++] = c;
      continue;
    }
    if(j->i >= j->n)
      break;
    c = j->p[j->i++];
    switch(c) {
    case 'n': dst[o++] = '\n'; break;
    case 'r': dst[o++] = '\r'; break;
    case 't': dst[o++] = '\t'; break;
    case 'b': dst[o++] = '\b'; break;
    case 'f': dst[o++] = '\f'; break;
    case 'u':
      if(hex4(j, j->i, &cp))
        return RIFT_SYNTAX;
      j->i += 4;
      if(cp >= 0xD800 && cp < 0xDC00 && j->i + 6 <= j->n &&
         j->p[j->i] == '\\' && j->p[j->i + 1] == 'u' &&
         !hex4(j, j->i + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        j->i += 6;
      }
      else if(cp >= 0xD800 && cp < 0xE000) {
        cp = 0xFFFD;
      }
      o += put_utf8(dst + o, cp);
      break;
    default:
      dst[o++] = c; /* \" \\ \/ */
    }
  }
  return RIFT_SYNTAX;
}

/* Raw length of the string at j->i (up to the closing quote). */
static size_t str_rawlen(const struct jp *j)
{
  size_t k = j->i + 1;
  while(k < j->n && j->p[k] != '"')
    k += j->p[k] == '\\' ? 2 : 1;
  return k - j->i;
}

static rift_err skip_value(struct jp *j, int depth);

static rift_err add_scalar(struct jp *j, struct rift_event *e, uint32_t id)
{
  char c;
  ws(j);
  if(j->i >= j->n)
    return RIFT_SYNTAX;
  c = j->p[j->i];
  if(c == '"') {
    size_t cap = str_rawlen(j) + 4, len;
    char *dst = rift_arena_alloc(&j->b->arena, cap + 1);
    rift_err rc;
    if(!dst)
      return j->b->arena.err ? j->b->arena.err : RIFT_NOMEM;
    rc = str_decode(j, dst, cap, &len);
    if(rc)
      return rc;
    dst[len] = 0;
    return rift_event_add_strref(j->b, e, id, dst, len);
  }
  if(c == 't' && j->n - j->i >= 4 && !memcmp(j->p + j->i, "true", 4)) {
    j->i += 4;
    return rift_event_add_bool(j->b, e, id, 1);
  }
  if(c == 'f' && j->n - j->i >= 5 && !memcmp(j->p + j->i, "false", 5)) {
    j->i += 5;
    return rift_event_add_bool(j->b, e, id, 0);
  }
  if(c == 'n' && j->n - j->i >= 4 && !memcmp(j->p + j->i, "null", 4)) {
    struct rift_value v = { .type = RIFT_V_NULL };
    j->i += 4;
    return rift_event_add(j->b, e, id, &v);
  }
  if(c == '-' || (c >= '0' && c <= '9')) {
    size_t s = j->i;
    int isint = 1;
    char num[64];
    while(j->i < j->n) {
      c = j->p[j->i];
      if(c == '.' || c == 'e' || c == 'E' || c == '+')
        isint = 0;
      else if(c != '-' && (c < '0' || c > '9'))
        break;
      j->i++;
    }
    if(j->i - s >= sizeof(num))
      return RIFT_SYNTAX;
    memcpy(num, j->p + s, j->i - s);
    num[j->i - s] = 0;
    if(isint) {
      char *end;
      errno = 0;
      if(num[0] == '-') {
        long long v = strtoll(num, &end, 10);
        if(!errno && !*end)
          return rift_event_add_int(j->b, e, id, v);
      }
      else {
        unsigned long long v = strtoull(num, &end, 10);
        if(!errno && !*end)
          return rift_event_add_uint(j->b, e, id, v);
      }
    }
    return rift_event_add_float(j->b, e, id, strtod(num, NULL));
  }
  if(c == '{' || c == '[')
    return skip_value(j, 0);
  return RIFT_SYNTAX;
}

static rift_err skip_value(struct jp *j, int depth)
{
  char c;
  if(depth > MAX_SKIP_DEPTH)
    return RIFT_LIMIT;
  ws(j);
  if(j->i >= j->n)
    return RIFT_SYNTAX;
  c = j->p[j->i];
  if(c == '"') {
    j->i += str_rawlen(j) + 1;
    return j->i <= j->n ? RIFT_OK : RIFT_SYNTAX;
  }
  if(c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    j->i++;
    for(;;) {
      rift_err rc;
      ws(j);
      if(j->i >= j->n)
        return RIFT_SYNTAX;
      if(j->p[j->i] == close) {
        j->i++;
        return RIFT_OK;
      }
      if(j->p[j->i] == ',' || j->p[j->i] == ':') {
        j->i++;
        continue;
      }
      rc = skip_value(j, depth + 1);
      if(rc)
        return rc;
    }
  }
  {
    size_t start = j->i;
    while(j->i < j->n && j->p[j->i] != ',' && j->p[j->i] != '}' &&
          j->p[j->i] != ']')
      j->i++;
    /* nothing consumed (a stray ']' in an object...): without this the
     * caller's loop would look at the same byte forever */
    return j->i > start ? RIFT_OK : RIFT_SYNTAX;
  }
}

static uint32_t key_id(struct jp *j, const char *k, size_t len)
{
  union rift_hval *v;
  int isnew;
  if(!j->cache)
    return rift_field_id(k, len);
  v = rift_hmap_get(j->cache, k, len);
  if(v)
    return (uint32_t)v->u;
  if(rift_hmap_put(j->cache, k, len, &v, &isnew))
    return rift_field_id(k, len);
  v->u = rift_field_id(k, len);
  return (uint32_t)v->u;
}

rift_err store_fields_parse_cached(struct rift_batch *b, struct rift_event *e,
                                   const char *json, size_t n,
                                   struct rift_hmap *cache)
{
  struct jp j = { json, n, 0, b, cache };
  char key[MAX_KEY];
  rift_err rc;
  ws(&j);
  if(j.i >= n || json[j.i] != '{')
    return RIFT_SYNTAX;
  j.i++;
  for(;;) {
    size_t klen;
    uint32_t id;
    ws(&j);
    if(j.i >= n)
      return RIFT_SYNTAX;
    if(json[j.i] == '}')
      return RIFT_OK;
    if(json[j.i] == ',') {
      j.i++;
      continue;
    }
    if(json[j.i] != '"')
      return RIFT_SYNTAX;
    rc = str_decode(&j, key, sizeof(key), &klen);
    if(rc)
      return rc;
    ws(&j);
    if(j.i >= n || json[j.i] != ':')
      return RIFT_SYNTAX;
    j.i++;
    id = key_id(&j, key, klen);
    if(!id)
      return RIFT_LIMIT;
    ws(&j);
    if(j.i < n && json[j.i] == '[') {
      j.i++;
      for(;;) {
        ws(&j);
        if(j.i >= n)
          return RIFT_SYNTAX;
        if(json[j.i] == ']') {
          j.i++;
          break;
        }
        if(json[j.i] == ',') {
          j.i++;
          continue;
        }
        rc = add_scalar(&j, e, id);
        if(rc)
          return rc;
      }
    }
    else {
      rc = add_scalar(&j, e, id);
      if(rc)
        return rc;
    }
  }
}
