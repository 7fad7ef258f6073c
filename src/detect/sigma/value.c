/*
 * value.c - one detection item ("Field|mod|mod: value(s)") to a node over
 * field tests.
 *
 * Values go through the modifiers in the order written, as the Sigma
 * specification (appendix "modifiers") and pySigma define them:
 *   strings      Sigma escapes (\* \? \\), wildcards * and ?
 *   contains, startswith, endswith        add * around / after / before
 *   all, neq     AND the values / negate the item
 *   cased        case-sensitive (default: ASCII case-insensitive)
 *   base64, base64offset                  encode (offset: three shifts)
 *   utf16le (wide), utf16be, utf16        re-encode (utf16: FF FE + LE)
 *   windash      -, /, en dash, em dash, horizontal bar at word starts
 *   re (+ i, m, s)                         PCRE2 search, case-sensitive
 *   cidr, exists, fieldref, gt/gte/lt/lte, minute..year, expand
 * The result is classified into the cheapest test: equality, prefix,
 * suffix, substring (all found by the literal scanners), or a glob,
 * regex, CIDR, comparison... evaluated on demand.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/field.h"
#include "detect/sigma/sigma-int.h"

const uint8_t sg_lower[256] = {
#define L4(i) L(i), L(i + 1), L(i + 2), L(i + 3)
#define L16(i) L4(i), L4(i + 4), L4(i + 8), L4(i + 12)
#define L(c) (uint8_t)((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))
  L16(0), L16(16), L16(32), L16(48), L16(64), L16(80), L16(96), L16(112),
  L16(128), L16(144), L16(160), L16(176), L16(192), L16(208), L16(224),
  L16(240)
#undef L
#undef L16
#undef L4
};

void sg_errf(struct sg_ctx *c, int unsupported, const char *fmt, ...)
{
  va_list ap;
  if(!c->err || !c->errlen || c->err[0])
    return;
  va_start(ap, fmt);
  vsnprintf(c->err, c->errlen, fmt, ap);
  va_end(ap);
  c->unsupported = unsupported;
}

/* ---- Sigma strings ------------------------------------------------------ */

struct sval {
  uint8_t *b;
  uint8_t *m;      /* 0 literal, '*' or '?' */
  uint32_t n;
};

enum vk { VK_STR, VK_NULL, VK_RE, VK_CIDR, VK_CMP, VK_FREF, VK_EXISTS,
          VK_TIME };

struct tv {
  enum vk k;
  struct sval s;
  const char *raw;
  uint8_t isnum, isbool, boolv, cased;
  uint8_t op;        /* VK_CMP: sg_cmp; VK_TIME: sg_tpart; VK_RE: flags */
  uint8_t fstart, fend;
  double num;
};

#define RE_I 1
#define RE_M 2
#define RE_S 4

static int sv_alloc(struct sg_ctx *c, struct sval *v, size_t n)
{
  if(n > (1u << 24)) {
    sg_errf(c, 0, "value too long");
    return -1;
  }
  v->b = rift_arena_alloc(&c->s->arena, n + 1);
  v->m = rift_arena_zalloc(&c->s->arena, n + 1);
  v->n = 0;
  if(!v->b || !v->m) {
    sg_errf(c, 0, "out of memory");
    return -1;
  }
  return 0;
}

static void sv_put(struct sval *v, uint8_t b, uint8_t m)
{
  v->b[v->n] = b;
  v->m[v->n++] = m;
}

/* Sigma string with escapes: \* \? \\ escape, other backslashes are
 * literal; unescaped * and ? are wildcards. */
static int sv_parse(struct sg_ctx *c, struct sval *v, const char *s, size_t n)
{
  size_t i;
  if(sv_alloc(c, v, n))
    return -1;
  for(i = 0; i < n; i++) {
    if(s[i] == '\\' && i + 1 < n &&
       (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      sv_put(v, (uint8_t)s[++i], 0);
    }
    else if(s[i] == '*' || s[i] == '?') {
      sv_put(v, (uint8_t)s[i], (uint8_t)s[i]);
    }
    else {
      sv_put(v, (uint8_t)s[i], 0);
    }
  }
  return 0;
}

static int sv_special(const struct sval *v)
{
  uint32_t i;
  for(i = 0; i < v->n; i++) {
    if(v->m[i])
      return 1;
  }
  return 0;
}

static int sv_copy(struct sg_ctx *c, struct sval *d, const struct sval *s,
                   size_t extra)
{
  if(sv_alloc(c, d, s->n + extra))
    return -1;
  memcpy(d->b, s->b, s->n);
  memcpy(d->m, s->m, s->n);
  d->n = s->n;
  return 0;
}

/* ---- the value list ------------------------------------------------------ */

struct vlist {
  struct tv *v;
  uint32_t n, cap;
};

static struct tv *vl_add(struct sg_ctx *c, struct vlist *l)
{
  if(++c->nvalues > RIFT_SIGMA_MAX_VALUES) {
    sg_errf(c, 1, "rule expands to more than %u values",
            RIFT_SIGMA_MAX_VALUES);
    return NULL;
  }
  if(l->n == l->cap) {
    uint32_t ncap = l->cap ? l->cap * 2 : 8;
    struct tv *nv = rift_arena_alloc(&c->s->arena, ncap * sizeof(*nv));
    if(!nv) {
      sg_errf(c, 0, "out of memory");
      return NULL;
    }
    if(l->n)
      memcpy(nv, l->v, l->n * sizeof(*nv));
    l->v = nv;
    l->cap = ncap;
  }
  memset(&l->v[l->n], 0, sizeof(l->v[0]));
  return &l->v[l->n++];
}

static int vl_from_scalar(struct sg_ctx *c, struct vlist *l,
                          const struct sy_node *n)
{
  struct tv *t;
  int b;
  if(n->kind != SY_SCALAR) {
    sg_errf(c, 0, "line %u: a value must be a string, number, boolean or "
                  "null", n->line);
    return -1;
  }
  t = vl_add(c, l);
  if(!t)
    return -1;
  t->raw = n->s;
  if(sy_is_null(n)) {
    t->k = VK_NULL;
    return 0;
  }
  t->k = VK_STR;
  t->isnum = (uint8_t)sy_is_number(n);
  if(sy_is_bool(n, &b)) {
    t->isbool = 1;
    t->boolv = (uint8_t)b;
  }
  return sv_parse(c, &t->s, n->s, n->len);
}

/* ---- modifiers ------------------------------------------------------------ */

enum mod {
  M_CONTAINS, M_STARTSWITH, M_ENDSWITH, M_ALL, M_NEQ, M_CASED, M_BASE64,
  M_BASE64OFFSET, M_UTF16LE, M_UTF16BE, M_UTF16, M_WINDASH, M_RE, M_RE_I,
  M_RE_M, M_RE_S, M_CIDR, M_EXISTS, M_FIELDREF, M_GT, M_GTE, M_LT, M_LTE,
  M_EXPAND, M_MINUTE, M_HOUR, M_DAY, M_WEEK, M_MONTH, M_YEAR
};

static const struct { const char *name; enum mod m; } mods[] = {
  { "contains", M_CONTAINS }, { "startswith", M_STARTSWITH },
  { "endswith", M_ENDSWITH }, { "all", M_ALL }, { "neq", M_NEQ },
  { "cased", M_CASED }, { "base64", M_BASE64 },
  { "base64offset", M_BASE64OFFSET }, { "utf16le", M_UTF16LE },
  { "wide", M_UTF16LE }, { "utf16be", M_UTF16BE }, { "utf16", M_UTF16 },
  { "windash", M_WINDASH }, { "re", M_RE }, { "i", M_RE_I },
  { "ignorecase", M_RE_I }, { "m", M_RE_M }, { "multiline", M_RE_M },
  { "s", M_RE_S }, { "dotall", M_RE_S }, { "cidr", M_CIDR },
  { "exists", M_EXISTS }, { "fieldref", M_FIELDREF }, { "gt", M_GT },
  { "gte", M_GTE }, { "lt", M_LT }, { "lte", M_LTE }, { "expand", M_EXPAND },
  { "minute", M_MINUTE }, { "hour", M_HOUR }, { "day", M_DAY },
  { "week", M_WEEK }, { "month", M_MONTH }, { "year", M_YEAR },
};

static int str_only(struct sg_ctx *c, const struct tv *t, const char *mod,
                    unsigned line)
{
  if(t->k != VK_STR) {
    sg_errf(c, 0, "line %u: modifier '%s' applies to strings only", line, mod);
    return -1;
  }
  return 0;
}

static void wrap(struct sg_ctx *c, struct tv *t, int before, int after)
{
  struct sval d;
  int pre = before && !(t->s.n && t->s.m[0] == '*');
  int post = after && !(t->s.n && t->s.m[t->s.n - 1] == '*');
  if(!pre && !post)
    return;
  if(sv_alloc(c, &d, t->s.n + 2))
    return;
  if(pre)
    sv_put(&d, '*', '*');
  memcpy(d.b + d.n, t->s.b, t->s.n);
  memcpy(d.m + d.n, t->s.m, t->s.n);
  d.n += t->s.n;
  if(post)
    sv_put(&d, '*', '*');
  t->s = d;
}

static const char b64[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_encode(struct sg_ctx *c, struct sval *out, const uint8_t *p,
                      size_t n)
{
  size_t i;
  if(sv_alloc(c, out, (n + 2) / 3 * 4))
    return -1;
  for(i = 0; i + 2 < n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
    sv_put(out, (uint8_t)b64[v >> 18], 0);
    sv_put(out, (uint8_t)b64[(v >> 12) & 63], 0);
    sv_put(out, (uint8_t)b64[(v >> 6) & 63], 0);
    sv_put(out, (uint8_t)b64[v & 63], 0);
  }
  if(n - i == 1) {
    uint32_t v = (uint32_t)p[i] << 16;
    sv_put(out, (uint8_t)b64[v >> 18], 0);
    sv_put(out, (uint8_t)b64[(v >> 12) & 63], 0);
    sv_put(out, '=', 0);
    sv_put(out, '=', 0);
  }
  else if(n - i == 2) {
    uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
    sv_put(out, (uint8_t)b64[v >> 18], 0);
    sv_put(out, (uint8_t)b64[(v >> 12) & 63], 0);
    sv_put(out, (uint8_t)b64[(v >> 6) & 63], 0);
    sv_put(out, '=', 0);
  }
  return 0;
}

/* Decode one UTF-8 sequence at p[i]; returns the code point and advances
 * i, or -1 if malformed. */
static long utf8_next(const uint8_t *p, uint32_t n, uint32_t *i)
{
  uint32_t c = p[*i], need, k;
  long cp;
  if(c < 0x80) {
    (*i)++;
    return (long)c;
  }
  if(c >= 0xc2 && c <= 0xdf) {
    need = 1;
    cp = c & 0x1f;
  }
  else if(c >= 0xe0 && c <= 0xef) {
    need = 2;
    cp = c & 0x0f;
  }
  else if(c >= 0xf0 && c <= 0xf4) {
    need = 3;
    cp = c & 0x07;
  }
  else {
    return -1;
  }
  if(n - *i <= need)
    return -1;
  for(k = 1; k <= need; k++) {
    uint8_t cc = p[*i + k];
    if((cc & 0xc0) != 0x80)
      return -1;
    cp = cp << 6 | (cc & 0x3f);
  }
  *i += need + 1;
  if(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return -1;
  return cp;
}

static int to_utf16(struct sg_ctx *c, struct tv *t, int be, int bom,
                    unsigned line)
{
  struct sval d;
  uint32_t i = 0;
  if(sv_alloc(c, &d, (size_t)t->s.n * 4 + 2))
    return -1;
  if(bom) {
    sv_put(&d, 0xff, 0);
    sv_put(&d, 0xfe, 0);
  }
  while(i < t->s.n) {
    long cp;
    uint32_t u[2], nu = 1, k;
    if(t->s.m[i]) {
      sv_put(&d, t->s.b[i], t->s.m[i]);
      i++;
      continue;
    }
    cp = utf8_next(t->s.b, t->s.n, &i);
    if(cp < 0) {
      sg_errf(c, 0, "line %u: value is not valid UTF-8", line);
      return -1;
    }
    if(cp >= 0x10000) {
      u[0] = 0xd800 + (uint32_t)((cp - 0x10000) >> 10);
      u[1] = 0xdc00 + (uint32_t)((cp - 0x10000) & 0x3ff);
      nu = 2;
    }
    else {
      u[0] = (uint32_t)cp;
    }
    for(k = 0; k < nu; k++) {
      uint8_t lo = (uint8_t)(u[k] & 0xff), hi = (uint8_t)(u[k] >> 8);
      sv_put(&d, be ? hi : lo, 0);
      sv_put(&d, be ? lo : hi, 0);
    }
  }
  t->s = d;
  return 0;
}

static int is_word(uint8_t b)
{
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
         (b >= '0' && b <= '9') || b == '_' || b >= 0x80;
}

#define MAX_WINDASH 6

/* Every dash/slash at the start of a word in five spellings. */
static int windash(struct sg_ctx *c, struct vlist *out, const struct tv *t)
{
  static const char *const alt[5] = { "-", "/", "\xe2\x80\x93",
                                      "\xe2\x80\x94", "\xe2\x80\x95" };
  uint32_t pos[MAX_WINDASH], np = 0, i, total = 1, v;
  for(i = 0; i < t->s.n; i++) {
    uint8_t b = t->s.b[i];
    if(t->s.m[i] || (b != '-' && b != '/'))
      continue;
    if(i > 0 && !t->s.m[i - 1] && is_word(t->s.b[i - 1]))
      continue;
    if(i + 1 >= t->s.n || t->s.m[i + 1] || !is_word(t->s.b[i + 1]))
      continue;
    if(np == MAX_WINDASH) {
      sg_errf(c, 1, "windash value with more than %d dashes", MAX_WINDASH);
      return -1;
    }
    pos[np++] = i;
  }
  for(i = 0; i < np; i++)
    total *= 5;
  for(v = 0; v < total; v++) {
    struct tv *n = vl_add(c, out);
    uint32_t k = 0, code = v, j;
    if(!n)
      return -1;
    *n = *t;
    if(sv_alloc(c, &n->s, (size_t)t->s.n + 2 * np))
      return -1;
    for(j = 0; j < t->s.n; j++) {
      if(k < np && pos[k] == j) {
        const char *a = alt[code % 5];
        code /= 5;
        k++;
        while(*a)
          sv_put(&n->s, (uint8_t)*a++, 0);
      }
      else {
        sv_put(&n->s, t->s.b[j], t->s.m[j]);
      }
    }
  }
  return 0;
}

/* Placeholders: %name% in the raw value (\% is a plain percent), each
 * replaced by every value given for it. */
static int expand(struct sg_ctx *c, struct vlist *out, const struct tv *t,
                  unsigned line)
{
  struct vlist cur = { 0 }, next;
  const char *s = t->raw;
  size_t n = strlen(s), i = 0, lit0;
  struct tv *first;
  first = vl_add(c, &cur);
  if(!first)
    return -1;
  *first = *t;
  if(sv_alloc(c, &first->s, 0))
    return -1;
  while(i < n) {
    const char *end;
    const struct sy_node *vals;
    union rift_hval *hv;
    uint32_t k, j, nv;
    if(s[i] == '\\' && i + 1 < n && s[i + 1] == '%') {
      /* plain percent: append to every partial value */
      lit0 = i + 1;
      i += 2;
      goto literal;
    }
    if(s[i] != '%' || !(end = memchr(s + i + 1, '%', n - i - 1))) {
      lit0 = i;
      i++;
      while(i < n && s[i] != '%' && s[i] != '\\')
        i++;
      if(i < n && s[i] == '\\' && !(i + 1 < n && s[i + 1] == '%'))
        i++;
      goto literal;
    }
    hv = rift_hmap_get(&c->s->placeholders, s + i + 1,
                       (size_t)(end - (s + i + 1)));
    if(!hv) {
      sg_errf(c, 1, "placeholder %.*s has no values (give them with "
                    "--placeholders FILE)", (int)(end - (s + i) + 1), s + i);
      return -1;
    }
    vals = hv->p;
    nv = vals->kind == SY_SEQ ? vals->n : 1;
    memset(&next, 0, sizeof(next));
    for(k = 0; k < cur.n; k++) {
      for(j = 0; j < nv; j++) {
        const struct sy_node *pv = vals->kind == SY_SEQ ? vals->kids[j] : vals;
        struct sval add;
        struct tv *nt;
        if(pv->kind != SY_SCALAR || sv_parse(c, &add, pv->s, pv->len))
          return -1;
        nt = vl_add(c, &next);
        if(!nt)
          return -1;
        *nt = cur.v[k];
        if(sv_copy(c, &nt->s, &cur.v[k].s, add.n))
          return -1;
        memcpy(nt->s.b + nt->s.n, add.b, add.n);
        memcpy(nt->s.m + nt->s.n, add.m, add.n);
        nt->s.n += add.n;
      }
    }
    cur = next;
    i = (size_t)(end - s) + 1;
    continue;
  literal: {
      struct sval lit;
      if(sv_parse(c, &lit, s + lit0, i - lit0))
        return -1;
      for(k = 0; k < cur.n; k++) {
        struct sval d;
        if(sv_copy(c, &d, &cur.v[k].s, lit.n))
          return -1;
        memcpy(d.b + d.n, lit.b, lit.n);
        memcpy(d.m + d.n, lit.m, lit.n);
        d.n += lit.n;
        cur.v[k].s = d;
      }
    }
  }
  (void)line;
  for(i = 0; i < cur.n; i++) {
    struct tv *nt = vl_add(c, out);
    if(!nt)
      return -1;
    *nt = cur.v[i];
  }
  return 0;
}

/* ---- tests ---------------------------------------------------------------- */

static int parse_cidr(struct sg_test *t, const char *s)
{
  char ip[64];
  const char *slash = strchr(s, '/');
  size_t n = slash ? (size_t)(slash - s) : strlen(s);
  unsigned long bits;
  char *end;
  if(n >= sizeof(ip))
    return -1;
  memcpy(ip, s, n);
  ip[n] = 0;
  if(inet_pton(AF_INET, ip, t->addr) == 1)
    t->fam = 4;
  else if(inet_pton(AF_INET6, ip, t->addr) == 1)
    t->fam = 6;
  else
    return -1;
  bits = t->fam == 4 ? 32 : 128;
  if(slash) {
    unsigned long b = strtoul(slash + 1, &end, 10);
    if(end == slash + 1 || *end || b > bits)
      return -1;
    bits = b;
  }
  t->bits = (uint32_t)bits;
  return 0;
}

static uint32_t mk_test(struct sg_ctx *c, struct sg_test *t)
{
  uint32_t id = sg_intern_test(c->s, t);
  if(id == UINT32_MAX) {
    sg_errf(c, 0, "out of memory");
    return UINT32_MAX;
  }
  return sg_new_node(c->s, N_TEST, 0, id);
}

static char *lower_dup(struct sg_ctx *c, const uint8_t *b, uint32_t n,
                       int cased)
{
  char *d = rift_arena_alloc(&c->s->arena, (size_t)n + 1);
  uint32_t i;
  if(!d)
    return NULL;
  for(i = 0; i < n; i++)
    d[i] = (char)(cased ? b[i] : sg_lower[b[i]]);
  d[n] = 0;
  return d;
}

static char *raw_dup(struct sg_ctx *c, const uint8_t *b, uint32_t n)
{
  return lower_dup(c, b, n, 1);
}

/* Compile a regex (flags RE_*) into t->re. */
static int compile_re(struct sg_ctx *c, struct sg_test *t, const char *re,
                      unsigned flags, unsigned line)
{
  uint32_t opts = 0;
  int errcode;
  PCRE2_SIZE erroff;
  pcre2_code *code;
  const char *p;
  for(p = re; *p; p++) {
    if((uint8_t)*p >= 0x80) {
      opts |= PCRE2_UTF;
      break;
    }
  }
  if(flags & RE_I)
    opts |= PCRE2_CASELESS;
  if(flags & RE_M)
    opts |= PCRE2_MULTILINE;
  if(flags & RE_S)
    opts |= PCRE2_DOTALL;
  code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, opts, &errcode,
                       &erroff, NULL);
  if(!code) {
    PCRE2_UCHAR msg[128];
    pcre2_get_error_message(errcode, msg, sizeof(msg));
    sg_errf(c, 0, "line %u: bad regular expression at offset %zu: %s", line,
            (size_t)erroff, (const char *)msg);
    return -1;
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* interpreter if no JIT */
  t->re = code;
  return 0;
}

/* Longest run of literal bytes in a glob (for its prefilter). */
static void longest_piece(const struct sval *v, uint32_t *start, uint32_t *len)
{
  uint32_t i = 0, best = 0, bs = 0;
  while(i < v->n) {
    uint32_t j = i;
    while(j < v->n && !v->m[j])
      j++;
    if(j - i > best) {
      best = j - i;
      bs = i;
    }
    i = j + 1;
  }
  *start = bs;
  *len = best;
}

/* A string value (with wildcards) as a test on fields f. */
static uint32_t str_test(struct sg_ctx *c, const struct tv *v,
                         const uint32_t *f, uint32_t nf, int keyword)
{
  struct sg_test t;
  struct sval s = v->s;
  uint32_t i, nstar = 0, nq = 0, lead, trail;
  memset(&t, 0, sizeof(t));
  t.f = f;
  t.nf = nf;
  t.cased = v->cased;
  t.piece = UINT32_MAX;
  if(keyword) {
    /* keywords are found anywhere in any value */
    struct tv w = *v;
    wrap(c, &w, 1, 1);
    s = w.s;
  }
  /* collapse runs of '*' */
  if(s.n > 1) {
    struct sval d;
    if(sv_alloc(c, &d, s.n))
      return UINT32_MAX;
    for(i = 0; i < s.n; i++) {
      if(s.m[i] == '*' && d.n && d.m[d.n - 1] == '*')
        continue;
      sv_put(&d, s.b[i], s.m[i]);
    }
    s = d;
  }
  for(i = 0; i < s.n; i++) {
    nstar += s.m[i] == '*';
    nq += s.m[i] == '?';
  }
  lead = s.n && s.m[0] == '*';
  trail = s.n > lead && s.m[s.n - 1] == '*';
  if(!nq && nstar == lead + trail) {
    uint32_t ln = s.n - lead - trail;
    const uint8_t *lb = s.b + lead;
    if(ln == 0) {
      if(nstar) {
        t.kind = T_ANY;         /* "*": the field has any value */
      }
      else {
        t.kind = T_EMPTY;       /* '': an empty value */
      }
    }
    else {
      t.kind = lead && trail ? T_CONTAINS : lead ? T_SUFFIX
               : trail ? T_PREFIX : T_EQ;
      t.lit = lower_dup(c, lb, ln, 0);   /* scanners fold case */
      t.orig = raw_dup(c, lb, ln);
      t.len = ln;
      if(!t.lit || !t.orig)
        return UINT32_MAX;
    }
    /* keywords are tests with no field (nf == 0): every value */
    return mk_test(c, &t);
  }
  /* a glob; prefilter with its longest literal piece */
  {
    uint32_t ps, pl;
    uint8_t *mask;
    longest_piece(&s, &ps, &pl);
    if(pl >= 2) {
      struct sg_test p;
      memset(&p, 0, sizeof(p));
      p.kind = T_CONTAINS;
      p.f = f;
      p.nf = nf;
      p.piece = UINT32_MAX;
      p.cased = 0;
      p.lit = lower_dup(c, s.b + ps, pl, 0);
      p.orig = raw_dup(c, s.b + ps, pl);
      p.len = pl;
      if(!p.lit || !p.orig)
        return UINT32_MAX;
      t.piece = sg_intern_test(c->s, &p);
    }
    t.kind = T_GLOB;
    t.lit = lower_dup(c, s.b, s.n, t.cased);
    mask = rift_arena_alloc(&c->s->arena, s.n + 1);
    if(!t.lit || !mask)
      return UINT32_MAX;
    memcpy(mask, s.m, s.n);
    for(i = 0; i < s.n; i++)
      mask[i] = mask[i] == '*' ? 1 : mask[i] == '?' ? 2 : 0;
    t.mask = mask;
    t.len = s.n;
    return mk_test(c, &t);
  }
}

static uint32_t value_test(struct sg_ctx *c, const struct tv *v,
                           const uint32_t *f, uint32_t nf, unsigned line)
{
  struct sg_test t;
  memset(&t, 0, sizeof(t));
  t.f = f;
  t.nf = nf;
  t.piece = UINT32_MAX;
  switch(v->k) {
  case VK_STR:
    return str_test(c, v, f, nf, nf == 0);
  case VK_NULL:
    if(!nf) {
      sg_errf(c, 0, "line %u: null needs a field", line);
      return UINT32_MAX;
    }
    t.kind = T_NULL;
    return mk_test(c, &t);
  case VK_RE:
    t.kind = T_RE;
    t.bits = v->op; /* RE_* flags */
    t.lit = raw_dup(c, v->s.b, v->s.n);
    if(!t.lit || compile_re(c, &t, t.lit, v->op, line))
      return UINT32_MAX;
    c->s->nregex++;
    return mk_test(c, &t);
  case VK_CIDR:
    t.kind = T_CIDR;
    if(parse_cidr(&t, v->raw)) {
      sg_errf(c, 0, "line %u: '%s' is not an IP network", line, v->raw);
      return UINT32_MAX;
    }
    return mk_test(c, &t);
  case VK_CMP:
    t.kind = T_CMP;
    t.op = v->op;
    t.num = v->num;
    return mk_test(c, &t);
  case VK_TIME:
    t.kind = T_TIME;
    t.op = v->op;
    t.num = v->num;
    return mk_test(c, &t);
  case VK_EXISTS:
    t.kind = T_EXISTS;
    t.op = v->boolv;
    return mk_test(c, &t);
  case VK_FREF: {
    uint32_t nrf;
    char name[256];
    if(v->s.n >= sizeof(name)) {
      sg_errf(c, 0, "line %u: field name too long", line);
      return UINT32_MAX;
    }
    memcpy(name, v->s.b, v->s.n);
    name[v->s.n] = 0;
    t.kind = T_FIELDREF;
    t.cased = v->cased;
    t.op = v->fstart && v->fend ? FR_CONTAINS : v->fstart ? FR_PREFIX
           : v->fend ? FR_SUFFIX : FR_EQ;
    t.rf = sg_fields(c, name, &nrf);
    t.nrf = nrf;
    if(!t.rf)
      return UINT32_MAX;
    return mk_test(c, &t);
  }
  }
  return UINT32_MAX;
}

uint32_t sg_item(struct sg_ctx *c, const char *key, const struct sy_node *val,
                 unsigned line)
{
  char field[512];
  const char *bar = strchr(key, '|');
  size_t flen = bar ? (size_t)(bar - key) : strlen(key);
  enum mod ms[16];
  uint32_t nm = 0, i, k, nf = 0, *kids;
  const uint32_t *f = NULL;
  struct vlist vl = { 0 };
  int all = 0, neg = 0, has_expand = 0;
  uint32_t node;

  if(flen >= sizeof(field)) {
    sg_errf(c, 0, "line %u: field name too long", line);
    return UINT32_MAX;
  }
  memcpy(field, key, flen);
  field[flen] = 0;
  /* modifiers */
  while(bar) {
    const char *m = bar + 1, *e = strchr(m, '|');
    size_t ml = e ? (size_t)(e - m) : strlen(m), j;
    int found = 0;
    for(j = 0; j < sizeof(mods) / sizeof(mods[0]); j++) {
      if(strlen(mods[j].name) == ml && !memcmp(mods[j].name, m, ml)) {
        if(nm == 16) {
          sg_errf(c, 0, "line %u: too many modifiers", line);
          return UINT32_MAX;
        }
        ms[nm++] = mods[j].m;
        found = 1;
        break;
      }
    }
    if(!found) {
      sg_errf(c, 0, "line %u: unknown modifier '%.*s'", line, (int)ml, m);
      return UINT32_MAX;
    }
    bar = e;
  }
  /* values */
  if(val->kind == SY_SEQ) {
    if(!val->n) {
      sg_errf(c, 0, "line %u: empty list of values", line);
      return UINT32_MAX;
    }
    for(i = 0; i < val->n; i++) {
      if(vl_from_scalar(c, &vl, val->kids[i]))
        return UINT32_MAX;
    }
  }
  else if(val->kind == SY_MAP) {
    sg_errf(c, 0, "line %u: a field's value cannot be a map", line);
    return UINT32_MAX;
  }
  else if(vl_from_scalar(c, &vl, val)) {
    return UINT32_MAX;
  }
  for(i = 0; i < nm; i++)
    has_expand |= ms[i] == M_EXPAND;
  if(has_expand) {
    struct vlist ex = { 0 };
    for(k = 0; k < vl.n; k++) {
      if(vl.v[k].k != VK_STR) {
        sg_errf(c, 0, "line %u: expand applies to strings only", line);
        return UINT32_MAX;
      }
      if(expand(c, &ex, &vl.v[k], line))
        return UINT32_MAX;
    }
    vl = ex;
  }
  for(i = 0; i < nm; i++) {
    enum mod m = ms[i];
    const char *mname = "";
    size_t j;
    for(j = 0; j < sizeof(mods) / sizeof(mods[0]); j++) {
      if(mods[j].m == m) {
        mname = mods[j].name;
        break;
      }
    }
    if(m == M_ALL) {
      all = 1;
      continue;
    }
    if(m == M_NEQ) {
      neg = 1;
      continue;
    }
    if(m == M_EXPAND)
      continue;
    if(m == M_BASE64OFFSET || m == M_WINDASH) {
      struct vlist out = { 0 };
      for(k = 0; k < vl.n; k++) {
        struct tv *t = &vl.v[k];
        if(str_only(c, t, mname, line))
          return UINT32_MAX;
        if(m == M_WINDASH) {
          if(windash(c, &out, t))
            return UINT32_MAX;
          continue;
        }
        if(sv_special(&t->s)) {
          sg_errf(c, 0, "line %u: base64offset of a value with wildcards",
                  line);
          return UINT32_MAX;
        }
        {
          static const int start[3] = { 0, 2, 3 }, endcut[3] = { 0, 3, 2 };
          int sh;
          for(sh = 0; sh < 3; sh++) {
            uint8_t *buf = rift_arena_alloc(&c->s->arena, t->s.n + 3);
            struct sval enc;
            struct tv *nt;
            uint32_t cut, from, to;
            if(!buf) {
              sg_errf(c, 0, "out of memory");
              return UINT32_MAX;
            }
            memset(buf, ' ', (size_t)sh);
            memcpy(buf + sh, t->s.b, t->s.n);
            if(b64_encode(c, &enc, buf, t->s.n + (size_t)sh))
              return UINT32_MAX;
            cut = (uint32_t)endcut[(t->s.n + (uint32_t)sh) % 3];
            from = (uint32_t)start[sh];
            to = enc.n - cut;
            if(to <= from)
              continue;
            nt = vl_add(c, &out);
            if(!nt)
              return UINT32_MAX;
            *nt = *t;
            nt->s.b = enc.b + from;
            nt->s.m = enc.m + from;
            nt->s.n = to - from;
          }
        }
      }
      vl = out;
      continue;
    }
    for(k = 0; k < vl.n; k++) {
      struct tv *t = &vl.v[k];
      switch(m) {
      case M_CONTAINS:
      case M_STARTSWITH:
      case M_ENDSWITH:
        if(t->k == VK_FREF) {
          /* the field starts with / ends with / contains the other */
          if(m != M_ENDSWITH)
            t->fstart = 1;
          if(m != M_STARTSWITH)
            t->fend = 1;
          break;
        }
        if(t->k == VK_RE)
          break; /* regexes search anywhere already */
        if(str_only(c, t, mname, line))
          return UINT32_MAX;
        wrap(c, t, m != M_STARTSWITH, m != M_ENDSWITH);
        break;
      case M_CASED:
        if(t->k != VK_STR && t->k != VK_FREF) {
          sg_errf(c, 0, "line %u: cased applies to strings only", line);
          return UINT32_MAX;
        }
        t->cased = 1;
        break;
      case M_BASE64: {
        struct sval enc;
        if(str_only(c, t, mname, line))
          return UINT32_MAX;
        if(sv_special(&t->s)) {
          sg_errf(c, 0, "line %u: base64 of a value with wildcards", line);
          return UINT32_MAX;
        }
        if(b64_encode(c, &enc, t->s.b, t->s.n))
          return UINT32_MAX;
        t->s = enc;
        break;
      }
      case M_UTF16LE:
      case M_UTF16BE:
      case M_UTF16:
        if(str_only(c, t, mname, line) ||
           to_utf16(c, t, m == M_UTF16BE, m == M_UTF16, line))
          return UINT32_MAX;
        break;
      case M_RE:
        if(str_only(c, t, mname, line))
          return UINT32_MAX;
        t->k = VK_RE;
        /* the regex is the value as written, without Sigma escapes */
        t->s.b = (uint8_t *)t->raw;
        t->s.n = (uint32_t)strlen(t->raw);
        t->s.m = NULL;
        break;
      case M_RE_I:
      case M_RE_M:
      case M_RE_S:
        if(t->k != VK_RE) {
          sg_errf(c, 0, "line %u: modifier '%s' needs re before it", line,
                  mname);
          return UINT32_MAX;
        }
        t->op |= m == M_RE_I ? RE_I : m == M_RE_M ? RE_M : RE_S;
        break;
      case M_CIDR:
        if(str_only(c, t, mname, line))
          return UINT32_MAX;
        t->k = VK_CIDR;
        break;
      case M_EXISTS:
        if(t->k != VK_STR || !t->isbool) {
          sg_errf(c, 0, "line %u: exists needs true or false", line);
          return UINT32_MAX;
        }
        t->k = VK_EXISTS;
        break;
      case M_FIELDREF:
        if(str_only(c, t, mname, line))
          return UINT32_MAX;
        if(sv_special(&t->s)) {
          sg_errf(c, 0, "line %u: fieldref names a field (no wildcards)",
                  line);
          return UINT32_MAX;
        }
        t->k = VK_FREF;
        break;
      case M_GT:
      case M_GTE:
      case M_LT:
      case M_LTE:
        if(t->k != VK_STR || !t->isnum) {
          sg_errf(c, 0, "line %u: '%s' needs a number", line, mname);
          return UINT32_MAX;
        }
        t->k = VK_CMP;
        t->op = (uint8_t)(m == M_GT ? SG_GT : m == M_GTE ? SG_GTE
                          : m == M_LT ? SG_LT : SG_LTE);
        t->num = strtod(t->raw, NULL);
        break;
      case M_MINUTE:
      case M_HOUR:
      case M_DAY:
      case M_WEEK:
      case M_MONTH:
      case M_YEAR:
        if(t->k != VK_STR || !t->isnum) {
          sg_errf(c, 0, "line %u: '%s' needs a number", line, mname);
          return UINT32_MAX;
        }
        t->k = VK_TIME;
        t->op = (uint8_t)(m - M_MINUTE);
        t->num = strtod(t->raw, NULL);
        break;
      default:
        break;
      }
    }
  }
  /* field */
  if(flen) {
    f = sg_fields(c, field, &nf);
    if(!f)
      return UINT32_MAX;
  }
  else {
    for(k = 0; k < vl.n; k++) {
      if(vl.v[k].k != VK_STR && vl.v[k].k != VK_RE) {
        sg_errf(c, 0, "line %u: keywords (values without a field) must be "
                      "strings or regular expressions", line);
        return UINT32_MAX;
      }
    }
  }
  kids = rift_arena_alloc(&c->s->arena, vl.n * sizeof(*kids));
  if(!kids) {
    sg_errf(c, 0, "out of memory");
    return UINT32_MAX;
  }
  for(k = 0; k < vl.n; k++) {
    kids[k] = value_test(c, &vl.v[k], f, nf, line);
    if(kids[k] == UINT32_MAX)
      return UINT32_MAX;
  }
  node = vl.n == 1 ? kids[0]
         : sg_node_list(c->s, all ? N_AND : N_OR, kids, vl.n);
  if(node != UINT32_MAX && neg)
    node = sg_new_node(c->s, N_NOT, 1, node);
  if(node == UINT32_MAX)
    sg_errf(c, 0, "out of memory");
  return node;
}

/* ---- glob matching ---------------------------------------------------------- */

static size_t utf8_len(uint8_t b)
{
  return b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

int sg_glob(const char *p, const uint8_t *mask, size_t pn, const char *s,
            size_t sn, int cased)
{
  size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;
  while(si < sn) {
    if(pi < pn && mask[pi] == 1) {
      star = pi++;
      mark = si;
      continue;
    }
    if(pi < pn && mask[pi] == 2) {
      size_t l = utf8_len((uint8_t)s[si]);
      pi++;
      si += l <= sn - si ? l : sn - si;
      continue;
    }
    if(pi < pn &&
       (cased ? p[pi] == s[si]
              : (uint8_t)p[pi] == sg_lower[(uint8_t)s[si]])) {
      pi++;
      si++;
      continue;
    }
    if(star == (size_t)-1)
      return 0;
    pi = star + 1;
    si = ++mark;
  }
  while(pi < pn && mask[pi] == 1)
    pi++;
  return pi == pn;
}
