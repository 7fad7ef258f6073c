/* Unit tests of src/net/: frames built byte by byte, published test
 * vectors (JA3 README, JA4.md, RFC 9001 appendix A, Suricata's Community
 * ID test), and streams fed in awkward pieces. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "net/cid.h"
#include "net/dns.h"
#include "net/frag.h"
#include "net/http.h"
#include "net/ja3.h"
#include "net/ja4.h"
#include "net/netev.h"
#include "net/pkt.h"
#include "net/quic.h"
#include "net/tls.h"
#include "unit.h"

/* --- a tiny frame builder ------------------------------------------------ */

struct fb {
  uint8_t b[4096];
  size_t n;
};

static void put(struct fb *f, const void *p, size_t n)
{
  memcpy(f->b + f->n, p, n);
  f->n += n;
}

static void u8(struct fb *f, unsigned v)
{
  f->b[f->n++] = (uint8_t)v;
}

static void u16(struct fb *f, unsigned v)
{
  u8(f, v >> 8);
  u8(f, v & 0xff);
}

static void u24(struct fb *f, unsigned v)
{
  u8(f, v >> 16);
  u16(f, v & 0xffff);
}

static void u32(struct fb *f, uint32_t v)
{
  u16(f, v >> 16);
  u16(f, v & 0xffff);
}

static void set16(struct fb *f, size_t at, unsigned v)
{
  f->b[at] = (uint8_t)(v >> 8);
  f->b[at + 1] = (uint8_t)v;
}

static void eth(struct fb *f, unsigned type)
{
  static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
  put(f, mac, 12);
  u16(f, type);
}

/* IPv4 header; returns its offset (total length patched by ip4_end). */
static size_t ip4(struct fb *f, const char *src, const char *dst, unsigned proto,
                  unsigned id, unsigned fragoff)
{
  uint8_t a[16];
  size_t at = f->n;
  u8(f, 0x45);
  u8(f, 0);
  u16(f, 0);
  u16(f, id);
  u16(f, fragoff);
  u8(f, 64);
  u8(f, proto);
  u16(f, 0);
  rift_ip_parse(src, strlen(src), a);
  put(f, a, 4);
  rift_ip_parse(dst, strlen(dst), a);
  put(f, a, 4);
  return at;
}

static void ip4_end(struct fb *f, size_t at)
{
  set16(f, at + 2, (unsigned)(f->n - at));
}

static void tcp(struct fb *f, unsigned sp, unsigned dp, uint32_t seq,
                unsigned flags)
{
  u16(f, sp);
  u16(f, dp);
  u32(f, seq);
  u32(f, 0);
  u8(f, 0x50);
  u8(f, flags);
  u16(f, 65535);
  u32(f, 0);
}

static void udp(struct fb *f, unsigned sp, unsigned dp, unsigned len)
{
  u16(f, sp);
  u16(f, dp);
  u16(f, 8 + len);
  u16(f, 0);
}

void unit_net_ip(struct unit *t)
{
  static const char *const ok[] = {
    "192.0.2.1", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::1", "::",
    "1::", "2606:4700::6811:d209", "::ffff:1.2.3.4", "fe80::1:2:3:4",
    "2001:db8:0:1:1:1:1:1", "1:0:0:2::3",
  };
  static const char *const bad[] = {
    "256.1.1.1", "1.2.3", "1.2.3.4.5", "1::2::3", ":1", "1:2:3:4:5:6:7:8:9",
    "12345::", "", "1.2.3.04x",
  };
  uint8_t a[16];
  char out[48];
  size_t i;
  for(i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
    int fam = rift_ip_parse(ok[i], strlen(ok[i]), a);
    CHECK(t, fam == 4 || fam == 6);
    rift_ip_fmt(out, fam, a);
    CHECK_STR(t, out, ok[i]);
  }
  for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    CHECK_INT(t, rift_ip_parse(bad[i], strlen(bad[i]), a), 0);
  /* RFC 5952: the longest run of zeros, the first of equal runs */
  rift_ip_parse("2001:0:0:1:0:0:0:1", 18, a);
  rift_ip_fmt(out, 6, a);
  CHECK_STR(t, out, "2001:0:0:1::1");
  rift_ip_parse("2001:db8:0:0:1:0:0:1", 20, a);
  rift_ip_fmt(out, 6, a);
  CHECK_STR(t, out, "2001:db8::1:0:0:1");
}

void unit_net_pkt(struct unit *t)
{
  struct fb f;
  struct rift_pkt p;
  struct rift_frag fr;
  size_t at;
  char s[48];

  /* Ethernet, 802.1Q, 802.1ad: IPv4 TCP */
  memset(&f, 0, sizeof(f));
  eth(&f, 0x88a8);
  u16(&f, 0x0064);
  u16(&f, 0x8100);
  u16(&f, 0x0007);
  u16(&f, 0x0800);
  at = ip4(&f, "10.0.0.1", "10.0.0.2", 6, 1, 0);
  tcp(&f, 1234, 443, 1000, RIFT_TCP_SYN);
  put(&f, "hello", 5);
  ip4_end(&f, at);
  CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_EN10MB, f.b, f.n, NULL),
            RIFT_PKT_OK);
  CHECK_INT(t, p.vlan, 100);
  CHECK_INT(t, p.proto, 6);
  CHECK_INT(t, p.sport, 1234);
  CHECK_INT(t, p.dport, 443);
  CHECK_INT(t, p.seq, 1000);
  CHECK_INT(t, p.tcp_flags, RIFT_TCP_SYN);
  CHECK_INT(t, p.plen, 5);
  rift_ip_fmt(s, p.family, p.src);
  CHECK_STR(t, s, "10.0.0.1");
  /* the same frame cut inside the TCP header */
  CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_EN10MB, f.b, 14 + 12 + 20 + 10,
                               NULL), RIFT_PKT_BAD);
  CHECK(t, p.why != NULL);
  /* Ethernet trailer padding is not payload */
  f.n += 6;
  CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_EN10MB, f.b, f.n, NULL),
            RIFT_PKT_OK);
  CHECK_INT(t, p.plen, 5);

  /* Linux cooked v1 and v2, raw IP, BSD loopback */
  memset(&f, 0, sizeof(f));
  u16(&f, 0);
  u16(&f, 1);
  u16(&f, 6);
  put(&f, "\1\2\3\4\5\6\0\0", 8);
  u16(&f, 0x0800);
  at = ip4(&f, "192.0.2.9", "198.51.100.7", 17, 1, 0);
  udp(&f, 5353, 53, 3);
  put(&f, "abc", 3);
  ip4_end(&f, at);
  CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_LINUX_SLL, f.b, f.n, NULL),
            RIFT_PKT_OK);
  CHECK_INT(t, p.proto, 17);
  CHECK_INT(t, p.dport, 53);
  CHECK_INT(t, p.plen, 3);
  CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_RAW, f.b + 16, f.n - 16, NULL),
            RIFT_PKT_OK);
  CHECK_INT(t, p.sport, 5353);
  {
    struct fb g;
    memset(&g, 0, sizeof(g));
    u16(&g, 0x0800);
    u16(&g, 0);
    u32(&g, 3);
    u16(&g, 1);
    u8(&g, 0);
    u8(&g, 6);
    put(&g, "\1\2\3\4\5\6\0\0", 8);
    put(&g, f.b + 16, f.n - 16);
    CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_LINUX_SLL2, g.b, g.n, NULL),
              RIFT_PKT_OK);
    CHECK_INT(t, p.dport, 53);
    memset(&g, 0, sizeof(g));
    put(&g, "\2\0\0\0", 4); /* AF_INET, host order */
    put(&g, f.b + 16, f.n - 16);
    CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_NULL, g.b, g.n, NULL),
              RIFT_PKT_OK);
    CHECK_INT(t, p.dport, 53);
  }

  /* IPv6 with hop-by-hop and destination options, then UDP */
  memset(&f, 0, sizeof(f));
  eth(&f, 0x86dd);
  u32(&f, 0x60000000);
  u16(&f, 8 + 8 + 8 + 2);
  u8(&f, 0);   /* hop-by-hop */
  u8(&f, 64);
  {
    uint8_t a[16];
    rift_ip_parse("2001:db8::1", 11, a);
    put(&f, a, 16);
    rift_ip_parse("2001:db8::2", 11, a);
    put(&f, a, 16);
  }
  u8(&f, 60);
  u8(&f, 0);
  put(&f, "\1\4\0\0\0\0", 6);
  u8(&f, 17);
  u8(&f, 0);
  put(&f, "\1\4\0\0\0\0", 6);
  udp(&f, 40000, 443, 2);
  put(&f, "hi", 2);
  CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_EN10MB, f.b, f.n, NULL),
            RIFT_PKT_OK);
  CHECK_INT(t, p.family, 6);
  CHECK_INT(t, p.proto, 17);
  CHECK_INT(t, p.plen, 2);
  rift_ip_fmt(s, 6, p.dst);
  CHECK_STR(t, s, "2001:db8::2");

  /* IPv4 fragments, last first: reassembled */
  rift_frag_init(&fr);
  {
    uint8_t payload[8 + 40];
    struct fb a, b;
    size_t i;
    memset(payload, 0, 8);
    payload[0] = 0x30; /* UDP 12345 -> 53, len 48 */
    payload[1] = 0x39;
    payload[3] = 53;
    payload[5] = 48;
    for(i = 8; i < sizeof(payload); i++)
      payload[i] = (uint8_t)i;
    memset(&a, 0, sizeof(a));
    at = ip4(&a, "10.1.1.1", "10.1.1.2", 17, 77, 0x2000); /* MF, off 0 */
    put(&a, payload, 24);
    ip4_end(&a, at);
    memset(&b, 0, sizeof(b));
    at = ip4(&b, "10.1.1.1", "10.1.1.2", 17, 77, 3); /* off 24 */
    put(&b, payload + 24, sizeof(payload) - 24);
    ip4_end(&b, at);
    p.ts = 0;
    CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_RAW, b.b, b.n, &fr),
              RIFT_PKT_FRAGMENT);
    CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_RAW, a.b, a.n, &fr),
              RIFT_PKT_OK);
    CHECK_INT(t, p.reassembled, 1);
    CHECK_INT(t, p.dport, 53);
    CHECK_INT(t, p.plen, 40);
    CHECK(t, p.payload && p.payload[0] == 8 && p.payload[39] == 47);
    /* without a table the fragment is only counted */
    CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_RAW, a.b, a.n, NULL),
              RIFT_PKT_FRAGMENT);
    /* a middle fragment whose size is not a multiple of 8 is refused */
    memset(&b, 0, sizeof(b));
    at = ip4(&b, "10.1.1.1", "10.1.1.2", 17, 78, 0x2000);
    put(&b, payload, 13);
    ip4_end(&b, at);
    CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_RAW, b.b, b.n, &fr),
              RIFT_PKT_BAD);
  }
  rift_frag_release(&fr);

  /* GRE (with key) carrying IPv4 TCP */
  memset(&f, 0, sizeof(f));
  at = ip4(&f, "172.16.0.1", "172.16.0.2", 47, 1, 0);
  u16(&f, 0x2000);
  u16(&f, 0x0800);
  u32(&f, 42);
  {
    size_t in = ip4(&f, "10.9.9.9", "10.8.8.8", 6, 2, 0);
    tcp(&f, 5555, 80, 1, RIFT_TCP_ACK);
    ip4_end(&f, in);
  }
  ip4_end(&f, at);
  CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_RAW, f.b, f.n, NULL),
            RIFT_PKT_OK);
  CHECK_INT(t, p.tunnel, 1);
  CHECK_INT(t, p.dport, 80);
  rift_ip_fmt(s, 4, p.src);
  CHECK_STR(t, s, "10.9.9.9");

  /* not IP: ARP */
  memset(&f, 0, sizeof(f));
  eth(&f, 0x0806);
  put(&f, "\0\1\10\0\6\4\0\1", 8);
  CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_EN10MB, f.b, f.n, NULL),
            RIFT_PKT_NOT_IP);

  /* 20 nested VLAN tags: capped */
  memset(&f, 0, sizeof(f));
  eth(&f, 0x8100);
  for(at = 0; at < 20; at++) {
    u16(&f, 1);
    u16(&f, 0x8100);
  }
  CHECK_INT(t, rift_pkt_decode(&p, RIFT_DLT_EN10MB, f.b, f.n, NULL),
            RIFT_PKT_BAD);
}

/* A ClientHello body with the JA4.md example's lists. */
static void ja4_example_hello(struct fb *f, int sigalgs)
{
  static const uint16_t ciphers[] = {
    0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
    0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035 };
  static const uint16_t exts[] = {
    0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d,
    0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015 };
  static const uint16_t sig[] = {
    0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601 };
  size_t i, extlen_at;
  memset(f, 0, sizeof(*f));
  u16(f, 0x0303);
  for(i = 0; i < 32; i++)
    u8(f, (unsigned)i);
  u8(f, 0);
  u16(f, 2 * (sizeof(ciphers) / 2 + 1));
  u16(f, 0x0a0a); /* GREASE: ignored */
  for(i = 0; i < sizeof(ciphers) / 2; i++)
    u16(f, ciphers[i]);
  u8(f, 1);
  u8(f, 0);
  extlen_at = f->n;
  u16(f, 0);
  u16(f, 0x2a2a); /* GREASE extension */
  u16(f, 0);
  for(i = 0; i < sizeof(exts) / 2; i++) {
    unsigned e = exts[i];
    u16(f, e);
    switch(e) {
    case 0x0000:
      u16(f, 16);
      u16(f, 14);
      u8(f, 0);
      u16(f, 11);
      put(f, "example.com", 11);
      break;
    case 0x0010:
      u16(f, 5);
      u16(f, 3);
      u8(f, 2);
      put(f, "h2", 2);
      break;
    case 0x000d: { /* sigalgs=0: present but empty */
      size_t k, n = sigalgs ? sizeof(sig) / 2 : 0;
      u16(f, 2 + 2 * n);
      u16(f, 2 * n);
      for(k = 0; k < n; k++)
        u16(f, sig[k]);
      break;
    }
    case 0x002b:
      u16(f, 5);
      u8(f, 4);
      u16(f, 0x3a3a);
      u16(f, 0x0304);
      break;
    default:
      u16(f, 0);
      break;
    }
  }
  set16(f, extlen_at, (unsigned)(f->n - extlen_at - 2));
}

void unit_net_ja(struct unit *t)
{
  struct rift_tls_hello *h = malloc(sizeof(*h));
  struct fb f;
  char ja4[RIFT_JA4_LEN + 1], md5[RIFT_MD5_HEX];
  struct rift_buf b;
  /* salesforce/ja3 README worked examples */
  {
    static const char ex[] = "769,47-53-5-10-49161-49162-49171-49172-50-56-19-"
                             "4,0-10-11,23-24-25,0";
    rift_md5_hex(md5, ex, sizeof(ex) - 1);
  }
  CHECK_STR(t, md5, "ada70206e40642a3e4461f35503241d5");
  rift_md5_hex(md5, "769,4-5-10-9-100-98-3-6-19-18-99,,,", 35);
  CHECK_STR(t, md5, "de350869b8c85de67a350c8d186f11e6");
  /* JA4.md example, with GREASE values sprinkled in */
  ja4_example_hello(&f, 1);
  CHECK_INT(t, rift_tls_parse_hello(h, 1, 0, f.b, f.n), RIFT_OK);
  CHECK_STR(t, h->sni, "example.com");
  rift_ja4(ja4, h, 't');
  CHECK_STR(t, ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
  rift_buf_init(&b, 1u << 16);
  rift_ja4_raw(&b, h, 't', 0);
  CHECK_STR(t, b.buf, "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,"
                      "c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,"
                      "0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,"
                      "0804,0401,0503,0805,0501,0806,0601");
  rift_buf_reset(&b);
  rift_ja3_string(&b, h);
  CHECK_STR(t, b.buf, "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-"
                      "49171-49172-156-157-47-53,27-0-51-16-17513-23-45-13-5-35-"
                      "18-43-65281-11-10-21,,");
  rift_buf_release(&b);
  /* JA4.md: without signature algorithms the c list has no '_' */
  ja4_example_hello(&f, 0);
  CHECK_INT(t, rift_tls_parse_hello(h, 1, 0, f.b, f.n), RIFT_OK);
  rift_ja4(ja4, h, 'q');
  CHECK_STR(t, ja4, "q13d1516h2_8daaf6152771_6d807ffa2a79");
  free(h);
}

void unit_net_tls(struct unit *t)
{
  struct fb hello, st;
  struct rift_tls *tls = malloc(sizeof(*tls));
  size_t i, half;
  /* the example hello in two records, fed one byte at a time */
  ja4_example_hello(&hello, 1);
  memset(&st, 0, sizeof(st));
  half = 100;
  u8(&st, 22);
  u16(&st, 0x0301);
  u16(&st, 4 + half);
  u8(&st, 1);
  u24(&st, (unsigned)hello.n);
  put(&st, hello.b, half);
  u8(&st, 22);
  u16(&st, 0x0301);
  u16(&st, (unsigned)(hello.n - half));
  put(&st, hello.b + half, hello.n - half);
  u8(&st, 20); /* ChangeCipherSpec */
  u16(&st, 0x0303);
  u16(&st, 1);
  u8(&st, 1);
  rift_tls_init(tls);
  for(i = 0; i < st.n; i++)
    rift_tls_feed(tls, 0, st.b + i, 1, 5, 9);
  CHECK_INT(t, tls->nhello, 1);
  CHECK_INT(t, tls->nclient, 1);
  CHECK(t, tls->nhello && tls->hello[0]->client);
  CHECK(t, tls->nhello && !strcmp(tls->hello[0]->sni, "example.com"));
  CHECK(t, tls->nhello && tls->hello[0]->nalpn == 1);
  CHECK_INT(t, tls->client_dir, 0);
  CHECK_INT(t, tls->dir[0].ccs, 1);
  rift_tls_release(tls);
  /* not TLS: the direction gives up */
  rift_tls_init(tls);
  CHECK_INT(t, rift_tls_feed(tls, 0, (const uint8_t *)"GET / HTTP/1.1\r\n",
                             16, 0, 1), 0);
  CHECK(t, tls->why != NULL);
  rift_tls_release(tls);
  /* a record claiming more than 2^14+2048 bytes */
  rift_tls_init(tls);
  CHECK_INT(t, rift_tls_feed(tls, 0, (const uint8_t *)"\x16\x03\x01\xff\xff",
                             5, 0, 1), 0);
  rift_tls_release(tls);
  free(tls);
  CHECK_STR(t, rift_tls_cipher_name(0xc02f),
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  CHECK(t, rift_tls_cipher_name(0x1301) != NULL);
  CHECK(t, rift_tls_cipher_name(0xeeee) == NULL);
  CHECK(t, rift_tls_grease(0x0a0a) && rift_tls_grease(0xfafa));
  CHECK(t, !rift_tls_grease(0x0a1a) && !rift_tls_grease(0x1301));
}

void unit_net_cid(struct unit *t)
{
  uint8_t a[16], b[16];
  char out[RIFT_CID_LEN + 1];
  /* suricata-verify community-id-ipv6 (seed 7) */
  rift_ip_parse("2600:1f13:f8:d400:3a6:303c:e011:18eb", 36, a);
  rift_ip_parse("2607:f8b0:400a:800::200e", 24, b);
  rift_community_id(out, 6, 6, a, b, 60202, 443, 7);
  CHECK_STR(t, out, "1:ptJhMvufAbB5nLDNW77cB800wFM=");
  /* the same flow seen from the other side hashes the same */
  rift_community_id(out, 6, 6, b, a, 443, 60202, 7);
  CHECK_STR(t, out, "1:ptJhMvufAbB5nLDNW77cB800wFM=");
}

void unit_net_quic(struct unit *t)
{
  /* RFC 9001 appendix A.1: DCID 0x8394c8f03e515708 */
  static const uint8_t dcid[] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57,
                                  0x08 };
  static const uint8_t ckey[] = { 0x1f, 0x36, 0x96, 0x13, 0xdd, 0x76, 0xd5,
                                  0x46, 0x77, 0x30, 0xef, 0xcb, 0xe3, 0xb1,
                                  0xa2, 0x2d };
  static const uint8_t civ[] = { 0xfa, 0x04, 0x4b, 0x2f, 0x42, 0xa3,
                                 0xfd, 0x3b, 0x46, 0xfb, 0x25, 0x5c };
  static const uint8_t chp[] = { 0x9f, 0x50, 0x44, 0x9e, 0x04, 0xa0, 0xe8,
                                 0x10, 0x28, 0x3a, 0x1e, 0x99, 0x33, 0xad,
                                 0xed, 0xd2 };
  static const uint8_t skey[] = { 0xcf, 0x3a, 0x53, 0x31, 0x65, 0x3c, 0x36,
                                  0x4c, 0x88, 0xf0, 0xf3, 0x79, 0xb6, 0x06,
                                  0x7e, 0x37 };
  uint8_t key[16], iv[12], hp[16];
  CHECK(t, rift_quic_initial_keys(1, dcid, 8, 0, key, iv, hp));
  CHECK(t, !memcmp(key, ckey, 16));
  CHECK(t, !memcmp(iv, civ, 12));
  CHECK(t, !memcmp(hp, chp, 16));
  CHECK(t, rift_quic_initial_keys(1, dcid, 8, 1, key, iv, hp));
  CHECK(t, !memcmp(key, skey, 16));
  CHECK(t, !rift_quic_initial_keys(0x12345678, dcid, 8, 0, key, iv, hp));
}

void unit_net_dns(struct unit *t)
{
  struct fb f;
  struct rift_dns_msg *m = malloc(sizeof(*m));
  struct rift_arena a;
  rift_arena_init(&a, 1u << 20);
  memset(&f, 0, sizeof(f));
  u16(&f, 0x1234);
  u16(&f, 0x8180);
  u16(&f, 1);
  u16(&f, 2);
  u16(&f, 0);
  u16(&f, 0);
  put(&f, "\3www\7example\3com\0", 17); /* at 12 */
  u16(&f, 1);
  u16(&f, 1);
  u16(&f, 0xc00c); /* CNAME www.example.com -> cdn.example.com */
  u16(&f, 5);
  u16(&f, 1);
  u32(&f, 300);
  u16(&f, 6);
  put(&f, "\3cdn", 4);
  u16(&f, 0xc010); /* "example.com" */
  u16(&f, 0xc000 | 45); /* A of cdn.example.com (the rdata above at 45) */
  u16(&f, 1);
  u16(&f, 1);
  u32(&f, 60);
  u16(&f, 4);
  put(&f, "\xc0\x00\x02\x01", 4);
  CHECK_INT(t, rift_dns_parse(m, f.b, f.n, &a), RIFT_OK);
  CHECK_STR(t, m->qname, "www.example.com");
  CHECK_INT(t, m->qtype, 1);
  CHECK_INT(t, m->qr, 1);
  CHECK_INT(t, m->nan, 2);
  CHECK_STR(t, m->an[0].data, "cdn.example.com");
  CHECK_STR(t, m->an[1].name, "cdn.example.com");
  CHECK_STR(t, m->an[1].data, "192.0.2.1");
  CHECK_INT(t, m->an[1].ttl, 60);
  /* a pointer to itself: refused, no loop */
  f.b[12] = 0xc0;
  f.b[13] = 12;
  CHECK_INT(t, rift_dns_parse(m, f.b, f.n, &a), RIFT_CORRUPT);
  /* truncated header */
  CHECK_INT(t, rift_dns_parse(m, f.b, 7, &a), RIFT_TRUNCATED);
  rift_arena_release(&a);
  free(m);
  CHECK_STR(t, rift_dns_type_name(28), "AAAA");
  CHECK_STR(t, rift_dns_rcode_name(3), "NXDOMAIN");
}

struct http_seen {
  int n;
  char method[3][8], uri[3][32], host[3][32], ua[3][32];
  int status[3];
};

static void http_cb(void *ctx, const struct rift_http_txn *x)
{
  struct http_seen *s = ctx;
  if(s->n >= 3)
    return;
  snprintf(s->method[s->n], 8, "%s", x->method ? x->method : "");
  snprintf(s->uri[s->n], 32, "%s", x->uri ? x->uri : "");
  snprintf(s->host[s->n], 32, "%s", x->host ? x->host : "");
  snprintf(s->ua[s->n], 32, "%s", x->user_agent ? x->user_agent : "");
  s->status[s->n] = x->status;
  s->n++;
}

void unit_net_http(struct unit *t)
{
  static const char req[] =
    "GET /a?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8\r\n\r\n"
    "POST /b HTTP/1.1\r\nhost: example.org:8080\r\nContent-Length: 5\r\n\r\n"
    "hello";
  static const char resp[] =
    "HTTP/1.1 100 Continue\r\n\r\n"
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    "4\r\nwiki\r\n5;ext=1\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n"
    "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno!";
  struct rift_http h;
  struct http_seen s;
  size_t i;
  memset(&s, 0, sizeof(s));
  rift_http_init(&h);
  for(i = 0; i < sizeof(req) - 1; i += 7)
    rift_http_feed(&h, 0, (const uint8_t *)req + i,
                   sizeof(req) - 1 - i < 7 ? sizeof(req) - 1 - i : 7, 1, 1, 0,
                   http_cb, &s);
  for(i = 0; i < sizeof(resp) - 1; i += 3)
    rift_http_feed(&h, 1, (const uint8_t *)resp + i,
                   sizeof(resp) - 1 - i < 3 ? sizeof(resp) - 1 - i : 3, 1, 1,
                   0, http_cb, &s);
  rift_http_flush(&h, http_cb, &s);
  CHECK_INT(t, s.n, 2);
  CHECK_STR(t, s.method[0], "GET");
  CHECK_STR(t, s.uri[0], "/a?x=1");
  CHECK_STR(t, s.host[0], "example.com");
  CHECK_STR(t, s.ua[0], "curl/8");
  CHECK_INT(t, s.status[0], 200);
  CHECK_STR(t, s.method[1], "POST");
  CHECK_STR(t, s.host[1], "example.org:8080");
  CHECK_INT(t, s.status[1], 404);
  rift_http_release(&h);
  /* CONNECT then 200: a tunnel */
  memset(&s, 0, sizeof(s));
  rift_http_init(&h);
  rift_http_feed(&h, 0, (const uint8_t *)"CONNECT a:443 HTTP/1.1\r\n\r\n", 26,
                 1, 1, 0, http_cb, &s);
  CHECK_INT(t, rift_http_feed(&h, 1, (const uint8_t *)"HTTP/1.1 200 OK\r\n\r\n",
                              19, 1, 1, 0, http_cb, &s), RIFT_HTTP_TUNNEL);
  CHECK_INT(t, s.n, 1);
  rift_http_release(&h);
  /* a space inside the target: kept, the version after the last space */
  memset(&s, 0, sizeof(s));
  rift_http_init(&h);
  rift_http_feed(&h, 0, (const uint8_t *)"GET /a b HTTP/1.0\r\n\r\n", 21, 1,
                 1, 0, http_cb, &s);
  rift_http_flush(&h, http_cb, &s);
  CHECK_INT(t, s.n, 1);
  CHECK_STR(t, s.uri[0], "/a b");
  rift_http_release(&h);
  /* url.* fields of a request target (ECS) */
  {
    static const struct {
      const char *u, *path, *query, *ext;
    } cases[] = {
      { "/a/b.php?x=1&y", "/a/b.php", "x=1&y", "php" },
      { "/dl/file.tar.GZ", "/dl/file.tar.GZ", NULL, "GZ" },
      { "/x?", "/x", "", NULL },
      { "/.htaccess", "/.htaccess", NULL, NULL },
      { "/v1.2/run", "/v1.2/run", NULL, NULL },
      { "/a.#frag", "/a.", NULL, NULL },
      { "http://h.example:8080/p/q.js?z#f", "/p/q.js", "z", "js" },
      { "http://h.example?q", NULL, "q", NULL },
      { "h.example:443", NULL, NULL, NULL },
      { "*", NULL, NULL, NULL },
    };
    struct rift_batch b;
    size_t k;
    rift_batch_init(&b);
    for(k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
      struct rift_event *ev = rift_batch_add(&b);
      const struct rift_value *v;
      CHECK_INT(t, rift_netev_url(&b, ev, cases[k].u, strlen(cases[k].u)),
                RIFT_OK);
      v = rift_event_get(ev, RIFT_F_URL_ORIGINAL);
      CHECK(t, v && v->len == strlen(cases[k].u));
      v = rift_event_get(ev, RIFT_F_URL_PATH);
      CHECK(t, !v == !cases[k].path);
      if(v && cases[k].path)
        CHECK_MEM(t, v->s, v->len, cases[k].path);
      v = rift_event_get(ev, RIFT_F_URL_QUERY);
      CHECK(t, !v == !cases[k].query);
      if(v && cases[k].query)
        CHECK_MEM(t, v->s, v->len, cases[k].query);
      v = rift_event_get(ev, RIFT_F_URL_EXTENSION);
      CHECK(t, !v == !cases[k].ext);
      if(v && cases[k].ext)
        CHECK_MEM(t, v->s, v->len, cases[k].ext);
    }
    rift_batch_release(&b);
  }
  /* request lines: separators, spaces in the target, no version */
  {
    static const struct {
      const char *line, *method, *target, *version;
    } cases[] = {
      { "GET /x HTTP/1.1", "GET", "/x", "HTTP/1.1" },
      { "GET  /x   HTTP/1.0  ", "GET", "/x", "HTTP/1.0" },
      { "GET /a b HTTP/1.0", "GET", "/a b", "HTTP/1.0" },
      { "GET /a  b", "GET", "/a  b", NULL },
      { "GET /", "GET", "/", NULL },
      { "GET / FOO", "GET", "/ FOO", NULL },
      { "GET / HTTP/", "GET", "/ HTTP/", NULL },
      { "GET HTTP/1.1", "GET", "HTTP/1.1", NULL },
      { "GET ", "GET", "", NULL },
      { "GET", NULL, NULL, NULL },
    };
    size_t k;
    for(k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
      struct rift_http_reqline rl;
      int ok = rift_http_request_line(cases[k].line, strlen(cases[k].line), &rl);
      CHECK_INT(t, ok, cases[k].method != NULL);
      if(!ok || !cases[k].method)
        continue;
      CHECK_MEM(t, rl.method, rl.method_len, cases[k].method);
      CHECK_MEM(t, rl.target, rl.target_len, cases[k].target);
      CHECK_INT(t, rl.version_len, cases[k].version ? strlen(cases[k].version) : 0);
      if(cases[k].version && rl.version_len)
        CHECK_MEM(t, rl.version, rl.version_len, cases[k].version);
    }
  }
  CHECK_INT(t, rift_http_sniff((const uint8_t *)"GET / ", 6), 1);
  CHECK_INT(t, rift_http_sniff((const uint8_t *)"HTTP/1.0 200", 12), 2);
  CHECK_INT(t, rift_http_sniff((const uint8_t *)"\x16\x03\x01", 3), 0);
}
