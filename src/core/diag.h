/*
 * diag.h - human-readable context for errors and damaged input.
 *
 * Library code never prints.  Parsers that meet corrupt input report it
 * through a struct rift_diag the caller passes in (NULL = discard) and go
 * on: corruption is data, not failure.  The caller decides where reports
 * go (stderr, the case manifest, a test's list).
 *
 * In debug builds RIFT_CORRUPT_BKPT records the source line that detected
 * the corruption (SQLite's SQLITE_CORRUPT_BKPT), shown in the report.
 */
#ifndef RIFT_DIAG_H
#define RIFT_DIAG_H

#include <stdint.h>

#include "core/err.h"

enum rift_diag_level { RIFT_DIAG_WARN, RIFT_DIAG_ERROR };

struct rift_diag_msg {
  enum rift_diag_level level;
  rift_err code;
  const char *path;   /* input file, may be NULL */
  uint64_t offset;    /* byte offset in the input, UINT64_MAX = none */
  const char *text;   /* lowercase, no full stop */
};

struct rift_diag {
  void (*report)(void *ctx, const struct rift_diag_msg *m);
  void *ctx;
  const char *path;   /* set by the caller: the input being read */
  unsigned long warnings, errors;
};

void rift_diag_init(struct rift_diag *d, const char *path,
                    void (*report)(void *, const struct rift_diag_msg *),
                    void *ctx);
void rift_diag_report(struct rift_diag *d, enum rift_diag_level level,
                      rift_err code, uint64_t offset, const char *fmt, ...)
  __attribute__((format(printf, 5, 6)));
/* A report function printing "rift: PATH: offset 0x..: TEXT" on stderr. */
void rift_diag_stderr(void *ctx, const struct rift_diag_msg *m);

#ifdef RIFT_DEBUG
rift_err rift_corrupt_bkpt(const char *file, int line);
#define RIFT_CORRUPT_BKPT rift_corrupt_bkpt(__FILE__, __LINE__)
#else
#define RIFT_CORRUPT_BKPT RIFT_CORRUPT
#endif

#endif
