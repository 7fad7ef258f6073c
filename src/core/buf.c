#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/buf.h"

char rift_buf_slop[1];

void rift_buf_init(struct rift_buf *b, size_t max)
{
  b->buf = rift_buf_slop;
  b->len = 0;
  b->alloc = 0;
  b->max = max;
  b->err = RIFT_OK;
}

void rift_buf_release(struct rift_buf *b)
{
  if(b->alloc)
    free(b->buf);
  rift_buf_init(b, b->max);
}

rift_err rift_grow(void **arr, size_t *cap, size_t need, size_t elem,
                   size_t first)
{
  size_t ncap = *cap ? *cap : first;
  void *na;
  if(need <= *cap)
    return RIFT_OK;
  if(!ncap)
    ncap = 1;
  while(ncap < need) {
    if(ncap > SIZE_MAX / 2)
      return RIFT_NOMEM;
    ncap *= 2;
  }
  if(elem && ncap > SIZE_MAX / elem)
    return RIFT_NOMEM;
  na = realloc(*arr, ncap * elem);
  if(!na)
    return RIFT_NOMEM;
  *arr = na;
  *cap = ncap;
  return RIFT_OK;
}

rift_err rift_buf_grow(struct rift_buf *b, size_t extra)
{
  size_t need, nalloc;
  char *p;
  if(b->err)
    return b->err;
  if(extra > b->max || b->len > b->max - extra) {
    b->err = RIFT_LIMIT;
    return b->err;
  }
  need = b->len + extra + 1;
  if(b->alloc && need <= b->alloc)
    return RIFT_OK;
  nalloc = b->alloc ? b->alloc : 64;
  while(nalloc < need)
    nalloc = nalloc < ((size_t)1 << 62) ? nalloc * 2 : need;
  if(nalloc > b->max + 1)
    nalloc = b->max + 1;
  p = b->alloc ? realloc(b->buf, nalloc) : malloc(nalloc);
  if(!p) {
    b->err = RIFT_NOMEM;
    return b->err;
  }
  if(!b->alloc)
    p[0] = 0;
  b->buf = p;
  b->alloc = nalloc;
  return RIFT_OK;
}

char *rift_buf_detach(struct rift_buf *b, size_t *len)
{
  char *r;
  if(len)
    *len = b->len;
  if(!b->alloc) {
    r = malloc(1);
    if(r)
      r[0] = 0;
  }
  else {
    r = b->buf;
  }
  rift_buf_init(b, b->max);
  return r;
}

rift_err rift_buf_vaddf(struct rift_buf *b, const char *fmt, va_list ap)
{
  va_list cp;
  int n;
  char *d;
  va_copy(cp, ap);
  n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if(n < 0)
    return RIFT_INVALID;
  d = rift_buf_reserve(b, (size_t)n);
  if(!d)
    return b->err;
  vsnprintf(d, (size_t)n + 1, fmt, ap);
  rift_buf_commit(b, (size_t)n);
  return RIFT_OK;
}

rift_err rift_buf_addf(struct rift_buf *b, const char *fmt, ...)
{
  va_list ap;
  rift_err rc;
  va_start(ap, fmt);
  rc = rift_buf_vaddf(b, fmt, ap);
  va_end(ap);
  return rc;
}

static const char digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536"
  "37383940414243444546474849505152535455565758596061626364656667686970717273"
  "7475767778798081828384858687888990919293949596979899";

size_t rift_fmt_u64(char *d, uint64_t v)
{
  size_t n = 1, i;
  uint64_t t = v;
  while(t >= 10) {
    t /= 10;
    n++;
  }
  i = n;
  while(v >= 100) {
    unsigned r = (unsigned)(v % 100);
    v /= 100;
    i -= 2;
    d[i] = digit_pairs[2 * r];
    d[i + 1] = digit_pairs[2 * r + 1];
  }
  if(v >= 10) {
    d[i - 2] = digit_pairs[2 * v];
    d[i - 1] = digit_pairs[2 * v + 1];
  }
  else {
    d[i - 1] = (char)('0' + v);
  }
  return n;
}

rift_err rift_buf_add_u64(struct rift_buf *b, uint64_t v)
{
  char *d = rift_buf_reserve(b, 20);
  if(!d)
    return b->err;
  rift_buf_commit(b, rift_fmt_u64(d, v));
  return RIFT_OK;
}

rift_err rift_buf_add_i64(struct rift_buf *b, int64_t v)
{
  char *d = rift_buf_reserve(b, 21);
  size_t n = 0;
  uint64_t u = (uint64_t)v;
  if(!d)
    return b->err;
  if(v < 0) {
    d[n++] = '-';
    u = 0 - u;
  }
  n += rift_fmt_u64(d + n, u);
  rift_buf_commit(b, n);
  return RIFT_OK;
}

rift_err rift_buf_add_hex(struct rift_buf *b, uint64_t v, int width, int upper)
{
  const char *xd = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[16];
  int i = 16, n;
  char *d = rift_buf_reserve(b, 18);
  if(!d)
    return b->err;
  do {
    tmp[--i] = xd[v & 15];
    v >>= 4;
  } while(v);
  if(width > 16)
    width = 16;
  while(16 - i < width)
    tmp[--i] = '0';
  d[0] = '0';
  d[1] = 'x';
  n = 16 - i;
  memcpy(d + 2, tmp + i, (size_t)n);
  rift_buf_commit(b, (size_t)n + 2);
  return RIFT_OK;
}

/* Index of the first byte of s[i..n) that JSON must escape, or n. */
static size_t json_scan(const char *s, size_t i, size_t n)
{
#ifdef __SSE2__
  const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'),
                lim = _mm_set1_epi8(0x20), sign = _mm_set1_epi8((char)0x80);
  while(n - i >= 16) {
    __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
    /* unsigned c < 0x20: compare with the sign bit flipped */
    __m128i ctl = _mm_cmpgt_epi8(_mm_xor_si128(lim, sign), _mm_xor_si128(x, sign));
    __m128i hit = _mm_or_si128(ctl, _mm_or_si128(_mm_cmpeq_epi8(x, q),
                                                 _mm_cmpeq_epi8(x, bs)));
    int m = _mm_movemask_epi8(hit);
    if(m)
      return i + (size_t)__builtin_ctz((unsigned)m);
    i += 16;
  }
#endif
  for(; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if(c < 0x20 || c == '"' || c == '\\')
      return i;
  }
  return n;
}

rift_err rift_buf_add_json(struct rift_buf *b, const char *s, size_t n)
{
  static const char hx[] = "0123456789abcdef";
  size_t i, start = 0;
  for(i = json_scan(s, 0, n); i < n; i = json_scan(s, i + 1, n)) {
    unsigned char c = (unsigned char)s[i];
    if(c >= 0x20 && c != '"' && c != '\\')
      continue;
    if(i > start && rift_buf_add(b, s + start, i - start))
      return b->err;
    start = i + 1;
    switch(c) {
    case '"': rift_buf_add(b, "\\\"", 2); break;
    case '\\': rift_buf_add(b, "\\\\", 2); break;
    case '\n': rift_buf_add(b, "\\n", 2); break;
    case '\r': rift_buf_add(b, "\\r", 2); break;
    case '\t': rift_buf_add(b, "\\t", 2); break;
    default: {
      char e[6] = { '\\', 'u', '0', '0', hx[c >> 4], hx[c & 15] };
      rift_buf_add(b, e, 6);
    }
    }
  }
  if(i > start)
    rift_buf_add(b, s + start, i - start);
  return b->err;
}

rift_err rift_buf_add_xml(struct rift_buf *b, const char *s, size_t n)
{
  size_t i, start = 0;
  for(i = 0; i < n; i++) {
    const char *e;
    switch(s[i]) {
    case '&': e = "&amp;"; break;
    case '<': e = "&lt;"; break;
    case '>': e = "&gt;"; break;
    case '"': e = "&quot;"; break;
    case '\'': e = "&apos;"; break;
    default:
      if((unsigned char)s[i] >= 0x20 || s[i] == '\t' || s[i] == '\n' ||
         s[i] == '\r')
        continue;
      e = "\xef\xbf\xbd"; /* U+FFFD: XML 1.0 cannot carry this control */
    }
    if(i > start)
      rift_buf_add(b, s + start, i - start);
    rift_buf_adds(b, e);
    start = i + 1;
  }
  if(i > start)
    rift_buf_add(b, s + start, i - start);
  return b->err;
}
