/*
 * tls.c - TLS handshake parser (tls.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cur.h"
#include "net/tls.h"

#define REC_CCS 20
#define REC_ALERT 21
#define REC_HANDSHAKE 22
#define REC_APPDATA 23
#define REC_HEARTBEAT 24

#define HS_CLIENT_HELLO 1
#define HS_SERVER_HELLO 2
#define HS_HELLO_RETRY 6 /* TLS 1.3 drafts before 22 */
#define HS_CERTIFICATE 11

#define EXT_SNI 0
#define EXT_GROUPS 10
#define EXT_POINTFMTS 11
#define EXT_SIGALGS 13
#define EXT_ALPN 16
#define EXT_VERSIONS 43

/* SHA-256("HelloRetryRequest"): the ServerHello random of an HRR */
static const uint8_t hrr_random[32] = {
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
  0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
  0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c
};

void rift_tls_init(struct rift_tls *t)
{
  int i;
  memset(t, 0, sizeof(*t));
  t->client_dir = 0xff;
  for(i = 0; i < 2; i++) {
    rift_buf_init(&t->dir[i].rec, RIFT_TLS_MAX_RECORD);
    rift_buf_init(&t->dir[i].hs, RIFT_TLS_MAX_HANDSHAKE);
  }
}

void rift_tls_release(struct rift_tls *t)
{
  unsigned i, d;
  for(i = 0; i < t->nhello; i++)
    free(t->hello[i]);
  for(d = 0; d < 2; d++) {
    for(i = 0; i < t->ncert[d]; i++)
      free(t->cert[d][i].der);
    rift_buf_release(&t->dir[d].rec);
    rift_buf_release(&t->dir[d].hs);
  }
  memset(t, 0, sizeof(*t));
}

static void fail(struct rift_tls *t, int dir, const char *why)
{
  if(!t->why)
    t->why = why;
  t->error = 1;
  t->dir[dir].done = 1;
  rift_buf_release(&t->dir[dir].rec);
  rift_buf_release(&t->dir[dir].hs);
}

static void finish(struct rift_tls *t, int dir)
{
  t->dir[dir].done = 1;
  rift_buf_release(&t->dir[dir].rec);
  rift_buf_release(&t->dir[dir].hs);
}

void rift_tls_gap(struct rift_tls *t, int dir)
{
  finish(t, dir);
}

/* --- hello parsing ---------------------------------------------------- */

static void ext_u16_list(struct rift_cur *c, size_t lenbytes, uint16_t *out,
                         uint16_t *n, unsigned cap, uint8_t *trunc)
{
  size_t len = lenbytes == 1 ? rift_cur_u8(c) : rift_cur_u16be(c);
  struct rift_cur s = rift_cur_sub(c, c->off, len);
  rift_cur_skip(c, len);
  *n = 0;
  while(rift_cur_left(&s) >= 2) {
    uint16_t v = rift_cur_u16be(&s);
    if(*n < cap)
      out[(*n)++] = v;
    else
      *trunc = 1;
  }
}

static void parse_ext(struct rift_tls_hello *h, uint16_t type,
                      struct rift_cur *e)
{
  switch(type) {
  case EXT_SNI: {
    /* server_name_list<1..2^16-1>: type(1) name<1..2^16-1> */
    uint16_t listlen = rift_cur_u16be(e);
    struct rift_cur l = rift_cur_sub(e, e->off, listlen);
    h->has_sni = 1;
    while(rift_cur_left(&l) >= 3) {
      uint8_t nt = rift_cur_u8(&l);
      uint16_t nl = rift_cur_u16be(&l);
      const uint8_t *name = rift_cur_take(&l, nl);
      if(!name)
        break;
      if(nt == 0 && !h->sni_len) {
        size_t k = nl > RIFT_TLS_MAX_SNI ? RIFT_TLS_MAX_SNI : nl;
        memcpy(h->sni, name, k);
        h->sni[k] = 0;
        h->sni_len = (uint16_t)k;
      }
    }
    break;
  }
  case EXT_GROUPS:
    if(h->client)
      ext_u16_list(e, 2, h->groups, &h->ngroups, RIFT_TLS_MAX_GROUPS,
                   &h->truncated);
    break;
  case EXT_POINTFMTS: {
    uint8_t len = rift_cur_u8(e);
    const uint8_t *q = rift_cur_take(e, len);
    if(q) {
      unsigned k = len > RIFT_TLS_MAX_POINTFMTS ? RIFT_TLS_MAX_POINTFMTS : len;
      if(len > RIFT_TLS_MAX_POINTFMTS)
        h->truncated = 1;
      memcpy(h->pointfmts, q, k);
      h->npointfmts = (uint16_t)k;
    }
    break;
  }
  case EXT_SIGALGS:
    if(h->client)
      ext_u16_list(e, 2, h->sigalgs, &h->nsigalgs, RIFT_TLS_MAX_SIGALGS,
                   &h->truncated);
    break;
  case EXT_ALPN: {
    uint16_t listlen = rift_cur_u16be(e);
    struct rift_cur l = rift_cur_sub(e, e->off, listlen);
    size_t used = 0;
    h->has_alpn = 1;
    while(rift_cur_left(&l) >= 1) {
      uint8_t pl = rift_cur_u8(&l);
      const uint8_t *q = rift_cur_take(&l, pl);
      if(!q)
        break;
      if(h->nalpn >= RIFT_TLS_MAX_ALPN || used + pl > RIFT_TLS_ALPN_BYTES) {
        h->truncated = 1;
        break;
      }
      memcpy(h->alpn + used, q, pl);
      h->alpn_off[h->nalpn] = (uint16_t)used;
      h->alpn_len[h->nalpn] = pl;
      h->nalpn++;
      used += pl;
    }
    break;
  }
  case EXT_VERSIONS:
    h->has_versions = 1;
    if(h->client) {
      ext_u16_list(e, 1, h->versions, &h->nversions, RIFT_TLS_MAX_VERSIONS,
                   &h->truncated);
    }
    else {
      h->selected = rift_cur_u16be(e);
    }
    break;
  default:
    break;
  }
}

static rift_err parse_exts(struct rift_tls_hello *h, struct rift_cur *c)
{
  uint16_t total;
  struct rift_cur all;
  if(!rift_cur_left(c))
    return RIFT_OK; /* no extensions at all (SSL 3.0, old clients) */
  total = rift_cur_u16be(c);
  all = rift_cur_sub(c, c->off, total);
  if(all.err)
    return RIFT_CORRUPT;
  rift_cur_skip(c, total);
  while(rift_cur_left(&all) >= 4) {
    uint16_t type = rift_cur_u16be(&all);
    uint16_t len = rift_cur_u16be(&all);
    struct rift_cur e = rift_cur_sub(&all, all.off, len);
    if(e.err)
      return RIFT_CORRUPT;
    rift_cur_skip(&all, len);
    if(h->nexts < RIFT_TLS_MAX_EXTS)
      h->exts[h->nexts++] = type;
    else
      h->truncated = 1;
    parse_ext(h, type, &e);
  }
  if(rift_cur_left(&all))
    return RIFT_CORRUPT;
  return RIFT_OK;
}

rift_err rift_tls_parse_hello(struct rift_tls_hello *h, int client, int dtls,
                              const uint8_t *p, size_t n)
{
  struct rift_cur c;
  const uint8_t *random;
  memset(h, 0, offsetof(struct rift_tls_hello, ciphers));
  h->nciphers = h->nexts = h->ngroups = h->npointfmts = 0;
  h->nsigalgs = h->nversions = h->nalpn = 0;
  h->sid_len = 0;
  h->sni_len = 0;
  h->sni[0] = 0;
  h->client = (uint8_t)!!client;
  rift_cur_init(&c, p, n);
  h->version = rift_cur_u16be(&c);
  random = rift_cur_take(&c, 32);
  if(c.err)
    return RIFT_TRUNCATED;
  if(!client && (((h->version >> 8) == 0x7f && (h->version & 0xff) < 22) ||
                 h->version == 0x0304)) {
    /* TLS 1.3 drafts before 22 (0x7f00 + n; the earliest sent 0x0304):
     * version random cipher extensions */
    h->ciphers[0] = rift_cur_u16be(&c);
    h->nciphers = 1;
    if(c.err)
      return RIFT_TRUNCATED;
    h->selected = h->version;
    return parse_exts(h, &c);
  }
  h->sid_len = rift_cur_u8(&c);
  if(h->sid_len > 32)
    return RIFT_CORRUPT;
  {
    const uint8_t *sid = rift_cur_take(&c, h->sid_len);
    if(sid)
      memcpy(h->sid, sid, h->sid_len);
  }
  if(client) {
    uint16_t clen;
    if(dtls) {
      uint8_t cookie = rift_cur_u8(&c);
      rift_cur_skip(&c, cookie);
    }
    clen = rift_cur_u16be(&c);
    struct rift_cur cs = rift_cur_sub(&c, c.off, clen);
    uint8_t complen;
    if(cs.err || (clen & 1))
      return c.err ? RIFT_TRUNCATED : RIFT_CORRUPT;
    rift_cur_skip(&c, clen);
    while(rift_cur_left(&cs) >= 2) {
      uint16_t v = rift_cur_u16be(&cs);
      if(h->nciphers < RIFT_TLS_MAX_CIPHERS)
        h->ciphers[h->nciphers++] = v;
      else
        h->truncated = 1;
    }
    complen = rift_cur_u8(&c);
    rift_cur_skip(&c, complen);
  }
  else {
    h->ciphers[0] = rift_cur_u16be(&c);
    h->nciphers = 1;
    rift_cur_skip(&c, 1); /* compression method */
    if(random && !memcmp(random, hrr_random, 32))
      h->hrr = 1;
  }
  if(c.err)
    return RIFT_TRUNCATED;
  return parse_exts(h, &c);
}

/* --- stream ------------------------------------------------------------ */

static void store_certs(struct rift_tls *t, int dir, const uint8_t *p,
                        size_t n)
{
  struct rift_cur c, l;
  uint32_t total;
  int side = dir == (t->client_dir == 0xff ? 0 : t->client_dir) ? 0 : 1;
  if(t->dir[dir].got_certs)
    return;
  t->dir[dir].got_certs = 1;
  rift_cur_init(&c, p, n);
  /* a TLS 1.3 Certificate starts with a request context; skip it when the
   * lengths say so (only drafts ever send it in clear) */
  if(t->negotiated == 0x0304 || (t->negotiated >> 8) == 0x7f) {
    uint8_t ctx = rift_cur_u8(&c);
    rift_cur_skip(&c, ctx);
  }
  total = (uint32_t)rift_cur_u8(&c) << 16;
  total |= rift_cur_u16be(&c);
  l = rift_cur_sub(&c, c.off, total);
  if(l.err) {
    if(!t->why)
      t->why = "certificate list longer than its message";
    return;
  }
  while(rift_cur_left(&l) >= 3 && t->ncert[side] < RIFT_TLS_MAX_CERTS) {
    uint32_t len = (uint32_t)rift_cur_u8(&l) << 16;
    const uint8_t *der;
    uint8_t *copy;
    len |= rift_cur_u16be(&l);
    der = rift_cur_take(&l, len);
    if(!der || !len)
      break;
    if(t->negotiated == 0x0304 || (t->negotiated >> 8) == 0x7f) {
      uint16_t el = rift_cur_u16be(&l); /* per-certificate extensions */
      rift_cur_skip(&l, el);
    }
    if(t->cert_bytes[side] + len > RIFT_TLS_MAX_CERT_BYTES)
      break;
    copy = malloc(len);
    if(!copy)
      break;
    memcpy(copy, der, len);
    t->cert[side][t->ncert[side]].der = copy;
    t->cert[side][t->ncert[side]].len = len;
    t->ncert[side]++;
    t->cert_bytes[side] += len;
  }
}

static void on_hello(struct rift_tls *t, int dir, int client,
                     const uint8_t *p, size_t n, int64_t ts, uint64_t frame)
{
  struct rift_tls_hello *h;
  rift_err rc;
  if(client)
    t->nclient++;
  else
    t->nserver++;
  if(t->nhello >= RIFT_TLS_MAX_HELLOS)
    return;
  h = malloc(sizeof(*h));
  if(!h)
    return;
  rc = rift_tls_parse_hello(h, client, t->dtls, p, n);
  if(rc) {
    free(h);
    if(!t->why)
      t->why = client ? "malformed client hello" : "malformed server hello";
    if(client)
      t->nclient--;
    else
      t->nserver--;
    return;
  }
  h->ts = ts;
  h->frame = frame;
  t->hello[t->nhello++] = h;
  (void)dir;
  if(!client) {
    uint16_t v = h->selected ? h->selected : h->version;
    t->negotiated = v;
    /* resumption: the server echoes the client's session id */
    if(h->sid_len && !h->hrr) {
      unsigned i;
      for(i = 0; i + 1 < t->nhello; i++) {
        const struct rift_tls_hello *c = t->hello[i];
        if(c->client && c->sid_len == h->sid_len &&
           !memcmp(c->sid, h->sid, h->sid_len) && v != 0x0304)
          t->resumed = 1;
      }
    }
  }
}

/* Handle complete handshake messages in dir's hs buffer. */
static void handshake(struct rift_tls *t, int dir, const uint8_t *p,
                      size_t n, int64_t ts, uint64_t frame)
{
  struct rift_tls_dir *d = &t->dir[dir];
  struct rift_buf *hs = &d->hs;
  size_t off = 0;
  const uint8_t *q;
  size_t len;
  if(hs->len) {
    if(rift_buf_add(hs, p, n)) {
      fail(t, dir, "handshake message too large");
      return;
    }
    q = (const uint8_t *)hs->buf;
    len = hs->len;
  }
  else {
    q = p;
    len = n;
  }
  while(len - off >= 4 && !d->done) {
    uint8_t type = q[off];
    uint32_t mlen = (uint32_t)q[off + 1] << 16 | (uint32_t)q[off + 2] << 8 |
                    q[off + 3];
    if(mlen > RIFT_TLS_MAX_HANDSHAKE - 4) {
      fail(t, dir, "handshake message too large");
      return;
    }
    if(len - off - 4 < mlen)
      break;
    switch(type) {
    case HS_CLIENT_HELLO:
      if(t->client_dir == 0xff)
        t->client_dir = (uint8_t)dir;
      if(dir == t->client_dir)
        on_hello(t, dir, 1, q + off + 4, mlen, ts, frame);
      break;
    case HS_SERVER_HELLO:
      if(t->client_dir == 0xff)
        t->client_dir = (uint8_t)!dir;
      if(dir != t->client_dir)
        on_hello(t, dir, 0, q + off + 4, mlen, ts, frame);
      break;
    case HS_CERTIFICATE:
      store_certs(t, dir, q + off + 4, mlen);
      break;
    case HS_HELLO_RETRY:
    default:
      break;
    }
    off += 4 + mlen;
  }
  if(d->done)
    return;
  /* keep the partial message */
  if(q == (const uint8_t *)hs->buf) {
    if(off) {
      memmove(hs->buf, hs->buf + off, hs->len - off);
      rift_buf_setlen(hs, hs->len - off);
    }
  }
  else if(off < len) {
    if(rift_buf_add(hs, q + off, len - off))
      fail(t, dir, "handshake message too large");
  }
}

int rift_tls_feed_handshake(struct rift_tls *t, int dir, const uint8_t *p,
                            size_t n, int64_t ts, uint64_t frame)
{
  if(t->dir[dir].done)
    return 0;
  handshake(t, dir, p, n, ts, frame);
  return !t->dir[dir].done;
}

static int encrypted_now(const struct rift_tls *t, int dir)
{
  /* after ChangeCipherSpec, TLS <= 1.2 encrypts the rest of the
   * handshake; TLS 1.3 sends CCS only for middleboxes */
  uint16_t v = t->negotiated;
  if(!t->dir[dir].ccs)
    return 0;
  return !(v == 0x0304 || (v >> 8) == 0x7f || (v >> 8) == 0xfb);
}

/* After CCS without a ServerHello (one-sided captures): a clear-text
 * handshake record holds whole messages with consistent lengths, an
 * encrypted Finished does not. */
static int plausible_clear(const uint8_t *p, size_t n)
{
  size_t off = 0;
  while(off + 4 <= n) {
    uint32_t l = (uint32_t)p[off + 1] << 16 | (uint32_t)p[off + 2] << 8 |
                 p[off + 3];
    if(p[off] != HS_CLIENT_HELLO && p[off] != HS_CERTIFICATE)
      return 0;
    off += 4 + (size_t)l;
  }
  return off == n;
}

/* Process one complete record. */
static void record(struct rift_tls *t, int dir, uint8_t type,
                   const uint8_t *p, size_t n, int64_t ts, uint64_t frame)
{
  struct rift_tls_dir *d = &t->dir[dir];
  d->records++;
  switch(type) {
  case REC_CCS:
    d->ccs = 1;
    if(encrypted_now(t, dir) && t->negotiated)
      finish(t, dir);
    break;
  case REC_ALERT:
    if(n >= 2 && !d->alert && !encrypted_now(t, dir)) {
      d->alert = 1;
      d->alert_code = (uint16_t)(p[0] << 8 | p[1]);
    }
    finish(t, dir);
    break;
  case REC_HANDSHAKE:
    if(encrypted_now(t, dir) &&
       (t->negotiated || !plausible_clear(p, n))) {
      finish(t, dir);
      break;
    }
    handshake(t, dir, p, n, ts, frame);
    break;
  case REC_APPDATA:
    t->app_data = 1;
    finish(t, dir);
    break;
  case REC_HEARTBEAT:
    break;
  default:
    fail(t, dir, "unknown tls record type");
    break;
  }
}

/* SSLv2-compatible CLIENT-HELLO (RFC 6101 appendix E): skipped, the rest
 * of the stream is SSL 3.0/TLS records. */
static size_t sslv2_record(const uint8_t *p, size_t n, size_t *need)
{
  size_t len, hl;
  if(n < 2) {
    *need = 2;
    return 0;
  }
  if(p[0] & 0x80) {
    len = (size_t)(p[0] & 0x7f) << 8 | p[1];
    hl = 2;
  }
  else {
    len = (size_t)(p[0] & 0x3f) << 8 | p[1];
    hl = 3;
  }
  *need = hl + len;
  return n >= hl + len ? hl + len : 0;
}

int rift_tls_sniff(const uint8_t *p, size_t n)
{
  if(n >= 3 && p[0] >= REC_CCS && p[0] <= REC_APPDATA && p[1] == 3 &&
     p[2] <= 4)
    return 1;
  /* SSLv2 CLIENT-HELLO: 2-byte header, msg type 1, version 0x0002/0x03xx */
  if(n >= 5 && (p[0] & 0x80) && p[2] == 1 &&
     ((p[3] == 0 && p[4] == 2) || p[3] == 3))
    return 2;
  return 0;
}

int rift_tls_feed(struct rift_tls *t, int dir, const uint8_t *p, size_t n,
                  int64_t ts, uint64_t frame)
{
  struct rift_tls_dir *d = &t->dir[dir];
  struct rift_buf *rb = &d->rec;
  const uint8_t *q;
  size_t len, off = 0;
  if(d->done)
    return 0;
  if(rb->len) {
    if(rift_buf_add(rb, p, n)) {
      /* more than one record's worth buffered: only possible when the
       * caller feeds huge chunks; take it in two steps */
      size_t room = rb->max - rb->len;
      rb->err = RIFT_OK;
      if(room && rift_buf_add(rb, p, room) == RIFT_OK) {
        rift_tls_feed(t, dir, NULL, 0, ts, frame);
        return rift_tls_feed(t, dir, p + room, n - room, ts, frame);
      }
      fail(t, dir, "tls record too large");
      return 0;
    }
    q = (const uint8_t *)rb->buf;
    len = rb->len;
  }
  else {
    q = p;
    len = n;
  }
  while(off < len && !d->done) {
    size_t rest = len - off, need;
    uint16_t rlen;
    if(d->records == 0 && !t->sslv2_hello &&
       rift_tls_sniff(q + off, rest) == 2) {
      size_t used = sslv2_record(q + off, rest, &need);
      if(!used)
        break;
      t->sslv2_hello = 1;
      d->records++;
      off += used;
      continue;
    }
    if(rest < 5)
      break;
    if(q[off + 1] != 3 || q[off + 2] > 4) {
      /* some clients put 0x0300/0x0301..0x0304 in records; anything else
       * is not TLS (or we lost sync) */
      fail(t, dir, "bad tls record version");
      return 0;
    }
    rlen = (uint16_t)(q[off + 3] << 8 | q[off + 4]);
    if((size_t)rlen + 5 > RIFT_TLS_MAX_RECORD) {
      fail(t, dir, "tls record too large");
      return 0;
    }
    if(rest - 5 < rlen)
      break;
    record(t, dir, q[off], q + off + 5, rlen, ts, frame);
    off += 5 + (size_t)rlen;
  }
  if(d->done)
    return 0;
  if(q == (const uint8_t *)rb->buf) {
    if(off) {
      memmove(rb->buf, rb->buf + off, rb->len - off);
      rift_buf_setlen(rb, rb->len - off);
    }
  }
  else if(off < len) {
    if(rift_buf_add(rb, q + off, len - off)) {
      fail(t, dir, "tls record too large");
      return 0;
    }
  }
  return 1;
}

/* --- DTLS --------------------------------------------------------------- */

int rift_dtls_sniff(const uint8_t *p, size_t n)
{
  return n >= 13 && p[0] >= REC_CCS && p[0] <= REC_APPDATA && p[1] == 0xfe &&
         (p[2] == 0xff || p[2] == 0xfd || p[2] == 0xfc);
}

/* A DTLS handshake fragment: join in-order fragments of one message into
 * a TLS-style message (4-byte header) for handshake(). */
static void dtls_handshake(struct rift_tls *t, int dir, const uint8_t *p,
                           size_t n, int64_t ts, uint64_t frame)
{
  struct rift_tls_dir *d = &t->dir[dir];
  struct rift_cur c;
  rift_cur_init(&c, p, n);
  while(rift_cur_left(&c) >= 12 && !d->done) {
    uint8_t type = rift_cur_u8(&c);
    uint32_t len, foff, flen;
    const uint8_t *body;
    uint8_t hdr[4];
    len = (uint32_t)rift_cur_u8(&c) << 16;
    len |= rift_cur_u16be(&c);
    rift_cur_skip(&c, 2); /* message_seq */
    foff = (uint32_t)rift_cur_u8(&c) << 16;
    foff |= rift_cur_u16be(&c);
    flen = (uint32_t)rift_cur_u8(&c) << 16;
    flen |= rift_cur_u16be(&c);
    body = rift_cur_take(&c, flen);
    if(!body || foff > len || flen > len - foff ||
       len > RIFT_TLS_MAX_HANDSHAKE - 4) {
      fail(t, dir, "bad dtls handshake fragment");
      return;
    }
    hdr[0] = type;
    hdr[1] = (uint8_t)(len >> 16);
    hdr[2] = (uint8_t)(len >> 8);
    hdr[3] = (uint8_t)len;
    if(foff == 0) {
      rift_buf_reset(&d->hs);
      if(flen == len) {
        uint8_t *m = malloc((size_t)len + 4);
        if(!m)
          return;
        memcpy(m, hdr, 4);
        memcpy(m + 4, body, len);
        handshake(t, dir, m, (size_t)len + 4, ts, frame);
        free(m);
        continue;
      }
      rift_buf_add(&d->hs, hdr, 4);
      rift_buf_add(&d->hs, body, flen);
    }
    else if(d->hs.len == (size_t)foff + 4 && d->hs.len >= 4 &&
            (uint8_t)d->hs.buf[0] == type) {
      rift_buf_add(&d->hs, body, flen);
    }
    else {
      continue; /* out of order or retransmitted: skip */
    }
    if(d->hs.err) {
      fail(t, dir, "handshake message too large");
      return;
    }
    if(d->hs.len == (size_t)len + 4) {
      size_t ml = d->hs.len;
      uint8_t *m = malloc(ml);
      if(!m)
        return;
      memcpy(m, d->hs.buf, ml);
      rift_buf_reset(&d->hs);
      handshake(t, dir, m, ml, ts, frame);
      free(m);
    }
  }
}

int rift_tls_feed_dtls(struct rift_tls *t, int dir, const uint8_t *p,
                       size_t n, int64_t ts, uint64_t frame)
{
  struct rift_tls_dir *d = &t->dir[dir];
  struct rift_cur c;
  t->dtls = 1;
  if(d->done)
    return 0;
  rift_cur_init(&c, p, n);
  while(rift_cur_left(&c) >= 13 && !d->done) {
    uint8_t type = rift_cur_u8(&c);
    uint16_t ver = rift_cur_u16be(&c), epoch, len;
    const uint8_t *body;
    epoch = rift_cur_u16be(&c);
    rift_cur_skip(&c, 6);
    len = rift_cur_u16be(&c);
    body = rift_cur_take(&c, len);
    if(!body || (ver >> 8) != 0xfe) {
      fail(t, dir, "bad dtls record");
      return 0;
    }
    d->records++;
    if(epoch) { /* protected */
      if(type == REC_APPDATA)
        t->app_data = 1;
      finish(t, dir);
      break;
    }
    switch(type) {
    case REC_HANDSHAKE:
      dtls_handshake(t, dir, body, len, ts, frame);
      break;
    case REC_CCS:
      d->ccs = 1;
      break;
    case REC_ALERT:
      if(len >= 2 && !d->alert) {
        d->alert = 1;
        d->alert_code = (uint16_t)(body[0] << 8 | body[1]);
      }
      finish(t, dir);
      break;
    default:
      break;
    }
  }
  return !d->done;
}

/* --- names ------------------------------------------------------------- */

size_t rift_tls_version_str(char *dst, uint16_t v, const char **proto)
{
  int n;
  *proto = "tls";
  switch(v) {
  case 0x0002:
    *proto = "ssl";
    n = snprintf(dst, 24, "2.0");
    break;
  case 0x0300:
    *proto = "ssl";
    n = snprintf(dst, 24, "3.0");
    break;
  case 0x0301:
    n = snprintf(dst, 24, "1.0");
    break;
  case 0x0302:
    n = snprintf(dst, 24, "1.1");
    break;
  case 0x0303:
    n = snprintf(dst, 24, "1.2");
    break;
  case 0x0304:
    n = snprintf(dst, 24, "1.3");
    break;
  case 0xfeff:
    *proto = "dtls";
    n = snprintf(dst, 24, "1.0");
    break;
  case 0xfefd:
    *proto = "dtls";
    n = snprintf(dst, 24, "1.2");
    break;
  case 0xfefc:
    *proto = "dtls";
    n = snprintf(dst, 24, "1.3");
    break;
  default:
    if((v >> 8) == 0x7f)
      n = snprintf(dst, 24, "1.3-draft-%u", v & 0xff);
    else if((v >> 8) == 0xfb) /* Facebook's experimental 1.3 drafts */
      n = snprintf(dst, 24, "1.3-fb-%u", v & 0xff);
    else
      n = snprintf(dst, 24, "0x%04x", v);
    break;
  }
  return n > 0 ? (size_t)n : 0;
}

struct cipher_name {
  uint16_t id;
  const char *name;
};

/* IANA TLS cipher suite registry (the suites seen in practice). */
static const struct cipher_name ciphers[] = {
  { 0x0000, "TLS_NULL_WITH_NULL_NULL" },
  { 0x0001, "TLS_RSA_WITH_NULL_MD5" },
  { 0x0002, "TLS_RSA_WITH_NULL_SHA" },
  { 0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5" },
  { 0x0004, "TLS_RSA_WITH_RC4_128_MD5" },
  { 0x0005, "TLS_RSA_WITH_RC4_128_SHA" },
  { 0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5" },
  { 0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA" },
  { 0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA" },
  { 0x0009, "TLS_RSA_WITH_DES_CBC_SHA" },
  { 0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0x000d, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA" },
  { 0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA" },
  { 0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA" },
  { 0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA" },
  { 0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA" },
  { 0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA" },
  { 0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0x0018, "TLS_DH_anon_WITH_RC4_128_MD5" },
  { 0x001b, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA" },
  { 0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA" },
  { 0x0030, "TLS_DH_DSS_WITH_AES_128_CBC_SHA" },
  { 0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA" },
  { 0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA" },
  { 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA" },
  { 0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA" },
  { 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA" },
  { 0x0036, "TLS_DH_DSS_WITH_AES_256_CBC_SHA" },
  { 0x0037, "TLS_DH_RSA_WITH_AES_256_CBC_SHA" },
  { 0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA" },
  { 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA" },
  { 0x003a, "TLS_DH_anon_WITH_AES_256_CBC_SHA" },
  { 0x003b, "TLS_RSA_WITH_NULL_SHA256" },
  { 0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256" },
  { 0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256" },
  { 0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256" },
  { 0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256" },
  { 0x006a, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256" },
  { 0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256" },
  { 0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x008a, "TLS_PSK_WITH_RC4_128_SHA" },
  { 0x008b, "TLS_PSK_WITH_3DES_EDE_CBC_SHA" },
  { 0x008c, "TLS_PSK_WITH_AES_128_CBC_SHA" },
  { 0x008d, "TLS_PSK_WITH_AES_256_CBC_SHA" },
  { 0x0096, "TLS_RSA_WITH_SEED_CBC_SHA" },
  { 0x009a, "TLS_DHE_RSA_WITH_SEED_CBC_SHA" },
  { 0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256" },
  { 0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384" },
  { 0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" },
  { 0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384" },
  { 0x00a2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256" },
  { 0x00a3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384" },
  { 0x00a8, "TLS_PSK_WITH_AES_128_GCM_SHA256" },
  { 0x00a9, "TLS_PSK_WITH_AES_256_GCM_SHA384" },
  { 0x00ba, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0x00be, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0x00c0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256" },
  { 0x00c4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256" },
  { 0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" },
  { 0x1301, "TLS_AES_128_GCM_SHA256" },
  { 0x1302, "TLS_AES_256_GCM_SHA384" },
  { 0x1303, "TLS_CHACHA20_POLY1305_SHA256" },
  { 0x1304, "TLS_AES_128_CCM_SHA256" },
  { 0x1305, "TLS_AES_128_CCM_8_SHA256" },
  { 0x5600, "TLS_FALLBACK_SCSV" },
  { 0xc001, "TLS_ECDH_ECDSA_WITH_NULL_SHA" },
  { 0xc002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA" },
  { 0xc003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA" },
  { 0xc005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA" },
  { 0xc006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA" },
  { 0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA" },
  { 0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" },
  { 0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA" },
  { 0xc00b, "TLS_ECDH_RSA_WITH_NULL_SHA" },
  { 0xc00c, "TLS_ECDH_RSA_WITH_RC4_128_SHA" },
  { 0xc00d, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc00e, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA" },
  { 0xc00f, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA" },
  { 0xc010, "TLS_ECDHE_RSA_WITH_NULL_SHA" },
  { 0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA" },
  { 0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" },
  { 0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA" },
  { 0xc015, "TLS_ECDH_anon_WITH_NULL_SHA" },
  { 0xc016, "TLS_ECDH_anon_WITH_RC4_128_SHA" },
  { 0xc017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA" },
  { 0xc018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA" },
  { 0xc019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA" },
  { 0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256" },
  { 0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384" },
  { 0xc025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256" },
  { 0xc026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384" },
  { 0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256" },
  { 0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384" },
  { 0xc029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256" },
  { 0xc02a, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384" },
  { 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
  { 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
  { 0xc02d, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256" },
  { 0xc02e, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384" },
  { 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
  { 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
  { 0xc031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256" },
  { 0xc032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384" },
  { 0xc072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc09c, "TLS_RSA_WITH_AES_128_CCM" },
  { 0xc09d, "TLS_RSA_WITH_AES_256_CCM" },
  { 0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM" },
  { 0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM" },
  { 0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8" },
  { 0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8" },
  { 0xc0a2, "TLS_DHE_RSA_WITH_AES_128_CCM_8" },
  { 0xc0a3, "TLS_DHE_RSA_WITH_AES_256_CCM_8" },
  { 0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM" },
  { 0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM" },
  { 0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8" },
  { 0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8" },
  { 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccab, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccac, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccad, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccae, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256" },
};

const char *rift_tls_cipher_name(uint16_t id)
{
  size_t lo = 0, hi = sizeof(ciphers) / sizeof(ciphers[0]);
  while(lo < hi) {
    size_t mid = (lo + hi) / 2;
    if(ciphers[mid].id == id)
      return ciphers[mid].name;
    if(ciphers[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}
