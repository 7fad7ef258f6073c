/*
 * textlog.c - a text file as one event per line (textlog.h).
 */
#include <string.h>

#include "fmt/textlog.h"

static rift_err flush(struct rift_batch *b, struct rift_event_sink *sink)
{
  rift_err rc = RIFT_OK;
  if(!b->n)
    return RIFT_OK;
  if(sink->prepare)
    rc = sink->prepare(sink->ctx, b);
  if(!rc)
    rc = sink->batch(sink->ctx, b);
  rift_batch_clear(b);
  return rc;
}

rift_err rift_textlog_parse(const struct rift_source *src,
                            const struct rift_parse_opts *o,
                            struct rift_event_sink *sink, struct rift_diag *d,
                            struct rift_parse_stats *st)
{
  struct rift_batch b;
  const char *p = (const char *)src->data;
  size_t len = src->len, off = 0;
  uint64_t line = 0;
  rift_err rc = RIFT_OK;
  rift_batch_init(&b);
  while(off < len && !rc) {
    const char *nl = memchr(p + off, '\n', len - off);
    size_t end = nl ? (size_t)(nl - p) : len, n = end - off;
    struct rift_event *ev;
    line++;
    if(n && p[off + n - 1] == '\r')
      n--;
    if(n > RIFT_TEXTLOG_MAX_LINE) {
      rift_diag_report(d, RIFT_DIAG_WARN, RIFT_LIMIT, off,
                       "line %llu longer than %u bytes, cut",
                       (unsigned long long)line, RIFT_TEXTLOG_MAX_LINE);
      n = RIFT_TEXTLOG_MAX_LINE;
      st->errors++;
    }
    ev = rift_batch_add(&b);
    if(!ev) {
      rc = b.arena.err ? b.arena.err : RIFT_NOMEM;
      break;
    }
    ev->kind = RIFT_KIND_TEXTLOG;
    ev->file_id = o->file_id;
    ev->offset = off;
    ev->record_id = line;
    ev->host = o->host_hint;
    rc = rift_event_add_str(&b, ev, RIFT_F_MESSAGE, p + off, n);
    if(!rc && o->path)
      rc = rift_event_add_strref(&b, ev, RIFT_F_LOG_FILE_PATH, o->path,
                                 strlen(o->path));
    st->records++;
    off = end + 1;
    if(!rc && b.n >= RIFT_TEXTLOG_BATCH)
      rc = flush(&b, sink);
  }
  if(!rc)
    rc = flush(&b, sink);
  rift_batch_release(&b);
  return rc;
}
