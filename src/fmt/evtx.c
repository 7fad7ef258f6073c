/*
 * evtx.c - EVTX files, chunks and records.
 *
 * File header (4096 bytes, the first 128 used):
 *   0   "ElfFile\0"           8   first chunk u64      16  last chunk u64
 *   24  next record id u64    32  header size u32 (128)
 *   36  minor u16  38 major u16 (3)   40 header block size u16 (4096)
 *   42  chunk count u16       120 flags u32 (1 dirty, 2 full)
 *   124 CRC32 of bytes 0..119
 *
 * Chunk (65536 bytes; header 512):
 *   0   "ElfChnk\0"           8   first record number u64
 *   16  last record number    24  first record id u64   32 last record id
 *   40  header size u32 (128) 44  last record offset u32
 *   48  free space offset u32 52  CRC32 of records [512, free space)
 *   120 flags u32             124 CRC32 of bytes 0..119 and 128..511
 *   128 64 string offsets     384 32 template offsets
 *   512 records
 *
 * Record:
 *   0   "**\0\0"  4 size u32  8 record id u64  16 written FILETIME u64
 *   24  BinXML fragment (size - 28 bytes)      size-4  size u32 again
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/cur.h"
#include "core/rtime.h"
#include "fmt/binxml-int.h"
#include "fmt/evtx.h"

#define REC_HDR 24
#define REC_MIN 28
#define CHUNK_HDR 512

/* Written for every record by the one thread using it: cache-line aligned
 * (and so a whole number of lines) so that contexts used by different
 * threads never share a line. */
struct rift_evtx_ctx {
  _Alignas(64) struct bx_chunk bx;
  struct bx_doc doc;
  struct bx_fast fast;
  rift_err last_rc;   /* why the last tree could not be built */
};

rift_err rift_evtx_ctx_new(struct rift_evtx_ctx **out)
{
  struct rift_evtx_ctx *c = aligned_alloc(_Alignof(struct rift_evtx_ctx),
                                          sizeof(*c));
  rift_err rc;
  if(!c)
    return RIFT_NOMEM;
  memset(c, 0, sizeof(*c));
  rc = bx_chunk_init(&c->bx);
  if(rc) {
    free(c);
    return rc;
  }
  *out = c;
  return RIFT_OK;
}

void rift_evtx_ctx_free(struct rift_evtx_ctx **c)
{
  if(!*c)
    return;
  bx_chunk_release(&(*c)->bx);
  free(*c);
  *c = NULL;
}

int rift_evtx_sniff(const uint8_t *p, size_t len)
{
  return (len >= 8 && !memcmp(p, "ElfFile\0", 8)) ||
         (len >= 8 && !memcmp(p, "ElfChnk\0", 8));
}

static uint32_t crc(const uint8_t *p, size_t n)
{
  return (uint32_t)crc32(0, p, (uInt)n);
}

rift_err rift_evtx_open(struct rift_evtx *e, const struct rift_source *src,
                        struct rift_diag *d)
{
  struct rift_evtx_header *h = &e->hdr;
  struct rift_cur c;
  memset(e, 0, sizeof(*e));
  e->src = src;
  rift_cur_init(&c, src->data, src->len);
  if(src->len >= 8 && !memcmp(src->data, "ElfFile\0", 8)) {
    rift_cur_skip(&c, 8);
    h->first_chunk = rift_cur_u64(&c);
    h->last_chunk = rift_cur_u64(&c);
    h->next_record_id = rift_cur_u64(&c);
    h->header_size = rift_cur_u32(&c);
    h->minor = rift_cur_u16(&c);
    h->major = rift_cur_u16(&c);
    h->block_size = rift_cur_u16(&c);
    h->nchunks = rift_cur_u16(&c);
    rift_cur_seek(&c, 120);
    h->flags = rift_cur_u32(&c);
    h->crc = rift_cur_u32(&c);
    if(c.err) {
      rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_TRUNCATED, 0,
                       "truncated file header");
      return RIFT_TRUNCATED;
    }
    h->valid = 1;
    h->crc_ok = crc(src->data, 120) == h->crc;
    if(!h->crc_ok)
      rift_diag_report(d, RIFT_DIAG_WARN, RIFT_CORRUPT, 124,
                       "file header checksum mismatch");
    if(h->major != 3)
      rift_diag_report(d, RIFT_DIAG_WARN, RIFT_UNSUPPORTED, 38,
                       "unexpected format version %u.%u", h->major, h->minor);
  }
  else if(src->len > RIFT_EVTX_HEADER_SIZE + 8 &&
          !memcmp(src->data + RIFT_EVTX_HEADER_SIZE, "ElfChnk\0", 8)) {
    rift_diag_report(d, RIFT_DIAG_WARN, RIFT_CORRUPT, 0,
                     "file header magic missing; reading chunks");
  }
  else {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT, 0, "not an EVTX file");
    return RIFT_CORRUPT;
  }
  if(src->len > RIFT_EVTX_HEADER_SIZE)
    e->nslots = (src->len - RIFT_EVTX_HEADER_SIZE + RIFT_EVTX_CHUNK_SIZE - 1) /
                RIFT_EVTX_CHUNK_SIZE;
  return RIFT_OK;
}

/* Jobs of RIFT_EVTX_CHUNKS_PER_JOB chunks before the tail. */
static size_t head_jobs(const struct rift_evtx *e)
{
  return e->nslots > RIFT_EVTX_TAIL_CHUNKS
           ? (e->nslots - RIFT_EVTX_TAIL_CHUNKS) / RIFT_EVTX_CHUNKS_PER_JOB
           : 0;
}

size_t rift_evtx_jobs(const struct rift_evtx *e)
{
  size_t head = head_jobs(e);
  size_t tail = e->nslots - head * RIFT_EVTX_CHUNKS_PER_JOB;
  return head + (tail + RIFT_EVTX_CHUNKS_PER_TAIL_JOB - 1) /
                  RIFT_EVTX_CHUNKS_PER_TAIL_JOB;
}

void rift_evtx_job(const struct rift_evtx *e, size_t i, struct rift_evtx_job *jb)
{
  size_t head = head_jobs(e);
  if(i < head) {
    jb->first = i * RIFT_EVTX_CHUNKS_PER_JOB;
    jb->end = jb->first + RIFT_EVTX_CHUNKS_PER_JOB;
  }
  else {
    jb->first = head * RIFT_EVTX_CHUNKS_PER_JOB +
                (i - head) * RIFT_EVTX_CHUNKS_PER_TAIL_JOB;
    jb->end = jb->first + RIFT_EVTX_CHUNKS_PER_TAIL_JOB;
  }
  if(jb->first > e->nslots)
    jb->first = e->nslots;
  if(jb->end > e->nslots)
    jb->end = e->nslots;
  jb->off = RIFT_EVTX_HEADER_SIZE + (uint64_t)jb->first * RIFT_EVTX_CHUNK_SIZE;
  jb->len = (uint64_t)(jb->end - jb->first) * RIFT_EVTX_CHUNK_SIZE;
}

rift_err rift_evtx_job_run(const struct rift_evtx *e, struct rift_evtx_ctx *c,
                           const struct rift_evtx_job *jb, unsigned flags,
                           rift_evtx_record_fn fn, void *arg,
                           struct rift_diag *d, struct rift_evtx_stats *st,
                           size_t *last)
{
  rift_err rc = RIFT_OK;
  size_t k;
  rift_source_prefetch(e->src, jb->off, jb->len);
  for(k = jb->first; k < jb->end && !rc; k++) {
    rc = rift_evtx_chunk(e, c, k, flags, fn, arg, d, st);
    *last = k;
  }
  return rc;
}

static int all_zero(const uint8_t *p, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    if(p[i])
      return 0;
  }
  return 1;
}

/* Does a record header start at chunk offset off?  strict also requires
 * the size copy at the end (used when searching for records). */
static int record_at(const uint8_t *p, size_t len, size_t off, uint32_t *size,
                     int strict)
{
  uint32_t s;
  if(off + REC_MIN > len || memcmp(p + off, "**\0\0", 4))
    return 0;
  s = rift_le32(p + off + 4);
  if(s < REC_MIN || s > len - off)
    return 0;
  if(strict && rift_le32(p + off + s - 4) != s)
    return 0;
  *size = s;
  return 1;
}

static size_t resync(const uint8_t *p, size_t len, size_t from)
{
  size_t off;
  uint32_t s;
  for(off = from; off + REC_MIN <= len; off++) {
    if(p[off] == '*' && record_at(p, len, off, &s, 1))
      return off;
  }
  return len;
}

static void report_bad(struct rift_evtx_ctx *c, struct rift_diag *d,
                       size_t base, size_t i, size_t off, uint64_t rid,
                       rift_err rc)
{
  if(c->bx.fail_why && c->bx.fail_off < RIFT_EVTX_CHUNK_SIZE)
    rift_diag_report(d, RIFT_DIAG_ERROR, rc, base + off,
                     "chunk %zu: record %llu: %s (at 0x%llx)", i,
                     (unsigned long long)rid, c->bx.fail_why,
                     (unsigned long long)(base + c->bx.fail_off));
  else
    rift_diag_report(d, RIFT_DIAG_ERROR, rc, base + off,
                     "chunk %zu: record %llu: %s", i, (unsigned long long)rid,
                     c->bx.fail_why ? c->bx.fail_why : rift_strerror(rc));
}

const struct bx_doc *rift_evtx_record_doc(const struct rift_evtx_record *r)
{
  struct rift_evtx_ctx *c = r->ctx;
  rift_err rc;
  if(r->doc)
    return r->doc;
  rc = bx_parse_record(&c->bx, r->data_off, r->data_len, &c->doc);
  if(rc || !c->doc.root) {
    c->last_rc = rc ? rc : RIFT_CORRUPT;
    if(!rc)
      c->bx.fail_why = "empty BinXML";
    return NULL;
  }
  /* filled lazily: the record is our own, handed out as const */
  ((struct rift_evtx_record *)r)->doc = &c->doc;
  return r->doc;
}

static rift_err emit(struct rift_evtx_ctx *c, const uint8_t *p, size_t base,
                     size_t i, size_t off, uint32_t size, int carved,
                     unsigned flags, rift_evtx_record_fn fn, void *arg,
                     struct rift_diag *d, struct rift_evtx_stats *st)
{
  struct rift_evtx_record r;
  rift_err rc;
  r.record_id = rift_le64(p + off + 8);
  r.written = rift_le64(p + off + 16);
  r.offset = base + off;
  r.chunk = i;
  r.carved = carved;
  r.doc = NULL;
  r.ctx = c;
  r.data_off = (uint32_t)(off + REC_HDR);
  r.data_len = size - REC_MIN;
  c->last_rc = RIFT_OK;
  c->bx.fail_why = NULL;
  if(!(flags & RIFT_EVTX_LAZY) && !rift_evtx_record_doc(&r))
    rc = c->last_rc;
  else
    rc = fn(arg, &r);
  if(rc == RIFT_NOMEM)
    return rc;
  if(rc == RIFT_CORRUPT || (rc && rc == c->last_rc)) {
    if(!carved) {
      st->bad_records++;
      report_bad(c, d, base, i, off, r.record_id, rc);
    }
    return RIFT_OK;
  }
  if(rc)
    return rc;
  if(carved)
    st->carved++;
  else
    st->records++;
  return RIFT_OK;
}

rift_err rift_evtx_chunk(const struct rift_evtx *e, struct rift_evtx_ctx *c,
                         size_t i, unsigned flags, rift_evtx_record_fn fn,
                         void *arg, struct rift_diag *d,
                         struct rift_evtx_stats *st)
{
  const struct rift_source *src = e->src;
  size_t base = RIFT_EVTX_HEADER_SIZE + i * (size_t)RIFT_EVTX_CHUNK_SIZE;
  size_t len, off, end;
  uint32_t free_off, size;
  const uint8_t *p;
  rift_err rc;

  if(base >= src->len)
    return RIFT_OK;
  len = src->len - base;
  if(len > RIFT_EVTX_CHUNK_SIZE)
    len = RIFT_EVTX_CHUNK_SIZE;
  p = src->data + base;
  if(len < CHUNK_HDR || memcmp(p, "ElfChnk\0", 8)) {
    if(all_zero(p, len)) {
      st->empty_chunks++;
      return RIFT_OK;
    }
    st->bad_chunks++;
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT, base,
                     len < CHUNK_HDR ? "chunk %zu: truncated chunk"
                                     : "chunk %zu: bad chunk magic", i);
    if(!(flags & RIFT_EVTX_CARVE) || len < CHUNK_HDR)
      return RIFT_OK;
    /* carve records out of the damaged chunk; names and templates may
     * still resolve if the chunk body is intact */
    bx_chunk_reset(&c->bx, p, len);
    for(off = resync(p, len, CHUNK_HDR); off < len;
        off = resync(p, len, off + size)) {
      if(!record_at(p, len, off, &size, 1))
        break;
      rc = emit(c, p, base, i, off, size, 1, flags, fn, arg, d, st);
      if(rc)
        return rc;
    }
    return RIFT_OK;
  }
  {
    uint32_t want = rift_le32(p + 124);
    uint32_t got = (uint32_t)crc32(crc32(0, p, 120), p + 128, 384);
    if(want != got && want != 0)
      rift_diag_report(d, RIFT_DIAG_WARN, RIFT_CORRUPT, base + 124,
                       "chunk %zu: header checksum mismatch", i);
  }
  free_off = rift_le32(p + 48);
  end = free_off >= CHUNK_HDR && free_off <= len ? free_off : len;
  bx_chunk_reset(&c->bx, p, len);
  off = CHUNK_HDR;
  while(off + REC_HDR <= end) {
    if(!record_at(p, len, off, &size, 0)) {
      size_t next;
      if(all_zero(p + off, end - off))
        break;
      st->bad_records++;
      if(off + 8 <= len && !memcmp(p + off, "**\0\0", 4))
        rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT, base + off,
                         "chunk %zu: invalid record size %u", i,
                         rift_le32(p + off + 4));
      else
        rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT, base + off,
                         "chunk %zu: bad record magic", i);
      next = resync(p, end, off + 1);
      if(next >= end)
        break;
      off = next;
      continue;
    }
    if(rift_le32(p + off + size - 4) != size)
      rift_diag_report(d, RIFT_DIAG_WARN, RIFT_CORRUPT, base + off + size - 4,
                       "chunk %zu: record %llu: size copy mismatch "
                       "(partly written record)", i,
                       (unsigned long long)rift_le64(p + off + 8));
    rc = emit(c, p, base, i, off, size, 0, flags, fn, arg, d, st);
    if(rc)
      return rc;
    off += size;
  }
  if(flags & RIFT_EVTX_CARVE) {
    /* deleted or overwritten records in the slack after the last one */
    for(off = resync(p, len, off); off < len; off = resync(p, len, off + size)) {
      if(!record_at(p, len, off, &size, 1))
        break;
      rc = emit(c, p, base, i, off, size, 1, flags, fn, arg, d, st);
      if(rc)
        return rc;
    }
  }
  return RIFT_OK;
}

rift_err rift_evtx_render(struct rift_buf *out, const struct rift_evtx_record *r,
                          enum rift_evtx_format fmt)
{
  struct rift_evtx_ctx *c = r->ctx;
  enum bx_out o = fmt == RIFT_EVTX_XML ? BXO_XML
                  : fmt == RIFT_EVTX_JSON_PRETTY ? BXO_JSON_PRETTY : BXO_JSON;
  const struct bx_doc *doc;
  struct bx_fast *f = &c->fast;
  int shaped = 0;
  if(!r->doc) {
    shaped = bx_fast_shape(&c->bx, r->data_off, r->data_len, o, f);
    if(shaped && !bx_fast_render(&c->bx, out, f))
      return RIFT_OK;
  }
  doc = rift_evtx_record_doc(r);
  if(!doc)
    return c->last_rc;
  return bx_render_record(&c->bx, out, doc, o, shaped ? f : NULL);
}

/* ---- records to events ------------------------------------------------- */

/* The first VALUE of a node's content, or NULL. */
static const struct bx_node *first_value(const struct bx_doc *d,
                                         const struct bx_node *n)
{
  uint32_t c;
  for(c = n->child; c; c = d->nodes[c].next) {
    if(d->nodes[c].kind == BX_VALUE)
      return &d->nodes[c];
  }
  return NULL;
}

static const struct bx_node *attr_of(const struct bx_doc *d,
                                     const struct bx_node *e, uint16_t known)
{
  uint32_t a;
  for(a = e->attr; a; a = d->nodes[a].next) {
    if(d->nodes[a].name->known == known)
      return &d->nodes[a];
  }
  return NULL;
}

static uint64_t value_uint(const struct bx_node *v)
{
  switch(v->vtype) {
  case BXT_U8: case BXT_I8: return v->len >= 1 ? v->data[0] : 0;
  case BXT_U16: case BXT_I16: return v->len >= 2 ? rift_le16(v->data) : 0;
  case BXT_U32: case BXT_I32: case BXT_HEX32:
    return v->len >= 4 ? rift_le32(v->data) : 0;
  case BXT_U64: case BXT_I64: case BXT_HEX64:
    return v->len >= 8 ? rift_le64(v->data) : 0;
  default:
    return UINT64_MAX;
  }
}

/* Text of a node's content into tmp; returns a batch copy. */
static const char *text_of(struct rift_batch *b, struct rift_buf *tmp,
                           const struct bx_doc *d, const struct bx_node *n,
                           size_t *len)
{
  uint32_t c;
  rift_buf_reset(tmp);
  for(c = n->child; c; c = d->nodes[c].next) {
    const struct bx_node *v = &d->nodes[c];
    if(v->kind == BX_VALUE)
      bx_value_fmt(tmp, v->vtype, v->data, v->len, BXF_TEXT);
    else if(v->kind == BX_CDATA)
      bx_value_fmt(tmp, BXT_STRING, v->data, v->len, BXF_TEXT);
  }
  if(tmp->err)
    return NULL;
  *len = tmp->len;
  return rift_batch_str(b, tmp->buf, tmp->len);
}

static int is_int_type(uint8_t t)
{
  return t == BXT_U8 || t == BXT_I8 || t == BXT_U16 || t == BXT_I16 ||
         t == BXT_U32 || t == BXT_I32 || t == BXT_U64 || t == BXT_I64;
}

/* Add one data field named prefix+name with the node's content. */
static rift_err add_data(struct rift_batch *b, struct rift_event *ev,
                         struct rift_buf *tmp, struct rift_buf *name,
                         const struct bx_doc *d, const struct bx_node *n,
                         uint32_t id)
{
  const struct bx_node *v = first_value(d, n);
  if(!id)
    id = rift_field_id(name->buf, name->len);
  const char *s;
  size_t len;
  if(!id)
    return RIFT_LIMIT;
  if(v && !v->next && is_int_type(v->vtype)) {
    uint64_t u = value_uint(v);
    switch(v->vtype) {
    case BXT_I8: return rift_event_add_int(b, ev, id, (int8_t)u);
    case BXT_I16: return rift_event_add_int(b, ev, id, (int16_t)u);
    case BXT_I32: return rift_event_add_int(b, ev, id, (int32_t)u);
    case BXT_I64: return rift_event_add_int(b, ev, id, (int64_t)u);
    default: return rift_event_add_uint(b, ev, id, u);
    }
  }
  s = text_of(b, tmp, d, n, &len);
  if(!s)
    return tmp->err ? tmp->err : b->arena.err;
  return rift_event_add_strref(b, ev, id, s, len);
}

#define MAX_UD_DEPTH 8

/* UserData (and nested elements in EventData) flattened to dotted names. */
static rift_err add_tree(struct rift_batch *b, struct rift_event *ev,
                         struct rift_buf *tmp, struct rift_buf *name,
                         const struct bx_doc *d, const struct bx_node *e,
                         int depth)
{
  uint32_t c, a;
  size_t keep = name->len;
  rift_err rc = RIFT_OK;
  int has_elem = 0;
  if(depth > MAX_UD_DEPTH)
    return RIFT_OK;
  for(a = e->attr; a && !rc; a = d->nodes[a].next) {
    rift_buf_setlen(name, keep);
    rift_buf_addch(name, '.');
    rift_buf_add(name, d->nodes[a].name->s, d->nodes[a].name->len);
    rc = add_data(b, ev, tmp, name, d, &d->nodes[a], 0);
  }
  for(c = e->child; c && !rc; c = d->nodes[c].next) {
    const struct bx_node *cn = &d->nodes[c];
    if(cn->kind != BX_ELEM)
      continue;
    has_elem = 1;
    rift_buf_setlen(name, keep);
    rift_buf_addch(name, '.');
    rift_buf_add(name, cn->name->s, cn->name->len);
    rc = add_tree(b, ev, tmp, name, d, cn, depth + 1);
  }
  rift_buf_setlen(name, keep);
  if(!rc && !has_elem && first_value(d, e))
    rc = add_data(b, ev, tmp, name, d, e, 0);
  return rc ? rc : name->err;
}

static rift_err add_event_data(struct rift_batch *b, struct rift_event *ev,
                               struct rift_buf *tmp, struct rift_buf *name,
                               const struct bx_doc *d, const struct bx_node *ed)
{
  uint32_t c, unnamed = 0;
  rift_err rc = RIFT_OK;
  for(c = ed->child; c && !rc; c = d->nodes[c].next) {
    const struct bx_node *cn = &d->nodes[c];
    const struct bx_node *na;
    if(cn->kind != BX_ELEM)
      continue;
    rift_buf_reset(name);
    rift_buf_adds(name, "winlog.event_data.");
    if(cn->name->known == BXN_DATA && (na = attr_of(d, cn, BXN_NAME))) {
      const struct bx_node *kv = bx_at(d, na->child);
      struct bx_name *kn = kv && !kv->next && kv->kind == BX_VALUE
                             ? (struct bx_name *)kv->name : NULL;
      if(kn && kn->field) {
        /* the Name literal of the template: field id cached per chunk */
        rc = add_data(b, ev, tmp, name, d, cn, kn->field);
        continue;
      }
      {
        size_t klen;
        const char *k = text_of(b, tmp, d, na, &klen);
        if(!k)
          return RIFT_NOMEM;
        rift_buf_add(name, k, klen);
      }
      if(kn) {
        kn->field = rift_field_id(name->buf, name->len);
        rc = add_data(b, ev, tmp, name, d, cn, kn->field);
      }
      else {
        rc = add_data(b, ev, tmp, name, d, cn, 0);
      }
    }
    else if(cn->name->known == BXN_DATA) {
      /* unnamed <Data>: param1, param2... as Windows' renderer names them */
      rift_buf_addf(name, "param%u", ++unnamed);
      rc = add_data(b, ev, tmp, name, d, cn, 0);
    }
    else {
      rift_buf_add(name, cn->name->s, cn->name->len);
      rc = add_tree(b, ev, tmp, name, d, cn, 1);
    }
  }
  return rc;
}

rift_err rift_evtx_to_event(struct rift_batch *b, struct rift_event *ev,
                            const struct rift_evtx_record *r)
{
  const struct bx_doc *d = rift_evtx_record_doc(r);
  const struct bx_node *root = NULL;
  struct rift_buf tmp, name;
  uint32_t i, c;
  rift_err rc = RIFT_OK;

  ev->kind = RIFT_KIND_EVTX;
  if(!d)
    return r->ctx->last_rc ? r->ctx->last_rc : RIFT_CORRUPT;
  for(i = d->root; i; i = d->nodes[i].next) {
    if(d->nodes[i].kind == BX_ELEM) {
      root = &d->nodes[i];
      break;
    }
  }
  ev->offset = r->offset;
  ev->record_id = r->record_id;
  ev->ts = rift_filetime_to_ns(r->written);
  if(!root)
    return RIFT_CORRUPT;
  rift_buf_init(&tmp, RIFT_BUF_MAX_RECORD);
  rift_buf_init(&name, 4096);
  for(c = root->child; c && !rc; c = d->nodes[c].next) {
    const struct bx_node *sec = &d->nodes[c];
    uint32_t s;
    if(sec->kind != BX_ELEM)
      continue;
    if(sec->name->known == BXN_SYSTEM) {
      for(s = sec->child; s && !rc; s = d->nodes[s].next) {
        const struct bx_node *n = &d->nodes[s], *v, *a;
        size_t len;
        const char *t;
        if(n->kind != BX_ELEM)
          continue;
        switch(n->name->known) {
        case BXN_PROVIDER:
          if((a = attr_of(d, n, BXN_NAME)) && (t = text_of(b, &tmp, d, a, &len))) {
            ev->provider = t;
            rc = rift_event_add_strref(b, ev, RIFT_F_WINLOG_PROVIDER_NAME, t, len);
          }
          if(!rc && (a = attr_of(d, n, BXN_GUID)) &&
             (t = text_of(b, &tmp, d, a, &len)))
            rc = rift_event_add_strref(b, ev, RIFT_F_WINLOG_PROVIDER_GUID, t, len);
          break;
        case BXN_EVENTID:
          if((v = first_value(d, n)) && value_uint(v) != UINT64_MAX) {
            uint64_t id = value_uint(v);
            char num[24];
            ev->code = rift_batch_str(b, num, rift_fmt_u64(num, id));
            rc = rift_event_add_uint(b, ev, RIFT_F_WINLOG_EVENT_ID, id);
          }
          else if((t = text_of(b, &tmp, d, n, &len))) {
            ev->code = t;
            rc = rift_event_add_strref(b, ev, RIFT_F_WINLOG_EVENT_ID, t, len);
          }
          break;
        case BXN_VERSION:
        case BXN_LEVEL:
        case BXN_TASK:
        case BXN_OPCODE:
          if((v = first_value(d, n)) && value_uint(v) != UINT64_MAX)
            rc = rift_event_add_uint(b, ev,
                                     n->name->known == BXN_VERSION ? RIFT_F_WINLOG_VERSION
                                     : n->name->known == BXN_LEVEL ? RIFT_F_WINLOG_LEVEL
                                     : n->name->known == BXN_TASK ? RIFT_F_WINLOG_TASK
                                     : RIFT_F_WINLOG_OPCODE,
                                     value_uint(v));
          break;
        case BXN_KEYWORDS:
          if((t = text_of(b, &tmp, d, n, &len)))
            rc = rift_event_add_strref(b, ev, RIFT_F_WINLOG_KEYWORDS, t, len);
          break;
        case BXN_TIMECREATED:
          if((a = attr_of(d, n, BXN_SYSTEMTIME)) && (v = first_value(d, a))) {
            if(v->vtype == BXT_FILETIME && v->len >= 8) {
              int64_t ns = rift_filetime_to_ns(rift_le64(v->data));
              if(ns != RIFT_TIME_NONE)
                ev->ts = ns;
            }
            else if((t = text_of(b, &tmp, d, a, &len))) {
              int64_t ns;
              if(!rift_time_parse(t, len, &ns))
                ev->ts = ns;
            }
          }
          break;
        case BXN_EVENTRECORDID:
          if((v = first_value(d, n)) && value_uint(v) != UINT64_MAX) {
            ev->record_id = value_uint(v);
            rc = rift_event_add_uint(b, ev, RIFT_F_WINLOG_RECORD_ID, ev->record_id);
          }
          break;
        case BXN_CORRELATION:
          if((a = attr_of(d, n, BXN_ACTIVITYID)) && (t = text_of(b, &tmp, d, a, &len)))
            rc = rift_event_add_strref(b, ev, RIFT_F_WINLOG_ACTIVITY_ID, t, len);
          if(!rc && (a = attr_of(d, n, BXN_RELATEDACTIVITYID)) &&
             (t = text_of(b, &tmp, d, a, &len)))
            rc = rift_event_add_strref(b, ev, RIFT_F_WINLOG_RELATED_ACTIVITY_ID, t, len);
          break;
        case BXN_EXECUTION:
          if((a = attr_of(d, n, BXN_PROCESSID)) && (v = first_value(d, a)) &&
             value_uint(v) != UINT64_MAX)
            rc = rift_event_add_uint(b, ev, RIFT_F_WINLOG_PROCESS_PID, value_uint(v));
          if(!rc && (a = attr_of(d, n, BXN_THREADID)) && (v = first_value(d, a)) &&
             value_uint(v) != UINT64_MAX)
            rc = rift_event_add_uint(b, ev, RIFT_F_WINLOG_PROCESS_TID, value_uint(v));
          break;
        case BXN_CHANNEL:
          if((t = text_of(b, &tmp, d, n, &len)))
            rc = rift_event_add_strref(b, ev, RIFT_F_WINLOG_CHANNEL, t, len);
          break;
        case BXN_COMPUTER:
          if((t = text_of(b, &tmp, d, n, &len))) {
            ev->host = t;
            rc = rift_event_add_strref(b, ev, RIFT_F_WINLOG_COMPUTER, t, len);
          }
          break;
        case BXN_SECURITY:
          if((a = attr_of(d, n, BXN_USERID)) && (t = text_of(b, &tmp, d, a, &len)))
            rc = rift_event_add_strref(b, ev, RIFT_F_WINLOG_USER_IDENTIFIER, t, len);
          break;
        default:
          break;
        }
      }
    }
    else if(sec->name->known == BXN_EVENTDATA) {
      rc = add_event_data(b, ev, &tmp, &name, d, sec);
    }
    else if(sec->name->known == BXN_USERDATA) {
      rift_buf_reset(&name);
      rift_buf_adds(&name, "winlog.user_data");
      for(s = sec->child; s && !rc; s = d->nodes[s].next) {
        /* skip the wrapper element named after the provider's schema */
        if(d->nodes[s].kind == BX_ELEM)
          rc = add_tree(b, ev, &tmp, &name, d, &d->nodes[s], 1);
      }
    }
  }
  rift_buf_release(&tmp);
  rift_buf_release(&name);
  return rc;
}

/* ---- the whole file to events (format.h) ------------------------------- */

#include "core/pool.h"
#include "fmt/format.h"

/* Problems met on a worker, replayed to the caller's diag in file order. */
struct pmsg {
  enum rift_diag_level level;
  rift_err code;
  uint64_t offset;
  char text[200];
};

/* One runner writes a slot for every record: cache-line aligned, so two
 * runners never share a line (see rift_pool_map_ordered). */
struct pslot {
  _Alignas(64) struct rift_evtx_ctx *ctx;
  struct rift_batch batch;
  struct pmsg *msgs;
  size_t nmsgs, capmsgs, dropped;
  struct rift_evtx_stats st;
  rift_err rc;
};

struct pjob {
  struct rift_evtx evtx;
  const struct rift_parse_opts *o;
  struct rift_event_sink *sink;
  struct rift_diag *d;
  struct rift_parse_stats *st;
  rift_err rc;
  uint64_t forgot; /* bytes of the file dropped from memory */
};

#define MAX_CHUNK_MSGS 256

static void pcollect(void *ctx, const struct rift_diag_msg *m)
{
  struct pslot *s = ctx;
  struct pmsg *pm;
  if(s->nmsgs >= MAX_CHUNK_MSGS ||
     rift_grow((void **)&s->msgs, &s->capmsgs, s->nmsgs + 1, sizeof(*s->msgs), 8)) {
    s->dropped++;
    return;
  }
  pm = &s->msgs[s->nmsgs++];
  pm->level = m->level;
  pm->code = m->code;
  pm->offset = m->offset;
  snprintf(pm->text, sizeof(pm->text), "%s", m->text);
}

struct prec {
  struct pslot *s;
  const struct rift_parse_opts *o;
};

static rift_err prec_cb(void *arg, const struct rift_evtx_record *r)
{
  struct prec *pr = arg;
  struct rift_batch *b = &pr->s->batch;
  struct rift_event *ev = rift_batch_add(b);
  rift_err rc;
  if(!ev)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  rc = rift_evtx_to_event(b, ev, r);
  if(rc == RIFT_NOMEM)
    return rc;
  ev->file_id = pr->o->file_id;
  if(!ev->host && pr->o->host_hint)
    ev->host = pr->o->host_hint;
  if(pr->o->path)
    rc = rift_event_add_strref(b, ev, RIFT_F_LOG_FILE_PATH, pr->o->path,
                               strlen(pr->o->path));
  if(!rc && r->carved)
    rc = rift_event_add_bool(b, ev, rift_field_id("rift.carved", 11), 1);
  return rc == RIFT_NOMEM ? rc : RIFT_OK;
}

static void pwork(void *ctx, size_t i, void *slotp)
{
  struct pjob *j = ctx;
  struct pslot *s = slotp;
  struct rift_diag d;
  struct prec pr = { s, j->o };
  struct rift_evtx_job jb;
  size_t last;
  rift_batch_clear(&s->batch);
  s->nmsgs = s->dropped = 0;
  memset(&s->st, 0, sizeof(s->st));
  rift_diag_init(&d, j->o->path, pcollect, s);
  rift_evtx_job(&j->evtx, i, &jb);
  s->rc = rift_evtx_job_run(&j->evtx, s->ctx, &jb, j->o->flags, prec_cb, &pr, &d,
                            &s->st, &last);
  if(!s->rc && s->batch.n && j->sink->prepare)
    s->rc = j->sink->prepare(j->sink->ctx, &s->batch);
}

static void pemit(void *ctx, size_t i, void *slotp)
{
  struct pjob *j = ctx;
  struct pslot *s = slotp;
  struct rift_evtx_job jb;
  size_t k;
  rift_evtx_job(&j->evtx, i, &jb);
  for(k = 0; k < s->nmsgs; k++)
    rift_diag_report(j->d, s->msgs[k].level, s->msgs[k].code,
                     s->msgs[k].offset, "%s", s->msgs[k].text);
  if(s->dropped)
    rift_diag_report(j->d, RIFT_DIAG_WARN, RIFT_LIMIT, UINT64_MAX,
                     "chunks %zu-%zu: %zu more problems not shown",
                     jb.first, jb.end - 1, s->dropped);
  j->st->records += s->st.records + s->st.carved;
  j->st->errors += s->st.bad_records + s->st.bad_chunks;
  j->st->recovered += s->st.carved;
  if(s->rc && !j->rc)
    j->rc = s->rc;
  if(!j->rc && s->batch.n)
    j->rc = j->sink->batch(j->sink->ctx, &s->batch);
  /* jobs are emitted in file order: what lies before this one's end is
   * parsed and will not be read again */
  rift_source_forget_behind(j->evtx.src, &j->forgot, jb.off + jb.len);
}

rift_err rift_evtx_parse(const struct rift_source *src,
                         const struct rift_parse_opts *o,
                         struct rift_event_sink *sink, struct rift_diag *d,
                         struct rift_parse_stats *st)
{
  struct pjob j;
  struct rift_pool *pool = o->pool, *own = NULL;
  struct pslot *slots;
  void **slotp;
  size_t window, k;
  rift_err rc;
  memset(&j, 0, sizeof(j));
  j.o = o;
  j.sink = sink;
  j.d = d;
  j.st = st;
  rc = rift_evtx_open(&j.evtx, src, d);
  if(rc) {
    st->errors++;
    return RIFT_OK; /* reported: not an EVTX file, nothing to read */
  }
  if(!pool) {
    rc = rift_pool_init(&own, o->threads);
    if(rc)
      return rc;
    pool = own;
  }
  window = rift_pool_threads(pool) > 1 ? rift_pool_threads(pool) * 3 : 1;
  slots = rift_pool_slots(window, sizeof(*slots), &slotp);
  if(!slots) {
    rc = RIFT_NOMEM;
    goto out;
  }
  for(k = 0; k < window; k++) {
    rc = rift_evtx_ctx_new(&slots[k].ctx);
    if(rc)
      goto out;
    rift_batch_init(&slots[k].batch);
  }
  rc = rift_pool_map_ordered(pool, rift_evtx_jobs(&j.evtx), window, pwork, pemit,
                             &j, slotp);
  if(!rc)
    rc = j.rc;
out:
  if(slots) {
    for(k = 0; k < window; k++) {
      rift_evtx_ctx_free(&slots[k].ctx);
      rift_batch_release(&slots[k].batch);
      free(slots[k].msgs);
    }
  }
  rift_pool_slots_free(slots, slotp);
  rift_pool_free(&own);
  return rc;
}
