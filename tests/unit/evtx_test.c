/* Unit tests of src/fmt/evtx.c and binxml.c. */
#include <stdlib.h>
#include <string.h>

#include "core/rtime.h"
#include "fmt/binxml-int.h"
#include "fmt/evtx.h"
#include "fmt/format.h"
#include "unit.h"

static const char *fmt1(struct rift_buf *b, uint8_t type, const void *p,
                        uint32_t len, enum bx_fmt f)
{
  rift_buf_reset(b);
  bx_value_fmt(b, type, p, len, f);
  return b->buf;
}

void unit_evtx_values(struct unit *t)
{
  /* {54849625-5478-4994-A5BA-3E3B0328C30D} as stored (mixed endian) */
  static const uint8_t guid[16] = { 0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94,
                                    0x49, 0xa5, 0xba, 0x3e, 0x3b, 0x03, 0x28,
                                    0xc3, 0x0d };
  /* S-1-5-21-1-2-3-500 */
  static const uint8_t sid[] = { 1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0,
                                 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xf4, 1, 0, 0 };
  static const uint8_t ft[8] = { 24, 150, 87, 87, 68, 217, 209, 1 }; /* 131124751716816408 */
  static const uint8_t st[16] = { 0xe1, 0x07, 5, 0, 5, 0, 19, 0, 2, 0, 2, 0,
                                  36, 0, 0xcb, 0 };
  static const uint8_t hex64[8] = { 0xe7, 3, 0, 0, 0, 0, 0, 0 };
  static const uint8_t arr[] = { 'a', 0, 0, 0, 'b', 0, 'c', 0, 0, 0 };
  static const uint8_t u16arr[] = { 1, 0, 2, 0, 0xff, 0xff };
  static const uint8_t i32[4] = { 0xfe, 0xff, 0xff, 0xff };
  static const uint8_t str[] = { '"', 0, '<', 0, 0, 0, 'x', 0 };
  struct rift_buf b;
  rift_buf_init(&b, 4096);
  CHECK_STR(t, fmt1(&b, BXT_GUID, guid, 16, BXF_JSON),
            "\"54849625-5478-4994-A5BA-3E3B0328C30D\"");
  CHECK_STR(t, fmt1(&b, BXT_GUID, guid, 16, BXF_XML),
            "{54849625-5478-4994-A5BA-3E3B0328C30D}");
  CHECK_STR(t, fmt1(&b, BXT_SID, sid, sizeof(sid), BXF_TEXT), "S-1-5-21-1-2-3-500");
  CHECK_STR(t, fmt1(&b, BXT_SID, sid, 12, BXF_TEXT), "S-1-5-21"); /* cut short */
  CHECK_STR(t, fmt1(&b, BXT_FILETIME, ft, 8, BXF_JSON),
            "\"2016-07-08T18:12:51.6816408Z\"");
  CHECK_STR(t, fmt1(&b, BXT_FILETIME, ft, 8, BXF_XML),
            "2016-07-08T18:12:51.681640800Z");
  CHECK_STR(t, fmt1(&b, BXT_SYSTEMTIME, st, 16, BXF_TEXT),
            "2017-05-19T02:02:36.203Z");
  CHECK_STR(t, fmt1(&b, BXT_HEX64, hex64, 8, BXF_JSON), "\"0x3e7\"");
  CHECK_STR(t, fmt1(&b, BXT_HEX64, hex64, 8, BXF_XML), "0x00000000000003e7");
  CHECK_STR(t, fmt1(&b, BXT_I32, i32, 4, BXF_JSON), "-2");
  CHECK_STR(t, fmt1(&b, BXT_U32, i32, 4, BXF_JSON), "4294967294");
  CHECK_STR(t, fmt1(&b, BXT_BOOL, hex64, 4, BXF_JSON), "true");
  CHECK_STR(t, fmt1(&b, BXT_BINARY, guid, 4, BXF_JSON), "\"25968454\"");
  CHECK_STR(t, fmt1(&b, BXT_STRING | BXT_ARRAY, arr, sizeof(arr), BXF_JSON),
            "[\"a\",\"bc\"]");
  CHECK_STR(t, fmt1(&b, BXT_U16 | BXT_ARRAY, u16arr, 6, BXF_JSON), "[1,2,65535]");
  CHECK_STR(t, fmt1(&b, BXT_STRING, str, sizeof(str), BXF_JSON), "\"\\\"<\"");
  CHECK_STR(t, fmt1(&b, BXT_STRING, str, sizeof(str), BXF_XML), "&quot;&lt;");
  CHECK_STR(t, fmt1(&b, BXT_U64, i32, 4, BXF_JSON), "\"FEFFFFFF\""); /* short */
  CHECK_STR(t, fmt1(&b, BXT_NULL, NULL, 0, BXF_JSON), "null");
  rift_buf_release(&b);
}

struct collect {
  uint64_t n;
  struct rift_batch keep; /* copies of a few events */
  int ok_fields;
  int saw_2;
  char host[64], user[64], code[16];
  uint64_t logon_type;
  int64_t ts;
};

static rift_err count_batch(void *ctx, struct rift_batch *b)
{
  struct collect *c = ctx;
  size_t i;
  for(i = 0; i < b->n; i++) {
    const struct rift_event *e = &b->ev[i];
    if(e->record_id == 2 && !c->saw_2) {
      const struct rift_value *v;
      c->saw_2 = 1;
      snprintf(c->host, sizeof(c->host), "%s", e->host ? e->host : "");
      snprintf(c->code, sizeof(c->code), "%s", e->code ? e->code : "");
      v = rift_event_get(e, rift_field_id("winlog.event_data.TargetUserName", 32));
      snprintf(c->user, sizeof(c->user), "%s", v && v->type == RIFT_V_STR ? v->s : "");
      v = rift_event_get(e, rift_field_id("winlog.event_data.LogonType", 27));
      c->logon_type = v && v->type == RIFT_V_UINT ? v->u : 99;
      c->ts = e->ts;
      v = rift_event_get(e, RIFT_F_LOG_FILE_PATH);
      c->ok_fields = v && strstr(v->s, "security.evtx") && e->file_id == 7;
    }
  }
  c->n += b->n;
  return RIFT_OK;
}

static uint64_t parse_count(struct unit *t, const char *rel, unsigned threads,
                            struct collect *c, struct rift_parse_stats *st)
{
  const char *path = unit_path(t, rel);
  struct rift_source src;
  struct rift_parse_opts o;
  struct rift_event_sink sink = { NULL, count_batch, c };
  memset(st, 0, sizeof(*st));
  if(!path)
    return 0;
  memset(&o, 0, sizeof(o));
  o.file_id = 7;
  o.path = path;
  o.threads = threads;
  CHECK_INT(t, rift_source_open(&src, path, NULL), RIFT_OK);
  CHECK_INT(t, rift_evtx_parse(&src, &o, &sink, NULL, st), RIFT_OK);
  rift_source_close(&src);
  return c->n;
}

void unit_evtx_samples(struct unit *t)
{
  unsigned th;
  for(th = 1; th <= 2; th++) {
    struct collect c;
    struct rift_parse_stats st;
    char ts[RIFT_TIME_FMT_MAX];
    memset(&c, 0, sizeof(c));
    /* 2261 records by EXPECTED/evtx_structure_walk.tsv */
    if(!parse_count(t, "evtx/omerbenamram_evtx/security.evtx", th, &c, &st))
      return;
    CHECK_INT(t, c.n, 2261);
    CHECK_INT(t, st.records, 2261);
    CHECK_INT(t, st.errors, 0);
    /* record 2, as evtxexport renders it: 4624, SYSTEM, logon type 0 */
    CHECK(t, c.saw_2);
    CHECK_STR(t, c.host, "37L4247F27-25");
    CHECK_STR(t, c.code, "4624");
    CHECK_STR(t, c.user, "SYSTEM");
    CHECK_INT(t, c.logon_type, 0);
    rift_time_fmt(ts, c.ts, 7);
    CHECK_STR(t, ts, "2016-07-08T18:12:51.6816408Z");
    CHECK(t, c.ok_fields);
  }
}

/* Jobs cover every chunk once, in order: 16 chunks each, the last 32 or so
 * in jobs of 4; byte ranges follow the chunks. */
void unit_evtx_jobs(struct unit *t)
{
  static const size_t sizes[] = { 0, 1, 3, 4, 5, 15, 16, 17, 31, 32, 33, 47,
                                  48, 49, 64, 100, 1000, 2048, 65535 };
  size_t k;
  for(k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
    struct rift_evtx e;
    struct rift_evtx_job jb;
    size_t i, n, next = 0, bad = 0, small = 0;
    memset(&e, 0, sizeof(e));
    e.nslots = sizes[k];
    n = rift_evtx_jobs(&e);
    for(i = 0; i < n; i++) {
      rift_evtx_job(&e, i, &jb);
      if(jb.first != next || jb.end <= jb.first ||
         jb.off != RIFT_EVTX_HEADER_SIZE + jb.first * (uint64_t)RIFT_EVTX_CHUNK_SIZE ||
         jb.len != (jb.end - jb.first) * (uint64_t)RIFT_EVTX_CHUNK_SIZE)
        bad++;
      if(jb.end - jb.first != RIFT_EVTX_CHUNKS_PER_JOB) {
        if(jb.end - jb.first > RIFT_EVTX_CHUNKS_PER_TAIL_JOB)
          bad++;
        small++;
      }
      next = jb.end;
    }
    CHECK_INT(t, bad, 0);
    CHECK_INT(t, next, sizes[k]);
    /* the small jobs are the last ones, at most the tail's worth */
    CHECK(t, small * RIFT_EVTX_CHUNKS_PER_TAIL_JOB <
               RIFT_EVTX_TAIL_CHUNKS + RIFT_EVTX_CHUNKS_PER_JOB +
                 RIFT_EVTX_CHUNKS_PER_TAIL_JOB);
    if(n) {
      rift_evtx_job(&e, n - 1, &jb);
      CHECK(t, jb.end - jb.first <= RIFT_EVTX_CHUNKS_PER_TAIL_JOB);
    }
  }
}

void unit_evtx_damaged(struct unit *t)
{
  struct collect c;
  struct rift_parse_stats st;
  struct rift_source src;
  struct rift_evtx e;
  uint8_t junk[5000];
  memset(&c, 0, sizeof(c));
  /* evtx-rs: 270 good records; rift recovers past the bad records */
  if(!parse_count(t, "evtx/omerbenamram_evtx/sample_with_a_bad_chunk_magic.evtx",
                  2, &c, &st))
    return;
  CHECK(t, c.n >= 270);
  CHECK(t, st.errors >= 2);
  /* not EVTX at all: reported, nothing read, no crash */
  memset(junk, 'A', sizeof(junk));
  rift_source_mem(&src, junk, sizeof(junk), "junk");
  CHECK_INT(t, rift_evtx_open(&e, &src, NULL), RIFT_CORRUPT);
  /* a header alone: zero chunks */
  memcpy(junk, "ElfFile", 8);
  rift_source_mem(&src, junk, 4096, "hdr");
  CHECK_INT(t, rift_evtx_open(&e, &src, NULL), RIFT_OK);
  CHECK_INT(t, e.nslots, 0);
}

/* Rendering from recorded programs (RIFT_EVTX_LAZY) must give exactly the
 * bytes the tree renderer gives, record by record, in all three formats. */
struct fastcmp {
  struct rift_buf a, b;
  enum rift_evtx_format fmt;
  uint64_t records, differ, replayed;
};

static rift_err fast_cb(void *arg, const struct rift_evtx_record *r)
{
  struct fastcmp *fc = arg;
  const struct bx_doc *d;
  rift_err rc;
  rift_buf_reset(&fc->a);
  rift_buf_reset(&fc->b);
  rc = rift_evtx_render(&fc->a, r, fc->fmt); /* program when shape seen */
  if(rc)
    return rc;
  fc->replayed += !r->doc;                   /* no tree was needed */
  d = rift_evtx_record_doc(r);               /* tree, then plain render */
  if(!d)
    return RIFT_CORRUPT;
  if(fc->fmt == RIFT_EVTX_XML)
    bx_render_xml(&fc->b, d);
  else
    bx_render_json(&fc->b, d, fc->fmt == RIFT_EVTX_JSON_PRETTY);
  fc->records++;
  if(fc->a.len != fc->b.len || memcmp(fc->a.buf, fc->b.buf, fc->a.len)) {
    if(!fc->differ)
      fprintf(stderr, "program: %s\ntree:    %s\n", fc->a.buf, fc->b.buf);
    fc->differ++;
  }
  return RIFT_OK;
}

void unit_evtx_programs(struct unit *t)
{
  static const char *const files[] = {
    "evtx/omerbenamram_evtx/security.evtx",
    "evtx/omerbenamram_evtx/system.evtx",
    "evtx/omerbenamram_evtx/sysmon.evtx",
    "evtx/omerbenamram_evtx/E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx",
    "evtx/omerbenamram_evtx/MSExchange_Management_wec.evtx",
    "evtx/DeepBlueCLI/smb-password-guessing-security.evtx",
    "evtx/velociraptor/evtx/Microsoft-Windows-Sysmon%4Operational.evtx",
  };
  size_t k, f;
  uint64_t total = 0, replayed = 0;
  for(k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
    const char *path = unit_path(t, files[k]);
    struct rift_source src;
    struct rift_evtx e;
    struct rift_evtx_ctx *c;
    if(!path)
      continue;
    CHECK_INT(t, rift_source_open(&src, path, NULL), RIFT_OK);
    CHECK_INT(t, rift_evtx_open(&e, &src, NULL), RIFT_OK);
    CHECK_INT(t, rift_evtx_ctx_new(&c), RIFT_OK);
    for(f = 0; f < 3; f++) {
      struct fastcmp fc;
      struct rift_evtx_stats st;
      size_t i;
      memset(&fc, 0, sizeof(fc));
      memset(&st, 0, sizeof(st));
      rift_buf_init(&fc.a, RIFT_BUF_MAX_RECORD);
      rift_buf_init(&fc.b, RIFT_BUF_MAX_RECORD);
      fc.fmt = f == 0 ? RIFT_EVTX_JSON : f == 1 ? RIFT_EVTX_XML : RIFT_EVTX_JSON_PRETTY;
      for(i = 0; i < e.nslots; i++)
        rift_evtx_chunk(&e, c, i, RIFT_EVTX_LAZY, fast_cb, &fc, NULL, &st);
      CHECK(t, fc.records > 0);
      if(getenv("RIFT_UNIT_VERBOSE"))
        fprintf(stderr, "%s fmt %zu: %llu records, %llu replayed\n", files[k], f,
                (unsigned long long)fc.records, (unsigned long long)fc.replayed);
      total += fc.records;
      replayed += fc.replayed;
      CHECK_INT(t, fc.differ, 0);
      rift_buf_release(&fc.a);
      rift_buf_release(&fc.b);
    }
    rift_evtx_ctx_free(&c);
    rift_source_close(&src);
  }
  CHECK(t, replayed * 2 > total); /* most records replay a program */
}
