/*
 * x509.c - certificate facts through OpenSSL (x509.h).
 */
#include <string.h>
#include <time.h>

#include "core/libcrypto.h"
#include "core/rtime.h"
#include "net/crypto.h"
#include "net/pkt.h"
#include "net/x509.h"

static const char hexl[] = "0123456789abcdef";
static const char hexu[] = "0123456789ABCDEF";

static void digest_hex(char *out, const EVP_MD *md, const uint8_t *p,
                       size_t n)
{
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int dl = 0, i;
  if(!EVP_Digest(p, n, d, &dl, md, NULL)) {
    out[0] = 0;
    return;
  }
  for(i = 0; i < dl; i++) {
    out[2 * i] = hexl[d[i] >> 4];
    out[2 * i + 1] = hexl[d[i] & 15];
  }
  out[2 * dl] = 0;
}

static const char *bio_str(BIO *b, struct rift_arena *a)
{
  char *p = NULL;
  long n = BIO_get_mem_data(b, &p);
  const char *r = rift_arena_strndup(a, n > 0 ? p : "", n > 0 ? (size_t)n : 0);
  (void)BIO_reset(b);
  return r;
}

static const char *name_str(BIO *b, const X509_NAME *nm, struct rift_arena *a)
{
  if(!nm)
    return NULL;
  if(X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
    return NULL;
  return bio_str(b, a);
}

static const char *name_cn(const X509_NAME *nm, struct rift_arena *a)
{
  int i;
  const X509_NAME_ENTRY *e;
  unsigned char *u = NULL;
  int n;
  const char *r;
  if(!nm)
    return NULL;
  i = X509_NAME_get_index_by_NID(nm, NID_commonName, -1);
  if(i < 0)
    return NULL;
  e = X509_NAME_get_entry(nm, i);
  n = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e));
  if(n < 0)
    return NULL;
  r = rift_arena_strndup(a, (const char *)u, (size_t)n);
  OPENSSL_free(u);
  return r;
}

static int64_t asn1_time_ns(const ASN1_TIME *t)
{
  struct tm tm;
  int64_t days;
  if(!t || !ASN1_TIME_to_tm(t, &tm))
    return RIFT_TIME_NONE;
  days = rift_days_from_civil((int64_t)tm.tm_year + 1900,
                              (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
  return ((days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec) *
          1000000000ll);
}

static const char *serial_hex(const ASN1_INTEGER *s, struct rift_arena *a)
{
  const unsigned char *d;
  int n, i, neg, o = 0;
  char *out;
  if(!s)
    return NULL;
  d = ASN1_STRING_get0_data(s);
  n = ASN1_STRING_length(s);
  neg = ASN1_STRING_type(s) == V_ASN1_NEG_INTEGER;
  if(n < 0 || n > 1024)
    return NULL;
  out = rift_arena_alloc(a, (size_t)n * 2 + 4);
  if(!out)
    return NULL;
  if(neg)
    out[o++] = '-';
  if(n == 0) {
    out[o++] = '0';
    out[o++] = '0';
  }
  for(i = 0; i < n; i++) {
    out[o++] = hexu[d[i] >> 4];
    out[o++] = hexu[d[i] & 15];
  }
  out[o] = 0;
  return out;
}

/* Algorithms newer than the OpenSSL rift runs on (NIST CSOR registry). */
static const char *oid_name(const char *oid)
{
  static const char *const tab[][2] = {
    { "2.16.840.1.101.3.4.3.17", "ML-DSA-44" },
    { "2.16.840.1.101.3.4.3.18", "ML-DSA-65" },
    { "2.16.840.1.101.3.4.3.19", "ML-DSA-87" },
    { "2.16.840.1.101.3.4.4.1", "ML-KEM-512" },
    { "2.16.840.1.101.3.4.4.2", "ML-KEM-768" },
    { "2.16.840.1.101.3.4.4.3", "ML-KEM-1024" },
    { "2.16.840.1.101.3.4.3.20", "SLH-DSA-SHA2-128s" },
    { "2.16.840.1.101.3.4.3.21", "SLH-DSA-SHA2-128f" },
    { "2.16.840.1.101.3.4.3.22", "SLH-DSA-SHA2-192s" },
    { "2.16.840.1.101.3.4.3.23", "SLH-DSA-SHA2-192f" },
    { "2.16.840.1.101.3.4.3.24", "SLH-DSA-SHA2-256s" },
    { "2.16.840.1.101.3.4.3.25", "SLH-DSA-SHA2-256f" },
  };
  size_t i;
  for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
    if(!strcmp(tab[i][0], oid))
      return tab[i][1];
  }
  return oid;
}

static void key_facts(struct rift_x509 *x, X509 *c, BIO *b,
                      struct rift_arena *a)
{
  X509_PUBKEY *xpk = X509_get_X509_PUBKEY(c);
  ASN1_OBJECT *alg = NULL;
  const unsigned char *pk = NULL;
  int pklen = 0;
  EVP_PKEY *k;
  char txt[128];
  if(xpk && X509_PUBKEY_get0_param(&alg, &pk, &pklen, NULL, xpk) && alg) {
    int nid = OBJ_obj2nid(alg);
    if(nid != NID_undef)
      x->key_alg = rift_arena_strdup(a, OBJ_nid2sn(nid));
    else if(OBJ_obj2txt(txt, sizeof(txt), alg, 1) > 0)
      x->key_alg = rift_arena_strdup(a, oid_name(txt));
  }
  k = X509_get0_pubkey(c);
  if(k) {
    char grp[80];
    size_t gl = 0;
    switch(EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      x->key_type = "rsa";
      break;
    case EVP_PKEY_DSA:
      x->key_type = "dsa";
      break;
    case EVP_PKEY_EC:
      x->key_type = "ecdsa";
      break;
    case EVP_PKEY_ED25519:
      x->key_type = "ed25519";
      break;
    case EVP_PKEY_ED448:
      x->key_type = "ed448";
      break;
    case EVP_PKEY_DH:
      x->key_type = "dh";
      break;
    default:
      x->key_type = x->key_alg;
      break;
    }
    if(EVP_PKEY_get_bits(k) > 0)
      x->key_bits = (unsigned)EVP_PKEY_get_bits(k);
    if(EVP_PKEY_get_base_id(k) == EVP_PKEY_EC &&
       EVP_PKEY_get_group_name(k, grp, sizeof(grp), &gl) && gl)
      x->curve = rift_arena_strndup(a, grp, gl);
  }
  else {
    /* an algorithm this OpenSSL does not know: size of the key bits */
    x->key_type = x->key_alg;
    if(pklen > 0)
      x->key_bits = (unsigned)pklen * 8;
  }
  (void)b;
}

static void sig_facts(struct rift_x509 *x, X509 *c, struct rift_arena *a)
{
  int nid = X509_get_signature_nid(c);
  char txt[128];
  if(nid != NID_undef) {
    x->sig_alg = rift_arena_strdup(a, OBJ_nid2ln(nid));
  }
  else {
    const X509_ALGOR *alg = NULL;
    const ASN1_OBJECT *obj = NULL;
    X509_get0_signature(NULL, &alg, c);
    if(alg)
      X509_ALGOR_get0(&obj, NULL, NULL, alg);
    if(obj && OBJ_obj2txt(txt, sizeof(txt), obj, 1) > 0)
      x->sig_alg = rift_arena_strdup(a, oid_name(txt));
  }
}

static void sans(struct rift_x509 *x, X509 *c, struct rift_arena *a)
{
  GENERAL_NAMES *g = X509_get_ext_d2i(c, NID_subject_alt_name, NULL, NULL);
  int i, n;
  if(!g)
    return;
  n = sk_GENERAL_NAME_num(g);
  x->san = rift_arena_alloc(a, sizeof(*x->san) *
                                (size_t)(n < RIFT_X509_MAX_SAN ? n : RIFT_X509_MAX_SAN) + 1);
  for(i = 0; x->san && i < n; i++) {
    const GENERAL_NAME *gn = sk_GENERAL_NAME_value(g, i);
    struct rift_x509_san *s;
    const ASN1_STRING *str = NULL;
    uint8_t type;
    if(x->nsan >= RIFT_X509_MAX_SAN) {
      x->san_truncated++;
      continue;
    }
    switch(gn->type) {
    case GEN_DNS:
      str = gn->d.dNSName;
      type = RIFT_SAN_DNS;
      break;
    case GEN_EMAIL:
      str = gn->d.rfc822Name;
      type = RIFT_SAN_EMAIL;
      break;
    case GEN_URI:
      str = gn->d.uniformResourceIdentifier;
      type = RIFT_SAN_URI;
      break;
    case GEN_IPADD: {
      const unsigned char *ip = ASN1_STRING_get0_data(gn->d.iPAddress);
      int il = ASN1_STRING_length(gn->d.iPAddress);
      char t[48];
      size_t tl;
      if(il != 4 && il != 16)
        continue;
      tl = rift_ip_fmt(t, il == 4 ? 4 : 6, ip);
      s = &x->san[x->nsan];
      s->type = RIFT_SAN_IP;
      s->value = rift_arena_strndup(a, t, tl);
      s->len = (uint32_t)tl;
      if(s->value)
        x->nsan++;
      continue;
    }
    default:
      continue;
    }
    if(!str)
      continue;
    s = &x->san[x->nsan];
    s->type = type;
    s->len = (uint32_t)ASN1_STRING_length(str);
    s->value = rift_arena_strndup(a, (const char *)ASN1_STRING_get0_data(str),
                                  s->len);
    if(s->value)
      x->nsan++;
  }
  GENERAL_NAMES_free(g);
}

rift_err rift_x509_parse(struct rift_x509 *x, const uint8_t *der, size_t len,
                         struct rift_arena *a)
{
  const unsigned char *p = der;
  X509 *c;
  BIO *b;
  memset(x, 0, sizeof(*x));
  x->not_before = x->not_after = RIFT_TIME_NONE;
  x->is_ca = -1;
  x->path_len = -1;
  if(len > RIFT_X509_MAX_DER)
    return RIFT_LIMIT;
  digest_hex(x->sha1, rift_sha1(), der, len);
  digest_hex(x->sha256, net_sha256_md(), der, len);
  c = d2i_X509(NULL, &p, (long)len);
  if(!c) {
    ERR_clear_error();
    return RIFT_CORRUPT;
  }
  b = BIO_new(BIO_s_mem());
  if(!b) {
    X509_free(c);
    return RIFT_NOMEM;
  }
  x->subject = name_str(b, X509_get_subject_name(c), a);
  x->issuer = name_str(b, X509_get_issuer_name(c), a);
  x->subject_cn = name_cn(X509_get_subject_name(c), a);
  x->issuer_cn = name_cn(X509_get_issuer_name(c), a);
  x->serial = serial_hex(X509_get0_serialNumber(c), a);
  x->not_before = asn1_time_ns(X509_get0_notBefore(c));
  x->not_after = asn1_time_ns(X509_get0_notAfter(c));
  x->version = (int)X509_get_version(c) + 1;
  key_facts(x, c, b, a);
  sig_facts(x, c, a);
  if(X509_get_ext_by_NID(c, NID_basic_constraints, -1) >= 0) {
    x->is_ca = (X509_get_extension_flags(c) & EXFLAG_CA) ? 1 : 0;
    x->path_len = X509_get_pathlen(c);
  }
  sans(x, c, a);
  x->self_issued =
    X509_NAME_cmp(X509_get_subject_name(c), X509_get_issuer_name(c)) == 0;
  if(x->self_issued) {
    EVP_PKEY *k = X509_get0_pubkey(c);
    x->self_signed = k && X509_verify(c, k) == 1;
  }
  BIO_free(b);
  X509_free(c);
  ERR_clear_error();
  return RIFT_OK;
}

void rift_x509_cache_init(struct rift_x509_cache *c)
{
  rift_hmap_init(&c->map, RIFT_X509_CACHE_MAX);
  rift_arena_init(&c->a, 512u << 20);
  c->hits = c->misses = 0;
}

void rift_x509_cache_release(struct rift_x509_cache *c)
{
  rift_hmap_release(&c->map);
  rift_arena_release(&c->a);
}

struct xent {
  struct xent *next;        /* same hash and length, different DER */
  const uint8_t *der;
  size_t len;
  struct rift_x509 x;
};

rift_err rift_x509_get(struct rift_x509_cache *c, const uint8_t *der,
                       size_t len, struct rift_arena *a,
                       const struct rift_x509 **out)
{
  char key[40];
  union rift_hval *v;
  struct rift_x509 *x;
  int isnew = 0, kn;
  rift_err rc;
  *out = NULL;
  if(c) {
    struct xent *e;
    kn = snprintf(key, sizeof(key), "%016llx:%zu",
                  (unsigned long long)rift_hash(der, len), len);
    v = rift_hmap_get(&c->map, key, (size_t)kn);
    for(e = v ? v->p : NULL; e; e = e->next) {
      if(e->len == len && !memcmp(e->der, der, len)) {
        c->hits++;
        *out = &e->x;
        return RIFT_OK;
      }
    }
    c->misses++;
    if(c->map.n < RIFT_X509_CACHE_MAX && !c->a.err) {
      e = rift_arena_alloc(&c->a, sizeof(*e));
      if(e)
        e->der = rift_arena_alloc(&c->a, len ? len : 1);
      if(e && e->der) {
        memcpy((uint8_t *)e->der, der, len);
        e->len = len;
        rc = rift_x509_parse(&e->x, der, len, &c->a);
        if(rc == RIFT_NOMEM || rc == RIFT_LIMIT)
          return rc;
        /* a certificate OpenSSL rejects is cached too (fingerprints only) */
        if(!rift_hmap_put(&c->map, key, (size_t)kn, &v, &isnew)) {
          e->next = isnew ? NULL : v->p;
          v->p = e;
        }
        *out = &e->x;
        return RIFT_OK;
      }
    }
  }
  x = rift_arena_alloc(a, sizeof(*x));
  if(!x)
    return RIFT_NOMEM;
  rc = rift_x509_parse(x, der, len, a);
  if(rc == RIFT_NOMEM || rc == RIFT_LIMIT)
    return rc;
  *out = x;
  return RIFT_OK;
}

int rift_x509_validity(const struct rift_x509 *x, int64_t ts)
{
  if(ts == RIFT_TIME_NONE)
    return 0;
  if(x->not_after != RIFT_TIME_NONE && ts > x->not_after)
    return 1;
  if(x->not_before != RIFT_TIME_NONE && ts < x->not_before)
    return -1;
  return 0;
}
