/*
 * pkt.h - link, tunnel, IP and transport decoding of one captured frame.
 *
 * rift_pkt_decode() turns the bytes of a frame (as libpcap hands them
 * over) into a struct rift_pkt: addresses, ports, transport, TCP fields and
 * the transport payload.  Every read goes through a struct rift_cur; every
 * nesting (VLAN tags, MPLS labels, IPv6 extension headers, tunnels) is
 * capped.  Layouts, offsets in bytes, all fields big-endian on the wire:
 *
 *   Ethernet      0 dst[6]  6 src[6]  12 type[2]  (802.1Q/802.1ad/QinQ:
 *                 type 0x8100/0x88a8/0x9100 then tci[2] type[2], repeated)
 *   Linux SLL     0 pkttype[2] 2 arphrd[2] 4 addrlen[2] 6 addr[8] 14 proto[2]
 *   Linux SLL2    0 proto[2] 2 reserved[2] 4 ifindex[4] 8 arphrd[2]
 *                 10 pkttype 11 addrlen 12 addr[8]            (20 bytes)
 *   BSD NULL/LOOP 0 family[4] (host order / network order)
 *   IPv4          0 ver|ihl 1 tos 2 totlen 4 id 6 flags|fragoff 8 ttl
 *                 9 proto 10 csum 12 src[4] 16 dst[4] 20 options
 *   IPv6          0 ver|tc|flow[4] 4 paylen 6 next 7 hlim 8 src[16] 24 dst[16]
 *                 ext headers 0/43/60: next hdrlen(8-byte units, +1);
 *                 44 fragment: next res offset|M[2] id[4]
 *   TCP           0 sport 2 dport 4 seq[4] 8 ack[4] 12 off|flags 14 win
 *   UDP           0 sport 2 dport 4 len 6 csum
 *   GRE           0 flags|ver[2] 2 proto[2] [csum+res 4][key 4][seq 4]
 *   ERSPAN II     8 bytes then Ethernet; ERSPAN III 12 (+8 if O bit)
 *   VXLAN (4789)  8 bytes then Ethernet;  Geneve (6081) 8 + opt*4 then
 *                 the protocol named in the header
 *
 * Fragments go to a struct rift_frag (frag.h); the datagram is decoded
 * again once complete.
 */
#ifndef RIFT_NET_PKT_H
#define RIFT_NET_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Link types we decode (libpcap DLT_ values). */
#define RIFT_DLT_NULL 0
#define RIFT_DLT_EN10MB 1
#define RIFT_DLT_RAW 12         /* DLT_RAW on Linux (LINKTYPE_RAW 101) */
#define RIFT_DLT_RAW_BSD 14     /* DLT_RAW on some BSDs */
#define RIFT_DLT_LOOP 108
#define RIFT_DLT_LINUX_SLL 113
#define RIFT_DLT_IPV4 228
#define RIFT_DLT_IPV6 229
#define RIFT_DLT_LINUX_SLL2 276
#define RIFT_LINKTYPE_RAW 101

#define RIFT_PKT_MAX_LAYERS 16  /* tags, labels, headers and tunnels */
#define RIFT_PKT_MAX_EXTHDR 8   /* IPv6 extension headers */

enum {
  RIFT_IPPROTO_ICMP = 1,
  RIFT_IPPROTO_IPIP = 4,
  RIFT_IPPROTO_TCP = 6,
  RIFT_IPPROTO_UDP = 17,
  RIFT_IPPROTO_IPV6 = 41,
  RIFT_IPPROTO_GRE = 47,
  RIFT_IPPROTO_ICMPV6 = 58,
  RIFT_IPPROTO_SCTP = 132
};

/* TCP flag bits as on the wire. */
#define RIFT_TCP_FIN 0x01
#define RIFT_TCP_SYN 0x02
#define RIFT_TCP_RST 0x04
#define RIFT_TCP_PSH 0x08
#define RIFT_TCP_ACK 0x10
#define RIFT_TCP_URG 0x20
#define RIFT_TCP_ECE 0x40
#define RIFT_TCP_CWR 0x80

/* What rift_pkt_decode made of a frame. */
enum rift_pkt_status {
  RIFT_PKT_OK,         /* an IP packet: p is filled */
  RIFT_PKT_NOT_IP,     /* ARP, LLDP, STP...: counted, not an error */
  RIFT_PKT_FRAGMENT,   /* held by the fragment table, nothing to do yet */
  RIFT_PKT_BAD         /* damaged: p->why says what */
};

struct rift_frag;

struct rift_pkt {
  int64_t ts;           /* ns UTC */
  uint64_t frame;       /* 1-based frame number in the capture */
  uint64_t offset;      /* byte offset of the frame's record in the file */
  uint32_t wirelen;     /* original frame length */
  uint32_t iplen;       /* IP datagram length (header + payload) */
  uint8_t family;       /* 4 or 6 */
  uint8_t proto;        /* transport: RIFT_IPPROTO_* */
  uint8_t ttl;
  uint8_t tcp_flags;
  uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes, rest zero */
  uint16_t sport, dport;    /* ICMP: type and code */
  uint32_t seq, ack;
  uint16_t win;
  uint16_t vlan;            /* outermost VLAN id, 0 if none */
  uint8_t tunnel;           /* 1 if decoded from inside a tunnel */
  uint8_t reassembled;      /* 1 if rebuilt from IP fragments */
  const uint8_t *payload;   /* transport payload (captured bytes only) */
  uint32_t plen;
  const char *why;          /* RIFT_PKT_BAD: reason (static string) */
};

/* Decode one frame of link type dlt.  frag may be NULL (fragments are then
 * only counted).  The payload points into data, or into frag's memory
 * until the next call. */
enum rift_pkt_status rift_pkt_decode(struct rift_pkt *p, int dlt,
                                     const uint8_t *data, size_t caplen,
                                     struct rift_frag *frag);

/* Is dlt a link type rift_pkt_decode understands? */
int rift_pkt_dlt_known(int dlt);

/* Text form of an address ("192.0.2.1", "2001:db8::1") into dst, which
 * must hold 46 bytes; returns the length. */
size_t rift_ip_fmt(char *dst, int family, const uint8_t *a);
/* Parse an address; returns 4, 6 or 0. */
int rift_ip_parse(const char *s, size_t n, uint8_t a[16]);

#endif
