/*
 * quic.c - QUIC Initial decryption and CRYPTO reassembly (quic.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/cur.h"
#include "core/libcrypto.h"
#include "net/crypto.h"
#include "net/quic.h"

struct qver {
  uint32_t version;
  uint8_t salt[20];
  uint8_t initial_type; /* long-header type bits of an Initial */
  uint8_t v2;           /* "quicv2 " labels */
};

static const struct qver versions[] = {
  { 0x00000001, { 0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                  0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a },
    0, 0 },
  { 0x6b3343cf, { 0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
                  0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9 },
    1, 1 },
};

/* IETF drafts: 22; 23-28; 29-32 */
static const uint8_t salt_d22[20] = {
  0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a,
  0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a
};
static const uint8_t salt_d23[20] = {
  0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
  0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02
};
static const uint8_t salt_d29[20] = {
  0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
  0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99
};

/* Salt and labels for a version; NULL if unknown. */
static const uint8_t *version_salt(uint32_t v, uint8_t *itype, uint8_t *v2)
{
  size_t i;
  for(i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
    if(versions[i].version == v) {
      *itype = versions[i].initial_type;
      *v2 = versions[i].v2;
      return versions[i].salt;
    }
  }
  *itype = 0;
  *v2 = 0;
  if(v >= 0xff00001d && v <= 0xff000020)
    return salt_d29;
  if(v >= 0xff000017 && v <= 0xff00001c)
    return salt_d23;
  if(v == 0xff000016)
    return salt_d22;
  if(v == 0xfaceb002)
    return salt_d23;
  if(v == 0xfaceb001)
    return salt_d22;
  return NULL;
}

void rift_quic_init(struct rift_quic *q)
{
  memset(q, 0, sizeof(*q));
  rift_tls_init(&q->tls);
  q->tls.quic = 1;
}

void rift_quic_release(struct rift_quic *q)
{
  free(q->side[0].buf);
  free(q->side[1].buf);
  rift_tls_release(&q->tls);
  memset(q, 0, sizeof(*q));
}

static int varint(struct rift_cur *c, uint64_t *v)
{
  uint8_t b = rift_cur_u8(c);
  int n = 1 << (b >> 6), i;
  *v = b & 0x3f;
  for(i = 1; i < n; i++)
    *v = *v << 8 | rift_cur_u8(c);
  return !c->err;
}

/* HMAC-SHA256 (RFC 2104) over OpenSSL's SHA-256: OpenSSL 3's one-shot
 * HMAC() looks the algorithm up in its provider store on every call. */
static int hmac_sha256(const uint8_t *key, size_t klen, const uint8_t *msg,
                       size_t mlen, uint8_t out[32])
{
  uint8_t k[64], pad[64 + 128], inner[32];
  unsigned int l = 0;
  size_t i;
  if(klen > 64 || mlen > 128)
    return 0;
  memset(k, 0, sizeof(k));
  memcpy(k, key, klen);
  for(i = 0; i < 64; i++)
    pad[i] = k[i] ^ 0x36;
  memcpy(pad + 64, msg, mlen);
  if(!EVP_Digest(pad, 64 + mlen, inner, &l, net_sha256_md(), NULL) || l != 32)
    return 0;
  for(i = 0; i < 64; i++)
    pad[i] = k[i] ^ 0x5c;
  memcpy(pad + 64, inner, 32);
  return EVP_Digest(pad, 64 + 32, out, &l, net_sha256_md(), NULL) && l == 32;
}

/* HKDF-Expand-Label(secret, label, "", len) for len <= 32 (one block). */
static int expand_label(uint8_t *out, size_t len, const uint8_t *secret,
                        const char *label)
{
  uint8_t info[2 + 1 + 64 + 1 + 1], md[32];
  size_t ll = strlen(label), n = 0;
  if(6 + ll > 64 || len > 32)
    return 0;
  info[n++] = (uint8_t)(len >> 8);
  info[n++] = (uint8_t)len;
  info[n++] = (uint8_t)(6 + ll);
  memcpy(info + n, "tls13 ", 6);
  n += 6;
  memcpy(info + n, label, ll);
  n += ll;
  info[n++] = 0;    /* empty context */
  info[n++] = 0x01; /* T(1) counter */
  if(!hmac_sha256(secret, 32, info, n, md))
    return 0;
  memcpy(out, md, len);
  return 1;
}

int rift_quic_initial_keys(uint32_t version, const uint8_t *dcid,
                           size_t dcid_len, int server, uint8_t key[16],
                           uint8_t iv[12], uint8_t hp[16])
{
  uint8_t itype, v2, prk[32], secret[32];
  const uint8_t *salt = version_salt(version, &itype, &v2);
  if(!salt || dcid_len > 20)
    return 0;
  if(!hmac_sha256(salt, 20, dcid, dcid_len, prk))
    return 0;
  if(!expand_label(secret, 32, prk, server ? "server in" : "client in"))
    return 0;
  return expand_label(key, 16, secret, v2 ? "quicv2 key" : "quic key") &&
         expand_label(iv, 12, secret, v2 ? "quicv2 iv" : "quic iv") &&
         expand_label(hp, 16, secret, v2 ? "quicv2 hp" : "quic hp");
}

static int derive(struct rift_quic *q, int side)
{
  struct rift_quic_side *s = &q->side[side];
  if(!q->have_dcid ||
     !rift_quic_initial_keys(q->version, q->dcid, q->dcid_len, side, s->key,
                             s->iv, s->hp))
    return 0;
  s->have_keys = 1;
  return 1;
}

static int hp_mask(const uint8_t *hp, const uint8_t *sample, uint8_t *mask)
{
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  int ok = 0, ol = 0;
  if(!c)
    return 0;
  if(EVP_EncryptInit_ex(c, rift_aes128_ecb(), NULL, hp, NULL) &&
     EVP_CIPHER_CTX_set_padding(c, 0) &&
     EVP_EncryptUpdate(c, mask, &ol, sample, 16) && ol == 16)
    ok = 1;
  EVP_CIPHER_CTX_free(c);
  return ok;
}

static int aead_open(const struct rift_quic_side *s, uint64_t pn,
                     const uint8_t *aad, size_t aadlen, const uint8_t *ct,
                     size_t ctlen, uint8_t *out)
{
  EVP_CIPHER_CTX *c;
  uint8_t nonce[12];
  int ok = 0, ol = 0, i;
  if(ctlen < 16)
    return 0;
  memcpy(nonce, s->iv, 12);
  for(i = 0; i < 8; i++)
    nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
  c = EVP_CIPHER_CTX_new();
  if(!c)
    return 0;
  if(EVP_DecryptInit_ex(c, rift_aes128_gcm(), NULL, NULL, NULL) &&
     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) &&
     EVP_DecryptInit_ex(c, NULL, NULL, s->key, nonce) &&
     EVP_DecryptUpdate(c, NULL, &ol, aad, (int)aadlen) &&
     EVP_DecryptUpdate(c, out, &ol, ct, (int)(ctlen - 16)) &&
     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16,
                         (void *)(ct + ctlen - 16)) &&
     EVP_DecryptFinal_ex(c, out + ol, &ol) > 0)
    ok = 1;
  EVP_CIPHER_CTX_free(c);
  if(!ok)
    ERR_clear_error();
  return ok;
}

/* Add [off, off+len) to the side's received ranges (merged, sorted). */
static void add_range(struct rift_quic_side *s, uint32_t lo, uint32_t hi)
{
  unsigned i, j;
  for(i = 0; i < s->nranges; i++) {
    if(hi < s->lo[i])
      break;
    if(lo <= s->hi[i]) {
      /* overlaps or touches range i: merge, then absorb followers */
      if(lo < s->lo[i])
        s->lo[i] = lo;
      if(hi > s->hi[i])
        s->hi[i] = hi;
      j = i + 1;
      while(j < s->nranges && s->lo[j] <= s->hi[i]) {
        if(s->hi[j] > s->hi[i])
          s->hi[i] = s->hi[j];
        j++;
      }
      memmove(&s->lo[i + 1], &s->lo[j], (s->nranges - j) * sizeof(s->lo[0]));
      memmove(&s->hi[i + 1], &s->hi[j], (s->nranges - j) * sizeof(s->hi[0]));
      s->nranges -= j - (i + 1);
      return;
    }
  }
  if(s->nranges >= RIFT_QUIC_MAX_RANGES)
    return;
  memmove(&s->lo[i + 1], &s->lo[i], (s->nranges - i) * sizeof(s->lo[0]));
  memmove(&s->hi[i + 1], &s->hi[i], (s->nranges - i) * sizeof(s->hi[0]));
  s->lo[i] = lo;
  s->hi[i] = hi;
  s->nranges++;
}

static void crypto_data(struct rift_quic *q, int side, uint64_t off,
                        const uint8_t *p, uint64_t len)
{
  struct rift_quic_side *s = &q->side[side];
  if(off >= RIFT_QUIC_MAX_CRYPTO || !len)
    return;
  if(len > RIFT_QUIC_MAX_CRYPTO - off)
    len = RIFT_QUIC_MAX_CRYPTO - off;
  if(!s->buf) {
    s->buf = malloc(RIFT_QUIC_MAX_CRYPTO);
    if(!s->buf)
      return;
  }
  memcpy(s->buf + off, p, (size_t)len);
  add_range(s, (uint32_t)off, (uint32_t)(off + len));
}

/* Walk the frames of a decrypted Initial payload. */
static void frames(struct rift_quic *q, int side, const uint8_t *p, size_t n)
{
  struct rift_cur c;
  rift_cur_init(&c, p, n);
  while(rift_cur_left(&c)) {
    uint64_t type, a, b, cnt, i;
    if(!varint(&c, &type))
      return;
    switch(type) {
    case 0x00: /* PADDING */
    case 0x01: /* PING */
      break;
    case 0x02:
    case 0x03: /* ACK */
      if(!varint(&c, &a) || !varint(&c, &a) || !varint(&c, &cnt) ||
         !varint(&c, &a))
        return;
      if(cnt > 256)
        return;
      for(i = 0; i < cnt; i++) {
        if(!varint(&c, &a) || !varint(&c, &a))
          return;
      }
      if(type == 0x03) {
        if(!varint(&c, &a) || !varint(&c, &a) || !varint(&c, &a))
          return;
      }
      break;
    case 0x06: { /* CRYPTO */
      const uint8_t *d;
      if(!varint(&c, &a) || !varint(&c, &b))
        return;
      if(b > rift_cur_left(&c))
        return;
      d = rift_cur_take(&c, (size_t)b);
      if(!d)
        return;
      crypto_data(q, side, a, d, b);
      break;
    }
    case 0x1c: /* CONNECTION_CLOSE */
      if(!varint(&c, &a) || !varint(&c, &a) || !varint(&c, &b))
        return;
      rift_cur_skip(&c, (size_t)b);
      break;
    default:
      return; /* not allowed in Initial packets */
    }
  }
}

static void feed_tls(struct rift_quic *q, int side, int64_t ts,
                     uint64_t frame)
{
  struct rift_quic_side *s = &q->side[side];
  if(!s->nranges || s->lo[0] != 0 || s->hi[0] <= s->fed)
    return;
  rift_tls_feed_handshake(&q->tls, side, s->buf + s->fed, s->hi[0] - s->fed,
                          ts, frame);
  s->fed = s->hi[0];
  /* the Initial crypto stream carries one hello per side */
  if(side == 0 ? q->tls.nclient > 0 : q->tls.nserver > 0)
    rift_tls_gap(&q->tls, side);
}

int rift_quic_sniff(const uint8_t *p, size_t n)
{
  uint32_t v;
  uint8_t itype, v2;
  if(n < 7 || (p[0] & 0xc0) != 0xc0)
    return 0;
  v = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
  if(!version_salt(v, &itype, &v2))
    return 0;
  if(((p[0] >> 4) & 3) != itype)
    return 0;
  return p[5] <= 20;
}

/* One long-header packet at the cursor; returns 0 to stop the datagram. */
static int packet(struct rift_quic *q, int dir, struct rift_cur *c,
                  int64_t ts, uint64_t frame)
{
  const uint8_t *base = c->p + c->off;
  size_t start = c->off, pn_off, hdr_len;
  uint8_t first, dl, sl, itype, v2, mask[16], hdr[64 + 40 + 8];
  uint32_t v;
  uint64_t tl, len, pn = 0;
  const uint8_t *dcid, *sample;
  unsigned pnl, i;
  struct rift_quic_side *s = &q->side[dir];
  uint8_t *plain;
  first = rift_cur_u8(c);
  if(!(first & 0x80))
    return 0; /* short header: the rest is 1-RTT */
  v = rift_cur_u32be(c);
  dl = rift_cur_u8(c);
  if(dl > 20)
    return 0;
  dcid = rift_cur_take(c, dl);
  sl = rift_cur_u8(c);
  if(sl > 20)
    return 0;
  rift_cur_skip(c, sl);
  if(c->err || v == 0 || !version_salt(v, &itype, &v2))
    return 0;
  if(((first >> 4) & 3) != itype) {
    /* 0-RTT, Handshake or Retry: skip it by its length */
    if(((first >> 4) & 3) == (v2 ? 0 : 3))
      return 0; /* Retry has no length field */
    if(!varint(c, &len) || len > rift_cur_left(c))
      return 0;
    rift_cur_skip(c, (size_t)len);
    return 1;
  }
  if(!varint(c, &tl) || tl > rift_cur_left(c))
    return 0;
  rift_cur_skip(c, (size_t)tl);
  if(!varint(c, &len) || len > rift_cur_left(c) || len < 20)
    return 0;
  pn_off = c->off - start;
  rift_cur_skip(c, (size_t)len);
  if(c->err)
    return 0;
  q->packets++;
  if(dir == 0 && !q->have_dcid) {
    memcpy(q->dcid, dcid, dl);
    q->dcid_len = dl;
    q->have_dcid = 1;
    q->version = v;
  }
  if(v != q->version || !q->have_dcid)
    return 1;
  if(s->initials++ >= RIFT_QUIC_MAX_INITIALS)
    return 0;
  if(!s->have_keys && !derive(q, dir))
    return 0;
  /* header protection */
  sample = base + pn_off + 4;
  if(!hp_mask(s->hp, sample, mask))
    return 0;
  first ^= mask[0] & 0x0f;
  pnl = (first & 3) + 1u;
  hdr_len = pn_off + pnl;
  if(hdr_len > sizeof(hdr) || len < pnl + 16u)
    return 1;
  memcpy(hdr, base, hdr_len);
  hdr[0] = first;
  for(i = 0; i < pnl; i++) {
    hdr[pn_off + i] ^= mask[1 + i];
    pn = pn << 8 | hdr[pn_off + i];
  }
  plain = malloc((size_t)len);
  if(!plain)
    return 0;
  if(aead_open(s, pn, hdr, hdr_len, base + hdr_len, (size_t)len - pnl,
               plain)) {
    q->decrypted++;
    frames(q, dir, plain, (size_t)len - pnl - 16);
    feed_tls(q, dir, ts, frame);
  }
  else {
    q->failed++;
  }
  free(plain);
  return 1;
}

int rift_quic_datagram(struct rift_quic *q, int dir, const uint8_t *p,
                       size_t n, int64_t ts, uint64_t frame)
{
  struct rift_cur c;
  int k;
  rift_cur_init(&c, p, n);
  if(++q->datagrams > RIFT_QUIC_MAX_DATAGRAMS) {
    rift_tls_gap(&q->tls, 0);
    rift_tls_gap(&q->tls, 1);
    return 0;
  }
  for(k = 0; k < 8 && rift_cur_left(&c) >= 7; k++) {
    if(!packet(q, dir, &c, ts, frame))
      break;
  }
  if(q->side[0].initials >= RIFT_QUIC_MAX_INITIALS)
    rift_tls_gap(&q->tls, 0);
  if(q->side[1].initials >= RIFT_QUIC_MAX_INITIALS)
    rift_tls_gap(&q->tls, 1);
  return !rift_tls_done(&q->tls);
}
