/*
 * cur.h - bounds-checked little-endian cursor over a byte range.
 *
 * Every binary parser reads through a struct rift_cur and never does raw
 * pointer arithmetic on input.  Reads compare the *remaining length*, never
 * pointers.  The error is sticky: once a read fails, c->err is set, every
 * later read returns 0 and nothing advances, so a parser can read a whole
 * header and check once:
 *
 *   struct rift_cur c;
 *   rift_cur_init(&c, p, len);
 *   uint32_t magic = rift_cur_u32(&c);
 *   uint64_t id = rift_cur_u64(&c);
 *   if(c.err)
 *     return c.err;
 *
 * The cursor never owns the bytes.
 */
#ifndef RIFT_CUR_H
#define RIFT_CUR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"

struct rift_cur {
  const uint8_t *p; /* start of the range */
  size_t len;       /* bytes in the range */
  size_t off;       /* read position, 0 <= off <= len */
  rift_err err;     /* sticky: first failure */
};

static inline void rift_cur_init(struct rift_cur *c, const void *p, size_t len)
{
  c->p = (const uint8_t *)p;
  c->len = len;
  c->off = 0;
  c->err = RIFT_OK;
}

/* A cursor over [off, off+len) of c, or a failed cursor if out of range. */
static inline struct rift_cur rift_cur_sub(const struct rift_cur *c,
                                           size_t off, size_t len)
{
  struct rift_cur s;
  if(c->err || off > c->len || len > c->len - off) {
    rift_cur_init(&s, c->p, 0);
    s.err = c->err ? c->err : RIFT_TRUNCATED;
    return s;
  }
  rift_cur_init(&s, c->p + off, len);
  return s;
}

static inline size_t rift_cur_left(const struct rift_cur *c)
{
  return c->err ? 0 : c->len - c->off;
}

/* Reserve n bytes and return a pointer to them, or NULL (and set err). */
static inline const uint8_t *rift_cur_take(struct rift_cur *c, size_t n)
{
  const uint8_t *q;
  if(c->err || c->len - c->off < n) {
    if(!c->err)
      c->err = RIFT_TRUNCATED;
    return NULL;
  }
  q = c->p + c->off;
  c->off += n;
  return q;
}

static inline void rift_cur_skip(struct rift_cur *c, size_t n)
{
  (void)rift_cur_take(c, n);
}

/* Move to an absolute offset within the range (may move backwards). */
static inline void rift_cur_seek(struct rift_cur *c, size_t off)
{
  if(c->err)
    return;
  if(off > c->len) {
    c->err = RIFT_TRUNCATED;
    return;
  }
  c->off = off;
}

static inline uint8_t rift_cur_u8(struct rift_cur *c)
{
  const uint8_t *q = rift_cur_take(c, 1);
  return q ? q[0] : 0;
}

static inline uint16_t rift_cur_u16(struct rift_cur *c)
{
  const uint8_t *q = rift_cur_take(c, 2);
  return q ? (uint16_t)(q[0] | q[1] << 8) : 0;
}

static inline uint32_t rift_cur_u32(struct rift_cur *c)
{
  const uint8_t *q = rift_cur_take(c, 4);
  if(!q)
    return 0;
  return (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 |
         (uint32_t)q[3] << 24;
}

static inline uint64_t rift_cur_u64(struct rift_cur *c)
{
  const uint8_t *q = rift_cur_take(c, 8);
  uint64_t v = 0;
  int i;
  if(!q)
    return 0;
  for(i = 7; i >= 0; i--)
    v = v << 8 | q[i];
  return v;
}

static inline uint16_t rift_cur_u16be(struct rift_cur *c)
{
  const uint8_t *q = rift_cur_take(c, 2);
  return q ? (uint16_t)(q[0] << 8 | q[1]) : 0;
}

static inline uint32_t rift_cur_u32be(struct rift_cur *c)
{
  const uint8_t *q = rift_cur_take(c, 4);
  if(!q)
    return 0;
  return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 |
         (uint32_t)q[3];
}

/* Unchecked little-endian loads from a pointer the caller has already
 * bounds-checked (e.g. one returned by rift_cur_take). */
static inline uint16_t rift_le16(const uint8_t *q)
{
  return (uint16_t)(q[0] | q[1] << 8);
}

static inline uint32_t rift_le32(const uint8_t *q)
{
  return (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 |
         (uint32_t)q[3] << 24;
}

static inline uint64_t rift_le64(const uint8_t *q)
{
  return (uint64_t)rift_le32(q) | (uint64_t)rift_le32(q + 4) << 32;
}

#endif
