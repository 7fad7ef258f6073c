/*
 * evsrc.h - where the analytics commands (proctree, logons, endpoint) get
 * their events: evidence files and folders, parsed on the fly with the
 * format registry, or a case (a folder holding case.db, or a case.db)
 * read back from the case store when rift is built with src/store/.
 *
 * Evidence files get file ids 1, 2, ... in the order read; a case's
 * events keep the ids of the case's manifest.  Either way evsrc_path()
 * maps an id back to the input's path for output.  A case is read alone
 * (not mixed with evidence files).
 */
#ifndef RIFT_EVSRC_H
#define RIFT_EVSRC_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"
#include "core/finding.h"

#define EVSRC_MAX_FILES 100000 /* inputs in one run (folders included) */

struct evsrc {
  unsigned threads;   /* parser threads, 0 = one per CPU */
  int quiet;          /* no damaged-input reports on stderr */
  /* filled while reading */
  char **paths;       /* paths[file_id - 1] */
  uint32_t npaths;
  uint64_t events;
  int input_errors;   /* some input was damaged or unreadable */
  char *case_db;      /* the case.db read, NULL for evidence */
};

/* Is path a case (a folder with case.db, or an SQLite file)?  Fills db. */
int evsrc_is_case(const char *path, char *db, size_t cap);
/* Does this rift read cases (built with the case store)? */
int evsrc_have_store(void);

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
struct rift_eprules;
/* The endpoint engine over the evidence: load the endpoint rules from
 * rdir (NULL: the built-in copy; skipped when load is 0, leaving *rules
 * NULL), initialise *ep with the detectors in `what` and feed it every
 * event of inputs.  Dies on failure.  The caller finishes and releases
 * *ep and frees *rules. */
void evsrc_endpoint(struct evsrc *s, char **inputs, int n, int load,
                    const char *rdir, unsigned what,
                    struct rift_eprules **rules, struct rift_endpoint *ep);
/* Warn on stderr about anything the analytics dropped at a cap. */
void endpoint_report_limits(const struct rift_endpoint *ep);

/* Saving findings into the case that was read (nothing for evidence):
 * evsave_start() deletes the case's findings of the detectors named in
 * `source` (comma-separated: an earlier run's) and returns a sink that
 * writes each finding into the case and passes it on to next; NULL when
 * there is no case. */
struct evsave;
struct evsave *evsave_start(const struct evsrc *s, const char *source,
                            struct rift_finding_sink *next,
                            struct rift_finding_sink *out);
/* Finish writing (prints how many findings were saved). */
void evsave_finish(struct evsave **sv);

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

void findout_init(struct findout *o, const struct evsrc *src, int jsonl);
void findout_sink(struct findout *o, struct rift_finding_sink *sink);
/* Append one finding as JSON (no newline) to b. */
void finding_json(struct rift_buf *b, const struct rift_finding *f,
                  const struct evsrc *src);
void findout_flush(struct findout *o);
void findout_release(struct findout *o);

#endif
