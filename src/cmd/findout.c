/*
 * findout.c - printing findings (text or JSON lines) for the analytics
 * commands.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/evsrc.h"
#include "core/rtime.h"

static void jkey(struct rift_buf *b, const char *k)
{
  rift_buf_addch(b, '"');
  rift_buf_adds(b, k);
  rift_buf_adds(b, "\":");
}

static void jstr(struct rift_buf *b, const char *s)
{
  if(!s) {
    rift_buf_adds(b, "null");
    return;
  }
  rift_buf_addch(b, '"');
  rift_buf_add_json(b, s, strlen(s));
  rift_buf_addch(b, '"');
}

static void jtime(struct rift_buf *b, int64_t ts)
{
  char t[RIFT_TIME_FMT_MAX];
  if(ts == RIFT_TIME_NONE) {
    rift_buf_adds(b, "null");
    return;
  }
  rift_buf_addch(b, '"');
  rift_buf_add(b, t, rift_time_fmt(t, ts, 6));
  rift_buf_addch(b, '"');
}

void finding_json(struct rift_buf *b, const struct rift_finding *f,
                  const struct evsrc *src)
{
  size_t i;
  rift_buf_addch(b, '{');
  jkey(b, "@timestamp");
  jtime(b, f->ts);
  rift_buf_addch(b, ',');
  jkey(b, "ts_end");
  jtime(b, f->ts_end);
  rift_buf_addch(b, ',');
  jkey(b, "source");
  jstr(b, f->source);
  rift_buf_addch(b, ',');
  jkey(b, "rule_id");
  jstr(b, f->rule_id);
  rift_buf_addch(b, ',');
  jkey(b, "rule_name");
  jstr(b, f->rule_name);
  rift_buf_addch(b, ',');
  jkey(b, "level");
  jstr(b, rift_level_name(f->level));
  rift_buf_addch(b, ',');
  jkey(b, "techniques");
  rift_buf_addch(b, '[');
  for(i = 0; f->techniques && f->techniques[i]; i++) {
    if(i)
      rift_buf_addch(b, ',');
    jstr(b, f->techniques[i]);
  }
  rift_buf_adds(b, "],");
  jkey(b, "host");
  jstr(b, f->host);
  rift_buf_addch(b, ',');
  jkey(b, "message");
  jstr(b, f->message);
  rift_buf_addch(b, ',');
  jkey(b, "user");
  jstr(b, f->user_name);
  rift_buf_addch(b, ',');
  jkey(b, "source_ip");
  jstr(b, f->source_ip);
  rift_buf_addch(b, ',');
  jkey(b, "destination_ip");
  jstr(b, f->destination_ip);
  rift_buf_addch(b, ',');
  jkey(b, "process");
  jstr(b, f->process_name);
  rift_buf_addch(b, ',');
  jkey(b, "command_line");
  jstr(b, f->process_command_line);
  rift_buf_addch(b, ',');
  jkey(b, "details");
  rift_buf_adds(b, f->details_json ? f->details_json : "null");
  rift_buf_addch(b, ',');
  jkey(b, "events");
  rift_buf_addch(b, '[');
  for(i = 0; i < f->nrefs; i++) {
    const struct rift_event_ref *r = &f->refs[i];
    if(i)
      rift_buf_addch(b, ',');
    rift_buf_addch(b, '{');
    jkey(b, "file");
    jstr(b, src ? evsrc_path(src, r->file_id) : NULL);
    rift_buf_addch(b, ',');
    jkey(b, "offset");
    rift_buf_add_u64(b, r->offset);
    rift_buf_addch(b, ',');
    jkey(b, "record_id");
    rift_buf_add_u64(b, r->record_id);
    rift_buf_addch(b, ',');
    jkey(b, "@timestamp");
    jtime(b, r->ts);
    rift_buf_addch(b, '}');
  }
  rift_buf_adds(b, "]}");
}

static void text(struct rift_buf *b, const struct rift_finding *f)
{
  char t[RIFT_TIME_FMT_MAX];
  size_t i;
  const char *m;
  if(f->ts == RIFT_TIME_NONE)
    rift_buf_adds(b, "?                       ");
  else
    rift_buf_add(b, t, rift_time_fmt(t, f->ts, 3));
  rift_buf_addf(b, "  %-8s ", rift_level_name(f->level));
  for(i = 0; f->techniques && f->techniques[i]; i++) {
    if(i)
      rift_buf_addch(b, ',');
    rift_buf_adds(b, f->techniques[i]);
  }
  rift_buf_adds(b, "  ");
  rift_buf_adds(b, f->rule_name ? f->rule_name : f->rule_id);
  if(f->host) {
    rift_buf_adds(b, "  [");
    rift_buf_adds(b, f->host);
    rift_buf_addch(b, ']');
  }
  rift_buf_addch(b, '\n');
  rift_buf_adds(b, "    ");
  for(m = f->message ? f->message : ""; *m; m++)
    rift_buf_addch(b, (unsigned char)*m < 0x20 ? ' ' : *m);
  rift_buf_addf(b, "  (%zu event%s)\n", f->nrefs, f->nrefs == 1 ? "" : "s");
}

static rift_err emit(void *ctx, const struct rift_finding *f)
{
  struct findout *o = ctx;
  if((int)f->level < o->min_level)
    return RIFT_OK;
  o->n++;
  if(o->jsonl) {
    if(o->record) {
      rift_buf_adds(&o->b, "{\"record\":\"");
      rift_buf_adds(&o->b, o->record);
      rift_buf_adds(&o->b, "\",");
      {
        size_t start = o->b.len;
        finding_json(&o->b, f, o->src);
        /* drop the object's own opening brace */
        memmove(o->b.buf + start, o->b.buf + start + 1, o->b.len - start - 1);
        rift_buf_setlen(&o->b, o->b.len - 1);
      }
    } else {
      finding_json(&o->b, f, o->src);
    }
    rift_buf_addch(&o->b, '\n');
  } else {
    text(&o->b, f);
  }
  if(o->b.len > (1u << 20))
    findout_flush(o);
  return o->b.err;
}

void findout_init(struct findout *o, const struct evsrc *src, int jsonl)
{
  memset(o, 0, sizeof(*o));
  o->src = src;
  o->jsonl = jsonl;
  rift_buf_init(&o->b, RIFT_BUF_MAX_OUTPUT);
}

void findout_sink(struct findout *o, struct rift_finding_sink *sink)
{
  sink->emit = emit;
  sink->ctx = o;
}

void findout_flush(struct findout *o)
{
  if(o->b.len && !o->failed && write_all(1, o->b.buf, o->b.len))
    o->failed = 1;
  rift_buf_reset(&o->b);
}

void findout_release(struct findout *o)
{
  findout_flush(o);
  rift_buf_release(&o->b);
}
