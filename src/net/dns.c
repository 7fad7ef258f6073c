/*
 * dns.c - DNS message parser (dns.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/cur.h"
#include "net/dns.h"
#include "net/pkt.h"

/* Decode the name at *off; advances *off past it in the message. */
static const char *name(const uint8_t *p, size_t n, size_t *off,
                        struct rift_arena *a, rift_err *err)
{
  char out[RIFT_DNS_MAX_NAME * 4 + 8];
  size_t o = 0, pos = *off, end = 0;
  int jumps = 0, jumped = 0;
  for(;;) {
    uint8_t l;
    if(pos >= n) {
      *err = RIFT_TRUNCATED;
      return NULL;
    }
    l = p[pos];
    if((l & 0xc0) == 0xc0) {
      size_t target;
      if(pos + 1 >= n) {
        *err = RIFT_TRUNCATED;
        return NULL;
      }
      target = (size_t)(l & 0x3f) << 8 | p[pos + 1];
      if(!jumped)
        end = pos + 2;
      /* pointers must go backwards: no loops */
      if(target >= pos || ++jumps > RIFT_DNS_MAX_JUMPS) {
        *err = RIFT_CORRUPT;
        return NULL;
      }
      jumped = 1;
      pos = target;
      continue;
    }
    if(l & 0xc0) { /* extended label types: not supported */
      *err = RIFT_CORRUPT;
      return NULL;
    }
    pos++;
    if(!l)
      break;
    if(pos + l > n) {
      *err = RIFT_TRUNCATED;
      return NULL;
    }
    if(o)
      out[o++] = '.';
    {
      size_t i;
      for(i = 0; i < l; i++) {
        uint8_t ch = p[pos + i];
        if(o > RIFT_DNS_MAX_NAME * 4) {
          *err = RIFT_CORRUPT;
          return NULL;
        }
        if(ch > 0x20 && ch < 0x7f && ch != '.' && ch != '\\') {
          out[o++] = (char)ch;
        }
        else {
          out[o++] = '\\';
          out[o++] = (char)('0' + ch / 100);
          out[o++] = (char)('0' + ch / 10 % 10);
          out[o++] = (char)('0' + ch % 10);
        }
      }
    }
    pos += l;
  }
  *off = jumped ? end : pos;
  if(o == 0)
    return rift_arena_strdup(a, ".");
  return rift_arena_strndup(a, out, o);
}

static const char *rdata(const uint8_t *p, size_t n, size_t off, size_t len,
                         uint16_t type, struct rift_arena *a)
{
  char t[64];
  size_t o;
  rift_err err = RIFT_OK;
  switch(type) {
  case 1: /* A */
    if(len != 4)
      return NULL;
    o = rift_ip_fmt(t, 4, p + off);
    return rift_arena_strndup(a, t, o);
  case 28: /* AAAA */
    if(len != 16)
      return NULL;
    o = rift_ip_fmt(t, 6, p + off);
    return rift_arena_strndup(a, t, o);
  case 2:  /* NS */
  case 5:  /* CNAME */
  case 12: /* PTR */
  case 39: /* DNAME */
  case 6: { /* SOA: the primary name server */
    size_t q = off;
    return name(p, off + len, &q, a, &err);
  }
  case 15: { /* MX: preference then name */
    size_t q = off + 2;
    if(len < 3)
      return NULL;
    return name(p, off + len, &q, a, &err);
  }
  case 33: { /* SRV: priority weight port target */
    size_t q = off + 6;
    if(len < 7)
      return NULL;
    return name(p, off + len, &q, a, &err);
  }
  case 16: { /* TXT: the character-strings joined */
    char *s = rift_arena_alloc(a, len + 1);
    size_t q = off, w = 0;
    if(!s)
      return NULL;
    while(q < off + len) {
      uint8_t l = p[q++];
      size_t k;
      if(q + l > off + len)
        break;
      for(k = 0; k < l; k++) {
        uint8_t ch = p[q + k];
        s[w++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
      }
      q += l;
    }
    s[w] = 0;
    return s;
  }
  default:
    (void)n;
    return NULL;
  }
}

rift_err rift_dns_parse(struct rift_dns_msg *m, const uint8_t *p, size_t n,
                        struct rift_arena *a)
{
  struct rift_cur c;
  size_t off;
  unsigned i, total;
  rift_err err = RIFT_OK;
  memset(m, 0, offsetof(struct rift_dns_msg, an));
  m->nan = 0;
  rift_cur_init(&c, p, n);
  m->id = rift_cur_u16be(&c);
  m->flags = rift_cur_u16be(&c);
  m->qdcount = rift_cur_u16be(&c);
  m->ancount = rift_cur_u16be(&c);
  m->nscount = rift_cur_u16be(&c);
  m->arcount = rift_cur_u16be(&c);
  if(c.err)
    return RIFT_TRUNCATED;
  m->qr = m->flags >> 15;
  m->opcode = (uint8_t)(m->flags >> 11 & 15);
  m->rcode = (uint8_t)(m->flags & 15);
  off = 12;
  for(i = 0; i < m->qdcount; i++) {
    const char *q = name(p, n, &off, a, &err);
    if(!q)
      return err;
    if(off + 4 > n)
      return RIFT_TRUNCATED;
    if(i == 0) {
      m->qname = q;
      m->qtype = (uint16_t)(p[off] << 8 | p[off + 1]);
      m->qclass = (uint16_t)(p[off + 2] << 8 | p[off + 3]);
    }
    off += 4;
    if(i >= 16)
      return RIFT_OK; /* more questions than any real message has */
  }
  total = m->ancount;
  for(i = 0; i < total && m->nan < RIFT_DNS_MAX_ANSWERS; i++) {
    struct rift_dns_rr *rr = &m->an[m->nan];
    uint16_t rdlen;
    rr->name = name(p, n, &off, a, &err);
    if(!rr->name)
      return err;
    if(off + 10 > n)
      return RIFT_TRUNCATED;
    rr->type = (uint16_t)(p[off] << 8 | p[off + 1]);
    rr->cls = (uint16_t)(p[off + 2] << 8 | p[off + 3]);
    rr->ttl = (uint32_t)p[off + 4] << 24 | (uint32_t)p[off + 5] << 16 |
              (uint32_t)p[off + 6] << 8 | p[off + 7];
    rdlen = (uint16_t)(p[off + 8] << 8 | p[off + 9]);
    off += 10;
    if(off + rdlen > n)
      return RIFT_TRUNCATED;
    rr->data = rdata(p, n, off, rdlen, rr->type, a);
    off += rdlen;
    m->nan++;
  }
  return RIFT_OK;
}

const char *rift_dns_type_name(uint16_t t)
{
  switch(t) {
  case 1: return "A";
  case 2: return "NS";
  case 5: return "CNAME";
  case 6: return "SOA";
  case 12: return "PTR";
  case 13: return "HINFO";
  case 15: return "MX";
  case 16: return "TXT";
  case 28: return "AAAA";
  case 33: return "SRV";
  case 35: return "NAPTR";
  case 39: return "DNAME";
  case 41: return "OPT";
  case 43: return "DS";
  case 46: return "RRSIG";
  case 47: return "NSEC";
  case 48: return "DNSKEY";
  case 50: return "NSEC3";
  case 64: return "SVCB";
  case 65: return "HTTPS";
  case 99: return "SPF";
  case 252: return "AXFR";
  case 255: return "ANY";
  case 257: return "CAA";
  default: return NULL;
  }
}

const char *rift_dns_rcode_name(uint8_t rc)
{
  static const char *const names[] = {
    "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
    "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"
  };
  return rc < sizeof(names) / sizeof(names[0]) ? names[rc] : NULL;
}
