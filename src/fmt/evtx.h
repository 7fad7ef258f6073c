/*
 * evtx.h - Windows XML Event Log (EVTX) reader.
 *
 * Our own parser of the EVTX format: file header, 64 KiB chunks, their
 * string and template tables, BinXML (binxml.c) with every token and value
 * type, substitution arrays including nested BinXML.  Templates are
 * compiled once per chunk; records are instantiated into a small node tree
 * and rendered straight into output buffers (JSON in the shape of the Rust
 * evtx crate's evtx_dump, XML like libevtx's evtxexport) or into rift
 * events.
 *
 * Damage is data: a bad chunk or record is reported through the caller's
 * rift_diag (file, chunk, offset, reason) and skipped; everything else in
 * the file is still read.  Chunk slack can be carved for deleted records.
 *
 * Thread model: a struct rift_evtx is read-only after open and may be
 * shared; each thread parses chunks with its own struct rift_evtx_ctx.
 */
#ifndef RIFT_EVTX_H
#define RIFT_EVTX_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/event.h"
#include "source/source.h"

#define RIFT_EVTX_HEADER_SIZE 4096
#define RIFT_EVTX_CHUNK_SIZE 65536

/* File header flags */
#define RIFT_EVTX_FLAG_DIRTY 0x1
#define RIFT_EVTX_FLAG_FULL 0x2

struct rift_evtx_header {
  uint64_t first_chunk, last_chunk, next_record_id;
  uint32_t header_size;
  uint16_t minor, major, block_size, nchunks;
  uint32_t flags;
  uint32_t crc;
  int crc_ok;
  int valid; /* magic present */
};

struct rift_evtx {
  const struct rift_source *src;
  struct rift_evtx_header hdr;
  size_t nslots; /* 64 KiB chunk slots after the header */
};

enum rift_evtx_format { RIFT_EVTX_JSON, RIFT_EVTX_JSON_PRETTY, RIFT_EVTX_XML };

struct rift_evtx_ctx;

/* One record, valid during the callback only.  doc is the record's tree;
 * with RIFT_EVTX_LAZY it is NULL until rift_evtx_record_doc() (or a
 * render that needs it) builds it. */
struct rift_evtx_record {
  uint64_t record_id;
  uint64_t written;      /* FILETIME from the record header */
  uint64_t offset;       /* file offset of the record header */
  size_t chunk;          /* chunk slot index */
  int carved;            /* recovered from chunk slack */
  const struct bx_doc *doc;
  struct rift_evtx_ctx *ctx;
  uint32_t data_off, data_len; /* BinXML fragment, chunk-relative */
};

/* The record's tree, built on first use; NULL if its BinXML is damaged
 * (the callback should then return RIFT_CORRUPT: the record is reported
 * and counted as bad). */
const struct bx_doc *rift_evtx_record_doc(const struct rift_evtx_record *r);

/* Per-thread parsing state (template and name caches, arenas). */

rift_err rift_evtx_ctx_new(struct rift_evtx_ctx **c);
void rift_evtx_ctx_free(struct rift_evtx_ctx **c);

/* Read and check the file header.  A file without the header magic but
 * with chunks is still accepted (reported as a warning). */
rift_err rift_evtx_open(struct rift_evtx *e, const struct rift_source *src,
                        struct rift_diag *d);

/* Chunk statistics of one parse. */
struct rift_evtx_stats {
  uint64_t records, bad_records, carved, bad_chunks, empty_chunks;
};

typedef rift_err (*rift_evtx_record_fn)(void *arg,
                                        const struct rift_evtx_record *r);

/* Chunks are parsed in parallel in jobs of consecutive chunks: 16 at a time
 * (fewer hand-offs between threads, still small output per job), the last
 * ones 4 at a time so that the threads finish together. */
#define RIFT_EVTX_CHUNKS_PER_JOB 16
#define RIFT_EVTX_TAIL_CHUNKS 32
#define RIFT_EVTX_CHUNKS_PER_TAIL_JOB 4

struct rift_evtx_job {
  size_t first, end; /* chunk slots [first, end) */
  uint64_t off, len; /* their bytes in the file */
};

/* Number of jobs, and job i of the file. */
size_t rift_evtx_jobs(const struct rift_evtx *e);
void rift_evtx_job(const struct rift_evtx *e, size_t i, struct rift_evtx_job *jb);

#define RIFT_EVTX_CARVE 0x1
#define RIFT_EVTX_LAZY 0x2   /* build trees only when asked: renders can
                                replay recorded programs instead */

/* Parse chunk slot i and call fn for every good record, in order.
 * Problems go to d.  Returns RIFT_OK unless fn failed or memory ran out. */
rift_err rift_evtx_chunk(const struct rift_evtx *e, struct rift_evtx_ctx *c,
                         size_t i, unsigned flags, rift_evtx_record_fn fn,
                         void *arg, struct rift_diag *d,
                         struct rift_evtx_stats *st);

/* Parse the chunks of a job (rift_evtx_chunk on each, after mapping them in
 * with one call), until one fails; *last is the last chunk tried. */
rift_err rift_evtx_job_run(const struct rift_evtx *e, struct rift_evtx_ctx *c,
                           const struct rift_evtx_job *jb, unsigned flags,
                           rift_evtx_record_fn fn, void *arg,
                           struct rift_diag *d, struct rift_evtx_stats *st,
                           size_t *last);

/* Render a record (from a recorded program when the record's shape was
 * seen before in the chunk, else from its tree).  RIFT_CORRUPT if the
 * record's BinXML is damaged. */
rift_err rift_evtx_render(struct rift_buf *out, const struct rift_evtx_record *r,
                          enum rift_evtx_format fmt);

/* Fill a rift event from a record: time, host, record id, event.code and
 * event.provider, winlog.* fields and winlog.event_data.<Name> (or
 * winlog.user_data.<path>) for the data.  ECS mapping happens later
 * (map/).  path_id is the input's file id in the case. */
rift_err rift_evtx_to_event(struct rift_batch *b, struct rift_event *ev,
                            const struct rift_evtx_record *r);

struct rift_parse_opts;
struct rift_event_sink;
struct rift_parse_stats;

/* The whole file to events (format.h): chunks in parallel, records turned
 * into events with rift_evtx_to_event (log.file.path, file id and host set
 * from opts), batches handed to the sink in file order. */
rift_err rift_evtx_parse(const struct rift_source *src,
                         const struct rift_parse_opts *o,
                         struct rift_event_sink *sink, struct rift_diag *d,
                         struct rift_parse_stats *st);

/* Magic check for sniffing: does p start like an EVTX file or chunk? */
int rift_evtx_sniff(const uint8_t *p, size_t len);

#endif
