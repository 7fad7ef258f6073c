/*
 * hash.c - SHA-256 with OpenSSL's EVP interface (hash.h).
 */
#include "core/libcrypto.h"
#include "source/hash.h"

#define HASH_STEP (8u << 20)

static void hexify(const unsigned char *md, unsigned n, char *hex)
{
  static const char hx[] = "0123456789abcdef";
  unsigned i;
  for(i = 0; i < n; i++) {
    hex[2 * i] = hx[md[i] >> 4];
    hex[2 * i + 1] = hx[md[i] & 15];
  }
  hex[2 * n] = 0;
}

static rift_err digest(const struct rift_source *s, const void *p, size_t n,
                       char *hex)
{
  EVP_MD_CTX *c = EVP_MD_CTX_new();
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned mdlen = 0;
  size_t off = 0;
  uint64_t forgot = 0;
  int ok;
  if(!c)
    return RIFT_NOMEM;
  ok = EVP_DigestInit_ex(c, EVP_sha256(), NULL);
  while(ok && off < n) {
    size_t step = n - off < HASH_STEP ? n - off : HASH_STEP;
    ok = EVP_DigestUpdate(c, (const unsigned char *)p + off, step);
    off += step;
    if(s)
      rift_source_forget_behind(s, &forgot, off);
  }
  if(ok)
    ok = EVP_DigestFinal_ex(c, md, &mdlen);
  EVP_MD_CTX_free(c);
  if(!ok || mdlen != 32)
    return RIFT_UNSUPPORTED;
  hexify(md, mdlen, hex);
  return RIFT_OK;
}

rift_err rift_sha256_source(const struct rift_source *s,
                            char hex[RIFT_SHA256_HEX])
{
  return digest(s, s->data, s->len, hex);
}

rift_err rift_sha256(const void *p, size_t n, char hex[RIFT_SHA256_HEX])
{
  return digest(NULL, p, n, hex);
}
