/*
 * net.h - the packet engine: frames in, flows and application records out.
 *
 * struct rift_net takes the frames of one capture in order
 * (rift_net_packet) and keeps a flow table: one struct rift_flow per
 * connection (5-tuple; a TCP SYN after the end of a connection starts a
 * new one), with start/end times, packets and IP bytes each way, the TCP
 * flags seen each way and the Community ID.  The side that sent the first
 * SYN (else the first packet, unless its port is a well-known service
 * port and the other is not) is the client: "source" in ECS terms.
 *
 * TCP payload is reassembled in order (out-of-order segments are held up
 * to RIFT_TCP_MAX_OOO_* per direction) only while an application parser
 * still needs it: the TLS handshake, HTTP headers, DNS over TCP.  The
 * protocol is recognised by content, at segment boundaries, so that TLS
 * after a SOCKS or HTTP CONNECT exchange or STARTTLS is still found.
 * UDP: DNS (ports 53, 5353, 5355) and QUIC Initial packets.  Once nothing
 * more is wanted from a flow it is only counted (the fast path).
 *
 * Results leave through struct rift_net_out callbacks, on the caller's
 * thread, while packets are processed:
 *   flow(): when a flow ends (FIN/RST then quiet, idle timeout, eviction,
 *           rift_net_finish);
 *   tls():  when both sides of a TLS/QUIC handshake are past the clear
 *           text (or the flow ends);
 *   dns():  per DNS response (with its query when seen) and per
 *           unanswered query when the flow ends;
 *   http(): per request (with its response when seen).
 * Pointers passed to callbacks are valid during the call only.  A
 * callback returning an error stops the engine (rift_net_packet then does
 * nothing; rift_net_error() returns it).
 *
 * Caps: RIFT_NET_MAX_FLOWS concurrent flows (the least recently active is
 * ended early when full), fragment table (frag.h), per-protocol limits in
 * tls.h, http.h, quic.h.  Timeouts are in capture time.
 */
#ifndef RIFT_NET_NET_H
#define RIFT_NET_NET_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/err.h"
#include "net/dns.h"
#include "net/http.h"
#include "net/pkt.h"
#include "net/tls.h"

#define RIFT_NET_MAX_FLOWS (1u << 20)
#define RIFT_TCP_MAX_OOO_SEGS 64
#define RIFT_TCP_MAX_OOO_BYTES (256u * 1024)
#define RIFT_NET_DETECT_CHUNKS 16       /* segments looked at per side */
#define RIFT_NET_DETECT_BYTES (16u * 1024)
#define RIFT_NET_DNS_PENDING 16

/* Which application protocols to parse (rift_net_opts.apps). */
#define RIFT_NET_APP_TLS 0x01
#define RIFT_NET_APP_HTTP 0x02
#define RIFT_NET_APP_DNS 0x04
#define RIFT_NET_APP_QUIC 0x08
#define RIFT_NET_APP_ALL 0x0f

enum rift_app {
  RIFT_APP_NONE,      /* not (yet) recognised */
  RIFT_APP_TLS,
  RIFT_APP_HTTP,
  RIFT_APP_DNS,
  RIFT_APP_QUIC,
  RIFT_APP_UNKNOWN    /* gave up looking */
};

const char *rift_app_name(unsigned app); /* "tls" "http" "dns" "quic" or NULL */

/* Flow state bits. */
#define RIFT_FLOW_SYN 0x01      /* client SYN seen */
#define RIFT_FLOW_SYNACK 0x02
#define RIFT_FLOW_FIN_C 0x04
#define RIFT_FLOW_FIN_S 0x08
#define RIFT_FLOW_RST 0x10
#define RIFT_FLOW_EVICTED 0x20  /* ended early: table full */
#define RIFT_FLOW_TIMEOUT 0x40  /* ended by idle timeout */

struct rift_tcp;
struct rift_dns_pending;

struct rift_flow {
  uint8_t family, proto;
  uint8_t state;           /* RIFT_FLOW_* */
  uint8_t app;             /* enum rift_app */
  uint8_t bypass;          /* nothing more wanted: only counted */
  uint8_t lru;             /* which timeout list */
  uint8_t tflags[2];       /* TCP flags seen per direction */
  uint8_t cip[16], sip[16];/* client and server address */
  uint16_t cport, sport;   /* ICMP: type and code of the first packet */
  uint16_t vlan;
  int64_t first_ts, last_ts;
  uint64_t pkts[2], bytes[2], payload[2]; /* [0] client->server */
  uint64_t first_frame, first_offset;
  uint64_t id;             /* creation order in this capture */
  uint64_t hash;
  /* engine internals */
  struct rift_flow *next_hash;
  struct rift_flow *lprev, *lnext;
  struct rift_tcp *tcp;
  void *app_state;
  uint8_t detect_chunks[2];
  uint32_t detect_bytes[2];
  uint8_t tls_sync[2];     /* TLS seen from this side */
  uint8_t has_isn[2];      /* TCP: SYN seen from this side */
  uint32_t isn[2];         /* its sequence number (port reuse) */
  uint8_t reported_tls;
};

/* A DNS transaction: the query and/or the response (either may be NULL). */
struct rift_dns_txn {
  const struct rift_dns_msg *query, *response;
  int64_t ts;              /* time of the first of the two */
  uint64_t frame, offset;  /* of the first of the two */
  int64_t resp_ts;
};

struct rift_net_out {
  rift_err (*flow)(void *ctx, const struct rift_flow *f);
  rift_err (*tls)(void *ctx, const struct rift_flow *f,
                  const struct rift_tls *t);
  rift_err (*dns)(void *ctx, const struct rift_flow *f,
                  const struct rift_dns_txn *d);
  rift_err (*http)(void *ctx, const struct rift_flow *f,
                   const struct rift_http_txn *h);
  void *ctx;
};

struct rift_net_opts {
  unsigned apps;          /* RIFT_NET_APP_*, 0 = all */
  size_t max_flows;       /* 0 = RIFT_NET_MAX_FLOWS */
  int64_t tcp_timeout;    /* ns idle; 0 = 1 hour (Suricata's established
                             TCP timeout; SSH sessions idle for long) */
  int64_t udp_timeout;    /* 0 = 1 minute (also ICMP and others) */
  int64_t closed_timeout; /* after FIN both ways or RST; 0 = 5 s */
};

struct rift_net_stats {
  uint64_t packets, bytes, not_ip, bad, fragments, reassembled;
  uint64_t flows, evicted, tls, dns, http, quic_decrypted;
  uint64_t tcp_gaps;
};

struct rift_net;

rift_err rift_net_new(struct rift_net **n, const struct rift_net_opts *o,
                      const struct rift_net_out *out);
/* Damaged frames are reported to d (may be NULL) with their offset. */
void rift_net_set_diag(struct rift_net *n, struct rift_diag *d);
void rift_net_packet(struct rift_net *n, int dlt, const uint8_t *data,
                     size_t caplen, uint32_t wirelen, int64_t ts,
                     uint64_t frame, uint64_t offset);
/* End every flow (end of the capture). */
void rift_net_finish(struct rift_net *n);
rift_err rift_net_error(const struct rift_net *n);
const struct rift_net_stats *rift_net_stats(const struct rift_net *n);
void rift_net_free(struct rift_net **n);

#endif
