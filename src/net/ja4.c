/*
 * ja4.c - FoxIO JA4 client fingerprint (ja4.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/libcrypto.h"
#include "net/crypto.h"
#include "net/ja4.h"

static const char hex[] = "0123456789abcdef";

static const char *version_code(uint16_t v)
{
  switch(v) {
  case 0x0304: return "13";
  case 0x0303: return "12";
  case 0x0302: return "11";
  case 0x0301: return "10";
  case 0x0300: return "s3";
  case 0x0002: return "s2";
  case 0xfeff: return "d1";
  case 0xfefd: return "d2";
  case 0xfefc: return "d3";
  default: return "00";
  }
}

static int alnum(uint8_t c)
{
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
         (c >= 'a' && c <= 'z');
}

static int cmp16(const void *a, const void *b)
{
  uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
  return x < y ? -1 : x > y;
}

/* The "a" part: 10 characters. */
static void part_a(char *o, const struct rift_tls_hello *h, char proto)
{
  uint16_t v = 0;
  unsigned i, nc = 0, ne = 0;
  const char *vc;
  if(h->has_versions && h->nversions) {
    for(i = 0; i < h->nversions; i++) {
      if(!rift_tls_grease(h->versions[i]) && h->versions[i] > v)
        v = h->versions[i];
    }
  }
  else {
    v = h->version;
  }
  vc = version_code(v);
  for(i = 0; i < h->nciphers; i++)
    nc += !rift_tls_grease(h->ciphers[i]);
  for(i = 0; i < h->nexts; i++)
    ne += !rift_tls_grease(h->exts[i]);
  if(nc > 99)
    nc = 99;
  if(ne > 99)
    ne = 99;
  o[0] = proto;
  o[1] = vc[0];
  o[2] = vc[1];
  o[3] = h->has_sni ? 'd' : 'i';
  o[4] = (char)('0' + nc / 10);
  o[5] = (char)('0' + nc % 10);
  o[6] = (char)('0' + ne / 10);
  o[7] = (char)('0' + ne % 10);
  if(!h->nalpn || !h->alpn_len[0]) {
    o[8] = o[9] = '0';
  }
  else {
    const uint8_t *a = h->alpn + h->alpn_off[0];
    uint8_t first = a[0], last = a[h->alpn_len[0] - 1];
    if(alnum(first) && alnum(last)) {
      o[8] = (char)first;
      o[9] = (char)last;
    }
    else {
      o[8] = hex[first >> 4];
      o[9] = hex[last & 15];
    }
  }
  o[10] = 0;
}

static void add_hex4(struct rift_buf *b, uint16_t v)
{
  char t[4] = { hex[v >> 12], hex[v >> 8 & 15], hex[v >> 4 & 15],
                hex[v & 15] };
  rift_buf_add(b, t, 4);
}

/* Lists for b and c: ciphers and extensions without GREASE, sorted (or in
 * wire order), extensions without SNI and ALPN unless original. */
static void lists(struct rift_buf *cb, struct rift_buf *eb,
                  const struct rift_tls_hello *h, int original)
{
  uint16_t tmp[RIFT_TLS_MAX_CIPHERS];
  unsigned i, n = 0;
  for(i = 0; i < h->nciphers; i++) {
    if(!rift_tls_grease(h->ciphers[i]))
      tmp[n++] = h->ciphers[i];
  }
  if(!original)
    qsort(tmp, n, sizeof(tmp[0]), cmp16);
  for(i = 0; i < n; i++) {
    if(i)
      rift_buf_addch(cb, ',');
    add_hex4(cb, tmp[i]);
  }
  n = 0;
  for(i = 0; i < h->nexts; i++) {
    uint16_t e = h->exts[i];
    if(rift_tls_grease(e))
      continue;
    if(!original && (e == 0x0000 || e == 0x0010))
      continue;
    tmp[n++] = e;
  }
  if(!original)
    qsort(tmp, n, sizeof(tmp[0]), cmp16);
  for(i = 0; i < n; i++) {
    if(i)
      rift_buf_addch(eb, ',');
    add_hex4(eb, tmp[i]);
  }
  n = 0;
  for(i = 0; i < h->nsigalgs; i++) {
    if(rift_tls_grease(h->sigalgs[i]))
      continue;
    rift_buf_addch(eb, n ? ',' : '_');
    add_hex4(eb, h->sigalgs[i]);
    n++;
  }
}

static void sha12(char *o, const struct rift_buf *b, int empty)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0, i;
  if(empty || !EVP_Digest(b->buf, b->len, md, &mdlen, net_sha256_md(), NULL)) {
    memset(o, '0', 12);
    return;
  }
  for(i = 0; i < 6; i++) {
    o[2 * i] = hex[md[i] >> 4];
    o[2 * i + 1] = hex[md[i] & 15];
  }
}

void rift_ja4(char out[RIFT_JA4_LEN + 1], const struct rift_tls_hello *h,
              char proto)
{
  /* room for the capped lists: 5 bytes a value; no malloc per hello */
  char cs[RIFT_TLS_MAX_CIPHERS * 5 + 8];
  char es[(RIFT_TLS_MAX_EXTS + RIFT_TLS_MAX_SIGALGS) * 5 + 8];
  struct rift_buf cb = { cs, 0, sizeof(cs), sizeof(cs) - 1, RIFT_OK };
  struct rift_buf eb = { es, 0, sizeof(es), sizeof(es) - 1, RIFT_OK };
  int noc = 1, noe = 1;
  unsigned i;
  part_a(out, h, proto);
  lists(&cb, &eb, h, 0);
  for(i = 0; i < h->nciphers; i++)
    noc &= rift_tls_grease(h->ciphers[i]);
  for(i = 0; i < h->nexts; i++) {
    uint16_t e = h->exts[i];
    if(!rift_tls_grease(e) && e != 0 && e != 0x10)
      noe = 0;
  }
  out[10] = '_';
  sha12(out + 11, &cb, noc);
  out[23] = '_';
  sha12(out + 24, &eb, noe);
  out[36] = 0;
}

rift_err rift_ja4_raw(struct rift_buf *b, const struct rift_tls_hello *h,
                      char proto, int original)
{
  char a[11];
  struct rift_buf cb, eb;
  rift_err rc;
  part_a(a, h, proto);
  rift_buf_init(&cb, 1u << 16);
  rift_buf_init(&eb, 1u << 16);
  lists(&cb, &eb, h, original);
  rift_buf_add(b, a, 10);
  rift_buf_addch(b, '_');
  rift_buf_add(b, cb.buf, cb.len);
  rift_buf_addch(b, '_');
  rift_buf_add(b, eb.buf, eb.len);
  rc = b->err ? b->err : cb.err ? cb.err : eb.err;
  rift_buf_release(&cb);
  rift_buf_release(&eb);
  return rc;
}
