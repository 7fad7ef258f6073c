/*
 * report.h - the case report (CASE/report.html): one self-contained HTML
 * page read from the case store: totals, findings by rule and one by one
 * (each naming the evidence file and record of its events), hosts, event
 * sources and the inputs that could not be read cleanly.
 */
#ifndef RIFT_OUT_REPORT_H
#define RIFT_OUT_REPORT_H

#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

struct rift_report_opts {
  const char *title;      /* shown as the case name */
  uint64_t max_findings;  /* findings listed one by one */
};

/* Append the whole page to b. */
rift_err rift_report_html(struct rift_store *s, struct rift_buf *b,
                          const struct rift_report_opts *o);

#endif
