/*
 * format.h - the table of artifact formats rift reads.
 *
 * Each format in src/fmt/ (and src/net/ for captures) registers one entry
 * in RIFT_FORMATS below: a sniff function that recognises the artifact by
 * magic bytes and path (never by extension alone), and a parse function
 * that turns it into batches of struct rift_event handed to an event sink,
 * in order.  Parsers know nothing of SQLite, Sigma or outputs.
 *
 * Adding a format = one file in fmt/ + one line in RIFT_FORMATS + its
 * mapping to ECS in map/.
 */
#ifndef RIFT_FORMAT_H
#define RIFT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/event.h"
#include "source/source.h"

/* Where parsed events go.
 *   prepare() (may be NULL) runs on parser worker threads, concurrently,
 *     on each batch as soon as it is parsed: per-event work that needs no
 *     order (ECS normalisation, Sigma matching).  It must be thread-safe.
 *   batch() runs in input order, one call at a time, but not always on the
 *     caller's thread (any of the parser's threads may run it): it must not
 *     keep per-thread state that outlives the thread.
 * The batch (and its arena) is reused after batch() returns, so a sink
 * copies what it keeps.  Returning an error stops the parse. */
struct rift_event_sink {
  rift_err (*prepare)(void *ctx, struct rift_batch *b);
  rift_err (*batch)(void *ctx, struct rift_batch *b);
  void *ctx;
};

struct rift_pool;

struct rift_parse_opts {
  uint32_t file_id;      /* case manifest id of this input */
  struct rift_pool *pool;/* worker threads to use (NULL: the parser starts
                            `threads` of its own) */
  const char *path;      /* path shown to users and stored as log.file.path */
  unsigned threads;      /* parser threads (0 = one per CPU) */
  unsigned flags;        /* format-specific (e.g. RIFT_EVTX_CARVE) */
  const char *host_hint; /* host name when the artifact has none */
  /* progress (may be NULL): called on the parsing thread now and then with
   * the bytes of the input read so far and its size */
  void (*progress)(void *ctx, uint64_t done, uint64_t total);
  void *progress_ctx;
};

/* Counts a parse reports (the case manifest stores them). */
struct rift_parse_stats {
  uint64_t records;      /* events emitted */
  uint64_t errors;       /* damaged records/chunks reported and skipped */
  uint64_t recovered;    /* carved or recovered records */
};

struct rift_format {
  const char *name;      /* "evtx", "pcap", "zeek", ... (manifest "format") */
  const char *parser;    /* parser name and version for the manifest */
  /* 0 = not this format; higher = more certain.  head is the first bytes
   * of the input (at most 4096), size its full size. */
  int (*sniff)(const uint8_t *head, size_t n, const char *path, uint64_t size);
  rift_err (*parse)(const struct rift_source *src,
                    const struct rift_parse_opts *o,
                    struct rift_event_sink *sink, struct rift_diag *d,
                    struct rift_parse_stats *st);
};

/* The registered formats, NULL-terminated. */
extern const struct rift_format *const rift_formats[];

/* The best format for an input, or NULL. */
const struct rift_format *rift_format_sniff(const uint8_t *head, size_t n,
                                            const char *path, uint64_t size);
const struct rift_format *rift_format_find(const char *name);

/* The format an input's file name claims by its extension (".evtx" ->
 * "evtx"), or NULL.  Recognition never trusts names; this only lets a
 * caller report an input that claims a format and is not one. */
const char *rift_format_claimed(const char *path);

#endif
