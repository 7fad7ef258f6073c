/*
 * store.h - the case database (CASE/case.db).
 *
 * src/store/ is the only code that includes sqlite3.h.  Everything else
 * talks to a case through this header:
 *
 *   - writing: a writer thread fed through a bounded queue of encoded row
 *     blocks (events, findings, inputs).  Parsers hand events to the
 *     writer through a struct rift_event_sink (rift_store_event_sink),
 *     detectors hand findings through a struct rift_finding_sink
 *     (rift_store_finding_sink).  Both sinks are thread-safe.
 *   - reading: events back as struct rift_event in time order and in
 *     batches (rift_store_iter_*), so that any detector that runs during a
 *     triage (Sigma, IOC) can also run later over a finished case
 *     (`rift hunt CASE`), and analytics (process trees, logons, network)
 *     can walk a case in bounded memory.
 *
 * The SQL schema is a public interface (users query it with `sqlite3`);
 * it is documented in docs/case-schema.md.  RIFT_STORE_SCHEMA_VERSION is
 * stored as PRAGMA user_version and bumped on any incompatible change.
 *
 * Threads: a struct rift_store belongs to one thread (the one that opened
 * it).  A writer owns its own connection on its own thread; every
 * iterator opens its own read-only connection, so reading a case while a
 * writer adds findings to it works (WAL).
 *
 * Errors: functions return rift_err; RIFT_DB carries an SQLite message
 * that rift_store_errmsg() returns until the next call.
 *
 * A detector over a finished case (`rift hunt CASE`) looks like this:
 *
 *   struct rift_store *s;
 *   struct rift_store_writer *w;
 *   struct rift_finding_sink fs;
 *   struct rift_store_filter f;
 *   struct rift_store_iter *it;
 *   struct rift_batch b;
 *   rift_store_open(&s, "CASE/case.db", RIFT_STORE_APPEND, &diag);
 *   rift_store_writer_start(s, 0, &w);       // findings go through it
 *   rift_store_finding_sink(w, &fs);
 *   rift_store_filter_init(&f);              // or a time range, a host
 *   rift_store_iter_open(s, &f, &it);
 *   rift_batch_init(&b);
 *   while(!rift_store_iter_next(it, &b, 4096) && b.n)
 *     detect(&b, &fs);                        // fs.emit() per hit
 *   rift_store_iter_free(&it);
 *   rift_batch_release(&b);
 *   rift_store_writer_finish(&w, NULL);      // links findings to events
 *   rift_store_free(&s);
 *
 * Events come back exactly as the triage stored them (ECS-mapped), so a
 * detector sees the same fields whether it runs during the triage (in
 * the event sink's prepare()) or later over the case.
 */
#ifndef RIFT_STORE_H
#define RIFT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/err.h"
#include "core/event.h"
#include "core/finding.h"
#include "fmt/format.h"

#define RIFT_STORE_SCHEMA_VERSION 1
#define RIFT_ECS_VERSION "8.11.0"

enum rift_store_mode {
  RIFT_STORE_READ,   /* an existing case, read only */
  RIFT_STORE_CREATE, /* a new case; RIFT_EXISTS if the file exists */
  RIFT_STORE_APPEND  /* an existing case, to add evidence or findings */
};

struct rift_store;

/* Open (or create) the case database at path.  d (may be NULL) gets the
 * reason on failure ("not a rift case", "schema version 2 is newer...").
 * On success *s must be freed with rift_store_free(). */
rift_err rift_store_open(struct rift_store **s, const char *path,
                         enum rift_store_mode mode, struct rift_diag *d);
void rift_store_free(struct rift_store **s);
/* The last SQLite error text of s, or "". */
const char *rift_store_errmsg(const struct rift_store *s);
const char *rift_store_path(const struct rift_store *s);

/* Case information (table case_info): key/value text. */
rift_err rift_store_info_set(struct rift_store *s, const char *key,
                             const char *value);
/* malloc'd copy of the value (caller frees), or NULL if absent. */
char *rift_store_info_get(struct rift_store *s, const char *key);

/* ---- inputs (the manifest) ------------------------------------------- */

/* One problem met while reading an input. */
struct rift_input_msg {
  enum rift_diag_level level;
  uint64_t offset;   /* UINT64_MAX = none */
  const char *text;
};

/* One evidence input: a file, or a member of an archive.  Its events
 * carry file_id == id. */
struct rift_input {
  uint32_t id;
  const char *path;      /* as the user knows it; archive members are
                            "ARCHIVE!member/path" */
  const char *container; /* the archive it came from, or NULL */
  uint64_t size;
  const char *sha256;    /* 64 lowercase hex digits, or NULL if unread */
  const char *format;    /* format name (format.h), NULL if unrecognised */
  const char *parser;    /* parser name and version, or NULL */
  uint64_t records, errors, recovered;
  const char *status;    /* "ok", "errors" (read with damage), "failed"
                            (nothing read), "skipped" (not a format rift
                            reads), "duplicate" (same bytes as another) */
  const char *error;     /* main reason when not ok, or NULL */
  const char *host;      /* host.name of its events, or NULL */
  int64_t added;         /* when it was added, ns UTC */
  const struct rift_input_msg *msgs; /* first problems, capped */
  size_t nmsgs;
};

#define RIFT_INPUT_MAX_MSGS 100

/* The smallest file id not used in the case yet (1 for a new case).
 * Ids handed out are reserved for this struct rift_store. */
uint32_t rift_store_next_file_id(struct rift_store *s);
/* The id of an input already in the case with these bytes, or 0. */
uint32_t rift_store_find_sha256(struct rift_store *s, const char *sha256);

/* Every input of the case in id order.  The struct is valid during fn
 * only.  fn returning non-zero stops the walk and is returned. */
rift_err rift_store_inputs(struct rift_store *s,
                           rift_err (*fn)(void *ctx,
                                          const struct rift_input *in),
                           void *ctx);

/* ---- writing ---------------------------------------------------------- */

struct rift_store_writer;

#define RIFT_STORE_BULK 0x1 /* a bulk load: synchronous=OFF until finish */

/* Start the writer thread on its own connection to s's database. */
rift_err rift_store_writer_start(struct rift_store *s, unsigned flags,
                                 struct rift_store_writer **w);

/* Queue an input row (insert or replace by id).  Copies everything. */
rift_err rift_store_put_input(struct rift_store_writer *w,
                              const struct rift_input *in);

/* Encode the events of b and queue them (blocks while the queue is full).
 * Thread-safe.  b is not kept. */
rift_err rift_store_put_batch(struct rift_store_writer *w,
                              const struct rift_batch *b);

/* An event sink (format.h) writing into the case.  Its prepare() runs
 * pre(prectx, b) first (ECS mapping, streaming detection; may be NULL),
 * then encodes the rows on the worker thread; batch() queues them in
 * input order.  The sink is valid until rift_store_writer_finish(). */
void rift_store_event_sink(struct rift_store_writer *w,
                           rift_err (*pre)(void *prectx, struct rift_batch *b),
                           void *prectx, struct rift_event_sink *out);

/* A finding sink writing findings and their supporting event references
 * into the case.  Thread-safe; emit() copies the finding. */
void rift_store_finding_sink(struct rift_store_writer *w,
                             struct rift_finding_sink *out);

struct rift_store_load_stats {
  uint64_t events, findings, inputs; /* rows written by this writer */
  double load_s, index_s;            /* seconds loading, then indexing */
  double write_s, wait_s;            /* of load_s, the writer thread's
                                        time inserting and waiting */
};

/* Drain the queue, stop the thread, then build what a bulk load defers:
 * indexes, the full-text index of the new rows, the links from findings
 * to the rowids of their events.  Frees *w and sets it to NULL.  Returns
 * the first error met by the writer, if any. */
rift_err rift_store_writer_finish(struct rift_store_writer **w,
                                  struct rift_store_load_stats *st);

/* ---- reading events ---------------------------------------------------- */

/* field NAME = VALUE (the value's text, compared exactly) */
struct rift_store_eq {
  const char *name;
  const char *value;
};

/* What to read.  Zero-initialise, then set what you need; RIFT_TIME_NONE
 * (set by rift_store_filter_init) means unbounded. */
struct rift_store_filter {
  int64_t from, to;         /* ts in [from, to] (ns UTC) */
  const char *host;         /* host.name, case-insensitive */
  const char *like;         /* case-insensitive substring of the message or
                               of any field's value (checked exactly with
                               rift_event_contains) */
  const char *fts;          /* FTS5 query over message and command line */
  const struct rift_store_eq *eq; /* all must hold */
  size_t neq;
  uint32_t file_id;         /* only this input (0 = all) */
  int unordered;            /* 1: rowid order (faster, no sort by time) */
};

void rift_store_filter_init(struct rift_store_filter *f);

struct rift_store_iter;

rift_err rift_store_iter_open(struct rift_store *s,
                              const struct rift_store_filter *f,
                              struct rift_store_iter **it);
/* Clear b and read up to max events into it, in time order (events
 * without a time first).  b->n == 0 means the end.  Each event comes back
 * as it was stored: core members, then its fields (log.file.path
 * included).  rift_store_iter_ids() gives the rowids (events.id) of the
 * events of the last batch, in the same order. */
rift_err rift_store_iter_next(struct rift_store_iter *it, struct rift_batch *b,
                              size_t max);
const int64_t *rift_store_iter_ids(const struct rift_store_iter *it);
void rift_store_iter_free(struct rift_store_iter **it);

/* Does s occur (ASCII case-insensitive) in the event's message or in the
 * text of any field value, log.file.path (the input's name) aside?  The
 * exact check behind filter.like, which only narrows the rows in SQL. */
int rift_event_contains(const struct rift_event *e, const char *s, size_t n);

/* Event count, first and last time of the whole case. */
struct rift_store_totals {
  uint64_t events, inputs, findings, hosts;
  int64_t first, last; /* RIFT_TIME_NONE if no event has a time */
};
rift_err rift_store_totals(struct rift_store *s, struct rift_store_totals *t);

/* ---- metrics ------------------------------------------------------------ */

enum rift_store_dim {
  RIFT_DIM_HOST,      /* key: host */
  RIFT_DIM_CHANNEL,   /* key: winlog channel (or dataset, or kind) */
  RIFT_DIM_EVENT_ID,  /* key: channel, key2: event.code */
  RIFT_DIM_PROVIDER,  /* key: provider */
  RIFT_DIM_KIND,      /* key: source kind (evtx, ...) */
  RIFT_DIM_LEVEL      /* findings: key: level name, n: findings */
};

struct rift_store_count {
  const char *key, *key2; /* "" when absent */
  uint64_t n;
  int64_t first, last;    /* RIFT_TIME_NONE if none */
};

/* Counts of events grouped by dim, largest first. */
rift_err rift_store_counts(struct rift_store *s, enum rift_store_dim dim,
                           rift_err (*fn)(void *ctx,
                                          const struct rift_store_count *c),
                           void *ctx);

/* Delete every finding of a detector (findings.source) and its links to
 * events, e.g. before `rift hunt CASE` stores a new Sigma hunt's.  The
 * store must be open for appending and no writer running. */
rift_err rift_store_delete_findings(struct rift_store *s, const char *source,
                                    uint64_t *deleted);

/* ---- reading findings --------------------------------------------------- */

/* A finding as stored, with where its supporting events came from. */
struct rift_store_finding {
  int64_t id;
  struct rift_finding f;        /* refs: its supporting events */
  const char *const *ref_paths; /* log.file.path of each ref (input path) */
  const int64_t *ref_event_ids; /* events.id of each ref, 0 if unresolved */
};

/* Every finding, ordered by time.  Valid during fn only. */
rift_err rift_store_findings(struct rift_store *s,
                             rift_err (*fn)(void *ctx,
                                            const struct rift_store_finding *f),
                             void *ctx);

#endif
