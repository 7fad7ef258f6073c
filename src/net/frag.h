/*
 * frag.h - IPv4 and IPv6 fragment reassembly.
 *
 * A struct rift_frag holds datagrams whose fragments are still arriving,
 * keyed by (family, source, destination, id, protocol).  Each datagram has
 * a 64 KiB buffer and a bitmap of the 8-byte blocks received; it is
 * complete once the last fragment (MF clear) has been seen and every block
 * before it is present.  Overlaps keep the first copy.  Datagrams older
 * than RIFT_FRAG_TIMEOUT (capture time) or beyond RIFT_FRAG_MAX in flight
 * are dropped (oldest first).
 */
#ifndef RIFT_NET_FRAG_H
#define RIFT_NET_FRAG_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define RIFT_FRAG_MAX 256                 /* datagrams in flight */
#define RIFT_FRAG_TIMEOUT (30ll * 1000000000) /* ns */
#define RIFT_FRAG_MAXLEN 65535u           /* reassembled payload bytes */

struct rift_frag_dgram;

struct rift_frag {
  struct rift_frag_dgram *head; /* oldest first */
  struct rift_frag_dgram *tail;
  size_t n;
  uint64_t completed, dropped, overlaps;
  uint8_t *out;                 /* last completed payload (owned) */
};

void rift_frag_init(struct rift_frag *f);
void rift_frag_release(struct rift_frag *f);

/* Add one fragment: data/len is its payload, off its byte offset, more
 * its MF flag.  Returns 1 when the datagram is complete (*out, *outlen:
 * the whole transport payload, valid until the next call), 0 when more is
 * needed, -1 on a bad or unstorable fragment. */
int rift_frag_add(struct rift_frag *f, int64_t ts, int family,
                  const uint8_t *src, const uint8_t *dst, uint32_t id,
                  uint8_t proto, uint32_t off, int more,
                  const uint8_t *data, size_t len, const uint8_t **out,
                  size_t *outlen);

#endif
