/*
 * tls.h - TLS (SSL 3.0, TLS 1.0-1.3 and 1.3 drafts) handshake parser.
 *
 * A struct rift_tls follows one connection: each direction's bytes are fed
 * in order (rift_tls_feed) and the parser keeps what a responder needs
 * from the clear-text part of the handshake: every ClientHello and
 * ServerHello (up to RIFT_TLS_MAX_HELLOS, for HelloRetryRequest and
 * duplicate hellos) and the first Certificate message of each side (DER
 * copies).  It stops reading a direction once that side encrypts
 * (ChangeCipherSpec before TLS 1.3, application data), sends an alert, or
 * breaks the protocol.  QUIC hands over CRYPTO-stream bytes, which carry
 * handshake messages without the record layer (rift_tls_feed_handshake).
 *
 * Wire layout (RFC 8446, 5246):
 *   record     0 type(20 ccs, 21 alert, 22 handshake, 23 data) 1 version[2]
 *              3 length[2] 5 fragment (<= 2^14 + 2048)
 *   handshake  0 msg_type 1 length[3] 4 body (may span records)
 *   ClientHello  version[2] random[32] session_id<0..32> ciphers<2..2^16-2>
 *                compression<1..2^8-1> extensions<0..2^16-1>
 *   ServerHello  version[2] random[32] session_id<0..32> cipher[2]
 *                compression[1] extensions<0..2^16-1>
 *                (1.3 drafts before 22: version random cipher extensions)
 *   extension  type[2] length[2] data
 *   Certificate (<= 1.2)  list<0..2^24-1> of cert<1..2^24-1> (DER)
 *
 * Every list is capped (RIFT_TLS_MAX_*); a longer list sets `truncated`
 * (fingerprints of such a hello are then not computed).
 */
#ifndef RIFT_NET_TLS_H
#define RIFT_NET_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define RIFT_TLS_MAX_CIPHERS 512
#define RIFT_TLS_MAX_EXTS 128
#define RIFT_TLS_MAX_GROUPS 128
#define RIFT_TLS_MAX_POINTFMTS 32
#define RIFT_TLS_MAX_SIGALGS 128
#define RIFT_TLS_MAX_VERSIONS 32
#define RIFT_TLS_MAX_ALPN 16
#define RIFT_TLS_ALPN_BYTES 512
#define RIFT_TLS_MAX_SNI 255
#define RIFT_TLS_MAX_HELLOS 4
#define RIFT_TLS_MAX_CERTS 10
#define RIFT_TLS_MAX_CERT_BYTES (256u * 1024) /* all certificates, one side */
#define RIFT_TLS_MAX_RECORD (16384u + 2048 + 5)
#define RIFT_TLS_MAX_HANDSHAKE (512u * 1024) /* one handshake message */

/* Is v a GREASE value (RFC 8701: 0x0a0a, 0x1a1a ... 0xfafa)? */
static inline int rift_tls_grease(uint16_t v)
{
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

struct rift_tls_hello {
  uint8_t client;           /* 1 ClientHello, 0 ServerHello */
  uint8_t truncated;        /* a list was longer than its cap */
  uint8_t has_sni, has_alpn, has_versions, hrr;
  uint16_t version;         /* legacy_version of the hello */
  uint16_t selected;        /* ServerHello supported_versions, else 0 */
  uint16_t nciphers, nexts, ngroups, npointfmts, nsigalgs, nversions, nalpn;
  uint16_t ciphers[RIFT_TLS_MAX_CIPHERS]; /* ServerHello: the one chosen */
  uint16_t exts[RIFT_TLS_MAX_EXTS];       /* in wire order */
  uint16_t groups[RIFT_TLS_MAX_GROUPS];
  uint8_t pointfmts[RIFT_TLS_MAX_POINTFMTS];
  uint16_t sigalgs[RIFT_TLS_MAX_SIGALGS];
  uint16_t versions[RIFT_TLS_MAX_VERSIONS];
  uint16_t alpn_off[RIFT_TLS_MAX_ALPN];
  uint8_t alpn_len[RIFT_TLS_MAX_ALPN];
  uint8_t alpn[RIFT_TLS_ALPN_BYTES];
  uint8_t sid_len;
  uint8_t sid[32];
  uint16_t sni_len;
  char sni[RIFT_TLS_MAX_SNI + 1];
  int64_t ts;               /* time of the packet that completed it */
  uint64_t frame;
};

struct rift_tls_cert {
  uint8_t *der;             /* malloc'd copy */
  uint32_t len;
};

struct rift_tls_dir {
  struct rift_buf rec;      /* a partial record */
  struct rift_buf hs;       /* a partial handshake message */
  uint8_t done;             /* no more clear text in this direction */
  uint8_t ccs;              /* ChangeCipherSpec seen */
  uint8_t got_certs;        /* first Certificate message stored */
  uint8_t alert;            /* first alert: level<<8|desc stored below */
  uint16_t alert_code;
  uint32_t records;
};

struct rift_tls {
  struct rift_tls_hello *hello[RIFT_TLS_MAX_HELLOS];
  unsigned nhello;
  unsigned nclient, nserver; /* hellos seen, including those not kept */
  struct rift_tls_cert cert[2][RIFT_TLS_MAX_CERTS]; /* [0] client [1] server */
  unsigned ncert[2];
  uint32_t cert_bytes[2];
  struct rift_tls_dir dir[2];  /* [0] client to server, [1] back */
  uint16_t negotiated;      /* version from the last ServerHello, 0 unknown */
  uint8_t quic;             /* hellos came over QUIC */
  uint8_t dtls;             /* datagram TLS (rift_tls_feed_dtls) */
  uint8_t client_dir;       /* direction of the ClientHello, 0xff unknown */
  uint8_t sslv2_hello;      /* client opened with an SSLv2 CLIENT-HELLO */
  uint8_t resumed;          /* abbreviated handshake (session resumed) */
  uint8_t error;            /* a direction gave up on bad input */
  uint8_t app_data;         /* application data seen */
  const char *why;          /* first protocol error (static string) */
};

void rift_tls_init(struct rift_tls *t);
void rift_tls_release(struct rift_tls *t);

/* Feed the next in-order bytes of direction dir (0 = from the flow's
 * client; the side that sends the ClientHello is the TLS client, kept in
 * client_dir).
 * ts and frame stamp hellos completed by these bytes.  Returns 1 while
 * the direction may still carry clear-text handshake, 0 once it is done. */
int rift_tls_feed(struct rift_tls *t, int dir, const uint8_t *p, size_t n,
                  int64_t ts, uint64_t frame);
/* The same for bare handshake messages (QUIC CRYPTO frames). */
int rift_tls_feed_handshake(struct rift_tls *t, int dir, const uint8_t *p,
                            size_t n, int64_t ts, uint64_t frame);
/* A hole in the stream: the direction stops. */
void rift_tls_gap(struct rift_tls *t, int dir);

/* Both directions are done (the session can be reported). */
static inline int rift_tls_done(const struct rift_tls *t)
{
  return t->dir[0].done && t->dir[1].done;
}

/* One UDP datagram of DTLS records (RFC 6347: type version epoch[2]
 * seq[6] length[2]; handshake header adds message_seq[2]
 * fragment_offset[3] fragment_length[3]).  Fragmented handshake messages
 * are joined when their fragments arrive in order. */
int rift_tls_feed_dtls(struct rift_tls *t, int dir, const uint8_t *p,
                       size_t n, int64_t ts, uint64_t frame);
/* Does this datagram start with a DTLS record? */
int rift_dtls_sniff(const uint8_t *p, size_t n);

/* Parse one hello message body (without the handshake header); dtls:
 * a DTLS ClientHello has a cookie after the session id.  Used by the
 * stream parser and by tests/fuzzers. */
rift_err rift_tls_parse_hello(struct rift_tls_hello *h, int client, int dtls,
                              const uint8_t *p, size_t n);

/* Does p look like the start of a TLS record or SSLv2 ClientHello? */
int rift_tls_sniff(const uint8_t *p, size_t n);

/* "1.2", "1.3", "1.0", "3.0" (SSL), "1.3-draft-18"... for a version code
 * (written into dst, 24 bytes); the protocol ("tls"/"ssl") in *proto. */
size_t rift_tls_version_str(char *dst, uint16_t v, const char **proto);
/* IANA name of a cipher suite, or NULL if unknown. */
const char *rift_tls_cipher_name(uint16_t id);

#endif
