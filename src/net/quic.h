/*
 * quic.h - QUIC Initial packets: remove protection, collect CRYPTO data.
 *
 * Initial packets are protected with keys anyone can derive from the
 * client's first Destination Connection ID (RFC 9001 section 5.2;
 * RFC 9369 for QUIC v2; the IETF drafts used other salts).  rift derives
 * them with OpenSSL (HKDF-SHA256, AES-128-ECB for the header mask,
 * AES-128-GCM for the payload), reads the CRYPTO frames and hands the
 * in-order crypto stream of each side to the TLS handshake parser, which
 * finds the ClientHello (SNI, ALPN, JA3, JA4 with 'q') and ServerHello.
 *
 * Long header (RFC 9000 17.2):
 *   0 1|1|type(2)|reserved(2)|pnlen(2)  1 version[4]  5 dcid_len dcid
 *   scid_len scid  (Initial:) token_len(varint) token  length(varint)
 *   packet number (1-4, protected)  payload (AEAD, 16-byte tag)
 * Several packets may be coalesced in one datagram.
 */
#ifndef RIFT_NET_QUIC_H
#define RIFT_NET_QUIC_H

#include <stddef.h>
#include <stdint.h>

#include "net/tls.h"

#define RIFT_QUIC_MAX_CRYPTO (64u * 1024) /* crypto stream bytes per side */
#define RIFT_QUIC_MAX_RANGES 32
#define RIFT_QUIC_MAX_INITIALS 32         /* Initial packets per side */
#define RIFT_QUIC_MAX_DATAGRAMS 256       /* looked at per flow */

struct rift_quic_side {
  uint8_t *buf;          /* RIFT_QUIC_MAX_CRYPTO bytes, lazily */
  uint32_t fed;          /* bytes handed to the TLS parser */
  uint32_t lo[RIFT_QUIC_MAX_RANGES], hi[RIFT_QUIC_MAX_RANGES];
  unsigned nranges;
  unsigned initials;
  uint8_t key[16], iv[12], hp[16];
  uint8_t have_keys;
};

struct rift_quic {
  uint32_t version;
  uint8_t dcid[20];      /* the client's first Destination CID */
  uint8_t dcid_len;
  uint8_t have_dcid;
  struct rift_quic_side side[2]; /* [0] client [1] server */
  struct rift_tls tls;
  uint32_t packets, decrypted, failed, datagrams;
};

void rift_quic_init(struct rift_quic *q);
void rift_quic_release(struct rift_quic *q);

/* Does this datagram start with a QUIC Initial of a version we know?
 * Sets *is_initial; returns 1 if it is QUIC long-header traffic. */
int rift_quic_sniff(const uint8_t *p, size_t n);

/* The Initial keys of a version for a client Destination CID (RFC 9001
 * 5.2, RFC 9369 3.3.1); 0 if the version is unknown. */
int rift_quic_initial_keys(uint32_t version, const uint8_t *dcid,
                           size_t dcid_len, int server, uint8_t key[16],
                           uint8_t iv[12], uint8_t hp[16]);

/* One UDP datagram of direction dir (0 = client).  Returns 1 while more
 * Initial packets may matter, 0 once both hellos are in (or it gave up). */
int rift_quic_datagram(struct rift_quic *q, int dir, const uint8_t *p,
                       size_t n, int64_t ts, uint64_t frame);

#endif
