/*
 * timeline.c - timeline rows (timeline.h).
 */
#include <string.h>

#include "core/rtime.h"
#include "out/csv.h"
#include "out/json.h"
#include "out/timeline.h"

void rift_timeline_header(struct rift_buf *b, enum rift_timeline_format f)
{
  if(f == RIFT_TIMELINE_CSV)
    rift_buf_adds(b, RIFT_TIMELINE_CSV_HEADER);
}

static const char *fstr(const struct rift_event *e, uint32_t id, char *tmp,
                        size_t *n)
{
  const struct rift_value *v = rift_event_get(e, id);
  const char *s = v ? rift_value_str(v, tmp, n) : NULL;
  if(!s)
    *n = 0;
  return s;
}

static void csv_fid(struct rift_buf *b, const struct rift_event *e,
                    uint32_t id)
{
  char tmp[40];
  size_t n;
  const char *s = fstr(e, id, tmp, &n);
  rift_csv_field(b, s, n, 0);
}

/* "DOMAIN\user" or "user" */
static void user_text(const struct rift_event *e, char *out, size_t cap)
{
  char t1[40], t2[40];
  size_t n1, n2;
  const char *u = fstr(e, RIFT_F_USER_NAME, t1, &n1);
  const char *d = fstr(e, RIFT_F_USER_DOMAIN, t2, &n2);
  if(!u) {
    out[0] = 0;
    return;
  }
  if(d)
    snprintf(out, cap, "%.*s\\%.*s", (int)n2, d, (int)n1, u);
  else
    snprintf(out, cap, "%.*s", (int)n1, u);
}

static const char *channel_of(const struct rift_event *e, char *tmp,
                              size_t *n)
{
  const char *s = fstr(e, RIFT_F_WINLOG_CHANNEL, tmp, n);
  if(!s && e->dataset) {
    s = e->dataset;
    *n = strlen(s);
  }
  return s;
}

int rift_timeline_row(struct rift_buf *b, enum rift_timeline_format f,
                      const struct rift_event *e, int64_t id)
{
  char t[RIFT_TIME_FMT_MAX], user[512], tmp[40];
  size_t n;
  const char *s;
  if(f == RIFT_TIMELINE_JSONL) {
    rift_json_event_flat(b, e, id);
    rift_buf_addch(b, '\n');
    return 1;
  }
  user_text(e, user, sizeof(user));
  if(f == RIFT_TIMELINE_CSV) {
    if(e->ts != RIFT_TIME_NONE)
      rift_csv_field(b, t, rift_time_fmt(t, e->ts, 6), 1);
    else
      rift_csv_field(b, NULL, 0, 1);
    rift_csv_str(b, e->host, 0);
    rift_csv_str(b, rift_kind_name(e->kind), 0);
    s = channel_of(e, tmp, &n);
    rift_csv_field(b, s, n, 0);
    rift_csv_str(b, e->code, 0);
    if(e->record_id) {
      rift_buf_addch(b, ',');
      rift_buf_add_u64(b, e->record_id);
    }
    else {
      rift_csv_field(b, NULL, 0, 0);
    }
    rift_csv_str(b, e->category, 0);
    rift_csv_str(b, e->type, 0);
    rift_csv_str(b, e->action, 0);
    rift_csv_str(b, e->outcome, 0);
    rift_csv_str(b, user[0] ? user : NULL, 0);
    csv_fid(b, e, RIFT_F_PROCESS_EXECUTABLE);
    csv_fid(b, e, RIFT_F_PROCESS_COMMAND_LINE);
    csv_fid(b, e, RIFT_F_SOURCE_IP);
    rift_csv_str(b, e->message, 0);
    csv_fid(b, e, RIFT_F_LOG_FILE_PATH);
    rift_buf_addch(b, ',');
    rift_buf_add_i64(b, id);
    rift_csv_end(b);
    return 1;
  }
  /* timesketch */
  {
    struct rift_json j;
    if(e->ts == RIFT_TIME_NONE)
      return 0;
    rift_json_init(&j, b);
    rift_json_begin(&j, '{');
    rift_json_key(&j, "message");
    if(e->message)
      rift_json_str(&j, e->message);
    else
      rift_json_str(&j, e->code ? e->code : "");
    rift_json_key(&j, "datetime");
    rift_json_strn(&j, t, rift_time_fmt(t, e->ts, 6));
    rift_json_key(&j, "timestamp");
    rift_json_i64(&j, e->ts / 1000);
    rift_json_key(&j, "timestamp_desc");
    rift_json_str(&j, e->kind == RIFT_KIND_EVTX ? "Event Recorded"
                                                : "Event Time");
    if(e->host) {
      rift_json_key(&j, "hostname");
      rift_json_str(&j, e->host);
    }
    rift_json_key(&j, "source_short");
    rift_json_str(&j, rift_kind_name(e->kind));
    if((s = channel_of(e, tmp, &n))) {
      rift_json_key(&j, "channel");
      rift_json_strn(&j, s, n);
    }
    if(e->code) {
      rift_json_key(&j, "event_identifier");
      rift_json_str(&j, e->code);
    }
    if(e->record_id) {
      rift_json_key(&j, "record_number");
      rift_json_u64(&j, e->record_id);
    }
    if(e->provider) {
      rift_json_key(&j, "provider");
      rift_json_str(&j, e->provider);
    }
    if(e->category) {
      rift_json_key(&j, "category");
      rift_json_str(&j, e->category);
    }
    if(e->action) {
      rift_json_key(&j, "action");
      rift_json_str(&j, e->action);
    }
    if(user[0]) {
      rift_json_key(&j, "username");
      rift_json_str(&j, user);
    }
    if((s = fstr(e, RIFT_F_LOG_FILE_PATH, tmp, &n))) {
      rift_json_key(&j, "filename");
      rift_json_strn(&j, s, n);
    }
    rift_json_key(&j, "rift_event_id");
    rift_json_i64(&j, id);
    rift_json_end(&j);
    rift_buf_addch(b, '\n');
    return 1;
  }
}
