#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/cur.h"
#include "core/utf16.h"

size_t rift_utf8_put(char *d, uint32_t cp)
{
  if(cp < 0x80) {
    d[0] = (char)cp;
    return 1;
  }
  if(cp < 0x800) {
    d[0] = (char)(0xc0 | cp >> 6);
    d[1] = (char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if(cp < 0x10000) {
    d[0] = (char)(0xe0 | cp >> 12);
    d[1] = (char)(0x80 | (cp >> 6 & 0x3f));
    d[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  d[0] = (char)(0xf0 | cp >> 18);
  d[1] = (char)(0x80 | (cp >> 12 & 0x3f));
  d[2] = (char)(0x80 | (cp >> 6 & 0x3f));
  d[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

static inline uint64_t load64(const uint8_t *p)
{
  uint64_t v;
  memcpy(&v, p, 8);
  return v; /* little-endian hosts only: checked in meson.build */
}

/* Four ASCII units in w (all high bytes and bit 7 clear) packed to bytes. */
static inline uint32_t pack4(uint64_t w)
{
  return (uint32_t)((w & 0xff) | (w >> 8 & 0xff00) | (w >> 16 & 0xff0000) |
                    (w >> 24 & 0xff000000));
}

#define LANES_HI 0x8000800080008000ull
#define LANES_1 0x0001000100010001ull

/* Nonzero if any 16-bit lane of w (all < 0x80) is zero. */
static inline uint64_t has_zero16(uint64_t w)
{
  return (w - LANES_1) & ~w & LANES_HI;
}

/* Decode one (possibly surrogate-paired) code point at src[i]; advances i. */
static inline uint32_t next_cp(const uint8_t *src, size_t n, size_t *i)
{
  uint32_t u = rift_le16(src + 2 * *i);
  (*i)++;
  if(u < 0xd800 || u > 0xdfff)
    return u;
  if(u <= 0xdbff && *i < n) {
    uint32_t l = rift_le16(src + 2 * *i);
    if(l >= 0xdc00 && l <= 0xdfff) {
      (*i)++;
      return 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
    }
  }
  return 0xfffd;
}

size_t rift_utf16le_to_utf8(char *dst, const uint8_t *src, size_t n)
{
  size_t i = 0, o = 0;
  while(i < n) {
    if(n - i >= 4) {
      uint64_t w = load64(src + 2 * i);
      if(!(w & 0xff80ff80ff80ff80ull)) {
        uint32_t p = pack4(w);
        memcpy(dst + o, &p, 4);
        o += 4;
        i += 4;
        continue;
      }
    }
    o += rift_utf8_put(dst + o, next_cp(src, n, &i));
  }
  return o;
}

rift_err rift_utf16le_add(struct rift_buf *b, const uint8_t *src, size_t n)
{
  char *d = rift_buf_reserve(b, RIFT_UTF16_MAX(n));
  if(!d)
    return b->err;
  rift_buf_commit(b, rift_utf16le_to_utf8(d, src, n));
  return RIFT_OK;
}

#ifdef __SSE2__
/* Eight code units at p: all ASCII and none needing a JSON escape? */
static inline int plain8_json(const uint8_t *p, __m128i *v)
{
  __m128i x = _mm_loadu_si128((const __m128i *)p);
  __m128i bad = _mm_or_si128(
    _mm_cmpeq_epi16(_mm_and_si128(x, _mm_set1_epi16((short)0xffe0)),
                    _mm_setzero_si128()),              /* < 0x20 */
    _mm_or_si128(_mm_cmpeq_epi16(x, _mm_set1_epi16('"')),
                 _mm_cmpeq_epi16(x, _mm_set1_epi16('\\'))));
  bad = _mm_or_si128(bad, _mm_xor_si128(
    _mm_cmpeq_epi16(_mm_and_si128(x, _mm_set1_epi16((short)0xff80)),
                    _mm_setzero_si128()),
    _mm_set1_epi16(-1)));                              /* >= 0x80 */
  *v = x;
  return !_mm_movemask_epi8(bad);
}
#endif

rift_err rift_utf16le_add_json(struct rift_buf *b, const uint8_t *src, size_t n)
{
  return rift_utf16le_add_json_z(b, src, n, 0);
}

rift_err rift_utf16le_add_json_z(struct rift_buf *b, const uint8_t *src,
                                 size_t n, int stop_at_nul)
{
  static const char hx[] = "0123456789abcdef";
  size_t i = 0, o = 0;
  char *d = rift_buf_reserve(b, n * 6);
  if(!d)
    return b->err;
  while(i < n) {
    uint32_t cp;
#ifdef __SSE2__
    if(n - i >= 8) {
      __m128i v;
      if(plain8_json(src + 2 * i, &v)) {
        _mm_storel_epi64((__m128i *)(d + o), _mm_packus_epi16(v, v));
        o += 8;
        i += 8;
        continue;
      }
    }
#endif
    if(n - i >= 4) {
      uint64_t w = load64(src + 2 * i);
      if(!(w & 0xff80ff80ff80ff80ull) &&
         !((w - 0x0020002000200020ull) & ~w & LANES_HI) &&
         !has_zero16(w ^ 0x0022002200220022ull) &&
         !has_zero16(w ^ 0x005c005c005c005cull)) {
        uint32_t p = pack4(w);
        memcpy(d + o, &p, 4);
        o += 4;
        i += 4;
        continue;
      }
    }
    cp = next_cp(src, n, &i);
    if(cp >= 0x20 && cp != '"' && cp != '\\') {
      o += rift_utf8_put(d + o, cp);
      continue;
    }
    if(!cp && stop_at_nul)
      break;
    d[o++] = '\\';
    switch(cp) {
    case '"': d[o++] = '"'; break;
    case '\\': d[o++] = '\\'; break;
    case '\n': d[o++] = 'n'; break;
    case '\r': d[o++] = 'r'; break;
    case '\t': d[o++] = 't'; break;
    default:
      d[o++] = 'u';
      d[o++] = '0';
      d[o++] = '0';
      d[o++] = hx[cp >> 4];
      d[o++] = hx[cp & 15];
    }
  }
  rift_buf_commit(b, o);
  return RIFT_OK;
}

rift_err rift_utf16le_add_xml(struct rift_buf *b, const uint8_t *src, size_t n)
{
  size_t i = 0, o = 0;
  char *d = rift_buf_reserve(b, n * 6);
  if(!d)
    return b->err;
  while(i < n) {
    uint32_t cp;
    const char *e;
    size_t el;
    if(n - i >= 4) {
      uint64_t w = load64(src + 2 * i);
      if(!(w & 0xff80ff80ff80ff80ull) &&
         !((w - 0x0020002000200020ull) & ~w & LANES_HI) &&
         !has_zero16(w ^ 0x0026002600260026ull) &&
         !has_zero16(w ^ 0x003c003c003c003cull) &&
         !has_zero16(w ^ 0x003e003e003e003eull) &&
         !has_zero16(w ^ 0x0022002200220022ull) &&
         !has_zero16(w ^ 0x0027002700270027ull)) {
        uint32_t p = pack4(w);
        memcpy(d + o, &p, 4);
        o += 4;
        i += 4;
        continue;
      }
    }
    cp = next_cp(src, n, &i);
    switch(cp) {
    case '&': e = "&amp;"; el = 5; break;
    case '<': e = "&lt;"; el = 4; break;
    case '>': e = "&gt;"; el = 4; break;
    case '"': e = "&quot;"; el = 6; break;
    case '\'': e = "&apos;"; el = 6; break;
    default:
      /* XML 1.0 cannot carry other controls: U+FFFD keeps it well-formed */
      if(cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
        cp = 0xfffd;
      o += rift_utf8_put(d + o, cp);
      continue;
    }
    memcpy(d + o, e, el);
    o += el;
  }
  rift_buf_commit(b, o);
  return RIFT_OK;
}

size_t rift_utf16le_strnlen(const uint8_t *src, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    if(!src[2 * i] && !src[2 * i + 1])
      return i;
  }
  return n;
}
