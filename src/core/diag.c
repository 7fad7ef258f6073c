#include <stdarg.h>
#include <stdio.h>

#include "core/diag.h"

void rift_diag_init(struct rift_diag *d, const char *path,
                    void (*report)(void *, const struct rift_diag_msg *),
                    void *ctx)
{
  d->report = report;
  d->ctx = ctx;
  d->path = path;
  d->warnings = d->errors = 0;
}

#ifdef RIFT_DEBUG
static _Thread_local const char *bkpt_file;
static _Thread_local int bkpt_line;

rift_err rift_corrupt_bkpt(const char *file, int line)
{
  bkpt_file = file;
  bkpt_line = line;
  return RIFT_CORRUPT;
}
#endif

void rift_diag_report(struct rift_diag *d, enum rift_diag_level level,
                      rift_err code, uint64_t offset, const char *fmt, ...)
{
  struct rift_diag_msg m;
  char text[512];
  va_list ap;
  int n;
  if(!d)
    return;
  if(level == RIFT_DIAG_ERROR)
    d->errors++;
  else
    d->warnings++;
  if(!d->report)
    return;
  va_start(ap, fmt);
  n = vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
#ifdef RIFT_DEBUG
  if(code == RIFT_CORRUPT && bkpt_file && n >= 0 && (size_t)n < sizeof(text))
    snprintf(text + n, sizeof(text) - (size_t)n, " [%s:%d]", bkpt_file,
             bkpt_line);
#else
  (void)n;
#endif
  m.level = level;
  m.code = code;
  m.path = d->path;
  m.offset = offset;
  m.text = text;
  d->report(d->ctx, &m);
}

void rift_diag_stderr(void *ctx, const struct rift_diag_msg *m)
{
  (void)ctx;
  if(m->offset != UINT64_MAX)
    fprintf(stderr, "rift: %s: %s at offset 0x%llx: %s\n",
            m->path ? m->path : "-",
            m->level == RIFT_DIAG_ERROR ? "error" : "warning",
            (unsigned long long)m->offset, m->text);
  else
    fprintf(stderr, "rift: %s: %s: %s\n", m->path ? m->path : "-",
            m->level == RIFT_DIAG_ERROR ? "error" : "warning", m->text);
}
