/*
 * cid.h - Community ID flow hashing, version 1 (corelight/community-id-spec).
 *
 *   "1:" + base64(SHA-1(seed[2] saddr daddr proto 0 sport[2] dport[2]))
 * with the endpoints ordered so that (saddr, sport) < (daddr, dport);
 * ICMP/ICMPv6 use type and code (or the type of the reply) as ports, and
 * one-way ICMP messages keep their direction.  All integers big-endian.
 */
#ifndef RIFT_NET_CID_H
#define RIFT_NET_CID_H

#include <stddef.h>
#include <stdint.h>

#define RIFT_CID_LEN 30 /* "1:" + 28 base64 characters */

size_t rift_community_id(char out[RIFT_CID_LEN + 1], int family,
                         uint8_t proto, const uint8_t *saddr,
                         const uint8_t *daddr, uint16_t sport,
                         uint16_t dport, uint16_t seed);

#endif
