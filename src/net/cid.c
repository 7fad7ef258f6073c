/*
 * cid.c - Community ID v1 (cid.h).
 */
#include <string.h>

#include "core/libcrypto.h"
#include "net/cid.h"
#include "net/crypto.h"
#include "net/pkt.h"

/* ICMP types with a reply type; anything else is one-way. */
static int icmp_pair(int v6, uint16_t type, uint16_t *peer)
{
  static const uint8_t v4[][2] = {
    { 8, 0 }, { 0, 8 }, { 13, 14 }, { 14, 13 }, { 15, 16 }, { 16, 15 },
    { 10, 9 }, { 9, 10 }, { 17, 18 }, { 18, 17 }
  };
  static const uint8_t v6t[][2] = {
    { 128, 129 }, { 129, 128 }, { 133, 134 }, { 134, 133 }, { 135, 136 },
    { 136, 135 }, { 130, 131 }, { 131, 130 }, { 139, 140 }, { 140, 139 },
    { 144, 145 }, { 145, 144 }
  };
  size_t i;
  if(v6) {
    for(i = 0; i < sizeof(v6t) / sizeof(v6t[0]); i++) {
      if(v6t[i][0] == type) {
        *peer = v6t[i][1];
        return 1;
      }
    }
  }
  else {
    for(i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
      if(v4[i][0] == type) {
        *peer = v4[i][1];
        return 1;
      }
    }
  }
  return 0;
}

size_t rift_community_id(char out[RIFT_CID_LEN + 1], int family,
                         uint8_t proto, const uint8_t *saddr,
                         const uint8_t *daddr, uint16_t sport,
                         uint16_t dport, uint16_t seed)
{
  uint8_t buf[2 + 32 + 2 + 4], md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  size_t alen = family == 4 ? 4 : 16, n = 0;
  int one_way = 0, ports, c;
  const uint8_t *a = saddr, *b = daddr;
  uint16_t pa = sport, pb = dport;
  if(proto == RIFT_IPPROTO_ICMP || proto == RIFT_IPPROTO_ICMPV6) {
    uint16_t peer;
    if(icmp_pair(proto == RIFT_IPPROTO_ICMPV6, sport, &peer))
      pb = peer;
    else
      one_way = 1;
  }
  ports = proto == RIFT_IPPROTO_TCP || proto == RIFT_IPPROTO_UDP ||
          proto == RIFT_IPPROTO_SCTP || proto == RIFT_IPPROTO_ICMP ||
          proto == RIFT_IPPROTO_ICMPV6;
  c = memcmp(a, b, alen);
  if(!one_way && (c > 0 || (c == 0 && pa > pb))) {
    const uint8_t *t = a;
    uint16_t tp = pa;
    a = b;
    b = t;
    pa = pb;
    pb = tp;
  }
  buf[n++] = (uint8_t)(seed >> 8);
  buf[n++] = (uint8_t)seed;
  memcpy(buf + n, a, alen);
  n += alen;
  memcpy(buf + n, b, alen);
  n += alen;
  buf[n++] = proto;
  buf[n++] = 0;
  if(ports) {
    buf[n++] = (uint8_t)(pa >> 8);
    buf[n++] = (uint8_t)pa;
    buf[n++] = (uint8_t)(pb >> 8);
    buf[n++] = (uint8_t)pb;
  }
  if(!EVP_Digest(buf, n, md, &mdlen, rift_sha1(), NULL) || mdlen != 20) {
    out[0] = 0;
    return 0;
  }
  out[0] = '1';
  out[1] = ':';
  EVP_EncodeBlock((unsigned char *)out + 2, md, 20);
  out[RIFT_CID_LEN] = 0;
  return RIFT_CID_LEN;
}
