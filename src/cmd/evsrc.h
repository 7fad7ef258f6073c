/*
 * evsrc.h - where the analytics commands (proctree, logons, endpoint) get
 * their events: evidence files and folders, parsed on the fly with the
 * format registry, or (once the case store is built in) a case.
 *
 * Each input file gets a file id (1, 2, ... in the order read) that the
 * events and the findings' supporting references carry; evsrc_path()
 * maps it back to the path for output.
 */
#ifndef RIFT_EVSRC_H
#define RIFT_EVSRC_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"

#define EVSRC_MAX_FILES 100000 /* inputs in one run (folders included) */
#define EVSRC_MAX_DEPTH 32     /* folder nesting walked */

struct evsrc {
  unsigned threads;   /* parser threads, 0 = one per CPU */
  int quiet;          /* no damaged-input reports on stderr */
  /* filled while reading */
  char **paths;       /* paths[file_id - 1] */
  uint32_t npaths;
  uint64_t events;
  int input_errors;   /* some input was damaged or unreadable */
};

typedef rift_err (*evsrc_fn)(void *ctx, struct rift_batch *b);

/* Read every input (files; folders walked for files of a known format)
 * and hand each batch of events to fn, file after file, each file in
 * record order.  Returns RIFT_OK, or the first error fn returned (inputs
 * that cannot be read are reported on stderr and counted in
 * input_errors). */
rift_err evsrc_read(struct evsrc *s, char **inputs, int n, evsrc_fn fn,
                    void *ctx);
/* The path of a file id, or "?". */
const char *evsrc_path(const struct evsrc *s, uint32_t file_id);
void evsrc_release(struct evsrc *s);

struct rift_endpoint;
/* Warn on stderr about anything the analytics dropped at a cap. */
void endpoint_report_limits(const struct rift_endpoint *ep);

/* Findings as the analytics commands print them: a finding sink writing
 * one JSON object per line (jsonl) or one line of text per finding, to
 * stdout, buffered; min_level drops findings below it. */
struct findout {
  const struct evsrc *src;
  int jsonl;
  int min_level;
  const char *record;   /* "record" member added to JSON lines, or NULL */
  struct rift_buf b;
  uint64_t n;
  int failed;
};

#include "core/finding.h"

void findout_init(struct findout *o, const struct evsrc *src, int jsonl);
void findout_sink(struct findout *o, struct rift_finding_sink *sink);
/* Append one finding as JSON (no newline) to b. */
void finding_json(struct rift_buf *b, const struct rift_finding *f,
                  const struct evsrc *src);
void findout_flush(struct findout *o);
void findout_release(struct findout *o);

#endif
