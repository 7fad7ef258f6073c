/*
 * pkt.c - frame decoding (pkt.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/cur.h"
#include "net/frag.h"
#include "net/pkt.h"

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define ETH_VLAN 0x8100
#define ETH_QINQ 0x88a8
#define ETH_QINQ_OLD 0x9100
#define ETH_MPLS 0x8847
#define ETH_MPLS_MC 0x8848
#define ETH_PPPOE 0x8864
#define ETH_TEB 0x6558       /* transparent Ethernet bridging */
#define ETH_ERSPAN2 0x88be
#define ETH_ERSPAN3 0x22eb

#define VXLAN_PORT 4789
#define GENEVE_PORT 6081

struct dec {
  struct rift_pkt *p;
  struct rift_frag *frag;
  unsigned layers;
};

static enum rift_pkt_status bad(struct rift_pkt *p, const char *why)
{
  p->why = why;
  return RIFT_PKT_BAD;
}

static uint16_t be16(const uint8_t *q)
{
  return (uint16_t)(q[0] << 8 | q[1]);
}

static uint32_t be32(const uint8_t *q)
{
  return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 |
         q[3];
}

static enum rift_pkt_status ip_any(struct dec *d, const uint8_t *b, size_t n);
static enum rift_pkt_status ethertype(struct dec *d, uint16_t type,
                                      const uint8_t *b, size_t n);
static enum rift_pkt_status ether(struct dec *d, const uint8_t *b, size_t n);

static int more_layers(struct dec *d)
{
  return ++d->layers <= RIFT_PKT_MAX_LAYERS;
}

/* GRE (RFC 2784/2890) and ERSPAN inside it. */
static enum rift_pkt_status gre(struct dec *d, const uint8_t *b, size_t n)
{
  struct rift_cur c;
  uint16_t fl, proto;
  const uint8_t *q;
  rift_cur_init(&c, b, n);
  fl = rift_cur_u16be(&c);
  proto = rift_cur_u16be(&c);
  if(c.err)
    return bad(d->p, "truncated gre header");
  if((fl & 7) != 0 && (fl & 7) != 1)
    return RIFT_PKT_NOT_IP;  /* unknown GRE version */
  if((fl & 7) == 1)          /* enhanced GRE (PPTP): key always present */
    return RIFT_PKT_NOT_IP;
  if(fl & 0x8000)
    rift_cur_skip(&c, 4);    /* checksum + reserved */
  if(fl & 0x2000)
    rift_cur_skip(&c, 4);    /* key */
  if(fl & 0x1000)
    rift_cur_skip(&c, 4);    /* sequence */
  if(c.err)
    return bad(d->p, "truncated gre header");
  d->p->tunnel = 1;
  if(proto == ETH_ERSPAN2) {
    if(!(fl & 0x1000))       /* ERSPAN type I: no header */
      return ether(d, b + c.off, n - c.off);
    rift_cur_skip(&c, 8);
  }
  else if(proto == ETH_ERSPAN3) {
    q = rift_cur_take(&c, 12);
    if(q && (q[11] & 1))     /* O bit: platform specific subheader */
      rift_cur_skip(&c, 8);
  }
  else {
    return ethertype(d, proto, b + c.off, n - c.off);
  }
  if(c.err)
    return bad(d->p, "truncated erspan header");
  return ether(d, b + c.off, n - c.off);
}

/* UDP tunnels: VXLAN and Geneve carry whole frames. */
static int udp_tunnel(struct dec *d, const uint8_t *b, size_t n,
                      enum rift_pkt_status *st)
{
  struct rift_pkt *p = d->p;
  /* either port, as Wireshark: some VTEPs send from 4789 as well */
  if((p->dport == VXLAN_PORT || p->sport == VXLAN_PORT) && n >= 8 &&
     (b[0] & 0x08)) {
    struct rift_pkt save = *p;
    *st = ether(d, b + 8, n - 8);
    if(*st == RIFT_PKT_OK)
      p->tunnel = 1;
    else
      *p = save;
    return *st == RIFT_PKT_OK;
  }
  if(p->dport == GENEVE_PORT && n >= 8 && (b[0] >> 6) == 0) {
    size_t hl = 8 + (size_t)(b[0] & 0x3f) * 4;
    uint16_t proto = be16(b + 2);
    struct rift_pkt save = *p;
    if(hl > n)
      return 0;
    *st = ethertype(d, proto, b + hl, n - hl);
    if(*st == RIFT_PKT_OK)
      p->tunnel = 1;
    else
      *p = save;
    return *st == RIFT_PKT_OK;
  }
  return 0;
}

/* Transport header of a complete (or first-fragment-less) datagram. */
static enum rift_pkt_status transport(struct dec *d, uint8_t proto,
                                      const uint8_t *b, size_t n)
{
  struct rift_pkt *p = d->p;
  struct rift_cur c;
  enum rift_pkt_status st;
  rift_cur_init(&c, b, n);
  p->proto = proto;
  p->payload = NULL;
  p->plen = 0;
  switch(proto) {
  case RIFT_IPPROTO_TCP: {
    uint8_t off;
    p->sport = rift_cur_u16be(&c);
    p->dport = rift_cur_u16be(&c);
    p->seq = rift_cur_u32be(&c);
    p->ack = rift_cur_u32be(&c);
    off = rift_cur_u8(&c);
    p->tcp_flags = rift_cur_u8(&c);
    p->win = rift_cur_u16be(&c);
    if(c.err)
      return bad(p, "truncated tcp header");
    if((off >> 4) < 5)
      return bad(p, "tcp header length below 20");
    if((size_t)(off >> 4) * 4 > n) {
      /* options cut off by the snap length: keep the header fields */
      p->payload = b + n;
      return RIFT_PKT_OK;
    }
    p->payload = b + (off >> 4) * 4;
    p->plen = (uint32_t)(n - (size_t)(off >> 4) * 4);
    return RIFT_PKT_OK;
  }
  case RIFT_IPPROTO_UDP: {
    uint16_t ulen;
    p->sport = rift_cur_u16be(&c);
    p->dport = rift_cur_u16be(&c);
    ulen = rift_cur_u16be(&c);
    rift_cur_skip(&c, 2);
    if(c.err)
      return bad(p, "truncated udp header");
    p->payload = b + 8;
    p->plen = (uint32_t)(n - 8);
    if(ulen >= 8 && (size_t)ulen - 8 < p->plen)
      p->plen = ulen - 8u;
    if(more_layers(d) && udp_tunnel(d, p->payload, p->plen, &st))
      return st;
    return RIFT_PKT_OK;
  }
  case RIFT_IPPROTO_ICMP:
  case RIFT_IPPROTO_ICMPV6:
    p->sport = rift_cur_u8(&c);
    p->dport = rift_cur_u8(&c);
    if(c.err)
      return bad(p, "truncated icmp header");
    p->payload = b + (n >= 4 ? 4 : n);
    p->plen = n >= 4 ? (uint32_t)(n - 4) : 0;
    return RIFT_PKT_OK;
  case RIFT_IPPROTO_GRE:
    if(!more_layers(d))
      return bad(p, "too many nested layers");
    st = gre(d, b, n);
    if(st == RIFT_PKT_NOT_IP) { /* keep the GRE packet itself as a flow */
      p->proto = proto;
      p->sport = p->dport = 0;
      return RIFT_PKT_OK;
    }
    return st;
  case RIFT_IPPROTO_IPIP:
  case RIFT_IPPROTO_IPV6:
    if(!more_layers(d))
      return bad(p, "too many nested layers");
    p->tunnel = 1;
    return ip_any(d, b, n);
  default:
    p->sport = p->dport = 0;
    p->payload = b;
    p->plen = (uint32_t)n;
    return RIFT_PKT_OK;
  }
}

static enum rift_pkt_status reassembled(struct dec *d, uint8_t proto,
                                        const uint8_t *b, size_t n)
{
  d->p->reassembled = 1;
  return transport(d, proto, b, n);
}

static enum rift_pkt_status ipv4(struct dec *d, const uint8_t *b, size_t n)
{
  struct rift_pkt *p = d->p;
  struct rift_cur c;
  uint8_t vihl, proto;
  uint16_t totlen, id, fo;
  size_t hl;
  const uint8_t *q;
  rift_cur_init(&c, b, n);
  vihl = rift_cur_u8(&c);
  rift_cur_skip(&c, 1);
  totlen = rift_cur_u16be(&c);
  id = rift_cur_u16be(&c);
  fo = rift_cur_u16be(&c);
  p->ttl = rift_cur_u8(&c);
  proto = rift_cur_u8(&c);
  rift_cur_skip(&c, 2);
  q = rift_cur_take(&c, 8);
  if(!q)
    return bad(p, "truncated ipv4 header");
  if((vihl >> 4) != 4)
    return bad(p, "ip version is not 4");
  hl = (size_t)(vihl & 15) * 4;
  if(hl < 20)
    return bad(p, "ipv4 header length below 20");
  if(hl > n)
    return bad(p, "truncated ipv4 options");
  if(totlen < hl)
    return bad(p, "ipv4 total length below header length");
  p->family = 4;
  memset(p->src, 0, sizeof(p->src));
  memset(p->dst, 0, sizeof(p->dst));
  memcpy(p->src, q, 4);
  memcpy(p->dst, q + 4, 4);
  p->iplen = totlen;
  /* trust the total length, not trailing link padding; TSO captures
   * carry totlen 0, use what was captured then */
  if(totlen && totlen < n)
    n = totlen;
  if(fo & 0x3fff) {
    uint32_t off = (uint32_t)(fo & 0x1fff) * 8;
    int more = !!(fo & 0x2000);
    const uint8_t *out;
    size_t outlen;
    int r;
    if(!d->frag)
      return RIFT_PKT_FRAGMENT;
    r = rift_frag_add(d->frag, p->ts, 4, p->src, p->dst, id, proto, off,
                      more, b + hl, n - hl, &out, &outlen);
    if(r < 0)
      return bad(p, "bad ipv4 fragment");
    if(r == 0)
      return RIFT_PKT_FRAGMENT;
    p->iplen = (uint32_t)(hl + outlen);
    return reassembled(d, proto, out, outlen);
  }
  return transport(d, proto, b + hl, n - hl);
}

static enum rift_pkt_status ipv6(struct dec *d, const uint8_t *b, size_t n)
{
  struct rift_pkt *p = d->p;
  struct rift_cur c;
  uint32_t vtf;
  uint16_t paylen;
  uint8_t next;
  const uint8_t *q;
  int i;
  rift_cur_init(&c, b, n);
  vtf = rift_cur_u32be(&c);
  paylen = rift_cur_u16be(&c);
  next = rift_cur_u8(&c);
  p->ttl = rift_cur_u8(&c);
  q = rift_cur_take(&c, 32);
  if(!q)
    return bad(p, "truncated ipv6 header");
  if((vtf >> 28) != 6)
    return bad(p, "ip version is not 6");
  p->family = 6;
  memcpy(p->src, q, 16);
  memcpy(p->dst, q + 16, 16);
  p->iplen = 40u + paylen;
  if(paylen && (size_t)paylen + 40 < n)
    n = (size_t)paylen + 40;
  c.len = n < c.len ? n : c.len;
  for(i = 0; i <= RIFT_PKT_MAX_EXTHDR; i++) {
    switch(next) {
    case 0:   /* hop-by-hop */
    case 43:  /* routing */
    case 60:  /* destination options */
    case 135: /* mobility */
    {
      uint8_t nx = rift_cur_u8(&c), hlen = rift_cur_u8(&c);
      rift_cur_skip(&c, (size_t)hlen * 8 + 6);
      if(c.err)
        return bad(p, "truncated ipv6 extension header");
      next = nx;
      continue;
    }
    case 51: { /* authentication header: length in 4-byte units, +2 */
      uint8_t nx = rift_cur_u8(&c), hlen = rift_cur_u8(&c);
      rift_cur_skip(&c, (size_t)hlen * 4 + 6);
      if(c.err)
        return bad(p, "truncated ipv6 authentication header");
      next = nx;
      continue;
    }
    case 44: { /* fragment */
      uint8_t nx = rift_cur_u8(&c);
      uint16_t om;
      uint32_t id;
      const uint8_t *out;
      size_t outlen, hl;
      int r;
      rift_cur_skip(&c, 1);
      om = rift_cur_u16be(&c);
      id = rift_cur_u32be(&c);
      if(c.err)
        return bad(p, "truncated ipv6 fragment header");
      hl = c.off;
      if((om & 0xfff8) == 0 && !(om & 1)) { /* atomic fragment */
        next = nx;
        continue;
      }
      if(!d->frag)
        return RIFT_PKT_FRAGMENT;
      r = rift_frag_add(d->frag, p->ts, 6, p->src, p->dst, id, nx,
                        om & 0xfff8, om & 1, b + hl, n - hl, &out, &outlen);
      if(r < 0)
        return bad(p, "bad ipv6 fragment");
      if(r == 0)
        return RIFT_PKT_FRAGMENT;
      p->iplen = (uint32_t)(40 + outlen);
      return reassembled(d, nx, out, outlen);
    }
    case 59: /* no next header */
      p->proto = next;
      p->payload = NULL;
      p->plen = 0;
      return RIFT_PKT_OK;
    default:
      return transport(d, next, b + c.off, n - c.off);
    }
  }
  return bad(p, "too many ipv6 extension headers");
}

static enum rift_pkt_status ip_any(struct dec *d, const uint8_t *b, size_t n)
{
  if(!n)
    return bad(d->p, "empty ip packet");
  switch(b[0] >> 4) {
  case 4:
    return ipv4(d, b, n);
  case 6:
    return ipv6(d, b, n);
  default:
    return RIFT_PKT_NOT_IP;
  }
}

static enum rift_pkt_status mpls(struct dec *d, const uint8_t *b, size_t n)
{
  struct rift_cur c;
  rift_cur_init(&c, b, n);
  for(;;) {
    uint32_t l = rift_cur_u32be(&c);
    if(c.err)
      return bad(d->p, "truncated mpls label");
    if(!more_layers(d))
      return bad(d->p, "too many mpls labels");
    if(l & 0x100)
      break; /* bottom of stack */
  }
  if(c.off >= n)
    return bad(d->p, "mpls without payload");
  /* guess the payload: IP by its version nibble, else pseudowire */
  switch(b[c.off] >> 4) {
  case 4:
  case 6:
    return ip_any(d, b + c.off, n - c.off);
  case 0: /* pseudowire control word then Ethernet */
    if(n - c.off < 4)
      return bad(d->p, "truncated pseudowire control word");
    return ether(d, b + c.off + 4, n - c.off - 4);
  default:
    return RIFT_PKT_NOT_IP;
  }
}

static enum rift_pkt_status ethertype(struct dec *d, uint16_t type,
                                      const uint8_t *b, size_t n)
{
  struct rift_cur c;
  for(;;) {
    if(!more_layers(d))
      return bad(d->p, "too many nested layers");
    switch(type) {
    case ETH_IPV4:
    case ETH_IPV6:
      return ip_any(d, b, n);
    case ETH_VLAN:
    case ETH_QINQ:
    case ETH_QINQ_OLD: {
      uint16_t tci;
      rift_cur_init(&c, b, n);
      tci = rift_cur_u16be(&c);
      type = rift_cur_u16be(&c);
      if(c.err)
        return bad(d->p, "truncated vlan tag");
      if(!d->p->vlan)
        d->p->vlan = tci & 0x0fff;
      b += 4;
      n -= 4;
      continue;
    }
    case ETH_MPLS:
    case ETH_MPLS_MC:
      return mpls(d, b, n);
    case ETH_PPPOE: {
      uint16_t ppp;
      if(n < 8)
        return bad(d->p, "truncated pppoe header");
      ppp = be16(b + 6);
      if(ppp == 0x0021)
        return ip_any(d, b + 8, n - 8);
      if(ppp == 0x0057)
        return ip_any(d, b + 8, n - 8);
      return RIFT_PKT_NOT_IP;
    }
    case ETH_TEB:
      return ether(d, b, n);
    default:
      return RIFT_PKT_NOT_IP;
    }
  }
}

static enum rift_pkt_status ether(struct dec *d, const uint8_t *b, size_t n)
{
  uint16_t type;
  if(n < 14)
    return bad(d->p, "truncated ethernet header");
  type = be16(b + 12);
  if(type < 0x0600)
    return RIFT_PKT_NOT_IP; /* 802.3 length + LLC */
  return ethertype(d, type, b + 14, n - 14);
}

int rift_pkt_dlt_known(int dlt)
{
  switch(dlt) {
  case RIFT_DLT_NULL:
  case RIFT_DLT_EN10MB:
  case RIFT_DLT_RAW:
  case RIFT_DLT_RAW_BSD:
  case RIFT_LINKTYPE_RAW:
  case RIFT_DLT_LOOP:
  case RIFT_DLT_LINUX_SLL:
  case RIFT_DLT_LINUX_SLL2:
  case RIFT_DLT_IPV4:
  case RIFT_DLT_IPV6:
    return 1;
  default:
    return 0;
  }
}

enum rift_pkt_status rift_pkt_decode(struct rift_pkt *p, int dlt,
                                     const uint8_t *data, size_t caplen,
                                     struct rift_frag *frag)
{
  struct dec d = { p, frag, 0 };
  uint32_t fam;
  p->proto = 0;
  p->tcp_flags = 0;
  p->sport = p->dport = 0;
  p->seq = p->ack = 0;
  p->win = 0;
  p->vlan = 0;
  p->tunnel = 0;
  p->reassembled = 0;
  p->payload = NULL;
  p->plen = 0;
  p->iplen = 0;
  p->why = NULL;
  switch(dlt) {
  case RIFT_DLT_EN10MB:
    return ether(&d, data, caplen);
  case RIFT_DLT_RAW:
  case RIFT_DLT_RAW_BSD:
  case RIFT_LINKTYPE_RAW:
  case RIFT_DLT_IPV4:
  case RIFT_DLT_IPV6:
    return ip_any(&d, data, caplen);
  case RIFT_DLT_NULL:
  case RIFT_DLT_LOOP:
    if(caplen < 4)
      return bad(p, "truncated loopback header");
    fam = dlt == RIFT_DLT_LOOP ? be32(data) : rift_le32(data);
    if(fam > 0xffff) /* written on the other endianness */
      fam = ((fam & 0xff) << 24 | (fam & 0xff00) << 8 | (fam >> 8 & 0xff00) |
             fam >> 24);
    if(fam == 2 || fam == 24 || fam == 28 || fam == 30)
      return ip_any(&d, data + 4, caplen - 4);
    return RIFT_PKT_NOT_IP;
  case RIFT_DLT_LINUX_SLL:
    if(caplen < 16)
      return bad(p, "truncated linux cooked header");
    return ethertype(&d, be16(data + 14), data + 16, caplen - 16);
  case RIFT_DLT_LINUX_SLL2:
    if(caplen < 20)
      return bad(p, "truncated linux cooked v2 header");
    return ethertype(&d, be16(data), data + 20, caplen - 20);
  default:
    return RIFT_PKT_NOT_IP;
  }
}

size_t rift_ip_fmt(char *dst, int family, const uint8_t *a)
{
  static const char hex[] = "0123456789abcdef";
  size_t n = 0;
  int i, best = -1, bestlen = 0, run = -1, runlen = 0;
  if(family == 4) {
    for(i = 0; i < 4; i++) {
      unsigned v = a[i];
      if(i)
        dst[n++] = '.';
      if(v >= 100)
        dst[n++] = (char)('0' + v / 100);
      if(v >= 10)
        dst[n++] = (char)('0' + v / 10 % 10);
      dst[n++] = (char)('0' + v % 10);
    }
    dst[n] = 0;
    return n;
  }
  /* RFC 5952: longest run (>= 2) of zero groups becomes "::" */
  for(i = 0; i < 8; i++) {
    if(!a[2 * i] && !a[2 * i + 1]) {
      if(run < 0) {
        run = i;
        runlen = 0;
      }
      runlen++;
      if(runlen > bestlen) {
        best = run;
        bestlen = runlen;
      }
    }
    else {
      run = -1;
    }
  }
  if(bestlen < 2)
    best = -1;
  /* IPv4-mapped ::ffff:a.b.c.d */
  if(best == 0 && bestlen == 5 && a[10] == 0xff && a[11] == 0xff) {
    memcpy(dst, "::ffff:", 7);
    return 7 + rift_ip_fmt(dst + 7, 4, a + 12);
  }
  for(i = 0; i < 8; i++) {
    unsigned g = (unsigned)(a[2 * i] << 8 | a[2 * i + 1]);
    int started = 0, s;
    if(i == best) {
      dst[n++] = ':';
      dst[n++] = ':';
      i += bestlen - 1;
      continue;
    }
    if(i && !(best >= 0 && i == best + bestlen))
      dst[n++] = ':';
    for(s = 12; s >= 0; s -= 4) {
      unsigned v = g >> s & 15;
      if(v || started || s == 0) {
        dst[n++] = hex[v];
        started = 1;
      }
    }
  }
  dst[n] = 0;
  return n;
}

static int hexval(int ch)
{
  if(ch >= '0' && ch <= '9')
    return ch - '0';
  if(ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if(ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

static int parse4(const char *s, size_t n, uint8_t *a)
{
  size_t i = 0;
  int part;
  for(part = 0; part < 4; part++) {
    unsigned v = 0, digits = 0;
    if(part) {
      if(i >= n || s[i] != '.')
        return 0;
      i++;
    }
    while(i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
      v = v * 10 + (unsigned)(s[i] - '0');
      i++;
      digits++;
    }
    if(!digits || digits > 3 || v > 255)
      return 0;
    a[part] = (uint8_t)v;
  }
  return i == n;
}

int rift_ip_parse(const char *s, size_t n, uint8_t a[16])
{
  uint16_t g[8];
  int ng = 0, gap = -1, i;
  size_t k = 0;
  memset(a, 0, 16);
  if(!n || n > 45)
    return 0;
  if(memchr(s, ':', n) == NULL)
    return parse4(s, n, a) ? 4 : 0;
  if(n >= 2 && s[0] == ':' && s[1] == ':') {
    gap = 0;
    k = 2;
  }
  else if(s[0] == ':') {
    return 0;
  }
  while(k < n) {
    unsigned v = 0;
    int digits = 0;
    size_t start = k;
    if(ng >= 8)
      return 0;
    while(k < n && hexval(s[k]) >= 0 && digits < 5) {
      v = v << 4 | (unsigned)hexval(s[k]);
      k++;
      digits++;
    }
    if(k < n && s[k] == '.') { /* trailing dotted quad */
      uint8_t v4[4];
      if(ng > 6 || !parse4(s + start, n - start, v4))
        return 0;
      g[ng++] = (uint16_t)(v4[0] << 8 | v4[1]);
      g[ng++] = (uint16_t)(v4[2] << 8 | v4[3]);
      k = n;
      break;
    }
    if(!digits || digits > 4)
      return 0;
    g[ng++] = (uint16_t)v;
    if(k == n)
      break;
    if(s[k] != ':')
      return 0;
    k++;
    if(k < n && s[k] == ':') {
      if(gap >= 0)
        return 0;
      gap = ng;
      k++;
    }
    else if(k == n) {
      return 0;
    }
  }
  if(gap < 0 && ng != 8)
    return 0;
  if(gap >= 0 && ng > 7)
    return 0;
  for(i = 0; i < ng; i++) {
    int pos = (gap >= 0 && i >= gap) ? i + (8 - ng) : i;
    a[2 * pos] = (uint8_t)(g[i] >> 8);
    a[2 * pos + 1] = (uint8_t)g[i];
  }
  return 6;
}
