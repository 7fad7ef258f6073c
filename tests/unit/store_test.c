/* Unit tests of src/store/: write a small case, read it back. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/rtime.h"
#include "store/store.h"
#include "unit.h"

static char *tmpcase(char *dir, size_t n)
{
  char tmpl[] = "/tmp/rift-unit-XXXXXX";
  if(!mkdtemp(tmpl))
    return NULL;
  snprintf(dir, n, "%s", tmpl);
  return dir;
}

static void rmcase(const char *dir)
{
  static const char *const names[] = { "case.db", "case.db-wal",
                                       "case.db-shm" };
  char p[512];
  size_t i;
  for(i = 0; i < 3; i++) {
    snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
    unlink(p);
  }
  rmdir(dir);
}

static const char *text_of(const struct rift_event *e, const char *name,
                           char *tmp)
{
  uint32_t id = rift_field_find(name, strlen(name));
  const struct rift_value *v = id ? rift_event_get(e, id) : NULL;
  size_t len;
  return v ? rift_value_str(v, tmp, &len) : NULL;
}

/* three events: two on host A (one with a repeated field), one on B */
static void fill(struct rift_batch *b, uint32_t file_id)
{
  struct rift_event *e;
  uint32_t data = rift_field_id("winlog.event_data.Data", 22);
  uint32_t odd = rift_field_id("winlog.event_data.Odd \"name\"", 28);

  e = rift_batch_add(b);
  e->ts = 1700000000000000000LL + 2;
  e->host = "HOST-A";
  e->kind = RIFT_KIND_EVTX;
  e->file_id = file_id;
  e->offset = 4096 + 512;
  e->record_id = 7;
  e->code = "4688";
  e->category = "process";
  e->type = "start";
  e->message = "process started: powershell -enc AAAA";
  rift_event_add_strref(b, e, RIFT_F_WINLOG_CHANNEL, "Security", 8);
  rift_event_add_uint(b, e, RIFT_F_WINLOG_EVENT_ID, 4688);
  rift_event_add_strref(b, e, RIFT_F_PROCESS_COMMAND_LINE,
                        "powershell -enc AAAA", 20);
  rift_event_add_int(b, e, RIFT_F_PROCESS_PID, 1234);
  rift_event_add_strref(b, e, data, "one", 3);
  rift_event_add_strref(b, e, data, "two \"quoted\"\n\xc3\xa9", 15);
  rift_event_add_int(b, e, odd, -5);
  rift_event_add_float(b, e, rift_field_id("rift.score", 10), 0.25);
  rift_event_add_bool(b, e, rift_field_id("rift.carved", 11), 1);

  e = rift_batch_add(b);
  e->ts = 1700000000000000000LL + 1;
  e->host = "HOST-A";
  e->kind = RIFT_KIND_EVTX;
  e->file_id = file_id;
  e->offset = 4096 + 1024;
  e->record_id = 8;
  e->code = "4624";
  e->message = "logon";
  rift_event_add_strref(b, e, RIFT_F_WINLOG_CHANNEL, "Security", 8);
  rift_event_add_uint(b, e, RIFT_F_WINLOG_EVENT_ID, 4624);
  rift_event_add_strref(b, e, RIFT_F_USER_NAME, "alice", 5);
  rift_event_add_uint(b, e, UINT32_C(0) + rift_field_id("big", 3),
                      UINT64_MAX);

  e = rift_batch_add(b);
  e->host = "host-b"; /* no time */
  e->kind = RIFT_KIND_EVTX;
  e->file_id = file_id;
  e->offset = 99;
  e->code = "7045";
  rift_event_add_strref(b, e, RIFT_F_WINLOG_CHANNEL, "System", 6);
}

struct cnt {
  int n;
  const char *path;
  int64_t evid;
};

static rift_err count_input(void *ctx, const struct rift_input *in)
{
  struct cnt *c = ctx;
  c->n++;
  c->path = in->path && !strcmp(in->path, "ev/Security.evtx") ? "ok" : "bad";
  return RIFT_OK;
}

static rift_err count_finding(void *ctx, const struct rift_store_finding *f)
{
  struct cnt *c = ctx;
  c->n++;
  if(f->f.nrefs == 1 && f->ref_paths[0] && !strcmp(f->ref_paths[0],
                                                   "ev/Security.evtx"))
    c->path = "ok";
  c->evid = f->f.nrefs == 1 ? f->ref_event_ids[0] : -1;
  if(!f->f.techniques || !f->f.techniques[0] ||
     strcmp(f->f.techniques[0], "T1059.001") || f->f.techniques[1])
    c->path = "bad techniques";
  return RIFT_OK;
}

static rift_err count_finding2(void *ctx, const struct rift_store_finding *f)
{
  struct cnt *c = ctx;
  c->n++;
  if(f->f.rule_id && !strcmp(f->f.rule_id, "r2") && f->f.nrefs == 1)
    c->evid = f->ref_event_ids[0];
  return RIFT_OK;
}

static size_t read_all(struct rift_store *s, const struct rift_store_filter *f,
                       struct rift_batch *b)
{
  struct rift_store_iter *it;
  size_t n = 0;
  if(rift_store_iter_open(s, f, &it))
    return (size_t)-1;
  for(;;) {
    if(rift_store_iter_next(it, b, 2)) {
      n = (size_t)-1;
      break;
    }
    if(!b->n)
      break;
    n += b->n;
  }
  rift_store_iter_free(&it);
  return n;
}

void unit_store_roundtrip(struct unit *t)
{
  char dir[256], db[300], tmp[40];
  struct rift_store *s;
  struct rift_store_writer *w;
  struct rift_event_sink sink;
  struct rift_finding_sink fs;
  struct rift_batch b;
  struct rift_input in;
  struct rift_input_msg msg = { RIFT_DIAG_ERROR, 4096, "bad chunk" };
  struct rift_store_filter f;
  struct rift_store_iter *it;
  struct rift_store_load_stats ls;
  struct rift_store_eq eq;
  struct rift_store_totals tot;
  static const char *const tech[] = { "T1059.001", NULL };
  struct rift_event_ref ref = { 0, 4096 + 512, 7, 0 };
  struct rift_finding fi;
  struct cnt c;
  uint32_t fid;
  const struct rift_event *e;

  if(!tmpcase(dir, sizeof(dir))) {
    CHECK(t, 0);
    return;
  }
  snprintf(db, sizeof(db), "%s/case.db", dir);
  CHECK_INT(t, rift_store_open(&s, db, RIFT_STORE_CREATE, NULL), RIFT_OK);
  if(!s)
    return;
  fid = rift_store_next_file_id(s);
  CHECK_INT(t, fid, 1);
  CHECK_INT(t, rift_store_writer_start(s, RIFT_STORE_BULK, &w), RIFT_OK);
  memset(&in, 0, sizeof(in));
  in.id = fid;
  in.path = "ev/Security.evtx";
  in.size = 69632;
  in.sha256 = "00ff";
  in.format = "evtx";
  in.records = 3;
  in.errors = 1;
  in.status = "errors";
  in.msgs = &msg;
  in.nmsgs = 1;
  CHECK_INT(t, rift_store_put_input(w, &in), RIFT_OK);
  rift_store_event_sink(w, NULL, NULL, &sink);
  rift_batch_init(&b);
  fill(&b, fid);
  CHECK_INT(t, sink.prepare(sink.ctx, &b), RIFT_OK);
  CHECK_INT(t, sink.batch(sink.ctx, &b), RIFT_OK);
  rift_batch_clear(&b);
  rift_store_finding_sink(w, &fs);
  memset(&fi, 0, sizeof(fi));
  fi.source = "sigma";
  fi.rule_id = "r1";
  fi.rule_name = "Encoded PowerShell";
  fi.level = RIFT_LEVEL_HIGH;
  fi.techniques = tech;
  fi.ts = fi.ts_end = 1700000000000000000LL + 2;
  fi.host = "HOST-A";
  ref.file_id = fid;
  ref.ts = fi.ts;
  fi.refs = &ref;
  fi.nrefs = 1;
  CHECK_INT(t, fs.emit(fs.ctx, &fi), RIFT_OK);
  CHECK_INT(t, rift_store_writer_finish(&w, &ls), RIFT_OK);
  CHECK_INT(t, ls.events, 3);
  CHECK_INT(t, ls.findings, 1);
  CHECK_INT(t, ls.inputs, 1);
  CHECK_INT(t, rift_store_info_set(s, "rules", "/x/rules"), RIFT_OK);
  rift_store_free(&s);

  CHECK_INT(t, rift_store_open(&s, db, RIFT_STORE_READ, NULL), RIFT_OK);
  if(!s)
    return;
  {
    char *v = rift_store_info_get(s, "rules");
    CHECK_STR(t, v, "/x/rules");
    free(v);
  }
  /* all, in time order: the event without a time first */
  rift_store_filter_init(&f);
  CHECK_INT(t, rift_store_iter_open(s, &f, &it), RIFT_OK);
  CHECK_INT(t, rift_store_iter_next(it, &b, 10), RIFT_OK);
  CHECK_INT(t, b.n, 3);
  if(b.n == 3) {
    CHECK_STR(t, b.ev[0].host, "host-b");
    CHECK(t, b.ev[0].ts == RIFT_TIME_NONE);
    CHECK_INT(t, b.ev[0].offset, 99);
    CHECK_STR(t, b.ev[1].code, "4624");
    CHECK_STR(t, text_of(&b.ev[1], "big", tmp), "18446744073709551615");
    e = &b.ev[2];
    CHECK_INT(t, e->ts, 1700000000000000000LL + 2);
    CHECK_INT(t, e->kind, RIFT_KIND_EVTX);
    CHECK_INT(t, e->file_id, fid);
    CHECK_INT(t, e->offset, 4096 + 512);
    CHECK_INT(t, e->record_id, 7);
    CHECK_STR(t, e->category, "process");
    CHECK_STR(t, e->message, "process started: powershell -enc AAAA");
    CHECK_INT(t, e->nf, 9);
    CHECK_STR(t, text_of(e, "winlog.event_id", tmp), "4688");
    CHECK_STR(t, text_of(e, "process.pid", tmp), "1234");
    CHECK_STR(t, text_of(e, "winlog.event_data.Odd \"name\"", tmp), "-5");
    CHECK_STR(t, text_of(e, "rift.score", tmp), "0.25");
    CHECK_STR(t, text_of(e, "rift.carved", tmp), "true");
    {
      /* the repeated field comes back as two values, in order */
      uint32_t data = rift_field_find("winlog.event_data.Data", 22), k;
      int seen = 0;
      for(k = 0; k < e->nf; k++) {
        if(e->f[k].id != data)
          continue;
        if(seen == 0)
          CHECK_MEM(t, e->f[k].v.s, e->f[k].v.len, "one");
        else
          CHECK_MEM(t, e->f[k].v.s, e->f[k].v.len,
                    "two \"quoted\"\n\xc3\xa9");
        seen++;
      }
      CHECK_INT(t, seen, 2);
    }
    CHECK_INT(t, rift_store_iter_ids(it)[2], 1);
  }
  CHECK_INT(t, rift_store_iter_next(it, &b, 10), RIFT_OK);
  CHECK_INT(t, b.n, 0);
  rift_store_iter_free(&it);

  /* filters */
  rift_store_filter_init(&f);
  f.host = "HOST-B";
  CHECK_INT(t, read_all(s, &f, &b), 1);
  rift_store_filter_init(&f);
  f.from = 1700000000000000000LL + 2;
  CHECK_INT(t, read_all(s, &f, &b), 1);
  rift_store_filter_init(&f);
  f.to = 1700000000000000000LL + 1;
  CHECK_INT(t, read_all(s, &f, &b), 1);
  rift_store_filter_init(&f);
  f.like = "ALICE";
  CHECK_INT(t, read_all(s, &f, &b), 1);
  rift_store_filter_init(&f);
  f.like = "100%";
  CHECK_INT(t, read_all(s, &f, &b), 0);
  rift_store_filter_init(&f);
  f.fts = "powershell";
  CHECK_INT(t, read_all(s, &f, &b), 1);
  rift_store_filter_init(&f);
  eq.name = "winlog.event_id";
  eq.value = "4624";
  f.eq = &eq;
  f.neq = 1;
  CHECK_INT(t, read_all(s, &f, &b), 1);
  eq.name = "winlog.event_data.Data";
  eq.value = "one";
  CHECK_INT(t, read_all(s, &f, &b), 1);
  eq.name = "event.code";
  eq.value = "7045";
  CHECK_INT(t, read_all(s, &f, &b), 1);

  memset(&c, 0, sizeof(c));
  CHECK_INT(t, rift_store_inputs(s, count_input, &c), RIFT_OK);
  CHECK_INT(t, c.n, 1);
  CHECK_STR(t, c.path, "ok");
  memset(&c, 0, sizeof(c));
  CHECK_INT(t, rift_store_findings(s, count_finding, &c), RIFT_OK);
  CHECK_INT(t, c.n, 1);
  CHECK_STR(t, c.path, "ok");
  CHECK_INT(t, c.evid, 1); /* resolved to the first event's rowid */
  CHECK_INT(t, rift_store_totals(s, &tot), RIFT_OK);
  CHECK_INT(t, tot.events, 3);
  CHECK_INT(t, tot.hosts, 2);
  CHECK_INT(t, tot.first, 1700000000000000000LL + 1);
  CHECK_INT(t, tot.last, 1700000000000000000LL + 2);
  rift_store_free(&s);

  /* append: ids continue, an existing case is not created twice */
  CHECK_INT(t, rift_store_open(&s, db, RIFT_STORE_CREATE, NULL), RIFT_EXISTS);
  CHECK_INT(t, rift_store_open(&s, db, RIFT_STORE_APPEND, NULL), RIFT_OK);
  if(s) {
    CHECK_INT(t, rift_store_next_file_id(s), 2);
    CHECK_INT(t, rift_store_find_sha256(s, "00ff"), 1);
    /* a detector over the finished case (store.h): read events while a
     * writer adds a finding, which is linked to its event at finish */
    CHECK_INT(t, rift_store_writer_start(s, 0, &w), RIFT_OK);
    rift_store_finding_sink(w, &fs);
    rift_store_filter_init(&f);
    f.host = "host-a";
    CHECK_INT(t, rift_store_iter_open(s, &f, &it), RIFT_OK);
    CHECK_INT(t, rift_store_iter_next(it, &b, 100), RIFT_OK);
    CHECK_INT(t, b.n, 2);
    if(b.n == 2) {
      ref.file_id = b.ev[0].file_id;
      ref.offset = b.ev[0].offset;
      ref.record_id = b.ev[0].record_id;
      ref.ts = b.ev[0].ts;
      fi.rule_id = "r2";
      fi.techniques = NULL;
      CHECK_INT(t, fs.emit(fs.ctx, &fi), RIFT_OK);
    }
    rift_store_iter_free(&it);
    CHECK_INT(t, rift_store_writer_finish(&w, &ls), RIFT_OK);
    CHECK_INT(t, ls.findings, 1);
    rift_store_free(&s);
  }
  CHECK_INT(t, rift_store_open(&s, db, RIFT_STORE_READ, NULL), RIFT_OK);
  if(s) {
    memset(&c, 0, sizeof(c));
    CHECK_INT(t, rift_store_findings(s, count_finding2, &c), RIFT_OK);
    CHECK_INT(t, c.n, 2);
    CHECK_INT(t, c.evid, 2); /* the 4624 event, inserted second */
    rift_store_free(&s);
  }
  rift_batch_release(&b);
  rmcase(dir);
}
