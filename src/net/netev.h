/*
 * netev.h - the packet engine's records (net.h) as struct rift_event.
 *
 * One event per flow (kind flow, event.category network, type
 * connection), per DNS transaction (kind dns), per HTTP request (kind
 * http), per TLS/QUIC handshake (kind tls) and, with RIFT_NETEV_X509, one
 * per certificate seen in a handshake (kind x509).  The client is
 * source.*, the server destination.*.  ECS names throughout; rift.* for
 * what ECS lacks (rift.ja4, rift.tls.self_signed...).  Strings are copied
 * into the batch arena.
 */
#ifndef RIFT_NET_NETEV_H
#define RIFT_NET_NETEV_H

#include "core/event.h"
#include "net/net.h"
#include "net/x509.h"

#define RIFT_NETEV_X509 0x01 /* also one event per certificate */

struct rift_netev {
  struct rift_batch *b;
  uint32_t file_id;
  const char *path;     /* log.file.path, may be NULL */
  const char *host;     /* host.name, may be NULL */
  unsigned flags;
  uint16_t cid_seed;    /* Community ID seed (usually 0) */
  struct rift_x509_cache *xc; /* certificate facts cache, may be NULL */
};

rift_err rift_netev_flow(struct rift_netev *e, const struct rift_flow *f);
rift_err rift_netev_tls(struct rift_netev *e, const struct rift_flow *f,
                        const struct rift_tls *t);
rift_err rift_netev_dns(struct rift_netev *e, const struct rift_flow *f,
                        const struct rift_dns_txn *d);
rift_err rift_netev_http(struct rift_netev *e, const struct rift_flow *f,
                         const struct rift_http_txn *h);

/* Helpers shared with the Zeek and Suricata log readers. */
/* Format ns as RFC 3339 (frac digits) and add it as a string field. */
rift_err rift_netev_time(struct rift_batch *b, struct rift_event *ev,
                         uint32_t id, int64_t ns, int frac);
/* An HTTP request target as url.original, and from it url.path,
 * url.query (without the '?'; empty if there is a '?' and nothing after)
 * and url.extension (the last one of the last path segment, without the
 * dot), as ECS defines them.  Origin form ("/a/b.php?x") and absolute
 * form ("http://host/a?x", proxies); other forms ("*", CONNECT's
 * host:port) only as url.original. */
rift_err rift_netev_url(struct rift_batch *b, struct rift_event *ev,
                        const char *u, size_t n);
/* "tcp", "udp", "icmp", "ipv6-icmp", ... or NULL. */
const char *rift_transport_name(uint8_t proto);

#endif
