/*
 * jsonflat.c - JSON to (path, leaf) pairs (jsonflat.h).
 */
#include <string.h>

#include "core/jsonflat.h"

struct jp {
  const char *p;
  size_t n, i;
  struct rift_buf path, val;
  rift_json_leaf_fn fn;
  void *ctx;
  unsigned leaves;
  rift_err rc;
};

static void ws(struct jp *j)
{
  while(j->i < j->n && (j->p[j->i] == ' ' || j->p[j->i] == '\t' ||
                        j->p[j->i] == '\n' || j->p[j->i] == '\r'))
    j->i++;
}

static int fail(struct jp *j)
{
  if(!j->rc)
    j->rc = RIFT_SYNTAX;
  return -1;
}

static int hex4(struct jp *j, unsigned *v)
{
  unsigned k, x = 0;
  if(j->n - j->i < 4)
    return fail(j);
  for(k = 0; k < 4; k++) {
    char c = j->p[j->i++];
    x <<= 4;
    if(c >= '0' && c <= '9')
      x |= (unsigned)(c - '0');
    else if(c >= 'a' && c <= 'f')
      x |= (unsigned)(c - 'a' + 10);
    else if(c >= 'A' && c <= 'F')
      x |= (unsigned)(c - 'A' + 10);
    else
      return fail(j);
  }
  *v = x;
  return 0;
}

static void put_utf8(struct rift_buf *b, unsigned cp)
{
  char u[4];
  size_t n;
  if(cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  }
  else if(cp < 0x800) {
    u[0] = (char)(0xc0 | cp >> 6);
    u[1] = (char)(0x80 | (cp & 0x3f));
    n = 2;
  }
  else if(cp < 0x10000) {
    u[0] = (char)(0xe0 | cp >> 12);
    u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
    u[2] = (char)(0x80 | (cp & 0x3f));
    n = 3;
  }
  else {
    u[0] = (char)(0xf0 | cp >> 18);
    u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    u[3] = (char)(0x80 | (cp & 0x3f));
    n = 4;
  }
  rift_buf_add(b, u, n);
}

/* A string at j->i (on the quote) into b. */
static int string(struct jp *j, struct rift_buf *b)
{
  size_t start;
  rift_buf_reset(b);
  if(j->i >= j->n || j->p[j->i] != '"')
    return fail(j);
  j->i++;
  start = j->i;
  for(;;) {
    char c;
    if(j->i >= j->n)
      return fail(j);
    c = j->p[j->i];
    if(c == '"') {
      rift_buf_add(b, j->p + start, j->i - start);
      j->i++;
      break;
    }
    if((unsigned char)c < 0x20)
      return fail(j);
    if(c != '\\') {
      j->i++;
      continue;
    }
    rift_buf_add(b, j->p + start, j->i - start);
    j->i++;
    if(j->i >= j->n)
      return fail(j);
    c = j->p[j->i++];
    switch(c) {
    case '"': rift_buf_addch(b, '"'); break;
    case '\\': rift_buf_addch(b, '\\'); break;
    case '/': rift_buf_addch(b, '/'); break;
    case 'b': rift_buf_addch(b, '\b'); break;
    case 'f': rift_buf_addch(b, '\f'); break;
    case 'n': rift_buf_addch(b, '\n'); break;
    case 'r': rift_buf_addch(b, '\r'); break;
    case 't': rift_buf_addch(b, '\t'); break;
    case 'u': {
      unsigned cp, lo;
      if(hex4(j, &cp))
        return -1;
      if(cp >= 0xd800 && cp <= 0xdbff && j->n - j->i >= 6 &&
         j->p[j->i] == '\\' && j->p[j->i + 1] == 'u') {
        size_t save = j->i;
        j->i += 2;
        if(hex4(j, &lo))
          return -1;
        if(lo >= 0xdc00 && lo <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        }
        else {
          j->i = save;
          cp = 0xfffd;
        }
      }
      else if(cp >= 0xd800 && cp <= 0xdfff) {
        cp = 0xfffd;
      }
      put_utf8(b, cp);
      break;
    }
    default:
      return fail(j);
    }
    start = j->i;
  }
  if(b->err) {
    j->rc = b->err;
    return -1;
  }
  return 0;
}

static int leaf(struct jp *j, int type, const char *v, size_t vl)
{
  rift_err rc;
  if(++j->leaves > RIFT_JSON_MAX_LEAVES) {
    j->rc = RIFT_LIMIT;
    return -1;
  }
  rc = j->fn(j->ctx, j->path.buf, j->path.len, type, v, vl);
  if(rc) {
    j->rc = rc;
    return -1;
  }
  return 0;
}

static int value(struct jp *j, unsigned depth)
{
  char c;
  ws(j);
  if(j->i >= j->n)
    return fail(j);
  if(depth > RIFT_JSON_MAX_DEPTH) {
    j->rc = RIFT_LIMIT;
    return -1;
  }
  c = j->p[j->i];
  if(c == '{') {
    size_t base = j->path.len;
    j->i++;
    ws(j);
    if(j->i < j->n && j->p[j->i] == '}') {
      j->i++;
      return 0;
    }
    for(;;) {
      struct rift_buf key;
      int r;
      ws(j);
      rift_buf_init(&key, RIFT_JSON_MAX_PATH);
      r = string(j, &key);
      if(!r) {
        rift_buf_setlen(&j->path, base);
        if(base)
          rift_buf_addch(&j->path, '.');
        rift_buf_add(&j->path, key.buf, key.len);
        if(j->path.err) {
          j->rc = RIFT_LIMIT;
          r = -1;
        }
      }
      rift_buf_release(&key);
      if(r)
        return -1;
      ws(j);
      if(j->i >= j->n || j->p[j->i] != ':')
        return fail(j);
      j->i++;
      if(value(j, depth + 1))
        return -1;
      ws(j);
      if(j->i < j->n && j->p[j->i] == ',') {
        j->i++;
        continue;
      }
      if(j->i < j->n && j->p[j->i] == '}') {
        j->i++;
        rift_buf_setlen(&j->path, base);
        return 0;
      }
      return fail(j);
    }
  }
  if(c == '[') {
    j->i++;
    ws(j);
    if(j->i < j->n && j->p[j->i] == ']') {
      j->i++;
      return 0;
    }
    for(;;) {
      if(value(j, depth + 1))
        return -1;
      ws(j);
      if(j->i < j->n && j->p[j->i] == ',') {
        j->i++;
        continue;
      }
      if(j->i < j->n && j->p[j->i] == ']') {
        j->i++;
        return 0;
      }
      return fail(j);
    }
  }
  if(c == '"') {
    if(string(j, &j->val))
      return -1;
    return leaf(j, RIFT_JSON_STR, j->val.buf, j->val.len);
  }
  if(c == 't' && j->n - j->i >= 4 && !memcmp(j->p + j->i, "true", 4)) {
    j->i += 4;
    return leaf(j, RIFT_JSON_BOOL, "true", 4);
  }
  if(c == 'f' && j->n - j->i >= 5 && !memcmp(j->p + j->i, "false", 5)) {
    j->i += 5;
    return leaf(j, RIFT_JSON_BOOL, "false", 5);
  }
  if(c == 'n' && j->n - j->i >= 4 && !memcmp(j->p + j->i, "null", 4)) {
    j->i += 4;
    return leaf(j, RIFT_JSON_NULL, "null", 4);
  }
  if(c == '-' || (c >= '0' && c <= '9')) {
    size_t s = j->i;
    j->i++;
    while(j->i < j->n) {
      c = j->p[j->i];
      if((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' ||
         c == '+' || c == '-')
        j->i++;
      else
        break;
    }
    rift_buf_reset(&j->val);
    rift_buf_add(&j->val, j->p + s, j->i - s);
    return leaf(j, RIFT_JSON_NUM, j->val.buf, j->val.len);
  }
  return fail(j);
}

rift_err rift_json_flatten(const char *p, size_t n, rift_json_leaf_fn fn,
                           void *ctx, size_t *err_off)
{
  struct jp j;
  memset(&j, 0, sizeof(j));
  j.p = p;
  j.n = n;
  j.fn = fn;
  j.ctx = ctx;
  rift_buf_init(&j.path, RIFT_JSON_MAX_PATH);
  rift_buf_init(&j.val, RIFT_BUF_MAX_LINE);
  if(!value(&j, 0)) {
    ws(&j);
    if(j.i != j.n)
      fail(&j);
  }
  if(j.rc && err_off)
    *err_off = j.i;
  rift_buf_release(&j.path);
  rift_buf_release(&j.val);
  return j.rc;
}
