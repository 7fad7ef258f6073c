/*
 * buf.h - growable byte buffer with a ceiling.
 *
 * Invariants (as git's strbuf): b->buf is never NULL and always
 * NUL-terminated at b->buf[b->len]; it may hold binary data.  b->max is the
 * ceiling: growth that would make len exceed max fails with RIFT_LIMIT and
 * leaves the buffer unchanged.  A failed append is sticky in b->err so that
 * a sequence of appends can be checked once.
 *
 *   struct rift_buf b;
 *   rift_buf_init(&b, RIFT_BUF_MAX_RECORD);
 *   rift_buf_add(&b, "x", 1);
 *   ...
 *   if(b.err) ...
 *   rift_buf_release(&b);
 *
 * Whoever calls _init calls _release.  rift_buf_detach hands the memory to
 * the caller (free() it).
 */
#ifndef RIFT_BUF_H
#define RIFT_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"

/* Ceilings, one per use (curl's DYN_* table). */
#define RIFT_BUF_MAX_LINE (1u << 20)       /* one text line */
#define RIFT_BUF_MAX_RECORD (16u << 20)    /* one rendered record */
#define RIFT_BUF_MAX_OUTPUT (256u << 20)   /* an output batch */
#define RIFT_BUF_MAX_FILE (1024u << 20)    /* a whole small file */

struct rift_buf {
  char *buf;
  size_t len;
  size_t alloc; /* 0 while buf points at the shared empty string */
  size_t max;
  rift_err err;
};

extern char rift_buf_slop[1];

void rift_buf_init(struct rift_buf *b, size_t max);
void rift_buf_release(struct rift_buf *b);
/* Make room for extra more bytes (+1 for the NUL). */
rift_err rift_buf_grow(struct rift_buf *b, size_t extra);

/* A growing array (malloc'd, *cap elements of elem bytes): room for at
 * least need elements, the capacity doubled from first.  RIFT_NOMEM, with
 * the array and *cap unchanged, if realloc fails or the size overflows.
 * The one "double the capacity" loop every table and row list uses. */
rift_err rift_grow(void **arr, size_t *cap, size_t need, size_t elem,
                   size_t first);
char *rift_buf_detach(struct rift_buf *b, size_t *len);
rift_err rift_buf_addf(struct rift_buf *b, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
rift_err rift_buf_vaddf(struct rift_buf *b, const char *fmt, va_list ap)
  __attribute__((format(printf, 2, 0)));

static inline void rift_buf_reset(struct rift_buf *b)
{
  b->len = 0;
  b->err = RIFT_OK;
  if(b->alloc)
    b->buf[0] = 0;
}

static inline void rift_buf_setlen(struct rift_buf *b, size_t len)
{
  b->len = len;
  if(b->alloc)
    b->buf[len] = 0;
}

/* Pointer to n writable bytes at the end, or NULL.  Commit with
 * rift_buf_commit(b, used) where used <= n. */
static inline char *rift_buf_reserve(struct rift_buf *b, size_t n)
{
  if(b->alloc - b->len <= n || !b->alloc) {
    if(rift_buf_grow(b, n))
      return NULL;
  }
  return b->buf + b->len;
}

static inline void rift_buf_commit(struct rift_buf *b, size_t n)
{
  b->len += n;
  b->buf[b->len] = 0;
}

static inline rift_err rift_buf_add(struct rift_buf *b, const void *p, size_t n)
{
  char *d = rift_buf_reserve(b, n);
  if(!d)
    return b->err;
  if(n)
    memcpy(d, p, n);
  rift_buf_commit(b, n);
  return RIFT_OK;
}

static inline rift_err rift_buf_addch(struct rift_buf *b, char c)
{
  char *d = rift_buf_reserve(b, 1);
  if(!d)
    return b->err;
  d[0] = c;
  rift_buf_commit(b, 1);
  return RIFT_OK;
}

static inline rift_err rift_buf_adds(struct rift_buf *b, const char *s)
{
  return rift_buf_add(b, s, strlen(s));
}

/* Decimal and hexadecimal integers without printf. */
rift_err rift_buf_add_u64(struct rift_buf *b, uint64_t v);
rift_err rift_buf_add_i64(struct rift_buf *b, int64_t v);
/* "0x" + lowercase hex, at least width digits (0 = no padding). */
rift_err rift_buf_add_hex(struct rift_buf *b, uint64_t v, int width, int upper);
/* JSON string body (no quotes) from UTF-8 text: escapes ", \ and controls. */
rift_err rift_buf_add_json(struct rift_buf *b, const char *s, size_t n);
/* XML text/attribute body from UTF-8 text: escapes & < > " ' and turns
 * control characters XML 1.0 cannot carry into U+FFFD. */
rift_err rift_buf_add_xml(struct rift_buf *b, const char *s, size_t n);

/* Write digits of v at d (which must have room for 20 bytes); returns count. */
size_t rift_fmt_u64(char *d, uint64_t v);

#endif
