/*
 * timeline.h - timeline rows: one line per event in time order.
 *
 *   csv         header + columns (see RIFT_TIMELINE_CSV_HEADER)
 *   jsonl       one flat JSON object per event (json.h)
 *   timesketch  JSON lines Timesketch imports: "message", "datetime"
 *               (RFC 3339 UTC), "timestamp" (microseconds),
 *               "timestamp_desc", plus host, source and record fields
 */
#ifndef RIFT_OUT_TIMELINE_H
#define RIFT_OUT_TIMELINE_H

#include <stdint.h>

#include "core/buf.h"
#include "core/event.h"

enum rift_timeline_format {
  RIFT_TIMELINE_CSV,
  RIFT_TIMELINE_JSONL,
  RIFT_TIMELINE_TIMESKETCH
};

#define RIFT_TIMELINE_CSV_HEADER                                          \
  "time,host,source,channel,event_code,record_id,category,type,action,"   \
  "outcome,user,process,command_line,source_ip,message,file,event_id\n"

/* The header (CSV only; nothing for the JSON forms). */
void rift_timeline_header(struct rift_buf *b, enum rift_timeline_format f);
/* One event as a row, with its case id (events.id).  Events without a
 * time are skipped by the timesketch form (returns 0), else 1. */
int rift_timeline_row(struct rift_buf *b, enum rift_timeline_format f,
                      const struct rift_event *e, int64_t id);

#endif
