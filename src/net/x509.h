/*
 * x509.h - the facts a responder wants from an X.509 certificate, read
 * with OpenSSL (d2i_X509).
 *
 * Names are RFC 2253 strings as OpenSSL prints them (most specific RDN
 * first, "CN=host,O=Org,C=US", special characters escaped, UTF-8 kept);
 * the serial is the unsigned big-endian magnitude in uppercase hex ("-"
 * prefix if negative); fingerprints are lowercase hex of the DER.
 *
 * self_issued = subject equals issuer (X509_NAME_cmp).
 * self_signed = self_issued and the signature verifies with the
 *               certificate's own public key (X509_verify == 1).
 *
 * All strings are allocated in the arena passed to rift_x509_parse and
 * live as long as it does.
 */
#ifndef RIFT_NET_X509_H
#define RIFT_NET_X509_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/hmap.h"
#include "core/err.h"

#define RIFT_X509_MAX_SAN 256   /* names kept per certificate */
#define RIFT_X509_MAX_DER (1u << 20)

enum rift_san_type { RIFT_SAN_DNS, RIFT_SAN_IP, RIFT_SAN_EMAIL, RIFT_SAN_URI };

struct rift_x509_san {
  uint8_t type;          /* enum rift_san_type */
  const char *value;
  uint32_t len;
};

struct rift_x509 {
  const char *subject, *issuer;   /* RFC 2253 */
  const char *subject_cn;         /* first CN, or NULL */
  const char *issuer_cn;
  const char *serial;             /* uppercase hex */
  char sha1[41], sha256[65];
  int64_t not_before, not_after;  /* ns UTC, RIFT_TIME_NONE if bad */
  int version;                    /* 1..3 */
  const char *key_alg;            /* OID short name, "rsaEncryption"... */
  const char *key_type;           /* "rsa" "ecdsa" "dsa" "ed25519"... */
  unsigned key_bits;
  const char *curve;              /* EC curve name, or NULL */
  const char *sig_alg;            /* "sha256WithRSAEncryption"... */
  int is_ca;                      /* -1 no basicConstraints, 0, 1 */
  long path_len;                  /* -1 if absent */
  int self_issued, self_signed;
  struct rift_x509_san *san;
  unsigned nsan;
  unsigned san_truncated;
};

/* Parse DER; strings go to arena a.  RIFT_CORRUPT if OpenSSL rejects the
 * certificate (the fingerprints are still filled then). */
rift_err rift_x509_parse(struct rift_x509 *x, const uint8_t *der, size_t len,
                         struct rift_arena *a);

/* Parsing a certificate with OpenSSL 3 costs tens of microseconds (its
 * key decoders), and a capture shows the same few certificates again and
 * again: a cache keyed by the DER's SHA-256 keeps the facts of up to
 * RIFT_X509_CACHE_MAX certificates (strings in the cache's arena). */
#define RIFT_X509_CACHE_MAX 65536

struct rift_x509_cache {
  struct rift_hmap map;     /* 64-bit hash + length -> chain of entries
                               (the DER is compared on a hit) */
  struct rift_arena a;
  uint64_t hits, misses;
};

void rift_x509_cache_init(struct rift_x509_cache *c);
void rift_x509_cache_release(struct rift_x509_cache *c);
/* The facts of der, from the cache or parsed (then kept).  *out is valid
 * until the cache is released, or (when the cache is full or c is NULL)
 * until arena a is; fallback strings go to a. */
rift_err rift_x509_get(struct rift_x509_cache *c, const uint8_t *der,
                       size_t len, struct rift_arena *a,
                       const struct rift_x509 **out);
/* Is the certificate outside its validity period at time ts (ns)?
 * Returns 1 expired, -1 not yet valid, 0 valid or unknown. */
int rift_x509_validity(const struct rift_x509 *x, int64_t ts);

#endif
