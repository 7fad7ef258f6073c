/*
 * ja3.c - JA3/JA3S strings and hashes (ja3.h).
 */
#include "core/libcrypto.h"
#include "net/crypto.h"
#include "net/ja3.h"

void rift_md5_hex(char out[RIFT_MD5_HEX], const void *p, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0, i;
  if(!EVP_Digest(p, n, md, &mdlen, rift_md5(), NULL) || mdlen != 16) {
    out[0] = 0;
    return;
  }
  for(i = 0; i < 16; i++) {
    out[2 * i] = hex[md[i] >> 4];
    out[2 * i + 1] = hex[md[i] & 15];
  }
  out[32] = 0;
}

static void add_list16(struct rift_buf *b, const uint16_t *v, unsigned n)
{
  unsigned i;
  int first = 1;
  for(i = 0; i < n; i++) {
    if(rift_tls_grease(v[i]))
      continue;
    if(!first)
      rift_buf_addch(b, '-');
    rift_buf_add_u64(b, v[i]);
    first = 0;
  }
}

rift_err rift_ja3_string(struct rift_buf *b, const struct rift_tls_hello *h)
{
  unsigned i;
  rift_buf_add_u64(b, h->version);
  rift_buf_addch(b, ',');
  add_list16(b, h->ciphers, h->nciphers);
  rift_buf_addch(b, ',');
  add_list16(b, h->exts, h->nexts);
  if(h->client) {
    rift_buf_addch(b, ',');
    add_list16(b, h->groups, h->ngroups);
    rift_buf_addch(b, ',');
    for(i = 0; i < h->npointfmts; i++) {
      if(i)
        rift_buf_addch(b, '-');
      rift_buf_add_u64(b, h->pointfmts[i]);
    }
  }
  return b->err;
}
