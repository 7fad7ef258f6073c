/*
 * dns.h - DNS message parser (RFC 1035, 3596; mDNS and LLMNR share it).
 *
 *   header  0 id 2 flags(QR opcode AA TC RD RA Z AD CD rcode) 4 qdcount
 *           6 ancount 8 nscount 10 arcount, then the sections
 *   name    labels <len 1..63><bytes>, ending in 0; or a pointer
 *           0b11xxxxxx xxxxxxxx to an earlier offset (must go backwards)
 *   rr      name type[2] class[2] ttl[4] rdlength[2] rdata
 *
 * Only the first question and up to RIFT_DNS_MAX_ANSWERS answer records
 * are kept; names are decoded to dotted text (other bytes as \DDD) and
 * capped at 255 bytes; compression pointers must point backwards and
 * at most RIFT_DNS_MAX_JUMPS are followed.
 */
#ifndef RIFT_NET_DNS_H
#define RIFT_NET_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

#define RIFT_DNS_MAX_ANSWERS 64
#define RIFT_DNS_MAX_JUMPS 32
#define RIFT_DNS_MAX_NAME 255

struct rift_dns_rr {
  const char *name;
  uint16_t type, cls;
  uint32_t ttl;
  const char *data;  /* text form of the rdata, NULL if not decoded */
};

struct rift_dns_msg {
  uint16_t id, flags;
  uint8_t qr, opcode, rcode;
  uint16_t qdcount, ancount, nscount, arcount;
  const char *qname;       /* NULL if no question */
  uint16_t qtype, qclass;
  struct rift_dns_rr an[RIFT_DNS_MAX_ANSWERS];
  unsigned nan;
};

/* Parse a message; strings go to a.  RIFT_TRUNCATED/RIFT_CORRUPT for
 * damaged messages (what was read before stays in m). */
rift_err rift_dns_parse(struct rift_dns_msg *m, const uint8_t *p, size_t n,
                        struct rift_arena *a);

const char *rift_dns_type_name(uint16_t t);   /* "A", ... or NULL */
const char *rift_dns_rcode_name(uint8_t rc);  /* "NOERROR", ... or NULL */

#endif
