/*
 * frag.c - IP fragment reassembly (frag.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/rtime.h"
#include "net/frag.h"

#define NBLOCKS ((RIFT_FRAG_MAXLEN + 7) / 8)

struct rift_frag_dgram {
  struct rift_frag_dgram *prev, *next;
  int64_t first_ts;
  uint8_t family, proto;
  uint8_t src[16], dst[16];
  uint32_t id;
  uint32_t total;          /* payload length, known once MF=0 seen */
  int have_last;
  uint8_t have[(NBLOCKS + 7) / 8];
  uint8_t buf[RIFT_FRAG_MAXLEN];
};

void rift_frag_init(struct rift_frag *f)
{
  memset(f, 0, sizeof(*f));
}

static void unlink_dgram(struct rift_frag *f, struct rift_frag_dgram *d)
{
  if(d->prev)
    d->prev->next = d->next;
  else
    f->head = d->next;
  if(d->next)
    d->next->prev = d->prev;
  else
    f->tail = d->prev;
  f->n--;
}

void rift_frag_release(struct rift_frag *f)
{
  while(f->head) {
    struct rift_frag_dgram *d = f->head;
    unlink_dgram(f, d);
    free(d);
  }
  free(f->out);
  f->out = NULL;
}

static int block_has(const struct rift_frag_dgram *d, uint32_t b)
{
  return d->have[b >> 3] >> (b & 7) & 1;
}

static int complete(const struct rift_frag_dgram *d)
{
  uint32_t b, nb;
  if(!d->have_last)
    return 0;
  nb = (d->total + 7) / 8;
  for(b = 0; b < nb; b++) {
    if(!block_has(d, b))
      return 0;
  }
  return 1;
}

int rift_frag_add(struct rift_frag *f, int64_t ts, int family,
                  const uint8_t *src, const uint8_t *dst, uint32_t id,
                  uint8_t proto, uint32_t off, int more,
                  const uint8_t *data, size_t len, const uint8_t **out,
                  size_t *outlen)
{
  struct rift_frag_dgram *d;
  size_t alen = family == 4 ? 4 : 16;
  uint32_t b, b0, b1, end;

  /* expire old datagrams (capture time) */
  while(f->head && rift_time_sub(ts, f->head->first_ts) > RIFT_FRAG_TIMEOUT) {
    d = f->head;
    unlink_dgram(f, d);
    free(d);
    f->dropped++;
  }
  if(off > RIFT_FRAG_MAXLEN || len > RIFT_FRAG_MAXLEN - off)
    return -1;
  /* every fragment but the last carries a multiple of 8 bytes */
  if(more && (len & 7))
    return -1;
  end = off + (uint32_t)len;

  for(d = f->tail; d; d = d->prev) {
    if(d->id == id && d->family == family && d->proto == proto &&
       !memcmp(d->src, src, alen) && !memcmp(d->dst, dst, alen))
      break;
  }
  if(!d) {
    if(f->n >= RIFT_FRAG_MAX) {
      d = f->head;
      unlink_dgram(f, d);
      free(d);
      f->dropped++;
    }
    d = calloc(1, sizeof(*d));
    if(!d)
      return -1;
    d->first_ts = ts;
    d->family = (uint8_t)family;
    d->proto = proto;
    memcpy(d->src, src, alen);
    memcpy(d->dst, dst, alen);
    d->id = id;
    d->prev = f->tail;
    if(f->tail)
      f->tail->next = d;
    else
      f->head = d;
    f->tail = d;
    f->n++;
  }
  if(!more) {
    if(d->have_last && d->total != end) {
      f->overlaps++;
      return 0; /* conflicting last fragment: keep the first */
    }
    d->have_last = 1;
    d->total = end;
  }
  else if(d->have_last && end > d->total) {
    return -1;
  }
  /* copy block by block, keeping the first copy of any block */
  b0 = off / 8;
  b1 = (end + 7) / 8;
  for(b = b0; b < b1; b++) {
    uint32_t s = b * 8, e = s + 8;
    if(e > end)
      e = end;
    if(block_has(d, b)) {
      f->overlaps++;
      continue;
    }
    memcpy(d->buf + s, data + (s - off), e - s);
    /* a partial last block counts only when it is the datagram's end */
    if(e - s == 8 || !more)
      d->have[b >> 3] |= (uint8_t)(1u << (b & 7));
  }
  if(!complete(d))
    return 0;
  free(f->out);
  f->out = malloc(d->total ? d->total : 1);
  if(!f->out) {
    unlink_dgram(f, d);
    free(d);
    return -1;
  }
  memcpy(f->out, d->buf, d->total);
  *out = f->out;
  *outlen = d->total;
  unlink_dgram(f, d);
  free(d);
  f->completed++;
  return 1;
}
